//! Who may open the admin pages: an active agent signed in with the `wd_session` cookie; the
//! admin pages proper also need `Role::Admin`.
//!
//! Kept small on purpose: the lead will unify it with the agent pages' `AgentSession`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Role;
use store::{Agent, StoreError};

use crate::AppState;
use crate::auth::hash_token;
use crate::error::ApiError;
use crate::web::{CsrfToken, SESSION_COOKIE, ViewerLang, error_page, our_cookie};

pub(crate) const SIGN_IN: &str = "/agent/sign-in";

/// Any active, signed-in agent (for pages every agent has, such as its own API tokens).
#[derive(Debug, Clone)]
pub(crate) struct SignedInAgent(pub(crate) Agent);

/// An active, signed-in admin.
#[derive(Debug, Clone)]
pub(crate) struct AdminAgent(pub(crate) Agent);

async fn signed_in(parts: &Parts, state: &AppState) -> Result<Option<Agent>, ApiError> {
    let Some(token) = our_cookie(&parts.headers, SESSION_COOKIE, state.config.secure_cookies)
        .filter(|t| t.len() <= 256)
    else {
        return Ok(None);
    };
    let now = state.now();
    let session = match state.store.session(&hash_token(token), now).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    match state.store.agent(session.agent_id).await {
        Ok(a) if a.active => Ok(Some(a)),
        Ok(_) | Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn refuse(parts: &mut Parts, state: &AppState, e: &ApiError) -> Response {
    let Ok(ViewerLang(lang)) = ViewerLang::from_request_parts(parts, state).await;
    let csrf = parts
        .extensions
        .get::<CsrfToken>()
        .cloned()
        .unwrap_or_else(|| CsrfToken(String::new()));
    error_page(state, lang, &csrf, e)
}

impl FromRequestParts<AppState> for SignedInAgent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match signed_in(parts, state).await {
            Ok(Some(a)) => Ok(SignedInAgent(a)),
            Ok(None) => Err(Redirect::to(SIGN_IN).into_response()),
            Err(e) => Err(refuse(parts, state, &e).await),
        }
    }
}

impl FromRequestParts<AppState> for AdminAgent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match signed_in(parts, state).await {
            Ok(Some(a)) if a.role == Role::Admin => Ok(AdminAgent(a)),
            Ok(Some(_)) => Err(refuse(parts, state, &ApiError::Forbidden).await),
            Ok(None) => Err(Redirect::to(SIGN_IN).into_response()),
            Err(e) => Err(refuse(parts, state, &e).await),
        }
    }
}
