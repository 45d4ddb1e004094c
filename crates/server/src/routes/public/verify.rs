//! `/verify`: "Is this really us?" — a user pastes what claims to be support (a link, an
//! address, a handle, a number) and sees whether it is one of the official channels, each
//! finding explained, and the channels themselves. `POST /verify/report` files a fake as a
//! `security` ticket (`crate::verify::report`) and redirects to the ticket's link.
//!
//! `POST /verify` only reads, so it answers with the verdict page itself (a reload asks again,
//! which is harmless); the report form follows post/redirect/get.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::verify::{self, Refusal, Report};
use crate::web::{Chrome, CsrfToken, ViewerLang, echo_text, error_page, field_message, render};

/// One finding as the page shows it.
#[derive(Debug)]
pub(crate) struct FindingView {
    pub code: &'static str,
    pub message: String,
}

/// The verdict as the page shows it.
#[derive(Debug)]
pub(crate) struct VerdictView {
    pub official: bool,
    pub kind: String,
    pub findings: Vec<FindingView>,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage<'a> {
    c: Chrome<'a>,
    /// What was checked, as typed (redacted; empty after a refusal for a secret).
    value: String,
    refusal: Option<String>,
    verdict: Option<VerdictView>,
    report_email: String,
    report_note: String,
    report_errors: Vec<String>,
}

fn page<'a>(state: &'a AppState, lang: Lang, csrf: &CsrfToken) -> VerifyPage<'a> {
    VerifyPage {
        c: Chrome::new(state, lang, csrf, "/verify"),
        value: String::new(),
        refusal: None,
        verdict: None,
        report_email: String::new(),
        report_note: String::new(),
        report_errors: Vec::new(),
    }
}

fn view(state: &AppState, t: &Tr<'_>, v: &official::Verdict) -> VerdictView {
    let brand = state.brand().name.clone();
    VerdictView {
        official: v.official,
        kind: verify::kind_label(t, v.kind),
        findings: v
            .findings
            .iter()
            .map(|f| FindingView {
                code: f.code.as_str(),
                message: verify::explain(t, f, &brand),
            })
            .collect(),
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
}

/// Fills the page with the verdict on `value`, or the reason it was not checked; the status
/// to answer with.
fn judge(state: &AppState, p: &mut VerifyPage<'_>, value: &str) -> (StatusCode, Option<u64>) {
    match verify::check(state, value) {
        Ok(v) => {
            p.value = value.trim().to_owned();
            p.verdict = Some(view(state, &p.c.t, &v));
            (StatusCode::OK, None)
        }
        Err(r) => {
            p.refusal = Some(r.message(&p.c.t));
            // A secret is never shown back; anything else is, redacted as always.
            if !matches!(r, Refusal::Secret) {
                p.value = echo_text(value);
            }
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
    }
}

fn respond(p: &VerifyPage<'_>, status: StatusCode, retry: Option<u64>) -> Response {
    let mut resp = render(status, p);
    if let Some(secs) = retry {
        resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    resp
}

/// `POST /verify`: the verdict.
pub(crate) async fn check(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<CheckForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        // An expired form comes back with the value, ready to send again.
        let mut p = page(&state, lang, &csrf);
        p.value = echo_text(&form.value);
        p.refusal = Some(p.c.t.get("error.csrf"));
        return render(e.status(), &p);
    }
    let mut p = page(&state, lang, &csrf);
    let (status, retry) = judge(&state, &mut p, &form.value);
    respond(&p, status, retry)
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    note: String,
}

/// `POST /verify/report`: a security ticket with the evidence, then its page (`303`).
pub(crate) async fn report(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<ReportForm>,
) -> Response {
    let again = |state: &AppState, error: String, status: StatusCode, retry: Option<u64>| {
        let mut p = page(state, lang, &csrf);
        if let Some(v) = verify::verdict_unlimited(state, &form.value) {
            p.value = form.value.trim().to_owned();
            p.verdict = Some(view(state, &p.c.t, &v));
        }
        p.report_email = echo_text(&form.email);
        p.report_note = echo_text(&form.note);
        p.report_errors.push(error);
        respond(&p, status, retry)
    };
    if let Err(e) = csrf.check(&form.csrf) {
        let t = Tr {
            i18n: &state.i18n,
            lang,
        };
        return again(&state, t.get("error.csrf"), e.status(), None);
    }
    if form.note.chars().count() > 4000 {
        let t = Tr {
            i18n: &state.i18n,
            lang,
        };
        return again(
            &state,
            t.get("verify.report.note_too_long"),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        );
    }
    let r = Report {
        value: form.value.clone(),
        email: form.email.clone(),
        note: form.note.clone(),
    };
    match verify::report(&state, lang, &r).await {
        Ok(created) => Redirect::to(&format!("/t/{}?done=created", created.token)).into_response(),
        Err(ApiError::Invalid(errors)) => {
            let t = Tr {
                i18n: &state.i18n,
                lang,
            };
            let msg = errors
                .iter()
                .map(|e| field_message(&t, e))
                .collect::<Vec<_>>()
                .join(" ");
            again(&state, msg, StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        Err(ApiError::RateLimited { retry_after_secs }) => {
            let t = Tr {
                i18n: &state.i18n,
                lang,
            };
            again(
                &state,
                t.fmt1("form.rate_limited", "wait", &t.wait(retry_after_secs)),
                StatusCode::TOO_MANY_REQUESTS,
                Some(retry_after_secs),
            )
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
