//! The store's satisfaction area ([`CsatStore`], a supertrait of [`crate::Store`]): the
//! requester's rating of a ticket, and the ratings the CSAT report counts (`domain::csat`).

use async_trait::async_trait;
use domain::{Redacted, TicketId, Timestamp};

use crate::{Result, Ticket};

/// A rating with its ticket, as the CSAT report reads it.
pub use domain::csat::RatingEntry;

/// Ratings of tickets by their requesters.
#[async_trait]
pub trait CsatStore: Send + Sync {
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
}
