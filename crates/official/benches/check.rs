//! Time per `Official::check` on a mix of official values, lookalikes and unrelated ones.
//! `cargo bench -p walletdesk-official --bench check`; prints figures, asserts nothing.

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::hint::black_box;
use std::time::Instant;

use official::{Channel, Official};

const VALUES: &[&str] = &[
    "https://lanternfish.example/help/",
    "support@lanternfish.example",
    "lanternfish-support.com",
    "https://xn--lnternfish-zqi.example/login",
    "https://lanternfish.example@evil.test/",
    "lanternf1sh.example",
    "@Lanternfish_Support",
    "https://t.me/LanternfishWaIlet",
    "lanternfish.help@gmail.com",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "+86 400-800-1234",
    "https://en.wikipedia.org/wiki/Lanternfish_(disambiguation)?x=1",
    "github.com",
];

fn main() {
    let official = Official::new(
        "Lanternfish Wallet",
        &[
            Channel {
                kind: "website",
                value: "https://lanternfish.example",
            },
            Channel {
                kind: "email",
                value: "support@lanternfish.example",
            },
            Channel {
                kind: "telegram",
                value: "https://t.me/LanternfishWallet",
            },
            Channel {
                kind: "x",
                value: "@lanternfish",
            },
            Channel {
                kind: "wechat",
                value: "lanternfish_cn",
            },
        ],
    );
    let rounds = 2_000;
    let mut per_value: Vec<(f64, &str)> = Vec::new();
    for v in VALUES {
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            black_box(official.check(black_box(v)));
            samples.push(t.elapsed().as_secs_f64() * 1e6);
        }
        samples.sort_by(f64::total_cmp);
        per_value.push((samples[samples.len() / 2], v));
    }
    let mut all: Vec<f64> = per_value.iter().map(|(m, _)| *m).collect();
    all.sort_by(f64::total_cmp);
    for (median, v) in &per_value {
        println!("{median:8.1} µs  {v}");
    }
    println!(
        "median over values {:.1} µs, slowest value {:.1} µs ({} rounds each)",
        all[all.len() / 2],
        all[all.len() - 1],
        rounds
    );
}
