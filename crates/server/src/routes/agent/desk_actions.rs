//! The workspace's forms: reply or note, assign to me, solve, accept, decline, transfer, convert
//! to a follow-up ticket (`crate::desk`), the agent's presence and sound setting. Each answers
//! with a redirect back to the workspace (post/redirect/get), on the same view and ticket, or,
//! sent by the workspace's script with `js=1`, `204` (or the error as JSON) so the page stays.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::{AgentId, TicketId};
use serde::Deserialize;

use super::desk::{DeskQuery, base_query};
use super::session::AgentSession;
use super::ticket::Refused;
use crate::AppState;
use crate::auth::session::{Allowed, CanUpdateTickets};
use crate::error::ApiError;
use crate::web::{CsrfToken, ViewerLang, echo_text, error_page, error_page_keeping, see_other};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// Where to come back to: the list's view and search.
    #[serde(default)]
    view: String,
    #[serde(default)]
    q: String,
    /// `public` or `note` (messages).
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
    /// The agent to transfer to.
    #[serde(default)]
    to: String,
    /// The transfer's or follow-up's note.
    #[serde(default)]
    note: String,
    /// Sent by `desk.js`: answer 204 or JSON instead of a page.
    #[serde(default)]
    js: String,
}

fn back(form: &ActionForm, id: TicketId) -> String {
    format!("/agent/desk?{}&t={id}", base_query(&form.view, &form.q))
}

fn ticket_id(id: &str) -> Result<TicketId, ApiError> {
    id.parse().map_err(|_| ApiError::NotFound)
}

/// `POST /agent/desk/tickets/{id}/messages`: a reply or a note, through the ticket page's
/// [`super::message::post_agent_message`]. Refused text comes back in the composer. With
/// `js=1` (the workspace's script, which stays on the page) the answer is `204`, or `422` with
/// the refusal as JSON (`{"error", "message", "fields"}`) and the draft left in the box.
pub(crate) async fn message(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    let result = super::message::post_agent_message(
        &state, &csrf, &session, &id, &form.csrf, &form.kind, &form.body,
    )
    .await;
    match result {
        Ok(_) if form.js == "1" => StatusCode::NO_CONTENT.into_response(),
        Ok((id, kind)) => see_other(&back(&form, id), super::message::done_for(kind)),
        Err(ApiError::Invalid(errors)) if form.js == "1" => {
            let t = crate::i18n::Tr {
                i18n: &state.i18n,
                lang,
            };
            let fields: Vec<serde_json::Value> = errors
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "field": e.field,
                        "code": e.code,
                        "message": crate::web::field_message(&t, e),
                    })
                })
                .collect();
            let message = fields
                .first()
                .and_then(|f| f["message"].as_str())
                .unwrap_or_default()
                .to_owned();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                axum::Json(serde_json::json!({
                    "error": "invalid_fields",
                    "message": message,
                    "fields": fields,
                })),
            )
                .into_response()
        }
        Err(ApiError::Invalid(errors)) => {
            let q = DeskQuery {
                view: form.view.clone(),
                q: form.q.clone(),
                t: id.clone(),
                ..DeskQuery::default()
            };
            let refused = Refused {
                draft: echo_text(&form.body),
                errors,
            };
            super::desk::page(&state, lang, &csrf, &session, &q, Some(refused)).await
        }
        Err(e) if form.js == "1" => e.into_response(),
        Err(e) => error_page_keeping(&state, lang, &csrf, &e, &form.body),
    }
}

/// What a ticket action does, by its path.
#[derive(Debug, Clone, Copy)]
enum Action {
    Assign,
    Solve,
    Accept,
    Decline,
    Transfer,
    FollowUp,
}

async fn act(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    me: AgentId,
    id: &str,
    form: &ActionForm,
    action: Action,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let id = ticket_id(id)?;
        match action {
            Action::Assign => crate::desk::assign_to_me(state, id, me).await?,
            Action::Solve => crate::desk::solve(state, id, me).await?,
            Action::Accept => crate::desk::accept(state, id, me).await?,
            Action::Decline => crate::desk::decline(state, id, me).await?,
            Action::Transfer => {
                let to: AgentId = form.to.trim().parse().map_err(|_| {
                    ApiError::bad_request(
                        crate::error::ErrorCode::BadAssignee,
                        crate::error::ErrorCode::BadAssignee.as_str(),
                    )
                })?;
                crate::desk::transfer(state, id, me, to, &form.note).await?
            }
            Action::FollowUp => crate::desk::follow_up(state, id, me, &form.note).await?,
        };
        Ok::<_, ApiError>(id)
    }
    .await;
    let done = match action {
        Action::Assign | Action::Accept => "desk_assigned",
        Action::Solve => "desk_solved",
        Action::Decline => "desk_declined",
        Action::Transfer => "desk_transferred",
        Action::FollowUp => "desk_follow_up",
    };
    match result {
        // The workspace's script stays on the page and refreshes what changed itself.
        Ok(_) if form.js == "1" => StatusCode::NO_CONTENT.into_response(),
        Err(e) if form.js == "1" => e.into_response(),
        Ok(id) => see_other(&back(form, id), done),
        // A note that could not be written is given back, not lost.
        Err(e) if !form.note.is_empty() => error_page_keeping(state, lang, csrf, &e, &form.note),
        Err(e) => error_page(state, lang, csrf, &e),
    }
}

macro_rules! action_route {
    ($($name:ident => $action:ident),+ $(,)?) => {$(
        pub(crate) async fn $name(
            State(state): State<AppState>,
            ViewerLang(lang): ViewerLang,
            Extension(csrf): Extension<CsrfToken>,
            Allowed(session, _): Allowed<CanUpdateTickets>,
            Path(id): Path<String>,
            Form(form): Form<ActionForm>,
        ) -> Response {
            act(&state, lang, &csrf, session.agent.id, &id, &form, Action::$action).await
        }
    )+};
}

action_route!(
    assign => Assign,
    solve => Solve,
    accept => Accept,
    decline => Decline,
    transfer => Transfer,
    follow_up => FollowUp,
);

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PresenceForm {
    #[serde(default)]
    csrf: String,
    /// `online` or `away`.
    #[serde(default)]
    state: String,
    /// Sent by `desk.js`: answer 204 instead of redirecting.
    #[serde(default)]
    js: String,
    #[serde(default)]
    view: String,
    #[serde(default)]
    q: String,
}

/// `POST /agent/desk/presence`: away or back (the agent's choice, or the page after a while
/// without activity). Offline is not a choice: it is having no workspace open.
pub(crate) async fn presence(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Form(form): Form<PresenceForm>,
) -> Response {
    let result = (|| {
        csrf.check(&form.csrf)?;
        let away = match form.state.as_str() {
            "away" => true,
            "online" => false,
            _ => {
                return Err(ApiError::bad_request(
                    crate::error::ErrorCode::BadForm,
                    "state is online or away",
                ));
            }
        };
        state
            .desk_presence
            .set_away(session.agent.id, away, &state.events);
        Ok(())
    })();
    match result {
        Ok(()) if form.js == "1" => StatusCode::NO_CONTENT.into_response(),
        Ok(()) => see_other(
            &format!("/agent/desk?{}", base_query(&form.view, &form.q)),
            "desk_presence",
        ),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SoundForm {
    #[serde(default)]
    csrf: String,
    /// A checkbox: present when on.
    #[serde(default)]
    sound: String,
    #[serde(default)]
    view: String,
    #[serde(default)]
    q: String,
}

/// `POST /agent/desk/settings`: the agent's own sound setting (off until turned on).
pub(crate) async fn settings(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Form(form): Form<SoundForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        state
            .store
            .set_desk_sound(session.agent.id, !form.sound.is_empty())
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => see_other(
            &format!("/agent/desk?{}", base_query(&form.view, &form.q)),
            "desk_settings",
        ),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
