//! Endpoints that misbehave: a stand-in TCP server on loopback that answers garbage, never
//! answers, answers too much, or is not there. Every case is a clear "couldn't check"
//! (`Unreachable` or `BadAnswer`), never a panic and never a lookup that hangs.

use chain::{ChainConfig, ChainKind};
use chain_client::evm::{EvmClient, MAX_RESPONSE};
use chain_client::{Chains, ChainsError, Client, LookupError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Copy)]
enum Behaviour {
    Garbage,
    NotABatch,
    Silent,
    Huge,
    HugeDeclared,
    Http500,
    PartialBatch,
}

/// Serves `behaviour` to every connection; returns the URL.
async fn stand_in(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                // One read is enough for the small requests the client sends.
                let _ = sock.read(&mut buf).await;
                let reply = |body: &str, status: &str| {
                    format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                };
                match behaviour {
                    Behaviour::Garbage => {
                        let _ = sock
                            .write_all(reply("<html>hello</html>", "200 OK").as_bytes())
                            .await;
                    }
                    Behaviour::NotABatch => {
                        let body = r#"{"jsonrpc":"2.0","id":0,"result":"0x1"}"#;
                        let _ = sock.write_all(reply(body, "200 OK").as_bytes()).await;
                    }
                    Behaviour::PartialBatch => {
                        let body = r#"[{"jsonrpc":"2.0","id":0,"result":null}]"#;
                        let _ = sock.write_all(reply(body, "200 OK").as_bytes()).await;
                    }
                    Behaviour::Http500 => {
                        let _ = sock
                            .write_all(reply("oops", "500 Internal Server Error").as_bytes())
                            .await;
                    }
                    Behaviour::Silent => {
                        // Holds the connection open and says nothing.
                        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    }
                    Behaviour::Huge => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
                        let _ = sock.write_all(head.as_bytes()).await;
                        let chunk = vec![b' '; 64 * 1024];
                        let mut sent = 0;
                        while sent <= MAX_RESPONSE + chunk.len() {
                            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                            framed.extend_from_slice(&chunk);
                            framed.extend_from_slice(b"\r\n");
                            if sock.write_all(&framed).await.is_err() {
                                return;
                            }
                            sent += chunk.len();
                        }
                    }
                    Behaviour::HugeDeclared => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n[",
                            MAX_RESPONSE * 4
                        );
                        let _ = sock.write_all(head.as_bytes()).await;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn config(url: String, timeout_ms: u64) -> ChainConfig {
    ChainConfig {
        name: "standin".to_owned(),
        kind: ChainKind::Evm,
        url,
        chain_id: Some(1),
        explorer_tx: None,
        explorer_address: None,
        tokens: vec![],
        timeout_ms,
        concurrency: 2,
        network: None,
    }
}

const HASH: &str = "0xabababababababababababababababababababababababababababababababab";
const ADDR: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

async fn both(url: String, timeout_ms: u64) -> (LookupError, LookupError) {
    let c = EvmClient::new(config(url, timeout_ms), Vec::new()).expect("client");
    let t = c.tx(HASH).await.expect_err("no diagnosis");
    let a = c.address(ADDR).await.expect_err("no diagnosis");
    (t, a)
}

#[tokio::test]
async fn stand_in_answering_garbage_is_a_bad_answer() {
    for b in [
        Behaviour::Garbage,
        Behaviour::NotABatch,
        Behaviour::PartialBatch,
        Behaviour::Http500,
    ] {
        let (t, a) = both(stand_in(b).await, 5_000).await;
        assert!(matches!(t, LookupError::BadAnswer(_)), "{t:?}");
        assert!(matches!(a, LookupError::BadAnswer(_)), "{a:?}");
    }
}

#[tokio::test]
async fn stand_in_that_never_answers_times_out_as_unreachable() {
    let (t, a) = both(stand_in(Behaviour::Silent).await, 300).await;
    assert!(matches!(t, LookupError::Unreachable(_)), "{t:?}");
    assert!(matches!(a, LookupError::Unreachable(_)), "{a:?}");
}

#[tokio::test]
async fn stand_in_answering_more_than_the_cap_is_refused() {
    for b in [Behaviour::Huge, Behaviour::HugeDeclared] {
        let (t, _) = both(stand_in(b).await, 20_000).await;
        match t {
            LookupError::BadAnswer(why) => assert!(why.contains("larger than"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_closed_port_is_unreachable_and_the_registry_says_no_endpoint_answered() {
    // Bind then drop: nothing listens there any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let (t, _) = both(url.clone(), 2_000).await;
    assert!(matches!(t, LookupError::Unreachable(_)), "{t:?}");
    let (chains, _) = Chains::from_config(&[config(url, 2_000)]);
    assert!(matches!(
        chains.tx(HASH, None, false).await,
        Err(ChainsError::Unreachable(_))
    ));
    assert!(matches!(
        chains.address(ADDR, Some("standin"), false).await,
        Err(ChainsError::Unreachable(_))
    ));
}

#[tokio::test]
async fn input_of_the_wrong_shape_is_refused_before_any_request() {
    let c =
        EvmClient::new(config("http://127.0.0.1:9".to_owned(), 100), Vec::new()).expect("client");
    for bad in [
        "",
        "0x12",
        "hello",
        &HASH[2..],
        "0xzzabababababababababababababababababababababababababababababab",
    ] {
        assert!(
            matches!(c.tx(bad).await, Err(LookupError::BadInput { .. })),
            "{bad}"
        );
    }
    assert!(matches!(
        c.address(HASH).await,
        Err(LookupError::BadInput { .. })
    ));
    assert_eq!(c.counters(), (0, 0), "nothing was sent");
}
