//! `walletdesk chain tx HASH` and `walletdesk chain address ADDR` (issue 12): what the chains
//! configured in `[chain.<name>]` of the configuration say, as sentences or `--json` (the
//! API's shape). The input goes through redaction first: a pasted key or phrase is refused and
//! never sent to a node.
//!
//! Exit status: 0 the lookup worked (whatever it found), 1 no endpoint answered (or none is
//! configured), 2 bad input (not a hash or address of a configured chain, an unknown chain, a
//! secret).

use std::io::Write;

use chain_client::ChainsError;
use domain::Lang;
use server::Config;
use server::onchain::{self, ChainFindingOut};

/// No endpoint answered, or none is configured: exit status 1.
#[derive(Debug)]
pub(crate) struct NoAnswer(pub(crate) String);

impl std::fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoAnswer {}

/// What to look up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum What {
    Tx,
    Address,
}

pub(crate) fn run(
    config: &Config,
    what: What,
    value: &str,
    chain: Option<&str>,
    lang: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let lang = match lang {
        None => Lang::En,
        Some(l) => Lang::parse_loose(l)
            .ok_or_else(|| crate::UsageError("--lang must be en or zh-CN".to_owned()))?,
    };
    let i18n = i18n::I18n::default();
    // As in the API: 64 bare hex digits asked for as a transaction are a txid.
    let field = match what {
        What::Tx => wallet::FieldHint::TxHash,
        What::Address => wallet::FieldHint::Address,
    };
    let value = onchain::user_input(value, field)
        .map_err(|r| crate::UsageError(i18n.get(lang, r.message_key())))?;
    let chains = onchain::chains(config);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let fail = |e: &ChainsError| -> anyhow::Error {
        let sentence = onchain::error_sentence(&i18n, lang, e);
        match e {
            ChainsError::NotConfigured => NoAnswer(sentence).into(),
            ChainsError::Unreachable(why) => NoAnswer(format!("{sentence} ({why})")).into(),
            ChainsError::BadInput | ChainsError::UnknownChain(_) => {
                crate::UsageError(sentence).into()
            }
        }
    };
    match what {
        What::Tx => {
            let l = rt
                .block_on(chains.tx(&value, chain, true))
                .map_err(|e| fail(&e))?;
            let o = onchain::tx_out(&i18n, lang, &l);
            if json {
                writeln!(out, "{}", serde_json::to_string(&o)?)?;
            } else {
                let status = i18n.get(lang, &format!("chain.status.{}", o.status));
                match o.confirmations {
                    Some(n) => writeln!(out, "{}: {status} ({n})", o.chain)?,
                    None => writeln!(out, "{}: {status}", o.chain)?,
                }
                lines(
                    out,
                    &o.findings,
                    o.article.as_ref(),
                    o.explorer_url.as_deref(),
                )?;
            }
        }
        What::Address => {
            let l = rt
                .block_on(chains.address(&value, chain, true))
                .map_err(|e| fail(&e))?;
            let o = onchain::address_out(&i18n, lang, &l);
            if json {
                writeln!(out, "{}", serde_json::to_string(&o)?)?;
            } else {
                writeln!(out, "{}: {}", o.chain, o.balance.as_deref().unwrap_or("?"))?;
                for t in &o.tokens {
                    writeln!(out, "  {} {}", t.amount, t.symbol)?;
                }
                lines(
                    out,
                    &o.findings,
                    o.article.as_ref(),
                    o.explorer_url.as_deref(),
                )?;
            }
        }
    }
    Ok(())
}

fn lines(
    out: &mut impl Write,
    findings: &[ChainFindingOut],
    article: Option<&onchain::ArticleOut>,
    explorer: Option<&str>,
) -> std::io::Result<()> {
    for f in findings {
        writeln!(out, "- [{}] {}", f.code, f.sentence)?;
    }
    if let Some(a) = article {
        writeln!(out, "{}", a.url)?;
    }
    if let Some(e) = explorer {
        writeln!(out, "{e}")?;
    }
    Ok(())
}
