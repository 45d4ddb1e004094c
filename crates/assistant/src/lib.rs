//! The self-service assistant: a user asks in their own words; the assistant recognises the
//! support topic, finds the help articles that answer it, replies with their steps and links,
//! and says when a person must take over.
//!
//! No I/O and no network. An external model can help in two places, both optional and both
//! called by the server: embeddings for hybrid retrieval ([`semantic`]: the server passes the
//! articles nearest to the question's embedding to [`Assistant::answer_with`], fused with the
//! lexical ones), and a chat model that rewrites the reply from the same articles
//! ([`grounded`]: the prompt, and the checks its reply must pass before
//! [`Answer::with_model_reply`] uses it).
//!
//! How a question is handled ([`Assistant::answer`]):
//! 1. Secrets are found with `wallet::find_secrets` and cut out before anything else looks at
//!    the text; nothing the user typed is ever copied into the [`Answer`].
//! 2. The topic is a weighted vote of three independent views, each a distribution over the
//!    nine topics: the topics of the retrieved articles (weighted by score and rank), the cue
//!    lexicon ([`lexicon`], which leads) and a naive-Bayes model ([`bayes`]) trained on the
//!    articles and on the `tune` half of the labelled real questions ([`labelled`]), which
//!    weigh as much as the articles together. Help-seeking phrases (`怎么办`, "what should I do") are blanked first, and
//!    how-to evidence is discounted when the question has no how-to cue or describes a
//!    problem. The confidence is the winning topic's share of the total weight, so it drops
//!    when a view has nothing to say or the views disagree.
//! 3. Articles are the retrieved ones re-ranked towards the chosen topic.
//! 4. Hand-off to a person when the user asks for one, when funds look lost or stolen, for every
//!    security question, and when the confidence is below [`HANDOFF_BELOW`].

pub mod bayes;
pub mod compose;
pub mod content;
pub mod grounded;
mod han_fold;
pub mod labelled;
pub mod lexical;
pub mod lexicon;
pub mod semantic;
pub mod text;

use std::collections::HashMap;
use std::sync::Arc;

use domain::Lang;
use serde::Serialize;

pub use compose::{Composer, Composition, TemplateComposer};
pub use content::{ArticleRef, ContentError};
pub use lexical::LexicalIndex;

/// The support topics questions are classified into (the `topics` of help articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    RestoreMnemonic,
    BalanceDisplay,
    TxPendingFailed,
    InsufficientFee,
    UpdateDownload,
    LoginPassword,
    SecurityTheftScam,
    FeatureHowto,
    Other,
}

impl Topic {
    pub const COUNT: usize = 9;
    pub const ALL: [Topic; Topic::COUNT] = [
        Topic::RestoreMnemonic,
        Topic::BalanceDisplay,
        Topic::TxPendingFailed,
        Topic::InsufficientFee,
        Topic::UpdateDownload,
        Topic::LoginPassword,
        Topic::SecurityTheftScam,
        Topic::FeatureHowto,
        Topic::Other,
    ];

    /// The stable snake_case key (as in article front matter and evaluation labels).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Topic::RestoreMnemonic => "restore_mnemonic",
            Topic::BalanceDisplay => "balance_display",
            Topic::TxPendingFailed => "tx_pending_failed",
            Topic::InsufficientFee => "insufficient_fee",
            Topic::UpdateDownload => "update_download",
            Topic::LoginPassword => "login_password",
            Topic::SecurityTheftScam => "security_theft_scam",
            Topic::FeatureHowto => "feature_howto",
            Topic::Other => "other",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.key() == key)
    }

    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One article the retriever found.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrieved {
    pub slug: String,
    pub lang: Lang,
    /// Higher is better; only compared within one result list.
    pub score: f32,
}

/// Finds the articles that match a question, best first. `lang: None` searches every language.
/// Implemented by [`LexicalIndex`]; another index, or an embedding endpoint, can be plugged in
/// the same way. (This crate does not know the search crate: the help center's tantivy index
/// is the server's business.)
pub trait Retriever: Send + Sync {
    fn retrieve(&self, question: &str, lang: Option<Lang>, limit: usize) -> Vec<Retrieved>;
}

/// Why the conversation goes to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffReason {
    /// The user asked for a person.
    Requested,
    /// Funds look lost or stolen.
    LostFunds,
    /// A security question (theft, scam, phishing): always a person.
    Security,
    /// The assistant is not sure enough of the topic.
    LowConfidence,
    /// The question was too long to read.
    TooLong,
}

/// A link to a help article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleLink {
    pub title: String,
    pub url: String,
}

/// Who wrote the reply text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComposedBy {
    /// The built-in composer: fixed sentences and steps quoted from the articles.
    Builtin,
    /// A chat model, from the retrieved articles, its reply checked by [`grounded::accept`].
    Model,
}

/// How the articles were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Retrieval {
    Lexical,
    /// Lexical and embedding results, fused ([`semantic::fuse`]).
    Hybrid,
}

/// The assistant's reply. Contains no text the user typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub topic: Topic,
    /// From 0 to 1.
    pub confidence: f32,
    /// Plain text with Markdown links, in the user's language.
    pub answer: String,
    pub articles: Vec<ArticleLink>,
    pub handoff: bool,
    pub handoff_reason: Option<HandoffReason>,
    /// A recovery phrase or key was found in the question and cut out.
    pub secret_removed: bool,
    pub composed_by: ComposedBy,
    pub retrieval: Retrieval,
}

impl Answer {
    /// This answer with a chat model's reply (already through [`grounded::accept`]) as its text:
    /// the removed-secret warning first when one was removed, then the reply, then its sources
    /// numbered as the model saw them.
    #[must_use]
    pub fn with_model_reply(mut self, reply: &str, lang: Lang) -> Answer {
        let mut text = String::new();
        if self.secret_removed {
            text.push_str(compose::secret_notice(lang));
            text.push_str("\n\n");
        }
        text.push_str(reply.trim());
        text.push_str("\n\n");
        text.push_str(compose::sources_heading(lang));
        for (i, a) in self.articles.iter().enumerate() {
            text.push_str(&format!("\n[{}] [{}]({})", i + 1, a.title, a.url));
        }
        self.answer = text;
        self.composed_by = ComposedBy::Model;
        self
    }
}

/// Below this confidence the conversation goes to a person. Set from calibration on the
/// tuning half of `tests/data/real_questions.jsonl` and the shared dev set (114 questions):
/// below 0.35 one answer in four had the wrong topic (75 % right, 12 questions), at or above it
/// 89 % were right; between 0.35 and 0.45 answers were still right 84–90 % of the time, so
/// handing those to a person would cost more than it saves.
pub const HANDOFF_BELOW: f32 = 0.35;
/// Weights of the three views (they sum to one) and the constant score of `other`, the topic
/// that wins when no view has much to say.
///
/// The lexicon leads: it is the view that reads real posts (long, with coin names, versions and
/// error text) as well as textbook questions; retrieval and naive Bayes, both built from the
/// articles alone, drift towards whichever article shares the most everyday words.
const W_RETRIEVAL: f32 = 0.25;
const W_LEXICON: f32 = 0.55;
const W_BAYES: f32 = 0.20;
/// What the how-to score is worth when the question has no how-to cue at all.
const HOWTO_WITHOUT_CUE: f32 = 0.5;
const OTHER_PRIOR: f32 = 0.08;
/// Below this confidence the topic is `other` (and, being under [`HANDOFF_BELOW`], the
/// conversation goes to a person). Before, the runner-up of a near tie was named, most often
/// `feature_howto` because the how-to articles share the everyday words of every post.
/// Measured on the tuning half of `tests/data/real_questions.jsonl` (2026-12-07, 128
/// questions): 0.15 and 0.2 gave the same, 0.25 and above lost English questions.
pub const OTHER_BELOW: f32 = 0.2;
/// The how-to cue weight that makes a question phrased as a how-to (`怎么`, `how to`…).
const HOWTO_PHRASED: f32 = 0.8;
/// The lexicon evidence (summed cue weight) that counts in full: one strong cue.
const LEXICON_FULL: f32 = 2.0;
/// How many retrieved articles vote.
const VOTERS: usize = 5;
/// This many Han characters make a question Chinese, whatever else it contains.
const CHINESE_HAN_CHARS: usize = 4;
/// The longest question read (bytes, after secrets are cut); the rest is ignored.
const MAX_QUESTION_BYTES: usize = 4000;

/// The assistant over one set of help articles. Cheap to share (`Arc`), immutable.
pub struct Assistant {
    retriever: Arc<dyn Retriever>,
    composer: Arc<dyn Composer>,
    articles: Vec<ArticleRef>,
    by_slug: HashMap<(String, Lang), usize>,
    bayes: bayes::NaiveBayes,
}

impl std::fmt::Debug for Assistant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assistant")
            .field("articles", &self.articles.len())
            .finish_non_exhaustive()
    }
}

/// The evidence behind a classification, for evaluation and debugging.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub topic: Topic,
    pub confidence: f32,
    /// The combined score of every topic, in [`Topic::ALL`] order.
    pub scores: [f32; Topic::COUNT],
    pub retrieved: Vec<Retrieved>,
}

impl Assistant {
    /// An assistant answering from `articles`, finding them with `retriever`, composing with
    /// [`TemplateComposer`].
    #[must_use]
    pub fn new(retriever: Arc<dyn Retriever>, articles: Vec<ArticleRef>) -> Assistant {
        Assistant::with_composer(retriever, Arc::new(TemplateComposer), articles)
    }

    /// An assistant with the built-in [`LexicalIndex`] over the same articles.
    #[must_use]
    pub fn with_builtin_index(articles: Vec<ArticleRef>) -> Assistant {
        let index = Arc::new(LexicalIndex::new(&articles));
        Assistant::new(index, articles)
    }

    /// An assistant whose naive-Bayes view learns from the articles and the `tune` half of the
    /// real questions ([`labelled::tune_questions`]).
    #[must_use]
    pub fn with_composer(
        retriever: Arc<dyn Retriever>,
        composer: Arc<dyn Composer>,
        articles: Vec<ArticleRef>,
    ) -> Assistant {
        Assistant::with_examples(retriever, composer, articles, &labelled::tune_questions())
    }

    /// An assistant whose naive-Bayes view learns from the articles and from `examples` (for
    /// cross-validation: the same assistant without the questions it is measured on).
    #[must_use]
    pub fn with_examples(
        retriever: Arc<dyn Retriever>,
        composer: Arc<dyn Composer>,
        articles: Vec<ArticleRef>,
        examples: &[labelled::Example],
    ) -> Assistant {
        let by_slug = articles
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.slug.clone(), a.lang), i))
            .collect();
        let bayes = bayes::NaiveBayes::train_with(&articles, examples);
        Assistant {
            retriever,
            composer,
            articles,
            by_slug,
            bayes,
        }
    }

    #[must_use]
    pub fn articles(&self) -> &[ArticleRef] {
        &self.articles
    }

    fn article(&self, slug: &str, lang: Lang) -> Option<&ArticleRef> {
        self.by_slug
            .get(&(slug.to_owned(), lang))
            .and_then(|&i| self.articles.get(i))
    }

    /// Classifies a question whose secrets are already cut out.
    #[must_use]
    pub fn classify(&self, clean_question: &str) -> Classification {
        self.classify_with(clean_question, &[])
    }

    /// Classifies a question whose secrets are already cut out, with `semantic` (the articles
    /// nearest to its embedding, best first) fused into the retrieved ones when not empty.
    #[must_use]
    pub fn classify_with(&self, clean_question: &str, semantic: &[Retrieved]) -> Classification {
        // "What should I do" / 怎么办 says nothing about the topic but reads as a how-to
        // question to every view: it is blanked before any of them looks.
        let (full, terms) = question_terms(clean_question);
        let normalized = lexicon::without_help_seeking(&full);
        let lang = search_lang(clean_question);
        let lexical = self.retriever.retrieve(&normalized, Some(lang), 8);
        let retrieved = if semantic.is_empty() {
            lexical
        } else {
            let semantic: Vec<Retrieved> = semantic
                .iter()
                .filter(|r| r.lang == lang)
                .cloned()
                .collect();
            semantic::fuse(&[&lexical, &semantic], 8)
        };

        let mut votes = [0.0f32; Topic::COUNT];
        let top_score = retrieved.first().map_or(1.0, |r| r.score.max(f32::EPSILON));
        for (rank, r) in retrieved.iter().take(VOTERS).enumerate() {
            let Some(a) = self.article(&r.slug, r.lang) else {
                continue;
            };
            let w = (r.score / top_score) / (1.0 + 0.5 * rank as f32);
            for t in &a.topics {
                votes[t.index()] += w / a.topics.len() as f32;
            }
        }
        let votes = normalized_or_zero(votes);
        let lex = by_evidence(lexicon::weighted_scores(&full));
        let nb = self.bayes.posterior(&terms);

        let mut scores: [f32; Topic::COUNT] =
            std::array::from_fn(|i| W_RETRIEVAL * votes[i] + W_LEXICON * lex[i] + W_BAYES * nb[i]);
        // The how-to articles share the everyday words of every post (wallet, transfer,
        // account, 钱包, 转账): a question that is not phrased as a how-to at all is a problem
        // report, and retrieval and naive Bayes leaning to how-to count half. Everyday words
        // alone (`地址`, `账户`, `address`: how-to cues worth less than one usual cue) are no
        // how-to phrasing either.
        let howto = Topic::FeatureHowto.index();
        if lexicon::scores(&normalized)[howto] < HOWTO_PHRASED {
            scores[howto] *= HOWTO_WITHOUT_CUE;
        }
        scores[Topic::Other.index()] += OTHER_PRIOR;
        let (best, &top) = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((Topic::Other.index(), &0.0));
        let confidence = (top / (W_RETRIEVAL + W_LEXICON + W_BAYES + OTHER_PRIOR)).clamp(0.0, 1.0);
        // When no view is sure, no topic is: the honest answer is `other` (and a person, see
        // HANDOFF_BELOW), not the runner-up of a near tie.
        let topic = if confidence < OTHER_BELOW {
            Topic::Other
        } else {
            Topic::ALL[best]
        };
        Classification {
            topic,
            confidence,
            scores,
            retrieved,
        }
    }

    /// Answers a question. `lang` is the language of the reply (and of the linked articles);
    /// a question in another language (Spanish…) is read as English.
    #[must_use]
    pub fn answer(&self, question: &str, lang: Lang) -> Answer {
        self.answer_with(question, lang, &[])
    }

    /// [`Assistant::answer`] with hybrid retrieval: `semantic` are the articles nearest to the
    /// embedding of the question (with its secrets cut out, see [`cut_secrets`]), best first.
    #[must_use]
    pub fn answer_with(&self, question: &str, lang: Lang, semantic: &[Retrieved]) -> Answer {
        match cut_secrets(question) {
            Ok((clean, secret_removed)) => self.answer_cut(&clean, secret_removed, lang, semantic),
            Err(_) => self.finish(
                Topic::Other,
                0.0,
                &[],
                lang,
                Some(HandoffReason::TooLong),
                false,
            ),
        }
    }

    /// [`Assistant::answer_with`] for a question already through [`cut_secrets`] (`clean`, and
    /// whether anything was cut), so a caller that needs the clean text too cuts only once.
    #[must_use]
    pub fn answer_cut(
        &self,
        clean: &str,
        secret_removed: bool,
        lang: Lang,
        semantic: &[Retrieved],
    ) -> Answer {
        let mut end = clean.len().min(MAX_QUESTION_BYTES);
        while !clean.is_char_boundary(end) {
            end -= 1;
        }
        let clean = &clean[..end];
        let c = self.classify_with(clean, semantic);
        let normalized = text::normalize(clean);
        let reason = if lexicon::asks_for_person(&normalized) {
            Some(HandoffReason::Requested)
        } else if lexicon::mentions_lost_funds(&normalized) {
            Some(HandoffReason::LostFunds)
        } else if c.topic == Topic::SecurityTheftScam {
            Some(HandoffReason::Security)
        } else if c.confidence < HANDOFF_BELOW {
            Some(HandoffReason::LowConfidence)
        } else {
            None
        };
        let picked = self.pick_articles(&c, lang);
        let mut answer = self.finish(c.topic, c.confidence, &picked, lang, reason, secret_removed);
        if !semantic.is_empty() {
            answer.retrieval = Retrieval::Hybrid;
        }
        answer
    }

    /// The articles an answer links to, best first: what a chat model is grounded in.
    #[must_use]
    pub fn grounding(&self, answer: &Answer) -> Vec<&ArticleRef> {
        answer
            .articles
            .iter()
            .filter_map(|l| self.articles.iter().find(|a| a.url == l.url))
            .collect()
    }

    /// The retrieved articles in the reply language, re-ranked towards the topic, then the
    /// topic's own articles if fewer than three were found.
    fn pick_articles(&self, c: &Classification, lang: Lang) -> Vec<usize> {
        let top = c
            .retrieved
            .first()
            .map_or(1.0, |r| r.score.max(f32::EPSILON));
        let mut ranked: Vec<(f32, usize)> = Vec::new();
        for r in &c.retrieved {
            let Some(&i) = self.by_slug.get(&(r.slug.clone(), lang)) else {
                continue;
            };
            let a = &self.articles[i];
            let bonus = match a.topics.iter().position(|&t| t == c.topic) {
                Some(0) => 0.6,
                Some(_) => 0.4,
                None => 0.0,
            };
            if !ranked.iter().any(|&(_, j)| j == i) {
                ranked.push((r.score / top + bonus, i));
            }
        }
        for (i, a) in self.articles.iter().enumerate() {
            if a.lang == lang
                && a.topics.first() == Some(&c.topic)
                && !ranked.iter().any(|&(_, j)| j == i)
            {
                ranked.push((0.5, i));
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.into_iter().take(3).map(|(_, i)| i).collect()
    }

    fn finish(
        &self,
        topic: Topic,
        confidence: f32,
        picked: &[usize],
        lang: Lang,
        handoff_reason: Option<HandoffReason>,
        secret_removed: bool,
    ) -> Answer {
        let picked: Vec<&ArticleRef> = picked.iter().map(|&i| &self.articles[i]).collect();
        let answer = self.composer.compose(&Composition {
            lang,
            topic,
            articles: &picked,
            handoff: handoff_reason,
            secret_removed,
        });
        Answer {
            topic,
            confidence,
            answer,
            articles: picked
                .iter()
                .map(|a| ArticleLink {
                    title: a.title.clone(),
                    url: a.url.clone(),
                })
                .collect(),
            handoff: handoff_reason.is_some(),
            handoff_reason,
            secret_removed,
            composed_by: ComposedBy::Builtin,
            retrieval: Retrieval::Lexical,
        }
    }
}

/// How every view reads a question: normalized, pasted machine output dropped (the text the
/// lexicon reads), and the index terms of that text with help-seeking phrases blanked ("what
/// should I do", 怎么办 say nothing about the topic but read as a how-to question).
pub(crate) fn question_terms(question: &str) -> (String, Vec<String>) {
    let full = text::without_log_lines(&text::normalize(question));
    let terms = text::terms(&lexicon::without_help_seeking(&full));
    (full, terms)
}

/// The question with every secret `wallet` finds cut out (replaced by a space), and whether
/// anything was cut.
///
/// # Errors
/// The question is larger than `wallet::MAX_INPUT_BYTES`.
pub fn cut_secrets(question: &str) -> Result<(String, bool), wallet::RedactError> {
    let findings = wallet::redact::find_secrets(question, &wallet::RedactOptions::default())?;
    let mut out = String::with_capacity(question.len());
    let mut pos = 0;
    for f in &findings {
        out.push_str(question.get(pos..f.start).unwrap_or(""));
        out.push(' ');
        pos = pos.max(f.end);
    }
    out.push_str(question.get(pos..).unwrap_or(""));
    Ok((out, !findings.is_empty()))
}

/// The language to search in: Chinese articles for a question written in Chinese, English
/// otherwise (Spanish and other Latin-script languages included). Chinese users paste coin
/// names, error text and versions in Latin script (`TRC20 usdt 发送失败 CONTRACT_VALIDATE_ERROR`),
/// so a few Han characters are enough: a sentence of them is not there by accident.
fn search_lang(question: &str) -> Lang {
    let han = question.chars().filter(|&c| text::is_han(c)).count();
    let latin = question.chars().filter(char::is_ascii_alphabetic).count();
    if han >= CHINESE_HAN_CHARS || (han > 0 && han * 3 >= latin) {
        Lang::ZhCn
    } else {
        Lang::En
    }
}

/// The lexicon scores as shares of the evidence, but never of less than [`LEXICON_FULL`]: one
/// everyday word (`地址`, `account`, worth 0.6) is not a verdict, and normalizing it alone to
/// 1.0 let it outvote the other two views — the way real posts fell to `feature_howto`.
fn by_evidence(v: [f32; Topic::COUNT]) -> [f32; Topic::COUNT] {
    let total: f32 = v.iter().sum();
    let d = total.max(LEXICON_FULL);
    v.map(|x| x / d)
}

fn normalized_or_zero(mut v: [f32; Topic::COUNT]) -> [f32; Topic::COUNT] {
    let sum: f32 = v.iter().sum();
    if sum > 0.0 {
        for x in &mut v {
            *x /= sum;
        }
    }
    v
}
