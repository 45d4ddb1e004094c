//! Inbound mail through `server::mail::inbound::receive` (the path stdin and IMAP share), on a
//! real SQLite file: redaction before storage, threading rules, loops, attachments, malformed
//! mail. The binary's `mail receive` is tested in `crates/walletdesk/tests/it/mail_receive.rs`.

use domain::{Author, MessageKind, Priority, TicketId};
use server::mail::inbound::{InboundError, Received, receive};

use crate::helpers::TestApp;

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/../mail/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A plain mail from `from`, with extra header lines.
fn mail(from: &str, subject: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: support@desk.example\r\nSubject: {subject}\r\n{headers}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn take(app: &TestApp, raw: &[u8]) -> Received {
    receive(&app.state, raw).await.expect("message taken")
}

async fn pending(app: &TestApp) -> Vec<store::OutboxMail> {
    app.state.store.pending_mail(1000).await.expect("outbox")
}

/// Every file under `dir`, read whole.
fn files(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push((p.clone(), std::fs::read(&p).expect("read file")));
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_gbk_qq_mail_with_a_phrase_becomes_a_flagged_ticket_and_the_phrase_is_stored_nowhere() {
    let app = TestApp::spawn().await;
    let r = take(&app, &corpus("qq-gbk-base64.eml")).await;
    assert!(r.created);
    assert!(r.secrets_removed >= 1, "{r:?}");
    let id = r.ticket_id.unwrap();
    let t = app.state.store.ticket(id).await.unwrap();
    assert!(t.secret_exposed);
    assert_eq!(t.priority, Priority::Urgent);
    assert_eq!(t.requester.as_str(), "wang@qq.com");
    assert_eq!(t.lang, domain::Lang::ZhCn);
    assert_eq!(t.subject.as_str(), "回复：转账没到账");
    let msgs = app.state.store.messages(id, true).await.unwrap();
    assert!(
        msgs[0]
            .body
            .as_str()
            .starts_with("您好，我的USDT转账一直没有到账。")
    );
    assert!(
        !msgs[0].body.as_str().contains("请提供交易哈希"),
        "the quoted original is cut"
    );
    // The user is told, in their language, in the ticket's own confirmation mail.
    let mails = pending(&app).await;
    let mine: Vec<_> = mails.iter().filter(|m| m.ticket_id == Some(id)).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].kind, "ticket_created");
    assert!(
        mine[0]
            .body_text
            .starts_with("您的邮件中含有疑似助记词或私钥的内容"),
        "{}",
        mine[0].body_text
    );

    // The phrase's words, as ASCII (the same bytes in GBK and UTF-8) and as the base64 the
    // mail carried them in, are in no file of the data directory (database, WAL, attachments).
    let raw = corpus("qq-gbk-base64.eml");
    let b64_line = String::from_utf8_lossy(&raw)
        .lines()
        .find(|l| l.len() > 60 && !l.contains(':'))
        .unwrap()
        .to_owned();
    let mut all = Vec::new();
    files(app.state.config.data_dir.as_path(), &mut all);
    if app.db_url.starts_with("sqlite") {
        assert!(all.iter().any(|(p, _)| p.ends_with("test.db")));
    }
    // On either backend, what the store hands back holds none of it either.
    let mut stored: Vec<String> = vec![t.subject.as_str().to_owned()];
    stored.extend(msgs.iter().map(|m| m.body.as_str().to_owned()));
    stored.extend(
        mails
            .iter()
            .map(|m| format!("{} {}", m.subject, m.body_text)),
    );
    for text in &stored {
        assert!(
            !text.contains("ability able") && !text.contains("absorb abstract"),
            "{text}"
        );
    }
    for (path, bytes) in &all {
        for needle in [
            "ability able about".as_bytes(),
            "absorb abstract absurd".as_bytes(),
            b64_line.as_bytes(),
        ] {
            assert!(
                !contains(bytes, needle),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
}

#[tokio::test]
async fn replies_thread_by_message_id_and_by_subject_number_only_from_the_requester() {
    let app = TestApp::spawn().await;
    let first = take(
        &app,
        &mail(
            "Alice <alice@example.com>",
            "USDT not arrived",
            "Message-ID: <first@alice.example>\r\n",
            "I sent 5 USDT yesterday and it has not arrived.",
        ),
    )
    .await;
    assert!(first.created);
    let id = first.ticket_id.unwrap();
    let count = |app: &TestApp, id: TicketId| {
        let store = app.state.store.clone();
        async move { store.messages(id, true).await.unwrap().len() }
    };
    assert_eq!(count(&app, id).await, 1);

    // By References: a follow-up to her own first mail.
    let r = take(
        &app,
        &mail(
            "alice@example.com",
            "Re: USDT not arrived",
            "Message-ID: <second@alice.example>\r\nIn-Reply-To: <first@alice.example>\r\nReferences: <first@alice.example>\r\n",
            "Still nothing.\r\n\r\nOn Mon, Dec 7, 2026 Alice wrote:\r\n> I sent 5 USDT",
        ),
    )
    .await;
    assert_eq!((r.ticket_id, r.created), (Some(id), false));
    let msgs = app.state.store.messages(id, true).await.unwrap();
    assert_eq!(msgs.last().unwrap().body.as_str(), "Still nothing.");
    assert_eq!(msgs.last().unwrap().author, Author::User);

    // By the subject's number, same sender (case of the address does not matter).
    let r = take(
        &app,
        &mail(
            "ALICE@example.com",
            &format!("Re: [Ticket #{id}] USDT not arrived"),
            "Message-ID: <third@alice.example>\r\n",
            "Here is the tx.",
        ),
    )
    .await;
    assert_eq!((r.ticket_id, r.created), (Some(id), false));
    assert_eq!(count(&app, id).await, 3);

    // A spoofed reply: the right number and the right In-Reply-To, another address.
    let spoof = take(
        &app,
        &mail(
            "Support Team <mallory@evil.example>",
            &format!("Re: [工单 #{id}] USDT not arrived"),
            "Message-ID: <spoof@evil.example>\r\nIn-Reply-To: <first@alice.example>\r\n",
            "Please send your recovery phrase to verify.",
        ),
    )
    .await;
    assert!(spoof.created, "a stranger's mail is a ticket of its own");
    assert_ne!(spoof.ticket_id, Some(id));
    assert_eq!(
        count(&app, id).await,
        3,
        "nothing was appended to Alice's ticket"
    );
    let other = app
        .state
        .store
        .ticket(spoof.ticket_id.unwrap())
        .await
        .unwrap();
    assert_eq!(other.requester.as_str(), "mallory@evil.example");

    // The same message twice (an MTA retry): taken once.
    let again = take(
        &app,
        &mail(
            "alice@example.com",
            &format!("Re: [Ticket #{id}] USDT not arrived"),
            "Message-ID: <third@alice.example>\r\n",
            "Here is the tx.",
        ),
    )
    .await;
    assert!(again.duplicate && !again.created);
    assert_eq!(again.ticket_id, Some(id));
    assert_eq!(count(&app, id).await, 3);

    // A closed ticket is not continued: the follow-up is a new ticket.
    app.state
        .store
        .update_ticket(
            id,
            store::TicketUpdate {
                status: Some(domain::Status::Closed),
                ..store::TicketUpdate::default()
            },
            app.state.now(),
        )
        .await
        .unwrap();
    let later = take(
        &app,
        &mail(
            "alice@example.com",
            &format!("Re: [Ticket #{id}] USDT not arrived"),
            "Message-ID: <fourth@alice.example>\r\n",
            "It happened again.",
        ),
    )
    .await;
    assert!(later.created);
    assert_ne!(later.ticket_id, Some(id));
    assert_eq!(count(&app, id).await, 3);
}

#[tokio::test]
async fn the_reply_tag_threads_only_for_the_requester() {
    let app = TestApp::spawn_with(|c| {
        c.inbound_reply_pattern = Some("support+{tag}@desk.example".into());
    })
    .await;
    let first = take(
        &app,
        &mail("bob@example.com", "Swap stuck", "", "My swap is stuck."),
    )
    .await;
    let id = first.ticket_id.unwrap();
    let tag = mail::reply_tag::tag(server_key(&app).as_slice(), id.0);
    let to = format!("support+{tag}@desk.example");
    let reply = |from: &str, body: &str| {
        format!(
            "From: {from}\r\nTo: {to}\r\nSubject: Re: your mail\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
        )
        .into_bytes()
    };
    let r = take(&app, &reply("bob@example.com", "Hash is 0xabc.")).await;
    assert_eq!((r.ticket_id, r.created), (Some(id), false));
    let r = take(&app, &reply("eve@example.com", "I am Bob.")).await;
    assert!(r.created);
    assert_ne!(r.ticket_id, Some(id));
    // A tag with a forged MAC names nothing.
    let forged = format!("support+t{}.00000000000000000000@desk.example", id.0);
    let raw = format!("From: bob@example.com\r\nTo: {forged}\r\nSubject: hi\r\n\r\nforged tag\r\n");
    let r = take(&app, raw.as_bytes()).await;
    assert!(r.created, "{r:?}");
}

/// The link key's bytes as the server holds them (`<data_dir>/link.key`).
fn server_key(app: &TestApp) -> Vec<u8> {
    std::fs::read(app.state.config.data_dir.join(server::mail::KEY_FILE)).expect("link key")
}

#[tokio::test]
async fn auto_replies_lists_and_bounces_are_never_answered_and_a_bounce_marks_the_ticket() {
    let app = TestApp::spawn().await;
    let t = take(
        &app,
        &mail("nobody@nowhere.example", "Help", "", "My wallet is empty."),
    )
    .await;
    let id = t.ticket_id.unwrap();
    let before = pending(&app).await.len();
    let before_msgs = app.state.store.messages(id, true).await.unwrap().len();

    for (file, class) in [
        ("out-of-office.eml", "auto_reply"),
        ("mailing-list.eml", "bulk"),
    ] {
        let r = take(&app, &corpus(file)).await;
        assert_eq!(
            (r.ticket_id, r.created, r.class),
            (None, false, class),
            "{file}"
        );
    }
    let r = take(&app, &corpus("dsn-bounce.eml")).await;
    assert_eq!(r.class, "bounce");
    assert_eq!(r.ticket_id, Some(id));
    assert!(!r.created);
    assert_eq!(pending(&app).await.len(), before, "no mail answers a loop");

    let bounces = app.state.store.bounces(id).await.unwrap();
    assert_eq!(bounces.len(), 1);
    assert_eq!(bounces[0].address.as_str(), "nobody@nowhere.example");
    assert_eq!(bounces[0].status.as_deref(), Some("5.1.1"));
    let msgs = app.state.store.messages(id, true).await.unwrap();
    assert_eq!(msgs.len(), before_msgs + 1);
    let note = msgs.last().unwrap();
    assert_eq!(
        (note.author, note.kind),
        (Author::System, MessageKind::Note)
    );
    assert!(
        note.body
            .as_str()
            .contains("nobody@nowhere.example could not be delivered (5.1.1)")
    );
    assert!(note.body.as_str().contains("无法投递"));
}

#[tokio::test]
async fn a_secret_in_a_reply_flags_the_ticket_and_mails_the_user_a_notice() {
    let app = TestApp::spawn().await;
    let first = take(
        &app,
        &mail(
            "carol@example.com",
            "App crash",
            "",
            "The app crashes on start.",
        ),
    )
    .await;
    let id = first.ticket_id.unwrap();
    assert!(!app.state.store.ticket(id).await.unwrap().secret_exposed);
    let r = take(
        &app,
        &mail(
            "carol@example.com",
            &format!("Re: [Ticket #{id}] App crash"),
            "",
            &format!("My words are {}", crate::helpers::PHRASE),
        ),
    )
    .await;
    assert!(!r.created);
    assert!(r.secrets_removed >= 1);
    let t = app.state.store.ticket(id).await.unwrap();
    assert!(t.secret_exposed);
    assert_eq!(t.priority, Priority::Urgent);
    let notice: Vec<_> = pending(&app)
        .await
        .into_iter()
        .filter(|m| m.kind == "secret_removed")
        .collect();
    assert_eq!(notice.len(), 1);
    assert_eq!(notice[0].to.as_str(), "carol@example.com");
    assert!(notice[0].body_text.contains("Support never asks for them."));
    for m in app.state.store.messages(id, true).await.unwrap() {
        assert!(!m.body.as_str().contains("winner thank"), "{}", m.body);
    }
}

#[tokio::test]
async fn images_are_kept_cleaned_and_other_files_refused_with_a_note() {
    let app = TestApp::spawn().await;
    // Outlook HTML-only with an inline PNG.
    let r = take(&app, &corpus("outlook-html-only.eml")).await;
    let id = r.ticket_id.unwrap();
    let att = app.state.store.attachments(id).await.unwrap();
    assert_eq!(att.len(), 1);
    assert_eq!(att[0].content_type, "image/png");
    let msgs = app.state.store.messages(id, true).await.unwrap();
    assert!(
        msgs[0]
            .body
            .as_str()
            .contains("the explorer (https://etherscan.io/tx/0xabc)"),
        "{}",
        msgs[0].body
    );
    // 163 with a PDF: refused, named in a note (the name decoded), never stored.
    let r = take(&app, &corpus("163-gb18030-qp.eml")).await;
    let id = r.ticket_id.unwrap();
    assert!(app.state.store.attachments(id).await.unwrap().is_empty());
    let t = app.state.store.ticket(id).await.unwrap();
    assert_eq!(
        t.fields.address.as_deref(),
        Some("0x52908400098527886E0F7030069857D2E4169EE7"),
        "the address is recognised by the wallet crate"
    );
    let notes: Vec<_> = app
        .state
        .store
        .messages(id, true)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.author == Author::System)
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]
            .body
            .as_str()
            .contains("Attachment not kept: 转账记录.pdf (application/pdf)")
    );
}

#[tokio::test]
async fn malformed_mail_becomes_a_ticket_with_a_note_and_bad_input_is_refused() {
    let app = TestApp::spawn().await;
    for (file, what) in [
        ("malformed-no-boundary.eml", "missing_boundary"),
        ("malformed-bad-charset.eml", "unknown_charset"),
        ("malformed-truncated-base64.eml", "broken_encoding"),
    ] {
        let r = take(&app, &corpus(file)).await;
        assert!(r.created, "{file}");
        let msgs = app
            .state
            .store
            .messages(r.ticket_id.unwrap(), true)
            .await
            .unwrap();
        assert_eq!(msgs[0].author, Author::User);
        assert!(!msgs[0].body.as_str().is_empty());
        assert!(
            msgs.iter()
                .any(|m| m.author == Author::System && m.body.as_str().contains(what)),
            "{file}: {msgs:?}"
        );
    }
    assert!(matches!(
        receive(&app.state, b"").await,
        Err(InboundError::Empty)
    ));
    assert!(matches!(
        receive(&app.state, b"just some words").await,
        Err(InboundError::NotMail(_))
    ));
    assert!(matches!(
        receive(&app.state, b"Subject: no sender\r\n\r\nhello").await,
        Err(InboundError::NoSender)
    ));
    let huge = vec![b'a'; app.state.config.mail_max_inbound_bytes() + 1];
    let e = receive(&app.state, &huge).await.unwrap_err();
    assert!(matches!(e, InboundError::TooLarge { .. }));
    assert!(e.is_permanent());
    assert!(e.to_string().contains("at most 26214400 are taken"), "{e}");
}

#[tokio::test]
async fn new_tickets_from_one_sender_are_rate_limited() {
    let app = TestApp::spawn_with(|c| c.limits.tickets_per_email = 2).await;
    for i in 0..2 {
        take(
            &app,
            &mail("dave+x@example.com", &format!("q{i}"), "", "question"),
        )
        .await;
    }
    // Another spelling of the same mailbox counts too.
    let e = receive(&app.state, &mail("Dave@example.com", "q3", "", "question"))
        .await
        .unwrap_err();
    assert!(matches!(e, InboundError::RateLimited { .. }), "{e}");
    assert!(!e.is_permanent());
}
