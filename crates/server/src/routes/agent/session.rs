//! The signed-in agent of a request, from the session cookie.
//!
//! A session is stored under the hash of its cookie value. It counts only when it has not
//! expired, its agent is active, and it is `verified`: a password-only sign-in sets that today;
//! when second factors arrive (TOTP, passkeys) sign-in will store `verified: false` and a
//! second-factor page will flip it, with nothing to change here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use store::{Agent, Session, TokenHash};

use crate::web::{SESSION_COOKIE, SignedIn, our_cookie};
use crate::{AppState, auth};

/// How long a session lasts.
pub(crate) const SESSION_HOURS: i64 = 12;

/// An agent signed in with a live, verified session.
#[derive(Debug, Clone)]
pub(crate) struct AgentSession {
    pub agent: Agent,
    #[expect(
        dead_code,
        reason = "kept for the second-factor and session-list pages"
    )]
    pub session: Session,
    pub token: TokenHash,
}

impl AgentSession {
    /// What the page header shows.
    pub(crate) fn signed_in(&self) -> SignedIn {
        SignedIn {
            name: self.agent.name.clone(),
            is_admin: self.agent.role == domain::Role::Admin,
        }
    }
}

/// Why there is no [`AgentSession`]: pages send the browser to sign in, everything else
/// (forms, fragments, the event stream) answers 401.
#[derive(Debug)]
pub(crate) struct NotSignedIn {
    redirect: bool,
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        if self.redirect {
            Redirect::to("/agent/sign-in").into_response()
        } else {
            (StatusCode::UNAUTHORIZED, "sign-in required").into_response()
        }
    }
}

/// Loads the session of `token` and its agent, if both are good at this moment.
pub(crate) async fn load(state: &AppState, token: &str) -> Option<(Session, Agent, TokenHash)> {
    if token.len() != 43 {
        return None;
    }
    let hash = auth::hash_token(token);
    let session = state.store.session(&hash, state.now()).await.ok()?;
    if !session.verified {
        return None;
    }
    let agent = state.store.agent(session.agent_id).await.ok()?;
    if !agent.active {
        return None;
    }
    Some((session, agent, hash))
}

impl FromRequestParts<AppState> for AgentSession {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let page = parts.method == Method::GET
            && parts.uri.path() != "/agent/events"
            && !parts.uri.path().ends_with("/conversation")
            && !parts.uri.query().is_some_and(|q| q.contains("partial=1"));
        let rejection = NotSignedIn { redirect: page };
        let token = our_cookie(&parts.headers, SESSION_COOKIE, state.config.secure_cookies)
            .ok_or(NotSignedIn { redirect: page })?;
        match load(state, token).await {
            Some((session, agent, token)) => Ok(AgentSession {
                agent,
                session,
                token,
            }),
            None => Err(rejection),
        }
    }
}
