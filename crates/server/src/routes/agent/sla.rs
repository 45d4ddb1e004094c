//! How a ticket stands against its SLA timers, for badges and timers on agent pages.

use domain::Timestamp;
use domain::sla::{SlaPolicy, SlaState};
use store::Ticket;

/// One timer as a page shows it.
#[derive(Debug, Clone)]
pub(crate) struct Timer {
    /// `ok`, `near_breach`, `breached` or `met`: the CSS class and the translation key.
    pub state: &'static str,
    /// RFC 3339, for `<time datetime>`.
    pub due: String,
}

fn key(s: SlaState) -> &'static str {
    match s {
        SlaState::Met => "met",
        SlaState::Ok => "ok",
        SlaState::NearBreach => "near_breach",
        SlaState::Breached => "breached",
    }
}

/// The first-response and resolution timers of `t` at `now`, when it has them.
pub(crate) fn timers(
    policy: &SlaPolicy,
    t: &Ticket,
    now: Timestamp,
) -> (Option<Timer>, Option<Timer>) {
    let first = t.first_response_due.map(|due| Timer {
        state: key(policy.state(t.created_at, due, t.first_response_at, now)),
        due: due.rfc3339(),
    });
    let resolution = t.resolution_due.map(|due| Timer {
        state: key(policy.state(t.created_at, due, t.solved_at.or(t.closed_at), now)),
        due: due.rfc3339(),
    });
    (first, resolution)
}

/// The timer to show in a list: the one still running that is closest to breaching, else the
/// worst finished one.
pub(crate) fn headline(first: Option<&Timer>, resolution: Option<&Timer>) -> Option<Timer> {
    let rank = |t: &Timer| match t.state {
        "breached" => 3,
        "near_breach" => 2,
        "ok" => 1,
        _ => 0,
    };
    [first, resolution]
        .into_iter()
        .flatten()
        .max_by_key(|t| rank(t))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_timer_is_the_headline() {
        let t = |state| Timer {
            state,
            due: String::new(),
        };
        let h = headline(Some(&t("met")), Some(&t("near_breach")));
        assert_eq!(h.map(|t| t.state), Some("near_breach"));
        assert!(headline(None, None).is_none());
    }
}
