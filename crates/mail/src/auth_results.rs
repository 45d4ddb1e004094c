//! `Authentication-Results` (RFC 8601): what the receiving MTA found when it checked SPF, DKIM
//! and DMARC for a message.
//!
//! Only headers from the one authserv-id the desk is configured to trust count: anyone can
//! write an `Authentication-Results: mx.example; dmarc=pass` into the mail they send, so a
//! header naming another id — or the trusted one, if the MTA did not strip look-alikes, which
//! RFC 8601 §5 asks of it — proves nothing by itself. The MTA adds its header on top, so the
//! first trusted header is the newest; within it, DKIM passes when any signature passed.

use std::fmt;

/// One method's result (RFC 8601 §2.7; unknown words are kept as [`Verdict::Other`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    None,
    TempError,
    PermError,
    Policy,
    Other,
}

impl Verdict {
    fn parse(word: &str) -> Verdict {
        match word.to_ascii_lowercase().as_str() {
            "pass" => Verdict::Pass,
            // `hardfail` is SPF's older spelling (RFC 4408).
            "fail" | "hardfail" => Verdict::Fail,
            "softfail" => Verdict::SoftFail,
            "neutral" => Verdict::Neutral,
            "none" => Verdict::None,
            "temperror" => Verdict::TempError,
            "permerror" => Verdict::PermError,
            "policy" => Verdict::Policy,
            _ => Verdict::Other,
        }
    }

    /// The word as RFC 8601 spells it (the same in every language: it is what MTAs print).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::SoftFail => "softfail",
            Verdict::Neutral => "neutral",
            Verdict::None => "none",
            Verdict::TempError => "temperror",
            Verdict::PermError => "permerror",
            Verdict::Policy => "policy",
            Verdict::Other => "other",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// SPF, DKIM and DMARC as the trusted MTA found them; `None` where it said nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthResults {
    pub spf: Option<Verdict>,
    pub dkim: Option<Verdict>,
    pub dmarc: Option<Verdict>,
}

impl AuthResults {
    /// Whether the trusted MTA said anything about the three.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spf.is_none() && self.dkim.is_none() && self.dmarc.is_none()
    }

    /// The `From` failed DMARC: the address may well be forged.
    #[must_use]
    pub fn dmarc_failed(&self) -> bool {
        self.dmarc == Some(Verdict::Fail)
    }
}

/// One parsed header: its authserv-id and each `method=result`, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub authserv_id: String,
    pub results: Vec<(String, Verdict)>,
}

/// Parses one header's value (unfolded or not). `None` when it has no authserv-id.
#[must_use]
pub fn parse_header(value: &str) -> Option<Header> {
    let text = strip_comments(value);
    let mut parts = split_outside_quotes(&text, ';').into_iter();
    let first = parts.next()?;
    // The authserv-id, maybe followed by a version number ("example.org 1").
    let authserv_id = first
        .split_whitespace()
        .next()?
        .trim_matches('"')
        .to_owned();
    if authserv_id.is_empty() {
        return None;
    }
    let mut results = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() || part.eq_ignore_ascii_case("none") {
            continue;
        }
        let Some((method, rest)) = part.split_once('=') else {
            continue;
        };
        // `method/version`: the version is not ours to judge.
        let method = method.split('/').next().unwrap_or("").trim();
        let result = rest.split_whitespace().next().unwrap_or("");
        if method.is_empty() || result.is_empty() {
            continue;
        }
        results.push((method.to_ascii_lowercase(), Verdict::parse(result)));
    }
    Some(Header {
        authserv_id,
        results,
    })
}

/// The results of the headers from `trusted` (compared without case), from a message's
/// `Authentication-Results` values in the order they appear (newest first). An empty
/// `trusted` trusts nothing.
#[must_use]
pub fn trusted_results<'a>(
    values: impl IntoIterator<Item = &'a str>,
    trusted: &str,
) -> AuthResults {
    let mut out = AuthResults::default();
    if trusted.trim().is_empty() {
        return out;
    }
    for header in values.into_iter().filter_map(parse_header) {
        if !header.authserv_id.eq_ignore_ascii_case(trusted.trim()) {
            continue;
        }
        for (method, verdict) in header.results {
            match method.as_str() {
                "spf" => {
                    out.spf.get_or_insert(verdict);
                }
                "dmarc" => {
                    out.dmarc.get_or_insert(verdict);
                }
                // One result per signature: the mail is signed when any one of them passed.
                "dkim" if out.dkim.is_none() || verdict == Verdict::Pass => {
                    out.dkim = Some(verdict);
                }
                _ => {}
            }
        }
        // The newest trusted header is the MTA's own; older ones came with the mail.
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// The `Authentication-Results` values of a raw message's header section, unfolded, in order.
#[must_use]
pub fn header_values(raw: &[u8]) -> Vec<String> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let mut values: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in head.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(v) = current.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some(v) = current.take() {
            values.push(v);
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("Authentication-Results")
        {
            current = Some(value.trim().to_owned());
        }
    }
    values.extend(current);
    values
}

/// The value without `( comments )` (nested, not inside quotes).
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == sep && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8601 Appendix B.2: nothing was checked.
    #[test]
    fn rfc8601_b2_none() {
        let h = parse_header("example.org 1; none").unwrap();
        assert_eq!(h.authserv_id, "example.org");
        assert!(h.results.is_empty());
    }

    /// RFC 8601 Appendix B.3: one SPF result with a comment and a property.
    #[test]
    fn rfc8601_b3_spf() {
        let h =
            parse_header("example.com;\r\n          spf=pass smtp.mailfrom=example.net").unwrap();
        assert_eq!(h.results, vec![("spf".to_owned(), Verdict::Pass)]);
    }

    /// RFC 8601 Appendix B.4: SMTP AUTH and SPF, with comments.
    #[test]
    fn rfc8601_b4_auth_and_spf() {
        let h = parse_header(
            "example.com;\r\n                  auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n                  spf=pass smtp.mailfrom=example.net",
        )
        .unwrap();
        assert_eq!(
            h.results,
            vec![
                ("auth".to_owned(), Verdict::Pass),
                ("spf".to_owned(), Verdict::Pass)
            ]
        );
    }

    /// RFC 8601 Appendix B.5: two headers from two hosts (the newest first); trusting one
    /// reads only its own.
    #[test]
    fn rfc8601_b5_two_hosts() {
        let values = [
            "example.com;\r\n              sender-id=fail header.from=example.com;\r\n              dkim=pass (good signature) header.d=example.com",
            "example.com;\r\n              auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n              spf=fail smtp.mailfrom=example.com",
        ];
        let r = trusted_results(values, "example.com");
        assert_eq!(r.dkim, Some(Verdict::Pass));
        assert_eq!(r.spf, None, "only the newest trusted header with results");
        assert_eq!(
            trusted_results(values, "mx.other.example"),
            AuthResults::default()
        );
    }

    /// RFC 8601 Appendix B.6: several DKIM signatures, one failed, one passed, with a version.
    #[test]
    fn rfc8601_b6_several_signatures() {
        let value = "example.com;\r\n          dkim=pass reason=\"good signature\"\r\n            header.i=@mail-router.example.net;\r\n          dkim=fail reason=\"bad signature\"\r\n            header.i=@newyork.example.com";
        let r = trusted_results([value], "example.com");
        assert_eq!(r.dkim, Some(Verdict::Pass));
        let h = parse_header("example.com; dkim/1=fail (bad; \"sig\") header.d=x").unwrap();
        assert_eq!(h.results, vec![("dkim".to_owned(), Verdict::Fail)]);
    }

    #[test]
    fn a_forged_header_from_the_sender_is_ignored_and_dmarc_failure_is_seen() {
        let raw = b"Authentication-Results: MX.Example;\r\n spf=softfail smtp.mailfrom=bank.example;\r\n dkim=none; dmarc=fail (p=reject) header.from=bank.example\r\n\
Authentication-Results: mx.example; dmarc=pass header.from=bank.example\r\n\
Authentication-Results: evil.example; dmarc=pass\r\n\
From: support@bank.example\r\nSubject: hi\r\n\r\nAuthentication-Results: mx.example; dmarc=pass\r\n";
        let values = header_values(raw);
        assert_eq!(values.len(), 3, "{values:?}");
        let r = trusted_results(values.iter().map(String::as_str), "mx.example");
        assert_eq!(
            r,
            AuthResults {
                spf: Some(Verdict::SoftFail),
                dkim: Some(Verdict::None),
                dmarc: Some(Verdict::Fail),
            }
        );
        assert!(r.dmarc_failed());
        // Nothing trusted, nothing read: not even the sender's own "pass".
        assert!(trusted_results(values.iter().map(String::as_str), "").is_empty());
        let r = trusted_results(values.iter().map(String::as_str), "evil.example");
        assert_eq!(r.dmarc, Some(Verdict::Pass));
    }

    #[test]
    fn junk_is_not_a_result() {
        assert_eq!(parse_header(""), None);
        assert_eq!(parse_header("(only a comment)"), None);
        let h = parse_header("mx.example; spf; =pass; dkim=; dmarc=weird").unwrap();
        assert_eq!(h.results, vec![("dmarc".to_owned(), Verdict::Other)]);
        assert_eq!(Verdict::parse("HardFail"), Verdict::Fail);
    }
}
