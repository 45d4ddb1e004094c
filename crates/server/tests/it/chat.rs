//! Live chat over a real WebSocket (tokio-tungstenite as the client): the contract, acks and
//! resend dedup, redaction before storing and before broadcasting, the hand-off to an agent,
//! origin checks, and what malformed, huge and flooding clients get.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::chat::{
    Chat, PATIENCE, Ws, agent_socket, connect, continue_as_ticket, next_message_from, next_of,
    send, socket_of, start,
};
use crate::helpers::{PHRASE, TestApp};

/// How the socket ends: the close code the desk sent.
async fn close_code(ws: &mut Ws) -> Option<CloseCode> {
    tokio::time::timeout(PATIENCE, async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(f))) => return f.map(|f| f.code),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    })
    .await
    .expect("the socket closes")
}

async fn transcript(app: &TestApp, chat: &Chat, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/chat/conversations/{}", chat.id)))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET")
}

#[tokio::test]
async fn contract_ack_assistant_and_transcript() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    assert!(chat.ws_url.starts_with("ws://"), "{}", chat.ws_url);
    let mut ws = connect(&chat.ws_url).await;
    let hello = next_of(&mut ws, "hello").await;
    assert_eq!(hello["protocol"], 1);
    assert_eq!(hello["conversation"], chat.id);
    assert_eq!(hello["state"], "assistant");

    send(
        &mut ws,
        json!({"type": "message", "client_id": "c-1", "text": "How do I restore my wallet?"}),
    )
    .await;
    let ack = next_of(&mut ws, "ack").await;
    assert_eq!(ack["client_id"], "c-1");
    assert_eq!(ack["duplicate"], false);
    assert_eq!(ack["message"]["text"], "How do I restore my wallet?");
    assert_eq!(ack["message"]["sender"], "user");
    let answer = next_message_from(&mut ws, "assistant").await;
    assert!(!answer["message"]["text"].as_str().unwrap_or("").is_empty());

    let r = transcript(&app, &chat, &chat.token).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.expect("json");
    assert_eq!(t["id"], chat.id);
    let senders: Vec<&str> = t["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["sender"].as_str())
        .collect();
    assert_eq!(senders, ["user", "assistant"]);
    assert_eq!(t["messages"][0]["client_id"], "c-1");

    // The ticket is a chat, in the inbox like any other.
    let ticket = app
        .state
        .store
        .ticket(domain::TicketId(chat.id))
        .await
        .expect("ticket");
    assert_eq!(ticket.channel, domain::Channel::Chat);

    // Another conversation's token, no token, a bad language.
    let other = start(&app, "zh-CN").await;
    assert_eq!(transcript(&app, &chat, &other.token).await.status(), 404);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/chat/conversations/{}", chat.id)))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .post(app.url("/api/v1/chat/conversations"))
        .json(&json!({"lang": "fr"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn a_resend_after_reconnect_is_acknowledged_not_doubled() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "same", "text": "first try"}),
    )
    .await;
    let first = next_of(&mut ws, "ack").await;
    drop(ws);

    // The client never saw the ack (say), reconnects and sends it again.
    let mut ws = connect(&chat.ws_url).await;
    let hello = next_of(&mut ws, "hello").await;
    assert!(hello["last_message_id"].as_i64().is_some());
    send(
        &mut ws,
        json!({"type": "message", "client_id": "same", "text": "first try"}),
    )
    .await;
    let again = next_of(&mut ws, "ack").await;
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["message"]["id"], first["message"]["id"]);

    // History sync after the first message: nothing the user wrote again.
    send(
        &mut ws,
        json!({"type": "sync", "after": first["message"]["id"]}),
    )
    .await;
    let h = next_of(&mut ws, "history").await;
    assert!(
        h["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .all(|m| m["sender"] != "user")
    );
    let all = app
        .state
        .store
        .chat_messages(domain::TicketId(chat.id), None)
        .await
        .expect("messages");
    assert_eq!(
        all.iter()
            .filter(|m| m.client_id.as_deref() == Some("same"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_phrase_is_redacted_before_the_database_and_the_agents_screen() {
    let app = TestApp::spawn().await;
    let (mut agent_ws, _agent) = agent_socket(&app, "li").await;
    next_of(&mut agent_ws, "hello").await;
    let chat = start(&app, "zh-CN").await;
    // The agent opens the chat in the workspace (which syncs it), so their socket hears it.
    send(
        &mut agent_ws,
        json!({"type": "sync", "conversation": chat.id, "after": null}),
    )
    .await;
    next_of(&mut agent_ws, "history").await;
    let mut ws = connect(&chat.ws_url).await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "p", "text": format!("我的助记词是 {PHRASE} 请帮忙")}),
    )
    .await;
    let ack = next_of(&mut ws, "ack").await;
    let stored = ack["message"]["text"].as_str().expect("text");
    assert!(!stored.contains("sausage"), "{stored}");
    assert!(ack["message"]["secrets_removed"].as_u64().unwrap_or(0) > 0);
    // The user is told, in their language, what was removed and what to do.
    let notice = next_message_from(&mut ws, "system").await;
    assert!(
        notice["message"]["text"]
            .as_str()
            .expect("text")
            .contains("助记词")
    );

    // The agent's socket carries the redacted text only.
    let seen = next_message_from(&mut agent_ws, "user").await;
    let text = seen["message"]["text"].as_str().expect("text");
    assert!(
        !text.contains("sausage") && !text.contains("legal winner"),
        "{text}"
    );
    assert_eq!(seen["conversation"], chat.id);

    let dump = app.dump_database().await;
    assert!(!dump.contains("sausage"), "the phrase reached the database");
    let t = app
        .state
        .store
        .ticket(domain::TicketId(chat.id))
        .await
        .expect("ticket");
    assert!(t.secret_exposed);
    assert_eq!(t.priority, domain::Priority::Urgent);
    // The chat is named after the user's first words, as stored: without the phrase.
    assert!(
        t.subject.as_str().starts_with("在线客服：我的助记词是 "),
        "{}",
        t.subject.as_str()
    );
    assert!(
        !t.subject.as_str().contains("sausage"),
        "{}",
        t.subject.as_str()
    );
}

#[tokio::test]
async fn handoff_accept_messages_typing_end_and_rating() {
    let app = TestApp::spawn().await;
    let (mut agent_ws, agent) = agent_socket(&app, "wang").await;
    next_of(&mut agent_ws, "hello").await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    send(&mut ws, json!({"type": "handoff"})).await;
    let q = next_of(&mut ws, "queue").await;
    assert_eq!(q["position"], 1);
    assert_eq!(q["agents_online"], 1);
    let queued = next_of(&mut agent_ws, "queued").await;
    assert_eq!(queued["conversation"], chat.id);

    send(
        &mut agent_ws,
        json!({"type": "accept", "conversation": chat.id}),
    )
    .await;
    next_of(&mut agent_ws, "history").await;
    let joined = next_of(&mut ws, "agent_joined").await;
    assert_eq!(joined["agent_name"], "wang");

    send(&mut ws, json!({"type": "typing", "typing": true})).await;
    let typing = next_of(&mut agent_ws, "typing").await;
    assert_eq!(
        (typing["sender"].as_str(), typing["typing"].as_bool()),
        (Some("user"), Some(true))
    );
    send(
        &mut agent_ws,
        json!({"type": "typing", "conversation": chat.id, "typing": true}),
    )
    .await;
    assert_eq!(next_of(&mut ws, "typing").await["sender"], "agent");

    send(
        &mut agent_ws,
        json!({"type": "message", "conversation": chat.id, "client_id": "a-1", "text": "Hello, I am here."}),
    )
    .await;
    assert_eq!(next_of(&mut agent_ws, "ack").await["duplicate"], false);
    let m = next_message_from(&mut ws, "agent").await;
    assert_eq!(m["message"]["text"], "Hello, I am here.");
    assert_eq!(m["message"]["agent_name"], "wang");
    send(
        &mut ws,
        json!({"type": "read", "up_to": m["message"]["id"]}),
    )
    .await;
    assert_eq!(next_of(&mut agent_ws, "read").await["reader"], "user");

    // No assistant once a person has the chat.
    send(
        &mut ws,
        json!({"type": "message", "client_id": "u-2", "text": "thanks"}),
    )
    .await;
    next_of(&mut ws, "ack").await;
    assert_eq!(
        next_message_from(&mut agent_ws, "user").await["message"]["text"],
        "thanks"
    );

    send(
        &mut agent_ws,
        json!({"type": "end", "conversation": chat.id}),
    )
    .await;
    assert_eq!(next_of(&mut ws, "ended").await["follow_up"], false);
    // A reload before rating still offers the rating; after it, no more.
    send(&mut ws, json!({"type": "sync"})).await;
    assert_eq!(next_of(&mut ws, "history").await["rateable"], true);
    send(
        &mut ws,
        json!({"type": "rate", "score": 5, "comment": "quick"}),
    )
    .await;
    assert_eq!(next_of(&mut agent_ws, "rated").await["score"], 5);
    send(&mut ws, json!({"type": "sync"})).await;
    assert_eq!(next_of(&mut ws, "history").await["rateable"], false);
    let t = app
        .state
        .store
        .ticket(domain::TicketId(chat.id))
        .await
        .expect("ticket");
    assert_eq!(t.assignee, Some(agent.id));
    assert_eq!(t.rating.map(|r| r.score), Some(5));
    assert!(
        t.first_response_at.is_some(),
        "the agent's message is the first response"
    );

    // A second agent cannot take it.
    let (mut other, _) = agent_socket(&app, "zhao").await;
    send(
        &mut other,
        json!({"type": "message", "conversation": chat.id, "client_id": "z", "text": "mine?"}),
    )
    .await;
    let e = next_of(&mut other, "error").await;
    assert_eq!(e["code"], "conflict");
    assert_eq!(e["client_id"], "z");
}

#[tokio::test]
async fn nobody_online_is_said_and_the_chat_continues_as_a_ticket() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    send(&mut ws, json!({"type": "handoff"})).await;
    let q = next_of(&mut ws, "queue").await;
    assert_eq!(q["agents_online"], 0);
    assert!(q.get("expected_wait_secs").is_none());
    let notice = next_message_from(&mut ws, "system").await;
    assert!(
        notice["message"]["text"]
            .as_str()
            .expect("text")
            .contains("No agent is online")
    );
    send(
        &mut ws,
        json!({"type": "continue_as_ticket", "email": "not an address"}),
    )
    .await;
    assert_eq!(next_of(&mut ws, "error").await["code"], "empty");
    continue_as_ticket(&app, &mut ws, &chat, "user@example.com").await;
}

#[tokio::test]
async fn origins_are_checked() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let mut req = chat.ws_url.as_str().into_client_request().expect("request");
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().expect("header"));
    assert!(tokio_tungstenite::connect_async(req).await.is_err());
    let mut req = chat.ws_url.as_str().into_client_request().expect("request");
    req.headers_mut()
        .insert("origin", app.base.parse().expect("header"));
    assert!(tokio_tungstenite::connect_async(req).await.is_ok());
    // An agent's socket needs the desk's own origin even with a valid session...
    let req = format!("ws://{}/agent/chat/ws", app.addr)
        .into_client_request()
        .expect("request");
    assert!(tokio_tungstenite::connect_async(req).await.is_err());
    // ...and a wrong token or conversation opens nothing.
    let wrong = chat.ws_url.replace(&chat.token, "nope");
    assert!(
        tokio_tungstenite::connect_async(wrong.as_str())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn malformed_frames_get_errors_and_the_connection_lives() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    ws.send(Message::Text("not json".into()))
        .await
        .expect("send");
    assert_eq!(next_of(&mut ws, "error").await["code"], "malformed");
    send(&mut ws, json!({"type": "launch_rockets"})).await;
    assert_eq!(next_of(&mut ws, "error").await["code"], "malformed");
    send(&mut ws, json!({"type": "message", "text": "no client id"})).await;
    assert_eq!(next_of(&mut ws, "error").await["code"], "malformed");
    send(
        &mut ws,
        json!({"type": "message", "client_id": "e", "text": "   "}),
    )
    .await;
    let e = next_of(&mut ws, "error").await;
    assert_eq!(
        (e["code"].as_str(), e["client_id"].as_str()),
        (Some("empty"), Some("e"))
    );
    ws.send(Message::Binary(vec![0, 1, 2].into()))
        .await
        .expect("send");
    assert_eq!(next_of(&mut ws, "error").await["code"], "malformed");
    send(&mut ws, json!({"type": "ping"})).await;
    next_of(&mut ws, "pong").await;
    assert!(
        app.state
            .store
            .chat_messages(domain::TicketId(chat.id), None)
            .await
            .expect("messages")
            .is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn a_huge_frame_closes_the_connection_and_the_desk_goes_on() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    let huge = json!({"type": "message", "client_id": "h", "text": "x".repeat(1024 * 1024)});
    let _ = ws.send(Message::Text(huge.to_string().into())).await;
    let code = close_code(&mut ws).await;
    assert!(matches!(code, None | Some(CloseCode::Size)), "{code:?}");
    // The desk still answers, and the conversation is usable on a new connection.
    let mut ws = connect(&chat.ws_url).await;
    send(&mut ws, json!({"type": "ping"})).await;
    next_of(&mut ws, "pong").await;
}

#[tokio::test]
async fn a_flood_is_refused_then_disconnected() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    for _ in 0..500 {
        if ws
            .send(Message::Text(
                json!({"type": "typing", "typing": true}).to_string().into(),
            ))
            .await
            .is_err()
        {
            break;
        }
    }
    let e = next_of(&mut ws, "error").await;
    assert_eq!(e["code"], "rate_limited");
    assert!(e["retry_after_ms"].as_u64().is_some());
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Policy));
}

#[tokio::test]
async fn a_reader_that_stops_reading_is_disconnected() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    // A user's socket takes its chat's events from the node's fan-out (`chat/fanout.rs`).
    let before = app.state.chat.user_sockets();
    let mut ws = connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    let with_socket = app.state.chat.user_sockets();
    assert_eq!(with_socket, before + 1);
    // Events for this chat pile up while the client reads nothing.
    let filler = "x".repeat(4000);
    let message = server::chat::protocol::WireMessage {
        id: 1,
        client_id: None,
        sender: "system".into(),
        agent_name: None,
        text: filler,
        cards: vec![],
        secrets_removed: 0,
        at: 0,
        delivered_at: None,
        read_at: None,
        attachment: None,
    };
    let mut closed = false;
    for i in 0..200_000 {
        app.state.publish(server::Event::ChatMessage {
            ticket: domain::TicketId(chat.id),
            message: message.clone(),
        });
        if i % 32 == 0 {
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        if i % 256 == 255 && app.state.chat.user_sockets() < with_socket {
            closed = true;
            break;
        }
    }
    assert!(closed, "the slow reader's connection was dropped");
    let code = close_code(&mut ws).await;
    assert!(matches!(code, None | Some(CloseCode::Again)), "{code:?}");
}

#[tokio::test]
async fn the_fallback_transport_speaks_the_same_protocol() {
    let app = TestApp::spawn().await;
    let chat = start(&app, "en").await;
    // Down: Server-Sent Events, `hello` first.
    let mut events = app
        .client
        .get(app.url(&format!("/api/v1/chat/conversations/{}/events", chat.id)))
        .bearer_auth(&chat.token)
        .send()
        .await
        .expect("GET");
    assert_eq!(events.status(), 200);
    let first = tokio::time::timeout(PATIENCE, events.chunk())
        .await
        .expect("an event")
        .expect("chunk")
        .expect("not the end");
    let first = String::from_utf8_lossy(&first);
    assert!(first.contains(r#""type":"hello""#), "{first}");

    // Up: one frame per POST, the direct answers back.
    let post = |body: String| {
        app.client
            .post(app.url(&format!("/api/v1/chat/conversations/{}/frames", chat.id)))
            .bearer_auth(&chat.token)
            .body(body)
            .send()
    };
    let frame = json!({"type": "message", "client_id": "f-1", "text": "via http"}).to_string();
    let r: Value = post(frame.clone())
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(r[0]["type"], "ack");
    assert_eq!(r[0]["duplicate"], false);
    let r: Value = post(frame).await.expect("POST").json().await.expect("json");
    assert_eq!(
        r[0]["duplicate"], true,
        "a resend over HTTP is not doubled either"
    );
    let r: Value = post("{".into())
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(r[0]["code"], "malformed");
    let r = app
        .client
        .post(app.url(&format!("/api/v1/chat/conversations/{}/frames", chat.id)))
        .body(json!({"type": "ping"}).to_string())
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 401);

    // The assistant's answer to the message arrives on the stream.
    let mut seen = String::new();
    while !seen.contains(r#""sender":"assistant""#) {
        let chunk = tokio::time::timeout(PATIENCE, events.chunk())
            .await
            .expect("events keep coming")
            .expect("chunk")
            .expect("not the end");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn the_chat_page_launcher_and_embed_policy() {
    let app = TestApp::spawn_with(|c| {
        c.brand.official_channels = vec![server::config::OfficialChannel {
            kind: "website".into(),
            value: "https://wallet.example".into(),
        }];
    })
    .await;
    let r = app.get("/chat?lang=zh-CN").await;
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"lang="zh-CN""#));
    assert!(html.contains(r#"aria-live="polite""#));
    assert!(
        html.contains("data-secret-guard"),
        "the typing guard checks every message"
    );
    assert!(html.contains("转人工客服"));
    assert!(
        html.contains(r#"<a href="/help?lang=zh-CN" id="chat-help">帮助中心</a>"#),
        "the page leads back to the help center"
    );

    let r = app.get("/chat?embed=1&lang=en").await;
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        csp.contains("frame-ancestors https://wallet.example"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(r.headers().get("x-frame-options").is_none());
    let embedded = r.text().await.expect("body");
    assert!(
        !embedded.contains(r#"id="chat-help""#),
        "inside the wallet's own page there is no site to go back to"
    );

    let (_, help) = app.get_text("/help?lang=en").await;
    assert!(help.contains(r#"class="chat-launcher" href="/chat""#));
    let (status, js) = app.get_text("/static/chat-embed.js").await;
    assert_eq!(status, 200);
    assert!(js.contains("/chat?embed=1"));
}

#[tokio::test]
async fn every_ticket_shows_how_it_came_and_a_chat_keeps_its_link() {
    let app = TestApp::spawn().await;
    let (api_id, _) = app
        .create_ticket("From the API", "my transfer is pending")
        .await;
    let client = TestApp::new_client();
    let r = app
        .submit_ticket_form(
            &client,
            "/tickets/new",
            &[
                ("email", "form@example.com"),
                ("category", "other"),
                ("subject", "From the form"),
                ("body", "my transfer is pending"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "k", "text": "Where is my transfer?"}),
    )
    .await;
    next_of(&mut ws, "ack").await;

    let store = &app.state.store;
    assert_eq!(
        store
            .ticket(domain::TicketId(api_id))
            .await
            .expect("ticket")
            .channel,
        domain::Channel::Api
    );
    let page = store
        .tickets_for_view(&store::TicketQuery::view(store::View::All, app.state.now()))
        .await
        .expect("tickets");
    let channels: Vec<domain::Channel> = page.tickets.iter().map(|t| t.channel).collect();
    assert!(channels.contains(&domain::Channel::Web), "{channels:?}");
    assert!(channels.contains(&domain::Channel::Chat), "{channels:?}");

    // The agents' inbox labels them.
    let agent = app
        .create_agent("inbox@example.com", domain::Role::Agent)
        .await;
    let agent_client = app.signed_in_client(&agent).await;
    let inbox = app.page_as(&agent_client, "/agent?lang=en").await;
    for label in [
        "badge channel channel-chat",
        "badge channel channel-api",
        "badge channel channel-web",
    ] {
        assert!(inbox.contains(label), "the inbox shows `{label}`");
    }
    let view = app
        .page_as(
            &agent_client,
            &format!("/agent/tickets/{}?lang=zh-CN", chat.id),
        )
        .await;
    assert!(
        view.contains("在线聊天"),
        "the ticket view names the channel"
    );

    // The transcript stays reachable through the conversation's link.
    let (status, transcript) = app.get_text(&format!("/t/{}", chat.token)).await;
    assert_eq!(status, 200);
    assert!(transcript.contains("Where is my transfer?"));
}

/// A chat is filed under what the user asks about, as a form's ticket is; the assistant's
/// article links are links on the agent's ticket page and in the user's transcript, while the
/// same Markdown typed by the user stays text.
#[tokio::test]
async fn a_chat_is_filed_by_its_topic_and_the_assistants_links_are_links() {
    // The help center's articles, as `serve` seeds them.
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let chat = start(&app, "zh-CN").await;
    let mut ws = connect(&chat.ws_url).await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "a", "text": "我从币安提USDT到我的钱包，交易所显示已完成，但钱包里一直没到账"}),
    )
    .await;
    let answer = next_message_from(&mut ws, "assistant").await;
    let text = answer["message"]["text"].as_str().unwrap_or("").to_owned();
    assert!(
        text.contains("](/help/"),
        "the answer links an article: {text}"
    );
    // A withdrawal *from* the exchange, answered from that article, not the deposit one.
    assert!(
        text.contains("(/help/withdrawal-from-exchange-not-arrived"),
        "{text}"
    );
    let ticket = app
        .state
        .store
        .ticket(domain::TicketId(chat.id))
        .await
        .expect("ticket");
    assert_eq!(ticket.category, domain::Category::Transaction);
    // Agents tell chats apart by the user's first words.
    assert_eq!(
        ticket.subject.as_str(),
        "在线客服：我从币安提USDT到我的钱包，交易所显示已完成，但钱包里一直没到账"
    );
    // A later question about something else does not move it (nor rename the chat).
    send(
        &mut ws,
        json!({"type": "message", "client_id": "b", "text": "[official help](https://evil.example) 忘记密码怎么办"}),
    )
    .await;
    next_message_from(&mut ws, "assistant").await;
    let ticket = app
        .state
        .store
        .ticket(domain::TicketId(chat.id))
        .await
        .expect("ticket");
    assert_eq!(ticket.category, domain::Category::Transaction);
    assert!(
        ticket.subject.as_str().ends_with("一直没到账"),
        "{}",
        ticket.subject.as_str()
    );

    let agent = app
        .create_agent("links@example.com", domain::Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let view = app
        .page_as(&client, &format!("/agent/tickets/{}?lang=zh-CN", chat.id))
        .await;
    assert!(view.contains("<a href=\"/help/"), "an article link: {view}");
    assert!(!view.contains("](/help/"), "no raw Markdown link is left");
    assert!(
        view.contains("[official help](https://evil.example)"),
        "the user's own Markdown is shown as typed"
    );
    assert!(!view.contains("href=\"https://evil.example"));
    let (status, transcript) = app.get_text(&format!("/t/{}", chat.token)).await;
    assert_eq!(status, 200);
    assert!(transcript.contains("<a href=\"/help/"), "{transcript}");
    assert!(!transcript.contains("href=\"https://evil.example"));
}

/// The frames after a user's message up to the assistant's answer and the message's `ack`, and
/// the `queue` frame too when `queued` (the two are written by different tasks, in either order).
async fn answer_frames(ws: &mut Ws, queued: bool) -> (Value, Option<Value>) {
    let (mut answer, mut ack, mut queue) = (None, false, None);
    tokio::time::timeout(PATIENCE, async {
        while answer.is_none() || !ack || (queued && queue.is_none()) {
            let Some(Ok(Message::Text(t))) = ws.next().await else {
                panic!("the socket ended");
            };
            let v: Value = serde_json::from_str(t.as_str()).expect("frames are JSON");
            match v["type"].as_str() {
                Some("message") if v["message"]["sender"] == "assistant" => answer = Some(v),
                Some("ack") => ack = true,
                Some("queue") => queue = Some(v),
                _ => {}
            }
        }
    })
    .await
    .expect("the answer, the ack and the queue place arrive");
    (answer.expect("an answer"), queue)
}

/// Asking for a person in words puts the chat through as the button does: the assistant says
/// a person takes over (never that a ticket was started: none was) and the message's `ack` is
/// followed by the user's place in the queue, which the agents hear. An answer the assistant
/// is unsure of offers the button instead and queues nothing.
#[tokio::test]
async fn asking_for_a_person_in_words_queues_the_chat_and_an_unsure_answer_offers_one() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let (mut agent_ws, _) = agent_socket(&app, "li").await;
    next_of(&mut agent_ws, "hello").await;
    let state_of = |id: i64| {
        let store = app.state.store.clone();
        async move {
            store
                .conversation(domain::TicketId(id))
                .await
                .expect("conversation")
                .state
        }
    };

    for (lang, unsure, person, takes_over, button) in [
        (
            "en",
            "qwv zzkx plorb",
            "Can I talk to a human please?",
            "A person from our support team will take this over.",
            "Choose “Talk to a person” below",
        ),
        (
            "zh-CN",
            "嗯嗯啊啊哦哦",
            "我要转人工",
            "我们的客服人员会接手处理。",
            "请点击下方的“转人工客服”",
        ),
    ] {
        let chat = start(&app, lang).await;
        let mut ws = connect(&chat.ws_url).await;
        send(
            &mut ws,
            json!({"type": "message", "client_id": "a", "text": unsure}),
        )
        .await;
        let (answer, _) = answer_frames(&mut ws, false).await;
        let text = answer["message"]["text"].as_str().unwrap_or("");
        assert!(
            text.contains(button),
            "{lang}: the unsure answer offers the button: {text}"
        );
        for never in ["started a ticket", "已为你创建工单"] {
            assert!(!text.contains(never), "{lang}: {text}");
        }
        assert_eq!(state_of(chat.id).await, store::ChatState::Assistant);

        send(
            &mut ws,
            json!({"type": "message", "client_id": "b", "text": person}),
        )
        .await;
        let (answer, queue) = answer_frames(&mut ws, true).await;
        let text = answer["message"]["text"].as_str().unwrap_or("");
        assert!(text.contains(takes_over), "{lang}: {text}");
        assert!(
            !text.contains(button),
            "{lang}: no button to press once queued: {text}"
        );
        let queue = queue.expect("a queue frame");
        assert_eq!(queue["conversation"], chat.id);
        assert_eq!(queue["position"], 1, "{lang}");
        assert_eq!(queue["agents_online"], 1);
        assert_eq!(
            next_of(&mut agent_ws, "queued").await["conversation"],
            chat.id
        );
        assert_eq!(state_of(chat.id).await, store::ChatState::Queued);
        // The system's line says so in the chat's language.
        let said = next_message_from(&mut ws, "system").await;
        let said = said["message"]["text"].as_str().unwrap_or("");
        assert!(
            said.contains(if lang == "en" { "queue" } else { "排队" }),
            "{lang}: {said}"
        );
        // Out of the way for the next language's place in the queue.
        send(&mut ws, json!({"type": "end"})).await;
        next_of(&mut ws, "ended").await;
    }

    // Funds said to be stolen go to a person at once too, whichever check saw it.
    for (lang, theft) in [
        ("zh-CN", "我的钱包被盗了，USDT 全部被转走"),
        ("en", "My wallet was hacked and drained"),
    ] {
        let chat = start(&app, lang).await;
        let mut ws = connect(&chat.ws_url).await;
        send(
            &mut ws,
            json!({"type": "message", "client_id": "t", "text": theft}),
        )
        .await;
        let (_, queue) = answer_frames(&mut ws, true).await;
        assert_eq!(queue.expect("queued")["conversation"], chat.id, "{lang}");
        assert_eq!(state_of(chat.id).await, store::ChatState::Queued);
        send(&mut ws, json!({"type": "end"})).await;
        next_of(&mut ws, "ended").await;
    }
}

/// An agent's socket hears the messages of the chats they have or opened, not every chat's:
/// with 1,000 chats talking, each agent would otherwise get every message. Queueing and
/// acceptance still reach every agent (the workspace's lists).
#[tokio::test]
async fn an_agent_hears_their_own_and_opened_chats_only() {
    let app = TestApp::spawn().await;
    let (mut wang, wang_agent) = agent_socket(&app, "wang").await;
    next_of(&mut wang, "hello").await;
    let (mut li, _) = agent_socket(&app, "li").await;
    next_of(&mut li, "hello").await;
    let chat = start(&app, "en").await;
    let mut ws = connect(&chat.ws_url).await;
    send(&mut ws, json!({"type": "handoff"})).await;
    next_of(&mut ws, "queue").await;
    assert_eq!(next_of(&mut li, "queued").await["conversation"], chat.id);
    send(
        &mut wang,
        json!({"type": "accept", "conversation": chat.id}),
    )
    .await;
    next_of(&mut wang, "history").await;
    // Li hears that Wang took it, and nothing of what is said in it.
    let joined = next_of(&mut li, "agent_joined").await;
    assert_eq!(joined["conversation"], chat.id);
    send(
        &mut ws,
        json!({"type": "message", "client_id": "u1", "text": "my USDT has not arrived"}),
    )
    .await;
    next_of(&mut ws, "ack").await;
    let heard = next_message_from(&mut wang, "user").await;
    assert_eq!(heard["message"]["text"], "my USDT has not arrived");
    // A second chat's message comes after the first on every socket: Li's next message frame
    // is from the chat Li opened, so the first one never reached Li.
    let other = start(&app, "en").await;
    send(
        &mut li,
        json!({"type": "sync", "conversation": other.id, "after": null}),
    )
    .await;
    next_of(&mut li, "history").await;
    let mut other_ws = connect(&other.ws_url).await;
    send(
        &mut other_ws,
        json!({"type": "message", "client_id": "o1", "text": "how do I add a token"}),
    )
    .await;
    next_of(&mut other_ws, "ack").await;
    let first_heard = next_message_from(&mut li, "user").await;
    assert_eq!(first_heard["conversation"], other.id, "{first_heard}");
    assert_eq!(first_heard["message"]["text"], "how do I add a token");
    // A new socket of Wang's hears the chat Wang has without opening it again.
    drop(wang);
    let mut wang2 = socket_of(&app, &wang_agent).await;
    next_of(&mut wang2, "hello").await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "u2", "text": "still waiting"}),
    )
    .await;
    next_of(&mut ws, "ack").await;
    let heard = next_message_from(&mut wang2, "user").await;
    assert_eq!(heard["message"]["text"], "still waiting");
}

/// The help analytics page counts how chats went: the assistant alone, handed to a person and
/// taken, or left before anyone took them; with a wait and a first answer once a person took one.
#[tokio::test]
async fn the_analytics_page_reports_how_chats_went() {
    let app = TestApp::spawn().await;
    let (mut agent_ws, agent) = agent_socket(&app, "li").await;
    next_of(&mut agent_ws, "hello").await;
    // The assistant alone.
    let alone = start(&app, "en").await;
    let mut ws = connect(&alone.ws_url).await;
    send(
        &mut ws,
        json!({"type": "message", "client_id": "a1", "text": "how do I back up my wallet"}),
    )
    .await;
    next_of(&mut ws, "ack").await;
    // Handed to a person, taken, answered.
    let taken = start(&app, "zh-CN").await;
    let mut ws = connect(&taken.ws_url).await;
    send(&mut ws, json!({"type": "handoff"})).await;
    next_of(&mut ws, "queue").await;
    send(
        &mut agent_ws,
        json!({"type": "accept", "conversation": taken.id}),
    )
    .await;
    next_of(&mut agent_ws, "history").await;
    send(
        &mut agent_ws,
        json!({"type": "message", "conversation": taken.id, "client_id": "g1", "text": "您好"}),
    )
    .await;
    next_of(&mut agent_ws, "ack").await;
    // Asked for a person, then left.
    let left = start(&app, "en").await;
    let mut ws = connect(&left.ws_url).await;
    send(&mut ws, json!({"type": "handoff"})).await;
    next_of(&mut ws, "queue").await;
    send(&mut ws, json!({"type": "end"})).await;
    next_of(&mut ws, "ended").await;

    let client = app.signed_in_client(&agent).await;
    let html = app.page_as(&client, "/agent/help/analytics?lang=en").await;
    let card = &html[html.find(r#"id="chat-report""#).expect("the chat card")..];
    let card = &card[..card.find("</section>").expect("its end")];
    for (label, n) in [
        ("Chats started", 3),
        ("Answered by the assistant alone", 1),
        ("Asked for a person", 2),
        ("Taken by a person", 1),
        ("Ended before a person took them", 1),
        ("Waiting for a person now", 0),
    ] {
        assert!(
            card.contains(&format!("<div><dt>{label}</dt><dd>{n}</dd></div>")),
            "{label}: {card}"
        );
    }
    // Times in seconds (the test runs in well under two minutes).
    assert!(card.contains("seconds / "), "{card}");
    let zh = app
        .page_as(&client, "/agent/help/analytics?lang=zh-CN")
        .await;
    assert!(zh.contains("在线客服（最近 30 天）"), "{zh}");
}
