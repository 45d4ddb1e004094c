//! `/agent/sign-in/mail-link`: an agent asks for a sign-in link by mail. The answer is the same
//! whether or not the address is an active agent's (the lookup runs after answering); limited
//! per address and per client. The link (`crate::mail::notify::send_sign_in_link`) is
//! single-use and works for [`notify::SIGN_IN_LINK_MINUTES`]; it opens `/agent/link/{token}`
//! (a button; the `POST` signs in, as for an admin's link, second factor included).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::{EmailAddress, Lang};
use serde::Deserialize;

use crate::AppState;
use crate::client::Client;
use crate::mail::notify;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, echo_text, error_page, render, see_other};

#[derive(Template)]
#[template(path = "agent_mail_link.html")]
struct MailLinkPage<'a> {
    c: Chrome<'a>,
    email: String,
    error: Option<String>,
}

fn page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    done: &Done,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    let c = Chrome::new(state, lang, csrf, "/agent/sign-in/mail-link").with_done(done);
    render(status, &MailLinkPage { c, email, error })
}

/// `GET /agent/sign-in/mail-link`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
) -> Response {
    page(
        &state,
        lang,
        &csrf,
        &done,
        StatusCode::OK,
        String::new(),
        None,
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct MailLinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// `POST /agent/sign-in/mail-link`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    Form(form): Form<MailLinkForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let Ok(addr) = EmailAddress::parse(&form.email) else {
        let msg = crate::i18n::Tr {
            i18n: &state.i18n,
            lang,
        }
        .get("sign_in_link.invalid");
        return page(
            &state,
            lang,
            &csrf,
            &Done::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
            echo_text(&form.email),
            Some(msg),
        );
    };
    let limited = state
        .limit(
            "sign_in_link:client",
            &client.key(),
            notify::SIGN_IN_LINKS_PER_CLIENT,
        )
        .and_then(|()| {
            state.limit(
                "sign_in_link:addr",
                &addr.mailbox_key(),
                notify::SIGN_IN_LINKS_PER_ADDRESS,
            )
        });
    if let Err(e) = limited {
        return error_page(&state, lang, &csrf, &e);
    }
    let bg = state.clone();
    let ip = client.ip.to_string();
    tokio::spawn(async move {
        match notify::send_sign_in_link(&bg, &addr).await {
            Ok(sent) => {
                // Who asked, for the audit trail; never whether the address is an agent's in
                // anything the asker sees.
                let _ = bg
                    .store
                    .audit(
                        None,
                        "sign_in.link_requested",
                        None,
                        &domain::Redacted::clean(&format!("from {ip}; mailed: {sent}")),
                        bg.now(),
                    )
                    .await;
            }
            Err(e) => tracing::error!(error = %e, "sign-in link mail failed"),
        }
    });
    see_other(
        "/agent/sign-in/mail-link",
        crate::web::mail_done(&state, "sign_in_link_sent"),
    )
}
