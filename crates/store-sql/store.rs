//! [`Store`]'s own methods — the backend's name, its cluster, migrations, the health check and
//! retention, which spans areas — and what several areas' files share. Each area's methods are
//! in the file named after it (`tickets.rs`, `help.rs`, …; the list is `mod.rs`). Written once
//! for both backends (see `README.md`).

use async_trait::async_trait;
use domain::Timestamp;
use sqlx::AssertSqlSafe;
use store::{LogTable, Result, Store, StoreError};

use crate::db::{Args, Db, DbStore};
use crate::row::db_err;

// Where the shared files have always found these: new ones may use either path.
pub(crate) use crate::outbox::insert_mail;
pub(crate) use crate::tickets::{append_in, write_ticket};

pub(crate) fn q(s: String) -> sqlx::query::Query<'static, Db, Args> {
    sqlx::query(AssertSqlSafe(s))
}

pub(crate) fn not_found_if_none(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl Store for DbStore {
    fn backend(&self) -> &'static str {
        crate::db::NAME
    }

    fn cluster(&self) -> Option<std::sync::Arc<dyn store::Cluster>> {
        crate::db::cluster(self)
    }

    async fn migrate(&self) -> Result<()> {
        crate::db::MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn prune_log(&self, table: LogTable, before: Timestamp) -> Result<u64> {
        // One text per table, written out: no table name is ever spliced into SQL.
        let sql = match table {
            LogTable::SearchLog => "DELETE FROM search_log WHERE at < $1",
            LogTable::HelpEvents => "DELETE FROM help_events WHERE at < $1",
            LogTable::AuditLog => "DELETE FROM audit_log WHERE at < $1",
        };
        let done = sqlx::query(sql)
            .bind(before.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
