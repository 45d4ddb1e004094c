//! `GET /help/mnemonic-check`: the offline mnemonic self-check, in the browser.
//!
//! The page is a shell: `static/mnemonic/page.js` reads the phrase and runs
//! `packages/mnemonic-check/index.js`, served as `/static/mnemonic/check.js` (a port of `wallet::check`, kept identical by a parity test) on
//! it. No route takes a phrase: the words never reach the server, and the form has no action,
//! no method and no named field, so even without JavaScript nothing of the phrase is sent.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::AppState;
use crate::web::{Chrome, CsrfToken, ViewerLang, render};

/// The strings `page.js` fills in, handed to it in the page (it has no other source of text).
const SCRIPT_STRINGS: &[&str] = &[
    "mcheck.results",
    "mcheck.err.empty",
    "mcheck.err.too_large",
    "mcheck.err.too_many_words",
    "mcheck.count.valid",
    "mcheck.count.invalid",
    "mcheck.language",
    "mcheck.language.none",
    "mcheck.unknown",
    "mcheck.unknown.suggest",
    "mcheck.unknown.none",
    "mcheck.other_language",
    "mcheck.checksum.valid",
    "mcheck.checksum.invalid",
    "mcheck.checksum.unchecked",
    "mcheck.corrections",
    "mcheck.correction",
    "mcheck.more",
    "mcheck.swaps",
    "mcheck.swap",
    "mcheck.missing",
    "mcheck.missing.item",
    "mcheck.extra",
    "mcheck.extra.item",
    "mcheck.caution",
    "mcheck.lang.english",
    "mcheck.lang.chinese_simplified",
    "mcheck.lang.chinese_traditional",
    "mcheck.lang.japanese",
    "mcheck.lang.korean",
    "mcheck.lang.spanish",
    "mcheck.lang.french",
    "mcheck.lang.italian",
    "mcheck.lang.czech",
    "mcheck.lang.portuguese",
];

#[derive(Template)]
#[template(path = "help_mnemonic_check.html")]
struct MnemonicCheck<'a> {
    c: Chrome<'a>,
    strings: Vec<(&'static str, String)>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    let c = Chrome::new(&state, lang, &csrf, "/help/mnemonic-check");
    let strings = SCRIPT_STRINGS.iter().map(|k| (*k, c.t.get(k))).collect();
    render(StatusCode::OK, &MnemonicCheck { c, strings })
}
