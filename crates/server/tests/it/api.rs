//! The agent API: Bearer tokens, listing, reading, replying, changing tickets; JSON errors; the
//! OpenAPI document.

use domain::Role;
use serde_json::{Value, json};

use crate::helpers::{PHRASE, TestApp};

async fn agent_token(app: &TestApp) -> (store::Agent, String) {
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let token = app.api_token(&agent).await;
    (agent, token)
}

#[tokio::test]
async fn without_a_token_the_api_answers_401_json() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/tickets", "/api/v1/tickets/1"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 401, "{path}");
        let j: Value = r.json().await.unwrap();
        assert_eq!(j["error"], "unauthenticated");
    }
    let r = app
        .client
        .get(app.url("/api/v1/tickets"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .patch(app.url("/api/v1/tickets/1"))
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn with_a_token_an_agent_lists_reads_replies_and_patches() {
    let app = TestApp::spawn().await;
    let (agent, token) = agent_token(&app).await;
    let (id, _) = app
        .create_ticket("transfer pending", "my USDT transfer is pending")
        .await;
    app.create_ticket("other thing", "hello").await;

    let list: Value = app
        .client
        .get(app.url("/api/v1/tickets?q=pending"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["tickets"][0]["id"], id);
    let all: Value = app
        .client
        .get(app.url("/api/v1/tickets?view=unassigned&limit=1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 2);
    assert_eq!(all["tickets"].as_array().unwrap().len(), 1);

    // A note with a phrase in it: redacted before it is kept.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
        .bearer_auth(&token)
        .json(&json!({"body": format!("user pasted {PHRASE}"), "kind": "note"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["kind"], "note");
    assert_eq!(m["author_agent_id"], agent.id.0);
    assert!(!m["body"].as_str().unwrap().contains("legal winner"));
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
        .bearer_auth(&token)
        .json(&json!({"body": "We are looking into it."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let detail: Value = app
        .client
        .get(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["public", "note", "public"]);

    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&json!({"status": "waiting_on_user", "priority": "high", "assignee_id": agent.id.0, "tags": ["USDT", "usdt", "tron"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["status"], "waiting_on_user");
    assert_eq!(t["priority"], "high");
    // A new priority counts the resolution timer again: high is 24 hours from creation.
    let stored = app.state.store.ticket(domain::TicketId(id)).await.unwrap();
    assert_eq!(
        stored.resolution_due,
        Some(stored.created_at.plus_minutes(24 * 60))
    );
    assert_eq!(
        t["resolution_due"],
        stored.created_at.plus_minutes(24 * 60).rfc3339()
    );
    assert_eq!(t["assignee_id"], agent.id.0);
    assert_eq!(t["tags"], json!(["usdt", "tron"]));
    let mine: Value = app
        .client
        .get(app.url("/api/v1/tickets?view=mine"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 1);
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&json!({"assignee_id": null}))
        .send()
        .await
        .unwrap();
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["assignee_id"], Value::Null);

    // Every write is audited.
    let log = app.state.store.audit_log(50, 0).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for a in ["ticket.note", "ticket.reply", "ticket.update"] {
        assert!(actions.contains(&a), "{a} not audited: {actions:?}");
    }
}

#[tokio::test]
async fn bad_input_gets_stable_json_errors() {
    let app = TestApp::spawn().await;
    let (_, token) = agent_token(&app).await;
    let (id, _) = app.create_ticket("s", "b").await;
    for (method, path) in [
        (reqwest::Method::PATCH, format!("/api/v1/tickets/{id}")),
        (
            reqwest::Method::POST,
            format!("/api/v1/tickets/{id}/messages"),
        ),
        (reqwest::Method::POST, "/api/v1/tickets".to_owned()),
    ] {
        let r = app
            .client
            .request(method, app.url(&path))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{path}");
        let j: Value = r.json().await.unwrap();
        assert_eq!(j["error"], "invalid_json", "{path}");
    }
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&json!({"status": "done", "assignee_id": 999}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["error"], "invalid_fields");
    let r = app
        .client
        .get(app.url("/api/v1/tickets/999"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "not_found");
    let r = app
        .client
        .get(app.url("/api/v1/tickets?view=everything"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_query");
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/openapi.json").await;
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    let mut routes: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {p}", m.to_uppercase()))
        })
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [
            "GET /api/v1/chain/address/{address}",
            "GET /api/v1/chain/tx/{hash}",
            "GET /api/v1/chat/conversations/{id}",
            "GET /api/v1/chat/conversations/{id}/attachments/{attachment}",
            "GET /api/v1/chat/conversations/{id}/events",
            "GET /api/v1/chat/conversations/{id}/ws",
            "GET /api/v1/fields/check",
            "GET /api/v1/help/search",
            "GET /api/v1/help/suggest",
            "GET /api/v1/tickets",
            "GET /api/v1/tickets/{id}",
            "GET /api/v1/verify",
            "PATCH /api/v1/tickets/{id}",
            "POST /api/v1/assistant/answer",
            "POST /api/v1/chat/conversations",
            "POST /api/v1/chat/conversations/{id}/attachments",
            "POST /api/v1/chat/conversations/{id}/frames",
            "POST /api/v1/fields/check",
            "POST /api/v1/help/search",
            "POST /api/v1/help/suggest",
            "POST /api/v1/signatures/verify",
            "POST /api/v1/tickets",
            "POST /api/v1/tickets/{id}/accept",
            "POST /api/v1/tickets/{id}/convert",
            "POST /api/v1/tickets/{id}/decline",
            "POST /api/v1/tickets/{id}/messages",
            "POST /api/v1/tickets/{id}/transfer",
            "POST /api/v1/verify",
        ]
    );
    // User text stays out of URLs: the GET forms are deprecated, their POST forms take the same
    // names in a JSON body.
    for (path, schema) in [
        ("/api/v1/fields/check", "CheckQuery"),
        ("/api/v1/help/search", "SearchIn"),
        ("/api/v1/help/suggest", "SuggestIn"),
    ] {
        assert_eq!(doc["paths"][path]["get"]["deprecated"], true, "{path}");
        assert_eq!(doc["paths"][path]["post"].get("deprecated"), None, "{path}");
        assert_eq!(
            doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}"),
            "{path}"
        );
        let params: Vec<&str> = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let props = doc["components"]["schemas"][schema]["properties"]
            .as_object()
            .unwrap();
        for p in params {
            assert!(props.contains_key(p), "{path}: {p} not in the POST body");
        }
    }
    for path in ["/api/v1/help/search", "/api/v1/help/suggest"] {
        for method in ["get", "post"] {
            assert!(
                doc["paths"][path][method]["responses"]["422"].is_object(),
                "{method} {path}: query_contains_secret"
            );
        }
    }
    let request = &doc["paths"]["/api/v1/tickets"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["$ref"];
    assert_eq!(request, "#/components/schemas/NewTicketIn");
    let props = doc["components"]["schemas"]["NewTicketIn"]["properties"]
        .as_object()
        .unwrap();
    for f in [
        "email", "category", "subject", "body", "chain", "tx_hash", "address",
    ] {
        assert!(props.contains_key(f), "{f}");
    }
    let (status, html) = app.get_text("/api/docs").await;
    assert_eq!(status, 200);
    assert!(html.contains("/api/v1/tickets/{id}/messages") && !html.contains("<script>"));
}

/// What one public reply left behind: status, first response, the mail, the audit entry.
async fn reply_effects(app: &TestApp, id: i64) -> (String, bool, String, String, String) {
    let t = app
        .state
        .store
        .ticket(domain::TicketId(id))
        .await
        .expect("ticket");
    let mail = app.state.store.pending_mail(100).await.expect("outbox");
    let mail = mail
        .iter()
        .find(|m| m.kind == "agent_reply" && m.ticket_id == Some(domain::TicketId(id)))
        .expect("the reply is mailed");
    let audit = app.state.store.audit_log(100, 0).await.expect("audit");
    let entry = audit
        .iter()
        .find(|e| e.target.as_deref() == Some(&*id.to_string()) && e.action.starts_with("ticket."))
        .expect("audited");
    (
        t.status.as_str().to_owned(),
        t.first_response_at.is_some(),
        mail.body_text.replace(&id.to_string(), "N"),
        entry.action.clone(),
        entry
            .detail
            .split("; via")
            .next()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn a_public_reply_through_the_api_does_what_the_agent_page_does() {
    let app = TestApp::spawn().await;
    let (agent, token) = agent_token(&app).await;
    let page = app.signed_in_client(&agent).await;
    let (by_page, _) = app.create_ticket("Swap stuck", "My swap is pending").await;
    let (by_api, _) = app.create_ticket("Swap stuck", "My swap is pending").await;
    let mut events = app.state.events.subscribe();

    let r = app
        .post_form(
            &page,
            &format!("/agent/tickets/{by_page}/messages"),
            &[("kind", "public"), ("body", "We are looking at it.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{by_api}/messages")))
        .bearer_auth(&token)
        .json(&json!({"body": "We are looking at it."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let api = reply_effects(&app, by_api).await;
    // The message ids differ; everything else is the same.
    let strip = |e: (String, bool, String, String, String)| {
        let detail = e.4.split_once(';').map(|(_, rest)| rest.to_owned());
        (e.0, e.1, e.2, e.3, detail)
    };
    assert_eq!(
        strip(api.clone()),
        strip(reply_effects(&app, by_page).await)
    );
    assert_eq!(api.0, "open");
    assert!(api.1, "first response recorded");
    assert!(api.2.contains("Our support team replied") && api.2.contains("We are looking at it."));
    assert_eq!(api.3, "ticket.reply");
    let audit = app.state.store.audit_log(100, 0).await.unwrap();
    assert!(audit.iter().any(|e| e.detail.contains("via api")));
    assert!(audit.iter().any(|e| e.detail.contains("via page")));
    // Answering an unassigned ticket takes it, on both paths.
    for id in [by_api, by_page] {
        let t = app.state.store.ticket(domain::TicketId(id)).await.unwrap();
        assert_eq!(t.assignee, Some(agent.id), "ticket {id}");
    }
    assert!(
        audit
            .iter()
            .any(|e| e.detail.ends_with("assigned to the author"))
    );

    // Both told open pages.
    let mut added = Vec::new();
    while let Ok(e) = events.try_recv() {
        if let server::Event::MessageAdded { ticket } = e {
            added.push(ticket.0);
        }
    }
    assert_eq!(added, [by_page, by_api]);
}

#[tokio::test]
async fn a_closed_ticket_takes_notes_but_no_public_reply_by_either_path() {
    let app = TestApp::spawn().await;
    let (agent, token) = agent_token(&app).await;
    let page = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("Old", "old question").await;
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
        .bearer_auth(&token)
        .json(&json!({"body": "late reply"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["error"], "ticket_closed");
    let r = app
        .post_form(
            &page,
            &format!("/agent/tickets/{id}/messages"),
            &[("kind", "public"), ("body", "late reply")],
        )
        .await;
    assert_eq!(
        r.status(),
        409,
        "a closed ticket is a conflict, not a bad request"
    );
    assert!(r.text().await.unwrap().contains("This ticket is closed"));
    let r = app
        .post_form(
            &page,
            &format!("/agent/tickets/{id}/messages"),
            &[("kind", "note"), ("body", "for the record")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mail = app.state.store.pending_mail(100).await.unwrap();
    assert!(mail.iter().all(|m| m.kind != "agent_reply"));
}

#[tokio::test]
async fn a_reply_takes_only_an_unassigned_ticket_and_a_note_takes_none() {
    let app = TestApp::spawn().await;
    let (_, token) = agent_token(&app).await;
    let other = app.create_agent("other@example.com", Role::Agent).await;
    let (theirs, _) = app.create_ticket("Fee too low", "Stuck for a day").await;
    let (noted, _) = app.create_ticket("Fee too low", "Stuck for a day").await;
    app.state
        .store
        .update_ticket(
            domain::TicketId(theirs),
            store::TicketUpdate {
                assignee: Some(Some(other.id)),
                ..store::TicketUpdate::default()
            },
            app.state.now(),
        )
        .await
        .unwrap();
    for (id, kind) in [(theirs, "public"), (noted, "note")] {
        let r = app
            .client
            .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
            .bearer_auth(&token)
            .json(&json!({"body": "Looking into it.", "kind": kind}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let t = |id| app.state.store.ticket(domain::TicketId(id));
    assert_eq!(t(theirs).await.unwrap().assignee, Some(other.id));
    assert_eq!(t(noted).await.unwrap().assignee, None);
}
