//! The one parser for the mail servers' URLs (`smtp://`, `smtps://`, `imap://`, `imaps://`):
//! user, password, host, port, path, options — and whether the host is loopback, which decides
//! if plain text is allowed. `config.rs` (SMTP) and `imap/config.rs` (IMAP) each turn the parts
//! into their own settings (defaults, TLS mode, what the path means).

use std::net::IpAddr;

/// A mail server URL taken apart. The password is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct MailUrl {
    /// The scheme as written (`smtp`, `imaps`…), lower-case.
    pub scheme: String,
    pub host: String,
    /// `None` when the URL has none (the caller's default).
    pub port: Option<u16>,
    /// Percent-decoded; `None` without a `user@`.
    pub user: Option<String>,
    pub password: Option<String>,
    /// Percent-decoded, without the leading and trailing `/` (the IMAP folder).
    pub path: String,
    /// The `&`-separated options after `?`, as written.
    pub options: Vec<String>,
}

impl std::fmt::Debug for MailUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailUrl")
            .field("scheme", &self.scheme)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("path", &self.path)
            .field("options", &self.options)
            .finish()
    }
}

impl MailUrl {
    /// Takes `url` apart; `schemes` are the ones the caller accepts.
    ///
    /// # Errors
    /// Another scheme, no host, a port that is not 1–65535, an unclosed `[`, a bad
    /// `%`-escape — each a one-line reason that never quotes the password.
    pub fn parse(url: &str, schemes: &[&str]) -> Result<MailUrl, String> {
        let want = || {
            schemes
                .iter()
                .map(|s| format!("{s}://"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let (scheme, rest) = url
            .trim()
            .split_once("://")
            .ok_or_else(|| format!("expected {}host", want()))?;
        let scheme = scheme.to_ascii_lowercase();
        if !schemes.contains(&scheme.as_str()) {
            return Err(format!("unknown scheme {scheme:?}: expected {}", want()));
        }
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, q),
            None => (rest, ""),
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        // The last `@`: a user name may be an address written out.
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (host, port) = split_host_port(hostport)?;
        if host.is_empty() {
            return Err("no host".into());
        }
        let port = port
            .map(|p| {
                p.parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| format!("bad port {p:?}: a number from 1 to 65535"))
            })
            .transpose()?;
        let (user, password) = match userinfo {
            Some(u) => {
                let (user, pass) = match u.split_once(':') {
                    Some((a, b)) => (a, Some(b)),
                    None => (u, None),
                };
                (
                    Some(percent_decode(user)?),
                    pass.map(percent_decode).transpose()?,
                )
            }
            None => (None, None),
        };
        Ok(MailUrl {
            scheme,
            host,
            port,
            user,
            password,
            path: percent_decode(path.trim_matches('/'))?,
            options: query
                .split('&')
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// The host is this machine: plain text may be allowed to it, never to a network.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

fn split_host_port(s: &str) -> Result<(String, Option<&str>), String> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or("unclosed [ in the host")?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or("bad text after ] in the host")?),
        };
        return Ok((host.to_owned(), port));
    }
    Ok(match s.rsplit_once(':') {
        Some((h, p)) => (h.to_owned(), Some(p)),
        None => (s.to_owned(), None),
    })
}

fn percent_decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("bad %-escape in the URL")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a %-escape in the URL is not UTF-8".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_taken_apart_and_decoded() {
        let u = MailUrl::parse(
            "IMAPS://desk%40example.org:p%3Ass@[::1]:993/Support/Inbox?x=1&y",
            &["imap", "imaps"],
        )
        .unwrap();
        assert_eq!(u.scheme, "imaps");
        assert_eq!((u.host.as_str(), u.port), ("::1", Some(993)));
        assert_eq!(u.user.as_deref(), Some("desk@example.org"));
        assert_eq!(u.password.as_deref(), Some("p:ss"));
        assert_eq!(u.path, "Support/Inbox");
        assert_eq!(u.options, ["x=1", "y"]);
        assert!(u.is_loopback());
        assert!(!format!("{u:?}").contains("p:ss"));
        let u = MailUrl::parse("smtp://mail.example.com", &["smtp"]).unwrap();
        assert_eq!((u.port, &u.user, &u.password), (None, &None, &None));
        assert!(!u.is_loopback());
    }

    #[test]
    fn bad_urls_say_why_without_the_password() {
        for bad in [
            "pop3://a:b@host",
            "host:25",
            "smtp://:25",
            "smtp://a:b@host:0",
            "smtp://a:b@host:99999",
            "smtp://a:b@host:x",
            "smtp://a:%zz@host",
            "smtp://[::1:25",
        ] {
            let err = MailUrl::parse(bad, &["smtp", "smtps"]).expect_err(bad);
            assert!(!err.contains("%zz") && !err.contains('\n'), "{err}");
        }
    }
}
