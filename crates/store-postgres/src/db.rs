//! What the shared code in `crates/store-sql` needs from PostgreSQL: the types it is compiled
//! against, the migrations, and the few places where PostgreSQL's SQL or locking differs.

use sqlx::Transaction;
use store::Result;

use crate::row::db_err;

pub(crate) type Db = sqlx::Postgres;
pub(crate) type Pool = sqlx::PgPool;
pub(crate) type Row = sqlx::postgres::PgRow;
pub(crate) type Args = sqlx::postgres::PgArguments;
pub(crate) type DbStore = crate::PostgresStore;

/// What [`store::Store::backend`] says.
pub(crate) const NAME: &str = "postgres";

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A transaction that will write.
pub(crate) async fn write_tx(pool: &Pool) -> Result<Transaction<'static, Db>> {
    pool.begin().await.map_err(db_err)
}

/// What locks a row read in a write transaction until it ends: `FOR UPDATE`, so two replies
/// to one ticket (read status, write status) queue instead of one losing the other's change.
pub(crate) const LOCK_ROW: &str = " FOR UPDATE";

/// Whether `needle` (a placeholder, already lower-cased for ASCII) occurs in `haystack`,
/// ignoring the case of ASCII letters only: `lower` under the "C" collation folds nothing
/// else, which is what SQLite's `lower` does.
pub(crate) fn contains(haystack: &str, needle: &str) -> String {
    format!("strpos(lower(({haystack}) COLLATE \"C\"), {needle}) > 0")
}

/// `TicketStore::create_ticket`: each ticket in a transaction of its own. PostgreSQL already commits
/// concurrent transactions together when their WAL flushes coincide, so the pool's connections
/// need no queue in front of them.
pub(crate) async fn create_ticket(store: &DbStore, t: store::NewTicket) -> Result<store::Ticket> {
    let mut tx = write_tx(&store.pool).await?;
    let ticket = crate::store_impl::write_ticket(&mut tx, &t).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(ticket)
}

/// `Store::cluster`: `LISTEN`/`NOTIFY` and advisory locks over this pool (`cluster.rs`).
#[expect(clippy::unnecessary_wraps, reason = "SQLite's hook answers None")]
pub(crate) fn cluster(store: &DbStore) -> Option<std::sync::Arc<dyn store::Cluster>> {
    Some(std::sync::Arc::new(crate::cluster::PgCluster {
        pool: store.pool.clone(),
    }))
}

/// `ChatStore::append_chat_message`'s write: a transaction of its own, as for tickets.
pub(crate) async fn append_chat_message(
    store: &DbStore,
    m: store::NewChatMessage,
) -> Result<store::ChatMessage> {
    let mut tx = write_tx(&store.pool).await?;
    let message = crate::chat::write_chat_message(&mut tx, &m).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(message)
}

/// Where reads that need no transaction go: the pool, which has connections enough.
pub(crate) fn readers(store: &DbStore) -> &Pool {
    &store.pool
}
