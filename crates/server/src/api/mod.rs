//! The JSON API under `/api/v1`. Errors are `{"error": code, "message": …}` ([`ApiError`]).
//!
//! [`ApiError`]: crate::error::ApiError

pub(crate) mod fields;
pub(crate) mod tickets;
