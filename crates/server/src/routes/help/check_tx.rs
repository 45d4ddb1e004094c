//! `/help/check-tx`: "Check my transaction" (issue 12) — a user pastes a transaction hash or an
//! address (and may pick the network) and sees what the chain says, in plain words, with the
//! help article that fits; when the chain cannot explain it, a ticket form filled in with it.
//!
//! `POST` only reads, so it answers with the page itself. The lookup has [`PAGE_BUDGET`]: a
//! slow node gives "couldn't check", never a page that hangs. What is typed passes through
//! redaction first; a secret is refused, never looked up, shown back or logged.
//!
//! [`PAGE_BUDGET`]: crate::onchain::PAGE_BUDGET

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::onchain::{self, ChainFindingOut};
use crate::web::{Chrome, CsrfToken, ViewerLang, echo_text, render};

/// The answer as the page shows it.
#[derive(Debug)]
pub(crate) struct AnswerView {
    pub chain: String,
    /// The status in words (`已确认`, `pending`), or the balance for an address.
    pub headline: String,
    pub findings: Vec<ChainFindingOut>,
    pub article_url: Option<String>,
    pub explorer_url: Option<String>,
    /// The chain explained it (found, or a clear problem); else the page offers a ticket.
    pub explained: bool,
    /// `/tickets/new?…` filled in with the value.
    pub ticket_url: String,
}

#[derive(Template)]
#[template(path = "help_check_tx.html")]
struct CheckTxPage<'a> {
    c: Chrome<'a>,
    value: String,
    chain: String,
    chains: Vec<String>,
    configured: bool,
    refusal: Option<String>,
    answer: Option<AnswerView>,
}

fn page<'a>(state: &'a AppState, lang: Lang, csrf: &CsrfToken) -> CheckTxPage<'a> {
    CheckTxPage {
        c: Chrome::new(state, lang, csrf, "/help/check-tx"),
        value: String::new(),
        chain: String::new(),
        chains: state.chains.names().map(str::to_owned).collect(),
        configured: state.chains.is_configured(),
        refusal: None,
        answer: None,
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    render(StatusCode::OK, &page(&state, lang, &csrf))
}

#[derive(Debug, Deserialize)]
pub(crate) struct CheckForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    chain: String,
}

fn ticket_url(lang: Lang, value: &str, subject: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let mut url = format!(
        "/tickets/new?category=transaction&lang={}&subject={}&body={}",
        lang.as_str(),
        enc(subject),
        enc(value)
    );
    // A transaction id also goes into its own field, checked there like one typed in.
    if onchain::looks_like_tx(value) {
        url.push_str("&tx_hash=");
        url.push_str(&enc(value));
    }
    url
}

/// `POST /help/check-tx`: the answer.
pub(crate) async fn check(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<CheckForm>,
) -> Response {
    let mut p = page(&state, lang, &csrf);
    if let Err(e) = csrf.check(&form.csrf) {
        p.value = echo_text(&form.value);
        p.refusal = Some(p.c.t.get("error.csrf"));
        return render(e.status(), &p);
    }
    // The page asks for a transaction id first (an address also works): 64 bare hex digits
    // here are a Bitcoin or TRON txid.
    let value = match onchain::user_input(&form.value, wallet::FieldHint::TxHash) {
        Ok(v) => v,
        Err(r) => {
            // A secret is never shown back; anything else is, redacted as always.
            if r != onchain::InputRefusal::Secret {
                p.value = echo_text(&form.value);
            }
            p.refusal = Some(p.c.t.get(r.message_key()));
            return render(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    p.value.clone_from(&value);
    let chain = (!form.chain.is_empty()).then_some(form.chain.as_str());
    p.chain = form.chain.clone();
    let i18n = &state.i18n;
    let subject = p.c.t.get("chain.page.ticket_subject");
    let budget = onchain::PAGE_BUDGET;
    let answer = if onchain::looks_like_tx(&value) {
        match tokio::time::timeout(budget, state.chains.tx(&value, chain, false)).await {
            Ok(Ok(l)) => {
                let o = onchain::tx_out(i18n, lang, &l);
                let explained = o.found
                    && o.findings
                        .iter()
                        .any(|f| f.severity != "info" || f.code == "confirmed");
                Ok(AnswerView {
                    headline: i18n.get(lang, &format!("chain.status.{}", o.status)),
                    chain: o.chain,
                    findings: o.findings,
                    article_url: o.article.map(|a| a.url),
                    explorer_url: o.explorer_url,
                    explained,
                    ticket_url: ticket_url(lang, &value, &subject),
                })
            }
            Ok(Err(e)) => Err(onchain::error_sentence(i18n, lang, &e)),
            Err(_) => Err(i18n.get(lang, "chain.error.unreachable")),
        }
    } else {
        match tokio::time::timeout(budget, state.chains.address(&value, chain, false)).await {
            Ok(Ok(l)) => {
                let o = onchain::address_out(i18n, lang, &l);
                let mut headline = o.balance.clone().unwrap_or_default();
                for t in &o.tokens {
                    headline.push_str(&format!(" · {} {}", t.amount, t.symbol));
                }
                Ok(AnswerView {
                    headline,
                    chain: o.chain,
                    explained: !o.findings.is_empty(),
                    findings: o.findings,
                    article_url: o.article.map(|a| a.url),
                    explorer_url: o.explorer_url,
                    ticket_url: ticket_url(lang, &value, &subject),
                })
            }
            Ok(Err(e)) => Err(onchain::error_sentence(i18n, lang, &e)),
            Err(_) => Err(i18n.get(lang, "chain.error.unreachable")),
        }
    };
    match answer {
        Ok(a) => {
            p.answer = Some(a);
            render(StatusCode::OK, &p)
        }
        Err(sentence) => {
            p.refusal = Some(sentence);
            render(StatusCode::OK, &p)
        }
    }
}
