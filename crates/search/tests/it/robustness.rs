use std::sync::OnceLock;

use domain::Lang;
use proptest::prelude::*;
use search::{SearchError, SearchIndex};

use crate::fixtures::index;

fn shared() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(index)
}

#[test]
fn query_syntax_is_plain_text() {
    let index = shared();
    for q in [
        "\"",
        ":",
        "(",
        ")",
        "*",
        "-",
        "+",
        "title:restore",
        "\"recovery phrase",
        "restore AND (",
        "-wallet",
        "*",
        "~2",
        "^3",
        "[a TO b]",
        "\\",
        "  ",
        "",
        "😀",
        "\u{0}",
        "IN [",
        "助记词\"",
    ] {
        for lang in [None, Some(Lang::En), Some(Lang::ZhCn)] {
            index.search(q, lang, 10).expect("search");
            index.suggest(q, lang, 10).expect("suggest");
        }
    }
    let hits = index
        .search("title:restore", Some(Lang::En), 5)
        .expect("search");
    assert_eq!(
        hits.first().map(|h| h.id.as_str()),
        Some("restore-wallet:en")
    );
    assert!(index.search("restore", None, 0).expect("search").is_empty());
}

#[test]
fn long_queries_are_refused() {
    let index = shared();
    let ok = "钱".repeat(500);
    index
        .search(&ok, None, 10)
        .expect("500 characters are fine");
    let long = "钱".repeat(501);
    assert!(matches!(
        index.search(&long, None, 10),
        Err(SearchError::QueryTooLong)
    ));
    assert!(matches!(
        index.suggest(&long, None, 10),
        Err(SearchError::QueryTooLong)
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_query_is_answered(q in "[\\PC\"\\\\:()*\\-+~^ 钱包助记词转账失败a-z]{0,80}", limit in 0usize..200) {
        let index = shared();
        let hits = index.search(&q, None, limit).expect("search");
        prop_assert!(hits.len() <= limit.min(search::MAX_LIMIT));
        index.search(&q, Some(Lang::ZhCn), limit).expect("search zh");
        index.suggest(&q, Some(Lang::En), limit).expect("suggest");
    }

    #[test]
    fn any_long_query_is_answered_or_refused(q in any::<String>()) {
        let index = shared();
        match index.search(&q, None, 10) {
            Ok(_) => prop_assert!(q.chars().count() <= search::MAX_QUERY_CHARS),
            Err(SearchError::QueryTooLong) => prop_assert!(q.chars().count() > search::MAX_QUERY_CHARS),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
