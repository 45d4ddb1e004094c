//! How long an event takes from one node to another through PostgreSQL (`server::cluster`):
//! two app states on one fresh database, each with its relay, as two `serve` processes have.
//! One at a time (publish on A, wait for it on B): latency percentiles; then a burst of
//! events published at once: how many per second arrive; then presence: an agent coming on the
//! desk on A and leaving it, until B says so (`cluster/presence.rs`'s snapshots).
//! `WALLETDESK_TEST_PG_URL=postgres://… cargo bench -p walletdesk-server --bench cluster_relay`;
//! prints figures, asserts nothing; says so and stops without a URL.

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set itself up stops"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::{AgentId, TicketId};
use server::{AppState, Config, Event};
use sqlx::Connection;
use store::Store;

const ONE_BY_ONE: u32 = 2_000;
const BURST: u32 = 200;
const PRESENCE: u32 = 500;

async fn node(url: &str, dir: &std::path::Path) -> AppState {
    let store: Arc<dyn Store> =
        Arc::new(store_postgres::PostgresStore::connect(url).await.unwrap());
    store.migrate().await.unwrap();
    AppState::new(
        store,
        Config {
            data_dir: dir.to_owned(),
            demo: false,
            ..Config::default()
        },
    )
}

/// The `per_mille`-th of `sorted`, in milliseconds.
fn pct(sorted: &[Duration], per_mille: usize) -> f64 {
    sorted[(sorted.len() - 1) * per_mille / 1000].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let Ok(admin) = std::env::var("WALLETDESK_TEST_PG_URL") else {
        println!("cluster_relay: no WALLETDESK_TEST_PG_URL, nothing measured");
        return;
    };
    let name = format!("wd_bench_relay_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap();
    let url = format!("{}/{name}", &admin[..admin.rfind('/').unwrap()]);
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(&url, da.path()).await;
    let b = node(&url, db.path()).await;
    let mut tasks = server::cluster::start(&a);
    tasks.extend(server::cluster::start(&b));
    let mut on_b = b.events.subscribe();
    // Until B hears A.
    loop {
        // Presence events do not travel (each node derives its own): a ticket event does.
        a.publish(Event::TicketUpdated {
            ticket: TicketId(-1),
        });
        if tokio::time::timeout(Duration::from_millis(200), on_b.recv())
            .await
            .is_ok()
        {
            break;
        }
    }
    while on_b.try_recv().is_ok() {}

    let mut took = Vec::new();
    for i in 0..ONE_BY_ONE {
        let e = Event::TicketUpdated {
            ticket: TicketId(i64::from(i)),
        };
        let t = Instant::now();
        a.publish(e.clone());
        loop {
            if on_b.recv().await.unwrap() == e {
                break;
            }
        }
        took.push(t.elapsed());
    }
    took.sort();
    println!(
        "A → B through PostgreSQL, {ONE_BY_ONE} events one at a time: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&took, 500),
        pct(&took, 900),
        pct(&took, 990),
        pct(&took, 1000)
    );

    // A burst below the local broadcast's capacity (256): every event should arrive.
    let t = Instant::now();
    for i in 0..BURST {
        a.publish(Event::MessageAdded {
            ticket: TicketId(i64::from(i)),
        });
    }
    let mut got = 0u32;
    while got < BURST {
        match tokio::time::timeout(Duration::from_secs(30), on_b.recv()).await {
            Ok(Ok(Event::MessageAdded { .. })) => got += 1,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                println!("B's receiver: {e}");
                break;
            }
            Err(_) => break,
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "A → B burst of {BURST}: {got} arrived in {:.1} ms ({:.0} events/s)",
        secs * 1000.0,
        f64::from(got) / secs
    );

    // Presence: an agent's tab opens on A (B hears A's snapshot and says the agent changed),
    // then closes.
    let agent = AgentId(1);
    let changed = Event::AgentPresenceChanged { agent };
    let (mut came, mut left, mut not_online) = (Vec::new(), Vec::new(), 0u32);
    while on_b.try_recv().is_ok() {}
    for _ in 0..PRESENCE {
        let t = Instant::now();
        let tab = a.desk_presence.enter(agent, a.events.clone());
        while on_b.recv().await.unwrap() != changed {}
        came.push(t.elapsed());
        if b.desk_presence.state(agent) != server::routing::AgentState::Online {
            not_online += 1;
        }
        let t = Instant::now();
        drop(tab);
        while on_b.recv().await.unwrap() != changed {}
        left.push(t.elapsed());
    }
    came.sort();
    left.sort();
    println!(
        "presence A → B, {PRESENCE} times: online on B after p50 {:.2} ms, p99 {:.2} ms; offline after p50 {:.2} ms, p99 {:.2} ms; not online when told: {not_online}",
        pct(&came, 500),
        pct(&came, 990),
        pct(&left, 500),
        pct(&left, 990)
    );
    for t in tasks {
        t.abort();
    }
    drop((a, b));
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await;
}
