//! Step-up: risky actions ask for the second factor again (or, for an agent without one, the
//! password) when the session last checked it more than [`factors::STEP_UP_MINUTES`] ago.
//!
//! A layer on the risky routes' `POST`s: creating API tokens, changing roles, publishing
//! grants, agents, factors, the brand and official channels, merging, deleting, and bulk
//! changes to [`BULK_THRESHOLD`] tickets or more. When the factor is stale the layer answers
//! with a page that asks for it and carries the form's fields along (hidden), so nothing
//! typed is lost: sending it checks the factor, marks the session, and lets the same request
//! through to its handler. An agent with a passkey may instead check it (`passkey.js` calls
//! `/agent/passkey/check`, which marks the session), and the form is sent again as it was.

use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::factors;
use super::session::load;
use crate::AppState;
use crate::client::Client;
use crate::web::{Chrome, CsrfToken, SESSION_COOKIE, ViewerLang, error_page, our_cookie, render};

/// Bulk changes to this many tickets or more are risky.
pub const BULK_THRESHOLD: usize = 10;
/// The field the step-up page adds.
pub const FIELD: &str = "step_up_code";
/// The largest form the layer reads (risky forms are small).
const MAX_FORM: usize = 256 * 1024;

#[derive(Template)]
#[template(path = "agent_step_up.html")]
struct StepUpPage<'a> {
    c: Chrome<'a>,
    action: String,
    fields: Vec<(String, String)>,
    totp: bool,
    /// Offer the passkey button (`passkey.js` checks it, then sends this form).
    passkey: bool,
    error: Option<String>,
}

/// The layer (see the module doc).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let secure = state.config.secure_cookies;
    let Some(s) = (match our_cookie(req.headers(), SESSION_COOKIE, secure) {
        Some(t) => load(&state, t).await,
        None => None,
    }) else {
        // No session: the handler's extractor refuses it.
        return next.run(req).await;
    };
    if !s.session.verified {
        // Half signed in: the handler's extractor decides (most refuse; setting up a first
        // authenticator is allowed).
        return next.run(req).await;
    }
    let form_encoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (mut parts, body) = req.into_parts();
    let Ok(ViewerLang(lang)) =
        <ViewerLang as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await;
    let csrf = parts
        .extensions
        .get::<CsrfToken>()
        .cloned()
        .unwrap_or_else(|| CsrfToken(String::new()));
    let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
        return error_page(
            &state,
            lang,
            &csrf,
            &crate::error::ApiError::PayloadTooLarge,
        );
    };
    let pairs: Vec<(String, String)> = if form_encoded {
        serde_urlencoded::from_bytes(&bytes).unwrap_or_default()
    } else {
        Vec::new()
    };
    let risky = parts.uri.path() != "/agent/bulk"
        || pairs.iter().filter(|(k, _)| k == "id").count() >= BULK_THRESHOLD;
    if !risky || factors::fresh(&state, &s.session) {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let typed = pairs
        .iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.clone());
    let mut error = None;
    if let Some(code) = typed {
        // Only a form this desk rendered (its CSRF token) may trigger the check.
        let token_ok = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .is_some_and(|(_, v)| csrf.check(v).is_ok());
        if !token_ok {
            return error_page(&state, lang, &csrf, &crate::error::ApiError::Csrf);
        }
        let client = parts.extensions.get::<Client>().cloned();
        let client_key = client.as_ref().map_or_else(String::new, Client::key);
        // An agent with a passkey steps up with it (or their app), never with the password.
        let password_ok = !usable_passkey(&state, s.agent.id).await;
        match factors::check(&state, &s.agent, &client_key, &code, password_ok).await {
            Ok(Some(_)) => {
                if let Err(e) = factors::mark(&state, &s.token).await {
                    return error_page(&state, lang, &csrf, &e);
                }
                let rest: Vec<&(String, String)> =
                    pairs.iter().filter(|(k, _)| k != FIELD).collect();
                let body = serde_urlencoded::to_string(&rest).unwrap_or_default();
                parts.headers.remove(header::CONTENT_LENGTH);
                return next.run(Request::from_parts(parts, Body::from(body))).await;
            }
            Ok(None) => error = Some("security.code.wrong"),
            Err(e) => return error_page(&state, lang, &csrf, &e),
        }
    }
    let totp = factors::has_totp(&state, s.agent.id).await.unwrap_or(true);
    let passkey = usable_passkey(&state, s.agent.id).await;
    let mut c = Chrome::new(&state, lang, &csrf, parts.uri.path());
    c.agent = Some(s.signed_in());
    let error = error.map(|k| c.t.get(k));
    let fields = pairs.into_iter().filter(|(k, _)| k != FIELD).collect();
    render(
        if error.is_some() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        },
        &StepUpPage {
            c,
            action: parts.uri.path().to_owned(),
            fields,
            totp,
            passkey,
            error,
        },
    )
}

/// Whether the agent has a passkey that works at this desk's address (on a storage failure,
/// yes: the password is then not offered).
async fn usable_passkey(state: &AppState, agent: domain::AgentId) -> bool {
    factors::has_passkey(state, agent).await.unwrap_or(true) && super::passkey::available(state)
}
