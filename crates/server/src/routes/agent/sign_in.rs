//! Signing in with e-mail and password or a one-time link, and signing out.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::{AgentId, EmailAddress};
use serde::Deserialize;
use store::{Agent, Session};

use super::session::{AgentSession, SESSION_HOURS};
use crate::error::ApiError;
use crate::web::{
    Chrome, CsrfToken, Problem, SESSION_COOKIE, ViewerLang, error_page, problem_page, render,
    see_other, set_cookie,
};
use crate::{AppState, auth};

#[derive(Template)]
#[template(path = "agent_sign_in.html")]
struct SignInPage<'a> {
    c: Chrome<'a>,
    email: String,
    error: Option<String>,
    /// Offer "Sign in with a passkey" (passkeys work at this desk's address).
    passkeys: bool,
}

fn page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
) -> Response {
    let c = Chrome::new(state, lang, csrf, "/agent/sign-in");
    let error = error.map(|k| c.t.get(k));
    render(
        status,
        &SignInPage {
            c,
            email: email.to_owned(),
            error,
            passkeys: crate::auth::passkey::available(state),
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    page(&state, lang, &csrf, StatusCode::OK, "", None)
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The form again with the address kept, how long to wait, and `Retry-After`.
fn limited(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    email: String,
    secs: u64,
) -> Response {
    let c = Chrome::new(state, lang, csrf, "/agent/sign-in");
    let error = Some(c.t.fmt1("agent.sign_in.rate_limited", "wait", &c.t.wait(secs)));
    let mut resp = render(
        StatusCode::TOO_MANY_REQUESTS,
        &SignInPage {
            c,
            email,
            error,
            passkeys: crate::auth::passkey::available(state),
        },
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    resp
}

/// `POST /agent/sign-in` refused by the rate limit (`limit.rs`) before [`submit`] ran.
pub(crate) fn refused(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    fields: &[(String, String)],
    secs: u64,
) -> Response {
    let email = fields
        .iter()
        .find(|(k, _)| k == "email")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    limited(state, lang, csrf, email, secs)
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    client: crate::client::Client,
    headers: axum::http::HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let email_text = form.email.trim().to_lowercase();
    // Every attempt from one client counts against that client's `sign_in` budget (the rate
    // limit layer, `limit.rs`); failures for one address *from one client* also back off
    // exponentially here, so a stranger cannot lock an agent out. A correct password resets
    // the back-off.
    let backoff_key = format!("sign_in:{email_text}:{}", client.key());
    if let Some(secs) = state.backoff.wait(&backoff_key) {
        return limited(&state, lang, &csrf, form.email.clone(), secs);
    }
    let agent = match EmailAddress::parse(&email_text) {
        Ok(email) => state.store.agent_by_email(&email).await.ok(),
        Err(_) => None,
    };
    // Unknown addresses cost the same argon2 work as known ones.
    let hash = agent
        .as_ref()
        .map_or(auth::DUMMY_HASH, |a| a.password_hash.as_str())
        .to_owned();
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let now = state.now();
    match agent {
        Some(agent) if matches && agent.active => {
            state.backoff.reset(&backoff_key);
            let needs_factor =
                match crate::auth::factors::sign_in_needs_factor(&state, &agent).await {
                    Ok(n) => n,
                    Err(e) => return error_page(&state, lang, &csrf, &e),
                };
            match start_session_with(&state, &agent, !needs_factor).await {
                Ok((cookie, _)) => {
                    let _ = state
                        .store
                        .audit(
                            Some(agent.id),
                            "sign_in",
                            Some(&agent.id.to_string()),
                            &domain::Redacted::clean(&format!("password; from {}", client.ip)),
                            now,
                        )
                        .await;
                    tracing::info!(agent.id = %agent.id, "agent signed in");
                    let mut resp = signed_in(cookie);
                    if let Some(v) = note_device(&state, &headers, &agent, &client).await {
                        resp.headers_mut().append(header::SET_COOKIE, v);
                    }
                    if needs_factor {
                        // Half signed in: the password was right; the factor comes next.
                        resp.headers_mut().insert(
                            header::LOCATION,
                            HeaderValue::from_static(crate::auth::session::SECOND_FACTOR),
                        );
                    }
                    resp
                }
                Err(e) => error_page(&state, lang, &csrf, &e),
            }
        }
        other => {
            state.backoff.fail(&backoff_key);
            let _ = state
                .store
                .audit(
                    other.map(|a| a.id),
                    "sign_in.failed",
                    None,
                    &domain::Redacted::clean(&format!(
                        "wrong e-mail, password, or inactive agent; from {}",
                        client.ip
                    )),
                    now,
                )
                .await;
            page(
                &state,
                lang,
                &csrf,
                StatusCode::UNAUTHORIZED,
                &form.email,
                Some("agent.sign_in.failed"),
            )
        }
    }
}

/// Remembers the browsers an agent signed in from: `nonce.mac`, the MAC binding the nonce to
/// the agent under the server key (a cookie made for one agent says nothing of another).
const DEVICE_COOKIE: &str = "wd_device";

fn device_mac(state: &AppState, agent: AgentId, nonce: &str) -> String {
    state.link_key.csrf(&format!("device:{}:{nonce}", agent.0))
}

fn device_known(state: &AppState, agent: AgentId, cookie: &str) -> bool {
    cookie.split('~').any(|entry| {
        entry.split_once('.').is_some_and(|(nonce, mac)| {
            let want = device_mac(state, agent, nonce);
            want.len() == mac.len()
                && want
                    .bytes()
                    .zip(mac.bytes())
                    .fold(0u8, |a, (x, y)| a | (x ^ y))
                    == 0
        })
    })
}

/// After a sign-in (password or passkey): a browser this agent has not signed in from before is
/// said so in the audit log and to the agent by mail (`mail/notify.rs`), and remembered — the
/// `Set-Cookie` to add, if any. A failure to queue the mail does not stop the sign-in.
pub(crate) async fn note_device(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    agent: &Agent,
    client: &crate::client::Client,
) -> Option<HeaderValue> {
    let existing =
        crate::web::our_cookie(headers, DEVICE_COOKIE, state.config.secure_cookies).unwrap_or("");
    if device_known(state, agent.id, existing) {
        return None;
    }
    let _ = state
        .store
        .audit(
            Some(agent.id),
            "sign_in.new_device",
            Some(&agent.id.to_string()),
            &domain::Redacted::clean(&format!("from {}", client.ip)),
            state.now(),
        )
        .await;
    if let Err(e) = crate::mail::notify::new_device(state, agent, &client.ip.to_string()).await {
        tracing::warn!(agent.id = %agent.id, error = %e, "new-device mail not queued");
    }
    new_device_cookie(state, agent.id, existing).map(|v| {
        set_cookie(
            DEVICE_COOKIE,
            &v,
            365 * 24 * 3600,
            state.config.secure_cookies,
            true,
        )
    })
}

/// The cookie with an entry for `agent` added: up to four earlier entries are kept (a shared
/// browser where several agents sign in), each `nonce.mac`, joined with `~`.
fn new_device_cookie(state: &AppState, agent: AgentId, existing: &str) -> Option<String> {
    let nonce = auth::new_token().ok()?;
    let mut entries: Vec<&str> = existing
        .split('~')
        .filter(|e| e.len() <= 100 && e.contains('.'))
        .collect();
    let skip = entries.len().saturating_sub(4);
    entries.drain(..skip);
    let new = format!("{nonce}.{}", device_mac(state, agent, &nonce));
    entries.push(&new);
    Some(entries.join("~"))
}

fn signed_in(cookie: HeaderValue) -> Response {
    let mut resp = Redirect::to(super::LANDING).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    resp
}

/// A new session (complete, or half signed in until the second factor): its cookie and the
/// hash it is stored under.
pub(crate) async fn start_session_with(
    state: &AppState,
    agent: &Agent,
    complete: bool,
) -> Result<(HeaderValue, store::TokenHash), ApiError> {
    let token = auth::new_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    let hash = auth::hash_token(&token);
    let now = state.now();
    state
        .store
        .create_session(
            &hash,
            Session {
                agent_id: agent.id,
                created_at: now,
                expires_at: now.plus_minutes(SESSION_HOURS * 60),
                // A fresh token at every sign-in: one seen before it (on the sign-in page,
                // say) is worth nothing after.
                csrf: auth::new_token().map_err(|e| ApiError::Internal(e.to_string()))?,
                // Agents with (or required to have) a second factor start half signed in.
                verified: complete,
                factor_at: complete.then_some(now),
            },
        )
        .await?;
    let cookie = set_cookie(
        SESSION_COOKIE,
        &token,
        SESSION_HOURS * 3600,
        state.config.secure_cookies,
        true,
    );
    Ok((cookie, hash))
}

#[derive(Template)]
#[template(path = "agent_link.html")]
struct LinkPage<'a> {
    c: Chrome<'a>,
    token: String,
}

/// `GET /agent/link/{token}`: a one-time sign-in link (the first admin's, printed at set-up, or
/// a new agent's). Opening it only shows a button: mail scanners that fetch every link would
/// otherwise spend it, and another site could sign a browser in to an account of its choice.
pub(crate) async fn show_link(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> Response {
    if token.len() != 43 {
        return link_spent(&state, lang, &csrf);
    }
    match state
        .store
        .sign_in_link_agent(&auth::hash_token(&token), state.now())
        .await
    {
        Ok(_) => {}
        Err(store::StoreError::NotFound) => return link_spent(&state, lang, &csrf),
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    }
    // The language switch stays on this page (the link is not spent by opening it).
    let c = Chrome::new(&state, lang, &csrf, &format!("/agent/link/{token}"));
    render(StatusCode::OK, &LinkPage { c, token })
}

fn link_spent(state: &AppState, lang: domain::Lang, csrf: &CsrfToken) -> Response {
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let p = Problem::new(StatusCode::NOT_FOUND, t.get("problem.sign_in_link.title"))
        .detail(t.get("problem.sign_in_link.detail"))
        .next("/agent/sign-in", t.get("next.sign_in"));
    problem_page(state, lang, csrf, p)
}

/// `POST /agent/link/{token}`: the button of [`show_link`] signs in, once.
pub(crate) async fn link(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        if token.len() != 43 {
            return Err(ApiError::NotFound);
        }
        let id: AgentId = state
            .store
            .consume_sign_in_link(&auth::hash_token(&token), state.now())
            .await?;
        let agent = state.store.agent(id).await?;
        if !agent.active {
            return Err(ApiError::Forbidden);
        }
        let needs_factor = crate::auth::factors::sign_in_needs_factor(&state, &agent).await?;
        let (cookie, session) = start_session_with(&state, &agent, !needs_factor).await?;
        // The agent may now set a password without knowing one (see `password.rs`).
        state.link_grace.grant(&session);
        state
            .store
            .audit(
                Some(agent.id),
                "sign_in",
                Some(&agent.id.to_string()),
                &domain::Redacted::clean("link"),
                state.now(),
            )
            .await?;
        Ok((cookie, needs_factor))
    }
    .await;
    match result {
        Ok((cookie, needs_factor)) => {
            let mut resp = if needs_factor {
                Redirect::to(crate::auth::session::SECOND_FACTOR).into_response()
            } else {
                see_other("/agent/password", "link_signed_in")
            };
            resp.headers_mut().append(header::SET_COOKIE, cookie);
            resp
        }
        // Used, expired or never issued: say so, and where to go instead.
        Err(ApiError::NotFound) => link_spent(&state, lang, &csrf),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /agent/sign-out`.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    if let Err(e) = state.store.delete_session(&session.token).await {
        return error_page(&state, lang, &csrf, &e.into());
    }
    let _ = state
        .store
        .audit(
            Some(session.agent.id),
            "sign_out",
            Some(&session.agent.id.to_string()),
            &domain::Redacted::clean(""),
            state.now(),
        )
        .await;
    let mut resp = Redirect::to("/agent/sign-in").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies, true),
    );
    resp
}
