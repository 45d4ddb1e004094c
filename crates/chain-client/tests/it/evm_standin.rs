//! A stand-in EVM node (named as such: a loopback server answering JSON-RPC batches by method,
//! in the documented shapes) that offers no `txpool_content` and no `trace_filter` and refuses
//! the history's `eth_getLogs` range and full blocks, as many public providers do. The address
//! diagnosis still answers, and says what cannot be known instead of guessing. A second one
//! refuses, with an HTTP error, any batch that holds `trace_filter` (as some gateways refuse a
//! method they do not serve), and serves one token transfer out: the logs are still read.

use chain::{ChainConfig, ChainKind, FindingCode};
use chain_client::Client;
use chain_client::evm::EvmClient;
use serde_json::{Value, json};

use crate::standin::{Reply, StandIn};

const ADDRESS: &str = "0x00000000000000000000000000000000000a11ce";

fn answer(call: &Value) -> Value {
    let id = call["id"].clone();
    let ok = |result: Value| json!({"jsonrpc": "2.0", "id": id, "result": result});
    let err = |code: i64, message: &str| json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    match (call["method"].as_str().unwrap_or(""), &call["params"]) {
        ("eth_getBalance", _) => ok(json!("0x0")),
        ("eth_getCode", _) => ok(json!("0x")),
        ("eth_getTransactionCount", _) => ok(json!("0x2")),
        ("eth_maxPriorityFeePerGas", _) => ok(json!("0x3b9aca00")),
        ("eth_chainId", _) => ok(json!("0x1")),
        ("eth_getBlockByNumber", p) if p[0] == "latest" => ok(
            json!({"number": "0x1312d00", "baseFeePerGas": "0x3b9aca00", "timestamp": "0x6553f100"}),
        ),
        ("eth_getBlockByNumber", _) => err(-32005, "full blocks are not served"),
        ("eth_getLogs", _) => err(-32005, "query exceeds max block range 1000"),
        (other, _) => err(
            -32601,
            &format!("the method {other} does not exist/is not available"),
        ),
    }
}

/// Answers each call of a JSON-RPC batch with `answer`.
pub(crate) fn batch_reply(body: &str, answer: impl Fn(&Value) -> Value) -> Reply {
    let calls: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let out: Vec<Value> = calls.as_array().into_iter().flatten().map(answer).collect();
    Reply::json(&Value::Array(out).to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standin_a_node_without_pool_or_history_still_answers_and_says_what_cannot_be_known() {
    let node = StandIn::start(|_, _, body| batch_reply(body, answer)).await;
    let mut config = ChainConfig::new("ethereum", ChainKind::Evm, node.url.clone());
    config.chain_id = Some(1);
    let c = EvmClient::new(config, Vec::new()).expect("client");
    let d = c
        .address(ADDRESS)
        .await
        .expect("a diagnosis without the history");
    let codes: Vec<FindingCode> = d.findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        vec![
            FindingCode::ZeroBalance,
            FindingCode::PendingIncomingUnknown,
            FindingCode::FundsMovedOut
        ],
        "{:?}",
        d.findings
    );
    let moved = &d.findings[2];
    assert_eq!(moved.form.as_deref(), Some("count"));
    assert_eq!(moved.values["count"], "2");
    assert!(d.found, "it has sent transactions");
    assert_eq!(
        c.counters(),
        (7 + 1 + 4 + 8, 4),
        "the same four requests, whatever they answered"
    );
    // The node said it has no `trace_filter` (-32601): the next lookup does not ask it again,
    // and says the same.
    let again = c.address(ADDRESS).await.expect("a diagnosis");
    assert_eq!(again.findings, d.findings);
    assert_eq!(c.counters(), (20 + 6 + 1 + 2 + 8, 8));
    let traced = node
        .requests()
        .iter()
        .filter(|(_, _, body)| body.contains("trace_filter"))
        .count();
    assert_eq!(traced, 1, "asked once, in the first lookup's logs request");
}

const THIEF: &str = "0x000000000000000000000000000000000000dead";
const TOKEN: &str = "0xdac17f958d2ee523a2206206994597c13d831ec7";

/// One USDT transfer of 250 from ADDRESS to THIEF at block 0x1312c00, time in the log.
fn answer_with_a_token_transfer(call: &Value) -> Value {
    let id = call["id"].clone();
    let ok = |result: Value| json!({"jsonrpc": "2.0", "id": id, "result": result});
    let word = |a: &str| format!("0x{:0>64}", &a[2..]);
    match (call["method"].as_str().unwrap_or(""), &call["params"]) {
        ("eth_getLogs", p) if p[0]["topics"][1] == word(ADDRESS) => ok(json!([{
            "address": TOKEN,
            "topics": [chain::evm::TRANSFER_TOPIC, word(ADDRESS), word(THIEF)],
            "data": format!("0x{:064x}", 250_000_000u64),
            "blockNumber": "0x1312c00",
            "blockTimestamp": "0x6553e000",
            "transactionHash": format!("0x{}", "ab".repeat(32)),
        }])),
        ("eth_getLogs", _) => ok(json!([])),
        _ => answer(call),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standin_a_gateway_refusing_batches_with_trace_filter_still_gives_the_token_history() {
    let node = StandIn::start(|_, _, body| {
        if body.contains("trace_filter") {
            Reply::status(400, r#"{"error":"method not allowed: trace_filter"}"#)
        } else {
            batch_reply(body, answer_with_a_token_transfer)
        }
    })
    .await;
    let mut config = ChainConfig::new("ethereum", ChainKind::Evm, node.url.clone());
    config.chain_id = Some(1);
    config.tokens = vec![chain::TokenConfig {
        symbol: "USDT".to_owned(),
        contract: TOKEN.to_owned(),
        decimals: 6,
    }];
    let c = EvmClient::new(config, Vec::new()).expect("client");
    for lookup in 0..2 {
        let d = c.address(ADDRESS).await.expect("a diagnosis");
        let moved: Vec<_> = d
            .findings
            .iter()
            .filter(|f| f.code == FindingCode::FundsMovedOut)
            .collect();
        assert_eq!(moved.len(), 1, "{:?}", d.findings);
        assert_eq!(moved[0].form, None, "lookup {lookup}: {:?}", d.findings);
        assert_eq!(moved[0].values["amount"], "250 USDT");
        assert_eq!(moved[0].values["to"], THIEF);
        assert_eq!(moved[0].values["when"], "2023-11-14 21:00 UTC");
    }
    // First lookup: the refused batch, then the logs alone (one round trip more, once);
    // second lookup: the usual four requests, no `trace_filter`.
    assert_eq!(c.counters().1, 5 + 4);
    let bodies: Vec<String> = node.requests().into_iter().map(|(_, _, b)| b).collect();
    assert_eq!(
        bodies.iter().filter(|b| b.contains("trace_filter")).count(),
        1
    );
}
