//! The help center: seeded articles, pages, feedback, search API, versions, deflection.

use domain::{Lang, Role, Timestamp};
use store::ArticleStatus;

use crate::helpers::TestApp;

const PHRASE: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

async fn seeded() -> TestApp {
    let app = TestApp::spawn().await;
    server::help::seed_articles(&app.state).await.expect("seed");
    app
}

#[tokio::test]
async fn seeding_loads_published_articles_in_both_languages() {
    let app = seeded().await;
    for lang in [Lang::En, Lang::ZhCn] {
        let n = app
            .state
            .store
            .articles(Some(lang), true)
            .await
            .expect("articles")
            .len();
        assert!(n >= 30, "{lang:?}: {n}");
    }
    // Seeding twice adds nothing.
    assert_eq!(
        server::help::seed_articles(&app.state).await.expect("seed"),
        0
    );
}

#[tokio::test]
async fn help_lists_categories_in_both_languages() {
    let app = seeded().await;
    let (status, en) = app.get_text("/help?lang=en").await;
    assert_eq!(status, 200);
    assert!(
        en.contains("Transactions") && en.contains("Security"),
        "{en}"
    );
    let (_, zh) = app.get_text("/help?lang=zh-CN").await;
    assert!(zh.contains("转账与交易") && zh.contains("安全"));
    assert!(zh.contains("/help/transaction-failed-fee-charged"));
}

#[tokio::test]
async fn article_page_numbers_steps_and_escapes_raw_html() {
    let app = seeded().await;
    let mut a = app
        .state
        .store
        .article_by_slug("send-crypto-step-by-step", Lang::En)
        .await
        .expect("article");
    a.body.push_str("\n\n<script>alert(1)</script>\n");
    save(&app, &a, None).await;
    let (status, html) = app.get_text("/help/send-crypto-step-by-step?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("<ol>"), "numbered steps");
    assert!(!html.contains("<script>alert"), "raw HTML escaped");
    assert!(html.contains("&lt;script&gt;alert"));
    assert!(html.contains("/tickets/new?subject="));
    let views = app.state.store.article(a.id).await.expect("article").views;
    assert_eq!(views, 1);
}

/// "Contact us at /tickets/new" in an article is a link to the form, in both languages.
#[tokio::test]
async fn a_bare_path_to_the_form_in_an_article_is_a_link() {
    let app = seeded().await;
    for lang in ["en", "zh-CN"] {
        let (status, html) = app
            .get_text(&format!("/help/pin-password-reset?lang={lang}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<a href=\"/tickets/new\">/tickets/new</a>"),
            "{lang}: {html}"
        );
    }
}

async fn save(
    app: &TestApp,
    a: &store::Article,
    author: Option<domain::AgentId>,
) -> store::Article {
    app.state
        .store
        .save_article(store::ArticleDraft {
            slug: a.slug.clone(),
            lang: a.lang,
            category: a.category.clone(),
            topics: a.topics.clone(),
            keywords: a
                .keywords
                .iter()
                .map(|k| domain::Redacted::clean(k))
                .collect(),
            title: domain::Redacted::clean(&a.title),
            summary: domain::Redacted::clean(&a.summary),
            body: domain::Redacted::clean(&a.body),
            author,
            now: app.state.now(),
        })
        .await
        .expect("save")
}

#[tokio::test]
async fn feedback_is_recorded_with_the_comment_redacted() {
    let app = seeded().await;
    let comment = format!("did not work, my words are {PHRASE}");
    let r = app
        .post_form(
            &app.client,
            "/help/restore-from-recovery-phrase/feedback",
            &[("lang", "en"), ("helpful", "no"), ("comment", &comment)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let a = app
        .state
        .store
        .article_by_slug("restore-from-recovery-phrase", Lang::En)
        .await
        .expect("article");
    assert_eq!(a.helpful_no, 1);
    let fb = app
        .state
        .store
        .article_feedback(a.id, 10)
        .await
        .expect("feedback");
    let stored = fb[0].comment.as_ref().expect("comment").as_str().to_owned();
    assert!(!stored.contains("abandon abandon"), "{stored}");
    // Without the form token, nothing is recorded.
    let r = app
        .client
        .post(app.url("/help/restore-from-recovery-phrase/feedback"))
        .form(&[("lang", "en"), ("helpful", "yes")])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 403);
}

async fn search(app: &TestApp, q: &str, lang: &str) -> serde_json::Value {
    let r = app
        .client
        .get(app.url("/api/v1/help/search"))
        .query(&[("q", q), ("lang", lang)])
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

fn urls(j: &serde_json::Value) -> Vec<String> {
    j["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["url"].as_str().expect("url").to_owned())
        .collect()
}

#[tokio::test]
async fn search_api_finds_the_articles_users_mean() {
    let app = seeded().await;
    let zh = search(&app, "转账失败", "zh-CN").await;
    let u = urls(&zh);
    assert!(
        u.iter()
            .take(3)
            .any(|u| u.contains("transaction-failed-fee-charged")),
        "{u:?}"
    );
    let first = &zh["results"][0];
    assert!(
        first["title"].is_string() && first["snippet"].is_string() && first["score"].is_number()
    );
    let en = urls(&search(&app, "seed phrase", "en").await);
    assert!(
        en.iter()
            .take(5)
            .any(|u| u.contains("restore-from-recovery-phrase")),
        "{en:?}"
    );
    let long = "x".repeat(search::MAX_QUERY_CHARS + 1);
    let r = app
        .client
        .get(app.url("/api/v1/help/search"))
        .query(&[("q", long.as_str()), ("lang", "en")])
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 400);
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["error"], "query_too_long");
    // Counted as sent: whitespace that trimming would drop (U+0085 is whitespace) still counts,
    // on both search and suggest, as the documented maxLength says.
    let spaced = format!("usdt{}", "\u{85}".repeat(search::MAX_QUERY_CHARS));
    for path in ["/api/v1/help/search", "/api/v1/help/suggest"] {
        let r = app
            .client
            .get(app.url(path))
            .query(&[("q", spaced.as_str()), ("lang", "en")])
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 400, "{path}");
        let j: serde_json::Value = r.json().await.expect("json");
        assert_eq!(j["error"], "query_too_long", "{path}");
    }
    // Searches are logged in batches behind the answer; wait for the queue as the page does.
    app.state.search_log.flush().await;
    let report = app
        .state
        .store
        .search_report(Timestamp(0), 10)
        .await
        .expect("report");
    assert!(report.searches >= 2);
}

#[tokio::test]
async fn publish_makes_an_article_searchable_and_unpublish_removes_it() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("writer@example.com", Role::Agent).await;
    // Publishing and restoring need the grant (admins have it anyway).
    app.state
        .store
        .set_agent_can_publish(agent.id, true)
        .await
        .expect("grant");
    let agent = app.state.store.agent(agent.id).await.expect("agent");
    let client = app.signed_in_client(&agent).await;
    let r = app
        .post_form(
            &client,
            "/agent/help",
            &[
                ("slug", "zebra-wallet-colours"),
                ("lang", "en"),
                ("category", "app"),
                ("title", "Zebra stripes in the app"),
                ("body", "1. Open settings.\n2. Pick the zebra theme."),
                // Ticked topic boxes, in any order.
                ("topic_update_download", "1"),
                ("topic_feature_howto", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let a = app
        .state
        .store
        .article_by_slug("zebra-wallet-colours", Lang::En)
        .await
        .expect("saved");
    assert_eq!(a.status, ArticleStatus::Draft);
    assert_eq!(a.topics, vec!["update_download", "feature_howto"]);
    // The editor names the topics in the reader's language, the article's ticked.
    let zh = app
        .page_as(&client, &format!("/agent/help/{}/edit?lang=zh-CN", a.id.0))
        .await;
    assert!(
        zh.contains("name=\"topic_update_download\" value=\"1\" checked> 更新或下载 App"),
        "{zh}"
    );
    assert!(zh.contains("name=\"topic_restore_mnemonic\" value=\"1\"> 恢复钱包 / 助记词"));
    assert!(!zh.contains("name=\"topics\""), "no free text of keys");
    app.page_as(&client, "/agent/help?lang=en").await;
    assert!(urls(&search(&app, "zebra", "en").await).is_empty());
    let r = app
        .post_form(&client, &format!("/agent/help/{}/publish", a.id.0), &[])
        .await;
    // Post/redirect/get to the editor, which says what happened.
    let back = TestApp::see_other(&r);
    assert_eq!(
        back,
        format!("/agent/help/{}/edit?done=article_published", a.id.0)
    );
    for (lang, words) in [
        ("en", "Published: readers can open it"),
        ("zh-CN", "已发布"),
    ] {
        let html = client
            .get(app.url(&format!("{back}&lang={lang}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(words), "{lang}: {html}");
    }
    assert_eq!(urls(&search(&app, "zebra", "en").await).len(), 1);
    let r = app
        .post_form(&client, &format!("/agent/help/{}/unpublish", a.id.0), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(urls(&search(&app, "zebra", "en").await).is_empty());
}

#[tokio::test]
async fn versions_edit_twice_then_restore_the_first() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("editor@example.com", Role::Agent).await;
    // Publishing and restoring need the grant (admins have it anyway).
    app.state
        .store
        .set_agent_can_publish(agent.id, true)
        .await
        .expect("grant");
    let agent = app.state.store.agent(agent.id).await.expect("agent");
    let client = app.signed_in_client(&agent).await;
    let form = |body: &'static str| {
        vec![
            ("slug", "versioned-article"),
            ("lang", "en"),
            ("category", "fees"),
            ("title", "Versioned"),
            ("body", body),
        ]
    };
    app.post_form(&client, "/agent/help", &form("first text"))
        .await;
    let a = app
        .state
        .store
        .article_by_slug("versioned-article", Lang::En)
        .await
        .expect("saved");
    let edit = format!("/agent/help/{}/edit", a.id.0);
    app.post_form(&client, &edit, &form("second text")).await;
    let (_, page) = {
        let r = client
            .get(app.url(&format!("/agent/help/{}/versions", a.id.0)))
            .send()
            .await
            .expect("GET");
        (r.status(), r.text().await.expect("body"))
    };
    assert!(page.contains("v2") && page.contains("editor"), "{page}");
    let r = app
        .post_form(
            &client,
            &format!("/agent/help/{}/restore", a.id.0),
            &[("version", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let a = app.state.store.article(a.id).await.expect("article");
    assert_eq!(a.body, "first text");
    assert_eq!(a.version, 3);
    // The live preview renders Markdown safely.
    let csrf = app.csrf(&client).await;
    let html = client
        .post(app.url("/agent/help/preview"))
        .header("x-csrf-token", csrf)
        .form(&[("body", "**b** <img src=x onerror=alert(1)>")])
        .send()
        .await
        .expect("POST")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("<strong>b</strong>") && !html.contains("<img"),
        "{html}"
    );
}

#[tokio::test]
async fn agent_help_pages_require_sign_in() {
    let app = TestApp::spawn().await;
    for path in ["/agent/help", "/agent/help/new", "/agent/help/analytics"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
    }
    let r = app
        .post_form(&app.client, "/agent/help/preview", &[("body", "x")])
        .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn deflection_counts_visitors_who_opened_a_suggestion_and_left() {
    let app = seeded().await;
    let shown_and_opened = |client: reqwest::Client| {
        let app = &app;
        async move {
            let csrf = app.csrf(&client).await;
            let r = client
                .post(app.url("/api/v1/help/events"))
                .header("x-csrf-token", csrf)
                .json(&serde_json::json!({"kind": "suggestions_shown"}))
                .send()
                .await
                .expect("POST");
            assert_eq!(r.status(), 204);
            let r = client
                .get(app.url("/help/transaction-pending-stuck?lang=en&from=ticket"))
                .send()
                .await
                .expect("GET");
            assert_eq!(r.status(), 200);
            client
        }
    };
    let leaves = shown_and_opened(TestApp::new_client()).await;
    drop(leaves);
    let d = app
        .state
        .store
        .deflection_report(Timestamp(0))
        .await
        .expect("report");
    assert_eq!((d.shown, d.opened, d.deflected), (1, 1, 1));
    let app2 = seeded().await;
    let _ = app2;
    // Another desk: the visitor opens a suggestion and still writes in.
    let other = seeded().await;
    let client = TestApp::new_client();
    let csrf = other.csrf(&client).await;
    client
        .post(other.url("/api/v1/help/events"))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"kind": "suggestions_shown"}))
        .send()
        .await
        .expect("POST");
    client
        .get(other.url("/help/transaction-pending-stuck?lang=en&from=ticket"))
        .send()
        .await
        .expect("GET");
    let r = other
        .post_form(
            &client,
            "/tickets/new",
            &[
                ("email", "user@example.com"),
                ("category", "other"),
                ("subject", "Still stuck"),
                ("body", "The article did not help."),
            ],
        )
        .await;
    assert!(TestApp::see_other(&r).ends_with("?done=created"));
    let d = other
        .state
        .store
        .deflection_report(Timestamp(0))
        .await
        .expect("report");
    assert_eq!((d.shown, d.deflected), (1, 0));
    let (_, page) = other.get_text("/agent/help/analytics").await;
    let _ = page;
}

#[tokio::test]
async fn the_assistant_answers_from_the_articles_and_hands_off_theft_with_a_prefilled_ticket() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let ask = |q: &'static str, lang: &'static str| {
        let app = &app;
        async move {
            let r = app
                .post_json(
                    "/api/v1/assistant/answer",
                    &serde_json::json!({"question": q, "lang": lang}),
                )
                .await;
            assert_eq!(r.status(), 200);
            r.json::<serde_json::Value>().await.expect("json")
        }
    };
    let fee = ask(
        "I can't send USDT, it says insufficient balance for gas fee",
        "en",
    )
    .await;
    assert_eq!(fee["topic"], "insufficient_fee");
    assert_eq!(fee["handoff"], false);
    assert!(
        fee["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .any(|a| a["url"].as_str().expect("url").starts_with("/help/"))
    );
    let theft = ask("我的钱包被盗了，资产全部被转走", "zh-CN").await;
    assert_eq!(theft["handoff"], true);
    let url = theft["ticket_url"].as_str().expect("a pre-filled ticket");
    assert!(url.starts_with("/tickets/new?category=security"));
    let (status, form) = app.get_text(url).await;
    assert_eq!(status, 200);
    assert!(
        form.contains("我的钱包被盗了"),
        "the conversation is in the form"
    );
    let phrase = ask(
        "help my words legal winner thank year wave sausage worth useful legal winner thank yellow do not restore",
        "en",
    )
    .await;
    assert_eq!(phrase["secret_removed"], true);
    assert!(
        !phrase.to_string().contains("sausage"),
        "the phrase appears nowhere in the reply"
    );
    let r = app
        .post_json(
            "/api/v1/assistant/answer",
            &serde_json::json!({"question": ""}),
        )
        .await;
    assert_eq!(r.status(), 400);
}

/// An empty search says what the page is for, not `Results for “”`.
#[tokio::test]
async fn an_empty_search_has_a_plain_heading() {
    let app = TestApp::spawn().await;
    for (lang, heading) in [("en", "Search the help center"), ("zh-CN", "搜索帮助中心")] {
        let (status, page) = app.get_text(&format!("/help/search?q=&lang={lang}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!(">{heading}</h1>")), "{lang}: {page}");
        assert!(!page.contains("“”"), "{lang}");
    }
}
