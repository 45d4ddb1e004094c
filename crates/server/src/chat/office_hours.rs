//! The live chat's office hours: when people answer chats. An admin sets them at
//! `/admin/office-hours` (`routes/admin/office_hours.rs`) as weekdays and a daily from–to in a
//! named time zone — the SLA's [`BusinessHours`], with its arithmetic (`domain::sla`). Kept as
//! the setting [`KEY`] (JSON); no setting means people answer at any time, as before.
//!
//! Out of hours the chat says so honestly, in the user's language, with when it opens next;
//! the assistant still answers, and "talk to a person" (with no agent online) queues nothing
//! but offers to continue as a ticket answered by e-mail.

use domain::Timestamp;
use domain::sla::BusinessHours;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;

/// The setting that holds the office hours (JSON of [`BusinessHours`]).
pub const KEY: &str = "chat.office_hours";

/// The office hours, if the desk keeps any. A stored value that no longer parses counts as
/// none (people answer at any time) and is logged: a broken setting must not close the chat.
///
/// # Errors
/// Storage failures.
pub async fn get(state: &AppState) -> Result<Option<BusinessHours>, ApiError> {
    let Some(raw) = state.store.setting(KEY).await? else {
        return Ok(None);
    };
    match serde_json::from_str::<Option<BusinessHours>>(&raw) {
        Ok(bh) => Ok(bh),
        Err(e) => {
            tracing::error!(error = %e, "the chat's office hours setting is unreadable; ignored");
            Ok(None)
        }
    }
}

/// Saves the office hours (`None`: people answer at any time).
///
/// # Errors
/// Storage failures.
pub async fn set(state: &AppState, hours: Option<&BusinessHours>) -> Result<(), ApiError> {
    let json = serde_json::to_string(&hours).unwrap_or_else(|_| "null".to_owned());
    state
        .store
        .set_setting(KEY, &domain::Redacted::clean(&json))
        .await?;
    Ok(())
}

/// Whether people answer chats at `now`, and when they next do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub open: bool,
    /// When the hours begin again; `None` while open, or for hours that never open.
    pub opens_at: Option<Timestamp>,
}

/// The office-hours status at `now`; `None` when the desk keeps no office hours.
#[must_use]
pub fn status_at(hours: Option<&BusinessHours>, now: Timestamp) -> Option<Status> {
    let bh = hours?;
    let open = bh.is_open(now);
    Some(Status {
        open,
        opens_at: if open { None } else { bh.next_opening(now) },
    })
}

/// The office-hours status now.
///
/// # Errors
/// Storage failures.
pub async fn status(state: &AppState) -> Result<Option<Status>, ApiError> {
    Ok(status_at(get(state).await?.as_ref(), state.now()))
}

/// The hours as a person reads them: "Mon, Tue, Wed, Thu, Fri 09:00–18:00 (Asia/Shanghai)".
#[must_use]
pub fn describe(t: &Tr<'_>, bh: &BusinessHours) -> String {
    let days: Vec<String> = (0..7u8)
        .filter(|n| bh.weekdays >> n & 1 == 1)
        .map(|n| t.get(&format!("admin.sla.day{n}")))
        .collect();
    format!(
        "{} {}–{} ({})",
        days.join(t.list_sep()),
        hhmm(bh.start_minute),
        hhmm(bh.end_minute),
        zone_name(bh)
    )
}

/// When the hours open next, in the desk's zone: "Mon 09:00 (Asia/Shanghai)".
#[must_use]
pub fn describe_opening(t: &Tr<'_>, bh: &BusinessHours, at: Timestamp) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(at.0) else {
        return String::new();
    };
    let local = bh.zone().to_datetime(ts);
    let day = local.date().weekday().to_monday_zero_offset();
    format!(
        "{} {:02}:{:02} ({})",
        t.get(&format!("admin.sla.day{day}")),
        local.hour(),
        local.minute(),
        zone_name(bh)
    )
}

fn zone_name(bh: &BusinessHours) -> String {
    bh.time_zone
        .clone()
        .unwrap_or_else(|| domain::sla::utc_offset_label(&bh.zone(), Timestamp(0)))
}

fn hhmm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The desk's notice out of hours, in the user's language: the hours, when people are back,
/// and what the user can do now — when the chat opens, or (`handoff`) when the user asks for
/// a person.
#[must_use]
pub fn closed_notice(
    t: &Tr<'_>,
    bh: &BusinessHours,
    opens_at: Option<Timestamp>,
    handoff: bool,
) -> String {
    let hours = describe(t, bh);
    let key = if handoff {
        "chat.out_of_hours_handoff"
    } else {
        "chat.out_of_hours"
    };
    match opens_at.map(|at| describe_opening(t, bh, at)) {
        Some(opens) => t
            .i18n
            .format(t.lang, key, &[("hours", &hours), ("opens", &opens)]),
        None => t.fmt1("chat.out_of_hours_never", "hours", &hours),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai_weekdays() -> BusinessHours {
        BusinessHours {
            time_zone: Some("Asia/Shanghai".to_owned()),
            utc_offset_minutes: 0,
            weekdays: 0b0001_1111,
            start_minute: 9 * 60,
            end_minute: 18 * 60,
        }
    }

    /// 2026-11-30 (a Monday) at `hh:mm` UTC, plus `day` days.
    fn at(day: i64, hh: i64, mm: i64) -> Timestamp {
        Timestamp(((20_787 + day) * 1440 + hh * 60 + mm) * Timestamp::MINUTE)
    }

    #[test]
    fn no_hours_means_always_open_and_closed_hours_say_when_they_open() {
        assert_eq!(status_at(None, at(5, 3, 0)), None);
        let bh = shanghai_weekdays();
        assert_eq!(
            status_at(Some(&bh), at(0, 2, 0)),
            Some(Status {
                open: true,
                opens_at: None
            })
        );
        // Saturday: Monday 09:00 Shanghai (01:00 UTC).
        assert_eq!(
            status_at(Some(&bh), at(5, 3, 0)),
            Some(Status {
                open: false,
                opens_at: Some(at(7, 1, 0))
            })
        );
    }

    #[test]
    fn the_notice_names_the_hours_and_the_opening_in_both_languages() {
        let i = crate::i18n::I18n::default();
        let bh = shanghai_weekdays();
        let en = Tr {
            i18n: &i,
            lang: domain::Lang::En,
        };
        let zh = Tr {
            i18n: &i,
            lang: domain::Lang::ZhCn,
        };
        assert_eq!(
            describe(&en, &bh),
            "Mon, Tue, Wed, Thu, Fri 09:00–18:00 (Asia/Shanghai)"
        );
        assert_eq!(
            describe(&zh, &bh),
            "周一、周二、周三、周四、周五 09:00–18:00 (Asia/Shanghai)"
        );
        let n = closed_notice(&en, &bh, Some(at(7, 1, 0)), false);
        assert!(n.contains("Mon 09:00 (Asia/Shanghai)"), "{n}");
        assert!(n.contains("Mon, Tue"), "{n}");
        let n = closed_notice(&zh, &bh, Some(at(7, 1, 0)), true);
        assert!(n.contains("周一 09:00"), "{n}");
        assert!(!n.contains("chat-out_of_hours"), "{n}");
    }
}
