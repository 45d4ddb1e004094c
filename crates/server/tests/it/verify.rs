//! "Is this really us?": `/api/v1/verify` (each code, both languages, refusals), the `/verify`
//! page, reporting a fake as a security ticket.

use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn verify(app: &TestApp, value: &str, lang: &str) -> Value {
    let r = app
        .post_json("/api/v1/verify", &json!({"value": value, "lang": lang}))
        .await;
    assert_eq!(r.status(), 200, "{value}");
    r.json().await.expect("json")
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn the_api_answers_each_code_in_the_requested_language() {
    let app = TestApp::spawn().await;
    // (value, official, kind, a code it must carry)
    let cases = [
        ("https://lanternfish.example/help/", true, "url", "official"),
        ("Support@Lanternfish.Example", true, "email", "official"),
        ("https://example.org", false, "url", "not_listed"),
        (
            "lanternfish-support.com",
            false,
            "domain",
            "lookalike_domain",
        ),
        (
            "lanternfish-support.com",
            false,
            "domain",
            "brand_in_foreign_name",
        ),
        ("lanternf1sh.example", false, "domain", "homoglyph"),
        (
            "https://xn--lnternfish-zqi.example",
            false,
            "url",
            "punycode",
        ),
        ("https://lаnternfish.example", false, "url", "mixed_script"),
        ("@lanternfish_support", false, "handle", "lookalike_handle"),
        ("http://example.net/login", false, "url", "insecure_url"),
        ("https://bit.ly/abc123", false, "url", "url_shortener"),
        ("http://203.0.113.9/", false, "url", "ip_address_host"),
        (
            "https://lanternfish.example@evil.test/",
            false,
            "url",
            "userinfo",
        ),
        ("lanternfish.help@gmail.com", false, "email", "free_mail"),
        (
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            false,
            "address",
            "funds_request",
        ),
        ("?!", false, "unknown", "unrecognised"),
    ];
    for (value, official, kind, code) in cases {
        for lang in ["en", "zh-CN"] {
            let v = verify(&app, value, lang).await;
            assert_eq!(v["official"], official, "{value}: {v}");
            assert_eq!(v["kind"], kind, "{value}: {v}");
            let cs = codes(&v);
            assert!(cs.contains(&code.to_owned()), "{value}: {cs:?}");
            assert_eq!(cs.last().map(String::as_str), Some("never_asks"));
            for f in v["findings"].as_array().unwrap() {
                let m = f["message"].as_str().unwrap();
                assert!(!m.starts_with("verify."), "untranslated {m}");
                assert!(!m.contains('{'), "unfilled {m}");
                if lang == "zh-CN" {
                    assert!(
                        m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                        "{m}"
                    );
                }
            }
            assert!(v["channels"].as_array().unwrap().len() >= 2);
        }
    }
}

#[tokio::test]
async fn get_takes_the_value_in_the_query_and_accept_language() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/api/v1/verify?value=lanternfish-support.com"))
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["official"], false);
    let f = &v["findings"][1];
    assert_eq!(f["code"], "lookalike_domain");
    assert!(
        f["message"].as_str().unwrap().contains("lanternfish"),
        "{f}"
    );
    assert!(f["message"].as_str().unwrap().contains("加了别的词"), "{f}");
}

#[tokio::test]
async fn a_secret_is_refused_and_never_logged_or_stored() {
    let app = TestApp::spawn().await;
    let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    let r = app
        .post_json("/api/v1/verify", &json!({"value": phrase}))
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "value_contains_secret");
    assert!(!v.to_string().contains("abandon"), "{v}");
    // The page: refused, the phrase not shown back.
    let client = TestApp::new_client();
    let r = app
        .post_form(&client, "/verify", &[("value", phrase)])
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"verify-refusal\""));
    assert!(!html.contains("abandon abandon"), "echoed");
    // A report of it opens no ticket.
    let r = app
        .post_form(&client, "/verify/report", &[("value", phrase)])
        .await;
    assert_ne!(r.status(), 303);
    assert!(!app.dump_database().await.contains("abandon abandon"));
}

#[tokio::test]
async fn bad_input_is_a_clear_error() {
    let app = TestApp::spawn().await;
    let r = app
        .post_json("/api/v1/verify", &json!({"value": "  "}))
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "value_missing");
    let long = "a".repeat(3000);
    let r = app
        .post_json("/api/v1/verify", &json!({"value": long}))
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "value_too_long");
    let r = app
        .client
        .post(app.url("/api/v1/verify"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_json");
    // An array of the fields' values is not the documented object (serde alone took it).
    let r = app
        .post_json("/api/v1/verify", &json!(["https://lanternfish.example"]))
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_json");
}

#[tokio::test]
async fn checks_are_rate_limited_per_client() {
    let app = TestApp::spawn_with(|c| c.limits.verify_per_ip = 2).await;
    for _ in 0..2 {
        let r = app
            .post_json("/api/v1/verify", &json!({"value": "example.org"}))
            .await;
        assert_eq!(r.status(), 200);
    }
    let r = app
        .post_json("/api/v1/verify", &json!({"value": "example.org"}))
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "rate_limited");
}

#[tokio::test]
async fn the_page_explains_the_verdict_in_both_languages() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_text("/verify").await;
    assert_eq!(status, 200);
    assert!(html.contains("Is this really us?"));
    assert!(
        html.contains("support@lanternfish.example"),
        "channels listed"
    );
    let zh = app.get_text("/verify?lang=zh-CN").await.1;
    assert!(zh.contains("这真的是官方客服吗？"));

    let client = TestApp::new_client();
    let r = app
        .post_form(
            &client,
            "/verify?lang=en",
            &[("value", "lanternfish-support.com")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("No, this is not one of our official channels."));
    assert!(html.contains("data-code=\"lookalike_domain\""));
    assert!(
        html.contains("id=\"report-form\""),
        "a fake can be reported"
    );

    let zh_client = TestApp::new_client();
    zh_client
        .get(app.url("/verify?lang=zh-CN"))
        .send()
        .await
        .unwrap();
    let r = app
        .post_form(
            &zh_client,
            "/verify",
            &[("value", "https://lanternfish.example/")],
        )
        .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("是的，这是我们的官方渠道之一。"), "{html}");
    assert!(!html.contains("id=\"report-form\""), "nothing to report");

    // Linked from the footer of every page and from the help center.
    assert!(app.get_text("/").await.1.contains("href=\"/verify\""));
    assert!(app.get_text("/help").await.1.contains("id=\"help-verify\""));
}

#[tokio::test]
async fn reporting_a_fake_opens_a_security_ticket_with_the_evidence() {
    let app = TestApp::spawn().await;
    let client = TestApp::new_client();
    let r = app
        .post_form(
            &client,
            "/verify/report",
            &[
                ("value", "https://lanternfish-support.com/claim"),
                ("email", "reporter@example.com"),
                ("note", "Telegram DM from 'Lanternfish Support'"),
            ],
        )
        .await;
    let to = TestApp::see_other(&r);
    assert!(
        to.starts_with("/t/") && to.ends_with("?done=created"),
        "{to}"
    );
    let page = app.page_as(&client, &to).await;
    assert!(page.contains("lanternfish-support.com/claim"));
    // The findings and the kind in words, not the API's codes.
    assert!(
        page.contains("takes lanternfish and adds words to it"),
        "{page}"
    );
    assert!(page.contains(": link"));
    for code in ["lookalike_domain", "not_listed", ": url"] {
        assert!(!page.contains(code), "{code}");
    }
    assert!(page.contains("Telegram DM"));
    let page = app
        .state
        .store
        .tickets_for_view(&store::TicketQuery::view(store::View::All, app.state.now()))
        .await
        .unwrap();
    let t = page.tickets.first().expect("a ticket");
    assert_eq!(t.category, domain::Category::Security);
    assert_eq!(t.requester.as_str(), "reporter@example.com");

    // Without an e-mail address: filed all the same, under an address that receives no mail.
    let r = app
        .post_form(&client, "/verify/report", &[("value", "@lanternf1sh")])
        .await;
    let to = TestApp::see_other(&r);
    let page = app.page_as(&client, &to).await;
    assert!(
        page.contains("characters that look like the letters of"),
        "{page}"
    );
    assert!(!page.contains("homoglyph"));

    // A bad address comes back with the note kept.
    let r = app
        .post_form(
            &client,
            "/verify/report",
            &[
                ("value", "bit.ly/x1"),
                ("email", "not an address"),
                ("note", "seen on X"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"report-errors\""));
    assert!(html.contains("seen on X"));
}

#[tokio::test]
async fn a_report_is_redacted_like_every_ticket() {
    let app = TestApp::spawn().await;
    let client = TestApp::new_client();
    let key = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
    let r = app
        .post_form(
            &client,
            "/verify/report",
            &[
                ("value", "lanternfish-help.com"),
                ("note", &format!("they asked for {key}")),
            ],
        )
        .await;
    TestApp::see_other(&r);
    assert!(!app.dump_database().await.contains(key));
}

#[tokio::test]
async fn admins_edit_the_official_channels_and_verify_uses_them_at_once() {
    use domain::Role;
    let app = TestApp::spawn().await;
    // Not listed yet.
    let v = verify(&app, "https://t.me/LanternfishHQ", "en").await;
    assert_eq!(v["official"], false);

    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let page = app.page_as(&client, "/admin/brand").await;
    assert!(page.contains("id=\"channels-form\""));
    assert!(page.contains("value=\"https://lanternfish.example\""));
    let r = app
        .post_form(
            &client,
            "/admin/brand/channels",
            &[
                ("kind_0", "website"),
                ("value_0", "https://lanternfish.example"),
                ("kind_1", "email"),
                ("value_1", "support@lanternfish.example"),
                ("remove_1", "on"),
                ("kind_2", "telegram"),
                ("value_2", "@LanternfishHQ"),
                ("kind_3", ""),
                ("value_3", ""),
            ],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/brand?done=saved");

    let v = verify(&app, "https://t.me/LanternfishHQ", "en").await;
    assert_eq!(v["official"], true, "{v}");
    assert_eq!(v["kind"], "telegram");
    let v = verify(&app, "support@lanternfish.example", "en").await;
    assert_eq!(v["official"], false, "removed: {v}");
    let footer = app.get_text("/").await.1;
    assert!(footer.contains("@LanternfishHQ"));
    assert!(!footer.contains("support@lanternfish.example"));
    // The kinds are picked from a list in the reader's language, each row's own selected.
    let zh = app.page_as(&client, "/admin/brand?lang=zh-CN").await;
    assert!(
        zh.contains("<option value=\"website\" selected>官网</option>"),
        "{zh}"
    );
    assert!(
        zh.contains("<option value=\"telegram\" selected>Telegram</option>"),
        "{zh}"
    );
    assert!(
        zh.contains("<option value=\"wechat\">微信公众号</option>"),
        "{zh}"
    );
    assert!(zh.contains("<option value=\"\">请选择…</option>"), "{zh}");
    assert!(
        !zh.contains("list=\"channel-kinds\""),
        "no free text of keys"
    );
    // (`?lang=` is remembered: back to English for the messages below.)
    app.page_as(&client, "/admin/brand?lang=en").await;

    // Audited, with the list.
    let audit = app.page_as(&client, "/admin/audit").await;
    assert!(audit.contains("brand.channels"), "{audit}");

    // Saving the name keeps the list.
    let r = app
        .post_form(
            &client,
            "/admin/brand",
            &[
                ("name", "Lanternfish Wallet"),
                ("support_email", "support@lanternfish.example"),
                ("primary_color", "#0b6e4f"),
            ],
        )
        .await;
    TestApp::see_other(&r);
    assert_eq!(verify(&app, "@LanternfishHQ", "en").await["official"], true);

    // A bad row is refused with the list unchanged; an empty list too.
    let r = app
        .post_form(
            &client,
            "/admin/brand/channels",
            &[("kind_0", "web site!"), ("value_0", "x")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Each channel needs a kind")
    );
    let r = app
        .post_form(
            &client,
            "/admin/brand/channels",
            &[
                ("kind_0", "website"),
                ("value_0", "https://lanternfish.example"),
                ("remove_0", "on"),
            ],
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Keep at least one official channel.")
    );
    assert_eq!(verify(&app, "@LanternfishHQ", "en").await["official"], true);

    // Back to the configured list.
    let r = app
        .post_form(&client, "/admin/brand/channels", &[("reset", "1")])
        .await;
    TestApp::see_other(&r);
    assert_eq!(
        verify(&app, "@LanternfishHQ", "en").await["official"],
        false
    );
    assert_eq!(
        verify(&app, "support@lanternfish.example", "en").await["official"],
        true
    );

    // Only admins.
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let agent_client = app.signed_in_client(&agent).await;
    let r = app
        .post_form(
            &agent_client,
            "/admin/brand/channels",
            &[("kind_0", "telegram"), ("value_0", "@scammer")],
        )
        .await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    assert_eq!(verify(&app, "@scammer", "en").await["official"], false);
}
