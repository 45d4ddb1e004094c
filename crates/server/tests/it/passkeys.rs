//! Passkeys end to end over HTTP: adding one, signing in with it alone, using it as the second
//! factor and for step-up, a cloned authenticator (counter going backwards) refused and
//! audited, and an admin resetting another agent's factors.
//!
//! The authenticator is a stand-in written here ([`SoftKey`]), since no real one can run in a
//! test: a P-256 key that answers the desk's options as a platform authenticator would (client
//! data, authenticator data, a "none" attestation, ES256 signatures), with user verification.
//! The desk under test runs on `http://127.0.0.1:port`, so its relying party is `localhost`
//! with the same port (`auth::passkey::rp_for`), and the key answers for that origin.

use domain::{Role, Timestamp};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{PASSWORD, TestApp};

const T: Timestamp = Timestamp(1_796_111_873_000);

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn unb64url(text: &str) -> Vec<u8> {
    const A: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut buf, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.trim_end_matches('=').chars() {
        let v = A
            .find(c)
            .or_else(|| "+/".find(c).map(|i| 62 + i))
            .expect("base64");
        buf = (buf << 6) | u32::try_from(v).expect("small");
        bits += 6;
        if bits >= 8 {
            out.push(u8::try_from((buf >> (bits - 8)) & 0xff).expect("byte"));
            bits -= 8;
        }
    }
    out
}

/// A CBOR byte-string or text-string head (major type `major`) for `len` bytes.
fn cbor_head(major: u8, len: usize) -> Vec<u8> {
    let m = major << 5;
    match len {
        0..=23 => vec![m | u8::try_from(len).expect("small")],
        24..=255 => vec![m | 24, u8::try_from(len).expect("byte")],
        _ => {
            let l = u16::try_from(len).expect("short");
            vec![m | 25, (l >> 8) as u8, (l & 0xff) as u8]
        }
    }
}

fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    let mut out = cbor_head(2, b.len());
    out.extend_from_slice(b);
    out
}

fn cbor_text(s: &str) -> Vec<u8> {
    let mut out = cbor_head(3, s.len());
    out.extend_from_slice(s.as_bytes());
    out
}

/// A software platform authenticator holding one passkey (see the module doc).
struct SoftKey {
    key: SigningKey,
    cred_id: Vec<u8>,
    counter: u32,
    origin: String,
    rp_id: String,
    /// The user handle the desk gave at registration (returned when signing in).
    user: Vec<u8>,
}

impl SoftKey {
    fn new(app: &TestApp) -> SoftKey {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("random");
        let mut cred_id = vec![0u8; 32];
        getrandom::fill(&mut cred_id).expect("random");
        SoftKey {
            key: SigningKey::from_slice(&seed).expect("key"),
            cred_id,
            counter: 0,
            origin: format!("http://localhost:{}", app.addr.port()),
            rp_id: "localhost".into(),
            user: Vec::new(),
        }
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind,
            "challenge": challenge,
            "origin": self.origin,
            "crossOrigin": false,
        }))
        .expect("json")
    }

    fn auth_data(&mut self, flags: u8, attested: Option<&[u8]>) -> Vec<u8> {
        self.counter += 1;
        let mut d = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        d.push(flags);
        d.extend_from_slice(&self.counter.to_be_bytes());
        if let Some(a) = attested {
            d.extend_from_slice(a);
        }
        d
    }

    /// `navigator.credentials.create`: the JSON the page posts back.
    fn register(&mut self, options: &Value) -> Value {
        let pk = &options["publicKey"];
        assert_eq!(pk["rp"]["id"], self.rp_id, "the relying party is localhost");
        assert_eq!(
            pk["authenticatorSelection"]["residentKey"], "required",
            "a discoverable credential, for passkey-only sign-in"
        );
        assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
        self.user = unb64url(pk["user"]["id"].as_str().expect("user id"));
        let challenge = pk["challenge"].as_str().expect("challenge");
        let client_data = self.client_data("webauthn.create", challenge);
        let point = self.key.verifying_key().to_encoded_point(false);
        // COSE_Key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        cose.extend(cbor_bytes(point.x().expect("x")));
        cose.push(0x22);
        cose.extend(cbor_bytes(point.y().expect("y")));
        let mut attested = vec![0u8; 16]; // AAGUID
        attested.extend_from_slice(
            &u16::try_from(self.cred_id.len())
                .expect("short")
                .to_be_bytes(),
        );
        attested.extend_from_slice(&self.cred_id);
        attested.extend(cose);
        // UP | UV | AT
        let auth_data = self.auth_data(0x01 | 0x04 | 0x40, Some(&attested));
        let mut att = vec![0xa3];
        att.extend(cbor_text("fmt"));
        att.extend(cbor_text("none"));
        att.extend(cbor_text("attStmt"));
        att.push(0xa0);
        att.extend(cbor_text("authData"));
        att.extend(cbor_bytes(&auth_data));
        json!({
            "id": b64url(&self.cred_id),
            "rawId": b64url(&self.cred_id),
            "type": "public-key",
            "extensions": {},
            "response": {
                "attestationObject": b64url(&att),
                "clientDataJSON": b64url(&client_data),
            },
        })
    }

    /// `navigator.credentials.get` with user verification (`uv` false: presence only).
    fn assert_with(&mut self, options: &Value, uv: bool) -> Value {
        let pk = &options["publicKey"];
        let challenge = pk["challenge"].as_str().expect("challenge");
        let client_data = self.client_data("webauthn.get", challenge);
        let auth_data = self.auth_data(if uv { 0x05 } else { 0x01 }, None);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let sig: DerSignature = self.key.sign(&signed);
        json!({
            "id": b64url(&self.cred_id),
            "rawId": b64url(&self.cred_id),
            "type": "public-key",
            "extensions": {},
            "response": {
                "authenticatorData": b64url(&auth_data),
                "clientDataJSON": b64url(&client_data),
                "signature": b64url(sig.as_bytes()),
                "userHandle": b64url(&self.user),
            },
        })
    }

    fn assert(&mut self, options: &Value) -> Value {
        self.assert_with(options, true)
    }
}

/// POSTs JSON with the client's CSRF token in the header, as `passkey.js` does.
async fn post_json(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: &Value,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let csrf = app.csrf(client).await;
    let r = client
        .post(app.url(path))
        .header("x-csrf-token", csrf)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, body, headers)
}

fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Adds a passkey named `name` for the signed-in `client` (session fresh); returns the key.
async fn add_passkey(app: &TestApp, client: &reqwest::Client, name: &str) -> SoftKey {
    let r = app
        .post_form(client, "/agent/security/passkeys", &[("name", name)])
        .await;
    assert_eq!(TestApp::see_other(&r), "/agent/security?done=passkey_begun");
    let page = app.page_as(client, "/agent/security").await;
    assert!(
        page.contains(name) && !page.contains("{name}"),
        "the prompt names the passkey being made"
    );
    let options = page
        .split("id=\"passkey-register\" data-options=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page carries the browser's options");
    let options: Value = serde_json::from_str(&unescape(options)).expect("options JSON");
    let mut key = SoftKey::new(app);
    let credential = key.register(&options);
    let (status, body, _) = post_json(
        app,
        client,
        "/agent/security/passkeys/finish",
        &json!({ "credential": credential }),
    )
    .await;
    assert_eq!(
        (status, &body["redirect"]),
        (200, &json!("/agent/security?done=passkey_added")),
        "{body}"
    );
    key
}

/// Signs in with `key` alone from a fresh browser: the status, the body, and the browser.
async fn passkey_sign_in(app: &TestApp, key: &mut SoftKey) -> (u16, Value, reqwest::Client) {
    let browser = TestApp::new_client();
    let (status, begun, _) = post_json(app, &browser, "/agent/sign-in/passkey", &json!({})).await;
    assert_eq!(status, 200, "{begun}");
    assert_eq!(
        begun["options"]["publicKey"]["allowCredentials"],
        json!([]),
        "discoverable: the browser picks the passkey, nobody types an address"
    );
    assert_eq!(
        begun["options"]["publicKey"]["userVerification"],
        "required"
    );
    let credential = key.assert(&begun["options"]);
    let (status, body, _) = post_json(
        app,
        &browser,
        "/agent/sign-in/passkey/finish",
        &json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    (status, body, browser)
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    app.state
        .store
        .audit_log(200, 0)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

async fn status_of(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let r = client.get(app.url(path)).send().await.expect("GET");
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), loc)
}

#[tokio::test]
async fn a_passkey_is_added_listed_and_signs_in_alone_with_a_complete_session() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    // A name over 60 characters is refused and comes back in its box to shorten.
    let long = "My work laptop in the Shenzhen office, the one with the blue case";
    let r = app
        .post_form(&client, "/agent/security/passkeys", &[("name", long)])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("1 to 60 characters"), "{page}");
    assert!(
        page.contains(&format!("value=\"{long}\"")),
        "the name is kept"
    );
    let mut key = add_passkey(&app, &client, "Work laptop 工作电脑").await;

    let page = app.page_as(&client, "/agent/security").await;
    assert!(page.contains("Work laptop 工作电脑"), "listed by name");
    let stored = app.state.store.passkeys(agent.id).await.expect("passkeys");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].last_used_at, None);

    // The sign-in page offers it; signing in needs neither address nor password.
    let sign_in_page = app.get_text("/agent/sign-in").await.1;
    assert!(sign_in_page.contains("id=\"passkey-sign-in\""));
    assert!(sign_in_page.contains("/static/passkey.js"));
    app.state.clock.set(T.plus_minutes(1));
    let new_devices = |audit: &[(String, String)]| {
        audit
            .iter()
            .filter(|(a, _)| a == "sign_in.new_device")
            .count()
    };
    let before = new_devices(&audit_actions(&app).await);
    let (status, body, browser) = passkey_sign_in(&app, &mut key).await;
    assert_eq!(
        (status, &body["redirect"]),
        (200, &json!("/agent/desk")),
        "{body}"
    );
    // A browser this agent never used: audited and mailed, as after a password.
    assert_eq!(new_devices(&audit_actions(&app).await), before + 1);
    assert!(
        app.state
            .store
            .pending_mail(1000)
            .await
            .expect("outbox")
            .iter()
            .any(|m| m.kind == "new_device" && m.to.as_str() == "li@example.com"),
        "the new-device mail is queued"
    );
    // A complete session: the inbox opens, and step-up is fresh.
    assert_eq!(status_of(&app, &browser, "/agent").await.0, 200);
    let stored = app.state.store.passkeys(agent.id).await.expect("passkeys");
    assert_eq!(
        stored[0].last_used_at,
        Some(T.plus_minutes(1)),
        "use recorded"
    );
    assert!(
        stored[0].credential.contains("\"counter\":2"),
        "the counter stored: {}",
        stored[0].credential
    );
    let audit = audit_actions(&app).await;
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "sign_in" && d.contains("passkey")),
        "{audit:?}"
    );
    assert!(audit.iter().any(|(a, _)| a == "security.passkey_added"));
}

#[tokio::test]
async fn a_counter_going_backwards_is_refused_and_audited_and_ceremonies_are_used_once() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let mut key = add_passkey(&app, &client, "phone").await;
    let (status, _, _) = passkey_sign_in(&app, &mut key).await;
    assert_eq!(status, 200);

    // A copy of the key whose counter lags behind.
    key.counter -= 2;
    let (status, body, browser) = passkey_sign_in(&app, &mut key).await;
    assert_eq!((status, &body["error"]), (401, &json!("passkey_cloned")));
    assert_eq!(
        status_of(&app, &browser, "/agent").await,
        (303, "/agent/sign-in".into()),
        "no session"
    );
    let audit = audit_actions(&app).await;
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "security.passkey_cloned" && d.contains("phone")),
        "{audit:?}"
    );

    // A ceremony answers once: the same answer again finds nothing open.
    let browser = TestApp::new_client();
    let (_, begun, _) = post_json(&app, &browser, "/agent/sign-in/passkey", &json!({})).await;
    key.counter += 10;
    let credential = key.assert(&begun["options"]);
    let answer = json!({ "ceremony": begun["ceremony"], "credential": credential });
    let (status, _, _) = post_json(&app, &browser, "/agent/sign-in/passkey/finish", &answer).await;
    assert_eq!(status, 200);
    let (status, body, _) =
        post_json(&app, &browser, "/agent/sign-in/passkey/finish", &answer).await;
    assert_eq!((status, &body["error"]), (422, &json!("passkey_expired")));

    // Without user verification a passkey is one factor only: refused.
    let (_, begun, _) = post_json(&app, &browser, "/agent/sign-in/passkey", &json!({})).await;
    let credential = key.assert_with(&begun["options"], false);
    let (status, body, _) = post_json(
        &app,
        &browser,
        "/agent/sign-in/passkey/finish",
        &json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    assert_eq!((status, &body["error"]), (422, &json!("passkey_invalid")));

    // A key the desk never registered.
    let mut stranger = SoftKey::new(&app);
    stranger.user = key.user.clone();
    let (status, body, _) = passkey_sign_in(&app, &mut stranger).await;
    assert_eq!((status, &body["error"]), (401, &json!("passkey_unknown")));

    // A page of another origin (phishing) cannot use the answer.
    key.origin = "http://localhost:1".into();
    let (status, body, _) = passkey_sign_in(&app, &mut key).await;
    assert_eq!((status, &body["error"]), (422, &json!("passkey_invalid")));
}

#[tokio::test]
async fn a_passkey_is_the_second_factor_and_half_signed_in_sessions_get_nothing_else() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    app.state
        .store
        .set_setting(
            server::auth::factors::POLICY_KEY,
            &domain::Redacted::clean("everyone"),
        )
        .await
        .expect("policy");
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let mut key = add_passkey(&app, &client, "laptop").await;

    // The password alone: half signed in.
    let browser = TestApp::new_client();
    let r = app
        .post_form(
            &browser,
            "/agent/sign-in",
            &[("email", "li@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/agent/second-factor");
    assert_eq!(
        status_of(&app, &browser, "/agent").await,
        (303, "/agent/second-factor".into())
    );
    let page = app.page_as(&browser, "/agent/second-factor").await;
    assert!(page.contains("id=\"passkey-check\""), "the passkey button");
    assert!(
        !page.contains("name=\"code\""),
        "no app set up: no code field"
    );
    // Half signed in, no second passkey can be added beside the first.
    let r = app
        .post_form(&browser, "/agent/security/passkeys", &[("name", "mine")])
        .await;
    assert_eq!(r.status(), 403);

    let (status, options, _) = post_json(&app, &browser, "/agent/passkey/check", &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        options["publicKey"]["allowCredentials"][0]["id"],
        json!(b64url(&key.cred_id)),
        "only this agent's passkeys"
    );
    let credential = key.assert(&options);
    let (status, body, _) = post_json(
        &app,
        &browser,
        "/agent/passkey/check/finish",
        &json!({ "credential": credential }),
    )
    .await;
    assert_eq!(
        (status, &body["redirect"]),
        (200, &json!("/agent/desk?done=signed_in")),
        "{body}"
    );
    assert_eq!(status_of(&app, &browser, "/agent").await.0, 200);

    // The only factor of an agent the policy requires one of stays.
    let id = app.state.store.passkeys(agent.id).await.expect("list")[0].id;
    let r = app
        .post_form(
            &client,
            &format!("/agent/security/passkeys/{id}/remove"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.state
            .store
            .passkeys(agent.id)
            .await
            .expect("list")
            .len(),
        1
    );
}

#[tokio::test]
async fn step_up_takes_a_passkey_instead_of_the_password_and_keeps_the_form() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let mut key = add_passkey(&app, &client, "laptop").await;
    let id = app.state.store.passkeys(agent.id).await.expect("list")[0].id;

    // Later: removing it is risky, and the factor is stale.
    app.state.clock.set(T.plus_minutes(30));
    let path = format!("/agent/security/passkeys/{id}/remove");
    let r = app.post_form(&client, &path, &[]).await;
    assert_eq!(r.status(), 200, "the step-up page");
    let page = r.text().await.expect("body");
    assert!(page.contains("id=\"passkey-check\""));
    assert!(
        !page.contains("current-password"),
        "an agent with a passkey does not step up with the password"
    );
    let r = app
        .post_form(&client, &path, &[("step_up_code", PASSWORD)])
        .await;
    assert_eq!(r.status(), 401, "the password is not a step-up for them");

    let (_, options, _) = post_json(&app, &client, "/agent/passkey/check", &json!({})).await;
    let credential = key.assert(&options);
    let (status, body, _) = post_json(
        &app,
        &client,
        "/agent/passkey/check/finish",
        &json!({ "credential": credential }),
    )
    .await;
    assert_eq!((status, &body["redirect"]), (200, &json!("")), "{body}");
    // The kept form goes through now.
    let r = app.post_form(&client, &path, &[]).await;
    assert_eq!(
        TestApp::see_other(&r),
        "/agent/security?done=passkey_removed"
    );
    assert!(
        app.state
            .store
            .passkeys(agent.id)
            .await
            .expect("list")
            .is_empty()
    );
    let audit = audit_actions(&app).await;
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "security.step_up" && d.contains("laptop"))
    );
    assert!(audit.iter().any(|(a, _)| a == "security.passkey_removed"));
}

#[tokio::test]
async fn an_admin_signs_another_agent_out_everywhere_with_step_up_keeping_their_factors() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let admin = app.create_agent("root@example.com", Role::Admin).await;
    let admin_client = app.signed_in_client(&admin).await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let laptop = app.signed_in_client(&agent).await;
    let phone = app.signed_in_client(&agent).await;
    let mut key = add_passkey(&app, &laptop, "phone").await;

    app.state.clock.set(T.plus_minutes(30));
    let path = format!("/admin/agents/{}/sign-out", agent.id);
    let r = app.post_form(&admin_client, &path, &[]).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text().await.expect("body").contains("step_up_code"),
        "a stale factor asks again first"
    );
    assert_eq!(
        status_of(&app, &phone, "/agent").await.0,
        200,
        "nothing ended yet"
    );
    let r = app
        .post_form(&admin_client, &path, &[("step_up_code", PASSWORD)])
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/agents?done=signed_out");
    for browser in [&laptop, &phone] {
        assert_eq!(
            status_of(&app, browser, "/agent").await,
            (303, "/agent/sign-in".into()),
            "every session ended"
        );
    }
    // Their factors stay: the passkey still signs them in.
    let (status, body, _) = passkey_sign_in(&app, &mut key).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        audit_actions(&app)
            .await
            .iter()
            .any(|(a, d)| a == "agent.signed_out" && d.contains("sessions ended: 2")),
    );
    // Not their own sessions here (the security page does that).
    let own = format!("/admin/agents/{}/sign-out", admin.id);
    let r = app.post_form(&admin_client, &own, &[]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("body").contains("security page"));
    assert_eq!(status_of(&app, &admin_client, "/admin/agents").await.0, 200);
}

#[tokio::test]
async fn an_admin_resets_another_agents_factors_with_step_up_but_never_their_own() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let admin = app.create_agent("root@example.com", Role::Admin).await;
    let admin_client = app.signed_in_client(&admin).await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let agent_client = app.signed_in_client(&agent).await;
    let mut key = add_passkey(&app, &agent_client, "lost phone").await;
    assert_eq!(status_of(&app, &agent_client, "/agent").await.0, 200);

    // Stale factor: the step-up page first, with the form kept.
    app.state.clock.set(T.plus_minutes(30));
    let path = format!("/admin/agents/{}/reset-factors", agent.id);
    let r = app.post_form(&admin_client, &path, &[]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("body").contains("step_up_code"));
    assert_eq!(
        app.state
            .store
            .passkeys(agent.id)
            .await
            .expect("list")
            .len(),
        1
    );
    let r = app
        .post_form(&admin_client, &path, &[("step_up_code", PASSWORD)])
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/agents?done=factors_reset");

    assert!(
        app.state
            .store
            .passkeys(agent.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        status_of(&app, &agent_client, "/agent").await,
        (303, "/agent/sign-in".into()),
        "signed out everywhere"
    );
    let (status, body, _) = passkey_sign_in(&app, &mut key).await;
    assert_eq!((status, &body["error"]), (401, &json!("passkey_unknown")));
    let audit = audit_actions(&app).await;
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "agent.factors_reset" && d.contains("passkeys: 1")),
        "{audit:?}"
    );

    // Not their own: the admin who resets always keeps their way in.
    let own = format!("/admin/agents/{}/reset-factors", admin.id);
    let r = app.post_form(&admin_client, &own, &[]).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("cannot reset your own sign-in factors")
    );
    assert_eq!(status_of(&app, &admin_client, "/admin/agents").await.0, 200);
    // Another admin can be reset (the one resetting stays an admin who can sign in).
    let other = app.create_agent("root2@example.com", Role::Admin).await;
    let r = app
        .post_form(
            &admin_client,
            &format!("/admin/agents/{}/reset-factors", other.id),
            &[],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/agents?done=factors_reset");
}

#[tokio::test]
async fn passkey_pages_in_chinese_and_no_passkeys_on_an_ip_address() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let page = app.page_as(&client, "/agent/security?lang=zh-CN").await;
    assert!(page.contains("通行密钥"), "the section in Chinese");
    let sign_in = app.get_text("/agent/sign-in?lang=zh-CN").await.1;
    assert!(sign_in.contains("使用通行密钥登录"));
    assert!(
        sign_in.contains("data-not-allowed=\"没有使用通行密钥"),
        "the script's messages, in the page's language"
    );

    // A desk reached by a public IP address: browsers refuse it as a relying party.
    let ip = TestApp::spawn_with(|c| c.public_url = "http://192.0.2.7:8080".into()).await;
    let sign_in = ip.get_text("/agent/sign-in").await.1;
    assert!(
        !sign_in.contains("passkey-sign-in"),
        "no button that cannot work"
    );
    let agent = ip.create_agent("li@example.com", Role::Agent).await;
    let client = ip.signed_in_client(&agent).await;
    let page = ip.page_as(&client, "/agent/security").await;
    assert!(page.contains("not by an IP address"));
    let (status, body, _) = post_json(&ip, &client, "/agent/sign-in/passkey", &json!({})).await;
    assert_eq!(
        (status, &body["error"]),
        (404, &json!("passkey_unavailable"))
    );
}
