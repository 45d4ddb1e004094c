//! The brand an admin saves at `/admin/brand` is the brand every page shows, its colour only
//! through `/brand.css` (the CSP keeps refusing inline styles), and a value that is no colour
//! never reaches the stylesheet.

use domain::Role;

use crate::helpers::TestApp;

fn csp(r: &reqwest::Response) -> String {
    r.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn the_saved_brand_is_on_every_page_and_in_the_stylesheet() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;

    // Before any save: the configuration's brand.
    let (status, home) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Lanternfish Wallet"));
    assert!(home.contains(r#"<link rel="stylesheet" href="/brand.css">"#));
    let css = app.get("/brand.css").await.text().await.unwrap();
    assert!(css.contains("--brand: #0b6e4f;"), "{css}");

    let r = app
        .post_form(
            &client,
            "/admin/brand",
            &[
                ("name", "Otter Wallet"),
                ("support_email", "help@otter.example"),
                ("primary_color", "#a1b2c3"),
            ],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/brand?done=saved");

    // A visitor's pages, a fresh browser: the saved name and official address, no trace of
    // the configured ones.
    let visitor = TestApp::new_client();
    for path in [
        "/",
        "/help",
        "/tickets/new",
        "/agent/sign-in",
        "/help/no-such-article",
    ] {
        let r = visitor.get(app.url(path)).send().await.unwrap();
        let policy = csp(&r);
        assert!(
            policy.contains("style-src 'self';") && !policy.contains("unsafe-inline"),
            "{policy}"
        );
        let html = r.text().await.unwrap();
        assert!(html.contains("Otter Wallet"), "{path}");
        assert!(!html.contains("Lanternfish Wallet"), "{path}");
        if path == "/" {
            assert!(html.contains("E-mail: help@otter.example"), "{html}");
            assert!(!html.contains("support@lanternfish.example"));
        }
    }
    let r = visitor.get(app.url("/brand.css")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(r.text().await.unwrap(), ":root { --brand: #a1b2c3; }\n");

    // The admin page still shows the configuration beside the override.
    let page = client
        .get(app.url("/admin/brand"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"value="Otter Wallet""#));
    assert!(page.contains("<dd>Lanternfish Wallet</dd>"));
}

#[tokio::test]
async fn a_colour_that_is_not_one_is_refused_and_never_reaches_css() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    for bad in ["#fff;} body { display: none", "red", "#12345g", "url(x)"] {
        let r = app
            .post_form(
                &client,
                "/admin/brand",
                &[
                    ("name", "Otter Wallet"),
                    ("support_email", "help@otter.example"),
                    ("primary_color", bad),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("Enter a colour"), "{bad}");
    }
    assert_eq!(app.state.store.setting("brand").await.unwrap(), None);
    let css = app.get("/brand.css").await.text().await.unwrap();
    assert_eq!(css, ":root { --brand: #0b6e4f; }\n");
}

#[tokio::test]
async fn a_brand_saved_before_start_is_shown_from_the_first_request() {
    let app = TestApp::spawn().await;
    app.state
        .store
        .set_setting(
            "brand",
            &domain::Redacted::clean(r##"{"name":"Otter Wallet","primary_color":"#fff;}*{x:y"}"##),
        )
        .await
        .unwrap();
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("Otter Wallet"));
    assert!(!home.contains("Lanternfish Wallet"));
    let css = app.get("/brand.css").await.text().await.unwrap();
    assert_eq!(
        css, ":root { --brand: #0b6e4f; }\n",
        "the bad colour is dropped"
    );
}

#[tokio::test]
async fn the_stylesheet_alone_reads_the_saved_colour_and_sets_no_cookie() {
    let app = TestApp::spawn().await;
    app.state
        .store
        .set_setting(
            "brand",
            &domain::Redacted::clean(r##"{"primary_color":"#a1b2c3"}"##),
        )
        .await
        .unwrap();
    let r = app.get("/brand.css").await;
    assert!(r.headers().get("set-cookie").is_none());
    assert_eq!(r.text().await.unwrap(), ":root { --brand: #a1b2c3; }\n");
}
