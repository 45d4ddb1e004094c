//! `/admin/satisfaction`: what users said of their solved tickets — overall, per agent and week
//! by week (`domain::csat` does the sums).

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::csat::{self, Tally};
use serde::Deserialize;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, render};

/// The periods the page offers, in weeks.
const PERIODS: [u32; 4] = [4, 12, 26, 52];
const DEFAULT_WEEKS: u32 = 12;
/// More ratings than this in one period are not read (the oldest are counted).
const MAX_RATINGS: u32 = 200_000;

/// A tally as the page shows it.
#[derive(Debug)]
pub(crate) struct TallyView {
    pub count: u32,
    /// "80%", or "–" without ratings.
    pub satisfied: String,
    /// 0–100 for the bar.
    pub satisfied_value: u32,
    /// "4.3", or "–".
    pub mean: String,
}

impl From<&Tally> for TallyView {
    fn from(t: &Tally) -> TallyView {
        TallyView {
            count: t.count,
            satisfied: t
                .satisfied_percent()
                .map_or_else(|| "–".to_owned(), |p| format!("{p}%")),
            satisfied_value: t.satisfied_percent().unwrap_or(0),
            mean: t
                .mean_tenths()
                .map_or_else(|| "–".to_owned(), |m| format!("{}.{}", m / 10, m % 10)),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Row {
    pub label: String,
    pub tally: TallyView,
}

#[derive(Template)]
#[template(path = "admin_satisfaction.html")]
struct SatisfactionPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    periods: Vec<(u32, bool)>,
    overall: TallyView,
    /// (score, count), 5 first.
    by_score: Vec<(u8, u32)>,
    agents: Vec<Row>,
    by_week: Vec<Row>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PeriodQuery {
    weeks: Option<u32>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let weeks = q
        .weeks
        .filter(|w| PERIODS.contains(w))
        .unwrap_or(DEFAULT_WEEKS);
    let now = state.now();
    let loaded = async {
        let ratings = state
            .store
            .ratings_since(csat::report_start(now, weeks), MAX_RATINGS)
            .await?;
        let agents = state.store.agents().await?;
        Ok::<_, store::StoreError>((ratings, agents))
    }
    .await;
    let (ratings, agents) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&state, lang, &csrf, &e.into()),
    };
    let report = csat::report(&ratings, now, weeks);
    let c = chrome(&state, lang, &csrf, "/admin/satisfaction", &me);
    let agent_rows = report
        .per_agent
        .iter()
        .map(|(id, tally)| Row {
            label: match id {
                Some(id) => agents
                    .iter()
                    .find(|a| a.id == *id)
                    .map_or_else(|| format!("#{id}"), |a| a.name.clone()),
                None => c.t.get("admin.csat.unassigned"),
            },
            tally: tally.into(),
        })
        .collect();
    let dash = if c.t.is_zh() { " 至 " } else { " – " };
    let by_week = report
        .weeks
        .iter()
        .rev()
        .map(|w| Row {
            // The window ends at `now`: show its first and last day.
            label: format!(
                "{}{dash}{}",
                date(w.from),
                date(domain::Timestamp(w.to.0 - 1))
            ),
            tally: (&w.tally).into(),
        })
        .collect();
    render(
        StatusCode::OK,
        &SatisfactionPage {
            flash: Flash::default(),
            periods: PERIODS.iter().map(|&p| (p, p == weeks)).collect(),
            overall: (&report.overall).into(),
            by_score: (1..=5u8)
                .rev()
                .map(|s| (s, report.overall.by_score[usize::from(s - 1)]))
                .collect(),
            agents: agent_rows,
            by_week,
            c,
        },
    )
}

/// `YYYY-MM-DD` in UTC.
fn date(t: domain::Timestamp) -> String {
    t.rfc3339().chars().take(10).collect()
}
