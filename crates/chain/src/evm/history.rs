//! An EVM address's recent history, from what plain JSON-RPC offers (no indexer): native
//! transfers found by scanning the last few blocks, ERC-20 `Transfer` events to and from the
//! address over a bounded block range (`eth_getLogs`), and the transfers to it still waiting in
//! the node's pool (`txpool_content`, when the node offers it). When the node has a trace API
//! (`trace_filter`), its traces ([`Trace`]) add the native transfers over the logs' range,
//! those made by a contract's code inside a transaction (internal transfers) included:
//! [`traced_movements`] keeps the ones that moved coins. The client fetches; these rules say
//! "recent transactions", "funds moved out (when, to where)" and "pending incoming".

use crate::bitcoin::fmt;
use crate::model::{Finding, FindingCode, Severity, TokenConfig};

use super::format_units;

/// At most this many recent transactions are shown.
pub const RECENT_LIMIT: usize = 5;
/// At most this many pending incoming transfers are shown.
pub const PENDING_LIMIT: usize = 3;

/// One movement of value to or from the address, native or token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movement {
    pub hash: String,
    pub block: u64,
    /// Unix seconds of its block, when the client knows them.
    pub time: Option<u64>,
    /// Lower-case `0x…` addresses.
    pub from: String,
    pub to: String,
    /// Base units, decimal.
    pub amount: String,
    /// `None` for the native coin; the token contract otherwise.
    pub token: Option<String>,
    /// A native transfer made by a contract's code inside a transaction (a trace below the
    /// transaction's own call): `from` is that contract, `hash` the transaction it ran in.
    pub internal: bool,
}

/// What a trace did, as far as moving the native coin goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TraceKind {
    /// A `call` (value goes from `from` to `to`).
    #[default]
    Call,
    /// A contract creation (value goes to the new contract, `to`).
    Create,
    /// A self-destruct (the balance goes to the refund address, `to`).
    SelfDestruct,
    /// `delegatecall`, `staticcall`, `callcode`, block rewards…: no transfer of its own.
    Other,
}

/// One trace as a trace API (`trace_filter`) reports it, as plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    pub hash: String,
    pub block: u64,
    pub kind: TraceKind,
    /// Lower-case `0x…` addresses.
    pub from: String,
    pub to: String,
    /// Base units, decimal.
    pub value: String,
    /// How deep in the transaction's calls (`traceAddress`'s length): 0 is the transaction's
    /// own call.
    pub depth: usize,
    /// The trace has an `error` (reverted, out of gas): it moved nothing.
    pub failed: bool,
}

/// The native transfers to and from `address` among `traces`: calls, creations and
/// self-destructs that moved a value and did not fail. One below the transaction's own call is
/// [`Movement::internal`]. The traces carry no time: the client fills it in.
///
/// A trace API filtered by address does not return the calls around a matching one, so an
/// internal transfer whose *outer* call reverted (its own trace has no error) cannot be told
/// apart and is kept.
#[must_use]
pub fn traced_movements(address: &str, traces: &[Trace]) -> Vec<Movement> {
    let mine = |a: &str| a.eq_ignore_ascii_case(address);
    traces
        .iter()
        .filter(|t| {
            t.kind != TraceKind::Other
                && !t.failed
                && !t.value.trim_start_matches('0').is_empty()
                && (mine(&t.from) || mine(&t.to))
                && !t.hash.is_empty()
        })
        .map(|t| Movement {
            hash: t.hash.to_ascii_lowercase(),
            block: t.block,
            time: None,
            from: t.from.to_ascii_lowercase(),
            to: t.to.to_ascii_lowercase(),
            amount: t.value.clone(),
            token: None,
            internal: t.depth > 0,
        })
        .collect()
}

/// The blocks whose time the findings would show but `history` (newest first) does not have:
/// those of the recent transactions shown and of the last transfer out. The client asks for
/// these blocks' headers, only when there are any.
#[must_use]
pub fn blocks_without_time(address: &str, history: &[Movement]) -> Vec<u64> {
    let mine = |a: &str| a.eq_ignore_ascii_case(address);
    let last_out = history.iter().find(|m| mine(&m.from) && !mine(&m.to));
    let mut blocks: Vec<u64> = history
        .iter()
        .take(RECENT_LIMIT)
        .chain(last_out)
        .filter(|m| m.time.is_none())
        .map(|m| m.block)
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    blocks
}

/// A transfer to the address that the node's pool still holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingIn {
    pub hash: String,
    pub from: String,
    /// Base units, decimal.
    pub amount: String,
    pub token: Option<String>,
}

/// What the history rules look at (a part of `AddressFacts`).
#[derive(Debug, Clone, Copy)]
pub struct HistoryView<'a> {
    pub address: &'a str,
    pub symbol: &'a str,
    pub tokens: &'a [TokenConfig],
    pub history: Option<&'a [Movement]>,
    pub pending_in: Option<&'a [PendingIn]>,
    /// Nothing is held (no native coin, no configured token): "why is my balance 0?".
    pub holds_nothing: bool,
    /// Transactions the address has sent (its nonce).
    pub sent_count: u64,
}

/// `1.5 TUSD` for a configured token, `1500000 (0xcontract)` for another, `0.5 ETH` native.
fn amount(v: &HistoryView<'_>, base_units: &str, token: Option<&str>) -> String {
    match token {
        None => format!("{} {}", format_units(base_units, 18), v.symbol),
        Some(contract) => match v
            .tokens
            .iter()
            .find(|t| t.contract.eq_ignore_ascii_case(contract))
        {
            Some(t) => format!("{} {}", format_units(base_units, t.decimals), t.symbol),
            None => format!("{base_units} ({contract})"),
        },
    }
}

fn when(m: &Movement) -> String {
    m.time.map_or_else(|| format!("#{}", m.block), fmt::time)
}

/// The findings of an address's history, in this order: pending incoming (or that it cannot be
/// known), funds moved out, recent transactions.
#[must_use]
pub fn findings(v: &HistoryView<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    match v.pending_in {
        Some(pending) => {
            for p in pending.iter().take(PENDING_LIMIT) {
                out.push(
                    Finding::new(FindingCode::PendingIncoming, Severity::Info)
                        .with("amount", amount(v, &p.amount, p.token.as_deref()))
                        .with("txid", p.hash.clone())
                        .with("from", p.from.clone()),
                );
            }
        }
        // Only worth saying when the user is waiting for something: nothing is held.
        None if v.holds_nothing => {
            out.push(Finding::new(
                FindingCode::PendingIncomingUnknown,
                Severity::Info,
            ));
        }
        None => {}
    }
    let mine = |a: &str| a.eq_ignore_ascii_case(v.address);
    if v.holds_nothing {
        let last_out = v
            .history
            .unwrap_or_default()
            .iter()
            .find(|m| mine(&m.from) && !mine(&m.to));
        match last_out {
            Some(m) => {
                let f = Finding::new(FindingCode::FundsMovedOut, Severity::Warning)
                    .with("txid", m.hash.clone())
                    .with("amount", amount(v, &m.amount, m.token.as_deref()))
                    .with("to", m.to.clone())
                    .with("when", when(m));
                // Sent by the address's own code (a multisig or contract wallet paying out):
                // the transaction is someone's call to it, and the sentence says so.
                out.push(if m.internal {
                    f.with("contract", m.from.clone()).form("internal")
                } else {
                    f
                });
            }
            // Sent something, but before the history's window: say how much it sent, no more.
            None if v.sent_count > 0 => out.push(
                Finding::new(FindingCode::FundsMovedOut, Severity::Info)
                    .with("count", v.sent_count.to_string())
                    .form("count"),
            ),
            None => {}
        }
    }
    for m in v.history.unwrap_or_default().iter().take(RECENT_LIMIT) {
        let direction = if mine(&m.from) { "out" } else { "in" };
        let shown = amount(v, &m.amount, m.token.as_deref());
        let f = Finding::new(FindingCode::RecentTransaction, Severity::Info)
            .with("txid", m.hash.clone())
            .with("direction", direction)
            .with("signed", crate::bitcoin::signed(direction, &shown))
            .with("amount", shown)
            .with("when", when(m));
        out.push(if m.internal {
            f.with("contract", m.from.clone()).form("internal")
        } else {
            f
        });
    }
    out
}

/// Newest first, one entry per (transaction, token, recipient): the block scan, the logs and
/// the traces may see the same transfer (a token transfer that also carries ETH; a
/// transaction's own call is in both the scanned block and the traces). The entry kept takes
/// a time another one had.
pub fn sort_newest_first(history: &mut Vec<Movement>) {
    history.sort_by(|a, b| {
        b.block
            .cmp(&a.block)
            .then_with(|| a.hash.cmp(&b.hash))
            .then_with(|| a.token.cmp(&b.token))
            .then_with(|| a.to.cmp(&b.to))
            .then_with(|| b.time.is_some().cmp(&a.time.is_some()))
    });
    history.dedup_by(|later, kept| {
        let same = later.hash == kept.hash && later.token == kept.token && later.to == kept.to;
        if same && kept.time.is_none() {
            kept.time = later.time;
        }
        same
    });
}

#[cfg(test)]
mod tests;
