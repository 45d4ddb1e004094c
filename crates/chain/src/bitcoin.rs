//! Bitcoin's rules (and Litecoin's: same transaction format), over plain data a client fetched
//! from a Bitcoin Core node or an Esplora server: where a transaction stands, its fee rate
//! against the current estimates, whether it can be sped up (RBF, CPFP), and what an address
//! holds and where its coins went.

pub mod fmt;
pub mod network;

pub use network::{AddressCheck, Network, UnknownNetwork, parse_txid};

use crate::model::{
    AddressDiagnosis, ChainConfig, Finding, FindingCode, Severity, TxDiagnosis, TxStatus,
};

/// BIP125: an input with an nSequence below this signals that the transaction may be replaced.
pub const RBF_SEQUENCE_BELOW: u32 = 0xffff_fffe;
/// Outputs below this are dust: not worth spending in a child.
pub const DUST_SAT: u64 = 546;
/// The virtual size of a child spending one output to one output (P2WPKH), give or take.
pub const CHILD_VSIZE: u64 = 110;
/// When no estimate is known, a child is worth it if it can pay this many times the parent's
/// own rate for the whole package.
pub const CPFP_FALLBACK_MULTIPLE: f64 = 10.0;
/// At most this many recent transactions are listed for an address.
pub const RECENT_LIMIT: usize = 5;

const SAT_DECIMALS: u8 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Empty for a coinbase input.
    pub prev_txid: String,
    pub prev_vout: u32,
    pub sequence: u32,
    /// The spent output's address and value, when the API gives them (Esplora does).
    pub address: Option<String>,
    pub value_sat: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub index: u32,
    pub address: Option<String>,
    pub value_sat: u64,
    /// Whether a later transaction (confirmed or in the mempool) spends it; `None` when unknown.
    pub spent: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tx {
    pub txid: String,
    /// Virtual size in vbytes (weight / 4, rounded up).
    pub vsize: u64,
    /// The fee in satoshis, when known (Esplora always; Core for mempool transactions).
    pub fee_sat: Option<u64>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Output>,
    /// The block it is in; `None` while in the mempool.
    pub block_height: Option<u64>,
    /// The node's own count, when it gives one (Core does).
    pub confirmations: Option<u64>,
}

impl Tx {
    /// BIP125 opt-in replace-by-fee: any input's nSequence below 0xfffffffe.
    #[must_use]
    pub fn signals_rbf(&self) -> bool {
        self.inputs.iter().any(|i| i.sequence < RBF_SEQUENCE_BELOW)
    }

    /// sat/vB, when the fee is known.
    #[must_use]
    #[expect(
        clippy::cast_precision_loss,
        reason = "fees and sizes are far below 2^52"
    )]
    pub fn fee_rate(&self) -> Option<f64> {
        let fee = self.fee_sat?;
        (self.vsize > 0).then(|| fee as f64 / self.vsize as f64)
    }
}

/// Current fee estimates in sat/vB: next block or two, about an hour, about a day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FeeEstimates {
    pub fast: Option<f64>,
    pub medium: Option<f64>,
    pub slow: Option<f64>,
}

/// What the endpoint knows of a transaction id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxLookup {
    Found(Tx),
    /// Neither in a block nor in the mempool, but a conflicting transaction spent its inputs
    /// (a Core wallet that knew it says which; Esplora cannot tell).
    Replaced {
        by: Option<String>,
    },
    /// Known once (a Core wallet remembers it), now in no block and no mempool.
    Dropped,
    NotFound,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TxFacts {
    pub txid: String,
    pub lookup: TxLookup,
    /// The best block's height, when fetched.
    pub tip_height: Option<u64>,
    pub fees: FeeEstimates,
    /// The node replaces any transaction, signalled or not (Core's `mempoolfullrbf`).
    pub full_rbf: bool,
}

fn tx_diagnosis(config: &ChainConfig, txid: &str, status: TxStatus) -> TxDiagnosis {
    TxDiagnosis {
        chain: config.name.clone(),
        found: !matches!(status, TxStatus::NotFound),
        status,
        confirmations: None,
        findings: Vec::new(),
        article: None,
        explorer_url: fmt::explorer(config.explorer_tx.as_ref(), "tx", txid),
    }
}

fn sat(network: Network, value: u64) -> String {
    fmt::units(u128::from(value), SAT_DECIMALS, network.symbol())
}

/// What the chain says about one transaction.
#[must_use]
pub fn diagnose_tx(config: &ChainConfig, network: Network, facts: &TxFacts) -> TxDiagnosis {
    let tx = match &facts.lookup {
        TxLookup::NotFound => {
            let mut d = tx_diagnosis(config, &facts.txid, TxStatus::NotFound);
            d.explorer_url = None;
            d.findings.push(
                Finding::new(FindingCode::NotFound, Severity::Warning)
                    .with("chain", config.name.clone())
                    .with("network", network.label()),
            );
            d.article = Some("sent-to-wrong-address-or-network".into());
            return d;
        }
        TxLookup::Replaced { by } => {
            let mut d = tx_diagnosis(config, &facts.txid, TxStatus::Replaced);
            let mut f = Finding::new(FindingCode::Replaced, Severity::Warning).form("utxo");
            if let Some(by) = by {
                f = f.with("by", by.clone()).form("by");
            }
            d.findings.push(f);
            d.article = Some("speed-up-or-cancel-transaction".into());
            return d;
        }
        TxLookup::Dropped => {
            let mut d = tx_diagnosis(config, &facts.txid, TxStatus::Dropped);
            d.findings
                .push(Finding::new(FindingCode::Dropped, Severity::Warning).form("utxo"));
            d.article = Some("transaction-pending-stuck".into());
            return d;
        }
        TxLookup::Found(tx) => tx,
    };
    if let Some(height) = tx.block_height {
        let confirmations = tx.confirmations.or_else(|| {
            facts
                .tip_height
                .map(|tip| tip.saturating_sub(height).saturating_add(1))
        });
        let mut d = tx_diagnosis(config, &facts.txid, TxStatus::Confirmed);
        d.confirmations = confirmations;
        let mut f =
            Finding::new(FindingCode::Confirmed, Severity::Info).with("block", height.to_string());
        if let Some(c) = confirmations {
            f = f.with("confirmations", c.to_string());
        }
        f = match tx.fee_sat {
            Some(fee) => f.with("fee", sat(network, fee)),
            None => f.form("no_fee"),
        };
        d.findings.push(f);
        return d;
    }
    pending(config, network, facts, tx)
}

fn pending(config: &ChainConfig, network: Network, facts: &TxFacts, tx: &Tx) -> TxDiagnosis {
    let mut d = tx_diagnosis(config, &facts.txid, TxStatus::Pending);
    d.confirmations = Some(0);
    d.findings
        .push(Finding::new(FindingCode::Pending, Severity::Info));
    let fees = facts.fees;
    let rate = tx.fee_rate();
    let mut low = false;
    if let Some(rate) = rate {
        let with_estimates = |f: Finding| {
            [
                ("fast", fees.fast),
                ("medium", fees.medium),
                ("slow", fees.slow),
            ]
            .into_iter()
            .fold(f, |f, (name, v)| match v {
                Some(v) => f.with(name, fmt::rate(v)),
                None => f,
            })
            .with("fee_rate", fmt::rate(rate))
        };
        let below = |estimate: Option<f64>| estimate.is_some_and(|e| rate < e);
        if below(fees.slow) {
            low = true;
            d.findings.push(with_estimates(Finding::new(
                FindingCode::FeeRateLow,
                Severity::Problem,
            )));
        } else if below(fees.medium) || below(fees.fast) {
            low = below(fees.medium);
            let severity = if low {
                Severity::Warning
            } else {
                Severity::Info
            };
            d.findings.push(with_estimates(Finding::new(
                FindingCode::FeeRateLow,
                severity,
            )));
        } else {
            d.findings.push(with_estimates(Finding::new(
                FindingCode::FeeRateOk,
                Severity::Info,
            )));
        }
    }
    if tx.signals_rbf() {
        d.findings
            .push(Finding::new(FindingCode::RbfSignalled, Severity::Info));
    } else {
        let severity = if low && !facts.full_rbf {
            Severity::Warning
        } else {
            Severity::Info
        };
        d.findings
            .push(Finding::new(FindingCode::RbfNotSignalled, severity));
        if facts.full_rbf {
            d.findings
                .push(Finding::new(FindingCode::FullRbf, Severity::Info));
        }
    }
    let needs_help = rate.is_some_and(|r| fees.fast.is_none_or(|fast| r < fast));
    if needs_help {
        for (output, child_fee) in cpfp_candidates(tx, fees) {
            let mut f = Finding::new(FindingCode::CpfpPossible, Severity::Info)
                .with("output", output.index.to_string())
                .with("amount", sat(network, output.value_sat))
                .with("child_fee", sat(network, child_fee));
            if let Some(a) = &output.address {
                f = f.with("address", a.clone());
            }
            d.findings.push(f);
        }
    }
    if low
        || d.findings
            .iter()
            .any(|f| f.code == FindingCode::CpfpPossible)
    {
        d.article = Some("speed-up-or-cancel-transaction".into());
    } else {
        d.article = Some("transaction-pending-stuck".into());
    }
    d
}

/// Unspent outputs of a pending transaction whose owner could spend them in a child paying
/// enough for the parent and the child together to reach the fast rate: each with the child's
/// fee. Without a fast estimate, the target is [`CPFP_FALLBACK_MULTIPLE`] times the parent's
/// own rate.
#[must_use]
pub fn cpfp_candidates(tx: &Tx, fees: FeeEstimates) -> Vec<(&Output, u64)> {
    let (Some(parent_fee), Some(rate)) = (tx.fee_sat, tx.fee_rate()) else {
        return Vec::new();
    };
    let target = fees.fast.unwrap_or(rate * CPFP_FALLBACK_MULTIPLE).max(1.0);
    #[expect(clippy::cast_precision_loss, reason = "sizes are far below 2^52")]
    let package = tx.vsize.saturating_add(CHILD_VSIZE) as f64 * target;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive fee far below 2^63"
    )]
    let package_fee = package.ceil() as u64;
    let child_fee = package_fee.saturating_sub(parent_fee).max(CHILD_VSIZE);
    tx.outputs
        .iter()
        .filter(|o| o.spent != Some(true))
        .filter(|o| o.value_sat >= child_fee.saturating_add(DUST_SAT))
        .map(|o| (o, child_fee))
        .collect()
}

/// One transaction touching an address, as seen from that address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressTx {
    pub txid: String,
    /// `None` while in the mempool.
    pub height: Option<u64>,
    /// Block time, seconds since 1970.
    pub time: Option<u64>,
    pub received_sat: u64,
    pub sent_sat: u64,
    /// Where the coins went when the address spent: the other outputs' addresses.
    pub sent_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressFacts {
    pub address: String,
    /// Confirmed balance.
    pub confirmed_sat: u64,
    /// Coming in / going out in the mempool, when the API can tell (`None`: it cannot).
    pub pending_in_sat: Option<u64>,
    pub pending_out_sat: Option<u64>,
    /// The transactions touching it, newest first, when the API can list them (`None`: it
    /// cannot, as a Core node without an address index).
    pub txs: Option<Vec<AddressTx>>,
    /// Every transaction ever touching it (confirmed and pending), when known.
    pub tx_count: Option<u64>,
}

/// What the chain says about one address. A valid address of another network is answered
/// with `wrong_network` and nothing looked up (see [`wrong_network_address`]).
#[must_use]
pub fn diagnose_address(
    config: &ChainConfig,
    network: Network,
    facts: &AddressFacts,
) -> AddressDiagnosis {
    let mut d = AddressDiagnosis {
        chain: config.name.clone(),
        found: true,
        balance: Some(sat(network, facts.confirmed_sat)),
        tokens: Vec::new(),
        findings: Vec::new(),
        article: None,
        explorer_url: fmt::explorer(config.explorer_address.as_ref(), "address", &facts.address),
    };
    let unused = facts.tx_count == Some(0)
        || (facts.tx_count.is_none() && facts.txs.as_ref().is_some_and(Vec::is_empty));
    if let Some(incoming) = facts.pending_in_sat.filter(|v| *v > 0) {
        let mut f = Finding::new(FindingCode::PendingIncoming, Severity::Info)
            .with("amount", sat(network, incoming))
            .form("amount");
        if let Some(tx) = facts
            .txs
            .iter()
            .flatten()
            .find(|t| t.height.is_none() && t.received_sat > 0)
        {
            f = f.with("txid", tx.txid.clone());
            f.form = None;
        }
        d.findings.push(f);
        d.article = Some("transaction-pending-stuck".into());
    }
    if facts.confirmed_sat == 0 {
        if unused {
            d.findings.push(
                Finding::new(FindingCode::AddressUnused, Severity::Warning)
                    .with("network", network.label()),
            );
            d.article = Some("balance-missing-wrong-network".into());
        } else {
            d.findings.push(
                Finding::new(FindingCode::ZeroBalance, Severity::Info)
                    .with("chain", config.name.clone()),
            );
        }
        let last_send = facts.txs.iter().flatten().find(|t| t.sent_sat > 0);
        if let Some(tx) = last_send {
            let mut f = Finding::new(FindingCode::FundsMovedOut, Severity::Warning)
                .with("txid", tx.txid.clone())
                .with(
                    "amount",
                    sat(network, tx.sent_sat.saturating_sub(tx.received_sat)),
                )
                .with("to", fmt::list(&tx.sent_to, 3));
            f = match (tx.time, tx.height) {
                (Some(t), _) => f.with("when", fmt::time(t)),
                (None, Some(h)) => f.with("when", format!("#{h}")),
                (None, None) => f.with("when", "mempool"),
            };
            d.findings.push(f);
            d.article = Some("sent-to-wrong-address-or-network".into());
        }
    }
    for tx in facts.txs.iter().flatten().take(RECENT_LIMIT) {
        let (direction, amount) = if tx.sent_sat > tx.received_sat {
            ("out", tx.sent_sat - tx.received_sat)
        } else {
            ("in", tx.received_sat - tx.sent_sat)
        };
        let mut f = Finding::new(FindingCode::RecentTransaction, Severity::Info)
            .with("txid", tx.txid.clone())
            .with("direction", direction)
            .with("amount", sat(network, amount))
            .with("signed", signed(direction, &sat(network, amount)));
        f = match (tx.time, tx.height) {
            (Some(t), _) => f.with("when", fmt::time(t)),
            (None, Some(h)) => f.with("when", format!("#{h}")),
            (None, None) => f.with("when", "mempool"),
        };
        d.findings.push(f);
    }
    d
}

/// `+0.5 BTC` for money in, `-0.5 BTC` for money out: readable in every language.
pub(crate) fn signed(direction: &str, amount: &str) -> String {
    let sign = if direction == "out" { '-' } else { '+' };
    format!("{sign}{amount}")
}

/// The answer for a valid address of another network: not looked up.
#[must_use]
pub fn wrong_network_address(
    config: &ChainConfig,
    configured: Network,
    actual: Network,
) -> AddressDiagnosis {
    AddressDiagnosis {
        chain: config.name.clone(),
        found: false,
        balance: None,
        tokens: Vec::new(),
        findings: vec![
            Finding::new(FindingCode::WrongNetwork, Severity::Problem)
                .with("network", actual.label())
                .with("configured", configured.label())
                .form("address"),
        ],
        article: Some("balance-missing-wrong-network".into()),
        explorer_url: None,
    }
}

#[cfg(test)]
mod tests;
