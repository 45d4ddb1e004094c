//! A Bitcoin Core node's JSON-RPC (`kind = "bitcoin_core"`), also any fork with the same RPC
//! (Litecoin Core: the tests run against `litecoind -regtest`, since Debian ships no bitcoind).
//!
//! Credentials come from the URL (`http://user:password@127.0.0.1:8332`) and are sent as basic
//! auth. Every request is a JSON-RPC batch, so one diagnosis costs few round trips:
//!
//! - a transaction: `getrawtransaction` (verbose; a confirmed transaction needs the node to run
//!   with `-txindex`), `getmempoolentry` (fee and vsize while pending) and `getblockcount` in
//!   one batch; when pending, `estimatesmartfee` (2, 6 and 144 blocks), `getmempoolinfo`
//!   (`fullrbf`) and `gettxout` per output (is it still unspent: a CPFP candidate) in a second;
//!   when the node does not know the id, `gettransaction` in a third — a wallet call, which
//!   tells a transaction the node's wallet saw replaced (`replaced_by_txid`, `walletconflicts`)
//!   or dropped from one it never saw.
//! - an address: `scantxoutset` (the confirmed balance, from the UTXO set: works without a
//!   wallet, but scans the whole set, which takes minutes on mainnet), `getblockcount`, and
//!   `listunspent` (a wallet call: pending incoming coins, only for addresses the node's wallet
//!   watches). Core keeps no address index: recent transactions and "funds moved out" are not
//!   available from it (Esplora has them).

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use chain::bitcoin::{AddressFacts, FeeEstimates, Input, Output, Tx, TxFacts, TxLookup};
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};
use serde_json::{Value, json};

use crate::json_rpc;
use crate::utxo_endpoint::{AddressInput, UtxoEndpoint};
use crate::{Client, LookupError};

/// At most this many outputs are checked for CPFP (`gettxout` each).
const MAX_OUTPUTS_CHECKED: usize = 16;

/// `RPC_INVALID_ADDRESS_OR_KEY`: no such transaction (or not the wallet's).
const RPC_NOT_FOUND: i64 = -5;

#[derive(Debug)]
pub struct BitcoinCore {
    ep: UtxoEndpoint,
    rpc_calls: AtomicU64,
}

pub use crate::json_rpc::RpcError;

impl BitcoinCore {
    /// A client for one `[chain.<name>]` of kind `bitcoin_core`.
    ///
    /// # Errors
    /// The URL is not http(s) or the `network` is unknown.
    pub fn new(config: ChainConfig) -> Result<BitcoinCore, LookupError> {
        Ok(BitcoinCore {
            ep: UtxoEndpoint::new(config)?,
            rpc_calls: AtomicU64::new(0),
        })
    }

    /// Lowers the cap on an answer's size (tests; the default is
    /// [`crate::guarded_http::MAX_RESPONSE_BYTES`]).
    #[must_use]
    pub fn with_max_response_bytes(mut self, max: usize) -> BitcoinCore {
        self.ep.http.set_max_bytes(max);
        self
    }

    /// RPC calls made so far (each call of a batch counts).
    pub fn rpc_calls(&self) -> u64 {
        self.rpc_calls.load(Ordering::Relaxed)
    }

    /// HTTP requests made so far (a batch is one).
    pub fn http_requests(&self) -> u64 {
        self.ep.http.requests()
    }

    /// Calls `calls` in one JSON-RPC batch; each call's own result or error, in order.
    ///
    /// # Errors
    /// The node did not answer, refused the credentials, or answered something else than a
    /// JSON-RPC batch answer.
    pub async fn batch(
        &self,
        calls: &[(&str, Value)],
    ) -> Result<Vec<Result<Value, RpcError>>, LookupError> {
        self.rpc_calls
            .fetch_add(calls.len() as u64, Ordering::Relaxed);
        json_rpc::batch(&self.ep.http, "1.0", calls).await
    }

    async fn lookup_tx(&self, txid: &str) -> Result<TxFacts, LookupError> {
        let first = self
            .batch(&[
                ("getrawtransaction", json!([txid, true])),
                ("getmempoolentry", json!([txid])),
                ("getblockcount", json!([])),
            ])
            .await?;
        let mut it = first.into_iter();
        let (raw, entry, count) = (it.next(), it.next(), it.next());
        let tip = match count {
            Some(Ok(v)) => Some(v.as_u64().ok_or_else(|| bad("getblockcount"))?),
            _ => None,
        };
        let mut facts = TxFacts {
            txid: txid.to_owned(),
            lookup: TxLookup::NotFound,
            tip_height: tip,
            fees: FeeEstimates::default(),
            full_rbf: false,
        };
        match raw {
            Some(Ok(raw)) => {
                let entry = entry.and_then(Result::ok);
                let mut tx = parse_raw_tx(&raw, entry.as_ref(), tip)?;
                if tx.block_height.is_none() {
                    self.pending_details(&mut tx, &mut facts).await?;
                }
                facts.lookup = TxLookup::Found(tx);
            }
            Some(Err(e)) if e.code == RPC_NOT_FOUND => {
                facts.lookup = self.wallet_lookup(txid).await?;
                // Without a transaction index the node cannot tell "never existed" from
                // "confirmed long ago": that is "couldn't check", not "not found".
                if facts.lookup == TxLookup::NotFound && e.message.contains("txindex") {
                    return Err(LookupError::BadAnswer(
                        "the node runs without -txindex: only mempool and wallet transactions can be looked up".into(),
                    ));
                }
            }
            Some(Err(e)) => {
                return Err(LookupError::BadAnswer(format!(
                    "getrawtransaction: {} ({})",
                    e.message, e.code
                )));
            }
            None => return Err(bad("getrawtransaction")),
        }
        Ok(facts)
    }

    /// Fee estimates, full-RBF, and which outputs are still unspent.
    async fn pending_details(&self, tx: &mut Tx, facts: &mut TxFacts) -> Result<(), LookupError> {
        let mut calls = vec![
            ("estimatesmartfee", json!([2])),
            ("estimatesmartfee", json!([6])),
            ("estimatesmartfee", json!([144])),
            ("getmempoolinfo", json!([])),
        ];
        let checked: Vec<u32> = tx
            .outputs
            .iter()
            .take(MAX_OUTPUTS_CHECKED)
            .map(|o| o.index)
            .collect();
        calls.extend(
            checked
                .iter()
                .map(|n| ("gettxout", json!([tx.txid, n, true]))),
        );
        let answers = self.batch(&calls).await?;
        let estimate = |a: &Result<Value, RpcError>| {
            // BTC per 1000 vB → sat/vB.
            a.as_ref()
                .ok()
                .and_then(|v| v.get("feerate"))
                .and_then(Value::as_f64)
                .map(|btc_kvb| btc_kvb * 100_000.0)
        };
        if answers.len() < 4 {
            return Err(bad("estimatesmartfee"));
        }
        facts.fees = FeeEstimates {
            fast: estimate(&answers[0]),
            medium: estimate(&answers[1]),
            slow: estimate(&answers[2]),
        };
        facts.full_rbf = answers[3]
            .as_ref()
            .ok()
            .and_then(|v| v.get("fullrbf"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        for (n, answer) in checked.iter().zip(answers.get(4..).unwrap_or_default()) {
            if let (Ok(v), Some(o)) = (answer, tx.outputs.iter_mut().find(|o| o.index == *n)) {
                // With include_mempool, null means a mempool transaction spends it.
                o.spent = Some(v.is_null());
            }
        }
        Ok(())
    }

    async fn wallet_lookup(&self, txid: &str) -> Result<TxLookup, LookupError> {
        let answer = self
            .batch(&[("gettransaction", json!([txid]))])
            .await?
            .into_iter()
            .next();
        let Some(Ok(wtx)) = answer else {
            // No wallet, several wallets, not the wallet's, or wallet calls disabled.
            return Ok(TxLookup::NotFound);
        };
        if let Some(by) = wtx.get("replaced_by_txid").and_then(Value::as_str) {
            return Ok(TxLookup::Replaced {
                by: Some(by.to_owned()),
            });
        }
        let conflicts: Vec<String> = wtx
            .get("walletconflicts")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let confirmations = wtx
            .get("confirmations")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if confirmations < 0 || !conflicts.is_empty() {
            return Ok(TxLookup::Replaced {
                by: conflicts.into_iter().next(),
            });
        }
        if confirmations > 0 {
            // Confirmed, but the node runs without -txindex: what the wallet knows.
            return Ok(TxLookup::Found(Tx {
                txid: txid.to_owned(),
                vsize: 0,
                fee_sat: None,
                inputs: Vec::new(),
                outputs: Vec::new(),
                block_height: wtx.get("blockheight").and_then(Value::as_u64).or(Some(0)),
                confirmations: u64::try_from(confirmations).ok(),
            }));
        }
        Ok(TxLookup::Dropped)
    }
}

fn bad(what: &str) -> LookupError {
    LookupError::BadAnswer(format!("{what}: not the documented answer"))
}

/// Coins as the RPC gives them (a JSON number of BTC) → satoshis.
fn to_sat(v: &Value) -> Option<u64> {
    let btc = v.as_f64()?;
    if !(0.0..=21e6 * 4.0).contains(&btc) {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked to be within 0..84e6 coins"
    )]
    Some((btc * 1e8).round() as u64)
}

/// `getrawtransaction … true`, with `getmempoolentry`'s fee and vsize while pending.
fn parse_raw_tx(raw: &Value, entry: Option<&Value>, tip: Option<u64>) -> Result<Tx, LookupError> {
    let txid = raw
        .get("txid")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("getrawtransaction"))?;
    let vsize = raw
        .get("vsize")
        .and_then(Value::as_u64)
        .or_else(|| entry.and_then(|e| e.get("vsize")).and_then(Value::as_u64))
        .ok_or_else(|| bad("getrawtransaction vsize"))?;
    let inputs = raw
        .get("vin")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("getrawtransaction vin"))?
        .iter()
        .map(|i| Input {
            prev_txid: i
                .get("txid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            prev_vout: i
                .get("vout")
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0),
            sequence: i
                .get("sequence")
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(u32::MAX),
            address: None,
            value_sat: None,
        })
        .collect();
    let outputs = raw
        .get("vout")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("getrawtransaction vout"))?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let spk = o.get("scriptPubKey");
            // `address` since Core 22; `addresses` before (Litecoin Core 0.21).
            let address = spk
                .and_then(|s| s.get("address"))
                .and_then(Value::as_str)
                .or_else(|| {
                    spk.and_then(|s| s.get("addresses"))
                        .and_then(|a| a.get(0))
                        .and_then(Value::as_str)
                })
                .map(str::to_owned);
            Ok(Output {
                index: o
                    .get("n")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(u32::try_from(i).unwrap_or(u32::MAX)),
                address,
                value_sat: o
                    .get("value")
                    .and_then(to_sat)
                    .ok_or_else(|| bad("getrawtransaction vout value"))?,
                spent: None,
            })
        })
        .collect::<Result<Vec<_>, LookupError>>()?;
    let confirmations = raw
        .get("confirmations")
        .and_then(Value::as_u64)
        .filter(|c| *c > 0);
    let in_block = raw.get("blockhash").is_some_and(Value::is_string) && confirmations.is_some();
    let block_height = if in_block {
        confirmations.and_then(|c| tip.map(|t| t.saturating_add(1).saturating_sub(c)))
    } else {
        None
    };
    let fee_sat = if in_block {
        None
    } else {
        entry
            .and_then(|e| {
                e.get("fees")
                    .and_then(|f| f.get("base"))
                    .or_else(|| e.get("fee"))
            })
            .and_then(to_sat)
    };
    Ok(Tx {
        txid: txid.to_owned(),
        vsize,
        fee_sat,
        inputs,
        outputs,
        block_height: if in_block {
            block_height.or(Some(0))
        } else {
            None
        },
        confirmations: if in_block { confirmations } else { None },
    })
}

#[async_trait]
impl Client for BitcoinCore {
    fn config(&self) -> &ChainConfig {
        &self.ep.config
    }

    async fn tx(&self, id: &str) -> Result<TxDiagnosis, LookupError> {
        let txid = UtxoEndpoint::txid(id)?;
        let facts = self.lookup_tx(&txid).await?;
        Ok(self.ep.diagnose_tx(&facts))
    }

    async fn address(&self, address: &str) -> Result<AddressDiagnosis, LookupError> {
        let address = match self.ep.address(address)? {
            AddressInput::Lookup(a) => a,
            AddressInput::Answered(d) => return Ok(d),
        };
        let answers = self
            .batch(&[
                (
                    "scantxoutset",
                    json!(["start", [format!("addr({address})")]]),
                ),
                ("listunspent", json!([0, 9_999_999, [address], true])),
            ])
            .await?;
        let scan = match &answers[0] {
            Ok(v) => v,
            Err(e) => {
                return Err(LookupError::BadAnswer(format!(
                    "scantxoutset: {} ({})",
                    e.message, e.code
                )));
            }
        };
        let confirmed_sat = scan
            .get("total_amount")
            .and_then(to_sat)
            .ok_or_else(|| bad("scantxoutset"))?;
        let pending_in_sat = answers[1].as_ref().ok().and_then(Value::as_array).map(|a| {
            a.iter()
                .filter(|u| u.get("confirmations").and_then(Value::as_u64) == Some(0))
                .filter_map(|u| u.get("amount").and_then(to_sat))
                .fold(0u64, u64::saturating_add)
        });
        let facts = AddressFacts {
            address: address.to_owned(),
            confirmed_sat,
            pending_in_sat,
            pending_out_sat: None,
            txs: None,
            tx_count: None,
        };
        Ok(self.ep.diagnose_address(&facts))
    }
}
