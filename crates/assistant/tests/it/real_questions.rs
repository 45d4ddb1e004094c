//! The classifier on real questions from public wallet issue trackers
//! (`tests/data/real_questions.jsonl`, see `tests/data/README.md`): the held-out half must stay
//! above a floor per language, a few points under what was measured when the floor was set,
//! so that a change that loses real questions fails here. The tuning half is not asserted on:
//! it is what changes are made against.

use std::path::Path;

use assistant::Topic;
use domain::Lang;

use crate::rules::assistant;

/// Top-1 accuracy floors on the held-out half of the questions collected up to the first
/// additions of 2026-12-07 (lines without `added`). Measured when first set (2026-12-06): en
/// 85.7 % (24/28), zh 71.4 % (20/28); a floor is two questions under that. Measured again after
/// 45 questions were added (2026-12-07): en 85.3 % (29/34), so the English floor rose to two
/// questions under that; zh 65.1 % (28/43). After the classifier changes of 2026-12-07
/// (clause weighting, log lines dropped, low confidence is `other`): en 85.3 % (29/34), zh
/// 67.4 % (29/43), so the Chinese floor rose to one question under that. After the naive-Bayes
/// view learnt from the tune half and Traditional script was folded with OpenCC's table
/// (2026-12-07, branch `asst`): en 88.2 % (30/34), zh 69.8 % (30/43); the floors rose to two
/// questions (en) and one (zh) under that.
const FLOOR_EN: f64 = 0.82;
const FLOOR_ZH: f64 = 0.67;

/// Floors on the whole held-out half, including the questions added later in 2026-12-07
/// (`"added": "2026-12-07b"`: 28 Chinese, 23 English, harder than the earlier ones — long posts,
/// logs, mixed English). Measured when set: en 86.0 % (37/43), zh 58.5 % (31/53); the same
/// file with the classifier of the day before gives en 86.0 %, zh 56.6 % (30/53). A floor is
/// one question (zh) or two (en) under what was measured; the floors above are not lowered.
/// With the third collection (`2026-12-07c`, +3 Chinese held out) and the classifier of branch
/// `asst` (naive Bayes learning from the tune half, OpenCC folding): en 88.4 % (38/43), zh
/// 62.5 % (35/56); the floors rose accordingly.
const FLOOR_ALL_EN: f64 = 0.83;
const FLOOR_ALL_ZH: f64 = 0.60;

struct Labelled {
    question: String,
    zh: bool,
    label: Topic,
    split: String,
    url: String,
    /// The collection a question came with (`None`: before the floors above were first set).
    added: Option<String>,
}

fn questions() -> Vec<Labelled> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real_questions.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Labelled {
                question: v["question"].as_str().unwrap().to_owned(),
                zh: v["language"].as_str().unwrap().starts_with("zh"),
                label: Topic::from_key(v["label"].as_str().unwrap()).unwrap(),
                split: v["split"].as_str().unwrap().to_owned(),
                url: v["source_url"].as_str().unwrap().to_owned(),
                added: v["added"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// FNV-1a 64 of the source URL: odd is held out.
fn held_out(url: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 2 == 1
}

#[test]
fn the_split_is_the_hash_of_the_source() {
    let qs = questions();
    assert!(qs.len() >= 120);
    for q in &qs {
        let expected = if held_out(&q.url) { "heldout" } else { "tune" };
        assert_eq!(q.split, expected, "{}", q.url);
    }
    let zh = qs.iter().filter(|q| q.zh).count();
    assert!(
        zh >= 60 && zh * 2 >= qs.len(),
        "{zh} Chinese of {}",
        qs.len()
    );
}

#[test]
fn held_out_real_questions_stay_above_the_floor() {
    let qs = questions();
    let held: Vec<&Labelled> = qs.iter().filter(|q| q.split == "heldout").collect();
    let earlier: Vec<&Labelled> = held.iter().copied().filter(|q| q.added.is_none()).collect();
    for (set, floors, min_n) in [
        ("collected before 2026-12-07b", [FLOOR_EN, FLOOR_ZH], 20),
        ("all", [FLOOR_ALL_EN, FLOOR_ALL_ZH], 40),
    ] {
        let questions = if set == "all" { &held } else { &earlier };
        let mut tally = [(0usize, 0usize); 2];
        for q in questions {
            let lang = if q.zh { Lang::ZhCn } else { Lang::En };
            let a = assistant().answer(&q.question, lang);
            let t = &mut tally[usize::from(q.zh)];
            t.0 += 1;
            t.1 += usize::from(a.topic == q.label);
        }
        for ((n, right), (name, floor)) in tally
            .into_iter()
            .zip([("en", floors[0]), ("zh", floors[1])])
        {
            let acc = right as f64 / n.max(1) as f64;
            assert!(n >= min_n, "{set} {name}: only {n} held-out questions");
            assert!(
                acc >= floor,
                "{set} {name}: held-out top-1 {acc:.3} ({right}/{n}) fell below the floor {floor}"
            );
        }
    }
}
