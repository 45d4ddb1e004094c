//! The ownership checks against published vectors and vectors made with the wallets' own
//! libraries (`tests/vectors/SOURCES.md`).

mod challenge;
mod generated;
mod shared;

use ownership::{Expect, InputError, Verification};
use serde_json::Value;

pub(crate) fn load(rel: &str) -> Value {
    let path = format!("{}/tests/vectors/{rel}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(crate) fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// `{"valid","method","reason"}` or `{"error": code}`, as the CLI and API print it.
pub(crate) fn outcome(r: &Result<Verification, InputError>) -> Value {
    match r {
        Ok(v) => serde_json::json!({
            "valid": v.valid,
            "method": v.method.as_str(),
            "reason": v.reason.as_str(),
        }),
        Err(e) => serde_json::json!({ "error": e.code() }),
    }
}

pub(crate) fn expect_from(case: &Value) -> Expect {
    Expect {
        now: case["now"].as_str().map(ts),
        domain: case["domain"].as_str().map(str::to_owned),
        nonce: case["nonce"].as_str().map(str::to_owned),
    }
}
