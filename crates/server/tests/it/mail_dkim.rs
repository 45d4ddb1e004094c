//! DKIM for real: mail signed by the desk, delivered through the outbox to aiosmtpd
//! (`mail_out::Sink`), verified by an independent implementation — dkimpy
//! (`tests/smtp/dkim_verify.py`), installed by `scripts/test` next to aiosmtpd — with the
//! public key handed to it in place of DNS. RSA and Ed25519 (RFC 8463), both of which lettre
//! signs. A key the desk cannot sign with stops it at start-up.

use std::path::Path;
use std::process::Command;

use server::mail::config::{DkimSettings, MailConfig};
use server::mail::outbox::Mailer;

use crate::imap::base64_lines;
use crate::mail_out::{Sink, app_with, python, round, web_ticket};

fn b64(data: &[u8]) -> String {
    base64_lines(data).replace("\r\n", "")
}

/// A DKIM key pair: the private key file the desk reads and the TXT record DNS would hold.
struct Key {
    algorithm: &'static str,
    file: std::path::PathBuf,
    txt: String,
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl (scripts/test installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A fresh RSA key from openssl, in the PKCS#1 PEM the desk reads.
fn rsa_key(dir: &Path, name: &str) -> Key {
    let file = dir.join(format!("{name}.pem"));
    let path = file.to_str().expect("UTF-8 path");
    openssl(&["genrsa", "-traditional", "-out", path, "2048"]);
    let public = openssl(&["rsa", "-in", path, "-pubout", "-outform", "DER"]);
    Key {
        algorithm: "rsa",
        file,
        txt: format!("v=DKIM1; k=rsa; p={}", b64(&public)),
    }
}

/// An Ed25519 key from a seed: the seed's base64 is the key file, the public key the record.
fn ed25519_key(dir: &Path, name: &str, seed: [u8; 32]) -> Key {
    let file = dir.join(format!("{name}.seed"));
    std::fs::write(&file, format!("{}\n", b64(&seed))).expect("write the seed");
    let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
    Key {
        algorithm: "ed25519",
        file,
        txt: format!("v=DKIM1; k=ed25519; p={}", b64(public.as_bytes())),
    }
}

fn settings(key: &Key) -> DkimSettings {
    DkimSettings {
        selector: "desk2026".into(),
        domain: "lanternfish.example".into(),
        key_file: key.file.clone(),
        algorithm: key.algorithm.into(),
    }
}

/// dkimpy's verdict on a stored message, with `txt` as the selector's DNS record.
fn verify(python: &Path, message: &Path, txt: &str) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/dkim_verify.py");
    let out = Command::new(python)
        .arg(script)
        .arg(message)
        .args(["desk2026", "lanternfish.example", txt])
        .output()
        .expect("run dkim_verify.py");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("No module named"),
        "dkim_verify.py: {stderr} (scripts/test installs dkimpy into the aiosmtpd environment)"
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_owned()
}

/// Sends a Chinese and an English ticket's mail signed with `key`; dkimpy accepts both with
/// the right public key and refuses them with `other`'s, and refuses a changed body.
async fn signed_mail_verifies(key: &Key, other: &Key) {
    let Some(sink) = Sink::start() else { return };
    let python = python().expect("aiosmtpd's Python");
    let (app, mailer) = app_with(&sink, |m| m.dkim = Some(settings(key))).await;
    // Folded, encoded headers (a long Chinese subject) and both kinds of part.
    web_ticket(
        &app,
        "zh-CN",
        "wang@example.com",
        "转账一直没到账，已经等了两天，交易哈希在下面，请帮我看看是不是卡住了",
    )
    .await;
    web_ticket(&app, "en", "ann@example.com", "Swap stuck").await;
    assert_eq!(round(&app, &mailer).await.sent, 2);
    let files = sink.files();
    assert_eq!(files.len(), 2);
    for file in &files {
        let raw = std::fs::read_to_string(file).expect("read");
        let sig = raw
            .lines()
            .find(|l| l.starts_with("DKIM-Signature:"))
            .unwrap_or_else(|| panic!("no DKIM-Signature in {raw}"));
        assert!(
            sig.contains(&format!("a={}-sha256", key.algorithm)),
            "{sig}"
        );
        assert_eq!(verify(&python, file, &key.txt), "pass", "{raw}");
        let wrong = verify(&python, file, &other.txt);
        assert!(wrong.starts_with("fail"), "another key verified: {wrong}");
        // One changed byte of the body breaks it.
        let tampered = file.with_extension("tampered");
        let (head, body) = raw.split_once("\r\n\r\n").expect("head and body");
        let body = body.replacen('A', "B", 1);
        std::fs::write(&tampered, format!("{head}\r\n\r\n{body}")).expect("write");
        assert!(verify(&python, &tampered, &key.txt).starts_with("fail"));
    }
}

#[tokio::test]
async fn rsa_signed_mail_verifies_with_dkimpy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = rsa_key(dir.path(), "desk");
    let other = rsa_key(dir.path(), "other");
    signed_mail_verifies(&key, &other).await;
}

#[tokio::test]
async fn ed25519_signed_mail_verifies_with_dkimpy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = ed25519_key(dir.path(), "desk", [7; 32]);
    let other = ed25519_key(dir.path(), "other", [8; 32]);
    signed_mail_verifies(&key, &other).await;
}

/// A key the desk cannot sign with is a start-up error naming the file and what was expected —
/// never a desk that sends unsigned mail. (`serve` makes its `Mailer` before it sends anything.)
#[tokio::test]
async fn a_key_that_cannot_sign_is_a_clear_start_up_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rsa = rsa_key(dir.path(), "rsa");
    let ed = ed25519_key(dir.path(), "ed", [9; 32]);
    let pkcs8 = dir.path().join("pkcs8.pem");
    openssl(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        rsa.file.to_str().expect("path"),
        "-out",
        pkcs8.to_str().expect("path"),
    ]);
    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, "not a key\n").expect("write");
    let config = |file: &Path, algorithm: &str| MailConfig {
        smtp_url: "smtp://127.0.0.1:2525".into(),
        from: "support@lanternfish.example".into(),
        dkim: Some(DkimSettings {
            key_file: file.to_owned(),
            algorithm: algorithm.into(),
            ..settings(&rsa)
        }),
        ..MailConfig::default()
    };
    assert!(Mailer::new(&config(&rsa.file, "rsa")).is_ok());
    assert!(Mailer::new(&config(&ed.file, "ed25519")).is_ok());
    for (file, algorithm, says) in [
        (dir.path().join("missing.pem"), "rsa", "missing.pem"),
        (garbage.clone(), "rsa", "BEGIN RSA PRIVATE KEY"),
        (garbage, "ed25519", "Ed25519 seed"),
        (pkcs8, "rsa", "openssl rsa -traditional"),
        (ed.file.clone(), "rsa", "PKCS#1"),
        (rsa.file.clone(), "ed25519", "Ed25519 seed"),
    ] {
        let err = Mailer::new(&config(&file, algorithm)).expect_err("refused");
        assert!(err.starts_with("mail.dkim.key_file "), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}
