//! The Bitcoin Core client against a stand-in for what a real node (core_litecoind.rs) does not
//! do on demand: garbage, answers that are not a JSON-RPC batch, slow and huge answers.

use std::time::Duration;

use chain::ChainKind;
use chain_client::bitcoin_core::BitcoinCore;
use chain_client::{Client, LookupError};

use crate::config;
use crate::standin::{Reply, StandIn};

const TXID: &str = "c1a9a5dfd3b9cf2bb4bb0a73ee7f1f0a0e6e96e9e2b2b8bd9b05f3e6b0f3b6a1";

async fn core_with(reply: Reply, timeout_ms: u64) -> (StandIn, BitcoinCore) {
    let s = StandIn::start(move |_, _, _| reply.clone()).await;
    let mut c = config(
        ChainKind::BitcoinCore,
        &s.url.replace("http://", "http://u:p%40ss@"),
    );
    c.timeout_ms = timeout_ms;
    (s, BitcoinCore::new(c).expect("a client"))
}

#[tokio::test]
async fn core_standin_garbage_and_non_batch_answers_are_bad_answers() {
    for reply in [
        Reply::json("not json at all"),
        // A single answer where a batch was sent.
        Reply::json("{\"result\": null, \"error\": null, \"id\": 0}"),
        // Answers to ids that were never asked.
        Reply::json("[{\"result\": 1, \"error\": null, \"id\": 99}]"),
        // Fewer answers than calls.
        Reply::json("[{\"result\": 1, \"error\": null, \"id\": 0}]"),
        // A result of the wrong shape.
        Reply::json(
            "[{\"result\": {\"txid\": 5}, \"error\": null, \"id\": 0}, {\"result\": null, \"error\": null, \"id\": 1}, {\"result\": \"tall\", \"error\": null, \"id\": 2}]",
        ),
        Reply::status(500, "<html>Internal Server Error</html>"),
    ] {
        let (_s, c) = core_with(reply.clone(), 5_000).await;
        match c.tx(TXID).await {
            Err(LookupError::BadAnswer(_)) => {}
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(&reply.body)),
        }
    }
}

#[tokio::test]
async fn core_standin_sends_basic_auth_from_the_url_and_never_the_url_in_errors() {
    let (s, c) = core_with(Reply::status(401, ""), 5_000).await;
    let e = c.tx(TXID).await.expect_err("refused");
    assert!(matches!(e, LookupError::Unreachable(_)), "{e:?}");
    assert!(!e.to_string().contains("p@ss"), "{e}");
    let requests = s.requests();
    assert_eq!(requests[0].0, "POST");
    let calls: serde_json::Value = serde_json::from_str(&requests[0].2).expect("JSON");
    // One batch: getrawtransaction, getmempoolentry, getblockcount.
    let methods: Vec<_> = calls
        .as_array()
        .expect("a batch")
        .iter()
        .map(|c| c["method"].as_str().expect("a method").to_owned())
        .collect();
    assert_eq!(
        methods,
        ["getrawtransaction", "getmempoolentry", "getblockcount"]
    );
}

#[tokio::test]
async fn core_standin_slow_and_huge_answers() {
    let slow = Reply {
        delay: Some(Duration::from_secs(30)),
        ..Reply::json("[]")
    };
    let (_s, c) = core_with(slow, 200).await;
    match c.tx(TXID).await {
        Err(LookupError::Unreachable(m)) => assert!(m.contains("timed out"), "{m}"),
        other => panic!("{other:?}"),
    }
    let huge = Reply::json(&format!("[{}0]", "0,".repeat(100_000)));
    let (_s, c) = core_with(huge, 5_000).await;
    let c = c.with_max_response_bytes(16 * 1024);
    match c.tx(TXID).await {
        Err(LookupError::BadAnswer(m)) => assert!(m.contains("larger"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn core_standin_a_node_without_txindex_cannot_say_not_found() {
    // Bitcoin Core's answers when -txindex is off and no wallet is loaded.
    let reply = Reply::json(
        "[{\"result\": null, \"error\": {\"code\": -5, \"message\": \"No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.\"}, \"id\": 0}, {\"result\": null, \"error\": {\"code\": -5, \"message\": \"Transaction not in mempool\"}, \"id\": 1}, {\"result\": 800000, \"error\": null, \"id\": 2}]",
    );
    let s = StandIn::start(move |_, _, body| {
        if body.contains("gettransaction\"") {
            Reply::json(
                "[{\"result\": null, \"error\": {\"code\": -18, \"message\": \"No wallet is loaded.\"}, \"id\": 0}]",
            )
        } else {
            reply.clone()
        }
    })
    .await;
    let c = BitcoinCore::new(config(ChainKind::BitcoinCore, &s.url)).expect("a client");
    match c.tx(TXID).await {
        Err(LookupError::BadAnswer(m)) => assert!(m.contains("-txindex"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.requests().len(), 2);
}
