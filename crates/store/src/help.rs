//! The store's help-center area ([`HelpStore`], a supertrait of [`crate::Store`]): articles and
//! their versions, readers' feedback, the search log and deflection analytics.

use async_trait::async_trait;
use domain::{AgentId, ArticleId, Lang, Redacted, Timestamp};
use serde::Serialize;

use crate::Result;

/// Whether readers see an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Published,
}

impl ArticleStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
        }
    }

    /// # Errors
    /// Not a status key.
    pub fn parse(s: &str) -> Result<ArticleStatus, String> {
        match s {
            "draft" => Ok(ArticleStatus::Draft),
            "published" => Ok(ArticleStatus::Published),
            other => Err(format!("unknown article status `{other}`")),
        }
    }
}

/// A help-center article in one language. Translations share the slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub slug: String,
    pub lang: Lang,
    /// Help-center section (`restore`, `fees`…).
    pub category: String,
    /// Support topics it answers (`restore_mnemonic`…).
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
    pub title: String,
    pub summary: String,
    /// Markdown, written by agents.
    pub body: String,
    pub status: ArticleStatus,
    /// Increases with every saved edit; each is kept in [`ArticleVersion`]s.
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub views: i64,
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

/// The content of an article as an agent saves it. Saving an existing `(slug, lang)` is an
/// edit: a new version; the status stays as it was.
#[derive(Debug, Clone)]
pub struct ArticleDraft {
    pub slug: String,
    pub lang: Lang,
    pub category: String,
    pub topics: Vec<String>,
    pub keywords: Vec<Redacted>,
    pub title: Redacted,
    pub summary: Redacted,
    pub body: Redacted,
    pub author: Option<AgentId>,
    pub now: Timestamp,
}

/// One saved edit of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleVersion {
    pub article_id: ArticleId,
    pub version: i64,
    pub category: String,
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: Option<AgentId>,
    pub at: Timestamp,
}

/// A reader's "was this helpful?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleFeedback {
    pub article_id: ArticleId,
    pub helpful: bool,
    pub comment: Option<Redacted>,
    pub at: Timestamp,
}

/// What a help-center visitor did, for search analytics and deflection. `visitor` is a random
/// id from a cookie, never a person's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpEventKind {
    /// Opened an article.
    ArticleOpened,
    /// The ticket form showed matching articles.
    SuggestionsShown,
    /// Opened one of the ticket form's suggestions.
    SuggestionOpened,
    /// Submitted a ticket.
    TicketCreated,
    /// The assistant handed the visitor to a person.
    AssistantHandoff,
}

impl HelpEventKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            HelpEventKind::ArticleOpened => "article_opened",
            HelpEventKind::SuggestionsShown => "suggestions_shown",
            HelpEventKind::SuggestionOpened => "suggestion_opened",
            HelpEventKind::TicketCreated => "ticket_created",
            HelpEventKind::AssistantHandoff => "assistant_handoff",
        }
    }
}

/// One help-center search.
#[derive(Debug, Clone)]
pub struct SearchLogEntry {
    /// What was typed, redacted (people paste phrases into search boxes too).
    pub query: Redacted,
    pub lang: Lang,
    pub results: u32,
    pub visitor: String,
    pub now: Timestamp,
}

/// A query and how often it was searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryCount {
    pub query: String,
    pub count: u64,
}

/// Search analytics since a moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchReport {
    pub searches: u64,
    pub top: Vec<QueryCount>,
    pub no_results: Vec<QueryCount>,
    /// Queries after which the same visitor still opened a ticket (within a day).
    pub then_ticket: Vec<QueryCount>,
}

/// Ticket-form deflection since a moment: of the visitors shown suggestions, how many opened
/// one and did not submit a ticket afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeflectionReport {
    pub shown: u64,
    pub opened: u64,
    pub deflected: u64,
}

/// The help center.
#[async_trait]
pub trait HelpStore: Send + Sync {
    /// Creates the article `(slug, lang)` as a draft, or saves an edit of it as a new version.
    async fn save_article(&self, d: ArticleDraft) -> Result<Article>;
    async fn set_article_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
        now: Timestamp,
    ) -> Result<Article>;
    async fn article(&self, id: ArticleId) -> Result<Article>;
    async fn article_by_slug(&self, slug: &str, lang: Lang) -> Result<Article>;
    /// Articles ordered by category, then title; only published ones when `published_only`.
    async fn articles(&self, lang: Option<Lang>, published_only: bool) -> Result<Vec<Article>>;
    /// Every saved version, newest first.
    async fn article_versions(&self, id: ArticleId) -> Result<Vec<ArticleVersion>>;
    /// Saves an old version's content as the newest version.
    async fn restore_article_version(
        &self,
        id: ArticleId,
        version: i64,
        author: Option<AgentId>,
        now: Timestamp,
    ) -> Result<Article>;
    async fn record_article_view(&self, id: ArticleId) -> Result<()>;
    async fn record_article_feedback(
        &self,
        id: ArticleId,
        helpful: bool,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<()>;
    /// Feedback, newest first.
    async fn article_feedback(&self, id: ArticleId, limit: u32) -> Result<Vec<ArticleFeedback>>;
    async fn log_search(&self, e: SearchLogEntry) -> Result<()>;
    /// Logs several searches in one transaction: all of them are written, or none (an error).
    async fn log_searches(&self, entries: &[SearchLogEntry]) -> Result<()>;
    async fn log_help_event(
        &self,
        visitor: &str,
        kind: HelpEventKind,
        article: Option<ArticleId>,
        now: Timestamp,
    ) -> Result<()>;
    async fn search_report(&self, since: Timestamp, limit: u32) -> Result<SearchReport>;
    async fn deflection_report(&self, since: Timestamp) -> Result<DeflectionReport>;
}
