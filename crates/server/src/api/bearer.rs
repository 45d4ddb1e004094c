//! `ApiAgent`: the agent an `Authorization: Bearer <token>` header belongs to.
//!
//! Kept small on purpose; the lead will unify it with the agent pages' session extractor.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use store::{Agent, StoreError};

use crate::AppState;
use crate::auth::hash_token;
use crate::error::ApiError;

/// An active agent, authenticated by one of its API tokens.
#[derive(Debug, Clone)]
pub(crate) struct ApiAgent(pub(crate) Agent);

impl ApiAgent {
    /// [`ApiError::Forbidden`] unless the token's agent may do `p` (the same rule as pages).
    pub(crate) fn require(&self, p: domain::Permission) -> Result<(), ApiError> {
        if self.0.role.allows(p, self.0.can_publish) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// The token of a `Bearer` authorization header value.
pub(crate) fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 256)
        .then_some(token)
}

impl FromRequestParts<AppState> for ApiAgent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .ok_or(ApiError::Unauthenticated)?;
        let agent = match state
            .store
            .agent_for_api_token(&hash_token(token), state.now())
            .await
        {
            Ok(a) => a,
            Err(StoreError::NotFound) => return Err(ApiError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        if !agent.active {
            return Err(ApiError::Unauthenticated);
        }
        Ok(ApiAgent(agent))
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn parses_bearer_headers() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }
}
