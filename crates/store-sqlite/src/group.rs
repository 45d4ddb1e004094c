//! Group commit for new tickets and chat messages.
//!
//! SQLite in WAL mode with `synchronous=FULL` fsyncs the log at every commit, and it has one
//! writer at a time: one write per commit caps the desk at one fsync per ticket or chat
//! message (~300 a second on this disk, `docs/BENCHMARKS.md`). Instead, `create_ticket` and
//! `append_chat_message` hand their rows to one writer task ([`Writer`]). The task takes every
//! job waiting at that moment (at most [`MAX_BATCH`]), writes them all in one `BEGIN
//! IMMEDIATE` transaction, commits once, and only then answers each caller. While one batch
//! is being written and fsynced, the next one gathers in the queue; nothing waits on a timer,
//! so a lone ticket or message is written at once.
//!
//! * **One job, one outcome.** A batch is first written as it is, in one transaction. If a job
//!   fails (a unique clash such as a resent chat message's client id, a bad reference), that
//!   attempt is rolled back and the batch is written again with each job inside its own
//!   `SAVEPOINT`: the failing one is rolled back to its savepoint and answered with its own
//!   error, and its neighbours carry on. Failures are rare, so most batches pay for no
//!   savepoint. (A batch of one needs none either way: its transaction is the job's own.)
//! * **No answer before the commit.** Answers are sent after `COMMIT` returned; if the commit
//!   fails, every job of the batch gets the error, none is acknowledged, and none is in the
//!   database. A caller that went away meanwhile (a dropped request) does not stop the batch.
//! * The same rows as PostgreSQL's per-write transactions (`store-sql/tickets.rs`'s
//!   `write_ticket`: the ticket, its first message and its outbox mail; `store-sql/chat.rs`'s
//!   `write_chat_message`: the message, the ticket's status and times, the chat columns).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::{Author, MessageKind, Redacted};
use sqlx::{Acquire, Transaction};
use store::{ChatMessage, NewChatMessage, NewTicket, Result, StoreError, Ticket};
use tokio::sync::{mpsc, oneshot};

use crate::chat::write_chat_message;
use crate::db::{Db, Pool, write_tx};
use crate::row::db_err;
use crate::store_impl::write_ticket;

/// The most jobs in one transaction. Large enough that at any realistic concurrency the
/// whole queue goes in one commit, small enough that a batch's transaction stays short (a
/// job's three or four statements take tens of microseconds).
pub(crate) const MAX_BATCH: usize = 256;
/// How many jobs may wait for the writer before a caller itself waits to queue.
const QUEUE: usize = 4 * MAX_BATCH;

/// One write the task does for a caller, with where its answer goes.
enum Job {
    Ticket(Box<NewTicket>, oneshot::Sender<Result<Ticket>>),
    ChatMessage(Box<NewChatMessage>, oneshot::Sender<Result<ChatMessage>>),
}

/// What a job came to, before it is sent to its caller.
enum Outcome {
    Ticket(Box<Result<Ticket>>),
    ChatMessage(Result<ChatMessage>),
}

impl Job {
    fn failed(&self, e: &StoreError) -> Outcome {
        match self {
            Job::Ticket(..) => Outcome::Ticket(Box::new(Err(copy(e)))),
            Job::ChatMessage(..) => Outcome::ChatMessage(Err(copy(e))),
        }
    }

    /// Sends the outcome to the caller, who may have gone away: the write stands all the same.
    fn answer(self, outcome: Outcome) {
        match (self, outcome) {
            (Job::Ticket(_, reply), Outcome::Ticket(o)) => {
                let _ = reply.send(*o);
            }
            (Job::ChatMessage(_, reply), Outcome::ChatMessage(o)) => {
                let _ = reply.send(o);
            }
            // `write_one` answers each job with its own kind.
            (Job::Ticket(_, reply), Outcome::ChatMessage(_)) => {
                let _ = reply.send(Err(StoreError::Backend("mismatched write outcome".into())));
            }
            (Job::ChatMessage(_, reply), Outcome::Ticket(_)) => {
                let _ = reply.send(Err(StoreError::Backend("mismatched write outcome".into())));
            }
        }
    }
}

/// The queue in front of the writer task. Dropping the last clone ends the task once the
/// queue is empty.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Job>,
    stats: Arc<Stats>,
}

/// Counters for tests and the curious: how well writes are being grouped.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    batches: AtomicU64,
    tickets: AtomicU64,
    chat_messages: AtomicU64,
    retried: AtomicU64,
}

/// How many batches the writer wrote (each one transaction, one commit unless it failed) and
/// how many tickets and chat messages they carried (failed ones included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupCommitStats {
    pub batches: u64,
    pub tickets: u64,
    pub chat_messages: u64,
    /// Batches whose first, all-at-once attempt failed and that were written again job by
    /// job (a job failed, or the database did).
    pub retried: u64,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Job::Ticket(..) => "Job::Ticket",
            Job::ChatMessage(..) => "Job::ChatMessage",
        })
    }
}

impl Writer {
    /// Starts the writer task on the current Tokio runtime.
    pub(crate) fn start(pool: Pool) -> Writer {
        let (queue, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(Stats::default());
        tokio::spawn(run(pool, rx, Arc::clone(&stats)));
        Writer { queue, stats }
    }

    /// Queues a ticket and waits until its batch is committed (or has failed).
    pub(crate) async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let (tx, rx) = oneshot::channel();
        self.queue
            .send(Job::Ticket(Box::new(t), tx))
            .await
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }

    /// Queues a chat message and waits until its batch is committed (or has failed). A client
    /// id the conversation has already is a `Conflict`, and nothing of it was written.
    pub(crate) async fn append_chat_message(&self, m: NewChatMessage) -> Result<ChatMessage> {
        let (tx, rx) = oneshot::channel();
        self.queue
            .send(Job::ChatMessage(Box::new(m), tx))
            .await
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }

    pub(crate) fn stats(&self) -> GroupCommitStats {
        GroupCommitStats {
            batches: self.stats.batches.load(Ordering::Relaxed),
            tickets: self.stats.tickets.load(Ordering::Relaxed),
            chat_messages: self.stats.chat_messages.load(Ordering::Relaxed),
            retried: self.stats.retried.load(Ordering::Relaxed),
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the database writer has stopped".into())
}

/// A failure of the database itself (not of one ticket), repeated to each caller of a batch.
fn copy(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Conflict(m) => StoreError::Conflict(m.clone()),
        StoreError::Backend(m) => StoreError::Backend(m.clone()),
    }
}

async fn run(pool: Pool, mut rx: mpsc::Receiver<Job>, stats: Arc<Stats>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // The number the next ticket will get, as far as this task knows (see `write_tickets`).
    let mut next_id = None;
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        for job in &batch {
            let counter = match job {
                Job::Ticket(..) => &stats.tickets,
                Job::ChatMessage(..) => &stats.chat_messages,
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let outcomes = write_batch(&pool, &batch, &stats, &mut next_id).await;
        stats.batches.fetch_add(1, Ordering::Relaxed);
        for (job, outcome) in batch.drain(..).zip(outcomes) {
            job.answer(outcome);
        }
    }
}

/// Writes the batch in one transaction and returns each job's outcome, in order. Every `Ok`
/// in the result has been committed.
async fn write_batch(
    pool: &Pool,
    batch: &[Job],
    stats: &Stats,
    next_id: &mut Option<i64>,
) -> Vec<Outcome> {
    match try_write_batch(pool, batch, stats, next_id).await {
        Ok(outcomes) => outcomes,
        // The batch failed as a whole (and was rolled back): each caller gets the error.
        Err(e) => batch.iter().map(|j| j.failed(&e)).collect(),
    }
}

/// One job's rows, on a transaction or savepoint the caller commits or rolls back.
async fn write_one(tx: &mut Transaction<'_, Db>, job: &Job) -> (Outcome, bool) {
    match job {
        Job::Ticket(t, _) => {
            let r = write_ticket(tx, t).await;
            let ok = r.is_ok();
            (Outcome::Ticket(Box::new(r)), ok)
        }
        Job::ChatMessage(m, _) => {
            let r = write_chat_message(tx, m).await;
            let ok = r.is_ok();
            (Outcome::ChatMessage(r), ok)
        }
    }
}

async fn try_write_batch(
    pool: &Pool,
    batch: &[Job],
    stats: &Stats,
    next_id: &mut Option<i64>,
) -> Result<Vec<Outcome>> {
    // New tickets only (what a burst of forms, mails and API calls is): one round trip to
    // SQLite's worker thread for the whole batch (`write_tickets`), not five per ticket.
    let tickets: Vec<&NewTicket> = batch
        .iter()
        .filter_map(|j| match j {
            Job::Ticket(t, _) => Some(&**t),
            Job::ChatMessage(..) => None,
        })
        .collect();
    if tickets.len() == batch.len() {
        match write_tickets(pool, &tickets, next_id).await {
            Ok(written) => {
                return Ok(written
                    .into_iter()
                    .map(|t| Outcome::Ticket(Box::new(Ok(t))))
                    .collect());
            }
            // Rolled back; written again below, job by job, so that only a failing job fails
            // (and a batch of one gets its own error).
            Err(_) => {
                stats.retried.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    let mut tx = write_tx(pool).await?;
    if let [job] = batch {
        // A batch of one: the transaction is the job's own, so a savepoint would only add two
        // statements to the wait.
        let (outcome, ok) = write_one(&mut tx, job).await;
        if ok {
            tx.commit().await.map_err(db_err)?;
        } else {
            tx.rollback().await.map_err(db_err)?;
        }
        return Ok(vec![outcome]);
    }
    if tickets.len() < batch.len() {
        // Chat messages (with or without tickets): optimistic first, the whole batch without
        // savepoints, one job after another. A job that fails (rare: a resent message's client
        // id) rolls the attempt back, and the batch is written again below.
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in batch {
            let (outcome, ok) = write_one(&mut tx, job).await;
            if !ok {
                break;
            }
            outcomes.push(outcome);
        }
        if outcomes.len() == batch.len() {
            tx.commit().await.map_err(db_err)?;
            return Ok(outcomes);
        }
        tx.rollback().await.map_err(db_err)?;
        stats.retried.fetch_add(1, Ordering::Relaxed);
        tx = write_tx(pool).await?;
    }
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        let mut sp = (&mut *tx).begin().await.map_err(db_err)?;
        let (outcome, ok) = write_one(&mut sp, job).await;
        if ok {
            sp.commit().await.map_err(db_err)?;
        } else {
            sp.rollback().await.map_err(db_err)?;
        }
        outcomes.push(outcome);
    }
    tx.commit().await.map_err(db_err)?;
    Ok(outcomes)
}

/// Most rows in one `INSERT` (each row binds at most 16 values; SQLite allows 32 766).
const ROWS_PER_INSERT: usize = MAX_BATCH;

/// Writes new tickets' rows — the same as [`write_ticket`] for each — in one transaction of
/// its own, committed before it returns, in one round trip to SQLite's worker thread: `BEGIN
/// IMMEDIATE`, the tickets, their first messages and their mails (one `INSERT` per table), and
/// `COMMIT`, as one string of statements. The tickets come back in the order given. Any failure
/// rolls all of them back; the caller then writes them one by one to find the one that failed.
///
/// **Numbers known in advance.** A ticket's mail names its number (its subject, its
/// Message-ID), and its first message refers to it, so the numbers are needed before the
/// tickets' own `INSERT` has run. This task writes nearly every ticket, so it keeps the next
/// number (`next_id`, read from `sqlite_sequence` when unknown) and gives the batch's tickets the
/// numbers from there. The tickets' `INSERT` is guarded: unless `sqlite_sequence` still says
/// what this task expected, inside the write lock that `BEGIN IMMEDIATE` took, each row's
/// status is NULL and the `NOT NULL` column fails the statement. If something else made a
/// ticket meanwhile (a chat starting), the batch is rolled back before its messages and mails
/// are written (they would otherwise land on that other ticket): `next_id` is forgotten and
/// read again, and the caller writes the batch again the slow way. No ticket is ever stored
/// under a number its mail does not name.
///
/// The transaction is opened and committed in the statements themselves, not through
/// `sqlx::Transaction` (whose `BEGIN` and `COMMIT` are a round trip each): on any failure it
/// is rolled back here, and a connection whose `ROLLBACK` failed is closed rather than returned
/// to the pool half-way through a transaction.
async fn write_tickets(
    pool: &Pool,
    ts: &[&NewTicket],
    next_id: &mut Option<i64>,
) -> Result<Vec<Ticket>> {
    let mut conn = pool.acquire().await.map_err(db_err)?;
    let first = match *next_id {
        Some(n) => n,
        None => {
            let (seq,): (i64,) = sqlx::query_as(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'tickets'), 0)",
            )
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
            seq + 1
        }
    };
    match insert_tickets(&mut conn, ts, first).await {
        Ok(tickets) => {
            *next_id = tickets.last().map(|t| t.id.0 + 1);
            Ok(tickets)
        }
        Err(e) => {
            *next_id = None;
            if let Err(rollback) = sqlx::query("ROLLBACK").execute(&mut *conn).await
                && !rollback.to_string().contains("no transaction is active")
            {
                tracing::warn!(error = %rollback, "ROLLBACK failed; the connection is closed");
                conn.close_on_drop();
            }
            Err(e)
        }
    }
}

/// The ticket `t` becomes as row `id`, as `INSERT` writes it (`write_ticket`'s columns and
/// defaults); the mail is built from it before the row exists.
fn ticket_as_written(t: &NewTicket, id: i64) -> Ticket {
    Ticket {
        id: domain::TicketId(id),
        requester: t.requester.clone(),
        category: t.category,
        subject: t.subject.clone(),
        fields: t.fields.clone(),
        status: domain::Status::New,
        priority: t.priority,
        assignee: None,
        tags: Vec::new(),
        secret_exposed: t.secret_exposed,
        lang: t.lang,
        channel: t.channel,
        created_at: t.now,
        updated_at: t.now,
        first_response_at: None,
        first_response_due: t.first_response_due,
        resolution_due: t.resolution_due,
        solved_at: None,
        closed_at: None,
        merged_into: None,
        rating: None,
    }
}

/// The statements of [`write_tickets`], on its connection, with the tickets numbered from
/// `first`.
async fn insert_tickets(
    conn: &mut sqlx::SqliteConnection,
    ts: &[&NewTicket],
    first: i64,
) -> Result<Vec<Ticket>> {
    debug_assert!(ts.len() <= ROWS_PER_INSERT);
    let expected: Vec<Ticket> = ts
        .iter()
        .zip(first..)
        .map(|(t, id)| ticket_as_written(t, id))
        .collect();
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "BEGIN IMMEDIATE; INSERT INTO tickets (id, requester, category, subject, chain, tx_hash, \
         address, app_version, device_os, status, priority, tags, secret_exposed, lang, \
         access_token, created_at, updated_at, first_response_due, resolution_due, channel) ",
    );
    q.push_values(ts.iter().zip(&expected), |mut b, (t, ticket)| {
        b.push_bind(ticket.id.0)
            .push_bind(t.requester.as_str())
            .push_bind(t.category.as_str())
            .push_bind(t.subject.as_str())
            .push_bind(t.fields.chain.as_deref())
            .push_bind(t.fields.tx_hash.as_deref())
            .push_bind(t.fields.address.as_deref())
            .push_bind(t.fields.app_version.as_ref().map(Redacted::as_str))
            .push_bind(t.fields.device_os.as_ref().map(Redacted::as_str))
            // The guard (see `write_tickets`): the status is NULL, which its column refuses,
            // unless the numbers are still free. `sqlite_sequence` moves on only when the
            // statement ends, so every row sees what was there before it.
            .push(
                "CASE WHEN coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'tickets'), 0) \
                 = ",
            )
            .push_bind_unseparated(first - 1)
            .push_unseparated(" THEN 'new' END")
            .push_bind(t.priority.as_str())
            .push("'[]'")
            .push_bind(t.secret_exposed)
            .push_bind(t.lang.as_str())
            .push_bind(t.access_token.0.as_str())
            .push_bind(t.now.0)
            .push_bind(t.now.0)
            .push_bind(t.first_response_due.map(|d| d.0))
            .push_bind(t.resolution_due.map(|d| d.0))
            .push_bind(t.channel.as_str());
    });
    q.push(" RETURNING *; ");
    // A ticket's first mail is its thread's root: its Message-ID is known before the insert
    // (`outbox::thread_root_id`), so they go in one statement, with the messages and the
    // commit. A mail that is not one (no caller makes one) sends the batch the slow way, where
    // `insert_mail` numbers it after its row exists.
    let mut roots = Vec::new();
    for (t, ticket) in ts.iter().zip(&expected) {
        if let Some(mail) = &t.mail {
            let m = mail.build(ticket);
            let root = crate::outbox::thread_root_id(&m).ok_or_else(|| {
                StoreError::Backend("a ticket's mail that is not its thread's root".into())
            })?;
            roots.push((m, root));
        }
    }
    let (author_type, author_agent) = crate::row::author_columns(Author::User);
    q.push(
        "INSERT INTO messages (ticket_id, author_type, author_agent, kind, body, \
         secrets_removed, created_at) ",
    );
    q.push_values(ts.iter().zip(&expected), |mut b, (t, ticket)| {
        b.push_bind(ticket.id.0)
            .push_bind(author_type)
            .push_bind(author_agent)
            .push_bind(MessageKind::Public.as_str())
            .push_bind(t.body.as_str())
            // NewTicket carries only whether something was removed, not how much.
            .push_bind(i64::from(u32::from(t.secret_exposed)))
            .push_bind(t.now.0);
    });
    if !roots.is_empty() {
        q.push(
            "; INSERT INTO outbox (to_addr, subject, body_text, kind, ticket_id, created_at, \
             link_seed, message_id, lang) ",
        );
        q.push_values(roots, |mut b, (m, root)| {
            b.push_bind(m.to.as_str().to_owned())
                .push_bind(m.subject.into_string())
                .push_bind(m.body_text.into_string())
                .push_bind(m.kind)
                .push_bind(m.ticket_id.map(|t| t.0))
                .push_bind(m.now.0)
                .push_bind(m.link_seed)
                .push_bind(root)
                .push_bind(m.lang.as_str());
        });
    }
    q.push("; COMMIT");
    let rows = q.build().fetch_all(&mut *conn).await.map_err(db_err)?;
    let mut tickets = Vec::with_capacity(rows.len());
    for r in &rows {
        tickets.push(crate::row::ticket(r)?);
    }
    tickets.sort_by_key(|t| t.id);
    debug_assert_eq!(
        tickets, expected,
        "a ticket was written other than as expected"
    );
    Ok(tickets)
}
