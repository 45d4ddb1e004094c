//! The generator against a real `walletdesk serve` with tiny numbers: every chat opens, every
//! message sent reaches its agent and is acknowledged, nothing errs. No figure is asserted on
//! (tests never assert on wall time); the figures are for `chat-load` runs.
//!
//! The desk binary is `$WALLETDESK_BIN`, else `walletdesk` next to this test's directory
//! (`target/debug/walletdesk`, built by `cargo build -p walletdesk` or any workspace test run).

use std::path::PathBuf;
use std::time::Duration;

use walletdesk_chat_load::active::{self, ActiveOptions};
use walletdesk_chat_load::desk::{Desk, DeskOptions};
use walletdesk_chat_load::idle::{self, IdleOptions};

fn walletdesk_bin() -> PathBuf {
    if let Some(b) = std::env::var_os("WALLETDESK_BIN") {
        return PathBuf::from(b);
    }
    let exe = std::env::current_exe().expect("the test's own path");
    // target/debug/deps/smoke-… → target/debug/walletdesk
    let bin = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>")
        .join("walletdesk");
    assert!(
        bin.exists(),
        "{} is missing: `cargo build -p walletdesk` first, or set WALLETDESK_BIN",
        bin.display()
    );
    bin
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

#[test]
fn idle_chats_open_and_stay_open() {
    runtime().block_on(async {
        let mut desk = Desk::start(&DeskOptions {
            bin: walletdesk_bin(),
            pg_admin_url: None,
            nodes: 1,
            agents: 0,
        })
        .await
        .unwrap();
        let r = idle::run(
            &mut desk,
            &IdleOptions {
                levels: vec![3, 5],
                settle: Duration::from_millis(300),
                concurrency: 2,
                lang: "zh-CN".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(r.first_error, None);
        assert_eq!(r.rows.len(), 2);
        assert_eq!((r.rows[0].chats, r.rows[0].open), (3, 3));
        assert_eq!((r.rows[1].chats, r.rows[1].open), (5, 5));
        assert!(r.rows.iter().all(|row| row.failed == 0 && row.closed == 0));
        assert!(r.baseline_rss_kib > 0 && r.rows[1].rss_kib > 0);
    });
}

#[test]
fn every_message_of_an_active_chat_reaches_its_agent() {
    runtime().block_on(async {
        let mut desk = Desk::start(&DeskOptions {
            bin: walletdesk_bin(),
            pg_admin_url: None,
            nodes: 1,
            agents: 2,
        })
        .await
        .unwrap();
        let r = active::run(
            &mut desk,
            &ActiveOptions {
                chats: 4,
                agents: 2,
                interval: Duration::from_millis(700),
                warmup: Duration::from_millis(500),
                duration: Duration::from_secs(3),
                concurrency: 2,
                lang: "en".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(r.first_error, None);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.accepted, 4);
        assert!(r.sent >= 4, "every chat sent in the window: {}", r.sent);
        assert_eq!(
            r.delivery.count, r.sent,
            "each message reached its agent once"
        );
        assert_eq!(r.ack.count, r.sent, "each message was acknowledged");
        // Each agent hears the chats it accepted only (docs/CHAT-PROTOCOL.md §9), not the
        // other's: one message event per message.
        assert_eq!(r.agent_events, r.sent as u64);
        assert_eq!(r.rss_kib.len(), 1);
    });
}
