//! TRON's rules, over plain data a client fetched from a TronGrid-compatible HTTP API: where a
//! transaction stands (TRON's results: `SUCCESS`, `OUT_OF_ENERGY`, `REVERT`…), the energy and
//! bandwidth it used from stake or burnt as TRX, its TRC-20 transfers, and for an address the
//! balances, recent transfers, and "can't send": a TRC-20 balance without the TRX (or staked
//! energy) a transfer burns.

use wallet::codec;

use crate::bitcoin::fmt;
use crate::model::{
    AddressDiagnosis, ChainConfig, Finding, FindingCode, Severity, TokenConfig, TxDiagnosis,
    TxStatus,
};

pub const TRX_DECIMALS: u8 = 6;
/// Energy a TRC-20 `transfer` costs at most (USDT to an address that never held it: about
/// 65 000; to one that does: about 32 000).
pub const TRC20_TRANSFER_ENERGY: u64 = 65_000;
/// Bandwidth (bytes) of a TRC-20 transfer and of a TRX transfer.
pub const TRC20_TRANSFER_BANDWIDTH: u64 = 345;
pub const TRX_TRANSFER_BANDWIDTH: u64 = 270;
/// The network's prices when the endpoint does not say (`getchainparameters`): sun per unit.
pub const DEFAULT_ENERGY_PRICE_SUN: u64 = 210;
pub const DEFAULT_BANDWIDTH_PRICE_SUN: u64 = 1000;
/// At most this many recent transfers are listed for an address.
pub const RECENT_LIMIT: usize = 5;
/// `Transfer(address,address,uint256)`'s topic.
pub const TRANSFER_TOPIC: &str = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// A TRON address (21 bytes, 0x41 first) from its base58check form (`T…`) or hex (`41…`, or
/// the 20-byte hex of a log).
#[must_use]
pub fn parse_address(s: &str) -> Option<[u8; 21]> {
    let s = s.trim();
    let bytes = if s.starts_with('T') && s.len() == 34 {
        codec::base58check_decode(s)?
    } else {
        let hex = s.strip_prefix("0x").unwrap_or(s);
        let mut b = codec::hex_decode(hex)?;
        if b.len() == 20 {
            b.insert(0, 0x41);
        }
        b
    };
    let array: [u8; 21] = bytes.try_into().ok()?;
    (array[0] == 0x41).then_some(array)
}

/// The base58check form (`T…`) of a TRON address given in any form [`parse_address`] reads.
#[must_use]
pub fn base58(s: &str) -> Option<String> {
    parse_address(s).map(|a| codec::base58check_encode(&a))
}

/// A 32-byte ABI word holding an address → `T…`.
#[must_use]
pub fn address_from_word(word: &str) -> Option<String> {
    let word = word.strip_prefix("0x").unwrap_or(word);
    if word.len() != 64 || !word.is_ascii() {
        return None;
    }
    base58(&word[24..])
}

/// A 32-byte ABI word → an amount (when it fits in 128 bits).
#[must_use]
pub fn amount_from_word(word: &str) -> Option<u128> {
    let word = word.strip_prefix("0x").unwrap_or(word);
    if word.len() != 64 || !word.is_ascii() || !word[..32].bytes().all(|b| b == b'0') {
        return None;
    }
    u128::from_str_radix(&word[32..], 16).ok()
}

/// `transfer(address,uint256)` call data (`a9059cbb…`) → (to, amount).
#[must_use]
pub fn decode_transfer_call(data: &str) -> Option<(String, u128)> {
    let data = data.strip_prefix("0x").unwrap_or(data);
    let args = data.strip_prefix("a9059cbb")?;
    if args.len() < 128 || !args.is_ascii() {
        return None;
    }
    Some((
        address_from_word(&args[..64])?,
        amount_from_word(&args[64..128])?,
    ))
}

/// What a user typed as a TRON address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressInput {
    /// A TRON address, as `T…`.
    Tron(String),
    /// An EVM address (`0x` and 40 hex digits): the wrong network. The same key's TRON address
    /// has the same 20 bytes, but funds sent on an EVM chain are not on TRON.
    Evm,
    Invalid,
}

/// Reads a user's address: `T…` or `41…` hex are TRON's; `0x…` is an EVM address.
#[must_use]
pub fn classify_address(s: &str) -> AddressInput {
    let s = s.trim();
    if s.len() == 42 && (s.starts_with("0x") || s.starts_with("0X")) {
        return if s[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
            AddressInput::Evm
        } else {
            AddressInput::Invalid
        };
    }
    if s.len() != 34 && s.len() != 42 {
        return AddressInput::Invalid;
    }
    base58(s).map_or(AddressInput::Invalid, AddressInput::Tron)
}

/// The answer for an address of another network: not looked up.
#[must_use]
pub fn wrong_network_address(config: &ChainConfig, network: &str) -> AddressDiagnosis {
    AddressDiagnosis {
        chain: config.name.clone(),
        found: false,
        balance: None,
        tokens: Vec::new(),
        findings: vec![
            Finding::new(FindingCode::WrongNetwork, Severity::Problem)
                .with("network", network)
                .with("configured", "TRON")
                .form("address"),
        ],
        article: Some("balance-missing-wrong-network".into()),
        explorer_url: None,
    }
}

/// A transaction id: 64 hex digits, lower-cased.
#[must_use]
pub fn parse_txid(id: &str) -> Option<String> {
    crate::bitcoin::parse_txid(id.strip_prefix("0x").unwrap_or(id))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trc20Transfer {
    /// The token contract, `T…`.
    pub token: String,
    pub from: String,
    pub to: String,
    pub amount: u128,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TronTx {
    pub txid: String,
    /// `TransferContract`, `TriggerSmartContract`, `TransferAssetContract`…
    pub contract_type: String,
    pub owner: Option<String>,
    /// TRX transfers: the recipient and amount.
    pub to: Option<String>,
    pub amount_sun: Option<u64>,
    /// A contract call: the contract and, for `transfer(address,uint256)`, what it sends.
    pub contract: Option<String>,
    pub call: Option<Trc20Transfer>,
    pub fee_limit_sun: Option<u64>,
    /// `ret[0].contractRet`, once executed.
    pub result: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TronReceipt {
    pub block_number: u64,
    pub block_time_ms: Option<u64>,
    /// Everything burnt, in sun.
    pub fee_sun: u64,
    /// Energy from the sender's stake, and energy paid by burning `energy_fee` sun.
    pub energy_usage: u64,
    pub energy_fee: u64,
    pub origin_energy_usage: u64,
    pub energy_usage_total: u64,
    /// Bandwidth (bytes) from stake or the free daily allowance, and sun burnt for it.
    pub net_usage: u64,
    pub net_fee: u64,
    /// `receipt.result` (`SUCCESS`, `REVERT`, `OUT_OF_ENERGY`…); absent for plain transfers.
    pub result: Option<String>,
    /// `resMessage`, decoded (a revert reason).
    pub message: Option<String>,
    /// TRC-20 `Transfer` logs.
    pub transfers: Vec<Trc20Transfer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TronTxFacts {
    pub txid: String,
    pub tx: Option<TronTx>,
    /// `None` while not yet in a block.
    pub receipt: Option<TronReceipt>,
    pub head_block: Option<u64>,
}

fn trx(sun: u64) -> String {
    fmt::units(u128::from(sun), TRX_DECIMALS, "TRX")
}

fn token<'a>(config: &'a ChainConfig, contract: &str) -> Option<&'a TokenConfig> {
    config.tokens.iter().find(|t| t.contract == contract)
}

fn token_amount(config: &ChainConfig, contract: &str, raw: u128) -> (String, String) {
    match token(config, contract) {
        Some(t) => (t.symbol.clone(), fmt::units(raw, t.decimals, &t.symbol)),
        None => (contract.to_owned(), raw.to_string()),
    }
}

fn transfer_finding(config: &ChainConfig, t: &Trc20Transfer) -> Vec<Finding> {
    let (symbol, amount) = token_amount(config, &t.token, t.amount);
    let mut out = vec![
        Finding::new(FindingCode::TokenTransfer, Severity::Info)
            .with("token", symbol)
            .with("contract", t.token.clone())
            .with("amount", amount)
            .with("from", t.from.clone())
            .with("to", t.to.clone())
            .form("tron"),
    ];
    if t.to == t.token || config.tokens.iter().any(|c| c.contract == t.to) {
        out.push(
            Finding::new(FindingCode::RecipientIsContract, Severity::Problem)
                .with("to", t.to.clone())
                .form("tron"),
        );
    }
    out
}

/// What the chain says about one transaction.
#[must_use]
pub fn diagnose_tx(config: &ChainConfig, facts: &TronTxFacts) -> TxDiagnosis {
    let mut d = TxDiagnosis {
        chain: config.name.clone(),
        found: true,
        status: TxStatus::Pending,
        confirmations: None,
        findings: Vec::new(),
        article: None,
        explorer_url: fmt::explorer(config.explorer_tx.as_ref(), "tx", &facts.txid),
    };
    let Some(tx) = &facts.tx else {
        d.found = false;
        d.status = TxStatus::NotFound;
        d.explorer_url = None;
        d.findings.push(
            Finding::new(FindingCode::NotFound, Severity::Warning)
                .with("chain", config.name.clone())
                .with("network", "TRON"),
        );
        d.article = Some("sent-to-wrong-address-or-network".into());
        return d;
    };
    let Some(r) = &facts.receipt else {
        d.confirmations = Some(0);
        d.findings
            .push(Finding::new(FindingCode::Pending, Severity::Info));
        if let Some(call) = &tx.call {
            d.findings.extend(transfer_finding(config, call));
        }
        d.article = Some("transaction-pending-stuck".into());
        return d;
    };
    let result = r
        .result
        .clone()
        .or_else(|| tx.result.clone())
        .unwrap_or_else(|| "SUCCESS".into());
    d.confirmations = facts
        .head_block
        .map(|h| h.saturating_sub(r.block_number).saturating_add(1));
    let failed = result != "SUCCESS";
    if failed {
        d.status = TxStatus::Failed;
        let finding = match result.as_str() {
            "OUT_OF_ENERGY" => {
                let mut f = Finding::new(FindingCode::OutOfEnergy, Severity::Problem)
                    .with("energy", r.energy_usage_total.to_string())
                    .with("burnt", trx(r.fee_sun));
                if let Some(limit) = tx.fee_limit_sun {
                    f = f.with("fee_limit", trx(limit));
                }
                d.article = Some("tron-energy-bandwidth".into());
                f
            }
            "REVERT" => {
                d.article = Some("transaction-failed-fee-charged".into());
                let f = Finding::new(FindingCode::Reverted, Severity::Problem)
                    .with("fee", trx(r.fee_sun));
                // Without a message the sentence without a reason is used.
                match r.message.clone().filter(|m| !m.trim().is_empty()) {
                    Some(reason) => f.with("reason", reason),
                    None => f,
                }
            }
            other => {
                d.article = Some("transaction-failed-fee-charged".into());
                Finding::new(FindingCode::TxFailed, Severity::Problem).with("result", other)
            }
        };
        d.findings
            .push(finding.with("block", r.block_number.to_string()));
    } else {
        d.status = TxStatus::Confirmed;
        let mut f = Finding::new(FindingCode::Confirmed, Severity::Info)
            .with("block", r.block_number.to_string())
            .with("fee", trx(r.fee_sun));
        if let Some(c) = d.confirmations {
            f = f.with("confirmations", c.to_string());
        }
        d.findings.push(f);
    }
    if r.energy_fee > 0 {
        let burnt_energy = r
            .energy_usage_total
            .saturating_sub(r.energy_usage)
            .saturating_sub(r.origin_energy_usage);
        d.findings.push(
            Finding::new(
                FindingCode::EnergyBurnt,
                if failed {
                    Severity::Warning
                } else {
                    Severity::Info
                },
            )
            .with("energy", burnt_energy.to_string())
            .with("trx", trx(r.energy_fee)),
        );
    }
    if r.net_fee > 0 {
        d.findings.push(
            Finding::new(FindingCode::BandwidthBurnt, Severity::Info)
                .with(
                    "bandwidth",
                    (r.net_fee / DEFAULT_BANDWIDTH_PRICE_SUN).to_string(),
                )
                .with("trx", trx(r.net_fee)),
        );
    }
    if r.energy_usage > 0 || r.net_usage > 0 {
        d.findings.push(
            Finding::new(FindingCode::ResourcesUsed, Severity::Info)
                .with("energy", r.energy_usage.to_string())
                .with("bandwidth", r.net_usage.to_string()),
        );
    }
    if !failed {
        for t in &r.transfers {
            d.findings.extend(transfer_finding(config, t));
        }
        if d.article.is_none() && r.energy_fee > 0 {
            d.article = Some("tron-energy-bandwidth".into());
        }
    }
    d
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TronResources {
    pub free_net_limit: u64,
    pub free_net_used: u64,
    pub net_limit: u64,
    pub net_used: u64,
    pub energy_limit: u64,
    pub energy_used: u64,
}

impl TronResources {
    #[must_use]
    pub fn energy_available(&self) -> u64 {
        self.energy_limit.saturating_sub(self.energy_used)
    }

    #[must_use]
    pub fn bandwidth_available(&self) -> u64 {
        self.free_net_limit
            .saturating_sub(self.free_net_used)
            .saturating_add(self.net_limit.saturating_sub(self.net_used))
    }
}

/// One TRC-20 transfer touching the address (TronGrid's history), newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TronTransferEvent {
    pub txid: String,
    pub token: String,
    pub symbol: String,
    pub decimals: u8,
    pub from: String,
    pub to: String,
    pub amount: u128,
    pub time_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TronAddressFacts {
    pub address: String,
    /// `false`: the account was never activated (`getaccount` answers `{}`).
    pub exists: bool,
    pub balance_sun: u64,
    pub resources: TronResources,
    /// Configured tokens' raw balances, by contract.
    pub tokens: Vec<(String, u128)>,
    pub energy_price_sun: u64,
    pub bandwidth_price_sun: u64,
    /// TRC-20 history, when the endpoint offers TronGrid's `/v1/accounts/…/transactions/trc20`.
    pub transfers: Option<Vec<TronTransferEvent>>,
}

/// What the chain says about one address, including "can't send".
#[must_use]
pub fn diagnose_address(config: &ChainConfig, facts: &TronAddressFacts) -> AddressDiagnosis {
    let mut d = AddressDiagnosis {
        chain: config.name.clone(),
        found: facts.exists,
        balance: Some(trx(facts.balance_sun)),
        tokens: Vec::new(),
        findings: Vec::new(),
        article: None,
        explorer_url: fmt::explorer(config.explorer_address.as_ref(), "address", &facts.address),
    };
    for (contract, raw) in &facts.tokens {
        let (symbol, amount) = token_amount(config, contract, *raw);
        d.tokens.push((symbol, amount));
    }
    let any_token = facts.tokens.iter().find(|(_, raw)| *raw > 0);
    if !facts.exists {
        d.findings.push(
            Finding::new(FindingCode::AccountNotActivated, Severity::Warning)
                .with("address", facts.address.clone()),
        );
    }
    if facts.balance_sun == 0 && any_token.is_none() {
        let never_used = !facts.exists && facts.transfers.as_ref().is_none_or(Vec::is_empty);
        if never_used {
            d.findings.push(
                Finding::new(FindingCode::AddressUnused, Severity::Warning).with("network", "TRON"),
            );
            d.article = Some("balance-missing-wrong-network".into());
        } else {
            d.findings.push(
                Finding::new(FindingCode::ZeroBalance, Severity::Info)
                    .with("chain", config.name.clone()),
            );
        }
    }
    let r = facts.resources;
    if let Some((contract, _)) = any_token {
        let energy_short = TRC20_TRANSFER_ENERGY.saturating_sub(r.energy_available());
        let bandwidth_short = TRC20_TRANSFER_BANDWIDTH.saturating_sub(r.bandwidth_available());
        // Prices come from the endpoint: saturate rather than overflow on absurd ones.
        let needed = energy_short
            .saturating_mul(facts.energy_price_sun)
            .saturating_add(if bandwidth_short > 0 {
                TRC20_TRANSFER_BANDWIDTH.saturating_mul(facts.bandwidth_price_sun)
            } else {
                0
            });
        if needed > facts.balance_sun {
            let (symbol, _) = token_amount(config, contract, 0);
            d.findings.push(
                Finding::new(FindingCode::NoEnergyForToken, Severity::Problem)
                    .with("token", symbol)
                    .with("trx_needed", trx(needed))
                    .with("trx_balance", trx(facts.balance_sun))
                    .with("energy", r.energy_available().to_string()),
            );
            d.article = Some("tron-energy-bandwidth".into());
        }
    } else if facts.balance_sun > 0 && r.bandwidth_available() < TRX_TRANSFER_BANDWIDTH {
        let needed = TRX_TRANSFER_BANDWIDTH.saturating_mul(facts.bandwidth_price_sun);
        if needed >= facts.balance_sun {
            d.findings.push(
                Finding::new(FindingCode::InsufficientFee, Severity::Problem)
                    .with("trx_needed", trx(needed))
                    .with("trx_balance", trx(facts.balance_sun))
                    .form("tron"),
            );
            d.article = Some("insufficient-balance-for-fee".into());
        }
    }
    let transfers = facts.transfers.as_deref().unwrap_or_default();
    let when = |t: &TronTransferEvent| {
        t.time_ms
            .map_or_else(|| "?".to_owned(), |ms| fmt::time(ms / 1000))
    };
    if let Some(out) = transfers.iter().find(|t| t.from == facts.address) {
        let balance_of_token = facts
            .tokens
            .iter()
            .find(|(c, _)| *c == out.token)
            .map(|(_, raw)| *raw);
        let emptied = match balance_of_token {
            Some(raw) => raw == 0,
            None => facts.balance_sun == 0 && any_token.is_none(),
        };
        if emptied {
            d.findings.push(
                Finding::new(FindingCode::FundsMovedOut, Severity::Warning)
                    .with("txid", out.txid.clone())
                    .with("amount", fmt::units(out.amount, out.decimals, &out.symbol))
                    .with("to", out.to.clone())
                    .with("when", when(out)),
            );
            d.article
                .get_or_insert_with(|| "sent-to-wrong-address-or-network".into());
        }
    }
    for t in transfers.iter().take(RECENT_LIMIT) {
        let direction = if t.from == facts.address { "out" } else { "in" };
        d.findings.push(
            Finding::new(FindingCode::RecentTransaction, Severity::Info)
                .with("txid", t.txid.clone())
                .with("direction", direction)
                .with("amount", fmt::units(t.amount, t.decimals, &t.symbol))
                .with(
                    "signed",
                    crate::bitcoin::signed(direction, &fmt::units(t.amount, t.decimals, &t.symbol)),
                )
                .with("when", when(t)),
        );
    }
    d
}

#[cfg(test)]
mod tests;
