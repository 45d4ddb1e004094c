//! Faults a probe of the running desk found (issue 9, part 1), each pinned by a test.

use domain::Role;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::{PASSWORD, TestApp};

/// A browser behind the proxy at 127.0.0.1, which says the client is `ip`.
fn behind_proxy(ip: &str) -> reqwest::Client {
    let mut h = HeaderMap::new();
    h.insert(
        "x-forwarded-for",
        HeaderValue::from_str(ip).expect("header"),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(h)
        .build()
        .expect("client")
}

async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> u16 {
    app.post_form(
        client,
        "/agent/sign-in",
        &[("email", email), ("password", password)],
    )
    .await
    .status()
    .as_u16()
}

async fn new_ticket(app: &TestApp, client: &reqwest::Client, email: &str) -> u16 {
    client
        .post(app.url("/api/v1/tickets"))
        .json(&serde_json::json!({"email": email, "category": "other",
            "subject": "Balance shows zero", "body": "My USDT balance shows 0 since this morning."}))
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_client_does_not_block_the_others() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")];
        c.limits.sign_in = 2;
        c.limits.tickets_per_ip = 1;
    })
    .await;
    app.create_agent("li@example.com", Role::Agent).await;
    let mallory = behind_proxy("198.51.100.66");
    for _ in 0..2 {
        assert_eq!(
            sign_in(&app, &mallory, "li@example.com", "guess guess").await,
            401
        );
    }
    assert_eq!(
        sign_in(&app, &mallory, "li@example.com", "guess guess").await,
        429
    );
    // Li, through the same proxy from her own address, is not affected.
    let li = behind_proxy("203.0.113.7");
    assert_eq!(sign_in(&app, &li, "li@example.com", PASSWORD).await, 303);

    assert_eq!(new_ticket(&app, &mallory, "a@example.com").await, 201);
    assert_eq!(new_ticket(&app, &mallory, "b@example.com").await, 429);
    assert_eq!(new_ticket(&app, &li, "c@example.com").await, 201);

    // The audit log names the client, not the proxy.
    let log = app.state.store.audit_log(20, 0).await.expect("audit");
    let failed = log
        .iter()
        .find(|e| e.action == "sign_in.failed")
        .expect("failed sign-in audited");
    assert!(failed.detail.contains("198.51.100.66"), "{failed:?}");
    let ok = log
        .iter()
        .find(|e| e.action == "sign_in")
        .expect("sign-in audited");
    assert!(ok.detail.contains("203.0.113.7"), "{ok:?}");
}

#[tokio::test]
async fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
    let app = TestApp::spawn_with(|c| c.limits.tickets_per_ip = 1).await;
    // No trusted proxies: a client cannot pick a fresh address per request.
    assert_eq!(
        new_ticket(&app, &behind_proxy("198.51.100.1"), "a@example.com").await,
        201
    );
    assert_eq!(
        new_ticket(&app, &behind_proxy("198.51.100.2"), "b@example.com").await,
        429
    );
}

#[tokio::test]
async fn ipv6_clients_are_limited_per_64() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")];
        c.limits.tickets_per_ip = 1;
    })
    .await;
    assert_eq!(
        new_ticket(&app, &behind_proxy("2001:db8:1:2::1"), "a@example.com").await,
        201
    );
    // Another address in the same /64: the same client.
    assert_eq!(
        new_ticket(&app, &behind_proxy("2001:db8:1:2:ffff::9"), "b@example.com").await,
        429
    );
    assert_eq!(
        new_ticket(&app, &behind_proxy("2001:db8:1:3::1"), "c@example.com").await,
        201
    );
}

#[tokio::test]
async fn a_stranger_cannot_lock_an_agent_out() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")];
        c.limits.sign_in = 100;
    })
    .await;
    app.create_agent("li@example.com", Role::Agent).await;
    let stranger = behind_proxy("198.51.100.66");
    let mut refused = false;
    for _ in 0..8 {
        let status = sign_in(&app, &stranger, "li@example.com", "guess guess").await;
        assert!(status == 401 || status == 429, "{status}");
        refused |= status == 429;
    }
    assert!(refused, "the guesser is slowed down");
    // The agent, from her own client, signs in at once.
    let li = behind_proxy("203.0.113.7");
    assert_eq!(sign_in(&app, &li, "li@example.com", PASSWORD).await, 303);
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_back_off_and_correct_ones_cost_nothing() {
    let app = TestApp::spawn_with(|c| c.limits.sign_in = 100).await;
    app.create_agent("li@example.com", Role::Agent).await;
    // Many correct sign-ins in a row are never refused.
    for _ in 0..8 {
        let client = TestApp::new_client();
        assert_eq!(
            sign_in(&app, &client, "li@example.com", PASSWORD).await,
            303
        );
    }
    let client = TestApp::new_client();
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, &client, "li@example.com", "typo typo").await,
            401
        );
    }
    assert_eq!(
        sign_in(&app, &client, "li@example.com", PASSWORD).await,
        303
    );
    // Back to five free attempts.
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, &client, "li@example.com", "typo typo").await,
            401
        );
    }
}
