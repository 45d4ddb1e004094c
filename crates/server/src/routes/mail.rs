//! The routes of the mail pages (anti-phishing code, "my tickets", agents' mail settings and
//! sign-in links by mail), merged into the page router (`router.rs`).

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::routes::{agent, public};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{token}/mail-code",
            get(public::mail_code::show).post(public::mail_code::set),
        )
        .route(
            "/t/{token}/mail-code/remove",
            post(public::mail_code::remove),
        )
        .route(
            "/mail-code/confirm/{token}",
            get(public::mail_code::confirm_show).post(public::mail_code::confirm),
        )
        .route(
            "/my-tickets",
            get(public::my_tickets::show).post(public::my_tickets::submit),
        )
        .route(
            "/agent/mail-settings",
            get(agent::mail_settings::show).post(agent::mail_settings::save),
        )
        .route(
            "/agent/sign-in/mail-link",
            get(agent::mail_link::show).post(agent::mail_link::submit),
        )
}
