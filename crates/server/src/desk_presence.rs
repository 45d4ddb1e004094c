//! Agents' presence on the desk (online, away, offline): **the** presence, for the workspace,
//! routing and the chat's "is anyone there" alike. An agent is on the desk while a workspace tab
//! holds its event stream (`GET /agent/events?desk=1`) or a chat socket is open
//! (`/agent/chat/ws`); each holds an [`OnDesk`] guard. No tab or socket is offline; an open one
//! is online unless the agent is away (said so, or the page saw no activity for a while and told
//! the server). Changes are announced as [`Event::AgentPresenceChanged`].
//!
//! Kept in memory, per node, and shared between nodes by the cluster relay
//! (`cluster/presence.rs`): every node sends what it holds (which agents, away or not) whenever
//! it changes and every [`HEARTBEAT`](crate::cluster::presence::HEARTBEAT), and keeps what the
//! others sent with the time it heard it. What a node has not heard from for
//! [`EXPIRY_MS`](crate::cluster::presence::EXPIRY_MS) no longer counts (it was killed, or lost
//! its link), so a dead node's agents go offline within that time. An agent's state is the best
//! any node reports: online on one node is online.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::{AgentId, Timestamp};
use tokio::sync::{Notify, broadcast};

use crate::cluster::presence::OtherNodes;
use crate::routing::AgentState;
use crate::{Clock, Event};

#[derive(Debug, Default)]
struct Entry {
    tabs: u32,
    away: bool,
}

#[derive(Debug, Default)]
struct Inner {
    local: HashMap<AgentId, Entry>,
    /// What other nodes said: agent → away.
    remote: OtherNodes<AgentId, bool>,
}

impl Inner {
    fn local_state(&self, agent: AgentId) -> AgentState {
        match self.local.get(&agent) {
            Some(e) if e.tabs > 0 && e.away => AgentState::Away,
            Some(e) if e.tabs > 0 => AgentState::Online,
            _ => AgentState::Offline,
        }
    }

    /// The best state any node (this one, or another heard from lately) reports.
    fn state(&self, agent: AgentId, now: Timestamp) -> AgentState {
        let mut best = self.local_state(agent);
        for agents in self.remote.fresh(now) {
            best = match agents.get(&agent) {
                Some(false) => AgentState::Online,
                Some(true) if best == AgentState::Offline => AgentState::Away,
                _ => best,
            };
            if best == AgentState::Online {
                break;
            }
        }
        best
    }
}

/// Workspace tabs, chat sockets and away flags per agent, on this node and as the other nodes
/// last said.
#[derive(Debug, Default)]
pub struct DeskPresence {
    inner: Mutex<Inner>,
    clock: Arc<Clock>,
    /// Woken on every local change: the cluster relay tells the other nodes.
    changed: Arc<Notify>,
}

impl DeskPresence {
    /// Presence reading `clock` (what other nodes said expires by it) and waking `changed` when
    /// this node's part changes.
    #[must_use]
    pub fn new(clock: Arc<Clock>, changed: Arc<Notify>) -> DeskPresence {
        DeskPresence {
            inner: Mutex::default(),
            clock,
            changed,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One open workspace tab or chat socket of `agent`, until the guard drops. A first one
    /// comes online.
    #[must_use]
    pub fn enter(self: &Arc<Self>, agent: AgentId, events: broadcast::Sender<Event>) -> OnDesk {
        let changed = {
            let mut all = self.lock();
            let e = all.local.entry(agent).or_default();
            e.tabs += 1;
            if e.tabs == 1 {
                e.away = false;
            }
            e.tabs == 1
        };
        if changed {
            self.changed.notify_one();
            let _ = events.send(Event::AgentPresenceChanged { agent });
        }
        OnDesk {
            presence: Arc::clone(self),
            agent,
            events,
        }
    }

    /// Marks `agent` away or back on this node. Returns whether the state changed; an agent
    /// with nothing open here stays as it is.
    pub fn set_away(&self, agent: AgentId, away: bool, events: &broadcast::Sender<Event>) -> bool {
        let changed = {
            let mut all = self.lock();
            match all.local.get_mut(&agent) {
                Some(e) if e.tabs > 0 && e.away != away => {
                    e.away = away;
                    true
                }
                _ => false,
            }
        };
        if changed {
            self.changed.notify_one();
            let _ = events.send(Event::AgentPresenceChanged { agent });
        }
        changed
    }

    /// `agent`'s state on the desk, every node counted.
    #[must_use]
    pub fn state(&self, agent: AgentId) -> AgentState {
        let now = self.clock.now();
        self.lock().state(agent, now)
    }

    /// The agents online now on any node, in id order.
    #[must_use]
    pub fn online(&self) -> Vec<AgentId> {
        let now = self.clock.now();
        let all = self.lock();
        let mut ids: Vec<AgentId> = all
            .local
            .keys()
            .chain(all.remote.fresh(now).flat_map(HashMap::keys))
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|a| all.state(*a, now) == AgentState::Online);
        ids
    }

    /// What this node holds, for the others: agent and away, in id order.
    #[must_use]
    pub fn local(&self) -> Vec<(AgentId, bool)> {
        let all = self.lock();
        let mut out: Vec<(AgentId, bool)> = all
            .local
            .iter()
            .filter(|(_, e)| e.tabs > 0)
            .map(|(a, e)| (*a, e.away))
            .collect();
        out.sort_unstable();
        out
    }

    /// The handle woken on every local change.
    #[must_use]
    pub fn changed(&self) -> Arc<Notify> {
        Arc::clone(&self.changed)
    }

    /// Takes what `node` holds now (`None`: it stopped), heard at `now`. Returns the agents
    /// whose state changed here, and whether `node` was new (or had expired) to this node.
    pub fn heard(
        &self,
        node: &str,
        agents: Option<&[(AgentId, bool)]>,
        now: Timestamp,
    ) -> (Vec<AgentId>, bool) {
        let agents: Option<HashMap<AgentId, bool>> =
            agents.map(|list| list.iter().copied().collect());
        let mut all = self.lock();
        let (touched, new_node) = all.remote.touched(node, agents.as_ref(), now);
        let before: Vec<AgentState> = touched.iter().map(|a| all.state(*a, now)).collect();
        all.remote.set(node, agents, now);
        let changed = touched
            .into_iter()
            .zip(before)
            .filter(|(a, was)| all.state(*a, now) != *was)
            .map(|(a, _)| a)
            .collect();
        (changed, new_node)
    }

    /// Forgets the nodes not heard from in time; returns the agents they held (whose state may
    /// have changed since it was last announced).
    pub fn expire(&self, now: Timestamp) -> Vec<AgentId> {
        self.lock().remote.expire(now)
    }

    fn leave(&self, agent: AgentId) -> bool {
        let mut all = self.lock();
        let Some(e) = all.local.get_mut(&agent) else {
            return false;
        };
        e.tabs = e.tabs.saturating_sub(1);
        if e.tabs == 0 {
            all.local.remove(&agent);
            return true;
        }
        false
    }
}

/// One open workspace tab or chat socket; closing it is dropping this.
#[derive(Debug)]
pub struct OnDesk {
    presence: Arc<DeskPresence>,
    agent: AgentId,
    events: broadcast::Sender<Event>,
}

impl Drop for OnDesk {
    fn drop(&mut self) {
        if self.presence.leave(self.agent) {
            self.presence.changed.notify_one();
            let _ = self
                .events
                .send(Event::AgentPresenceChanged { agent: self.agent });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::presence::EXPIRY_MS;

    #[test]
    fn tabs_make_an_agent_online_away_and_offline() {
        let (tx, mut rx) = broadcast::channel(16);
        let p = Arc::new(DeskPresence::default());
        let a = AgentId(7);
        assert_eq!(p.state(a), AgentState::Offline);
        assert!(!p.set_away(a, true, &tx), "offline stays offline");
        let first = p.enter(a, tx.clone());
        let second = p.enter(a, tx.clone());
        assert_eq!(p.state(a), AgentState::Online);
        assert!(p.set_away(a, true, &tx));
        assert!(!p.set_away(a, true, &tx), "no change, no event");
        assert_eq!(p.state(a), AgentState::Away);
        drop(first);
        assert_eq!(p.state(a), AgentState::Away, "one tab still open");
        drop(second);
        assert_eq!(p.state(a), AgentState::Offline);
        // A new tab starts online, not away.
        let third = p.enter(a, tx.clone());
        assert_eq!(p.state(a), AgentState::Online);
        drop(third);
        let mut n = 0;
        while let Ok(e) = rx.try_recv() {
            assert!(matches!(e, Event::AgentPresenceChanged { agent } if agent == a));
            n += 1;
        }
        // online, away, offline, online, offline.
        assert_eq!(n, 5);
    }

    fn at(clock: &Clock, ms: i64) -> Timestamp {
        clock.set(Timestamp(ms));
        clock.now()
    }

    #[test]
    fn other_nodes_count_until_they_stop_or_expire() {
        let (tx, _rx) = broadcast::channel(16);
        let clock = Arc::new(Clock::default());
        let p = Arc::new(DeskPresence::new(Arc::clone(&clock), Arc::default()));
        let (a, b, c) = (AgentId(1), AgentId(2), AgentId(3));
        let t0 = at(&clock, 1_000_000);
        let (changed, new) = p.heard("n2", Some(&[(a, false), (b, true)]), t0);
        assert!(new, "a node heard for the first time");
        assert_eq!(changed, vec![a, b]);
        assert_eq!(p.state(a), AgentState::Online);
        assert_eq!(p.state(b), AgentState::Away);
        assert_eq!(p.online(), vec![a]);
        assert!(p.local().is_empty(), "only this node's own go out");
        // Online here beats away there; away there does not make a local tab away.
        let tab = p.enter(b, tx.clone());
        assert_eq!(p.state(b), AgentState::Online);
        assert_eq!(p.local(), vec![(b, false)]);
        // A heartbeat that changes nothing changes nothing.
        let t1 = at(&clock, t0.0 + 10_000);
        assert_eq!(
            p.heard("n2", Some(&[(a, false), (b, true)]), t1),
            (vec![], false)
        );
        // a moves to a third node and leaves the second.
        let (changed, new) = p.heard("n3", Some(&[(a, false), (c, false)]), t1);
        assert!(new);
        assert_eq!(changed, vec![c], "a was online already");
        let (changed, _) = p.heard("n2", Some(&[(b, true)]), t1);
        assert!(changed.is_empty(), "a is still online on n3");
        // n2 stops cleanly: b is still online here.
        let (changed, _) = p.heard("n2", None, t1);
        assert!(changed.is_empty());
        // n3 goes silent: it counts up to EXPIRY_MS after it was last heard, then not.
        at(&clock, t1.0 + EXPIRY_MS);
        assert_eq!(p.state(c), AgentState::Online);
        let late = at(&clock, t1.0 + EXPIRY_MS + 1);
        assert_eq!(p.state(a), AgentState::Offline);
        assert_eq!(p.state(c), AgentState::Offline);
        assert_eq!(p.online(), vec![b]);
        assert_eq!(p.expire(late), vec![a, c]);
        assert!(p.expire(late).is_empty(), "forgotten once");
        // Heard again after it expired, it is new again (and says who it has).
        let (changed, new) = p.heard("n3", Some(&[(c, false)]), late);
        assert!(new);
        assert_eq!(changed, vec![c]);
        drop(tab);
    }
}
