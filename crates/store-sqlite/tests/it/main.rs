//! The conformance suite on SQLite, each scenario in a fresh database file, and the crash test.

mod crash;

use std::sync::Arc;

use store::Store;
use store_sqlite::SqliteStore;
use tempfile::TempDir;

/// A migrated, empty database in a temporary directory (removed when the guard drops).
async fn fresh() -> Option<(Arc<dyn Store>, TempDir)> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("walletdesk.db");
    let store = SqliteStore::open(path.to_str().expect("a UTF-8 temporary path"))
        .await
        .expect("open a fresh SQLite database");
    store.migrate().await.expect("migrate a fresh database");
    Some((Arc::new(store), dir))
}

store_tests::conformance_tests!(fresh);

#[tokio::test]
async fn run_all_on_one_database() {
    let (store, _dir) = fresh().await.expect("SQLite is never skipped");
    store_tests::run_all(store).await;
}

#[tokio::test]
async fn opens_a_sqlite_url_and_reopens_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("u.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.set_setting("k", "v").await.unwrap();
    drop(store);
    let again = SqliteStore::open(&url).await.unwrap();
    again.migrate().await.unwrap();
    assert_eq!(again.setting("k").await.unwrap().as_deref(), Some("v"));
}
