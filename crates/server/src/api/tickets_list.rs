//! `GET /api/v1/tickets`: the inbox's views and filters, as JSON.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use domain::{Category, Priority, Status};
use serde::Deserialize;
use store::{TicketQuery, View};
use utoipa::IntoParams;

use crate::AppState;
use crate::api::bearer::ApiAgent;
use crate::api::dto::{ErrorOut, TicketListOut, TicketOut};
use crate::error::ApiError;

pub(crate) const MAX_LIMIT: u32 = 200;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// `all` (default), `unassigned`, `mine`, `urgent`, `secret_exposed` or `sla`.
    view: Option<String>,
    /// A status key.
    status: Option<String>,
    /// A category key.
    category: Option<String>,
    /// A priority key.
    priority: Option<String>,
    /// Words that must all occur in the subject, a message or a field.
    q: Option<String>,
    /// 1 to 200; 50 when absent.
    limit: Option<u32>,
    offset: Option<u32>,
}

fn invalid(message: String) -> ApiError {
    ApiError::bad_request(crate::error::ErrorCode::InvalidQuery, message)
}

/// Turns the query string into a store query for `agent`.
pub(crate) fn parse(
    q: ListQuery,
    agent: domain::AgentId,
    now: domain::Timestamp,
) -> Result<TicketQuery, ApiError> {
    let view = match q.view.as_deref().unwrap_or("all") {
        "all" => View::All,
        "unassigned" => View::Unassigned,
        "mine" => View::Mine(agent),
        "urgent" => View::Urgent,
        "secret_exposed" => View::SecretExposed,
        "sla" => View::SlaAtRisk,
        other => return Err(invalid(format!("unknown view `{other}`"))),
    };
    let mut query = TicketQuery::view(view, now);
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    query.status = nonempty(q.status)
        .map(|s| Status::parse(s.trim()))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    query.category = nonempty(q.category)
        .map(|s| Category::parse(s.trim()))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    query.priority = nonempty(q.priority)
        .map(|s| Priority::parse(s.trim()))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    query.search = nonempty(q.q).map(|s| s.trim().chars().take(200).collect());
    query.limit = q.limit.unwrap_or(50).clamp(1, MAX_LIMIT);
    query.offset = q.offset.unwrap_or(0);
    Ok(query)
}

/// List tickets.
#[utoipa::path(
    get,
    path = "/api/v1/tickets",
    tag = "tickets",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of tickets", body = TicketListOut),
        (status = 400, description = "Bad query (`invalid_query`)", body = ErrorOut),
        (status = 401, description = "No or unknown token (`unauthenticated`)", body = ErrorOut),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiAgent(agent): ApiAgent,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<TicketListOut>, ApiError> {
    let Query(q) = query.map_err(|e| invalid(e.body_text()))?;
    let query = parse(q, agent.id, state.now())?;
    let page = state.store.tickets_for_view(&query).await?;
    Ok(Json(TicketListOut {
        tickets: page.tickets.into_iter().map(TicketOut::from).collect(),
        total: page.total,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{AgentId, Timestamp};

    #[test]
    fn parses_views_and_filters() {
        let q = ListQuery {
            view: Some("mine".into()),
            status: Some("open".into()),
            limit: Some(5000),
            ..ListQuery::default()
        };
        let t = parse(q, AgentId(7), Timestamp(0)).unwrap();
        assert_eq!(t.view, View::Mine(AgentId(7)));
        assert_eq!(t.status, Some(Status::Open));
        assert_eq!(t.limit, MAX_LIMIT);
        let bad = ListQuery {
            view: Some("everything".into()),
            ..ListQuery::default()
        };
        let e = parse(bad, AgentId(7), Timestamp(0)).unwrap_err();
        assert_eq!(e.code(), "invalid_query");
    }
}
