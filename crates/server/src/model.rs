//! Calls to the optional OpenAI-compatible endpoints (`[assistant.embeddings]`,
//! `[assistant.chat]`): `POST {url}/embeddings` and `POST {url}/chat/completions`.
//!
//! This is the one place text leaves for a model, so it is where redaction is enforced: every
//! string is passed through the wallet crate's redaction here, whatever the caller did before.
//! Every call has a deadline; failures are values ([`ModelError`]), never panics, and the
//! assistant answers on its own when a call fails.

use std::time::{Duration, Instant};

use assistant::grounded::Message;
use serde::Deserialize;

use crate::config::{AssistantConfig, ModelEndpoint};

/// Why a model call gave nothing usable.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no time left")]
    Timeout,
    #[error("unreachable: {0}")]
    Unavailable(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("unexpected reply: {0}")]
    Malformed(String),
    #[error("the text cannot be redacted: {0}")]
    Redaction(String),
}

impl ModelError {
    /// A stable name for logs and the API's `model_fallback`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            ModelError::Timeout => "timeout",
            ModelError::Unavailable(_) => "unavailable",
            ModelError::Status(_) => "http_status",
            ModelError::Malformed(_) => "malformed",
            ModelError::Redaction(_) => "redaction",
        }
    }

    /// Whether trying the same request again later may work: time-outs, a server that is
    /// down, busy or failing (5xx, 408, 429), a garbled reply; not a request it refuses.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            ModelError::Timeout | ModelError::Unavailable(_) | ModelError::Malformed(_) => true,
            ModelError::Status(s) => *s >= 500 || *s == 408 || *s == 429,
            ModelError::Redaction(_) => false,
        }
    }
}

/// The configured endpoints and one HTTP client (connection pool) for both.
#[derive(Debug, Clone)]
pub struct Models {
    /// `None` only if the TLS stack could not start: every call is then `Unavailable`.
    http: Option<reqwest::Client>,
    pub(crate) embeddings: Option<ModelEndpoint>,
    pub(crate) chat: Option<ModelEndpoint>,
    pub(crate) budget: Duration,
    max_tokens: u32,
}

/// What a text sent for embedding is, for servers of asymmetric models (e5: `query: …` vs
/// `passage: …`) that are told with `input_type` (`[assistant.embeddings] input_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedKind {
    /// A user's question.
    Query,
    /// A help article.
    Passage,
}

impl EmbedKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EmbedKind::Query => "query",
            EmbedKind::Passage => "passage",
        }
    }
}

impl Models {
    #[must_use]
    pub fn new(config: &AssistantConfig) -> Models {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .user_agent(concat!("walletdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .inspect_err(|e| {
                tracing::error!(error = %e, "no HTTP client for the model endpoints; the assistant answers on its own");
            })
            .ok();
        Models {
            http,
            embeddings: config.embeddings.clone(),
            chat: config.chat.clone(),
            budget: Duration::from_millis(config.budget_ms),
            max_tokens: config.max_tokens,
        }
    }

    #[must_use]
    pub fn any(&self) -> bool {
        self.embeddings.is_some() || self.chat.is_some()
    }

    /// Embeddings of a question (`texts` is usually one), in order, within `deadline` and
    /// the endpoint's `timeout_ms`.
    ///
    /// # Errors
    /// No endpoint configured (as `Unavailable`), or the call failed.
    pub async fn embed(
        &self,
        texts: &[String],
        deadline: Instant,
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let ep = self
            .embeddings
            .as_ref()
            .ok_or_else(|| ModelError::Unavailable("no embeddings endpoint".into()))?;
        let limit = Duration::from_millis(ep.timeout_ms);
        self.embed_as(texts, EmbedKind::Query, deadline, limit)
            .await
    }

    /// Embeddings of `texts` of one kind, in order: one request, bounded by `deadline` and by
    /// `limit` (the background job's per-request limit is not a question's).
    ///
    /// # Errors
    /// No endpoint configured (as `Unavailable`), or the call failed, or the reply does not
    /// hold one vector per text.
    pub async fn embed_as(
        &self,
        texts: &[String],
        kind: EmbedKind,
        deadline: Instant,
        limit: Duration,
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let ep = self
            .embeddings
            .as_ref()
            .ok_or_else(|| ModelError::Unavailable("no embeddings endpoint".into()))?;
        let input: Vec<String> = texts.iter().map(|t| redact(t)).collect::<Result<_, _>>()?;
        let mut body = serde_json::json!({ "model": ep.model, "input": input });
        if ep.input_type {
            body["input_type"] = kind.as_str().into();
        }
        let reply: EmbeddingsReply = self.post(ep, "embeddings", &body, deadline, limit).await?;
        let mut data = reply.data;
        if data.len() != texts.len() {
            return Err(ModelError::Malformed(format!(
                "{} embeddings for {} inputs",
                data.len(),
                texts.len()
            )));
        }
        data.sort_by_key(|d| d.index);
        Ok(data.into_iter().map(|d| d.embedding).collect())
    }

    /// What identifies the vectors the embeddings endpoint gives for a text: its model name
    /// and whether it is told queries from passages (part of the article-vector cache's key).
    #[must_use]
    pub fn embeddings_identity(&self) -> Option<String> {
        self.embeddings
            .as_ref()
            .map(|ep| format!("{}\u{0}input_type={}", ep.model, ep.input_type))
    }

    /// The chat model's reply to `messages`. `deadline` bounds the call.
    ///
    /// # Errors
    /// No endpoint configured (as `Unavailable`), or the call failed.
    pub async fn chat(
        &self,
        messages: &[Message],
        deadline: Instant,
    ) -> Result<String, ModelError> {
        let ep = self
            .chat
            .as_ref()
            .ok_or_else(|| ModelError::Unavailable("no chat endpoint".into()))?;
        let messages: Vec<serde_json::Value> = messages
            .iter()
            .map(|m| Ok(serde_json::json!({ "role": m.role, "content": redact(&m.content)? })))
            .collect::<Result<_, ModelError>>()?;
        let body = serde_json::json!({
            "model": ep.model,
            "messages": messages,
            "temperature": 0.2,
            "max_tokens": self.max_tokens,
            "stream": false,
        });
        let limit = Duration::from_millis(ep.timeout_ms);
        let reply: ChatReply = self
            .post(ep, "chat/completions", &body, deadline, limit)
            .await?;
        reply
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .ok_or_else(|| ModelError::Malformed("no choices[0].message.content".into()))
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        ep: &ModelEndpoint,
        path: &str,
        body: &serde_json::Value,
        deadline: Instant,
        limit: Duration,
    ) -> Result<T, ModelError> {
        let left = deadline.saturating_duration_since(Instant::now());
        let timeout = left.min(limit);
        if timeout.is_zero() {
            return Err(ModelError::Timeout);
        }
        let Some(http) = &self.http else {
            return Err(ModelError::Unavailable("no HTTP client".into()));
        };
        let url = format!("{}/{path}", ep.url.trim_end_matches('/'));
        let mut req = http.post(&url).json(body);
        if !ep.api_key.is_empty() {
            req = req.bearer_auth(&ep.api_key);
        }
        let call = async {
            let resp = req
                .send()
                .await
                .map_err(|e| ModelError::Unavailable(without_url(&e.to_string(), &ep.url)))?;
            let status = resp.status();
            if !status.is_success() {
                return Err(ModelError::Status(status.as_u16()));
            }
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| ModelError::Unavailable(without_url(&e.to_string(), &ep.url)))?;
            serde_json::from_slice(&bytes).map_err(|e| ModelError::Malformed(e.to_string()))
        };
        match tokio::time::timeout(timeout, call).await {
            Ok(r) => r,
            Err(_) => Err(ModelError::Timeout),
        }
    }
}

/// The text with every secret the wallet crate finds replaced by its marker.
fn redact(text: &str) -> Result<String, ModelError> {
    domain::Redacted::new(text)
        .map(|(r, _)| r.into_string())
        .map_err(|e| ModelError::Redaction(e.to_string()))
}

/// Error texts name the URL; keep credentials that might be in it out of logs.
fn without_url(message: &str, url: &str) -> String {
    message.replace(url, &crate::config::redact_url(url))
}

#[derive(Deserialize)]
struct EmbeddingsReply {
    data: Vec<EmbeddingItem>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    #[serde(default)]
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct ChatReply {
    choices: Vec<ChatChoice>,
}

#[derive(Deserialize)]
struct ChatChoice {
    message: ChatMessage,
}

#[derive(Deserialize)]
struct ChatMessage {
    content: Option<String>,
}
