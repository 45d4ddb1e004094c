//! Esplora's REST API (`kind = "esplora"`): Blockstream's esplora and mempool.space, which
//! serves the same paths under `https://mempool.space/api`.
//!
//! - a transaction: `GET /tx/:txid` (inputs with their prevouts, fee, weight, status); when
//!   confirmed, `GET /blocks/tip/height`; when pending, `GET /tx/:txid/outspends` (CPFP
//!   candidates) and `GET /fee-estimates`, in parallel. Esplora does not say which
//!   transaction replaced another: a replaced one is "not found".
//! - an address: `GET /address/:address` (confirmed and mempool sums) and
//!   `GET /address/:address/txs` (the newest transactions), in parallel.

use async_trait::async_trait;
use chain::bitcoin::{AddressFacts, AddressTx, FeeEstimates, Input, Output, Tx, TxFacts, TxLookup};
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};
use serde_json::Value;

use crate::guarded_http::Answer;
use crate::utxo_endpoint::{AddressInput, UtxoEndpoint};
use crate::{Client, LookupError};

#[derive(Debug)]
pub struct Esplora {
    ep: UtxoEndpoint,
}

fn bad(what: &str) -> LookupError {
    LookupError::BadAnswer(format!("{what}: not the documented answer"))
}

fn ok_json(answer: &Answer, what: &str) -> Result<Value, LookupError> {
    answer.ok_json(what)
}

fn u(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

impl Esplora {
    /// A client for one `[chain.<name>]` of kind `esplora`.
    ///
    /// # Errors
    /// The URL is not http(s) or the `network` is unknown.
    pub fn new(config: ChainConfig) -> Result<Esplora, LookupError> {
        Ok(Esplora {
            ep: UtxoEndpoint::new(config)?,
        })
    }

    /// Lowers the cap on an answer's size (tests).
    #[must_use]
    pub fn with_max_response_bytes(mut self, max: usize) -> Esplora {
        self.ep.http.set_max_bytes(max);
        self
    }

    /// HTTP requests made so far (each is one API call).
    pub fn http_requests(&self) -> u64 {
        self.ep.http.requests()
    }

    async fn tip_height(&self) -> Result<u64, LookupError> {
        let a = self.ep.http.get("/blocks/tip/height").await?;
        if a.status != 200 {
            return Err(bad("/blocks/tip/height"));
        }
        a.text().parse().map_err(|_| bad("/blocks/tip/height"))
    }

    async fn fee_estimates(&self) -> Result<FeeEstimates, LookupError> {
        let v = ok_json(&self.ep.http.get("/fee-estimates").await?, "/fee-estimates")?;
        let Value::Object(map) = v else {
            return Err(bad("/fee-estimates"));
        };
        let at = |target: &str| map.get(target).and_then(Value::as_f64);
        Ok(FeeEstimates {
            fast: at("1").or_else(|| at("2")),
            medium: at("6"),
            slow: at("144"),
        })
    }

    async fn outspends(&self, txid: &str) -> Result<Vec<bool>, LookupError> {
        let v = ok_json(
            &self.ep.http.get(&format!("/tx/{txid}/outspends")).await?,
            "/tx/:txid/outspends",
        )?;
        v.as_array()
            .ok_or_else(|| bad("/tx/:txid/outspends"))?
            .iter()
            .map(|o| {
                o.get("spent")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| bad("/tx/:txid/outspends"))
            })
            .collect()
    }
}

/// One `/tx/:txid` object.
fn parse_tx(v: &Value) -> Result<Tx, LookupError> {
    let txid = v
        .get("txid")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("/tx/:txid"))?;
    let weight = u(v, "weight").ok_or_else(|| bad("/tx/:txid weight"))?;
    let inputs = v
        .get("vin")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("/tx/:txid vin"))?
        .iter()
        .map(|i| {
            let prevout = i.get("prevout").filter(|p| !p.is_null());
            Input {
                prev_txid: i
                    .get("txid")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                prev_vout: u(i, "vout")
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
                sequence: u(i, "sequence")
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(u32::MAX),
                address: prevout
                    .and_then(|p| p.get("scriptpubkey_address"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                value_sat: prevout.and_then(|p| u(p, "value")),
            }
        })
        .collect();
    let outputs = v
        .get("vout")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("/tx/:txid vout"))?
        .iter()
        .enumerate()
        .map(|(n, o)| {
            Ok(Output {
                index: u32::try_from(n).map_err(|_| bad("/tx/:txid vout"))?,
                address: o
                    .get("scriptpubkey_address")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                value_sat: u(o, "value").ok_or_else(|| bad("/tx/:txid vout value"))?,
                spent: None,
            })
        })
        .collect::<Result<Vec<_>, LookupError>>()?;
    let status = v.get("status");
    let confirmed = status
        .and_then(|s| s.get("confirmed"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(Tx {
        txid: txid.to_owned(),
        vsize: weight.div_ceil(4),
        fee_sat: u(v, "fee"),
        inputs,
        outputs,
        block_height: if confirmed {
            Some(
                status
                    .and_then(|s| u(s, "block_height"))
                    .ok_or_else(|| bad("/tx/:txid status"))?,
            )
        } else {
            None
        },
        confirmations: None,
    })
}

fn address_tx(address: &str, v: &Value) -> Result<AddressTx, LookupError> {
    let tx = parse_tx(v)?;
    let received_sat = tx
        .outputs
        .iter()
        .filter(|o| o.address.as_deref() == Some(address))
        .map(|o| o.value_sat)
        .fold(0u64, u64::saturating_add);
    let sent_sat: u64 = tx
        .inputs
        .iter()
        .filter(|i| i.address.as_deref() == Some(address))
        .filter_map(|i| i.value_sat)
        .fold(0u64, u64::saturating_add);
    let sent_to = if sent_sat > 0 {
        tx.outputs
            .iter()
            .filter_map(|o| o.address.clone())
            .filter(|a| a != address)
            .collect()
    } else {
        Vec::new()
    };
    Ok(AddressTx {
        time: if tx.block_height.is_some() {
            v.get("status").and_then(|s| u(s, "block_time"))
        } else {
            None
        },
        txid: tx.txid,
        height: tx.block_height,
        received_sat,
        sent_sat,
        sent_to,
    })
}

#[async_trait]
impl Client for Esplora {
    fn config(&self) -> &ChainConfig {
        &self.ep.config
    }

    async fn tx(&self, id: &str) -> Result<TxDiagnosis, LookupError> {
        let txid = UtxoEndpoint::txid(id)?;
        let answer = self.ep.http.get(&format!("/tx/{txid}")).await?;
        let mut facts = TxFacts {
            txid: txid.clone(),
            lookup: TxLookup::NotFound,
            tip_height: None,
            fees: FeeEstimates::default(),
            full_rbf: false,
        };
        // Esplora answers 404 "Transaction not found" (and 400 for ids it cannot read).
        if answer.status == 404 {
            return Ok(self.ep.diagnose_tx(&facts));
        }
        let mut tx = parse_tx(&ok_json(&answer, "/tx/:txid")?)?;
        if tx.txid != txid {
            return Err(LookupError::BadAnswer(
                "/tx/:txid answered another transaction".into(),
            ));
        }
        if tx.block_height.is_some() {
            facts.tip_height = Some(self.tip_height().await?);
        } else {
            let (spends, fees) = tokio::join!(self.outspends(&txid), self.fee_estimates());
            // Without these the diagnosis is poorer, not wrong: go on.
            if let Ok(spends) = spends {
                for (o, spent) in tx.outputs.iter_mut().zip(spends) {
                    o.spent = Some(spent);
                }
            }
            facts.fees = fees.unwrap_or_default();
        }
        facts.lookup = TxLookup::Found(tx);
        Ok(self.ep.diagnose_tx(&facts))
    }

    async fn address(&self, address: &str) -> Result<AddressDiagnosis, LookupError> {
        let address = match self.ep.address(address)? {
            AddressInput::Lookup(a) => a,
            AddressInput::Answered(d) => return Ok(d),
        };
        let (stats_path, txs_path) = (
            format!("/address/{address}"),
            format!("/address/{address}/txs"),
        );
        let (stats, txs) = tokio::join!(self.ep.http.get(&stats_path), self.ep.http.get(&txs_path));
        let stats = ok_json(&stats?, "/address/:address")?;
        let txs = ok_json(&txs?, "/address/:address/txs")?;
        let sums = |key: &str| -> Result<(u64, u64, u64), LookupError> {
            let s = stats.get(key).ok_or_else(|| bad("/address/:address"))?;
            Ok((
                u(s, "funded_txo_sum").ok_or_else(|| bad("/address/:address"))?,
                u(s, "spent_txo_sum").ok_or_else(|| bad("/address/:address"))?,
                u(s, "tx_count").unwrap_or(0),
            ))
        };
        let (funded, spent, chain_count) = sums("chain_stats")?;
        let (m_funded, m_spent, m_count) = sums("mempool_stats")?;
        let txs = txs
            .as_array()
            .ok_or_else(|| bad("/address/:address/txs"))?
            .iter()
            .map(|t| address_tx(address, t))
            .collect::<Result<Vec<_>, LookupError>>()?;
        let facts = AddressFacts {
            address: address.to_owned(),
            confirmed_sat: funded.saturating_sub(spent),
            pending_in_sat: Some(m_funded),
            pending_out_sat: Some(m_spent),
            txs: Some(txs),
            tx_count: Some(chain_count.saturating_add(m_count)),
        };
        Ok(self.ep.diagnose_address(&facts))
    }
}
