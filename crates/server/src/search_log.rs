//! The help-center search log, written behind the search instead of inside it.
//!
//! Every search is logged (redacted) for the analytics page. Written one by one, each entry is
//! a durable commit — on SQLite an fsync on the store's one connection — and that commit, not
//! the search, capped searches over HTTP at about 1,100 a second. So a search only puts its entry
//! on a bounded queue and answers; one background task takes whatever has queued up (at most
//! [`MAX_BATCH`] entries) and writes it with [`store::HelpStore::log_searches`]: one transaction, one
//! commit per batch.
//!
//! No entry is dropped on purpose:
//! * **Queue full** (the store is slower than the searches): the search writes its entry itself,
//!   as before the queue, and waits for it. Counted in [`Stats::direct`].
//! * **Batch write fails**: retried; after the last try the entries are lost, which is logged
//!   at `error` with their number and counted in [`Stats::lost`] — the same outcome as a failed
//!   single write, which was logged and not retried.
//! * **Shutdown**: [`SearchLog::shutdown`] (called by `serve::run` once in-flight requests are
//!   done) writes what is queued before returning; entries logged after it are written
//!   directly.
//! * **Reads**: the analytics page calls [`SearchLog::flush`] first, so a search that has
//!   answered is always in the report.
//!
//! The writer task is started on the first entry (so building an `AppState` outside a search,
//! as `walletdesk reindex` does, starts nothing), on the runtime of that request.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use store::{SearchLogEntry, Store};
use tokio::sync::{mpsc, oneshot};

/// Entries the queue holds before searches write their own (about a second of peak searches).
pub const QUEUE_CAPACITY: usize = 4096;
/// Most entries written in one transaction.
pub const MAX_BATCH: usize = 512;
/// Pauses before the retries of a failed batch.
const RETRY_PAUSES: [Duration; 2] = [Duration::from_millis(100), Duration::from_secs(1)];

enum Msg {
    Entry(SearchLogEntry),
    /// Answered once every entry queued before it is written (or given up on).
    Flush(oneshot::Sender<()>),
}

/// What the log has done since start, for tests and the log line at shutdown.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Entries written by the background task.
    pub batched: u64,
    /// Entries the search wrote itself because the queue was full or closed.
    pub direct: u64,
    /// Entries lost because the store refused them (logged at `error`).
    pub lost: u64,
}

#[derive(Debug, Default)]
struct Counters {
    batched: AtomicU64,
    direct: AtomicU64,
    lost: AtomicU64,
}

/// The queue in front of [`store::HelpStore::log_searches`]; one per [`crate::AppState`].
#[derive(Debug)]
pub struct SearchLog {
    store: Arc<dyn Store>,
    queue: OnceLock<mpsc::Sender<Msg>>,
    closed: AtomicBool,
    counters: Arc<Counters>,
}

impl SearchLog {
    #[must_use]
    pub fn new(store: Arc<dyn Store>) -> SearchLog {
        SearchLog {
            store,
            queue: OnceLock::new(),
            closed: AtomicBool::new(false),
            counters: Arc::default(),
        }
    }

    fn sender(&self) -> &mpsc::Sender<Msg> {
        self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
            tokio::spawn(write_loop(
                Arc::clone(&self.store),
                rx,
                Arc::clone(&self.counters),
            ));
            tx
        })
    }

    /// Logs one search: queued, or written at once when the queue is full or closed. Never
    /// fails the search; a direct write that fails is logged, as it always was.
    pub async fn record(&self, entry: SearchLogEntry) {
        let entry = if self.closed.load(Ordering::Acquire) {
            entry
        } else {
            // Refused when the queue is full, or when the writer is gone (its runtime ended):
            // then the entry is written here.
            let Err(refused) = self.sender().try_send(Msg::Entry(entry)) else {
                return;
            };
            let Msg::Entry(entry) = refused.into_inner() else {
                return; // Only entries are sent here.
            };
            entry
        };
        self.counters.direct.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = self.store.log_search(entry).await {
            tracing::warn!(error = %e, "search not logged");
        }
    }

    /// Returns once every entry recorded before the call is in the store (or, if the store
    /// refused it, counted as lost and logged).
    pub async fn flush(&self) {
        let Some(tx) = self.queue.get() else {
            return; // Nothing was ever queued.
        };
        let (done, wait) = oneshot::channel();
        if tx.send(Msg::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }

    /// Writes what is queued; later entries are written directly. For graceful shutdown,
    /// after the last request has finished.
    pub async fn shutdown(&self) {
        self.closed.store(true, Ordering::Release);
        self.flush().await;
        let s = self.stats();
        tracing::info!(
            batched = s.batched,
            direct = s.direct,
            lost = s.lost,
            "search log flushed"
        );
    }

    #[must_use]
    pub fn stats(&self) -> Stats {
        Stats {
            batched: self.counters.batched.load(Ordering::Relaxed),
            direct: self.counters.direct.load(Ordering::Relaxed),
            lost: self.counters.lost.load(Ordering::Relaxed),
        }
    }
}

async fn write_loop(store: Arc<dyn Store>, mut rx: mpsc::Receiver<Msg>, counters: Arc<Counters>) {
    let mut msgs = Vec::with_capacity(MAX_BATCH);
    let mut entries = Vec::with_capacity(MAX_BATCH);
    let mut flushes = Vec::new();
    while rx.recv_many(&mut msgs, MAX_BATCH).await > 0 {
        for m in msgs.drain(..) {
            match m {
                Msg::Entry(e) => entries.push(e),
                Msg::Flush(done) => flushes.push(done),
            }
        }
        if !entries.is_empty() {
            write_batch(&*store, &entries, &counters).await;
            entries.clear();
        }
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
    }
}

async fn write_batch(store: &dyn Store, batch: &[SearchLogEntry], counters: &Counters) {
    let n = u64::try_from(batch.len()).unwrap_or(u64::MAX);
    let mut pauses = RETRY_PAUSES.iter();
    loop {
        match store.log_searches(batch).await {
            Ok(()) => {
                counters.batched.fetch_add(n, Ordering::Relaxed);
                return;
            }
            Err(e) => match pauses.next() {
                Some(pause) => {
                    tracing::warn!(error = %e, entries = n, "search log batch not written; retrying");
                    tokio::time::sleep(*pause).await;
                }
                None => {
                    counters.lost.fetch_add(n, Ordering::Relaxed);
                    tracing::error!(error = %e, entries = n, "search log batch lost");
                    return;
                }
            },
        }
    }
}
