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

#[tokio::test]
async fn tickets_of_different_requesters_are_not_merged() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("wu@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (alice, _) = app
        .create_ticket("Alice's transfer", "ALICE-SECRET-STORY")
        .await;
    let r = app
        .post_json(
            "/api/v1/tickets",
            &serde_json::json!({"email": "mallory@example.com", "category": "other",
                "subject": "Me too", "body": "Same problem as the other ticket."}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let j: serde_json::Value = r.json().await.expect("json");
    let mallory = j["id"].as_i64().expect("id");
    let mallory_path = j["access_url"]
        .as_str()
        .expect("url")
        .strip_prefix(&app.base)
        .expect("local")
        .to_owned();
    for (from, into) in [(mallory, alice), (alice, mallory)] {
        let r = app
            .post_form(
                &client,
                &format!("/agent/tickets/{from}/merge"),
                &[("into", &into.to_string())],
            )
            .await;
        assert_eq!(r.status(), 400, "{from} into {into}");
        let page = r.text().await.expect("body");
        assert!(page.contains("different people"), "the page says why");
    }
    for id in [alice, mallory] {
        let t = app
            .state
            .store
            .ticket(domain::TicketId(id))
            .await
            .expect("ticket");
        assert_eq!(t.merged_into, None);
    }
    let (_, page) = app.get_text(&mallory_path).await;
    assert!(!page.contains("ALICE-SECRET-STORY"));
}

#[tokio::test]
async fn a_bulk_update_with_a_bad_way_back_redirects_home_and_never_fails() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("wu@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("Pending", "my transfer is pending").await;
    for back in [
        "/agent?q=\u{4e2d}\u{6587}",
        "//evil.example/x",
        "/agent?x=a b",
    ] {
        let r = app
            .post_form(
                &client,
                "/agent/bulk",
                &[
                    ("id", &id.to_string()),
                    ("action", "priority"),
                    ("priority", "high"),
                    ("back", back),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{back}");
        assert_eq!(TestApp::see_other(&r), "/agent?done=bulk", "{back}");
    }
}

#[tokio::test]
async fn header_injection_is_refused_and_plus_addresses_share_one_limit() {
    let app = TestApp::spawn_with(|c| c.limits.tickets_per_email = 2).await;
    for subject in [
        "Help\r\nBcc: everyone@example.com",
        "nul\u{0}byte",
        "two\nlines",
    ] {
        let r = app
            .post_json(
                "/api/v1/tickets",
                &serde_json::json!({"email": "user@example.com", "category": "other",
                    "subject": subject, "body": "My balance is wrong."}),
            )
            .await;
        assert_eq!(r.status(), 422, "{subject:?}");
        let j: serde_json::Value = r.json().await.expect("json");
        assert!(j.to_string().contains("control_characters"), "{j}");
    }
    let outbox = app.state.store.pending_mail(10).await.expect("outbox");
    assert!(outbox.is_empty(), "nothing was queued for mail");
    let mut statuses = Vec::new();
    for email in [
        "victim+1@example.com",
        "Victim+2@example.com",
        "victim+3@example.com",
    ] {
        statuses.push(new_ticket(&app, &app.client, email).await);
    }
    assert_eq!(statuses, [201, 201, 429], "one mailbox, one budget");
}
