//! `/admin/mail`: the outbox as admins need it — how much is waiting, and every mail that
//! failed (to whom, what kind, when, the server's answer; never the body), with a retry per
//! mail and one for all. Retrying needs no step-up: it only sends again what was already due.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::error::ApiError;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

/// A form with nothing but its CSRF field.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The failed mails listed at most.
const LIST: u32 = 200;

#[derive(Debug)]
pub(crate) struct FailedRow {
    pub id: i64,
    pub to: String,
    pub kind: String,
    pub ticket: Option<i64>,
    pub failed_at: String,
    pub attempts: u32,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin_mail.html")]
struct MailPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    /// `[mail]` is configured: the outbox is being sent.
    sending: bool,
    pending: u64,
    failed_count: u64,
    failed: Vec<FailedRow>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(done): Query<Done>,
) -> Response {
    let loaded = async {
        Ok::<_, store::StoreError>((
            state.store.mail_counts().await?,
            state.store.failed_mail(LIST).await?,
        ))
    }
    .await;
    let (counts, failed) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let flash = match done.done.as_str() {
        "retried" => Flash::notice(state.i18n.get(lang, "admin.mail.retried")),
        _ => Flash::default(),
    };
    render(
        StatusCode::OK,
        &MailPage {
            c: chrome(&state, lang, &csrf, "/admin/mail", &me),
            flash,
            sending: state.config.sending_mail().is_some(),
            pending: counts.pending,
            failed_count: counts.failed,
            failed: failed
                .into_iter()
                .map(|m| FailedRow {
                    id: m.id,
                    to: m.to.as_str().to_owned(),
                    kind: m.kind,
                    ticket: m.ticket_id.map(|t| t.0),
                    failed_at: m
                        .failed_at
                        .map(domain::Timestamp::rfc3339)
                        .unwrap_or_default(),
                    attempts: m.attempts,
                    error: m.last_error.unwrap_or_default(),
                })
                .collect(),
        },
    )
}

/// `POST /admin/mail/{id}/retry`: one failed mail back in the queue.
pub(crate) async fn retry_one(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    retry(&state, lang, &csrf, &me, Some(id), &form).await
}

/// `POST /admin/mail/retry`: every failed mail back in the queue.
pub(crate) async fn retry_all(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<CsrfForm>,
) -> Response {
    retry(&state, lang, &csrf, &me, None, &form).await
}

async fn retry(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    me: &store::Agent,
    id: Option<i64>,
    form: &CsrfForm,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(state, lang, csrf, &e);
    }
    let result = async {
        let n = state.store.retry_failed_mail(id, state.now()).await?;
        state
            .store
            .audit(
                Some(me.id),
                "mail.retry",
                id.map(|i| i.to_string()).as_deref(),
                &domain::Redacted::clean(&format!("{n} mail")),
                state.now(),
            )
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => see_other("/admin/mail", "retried"),
        Err(e) => error_page(state, lang, csrf, &e),
    }
}
