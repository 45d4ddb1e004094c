//! Group commit (`src/group.rs`): tickets created at once share commits, each still stands alone.

use std::sync::Arc;

use domain::{Category, EmailAddress, Lang, Priority, Redacted, Timestamp};
use store::{NewTicket, Store, StoreError, TicketFields, TokenHash};
use store_sqlite::SqliteStore;

fn new_ticket(n: u64, token: u64) -> NewTicket {
    NewTicket {
        requester: EmailAddress::parse("group@example.com").unwrap(),
        category: Category::Other,
        subject: Redacted::clean(&format!("group {n}")),
        body: Redacted::clean("余额显示为零"),
        fields: TicketFields::default(),
        priority: Priority::Normal,
        secret_exposed: false,
        lang: Lang::ZhCn,
        access_token: TokenHash(format!("{token:064x}")),
        first_response_due: None,
        resolution_due: None,
        now: Timestamp(1_796_111_873_000),
        mail: None,
    }
}

async fn open() -> (Arc<SqliteStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("g.db").to_str().unwrap())
        .await
        .unwrap();
    store.migrate().await.unwrap();
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
        stats.commits < stats.tickets / 4,
        "64 waiting tickets took {} commits",
        stats.commits
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
        after.commits - before.commits,
        1,
        "the nine tickets were queued together, so they share one commit"
    );
}
