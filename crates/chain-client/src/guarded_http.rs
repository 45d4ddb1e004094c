//! HTTP for the Bitcoin Core, Esplora and TRON clients: one `reqwest` client per endpoint with
//! the configured timeout, at most `concurrency` requests in flight, a cap on the size of an
//! answer (a node or explorer that streams megabytes is "a bad answer", not a memory problem),
//! credentials taken out of the URL into basic auth, and a counter of requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chain::ChainConfig;
use tokio::sync::Semaphore;

use crate::LookupError;

/// The largest answer read from an endpoint; larger ones are refused as a bad answer.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug)]
pub(crate) struct GuardedHttp {
    client: reqwest::Client,
    /// The base URL without credentials and without a trailing `/`.
    base: String,
    auth: Option<(String, String)>,
    permits: Arc<Semaphore>,
    max_bytes: usize,
    requests: AtomicU64,
}

/// An answer: the status and the body (at most `max_bytes`).
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> Result<serde_json::Value, LookupError> {
        serde_json::from_slice(&self.body)
            .map_err(|e| LookupError::BadAnswer(format!("not JSON (HTTP {}): {e}", self.status)))
    }

    /// The JSON of a 200 answer; any other status is a bad answer naming `what` was asked.
    pub(crate) fn ok_json(&self, what: &str) -> Result<serde_json::Value, LookupError> {
        if self.status != 200 {
            return Err(LookupError::BadAnswer(format!(
                "{what}: HTTP {} {}",
                self.status,
                self.text()
            )));
        }
        self.json()
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .trim()
            .chars()
            .take(200)
            .collect()
    }
}

fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl GuardedHttp {
    pub(crate) fn new(config: &ChainConfig) -> Result<GuardedHttp, LookupError> {
        let mut url = reqwest::Url::parse(config.url.trim()).map_err(|e| {
            LookupError::Unreachable(format!("the configured URL cannot be used: {e}"))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(LookupError::Unreachable(
                "the configured URL is not http:// or https://".into(),
            ));
        }
        let auth = (!url.username().is_empty()).then(|| {
            (
                percent_decode(url.username()),
                percent_decode(url.password().unwrap_or("")),
            )
        });
        // Never kept in the URL: it would show up in errors and logs.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let timeout = Duration::from_millis(config.timeout_ms.max(1));
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("walletdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LookupError::Unreachable(format!("no HTTP client: {e}")))?;
        Ok(GuardedHttp {
            client,
            base: url.as_str().trim_end_matches('/').to_owned(),
            auth,
            permits: Arc::new(Semaphore::new(config.concurrency.max(1))),
            max_bytes: MAX_RESPONSE_BYTES,
            requests: AtomicU64::new(0),
        })
    }

    /// HTTP requests sent so far.
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub(crate) fn set_max_bytes(&mut self, max: usize) {
        self.max_bytes = max;
    }

    pub(crate) async fn get(&self, path: &str) -> Result<Answer, LookupError> {
        self.send(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    pub(crate) async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Answer, LookupError> {
        self.send(self.client.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    async fn send(&self, mut request: reqwest::RequestBuilder) -> Result<Answer, LookupError> {
        if let Some((user, password)) = &self.auth {
            request = request.basic_auth(user, Some(password));
        }
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| LookupError::Unreachable("the client is shutting down".into()))?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut response = request.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes as u64)
        {
            return Err(too_large(self.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(too_large(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    }
}

fn too_large(max: usize) -> LookupError {
    LookupError::BadAnswer(format!("the answer is larger than {max} bytes"))
}

fn describe(e: reqwest::Error) -> LookupError {
    // Without the URL: it may carry a path with an address (personal data).
    let e = e.without_url();
    if e.is_timeout() {
        LookupError::Unreachable("timed out".into())
    } else if e.is_connect() {
        LookupError::Unreachable(format!("could not connect: {e}"))
    } else {
        LookupError::Unreachable(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn credentials_are_percent_decoded() {
        assert_eq!(percent_decode("p%40ss%3Aword"), "p@ss:word");
        assert_eq!(percent_decode("plain"), "plain");
        assert_eq!(percent_decode("bad%zz%4"), "bad%zz%4");
    }
}
