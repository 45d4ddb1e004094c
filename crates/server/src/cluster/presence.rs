//! One presence across nodes: which agents are on the desk (`crate::desk_presence`) and who has
//! which ticket open (`crate::presence`), on every node, with no store of its own.
//!
//! Each node sends what it holds itself — a [`Snapshot`]: agents with a workspace tab or chat
//! socket open here (and whether away), tickets open here (and by whom) — on the cluster link,
//! whenever it changes (a burst of changes goes as one) and every [`HEARTBEAT`] in any case. A
//! node that hears a snapshot keeps it under the sender's id, stamped with its own clock, and
//! answers a sender it did not know (or had forgotten) with its own at once, so a node that
//! starts learns the others' presence in one round trip. Reading presence merges this node's
//! own with every snapshot heard within [`EXPIRY_MS`]: a node killed without a word (or cut
//! off) stops counting that long after its last heartbeat, and [`sweep`] (every [`SWEEP`])
//! then tells the pages. A node that stops cleanly says so ([`leave`]) and is forgotten at once.
//!
//! Snapshots replace each other whole, so a lost one is made good by the next, and ordering does
//! not matter beyond "the newest wins". The presence events (`PresenceChanged`,
//! `AgentPresenceChanged`) do not cross nodes themselves: each node derives them from the
//! snapshots, when what it shows changes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use domain::{AgentId, TicketId, Timestamp};
use serde::{Deserialize, Serialize};

use super::Envelope;
use crate::{AppState, Event};

/// How often a node repeats its snapshot when nothing changed: its heartbeat.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// How long (milliseconds) a node's snapshot counts after it was heard: three heartbeats.
pub const EXPIRY_MS: i64 = 30_000;
/// How often a node forgets silent nodes and tells its pages; a killed node's agents are
/// offline on every page within `EXPIRY_MS` + `SWEEP`.
pub const SWEEP: Duration = Duration::from_secs(5);

/// Whether something heard at `heard` still counts at `now`.
#[must_use]
pub fn fresh(heard: Timestamp, now: Timestamp) -> bool {
    now.0.saturating_sub(heard.0) <= EXPIRY_MS
}

/// What the other nodes last said they hold (`K` → `V`), by node id, each with when it was
/// heard: ticket viewers (`crate::presence`) and agents on the desk (`crate::desk_presence`)
/// keep theirs in one. Only what was heard within [`EXPIRY_MS`] counts.
#[derive(Debug)]
pub(crate) struct OtherNodes<K, V> {
    nodes: HashMap<String, Heard<K, V>>,
}

#[derive(Debug)]
struct Heard<K, V> {
    at: Timestamp,
    held: HashMap<K, V>,
}

impl<K, V> Default for OtherNodes<K, V> {
    fn default() -> Self {
        OtherNodes {
            nodes: HashMap::new(),
        }
    }
}

impl<K: Copy + Ord + Hash, V> OtherNodes<K, V> {
    /// What each node heard from in time holds.
    pub(crate) fn fresh(&self, now: Timestamp) -> impl Iterator<Item = &HashMap<K, V>> {
        self.nodes
            .values()
            .filter(move |h| fresh(h.at, now))
            .map(|h| &h.held)
    }

    /// What news from `node` holding `held` now (`None`: it stopped) may change: the keys it
    /// held (if heard in time) and holds, each once, in order; and whether `node` is new here
    /// (or had expired).
    pub(crate) fn touched(
        &self,
        node: &str,
        held: Option<&HashMap<K, V>>,
        now: Timestamp,
    ) -> (Vec<K>, bool) {
        let old = self.nodes.get(node).filter(|h| fresh(h.at, now));
        let new_node = old.is_none();
        let mut touched: Vec<K> = old
            .map(|h| h.held.keys().copied().collect())
            .unwrap_or_default();
        touched.extend(held.into_iter().flat_map(HashMap::keys).copied());
        touched.sort_unstable();
        touched.dedup();
        (touched, new_node)
    }

    /// Keeps what `node` holds now, heard at `now`; `None` (it stopped) forgets it.
    pub(crate) fn set(&mut self, node: &str, held: Option<HashMap<K, V>>, now: Timestamp) {
        match held {
            Some(held) => {
                self.nodes.insert(node.to_owned(), Heard { at: now, held });
            }
            None => {
                self.nodes.remove(node);
            }
        }
    }

    /// Forgets the nodes not heard from in time; returns the keys they held, each once, in
    /// order.
    pub(crate) fn expire(&mut self, now: Timestamp) -> Vec<K> {
        let stale: Vec<String> = self
            .nodes
            .iter()
            .filter(|(_, h)| !fresh(h.at, now))
            .map(|(n, _)| n.clone())
            .collect();
        let mut out: Vec<K> = stale
            .iter()
            .filter_map(|n| self.nodes.remove(n))
            .flat_map(|h| h.held.into_keys())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// What one node holds of the presence: ids only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Agents on the desk on the node, and whether away.
    #[serde(default)]
    pub agents: Vec<(AgentId, bool)>,
    /// Tickets open on the node, and who has them open.
    #[serde(default)]
    pub tickets: Vec<(TicketId, Vec<AgentId>)>,
    /// The node is stopping: forget it now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
}

/// This node's snapshot now.
#[must_use]
pub fn snapshot(state: &AppState) -> Snapshot {
    Snapshot {
        agents: state.desk_presence.local(),
        tickets: state.presence.local(),
        gone: false,
    }
}

/// Takes `node`'s snapshot, tells this node's pages what changed, and returns whether `node`
/// was new (or forgotten) here, so that it should hear this node's snapshot.
pub fn heard(state: &AppState, node: &str, s: &Snapshot) -> bool {
    let now = state.now();
    let (agents, new) =
        state
            .desk_presence
            .heard(node, (!s.gone).then_some(s.agents.as_slice()), now);
    let tickets = state
        .presence
        .heard(node, (!s.gone).then_some(s.tickets.as_slice()), now);
    for agent in agents {
        state.publish(Event::AgentPresenceChanged { agent });
    }
    for ticket in tickets {
        state.publish(Event::PresenceChanged { ticket });
    }
    new && !s.gone
}

/// Forgets the nodes not heard from within [`EXPIRY_MS`] and tells this node's pages about the
/// agents and tickets they held.
pub fn sweep(state: &AppState) {
    let now = state.now();
    for agent in state.desk_presence.expire(now) {
        tracing::info!(agent.id = %agent, "cluster: an agent's node went silent");
        state.publish(Event::AgentPresenceChanged { agent });
    }
    for ticket in state.presence.expire(now) {
        state.publish(Event::PresenceChanged { ticket });
    }
}

fn payload(state: &AppState, s: Snapshot) -> Option<String> {
    serde_json::to_string(&Envelope {
        node: state.node.id.clone(),
        events: Vec::new(),
        presence: Some(s),
    })
    .ok()
}

/// Sends this node's snapshot on every local change and every [`HEARTBEAT`]; runs until
/// aborted.
pub(super) async fn announce(state: AppState, link: Arc<dyn store::Cluster>) {
    let changed = state.desk_presence.changed();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = changed.notified() => {}
            _ = heartbeat.tick() => {}
        }
        let Some(p) = payload(&state, snapshot(&state)) else {
            continue;
        };
        if let Err(e) = link.notify(&p).await {
            // The others keep the last snapshot until it expires; the next heartbeat retries.
            tracing::warn!(error = %e, "cluster: could not send presence to other nodes");
        }
    }
}

/// Runs [`sweep`] every [`SWEEP`]; runs until aborted.
pub(super) async fn sweeper(state: AppState) {
    let mut every = tokio::time::interval(SWEEP);
    loop {
        every.tick().await;
        sweep(&state);
    }
}

/// Tells the other nodes that this one is stopping, so its agents go offline there now rather
/// than after [`EXPIRY_MS`]. Nothing on one node.
pub async fn leave(state: &AppState) {
    let Some(link) = state.node.link.as_ref() else {
        return;
    };
    let gone = Snapshot {
        gone: true,
        ..Snapshot::default()
    };
    if let Some(p) = payload(state, gone)
        && let Err(e) = link.notify(&p).await
    {
        tracing::warn!(error = %e, "cluster: could not tell other nodes this one stops");
    }
}
