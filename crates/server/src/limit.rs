//! Fixed-window rate limits in memory, keyed by what is limited (`sign_in:ip:…`,
//! `ticket:email:…`). Bounded: when the table grows past its cap, expired windows are dropped,
//! and if it is still full the oldest half goes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

#[cfg(test)]
mod tests {
    use super::*;

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
