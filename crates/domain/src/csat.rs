//! Customer satisfaction (CSAT): users rate a solved ticket 1–5, and agents and admins see the
//! ratings summed up — overall, per agent and week by week.
//!
//! "Satisfied" is a 4 or a 5, the usual CSAT definition: the share of satisfied ratings is the
//! headline figure, the mean score is shown beside it. Weeks are the seven-day windows ending
//! at the report's `now`, so a report needs no time zone and the last window is never partial.

use serde::Serialize;

use crate::{AgentId, TicketId, Timestamp};

/// One rating, as reports read it: the ticket, who holds it, the score and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RatingEntry {
    pub ticket_id: TicketId,
    pub assignee: Option<AgentId>,
    /// 1–5.
    pub score: u8,
    pub at: Timestamp,
}

/// Ratings summed up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub count: u32,
    pub sum: u32,
    /// Ratings of 4 or 5.
    pub satisfied: u32,
    /// How many ratings gave each score, 1 to 5.
    pub by_score: [u32; 5],
}

impl Tally {
    pub fn add(&mut self, score: u8) {
        if !(1..=5).contains(&score) {
            return;
        }
        self.count += 1;
        self.sum += u32::from(score);
        if score >= 4 {
            self.satisfied += 1;
        }
        self.by_score[usize::from(score - 1)] += 1;
    }

    /// The mean score to one decimal, ×10 (`43` is 4.3); `None` without ratings.
    #[must_use]
    pub fn mean_tenths(&self) -> Option<u32> {
        (self.count > 0).then(|| (self.sum * 10 + self.count / 2) / self.count)
    }

    /// The share of satisfied ratings in whole percent, rounded; `None` without ratings.
    #[must_use]
    pub fn satisfied_percent(&self) -> Option<u32> {
        (self.count > 0).then(|| (self.satisfied * 100 + self.count / 2) / self.count)
    }
}

/// One week's window and its ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Week {
    /// Inclusive.
    pub from: Timestamp,
    /// Exclusive, except the last week's, which is the report's `now` and includes it.
    pub to: Timestamp,
    pub tally: Tally,
}

/// The satisfaction report over the `weeks` seven-day windows ending at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub overall: Tally,
    /// Per assignee at the time of the report (`None`: nobody holds the ticket), most ratings
    /// first, then by id.
    pub per_agent: Vec<(Option<AgentId>, Tally)>,
    /// Oldest first; every window is there, empty ones too, so a chart has no gaps.
    pub weeks: Vec<Week>,
}

/// The first moment a report over `weeks` weeks ending at `now` covers.
#[must_use]
pub fn report_start(now: Timestamp, weeks: u32) -> Timestamp {
    Timestamp(now.0.saturating_sub(i64::from(weeks) * 7 * Timestamp::DAY))
}

/// Sums `entries` into a report; entries outside the window are left out.
#[must_use]
pub fn report(entries: &[RatingEntry], now: Timestamp, weeks: u32) -> Report {
    let start = report_start(now, weeks);
    let week = 7 * Timestamp::DAY;
    let mut overall = Tally::default();
    let mut per_agent: Vec<(Option<AgentId>, Tally)> = Vec::new();
    let mut windows: Vec<Week> = (0..i64::from(weeks))
        .map(|i| Week {
            from: Timestamp(start.0 + i * week),
            to: Timestamp(start.0 + (i + 1) * week),
            tally: Tally::default(),
        })
        .collect();
    for e in entries {
        if e.at < start || e.at > now || !(1..=5).contains(&e.score) {
            continue;
        }
        overall.add(e.score);
        match per_agent.iter_mut().find(|(a, _)| *a == e.assignee) {
            Some((_, t)) => t.add(e.score),
            None => {
                let mut t = Tally::default();
                t.add(e.score);
                per_agent.push((e.assignee, t));
            }
        }
        // A rating given at `now` itself belongs to the last week.
        let i = usize::try_from((e.at.0 - start.0) / week)
            .unwrap_or(usize::MAX)
            .min(windows.len().saturating_sub(1));
        if let Some(w) = windows.get_mut(i) {
            w.tally.add(e.score);
        }
    }
    per_agent.sort_by(|(a, x), (b, y)| y.count.cmp(&x.count).then_with(|| a.cmp(b)));
    Report {
        overall,
        per_agent,
        weeks: windows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_796_111_873_000);

    fn entry(agent: Option<i64>, score: u8, days_ago: i64) -> RatingEntry {
        RatingEntry {
            ticket_id: TicketId(1),
            assignee: agent.map(AgentId),
            score,
            at: Timestamp(NOW.0 - days_ago * Timestamp::DAY - 1),
        }
    }

    #[test]
    fn tally_rounds_mean_and_share() {
        let mut t = Tally::default();
        assert_eq!((t.mean_tenths(), t.satisfied_percent()), (None, None));
        for s in [5, 4, 4] {
            t.add(s);
        }
        // 13 / 3 = 4.33…, 3 of 3 satisfied.
        assert_eq!(
            (t.mean_tenths(), t.satisfied_percent()),
            (Some(43), Some(100))
        );
        t.add(1);
        // 14 / 4 = 3.5, 3 of 4.
        assert_eq!(
            (t.mean_tenths(), t.satisfied_percent()),
            (Some(35), Some(75))
        );
        assert_eq!(t.by_score, [1, 0, 0, 2, 1]);
        t.add(0);
        t.add(6);
        assert_eq!(t.count, 4, "scores outside 1–5 are not counted");
    }

    #[test]
    fn report_splits_by_agent_and_week() {
        let entries = [
            entry(Some(7), 5, 0),
            RatingEntry {
                at: NOW,
                ..entry(Some(7), 4, 0)
            },
            entry(Some(7), 3, 8),
            entry(None, 1, 1),
            entry(Some(9), 4, 20),
            // Outside the four weeks, and in the future: left out.
            entry(Some(9), 1, 28),
            RatingEntry {
                at: Timestamp(NOW.0 + 1),
                ..entry(Some(9), 1, 0)
            },
        ];
        let r = report(&entries, NOW, 4);
        assert_eq!(r.overall.count, 5);
        assert_eq!(r.overall.satisfied, 3);
        assert_eq!(
            r.per_agent
                .iter()
                .map(|(a, t)| (a.map(|a| a.0), t.count, t.sum))
                .collect::<Vec<_>>(),
            vec![(Some(7), 3, 12), (None, 1, 1), (Some(9), 1, 4)]
        );
        assert_eq!(r.weeks.len(), 4);
        assert_eq!(
            r.weeks.iter().map(|w| w.tally.count).collect::<Vec<_>>(),
            vec![0, 1, 1, 3],
            "oldest week first, empty weeks kept"
        );
        assert_eq!(r.weeks[0].from, report_start(NOW, 4));
        assert_eq!(r.weeks[3].to, NOW);
    }
}
