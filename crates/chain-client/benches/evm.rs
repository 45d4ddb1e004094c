//! EVM diagnosis against a local anvil: diagnoses per second without and with the cache, the
//! latency of a cached lookup (p50/p99), and the JSON-RPC calls and HTTP requests one
//! diagnosis makes. Prints figures; asserts nothing about time.
//!
//!     cargo bench -p walletdesk-chain-client --bench evm
//!
//! anvil: `WALLETDESK_TEST_ANVIL`, else scripts/test's cache directory.

#![expect(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark prints its figures"
)]

use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chain::{ChainConfig, ChainKind, TokenConfig};
use chain_client::evm::EvmClient;
use chain_client::{CacheTtl, Chains, Client};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

const A0: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const A1: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const TOKEN_BIN: &str = include_str!("../tests/it/contracts/TestToken.bin");

async fn rpc(url: &str, method: &str, params: Value) -> Value {
    let v: Value = reqwest::Client::new()
        .post(url)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["result"].clone()
}

async fn mined(url: &str, tx: Value) -> String {
    let hash = rpc(url, "eth_sendTransaction", json!([tx])).await;
    let hash = hash.as_str().unwrap().to_owned();
    while rpc(url, "eth_getTransactionReceipt", json!([hash]))
        .await
        .is_null()
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    hash
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let bin = std::env::var("WALLETDESK_TEST_ANVIL").unwrap_or_else(|_| {
        format!(
            "{}/.cache/walletdesk/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil",
            std::env::var("HOME").unwrap()
        )
    });
    let mut child = tokio::process::Command::new(bin)
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("anvil (run scripts/test once, or set WALLETDESK_TEST_ANVIL)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut addr = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(a) = line.trim().strip_prefix("Listening on ") {
            addr = a.to_owned();
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let url = format!("http://{addr}");

    // A token, a token transfer, a plain transfer, a failed call; then a pending one.
    let data = format!("0x{}{:064x}", TOKEN_BIN.trim(), 1_000_000_000u128);
    let deploy = mined(&url, json!({"from": A0, "data": data, "gas": "0x200000"})).await;
    let receipt = rpc(&url, "eth_getTransactionReceipt", json!([deploy])).await;
    let token = receipt["contractAddress"].as_str().unwrap().to_owned();
    let transfer = format!("0xa9059cbb{:0>64}{:064x}", &A1[2..], 1_500_000u128);
    let token_tx = mined(&url, json!({"from": A0, "to": token, "data": transfer})).await;
    let plain_tx = mined(&url, json!({"from": A0, "to": A1, "value": "0x1"})).await;
    // More than A1 holds (it got 1.5 TUSD above): reverts with a reason.
    let bad = format!("0xa9059cbb{:0>64}{:064x}", &A0[2..], 10u128.pow(12));
    let failed_tx = mined(
        &url,
        json!({"from": A1, "to": token, "data": bad, "gas": "0x30000"}),
    )
    .await;
    rpc(&url, "evm_setAutomine", json!([false])).await;
    let pending = rpc(
        &url,
        "eth_sendTransaction",
        json!([{"from": A0, "to": A1, "value": "0x2"}]),
    )
    .await;
    let pending_tx = pending.as_str().unwrap().to_owned();

    let config = ChainConfig {
        name: "anvil".to_owned(),
        kind: ChainKind::Evm,
        url: url.clone(),
        chain_id: Some(31337),
        explorer_tx: None,
        explorer_address: None,
        tokens: vec![TokenConfig {
            symbol: "TUSD".to_owned(),
            contract: token.clone(),
            decimals: 6,
        }],
        timeout_ms: 5_000,
        concurrency: 4,
        network: None,
    };

    println!("RPC calls per diagnosis (JSON-RPC calls / HTTP requests), after the first lookup:");
    let probe = EvmClient::new(config.clone(), Vec::new()).unwrap();
    probe.tx(&plain_tx).await.unwrap(); // the first lookup also asks eth_chainId once
    for (what, hash) in [
        ("confirmed transfer", &plain_tx),
        ("ERC-20 transfer", &token_tx),
        ("failed (revert replayed)", &failed_tx),
        ("pending", &pending_tx),
        ("not found", &format!("0x{}", "12".repeat(32))),
    ] {
        let (c0, r0) = probe.counters();
        probe.tx(hash).await.unwrap();
        let (c1, r1) = probe.counters();
        println!(
            "  tx, {what:<26} {:>2} calls / {} requests",
            c1 - c0,
            r1 - r0
        );
    }

    let hashes = [
        plain_tx.clone(),
        token_tx.clone(),
        failed_tx.clone(),
        pending_tx.clone(),
    ];
    for workers in [1usize, 4] {
        let client = Arc::new(EvmClient::new(config.clone(), Vec::new()).unwrap());
        let chains = Arc::new(
            Chains::new(vec![client as Arc<dyn Client>]).with_ttl(CacheTtl {
                changing: Duration::ZERO,
                settled: Duration::ZERO,
            }),
        );
        let per_worker = 150;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..workers {
            let chains = Arc::clone(&chains);
            let hashes = hashes.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..per_worker {
                    let h = &hashes[(i + w) % hashes.len()];
                    chains.tx(h, Some("anvil"), false).await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let n = workers * per_worker;
        let secs = start.elapsed().as_secs_f64();
        #[expect(clippy::cast_precision_loss, reason = "a rate")]
        let rate = n as f64 / secs;
        println!(
            "without cache, {workers} concurrent: {n} diagnoses in {secs:.2} s = {rate:.0} diagnoses/s"
        );
    }

    let client = Arc::new(EvmClient::new(config.clone(), Vec::new()).unwrap());
    let chains = Chains::new(vec![client.clone() as Arc<dyn Client>]).with_ttl(CacheTtl {
        changing: Duration::from_secs(600),
        settled: Duration::from_secs(600),
    });
    for h in &hashes {
        chains.tx(h, Some("anvil"), false).await.unwrap();
    }
    let asked = client.counters();
    let n = 200_000;
    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        let l = chains
            .tx(&hashes[i % hashes.len()], Some("anvil"), false)
            .await
            .unwrap();
        lat.push(t.elapsed());
        debug_assert!(l.cached);
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(client.counters(), asked, "cached lookups asked the node");
    lat.sort_unstable();
    #[expect(clippy::cast_precision_loss, reason = "a rate")]
    let rate = n as f64 / secs;
    println!(
        "with cache: {n} lookups in {secs:.2} s = {rate:.0} diagnoses/s; cached lookup p50 {:?}, p99 {:?}, max {:?}",
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat[lat.len() - 1]
    );
    // Addresses last: mining the history's blocks also mines the pending transaction above.
    // A full history window (HISTORY_BLOCKS blocks scanned, logs over LOG_BLOCKS).
    rpc(&url, "anvil_mine", json!(["0x10"])).await;
    let (c0, r0) = probe.counters();
    let d = probe.address(A1).await.unwrap();
    let (c1, r1) = probe.counters();
    println!(
        "address, 1 configured token, full history window ({} blocks scanned, logs and traces over {}): {} calls / {} requests (2 round trips; 3 when a transfer shown needs its block's time); {} findings",
        chain_client::evm::HISTORY_BLOCKS,
        chain_client::evm::LOG_BLOCKS,
        c1 - c0,
        r1 - r0,
        d.findings.len()
    );
    let client = Arc::new(EvmClient::new(config.clone(), Vec::new()).unwrap());
    let n = 100;
    let start = Instant::now();
    for _ in 0..n {
        client.address(A1).await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = f64::from(n) / secs;
    println!(
        "address without cache, 1 at a time: {n} diagnoses in {secs:.2} s = {rate:.0} diagnoses/s"
    );
    drop(child);
}
