//! A stand-in EVM node (named as such: a loopback server answering JSON-RPC batches by method,
//! in the documented shapes) that offers no `txpool_content` and refuses the history's
//! `eth_getLogs` range and full blocks, as many public providers do. The address diagnosis
//! still answers, and says what cannot be known instead of guessing.

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
        c.counters().1,
        4,
        "the same four requests, whatever they answered"
    );
}
