//! `/agent/mail-settings`: which notification mails the agent gets (a ticket assigned to them;
//! the user's reply on one of their tickets). Both are on until turned off.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;
use store::MailSettings;

use super::session::AgentSession;
use crate::AppState;
use crate::routes::admin::chrome;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

#[derive(Template)]
#[template(path = "agent_mail_settings.html")]
struct SettingsPage<'a> {
    c: Chrome<'a>,
    on_assign: bool,
    on_reply: bool,
}

/// `GET /agent/mail-settings`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    s: AgentSession,
    Query(done): Query<Done>,
) -> Response {
    match state.store.agent_mail_settings(s.agent.id).await {
        Ok(m) => render(
            StatusCode::OK,
            &SettingsPage {
                c: chrome(&state, lang, &csrf, "/agent/mail-settings", &s.agent).with_done(&done),
                on_assign: m.on_assign,
                on_reply: m.on_reply,
            },
        ),
        Err(e) => error_page(&state, lang, &csrf, &e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    csrf: String,
    /// Checkboxes: present when ticked.
    on_assign: Option<String>,
    on_reply: Option<String>,
}

/// `POST /agent/mail-settings`.
pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    s: AgentSession,
    Form(form): Form<SettingsForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let settings = MailSettings {
        on_assign: form.on_assign.is_some(),
        on_reply: form.on_reply.is_some(),
    };
    match state
        .store
        .set_agent_mail_settings(s.agent.id, settings)
        .await
    {
        Ok(()) => see_other("/agent/mail-settings", "mail_settings_saved"),
        Err(e) => error_page(&state, lang, &csrf, &e.into()),
    }
}
