//! Throughput of `wallet::redact` on ordinary mixed Chinese/English support text, single thread.
//!
//! Run: `cargo bench -p walletdesk-wallet --bench redact` (a plain `harness = false` binary: no
//! benchmark framework, so the dependency tree stays as it is). Prints MB/s (10^6 bytes per
//! second of input), the median of several timed runs after one warm-up run, by the wall clock
//! and by the thread's time on a CPU (the figure to compare on a machine shared with other
//! work: wall-clock figures there fall with the load).
//!
//! The input is the real prose in `data/corpus/prose/` (English and Chinese Debian documentation,
//! support-style messages, a Chinese wallet article), paragraphs interleaved English/Chinese into
//! about 4 MiB, then cut at paragraph ends into
//!
//! * messages of 1–4 KiB (sizes from a fixed-seed PRNG), one `redact` call each — the size of a
//!   ticket or an e-mail;
//! * 1 MiB blocks, one call each — a large paste or an attachment's text.
//!
//! Each shape is measured clean and with secrets sprinkled in: every fourth message (and the
//! same density in the 1 MiB blocks) gets one message with a secret from
//! `data/corpus/labelled.jsonl` appended.
//!
//! Two more shapes take the Chinese files alone (reviews, news, forum posts, chats, Debian's
//! docs…), in messages and in 1 MiB calls: long runs of Han characters are the slowest input.
//!
//! Three shapes are 4 MiB calls, as `walletdesk redact` takes them (its input limit,
//! [`wallet::MAX_INPUT_BYTES`]), one per kind of text that issue 7 measured on data of its own:
//!
//! * Chinese reviews and forum posts alone (`zh.reviews.*`, `zh.forum.*`): long Han runs;
//! * English prose alone (`en.*`);
//! * the interleaved zh/en prose cut into 1–4 KiB messages, every eighth one followed by a
//!   secret-bearing message, the messages joined back into 4 MiB calls.
//!
//! `WALLET_BENCH_RUNS=n` changes the number of timed runs (default 7);
//! `WALLET_BENCH_SHAPE=text` runs only the shapes whose name contains `text` (for profiling
//! one shape under callgrind or perf).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// Total size of the interleaved prose.
const TARGET_BYTES: usize = 4 * 1024 * 1024;
/// Size of one large call.
const LARGE_BYTES: usize = 1024 * 1024;
/// A secret-bearing message is added to every `SECRET_EVERY`th message.
const SECRET_EVERY: usize = 4;

/// splitmix64, so the message sizes are the same on every machine.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + usize::try_from(self.next_u64() % (hi - lo + 1) as u64).unwrap_or(0)
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Which prose files a shape is cut from.
#[derive(Clone, Copy)]
enum Prose {
    /// Every file, English and Chinese interleaved.
    All,
    /// The Chinese files alone.
    Chinese,
    /// The English files alone.
    English,
    /// The Chinese reviews and forum posts alone.
    ReviewsAndForum,
}

impl Prose {
    fn takes(self, name: &str) -> bool {
        match self {
            Prose::All => true,
            Prose::Chinese => name.starts_with("zh."),
            Prose::English => name.starts_with("en."),
            Prose::ReviewsAndForum => {
                name.starts_with("zh.reviews.") || name.starts_with("zh.forum.")
            }
        }
    }
}

/// Paragraphs of the prose files `which` takes, interleaved English/Chinese, repeated until
/// `TARGET_BYTES`.
fn interleaved_paragraphs(corpus: &Path, which: Prose) -> Vec<String> {
    let mut en: Vec<Vec<String>> = Vec::new();
    let mut zh: Vec<Vec<String>> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(corpus.join("prose"))
        .expect("prose directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for path in names {
        let paras: Vec<String> = read(&path)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !which.takes(name) {
            continue;
        }
        if name.starts_with("zh.") {
            zh.push(paras);
        } else {
            en.push(paras);
        }
    }
    // Round-robin over the files of each language, alternating languages.
    let mut streams: Vec<std::iter::Cycle<std::vec::IntoIter<String>>> = Vec::new();
    let (mut e, mut z) = (en.into_iter(), zh.into_iter());
    loop {
        match (e.next(), z.next()) {
            (None, None) => break,
            (a, b) => {
                streams.extend(a.map(|p| p.into_iter().cycle()));
                streams.extend(b.map(|p| p.into_iter().cycle()));
            }
        }
    }
    let mut out = Vec::new();
    let mut total = 0;
    'fill: loop {
        for s in &mut streams {
            let Some(p) = s.next() else { continue };
            total += p.len() + 1;
            out.push(p);
            if total >= TARGET_BYTES {
                break 'fill;
            }
        }
    }
    out
}

/// The text of every labelled message that holds a secret.
fn secret_messages(corpus: &Path) -> Vec<String> {
    read(&corpus.join("labelled.jsonl"))
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["secrets"].as_array().is_some_and(|s| !s.is_empty()))
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect()
}

/// Messages of 1–4 KiB cut from `paras`, every `every`th one followed by a secret message,
/// joined back into calls of at most `MAX_INPUT_BYTES`.
fn messages_in_large_calls(
    paras: &[String],
    secrets: &[String],
    every: usize,
    rng: &mut Rng,
) -> Vec<String> {
    let messages = chunks(paras, None, || rng.between(1024, 4096));
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, m) in messages.iter().enumerate() {
        let mut piece = m.clone();
        if (i + 1).is_multiple_of(every) {
            piece.push_str(&secrets[(i / every) % secrets.len()]);
            piece.push('\n');
        }
        if cur.len() + piece.len() > wallet::MAX_INPUT_BYTES {
            out.push(std::mem::take(&mut cur));
        }
        cur.push_str(&piece);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Joins paragraphs into chunks whose sizes `size()` picks, cutting at paragraph ends. With
/// `secrets`, every `SECRET_EVERY`th message-sized piece gets one secret message appended.
fn chunks(
    paras: &[String],
    secrets: Option<&[String]>,
    mut size: impl FnMut() -> usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut want = size();
    let mut piece = 0usize;
    let mut piece_len = 0usize;
    let mut next_secret = 0usize;
    for p in paras {
        cur.push_str(p);
        cur.push('\n');
        piece_len += p.len() + 1;
        // Secrets go in at the density of one per SECRET_EVERY messages of ~2.5 KiB.
        if piece_len >= 2560 {
            piece_len = 0;
            piece += 1;
            if let Some(s) = secrets
                && piece.is_multiple_of(SECRET_EVERY)
            {
                cur.push_str(&s[next_secret % s.len()]);
                cur.push('\n');
                next_secret += 1;
            }
        }
        if cur.len() >= want {
            // Stay under MAX_INPUT_BYTES whatever the last paragraph's size.
            while cur.len() > wallet::MAX_INPUT_BYTES {
                cur.pop();
            }
            out.push(std::mem::take(&mut cur));
            want = size();
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// How a shape cuts its prose into calls.
#[derive(Clone, Copy)]
enum Cut {
    /// Messages of 1–4 KiB, one call each.
    Messages,
    /// Calls of `LARGE_BYTES`.
    Large,
    /// Calls of `MAX_INPUT_BYTES` (what `walletdesk redact` takes).
    Max,
    /// Messages of 1–4 KiB, every eighth followed by a secret message, joined into calls of
    /// `MAX_INPUT_BYTES`.
    MessagesInMax,
}

/// A benchmark shape: its name, the paragraphs it is cut from, the secret messages added (if
/// any), and how it is cut into calls.
type Shape<'a> = (&'a str, &'a [String], Option<&'a [String]>, Cut);

struct Figures {
    mb_s: f64,
    min: f64,
    max: f64,
    /// Median MB per second of this thread's time on a CPU (see [`thread_cpu_time`]), when the
    /// system says.
    cpu_mb_s: Option<f64>,
    findings: usize,
}

/// The time this thread has spent on a CPU (Linux: `/proc/thread-self/schedstat`, in ns). On a
/// machine shared with other work, wall-clock throughput falls with the load while this one
/// mostly does not: it is the figure to compare across runs there.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse::<u64>().ok()?;
    Some(Duration::from_nanos(ns))
}

fn measure(inputs: &[String], runs: usize) -> Figures {
    let bytes: usize = inputs.iter().map(String::len).sum();
    let once = || {
        let mut findings = 0;
        for text in inputs {
            let r = wallet::redact(black_box(text)).expect("input under MAX_INPUT_BYTES");
            findings += r.findings.len();
            black_box(&r);
        }
        findings
    };
    let findings = once(); // warm-up
    let rate = |d: Duration| bytes as f64 / d.max(Duration::from_nanos(1)).as_secs_f64() / 1e6;
    let mut rates = Vec::with_capacity(runs);
    let mut cpu_rates = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (t, cpu) = (Instant::now(), thread_cpu_time());
        black_box(once());
        rates.push(rate(t.elapsed()));
        if let (Some(before), Some(after)) = (cpu, thread_cpu_time()) {
            cpu_rates.push(rate(after.saturating_sub(before)));
        }
    }
    rates.sort_by(f64::total_cmp);
    cpu_rates.sort_by(f64::total_cmp);
    Figures {
        mb_s: rates[rates.len() / 2],
        min: rates[0],
        max: rates[rates.len() - 1],
        cpu_mb_s: (cpu_rates.len() == runs).then(|| cpu_rates[runs / 2]),
        findings,
    }
}

fn main() {
    let runs = std::env::var("WALLET_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(7);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let only = std::env::var("WALLET_BENCH_SHAPE").unwrap_or_default();
    let paras = interleaved_paragraphs(&corpus, Prose::All);
    let zh_paras = interleaved_paragraphs(&corpus, Prose::Chinese);
    let en_paras = interleaved_paragraphs(&corpus, Prose::English);
    let review_paras = interleaved_paragraphs(&corpus, Prose::ReviewsAndForum);
    let secrets = secret_messages(&corpus);
    let prose_bytes: usize = paras.iter().map(|p| p.len() + 1).sum();
    let han = paras
        .iter()
        .flat_map(|p| p.chars())
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    println!(
        "redact throughput, single thread: {:.2} MiB of interleaved en/zh prose ({} paragraphs, {han} Han characters), median of {runs} runs",
        prose_bytes as f64 / 1048576.0,
        paras.len(),
    );
    println!(
        "{:<34} {:>6} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "input", "calls", "avg bytes", "findings", "MB/s", "min", "max", "CPU MB/s"
    );

    let mut rng = Rng(0x5EED_BE4C);
    // The Chinese-only shapes are long runs of Han characters, the detector's slowest input.
    let shapes: [Shape<'_>; 9] = [
        ("messages 1-4 KiB, clean", &paras, None, Cut::Messages),
        (
            "messages 1-4 KiB, with secrets",
            &paras,
            Some(&secrets),
            Cut::Messages,
        ),
        ("1 MiB calls, clean", &paras, None, Cut::Large),
        (
            "1 MiB calls, with secrets",
            &paras,
            Some(&secrets),
            Cut::Large,
        ),
        (
            "Chinese only, messages 1-4 KiB",
            &zh_paras,
            None,
            Cut::Messages,
        ),
        ("Chinese only, 1 MiB calls", &zh_paras, None, Cut::Large),
        (
            "zh reviews+forum, 4 MiB calls",
            &review_paras,
            None,
            Cut::Max,
        ),
        ("English prose, 4 MiB calls", &en_paras, None, Cut::Max),
        (
            "zh/en, secret every 8th, 4 MiB",
            &paras,
            Some(&secrets),
            Cut::MessagesInMax,
        ),
    ];
    let (mut below_target, mut cpu_below_target) = (false, false);
    for (name, paras, secrets, cut) in shapes {
        // Cut every shape, measured or not, so that the sizes drawn for one shape do not
        // depend on which others `WALLET_BENCH_SHAPE` selects.
        let inputs = match cut {
            Cut::Messages => chunks(paras, secrets, || rng.between(1024, 4096)),
            Cut::Large => chunks(paras, secrets, || LARGE_BYTES),
            // Cut a little early: the last paragraph must not take a call over the limit.
            Cut::Max => chunks(paras, secrets, || wallet::MAX_INPUT_BYTES - 64 * 1024),
            Cut::MessagesInMax => {
                messages_in_large_calls(paras, secrets.unwrap_or(&[]), 8, &mut rng)
            }
        };
        if !name.contains(only.as_str()) {
            continue;
        }
        let bytes: usize = inputs.iter().map(String::len).sum();
        let f = measure(&inputs, runs);
        below_target |= f.mb_s < 50.0;
        cpu_below_target |= f.cpu_mb_s.is_none_or(|r| r < 50.0);
        println!(
            "{name:<34} {:>6} {:>10} {:>9} {:>9.1} {:>9.1} {:>9.1} {:>9}",
            inputs.len(),
            bytes / inputs.len().max(1),
            f.findings,
            f.mb_s,
            f.min,
            f.max,
            f.cpu_mb_s
                .map_or_else(|| "-".to_owned(), |r| format!("{r:.1}")),
        );
    }
    println!(
        "target >= 50 MB/s on one core: {} (wall clock), {} (time on CPU)",
        if below_target { "NOT met" } else { "met" },
        if cpu_below_target { "NOT met" } else { "met" },
    );
}
