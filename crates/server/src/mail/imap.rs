//! Fetching inbound mail from a mailbox over IMAP (IDLE where the server has it, polling
//! otherwise); in production every message goes through [`super::inbound::receive`].
//!
//! The fetcher ([`run`]) takes the message handler as a parameter ([`Handler`]): the server
//! passes [`Receive`], tests pass their own. One pass over the folder:
//!
//! 1. `UID SEARCH UNDELETED UNKEYWORD $WalletdeskImported` — every message not yet taken;
//! 2. in chunks of [`CHUNK`]: their sizes, then `UID FETCH … BODY.PEEK[]` (the `\Seen` flag
//!    is left alone) in runs of at most [`BATCH_BYTES`], and the handler once per message;
//! 3. **hygiene**: a message that held a secret (`secrets_removed > 0`) is marked `\Deleted`
//!    and expunged (`UID EXPUNGE` with UIDPLUS), so the mailbox does not become the secret
//!    store the desk refuses to be; the others are moved to the imported folder (`UID MOVE`,
//!    or COPY + `\Deleted` + expunge) or, with moving off, marked `$WalletdeskImported`.
//!
//! Then it waits: IDLE when the server advertises it (renewed every poll interval), else the
//! poll interval — unless new mail was announced (`EXISTS`) in the replies to its own commands
//! during the pass or before IDLE began, when it goes again at once. Errors close the connection and it reconnects with back-off (1 s doubling to
//! 5 min). What it must remember across reconnects is kept in memory per `UIDVALIDITY`:
//! messages handled whose hygiene has not happened yet (they are not handed over twice), and
//! per-UID failure counts — a message the handler refuses is flagged `$WalletdeskFailed`,
//! left in the folder, logged once, and tried at most [`MAX_ATTEMPTS`] times per process.
//!
//! Nothing here logs a message's subject or body (they may hold a secret before redaction):
//! UIDs and sizes only, and IMAP protocol errors through [`describe`], which leaves out the
//! parser's view of the data.

pub mod config;
pub mod conn;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::Duration;

use async_imap::Session;
use async_imap::types::UnsolicitedResponse;
use futures_util::TryStreamExt;
use tokio::sync::watch;

pub use config::{ImapConfig, ImapUrl, Security, Settings};
use conn::Conn;

use crate::AppState;

/// Messages fetched (and held in memory) at once.
pub const CHUNK: usize = 100;
/// Bytes of messages held in memory at once (one larger message is fetched on its own).
pub const BATCH_BYTES: u64 = 16 * 1024 * 1024;
/// How often one message is offered to a handler that keeps refusing it, per process.
pub const MAX_ATTEMPTS: u32 = 3;
/// The keyword on messages taken while moving is off.
pub const IMPORTED_KEYWORD: &str = "$WalletdeskImported";
/// The keyword on messages the handler refused.
pub const FAILED_KEYWORD: &str = "$WalletdeskFailed";

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// What the handler says about a message it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    /// Secrets redaction removed; more than 0 means the message is deleted from the mailbox.
    pub secrets_removed: usize,
}

/// Takes one raw RFC 5322 message. An `Err` leaves the message in the mailbox; its text is
/// logged, so it must not quote the message.
pub trait Handler: Send + Sync {
    fn handle(&self, raw: Vec<u8>) -> impl Future<Output = Result<Handled, String>> + Send;
}

/// The production handler: [`super::inbound::receive`].
#[derive(Debug, Clone)]
pub struct Receive(pub AppState);

impl Handler for Receive {
    async fn handle(&self, raw: Vec<u8>) -> Result<Handled, String> {
        super::inbound::receive(&self.0, &raw)
            .await
            .map(|r| Handled {
                secrets_removed: r.secrets_removed,
            })
            .map_err(|e| e.to_string())
    }
}

/// Why a connection ended.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("login refused: {0}")]
    Login(String),
    #[error("{0}")]
    Imap(String),
}

impl From<async_imap::error::Error> for FetchError {
    fn from(e: async_imap::error::Error) -> Self {
        FetchError::Imap(describe(&e))
    }
}

/// An IMAP error for the log. Parse errors carry the bytes the parser choked on, which may be
/// part of a message: those are named, not shown.
#[must_use]
pub fn describe(e: &async_imap::error::Error) -> String {
    use async_imap::error::Error;
    match e {
        Error::Parse(_) => "could not parse the server's response".into(),
        Error::Io(e) => format!("io: {e}"),
        Error::Bad(s) => format!("server said BAD: {s}"),
        Error::No(s) => format!("server said NO: {s}"),
        other => other.to_string(),
    }
}

/// Starts the fetcher in the background when `[mail] imap_url` is set; `None` otherwise.
/// Sending `true` on the channel's other end (or dropping it) stops it after the current
/// message.
#[must_use]
pub fn start(
    state: &AppState,
    shutdown: watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    let settings = match state.config.imap_settings() {
        Ok(Some(s)) => s,
        Ok(None) => return None,
        Err(e) => {
            // `Config::load` checked it already; a hand-built config may not have been.
            tracing::error!(error = %e, "IMAP: not started");
            return None;
        }
    };
    Some(tokio::spawn(run(
        settings,
        Receive(state.clone()),
        shutdown,
    )))
}

/// What survives a reconnect.
#[derive(Debug, Default)]
struct Memory {
    uid_validity: Option<u32>,
    /// Handled, hygiene still to do: UID → held a secret.
    done: BTreeMap<u32, bool>,
    /// UID → times the handler refused it.
    failures: HashMap<u32, u32>,
    /// The server announced new mail (EXISTS) since the last look.
    announced: bool,
}

/// Fetches until `shutdown` says stop (`true`, or its sender dropped). Never returns an error:
/// it logs, waits and reconnects.
pub async fn run<H: Handler>(settings: Settings, handler: H, mut shutdown: watch::Receiver<bool>) {
    let mut memory = Memory::default();
    let mut backoff = FIRST_BACKOFF;
    loop {
        if stopping(&shutdown) {
            return;
        }
        match session(
            &settings,
            &handler,
            &mut memory,
            &mut backoff,
            &mut shutdown,
        )
        .await
        {
            Ok(()) => {
                tracing::info!(folder = %settings.url.folder, "IMAP: stopped");
                return;
            }
            Err(e) => {
                tracing::warn!(
                    host = %settings.url.host,
                    error = %e,
                    retry_in_secs = backoff.as_secs(),
                    "IMAP: connection ended; reconnecting"
                );
                if sleep_or_stop(backoff, &mut shutdown).await {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

fn stopping(shutdown: &watch::Receiver<bool>) -> bool {
    *shutdown.borrow() || shutdown.has_changed().is_err()
}

/// Sleeps; `true` when asked to stop meanwhile.
async fn sleep_or_stop(d: Duration, shutdown: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        () = tokio::time::sleep(d) => stopping(shutdown),
        _ = shutdown.changed() => true,
    }
}

#[derive(Debug, Clone, Copy)]
struct Caps {
    idle: bool,
    mv: bool,
    uidplus: bool,
}

/// One connection: `Ok` when asked to stop, `Err` when the connection failed.
async fn session<H: Handler>(
    settings: &Settings,
    handler: &H,
    memory: &mut Memory,
    backoff: &mut Duration,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<(), FetchError> {
    let mut s = conn::open(&settings.url).await?;
    *backoff = FIRST_BACKOFF;
    let caps = s.capabilities().await?;
    let caps = Caps {
        idle: caps.has_str("IDLE"),
        mv: caps.has_str("MOVE"),
        uidplus: caps.has_str("UIDPLUS"),
    };
    let imported = if settings.move_imported {
        Some(ensure_folder(&mut s, &settings.imported_folder).await?)
    } else {
        None
    };
    let mailbox = s.select(&settings.url.folder).await?;
    if mailbox.uid_validity != memory.uid_validity {
        // UIDs of another validity name other messages.
        *memory = Memory {
            uid_validity: mailbox.uid_validity,
            ..Memory::default()
        };
    }
    tracing::info!(
        host = %settings.url.host,
        folder = %settings.url.folder,
        idle = caps.idle,
        messages = mailbox.exists,
        "IMAP: connected"
    );
    loop {
        // What was announced before this pass's SEARCH, the SEARCH sees anyway.
        memory.announced = false;
        note_announcements(&s, memory);
        pass(
            &mut s,
            settings,
            caps,
            imported.as_deref(),
            handler,
            memory,
            shutdown,
        )
        .await?;
        if stopping(shutdown) {
            break;
        }
        // Mail that arrived during the pass was announced (EXISTS) in the replies to our own
        // commands, not in IDLE: it would wait for the next poll. Go again instead.
        note_announcements(&s, memory);
        if memory.announced {
            continue;
        }
        if caps.idle {
            let announcements = s.unsolicited_responses.clone();
            let mut idle = s.idle();
            idle.init().await?;
            // …and the same for what arrived between the pass and the start of IDLE.
            let arrived =
                std::iter::from_fn(|| announcements.try_recv().ok()).any(|r| is_new_mail(&r));
            let stop = if arrived {
                false
            } else {
                let (wait, _interrupt) = idle.wait_with_timeout(settings.poll);
                tokio::select! {
                    r = wait => { r?; false }
                    _ = shutdown.changed() => true,
                }
            };
            s = idle.done().await?;
            if stop {
                break;
            }
        } else if sleep_or_stop(settings.poll, shutdown).await {
            break;
        }
    }
    // A polite goodbye; the server copes without one.
    let _ = s.logout().await;
    Ok(())
}

/// The imported folder's name on this server (its hierarchy separator for `/`), created and
/// subscribed when missing.
async fn ensure_folder(s: &mut Session<Conn>, wanted: &str) -> Result<String, FetchError> {
    let names: Vec<_> = s.list(Some(""), Some("\"\"")).await?.try_collect().await?;
    let delimiter = names
        .first()
        .and_then(|n| n.delimiter())
        .unwrap_or("/")
        .to_owned();
    let name = wanted.replace('/', &delimiter);
    let found: Vec<_> = s
        .list(Some(""), Some(&quote(&name)))
        .await?
        .try_collect()
        .await?;
    if found.is_empty() {
        s.create(&name).await?;
        // Mail clients show subscribed folders; not being able to is no reason to stop.
        let _ = s.subscribe(&name).await;
        tracing::info!(folder = %name, "IMAP: created the imported folder");
    }
    Ok(name)
}

/// An IMAP quoted string (folder names are checked to be plain ASCII by the settings).
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn is_new_mail(r: &UnsolicitedResponse) -> bool {
    matches!(
        r,
        UnsolicitedResponse::Exists(_) | UnsolicitedResponse::Recent(_)
    )
}

/// Empties the session's channel of unsolicited responses (async-imap drops new ones when it
/// is full, and a pass's MOVE fills it with EXPUNGEs), remembering whether new mail was
/// announced.
fn note_announcements(s: &Session<Conn>, memory: &mut Memory) {
    while let Ok(r) = s.unsolicited_responses.try_recv() {
        memory.announced |= is_new_mail(&r);
    }
}

/// Takes every message not yet taken, then tidies up.
async fn pass<H: Handler>(
    s: &mut Session<Conn>,
    settings: &Settings,
    caps: Caps,
    imported: Option<&str>,
    handler: &H,
    memory: &mut Memory,
    shutdown: &watch::Receiver<bool>,
) -> Result<(), FetchError> {
    let found = s
        .uid_search(format!("UNDELETED UNKEYWORD {IMPORTED_KEYWORD}"))
        .await?;
    let mut todo: Vec<u32> = found
        .into_iter()
        .filter(|uid| !memory.done.contains_key(uid))
        .filter(|uid| memory.failures.get(uid).copied().unwrap_or(0) < MAX_ATTEMPTS)
        .collect();
    todo.sort_unstable();
    // Hygiene left over from a connection that broke first.
    tidy(s, settings, caps, imported, memory).await?;
    for chunk in todo.chunks(CHUNK) {
        if stopping(shutdown) {
            break;
        }
        // Sizes first, so that what is held in memory at once stays bounded.
        let sizes: Vec<(u32, u64)> = s
            .uid_fetch(uid_set(chunk), "(UID RFC822.SIZE)")
            .await?
            .try_filter_map(|f| async move { Ok(f.uid.zip(f.size.map(u64::from))) })
            .try_collect()
            .await?;
        for group in batches(&sizes, BATCH_BYTES) {
            let fetched: Vec<_> = s
                .uid_fetch(uid_set(&group), "(UID BODY.PEEK[])")
                .await?
                .try_collect()
                .await?;
            for f in fetched {
                let (Some(uid), Some(body)) = (f.uid, f.body()) else {
                    continue;
                };
                take(s, handler, memory, uid, body.to_vec()).await?;
            }
            note_announcements(s, memory);
        }
        tidy(s, settings, caps, imported, memory).await?;
    }
    Ok(())
}

/// Hands one message to the handler and records the outcome.
async fn take<H: Handler>(
    s: &mut Session<Conn>,
    handler: &H,
    memory: &mut Memory,
    uid: u32,
    body: Vec<u8>,
) -> Result<(), FetchError> {
    let size = body.len();
    match handler.handle(body).await {
        Ok(h) => {
            tracing::info!(
                uid,
                size,
                secrets_removed = h.secrets_removed,
                "IMAP: message taken"
            );
            memory.failures.remove(&uid);
            memory.done.insert(uid, h.secrets_removed > 0);
        }
        Err(e) => {
            let n = memory.failures.entry(uid).or_insert(0);
            *n += 1;
            if *n == 1 {
                tracing::warn!(
                    uid,
                    size,
                    error = %e,
                    attempts = MAX_ATTEMPTS,
                    "IMAP: the message could not be taken; it stays in the folder, flagged {FAILED_KEYWORD}"
                );
                s.uid_store(uid.to_string(), format!("+FLAGS.SILENT ({FAILED_KEYWORD})"))
                    .await?
                    .try_collect::<Vec<_>>()
                    .await?;
            }
        }
    }
    Ok(())
}

/// UIDs in runs whose sizes add up to at most `limit` bytes; a message larger than that is a
/// run of its own.
fn batches(sizes: &[(u32, u64)], limit: u64) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    let mut bytes = 0;
    for &(uid, size) in sizes {
        match out.last_mut() {
            Some(run) if bytes + size <= limit => {
                run.push(uid);
                bytes += size;
            }
            _ => {
                out.push(vec![uid]);
                bytes = size;
            }
        }
    }
    out
}

/// Deletes what held a secret, moves (or marks) the rest; forgets each once done.
async fn tidy(
    s: &mut Session<Conn>,
    settings: &Settings,
    caps: Caps,
    imported: Option<&str>,
    memory: &mut Memory,
) -> Result<(), FetchError> {
    if memory.done.is_empty() {
        return Ok(());
    }
    let mut delete = Vec::new();
    let mut keep = Vec::new();
    for (&uid, &secret) in &memory.done {
        if secret && settings.delete_secret_mail {
            delete.push(uid);
        } else {
            keep.push(uid);
        }
    }
    if !delete.is_empty() {
        delete_now(s, caps, &delete).await?;
        tracing::info!(count = delete.len(), uids = %uid_set(&delete), "IMAP: messages that held a secret deleted");
    }
    if !keep.is_empty() {
        let set = uid_set(&keep);
        match imported {
            Some(folder) if caps.mv => {
                s.uid_mv(&set, folder).await?;
            }
            Some(folder) => {
                s.uid_copy(&set, folder).await?;
                delete_now(s, caps, &keep).await?;
            }
            None => {
                s.uid_store(&set, format!("+FLAGS.SILENT ({IMPORTED_KEYWORD})"))
                    .await?
                    .try_collect::<Vec<_>>()
                    .await?;
            }
        }
    }
    memory.done.clear();
    note_announcements(s, memory);
    Ok(())
}

/// `\Deleted`, then expunged: only these UIDs with UIDPLUS; without it, EXPUNGE also removes
/// whatever else is marked `\Deleted` in the folder (which a client meant to remove anyway).
async fn delete_now(s: &mut Session<Conn>, caps: Caps, uids: &[u32]) -> Result<(), FetchError> {
    let set = uid_set(uids);
    s.uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
        .await?
        .try_collect::<Vec<_>>()
        .await?;
    if caps.uidplus {
        s.uid_expunge(&set).await?.try_collect::<Vec<_>>().await?;
    } else {
        s.expunge().await?.try_collect::<Vec<_>>().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_stay_under_the_byte_limit_and_a_large_message_goes_alone() {
        let sizes = [(1, 4), (2, 4), (3, 3), (4, 20), (5, 1), (6, 10)];
        assert_eq!(
            batches(&sizes, 10),
            vec![vec![1, 2], vec![3], vec![4], vec![5], vec![6]]
        );
        assert_eq!(batches(&sizes, 100), vec![vec![1, 2, 3, 4, 5, 6]]);
        assert!(batches(&[], 10).is_empty());
    }

    #[test]
    fn parse_errors_are_described_without_the_data() {
        let e = async_imap::error::Error::Parse(async_imap::error::ParseError::Invalid(
            b"Subject: my phrase is".to_vec(),
        ));
        assert!(!describe(&e).contains("phrase"));
        let e = async_imap::error::Error::No("[ALREADYEXISTS] Mailbox exists".into());
        assert!(describe(&e).contains("ALREADYEXISTS"));
    }
}
