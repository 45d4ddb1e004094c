//! The JSON API under `/api/v1`. Errors are `{"error": code, "message": …}` ([`ApiError`]).
//!
//! Every endpoint but `POST /api/v1/tickets` and the field check belongs to agents and needs
//! `Authorization: Bearer <API token>` ([`bearer::ApiAgent`]). Request and response bodies are
//! the types in [`dto`], which also make the OpenAPI document ([`openapi`]).
//!
//! [`ApiError`]: crate::error::ApiError

pub(crate) mod assistant;
pub(crate) mod bearer;
pub(crate) mod desk;
pub(crate) mod dto;
pub(crate) mod fields;
pub(crate) mod onchain;
pub(crate) mod openapi;
pub(crate) mod signatures;
pub(crate) mod ticket_reply;
pub(crate) mod ticket_show;
pub(crate) mod ticket_update;
pub(crate) mod tickets;
pub(crate) mod tickets_list;
pub(crate) mod verify;

use axum::extract::rejection::JsonRejection;

use crate::error::ApiError;

/// The language parameter as the OpenAPI document spells it: exactly `en` or `zh-CN` (the
/// pages take looser spellings; the API says what it accepts and refuses the rest).
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "the OpenAPI schema of a string parameter, never built"
)]
pub(crate) enum LangParam {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

/// `lang` from a request: absent or `null` is `default`; `en` or `zh-CN`; anything else
/// (the empty string too) is `400 unsupported_lang`.
pub(crate) fn lang_param(
    raw: Option<&str>,
    default: domain::Lang,
) -> Result<domain::Lang, ApiError> {
    match raw {
        None => Ok(default),
        Some("en") => Ok(domain::Lang::En),
        Some("zh-CN") => Ok(domain::Lang::ZhCn),
        Some(_) => Err(ApiError::bad_request(
            crate::error::ErrorCode::UnsupportedLang,
            "lang must be `en` or `zh-CN`",
        )),
    }
}

/// A whole number already checked to be small and non-negative, as a count.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "callers check 0 <= n <= a few thousand and that it is whole"
)]
pub(crate) fn small_count(n: f64) -> usize {
    n as usize
}

/// A JSON object of the documented shape, or `400 invalid_json`; `serde` alone would also
/// take an array of the fields' values in order.
pub(crate) fn object_body<T: serde::de::DeserializeOwned>(
    body: Result<axum::Json<serde_json::Value>, JsonRejection>,
) -> Result<T, ApiError> {
    let invalid = |m: String| ApiError::bad_request(crate::error::ErrorCode::InvalidJson, m);
    let axum::Json(v) = body.map_err(|e| invalid(e.body_text()))?;
    if !v.is_object() {
        return Err(invalid("the body is a JSON object".into()));
    }
    serde_json::from_value(v).map_err(|e| invalid(e.to_string()))
}

/// [`object_body`] for an optional body: none at all (zero bytes) is `T::default()`;
/// anything sent must be the documented object — whitespace alone or `null` is not JSON's
/// object, and is refused like any other malformed body (schemathesis sent `"\n"`).
pub(crate) fn optional_object_body<T: serde::de::DeserializeOwned + Default>(
    body: &[u8],
) -> Result<T, ApiError> {
    if body.is_empty() {
        return Ok(T::default());
    }
    let v: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(crate::error::ErrorCode::InvalidJson, e.to_string()))?;
    object_body(Ok(axum::Json(v)))
}

/// A ticket id from the path; anything else is simply not found.
pub(crate) fn ticket_id(raw: &str) -> Result<domain::TicketId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}
