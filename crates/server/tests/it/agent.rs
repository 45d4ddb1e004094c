//! The agent side: signing in, the inbox, a ticket's page and its actions, the event stream.

use domain::{MessageKind, Role, Status, TicketId};

use crate::helpers::{PASSWORD, TestApp};

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
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

#[tokio::test]
async fn signing_in_with_the_right_password_opens_the_inbox_and_signing_out_closes_it() {
    let app = TestApp::spawn().await;
    app.create_agent("wang@example.com", Role::Agent).await;
    let (status, page) = app.get_text("/agent/sign-in").await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"password\""));

    assert_eq!(
        sign_in(&app, &app.client, "wang@example.com", "wrong password!").await,
        401
    );
    assert_eq!(app.get("/agent").await.status(), 303);

    assert_eq!(
        sign_in(&app, &app.client, "WANG@example.com", PASSWORD).await,
        303
    );
    let (status, inbox) = app.get_text("/agent").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("/agent/sign-out"));

    let audit = app.state.store.audit_log(50, 0).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "sign_in"));
    assert!(audit.iter().any(|e| e.action == "sign_in.failed"));

    let r = app.post_form(&app.client, "/agent/sign-out", &[]).await;
    assert_eq!(r.status(), 303);
    let r = app.get("/agent").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/agent/sign-in");
}

#[tokio::test]
async fn an_unknown_address_fails_like_a_wrong_password() {
    let app = TestApp::spawn().await;
    assert_eq!(
        sign_in(&app, &app.client, "nobody@example.com", PASSWORD).await,
        401
    );
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.limits.sign_in = 3).await;
    app.create_agent("li@example.com", Role::Agent).await;
    for _ in 0..3 {
        assert_eq!(
            sign_in(&app, &app.client, "li@example.com", "not the password").await,
            401
        );
    }
    // Even the right password is refused until the window passes.
    assert_eq!(
        sign_in(&app, &app.client, "li@example.com", PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn agent_routes_need_a_session() {
    let app = TestApp::spawn().await;
    let (id, _) = app.create_ticket("Hello", "My transfer is pending").await;
    for page in ["/agent", &format!("/agent/tickets/{id}")] {
        let r = app.get(page).await;
        assert_eq!(r.status(), 303, "{page}");
        assert_eq!(location(&r), "/agent/sign-in");
    }
    for fragment in [
        "/agent/events".to_owned(),
        "/agent?view=all&partial=1".to_owned(),
        format!("/agent/tickets/{id}/conversation"),
    ] {
        assert_eq!(app.get(&fragment).await.status(), 401, "{fragment}");
    }
    let r = app
        .post_form(
            &app.client,
            &format!("/agent/tickets/{id}/messages"),
            &[("kind", "note"), ("body", "x")],
        )
        .await;
    assert_eq!(r.status(), 401);
    assert!(
        app.state
            .store
            .messages(TicketId(id), true)
            .await
            .expect("messages")
            .iter()
            .all(|m| m.kind == MessageKind::Public)
    );
}

#[tokio::test]
async fn an_inactive_agents_session_counts_for_nothing() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("gone@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    app.state
        .store
        .update_agent(agent.id, None, None, Some(false), None)
        .await
        .expect("deactivate");
    let r = client.get(app.url("/agent")).send().await.expect("GET");
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn notes_never_reach_the_user_and_public_replies_do() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("zhang@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (id, access) = app.create_ticket("充值未到账", "我的转账失败了").await;

    let path = format!("/agent/tickets/{id}/messages");
    let r = app
        .post_form(
            &client,
            &path,
            &[
                ("kind", "note"),
                ("body", "内部备注：用户可能是骗子 NOTE-7731"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &client,
            &path,
            &[
                ("kind", "public"),
                ("body", "您好，请提供交易哈希 REPLY-4410"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The user's page, in a browser without any agent cookie.
    let user = TestApp::new_client();
    let page = user
        .get(app.url(&access))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains("REPLY-4410"));
    assert!(!page.contains("NOTE-7731"));

    // The agent sees both, the note styled as one.
    let page = client
        .get(app.url(&format!("/agent/tickets/{id}")))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains("NOTE-7731") && page.contains("REPLY-4410"));
    assert_eq!(page.matches(r#"class="message note""#).count(), 1);
    let fragment = client
        .get(app.url(&format!("/agent/tickets/{id}/conversation")))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(fragment.contains("NOTE-7731") && !fragment.contains("<html"));

    // One mail to the requester, for the reply only.
    let mail = app.state.store.pending_mail(100).await.expect("outbox");
    let replies: Vec<_> = mail.iter().filter(|m| m.kind == "agent_reply").collect();
    assert_eq!(replies.len(), 1);
    assert!(replies[0].body_text.contains("REPLY-4410"));
    assert!(mail.iter().all(|m| !m.body_text.contains("NOTE-7731")));
    let audit = app.state.store.audit_log(50, 0).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "ticket.reply" && e.target.as_deref() == Some(&*id.to_string()))
    );
}

#[tokio::test]
async fn an_agents_text_is_redacted_too() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("zhao@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("Help", "My balance is wrong").await;
    let body = format!("The user wrote: {}", crate::helpers::PHRASE);
    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{id}/messages"),
            &[("kind", "note"), ("body", &body)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let messages = app
        .state
        .store
        .messages(TicketId(id), true)
        .await
        .expect("messages");
    assert!(
        messages
            .iter()
            .all(|m| !m.body.as_str().contains("sausage worth"))
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("qian@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("Hello", "Please help").await;
    let _ = app.csrf(&client).await;
    let r = client
        .post(app.url(&format!("/agent/tickets/{id}/messages")))
        .form(&[("kind", "public"), ("body", "no token")])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 403);
    let r = client
        .post(app.url("/agent/bulk"))
        .form(&[("id", &*id.to_string()), ("action", "assign_me")])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 403);
    let messages = app
        .state
        .store
        .messages(TicketId(id), true)
        .await
        .expect("messages");
    assert_eq!(messages.len(), 1);
}

#[tokio::test]
async fn inbox_views_and_search_in_chinese_and_english() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("sun@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (a, _) = app
        .create_ticket("USDT 没到账 SUBJ-A", "昨天我的转账失败了，钱没有回来")
        .await;
    let (b, _) = app
        .create_ticket("App crashes SUBJ-B", "The app closes when I open it")
        .await;
    let get = |path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move {
            let r = client.get(url).send().await.expect("GET");
            let status = r.status().as_u16();
            (status, r.text().await.expect("body"))
        }
    };

    let (status, page) = get("/agent?view=unassigned".into()).await;
    assert_eq!(status, 200);
    assert!(page.contains("SUBJ-A") && page.contains("SUBJ-B"));
    assert!(page.contains("<html"));

    let q = "%E8%BD%AC%E8%B4%A6%E5%A4%B1%E8%B4%A5"; // 转账失败
    let (_, page) = get(format!("/agent?view=all&q={q}")).await;
    assert!(page.contains("SUBJ-A") && !page.contains("SUBJ-B"));
    let (_, page) = get("/agent?view=all&q=closes".into()).await;
    assert!(!page.contains("SUBJ-A") && page.contains("SUBJ-B"));

    let (_, fragment) = get(format!("/agent?view=all&q={q}&partial=1")).await;
    assert!(fragment.contains("SUBJ-A") && !fragment.contains("<html"));

    // Assigning one moves it from "unassigned" to "mine".
    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{a}"),
            &[
                ("status", "open"),
                ("priority", "high"),
                ("assignee", &*agent.id.to_string()),
                ("tags", "usdt, 转账"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, mine) = get("/agent?view=mine".into()).await;
    assert!(mine.contains("SUBJ-A") && !mine.contains("SUBJ-B"));
    let (_, unassigned) = get("/agent?view=unassigned".into()).await;
    assert!(!unassigned.contains("SUBJ-A") && unassigned.contains("SUBJ-B"));
    let t = app.state.store.ticket(TicketId(a)).await.expect("ticket");
    assert_eq!(t.tags, vec!["usdt", "转账"]);
    assert_eq!(t.status, Status::Open);
    let _ = b;
}

#[tokio::test]
async fn bulk_actions_change_every_ticked_ticket_and_are_audited() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("zhou@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (a, _) = app.create_ticket("One", "first problem").await;
    let (b, _) = app.create_ticket("Two", "second problem").await;
    let (c, _) = app.create_ticket("Three", "third problem").await;
    let (a_s, b_s) = (a.to_string(), b.to_string());
    let r = app
        .post_form(
            &client,
            "/agent/bulk",
            &[
                ("id", &a_s),
                ("id", &b_s),
                ("action", "assign_me"),
                ("back", "/agent?view=mine"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/agent?view=mine&done=bulk");
    let r = app
        .post_form(
            &client,
            "/agent/bulk",
            &[
                ("id", &a_s),
                ("id", &b_s),
                ("action", "status"),
                ("status", "solved"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    for id in [a, b] {
        let t = app.state.store.ticket(TicketId(id)).await.expect("ticket");
        assert_eq!(t.assignee, Some(agent.id));
        assert_eq!(t.status, Status::Solved);
    }
    let t = app.state.store.ticket(TicketId(c)).await.expect("ticket");
    assert_eq!(t.assignee, None);
    let audit = app.state.store.audit_log(100, 0).await.expect("audit");
    assert_eq!(
        audit.iter().filter(|e| e.action == "ticket.update").count(),
        4
    );
}

#[tokio::test]
async fn merging_moves_the_conversation_and_closes_the_source() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("wu@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (from, _) = app
        .create_ticket("Dup", "MERGED-BODY same problem again")
        .await;
    let (into, _) = app.create_ticket("Original", "the problem").await;
    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{from}/merge"),
            &[("into", &format!("#{into}"))],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/agent/tickets/{into}?done=merged"));
    let source = app
        .state
        .store
        .ticket(TicketId(from))
        .await
        .expect("ticket");
    assert_eq!(source.merged_into, Some(TicketId(into)));
    assert_eq!(source.status, Status::Closed);
    let page = client
        .get(app.url(&format!("/agent/tickets/{into}")))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains("MERGED-BODY"));
    // Not into itself.
    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{into}/merge"),
            &[("into", &into.to_string())],
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn canned_replies_are_filled_in_on_the_server() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("he@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("Pending", "my transfer is pending").await;
    let canned = app
        .state
        .store
        .save_canned_reply(
            None,
            domain::Redacted::clean("Ask for tx"),
            domain::Redacted::clean(
                "Hi {{requester_email}}, ticket #{{ticket_id}} ({{subject}}) — {{agent_name}}",
            ),
            domain::Lang::En,
        )
        .await
        .expect("canned");
    let page = client
        .get(app.url(&format!("/agent/tickets/{id}?canned={}", canned.id)))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains(&format!("Hi user@example.com, ticket #{id} (Pending) — he")));
}

#[tokio::test]
async fn the_event_stream_needs_a_session() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/agent/events").await.status(), 401);
    let agent = app.create_agent("lin@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let r = client
        .get(app.url("/agent/events"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"))
    );
}

#[tokio::test]
async fn the_event_stream_tells_open_pages_about_changes() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("ma@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("Live", "watch this").await;
    let mut events = client
        .get(app.url("/agent/events"))
        .send()
        .await
        .expect("GET");
    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{id}/messages"),
            &[("kind", "note"), ("body", "looking into it")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mut seen = String::new();
    let wanted = format!(r#"{{"type":"message_added","ticket":{id}}}"#);
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while !seen.contains(&wanted) {
            let chunk = events.chunk().await.expect("chunk").expect("stream open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("the event arrives");
}

#[tokio::test]
async fn the_ticket_page_links_the_tx_and_address_to_an_explorer_with_copy_buttons() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("chain@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let tx = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
    let r = app
        .post_json(
            "/api/v1/tickets",
            &serde_json::json!({"email": "u@example.com", "category": "transaction",
                "subject": "USDT not arrived", "body": "sent yesterday",
                "chain": "ethereum", "tx_hash": tx}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let html = client
        .get(app.url(&format!("/agent/tickets/{id}?lang=zh-CN")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("href=\"https://etherscan.io/tx/{tx}\"")),
        "{html}"
    );
    assert!(html.contains(&format!("data-copy=\"{tx}\"")));
    assert!(html.contains("在区块浏览器中查看") && html.contains("复制"));
    assert!(html.contains("Ethereum"), "the network's name, not its key");
}
