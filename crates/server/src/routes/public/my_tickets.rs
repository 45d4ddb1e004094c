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
#[template(path = "my_tickets.html")]
struct MyTicketsPage<'a> {
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
    let c = Chrome::new(state, lang, csrf, "/my-tickets").with_done(done);
    render(status, &MyTicketsPage { c, email, error })
}

/// `GET /my-tickets`.
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
pub(crate) struct MyTicketsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// `POST /my-tickets`: `303` to `/my-tickets?done=my_tickets_sent` for every well-formed
/// address under the limits; the mail (if any) is written afterwards.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    Form(form): Form<MyTicketsForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let Ok(addr) = EmailAddress::parse(&form.email) else {
        let c = Chrome::new(&state, lang, &csrf, "/my-tickets");
        let msg = c.t.get("my_tickets.invalid");
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
            "my_tickets:client",
            &client.key(),
            notify::MY_TICKETS_PER_CLIENT,
        )
        .and_then(|()| {
            state.limit(
                "my_tickets:addr",
                &addr.mailbox_key(),
                notify::MY_TICKETS_PER_ADDRESS,
            )
        });
    if let Err(e) = limited {
        return error_page(&state, lang, &csrf, &e);
    }
    let bg = state.clone();
    tokio::spawn(async move {
        if let Err(e) = notify::send_my_tickets(&bg, &addr, lang).await {
            tracing::error!(error = %e, "my-tickets mail failed");
        }
    });
    see_other(
        "/my-tickets",
        crate::web::mail_done(&state, "my_tickets_sent"),
    )
}
