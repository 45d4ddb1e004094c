//! The shape of a diagnosis, shared by every chain kind, the server, the CLI and the API.
//!
//! The JSON form is a contract (`GET /api/v1/chain/tx/{hash}`, `walletdesk chain tx --json`):
//! `chain`, `found`, `status`, `confirmations` and `findings[].code` keep their names and values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What kind of API a configured chain speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainKind {
    /// EVM JSON-RPC (Ethereum, BNB Chain, Polygon, Arbitrum, Base… any chain id).
    Evm,
    /// A Bitcoin Core node's JSON-RPC.
    BitcoinCore,
    /// Esplora's REST API (mempool.space-compatible).
    Esplora,
    /// TRON's HTTP API (TronGrid-compatible).
    Tron,
    /// Solana JSON-RPC (optional).
    Solana,
}

/// One `[chain.<name>]` table of `walletdesk.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
    /// The table's name (`ethereum`, `bsc`, `bitcoin`, `tron`…); filled in from the key.
    #[serde(default)]
    pub name: String,
    pub kind: ChainKind,
    /// The endpoint (`http://127.0.0.1:8545`, `https://mempool.space/api`…).
    pub url: String,
    /// For EVM: the chain id the endpoint must report (a mismatch is "couldn't check").
    #[serde(default)]
    pub chain_id: Option<u64>,
    /// A transaction page on an explorer, with `{tx}`; and an address page, with `{address}`.
    #[serde(default)]
    pub explorer_tx: Option<String>,
    #[serde(default)]
    pub explorer_address: Option<String>,
    /// Tokens whose balances an address diagnosis shows.
    #[serde(default)]
    pub tokens: Vec<TokenConfig>,
    /// Per-request timeout in milliseconds.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// At most this many requests in flight to this endpoint.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// For Bitcoin Core and Esplora: which network's addresses to accept — `mainnet` (the
    /// default), `testnet`, `signet`, `regtest`, or Litecoin's `litecoin`, `litecoin-testnet`,
    /// `litecoin-regtest` (same RPC and transaction format, other address prefixes). An address
    /// of another of these networks is answered with `wrong_network`, not looked up.
    #[serde(default)]
    pub network: Option<String>,
}

impl ChainConfig {
    /// A chain with the defaults of a `[chain.<name>]` table that has only `kind` and `url`.
    #[must_use]
    pub fn new(name: &str, kind: ChainKind, url: String) -> ChainConfig {
        ChainConfig {
            name: name.to_owned(),
            kind,
            url,
            chain_id: None,
            explorer_tx: None,
            explorer_address: None,
            tokens: Vec::new(),
            timeout_ms: default_timeout_ms(),
            concurrency: default_concurrency(),
            network: None,
        }
    }
}

fn default_timeout_ms() -> u64 {
    5_000
}

fn default_concurrency() -> usize {
    4
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenConfig {
    pub symbol: String,
    /// The contract address (EVM `0x…`, TRON `T…`).
    pub contract: String,
    pub decimals: u8,
}

/// Where a transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxStatus {
    Pending,
    Confirmed,
    Failed,
    Dropped,
    Replaced,
    NotFound,
}

/// How a finding should look to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Good news or plain facts.
    Info,
    /// Something the user should act on.
    Warning,
    /// The transfer failed or funds are at risk.
    Problem,
}

/// A stable, snake_case code per kind of finding; the API's and the CLI's JSON carry it, and
/// the sentence is `chain.finding.<code>` in the translation files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    // Any chain.
    NotFound,
    WrongNetwork,
    Confirmed,
    Pending,
    Dropped,
    Replaced,
    TokenTransfer,
    RecipientIsContract,
    RecipientOtherNetwork,
    // EVM.
    NonceGap,
    FeeTooLow,
    Reverted,
    OutOfGas,
    // Bitcoin.
    FeeRateLow,
    RbfSignalled,
    RbfNotSignalled,
    CpfpPossible,
    FeeRateOk,
    FullRbf,
    // TRON.
    OutOfEnergy,
    EnergyBurnt,
    BandwidthBurnt,
    ResourcesUsed,
    TxFailed,
    AccountNotActivated,
    // Addresses.
    ZeroBalance,
    TokensOnOtherNetwork,
    TokenNotAdded,
    FundsMovedOut,
    PendingIncoming,
    /// The node does not show its pool (`txpool_content`): a transfer on its way cannot be seen.
    PendingIncomingUnknown,
    ContractAddress,
    AddressUnused,
    RecentTransaction,
    // Can't send.
    InsufficientFee,
    NoGasForToken,
    NoEnergyForToken,
    RentExempt,
}

impl FindingCode {
    /// The snake_case code, as in the JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::NotFound => "not_found",
            FindingCode::WrongNetwork => "wrong_network",
            FindingCode::Confirmed => "confirmed",
            FindingCode::Pending => "pending",
            FindingCode::Dropped => "dropped",
            FindingCode::Replaced => "replaced",
            FindingCode::TokenTransfer => "token_transfer",
            FindingCode::RecipientIsContract => "recipient_is_contract",
            FindingCode::RecipientOtherNetwork => "recipient_other_network",
            FindingCode::NonceGap => "nonce_gap",
            FindingCode::FeeTooLow => "fee_too_low",
            FindingCode::Reverted => "reverted",
            FindingCode::OutOfGas => "out_of_gas",
            FindingCode::FeeRateLow => "fee_rate_low",
            FindingCode::RbfSignalled => "rbf_signalled",
            FindingCode::RbfNotSignalled => "rbf_not_signalled",
            FindingCode::CpfpPossible => "cpfp_possible",
            FindingCode::FeeRateOk => "fee_rate_ok",
            FindingCode::FullRbf => "full_rbf",
            FindingCode::OutOfEnergy => "out_of_energy",
            FindingCode::EnergyBurnt => "energy_burnt",
            FindingCode::BandwidthBurnt => "bandwidth_burnt",
            FindingCode::ResourcesUsed => "resources_used",
            FindingCode::TxFailed => "tx_failed",
            FindingCode::AccountNotActivated => "account_not_activated",
            FindingCode::ZeroBalance => "zero_balance",
            FindingCode::TokensOnOtherNetwork => "tokens_on_other_network",
            FindingCode::TokenNotAdded => "token_not_added",
            FindingCode::FundsMovedOut => "funds_moved_out",
            FindingCode::PendingIncoming => "pending_incoming",
            FindingCode::PendingIncomingUnknown => "pending_incoming_unknown",
            FindingCode::ContractAddress => "contract_address",
            FindingCode::AddressUnused => "address_unused",
            FindingCode::RecentTransaction => "recent_transaction",
            FindingCode::InsufficientFee => "insufficient_fee",
            FindingCode::NoGasForToken => "no_gas_for_token",
            FindingCode::NoEnergyForToken => "no_energy_for_token",
            FindingCode::RentExempt => "rent_exempt",
        }
    }
}

/// One thing the chain says, with the values its sentence needs (amounts already formatted
/// with their decimals and symbol, addresses, block numbers…). The sentence itself is rendered
/// in the reader's language from `chain.finding.<code>` with these values as arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    /// Which sentence of the code fits the values: `None` is `chain.finding.<code>`, `Some(f)`
    /// is `chain.finding.<code>.<f>` — a chain kind that knows other things about the same
    /// event (a Bitcoin replacement has no nonce, an EVM one does) has its own sentence rather
    /// than a poorer shared one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
}

impl Finding {
    #[must_use]
    pub fn new(code: FindingCode, severity: Severity) -> Finding {
        Finding {
            code,
            severity,
            values: BTreeMap::new(),
            form: None,
        }
    }

    /// Picks the sentence `chain.finding.<code>.<form>` for these values.
    #[must_use]
    pub fn form(mut self, form: &str) -> Finding {
        self.form = Some(form.to_owned());
        self
    }

    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Finding {
        self.values.insert(name.to_owned(), value.into());
        self
    }
}

/// What the chain says about one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxDiagnosis {
    /// The configured chain's name where it was found (or the one asked, when not found).
    pub chain: String,
    pub found: bool,
    pub status: TxStatus,
    pub confirmations: Option<u64>,
    pub findings: Vec<Finding>,
    /// The help article's slug that fits the conclusion, if one does.
    pub article: Option<String>,
    /// The explorer page, when the chain has one configured.
    pub explorer_url: Option<String>,
}

/// What the chain says about one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressDiagnosis {
    pub chain: String,
    pub found: bool,
    /// The native balance, formatted with its decimals and symbol (`0.5 ETH`).
    pub balance: Option<String>,
    /// Configured tokens' balances: (symbol, formatted amount).
    pub tokens: Vec<(String, String)>,
    pub findings: Vec<Finding>,
    pub article: Option<String>,
    pub explorer_url: Option<String>,
}

impl Finding {
    /// The finding as a sentence in `lang`: `chain.finding.<code>` with the values filled in.
    /// When a value the sentence names is missing (a revert without a reason), the shorter
    /// `chain.finding.<code>.short` is used if the files have one.
    #[must_use]
    pub fn sentence(&self, i18n: &i18n::I18n, lang: domain::Lang) -> String {
        let args: Vec<(&str, &str)> = self
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        i18n.format(lang, &self.sentence_key(i18n, lang), &args)
    }

    /// The key [`Finding::sentence`] renders: the form's own sentence, else the code's, else
    /// (a value it names is missing) the code's `.short` one when the files have it.
    #[must_use]
    pub fn sentence_key(&self, i18n: &i18n::I18n, lang: domain::Lang) -> String {
        let code = format!("chain.finding.{}", self.code.as_str());
        let key = match &self.form {
            Some(form) => format!("{code}.{form}"),
            None => code,
        };
        let args: Vec<(&str, &str)> = self
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let full = i18n.format(lang, &key, &args);
        let short = format!("{key}.short");
        if full.contains('{') && i18n.has(&short) {
            return short;
        }
        key
    }
}

/// What an address holds, for "the same address holds … on another network": the native
/// balance and the configured tokens that are not zero (`0.5 BNB, 10 USDT`); `None` when it
/// holds nothing there.
#[must_use]
pub fn holdings(d: &AddressDiagnosis) -> Option<String> {
    let not_zero = |amount: &str| {
        amount
            .split(' ')
            .next()
            .is_some_and(|n| n.bytes().any(|b| b.is_ascii_digit() && b != b'0'))
    };
    let mut parts: Vec<String> = d.balance.iter().filter(|b| not_zero(b)).cloned().collect();
    parts.extend(
        d.tokens
            .iter()
            .filter(|(_, amount)| not_zero(amount))
            // TRON's amounts carry their symbol already.
            .map(|(symbol, amount)| {
                if amount.ends_with(symbol.as_str()) {
                    amount.clone()
                } else {
                    format!("{amount} {symbol}")
                }
            }),
    );
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// For the rules' tests: every finding has its own sentence (its code's, or its form's — never
/// the shorter fallback), in both languages, with every value it names filled in and at least
/// one of its values shown.
#[cfg(test)]
pub(crate) fn assert_full_sentences(findings: &[Finding]) {
    let i18n = i18n::I18n::default();
    for f in findings {
        for lang in [domain::Lang::En, domain::Lang::ZhCn] {
            let key = f.sentence_key(&i18n, lang);
            assert!(i18n.has(&key), "{f:?}: no {key} in the translation files");
            assert!(!key.ends_with(".short"), "{f:?} falls back to {key}");
            let s = f.sentence(&i18n, lang);
            assert!(!s.contains('{'), "{f:?}: a value is missing in {s}");
            if !f.values.is_empty() {
                assert!(
                    f.values.values().any(|v| s.contains(v.as_str())),
                    "{s} shows none of {:?}",
                    f.values
                );
            }
        }
    }
}
