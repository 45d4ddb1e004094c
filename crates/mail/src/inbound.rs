//! Inbound mail: an RFC 5322 message as bytes → what the desk needs from it.
//!
//! [`parse`] reads the MIME structure with `mail-parser` (charsets through `encoding_rs`: GBK,
//! GB18030, GB2312, Big5 and the rest; quoted-printable, base64, RFC 2047/2231 headers and file
//! names) and returns an [`Inbound`]:
//! * the text: `text/plain` preferred, else the HTML turned into text ([`html::to_text`]);
//! * the new text, with quoted history and signatures cut ([`quote::cut`]);
//! * attachments and inline images with decoded names and content types (the bytes too: the
//!   server decides what to keep);
//! * threading keys: every recipient address (To, Cc, Delivered-To, X-Original-To — the reply
//!   tag can be in any), `In-Reply-To`/`References` ids, and the subject's ticket number
//!   ([`ticket_number`]);
//! * its [`Class`]: written by a person, an auto-reply, bulk/list mail, or a bounce (with the
//!   failed recipients and status of a DSN);
//! * [`Problem`]s met on the way (missing MIME boundary, unknown charset, broken transfer
//!   encoding): the message is still read as far as it can be, never refused for them.
//!
//! Nothing here is redacted: the server redacts every string before it is stored or logged.
//! The only refusal is input that is not a mail at all ([`ParseError`]).

pub mod html;
pub mod quote;

use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders, PartType};

/// Why bytes are not a mail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the message is empty")]
    Empty,
    #[error("this is not an e-mail message (no header fields)")]
    NotMail,
}

/// A file that came with the message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Decoded file name (RFC 2047/2231), or `""` when the part has none.
    pub filename: String,
    /// `type/subtype`, lower-case, as declared.
    pub content_type: String,
    /// Shown in the text (`Content-Disposition: inline` or a `cid:` image).
    pub inline: bool,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // Never the bytes (or the name: it is user text, not yet redacted).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("content_type", &self.content_type)
            .field("inline", &self.inline)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Who (or what) wrote the message, for loop prevention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A person: may open or continue a ticket and be answered.
    Person,
    /// An automatic reply (out of office, vacation, "we got your mail"): never answered.
    AutoReply(&'static str),
    /// Mass mail (a list, a newsletter, `Precedence: bulk`): never answered.
    Bulk(&'static str),
    /// A delivery failure report.
    Bounce(Bounce),
}

impl Class {
    /// A stable key for logs and notes: `person`, `auto_reply`, `bulk`, `bounce`.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Class::Person => "person",
            Class::AutoReply(_) => "auto_reply",
            Class::Bulk(_) => "bulk",
            Class::Bounce(_) => "bounce",
        }
    }

    /// Which header or rule decided it (`auto-submitted`, `precedence`, `list-id`…).
    #[must_use]
    pub fn reason(&self) -> &'static str {
        match self {
            Class::Person => "",
            Class::AutoReply(r) | Class::Bulk(r) => r,
            Class::Bounce(b) => b.reason,
        }
    }

    /// Whether the desk may ever answer it.
    #[must_use]
    pub fn may_answer(&self) -> bool {
        matches!(self, Class::Person)
    }
}

/// What a bounce says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bounce {
    /// The recipients whose delivery failed (`Final-Recipient`, lower-case), from a DSN.
    pub recipients: Vec<String>,
    /// The first failed recipient's `Status` (`5.1.1`).
    pub status: Option<String>,
    /// `delivery-status` (a DSN) or `mailer-daemon` (a sender that only bounces).
    pub reason: &'static str,
    /// The bounced message's own ids and recipients (from the returned headers), to find the
    /// ticket the bounced mail was about.
    pub original_message_id: Option<String>,
    pub original_recipients: Vec<String>,
}

/// Something that was wrong with the message; it was still read as far as it could be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `multipart/*` without a `boundary`: the body is read as one text.
    MissingBoundary,
    /// A charset no decoder knows: read as UTF-8/Latin-1 where possible.
    UnknownCharset(String),
    /// Base64 or quoted-printable that does not decode (a truncated message).
    BrokenEncoding,
    /// No text at all could be found.
    NoText,
}

impl Problem {
    /// A stable key (for notes and logs).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Problem::MissingBoundary => "missing_boundary",
            Problem::UnknownCharset(_) => "unknown_charset",
            Problem::BrokenEncoding => "broken_encoding",
            Problem::NoText => "no_text",
        }
    }
}

/// A parsed inbound message. Every string is user text, not yet redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Inbound {
    /// The sender's address (`From`, else `Sender`), as written.
    pub from: Option<String>,
    pub subject: String,
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To` then `References` ids (newest first), without angle brackets.
    pub replied_ids: Vec<String>,
    /// To, Cc, Delivered-To and X-Original-To addresses.
    pub recipients: Vec<String>,
    /// The whole text (`text/plain`, else from the HTML).
    pub text: String,
    /// The text with quoted history and signatures cut.
    pub new_text: String,
    pub quote_cut: bool,
    pub signature_cut: bool,
    /// The text came from HTML (there was no `text/plain`).
    pub from_html: bool,
    pub attachments: Vec<Attachment>,
    pub class: Class,
    pub problems: Vec<Problem>,
}

impl std::fmt::Debug for Inbound {
    // User text is left out: a Debug print must never log a phrase.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbound")
            .field("message_id", &self.message_id)
            .field("text_len", &self.text.len())
            .field("attachments", &self.attachments)
            .field("class", &self.class)
            .field("problems", &self.problems)
            .finish_non_exhaustive()
    }
}

impl Inbound {
    /// The reply tags among the recipients, for addresses written from `pattern`.
    pub fn reply_tags<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.recipients
            .iter()
            .filter_map(move |r| crate::reply_tag::tag_in(pattern, r))
    }

    /// The ticket number in the subject, if any ([`ticket_number`]).
    #[must_use]
    pub fn subject_ticket(&self) -> Option<i64> {
        ticket_number(&self.subject)
    }
}

/// Reads one message (see the module doc).
///
/// # Errors
/// Empty input, or bytes without a header section.
pub fn parse(raw: &[u8]) -> Result<Inbound, ParseError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    if !starts_with_header(raw) {
        return Err(ParseError::NotMail);
    }
    let msg = MessageParser::default()
        .parse(raw)
        .ok_or(ParseError::NotMail)?;
    let mut problems = Vec::new();

    let root = msg.root_part();
    if let Some(ct) = root.content_type()
        && ct.ctype().eq_ignore_ascii_case("multipart")
        && ct.attribute("boundary").is_none()
    {
        problems.push(Problem::MissingBoundary);
    }
    for part in &msg.parts {
        if part.is_encoding_problem && !problems.contains(&Problem::BrokenEncoding) {
            problems.push(Problem::BrokenEncoding);
        }
        if let Some(cs) = part.content_type().and_then(|c| c.attribute("charset"))
            && !known_charset(cs)
        {
            let p = Problem::UnknownCharset(cs.chars().take(40).collect());
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
    }

    // Text: the first text/plain body, else the first HTML body as text.
    let plain = msg.text_body.iter().find_map(|&id| {
        let p = msg.parts.get(id as usize)?;
        match &p.body {
            PartType::Text(t) => Some(t.to_string()),
            _ => None,
        }
    });
    let (text, from_html) = match plain {
        Some(t) if !t.trim().is_empty() => (t, false),
        _ => {
            let html = msg.html_body.iter().find_map(|&id| {
                let p = msg.parts.get(id as usize)?;
                match &p.body {
                    PartType::Html(h) => Some(html::to_text(h)),
                    _ => None,
                }
            });
            match html {
                Some(h) => (h, true),
                None => (String::new(), false),
            }
        }
    };
    let mut text = text.replace("\r\n", "\n").trim().to_owned();
    // A text part whose transfer encoding broke (a truncated base64): mail-parser hands back
    // the encoded text; decode what is whole.
    let mut salvaged: Vec<u32> = Vec::new();
    if text.is_empty() {
        for (i, p) in msg.parts.iter().enumerate() {
            let is_text = p
                .content_type()
                .is_none_or(|c| c.ctype().eq_ignore_ascii_case("text"));
            if !p.is_encoding_problem || !is_text {
                continue;
            }
            let encoded: &[u8] = match &p.body {
                PartType::Text(t) | PartType::Html(t) => t.as_bytes(),
                PartType::Binary(b) | PartType::InlineBinary(b) => b,
                _ => continue,
            };
            let bytes = if p
                .content_transfer_encoding()
                .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
            {
                base64_prefix(encoded)
            } else {
                encoded.to_vec()
            };
            let charset = p.content_type().and_then(|c| c.attribute("charset"));
            let decoded = charset
                .and_then(|cs| mail_parser::decoders::charsets::map::charset_decoder(cs.as_bytes()))
                .map_or_else(
                    || String::from_utf8_lossy(&bytes).into_owned(),
                    |d| d(&bytes),
                );
            if !decoded.trim().is_empty() {
                text = decoded.replace("\r\n", "\n").trim().to_owned();
                salvaged.push(u32::try_from(i).unwrap_or(u32::MAX));
                break;
            }
        }
    }
    if text.is_empty() && problems.contains(&Problem::MissingBoundary) {
        // Without a boundary the parts cannot be told apart: the body as written is the most
        // that can be read.
        text = String::from_utf8_lossy(body_of(raw))
            .replace("\r\n", "\n")
            .trim()
            .to_owned();
    }
    if text.is_empty() {
        problems.push(Problem::NoText);
    }
    let cut = quote::cut(&text);

    let mut attachments = Vec::new();
    for &id in &msg.attachments {
        if salvaged.contains(&id) {
            continue;
        }
        let Some(p) = msg.parts.get(id as usize) else {
            continue;
        };
        let bytes: Vec<u8> = match &p.body {
            PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
            PartType::Text(t) | PartType::Html(t) => t.as_bytes().to_vec(),
            PartType::Message(m) => m.raw_message.to_vec(),
            PartType::Multipart(_) => continue,
        };
        let content_type = p.content_type().map_or_else(
            || "application/octet-stream".to_owned(),
            |c| {
                format!("{}/{}", c.ctype(), c.subtype().unwrap_or("octet-stream"))
                    .to_ascii_lowercase()
            },
        );
        // A DSN's machine-readable parts are not files from a person.
        if matches!(
            content_type.as_str(),
            "message/delivery-status" | "text/rfc822-headers" | "message/disposition-notification"
        ) {
            continue;
        }
        let inline = matches!(p.body, PartType::InlineBinary(_))
            || p.content_disposition()
                .is_some_and(mail_parser::ContentType::is_inline)
            || p.content_id().is_some();
        attachments.push(Attachment {
            filename: p.attachment_name().unwrap_or("").trim().to_owned(),
            content_type,
            inline,
            bytes,
        });
    }

    let from = msg
        .from()
        .or_else(|| msg.sender())
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_owned);
    let mut recipients: Vec<String> = Vec::new();
    for a in [msg.to(), msg.cc()].into_iter().flatten() {
        push_addresses(&mut recipients, a);
    }
    for name in ["Delivered-To", "X-Original-To", "Envelope-To"] {
        for v in msg.header_values(name) {
            if let Some(t) = header_text(v) {
                for a in t.split(',') {
                    let a = a.trim().trim_start_matches('<').trim_end_matches('>');
                    if a.contains('@') && !recipients.iter().any(|r| r.eq_ignore_ascii_case(a)) {
                        recipients.push(a.to_owned());
                    }
                }
            }
        }
    }
    let mut replied_ids = ids(msg.in_reply_to());
    for id in ids(msg.references()).into_iter().rev() {
        if !replied_ids.contains(&id) {
            replied_ids.push(id);
        }
    }

    let class = classify(&msg, from.as_deref());
    Ok(Inbound {
        from,
        subject: msg.subject().unwrap_or("").trim().to_owned(),
        message_id: msg.message_id().map(|s| s.trim().to_owned()),
        replied_ids,
        recipients,
        text,
        new_text: cut.text,
        quote_cut: cut.quote,
        signature_cut: cut.signature,
        from_html,
        attachments,
        class,
        problems,
    })
}

/// The first line of a mail is a header field (`Name: value`, or an mbox `From ` line).
fn starts_with_header(raw: &[u8]) -> bool {
    let start = raw
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(0);
    let line = &raw[start..];
    if line.starts_with(b"From ") {
        return true;
    }
    let name_len = line
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    name_len > 0 && line.get(name_len) == Some(&b':')
}

/// Base64 decoded up to the last whole group (what arrived of a truncated part).
fn base64_prefix(encoded: &[u8]) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        }))
    }
    let mut out = Vec::with_capacity(encoded.len() / 4 * 3);
    let (mut acc, mut n) = (0u32, 0);
    for &c in encoded {
        let Some(v) = value(c) else {
            if c == b'=' {
                break;
            }
            continue;
        };
        acc = (acc << 6) | v;
        n += 1;
        if n == 4 {
            out.extend_from_slice(&acc.to_be_bytes()[1..]);
            acc = 0;
            n = 0;
        }
    }
    // A partial group still holds whole bytes (2 chars → 1 byte, 3 → 2).
    if n >= 2 {
        let bits = n * 6;
        let acc = acc << (24 - bits);
        out.extend_from_slice(&acc.to_be_bytes()[1..=(bits / 8)]);
    }
    out
}

/// The bytes after the header section.
fn body_of(raw: &[u8]) -> &[u8] {
    let crlf = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    let at = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(raw.len()),
    };
    &raw[at..]
}

fn known_charset(cs: &str) -> bool {
    let l = cs.trim().to_ascii_lowercase();
    matches!(l.as_str(), "utf-8" | "utf8" | "us-ascii")
        || mail_parser::decoders::charsets::map::charset_decoder(l.as_bytes()).is_some()
}

fn header_text<'a>(v: &'a HeaderValue<'_>) -> Option<&'a str> {
    match v {
        HeaderValue::Text(t) => Some(t.as_ref()),
        HeaderValue::TextList(l) => l.first().map(AsRef::as_ref),
        _ => None,
    }
}

fn push_addresses(out: &mut Vec<String>, a: &Address<'_>) {
    for addr in a.iter() {
        if let Some(s) = addr.address()
            && !out.iter().any(|r| r.eq_ignore_ascii_case(s))
        {
            out.push(s.to_owned());
        }
    }
}

fn ids(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![t.trim().to_owned()],
        HeaderValue::TextList(l) => l.iter().map(|s| s.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// Loop and junk rules (RFC 3834, RFC 2369/2919, RFC 3464), first match wins.
fn classify(msg: &mail_parser::Message<'_>, from: Option<&str>) -> Class {
    let raw = |name: &str| msg.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    // A DSN: multipart/report; report-type=delivery-status.
    if let Some(ct) = msg.root_part().content_type()
        && ct.ctype().eq_ignore_ascii_case("multipart")
        && ct
            .subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        && ct
            .attribute("report-type")
            .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    {
        return Class::Bounce(dsn(msg));
    }
    let local = from
        .and_then(|f| f.rsplit_once('@'))
        .map(|(l, _)| l.to_ascii_lowercase());
    let return_path_empty = msg
        .header_raw("Return-Path")
        .is_some_and(|v| v.trim() == "<>" || v.trim().is_empty());
    if matches!(local.as_deref(), Some("mailer-daemon" | "postmaster")) {
        return Class::Bounce(Bounce {
            reason: "mailer-daemon",
            ..Bounce::default()
        });
    }
    if let Some(v) = raw("Auto-Submitted")
        && v != "no"
    {
        return Class::AutoReply("auto-submitted");
    }
    if raw("X-Autoreply").is_some() || raw("X-Autorespond").is_some() {
        return Class::AutoReply("x-autoreply");
    }
    if raw("X-Auto-Response-Suppress").is_some_and(|v| v.contains("all") || v.contains("oof")) {
        return Class::AutoReply("x-auto-response-suppress");
    }
    if let Some(p) = raw("Precedence") {
        match p.as_str() {
            "bulk" | "list" | "junk" => return Class::Bulk("precedence"),
            "auto_reply" => return Class::AutoReply("precedence"),
            _ => {}
        }
    }
    if msg.header_raw("List-Id").is_some() {
        return Class::Bulk("list-id");
    }
    if msg.header_raw("List-Unsubscribe").is_some() {
        return Class::Bulk("list-unsubscribe");
    }
    if return_path_empty {
        return Class::AutoReply("null-return-path");
    }
    Class::Person
}

/// The failed recipients and status of a DSN (RFC 3464), and the returned message's headers.
fn dsn(msg: &mail_parser::Message<'_>) -> Bounce {
    let mut b = Bounce {
        reason: "delivery-status",
        ..Bounce::default()
    };
    for part in &msg.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let ty = format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase();
        match ty.as_str() {
            "message/delivery-status" | "message/global-delivery-status" => {
                let body = String::from_utf8_lossy(part.contents()).into_owned();
                // Per-recipient blocks: the recipient, then its action and status.
                let mut recipient: Option<String> = None;
                for line in body.lines() {
                    let Some((name, value)) = line.split_once(':') else {
                        continue;
                    };
                    let value = value.trim();
                    match name.trim().to_ascii_lowercase().as_str() {
                        "final-recipient" | "original-recipient" if recipient.is_none() => {
                            let addr = value.rsplit(';').next().unwrap_or(value).trim();
                            recipient = Some(addr.trim_matches(['<', '>']).to_ascii_lowercase());
                        }
                        "action" => {
                            if let Some(r) = recipient.take()
                                && value.eq_ignore_ascii_case("failed")
                                && !b.recipients.contains(&r)
                            {
                                b.recipients.push(r);
                            }
                        }
                        "status" if b.status.is_none() && value.starts_with(['4', '5']) => {
                            b.status =
                                Some(value.split_whitespace().next().unwrap_or("").to_owned());
                        }
                        _ => {}
                    }
                }
            }
            "text/rfc822-headers" => {
                let headers = part.contents().to_vec();
                if let Some(m) = MessageParser::default().parse_headers(&headers[..]) {
                    original(&mut b, &m);
                }
            }
            _ => {}
        }
        if let PartType::Message(m) = &part.body {
            original(&mut b, m);
        }
    }
    b
}

fn original(b: &mut Bounce, m: &mail_parser::Message<'_>) {
    if b.original_message_id.is_none() {
        b.original_message_id = m.message_id().map(str::to_owned);
    }
    for a in [m.to(), m.reply_to(), m.from()].into_iter().flatten() {
        push_addresses(&mut b.original_recipients, a);
    }
}

/// The ticket number in a subject: `[Ticket #12]`, `[工单 #12]`, `[#12]`, `Ticket #12`,
/// `工单 12`, `工单#12` — a `#` or the word "ticket"/"工单" (or 工單) right before the digits. A
/// bare number is not one (a subject "sent 100 USDT" names no ticket).
#[must_use]
pub fn ticket_number(subject: &str) -> Option<i64> {
    let chars: Vec<char> = subject.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let end = (i..chars.len())
                .find(|&k| !chars[k].is_ascii_digit())
                .unwrap_or(chars.len());
            let digits: String = chars[i..end].iter().collect();
            let before: String = chars[..i].iter().collect();
            let before = before.trim_end();
            let after_ok = chars
                .get(end)
                .is_none_or(|c| !c.is_alphanumeric() || !c.is_ascii());
            let named = before.ends_with('#') || {
                let b = before.to_lowercase();
                b.ends_with("ticket") || b.ends_with("工单") || b.ends_with("工單")
            };
            if named && after_ok && digits.len() <= 18 {
                return digits.parse().ok();
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_in_subjects() {
        assert_eq!(ticket_number("Re: [Ticket #12] USDT not arrived"), Some(12));
        assert_eq!(ticket_number("回复：[工单 #345] 转账失败"), Some(345));
        assert_eq!(ticket_number("Re: [#7]"), Some(7));
        assert_eq!(ticket_number("关于工单 88 的问题"), Some(88));
        assert_eq!(ticket_number("ticket 9"), Some(9));
        assert_eq!(ticket_number("sent 100 USDT, fee 2"), None);
        assert_eq!(ticket_number("#12abc"), None);
        assert_eq!(ticket_number(""), None);
    }

    #[test]
    fn not_mail() {
        assert_eq!(parse(b""), Err(ParseError::Empty));
        assert_eq!(parse(b" \r\n"), Err(ParseError::Empty));
        assert_eq!(
            parse(b"hello there, this is text"),
            Err(ParseError::NotMail)
        );
        assert_eq!(parse(b"\x89PNG\r\n\x1a\n"), Err(ParseError::NotMail));
        assert!(parse(b"Subject: hi\r\n\r\nbody").is_ok());
    }

    #[test]
    fn debug_never_shows_text() {
        let m = parse(b"From: a@b.c\r\nSubject: secret words\r\n\r\nabandon ability").unwrap();
        let d = format!("{m:?}");
        assert!(!d.contains("abandon") && !d.contains("secret words"), "{d}");
    }
}
