//! `POST /agent/bulk`: one change to the tickets ticked in the inbox.

use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Form};
use domain::{Priority, Status, TicketId};
use store::TicketUpdate;

use crate::auth::session::{Allowed, CanUpdateTickets};
use crate::error::ApiError;
use crate::web::{CsrfToken, ViewerLang, error_page, see_other};
use crate::{AppState, Event};

/// What the bulk form asked for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BulkRequest {
    pub ids: Vec<TicketId>,
    pub change: BulkChange,
    /// Where to go back to (the inbox with its query), always a local `/agent` path.
    pub back: String,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BulkChange {
    AssignToMe,
    Status(Status),
    Priority(Priority),
}

/// Reads the form: repeated `id` fields, `action` (`assign_me`, `status`, `priority`) and the
/// value for it.
pub(crate) fn parse(pairs: &[(String, String)]) -> Result<BulkRequest, ApiError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let ids = pairs
        .iter()
        .filter(|(n, _)| n == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect::<Vec<TicketId>>();
    if ids.is_empty() {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::NoTickets,
            "tick at least one ticket",
        ));
    }
    let bad = || ApiError::bad_request(crate::error::ErrorCode::BadAction, "unknown bulk action");
    let change = match get("action") {
        "assign_me" => BulkChange::AssignToMe,
        "status" => BulkChange::Status(Status::parse(get("status")).map_err(|_| bad())?),
        "priority" => BulkChange::Priority(Priority::parse(get("priority")).map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    // Only the inbox with its query: anything else (another site, a header-breaking character)
    // goes back to the plain inbox.
    let back = crate::web::local_path(get("back"))
        .filter(|b| *b == "/agent" || b.starts_with("/agent?"))
        .unwrap_or("/agent")
        .to_owned();
    Ok(BulkRequest { ids, change, back })
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanUpdateTickets>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        // The token first: a forged request learns nothing from validation errors.
        csrf.check(
            pairs
                .iter()
                .find(|(k, _)| k == "csrf")
                .map_or("", |(_, v)| v.as_str()),
        )?;
        let req = parse(&pairs)?;
        let me = session.agent.id;
        let (update, detail) = match req.change {
            BulkChange::AssignToMe => (
                TicketUpdate {
                    assignee: Some(Some(me)),
                    ..TicketUpdate::default()
                },
                format!("bulk: assignee={me}"),
            ),
            BulkChange::Status(s) => (
                TicketUpdate {
                    status: Some(s),
                    ..TicketUpdate::default()
                },
                format!("bulk: status={s}"),
            ),
            BulkChange::Priority(p) => (
                TicketUpdate {
                    priority: Some(p),
                    ..TicketUpdate::default()
                },
                format!("bulk: priority={p}"),
            ),
        };
        for id in &req.ids {
            let now = state.now();
            crate::tickets::apply_update(&state, *id, update.clone(), now, Some(me)).await?;
            state
                .store
                .audit(
                    Some(me),
                    "ticket.update",
                    Some(&id.to_string()),
                    &domain::Redacted::clean(&detail),
                    now,
                )
                .await?;
            state.publish(Event::TicketUpdated { ticket: *id });
        }
        tracing::info!(agent.id = %me, tickets = req.ids.len(), "bulk update");
        Ok::<_, ApiError>(req.back)
    }
    .await;
    match result {
        Ok(back) => see_other(&back, "bulk"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn reads_repeated_ids_and_the_action() {
        let r = parse(&pairs(&[
            ("csrf", "x"),
            ("id", "3"),
            ("id", "7"),
            ("id", "junk"),
            ("action", "status"),
            ("status", "solved"),
            ("back", "/agent?view=mine"),
        ]))
        .unwrap();
        assert_eq!(r.ids, vec![TicketId(3), TicketId(7)]);
        assert_eq!(r.change, BulkChange::Status(Status::Solved));
        assert_eq!(r.back, "/agent?view=mine");
    }

    #[test]
    fn refuses_nothing_ticked_unknown_actions_and_foreign_redirects() {
        assert!(parse(&pairs(&[("action", "assign_me")])).is_err());
        assert!(parse(&pairs(&[("id", "1"), ("action", "delete")])).is_err());
        let r = parse(&pairs(&[
            ("id", "1"),
            ("action", "assign_me"),
            ("back", "//evil.example"),
        ]))
        .unwrap();
        assert_eq!(r.back, "/agent");
        for back in [
            "/agent?q=\u{4e2d}",
            "/agent?q=a\r\nSet-Cookie:x",
            "/agents",
            "/agent/../x",
        ] {
            let r = parse(&pairs(&[
                ("id", "1"),
                ("action", "assign_me"),
                ("back", back),
            ]))
            .unwrap();
            assert_eq!(r.back, "/agent", "{back:?}");
        }
    }
}
