//! `Idempotency-Key` on the JSON API's `POST`s: a client that retries a request (a timeout, a
//! dropped connection) with the same key gets the first answer again — the same status and
//! body — and never a second ticket or reply.
//!
//! * The key is scoped to its **caller**: the API token (`Authorization`), or for the
//!   unauthenticated ticket door the client address. Two callers may use the same key.
//!   What is stored is SHA-256 of (caller, key): neither the token nor the key itself.
//! * The same key with a **different request** (method, path or body) is refused with
//!   `422 idempotency_key_reused`; a key whose first request is **still being answered** with
//!   `409 idempotency_key_in_flight` (retry later). A claim left unfinished for a minute (its
//!   server stopped) is taken over by the same request.
//! * Answers below 500 are kept for 24 hours ([`KEEP_HOURS`], purged by `jobs.rs`); a 5xx
//!   releases the key so the retry runs again.
//! * **No secret in the replay record.** The body is stored redacted like every text, and an
//!   access link in it (a new ticket's `access_url`) is replaced by [`LINK_PLACEHOLDER`]; the
//!   handler says which token and seed through the [`ReplayLink`] response extension, and a
//!   replay derives the token again from the seed with the link key in the data directory
//!   (`mail.rs`), as the outbox does. A database backup opens no ticket.
//!
//! The placeholder holds U+0001, which a JSON serialiser always escapes (`\u0001`), so no
//! answer's own text can contain it.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use store::{IdempotencyClaim, IdempotentReply};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// How long an answer is kept for replaying.
pub const KEEP_HOURS: i64 = 24;
/// After how long an unfinished claim counts as abandoned.
const STALE_SECS: i64 = 60;
/// The longest key accepted.
const MAX_KEY: usize = 255;
/// Stands for the access token in a stored body.
pub const LINK_PLACEHOLDER: &str = "\u{1}link\u{1}";

/// Put in a response's extensions by a handler whose body holds an access token: the token
/// and the seed it is derived from.
#[derive(Debug, Clone)]
pub struct ReplayLink {
    pub token: String,
    pub seed: String,
}

fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What a key is stored under: SHA-256 of the caller ([`caller`]'s form: `token:<sha-256 of
/// the Authorization header>` or `ip:<address>`) and the key.
#[must_use]
pub fn key_hash(caller: &str, key: &str) -> String {
    sha256_hex(&[caller.as_bytes(), key.as_bytes()])
}

/// What a request is recognised by: SHA-256 of its method, path with query, and body.
#[must_use]
pub fn request_hash(method: &str, target: &str, body: &[u8]) -> String {
    sha256_hex(&[method.as_bytes(), target.as_bytes(), body])
}

/// Who sent the request: the bearer token's hash, else the client address.
fn caller(req: &Request) -> String {
    if let Some(auth) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return format!("token:{}", sha256_hex(&[auth.trim().as_bytes()]));
    }
    req.extensions()
        .get::<crate::client::Client>()
        .map_or_else(|| "ip:unknown".to_owned(), |c| format!("ip:{}", c.key()))
}

fn refuse(code: ErrorCode, status: StatusCode, message: &str) -> Response {
    let mut resp = ApiError::bad_request(code, message).into_response();
    *resp.status_mut() = status;
    resp
}

/// Middleware for the API's `POST` routes; any other request passes through untouched.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    // A ticket's own actions need an agent (a token or a session): without any credentials the
    // handler answers 401, and a key must not be claimed (or refused as reused) first.
    if req.uri().path().starts_with("/api/v1/tickets/")
        && !req.headers().contains_key(header::AUTHORIZATION)
        && !req.headers().contains_key(header::COOKIE)
    {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.run(req).await;
    };
    let key = match key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= MAX_KEY && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => {
            return refuse(
                ErrorCode::IdempotencyKeyInvalid,
                StatusCode::BAD_REQUEST,
                "an Idempotency-Key is 1 to 255 visible ASCII characters",
            );
        }
    };
    let key_hash = key_hash(&caller(&req), &key);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, crate::router::MAX_BODY_BYTES).await else {
        return ApiError::PayloadTooLarge.into_response();
    };
    let target = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let request_hash = request_hash(parts.method.as_str(), target, &bytes);
    let now = state.now();
    let claim = state
        .store
        .claim_idempotency_key(
            &key_hash,
            &request_hash,
            now,
            now.plus_minutes(KEEP_HOURS * 60),
            domain::Timestamp(now.0 - STALE_SECS * 1000),
        )
        .await;
    match claim {
        Err(e) => ApiError::from(e).into_response(),
        Ok(IdempotencyClaim::Mismatch) => refuse(
            ErrorCode::IdempotencyKeyReused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "this Idempotency-Key was used for a different request; use a new key",
        ),
        Ok(IdempotencyClaim::InFlight) => refuse(
            ErrorCode::IdempotencyKeyInFlight,
            StatusCode::CONFLICT,
            "the first request with this Idempotency-Key is still being answered; retry shortly",
        ),
        Ok(IdempotencyClaim::Done(reply)) => replay(&state, &reply),
        Ok(IdempotencyClaim::Claimed) => {
            let resp = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            record(&state, &key_hash, resp).await
        }
    }
}

/// The stored answer, with the access link derived again from its seed.
fn replay(state: &AppState, reply: &IdempotentReply) -> Response {
    let mut body = reply.body.as_str().to_owned();
    if let Some(seed) = &reply.link_seed {
        body = body.replace(LINK_PLACEHOLDER, &state.link_key.token(seed));
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(REPLAYED, HeaderValue::from_static("true"));
    resp
}

/// Keeps the answer for replaying (a 5xx releases the key instead) and passes it on.
async fn record(state: &AppState, key_hash: &str, resp: Response) -> Response {
    let (parts, body) = resp.into_parts();
    if parts.status.is_server_error() {
        if let Err(e) = state.store.release_idempotency_key(key_hash).await {
            tracing::warn!(error = %e, "idempotency key not released");
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(body, crate::router::MAX_BODY_BYTES).await else {
        let _ = state.store.release_idempotency_key(key_hash).await;
        return ApiError::Internal("answer too large to keep".into()).into_response();
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let link = parts.extensions.get::<ReplayLink>();
    let stored = match link {
        Some(l) if !l.token.is_empty() => text.replace(&l.token, LINK_PLACEHOLDER),
        _ => text,
    };
    let reply = match domain::Redacted::new(&stored) {
        Ok((body, _)) => IdempotentReply {
            status: parts.status.as_u16(),
            body,
            link_seed: link.map(|l| l.seed.clone()),
        },
        Err(_) => {
            let _ = state.store.release_idempotency_key(key_hash).await;
            return Response::from_parts(parts, Body::from(bytes));
        }
    };
    if let Err(e) = state.store.finish_idempotency_key(key_hash, &reply).await {
        // The answer stands (the ticket exists); a retry then finds the key in flight until
        // the claim goes stale, and never makes a second ticket meanwhile.
        tracing::warn!(error = %e, "idempotent answer not kept");
    }
    Response::from_parts(parts, Body::from(bytes))
}
