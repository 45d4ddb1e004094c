//! Latency percentiles from every sample (nearest rank; no histogram buckets, no averaging).

use std::time::Duration;

/// Percentiles of a set of latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub count: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// The nearest-rank `p`-th percentile (0 < p ≤ 100) of sorted `xs`.
fn rank(xs: &[Duration], p: f64) -> Duration {
    if xs.is_empty() {
        return Duration::ZERO;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a rank between 1 and the number of samples"
    )]
    let r = ((p / 100.0) * xs.len() as f64).ceil() as usize;
    xs[r.clamp(1, xs.len()) - 1]
}

impl Summary {
    /// Summarises `samples` (sorted in place).
    #[must_use]
    pub fn of(samples: &mut [Duration]) -> Summary {
        samples.sort_unstable();
        Summary {
            count: samples.len(),
            p50: rank(samples, 50.0),
            p90: rank(samples, 90.0),
            p99: rank(samples, 99.0),
            max: samples.last().copied().unwrap_or_default(),
        }
    }
}

/// Milliseconds with one decimal (`12.3`).
#[must_use]
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms_list(xs: &[u64]) -> Vec<Duration> {
        xs.iter().map(|x| Duration::from_millis(*x)).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        // 1..=100 ms: the p-th percentile is p ms.
        let mut xs = ms_list(&(1..=100).rev().collect::<Vec<_>>());
        let s = Summary::of(&mut xs);
        assert_eq!(s.count, 100);
        assert_eq!(s.p50, Duration::from_millis(50));
        assert_eq!(s.p90, Duration::from_millis(90));
        assert_eq!(s.p99, Duration::from_millis(99));
        assert_eq!(s.max, Duration::from_millis(100));
    }

    #[test]
    fn one_slow_sample_in_ten_is_the_p99_and_not_the_p50() {
        let mut xs = ms_list(&[1, 1, 1, 1, 1, 1, 1, 1, 1, 500]);
        let s = Summary::of(&mut xs);
        assert_eq!(s.p50, Duration::from_millis(1));
        assert_eq!(s.p90, Duration::from_millis(1));
        assert_eq!(s.p99, Duration::from_millis(500));
    }

    #[test]
    fn no_samples_is_zero_not_a_panic() {
        assert_eq!(Summary::of(&mut []), Summary::default());
        assert_eq!(ms(Duration::from_micros(12_345)), "12.3");
    }
}
