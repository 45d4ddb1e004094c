//! The reply text. [`TemplateComposer`] quotes the best article's numbered steps (or its
//! summary), each step whole with its sub-list, and links that article; the other articles go
//! to the client as [`crate::Answer::articles`] and are not listed again in the text. A chat
//! model could implement [`Composer`] instead, but it gets no more than this: the composition
//! never carries what the user typed.

use domain::Lang;

use crate::content::ArticleRef;
use crate::{HandoffReason, Topic};

/// What a reply is made from.
#[derive(Debug, Clone, Copy)]
pub struct Composition<'a> {
    pub lang: Lang,
    pub topic: Topic,
    /// Best first, in the reply language.
    pub articles: &'a [&'a ArticleRef],
    pub handoff: Option<HandoffReason>,
    pub secret_removed: bool,
}

pub trait Composer: Send + Sync {
    fn compose(&self, c: &Composition<'_>) -> String;
}

/// The built-in composer: fixed sentences in both languages and text quoted from the articles.
#[derive(Debug, Clone, Copy, Default)]
pub struct TemplateComposer;

/// How many steps are quoted.
const MAX_STEPS: usize = 6;

struct Phrases {
    secret: &'static str,
    steps_from: &'static str,
    /// What joins `steps_from` to the link, and the colon after it: "From [A](…):" and
    /// "摘自[A](…)：" (a full-width colon and no space in Chinese).
    steps_gap: &'static str,
    colon: &'static str,
    more_steps: &'static str,
    handoff_requested: &'static str,
    handoff_security: &'static str,
    handoff_unsure: &'static str,
    handoff_too_long: &'static str,
    never_ask: &'static str,
}

const EN: Phrases = Phrases {
    secret: "You included what looks like a recovery phrase or private key. We removed it and did \
             not keep it, but treat it as exposed: create a new wallet, move your funds to it as \
             soon as you can, and stop using the old one. Support will never ask for your phrase \
             or keys.",
    steps_from: "From",
    steps_gap: " ",
    colon: ":",
    more_steps: "More steps in the article.",
    handoff_requested: "A person from our support team will take this over.",
    handoff_security: "This needs a person from our support team. Until they reach you, move any \
                       remaining funds to a new wallet created on a device you trust.",
    handoff_unsure: "I am not sure I understood, so a person from our support team should look at \
                     this.",
    handoff_too_long: "That message is too long for me to read. Please send it as a ticket \
                       instead.",
    never_ask: "Never send anyone your recovery phrase or private key; support will never ask \
                for it.",
};

const ZH: Phrases = Phrases {
    secret: "你的消息里似乎包含助记词或私钥。我们已经删除，没有保存；但请把它当作已经泄露：\
             尽快创建一个新钱包，把资产转过去，不要再使用旧钱包。客服永远不会向你索要助记词或私钥。",
    steps_from: "摘自",
    steps_gap: "",
    colon: "：",
    more_steps: "文章中还有更多步骤。",
    handoff_requested: "我们的客服人员会接手处理。",
    handoff_security: "这个问题需要客服人员处理。在客服联系你之前，请把剩余资产转到在可信设备上新建的钱包。",
    handoff_unsure: "我不确定理解了你的问题，最好请客服人员看一下。",
    handoff_too_long: "这条消息太长，我无法读取。请改为提交工单。",
    never_ask: "请勿向任何人发送助记词或私钥，客服永远不会索要。",
};

impl Composer for TemplateComposer {
    fn compose(&self, c: &Composition<'_>) -> String {
        let p = match c.lang {
            Lang::ZhCn => &ZH,
            Lang::En => &EN,
        };
        let mut out = String::new();
        if c.secret_removed {
            out.push_str(p.secret);
            out.push_str("\n\n");
        }
        match c.handoff {
            Some(HandoffReason::Requested) => push_para(&mut out, p.handoff_requested),
            Some(HandoffReason::Security | HandoffReason::LostFunds) => {
                push_para(&mut out, p.handoff_security);
            }
            Some(HandoffReason::LowConfidence) => push_para(&mut out, p.handoff_unsure),
            Some(HandoffReason::TooLong) => {
                push_para(&mut out, p.handoff_too_long);
                return out.trim_end().to_owned();
            }
            None => {}
        }
        if let Some(best) = c.articles.first() {
            out.push_str(&format!(
                "{}{}[{}]({}){}\n",
                p.steps_from, p.steps_gap, best.title, best.url, p.colon
            ));
            let steps = best.steps();
            if steps.is_empty() {
                out.push_str(&best.summary);
                out.push('\n');
            } else {
                let quoted = quoted_steps(&steps);
                for (i, s) in steps.iter().take(quoted).enumerate() {
                    let mut lines = s.lines();
                    out.push_str(&format!("{}. {}\n", i + 1, lines.next().unwrap_or("")));
                    for sub in lines {
                        out.push_str(&format!("   {sub}\n"));
                    }
                }
                if quoted < steps.len() {
                    out.push_str(p.more_steps);
                    out.push('\n');
                }
            }
        }
        if matches!(c.topic, Topic::RestoreMnemonic | Topic::SecurityTheftScam) && !c.secret_removed
        {
            out.push('\n');
            out.push_str(p.never_ask);
        }
        out.trim_end().to_owned()
    }
}

/// How many of `steps` to quote: at most [`MAX_STEPS`], but never ending on a step that
/// introduces what follows ("Check three things:") without bringing it: such a step takes the
/// next one along.
fn quoted_steps(steps: &[String]) -> usize {
    let mut n = steps.len().min(MAX_STEPS);
    while n < steps.len() && introduces_more(&steps[n - 1]) {
        n += 1;
    }
    n
}

/// A step that ends with a colon and has no sub-list of its own.
fn introduces_more(step: &str) -> bool {
    !step.contains('\n') && step.trim_end().ends_with([':', '：'])
}

/// Every fixed text the built-in composer writes into an answer, in both languages: what the
/// content rules (`kb::lint`, in the server's tests) check.
#[must_use]
pub fn templates() -> Vec<(Lang, &'static str)> {
    let mut out = Vec::new();
    for (lang, p) in [(Lang::En, &EN), (Lang::ZhCn, &ZH)] {
        out.extend(
            [
                p.secret,
                p.steps_from,
                p.more_steps,
                p.handoff_requested,
                p.handoff_security,
                p.handoff_unsure,
                p.handoff_too_long,
                p.never_ask,
            ]
            .map(|t| (lang, t)),
        );
    }
    out
}

/// The warning shown whenever a phrase or key was cut out of a question.
#[must_use]
pub fn secret_notice(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => ZH.secret,
        Lang::En => EN.secret,
    }
}

/// The heading above a model-written reply's numbered sources.
#[must_use]
pub fn sources_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "来源：",
        Lang::En => "Sources:",
    }
}

fn push_para(out: &mut String, s: &str) {
    out.push_str(s);
    out.push_str("\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str) -> ArticleRef {
        let src = format!(
            "---\nslug: s\ncategory: transactions\ntopics: tx_pending_failed\ntitle: T\nsummary: S.\n---\n{body}"
        );
        ArticleRef::parse(&src, Lang::En).unwrap_or_else(|e| panic!("{e}"))
    }

    fn compose(a: &ArticleRef, others: &[&ArticleRef]) -> String {
        let mut all = vec![a];
        all.extend_from_slice(others);
        TemplateComposer.compose(&Composition {
            lang: Lang::En,
            topic: Topic::TxPendingFailed,
            articles: &all,
            handoff: None,
            secret_removed: false,
        })
    }

    #[test]
    fn a_step_ending_in_a_colon_brings_its_sub_list() {
        let a = article(
            "1. Open it.\n2. Check three things on the explorer:\n   - **Status:** ok.\n   \
             - **Network:** same.\n\nAfter.\n",
        );
        let text = compose(&a, &[]);
        assert!(
            text.contains(
                "2. Check three things on the explorer:\n   - Status: ok.\n   - Network: same."
            ),
            "{text}"
        );
    }

    #[test]
    fn quoting_never_stops_on_a_step_that_introduces_the_next() {
        let body: String = (1..=9)
            .map(|i| {
                if i == MAX_STEPS {
                    format!("{i}. Then do this:\n")
                } else {
                    format!("{i}. Step {i}.\n")
                }
            })
            .collect();
        let text = compose(&article(&body), &[]);
        assert!(text.contains("6. Then do this:\n7. Step 7."), "{text}");
        assert!(!text.contains("8. Step 8."), "{text}");
        assert!(text.contains("More steps in the article."), "{text}");
    }

    #[test]
    fn the_source_line_follows_each_languages_punctuation() {
        let a = article("1. One.\n");
        assert!(
            compose(&a, &[]).starts_with("From [T](/help/s):\n"),
            "{}",
            compose(&a, &[])
        );
        let zh = TemplateComposer.compose(&Composition {
            lang: Lang::ZhCn,
            topic: Topic::TxPendingFailed,
            articles: &[&a],
            handoff: None,
            secret_removed: false,
        });
        assert!(zh.starts_with("摘自[T](/help/s)：\n"), "{zh}");
    }

    #[test]
    fn related_articles_are_not_listed_in_the_text() {
        let a = article("1. One.\n2. Two.\n");
        let mut b = article("1. One.\n2. Two.\n");
        b.url = "/help/other".into();
        let text = compose(&a, &[&b]);
        assert_eq!(text.matches("](/help/s)").count(), 1, "{text}");
        assert!(!text.contains("/help/other"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("- [")), "{text}");
    }
}
