//! `GET /api/v1/fields/check?field=tx_hash&value=…&chain=…&lang=…`: the ticket form's check
//! as the user types. The same check runs again on submit.

use axum::Json;
use axum::extract::{Query, State};
use domain::{TicketDraft, TicketField};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{ViewerLang, field_message};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CheckQuery {
    /// `chain`, `tx_hash`, `address`, `app_version` or `device_os`.
    field: String,
    #[serde(default)]
    value: String,
    chain: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CheckResult {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// Check one ticket-form field as the user types (no authentication).
#[utoipa::path(
    get,
    path = "/api/v1/fields/check",
    tag = "tickets",
    params(CheckQuery),
    responses(
        (status = 200, description = "Whether the value is acceptable", body = CheckResult),
        (status = 400, description = "`unknown_field`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn check(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Query(q): Query<CheckQuery>,
) -> Result<Json<CheckResult>, ApiError> {
    let field = TicketField::parse(&q.field)
        .map_err(|e| ApiError::bad_request("unknown_field", e.to_string()))?;
    if q.value.len() > 1024 {
        return Err(ApiError::PayloadTooLarge);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    Ok(Json(
        match TicketDraft::check_field(field, &q.value, q.chain.as_deref()) {
            None => CheckResult {
                ok: true,
                code: None,
                message: None,
            },
            Some(e) => CheckResult {
                ok: false,
                message: Some(field_message(&t, &e)),
                code: Some(e.code),
            },
        },
    ))
}
