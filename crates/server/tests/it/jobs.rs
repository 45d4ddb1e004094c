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
