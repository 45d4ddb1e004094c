//! `POST /agent/tickets/{id}`: status, priority, assignee and tags.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::{AgentId, Priority, Status, TicketId};
use serde::Deserialize;
use store::TicketUpdate;

use crate::auth::session::{Allowed, CanUpdateTickets};
use crate::error::ApiError;
use crate::web::{CsrfToken, ViewerLang, error_page, see_other};
use crate::{AppState, Event};

#[derive(Debug, Deserialize)]
pub(crate) struct UpdateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    priority: String,
    /// An agent id, or empty for nobody.
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    tags: String,
}

/// Comma-separated tags (either comma, `,` or `，`), trimmed, lower-cased, without repeats.
pub(crate) fn parse_tags(s: &str) -> Vec<domain::Redacted> {
    // Redacted as a whole before it is split or lower-cased (keys are case-sensitive): a
    // phrase typed as twelve one-word tags is still a phrase.
    let s = domain::Redacted::clean(s);
    let mut out: Vec<String> = Vec::new();
    for tag in s.as_str().split([',', '，']) {
        let tag = tag.trim().to_lowercase();
        if !tag.is_empty() && tag.chars().count() <= 40 && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out.iter().map(|t| domain::Redacted::clean(t)).collect()
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Allowed(session, _): Allowed<CanUpdateTickets>,
    Path(id): Path<String>,
    Form(form): Form<UpdateForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let bad = |what: crate::error::ErrorCode| ApiError::bad_request(what, what.as_str());
        let assignee = match form.assignee.trim() {
            "" => None,
            a => Some(
                a.parse::<AgentId>()
                    .map_err(|_| bad(crate::error::ErrorCode::BadAssignee))?,
            ),
        };
        if let Some(a) = assignee {
            state
                .store
                .agent(a)
                .await
                .map_err(|_| bad(crate::error::ErrorCode::BadAssignee))?;
        }
        let update = TicketUpdate {
            status: Some(
                Status::parse(&form.status).map_err(|_| bad(crate::error::ErrorCode::BadStatus))?,
            ),
            priority: Some(
                Priority::parse(&form.priority)
                    .map_err(|_| bad(crate::error::ErrorCode::BadPriority))?,
            ),
            assignee: Some(assignee),
            tags: Some(parse_tags(&form.tags)),
            category: None,
            subject: None,
            sla: None,
        };
        let detail = format!(
            "status={}, priority={}, assignee={}, tags={}",
            form.status,
            form.priority,
            assignee.map_or_else(|| "-".to_owned(), |a| a.to_string()),
            update
                .tags
                .iter()
                .flatten()
                .map(domain::Redacted::as_str)
                .collect::<Vec<_>>()
                .join(",")
        );
        let now = state.now();
        crate::tickets::apply_update(&state, id, update, now, Some(session.agent.id)).await?;
        state
            .store
            .audit(
                Some(session.agent.id),
                "ticket.update",
                Some(&id.to_string()),
                &domain::Redacted::clean(&detail),
                now,
            )
            .await?;
        state.publish(Event::TicketUpdated { ticket: id });
        Ok::<_, ApiError>(id)
    }
    .await;
    match result {
        Ok(id) => see_other(&format!("/agent/tickets/{id}"), "updated"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_either_comma() {
        let tags = parse_tags(" USDT, 转账，usdt ,, refund");
        let tags: Vec<&str> = tags.iter().map(domain::Redacted::as_str).collect();
        assert_eq!(tags, vec!["usdt", "转账", "refund"]);
        let key = parse_tags("vip, 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ");
        assert!(key.iter().all(|t| !t.as_str().contains("5hue")), "{key:?}");
        assert!(parse_tags("  ").is_empty());
    }
}
