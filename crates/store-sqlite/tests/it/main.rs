//! The conformance suite on SQLite, each scenario in a fresh database file, and the crash test.

mod crash;
mod group;

use std::sync::Arc;

// The tests below call area methods on `SqliteStore` itself, not through `dyn Store`.
use store::prelude::*;
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
    store
        .set_setting("k", &domain::Redacted::text("v").unwrap())
        .await
        .unwrap();
    drop(store);
    let again = SqliteStore::open(&url).await.unwrap();
    again.migrate().await.unwrap();
    assert_eq!(again.setting("k").await.unwrap().as_deref(), Some("v"));
}

/// The database file and its WAL and shared-memory files are readable by the owner only, even
/// when the process's umask would allow more.
#[cfg(unix)]
#[tokio::test]
async fn database_wal_and_shm_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("walletdesk.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    store
        .set_setting("k", &domain::Redacted::text("v").unwrap())
        .await
        .unwrap();
    let mut seen = 0;
    for name in ["walletdesk.db", "walletdesk.db-wal", "walletdesk.db-shm"] {
        let p = dir.path().join(name);
        if let Ok(m) = std::fs::metadata(&p) {
            seen += 1;
            assert_eq!(m.permissions().mode() & 0o777, 0o600, "{name}");
        }
    }
    assert_eq!(
        seen, 3,
        "the WAL and SHM files exist while the store is open"
    );
}
