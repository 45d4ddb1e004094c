//! The SLA policy new tickets are timed with, kept in memory.
//!
//! Every new ticket needs the policy for its due times; reading the setting from the store
//! for each one put a read on the database's one connection in front of every ticket (on
//! SQLite, behind the group commit in progress). The cache is replaced when an admin saves
//! (`routes/admin/sla.rs`) and read again after [`FRESH_FOR`], so a change made by another
//! server process on the same database reaches new tickets within seconds.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use domain::sla::SlaPolicy;

use crate::AppState;
use crate::error::ApiError;

/// How long a read policy is used before it is read again.
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct SlaCache {
    slot: RwLock<Option<(Instant, SlaPolicy)>>,
}

impl SlaCache {
    /// The policy: cached when read less than [`FRESH_FOR`] ago, else from the store.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) async fn get(&self, state: &AppState) -> Result<SlaPolicy, ApiError> {
        if let Some((at, p)) = self
            .slot
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            && at.elapsed() < FRESH_FOR
        {
            return Ok(p.clone());
        }
        let p = state.store.sla_policy().await?;
        self.set(p.clone());
        Ok(p)
    }

    /// Forgets the policy: another node saved one (`cluster.rs`).
    pub(crate) fn invalidate(&self) {
        *self
            .slot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// After the policy was saved.
    pub(crate) fn set(&self, p: SlaPolicy) {
        *self
            .slot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((Instant::now(), p));
    }
}
