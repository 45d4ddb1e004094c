//! Messages fetched per second by the IMAP fetcher from a local Dovecot mailbox of 10,000 mixed
//! messages (short and long text, HTML, GBK in base64, a few with attachments, one in twenty
//! reported as holding a secret and so deleted; the rest moved): with a no-op handler (the
//! transport alone), and with `inbound::receive` (parse, redact, store in SQLite) once it is
//! built. Prints figures; asserts nothing about time.
//!
//! `cargo bench -p walletdesk-server --bench imap_fetch` (`IMAP_BENCH_MESSAGES=n` for another
//! size). Needs Dovecot (`scripts/test` installs it).

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

#[path = "../tests/it/mailserver.rs"]
mod mailserver;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use server::mail::imap::{self, Handled, Handler, ImapConfig};
use tokio::sync::watch;

use mailserver::Dovecot;

/// A tiny deterministic generator, so every run fetches the same mailbox.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

const WORDS: &[&str] = &[
    "wallet", "transfer", "pending", "fee", "network", "address", "balance", "swap", "token",
    "bridge", "help", "stuck", "confirm", "hash", "send", "receive", "please", "thanks",
];

fn text(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        s.push_str(WORDS[(rng.next() as usize) % WORDS.len()]);
        s.push(if i % 12 == 11 { '\n' } else { ' ' });
    }
    s
}

fn base64ish(rng: &mut Lcg, bytes: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes + bytes / 76 * 2);
    for i in 0..bytes {
        s.push(A[(rng.next() as usize) % 64] as char);
        if i % 76 == 75 {
            s.push_str("\r\n");
        }
    }
    s
}

/// Message `i` of the mixed mailbox.
fn message(i: usize, rng: &mut Lcg) -> Vec<u8> {
    let head = format!(
        "From: user{i} <user{i}@example.org>\r\nTo: support@walletdesk.test\r\n\
         Message-ID: <bench-{i}@example.org>\r\nDate: Mon, 7 Dec 2026 01:00:00 +0000\r\n\
         MIME-Version: 1.0\r\n{}",
        if i.is_multiple_of(20) {
            "X-Bench: secret\r\n"
        } else {
            ""
        }
    );
    let short = 40 + (rng.next() as usize) % 80;
    let body = match i % 10 {
        0..=4 => format!(
            "Subject: transfer {i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
            text(rng, short)
        ),
        5 | 6 => format!(
            "Subject: long {i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
            text(rng, 1500)
        ),
        7 => format!(
            "Subject: html {i}\r\nContent-Type: multipart/alternative; boundary=\"b{i}\"\r\n\r\n\
             --b{i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{t}\r\n\
             --b{i}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{t}</p>\r\n--b{i}--\r\n",
            t = text(rng, 120)
        ),
        8 => format!(
            "Subject: =?gb18030?B?x66w/M7KzOI=?=\r\nContent-Type: text/plain; charset=gb18030\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}",
            base64ish(rng, 600)
        ),
        _ => format!(
            "Subject: screenshot {i}\r\nContent-Type: multipart/mixed; boundary=\"m{i}\"\r\n\r\n\
             --m{i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n\
             --m{i}\r\nContent-Type: image/png; name=\"s.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--m{i}--\r\n",
            text(rng, 30),
            base64ish(rng, 40_000)
        ),
    };
    format!("{head}{body}\r\n").into_bytes()
}

#[derive(Clone, Default)]
struct Noop(Arc<AtomicUsize>);

impl Handler for Noop {
    async fn handle(&self, raw: Vec<u8>) -> Result<Handled, String> {
        self.0.fetch_add(1, Ordering::Relaxed);
        let secret = raw.windows(15).any(|w| w == b"X-Bench: secret");
        Ok(Handled {
            secrets_removed: usize::from(secret),
        })
    }
}

/// The production handler, counting.
#[derive(Clone)]
struct Counted(imap::Receive, Arc<AtomicUsize>);

impl Handler for Counted {
    async fn handle(&self, raw: Vec<u8>) -> Result<Handled, String> {
        let r = self.0.handle(raw).await;
        self.1.fetch_add(1, Ordering::Relaxed);
        r
    }
}

async fn inbox_count(d: &Dovecot) -> u32 {
    let mut s = d.session().await;
    let m = s.examine("INBOX").await.expect("EXAMINE");
    let _ = s.logout().await;
    m.exists
}

/// Appends the mailbox, runs the fetcher until the inbox is empty; prints the figures.
async fn run<H: Handler + 'static>(
    d: &Dovecot,
    label: &str,
    messages: &[Vec<u8>],
    handler: H,
    count: &AtomicUsize,
) {
    let bytes: usize = messages.iter().map(Vec::len).sum();
    let t = Instant::now();
    d.append_all("INBOX", messages).await;
    let append = t.elapsed();
    let settings = ImapConfig {
        imap_url: d.url("INBOX"),
        imap_poll_secs: 3600,
        ..ImapConfig::default()
    }
    .settings()
    .expect("settings")
    .expect("configured");
    let (stop, rx) = watch::channel(false);
    let t = Instant::now();
    let task = tokio::spawn(imap::run(settings, handler, rx));
    while inbox_count(d).await > 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let fetch = t.elapsed();
    let _ = stop.send(true);
    let _ = task.await;
    let n = messages.len();
    let mb = bytes as f64 / 1e6;
    println!(
        "{label:<32} {n:>6} messages {mb:>7.1} MB  append {:>8.0} msg/s  fetch+handle+tidy {:>8.0} msg/s {:>6.1} MB/s ({:.2} s; handler saw {})",
        n as f64 / append.as_secs_f64(),
        n as f64 / fetch.as_secs_f64(),
        mb / fetch.as_secs_f64(),
        fetch.as_secs_f64(),
        count.load(Ordering::Relaxed),
    );
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("IMAP_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let Some(d) = Dovecot::start().await else {
        println!("imap_fetch: skipped (no Dovecot)");
        return;
    };
    let mut rng = Lcg(7);
    let messages: Vec<Vec<u8>> = (0..n).map(|i| message(i, &mut rng)).collect();
    println!(
        "imap_fetch: Dovecot on 127.0.0.1:{}, {n} mixed messages, 1 in 20 deleted as secret",
        d.port
    );

    let noop = Noop::default();
    let seen = Arc::clone(&noop.0);
    run(&d, "no-op handler", &messages, noop, &seen).await;

    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    let store: Arc<dyn store::Store> = Arc::new(
        store_sqlite::SqliteStore::open(db.to_str().expect("utf-8"))
            .await
            .expect("sqlite"),
    );
    store.migrate().await.expect("migrate");
    let state = server::AppState::new(
        store,
        server::Config {
            data_dir: dir.path().to_owned(),
            demo: false,
            ..server::Config::default()
        },
    );
    let seen = Arc::new(AtomicUsize::new(0));
    let h = Counted(imap::Receive(state), Arc::clone(&seen));
    run(&d, "receive (SQLite)", &messages, h, &seen).await;
}
