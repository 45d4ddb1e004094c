//! Who has a ticket open: an agent's ticket page holds its event stream
//! (`GET /agent/events?ticket=ID`) open for as long as the tab shows the ticket, and that stream
//! holds a [`Here`] guard. When the tab closes or moves on, the stream ends, the guard drops and
//! the others' pages hear [`Event::PresenceChanged`]. Kept in memory: after a restart the pages
//! reconnect and say so again.
//!
//! Shared between nodes like the desk's presence (`crate::desk_presence`): each node sends the
//! tickets open on it with the rest of its presence (`cluster/presence.rs`), and what another
//! node said counts until it stops or is not heard from for
//! [`EXPIRY_MS`](crate::cluster::presence::EXPIRY_MS).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use domain::{AgentId, TicketId, Timestamp};
use tokio::sync::{Notify, broadcast};

use crate::cluster::presence::OtherNodes;
use crate::{Clock, Event};

type Viewers = HashMap<TicketId, BTreeSet<AgentId>>;

#[derive(Debug, Default)]
struct Inner {
    /// Ticket → agent → how many of that agent's tabs, on this node.
    local: HashMap<TicketId, HashMap<AgentId, u32>>,
    /// What other nodes said.
    remote: OtherNodes<TicketId, BTreeSet<AgentId>>,
}

impl Inner {
    fn on(&self, ticket: TicketId, now: Timestamp) -> BTreeSet<AgentId> {
        let mut out: BTreeSet<AgentId> = self
            .local
            .get(&ticket)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        for open in self.remote.fresh(now) {
            if let Some(agents) = open.get(&ticket) {
                out.extend(agents);
            }
        }
        out
    }
}

/// Open ticket pages on this node, and on the others as they last said.
#[derive(Debug, Default)]
pub struct Presence {
    inner: Mutex<Inner>,
    clock: Arc<Clock>,
    /// Woken on every local change: the cluster relay tells the other nodes.
    changed: Arc<Notify>,
}

impl Presence {
    /// Presence reading `clock` (what other nodes said expires by it) and waking `changed` when
    /// this node's part changes.
    #[must_use]
    pub fn new(clock: Arc<Clock>, changed: Arc<Notify>) -> Presence {
        Presence {
            inner: Mutex::default(),
            clock,
            changed,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records one open tab of `agent` on `ticket` until the guard drops; both changes are
    /// announced on `events`.
    #[must_use]
    pub fn enter(
        self: &Arc<Self>,
        ticket: TicketId,
        agent: AgentId,
        events: broadcast::Sender<Event>,
    ) -> Here {
        *self
            .lock()
            .local
            .entry(ticket)
            .or_default()
            .entry(agent)
            .or_default() += 1;
        self.changed.notify_one();
        let _ = events.send(Event::PresenceChanged { ticket });
        Here {
            presence: Arc::clone(self),
            ticket,
            agent,
            events,
        }
    }

    /// The agents with `ticket` open on any node, in id order.
    #[must_use]
    pub fn on(&self, ticket: TicketId) -> BTreeSet<AgentId> {
        let now = self.clock.now();
        self.lock().on(ticket, now)
    }

    /// Every ticket someone has open on any node, with who.
    #[must_use]
    pub fn all(&self) -> HashMap<TicketId, BTreeSet<AgentId>> {
        let now = self.clock.now();
        let all = self.lock();
        let mut out: Viewers = all
            .local
            .iter()
            .map(|(t, m)| (*t, m.keys().copied().collect()))
            .collect();
        for open in all.remote.fresh(now) {
            for (t, agents) in open {
                out.entry(*t).or_default().extend(agents);
            }
        }
        out
    }

    /// What this node holds, for the others: ticket and agents, in ticket order.
    #[must_use]
    pub fn local(&self) -> Vec<(TicketId, Vec<AgentId>)> {
        let all = self.lock();
        let mut out: Vec<(TicketId, Vec<AgentId>)> = all
            .local
            .iter()
            .map(|(t, m)| {
                let mut agents: Vec<AgentId> = m.keys().copied().collect();
                agents.sort_unstable();
                (*t, agents)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Takes the tickets `node` has open now (`None`: it stopped), heard at `now`. Returns the
    /// tickets whose viewers changed here.
    pub fn heard(
        &self,
        node: &str,
        open: Option<&[(TicketId, Vec<AgentId>)]>,
        now: Timestamp,
    ) -> Vec<TicketId> {
        let open: Option<Viewers> = open.map(|list| {
            list.iter()
                .map(|(t, agents)| (*t, agents.iter().copied().collect()))
                .collect()
        });
        let mut all = self.lock();
        let (touched, _) = all.remote.touched(node, open.as_ref(), now);
        let before: Vec<BTreeSet<AgentId>> = touched.iter().map(|t| all.on(*t, now)).collect();
        all.remote.set(node, open, now);
        touched
            .into_iter()
            .zip(before)
            .filter(|(t, was)| all.on(*t, now) != *was)
            .map(|(t, _)| t)
            .collect()
    }

    /// Forgets the nodes not heard from in time; returns the tickets they had open.
    pub fn expire(&self, now: Timestamp) -> Vec<TicketId> {
        self.lock().remote.expire(now)
    }

    fn leave(&self, ticket: TicketId, agent: AgentId) {
        let mut all = self.lock();
        if let Some(agents) = all.local.get_mut(&ticket) {
            if let Some(n) = agents.get_mut(&agent) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    agents.remove(&agent);
                }
            }
            if agents.is_empty() {
                all.local.remove(&ticket);
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
        self.presence.changed.notify_one();
        let _ = self.events.send(Event::PresenceChanged {
            ticket: self.ticket,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::presence::EXPIRY_MS;

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

    #[test]
    fn viewers_on_other_nodes_count_until_they_stop_or_expire() {
        let (tx, _rx) = broadcast::channel(16);
        let clock = Arc::new(Clock::default());
        clock.set(Timestamp(5_000_000));
        let now = clock.now();
        let p = Arc::new(Presence::new(Arc::clone(&clock), Arc::default()));
        let (t1, t2, a, b) = (TicketId(1), TicketId(2), AgentId(1), AgentId(2));
        let _here = p.enter(t1, a, tx.clone());
        assert_eq!(p.local(), vec![(t1, vec![a])]);
        let changed = p.heard("n2", Some(&[(t1, vec![b]), (t2, vec![b])]), now);
        assert_eq!(changed, vec![t1, t2]);
        assert_eq!(p.on(t1), BTreeSet::from([a, b]));
        assert_eq!(p.all().get(&t2), Some(&BTreeSet::from([b])));
        assert_eq!(
            p.local(),
            vec![(t1, vec![a])],
            "only this node's own go out"
        );
        // b leaves t1 on n2; n2 repeats itself; then goes silent.
        assert_eq!(p.heard("n2", Some(&[(t2, vec![b])]), now), vec![t1]);
        assert!(p.heard("n2", Some(&[(t2, vec![b])]), now).is_empty());
        clock.set(Timestamp(now.0 + EXPIRY_MS + 1));
        assert!(p.on(t2).is_empty(), "a silent node's viewers do not count");
        assert_eq!(p.expire(clock.now()), vec![t2]);
        assert_eq!(p.on(t1), BTreeSet::from([a]), "this node's own stay");
        // A node that stops says so and is forgotten at once.
        let later = clock.now();
        p.heard("n3", Some(&[(t2, vec![b])]), later);
        assert_eq!(p.heard("n3", None, later), vec![t2]);
        assert!(!p.all().contains_key(&t2));
    }
}
