//! The [`Store`] trait on SQLite.
//!
//! One database file in WAL mode with `synchronous=FULL`: a write that returned `Ok` has been
//! fsynced and survives the process being killed or the machine losing power. Foreign keys are
//! enforced. Transactions that write start with `BEGIN IMMEDIATE`, so two writers queue on the
//! busy timeout instead of failing when one upgrades its read lock.
//!
//! New tickets and chat messages are committed in groups: concurrent `create_ticket` and
//! `append_chat_message` calls queue to one writer task that writes every waiting job in one
//! transaction, one savepoint each, and answers them after its one commit (`group.rs`).
//!
//! Reads on the busiest paths (a ticket, its messages, a chat's state and messages, an agent)
//! go to a second pool of read connections: in WAL mode a reader sees the last commit and
//! never waits for the writer, so a page or a chat message is not held behind another
//! batch's fsync. Everything else, and every write, goes through the one write connection.
//!
//! The trait's methods, the desk's rules as SQL and the row mapping are written once for both
//! backends in `crates/store-sql` and compiled here against [`db`]'s SQLite types; this crate
//! adds only what is SQLite's own: opening the file, `VACUUM INTO` backups, the write lock and
//! the substring function.

mod db;
mod group;
#[path = "../../store-sql/mod.rs"]
mod shared;

// The shared files name each other `crate::row`, `crate::tickets`, …: their modules are
// this crate's own.
use shared::*;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use store::{Result, StoreError};

pub use crate::group::GroupCommitStats;
use crate::group::Writer;
use crate::row::db_err;

/// Creates a missing database file readable by its owner only (`0600`) before SQLite opens
/// it; SQLite then gives the WAL and shared-memory files the same mode. Best effort: when the
/// file cannot be made here (an in-memory database, a missing directory), SQLite opens it, or
/// says why not, itself.
fn create_private(path: &std::path::Path) {
    if path.as_os_str().is_empty() || path.to_str().is_some_and(|p| p.starts_with(':')) {
        return;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let _ = o.open(path);
}

/// A walletdesk database in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Read connections (`db::readers`): several at once, none of them ever writes.
    readers: SqlitePool,
    /// New tickets and chat messages go through here: many writes, one commit (`group.rs`).
    writer: Writer,
    /// Held by every clone; the checkpoint task ends once the last one is dropped.
    _alive: std::sync::Arc<()>,
}

/// Read connections beside the one writer. Two cores' worth and a little more: a read takes
/// well under a millisecond, so more would only hold memory.
const READERS: u32 = 4;
/// The page cache of a connection beside the writer, in KiB when negative (SQLite's rule).
const SIDE_CACHE: &str = "-256";

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Copies the WAL into the database file every [`CHECKPOINT_EVERY`] on a connection of its
/// own, `PASSIVE`: it takes no lock the writer or readers wait for, and copies what no reader
/// still needs, so that the writer's own checkpoint has little left to do. Ends when the last
/// clone of the store is dropped.
async fn checkpoint(conn: SqlitePool, store: std::sync::Weak<()>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if store.strong_count() == 0 {
            break;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&conn)
            .await
        {
            tracing::warn!(error = %e, "WAL checkpoint failed; the next one tries again");
        }
    }
    conn.close().await;
}

impl SqliteStore {
    /// Opens (creating if missing) the database at a `sqlite:` URL or a plain file path.
    /// Does not migrate: call [`Store::migrate`](store::Store::migrate).
    ///
    /// # Errors
    /// The URL is malformed or the file cannot be opened.
    pub async fn open(url_or_path: &str) -> Result<SqliteStore> {
        let opts = if url_or_path.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url_or_path).map_err(db_err)?
        } else {
            SqliteConnectOptions::new().filename(url_or_path)
        };
        create_private(opts.get_filename());
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // One connection. SQLite has one writer at a time anyway; with several connections the
        // others wait in SQLite's busy handler, which sleeps in steps of up to 100 ms (a p99 of
        // a second at 16 concurrent ticket creations, docs/BENCHMARKS.md). With one, requests
        // queue in the pool in order and each statement takes well under a millisecond.
        // SQLite's own checkpoint (every 1,000 pages) runs inside whichever commit crosses the
        // line and fsyncs the database file: a stall for every write queued behind it.
        // `checkpoint` copies the WAL beside the writer every second, so the writer's own
        // checkpoint finds little left to copy (or finds the checkpoint lock taken, and skips).
        // The writer's own one stays: only a checkpoint right after the writer's commit lets
        // the next write start the WAL again from the top — with the task alone, under steady
        // writes the WAL grew without bound (935 MB in a 40 s ticket bench).
        // The checkpointer and the readers keep a small page cache each: a write by the
        // writer empties every other connection's cache anyway (SQLite sees the database
        // changed), and the file's pages stay in the OS page cache, so a big private cache per
        // connection would only hold memory (2 MB each by default).
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_lazy_with(opts.clone().pragma("cache_size", SIDE_CACHE));
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .test_before_acquire(false)
            // Gone after a minute without reads; opened again on demand.
            .idle_timeout(Duration::from_secs(60))
            .connect_lazy_with(
                opts.clone()
                    .read_only(true)
                    .pragma("cache_size", SIDE_CACHE),
            );
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            // The connection is in this process: a ping before every use (the default) only
            // adds a round trip to SQLite's worker thread in front of every statement.
            .test_before_acquire(false)
            .connect_with(opts)
            .await
            .map_err(db_err)?;
        let writer = Writer::start(pool.clone());
        let alive = std::sync::Arc::new(());
        tokio::spawn(checkpoint(checkpointer, std::sync::Arc::downgrade(&alive)));
        Ok(SqliteStore {
            pool,
            readers,
            writer,
            _alive: alive,
        })
    }

    /// How many batches of new tickets and chat messages were written (one transaction each),
    /// and how many of each they carried.
    #[must_use]
    pub fn group_commit_stats(&self) -> GroupCommitStats {
        self.writer.stats()
    }

    /// Writes a consistent copy of the live database to `path` (`VACUUM INTO`): readers and
    /// writers carry on meanwhile, and the copy is a complete database of its own.
    ///
    /// # Errors
    /// The path is not UTF-8, exists already, or cannot be written.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::Backend("backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
