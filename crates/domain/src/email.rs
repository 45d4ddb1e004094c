//! E-mail addresses, parsed once at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A syntactically plausible e-mail address, trimmed, with the domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// Why a string is not an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("no e-mail address was given")]
    Empty,
    #[error("an e-mail address is at most 254 characters")]
    TooLong,
    #[error("an e-mail address looks like name@example.com")]
    Malformed,
    /// The part before `@` is a private key (a WIF or 64 hex digits): refused rather than
    /// stored or mailed, since no one's mailbox is named after a key.
    #[error("this is not an e-mail address: the part before @ looks like a private key")]
    Secret,
}

impl EmailError {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email_missing",
            EmailError::TooLong => "email_too_long",
            EmailError::Malformed => "email_invalid",
            EmailError::Secret => "email_secret",
        }
    }
}

impl EmailAddress {
    /// The mailbox this address delivers to, for rate limits: lower-cased, without a
    /// `+tag` (`victim+1@` is `victim@`), and for Gmail without dots, which it ignores. Never
    /// used to send mail: only to count.
    #[must_use]
    pub fn mailbox_key(&self) -> String {
        let lower = self.0.to_lowercase();
        let Some((local, domain)) = lower.rsplit_once('@') else {
            return lower;
        };
        let local = local.split('+').next().unwrap_or(local);
        let local = if matches!(domain, "gmail.com" | "googlemail.com") {
            local.replace('.', "")
        } else {
            local.to_owned()
        };
        let domain = if domain == "googlemail.com" {
            "gmail.com"
        } else {
            domain
        };
        format!("{local}@{domain}")
    }

    /// # Errors
    /// [`EmailError`] says what is wrong.
    pub fn parse(s: &str) -> Result<EmailAddress, EmailError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(EmailError::Malformed);
        }
        // A key as the local part would be stored, shown and mailed as it is: refuse it. (The
        // whole address is checked too, for a key glued to the domain by a typo.)
        let secret = |t: &str| {
            wallet::redact::find_secrets(t, &wallet::RedactOptions::default())
                .map_or(true, |f| !f.is_empty())
        };
        if secret(local) || secret(s) {
            return Err(EmailError::Secret);
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&s)
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_keys_ignore_tags_case_and_gmail_dots() {
        let key = |s: &str| EmailAddress::parse(s).unwrap().mailbox_key();
        assert_eq!(key("Victim+1@Example.com"), "victim@example.com");
        assert_eq!(key("victim+a+b@example.com"), key("victim@example.com"));
        assert_eq!(key("v.i.c.tim+x@googlemail.com"), "victim@gmail.com");
        // Dots matter elsewhere.
        assert_ne!(key("v.ictim@example.com"), key("victim@example.com"));
    }

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(
            EmailAddress::parse(" Li.Wei+wallet@Example.COM ")
                .unwrap()
                .as_str(),
            "Li.Wei+wallet@example.com"
        );
        assert!(EmailAddress::parse("用户@例子.中国").is_ok());
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "",
            "a",
            "a@b",
            "@example.com",
            "a@.com",
            "a..b@example.com",
            "a b@example.com",
            "a@exa mple.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(EmailAddress::parse("").unwrap_err(), EmailError::Empty);
    }

    #[test]
    fn refuses_a_private_key_as_the_local_part() {
        for key in [
            "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",
            "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d",
        ] {
            assert_eq!(
                EmailAddress::parse(&format!("{key}@example.com")).unwrap_err(),
                EmailError::Secret,
                "{key}"
            );
        }
        assert!(EmailAddress::parse("satoshi.2009@example.com").is_ok());
        assert!(
            EmailAddress::parse("0x52908400098527886e0f7030069857d2e4169ee7@example.com").is_ok()
        );
    }
}
