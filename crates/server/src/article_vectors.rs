//! The help articles' embeddings, computed in the background after each rebuild of the
//! assistant (`assist::rebuild`), kept on disk, and reported as they arrive.
//!
//! * **Its own time limit.** Embedding every article with a small CPU-only model takes a
//!   minute or more; a question's `[assistant] budget_ms` is seconds. The job has
//!   `[assistant] articles_embed_timeout_ms` in all, and each request at most
//!   [`BATCH_CALL_LIMIT`].
//! * **Batches** of `[assistant] embed_batch_size` articles per request, each retried with
//!   exponential back-off ([`BACKOFF_FIRST`] doubling up to [`BACKOFF_MAX`], at most
//!   [`ATTEMPTS`] tries) when the failure may pass (time-out, 5xx, 429, down).
//! * **A cache on disk** (`<data_dir>/article-vectors.json`, owner-only), keyed by the SHA-256
//!   of the endpoint's model name and the exact text embedded: a restart embeds only what
//!   changed, and a job cut short resumes where it stopped. Written after every batch.
//! * **Progress** in the log (`embedded 40 of 68 help articles`, with the seconds elapsed)
//!   and in [`Progress`], shown on the admin overview.
//!
//! What is sent is article text (title, summary, keywords, the start of the body), and it
//! passes through `model.rs`'s redaction like every text that leaves for a model.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use assistant::ArticleRef;
use assistant::semantic::VectorIndex;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::model::{EmbedKind, ModelError};

/// The cache's file name in the data directory.
pub const CACHE_FILE: &str = "article-vectors.json";
/// The longest one batch request may take: a stuck server must not eat the whole time limit.
pub const BATCH_CALL_LIMIT: Duration = Duration::from_secs(120);
/// Tries per batch.
pub const ATTEMPTS: u32 = 5;
/// The wait after the first failed try; doubled after each.
pub const BACKOFF_FIRST: Duration = Duration::from_millis(500);
pub const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Where the background embedding of the articles stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    /// Published articles.
    pub total: usize,
    /// Articles with a vector so far (from the cache or embedded by this job).
    pub done: usize,
    /// Of `done`, how many came from the cache.
    pub from_cache: usize,
    /// Failed tries that were retried.
    pub retries: u32,
    /// Why the job stopped (`Phase::Failed`): a [`ModelError::kind`] or `wrong_dimensions`.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Phase {
    /// No embeddings endpoint configured: retrieval is lexical.
    #[default]
    Off,
    /// Embedding; retrieval is lexical until done.
    Running,
    /// Every article has a vector: retrieval is hybrid.
    Ready,
    /// The job gave up; retrieval stays lexical until the next rebuild or start.
    Failed,
}

impl Phase {
    /// A stable name (logs, tests, the overview's translation keys).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Off => "off",
            Phase::Running => "running",
            Phase::Ready => "ready",
            Phase::Failed => "failed",
        }
    }
}

/// Shared between the jobs and the pages.
#[derive(Debug, Default)]
pub struct Tracker {
    progress: Mutex<Progress>,
    /// Loaded on first use; `tokio`'s mutex because it is held while the file is written.
    cache: tokio::sync::Mutex<Option<Cache>>,
    /// [`set_key`] of the articles the latest job embeds.
    set: Mutex<Option<String>>,
}

impl Tracker {
    #[must_use]
    pub fn progress(&self) -> Progress {
        match self.progress.lock() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Whether the latest job is for the article set `key` and is running or done.
    #[must_use]
    pub fn is_current_set(&self, key: &str) -> bool {
        let same = match self.set.lock() {
            Ok(s) => s.as_deref() == Some(key),
            Err(poisoned) => poisoned.into_inner().as_deref() == Some(key),
        };
        same && matches!(self.progress().phase, Phase::Running | Phase::Ready)
    }

    /// Records that a job for the article set `key` starts, and shows it as running at once.
    pub fn set_current_set(&self, key: String) {
        match self.set.lock() {
            Ok(mut s) => *s = Some(key),
            Err(poisoned) => *poisoned.into_inner() = Some(key),
        }
        self.update(|p| {
            *p = Progress {
                phase: Phase::Running,
                ..Progress::default()
            };
        });
    }

    fn update(&self, f: impl FnOnce(&mut Progress)) {
        match self.progress.lock() {
            Ok(mut p) => f(&mut p),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

/// Article vectors by content hash, as kept in [`CACHE_FILE`].
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Cache {
    #[serde(skip)]
    path: PathBuf,
    /// Hex SHA-256 of (model identity, NUL, text) → the vector as the endpoint returned it.
    vectors: HashMap<String, Vec<f32>>,
}

impl Cache {
    fn load(dir: &Path) -> Cache {
        let path = dir.join(CACHE_FILE);
        let mut cache = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<Cache>(&bytes).unwrap_or_else(|e| {
                // Only a cache: embedding again is slow, not wrong.
                tracing::warn!(error = %e, file = %path.display(), "article vector cache unreadable; starting afresh");
                Cache::default()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Cache::default(),
            Err(e) => {
                tracing::warn!(error = %e, file = %path.display(), "article vector cache unreadable; starting afresh");
                Cache::default()
            }
        };
        cache.path = path;
        cache
    }

    /// Written to a temporary file and renamed over the old one, so a crash mid-write leaves
    /// the previous cache.
    fn save(&self) {
        let tmp = self.path.with_extension("json.tmp");
        let written = serde_json::to_vec(self)
            .map_err(std::io::Error::other)
            .and_then(|bytes| crate::datadir::write_private(&tmp, &bytes))
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = written {
            tracing::warn!(error = %e, file = %self.path.display(), "article vector cache not written");
        }
    }
}

/// The cache key of `text` embedded by the model `identity`.
#[must_use]
pub fn cache_key(identity: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(identity.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What identifies a set of articles as the embedding job sees it: each one's slug, language
/// and the text sent to the model.
#[must_use]
pub fn set_key(refs: &[ArticleRef]) -> String {
    let mut h = Sha256::new();
    for a in refs {
        h.update(a.slug.as_bytes());
        h.update([0]);
        h.update(a.lang.as_str().as_bytes());
        h.update([0]);
        h.update(assistant::semantic::article_text(a).as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A vector fit to be cached and indexed: the right length, finite, not all zero.
fn usable(v: &[f32], dims: usize) -> bool {
    v.len() == dims && v.iter().all(|x| x.is_finite()) && v.iter().any(|x| *x != 0.0)
}

/// Embeds `refs` (the articles of rebuild `generation`) and installs their vectors, unless a
/// newer rebuild supersedes this one; see the module documentation.
pub async fn embed_articles(state: &AppState, generation: u64, refs: &[ArticleRef]) {
    let Some(identity) = state.models.embeddings_identity() else {
        return;
    };
    let tracker = &state.assistant.vectors;
    let cfg = &state.config.assistant;
    let started = Instant::now();
    let deadline = started + Duration::from_millis(cfg.articles_embed_timeout_ms);
    let texts: Vec<String> = refs.iter().map(assistant::semantic::article_text).collect();
    let keys: Vec<String> = texts.iter().map(|t| cache_key(&identity, t)).collect();
    let total = refs.len();

    let mut cache_slot = tracker.cache.lock().await;
    let cache = cache_slot.get_or_insert_with(|| Cache::load(&state.config.data_dir));
    let mut vectors: Vec<Option<Vec<f32>>> =
        keys.iter().map(|k| cache.vectors.get(k).cloned()).collect();
    drop(cache_slot);
    let mut from_cache = vectors.iter().filter(|v| v.is_some()).count();
    let mut todo: VecDeque<usize> = (0..total).filter(|&i| vectors[i].is_none()).collect();
    tracker.update(|p| {
        *p = Progress {
            phase: Phase::Running,
            total,
            done: from_cache,
            from_cache,
            retries: 0,
            error: None,
        };
    });
    tracing::info!(
        articles = total,
        from_cache,
        to_embed = todo.len(),
        "embedding help articles in the background"
    );

    // The length of the endpoint's vectors, once it has answered: cached vectors of another
    // length (the model behind the name changed) are embedded again.
    let mut dims: Option<usize> = None;
    let batch_size = cfg.embed_batch_size.max(1);
    while !todo.is_empty() {
        if state.assistant.generation() != generation {
            tracing::info!("help articles changed; this embedding job stops for the newer one");
            return;
        }
        let batch: Vec<usize> = todo.drain(..batch_size.min(todo.len())).collect();
        let batch_texts: Vec<String> = batch.iter().map(|&i| texts[i].clone()).collect();
        let got = match embed_with_retries(state, &batch_texts, deadline).await {
            Ok(v) => v,
            Err(e) => return fail(state, generation, e.kind(), &e.to_string(), started),
        };
        let d = *dims.get_or_insert_with(|| got.first().map_or(0, Vec::len));
        if let Some(bad) = got.iter().find(|v| !usable(v, d)) {
            let why = format!(
                "a vector of {} values (expected {d}), or not finite, or all zero",
                bad.len()
            );
            return fail(state, generation, "wrong_dimensions", &why, started);
        }
        let stale: Vec<usize> = (0..total)
            .filter(|&i| vectors[i].as_ref().is_some_and(|v| v.len() != d))
            .collect();
        if !stale.is_empty() {
            tracing::warn!(
                articles = stale.len(),
                dims = d,
                "cached article vectors have another length; embedding those again"
            );
            for &i in &stale {
                vectors[i] = None;
                todo.push_back(i);
            }
            from_cache -= stale.len();
        }
        let mut cache_slot = tracker.cache.lock().await;
        let cache = cache_slot.get_or_insert_with(|| Cache::load(&state.config.data_dir));
        for (&i, v) in batch.iter().zip(got) {
            cache.vectors.insert(keys[i].clone(), v.clone());
            vectors[i] = Some(v);
        }
        cache.save();
        drop(cache_slot);
        let done = vectors.iter().filter(|v| v.is_some()).count();
        if state.assistant.generation() == generation {
            tracker.update(|p| {
                p.done = done;
                p.from_cache = from_cache;
            });
        }
        tracing::info!(
            done,
            articles = total,
            elapsed_s = started.elapsed().as_secs_f32(),
            "embedded {done} of {total} help articles"
        );
    }

    let all: Vec<Vec<f32>> = vectors.into_iter().flatten().collect();
    match VectorIndex::new(refs, all) {
        Ok(index) => {
            if state.assistant.set_vectors(generation, index) {
                tracker.update(|p| {
                    p.phase = Phase::Ready;
                    p.done = total;
                });
                tracing::info!(
                    articles = total,
                    from_cache,
                    embedded = total - from_cache,
                    elapsed_s = started.elapsed().as_secs_f32(),
                    "help articles embedded; retrieval is hybrid"
                );
                // Vectors of articles no longer published go; the cache stays the size of
                // the help center.
                let mut cache_slot = tracker.cache.lock().await;
                if let Some(cache) = cache_slot.as_mut() {
                    let before = cache.vectors.len();
                    cache.vectors.retain(|k, _| keys.contains(k));
                    if cache.vectors.len() != before {
                        cache.save();
                    }
                }
            }
        }
        Err(e) => fail(state, generation, "malformed", &e.to_string(), started),
    }
}

async fn embed_with_retries(
    state: &AppState,
    texts: &[String],
    deadline: Instant,
) -> Result<Vec<Vec<f32>>, ModelError> {
    let mut wait = BACKOFF_FIRST;
    let mut attempt = 1;
    loop {
        match state
            .models
            .embed_as(texts, EmbedKind::Passage, deadline, BATCH_CALL_LIMIT)
            .await
        {
            Ok(v) => return Ok(v),
            Err(e) if e.is_retryable() && attempt < ATTEMPTS => {
                if Instant::now() + wait >= deadline {
                    return Err(ModelError::Timeout);
                }
                tracing::warn!(
                    error = %e,
                    attempt,
                    retry_in_ms = wait.as_millis() as u64,
                    "embedding a batch of help articles failed; retrying"
                );
                state.assistant.vectors.update(|p| p.retries += 1);
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(BACKOFF_MAX);
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

fn fail(state: &AppState, generation: u64, kind: &str, detail: &str, started: Instant) {
    if state.assistant.generation() == generation {
        state.assistant.vectors.update(|p| {
            p.phase = Phase::Failed;
            p.error = Some(kind.to_owned());
        });
    }
    tracing::warn!(
        error = detail,
        kind,
        elapsed_s = started.elapsed().as_secs_f32(),
        "embedding the help articles failed; retrieval stays lexical (what was embedded is cached)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_text_and_the_model_only() {
        let a = cache_key("e5\0input_type=true", "How to send");
        assert_eq!(a, cache_key("e5\0input_type=true", "How to send"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, cache_key("e5\0input_type=true", "How to send."));
        assert_ne!(a, cache_key("e5\0input_type=false", "How to send"));
        assert_ne!(a, cache_key("other", "How to send"));
    }

    #[test]
    fn the_cache_survives_a_round_trip_and_a_garbled_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::load(dir.path());
        assert!(c.vectors.is_empty());
        c.vectors.insert("k".into(), vec![0.25, -1.5]);
        c.save();
        assert_eq!(Cache::load(dir.path()).vectors["k"], vec![0.25, -1.5]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(CACHE_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(CACHE_FILE), b"{not json").unwrap();
        assert!(Cache::load(dir.path()).vectors.is_empty());
    }

    #[test]
    fn unusable_vectors_are_refused() {
        assert!(usable(&[0.1, 0.2], 2));
        assert!(!usable(&[0.1], 2));
        assert!(!usable(&[0.0, 0.0], 2));
        assert!(!usable(&[f32::NAN, 1.0], 2));
    }
}
