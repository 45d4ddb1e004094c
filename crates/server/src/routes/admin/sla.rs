//! `/admin/sla`: first-response and resolution targets per priority, and optional business
//! hours during which the timers run.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::Priority;
use domain::sla::{BusinessHours, SlaPolicy, SlaTarget};
use store::Agent;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

/// A target may be at most a year.
pub(crate) const MAX_MINUTES: i64 = 366 * 24 * 60;

#[derive(Debug)]
pub(crate) struct TargetRow {
    pub key: &'static str,
    pub label: String,
    pub first: i64,
    pub resolution: i64,
}

#[derive(Debug)]
pub(crate) struct DayBox {
    pub n: u8,
    pub label: String,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "admin_sla.html")]
struct SlaPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    targets: Vec<TargetRow>,
    bh_enabled: bool,
    offset: i32,
    start: String,
    end: String,
    days: Vec<DayBox>,
}

fn hhmm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn parse_hhmm(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440).then_some(h * 60 + m)
}

fn view<'a>(c: Chrome<'a>, p: &SlaPolicy, flash: Flash) -> SlaPage<'a> {
    let t = c.t;
    let targets = Priority::ALL
        .iter()
        .rev()
        .map(|&pr| {
            let tg = p.target(pr);
            TargetRow {
                key: pr.as_str(),
                label: t.get(&format!("priority.{}", pr.as_str())),
                first: tg.map_or(0, |t| t.first_response_minutes),
                resolution: tg.map_or(0, |t| t.resolution_minutes),
            }
        })
        .collect();
    let bh = p.business_hours.clone().unwrap_or(BusinessHours {
        utc_offset_minutes: 480,
        weekdays: 0b0001_1111,
        start_minute: 9 * 60,
        end_minute: 18 * 60,
    });
    SlaPage {
        targets,
        bh_enabled: p.business_hours.is_some(),
        offset: bh.utc_offset_minutes,
        start: hhmm(bh.start_minute),
        end: hhmm(bh.end_minute),
        days: (0..7u8)
            .map(|n| DayBox {
                n,
                label: t.get(&format!("admin.sla.day{n}")),
                on: bh.weekdays >> n & 1 == 1,
            })
            .collect(),
        flash,
        c,
    }
}

async fn page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    me: &Agent,
    flash: Flash,
) -> Response {
    match state.store.sla_policy().await {
        Ok(p) => render(
            StatusCode::OK,
            &view(chrome(state, lang, csrf, "/admin/sla", me), &p, flash),
        ),
        Err(e) => error_page(state, lang, csrf, &e.into()),
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(done): Query<Done>,
) -> Response {
    page(&state, lang, &csrf, &me, Flash::done(&state, lang, &done)).await
}

/// The policy a form describes, or the messages saying what is wrong with it.
pub(crate) fn parse_form(
    t: &Tr<'_>,
    f: &HashMap<String, String>,
) -> Result<SlaPolicy, Vec<String>> {
    let get = |k: &str| f.get(k).map_or("", |v| v.trim());
    let mut errors = Vec::new();
    let mut targets = Vec::new();
    // Most urgent first, as the default policy lists them.
    for &pr in Priority::ALL.iter().rev() {
        let label = t.get(&format!("priority.{}", pr.as_str()));
        let minutes = |k: &str| {
            get(&format!("{k}_{}", pr.as_str()))
                .parse::<i64>()
                .ok()
                .filter(|m| (1..=MAX_MINUTES).contains(m))
        };
        match (minutes("first"), minutes("resolution")) {
            (Some(first), Some(resolution)) if resolution >= first => targets.push(SlaTarget {
                priority: pr,
                first_response_minutes: first,
                resolution_minutes: resolution,
            }),
            (Some(_), Some(_)) => errors.push(t.fmt1("admin.sla.error.order", "priority", &label)),
            _ => errors.push(t.fmt1("admin.sla.error.minutes", "priority", &label)),
        }
    }
    let business_hours = if get("bh_enabled").is_empty() {
        None
    } else {
        let offset = get("bh_offset")
            .parse::<i32>()
            .ok()
            .filter(|o| (-720..=840).contains(o));
        if offset.is_none() {
            errors.push(t.get("admin.sla.error.offset"));
        }
        let (start, end) = (parse_hhmm(get("bh_start")), parse_hhmm(get("bh_end")));
        match (start, end) {
            (Some(s), Some(e)) if s < e && s < 1440 => {}
            _ => errors.push(t.get("admin.sla.error.hours")),
        }
        let weekdays = (0..7u8)
            .filter(|n| !get(&format!("day{n}")).is_empty())
            .fold(0u8, |acc, n| acc | 1 << n);
        if weekdays == 0 {
            errors.push(t.get("admin.sla.error.days"));
        }
        Some(BusinessHours {
            utc_offset_minutes: offset.unwrap_or(0),
            weekdays,
            start_minute: start.unwrap_or(0),
            end_minute: end.unwrap_or(0),
        })
    };
    if errors.is_empty() {
        Ok(SlaPolicy {
            targets,
            business_hours,
        })
    } else {
        Err(errors)
    }
}

pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = csrf.check(form.get("csrf").map_or("", String::as_str)) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let policy = match parse_form(&t, &form) {
        Ok(p) => p,
        Err(errors) => {
            return page(&state, lang, &csrf, &me, Flash::error(errors.join(" "))).await;
        }
    };
    let saved = async {
        state.store.set_sla_policy(&policy).await?;
        let detail = serde_json::to_string(&policy).unwrap_or_default();
        state
            .store
            .audit(
                Some(me.id),
                "sla.update",
                None,
                &domain::Redacted::clean(&detail),
                state.now(),
            )
            .await
    }
    .await;
    match saved {
        Ok(()) => see_other("/admin/sla", "saved"),
        Err(e) => error_page(&state, lang, &csrf, &e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn full() -> Vec<(&'static str, &'static str)> {
        vec![
            ("first_urgent", "30"),
            ("resolution_urgent", "480"),
            ("first_high", "120"),
            ("resolution_high", "1440"),
            ("first_normal", "480"),
            ("resolution_normal", "4320"),
            ("first_low", "1440"),
            ("resolution_low", "10080"),
        ]
    }

    #[test]
    fn a_full_form_parses_and_mistakes_are_named() {
        let i = I18n::default();
        let t = Tr {
            i18n: &i,
            lang: domain::Lang::En,
        };
        let p = parse_form(&t, &form(&full())).unwrap();
        assert_eq!(p, SlaPolicy::default());

        let mut f = full();
        f.extend([
            ("bh_enabled", "on"),
            ("bh_offset", "480"),
            ("bh_start", "09:00"),
            ("bh_end", "18:00"),
            ("day0", "on"),
        ]);
        let p = parse_form(&t, &form(&f)).unwrap();
        assert_eq!(p.business_hours.unwrap().weekdays, 1);

        let mut f = full();
        f[1] = ("resolution_urgent", "10");
        f.extend([
            ("bh_enabled", "on"),
            ("bh_offset", "9999"),
            ("bh_start", "18:00"),
            ("bh_end", "09:00"),
        ]);
        let errors = parse_form(&t, &form(&f)).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }
}
