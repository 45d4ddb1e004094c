//! `[mail]`: how the outbox leaves (SMTP), who it is from, where replies go, how often a failed
//! mail is tried again — and, in the same table, how inbound mail is fetched (IMAP:
//! `imap/config.rs`, flattened in). Without `smtp_url` the desk runs as before and queues mail
//! that nothing sends (the pages say so); without `imap_url` nothing is fetched.
//!
//! `WALLETDESK_SMTP_URL` (or `smtp_url`) is `smtp://user:pass@host:port` (STARTTLS required;
//! on a loopback host STARTTLS when offered, else plain), `smtps://…` (TLS from the first byte),
//! and `?tls=none` turns TLS off, for a loopback host only: a password never crosses a network
//! in the clear.

use std::path::PathBuf;

use serde::Deserialize;

/// The `[mail]` table.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// See the module documentation. Never printed with its password.
    pub smtp_url: String,
    /// The sender address (`support@example.com`); its domain is the Message-IDs' domain.
    pub from: String,
    /// The sender's display name; empty: the brand's name.
    pub from_name: String,
    /// Where replies go, with `{tag}` for the ticket's reply tag (`mail::reply_tag`), e.g.
    /// `support+{tag}@example.com`; empty: replies go to `from`.
    pub reply_to: String,
    /// Tries before a mail is failed (and shown to admins).
    pub max_attempts: u32,
    /// The wait after the first failed try; it doubles with each try (with jitter), up to
    /// `retry_max_secs`.
    pub retry_base_secs: u64,
    pub retry_max_secs: u64,
    /// How long a sender holds a claimed mail: a node that dies mid-send leaves the mail to
    /// others after this (it is then sent again: at-least-once).
    pub lease_secs: u64,
    /// Mails claimed at a time.
    pub batch: u32,
    /// How often the worker looks for due mail (milliseconds).
    pub poll_ms: u64,
    /// How long one SMTP conversation may take (seconds).
    pub timeout_secs: u64,
    /// Optional DKIM signing.
    pub dkim: Option<DkimSettings>,
    /// The authserv-id of the MTA in front of the desk (`mx.example`): its
    /// `Authentication-Results` on inbound mail are shown to agents (SPF, DKIM, DMARC; a
    /// `From` that failed DMARC is marked). Headers from any other id are ignored — a sender can
    /// write them. Empty: none are read.
    pub trusted_authserv_id: String,
    /// Inbound mail over IMAP (`imap_url`, `imported_folder`, …; `WALLETDESK_IMAP_*`).
    #[serde(flatten)]
    pub imap: super::imap::ImapConfig,
}

/// DKIM: `<selector>._domainkey.<domain>` holds the public key; `key_file` the private key
/// (PEM, RSA PKCS#1 or an Ed25519 seed in base64), owner-only.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DkimSettings {
    pub selector: String,
    pub domain: String,
    pub key_file: PathBuf,
    /// `rsa` (default) or `ed25519`.
    #[serde(default = "default_dkim_algorithm")]
    pub algorithm: String,
}

fn default_dkim_algorithm() -> String {
    "rsa".into()
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: String::new(),
            from: String::new(),
            from_name: String::new(),
            reply_to: String::new(),
            max_attempts: 8,
            retry_base_secs: 60,
            retry_max_secs: 6 * 3600,
            lease_secs: 300,
            batch: 20,
            poll_ms: 2000,
            timeout_secs: 30,
            dkim: None,
            trusted_authserv_id: String::new(),
            imap: super::imap::ImapConfig::default(),
        }
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &crate::config::redact_url(&self.smtp_url))
            .field("from", &self.from)
            .field("from_name", &self.from_name)
            .field("reply_to", &self.reply_to)
            .field("max_attempts", &self.max_attempts)
            .field("retry_base_secs", &self.retry_base_secs)
            .field("retry_max_secs", &self.retry_max_secs)
            .field("lease_secs", &self.lease_secs)
            .field("batch", &self.batch)
            .field("dkim", &self.dkim)
            .field("trusted_authserv_id", &self.trusted_authserv_id)
            .field("imap", &self.imap)
            .finish_non_exhaustive()
    }
}

impl MailConfig {
    /// `WALLETDESK_SMTP_URL`, `WALLETDESK_MAIL_FROM`, `WALLETDESK_MAIL_<FIELD>`.
    pub(crate) fn set(&mut self, key: &str, value: String) -> Result<(), String> {
        fn num<T: std::str::FromStr>(v: &str) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            v.trim().parse().map_err(|e| format!("{e}"))
        }
        match key {
            "SMTP_URL" => self.smtp_url = value,
            "MAIL_FROM" => self.from = value,
            "MAIL_FROM_NAME" => self.from_name = value,
            "MAIL_REPLY_TO" => self.reply_to = value,
            "MAIL_MAX_ATTEMPTS" => self.max_attempts = num(&value)?,
            "MAIL_RETRY_BASE_SECS" => self.retry_base_secs = num(&value)?,
            "MAIL_RETRY_MAX_SECS" => self.retry_max_secs = num(&value)?,
            "MAIL_LEASE_SECS" => self.lease_secs = num(&value)?,
            "MAIL_TRUSTED_AUTHSERV_ID" => self.trusted_authserv_id = value,
            _ => return Err(format!("unknown mail setting; known: {}", ENV.join(", "))),
        }
        Ok(())
    }

    /// Whether the outbox is sent: `smtp_url` is set (a `[mail]` with IMAP only fetches).
    #[must_use]
    pub fn sends(&self) -> bool {
        !self.smtp_url.trim().is_empty()
    }

    /// What serde cannot check.
    pub(crate) fn check(&self) -> Result<(), String> {
        self.imap.settings()?;
        if !self.sends() {
            return Ok(());
        }
        SmtpTarget::parse(&self.smtp_url).map_err(|e| format!("mail.smtp_url: {e}"))?;
        if !is_address(&self.from) {
            return Err(
                "mail.from must be an address like support@example.com (or WALLETDESK_MAIL_FROM)"
                    .into(),
            );
        }
        if !self.reply_to.is_empty()
            && (!self.reply_to.contains("{tag}")
                || !is_address(&self.reply_to.replace("{tag}", "t1.0")))
        {
            return Err(
                "mail.reply_to must be an address with {tag}, like support+{tag}@example.com"
                    .into(),
            );
        }
        if self.max_attempts == 0 || self.lease_secs == 0 || self.batch == 0 || self.poll_ms == 0 {
            return Err(
                "mail.max_attempts, lease_secs, batch and poll_ms must be more than 0".into(),
            );
        }
        if self.retry_base_secs == 0 || self.retry_max_secs < self.retry_base_secs {
            return Err(
                "mail.retry_base_secs must be more than 0 and at most retry_max_secs".into(),
            );
        }
        if let Some(d) = &self.dkim
            && (d.selector.is_empty()
                || d.domain.is_empty()
                || !matches!(d.algorithm.as_str(), "rsa" | "ed25519"))
        {
            return Err(
                "mail.dkim needs selector, domain, key_file and algorithm rsa or ed25519".into(),
            );
        }
        Ok(())
    }

    /// The Message-IDs' domain: the sender's.
    #[must_use]
    pub fn domain(&self) -> &str {
        mail::outbound::domain_of(&self.from).unwrap_or("walletdesk.invalid")
    }
}

pub(crate) const ENV: &[&str] = &[
    "SMTP_URL",
    "MAIL_FROM",
    "MAIL_FROM_NAME",
    "MAIL_REPLY_TO",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_BASE_SECS",
    "MAIL_RETRY_MAX_SECS",
    "MAIL_LEASE_SECS",
    "MAIL_TRUSTED_AUTHSERV_ID",
];

fn is_address(a: &str) -> bool {
    domain::EmailAddress::parse(a).is_ok()
}

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://` to another host: STARTTLS or no mail.
    StartTls,
    /// `smtp://` to a loopback host: STARTTLS when the server offers it.
    Opportunistic,
    /// `?tls=none` on a loopback host.
    None,
}

/// A parsed SMTP URL. The password is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTarget")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl SmtpTarget {
    /// # Errors
    /// A scheme other than `smtp`/`smtps`, no host, a bad port, an unknown option, or
    /// `tls=none` for a host that is not loopback.
    pub fn parse(url: &str) -> Result<SmtpTarget, String> {
        let u = super::url::MailUrl::parse(url, &["smtp", "smtps"])?;
        let loopback = u.is_loopback();
        let scheme = u.scheme.as_str();
        let mut security = match scheme {
            "smtp" if loopback => Security::Opportunistic,
            "smtp" => Security::StartTls,
            _ => Security::Implicit,
        };
        if !u.path.is_empty() {
            return Err("an SMTP URL has no path".into());
        }
        for opt in &u.options {
            match opt.as_str() {
                "tls=none" if loopback && scheme == "smtp" => security = Security::None,
                "tls=none" => {
                    return Err("tls=none is only for smtp:// to a loopback host".into());
                }
                "tls=starttls" if scheme == "smtp" => security = Security::StartTls,
                _ => return Err(format!("unknown option {opt:?}")),
            }
        }
        let port = u.port.unwrap_or(if security == Security::Implicit {
            465
        } else {
            587
        });
        Ok(SmtpTarget {
            host: u.host,
            port,
            security,
            user: u.user,
            password: u.password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_choose_tls_by_scheme_and_host() {
        let t = SmtpTarget::parse("smtp://me%40x.org:p%3Ass@mail.example.com:2525").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.security),
            ("mail.example.com", 2525, Security::StartTls)
        );
        assert_eq!(t.user.as_deref(), Some("me@x.org"));
        assert_eq!(t.password.as_deref(), Some("p:ss"));
        assert!(!format!("{t:?}").contains("p:ss"));
        let t = SmtpTarget::parse("smtps://mail.example.com").unwrap();
        assert_eq!((t.port, t.security), (465, Security::Implicit));
        let t = SmtpTarget::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(t.security, Security::Opportunistic);
        let t = SmtpTarget::parse("smtp://[::1]:2525?tls=none").unwrap();
        assert_eq!((t.host.as_str(), t.security), ("::1", Security::None));
        let t = SmtpTarget::parse("smtp://localhost:25?tls=starttls").unwrap();
        assert_eq!(t.security, Security::StartTls);
        for bad in [
            "smtp://mail.example.com?tls=none",
            "smtps://127.0.0.1?tls=none",
            "http://mail.example.com",
            "mail.example.com:25",
            "smtp://:25",
            "smtp://host:port",
            "smtp://host?x=1",
        ] {
            assert!(SmtpTarget::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_mail_table_is_checked() {
        let ok = MailConfig {
            smtp_url: "smtp://127.0.0.1:2525".into(),
            from: "support@example.com".into(),
            reply_to: "support+{tag}@example.com".into(),
            ..MailConfig::default()
        };
        assert_eq!(ok.check(), Ok(()));
        assert_eq!(ok.domain(), "example.com");
        let mut bad = ok.clone();
        bad.reply_to = "support@example.com".into();
        assert!(bad.check().is_err());
        let mut bad = ok.clone();
        bad.from = "nobody".into();
        assert!(bad.check().is_err());
        let mut bad = ok.clone();
        bad.max_attempts = 0;
        assert!(bad.check().is_err());
        let secret = MailConfig {
            smtp_url: "smtp://u:hunter2@mail.example.com".into(),
            ..ok
        };
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}
