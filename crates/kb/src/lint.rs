//! Rules for help content that can be written down, so a test keeps them (`tests/it/content.rs`
//! runs them on every demo article; the server's tests run [`unsafe_instructions`] on canned
//! replies, the assistant's answer templates and every UI and mail string):
//!
//! 1. [`unsafe_instructions`]: nothing links to the phrase-check page (`/help/mnemonic-check`,
//!    a demo only) or asks the reader to send or share their recovery phrase, private key or
//!    password, or to type one into a web page.
//! 2. [`pair_differences`]: an article's two languages have the same numbered steps, the same
//!    numbers and the same links.
//! 3. [`chinese_punctuation`]: Chinese prose uses full-width punctuation — no ASCII `,` `:` `;`
//!    `?` `!` `(` `)` between Han characters — and no en dash `–`.
//! 4. [`glossary_findings`]: the non-preferred terms of the glossary in `content/help/README.md`
//!    ([`parse_glossary`]).
//!
//! The checks read prose: code (`` `…` `` and fenced blocks) is left out, and link targets are
//! compared as links, not read as text. They are deliberately simple word lists, so a finding is
//! easy to understand; a sentence that says *not* to do something (a negation or a scam warning
//! before the verb, in the same sentence) is not an instruction.

use std::collections::BTreeSet;

use domain::Lang;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::ArticleFile;

/// The help center's phrase-check page: a demo of the offline file, never a step.
pub const PHRASE_CHECK_PATH: &str = "/help/mnemonic-check";

/// What a user must never be asked to hand over (lower-case).
const SECRETS_EN: &[&str] = &[
    "recovery phrase",
    "seed phrase",
    "secret phrase",
    "seed words",
    "mnemonic",
    "private key",
    "password",
    "passcode",
    "pin",
    "keystore",
    "12 words",
    "24 words",
];
const SECRETS_ZH: &[&str] = &[
    "助记词",
    "私钥",
    "密码",
    "PIN",
    "keystore",
    "恢复短语",
    "密钥",
    "12 个词",
    "24 个词",
];

/// Verbs that hand a secret to someone (English: followed by the secret within a few words).
const SEND_EN: &[&str] = &[
    "send",
    "share",
    "email us",
    "e-mail us",
    "email it",
    "e-mail it",
    "forward",
    "upload",
    "reply with",
    "give us",
    "give support",
    "give the agent",
    "tell us",
    "tell support",
    "tell the agent",
    "provide us",
    "provide support",
];
/// 把…发给 / 发送… / 告诉… : the secret may come before or after the verb.
const SEND_ZH: &[&str] = &[
    "发给",
    "发送",
    "发到",
    "发我",
    "告诉",
    "提供",
    "交给",
    "分享",
    "私信",
    "上传",
    "截图发",
];
/// Verbs that type a secret somewhere, and the places that make it a web page.
const TYPE_EN: &[&str] = &["type", "enter", "paste", "fill in", "input", "check your"];
const WEB_EN: &[&str] = &[
    "website",
    "web page",
    "webpage",
    "this page",
    "our page",
    "site",
    "online",
    "browser",
    "checker",
    "form",
    "link",
];
const TYPE_ZH: &[&str] = &["输入", "粘贴", "填写", "填入", "键入", "检查"];
const WEB_ZH: &[&str] = &[
    "网页",
    "网站",
    "链接",
    "浏览器",
    "在线",
    "表单",
    "本页",
    "此页",
];

/// Before the verb in the same sentence, these make it a warning, not an instruction.
const NOT_EN: &[&str] = &[
    "never",
    "don't",
    "do not",
    "dont",
    "not ",
    "no one",
    "nobody",
    "won't",
    "will not",
    "refuse",
    "avoid",
    "scam",
    "fake",
    "thief",
    "thieves",
    "attacker",
    "anyone who",
    "someone who",
    "whoever",
    "if someone",
    "if anyone",
    "asks you to",
    "asked you to",
    "told you to",
];
const NOT_ZH: &[&str] = &[
    "不要",
    "别",
    "切勿",
    "绝不",
    "永远不",
    "从不",
    "不会",
    "不能",
    "不得",
    "勿",
    "不应",
    "禁止",
    "谨防",
    "警惕",
    "要求",
    "假",
    "仿冒",
    "钓鱼",
    "木马",
    "骗子",
    "诈骗",
    "骗局",
    "假冒",
    "冒充",
    "盗",
    "任何人",
    "任何要求",
    "要求你",
    "让你",
    "叫你",
];

/// One finding: which rule, and what was found (stable enough to list in an allow-list).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub rule: &'static str,
    pub detail: String,
}

impl Finding {
    fn new(rule: &'static str, detail: impl Into<String>) -> Self {
        Finding {
            rule,
            detail: detail.into(),
        }
    }
}

/// The prose of a Markdown text (code left out, one text run per line) and its link targets.
fn prose_and_links(markdown: &str) -> (String, Vec<String>) {
    let mut prose = String::new();
    let mut links = Vec::new();
    let mut in_code_block = false;
    for event in Parser::new_ext(markdown, crate::options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if !in_code_block => prose.push_str(&t),
            Event::SoftBreak | Event::HardBreak => prose.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
            ) => {
                prose.push('\n');
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string());
            }
            _ => {}
        }
    }
    (prose, links)
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', ';', '\n', '。', '！', '？', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether `sentence` (lower-cased for English) has a negation or warning before byte `at`.
fn warned(sentence: &str, at: usize, markers: &[&str]) -> bool {
    let before = &sentence[..at];
    markers.iter().any(|m| before.contains(m))
}

/// Byte offsets of `needle` in `hay` at word boundaries (ASCII letters on neither side).
fn word_hits(hay: &str, needle: &str) -> Vec<usize> {
    let ascii_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    hay.match_indices(needle)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = hay[..i].chars().next_back();
            let after = hay[i + needle.len()..].chars().next();
            let open_start = needle.starts_with(|c: char| c.is_ascii_alphanumeric());
            let open_end = needle.ends_with(|c: char| c.is_ascii_alphanumeric());
            let glued_before = open_start && ascii_word(before);
            let glued_after = open_end && ascii_word(after);
            !glued_before && !glued_after
        })
        .collect()
}

/// The first secret named in `s` within `window` bytes after `from` (English) or either side
/// (Chinese, where 把助记词发给 puts the secret first).
fn secret_near(
    s: &str,
    from: usize,
    verb_len: usize,
    window: usize,
    zh: bool,
) -> Option<&'static str> {
    let secrets = if zh { SECRETS_ZH } else { SECRETS_EN };
    let start = if zh {
        floor(s, from.saturating_sub(window))
    } else {
        from
    };
    let end = ceil(s, (from + verb_len + window).min(s.len()));
    let part = &s[start..end];
    secrets
        .iter()
        .find(|t| {
            if zh {
                part.contains(**t)
            } else {
                !word_hits(part, t).is_empty()
            }
        })
        .copied()
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Rule 1 on any text a user may read (Markdown or plain): links to the phrase-check page,
/// and sentences that ask to send a secret or to type one into a web page.
#[must_use]
pub fn unsafe_instructions(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let (prose, links) = prose_and_links(text);
    if text.contains(PHRASE_CHECK_PATH) || links.iter().any(|l| l.contains(PHRASE_CHECK_PATH)) {
        out.push(Finding::new("phrase-check-link", PHRASE_CHECK_PATH));
    }
    for sentence in sentences(&prose) {
        let lower = sentence.to_lowercase();
        // One finding per sentence: the first verb that makes it an instruction.
        let mut found = Vec::new();
        for verb in SEND_EN {
            for at in word_hits(&lower, verb) {
                if let Some(secret) = secret_near(&lower, at, verb.len(), 40, false)
                    && !warned(&lower, at, NOT_EN)
                {
                    found.push(Finding::new(
                        "asks-for-secret",
                        format!("{verb} … {secret}: {sentence}"),
                    ));
                }
            }
        }
        for verb in TYPE_EN {
            for at in word_hits(&lower, verb) {
                let web = WEB_EN
                    .iter()
                    .find(|w| !word_hits(&lower[at..], w).is_empty());
                if let (Some(secret), Some(web)) =
                    (secret_near(&lower, at, verb.len(), 40, false), web)
                    && !warned(&lower, at, NOT_EN)
                {
                    found.push(Finding::new(
                        "asks-for-secret",
                        format!("{verb} … {secret} … {web}: {sentence}"),
                    ));
                }
            }
        }
        for verb in SEND_ZH {
            for (at, _) in sentence.match_indices(verb) {
                if let Some(secret) = secret_near(sentence, at, verb.len(), 15, true)
                    && !warned(sentence, at, NOT_ZH)
                {
                    found.push(Finding::new(
                        "asks-for-secret",
                        format!("{verb}…{secret}：{sentence}"),
                    ));
                }
            }
        }
        for verb in TYPE_ZH {
            for (at, _) in sentence.match_indices(verb) {
                let web = WEB_ZH.iter().find(|w| sentence.contains(**w));
                if let (Some(secret), Some(web)) =
                    (secret_near(sentence, at, verb.len(), 15, true), web)
                    && !warned(sentence, at, NOT_ZH)
                {
                    found.push(Finding::new(
                        "asks-for-secret",
                        format!("{verb}…{secret}…{web}：{sentence}"),
                    ));
                }
            }
        }
        out.extend(found.into_iter().next());
    }
    out.sort();
    out.dedup();
    out
}

/// The numbered steps of a Markdown body, as written (`1.`, `2)`…), nested lists included.
#[must_use]
pub fn steps(markdown: &str) -> Vec<u32> {
    markdown
        .lines()
        .filter_map(|l| {
            let t = l.trim_start();
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            let rest = &t[digits.len()..];
            (!digits.is_empty() && (rest.starts_with(". ") || rest.starts_with(") ")))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

/// The numbers in a text's prose and front matter (not the step markers): runs of digits,
/// full-width digits folded, `1,000` read as `1000`, a decimal point kept, and "zero" (为零,
/// 归零) as `0`.
#[must_use]
pub fn numbers(text: &str) -> BTreeSet<String> {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut out = BTreeSet::new();
    for line in folded.lines() {
        let t = line.trim_start();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let body = if digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
        {
            &t[digits + 1..]
        } else {
            line
        };
        let cs: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            // A number glued to a name (Permit2, ERC-20, Layer-2) is part of the name.
            let glued = i > 0
                && (cs[i - 1].is_ascii_alphabetic()
                    || (cs[i - 1] == '-' && i > 1 && cs[i - 2].is_ascii_alphabetic()));
            if !cs[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            if glued {
                while cs.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                continue;
            }
            let mut n = String::new();
            while i < cs.len() {
                let c = cs[i];
                let next_digit = cs.get(i + 1).is_some_and(char::is_ascii_digit);
                if c.is_ascii_digit() {
                    n.push(c);
                } else if c == '.' && next_digit {
                    n.push('.');
                } else if c != ',' || !next_digit {
                    break;
                }
                i += 1;
            }
            // Followed by letters (0x12ab, bc1q…) it is a name, not a figure; an ordinal
            // (13th, 25th) is the number.
            let letters: String = cs[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            if letters.is_empty() || ["st", "nd", "rd", "th"].contains(&letters.as_str()) {
                out.insert(n);
            }
        }
    }
    // English writes "a zero balance" where Chinese writes "余额为 0" or "余额为零": the same
    // figure. (A bare 零 is not counted: 零钱 is small change.)
    if folded
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.eq_ignore_ascii_case("zero"))
        || ["为零", "归零", "是零"].iter().any(|w| folded.contains(w))
    {
        out.insert("0".to_owned());
    }
    out
}

/// The link and image targets of a Markdown text.
#[must_use]
pub fn links(markdown: &str) -> BTreeSet<String> {
    prose_and_links(markdown).1.into_iter().collect()
}

/// Rule 2: the two languages of one article.
#[must_use]
pub fn pair_differences(en: &ArticleFile, zh: &ArticleFile) -> Vec<Finding> {
    let mut out = Vec::new();
    let (se, sz) = (steps(&en.body), steps(&zh.body));
    if se != sz {
        out.push(Finding::new("steps", format!("en {se:?} zh-CN {sz:?}")));
    }
    let text = |a: &ArticleFile| {
        let (prose, _) = prose_and_links(&a.body);
        format!("{}\n{}\n{}", a.title, a.summary, prose)
    };
    // The step markers are compared above; the prose comes without them.
    let (ne, nz) = (numbers(&text(en)), numbers(&text(zh)));
    if ne != nz {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            a.difference(b).cloned().collect::<Vec<_>>().join(" ")
        };
        out.push(Finding::new(
            "numbers",
            format!(
                "only en: [{}] only zh-CN: [{}]",
                only(&ne, &nz),
                only(&nz, &ne)
            ),
        ));
    }
    let (le, lz) = (links(&en.body), links(&zh.body));
    if le != lz {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            a.difference(b).cloned().collect::<Vec<_>>().join(" ")
        };
        out.push(Finding::new(
            "links",
            format!(
                "only en: [{}] only zh-CN: [{}]",
                only(&le, &lz),
                only(&lz, &le)
            ),
        ));
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Rule 3 on Chinese Markdown (or plain text): one finding per kind of mistake.
#[must_use]
pub fn chinese_punctuation(markdown: &str) -> Vec<Finding> {
    let (prose, _) = prose_and_links(markdown);
    let mut out = BTreeSet::new();
    for line in prose.lines() {
        let cs: Vec<char> = line.chars().collect();
        for (i, &c) in cs.iter().enumerate() {
            if c == '–' {
                out.insert(Finding::new("en-dash", "–"));
            }
            if !",:;?!()".contains(c) {
                continue;
            }
            // The nearest character on each side, over at most one space.
            let before = cs[..i].iter().rev().take(2).find(|c| **c != ' ');
            let after = cs[i + 1..].iter().take(2).find(|c| **c != ' ');
            if before.is_some_and(|c| is_han(*c)) && after.is_some_and(|c| is_han(*c)) {
                let start = i.saturating_sub(3);
                let end = (i + 4).min(cs.len());
                let around: String = cs[start..end].iter().collect();
                out.insert(Finding::new(
                    "ascii-punctuation",
                    format!("{c} in “{around}”"),
                ));
            }
        }
    }
    out.into_iter().collect()
}

/// One row of the glossary: in `lang`, write `preferred`, not any of `avoid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryEntry {
    pub lang: Lang,
    pub preferred: String,
    pub avoid: Vec<String>,
}

impl GlossaryEntry {
    /// The preferred term without the note in brackets that may follow it.
    #[must_use]
    pub fn term(&self) -> &str {
        self.preferred
            .split(['（', '('])
            .next()
            .unwrap_or_default()
            .trim()
    }
}

/// The glossary table of `content/help/README.md`: the table whose header is
/// `| language | preferred | avoid |`; `avoid` lists terms separated by `,`, `，` or `、`;
/// backticks are dropped. Rows of another language or with nothing to avoid are skipped.
#[must_use]
pub fn parse_glossary(readme: &str) -> Vec<GlossaryEntry> {
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace('`', ""))
            .collect()
    };
    let mut out = Vec::new();
    let mut in_table = false;
    for line in readme.lines() {
        let t = line.trim();
        if !t.starts_with('|') {
            in_table = false;
            continue;
        }
        let row = cells(t);
        let header: Vec<String> = row.iter().map(|c| c.to_lowercase()).collect();
        if header.len() >= 3 && header[..3] == ["language", "preferred", "avoid"] {
            in_table = true;
            continue;
        }
        if !in_table || row.len() < 3 || row[0].starts_with("---") {
            continue;
        }
        let Ok(lang) = Lang::parse(&row[0]) else {
            continue;
        };
        let avoid: Vec<String> = row[2]
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "—" && *s != "-")
            .map(str::to_owned)
            .collect();
        if !avoid.is_empty() {
            out.push(GlossaryEntry {
                lang,
                preferred: row[1].clone(),
                avoid,
            });
        }
    }
    out
}

/// Rule 4 on one article: every avoided term of its language found in its title, summary or
/// prose (not keywords: those are the words users type). ASCII terms match whole words.
#[must_use]
pub fn glossary_findings(article: &ArticleFile, glossary: &[GlossaryEntry]) -> Vec<Finding> {
    let (prose, _) = prose_and_links(&article.body);
    let text = format!("{}\n{}\n{}", article.title, article.summary, prose);
    let mut out = Vec::new();
    for entry in glossary.iter().filter(|e| e.lang == article.lang) {
        for term in &entry.avoid {
            if !word_hits(&text, term).is_empty() {
                out.push(Finding::new(
                    "glossary",
                    format!("{term} → {}", entry.term()),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<&'static str> {
        unsafe_instructions(text)
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn planted_unsafe_instructions_are_caught_in_both_languages() {
        for bad in [
            "Please send us your recovery phrase so we can check it.",
            "Reply with your 12 words and the agent will restore the wallet.",
            "Share your private key with the agent.",
            "Tell us your wallet password.",
            "E-mail us your seed phrase.",
            "Type your recovery phrase into the checker below.",
            "Paste your seed phrase on this page to validate your wallet.",
            "请把你的助记词发给客服核对。",
            "请提供你的私钥，以便我们核实。",
            "在网页上输入助记词进行检查。",
            "打开链接，粘贴你的助记词。",
        ] {
            assert_eq!(rules(bad), ["asks-for-secret"], "{bad}");
        }
        for bad in [
            "1. Check the words at [our checker](/help/mnemonic-check).",
            "2. 打开 https://desk.example/help/mnemonic-check 检查。",
        ] {
            assert!(rules(bad).contains(&"phrase-check-link"), "{bad}");
        }
    }

    #[test]
    fn warnings_and_ordinary_steps_are_not_findings() {
        for good in [
            "Please never send your recovery phrase (mnemonic) or private key to anyone, including us.",
            "Support will never ask for your phrase or keys.",
            "Never type it into a website, whoever asks.",
            "Scammers ask you to enter your recovery phrase on a fake website.",
            "If someone asks you to share your screen and your phrase, stop.",
            "Type your recovery phrase into your wallet app's restore screen.",
            "Send the transaction hash (TxID) and the network you used.",
            "Enter your wallet password to unlock the app.",
            "Wrong e-mail address or password.",
            "请不要把助记词或私钥发给任何人，包括我们：客服永远不会向您索要。",
            "骗子会让你在网页上输入助记词。",
            "在钱包 App 的恢复页面输入助记词。",
            "请提供交易哈希（TxID）和所用网络。",
            "`/help/mnemonic` is not the page",
        ] {
            assert_eq!(unsafe_instructions(good), [], "{good}");
        }
    }

    #[test]
    fn steps_numbers_and_links() {
        let md = "Intro with 12 words and 0.00204 SOL, 1,000 TRX, bc1q9, ERC-20, the 25th word and Permit2.\n\n1. Open.\n2. Tap [Send](/help/send-crypto-step-by-step).\n   1. Nested.\n10) Done in 24 hours.\n\n`code 99`\n";
        assert_eq!(steps(md), [1, 2, 1, 10]);
        let (prose, _) = prose_and_links(md);
        assert_eq!(
            numbers(&prose).into_iter().collect::<Vec<_>>(),
            ["0.00204", "1000", "12", "24", "25"]
        );
        assert_eq!(
            links(md).into_iter().collect::<Vec<_>>(),
            ["/help/send-crypto-step-by-step"]
        );
        assert_eq!(numbers("１２ 个词").into_iter().collect::<Vec<_>>(), ["12"]);
        assert_eq!(numbers("a zero balance"), numbers("余额为 0"));
        assert_eq!(
            numbers("余额为零的账户"),
            numbers("accounts with zero balance")
        );
        assert!(
            numbers("零钱 and zeros").is_empty(),
            "零钱 is small change; zeros is no figure"
        );
    }

    #[test]
    fn pairs_that_differ_are_reported_by_rule() {
        let en = crate::parse_file(
            "---\nslug: a\ncategory: fees\ntitle: T\n---\n1. Wait 10 minutes.\n2. See [fees](/help/how-fees-work-gas).\n",
            Lang::En,
        )
        .unwrap();
        let zh = crate::parse_file(
            "---\nslug: a\ncategory: fees\ntitle: 标题\n---\n1. 等 15 分钟。\n",
            Lang::ZhCn,
        )
        .unwrap();
        let rules: Vec<&str> = pair_differences(&en, &zh).iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["steps", "numbers", "links"]);
        assert_eq!(pair_differences(&en, &en), []);
    }

    #[test]
    fn chinese_punctuation_between_han_characters_and_en_dashes() {
        let found = chinese_punctuation("打开钱包,然后点击发送:确认(可选)完成。冷钱包 – BTC");
        let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules.iter().filter(|r| **r == "ascii-punctuation").count(),
            4,
            "{found:?}"
        );
        assert!(rules.contains(&"en-dash"));
        // Full-width marks, ASCII between Latin words or numbers, and code are fine.
        assert_eq!(
            chinese_punctuation(
                "打开钱包，然后点击 **Send**: 确认（可选）。版本 3.2.1, Android 15。`a,b` 设置 → 安全"
            ),
            []
        );
    }

    #[test]
    fn the_glossary_table_is_read_and_applied_to_prose_not_keywords() {
        let readme = "Intro\n\n| language | preferred | avoid |\n|---|---|---|\n| zh-CN | BNB 智能链 | 币安智能链、`BNB智能链` |\n| en | BNB Smart Chain | Binance Smart Chain, BSC |\n| zh-CN | 你 | — |\n\n| other | table |\n|---|---|\n| zh-CN | x |\n";
        let g = parse_glossary(readme);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].avoid, ["币安智能链", "BNB智能链"]);
        let zh = crate::parse_file(
            "---\nslug: a\ncategory: fees\ntitle: 币安智能链手续费\nkeywords: 币安智能链\n---\n在 BNB 智能链上转账。\n",
            Lang::ZhCn,
        )
        .unwrap();
        assert_eq!(
            glossary_findings(&zh, &g),
            [Finding::new("glossary", "币安智能链 → BNB 智能链")]
        );
        let en = crate::parse_file(
            "---\nslug: a\ncategory: fees\ntitle: Fees\nkeywords: BSC\n---\nOn BSCscan and BNB Smart Chain.\n",
            Lang::En,
        )
        .unwrap();
        assert_eq!(glossary_findings(&en, &g), []);
    }
}
