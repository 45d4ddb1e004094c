//! The one error type at the HTTP edge.
//!
//! Policy: every failure a handler can meet maps to a status and a stable snake_case `code`.
//! JSON routes answer `{"error": code, "message": …}`; HTML routes render the error page in the
//! viewer's language. Backend failures are logged (without any user text) and shown as
//! `internal`, never as a raw message. Nothing panics on input.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldError;
use serde::Serialize;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("authentication required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid or expired form token")]
    Csrf,
    #[error("too many requests; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("invalid input: {message}")]
    BadRequest { code: &'static str, message: String },
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    /// A query that holds a recovery phrase or key: not used, not logged (`query_guard.rs`).
    #[error(
        "the query looks like it holds a recovery phrase or private key; it was not searched or logged. Never share it with anyone."
    )]
    SecretInQuery,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden => "forbidden",
            ApiError::Csrf => "csrf",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Invalid(_) => "invalid_fields",
            ApiError::Conflict(_) => "conflict",
            ApiError::SecretInQuery => "query_contains_secret",
            ApiError::Internal(_) => "internal",
        }
    }

    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) | ApiError::SecretInQuery => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    #[must_use]
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(what) => ApiError::Conflict(what),
            StoreError::Backend(msg) => ApiError::Internal(msg),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a [FieldError]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(msg) = &self {
            tracing::error!(error = %msg, "request failed");
        }
        let message = match &self {
            ApiError::BadRequest { message, .. } => message.clone(),
            ApiError::Internal(_) => "internal error; nothing was lost, try again".to_owned(),
            other => other.to_string(),
        };
        let fields = match &self {
            ApiError::Invalid(f) => Some(f.as_slice()),
            _ => None,
        };
        let body = Body {
            error: self.code(),
            message,
            fields,
        };
        let mut resp = (self.status(), Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        resp
    }
}
