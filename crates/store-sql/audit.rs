//! [`AuditStore`]: the audit log. Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::{AgentId, Redacted, Timestamp};
use store::{AuditEntry, AuditStore, Result};

use crate::db::DbStore;
use crate::row::{self, db_err};

#[async_trait]
impl AuditStore for DbStore {
    async fn audit(
        &self,
        actor: Option<AgentId>,
        action: &str,
        target: Option<&str>,
        detail: &Redacted,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (actor, action, target, detail, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(actor.map(|a| a.0))
        .bind(action)
        .bind(target)
        .bind(detail.as_str())
        .bind(now.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditEntry>> {
        sqlx::query("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2")
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::audit_entry)
            .collect()
    }
}
