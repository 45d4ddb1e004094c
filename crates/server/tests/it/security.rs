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

/// A reply form posted by `client` with the given CSRF field and extra headers.
async fn post_reply(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    csrf: &str,
    headers: &[(&str, &str)],
) -> u16 {
    let mut req = client
        .post(app.url(&format!("{path}/reply")))
        .form(&[("body", "Still pending, any news?"), ("csrf", csrf)]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("POST").status().as_u16()
}

#[tokio::test]
async fn a_made_up_csrf_cookie_and_field_pair_is_refused() {
    let app = TestApp::spawn().await;
    let (_, path) = app.create_ticket("Pending", "my transfer is pending").await;
    let forged = "A".repeat(43);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let status = client
        .post(app.url(&format!("{path}/reply")))
        .header("cookie", format!("wd_csrf={forged}"))
        .form(&[("body", "forged"), ("csrf", forged.as_str())])
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16();
    assert_eq!(status, 403);
    // The real pair, as the server hands it out, works.
    let browser = TestApp::new_client();
    let token = app.csrf(&browser).await;
    assert_eq!(post_reply(&app, &browser, &path, &token, &[]).await, 303);
}

#[tokio::test]
async fn requests_from_other_sites_are_refused_before_any_handler() {
    let app = TestApp::spawn().await;
    let (id, path) = app.create_ticket("Pending", "my transfer is pending").await;
    let browser = TestApp::new_client();
    let token = app.csrf(&browser).await;
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "https://evil.example")][..],
    ] {
        assert_eq!(
            post_reply(&app, &browser, &path, &token, headers).await,
            403,
            "{headers:?}"
        );
    }
    let same = [
        ("sec-fetch-site", "same-origin"),
        ("origin", app.base.as_str()),
    ];
    assert_eq!(post_reply(&app, &browser, &path, &token, &same).await, 303);
    let messages = app
        .state
        .store
        .messages(domain::TicketId(id), false)
        .await
        .expect("messages");
    assert_eq!(messages.len(), 2, "only the same-origin reply was posted");
}

#[tokio::test]
async fn the_csrf_token_is_bound_to_the_session_and_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let browser = TestApp::new_client();
    let before = app.csrf(&browser).await;
    let r = browser
        .post(app.url("/agent/sign-in"))
        .form(&[
            ("email", "li@example.com"),
            ("password", PASSWORD),
            ("csrf", &before),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 303);
    let after = app.csrf(&browser).await;
    assert_ne!(before, after, "a fresh token after sign-in");
    let (id, _) = app.create_ticket("Pending", "my transfer is pending").await;
    let note = |csrf: String| {
        let browser = browser.clone();
        let url = app.url(&format!("/agent/tickets/{id}/messages"));
        async move {
            browser
                .post(url)
                .form(&[
                    ("kind", "note"),
                    ("body", "checked the explorer"),
                    ("csrf", &csrf),
                ])
                .send()
                .await
                .expect("POST")
                .status()
                .as_u16()
        }
    };
    assert_eq!(note(before).await, 403, "the pre-sign-in token is dead");
    assert_eq!(note(after).await, 303);
    // Another agent's session has its own token.
    let other = app.create_agent("wu@example.com", Role::Agent).await;
    let other_client = app.signed_in_client(&other).await;
    assert_ne!(app.csrf(&other_client).await, app.csrf(&browser).await);
    let _ = agent;
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix_and_hsts() {
    let app = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    app.create_agent("li@example.com", Role::Agent).await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = plain
        .get(app.url("/agent/sign-in"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    let csrf_cookie = set
        .iter()
        .find(|c| c.starts_with("__Host-wd_csrf="))
        .expect("the CSRF cookie has the __Host- prefix");
    assert!(csrf_cookie.contains("; Secure") && csrf_cookie.contains("Path=/"));
    assert!(!csrf_cookie.contains("Domain="));
    let nonce = csrf_cookie
        .trim_start_matches("__Host-wd_csrf=")
        .split(';')
        .next()
        .expect("value")
        .to_owned();
    let html = r.text().await.expect("body");
    let token = crate::helpers::extract_csrf(&html).expect("token");
    // Sign in by hand (the test client talks plain HTTP, so it sends cookies itself).
    let r = plain
        .post(app.url("/agent/sign-in"))
        .header("cookie", format!("__Host-wd_csrf={nonce}"))
        .form(&[
            ("email", "li@example.com"),
            ("password", PASSWORD),
            ("csrf", &token),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("__Host-wd_session="))
        .expect("the session cookie has the __Host- prefix");
    assert!(session.contains("; Secure") && session.contains("HttpOnly"));
    let value = session
        .trim_start_matches("__Host-wd_session=")
        .split(';')
        .next()
        .expect("value")
        .to_owned();
    let inbox = |cookie: String| {
        let plain = plain.clone();
        let url = app.url("/agent");
        async move {
            plain
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .expect("GET")
                .status()
                .as_u16()
        }
    };
    assert_eq!(inbox(format!("__Host-wd_session={value}")).await, 200);
    // Without the prefix (as a sibling subdomain could set it) it is not a session.
    assert_eq!(inbox(format!("wd_session={value}")).await, 303);
}

#[tokio::test]
async fn a_new_agent_sets_a_password_after_the_link_and_signs_in_with_it() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("new@example.com", Role::Agent).await;
    let token = server::auth::new_token().expect("token");
    app.state
        .store
        .create_sign_in_link(
            &server::auth::hash_token(&token),
            agent.id,
            domain::Timestamp(app.state.now().0 + domain::Timestamp::DAY),
        )
        .await
        .expect("link");
    let browser = TestApp::new_client();
    let r = app
        .post_form(&browser, &format!("/agent/link/{token}"), &[])
        .await;
    assert_eq!(
        TestApp::see_other(&r),
        "/agent/password?done=link_signed_in"
    );
    let page = app
        .page_as(&browser, "/agent/password?done=link_signed_in")
        .await;
    assert!(page.contains("You are signed in."));
    assert!(
        !page.contains("name=\"current\""),
        "no current password after a link"
    );
    for (new, confirm, says) in [
        ("short", "short", "10 to 1024 characters"),
        ("a long enough one", "a different one!!", "not the same"),
    ] {
        let r = app
            .post_form(
                &browser,
                "/agent/password",
                &[("new", new), ("confirm", confirm)],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.expect("body").contains(says), "{says}");
    }
    let r = app
        .post_form(
            &browser,
            "/agent/password",
            &[
                ("new", "lantern fish swims home"),
                ("confirm", "lantern fish swims home"),
            ],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/agent/password?done=password_set");
    // The grace is spent: changing it again needs the password.
    let page = app.page_as(&browser, "/agent/password").await;
    assert!(page.contains("name=\"current\""));
    let fresh = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &fresh, "new@example.com", "lantern fish swims home").await,
        303
    );
    let log = app.state.store.audit_log(20, 0).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "agent.password"));
    assert!(
        log.iter().all(|e| !e.detail.contains("lantern")),
        "no password in the log"
    );
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let fields = |current: &'static str| {
        [
            ("current", current),
            ("new", "a brand new passphrase"),
            ("confirm", "a brand new passphrase"),
        ]
    };
    let r = app
        .post_form(&client, "/agent/password", &fields("not my password"))
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("current password is not right")
    );
    assert_eq!(
        sign_in(&app, &TestApp::new_client(), "li@example.com", PASSWORD).await,
        303
    );
    let r = app
        .post_form(&client, "/agent/password", &fields(PASSWORD))
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        sign_in(&app, &TestApp::new_client(), "li@example.com", PASSWORD).await,
        401
    );
    assert_eq!(
        sign_in(
            &app,
            &TestApp::new_client(),
            "li@example.com",
            "a brand new passphrase"
        )
        .await,
        303
    );
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_is_audited_once() {
    let app = TestApp::spawn().await;
    app.create_agent("li@example.com", Role::Agent).await;
    let count = || async {
        app.state
            .store
            .audit_log(100, 0)
            .await
            .expect("audit")
            .iter()
            .filter(|e| e.action == "sign_in.new_device")
            .count()
    };
    let laptop = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &laptop, "li@example.com", PASSWORD).await,
        303
    );
    assert_eq!(count().await, 1);
    // The same browser again: known.
    assert_eq!(
        sign_in(&app, &laptop, "li@example.com", PASSWORD).await,
        303
    );
    assert_eq!(count().await, 1);
    // Another browser: new.
    let phone = TestApp::new_client();
    assert_eq!(sign_in(&app, &phone, "li@example.com", PASSWORD).await, 303);
    assert_eq!(count().await, 2);
    // A device cookie made for another agent says nothing about this one.
    app.create_agent("wu@example.com", Role::Agent).await;
    assert_eq!(
        sign_in(&app, &laptop, "wu@example.com", PASSWORD).await,
        303
    );
    assert_eq!(count().await, 3);
    // …and a shared browser remembers both.
    assert_eq!(
        sign_in(&app, &laptop, "li@example.com", PASSWORD).await,
        303
    );
    assert_eq!(
        sign_in(&app, &laptop, "wu@example.com", PASSWORD).await,
        303
    );
    assert_eq!(count().await, 3);
}
