//! `PATCH /api/v1/tickets/{id}`: status, priority, assignee, tags.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use domain::{AgentId, FieldError, Priority, Status};
use store::{StoreError, TicketUpdate};

use crate::api::bearer::ApiAgent;
use crate::api::dto::{ErrorOut, TicketOut, TicketPatchIn};
use crate::error::ApiError;
use crate::{AppState, Event};

pub(crate) const MAX_TAGS: usize = 20;
pub(crate) const MAX_TAG_CHARS: usize = 40;

fn error(field: &'static str, code: &str, found: Option<String>) -> FieldError {
    FieldError {
        field,
        code: code.to_owned(),
        found,
        detail: None,
    }
}

/// Tags trimmed, lower-cased, without duplicates, in their order.
pub(crate) fn clean_tags(tags: &[String]) -> Result<Vec<domain::Redacted>, FieldError> {
    // Redacted together, before anything is lower-cased (keys are case-sensitive): a phrase
    // sent as twelve one-word tags is still a phrase.
    let parts: Vec<&str> = tags.iter().map(String::as_str).collect();
    let joint = domain::Redacted::joint(&parts).map_err(|_| error("tags", "too_many", None))?;
    let mut out: Vec<String> = Vec::new();
    for t in &joint.parts {
        let t = t.as_str().trim().to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS || t.chars().any(char::is_control) {
            return Err(error("tags", "bad_tag", Some(t)));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(error("tags", "too_many", None));
    }
    Ok(out.iter().map(|t| domain::Redacted::clean(t)).collect())
}

/// Change a ticket. Absent fields stay as they are; `assignee_id: null` unassigns.
#[utoipa::path(
    patch,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket number")),
    request_body = TicketPatchIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed ticket", body = TicketOut),
        (status = 400, description = "`invalid_json`", body = ErrorOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 403, description = "`forbidden`: a restricted agent's token", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 422, description = "`invalid_fields`", body = ErrorOut),
        (status = 429, description = "`rate_limited`: more requests than `[limits] api_per_token` for this token or `api_per_client` for this client in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: ApiAgent,
    Path(id): Path<String>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<TicketOut>, ApiError> {
    caller.require(domain::Permission::UpdateTickets)?;
    let ApiAgent(agent) = caller;
    let id = crate::api::ticket_id(&id)?;
    let patch: TicketPatchIn = crate::api::object_body(body)?;
    let mut errors = Vec::new();
    let mut update = TicketUpdate::default();
    if let Some(s) = &patch.status {
        match Status::parse(s) {
            Ok(s) => update.status = Some(s),
            Err(_) => errors.push(error("status", "unknown_status", Some(s.clone()))),
        }
    }
    if let Some(p) = &patch.priority {
        match Priority::parse(p) {
            Ok(p) => update.priority = Some(p),
            Err(_) => errors.push(error("priority", "unknown_priority", Some(p.clone()))),
        }
    }
    if let Some(tags) = &patch.tags {
        match clean_tags(tags) {
            Ok(t) => update.tags = Some(t),
            Err(e) => errors.push(e),
        }
    }
    match patch.assignee_id {
        Some(Some(a)) => match state.store.agent(AgentId(a)).await {
            Ok(found) if found.active => update.assignee = Some(Some(found.id)),
            Ok(_) | Err(StoreError::NotFound) => {
                errors.push(error("assignee_id", "unknown_agent", Some(a.to_string())));
            }
            Err(e) => return Err(e.into()),
        },
        Some(None) => update.assignee = Some(None),
        None => {}
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    // 404 before anything changes.
    state.store.ticket(id).await?;
    let now = state.now();
    let detail = serde_json::json!({
        "via": "api",
        "status": update.status.map(Status::as_str),
        "priority": update.priority.map(Priority::as_str),
        "assignee_id": update.assignee.map(|a| a.map(|a| a.0)),
        "tags": update.tags,
    })
    .to_string();
    let ticket = crate::tickets::apply_update(&state, id, update, now, Some(agent.id)).await?;
    state
        .store
        .audit(
            Some(agent.id),
            "ticket.update",
            Some(&id.to_string()),
            &domain::Redacted::clean(&detail),
            now,
        )
        .await?;
    tracing::info!(ticket.id = %id, agent.id = %agent.id, "ticket updated via api");
    state.publish(Event::TicketUpdated { ticket: id });
    Ok(Json(TicketOut::from(ticket)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_cleaned() {
        let t = clean_tags(&[
            " Refund ".into(),
            "refund".into(),
            String::new(),
            "usdt".into(),
        ])
        .unwrap();
        let t: Vec<&str> = t.iter().map(domain::Redacted::as_str).collect();
        assert_eq!(t, vec!["refund", "usdt"]);
        assert!(clean_tags(&["x".repeat(41)]).is_err());
        // A phrase sent as one-word tags is removed before it is lower-cased or split up.
        let words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                     abandon abandon about";
        let t = clean_tags(&words.split(' ').map(str::to_owned).collect::<Vec<_>>()).unwrap();
        assert!(t.iter().all(|t| !t.as_str().contains("abandon")), "{t:?}");
    }
}
