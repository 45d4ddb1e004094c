//! The timed jobs `serve` runs (`server::jobs::run`), called directly with a fixed clock.

use domain::{Status, TicketId, Timestamp};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn solved_tickets_close_after_the_configured_days_and_no_sooner() {
    let app = TestApp::spawn_with(|c| c.auto_close_days = 3).await;
    let agent = app
        .create_agent("agent@example.com", domain::Role::Agent)
        .await;
    let token = app.api_token(&agent).await;
    let start = Timestamp(1_900_000_000_000);
    app.state.clock.set(start);
    let (old, _) = app.create_ticket("old", "solved long ago").await;
    let (recent, _) = app.create_ticket("recent", "solved just now").await;
    let (open, _) = app.create_ticket("open", "still open").await;
    let solve = |id: i64| {
        app.client
            .patch(app.url(&format!("/api/v1/tickets/{id}")))
            .bearer_auth(&token)
            .json(&json!({"status": "solved"}))
            .send()
    };
    assert_eq!(solve(old).await.unwrap().status(), 200);
    app.state.clock.set(start.plus_days(2));
    assert_eq!(solve(recent).await.unwrap().status(), 200);

    app.state.clock.set(start.plus_days(3).plus_minutes(1));
    assert_eq!(
        server::jobs::close_solved_tickets(&app.state)
            .await
            .unwrap(),
        1
    );
    let store = &app.state.store;
    let status = |id: i64| async move { store.ticket(TicketId(id)).await.unwrap().status };
    assert_eq!(status(old).await, Status::Closed);
    assert_eq!(status(recent).await, Status::Solved);
    assert_eq!(status(open).await, Status::New);
    // Run again: nothing more to do.
    assert_eq!(
        server::jobs::close_solved_tickets(&app.state)
            .await
            .unwrap(),
        0
    );
}

/// Retention: with a fixed clock, each log loses what is older than its days and no sooner;
/// 0 days keeps a log for ever; deleting audit rows leaves a row that says so.
#[tokio::test]
async fn logs_are_pruned_after_their_retention_days_and_no_sooner() {
    use store::{HelpEventKind, LogTable, SearchLogEntry};
    let app = TestApp::spawn_with(|c| {
        c.retention.search_log_days = 90;
        c.retention.help_events_days = 0;
        c.retention.audit_log_days = 365;
    })
    .await;
    let now = Timestamp(1_900_000_000_000);
    app.state.clock.set(now);
    let store = &app.state.store;
    let search = |q: &str, at: Timestamp| SearchLogEntry {
        query: domain::Redacted::clean(q),
        lang: domain::Lang::En,
        results: 1,
        visitor: "v1".into(),
        now: at,
    };
    store
        .log_searches(&[
            search("too old", now.plus_days(-91)),
            search("just kept", now.plus_days(-90)),
            search("recent", now.plus_days(-1)),
        ])
        .await
        .unwrap();
    store
        .log_help_event(
            "v1",
            HelpEventKind::ArticleOpened,
            None,
            now.plus_days(-5000),
        )
        .await
        .unwrap();
    for (action, days) in [("ancient", -400), ("last_year", -364)] {
        store
            .audit(
                None,
                action,
                None,
                &domain::Redacted::clean("{}"),
                now.plus_days(days),
            )
            .await
            .unwrap();
    }

    let pruned = server::jobs::prune_logs(&app.state).await.unwrap();
    assert_eq!(
        pruned,
        server::jobs::Pruned {
            search_log: 1,
            help_events: 0,
            audit_log: 1,
        }
    );
    let report = store.search_report(now.plus_days(-1000), 10).await.unwrap();
    assert_eq!(report.searches, 2, "the rows at 90 days and newer stay");
    let actions: Vec<String> = store
        .audit_log(10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["retention.audit_log_pruned", "last_year"]);
    // 0 days: the help event from 5000 days ago is still there.
    assert_eq!(
        store
            .prune_log(LogTable::HelpEvents, now.plus_days(-4999))
            .await
            .unwrap(),
        1
    );

    // Again at once: nothing more. A day later, the row that was exactly 90 days old goes.
    assert_eq!(
        server::jobs::prune_logs(&app.state).await.unwrap(),
        server::jobs::Pruned::default()
    );
    app.state.clock.set(now.plus_days(1));
    assert_eq!(
        server::jobs::prune_logs(&app.state)
            .await
            .unwrap()
            .search_log,
        1
    );
}
