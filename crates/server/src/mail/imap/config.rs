//! The IMAP keys of `[mail]` (fetching inbound mail) and the `imap://` URL they start from.
//!
//! Kept apart from `config.rs` so that the outbound settings (SMTP) and these can grow without
//! touching each other: `MailConfig` flattens [`ImapConfig`] into the one `[mail]` table, and
//! both parse their URLs with `mail::url::MailUrl`.

use std::time::Duration;

use serde::Deserialize;

/// The IMAP keys of `[mail]` in `walletdesk.toml`. With `imap_url` empty, nothing is fetched.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ImapConfig {
    /// `imaps://user:pass@host[:port]/FOLDER` (implicit TLS), or `imap://…` (STARTTLS, which
    /// is required unless the host is loopback). The folder defaults to `INBOX`. User name and
    /// password are percent-decoded. Never printed with its password.
    pub imap_url: String,
    /// Where imported messages go (`/` is replaced by the server's hierarchy separator); it is
    /// created when missing.
    pub imported_folder: String,
    /// A message that held a secret is deleted and expunged after import, so the mailbox does
    /// not keep what the desk refuses to keep.
    pub delete_secret_mail: bool,
    /// Other imported messages are moved to `imported_folder` (off: they stay, marked with the
    /// keyword `$WalletdeskImported`, and are not imported again).
    pub move_imported: bool,
    /// How often to look for new mail when the server has no IDLE; with IDLE, how often the
    /// wait is renewed (seconds).
    pub imap_poll_secs: u64,
}

impl Default for ImapConfig {
    fn default() -> Self {
        ImapConfig {
            imap_url: String::new(),
            imported_folder: "walletdesk/imported".into(),
            delete_secret_mail: true,
            move_imported: true,
            imap_poll_secs: 60,
        }
    }
}

impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapConfig")
            .field("imap_url", &crate::config::redact_url(&self.imap_url))
            .field("imported_folder", &self.imported_folder)
            .field("delete_secret_mail", &self.delete_secret_mail)
            .field("move_imported", &self.move_imported)
            .field("imap_poll_secs", &self.imap_poll_secs)
            .finish()
    }
}

/// The environment variables, without `WALLETDESK_`.
pub const IMAP_ENV: &[&str] = &[
    "IMAP_URL",
    "IMAP_IMPORTED_FOLDER",
    "IMAP_DELETE_SECRET_MAIL",
    "IMAP_MOVE_IMPORTED",
    "IMAP_POLL_SECS",
];

impl ImapConfig {
    /// `WALLETDESK_IMAP_<FIELD>`: `field` is the part after `IMAP_`.
    ///
    /// # Errors
    /// An unknown field or a malformed value.
    pub fn set(&mut self, field: &str, value: &str) -> Result<(), String> {
        let flag = |v: &str| match v.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err("expected true or false".to_owned()),
        };
        match field {
            "URL" => self.imap_url = value.to_owned(),
            "IMPORTED_FOLDER" => self.imported_folder = value.to_owned(),
            "DELETE_SECRET_MAIL" => self.delete_secret_mail = flag(value)?,
            "MOVE_IMPORTED" => self.move_imported = flag(value)?,
            "POLL_SECS" => {
                self.imap_poll_secs = value.trim().parse().map_err(|e| format!("{e}"))?;
            }
            _ => {
                return Err(format!(
                    "unknown IMAP setting; known: {}",
                    IMAP_ENV.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// What serde cannot check; `Ok(None)` when IMAP is not configured.
    ///
    /// # Errors
    /// A malformed URL, an empty folder name, a zero interval.
    pub fn settings(&self) -> Result<Option<Settings>, String> {
        if self.imap_url.trim().is_empty() {
            return Ok(None);
        }
        let url = ImapUrl::parse(self.imap_url.trim())?;
        if self.move_imported && self.imported_folder.trim().is_empty() {
            return Err("mail.imported_folder is empty".into());
        }
        if !self
            .imported_folder
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%' | '*') || c == ' ')
        {
            return Err(
                "mail.imported_folder may only hold ASCII letters, digits, spaces and punctuation other than \" \\ % *"
                    .into(),
            );
        }
        if self.imap_poll_secs == 0 {
            return Err("mail.imap_poll_secs must be more than 0".into());
        }
        Ok(Some(Settings {
            url,
            imported_folder: self.imported_folder.trim().to_owned(),
            delete_secret_mail: self.delete_secret_mail,
            move_imported: self.move_imported,
            poll: Duration::from_secs(self.imap_poll_secs),
        }))
    }
}

/// Everything the fetcher needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub url: ImapUrl,
    pub imported_folder: String,
    pub delete_secret_mail: bool,
    pub move_imported: bool,
    pub poll: Duration,
}

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `imaps://`: TLS from the first byte.
    Tls,
    /// `imap://` to another host: STARTTLS, and the connection is refused without it.
    StartTls,
    /// `imap://` to a loopback address: plain (a local Dovecot, a test server).
    Plain,
}

/// A parsed `imap://` or `imaps://` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapUrl {
    pub security: Security,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub folder: String,
}

impl std::fmt::Debug for ImapUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapUrl")
            .field("security", &self.security)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"***")
            .field("folder", &self.folder)
            .finish()
    }
}

impl ImapUrl {
    /// # Errors
    /// Not `imap://` or `imaps://`, no user or host, a bad port or percent escape.
    pub fn parse(url: &str) -> Result<ImapUrl, String> {
        let u = crate::mail::url::MailUrl::parse(url, &["imap", "imaps"])
            .map_err(|e| format!("the IMAP URL: {e}"))?;
        let tls = u.scheme == "imaps";
        let security = if tls {
            Security::Tls
        } else if u.is_loopback() {
            Security::Plain
        } else {
            Security::StartTls
        };
        if let Some(opt) = u.options.first() {
            return Err(format!("the IMAP URL: unknown option {opt:?}"));
        }
        let user = u
            .user
            .filter(|u| !u.is_empty())
            .ok_or("the IMAP URL has no user (imap://user:password@host/FOLDER)")?;
        let folder = if u.path.is_empty() {
            "INBOX".to_owned()
        } else {
            u.path
        };
        Ok(ImapUrl {
            security,
            port: u.port.unwrap_or(if tls { 993 } else { 143 }),
            host: u.host,
            user,
            password: u.password.unwrap_or_default(),
            folder,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_with_their_defaults_and_security() {
        let u =
            ImapUrl::parse("imaps://desk%40example.org:p%3Ass@mail.example.org/Support").unwrap();
        assert_eq!(u.security, Security::Tls);
        assert_eq!(
            (u.host.as_str(), u.port, u.user.as_str()),
            ("mail.example.org", 993, "desk@example.org")
        );
        assert_eq!(
            (u.password.as_str(), u.folder.as_str()),
            ("p:ss", "Support")
        );

        let u = ImapUrl::parse("imap://desk:pw@mail.example.org").unwrap();
        assert_eq!((u.security, u.port), (Security::StartTls, 143));
        assert_eq!(u.folder, "INBOX");

        for local in ["127.0.0.1:1143", "localhost", "[::1]:1143"] {
            let u = ImapUrl::parse(&format!("imap://desk:pw@{local}/INBOX")).unwrap();
            assert_eq!(u.security, Security::Plain, "{local}");
        }
        assert_eq!(ImapUrl::parse("imap://a:b@[::1]:1143").unwrap().host, "::1");
    }

    #[test]
    fn bad_urls_are_refused_with_a_reason() {
        for bad in [
            "http://a:b@host/INBOX",
            "imap://host/INBOX",
            "imap://:pw@host",
            "imap://a:b@host:0",
            "imap://a:b@host:99999",
            "imap://a:b@host:x",
            "imap://a:b@/INBOX",
            "imap://a:%zz@host",
        ] {
            assert!(ImapUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_password_is_never_printed() {
        let c = ImapConfig {
            imap_url: "imaps://desk:hunter2@mail.example.org/INBOX".into(),
            ..ImapConfig::default()
        };
        let s = c.settings().unwrap().unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.url.password, "hunter2");
    }

    #[test]
    fn environment_fields_are_set_and_unknown_ones_refused() {
        let mut c = ImapConfig::default();
        assert!(c.settings().unwrap().is_none());
        c.set("URL", "imap://a:b@127.0.0.1:1143/INBOX").unwrap();
        c.set("MOVE_IMPORTED", "false").unwrap();
        c.set("POLL_SECS", "5").unwrap();
        let s = c.settings().unwrap().unwrap();
        assert!(!s.move_imported && s.delete_secret_mail);
        assert_eq!(s.poll, Duration::from_secs(5));
        assert!(c.set("MOVE_IMPORTED", "yes please").is_err());
        assert!(c.set("FOLDER", "x").is_err());
        c.set("POLL_SECS", "0").unwrap();
        assert!(c.settings().is_err());
    }

    /// When the outbound settings share `[mail]`, the two structs are one table: this is how
    /// they combine (`#[serde(flatten)]`), unknown keys still refused.
    #[test]
    fn flattened_into_a_mail_table_unknown_keys_are_still_refused() {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields, default)]
        struct Mail {
            smtp_url: String,
            #[serde(flatten)]
            imap: ImapConfig,
        }
        let m: Mail = toml::from_str(
            "smtp_url = \"smtp://x\"\nimap_url = \"imap://a:b@127.0.0.1/INBOX\"\nimap_poll_secs = 7\n",
        )
        .unwrap();
        assert_eq!(m.smtp_url, "smtp://x");
        assert_eq!(m.imap.imap_poll_secs, 7);
        assert!(m.imap.move_imported);
        assert!(toml::from_str::<Mail>("imap_poll_sec = 7\n").is_err());
    }
}

#[cfg(test)]
mod config_tests {
    use crate::Config;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_mail_table_and_the_environment_set_imap_and_bad_values_stop_start_up() {
        let c: Config = toml::from_str(
            "[mail]\nimap_url = \"imaps://desk:pw@mail.example.org/Support\"\nmove_imported = false\n",
        )
        .unwrap();
        let imap = c.imap_settings().unwrap().expect("IMAP on");
        assert!(!imap.move_imported);
        assert_eq!(imap.url.folder, "Support");
        assert!(c.sending_mail().is_none(), "IMAP alone sends nothing");
        c.check().expect("IMAP alone needs no smtp_url or from");
        // One table for both directions; unknown keys (and the old table) are refused.
        let c: Config = toml::from_str(
            "[mail]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"support@example.com\"\n\
             imap_url = \"imap://desk:pw@127.0.0.1:1143/INBOX\"\nimap_poll_secs = 5\n\
             trusted_authserv_id = \"mx.example\"\n",
        )
        .unwrap();
        c.check().unwrap();
        assert!(c.sending_mail().is_some());
        assert_eq!(
            c.imap_settings().unwrap().unwrap().poll,
            std::time::Duration::from_secs(5)
        );
        assert!(toml::from_str::<Config>("[mail]\nimap_urll = \"x\"\n").is_err());
        assert!(toml::from_str::<Config>("[mail_in]\nimap_url = \"x\"\n").is_err());

        let c = Config::load(
            None,
            env(&[
                ("WALLETDESK_IMAP_URL", "imap://desk:pw@127.0.0.1:1143/INBOX"),
                ("WALLETDESK_IMAP_POLL_SECS", "9"),
            ]),
        )
        .unwrap();
        assert_eq!(
            c.imap_settings().unwrap().unwrap().poll,
            std::time::Duration::from_secs(9)
        );
        assert!(c.sending_mail().is_none());
        assert!(!format!("{c:?}").contains(":pw@"));
        let err = Config::load(None, env(&[("WALLETDESK_IMAP_URL", "pop3://a:b@h")])).unwrap_err();
        assert!(err.to_string().contains("imap://"), "{err}");
        let err = Config::load(None, env(&[("WALLETDESK_IMAP_FOLDER", "x")])).unwrap_err();
        assert!(err.to_string().contains("IMAP_URL"), "{err}");
        assert!(
            Config::load(
                None,
                env(&[
                    ("WALLETDESK_IMAP_URL", "imap://a:b@127.0.0.1/INBOX"),
                    ("WALLETDESK_IMAP_IMPORTED_FOLDER", "a\"b"),
                ])
            )
            .is_err()
        );
    }
}
