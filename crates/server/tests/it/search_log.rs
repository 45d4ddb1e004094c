//! The search log behind the help-center search: entries go through a queue and are written in
//! batches, and none is lost — the analytics page sees every search that has answered, and
//! shutdown writes what is still queued.

use domain::{Lang, Redacted, Role, Timestamp};
use server::search_log::QUEUE_CAPACITY;
use store::SearchLogEntry;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_answered_search_is_in_the_analytics_report_at_once() {
    let app = TestApp::spawn().await;
    server::help::seed_articles(&app.state).await.expect("seed");
    let mut searches = tokio::task::JoinSet::new();
    for i in 0..43 {
        let (client, url) = (app.client.clone(), app.url("/api/v1/help/search"));
        let q = if i < 40 { "seed phrase" } else { "qqqzzzxx" };
        searches.spawn(async move {
            let r = client
                .get(url)
                .query(&[("q", q), ("lang", "en")])
                .send()
                .await
                .expect("GET");
            assert_eq!(r.status(), 200);
        });
    }
    while let Some(r) = searches.join_next().await {
        r.expect("search task");
    }
    // Straight away, with no pause: the page flushes the queue before it reads.
    let agent = app.create_agent("analyst@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let page = client
        .get(app.url("/agent/help/analytics"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains("<td>seed phrase</td><td>40</td>"), "{page}");
    assert!(page.contains("<td>qqqzzzxx</td><td>3</td>"), "{page}");
    let stats = app.state.search_log.stats();
    assert_eq!(stats.batched + stats.direct, 43, "{stats:?}");
    assert_eq!(stats.lost, 0);
}

fn entry(i: usize) -> SearchLogEntry {
    SearchLogEntry {
        query: Redacted::new(&format!("query {}", i % 7))
            .expect("redact")
            .0,
        lang: Lang::En,
        results: 1,
        visitor: format!("visitor-{i}"),
        now: Timestamp(1_000 + i64::try_from(i).expect("small")),
    }
}

#[tokio::test]
async fn a_full_queue_falls_back_to_direct_writes_and_shutdown_writes_what_is_queued() {
    let app = TestApp::spawn().await;
    let log = &app.state.search_log;
    // More than the queue holds, recorded without pause: the test runtime has one thread, so
    // the writer cannot drain the queue before the first direct write awaits.
    let total = QUEUE_CAPACITY + 200;
    for i in 0..total {
        log.record(entry(i)).await;
    }
    log.shutdown().await;
    let stats = log.stats();
    assert!(stats.direct > 0 && stats.batched > 0, "{stats:?}");
    assert_eq!(stats.batched + stats.direct, total as u64, "{stats:?}");
    assert_eq!(stats.lost, 0);
    let report = app
        .state
        .store
        .search_report(Timestamp(0), 10)
        .await
        .expect("report");
    assert_eq!(report.searches, total as u64, "no entry lost");
    // After shutdown an entry is written before `record` returns.
    log.record(entry(total)).await;
    let report = app
        .state
        .store
        .search_report(Timestamp(0), 10)
        .await
        .expect("report");
    assert_eq!(report.searches, total as u64 + 1);
}
