//! Every route, in one list.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use crate::AppState;
use crate::routes::{admin, agent, health, help, public, statics};
use crate::{api, web};

/// The largest request body: a ticket with screenshots (10 MB each, a few of them).
pub const MAX_BODY_BYTES: usize = 45 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    // Risky actions ask for the factor again when it is old (`auth::step_up`).
    let step_up = middleware::from_fn_with_state(state.clone(), crate::auth::step_up::layer);
    let pages = Router::new()
        .route("/", get(public::home::show))
        .route(
            "/tickets/new",
            get(public::new_ticket::show).post(public::new_ticket::submit),
        )
        .route("/chat", get(crate::routes::chat_page::show))
        .route("/help/mnemonic-check", get(help::mnemonic_check::show))
        .route(
            "/help/check-tx",
            get(help::check_tx::show).post(help::check_tx::check),
        )
        .route(
            "/help/mnemonic-check/download",
            get(help::mnemonic_check::download),
        )
        .route(
            "/verify",
            get(public::verify::show).post(public::verify::check),
        )
        .route("/verify/report", post(public::verify::report))
        .route("/t/{token}", get(public::ticket::show))
        .route("/t/{token}/reply", post(public::ticket::reply))
        .route(
            "/t/{token}/attachments/{id}",
            get(public::ticket::attachment),
        )
        .route("/t/{token}/solve", post(public::ticket::solve))
        .route("/t/{token}/prove", post(public::ticket::prove))
        .route("/t/{token}/prove/start", post(public::ticket::prove_start))
        .route("/t/{token}/rate", post(public::ticket::rate))
        .route(
            "/agent/sign-in",
            get(agent::sign_in::show).post(agent::sign_in::submit),
        )
        .route(
            "/agent/link/{token}",
            get(agent::sign_in::show_link).post(agent::sign_in::link),
        )
        .route(
            "/agent/password",
            get(agent::password::show).post(agent::password::submit),
        )
        .route(
            "/agent/second-factor",
            get(agent::security::second_factor).post(agent::security::second_factor_submit),
        )
        .route("/agent/security", get(agent::security::show))
        .route(
            "/agent/security/totp/begin",
            post(agent::security::begin).layer(step_up.clone()),
        )
        .route(
            "/agent/security/totp/confirm",
            post(agent::security::confirm),
        )
        .route(
            "/agent/security/totp/disable",
            post(agent::security::disable).layer(step_up.clone()),
        )
        .route(
            "/agent/security/recovery-codes",
            post(agent::security::new_codes).layer(step_up.clone()),
        )
        .route(
            "/agent/security/sessions/{id}/revoke",
            post(agent::security::revoke),
        )
        .route(
            "/agent/security/sessions/revoke-others",
            post(agent::security::revoke_others),
        )
        // Passkeys (`auth::passkey`): adding and removing need a fresh factor; the JSON
        // ceremonies check their own session and CSRF header.
        .route(
            "/agent/security/passkeys",
            post(agent::passkey::begin).layer(step_up.clone()),
        )
        .route(
            "/agent/security/passkeys/finish",
            post(agent::passkey::finish),
        )
        .route(
            "/agent/security/passkeys/{id}/remove",
            post(agent::passkey::remove).layer(step_up.clone()),
        )
        .route("/agent/passkey/check", post(agent::passkey::check_begin))
        .route(
            "/agent/passkey/check/finish",
            post(agent::passkey::check_finish),
        )
        .route(
            "/agent/sign-in/passkey",
            post(agent::passkey::sign_in_begin),
        )
        .route(
            "/agent/sign-in/passkey/finish",
            post(agent::passkey::sign_in_finish),
        )
        .route("/agent/sign-out", post(agent::sign_in::sign_out))
        .route("/agent", get(agent::inbox::show))
        .route(
            "/agent/bulk",
            post(agent::bulk::submit).layer(step_up.clone()),
        )
        .route("/agent/events", get(agent::events::stream))
        .route("/agent/chats", get(agent::chat::show))
        .route(
            "/agent/tickets/{id}",
            get(agent::ticket::show).post(agent::update::submit),
        )
        .route(
            "/agent/tickets/{id}/conversation",
            get(agent::ticket::conversation),
        )
        .route("/agent/tickets/{id}/presence", get(agent::ticket::presence))
        .route("/agent/tickets/{id}/messages", post(agent::message::post))
        .route(
            "/agent/tickets/{id}/attachments/{attachment}",
            get(agent::attachment::show),
        )
        .route(
            "/agent/tickets/{id}/merge",
            post(agent::merge::submit).layer(step_up.clone()),
        )
        // The agents' workspace (issue 11, desk).
        .route("/agent/desk", get(agent::desk::show))
        .route("/agent/desk/presence", post(agent::desk_actions::presence))
        .route("/agent/desk/settings", post(agent::desk_actions::settings))
        .route(
            "/agent/desk/tickets/{id}/messages",
            post(agent::desk_actions::message),
        )
        .route(
            "/agent/desk/tickets/{id}/assign",
            post(agent::desk_actions::assign),
        )
        .route(
            "/agent/desk/tickets/{id}/solve",
            post(agent::desk_actions::solve),
        )
        .route(
            "/agent/desk/tickets/{id}/accept",
            post(agent::desk_actions::accept),
        )
        .route(
            "/agent/desk/tickets/{id}/decline",
            post(agent::desk_actions::decline),
        )
        .route(
            "/agent/desk/tickets/{id}/transfer",
            post(agent::desk_actions::transfer),
        )
        .route(
            "/agent/desk/tickets/{id}/follow-up",
            post(agent::desk_actions::follow_up),
        )
        .route("/help", get(help::public::index))
        .route("/help/search", get(help::public::search))
        .route("/help/{slug}", get(help::public::article))
        .route("/help/{slug}/feedback", post(help::public::feedback))
        .route(
            "/agent/help",
            get(help::agent::list).post(help::agent::save),
        )
        .route("/agent/help/new", get(help::agent::new))
        .route("/agent/help/preview", post(help::agent::preview))
        .route("/agent/help/analytics", get(help::analytics::show))
        .route(
            "/agent/help/{id}/edit",
            get(help::agent::edit).post(help::agent::save),
        )
        .route("/agent/help/{id}/publish", post(help::agent::publish))
        .route("/agent/help/{id}/unpublish", post(help::agent::unpublish))
        .route("/agent/help/{id}/versions", get(help::agent::versions))
        .route("/agent/help/{id}/restore", post(help::agent::restore))
        // JSON, but among the pages: the ticket form's events are CSRF-checked.
        .route("/api/v1/help/events", post(help::api::event))
        .route("/api/docs", get(api::openapi::docs))
        .merge(admin::router(&state))
        .merge(crate::routes::mail::router())
        // Budgets per client on every write and costly read (`limit.rs`); inside the CSRF
        // layer, so a forged cross-site request spends nobody's budget, and a refused form can
        // be shown again with its token.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::limit::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::csrf_cookie,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::brand_loaded,
        ));
    let api = Router::new()
        .route(
            "/api/v1/tickets",
            get(api::tickets_list::list).post(api::tickets::create),
        )
        .route(
            "/api/v1/tickets/{id}",
            get(api::ticket_show::show).patch(api::ticket_update::update),
        )
        .route(
            "/api/v1/tickets/{id}/messages",
            post(api::ticket_reply::reply),
        )
        // The workspace's hand-overs as JSON (deskchat).
        .route("/api/v1/tickets/{id}/accept", post(api::desk::accept))
        .route("/api/v1/tickets/{id}/decline", post(api::desk::decline))
        .route("/api/v1/tickets/{id}/transfer", post(api::desk::transfer))
        .route("/api/v1/tickets/{id}/convert", post(api::desk::convert))
        .route(
            "/api/v1/fields/check",
            get(api::fields::check_get).post(api::fields::check_post),
        )
        .route("/api/v1/assistant/answer", post(api::assistant::answer))
        .route("/api/v1/signatures/verify", post(api::signatures::verify))
        .route("/api/v1/chain/tx/{hash}", get(api::onchain::tx))
        .route(
            "/api/v1/chain/address/{address}",
            get(api::onchain::address),
        )
        .route(
            "/api/v1/help/search",
            get(help::api::search_get).post(help::api::search_post),
        )
        .route(
            "/api/v1/help/suggest",
            get(help::api::suggest_get).post(help::api::suggest_post),
        )
        .route(
            "/api/v1/verify",
            get(api::verify::check_get).post(api::verify::check_post),
        )
        .route("/api/openapi.json", get(api::openapi::json))
        // `Idempotency-Key` on every POST here (crate::idempotency).
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::idempotency::layer,
        ))
        // Outside the idempotency layer: a refused request leaves no key behind.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::limit::layer,
        ));
    Router::new()
        .merge(pages)
        .merge(api)
        // Live chat: the API, the fallback transport and both WebSockets (`chat/`).
        .merge(crate::chat::router(&state))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{*name}", get(statics::file))
        .route("/brand.css", get(crate::brand::stylesheet))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::security_headers,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::client::layer,
        ))
        .with_state(state)
}
