//! [`OutboxStore`]: the mail outbox. Also `insert_mail`, which other areas use to queue a mail in
//! the transaction that causes it. Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::Timestamp;
use sqlx::Row as _;
use store::{MailCounts, MailFailure, NewMail, OutboxMail, OutboxStore, Result};

use crate::db::{Db, DbStore, Row};
use crate::row::{self, db_err};
use crate::store_impl::not_found_if_none;

/// The Message-ID's local part of a ticket's first mail, the root of its thread
/// (`t<ticket>.<created>`: the ticket's later mails refer to it), known before the row exists;
/// `None` for any other mail. Fixed when the mail is stored, so every try sends the same one;
/// the time keeps ids apart when a database is started afresh under the same domain.
pub(crate) fn thread_root_id(m: &NewMail) -> Option<String> {
    match (m.kind.as_str(), m.ticket_id) {
        ("ticket_created", Some(t)) => Some(format!("t{}.{}", t.0, m.now.0)),
        _ => None,
    }
}

pub(crate) async fn insert_mail(
    conn: &mut <Db as sqlx::Database>::Connection,
    m: NewMail,
) -> Result<Row> {
    // Any mail that is not a thread root gets `o<row>.<created>`, which needs the row's id,
    // hence the second statement.
    let root = thread_root_id(&m);
    let row = sqlx::query(
        "INSERT INTO outbox (to_addr, subject, body_text, kind, ticket_id, created_at, \
         link_seed, message_id, lang) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
    )
    .bind(m.to.as_str())
    .bind(m.subject.into_string())
    .bind(m.body_text.into_string())
    .bind(m.kind)
    .bind(m.ticket_id.map(|t| t.0))
    .bind(m.now.0)
    .bind(m.link_seed)
    .bind(root.clone())
    .bind(m.lang.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    if root.is_some() {
        return Ok(row);
    }
    sqlx::query(
        "UPDATE outbox SET message_id = 'o' || CAST(id AS TEXT) || '.' || CAST(created_at AS TEXT) \
         WHERE id = $1 RETURNING *",
    )
    .bind(row.try_get::<i64, _>("id").map_err(db_err)?)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

#[async_trait]
impl OutboxStore for DbStore {
    async fn enqueue_mail(&self, m: NewMail) -> Result<OutboxMail> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        row::outbox_mail(&insert_mail(&mut conn, m).await?)
    }

    async fn pending_mail(&self, limit: u32) -> Result<Vec<OutboxMail>> {
        sqlx::query(
            "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::outbox_mail)
        .collect()
    }

    async fn mark_mail_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE outbox SET sent_at = COALESCE(sent_at, $1), lease_until = NULL, \
             failed_at = NULL WHERE id = $2",
        )
        .bind(now.0)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn claim_due_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxMail>> {
        // The conditions stand in the outer WHERE as well as in the choice: on PostgreSQL a
        // second claimer that waited for the first's row locks re-checks them on the rows as
        // the first left them, and so skips every mail the first has just leased. SQLite has
        // one writer at a time.
        let mut rows = sqlx::query(
            "UPDATE outbox SET lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                 AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) \
                 ORDER BY next_attempt_at, id LIMIT $3) \
             AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) RETURNING *",
        )
        .bind(now.0)
        .bind(lease_until.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::outbox_mail)
        .collect::<Result<Vec<_>>>()?;
        rows.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(rows)
    }

    async fn mail_attempt_failed(
        &self,
        id: i64,
        failure: MailFailure,
        now: Timestamp,
    ) -> Result<()> {
        let (next, failed_at) = match failure.retry_at {
            Some(at) => (at.0, None),
            None => (now.0, Some(now.0)),
        };
        let done = sqlx::query(
            "UPDATE outbox SET lease_until = NULL, last_error = $2, next_attempt_at = $3, \
             failed_at = $4 WHERE id = $1 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(failure.error)
        .bind(next)
        .bind(failed_at)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn failed_mail(&self, limit: u32) -> Result<Vec<OutboxMail>> {
        sqlx::query(
            "SELECT * FROM outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL \
             ORDER BY failed_at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::outbox_mail)
        .collect()
    }

    async fn retry_failed_mail(&self, id: Option<i64>, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $1, \
             lease_until = NULL WHERE failed_at IS NOT NULL AND sent_at IS NULL \
             AND ($2 IS NULL OR id = $2)",
        )
        .bind(now.0)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if id.is_some() {
            not_found_if_none(done.rows_affected())?;
        }
        Ok(done.rows_affected())
    }

    async fn mail_counts(&self) -> Result<MailCounts> {
        let r = sqlx::query(
            "SELECT \
             COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 END) AS pending, \
             COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NOT NULL THEN 1 END) AS failed \
             FROM outbox",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(MailCounts {
            pending: row::u64_count(&r, "pending")?,
            failed: row::u64_count(&r, "failed")?,
        })
    }
}
