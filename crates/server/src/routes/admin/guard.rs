//! Who may open the admin pages, in the admin pages' own words: the same extractor family as
//! every agent route (`crate::auth::session`), so a half-signed-in or inactive session reaches
//! none of them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use store::Agent;

use crate::AppState;
use crate::auth::session::{AdminSession, AgentSession, Refused};

/// Any agent with a complete session (for pages every agent has, such as its own API tokens).
#[derive(Debug, Clone)]
pub(crate) struct SignedInAgent(pub(crate) Agent);

/// An admin with a complete session.
#[derive(Debug, Clone)]
pub(crate) struct AdminAgent(pub(crate) Agent);

impl FromRequestParts<AppState> for SignedInAgent {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        AgentSession::from_request_parts(parts, state)
            .await
            .map(|s| SignedInAgent(s.agent))
    }
}

impl FromRequestParts<AppState> for AdminAgent {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        AdminSession::from_request_parts(parts, state)
            .await
            .map(|AdminSession(s)| AdminAgent(s.agent))
    }
}
