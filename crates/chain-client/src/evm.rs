//! EVM JSON-RPC: fetches what `chain::evm`'s rules need in as few round trips as the data
//! allows, as JSON-RPC batches (one HTTP request each):
//!
//! - a transaction: (1) the transaction, its receipt, the latest block (number and base fee) and
//!   the suggested tip — plus `eth_chainId` on the first lookup; (2) once the sender is known,
//!   its latest and pending nonces, the recipient's code when native coins went to it, and a
//!   replay of a failed call for its revert reason. Two requests, six to eight calls.
//! - an address: (1) balance, code, both nonces, latest block, tip, and one `balanceOf` per
//!   configured token in one batch, and beside it `txpool_content` on its own (a busy node's
//!   pool is large: when it is too large or the node does not offer the method, "pending
//!   incoming" is said to be unknown, and the rest goes on); (2) once the latest block is
//!   known, the history, as two requests side by side: `eth_getLogs` for ERC-20 `Transfer`
//!   events from and to the address over the last [`LOG_BLOCKS`] blocks — with, in the same
//!   batch, `trace_filter` from and to the address over the same blocks when the node has a
//!   trace API (native transfers, internal ones included) — and the last [`HISTORY_BLOCKS`]
//!   blocks with their transactions (native transfers: plain JSON-RPC has no address index).
//!   (3) Only when a transfer the findings show has no time (a trace, or a log without
//!   `blockTimestamp`, older than the scanned blocks): those blocks' headers, one request.
//!   A history that cannot be read leaves the history out, not the lookup.
//!
//! `trace_filter` is not plain JSON-RPC: Erigon, reth, Nethermind, Besu, OpenEthereum and anvil
//! have it, geth does not, and nodes cap its range (reth 100 blocks, anvil 300, Besu 1,000 by
//! default). The client remembers per endpoint what the node did: a refusal naming a smaller
//! range is asked again once over that range and that range is kept; any other refusal (the
//! method missing, -32601, or not enabled), an answer of another shape, or the batch failing
//! as a whole means it is not asked again, and the history is what plain JSON-RPC gives.
//!
//! Every request waits for a slot of the endpoint's semaphore (`concurrency`), is bounded by
//! `timeout_ms` (waiting for the slot included) and reads at most [`MAX_RESPONSE`] bytes.
//! Anything the node answers that is not what JSON-RPC documents is `BadAnswer`, never a panic.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chain::evm::{
    self, AddressFacts, ForeignContract, Log, Movement, PendingIn, Receipt, Seen, Trace, TraceKind,
    Tx, TxFacts,
};
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::{Client, LookupError};

/// The largest response read from a node; a larger one is `BadAnswer` (a node that sends
/// megabytes for a receipt is broken or hostile).
pub const MAX_RESPONSE: usize = 4 * 1024 * 1024;
/// Hashes remembered from earlier lookups (for dropped and replaced), at most.
const SEEN_MAX: usize = 10_000;
/// Blocks scanned, transactions included, for native transfers to or from an address. Few: a
/// busy chain's full blocks are large (a mainnet block's JSON is a few hundred kB).
pub const HISTORY_BLOCKS: u64 = 8;
/// Blocks searched for the address's token transfers with `eth_getLogs` (providers cap the
/// range; 5,000 is within the usual caps).
pub const LOG_BLOCKS: u64 = 5_000;
/// `transfer(address,uint256)`'s selector, for pending token transfers in the pool.
const TRANSFER_SELECTOR: &str = "0xa9059cbb";
/// How `batch` says an answer was over [`MAX_RESPONSE`].
const TOO_LARGE: &str = "answer larger than";
/// `trace_blocks` when the node has no usable `trace_filter`.
const NO_TRACES: u64 = 0;

/// One configured EVM chain.
#[derive(Debug)]
pub struct EvmClient {
    config: ChainConfig,
    symbol: String,
    http: reqwest::Client,
    limit: Semaphore,
    chain_id_checked: AtomicBool,
    seen: Mutex<HashMap<String, Seen>>,
    foreign: Vec<ForeignContract>,
    calls: AtomicU64,
    requests: AtomicU64,
    /// The blocks `trace_filter` is asked over: [`LOG_BLOCKS`] until the node refuses that
    /// range (then the range it names), [`NO_TRACES`] once it has shown it has no trace API.
    trace_blocks: AtomicU64,
}

/// One call's error as the node gave it.
#[derive(Debug, Clone)]
struct RpcError {
    message: String,
    data: Option<String>,
}

impl RpcError {
    /// The range a "block range too large, limited to N" refusal names (nodes word it
    /// differently; the number is the last in the message). Not a rate limit: it names blocks.
    fn range_limit(&self) -> Option<u64> {
        let m = self.message.to_ascii_lowercase();
        if !(m.contains("block") && (m.contains("range") || m.contains("limit"))) {
            return None;
        }
        m.split(|c: char| !c.is_ascii_digit())
            .rfind(|w| !w.is_empty())
            .and_then(|w| w.parse().ok())
            .filter(|n| *n > 0)
    }
}

impl EvmClient {
    /// A client for `config` (kind `evm`). `foreign` lists the token contracts configured on
    /// the other chains, for "the recipient is an address of another network".
    ///
    /// # Errors
    /// `BadAnswer` when the HTTP client cannot be built (no TLS roots).
    pub fn new(
        config: ChainConfig,
        foreign: Vec<ForeignContract>,
    ) -> Result<EvmClient, LookupError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.timeout_ms.max(1)))
            .connect_timeout(Duration::from_millis(config.timeout_ms.max(1)))
            // A node is configured by URL; following a redirect elsewhere would send the
            // user's address to a host the admin did not name.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| LookupError::BadAnswer(format!("HTTP client: {e}")))?;
        Ok(EvmClient {
            symbol: native_symbol(config.chain_id).to_owned(),
            limit: Semaphore::new(config.concurrency.max(1)),
            config,
            http,
            chain_id_checked: AtomicBool::new(false),
            seen: Mutex::new(HashMap::new()),
            foreign,
            calls: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            trace_blocks: AtomicU64::new(LOG_BLOCKS),
        })
    }

    /// (JSON-RPC calls, HTTP requests) made so far: the benchmark's "calls per diagnosis".
    #[must_use]
    pub fn counters(&self) -> (u64, u64) {
        (
            self.calls.load(Ordering::Relaxed),
            self.requests.load(Ordering::Relaxed),
        )
    }

    /// One JSON-RPC batch: the answers in the order of `calls`.
    async fn batch(
        &self,
        calls: &[(&str, Value)],
    ) -> Result<Vec<Result<Value, RpcError>>, LookupError> {
        let timeout = Duration::from_millis(self.config.timeout_ms.max(1));
        tokio::time::timeout(timeout, self.batch_inner(calls))
            .await
            .map_err(|_| {
                LookupError::Unreachable(format!(
                    "{}: no answer within {} ms",
                    self.config.name, self.config.timeout_ms
                ))
            })?
    }

    async fn batch_inner(
        &self,
        calls: &[(&str, Value)],
    ) -> Result<Vec<Result<Value, RpcError>>, LookupError> {
        let _permit = self
            .limit
            .acquire()
            .await
            .map_err(|_| LookupError::Unreachable("closed".to_owned()))?;
        let body: Vec<Value> = calls
            .iter()
            .enumerate()
            .map(|(id, (method, params))| {
                json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
            })
            .collect();
        self.calls.fetch_add(calls.len() as u64, Ordering::Relaxed);
        self.requests.fetch_add(1, Ordering::Relaxed);
        let name = &self.config.name;
        let mut resp = self
            .http
            .post(&self.config.url)
            .json(&body)
            .send()
            .await
            .map_err(|e| LookupError::Unreachable(format!("{name}: {}", without_url(&e))))?;
        if !resp.status().is_success() {
            return Err(LookupError::BadAnswer(format!(
                "{name}: HTTP {}",
                resp.status().as_u16()
            )));
        }
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE as u64)
        {
            return Err(LookupError::BadAnswer(format!(
                "{name}: {TOO_LARGE} {MAX_RESPONSE} bytes"
            )));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| LookupError::Unreachable(format!("{name}: {}", without_url(&e))))?
        {
            if bytes.len() + chunk.len() > MAX_RESPONSE {
                return Err(LookupError::BadAnswer(format!(
                    "{name}: {TOO_LARGE} {MAX_RESPONSE} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        let answer: Value = serde_json::from_slice(&bytes)
            .map_err(|_| LookupError::BadAnswer(format!("{name}: not JSON")))?;
        let Value::Array(items) = answer else {
            return Err(LookupError::BadAnswer(format!(
                "{name}: not a JSON-RPC batch answer"
            )));
        };
        let mut out: Vec<Option<Result<Value, RpcError>>> = vec![None; calls.len()];
        for item in items {
            let Some(id) = item
                .get("id")
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok())
                .filter(|i| *i < calls.len())
            else {
                continue;
            };
            out[id] = Some(match item.get("error") {
                Some(e) if !e.is_null() => Err(RpcError {
                    message: e
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    data: e.get("data").and_then(Value::as_str).map(str::to_owned),
                }),
                _ => Ok(item.get("result").cloned().unwrap_or(Value::Null)),
            });
        }
        out.into_iter()
            .map(|o| {
                o.ok_or_else(|| {
                    LookupError::BadAnswer(format!("{name}: a call of the batch has no answer"))
                })
            })
            .collect()
    }

    /// `eth_chainId` is asked once, in the first batch; a node on another chain than
    /// configured is refused, on that lookup and every later one.
    fn chain_id_call(&self) -> Option<(&'static str, Value)> {
        (self.config.chain_id.is_some() && !self.chain_id_checked.load(Ordering::Relaxed))
            .then(|| ("eth_chainId", json!([])))
    }

    fn check_chain_id(&self, answer: Option<&Result<Value, RpcError>>) -> Result<(), LookupError> {
        let (Some(want), Some(answer)) = (self.config.chain_id, answer) else {
            return Ok(());
        };
        let got = answer
            .as_ref()
            .ok()
            .and_then(|v| v.as_str())
            .and_then(hex_u64)
            .ok_or_else(|| LookupError::BadAnswer(format!("{}: no chain id", self.config.name)))?;
        if got != want {
            return Err(LookupError::BadAnswer(format!(
                "{}: the endpoint is on chain id {got}, the configuration says {want}",
                self.config.name
            )));
        }
        self.chain_id_checked.store(true, Ordering::Relaxed);
        Ok(())
    }

    fn remember(&self, hash: &str, seen: Seen) {
        let mut map = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= SEEN_MAX {
            map.clear();
        }
        map.insert(hash.to_owned(), seen);
    }

    fn recall(&self, hash: &str) -> Option<Seen> {
        let map = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(hash).cloned()
    }

    fn bad(&self, what: &str) -> LookupError {
        LookupError::BadAnswer(format!("{}: {what}", self.config.name))
    }

    /// The node's pool, when it shows it (`txpool_content`: geth, anvil, erigon…); `None` when
    /// the method is not there, refused, or its answer is too large to read.
    async fn txpool_content(&self) -> Option<Value> {
        let mut answer = self.batch(&[("txpool_content", json!([]))]).await.ok()?;
        answer.pop()?.ok().filter(Value::is_object)
    }

    /// Transfers to and from `addr` over the last blocks (see the module doc), newest first;
    /// `None` when neither the logs nor the blocks could be read.
    async fn history(&self, addr: &str, latest: u64) -> Option<Vec<Movement>> {
        let word = format!("0x{:0>64}", &addr[2..]);
        let range = |topics: Value| {
            json!([{
                "fromBlock": format!("0x{:x}", latest.saturating_sub(LOG_BLOCKS - 1)),
                "toBlock": format!("0x{latest:x}"),
                "topics": topics,
            }])
        };
        let mut log_calls = vec![
            (
                "eth_getLogs",
                range(json!([evm::TRANSFER_TOPIC, word.clone()])),
            ),
            (
                "eth_getLogs",
                range(json!([evm::TRANSFER_TOPIC, null, word])),
            ),
        ];
        let trace_blocks = self.trace_blocks.load(Ordering::Relaxed);
        if trace_blocks != NO_TRACES {
            log_calls.extend(trace_calls(addr, latest, trace_blocks));
        }
        let block_calls: Vec<(&str, Value)> = (latest.saturating_sub(HISTORY_BLOCKS - 1)..=latest)
            .rev()
            .map(|n| ("eth_getBlockByNumber", json!([format!("0x{n:x}"), true])))
            .collect();
        let (mut logs, blocks) = tokio::join!(self.batch(&log_calls), self.batch(&block_calls));
        let mut traces = None;
        if trace_blocks != NO_TRACES {
            match &logs {
                Ok(answers) => {
                    traces = self
                        .read_traces(addr, latest, trace_blocks, &answers[2..])
                        .await;
                }
                // The batch failed as a whole with the traces in it: a node that refuses a
                // batch holding a method it lacks, or traces slower than the timeout. The
                // traces are not asked again (unless it was only this address's traces being
                // too large to read), and the logs are asked alone now.
                Err(e) => {
                    if !too_large(e) {
                        self.trace_blocks.store(NO_TRACES, Ordering::Relaxed);
                    }
                    logs = self.batch(&log_calls[..2]).await;
                }
            }
        }
        let mut read_any = false;
        let mut out = Vec::new();
        let mut times = HashMap::new();
        for block in blocks.iter().flatten().filter_map(|r| r.as_ref().ok()) {
            let (Some(number), Some(time)) = (
                block
                    .get("number")
                    .and_then(Value::as_str)
                    .and_then(hex_u64),
                block
                    .get("timestamp")
                    .and_then(Value::as_str)
                    .and_then(hex_u64),
            ) else {
                continue;
            };
            read_any = true;
            times.insert(number, time);
            for tx in block
                .get("transactions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(t) = parse_tx(tx) else { continue };
                let to = t.to.clone().unwrap_or_default();
                if t.value > 0 && (t.from == addr || to == addr) {
                    out.push(Movement {
                        hash: t.hash,
                        block: number,
                        time: Some(time),
                        from: t.from,
                        to,
                        amount: t.value.to_string(),
                        token: None,
                        internal: false,
                    });
                }
            }
        }
        for answer in logs.iter().flatten().take(2) {
            let Ok(list) = answer else { continue };
            let Some(list) = list.as_array() else {
                continue;
            };
            read_any = true;
            for l in list {
                let (Some(log), Some(hash), Some(number)) = (
                    parse_log(l),
                    l.get("transactionHash").and_then(Value::as_str),
                    l.get("blockNumber")
                        .and_then(Value::as_str)
                        .and_then(hex_u64),
                ) else {
                    continue;
                };
                let Some(t) = evm::decode_transfer(&log) else {
                    continue;
                };
                // Newer nodes put the block's time in each log; else the scanned blocks may.
                let time = l
                    .get("blockTimestamp")
                    .and_then(Value::as_str)
                    .and_then(hex_u64)
                    .or_else(|| times.get(&number).copied());
                out.push(Movement {
                    hash: hash.to_ascii_lowercase(),
                    block: number,
                    time,
                    from: t.from,
                    to: t.to,
                    amount: t.amount,
                    token: Some(log.address),
                    internal: false,
                });
            }
        }
        if let Some(traces) = traces {
            read_any = true;
            out.extend(
                evm::history::traced_movements(addr, &traces)
                    .into_iter()
                    .map(|mut m| {
                        m.time = times.get(&m.block).copied();
                        m
                    }),
            );
        }
        if !read_any {
            return None;
        }
        evm::history::sort_newest_first(&mut out);
        self.fill_times(addr, &mut out).await;
        Some(out)
    }

    /// The traces of `answers` (the two `trace_filter` calls' answers); on a refusal, learns
    /// what the node allows (see the module doc) and asks again once when it names a range.
    async fn read_traces(
        &self,
        addr: &str,
        latest: u64,
        blocks: u64,
        answers: &[Result<Value, RpcError>],
    ) -> Option<Vec<Trace>> {
        if let Some(traces) = parse_traces(answers) {
            return Some(traces);
        }
        let smaller = answers
            .iter()
            .filter_map(|a| a.as_ref().err())
            .find_map(RpcError::range_limit)
            .filter(|n| *n < blocks);
        let Some(smaller) = smaller else {
            self.trace_blocks.store(NO_TRACES, Ordering::Relaxed);
            return None;
        };
        self.trace_blocks.store(smaller, Ordering::Relaxed);
        let again = self
            .batch(&trace_calls(addr, latest, smaller))
            .await
            .ok()
            .as_deref()
            .and_then(parse_traces);
        if again.is_none() {
            self.trace_blocks.store(NO_TRACES, Ordering::Relaxed);
        }
        again
    }

    /// Gives the transfers the findings show a time when they have none (see
    /// [`evm::history::blocks_without_time`]): their blocks' headers, one request; the block
    /// number stays when that fails.
    async fn fill_times(&self, addr: &str, history: &mut [Movement]) {
        let wanted = evm::history::blocks_without_time(addr, history);
        if wanted.is_empty() {
            return;
        }
        let calls: Vec<(&str, Value)> = wanted
            .iter()
            .map(|n| ("eth_getBlockByNumber", json!([format!("0x{n:x}"), false])))
            .collect();
        let Ok(headers) = self.batch(&calls).await else {
            return;
        };
        let times: HashMap<u64, u64> = wanted
            .iter()
            .zip(&headers)
            .filter_map(|(n, h)| {
                let t = h.as_ref().ok()?.get("timestamp")?.as_str();
                Some((*n, hex_u64(t?)?))
            })
            .collect();
        for m in history.iter_mut().filter(|m| m.time.is_none()) {
            m.time = times.get(&m.block).copied();
        }
    }
}

/// The answer was over [`MAX_RESPONSE`] (what `batch` says then).
fn too_large(e: &LookupError) -> bool {
    matches!(e, LookupError::BadAnswer(why) if why.contains(TOO_LARGE))
}

/// `trace_filter` calls for the traces from and to `addr` over the last `blocks` blocks: two
/// calls, as nodes differ in whether `fromAddress` and `toAddress` together mean "either" or
/// "both".
fn trace_calls(addr: &str, latest: u64, blocks: u64) -> Vec<(&'static str, Value)> {
    let range = |side: &str| {
        let mut filter = json!({
            "fromBlock": format!("0x{:x}", latest.saturating_sub(blocks.max(1) - 1)),
            "toBlock": format!("0x{latest:x}"),
        });
        filter[side] = json!([addr]);
        ("trace_filter", json!([filter]))
    };
    vec![range("fromAddress"), range("toAddress")]
}

/// Both `trace_filter` answers as traces; `None` when either is an error or not a list (a
/// node without the method, or one that refuses the range).
fn parse_traces(answers: &[Result<Value, RpcError>]) -> Option<Vec<Trace>> {
    if answers.len() != 2 {
        return None;
    }
    let mut out = Vec::new();
    for a in answers {
        let list = a.as_ref().ok()?.as_array()?;
        out.extend(list.iter().filter_map(parse_trace));
    }
    Some(out)
}

/// One trace in the OpenEthereum/Parity shape (Erigon, reth, Nethermind, Besu, anvil): `type`
/// and `action` (`call`: `callType`, `from`, `to`, `value`; `create`: `from`, `value`, the new
/// contract in `result.address`; `suicide`: `address`, `refundAddress`, `balance`),
/// `traceAddress`, `transactionHash`, `blockNumber`, `error` when it failed. A block reward
/// (no transaction) is left out.
fn parse_trace(v: &Value) -> Option<Trace> {
    let action = v.get("action")?;
    let s = |o: &Value, k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    let (kind, from, to, value) = match v.get("type")?.as_str()? {
        "call" => {
            let kind = match s(action, "callType").as_deref() {
                None | Some("call") => TraceKind::Call,
                Some(_) => TraceKind::Other,
            };
            (
                kind,
                s(action, "from")?,
                s(action, "to")?,
                s(action, "value")?,
            )
        }
        "create" => (
            TraceKind::Create,
            s(action, "from")?,
            v.get("result")
                .and_then(|r| s(r, "address"))
                .unwrap_or_default(),
            s(action, "value")?,
        ),
        "suicide" | "selfdestruct" => (
            TraceKind::SelfDestruct,
            s(action, "address")?,
            s(action, "refundAddress")?,
            s(action, "balance")?,
        ),
        _ => return None,
    };
    // A number in the Parity shape; some nodes write it in hex.
    let block = match v.get("blockNumber")? {
        Value::Number(n) => n.as_u64()?,
        Value::String(h) => hex_u64(h)?,
        _ => return None,
    };
    Some(Trace {
        hash: s(v, "transactionHash")?,
        block,
        kind,
        from,
        to,
        value: hex_u128(&value)?.to_string(),
        depth: v
            .get("traceAddress")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        failed: v.get("error").is_some_and(|e| !e.is_null()),
    })
}

/// Transfers to `addr` among the pool's transactions (pending and queued): native coins sent to
/// it, and `transfer(addr, amount)` calls to a token.
fn pending_to(pool: &Value, addr: &str) -> Vec<PendingIn> {
    let mut out = Vec::new();
    for part in ["pending", "queued"] {
        let Some(senders) = pool.get(part).and_then(Value::as_object) else {
            continue;
        };
        for txs in senders.values().filter_map(Value::as_object) {
            for tx in txs.values() {
                let Some(t) = parse_tx(tx) else { continue };
                let input = tx.get("input").and_then(Value::as_str).unwrap_or("0x");
                if t.value > 0 && t.to.as_deref() == Some(addr) {
                    out.push(PendingIn {
                        hash: t.hash.clone(),
                        from: t.from.clone(),
                        amount: t.value.to_string(),
                        token: None,
                    });
                }
                // transfer(to, amount): selector, the recipient word, the amount word.
                if let Some(args) = input.to_ascii_lowercase().strip_prefix(TRANSFER_SELECTOR)
                    && args.len() >= 128
                    && args[24..64] == addr[2..]
                    && let (Some(token), Some(amount)) =
                        (&t.to, hex_bytes(&format!("0x{}", &args[64..128])))
                {
                    out.push(PendingIn {
                        hash: t.hash.clone(),
                        from: t.from.clone(),
                        amount: evm::be_to_decimal(&amount),
                        token: Some(token.clone()),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.hash.cmp(&b.hash));
    out
}

#[async_trait]
impl Client for EvmClient {
    fn config(&self) -> &ChainConfig {
        &self.config
    }

    async fn tx(&self, id: &str) -> Result<TxDiagnosis, LookupError> {
        if !evm::is_tx_hash(id) {
            return Err(LookupError::BadInput {
                what: "transaction hash",
            });
        }
        let hash = id.to_ascii_lowercase();
        let mut calls = vec![
            ("eth_getTransactionByHash", json!([hash])),
            ("eth_getTransactionReceipt", json!([hash])),
            ("eth_getBlockByNumber", json!(["latest", false])),
            ("eth_maxPriorityFeePerGas", json!([])),
        ];
        calls.extend(self.chain_id_call());
        let first = self.batch(&calls).await?;
        self.check_chain_id(first.get(4))?;
        let raw_tx = first[0].as_ref().map_err(|_| self.bad("transaction"))?;
        let raw_receipt = first[1].as_ref().map_err(|_| self.bad("receipt"))?;
        let block = first[2].as_ref().map_err(|_| self.bad("latest block"))?;
        let latest_block = block
            .get("number")
            .and_then(Value::as_str)
            .and_then(hex_u64)
            .ok_or_else(|| self.bad("latest block"))?;
        let base_fee = block
            .get("baseFeePerGas")
            .and_then(Value::as_str)
            .and_then(hex_u128);
        let priority_fee = first[3]
            .as_ref()
            .ok()
            .and_then(Value::as_str)
            .and_then(hex_u128);
        let tx = if raw_tx.is_null() {
            None
        } else {
            Some(parse_tx(raw_tx).ok_or_else(|| self.bad("transaction"))?)
        };
        let receipt = if raw_receipt.is_null() {
            None
        } else {
            Some(parse_receipt(raw_receipt).ok_or_else(|| self.bad("receipt"))?)
        };
        let mut facts = TxFacts {
            chain: self.config.name.clone(),
            symbol: self.symbol.clone(),
            tokens: self.config.tokens.clone(),
            foreign_contracts: self.foreign.clone(),
            latest_block,
            base_fee,
            priority_fee,
            explorer_tx: self.config.explorer_tx.clone(),
            ..TxFacts::default()
        };
        let sender = match &tx {
            Some(t) => Some(t.from.clone()),
            None => self.recall(&hash).map(|s| s.from),
        };
        if let Some(from) = sender {
            let mut calls = vec![
                ("eth_getTransactionCount", json!([from, "latest"])),
                ("eth_getTransactionCount", json!([from, "pending"])),
            ];
            let mut code_at = None;
            let mut replay_at = None;
            if let Some(t) = &tx {
                if let Some(to) = &t.to
                    && t.input_empty
                    && t.value > 0
                {
                    code_at = Some(calls.len());
                    calls.push(("eth_getCode", json!([to, "latest"])));
                }
                if let Some(r) = &receipt
                    && !r.success
                    && r.gas_used < t.gas_limit
                {
                    // The state the transaction ran on is its block's parent (exact when it
                    // was the block's first transaction, close enough otherwise).
                    replay_at = Some(calls.len());
                    let call = json!({
                        "from": t.from,
                        "to": t.to,
                        "gas": format!("0x{:x}", t.gas_limit),
                        "value": format!("0x{:x}", t.value),
                        "data": raw_tx.get("input").cloned().unwrap_or(json!("0x")),
                    });
                    let at = format!("0x{:x}", r.block_number.saturating_sub(1));
                    calls.push(("eth_call", json!([call, at])));
                }
            }
            let second = self.batch(&calls).await?;
            facts.sender_nonce_latest = second[0]
                .as_ref()
                .ok()
                .and_then(Value::as_str)
                .and_then(hex_u64);
            facts.sender_nonce_pending = second[1]
                .as_ref()
                .ok()
                .and_then(Value::as_str)
                .and_then(hex_u64);
            if let Some(i) = code_at {
                facts.recipient_has_code = second[i]
                    .as_ref()
                    .ok()
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.len() > 2);
            }
            if let Some(i) = replay_at {
                // A revert answers with an error whose `data` is the revert data.
                facts.revert_data = match &second[i] {
                    Err(e) => e.data.as_deref().and_then(hex_bytes),
                    Ok(_) => None,
                };
            }
            facts.seen = if tx.is_none() {
                self.recall(&hash)
            } else {
                None
            };
        }
        if let Some(t) = &tx {
            self.remember(
                &hash,
                Seen {
                    from: t.from.clone(),
                    nonce: t.nonce,
                },
            );
        }
        facts.tx = tx;
        facts.receipt = receipt;
        Ok(evm::diagnose_tx(&facts))
    }

    async fn address(&self, address: &str) -> Result<AddressDiagnosis, LookupError> {
        if !evm::is_address(address) {
            return Err(LookupError::BadInput { what: "address" });
        }
        let addr = address.to_ascii_lowercase();
        let mut calls = vec![
            ("eth_getBalance", json!([addr, "latest"])),
            ("eth_getCode", json!([addr, "latest"])),
            ("eth_getTransactionCount", json!([addr, "latest"])),
            ("eth_getTransactionCount", json!([addr, "pending"])),
            ("eth_getBlockByNumber", json!(["latest", false])),
            ("eth_maxPriorityFeePerGas", json!([])),
        ];
        let tokens_at = calls.len();
        for t in &self.config.tokens {
            // balanceOf(address): selector 0x70a08231 and the address as a 32-byte word.
            let data = format!("0x70a08231{:0>64}", &addr[2..]);
            calls.push((
                "eth_call",
                json!([{"to": t.contract, "data": data}, "latest"]),
            ));
        }
        let chain_id_at = calls.len();
        calls.extend(self.chain_id_call());
        let (a, pool) = tokio::join!(self.batch(&calls), self.txpool_content());
        let a = a?;
        self.check_chain_id(a.get(chain_id_at))?;
        let num = |i: usize| {
            a[i].as_ref()
                .ok()
                .and_then(Value::as_str)
                .and_then(hex_u128)
        };
        let balance = num(0).ok_or_else(|| self.bad("balance"))?;
        let has_code = a[1]
            .as_ref()
            .ok()
            .and_then(Value::as_str)
            .ok_or_else(|| self.bad("code"))?
            .len()
            > 2;
        let block = a[4].as_ref().map_err(|_| self.bad("latest block"))?;
        let latest = block
            .get("number")
            .and_then(Value::as_str)
            .and_then(hex_u64)
            .ok_or_else(|| self.bad("latest block"))?;
        let history = self.history(&addr, latest).await;
        let pending_in = pool.map(|p| pending_to(&p, &addr));
        let tokens = self
            .config
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let amount = a[tokens_at + i]
                    .as_ref()
                    .ok()
                    .and_then(Value::as_str)
                    .and_then(hex_bytes)
                    .filter(|b| b.len() == 32)
                    .map(|b| evm::be_to_decimal(&b));
                (t.clone(), amount)
            })
            .collect();
        let facts = AddressFacts {
            chain: self.config.name.clone(),
            symbol: self.symbol.clone(),
            address: addr.clone(),
            balance,
            tokens,
            has_code,
            nonce_latest: num(2).and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
            nonce_pending: num(3).and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
            base_fee: block
                .get("baseFeePerGas")
                .and_then(Value::as_str)
                .and_then(hex_u128),
            priority_fee: num(5),
            elsewhere: Vec::new(),
            explorer_address: self.config.explorer_address.clone(),
            history,
            pending_in,
        };
        Ok(evm::diagnose_address(&facts))
    }
}

/// The native coin of well-known chain ids; ETH otherwise (most L2s and test chains).
fn native_symbol(chain_id: Option<u64>) -> &'static str {
    match chain_id {
        Some(56 | 97) => "BNB",
        Some(137 | 80_002) => "POL",
        Some(43_114) => "AVAX",
        Some(250) => "FTM",
        Some(100) => "xDAI",
        Some(42_220) => "CELO",
        _ => "ETH",
    }
}

/// reqwest's error text names the URL, which may carry an API key in its path or query.
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else {
        "request failed"
    };
    kind.to_owned()
}

fn parse_tx(v: &Value) -> Option<Tx> {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    Some(Tx {
        hash: s("hash")?.to_ascii_lowercase(),
        from: s("from")?.to_ascii_lowercase(),
        to: s("to").map(str::to_ascii_lowercase),
        nonce: hex_u64(s("nonce")?)?,
        value: hex_u128(s("value")?)?,
        gas_limit: hex_u64(s("gas")?)?,
        gas_price: s("gasPrice").and_then(hex_u128),
        max_fee_per_gas: s("maxFeePerGas").and_then(hex_u128),
        max_priority_fee_per_gas: s("maxPriorityFeePerGas").and_then(hex_u128),
        block_number: s("blockNumber").and_then(hex_u64),
        input_empty: s("input").is_none_or(|i| i == "0x" || i.is_empty()),
    })
}

fn parse_receipt(v: &Value) -> Option<Receipt> {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    let logs = v
        .get("logs")
        .and_then(Value::as_array)
        .map(|logs| logs.iter().filter_map(parse_log).collect())
        .unwrap_or_default();
    Some(Receipt {
        success: hex_u64(s("status")?)? == 1,
        gas_used: hex_u64(s("gasUsed")?)?,
        block_number: hex_u64(s("blockNumber")?)?,
        effective_gas_price: s("effectiveGasPrice").and_then(hex_u128),
        logs,
    })
}

fn parse_log(l: &Value) -> Option<Log> {
    Some(Log {
        address: l.get("address")?.as_str()?.to_ascii_lowercase(),
        topics: l
            .get("topics")?
            .as_array()?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_ascii_lowercase))
            .collect(),
        data: hex_bytes(l.get("data")?.as_str()?)?,
    })
}

fn hex_u64(s: &str) -> Option<u64> {
    let h = s.strip_prefix("0x")?;
    if h.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(h, 16).ok()
}

fn hex_u128(s: &str) -> Option<u128> {
    let h = s.strip_prefix("0x")?;
    if h.is_empty() {
        return Some(0);
    }
    u128::from_str_radix(h, 16).ok()
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let h = s.strip_prefix("0x")?;
    if h.len() % 2 != 0 {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_numbers_parse_and_garbage_does_not() {
        assert_eq!(hex_u64("0x10"), Some(16));
        assert_eq!(hex_u64("0x"), Some(0));
        assert_eq!(hex_u64("16"), None);
        assert_eq!(hex_u64("0xzz"), None);
        assert_eq!(hex_u128("0xde0b6b3a7640000"), Some(10u128.pow(18)));
        assert_eq!(hex_bytes("0x0a0B"), Some(vec![10, 11]));
        assert_eq!(hex_bytes("0x0"), None);
        assert_eq!(hex_bytes("0xé1"), None);
    }

    fn refusal(message: &str) -> RpcError {
        RpcError {
            message: message.to_owned(),
            data: None,
        }
    }

    #[test]
    fn a_refused_trace_range_names_the_range_allowed_and_other_refusals_do_not() {
        // anvil's and reth's wording; a provider's range cap.
        let limit = |m: &str| refusal(m).range_limit();
        assert_eq!(
            limit("block range too large, currently limited to 300"),
            Some(300)
        );
        assert_eq!(
            limit("Block range too large; currently limited to 100 blocks"),
            Some(100)
        );
        assert_eq!(limit("query exceeds max block range 1000"), Some(1000));
        assert_eq!(
            limit("the method trace_filter does not exist/is not available"),
            None
        );
        assert_eq!(limit("rate limit exceeded: 25 requests per second"), None);
        assert_eq!(limit("block range too large"), None);
    }

    #[test]
    fn traces_of_each_kind_parse_and_rewards_do_not() {
        let call = json!({
            "action": {"from": "0xAA", "callType": "call", "to": "0xbb", "value": "0x10"},
            "blockNumber": 7, "traceAddress": [0, 1], "transactionHash": "0xCC", "type": "call"
        });
        let t = parse_trace(&call).expect("a call");
        assert_eq!(
            (t.kind, t.from.as_str(), t.to.as_str(), t.value.as_str()),
            (TraceKind::Call, "0xaa", "0xbb", "16")
        );
        assert_eq!(
            (t.block, t.depth, t.hash.as_str(), t.failed),
            (7, 2, "0xcc", false)
        );
        let mut delegate = call.clone();
        delegate["action"]["callType"] = json!("delegatecall");
        delegate["error"] = json!("Reverted");
        delegate["blockNumber"] = json!("0x8");
        let t = parse_trace(&delegate).expect("a delegatecall");
        assert_eq!((t.kind, t.failed, t.block), (TraceKind::Other, true, 8));
        let create = json!({
            "action": {"from": "0xaa", "value": "0x1", "init": "0x"},
            "result": {"address": "0xdd"},
            "blockNumber": 1, "traceAddress": [], "transactionHash": "0x01", "type": "create"
        });
        let t = parse_trace(&create).expect("a creation");
        assert_eq!(
            (t.kind, t.to.as_str(), t.depth),
            (TraceKind::Create, "0xdd", 0)
        );
        let gone = json!({
            "action": {"address": "0xdd", "refundAddress": "0xaa", "balance": "0x2"},
            "blockNumber": 2, "traceAddress": [0], "transactionHash": "0x02", "type": "suicide"
        });
        let t = parse_trace(&gone).expect("a self-destruct");
        assert_eq!(
            (t.kind, t.from.as_str(), t.to.as_str()),
            (TraceKind::SelfDestruct, "0xdd", "0xaa")
        );
        let reward = json!({
            "action": {"author": "0xaa", "rewardType": "block", "value": "0x1"},
            "blockNumber": 3, "traceAddress": [], "transactionHash": null, "type": "reward"
        });
        assert!(parse_trace(&reward).is_none());
        // Both answers must be lists: one refusal is no traces at all.
        assert!(parse_traces(&[Ok(json!([call])), Err(refusal("no"))]).is_none());
        assert_eq!(
            parse_traces(&[Ok(json!([call])), Ok(json!([]))]).map(|t| t.len()),
            Some(1)
        );
    }

    #[test]
    fn a_transaction_without_its_fields_is_not_parsed() {
        assert!(parse_tx(&json!({"hash": "0x01"})).is_none());
        assert!(parse_receipt(&json!({"status": "0x1"})).is_none());
    }
}
