//! Static files, compiled into the binary: one binary, nothing to deploy beside it.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    ),
    (
        "ticket-form.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/ticket-form.js"),
    ),
    (
        "agent-live.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/agent-live.js"),
    ),
    (
        "time.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/time.js"),
    ),
    (
        "canned.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/canned.js"),
    ),
    (
        "chain-panel.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/chain-panel.js"),
    ),
    (
        "copy.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/copy.js"),
    ),
    (
        "file-pick.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/file-pick.js"),
    ),
    (
        "prove.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/prove.js"),
    ),
    (
        "lang-switch.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/lang-switch.js"),
    ),
    (
        "passkey.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/passkey.js"),
    ),
    (
        "notice.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/notice.js"),
    ),
    // The mnemonic check (/help/mnemonic-check, the typing guard): the package
    // packages/mnemonic-check, served under the URLs the page scripts import. On disk
    // static/mnemonic/check.js is a symlink to the package's index.js, so the same imports
    // resolve under node (the assistant's tests import secret-guard.js).
    (
        "mnemonic/check.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../packages/mnemonic-check/index.js"),
    ),
    (
        "mnemonic/page.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/mnemonic/page.js"),
    ),
    (
        "mnemonic/wordlists.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../packages/mnemonic-check/wordlists.js"),
    ),
    (
        "assistant.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/assistant.js"),
    ),
    (
        "help-search.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/help-search.js"),
    ),
    (
        "help-editor.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/help-editor.js"),
    ),
    (
        "ticket-suggest.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/ticket-suggest.js"),
    ),
    // The typing guard (every box a user types into) and the Chinese words it reads.
    (
        "secret-guard.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/secret-guard.js"),
    ),
    (
        "zh-words.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/zh-words.js"),
    ),
    // Live chat: the /chat page, its styles, and the one-tag embed for a wallet's website.
    (
        "chat.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/chat.js"),
    ),
    (
        "chat.css",
        "text/css; charset=utf-8",
        include_str!("../../static/chat.css"),
    ),
    (
        "chat-embed.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/chat-embed.js"),
    ),
    // The agents' workspace (issue 11, desk).
    (
        "desk.css",
        "text/css; charset=utf-8",
        include_str!("../../static/desk.css"),
    ),
    (
        "desk.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/desk.js"),
    ),
    (
        "desk-chat.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/desk-chat.js"),
    ),
    (
        "logo.svg",
        "image/svg+xml",
        include_str!("../../static/logo.svg"),
    ),
];

pub(crate) async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
