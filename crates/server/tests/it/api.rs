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
            "GET /api/v1/fields/check",
            "GET /api/v1/help/search",
            "GET /api/v1/help/suggest",
            "GET /api/v1/tickets",
            "GET /api/v1/tickets/{id}",
            "PATCH /api/v1/tickets/{id}",
            "POST /api/v1/assistant/answer",
            "POST /api/v1/tickets",
            "POST /api/v1/tickets/{id}/messages",
        ]
    );
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
