//! The rate-limit layer (`limit.rs`): every write and every costly read of the router is in a
//! budget class — walked from the router's own source, so a new route cannot be left unlimited
//! by accident — and a spent budget answers `429` with `Retry-After`, as a page in the
//! viewer's language or as the API's JSON error, before anything is stored. One client's
//! spending (behind a trusted proxy too) and one API token's do not limit another.

use domain::Role;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::helpers::{TestApp, extract_csrf};
use crate::route_walk::{all_routes, concrete};

/// Every budget of the layer's classes at `n`.
fn all_budgets(c: &mut server::Config, n: u32) {
    let l = &mut c.limits;
    l.sign_in = n;
    l.tickets_per_ip = n;
    l.replies_per_client = n;
    l.ratings_per_client = n;
    l.feedback_per_client = n;
    l.help_events_per_client = n;
    l.searches_per_client = n;
    l.verify_per_ip = n;
    l.public_writes_per_client = n;
    l.costly_reads_per_client = n;
    l.agent_writes_per_client = n;
    l.api_per_token = n;
    l.api_per_client = n;
}

/// The test's own idea of a costly read, independent of `limit::classify`: anything under the
/// JSON API but its documents, and any search.
fn costly_read(path: &str) -> bool {
    path.starts_with("/api/v1/") || path.contains("search")
}

fn retry_after(r: &reqwest::Response) -> Option<u64> {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn every_write_and_costly_read_is_limited_and_cheap_reads_are_not() {
    let app = TestApp::spawn_with(|c| all_budgets(c, 0)).await;
    let routes = all_routes();
    assert!(
        routes.len() > 60,
        "the walk found the router: {}",
        routes.len()
    );
    let mut wrong = Vec::new();
    for (method, path) in &routes {
        let url = app.url(&concrete(path));
        let r = match method.as_str() {
            "GET" => app.client.get(url),
            m => app
                .client
                .request(m.parse().expect("method"), url)
                .form(&[("body", "x")]),
        }
        .send()
        .await
        .expect("request");
        let status = r.status().as_u16();
        let limited = method != "GET" || costly_read(path);
        if !limited {
            if status == 429 {
                wrong.push(format!("{method} {path}: a cheap read was limited"));
            }
            continue;
        }
        let wait = retry_after(&r);
        let json = r
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"));
        let body = r.text().await.expect("body");
        if status != 429 || wait.is_none() {
            wrong.push(format!("{method} {path}: {status}, Retry-After {wait:?}"));
        } else if path.starts_with("/api/") {
            let code = serde_json::from_str::<Value>(&body)
                .ok()
                .map(|j| j["error"].clone());
            if !json || code != Some(json!("rate_limited")) {
                wrong.push(format!("{method} {path}: not the API's error: {body}"));
            }
        } else if json || !body.contains("Wait ") {
            wrong.push(format!(
                "{method} {path}: not a page saying how long to wait"
            ));
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
}

#[tokio::test]
async fn a_spent_budget_refuses_pages_in_both_languages_and_stores_nothing() {
    let app = TestApp::spawn_with(|c| c.limits.agent_writes_per_client = 2).await;
    let (id, _) = app.create_ticket("notes", "first").await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let li = app.signed_in_client(&agent).await;
    let csrf = extract_csrf(&app.page_as(&li, "/agent").await).expect("csrf");
    let note = |text: &'static str, lang: &'static str| {
        let (li, csrf) = (li.clone(), csrf.clone());
        let url = app.url(&format!("/agent/tickets/{id}/messages?lang={lang}"));
        async move {
            li.post(url)
                .form(&[("csrf", csrf.as_str()), ("kind", "note"), ("body", text)])
                .send()
                .await
                .expect("POST")
        }
    };
    for i in 0..2 {
        assert_eq!(
            note("within the budget", "en").await.status(),
            303,
            "note {i}"
        );
    }
    for (lang, words) in [("en", "Wait "), ("zh-CN", "请等待 ")] {
        let r = note("a note typed with care", lang).await;
        assert_eq!(r.status(), 429, "{lang}");
        let wait = retry_after(&r).expect("Retry-After");
        assert!((1..=600).contains(&wait), "{wait}");
        let html = r.text().await.expect("body");
        assert!(html.contains(words), "{lang}: {html}");
        assert!(html.contains(&format!("lang=\"{lang}\"")), "{html}");
        assert!(
            html.contains("a note typed with care"),
            "kept to copy: {html}"
        );
    }
    let notes = app
        .state
        .store
        .messages(domain::TicketId(id), true)
        .await
        .expect("messages")
        .iter()
        .filter(|m| m.kind == domain::MessageKind::Note)
        .count();
    assert_eq!(notes, 2, "the refused notes were not stored");
}

#[tokio::test]
async fn a_spent_budget_refuses_the_api_with_its_json_error() {
    let app = TestApp::spawn_with(|c| c.limits.costly_reads_per_client = 2).await;
    let check = || {
        app.client
            .post(app.url("/api/v1/fields/check"))
            .json(&json!({"field": "tx_hash", "value": "0x1234"}))
            .send()
    };
    for _ in 0..2 {
        assert_ne!(check().await.expect("POST").status(), 429);
    }
    let r = check().await.expect("POST");
    assert_eq!(r.status(), 429);
    assert!(retry_after(&r).is_some_and(|w| (1..=600).contains(&w)));
    let j: Value = r.json().await.expect("json");
    assert_eq!(j["error"], "rate_limited");
    // The same class by another route: the budget is the client's, not the route's.
    let r = app.get("/api/v1/help/suggest?q=seed").await;
    assert_eq!(r.status(), 429);
    // A cheap read still answers.
    assert_eq!(app.get("/help").await.status(), 200);
}

/// A browser behind the trusted proxy at 127.0.0.1, whose client address is `ip`.
fn behind_proxy(ip: &str) -> reqwest::Client {
    let mut h = HeaderMap::new();
    h.insert(
        "x-forwarded-for",
        HeaderValue::from_str(ip).expect("header"),
    );
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(h)
        .build()
        .expect("client")
}

#[tokio::test]
async fn one_clients_spending_does_not_limit_another_behind_a_trusted_proxy() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")];
        c.limits.costly_reads_per_client = 1;
    })
    .await;
    let answer = |client: reqwest::Client| {
        let url = app.url("/api/v1/assistant/answer");
        async move {
            client
                .post(url)
                .json(&json!({"question": "I sent USDT to the wrong network"}))
                .send()
                .await
                .expect("POST")
                .status()
                .as_u16()
        }
    };
    let mallory = behind_proxy("198.51.100.66");
    assert_eq!(answer(mallory.clone()).await, 200);
    assert_eq!(answer(mallory).await, 429);
    assert_eq!(
        answer(behind_proxy("203.0.113.7")).await,
        200,
        "another client"
    );
    // Without a proxy in front, the socket's address is the client: the test's own.
    assert_eq!(answer(TestApp::new_client()).await, 200);
}

#[tokio::test]
async fn the_api_is_limited_per_token_and_per_client() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_token = 2;
        c.limits.api_per_client = 4;
    })
    .await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let (a, b) = (app.api_token(&agent).await, app.api_token(&agent).await);
    let list = |token: &str| {
        let r = app
            .client
            .get(app.url("/api/v1/tickets"))
            .bearer_auth(token)
            .send();
        async move { r.await.expect("GET").status().as_u16() }
    };
    assert_eq!(list(&a).await, 200);
    assert_eq!(list(&a).await, 200);
    assert_eq!(list(&a).await, 429, "token a spent its own budget");
    assert_eq!(list(&b).await, 200, "token b has its own");
    // Four requests from this client (a refused one counts too): its budget is spent, whatever
    // the token.
    assert_eq!(list(&b).await, 429, "the client's budget");
}

#[tokio::test]
async fn every_operation_of_the_openapi_document_documents_its_429() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    let mut missing = Vec::new();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("operations") {
            if op["responses"].get("429").is_none() {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(paths.len() > 5, "{paths:?}");
    assert_eq!(missing, Vec::<String>::new(), "every API route is limited");
}
