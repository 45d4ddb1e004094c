//! The storage trait, in the desk's own words.
//!
//! One trait, [`Store`], used as `Arc<dyn Store>`; each backend is a crate of its own with its
//! own `migrations/`, numbered in lockstep. Times are [`Timestamp`]s passed in by the caller (the
//! store never reads a clock, so tests control time). Every write that returns `Ok` is durable.

use async_trait::async_trait;

mod auth;
mod chat;
pub use auth::{AuthStore, FactorsReset, NewPasskey, PasskeyRecord, SessionEntry, TotpRecord};
pub use chat::{
    ChatMessage, ChatSender, ChatState, ChatStore, Conversation, NewChat, NewChatMessage,
    QueuedChat,
};
mod desk;
pub use desk::{DeskAgentSettings, DeskStore};
pub mod cluster;
pub use cluster::{Cluster, Listener, LockGuard};
mod mail_in;
mod notify;
use domain::sla::SlaPolicy;
use domain::{
    AgentId, ApiTokenId, ArticleId, AttachmentId, Author, CannedReplyId, Category, Channel,
    EmailAddress, Lang, MessageId, MessageKind, Priority, Redacted, Role, Status, TicketId,
    Timestamp,
};
pub use mail_in::{BounceRecord, MailInStore};
pub use notify::{CodeChange, MailSettings, MailWithLinks, NewCodeRequest, NotifyStore};
use serde::Serialize;

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value (an agent's e-mail, say) is taken.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The backend failed (connection, disk, constraint); the message is for logs, never users.
    #[error("storage backend: {0}")]
    Backend(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// SHA-256 of a secret token (access link, session, API token), hex. The store never sees
/// the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

// ---------------------------------------------------------------------------------------------
// Records

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agent {
    pub id: AgentId,
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    /// argon2id PHC string; never serialised.
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
    /// Given the [`domain::Permission::PublishArticles`] grant (admins have it anyway).
    pub can_publish: bool,
    pub lang: Lang,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewAgent {
    pub email: EmailAddress,
    pub name: Redacted,
    pub role: Role,
    pub password_hash: String,
    pub lang: Lang,
}

/// Structured fields a ticket carries, checked by the wallet crate on the way in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TicketFields {
    pub chain: Option<String>,
    /// Normalised transaction hash.
    pub tx_hash: Option<String>,
    /// Normalised address.
    pub address: Option<String>,
    pub app_version: Option<Redacted>,
    pub device_os: Option<Redacted>,
}

#[derive(Debug, Clone)]
pub struct NewTicket {
    pub requester: EmailAddress,
    pub category: Category,
    pub subject: Redacted,
    /// The first message.
    pub body: Redacted,
    pub fields: TicketFields,
    pub priority: Priority,
    /// Something secret was removed from what the user sent.
    pub secret_exposed: bool,
    pub lang: Lang,
    /// How it reached the desk (migration `0013_chat`).
    pub channel: Channel,
    pub access_token: TokenHash,
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub now: Timestamp,
    /// The mail that tells the requester the ticket is open, queued in the ticket's own
    /// transaction: a ticket that exists has its mail in the outbox, and one that does not has
    /// none.
    pub mail: Option<TicketMail>,
}

/// Builds a new ticket's outbox mail once the ticket (and so its number) exists; called by the
/// store inside the transaction that writes the ticket, so it must be quick and must not fail.
#[derive(Clone)]
pub struct TicketMail(std::sync::Arc<dyn Fn(&Ticket) -> NewMail + Send + Sync>);

impl TicketMail {
    pub fn new(build: impl Fn(&Ticket) -> NewMail + Send + Sync + 'static) -> TicketMail {
        TicketMail(std::sync::Arc::new(build))
    }

    /// The mail for `ticket`.
    #[must_use]
    pub fn build(&self, ticket: &Ticket) -> NewMail {
        (self.0)(ticket)
    }
}

impl std::fmt::Debug for TicketMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketMail(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub id: TicketId,
    pub requester: EmailAddress,
    pub category: Category,
    pub subject: Redacted,
    pub fields: TicketFields,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<AgentId>,
    pub tags: Vec<String>,
    pub secret_exposed: bool,
    pub lang: Lang,
    pub channel: Channel,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub solved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// Set when this ticket was merged into another; it is then closed.
    pub merged_into: Option<TicketId>,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// 1–5.
    pub score: u8,
    pub comment: Option<Redacted>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub author: Author,
    pub kind: MessageKind,
    pub body: Redacted,
    /// How many secrets were removed from it.
    pub secrets_removed: u32,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub ticket_id: TicketId,
    pub author: Author,
    pub kind: MessageKind,
    pub body: Redacted,
    pub secrets_removed: u32,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub ticket_id: TicketId,
    pub message_id: Option<MessageId>,
    /// The user's file name, sanitised.
    pub filename: String,
    /// `image/png`, `image/jpeg` or `image/webp`, from the content.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the stored (metadata-stripped) bytes, hex; also its name on disk.
    pub sha256: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub ticket_id: TicketId,
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub now: Timestamp,
}

/// A change an agent makes to a ticket; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct TicketUpdate {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<AgentId>>,
    /// Agents' words: redacted like any other text.
    pub tags: Option<Vec<Redacted>>,
    pub category: Option<Category>,
    /// The policy that counts the due times again when the priority changes
    /// ([`SlaPolicy::dues_after_priority_change`]); without it they stay.
    pub sla: Option<SlaPolicy>,
}

/// The inbox views. Each is also a filter of [`TicketQuery`].
///
/// `All` and `SecretExposed` show tickets that are not closed; `Unassigned`, `Mine`, `Urgent`
/// and `SlaAtRisk` only active ones (new, open, waiting on the user): work still to do. An
/// explicit [`TicketQuery::status`] replaces that status rule, except for `SlaAtRisk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Every ticket that is not closed.
    All,
    /// Active tickets nobody is assigned to.
    Unassigned,
    /// Active tickets assigned to this agent.
    Mine(AgentId),
    /// Active tickets of priority urgent.
    Urgent,
    /// Tickets not closed from whose text a secret was removed.
    SecretExposed,
    /// Active tickets whose first-response or resolution timer is breached or within a fifth
    /// of its target of breaching, at `TicketQuery::now`.
    SlaAtRisk,
}

/// What an inbox list asks for. Results come most recently updated first (then highest id).
#[derive(Debug, Clone)]
pub struct TicketQuery {
    pub view: View,
    pub status: Option<Status>,
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    /// Words that must all occur in the subject, a message (public or note), a field or the
    /// requester's address; substring match ignoring ASCII case, so `转账失败` and `pending`
    /// find what says so.
    pub search: Option<String>,
    pub now: Timestamp,
    pub limit: u32,
    pub offset: u32,
}

impl TicketQuery {
    #[must_use]
    pub fn view(view: View, now: Timestamp) -> TicketQuery {
        TicketQuery {
            view,
            status: None,
            category: None,
            priority: None,
            search: None,
            now,
            limit: 50,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketPage {
    pub tickets: Vec<Ticket>,
    /// All matching tickets, not only this page.
    pub total: u64,
}

pub use domain::csat::RatingEntry;

/// Counts for the inbox's sidebar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ViewCounts {
    pub all: u64,
    pub unassigned: u64,
    pub mine: u64,
    pub urgent: u64,
    pub secret_exposed: u64,
    pub sla_at_risk: u64,
    /// Tickets whose first response or resolution came (or is still missing) after its due
    /// time, ever. A closed ticket's timers stopped when it was closed; merged tickets are not
    /// counted (their conversation moved).
    pub sla_breached: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub agent_id: AgentId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The CSRF token bound to this session (random, not secret from the agent).
    pub csrf: String,
    /// Signed in completely: the second factor is done, or the agent needs none. A session
    /// that is not verified may only finish signing in.
    pub verified: bool,
    /// When a second factor (or, for an agent without one, the password) was last checked in
    /// this session: risky actions ask again when it is old (step-up).
    pub factor_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CannedReply {
    pub id: CannedReplyId,
    pub title: String,
    /// May use `{{requester_email}}`, `{{ticket_id}}`, `{{agent_name}}`, `{{subject}}`.
    pub body: String,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub agent_id: AgentId,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A challenge a ticket's requester signs to prove an address (text by `crates/ownership`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressChallenge {
    pub id: i64,
    pub ticket_id: TicketId,
    pub address: String,
    /// Single-use, unique across the desk.
    pub nonce: String,
    /// The exact text to sign.
    pub message: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// When a valid signature used it; `None` while open.
    pub verified_at: Option<Timestamp>,
    /// How it was proved (`ownership::Method` key), with `verified_at`.
    pub method: Option<String>,
}

/// What [`Store::create_address_challenge`] stores.
#[derive(Debug, Clone)]
pub struct NewAddressChallenge {
    pub ticket_id: TicketId,
    pub address: String,
    pub nonce: String,
    pub message: String,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: Option<AgentId>,
    /// `ticket.update`, `agent.create`, `sign_in`, `sign_in.failed`…
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
    pub at: Timestamp,
}

/// The first answer to a request sent with an `Idempotency-Key`, as kept for replaying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentReply {
    pub status: u16,
    /// The body, redacted, with any access link replaced by a placeholder.
    pub body: Redacted,
    /// What that link is derived from with the server's link key (no secret alone).
    pub link_seed: Option<String>,
}

/// What [`Store::claim_idempotency_key`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// The key is this request's now: answer it, then `finish` (or `release` on failure).
    Claimed,
    /// The first request with this key is still being answered.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
    /// Answered before: replay this.
    Done(IdempotentReply),
}

/// A mail waiting to be sent. The e-mail channel (a later issue) drains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMail {
    pub id: i64,
    pub to: EmailAddress,
    pub subject: String,
    /// The text, with `{{link}}` where a secret link goes (see `link_seed`).
    pub body_text: String,
    /// For mail with a secret link: a random value from which the server derives the link's
    /// token with a key that is not in the database. The token itself is never stored.
    pub link_seed: Option<String>,
    /// `ticket_created`, `agent_reply`, `sign_in_link`…
    pub kind: String,
    pub ticket_id: Option<TicketId>,
    /// The mail's language, for the lines the sender adds; `None` for mail queued before the
    /// outbox knew it (the sender then takes the ticket's, else English).
    pub lang: Option<Lang>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// Tries so far: counted when a sender claims the mail, so a try cut short by a crash counts.
    pub attempts: u32,
    /// The local part of the `Message-ID` (`<local@domain>`), written with the mail and the same
    /// on every try. A ticket's first mail has `t<ticket id>.<created_at>`, the thread root that
    /// the ticket's later mails refer to.
    pub message_id: String,
    /// When the mail is next due (0: at once).
    pub next_attempt_at: Timestamp,
    /// While set and in the future, a sender holds the mail; after it, anyone may claim it.
    pub lease_until: Option<Timestamp>,
    /// Why the last try failed (the SMTP server's answer), for the admin's list.
    pub last_error: Option<String>,
    /// Set when the last try failed: no more tries until an admin asks for one.
    pub failed_at: Option<Timestamp>,
}

impl OutboxMail {
    #[must_use]
    pub fn status(&self) -> MailStatus {
        if self.sent_at.is_some() {
            MailStatus::Sent
        } else if self.failed_at.is_some() {
            MailStatus::Failed
        } else {
            MailStatus::Pending
        }
    }
}

/// Where a mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
}

/// What the outbox holds, for the admin's page and the overview's warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MailCounts {
    /// Neither sent nor failed (due now or waiting for a later try).
    pub pending: u64,
    pub failed: u64,
}

/// How one try ended badly, for [`Store::mail_attempt_failed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFailure {
    /// The server's answer or the connection error; no body, no secret.
    pub error: String,
    /// The next try, or `None` when this was the last: the mail is then failed.
    pub retry_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct NewMail {
    pub to: EmailAddress,
    pub subject: Redacted,
    /// With `{{link}}` in place of a secret link, never the link itself.
    pub body_text: Redacted,
    /// See [`OutboxMail::link_seed`].
    pub link_seed: Option<String>,
    pub kind: String,
    pub ticket_id: Option<TicketId>,
    /// The language the mail is written in: the page's the request came from, or the agent's.
    pub lang: Lang,
    pub now: Timestamp,
}

// ---------------------------------------------------------------------------------------------
// Help center

/// Whether readers see an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Published,
}

impl ArticleStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
        }
    }

    /// # Errors
    /// Not a status key.
    pub fn parse(s: &str) -> Result<ArticleStatus, String> {
        match s {
            "draft" => Ok(ArticleStatus::Draft),
            "published" => Ok(ArticleStatus::Published),
            other => Err(format!("unknown article status `{other}`")),
        }
    }
}

/// A help-center article in one language. Translations share the slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub slug: String,
    pub lang: Lang,
    /// Help-center section (`restore`, `fees`…).
    pub category: String,
    /// Support topics it answers (`restore_mnemonic`…).
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
    pub title: String,
    pub summary: String,
    /// Markdown, written by agents.
    pub body: String,
    pub status: ArticleStatus,
    /// Increases with every saved edit; each is kept in [`ArticleVersion`]s.
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub views: i64,
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

/// The content of an article as an agent saves it. Saving an existing `(slug, lang)` is an
/// edit: a new version; the status stays as it was.
#[derive(Debug, Clone)]
pub struct ArticleDraft {
    pub slug: String,
    pub lang: Lang,
    pub category: String,
    pub topics: Vec<String>,
    pub keywords: Vec<Redacted>,
    pub title: Redacted,
    pub summary: Redacted,
    pub body: Redacted,
    pub author: Option<AgentId>,
    pub now: Timestamp,
}

/// One saved edit of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleVersion {
    pub article_id: ArticleId,
    pub version: i64,
    pub category: String,
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: Option<AgentId>,
    pub at: Timestamp,
}

/// A reader's "was this helpful?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleFeedback {
    pub article_id: ArticleId,
    pub helpful: bool,
    pub comment: Option<Redacted>,
    pub at: Timestamp,
}

/// The logs that grow with use and are pruned after a number of days
/// ([`Store::prune_log`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogTable {
    /// Help-center searches.
    SearchLog,
    /// Help events (articles opened, suggestions shown, tickets after a search).
    HelpEvents,
    /// Who did what.
    AuditLog,
}

impl LogTable {
    pub const ALL: [LogTable; 3] = [
        LogTable::SearchLog,
        LogTable::HelpEvents,
        LogTable::AuditLog,
    ];

    /// The table's name, also its name in logs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LogTable::SearchLog => "search_log",
            LogTable::HelpEvents => "help_events",
            LogTable::AuditLog => "audit_log",
        }
    }
}

/// What a help-center visitor did, for search analytics and deflection. `visitor` is a random
/// id from a cookie, never a person's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpEventKind {
    /// Opened an article.
    ArticleOpened,
    /// The ticket form showed matching articles.
    SuggestionsShown,
    /// Opened one of the ticket form's suggestions.
    SuggestionOpened,
    /// Submitted a ticket.
    TicketCreated,
    /// The assistant handed the visitor to a person.
    AssistantHandoff,
}

impl HelpEventKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            HelpEventKind::ArticleOpened => "article_opened",
            HelpEventKind::SuggestionsShown => "suggestions_shown",
            HelpEventKind::SuggestionOpened => "suggestion_opened",
            HelpEventKind::TicketCreated => "ticket_created",
            HelpEventKind::AssistantHandoff => "assistant_handoff",
        }
    }
}

/// One help-center search.
#[derive(Debug, Clone)]
pub struct SearchLogEntry {
    /// What was typed, redacted (people paste phrases into search boxes too).
    pub query: Redacted,
    pub lang: Lang,
    pub results: u32,
    pub visitor: String,
    pub now: Timestamp,
}

/// A query and how often it was searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryCount {
    pub query: String,
    pub count: u64,
}

/// Search analytics since a moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchReport {
    pub searches: u64,
    pub top: Vec<QueryCount>,
    pub no_results: Vec<QueryCount>,
    /// Queries after which the same visitor still opened a ticket (within a day).
    pub then_ticket: Vec<QueryCount>,
}

/// Ticket-form deflection since a moment: of the visitors shown suggestions, how many opened
/// one and did not submit a ticket afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeflectionReport {
    pub shown: u64,
    pub opened: u64,
    pub deflected: u64,
}

// ---------------------------------------------------------------------------------------------
// The trait

#[async_trait]
pub trait Store:
    AuthStore + ChatStore + DeskStore + MailInStore + NotifyStore + Send + Sync + std::fmt::Debug
{
    /// The backend's name: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Messages and locks across server processes on this database (`cluster.rs`), on a
    /// backend several processes can share; `None` on SQLite (one process).
    fn cluster(&self) -> Option<std::sync::Arc<dyn Cluster>> {
        None
    }
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Answers when the database is reachable (for `/readyz`).
    async fn ping(&self) -> Result<()>;

    // Agents and sessions
    async fn create_agent(&self, a: NewAgent, now: Timestamp) -> Result<Agent>;
    async fn agent(&self, id: AgentId) -> Result<Agent>;
    async fn agent_by_email(&self, email: &EmailAddress) -> Result<Agent>;
    async fn agents(&self) -> Result<Vec<Agent>>;
    async fn count_agents(&self) -> Result<u64>;
    async fn update_agent(
        &self,
        id: AgentId,
        name: Option<Redacted>,
        role: Option<Role>,
        active: Option<bool>,
        lang: Option<Lang>,
    ) -> Result<Agent>;
    async fn set_agent_password(&self, id: AgentId, password_hash: String) -> Result<()>;
    async fn create_session(&self, token: &TokenHash, s: Session) -> Result<()>;
    /// A session that has not expired at `now`.
    async fn session(&self, token: &TokenHash, now: Timestamp) -> Result<Session>;
    async fn delete_session(&self, token: &TokenHash) -> Result<()>;
    /// One-time sign-in links (the first admin's, password resets): consumed on use.
    async fn create_sign_in_link(
        &self,
        token: &TokenHash,
        agent: AgentId,
        expires_at: Timestamp,
    ) -> Result<()>;
    async fn consume_sign_in_link(&self, token: &TokenHash, now: Timestamp) -> Result<AgentId>;
    /// Whose unused, unexpired link `token` is, without using it (the page before the button).
    async fn sign_in_link_agent(&self, token: &TokenHash, now: Timestamp) -> Result<AgentId>;
    async fn create_api_token(
        &self,
        token: &TokenHash,
        agent: AgentId,
        name: Redacted,
        now: Timestamp,
    ) -> Result<ApiToken>;
    async fn api_tokens(&self, agent: AgentId) -> Result<Vec<ApiToken>>;
    /// The agent a token belongs to; records its use.
    async fn agent_for_api_token(&self, token: &TokenHash, now: Timestamp) -> Result<Agent>;
    async fn revoke_api_token(&self, agent: AgentId, id: ApiTokenId) -> Result<()>;

    // Tickets
    /// Writes a ticket, its first message and its mail (`NewTicket::mail`) in one
    /// transaction, and returns once that is durable. A backend may commit several concurrent
    /// creations together (SQLite does: one fsync for many tickets); each still succeeds or
    /// fails on its own, and none returns before its commit.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket>;
    async fn ticket(&self, id: TicketId) -> Result<Ticket>;
    /// The ticket an access link opens.
    /// By the hash of its first access token or of any later one (`ticket_links`).
    async fn ticket_by_access_token(&self, token: &TokenHash) -> Result<Ticket>;
    async fn tickets_for_view(&self, q: &TicketQuery) -> Result<TicketPage>;
    async fn view_counts(&self, agent: AgentId, now: Timestamp) -> Result<ViewCounts>;
    /// A new status sets `solved_at` (solving; closing keeps it or sets it) and `closed_at`
    /// (closing); going back to an active status clears both.
    async fn update_ticket(&self, id: TicketId, u: TicketUpdate, now: Timestamp) -> Result<Ticket>;
    /// A secret was removed from something the user sent: flags the ticket and makes it urgent.
    /// Flags the ticket and makes it urgent; `sla` counts its running timers' due times again
    /// for the new priority.
    async fn mark_secret_exposed(
        &self,
        id: TicketId,
        sla: &SlaPolicy,
        now: Timestamp,
    ) -> Result<Ticket>;
    /// Appends a message. A public agent reply sets the first response time if unset (and
    /// opens a new ticket); a user reply reopens a ticket that waits on the user or was solved.
    async fn append_message(&self, m: NewMessage) -> Result<Message>;
    /// Replaces a stored message's body with a newly redacted one (a secret found later, when
    /// the rest of it arrived in another message) and adds `secrets_removed` to its count; the
    /// audit log records that it happened (`message.redacted`), never the text.
    async fn redact_message(
        &self,
        id: MessageId,
        body: Redacted,
        secrets_removed: u32,
        now: Timestamp,
    ) -> Result<Message>;
    /// The conversation, oldest first; notes only when `include_notes`.
    async fn messages(&self, ticket: TicketId, include_notes: bool) -> Result<Vec<Message>>;
    /// Records (or replaces) the user's rating; a score outside 1–5 is a `Conflict`.
    async fn rate_ticket(
        &self,
        id: TicketId,
        score: u8,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<Ticket>;
    /// Ratings given at or after `since`, oldest first, at most `limit` of them (the newest are
    /// dropped past it), each with the ticket's current assignee.
    async fn ratings_since(&self, since: Timestamp, limit: u32) -> Result<Vec<RatingEntry>>;
    /// Moves `from`'s messages and attachments into `into` (in time order), closes `from` with
    /// `merged_into`, adds a system note to both, and returns `into`. Merging a ticket into
    /// itself, or a ticket already merged, is a `Conflict`.
    async fn merge_tickets(&self, from: TicketId, into: TicketId, now: Timestamp)
    -> Result<Ticket>;
    /// Closes tickets solved before `solved_before`; returns how many.
    async fn close_solved(&self, solved_before: Timestamp, now: Timestamp) -> Result<u64>;
    async fn add_attachment(&self, a: NewAttachment) -> Result<Attachment>;
    async fn attachments(&self, ticket: TicketId) -> Result<Vec<Attachment>>;
    async fn attachment(&self, id: AttachmentId) -> Result<Attachment>;

    // Configuration kept in the database
    async fn sla_policy(&self) -> Result<SlaPolicy>;
    async fn set_sla_policy(&self, p: &SlaPolicy) -> Result<()>;
    async fn canned_replies(&self) -> Result<Vec<CannedReply>>;
    async fn save_canned_reply(
        &self,
        id: Option<CannedReplyId>,
        title: Redacted,
        body: Redacted,
        lang: Lang,
    ) -> Result<CannedReply>;
    async fn delete_canned_reply(&self, id: CannedReplyId) -> Result<()>;
    /// Free-form settings (brand overrides, auto-close days), JSON values by key.
    async fn setting(&self, key: &str) -> Result<Option<String>>;
    /// The value is free text somebody typed (a brand name inside JSON, say): redacted.
    async fn set_setting(&self, key: &str, value: &Redacted) -> Result<()>;

    // Audit and outbox
    async fn audit(
        &self,
        actor: Option<AgentId>,
        action: &str,
        target: Option<&str>,
        detail: &Redacted,
        now: Timestamp,
    ) -> Result<()>;
    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditEntry>>;
    async fn enqueue_mail(&self, m: NewMail) -> Result<OutboxMail>;
    /// Unsent mail that has not failed, oldest first.
    async fn pending_mail(&self, limit: u32) -> Result<Vec<OutboxMail>>;
    /// Sent: the lease ends and the mail is never claimed again.
    async fn mark_mail_sent(&self, id: i64, now: Timestamp) -> Result<()>;
    /// Up to `limit` mails that are due at `now` and not held by another sender's lease, oldest
    /// first, each now held until `lease_until` and its attempts counted. Two callers at once
    /// never get the same mail.
    async fn claim_due_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxMail>>;
    /// A try failed: the error is kept, the lease ends, and the mail is due again at
    /// `failure.retry_at` or, without one, failed.
    async fn mail_attempt_failed(
        &self,
        id: i64,
        failure: MailFailure,
        now: Timestamp,
    ) -> Result<()>;
    /// Failed mail, newest failure first.
    async fn failed_mail(&self, limit: u32) -> Result<Vec<OutboxMail>>;
    /// Puts a failed mail (`Some(id)`) or every failed mail (`None`) back in the queue, due at
    /// `now` with its tries counted afresh. Returns how many; a mail that is not failed is
    /// left alone (not found when asked for by id).
    async fn retry_failed_mail(&self, id: Option<i64>, now: Timestamp) -> Result<u64>;
    async fn mail_counts(&self) -> Result<MailCounts>;

    // Address ownership (proof by signature)
    async fn create_address_challenge(&self, c: NewAddressChallenge) -> Result<AddressChallenge>;
    /// The ticket's newest challenge that is neither used nor expired at `now`.
    async fn open_address_challenge(
        &self,
        ticket: TicketId,
        now: Timestamp,
    ) -> Result<Option<AddressChallenge>>;
    /// Marks a challenge proved by a valid signature: once, and only before it expires.
    /// `Conflict` when it was already used or has expired, `NotFound` when there is none.
    async fn consume_address_challenge(
        &self,
        id: i64,
        method: &str,
        now: Timestamp,
    ) -> Result<AddressChallenge>;
    /// The ticket's proved challenges, newest first.
    async fn address_proofs(&self, ticket: TicketId) -> Result<Vec<AddressChallenge>>;

    // Idempotency keys: `key` is SHA-256 hex of (caller, key), `request` of the request.
    /// Claims `key` for `request` until `expires_at`: a new key, an expired one, or one whose
    /// first request (the same) started before `stale_before` and never finished (its server
    /// stopped) is claimed; otherwise the row says what to answer. Two concurrent claims of one
    /// key never both succeed.
    async fn claim_idempotency_key(
        &self,
        key: &str,
        request: &str,
        now: Timestamp,
        expires_at: Timestamp,
        stale_before: Timestamp,
    ) -> Result<IdempotencyClaim>;
    /// Records the answer to a claimed key.
    async fn finish_idempotency_key(&self, key: &str, reply: &IdempotentReply) -> Result<()>;
    /// Gives up a claimed key that was not answered (a server error), so a retry runs again.
    async fn release_idempotency_key(&self, key: &str) -> Result<()>;
    /// Deletes keys expired at `now`; returns how many.
    async fn purge_idempotency_keys(&self, now: Timestamp) -> Result<u64>;
    /// Deletes the rows of `table` written before `before` (a row written at `before` stays);
    /// returns how many. Retention (`[retention]` in the server's configuration).
    async fn prune_log(&self, table: LogTable, before: Timestamp) -> Result<u64>;

    // Help center
    /// Creates the article `(slug, lang)` as a draft, or saves an edit of it as a new version.
    async fn save_article(&self, d: ArticleDraft) -> Result<Article>;
    async fn set_article_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
        now: Timestamp,
    ) -> Result<Article>;
    async fn article(&self, id: ArticleId) -> Result<Article>;
    async fn article_by_slug(&self, slug: &str, lang: Lang) -> Result<Article>;
    /// Articles ordered by category, then title; only published ones when `published_only`.
    async fn articles(&self, lang: Option<Lang>, published_only: bool) -> Result<Vec<Article>>;
    /// Every saved version, newest first.
    async fn article_versions(&self, id: ArticleId) -> Result<Vec<ArticleVersion>>;
    /// Saves an old version's content as the newest version.
    async fn restore_article_version(
        &self,
        id: ArticleId,
        version: i64,
        author: Option<AgentId>,
        now: Timestamp,
    ) -> Result<Article>;
    async fn record_article_view(&self, id: ArticleId) -> Result<()>;
    async fn record_article_feedback(
        &self,
        id: ArticleId,
        helpful: bool,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<()>;
    /// Feedback, newest first.
    async fn article_feedback(&self, id: ArticleId, limit: u32) -> Result<Vec<ArticleFeedback>>;
    async fn log_search(&self, e: SearchLogEntry) -> Result<()>;
    /// Logs several searches in one transaction: all of them are written, or none (an error).
    async fn log_searches(&self, entries: &[SearchLogEntry]) -> Result<()>;
    async fn log_help_event(
        &self,
        visitor: &str,
        kind: HelpEventKind,
        article: Option<ArticleId>,
        now: Timestamp,
    ) -> Result<()>;
    async fn search_report(&self, since: Timestamp, limit: u32) -> Result<SearchReport>;
    async fn deflection_report(&self, since: Timestamp) -> Result<DeflectionReport>;
}
