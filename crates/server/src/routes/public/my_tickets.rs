//! `/my-tickets`: a user types an e-mail address and gets one mail with a link to each of
//! their open tickets (`crate::mail::notify::send_my_tickets`).
//!
//! The answer says nothing about the address: the same page, status and text whether or not it
//! has tickets, and the lookup runs after the answer, in a task of its own, so its time is not
//! in the answer's. Limits per normalised address (`EmailAddress::mailbox_key`: `+tags`, case
//! and Gmail dots do not make a new one) and per client stop the form from being used to fill
//! someone's mailbox; an address with no open ticket gets no mail at all.

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
#[template(path = "my_tickets.html")]
struct MyTicketsPage<'a> {
    c: Chrome<'a>,
    email: String,
    error: Option<String>,
}

impl<'a> MailFormPage<'a> for MyTicketsPage<'a> {
    const FORM: MailForm = MailForm {
        path: "/my-tickets",
        invalid: "my_tickets.invalid",
        per_client: ("my_tickets:client", notify::MY_TICKETS_PER_CLIENT),
        per_address: ("my_tickets:addr", notify::MY_TICKETS_PER_ADDRESS),
        done: "my_tickets_sent",
    };
    fn new(c: Chrome<'a>, email: String, error: Option<String>) -> MyTicketsPage<'a> {
        MyTicketsPage { c, email, error }
    }
}

/// `GET /my-tickets`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
) -> Response {
    mail_form::show::<MyTicketsPage<'_>>(&state, lang, &csrf, &done)
}

/// `POST /my-tickets`: `303` to `/my-tickets?done=my_tickets_sent` for every well-formed
/// address under the limits; the mail (if any), in the page's language, is written afterwards.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    Form(form): Form<AddressForm>,
) -> Response {
    mail_form::submit::<MyTicketsPage<'_>, _, _>(
        &state,
        lang,
        &csrf,
        &client,
        &form,
        move |bg, addr| async move {
            if let Err(e) = notify::send_my_tickets(&bg, &addr, lang).await {
                tracing::error!(error = %e, "my-tickets mail failed");
            }
        },
    )
}
