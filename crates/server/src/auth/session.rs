//! The signed-in agent of a request, from the session cookie: the one extractor family every
//! agent and admin page goes through.
//!
//! A session is stored under the hash of its cookie value. It counts only when it has not
//! expired and its agent is active; it is *complete* when `verified` (the second factor is
//! done, or the agent needs none). A session that is not complete is *half signed in*: it
//! reaches only the second-factor pages ([`HalfSession`]); every other agent route treats it as
//! no session at all and sends it to finish signing in.
//!
//! - [`AgentSession`]: any complete session (restricted agents included). Handlers that change
//!   something call [`AgentSession::require`] with the [`Permission`] it needs.
//! - [`AdminSession`]: a complete session of an admin.
//! - [`HalfSession`]: any session, complete or not (the second-factor pages).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Permission, Role};
use store::{Agent, Session, TokenHash};

use crate::error::ApiError;
use crate::web::{CsrfToken, SESSION_COOKIE, SignedIn, ViewerLang, error_page, our_cookie};
use crate::{AppState, auth};

/// How long a session lasts.
pub(crate) const SESSION_HOURS: i64 = 12;

/// Where a half-signed-in session finishes signing in.
pub(crate) const SECOND_FACTOR: &str = "/agent/second-factor";
pub(crate) const SIGN_IN: &str = "/agent/sign-in";

/// An agent signed in with a live, complete session.
#[derive(Debug, Clone)]
pub(crate) struct AgentSession {
    pub agent: Agent,
    pub session: Session,
    pub token: TokenHash,
}

impl AgentSession {
    /// What the page header shows.
    pub(crate) fn signed_in(&self) -> SignedIn {
        SignedIn {
            name: self.agent.name.clone(),
            is_admin: self.agent.role == Role::Admin,
        }
    }

    /// Whether this agent may do `p`.
    pub(crate) fn may(&self, p: Permission) -> bool {
        self.agent.role.allows(p, self.agent.can_publish)
    }

    /// [`ApiError::Forbidden`] unless this agent may do `p`.
    pub(crate) fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.may(p) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// A live session, complete or not, and its agent (active).
#[derive(Debug, Clone)]
pub(crate) struct HalfSession(pub AgentSession);

/// An admin signed in with a live, complete session.
#[derive(Debug, Clone)]
pub(crate) struct AdminSession(pub AgentSession);

/// Why there is no session of the kind asked for.
#[derive(Debug)]
pub(crate) enum Refused {
    /// No live session: pages go to sign in, everything else (forms, fragments, the event
    /// stream) answers 401.
    SignIn { page: bool },
    /// Half signed in: pages go to the second-factor page, everything else answers 401.
    SecondFactor { page: bool },
    /// Signed in, but not allowed (an agent on an admin page): the error page.
    Page(Response),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::SignIn { page: true } => Redirect::to(SIGN_IN).into_response(),
            Refused::SecondFactor { page: true } => Redirect::to(SECOND_FACTOR).into_response(),
            Refused::SignIn { page: false } | Refused::SecondFactor { page: false } => {
                (StatusCode::UNAUTHORIZED, "sign-in required").into_response()
            }
            Refused::Page(r) => r,
        }
    }
}

/// Loads the session of `token` and its agent, if the session is live and the agent active;
/// complete or not.
pub(crate) async fn load(state: &AppState, token: &str) -> Option<AgentSession> {
    if token.len() != 43 {
        return None;
    }
    let hash = auth::hash_token(token);
    let session = state.store.session(&hash, state.now()).await.ok()?;
    let agent = state.store.agent(session.agent_id).await.ok()?;
    if !agent.active {
        return None;
    }
    Some(AgentSession {
        agent,
        session,
        token: hash,
    })
}

/// A GET of a whole page (not a fragment, a form or the event stream): refusals redirect.
fn is_page(parts: &Parts) -> bool {
    parts.method == Method::GET
        && parts.uri.path() != "/agent/events"
        && !parts.uri.path().ends_with("/conversation")
        && !parts.uri.path().ends_with("/presence")
        && !parts.uri.query().is_some_and(|q| q.contains("partial=1"))
}

async fn any_session(parts: &Parts, state: &AppState) -> Result<AgentSession, Refused> {
    let page = is_page(parts);
    let token = our_cookie(&parts.headers, SESSION_COOKIE, state.config.secure_cookies)
        .ok_or(Refused::SignIn { page })?;
    load(state, token).await.ok_or(Refused::SignIn { page })
}

impl FromRequestParts<AppState> for HalfSession {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        any_session(parts, state).await.map(HalfSession)
    }
}

impl FromRequestParts<AppState> for AgentSession {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        let s = any_session(parts, state).await?;
        if s.session.verified {
            Ok(s)
        } else {
            Err(Refused::SecondFactor {
                page: is_page(parts),
            })
        }
    }
}

/// The error page for a signed-in agent who may not do this.
pub(crate) async fn forbidden_page(parts: &mut Parts, state: &AppState) -> Response {
    let Ok(ViewerLang(lang)) = ViewerLang::from_request_parts(parts, state).await;
    let csrf = parts
        .extensions
        .get::<CsrfToken>()
        .cloned()
        .unwrap_or_else(|| CsrfToken(String::new()));
    error_page(state, lang, &csrf, &ApiError::Forbidden)
}

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        let s = AgentSession::from_request_parts(parts, state).await?;
        if s.may(Permission::Administer) {
            Ok(AdminSession(s))
        } else {
            Err(Refused::Page(forbidden_page(parts, state).await))
        }
    }
}

/// A permission as a type, for [`Allowed`].
pub(crate) trait Perm {
    const P: Permission;
}

macro_rules! perms {
    ($($name:ident => $p:ident),+ $(,)?) => {$(
        #[derive(Debug, Clone, Copy)]
        pub(crate) struct $name;
        impl Perm for $name {
            const P: Permission = Permission::$p;
        }
    )+};
}

perms!(
    CanUpdateTickets => UpdateTickets,
    CanEditArticles => EditArticles,
    CanPublish => PublishArticles,
);

/// A complete session whose agent may do `T::P`; otherwise the error page (403).
#[derive(Debug, Clone)]
pub(crate) struct Allowed<T>(pub AgentSession, pub std::marker::PhantomData<T>);

impl<T: Perm + Send + Sync> FromRequestParts<AppState> for Allowed<T> {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        let s = AgentSession::from_request_parts(parts, state).await?;
        if s.may(T::P) {
            Ok(Allowed(s, std::marker::PhantomData))
        } else {
            Err(Refused::Page(forbidden_page(parts, state).await))
        }
    }
}
