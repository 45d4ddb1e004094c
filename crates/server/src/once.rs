//! What a page shows only once after a form — a new agent's sign-in link, a new API token —
//! kept in memory between the form's `303 See Other` and the page it leads to, so that those
//! forms follow post/redirect/get too: a reload of the page shows the notice no more and
//! creates nothing.
//!
//! The form puts the secret here and sets an HttpOnly cookie ([`COOKIE`], five minutes) with
//! a random id; the page takes it out (the first read removes it) for the same agent only, and
//! clears the cookie. Never written to disk or the database; a restart in between loses it,
//! which the page answers as it would a reload (the link or token can be made again).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use domain::AgentId;

/// The cookie naming what to show.
pub const COOKIE: &str = "wd_once";
/// How long a secret waits for its page.
pub const TTL: Duration = Duration::from_secs(300);
const MAX: usize = 1024;

/// A notice and the secret that goes with it.
#[derive(Clone)]
pub struct Shown {
    pub notice: String,
    pub secret: String,
}

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shown").finish_non_exhaustive()
    }
}

/// The secrets waiting for their page.
#[derive(Debug, Default)]
pub struct OneTime(Mutex<HashMap<String, (Instant, AgentId, Shown)>>);

impl OneTime {
    /// Keeps `shown` for `owner`; returns the cookie's value (`None` without randomness).
    pub fn put(&self, owner: AgentId, shown: Shown) -> Option<String> {
        let id = crate::auth::new_token().ok()?;
        let mut m = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        m.retain(|_, (at, _, _)| now.duration_since(*at) < TTL);
        if m.len() >= MAX {
            // Bounded: under a flood the oldest go first.
            if let Some(oldest) = m.iter().min_by_key(|(_, v)| v.0).map(|(k, _)| k.clone()) {
                m.remove(&oldest);
            }
        }
        m.insert(id.clone(), (now, owner, shown));
        Some(id)
    }

    /// Takes what `id` names, if it is `owner`'s and still fresh; a second call finds nothing.
    pub fn take(&self, id: &str, owner: AgentId) -> Option<Shown> {
        let mut m = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match m.get(id) {
            Some((at, who, _)) if *who == owner && at.elapsed() < TTL => {
                m.remove(id).map(|(_, _, s)| s)
            }
            _ => None,
        }
    }
}

/// `303 See Other` to `path?done=<done>`, the page that will show `shown` once.
pub fn redirect_showing(
    state: &crate::AppState,
    owner: AgentId,
    path: &str,
    done: &str,
    shown: Shown,
) -> axum::response::Response {
    let mut resp = crate::web::see_other(path, done);
    if let Some(id) = state.once.put(owner, shown) {
        let secs = i64::try_from(TTL.as_secs()).unwrap_or(300);
        resp.headers_mut().append(
            axum::http::header::SET_COOKIE,
            crate::web::set_cookie(COOKIE, &id, secs, state.config.secure_cookies, true),
        );
    }
    resp
}

/// What the request's cookie names for `owner`, taken out (see [`OneTime::take`]).
#[must_use]
pub fn take(
    state: &crate::AppState,
    headers: &axum::http::HeaderMap,
    owner: AgentId,
) -> Option<Shown> {
    crate::web::our_cookie(headers, COOKIE, state.config.secure_cookies)
        .and_then(|id| state.once.take(id, owner))
}

/// Clears the cookie on the page that showed (or would have shown) the secret.
pub fn clear_cookie(state: &crate::AppState, resp: &mut axum::response::Response) {
    resp.headers_mut().append(
        axum::http::header::SET_COOKIE,
        crate::web::set_cookie(COOKIE, "", 0, state.config.secure_cookies, true),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_once_to_its_owner_only() {
        let once = OneTime::default();
        let shown = Shown {
            notice: "made".into(),
            secret: "s3cret".into(),
        };
        let id = once.put(AgentId(1), shown).unwrap();
        assert!(once.take(&id, AgentId(2)).is_none(), "another agent");
        assert_eq!(once.take(&id, AgentId(1)).unwrap().secret, "s3cret");
        assert!(once.take(&id, AgentId(1)).is_none(), "a second read");
        assert!(!format!("{once:?}").contains("s3cret"));
    }
}
