//! [`CsatStore`]: ratings of tickets. Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::{Redacted, TicketId, Timestamp};
use store::{CsatStore, RatingEntry, Result, StoreError, Ticket};

use crate::db::{DbStore, write_tx};
use crate::row::{self, db_err};
use crate::store_impl::not_found_if_none;
use crate::tickets::ticket_in;

#[async_trait]
impl CsatStore for DbStore {
    async fn rate_ticket(
        &self,
        id: TicketId,
        score: u8,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<Ticket> {
        if !(1..=5).contains(&score) {
            return Err(StoreError::Conflict(format!(
                "a rating is 1 to 5, not {score}"
            )));
        }
        let mut tx = write_tx(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE tickets SET rating_score = $1, rating_comment = $2, rated_at = $3, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(i64::from(score))
        .bind(comment.map(Redacted::into_string))
        .bind(now.0)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())?;
        let ticket = ticket_in(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ticket)
    }

    async fn ratings_since(&self, since: Timestamp, limit: u32) -> Result<Vec<RatingEntry>> {
        sqlx::query(
            "SELECT id, assignee, rating_score, rated_at FROM tickets \
             WHERE rated_at >= $1 AND rating_score IS NOT NULL \
             ORDER BY rated_at, id LIMIT $2",
        )
        .bind(since.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::rating_entry)
        .collect()
    }
}
