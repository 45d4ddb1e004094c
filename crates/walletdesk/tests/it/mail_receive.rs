//! `walletdesk mail receive`: one message on stdin per process, as a Postfix pipe runs it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn receive(data: &Path, stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(["mail", "receive", "--data-dir"])
        .arg(data)
        .env("WALLETDESK_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON line: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../mail/tests/corpus/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn every_file(dir: &Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            every_file(&p, out);
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
}

fn holds(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_gbk_mail_with_a_phrase_becomes_a_ticket_and_the_phrase_is_in_no_file_and_no_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let raw = corpus("qq-gbk-base64.eml");
    let out = receive(&data, &raw);
    let v = json(&out);
    assert_eq!(v["created"], true);
    assert!(v["ticket_id"].as_i64().unwrap() > 0);
    assert!(v["secrets_removed"].as_u64().unwrap() >= 1, "{v}");

    let b64_line = String::from_utf8_lossy(&raw)
        .lines()
        .find(|l| l.len() > 60 && !l.contains(':'))
        .unwrap()
        .to_owned();
    let mut all = Vec::new();
    every_file(&data, &mut all);
    all.push(("stderr".into(), out.stderr.clone()));
    all.push(("stdout".into(), out.stdout.clone()));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("inbound mail taken"),
        "the log says what happened: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (path, bytes) in &all {
        // The phrase's words are ASCII: the same bytes in GBK and UTF-8.
        for needle in [
            "ability able about".as_bytes(),
            "absorb abstract absurd".as_bytes(),
            b64_line.as_bytes(),
        ] {
            assert!(
                !holds(bytes, needle),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
}

#[test]
fn replies_thread_per_process_and_a_spoof_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = json(&receive(
        &data,
        b"From: erin@example.com\r\nTo: support@desk.example\r\nSubject: Lost access\r\nMessage-ID: <e1@example.com>\r\n\r\nI cannot sign in.\r\n",
    ));
    let id = first["ticket_id"].as_i64().unwrap();
    let reply = json(&receive(
        &data,
        b"From: erin@example.com\r\nTo: support@desk.example\r\nSubject: Re: Lost access\r\nMessage-ID: <e2@example.com>\r\nIn-Reply-To: <e1@example.com>\r\n\r\nStill locked out.\r\n",
    ));
    assert_eq!(reply["ticket_id"].as_i64(), Some(id));
    assert_eq!(reply["created"], false);
    let spoof = json(&receive(
        &data,
        format!("From: erin@evil.example\r\nTo: support@desk.example\r\nSubject: Re: [Ticket #{id}]\r\nIn-Reply-To: <e1@example.com>\r\n\r\nIt is me.\r\n").as_bytes(),
    ));
    assert_eq!(spoof["created"], true);
    assert_ne!(spoof["ticket_id"].as_i64(), Some(id));
    let auto = json(&receive(&data, &corpus("out-of-office.eml")));
    assert_eq!(auto["ticket_id"], serde_json::Value::Null);
    assert_eq!(auto["class"], "auto_reply");
}

#[test]
fn input_it_cannot_take_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (input, says) in [
        (&b""[..], "empty"),
        (&b"hello, this is not a mail"[..], "not an e-mail"),
        (&b"Subject: x\r\n\r\nno sender"[..], "no valid sender"),
    ] {
        let out = receive(&data, input);
        assert_eq!(out.status.code(), Some(2), "{says}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        let last = err.lines().last().unwrap();
        assert!(
            last.starts_with("walletdesk: ") && last.contains(says),
            "{err}"
        );
    }
    let big = vec![b'x'; 25 * 1024 * 1024 + 1];
    let out = receive(&data, &big);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than the 26214400-byte limit"));
}
