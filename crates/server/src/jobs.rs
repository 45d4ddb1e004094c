//! Work the server runs on a timer. [`run`] is the one loop `serve` spawns; each job is a
//! function of its own so tests call it directly with a fixed clock.

use std::time::Duration;

use crate::AppState;

/// How often the jobs run.
const EVERY: Duration = Duration::from_secs(300);

/// Runs every job every [`EVERY`], until the task is aborted. A failed job is logged and tried
/// again on the next tick.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        if let Err(e) = close_solved_tickets(&state).await {
            tracing::warn!(error = %e, "auto-close failed");
        }
        if let Err(e) = purge_idempotency_keys(&state).await {
            tracing::warn!(error = %e, "idempotency key purge failed");
        }
    }
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
