//! The self-service assistant behind `POST /api/v1/assistant/answer`: built from the published
//! help articles, rebuilt whenever they change, and answering with no external model.

use std::sync::{Arc, RwLock};

use assistant::{ArticleRef, Assistant, Topic};
use store::Article;

use crate::AppState;

/// The current assistant; swapped whole when the articles change, so an answer in flight keeps
/// the one it started with.
#[derive(Debug)]
pub struct Shared(RwLock<Arc<Assistant>>);

impl Default for Shared {
    fn default() -> Self {
        Shared(RwLock::new(Arc::new(Assistant::with_builtin_index(
            Vec::new(),
        ))))
    }
}

impl Shared {
    #[must_use]
    pub fn get(&self) -> Arc<Assistant> {
        match self.0.read() {
            Ok(a) => Arc::clone(&a),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set(&self, a: Assistant) {
        match self.0.write() {
            Ok(mut slot) => *slot = Arc::new(a),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(a),
        }
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
    // Training the topic model takes a moment: not on the async threads.
    let built = tokio::task::spawn_blocking(move || Assistant::with_builtin_index(refs))
        .await
        .map_err(|e| store::StoreError::Backend(format!("building the assistant: {e}")))?;
    state.assistant.set(built);
    Ok(())
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
