use domain::Lang;
use search::{Doc, SearchIndex};

use crate::fixtures::{docs, ids, index};

#[test]
fn upsert_is_visible_at_once_and_replaces_by_id() {
    let index = index();
    let before = index.len();
    let mut doc = Doc {
        id: "node-sync:en".into(),
        slug: "node-sync".into(),
        lang: Lang::En,
        title: "Choose a different node".into(),
        summary: "When balances do not load.".into(),
        body: "Switch the RPC node in settings.".into(),
        category: "network".into(),
        topics: vec![],
        keywords: vec![],
    };
    index.upsert(&doc).expect("upsert");
    assert_eq!(index.len(), before + 1);
    assert_eq!(ids(&index, "node", None), vec!["node-sync:en".to_owned()]);
    doc.title = "Pick another server".into();
    doc.body = "Switch the server in settings.".into();
    index.upsert(&doc).expect("upsert again");
    assert_eq!(index.len(), before + 1);
    assert!(ids(&index, "rpc", None).is_empty());
    assert_eq!(ids(&index, "server", None), vec!["node-sync:en".to_owned()]);
    index.delete("node-sync:en").expect("delete");
    assert_eq!(index.len(), before);
    assert!(ids(&index, "server", None).is_empty());
    assert!(
        !index
            .suggest("pick", None, 5)
            .expect("suggest")
            .iter()
            .any(|s| s.contains("Pick"))
    );
    // Deleting what is not there is fine.
    index.delete("no-such-doc").expect("delete");
}

#[test]
fn rebuild_replaces_everything() {
    let index = index();
    assert_eq!(index.len(), 10);
    let few: Vec<Doc> = docs().into_iter().take(2).collect();
    index.rebuild(&few).expect("rebuild");
    assert_eq!(index.len(), 2);
    assert!(ids(&index, "闪退", None).is_empty());
    index.rebuild(&[]).expect("rebuild empty");
    assert!(index.is_empty());
}

#[test]
fn on_disk_index_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open_or_create(&path).expect("create");
        assert!(index.needs_rebuild());
        assert!(!index.was_recreated());
        index.rebuild(&docs()).expect("rebuild");
    }
    let index = SearchIndex::open_or_create(&path).expect("reopen");
    assert!(!index.was_recreated());
    assert!(!index.needs_rebuild());
    assert_eq!(index.len(), 10);
    assert_eq!(
        ids(&index, "闪退", None).first().map(String::as_str),
        Some("app-crash:zh-CN")
    );
    assert!(!index.suggest("res", None, 3).expect("suggest").is_empty());
}

#[test]
fn a_second_writer_is_refused_without_wiping() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = SearchIndex::open_or_create(dir.path()).expect("create");
    index.rebuild(&docs()).expect("rebuild");
    assert!(SearchIndex::open_or_create(dir.path()).is_err());
    assert_eq!(index.len(), 10);
}

#[test]
fn damaged_index_is_wiped_and_recreated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open_or_create(&path).expect("create");
        index.rebuild(&docs()).expect("rebuild");
    }
    // Corrupt every file tantivy wrote.
    for entry in std::fs::read_dir(&path).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e != "version") || p.ends_with("meta.json") {
            std::fs::write(&p, b"\x00garbage\xff").expect("corrupt");
        }
    }
    let index = SearchIndex::open_or_create(&path).expect("recreate");
    assert!(index.was_recreated());
    assert!(index.needs_rebuild());
    assert_eq!(index.len(), 0);
    index.rebuild(&docs()).expect("rebuild");
    assert_eq!(
        ids(&index, "闪退", None).first().map(String::as_str),
        Some("app-crash:zh-CN")
    );
}

#[test]
fn garbage_directory_and_deleted_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    std::fs::create_dir_all(&path).expect("mkdir");
    std::fs::write(path.join("meta.json"), "{ not json").expect("write");
    std::fs::write(path.join("abc.idx"), [0u8; 64]).expect("write");
    {
        let index = SearchIndex::open_or_create(&path).expect("recreate");
        assert!(index.was_recreated());
        index.rebuild(&docs()).expect("rebuild");
        assert_eq!(index.len(), 10);
    }
    std::fs::remove_dir_all(&path).expect("delete the index directory");
    let index = SearchIndex::open_or_create(&path).expect("create");
    assert!(!index.was_recreated());
    assert!(index.needs_rebuild());
    assert!(index.is_empty());
    index.rebuild(&docs()).expect("rebuild");
    assert_eq!(index.len(), 10);
}

#[test]
fn a_directory_with_subdirectories_is_not_wiped() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("meta.json"), "garbage").expect("write");
    std::fs::create_dir(dir.path().join("database")).expect("mkdir");
    assert!(SearchIndex::open_or_create(dir.path()).is_err());
    assert!(dir.path().join("database").exists());
}

/// Repeated queries are answered from a cache; every write must make it forget.
#[test]
fn a_repeated_query_sees_every_write() {
    let index = index();
    let first = index.search("闪退", Some(Lang::ZhCn), 10).expect("search");
    assert!(!first.is_empty());
    assert_eq!(
        index.search("闪退", Some(Lang::ZhCn), 10).expect("again"),
        first,
        "the same answer the second time"
    );
    assert!(ids(&index, "zebra", None).is_empty());
    let zebra = Doc {
        id: "zebra:en".into(),
        slug: "zebra".into(),
        lang: Lang::En,
        title: "Zebra theme".into(),
        summary: "Stripes.".into(),
        body: "Pick the zebra theme in settings.".into(),
        category: "app".into(),
        topics: vec![],
        keywords: vec![],
    };
    index.upsert(&zebra).expect("publish");
    assert_eq!(ids(&index, "zebra", None), vec!["zebra:en".to_owned()]);
    index.delete("zebra:en").expect("unpublish");
    assert!(ids(&index, "zebra", None).is_empty());
    index.upsert(&zebra).expect("publish again");
    assert_eq!(ids(&index, "zebra", None), vec!["zebra:en".to_owned()]);
    index.rebuild(&docs()).expect("rebuild");
    assert!(ids(&index, "zebra", None).is_empty());
    assert_eq!(
        index
            .search("闪退", Some(Lang::ZhCn), 10)
            .expect("after rebuild"),
        first
    );
}
