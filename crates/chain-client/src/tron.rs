//! TRON's HTTP API (`kind = "tron"`): a java-tron full node's `/wallet/*` or TronGrid, which
//! also serves the `/v1/accounts/…` history.
//!
//! - a transaction: `POST /wallet/gettransactionbyid` and `POST /wallet/gettransactioninfobyid`
//!   (the receipt: energy, bandwidth, result, logs) in parallel; once in a block,
//!   `POST /wallet/getblock` (`detail: false`, the head block's header) for confirmations.
//! - an address: `POST /wallet/getaccount`, `POST /wallet/getaccountresource`,
//!   `POST /wallet/getchainparameters` (energy and bandwidth prices) and
//!   `GET /v1/accounts/:address/transactions/trc20` (TronGrid only; without it no history) in
//!   parallel, then `POST /wallet/triggerconstantcontract` (`balanceOf`) per configured token.

use async_trait::async_trait;
use chain::tron::{
    self, DEFAULT_BANDWIDTH_PRICE_SUN, DEFAULT_ENERGY_PRICE_SUN, TRANSFER_TOPIC, Trc20Transfer,
    TronAddressFacts, TronReceipt, TronResources, TronTransferEvent, TronTx, TronTxFacts,
};
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};
use serde_json::{Value, json};

use crate::guarded_http::{Answer, GuardedHttp};
use crate::{Client, LookupError};

#[derive(Debug)]
pub struct Tron {
    config: ChainConfig,
    http: GuardedHttp,
}

fn bad(what: &str) -> LookupError {
    LookupError::BadAnswer(format!("{what}: not the documented answer"))
}

fn ok_json(answer: &Answer, what: &str) -> Result<Value, LookupError> {
    let v = answer.ok_json(what)?;
    if !v.is_object() {
        return Err(bad(what));
    }
    // java-tron reports its own errors as 200 with {"Error": "…"}.
    if let Some(e) = v.get("Error").and_then(Value::as_str) {
        return Err(LookupError::BadAnswer(format!(
            "{what}: {}",
            e.chars().take(200).collect::<String>()
        )));
    }
    Ok(v)
}

fn u(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

fn is_empty_object(v: &Value) -> bool {
    v.as_object().is_some_and(serde_json::Map::is_empty)
}

/// Hex-encoded text (`resMessage`) → printable text.
fn hex_text(hex: &str) -> Option<String> {
    let bytes = wallet::codec::hex_decode(hex)?;
    let text: String = String::from_utf8_lossy(&bytes)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn parse_tx(txid: &str, v: &Value) -> Result<TronTx, LookupError> {
    let raw = v.get("raw_data").ok_or_else(|| bad("gettransactionbyid"))?;
    let contract = raw
        .get("contract")
        .and_then(|c| c.get(0))
        .ok_or_else(|| bad("gettransactionbyid contract"))?;
    let value = contract
        .get("parameter")
        .and_then(|p| p.get("value"))
        .ok_or_else(|| bad("gettransactionbyid parameter"))?;
    let addr = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .and_then(tron::base58)
    };
    let owner = addr("owner_address");
    let contract_address = addr("contract_address");
    let call = match (
        value.get("data").and_then(Value::as_str),
        &contract_address,
        &owner,
    ) {
        (Some(data), Some(token), Some(from)) => {
            tron::decode_transfer_call(data).map(|(to, amount)| Trc20Transfer {
                token: token.clone(),
                from: from.clone(),
                to,
                amount,
            })
        }
        _ => None,
    };
    Ok(TronTx {
        txid: txid.to_owned(),
        contract_type: contract
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        to: addr("to_address"),
        amount_sun: value.get("amount").and_then(Value::as_u64),
        owner,
        contract: contract_address,
        call,
        fee_limit_sun: raw.get("fee_limit").and_then(Value::as_u64),
        result: v
            .get("ret")
            .and_then(|r| r.get(0))
            .and_then(|r| r.get("contractRet"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

fn parse_receipt(v: &Value) -> Result<TronReceipt, LookupError> {
    let block_number = v
        .get("blockNumber")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("gettransactioninfobyid blockNumber"))?;
    let r = v.get("receipt").cloned().unwrap_or(Value::Null);
    let mut transfers = Vec::new();
    for log in v.get("log").and_then(Value::as_array).into_iter().flatten() {
        let topics: Vec<&str> = log
            .get("topics")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if topics.len() != 3 || topics[0] != TRANSFER_TOPIC {
            continue;
        }
        let (Some(token), Some(from), Some(to), Some(amount)) = (
            log.get("address")
                .and_then(Value::as_str)
                .and_then(tron::base58),
            tron::address_from_word(topics[1]),
            tron::address_from_word(topics[2]),
            log.get("data")
                .and_then(Value::as_str)
                .and_then(tron::amount_from_word),
        ) else {
            continue;
        };
        transfers.push(Trc20Transfer {
            token,
            from,
            to,
            amount,
        });
    }
    Ok(TronReceipt {
        block_number,
        block_time_ms: v.get("blockTimeStamp").and_then(Value::as_u64),
        fee_sun: u(v, "fee"),
        energy_usage: u(&r, "energy_usage"),
        energy_fee: u(&r, "energy_fee"),
        origin_energy_usage: u(&r, "origin_energy_usage"),
        energy_usage_total: u(&r, "energy_usage_total"),
        net_usage: u(&r, "net_usage"),
        net_fee: u(&r, "net_fee"),
        result: r.get("result").and_then(Value::as_str).map(str::to_owned),
        message: v
            .get("resMessage")
            .and_then(Value::as_str)
            .and_then(hex_text),
        transfers,
    })
}

impl Tron {
    /// A client for one `[chain.<name>]` of kind `tron`.
    ///
    /// # Errors
    /// The URL is not http(s).
    pub fn new(config: ChainConfig) -> Result<Tron, LookupError> {
        let http = GuardedHttp::new(&config)?;
        Ok(Tron { config, http })
    }

    /// Lowers the cap on an answer's size (tests).
    #[must_use]
    pub fn with_max_response_bytes(mut self, max: usize) -> Tron {
        self.http.set_max_bytes(max);
        self
    }

    /// HTTP requests made so far (each is one API call).
    pub fn http_requests(&self) -> u64 {
        self.http.requests()
    }

    async fn head_block(&self) -> Option<u64> {
        let a = self
            .http
            .post_json("/wallet/getblock", &json!({"detail": false}))
            .await
            .ok()?;
        ok_json(&a, "getblock")
            .ok()?
            .get("block_header")?
            .get("raw_data")?
            .get("number")?
            .as_u64()
    }

    async fn token_balance(&self, owner: &str, token: &str) -> Result<u128, LookupError> {
        let hex = tron::parse_address(owner)
            .map(|a| wallet::codec::hex_encode(&a[1..]))
            .ok_or(LookupError::BadInput { what: "address" })?;
        let a = self
            .http
            .post_json(
                "/wallet/triggerconstantcontract",
                &json!({
                    "owner_address": owner,
                    "contract_address": token,
                    "function_selector": "balanceOf(address)",
                    "parameter": format!("{hex:0>64}"),
                    "visible": true,
                }),
            )
            .await?;
        let v = ok_json(&a, "triggerconstantcontract")?;
        v.get("constant_result")
            .and_then(|r| r.get(0))
            .and_then(Value::as_str)
            .and_then(tron::amount_from_word)
            .ok_or_else(|| bad("triggerconstantcontract"))
    }

    async fn history(&self, address: &str) -> Option<Vec<TronTransferEvent>> {
        let a = self
            .http
            .get(&format!(
                "/v1/accounts/{address}/transactions/trc20?limit=20"
            ))
            .await
            .ok()?;
        if a.status != 200 {
            // A plain full node has no /v1: no history, not an error.
            return None;
        }
        let v = a.json().ok()?;
        let data = v.get("data")?.as_array()?;
        Some(
            data.iter()
                .filter_map(|t| {
                    let info = t.get("token_info")?;
                    Some(TronTransferEvent {
                        txid: t.get("transaction_id")?.as_str()?.to_owned(),
                        token: info.get("address")?.as_str()?.to_owned(),
                        symbol: info.get("symbol")?.as_str()?.to_owned(),
                        decimals: u8::try_from(info.get("decimals")?.as_u64()?).ok()?,
                        from: t.get("from")?.as_str()?.to_owned(),
                        to: t.get("to")?.as_str()?.to_owned(),
                        amount: t.get("value")?.as_str()?.parse().ok()?,
                        time_ms: t.get("block_timestamp").and_then(Value::as_u64),
                    })
                })
                .collect(),
        )
    }
}

#[async_trait]
impl Client for Tron {
    fn config(&self) -> &ChainConfig {
        &self.config
    }

    async fn tx(&self, id: &str) -> Result<TxDiagnosis, LookupError> {
        let txid = tron::parse_txid(id).ok_or(LookupError::BadInput {
            what: "transaction id",
        })?;
        let body = json!({"value": txid});
        let (tx, info) = tokio::join!(
            self.http.post_json("/wallet/gettransactionbyid", &body),
            self.http.post_json("/wallet/gettransactioninfobyid", &body)
        );
        let tx = ok_json(&tx?, "gettransactionbyid")?;
        let info = ok_json(&info?, "gettransactioninfobyid")?;
        let mut facts = TronTxFacts {
            txid: txid.clone(),
            tx: None,
            receipt: None,
            head_block: None,
        };
        // Unknown ids are answered with {}: not found; a known one without info is pending.
        if !is_empty_object(&tx) {
            if tx.get("txID").and_then(Value::as_str) != Some(txid.as_str()) {
                return Err(LookupError::BadAnswer(
                    "gettransactionbyid answered another transaction".into(),
                ));
            }
            facts.tx = Some(parse_tx(&txid, &tx)?);
            if !is_empty_object(&info) {
                facts.receipt = Some(parse_receipt(&info)?);
                facts.head_block = self.head_block().await;
            }
        }
        Ok(tron::diagnose_tx(&self.config, &facts))
    }

    async fn address(&self, address: &str) -> Result<AddressDiagnosis, LookupError> {
        let address = match tron::classify_address(address) {
            tron::AddressInput::Tron(a) => a,
            tron::AddressInput::Evm => {
                return Ok(tron::wrong_network_address(&self.config, "EVM"));
            }
            tron::AddressInput::Invalid => return Err(LookupError::BadInput { what: "address" }),
        };
        let body = json!({"address": address, "visible": true});
        let no_params = json!({});
        let (account, resources, params, history) = tokio::join!(
            self.http.post_json("/wallet/getaccount", &body),
            self.http.post_json("/wallet/getaccountresource", &body),
            self.http
                .post_json("/wallet/getchainparameters", &no_params),
            self.history(&address),
        );
        let account = ok_json(&account?, "getaccount")?;
        let resources = ok_json(&resources?, "getaccountresource")?;
        let price = |key: &str| {
            params
                .as_ref()
                .ok()
                .and_then(|a| ok_json(a, "getchainparameters").ok())
                .and_then(|p| {
                    p.get("chainParameter")?
                        .as_array()?
                        .iter()
                        .find(|e| e.get("key").and_then(Value::as_str) == Some(key))?
                        .get("value")?
                        .as_u64()
                })
        };
        let mut tokens = Vec::new();
        for t in &self.config.tokens {
            tokens.push((
                t.contract.clone(),
                self.token_balance(&address, &t.contract).await?,
            ));
        }
        let facts = TronAddressFacts {
            exists: !is_empty_object(&account),
            balance_sun: u(&account, "balance"),
            resources: TronResources {
                free_net_limit: u(&resources, "freeNetLimit"),
                free_net_used: u(&resources, "freeNetUsed"),
                net_limit: u(&resources, "NetLimit"),
                net_used: u(&resources, "NetUsed"),
                energy_limit: u(&resources, "EnergyLimit"),
                energy_used: u(&resources, "EnergyUsed"),
            },
            tokens,
            energy_price_sun: price("getEnergyFee").unwrap_or(DEFAULT_ENERGY_PRICE_SUN),
            bandwidth_price_sun: price("getTransactionFee").unwrap_or(DEFAULT_BANDWIDTH_PRICE_SUN),
            transfers: history,
            address,
        };
        Ok(tron::diagnose_address(&self.config, &facts))
    }
}
