//! The content rules (`kb::lint`) on everything but the articles (those are kb's own test):
//! the demo canned replies, the assistant's answer templates and every string of the UI and the
//! e-mails (the `.ftl` files) — none links to the phrase-check page or asks a user to send or
//! share a phrase, key or password, or to type one into a web page; the Chinese replies and
//! answers use full-width punctuation.

use domain::Lang;
use kb::lint;

#[test]
fn canned_replies_answers_and_ui_and_mail_strings_never_ask_for_a_secret() {
    let mut texts: Vec<(String, Lang, &str)> = Vec::new();
    for (title, body, lang) in server::demo::canned_replies() {
        texts.push((format!("canned reply {title:?}"), *lang, title));
        texts.push((format!("canned reply {title:?}"), *lang, body));
    }
    for (lang, t) in assistant::compose::templates() {
        texts.push(("assistant template".into(), lang, t));
    }
    let i18n = server::i18n::I18n::default();
    let strings: Vec<(Lang, String, String)> = i18n.entries().collect();
    for (lang, key, value) in &strings {
        texts.push((format!("string {key}"), *lang, value));
    }
    assert!(texts.len() > 500, "{}", texts.len());

    let mut found = Vec::new();
    for (what, lang, text) in &texts {
        for f in lint::unsafe_instructions(text) {
            found.push(format!("{what} ({lang}): {} {}", f.rule, f.detail));
        }
        // UI strings may show formats ("时:分" for HH:MM); prose is checked.
        if *lang == Lang::ZhCn && !what.starts_with("string ") {
            for f in lint::chinese_punctuation(text) {
                found.push(format!("{what} (zh-CN): {} {}", f.rule, f.detail));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_rule_catches_a_planted_canned_reply() {
    let planted = "您好，\n\n请把您的助记词发给我们，我们帮您核对。\n\n{{agent_name}}";
    assert_eq!(
        lint::unsafe_instructions(planted)
            .iter()
            .map(|f| f.rule)
            .collect::<Vec<_>>(),
        ["asks-for-secret"]
    );
    let planted = "Hello,\n\nCheck your words at https://desk.example/help/mnemonic-check first.";
    assert!(
        lint::unsafe_instructions(planted)
            .iter()
            .any(|f| f.rule == "phrase-check-link")
    );
}

/// The product's screens and mails address the reader as 您 (articles use 你: the voice rule
/// in `content/help/README.md`): no Chinese UI or mail string says 你.
#[test]
fn chinese_ui_strings_say_nin_not_ni() {
    let i18n = server::i18n::I18n::default();
    let found: Vec<String> = i18n
        .entries()
        .filter(|(lang, _, value)| *lang == Lang::ZhCn && value.contains('你'))
        .map(|(_, key, value)| format!("{key} = {value}"))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}
