//! The command-line contract: exit codes, output shapes, and that secrets never come out.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The binary may stop reading early (input too large): a broken pipe is expected then.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

#[test]
fn redact_removes_a_phrase_and_keeps_the_rest() {
    let text = format!("My wallet won't restore. Words: {PHRASE}\nThanks!");
    let out = run(&["redact"], text.as_bytes());
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("sausage"), "{stdout}");
    assert!(stdout.starts_with("My wallet won't restore."));
    assert!(stdout.contains("[recovery phrase removed: 12 words]"));
    assert!(stdout.ends_with("\nThanks!"));
}

#[test]
fn input_that_is_not_utf8_is_a_usage_error_naming_the_byte() {
    for args in [&["redact"][..], &["check-mnemonic"][..]] {
        let out = run(
            args,
            "助记词 abc\u{0}"
                .as_bytes()
                .iter()
                .copied()
                .chain([0xff, b'x'])
                .collect::<Vec<u8>>()
                .as_slice(),
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("not valid UTF-8 (at byte 14)"),
            "{args:?}: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing half-done on stdout"
        );
    }
    // Chinese, Korean and emoji of every length are text, not an error.
    let text = "钱包 지갑 👛 ".repeat(1_000);
    let out = run(&["redact"], text.as_bytes());
    assert!(out.status.success());
    assert_eq!(out.stdout, text.as_bytes());
}

#[test]
fn redact_json_describes_findings_without_the_secret() {
    let text = format!("助记词：{PHRASE}");
    let out = run(&["redact", "--json"], text.as_bytes());
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("legal"), "{stdout}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    let f = &lines[0];
    assert_eq!(f["kind"], "recovery_phrase");
    assert_eq!(f["language"], "english");
    assert_eq!(f["words"], 12);
    assert_eq!(f["checksum_valid"], true);
    let (start, end) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
    assert_eq!(
        &text[usize::try_from(start).unwrap()..usize::try_from(end).unwrap()],
        PHRASE
    );
    assert!(f["confidence"].as_f64().unwrap() > 0.8);
}

#[test]
fn invalid_utf8_is_exit_2_with_one_line() {
    let out = run(&["redact"], b"abc \xff\xfe");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("UTF-8"));
    assert!(out.stdout.is_empty());
}

#[test]
fn oversized_input_is_exit_2() {
    let big = vec![b'a'; wallet::MAX_INPUT_BYTES + 10];
    let out = run(&["redact"], &big);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn identify_json_has_one_object_per_token() {
    let out = run(
        &[
            "identify",
            "--json",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
            "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
        ],
        b"",
    );
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let btc = &lines[0]["candidates"][0];
    assert_eq!(btc["chain"], "bitcoin");
    assert_eq!(btc["kind"], "p2wpkh");
    assert_eq!(btc["valid"], true);
    let evm = &lines[1]["candidates"][0];
    assert_eq!(evm["valid"], false);
    assert_eq!(evm["reason_code"], "bad_checksum");
    let kinds: Vec<&str> = lines[2]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"bitcoin_txid") && kinds.contains(&"evm_tx_hash"),
        "{kinds:?}"
    );
}

#[test]
fn identify_without_tokens_is_a_usage_error() {
    let out = run(&["identify"], b"");
    assert_eq!(out.status.code(), Some(2));
}

/// `PHRASE` with its second word misspelled.
const MISSPELLED: &str =
    "legal winer thank year wave sausage worth useful legal winner thank yellow";

#[test]
fn check_mnemonic_json_reports_a_misspelled_word() {
    let out = run(&["check-mnemonic", "--json"], MISSPELLED.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["word_count"], 12);
    assert_eq!(r["valid_word_count"], true);
    assert_eq!(r["language"], "english");
    assert_eq!(r["checksum_valid"], serde_json::Value::Null);
    let unknown = r["unknown_words"].as_array().unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["position"], 2);
    assert_eq!(unknown[0]["word"], "winer");
    assert_eq!(unknown[0]["suggestions"][0], "winner");
    // With one unknown word, corrections are at its position, the likeliest first.
    let corrections = r["corrections"].as_array().unwrap();
    assert_eq!(corrections[0]["position"], 2);
    assert_eq!(corrections[0]["word"], "winer");
    assert_eq!(corrections[0]["replacement"], "winner");
    assert!(corrections.iter().all(|c| c["position"] == 2));
    for empty in ["swaps", "missing", "extra", "other_language_words"] {
        assert_eq!(r[empty], serde_json::json!([]), "{empty}");
    }
    assert_eq!(r["missing_total"], 0);
}

#[test]
fn check_mnemonic_json_reports_a_swap_and_the_valid_phrase_is_valid() {
    let swapped = PHRASE.replace("thank yellow", "yellow thank");
    let out = run(&["check-mnemonic", "--json"], swapped.as_bytes());
    assert!(out.status.success());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["checksum_valid"], false);
    assert_eq!(
        r["swaps"],
        serde_json::json!([{"positions": [11, 12], "words": ["yellow", "thank"]}])
    );
    let out = run(&["check-mnemonic", "--json"], PHRASE.as_bytes());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["checksum_valid"], true);
    assert_eq!(r["corrections"], serde_json::json!([]));
}

#[test]
fn check_mnemonic_text_report_is_short_english() {
    let out = run(&["check-mnemonic"], MISSPELLED.as_bytes());
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("Words: 12 (a valid length).\nWordlist: english.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Word 2 \"winer\" is not in the list; did you mean: winner"),
        "{stdout}"
    );
    assert!(stdout.lines().count() < 20, "{stdout}");
}

#[test]
fn check_mnemonic_bad_input_is_exit_2_with_one_line() {
    for input in [&b""[..], b" \n 1. 2. \n", b"legal \xff\xfe winner"] {
        let out = run(&["check-mnemonic", "--json"], input);
        assert_eq!(out.status.code(), Some(2), "{input:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = run(&["check-mnemonic"], b"abc \xff");
    assert!(String::from_utf8(out.stderr).unwrap().contains("UTF-8"));
    let out = run(&["check-mnemonic"], "abandon ".repeat(600).as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("limit"));
}

#[test]
fn offline_check_writes_the_published_file_and_prints_its_digest() {
    use sha2::{Digest, Sha256};
    let dir = std::env::temp_dir().join(format!("walletdesk-offline-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("offline.html");
    let out = run(&["offline-check", "--out", path.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{hex}  {}\n", path.display()),
        "the printed line is `sha256sum` format"
    );
    // The same digest the repository publishes for the served file.
    let published = include_str!("../../../server/offline-check.sha256");
    assert!(published.starts_with(&format!("{hex}  ")), "{published}");

    // A directory that does not exist: a clear error, exit status 2.
    let out = run(&["offline-check", "--out", "/nonexistent-dir/x.html"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("walletdesk: cannot write /nonexistent-dir/x.html")
    );
}

/// A case from the ownership crate's library-generated vectors.
fn signing_case(file: &str, name: &str) -> (String, String, String) {
    let path = format!(
        "{}/../ownership/tests/vectors/generated/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
        .clone();
    let s = |k: &str| case[k].as_str().unwrap().to_owned();
    (s("address"), s("message"), s("signature"))
}

fn verify_args<'a>(address: &'a str, message: &'a str, signature: &'a str) -> Vec<&'a str> {
    vec![
        "verify-signature",
        "--address",
        address,
        "--message",
        message,
        "--signature",
        signature,
    ]
}

#[test]
fn verify_signature_valid_exits_0_with_the_json_shape() {
    for (file, name, method) in [
        ("bitcoin.json", "bip322 simple p2tr", "bip322_simple"),
        ("bitcoin.json", "bip137 p2wpkh (39-42, Trezor)", "bip137"),
        ("evm.json", "eip191 \"Hello from walletdesk\"", "eip191"),
        ("tron.json", "tron plain text", "tron_sign_message_v2"),
    ] {
        let (a, m, s) = signing_case(file, name);
        let mut args = verify_args(&a, &m, &s);
        args.push("--json");
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"valid": true, "method": method, "reason": "ok"}),
            "{name}"
        );
    }
}

#[test]
fn verify_signature_invalid_exits_1_and_bad_input_exits_2() {
    let (a, m, s) = signing_case("bitcoin.json", "bip322 simple p2wpkh");
    let altered = format!("{m}!");
    let mut args = verify_args(&a, &altered, &s);
    args.push("--json");
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"valid": false, "method": "bip322_simple", "reason": "signature_invalid"})
    );

    // The human line says what failed.
    let out = run(&verify_args(&a, &altered, &s), b"");
    assert_eq!(out.status.code(), Some(1));
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.starts_with("invalid (signature_invalid):"), "{line}");

    // Not a signature: exit 2, the code in JSON, a sentence on stderr.
    let mut args = verify_args(&a, &m, "definitely not base64!");
    args.push("--json");
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["method"], serde_json::Value::Null);
    assert_eq!(v["reason"], "signature_malformed");
    assert!(!out.stderr.is_empty());

    // Not an address.
    let out = run(&verify_args("bc1qnotanaddress", &m, &s), b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("address"), "{err}");
}

#[test]
fn verify_signature_reads_a_multi_line_message_from_stdin() {
    let (a, m, s) = signing_case("solana.json", "solana challenge zh base58");
    let mut args = verify_args(&a, "-", &s);
    args.extend(["--at", "2026-01-01T00:05:00Z"]);
    let out = run(&args, m.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(
        line.starts_with("valid: Solana signMessage (ed25519) proves "),
        "{line}"
    );
    // The challenge's nonce is checked when given.
    let mut args = verify_args(&a, "-", &s);
    args.extend(["--at", "2026-01-01T00:05:00Z", "--nonce", "zzzzzzzzzzzz"]);
    let out = run(&args, m.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    // Now (after 2026-01-01T00:15:00Z) the challenge has expired.
    let mut args = verify_args(&a, "-", &s);
    args.push("--json");
    let out = run(&args, m.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reason"], "expired");
    let mut args = verify_args(&a, "-", &s);
    args.extend(["--at", "yesterday"]);
    assert_eq!(run(&args, m.as_bytes()).status.code(), Some(2));
}
