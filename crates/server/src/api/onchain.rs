//! `GET /api/v1/chain/tx/{hash}` and `GET /api/v1/chain/address/{address}`: what the
//! configured chains say (issue 12), as JSON with sentences in the request's language (`lang`,
//! else the `wd_lang` cookie, else `Accept-Language`). No authentication; each lookup spends
//! the `check` budget of the client (`limit.rs`), and answers come from a short cache.
//!
//! The path value passes through redaction before anything else: a recovery phrase or key is
//! refused (`422 value_contains_secret`), never looked up, echoed or logged.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chain_client::ChainsError;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::onchain::{self, AddressOut, TxOut};
use crate::web::ViewerLang;

/// Which chain, which language, and whether to skip the cache.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LookupQuery {
    /// A configured chain's name (`ethereum`, `bsc`…); absent: every configured chain.
    #[serde(default)]
    chain: Option<String>,
    /// `en` or `zh-CN` (default: the `wd_lang` cookie, else `Accept-Language`).
    #[serde(default)]
    #[param(value_type = Option<super::LangParam>)]
    lang: Option<String>,
    /// `true`: ask the chain again rather than the cache.
    #[serde(default)]
    fresh: Option<bool>,
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: String,
}

fn refuse(status: StatusCode, error: &'static str, message: String) -> Response {
    (status, Json(ErrorBody { error, message })).into_response()
}

fn chains_error(state: &AppState, lang: domain::Lang, e: &ChainsError) -> Response {
    let status = match e {
        ChainsError::NotConfigured => StatusCode::NOT_FOUND,
        ChainsError::UnknownChain(_) | ChainsError::BadInput => StatusCode::BAD_REQUEST,
        ChainsError::Unreachable(why) => {
            tracing::warn!(error = %why, "chain lookup: no endpoint answered");
            StatusCode::BAD_GATEWAY
        }
    };
    refuse(
        status,
        e.code(),
        onchain::error_sentence(&state.i18n, lang, e),
    )
}

/// Common to both: the query read, the language chosen, the value through redaction.
fn prepare(
    state: &AppState,
    viewer: domain::Lang,
    q: Result<Query<LookupQuery>, QueryRejection>,
    value: &str,
    field: wallet::FieldHint,
) -> Result<(LookupQuery, domain::Lang, String), Box<Response>> {
    let Query(q) = q.map_err(|e| {
        Box::new(refuse(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            e.body_text(),
        ))
    })?;
    let lang =
        super::lang_param(q.lang.as_deref(), viewer).map_err(|e| Box::new(e.into_response()))?;
    let value = onchain::user_input(value, field).map_err(|r| {
        let status = match r {
            onchain::InputRefusal::Secret => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::BAD_REQUEST,
        };
        Box::new(refuse(
            status,
            r.code(),
            state.i18n.get(lang, r.message_key()),
        ))
    })?;
    Ok((q, lang, value))
}

/// What the chains say about a transaction.
#[utoipa::path(
    get,
    path = "/api/v1/chain/tx/{hash}",
    tag = "chain",
    params(("hash" = String, Path, description = "The transaction id (EVM: `0x` and 64 hex digits)"), LookupQuery),
    responses(
        (status = 200, description = "The diagnosis (found or not)", body = TxOut),
        (status = 400, description = "`bad_input`, `unknown_chain`, `unsupported_lang`, `value_too_long` or `invalid_query`", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`value_contains_secret`: a recovery phrase or key; not looked up, not logged", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = crate::api::dto::ErrorOut),
        (status = 502, description = "`chain_unreachable`: no endpoint answered (couldn't check)", body = crate::api::dto::ErrorOut),
        (status = 404, description = "`chain_not_configured`: no chain is configured on this desk (nothing is looked up anywhere else)", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn tx(
    State(state): State<AppState>,
    ViewerLang(viewer): ViewerLang,
    Path(hash): Path<String>,
    q: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let (q, lang, hash) = match prepare(&state, viewer, q, &hash, wallet::FieldHint::TxHash) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    match state
        .chains
        .tx(&hash, q.chain.as_deref(), q.fresh.unwrap_or(false))
        .await
    {
        Ok(l) => Json(onchain::tx_out(&state.i18n, lang, &l)).into_response(),
        Err(e) => chains_error(&state, lang, &e),
    }
}

/// What the chains say about an address: balances, why a wallet may show 0, whether it can
/// pay the fee of a send.
#[utoipa::path(
    get,
    path = "/api/v1/chain/address/{address}",
    tag = "chain",
    params(("address" = String, Path, description = "The address (EVM: `0x` and 40 hex digits)"), LookupQuery),
    responses(
        (status = 200, description = "The diagnosis", body = AddressOut),
        (status = 400, description = "`bad_input`, `unknown_chain`, `unsupported_lang`, `value_too_long` or `invalid_query`", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`value_contains_secret`: a recovery phrase or key; not looked up, not logged", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = crate::api::dto::ErrorOut),
        (status = 502, description = "`chain_unreachable`: no endpoint answered (couldn't check)", body = crate::api::dto::ErrorOut),
        (status = 404, description = "`chain_not_configured`: no chain is configured on this desk (nothing is looked up anywhere else)", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn address(
    State(state): State<AppState>,
    ViewerLang(viewer): ViewerLang,
    Path(address): Path<String>,
    q: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let (q, lang, address) = match prepare(&state, viewer, q, &address, wallet::FieldHint::Address)
    {
        Ok(p) => p,
        Err(r) => return *r,
    };
    match state
        .chains
        .address(&address, q.chain.as_deref(), q.fresh.unwrap_or(false))
        .await
    {
        Ok(l) => Json(onchain::address_out(&state.i18n, lang, &l)).into_response(),
        Err(e) => chains_error(&state, lang, &e),
    }
}
