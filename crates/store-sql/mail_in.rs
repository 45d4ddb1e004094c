//! [`MailInStore`]: message ids → tickets, and bouncing addresses. Written once for both
//! backends (see `README.md`).

use async_trait::async_trait;
use domain::{EmailAddress, TicketId, Timestamp};
use sqlx::Row as _;
use store::{BounceRecord, MailInStore, Result, StoreError};

use crate::db::DbStore;
use crate::row::db_err;

#[async_trait]
impl MailInStore for DbStore {
    async fn record_message_id(
        &self,
        id_hash: &str,
        ticket: TicketId,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO mail_message_ids (id_hash, ticket_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id_hash) DO NOTHING",
        )
        .bind(id_hash)
        .bind(ticket.0)
        .bind(now.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn ticket_for_message_ids(&self, id_hashes: &[String]) -> Result<Option<TicketId>> {
        for h in id_hashes {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT ticket_id FROM mail_message_ids WHERE id_hash = $1")
                    .bind(h)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?;
            if let Some(id) = found {
                return Ok(Some(TicketId(id)));
            }
        }
        Ok(None)
    }

    async fn mark_bouncing(
        &self,
        ticket: TicketId,
        address: &EmailAddress,
        status: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO mail_bounces (ticket_id, address, status, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (ticket_id, address) DO UPDATE \
             SET status = EXCLUDED.status, created_at = EXCLUDED.created_at",
        )
        .bind(ticket.0)
        .bind(address.as_str())
        .bind(status)
        .bind(now.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn bounces(&self, ticket: TicketId) -> Result<Vec<BounceRecord>> {
        let rows = sqlx::query(
            "SELECT ticket_id, address, status, created_at FROM mail_bounces \
             WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(ticket.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(BounceRecord {
                    ticket_id: TicketId(r.try_get("ticket_id").map_err(db_err)?),
                    address: EmailAddress::parse(
                        &r.try_get::<String, _>("address").map_err(db_err)?,
                    )
                    .map_err(|e| StoreError::Backend(format!("stored address: {e:?}")))?,
                    status: r.try_get("status").map_err(db_err)?,
                    at: Timestamp(r.try_get("created_at").map_err(db_err)?),
                })
            })
            .collect()
    }
}
