//! Search latency on a synthetic help center: 2,000 articles (1,000 per language, ~400 words
//! each, built from a small wallet vocabulary) in an in-memory index, 2,000 mixed Chinese and
//! English queries (typos, synonyms, multi-character Chinese) run one after another on one
//! thread, without the result cache (`search_uncached`), then once more through it. Prints
//! p50/p99 latency in microseconds and queries per second.
//!
//! `cargo bench -p walletdesk-search --bench search`

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::time::{Duration, Instant};

use domain::Lang;
use search::{Doc, SearchIndex};

const ARTICLES: usize = 2_000;
const QUERIES: usize = 2_000;
const WORDS: usize = 400;

const EN_WORDS: &[&str] = &[
    "wallet",
    "recovery",
    "phrase",
    "restore",
    "import",
    "private",
    "key",
    "address",
    "transfer",
    "transaction",
    "pending",
    "confirm",
    "network",
    "fee",
    "gas",
    "energy",
    "bandwidth",
    "token",
    "balance",
    "backup",
    "password",
    "phone",
    "app",
    "update",
    "version",
    "chain",
    "bridge",
    "node",
    "sync",
    "explorer",
    "hash",
    "contract",
    "approval",
    "revoke",
    "hardware",
    "cold",
    "watch",
    "account",
    "send",
    "receive",
    "swap",
    "stake",
    "the",
    "a",
    "your",
    "to",
    "of",
    "and",
    "is",
    "in",
    "on",
    "with",
    "never",
    "always",
    "check",
    "open",
    "settings",
    "choose",
    "tap",
    "screen",
    "words",
    "order",
    "support",
    "scam",
    "mainnet",
    "testnet",
    "ethereum",
    "bitcoin",
    "tron",
    "failed",
    "stuck",
    "crash",
    "restart",
    "checksum",
    "mnemonic",
    "offline",
    "browser",
];

const ZH_WORDS: &[&str] = &[
    "钱包",
    "助记词",
    "私钥",
    "公钥",
    "恢复",
    "导入",
    "导出",
    "备份",
    "转账",
    "失败",
    "未到账",
    "手续费",
    "矿工费",
    "能量",
    "带宽",
    "波场",
    "以太坊",
    "比特币",
    "主网",
    "测试网",
    "节点",
    "同步",
    "跨链",
    "授权",
    "合约地址",
    "交易哈希",
    "余额",
    "密码",
    "手机",
    "应用",
    "闪退",
    "更新",
    "版本",
    "确认",
    "网络",
    "拥堵",
    "代币",
    "冷钱包",
    "观察钱包",
    "请",
    "如果",
    "可以",
    "需要",
    "没有",
    "已经",
    "一直",
    "显示",
    "无效",
    "检查",
    "打开",
    "设置",
    "选择",
    "输入",
    "顺序",
    "单词",
    "客服",
    "不会",
    "索要",
    "诈骗",
    "区块浏览器",
    "地址",
    "收款",
    "发送",
];

const QUERY_TEXTS: &[&str] = &[
    "seed phrase",
    "restore wallet",
    "restoring my wallet from recovery phrase",
    "recovry phrase",
    "mnemnic invalid",
    "transaction stuck",
    "gas fee too high",
    "how do I revoke an approval",
    "private key import",
    "bandwith energy tron",
    "app crash after update",
    "助记词无效",
    "转账失败",
    "转账一直未到账",
    "矿工费太高",
    "如何导入私钥",
    "观察钱包是什么",
    "波场能量不足",
    "闪退",
    "跨链转账卡住了",
    "USDT转账失败",
    "合约地址在哪里看",
    "help",
    "交易哈希",
];

/// A small deterministic generator (xorshift), so every run indexes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.next() % words.len() as u64).unwrap_or(0);
        words[i]
    }
}

fn text(rng: &mut Rng, lang: Lang, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        match lang {
            Lang::En => {
                if i > 0 {
                    out.push(if i % 14 == 0 { '\n' } else { ' ' });
                }
                out.push_str(rng.pick(EN_WORDS));
            }
            Lang::ZhCn => {
                out.push_str(rng.pick(ZH_WORDS));
                if i % 12 == 11 {
                    out.push_str("。\n");
                } else if i % 5 == 4 {
                    out.push('，');
                }
            }
        }
    }
    out
}

fn corpus() -> Vec<Doc> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..ARTICLES)
        .map(|i| {
            let lang = if i % 2 == 0 { Lang::En } else { Lang::ZhCn };
            Doc {
                id: format!("article-{i}:{}", lang.as_str()),
                slug: format!("article-{i}"),
                lang,
                title: text(&mut rng, lang, 6),
                summary: text(&mut rng, lang, 20),
                body: text(&mut rng, lang, WORDS),
                category: "bench".into(),
                topics: vec![],
                keywords: (0..3).map(|_| text(&mut rng, lang, 1)).collect(),
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a small slice"
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

fn main() -> Result<(), search::SearchError> {
    let docs = corpus();
    let index = SearchIndex::in_memory()?;
    let started = Instant::now();
    index.rebuild(&docs)?;
    let indexing = started.elapsed();

    let mut rng = Rng(42);
    let langs = [None, Some(Lang::En), Some(Lang::ZhCn)];
    let mut times = Vec::with_capacity(QUERIES);
    let mut by_text: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    let mut hits = 0usize;
    let all = Instant::now();
    for i in 0..QUERIES {
        let q = rng.pick(QUERY_TEXTS);
        let t = Instant::now();
        hits += index.search_uncached(q, langs[i % 3], 10)?.len();
        times.push(t.elapsed());
        by_text.entry(q).or_default().push(t.elapsed());
    }
    let total = all.elapsed();
    times.sort_unstable();
    let mut suggest_times = Vec::with_capacity(QUERIES);
    for i in 0..QUERIES {
        let q = rng.pick(QUERY_TEXTS);
        let cut: String = q.chars().take(2 + i % 3).collect();
        let t = Instant::now();
        index.suggest(&cut, None, 8)?;
        suggest_times.push(t.elapsed());
    }
    suggest_times.sort_unstable();
    // The same queries through the result cache (what a repeated query costs).
    let mut cached_times = Vec::with_capacity(QUERIES);
    for i in 0..QUERIES {
        let q = rng.pick(QUERY_TEXTS);
        let t = Instant::now();
        index.search(q, langs[i % 3], 10)?;
        cached_times.push(t.elapsed());
    }
    cached_times.sort_unstable();
    let mut slowest: Vec<(f64, &str)> = by_text
        .iter_mut()
        .map(|(q, ts)| {
            ts.sort_unstable();
            (percentile(ts, 0.5), *q)
        })
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));

    println!(
        "indexed {ARTICLES} articles (~{WORDS} words each) in {:.2} s",
        indexing.as_secs_f64()
    );
    println!(
        "search: {QUERIES} queries, p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs, {:.0} queries/s \
         single-threaded ({:.1} hits per query, snippets included)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        f64::from(u32::try_from(QUERIES).unwrap_or(u32::MAX)) / total.as_secs_f64(),
        f64::from(u32::try_from(hits).unwrap_or(u32::MAX))
            / f64::from(u32::try_from(QUERIES).unwrap_or(1)),
    );
    for (us, q) in slowest.iter().take(5) {
        println!("  slowest by p50: {us:.0} µs  {q}");
    }
    println!(
        "search through the result cache (the same {} query texts repeated): p50 {:.0} µs, \
         p99 {:.0} µs",
        QUERY_TEXTS.len(),
        percentile(&cached_times, 0.5),
        percentile(&cached_times, 0.99)
    );
    println!(
        "suggest: p50 {:.0} µs, p99 {:.0} µs",
        percentile(&suggest_times, 0.5),
        percentile(&suggest_times, 0.99)
    );
    Ok(())
}
