//! Durability: a write that returned `Ok` survives the process being killed with SIGKILL.
//!
//! The test re-runs its own binary as a child (`crash_child`, ignored in normal runs) that
//! creates tickets from several tasks at once (so they go through SQLite's group commit, many
//! tickets per commit) and prints `committed <id>` after each one returns; the parent kills it
//! while it is still writing and checks that every reported ticket is there on reopen, with its
//! message and its mail.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;

use domain::{Category, EmailAddress, Lang, Priority, Redacted, TicketId, Timestamp};
use store::{
    NewMail, NewTicket, OutboxStore, Store, Ticket, TicketFields, TicketMail, TicketStore,
    TokenHash,
};
use store_sqlite::SqliteStore;

const DB_ENV: &str = "WALLETDESK_CRASH_CHILD_DB";
/// How many commits the parent waits for before it kills the child.
const KILL_AFTER: usize = 200;

/// Concurrent writers in the child: their tickets share group commits (`group.rs`).
const WRITERS: i64 = 8;

fn new_ticket(n: i64) -> NewTicket {
    NewTicket {
        requester: EmailAddress::parse("crash@example.com").expect("a valid address"),
        category: Category::Other,
        subject: Redacted::clean(&format!("crash {n}")),
        body: Redacted::clean("转账失败 while the power went out"),
        fields: TicketFields::default(),
        priority: Priority::Normal,
        secret_exposed: false,
        lang: Lang::En,
        channel: domain::Channel::Web,
        access_token: TokenHash(format!("{n:064x}")),
        first_response_due: None,
        resolution_due: None,
        now: Timestamp(1_796_111_873_000 + n),
        mail: Some(TicketMail::new(|t: &Ticket| NewMail {
            to: t.requester.clone(),
            subject: Redacted::clean(&format!("[#{}] {}", t.id, t.subject)),
            body_text: Redacted::clean("opened"),
            link_seed: None,
            kind: "ticket_created".into(),
            ticket_id: Some(t.id),
            lang: Lang::En,
            now: t.created_at,
        })),
    }
}

#[tokio::test]
#[ignore = "the child half of `acknowledged_writes_survive_sigkill`; runs only from it"]
async fn crash_child() {
    let Ok(path) = std::env::var(DB_ENV) else {
        return;
    };
    let store = Arc::new(SqliteStore::open(&path).await.unwrap());
    store.migrate().await.unwrap();
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..WRITERS {
        let store = Arc::clone(&store);
        writers.spawn(async move {
            for n in (w..).step_by(usize::try_from(WRITERS).unwrap()) {
                let t = store.create_ticket(new_ticket(n)).await.unwrap();
                let mut out = std::io::stdout().lock();
                writeln!(out, "committed {}", t.id).unwrap();
                out.flush().unwrap();
            }
        });
    }
    while writers.join_next().await.is_some() {}
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash::crash_child", "--exact", "--ignored", "--nocapture"])
        .env(DB_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut committed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(id) = line.strip_prefix("committed ") {
            committed.push(TicketId(id.trim().parse().unwrap()));
            if committed.len() == KILL_AFTER {
                // SIGKILL, mid-stream: the child is still writing.
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(
        committed.len(),
        KILL_AFTER,
        "the child stopped before it had committed enough tickets"
    );

    let store = SqliteStore::open(db.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    for id in &committed {
        let t = store.ticket(*id).await.unwrap();
        assert_eq!(t.id, *id);
        assert_eq!(store.messages(*id, false).await.unwrap().len(), 1);
    }
    // Each acknowledged ticket's mail was in its transaction.
    let mailed: BTreeSet<TicketId> = store
        .pending_mail(u32::MAX)
        .await
        .unwrap()
        .iter()
        .filter_map(|m| m.ticket_id)
        .collect();
    for id in &committed {
        assert!(
            mailed.contains(id),
            "ticket {id} was acknowledged without its mail"
        );
    }
    // And nothing half-written: every ticket in the file, acknowledged or not, has its mail
    // (ids are given in order, and the child cannot have written many past the last printed).
    let last = committed.iter().map(|t| t.0).max().unwrap();
    for id in 1..=last + 4 * i64::try_from(KILL_AFTER).unwrap() {
        if store.ticket(TicketId(id)).await.is_ok() {
            assert!(
                mailed.contains(&TicketId(id)),
                "ticket {id} is stored without its mail"
            );
        }
    }
}
