//! Cutting quoted history and signatures from a reply: the user's new words stay, the rest
//! goes. The full original is never needed (the desk has its own copy of what it sent) and
//! it is the part most likely to hold a phrase pasted weeks ago.
//!
//! The text is cut at the first line that starts a quote or a signature, in any of the forms
//! that mail clients write (each with a test in this module and a corpus message):
//!
//! | client | the line (or lines) where the history starts |
//! |---|---|
//! | Gmail, Thunderbird, Apple Mail (English) | `On <date>, <name> wrote:` (may wrap over two lines) |
//! | Apple Mail, Gmail (Chinese UI) | `<date>，<name> 写道：`, `… 寫道：` |
//! | 163 / 126 / Yeah | `在 <date>，<name> 写道：` |
//! | Outlook | `-----Original Message-----`, `________________________________` then `From:`, or a `From: …` line followed within three lines by `Sent:`/`Date:` |
//! | Foxmail | `发件人：…` followed by `发送时间：` (or `------------------ Original ------------------`) |
//! | QQ Mail | `------------------ 原始邮件 ------------------` |
//! | any | a block of `>` lines (and the attribution line before it) |
//!
//! Signatures: the `-- ` delimiter (RFC 3676), and the mobile footers "Sent from my iPhone",
//! "Sent from my iPad", "Get Outlook for iOS/Android", "发自我的iPhone", "发自我的手机", "来自我的华为手机",
//! "发自网易邮箱大师" and the like, when they are on a line of their own.
//!
//! Forwarded mail ("---------- Forwarded message ---------") is not history: a user who
//! forwards a suspicious mail wants us to read it, so it is kept.
//!
//! A message that is nothing but a quote (someone forwarded our mail back without a word) keeps
//! its text: cutting it all would lose the message.

/// What [`cut`] kept, and whether it dropped anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub text: String,
    /// Quoted history was dropped.
    pub quote: bool,
    /// A signature or mobile footer was dropped.
    pub signature: bool,
}

/// The new text of a reply (see the module doc).
#[must_use]
pub fn cut(text: &str) -> Cut {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    let mut quote = false;
    let mut signature = false;
    for (i, line) in lines.iter().enumerate() {
        if let Some(start) = history_starts(&lines, i) {
            end = start;
            quote = true;
            break;
        }
        if is_signature(line) {
            end = i;
            signature = true;
            break;
        }
    }
    // `>` lines in the middle (an inline reply): drop them, keep the rest.
    let mut kept: Vec<&str> = Vec::new();
    for line in &lines[..end] {
        if line.trim_start().starts_with('>') {
            quote = true;
            continue;
        }
        if is_signature(line) {
            signature = true;
            break;
        }
        kept.push(line);
    }
    let out = kept.join("\n").trim().to_owned();
    if out.is_empty() {
        // All of it was quote or signature: keep the text rather than lose the message.
        return Cut {
            text: text.trim().to_owned(),
            quote: false,
            signature: false,
        };
    }
    Cut {
        text: out,
        quote,
        signature,
    }
}

/// The line where quoted history starts, if line `i` starts it (an attribution may begin one
/// line earlier, when a client wrapped it).
fn history_starts(lines: &[&str], i: usize) -> Option<usize> {
    let line = lines[i].trim();
    let next = |k: usize| lines.get(i + k).map_or("", |l| l.trim());
    if is_separator(line) {
        return Some(i);
    }
    // "On Mon, 1 Jan 2026 at 10:00, Name <a@b> wrote:" — possibly wrapped after "Name".
    if line.starts_with("On ") && (line.ends_with("wrote:") || next(1).ends_with("wrote:")) {
        return Some(i);
    }
    if line.ends_with("wrote:") && i > 0 && lines[i - 1].trim().starts_with("On ") {
        return Some(i - 1);
    }
    // 163/126: "在 2026-01-01 10:00:00，"name" <a@b> 写道：", Apple Mail Chinese
    // "2026年1月1日 10:00，name <a@b> 写道：".
    let written = |l: &str| {
        let l = l.trim_end_matches([':', '：']).trim_end();
        l.ends_with("写道") || l.ends_with("寫道")
    };
    if written(line) {
        return Some(i);
    }
    if (line.starts_with('在') || line.starts_with("20")) && written(next(1)) {
        return Some(i);
    }
    // Outlook / Foxmail header blocks.
    let header = |l: &str, names: &[&str]| {
        names.iter().any(|n| {
            l.strip_prefix(n)
                .is_some_and(|r| r.starts_with(':') || r.starts_with('：'))
        })
    };
    let from = ["From", "发件人", "寄件者", "*From"];
    let sent = [
        "Sent",
        "Date",
        "发送时间",
        "日期",
        "時間",
        "寄件日期",
        "*Sent",
        "*Date",
    ];
    if header(line, &from) && (1..=3).any(|k| header(next(k), &sent)) {
        return Some(i);
    }
    // A quote block: the line that introduces it (any line ending with ':' just before) goes
    // with it.
    if line.starts_with('>') && next(1).starts_with('>') {
        let all_quoted = lines[i..]
            .iter()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('>') || is_signature(l));
        if all_quoted {
            let intro = i > 0 && {
                let prev = lines[i - 1].trim();
                prev.ends_with(':') || prev.ends_with('：')
            };
            return Some(if intro { i - 1 } else { i });
        }
    }
    None
}

/// A line that clients put between the reply and the original.
fn is_separator(line: &str) -> bool {
    let bare: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let dashes = |s: &str, word: &str| {
        s.strip_prefix("---")
            .and_then(|r| r.trim_start_matches('-').strip_suffix("---"))
            .is_some_and(|mid| mid.trim_end_matches('-') == word)
    };
    dashes(&bare, "OriginalMessage")
        || dashes(&bare, "原始邮件")
        || dashes(&bare, "原始郵件")
        || dashes(&bare, "Original")
        || (bare.len() >= 20 && bare.bytes().all(|b| b == b'_'))
}

/// A signature delimiter or a mobile client's footer on a line of its own.
fn is_signature(line: &str) -> bool {
    if line == "-- " || line == "--" || line == "—" {
        return true;
    }
    let l = line.trim();
    let lower = l.to_ascii_lowercase();
    const EN: [&str; 5] = [
        "sent from my iphone",
        "sent from my ipad",
        "sent from my android",
        "sent from my huawei",
        "get outlook for ",
    ];
    if EN.iter().any(|p| lower.starts_with(p)) && l.chars().count() < 60 {
        return true;
    }
    let zh = [
        "发自我的",
        "来自我的",
        "發自我的",
        "从我的",
        "发自网易邮箱",
        "发自QQ邮箱",
        "来自网易邮箱",
        "发自 网易邮箱",
    ];
    zh.iter().any(|p| l.starts_with(p)) && l.chars().count() < 30
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_text(s: &str) -> String {
        cut(s).text
    }

    #[test]
    fn gmail_on_wrote_even_when_wrapped() {
        let s = "Still not arrived.\n\nOn Mon, Dec 7, 2026 at 9:00 AM Support <support@example.com>\nwrote:\n> Please send the tx hash.\n";
        let c = cut(s);
        assert_eq!(c.text, "Still not arrived.");
        assert!(c.quote && !c.signature);
        assert_eq!(
            new_text("ok\nOn 7 Dec 2026, at 09:00, Support <s@x> wrote:\n\n> hi"),
            "ok"
        );
    }

    #[test]
    fn chinese_clients() {
        assert_eq!(
            new_text(
                "还是没到账\n\n在 2026-12-07 09:00:00，\"客服\" <s@x.com> 写道：\n> 请提供哈希"
            ),
            "还是没到账"
        );
        assert_eq!(
            new_text(
                "收到\n------------------&nbsp;原始邮件&nbsp;------------------\n发件人: \"客服\""
                    .replace("&nbsp;", " ")
                    .as_str()
            ),
            "收到"
        );
        assert_eq!(
            new_text(
                "好的\n\n发件人：客服 <s@x.com>\n发送时间：2026年12月7日 9:00\n收件人：我\n主题：工单"
            ),
            "好的"
        );
        assert_eq!(
            new_text("谢谢\n\n2026年12月7日 09:00，客服 <s@x.com> 写道：\n\n旧的"),
            "谢谢"
        );
    }

    #[test]
    fn outlook_forms() {
        assert_eq!(
            new_text("Thanks\n\n-----Original Message-----\nFrom: Support\nSent: Monday"),
            "Thanks"
        );
        assert_eq!(
            new_text(
                "Thanks\n________________________________\nFrom: Support <s@x>\nSent: Monday, December 7, 2026\nTo: me"
            ),
            "Thanks"
        );
        assert_eq!(
            new_text("Thanks\n\nFrom: Support <s@x>\nDate: Monday\nTo: me\nSubject: x\n\nold"),
            "Thanks"
        );
    }

    #[test]
    fn signatures_and_mobile_footers() {
        let c = cut("My wallet shows 0.\n\nSent from my iPhone");
        assert_eq!(c.text, "My wallet shows 0.");
        assert!(c.signature && !c.quote);
        assert_eq!(new_text("余额为零\n\n发自我的iPhone"), "余额为零");
        assert_eq!(new_text("hello\n-- \nJohn\n+1 555"), "hello");
    }

    #[test]
    fn inline_quotes_are_dropped_and_the_answers_kept() {
        let s = "> What is your chain?\nTron\n> And the address?\nTXYZ\n";
        let c = cut(s);
        assert_eq!(c.text, "Tron\nTXYZ");
        assert!(c.quote);
    }

    #[test]
    fn text_without_history_is_kept_whole() {
        let s = "From: my old wallet I sent 5 USDT.\nOn Monday nothing arrived.";
        let c = cut(s);
        assert_eq!(c.text, s);
        assert!(!c.quote && !c.signature);
    }

    #[test]
    fn a_message_that_is_only_a_quote_keeps_its_text() {
        let s = "> only the quote\n> nothing new";
        assert_eq!(cut(s).text, s);
    }
}
