//! The offline mnemonic check page: both languages, the notice, and its scripts served as
//! JavaScript from this origin.

use crate::helpers::TestApp;

#[tokio::test]
async fn the_mnemonic_check_page_speaks_both_languages_and_says_nothing_is_sent() {
    let app = TestApp::spawn().await;
    let (status, en) = app.get_text("/help/mnemonic-check?lang=en").await;
    assert_eq!(status, 200);
    assert!(en.contains("This check runs entirely in your browser. Your words are never sent anywhere — not even to us."));
    assert!(en.contains("the safest place to type your recovery phrase is only your wallet app"));
    let (status, zh) = app.get_text("/help/mnemonic-check?lang=zh-CN").await;
    assert_eq!(status, 200);
    assert!(zh.contains("lang=\"zh-CN\""));
    assert!(zh.contains("此检查完全在您的浏览器中运行。您的助记词不会被发送到任何地方"));
    for html in [&en, &zh] {
        assert!(html.contains(r#"<script type="module" src="/static/mnemonic/page.js">"#));
        // The textarea is not a field any form could submit, and the form goes nowhere.
        let form = &html[html.find("<form id=\"mcheck-form\"").unwrap()..];
        let form = &form[..form.find("</form>").unwrap()];
        assert!(
            !form.contains("action=") && !form.contains("method="),
            "{form}"
        );
        assert!(!form.contains("name="), "{form}");
        assert!(form.contains(r#"autocomplete="off" autocapitalize="off""#));
        assert!(form.contains(r#"spellcheck="false""#));
    }
}

#[tokio::test]
async fn the_check_scripts_are_served_as_javascript() {
    let app = TestApp::spawn().await;
    for path in [
        "/static/mnemonic/check.js",
        "/static/mnemonic/page.js",
        "/static/mnemonic/wordlists.js",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(
            r.headers()["content-type"],
            "text/javascript; charset=utf-8",
            "{path}"
        );
    }
    let body = app
        .get("/static/mnemonic/check.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("export function checkMnemonic"));
    // The Node test runner is not part of the site.
    assert_eq!(app.get("/static/mnemonic/parity.mjs").await.status(), 404);
    assert_eq!(app.get("/static/app.css").await.status(), 200);
}
