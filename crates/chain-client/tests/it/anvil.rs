//! A real local EVM node for the tests: anvil (npm `@foundry-rs/anvil-linux-amd64`, installed by
//! scripts/test into a cache directory), one private instance per test on a loopback port it
//! picks itself (`--port 0`), stopped when the test ends.

use std::process::Stdio;
use std::time::Duration;

use chain::{ChainConfig, ChainKind, TokenConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// anvil's first two dev accounts (unlocked: `eth_sendTransaction` signs for them).
pub(crate) const A0: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
pub(crate) const A1: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
/// An address nobody holds keys for on anvil: it starts with nothing.
pub(crate) const EMPTY: &str = "0x00000000000000000000000000000000c0ffee01";

const TOKEN_BIN: &str = include_str!("contracts/TestToken.bin");
const WALLET_BIN: &str = include_str!("contracts/PayoutWallet.bin");

#[derive(Debug)]
pub(crate) struct Anvil {
    _child: Child,
    pub(crate) url: String,
    http: reqwest::Client,
}

/// Where anvil is: `WALLETDESK_TEST_ANVIL`, else scripts/test's cache directory.
fn binary() -> Option<String> {
    if let Ok(p) = std::env::var("WALLETDESK_TEST_ANVIL") {
        return Some(p);
    }
    let cache = std::env::var("XDG_CACHE_HOME")
        .ok()
        .or_else(|| std::env::var("HOME").ok().map(|h| format!("{h}/.cache")))?;
    let p =
        format!("{cache}/walletdesk/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    std::path::Path::new(&p).exists().then_some(p)
}

impl Anvil {
    #[expect(clippy::print_stderr, reason = "a skipped test says so")]
    /// Starts anvil; `None` (the test says it is skipped) only when WALLETDESK_SKIP_ANVIL=1.
    pub(crate) async fn start(args: &[&str]) -> Option<Anvil> {
        let Some(bin) = binary() else {
            assert!(
                std::env::var("WALLETDESK_SKIP_ANVIL").as_deref() == Ok("1"),
                "anvil is not installed: run scripts/test (it installs it), set WALLETDESK_TEST_ANVIL, \
                 or WALLETDESK_SKIP_ANVIL=1 to skip the tests against a real EVM node"
            );
            eprintln!("WALLETDESK_SKIP_ANVIL=1: skipped, no EVM node");
            return None;
        };
        let mut child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("anvil starts");
        // The banner comes first, then where it listens (`--silent` would hide that too).
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(a) = line.trim().strip_prefix("Listening on ") {
                    return Some(a.to_owned());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .expect("anvil says where it listens");
        // Keep reading so that anvil never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Some(Anvil {
            _child: child,
            url: format!("http://{addr}"),
            http: reqwest::Client::new(),
        })
    }

    pub(crate) async fn try_rpc(&self, method: &str, params: Value) -> Result<Value, Value> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let v: Value = self
            .http
            .post(&self.url)
            .json(&body)
            .send()
            .await
            .expect("anvil answers")
            .json()
            .await
            .expect("JSON");
        match v.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(v["result"].clone()),
        }
    }

    pub(crate) async fn rpc(&self, method: &str, params: Value) -> Value {
        self.try_rpc(method, params)
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Sends from an unlocked account; returns the hash.
    pub(crate) async fn send(&self, tx: Value) -> String {
        self.rpc("eth_sendTransaction", json!([tx]))
            .await
            .as_str()
            .expect("hash")
            .to_owned()
    }

    /// Sends and waits until it is mined (automine answers before it has mined).
    pub(crate) async fn send_mined(&self, tx: Value) -> String {
        let hash = self.send(tx).await;
        for _ in 0..200 {
            let r = self.rpc("eth_getTransactionReceipt", json!([hash])).await;
            if !r.is_null() {
                return hash;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{hash} was not mined");
    }

    pub(crate) async fn automine(&self, on: bool) {
        self.rpc("evm_setAutomine", json!([on])).await;
    }

    pub(crate) async fn mine(&self, blocks: u64) {
        self.rpc("anvil_mine", json!([format!("0x{blocks:x}")]))
            .await;
    }

    pub(crate) async fn nonce(&self, who: &str) -> u64 {
        let n = self
            .rpc("eth_getTransactionCount", json!([who, "latest"]))
            .await;
        u64::from_str_radix(n.as_str().expect("hex").trim_start_matches("0x"), 16).expect("nonce")
    }

    /// Deploys TestToken with `supply` base units to A0; returns its address.
    pub(crate) async fn deploy_token(&self, supply: u128) -> String {
        let data = format!("0x{}{supply:064x}", TOKEN_BIN.trim());
        let hash = self
            .send_mined(json!({"from": A0, "data": data, "gas": "0x200000"}))
            .await;
        let receipt = self.rpc("eth_getTransactionReceipt", json!([hash])).await;
        assert_eq!(receipt["status"], "0x1", "deployed");
        receipt["contractAddress"]
            .as_str()
            .expect("contract")
            .to_ascii_lowercase()
    }

    /// Deploys PayoutWallet from A0 (its owner) holding `wei`; returns its address.
    pub(crate) async fn deploy_wallet(&self, wei: u128) -> String {
        let data = format!("0x{}", WALLET_BIN.trim());
        let hash = self
            .send_mined(
                json!({"from": A0, "data": data, "value": format!("0x{wei:x}"), "gas": "0x100000"}),
            )
            .await;
        let receipt = self.rpc("eth_getTransactionReceipt", json!([hash])).await;
        assert_eq!(receipt["status"], "0x1", "deployed");
        receipt["contractAddress"]
            .as_str()
            .expect("contract")
            .to_ascii_lowercase()
    }

    /// The time of block `number`, Unix seconds.
    pub(crate) async fn block_time(&self, number: u64) -> u64 {
        let b = self
            .rpc(
                "eth_getBlockByNumber",
                json!([format!("0x{number:x}"), false]),
            )
            .await;
        u64::from_str_radix(
            b["timestamp"]
                .as_str()
                .expect("hex")
                .trim_start_matches("0x"),
            16,
        )
        .expect("time")
    }

    /// The block a mined transaction is in.
    pub(crate) async fn block_of(&self, hash: &str) -> u64 {
        let r = self.rpc("eth_getTransactionReceipt", json!([hash])).await;
        u64::from_str_radix(
            r["blockNumber"]
                .as_str()
                .expect("hex")
                .trim_start_matches("0x"),
            16,
        )
        .expect("block")
    }

    /// A configuration for this node.
    pub(crate) fn config(
        &self,
        name: &str,
        chain_id: Option<u64>,
        tokens: Vec<TokenConfig>,
    ) -> ChainConfig {
        ChainConfig {
            name: name.to_owned(),
            kind: ChainKind::Evm,
            url: self.url.clone(),
            chain_id,
            explorer_tx: Some("https://explorer.example/tx/{tx}".to_owned()),
            explorer_address: None,
            tokens,
            timeout_ms: 10_000,
            concurrency: 4,
            network: None,
        }
    }
}

/// `transfer(to, amount)` call data.
pub(crate) fn transfer_data(to: &str, amount: u128) -> String {
    format!("0xa9059cbb{:0>64}{amount:064x}", &to[2..])
}

/// PayoutWallet's `pay(to, amount)` call data.
pub(crate) fn pay_data(to: &str, amount: u128) -> String {
    format!("0xc4076876{:0>64}{amount:064x}", &to[2..])
}

/// `burn(rounds)` call data.
pub(crate) fn burn_data(rounds: u64) -> String {
    format!("0x42966c68{rounds:064x}")
}

pub(crate) fn token(contract: &str) -> TokenConfig {
    TokenConfig {
        symbol: "TUSD".to_owned(),
        contract: contract.to_owned(),
        decimals: 6,
    }
}
