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
    /// Offset of the desk's time zone from UTC, in minutes (UTC+8 is 480).
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

    fn is_working_day(&self, day: i64) -> bool {
        // Day 0 (1970-01-01) was a Thursday: Monday-based index 3.
        let weekday = (day + 3).rem_euclid(7);
        self.weekdays >> weekday & 1 == 1
    }
}

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
    let offset = i64::from(bh.utc_offset_minutes);
    let (mut day, mut minute) = from.local_day_minute(bh.utc_offset_minutes);
    let mut left = minutes.max(0);
    // At most a year of days: a policy with a working day always ends well before that.
    for _ in 0..366 * 2 {
        if bh.is_working_day(day) && minute < bh.end_minute {
            let begin = minute.max(bh.start_minute);
            let available = bh.end_minute - begin;
            if left <= available {
                let local = day * 1440 + begin + left;
                return Timestamp((local - offset) * Timestamp::MINUTE);
            }
            left -= available;
        }
        day += 1;
        minute = 0;
    }
    from.plus_minutes(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64, hh: i64, mm: i64) -> Timestamp {
        // 2026-11-30 is a Monday: day number 20_787.
        Timestamp(((20_787 + day) * 1440 + hh * 60 + mm) * Timestamp::MINUTE)
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
}
