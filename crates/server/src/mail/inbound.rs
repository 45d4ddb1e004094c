//! Inbound mail → tickets: the one path that both `walletdesk mail receive` (stdin) and the
//! IMAP fetcher use. Parsing and the rules are in the pure `mail` crate; this wires them to the
//! ticket use cases (`crate::tickets`), so mail text goes through the same redaction door.

use domain::TicketId;

use crate::AppState;

/// What became of one inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The ticket the message was added to or created; `None` when it was dropped on purpose
    /// (an auto-reply or a bounce, recorded but not a ticket).
    pub ticket_id: Option<TicketId>,
    /// Whether a new ticket was created (false: appended to an existing one, or dropped).
    pub created: bool,
    /// How many secrets redaction removed from the message (subject, body, file names).
    pub secrets_removed: usize,
}

/// Why a message could not be taken at all (the caller keeps it where it is and says so).
#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    /// Not yet built.
    #[error("inbound mail is not built yet")]
    NotBuilt,
}

/// Takes one RFC 5322 message: parses, redacts, threads, stores.
///
/// # Errors
/// The message cannot be taken (see [`InboundError`]).
pub async fn receive(_state: &AppState, _raw: &[u8]) -> Result<Received, InboundError> {
    Err(InboundError::NotBuilt)
}
