//! Several nodes on one PostgreSQL (`server::cluster`): two app states on one database, each
//! with its relay running, as two `serve` processes have. PostgreSQL only; on SQLite there is
//! one node and these tests say so and pass. The same with real processes:
//! `crates/walletdesk/tests/it/nodes.rs`.

use std::time::Duration;

use domain::{Lang, Redacted, TicketId, Timestamp};
use server::cluster::{Cache, Job};
use server::{AppState, Event};
use store::{ArticleDraft, ArticleStatus};
use tokio::sync::broadcast;

use crate::helpers::{TestApp, on_postgres};

#[expect(clippy::print_stderr, reason = "a skipped test says so")]
pub(crate) fn skip() -> bool {
    if on_postgres() {
        return false;
    }
    eprintln!("skipped: several nodes need PostgreSQL (WALLETDESK_TEST_BACKEND=postgres)");
    true
}

/// The next event, or a failure after a generous wait (a hang is a failure, not a timing).
pub(crate) async fn next(rx: &mut broadcast::Receiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("an event arrives")
        .expect("the broadcast is open")
}

/// Two nodes whose relays both listen: an event sent by each has reached the other.
pub(crate) async fn two_linked_nodes() -> (TestApp, TestApp, Vec<tokio::task::JoinHandle<()>>) {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let mut tasks = server::cluster::start(&a.state);
    tasks.extend(server::cluster::start(&b.state));
    for (from, to) in [(&a.state, &b.state), (&b.state, &a.state)] {
        let mut rx = to.events.subscribe();
        // A relay starts listening a moment after it starts: knock until the other hears.
        let probe = Event::TicketUpdated {
            ticket: TicketId(-1),
        };
        let heard = async {
            loop {
                from.publish(probe.clone());
                match tokio::time::timeout(Duration::from_millis(200), rx.recv()).await {
                    Ok(Ok(e)) if e == probe => return,
                    _ => {}
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(20), heard)
            .await
            .expect("the nodes hear each other");
    }
    // Let the probes' echoes (if any were sent) pass before the tests subscribe.
    settle(&a.state, &b.state).await;
    (a, b, tasks)
}

/// A marker from each node, waited for on the other: every event sent before is through.
async fn settle(a: &AppState, b: &AppState) {
    for (from, to, n) in [(a, b, -2), (b, a, -3)] {
        let mut rx = to.events.subscribe();
        let marker = Event::TicketUpdated {
            ticket: TicketId(n),
        };
        from.publish(marker.clone());
        while next(&mut rx).await != marker {}
    }
}

#[tokio::test]
async fn events_cross_nodes_once_and_never_come_back() {
    if skip() {
        return;
    }
    let (a, b, _tasks) = two_linked_nodes().await;
    let mut on_a = a.state.events.subscribe();
    let mut on_b = b.state.events.subscribe();
    let created = Event::TicketCreated {
        ticket: TicketId(1),
    };
    let updated = Event::TicketUpdated {
        ticket: TicketId(2),
    };
    let marker_a = Event::MessageAdded {
        ticket: TicketId(3),
    };
    let marker_b = Event::MessageAdded {
        ticket: TicketId(4),
    };
    a.state.publish(created.clone());
    assert_eq!(next(&mut on_b).await, created, "A's event reaches B");
    b.state.publish(updated.clone());
    assert_eq!(next(&mut on_a).await, created, "A hears its own event once");
    assert_eq!(next(&mut on_a).await, updated, "B's event reaches A");
    // Each node sends its events out in order: an echo of `created` by B or of `updated` by A
    // would arrive before these markers.
    a.state.publish(marker_a.clone());
    assert_eq!(next(&mut on_b).await, updated);
    assert_eq!(next(&mut on_b).await, marker_a, "no echo on B");
    b.state.publish(marker_b.clone());
    assert_eq!(next(&mut on_a).await, marker_a);
    assert_eq!(next(&mut on_a).await, marker_b, "no echo on A");
    // A resync is each node's own business.
    a.state.publish(Event::Resync);
    a.state.publish(marker_a.clone());
    assert_eq!(next(&mut on_b).await, marker_b);
    assert_eq!(next(&mut on_b).await, marker_a, "a resync does not travel");
}

#[tokio::test]
async fn publishing_an_article_on_one_node_rebuilds_the_others_index() {
    if skip() {
        return;
    }
    let (a, b, _tasks) = two_linked_nodes().await;
    assert!(b.state.search.is_empty());
    let article = a
        .state
        .store
        .save_article(ArticleDraft {
            slug: "two-nodes".into(),
            lang: Lang::En,
            category: "security".into(),
            topics: vec![],
            keywords: vec![],
            title: Redacted::clean("Nodes in step"),
            summary: Redacted::clean("Both nodes find this article."),
            body: Redacted::clean("Published on node A, found on node B."),
            author: None,
            now: Timestamp(1_900_000_000_000),
        })
        .await
        .unwrap();
    a.state
        .store
        .set_article_status(article.id, ArticleStatus::Published, a.state.now())
        .await
        .unwrap();
    // What the publish route does on the node it ran on.
    server::help::reindex(&a.state).await.unwrap();
    a.state.cache_changed(Cache::Help);
    let found = async {
        while b.state.search.is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(20), found)
        .await
        .expect("B rebuilt its index from the store");
    assert_eq!(b.state.search.len(), 1);
    let r = b
        .client
        .get(b.url("/help/search?q=nodes+in+step&lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("/help/two-nodes"));
}

#[tokio::test]
async fn a_timed_job_runs_on_one_node_at_a_time() {
    if skip() {
        return;
    }
    let a = TestApp::spawn_with(|c| c.auto_close_days = 1).await;
    let b = a.another_node().await;
    let mut b_state = b.state.clone();
    // B closes what A would: the same setting.
    let mut config = (*b_state.config).clone();
    config.auto_close_days = 1;
    b_state.config = std::sync::Arc::new(config);
    let agent = a
        .create_agent("agent@example.com", domain::Role::Agent)
        .await;
    let token = a.api_token(&agent).await;
    let (id, _) = a.create_ticket("solved", "long ago").await;
    let r = a
        .client
        .patch(a.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"status": "solved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    b_state.clock.set(a.state.now().plus_days(2));
    let status = || async { a.state.store.ticket(TicketId(id)).await.unwrap().status };

    // A is running the jobs (it holds the lock): B's tick does nothing.
    let held = a.state.node.try_lock(Job::Timed).await.unwrap();
    assert!(held.is_some(), "the lock is free at first");
    assert!(
        b_state.node.try_lock(Job::Timed).await.unwrap().is_none(),
        "one holder at a time"
    );
    let mut pruned = None;
    assert_eq!(
        server::jobs::tick(&b_state, &mut pruned).await.unwrap(),
        server::jobs::Ticked::Skipped
    );
    assert_eq!(
        status().await,
        domain::Status::Solved,
        "B did not run the job"
    );
    assert!(pruned.is_none());

    // A is done: B's next tick runs them.
    drop(held);
    let ran = async {
        loop {
            match server::jobs::tick(&b_state, &mut pruned).await.unwrap() {
                server::jobs::Ticked::Ran => return,
                // The released lock's connection is closing: PostgreSQL frees it then.
                server::jobs::Ticked::Skipped => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), ran)
        .await
        .expect("the lock is released with its guard");
    assert_eq!(status().await, domain::Status::Closed);
}

#[tokio::test]
async fn on_one_node_every_lock_is_granted_and_nothing_is_relayed() {
    if on_postgres() {
        return;
    }
    let a = TestApp::spawn().await;
    assert!(!a.state.node.is_shared());
    assert!(server::cluster::start(&a.state).is_empty());
    let first = a.state.node.try_lock(Job::Timed).await.unwrap();
    assert!(first.is_some());
    let mut pruned = None;
    assert_eq!(
        server::jobs::tick(&a.state, &mut pruned).await.unwrap(),
        server::jobs::Ticked::Ran
    );
}
