//! Agents' presence on the desk (online, away, offline), like ticket presence
//! (`crate::presence`): each open workspace tab holds its event stream
//! (`GET /agent/events?desk=1`), and that stream holds a [`OnDesk`] guard. No open tab is
//! offline; an open tab is online unless the agent is away (said so, or the page saw no
//! activity for a while and told the server). Changes are announced as
//! [`Event::AgentPresenceChanged`]. Kept in memory only: after a restart the tabs reconnect.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::AgentId;
use tokio::sync::broadcast;

use crate::Event;
use crate::routing::AgentState;

#[derive(Debug, Default)]
struct Entry {
    tabs: u32,
    away: bool,
}

/// Workspace tabs and away flags per agent.
#[derive(Debug, Default)]
pub struct DeskPresence {
    agents: Mutex<HashMap<AgentId, Entry>>,
}

impl DeskPresence {
    /// One open workspace tab of `agent`, until the guard drops. A first tab comes online.
    #[must_use]
    pub fn enter(self: &Arc<Self>, agent: AgentId, events: broadcast::Sender<Event>) -> OnDesk {
        let changed = {
            let mut all = self.agents.lock().unwrap_or_else(PoisonError::into_inner);
            let e = all.entry(agent).or_default();
            e.tabs += 1;
            if e.tabs == 1 {
                e.away = false;
            }
            e.tabs == 1
        };
        if changed {
            let _ = events.send(Event::AgentPresenceChanged { agent });
        }
        OnDesk {
            presence: Arc::clone(self),
            agent,
            events,
        }
    }

    /// Marks `agent` away or back. Returns whether the state changed; an agent with no tab
    /// open stays offline.
    pub fn set_away(&self, agent: AgentId, away: bool, events: &broadcast::Sender<Event>) -> bool {
        let changed = {
            let mut all = self.agents.lock().unwrap_or_else(PoisonError::into_inner);
            match all.get_mut(&agent) {
                Some(e) if e.tabs > 0 && e.away != away => {
                    e.away = away;
                    true
                }
                _ => false,
            }
        };
        if changed {
            let _ = events.send(Event::AgentPresenceChanged { agent });
        }
        changed
    }

    #[must_use]
    pub fn state(&self, agent: AgentId) -> AgentState {
        let all = self.agents.lock().unwrap_or_else(PoisonError::into_inner);
        match all.get(&agent) {
            Some(e) if e.tabs > 0 && e.away => AgentState::Away,
            Some(e) if e.tabs > 0 => AgentState::Online,
            _ => AgentState::Offline,
        }
    }

    fn leave(&self, agent: AgentId) -> bool {
        let mut all = self.agents.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(e) = all.get_mut(&agent) else {
            return false;
        };
        e.tabs = e.tabs.saturating_sub(1);
        if e.tabs == 0 {
            all.remove(&agent);
            return true;
        }
        false
    }
}

/// One open workspace tab; closing it is dropping this.
#[derive(Debug)]
pub struct OnDesk {
    presence: Arc<DeskPresence>,
    agent: AgentId,
    events: broadcast::Sender<Event>,
}

impl Drop for OnDesk {
    fn drop(&mut self) {
        if self.presence.leave(self.agent) {
            let _ = self
                .events
                .send(Event::AgentPresenceChanged { agent: self.agent });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
