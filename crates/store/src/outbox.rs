//! The store's outbox area ([`OutboxStore`], a supertrait of [`crate::Store`]): mail waiting to
//! be sent, claimed by senders under a lease, retried, and failed for an admin to look at.

use async_trait::async_trait;
use domain::{EmailAddress, Lang, Redacted, TicketId, Timestamp};
use serde::Serialize;

use crate::Result;

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

/// How one try ended badly, for [`OutboxStore::mail_attempt_failed`].
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

/// The mail outbox.
#[async_trait]
pub trait OutboxStore: Send + Sync {
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
}
