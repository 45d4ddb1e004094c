//! `/agent/sign-in/mail-link`: an agent asks for a sign-in link by mail. The answer is the same
//! whether or not the address is an active agent's (the lookup runs after answering); limited
//! per address and per client. The link (`crate::mail::notify::send_sign_in_link`) is
//! single-use and works for [`notify::SIGN_IN_LINK_MINUTES`]; it opens `/agent/link/{token}`
//! (a button; the `POST` signs in, as for an admin's link, second factor included).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::{Extension, Form};

use crate::AppState;
use crate::client::Client;
use crate::mail::notify;
use crate::routes::mail_form::{self, AddressForm, MailForm, MailFormPage};
use crate::web::{Chrome, CsrfToken, Done, ViewerLang};

#[derive(Template)]
#[template(path = "agent_mail_link.html")]
struct MailLinkPage<'a> {
    c: Chrome<'a>,
    email: String,
    error: Option<String>,
}

impl<'a> MailFormPage<'a> for MailLinkPage<'a> {
    const FORM: MailForm = MailForm {
        path: "/agent/sign-in/mail-link",
        invalid: "sign_in_link.invalid",
        per_client: ("sign_in_link:client", notify::SIGN_IN_LINKS_PER_CLIENT),
        per_address: ("sign_in_link:addr", notify::SIGN_IN_LINKS_PER_ADDRESS),
        done: "sign_in_link_sent",
    };
    fn new(c: Chrome<'a>, email: String, error: Option<String>) -> MailLinkPage<'a> {
        MailLinkPage { c, email, error }
    }
}

/// `GET /agent/sign-in/mail-link`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
) -> Response {
    mail_form::show::<MailLinkPage<'_>>(&state, lang, &csrf, &done)
}

/// `POST /agent/sign-in/mail-link`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    Form(form): Form<AddressForm>,
) -> Response {
    let ip = client.ip.to_string();
    mail_form::submit::<MailLinkPage<'_>, _, _>(
        &state,
        lang,
        &csrf,
        &client,
        &form,
        |bg, addr| async move {
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
        },
    )
}
