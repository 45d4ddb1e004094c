//! For the search benchmark only (`bench/search-http/run.sh`): fills a desk's data directory
//! with the demo content plus generated articles, published, until it holds `TOTAL` articles,
//! and rebuilds the search index. Never part of the product: the demo content stays the 68
//! files of `content/help`.
//!
//! Generated articles are made of the demo articles' own text, so they read like help
//! articles in both languages and cost what real ones cost to search and to cut snippets from:
//! article *n* takes the title, summary, keywords and category of a demo article in its
//! language, with a number, and a body of paragraphs drawn from the demo articles of that
//! language (a fixed pseudo-random sequence, the same on every run). They go through the
//! store's ordinary `save_article` and `set_article_status`, then one `help::reindex`.
//!
//! ```sh
//! cargo run --release -p walletdesk-server --example bench_articles -- DATA_DIR [TOTAL]
//! ```
//! The database is the one `walletdesk serve --data-dir DATA_DIR` would use
//! (`WALLETDESK_DATABASE_URL` for PostgreSQL).

#![expect(clippy::print_stdout, reason = "a benchmark tool reports what it did")]

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use domain::Redacted;
use domain::{AgentId, Lang};
use server::{AppState, Config};
use store::{ArticleDraft, ArticleStatus, Store};

/// Paragraphs per generated body: about the length of a demo article.
const PARAGRAPHS: usize = 8;

/// xorshift: the same articles on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(store_postgres::PostgresStore::connect(url).await?))
    } else {
        Ok(Arc::new(store_sqlite::SqliteStore::open(url).await?))
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let data_dir = PathBuf::from(
        args.next()
            .context("usage: bench_articles DATA_DIR [TOTAL]")?,
    );
    let total: usize = args.next().map_or(Ok(2_000), |t| t.parse())?;
    let mut config = Config::load(None, std::env::vars())?;
    config.data_dir = data_dir;
    std::fs::create_dir_all(&config.data_dir)?;
    let store = open_store(&config.effective_database_url()).await?;
    let state = AppState::new(store, config);
    // What `walletdesk serve` does on first start: migrations, demo content, index.
    server::serve::prepare(&state).await?;

    let existing = state.store.articles(None, false).await?.len();
    let demo = kb::demo_articles()?;
    let by_lang = |lang: Lang| demo.iter().filter(move |a| a.lang == lang);
    let paragraphs = |lang: Lang| -> Vec<&str> {
        by_lang(lang)
            .flat_map(|a| a.body.split("\n\n"))
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.starts_with('#'))
            .collect()
    };
    let (en_paras, zh_paras) = (paragraphs(Lang::En), paragraphs(Lang::ZhCn));
    let (en, zh): (Vec<_>, Vec<_>) = (by_lang(Lang::En).collect(), by_lang(Lang::ZhCn).collect());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let now = state.now();
    let started = std::time::Instant::now();
    let mut made = 0;
    for n in existing..total {
        let (lang, pool, paras) = if n % 2 == 0 {
            (Lang::En, &en, &en_paras)
        } else {
            (Lang::ZhCn, &zh, &zh_paras)
        };
        let base = pool[rng.below(pool.len())];
        let body = (0..PARAGRAPHS)
            .map(|_| paras[rng.below(paras.len())])
            .collect::<Vec<_>>()
            .join("\n\n");
        let title = match lang {
            Lang::En => format!("{} (case {n})", base.title),
            Lang::ZhCn => format!("{}（案例 {n}）", base.title),
        };
        let a = state
            .store
            .save_article(ArticleDraft {
                slug: format!("bench-{n:04}-{}", base.slug),
                lang,
                category: base.category.clone(),
                topics: base.topics.clone(),
                keywords: base.keywords.iter().map(|k| Redacted::clean(k)).collect(),
                title: Redacted::clean(&title),
                summary: Redacted::clean(&base.summary),
                body: Redacted::clean(&body),
                author: None::<AgentId>,
                now,
            })
            .await?;
        state
            .store
            .set_article_status(a.id, ArticleStatus::Published, now)
            .await?;
        made += 1;
    }
    let indexed = server::help::reindex(&state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "{existing} articles were there, {made} generated in {:.1} s; {indexed} in the index",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
