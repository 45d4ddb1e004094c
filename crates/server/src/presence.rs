//! Who has a ticket open: an agent's ticket page holds its event stream
//! (`GET /agent/events?ticket=ID`) open for as long as the tab shows the ticket, and that stream
//! holds a [`Here`] guard. When the tab closes or moves on, the stream ends, the guard drops and
//! the others' pages hear [`Event::PresenceChanged`]. Kept in memory only: after a restart the
//! pages reconnect and say so again.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use domain::{AgentId, TicketId};
use tokio::sync::broadcast;

use crate::Event;

/// Open ticket pages: ticket → agent → how many of that agent's tabs.
#[derive(Debug, Default)]
pub struct Presence {
    open: Mutex<HashMap<TicketId, HashMap<AgentId, u32>>>,
}

impl Presence {
    /// Records one open tab of `agent` on `ticket` until the guard drops; both changes are
    /// announced on `events`.
    #[must_use]
    pub fn enter(
        self: &Arc<Self>,
        ticket: TicketId,
        agent: AgentId,
        events: broadcast::Sender<Event>,
    ) -> Here {
        {
            let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
            *open.entry(ticket).or_default().entry(agent).or_default() += 1;
        }
        let _ = events.send(Event::PresenceChanged { ticket });
        Here {
            presence: Arc::clone(self),
            ticket,
            agent,
            events,
        }
    }

    /// The agents with `ticket` open, in id order.
    #[must_use]
    pub fn on(&self, ticket: TicketId) -> BTreeSet<AgentId> {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.get(&ticket)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Every ticket someone has open, with who.
    #[must_use]
    pub fn all(&self) -> HashMap<TicketId, BTreeSet<AgentId>> {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.iter()
            .map(|(t, m)| (*t, m.keys().copied().collect()))
            .collect()
    }

    fn leave(&self, ticket: TicketId, agent: AgentId) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(agents) = open.get_mut(&ticket) {
            if let Some(n) = agents.get_mut(&agent) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    agents.remove(&agent);
                }
            }
            if agents.is_empty() {
                open.remove(&ticket);
            }
        }
    }
}

/// One open tab; leaving is dropping it.
#[derive(Debug)]
pub struct Here {
    presence: Arc<Presence>,
    ticket: TicketId,
    agent: AgentId,
    events: broadcast::Sender<Event>,
}

impl Drop for Here {
    fn drop(&mut self) {
        self.presence.leave(self.ticket, self.agent);
        let _ = self.events.send(Event::PresenceChanged {
            ticket: self.ticket,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_are_counted_and_leaving_is_announced() {
        let (tx, mut rx) = broadcast::channel(16);
        let p = Arc::new(Presence::default());
        let (t, a, b) = (TicketId(1), AgentId(1), AgentId(2));
        let first = p.enter(t, a, tx.clone());
        let second = p.enter(t, a, tx.clone());
        let other = p.enter(t, b, tx.clone());
        assert_eq!(p.on(t), BTreeSet::from([a, b]));
        drop(first);
        assert_eq!(
            p.on(t),
            BTreeSet::from([a, b]),
            "a's second tab is still open"
        );
        drop(second);
        assert_eq!(p.on(t), BTreeSet::from([b]));
        drop(other);
        assert!(p.on(t).is_empty());
        assert!(p.all().is_empty(), "nothing left behind");
        let mut n = 0;
        while let Ok(e) = rx.try_recv() {
            assert!(matches!(e, Event::PresenceChanged { ticket } if ticket == t));
            n += 1;
        }
        assert_eq!(n, 6, "three arrivals and three departures");
    }
}
