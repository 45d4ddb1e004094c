//! Wallet users: the ticket form, the API, the access link, redaction on the way in.

use crate::helpers::{PHRASE, TestApp};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test]
async fn pages_carry_a_strict_csp_and_speak_both_languages() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/tickets/new"))
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let html = r.text().await.unwrap();
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("联系客服"));
    let (_, en) = app.get_text("/tickets/new?lang=en").await;
    assert!(en.contains("Contact support"));
}

#[tokio::test]
async fn api_creates_a_ticket_and_removes_a_phrase() {
    let app = TestApp::spawn().await;
    let r = app
        .post_json(
            "/api/v1/tickets",
            &serde_json::json!({"email": "a@example.com", "category": "restore", "subject": "cannot restore", "body": format!("my words are {PHRASE} please help")}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["secret_exposed"], true);
    assert_eq!(j["priority"], "urgent");
    let path = j["access_url"]
        .as_str()
        .unwrap()
        .strip_prefix(&app.base)
        .unwrap()
        .to_owned();
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("legal winner thank"),
        "the phrase must never be stored or shown"
    );
    assert!(html.contains("please help"));
    // Nor is it anywhere in the database file.
    if crate::helpers::on_postgres() {
        return;
    }
    let db = std::fs::read(app.state.config.data_dir.join("test.db")).unwrap();
    let wal = std::fs::read(app.state.config.data_dir.join("test.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !bytes.windows(12).any(|w| w == b"legal winner"),
            "phrase found in the database file"
        );
    }
}

#[tokio::test]
async fn api_errors_are_json_with_stable_codes() {
    let app = TestApp::spawn().await;
    let r = app.post_json("/api/v1/tickets", &serde_json::json!({"email": "nope", "category": "transaction", "subject": "x", "body": "y", "chain": "bitcoin", "tx_hash": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"})).await;
    assert_eq!(r.status(), 422);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["error"], "invalid_fields");
    let codes: Vec<&str> = j["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["email_invalid", "address_not_tx_hash"]);
    let r = app
        .client
        .post(app.url("/api/v1/tickets"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "invalid_json"
    );
}

#[tokio::test]
async fn the_form_says_what_is_wrong_inline_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let r = app
        .post_form(
            &app.client,
            "/tickets/new?lang=en",
            &[
                ("email", "a@example.com"),
                ("category", "transaction"),
                ("chain", "bitcoin"),
                ("tx_hash", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
                ("subject", "stuck transfer"),
                ("body", "it has been two days"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("This is a Bitcoin address, not a transaction hash."));
    assert!(html.contains("it has been two days") && html.contains("stuck transfer"));
}

#[tokio::test]
async fn the_form_creates_a_ticket_and_warns_about_a_removed_phrase() {
    let app = TestApp::spawn().await;
    let r = app
        .post_form(
            &app.client,
            "/tickets/new?lang=zh-CN",
            &[
                ("email", "a@example.com"),
                ("category", "restore"),
                ("subject", "恢复失败"),
                ("body", &format!("我的助记词是 {PHRASE}")),
            ],
        )
        .await;
    let to = TestApp::see_other(&r);
    let html = app.get_text(&to).await.1;
    assert!(html.contains("我们从您的消息中删除了敏感信息"));
    assert!(!html.contains("legal winner"));
    let pending = app.state.store.pending_mail(10).await.unwrap();
    assert_eq!(pending.len(), 1, "the access link goes to the outbox");
    assert!(!pending[0].body_text.contains("legal winner"));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .post(app.url("/tickets/new"))
        .form(&[
            ("email", "a@example.com"),
            ("category", "other"),
            ("subject", "s"),
            ("body", "b"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(app.state.store.pending_mail(10).await.unwrap().len(), 0);
}

#[tokio::test]
async fn one_users_link_never_opens_another_ticket_and_bad_links_are_404() {
    let app = TestApp::spawn().await;
    let (_, a) = app.create_ticket("first", "alpha body").await;
    let (_, b) = app.create_ticket("second", "beta body").await;
    assert!(app.get_text(&a).await.1.contains("alpha body"));
    assert!(!app.get_text(&a).await.1.contains("beta body"));
    assert!(app.get_text(&b).await.1.contains("beta body"));
    let mut forged = a.clone();
    forged.pop();
    forged.push('x');
    assert_eq!(app.get(&forged).await.status(), 404);
    assert_eq!(app.get("/t/short").await.status(), 404);
}

#[tokio::test]
async fn a_user_replies_solves_and_rates_once() {
    let app = TestApp::spawn().await;
    let (id, path) = app.create_ticket("help", "first message").await;
    let r = app
        .post_form(
            &app.client,
            &format!("{path}/reply"),
            &[("body", &format!("again: {PHRASE}"))],
        )
        .await;
    let to = TestApp::see_other(&r);
    assert!(app.get_text(&to).await.1.contains("removed"));
    let t = app.state.store.ticket(domain::TicketId(id)).await.unwrap();
    assert!(t.secret_exposed);
    assert_eq!(t.priority, domain::Priority::Urgent);
    assert_eq!(
        app.post_form(&app.client, &format!("{path}/solve"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        app.state
            .store
            .ticket(domain::TicketId(id))
            .await
            .unwrap()
            .status,
        domain::Status::Solved
    );
    // Sent without a score: the ticket's page again, the scale marked, the comment kept.
    let r = app
        .post_form(
            &app.client,
            &format!("{path}/rate?lang=zh-CN"),
            &[("comment", "回复很快")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("请选择 1 到 5 分。"), "{page}");
    assert!(page.contains(">回复很快</textarea>"));
    assert!(
        page.contains("name=\"score\""),
        "the scale is there to choose from"
    );
    assert_eq!(
        app.post_form(
            &app.client,
            &format!("{path}/rate"),
            &[("score", "5"), ("comment", "fast")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        app.post_form(&app.client, &format!("{path}/rate"), &[("score", "1")])
            .await
            .status(),
        400
    );
    let t = app.state.store.ticket(domain::TicketId(id)).await.unwrap();
    assert_eq!(t.rating.unwrap().score, 5);
}

#[tokio::test]
async fn the_public_form_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.limits.tickets_per_email = 2).await;
    let body = serde_json::json!({"email": "victim@example.com", "category": "other", "subject": "s", "body": "b"});
    assert_eq!(app.post_json("/api/v1/tickets", &body).await.status(), 201);
    assert_eq!(app.post_json("/api/v1/tickets", &body).await.status(), 201);
    let r = app.post_json("/api/v1/tickets", &body).await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=600).contains(&wait),
        "Retry-After {wait} s, within the window"
    );
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "rate_limited"
    );
    assert_eq!(
        app.state.store.pending_mail(10).await.unwrap().len(),
        2,
        "no third mail to the same address"
    );
}

#[tokio::test]
async fn field_check_explains_in_the_viewers_language() {
    let app = TestApp::spawn().await;
    let r = app.client.get(app.url("/api/v1/fields/check?field=tx_hash&value=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq&lang=zh-CN")).send().await.unwrap();
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["ok"], false);
    assert_eq!(j["message"], "这是一个 Bitcoin 地址，不是交易哈希。");
}

/// The ticket page shows the user what they gave: the topic, the network, the transaction hash,
/// the app version — labelled in the page's language.
#[tokio::test]
async fn the_ticket_page_shows_what_the_user_gave() {
    let app = TestApp::spawn().await;
    let r = app
        .post_json(
            "/api/v1/tickets",
            &serde_json::json!({
                "email": "fields@example.com",
                "category": "transaction",
                "subject": "USDT 没到账",
                "body": "转账一直没到",
                "chain": "tron",
                "tx_hash": "4a1c3a0b6f0e7e2d8d6e1b1f9b7a5c3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
                "app_version": "8.2.1"
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let created: serde_json::Value = r.json().await.expect("json");
    let url = created["access_url"].as_str().expect("access url");
    let path = &url[url.find("/t/").expect("a /t/ link")..];
    let (_, html) = app.get_text(&format!("{path}?lang=zh-CN")).await;
    for shown in [
        "<dt>问题类型</dt>",
        "<dt>网络（链）</dt><dd>波场（TRON）</dd>",
        "4a1c3a0b6f0e7e2d8d6e1b1f9b7a5c3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
        "<dd>8.2.1</dd>",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    let (_, html) = app.get_text(&format!("{path}?lang=en")).await;
    assert!(
        html.contains("<dt>Topic</dt><dd>Transaction delayed or failed</dd>"),
        "{html}"
    );
    assert!(!html.contains("Wallet address"), "no address was given");
}
