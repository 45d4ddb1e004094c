//! The store's idempotency area ([`IdempotencyStore`], a supertrait of [`crate::Store`]): the
//! first answer to a request sent with an `Idempotency-Key`, kept for replaying.

use async_trait::async_trait;
use domain::{Redacted, Timestamp};

use crate::Result;

/// The first answer to a request sent with an `Idempotency-Key`, as kept for replaying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentReply {
    pub status: u16,
    /// The body, redacted, with any access link replaced by a placeholder.
    pub body: Redacted,
    /// What that link is derived from with the server's link key (no secret alone).
    pub link_seed: Option<String>,
}

/// What [`IdempotencyStore::claim_idempotency_key`] found.
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

/// Idempotency keys: `key` is SHA-256 hex of (caller, key), `request` of the request.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
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
}
