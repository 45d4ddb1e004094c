//! Durability: a write that returned `Ok` survives the process being killed with SIGKILL.
//!
//! The test re-runs its own binary as a child (`crash_child`, ignored in normal runs) that
//! creates tickets and prints `committed <id>` after each one returns; the parent kills it
//! while it is still writing and checks that every reported ticket is there on reopen.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use domain::{Category, EmailAddress, Lang, Priority, Redacted, TicketId, Timestamp};
use store::{NewTicket, Store, TicketFields, TokenHash};
use store_sqlite::SqliteStore;

const DB_ENV: &str = "WALLETDESK_CRASH_CHILD_DB";
/// How many commits the parent waits for before it kills the child.
const KILL_AFTER: usize = 200;

#[tokio::test]
#[ignore = "the child half of `acknowledged_writes_survive_sigkill`; runs only from it"]
async fn crash_child() {
    let Ok(path) = std::env::var(DB_ENV) else {
        return;
    };
    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    let mut out = std::io::stdout().lock();
    for n in 0_i64.. {
        let t = store
            .create_ticket(NewTicket {
                requester: EmailAddress::parse("crash@example.com").unwrap(),
                category: Category::Other,
                subject: Redacted::new(&format!("crash {n}")).unwrap().0,
                body: Redacted::new("转账失败 while the power went out")
                    .unwrap()
                    .0,
                fields: TicketFields::default(),
                priority: Priority::Normal,
                secret_exposed: false,
                lang: Lang::En,
                access_token: TokenHash(format!("{n:064x}")),
                first_response_due: None,
                resolution_due: None,
                now: Timestamp(1_796_111_873_000 + n),
            })
            .await
            .unwrap();
        writeln!(out, "committed {}", t.id).unwrap();
        out.flush().unwrap();
    }
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
}
