//! Answers written by a chat model, grounded in the retrieved articles: the messages sent to an
//! OpenAI-compatible `/chat/completions` endpoint ([`messages`]) and the checks its reply must
//! pass before a user sees it ([`accept`]). No I/O: the server makes the call.
//!
//! What goes out is the question with its secrets already cut out and the articles' own text;
//! what comes back is rejected, and the built-in answer used instead, when it is empty, cites no
//! article or one that was not given, contains anything that looks like a recovery phrase or
//! key, or asks the user to send, share or tell one.

use domain::Lang;
use serde::Serialize;

use crate::content::ArticleRef;

/// How much of each article the model reads (characters of plain text).
const ARTICLE_CHARS: usize = 2500;
/// The longest reply accepted (characters).
pub const MAX_REPLY_CHARS: usize = 4000;

/// One chat message, as OpenAI-compatible endpoints take them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub role: &'static str,
    pub content: String,
}

/// The system prompt with the numbered articles, then the user's question (already without
/// secrets).
#[must_use]
pub fn messages(clean_question: &str, lang: Lang, articles: &[&ArticleRef]) -> Vec<Message> {
    let mut system = String::from(match lang {
        Lang::ZhCn => {
            "你是一款自托管加密钱包的客服助手。只根据下面编号的帮助文章回答用户的问题，\
             并用 [1]、[2] 这样的编号注明你用到的文章。文章里没有答案时，直接说明，并建议用户联系客服。\
             绝不要向用户索要助记词、私钥、密码或 PIN 码；如果用户提出要发送，告诉他不要发给任何人。\
             用简体中文回答，不超过 200 字，可以用编号步骤。\n\n帮助文章：\n"
        }
        Lang::En => {
            "You are the support assistant of a self-custody crypto wallet. Answer the user's \
             question only from the numbered help articles below, and cite the articles you use \
             as [1], [2]. If the articles do not answer it, say so and suggest contacting \
             support. Never ask for a recovery phrase, private key, password or PIN; if the user \
             offers one, tell them never to share it with anyone. Answer in English, in at most \
             200 words; numbered steps are welcome.\n\nHelp articles:\n"
        }
    });
    for (i, a) in articles.iter().enumerate() {
        let body: String = a.body_text().chars().take(ARTICLE_CHARS).collect();
        system.push_str(&format!(
            "\n[{}] {}\n{}\n{}\n",
            i + 1,
            a.title,
            a.summary,
            body.trim()
        ));
    }
    vec![
        Message {
            role: "system",
            content: system,
        },
        Message {
            role: "user",
            content: clean_question.trim().to_owned(),
        },
    ]
}

/// Why a model's reply was not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the reply is empty")]
    Empty,
    #[error("the reply is too long")]
    TooLong,
    #[error("the reply cites no article")]
    NoCitation,
    #[error("the reply cites an article it was not given")]
    UnknownCitation,
    #[error("the reply contains what looks like a recovery phrase or key")]
    ContainsSecret,
    #[error("the reply asks for a recovery phrase or key")]
    AsksForSecret,
}

/// The reply as the user will see it (reasoning blocks removed, trimmed), or why it must not be
/// shown. `given` is how many articles were in the prompt.
///
/// # Errors
/// See [`Rejected`].
pub fn accept(reply: &str, given: usize) -> Result<String, Rejected> {
    let text = strip_reasoning(reply).trim().to_owned();
    if text.is_empty() {
        return Err(Rejected::Empty);
    }
    if text.chars().count() > MAX_REPLY_CHARS {
        return Err(Rejected::TooLong);
    }
    let cited = citations(&text);
    if cited.is_empty() {
        return Err(Rejected::NoCitation);
    }
    if cited.iter().any(|&n| n == 0 || n > given) {
        return Err(Rejected::UnknownCitation);
    }
    match wallet::redact::find_secrets(&text, &wallet::RedactOptions::default()) {
        Ok(found) if found.is_empty() => {}
        _ => return Err(Rejected::ContainsSecret),
    }
    if asks_for_secret(&text) {
        return Err(Rejected::AsksForSecret);
    }
    Ok(text)
}

/// Reasoning models served by Ollama or vLLM put their thinking in `<think>…</think>`.
fn strip_reasoning(reply: &str) -> String {
    let mut out = String::with_capacity(reply.len());
    let mut rest = reply;
    while let Some(start) = rest.find("<think>") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</think>") {
            Some(end) => rest = &rest[start + end + "</think>".len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The article numbers cited as `[n]` (also `[1, 2]` and full-width `【1】`).
fn citations(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for (i, c) in text.char_indices() {
        let close = match c {
            '[' => ']',
            '【' => '】',
            _ => continue,
        };
        let rest = &text[i + c.len_utf8()..];
        let Some(end) = rest.find(close) else {
            continue;
        };
        let inner = &rest[..end];
        if inner.is_empty() || inner.len() > 16 {
            continue;
        }
        let numbers: Option<Vec<usize>> = inner
            .split([',', '，', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok())
            .collect();
        if let Some(ns) = numbers {
            found.extend(ns);
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// A sentence that names a secret and a verb of handing it over, with no negation: "send us
/// your recovery phrase", "请提供你的助记词". Entering the phrase into the wallet app (how
/// restoring works) is not handing it over.
fn asks_for_secret(text: &str) -> bool {
    const SECRET: &[&str] = &[
        "recovery phrase",
        "seed phrase",
        "secret phrase",
        "mnemonic",
        "private key",
        "seed words",
        "12 words",
        "24 words",
        "keystore",
        "助记词",
        "私钥",
        "密钥",
        "恢复短语",
    ];
    const HAND_OVER: &[&str] = &[
        "send",
        "share",
        "provide",
        "tell us",
        "tell me",
        "give",
        "paste",
        "reply with",
        "dm ",
        "email",
        "发送",
        "发给",
        "提供",
        "告诉",
        "粘贴",
        "截图",
        "回复",
        "交给",
    ];
    const NEGATION: &[&str] = &[
        "never",
        "not ",
        "n't",
        "no one",
        "nobody",
        "no-one",
        "don’t",
        "不要",
        "切勿",
        "不会",
        "别",
        "勿",
        "绝不",
        "永远不",
        "不能",
        "禁止",
    ];
    text.split(['.', '!', '?', '\n', '。', '！', '？', ';', '；'])
        .map(str::to_lowercase)
        .any(|s| {
            SECRET.iter().any(|w| s.contains(w))
                && HAND_OVER.iter().any(|w| s.contains(w))
                && !NEGATION.iter().any(|w| s.contains(w))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> ArticleRef {
        ArticleRef {
            slug: title.to_lowercase().replace(' ', "-"),
            lang: Lang::En,
            title: title.into(),
            url: "/help/x".into(),
            summary: "A summary.".into(),
            category: "restore".into(),
            topics: Vec::new(),
            keywords: Vec::new(),
            body_markdown: body.into(),
        }
    }

    #[test]
    fn the_prompt_numbers_the_articles_and_carries_the_question_alone() {
        let a = article("Restore a wallet", "1. Open the app.\n2. Tap **Restore**.");
        let b = article("Fees", "Fees are paid in the network's coin.");
        let m = messages("  how do I restore?  ", Lang::En, &[&a, &b]);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].role, "system");
        assert!(m[0].content.contains("[1] Restore a wallet"));
        assert!(m[0].content.contains("[2] Fees"));
        assert!(m[0].content.contains("Tap Restore"), "{}", m[0].content);
        assert_eq!(m[1].role, "user");
        assert_eq!(m[1].content, "how do I restore?");
        let zh = messages("怎么恢复", Lang::ZhCn, &[&a]);
        assert!(zh[0].content.contains("简体中文"));
    }

    #[test]
    fn a_grounded_reply_is_accepted() {
        let r = accept(
            "<think>they want steps</think>\nOpen the app and tap Restore [1].",
            2,
        );
        assert_eq!(r.unwrap(), "Open the app and tap Restore [1].");
        assert!(accept("按照【1】的步骤操作，再看 [1, 2]。", 2).is_ok());
        assert!(
            accept(
                "Never share your recovery phrase with anyone, support will not ask for it [1].",
                1
            )
            .is_ok()
        );
        assert!(accept("Enter your recovery phrase in the app to restore [1].", 1).is_ok());
    }

    #[test]
    fn bad_replies_are_rejected() {
        assert_eq!(accept("  <think>hmm</think> ", 1), Err(Rejected::Empty));
        assert_eq!(
            accept("Just reinstall the app.", 1),
            Err(Rejected::NoCitation)
        );
        assert_eq!(accept("See [3].", 2), Err(Rejected::UnknownCitation));
        assert_eq!(accept("See [0].", 2), Err(Rejected::UnknownCitation));
        assert_eq!(
            accept(&format!("{} [1]", "word ".repeat(900)), 1),
            Err(Rejected::TooLong)
        );
        assert_eq!(
            accept("To verify, please send us your recovery phrase [1].", 1),
            Err(Rejected::AsksForSecret)
        );
        assert_eq!(
            accept("请提供你的助记词，我们帮你检查 [1]。", 1),
            Err(Rejected::AsksForSecret)
        );
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                      abandon abandon about";
        assert_eq!(
            accept(&format!("Your phrase {phrase} is valid [1]."), 1),
            Err(Rejected::ContainsSecret)
        );
    }
}
