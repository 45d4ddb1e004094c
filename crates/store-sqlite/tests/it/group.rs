//! Group commit (`src/group.rs`): tickets created at once share commits, each still stands alone.

use std::sync::Arc;

use domain::{Category, EmailAddress, Lang, Priority, Redacted, Timestamp};
use store::{NewTicket, OutboxStore, Store, StoreError, TicketFields, TicketStore, TokenHash};
use store_sqlite::SqliteStore;

fn new_ticket(n: u64, token: u64) -> NewTicket {
    NewTicket {
        requester: EmailAddress::parse("group@example.com").expect("a valid address"),
        category: Category::Other,
        subject: Redacted::clean(&format!("group {n}")),
        body: Redacted::clean("余额显示为零"),
        fields: TicketFields::default(),
        priority: Priority::Normal,
        secret_exposed: false,
        lang: Lang::ZhCn,
        channel: domain::Channel::Web,
        access_token: TokenHash(format!("{token:064x}")),
        first_response_due: None,
        resolution_due: None,
        now: Timestamp(1_796_111_873_000),
        mail: None,
    }
}

/// `t` with a confirmation mail to `to` whose subject names the ticket's number: "[#N] group n".
fn with_mail(mut t: NewTicket, n: u64, to: &'static str) -> NewTicket {
    t.mail = Some(store::TicketMail::new(move |ticket| store::NewMail {
        to: EmailAddress::parse(to).expect("address"),
        subject: Redacted::clean(&format!("[#{}] group {n}", ticket.id)),
        body_text: Redacted::clean("{{link}}"),
        link_seed: None,
        kind: "ticket_created".into(),
        ticket_id: Some(ticket.id),
        lang: Lang::ZhCn,
        now: ticket.created_at,
    }));
    t
}

async fn open() -> (Arc<SqliteStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("g.db");
    let store = SqliteStore::open(path.to_str().expect("a UTF-8 path"))
        .await
        .expect("open a fresh database");
    store.migrate().await.expect("migrate it");
    (Arc::new(store), dir)
}

/// 64 tickets queued while the writer is busy go out in far fewer commits, and every caller
/// gets its own ticket back.
#[tokio::test]
async fn concurrent_creations_share_commits() {
    let (store, _dir) = open().await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..64 {
        let store = Arc::clone(&store);
        tasks.spawn(async move { (n, store.create_ticket(new_ticket(n, n)).await.unwrap()) });
    }
    while let Some(done) = tasks.join_next().await {
        let (n, t) = done.unwrap();
        assert_eq!(t.subject.as_str(), format!("group {n}"));
        assert_eq!(store.ticket(t.id).await.unwrap(), t);
    }
    let stats = store.group_commit_stats();
    assert_eq!(stats.tickets, 64);
    assert!(
        stats.batches < stats.tickets / 4,
        "64 waiting tickets took {} commits",
        stats.batches
    );
}

/// A ticket that fails inside a batch (its access token is taken) is rolled back to its own
/// savepoint: the tickets written before and after it in the same commit are stored.
#[tokio::test]
async fn a_failing_ticket_does_not_fail_its_batch() {
    let (store, _dir) = open().await;
    store.create_ticket(new_ticket(0, 7)).await.unwrap();
    let before = store.group_commit_stats();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 1..=9 {
        let store = Arc::clone(&store);
        // The fifth reuses the token of the ticket above.
        let token = if n == 5 { 7 } else { 100 + n };
        tasks.spawn(async move { (n, store.create_ticket(new_ticket(n, token)).await) });
    }
    let mut stored = 0;
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            (5, Err(StoreError::Conflict(_))) => {}
            (5, other) => panic!("the ticket with a taken token gave {other:?}"),
            (n, Ok(t)) => {
                assert_eq!(t.subject.as_str(), format!("group {n}"));
                assert_eq!(store.messages(t.id, false).await.unwrap().len(), 1);
                stored += 1;
            }
            (n, Err(e)) => panic!("ticket {n} failed with its neighbour: {e}"),
        }
    }
    assert_eq!(stored, 8);
    let after = store.group_commit_stats();
    assert_eq!(after.tickets - before.tickets, 9);
    assert_eq!(
        after.batches - before.batches,
        1,
        "the nine tickets were queued together, so they share one commit"
    );
    assert_eq!(
        after.retried - before.retried,
        1,
        "the all-at-once attempt failed, and the batch was written again job by job"
    );
}

/// A ticket alone in its batch (no savepoint) that fails is rolled back with its transaction:
/// it answers its own error, and the writer carries on with the next ticket.
#[tokio::test]
async fn a_lone_failing_ticket_is_rolled_back() {
    let (store, _dir) = open().await;
    let first = store.create_ticket(new_ticket(1, 1)).await.unwrap();
    let clash = store.create_ticket(new_ticket(2, 1)).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    let next = store.create_ticket(new_ticket(3, 3)).await.unwrap();
    assert_eq!(
        next.id.0,
        first.id.0 + 1,
        "the failed ticket left no row behind"
    );
    assert_eq!(store.messages(next.id, false).await.unwrap().len(), 1);
    let stats = store.group_commit_stats();
    assert_eq!((stats.batches, stats.tickets), (3, 3));
}

fn new_chat(token: u64) -> store::NewChat {
    store::NewChat {
        requester: EmailAddress::parse("chat@example.com").expect("a valid address"),
        category: Category::Other,
        subject: Redacted::clean("在线客服"),
        priority: Priority::Normal,
        lang: Lang::ZhCn,
        access_token: TokenHash(format!("{token:064x}")),
        first_response_due: None,
        resolution_due: None,
        now: Timestamp(1_796_111_873_000),
    }
}

fn chat_line(ticket: domain::TicketId, client_id: &str, text: &str) -> store::NewChatMessage {
    store::NewChatMessage {
        message: store::NewMessage {
            ticket_id: ticket,
            author: domain::Author::User,
            kind: domain::MessageKind::Public,
            body: Redacted::clean(text),
            secrets_removed: 0,
            now: Timestamp(1_796_111_874_000),
        },
        client_id: Some(client_id.to_owned()),
        sender: store::ChatSender::User,
        cards: "[]".into(),
    }
}

/// Chat messages sent at once by many chats share commits with each other, and a resend in the
/// same batch (its client id is stored already) is answered with the stored message without
/// failing its neighbours or writing a second row.
#[tokio::test]
async fn chat_messages_share_commits_and_a_resend_writes_nothing() {
    use store::ChatStore;
    let (store, _dir) = open().await;
    let mut chats = Vec::new();
    for n in 0..16 {
        chats.push(store.create_chat(new_chat(1_000 + n)).await.unwrap().id);
    }
    let (first, fresh) = store
        .append_chat_message(chat_line(chats[0], "c-0", "第一条"))
        .await
        .unwrap();
    assert!(fresh);
    let before = store.group_commit_stats();
    let mut tasks = tokio::task::JoinSet::new();
    for (n, chat) in chats.iter().copied().enumerate() {
        for k in 0..4 {
            let store = Arc::clone(&store);
            // Chat 0's first line is sent again (a client's resend after a reconnect).
            let cid = if n == 0 && k == 0 {
                "c-0".to_owned()
            } else {
                format!("c-{n}-{k}")
            };
            tasks.spawn(async move {
                let text = format!("chat {n} line {k}");
                (
                    cid.clone(),
                    store
                        .append_chat_message(chat_line(chat, &cid, &text))
                        .await,
                )
            });
        }
    }
    let mut fresh_lines = 0;
    while let Some(done) = tasks.join_next().await {
        let (cid, outcome) = done.unwrap();
        let (m, fresh) = outcome.unwrap_or_else(|e| panic!("{cid} failed: {e}"));
        assert_eq!(m.client_id.as_deref(), Some(cid.as_str()));
        if cid == "c-0" {
            assert!(!fresh, "a resend is not stored twice");
            assert_eq!(m.id, first.id);
            assert_eq!(m.body.as_str(), "第一条");
        } else {
            assert!(fresh);
            fresh_lines += 1;
        }
    }
    assert_eq!(fresh_lines, 63);
    let after = store.group_commit_stats();
    assert_eq!(after.chat_messages - before.chat_messages, 64);
    assert!(
        after.batches - before.batches < 16,
        "64 waiting chat messages took {} commits",
        after.batches - before.batches
    );
    let lines = store.chat_messages(chats[0], None).await.unwrap();
    assert_eq!(
        lines.len(),
        4,
        "chat 0: its first line and three more, none doubled"
    );
    for chat in &chats[1..] {
        assert_eq!(store.chat_messages(*chat, None).await.unwrap().len(), 4);
    }
}

/// Under steady writes the WAL stays bounded: it is checkpointed and started again from the top,
/// not left to grow (a checkpoint beside the writer alone never caught up, and the WAL reached
/// 935 MB in a 40 s bench). 12,000 tickets write about 19 MB of WAL.
#[tokio::test]
async fn the_wal_stays_bounded_under_steady_writes() {
    let (store, dir) = open().await;
    let wal = dir.path().join("g.db-wal");
    for round in 0..120 {
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..100 {
            let store = Arc::clone(&store);
            let k = round * 100 + n;
            tasks.spawn(async move { store.create_ticket(new_ticket(k, 50_000 + k)).await });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap().unwrap();
        }
    }
    let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(
        size < 8 * 1024 * 1024,
        "the WAL is {size} bytes after 12,000 tickets: it was never started again"
    );
    let db = std::fs::metadata(dir.path().join("g.db"))
        .expect("db")
        .len();
    assert!(
        db > 1024 * 1024,
        "the tickets reached the database file: {db} bytes"
    );
}

/// Tickets written together (one statement per table, `write_tickets`) have the same rows as
/// tickets written alone: each its own first message and its own confirmation mail, whose
/// subject names its own number — a mix-up between a batch's tickets would show here.
#[tokio::test]
async fn tickets_written_together_each_get_their_own_message_and_mail() {
    let (store, _dir) = open().await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..48u64 {
        let store = Arc::clone(&store);
        tasks.spawn(async move {
            let mut t = new_ticket(n, 1_000 + n);
            t.body = Redacted::clean(&format!("body of {n}"));
            t.secret_exposed = n % 5 == 0;
            t.mail = Some(store::TicketMail::new(move |ticket| store::NewMail {
                to: EmailAddress::parse(&format!("u{n}@example.com")).expect("address"),
                subject: Redacted::clean(&format!("[#{}] group {n}", ticket.id)),
                body_text: Redacted::clean("{{link}}"),
                link_seed: Some(format!("seed-{n}")),
                kind: "ticket_created".into(),
                ticket_id: Some(ticket.id),
                lang: Lang::ZhCn,
                now: ticket.created_at,
            }));
            (n, store.create_ticket(t).await.expect("created"))
        });
    }
    let mut made = Vec::new();
    while let Some(done) = tasks.join_next().await {
        made.push(done.expect("task"));
    }
    let stats = store.group_commit_stats();
    assert!(stats.batches < 48, "some tickets were written together");
    assert_eq!(stats.retried, 0, "every batch went in at the first attempt");
    let mails = store.pending_mail(1_000).await.expect("outbox");
    assert_eq!(mails.len(), 48);
    for (n, t) in made {
        assert_eq!(t.subject.as_str(), format!("group {n}"));
        assert_eq!(t.secret_exposed, n % 5 == 0);
        let messages = store.messages(t.id, true).await.expect("messages");
        assert_eq!(messages.len(), 1, "ticket {n}");
        assert_eq!(messages[0].body.as_str(), format!("body of {n}"));
        assert_eq!(messages[0].secrets_removed, u32::from(n % 5 == 0));
        let mail = mails
            .iter()
            .find(|m| m.ticket_id == Some(t.id))
            .expect("its mail");
        assert_eq!(mail.to.as_str(), format!("u{n}@example.com"));
        assert_eq!(mail.subject, format!("[#{}] group {n}", t.id));
        assert_eq!(
            mail.link_seed.as_deref(),
            Some(format!("seed-{n}").as_str())
        );
        assert_eq!(mail.message_id, format!("t{}.{}", t.id, t.created_at.0));
    }
}

/// A failure after the tickets' own `INSERT` (here a mail the outbox refuses, through a
/// trigger) rolls back the whole attempt, tickets included, alone or in a batch: the caller
/// gets the error, no ticket is left without its mail, the neighbours are stored, and the
/// writer's connection is not left inside a transaction (the next ticket goes in).
#[tokio::test]
async fn a_failure_after_the_tickets_insert_rolls_the_tickets_back() {
    let (store, dir) = open().await;
    let side =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("g.db").display()))
            .await
            .expect("a second connection");
    sqlx::query(
        "CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox \
         WHEN NEW.to_addr = 'refused@example.com' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    )
    .execute(&side)
    .await
    .expect("the trigger");
    let with_mail = |n: u64, to: &'static str| with_mail(new_ticket(n, 5_000 + n), n, to);
    // Alone.
    let lone = store
        .create_ticket(with_mail(0, "refused@example.com"))
        .await;
    assert!(
        lone.is_err(),
        "the refused mail failed its ticket: {lone:?}"
    );
    let next = store
        .create_ticket(with_mail(1, "ok@example.com"))
        .await
        .expect("the next ticket goes in");
    assert_eq!(next.id.0, 1, "the failed ticket left no row behind");
    // In a batch.
    let mut tasks = tokio::task::JoinSet::new();
    for n in 2..=9u64 {
        let store = Arc::clone(&store);
        let to = if n == 6 {
            "refused@example.com"
        } else {
            "ok@example.com"
        };
        let t = with_mail(n, to);
        tasks.spawn(async move { (n, store.create_ticket(t).await) });
    }
    let mut stored = 0;
    while let Some(done) = tasks.join_next().await {
        match done.expect("task") {
            (6, r) => assert!(r.is_err(), "the refused mail failed its ticket: {r:?}"),
            (n, r) => {
                let t = r.unwrap_or_else(|e| panic!("ticket {n} failed with its neighbour: {e}"));
                assert_eq!(
                    store.messages(t.id, false).await.expect("messages").len(),
                    1
                );
                stored += 1;
            }
        }
    }
    assert_eq!(stored, 7);
    let mails = store.pending_mail(1_000).await.expect("outbox");
    assert_eq!(mails.len(), 8, "one mail for each stored ticket");
    let (tickets,): (i64,) = sqlx::query_as("SELECT count(*) FROM tickets")
        .fetch_one(&side)
        .await
        .expect("count");
    assert_eq!(tickets, 8, "no ticket without its mail");
    for refused in [5_000, 5_006] {
        let token = TokenHash(format!("{refused:064x}"));
        assert!(matches!(
            store.ticket_by_access_token(&token).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(store.group_commit_stats().retried >= 2);
}

/// The writer numbers a batch's tickets before they are written (`write_tickets`). A ticket
/// made another way in between (a chat starts) takes the number the writer expected to give:
/// the writer's next ticket must then get a number of its own, its first message and its mail
/// must name that number, and the chat's ticket must get neither.
#[tokio::test]
async fn a_ticket_made_between_batches_does_not_take_the_next_ones_rows() {
    use store::ChatStore;
    let (store, dir) = open().await;
    let mail = |n: u64| with_mail(new_ticket(n, 9_000 + n), n, "m@example.com");
    let first = store.create_ticket(mail(1)).await.expect("first");
    let chat = store.create_chat(new_chat(77)).await.expect("a chat");
    assert_eq!(chat.id.0, first.id.0 + 1, "the chat took the next number");
    let next = store.create_ticket(mail(2)).await.expect("the next ticket");
    assert_eq!(next.id.0, chat.id.0 + 1);
    assert_eq!(next.subject.as_str(), "group 2");
    let messages = store.messages(next.id, true).await.expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].body.as_str(), "余额显示为零");
    assert!(
        store
            .messages(chat.id, true)
            .await
            .expect("the chat's messages")
            .is_empty(),
        "the chat's ticket got the other ticket's first message"
    );
    let mails = store.pending_mail(100).await.expect("outbox");
    assert_eq!(mails.len(), 2);
    let m = mails
        .iter()
        .find(|m| m.ticket_id == Some(next.id))
        .expect("the next ticket's mail");
    assert_eq!(m.subject, format!("[#{}] group 2", next.id));
    assert_eq!(m.message_id, format!("t{}.{}", next.id, next.created_at.0));
    assert!(mails.iter().all(|m| m.ticket_id != Some(chat.id)));
    // And the writer is in step again: the ticket after needs no second try.
    let retried = store.group_commit_stats().retried;
    let after = store.create_ticket(mail(3)).await.expect("one more");
    assert_eq!(after.id.0, next.id.0 + 1);
    assert_eq!(store.group_commit_stats().retried, retried);
    // A number is never given twice, even when the ticket that took it is gone (deleted by
    // hand): a chat takes the next number and its row is deleted, so no key clash would stop
    // the writer from giving that number again; the guard on `sqlite_sequence` does.
    let gone = store.create_chat(new_chat(78)).await.expect("a chat");
    let side =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("g.db").display()))
            .await
            .expect("a second connection");
    let mut c = side.acquire().await.expect("a connection");
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *c)
        .await
        .expect("pragma");
    sqlx::query("DELETE FROM tickets WHERE id = ?")
        .bind(gone.id.0)
        .execute(&mut *c)
        .await
        .expect("delete the chat's ticket");
    drop(c);
    side.close().await;
    let last = store.create_ticket(mail(4)).await.expect("the last ticket");
    assert_eq!(
        last.id.0,
        gone.id.0 + 1,
        "the deleted ticket's number was given again"
    );
    let mails = store.pending_mail(100).await.expect("outbox");
    let m = mails
        .iter()
        .find(|m| m.ticket_id == Some(last.id))
        .expect("the last ticket's mail");
    assert_eq!(m.subject, format!("[#{}] group 4", last.id));
}
