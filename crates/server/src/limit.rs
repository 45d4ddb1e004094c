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
            return false;
        }
        entry.1 += 1;
        true
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
}
