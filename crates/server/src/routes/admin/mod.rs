//! Admin pages under `/admin`: agents, SLA, canned replies, categories, brand, the audit log,
//! and each agent's own API tokens. Every form carries the CSRF field; every change is audited.

pub(crate) mod agents;
pub(crate) mod api_tokens;
pub(crate) mod audit;
mod audit_text;
pub(crate) mod brand;
pub(crate) mod canned;
pub(crate) mod categories;
// The agents' workspace (issue 11, desk): chat limits and languages.
pub(crate) mod desk;
pub(crate) mod guard;
pub(crate) mod mail;
// The live chat's office hours (issue 11, the user's side).
pub(crate) mod office_hours;
pub(crate) mod overview;
pub(crate) mod satisfaction;
pub(crate) mod security;
pub(crate) mod sla;

use axum::Router;
use axum::routing::{get, post};
use domain::{Lang, Role};
use store::Agent;

use crate::AppState;
use crate::web::{Chrome, CsrfToken, SignedIn};

/// The admin routes; the caller adds the CSRF-cookie layer.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let step_up = axum::middleware::from_fn_with_state(state.clone(), crate::auth::step_up::layer);
    Router::new()
        .route("/admin", get(overview::show))
        .route(
            "/admin/agents",
            get(agents::show)
                .post(agents::create)
                .layer(step_up.clone()),
        )
        .route(
            "/admin/agents/{id}/role",
            post(agents::set_role).layer(step_up.clone()),
        )
        .route(
            "/admin/agents/{id}/publish",
            post(agents::set_publish).layer(step_up.clone()),
        )
        .route(
            "/admin/agents/{id}/deactivate",
            post(agents::deactivate).layer(step_up.clone()),
        )
        .route(
            "/admin/agents/{id}/reset-factors",
            post(agents::reset_factors).layer(step_up.clone()),
        )
        .route(
            "/admin/agents/{id}/sign-out",
            post(agents::sign_out).layer(step_up.clone()),
        )
        .route("/admin/sla", get(sla::show).post(sla::save))
        .route("/admin/satisfaction", get(satisfaction::show))
        .route("/admin/desk", get(desk::show).post(desk::save))
        .route(
            "/admin/office-hours",
            get(office_hours::show).post(office_hours::save),
        )
        .route("/admin/canned", get(canned::show).post(canned::save))
        .route(
            "/admin/canned/{id}/delete",
            post(canned::delete).layer(step_up.clone()),
        )
        .route("/admin/categories", get(categories::show))
        .route(
            "/admin/brand",
            get(brand::show).post(brand::save).layer(step_up.clone()),
        )
        .route(
            "/admin/brand/channels",
            post(brand::save_channels).layer(step_up.clone()),
        )
        .route("/admin/audit", get(audit::show))
        .route("/admin/mail", get(mail::show))
        .route("/admin/mail/retry", post(mail::retry_all))
        .route("/admin/mail/{id}/retry", post(mail::retry_one))
        .route(
            "/admin/security",
            get(security::show)
                .post(security::save)
                .layer(step_up.clone()),
        )
        .route(
            "/admin/api-tokens",
            get(api_tokens::show)
                .post(api_tokens::create)
                .layer(step_up.clone()),
        )
        .route(
            "/admin/api-tokens/{id}/revoke",
            post(api_tokens::revoke).layer(step_up.clone()),
        )
}

/// The page layout for a signed-in agent.
pub(crate) fn chrome<'a>(
    state: &'a AppState,
    lang: Lang,
    csrf: &CsrfToken,
    path: &str,
    agent: &Agent,
) -> Chrome<'a> {
    let mut c = Chrome::new(state, lang, csrf, path);
    c.agent = Some(SignedIn {
        name: agent.name.clone(),
        is_admin: agent.role == Role::Admin,
    });
    c
}

/// A message shown at the top of a page after a form was sent.
#[derive(Debug, Default)]
pub(crate) struct Flash {
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl Flash {
    pub(crate) fn notice(s: String) -> Flash {
        Flash {
            notice: Some(s),
            error: None,
        }
    }

    /// The notice a `?done=` names after a form was sent (post/redirect/get: the form
    /// answered `303` to its page), in the viewer's language; nothing for any other word.
    pub(crate) fn done(state: &AppState, lang: Lang, done: &crate::web::Done) -> Flash {
        const NOTICES: &[(&str, &str)] = &[
            ("saved", "admin.saved"),
            ("deleted", "admin.canned.deleted"),
            ("role_changed", "admin.agents.role_changed"),
            ("publish_changed", "admin.agents.publish_changed"),
            ("deactivated", "admin.agents.deactivated"),
            ("factors_reset", "admin.agents.factors_reset"),
            ("signed_out", "admin.agents.signed_out"),
            ("revoked", "admin.tokens.revoked"),
        ];
        NOTICES
            .iter()
            .find(|(word, _)| *word == done.done)
            .map(|(_, key)| Flash::notice(state.i18n.get(lang, key)))
            .unwrap_or_default()
    }

    pub(crate) fn error(s: String) -> Flash {
        Flash {
            notice: None,
            error: Some(s),
        }
    }
}
