//! User text out of URLs: search, suggestions and the field check by `POST` (the `GET` forms
//! answer the same), and a query holding a recovery phrase, a fragment of one or a private key
//! is neither searched nor written to the search log — on the API and on the `/help/search`
//! page.

use domain::Timestamp;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const WIF: &str = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";

async fn seeded() -> TestApp {
    let app = TestApp::spawn().await;
    server::help::seed_articles(&app.state).await.expect("seed");
    app
}

fn nine_words() -> String {
    PHRASE.split(' ').take(9).collect::<Vec<_>>().join(" ")
}

/// Every query in the search log, and how many searches it holds.
async fn logged(app: &TestApp) -> (u64, Vec<String>) {
    app.state.search_log.flush().await;
    let r = app
        .state
        .store
        .search_report(Timestamp(0), 1000)
        .await
        .expect("report");
    let mut queries: Vec<String> = r.top.iter().map(|q| q.query.clone()).collect();
    queries.extend(r.no_results.iter().map(|q| q.query.clone()));
    queries.sort();
    queries.dedup();
    (r.searches, queries)
}

async fn post(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .expect("POST")
}

async fn get(app: &TestApp, path: &str, query: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .query(query)
        .send()
        .await
        .expect("GET")
}

#[tokio::test]
async fn search_and_suggest_by_post_answer_what_get_answers() {
    let app = seeded().await;
    for (q, lang) in [("seed phrase", "en"), ("转账失败", "zh-CN"), ("fee", "en")] {
        let by_get = get(
            &app,
            "/api/v1/help/search",
            &[("q", q), ("lang", lang), ("limit", "5")],
        )
        .await;
        assert_eq!(by_get.status(), 200);
        let by_get: Value = by_get.json().await.expect("json");
        let by_post = post(
            &app,
            "/api/v1/help/search",
            &json!({"q": q, "lang": lang, "limit": 5}),
        )
        .await;
        assert_eq!(by_post.status(), 200);
        let by_post: Value = by_post.json().await.expect("json");
        assert!(
            !by_post["results"].as_array().expect("results").is_empty(),
            "{q}"
        );
        assert_eq!(by_get, by_post, "{q}");

        let by_get: Value = get(&app, "/api/v1/help/suggest", &[("q", q), ("lang", lang)])
            .await
            .json()
            .await
            .expect("json");
        let by_post: Value = post(&app, "/api/v1/help/suggest", &json!({"q": q, "lang": lang}))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(by_get, by_post, "{q}");
    }
    // Both forms are logged alike (redacted): three queries, each searched twice.
    let (n, _) = logged(&app).await;
    assert_eq!(n, 6);
    // A body that is not JSON gets a stable code.
    let r = app
        .client
        .post(app.url("/api/v1/help/search"))
        .header("content-type", "application/json")
        .body("q=seed")
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 400);
    let j: Value = r.json().await.expect("json");
    assert_eq!(j["error"], "invalid_json");
    let r = post(&app, "/api/v1/help/search", &json!({"lang": "en"})).await;
    assert_eq!(r.status(), 400);
    let j: Value = r.json().await.expect("json");
    assert_eq!(j["error"], "query_missing");
}

#[tokio::test]
async fn a_query_holding_a_secret_is_neither_searched_nor_logged() {
    let app = seeded().await;
    let nine = nine_words();
    let numbered =
        "1. legal 2. winner 3. thank 4. year 5. wave 6. sausage 7. worth 8. usefull 9. legal";
    let queries = [
        PHRASE.to_owned(),
        format!("help my seed {PHRASE} does not restore"),
        nine.clone(),
        numbered.to_owned(),
        WIF.to_owned(),
        format!("imported key {WIF} balance zero"),
    ];
    for q in &queries {
        for path in ["/api/v1/help/search", "/api/v1/help/suggest"] {
            let r = post(&app, path, &json!({"q": q, "lang": "en"})).await;
            assert_eq!(r.status(), 422, "POST {path} {q}");
            let j: Value = r.json().await.expect("json");
            assert_eq!(j["error"], "query_contains_secret", "{q}");
            assert!(j.get("results").is_none() && j.get("suggestions").is_none());
            let r = get(&app, path, &[("q", q), ("lang", "en")]).await;
            assert_eq!(r.status(), 422, "GET {path} {q}");
        }
        // The page: no results, the query not echoed, a notice in the viewer's language.
        for (lang, notice) in [
            ("en", "looks like a recovery phrase or private key"),
            ("zh-CN", "看起来像助记词或私钥"),
        ] {
            let r = get(&app, "/help/search", &[("q", q), ("lang", lang)]).await;
            assert_eq!(r.status(), 200);
            let page = r.text().await.expect("body");
            assert!(page.contains(notice), "{lang} {q}: {page}");
            assert!(page.contains(r#"role="alert""#));
            assert!(
                !page.contains("legal winner") && !page.contains(WIF),
                "{page}"
            );
            assert!(!page.contains(r#"class="snippet""#), "searched anyway");
        }
    }
    let (n, logged_queries) = logged(&app).await;
    assert_eq!(n, 0, "{logged_queries:?}");
    // An ordinary search is still searched and logged, and a phrase's single word is not a
    // secret.
    let r = post(
        &app,
        "/api/v1/help/search",
        &json!({"q": "legal winner", "lang": "en"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let (n, queries) = logged(&app).await;
    assert_eq!(n, 1);
    assert_eq!(queries, ["legal winner"]);
    for q in &queries {
        for w in [
            "thank", "year", "wave", "sausage", "worth", "useful", "yellow",
        ] {
            assert!(!q.contains(w), "{q}");
        }
    }
}

#[tokio::test]
async fn a_prefix_typed_word_by_word_never_reaches_the_log_past_the_fragment_limit() {
    // Search-as-you-type sends the box after each pause: here, after every word.
    let app = seeded().await;
    let words: Vec<&str> = PHRASE.split(' ').collect();
    let mut refused = 0;
    for n in 1..=words.len() {
        let q = words[..n].join(" ");
        let r = post(&app, "/api/v1/help/search", &json!({"q": q, "lang": "en"})).await;
        if r.status() == 422 {
            refused += 1;
        } else {
            assert_eq!(r.status(), 200);
            assert!(
                n < server::query_guard::FRAGMENT_WORDS,
                "{n} words searched"
            );
        }
    }
    assert_eq!(
        refused,
        words.len() - server::query_guard::FRAGMENT_WORDS + 1
    );
    let (_, queries) = logged(&app).await;
    for q in &queries {
        assert!(
            q.split(' ').count() < server::query_guard::FRAGMENT_WORDS,
            "{q}"
        );
    }
}

#[tokio::test]
async fn fields_check_by_post_answers_what_get_answers() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            "tx_hash",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "zh-CN",
        ),
        (
            "address",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "en",
        ),
        ("address", WIF, "en"),
        (
            "tx_hash",
            "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
            "en",
        ),
    ];
    for (field, value, lang) in cases {
        let by_get: Value = get(
            &app,
            "/api/v1/fields/check",
            &[("field", field), ("value", value), ("lang", lang)],
        )
        .await
        .json()
        .await
        .expect("json");
        let r = post(
            &app,
            "/api/v1/fields/check",
            &json!({"field": field, "value": value, "lang": lang}),
        )
        .await;
        assert_eq!(r.status(), 200);
        let by_post: Value = r.json().await.expect("json");
        assert_eq!(by_get, by_post, "{field} {value}");
    }
    let j: Value = post(
        &app,
        "/api/v1/fields/check",
        &json!({"field": "address", "value": WIF, "lang": "en"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(j["ok"], false);
    assert_eq!(j["code"], "private_key");
    let j: Value = post(
        &app,
        "/api/v1/fields/check",
        &json!({"field": "address", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "chain": "bitcoin"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(j["ok"], true, "{j}");
    let r = post(
        &app,
        "/api/v1/fields/check",
        &json!({"field": "colour", "value": "x"}),
    )
    .await;
    assert_eq!(r.status(), 400);
}
