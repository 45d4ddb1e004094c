//! An agent's own security: finishing sign-in with a second factor, setting up an
//! authenticator app (TOTP) and its recovery codes, turning it off, and their sessions.
//!
//! - `GET/POST /agent/second-factor`: a half-signed-in session finishes here (a code, or a
//!   recovery code); one that has no authenticator but must have one is sent to set it up.
//! - `GET /agent/security`, `POST /agent/security/totp/{begin,confirm,disable}`,
//!   `POST /agent/security/sessions/{id}/revoke`, `POST /agent/security/sessions/revoke-others`.
//!   Setting up is open to half-signed-in sessions (the policy may demand a factor before the
//!   first sign-in completes); everything else needs a complete session, and turning the
//!   authenticator off or making a new one needs a recent factor (step-up).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use crate::AppState;
use crate::auth::factors::{self, Checked};
use crate::auth::session::{AgentSession, HalfSession};
use crate::auth::totp;
use crate::client::Client;
use crate::error::ApiError;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "agent_second_factor.html")]
struct SecondFactorPage<'a> {
    c: Chrome<'a>,
    error: Option<String>,
    /// Offer the code form (an authenticator app is set up).
    totp: bool,
    /// Offer the passkey button.
    passkey: bool,
}

/// Which second factors the agent can use: an authenticator app, a passkey.
async fn factor_kinds(state: &AppState, agent: domain::AgentId) -> Result<(bool, bool), ApiError> {
    Ok((
        factors::has_totp(state, agent).await?,
        factors::has_passkey(state, agent).await? && crate::auth::passkey::available(state),
    ))
}

/// `GET /agent/second-factor`.
pub(crate) async fn second_factor(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    HalfSession(s): HalfSession,
) -> Response {
    if s.session.verified {
        return Redirect::to(super::LANDING).into_response();
    }
    let (totp, passkey) = match factor_kinds(&state, s.agent.id).await {
        Ok((false, false)) => {
            // The policy demands a factor this agent does not have yet: set one up first.
            return Redirect::to("/agent/security").into_response();
        }
        Ok(kinds) => kinds,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let c = Chrome::new(&state, lang, &csrf, "/agent/second-factor");
    render(
        StatusCode::OK,
        &SecondFactorPage {
            c,
            error: None,
            totp,
            passkey,
        },
    )
}

/// `POST /agent/second-factor`.
pub(crate) async fn second_factor_submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    HalfSession(s): HalfSession,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let checked = factors::check(&state, &s.agent, &client.key(), &form.code, false).await;
    match checked {
        Ok(Some(how)) => {
            if let Err(e) = factors::mark(&state, &s.token).await {
                return error_page(&state, lang, &csrf, &e);
            }
            audit(&state, &s, "sign_in.second_factor", how_name(how), &client).await;
            see_other(super::LANDING, "signed_in")
        }
        Ok(None) => {
            audit(
                &state,
                &s,
                "sign_in.second_factor_failed",
                "wrong code",
                &client,
            )
            .await;
            let (totp, passkey) = factor_kinds(&state, s.agent.id)
                .await
                .unwrap_or((true, false));
            let c = Chrome::new(&state, lang, &csrf, "/agent/second-factor");
            let error = Some(c.t.get("security.code.wrong"));
            render(
                StatusCode::UNAUTHORIZED,
                &SecondFactorPage {
                    c,
                    error,
                    totp,
                    passkey,
                },
            )
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

fn how_name(how: Checked) -> &'static str {
    match how {
        Checked::Totp => "authenticator code",
        Checked::RecoveryCode => "recovery code",
        Checked::Password => "password",
        Checked::Passkey => "passkey",
    }
}

async fn audit(state: &AppState, s: &AgentSession, action: &str, detail: &str, client: &Client) {
    let _ = state
        .store
        .audit(
            Some(s.agent.id),
            action,
            Some(&s.agent.id.to_string()),
            &domain::Redacted::clean(&format!("{detail}; from {}", client.ip)),
            state.now(),
        )
        .await;
}

/// A session in the list.
#[derive(Debug)]
pub(crate) struct SessionRow {
    pub id: String,
    pub started: String,
    pub this_one: bool,
    pub complete: bool,
}

#[derive(Template)]
#[template(path = "agent_security.html")]
struct SecurityPage<'a> {
    c: Chrome<'a>,
    /// A complete session (else only setting up is offered).
    complete: bool,
    totp_on: bool,
    /// Set up started: the secret to type and the QR code to scan.
    pending: Option<Pending>,
    recovery_left: u32,
    /// Shown once, just after setting up or making new ones.
    new_codes: Vec<String>,
    required: bool,
    /// The authenticator app may be turned off: the policy does not require a factor, or a
    /// passkey remains.
    totp_removable: bool,
    sessions: Vec<SessionRow>,
    passkeys: Vec<PasskeyRow>,
    /// Passkeys work at this desk's address (`auth::passkey::rp_for`).
    passkeys_available: bool,
    /// Adding a passkey was started: its name and the options for the browser.
    passkey_pending: Option<(String, String)>,
    /// A new factor may be added (a complete session, or a half one with no factor yet).
    may_add: bool,
    error: Option<String>,
    /// The passkey name a refused form sent, shown back (redacted).
    passkey_name: String,
}

/// A passkey in the list.
#[derive(Debug)]
pub(crate) struct PasskeyRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Pending {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// `GET /agent/security`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    HalfSession(s): HalfSession,
    Query(done): Query<Done>,
) -> Response {
    let new_codes = crate::once::take(&state, &headers, s.agent.id)
        .map(|shown| shown.secret.split('\n').map(str::to_owned).collect())
        .unwrap_or_default();
    let mut resp = match security_page(&state, lang, &csrf, &s, &done, new_codes, None).await {
        Ok(r) => r,
        Err(e) => error_page(&state, lang, &csrf, &e),
    };
    crate::once::clear_cookie(&state, &mut resp);
    resp
}

async fn security_page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    s: &AgentSession,
    done: &Done,
    new_codes: Vec<String>,
    error: Option<(&str, &str)>,
) -> Result<Response, ApiError> {
    let record = state.store.totp(s.agent.id).await?;
    let totp_on = record.as_ref().is_some_and(|t| t.confirmed_at.is_some());
    let pending = match &record {
        Some(t) if t.confirmed_at.is_none() => {
            totp::unseal(state.link_key.bytes(), s.agent.id.0, &t.sealed_secret).map(|secret| {
                let uri = totp::otpauth_uri(&state.brand().name, s.agent.email.as_str(), &secret);
                Pending {
                    secret: totp::base32(&secret),
                    qr_svg: qr_svg(&uri),
                    uri,
                }
            })
        }
        _ => None,
    };
    let sessions = if s.session.verified {
        state
            .store
            .sessions_of(s.agent.id, state.now())
            .await?
            .into_iter()
            .map(|e| SessionRow {
                this_one: s.token.0.starts_with(&e.id),
                started: e.session.created_at.rfc3339(),
                complete: e.session.verified,
                id: e.id,
            })
            .collect()
    } else {
        Vec::new()
    };
    let passkeys: Vec<PasskeyRow> = state
        .store
        .passkeys(s.agent.id)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            id: p.id,
            name: p.name,
            created: p.created_at.rfc3339(),
            last_used: p.last_used_at.map(domain::Timestamp::rfc3339),
        })
        .collect();
    let required = factors::policy(state).await.requires(s.agent.role);
    let passkey_pending = state
        .passkeys
        .open_registration(&crate::auth::passkey::register_key(&s.token), state.now());
    let mut c = Chrome::new(state, lang, csrf, "/agent/security").with_done(done);
    if s.session.verified {
        c.agent = Some(s.signed_in());
    }
    let passkey_name = error.map_or_else(String::new, |(_, typed)| crate::web::echo_text(typed));
    let error = error.map(|(k, _)| c.t.get(k));
    Ok(render(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &SecurityPage {
            c,
            complete: s.session.verified,
            totp_on,
            pending,
            recovery_left: state.store.recovery_codes_left(s.agent.id).await?,
            new_codes,
            required,
            totp_removable: !required || !passkeys.is_empty(),
            may_add: s.session.verified || (!totp_on && passkeys.is_empty()),
            sessions,
            passkeys,
            passkeys_available: crate::auth::passkey::available(state),
            passkey_pending,
            error,
            passkey_name,
        },
    ))
}

/// The security page again with what was wrong (the form's own refusals).
pub(crate) async fn refused_page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    s: &AgentSession,
    key: &str,
) -> Response {
    refused_page_keeping(state, lang, csrf, s, key, "").await
}

/// [`refused_page`] with the passkey name the form sent put back in its box.
pub(crate) async fn refused_page_keeping(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    s: &AgentSession,
    key: &str,
    passkey_name: &str,
) -> Response {
    security_page(
        state,
        lang,
        csrf,
        s,
        &Done::default(),
        Vec::new(),
        Some((key, passkey_name)),
    )
    .await
    .unwrap_or_else(|e| error_page(state, lang, csrf, &e))
}

/// `303` to the security page, which shows the new recovery codes once (`once.rs`).
fn show_codes_once(state: &AppState, s: &AgentSession, codes: &[String], done: &str) -> Response {
    let shown = crate::once::Shown {
        notice: String::new(),
        secret: codes.join("\n"),
    };
    crate::once::redirect_showing(state, s.agent.id, "/agent/security", done, shown)
}

/// The QR code of `text` as an inline SVG (dark modules as one path).
fn qr_svg(text: &str) -> String {
    let Ok(qr) = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium) else {
        return String::new();
    };
    let size = qr.size();
    let border = 4;
    let dim = size + 2 * border;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {dim} {dim}\" width=\"200\" height=\"200\" role=\"img\" class=\"qr\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /agent/security/totp/begin`: a new secret to set up (unconfirmed until a code is
/// checked). Replacing a working authenticator needs a recent factor (the step-up layer).
pub(crate) async fn begin(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    HalfSession(s): HalfSession,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        // A half-signed-in session may set up a first authenticator, never replace one: that
        // would let a stolen password skip the factor.
        if !s.session.verified && factors::has_factor(&state, s.agent.id).await? {
            return Err(ApiError::Forbidden);
        }
        let secret = totp::new_secret().map_err(|e| ApiError::Internal(e.to_string()))?;
        let sealed = totp::seal(state.link_key.bytes(), s.agent.id.0, &secret);
        state.store.begin_totp(s.agent.id, &sealed).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => see_other("/agent/security", "totp_begun"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/security/totp/confirm`: the first code from the app ends setting up; the
/// recovery codes are made and shown once.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    HalfSession(s): HalfSession,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = async {
        let Some(t) = state.store.totp(s.agent.id).await? else {
            return Ok(Err("security.totp.not_started"));
        };
        if t.confirmed_at.is_some() {
            return Ok(Err("security.totp.not_started"));
        }
        let secret = totp::unseal(state.link_key.bytes(), s.agent.id.0, &t.sealed_secret)
            .ok_or_else(|| ApiError::Internal("sealed secret unreadable".into()))?;
        let now = state.now();
        let ok = match totp::matching_step(&secret, &form.code, now.0.div_euclid(1000)) {
            Some(step) => state.store.accept_totp_step(s.agent.id, step, now).await?,
            None => false,
        };
        if !ok {
            return Ok(Err("security.code.wrong"));
        }
        let codes = factors::new_recovery_codes(&state, s.agent.id).await?;
        factors::mark(&state, &s.token).await?;
        Ok(Ok(codes))
    }
    .await;
    match result {
        Ok(Ok(codes)) => {
            audit(
                &state,
                &s,
                "security.totp_on",
                "authenticator set up",
                &client,
            )
            .await;
            show_codes_once(&state, &s, &codes, "totp_on")
        }
        Ok(Err(key)) => refused_page(&state, lang, &csrf, &s, key).await,
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/security/totp/disable` (step-up): not when the policy requires a factor.
pub(crate) async fn disable(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    s: AgentSession,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        if factors::policy(&state).await.requires(s.agent.role)
            && !factors::has_passkey(&state, s.agent.id).await?
        {
            return Ok(false);
        }
        state.store.delete_totp(s.agent.id).await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => {
            audit(
                &state,
                &s,
                "security.totp_off",
                "authenticator removed",
                &client,
            )
            .await;
            see_other("/agent/security", "totp_off")
        }
        Ok(false) => refused_page(&state, lang, &csrf, &s, "security.totp.required").await,
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/security/recovery-codes` (step-up): new codes; the old ones stop working.
pub(crate) async fn new_codes(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    s: AgentSession,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        if !factors::has_totp(&state, s.agent.id).await? {
            return Err(ApiError::NotFound);
        }
        factors::new_recovery_codes(&state, s.agent.id).await
    }
    .await;
    match result {
        Ok(codes) => {
            audit(
                &state,
                &s,
                "security.recovery_codes",
                "new recovery codes",
                &client,
            )
            .await;
            show_codes_once(&state, &s, &codes, "codes_made")
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/security/sessions/{id}/revoke`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    s: AgentSession,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        if !state.store.revoke_session(s.agent.id, &id).await? {
            return Err(ApiError::NotFound);
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            audit(&state, &s, "security.session_revoked", &id, &client).await;
            see_other("/agent/security", "session_revoked")
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /agent/security/sessions/revoke-others`.
pub(crate) async fn revoke_others(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: Client,
    s: AgentSession,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        Ok::<_, ApiError>(
            state
                .store
                .revoke_other_sessions(s.agent.id, Some(&s.token))
                .await?,
        )
    }
    .await;
    match result {
        Ok(n) => {
            audit(
                &state,
                &s,
                "security.sessions_revoked",
                &format!("{n} other sessions"),
                &client,
            )
            .await;
            see_other("/agent/security", "sessions_revoked")
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
