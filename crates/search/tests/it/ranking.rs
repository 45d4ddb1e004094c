use domain::Lang;

use crate::fixtures::{ids, index};

#[test]
fn multi_character_chinese_queries_find_the_article() {
    // Zammad bug #1696: the article never contains the query as one string.
    let index = index();
    let hits = ids(&index, "助记词无效", None);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("phrase-rejected:zh-CN"),
        "{hits:?}"
    );
    // Precision: the restore article says 助记词 but nothing about it being invalid.
    assert!(
        !hits.contains(&"restore-wallet:zh-CN".to_owned()),
        "{hits:?}"
    );

    let hits = ids(&index, "转账失败", None);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("transfer-failed:zh-CN"),
        "{hits:?}"
    );
    // Either half works alone too.
    assert_eq!(
        ids(&index, "转账", None).first().map(String::as_str),
        Some("transfer-failed:zh-CN")
    );
    assert!(ids(&index, "为什么转账失败了？", None).contains(&"transfer-failed:zh-CN".to_owned()));
}

#[test]
fn synonyms_within_one_language() {
    let index = index();
    let hits = ids(&index, "seed phrase", Some(Lang::En));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("restore-wallet:en"),
        "{hits:?}"
    );
    let hits = ids(&index, "矿工费", Some(Lang::ZhCn));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("network-fee:zh-CN"),
        "{hits:?}"
    );
    let hits = ids(&index, "stuck", Some(Lang::En));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("pending-transaction:en"),
        "{hits:?}"
    );
    let hits = ids(&index, "my transfer is stuck", Some(Lang::En));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("pending-transaction:en"),
        "{hits:?}"
    );
}

#[test]
fn synonyms_cross_languages_only_without_a_language_filter() {
    let index = index();
    let both = ids(&index, "助记词", None);
    assert!(both.contains(&"restore-wallet:en".to_owned()), "{both:?}");
    assert!(
        both.contains(&"restore-wallet:zh-CN".to_owned()),
        "{both:?}"
    );
    let zh = ids(&index, "助记词", Some(Lang::ZhCn));
    assert!(zh.iter().all(|id| id.ends_with(":zh-CN")), "{zh:?}");
    let en = ids(&index, "助记词", Some(Lang::En));
    assert!(en.iter().all(|id| id.ends_with(":en")), "{en:?}");
    assert!(en.contains(&"restore-wallet:en".to_owned()), "{en:?}");
    let fee = ids(&index, "gas", None);
    assert!(fee.contains(&"network-fee:en".to_owned()), "{fee:?}");
    assert!(fee.contains(&"network-fee:zh-CN".to_owned()), "{fee:?}");
}

#[test]
fn english_is_stemmed() {
    let index = index();
    let hits = ids(&index, "restoring", Some(Lang::En));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("restore-wallet:en"),
        "{hits:?}"
    );
    let hits = ids(&index, "confirmations", Some(Lang::En));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("pending-transaction:en"),
        "{hits:?}"
    );
}

#[test]
fn typos_are_tolerated_and_rank_below_exact_matches() {
    let index = index();
    let hits = ids(&index, "recovry", None);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("restore-wallet:en"),
        "{hits:?}"
    );
    let hits = ids(&index, "mnemnic", None);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("check-mnemonic:en"),
        "{hits:?}"
    );
    // Short words get no fuzziness: "fea" is not "fee".
    assert!(ids(&index, "fea", None).is_empty());
    // An exact match outranks a one-edit match of another word.
    let exact = index.search("checksum", None, 10).expect("search");
    let typo = index.search("checksun", None, 10).expect("search");
    assert_eq!(exact[0].id, "check-mnemonic:en");
    assert_eq!(typo[0].id, "check-mnemonic:en");
    assert!(exact[0].score > typo[0].score);
}

#[test]
fn language_filter() {
    let index = index();
    for lang in [Lang::En, Lang::ZhCn] {
        for q in ["wallet", "钱包", "restore", "恢复", "fee"] {
            let hits = index.search(q, Some(lang), 10).expect("search");
            assert!(
                hits.iter().all(|h| h.lang == lang),
                "{q} {lang:?}: {hits:?}"
            );
        }
    }
}

#[test]
fn title_outweighs_body() {
    let index = index();
    // "phone" is in the restore article's keywords and body; "scripts" is in a title.
    let hits = ids(&index, "scripts", Some(Lang::En));
    assert_eq!(hits.first().map(String::as_str), Some("scam-scripts:en"));
    let hits = ids(&index, "闪退", None);
    assert_eq!(hits.first().map(String::as_str), Some("app-crash:zh-CN"));
}

#[test]
fn snippets_mark_matches_and_escape_the_rest() {
    let index = index();
    let hits = index.search("console", None, 5).expect("search");
    let hit = hits.first().expect("a hit");
    assert_eq!(hit.id, "scam-scripts:en");
    assert!(
        hit.snippet_html.contains("<mark>console</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        !hit.snippet_html.contains("<script"),
        "{}",
        hit.snippet_html
    );
    let hits = index.search("闪退", None, 5).expect("search");
    assert!(
        hits[0].snippet_html.contains("<mark>闪退</mark>"),
        "{}",
        hits[0].snippet_html
    );
    // A synonym is highlighted too.
    let hits = index
        .search("seed phrase", Some(Lang::En), 5)
        .expect("search");
    assert!(
        hits[0].snippet_html.contains("<mark>"),
        "{}",
        hits[0].snippet_html
    );
}

#[test]
fn hits_carry_the_article_fields() {
    let index = index();
    let hits = index.search("闪退", None, 5).expect("search");
    let hit = &hits[0];
    assert_eq!(hit.slug, "app-crash");
    assert_eq!(hit.lang, Lang::ZhCn);
    assert_eq!(hit.title, "应用闪退怎么办");
    assert_eq!(hit.topics, vec!["app_crash".to_owned()]);
    assert_eq!(hit.category, "help");
    assert!(hit.score > 0.0);
}

#[test]
fn suggestions_as_the_user_types() {
    let index = index();
    let s = index.suggest("res", None, 5).expect("suggest");
    assert_eq!(
        s.first().map(String::as_str),
        Some("Restore a wallet from its recovery phrase"),
        "{s:?}"
    );
    let s = index.suggest("助记", None, 5).expect("suggest");
    assert!(s.iter().any(|t| t.contains("助记词")), "{s:?}");
    let s = index
        .suggest("how to res", Some(Lang::En), 5)
        .expect("suggest");
    assert!(s.contains(&"how to restore".to_owned()), "{s:?}");
    let s = index.suggest("应用", Some(Lang::En), 5).expect("suggest");
    assert!(s.is_empty(), "{s:?}");
    assert!(index.suggest("", None, 5).expect("suggest").is_empty());
}

#[test]
fn long_chinese_bodies_give_valid_snippets() {
    // Regression: overlapping jieba sub-words made tantivy's snippet code slice out of bounds.
    let index = search::SearchIndex::in_memory().expect("index");
    let mut docs = crate::fixtures::docs();
    docs[3].body =
        "到账交易哈希拥堵观察钱包，带宽。诈骗请地址主网，应用顺序能量检查失败，转账失败交易。\n"
            .repeat(20);
    index.rebuild(&docs).expect("rebuild");
    for q in [
        "转账失败",
        "交易哈希",
        "观察钱包",
        "失败",
        "未到账",
        "助记词无效",
    ] {
        for hit in index.search(q, None, 10).expect("search") {
            assert!(!hit.snippet_html.is_empty(), "{q}: {hit:?}");
        }
    }
    let hits = index.search("转账失败", None, 3).expect("search");
    assert!(hits[0].snippet_html.contains("<mark>"), "{:?}", hits[0]);
}

#[test]
fn a_language_filter_keeps_the_same_hits_scores_and_snippets() {
    // Under a filter the query leaves out the other language's fields; what remains must rank
    // and highlight that language's articles exactly as the unfiltered query does.
    let index = index();
    for q in [
        "seed phrase",
        "助记词无效",
        "recovry phrase",
        "USDT转账失败",
        "gas fee too high",
        "矿工费",
        "restore wallet 恢复钱包",
    ] {
        for lang in [Lang::En, Lang::ZhCn] {
            let filtered = index.search_uncached(q, Some(lang), 100).unwrap();
            let all: Vec<_> = index
                .search_uncached(q, None, 100)
                .unwrap()
                .into_iter()
                .filter(|h| h.lang == lang)
                .collect();
            let key = |hits: &[search::Hit]| {
                hits.iter()
                    .map(|h| (h.id.clone(), h.snippet_html.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(key(&filtered), key(&all), "{q} {lang:?}");
            for (f, a) in filtered.iter().zip(&all) {
                assert!((f.score - a.score).abs() <= 1e-4 * a.score, "{q} {lang:?}");
            }
        }
    }
}

#[test]
fn snippets_follow_an_edited_article() {
    let index = index();
    let mut doc = crate::fixtures::docs()
        .into_iter()
        .find(|d| d.lang == Lang::En)
        .unwrap();
    doc.body = "Nothing here but a note about zebras crossing the mainnet.".into();
    index.upsert(&doc).unwrap();
    let hits = index.search_uncached("zebras", Some(Lang::En), 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0].snippet_html.contains("<mark>zebras</mark>"),
        "{:?}",
        hits[0].snippet_html
    );
}
