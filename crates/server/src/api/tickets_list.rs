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
pub(crate) const MAX_OFFSET: u32 = 1_000_000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// `all` (default), `unassigned`, `mine`, `urgent`, `secret_exposed` or `sla`.
    #[param(value_type = Option<ViewParam>)]
    view: Option<String>,
    /// A status key.
    #[param(pattern = "^(new|open|waiting_on_user|solved|closed)$")]
    status: Option<String>,
    /// A category key.
    #[param(pattern = "^(sign_in|transaction|balance|restore|app|security|other)$")]
    category: Option<String>,
    /// A priority key.
    #[param(pattern = "^(low|normal|high|urgent)$")]
    priority: Option<String>,
    /// Words that must all occur in the subject, a message or a field.
    q: Option<String>,
    /// 1 to 200; 50 when absent.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<f64>,
    /// How many matching tickets to skip (0 when absent).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 1_000_000)]
    offset: Option<f64>,
}

/// The views as the API spells them.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "the OpenAPI schema of a string parameter, never built"
)]
pub(crate) enum ViewParam {
    All,
    Unassigned,
    Mine,
    Urgent,
    SecretExposed,
    Sla,
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
    // Exactly a key, as documented: an empty or padded value is a client's bug to hear about.
    query.status = q
        .status
        .map(|s| Status::parse(&s))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    query.category = q
        .category
        .map(|s| Category::parse(&s))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    query.priority = q
        .priority
        .map(|s| Priority::parse(&s))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    query.search = nonempty(q.q).map(|s| s.trim().chars().take(200).collect());
    // Outside the documented range is refused, never clamped: a client that asks for
    // 2147483648 tickets has a bug it should hear about.
    let whole = |n: f64, lo: f64, hi: f64| n.fract() == 0.0 && (lo..=hi).contains(&n);
    query.limit = match q.limit {
        None => 50,
        Some(l) if whole(l, 1.0, f64::from(MAX_LIMIT)) => {
            u32::try_from(crate::api::small_count(l)).unwrap_or(MAX_LIMIT)
        }
        Some(_) => return Err(invalid(format!("limit must be 1 to {MAX_LIMIT}"))),
    };
    query.offset = match q.offset {
        None => 0,
        Some(o) if whole(o, 0.0, f64::from(MAX_OFFSET)) => {
            u32::try_from(crate::api::small_count(o)).unwrap_or(MAX_OFFSET)
        }
        Some(_) => return Err(invalid(format!("offset must be 0 to {MAX_OFFSET}"))),
    };
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
        (status = 429, description = "`rate_limited`: more requests than `[limits] api_per_token` for this token or `api_per_client` for this client in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
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
            limit: Some(200.0),
            ..ListQuery::default()
        };
        let t = parse(q, AgentId(7), Timestamp(0)).unwrap();
        assert_eq!(t.view, View::Mine(AgentId(7)));
        assert_eq!(t.status, Some(Status::Open));
        assert_eq!(t.limit, MAX_LIMIT);
        for limit in [0.0, 201.0, 2_147_483_648.0, 1.5, -1.0] {
            let q = ListQuery {
                limit: Some(limit),
                ..ListQuery::default()
            };
            let e = parse(q, AgentId(7), Timestamp(0)).unwrap_err();
            assert_eq!(e.code(), "invalid_query", "{limit}");
        }
        let bad = ListQuery {
            view: Some("everything".into()),
            ..ListQuery::default()
        };
        let e = parse(bad, AgentId(7), Timestamp(0)).unwrap_err();
        assert_eq!(e.code(), "invalid_query");
    }
}
