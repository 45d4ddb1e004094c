//! Every route, in one list.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use crate::AppState;
use crate::routes::{health, help, public, statics};
use crate::{api, web};

/// The largest request body: a ticket with screenshots (10 MB each, a few of them).
pub const MAX_BODY_BYTES: usize = 45 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(public::home::show))
        .route(
            "/tickets/new",
            get(public::new_ticket::show).post(public::new_ticket::submit),
        )
        .route("/help/mnemonic-check", get(help::mnemonic_check::show))
        .route("/t/{token}", get(public::ticket::show))
        .route("/t/{token}/reply", post(public::ticket::reply))
        .route("/t/{token}/solve", post(public::ticket::solve))
        .route("/t/{token}/rate", post(public::ticket::rate))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::csrf_cookie,
        ));
    let api = Router::new()
        .route("/api/v1/tickets", post(api::tickets::create))
        .route("/api/v1/fields/check", get(api::fields::check));
    Router::new()
        .merge(pages)
        .merge(api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{*name}", get(statics::file))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(web::security_headers))
        .with_state(state)
}
