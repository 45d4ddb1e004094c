//! `GET /chat`: the live chat as a page of its own — full-screen in a wallet app's WebView, the
//! target of the help center's launcher, and (with `?embed=1`) the iframe that
//! `static/chat-embed.js` puts on a wallet's website. The conversation itself runs in
//! `static/chat.js` over the chat protocol (`chat/`).
//!
//! Framing: the page may be framed only by the brand's official websites (`[brand]
//! official_channels` of kind `website`), and only with `?embed=1`; everything else keeps
//! `frame-ancestors 'none'`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::i18n::Tr;
use crate::web::ViewerLang;

#[derive(Debug, Deserialize)]
pub(crate) struct ChatQuery {
    #[serde(default)]
    embed: Option<String>,
}

#[derive(Template)]
#[template(path = "chat.html")]
struct ChatPage<'a> {
    t: Tr<'a>,
    lang: &'static str,
    other_lang: &'static str,
    other_lang_name: &'static str,
    brand: String,
    never_ask: String,
    embed: bool,
    scores: Vec<String>,
    /// What chat.js shows (statuses, senders), by key.
    strings: Vec<(&'static str, String)>,
}

/// The strings chat.js reads, each from `chat.page.js.<key>`.
const JS_STRINGS: &[&str] = &[
    "sender.user",
    "sender.agent",
    "sender.assistant",
    "sender.system",
    "state.sending",
    "state.sent",
    "state.read",
    "state.failed",
    "status.connecting",
    "status.offline",
    "status.failed",
    "status.assistant",
    "status.queued",
    "status.nobody",
    "status.agent",
    "status.ended",
    "status.ticket",
    "typing",
    "rated",
    // chatuser: office hours, screenshots.
    "status.out_of_hours",
    "status.nobody_wait",
    "uploading",
    "upload_failed",
    "screenshot",
    "open_screenshot",
];

/// The origins of the brand's official websites: the only pages that may frame the chat.
fn embed_ancestors(state: &AppState) -> Vec<String> {
    state
        .brand()
        .official_channels
        .iter()
        .filter(|c| c.kind.trim().eq_ignore_ascii_case("website"))
        .filter_map(|c| {
            let v = c.value.trim();
            let v = if v.contains("://") {
                v.to_owned()
            } else {
                format!("https://{v}")
            };
            url::Url::parse(&v)
                .ok()
                .filter(|u| u.scheme() == "https" || u.scheme() == "http")
                .map(|u| u.origin().ascii_serialization())
        })
        .filter(|o| o != "null")
        .collect()
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Query(q): Query<ChatQuery>,
) -> Response {
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let embed = q.embed.as_deref() == Some("1");
    let (other_lang, other_lang_name) = match lang {
        Lang::En => ("zh-CN", "简体中文"),
        Lang::ZhCn => ("en", "English"),
    };
    let brand = state.brand().name.clone();
    let page = ChatPage {
        never_ask: t.fmt1("footer.never_ask", "brand", &brand),
        t: Tr {
            i18n: &state.i18n,
            lang,
        },
        lang: lang.as_str(),
        other_lang,
        other_lang_name,
        brand,
        embed,
        scores: (1..=5).map(|s: u8| s.to_string()).collect(),
        strings: JS_STRINGS
            .iter()
            .map(|k| (*k, t.get(&format!("chat.page.js.{k}"))))
            .collect(),
    };
    let mut resp = crate::web::render(StatusCode::OK, &page);
    if embed {
        let ancestors = embed_ancestors(&state);
        let frame = if ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            ancestors.join(" ")
        };
        let csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame}"
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            resp.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    resp.into_response()
}
