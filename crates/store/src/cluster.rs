//! What several server processes on one database share besides the rows: messages to every
//! process (PostgreSQL's `LISTEN`/`NOTIFY`) and locks that hold across processes (advisory
//! locks). [`Store::cluster`](crate::Store::cluster) offers it on a backend that has it; SQLite
//! has none, because on SQLite the desk is one process.
//!
//! The server (`server/src/cluster.rs`) decides what the messages say; this trait carries text.

use async_trait::async_trait;

use crate::Result;

/// Messages and locks across the processes on one database.
#[async_trait]
pub trait Cluster: Send + Sync + std::fmt::Debug {
    /// Sends `payload` to every process listening, this one included. A payload too large for
    /// the backend's message (PostgreSQL: 8000 bytes) is stored and sent as a reference, which
    /// [`Listener::recv`] resolves: callers never see the difference.
    async fn notify(&self, payload: &str) -> Result<()>;

    /// Starts listening, on a connection of its own. Returns once the listening has begun, so
    /// every message sent after the call returns is received.
    async fn listen(&self) -> Result<Box<dyn Listener>>;

    /// Takes the lock named `key` if no process holds it; `None` when another one does. The
    /// lock is held until the guard is dropped (or its process or connection dies).
    async fn try_lock(&self, key: i64) -> Result<Option<Box<dyn LockGuard>>>;
}

/// A listening connection.
#[async_trait]
pub trait Listener: Send + std::fmt::Debug {
    /// The next message. `Ok(None)`: the connection was lost, and messages sent meanwhile are
    /// gone for good; listen again (a new [`Cluster::listen`]) and assume anything changed.
    ///
    /// # Errors
    /// The connection failed in a way that ends this listener as well.
    async fn recv(&mut self) -> Result<Option<String>>;
}

/// A held [`Cluster::try_lock`]; dropping it releases the lock.
pub trait LockGuard: Send + std::fmt::Debug {}
