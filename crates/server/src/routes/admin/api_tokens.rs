//! `/admin/api-tokens`: an agent's own API tokens. A new token is shown once; the store keeps
//! only its hash.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Form};
use domain::{ApiTokenId, Lang};
use serde::Deserialize;
use store::{Agent, ApiToken};

use super::guard::SignedInAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::auth;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

#[derive(Debug)]
pub(crate) struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl From<ApiToken> for TokenRow {
    fn from(t: ApiToken) -> Self {
        TokenRow {
            id: t.id.0,
            name: t.name,
            created_at: t.created_at.rfc3339(),
            last_used_at: t.last_used_at.map(domain::Timestamp::rfc3339),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_api_tokens.html")]
struct TokensPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    tokens: Vec<TokenRow>,
    /// A token just made, shown this once.
    new_token: Option<String>,
}

async fn page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    me: &Agent,
    flash: Flash,
    new_token: Option<String>,
) -> Response {
    let tokens = match state.store.api_tokens(me.id).await {
        Ok(t) => t,
        Err(e) => return error_page(state, lang, csrf, &e.into()),
    };
    render(
        StatusCode::OK,
        &TokensPage {
            c: chrome(state, lang, csrf, "/admin/api-tokens", me),
            flash,
            tokens: tokens.into_iter().map(TokenRow::from).collect(),
            new_token,
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    SignedInAgent(me): SignedInAgent,
    Query(done): Query<Done>,
    headers: HeaderMap,
) -> Response {
    // A new token, shown on this page once after the form (crate::once).
    if let Some(shown) = crate::once::take(&state, &headers, me.id) {
        let flash = Flash::notice(shown.notice);
        let mut resp = page(&state, lang, &csrf, &me, flash, Some(shown.secret)).await;
        crate::once::clear_cookie(&state, &mut resp);
        return resp;
    }
    page(
        &state,
        lang,
        &csrf,
        &me,
        Flash::done(&state, lang, &done),
        None,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    SignedInAgent(me): SignedInAgent,
    Form(form): Form<CreateForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        let flash = Flash::error(t.get("admin.tokens.error.name"));
        return page(&state, lang, &csrf, &me, flash, None).await;
    }
    let result = async {
        let token = auth::new_token().map_err(|e| ApiError::Internal(e.to_string()))?;
        let now = state.now();
        let made = state
            .store
            .create_api_token(
                &auth::hash_token(&token),
                me.id,
                domain::Redacted::clean(name),
                now,
            )
            .await?;
        state
            .store
            .audit(
                Some(me.id),
                "api_token.create",
                Some(&made.id.to_string()),
                &domain::Redacted::clean(name),
                now,
            )
            .await?;
        Ok::<_, ApiError>(token)
    }
    .await;
    match result {
        Ok(token) => {
            let shown = crate::once::Shown {
                notice: t.get("admin.tokens.created"),
                secret: token,
            };
            crate::once::redirect_showing(&state, me.id, "/admin/api-tokens", "created", shown)
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn revoke(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    SignedInAgent(me): SignedInAgent,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = async {
        let id: ApiTokenId = id.parse().map_err(|_| ApiError::NotFound)?;
        // The store only revokes a token of this agent.
        state.store.revoke_api_token(me.id, id).await?;
        state
            .store
            .audit(
                Some(me.id),
                "api_token.revoke",
                Some(&id.to_string()),
                &domain::Redacted::clean(""),
                state.now(),
            )
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => see_other("/admin/api-tokens", "revoked"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
