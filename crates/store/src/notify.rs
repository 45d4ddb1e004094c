//! The store's mail area: the anti-phishing code and its confirmations, extra access links to
//! tickets, agents' notification settings, and the writes that put a mail in the outbox in the
//! same transaction as what causes it ([`NotifyStore`], a supertrait of [`crate::Store`]).

use async_trait::async_trait;
use domain::{AgentId, EmailAddress, TicketId, Timestamp};

use crate::{Message, NewMail, NewMessage, OutboxMail, Result, Ticket, TokenHash};

/// A change to an address's anti-phishing code, waiting for its confirmation link.
#[derive(Debug, Clone)]
pub struct NewCodeRequest {
    /// SHA-256 of the confirmation link's token.
    pub token: TokenHash,
    /// The keyed hash of the address (never the address).
    pub address_key: String,
    /// The new code, sealed by the server; `None` to remove the code.
    pub sealed_code: Option<String>,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

/// What a confirmed request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeChange {
    Set,
    Removed,
}

/// Which notification mails an agent gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailSettings {
    /// A ticket was assigned to them.
    pub on_assign: bool,
    /// The user replied on a ticket assigned to them.
    pub on_reply: bool,
}

impl Default for MailSettings {
    fn default() -> MailSettings {
        MailSettings {
            on_assign: true,
            on_reply: true,
        }
    }
}

/// A mail and the access links it carries: each `(ticket, token hash)` becomes a live link to
/// that ticket when the mail is written, in the same transaction.
#[derive(Debug, Clone)]
pub struct MailWithLinks {
    pub mail: NewMail,
    pub links: Vec<(TicketId, TokenHash)>,
}

#[async_trait]
pub trait NotifyStore: Send + Sync {
    /// Stores a pending code change and its confirmation mail together.
    async fn request_phishing_code(&self, r: NewCodeRequest, mail: NewMail) -> Result<OutboxMail>;
    /// Applies the pending change whose link hashes to `token`, once, before it expires.
    /// `NotFound` for an unknown, used or expired link.
    async fn confirm_phishing_code(&self, token: &TokenHash, now: Timestamp) -> Result<CodeChange>;
    /// Whether the link is pending (unused, unexpired), without using it.
    async fn phishing_code_request_open(&self, token: &TokenHash, now: Timestamp) -> Result<bool>;
    /// The sealed code for an address key, if one is set.
    async fn phishing_code(&self, address_key: &str) -> Result<Option<String>>;

    /// The requester's tickets that are not closed (by address, case-insensitive; the caller
    /// compares mailbox keys), newest first, at most `limit`.
    async fn open_tickets_of(&self, requester: &EmailAddress, limit: u32) -> Result<Vec<Ticket>>;
    /// Writes mails and their links in one transaction.
    async fn enqueue_mails_with_links(&self, mails: Vec<MailWithLinks>) -> Result<Vec<OutboxMail>>;
    /// [`crate::TicketStore::append_message`] with its mails (and their links) in the same
    /// transaction: a reply is never stored without its notification, nor the reverse.
    async fn append_message_with_mails(
        &self,
        m: NewMessage,
        mails: Vec<MailWithLinks>,
    ) -> Result<Message>;

    async fn agent_mail_settings(&self, agent: AgentId) -> Result<MailSettings>;
    async fn set_agent_mail_settings(&self, agent: AgentId, s: MailSettings) -> Result<()>;

    /// Stores a single-use sign-in link for `agent` and the mail that carries it together.
    async fn sign_in_link_by_mail(
        &self,
        token: &TokenHash,
        agent: AgentId,
        expires_at: Timestamp,
        mail: NewMail,
    ) -> Result<OutboxMail>;
}
