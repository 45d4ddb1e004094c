//! On-chain diagnosis through the API (issue 12): `GET /api/v1/chain/tx/{hash}` and
//! `/api/v1/chain/address/{address}` — not configured, refusals (a secret is never looked
//! up), a node that does not answer, and real lookups against anvil (installed by scripts/test;
//! see crates/chain-client/tests/it/anvil.rs) in both languages, from the cache the second time.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::TestApp;

const HASH: &str = "0xabababababababababababababababababababababababababababababababab";
const A0: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const A1: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

fn evm(url: &str) -> chain::ChainConfig {
    chain::ChainConfig {
        name: "local".to_owned(),
        kind: chain::ChainKind::Evm,
        url: url.to_owned(),
        chain_id: Some(31337),
        explorer_tx: Some("https://explorer.example/tx/{tx}".to_owned()),
        explorer_address: None,
        tokens: vec![],
        timeout_ms: 3_000,
        concurrency: 2,
        network: None,
    }
}

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.get(path).await;
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

#[tokio::test]
async fn without_a_configured_chain_the_api_says_so() {
    let app = TestApp::spawn().await;
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{HASH}")).await;
    assert_eq!(status, 404);
    assert_eq!(v["error"], "chain_not_configured");
    let (status, _) = get_json(&app, &format!("/api/v1/chain/address/{A1}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn secrets_and_bad_input_are_refused_and_an_endpoint_that_does_not_answer_is_502() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let app = TestApp::spawn_with(|c| {
        c.chain
            .insert("local".to_owned(), evm(&format!("http://127.0.0.1:{port}")));
    })
    .await;
    // A WIF private key where the hash goes: refused, not looked up, not echoed.
    let wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
    let r = app.get(&format!("/api/v1/chain/tx/{wif}")).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("value_contains_secret") && !body.contains(wif),
        "{body}"
    );
    // 64 bare hex digits where a transaction id is asked for are a Bitcoin or TRON txid, not
    // a private key (as in the ticket form's TxID field): never "that looks like a key". Where
    // an address is asked for, they are still refused as one.
    let bare = "9f2c4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afde7";
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{bare}")).await;
    assert_ne!(v["error"], "value_contains_secret", "{status} {v}");
    assert_ne!(status, 422, "{v}");
    let r = app.get(&format!("/api/v1/chain/address/{bare}")).await;
    assert_eq!(r.status(), 422);
    // Anything more than a bare id is read as text: a key named as one is still refused.
    for said in [
        format!("private key: {bare}"),
        format!("my key is 0x{bare}"),
    ] {
        let r = app
            .get(&format!("/api/v1/chain/tx/{}", said.replace(' ', "%20")))
            .await;
        assert_eq!(r.status(), 422, "{said}");
        assert!(r.text().await.unwrap().contains("value_contains_secret"));
    }
    let (status, v) = get_json(&app, "/api/v1/chain/tx/0x1234").await;
    assert_eq!((status, v["error"].as_str()), (400, Some("bad_input")));
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{HASH}?chain=polygon")).await;
    assert_eq!((status, v["error"].as_str()), (400, Some("unknown_chain")));
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{HASH}?lang=fr")).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (400, Some("unsupported_lang"))
    );
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{HASH}?lang=zh-CN")).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (502, Some("chain_unreachable"))
    );
    assert!(
        v["message"]
            .as_str()
            .expect("message")
            .contains("暂时无法查询")
    );
}

struct Anvil(tokio::process::Child, String);

async fn anvil() -> Option<Anvil> {
    let bin = std::env::var("WALLETDESK_TEST_ANVIL").ok().or_else(|| {
        let p = format!(
            "{}/.cache/walletdesk/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil",
            std::env::var("HOME").ok()?
        );
        std::path::Path::new(&p).exists().then_some(p)
    });
    let Some(bin) = bin else {
        assert_eq!(
            std::env::var("WALLETDESK_SKIP_ANVIL").as_deref(),
            Ok("1"),
            "anvil is not installed: run scripts/test, or set WALLETDESK_SKIP_ANVIL=1"
        );
        return None;
    };
    let mut child = tokio::process::Command::new(bin)
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("anvil");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut addr = None;
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(a) = line.trim().strip_prefix("Listening on ") {
            addr = Some(a.to_owned());
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some(Anvil(child, format!("http://{}", addr.expect("address"))))
}

async fn rpc(url: &str, method: &str, params: Value) -> Value {
    let v: Value = reqwest::Client::new()
        .post(url)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
        .send()
        .await
        .expect("anvil")
        .json()
        .await
        .expect("json");
    v["result"].clone()
}

#[tokio::test]
async fn a_confirmed_transfer_reads_in_the_requested_language_and_comes_from_the_cache_next() {
    let Some(node) = anvil().await else { return };
    let hash = rpc(
        &node.1,
        "eth_sendTransaction",
        json!([{"from": A0, "to": A1, "value": "0x1"}]),
    )
    .await;
    let hash = hash.as_str().expect("hash").to_owned();
    rpc(&node.1, "anvil_mine", json!(["0x2"])).await;
    let app = TestApp::spawn_with(|c| {
        c.chain.insert("local".to_owned(), evm(&node.1));
    })
    .await;
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{hash}?lang=zh-CN")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["chain"], "local");
    assert_eq!(v["found"], true);
    assert_eq!(v["status"], "confirmed");
    assert_eq!(v["lang"], "zh-CN");
    assert_eq!(v["cached"], false);
    assert!(v["confirmations"].as_u64().expect("n") >= 2);
    assert_eq!(v["findings"][0]["code"], "confirmed");
    assert!(
        v["findings"][0]["sentence"]
            .as_str()
            .expect("s")
            .contains("已在区块")
    );
    assert_eq!(
        v["explorer_url"].as_str(),
        Some(format!("https://explorer.example/tx/{hash}").as_str())
    );
    // Accept-Language picks English; the second lookup is the cached one.
    let r = app
        .client
        .get(app.url(&format!("/api/v1/chain/tx/{hash}")))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .expect("GET");
    let again: Value = r.json().await.expect("json");
    assert_eq!(again["lang"], "en");
    assert_eq!(again["cached"], true);
    assert_eq!(again["fetched_at"], v["fetched_at"]);
    assert!(
        again["findings"][0]["sentence"]
            .as_str()
            .expect("s")
            .starts_with("Confirmed in block")
    );
    // Not found anywhere is an answer, not an error.
    let (status, v) = get_json(&app, &format!("/api/v1/chain/tx/{HASH}")).await;
    assert_eq!((status, v["status"].as_str()), (200, Some("not_found")));
    assert_eq!(v["article"]["slug"], "find-transaction-hash");
    // An address.
    let (status, v) = get_json(&app, &format!("/api/v1/chain/address/{A1}")).await;
    assert_eq!(status, 200, "{v}");
    assert!(v["balance"].as_str().expect("balance").ends_with(" ETH"));

    // The assistant opens its answer with what the chain says about the hash in the question.
    let r = app
        .post_json(
            "/api/v1/assistant/answer",
            &json!({"question": format!("where is my transfer? {hash}"), "lang": "en"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let a: Value = r.json().await.expect("json");
    assert_eq!(a["chain"]["status"], "confirmed", "{a}");
    assert!(
        a["answer"]
            .as_str()
            .expect("answer")
            .starts_with("Confirmed in block"),
        "{a}"
    );
    // A question without a hash or address asks no chain.
    let r = app
        .post_json(
            "/api/v1/assistant/answer",
            &json!({"question": "how do fees work?", "lang": "en"}),
        )
        .await;
    let a: Value = r.json().await.expect("json");
    assert!(a.get("chain").is_none(), "{a}");

    // The public page: the answer in the viewer's language, with its article.
    let r = app
        .post_form(
            &app.client,
            "/help/check-tx",
            &[("value", &hash), ("chain", "")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    assert!(html.contains("id=\"check-tx-answer\""), "{html}");
    assert!(html.contains("data-code=\"confirmed\""));
    assert!(
        !html.contains("id=\"check-tx-ticket\""),
        "a confirmed transfer is explained"
    );
    // Not found: the chain cannot explain it, so a ticket filled in with the hash is offered.
    let r = app
        .post_form(
            &app.client,
            "/help/check-tx",
            &[("value", HASH), ("chain", "local")],
        )
        .await;
    let html = r.text().await.expect("body");
    assert!(html.contains("data-code=\"not_found\""), "{html}");
    let link = html
        .split("id=\"check-tx-ticket\"")
        .next()
        .and_then(|h| h.rsplit("href=\"").next())
        .expect("a ticket link");
    assert!(
        link.starts_with("/tickets/new?category=transaction&"),
        "{link}"
    );
    assert!(html.contains(&format!("body={HASH}")), "{html}");
    // The hash also goes into the form's own hash field, not only the message.
    assert!(link.contains(&format!("tx_hash={HASH}")), "{link}");
    let href = link
        .split('"')
        .next()
        .expect("the href")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let (_, form) = app.get_text(&href).await;
    assert!(
        form.contains(&format!(
            "id=\"f-tx_hash\" name=\"tx_hash\" value=\"{HASH}\""
        )),
        "{form}"
    );
    // A pasted secret: refused, not shown back.
    let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    let r = app
        .post_form(
            &app.client,
            "/help/check-tx",
            &[("value", phrase), ("chain", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("id=\"check-tx-refusal\"") && !html.contains("abandon abandon"));
    drop(node.0);
}

#[tokio::test]
async fn the_check_page_says_when_no_chain_is_configured() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_text("/help/check-tx").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"check-tx-off\""));
    let (_, html) = app.get_text("/help/check-tx?lang=zh-CN").await;
    assert!(html.contains("查询我的交易"), "{html}");
}

#[tokio::test]
async fn the_agent_ticket_view_carries_the_chain_panel_for_a_ticket_with_a_hash() {
    let app = TestApp::spawn().await;
    let agent = app
        .create_agent("chain-panel@example.com", domain::Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let tx = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
    let r = app
        .post_json(
            "/api/v1/tickets",
            &json!({"email": "u@example.com", "category": "transaction",
                "subject": "USDT not arrived", "body": "sent yesterday",
                "chain": "ethereum", "tx_hash": tx}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let html = app.page_as(&client, &format!("/agent/tickets/{id}")).await;
    // The panel loads after the page (a script), in the ticket's language.
    assert!(html.contains("id=\"chain-panel\""), "{html}");
    assert!(html.contains(&format!("data-tx=\"{tx}\"")));
    // The ticket's language (English here), not the agent's page language.
    let zh = app
        .page_as(&client, &format!("/agent/tickets/{id}?lang=zh-CN"))
        .await;
    assert!(
        zh.contains("data-lang=\"en\"") && zh.contains("链上查询"),
        "{zh}"
    );
    assert!(html.contains("/static/chain-panel.js"));
    let (status, js) = app.get_text("/static/chain-panel.js").await;
    assert_eq!(status, 200);
    assert!(js.contains("/api/v1/chain/tx/"));
    // A ticket without a hash or address has no panel.
    let (plain, _) = app.create_ticket("hello", "a question").await;
    let html = app
        .page_as(&client, &format!("/agent/tickets/{plain}"))
        .await;
    assert!(!html.contains("id=\"chain-panel\""));
}
