//! A chat socket's frames, for the tests of both crates that chat: the server's (`helpers/chat.rs`)
//! and the two-node test of the `walletdesk` binary (`crates/walletdesk/tests/it/nodes_chat.rs`,
//! which includes this file by its path). Nothing here knows a test app: only the socket.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

pub(crate) type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A guard against a hung test, not a timing assertion.
pub(crate) const PATIENCE: Duration = Duration::from_secs(30);

/// Sends one frame.
pub(crate) async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::Text(v.to_string().into()))
        .await
        .expect("send");
}

/// The next frame of type `ty`, skipping others.
pub(crate) async fn next_of(ws: &mut Ws, ty: &str) -> Value {
    tokio::time::timeout(PATIENCE, async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(t.as_str()).expect("frames are JSON");
                    if v["type"] == ty {
                        return v;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("socket ended waiting for `{ty}`: {other:?}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no `{ty}` frame"))
}

/// The next message frame from `sender`.
pub(crate) async fn next_message_from(ws: &mut Ws, sender: &str) -> Value {
    loop {
        let m = next_of(ws, "message").await;
        if m["message"]["sender"] == sender {
            return m;
        }
    }
}
