//! `GET /api/v1/verify?value=…` and `POST /api/v1/verify` with `{value, lang}`: "is this really
//! support?" as JSON, `{"official", "kind", "findings": [{"code", "message"}], "channels"}`,
//! messages in the request's language (`lang`, else the `wd_lang` cookie, else
//! `Accept-Language`). No authentication; limited per client like the other public endpoints.
//!
//! The `GET` form exists because links and integrations ask for it; `POST` keeps the value out
//! of access logs. A value holding a recovery phrase or key is refused
//! (`422 value_contains_secret`), never checked, echoed or logged.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::i18n::Tr;
use crate::verify::{self, Refusal};
use crate::web::ViewerLang;

/// What to check: the query parameters of `GET`, or the JSON body of `POST`.
#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub(crate) struct VerifyIn {
    /// What claims to be us: a URL, domain, e-mail address, Telegram / X / WeChat handle
    /// (`@name`, `t.me/name`, `wechat: id`), phone number or crypto address (at most 2,048
    /// characters).
    #[param(min_length = 1, max_length = 2048, pattern = r"[^\s\x85]")]
    #[schema(min_length = 1, max_length = 2048, pattern = r"[^\s\x85]")]
    value: String,
    /// The language of the messages: `en` or `zh-CN` (default: the `wd_lang` cookie, else
    /// `Accept-Language`).
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct FindingOut {
    /// Stable: `official`, `not_listed`, `lookalike_domain`, `lookalike_handle`, `homoglyph`,
    /// `punycode`, `mixed_script`, `brand_in_foreign_name`, `insecure_url`, `url_shortener`,
    /// `ip_address_host`, `userinfo`, `free_mail`, `funds_request`, `unrecognised`,
    /// `never_asks` (always last).
    code: String,
    /// The finding explained, in the request's language.
    message: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ChannelOut {
    kind: String,
    value: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct VerdictOut {
    /// Whether the value is one of the official channels.
    official: bool,
    /// What the value was read as: `url`, `domain`, `email`, `telegram`, `wechat`, `x`,
    /// `handle`, `phone`, `address` or `unknown`.
    kind: String,
    findings: Vec<FindingOut>,
    /// The official channels, to compare with.
    channels: Vec<ChannelOut>,
}

/// Is this really support? (the value ends up in access logs; prefer `POST`)
#[utoipa::path(
    get,
    path = "/api/v1/verify",
    tag = "verify",
    params(VerifyIn),
    responses(
        (status = 200, description = "The verdict", body = VerdictOut),
        (status = 400, description = "`value_missing` or `value_too_long`", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`value_contains_secret`: a recovery phrase or key; not checked, not logged", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn check_get(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    q: Result<Query<VerifyIn>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match q {
        Ok(Query(q)) => answer(&state, lang, &q).await,
        Err(e) => bad(None, "invalid_query", e.body_text()),
    }
}

/// Is this really support? The value in a JSON body (no authentication).
#[utoipa::path(
    post,
    path = "/api/v1/verify",
    tag = "verify",
    request_body = VerifyIn,
    responses(
        (status = 200, description = "The verdict", body = VerdictOut),
        (status = 400, description = "`invalid_json`, `value_missing` or `value_too_long`", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`value_contains_secret`: a recovery phrase or key; not checked, not logged", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn check_post(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response {
    // An object of the documented shape only: serde alone would also take `["value"]`, the
    // fields' values in order.
    let body = match body {
        Ok(Json(v)) if v.is_object() => v,
        Ok(_) => return bad(None, "invalid_json", "the body is a JSON object".into()),
        Err(e) => return bad(None, "invalid_json", e.body_text()),
    };
    match serde_json::from_value::<VerifyIn>(body) {
        Ok(q) => answer(&state, lang, &q).await,
        Err(e) => bad(None, "invalid_json", e.to_string()),
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: String,
}

fn bad(status: Option<StatusCode>, code: &'static str, message: String) -> Response {
    (
        status.unwrap_or(StatusCode::BAD_REQUEST),
        Json(ErrorBody {
            error: code,
            message,
        }),
    )
        .into_response()
}

async fn answer(state: &AppState, lang: domain::Lang, q: &VerifyIn) -> Response {
    let t = Tr {
        i18n: &state.i18n,
        lang: q
            .lang
            .as_deref()
            .and_then(domain::Lang::parse_loose)
            .unwrap_or(lang),
    };
    // The API is outside the pages' middleware: load the admin's channels here.
    if let Err(e) = state.brand.ensure_loaded(state).await {
        return e.into_response();
    }
    match verify::check(state, &q.value) {
        Ok(v) => {
            let brand = state.brand();
            Json(VerdictOut {
                official: v.official,
                kind: v.kind.as_str().to_owned(),
                findings: v
                    .findings
                    .iter()
                    .map(|f| FindingOut {
                        code: f.code.as_str().to_owned(),
                        message: verify::explain(&t, f, &brand.name),
                    })
                    .collect(),
                channels: brand
                    .official_channels
                    .iter()
                    .map(|c| ChannelOut {
                        kind: c.kind.clone(),
                        value: c.value.clone(),
                    })
                    .collect(),
            })
            .into_response()
        }
        Err(r) => {
            let status = match r {
                Refusal::Missing | Refusal::TooLong => StatusCode::BAD_REQUEST,
                Refusal::Secret => StatusCode::UNPROCESSABLE_ENTITY,
            };
            bad(Some(status), r.code(), r.message(&t))
        }
    }
}
