//! How many calls one diagnosis makes (lower is better), and how many diagnoses per second a
//! client makes, for the Bitcoin Core client against a real litecoind in regtest and the
//! Esplora and TRON clients against the tests' stand-in. Prints figures; asserts nothing.
//!
//! `cargo bench -p walletdesk-chain-client --bench calls` (`CHAIN_BENCH_RUNS=n`, default 200;
//! `WALLETDESK_SKIP_LITECOIND=1` leaves the litecoind rows out).
#![expect(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark prints its figures, and its set-up (shared with the tests) panics on failure"
)]

// Shared with the tests, which use all of both.
#[expect(dead_code, reason = "the tests use the rest")]
#[path = "../tests/it/litecoind.rs"]
mod litecoind;
#[expect(dead_code, reason = "the tests use the rest")]
#[path = "../tests/it/standin.rs"]
mod standin;

use std::time::Instant;

use chain::{ChainConfig, ChainKind};
use chain_client::Client;
use chain_client::bitcoin_core::BitcoinCore;
use chain_client::esplora::Esplora;
use chain_client::tron::Tron;
use serde_json::json;
use standin::{Reply, StandIn};

pub(crate) fn config(kind: ChainKind, url: &str) -> ChainConfig {
    ChainConfig {
        name: "bench".into(),
        kind,
        url: url.into(),
        chain_id: None,
        explorer_tx: None,
        explorer_address: None,
        tokens: Vec::new(),
        timeout_ms: 10_000,
        concurrency: 4,
        network: None,
    }
}

fn runs() -> u32 {
    std::env::var("CHAIN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// Runs `f` `runs` times; prints requests and calls per diagnosis and diagnoses per second.
async fn row<F, Fut>(label: &str, counters: impl Fn() -> (u64, u64), runs: u32, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (r0, c0) = counters();
    let start = Instant::now();
    for _ in 0..runs {
        f().await;
    }
    let secs = start.elapsed().as_secs_f64();
    let (r1, c1) = counters();
    let n = f64::from(runs);
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    let (requests, calls) = ((r1 - r0) as f64 / n, (c1 - c0) as f64 / n);
    println!(
        "{label:<48} {requests:>9.1} {calls:>9.1} {:>12.0}",
        n / secs
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs = runs();
    println!("{runs} diagnoses per row, uncached (every diagnosis asks the endpoint)");
    println!(
        "{:<48} {:>9} {:>9} {:>12}",
        "client / case", "HTTP/diag", "calls/diag", "diagnoses/s"
    );

    if let Some(node) = litecoind::Litecoind::start().await {
        node.call("createwallet", json!(["w"])).await;
        node.mine(101).await;
        let to = node.new_address().await;
        let confirmed = node.send(&to, 1.0, 5, false).await;
        node.mine(1).await;
        let pending = node.send(&to, 0.5, 1, false).await;
        let c = BitcoinCore::new(node.config()).unwrap();
        let counters = || (c.http_requests(), c.rpc_calls());
        row(
            "bitcoin_core (litecoind) tx confirmed",
            counters,
            runs,
            || async {
                c.tx(&confirmed).await.unwrap();
            },
        )
        .await;
        row(
            "bitcoin_core (litecoind) tx pending",
            counters,
            runs,
            || async {
                c.tx(&pending).await.unwrap();
            },
        )
        .await;
        row(
            "bitcoin_core (litecoind) tx not found",
            counters,
            runs,
            || async {
                c.tx(&"ab".repeat(32)).await.unwrap();
            },
        )
        .await;
        row(
            "bitcoin_core (litecoind) address (scantxoutset)",
            counters,
            runs / 10,
            || async {
                c.address(&to).await.unwrap();
            },
        )
        .await;
    }

    let confirmed = "c1a9a5dfd3b9cf2bb4bb0a73ee7f1f0a0e6e96e9e2b2b8bd9b05f3e6b0f3b6a1";
    let pending = "a0d5f3e8c1b2a39485766758493a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f50";
    let address = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    let s = StandIn::start(move |_, path, _| match path {
        p if p == format!("/tx/{confirmed}") => Reply::fixture("esplora/tx_confirmed.json"),
        p if p == format!("/tx/{pending}") => Reply::fixture("esplora/tx_pending.json"),
        p if p.ends_with("/outspends") => Reply::fixture("esplora/tx_pending_outspends.json"),
        "/fee-estimates" => Reply::fixture("esplora/fee_estimates.json"),
        "/blocks/tip/height" => Reply::fixture("esplora/tip_height.txt"),
        p if p.ends_with("/txs") => Reply::fixture("esplora/address_txs.json"),
        p if p.starts_with("/address/") => Reply::fixture("esplora/address.json"),
        _ => Reply::status(404, "Transaction not found"),
    })
    .await;
    let c = Esplora::new(config(ChainKind::Esplora, &s.url)).unwrap();
    let counters = || (c.http_requests(), c.http_requests());
    row(
        "esplora (stand-in) tx confirmed",
        counters,
        runs,
        || async {
            c.tx(confirmed).await.unwrap();
        },
    )
    .await;
    row("esplora (stand-in) tx pending", counters, runs, || async {
        c.tx(pending).await.unwrap();
    })
    .await;
    row("esplora (stand-in) address", counters, runs, || async {
        c.address(address).await.unwrap();
    })
    .await;

    let trc20 = "7c2d4206c03a883dd9066d920f0d8bf6b7fd7b8c5d5bc8e5c16e6ec3f2a1b0c9";
    let s = StandIn::start(move |_, path, body| {
        let known = body.contains(trc20);
        match path {
            "/wallet/gettransactionbyid" if known => {
                Reply::fixture("tron/gettransactionbyid_trc20.json")
            }
            "/wallet/gettransactioninfobyid" if known => {
                Reply::fixture("tron/gettransactioninfobyid_trc20.json")
            }
            "/wallet/getblock" => Reply::fixture("tron/getblock.json"),
            "/wallet/getaccount" => Reply::fixture("tron/getaccount.json"),
            "/wallet/getaccountresource" => Reply::fixture("tron/getaccountresource.json"),
            "/wallet/getchainparameters" => Reply::fixture("tron/getchainparameters.json"),
            "/wallet/triggerconstantcontract" => {
                Reply::fixture("tron/triggerconstantcontract_balanceof.json")
            }
            p if p.starts_with("/v1/accounts/") => Reply::fixture("tron/trc20_history.json"),
            _ => Reply::json("{}"),
        }
    })
    .await;
    let mut cfg = config(ChainKind::Tron, &s.url);
    cfg.tokens = vec![chain::model::TokenConfig {
        symbol: "USDT".into(),
        contract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into(),
        decimals: 6,
    }];
    let c = Tron::new(cfg).unwrap();
    let counters = || (c.http_requests(), c.http_requests());
    row(
        "tron (stand-in) tx TRC-20 confirmed",
        counters,
        runs,
        || async {
            c.tx(trc20).await.unwrap();
        },
    )
    .await;
    row("tron (stand-in) tx not found", counters, runs, || async {
        c.tx(&"0f".repeat(32)).await.unwrap();
    })
    .await;
    row(
        "tron (stand-in) address, 1 token",
        counters,
        runs,
        || async {
            c.address("TZ4UXDV5ZhNW7fb2AMSbgfAEZ7hWsnYS2g")
                .await
                .unwrap();
        },
    )
    .await;
    println!("(Esplora and TRON: every HTTP request is one API call, so both columns agree.)");
}
