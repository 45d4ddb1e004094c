//! The store's inbound-mail area ([`MailInStore`], a supertrait of [`crate::Store`]): which
//! ticket a mail's `Message-ID` belongs to (for threading replies and for taking the same
//! message only once), and the requester addresses that bounce. Migration `0010_mail_inbound`.
//!
//! Message ids are user text (a sender writes what they like there), so only their SHA-256 is
//! kept: threading needs equality, never the id itself.

use async_trait::async_trait;
use domain::{EmailAddress, TicketId, Timestamp};
use serde::Serialize;

use crate::Result;

/// A delivery failure recorded on a ticket (shown to agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BounceRecord {
    pub ticket_id: TicketId,
    pub address: EmailAddress,
    /// The DSN status (`5.1.1`), when the report gave one.
    pub status: Option<String>,
    pub at: Timestamp,
}

#[async_trait]
pub trait MailInStore: Send + Sync {
    /// Records that the message whose id hashes to `id_hash` belongs to `ticket`. `false` when
    /// that id was already recorded (for any ticket): the message was taken before.
    async fn record_message_id(
        &self,
        id_hash: &str,
        ticket: TicketId,
        now: Timestamp,
    ) -> Result<bool>;
    /// The ticket of the first of `id_hashes` that is recorded, in the order given.
    async fn ticket_for_message_ids(&self, id_hashes: &[String]) -> Result<Option<TicketId>>;
    /// Marks `address` as bouncing on `ticket` (once per ticket and address; a later bounce
    /// updates the status and time).
    async fn mark_bouncing(
        &self,
        ticket: TicketId,
        address: &EmailAddress,
        status: Option<&str>,
        now: Timestamp,
    ) -> Result<()>;
    /// The bounces recorded on a ticket, oldest first.
    async fn bounces(&self, ticket: TicketId) -> Result<Vec<BounceRecord>>;
}
