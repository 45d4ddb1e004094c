//! Proving an address by a signed message: `POST /api/v1/signatures/verify`, and the ticket
//! page's challenge → signature → "Address ownership verified" flow. Signatures are made here
//! with k256 and ed25519-dalek, as a wallet makes them (EIP-191 `personal_sign`, Solana
//! `signMessage`).

use k256::ecdsa::SigningKey;
use serde_json::{Value, json};
use sha3::Digest as _;

use crate::helpers::TestApp;

const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

fn vector(file: &str, name: &str) -> Value {
    let path = format!(
        "{}/../ownership/tests/vectors/generated/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("test setup"))
        .expect("test setup");
    doc["cases"]
        .as_array()
        .expect("test setup")
        .iter()
        .find(|c| c["name"] == name)
        .expect("test setup")
        .clone()
}

fn keccak(data: &[u8]) -> [u8; 32] {
    sha3::Keccak256::digest(data).into()
}

/// An EVM wallet: its key and its address (lower case, as some wallets show it).
fn evm_wallet(seed: u8) -> (SigningKey, String) {
    let key = SigningKey::from_slice(&[seed; 32]).expect("test setup");
    let point = key.verifying_key().to_encoded_point(false);
    let hash = keccak(&point.as_bytes()[1..]);
    let hex: String = hash[12..].iter().map(|b| format!("{b:02x}")).collect();
    (key, format!("0x{hex}"))
}

/// `personal_sign`: 65 bytes `r‖s‖v` in hex.
fn personal_sign(key: &SigningKey, text: &str) -> String {
    let mut data = format!("\x19Ethereum Signed Message:\n{}", text.len()).into_bytes();
    data.extend_from_slice(text.as_bytes());
    let (sig, recid) = key
        .sign_prehash_recoverable(&keccak(&data))
        .expect("test setup");
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    format!(
        "0x{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

fn unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text to sign, as the page shows it.
fn challenge_text(html: &str) -> String {
    let start = html
        .find("<code id=\"prove-text\">")
        .expect("challenge shown")
        + 22;
    let end = start + html[start..].find("</code>").expect("test setup");
    unescape(&html[start..end])
}

async fn ticket_with_address(app: &TestApp, chain: &str, address: &str) -> (i64, String) {
    let r = app
        .post_json(
            "/api/v1/tickets",
            &json!({"email": "owner@example.com", "category": "other", "subject": "is this my address",
                    "body": "I want to prove it.", "chain": chain, "address": address}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.expect("test setup"));
    let j: Value = r.json().await.expect("test setup");
    let path = j["access_url"]
        .as_str()
        .expect("test setup")
        .strip_prefix(&app.base)
        .expect("test setup")
        .to_owned();
    (j["id"].as_i64().expect("test setup"), path)
}

/// Starts a challenge from the ticket page and returns its text.
async fn start(app: &TestApp, path: &str) -> String {
    let r = app
        .post_form(&app.client, &format!("{path}/prove/start"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().expect("test setup"),
        format!("{path}#prove")
    );
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200);
    challenge_text(&html)
}

async fn prove(app: &TestApp, path: &str, signature: &str) -> reqwest::Response {
    app.post_form(
        &app.client,
        &format!("{path}/prove"),
        &[("signature", signature)],
    )
    .await
}

#[tokio::test]
async fn api_answers_valid_invalid_and_bad_input_apart() {
    let app = TestApp::spawn().await;
    let case = vector("bitcoin.json", "bip322 simple p2tr");
    let body = |signature: &str, message: &str| json!({"address": case["address"], "message": message, "signature": signature});
    let msg = case["message"].as_str().unwrap();
    let sig = case["signature"].as_str().unwrap();

    let r = app
        .post_json("/api/v1/signatures/verify", &body(sig, msg))
        .await;
    assert_eq!(r.status(), 200);
    let j: Value = r.json().await.unwrap();
    assert_eq!(
        j,
        json!({"valid": true, "method": "bip322_simple", "reason": "ok"})
    );

    let r = app
        .post_json("/api/v1/signatures/verify", &body(sig, &format!("{msg}.")))
        .await;
    assert_eq!(r.status(), 200);
    let j: Value = r.json().await.unwrap();
    assert_eq!(
        j,
        json!({"valid": false, "method": "bip322_simple", "reason": "signature_invalid"})
    );

    for (signature, address, code) in [
        (
            "@@not base64@@",
            case["address"].as_str().unwrap(),
            "signature_malformed",
        ),
        ("", case["address"].as_str().unwrap(), "signature_empty"),
        (sig, "bc1qnotanaddress", "address_invalid"),
    ] {
        let r = app
            .post_json(
                "/api/v1/signatures/verify",
                &json!({"address": address, "message": msg, "signature": signature}),
            )
            .await;
        assert_eq!(r.status(), 400, "{code}");
        let j: Value = r.json().await.unwrap();
        assert_eq!(j["error"], code);
        assert!(j["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    // A phrase where the signature goes: refused as a secret, never echoed.
    let r = app
        .post_json("/api/v1/signatures/verify", &body(PHRASE, msg))
        .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("query_contains_secret"), "{text}");
    assert!(!text.contains("sausage"));

    // Unknown fields and oversized messages are refused, not ignored.
    let r = app
        .post_json(
            "/api/v1/signatures/verify",
            &json!({"address": "x", "message": "m", "signature": "s", "private_key": "no"}),
        )
        .await;
    assert_eq!(r.status(), 400);
    let big = "a".repeat(9 * 1024);
    let r = app
        .post_json("/api/v1/signatures/verify", &body(sig, &big))
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "value_too_long");

    // SIWE with the checks the API takes.
    let siwe = vector("evm.json", "siwe desk challenge");
    let r = app
        .post_json(
            "/api/v1/signatures/verify",
            &json!({"address": siwe["address"], "message": siwe["message"], "signature": siwe["signature"],
                    "domain": "help.example.org"}),
        )
        .await;
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["reason"], "domain_mismatch");
}

#[tokio::test]
async fn the_endpoint_is_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.get_text("/api/openapi.json").await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let op = &doc["paths"]["/api/v1/signatures/verify"]["post"];
    assert_eq!(op["tags"][0], "ownership");
    for status in ["200", "400", "422", "429"] {
        assert!(op["responses"][status].is_object(), "{status}");
    }
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["SignatureIn"]["properties"]["signature"].is_object());
    assert!(schemas["SignatureOut"]["properties"]["reason"].is_object());
    // Its own names: "is this really us?" keeps `VerifyIn` (one name, one schema).
    assert!(schemas["VerifyIn"]["properties"]["value"].is_object());
}

#[tokio::test]
async fn a_user_proves_an_evm_address_once_and_the_agent_sees_it() {
    let app = TestApp::spawn().await;
    let (key, address) = evm_wallet(7);
    let (id, path) = ticket_with_address(&app, "ethereum", &address).await;

    let (_, html) = app.get_text(&path).await;
    assert!(html.contains("Prove you own this address"), "{html}");
    assert!(html.contains("/prove/start"));
    assert!(
        !html.contains("prove-text"),
        "no challenge before the user asks"
    );

    let text = start(&app, &path).await;
    assert!(
        text.contains("wants you to sign in with your Ethereum account:"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Resources:\n- urn:walletdesk:ticket:{id}")),
        "{text}"
    );
    assert!(text.contains("Signing moves no funds"));
    let (_, html) = app.get_text(&path).await;
    assert!(html.contains("/static/prove.js"));
    assert!(html.contains("Sign with my browser wallet"));

    // Signed by another key: refused with the reason, the signature kept in the box.
    let (other, _) = evm_wallet(9);
    let wrong = personal_sign(&other, &text);
    let r = prove(&app, &path, &wrong).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("The signature does not prove this address."),
        "{html}"
    );
    assert!(html.contains("made by another key"));
    assert!(
        html.contains(&wrong),
        "the signature is kept for another try"
    );

    let r = prove(&app, &path, &personal_sign(&key, &text)).await;
    assert_eq!(
        TestApp::see_other(&r),
        format!("{path}?done=address_proved")
    );
    let (_, html) = app.get_text(&format!("{path}?done=address_proved")).await;
    assert!(html.contains("your signature proves that you own this address"));
    assert!(html.contains("Address ownership verified"));
    assert!(html.contains("Sign-In with Ethereum (EIP-4361)"));
    assert!(!html.contains("prove-text"), "nothing left to sign");

    // Single use: the same signature again finds no open challenge.
    let r = prove(&app, &path, &personal_sign(&key, &text)).await;
    assert_eq!(r.status(), 422);

    // The agent's view and the audit log.
    let agent = app
        .create_agent("proof-agent@example.com", domain::Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let html = app.page_as(&client, &format!("/agent/tickets/{id}")).await;
    assert!(html.contains("Address ownership verified"), "{html}");
    assert!(html.contains("Sign-In with Ethereum (EIP-4361)"));
    let log = app.state.store.audit_log(20, 0).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "ticket.address_proved")
        .expect("audit entry");
    assert_eq!(entry.target.as_deref(), Some(id.to_string().as_str()));
    assert!(entry.detail.contains("method siwe"), "{}", entry.detail);
}

#[tokio::test]
async fn a_solana_signature_is_accepted_though_it_has_a_secret_keys_shape() {
    use ed25519_dalek::Signer as _;
    let app = TestApp::spawn().await;
    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let address = bs58::encode(key.verifying_key().as_bytes()).into_string();
    let (_, path) = ticket_with_address(&app, "solana", &address).await;
    let client = TestApp::new_client();
    // In Chinese: the text's prose and the page.
    let csrf_page = client
        .get(app.url(&path))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csrf_page.contains("证明这个地址属于您"), "{csrf_page}");
    let csrf = crate::helpers::extract_csrf(&csrf_page).unwrap();
    let r = client
        .post(app.url(&format!("{path}/prove/start")))
        .header("accept-language", "zh-CN")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = client
        .get(app.url(&path))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let text = challenge_text(&html);
    assert!(text.contains("签名这段文字不会转移任何资金"), "{text}");
    assert!(text.contains(&format!("Address: {address}")));
    // Base58, 64 bytes: the same shape as a Solana secret key, which the redactor flags.
    let sig = bs58::encode(key.sign(text.as_bytes()).to_bytes()).into_string();
    assert!(server::query_guard::holds_secret(&sig));
    let r = client
        .post(app.url(&format!("{path}/prove")))
        .form(&[("csrf", csrf.as_str()), ("signature", sig.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        TestApp::see_other(&r),
        format!("{path}?done=address_proved")
    );
}

#[tokio::test]
async fn a_phrase_pasted_as_a_signature_is_refused_and_never_kept() {
    let app = TestApp::spawn().await;
    let (_, address) = evm_wallet(11);
    let (_, path) = ticket_with_address(&app, "ethereum", &address).await;
    start(&app, &path).await;
    let r = prove(&app, &path, PHRASE).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("looks like a recovery phrase or private key"),
        "{html}"
    );
    assert!(!html.contains("sausage"), "the phrase is not echoed");
    if crate::helpers::on_postgres() {
        return;
    }
    let dump = app.dump_database().await;
    assert!(!dump.contains("sausage"));
}

#[tokio::test]
async fn an_expired_challenge_asks_for_a_new_one() {
    let app = TestApp::spawn().await;
    let (key, address) = evm_wallet(12);
    let (_, path) = ticket_with_address(&app, "ethereum", &address).await;
    let now = app.state.now();
    app.state.clock.set(now);
    let text = start(&app, &path).await;
    app.state.clock.set(now.plus_minutes(16));
    let r = prove(&app, &path, &personal_sign(&key, &text)).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("has expired or was already used"), "{html}");
    // A new text can be signed.
    let text2 = start(&app, &path).await;
    assert_ne!(text, text2);
    let r = prove(&app, &path, &personal_sign(&key, &text2)).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn without_an_address_there_is_nothing_to_prove() {
    let app = TestApp::spawn().await;
    let (_, path) = app.create_ticket("no address", "hello").await;
    let (_, html) = app.get_text(&path).await;
    assert!(!html.contains("Prove you own this address"));
    let r = app
        .post_form(&app.client, &format!("{path}/prove/start"), &[])
        .await;
    assert_eq!(r.status(), 400);
    // Garbage instead of a signature, with no challenge: an answer, not a 500.
    let r = prove(&app, &path, "0x1234").await;
    assert!(r.status().is_client_error(), "{}", r.status());
}

#[tokio::test]
async fn signature_checks_are_limited_per_client() {
    let app = TestApp::spawn_with(|c| c.limits.verify_per_ip = 2).await;
    let case = vector("bitcoin.json", "bip322 simple p2tr");
    let body = json!({"address": case["address"], "message": case["message"], "signature": case["signature"]});
    for _ in 0..2 {
        assert_eq!(
            app.post_json("/api/v1/signatures/verify", &body)
                .await
                .status(),
            200
        );
    }
    let r = app.post_json("/api/v1/signatures/verify", &body).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
}
