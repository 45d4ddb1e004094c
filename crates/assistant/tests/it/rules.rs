//! The hand-off and secret rules, on the real help content.

use std::path::Path;
use std::sync::OnceLock;

use assistant::{ArticleRef, Assistant, HandoffReason, Topic};
use domain::Lang;

pub(crate) fn assistant() -> &'static Assistant {
    static A: OnceLock<Assistant> = OnceLock::new();
    A.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/help");
        let mut articles = Vec::new();
        for (sub, lang) in [("en", Lang::En), ("zh-CN", Lang::ZhCn)] {
            for e in std::fs::read_dir(root.join(sub)).unwrap() {
                let p = e.unwrap().path();
                let text = std::fs::read_to_string(&p).unwrap();
                articles.push(ArticleRef::parse(&text, lang).unwrap());
            }
        }
        Assistant::with_builtin_index(articles)
    })
}

#[test]
fn theft_always_goes_to_a_person() {
    let a = assistant().answer(
        "My wallet was drained overnight, everything sent to an address I don't know",
        Lang::En,
    );
    assert_eq!(a.topic, Topic::SecurityTheftScam);
    assert!(a.handoff);
    let a = assistant().answer("钱包里的币被盗了，怎么办", Lang::ZhCn);
    assert!(a.handoff, "{a:?}");
    assert!(matches!(
        a.handoff_reason,
        Some(HandoffReason::LostFunds | HandoffReason::Security)
    ));
}

#[test]
fn asking_for_a_human_goes_to_a_person() {
    let a = assistant().answer("I want a human, not a bot", Lang::En);
    assert!(a.handoff);
    assert_eq!(a.handoff_reason, Some(HandoffReason::Requested));
    let a = assistant().answer("转人工客服", Lang::ZhCn);
    assert_eq!(a.handoff_reason, Some(HandoffReason::Requested));
}

#[test]
fn a_clear_fee_question_is_answered_with_fee_articles() {
    let a = assistant().answer(
        "I can't send my USDT, it says insufficient balance for the network fee",
        Lang::En,
    );
    assert_eq!(a.topic, Topic::InsufficientFee);
    assert!(!a.handoff, "{a:?}");
    assert!(!a.articles.is_empty());
    assert_eq!(a.articles[0].url, "/help/insufficient-balance-for-fee");
    assert!(a.answer.contains("1. "), "{}", a.answer);
    assert!(a.answer.contains("/help/insufficient-balance-for-fee"));
}

#[test]
fn a_chinese_fee_question_gets_a_chinese_answer() {
    let a = assistant().answer("USDT转不出去，提示矿工费不足", Lang::ZhCn);
    assert_eq!(a.topic, Topic::InsufficientFee);
    assert!(a.answer.contains("手续费"), "{}", a.answer);
}

const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

#[test]
fn a_phrase_in_the_question_is_removed_warned_about_and_never_echoed() {
    let q = format!("My restore fails, here are my words: {PHRASE}");
    let a = assistant().answer(&q, Lang::En);
    assert!(a.secret_removed);
    assert!(a.answer.contains("treat it as exposed"), "{}", a.answer);
    assert!(a.answer.contains("never ask"));
    let all = format!("{a:?}");
    for word in ["sausage", "legal winner", "yellow"] {
        assert!(!all.contains(word), "{word} in {all}");
    }
    let a = assistant().answer(&format!("恢复不了，我的助记词是 {PHRASE}"), Lang::ZhCn);
    assert!(a.secret_removed);
    assert!(a.answer.contains("泄露"), "{}", a.answer);
    assert!(!format!("{a:?}").contains("sausage"));
}

#[test]
fn no_secret_no_warning() {
    let a = assistant().answer("My balance shows zero after the update", Lang::En);
    assert!(!a.secret_removed);
    assert!(!a.answer.contains("exposed"));
}

/// Top-1 accuracy on a labelled question file (`question`, `language`, `label` per line).
fn accuracy(file: &Path) -> (usize, usize, Vec<String>) {
    let text = std::fs::read_to_string(file).unwrap();
    let (mut n, mut right, mut wrong) = (0, 0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let lang = if v["language"].as_str().unwrap().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        };
        let a = assistant().answer(v["question"].as_str().unwrap(), lang);
        n += 1;
        if a.topic.key() == v["label"].as_str().unwrap() {
            right += 1;
        } else {
            wrong.push(format!("{} -> {}", v["label"], a.topic.key()));
        }
    }
    (n, right, wrong)
}

/// The held-out estimate: questions written for this crate before the dev-set results were
/// looked at. A floor, not a target: it catches a classifier that stopped working.
#[test]
fn own_questions_are_mostly_recognised() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/own_questions.jsonl");
    let (n, right, wrong) = accuracy(&file);
    let share = right as f64 / n as f64;
    assert!(share >= 0.7, "{right}/{n}: {wrong:?}");
}

#[test]
fn every_answer_below_the_calibrated_confidence_goes_to_a_person() {
    for q in [
        "hello",
        "it does not work",
        "有问题",
        "My USDT withdrawal from Binance shows completed but never arrived",
        "从币安提USDT到钱包，交易所显示已完成，但钱包里一直没到账，怎么办?",
    ] {
        let a = assistant().answer(q, Lang::En);
        if a.confidence < assistant::HANDOFF_BELOW {
            assert!(a.handoff, "{q}: {a:?}");
        }
        if a.handoff_reason == Some(HandoffReason::LowConfidence) {
            assert!(a.confidence < assistant::HANDOFF_BELOW, "{q}: {a:?}");
        }
    }
    let vague = assistant().answer("it does not work", Lang::En);
    assert_eq!(
        vague.handoff_reason,
        Some(HandoffReason::LowConfidence),
        "{vague:?}"
    );
}

#[test]
fn asking_what_to_do_does_not_turn_a_problem_into_a_how_to() {
    let plain = "我从币安提USDT到我的钱包，交易所显示已完成，但钱包里一直没到账";
    let asked = format!("{plain}，怎么办?");
    for q in [plain, asked.as_str()] {
        let a = assistant().answer(q, Lang::ZhCn);
        assert_eq!(a.topic, Topic::TxPendingFailed, "{q}: {a:?}");
    }
}

/// A user who pastes a node's error message verbatim gets the article that explains it, in
/// either language (issue 8 §5: the errors are quoted in the article's text and keywords).
#[test]
fn a_verbatim_network_error_finds_the_error_article() {
    let errors = [
        "nonce too low",
        "replacement transaction underpriced",
        "insufficient funds for gas * price + value",
        "OUT_OF_ENERGY",
        "Blockhash not found",
        "min relay fee not met",
    ];
    for e in errors {
        for (q, lang) in [
            (format!("My transfer failed with the error: {e}"), Lang::En),
            (format!("转账失败，提示 {e}，怎么办"), Lang::ZhCn),
        ] {
            let a = assistant().answer(&q, lang);
            let urls: Vec<&str> = a.articles.iter().map(|r| r.url.as_str()).collect();
            assert!(
                urls.iter()
                    .take(3)
                    .any(|u| *u == "/help/error-messages-explained"),
                "{q:?} → {urls:?}"
            );
        }
    }
}

/// Mixed posts: the status the app shows in English (`Unconfirmed`, `pending`) inside a
/// Chinese sentence is evidence like the Chinese words around it.
#[test]
fn an_english_status_inside_a_chinese_post_counts() {
    let a = assistant().answer("转出的USDT一直显示Unconfirmed", Lang::ZhCn);
    assert_eq!(a.topic, Topic::TxPendingFailed, "{a:?}");
}

/// A pasted log says many things (here: restore, mnemonic, import) that the person did not
/// ask about; the one line they wrote decides.
#[test]
fn a_pasted_log_does_not_outvote_the_sentence_a_person_wrote() {
    let q = "USDT 转账一直没到账\n\
             2024-05-01 10:00:01 INFO wallet: restore from mnemonic seed ok, import done\n\
             \x20   at wallet::restore::import (src/restore.rs:42)";
    let a = assistant().answer(q, Lang::ZhCn);
    assert_eq!(a.topic, Topic::TxPendingFailed, "{a:?}");
}

/// Below [`assistant::OTHER_BELOW`] the topic is `other` and a person takes over; measured on
/// every real question, some of which are that unsure.
#[test]
fn when_no_view_is_sure_the_topic_is_other_and_a_person_takes_over() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real_questions.jsonl");
    let mut unsure = 0;
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let q = v["question"].as_str().unwrap();
        let a = assistant().answer(q, Lang::ZhCn);
        if a.confidence < assistant::OTHER_BELOW {
            unsure += 1;
            assert_eq!(a.topic, Topic::Other, "{q}: {a:?}");
            assert!(a.handoff, "{q}: {a:?}");
        }
    }
    assert!(
        unsure > 0,
        "no real question is unsure: the rule is not exercised"
    );
}

/// A transfer's direction picks the article: a withdrawal *from* an exchange that has not
/// arrived in the wallet is not a deposit *to* an exchange that has not been credited.
#[test]
fn a_withdrawal_from_an_exchange_is_not_a_deposit_to_one() {
    for (question, lang, slug) in [
        (
            "我从币安提USDT到钱包，一直没到账",
            Lang::ZhCn,
            "withdrawal-from-exchange-not-arrived",
        ),
        (
            "提现到钱包没收到",
            Lang::ZhCn,
            "withdrawal-from-exchange-not-arrived",
        ),
        (
            "我往交易所充值USDT，一直没到账",
            Lang::ZhCn,
            "deposit-not-arrived-exchange",
        ),
        (
            "转到币安的USDT没有到账",
            Lang::ZhCn,
            "deposit-not-arrived-exchange",
        ),
        (
            "withdrawal from OKX not received in my wallet",
            Lang::En,
            "withdrawal-from-exchange-not-arrived",
        ),
        (
            "I sent USDT to my Binance account but the deposit has not arrived",
            Lang::En,
            "deposit-not-arrived-exchange",
        ),
        (
            "sent ETH to Coinbase, not credited after 2 hours",
            Lang::En,
            "deposit-not-arrived-exchange",
        ),
    ] {
        let a = assistant().answer(question, lang);
        assert_eq!(a.topic, Topic::TxPendingFailed, "{question}");
        assert_eq!(
            a.articles.first().map(|r| r.url.as_str()),
            Some(format!("/help/{slug}").as_str()),
            "{question}: {:?}",
            a.articles.iter().map(|r| &r.url).collect::<Vec<_>>()
        );
    }
}
