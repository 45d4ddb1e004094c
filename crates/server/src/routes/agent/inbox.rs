//! `GET /agent`: the inbox. A sidebar of views with counts, filters, search, and the ticket
//! table; `?partial=1` returns only the table, which `agent-live.js` swaps in on events.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{AgentId, Category, Priority, Status};
use serde::Deserialize;
use store::{TicketQuery, View};

use super::session::AgentSession;
use super::{Opt, sla};
use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, render};

const PER_PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct InboxQuery {
    #[serde(default)]
    view: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    partial: String,
    /// What the form sent just before did (post/redirect/get).
    #[serde(default)]
    done: String,
}

/// One line of the table.
#[derive(Debug)]
pub(crate) struct Row {
    pub id: String,
    pub subject: String,
    pub requester: String,
    pub category: String,
    pub status: String,
    pub status_key: &'static str,
    pub priority: String,
    pub priority_key: &'static str,
    pub assignee: String,
    pub secret_exposed: bool,
    /// How the ticket reached the desk ("Chat"), and its key for the badge's class.
    pub channel: String,
    pub channel_key: &'static str,
    pub sla: Option<sla::Timer>,
    pub updated: String,
    /// Agents with the ticket open now, "Li、Wang".
    pub viewers: String,
}

/// The table, shared by the page and the fragment.
#[derive(Debug)]
pub(crate) struct Table {
    pub rows: Vec<Row>,
    /// "12 tickets".
    pub total_label: String,
    pub page: u32,
    pub pages: u32,
    /// The query string without `page`, for pagination links.
    pub base_query: String,
    pub src: String,
}

#[derive(Template)]
#[template(path = "agent_inbox.html")]
struct InboxPage<'a> {
    c: Chrome<'a>,
    t: Tr<'a>,
    table: Table,
    q: String,
    /// The sidebar: value = view key, label = name and count.
    views: Vec<Opt>,
    statuses: Vec<Opt>,
    categories: Vec<Opt>,
    priorities: Vec<Opt>,
    back: String,
}

#[derive(Template)]
#[template(path = "agent_inbox_partial.html")]
struct InboxPartial<'a> {
    t: Tr<'a>,
    table: Table,
}

fn view_of(key: &str, me: AgentId) -> (View, &'static str) {
    match key {
        "unassigned" => (View::Unassigned, "unassigned"),
        "mine" => (View::Mine(me), "mine"),
        "urgent" => (View::Urgent, "urgent"),
        "secret_exposed" => (View::SecretExposed, "secret_exposed"),
        "sla" => (View::SlaAtRisk, "sla"),
        _ => (View::All, "all"),
    }
}

/// Percent-encodes a query value.
pub(crate) fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Query(q): Query<InboxQuery>,
) -> Response {
    match build(&state, lang, &csrf, &session, q).await {
        Ok(r) => r,
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

async fn build(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    session: &AgentSession,
    q: InboxQuery,
) -> Result<Response, ApiError> {
    let now = state.now();
    let me = session.agent.id;
    let q_done = q.done.clone();
    let (view, view_key) = view_of(&q.view, me);
    let status = Status::parse(&q.status).ok();
    let category = Category::parse(&q.category).ok();
    let priority = Priority::parse(&q.priority).ok();
    let search = q.q.trim();
    let page = q.page.parse::<u32>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let query = TicketQuery {
        view,
        status,
        category,
        priority,
        search: (!search.is_empty()).then(|| search.to_owned()),
        now,
        limit: PER_PAGE,
        offset: (page - 1).saturating_mul(PER_PAGE),
    };
    let result = state.store.tickets_for_view(&query).await?;
    let policy = state.store.sla_policy().await?;
    let names: HashMap<AgentId, String> = state
        .store
        .agents()
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let open = state.presence.all();
    let rows = result
        .tickets
        .iter()
        .map(|tk| {
            let (first, resolution) = sla::timers(&policy, tk, now);
            Row {
                id: tk.id.to_string(),
                subject: tk.subject.as_str().to_owned(),
                requester: crate::chat::requester_label(&t, tk),
                category: t.get(&format!("category.{}", tk.category.as_str())),
                status: t.get(&format!("agent.status.{}", tk.status.as_str())),
                status_key: tk.status.as_str(),
                priority: t.get(&format!("priority.{}", tk.priority.as_str())),
                priority_key: tk.priority.as_str(),
                assignee: tk
                    .assignee
                    .and_then(|a| names.get(&a).cloned())
                    .unwrap_or_default(),
                secret_exposed: tk.secret_exposed,
                channel: t.get(&format!("chat.channel.{}", tk.channel.as_str())),
                channel_key: tk.channel.as_str(),
                sla: if tk.status.is_active() {
                    sla::headline(first.as_ref(), resolution.as_ref())
                } else {
                    None
                },
                updated: tk.updated_at.rfc3339(),
                viewers: open
                    .get(&tk.id)
                    .map(|agents| {
                        agents
                            .iter()
                            .filter_map(|a| names.get(a).cloned())
                            .collect::<Vec<_>>()
                            .join(t.list_sep())
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let mut base = format!("view={view_key}");
    for (k, v) in [
        ("status", status.map(Status::as_str)),
        ("category", category.map(Category::as_str)),
        ("priority", priority.map(Priority::as_str)),
        ("q", (!search.is_empty()).then_some(search)),
    ] {
        if let Some(v) = v {
            base.push_str(&format!("&{k}={}", enc(v)));
        }
    }
    let pages = u32::try_from(result.total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let table = Table {
        rows,
        total_label: t.fmt1("agent.inbox.total", "n", &result.total.to_string()),
        page,
        pages,
        src: format!("/agent?{base}&page={page}&partial=1"),
        base_query: base,
    };
    if q.partial == "1" {
        return Ok(render(StatusCode::OK, &InboxPartial { t, table }));
    }
    let counts = state.store.view_counts(me, now).await?;
    let views = [
        ("unassigned", counts.unassigned),
        ("mine", counts.mine),
        ("urgent", counts.urgent),
        ("secret_exposed", counts.secret_exposed),
        ("sla", counts.sla_at_risk),
        ("all", counts.all),
    ]
    .into_iter()
    .map(|(k, n)| Opt {
        value: k.to_owned(),
        label: format!(
            "{}{}",
            t.get(&format!("agent.view.{k}")),
            t.paren(&n.to_string())
        ),
        selected: k == view_key,
    })
    .collect();
    let s = |o: Option<&'static str>| o.unwrap_or("");
    let back = format!("/agent?{}&page={}", table.base_query, table.page);
    let mut c =
        Chrome::new(state, lang, csrf, "/agent").with_done(&crate::web::Done { done: q_done });
    c.agent = Some(session.signed_in());
    Ok(render(
        StatusCode::OK,
        &InboxPage {
            t,
            c,
            table,
            q: search.to_owned(),
            views,
            statuses: Opt::keyed(
                &t,
                "agent.status",
                Status::ALL.iter().map(|x| x.as_str()),
                s(status.map(Status::as_str)),
            ),
            categories: Opt::keyed(
                &t,
                "category",
                Category::ALL.iter().map(|x| x.as_str()),
                s(category.map(Category::as_str)),
            ),
            priorities: Opt::keyed(
                &t,
                "priority",
                Priority::ALL.iter().map(|x| x.as_str()),
                s(priority.map(Priority::as_str)),
            ),
            back,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(enc("a b&c"), "a%20b%26c");
        assert_eq!(enc("转"), "%E8%BD%AC");
        assert_eq!(view_of("sla", AgentId(1)).1, "sla");
        assert_eq!(view_of("nonsense", AgentId(1)).0, View::All);
    }
}
