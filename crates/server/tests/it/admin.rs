//! Admin pages: who may open them, creating an agent (audited, link shown once), the rules that
//! keep an admin, and API tokens.

use domain::Role;

use crate::helpers::{TestApp, extract_csrf};

#[tokio::test]
async fn admin_pages_need_an_admin() {
    let app = TestApp::spawn().await;
    let r = app.get("/admin").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/agent/sign-in");
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    for path in [
        "/admin",
        "/admin/agents",
        "/admin/sla",
        "/admin/satisfaction",
        "/admin/canned",
        "/admin/categories",
        "/admin/brand",
        "/admin/audit",
    ] {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    // Every agent manages its own API tokens.
    let r = client
        .get(app.url("/admin/api-tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn every_admin_page_renders_in_both_languages() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    for path in [
        "/admin",
        "/admin/agents",
        "/admin/sla",
        "/admin/satisfaction",
        "/admin/canned",
        "/admin/categories",
        "/admin/brand",
        "/admin/audit",
        "/admin/api-tokens",
    ] {
        for (lang, word) in [("en", "Overview"), ("zh-CN", "概览")] {
            let r = client
                .get(app.url(&format!("{path}?lang={lang}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            let html = r.text().await.unwrap();
            assert!(html.contains(word), "{path} {lang}");
        }
    }
}

#[tokio::test]
async fn an_admin_creates_an_agent_and_it_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let r = app
        .post_form(
            &client,
            "/admin/agents",
            &[
                ("email", "new@example.com"),
                ("name", "New Agent"),
                ("role", "agent"),
                ("lang", "en"),
            ],
        )
        .await;
    // Post/redirect/get: the page the form leads to shows the link, once (crate::once).
    let to = TestApp::see_other(&r);
    assert_eq!(to, "/admin/agents?done=created");
    let html = client
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("/agent/link/"),
        "the sign-in link is shown once"
    );
    // Another browser of the same admin (no cookie) never sees it.
    let other = app.signed_in_client(&admin).await;
    let seen = other.get(app.url(&to)).send().await.unwrap();
    assert!(!seen.text().await.unwrap().contains("/agent/link/"));
    let agents = app.state.store.agents().await.unwrap();
    let new = agents
        .iter()
        .find(|a| a.email.as_str() == "new@example.com")
        .unwrap();
    assert_eq!(new.role, Role::Agent);
    let log = app.state.store.audit_log(10, 0).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "agent.create" && e.actor == Some(admin.id))
    );
    let (_, listing) = {
        let r = client.get(app.url("/admin/agents")).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    };
    assert!(listing.contains("new@example.com") && !listing.contains("/agent/link/"));

    // Without the form token nothing happens.
    let r = client
        .post(app.url("/admin/agents"))
        .form(&[
            ("email", "x@example.com"),
            ("name", "X"),
            ("role", "agent"),
            ("csrf", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        app.state
            .store
            .agent_by_email(&domain::EmailAddress::parse("x@example.com").unwrap())
            .await
            .is_err()
    );
}

/// A refused new-agent form comes back as typed, the wrong field marked, in the admin's
/// language: nothing to type again.
#[tokio::test]
async fn a_refused_new_agent_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    app.create_agent("taken@example.com", Role::Agent).await;
    for (lang, email, name, wrong, says) in [
        ("en", "not-an-address", "Li Lei", "a-email", "e-mail"),
        ("zh-CN", "taken@example.com", "韩梅梅", "a-email", "已"),
        (
            "en",
            "fresh@example.com",
            &"N".repeat(101) as &str,
            "a-name",
            "name",
        ),
    ] {
        let r = app
            .post_form(
                &client,
                &format!("/admin/agents?lang={lang}"),
                &[
                    ("email", email),
                    ("name", name),
                    ("role", "restricted"),
                    ("lang", "en"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422, "{email}");
        let page = r.text().await.unwrap();
        assert!(page.contains(&format!("value=\"{email}\"")), "{page}");
        assert!(page.contains(&format!("value=\"{name}\"")));
        assert!(page.contains("<option value=\"restricted\" selected>"));
        assert!(page.contains("<option value=\"en\" selected>English"));
        let field = page
            .split(&format!("id=\"{wrong}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or("");
        assert!(field.contains("aria-invalid=\"true\""), "{wrong}: {field}");
        assert!(page.contains(says), "{lang}: {says}");
    }
    // Nothing was created.
    assert_eq!(app.state.store.agents().await.unwrap().len(), 2);
    // A fresh form has the usual role and the admin's own language.
    let page = app.page_as(&client, "/admin/agents?lang=en").await;
    assert!(page.contains("<option value=\"agent\" selected>"));
    assert!(page.contains("<option value=\"en\" selected>English"));
}

#[tokio::test]
async fn the_last_admin_stays_and_nobody_deactivates_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let r = app
        .post_form(
            &client,
            &format!("/admin/agents/{}/deactivate", admin.id),
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .post_form(
            &client,
            &format!("/admin/agents/{}/role", admin.id),
            &[("role", "agent")],
        )
        .await;
    // Nor takes their own role away (they would land on a page they may no longer open).
    let page = r.text().await.unwrap();
    assert!(page.contains("You cannot change your own role"), "{page}");
    assert!(
        !page.contains(&format!("action=\"/admin/agents/{}/role\"", admin.id)),
        "no role form on one's own row"
    );
    let me = app.state.store.agent(admin.id).await.unwrap();
    assert!(me.active && me.role == Role::Admin);

    let other = app.create_agent("other@example.com", Role::Agent).await;
    app.post_form(
        &client,
        &format!("/admin/agents/{}/deactivate", other.id),
        &[],
    )
    .await;
    assert!(!app.state.store.agent(other.id).await.unwrap().active);
}

#[tokio::test]
async fn sla_validation_names_the_problem() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let mut fields = vec![
        ("first_urgent", "60"),
        ("resolution_urgent", "30"),
        ("first_high", "120"),
        ("resolution_high", "1440"),
        ("first_normal", "480"),
        ("resolution_normal", "4320"),
        ("first_low", "1440"),
        ("resolution_low", "10080"),
    ];
    let mut refused = fields.clone();
    refused.extend([
        ("first_high_unit", "hours"),
        ("bh_enabled", "on"),
        ("bh_time_zone", "Asia/Shanghai"),
        ("bh_start", "08:30"),
        ("bh_end", "20:00"),
        ("day6", "on"),
    ]);
    let r = app.post_form(&client, "/admin/sla?lang=en", &refused).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("at least the first-response target"));
    // Every edit comes back as typed, not as stored: the 120 with its new unit, the hours,
    // the Saturday (day6) ticked.
    assert!(page.contains("name=\"first_high\" value=\"120\""), "{page}");
    assert!(page.contains("<option value=\"hours\" selected>"));
    assert!(page.contains("value=\"08:30\""));
    assert!(page.contains("value=\"20:00\""));
    let saturday = page
        .split("name=\"day6\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or("");
    assert!(saturday.contains("checked"), "{saturday}");
    assert_eq!(
        app.state.store.sla_policy().await.unwrap().business_hours,
        None,
        "nothing was saved"
    );
    fields[1] = ("resolution_urgent", "600");
    app.post_form(&client, "/admin/sla", &fields).await;
    let p = app.state.store.sla_policy().await.unwrap();
    assert_eq!(
        p.target(domain::Priority::Urgent)
            .unwrap()
            .first_response_minutes,
        60
    );
}

#[tokio::test]
async fn sla_targets_in_hours_and_days_and_a_named_time_zone() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    // The default policy reads in the largest whole unit.
    let html = client
        .get(app.url("/admin/sla?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let low = html
        .split("<tr>")
        .find(|r| r.contains("name=\"first_low\""))
        .unwrap();
    assert!(low.contains("name=\"first_low\" value=\"1\""), "{low}");
    assert!(
        low.contains("<option value=\"days\" selected>days</option>"),
        "{low}"
    );
    assert!(html.contains("value=\"Asia/Shanghai\""), "the default zone");
    assert!(
        html.contains("<option value=\"Europe/Berlin\">"),
        "zone suggestions"
    );

    let mut fields = vec![
        ("first_urgent", "30"),
        ("first_urgent_unit", "minutes"),
        ("resolution_urgent", "8"),
        ("resolution_urgent_unit", "hours"),
        ("first_high", "2"),
        ("first_high_unit", "hours"),
        ("resolution_high", "1"),
        ("resolution_high_unit", "days"),
        ("first_normal", "8"),
        ("first_normal_unit", "hours"),
        ("resolution_normal", "3"),
        ("resolution_normal_unit", "days"),
        ("first_low", "1"),
        ("first_low_unit", "days"),
        ("resolution_low", "2"),
        ("resolution_low_unit", "days"),
        ("bh_enabled", "on"),
        ("bh_time_zone", "Europe/Berlin"),
        ("bh_start", "09:00"),
        ("bh_end", "17:30"),
        ("day0", "on"),
        ("day4", "on"),
    ];
    app.post_form(&client, "/admin/sla", &fields).await;
    let p = app.state.store.sla_policy().await.unwrap();
    let low = p.target(domain::Priority::Low).unwrap();
    assert_eq!(
        (low.first_response_minutes, low.resolution_minutes),
        (1440, 2880)
    );
    let bh = p.business_hours.unwrap();
    assert_eq!(bh.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(
        (bh.start_minute, bh.end_minute, bh.weekdays),
        (540, 1050, 0b1_0001)
    );
    let html = client
        .get(app.url("/admin/sla?lang=zh-CN"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"Europe/Berlin\""));
    assert!(html.contains("时区"));

    // An unknown zone is named and nothing is saved.
    fields[17] = ("bh_time_zone", "Europe/Atlantis");
    let html = app
        .post_form(&client, "/admin/sla?lang=en", &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Choose a time zone from the list"), "{html}");
    let p = app.state.store.sla_policy().await.unwrap();
    assert_eq!(
        p.business_hours.unwrap().time_zone.as_deref(),
        Some("Europe/Berlin")
    );
}

#[tokio::test]
async fn an_agent_makes_an_api_token_that_works_once_shown() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let client = app.signed_in_client(&agent).await;
    let r = app
        .post_form(&client, "/admin/api-tokens", &[("name", "script")])
        .await;
    let to = TestApp::see_other(&r);
    let html = client
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = html.find("class=\"once\">").unwrap() + "class=\"once\">".len();
    let token = &html[at..at + 43];
    let r = app
        .client
        .get(app.url("/api/v1/tickets"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = client
        .get(app.url("/admin/api-tokens"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(token) && extract_csrf(&page).is_some());
}

/// The audit log reads in the admin's language: actions by label (their codes kept beside
/// them), details in words, the values they carry as recorded.
#[tokio::test]
async fn the_audit_log_reads_in_chinese() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    app.post_form(
        &client,
        "/admin/agents",
        &[
            ("email", "new@example.com"),
            ("name", "新客服"),
            ("role", "agent"),
            ("lang", "zh-CN"),
        ],
    )
    .await;
    let page = app.page_as(&client, "/admin/audit?lang=zh-CN").await;
    assert!(page.contains("创建客服"), "{page}");
    assert!(page.contains("<code class=\"muted\">agent.create</code>"));
    assert!(page.contains("角色：客服"), "{page}");
    assert!(!page.contains(">role agent<"));
    let page = app.page_as(&client, "/admin/audit?lang=en").await;
    assert!(
        page.contains("Agent created") && page.contains("role: Agent"),
        "{page}"
    );
}
