//! Several `walletdesk serve` processes ("nodes") on one PostgreSQL database, with no broker
//! beside it. Three things cross nodes, all through [`store::Cluster`] (PostgreSQL's
//! `LISTEN`/`NOTIFY` and advisory locks, offered by the store backend; the server names no
//! database crate):
//!
//! * **Events.** Every [`Event`] on a node's local broadcast (`AppState::events`, whoever sent
//!   it) is sent to the other nodes as `{"node": <sender's id>, "events": [...]}` on one
//!   channel (what queued up while the last notification was sent goes together), and
//!   every node puts the events of the others on its own broadcast ([`start`]). A node skips
//!   its own notifications (PostgreSQL delivers them to the sender too), and an event it put on
//!   its broadcast from another node is not sent back out, so nothing loops. Events carry ids,
//!   not text; a payload over PostgreSQL's 8000 bytes travels as a reference to a row
//!   (`store-postgres/src/cluster.rs`). A variant added to [`Event`] crosses nodes as it is.
//! * **Caches.** A write that changes something nodes cache publishes
//!   [`Event::CacheChanged`]; the node that wrote has already refreshed its own, the others
//!   refresh theirs when it arrives ([`refresh`]): the brand, the SLA policy, the help
//!   center's search index and the assistant (each node keeps its own index in its own data
//!   directory and rebuilds it from the store).
//! * **Presence.** Who is on the desk and who has which ticket open: each node sends what it
//!   holds on the same channel, on change and as a heartbeat, and counts what it heard from
//!   the others until they stop or go silent ([`presence`]).
//! * **Timed work on one node at a time.** [`Node::try_lock`] takes an advisory lock per job
//!   (`jobs.rs` per tick, the IMAP fetcher for as long as it runs, first-start work).
//!
//! When the link is lost, nothing sent meanwhile is replayed (PostgreSQL does not keep
//! notifications): the node listens again with back-off, refreshes every cache, and puts
//! [`Event::Resync`] on its broadcast so that open pages reload what they show. A page whose
//! own stream broke (its node died, the balancer sent it elsewhere) hears `resync` first on
//! the new stream (`routes/agent/events.rs`, by the `Last-Event-ID` every `EventSource` sends
//! when it reconnects).
//!
//! On SQLite there is one node: no link, every lock is granted, nothing is sent.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use store::{LockGuard, Store, StoreError};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

use crate::{AppState, Event};

pub mod presence;

/// What a node caches that a write on another node makes stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cache {
    /// The admin's brand override, official channels included (`brand.rs`).
    Brand,
    /// The SLA policy new tickets are timed with (`sla_cache.rs`).
    Sla,
    /// The published articles: the search index and the assistant (`help.rs`, `assist.rs`).
    Help,
}

impl Cache {
    pub const ALL: [Cache; 3] = [Cache::Brand, Cache::Sla, Cache::Help];
}

/// Work that one node at a time may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// One tick of `jobs::run` (auto-close, log pruning, key purge).
    Timed,
    /// The IMAP fetcher, for as long as it runs.
    Imap,
    /// First-start work: migrations, demo content, the first admin.
    Prepare,
    /// One round of routing waiting chats (`desk_routing`).
    ChatRouting,
}

impl Job {
    /// The advisory lock's key: "wd" and a number, so it does not meet another program's.
    #[must_use]
    pub fn key(self) -> i64 {
        0x7764_0000
            + match self {
                Job::Timed => 1,
                Job::Imap => 2,
                Job::Prepare => 3,
                Job::ChatRouting => 4,
            }
    }
}

/// This process as one of the nodes on a database.
#[derive(Debug)]
pub struct Node {
    /// Random per start: tells this node's notifications from the others'.
    pub id: String,
    link: Option<Arc<dyn store::Cluster>>,
}

/// A held [`Node::try_lock`]; dropping it releases the lock.
#[derive(Debug)]
pub struct Held(#[expect(dead_code, reason = "held for its Drop")] Option<Box<dyn LockGuard>>);

impl Node {
    /// The node for `store`: linked to the others when the backend can be shared.
    #[must_use]
    pub fn new(store: &dyn Store) -> Node {
        let mut bytes = [0u8; 8];
        // An id only has to differ between the nodes of one database; the clock does if the
        // random source does not.
        if getrandom::fill(&mut bytes).is_err() {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            bytes = (t as u64 ^ u64::from(std::process::id())).to_le_bytes();
        }
        Node {
            id: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            link: store.cluster(),
        }
    }

    /// Whether other processes may share the database (PostgreSQL).
    #[must_use]
    pub fn is_shared(&self) -> bool {
        self.link.is_some()
    }

    /// Takes `job`'s lock unless another node holds it (then `None`). Always granted on one
    /// node.
    ///
    /// # Errors
    /// The database cannot be reached.
    pub async fn try_lock(&self, job: Job) -> Result<Option<Held>, StoreError> {
        match &self.link {
            None => Ok(Some(Held(None))),
            Some(link) => Ok(link.try_lock(job.key()).await?.map(|g| Held(Some(g)))),
        }
    }

    /// Waits until `job`'s lock is free and takes it, trying every `every`.
    ///
    /// # Errors
    /// The database cannot be reached.
    pub async fn lock(&self, job: Job, every: Duration) -> Result<Held, StoreError> {
        loop {
            if let Some(held) = self.try_lock(job).await? {
                return Ok(held);
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// What travels between nodes: one node's events, in the order it published them, or its
/// presence (`presence.rs`).
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    node: String,
    events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    presence: Option<presence::Snapshot>,
}

/// Events put on the local broadcast from other nodes and not yet seen by the sending side,
/// by their JSON: those are not sent back out. Two equal events (one local, one from another
/// node) are interchangeable, so counting by content is exact enough: one of them goes out.
type Echoes = Arc<Mutex<HashMap<String, u32>>>;

/// The first wait before listening again after the link was lost; doubled up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Starts relaying events between this node and the others, refreshing caches when others say
/// they changed, and sharing presence; nothing on one node. The tasks run until aborted.
#[must_use]
pub fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let Some(link) = state.node.link.clone() else {
        return Vec::new();
    };
    let echoes: Echoes = Arc::default();
    // Subscribed now, before anything is published after start.
    let local = state.events.subscribe();
    let (caches, changed) = mpsc::unbounded_channel();
    vec![
        tokio::spawn(send_out(
            state.node.id.clone(),
            Arc::clone(&link),
            local,
            Arc::clone(&echoes),
        )),
        tokio::spawn(take_in(state.clone(), Arc::clone(&link), echoes, caches)),
        tokio::spawn(refresh_worker(state.clone(), changed)),
        tokio::spawn(presence::announce(state.clone(), link)),
        tokio::spawn(presence::sweeper(state.clone())),
    ]
}

/// Whether an event on the local broadcast goes to the other nodes: not a resync (each node
/// has its own reasons for one), and not a presence change (each node derives those from the
/// presence snapshots it hears, `presence.rs`, when what it shows changes).
fn travels(e: &Event) -> bool {
    !matches!(
        e,
        Event::Resync | Event::PresenceChanged { .. } | Event::AgentPresenceChanged { .. }
    )
}

async fn send_out(
    node: String,
    link: Arc<dyn store::Cluster>,
    mut local: broadcast::Receiver<Event>,
    echoes: Echoes,
) {
    loop {
        // The first event waits; whatever queued up behind it meanwhile goes in the same
        // notification (one round trip to the database for a burst, not one per event).
        let mut batch = Vec::new();
        let mut next = local.recv().await;
        loop {
            let (event, on_purpose) = match next {
                Ok(e) => (e, false),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    // Events went by unsent: the others cannot know which, so they reload
                    // all.
                    tracing::warn!(missed = n, "cluster: events not sent to other nodes");
                    echoes
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clear();
                    (Event::Resync, true)
                }
                Err(broadcast::error::RecvError::Closed) => return,
            };
            if let Some(json) = outgoing(&event, on_purpose, &echoes) {
                batch.push(json);
            }
            if batch.len() >= MAX_BATCH {
                break;
            }
            next = match local.try_recv() {
                Ok(e) => Ok(e),
                Err(broadcast::error::TryRecvError::Lagged(n)) => {
                    Err(broadcast::error::RecvError::Lagged(n))
                }
                Err(broadcast::error::TryRecvError::Closed) => {
                    Err(broadcast::error::RecvError::Closed)
                }
                Err(broadcast::error::TryRecvError::Empty) => break,
            };
        }
        if batch.is_empty() {
            continue;
        }
        let payload = format!(r#"{{"node":"{node}","events":[{}]}}"#, batch.join(","));
        if let Err(e) = link.notify(&payload).await {
            // The pages on other nodes miss these; they catch up on the next event or
            // reload.
            tracing::warn!(error = %e, events = batch.len(), "cluster: could not send events to other nodes");
        }
    }
}

/// The most events in one notification (a larger payload travels by reference, see
/// `store-postgres/src/cluster.rs`).
const MAX_BATCH: usize = 64;

/// `event` as JSON if it goes to the other nodes: not an echo of one that came from them, not
/// a local resync (a lag's resync, `on_purpose`, does go).
fn outgoing(event: &Event, on_purpose: bool, echoes: &Echoes) -> Option<String> {
    let json = serde_json::to_string(event).ok()?;
    {
        let mut echoes = echoes.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = echoes.get_mut(&json) {
            *n -= 1;
            if *n == 0 {
                echoes.remove(&json);
            }
            return None;
        }
    }
    (on_purpose || travels(event)).then_some(json)
}

async fn take_in(
    state: AppState,
    link: Arc<dyn store::Cluster>,
    echoes: Echoes,
    caches: mpsc::UnboundedSender<Cache>,
) {
    let mut backoff = FIRST_BACKOFF;
    let mut first = true;
    loop {
        let mut listener = match link.listen().await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, retry_in_ms = backoff.as_millis(), "cluster: cannot listen to other nodes");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        if !first {
            tracing::info!("cluster: listening to other nodes again; pages and caches reload");
            for c in Cache::ALL {
                let _ = caches.send(c);
            }
            let _ = state.events.send(Event::Resync);
            // The others may have forgotten this node meanwhile.
            state.desk_presence.changed().notify_one();
        }
        first = false;
        backoff = FIRST_BACKOFF;
        loop {
            let payload = match listener.recv().await {
                Ok(Some(p)) => p,
                Ok(None) => {
                    tracing::warn!("cluster: connection to other nodes lost");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cluster: connection to other nodes failed");
                    break;
                }
            };
            let envelope: Envelope = match serde_json::from_str(&payload) {
                Ok(e) => e,
                Err(e) => {
                    // A node of another version may send an event this one does not know; the
                    // pages reload rather than miss it.
                    tracing::warn!(error = %e, "cluster: an event this node cannot read");
                    let _ = state.events.send(Event::Resync);
                    continue;
                }
            };
            if envelope.node == state.node.id {
                continue;
            }
            if let Some(p) = &envelope.presence
                && presence::heard(&state, &envelope.node, p)
            {
                // A node this one did not know: it hears this node's presence now.
                state.desk_presence.changed().notify_one();
            }
            for event in envelope.events {
                take_one(&state, event, &echoes, &caches);
            }
        }
        drop(listener);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Puts one event from another node on the local broadcast.
fn take_one(
    state: &AppState,
    event: Event,
    echoes: &Echoes,
    caches: &mpsc::UnboundedSender<Cache>,
) {
    match event {
        Event::CacheChanged { what } => {
            let _ = caches.send(what);
        }
        // The sender lost events, a cache change among them perhaps.
        Event::Resync => {
            for c in Cache::ALL {
                let _ = caches.send(c);
            }
        }
        _ => {}
    }
    if let Ok(json) = serde_json::to_string(&event) {
        *echoes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(json)
            .or_default() += 1;
    }
    if state.events.send(event).is_err() {
        // Nobody listening locally, not even the sending side: forget the mark.
        echoes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// Refreshes the caches other nodes said changed, one at a time; a burst of changes to the
/// same thing costs one refresh.
async fn refresh_worker(state: AppState, mut changed: mpsc::UnboundedReceiver<Cache>) {
    while let Some(first) = changed.recv().await {
        let mut todo = BTreeSet::from([first]);
        while let Ok(more) = changed.try_recv() {
            todo.insert(more);
        }
        for what in todo {
            if let Err(e) = refresh(&state, what).await {
                tracing::warn!(cache = ?what, error = ?e, "cluster: cache refresh failed");
            }
        }
    }
}

/// Reloads `what` from the store.
///
/// # Errors
/// Storage or index failures; the cache keeps what it had.
pub async fn refresh(state: &AppState, what: Cache) -> Result<(), crate::error::ApiError> {
    match what {
        Cache::Brand => state.brand.reload(state).await,
        Cache::Sla => {
            state.sla.invalidate();
            Ok(())
        }
        Cache::Help => crate::help::reindex(state).await.map(|_| ()),
    }
}

/// What [`import_key`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// The directory had this key already.
    Same,
    Written,
}

/// Why a key was not imported.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not a key: expected the 64 hex digits `walletdesk keys export` prints")]
    Malformed,
    #[error(
        "this data directory has a different key; replacing it makes the TOTP secrets, anti-phishing codes and mailed links sealed with it unusable (pass --replace only on a node that has not served yet)"
    )]
    Different,
    #[error("the key file: {0}")]
    Io(#[from] std::io::Error),
}

/// The data directory's server key (`mail::LinkKey`, the file `link.key`) as hex; made
/// first if missing. Every node of one desk needs the same key: it signs mailed links and
/// CSRF tokens and seals TOTP secrets and anti-phishing codes, which any node must read.
///
/// # Errors
/// The key file cannot be read or made.
pub fn export_key(dir: &std::path::Path) -> Result<String, KeyError> {
    crate::mail::LinkKey::load_or_create(dir)?;
    let bytes = std::fs::read(dir.join(crate::mail::KEY_FILE))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Makes `hex` (from [`export_key`]) the data directory's server key.
///
/// # Errors
/// Not a key; a different key is there and `replace` is false; the file cannot be written.
pub fn import_key(dir: &std::path::Path, hex: &str, replace: bool) -> Result<Imported, KeyError> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(KeyError::Malformed);
    }
    let key: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| KeyError::Malformed))
        .collect::<Result<_, _>>()?;
    let path = dir.join(crate::mail::KEY_FILE);
    match std::fs::read(&path) {
        Ok(old) if old == key => return Ok(Imported::Same),
        Ok(_) if !replace => return Err(KeyError::Different),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    std::fs::create_dir_all(dir)?;
    crate::datadir::write_private(&path, &key)?;
    Ok(Imported::Written)
}
