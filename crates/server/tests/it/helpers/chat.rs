//! A live chat's two ends, for the tests that chat (`chat`, `chat_user`, `deskchat`,
//! `cluster_presence`): a conversation started through the API, the user's and an agent's
//! WebSocket (tokio-tungstenite as the client), and reading frames by type.

use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::TestApp;

pub(crate) use super::frames::{PATIENCE, Ws, next_message_from, next_of, send};

pub(crate) struct Chat {
    pub(crate) id: i64,
    pub(crate) token: String,
    pub(crate) ws_url: String,
}

/// A new conversation in `lang`, started as the chat page starts one.
pub(crate) async fn start(app: &TestApp, lang: &str) -> Chat {
    let r = app
        .client
        .post(app.url("/api/v1/chat/conversations"))
        .json(&json!({ "lang": lang }))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.expect("json");
    Chat {
        id: v["id"].as_i64().expect("id"),
        token: v["token"].as_str().expect("token").to_owned(),
        ws_url: v["ws_url"].as_str().expect("ws_url").to_owned(),
    }
}

/// The user's socket to a conversation's `ws_url`.
pub(crate) async fn connect(url: &str) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    ws
}

/// An agent's socket: their session cookie and the desk's own origin.
pub(crate) async fn agent_socket(app: &TestApp, name: &str) -> (Ws, store::Agent) {
    let agent = app
        .create_agent(&format!("{name}@example.com"), domain::Role::Agent)
        .await;
    (socket_of(app, &agent).await, agent)
}

/// A new chat socket for an agent who has one already (another tab, a reconnect).
pub(crate) async fn socket_of(app: &TestApp, agent: &store::Agent) -> Ws {
    let token = app.session_token(agent, true).await;
    let mut req = format!("ws://{}/agent/chat/ws", app.addr)
        .into_client_request()
        .expect("request");
    req.headers_mut().insert(
        "cookie",
        format!("{}={token}", server::web::SESSION_COOKIE)
            .parse()
            .expect("header"),
    );
    req.headers_mut()
        .insert("origin", app.base.parse().expect("header"));
    let (ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("agent connects");
    ws
}

/// The user leaves an e-mail address and the chat goes on as a ticket: the socket says so
/// (`ticket`), and the ticket's requester is that address.
pub(crate) async fn continue_as_ticket(app: &TestApp, ws: &mut Ws, chat: &Chat, email: &str) {
    send(ws, json!({"type": "continue_as_ticket", "email": email})).await;
    next_of(ws, "ticket").await;
    let t = app
        .state
        .store
        .ticket(domain::TicketId(chat.id))
        .await
        .expect("ticket");
    assert_eq!(t.requester.as_str(), email);
}
