//! An EVM address's recent history, from what plain JSON-RPC offers (no indexer): native
//! transfers found by scanning the last few blocks, ERC-20 `Transfer` events to and from the
//! address over a bounded block range (`eth_getLogs`), and the transfers to it still waiting in
//! the node's pool (`txpool_content`, when the node offers it). The client fetches; these rules
//! say "recent transactions", "funds moved out (when, to where)" and "pending incoming".

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
            Some(m) => out.push(
                Finding::new(FindingCode::FundsMovedOut, Severity::Warning)
                    .with("txid", m.hash.clone())
                    .with("amount", amount(v, &m.amount, m.token.as_deref()))
                    .with("to", m.to.clone())
                    .with("when", when(m)),
            ),
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
        out.push(
            Finding::new(FindingCode::RecentTransaction, Severity::Info)
                .with("txid", m.hash.clone())
                .with("direction", direction)
                .with("signed", crate::bitcoin::signed(direction, &shown))
                .with("amount", shown)
                .with("when", when(m)),
        );
    }
    out
}

/// Newest first, one entry per (transaction, token): the block scan and the logs may both see
/// a transaction (a token transfer that also carries ETH).
pub fn sort_newest_first(history: &mut Vec<Movement>) {
    history.sort_by(|a, b| {
        b.block
            .cmp(&a.block)
            .then_with(|| a.hash.cmp(&b.hash))
            .then_with(|| a.token.cmp(&b.token))
    });
    history.dedup_by(|a, b| a.hash == b.hash && a.token == b.token && a.to == b.to);
}

#[cfg(test)]
mod tests;
