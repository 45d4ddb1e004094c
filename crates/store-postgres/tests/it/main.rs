//! The conformance suite on PostgreSQL, each scenario in a database of its own.
//!
//! `WALLETDESK_TEST_PG_URL` names a server and a database to connect to for administration
//! (`postgres://postgres@127.0.0.1:5433/postgres`); each test creates a uniquely named database
//! there and drops it at the end. Without the variable the tests fail, unless
//! `WALLETDESK_SKIP_PG=1` says to skip them: a missing server never passes silently.
#![expect(
    clippy::print_stderr,
    reason = "a skipped suite or a leftover database is said on stderr"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AssertSqlSafe, Connection, PgConnection};
use store::Store;
use store_postgres::PostgresStore;

const URL_ENV: &str = "WALLETDESK_TEST_PG_URL";
const SKIP_ENV: &str = "WALLETDESK_SKIP_PG";

fn admin_url() -> Option<String> {
    match std::env::var(URL_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var(SKIP_ENV).as_deref() == Ok("1") => {
            eprintln!("{SKIP_ENV}=1: PostgreSQL tests skipped");
            None
        }
        _ => panic!(
            "{URL_ENV} is not set. Point it at a PostgreSQL server this test may create \
             databases on (e.g. postgres://postgres@127.0.0.1:5433/postgres; scripts/test starts \
             one), or set {SKIP_ENV}=1 to skip the PostgreSQL tests on purpose."
        ),
    }
}

/// The same server URL with another database name.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{db}?{q}"),
        None => format!("{server}/{db}"),
    }
}

/// A database that is dropped when the test ends, however it ends.
#[derive(Debug)]
struct TestDb {
    admin_url: String,
    name: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Drop cannot await, and the test's runtime is busy with this very call: use a
        // runtime of its own on a thread of its own.
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database");
            rt.block_on(async {
                let mut admin = PgConnection::connect(&url).await?;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

async fn fresh() -> Option<(Arc<dyn Store>, TestDb)> {
    static N: AtomicU32 = AtomicU32::new(0);
    let admin_url = admin_url()?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "walletdesk_test_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {URL_ENV} ({admin_url}): {e}"));
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    admin.close().await.expect("close the admin connection");
    let db = TestDb {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let store = PostgresStore::connect(&with_database(&admin_url, &name))
        .await
        .expect("connect to the test database");
    store.migrate().await.expect("migrate a fresh database");
    Some((Arc::new(store), db))
}

store_tests::conformance_tests!(fresh);

#[tokio::test]
async fn run_all_on_one_database() {
    let Some((store, _db)) = fresh().await else {
        return;
    };
    store_tests::run_all(store).await;
}

#[test]
fn with_database_replaces_only_the_name() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5433/postgres", "x"),
        "postgres://postgres@127.0.0.1:5433/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}

/// `store::Cluster` on PostgreSQL: a notification reaches a listener, a payload over
/// PostgreSQL's 8000-byte limit arrives whole (through `cluster_messages`), and an advisory
/// lock has one holder until its guard goes.
#[tokio::test]
async fn cluster_messages_of_any_size_arrive_and_a_lock_has_one_holder() {
    let Some((store, _db)) = fresh().await else {
        return;
    };
    let a = store.cluster().expect("PostgreSQL links processes");
    let b = store.cluster().expect("PostgreSQL links processes");
    let mut listener = b.listen().await.expect("listen");
    let small = r#"{"node":"a","event":{"type":"ticket_created","ticket":1}}"#.to_owned();
    // CJK text: 3 bytes a character, 30 000 bytes in all.
    let large = format!(r#"{{"text":"{}"}}"#, "助记词".repeat(3_333));
    assert!(large.len() > 8000);
    a.notify(&small).await.expect("notify");
    a.notify(&large)
        .await
        .expect("a large payload is sent by reference");
    assert_eq!(next_message(&mut listener).await, small);
    assert_eq!(next_message(&mut listener).await, large);

    let held = a.try_lock(42).await.expect("ask").expect("free at first");
    assert!(b.try_lock(42).await.expect("ask").is_none(), "one holder");
    assert!(
        b.try_lock(43).await.expect("ask").is_some(),
        "another key is another lock"
    );
    drop(held);
    // The guard's connection closes as it drops; PostgreSQL frees the lock when it notices.
    let mut freed = false;
    for _ in 0..200 {
        if b.try_lock(42).await.expect("ask").is_some() {
            freed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(freed, "dropping the guard releases the lock");
}

async fn next_message(l: &mut Box<dyn store::Listener>) -> String {
    tokio::time::timeout(std::time::Duration::from_secs(20), l.recv())
        .await
        .expect("a message arrives")
        .expect("the connection holds")
        .expect("not lost")
}
