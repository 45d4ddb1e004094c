//! Outbound mail against a real SMTP server: aiosmtpd (`tests/smtp/sink.py`) on 127.0.0.1,
//! one per test, storing each message it accepts as a file this test reads. `scripts/test`
//! installs aiosmtpd into a virtual environment and names its Python in
//! `WALLETDESK_TEST_AIOSMTPD_PYTHON`; with `WALLETDESK_SKIP_MAIL=1` these tests say so and skip.
//! Time is the app's fixed clock: retries and leases come due because the test moves the
//! clock, never because it waits.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use domain::{Role, Timestamp};
use server::mail::config::MailConfig;
use server::mail::outbox::{self, Mailer, Round};

use crate::helpers::TestApp;

pub(crate) const T0: Timestamp = Timestamp(1_796_111_873_000);

/// A running sink: killed when dropped.
pub(crate) struct Sink {
    child: Child,
    pub(crate) port: u16,
    pub(crate) dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn python() -> Option<PathBuf> {
    if std::env::var("WALLETDESK_SKIP_MAIL").as_deref() == Ok("1") {
        #[expect(clippy::print_stderr, reason = "a skipped test says so")]
        {
            eprintln!("WALLETDESK_SKIP_MAIL=1: skipping the test against a real SMTP server");
        }
        return None;
    }
    if let Ok(p) = std::env::var("WALLETDESK_TEST_AIOSMTPD_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let home = std::env::var("HOME").unwrap_or_default();
    let default = Path::new(&home).join(".cache/walletdesk/venv-aiosmtpd/bin/python");
    assert!(
        default.exists(),
        "no aiosmtpd: run scripts/test (it installs it), set WALLETDESK_TEST_AIOSMTPD_PYTHON, \
         or WALLETDESK_SKIP_MAIL=1 to skip the SMTP tests"
    );
    Some(default)
}

impl Sink {
    /// Starts a sink on a port of its choosing; `None` when the SMTP tests are skipped.
    pub(crate) fn start() -> Option<Sink> {
        let python = python()?;
        let dir = tempfile::tempdir().expect("temp dir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/sink.py");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the sink's port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the sink said {line:?}"));
        Some(Sink { child, port, dir })
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Connections are dropped before the greeting until [`Sink::up`].
    pub(crate) fn down(&self) {
        std::fs::write(self.dir.path().join("down"), b"").expect("down");
    }

    pub(crate) fn up(&self) {
        std::fs::remove_file(self.dir.path().join("down")).expect("up");
    }

    /// The files of the messages received so far, oldest first, as the server stored them.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
    }

    /// Every message received so far, oldest first.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.files()
            .iter()
            .map(|p| Received::parse(&std::fs::read(p).expect("read")))
            .collect()
    }
}

/// A received message: headers (unfolded, by lower-case name) and its decoded parts.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) headers: BTreeMap<String, Vec<String>>,
    pub(crate) text: String,
    pub(crate) html: String,
}

impl Received {
    fn parse(raw: &[u8]) -> Received {
        let raw = String::from_utf8(raw.to_vec()).expect("ASCII on the wire");
        let (head, body) = raw.split_once("\r\n\r\n").expect("head and body");
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut last = String::new();
        for line in head.split("\r\n") {
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some(v) = headers.get_mut(&last).and_then(|v| v.last_mut()) {
                    v.push_str(line.trim_start());
                }
            } else if let Some((n, v)) = line.split_once(':') {
                last = n.to_ascii_lowercase();
                headers
                    .entry(last.clone())
                    .or_default()
                    .push(v.trim().to_owned());
            }
        }
        let ctype = headers["content-type"][0].clone();
        let boundary = ctype
            .split("boundary=\"")
            .nth(1)
            .and_then(|b| b.split('"').next())
            .expect("multipart boundary");
        let (mut text, mut html) = (String::new(), String::new());
        for part in body.split(&format!("--{boundary}")).skip(1) {
            if part.starts_with("--") {
                break; // the closing delimiter
            }
            let Some((ph, pb)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            assert!(ph.contains("Content-Transfer-Encoding: base64"), "{ph}");
            let decoded = String::from_utf8(unbase64(pb)).expect("UTF-8 part");
            if ph.contains("text/plain") {
                text = decoded;
            } else if ph.contains("text/html") {
                html = decoded;
            }
        }
        Received {
            headers,
            text,
            html,
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(String::as_str)
    }
}

fn unbase64(s: &str) -> Vec<u8> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in s.bytes() {
        let Some(v) = B64.iter().position(|&b| b == c) else {
            continue;
        };
        acc = (acc << 6) | u32::try_from(v).expect("6 bits");
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).expect("a byte"));
        }
    }
    out
}

pub(crate) fn mail_config(sink: &Sink) -> MailConfig {
    MailConfig {
        smtp_url: sink.url(),
        from: "support@lanternfish.example".into(),
        reply_to: "support+{tag}@lanternfish.example".into(),
        max_attempts: 4,
        retry_base_secs: 60,
        retry_max_secs: 600,
        lease_secs: 300,
        timeout_secs: 10,
        ..MailConfig::default()
    }
}

pub(crate) async fn app_with(
    sink: &Sink,
    tweak: impl FnOnce(&mut MailConfig),
) -> (TestApp, Mailer) {
    let mut mc = mail_config(sink);
    tweak(&mut mc);
    let mailer = Mailer::new(&mc).expect("mailer");
    let app = TestApp::spawn_with(move |c| c.mail = Some(mc)).await;
    app.state.clock.set(T0);
    (app, mailer)
}

/// Submits the web form; returns the ticket's path as the page showed it.
pub(crate) async fn web_ticket(app: &TestApp, lang: &str, email: &str, subject: &str) -> String {
    let r = app
        .submit_ticket_form(
            &app.client,
            &format!("/tickets/new?lang={lang}"),
            &[
                ("email", email),
                ("category", "other"),
                ("subject", subject),
                ("body", "The transfer has been pending for two days."),
            ],
        )
        .await;
    TestApp::see_other(&r)
}

fn link_in(text: &str) -> String {
    let start = text.find("http://").expect("a link in the mail");
    text[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

pub(crate) async fn round(app: &TestApp, mailer: &Mailer) -> Round {
    outbox::deliver_due(&app.state, mailer)
        .await
        .expect("a round")
}

#[tokio::test]
async fn a_tickets_mail_arrives_threaded_in_its_language_and_its_link_opens_the_ticket() {
    let Some(sink) = Sink::start() else { return };
    let (app, mailer) = app_with(&sink, |_| {}).await;
    web_ticket(&app, "zh-CN", "wang@example.com", "转账一直没到账").await;
    let queued = app.state.store.pending_mail(10).await.unwrap();
    let ticket = app
        .state
        .store
        .ticket(queued[0].ticket_id.expect("a ticket's mail"))
        .await
        .unwrap();
    assert_eq!(
        round(&app, &mailer).await,
        Round {
            sent: 1,
            ..Round::default()
        }
    );
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    let stored = app.state.store.claim_due_mail(T0, T0, 10).await.unwrap();
    assert!(stored.is_empty(), "nothing left to send");
    let root = format!(
        "<t{}.{}@lanternfish.example>",
        ticket.id.0, ticket.created_at.0
    );
    assert_eq!(m.header("Message-ID"), Some(root.as_str()));
    assert_eq!(m.header("In-Reply-To"), None, "the first mail is the root");
    assert_eq!(m.header("X-Sink-Rcpt-To"), Some("wang@example.com"));
    assert_eq!(
        m.header("X-Sink-Mail-From"),
        Some("support@lanternfish.example")
    );
    assert_eq!(m.header("Auto-Submitted"), Some("auto-generated"));
    assert_eq!(m.header("Content-Language"), Some("zh-CN"));
    // The reply address routes back to this ticket, with the desk's key.
    let reply_to = m.header("Reply-To").expect("Reply-To");
    let addr = reply_to.trim_matches(|c| c == '<' || c == '>');
    let tag = mail::reply_tag::tag_in("support+{tag}@lanternfish.example", addr).expect("tag");
    assert!(tag.starts_with(&format!("t{}.", ticket.id.0)), "{tag}");
    // Text and HTML, both with the security line in Chinese; the link opens the ticket.
    assert!(m.text.contains("助记词"), "{}", m.text);
    assert!(m.html.contains("助记词"), "{}", m.html);
    assert!(m.html.contains("<a href=\"http://"), "{}", m.html);
    let link = link_in(&m.text);
    assert!(m.html.contains(&link));
    let page = reqwest::get(&link).await.expect("GET the link");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("转账一直没到账"));

    // An agent's public reply: the same thread, a person's mail (not auto-submitted).
    let agent = app
        .create_agent("agent@lanternfish.example", Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{}/messages", ticket.id.0),
            &[("kind", "public"), ("body", "请稍等，我们在查。")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(round(&app, &mailer).await.sent, 1);
    let got = sink.received();
    let reply = &got[1];
    assert_eq!(reply.header("In-Reply-To"), Some(root.as_str()));
    assert_eq!(reply.header("References"), Some(root.as_str()));
    assert_ne!(reply.header("Message-ID"), Some(root.as_str()));
    assert_eq!(reply.header("Auto-Submitted"), None);
    assert!(reply.text.contains("请稍等"), "{}", reply.text);
    let reply_id = reply.header("Message-ID").expect("Message-ID").to_owned();

    // English for an English ticket.
    web_ticket(&app, "en", "ann@example.com", "Swap stuck").await;
    assert_eq!(round(&app, &mailer).await.sent, 1);
    let en = &sink.received()[2];
    assert_eq!(en.header("Content-Language"), Some("en"));
    assert!(
        en.text.contains("never ask for your recovery phrase"),
        "{}",
        en.text
    );
    assert!(en.html.contains("never ask for your recovery phrase"));

    // The user answers from their mail client to the plain support address, subject without
    // the ticket's number: `In-Reply-To` names the agent's mail, which the desk recorded when
    // it sent it. From anyone else the same headers open a new ticket.
    let answer = |from: &str| {
        format!(
            "From: {from}\r\nTo: support@lanternfish.example\r\nSubject: Re: still waiting\r\n\
             Message-ID: <answer.{from}>\r\nIn-Reply-To: {reply_id}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             还是没到账。\r\n"
        )
    };
    let got_reply =
        server::mail::inbound::receive(&app.state, answer("wang@example.com").as_bytes())
            .await
            .expect("taken");
    assert_eq!(
        (got_reply.ticket_id, got_reply.created),
        (Some(ticket.id), false)
    );
    let spoof =
        server::mail::inbound::receive(&app.state, answer("mallory@example.net").as_bytes())
            .await
            .expect("taken");
    assert!(
        spoof.created && spoof.ticket_id != Some(ticket.id),
        "{spoof:?}"
    );
    // A reply to the tagged Reply-To address threads by the tag alone.
    let tagged = format!(
        "From: wang@example.com\r\nTo: {addr}\r\nSubject: one more thing\r\nMessage-ID: <tagged.1@example.com>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n截图在这里。\r\n"
    );
    let by_tag = server::mail::inbound::receive(&app.state, tagged.as_bytes())
        .await
        .expect("taken");
    assert_eq!((by_tag.ticket_id, by_tag.created), (Some(ticket.id), false));
}

#[tokio::test]
async fn server_down_means_retries_with_back_off_then_one_delivery_with_the_same_message_id() {
    let Some(sink) = Sink::start() else { return };
    let (app, mailer) = app_with(&sink, |_| {}).await;
    sink.down();
    web_ticket(&app, "en", "down@example.com", "Where is my BTC").await;
    assert_eq!(round(&app, &mailer).await.retried, 1);
    let waiting = app.state.store.pending_mail(10).await.unwrap();
    let first = waiting[0].clone();
    assert_eq!(first.attempts, 1);
    assert!(first.last_error.is_some());
    // Due again between half and all of the base wait (jitter), not before.
    assert!(
        (T0.0 + 30_000..=T0.0 + 60_000).contains(&first.next_attempt_at.0),
        "{first:?}"
    );
    assert_eq!(round(&app, &mailer).await, Round::default(), "not due yet");
    app.state.clock.set(Timestamp(T0.0 + 60_000));
    assert_eq!(round(&app, &mailer).await.retried, 1);
    let second = app.state.store.pending_mail(10).await.unwrap()[0].clone();
    assert_eq!(second.attempts, 2);
    // The wait doubles: 60–120 s after the second try.
    let wait = second.next_attempt_at.0 - (T0.0 + 60_000);
    assert!((60_000..=120_000).contains(&wait), "{wait}");
    assert!(sink.received().is_empty());

    sink.up();
    app.state.clock.set(Timestamp(T0.0 + 60_000 + 120_000));
    assert_eq!(round(&app, &mailer).await.sent, 1);
    let got = sink.received();
    assert_eq!(got.len(), 1, "delivered exactly once");
    let want = format!("<{}@lanternfish.example>", first.message_id);
    assert_eq!(got[0].header("Message-ID"), Some(want.as_str()));
    assert!(app.state.store.pending_mail(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn after_the_last_try_the_mail_is_failed_admins_see_it_and_a_retry_delivers_it() {
    let Some(sink) = Sink::start() else { return };
    let (app, mailer) = app_with(&sink, |m| m.max_attempts = 2).await;
    sink.down();
    web_ticket(&app, "en", "lost@example.com", "Tokens missing").await;
    assert_eq!(round(&app, &mailer).await.retried, 1);
    app.state.clock.set(Timestamp(T0.0 + 600_000));
    assert_eq!(round(&app, &mailer).await.failed, 1);
    app.state.clock.set(Timestamp(T0.0 + 3_600_000));
    assert_eq!(
        round(&app, &mailer).await,
        Round::default(),
        "failed is final"
    );

    let admin = app
        .create_agent("admin@lanternfish.example", Role::Admin)
        .await;
    let client = app.signed_in_client(&admin).await;
    let overview = app.page_as(&client, "/admin").await;
    assert!(
        overview.contains("id=\"mail-failed-warning\""),
        "{overview}"
    );
    let page = app.page_as(&client, "/admin/mail").await;
    assert!(page.contains("lost@example.com"), "{page}");
    assert!(page.contains("<code>ticket_created</code>"));
    assert!(page.contains("<td id=\"mail-failed\">1</td>"), "{page}");
    let failed = app.state.store.failed_mail(10).await.unwrap();
    let error = failed[0].last_error.clone().expect("error kept");
    let first_word = error.split_whitespace().next().expect("an error text");
    assert!(page.contains(first_word), "{error} not in {page}");
    assert!(
        !page.contains("{{link}}") && !page.contains("/t/"),
        "no body"
    );
    let zh = app.page_as(&client, "/admin/mail?lang=zh-CN").await;
    assert!(zh.contains("发送失败"), "{zh}");

    let r = app
        .post_form(&client, &format!("/admin/mail/{}/retry", failed[0].id), &[])
        .await;
    assert_eq!(r.status(), 303);
    sink.up();
    assert_eq!(round(&app, &mailer).await.sent, 1);
    assert_eq!(sink.received().len(), 1);
    let page = app.page_as(&client, "/admin/mail").await;
    assert!(page.contains("<td id=\"mail-failed\">0</td>"), "{page}");
    assert!(
        !app.page_as(&client, "/admin")
            .await
            .contains("mail-failed-warning")
    );
}

#[tokio::test]
async fn a_sender_that_dies_after_sending_leaves_the_mail_to_be_sent_again_with_the_same_message_id()
 {
    let Some(sink) = Sink::start() else { return };
    let (app, mailer) = app_with(&sink, |_| {}).await;
    web_ticket(&app, "en", "twice@example.com", "Crash in the middle").await;
    // A node claims the mail and sends it, then dies before marking it sent.
    let lease = Timestamp(T0.0 + 300_000);
    let claimed = app.state.store.claim_due_mail(T0, lease, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let raw = outbox::compose(&app.state, mailer.config(), &claimed[0])
        .await
        .expect("compose");
    mailer.send("twice@example.com", raw).await.expect("send");
    // Another node sees it leased until the lease runs out…
    assert_eq!(round(&app, &mailer).await, Round::default());
    app.state.clock.set(Timestamp(lease.0 - 1));
    assert_eq!(round(&app, &mailer).await, Round::default());
    // …then sends it again: at-least-once, with the same Message-ID, so it is one mail.
    app.state.clock.set(lease);
    assert_eq!(round(&app, &mailer).await.sent, 1);
    let got = sink.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].header("Message-ID"), got[1].header("Message-ID"));
    assert_eq!(link_in(&got[0].text), link_in(&got[1].text));
}

#[tokio::test]
async fn mail_test_sends_one_mail_or_says_in_one_line_why_not() {
    let Some(sink) = Sink::start() else { return };
    let mut config = server::Config {
        mail: Some(mail_config(&sink)),
        ..server::Config::default()
    };
    let said = outbox::send_test(&config, "ops@example.com", T0.0)
        .await
        .expect("sent");
    assert!(said.contains("ops@example.com"), "{said}");
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].text.contains("outgoing mail works"),
        "{}",
        got[0].text
    );
    sink.down();
    let err = outbox::send_test(&config, "ops@example.com", T0.0)
        .await
        .expect_err("server down");
    assert!(!err.contains('\n'), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{}", sink.port)), "{err}");
    config.mail = None;
    assert!(
        outbox::send_test(&config, "ops@example.com", T0.0)
            .await
            .is_err()
    );
}

/// Without `[mail]` nothing is sent, and the pages say so instead of promising a mail.
#[tokio::test]
async fn pages_claim_a_mail_only_when_the_desk_sends_mail() {
    let app = TestApp::spawn().await;
    for (lang, not_mailed, mailed) in [
        (
            "en",
            "This desk does not send e-mail",
            "We are also sending it",
        ),
        ("zh-CN", "本客服台不发送邮件", "我们也会把它发送到您的邮箱"),
    ] {
        let path = web_ticket(&app, lang, "nomail@example.com", "No mail here").await;
        let html = app.get_text(&format!("{path}&lang={lang}")).await.1;
        assert!(html.contains(not_mailed), "{lang}: {html}");
        assert!(!html.contains(mailed), "{lang}");
        assert!(!html.contains("also sent it") && !html.contains("也已发送"));
    }
    // "My tickets" answers with the truth too: nothing is sent without [mail].
    let r = app
        .post_form(
            &app.client,
            "/my-tickets",
            &[("email", "nomail@example.com")],
        )
        .await;
    let done = TestApp::see_other(&r);
    assert_eq!(done, "/my-tickets?done=mail_off");
    let html = app.get_text(&format!("{done}&lang=en")).await.1;
    assert!(
        html.contains("does not send e-mail yet, so no mail went out"),
        "{html}"
    );
    // Information, not success: the neutral notice, not the green one (both languages).
    assert!(html.contains("class=\"card notice notice-info\""), "{html}");
    let zh = app.get_text(&format!("{done}&lang=zh-CN")).await.1;
    assert!(zh.contains("class=\"card notice notice-info\""), "{zh}");

    let Some(sink) = Sink::start() else { return };
    let (app, _mailer) = app_with(&sink, |_| {}).await;
    let path = web_ticket(&app, "en", "mail@example.com", "Mail here").await;
    let html = app.get_text(&path).await.1;
    assert!(html.contains("We are also sending it"), "{html}");
    let r = app
        .post_form(&app.client, "/my-tickets", &[("email", "mail@example.com")])
        .await;
    let done = TestApp::see_other(&r);
    assert_eq!(done, "/my-tickets?done=my_tickets_sent");
    let html = app.get_text(&done).await.1;
    assert!(html.contains("class=\"card notice\""), "{html}");
    assert!(!html.contains("notice-info"), "a mail sent is a success");
}
