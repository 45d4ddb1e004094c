//! [`IdempotencyStore`]: idempotency keys. Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::{Redacted, Timestamp};
use store::{IdempotencyClaim, IdempotencyStore, IdempotentReply, Result, StoreError};

use crate::db::DbStore;
use crate::row::db_err;
use crate::store_impl::not_found_if_none;

#[async_trait]
impl IdempotencyStore for DbStore {
    async fn claim_idempotency_key(
        &self,
        key: &str,
        request: &str,
        now: Timestamp,
        expires_at: Timestamp,
        stale_before: Timestamp,
    ) -> Result<IdempotencyClaim> {
        let fresh = sqlx::query(
            "INSERT INTO idempotency_keys (key_hash, request_hash, started_at, expires_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(key)
        .bind(request)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if fresh.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        // One statement, so two retries cannot both take over the same row.
        let taken = sqlx::query(
            "UPDATE idempotency_keys SET request_hash = $2, status = NULL, body = NULL, \
             link_seed = NULL, started_at = $3, expires_at = $4 \
             WHERE key_hash = $1 AND (expires_at <= $3 \
             OR (status IS NULL AND started_at < $5 AND request_hash = $2))",
        )
        .bind(key)
        .bind(request)
        .bind(now.0)
        .bind(expires_at.0)
        .bind(stale_before.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if taken.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let r = sqlx::query(
            "SELECT request_hash, status, body, link_seed FROM idempotency_keys \
             WHERE key_hash = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        // Deleted in between (expired and purged): as good as in flight; the retry claims it.
        let Some(r) = r else {
            return Ok(IdempotencyClaim::InFlight);
        };
        let get_text =
            |c: &str| -> Result<Option<String>> { sqlx::Row::try_get(&r, c).map_err(db_err) };
        if get_text("request_hash")?.as_deref() != Some(request) {
            return Ok(IdempotencyClaim::Mismatch);
        }
        let status: Option<i64> = sqlx::Row::try_get(&r, "status").map_err(db_err)?;
        match (status, get_text("body")?) {
            (Some(status), Some(body)) => Ok(IdempotencyClaim::Done(IdempotentReply {
                status: u16::try_from(status)
                    .map_err(|_| StoreError::Backend("bad idempotency status".into()))?,
                body: Redacted::from_stored(body),
                link_seed: get_text("link_seed")?,
            })),
            _ => Ok(IdempotencyClaim::InFlight),
        }
    }

    async fn finish_idempotency_key(&self, key: &str, reply: &IdempotentReply) -> Result<()> {
        let done = sqlx::query(
            "UPDATE idempotency_keys SET status = $2, body = $3, link_seed = $4 \
             WHERE key_hash = $1",
        )
        .bind(key)
        .bind(i64::from(reply.status))
        .bind(reply.body.as_str())
        .bind(reply.link_seed.as_deref())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn release_idempotency_key(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE key_hash = $1 AND status IS NULL")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn purge_idempotency_keys(&self, now: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
