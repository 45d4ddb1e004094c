//! Quotas on what anyone may write without signing in: replies through a ticket's link (per
//! ticket and per client), screenshots per ticket (count and bytes), help searches (each one a
//! log row), help events, feedback and ratings. A refusal is `429` with `Retry-After` and
//! keeps what was typed; nothing is stored.

use reqwest::multipart::{Form, Part};

use crate::attachments::jpeg_with_gps;
use crate::helpers::{TestApp, extract_csrf};

/// Sends a reply through the ticket's link, with `shots` copies of a screenshot.
async fn reply(app: &TestApp, path: &str, body: &str, shots: usize) -> reqwest::Response {
    let html = app.get_text(path).await.1;
    let csrf = extract_csrf(&html).expect("csrf");
    let mut form = Form::new().text("csrf", csrf).text("body", body.to_owned());
    for i in 0..shots {
        let part = Part::bytes(jpeg_with_gps())
            .file_name(format!("shot{i}.jpg"))
            .mime_str("image/jpeg")
            .expect("mime");
        form = form.part("screenshots", part);
    }
    app.client
        .post(app.url(&format!("{path}/reply")))
        .multipart(form)
        .send()
        .await
        .expect("POST")
}

async fn user_messages(app: &TestApp, id: i64) -> usize {
    app.state
        .store
        .messages(domain::TicketId(id), false)
        .await
        .expect("messages")
        .iter()
        .filter(|m| m.author == domain::Author::User)
        .count()
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn replies_per_ticket_are_limited_and_the_refusal_keeps_the_text() {
    let app = TestApp::spawn_with(|c| c.limits.replies_per_ticket = 2).await;
    let (id, path) = app.create_ticket("many replies", "first").await;
    for i in 0..2 {
        let r = reply(&app, &path, &format!("reply {i}"), 0).await;
        assert_eq!(r.status(), 303, "reply {i} is within the limit");
    }
    let r = reply(&app, &path, "the third one, typed with care", 0).await;
    assert_eq!(r.status(), 429);
    let wait = retry_after(&r);
    assert!((1..=600).contains(&wait), "{wait}");
    let html = r.text().await.expect("body");
    assert!(html.contains("the third one, typed with care"), "{html}");
    assert_eq!(user_messages(&app, id).await, 3, "the body and two replies");

    // Another ticket is not held back by this one's limit.
    let (_, other) = app.create_ticket("another", "first").await;
    assert_eq!(reply(&app, &other, "fine", 0).await.status(), 303);
}

#[tokio::test]
async fn replies_per_client_are_limited_across_tickets_in_chinese_too() {
    let app = TestApp::spawn_with(|c| c.limits.replies_per_client = 2).await;
    let (_, a) = app.create_ticket("one", "first").await;
    let (_, b) = app.create_ticket("two", "first").await;
    assert_eq!(reply(&app, &a, "x", 0).await.status(), 303);
    assert_eq!(reply(&app, &b, "y", 0).await.status(), 303);
    let html = app.get_text(&format!("{b}?lang=zh-CN")).await.1;
    let csrf = extract_csrf(&html).expect("csrf");
    let r = app
        .client
        .post(app.url(&format!("{b}/reply?lang=zh-CN")))
        .multipart(Form::new().text("csrf", csrf).text("body", "请尽快处理"))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let html = r.text().await.expect("body");
    assert!(html.contains("请尽快处理"), "kept: {html}");
    assert!(html.contains("lang=\"zh-CN\""), "{html}");
}

#[tokio::test]
async fn screenshots_per_ticket_are_capped_by_count_and_by_bytes() {
    let app = TestApp::spawn_with(|c| c.limits.attachments_per_ticket = 3).await;
    let (id, path) = app.create_ticket("screenshots", "first").await;
    assert_eq!(reply(&app, &path, "two shots", 2).await.status(), 303);
    // Two more would make four: refused, text kept, nothing written or stored.
    let dir = app.state.config.effective_attachments_dir();
    let files_before = std::fs::read_dir(&dir).map_or(0, Iterator::count);
    let r = reply(&app, &path, "two more shots", 2).await;
    assert_eq!(r.status(), 400);
    let html = r.text().await.expect("body");
    assert!(html.contains("already holds as many screenshots"), "{html}");
    assert!(html.contains("two more shots"), "the text is kept");
    let held = app
        .state
        .store
        .attachments(domain::TicketId(id))
        .await
        .expect("attachments");
    assert_eq!(held.len(), 2);
    assert_eq!(
        std::fs::read_dir(&dir).map_or(0, Iterator::count),
        files_before
    );
    // One more fits; text alone is always fine.
    assert_eq!(reply(&app, &path, "one more", 1).await.status(), 303);
    assert_eq!(reply(&app, &path, "and words", 0).await.status(), 303);

    // Bytes: a ticket may hold less than one stripped screenshot.
    let size = {
        let held = app
            .state
            .store
            .attachments(domain::TicketId(id))
            .await
            .expect("attachments");
        u64::try_from(held[0].size).expect("size")
    };
    let app = TestApp::spawn_with(|c| c.limits.attachment_bytes_per_ticket = size * 2 - 1).await;
    let (_, path) = app.create_ticket("bytes", "first").await;
    assert_eq!(reply(&app, &path, "one", 1).await.status(), 303);
    assert_eq!(reply(&app, &path, "another", 1).await.status(), 400);
}

#[tokio::test]
async fn searches_past_the_client_limit_are_refused_and_not_logged() {
    let app = TestApp::spawn_with(|c| c.limits.searches_per_client = 3).await;
    server::help::seed_articles(&app.state).await.expect("seed");
    for _ in 0..3 {
        let r = app
            .post_json(
                "/api/v1/help/search",
                &serde_json::json!({"q": "seed phrase", "lang": "en"}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    let r = app
        .post_json(
            "/api/v1/help/search",
            &serde_json::json!({"q": "a 2 KB row of padding", "lang": "en"}),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert!(retry_after(&r) >= 1);
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["error"], "rate_limited");
    // The page keeps the query to copy.
    let r = app.get("/help/search?q=still+looking&lang=en").await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.expect("body").contains("still looking"));
    app.state.search_log.flush().await;
    let stats = app.state.search_log.stats();
    assert_eq!(stats.batched + stats.direct, 3, "{stats:?}");
}

#[tokio::test]
async fn help_events_feedback_and_ratings_are_limited_per_client() {
    let app = TestApp::spawn_with(|c| {
        c.limits.help_events_per_client = 1;
        c.limits.feedback_per_client = 1;
        c.limits.ratings_per_client = 0;
    })
    .await;
    server::help::seed_articles(&app.state).await.expect("seed");
    let event = || async {
        let csrf = app.csrf(&app.client).await;
        app.client
            .post(app.url("/api/v1/help/events"))
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({"kind": "suggestions_shown"}))
            .send()
            .await
            .expect("POST")
    };
    assert_eq!(event().await.status(), 204);
    let r = event().await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));

    let feedback = |comment: &'static str| {
        let app = &app;
        async move {
            app.post_form(
                &app.client,
                "/help/restore-from-recovery-phrase/feedback",
                &[("lang", "en"), ("helpful", "no"), ("comment", comment)],
            )
            .await
        }
    };
    assert_eq!(feedback("first").await.status(), 303);
    let r = feedback("the steps skip the passphrase screen").await;
    assert_eq!(r.status(), 429);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("the steps skip the passphrase screen")
    );

    // Ratings: with a limit of 0 even the first is refused, and its comment kept.
    let (id, path) = app.create_ticket("rate me", "first").await;
    app.state
        .store
        .update_ticket(
            domain::TicketId(id),
            store::TicketUpdate {
                status: Some(domain::Status::Solved),
                ..store::TicketUpdate::default()
            },
            app.state.now(),
        )
        .await
        .expect("solve");
    let r = app
        .post_form(
            &app.client,
            &format!("{path}/rate"),
            &[("score", "5"), ("comment", "quick and kind")],
        )
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.expect("body").contains("quick and kind"));
    let t = app
        .state
        .store
        .ticket(domain::TicketId(id))
        .await
        .expect("ticket");
    assert!(t.rating.is_none(), "nothing was stored");
}
