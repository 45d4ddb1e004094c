//! The walletdesk HTTP server: pages for wallet users and agents, and the JSON API.
//!
//! * [`router::router`] lists every route; handlers live in `routes/` (HTML) and `api/` (JSON),
//!   one small module per resource.
//! * [`AppState`] is everything a handler may use; there is no global state.
//! * Every piece of user text goes through `domain::Redacted` before the store sees it.

pub mod article_vectors;
pub mod assist;
pub mod auth;
pub mod brand;
pub mod chat;
pub mod client;
pub mod cluster;
pub mod config;
pub mod datadir;
pub mod demo;
pub mod error;
pub mod help;
pub use ::i18n;
pub mod idempotency;
pub mod jobs;
pub mod limit;
pub mod mail;
pub mod model;
pub mod offline_check;
pub mod once;
pub mod onchain;
pub mod presence;
// The agents' workspace (issue 11, desk): agent presence and chat routing.
pub mod desk;
pub mod desk_presence;
pub mod desk_routing;
mod desk_text;
pub mod query_guard;
pub mod router;
pub mod routing;
pub mod search_log;
pub mod serve;
pub mod sla_cache;
mod verify;
pub mod web;

mod address_proof;
mod api;
mod attachments;
mod images;
mod routes;
mod tickets;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use domain::{TicketId, Timestamp};
use store::Store;
use tokio::sync::broadcast;

pub use config::Config;

/// The clock. Tests fix it to make SLA timers deterministic.
#[derive(Debug, Default)]
pub struct Clock {
    /// Milliseconds to report instead of the system time, when non-zero.
    fixed: AtomicI64,
}

impl Clock {
    #[must_use]
    pub fn now(&self) -> Timestamp {
        match self.fixed.load(Ordering::Relaxed) {
            0 => {
                let ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
                Timestamp(ms)
            }
            ms => Timestamp(ms),
        }
    }

    /// [`Clock::now`] for the pure crates that take a `jiff` time (`ownership`).
    #[must_use]
    pub fn now_timestamp(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.now().0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// Fixes the clock (tests only; 0 returns to the system time).
    pub fn set(&self, t: Timestamp) {
        self.fixed.store(t.0, Ordering::Relaxed);
    }
}

/// Something agents' open pages should know about at once. Every event on a node's
/// broadcast reaches the other nodes on the same database too (`cluster.rs`), so a variant
/// carries ids, not text, and can be read back (`Deserialize`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    TicketCreated {
        ticket: TicketId,
    },
    TicketUpdated {
        ticket: TicketId,
    },
    MessageAdded {
        ticket: TicketId,
    },
    /// An agent opened or left the ticket's page. Like `AgentPresenceChanged`, raised by each
    /// node for its own pages and never relayed: the nodes share presence as snapshots
    /// (`cluster/presence.rs`) and each says what changed for it.
    PresenceChanged {
        ticket: TicketId,
    },
    // Live chat (`chat/`): ids and already-redacted text only, so they may cross nodes.
    /// A chat message, stored (its text is the redacted text).
    ChatMessage {
        ticket: TicketId,
        message: chat::protocol::WireMessage,
    },
    ChatTyping {
        ticket: TicketId,
        sender: store::ChatSender,
        typing: bool,
    },
    /// `reader`'s client got the other side's messages up to `up_to`.
    ChatDelivered {
        ticket: TicketId,
        reader: store::ChatSender,
        up_to: domain::MessageId,
    },
    ChatRead {
        ticket: TicketId,
        reader: store::ChatSender,
        up_to: domain::MessageId,
    },
    /// A chat waits for a person.
    ChatQueued {
        ticket: TicketId,
        lang: domain::Lang,
    },
    ChatAccepted {
        ticket: TicketId,
        agent: domain::AgentId,
        agent_name: String,
    },
    ChatEnded {
        ticket: TicketId,
        /// The chat goes on as a follow-up ticket (not solved): nothing to rate yet.
        #[serde(default)]
        follow_up: bool,
    },
    ChatRated {
        ticket: TicketId,
        score: u8,
    },
    // The workspace's routing of waiting chats (`desk_routing`).
    /// A waiting chat is offered to `agent`, who may accept or decline it until `expires_at`.
    ChatOffered {
        ticket: TicketId,
        agent: domain::AgentId,
        expires_at: Timestamp,
    },
    /// `agent`'s offer of the chat ended unanswered: `declined` or `timeout`.
    ChatOfferEnded {
        ticket: TicketId,
        agent: domain::AgentId,
        reason: String,
    },
    /// An agent came online, went away or offline (`desk_presence`), on this node or another.
    AgentPresenceChanged {
        agent: domain::AgentId,
    },
    /// Something nodes cache changed; each node reloads it (`cluster.rs`).
    CacheChanged {
        what: cluster::Cache,
    },
    /// Events may have been missed (the link between nodes was lost, or a page's stream
    /// reconnected): pages reload everything they show. Never sent to other nodes as such.
    Resync,
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub i18n: Arc<i18n::I18n>,
    pub limiter: Arc<limit::RateLimiter>,
    /// Sign-in failures per address and client (`limit::Backoff`).
    pub backoff: Arc<limit::Backoff>,
    /// Sessions just started by a one-time link, which may set a password without the old one.
    pub link_grace: Arc<routes::agent::password::LinkGrace>,
    pub clock: Arc<Clock>,
    pub events: broadcast::Sender<Event>,
    /// The help-center search index (`<data_dir>/index`), rebuilt from the store when missing.
    pub search: Arc<help::SearchIndex>,
    /// The self-service assistant over the published articles.
    pub assistant: Arc<assist::Shared>,
    /// The optional model endpoints the assistant may use.
    pub models: Arc<model::Models>,
    /// Searches waiting to be written to the store's search log, in batches.
    pub search_log: Arc<search_log::SearchLog>,
    /// The brand pages show: the configuration's with the admin's overrides.
    pub brand: Arc<brand::BrandCache>,
    /// Derives access-link tokens for mail (`mail.rs`); kept in the data directory, never in
    /// the database.
    pub link_key: Arc<mail::LinkKey>,
    /// Which agents have which tickets open, on every node.
    pub presence: Arc<presence::Presence>,
    /// Which agents are online, away or offline on the desk (workspace and chat), on every
    /// node: the one presence the workspace, routing and the chat's queue read.
    pub desk_presence: Arc<desk_presence::DeskPresence>,
    /// Live chat on this node: its user sockets by conversation (`chat::Hub`).
    pub chat: Arc<chat::Hub>,
    /// Secrets a page shows once after a form (post/redirect/get), in memory only.
    pub once: Arc<once::OneTime>,
    /// The SLA policy new tickets are timed with.
    pub sla: Arc<sla_cache::SlaCache>,
    /// Passkey ceremonies started and not yet finished, in memory only (`auth::passkey`).
    pub passkeys: Arc<auth::passkey::Ceremonies>,
    /// This process among the others on the same database (`cluster.rs`).
    pub node: Arc<cluster::Node>,
    /// The configured chains for on-chain diagnosis (`onchain`), with their short cache.
    pub chains: Arc<chain_client::Chains>,
    /// Serialises this node's routing rounds (`desk_routing`).
    pub routing: Arc<desk_routing::Routing>,
}

impl AppState {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, config: Config) -> AppState {
        let (events, _) = broadcast::channel(256);
        if let Err(e) = datadir::prepare(&config.data_dir) {
            tracing::error!(error = %e, dir = %config.data_dir.display(), "data directory: cannot make it owner-only");
        }
        let link_key = mail::LinkKey::load_or_create(&config.data_dir).unwrap_or_else(|e| {
            // Mail queued now could not be rendered after a restart; tickets still open.
            tracing::error!(error = %e, "link key unusable; using a key in memory");
            mail::LinkKey::random().expect("the operating system's random source works")
        });
        let dir = config.data_dir.join("index");
        let search = help::SearchIndex::open_or_create(&dir).unwrap_or_else(|e| {
            // The desk still works without search; the index is rebuilt on the next start.
            tracing::error!(error = %e, dir = %dir.display(), "search index unusable; using memory");
            help::SearchIndex::in_memory().expect("an in-memory index can always be made")
        });
        let chains = Arc::new(onchain::chains(&config));
        let clock = Arc::new(Clock::default());
        // Both presences wake the cluster relay, which tells the other nodes (`cluster/presence.rs`).
        let presence_changed = Arc::new(tokio::sync::Notify::new());
        AppState {
            search: Arc::new(search),
            assistant: Arc::new(assist::Shared::default()),
            models: Arc::new(model::Models::new(&config.assistant)),
            search_log: Arc::new(search_log::SearchLog::new(Arc::clone(&store))),
            node: Arc::new(cluster::Node::new(store.as_ref())),
            store,
            limiter: Arc::new(limit::RateLimiter::new(config.limits.window_secs)),
            backoff: Arc::new(limit::Backoff::default()),
            link_grace: Arc::default(),
            config: Arc::new(config),
            i18n: Arc::new(i18n::I18n::default()),
            presence: Arc::new(presence::Presence::new(
                Arc::clone(&clock),
                Arc::clone(&presence_changed),
            )),
            desk_presence: Arc::new(desk_presence::DeskPresence::new(
                Arc::clone(&clock),
                presence_changed,
            )),
            chat: Arc::default(),
            clock,
            brand: Arc::new(brand::BrandCache::default()),
            link_key: Arc::new(link_key),
            once: Arc::new(once::OneTime::default()),
            sla: Arc::new(sla_cache::SlaCache::default()),
            passkeys: Arc::default(),
            chains,
            routing: Arc::default(),
            events,
        }
    }

    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The brand to show now: cached, or the configuration's until the cache is filled.
    #[must_use]
    pub fn brand(&self) -> Arc<config::Brand> {
        self.brand.get(&self.config.brand)
    }

    /// Counts one attempt at `what` (`reply:ticket`, `search:client`…) by `key` against `max`
    /// per `[limits] window_secs`.
    ///
    /// # Errors
    /// [`error::ApiError::RateLimited`] with the seconds until the window ends.
    pub fn limit(&self, what: &str, key: &str, max: u32) -> Result<(), error::ApiError> {
        match self.limiter.wait(&format!("{what}:{key}"), max) {
            None => Ok(()),
            Some(retry_after_secs) => {
                tracing::info!(limit = what, retry_after_secs, "rate limited");
                Err(error::ApiError::RateLimited { retry_after_secs })
            }
        }
    }

    /// Spends one request of `class` by `client` outside the rate-limit layer, for work a
    /// cheap route does on the side (an article's view event).
    ///
    /// # Errors
    /// [`error::ApiError::RateLimited`] with the seconds until the window ends.
    pub fn spend(
        &self,
        class: limit::Class,
        client: &client::Client,
    ) -> Result<(), error::ApiError> {
        match limit::spend(
            &self.limiter,
            &self.config.limits,
            class,
            &client.key(),
            None,
        ) {
            None => Ok(()),
            Some(retry_after_secs) => Err(error::ApiError::RateLimited { retry_after_secs }),
        }
    }

    /// Tells open pages, on every node; nobody listening is fine.
    pub fn publish(&self, e: Event) {
        let _ = self.events.send(e);
    }

    /// Tells the other nodes that `what` changed, after this node refreshed its own copy.
    pub fn cache_changed(&self, what: cluster::Cache) {
        self.publish(Event::CacheChanged { what });
    }
}
