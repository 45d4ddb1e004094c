//! Work the binary runs on a timer.

use crate::AppState;

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
