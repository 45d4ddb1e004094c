//! Idle chats: open N user conversations (POST + WebSocket each) on one node, keep them open
//! with nothing said while the desk's heartbeats run, and read the server's resident memory.
//! The levels grow on one server (1,000 → 2,000 → …): each level adds conversations to those
//! already open.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;

use crate::client;
use crate::desk::Desk;
use crate::sys;

/// What to run.
#[derive(Debug, Clone)]
pub struct IdleOptions {
    /// Conversations open at each measurement, ascending.
    pub levels: Vec<usize>,
    /// How long every level stays idle before the memory is read. More than the desk's
    /// heartbeat (20 s), so every connection has been pinged and has answered.
    pub settle: Duration,
    /// Conversations being opened at once.
    pub concurrency: usize,
    pub lang: String,
}

/// One level's figures.
#[derive(Debug, Clone)]
pub struct IdleRow {
    pub chats: usize,
    /// Sockets open (had their `hello`, not closed since) when the memory was read.
    pub open: u64,
    pub failed: u64,
    pub rss_kib: u64,
    pub opened_in: Duration,
    /// WebSocket pings the clients received from the desk, in all, so far.
    pub pings: u64,
    /// Sockets the desk closed.
    pub closed: u64,
}

/// The run's figures.
#[derive(Debug, Clone)]
pub struct IdleReport {
    pub backend: &'static str,
    pub baseline_rss_kib: u64,
    pub rows: Vec<IdleRow>,
    pub first_error: Option<String>,
}

#[derive(Debug, Default)]
struct Counters {
    open: AtomicU64,
    pings: AtomicU64,
    closed: AtomicU64,
}

/// Holds one idle user socket until `stop`: reads (so the library answers pings) and counts.
async fn hold(mut ws: client::Ws, c: Arc<Counters>, mut stop: watch::Receiver<bool>) {
    c.open.fetch_add(1, Ordering::Relaxed);
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            m = ws.next() => match m {
                Some(Ok(Message::Ping(_))) => { c.pings.fetch_add(1, Ordering::Relaxed); }
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    c.open.fetch_sub(1, Ordering::Relaxed);
                    c.closed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Some(Ok(_)) => {}
            },
        }
    }
    c.open.fetch_sub(1, Ordering::Relaxed);
}

/// Runs the levels against the desk's first node.
///
/// # Errors
/// The server died.
pub async fn run(desk: &mut Desk, o: &IdleOptions) -> anyhow::Result<IdleReport> {
    let node = &desk.nodes[0];
    let (base, ws_base, pid) = (node.base.clone(), node.ws_base(), node.pid);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let baseline_rss_kib = sys::rss_kib(pid).unwrap_or(0);
    let http = client::http()?;
    let counters = Arc::new(Counters::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(o.concurrency.max(1)));
    let mut holders = JoinSet::new();
    let mut rows = Vec::new();
    let mut first_error = None;
    let mut failed = 0u64;
    let mut opened = 0usize;
    for &level in &o.levels {
        let started = Instant::now();
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Result<(), String>>();
        let want = level.saturating_sub(opened);
        for _ in 0..want {
            let (http, base, ws_base, lang) =
                (http.clone(), base.clone(), ws_base.clone(), o.lang.clone());
            let (permits, counters, stop, done) = (
                Arc::clone(&permits),
                Arc::clone(&counters),
                stop_rx.clone(),
                done_tx.clone(),
            );
            holders.spawn(async move {
                let ws = {
                    let _p = permits.acquire().await;
                    let r = async {
                        let c = client::start_conversation(&http, &base, &lang).await?;
                        client::connect_user(&ws_base, &c).await
                    }
                    .await;
                    match r {
                        Ok(ws) => {
                            let _ = done.send(Ok(()));
                            ws
                        }
                        Err(e) => {
                            let _ = done.send(Err(format!("{e:#}")));
                            return;
                        }
                    }
                };
                drop(done);
                hold(ws, counters, stop).await;
            });
        }
        drop(done_tx);
        for _ in 0..want {
            match done_rx.recv().await {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    failed += 1;
                    first_error.get_or_insert(e);
                }
                None => break,
            }
        }
        opened = level;
        let opened_in = started.elapsed();
        tokio::time::sleep(o.settle).await;
        if !desk.nodes[0].alive() {
            anyhow::bail!("the server died; its log:\n{}", desk.log_tail(0));
        }
        rows.push(IdleRow {
            chats: level,
            open: counters.open.load(Ordering::Relaxed),
            failed,
            rss_kib: sys::rss_kib(pid).unwrap_or(0),
            opened_in,
            pings: counters.pings.load(Ordering::Relaxed),
            closed: counters.closed.load(Ordering::Relaxed),
        });
    }
    let _ = stop_tx.send(true);
    while holders.join_next().await.is_some() {}
    Ok(IdleReport {
        backend: desk.backend,
        baseline_rss_kib,
        rows,
        first_error,
    })
}
