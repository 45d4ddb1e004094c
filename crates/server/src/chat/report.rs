//! The live-chat report on `/agent/help/analytics`: how many chats the assistant answered
//! alone, how many asked for a person, how long they waited and how soon a person answered.
//! Pure: the rows come from `ChatStore::chat_times`.

use store::{ChatState, ChatTimes};

/// The last 30 days' chats, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChatReport {
    /// Chats started.
    pub started: u64,
    /// Never handed to a person: the assistant's answers were all there was.
    pub assistant_only: u64,
    /// Asked for a person, or taken by one.
    pub handed_off: u64,
    /// Taken by a person.
    pub answered: u64,
    /// Asked for a person and ended before anyone took them.
    pub left_waiting: u64,
    /// Waiting for a person now.
    pub waiting_now: u64,
    /// Queue → accepted, in seconds: median and 90th percentile.
    pub wait: Option<(u64, u64)>,
    /// Asking for a person (or being taken) → a person's first message, in seconds.
    pub first_response: Option<(u64, u64)>,
}

/// The nearest-rank median and 90th percentile of `v` (sorted here).
fn p50_p90(mut v: Vec<u64>) -> Option<(u64, u64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let rank = |p: usize| v[(v.len() * p).div_ceil(100).saturating_sub(1)];
    Some((rank(50), rank(90)))
}

fn secs(from: domain::Timestamp, to: domain::Timestamp) -> u64 {
    u64::try_from((to.0 - from.0).max(0) / 1000).unwrap_or(0)
}

pub(crate) fn report(rows: &[ChatTimes]) -> ChatReport {
    let mut r = ChatReport {
        started: rows.len() as u64,
        ..ChatReport::default()
    };
    let mut waits = Vec::new();
    let mut firsts = Vec::new();
    for c in rows {
        let asked = c.queued_at.or(c.accepted_at);
        let Some(asked) = asked else {
            r.assistant_only += 1;
            continue;
        };
        r.handed_off += 1;
        if c.accepted_at.is_some() {
            r.answered += 1;
        } else if c.state == ChatState::Ended {
            r.left_waiting += 1;
        }
        if c.state == ChatState::Queued {
            r.waiting_now += 1;
        }
        if let (Some(q), Some(a)) = (c.queued_at, c.accepted_at) {
            waits.push(secs(q, a));
        }
        if let Some(f) = c.first_response_at {
            firsts.push(secs(asked, f));
        }
    }
    r.wait = p50_p90(waits);
    r.first_response = p50_p90(firsts);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Timestamp;

    fn chat(
        state: ChatState,
        queued: Option<i64>,
        accepted: Option<i64>,
        first: Option<i64>,
    ) -> ChatTimes {
        let t = |s: i64| Timestamp(1_796_000_000_000 + s * 1000);
        ChatTimes {
            state,
            created_at: t(0),
            queued_at: queued.map(t),
            accepted_at: accepted.map(t),
            ended_at: None,
            first_response_at: first.map(t),
        }
    }

    #[test]
    fn counts_each_kind_of_chat_once_and_times_only_what_happened() {
        let rows = vec![
            // The assistant alone.
            chat(ChatState::Ended, None, None, None),
            chat(ChatState::Assistant, None, None, None),
            // Waited 30 s, answered 45 s after asking.
            chat(ChatState::Ended, Some(10), Some(40), Some(55)),
            // Waited 120 s, answered 130 s after asking.
            chat(ChatState::Agent, Some(0), Some(120), Some(130)),
            // Taken straight from the assistant: no wait, answered 5 s after being taken.
            chat(ChatState::Agent, None, Some(20), Some(25)),
            // Gave up waiting.
            chat(ChatState::Ended, Some(0), None, None),
            // Waiting now.
            chat(ChatState::Queued, Some(50), None, None),
        ];
        let r = report(&rows);
        assert_eq!(r.started, 7);
        assert_eq!(r.assistant_only, 2);
        assert_eq!(r.handed_off, 5);
        assert_eq!(r.answered, 3);
        assert_eq!(r.left_waiting, 1);
        assert_eq!(r.waiting_now, 1);
        assert_eq!(r.wait, Some((30, 120)));
        // 45, 130, 5 → sorted 5, 45, 130: median 45, p90 130.
        assert_eq!(r.first_response, Some((45, 130)));
    }

    #[test]
    fn no_chats_is_all_zero_and_no_times() {
        assert_eq!(report(&[]), ChatReport::default());
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        assert_eq!(p50_p90((1..=10).collect()), Some((5, 9)));
        assert_eq!(p50_p90(vec![7]), Some((7, 7)));
    }
}
