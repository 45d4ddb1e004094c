//! The chat from the user's side: screenshots (uploaded with the conversation's token through
//! the ticket form's metadata-stripping pipeline, then sent by a `message` frame) and office
//! hours (with the clock fixed: out of hours the chat says so and offers a ticket; inside
//! hours with nobody online it says that instead).

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::attachments::{contains, file, jpeg_with_gps, png};
use crate::helpers::chat::{
    Chat, connect, continue_as_ticket, next_message_from, next_of, send, start,
};
use crate::helpers::{PHRASE, TestApp};

/// A `POST` to the conversation's uploads, to be given its credentials and body.
fn post_upload(app: &TestApp, chat: &Chat) -> reqwest::RequestBuilder {
    app.client.post(app.url(&format!(
        "/api/v1/chat/conversations/{}/attachments",
        chat.id
    )))
}

async fn upload(app: &TestApp, chat: &Chat, token: &str, part: Part) -> reqwest::Response {
    post_upload(app, chat)
        .bearer_auth(token)
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .expect("POST")
}

/// Upload `id` of conversation `chat`, asked for with `token`.
async fn fetch_upload(app: &TestApp, chat: i64, id: i64, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!(
            "/api/v1/chat/conversations/{chat}/attachments/{id}"
        )))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET")
}

async fn transcript(app: &TestApp, chat: &Chat) -> Value {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/chat/conversations/{}", chat.id)))
        .bearer_auth(&chat.token)
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

#[tokio::test]
async fn a_screenshot_is_stripped_stored_on_the_ticket_and_shown_on_its_message() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let jpeg = jpeg_with_gps();
    assert!(
        contains(&jpeg, b"GPS 47.3769N"),
        "the fixture has a position"
    );

    let r = upload(
        &app,
        &chat,
        &chat.token,
        file(jpeg, "转账 失败.jpg", "image/jpeg"),
    )
    .await;
    assert_eq!(r.status(), 201);
    let up: Value = r.json().await.expect("json");
    assert_eq!(up["content_type"], "image/jpeg");
    assert_eq!(up["filename"], "转账_失败.jpg");
    let aid = up["id"].as_i64().expect("id");

    // The stored bytes: no Exif, no XMP, no comment.
    let r = fetch_upload(&app, chat.id, aid, &chat.token).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let bytes = r.bytes().await.expect("bytes");
    assert!(!contains(&bytes, b"GPS"), "the position is gone");
    assert!(!contains(&bytes, b"Exif"), "the Exif block is gone");
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert_eq!(up["size"].as_u64(), Some(bytes.len() as u64));
    // With the token in the query too (an <img> sends no header).
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/chat/conversations/{}/attachments/{aid}?token={}",
            chat.id, chat.token
        )))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);

    // Sent with a message: a screenshot alone, then acknowledged with it.
    let mut ws = connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "shot-1", "text": "", "attachment": aid}),
    )
    .await;
    let ack = next_of(&mut ws, "ack").await;
    assert_eq!(ack["duplicate"], false);
    assert_eq!(ack["message"]["attachment"]["id"], aid);
    assert_eq!(ack["message"]["attachment"]["filename"], "转账_失败.jpg");
    assert_eq!(ack["message"]["text"], "");
    // A resend is the same message with the same screenshot, nothing doubled.
    send(
        &mut ws,
        json!({"type": "message", "client_id": "shot-1", "text": "", "attachment": aid}),
    )
    .await;
    let again = next_of(&mut ws, "ack").await;
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["message"]["id"], ack["message"]["id"]);
    assert_eq!(again["message"]["attachment"]["id"], aid);
    // One upload goes with one message.
    send(
        &mut ws,
        json!({"type": "message", "client_id": "shot-2", "text": "and again", "attachment": aid}),
    )
    .await;
    let err = next_of(&mut ws, "error").await;
    assert_eq!(err["code"], "not_found");
    assert_eq!(err["client_id"], "shot-2");

    // The transcript (and a history after a reconnect) carry it on that message only.
    let tr = transcript(&app, &chat).await;
    let with: Vec<&Value> = tr["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m.get("attachment").is_some())
        .collect();
    assert_eq!(with.len(), 1);
    assert_eq!(with[0]["id"], ack["message"]["id"]);
    assert!(
        !tr["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .any(|m| m["text"] == "and again"),
        "the refused message was not stored"
    );

    // Agents see it on the chat's ticket.
    let agent = app
        .create_agent("shots@example.com", domain::Role::Agent)
        .await;
    let agent_client = app.signed_in_client(&agent).await;
    let r = agent_client
        .get(app.url(&format!("/agent/tickets/{}/attachments/{aid}", chat.id)))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.expect("bytes"), bytes);
    // …and in the workspace's live conversation, small, on the message it came with.
    let pane = app
        .page_as(
            &agent_client,
            &format!("/agent/desk?view=all&t={}&lang=zh-CN", chat.id),
        )
        .await;
    let img = format!(
        r#"<a class="shot" href="/agent/tickets/{id}/attachments/{aid}" target="_blank" rel="noopener"><img src="/agent/tickets/{id}/attachments/{aid}" alt="截图: 转账_失败.jpg" loading="lazy"></a>"#,
        id = chat.id
    );
    assert_eq!(pane.matches(&img).count(), 1, "{pane}");
}

#[tokio::test]
async fn refused_uploads_say_why_and_store_nothing() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let other = start(&app, "en").await;

    // Not an image: the ticket form's code and message.
    let r = upload(
        &app,
        &chat,
        &chat.token,
        file(b"GIF89a not allowed".to_vec(), "a.gif", "image/gif"),
    )
    .await;
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.expect("json");
    assert_eq!(e["error"], "bad_image");
    assert_eq!(e["message"], "only PNG, JPEG and WebP images up to 10 MB");

    // Over 10 MB.
    let mut big = png(10, 10, &[]);
    big.resize(10 * 1024 * 1024 + 1, 0);
    let r = upload(&app, &chat, &chat.token, file(big, "big.png", "image/png")).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.expect("json")["error"], "bad_image");

    // More pixels than a screenshot has.
    let r = upload(
        &app,
        &chat,
        &chat.token,
        file(png(20_000, 20_000, &[]), "huge.png", "image/png"),
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "image_too_many_pixels"
    );

    // No file at all, and not multipart.
    let r = post_upload(&app, &chat)
        .bearer_auth(&chat.token)
        .multipart(Form::new().text("note", "no file"))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.expect("json")["error"], "bad_image");
    let r = post_upload(&app, &chat)
        .bearer_auth(&chat.token)
        .json(&json!({"file": "x"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.expect("json")["error"], "bad_form");

    // Another conversation's token, and none.
    let ok = || file(png(4, 4, &[]), "s.png", "image/png");
    let r = upload(&app, &chat, &other.token, ok()).await;
    assert_eq!(r.status(), 404);
    let r = post_upload(&app, &chat)
        .multipart(Form::new().part("file", ok()))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 401);
    // Nothing of the above was stored.
    assert!(
        app.state
            .store
            .attachments(domain::TicketId(chat.id))
            .await
            .expect("list")
            .is_empty()
    );

    // The other chat's screenshot can be neither fetched nor sent from this one.
    let r = upload(&app, &other, &other.token, ok()).await;
    assert_eq!(r.status(), 201);
    let theirs = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    for (id, token) in [(chat.id, &chat.token), (chat.id, &other.token)] {
        let r = fetch_upload(&app, id, theirs, token).await;
        assert_eq!(r.status(), 404);
    }
    let mut ws = connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "steal", "text": "look", "attachment": theirs}),
    )
    .await;
    let err = next_of(&mut ws, "error").await;
    assert_eq!(err["code"], "not_found");
    assert_eq!(err["client_id"], "steal");
}

#[tokio::test]
async fn a_file_name_holding_a_recovery_phrase_is_not_kept() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let name = format!("{}.png", PHRASE.replace(' ', "_"));
    let r = upload(
        &app,
        &chat,
        &chat.token,
        file(png(4, 4, &[]), &name, "image/png"),
    )
    .await;
    assert_eq!(r.status(), 201);
    let up: Value = r.json().await.expect("json");
    assert_eq!(up["filename"], "screenshot.png");
    let dump = app.dump_database().await;
    assert!(!dump.contains("sausage"), "no word of the phrase is stored");
}

/// 2026-12-05, a Saturday, 11:00 UTC (19:00 in Shanghai).
const SATURDAY: domain::Timestamp = domain::Timestamp(1_796_468_400_000);
/// 2026-12-07, a Monday, 02:00 UTC (10:00 in Shanghai).
const MONDAY_10: domain::Timestamp = domain::Timestamp(1_796_608_800_000);
/// 2026-12-07 01:00 UTC: Monday 09:00 in Shanghai, when the hours begin.
const MONDAY_9: i64 = 1_796_605_200_000;

/// An admin sets Monday–Friday 09:00–18:00 in Asia/Shanghai through the admin page.
async fn set_weekday_hours(app: &TestApp) {
    let admin = app
        .create_agent("hours@example.com", domain::Role::Admin)
        .await;
    let client = app.signed_in_client(&admin).await;
    let r = app
        .post_form(
            &client,
            "/admin/office-hours?lang=en",
            &[
                ("bh_enabled", "on"),
                ("bh_time_zone", "Asia/Shanghai"),
                ("bh_start", "09:00"),
                ("bh_end", "18:00"),
                ("day0", "on"),
                ("day1", "on"),
                ("day2", "on"),
                ("day3", "on"),
                ("day4", "on"),
            ],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/office-hours?done=saved");
    let html = app.page_as(&client, "/admin/office-hours?lang=en").await;
    let zh = app.page_as(&client, "/admin/office-hours?lang=zh-CN").await;
    assert!(zh.contains("在线客服工作时间"), "{zh}");
    // Every admin page's menu leads to it.
    let overview = app.page_as(&client, "/admin?lang=en").await;
    assert!(
        overview.contains(r#"<a href="/admin/office-hours">Chat office hours</a>"#),
        "{overview}"
    );
    if app.state.now() == SATURDAY {
        assert!(
            html.contains(
                "outside its office hours now; they begin again on Mon 09:00 (Asia/Shanghai)"
            ),
            "{html}"
        );
    }
    // A mistake is named and nothing changes.
    let r = app
        .post_form(
            &client,
            "/admin/office-hours?lang=en",
            &[
                ("bh_enabled", "on"),
                ("bh_time_zone", "Asia/Nowhere"),
                ("bh_start", "18:00"),
                ("bh_end", "09:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("page");
    assert!(html.contains("Choose a time zone"), "{html}");
    // Back as typed, to correct rather than to type again.
    assert!(html.contains("value=\"Asia/Nowhere\""), "{html}");
    assert!(html.contains("value=\"18:00\""));
    assert!(html.contains("Choose at least one working day"), "{html}");
    let saved = server::chat::office_hours::get(&app.state)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(saved.time_zone.as_deref(), Some("Asia/Shanghai"));
}

fn system_texts(tr: &Value) -> Vec<String> {
    tr["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["sender"] == "system")
        .map(|m| m["text"].as_str().expect("text").to_owned())
        .collect()
}

#[tokio::test]
async fn out_of_hours_the_chat_says_so_the_assistant_answers_and_a_ticket_is_offered() {
    let app = TestApp::spawn().await;
    app.state.clock.set(SATURDAY);
    set_weekday_hours(&app).await;

    for (lang, opens) in [
        ("en", "Mon 09:00 (Asia/Shanghai)"),
        ("zh-CN", "周一 09:00 (Asia/Shanghai)"),
    ] {
        let chat = start(&app, lang).await;
        // Said before the user types anything, in their language.
        let notices = system_texts(&transcript(&app, &chat).await);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains(opens), "{lang}: {}", notices[0]);

        let mut ws = connect(&chat.ws_url).await;
        let hello = next_of(&mut ws, "hello").await;
        assert_eq!(hello["office_open"], false);
        assert_eq!(hello["opens_at"], MONDAY_9);

        // The assistant still answers.
        send(
            &mut ws,
            json!({"type": "message", "client_id": "q1", "text": "How do I back up my wallet?"}),
        )
        .await;
        next_of(&mut ws, "ack").await;
        next_message_from(&mut ws, "assistant").await;

        // "Talk to a person": not queued; when people are back, and the ticket offered.
        send(&mut ws, json!({"type": "handoff"})).await;
        let ooh = next_of(&mut ws, "out_of_hours").await;
        assert_eq!(ooh["opens_at"], MONDAY_9);
        assert_eq!(ooh["conversation"], chat.id);
        let tr = transcript(&app, &chat).await;
        assert_eq!(
            tr["state"], "assistant",
            "nothing waits in the agents' queue"
        );
        let notices = system_texts(&tr);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert!(notices[1].contains(opens), "{}", notices[1]);
        assert!(
            app.state
                .store
                .chat_queue()
                .await
                .expect("queue")
                .iter()
                .all(|q| q.ticket_id.0 != chat.id)
        );

        // Continue as a ticket with an e-mail address.
        continue_as_ticket(&app, &mut ws, &chat, "night@example.com").await;
    }
}

#[tokio::test]
async fn inside_hours_with_nobody_online_the_chat_says_so_and_waits() {
    let app = TestApp::spawn().await;
    app.state.clock.set(MONDAY_10);
    set_weekday_hours(&app).await;
    let chat = start(&app, "en").await;
    assert!(system_texts(&transcript(&app, &chat).await).is_empty());
    let mut ws = connect(&chat.ws_url).await;
    let hello = next_of(&mut ws, "hello").await;
    assert_eq!(hello["office_open"], true);
    assert!(hello.get("opens_at").is_none());
    send(&mut ws, json!({"type": "handoff"})).await;
    let q = next_of(&mut ws, "queue").await;
    assert_eq!(q["agents_online"], 0);
    assert_eq!(q["position"], 1);
    let tr = transcript(&app, &chat).await;
    assert_eq!(tr["state"], "queued", "it waits for whoever comes online");
    let notices = system_texts(&tr);
    assert_eq!(notices.len(), 1);
    assert!(notices[0].contains("No agent is online"), "{}", notices[0]);
    assert!(notices[0].contains("e-mail"), "{}", notices[0]);
}

#[tokio::test]
async fn without_office_hours_hello_says_nothing_about_them() {
    let app = TestApp::spawn().await;
    app.state.clock.set(SATURDAY);
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    let hello = next_of(&mut ws, "hello").await;
    assert!(hello.get("office_open").is_none());
    assert!(system_texts(&transcript(&app, &chat).await).is_empty());
}

#[tokio::test]
async fn an_agent_uploads_a_screenshot_to_a_chat_with_the_session_and_csrf_token() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let agent = app
        .create_agent("shots-agent@example.com", domain::Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let csrf = app.csrf(&client).await;
    let post = |id: i64, csrf: Option<&str>| {
        let mut r = client
            .post(app.url(&format!("/agent/chat/conversations/{id}/attachments")))
            .multipart(Form::new().part("file", file(png(4, 4, &[]), "a.png", "image/png")));
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        r.send()
    };
    // Without the token, or with a wrong one: refused, nothing stored.
    assert_eq!(post(chat.id, None).await.expect("POST").status(), 403);
    assert_eq!(
        post(chat.id, Some("nope")).await.expect("POST").status(),
        403
    );
    // Not a chat: a web ticket's number.
    let (web, _) = app.create_ticket("Not a chat", "a web ticket").await;
    assert_eq!(post(web, Some(&csrf)).await.expect("POST").status(), 404);
    assert!(
        app.state
            .store
            .attachments(domain::TicketId(chat.id))
            .await
            .expect("list")
            .is_empty()
    );
    let r = post(chat.id, Some(&csrf)).await.expect("POST");
    assert_eq!(r.status(), 201);
    let up: Value = r.json().await.expect("json");
    assert_eq!(up["content_type"], "image/png");
    // A stranger's browser (no session) cannot.
    let r = app
        .client
        .post(app.url(&format!(
            "/agent/chat/conversations/{}/attachments",
            chat.id
        )))
        .header("x-csrf-token", &csrf)
        .multipart(Form::new().part("file", file(png(4, 4, &[]), "a.png", "image/png")))
        .send()
        .await
        .expect("POST");
    assert!(
        [401, 403, 303].contains(&r.status().as_u16()),
        "{}",
        r.status()
    );
}
