//! [`HelpStore`]: the help center's part of the store — articles and their versions, feedback,
//! search and deflection analytics.
//!
//! Shared by both backends (see `README.md`): `Pool`, `Row_` and `Db` are the including crate's.

use async_trait::async_trait;
use domain::{AgentId, ArticleId, Lang, Redacted, Timestamp};
use sqlx::Row;
use store::{
    Article, ArticleDraft, ArticleFeedback, ArticleStatus, ArticleVersion, DeflectionReport,
    HelpEventKind, HelpStore, QueryCount, Result, SearchLogEntry, SearchReport, StoreError,
};

use crate::db::{Db, DbStore, Pool, Row as Row_};
use crate::row::db_err;

const DAY_MS: i64 = 86_400_000;

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {e}"))
}

fn list(v: &[String]) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

fn get<'r, T>(row: &'r Row_, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    row.try_get(col).map_err(db_err)
}

fn get_list(row: &Row_, col: &str) -> Result<Vec<String>> {
    let s: String = get(row, col)?;
    serde_json::from_str(&s).map_err(bad)
}

fn article(row: &Row_) -> Result<Article> {
    let lang: String = get(row, "lang")?;
    let status: String = get(row, "status")?;
    Ok(Article {
        id: ArticleId(get(row, "id")?),
        slug: get(row, "slug")?,
        lang: Lang::parse(&lang).map_err(bad)?,
        category: get(row, "category")?,
        topics: get_list(row, "topics")?,
        keywords: get_list(row, "keywords")?,
        title: get(row, "title")?,
        summary: get(row, "summary")?,
        body: get(row, "body")?,
        status: ArticleStatus::parse(&status).map_err(bad)?,
        version: get(row, "version")?,
        created_at: Timestamp(get(row, "created_at")?),
        updated_at: Timestamp(get(row, "updated_at")?),
        published_at: get::<Option<i64>>(row, "published_at")?.map(Timestamp),
        views: get(row, "views")?,
        helpful_yes: get(row, "helpful_yes")?,
        helpful_no: get(row, "helpful_no")?,
    })
}

fn version(row: &Row_) -> Result<ArticleVersion> {
    Ok(ArticleVersion {
        article_id: ArticleId(get(row, "article_id")?),
        version: get(row, "version")?,
        category: get(row, "category")?,
        topics: get_list(row, "topics")?,
        keywords: get_list(row, "keywords")?,
        title: get(row, "title")?,
        summary: get(row, "summary")?,
        body: get(row, "body")?,
        author: get::<Option<i64>>(row, "author")?.map(AgentId),
        at: Timestamp(get(row, "at")?),
    })
}

fn counts(rows: &[Row_]) -> Result<Vec<QueryCount>> {
    rows.iter()
        .map(|r| {
            Ok(QueryCount {
                query: get(r, "query")?,
                count: u64::try_from(get::<i64>(r, "n")?).unwrap_or(0),
            })
        })
        .collect()
}

fn count(row: &Row_) -> Result<u64> {
    Ok(u64::try_from(get::<i64>(row, "n")?).unwrap_or(0))
}

pub(crate) async fn save_article(pool: &Pool, d: ArticleDraft) -> Result<Article> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    let topics = list(&d.topics)?;
    let keywords = list(
        &d.keywords
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect::<Vec<_>>(),
    )?;
    let existing = sqlx::query("SELECT id, version FROM articles WHERE slug = $1 AND lang = $2")
        .bind(&d.slug)
        .bind(d.lang.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
    let (id, version) = match existing {
        Some(r) => {
            let id: i64 = get(&r, "id")?;
            let version: i64 = get::<i64>(&r, "version")? + 1;
            sqlx::query(
                "UPDATE articles SET category = $1, topics = $2, keywords = $3, title = $4, \
                 summary = $5, body = $6, version = $7, updated_at = $8 WHERE id = $9",
            )
            .bind(&d.category)
            .bind(&topics)
            .bind(&keywords)
            .bind(d.title.as_str())
            .bind(d.summary.as_str())
            .bind(d.body.as_str())
            .bind(version)
            .bind(d.now.0)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            (id, version)
        }
        None => {
            let r = sqlx::query(
                "INSERT INTO articles (slug, lang, category, topics, keywords, title, summary, \
                 body, status, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', 1, $9, $9) RETURNING id",
            )
            .bind(&d.slug)
            .bind(d.lang.as_str())
            .bind(&d.category)
            .bind(&topics)
            .bind(&keywords)
            .bind(d.title.as_str())
            .bind(d.summary.as_str())
            .bind(d.body.as_str())
            .bind(d.now.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            (get::<i64>(&r, "id")?, 1)
        }
    };
    sqlx::query(
        "INSERT INTO article_versions (article_id, version, category, topics, keywords, title, \
         summary, body, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(version)
    .bind(&d.category)
    .bind(&topics)
    .bind(&keywords)
    .bind(d.title.as_str())
    .bind(d.summary.as_str())
    .bind(d.body.as_str())
    .bind(d.author.map(|a| a.0))
    .bind(d.now.0)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    let row = sqlx::query("SELECT * FROM articles WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    article(&row)
}

pub(crate) async fn set_article_status(
    pool: &Pool,
    id: ArticleId,
    status: ArticleStatus,
    now: Timestamp,
) -> Result<Article> {
    let published_at = (status == ArticleStatus::Published).then_some(now.0);
    let row = sqlx::query(
        "UPDATE articles SET status = $1, published_at = COALESCE($2, published_at), \
         updated_at = $3 WHERE id = $4 RETURNING *",
    )
    .bind(status.as_str())
    .bind(published_at)
    .bind(now.0)
    .bind(id.0)
    .fetch_one(pool)
    .await
    .map_err(db_err)?;
    article(&row)
}

pub(crate) async fn article_by_id(pool: &Pool, id: ArticleId) -> Result<Article> {
    let row = sqlx::query("SELECT * FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_one(pool)
        .await
        .map_err(db_err)?;
    article(&row)
}

pub(crate) async fn article_by_slug(pool: &Pool, slug: &str, lang: Lang) -> Result<Article> {
    let row = sqlx::query("SELECT * FROM articles WHERE slug = $1 AND lang = $2")
        .bind(slug)
        .bind(lang.as_str())
        .fetch_one(pool)
        .await
        .map_err(db_err)?;
    article(&row)
}

pub(crate) async fn articles(
    pool: &Pool,
    lang: Option<Lang>,
    published_only: bool,
) -> Result<Vec<Article>> {
    sqlx::query(
        "SELECT * FROM articles WHERE ($1 IS NULL OR lang = $1) \
         AND ($2 = FALSE OR status = 'published') ORDER BY category, title, id",
    )
    .bind(lang.map(Lang::as_str))
    .bind(published_only)
    .fetch_all(pool)
    .await
    .map_err(db_err)?
    .iter()
    .map(article)
    .collect()
}

pub(crate) async fn article_versions(pool: &Pool, id: ArticleId) -> Result<Vec<ArticleVersion>> {
    article_by_id(pool, id).await?;
    sqlx::query("SELECT * FROM article_versions WHERE article_id = $1 ORDER BY version DESC")
        .bind(id.0)
        .fetch_all(pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(version)
        .collect()
}

pub(crate) async fn restore_article_version(
    pool: &Pool,
    id: ArticleId,
    v: i64,
    author: Option<AgentId>,
    now: Timestamp,
) -> Result<Article> {
    let a = article_by_id(pool, id).await?;
    let row = sqlx::query("SELECT * FROM article_versions WHERE article_id = $1 AND version = $2")
        .bind(id.0)
        .bind(v)
        .fetch_one(pool)
        .await
        .map_err(db_err)?;
    let old = version(&row)?;
    save_article(
        pool,
        ArticleDraft {
            slug: a.slug,
            lang: a.lang,
            category: old.category,
            topics: old.topics,
            keywords: old
                .keywords
                .into_iter()
                .map(Redacted::from_stored)
                .collect(),
            title: Redacted::from_stored(old.title),
            summary: Redacted::from_stored(old.summary),
            body: Redacted::from_stored(old.body),
            author,
            now,
        },
    )
    .await
}

pub(crate) async fn record_article_view(pool: &Pool, id: ArticleId) -> Result<()> {
    let r = sqlx::query("UPDATE articles SET views = views + 1 WHERE id = $1")
        .bind(id.0)
        .execute(pool)
        .await
        .map_err(db_err)?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn record_article_feedback(
    pool: &Pool,
    id: ArticleId,
    helpful: bool,
    comment: Option<Redacted>,
    now: Timestamp,
) -> Result<()> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    let column = if helpful { "helpful_yes" } else { "helpful_no" };
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE articles SET {column} = {column} + 1 WHERE id = $1"
    )))
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO article_feedback (article_id, helpful, comment, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.0)
    .bind(helpful)
    .bind(comment.map(Redacted::into_string))
    .bind(now.0)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    tx.commit().await.map_err(db_err)
}

pub(crate) async fn article_feedback(
    pool: &Pool,
    id: ArticleId,
    limit: u32,
) -> Result<Vec<ArticleFeedback>> {
    sqlx::query(
        "SELECT * FROM article_feedback WHERE article_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(id.0)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db_err)?
    .iter()
    .map(|r| {
        Ok(ArticleFeedback {
            article_id: ArticleId(get(r, "article_id")?),
            helpful: get(r, "helpful")?,
            comment: get::<Option<String>>(r, "comment")?.map(Redacted::from_stored),
            at: Timestamp(get(r, "at")?),
        })
    })
    .collect()
}

const INSERT_SEARCH: &str =
    "INSERT INTO search_log (query, lang, results, visitor, at) VALUES ($1, $2, $3, $4, $5)";

type Insert<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>;

fn insert_search(e: &SearchLogEntry) -> Insert<'_> {
    sqlx::query(INSERT_SEARCH)
        .bind(e.query.as_str())
        .bind(e.lang.as_str())
        .bind(i64::from(e.results))
        .bind(e.visitor.as_str())
        .bind(e.now.0)
}

pub(crate) async fn log_search(pool: &Pool, e: &SearchLogEntry) -> Result<()> {
    insert_search(e).execute(pool).await.map_err(db_err)?;
    Ok(())
}

/// One transaction, so one commit (one fsync) for the whole batch: all entries or none.
pub(crate) async fn log_searches(pool: &Pool, entries: &[SearchLogEntry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await.map_err(db_err)?;
    for e in entries {
        insert_search(e).execute(&mut *tx).await.map_err(db_err)?;
    }
    tx.commit().await.map_err(db_err)?;
    Ok(())
}

pub(crate) async fn log_help_event(
    pool: &Pool,
    visitor: &str,
    kind: HelpEventKind,
    article: Option<ArticleId>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO help_events (visitor, kind, article_id, at) VALUES ($1, $2, $3, $4)")
        .bind(visitor)
        .bind(kind.as_str())
        .bind(article.map(|a| a.0))
        .bind(now.0)
        .execute(pool)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn search_report(
    pool: &Pool,
    since: Timestamp,
    limit: u32,
) -> Result<SearchReport> {
    let limit = i64::from(limit);
    let searches = sqlx::query("SELECT COUNT(*) AS n FROM search_log WHERE at >= $1")
        .bind(since.0)
        .fetch_one(pool)
        .await
        .map_err(db_err)?;
    let top = sqlx::query(
        "SELECT query, COUNT(*) AS n FROM search_log WHERE at >= $1 \
         GROUP BY query ORDER BY n DESC, query LIMIT $2",
    )
    .bind(since.0)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    let none = sqlx::query(
        "SELECT query, COUNT(*) AS n FROM search_log WHERE at >= $1 AND results = 0 \
         GROUP BY query ORDER BY n DESC, query LIMIT $2",
    )
    .bind(since.0)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    let then_ticket = sqlx::query(
        "SELECT s.query AS query, COUNT(*) AS n FROM search_log s WHERE s.at >= $1 \
         AND EXISTS (SELECT 1 FROM help_events e WHERE e.visitor = s.visitor \
           AND e.kind = 'ticket_created' AND e.at >= s.at AND e.at <= s.at + $3) \
         GROUP BY s.query ORDER BY n DESC, s.query LIMIT $2",
    )
    .bind(since.0)
    .bind(limit)
    .bind(DAY_MS)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    Ok(SearchReport {
        searches: count(&searches)?,
        top: counts(&top)?,
        no_results: counts(&none)?,
        then_ticket: counts(&then_ticket)?,
    })
}

pub(crate) async fn deflection_report(pool: &Pool, since: Timestamp) -> Result<DeflectionReport> {
    let one = |sql: &'static str| async move {
        let r = sqlx::query(sql)
            .bind(since.0)
            .fetch_one(pool)
            .await
            .map_err(db_err)?;
        count(&r)
    };
    Ok(DeflectionReport {
        shown: one("SELECT COUNT(DISTINCT visitor) AS n FROM help_events \
             WHERE kind = 'suggestions_shown' AND at >= $1")
        .await?,
        opened: one("SELECT COUNT(DISTINCT visitor) AS n FROM help_events \
             WHERE kind = 'suggestion_opened' AND at >= $1")
        .await?,
        deflected: one("SELECT COUNT(DISTINCT o.visitor) AS n FROM help_events o \
             WHERE o.kind = 'suggestion_opened' AND o.at >= $1 \
             AND NOT EXISTS (SELECT 1 FROM help_events t WHERE t.visitor = o.visitor \
               AND t.kind = 'ticket_created' AND t.at >= o.at)")
        .await?,
    })
}

#[async_trait]
impl HelpStore for DbStore {
    async fn save_article(&self, d: ArticleDraft) -> Result<Article> {
        save_article(&self.pool, d).await
    }

    async fn set_article_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
        now: Timestamp,
    ) -> Result<Article> {
        set_article_status(&self.pool, id, status, now).await
    }

    async fn article(&self, id: ArticleId) -> Result<Article> {
        article_by_id(&self.pool, id).await
    }

    async fn article_by_slug(&self, slug: &str, lang: Lang) -> Result<Article> {
        article_by_slug(&self.pool, slug, lang).await
    }

    async fn articles(&self, lang: Option<Lang>, published_only: bool) -> Result<Vec<Article>> {
        articles(&self.pool, lang, published_only).await
    }

    async fn article_versions(&self, id: ArticleId) -> Result<Vec<ArticleVersion>> {
        article_versions(&self.pool, id).await
    }

    async fn restore_article_version(
        &self,
        id: ArticleId,
        version: i64,
        author: Option<AgentId>,
        now: Timestamp,
    ) -> Result<Article> {
        restore_article_version(&self.pool, id, version, author, now).await
    }

    async fn record_article_view(&self, id: ArticleId) -> Result<()> {
        record_article_view(&self.pool, id).await
    }

    async fn record_article_feedback(
        &self,
        id: ArticleId,
        helpful: bool,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<()> {
        record_article_feedback(&self.pool, id, helpful, comment, now).await
    }

    async fn article_feedback(&self, id: ArticleId, limit: u32) -> Result<Vec<ArticleFeedback>> {
        article_feedback(&self.pool, id, limit).await
    }

    async fn log_search(&self, e: SearchLogEntry) -> Result<()> {
        log_search(&self.pool, &e).await
    }

    async fn log_searches(&self, entries: &[SearchLogEntry]) -> Result<()> {
        log_searches(&self.pool, entries).await
    }

    async fn log_help_event(
        &self,
        visitor: &str,
        kind: HelpEventKind,
        article: Option<ArticleId>,
        now: Timestamp,
    ) -> Result<()> {
        log_help_event(&self.pool, visitor, kind, article, now).await
    }

    async fn search_report(&self, since: Timestamp, limit: u32) -> Result<SearchReport> {
        search_report(&self.pool, since, limit).await
    }

    async fn deflection_report(&self, since: Timestamp) -> Result<DeflectionReport> {
        deflection_report(&self.pool, since).await
    }
}
