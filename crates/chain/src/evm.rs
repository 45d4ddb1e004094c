//! EVM rules: what a transaction or an address on an EVM chain (Ethereum, BNB Chain, Polygon,
//! Arbitrum, Base…) says, from plain data a JSON-RPC client fetched ([`TxFacts`],
//! [`AddressFacts`]). No I/O here: `walletdesk-chain-client`'s `evm` module fetches and decodes.
//!
//! Amounts are kept as decimal strings of base units (wei, token units) so that a `uint256` of
//! any size survives; [`format_units`] puts the decimal point in.

use crate::model::{
    AddressDiagnosis, Finding, FindingCode, Severity, TokenConfig, TxDiagnosis, TxStatus,
};

pub mod history;
pub use history::{Movement, PendingIn, Trace, TraceKind};

/// `keccak256("Transfer(address,address,uint256)")`: ERC-20's (and ERC-721's) transfer event.
pub const TRANSFER_TOPIC: &str =
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
/// The selector of `Error(string)`, what `require(cond, "reason")` and `revert("reason")` return.
const ERROR_SELECTOR: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];
/// The selector of `Panic(uint256)` (Solidity ≥ 0.8: overflow, division by zero, assert…).
const PANIC_SELECTOR: [u8; 4] = [0x4e, 0x48, 0x7b, 0x71];
/// Gas of a plain native transfer, and a usual ERC-20 `transfer` (for "can't send").
pub const GAS_NATIVE_TRANSFER: u64 = 21_000;
pub const GAS_TOKEN_TRANSFER: u64 = 65_000;

/// A transaction as `eth_getTransactionByHash` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tx {
    pub hash: String,
    /// Lower-case `0x…` addresses.
    pub from: String,
    /// `None` for a contract creation.
    pub to: Option<String>,
    pub nonce: u64,
    /// Wei.
    pub value: u128,
    pub gas_limit: u64,
    /// Legacy and EIP-2930 transactions.
    pub gas_price: Option<u128>,
    /// EIP-1559 transactions.
    pub max_fee_per_gas: Option<u128>,
    pub max_priority_fee_per_gas: Option<u128>,
    /// `None` while pending.
    pub block_number: Option<u64>,
    /// The call data is empty (a plain native transfer).
    pub input_empty: bool,
}

/// A receipt as `eth_getTransactionReceipt` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    pub success: bool,
    pub gas_used: u64,
    pub block_number: u64,
    pub effective_gas_price: Option<u128>,
    pub logs: Vec<Log>,
}

/// One event log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    /// The emitting contract, lower-case `0x…`.
    pub address: String,
    /// `0x…` 32-byte words, lower-case.
    pub topics: Vec<String>,
    pub data: Vec<u8>,
}

/// What the rules know of a transaction that is no longer found, from an earlier lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub from: String,
    pub nonce: u64,
}

/// A token contract configured on another chain (for "the recipient is an address of another
/// network").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignContract {
    pub chain: String,
    pub symbol: String,
    pub contract: String,
}

/// Everything the transaction rules look at.
#[derive(Debug, Clone, Default)]
pub struct TxFacts {
    pub chain: String,
    /// The native coin's symbol (`ETH`, `BNB`, `POL`…).
    pub symbol: String,
    pub tokens: Vec<TokenConfig>,
    pub foreign_contracts: Vec<ForeignContract>,
    pub tx: Option<Tx>,
    pub receipt: Option<Receipt>,
    pub latest_block: u64,
    /// `eth_getTransactionCount(from, "latest")` and `(from, "pending")`.
    pub sender_nonce_latest: Option<u64>,
    pub sender_nonce_pending: Option<u64>,
    /// The latest block's `baseFeePerGas` (none before London) and `eth_maxPriorityFeePerGas`.
    pub base_fee: Option<u128>,
    pub priority_fee: Option<u128>,
    /// The revert data when the failed call was replayed (`eth_call` at its block).
    pub revert_data: Option<Vec<u8>>,
    /// The transaction's recipient has code (it is a contract).
    pub recipient_has_code: bool,
    /// An earlier lookup saw this hash (for dropped and replaced).
    pub seen: Option<Seen>,
    /// `{tx}` template for the explorer.
    pub explorer_tx: Option<String>,
}

/// The transaction rules.
#[must_use]
pub fn diagnose_tx(f: &TxFacts) -> TxDiagnosis {
    let explorer_url =
        f.tx.as_ref()
            .and_then(|tx| f.explorer_tx.as_ref().map(|t| t.replace("{tx}", &tx.hash)));
    let mut d = TxDiagnosis {
        chain: f.chain.clone(),
        found: f.tx.is_some() || f.receipt.is_some(),
        status: TxStatus::NotFound,
        confirmations: None,
        findings: Vec::new(),
        article: None,
        explorer_url,
    };
    let Some(tx) = &f.tx else {
        not_found(f, &mut d);
        return d;
    };
    match &f.receipt {
        Some(r) => mined(f, tx, r, &mut d),
        None => pending(f, tx, &mut d),
    }
    transfers(f, tx, &mut d);
    d.article = article_for(&d.findings, d.status);
    d
}

fn not_found(f: &TxFacts, d: &mut TxDiagnosis) {
    let seen_nonce_used = f
        .seen
        .as_ref()
        .zip(f.sender_nonce_pending)
        .map(|(s, pending)| {
            let latest = f.sender_nonce_latest.unwrap_or(0);
            (s.nonce, latest.max(pending))
        });
    match seen_nonce_used {
        // Another transaction of the same sender took the nonce: this one can never confirm.
        Some((nonce, used)) if used > nonce => {
            d.status = TxStatus::Replaced;
            d.findings.push(
                Finding::new(FindingCode::Replaced, Severity::Warning)
                    .with("nonce", nonce.to_string()),
            );
        }
        Some((nonce, _)) => {
            d.status = TxStatus::Dropped;
            d.findings.push(
                Finding::new(FindingCode::Dropped, Severity::Warning)
                    .with("nonce", nonce.to_string()),
            );
        }
        None => {
            d.status = TxStatus::NotFound;
            d.findings.push(
                Finding::new(FindingCode::NotFound, Severity::Warning).with("chain", &f.chain),
            );
        }
    }
    d.article = article_for(&d.findings, d.status);
}

fn mined(f: &TxFacts, tx: &Tx, r: &Receipt, d: &mut TxDiagnosis) {
    let confirmations = f.latest_block.saturating_sub(r.block_number) + 1;
    d.confirmations = Some(confirmations);
    let fee = u128::from(r.gas_used)
        * r.effective_gas_price
            .or(tx.gas_price)
            .or(tx.max_fee_per_gas)
            .unwrap_or(0);
    let fee = format_units(&fee.to_string(), 18);
    if r.success {
        d.status = TxStatus::Confirmed;
        d.findings.push(
            Finding::new(FindingCode::Confirmed, Severity::Info)
                .with("confirmations", confirmations.to_string())
                .with("block", r.block_number.to_string())
                .with("fee", format!("{fee} {}", f.symbol)),
        );
        return;
    }
    d.status = TxStatus::Failed;
    if r.gas_used >= tx.gas_limit {
        d.findings.push(
            Finding::new(FindingCode::OutOfGas, Severity::Problem)
                .with("gas_limit", tx.gas_limit.to_string())
                .with("fee", format!("{fee} {}", f.symbol)),
        );
        return;
    }
    let mut finding = Finding::new(FindingCode::Reverted, Severity::Problem)
        .with("fee", format!("{fee} {}", f.symbol));
    if let Some(reason) = f.revert_data.as_deref().and_then(decode_revert) {
        finding = finding.with("reason", reason);
    }
    d.findings.push(finding);
}

fn pending(f: &TxFacts, tx: &Tx, d: &mut TxDiagnosis) {
    d.status = TxStatus::Pending;
    d.findings
        .push(Finding::new(FindingCode::Pending, Severity::Info));
    // Nonces below the latest count are mined; an earlier nonce not yet mined holds this one.
    if let Some(latest) = f.sender_nonce_latest
        && tx.nonce > latest
    {
        d.findings.push(
            Finding::new(FindingCode::NonceGap, Severity::Warning)
                .with("nonce", tx.nonce.to_string())
                .with("waiting_for", latest.to_string())
                .with("count", (tx.nonce - latest).to_string()),
        );
    }
    let offered = tx.max_fee_per_gas.or(tx.gas_price).unwrap_or(0);
    let tip = tx.max_priority_fee_per_gas.or(tx.gas_price).unwrap_or(0);
    if let Some(base) = f.base_fee {
        let wanted_tip = f.priority_fee.unwrap_or(0);
        let needed = base + wanted_tip;
        // Below the base fee it cannot be included at all; a tip far below what others pay
        // waits behind them.
        if offered < base || (offered < needed && tip < wanted_tip / 2) {
            d.findings.push(
                Finding::new(FindingCode::FeeTooLow, Severity::Warning)
                    .with("offered", format_gwei(offered))
                    .with("base_fee", format_gwei(base))
                    .with("needed", format_gwei(needed)),
            );
        }
    }
}

fn transfers(f: &TxFacts, tx: &Tx, d: &mut TxDiagnosis) {
    // A plain native transfer to a contract (often a token contract pasted as recipient).
    if let Some(to) = &tx.to
        && tx.input_empty
        && tx.value > 0
    {
        if f.recipient_has_code {
            d.findings.push(
                Finding::new(FindingCode::RecipientIsContract, Severity::Warning)
                    .with("recipient", to),
            );
        }
        foreign(f, to, d);
    }
    let Some(r) = &f.receipt else { return };
    for log in &r.logs {
        let Some(t) = decode_transfer(log) else {
            continue;
        };
        let token = f
            .tokens
            .iter()
            .find(|c| c.contract.eq_ignore_ascii_case(&log.address));
        let amount = match token {
            Some(c) => format!("{} {}", format_units(&t.amount, c.decimals), c.symbol),
            None => format!("{} ({})", t.amount, log.address),
        };
        d.findings.push(
            Finding::new(FindingCode::TokenTransfer, Severity::Info)
                .with("amount", amount)
                .with("token", log.address.clone())
                .with("from", t.from.clone())
                .with("recipient", t.to.clone()),
        );
        let is_token_contract = t.to.eq_ignore_ascii_case(&log.address)
            || f.tokens
                .iter()
                .any(|c| c.contract.eq_ignore_ascii_case(&t.to));
        if is_token_contract {
            d.findings.push(
                Finding::new(FindingCode::RecipientIsContract, Severity::Problem)
                    .with("recipient", t.to.clone()),
            );
        }
        foreign(f, &t.to, d);
    }
}

fn foreign(f: &TxFacts, recipient: &str, d: &mut TxDiagnosis) {
    if let Some(c) = f
        .foreign_contracts
        .iter()
        .find(|c| c.chain != f.chain && c.contract.eq_ignore_ascii_case(recipient))
    {
        d.findings.push(
            Finding::new(FindingCode::RecipientOtherNetwork, Severity::Problem)
                .with("recipient", recipient)
                .with("other_chain", &c.chain)
                .with("symbol", &c.symbol),
        );
    }
}

/// An ERC-20 `Transfer(from, to, value)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub from: String,
    pub to: String,
    /// Base units, decimal.
    pub amount: String,
}

/// Decodes an ERC-20 `Transfer` log (three topics; ERC-721's has four and is left out).
#[must_use]
pub fn decode_transfer(log: &Log) -> Option<Transfer> {
    if log.topics.len() != 3 || !log.topics[0].eq_ignore_ascii_case(TRANSFER_TOPIC) {
        return None;
    }
    let word = |t: &str| -> Option<String> {
        let hex = t.strip_prefix("0x")?;
        (hex.len() == 64).then(|| format!("0x{}", hex[24..].to_ascii_lowercase()))
    };
    let amount = log.data.get(..32)?;
    Some(Transfer {
        from: word(&log.topics[1])?,
        to: word(&log.topics[2])?,
        amount: be_to_decimal(amount),
    })
}

/// The reason in a revert's return data: `Error(string)`'s text, or `Panic(uint256)`'s code
/// with what it means. `None` for empty data (a bare `revert()`) or custom errors.
#[must_use]
pub fn decode_revert(data: &[u8]) -> Option<String> {
    let (selector, rest) = data.split_at_checked(4)?;
    if selector == ERROR_SELECTOR {
        let offset = usize::try_from(word_u64(rest.get(..32)?)?).ok()?;
        let len = usize::try_from(word_u64(rest.get(offset..offset + 32)?)?).ok()?;
        let start = offset + 32;
        let bytes = rest.get(start..start.checked_add(len)?)?;
        let text = String::from_utf8_lossy(bytes);
        // The reason is the contract's text: keep it short and without control characters.
        let clean: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
        return Some(clean);
    }
    if selector == PANIC_SELECTOR {
        let code = word_u64(rest.get(..32)?)?;
        let what = match code {
            0x01 => "assertion failed",
            0x11 => "arithmetic overflow or underflow",
            0x12 => "division by zero",
            0x21 => "invalid enum value",
            0x22 => "bad storage byte array",
            0x31 => "pop on an empty array",
            0x32 => "array index out of bounds",
            0x41 => "out of memory",
            0x51 => "call to an uninitialised function",
            _ => "panic",
        };
        return Some(format!("Panic(0x{code:02x}): {what}"));
    }
    None
}

/// A 32-byte big-endian word as u64, `None` when it does not fit.
fn word_u64(w: &[u8]) -> Option<u64> {
    if w.len() != 32 || w[..24].iter().any(|b| *b != 0) {
        return None;
    }
    Some(
        w[24..]
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
    )
}

/// A big-endian unsigned integer of any length as a decimal string.
#[must_use]
pub fn be_to_decimal(bytes: &[u8]) -> String {
    let mut num: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if num.is_empty() {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    while !num.is_empty() {
        let mut rem = 0u32;
        let mut next = Vec::with_capacity(num.len());
        for b in &num {
            let cur = (rem << 8) | u32::from(*b);
            let q = cur / 10;
            rem = cur % 10;
            if !(next.is_empty() && q == 0) {
                next.push(u8::try_from(q).unwrap_or(0));
            }
        }
        digits.push(char::from(b'0' + u8::try_from(rem).unwrap_or(0)));
        num = next;
    }
    digits.iter().rev().collect()
}

/// `"1500000000000000000"` with 18 decimals → `"1.5"`. Trailing zeros go; at most 8 decimals
/// are shown (more would be noise for a person), rounding down.
#[must_use]
pub fn format_units(base_units: &str, decimals: u8) -> String {
    units(base_units, decimals, 8)
}

fn units(base_units: &str, decimals: u8, shown: usize) -> String {
    let digits = base_units.trim_start_matches('0');
    let d = usize::from(decimals);
    if digits.is_empty() {
        return "0".to_owned();
    }
    let padded = if digits.len() <= d {
        format!("{}{digits}", "0".repeat(d - digits.len() + 1))
    } else {
        digits.to_owned()
    };
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac: String = frac.chars().take(shown).collect();
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    }
}

/// Wei per gas as gwei, for fees: `"12.5 gwei"`.
#[must_use]
pub fn format_gwei(wei: u128) -> String {
    let s = units(&wei.to_string(), 9, 9);
    // Fees below a thousandth of a gwei are shown as they are; above, two decimals are enough.
    let short = match s.split_once('.') {
        Some((i, f)) if i != "0" => {
            let f: String = f.chars().take(2).collect();
            let f = f.trim_end_matches('0');
            if f.is_empty() {
                i.to_owned()
            } else {
                format!("{i}.{f}")
            }
        }
        _ => s,
    };
    format!("{short} gwei")
}

/// The help article that fits a diagnosis best: the first problem, else the status.
#[must_use]
pub fn article_for(findings: &[Finding], status: TxStatus) -> Option<String> {
    let by_code = |c: FindingCode| -> Option<&'static str> {
        Some(match c {
            FindingCode::WrongNetwork
            | FindingCode::TokensOnOtherNetwork
            | FindingCode::RecipientOtherNetwork
            | FindingCode::RecipientIsContract => "sent-to-wrong-address-or-network",
            FindingCode::NonceGap | FindingCode::FeeTooLow => "speed-up-or-cancel-transaction",
            FindingCode::Reverted | FindingCode::OutOfGas => "transaction-failed-fee-charged",
            FindingCode::InsufficientFee | FindingCode::NoGasForToken => {
                "insufficient-balance-for-fee"
            }
            FindingCode::TokenNotAdded => "token-not-showing-add-custom-token",
            FindingCode::ZeroBalance | FindingCode::FundsMovedOut => {
                "balance-missing-wrong-network"
            }
            FindingCode::NotFound => "find-transaction-hash",
            FindingCode::Dropped | FindingCode::Replaced | FindingCode::Pending => {
                "transaction-pending-stuck"
            }
            _ => return None,
        })
    };
    let worst = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .max_by_key(|f| f.severity == Severity::Problem)
        .and_then(|f| by_code(f.code));
    worst
        .or(match status {
            TxStatus::Pending | TxStatus::Dropped | TxStatus::Replaced => {
                Some("transaction-pending-stuck")
            }
            TxStatus::Failed => Some("transaction-failed-fee-charged"),
            TxStatus::NotFound => Some("find-transaction-hash"),
            TxStatus::Confirmed => None,
        })
        .map(str::to_owned)
}

/// Everything the address rules look at.
#[derive(Debug, Clone, Default)]
pub struct AddressFacts {
    pub chain: String,
    pub symbol: String,
    pub address: String,
    /// Wei.
    pub balance: u128,
    /// Each configured token with its balance in base units (decimal), `None` when the call
    /// failed (a token contract that does not answer `balanceOf`).
    pub tokens: Vec<(TokenConfig, Option<String>)>,
    pub has_code: bool,
    /// `eth_getTransactionCount` latest and pending.
    pub nonce_latest: u64,
    pub nonce_pending: u64,
    pub base_fee: Option<u128>,
    pub priority_fee: Option<u128>,
    /// Native balance on other configured chains of the same address (`chain`, formatted).
    pub elsewhere: Vec<(String, String)>,
    pub explorer_address: Option<String>,
    /// Transfers to and from the address over the history's window, newest first; `None` when
    /// the node could not give it (see [`history`]).
    pub history: Option<Vec<Movement>>,
    /// Transfers to the address in the node's pool; `None` when the node does not show it.
    pub pending_in: Option<Vec<PendingIn>>,
}

impl AddressFacts {
    fn config_tokens(&self) -> Vec<TokenConfig> {
        self.tokens.iter().map(|(c, _)| c.clone()).collect()
    }
}

/// The address rules.
#[must_use]
pub fn diagnose_address(f: &AddressFacts) -> AddressDiagnosis {
    let mut findings = Vec::new();
    let balance = format!("{} {}", format_units(&f.balance.to_string(), 18), f.symbol);
    let tokens: Vec<(String, String)> = f
        .tokens
        .iter()
        .map(|(c, b)| {
            let shown = b
                .as_deref()
                .map_or_else(|| "?".to_owned(), |b| format_units(b, c.decimals));
            (c.symbol.clone(), shown)
        })
        .collect();
    let held: Vec<&TokenConfig> = f
        .tokens
        .iter()
        .filter(|(_, b)| {
            b.as_deref()
                .is_some_and(|b| !b.trim_start_matches('0').is_empty())
        })
        .map(|(c, _)| c)
        .collect();
    if f.has_code {
        findings.push(
            Finding::new(FindingCode::ContractAddress, Severity::Warning)
                .with("address", &f.address),
        );
    }
    if f.nonce_pending > f.nonce_latest {
        findings.push(
            Finding::new(FindingCode::Pending, Severity::Info)
                .with("count", (f.nonce_pending - f.nonce_latest).to_string())
                .form("outgoing"),
        );
    }
    let holds_nothing = f.balance == 0 && held.is_empty();
    if holds_nothing {
        findings
            .push(Finding::new(FindingCode::ZeroBalance, Severity::Info).with("chain", &f.chain));
    }
    findings.extend(history::findings(&history::HistoryView {
        address: &f.address,
        symbol: &f.symbol,
        tokens: &f.config_tokens(),
        history: f.history.as_deref(),
        pending_in: f.pending_in.as_deref(),
        holds_nothing,
        sent_count: f.nonce_latest,
    }));
    if holds_nothing {
        for (other, amount) in &f.elsewhere {
            findings.push(
                Finding::new(FindingCode::TokensOnOtherNetwork, Severity::Warning)
                    .with("other_chain", other)
                    .with("amount", amount),
            );
        }
    }
    for c in &held {
        findings.push(
            Finding::new(FindingCode::TokenNotAdded, Severity::Info)
                .with("symbol", &c.symbol)
                .with("contract", &c.contract),
        );
    }
    // "Can't send": the gas of the next block at the suggested tip, with the usual margin of
    // wallets (twice the base fee, which covers six full blocks of rises).
    if !f.has_code
        && let Some(base) = f.base_fee
    {
        let per_gas = base * 2 + f.priority_fee.unwrap_or(0);
        let native_fee = per_gas * u128::from(GAS_NATIVE_TRANSFER);
        let token_fee = per_gas * u128::from(GAS_TOKEN_TRANSFER);
        let fee_text = |wei: u128| format!("{} {}", format_units(&wei.to_string(), 18), f.symbol);
        if let Some(c) = held.first()
            && f.balance < token_fee
        {
            findings.push(
                Finding::new(FindingCode::NoGasForToken, Severity::Warning)
                    .with("symbol", &c.symbol)
                    .with("native", &f.symbol)
                    .with("balance", &balance)
                    .with("fee", fee_text(token_fee)),
            );
        } else if f.balance > 0 && f.balance < native_fee {
            findings.push(
                Finding::new(FindingCode::InsufficientFee, Severity::Warning)
                    .with("balance", &balance)
                    .with("fee", fee_text(native_fee)),
            );
        }
    }
    let article = address_article(&findings);
    AddressDiagnosis {
        chain: f.chain.clone(),
        found: f.balance > 0
            || !held.is_empty()
            || f.nonce_latest > 0
            || f.has_code
            || f.history.as_ref().is_some_and(|h| !h.is_empty()),
        balance: Some(balance),
        tokens,
        findings,
        article,
        explorer_url: f
            .explorer_address
            .as_ref()
            .map(|t| t.replace("{address}", &f.address)),
    }
}

fn address_article(findings: &[Finding]) -> Option<String> {
    let pick = |c: FindingCode| findings.iter().any(|f| f.code == c);
    let slug = if pick(FindingCode::NoGasForToken) || pick(FindingCode::InsufficientFee) {
        "insufficient-balance-for-fee"
    } else if pick(FindingCode::TokensOnOtherNetwork) {
        "balance-missing-wrong-network"
    } else if findings
        .iter()
        // Where the funds went is known (not only how many transactions were sent).
        .any(|f| f.code == FindingCode::FundsMovedOut && f.form.as_deref() != Some("count"))
    {
        "sent-to-wrong-address-or-network"
    } else if pick(FindingCode::PendingIncoming) {
        "transaction-pending-stuck"
    } else if pick(FindingCode::ZeroBalance) {
        "restored-wallet-shows-zero"
    } else if pick(FindingCode::TokenNotAdded) {
        "token-not-showing-add-custom-token"
    } else {
        return None;
    };
    Some(slug.to_owned())
}

/// Whether `s` is a well-formed EVM transaction hash (`0x` and 64 hex digits).
#[must_use]
pub fn is_tx_hash(s: &str) -> bool {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `s` is a well-formed EVM address (`0x` and 40 hex digits; the checksum case is not
/// required: wallets and explorers print both).
#[must_use]
pub fn is_address(s: &str) -> bool {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .is_some_and(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests;
