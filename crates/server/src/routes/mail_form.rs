//! The shape every "answer by mail" form shares ("my tickets", an agent's sign-in link): one
//! address field; the same answer whether or not the address is known — the lookup and the
//! mail run after answering, in a task of their own, so their time is not in the answer's;
//! limits per client and per (normalised) address so the form cannot fill anyone's mailbox;
//! `?done=` says a mail went out, or that this desk sends none (`web::mail_done`).
//!
//! A page implements [`MailFormPage`] (its template and its settings); its `show` and `submit`
//! handlers are one line each over [`show`] and [`submit`].

use std::future::Future;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::{EmailAddress, Lang};
use serde::Deserialize;

use crate::AppState;
use crate::client::Client;
use crate::web::{Chrome, CsrfToken, Done, echo_text, error_page, render, see_other};

/// What differs between the forms.
pub(crate) struct MailForm {
    /// The page's path (`GET` shows it, `POST` answers to it).
    pub path: &'static str,
    /// The translation key of "this is not an address".
    pub invalid: &'static str,
    /// Limit names and counts: per client, then per address.
    pub per_client: (&'static str, u32),
    pub per_address: (&'static str, u32),
    /// The `?done=` word when the desk sends mail.
    pub done: &'static str,
}

/// A page with such a form: its template, built from the chrome, the address typed (echoed
/// back on an error) and the error.
pub(crate) trait MailFormPage<'a>: Template + Sized {
    const FORM: MailForm;
    fn new(c: Chrome<'a>, email: String, error: Option<String>) -> Self;
}

/// The form's fields.
#[derive(Debug, Deserialize)]
pub(crate) struct AddressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

fn page<'a, P: MailFormPage<'a>>(
    state: &'a AppState,
    lang: Lang,
    csrf: &CsrfToken,
    done: &Done,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    let c = Chrome::new(state, lang, csrf, P::FORM.path).with_done(done);
    render(status, &P::new(c, email, error))
}

/// `GET`: the empty form, with the notice `?done=` names.
pub(crate) fn show<'a, P: MailFormPage<'a>>(
    state: &'a AppState,
    lang: Lang,
    csrf: &CsrfToken,
    done: &Done,
) -> Response {
    page::<P>(state, lang, csrf, done, StatusCode::OK, String::new(), None)
}

/// `POST`: checks the CSRF token, the address and the limits, starts `work` in the
/// background, and answers `303` to the page with the same `?done=` for every address.
pub(crate) fn submit<'a, P, W, F>(
    state: &'a AppState,
    lang: Lang,
    csrf: &CsrfToken,
    client: &Client,
    form: &AddressForm,
    work: W,
) -> Response
where
    P: MailFormPage<'a>,
    W: FnOnce(AppState, EmailAddress) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let settings = P::FORM;
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(state, lang, csrf, &e);
    }
    let Ok(addr) = EmailAddress::parse(&form.email) else {
        let msg = crate::i18n::Tr {
            i18n: &state.i18n,
            lang,
        }
        .get(settings.invalid);
        return page::<P>(
            state,
            lang,
            csrf,
            &Done::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
            echo_text(&form.email),
            Some(msg),
        );
    };
    let (client_limit, per_client) = settings.per_client;
    let (address_limit, per_address) = settings.per_address;
    let limited = state
        .limit(client_limit, &client.key(), per_client)
        .and_then(|()| state.limit(address_limit, &addr.mailbox_key(), per_address));
    if let Err(e) = limited {
        return error_page(state, lang, csrf, &e);
    }
    tokio::spawn(work(state.clone(), addr));
    see_other(settings.path, crate::web::mail_done(state, settings.done))
}
