//! Integration tests of the `walletdesk-eval` binary.

#![expect(
    clippy::unwrap_used,
    reason = "a test that cannot set itself up should fail loudly"
)]

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_walletdesk-eval"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn eval_assistant_prints_the_figures() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/assistant_questions.jsonl"
    );
    let out = run(&["assistant", file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("questions: 4\n"), "{stdout}");
    for line in [
        "top-1 topic accuracy: ",
        "right article in top 3: ",
        "handoff rate: ",
        "by language:",
        "confusions (label -> predicted: count):",
    ] {
        assert!(stdout.contains(line), "{line} missing from {stdout}");
    }
    let pct = |prefix: &str| -> bool {
        stdout.lines().any(|l| {
            l.strip_prefix(prefix).is_some_and(|rest| {
                let (p, frac) = rest.trim().split_once("% (").unwrap();
                p.trim().parse::<f64>().is_ok() && frac.ends_with("/4)")
            })
        })
    };
    assert!(pct("top-1 topic accuracy: "));
    assert!(pct("handoff rate: "));
    assert!(stdout.contains("\nen "), "{stdout}");
    assert!(stdout.contains("\nzh "), "{stdout}");
}

#[test]
fn eval_assistant_without_the_file_is_a_usage_error() {
    let out = run(&["assistant", "/nonexistent/questions.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
}
