//! Every agent and admin route, read from the router's own source (not a hand-kept list),
//! against every way in that must fail: no session, a half-signed-in session, an inactive
//! agent's session, the wrong role, and a form without its CSRF token.

use domain::Role;

use crate::helpers::TestApp;

/// `(method, path)` of every `.route("…", get(…).post(…))` in `src`.
fn routes_in(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        // The span up to the matching parenthesis.
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(j, _)| j);
        let span = &rest[..end];
        let Some(q1) = span.find('"') else { continue };
        let Some(q2) = span[q1 + 1..].find('"') else {
            continue;
        };
        let path = &span[q1 + 1..q1 + 1 + q2];
        let handlers = &span[q1 + 2 + q2..];
        for method in ["get", "post", "put", "patch", "delete"] {
            let mut h = handlers;
            while let Some(k) = h.find(&format!("{method}(")) {
                let before = h[..k].chars().last();
                if before.is_none_or(|c| c == '.' || c.is_whitespace() || c == ',') {
                    out.push((method.to_uppercase(), path.to_owned()));
                    break;
                }
                h = &h[k + 1..];
            }
        }
    }
    out
}

pub(crate) fn all_routes() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut all = Vec::new();
    for file in ["router.rs", "routes/admin/mod.rs"] {
        let src = std::fs::read_to_string(format!("{dir}/{file}")).expect("router source");
        all.extend(routes_in(&src));
    }
    all
}

/// Routes anyone may use: signing in (with a password or a passkey) and its links.
fn public(path: &str) -> bool {
    matches!(
        path,
        "/agent/sign-in"
            | "/agent/link/{token}"
            | "/agent/sign-in/passkey"
            | "/agent/sign-in/passkey/finish"
    ) || !(path.starts_with("/agent") || path.starts_with("/admin"))
}

/// What a restricted agent may not do on this route (method and path), if anything.
fn needs_more_than_reading(method: &str, path: &str) -> bool {
    let write = method != "GET";
    path.starts_with("/agent/help") && !path.starts_with("/agent/help/analytics")
        || (write
            && (path == "/agent/bulk" || path.ends_with("/merge") || path == "/agent/tickets/{id}"))
}

pub(crate) fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{attachment}", "1")
        .replace("{token}", &"x".repeat(43))
}

struct Outcome {
    status: u16,
    location: String,
}

async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    csrf: Option<&str>,
) -> Outcome {
    let url = app.url(&concrete(path));
    let r = match method {
        "GET" => client.get(url),
        "POST" => {
            let mut form = vec![("body", "x"), ("kind", "note")];
            if let Some(c) = csrf {
                form.push(("csrf", c));
            }
            client.post(url).form(&form)
        }
        m => client.request(m.parse().expect("method"), url),
    }
    .send()
    .await
    .expect("request");
    Outcome {
        status: r.status().as_u16(),
        location: r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap_or("").to_owned())
            .unwrap_or_default(),
    }
}

async fn session_client(
    app: &TestApp,
    email: &str,
    role: Role,
    verified: bool,
    active: bool,
) -> reqwest::Client {
    let agent = app.create_agent(email, role).await;
    if !active {
        app.state
            .store
            .update_agent(agent.id, None, None, Some(false), None)
            .await
            .expect("deactivate");
    }
    let token = app.session_token(&agent, verified).await;
    app.client_with_session(&token)
}

#[tokio::test]
async fn every_agent_and_admin_route_refuses_every_way_in_that_must_fail() {
    let routes = all_routes();
    assert!(
        routes.len() > 40,
        "the router was read: {} routes",
        routes.len()
    );
    assert!(routes.contains(&("POST".into(), "/admin/agents/{id}/role".into())));
    for new in [
        "/agent/security/passkeys/{id}/remove",
        "/agent/passkey/check/finish",
        "/admin/agents/{id}/reset-factors",
    ] {
        assert!(
            routes.contains(&("POST".into(), new.into())),
            "{new} is walked"
        );
    }
    let guarded: Vec<_> = routes.into_iter().filter(|(_, p)| !public(p)).collect();

    let app = TestApp::spawn().await;
    app.create_ticket("Pending", "my transfer is pending").await;
    let nobody = TestApp::new_client();
    let half = session_client(&app, "half@example.com", Role::Admin, false, true).await;
    let inactive = session_client(&app, "gone@example.com", Role::Admin, true, false).await;
    let agent = session_client(&app, "agent@example.com", Role::Agent, true, true).await;
    let restricted =
        session_client(&app, "trainee@example.com", Role::Restricted, true, true).await;
    let admin = session_client(&app, "admin@example.com", Role::Admin, true, true).await;
    let tokens = [
        app.csrf(&agent).await,
        app.csrf(&restricted).await,
        app.csrf(&admin).await,
    ];

    let mut failures = Vec::new();
    for (method, path) in &guarded {
        let what = format!("{method} {path}");
        for (who, client, csrf) in [("no session", &nobody, None), ("inactive", &inactive, None)] {
            let o = call(&app, client, method, path, csrf).await;
            let ok = o.status == 401 || (o.status == 303 && o.location == "/agent/sign-in");
            if !ok {
                failures.push(format!("{what} with {who}: {} {}", o.status, o.location));
            }
        }
        // Where a half-signed-in session finishes signing in (a code or a passkey, or setting
        // up a first authenticator or passkey when the policy demands one).
        let finishing = matches!(
            path.as_str(),
            "/agent/second-factor"
                | "/agent/security"
                | "/agent/security/totp/begin"
                | "/agent/security/totp/confirm"
                | "/agent/security/passkeys"
                | "/agent/security/passkeys/finish"
                | "/agent/passkey/check"
                | "/agent/passkey/check/finish"
        );
        if !finishing {
            let o = call(&app, &half, method, path, None).await;
            let ok = o.status == 401 || (o.status == 303 && o.location == "/agent/second-factor");
            if !ok {
                failures.push(format!(
                    "{what} half signed in: {} {}",
                    o.status, o.location
                ));
            }
        }
        let admin_only = path.starts_with("/admin") && !path.starts_with("/admin/api-tokens");
        if admin_only {
            let o = call(&app, &agent, method, path, Some(&tokens[0])).await;
            if o.status != 403 {
                failures.push(format!("{what} as an agent: {}", o.status));
            }
        }
        if admin_only || needs_more_than_reading(method, path) {
            let o = call(&app, &restricted, method, path, Some(&tokens[1])).await;
            if o.status != 403 {
                failures.push(format!("{what} as a restricted agent: {}", o.status));
            }
        }
        if method != "GET" {
            let o = call(&app, &admin, method, path, None).await;
            if o.status != 403 {
                failures.push(format!(
                    "{what} without a CSRF token: {} {}",
                    o.status, o.location
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_restricted_agent_reads_and_writes_notes_but_never_replies() {
    let app = TestApp::spawn().await;
    let (id, _) = app.create_ticket("Pending", "my transfer is pending").await;
    let trainee = session_client(&app, "trainee@example.com", Role::Restricted, true, true).await;
    let page = app.page_as(&trainee, &format!("/agent/tickets/{id}")).await;
    assert!(page.contains("my transfer is pending"));
    let post = |kind: &'static str| {
        let trainee = trainee.clone();
        let app = &app;
        async move {
            app.post_form(
                &trainee,
                &format!("/agent/tickets/{id}/messages"),
                &[
                    ("kind", kind),
                    ("body", "checked the explorer: still pending"),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(post("note").await, 303);
    assert_eq!(post("public").await, 403);
    let messages = app
        .state
        .store
        .messages(domain::TicketId(id), true)
        .await
        .expect("messages");
    assert_eq!(messages.len(), 2, "the ticket and the note, no reply");
    // The API applies the same rule to a restricted agent's token.
    let agent = app
        .state
        .store
        .agent_by_email(&domain::EmailAddress::parse("trainee@example.com").expect("e-mail"))
        .await
        .expect("agent");
    let token = app.api_token(&agent).await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"body": "hello", "kind": "public"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"status": "solved"}))
        .send()
        .await
        .expect("PATCH");
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn only_admins_and_agents_given_the_grant_publish_articles() {
    let app = TestApp::spawn().await;
    let writer = app.create_agent("writer@example.com", Role::Agent).await;
    let client = app.signed_in_client(&writer).await;
    let r = app.post_form(&client, "/agent/help/1/publish", &[]).await;
    assert_eq!(r.status(), 403, "an agent without the grant");
    app.state
        .store
        .set_agent_can_publish(writer.id, true)
        .await
        .expect("grant");
    let r = app.post_form(&client, "/agent/help/1/publish", &[]).await;
    assert_ne!(
        r.status(),
        403,
        "with the grant it gets to the article (none here: 404)"
    );
}
