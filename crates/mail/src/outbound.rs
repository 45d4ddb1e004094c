//! Outbound mail: a mail the desk sends → RFC 5322 bytes.
//!
//! Pure: the caller gives the time, the Message-ID and the rendered text; nothing here reads a
//! clock, a socket or a file. The bytes are built here rather than with a mail library's
//! builder so that this crate stays free of transports and async runtimes (the server hands the
//! bytes to its SMTP client as they are).
//!
//! Every mail is `multipart/alternative`: the text, and HTML made from the text (escaped, with
//! links made clickable). Both parts start with the recipient's anti-phishing code when they
//! have one, and end with the line that support never asks for a recovery phrase or a private
//! key, in the mail's language. Every mail of a ticket refers to the ticket's first mail
//! (`In-Reply-To`, `References`), so mail clients show a ticket as one thread.

use domain::Lang;
use i18n::I18n;
use sha2::{Digest, Sha256};

/// One mail to build.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub lang: Lang,
    /// The brand, as the sender's display name.
    pub from_name: &'a str,
    pub from_addr: &'a str,
    pub to: &'a str,
    /// Where replies go (the ticket's reply address), when not the sender.
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    /// The text as sent: links already in place.
    pub text: &'a str,
    /// The full `Message-ID`, angle brackets included (see [`message_id`]).
    pub message_id: &'a str,
    /// The ticket's first Message-ID, for every later mail of the ticket (see [`message_id`]).
    pub thread_root: Option<&'a str>,
    /// A notification, not a person's mail: `Auto-Submitted: auto-generated`, so that
    /// well-behaved auto-responders stay quiet.
    pub auto_submitted: bool,
    /// The recipient's anti-phishing code, shown at the very top.
    pub anti_phishing_code: Option<&'a str>,
    /// Milliseconds since the epoch, for the `Date` header.
    pub date_ms: i64,
}

/// What cannot be made into a mail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// An address with a line break, angle bracket or no `@`: it would not be one address.
    #[error("not a single mail address: {0:?}")]
    BadAddress(String),
    #[error("not a Message-ID: {0:?}")]
    BadMessageId(String),
}

/// `<local@domain>`: a Message-ID from its stored local part and the sending domain.
#[must_use]
pub fn message_id(local: &str, domain: &str) -> String {
    format!("<{local}@{domain}>")
}

/// The local part of a ticket's thread root: the Message-ID of its first mail (the store writes
/// it with that mail; see `store::OutboxMail::message_id`).
#[must_use]
pub fn thread_root_local(ticket_id: i64, ticket_created_ms: i64) -> String {
    format!("t{ticket_id}.{ticket_created_ms}")
}

/// The domain of an address (`support@example.com` → `example.com`).
#[must_use]
pub fn domain_of(addr: &str) -> Option<&str> {
    addr.rsplit_once('@')
        .map(|(_, d)| d.trim())
        .filter(|d| !d.is_empty())
}

/// The text part as sent: the code first (when there is one), the body, the security line.
#[must_use]
pub fn text_body(i18n: &I18n, m: &Outgoing<'_>) -> String {
    let mut out = String::new();
    if let Some(code) = m.anti_phishing_code {
        out.push_str(&i18n.format(m.lang, "mail.code.line", &[("code", code)]));
        out.push_str("\n\n");
    }
    out.push_str(m.text.trim_end());
    out.push_str("\n\n-- \n");
    out.push_str(&i18n.format(m.lang, "mail.security", &[("brand", m.from_name)]));
    out.push('\n');
    out
}

/// The HTML part: the text escaped, paragraphs kept, `http(s)://` links clickable.
#[must_use]
pub fn html_body(i18n: &I18n, m: &Outgoing<'_>) -> String {
    let lang = match m.lang {
        Lang::En => "en",
        Lang::ZhCn => "zh-CN",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family:sans-serif;line-height:1.5\">\n",
        escape(m.subject)
    );
    if let Some(code) = m.anti_phishing_code {
        out.push_str("<p style=\"border:2px solid #0b6e4f;padding:8px\"><strong>");
        out.push_str(&escape(&i18n.format(
            m.lang,
            "mail.code.line",
            &[("code", code)],
        )));
        out.push_str("</strong></p>\n");
    }
    for para in m.text.trim_end().split("\n\n") {
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>\n");
            }
            out.push_str(&linkify(line));
        }
        out.push_str("</p>\n");
    }
    out.push_str("<hr>\n<p style=\"color:#555\">");
    out.push_str(&escape(&i18n.format(
        m.lang,
        "mail.security",
        &[("brand", m.from_name)],
    )));
    out.push_str("</p>\n</body></html>\n");
    out
}

/// The whole message, CRLF line ends, ready for SMTP `DATA`.
///
/// # Errors
/// An address or the Message-ID would break the header (see [`BuildError`]).
pub fn build(i18n: &I18n, m: &Outgoing<'_>) -> Result<Vec<u8>, BuildError> {
    let from = address(m.from_addr)?;
    let to = address(m.to)?;
    let reply_to = m.reply_to.map(address).transpose()?;
    check_message_id(m.message_id)?;
    if let Some(r) = m.thread_root {
        check_message_id(r)?;
    }
    let boundary = {
        let h = Sha256::digest(m.message_id.as_bytes());
        // `=_` never occurs in base64, so the parts (all base64) cannot contain it.
        format!("=_wd_{}", hex(&h[..12]))
    };
    let mut h = String::new();
    let mut header = |name: &str, value: &str| {
        h.push_str(name);
        h.push_str(": ");
        h.push_str(value);
        h.push_str("\r\n");
    };
    header("Date", &rfc2822_date(m.date_ms));
    let name = display_name(m.from_name);
    // An encoded name can fill its line: the address then goes on a continuation line.
    let sep = if name.starts_with("=?") { "\r\n " } else { " " };
    header("From", &format!("{name}{sep}<{from}>"));
    header("To", &format!("<{to}>"));
    if let Some(r) = &reply_to {
        header("Reply-To", &format!("<{r}>"));
    }
    header("Subject", &encode_header(m.subject));
    header("Message-ID", m.message_id);
    if let Some(root) = m.thread_root.filter(|r| *r != m.message_id) {
        header("In-Reply-To", root);
        header("References", root);
    }
    if m.auto_submitted {
        header("Auto-Submitted", "auto-generated");
        // Outlook's and Exchange's out-of-office replies look at this one.
        header("X-Auto-Response-Suppress", "All");
    }
    header(
        "Content-Language",
        match m.lang {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        },
    );
    header("MIME-Version", "1.0");
    header(
        "Content-Type",
        &format!("multipart/alternative; boundary=\"{boundary}\""),
    );
    let mut out = h;
    out.push_str("\r\n");
    for (ctype, body) in [
        ("text/plain", text_body(i18n, m)),
        ("text/html", html_body(i18n, m)),
    ] {
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: {ctype}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ));
        // CRLF inside the part too: some servers reject bare LF.
        let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
        for chunk in base64(body.as_bytes()).as_bytes().chunks(76) {
            out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    Ok(out.into_bytes())
}

/// The part of an address that goes between angle brackets, refused when it could break out of
/// them or the header line.
fn address(a: &str) -> Result<&str, BuildError> {
    let a = a.trim();
    let ok = a.contains('@')
        && !a.is_empty()
        && a.len() <= 320
        && !a
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | ',' | '"'));
    if ok {
        Ok(a)
    } else {
        Err(BuildError::BadAddress(a.to_owned()))
    }
}

fn check_message_id(id: &str) -> Result<(), BuildError> {
    let ok = id.starts_with('<')
        && id.ends_with('>')
        && id.contains('@')
        && id.len() <= 250
        && id[1..id.len() - 1]
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>'));
    if ok {
        Ok(())
    } else {
        Err(BuildError::BadMessageId(id.to_owned()))
    }
}

/// A display name: quoted when plain ASCII, else one or more RFC 2047 encoded words.
fn display_name(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_graphic() || c == ' ') && name.len() <= 60 {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encoded_words(name)
    }
}

/// A header value as it goes on the wire: as is when short printable ASCII, else encoded words
/// (which also keeps a line break someone typed from starting a new header).
fn encode_header(v: &str) -> String {
    if v.len() <= 60 && v.chars().all(|c| c.is_ascii_graphic() || c == ' ') && !v.contains("=?") {
        v.to_owned()
    } else {
        encoded_words(v)
    }
}

/// `=?UTF-8?B?…?=` words of at most 64 characters (a header name fits before the first), folded onto continuation lines; a word never
/// splits a character.
fn encoded_words(v: &str) -> String {
    let v: String = v
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, c) in v.char_indices() {
        if i + c.len_utf8() - start > 39 {
            words.push(&v[start..end]);
            start = i;
        }
        end = i + c.len_utf8();
    }
    if start < v.len() || words.is_empty() {
        words.push(&v[start..]);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// HTML-escaped text, with `http://` and `https://` links made into anchors.
fn linkify(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(pos) = find_url(rest) {
        out.push_str(&escape(&rest[..pos]));
        let url_len = rest[pos..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
            .unwrap_or(rest.len() - pos);
        let url = &rest[pos..pos + url_len];
        out.push_str(&format!("<a href=\"{0}\">{0}</a>", escape(url)));
        rest = &rest[pos + url_len..];
    }
    out.push_str(&escape(rest));
    out
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("https://"), s.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Text → HTML text or attribute value.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4).
#[must_use]
pub fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Mon, 07 Dec 2026 01:41:03 +0000` from milliseconds since the epoch (UTC).
#[must_use]
pub fn rfc2822_date(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} +0000",
        DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)],
        MONTHS[usize::try_from(month - 1).unwrap_or(0)],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unbase64(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut acc = 0u32;
        let mut bits = 0;
        for c in s.bytes() {
            let Some(v) = B64.iter().position(|&b| b == c) else {
                continue;
            };
            acc = (acc << 6) | u32::try_from(v).unwrap();
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push(u8::try_from((acc >> bits) & 0xff).unwrap());
            }
        }
        out
    }

    fn mail<'a>(lang: Lang, code: Option<&'a str>) -> Outgoing<'a> {
        Outgoing {
            lang,
            from_name: "Lanternfish Wallet",
            from_addr: "support@lanternfish.example",
            to: "user@example.com",
            reply_to: Some("support+t7.0123456789abcdef0123@lanternfish.example"),
            subject: "[Ticket #7] 转账一直显示 pending <script>",
            text: "We got your ticket.\n\nOpen it: https://desk.example/t/abc?x=1&y=\"2\"\nThanks <b>",
            message_id: "<o9.1796111873000@lanternfish.example>",
            thread_root: Some("<t7.1796111800000@lanternfish.example>"),
            auto_submitted: true,
            anti_phishing_code: code,
            date_ms: 1_796_111_873_000,
        }
    }

    /// The decoded parts of a built mail: (headers, text, html).
    fn parts(raw: &[u8]) -> (String, String, String) {
        let raw = String::from_utf8(raw.to_vec()).unwrap();
        assert!(!raw.replace("\r\n", "").contains('\n'), "bare LF");
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let boundary = head
            .split("boundary=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut decoded = Vec::new();
        for part in body.split(&format!("--{boundary}")).skip(1) {
            if let Some((_, b)) = part.split_once("\r\n\r\n") {
                decoded.push(String::from_utf8(unbase64(b)).unwrap());
            }
        }
        (head.to_owned(), decoded[0].clone(), decoded[1].clone())
    }

    #[test]
    fn headers_thread_the_ticket_and_mark_notifications() {
        let i18n = I18n::default();
        let raw = build(&i18n, &mail(Lang::En, None)).unwrap();
        let (head, _, _) = parts(&raw);
        assert!(
            head.contains("Date: Tue, 01 Dec 2026 07:57:53 +0000\r\n"),
            "{head}"
        );
        assert!(head.contains("From: \"Lanternfish Wallet\" <support@lanternfish.example>\r\n"));
        assert!(head.contains("To: <user@example.com>\r\n"));
        assert!(
            head.contains("Reply-To: <support+t7.0123456789abcdef0123@lanternfish.example>\r\n")
        );
        assert!(head.contains("Message-ID: <o9.1796111873000@lanternfish.example>\r\n"));
        assert!(head.contains("In-Reply-To: <t7.1796111800000@lanternfish.example>\r\n"));
        assert!(head.contains("References: <t7.1796111800000@lanternfish.example>\r\n"));
        assert!(head.contains("Auto-Submitted: auto-generated\r\n"));
        assert!(head.contains("MIME-Version: 1.0\r\n"));
        // The subject is encoded words that decode to the subject, never raw `<script>`.
        let subject: String = head
            .split("Subject: ")
            .nth(1)
            .unwrap()
            .split("\r\nMessage-ID")
            .next()
            .unwrap()
            .split("\r\n ")
            .map(|w| {
                String::from_utf8(unbase64(
                    w.trim_start_matches("=?UTF-8?B?").trim_end_matches("?="),
                ))
                .unwrap()
            })
            .collect();
        assert_eq!(subject, "[Ticket #7] 转账一直显示 pending <script>");
        for line in head.split("\r\n") {
            assert!(line.len() <= 78, "long header line {line:?}");
        }

        // The first mail is the root itself; a person's mail is not auto-submitted.
        let mut first = mail(Lang::En, None);
        first.message_id = "<t7.1796111800000@lanternfish.example>";
        first.auto_submitted = false;
        let (head, _, _) = parts(&build(&i18n, &first).unwrap());
        assert!(!head.contains("In-Reply-To"), "{head}");
        assert!(!head.contains("References"), "{head}");
        assert!(!head.contains("Auto-Submitted"), "{head}");
    }

    #[test]
    fn html_is_the_text_escaped_with_links_and_the_security_line_in_each_language() {
        let i18n = I18n::default();
        for (lang, security) in [(Lang::En, "never ask"), (Lang::ZhCn, "助记词")] {
            let (_, text, html) = parts(&build(&i18n, &mail(lang, None)).unwrap());
            assert!(text.contains("Open it: https://desk.example/t/abc?x=1&y=\"2\"\r\n"));
            assert!(text.contains(security), "{text}");
            assert!(html.contains(security), "{html}");
            assert!(html.contains(
                "<a href=\"https://desk.example/t/abc?x=1&amp;y=\">https://desk.example/t/abc?x=1&amp;y=</a>&quot;2&quot;"
            ), "{html}");
            assert!(html.contains("Thanks &lt;b&gt;"), "{html}");
            assert!(!html.contains("<script>"), "{html}");
            assert!(html.contains("&lt;script&gt;"), "the title is escaped");
        }
    }

    #[test]
    fn the_anti_phishing_code_comes_first_in_both_parts() {
        let i18n = I18n::default();
        let (_, text, html) = parts(&build(&i18n, &mail(Lang::ZhCn, Some("蓝鱼 <42>"))).unwrap());
        let first = text.lines().next().unwrap();
        assert!(first.contains("蓝鱼 <42>"), "{first}");
        assert!(first.contains("防钓鱼码"), "{first}");
        let body = html.split("<body").nth(1).unwrap();
        let code_at = body
            .find("蓝鱼 &lt;42&gt;")
            .expect("escaped code in the HTML");
        assert!(code_at < body.find("We got your ticket").unwrap());
        let (_, text, _) = parts(&build(&i18n, &mail(Lang::En, None)).unwrap());
        assert!(text.starts_with("We got your ticket."), "{text}");
    }

    #[test]
    fn addresses_and_ids_that_would_break_the_header_are_refused() {
        let i18n = I18n::default();
        for bad in ["a@b.c\r\nBcc: x@y.z", "a@b.c>, <x@y.z", "nobody", "a b@c.d"] {
            let mut m = mail(Lang::En, None);
            m.to = bad;
            assert!(
                matches!(build(&i18n, &m), Err(BuildError::BadAddress(_))),
                "{bad:?}"
            );
        }
        let mut m = mail(Lang::En, None);
        m.message_id = "<a@b>\r\nBcc: x@y.z";
        assert!(matches!(build(&i18n, &m), Err(BuildError::BadMessageId(_))));
        // A line break in the subject cannot start a header.
        let mut m = mail(Lang::En, None);
        m.subject = "hi\r\nBcc: x@y.z";
        let (head, _, _) = parts(&build(&i18n, &m).unwrap());
        assert!(!head.contains("Bcc"), "{head}");
    }

    #[test]
    fn base64_and_dates_match_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(rfc2822_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(
            rfc2822_date(951_782_400_000),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(domain_of("support+{tag}@Example.com"), Some("Example.com"));
        assert_eq!(message_id("o1.2", "x.org"), "<o1.2@x.org>");
        assert_eq!(thread_root_local(7, 99), "t7.99");
    }
}
