//! `Idempotency-Key` on the API's POSTs: the same key from the same caller gets the same
//! answer and never a second ticket; another body under the key is refused; callers do not
//! collide; a key in flight is refused; no access token is kept in the replay record.

use domain::{Role, TicketId, Timestamp};
use serde_json::json;
use store::IdempotencyClaim;

use crate::helpers::TestApp;

async fn tickets(app: &TestApp) -> u64 {
    let q = store::TicketQuery::view(store::View::All, app.state.now());
    app.state
        .store
        .tickets_for_view(&q)
        .await
        .expect("tickets")
        .total
}

async fn create(app: &TestApp, key: &str, body: &serde_json::Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tickets"))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn the_same_key_twice_makes_one_ticket_and_the_same_answer() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "a@example.com", "category": "other", "subject": "where is my USDT", "body": "sent from Binance"});
    let first = create(&app, "6f1c0a52-retry", &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body = first.text().await.unwrap();
    let second = create(&app, "6f1c0a52-retry", &body).await;
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.headers()["content-type"], "application/json");
    let second_body = second.text().await.unwrap();
    assert_eq!(
        first_body, second_body,
        "the same status and body, byte for byte"
    );
    assert_eq!(tickets(&app).await, 1, "never a second ticket");
    // The replayed link opens the ticket, and it is in no row of the database.
    let j: serde_json::Value = serde_json::from_str(&second_body).unwrap();
    let url = j["access_url"].as_str().unwrap();
    let path = url.strip_prefix(&app.base).unwrap();
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200);
    assert!(html.contains("sent from Binance"));
    let token = path.strip_prefix("/t/").unwrap();
    let dump = app.dump_database().await;
    assert!(
        dump.contains("where is my USDT"),
        "the dump sees the replay record"
    );
    assert!(!dump.contains(token), "no access token in any row");
    // Without a key, the same body is a new ticket (the header is opt-in).
    let r = app.post_json("/api/v1/tickets", &body).await;
    assert_eq!(r.status(), 201);
    assert_eq!(tickets(&app).await, 2);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let app = TestApp::spawn().await;
    let body =
        json!({"email": "a@example.com", "category": "other", "subject": "first", "body": "one"});
    assert_eq!(create(&app, "key-1", &body).await.status(), 201);
    let other =
        json!({"email": "a@example.com", "category": "other", "subject": "second", "body": "two"});
    let r = create(&app, "key-1", &other).await;
    assert_eq!(r.status(), 422);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["error"], "idempotency_key_reused");
    assert_eq!(tickets(&app).await, 1);
    // An error answer is replayed too: the same invalid request, the same 422.
    let bad = json!({"email": "nope", "category": "other", "subject": "s", "body": "b"});
    let a = create(&app, "key-2", &bad).await;
    assert_eq!(a.status(), 422);
    let a = a.text().await.unwrap();
    let b = create(&app, "key-2", &bad).await;
    assert_eq!(b.status(), 422);
    assert_eq!(b.text().await.unwrap(), a);
    // A malformed key is refused before anything happens.
    let r = create(&app, &"k".repeat(300), &body).await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "idempotency_key_invalid"
    );
}

#[tokio::test]
async fn callers_do_not_collide_and_replies_are_not_posted_twice() {
    let app = TestApp::spawn().await;
    let a = app.create_agent("a@example.com", Role::Agent).await;
    let b = app.create_agent("b@example.com", Role::Agent).await;
    let (ta, tb) = (app.api_token(&a).await, app.api_token(&b).await);
    let (id, _) = app.create_ticket("help", "first").await;
    let reply = |token: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
                .bearer_auth(token)
                .header("idempotency-key", "same-key")
                .json(&json!({"body": "We are checking it."}))
                .send()
                .await
                .expect("POST")
        }
    };
    let first = reply(ta.clone()).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let again = reply(ta.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.text().await.unwrap(), first);
    // Another agent's token, the same key and body: a request of its own.
    let other = reply(tb).await;
    assert_eq!(other.status(), 201);
    assert!(other.headers().get("idempotent-replayed").is_none());
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert_eq!(
        messages.len(),
        3,
        "the first message and one reply per caller"
    );
}

#[tokio::test]
async fn a_key_still_in_flight_is_refused_and_old_keys_are_purged() {
    let app = TestApp::spawn().await;
    let start = Timestamp(1_900_000_000_000);
    app.state.clock.set(start);
    // This very request is being answered right now (sent a moment ago, still running).
    let body = json!({"email": "a@example.com", "category": "other", "subject": "s", "body": "b"});
    let hash = server::idempotency::key_hash("ip:127.0.0.1", "busy");
    let request = server::idempotency::request_hash(
        "POST",
        "/api/v1/tickets",
        &serde_json::to_vec(&body).unwrap(),
    );
    let claim = app
        .state
        .store
        .claim_idempotency_key(
            &hash,
            &request,
            start,
            start.plus_minutes(24 * 60),
            Timestamp(start.0 - 60_000),
        )
        .await
        .unwrap();
    assert_eq!(claim, IdempotencyClaim::Claimed);
    let r = create(&app, "busy", &body).await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "idempotency_key_in_flight"
    );
    assert_eq!(tickets(&app).await, 0);
    assert_eq!(create(&app, "done", &body).await.status(), 201);
    // A day later the jobs delete both, and the key is free again.
    app.state.clock.set(start.plus_minutes(24 * 60 + 1));
    assert_eq!(
        server::jobs::purge_idempotency_keys(&app.state)
            .await
            .unwrap(),
        2
    );
    let r = create(&app, "done", &body).await;
    assert_eq!(r.status(), 201);
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(tickets(&app).await, 2);
}

#[tokio::test]
async fn the_openapi_document_describes_the_header() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    for (path, op) in [
        ("/api/v1/tickets", "post"),
        ("/api/v1/tickets/{id}/messages", "post"),
    ] {
        let params = doc["paths"][path][op]["parameters"].as_array().unwrap();
        assert!(
            params
                .iter()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"),
            "{path}"
        );
        let text = doc["paths"][path][op]["responses"].to_string();
        assert!(
            text.contains("idempotency_key_reused") && text.contains("idempotency_key_in_flight")
        );
    }
}
