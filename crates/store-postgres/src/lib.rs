//! The [`Store`] trait on PostgreSQL.
//!
//! A connection pool to one database. Every acknowledged write was committed (PostgreSQL's
//! own durability applies). Transactions that read a ticket before changing it lock its row
//! (`SELECT … FOR UPDATE`), so two replies to one ticket cannot lose a status change.
//!
//! The trait's methods, the desk's rules as SQL and the row mapping are written once for both
//! backends in `crates/store-sql` and compiled here against [`db`]'s PostgreSQL types; this
//! crate adds only what is PostgreSQL's own: the connection pool and the substring function.

pub mod cluster;
mod db;
#[path = "../../store-sql/mod.rs"]
mod shared;

// The shared files name each other `crate::row`, `crate::tickets`, …: their modules are
// this crate's own.
use shared::*;

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use store::Result;

use crate::row::db_err;

/// A walletdesk database on a PostgreSQL server.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to a `postgres://` URL. Does not migrate: call
    /// [`Store::migrate`](store::Store::migrate).
    ///
    /// # Errors
    /// The URL is malformed or the server cannot be reached.
    pub async fn connect(url: &str) -> Result<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(db_err)?;
        Ok(PostgresStore { pool })
    }
}
