//! A private litecoind in regtest, started for one test and killed when dropped. Debian ships
//! no bitcoind; Litecoin Core is a Bitcoin Core fork with the same RPC and transaction format
//! (its addresses are `rltc1…` in regtest). `WALLETDESK_TEST_LITECOIND` names the binary
//! (default: `litecoind` on PATH; scripts/test installs Debian's package);
//! `WALLETDESK_SKIP_LITECOIND=1` skips these tests (they say so).

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chain::ChainKind;
use chain_client::bitcoin_core::BitcoinCore;
use serde_json::{Value, json};

#[derive(Debug)]
pub(crate) struct Litecoind {
    child: Child,
    _dir: tempfile::TempDir,
    /// `http://user:password@127.0.0.1:port`
    pub url: String,
    pub port: u16,
}

impl Drop for Litecoind {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static INSTANCE: AtomicU32 = AtomicU32::new(0);

impl Litecoind {
    /// `None` when the tests are to be skipped.
    #[expect(clippy::print_stderr, reason = "a skipped test says so")]
    pub(crate) async fn start() -> Option<Litecoind> {
        if std::env::var("WALLETDESK_SKIP_LITECOIND").as_deref() == Ok("1") {
            eprintln!("WALLETDESK_SKIP_LITECOIND=1: skipping the test against litecoind");
            return None;
        }
        let bin = std::env::var("WALLETDESK_TEST_LITECOIND").unwrap_or_else(|_| "litecoind".into());
        // A password of its own, so that a port taken by another test's node answers 401.
        let password = format!(
            "pw{}x{}",
            std::process::id(),
            INSTANCE.fetch_add(1, Ordering::Relaxed)
        );
        // The btc helper's range of loopback ports. litecoind cannot report a port it picked
        // itself, so the node is the judge: on a taken port it fails to bind and exits, and the
        // next port is tried (no check-then-use race).
        let first = 21_600 + u16::try_from(std::process::id() % 80).unwrap_or(0);
        for port in (first..21_700).chain(21_600..first) {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let child = Command::new(&bin)
                .args([
                    "-regtest",
                    "-txindex",
                    "-server",
                    "-listen=0",
                    "-daemon=0",
                    "-printtoconsole=0",
                    "-rpcbind=127.0.0.1",
                    "-rpcallowip=127.0.0.1",
                    "-rpcuser=walletdesk",
                    // Litecoin Core replaces nothing by default; Bitcoin Core does (BIP125).
                    "-mempoolreplacement=1",
                    // 1 sat/vB is Bitcoin's floor; Litecoin's default is higher.
                    "-minrelaytxfee=0.00001",
                    "-mintxfee=0.00001",
                    "-fallbackfee=0.0002",
                ])
                .arg(format!("-rpcpassword={password}"))
                .arg(format!("-rpcport={port}"))
                .arg(format!("-datadir={}", dir.path().display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!(
                        "cannot start {bin} ({e}): install it (apt-get install -y litecoind) or set WALLETDESK_SKIP_LITECOIND=1"
                    )
                });
            let mut node = Litecoind {
                child,
                _dir: dir,
                url: format!("http://walletdesk:{password}@127.0.0.1:{port}"),
                port,
            };
            if node.wait_ready().await {
                return Some(node);
            }
        }
        panic!("litecoind did not start on any port of 21600-21699");
    }

    /// Whether the node answers RPC; false when it exited (a taken port).
    async fn wait_ready(&mut self) -> bool {
        let rpc = self.rpc();
        // A generous limit for a loaded machine; not a timing assertion.
        for _ in 0..1200 {
            if self.child.try_wait().ok().flatten().is_some() {
                return false;
            }
            if let Ok(answers) = rpc.batch(&[("getblockcount", json!([]))]).await
                && answers[0].is_ok()
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    pub(crate) fn config(&self) -> chain::ChainConfig {
        let mut c = crate::config(ChainKind::BitcoinCore, &self.url);
        c.name = "litecoin-regtest".into();
        c.network = Some("litecoin-regtest".into());
        // createwallet and generatetoaddress write to disk; on a loaded machine that is slow.
        c.timeout_ms = 120_000;
        c
    }

    /// A client for driving the node (its own counters, apart from the one under test).
    pub(crate) fn rpc(&self) -> BitcoinCore {
        BitcoinCore::new(self.config()).expect("a client")
    }

    /// One call; panics with the node's message on an error.
    pub(crate) async fn call(&self, method: &str, params: Value) -> Value {
        let answers = self
            .rpc()
            .batch(&[(method, params)])
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        answers
            .into_iter()
            .next()
            .expect("one answer")
            .unwrap_or_else(|e| panic!("{method}: {e:?}"))
    }

    pub(crate) async fn new_address(&self) -> String {
        self.call("getnewaddress", json!([]))
            .await
            .as_str()
            .expect("an address")
            .to_owned()
    }

    pub(crate) async fn mine(&self, blocks: u32) {
        let a = self.new_address().await;
        self.call("generatetoaddress", json!([blocks, a])).await;
    }

    /// `sendtoaddress` with an explicit fee rate (sat/vB) and BIP125 signalling.
    pub(crate) async fn send(&self, to: &str, amount: f64, fee_rate: u32, rbf: bool) -> String {
        self.call(
            "sendtoaddress",
            json!([
                to, amount, "", "", false, rbf, null, "unset", null, fee_rate
            ]),
        )
        .await
        .as_str()
        .expect("a txid")
        .to_owned()
    }
}
