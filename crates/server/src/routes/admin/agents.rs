//! `/admin/agents`: the desk's agents; create one (with a one-time sign-in link, shown once),
//! change a role, deactivate, reset another agent's second factors (a lost phone). Nobody
//! deactivates themselves, and the last admin stays.
//!
//! Resetting factors removes the agent's authenticator app, recovery codes and passkeys and
//! ends their sessions; their password stays, and if the policy requires a factor they set one
//! up at their next sign-in. An admin cannot reset their own factors here (the security page
//! does that, with the factor): so the admin who resets always keeps their way in, and the desk
//! is never left without an admin who can sign in.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Form};
use domain::{AgentId, EmailAddress, Lang, Role};
use serde::Deserialize;
use store::{Agent, NewAgent, StoreError};

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::auth;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

/// How long a new agent's sign-in link works.
pub(crate) const LINK_DAYS: i64 = 7;

#[derive(Debug)]
pub(crate) struct AgentRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub role_key: &'static str,
    pub can_publish: bool,
    pub active: bool,
    pub is_me: bool,
    pub created_at: String,
}

#[derive(Template)]
#[template(path = "admin_agents.html")]
struct AgentsPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    agents: Vec<AgentRow>,
    /// `(key, label)` of every role, for the selects.
    role_options: Vec<(String, String)>,
    /// The new agent's sign-in link, shown this once.
    link: Option<String>,
    /// The new-agent form as typed, when it was refused (and which field was wrong).
    draft: NewAgentDraft,
}

/// The new-agent form's values: empty with the usual role and the admin's own language, or as
/// typed (redacted like every echo) when the form was refused.
#[derive(Debug, Clone)]
pub(crate) struct NewAgentDraft {
    pub email: String,
    pub name: String,
    pub role: String,
    pub lang: &'static str,
    /// `email`, `name` or `role`: the field the refusal is about.
    pub wrong: &'static str,
}

impl NewAgentDraft {
    fn empty(lang: Lang) -> NewAgentDraft {
        NewAgentDraft {
            email: String::new(),
            name: String::new(),
            role: Role::Agent.as_str().to_owned(),
            lang: lang.as_str(),
            wrong: "",
        }
    }

    fn typed(form: &CreateForm, wrong: &'static str, viewer: Lang) -> NewAgentDraft {
        NewAgentDraft {
            email: crate::web::echo_text(form.email.trim()),
            name: crate::web::echo_text(form.name.trim()),
            role: Role::parse(form.role.trim())
                .unwrap_or(Role::Agent)
                .as_str()
                .to_owned(),
            lang: Lang::parse_loose(&form.lang).unwrap_or(viewer).as_str(),
            wrong,
        }
    }
}

async fn page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    me: &Agent,
    flash: Flash,
    link: Option<String>,
    draft: Option<NewAgentDraft>,
) -> Response {
    let agents = match state.store.agents().await {
        Ok(a) => a,
        Err(e) => return error_page(state, lang, csrf, &e.into()),
    };
    let c = chrome(state, lang, csrf, "/admin/agents", me);
    let rows = agents
        .into_iter()
        .map(|a| AgentRow {
            id: a.id.0,
            role: c.t.get(&format!("admin.role.{}", a.role.as_str())),
            role_key: a.role.as_str(),
            can_publish: a.can_publish && a.role == Role::Agent,
            name: a.name,
            email: a.email.as_str().to_owned(),
            active: a.active,
            is_me: a.id == me.id,
            created_at: a.created_at.rfc3339(),
        })
        .collect();
    let role_options = [Role::Admin, Role::Agent, Role::Restricted]
        .into_iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                c.t.get(&format!("admin.role.{}", r.as_str())),
            )
        })
        .collect();
    render(
        StatusCode::OK,
        &AgentsPage {
            c,
            flash,
            agents: rows,
            role_options,
            link,
            draft: draft.unwrap_or_else(|| NewAgentDraft::empty(lang)),
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(done): Query<Done>,
    headers: HeaderMap,
) -> Response {
    // A new agent's link, shown on this page once after the form (crate::once).
    if let Some(shown) = crate::once::take(&state, &headers, me.id) {
        let flash = Flash::notice(shown.notice);
        let mut resp = page(&state, lang, &csrf, &me, flash, Some(shown.secret), None).await;
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
        None,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    lang: String,
}

/// Why a form was refused: a translation key.
#[derive(Debug)]
pub(crate) struct Refused(pub &'static str);

async fn create_agent(
    state: &AppState,
    me: &Agent,
    form: &CreateForm,
) -> Result<Result<(Agent, String), Refused>, ApiError> {
    let Ok(email) = EmailAddress::parse(form.email.trim()) else {
        return Ok(Err(Refused("admin.agents.error.email")));
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Ok(Err(Refused("admin.agents.error.name")));
    }
    let Ok(role) = Role::parse(form.role.trim()) else {
        return Ok(Err(Refused("admin.agents.error.role")));
    };
    let lang = Lang::parse_loose(&form.lang).unwrap_or_default();
    // No one knows this password: the agent signs in with the link and sets one.
    let password_hash = auth::unusable_password_hash().map_err(ApiError::Internal)?;
    let now = state.now();
    let agent = match state
        .store
        .create_agent(
            NewAgent {
                email,
                name: domain::Redacted::clean(name),
                role,
                password_hash,
                lang,
            },
            now,
        )
        .await
    {
        Ok(a) => a,
        Err(StoreError::Conflict(_)) => return Ok(Err(Refused("admin.agents.error.taken"))),
        Err(e) => return Err(e.into()),
    };
    let token = auth::new_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    state
        .store
        .create_sign_in_link(
            &auth::hash_token(&token),
            agent.id,
            now.plus_days(LINK_DAYS),
        )
        .await?;
    state
        .store
        .audit(
            Some(me.id),
            "agent.create",
            Some(&agent.id.to_string()),
            &domain::Redacted::clean(&format!("role {}", role.as_str())),
            now,
        )
        .await?;
    tracing::info!(agent.id = %agent.id, by = %me.id, "agent created");
    let link = format!("{}/agent/link/{token}", state.config.effective_public_url());
    Ok(Ok((agent, link)))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<CreateForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    match create_agent(&state, &me, &form).await {
        Ok(Ok((agent, link))) => {
            let notice = t.fmt1("admin.agents.created-notice", "name", &agent.name);
            let shown = crate::once::Shown {
                notice,
                secret: link,
            };
            crate::once::redirect_showing(&state, me.id, "/admin/agents", "created", shown)
        }
        Ok(Err(Refused(key))) => {
            // The form comes back as typed, the wrong field marked: nothing to type again.
            let wrong = match key {
                "admin.agents.error.name" => "name",
                "admin.agents.error.role" => "role",
                _ => "email",
            };
            let draft = NewAgentDraft::typed(&form, wrong, lang);
            let mut resp = page(
                &state,
                lang,
                &csrf,
                &me,
                Flash::error(t.get(key)),
                None,
                Some(draft),
            )
            .await;
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            resp
        }
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// Active admins other than `except`.
async fn other_active_admins(state: &AppState, except: AgentId) -> Result<usize, ApiError> {
    Ok(state
        .store
        .agents()
        .await?
        .iter()
        .filter(|a| a.active && a.role == Role::Admin && a.id != except)
        .count())
}

#[derive(Debug, Deserialize)]
pub(crate) struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
}

async fn change_role(
    state: &AppState,
    me: &Agent,
    id: AgentId,
    role: &str,
) -> Result<Result<&'static str, Refused>, ApiError> {
    let Ok(role) = Role::parse(role.trim()) else {
        return Ok(Err(Refused("admin.agents.error.role")));
    };
    // An admin who took their own role away would land on a page they may no longer open;
    // another admin changes it.
    if id == me.id && role != me.role {
        return Ok(Err(Refused("admin.agents.error.self_role")));
    }
    let target = state.store.agent(id).await?;
    if target.role == Role::Admin
        && role != Role::Admin
        && other_active_admins(state, id).await? == 0
    {
        return Ok(Err(Refused("admin.agents.error.last_admin")));
    }
    state
        .store
        .update_agent(id, None, Some(role), None, None)
        .await?;
    state
        .store
        .audit(
            Some(me.id),
            "agent.role",
            Some(&id.to_string()),
            &domain::Redacted::clean(&format!("{} -> {}", target.role.as_str(), role.as_str())),
            state.now(),
        )
        .await?;
    Ok(Ok("role_changed"))
}

fn agent_id(raw: &str) -> Result<AgentId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

pub(crate) async fn set_role(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = match agent_id(&id) {
        Ok(id) => change_role(&state, &me, id, &form.role).await,
        Err(e) => Err(e),
    };
    finish(&state, lang, &csrf, &me, result).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    can: String,
}

/// `POST /admin/agents/{id}/publish`: gives or takes an agent's grant to publish help articles.
pub(crate) async fn set_publish(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<String>,
    Form(form): Form<PublishForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = async {
        let id = agent_id(&id)?;
        let can = match form.can.as_str() {
            "1" => true,
            "0" => false,
            _ => return Ok(Err(Refused("admin.agents.error.publish"))),
        };
        state.store.set_agent_can_publish(id, can).await?;
        state
            .store
            .audit(
                Some(me.id),
                "agent.publish",
                Some(&id.to_string()),
                &domain::Redacted::clean(if can { "granted" } else { "revoked" }),
                state.now(),
            )
            .await?;
        Ok(Ok("publish_changed"))
    }
    .await;
    finish(&state, lang, &csrf, &me, result).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn deactivate_agent(state: AppState, me: Agent, id: AgentId) -> Outcome {
    if id == me.id {
        return Ok(Err(Refused("admin.agents.error.self")));
    }
    let target = state.store.agent(id).await?;
    if target.role == Role::Admin && other_active_admins(&state, id).await? == 0 {
        return Ok(Err(Refused("admin.agents.error.last_admin")));
    }
    state
        .store
        .update_agent(id, None, None, Some(false), None)
        .await?;
    state
        .store
        .audit(
            Some(me.id),
            "agent.deactivate",
            Some(&id.to_string()),
            &domain::Redacted::clean(""),
            state.now(),
        )
        .await?;
    tracing::info!(agent.id = %id, by = %me.id, "agent deactivated");
    Ok(Ok("deactivated"))
}

pub(crate) async fn deactivate(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    on_agent(state, lang, csrf, me, &id, &form, deactivate_agent).await
}

async fn reset_agent_factors(state: AppState, me: Agent, id: AgentId) -> Outcome {
    if id == me.id {
        return Ok(Err(Refused("admin.agents.error.reset_self")));
    }
    let target = state.store.agent(id).await?;
    let done = state.store.reset_factors(target.id).await?;
    state
        .store
        .audit(
            Some(me.id),
            "agent.factors_reset",
            Some(&id.to_string()),
            &domain::Redacted::clean(&format!(
                "authenticator app: {}; passkeys: {}; sessions ended: {}",
                if done.totp { "removed" } else { "none" },
                done.passkeys,
                done.sessions
            )),
            state.now(),
        )
        .await?;
    tracing::info!(agent.id = %id, by = %me.id, passkeys = done.passkeys, sessions = done.sessions, "agent's second factors reset");
    Ok(Ok("factors_reset"))
}

/// Ends every session of another agent (a lost or shared laptop, a departure): they must sign
/// in again; their password and factors stay. An admin's own sessions are ended on their
/// security page instead (this one would sign them out mid-action).
async fn sign_out_agent(state: AppState, me: Agent, id: AgentId) -> Outcome {
    if id == me.id {
        return Ok(Err(Refused("admin.agents.error.sign_out_self")));
    }
    let target = state.store.agent(id).await?;
    let ended = state.store.revoke_other_sessions(target.id, None).await?;
    state
        .store
        .audit(
            Some(me.id),
            "agent.signed_out",
            Some(&id.to_string()),
            &domain::Redacted::clean(&format!("sessions ended: {ended}")),
            state.now(),
        )
        .await?;
    tracing::info!(agent.id = %id, by = %me.id, sessions = ended, "agent signed out everywhere");
    Ok(Ok("signed_out"))
}

/// `POST /admin/agents/{id}/sign-out` (step-up).
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    on_agent(state, lang, csrf, me, &id, &form, sign_out_agent).await
}

/// `POST /admin/agents/{id}/reset-factors` (step-up).
pub(crate) async fn reset_factors(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    on_agent(state, lang, csrf, me, &id, &form, reset_agent_factors).await
}

/// What an action on one agent ends in: a `?done=` word, a refusal shown on the page, or an
/// error.
type Outcome = Result<Result<&'static str, Refused>, ApiError>;

/// The shell the step-up actions on one agent share (deactivate, reset factors, sign out; the
/// step-up itself is the router's layer): the CSRF check, the id from the path, the action,
/// and the answer.
async fn on_agent<F, Fut>(
    state: AppState,
    lang: Lang,
    csrf: CsrfToken,
    me: Agent,
    id: &str,
    form: &CsrfForm,
    action: F,
) -> Response
where
    F: FnOnce(AppState, Agent, AgentId) -> Fut,
    Fut: std::future::Future<Output = Outcome>,
{
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = match agent_id(id) {
        Ok(id) => action(state.clone(), me.clone(), id).await,
        Err(e) => Err(e),
    };
    finish(&state, lang, &csrf, &me, result).await
}

async fn finish(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    me: &Agent,
    result: Outcome,
) -> Response {
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    match result {
        Ok(Ok(done)) => see_other("/admin/agents", done),
        Ok(Err(Refused(key))) => {
            page(state, lang, csrf, me, Flash::error(t.get(key)), None, None).await
        }
        Err(e) => error_page(state, lang, csrf, &e),
    }
}
