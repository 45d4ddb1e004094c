//! The self-service assistant behind `POST /api/v1/assistant/answer`: built from the published
//! help articles, rebuilt whenever they change. It answers with no external model; when an
//! embeddings endpoint is configured the articles are embedded after each rebuild (in the
//! background) and questions get hybrid retrieval, and with a chat endpoint the reply is written
//! by the model from the same articles ([`answer`]), the built-in answer standing in whenever
//! the model is slow, down or unusable.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use assistant::semantic::VectorIndex;
use assistant::{Answer, ArticleRef, Assistant, Topic};
use domain::Lang;
use store::Article;

use crate::AppState;

/// The current assistant and, when embeddings are configured and have arrived, the articles'
/// vectors; swapped whole when the articles change, so an answer in flight keeps what it
/// started with.
#[derive(Debug)]
pub struct Shared {
    current: RwLock<Arc<Current>>,
    /// Bumped by every rebuild, so that embeddings of older articles are never installed over
    /// a newer rebuild.
    generation: AtomicU64,
    /// The background embedding of the articles: its progress and its cache.
    pub vectors: crate::article_vectors::Tracker,
}

#[derive(Debug)]
pub struct Current {
    pub assistant: Arc<Assistant>,
    pub vectors: Option<VectorIndex>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            current: RwLock::new(Arc::new(Current {
                assistant: Arc::new(Assistant::with_builtin_index(Vec::new())),
                vectors: None,
            })),
            generation: AtomicU64::new(0),
            vectors: crate::article_vectors::Tracker::default(),
        }
    }
}

impl Shared {
    #[must_use]
    pub fn current(&self) -> Arc<Current> {
        match self.current.read() {
            Ok(a) => Arc::clone(&a),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The latest rebuild's number.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn set(&self, c: Current) {
        match self.current.write() {
            Ok(mut slot) => *slot = Arc::new(c),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(c),
        }
    }

    /// A new assistant over the same articles: the vectors stay.
    fn replace_assistant(&self, assistant: Arc<Assistant>) {
        let mut slot = match self.current.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(Current {
            assistant,
            vectors: slot.vectors.clone(),
        });
    }

    /// Installs article vectors computed for `generation`'s articles, unless a newer rebuild
    /// has happened since.
    pub(crate) fn set_vectors(&self, generation: u64, vectors: VectorIndex) -> bool {
        let mut slot = match self.current.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        if self.generation.load(Ordering::SeqCst) != generation {
            return false;
        }
        *slot = Arc::new(Current {
            assistant: Arc::clone(&slot.assistant),
            vectors: Some(vectors),
        });
        true
    }
}

fn article_ref(a: &Article) -> ArticleRef {
    ArticleRef {
        slug: a.slug.clone(),
        lang: a.lang,
        title: a.title.clone(),
        url: format!("/help/{}?lang={}", a.slug, a.lang.as_str()),
        summary: a.summary.clone(),
        category: a.category.clone(),
        topics: a.topics.iter().filter_map(|t| Topic::from_key(t)).collect(),
        keywords: a.keywords.clone(),
        body_markdown: a.body.clone(),
    }
}

/// Rebuilds the assistant from the published articles.
///
/// # Errors
/// Storage failures.
pub async fn rebuild(state: &AppState) -> Result<(), store::StoreError> {
    let refs: Vec<ArticleRef> = state
        .store
        .articles(None, true)
        .await?
        .iter()
        .map(article_ref)
        .collect();
    let for_vectors = state.models.embeddings.is_some().then(|| refs.clone());
    // Training the topic model takes a moment: not on the async threads.
    let built = tokio::task::spawn_blocking(move || Assistant::with_builtin_index(refs))
        .await
        .map_err(|e| store::StoreError::Backend(format!("building the assistant: {e}")))?;
    let set = for_vectors.as_deref().map(crate::article_vectors::set_key);
    // The same articles as the embedding under way or done (start-up rebuilds more than once;
    // an edit may change nothing the model reads): keep it rather than start again.
    if set
        .as_deref()
        .is_some_and(|s| state.assistant.vectors.is_current_set(s))
    {
        state.assistant.replace_assistant(Arc::new(built));
        return Ok(());
    }
    let generation = state.assistant.generation.fetch_add(1, Ordering::SeqCst) + 1;
    state.assistant.set(Current {
        assistant: Arc::new(built),
        vectors: None,
    });
    if let (Some(refs), Some(set)) = (for_vectors, set) {
        state.assistant.vectors.set_current_set(set);
        // Embedding every article takes a while (a minute with a small CPU-only model): in the
        // background, under its own time limit; answers stay lexical until it is done.
        let state = state.clone();
        tokio::spawn(async move {
            crate::article_vectors::embed_articles(&state, generation, &refs).await;
        });
    }
    Ok(())
}

/// What the API returns besides the assistant's answer: whether a model was asked and why its
/// reply was not used.
#[derive(Debug, Default)]
pub struct ModelUse {
    /// Why the configured model's help was not used (`timeout`, `unavailable`, `http_status`,
    /// `malformed`, or a [`assistant::grounded::Rejected`] reason).
    pub fallback: Option<String>,
}

/// Answers a question within the configured budget: embeddings (when configured and the
/// articles are embedded) for hybrid retrieval, the built-in assistant, then the chat model
/// (when configured and the conversation is not going to a person) for the reply text.
///
/// # Errors
/// Only when the built-in assistant panicked (a bug).
pub async fn answer(
    state: &AppState,
    question: String,
    lang: Lang,
) -> Result<(Answer, ModelUse), tokio::task::JoinError> {
    let started = Instant::now();
    let deadline = started + state.models.budget;
    let current = state.assistant.current();
    let mut used = ModelUse::default();
    // Cut once: the built-in assistant, the embedding and the chat prompt all read the clean
    // text. The API caps a question at 8 KiB, so this is well under a millisecond.
    let cut = assistant::cut_secrets(&question).ok();

    let mut semantic = Vec::new();
    match (&current.vectors, &state.models.embeddings, &cut) {
        (Some(vectors), Some(_), Some((clean, _))) => {
            // `clean` has had its secrets cut, and `Models::embed` redacts once more.
            match state
                .models
                .embed(std::slice::from_ref(clean), deadline)
                .await
            {
                Ok(mut v) => match v.pop().map(|q| vectors.nearest(q, None, 8)) {
                    Some(Ok(hits)) => semantic = hits,
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "unusable question embedding; lexical retrieval");
                        used.fallback = Some(format!("embeddings: {e}"));
                    }
                    None => {
                        tracing::warn!("no question embedding; lexical retrieval");
                        used.fallback = Some("embeddings: empty".into());
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "embeddings endpoint failed; lexical retrieval");
                    used.fallback = Some(e.kind().to_owned());
                }
            }
        }
        (None, Some(_), _) => {
            let p = state.assistant.vectors.progress();
            tracing::info!(
                phase = p.phase.as_str(),
                embedded = p.done,
                articles = p.total,
                "help articles not embedded yet; lexical retrieval"
            );
            used.fallback = Some("embeddings_not_ready".into());
        }
        _ => {}
    }

    let for_answer = Arc::clone(&current);
    let built = tokio::task::spawn_blocking(move || {
        let a = match &cut {
            Some((clean, removed)) => for_answer
                .assistant
                .answer_cut(clean, *removed, lang, &semantic),
            // Too large to scan: the assistant's own too-long hand-off.
            None => for_answer.assistant.answer_with(&question, lang, &semantic),
        };
        (a, cut)
    })
    .await?;
    let (answer, cut) = built;

    if state.models.chat.is_none() || answer.handoff || answer.articles.is_empty() {
        return Ok((answer, used));
    }
    let Some((clean, _)) = cut else {
        return Ok((answer, used));
    };
    let grounding = current.assistant.grounding(&answer);
    let messages = assistant::grounded::messages(&clean, lang, &grounding);
    match state.models.chat(&messages, deadline).await {
        Ok(reply) => match assistant::grounded::accept(&reply, grounding.len()) {
            Ok(text) => {
                tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "assistant answer written by the chat model"
                );
                return Ok((answer.with_model_reply(&text, lang), used));
            }
            Err(why) => {
                tracing::warn!(reason = %why, "chat model reply rejected; built-in answer");
                used.fallback = Some(format!("rejected: {why}"));
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "chat endpoint failed; built-in answer");
            used.fallback = Some(e.kind().to_owned());
        }
    }
    Ok((answer, used))
}

/// The ticket category a topic goes to when the assistant hands the user to a person.
#[must_use]
pub fn category_for(topic: Topic) -> domain::Category {
    use domain::Category;
    match topic {
        Topic::RestoreMnemonic => Category::Restore,
        Topic::BalanceDisplay => Category::Balance,
        Topic::TxPendingFailed | Topic::InsufficientFee => Category::Transaction,
        Topic::UpdateDownload | Topic::FeatureHowto => Category::App,
        Topic::LoginPassword => Category::SignIn,
        Topic::SecurityTheftScam => Category::Security,
        Topic::Other => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    //! The assistant box's rendering (`static/assistant.js`), run under node: the page builds
    //! the answer from these pieces with `textContent` and `createElement("a")` only.

    use std::process::Command;

    fn node(expr: &str) -> serde_json::Value {
        let module = concat!(env!("CARGO_MANIFEST_DIR"), "/static/assistant.js");
        let script =
            format!("import * as m from 'file://{module}'; console.log(JSON.stringify({expr}));");
        let out = Command::new("node")
            .args(["--input-type=module", "-e", &script])
            .output()
            .unwrap_or_else(|e| panic!("node is needed for this test: {e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
    }

    fn links(parts: &serde_json::Value) -> Vec<(String, String)> {
        parts
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some((
                    p["text"].as_str()?.to_owned(),
                    p["href"].as_str()?.to_owned(),
                ))
            })
            .collect()
    }

    #[test]
    fn site_links_in_answers_become_links_and_markup_stays_text() {
        let parts = node(
            r#"m.lineParts("Open [/tickets/new](/tickets/new) or <b>mail</b>. NET/CPU and/or /chat [x](//evil.example) [Send](/help/send?lang=en).")"#,
        );
        assert_eq!(
            links(&parts),
            vec![
                ("/tickets/new".to_owned(), "/tickets/new".to_owned()),
                ("Send".to_owned(), "/help/send?lang=en".to_owned())
            ]
        );
        let text: String = parts
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["text"].as_str())
            .collect();
        assert!(
            text.contains("<b>mail</b>"),
            "markup is shown as text: {text}"
        );
        assert!(text.contains("[x](//evil.example)"), "{text}");
        // A bare path is the server's to link, by the help page's rule: the page only follows
        // Markdown links.
        assert!(text.contains("and/or /chat "), "{text}");
    }

    #[test]
    fn a_bare_path_in_an_article_step_is_a_link_in_the_answer() {
        let line = kb::plain_text_with_links("请通过 /tickets/new 联系我们。NET/CPU 不是路径。");
        let parts = node(&format!("m.lineParts({})", serde_json::json!(line)));
        assert_eq!(
            links(&parts),
            vec![("/tickets/new".to_owned(), "/tickets/new".to_owned())]
        );
    }

    #[test]
    fn steps_keep_their_sub_lists() {
        let blocks =
            node(r#"m.answerBlocks("1. Open.\n2. Check:\n   - Status\n   - Network\n3. Wait.")"#);
        assert_eq!(blocks[1]["kind"], "step");
        assert_eq!(blocks[1]["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(blocks[2]["parts"][0]["text"], "3. Wait.");
    }
}
