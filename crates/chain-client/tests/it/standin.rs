//! A stand-in HTTP server for APIs that cannot run here (Esplora, TRON's HTTP API): it serves
//! answers recorded from the APIs' documented formats (tests/fixtures, see SOURCES.md), and on
//! demand garbage, slow, or huge answers. It records the requests it received.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub delay: Option<Duration>,
    /// Send no Content-Length: the body ends when the connection closes.
    pub no_length: bool,
}

impl Reply {
    pub(crate) fn json(body: &str) -> Reply {
        Reply::status(200, body)
    }

    pub(crate) fn status(status: u16, body: &str) -> Reply {
        Reply {
            status,
            body: body.as_bytes().to_vec(),
            delay: None,
            no_length: false,
        }
    }

    pub(crate) fn fixture(path: &str) -> Reply {
        Reply::json(&fixture(path))
    }
}

pub(crate) fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

type Handler = dyn Fn(&str, &str, &str) -> Reply + Send + Sync;

#[derive(Debug, Clone)]
pub(crate) struct StandIn {
    pub url: String,
    requests: Arc<Mutex<Vec<(String, String, String)>>>,
}

impl StandIn {
    /// Listens on 127.0.0.1, a port the system picks; `handler(method, path, body)` answers.
    pub(crate) async fn start(
        handler: impl Fn(&str, &str, &str) -> Reply + Send + Sync + 'static,
    ) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let Some((method, path, body)) = read_request(&mut socket).await else {
                        return;
                    };
                    log.lock().expect("the request log").push((
                        method.clone(),
                        path.clone(),
                        body.clone(),
                    ));
                    let reply = handler(&method, &path, &body);
                    if let Some(d) = reply.delay {
                        tokio::time::sleep(d).await;
                    }
                    let mut head = format!(
                        "HTTP/1.1 {} Stand-in\r\nContent-Type: application/json\r\nConnection: close\r\n",
                        reply.status
                    );
                    if !reply.no_length {
                        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
                    }
                    head.push_str("\r\n");
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(&reply.body).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        StandIn { url, requests }
    }

    /// (method, path, body) of every request so far.
    pub(crate) fn requests(&self) -> Vec<(String, String, String)> {
        self.requests.lock().expect("the request log").clone()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<(String, String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
    Some((method, path, body))
}
