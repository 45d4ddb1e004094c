//! `POST /api/v1/fields/check` with `{field, value, chain}`: the ticket form's check as the user
//! types. The same check runs again on submit. The deprecated `GET
//! /api/v1/fields/check?field=…&value=…` stays for existing API users; the form no longer uses
//! it, since a value in a query string ends up in every proxy's access log — and users paste
//! private keys into the address field.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use domain::{TicketDraft, TicketField};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{ViewerLang, field_message};

/// The field to check: the query parameters of the `GET` form, or the JSON body of `POST`.
#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub(crate) struct CheckQuery {
    /// `chain`, `tx_hash`, `address`, `app_version` or `device_os`.
    #[schema(value_type = FieldParam)]
    #[param(value_type = FieldParam)]
    field: String,
    /// What the user typed (at most 1,024 characters).
    #[serde(default)]
    #[schema(max_length = 1024)]
    #[param(max_length = 1024)]
    value: String,
    /// The network chosen on the form, when there is one (`bitcoin`, `ethereum`…).
    #[serde(default)]
    chain: Option<String>,
    /// The language of `message`: `en` or `zh-CN` (default: the `wd_lang` cookie, else
    /// `Accept-Language`).
    #[serde(default)]
    #[schema(value_type = Option<crate::api::LangParam>)]
    #[param(value_type = Option<crate::api::LangParam>)]
    lang: Option<String>,
}

/// The fields the check knows.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "the OpenAPI schema of a string parameter, never built"
)]
pub(crate) enum FieldParam {
    Chain,
    TxHash,
    Address,
    AppVersion,
    DeviceOs,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CheckResult {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// Check one ticket-form field (deprecated: the value ends up in access logs; use `POST`).
#[utoipa::path(
    get,
    path = "/api/v1/fields/check",
    tag = "tickets",
    params(CheckQuery),
    responses(
        (status = 200, description = "Whether the value is acceptable", body = CheckResult),
        (status = 400, description = "`invalid_query`, `unknown_field`, `unsupported_lang` or `value_too_long` (over 1,024 characters)", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more costly reads (answers, field checks, suggestions) from this client than `[limits] costly_reads_per_client` in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn check_get(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    q: Result<Query<CheckQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CheckResult>, ApiError> {
    let Query(q) =
        q.map_err(|e| ApiError::bad_request(crate::error::ErrorCode::InvalidQuery, e.body_text()))?;
    check(&state, lang, &q)
}

/// Check one ticket-form field as the user types (no authentication); the value in the body.
#[utoipa::path(
    post,
    path = "/api/v1/fields/check",
    tag = "tickets",
    request_body = CheckQuery,
    responses(
        (status = 200, description = "Whether the value is acceptable", body = CheckResult),
        (status = 400, description = "`invalid_json`, `unknown_field`, `unsupported_lang` or `value_too_long` (over 1,024 characters)", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more costly reads (answers, field checks, suggestions) from this client than `[limits] costly_reads_per_client` in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn check_post(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    body: Result<Json<CheckQuery>, JsonRejection>,
) -> Result<Json<CheckResult>, ApiError> {
    let Json(q) = body
        .map_err(|e| ApiError::bad_request(crate::error::ErrorCode::InvalidJson, e.body_text()))?;
    check(&state, lang, &q)
}

fn check(
    state: &AppState,
    lang: domain::Lang,
    q: &CheckQuery,
) -> Result<Json<CheckResult>, ApiError> {
    let field = TicketField::parse(&q.field)
        .map_err(|e| ApiError::bad_request(crate::error::ErrorCode::UnknownField, e.to_string()))?;
    if q.value.chars().count() > 1024 {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::ValueTooLong,
            "a value is at most 1,024 characters",
        ));
    }
    let t = Tr {
        i18n: &state.i18n,
        lang: crate::api::lang_param(q.lang.as_deref(), lang)?,
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
