//! What the shared code in `crates/store-sql` needs from SQLite: the types it is compiled
//! against, the migrations, and the few places where SQLite's SQL or locking differs.

use sqlx::Transaction;
use store::Result;

use crate::row::db_err;

pub(crate) type Db = sqlx::Sqlite;
pub(crate) type Pool = sqlx::SqlitePool;
pub(crate) type Row = sqlx::sqlite::SqliteRow;
pub(crate) type Args = sqlx::sqlite::SqliteArguments;
pub(crate) type DbStore = crate::SqliteStore;

/// What [`store::Store::backend`] says.
pub(crate) const NAME: &str = "sqlite";

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A transaction that will write: takes the write lock at once (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes never fails to upgrade its lock.
pub(crate) async fn write_tx(pool: &Pool) -> Result<Transaction<'static, Db>> {
    pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)
}

/// What locks a row read in a write transaction until it ends: nothing more is needed, as
/// `write_tx` holds the database's one write lock already (and SQLite has no `FOR UPDATE`).
pub(crate) const LOCK_ROW: &str = "";

/// Whether `needle` (a placeholder, already lower-cased for ASCII) occurs in `haystack`,
/// ignoring the case of ASCII letters only (SQLite's `lower` folds nothing else).
pub(crate) fn contains(haystack: &str, needle: &str) -> String {
    format!("instr(lower({haystack}), {needle}) > 0")
}

/// `TicketStore::create_ticket`: through the group-commit writer (`group.rs`).
pub(crate) async fn create_ticket(store: &DbStore, t: store::NewTicket) -> Result<store::Ticket> {
    store.writer.create_ticket(t).await
}

/// `ChatStore::append_chat_message`'s write: through the same group-commit writer.
pub(crate) async fn append_chat_message(
    store: &DbStore,
    m: store::NewChatMessage,
) -> Result<store::ChatMessage> {
    store.writer.append_chat_message(m).await
}

/// Where reads that need no transaction go: the read connections, which never wait for the
/// writer's commit (WAL), not the one write connection.
pub(crate) fn readers(store: &DbStore) -> &Pool {
    &store.readers
}

/// `Store::cluster`: none. On SQLite the desk is one process (the data directory's lock,
/// `server/src/datadir.rs`, keeps a second one out), so there is no one to tell.
pub(crate) fn cluster(_store: &DbStore) -> Option<std::sync::Arc<dyn store::Cluster>> {
    None
}
