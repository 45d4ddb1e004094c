//! The ticket form: `GET /tickets/new` shows it, `POST /tickets/new` submits it.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{CHAINS, Category, FieldError, TicketDraft, TicketField};
use serde::Deserialize;

use crate::AppState;
use crate::attachments::FormWithFiles;
use crate::error::ApiError;
use crate::tickets;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, field_message, render};

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
    errors: Vec<(String, String)>,
    screenshots_label: String,
    screenshots_error: Option<String>,
}

#[derive(Template)]
#[template(path = "ticket_created.html")]
struct CreatedPage<'a> {
    c: Chrome<'a>,
    id: String,
    access_url: String,
    secrets_removed: bool,
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
        errors: errors
            .iter()
            .map(|e| (e.field.to_owned(), field_message(&t, e)))
            .collect(),
        c,
    }
}

/// `GET /tickets/new`: prefilled from the query (`category`, `subject`, `body`), so the help
/// center can carry a user's search into the form.
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
        ..TicketDraft::default()
    };
    let c = Chrome::new(&state, lang, &csrf, "/tickets/new");
    render(StatusCode::OK, &page(c, &draft, &[]))
}

/// `POST /tickets/new`: a multipart form, text fields and up to five screenshots.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    parts: Result<FormWithFiles, ApiError>,
) -> Response {
    let parts = match parts {
        Ok(FormWithFiles(p)) => p,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let form: NewTicketForm = match serde_json::from_value(parts.json()) {
        Ok(f) => f,
        Err(e) => {
            let e = ApiError::bad_request("bad_form", format!("unreadable form: {e}"));
            return error_page(&state, lang, &csrf, &e);
        }
    };
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = match parts.file_error() {
        // A refused file stops the ticket, and the form shows every other problem too.
        Some(file_error) => {
            let mut errors = form.draft.validate().err().map(|e| e.0).unwrap_or_default();
            errors.push(file_error);
            Err(ApiError::Invalid(errors))
        }
        None => tickets::create(&state, &form.draft, &parts.uploads, &addr.ip().to_string()).await,
    };
    match result {
        Ok(created) => {
            let c = Chrome::new(&state, lang, &csrf, "/tickets/new");
            render(
                StatusCode::CREATED,
                &CreatedPage {
                    c,
                    id: created.ticket.id.to_string(),
                    access_url: created.access_url,
                    secrets_removed: created.secrets_removed > 0,
                },
            )
        }
        Err(ApiError::Invalid(errors)) => {
            // Nothing is lost: the form comes back with what the user typed, except secrets,
            // which are not even echoed back. Files cannot be put back into a file input; the
            // message asks for them again.
            let mut draft = form.draft;
            for text in [&mut draft.subject, &mut draft.body] {
                if let Ok((r, _)) = domain::Redacted::new(text) {
                    *text = r.into_string();
                }
            }
            let c = Chrome::new(&state, lang, &csrf, "/tickets/new");
            render(StatusCode::UNPROCESSABLE_ENTITY, &page(c, &draft, &errors))
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
