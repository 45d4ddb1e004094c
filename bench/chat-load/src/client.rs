//! The two kinds of chat client, as docs/CHAT-PROTOCOL.md describes them: a wallet user (start a
//! conversation over HTTP, then its WebSocket with the token) and an agent (a one-time sign-in
//! link, then `/agent/chat/ws` with the session cookie and the desk's own `Origin`).

use std::sync::Arc;

use anyhow::{Context, bail};
use futures_util::StreamExt;
use reqwest::cookie::CookieStore;
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, http::HeaderValue};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// One chat socket.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Small buffers: the bench holds 10,000 sockets and more, and tungstenite's default read
/// buffer (128 KiB, zero-filled on the first read) would make the bench itself the memory hog.
fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
}

/// A conversation the desk started: its number and its token.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: i64,
    pub token: String,
}

/// An HTTP client for the bench: keeps connections alive, never follows redirects.
///
/// # Errors
/// The TLS-less client cannot be built (it always can).
pub fn http() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .build()?)
}

/// `POST /api/v1/chat/conversations` with `{"lang": lang}`.
///
/// # Errors
/// Anything but `201` with an `id` and a `token`.
pub async fn start_conversation(
    http: &reqwest::Client,
    base: &str,
    lang: &str,
) -> anyhow::Result<Conversation> {
    let r = http
        .post(format!("{base}/api/v1/chat/conversations"))
        .json(&serde_json::json!({ "lang": lang }))
        .send()
        .await?;
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    if status.as_u16() != 201 {
        bail!("POST /api/v1/chat/conversations: {status} {body}");
    }
    Ok(Conversation {
        id: body["id"].as_i64().context("201 without an id")?,
        token: body["token"]
            .as_str()
            .context("201 without a token")?
            .to_owned(),
    })
}

/// Reads frames until the first text frame, which must be `hello`.
async fn hello(ws: &mut Ws) -> anyhow::Result<Value> {
    while let Some(m) = ws.next().await {
        match m? {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str())?;
                if v["type"] != "hello" {
                    bail!("the first frame is not hello: {v}");
                }
                return Ok(v);
            }
            Message::Close(c) => bail!("closed before hello: {c:?}"),
            _ => {}
        }
    }
    bail!("the socket ended before hello")
}

/// The user's socket of conversation `c` (`ws_base` is `ws://host:port`), after its `hello`.
///
/// # Errors
/// The upgrade was refused, or no `hello` came.
pub async fn connect_user(ws_base: &str, c: &Conversation) -> anyhow::Result<Ws> {
    let url = format!(
        "{ws_base}/api/v1/chat/conversations/{}/ws?token={}",
        c.id, c.token
    );
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(url, Some(ws_config()), false).await?;
    hello(&mut ws).await?;
    Ok(ws)
}

/// The value of the first hidden `csrf` input of a page.
fn csrf_in(html: &str) -> Option<&str> {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key)? + key.len();
    let len = html[at..].find('"')?;
    Some(&html[at..at + len])
}

/// Signs an agent in on `base` with a one-time link (`/agent/…` path): the `Cookie` header
/// value their browser would send afterwards (to any node: sessions live in the database).
///
/// # Errors
/// The link page has no form, or the desk did not answer `303`.
pub async fn sign_in(base: &str, link: &str) -> anyhow::Result<String> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let agent = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let url = format!("{base}{link}");
    let page = agent.get(&url).send().await?.text().await?;
    let csrf = csrf_in(&page)
        .with_context(|| format!("no csrf field on the sign-in link's page {link}"))?
        .to_owned();
    let r = agent.post(&url).form(&[("csrf", csrf)]).send().await?;
    if r.status().as_u16() != 303 {
        bail!("signing in by the link: {}", r.status());
    }
    let cookies = jar
        .cookies(&reqwest::Url::parse(base)?)
        .context("no cookie after signing in")?;
    Ok(cookies.to_str()?.to_owned())
}

/// An agent's socket on `base` with their session cookie, after its `hello`.
///
/// # Errors
/// The upgrade was refused, or no `hello` came.
pub async fn connect_agent(base: &str, cookie: &str) -> anyhow::Result<Ws> {
    let ws_base = base.replacen("http://", "ws://", 1);
    let mut req = format!("{ws_base}/agent/chat/ws").into_client_request()?;
    req.headers_mut()
        .insert("Cookie", HeaderValue::from_str(cookie)?);
    // A browser sends the page's origin: the desk's own.
    req.headers_mut()
        .insert("Origin", HeaderValue::from_str(base)?);
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(req, Some(ws_config()), false).await?;
    hello(&mut ws).await?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_field_is_read_from_the_form() {
        let html = r#"<form method="post"><input type="hidden" name="csrf" value="abc-123"><button>Sign in</button></form>"#;
        assert_eq!(csrf_in(html), Some("abc-123"));
        assert_eq!(csrf_in("<p>expired link</p>"), None);
    }
}
