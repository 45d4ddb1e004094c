//! The ticket form: `GET /tickets/new` shows it, `POST /tickets/new` submits it.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{CHAINS, Category, FieldError, TicketDraft, TicketField};
use serde::Deserialize;
use store::HelpEventKind;
use wallet::FieldHint;

use crate::AppState;
use crate::attachments::FormWithFiles;
use crate::error::ApiError;
use crate::tickets;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, field_message, render, summary_line};

/// A form field as the template shows it.
#[derive(Debug)]
pub(crate) struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub required: bool,
    /// Categories that show this field (`data-categories`).
    pub categories: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "ticket_new.html")]
struct NewTicketPage<'a> {
    c: Chrome<'a>,
    categories: Vec<(&'static str, String)>,
    chains: Vec<(&'static str, String)>,
    email: String,
    category: String,
    subject: String,
    body: String,
    chain: String,
    fields: Vec<FieldView>,
    /// The error summary: (field, "label: message").
    errors: Vec<(String, String)>,
    /// A refusal that is no field's (a rate limit), first in the summary.
    form_error: Option<String>,
    /// Each field's message beside it.
    email_error: Option<String>,
    category_error: Option<String>,
    chain_error: Option<String>,
    subject_error: Option<String>,
    body_error: Option<String>,
    screenshots_label: String,
    screenshots_error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewTicketForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    draft: TicketDraft,
}

fn page<'a>(c: Chrome<'a>, draft: &TicketDraft, errors: &[FieldError]) -> NewTicketPage<'a> {
    let t = c.t;
    let err = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| field_message(&t, e))
    };
    let value = |f: TicketField| {
        match f {
            TicketField::Chain => draft.chain.clone(),
            TicketField::TxHash => draft.tx_hash.clone(),
            TicketField::Address => draft.address.clone(),
            TicketField::AppVersion => draft.app_version.clone(),
            TicketField::DeviceOs => draft.device_os.clone(),
        }
        .unwrap_or_default()
    };
    let category = Category::parse(&draft.category).ok();
    let fields = [
        TicketField::TxHash,
        TicketField::Address,
        TicketField::AppVersion,
        TicketField::DeviceOs,
    ]
    .into_iter()
    .map(|f| {
        let cats: Vec<&str> = Category::ALL
            .iter()
            .filter(|c| c.fields().iter().any(|(x, _)| *x == f))
            .map(|c| c.as_str())
            .collect();
        FieldView {
            name: f.as_str(),
            label: t.get(&format!("field.{}", f.as_str())),
            value: value(f),
            required: category.is_some_and(|c| c.fields().contains(&(f, true))),
            categories: cats.join(" "),
            error: err(f.as_str()),
        }
    })
    .collect();
    NewTicketPage {
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), t.get(&format!("category.{}", c.as_str()))))
            .collect(),
        chains: CHAINS
            .iter()
            .map(|(k, _)| (*k, t.get(&format!("chain.{k}"))))
            .collect(),
        email: draft.email.clone(),
        category: draft.category.clone(),
        subject: draft.subject.clone(),
        body: draft.body.clone(),
        chain: value(TicketField::Chain),
        fields,
        screenshots_label: t.get("field.screenshots"),
        screenshots_error: err("screenshots"),
        // Each line names its field: "主题：此项为必填。", never the same sentence three times.
        errors: errors
            .iter()
            .map(|e| {
                let label = t.get(&format!("field.{}", e.field));
                (
                    e.field.to_owned(),
                    summary_line(&t, &label, &field_message(&t, e)),
                )
            })
            .collect(),
        form_error: None,
        email_error: err("email"),
        category_error: err("category"),
        chain_error: err("chain"),
        subject_error: err("subject"),
        body_error: err("body"),
        c,
    }
}

/// What the form shows again after errors: every field as typed, except secrets. Each field
/// is redacted as what it asks for (64 hex digits in the hash field are a hash, in the address
/// field a key); the subject and the body together, as when a ticket is stored. A field that
/// cannot be checked (too large) comes back empty rather than as typed.
fn echo(draft: TicketDraft) -> TicketDraft {
    let field = |v: &str, hint: FieldHint| {
        domain::Redacted::with_field(v, hint)
            .map(|(r, _)| r.into_string())
            .unwrap_or_default()
    };
    let opt = |v: Option<String>, hint: FieldHint| v.map(|v| field(&v, hint));
    let (subject, body) = match domain::Redacted::joint(&[&draft.subject, &draft.body]) {
        Ok(j) => {
            let mut parts = j.parts.into_iter().map(domain::Redacted::into_string);
            (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            )
        }
        Err(_) => (String::new(), String::new()),
    };
    TicketDraft {
        email: field(&draft.email, FieldHint::FreeText),
        category: field(&draft.category, FieldHint::FreeText),
        subject,
        body,
        chain: opt(draft.chain, FieldHint::FreeText),
        tx_hash: opt(draft.tx_hash, FieldHint::TxHash),
        address: opt(draft.address, FieldHint::Address),
        app_version: opt(draft.app_version, FieldHint::FreeText),
        device_os: opt(draft.device_os, FieldHint::FreeText),
    }
}

/// `GET /tickets/new`: prefilled from the query (`category`, `subject`, `body`, `tx_hash`), so
/// the help center can carry a user's search into the form, and "Check my transaction" the hash
/// the chain could not explain.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let draft = TicketDraft {
        category: get("category"),
        subject: get("subject"),
        body: get("body"),
        tx_hash: q.get("tx_hash").filter(|v| !v.trim().is_empty()).cloned(),
        ..TicketDraft::default()
    };
    let c = Chrome::new(&state, lang, &csrf, "/tickets/new");
    // A search carried over from the help center is what someone typed, too.
    render(StatusCode::OK, &page(c, &echo(draft), &[]))
}

/// `POST /tickets/new`: a multipart form, text fields and up to five screenshots.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    parts: Result<FormWithFiles, ApiError>,
) -> Response {
    let parts = match parts {
        Ok(FormWithFiles(p)) => p,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let form: NewTicketForm = match serde_json::from_value(parts.json()) {
        Ok(f) => f,
        Err(e) => {
            let e = ApiError::bad_request(
                crate::error::ErrorCode::BadForm,
                format!("unreadable form: {e}"),
            );
            return error_page(&state, lang, &csrf, &e);
        }
    };
    if csrf.check(&form.csrf).is_err() {
        // An expired form comes back as typed, with a fresh token: sending it again works.
        let draft = echo(form.draft);
        let c = Chrome::new(&state, lang, &csrf, "/tickets/new");
        let mut p = page(c, &draft, &[]);
        p.form_error = Some(p.c.t.get("error.csrf"));
        return render(StatusCode::FORBIDDEN, &p);
    }
    let result = match parts.file_error() {
        // A refused file stops the ticket, and the form shows every other problem too.
        Some(file_error) => {
            let mut errors = form.draft.validate().err().map(|e| e.0).unwrap_or_default();
            errors.push(file_error);
            Err(ApiError::Invalid(errors))
        }
        None => tickets::create(&state, &form.draft, &parts.uploads).await,
    };
    match result {
        Ok(created) => {
            // For deflection and "searched, then still wrote in": only the browser form, so API
            // clients never count.
            if let Some(visitor) = crate::help::visitor(&headers) {
                crate::help::log_event(&state, &visitor, HelpEventKind::TicketCreated, None).await;
            }
            // Post/redirect/get: the ticket's own page, which shows the link to keep once. A
            // reload there reloads that page; it never sends the form again.
            Redirect::to(&format!("/t/{}?done=created", created.token)).into_response()
        }
        Err(ApiError::RateLimited { retry_after_secs }) => {
            limited(&state, lang, &csrf, form.draft, retry_after_secs)
        }
        Err(ApiError::Invalid(errors)) => {
            // Nothing is lost: the form comes back with what the user typed, except secrets,
            // which are not even echoed back. Files cannot be put back into a file input; the
            // message asks for them again.
            let draft = echo(form.draft);
            let c = Chrome::new(&state, lang, &csrf, "/tickets/new");
            render(StatusCode::UNPROCESSABLE_ENTITY, &page(c, &draft, &errors))
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// The form again, as typed, with how long to wait: nothing is lost while the person waits.
fn limited(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    draft: TicketDraft,
    secs: u64,
) -> Response {
    let draft = echo(draft);
    let c = Chrome::new(state, lang, csrf, "/tickets/new");
    let mut p = page(c, &draft, &[]);
    p.form_error = Some(p.c.t.fmt1("form.rate_limited", "wait", &p.c.t.wait(secs)));
    let mut resp = render(StatusCode::TOO_MANY_REQUESTS, &p);
    resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
    resp
}

/// `POST /tickets/new` refused by the rate limit (`limit.rs`) before [`submit`] ran: the
/// form as typed (its text `fields`; screenshots must be chosen again).
pub(crate) fn refused(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    fields: &[(String, String)],
    secs: u64,
) -> Response {
    let json = serde_json::Value::Object(
        fields
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    );
    let draft = serde_json::from_value::<NewTicketForm>(json)
        .map(|f| f.draft)
        .unwrap_or_default();
    limited(state, lang, csrf, draft, secs)
}
