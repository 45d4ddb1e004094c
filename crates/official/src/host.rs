//! Host names and URLs as a browser reads them, for comparing, not for fetching: scheme,
//! user-info (`https://lanternfish.example@evil.test` goes to `evil.test`), host (lower case,
//! trailing dots, `www.`, ports, IP literals, `xn--` labels decoded), path.

use crate::punycode;

/// A URL or bare host, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Lower case; `None` for a bare `host/path`.
    pub scheme: Option<String>,
    /// What stood before `@` in the authority, if anything.
    pub userinfo: Option<String>,
    /// ASCII host as written (lower case, trailing dots and `www.` removed, no port).
    pub host: String,
    /// The host as a person sees it: `xn--` labels decoded.
    pub unicode_host: String,
    /// Whether some label was `xn--` Punycode; `Some(false)` when one did not decode.
    pub punycode: Option<bool>,
    /// IPv4 (dotted or one number), or an IPv6 literal.
    pub ip: bool,
    /// Path with a leading `/` (empty for none), lower case, without query or fragment.
    pub path: String,
}

/// Splits `s` (already trimmed, NFKC-folded) as a URL. `None` when there is no usable host.
#[must_use]
pub fn parse(s: &str) -> Option<Url> {
    let (scheme, rest) = match s.find("://") {
        Some(i)
            if i > 0
                && s[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (Some(s[..i].to_ascii_lowercase()), &s[i + 3..])
        }
        _ => (None, s.strip_prefix("//").unwrap_or(s)),
    };
    // Browsers read `\` as `/` in http(s) URLs.
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(authority[..i].to_owned()), &authority[i + 1..]),
        None => (None, authority),
    };
    let (host, ipv6) = if let Some(inner) = hostport.strip_prefix('[') {
        (inner.split(']').next().unwrap_or_default(), true)
    } else {
        (
            hostport.rsplit_once(':').map_or(hostport, |(h, port)| {
                if port.chars().all(|c| c.is_ascii_digit()) {
                    h
                } else {
                    hostport
                }
            }),
            false,
        )
    };
    let host = percent_decode(host).to_lowercase();
    let host = host.trim_end_matches('.');
    let host = host.replace(['。', '．', '｡'], ".");
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let ip = ipv6 || is_ipv4(&host);
    let mut punycode_state = None;
    let unicode_host = if ip {
        host.clone()
    } else {
        host.split('.')
            .map(|label| match label.strip_prefix("xn--") {
                Some(p) => match punycode::decode(p) {
                    Some(d) => {
                        punycode_state.get_or_insert(true);
                        d
                    }
                    None => {
                        punycode_state = Some(false);
                        label.to_owned()
                    }
                },
                None => label.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(".")
    };
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let mut path = tail[..path_end].replace('\\', "/").to_lowercase();
    while path.ends_with('/') {
        path.pop();
    }
    Some(Url {
        scheme,
        userinfo,
        host,
        unicode_host,
        punycode: punycode_state,
        ip,
        path,
    })
}

/// Dotted IPv4, or the forms browsers also accept: one decimal or hex number (`3232235777`,
/// `0xc0a80001`), dotted parts in hex or octal.
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() <= 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p.chars().all(|c| c.is_ascii_digit())
                    || p.strip_prefix("0x")
                        .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())))
        })
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(h) = b.get(i + 1..i + 3)
            && let Ok(h) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(h, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Second-level names under which anyone registers (`example.co.uk`, `example.com.cn`): a short
/// list instead of the Public Suffix List, which would be data to keep current.
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go",
];

/// The registrable part of a host (`evil.test` for `lanternfish.example.evil.test`) and the
/// labels in front of it.
#[must_use]
pub fn registrable(host: &str) -> (String, Vec<String>) {
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    let keep = keep.min(n);
    (
        labels[n - keep..].join("."),
        labels[..n - keep].iter().map(|s| (*s).to_owned()).collect(),
    )
}

/// `(name, suffix)` of a registrable domain: `("lanternfish", "example")`,
/// `("lanternfish", "co.uk")`.
#[must_use]
pub fn split_name(registrable: &str) -> (&str, &str) {
    registrable.split_once('.').unwrap_or((registrable, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_reading() {
        let u = parse("HTTPS://WWW.Lanternfish.Example.:443/Help/?x=1#y").unwrap();
        assert_eq!(u.scheme.as_deref(), Some("https"));
        assert_eq!(u.host, "lanternfish.example");
        assert_eq!(u.path, "/help");
        let u = parse("https://lanternfish.example@evil.test/login").unwrap();
        assert_eq!(u.host, "evil.test");
        assert_eq!(u.userinfo.as_deref(), Some("lanternfish.example"));
        let u = parse("http://lanternfish.example\\@evil.test").unwrap();
        assert_eq!(
            u.host, "lanternfish.example",
            "backslash ends the authority"
        );
        assert!(parse("http://192.168.0.1/x").unwrap().ip);
        assert!(parse("http://3232235777/").unwrap().ip);
        assert!(parse("http://[::1]:8080/").unwrap().ip);
        let u = parse("xn--80ak6aa92e.com").unwrap();
        assert_eq!(u.unicode_host, "аррӏе.com");
        assert_eq!(u.punycode, Some(true));
    }

    #[test]
    fn registrable_parts() {
        assert_eq!(
            registrable("lanternfish.example.evil.test"),
            (
                "evil.test".to_owned(),
                vec!["lanternfish".to_owned(), "example".to_owned()]
            )
        );
        assert_eq!(registrable("a.b.co.uk").0, "b.co.uk");
        assert_eq!(registrable("localhost").0, "localhost");
        assert_eq!(split_name("lanternfish.co.uk"), ("lanternfish", "co.uk"));
    }
}
