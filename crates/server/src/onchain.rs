//! On-chain diagnosis wired into the desk (issue 12): the configured chains
//! (`walletdesk_chain_client::Chains`, built from `[chain.<name>]`), what a person typed turned
//! into a lookup (redaction first: a pasted key or phrase is refused and never sent to a node),
//! and the JSON the API and `walletdesk chain --json` print.
//!
//! Nothing here blocks a page or a ticket: the pages ask for a diagnosis with JavaScript after
//! they load (or within [`PAGE_BUDGET`]), and a lookup that fails is "couldn't check".

use std::collections::BTreeMap;
use std::time::Duration;

use chain::{AddressDiagnosis, Finding, TxDiagnosis};
use chain_client::{Chains, ChainsError, Lookup};
use domain::Lang;
use serde::Serialize;

use crate::config::Config;

/// The longest a page waits for a lookup before it shows "still checking".
pub const PAGE_BUDGET: Duration = Duration::from_secs(4);
/// The longest input taken (a hash or address is < 100 characters; this leaves room for spaces).
pub const MAX_INPUT: usize = 200;

/// The chains of `config`; a kind this build has no client for is logged and left out.
#[must_use]
pub fn chains(config: &Config) -> Chains {
    let configs: Vec<chain::ChainConfig> = config.chain.values().cloned().collect();
    let (chains, refused) = Chains::from_config(&configs);
    for (name, why) in refused {
        tracing::error!(chain = %name, error = %why, "chain endpoint not usable; left out");
    }
    chains
}

/// Why typed input is not looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputRefusal {
    Missing,
    TooLong,
    /// It holds a recovery phrase or private key: not looked up, echoed or logged.
    Secret,
}

impl InputRefusal {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            InputRefusal::Missing => "value_missing",
            InputRefusal::TooLong => "value_too_long",
            InputRefusal::Secret => "value_contains_secret",
        }
    }

    /// The translation key of the sentence that explains it.
    #[must_use]
    pub fn message_key(self) -> &'static str {
        match self {
            InputRefusal::Missing => "chain.input.missing",
            InputRefusal::TooLong => "chain.input.too_long",
            InputRefusal::Secret => "chain.input.secret",
        }
    }
}

/// What a person typed, made ready for a lookup: through redaction first (anything it removes
/// means the input held a secret: refused whole), then trimmed. Whether it is a transaction id
/// or address of a configured chain is the clients' to say.
///
/// `field` is what the box asked for, as on the ticket form: where a transaction id is asked
/// for and the input is nothing but one (64 hex digits, `0x` or not), it is a Bitcoin or TRON
/// txid, not a private key. Anything more — words around it ("my key is …"), another shape
/// (a WIF, an 88-character Solana key) — is read as free text, and a key in it is refused.
///
/// # Errors
/// See [`InputRefusal`].
pub fn user_input(text: &str, field: wallet::FieldHint) -> Result<String, InputRefusal> {
    if text.len() > MAX_INPUT * 4 {
        return Err(InputRefusal::TooLong);
    }
    let field = match field {
        wallet::FieldHint::TxHash if !looks_like_tx(text.trim()) => wallet::FieldHint::FreeText,
        f => f,
    };
    let options = wallet::RedactOptions {
        field,
        marker_language: None,
    };
    let red = wallet::redact_with(text, &options).map_err(|_| InputRefusal::TooLong)?;
    if red.removed_anything() {
        return Err(InputRefusal::Secret);
    }
    let t = text.trim();
    if t.is_empty() {
        return Err(InputRefusal::Missing);
    }
    if t.chars().count() > MAX_INPUT {
        return Err(InputRefusal::TooLong);
    }
    Ok(t.to_owned())
}

/// One finding as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChainFindingOut {
    /// Stable snake_case: `not_found`, `wrong_network`, `confirmed`, `pending`, `dropped`,
    /// `replaced`, `token_transfer`, `recipient_is_contract`, `recipient_other_network`,
    /// `nonce_gap`, `fee_too_low`, `reverted`, `out_of_gas`, `zero_balance`,
    /// `tokens_on_other_network`, `token_not_added`, `funds_moved_out`, `contract_address`,
    /// `insufficient_fee`, `no_gas_for_token`, and the other chain kinds' codes.
    pub code: String,
    /// `info`, `warning` or `problem`.
    pub severity: String,
    /// The finding in the chosen language.
    pub sentence: String,
    /// The values in the sentence (amounts, addresses, block numbers), by name.
    pub values: BTreeMap<String, String>,
}

/// The help article that fits.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleOut {
    pub slug: String,
    pub url: String,
}

/// What the chain says about a transaction.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TxOut {
    /// The configured chain where it was found (or those asked, when not found).
    pub chain: String,
    pub found: bool,
    /// `pending`, `confirmed`, `failed`, `dropped`, `replaced` or `not_found`.
    pub status: String,
    pub confirmations: Option<u64>,
    pub findings: Vec<ChainFindingOut>,
    pub article: Option<ArticleOut>,
    pub explorer_url: Option<String>,
    /// When the chain said it (Unix milliseconds); older than now when `cached`.
    pub fetched_at: i64,
    pub cached: bool,
    /// The language of the sentences: `en` or `zh-CN`.
    pub lang: String,
}

/// A token balance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenOut {
    pub symbol: String,
    pub amount: String,
}

/// What the chain says about an address.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AddressOut {
    pub chain: String,
    /// Whether the address holds or ever did anything here.
    pub found: bool,
    /// The native balance with its symbol (`0.5 ETH`).
    pub balance: Option<String>,
    pub tokens: Vec<TokenOut>,
    pub findings: Vec<ChainFindingOut>,
    pub article: Option<ArticleOut>,
    pub explorer_url: Option<String>,
    pub fetched_at: i64,
    pub cached: bool,
    pub lang: String,
}

fn findings(i18n: &i18n::I18n, lang: Lang, f: &[Finding]) -> Vec<ChainFindingOut> {
    f.iter()
        .map(|f| ChainFindingOut {
            code: f.code.as_str().to_owned(),
            severity: enum_str(&f.severity),
            sentence: f.sentence(i18n, lang),
            values: f.values.clone(),
        })
        .collect()
}

/// A unit enum's serde name (`"pending"`).
fn enum_str(v: &impl Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn article(slug: Option<&String>, lang: Lang) -> Option<ArticleOut> {
    slug.map(|s| ArticleOut {
        slug: s.clone(),
        url: crate::help::article_url(s, lang),
    })
}

#[must_use]
pub fn tx_out(i18n: &i18n::I18n, lang: Lang, l: &Lookup<TxDiagnosis>) -> TxOut {
    let d = &l.diagnosis;
    TxOut {
        chain: d.chain.clone(),
        found: d.found,
        status: enum_str(&d.status),
        confirmations: d.confirmations,
        findings: findings(i18n, lang, &d.findings),
        article: article(d.article.as_ref(), lang),
        explorer_url: d.explorer_url.clone(),
        fetched_at: l.fetched_at_ms,
        cached: l.cached,
        lang: lang.as_str().to_owned(),
    }
}

#[must_use]
pub fn address_out(i18n: &i18n::I18n, lang: Lang, l: &Lookup<AddressDiagnosis>) -> AddressOut {
    let d = &l.diagnosis;
    AddressOut {
        chain: d.chain.clone(),
        found: d.found,
        balance: d.balance.clone(),
        tokens: d
            .tokens
            .iter()
            .map(|(symbol, amount)| TokenOut {
                symbol: symbol.clone(),
                amount: amount.clone(),
            })
            .collect(),
        findings: findings(i18n, lang, &d.findings),
        article: article(d.article.as_ref(), lang),
        explorer_url: d.explorer_url.clone(),
        fetched_at: l.fetched_at_ms,
        cached: l.cached,
        lang: lang.as_str().to_owned(),
    }
}

/// Whether `s` reads as a transaction id (rather than an address) to any kind we know.
#[must_use]
pub fn looks_like_tx(s: &str) -> bool {
    chain::evm::is_tx_hash(s) || (s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The sentence for a registry error, in `lang`.
#[must_use]
pub fn error_sentence(i18n: &i18n::I18n, lang: Lang, e: &ChainsError) -> String {
    let key = match e {
        ChainsError::NotConfigured => "chain.error.not_configured",
        ChainsError::UnknownChain(_) => "chain.error.unknown_chain",
        ChainsError::BadInput => "chain.error.bad_input",
        ChainsError::Unreachable(_) => "chain.error.unreachable",
    };
    i18n.get(lang, key)
}

/// What the chains say about the first transaction id (else address) in a question, for the
/// assistant: the sentences to put before its answer, and the diagnosis as the API shows it.
#[derive(Debug, Clone)]
pub struct ForQuestion {
    pub sentences: Vec<String>,
    pub json: serde_json::Value,
}

/// The assistant's look at the chain: `None` when no chain is configured, the question (after
/// redaction: a pasted key is never looked up) names no transaction id or address, or the
/// lookup fails or takes longer than `budget` — the answer then goes on without it.
pub async fn for_question(
    chains: &Chains,
    i18n: &i18n::I18n,
    lang: Lang,
    question: &str,
    budget: Duration,
) -> Option<ForQuestion> {
    if !chains.is_configured() {
        return None;
    }
    let (red, _) = domain::Redacted::new(question).ok()?;
    let ids = wallet::ident::find_identifiers(red.as_str());
    let pick = |tx: bool| {
        ids.iter()
            .filter_map(|(_, id)| id.best().filter(|c| c.valid).map(|c| (id, c)))
            .find(|(id, _)| {
                if tx {
                    id.is_transaction()
                } else {
                    id.is_address()
                }
            })
            .map(|(_, c)| c.normalized.clone())
    };
    if let Some(hash) = pick(true) {
        let l = tokio::time::timeout(budget, chains.tx(&hash, None, false))
            .await
            .ok()?
            .ok()?;
        let o = tx_out(i18n, lang, &l);
        return Some(ForQuestion {
            sentences: o.findings.iter().map(|f| f.sentence.clone()).collect(),
            json: serde_json::to_value(&o).ok()?,
        });
    }
    let address = pick(false)?;
    let l = tokio::time::timeout(budget, chains.address(&address, None, false))
        .await
        .ok()?
        .ok()?;
    let o = address_out(i18n, lang, &l);
    let mut sentences = Vec::new();
    if let Some(b) = &o.balance {
        sentences.push(format!("{}: {b}", o.chain));
    }
    sentences.extend(o.findings.iter().map(|f| f.sentence.clone()));
    Some(ForQuestion {
        sentences,
        json: serde_json::to_value(&o).ok()?,
    })
}
