//! EIP-4361 (Sign-In with Ethereum) messages: parsed line by line per the EIP's ABNF, written
//! back byte for byte ([`Message`]'s `Display`).
//!
//! Checked while parsing: the domain is an RFC 3986 authority with a DNS name or IP host; the
//! address is EIP-55 mixed case; the statement is one line; the URI and every resource have an
//! RFC 3986 scheme and only URI characters; version `1`; the chain id is digits; the nonce is at
//! least 8 letters and digits; the times are RFC 3339; fields come in the EIP's order.

use std::fmt;

/// The prefix of a SIWE message's first line, after the domain.
pub const PREAMBLE: &str = " wants you to sign in with your Ethereum account:";

/// A parsed SIWE message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// `scheme://` before the domain, when present (without `://`).
    pub scheme: Option<String>,
    pub domain: String,
    pub address: String,
    pub statement: Option<String>,
    pub uri: String,
    pub version: String,
    pub chain_id: u64,
    pub nonce: String,
    pub issued_at: String,
    pub expiration_time: Option<String>,
    pub not_before: Option<String>,
    pub request_id: Option<String>,
    pub resources: Vec<String>,
}

/// Why a text is not a SIWE message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the first line must be \"<domain> wants you to sign in with your Ethereum account:\"")]
    Preamble,
    #[error("the domain is not a host name with an optional port")]
    Domain,
    #[error("the address line is not an EIP-55 checksummed address")]
    Address,
    #[error("the lines after the address are not laid out as EIP-4361 says")]
    Layout,
    #[error("expected the field \"{0}\" here")]
    Missing(&'static str),
    #[error("the field \"{0}\" has a value that is not allowed")]
    Value(&'static str),
    #[error("unexpected text after the last field")]
    Trailing,
}

impl Message {
    /// Whether `text` starts like a SIWE message (so a parse error is reported, not ignored).
    #[must_use]
    pub fn looks_like(text: &str) -> bool {
        text.lines().next().is_some_and(|l| l.ends_with(PREAMBLE))
    }

    /// Parses a message.
    ///
    /// # Errors
    /// [`ParseError`] names the first line or field that is wrong.
    pub fn parse(text: &str) -> Result<Message, ParseError> {
        let mut lines = text.split('\n').peekable();
        let first = lines.next().ok_or(ParseError::Preamble)?;
        let authority = first.strip_suffix(PREAMBLE).ok_or(ParseError::Preamble)?;
        let (scheme, domain) = match authority.split_once("://") {
            Some((s, d)) if is_scheme(s) => (Some(s.to_owned()), d),
            Some(_) => return Err(ParseError::Domain),
            None => (None, authority),
        };
        if !is_authority(domain) {
            return Err(ParseError::Domain);
        }
        let address = lines.next().ok_or(ParseError::Address)?;
        if !is_eip55(address) {
            return Err(ParseError::Address);
        }
        if lines.next() != Some("") {
            return Err(ParseError::Layout);
        }
        let statement = match lines.next() {
            Some("") => None,
            Some(s) if !s.starts_with("URI: ") => {
                if lines.next() != Some("") {
                    return Err(ParseError::Layout);
                }
                Some(s.to_owned())
            }
            _ => return Err(ParseError::Layout),
        };
        if statement
            .as_deref()
            .is_some_and(|s| s.chars().any(char::is_control))
        {
            return Err(ParseError::Value("statement"));
        }
        let mut field = |name: &'static str| -> Result<String, ParseError> {
            let line = lines.next().ok_or(ParseError::Missing(name))?;
            let value = line
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix(": "))
                .ok_or(ParseError::Missing(name))?;
            Ok(value.to_owned())
        };
        let uri = field("URI")?;
        if !is_uri(&uri) {
            return Err(ParseError::Value("URI"));
        }
        let version = field("Version")?;
        if version != "1" {
            return Err(ParseError::Value("Version"));
        }
        let chain_id = field("Chain ID")?;
        let chain_id = if chain_id.bytes().all(|b| b.is_ascii_digit()) {
            chain_id
                .parse()
                .map_err(|_| ParseError::Value("Chain ID"))?
        } else {
            return Err(ParseError::Value("Chain ID"));
        };
        let nonce = field("Nonce")?;
        if nonce.len() < 8 || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ParseError::Value("Nonce"));
        }
        let issued_at = field("Issued At")?;
        parse_time(&issued_at).ok_or(ParseError::Value("Issued At"))?;
        let mut message = Message {
            scheme,
            domain: domain.to_owned(),
            address: address.to_owned(),
            statement,
            uri,
            version,
            chain_id,
            nonce,
            issued_at,
            expiration_time: None,
            not_before: None,
            request_id: None,
            resources: Vec::new(),
        };
        let mut rest: Vec<&str> = lines.collect();
        // The optional fields, in order; each may be absent.
        let mut take = |name: &'static str| -> Option<String> {
            let line = rest.first()?;
            let value = line.strip_prefix(name)?.strip_prefix(": ")?.to_owned();
            rest.remove(0);
            Some(value)
        };
        message.expiration_time = take("Expiration Time");
        message.not_before = take("Not Before");
        message.request_id = take("Request ID");
        for (name, value) in [
            ("Expiration Time", &message.expiration_time),
            ("Not Before", &message.not_before),
        ] {
            if value.as_deref().is_some_and(|v| parse_time(v).is_none()) {
                return Err(ParseError::Value(name));
            }
        }
        if message
            .request_id
            .as_deref()
            .is_some_and(|r| !r.bytes().all(is_pchar))
        {
            return Err(ParseError::Value("Request ID"));
        }
        if rest.first() == Some(&"Resources:") {
            rest.remove(0);
            for line in rest.drain(..) {
                let r = line
                    .strip_prefix("- ")
                    .ok_or(ParseError::Value("Resources"))?;
                if !is_uri(r) {
                    return Err(ParseError::Value("Resources"));
                }
                message.resources.push(r.to_owned());
            }
        }
        if !rest.is_empty() {
            return Err(ParseError::Trailing);
        }
        Ok(message)
    }

    /// The expiration time, if any (parsed when the message was).
    #[must_use]
    pub fn expires(&self) -> Option<jiff::Timestamp> {
        self.expiration_time.as_deref().and_then(parse_time)
    }

    /// The not-before time, if any.
    #[must_use]
    pub fn not_before_time(&self) -> Option<jiff::Timestamp> {
        self.not_before.as_deref().and_then(parse_time)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.scheme {
            write!(f, "{s}://")?;
        }
        writeln!(f, "{}{PREAMBLE}", self.domain)?;
        writeln!(f, "{}", self.address)?;
        writeln!(f)?;
        if let Some(s) = &self.statement {
            writeln!(f, "{s}")?;
        }
        writeln!(f)?;
        writeln!(f, "URI: {}", self.uri)?;
        writeln!(f, "Version: {}", self.version)?;
        writeln!(f, "Chain ID: {}", self.chain_id)?;
        writeln!(f, "Nonce: {}", self.nonce)?;
        write!(f, "Issued At: {}", self.issued_at)?;
        if let Some(t) = &self.expiration_time {
            write!(f, "\nExpiration Time: {t}")?;
        }
        if let Some(t) = &self.not_before {
            write!(f, "\nNot Before: {t}")?;
        }
        if let Some(r) = &self.request_id {
            write!(f, "\nRequest ID: {r}")?;
        }
        if !self.resources.is_empty() {
            write!(f, "\nResources:")?;
            for r in &self.resources {
                write!(f, "\n- {r}")?;
            }
        }
        Ok(())
    }
}

/// An RFC 3339 date-time (`2021-09-30T16:25:24Z`, fractions and offsets allowed).
#[must_use]
pub fn parse_time(s: &str) -> Option<jiff::Timestamp> {
    // jiff also reads RFC 9557 suffixes (`[Europe/Paris]`); SIWE allows only RFC 3339.
    let b = s.as_bytes();
    if b.len() < 20 || b.get(10) != Some(&b'T') || s.contains('[') {
        return None;
    }
    s.parse().ok()
}

fn is_scheme(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

/// `[userinfo "@"] host [":" port]` with a DNS name, IPv4 or bracketed IPv6 host.
fn is_authority(s: &str) -> bool {
    let host_port = match s.rsplit_once('@') {
        Some((userinfo, rest)) => {
            if !userinfo
                .bytes()
                .all(|c| is_unreserved(c) || is_sub_delim(c) || c == b':' || c == b'%')
            {
                return false;
            }
            rest
        }
        None => s,
    };
    let (host, port) = if let Some(rest) = host_port.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return false;
        };
        if !v6
            .bytes()
            .all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.')
        {
            return false;
        }
        match after.strip_prefix(':') {
            Some(p) => ("v6", Some(p)),
            None if after.is_empty() => ("v6", None),
            None => return false,
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

/// An absolute URI: a scheme, `:`, then only characters RFC 3986 allows.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    is_scheme(scheme)
        && rest
            .bytes()
            .all(|c| is_unreserved(c) || is_sub_delim(c) || b":/?#[]@%".contains(&c))
}

fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(c: u8) -> bool {
    b"!$&'()*+,;=".contains(&c)
}

fn is_pchar(c: u8) -> bool {
    is_unreserved(c) || is_sub_delim(c) || matches!(c, b':' | b'@' | b'%')
}

/// `0x` and 40 hex digits in EIP-55 mixed case.
pub(crate) fn is_eip55(s: &str) -> bool {
    let Some(hex) = s.strip_prefix("0x") else {
        return false;
    };
    hex.len() == 40 && hex.bytes().all(|c| c.is_ascii_hexdigit()) && eip55(hex) == hex
}

/// The EIP-55 spelling of 40 hex digits (without `0x`).
pub(crate) fn eip55(hex: &str) -> String {
    let lower = hex.to_ascii_lowercase();
    let hash = crate::encoding::keccak256(lower.as_bytes());
    lower
        .char_indices()
        .map(|(i, c)| {
            let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0f;
            if c.is_ascii_alphabetic() && nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}
