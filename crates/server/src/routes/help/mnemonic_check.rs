//! `GET /help/mnemonic-check`: the demo of the offline mnemonic check, and
//! `GET /help/mnemonic-check/download`: the offline file itself (`crate::offline_check`).
//!
//! A web page that asks for a whole phrase is what "validate your wallet" scams look like, so
//! this page is only a demo: it opens with the warning (never use a checker someone sent a link
//! to; support never sends such links; the safe places are the wallet app's own check and the
//! offline file with the network off), offers the download with its SHA-256, and its check
//! runs on an example phrase. No article, answer or reply links here as a step (kb's content
//! tests).
//!
//! The page is a shell: `static/mnemonic/page.js` reads the phrase and runs
//! `packages/mnemonic-check/index.js`, served as `/static/mnemonic/check.js` (a port of `wallet::check`, kept identical by a parity test) on
//! it. No route takes a phrase: the words never reach the server, and the form has no action,
//! no method and no named field, so even without JavaScript nothing of the phrase is sent.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::web::{Chrome, CsrfToken, ViewerLang, render};
use crate::{AppState, offline_check};

/// The strings `page.js` fills in, handed to it in the page (it has no other source of text).
pub(crate) const SCRIPT_STRINGS: &[&str] = &[
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
    sha256: &'static str,
    file_name: String,
    example: &'static str,
}

/// The demo's example: the public BIP39 test phrase with its first word mistyped.
const EXAMPLE: &str =
    "abandn abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    let c = Chrome::new(&state, lang, &csrf, "/help/mnemonic-check");
    let strings = SCRIPT_STRINGS.iter().map(|k| (*k, c.t.get(k))).collect();
    render(
        StatusCode::OK,
        &MnemonicCheck {
            c,
            strings,
            sha256: offline_check::sha256_hex(),
            file_name: offline_check::file_name(),
            example: EXAMPLE,
        },
    )
}

/// The offline file, as an attachment under its published name.
pub(crate) async fn download() -> Response {
    let disposition = format!("attachment; filename=\"{}\"", offline_check::file_name());
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        offline_check::html(),
    )
        .into_response()
}
