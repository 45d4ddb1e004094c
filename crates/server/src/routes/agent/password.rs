//! `GET/POST /agent/password`: an agent sets or changes their password.
//!
//! The current password is asked for, except just after a one-time sign-in link: a new agent
//! (whose password nobody knows) and an agent whose password was reset both arrive that way,
//! and for [`LINK_GRACE`] after the link the session may set one without it. That grace is
//! kept in memory per session ([`LinkGrace`]); a restart ends it, and then the agent asks for
//! a new link.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;
use store::TokenHash;

use super::session::AgentSession;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};
use crate::{AppState, auth};

/// How long after a sign-in link a password may be set without the current one.
pub(crate) const LINK_GRACE: Duration = Duration::from_secs(15 * 60);

/// Sessions started by a one-time link, and when.
#[derive(Debug, Default)]
pub struct LinkGrace(Mutex<HashMap<String, Instant>>);

impl LinkGrace {
    pub(crate) fn grant(&self, session: &TokenHash) {
        let mut m = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        m.retain(|_, at| at.elapsed() < LINK_GRACE);
        m.insert(session.0.clone(), Instant::now());
    }

    pub(crate) fn holds(&self, session: &TokenHash) -> bool {
        let m = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        m.get(&session.0)
            .is_some_and(|at| at.elapsed() < LINK_GRACE)
    }

    fn end(&self, session: &TokenHash) {
        let mut m = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        m.remove(&session.0);
    }
}

#[derive(Template)]
#[template(path = "agent_password.html")]
struct PasswordPage<'a> {
    c: Chrome<'a>,
    /// Whether the current password is asked for.
    need_current: bool,
    error: Option<String>,
}

fn page(
    state: &AppState,
    session: &AgentSession,
    lang: domain::Lang,
    csrf: &CsrfToken,
    status: StatusCode,
    done: &Done,
    error: Option<&str>,
) -> Response {
    let mut c = Chrome::new(state, lang, csrf, "/agent/password").with_done(done);
    c.agent = Some(session.signed_in());
    let error = error.map(|k| c.t.get(k));
    render(
        status,
        &PasswordPage {
            c,
            need_current: !state.link_grace.holds(&session.token),
            error,
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Query(done): Query<Done>,
) -> Response {
    page(&state, &session, lang, &csrf, StatusCode::OK, &done, None)
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Form(form): Form<PasswordForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let refuse = |key: &str| {
        page(
            &state,
            &session,
            lang,
            &csrf,
            StatusCode::UNPROCESSABLE_ENTITY,
            &Done::default(),
            Some(key),
        )
    };
    if !state.link_grace.holds(&session.token) {
        let hash = session.agent.password_hash.clone();
        let current = form.current.clone();
        let ok = tokio::task::spawn_blocking(move || auth::verify_password(&current, &hash))
            .await
            .unwrap_or(false);
        if !ok {
            return refuse("agent.password.error.current");
        }
    }
    if !auth::password_acceptable(&form.new) {
        return refuse("agent.password.error.length");
    }
    if form.new != form.confirm {
        return refuse("agent.password.error.confirm");
    }
    let new = form.new.clone();
    let hash = match tokio::task::spawn_blocking(move || auth::hash_password(&new)).await {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => return error_page(&state, lang, &csrf, &crate::error::ApiError::Internal(e)),
        Err(e) => {
            return error_page(
                &state,
                lang,
                &csrf,
                &crate::error::ApiError::Internal(e.to_string()),
            );
        }
    };
    let id = session.agent.id;
    if let Err(e) = state.store.set_agent_password(id, hash).await {
        return error_page(&state, lang, &csrf, &e.into());
    }
    state.link_grace.end(&session.token);
    let _ = state
        .store
        .audit(
            Some(id),
            "agent.password",
            Some(&id.to_string()),
            &domain::Redacted::clean("password set"),
            state.now(),
        )
        .await;
    tracing::info!(agent.id = %id, "password set");
    see_other("/agent/password", "password_set")
}
