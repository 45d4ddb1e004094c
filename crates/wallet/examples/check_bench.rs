//! Times `check_mnemonic` at its most expensive common case: 24 known words with a wrong
//! checksum, so every single-word substitution (24 × 2048) and every swap is tried.
//!
//! `cargo run --release -p walletdesk-wallet --example check_bench`
//!
//! The library has no clock; this example does the timing, and prints figures instead of
//! asserting on them.

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::time::{Duration, Instant};

use wallet::check::check_mnemonic;

const RUNS: usize = 200;

fn main() {
    // A python-mnemonic 24-word vector with its 11th word replaced by another list word.
    let phrase = "hamster diagram private dutch cause delay private meat slide toddler zoo book \
                  happy fancy gospel tennis maple dilemma loan word shrug inflict delay length";
    let first = check_mnemonic(phrase).expect("the phrase is within the limits");
    assert_eq!(first.word_count, 24);
    assert_eq!(
        first.checksum_valid,
        Some(false),
        "the benchmark needs a wrong checksum"
    );
    let corrections = first.corrections.len();
    drop(first);

    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let report = check_mnemonic(std::hint::black_box(phrase));
            let elapsed = start.elapsed();
            drop(std::hint::black_box(report));
            elapsed
        })
        .collect();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into 200 samples"
        )]
        let i = ((RUNS - 1) as f64 * q).round() as usize;
        times[i.min(RUNS - 1)]
    };
    println!(
        "check_mnemonic, 24 words, wrong checksum ({corrections} corrections), {RUNS} runs: \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(times[RUNS - 1])
    );
}
