//! The IMAP fetcher against a real Dovecot (`mailserver.rs`): messages are handed over once
//! each, mailbox hygiene (secrets deleted from every folder and from disk, the rest moved),
//! IDLE, a refusing handler, mail that arrives over SMTP, and — once `inbound::receive` is
//! built — a Chinese user's GBK mail with a pasted phrase, end to end.
//!
//! Waits are bounded (`eventually`) and assert on what happened, never on how long it took.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use server::mail::imap::{self, FAILED_KEYWORD, Handled, Handler, IMPORTED_KEYWORD, ImapConfig};
use tokio::sync::watch;

use crate::mailserver::{Dovecot, SmtpRelay, files_containing};

/// A handler that records what it was given. A message with `X-Test: fail` is refused; one
/// with `X-Test: secret` is reported as having held a secret.
#[derive(Debug, Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

impl Handler for Recorder {
    async fn handle(&self, raw: Vec<u8>) -> Result<Handled, String> {
        let fail = contains(&raw, b"X-Test: fail");
        let secret = contains(&raw, b"X-Test: secret");
        self.seen.lock().expect("lock").push(raw);
        if fail {
            return Err("the test handler refuses this one".into());
        }
        Ok(Handled {
            secrets_removed: usize::from(secret),
        })
    }
}

impl Recorder {
    fn count(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }

    /// How many times a message holding `marker` was handed over.
    fn times(&self, marker: &str) -> usize {
        self.seen
            .lock()
            .expect("lock")
            .iter()
            .filter(|m| contains(m, marker.as_bytes()))
            .count()
    }
}

/// A small message; `marker` is in its Message-ID and body, `test` in its `X-Test` header.
fn message(marker: &str, test: &str) -> Vec<u8> {
    format!(
        "From: Ann <ann@example.org>\r\nTo: support@walletdesk.test\r\nSubject: help {marker}\r\n\
         Message-ID: <{marker}@example.org>\r\nX-Test: {test}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nMy transfer is stuck. {marker}\r\n"
    )
    .into_bytes()
}

/// Polls `check` until it holds, for at most 30 seconds (a bound against hanging, not a
/// timing assertion).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

/// A running fetcher; stopped by [`Running::stop`].
struct Running {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    async fn stop(self) {
        self.stop.send(true).expect("the fetcher is listening");
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .expect("the fetcher stops when asked")
            .expect("the fetcher does not panic");
    }
}

/// Starts the fetcher on the test Dovecot's INBOX. The poll interval is an hour: anything
/// picked up after the first pass came through IDLE.
fn fetch<H: Handler + 'static>(
    d: &Dovecot,
    handler: H,
    tweak: impl FnOnce(&mut ImapConfig),
) -> Running {
    let mut config = ImapConfig {
        imap_url: d.url("INBOX"),
        imap_poll_secs: 3600,
        ..ImapConfig::default()
    };
    tweak(&mut config);
    let settings = config.settings().expect("valid").expect("configured");
    let (stop, rx) = watch::channel(false);
    let task = tokio::spawn(imap::run(settings, handler, rx));
    Running { stop, task }
}

/// The imported folder as Dovecot's Maildir++ names it (`/` becomes `.`).
const IMPORTED: &str = "walletdesk.imported";

#[tokio::test]
async fn appended_messages_are_handed_over_once_each_and_moved_even_across_a_restart() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let first: Vec<_> = (0..5)
        .map(|i| message(&format!("first-{i}"), "plain"))
        .collect();
    d.append_all("INBOX", &first).await;
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |_| {});
    eventually("five moved to the imported folder", || async {
        d.messages(IMPORTED).await.len() == 5
    })
    .await;
    assert!(d.messages("INBOX").await.is_empty());
    run.stop().await;

    // A new connection and a fresh process memory: only the new message is handed over.
    d.append("INBOX", &message("second-0", "plain")).await;
    let run = fetch(&d, rec.clone(), |_| {});
    eventually("the sixth moved", || async {
        d.messages(IMPORTED).await.len() == 6
    })
    .await;
    run.stop().await;
    assert_eq!(rec.count(), 6);
    for i in 0..5 {
        assert_eq!(rec.times(&format!("first-{i}@")), 1);
    }
    assert_eq!(rec.times("second-0@"), 1);
    // Imported mail keeps its bytes and is not marked read by the fetcher (BODY.PEEK).
    let imported = d.messages(IMPORTED).await;
    assert!(
        imported
            .iter()
            .any(|m| contains(&m.body, b"first-3@example.org"))
    );
    assert!(
        imported
            .iter()
            .all(|m| !m.flags.iter().any(|f| f.contains("Seen")))
    );
}

#[tokio::test]
async fn with_moving_off_taken_messages_stay_marked_and_are_not_taken_again() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let msgs: Vec<_> = (0..3)
        .map(|i| message(&format!("kept-{i}"), "plain"))
        .collect();
    d.append_all("INBOX", &msgs).await;
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |c| c.move_imported = false);
    eventually("three marked imported", || async {
        let m = d.messages("INBOX").await;
        m.len() == 3 && m.iter().all(|m| m.has_keyword(IMPORTED_KEYWORD))
    })
    .await;
    run.stop().await;

    let run = fetch(&d, rec.clone(), |c| c.move_imported = false);
    d.append("INBOX", &message("kept-3", "plain")).await;
    eventually("the fourth marked imported", || async {
        let m = d.messages("INBOX").await;
        m.len() == 4 && m.iter().all(|m| m.has_keyword(IMPORTED_KEYWORD))
    })
    .await;
    run.stop().await;
    assert_eq!(rec.count(), 4, "each message exactly once");
    assert!(d.messages(IMPORTED).await.is_empty());
}

#[tokio::test]
async fn a_message_that_held_a_secret_is_gone_from_every_folder_and_from_the_disk() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    d.append_all(
        "INBOX",
        &[
            message("secret-b4f1c9", "secret"),
            message("clean-7d2e01", "plain"),
        ],
    )
    .await;
    let (logs, _guard) = capture_logs();
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |_| {});
    eventually("the inbox emptied", || async {
        rec.count() == 2 && d.messages("INBOX").await.is_empty()
    })
    .await;
    run.stop().await;
    let imported = d.messages(IMPORTED).await;
    assert_eq!(imported.len(), 1);
    assert!(contains(&imported[0].body, b"clean-7d2e01"));
    assert_eq!(
        d.files_containing(b"secret-b4f1c9"),
        Vec::<std::path::PathBuf>::new(),
        "no file of the mail store holds the message"
    );
    assert!(
        !d.files_containing(b"clean-7d2e01").is_empty(),
        "the search does find mail"
    );
    // The logs name UIDs and sizes, never a subject or a body.
    let logs = String::from_utf8(logs.0.lock().expect("lock").clone()).unwrap();
    assert!(
        logs.contains("IMAP: message taken") && logs.contains("uid="),
        "{logs}"
    );
    assert!(logs.contains("held a secret deleted"), "{logs}");
    for text in ["secret-b4f1c9", "clean-7d2e01", "My transfer is stuck"] {
        assert!(!logs.contains(text), "{text} in the logs:\n{logs}");
    }
}

#[tokio::test]
async fn with_deleting_off_a_secret_message_is_moved_like_the_others() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    d.append("INBOX", &message("secret-kept", "secret")).await;
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |c| c.delete_secret_mail = false);
    eventually("moved", || async { d.messages(IMPORTED).await.len() == 1 }).await;
    run.stop().await;
    assert!(d.messages("INBOX").await.is_empty());
}

#[tokio::test]
async fn idle_picks_up_a_message_appended_while_connected() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    d.append("INBOX", &message("before-idle", "plain")).await;
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |_| {});
    eventually("the first one moved", || async {
        d.messages(IMPORTED).await.len() == 1
    })
    .await;
    // The fetcher is now waiting; with an hour's poll interval only IDLE can wake it.
    d.append("INBOX", &message("during-idle", "plain")).await;
    eventually("the one appended during IDLE handed over", || async {
        rec.times("during-idle@") == 1
    })
    .await;
    eventually("and moved", || async {
        d.messages(IMPORTED).await.len() == 2
    })
    .await;
    run.stop().await;
}

#[tokio::test]
async fn a_message_the_handler_refuses_stays_in_the_inbox_flagged_and_is_not_tried_forever() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    d.append("INBOX", &message("refused-1", "fail")).await;
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |_| {});
    eventually("tried once", || async { rec.times("refused-1@") == 1 }).await;
    // Every new message wakes the fetcher for another pass over the folder.
    for i in 0..4 {
        d.append("INBOX", &message(&format!("wake-{i}"), "plain"))
            .await;
        eventually("the new one moved", || async {
            d.messages(IMPORTED).await.len() == i + 1
        })
        .await;
    }
    run.stop().await;
    assert_eq!(rec.times("refused-1@"), imap::MAX_ATTEMPTS as usize);
    let inbox = d.messages("INBOX").await;
    assert_eq!(inbox.len(), 1);
    assert!(contains(&inbox[0].body, b"refused-1"));
    assert!(inbox[0].has_keyword(FAILED_KEYWORD), "{:?}", inbox[0].flags);
}

#[tokio::test]
async fn mail_sent_over_smtp_is_delivered_by_lmtp_and_handed_over() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let Some(smtp) = SmtpRelay::start(&d) else {
        return;
    };
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |_| {});
    smtp.send(
        "ann@example.org",
        "desk@walletdesk.test",
        &message("over-smtp", "plain"),
    )
    .await;
    eventually("handed over and moved", || async {
        rec.times("over-smtp@") == 1 && d.messages(IMPORTED).await.len() == 1
    })
    .await;
    run.stop().await;
    let seen = rec.seen.lock().expect("lock")[0].clone();
    // Delivered, not appended: the LMTP server added its trace headers.
    assert!(
        contains(&seen, b"Delivered-To: desk"),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    assert!(contains(&seen, b"My transfer is stuck. over-smtp"));
}

#[tokio::test]
async fn the_fetcher_reconnects_after_the_server_drops_it() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let rec = Recorder::default();
    let run = fetch(&d, rec.clone(), |_| {});
    d.append("INBOX", &message("before-kick", "plain")).await;
    eventually("first moved", || async {
        d.messages(IMPORTED).await.len() == 1
    })
    .await;
    // Dovecot's own tool ends every session of the user, the fetcher's included.
    let out = std::process::Command::new("/usr/bin/doveadm")
        .arg("-c")
        .arg(d.config_path())
        .args(["kick", Dovecot::USER])
        .output()
        .expect("doveadm");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.append("INBOX", &message("after-kick", "plain")).await;
    eventually("the one after the reconnect moved", || async {
        d.messages(IMPORTED).await.len() == 2
    })
    .await;
    run.stop().await;
    assert_eq!(rec.times("before-kick@"), 1);
    assert_eq!(rec.times("after-kick@"), 1);
}

/// Base64 as MIME writes it (76-column lines), for the GBK body below.
pub(crate) fn base64_lines(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out.as_bytes()
        .chunks(76)
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// A BIP39 test vector (valid checksum): what a frightened user pastes.
const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

/// Like QQ Mail sends it: GBK, base64, an encoded subject.
fn qq_mail_with_phrase() -> Vec<u8> {
    // "你好，我的钱包助记词：" in GBK, then the phrase, then "谢谢".
    let mut body: Vec<u8> = vec![
        0xC4, 0xE3, 0xBA, 0xC3, 0xA3, 0xAC, 0xCE, 0xD2, 0xB5, 0xC4, 0xC7, 0xAE, 0xB0, 0xFC, 0xD6,
        0xFA, 0xBC, 0xC7, 0xB4, 0xCA, 0xA3, 0xBA,
    ];
    body.extend_from_slice(PHRASE.as_bytes());
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(&[0xD0, 0xBB, 0xD0, 0xBB]);
    // Subject "钱包问题" in GBK, RFC 2047 base64.
    format!(
        "From: =?gb18030?B?0KHD9w==?= <xiaoming@qq.com>\r\nTo: desk@walletdesk.test\r\n\
         Subject: =?gb18030?B?x66w/M7KzOI=?=\r\nMessage-ID: <tencent_qq-phrase-5e1a@qq.com>\r\n\
         X-Mailer: QQMail 2.x\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=\"GBK\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64_lines(&body)
    )
    .into_bytes()
}

/// What the production handler did, recorded for the test.
#[derive(Debug, Clone)]
struct Recorded {
    state: server::AppState,
    results: Arc<Mutex<Vec<server::mail::inbound::Received>>>,
}

impl Handler for Recorded {
    async fn handle(&self, raw: Vec<u8>) -> Result<Handled, String> {
        let r = server::mail::inbound::receive(&self.state, &raw)
            .await
            .map_err(|e| e.to_string())?;
        self.results.lock().expect("lock").push(r.clone());
        Ok(Handled {
            secrets_removed: r.secrets_removed,
        })
    }
}

/// A log sink for the test's thread (the test runtime is single-threaded, so the fetcher's
/// task logs here too).
#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log line of this thread (and so of the fetcher's task) until the guard drops.
fn capture_logs() -> (LogBuf, tracing::subscriber::DefaultGuard) {
    let logs = LogBuf::default();
    let sink = logs.clone();
    let guard = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish(),
    );
    (logs, guard)
}

#[tokio::test]
async fn a_gbk_mail_with_a_pasted_phrase_through_smtp_becomes_a_ticket_and_the_phrase_is_nowhere() {
    let app = crate::helpers::TestApp::spawn().await;
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let Some(smtp) = SmtpRelay::start(&d) else {
        return;
    };
    let (logs, _guard) = capture_logs();
    let handler = Recorded {
        state: app.state.clone(),
        results: Arc::default(),
    };
    let run = fetch(&d, handler.clone(), |_| {});
    smtp.send(
        "xiaoming@qq.com",
        "desk@walletdesk.test",
        &qq_mail_with_phrase(),
    )
    .await;
    eventually("a ticket from the mail", || async {
        !handler.results.lock().expect("lock").is_empty() && d.messages("INBOX").await.is_empty()
    })
    .await;
    run.stop().await;
    let received = handler.results.lock().expect("lock")[0].clone();
    assert!(received.secrets_removed >= 1, "{received:?}");
    let ticket = received.ticket_id.expect("a ticket");
    app.state
        .store
        .ticket(ticket)
        .await
        .expect("the ticket is stored");
    // Gone from the mailbox: no folder holds the message, no file its body. (Its Message-ID
    // may stay in Dovecot's header cache until the cache is purged: not a secret.)
    assert!(d.messages(IMPORTED).await.is_empty());
    let raw = String::from_utf8(qq_mail_with_phrase()).unwrap();
    let (_, body) = raw.split_once("\r\n\r\n").unwrap();
    let body_line = body.lines().next().unwrap().as_bytes().to_vec();
    for needle in [&body_line[..], PHRASE.as_bytes()] {
        let found = d.files_containing(needle);
        assert!(
            found.is_empty(),
            "{} in {found:?}",
            String::from_utf8_lossy(needle)
        );
    }
    // Nowhere in the data directory (database, WAL, index, attachments) or the logs.
    for words in [PHRASE, "winner thank year wave sausage"] {
        assert_eq!(
            files_containing(&app.state.config.data_dir, words.as_bytes()),
            Vec::<std::path::PathBuf>::new()
        );
        assert!(!contains(&logs.0.lock().expect("lock"), words.as_bytes()));
    }
    assert!(
        contains(&logs.0.lock().expect("lock"), b"IMAP: message taken"),
        "the logs were captured"
    );
}

#[tokio::test]
async fn imaps_to_a_server_whose_certificate_no_ca_signed_is_refused() {
    let Some(d) = Dovecot::start_with_tls().await else {
        return;
    };
    let port = d.tls_port.expect("TLS port");
    let url = imap::ImapUrl::parse(&format!(
        "imaps://{}:{}@127.0.0.1:{port}/INBOX",
        Dovecot::USER,
        d.password
    ))
    .unwrap();
    assert_eq!(url.security, imap::Security::Tls);
    let err = imap::conn::open(&url)
        .await
        .expect_err("an untrusted certificate");
    let text = err.to_string();
    assert!(
        text.contains("TLS") && text.contains("certificate"),
        "{text}"
    );
    // The same server over plain IMAP on loopback is fine: it was the certificate.
    let plain = imap::ImapUrl::parse(&d.url("INBOX")).unwrap();
    assert!(imap::conn::open(&plain).await.is_ok());
}

#[tokio::test]
async fn the_configured_fetcher_hands_mail_to_the_real_receive() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let url = d.url("INBOX");
    let app = crate::helpers::TestApp::spawn_with(|c| {
        let mail = c.mail.get_or_insert_with(Default::default);
        mail.imap.imap_url = url;
        mail.imap.imap_poll_secs = 3600;
    })
    .await;
    d.append("INBOX", &message("wired-1", "plain")).await;
    let (stop, rx) = watch::channel(false);
    let task = imap::start(&app.state, rx).expect("IMAP is configured");
    eventually("taken by receive and moved", || async {
        d.messages(IMPORTED).await.len() == 1
    })
    .await;
    stop.send(true).unwrap();
    task.await.unwrap();
    // Not configured: nothing starts.
    let plain = crate::helpers::TestApp::spawn().await;
    assert!(imap::start(&plain.state, watch::channel(false).1).is_none());
}

/// Appends a new message to the inbox while handling the first one: the new mail is
/// announced in the replies to the fetcher's own commands, not in IDLE.
#[derive(Debug, Clone)]
struct AppendsWhileHandling {
    dovecot: Arc<Dovecot>,
    inner: Recorder,
}

impl Handler for AppendsWhileHandling {
    async fn handle(&self, raw: Vec<u8>) -> Result<Handled, String> {
        if contains(&raw, b"X-Test: chain") {
            self.dovecot
                .append("INBOX", &message("arrived-mid-pass", "plain"))
                .await;
        }
        self.inner.handle(raw).await
    }
}

#[tokio::test]
async fn mail_that_arrives_during_a_pass_is_taken_without_waiting_for_the_next_poll() {
    let Some(d) = Dovecot::start().await else {
        return;
    };
    let d = Arc::new(d);
    d.append("INBOX", &message("first-of-chain", "chain")).await;
    let rec = Recorder::default();
    let handler = AppendsWhileHandling {
        dovecot: Arc::clone(&d),
        inner: rec.clone(),
    };
    // An hour's poll: only the announcement can bring the second one in.
    let run = fetch(&d, handler, |_| {});
    eventually("both moved", || async {
        d.messages(IMPORTED).await.len() == 2
    })
    .await;
    run.stop().await;
    assert_eq!(rec.times("arrived-mid-pass@"), 1);
    assert_eq!(rec.times("first-of-chain@"), 1);
}
