//! Group commit for new tickets.
//!
//! SQLite in WAL mode with `synchronous=FULL` fsyncs the log at every commit, and it has one
//! writer at a time: one ticket per commit caps the desk at one fsync per ticket. Instead,
//! `create_ticket` hands its ticket to one writer task ([`TicketWriter`]). The task takes every
//! ticket waiting at that moment (at most [`MAX_BATCH`]), writes them all in one `BEGIN
//! IMMEDIATE` transaction, commits once, and only then answers each caller. While one batch
//! is being written and fsynced, the next one gathers in the queue; nothing waits on a timer,
//! so a lone ticket is written at once.
//!
//! * **One ticket, one outcome.** Each ticket is written inside its own `SAVEPOINT`: a ticket
//!   that fails (a unique clash, a bad reference) is rolled back to its savepoint and answered
//!   with its own error, and its neighbours in the batch carry on. (A batch of one needs no
//!   savepoint: its transaction is the ticket's own.)
//! * **No answer before the commit.** Answers are sent after `COMMIT` returned; if the commit
//!   fails, every ticket of the batch gets the error, none is acknowledged, and none is in the
//!   database. A caller that went away meanwhile (a dropped request) does not stop the batch.
//! * The same rows as PostgreSQL's per-ticket transaction (`store-sql/store.rs`,
//!   `write_ticket`): the ticket, its first message and its outbox mail.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Acquire;
use store::{NewTicket, Result, StoreError, Ticket};
use tokio::sync::{mpsc, oneshot};

use crate::db::{Pool, write_tx};
use crate::row::db_err;
use crate::store_impl::write_ticket;

/// The most tickets in one transaction. Large enough that at any realistic concurrency the
/// whole queue goes in one commit, small enough that a batch's transaction stays short (a
/// ticket's three statements take tens of microseconds).
pub(crate) const MAX_BATCH: usize = 256;
/// How many tickets may wait for the writer before `create_ticket` itself waits to queue.
const QUEUE: usize = 4 * MAX_BATCH;

type Reply = oneshot::Sender<Result<Ticket>>;

/// The queue in front of the writer task. Dropping the last clone ends the task once the
/// queue is empty.
#[derive(Debug, Clone)]
pub(crate) struct TicketWriter {
    queue: mpsc::Sender<(NewTicket, Reply)>,
    stats: Arc<Stats>,
}

/// Counters for tests and the curious: how well tickets are being grouped.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    batches: AtomicU64,
    tickets: AtomicU64,
}

/// How many batches the writer wrote (each one transaction, one commit unless it failed) and
/// how many tickets they carried (failed ones included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupCommitStats {
    pub batches: u64,
    pub tickets: u64,
}

impl TicketWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub(crate) fn start(pool: Pool) -> TicketWriter {
        let (queue, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(Stats::default());
        tokio::spawn(run(pool, rx, Arc::clone(&stats)));
        TicketWriter { queue, stats }
    }

    /// Queues a ticket and waits until its batch is committed (or has failed).
    pub(crate) async fn create(&self, t: NewTicket) -> Result<Ticket> {
        let (tx, rx) = oneshot::channel();
        self.queue.send((t, tx)).await.map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }

    pub(crate) fn stats(&self) -> GroupCommitStats {
        GroupCommitStats {
            batches: self.stats.batches.load(Ordering::Relaxed),
            tickets: self.stats.tickets.load(Ordering::Relaxed),
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the ticket writer has stopped".into())
}

/// A failure of the database itself (not of one ticket), repeated to each caller of a batch.
fn copy(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Conflict(m) => StoreError::Conflict(m.clone()),
        StoreError::Backend(m) => StoreError::Backend(m.clone()),
    }
}

async fn run(pool: Pool, mut rx: mpsc::Receiver<(NewTicket, Reply)>, stats: Arc<Stats>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let n = batch.len() as u64;
        let outcomes = write_batch(&pool, &batch).await;
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.tickets.fetch_add(n, Ordering::Relaxed);
        for ((_, reply), outcome) in batch.drain(..).zip(outcomes) {
            // The caller may have gone away; its ticket is committed all the same.
            let _ = reply.send(outcome);
        }
    }
}

/// Writes the batch in one transaction and returns each ticket's outcome, in order. Every
/// `Ok` in the result has been committed.
async fn write_batch(pool: &Pool, batch: &[(NewTicket, Reply)]) -> Vec<Result<Ticket>> {
    match try_write_batch(pool, batch).await {
        Ok(outcomes) => outcomes,
        // The batch failed as a whole (and was rolled back): each caller gets the error.
        Err(e) => batch.iter().map(|_| Err(copy(&e))).collect(),
    }
}

async fn try_write_batch(pool: &Pool, batch: &[(NewTicket, Reply)]) -> Result<Vec<Result<Ticket>>> {
    let mut tx = write_tx(pool).await?;
    if let [(t, _)] = batch {
        // A batch of one (the usual case at low load): the transaction is the ticket's own, so
        // a savepoint would only add two statements to the wait.
        return Ok(match write_ticket(&mut tx, t).await {
            Ok(ticket) => {
                tx.commit().await.map_err(db_err)?;
                vec![Ok(ticket)]
            }
            Err(e) => {
                tx.rollback().await.map_err(db_err)?;
                vec![Err(e)]
            }
        });
    }
    let mut outcomes = Vec::with_capacity(batch.len());
    for (t, _) in batch {
        let mut sp = (&mut *tx).begin().await.map_err(db_err)?;
        match write_ticket(&mut sp, t).await {
            Ok(ticket) => {
                sp.commit().await.map_err(db_err)?;
                outcomes.push(Ok(ticket));
            }
            Err(e) => {
                sp.rollback().await.map_err(db_err)?;
                outcomes.push(Err(e));
            }
        }
    }
    tx.commit().await.map_err(db_err)?;
    Ok(outcomes)
}
