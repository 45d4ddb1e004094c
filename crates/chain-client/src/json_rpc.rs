//! JSON-RPC batches over [`GuardedHttp`], for the nodes that take them the same way: Bitcoin
//! Core (`"jsonrpc": "1.0"`) and Solana (`"2.0"`). One HTTP request per batch; each call's own
//! result or error, in the order of the calls. (The EVM client has its own: it bounds the whole
//! batch, waiting for a slot included, by the endpoint's timeout.)

use serde_json::{Value, json};

use crate::LookupError;
use crate::guarded_http::GuardedHttp;

/// One call's error, as the node reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
}

/// Calls `calls` in one batch.
///
/// # Errors
/// The node did not answer, refused the credentials, or answered something else than a
/// JSON-RPC batch answer.
pub(crate) async fn batch(
    http: &GuardedHttp,
    version: &str,
    calls: &[(&str, Value)],
) -> Result<Vec<Result<Value, RpcError>>, LookupError> {
    let body: Vec<Value> = calls
            .iter()
            .enumerate()
            .map(|(id, (method, params))| {
                json!({"jsonrpc": version, "id": id, "method": method, "params": params})
            })
            .collect();
    let answer = http.post_json("/", &Value::Array(body)).await?;
    match answer.status {
        401 | 403 => {
            return Err(LookupError::Unreachable(
                "the node refused the RPC credentials".into(),
            ));
        }
        // A batch answers 200 even when calls fail; anything else is not a node's answer.
        200 => {}
        s => {
            return Err(LookupError::BadAnswer(format!(
                "HTTP {s} from the node: {}",
                answer.text()
            )));
        }
    }
    let Value::Array(items) = answer.json()? else {
        return Err(LookupError::BadAnswer("not a JSON-RPC batch answer".into()));
    };
    let mut out: Vec<Option<Result<Value, RpcError>>> = vec![None; calls.len()];
    for item in items {
        let id = item
            .get("id")
            .and_then(Value::as_u64)
            .and_then(|i| usize::try_from(i).ok())
            .filter(|i| *i < calls.len());
        let Some(id) = id else {
            return Err(LookupError::BadAnswer(
                "a JSON-RPC answer with an unknown id".into(),
            ));
        };
        let result = match item.get("error") {
            Some(e) if !e.is_null() => Err(RpcError {
                code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
                message: e
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .chars()
                    .take(200)
                    .collect(),
            }),
            _ => Ok(item.get("result").cloned().unwrap_or(Value::Null)),
        };
        out[id] = Some(result);
    }
    out.into_iter()
        .map(|r| r.ok_or_else(|| LookupError::BadAnswer("a JSON-RPC call went unanswered".into())))
        .collect()
}
