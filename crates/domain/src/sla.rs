//! SLA arithmetic: when a response or a resolution is due, counting only business hours when
//! the policy says so, and how a ticket stands against its targets.

use serde::{Deserialize, Serialize};

use crate::{Priority, Timestamp};

/// Targets for one priority, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub priority: Priority,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
}

/// When the desk works. Minutes outside these hours do not count towards a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// The desk's time zone, an IANA name (`Asia/Shanghai`, `Europe/Berlin`): working hours
    /// follow its daylight-saving changes. Policies saved before there were names have none;
    /// then `utc_offset_minutes` is the zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Offset of the desk's time zone from UTC, in minutes (UTC+8 is 480), used only without
    /// a `time_zone`.
    pub utc_offset_minutes: i32,
    /// Working days, Monday = bit 0 … Sunday = bit 6.
    pub weekdays: u8,
    /// First and one-past-last working minute of a day (09:00–18:00 is 540..1080).
    pub start_minute: i64,
    pub end_minute: i64,
}

impl BusinessHours {
    fn valid(&self) -> bool {
        self.weekdays & 0x7f != 0
            && (0..1440).contains(&self.start_minute)
            && self.start_minute < self.end_minute
            && self.end_minute <= 1440
    }

    fn is_working_day(&self, date: jiff::civil::Date) -> bool {
        self.weekdays >> date.weekday().to_monday_zero_offset() & 1 == 1
    }

    /// Whether `at` falls inside these hours (in the hours' zone): the live chat's office
    /// hours ask this.
    #[must_use]
    pub fn is_open(&self, at: Timestamp) -> bool {
        let Ok(ts) = jiff::Timestamp::from_millisecond(at.0) else {
            return false;
        };
        let local = self.zone().to_datetime(ts);
        let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
        self.valid()
            && self.is_working_day(local.date())
            && (self.start_minute..self.end_minute).contains(&minute)
    }

    /// When the hours next begin at or after `at`: `at` itself when open now, `None` for hours
    /// that never open (no working day) or past jiff's range.
    #[must_use]
    pub fn next_opening(&self, at: Timestamp) -> Option<Timestamp> {
        if !self.valid() {
            return None;
        }
        if self.is_open(at) {
            return Some(at);
        }
        let zone = self.zone();
        let local = zone.to_datetime(jiff::Timestamp::from_millisecond(at.0).ok()?);
        let mut date = local.date();
        let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
        // Today still, when its hours have not begun; else the next working day.
        if !(self.is_working_day(date) && minute < self.start_minute) {
            date = date.tomorrow().ok()?;
            for _ in 0..7 {
                if self.is_working_day(date) {
                    break;
                }
                date = date.tomorrow().ok()?;
            }
        }
        let civil = date.at(
            i8::try_from(self.start_minute / 60).ok()?,
            i8::try_from(self.start_minute % 60).ok()?,
            0,
            0,
        );
        let ts = zone.to_ambiguous_timestamp(civil).compatible().ok()?;
        Some(Timestamp(ts.as_millisecond()))
    }

    /// The zone the hours are in: the named one, or the fixed offset of an older policy.
    #[must_use]
    pub fn zone(&self) -> jiff::tz::TimeZone {
        self.time_zone
            .as_deref()
            .and_then(|name| time_zone(name).ok())
            .unwrap_or_else(|| {
                jiff::tz::Offset::from_seconds(self.utc_offset_minutes.saturating_mul(60))
                    .map_or(jiff::tz::TimeZone::UTC, jiff::tz::TimeZone::fixed)
            })
    }
}

/// An IANA time zone by name, from the time zone database built into the binary (so a desk
/// works the same on any machine).
///
/// # Errors
/// When there is no zone of that name.
pub fn time_zone(name: &str) -> Result<jiff::tz::TimeZone, UnknownTimeZone> {
    if name.is_empty() || name.len() > 64 {
        return Err(UnknownTimeZone);
    }
    jiff::tz::db().get(name).map_err(|_| UnknownTimeZone)
}

/// Every time zone name the built-in database knows, sorted.
#[must_use]
pub fn time_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .collect();
    names.sort();
    names
}

/// The UTC offset a zone has at `at`, as `UTC+08:00` (`UTC` at zero).
#[must_use]
pub fn utc_offset_label(zone: &jiff::tz::TimeZone, at: Timestamp) -> String {
    let ts = jiff::Timestamp::from_millisecond(at.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let secs = zone.to_offset(ts).seconds();
    if secs == 0 {
        return "UTC".to_owned();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// A time zone name that the database does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone")]
pub struct UnknownTimeZone;

/// A policy: a target per priority, optionally in business hours only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub targets: Vec<SlaTarget>,
    pub business_hours: Option<BusinessHours>,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        let t = |priority, first_response_minutes, resolution_minutes| SlaTarget {
            priority,
            first_response_minutes,
            resolution_minutes,
        };
        SlaPolicy {
            targets: vec![
                t(Priority::Urgent, 30, 8 * 60),
                t(Priority::High, 2 * 60, 24 * 60),
                t(Priority::Normal, 8 * 60, 3 * 24 * 60),
                t(Priority::Low, 24 * 60, 7 * 24 * 60),
            ],
            business_hours: None,
        }
    }
}

/// What [`SlaPolicy::dues_after_priority_change`] needs of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerState {
    pub created: Timestamp,
    /// The new priority.
    pub priority: Priority,
    pub first_response_at: Option<Timestamp>,
    pub first_response_due: Option<Timestamp>,
    pub solved_at: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
}

/// How a timer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Met: the response or resolution happened in time.
    Met,
    /// Running, with more than a fifth of the target left.
    Ok,
    /// Running, with a fifth or less of the target left.
    NearBreach,
    /// The due time passed before the response or resolution.
    Breached,
}

impl SlaPolicy {
    #[must_use]
    pub fn target(&self, p: Priority) -> Option<SlaTarget> {
        self.targets.iter().copied().find(|t| t.priority == p)
    }

    /// The moment `minutes` of counted time after `from`.
    #[must_use]
    pub fn due(&self, from: Timestamp, minutes: i64) -> Timestamp {
        match &self.business_hours {
            Some(bh) if bh.valid() => add_business_minutes(bh, from, minutes),
            _ => from.plus_minutes(minutes),
        }
    }

    /// A new ticket's due times (first response, resolution), counted from `created`; none for
    /// a priority without a target.
    #[must_use]
    pub fn dues(
        &self,
        created: Timestamp,
        priority: Priority,
    ) -> (Option<Timestamp>, Option<Timestamp>) {
        match self.target(priority) {
            Some(t) => (
                Some(self.due(created, t.first_response_minutes)),
                Some(self.due(created, t.resolution_minutes)),
            ),
            None => (None, None),
        }
    }

    /// The due times after a ticket's priority changed: a running timer is counted again from
    /// the ticket's creation with the new priority's target, as if it had had that priority
    /// from the start; a timer already met (first response given, ticket solved) keeps its due
    /// time, which is history.
    #[must_use]
    pub fn dues_after_priority_change(
        &self,
        t: &TimerState,
    ) -> (Option<Timestamp>, Option<Timestamp>) {
        let (first, resolution) = self.dues(t.created, t.priority);
        (
            if t.first_response_at.is_some() {
                t.first_response_due
            } else {
                first
            },
            if t.solved_at.is_some() {
                t.resolution_due
            } else {
                resolution
            },
        )
    }

    /// Where a timer with this due time stands at `now`, given when it was started and whether
    /// (and when) it was met.
    #[must_use]
    pub fn state(
        &self,
        started: Timestamp,
        due: Timestamp,
        done: Option<Timestamp>,
        now: Timestamp,
    ) -> SlaState {
        if let Some(d) = done {
            return if d <= due {
                SlaState::Met
            } else {
                SlaState::Breached
            };
        }
        if now > due {
            return SlaState::Breached;
        }
        let total = (due.0 - started.0).max(1);
        if (due.0 - now.0) * 5 <= total {
            SlaState::NearBreach
        } else {
            SlaState::Ok
        }
    }
}

fn add_business_minutes(bh: &BusinessHours, from: Timestamp, minutes: i64) -> Timestamp {
    walk_business_minutes(bh, from, minutes).unwrap_or_else(|| from.plus_minutes(minutes))
}

/// Counts working minutes day by day in the desk's zone: a day's hours are civil times there,
/// so a daylight-saving change moves them with the clocks on the wall. `None` when the
/// arithmetic leaves jiff's range (then the plain clock is the answer).
fn walk_business_minutes(bh: &BusinessHours, from: Timestamp, minutes: i64) -> Option<Timestamp> {
    let zone = bh.zone();
    let local = zone.to_datetime(jiff::Timestamp::from_millisecond(from.0).ok()?);
    let mut date = local.date();
    let mut minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
    let mut left = minutes.max(0);
    // At most two years of days: a policy with a working day always ends well before that.
    for _ in 0..366 * 2 {
        if bh.is_working_day(date) && minute < bh.end_minute {
            let begin = minute.max(bh.start_minute);
            let available = bh.end_minute - begin;
            if left <= available {
                let at = begin + left;
                let civil = if at >= 1440 {
                    date.tomorrow().ok()?.at(0, 0, 0, 0)
                } else {
                    date.at(
                        i8::try_from(at / 60).ok()?,
                        i8::try_from(at % 60).ok()?,
                        0,
                        0,
                    )
                };
                let ts = zone.to_ambiguous_timestamp(civil).compatible().ok()?;
                return Some(Timestamp(ts.as_millisecond()));
            }
            left -= available;
        }
        date = date.tomorrow().ok()?;
        minute = 0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64, hh: i64, mm: i64) -> Timestamp {
        // 2026-11-30 is a Monday: day number 20_787.
        Timestamp(((20_787 + day) * 1440 + hh * 60 + mm) * Timestamp::MINUTE)
    }

    #[test]
    fn office_hours_say_whether_open_and_when_they_open_next() {
        // Monday to Friday, 09:00–18:00 in Shanghai (UTC+8, no daylight saving).
        let bh = BusinessHours {
            time_zone: Some("Asia/Shanghai".to_owned()),
            utc_offset_minutes: 0,
            weekdays: 0b0001_1111,
            start_minute: 9 * 60,
            end_minute: 18 * 60,
        };
        // `at` is UTC: Monday 01:00 UTC is 09:00 in Shanghai.
        assert!(bh.is_open(at(0, 1, 0)));
        assert!(bh.is_open(at(0, 9, 59)));
        assert!(!bh.is_open(at(0, 10, 0)), "18:00 local is closed");
        assert!(!bh.is_open(at(0, 0, 59)), "08:59 local");
        assert_eq!(bh.next_opening(at(0, 1, 30)), Some(at(0, 1, 30)));
        // Monday 08:00 local (00:00 UTC): opens at 09:00 the same day.
        assert_eq!(bh.next_opening(at(0, 0, 0)), Some(at(0, 1, 0)));
        // Monday 20:00 local: Tuesday 09:00.
        assert_eq!(bh.next_opening(at(0, 12, 0)), Some(at(1, 1, 0)));
        // Friday 19:00 local, Saturday, Sunday: Monday 09:00.
        assert_eq!(bh.next_opening(at(4, 11, 0)), Some(at(7, 1, 0)));
        assert!(!bh.is_open(at(5, 3, 0)), "Saturday");
        assert_eq!(bh.next_opening(at(5, 3, 0)), Some(at(7, 1, 0)));
        let never = BusinessHours {
            weekdays: 0,
            ..bh.clone()
        };
        assert!(!never.is_open(at(0, 1, 0)));
        assert_eq!(never.next_opening(at(0, 1, 0)), None);
    }

    #[test]
    fn without_business_hours_the_clock_runs_always() {
        let p = SlaPolicy::default();
        assert_eq!(p.due(at(0, 23, 50), 30), at(1, 0, 20));
    }

    #[test]
    fn business_hours_skip_nights_and_weekends() {
        let p = SlaPolicy {
            business_hours: Some(BusinessHours {
                time_zone: None,
                utc_offset_minutes: 0,
                weekdays: 0b0001_1111,
                start_minute: 9 * 60,
                end_minute: 18 * 60,
            }),
            ..SlaPolicy::default()
        };
        // Monday 17:30 + 60 min → Tuesday 09:30.
        assert_eq!(p.due(at(0, 17, 30), 60), at(1, 9, 30));
        // Friday 17:00 + 120 min → Monday 10:00.
        assert_eq!(p.due(at(4, 17, 0), 120), at(7, 10, 0));
        // Saturday 03:00 + 30 min → Monday 09:30.
        assert_eq!(p.due(at(5, 3, 0), 30), at(7, 9, 30));
        // Before opening.
        assert_eq!(p.due(at(1, 7, 0), 15), at(1, 9, 15));
    }

    #[test]
    fn state_of_a_timer() {
        let p = SlaPolicy::default();
        let (s, d) = (at(0, 10, 0), at(0, 11, 0));
        assert_eq!(p.state(s, d, None, at(0, 10, 10)), SlaState::Ok);
        assert_eq!(p.state(s, d, None, at(0, 10, 50)), SlaState::NearBreach);
        assert_eq!(p.state(s, d, None, at(0, 11, 1)), SlaState::Breached);
        assert_eq!(
            p.state(s, d, Some(at(0, 10, 59)), at(0, 12, 0)),
            SlaState::Met
        );
        assert_eq!(
            p.state(s, d, Some(at(0, 11, 30)), at(0, 12, 0)),
            SlaState::Breached
        );
    }

    #[test]
    fn a_named_zone_follows_daylight_saving() {
        let bh = |tz: &str| SlaPolicy {
            business_hours: Some(BusinessHours {
                time_zone: Some(tz.to_owned()),
                utc_offset_minutes: 0,
                weekdays: 0b0001_1111,
                start_minute: 9 * 60,
                end_minute: 18 * 60,
            }),
            ..SlaPolicy::default()
        };
        let utc = |s: &str| Timestamp(s.parse::<jiff::Timestamp>().unwrap().as_millisecond());
        // Shanghai has no DST: Monday 2026-11-30 17:30 local (09:30 UTC) + 60 min → Tuesday
        // 09:30 local = 01:30 UTC.
        let p = bh("Asia/Shanghai");
        assert_eq!(
            p.due(utc("2026-11-30T09:30:00Z"), 60),
            utc("2026-12-01T01:30:00Z")
        );
        // Berlin: Friday 2026-03-27 17:00 CET (16:00 UTC) + 120 min → Monday 2026-03-30
        // 10:00 CEST (08:00 UTC): the clocks went forward on Sunday the 29th.
        let p = bh("Europe/Berlin");
        assert_eq!(
            p.due(utc("2026-03-27T16:00:00Z"), 120),
            utc("2026-03-30T08:00:00Z")
        );
        // The same policy with a fixed +60 offset would be an hour late.
        let mut fixed = p.clone();
        if let Some(b) = fixed.business_hours.as_mut() {
            b.time_zone = None;
            b.utc_offset_minutes = 60;
        }
        assert_eq!(
            fixed.due(utc("2026-03-27T16:00:00Z"), 120),
            utc("2026-03-30T09:00:00Z")
        );
        // Closing at midnight: the last minute of a day.
        let mut late = bh("UTC");
        if let Some(b) = late.business_hours.as_mut() {
            b.end_minute = 1440;
        }
        assert_eq!(
            late.due(utc("2026-11-30T23:00:00Z"), 60),
            utc("2026-12-01T00:00:00Z")
        );
    }

    #[test]
    fn zone_names_and_labels() {
        assert!(time_zone("Asia/Shanghai").is_ok());
        assert!(time_zone("Asia/Nowhere").is_err());
        assert!(time_zone("").is_err());
        let names = time_zone_names();
        assert!(names.len() > 300, "{}", names.len());
        assert!(names.iter().any(|n| n == "America/New_York"));
        let t = Timestamp(1_796_111_873_000); // 2026-12-01
        assert_eq!(
            utc_offset_label(&time_zone("Asia/Shanghai").unwrap(), t),
            "UTC+08:00"
        );
        assert_eq!(
            utc_offset_label(&time_zone("America/St_Johns").unwrap(), t),
            "UTC-03:30"
        );
        assert_eq!(utc_offset_label(&time_zone("UTC").unwrap(), t), "UTC");
        let old = BusinessHours {
            time_zone: None,
            utc_offset_minutes: 480,
            weekdays: 1,
            start_minute: 0,
            end_minute: 60,
        };
        assert_eq!(utc_offset_label(&old.zone(), t), "UTC+08:00");
        // A policy saved before zone names reads as before.
        let json = r#"{"utc_offset_minutes":480,"weekdays":1,"start_minute":0,"end_minute":60}"#;
        assert_eq!(serde_json::from_str::<BusinessHours>(json).unwrap(), old);
    }

    #[test]
    fn a_priority_change_recounts_running_timers_only() {
        let p = SlaPolicy::default();
        let created = at(0, 10, 0);
        let old_first = Some(at(0, 18, 0));
        let old_resolution = Some(at(3, 10, 0));
        let running = TimerState {
            created,
            priority: Priority::Urgent,
            first_response_at: None,
            first_response_due: old_first,
            solved_at: None,
            resolution_due: old_resolution,
        };
        // Urgent: 30 minutes and 8 hours from creation.
        assert_eq!(
            p.dues_after_priority_change(&running),
            (Some(at(0, 10, 30)), Some(at(0, 18, 0)))
        );
        let answered = TimerState {
            first_response_at: Some(at(0, 11, 0)),
            ..running
        };
        assert_eq!(
            p.dues_after_priority_change(&answered),
            (old_first, Some(at(0, 18, 0)))
        );
        let solved = TimerState {
            solved_at: Some(at(0, 12, 0)),
            ..answered
        };
        assert_eq!(
            p.dues_after_priority_change(&solved),
            (old_first, old_resolution)
        );
        let none = SlaPolicy {
            targets: Vec::new(),
            business_hours: None,
        };
        assert_eq!(none.dues_after_priority_change(&running), (None, None));
    }
}
