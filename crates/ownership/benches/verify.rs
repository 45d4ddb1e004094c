//! Time per `ownership::verify` call, per method, on the library-generated vectors' valid cases.
//!
//! Run: `cargo bench -p walletdesk-ownership --bench verify` (a plain `harness = false` binary).
//! Prints microseconds per call: the median of 7 timed runs of 200 calls per vector, after one
//! warm-up run. A verification is what one `POST /api/v1/signatures/verify` or one ticket-page
//! check costs on top of the HTTP work.
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![expect(clippy::unwrap_used, reason = "a benchmark over fixed vectors")]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use ownership::Expect;

const CALLS: u32 = 200;
const RUNS: usize = 7;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/generated");
    let mut by_method: BTreeMap<String, Vec<(String, String, String, Expect)>> = BTreeMap::new();
    for file in ["evm.json", "tron.json", "solana.json", "bitcoin.json"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            if case["expect"]["valid"] != true {
                continue;
            }
            let s = |k: &str| case[k].as_str().unwrap().to_owned();
            let expect = Expect {
                now: case["now"].as_str().map(|t| t.parse().unwrap()),
                domain: case["domain"].as_str().map(str::to_owned),
                nonce: case["nonce"].as_str().map(str::to_owned),
            };
            by_method
                .entry(case["expect"]["method"].as_str().unwrap().to_owned())
                .or_default()
                .push((s("address"), s("message"), s("signature"), expect));
        }
    }
    println!("{:<22} {:>8} {:>14}", "method", "vectors", "µs per verify");
    for (method, cases) in &by_method {
        let mut runs = Vec::with_capacity(RUNS);
        for run in 0..=RUNS {
            let start = Instant::now();
            for (a, m, s, e) in cases {
                for _ in 0..CALLS {
                    let v = ownership::verify(black_box(a), black_box(m), black_box(s), e);
                    assert!(v.unwrap().valid);
                }
            }
            let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(CALLS) / cases.len() as f64;
            if run > 0 {
                runs.push(per);
            }
        }
        runs.sort_by(f64::total_cmp);
        println!("{method:<22} {:>8} {:>14.1}", cases.len(), runs[RUNS / 2]);
    }
}
