//! The store's address-ownership area ([`OwnershipStore`], a supertrait of [`crate::Store`]):
//! the challenges a ticket's requester signs to prove an address, and the proofs.

use async_trait::async_trait;
use domain::{TicketId, Timestamp};
use serde::Serialize;

use crate::Result;

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

/// What [`OwnershipStore::create_address_challenge`] stores.
#[derive(Debug, Clone)]
pub struct NewAddressChallenge {
    pub ticket_id: TicketId,
    pub address: String,
    pub nonce: String,
    pub message: String,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

/// Address ownership: signature challenges and their proofs.
#[async_trait]
pub trait OwnershipStore: Send + Sync {
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
}
