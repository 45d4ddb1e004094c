//! `/admin/sla`: first-response and resolution targets per priority, and optional business
//! hours during which the timers run.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::Priority;
use domain::sla::{self, BusinessHours, SlaPolicy, SlaTarget};
use store::Agent;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

/// A target may be at most a year.
pub(crate) const MAX_MINUTES: i64 = 366 * 24 * 60;

/// The zone new business hours start in.
const DEFAULT_ZONE: &str = "Asia/Shanghai";

/// Every zone name, for the form's suggestions (built once).
fn zone_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(sla::time_zone_names)
}

/// The IANA name of a whole-hour fixed offset saved before zones had names (`Etc/GMT-8` is
/// UTC+8: the Etc names' signs are inverted), or plain `UTC`; otherwise nothing matches, and
/// the admin picks a zone.
fn fixed_zone_name(offset_minutes: i32) -> String {
    match offset_minutes {
        0 => "UTC".to_owned(),
        m if m % 60 == 0 && (-720..=840).contains(&m) => {
            let h = -m / 60;
            if h > 0 {
                format!("Etc/GMT+{h}")
            } else {
                format!("Etc/GMT{h}")
            }
        }
        _ => String::new(),
    }
}

#[derive(Debug)]
pub(crate) struct TargetRow {
    pub key: &'static str,
    pub label: String,
    pub first: Amount,
    pub resolution: Amount,
}

/// The units a target is typed in; stored as minutes.
pub(crate) const UNITS: [(&str, i64); 3] = [("days", 1440), ("hours", 60), ("minutes", 1)];

/// A target as the form shows it: a whole number in the largest unit that divides it.
#[derive(Debug)]
pub(crate) struct Amount {
    /// As the box shows it: a stored target's number, or what was typed.
    pub value: String,
    pub unit: &'static str,
}

impl Amount {
    fn of_minutes(m: i64) -> Amount {
        UNITS
            .iter()
            .find(|(_, size)| m > 0 && m % size == 0)
            .map_or(
                Amount {
                    value: m.to_string(),
                    unit: "minutes",
                },
                |&(unit, size)| Amount {
                    value: (m / size).to_string(),
                    unit,
                },
            )
    }

    /// The box `field` and its unit as a refused form sent them.
    fn typed(f: &HashMap<String, String>, field: &str) -> Amount {
        let get = |k: &str| form_value(f, k);
        let unit = get(&format!("{field}_unit"));
        Amount {
            value: crate::web::echo_text(get(field)),
            unit: UNITS
                .iter()
                .find(|(u, _)| *u == unit)
                .map_or("minutes", |(u, _)| u),
        }
    }
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
    hours: HoursForm,
    units: Vec<(&'static str, String)>,
}

/// A form field's value, trimmed; empty when absent.
fn form_value<'f>(f: &'f HashMap<String, String>, key: &str) -> &'f str {
    f.get(key).map_or("", |v| v.trim())
}

fn hhmm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn parse_hhmm(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440).then_some(h * 60 + m)
}

fn view<'a>(c: Chrome<'a>, p: &SlaPolicy, flash: Flash, now: domain::Timestamp) -> SlaPage<'a> {
    let t = c.t;
    let targets = Priority::ALL
        .iter()
        .rev()
        .map(|&pr| {
            let tg = p.target(pr);
            TargetRow {
                key: pr.as_str(),
                label: t.get(&format!("priority.{}", pr.as_str())),
                first: Amount::of_minutes(tg.map_or(0, |t| t.first_response_minutes)),
                resolution: Amount::of_minutes(tg.map_or(0, |t| t.resolution_minutes)),
            }
        })
        .collect();
    SlaPage {
        targets,
        bh_enabled: p.business_hours.is_some(),
        hours: hours_form(&t, p.business_hours.as_ref(), now),
        units: UNITS
            .iter()
            .map(|(u, _)| (*u, t.get(&format!("admin.sla.unit.{u}"))))
            .collect(),
        flash,
        c,
    }
}

/// The page for a refused form: every box as it was sent, so nothing is typed twice.
fn view_typed<'a>(
    c: Chrome<'a>,
    f: &HashMap<String, String>,
    flash: Flash,
    now: domain::Timestamp,
) -> SlaPage<'a> {
    let t = c.t;
    let targets = Priority::ALL
        .iter()
        .rev()
        .map(|&pr| TargetRow {
            key: pr.as_str(),
            label: t.get(&format!("priority.{}", pr.as_str())),
            first: Amount::typed(f, &format!("first_{}", pr.as_str())),
            resolution: Amount::typed(f, &format!("resolution_{}", pr.as_str())),
        })
        .collect();
    SlaPage {
        targets,
        bh_enabled: f.get("bh_enabled").is_some_and(|v| !v.trim().is_empty()),
        hours: hours_typed(&t, f, now),
        units: UNITS
            .iter()
            .map(|(u, _)| (*u, t.get(&format!("admin.sla.unit.{u}"))))
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
            &view(
                chrome(state, lang, csrf, "/admin/sla", me),
                &p,
                flash,
                state.now(),
            ),
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

/// The hours a form's `bh_time_zone`, `bh_start`, `bh_end` and `day0`…`day6` describe; what
/// is wrong with them goes to `errors`. Shared with the chat's office hours
/// (`office_hours.rs`).
pub(crate) fn parse_hours(
    t: &Tr<'_>,
    f: &HashMap<String, String>,
    errors: &mut Vec<String>,
) -> BusinessHours {
    let get = |k: &str| form_value(f, k);
    let zone = get("bh_time_zone");
    if sla::time_zone(zone).is_err() {
        errors.push(t.get("admin.sla.error.zone"));
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
    BusinessHours {
        time_zone: Some(zone.to_owned()),
        // Kept for readers of policies from before zone names.
        utc_offset_minutes: 0,
        weekdays,
        start_minute: start.unwrap_or(0),
        end_minute: end.unwrap_or(0),
    }
}

/// The hours as the form shows them (new hours start 09:00–18:00, Monday to Friday, in
/// [`DEFAULT_ZONE`]).
pub(crate) struct HoursForm {
    pub time_zone: String,
    /// "UTC+08:00" now, for the zone shown.
    pub zone_offset: String,
    pub zone_names: &'static [String],
    pub start: String,
    pub end: String,
    pub days: Vec<DayBox>,
}

pub(crate) fn hours_form(
    t: &Tr<'_>,
    bh: Option<&BusinessHours>,
    now: domain::Timestamp,
) -> HoursForm {
    let bh = bh.cloned().unwrap_or(BusinessHours {
        time_zone: Some(DEFAULT_ZONE.to_owned()),
        utc_offset_minutes: 480,
        weekdays: 0b0001_1111,
        start_minute: 9 * 60,
        end_minute: 18 * 60,
    });
    HoursForm {
        time_zone: bh
            .time_zone
            .clone()
            .unwrap_or_else(|| fixed_zone_name(bh.utc_offset_minutes)),
        zone_offset: sla::utc_offset_label(&bh.zone(), now),
        zone_names: zone_names(),
        start: hhmm(bh.start_minute),
        end: hhmm(bh.end_minute),
        days: (0..7u8)
            .map(|n| DayBox {
                n,
                label: t.get(&format!("admin.sla.day{n}")),
                on: bh.weekdays >> n & 1 == 1,
            })
            .collect(),
    }
}

/// The hours as a refused form sent them (the zone's current offset shown when the zone is
/// one): what [`hours_form`] shows for stored hours.
pub(crate) fn hours_typed(
    t: &Tr<'_>,
    f: &HashMap<String, String>,
    now: domain::Timestamp,
) -> HoursForm {
    let get = |k: &str| form_value(f, k);
    let zone = get("bh_time_zone");
    HoursForm {
        time_zone: crate::web::echo_text(zone),
        zone_offset: sla::time_zone(zone)
            .map(|z| sla::utc_offset_label(&z, now))
            .unwrap_or_default(),
        zone_names: zone_names(),
        start: crate::web::echo_text(get("bh_start")),
        end: crate::web::echo_text(get("bh_end")),
        days: (0..7u8)
            .map(|n| DayBox {
                n,
                label: t.get(&format!("admin.sla.day{n}")),
                on: !get(&format!("day{n}")).is_empty(),
            })
            .collect(),
    }
}

/// The policy a form describes, or the messages saying what is wrong with it.
pub(crate) fn parse_form(
    t: &Tr<'_>,
    f: &HashMap<String, String>,
) -> Result<SlaPolicy, Vec<String>> {
    let get = |k: &str| form_value(f, k);
    let mut errors = Vec::new();
    let mut targets = Vec::new();
    // Most urgent first, as the default policy lists them.
    for &pr in Priority::ALL.iter().rev() {
        let label = t.get(&format!("priority.{}", pr.as_str()));
        let minutes = |k: &str| {
            let field = format!("{k}_{}", pr.as_str());
            // Without a unit (older forms, scripts) the number is minutes.
            let size = match get(&format!("{field}_unit")) {
                "" | "minutes" => Some(1),
                unit => UNITS.iter().find(|(u, _)| *u == unit).map(|(_, s)| *s),
            }?;
            get(&field)
                .parse::<i64>()
                .ok()
                .and_then(|n| n.checked_mul(size))
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
        Some(parse_hours(t, f, &mut errors))
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
            let c = chrome(&state, lang, &csrf, "/admin/sla", &me);
            let flash = Flash::error(errors.join(" "));
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &view_typed(c, &form, flash, state.now()),
            );
        }
    };
    let saved = async {
        state.store.set_sla_policy(&policy).await?;
        state.sla.set(policy.clone());
        state.cache_changed(crate::cluster::Cache::Sla);
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
            ("bh_time_zone", "Asia/Shanghai"),
            ("bh_start", "09:00"),
            ("bh_end", "18:00"),
            ("day0", "on"),
        ]);
        let p = parse_form(&t, &form(&f)).unwrap();
        let bh = p.business_hours.unwrap();
        assert_eq!(bh.weekdays, 1);
        assert_eq!(bh.time_zone.as_deref(), Some("Asia/Shanghai"));

        let mut f = full();
        f[1] = ("resolution_urgent", "10");
        f.extend([
            ("bh_enabled", "on"),
            ("bh_time_zone", "Asia/Nowhere"),
            ("bh_start", "18:00"),
            ("bh_end", "09:00"),
        ]);
        let errors = parse_form(&t, &form(&f)).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn targets_are_typed_in_minutes_hours_or_days() {
        let i = I18n::default();
        let t = Tr {
            i18n: &i,
            lang: domain::Lang::En,
        };
        let mut f = full();
        f.extend([
            ("first_low", "1"),
            ("first_low_unit", "days"),
            ("resolution_low", "7"),
            ("resolution_low_unit", "days"),
            ("first_urgent_unit", "minutes"),
            ("resolution_urgent", "8"),
            ("resolution_urgent_unit", "hours"),
        ]);
        let p = parse_form(&t, &form(&f)).unwrap();
        assert_eq!(p, SlaPolicy::default());
        let mut f = full();
        f.push(("first_low_unit", "fortnights"));
        assert_eq!(parse_form(&t, &form(&f)).unwrap_err().len(), 1);
        let mut f = full();
        f.extend([("resolution_low", "367"), ("resolution_low_unit", "days")]);
        assert_eq!(parse_form(&t, &form(&f)).unwrap_err().len(), 1);

        assert_eq!(Amount::of_minutes(30).unit, "minutes");
        let a = Amount::of_minutes(120);
        assert_eq!((a.value, a.unit), ("2".to_owned(), "hours"));
        let a = Amount::of_minutes(4320);
        assert_eq!((a.value, a.unit), ("3".to_owned(), "days"));
        let a = Amount::of_minutes(90);
        assert_eq!((a.value, a.unit), ("90".to_owned(), "minutes"));
    }

    #[test]
    fn old_offsets_become_zone_names() {
        assert_eq!(fixed_zone_name(480), "Etc/GMT-8");
        assert_eq!(fixed_zone_name(-300), "Etc/GMT+5");
        assert_eq!(fixed_zone_name(0), "UTC");
        assert_eq!(fixed_zone_name(330), "");
        for m in [480, -300, 0, 840, -720] {
            let name = fixed_zone_name(m);
            let zone = sla::time_zone(&name).unwrap();
            let old = BusinessHours {
                time_zone: None,
                utc_offset_minutes: m,
                weekdays: 1,
                start_minute: 0,
                end_minute: 60,
            };
            let now = domain::Timestamp(1_796_111_873_000);
            assert_eq!(
                sla::utc_offset_label(&zone, now),
                sla::utc_offset_label(&old.zone(), now),
                "{name}"
            );
        }
    }
}
