//! `POST /agent/tickets/{id}/merge`: moves this ticket's conversation into another one.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::TicketId;
use serde::Deserialize;

use crate::auth::session::{Allowed, CanUpdateTickets};
use crate::error::ApiError;
use crate::web::{CsrfToken, ViewerLang, error_page, see_other};
use crate::{AppState, Event};

#[derive(Debug, Deserialize)]
pub(crate) struct MergeForm {
    #[serde(default)]
    csrf: String,
    /// The ticket to merge into (`42` or `#42`).
    #[serde(default)]
    into: String,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanUpdateTickets>,
    Path(id): Path<String>,
    Form(form): Form<MergeForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let from: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let into: TicketId = form
            .into
            .trim()
            .trim_start_matches('#')
            .parse()
            .map_err(|_| {
                ApiError::bad_request(
                    crate::error::ErrorCode::BadMergeTarget,
                    "give a ticket number",
                )
            })?;
        if into == from {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::BadMergeTarget,
                "a ticket cannot be merged into itself",
            ));
        }
        // Both must exist; a ticket already merged away cannot take more.
        let target = state.store.ticket(into).await?;
        if target.merged_into.is_some() {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::BadMergeTarget,
                "that ticket was itself merged",
            ));
        }
        // Each requester's link opens their own conversation only: a merge across requesters
        // would show one person's messages (and let them reply) to the other.
        let source = state.store.ticket(from).await?;
        if !source
            .requester
            .as_str()
            .eq_ignore_ascii_case(target.requester.as_str())
        {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::MergeOtherRequester,
                "the tickets have different requesters",
            ));
        }
        let now = state.now();
        state.store.merge_tickets(from, into, now).await?;
        state
            .store
            .audit(
                Some(session.agent.id),
                "ticket.update",
                Some(&from.to_string()),
                &domain::Redacted::clean(&format!("merged into {into}")),
                now,
            )
            .await?;
        state.publish(Event::TicketUpdated { ticket: from });
        state.publish(Event::TicketUpdated { ticket: into });
        Ok(into)
    }
    .await;
    match result {
        Ok(into) => see_other(&format!("/agent/tickets/{into}"), "merged"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
