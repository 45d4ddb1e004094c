//! The assistant with the optional OpenAI-compatible endpoints configured.
//!
//! `StandIn` is a stand-in for a model server (Ollama, vLLM, llama.cpp's server), which cannot
//! run here: no model weights can be downloaded. It speaks the same two routes
//! (`/v1/embeddings`, `/v1/chat/completions`), records every request body, and can be told to be
//! slow, fail, reply with garbage or reply with something unsafe. Its embeddings are hashed
//! bags of words and Chinese character pairs: crude, but deterministic and meaningful enough that
//! nearest neighbours share words.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use server::config::ModelEndpoint;

use crate::helpers::TestApp;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    Slow,
    Error,
    Garbage,
    Unsafe,
    /// Embeddings of two different lengths in one reply.
    WrongDims,
}

#[derive(Debug)]
struct Inner {
    mode: Mode,
    /// Embeddings requests still to answer with a 500 before behaving as `mode` says.
    fail_next: usize,
    embeddings: Vec<Value>,
    chats: Vec<Value>,
}

#[derive(Debug, Clone)]
struct StandIn {
    url: String,
    inner: Arc<Mutex<Inner>>,
}

const STAND_IN_SAYS: &str = "Check the network and add a little of its coin for the fee [1].";

impl StandIn {
    async fn spawn() -> StandIn {
        let inner = Arc::new(Mutex::new(Inner {
            mode: Mode::Normal,
            fail_next: 0,
            embeddings: Vec::new(),
            chats: Vec::new(),
        }));
        let app = axum::Router::new()
            .route("/v1/embeddings", post(embeddings))
            .route("/v1/chat/completions", post(chat))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        StandIn {
            url: format!("http://{addr}/v1"),
            inner,
        }
    }

    fn set(&self, mode: Mode) {
        self.inner.lock().expect("lock").mode = mode;
    }

    fn fail_next(&self, n: usize) {
        self.inner.lock().expect("lock").fail_next = n;
    }

    /// How many texts were sent for embedding in all.
    fn embedded_texts(&self) -> usize {
        self.embeddings()
            .iter()
            .map(|b| b["input"].as_array().map_or(0, Vec::len))
            .sum()
    }

    fn chats(&self) -> Vec<Value> {
        self.inner.lock().expect("lock").chats.clone()
    }

    fn embeddings(&self) -> Vec<Value> {
        self.inner.lock().expect("lock").embeddings.clone()
    }

    fn endpoint(&self, timeout_ms: u64) -> ModelEndpoint {
        ModelEndpoint {
            url: self.url.clone(),
            model: "stand-in".into(),
            api_key: "sk-test-key".into(),
            timeout_ms,
            input_type: false,
        }
    }
}

async fn misbehave(inner: &Mutex<Inner>) -> Option<Response> {
    let mode = inner.lock().expect("lock").mode;
    match mode {
        Mode::Normal | Mode::Unsafe | Mode::WrongDims => None,
        Mode::Slow => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            None
        }
        Mode::Error => Some((StatusCode::INTERNAL_SERVER_ERROR, "model crashed").into_response()),
        Mode::Garbage => Some((StatusCode::OK, "<html>not json</html>").into_response()),
    }
}

async fn embeddings(State(inner): State<Arc<Mutex<Inner>>>, Json(body): Json<Value>) -> Response {
    let (fail, wrong_dims) = {
        let mut i = inner.lock().expect("lock");
        i.embeddings.push(body.clone());
        let fail = i.fail_next > 0;
        i.fail_next = i.fail_next.saturating_sub(1);
        (fail, i.mode == Mode::WrongDims)
    };
    if fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "model loading").into_response();
    }
    if let Some(r) = misbehave(&inner).await {
        return r;
    }
    let data: Vec<Value> = body["input"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut v = embed(t.as_str().unwrap_or(""));
            if wrong_dims && i % 2 == 1 {
                v.truncate(100);
            }
            json!({"index": i, "embedding": v})
        })
        .collect();
    Json(json!({"object": "list", "data": data, "model": "stand-in"})).into_response()
}

async fn chat(State(inner): State<Arc<Mutex<Inner>>>, Json(body): Json<Value>) -> Response {
    inner.lock().expect("lock").chats.push(body);
    if let Some(r) = misbehave(&inner).await {
        return r;
    }
    let content = if inner.lock().expect("lock").mode == Mode::Unsafe {
        "To check your wallet, please send us your recovery phrase [1]."
    } else {
        STAND_IN_SAYS
    };
    Json(json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]
    }))
    .into_response()
}

fn embed(text: &str) -> Vec<f32> {
    const DIMS: usize = 256;
    let mut v = vec![0.0f32; DIMS];
    let mut bump = |feature: &str| {
        let h = feature.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        v[(h % DIMS as u64) as usize] += 1.0;
    };
    let lower = text.to_lowercase();
    for w in lower.split(|c: char| !c.is_alphanumeric()) {
        if w.is_ascii() && w.len() >= 3 {
            bump(w);
        }
    }
    let han: Vec<char> = lower
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect();
    for pair in han.windows(2) {
        bump(&pair.iter().collect::<String>());
    }
    v[0] += 0.01;
    v
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

const FEE_QUESTION: &str = "I can't send USDT, it says insufficient balance for gas fee";
/// A valid English test phrase (BIP39 vectors) and a WIF key, as frightened users paste them.
const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const WIF: &str = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";

#[tokio::test]
async fn a_configured_chat_model_writes_the_answer_from_the_retrieved_articles() {
    let model = StandIn::spawn().await;
    let ep = model.endpoint(5000);
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.chat = Some(ep);
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");

    let a = ask(&app, FEE_QUESTION, "en").await;
    assert_eq!(a["composed_by"], "model", "{a}");
    assert_eq!(a["topic"], "insufficient_fee");
    assert!(a.get("model_fallback").is_none(), "{a}");
    let text = a["answer"].as_str().expect("answer");
    assert!(text.starts_with(STAND_IN_SAYS), "{text}");
    let first = &a["articles"][0];
    assert!(
        text.contains(&format!(
            "[1] [{}]({})",
            first["title"].as_str().expect("title"),
            first["url"].as_str().expect("url")
        )),
        "the citation [1] is listed with its article: {text}"
    );
    let chats = model.chats();
    assert_eq!(chats.len(), 1);
    let sent = &chats[0];
    assert_eq!(sent["model"], "stand-in");
    assert_eq!(sent["messages"][1]["content"], FEE_QUESTION);
    let system = sent["messages"][0]["content"].as_str().expect("system");
    assert!(
        system.contains(&format!("[1] {}", first["title"].as_str().expect("title"))),
        "the model is grounded in the articles the user is shown"
    );

    // What the user typed reaches the model without its secrets.
    let a = ask(
        &app,
        &format!("my fee is too low to send USDT, here is my phrase {PHRASE} and key {WIF}"),
        "en",
    )
    .await;
    assert_eq!(a["secret_removed"], true);
    assert_eq!(a["composed_by"], "model");
    assert!(
        a["answer"]
            .as_str()
            .expect("answer")
            .starts_with("You included what looks like a recovery phrase"),
        "the warning comes first, whoever writes the answer"
    );
    let sent = model.chats().last().expect("a second call").to_string();
    for secret in ["sausage", "worth useful", WIF] {
        assert!(
            !sent.contains(secret),
            "{secret} was sent to the model: {sent}"
        );
    }

    // A theft goes to a person, and the model is not asked.
    let before = model.chats().len();
    let a = ask(
        &app,
        "my wallet was drained, all my funds were stolen",
        "en",
    )
    .await;
    assert_eq!(a["handoff"], true);
    assert_eq!(a["composed_by"], "builtin");
    assert_eq!(model.chats().len(), before);

    // Chinese questions get a Chinese prompt.
    let a = ask(&app, "转账一直显示待确认，卡住了怎么办", "zh-CN").await;
    assert_eq!(a["composed_by"], "model", "{a}");
    let sent = model.chats().last().expect("a call").clone();
    assert!(
        sent["messages"][0]["content"]
            .as_str()
            .expect("system")
            .contains("简体中文")
    );
    assert!(a["answer"].as_str().expect("answer").contains("来源："));
}

#[tokio::test]
async fn a_slow_failing_or_unsafe_chat_model_gives_way_to_the_builtin_answer() {
    let model = StandIn::spawn().await;
    let ep = model.endpoint(5000);
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.chat = Some(ep);
        c.assistant.budget_ms = 400;
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let builtin = {
        let plain = TestApp::spawn_with(|c| c.demo = true).await;
        server::serve::prepare(&plain.state).await.expect("prepare");
        ask(&plain, FEE_QUESTION, "en").await
    };
    for (mode, why) in [
        (Mode::Slow, "timeout"),
        (Mode::Error, "http_status"),
        (Mode::Garbage, "malformed"),
        (
            Mode::Unsafe,
            "rejected: the reply asks for a recovery phrase or key",
        ),
    ] {
        model.set(mode);
        let a = ask(&app, FEE_QUESTION, "en").await;
        assert_eq!(a["composed_by"], "builtin", "{mode:?}: {a}");
        assert_eq!(a["model_fallback"], why, "{mode:?}");
        assert_eq!(
            a["answer"], builtin["answer"],
            "{mode:?}: the built-in answer"
        );
        assert_eq!(a["articles"], builtin["articles"], "{mode:?}");
    }

    // An endpoint nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr: SocketAddr = l.local_addr().expect("addr");
        addr
    };
    let down = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.chat = Some(ModelEndpoint {
            url: format!("http://{closed}/v1"),
            model: "m".into(),
            api_key: String::new(),
            timeout_ms: 1000,
            input_type: false,
        });
    })
    .await;
    server::serve::prepare(&down.state).await.expect("prepare");
    let a = ask(&down, FEE_QUESTION, "en").await;
    assert_eq!(a["composed_by"], "builtin");
    assert_eq!(a["model_fallback"], "unavailable");
    assert_eq!(a["answer"], builtin["answer"]);
}

#[tokio::test]
async fn configured_embeddings_make_retrieval_hybrid_and_carry_no_secrets() {
    let model = StandIn::spawn().await;
    let ep = model.endpoint(5000);
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep);
        c.assistant.budget_ms = 400;
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");

    // The articles are embedded in the background after start-up.
    let mut a = Value::Null;
    for _ in 0..100 {
        a = ask(&app, FEE_QUESTION, "en").await;
        if a["retrieval"] == "hybrid" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(a["retrieval"], "hybrid", "{a}");
    assert_eq!(a["topic"], "insufficient_fee");
    let embedded: usize = model
        .embeddings()
        .iter()
        .map(|b| b["input"].as_array().map_or(0, Vec::len))
        .sum();
    let articles = app
        .state
        .store
        .articles(None, true)
        .await
        .expect("articles");
    assert!(
        embedded > articles.len(),
        "every article, then the questions: {embedded}"
    );

    let a = ask(&app, &format!("我的助记词 {PHRASE} 恢复不了钱包"), "zh-CN").await;
    assert_eq!(a["secret_removed"], true);
    assert_eq!(a["retrieval"], "hybrid");
    let sent = model.embeddings().last().expect("a call").to_string();
    assert!(!sent.contains("sausage"), "{sent}");
    assert!(
        sent.contains("恢复不了钱包"),
        "the rest of the question is embedded: {sent}"
    );

    // A slow endpoint: the lexical answer, in time.
    model.set(Mode::Slow);
    let a = ask(&app, FEE_QUESTION, "en").await;
    assert_eq!(a["retrieval"], "lexical");
    assert_eq!(a["model_fallback"], "timeout");
    assert_eq!(a["topic"], "insufficient_fee");
}

/// Waits (polling, with a generous cap that is not a timing assertion) until the background
/// embedding of the articles has stopped running.
async fn embedding_settled(app: &TestApp) -> server::article_vectors::Progress {
    use server::article_vectors::Phase;
    for _ in 0..600 {
        let p = app.state.assistant.vectors.progress();
        if p.phase != Phase::Running {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the background embedding did not stop: {:?}",
        app.state.assistant.vectors.progress()
    );
}

#[tokio::test]
async fn stand_in_embeddings_come_in_batches_are_retried_and_cached_on_disk() {
    use server::article_vectors::{CACHE_FILE, Phase};
    let model = StandIn::spawn().await;
    model.fail_next(2);
    let ep = model.endpoint(5000);
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep.clone());
        c.assistant.embed_batch_size = 5;
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let p = embedding_settled(&app).await;
    let articles = app
        .state
        .store
        .articles(None, true)
        .await
        .expect("articles");
    assert_eq!(p.phase, Phase::Ready, "{p:?}");
    assert_eq!(
        (p.done, p.total, p.from_cache),
        (articles.len(), articles.len(), 0)
    );
    assert_eq!(p.retries, 2, "two 500s, each retried: {p:?}");
    let sizes: Vec<usize> = model
        .embeddings()
        .iter()
        .map(|b| b["input"].as_array().map_or(0, Vec::len))
        .collect();
    assert!(sizes.iter().all(|&n| (1..=5).contains(&n)), "{sizes:?}");
    assert_eq!(
        sizes.iter().sum::<usize>(),
        articles.len() + 2 * 5,
        "{sizes:?}"
    );
    assert!(
        model
            .embeddings()
            .iter()
            .all(|b| b.get("input_type").is_none()),
        "input_type is only sent when configured"
    );
    let cache = app.state.config.data_dir.join(CACHE_FILE);
    let text = std::fs::read_to_string(&cache).expect("the cache file is written");
    let mut cached: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        cached["vectors"].as_object().map(serde_json::Map::len),
        Some(articles.len())
    );
    let a = ask(&app, FEE_QUESTION, "en").await;
    assert_eq!(a["retrieval"], "hybrid", "{a}");

    // A restart with the cache: nothing is embedded again. One article changed since (its
    // key is not in the cache): only that one is.
    let model2 = StandIn::spawn().await;
    let ep2 = model2.endpoint(5000);
    let again = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep2);
    })
    .await;
    let changed = cached["vectors"]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .expect("a key");
    cached["vectors"]
        .as_object_mut()
        .expect("object")
        .remove(&changed);
    std::fs::write(
        again.state.config.data_dir.join(CACHE_FILE),
        cached.to_string(),
    )
    .expect("copy the cache");
    server::serve::prepare(&again.state).await.expect("prepare");
    let p = embedding_settled(&again).await;
    assert_eq!(p.phase, Phase::Ready, "{p:?}");
    assert_eq!(p.from_cache, articles.len() - 1, "{p:?}");
    assert_eq!(model2.embedded_texts(), 1, "only the changed article");
    let a = ask(&again, FEE_QUESTION, "en").await;
    assert_eq!(a["retrieval"], "hybrid", "{a}");
    assert_eq!(model2.embedded_texts(), 2, "then the question");
}

#[tokio::test]
async fn stand_in_wrong_dimensions_stop_the_embedding_and_retrieval_stays_lexical_in_view() {
    use server::article_vectors::Phase;
    let model = StandIn::spawn().await;
    model.set(Mode::WrongDims);
    let ep = model.endpoint(5000);
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep);
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let p = embedding_settled(&app).await;
    assert_eq!(p.phase, Phase::Failed, "{p:?}");
    assert_eq!(p.error.as_deref(), Some("wrong_dimensions"));
    assert_eq!(p.retries, 0, "a wrong answer is not asked again");
    let a = ask(&app, FEE_QUESTION, "en").await;
    assert_eq!(a["retrieval"], "lexical");
    assert_eq!(
        a["model_fallback"], "embeddings_not_ready",
        "said, not silent"
    );
    assert_eq!(a["topic"], "insufficient_fee");

    // The admin sees it, in both languages.
    let admin = app
        .create_agent("admin@example.com", domain::Role::Admin)
        .await;
    let client = app.signed_in_client(&admin).await;
    let total = p.total.to_string();
    for (lang, words) in [
        ("en", "vectors of the wrong size"),
        ("zh-CN", "向量维度不对"),
    ] {
        let html = client
            .get(app.url(&format!("/admin?lang={lang}")))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        let cell = html
            .split("id=\"article-vectors\">")
            .nth(1)
            .and_then(|s| s.split("</td>").next())
            .unwrap_or_else(|| panic!("no embeddings row: {html}"));
        assert!(cell.contains(&format!("0/{total}")), "{lang}: {cell}");
        assert!(cell.contains(words), "{lang}: {cell}");
    }
}

#[tokio::test]
async fn stand_in_too_slow_for_the_background_time_limit_gives_up_and_says_so() {
    use server::article_vectors::Phase;
    let model = StandIn::spawn().await;
    model.set(Mode::Slow);
    let ep = model.endpoint(5000);
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep);
        c.assistant.articles_embed_timeout_ms = 800;
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let p = embedding_settled(&app).await;
    assert_eq!(p.phase, Phase::Failed, "{p:?}");
    assert_eq!(p.error.as_deref(), Some("timeout"));
    assert_eq!(p.done, 0);
    let a = ask(&app, FEE_QUESTION, "en").await;
    assert_eq!(a["retrieval"], "lexical");
    assert_eq!(a["model_fallback"], "embeddings_not_ready");
}

#[tokio::test]
async fn stand_in_asymmetric_models_are_told_questions_from_articles() {
    let model = StandIn::spawn().await;
    let mut ep = model.endpoint(5000);
    ep.input_type = true;
    let app = TestApp::spawn_with(|c| {
        c.demo = true;
        c.assistant.embeddings = Some(ep);
    })
    .await;
    server::serve::prepare(&app.state).await.expect("prepare");
    embedding_settled(&app).await;
    let a = ask(&app, FEE_QUESTION, "en").await;
    assert_eq!(a["retrieval"], "hybrid", "{a}");
    let calls = model.embeddings();
    let (question, articles) = calls.split_last().expect("calls");
    assert_eq!(question["input_type"], "query");
    assert!(articles.iter().all(|b| b["input_type"] == "passage"));
}
