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

/// The codes of [`ApiError::BadRequest`]: a closed list, so each has a message in both
/// languages (`error.<code>` in the `.ftl` files; `every_error_code_has_a_translation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    BadAction,
    BadAssignee,
    BadForm,
    BadImage,
    ImageTooManyPixels,
    AttachmentQuota,
    BadKind,
    BadMergeTarget,
    MergeOtherRequester,
    BadPriority,
    BadScore,
    BadStatus,
    CannotRate,
    CommentTooLong,
    InvalidJson,
    InvalidQuery,
    NoTickets,
    QueryMissing,
    QueryTooLong,
    QuestionMissing,
    QuestionTooLong,
    TicketClosed,
    UnknownEvent,
    UnknownField,
    UnsupportedLang,
    ValueTooLong,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    IdempotencyKeyInFlight,
    AddressInvalid,
    AddressUnsupported,
    SignatureEmpty,
    SignatureMalformed,
    SiweMalformed,
    NoAddress,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 35] = [
        ErrorCode::BadAction,
        ErrorCode::BadAssignee,
        ErrorCode::BadForm,
        ErrorCode::BadImage,
        ErrorCode::ImageTooManyPixels,
        ErrorCode::AttachmentQuota,
        ErrorCode::BadKind,
        ErrorCode::BadMergeTarget,
        ErrorCode::MergeOtherRequester,
        ErrorCode::BadPriority,
        ErrorCode::BadScore,
        ErrorCode::BadStatus,
        ErrorCode::CannotRate,
        ErrorCode::CommentTooLong,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidQuery,
        ErrorCode::NoTickets,
        ErrorCode::QueryMissing,
        ErrorCode::QueryTooLong,
        ErrorCode::QuestionMissing,
        ErrorCode::QuestionTooLong,
        ErrorCode::TicketClosed,
        ErrorCode::UnknownEvent,
        ErrorCode::UnknownField,
        ErrorCode::UnsupportedLang,
        ErrorCode::ValueTooLong,
        ErrorCode::IdempotencyKeyInvalid,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::IdempotencyKeyInFlight,
        ErrorCode::AddressInvalid,
        ErrorCode::AddressUnsupported,
        ErrorCode::SignatureEmpty,
        ErrorCode::SignatureMalformed,
        ErrorCode::SiweMalformed,
        ErrorCode::NoAddress,
    ];

    /// The stable snake_case code clients see.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadAction => "bad_action",
            ErrorCode::BadAssignee => "bad_assignee",
            ErrorCode::BadForm => "bad_form",
            ErrorCode::BadImage => "bad_image",
            ErrorCode::ImageTooManyPixels => "image_too_many_pixels",
            ErrorCode::AttachmentQuota => "attachment_quota",
            ErrorCode::BadKind => "bad_kind",
            ErrorCode::BadMergeTarget => "bad_merge_target",
            ErrorCode::MergeOtherRequester => "merge_other_requester",
            ErrorCode::BadPriority => "bad_priority",
            ErrorCode::BadScore => "bad_score",
            ErrorCode::BadStatus => "bad_status",
            ErrorCode::CannotRate => "cannot_rate",
            ErrorCode::CommentTooLong => "comment_too_long",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::NoTickets => "no_tickets",
            ErrorCode::QueryMissing => "query_missing",
            ErrorCode::QueryTooLong => "query_too_long",
            ErrorCode::QuestionMissing => "question_missing",
            ErrorCode::QuestionTooLong => "question_too_long",
            ErrorCode::TicketClosed => "ticket_closed",
            ErrorCode::UnknownEvent => "unknown_event",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::UnsupportedLang => "unsupported_lang",
            ErrorCode::ValueTooLong => "value_too_long",
            ErrorCode::IdempotencyKeyInvalid => "idempotency_key_invalid",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::IdempotencyKeyInFlight => "idempotency_key_in_flight",
            ErrorCode::AddressInvalid => "address_invalid",
            ErrorCode::AddressUnsupported => "address_unsupported",
            ErrorCode::SignatureEmpty => "signature_empty",
            ErrorCode::SignatureMalformed => "signature_malformed",
            ErrorCode::SiweMalformed => "siwe_malformed",
            ErrorCode::NoAddress => "no_address",
        }
    }
}

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
    BadRequest { code: ErrorCode, message: String },
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
            ApiError::BadRequest { code, .. } => code.as_str(),
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
            // `ticket_closed`: the request is fine; the ticket's state refuses it.
            ApiError::Conflict(_)
            | ApiError::BadRequest {
                code: ErrorCode::TicketClosed,
                ..
            } => StatusCode::CONFLICT,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) | ApiError::SecretInQuery => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    #[must_use]
    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> ApiError {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    /// Every code a page can show has its own message in both languages: a `bad_request` shown
    /// as "internal error" sends users the wrong way.
    #[test]
    fn every_error_code_has_a_translation() {
        let i18n = I18n::default();
        let mut missing = Vec::new();
        let page_keys = ErrorCode::ALL
            .iter()
            .map(|c| format!("error.{}", c.as_str()))
            .chain(
                [
                    "not_found",
                    "csrf",
                    "rate_limited",
                    "payload_too_large",
                    "link_invalid",
                    "forbidden",
                    "form_has_errors",
                    "conflict",
                    "query_contains_secret",
                    "internal",
                ]
                .iter()
                .map(|k| format!("error.{k}")),
            );
        for key in page_keys {
            for lang in [domain::Lang::En, domain::Lang::ZhCn] {
                if i18n.get(lang, &key) == key {
                    missing.push(format!("{key} ({})", lang.as_str()));
                }
            }
        }
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn codes_are_distinct_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            let s = c.as_str();
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{s}"
            );
            assert!(seen.insert(s), "{s} twice");
        }
    }
}
