//! Prints, for each prose file given (one paragraph a line), how many paragraphs
//! `wallet::redact` changes, and with `-v` each finding with the text around it: the tool for
//! studying false positives on `data/corpus/prose/zh.*.tune.txt`.
//!
//! `cargo run --release -p walletdesk-wallet --example zh_prose_fp -- [-v] FILE…`

#![expect(clippy::print_stdout, reason = "a study tool prints its figures")]

fn main() -> std::io::Result<()> {
    let mut verbose = false;
    for arg in std::env::args().skip(1) {
        if arg == "-v" {
            verbose = true;
            continue;
        }
        let text = std::fs::read_to_string(&arg)?;
        let (mut paragraphs, mut flagged) = (0usize, 0usize);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            paragraphs += 1;
            let Ok(red) = wallet::redact(line) else {
                continue;
            };
            if red.removed_anything() {
                flagged += 1;
                if verbose {
                    for f in &red.findings {
                        let before = line.get(f.start.saturating_sub(30)..f.start).unwrap_or("");
                        println!(
                            "  {:?} «{}» [{}] «{}»",
                            f.kind,
                            before,
                            &line[f.start..f.end],
                            line.get(f.end..)
                                .unwrap_or("")
                                .chars()
                                .take(10)
                                .collect::<String>()
                        );
                    }
                }
            }
        }
        #[expect(clippy::cast_precision_loss, reason = "counts are small")]
        let rate = flagged as f64 * 100.0 / paragraphs.max(1) as f64;
        println!("{arg}: {flagged}/{paragraphs} paragraphs flagged ({rate:.2}%)");
    }
    Ok(())
}
