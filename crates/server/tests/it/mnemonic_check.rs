//! The mnemonic check's demo page (both languages, the warning first, the download with its
//! SHA-256), the offline file (published digest, no network code) and the scripts served as
//! JavaScript from this origin.

use crate::helpers::TestApp;

#[tokio::test]
async fn the_mnemonic_check_page_is_a_demo_that_warns_first_in_both_languages() {
    let app = TestApp::spawn().await;
    let (status, en) = app.get_text("/help/mnemonic-check?lang=en").await;
    assert_eq!(status, 200);
    let (status, zh) = app.get_text("/help/mnemonic-check?lang=zh-CN").await;
    assert_eq!(status, 200);
    assert!(zh.contains("lang=\"zh-CN\""));
    for (html, notice) in [
        (
            &en,
            [
                "Never use a phrase checker because someone sent you a link",
                "Our support never sends links to phrase checkers.",
                "your wallet app&#39;s own check",
                "our offline file, opened with the network off",
            ],
        ),
        (
            &zh,
            [
                "不要因为有人发来链接就使用任何助记词检查工具",
                "我们的客服从不发送助记词检查工具的链接。",
                "钱包 App 自带的检查",
                "在断网状态下打开的我们的离线文件",
            ],
        ),
    ] {
        // The warning comes before anything else of the page's own content.
        let main = &html[html.find("<main").unwrap()..];
        let warning = main.find("id=\"mcheck-demo-notice\"").expect("the notice");
        assert!(
            warning < main.find("<h1").unwrap(),
            "the notice leads the page"
        );
        for n in notice {
            assert!(main.contains(n), "{n}");
        }
        assert!(html.contains(r#"<script type="module" src="/static/mnemonic/page.js">"#));
        // The download, its published name and SHA-256 beside it.
        assert!(html.contains(r#"href="/help/mnemonic-check/download""#));
        assert!(html.contains(&format!(
            r#"<code id="mcheck-sha256">{}</code>"#,
            server::offline_check::sha256_hex()
        )));
        assert!(html.contains("walletdesk-mnemonic-check-1.0.0.html"));
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
    // The help center points to the download, after the app's own check.
    for lang in ["en", "zh-CN"] {
        let (_, index) = app.get_text(&format!("/help?lang={lang}")).await;
        assert!(index.contains(r#"href="/help/mnemonic-check#mcheck-download""#));
    }
}

/// What the browser could load or send from the offline file: nothing may be there.
const NETWORK_CODE: &[&str] = &[
    "fetch(",
    "xmlhttprequest",
    "websocket",
    "eventsource",
    "sendbeacon",
    "import(",
    "importscripts",
    "serviceworker",
    "rtcpeerconnection",
    "window.open",
    "location.",
    "src=",
    "href=",
    "action=",
    "srcset",
    "url(",
    "@import",
    "<link",
    "<img",
    "<iframe",
    "<object",
    "<embed",
    "<base",
    "http://",
    "https://",
    "//cdn",
];

#[tokio::test]
async fn the_offline_file_is_served_as_published_and_has_no_network_code() {
    let app = TestApp::spawn().await;
    let r = app.get("/help/mnemonic-check/download").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"walletdesk-mnemonic-check-1.0.0.html\""
    );
    let body = r.bytes().await.unwrap();
    assert_eq!(&body[..], server::offline_check::html().as_bytes());

    // The SHA-256 the page shows is the served file's, and the published one.
    use sha2::{Digest, Sha256};
    let hex: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hex, server::offline_check::sha256_hex());
    let published = format!("{hex}  {}\n", server::offline_check::file_name());
    assert_eq!(
        server::offline_check::PUBLISHED_SHA256,
        published,
        "the offline file changed: publish its new digest with \
         `walletdesk offline-check --out /tmp/f.html` and put the printed line (with the file's \
         published name) in crates/server/offline-check.sha256"
    );

    let html = String::from_utf8(body.to_vec()).unwrap().to_lowercase();
    for code in NETWORK_CODE {
        assert!(!html.contains(code), "the offline file contains {code:?}");
    }
    // One inline script and one inline style, both allowed by hash, nothing else.
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("<style").count(), 1);
    assert!(html.contains("default-src &#39;none&#39;; script-src &#39;sha256-"));
    assert!(html.contains("form-action &#39;none&#39;"));
    // Both languages are in the file.
    assert!(html.contains("助记词检查（离线文件）"));
    assert!(html.contains("recovery phrase check (offline file)"));
}

#[test]
fn the_network_code_list_catches_a_planted_request() {
    let planted = server::offline_check::html().replace(
        "\"use strict\";",
        "\"use strict\"; navigator.sendBeacon(\"/x\", 1);",
    );
    let lower = planted.to_lowercase();
    assert!(NETWORK_CODE.iter().any(|c| lower.contains(c)));
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
