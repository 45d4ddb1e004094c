//! Passkey routes (`auth::passkey` does the ceremonies): adding and removing one on the
//! security page, checking one as the second factor or for step-up, and signing in with one.
//!
//! Adding starts with a plain form (so the step-up layer can ask for the factor first) whose
//! answer is the security page with the browser's options; the browser's part (`passkey.js`)
//! then talks JSON. The JSON routes take the CSRF token in the `x-csrf-token` header and
//! answer `{"error": code}` on refusal; the page shows the code's message in the viewer's
//! language (`passkey_messages.html`).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::json;

use super::session::{AgentSession, HalfSession};
use crate::AppState;
use crate::auth::factors;
use crate::auth::passkey::{self, NAME_MAX, Refusal};
use crate::client::Client;
use crate::error::ApiError;
use crate::web::{CsrfToken, ViewerLang, error_page, see_other};

/// The header the JSON routes take the CSRF token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

fn check_csrf(csrf: &CsrfToken, headers: &HeaderMap) -> Result<(), ApiError> {
    csrf.check(
        headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

fn refused(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

fn refusal(r: Refusal) -> Response {
    let status = match r {
        Refusal::AlreadyRegistered => StatusCode::CONFLICT,
        Refusal::NoCeremony | Refusal::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        Refusal::Unknown | Refusal::Cloned => StatusCode::UNAUTHORIZED,
    };
    refused(status, r.code())
}

fn api_error(e: &ApiError) -> Response {
    let code = match e {
        // Passkeys cannot work at this desk's address.
        ApiError::NotFound => "passkey_unavailable",
        ApiError::Internal(msg) => {
            tracing::error!(error = %msg, "passkey request failed");
            "internal"
        }
        other => other.code(),
    };
    let mut resp = refused(e.status(), code);
    if let ApiError::RateLimited { retry_after_secs } = e {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
    resp
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Answer {
    #[serde(default)]
    credential: serde_json::Value,
    #[serde(default)]
    ceremony: String,
}

/// The browser's answer; `None` when the body is not JSON of that shape.
fn answer(body: &Bytes) -> Option<Answer> {
    serde_json::from_slice(body).ok()
}

async fn audit(state: &AppState, agent: domain::AgentId, action: &str, detail: &str, ip: &Client) {
    let _ = state
        .store
        .audit(
            Some(agent),
            action,
            Some(&agent.to_string()),
            &domain::Redacted::clean(&format!("{detail}; from {}", ip.ip)),
            state.now(),
        )
        .await;
}

#[derive(Debug, Deserialize)]
pub(crate) struct NameForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

/// `POST /agent/security/passkeys` (step-up): starts adding a passkey named in the form; the
/// security page then asks the browser for it. A half-signed-in session may add a first
/// factor, never one beside an existing factor (that would let a stolen password in).
pub(crate) async fn begin(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    HalfSession(s): HalfSession,
    Form(form): Form<NameForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        if !s.session.verified && factors::has_factor(&state, s.agent.id).await? {
            return Err(ApiError::Forbidden);
        }
        let name = domain::Redacted::clean(form.name.trim());
        let name = name.as_str().trim();
        if name.is_empty() || name.chars().count() > NAME_MAX {
            return Ok(false);
        }
        passkey::begin_registration(&state, &s.agent, &s.token, name).await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => see_other("/agent/security", "passkey_begun"),
        Ok(false) => {
            super::security::refused_page_keeping(
                &state,
                lang,
                &csrf,
                &s,
                "security.passkey.name_invalid",
                &form.name,
            )
            .await
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/security/passkeys/finish` (JSON): the browser's new credential.
pub(crate) async fn finish(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    headers: HeaderMap,
    HalfSession(s): HalfSession,
    body: Bytes,
) -> Response {
    if let Err(e) = check_csrf(&csrf, &headers) {
        return api_error(&e);
    }
    let Some(a) = answer(&body) else {
        return refused(StatusCode::BAD_REQUEST, "invalid_json");
    };
    let result = async {
        let name = match passkey::finish_registration(&state, s.agent.id, &s.token, &a.credential)
            .await?
        {
            Ok(name) => name,
            Err(r) => return Ok(Err(r)),
        };
        // The authenticator verified its user: as good as a factor checked now.
        factors::mark(&state, &s.token).await?;
        Ok(Ok(name))
    }
    .await;
    match result {
        Ok(Ok(name)) => {
            audit(
                &state,
                s.agent.id,
                "security.passkey_added",
                &format!("passkey \"{name}\""),
                &client,
            )
            .await;
            Json(json!({ "redirect": "/agent/security?done=passkey_added" })).into_response()
        }
        Ok(Err(r)) => refusal(r),
        Err(e) => api_error(&e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /agent/security/passkeys/{id}/remove` (step-up): not the last factor of an agent the
/// policy requires one of.
pub(crate) async fn remove(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    s: AgentSession,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let mine = state.store.passkeys(s.agent.id).await?;
        let Some(record) = mine.iter().find(|p| p.id == id) else {
            return Err(ApiError::NotFound);
        };
        let last = mine.len() == 1 && !factors::has_totp(&state, s.agent.id).await?;
        if last && factors::policy(&state).await.requires(s.agent.role) {
            return Ok(None);
        }
        if !state.store.delete_passkey(s.agent.id, id).await? {
            return Err(ApiError::NotFound);
        }
        Ok(Some(record.name.clone()))
    }
    .await;
    match result {
        Ok(Some(name)) => {
            audit(
                &state,
                s.agent.id,
                "security.passkey_removed",
                &format!("passkey {id} \"{name}\""),
                &client,
            )
            .await;
            see_other("/agent/security", "passkey_removed")
        }
        Ok(None) => {
            super::security::refused_page(&state, lang, &csrf, &s, "security.passkey.last_required")
                .await
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/passkey/check` (JSON): starts checking one of the agent's passkeys, for the
/// second factor or step-up.
pub(crate) async fn check_begin(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    HalfSession(s): HalfSession,
) -> Response {
    if let Err(e) = check_csrf(&csrf, &headers) {
        return api_error(&e);
    }
    match passkey::begin_check(&state, s.agent.id, &s.token).await {
        Ok(Some(options)) => json_text(&options),
        Ok(None) => refused(StatusCode::NOT_FOUND, "passkey_none"),
        Err(e) => api_error(&e),
    }
}

fn json_text(text: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        text.to_owned(),
    )
        .into_response()
}

/// `POST /agent/passkey/check/finish` (JSON): the browser's answer; a verified passkey marks
/// the session (complete, and fresh for step-up). Failures back off like codes do.
pub(crate) async fn check_finish(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    headers: HeaderMap,
    HalfSession(s): HalfSession,
    body: Bytes,
) -> Response {
    if let Err(e) = check_csrf(&csrf, &headers) {
        return api_error(&e);
    }
    let Some(a) = answer(&body) else {
        return refused(StatusCode::BAD_REQUEST, "invalid_json");
    };
    let key = format!("factor:{}:{}", s.agent.id, client.key());
    if let Some(retry_after_secs) = state.backoff.wait(&key) {
        return api_error(&ApiError::RateLimited { retry_after_secs });
    }
    let result = async {
        match passkey::finish_check(&state, s.agent.id, &s.token, &a.credential).await? {
            Ok(name) => {
                factors::mark(&state, &s.token).await?;
                Ok(Ok(name))
            }
            Err(r) => Ok(Err(r)),
        }
    }
    .await;
    match result {
        Ok(Ok(name)) => {
            state.backoff.reset(&key);
            let (action, next) = if s.session.verified {
                ("security.step_up", "")
            } else {
                ("sign_in.second_factor", "/agent/desk?done=signed_in")
            };
            audit(
                &state,
                s.agent.id,
                action,
                &format!("passkey \"{name}\""),
                &client,
            )
            .await;
            Json(json!({ "redirect": next })).into_response()
        }
        Ok(Err(r)) => {
            state.backoff.fail(&key);
            audit(
                &state,
                s.agent.id,
                "sign_in.second_factor_failed",
                &format!("passkey refused: {}", r.code()),
                &client,
            )
            .await;
            refusal(r)
        }
        Err(e) => api_error(&e),
    }
}

/// `POST /agent/sign-in/passkey` (JSON): starts a passkey-only sign-in.
pub(crate) async fn sign_in_begin(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = check_csrf(&csrf, &headers) {
        return api_error(&e);
    }
    // Every attempt counts against the client's sign-in budget, as passwords do.
    if let Some(retry_after_secs) = state.limiter.wait(
        &format!("sign_in:client:{}", client.key()),
        state.config.limits.sign_in,
    ) {
        return api_error(&ApiError::RateLimited { retry_after_secs });
    }
    match passkey::begin_sign_in(&state) {
        Ok((ceremony, options)) => json_text(&format!(
            "{{\"ceremony\":{},\"options\":{options}}}",
            serde_json::Value::String(ceremony)
        )),
        Err(e) => api_error(&e),
    }
}

/// `POST /agent/sign-in/passkey/finish` (JSON): a verified passkey signs its agent in with a
/// complete session — a passkey with user verification is two factors by itself.
pub(crate) async fn sign_in_finish(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(e) = check_csrf(&csrf, &headers) {
        return api_error(&e);
    }
    let Some(a) = answer(&body) else {
        return refused(StatusCode::BAD_REQUEST, "invalid_json");
    };
    let key = format!("sign_in:passkey:{}", client.key());
    if let Some(retry_after_secs) = state.backoff.wait(&key) {
        return api_error(&ApiError::RateLimited { retry_after_secs });
    }
    let result = async {
        let (agent, name) =
            match passkey::finish_sign_in(&state, &a.ceremony, &a.credential).await? {
                Ok(found) => found,
                Err(r) => return Ok(Err(r)),
            };
        if !agent.active {
            return Ok(Err(Refusal::Unknown));
        }
        let (cookie, _) = super::sign_in::start_session_with(&state, &agent, true).await?;
        Ok(Ok((agent, name, cookie)))
    }
    .await;
    match result {
        Ok(Ok((agent, name, cookie))) => {
            state.backoff.reset(&key);
            audit(
                &state,
                agent.id,
                "sign_in",
                &format!("passkey \"{name}\""),
                &client,
            )
            .await;
            tracing::info!(agent.id = %agent.id, "agent signed in with a passkey");
            let mut resp = Json(json!({ "redirect": super::LANDING })).into_response();
            resp.headers_mut().append(header::SET_COOKIE, cookie);
            if let Some(v) = super::sign_in::note_device(&state, &headers, &agent, &client).await {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Ok(Err(r)) => {
            state.backoff.fail(&key);
            let _ = state
                .store
                .audit(
                    None,
                    "sign_in.failed",
                    None,
                    &domain::Redacted::clean(&format!(
                        "passkey refused: {}; from {}",
                        r.code(),
                        client.ip
                    )),
                    state.now(),
                )
                .await;
            refusal(r)
        }
        Err(e) => api_error(&e),
    }
}
