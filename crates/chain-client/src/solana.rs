//! Solana JSON-RPC (`kind = "solana"`), over [`GuardedHttp`] and [`json_rpc::batch`]:
//!
//! - a signature: `getSignatureStatuses` (with `searchTransactionHistory`, so an old one is
//!   found too) and `getTransaction` (its fee and block time) in one batch.
//! - an address: `getBalance`, `getAccountInfo` (owner, executable; no data) and
//!   `getMinimumBalanceForRentExemption(0)` in one batch — the rent the account must keep.
//!
//! One HTTP request per diagnosis. The tests use a stand-in serving the documented answers
//! (`tests/fixtures/solana/`): no Solana validator runs here.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use chain::solana::{self, AddressFacts, SignatureStatus, TxFacts, TxMeta};
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};
use serde_json::{Value, json};

use crate::guarded_http::GuardedHttp;
use crate::json_rpc;
use crate::{Client, LookupError};

#[derive(Debug)]
pub struct Solana {
    config: ChainConfig,
    http: GuardedHttp,
    rpc_calls: AtomicU64,
}

fn bad(what: &str) -> LookupError {
    LookupError::BadAnswer(format!("{what}: not the documented answer"))
}

impl Solana {
    /// A client for one `[chain.<name>]` of kind `solana`.
    ///
    /// # Errors
    /// The URL is not http(s).
    pub fn new(config: ChainConfig) -> Result<Solana, LookupError> {
        let http = GuardedHttp::new(&config)?;
        Ok(Solana {
            config,
            http,
            rpc_calls: AtomicU64::new(0),
        })
    }

    /// (JSON-RPC calls, HTTP requests) made so far.
    #[must_use]
    pub fn counters(&self) -> (u64, u64) {
        (self.rpc_calls.load(Ordering::Relaxed), self.http.requests())
    }

    async fn batch(
        &self,
        calls: &[(&str, Value)],
    ) -> Result<Vec<Result<Value, json_rpc::RpcError>>, LookupError> {
        self.rpc_calls
            .fetch_add(calls.len() as u64, Ordering::Relaxed);
        json_rpc::batch(&self.http, "2.0", calls).await
    }
}

/// A call's `result.value` (Solana wraps answers in `{context, value}`).
fn value<'a>(
    answer: &'a Result<Value, json_rpc::RpcError>,
    what: &str,
) -> Result<&'a Value, LookupError> {
    match answer {
        Ok(v) => v.get("value").ok_or_else(|| bad(what)),
        Err(e) => Err(LookupError::BadAnswer(format!(
            "{what}: {} ({})",
            e.message, e.code
        ))),
    }
}

fn status(v: &Value) -> Result<Option<SignatureStatus>, LookupError> {
    if v.is_null() {
        return Ok(None);
    }
    let err = match v.get("err") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    Ok(Some(SignatureStatus {
        slot: v
            .get("slot")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("getSignatureStatuses"))?,
        confirmations: v.get("confirmations").and_then(Value::as_u64),
        confirmation_status: v
            .get("confirmationStatus")
            .and_then(Value::as_str)
            .unwrap_or("processed")
            .to_owned(),
        err,
    }))
}

#[async_trait]
impl Client for Solana {
    fn config(&self) -> &ChainConfig {
        &self.config
    }

    async fn tx(&self, id: &str) -> Result<TxDiagnosis, LookupError> {
        let sig = id.trim();
        if !solana::is_signature(sig) {
            return Err(LookupError::BadInput {
                what: "transaction signature",
            });
        }
        let a = self
            .batch(&[
                (
                    "getSignatureStatuses",
                    json!([[sig], {"searchTransactionHistory": true}]),
                ),
                (
                    "getTransaction",
                    json!([sig, {"encoding": "json", "maxSupportedTransactionVersion": 0}]),
                ),
            ])
            .await?;
        let statuses = value(&a[0], "getSignatureStatuses")?
            .as_array()
            .ok_or_else(|| bad("getSignatureStatuses"))?;
        let status = status(statuses.first().unwrap_or(&Value::Null))?;
        // getTransaction answers `null` until the transaction is confirmed; its fee is a bonus.
        let meta = a[1].as_ref().ok().and_then(|t| {
            Some(TxMeta {
                fee_lamports: t.get("meta")?.get("fee")?.as_u64()?,
                block_time: t.get("blockTime").and_then(Value::as_u64),
            })
        });
        Ok(solana::diagnose_tx(
            &self.config,
            &TxFacts {
                signature: sig.to_owned(),
                status,
                meta,
            },
        ))
    }

    async fn address(&self, address: &str) -> Result<AddressDiagnosis, LookupError> {
        let address = address.trim();
        if !solana::is_address(address) {
            return Err(LookupError::BadInput { what: "address" });
        }
        let a = self
            .batch(&[
                ("getBalance", json!([address])),
                (
                    "getAccountInfo",
                    json!([address, {"encoding": "base64", "dataSlice": {"offset": 0, "length": 0}}]),
                ),
                ("getMinimumBalanceForRentExemption", json!([0])),
            ])
            .await?;
        let lamports = value(&a[0], "getBalance")?
            .as_u64()
            .ok_or_else(|| bad("getBalance"))?;
        let info = value(&a[1], "getAccountInfo")?;
        let rent_exempt_min = a[2]
            .as_ref()
            .ok()
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("getMinimumBalanceForRentExemption"))?;
        let facts = AddressFacts {
            address: address.to_owned(),
            lamports,
            exists: !info.is_null(),
            executable: info
                .get("executable")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            owner: info.get("owner").and_then(Value::as_str).map(str::to_owned),
            rent_exempt_min,
        };
        Ok(solana::diagnose_address(&self.config, &facts))
    }
}
