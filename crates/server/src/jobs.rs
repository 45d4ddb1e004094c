//! Work the server runs on a timer. [`run`] is the one loop `serve` spawns; each job is a
//! function of its own so tests call it directly with a fixed clock.
//!
//! With several nodes on one PostgreSQL every node runs the loop, and each tick first takes
//! the advisory lock [`Job::Timed`](crate::cluster::Job): one node does the tick's work, the
//! others skip it ([`tick`]). The outbox worker (`mail/outbox.rs`) needs no lock: it leases
//! each mail in one statement that re-checks the lease under the row lock, so two nodes never
//! send the same mail at once. The IMAP fetcher runs on one node at a time (`serve.rs`).

use std::time::Duration;

use domain::Timestamp;
use store::LogTable;

use crate::AppState;

/// How often the jobs run.
const EVERY: Duration = Duration::from_secs(300);

/// Runs every job every [`EVERY`] (the log pruning once a day), until the task is aborted. A
/// failed job is logged and tried again on the next tick.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    let mut pruned_at: Option<Timestamp> = None;
    loop {
        tick.tick().await;
        if let Err(e) = self::tick(&state, &mut pruned_at).await {
            tracing::warn!(error = %e, "timed jobs: cannot take the lock");
        }
    }
}

/// What [`tick`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ticked {
    /// This node ran the jobs.
    Ran,
    /// Another node holds the lock and is running them.
    Skipped,
}

/// One tick: every job, on this node unless another node is running them now. Job failures
/// are logged, not returned. `pruned_at` is when this node last pruned the logs.
///
/// # Errors
/// The lock could not be asked for (the database is unreachable).
pub async fn tick(
    state: &AppState,
    pruned_at: &mut Option<Timestamp>,
) -> Result<Ticked, store::StoreError> {
    let Some(_held) = state.node.try_lock(crate::cluster::Job::Timed).await? else {
        tracing::debug!("timed jobs: another node is running them");
        return Ok(Ticked::Skipped);
    };
    let now = state.now();
    // Days are what retention counts in; scanning the logs every five minutes would only
    // cost, not keep anything shorter. (Each node counts its own day: on several nodes the
    // logs may be pruned more than once a day, which deletes nothing twice.)
    if pruned_at.is_none_or(|t| now >= t.plus_days(1)) {
        match prune_logs(state).await {
            Ok(_) => *pruned_at = Some(now),
            Err(e) => tracing::warn!(error = %e, "log pruning failed"),
        }
    }
    if let Err(e) = close_solved_tickets(state).await {
        tracing::warn!(error = %e, "auto-close failed");
    }
    if let Err(e) = purge_idempotency_keys(state).await {
        tracing::warn!(error = %e, "idempotency key purge failed");
    }
    Ok(Ticked::Ran)
}

/// Closes tickets solved more than `auto_close_days` ago; returns how many.
///
/// # Errors
/// Storage failures.
pub async fn close_solved_tickets(state: &AppState) -> anyhow::Result<u64> {
    let now = state.now();
    let closed = state
        .store
        .close_solved(now.plus_days(-state.config.auto_close_days.max(0)), now)
        .await?;
    if closed > 0 {
        tracing::info!(closed, "closed solved tickets");
    }
    Ok(closed)
}

/// Deletes the `Idempotency-Key` answers older than a day (`idempotency::KEEP_HOURS`); returns
/// how many.
///
/// # Errors
/// Storage failures.
pub async fn purge_idempotency_keys(state: &AppState) -> anyhow::Result<u64> {
    let purged = state.store.purge_idempotency_keys(state.now()).await?;
    if purged > 0 {
        tracing::info!(purged, "expired idempotency keys deleted");
    }
    Ok(purged)
}

/// What [`prune_logs`] deleted from each log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub search_log: u64,
    pub help_events: u64,
    pub audit_log: u64,
}

/// Deletes the rows of the search log, the help events and the audit log older than
/// `[retention]` allows (a table whose days are 0 is kept for ever); returns how many. When
/// audit rows went, the audit log says so in a row of its own, so a gap in it is explained.
///
/// # Errors
/// Storage failures (the tables pruned before the failure stay pruned).
pub async fn prune_logs(state: &AppState) -> anyhow::Result<Pruned> {
    let now = state.now();
    let r = &state.config.retention;
    let prune = |table: LogTable, days: u32| async move {
        if days == 0 {
            return Ok::<u64, store::StoreError>(0);
        }
        let before = now.plus_days(-i64::from(days));
        let n = state.store.prune_log(table, before).await?;
        if n > 0 {
            tracing::info!(table = table.as_str(), deleted = n, days, "log pruned");
        }
        Ok(n)
    };
    let pruned = Pruned {
        search_log: prune(LogTable::SearchLog, r.search_log_days).await?,
        help_events: prune(LogTable::HelpEvents, r.help_events_days).await?,
        audit_log: prune(LogTable::AuditLog, r.audit_log_days).await?,
    };
    if pruned.audit_log > 0 {
        let detail = domain::Redacted::clean(&format!(
            "{{\"deleted\":{},\"days\":{}}}",
            pruned.audit_log, r.audit_log_days
        ));
        state
            .store
            .audit(None, "retention.audit_log_pruned", None, &detail, now)
            .await?;
    }
    Ok(pruned)
}
