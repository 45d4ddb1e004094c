//! SQL built at run time (inbox filters, search) with numbered `$N` placeholders, and the
//! fragments that encode the desk's rules (views, SLA risk and breach).
//!
//! Shared by both backends (see `README.md`); the one dialect difference, substring search, is
//! `crate::db::contains`.

use domain::Timestamp;
use sqlx::{AssertSqlSafe, query::Query};
use store::{TicketQuery, View};

use crate::db::{Args, Db, contains};

/// A bound value.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text with its arguments; `$N` placeholders may be referred to more than once.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    /// Adds an argument and returns its placeholder, to be pushed (once or several times).
    pub(crate) fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    /// Adds an argument and pushes its placeholder.
    pub(crate) fn bind(&mut self, a: Arg) -> &mut Sql {
        let p = self.arg(a);
        self.push(&p)
    }

    pub(crate) fn query(&self) -> Query<'static, Db, Args> {
        let mut q = sqlx::query(AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }
}

/// Every ticket column, for `SELECT … FROM tickets t`.
pub(crate) const TICKET_COLUMNS: &str = "t.id, t.requester, t.category, t.subject, t.chain, \
    t.tx_hash, t.address, t.app_version, t.device_os, t.status, t.priority, t.assignee, t.tags, \
    t.secret_exposed, t.lang, t.created_at, t.updated_at, t.first_response_at, \
    t.first_response_due, t.resolution_due, t.solved_at, t.closed_at, t.merged_into, \
    t.rating_score, t.rating_comment, t.rated_at, t.channel";

pub(crate) const ACTIVE: &str = "t.status IN ('new', 'open', 'waiting_on_user')";
pub(crate) const NOT_CLOSED: &str = "t.status <> 'closed'";

/// A timer is breached or has a fifth or less of its target left at `now` (a placeholder); the
/// same rule as `domain::sla::SlaPolicy::state`. Callers add that the ticket is active.
fn timers_at_risk(now: &str) -> String {
    let timer = |done: &str, due: &str| {
        format!(
            "(t.{done} IS NULL AND t.{due} IS NOT NULL AND (t.{due} - {now}) * 5 <= \
             CASE WHEN t.{due} - t.created_at > 1 THEN t.{due} - t.created_at ELSE 1 END)"
        )
    };
    format!(
        "({} OR {})",
        timer("first_response_at", "first_response_due"),
        timer("solved_at", "resolution_due")
    )
}

/// A first response or resolution that came after its due time, or is still missing after it
/// (a closed ticket's timers stopped when it was closed). Merged tickets are left out: their
/// conversation lives on in the ticket they were merged into.
pub(crate) fn breached(now: &str) -> String {
    let timer = |done: &str, due: &str| {
        format!(
            "(t.{due} IS NOT NULL AND ((t.{done} IS NOT NULL AND t.{done} > t.{due}) OR \
             (t.{done} IS NULL AND t.{due} < COALESCE(t.closed_at, {now}))))"
        )
    };
    format!(
        "(t.merged_into IS NULL AND ({} OR {}))",
        timer("first_response_at", "first_response_due"),
        timer("solved_at", "resolution_due")
    )
}

/// The statuses a view shows: `All` and `SecretExposed` every ticket that is not closed, the
/// others active tickets only (work still to do).
fn view_statuses(view: View) -> &'static str {
    match view {
        View::All | View::SecretExposed => NOT_CLOSED,
        View::Unassigned | View::Mine(_) | View::Urgent | View::SlaAtRisk => ACTIVE,
    }
}

/// What a view asks of a ticket besides its status.
fn view_rule(sql: &mut Sql, view: View, now: Timestamp) -> Option<String> {
    match view {
        View::All => None,
        View::Unassigned => Some("t.assignee IS NULL".to_owned()),
        View::Mine(agent) => {
            let a = sql.arg(Arg::Int(agent.0));
            Some(format!("t.assignee = {a}"))
        }
        View::Urgent => Some("t.priority = 'urgent'".to_owned()),
        View::SecretExposed => Some("t.secret_exposed = TRUE".to_owned()),
        View::SlaAtRisk => {
            let now = sql.arg(Arg::Int(now.0));
            Some(timers_at_risk(&now))
        }
    }
}

/// The whole condition of a view, as the inbox's counts use it.
pub(crate) fn view_condition(sql: &mut Sql, view: View, now: Timestamp) -> String {
    let statuses = view_statuses(view);
    match view_rule(sql, view, now) {
        Some(rule) => format!("({statuses} AND {rule})"),
        None => statuses.to_owned(),
    }
}

/// Pushes ` WHERE …` for an inbox query. An explicit status filter replaces the view's own
/// status rule (so `All` + `closed` lists closed tickets), except that the SLA view only ever
/// shows active tickets.
pub(crate) fn push_ticket_filter(sql: &mut Sql, q: &TicketQuery) {
    sql.push(" WHERE ");
    match q.status {
        None => {
            sql.push(view_statuses(q.view));
        }
        Some(status) => {
            sql.push("t.status = ")
                .bind(Arg::Text(status.as_str().to_owned()));
            if q.view == View::SlaAtRisk {
                sql.push(" AND ").push(ACTIVE);
            }
        }
    }
    if let Some(rule) = view_rule(sql, q.view, q.now) {
        sql.push(" AND ").push(&rule);
    }
    if let Some(c) = q.category {
        sql.push(" AND t.category = ")
            .bind(Arg::Text(c.as_str().to_owned()));
    }
    if let Some(p) = q.priority {
        sql.push(" AND t.priority = ")
            .bind(Arg::Text(p.as_str().to_owned()));
    }
    for term in search_terms(q.search.as_deref()) {
        let p = sql.arg(Arg::Text(term));
        let cond = format!(
            " AND ({} OR {} OR {} OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id \
             AND {}))",
            contains("t.subject", &p),
            contains(
                "COALESCE(t.chain, '') || ' ' || COALESCE(t.tx_hash, '') || ' ' || \
                 COALESCE(t.address, '') || ' ' || COALESCE(t.app_version, '') || ' ' || \
                 COALESCE(t.device_os, '')",
                &p
            ),
            contains("t.requester", &p),
            contains("m.body", &p),
        );
        sql.push(&cond);
    }
}

/// The words of a search, ASCII letters lower-cased (the database folds the same way).
pub(crate) fn search_terms(search: Option<&str>) -> Vec<String> {
    search
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect()
}
