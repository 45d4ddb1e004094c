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

#[cfg(test)]
mod tests {
    use super::*;

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
