//! Second factors end to end: setting up an authenticator, signing in with it (and with a
//! recovery code), the admin policy, and step-up before risky actions. The clock is fixed, so
//! codes are computed for known steps.

use domain::{Role, Timestamp};
use server::auth::totp;

use crate::helpers::{PASSWORD, TestApp};

const T: Timestamp = Timestamp(1_796_111_873_000);

fn base32_decode(s: &str) -> Vec<u8> {
    const A: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buf, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in s.chars() {
        buf = (buf << 5) | u32::try_from(A.find(c).expect("base32")).expect("small");
        bits += 5;
        if bits >= 8 {
            out.push(u8::try_from((buf >> (bits - 8)) & 0xff).expect("byte"));
            bits -= 8;
        }
    }
    out
}

/// The code an app shows at `t` (plus `steps` steps).
fn code(secret: &[u8], t: Timestamp, steps: i64) -> String {
    let step = u64::try_from(totp::step_of(t.0 / 1000) + steps).expect("step");
    totp::hotp(totp::Alg::Sha1, secret, step, 6)
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_form(client, path, fields).await
}

/// Sets up an authenticator for the signed-in `client`; returns its secret and the codes.
async fn set_up(app: &TestApp, client: &reqwest::Client) -> (Vec<u8>, Vec<String>) {
    let r = post(app, client, "/agent/security/totp/begin", &[]).await;
    assert_eq!(TestApp::see_other(&r), "/agent/security?done=totp_begun");
    let page = app.page_as(client, "/agent/security").await;
    assert!(page.contains("<svg"), "a QR code");
    let secret_b32 = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the key to type");
    let secret = base32_decode(secret_b32);
    assert_eq!(secret.len(), totp::SECRET_LEN);
    let r = post(
        app,
        client,
        "/agent/security/totp/confirm",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(r.status(), 422, "a wrong first code");
    let r = post(
        app,
        client,
        "/agent/security/totp/confirm",
        &[("code", &code(&secret, T, 0))],
    )
    .await;
    assert_eq!(TestApp::see_other(&r), "/agent/security?done=totp_on");
    let page = app.page_as(client, "/agent/security?done=totp_on").await;
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    let again = app.page_as(client, "/agent/security").await;
    assert!(!again.contains(&codes[0]), "not shown a second time");
    (secret, codes)
}

async fn password_sign_in(app: &TestApp, email: &str) -> (reqwest::Client, reqwest::Response) {
    let browser = TestApp::new_client();
    let r = app
        .post_form(
            &browser,
            "/agent/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    (browser, r)
}

#[tokio::test]
async fn an_agent_with_an_authenticator_signs_in_in_two_steps() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (secret, codes) = set_up(&app, &client).await;

    let (browser, r) = password_sign_in(&app, "li@example.com").await;
    assert_eq!(TestApp::see_other(&r), "/agent/second-factor");
    // Half signed in: no agent page opens.
    let r = browser.get(app.url("/agent")).send().await.expect("GET");
    assert_eq!(TestApp::see_other(&r), "/agent/second-factor");
    let r = post(
        &app,
        &browser,
        "/agent/second-factor",
        &[("code", "123456")],
    )
    .await;
    assert_eq!(r.status(), 401);
    // The code of the step already used to confirm is refused (no replays)…
    let r = post(
        &app,
        &browser,
        "/agent/second-factor",
        &[("code", &code(&secret, T, 0))],
    )
    .await;
    assert_eq!(r.status(), 401);
    // …the next one works.
    app.state.clock.set(T.plus_minutes(1));
    let r = post(
        &app,
        &browser,
        "/agent/second-factor",
        &[("code", &code(&secret, T.plus_minutes(1), 0))],
    )
    .await;
    assert_eq!(TestApp::see_other(&r), "/agent/desk?done=signed_in");
    assert_eq!(
        browser
            .get(app.url("/agent"))
            .send()
            .await
            .expect("GET")
            .status(),
        200
    );

    // A recovery code works once.
    let (other, _) = password_sign_in(&app, "li@example.com").await;
    let r = post(
        &app,
        &other,
        "/agent/second-factor",
        &[("code", &codes[3].to_uppercase())],
    )
    .await;
    assert_eq!(TestApp::see_other(&r), "/agent/desk?done=signed_in");
    let (third, _) = password_sign_in(&app, "li@example.com").await;
    let r = post(&app, &third, "/agent/second-factor", &[("code", &codes[3])]).await;
    assert_eq!(r.status(), 401);

    let log = app.state.store.audit_log(50, 0).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "security.totp_on"));
    assert!(
        log.iter()
            .any(|e| e.action == "sign_in.second_factor" && e.detail.contains("recovery code"))
    );
    assert!(
        log.iter().all(|e| !e.detail.contains(&codes[3])),
        "no code in the log"
    );
}

#[tokio::test]
async fn a_half_signed_in_session_cannot_replace_the_authenticator() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    app.create_agent("li@example.com", Role::Agent).await;
    // A password sign-in checks a factor (the password) now: no step-up needed to set up.
    let (client, _) = password_sign_in(&app, "li@example.com").await;
    set_up(&app, &client).await;
    let (browser, r) = password_sign_in(&app, "li@example.com").await;
    assert_eq!(TestApp::see_other(&r), "/agent/second-factor");
    let r = post(&app, &browser, "/agent/security/totp/begin", &[]).await;
    assert_eq!(
        r.status(),
        403,
        "a stolen password must not reset the factor"
    );
}

#[tokio::test]
async fn the_admin_policy_makes_agents_set_up_a_factor_before_signing_in() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let admin = app.create_agent("root@example.com", Role::Admin).await;
    let admin_client = app.signed_in_client(&admin).await;
    // Saving the policy is a step-up action: confirm with the password.
    let csrf = app.csrf(&admin_client).await;
    let r = admin_client
        .post(app.url("/admin/security"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("policy", "everyone"),
            ("step_up_code", PASSWORD),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(TestApp::see_other(&r), "/admin/security?done=saved");
    app.create_agent("li@example.com", Role::Agent).await;
    let (browser, r) = password_sign_in(&app, "li@example.com").await;
    assert_eq!(TestApp::see_other(&r), "/agent/second-factor");
    let r = browser
        .get(app.url("/agent/second-factor"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        TestApp::see_other(&r),
        "/agent/security",
        "no factor yet: set one up"
    );
    let page = app.page_as(&browser, "/agent/security").await;
    assert!(page.contains("requires a second factor for your role"));
    let (_, _) = set_up(&app, &browser).await;
    assert_eq!(
        browser
            .get(app.url("/agent"))
            .send()
            .await
            .expect("GET")
            .status(),
        200
    );
    // Required: it cannot be turned off.
    let r = post(&app, &browser, "/agent/security/totp/disable", &[]).await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn risky_actions_ask_for_the_factor_again_and_keep_the_form() {
    let app = TestApp::spawn().await;
    app.state.clock.set(T);
    let admin = app.create_agent("root@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let create = |extra: Vec<(&'static str, String)>| {
        let client = client.clone();
        let app = &app;
        async move {
            let csrf = app.csrf(&client).await;
            let mut form = vec![("csrf", csrf), ("name", "CI export".to_owned())];
            form.extend(extra);
            client
                .post(app.url("/admin/api-tokens"))
                .form(&form)
                .send()
                .await
                .expect("POST")
        }
    };
    // The session's factor (its sign-in) is older than five minutes.
    app.state.clock.set(T.plus_minutes(6));
    let r = create(Vec::new()).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.expect("body");
    assert!(page.contains("Confirm it is you"));
    assert!(page.contains("value=\"CI export\""), "the form is kept");
    assert!(
        app.state
            .store
            .api_tokens(admin.id)
            .await
            .expect("tokens")
            .is_empty()
    );
    let r = create(vec![("step_up_code", "wrong password".to_owned())]).await;
    assert_eq!(r.status(), 401);
    assert!(
        app.state
            .store
            .api_tokens(admin.id)
            .await
            .expect("tokens")
            .is_empty()
    );
    let r = create(vec![("step_up_code", PASSWORD.to_owned())]).await;
    assert_eq!(r.status(), 303, "confirmed: the same request goes through");
    assert_eq!(
        app.state
            .store
            .api_tokens(admin.id)
            .await
            .expect("tokens")
            .len(),
        1
    );
    // Fresh for five minutes…
    let r = create(Vec::new()).await;
    assert_eq!(r.status(), 303);
    // …then asked again.
    app.state.clock.set(T.plus_minutes(12));
    let r = create(Vec::new()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.state
            .store
            .api_tokens(admin.id)
            .await
            .expect("tokens")
            .len(),
        2
    );
}

#[tokio::test]
async fn sessions_are_listed_and_revoked() {
    let app = TestApp::spawn().await;
    app.create_agent("li@example.com", Role::Agent).await;
    let (a, _) = password_sign_in(&app, "li@example.com").await;
    let (b, _) = password_sign_in(&app, "li@example.com").await;
    let (c, _) = password_sign_in(&app, "li@example.com").await;
    let page = app.page_as(&a, "/agent/security").await;
    assert_eq!(
        page.matches("/revoke\"").count(),
        2,
        "two other sessions to sign out"
    );
    let r = post(&app, &a, "/agent/security/sessions/revoke-others", &[]).await;
    assert_eq!(
        TestApp::see_other(&r),
        "/agent/security?done=sessions_revoked"
    );
    for other in [&b, &c] {
        let r = other.get(app.url("/agent")).send().await.expect("GET");
        assert_eq!(TestApp::see_other(&r), "/agent/sign-in");
    }
    assert_eq!(
        a.get(app.url("/agent")).send().await.expect("GET").status(),
        200
    );
}
