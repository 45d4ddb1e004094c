//! A chat across two real `walletdesk serve` processes on one PostgreSQL (docs/SCALING.md): the
//! wallet user's socket on node A, the agent's on node B. The agent on B counts as online for
//! the user on A (one presence, shared by the cluster link); the hand-off, the accept, messages
//! both ways, typing and a redacted phrase all reach the other node. Then B is killed
//! (`SIGKILL`): the agent reconnects to A, asks for what came after the last message it saw, and
//! gets exactly that — nothing missed, nothing twice.
//!
//! Needs `WALLETDESK_TEST_PG_URL`; without it, or with `WALLETDESK_SKIP_PG=1`, it says it
//! skipped.

use reqwest::cookie::CookieStore;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::nodes::{fresh_database, runtime, signed_in_agent, two_nodes, until_page_shows};

#[path = "../../../server/tests/it/helpers/frames.rs"]
mod frames;

use frames::{Ws, next_message_from as next_from, next_of, send};

/// A valid 12-word phrase (BIP39 test vector): never stored, never shown to the agent.
const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

/// The agent's socket on the node at `base`: the session cookie, and the node's own origin.
async fn agent_socket(jar: &reqwest::cookie::Jar, base: &str) -> Ws {
    let url = reqwest::Url::parse(base).unwrap();
    let cookies = jar.cookies(&url).expect("signed in");
    let mut req = format!("ws://{}/agent/chat/ws", url.authority())
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("cookie", cookies.to_str().unwrap().parse().unwrap());
    req.headers_mut().insert("origin", base.parse().unwrap());
    let (ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("the agent's socket opens");
    ws
}

#[test]
fn a_chat_across_two_nodes_survives_the_agents_node_dying() {
    let Some(db) = fresh_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (node_a, mut node_b) = two_nodes(dir.path(), &db);
    let link = node_a.sign_in_link.clone().expect("the first admin's link");

    runtime().block_on(async {
        let (jar, agent) = signed_in_agent(&link).await;

        // The agent's chat socket is on B. A hears of it: the desk's page on A shows them
        // online (the only agent there is).
        let mut agent_ws = agent_socket(&jar, &node_b.base).await;
        next_of(&mut agent_ws, "hello").await;
        until_page_shows(
            &agent,
            &format!("{}/admin/desk", node_a.base),
            "desk-state-online",
        )
        .await;

        // The user's chat is on A.
        let user = reqwest::Client::new();
        let r = user
            .post(format!("{}/api/v1/chat/conversations", node_a.base))
            .json(&json!({"lang": "en"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let chat: Value = r.json().await.unwrap();
        let id = chat["id"].as_i64().unwrap();
        let token = chat["token"].as_str().unwrap().to_owned();
        let ws_url = chat["ws_url"].as_str().unwrap();
        assert!(ws_url.contains(node_a.base.trim_start_matches("http://")), "{ws_url}");
        let (mut ws, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
        next_of(&mut ws, "hello").await;

        // Hand-off on A: B's agent counts, and B's socket hears the chat waiting.
        send(&mut ws, json!({"type": "handoff"})).await;
        let q = next_of(&mut ws, "queue").await;
        assert_eq!(q["agents_online"], 1, "{q}");
        assert_eq!(q["position"], 1, "{q}");
        assert_eq!(next_of(&mut agent_ws, "queued").await["conversation"], id);

        // Accepted on B, joined on A.
        send(&mut agent_ws, json!({"type": "accept", "conversation": id})).await;
        next_of(&mut agent_ws, "history").await;
        assert!(next_of(&mut ws, "agent_joined").await["agent_name"].is_string());

        // Typing, both ways.
        send(&mut ws, json!({"type": "typing", "typing": true})).await;
        let typing = next_of(&mut agent_ws, "typing").await;
        assert_eq!((typing["sender"].as_str(), typing["conversation"].as_i64()), (Some("user"), Some(id)));
        send(&mut agent_ws, json!({"type": "typing", "conversation": id, "typing": true})).await;
        assert_eq!(next_of(&mut ws, "typing").await["sender"], "agent");

        // Messages, both ways.
        send(
            &mut agent_ws,
            json!({"type": "message", "conversation": id, "client_id": "a-1", "text": "Hello from node B."}),
        )
        .await;
        assert_eq!(next_of(&mut agent_ws, "ack").await["duplicate"], false);
        assert_eq!(next_from(&mut ws, "agent").await["message"]["text"], "Hello from node B.");

        // A phrase pasted on A: redacted before it is stored or sent, on both nodes' sockets.
        send(
            &mut ws,
            json!({"type": "message", "client_id": "u-1", "text": format!("my words are {PHRASE} please help")}),
        )
        .await;
        let ack = next_of(&mut ws, "ack").await;
        let stored = ack["message"]["text"].as_str().unwrap();
        assert!(!stored.contains("sausage"), "{stored}");
        assert!(ack["message"]["secrets_removed"].as_u64().unwrap() > 0, "{ack}");
        let seen = next_from(&mut agent_ws, "user").await;
        let text = seen["message"]["text"].as_str().unwrap();
        assert!(!text.contains("sausage") && !text.contains("legal winner"), "{text}");
        assert_eq!(text, stored, "the agent sees what was stored");
        // The last message the agent's screen has.
        let last_seen = seen["message"]["id"].as_i64().unwrap();

        // B dies without a word. While the agent is away, the user writes on A.
        drop(agent_ws);
        node_b.child.kill().unwrap();
        node_b.child.wait().unwrap();
        send(
            &mut ws,
            json!({"type": "message", "client_id": "u-2", "text": "Are you still there?"}),
        )
        .await;
        let ack = next_of(&mut ws, "ack").await;
        let while_away = ack["message"]["id"].as_i64().unwrap();

        // The agent's page reconnects, to A, and asks for what came after the last it saw.
        let mut agent_ws = agent_socket(&jar, &node_a.base).await;
        next_of(&mut agent_ws, "hello").await;
        send(&mut agent_ws, json!({"type": "sync", "conversation": id, "after": last_seen})).await;
        let history = next_of(&mut agent_ws, "history").await;
        assert_eq!(history["conversation"], id);
        assert_eq!(history["state"], "agent");
        let missed = history["messages"].as_array().unwrap();
        let ids: Vec<i64> = missed.iter().map(|m| m["id"].as_i64().unwrap()).collect();
        assert!(ids.iter().all(|m| *m > last_seen), "only what came after: {ids:?}");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order, once each: {ids:?}");
        assert!(ids.contains(&while_away), "the message written while away: {history}");
        assert!(
            missed.iter().any(|m| m["sender"] == "system"),
            "the desk's notice about the phrase, written after it: {history}"
        );

        // The agent answers from A; a resend of the same message (the page retrying after the
        // reconnect) is acknowledged as a duplicate and not shown twice.
        let reply = json!({"type": "message", "conversation": id, "client_id": "a-2", "text": "Still here, now on node A."});
        send(&mut agent_ws, reply.clone()).await;
        assert_eq!(next_of(&mut agent_ws, "ack").await["duplicate"], false);
        assert_eq!(next_from(&mut ws, "agent").await["message"]["text"], "Still here, now on node A.");
        send(&mut agent_ws, reply).await;
        assert_eq!(next_of(&mut agent_ws, "ack").await["duplicate"], true);

        // The transcript: every message once, in order, no phrase.
        let t: Value = user
            .get(format!("{}/api/v1/chat/conversations/{id}", node_a.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let messages = t["messages"].as_array().unwrap();
        for cid in ["a-1", "u-1", "u-2", "a-2"] {
            assert_eq!(
                messages.iter().filter(|m| m["client_id"] == cid).count(),
                1,
                "{cid} once: {t}"
            );
        }
        let ids: Vec<i64> = messages.iter().map(|m| m["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert!(!t.to_string().contains("sausage"), "{t}");
    });
}
