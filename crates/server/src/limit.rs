//! Rate limits: one layer in front of every write and every costly read, and the counters
//! behind it.
//!
//! # The layer
//! [`layer`] runs on every route of the router (`router.rs`), after routing, so it knows the
//! route's template ([`MatchedPath`]) and method. [`classify`] puts the request in a budget
//! [`Class`]; each class has its own budget per client per `[limits] window_secs`, set in
//! `[limits]` (`config::Limits`, documented there and in the README). Reads that cost
//! little (pages, articles, a ticket's own page) are in no class; every write is in one — a
//! write nobody thought of falls into [`Class::PublicWrite`] or [`Class::AgentWrite`], so no
//! route is left unlimited by accident (`tests/it/limits.rs` walks the router to prove it).
//!
//! Budgets are counted per [`Client`] — the real client behind trusted proxies, IPv6 per /64
//! (`client.rs`) — and, for the API's ticket routes, also per bearer token (by its SHA-256;
//! the token itself is never kept).
//!
//! A refused request never reaches its handler, so nothing is stored: the answer is `429`
//! with `Retry-After`, the API's JSON error `rate_limited` under `/api/`, else a page in the
//! viewer's language that says how long to wait. The forms where a person types the most
//! (a new ticket, a reply through a ticket's link, signing in) come back as typed, with the
//! wait; any other form's text is shown back on the page to copy (redacted, like anything
//! the desk shows).
//!
//! # What stays elsewhere
//! Limits that are not about how often one client asks stay with their use case: sign-in
//! back-off per address *and* client ([`Backoff`], a per-account defence), tickets per
//! requester address, replies per ticket, and screenshots per ticket (they count what a
//! ticket holds, and also apply to mail, which never passes this layer).
//!
//! # Counters
//! [`RateLimiter`] keeps fixed windows in memory, keyed by what is limited (`reply:192.0.2.1`,
//! `ticket:email:…`). Bounded: when the table grows past its cap, expired windows are dropped,
//! and if it is still full the oldest half goes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::client::Client;
use crate::config::Limits;
use crate::error::ApiError;

const MAX_KEYS: usize = 100_000;

#[derive(Debug)]
pub struct RateLimiter {
    window: Duration,
    buckets: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    #[must_use]
    pub fn new(window_secs: u64) -> RateLimiter {
        RateLimiter {
            window: Duration::from_secs(window_secs.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt under `key`; false when `max` attempts were already made this window.
    pub fn allow(&self, key: &str, max: u32) -> bool {
        self.wait(key, max).is_none()
    }

    /// Counts one attempt under `key`: `None` when it is allowed, else how many whole seconds
    /// (at least one) until this key's window ends and it may try again (`Retry-After`).
    pub fn wait(&self, key: &str, max: u32) -> Option<u64> {
        let now = Instant::now();
        let mut b = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if b.len() >= MAX_KEYS {
            let window = self.window;
            b.retain(|_, (start, _)| now.duration_since(*start) < window);
            if b.len() >= MAX_KEYS {
                let mut starts: Vec<Instant> = b.values().map(|(s, _)| *s).collect();
                starts.sort_unstable();
                let cut = starts[starts.len() / 2];
                b.retain(|_, (s, _)| *s > cut);
            }
        }
        let entry = b.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= max {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Some((left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1));
        }
        entry.1 += 1;
        None
    }
}

/// Failed attempts per key with exponential back-off, for sign-in: the first
/// [`Backoff::FREE`] failures cost nothing, then each further failure makes the key wait twice
/// as long as the one before (1 s, 2 s, 4 s … up to [`Backoff::CAP`]). A success forgets the
/// key, and so do [`Backoff::FORGET`] without a failure. Keyed per address *and* client, so a
/// stranger who guesses an agent's password from elsewhere slows only their own attempts: there
/// is no lock that someone else controls.
#[derive(Debug, Default)]
pub struct Backoff {
    entries: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Backoff {
    pub const FREE: u32 = 5;
    pub const CAP: Duration = Duration::from_secs(15 * 60);
    pub const FORGET: Duration = Duration::from_secs(60 * 60);

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u32, Instant)>> {
        match self.entries.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// How long `key` must still wait before its next attempt (whole seconds), if at all.
    pub fn wait(&self, key: &str) -> Option<u64> {
        let now = Instant::now();
        let mut e = self.lock();
        let &(failures, last) = e.get(key)?;
        if now.duration_since(last) >= Self::FORGET {
            e.remove(key);
            return None;
        }
        let delay = Self::delay(failures)?;
        let left = delay.saturating_sub(now.duration_since(last));
        (!left.is_zero()).then(|| (left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1))
    }

    /// The wait after `failures` failures in a row.
    fn delay(failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(Self::FREE + 1)?;
        let secs = 1u64.checked_shl(over).unwrap_or(u64::MAX);
        Some(Duration::from_secs(secs).min(Self::CAP))
    }

    /// Records a failure under `key`.
    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let mut e = self.lock();
        if e.len() >= MAX_KEYS {
            e.retain(|_, (_, last)| now.duration_since(*last) < Self::FORGET);
            if e.len() >= MAX_KEYS {
                e.clear();
            }
        }
        let entry = e.entry(key.to_owned()).or_insert((0, now));
        if now.duration_since(entry.1) >= Self::FORGET {
            entry.0 = 0;
        }
        *entry = (entry.0.saturating_add(1), now);
    }

    /// A success: `key` starts again from nothing.
    pub fn reset(&self, key: &str) {
        self.lock().remove(key);
    }
}

/// What a request spends: each class has its own budget per client (`[limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Signing in with a password: `sign_in`.
    SignIn,
    /// A new ticket (the form, the API, reporting a fake): `tickets_per_ip`.
    Ticket,
    /// A reply through a ticket's link: `replies_per_client`.
    Reply,
    /// A ticket's rating: `ratings_per_client`.
    Rating,
    /// "Was this helpful?": `feedback_per_client`.
    Feedback,
    /// Help events from the pages' scripts: `help_events_per_client`.
    HelpEvent,
    /// Help-center searches, each one a log row: `searches_per_client`.
    Search,
    /// "Is this really support?" and signature checks: `verify_per_ip`.
    Check,
    /// Any other write without signing in (solving a ticket, a proof challenge):
    /// `public_writes_per_client`.
    PublicWrite,
    /// Reads that cost real work: assistant answers, field checks, suggestions:
    /// `costly_reads_per_client`.
    CostlyRead,
    /// Every write under `/agent` and `/admin`: `agent_writes_per_client`.
    AgentWrite,
    /// The API's ticket routes (bearer token): `api_per_token` and `api_per_client`.
    Api,
}

impl Class {
    pub const ALL: [Class; 12] = [
        Class::SignIn,
        Class::Ticket,
        Class::Reply,
        Class::Rating,
        Class::Feedback,
        Class::HelpEvent,
        Class::Search,
        Class::Check,
        Class::PublicWrite,
        Class::CostlyRead,
        Class::AgentWrite,
        Class::Api,
    ];

    /// The name in logs and in the counters' keys.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Class::SignIn => "sign_in",
            Class::Ticket => "ticket",
            Class::Reply => "reply",
            Class::Rating => "rating",
            Class::Feedback => "feedback",
            Class::HelpEvent => "help_event",
            Class::Search => "search",
            Class::Check => "check",
            Class::PublicWrite => "public_write",
            Class::CostlyRead => "costly_read",
            Class::AgentWrite => "agent_write",
            Class::Api => "api",
        }
    }

    /// Requests one client may make in this class per window.
    #[must_use]
    pub fn budget(self, l: &Limits) -> u32 {
        match self {
            Class::SignIn => l.sign_in,
            Class::Ticket => l.tickets_per_ip,
            Class::Reply => l.replies_per_client,
            Class::Rating => l.ratings_per_client,
            Class::Feedback => l.feedback_per_client,
            Class::HelpEvent => l.help_events_per_client,
            Class::Search => l.searches_per_client,
            Class::Check => l.verify_per_ip,
            Class::PublicWrite => l.public_writes_per_client,
            Class::CostlyRead => l.costly_reads_per_client,
            Class::AgentWrite => l.agent_writes_per_client,
            Class::Api => l.api_per_client,
        }
    }
}

/// The budget class of a request to the route `path` (its template, as in `router.rs`) by
/// `method`; `None` for a read that costs little. Every other method is a write and always
/// has a class.
#[must_use]
pub fn classify(method: &Method, path: &str) -> Option<Class> {
    let read = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let class = match path {
        // Reads and writes alike: each one does the costly thing.
        "/help/search" | "/api/v1/help/search" => Class::Search,
        // On-chain lookups (`/api/v1/chain/…`, `/help/check-tx`) ask a node: a check each.
        "/api/v1/verify"
        | "/api/v1/signatures/verify"
        | "/api/v1/chain/tx/{hash}"
        | "/api/v1/chain/address/{address}" => Class::Check,
        "/api/v1/assistant/answer" | "/api/v1/fields/check" | "/api/v1/help/suggest" => {
            Class::CostlyRead
        }
        "/api/v1/tickets" if !read => Class::Ticket,
        _ if path.starts_with("/api/v1/tickets") => Class::Api,
        // A chat's transcript, its event stream and its socket, per client and token.
        _ if read && path.starts_with("/api/v1/chat/") => Class::Api,
        _ if read => return None,
        // Password guesses by anyone. The other agent-side forms are agent writes: one-time
        // links are unguessable, second-factor codes back off per account (`auth::factors`),
        // and a password change needs a signed-in session as well as the current password.
        "/agent/sign-in" => Class::SignIn,
        "/tickets/new" | "/verify/report" => Class::Ticket,
        "/t/{token}/reply" => Class::Reply,
        "/t/{token}/rate" => Class::Rating,
        "/t/{token}/prove" | "/verify" | "/help/check-tx" => Class::Check,
        "/help/{slug}/feedback" => Class::Feedback,
        "/api/v1/help/events" => Class::HelpEvent,
        _ if path.starts_with("/agent") || path.starts_with("/admin") => Class::AgentWrite,
        _ => Class::PublicWrite,
    };
    Some(class)
}

/// Counts one request of `class` by the client keyed `client` (and, for [`Class::Api`], by
/// the bearer token whose hash is `token`): `None` when it may go on, else the seconds until
/// it may try again.
#[must_use]
pub fn spend(
    limiter: &RateLimiter,
    limits: &Limits,
    class: Class,
    client: &str,
    token: Option<&str>,
) -> Option<u64> {
    let name = class.as_str();
    let by_client = limiter.wait(&format!("{name}:{client}"), class.budget(limits));
    match (by_client, token) {
        (Some(wait), _) => Some(wait),
        (None, Some(token)) => limiter.wait(&format!("{name}:token:{token}"), limits.api_per_token),
        (None, None) => None,
    }
}

/// The SHA-256 of the request's bearer token, if it sends one.
fn bearer_hash(req: &Request) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    crate::api::bearer::bearer_token(value).map(|t| crate::auth::hash_token(t).0)
}

/// Middleware on every route (see the module doc): spends the request's budget, or refuses it
/// before its handler runs.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(path) = req.extensions().get::<MatchedPath>().cloned() else {
        return next.run(req).await;
    };
    let Some(class) = classify(req.method(), path.as_str()) else {
        return next.run(req).await;
    };
    let client = req.extensions().get::<Client>().map(Client::key);
    let client = client.as_deref().unwrap_or("unknown");
    let token = (class == Class::Api).then(|| bearer_hash(&req)).flatten();
    let Some(retry_after_secs) = spend(
        &state.limiter,
        &state.config.limits,
        class,
        client,
        token.as_deref(),
    ) else {
        return next.run(req).await;
    };
    tracing::info!(
        limit = class.as_str(),
        route = path.as_str(),
        retry_after_secs,
        "rate limited"
    );
    let e = ApiError::RateLimited { retry_after_secs };
    if path.as_str().starts_with("/api/") {
        return e.into_response();
    }
    refused_page(&state, path.as_str(), req, retry_after_secs).await
}

/// The page for a refused request: the form again as typed where the route can show it,
/// else the refusal with the wait and what was typed, to copy.
async fn refused_page(state: &AppState, path: &str, req: Request, secs: u64) -> Response {
    use crate::routes::{agent, public};
    let (mut parts, body) = req.into_parts();
    let Ok(crate::web::ViewerLang(lang)) =
        crate::web::ViewerLang::from_request_parts(&mut parts, state).await;
    let csrf = parts
        .extensions
        .get::<crate::web::CsrfToken>()
        .cloned()
        .unwrap_or_else(|| crate::web::CsrfToken(String::new()));
    let fields = if parts.method == Method::GET {
        parts
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default()
    } else {
        crate::attachments::text_fields(Request::from_parts(parts, body)).await
    };
    match path {
        "/tickets/new" => public::new_ticket::refused(state, lang, &csrf, &fields, secs),
        "/t/{token}/reply" => public::ticket::reply_refused(state, lang, &csrf, &fields, secs),
        "/agent/sign-in" => agent::sign_in::refused(state, lang, &csrf, &fields, secs),
        _ => crate::web::error_page_keeping(
            state,
            lang,
            &csrf,
            &ApiError::RateLimited {
                retry_after_secs: secs,
            },
            &typed_text(&fields),
        ),
    }
}

/// What a person typed into a form (or a search's query), one field a line: every field but
/// the token, passwords and codes.
fn typed_text(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .filter(|(k, v)| {
            !v.trim().is_empty()
                && !matches!(k.as_str(), "csrf" | "lang" | "back")
                && !["password", "code", "token", "secret"]
                    .iter()
                    .any(|s| k.contains(s))
        })
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_fall_in_their_classes() {
        let post = Method::POST;
        let get = Method::GET;
        for (method, path, class) in [
            (&post, "/tickets/new", Some(Class::Ticket)),
            (&post, "/api/v1/tickets", Some(Class::Ticket)),
            (&post, "/verify/report", Some(Class::Ticket)),
            (&get, "/api/v1/tickets", Some(Class::Api)),
            (&Method::PATCH, "/api/v1/tickets/{id}", Some(Class::Api)),
            (&post, "/api/v1/tickets/{id}/messages", Some(Class::Api)),
            (&post, "/t/{token}/reply", Some(Class::Reply)),
            (&post, "/t/{token}/prove", Some(Class::Check)),
            (&post, "/verify", Some(Class::Check)),
            (&get, "/verify", None),
            (&get, "/api/v1/verify", Some(Class::Check)),
            (&get, "/help/search", Some(Class::Search)),
            (&post, "/api/v1/help/search", Some(Class::Search)),
            (&get, "/api/v1/help/suggest", Some(Class::CostlyRead)),
            (&post, "/api/v1/assistant/answer", Some(Class::CostlyRead)),
            (&post, "/agent/sign-in", Some(Class::SignIn)),
            (&get, "/agent/sign-in", None),
            (
                &post,
                "/agent/tickets/{id}/messages",
                Some(Class::AgentWrite),
            ),
            (&post, "/admin/brand", Some(Class::AgentWrite)),
            (
                &Method::DELETE,
                "/some/future/route",
                Some(Class::PublicWrite),
            ),
            (&get, "/help/{slug}", None),
            (&get, "/t/{token}", None),
        ] {
            assert_eq!(classify(method, path), class, "{method} {path}");
        }
    }

    #[test]
    fn each_class_has_its_budget_and_name() {
        let mut l = Limits::default();
        let mut names = std::collections::HashSet::new();
        for (i, class) in Class::ALL.iter().enumerate() {
            assert!(names.insert(class.as_str()), "{class:?}");
            assert!(class.budget(&l) > 0, "{class:?} is usable by default");
            // Setting each budget changes that class only.
            let n = 1000 + u32::try_from(i).unwrap();
            match class {
                Class::SignIn => l.sign_in = n,
                Class::Ticket => l.tickets_per_ip = n,
                Class::Reply => l.replies_per_client = n,
                Class::Rating => l.ratings_per_client = n,
                Class::Feedback => l.feedback_per_client = n,
                Class::HelpEvent => l.help_events_per_client = n,
                Class::Search => l.searches_per_client = n,
                Class::Check => l.verify_per_ip = n,
                Class::PublicWrite => l.public_writes_per_client = n,
                Class::CostlyRead => l.costly_reads_per_client = n,
                Class::AgentWrite => l.agent_writes_per_client = n,
                Class::Api => l.api_per_client = n,
            }
        }
        for (i, class) in Class::ALL.iter().enumerate() {
            assert_eq!(
                class.budget(&l),
                1000 + u32::try_from(i).unwrap(),
                "{class:?}"
            );
        }
    }

    #[test]
    fn spending_is_per_class_per_client_and_per_token() {
        let limits = Limits {
            replies_per_client: 1,
            feedback_per_client: 1,
            api_per_client: 10,
            api_per_token: 1,
            ..Limits::default()
        };
        let l = RateLimiter::new(600);
        assert_eq!(spend(&l, &limits, Class::Reply, "a", None), None);
        assert!(spend(&l, &limits, Class::Reply, "a", None).is_some());
        assert_eq!(
            spend(&l, &limits, Class::Reply, "b", None),
            None,
            "another client"
        );
        assert_eq!(
            spend(&l, &limits, Class::Feedback, "a", None),
            None,
            "another class"
        );
        assert_eq!(spend(&l, &limits, Class::Api, "a", Some("t1")), None);
        assert!(spend(&l, &limits, Class::Api, "a", Some("t1")).is_some());
        assert_eq!(
            spend(&l, &limits, Class::Api, "a", Some("t2")),
            None,
            "another token"
        );
    }

    #[test]
    fn a_refused_form_shows_its_text_but_never_its_token_or_password() {
        let fields: Vec<(String, String)> = [
            ("csrf", "tok"),
            ("email", "li@example.com"),
            ("password", "hunter2"),
            ("new_password", "hunter3"),
            ("code", "123456"),
            ("note", "the fake site"),
            ("empty", " "),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(typed_text(&fields), "li@example.com\nthe fake site");
    }

    #[test]
    fn backoff_starts_after_the_free_failures_doubles_and_resets() {
        let b = Backoff::default();
        for _ in 0..Backoff::FREE {
            assert_eq!(b.wait("k"), None);
            b.fail("k");
        }
        // Five failures: the next attempt is free to try; the sixth failure costs a second.
        assert_eq!(b.wait("k"), None);
        b.fail("k");
        assert_eq!(b.wait("k"), Some(1));
        b.fail("k");
        assert_eq!(b.wait("k"), Some(2));
        assert_eq!(b.wait("other"), None, "keys are separate");
        b.reset("k");
        assert_eq!(b.wait("k"), None);
        assert_eq!(Backoff::delay(40), Some(Backoff::CAP));
    }

    #[test]
    fn allows_up_to_the_limit_per_key() {
        let l = RateLimiter::new(600);
        assert!((0..3).all(|_| l.allow("a", 3)));
        assert!(!l.allow("a", 3));
        assert!(l.allow("b", 3));
    }

    #[test]
    fn a_refused_attempt_says_how_long_to_wait() {
        let l = RateLimiter::new(600);
        assert_eq!(l.wait("a", 1), None);
        let wait = l.wait("a", 1).expect("refused");
        assert!((1..=600).contains(&wait), "{wait}");
    }
}
