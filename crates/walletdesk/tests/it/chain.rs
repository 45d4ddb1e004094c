//! `walletdesk chain tx|address` (issue 12): exit 0 when the lookup worked, 1 when no endpoint
//! answered, 2 for bad input; a pasted secret is refused before any request. The lookups that
//! work run against a real anvil (installed by scripts/test; see
//! crates/chain-client/tests/it/anvil.rs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};

fn chain(config: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .arg("chain")
        .args(args)
        .arg("--config")
        .arg(config)
        .output()
        .unwrap()
}

fn config_for(url: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        f.path(),
        format!(
            "[chain.local]\nkind = \"evm\"\nurl = \"{url}\"\nchain_id = 31337\ntimeout_ms = 3000\n"
        ),
    )
    .unwrap();
    f
}

const HASH: &str = "0xabababababababababababababababababababababababababababababababab";

#[test]
fn bad_input_and_secrets_exit_2_and_nothing_is_looked_up() {
    // A port nothing listens on: any request would fail with exit 1, not 2.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = config_for(&format!("http://127.0.0.1:{port}"));
    for args in [
        vec!["tx", "0x1234"],
        vec!["tx", "hello"],
        vec!["address", HASH],
        vec!["tx", HASH, "--chain", "polygon"],
        // A WIF private key pasted instead of a hash.
        vec!["tx", "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"],
        vec![
            "tx",
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        ],
    ] {
        let o = chain(cfg.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {o:?}");
        assert!(o.stdout.is_empty());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains("abandon") && !err.contains("5HueCGU8"),
            "{err}"
        );
    }
}

#[test]
fn no_endpoint_answering_or_none_configured_exits_1() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = config_for(&format!("http://127.0.0.1:{port}"));
    let o = chain(cfg.path(), &["tx", HASH, "--json"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("couldn't check"));
    let empty = tempfile::NamedTempFile::new().unwrap();
    let o = chain(
        empty.path(),
        &["address", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"],
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}

struct Anvil(Child, String);

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn anvil() -> Option<Anvil> {
    let bin = std::env::var("WALLETDESK_TEST_ANVIL").ok().or_else(|| {
        let p = format!(
            "{}/.cache/walletdesk/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil",
            std::env::var("HOME").ok()?
        );
        std::path::Path::new(&p).exists().then_some(p)
    });
    let Some(bin) = bin else {
        assert_eq!(
            std::env::var("WALLETDESK_SKIP_ANVIL").as_deref(),
            Ok("1"),
            "anvil is not installed: run scripts/test, or set WALLETDESK_SKIP_ANVIL=1"
        );
        return None;
    };
    let mut child = Command::new(bin)
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(a) = line.trim().strip_prefix("Listening on ") {
            break a.to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Some(Anvil(child, addr))
}

/// One JSON-RPC call over a plain HTTP/1.0 request.
fn rpc(addr: &str, body: &str) -> serde_json::Value {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST / HTTP/1.0\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let json = &resp[resp.find("\r\n\r\n").unwrap() + 4..];
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_confirmed_transfer_on_anvil_exits_0_with_the_api_json_in_chinese() {
    let Some(node) = anvil() else { return };
    let sent = rpc(
        &node.1,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendTransaction","params":[{"from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","value":"0x1"}]}"#,
    );
    let hash = sent["result"].as_str().unwrap().to_owned();
    let mined = r#"{"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["0x1"]}"#;
    rpc(&node.1, mined);
    let cfg = config_for(&format!("http://{}", node.1));
    let o = chain(cfg.path(), &["tx", &hash, "--json", "--lang", "zh-CN"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["chain"], "local");
    assert_eq!(v["found"], true);
    assert_eq!(v["status"], "confirmed");
    assert!(v["confirmations"].as_u64().unwrap() >= 1);
    assert_eq!(v["findings"][0]["code"], "confirmed");
    assert!(
        v["findings"][0]["sentence"]
            .as_str()
            .unwrap()
            .contains("已在区块")
    );
    // Not found is a lookup that worked: exit 0.
    let o = chain(cfg.path(), &["tx", HASH]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("local: not found"));
    let o = chain(
        cfg.path(),
        &["address", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"],
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("local: 10000"));
}
