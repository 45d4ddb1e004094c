//! The JSON API under `/api/v1`. Errors are `{"error": code, "message": …}` ([`ApiError`]).
//!
//! Every endpoint but `POST /api/v1/tickets` and the field check belongs to agents and needs
//! `Authorization: Bearer <API token>` ([`bearer::ApiAgent`]). Request and response bodies are
//! the types in [`dto`], which also make the OpenAPI document ([`openapi`]).
//!
//! [`ApiError`]: crate::error::ApiError

pub(crate) mod assistant;
pub(crate) mod bearer;
pub(crate) mod dto;
pub(crate) mod fields;
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

/// A body that is not the JSON we expect: 400 `invalid_json`, never axum's plain-text answer.
pub(crate) fn json_rejection(e: &JsonRejection) -> ApiError {
    ApiError::bad_request(crate::error::ErrorCode::InvalidJson, e.body_text())
}

/// A ticket id from the path; anything else is simply not found.
pub(crate) fn ticket_id(raw: &str) -> Result<domain::TicketId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}
