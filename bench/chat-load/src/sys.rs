//! What the bench reads from the operating system: the open-files limit, a process's resident
//! memory and CPU time, the load average.

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// Raises this process's soft open-files limit to its hard limit (children started afterwards
/// inherit it: the server needs one descriptor per connection too). Returns (before, after).
#[must_use]
pub fn raise_open_files() -> (u64, u64) {
    let l = getrlimit(Resource::Nofile);
    let before = l.current.unwrap_or(u64::MAX);
    let Some(hard) = l.maximum else {
        // Unlimited hard limit: ask for a generous soft one.
        let want = 1 << 20;
        let ok = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(want),
                maximum: None,
            },
        )
        .is_ok();
        return (before, if ok { want } else { before });
    };
    if before >= hard {
        return (before, before);
    }
    let ok = setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(hard),
            maximum: Some(hard),
        },
    )
    .is_ok();
    (before, if ok { hard } else { before })
}

fn status_kib(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resident memory (`VmRSS`) of `pid`, in KiB.
#[must_use]
pub fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// Peak resident memory (`VmHWM`) of `pid`, in KiB.
#[must_use]
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM:")
}

/// User + system CPU time of `pid`, in seconds (`/proc/<pid>/stat`, fields 14 and 15).
#[must_use]
pub fn cpu_secs(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields after its ')' are plain.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): utime is field 14, stime 15.
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    let tick = rustix::param::clock_ticks_per_second();
    #[expect(
        clippy::cast_precision_loss,
        reason = "clock ticks of a bench run fit an f64 exactly"
    )]
    Some((utime + stime) as f64 / tick as f64)
}

/// The 1-, 5- and 15-minute load averages as `/proc/loadavg` writes them.
#[must_use]
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_cpu_time() {
        let me = std::process::id();
        let rss = rss_kib(me).expect("VmRSS of a live process");
        assert!(rss > 0);
        assert!(peak_rss_kib(me).expect("VmHWM") >= rss);
        // Spin a little so the CPU time is not zero.
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        assert_ne!(std::hint::black_box(x), 1);
        assert!(cpu_secs(me).expect("stat") > 0.0);
        assert_eq!(rss_kib(u32::MAX), None, "no such process");
    }

    #[test]
    fn the_soft_limit_never_goes_down() {
        let before = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
        let (was, now) = raise_open_files();
        assert_eq!(was, before);
        assert!(now >= was);
        assert_eq!(getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX), now);
    }
}
