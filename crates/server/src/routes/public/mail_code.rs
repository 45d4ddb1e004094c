//! The anti-phishing code's pages (`crate::mail::phishing_code` explains the code):
//! `/t/{token}/mail-code` shows the address's code and the forms to set, change or remove it
//! (only through a ticket's access link); each form mails a confirmation link to the ticket's
//! address, `/mail-code/confirm/{token}`, whose page shows a button (mail scanners open links)
//! and whose `POST` applies the change. That page never shows the code.
//!
//! The code field has no `maxlength`: a browser would cut a pasted phrase to the first few
//! words, too few for the redactor to call it a phrase; the server sees all of it instead.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::Lang;
use serde::Deserialize;
use store::{CodeChange, Ticket};

use crate::AppState;
use crate::auth::hash_token;
use crate::error::ApiError;
use crate::mail::{notify, phishing_code};
use crate::routes::public::ticket::load;
use crate::web::{
    Chrome, CsrfToken, Done, Problem, ViewerLang, error_page, problem_page, render, see_other,
};

#[derive(Template)]
#[template(path = "mail_code.html")]
struct CodePage<'a> {
    c: Chrome<'a>,
    token: String,
    subject: String,
    /// The code in effect: shown here only, where the access link was given.
    current: Option<String>,
    error: Option<String>,
    /// What was typed, put back after an error (never when it held a secret).
    typed: String,
}

async fn code_page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    token: &str,
    done: &Done,
    refused: Option<(StatusCode, String, String)>,
) -> Response {
    let ticket = match load(state, token).await {
        Ok(t) => t,
        Err(e) => return not_found_or(state, lang, csrf, &e),
    };
    let current = match phishing_code::lookup(state, &ticket.requester).await {
        Ok(c) => c,
        Err(e) => return error_page(state, lang, csrf, &e.into()),
    };
    let c = Chrome::new(state, lang, csrf, &format!("/t/{token}/mail-code")).with_done(done);
    let (status, error, typed) = match refused {
        Some((s, e, typed)) => (s, Some(e), typed),
        None => (StatusCode::OK, None, String::new()),
    };
    render(
        status,
        &CodePage {
            c,
            token: token.to_owned(),
            subject: ticket.subject.into_string(),
            current,
            error,
            typed,
        },
    )
}

fn not_found_or(state: &AppState, lang: Lang, csrf: &CsrfToken, e: &ApiError) -> Response {
    if matches!(e, ApiError::NotFound) {
        let t = crate::i18n::Tr {
            i18n: &state.i18n,
            lang,
        };
        problem_page(
            state,
            lang,
            csrf,
            Problem::ticket_link(&t, state.config.sending_mail().is_some()),
        )
    } else {
        error_page(state, lang, csrf, e)
    }
}

/// `GET /t/{token}/mail-code`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    code_page(&state, lang, &csrf, &token, &done, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

async fn request(state: &AppState, token: &str, code: Option<&str>) -> Result<Ticket, ApiError> {
    let ticket = load(state, token).await?;
    notify::request_code_change(state, &ticket, code).await?;
    Ok(ticket)
}

/// `POST /t/{token}/mail-code`: asks to set (or change) the code; mails the confirmation.
pub(crate) async fn set(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let code = match phishing_code::validate(&form.code) {
        Ok(c) => c,
        Err(e) => {
            // A secret is never put back into the page; anything else is, to correct.
            let typed = if matches!(
                e,
                phishing_code::CodeError::Secret | phishing_code::CodeError::PhraseWords
            ) {
                String::new()
            } else {
                crate::web::echo_text(&form.code)
            };
            let refused = (StatusCode::UNPROCESSABLE_ENTITY, t.get(e.key()), typed);
            return code_page(&state, lang, &csrf, &token, &Done::default(), Some(refused)).await;
        }
    };
    match request(&state, &token, Some(&code)).await {
        Ok(_) => see_other(
            &format!("/t/{token}/mail-code"),
            crate::web::mail_done(&state, "mail_code_sent"),
        ),
        Err(e) => not_found_or(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /t/{token}/mail-code/remove`: asks to remove the code; mails the confirmation.
pub(crate) async fn remove(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    match request(&state, &token, None).await {
        Ok(_) => see_other(
            &format!("/t/{token}/mail-code"),
            crate::web::mail_done(&state, "mail_code_remove_sent"),
        ),
        Err(e) => not_found_or(&state, lang, &csrf, &e),
    }
}

#[derive(Template)]
#[template(path = "mail_code_confirm.html")]
struct ConfirmPage<'a> {
    c: Chrome<'a>,
    token: String,
    /// After the button: what happened (a message key's text).
    result: Option<String>,
}

fn link_spent(state: &AppState, lang: Lang, csrf: &CsrfToken) -> Response {
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let p = Problem::new(StatusCode::NOT_FOUND, t.get("mail_code.confirm.spent"))
        .detail(t.get("mail_code.confirm.spent_detail"))
        .next("/my-tickets", t.get("my_tickets.title"));
    problem_page(state, lang, csrf, p)
}

/// `GET /mail-code/confirm/{token}`: a button, if the link is still good.
pub(crate) async fn confirm_show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> Response {
    if token.len() != 43 {
        return link_spent(&state, lang, &csrf);
    }
    match state
        .store
        .phishing_code_request_open(&hash_token(&token), state.now())
        .await
    {
        Ok(true) => {}
        Ok(false) => return link_spent(&state, lang, &csrf),
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    }
    let c = Chrome::new(&state, lang, &csrf, "/mail-code/confirm");
    render(
        StatusCode::OK,
        &ConfirmPage {
            c,
            token,
            result: None,
        },
    )
}

/// `POST /mail-code/confirm/{token}`: applies the change, once.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    if token.len() != 43 {
        return link_spent(&state, lang, &csrf);
    }
    let change = match state
        .store
        .confirm_phishing_code(&hash_token(&token), state.now())
        .await
    {
        Ok(c) => c,
        Err(store::StoreError::NotFound) => return link_spent(&state, lang, &csrf),
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let (key, audit) = match change {
        CodeChange::Set => ("mail_code.confirm.set", "mail_code.set"),
        CodeChange::Removed => ("mail_code.confirm.removed", "mail_code.removed"),
    };
    // That it happened, never the code nor the address.
    let _ = state
        .store
        .audit(
            None,
            audit,
            None,
            &domain::Redacted::clean("confirmed by the mailed link"),
            state.now(),
        )
        .await;
    let c = Chrome::new(&state, lang, &csrf, "/mail-code/confirm");
    let result = Some(c.t.get(key));
    render(
        StatusCode::OK,
        &ConfirmPage {
            c,
            token: String::new(),
            result,
        },
    )
}
