//! [`store::Cluster`] on PostgreSQL: `NOTIFY`/`LISTEN` on one channel, and advisory locks.
//!
//! A notification's payload must stay under 8000 bytes; a larger one is written to
//! `cluster_messages` (migration `0016_cluster`) and the notification carries `@<id>`, which
//! [`PgClusterListener::recv`] reads back. Payloads the server sends are JSON objects, so they
//! never start with `@`.

use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPool};
use store::{Cluster, Listener, LockGuard, Result};

use crate::row::db_err;

/// The one channel every walletdesk process listens on.
pub const CHANNEL: &str = "walletdesk_events";

/// The largest payload sent inline; PostgreSQL refuses 8000 bytes and more.
pub const MAX_INLINE: usize = 7900;

/// How long a large message is kept for listeners to read (milliseconds).
const KEEP_MS: i64 = 3_600_000;

/// The milliseconds since the epoch by the database server's clock, as SQL.
const NOW_MS: &str = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

#[derive(Debug, Clone)]
pub(crate) struct PgCluster {
    pub(crate) pool: PgPool,
}

#[async_trait]
impl Cluster for PgCluster {
    async fn notify(&self, payload: &str) -> Result<()> {
        let sent = if payload.len() <= MAX_INLINE && !payload.starts_with('@') {
            payload.to_owned()
        } else {
            let mut tx = self.pool.begin().await.map_err(db_err)?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM cluster_messages WHERE created_at < {NOW_MS} - $1"
            )))
            .bind(KEEP_MS)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            let id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "INSERT INTO cluster_messages (payload, created_at) VALUES ($1, {NOW_MS}) \
                 RETURNING id"
            )))
            .bind(payload)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            // The notification is delivered at commit, after the row is visible.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(format!("@{id}"))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            return Ok(());
        };
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(sent)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn listen(&self) -> Result<Box<dyn Listener>> {
        let mut listener = PgListener::connect_with(&self.pool).await.map_err(db_err)?;
        // A lost connection is the caller's to handle (it listens again and says so to the
        // pages), not something to hide behind a silent reconnect.
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await.map_err(db_err)?;
        Ok(Box::new(PgClusterListener {
            listener,
            pool: self.pool.clone(),
        }))
    }

    async fn try_lock(&self, key: i64) -> Result<Option<Box<dyn LockGuard>>> {
        // A session-level lock on a connection taken out of the pool: the guard owns the
        // connection, and dropping it closes the connection, which releases the lock (as does
        // the process dying). No transaction stays open however long the lock is held.
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
        Ok(got.then(|| {
            Box::new(PgLock {
                _conn: conn.detach(),
            }) as Box<dyn LockGuard>
        }))
    }
}

/// A listening connection of its own.
#[derive(Debug)]
pub(crate) struct PgClusterListener {
    listener: PgListener,
    pool: PgPool,
}

#[async_trait]
impl Listener for PgClusterListener {
    async fn recv(&mut self) -> Result<Option<String>> {
        let Some(n) = self.listener.try_recv().await.map_err(db_err)? else {
            return Ok(None);
        };
        let payload = n.payload();
        let Some(id) = payload.strip_prefix('@') else {
            return Ok(Some(payload.to_owned()));
        };
        let id: i64 = id
            .parse()
            .map_err(|_| store::StoreError::Backend(format!("bad message reference {payload}")))?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT payload FROM cluster_messages WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        // Gone (older than an hour, read by a listener that lagged that long): as good as a
        // lost connection.
        Ok(stored)
    }
}

/// A held advisory lock: the connection that took it, out of the pool.
#[derive(Debug)]
struct PgLock {
    _conn: sqlx::PgConnection,
}

impl LockGuard for PgLock {}
