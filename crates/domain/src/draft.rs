//! A ticket as a wallet user submits it, checked field by field.
//!
//! [`TicketDraft::validate`] is the one place where the form and the API turn raw input into a
//! ticket: it redacts every free-text field, parses the transaction hash and the address with the
//! wallet crate (so "this is a Bitcoin address, not a transaction hash" is said before anyone
//! has to ask), and reports every problem at once, one [`FieldError`] per field.

use serde::{Deserialize, Serialize};
use wallet::FieldHint;
use wallet::ident::{Address, Chain, IdentError, TxHash};

use crate::{Category, EmailAddress, Lang, Redacted, TicketField};

pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_SHORT_FIELD_CHARS: usize = 100;

/// `s` as one line of at most `max` characters: runs of spaces, line breaks and control
/// characters become one space. For subjects made from other text (a mail's, a chat's first
/// words) and for short values shown on one line.
#[must_use]
pub fn one_line(s: &str, max: usize) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

/// The chains the form offers; the key is what is stored.
pub const CHAINS: &[(&str, Option<Chain>)] = &[
    ("bitcoin", Some(Chain::Bitcoin)),
    ("ethereum", Some(Chain::Evm)),
    ("bnb", Some(Chain::Evm)),
    ("polygon", Some(Chain::Evm)),
    ("arbitrum", Some(Chain::Evm)),
    ("tron", Some(Chain::Tron)),
    ("solana", Some(Chain::Solana)),
    ("other", None),
];

/// What the user typed, as it arrived.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TicketDraft {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    pub chain: Option<String>,
    pub tx_hash: Option<String>,
    pub address: Option<String>,
    pub app_version: Option<String>,
    pub device_os: Option<String>,
}

/// One field's problem: a stable code for translation and the API, plus what the message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field's name (`email`, `tx_hash`…).
    pub field: &'static str,
    /// `required`, `too_long`, `email_invalid`, `unknown_category`, `unknown_chain`, or the
    /// wallet crate's code for an identifier (`address_not_tx_hash`, `bad_checksum`, …).
    pub code: String,
    /// For identifier errors: the chain the value actually belongs to ("Bitcoin").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// The wallet crate's English explanation, for identifier errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl FieldError {
    fn new(field: &'static str, code: &str) -> FieldError {
        FieldError {
            field,
            code: code.to_owned(),
            found: None,
            detail: None,
        }
    }

    fn ident(field: &'static str, e: &IdentError) -> FieldError {
        let found = match e {
            IdentError::AddressNotTxHash { chain } => Some(chain.name().to_owned()),
            IdentError::WrongChain { found, .. } => Some(found.chain().name().to_owned()),
            _ => None,
        };
        FieldError {
            field,
            code: e.code().to_owned(),
            found,
            detail: Some(e.to_string()),
        }
    }
}

/// Every problem of a draft, in form order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the ticket has {} invalid field(s)", .0.len())]
pub struct DraftError(pub Vec<FieldError>);

/// A draft that passed: everything parsed, every text redacted.
#[derive(Debug, Clone)]
pub struct ValidTicket {
    pub email: EmailAddress,
    pub category: Category,
    pub subject: Redacted,
    pub body: Redacted,
    pub chain: Option<String>,
    pub tx_hash: Option<TxHash>,
    pub address: Option<Address>,
    pub app_version: Option<Redacted>,
    pub device_os: Option<Redacted>,
    /// How many secrets were removed from all fields together.
    pub secrets_removed: usize,
    /// The language the user wrote in (Chinese when the text has Han characters).
    pub lang: Lang,
    /// How it reached the desk: the form ([`crate::Channel::Web`]) unless the caller says
    /// otherwise (inbound mail, the API).
    pub channel: crate::Channel,
}

fn non_empty(v: Option<&String>) -> Option<&str> {
    v.map(|s| s.trim()).filter(|s| !s.is_empty())
}

impl TicketDraft {
    /// Checks one field alone, as the form does while the user types. `None` when it is fine.
    #[must_use]
    pub fn check_field(field: TicketField, value: &str, chain: Option<&str>) -> Option<FieldError> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if !crate::text::single_line(value) {
            return Some(FieldError::new(field.as_str(), "control_characters"));
        }
        let chain = chain
            .and_then(|c| CHAINS.iter().find(|(k, _)| *k == c))
            .and_then(|(_, c)| *c);
        match field {
            TicketField::TxHash => TxHash::parse(value, chain)
                .err()
                .map(|e| FieldError::ident("tx_hash", &e)),
            TicketField::Address => Address::parse(value, chain)
                .err()
                .map(|e| FieldError::ident("address", &e)),
            TicketField::Chain => (!CHAINS.iter().any(|(k, _)| *k == value))
                .then(|| FieldError::new("chain", "unknown_chain")),
            TicketField::AppVersion | TicketField::DeviceOs => (value.chars().count()
                > MAX_SHORT_FIELD_CHARS)
                .then(|| FieldError::new(field.as_str(), "too_long")),
        }
    }

    /// Checks and redacts the whole draft.
    ///
    /// # Errors
    /// [`DraftError`] lists every invalid field.
    pub fn validate(&self) -> Result<ValidTicket, DraftError> {
        let mut errors = Vec::new();
        let email = EmailAddress::parse(&self.email)
            .map_err(|e| errors.push(FieldError::new("email", e.code())))
            .ok();
        let category = Category::parse(self.category.trim())
            .map_err(|_| {
                errors.push(FieldError::new(
                    "category",
                    if self.category.trim().is_empty() {
                        "required"
                    } else {
                        "unknown_category"
                    },
                ));
            })
            .ok();
        let subject = self.subject.trim();
        if subject.is_empty() {
            errors.push(FieldError::new("subject", "required"));
        } else if !crate::text::single_line(subject) {
            // A subject goes into mail headers: `\r\nBcc: …` or a NUL would forge them.
            errors.push(FieldError::new("subject", "control_characters"));
        } else if subject.chars().count() > MAX_SUBJECT_CHARS {
            errors.push(FieldError::new("subject", "too_long"));
        }
        let body = self.body.trim();
        if body.is_empty() {
            errors.push(FieldError::new("body", "required"));
        } else if body.len() > MAX_BODY_BYTES {
            errors.push(FieldError::new("body", "too_long"));
        }
        let wanted = category.map_or(&[][..], Category::fields);
        let shows = |f: TicketField| wanted.iter().find(|(w, _)| *w == f).map(|(_, req)| *req);
        let value = |f: TicketField| match f {
            TicketField::Chain => non_empty(self.chain.as_ref()),
            TicketField::TxHash => non_empty(self.tx_hash.as_ref()),
            TicketField::Address => non_empty(self.address.as_ref()),
            TicketField::AppVersion => non_empty(self.app_version.as_ref()),
            TicketField::DeviceOs => non_empty(self.device_os.as_ref()),
        };
        let chain = value(TicketField::Chain);
        for f in TicketField::ALL {
            match (shows(*f), value(*f)) {
                (Some(true), None) => errors.push(FieldError::new(f.as_str(), "required")),
                (_, Some(v)) => {
                    if let Some(e) = Self::check_field(*f, v, chain) {
                        errors.push(e);
                    }
                }
                (_, None) => {}
            }
        }
        let (Some(email), Some(category), true) = (email, category, errors.is_empty()) else {
            return Err(DraftError(errors));
        };
        let chain_of = chain
            .and_then(|c| CHAINS.iter().find(|(k, _)| *k == c))
            .and_then(|(_, c)| *c);
        // The subject and the body are read together: a phrase split between them (half in
        // each, neither half long enough alone) is still found, and cut out of both.
        let joint = Redacted::joint(&[subject, body])
            .map_err(|_| DraftError(vec![FieldError::new("body", "too_long")]))?;
        let mut parts = joint.parts.into_iter();
        let (Some(subject), Some(body)) = (parts.next(), parts.next()) else {
            return Err(DraftError(vec![FieldError::new("body", "required")]));
        };
        let mut removed = joint.findings.len();
        let mut red = |s: &str, hint: FieldHint| -> Result<Redacted, DraftError> {
            let (r, f) = Redacted::with_field(s, hint)
                .map_err(|_| DraftError(vec![FieldError::new("body", "too_long")]))?;
            removed += f.len();
            Ok(r)
        };
        let app_version = value(TicketField::AppVersion)
            .map(|v| red(v, FieldHint::FreeText))
            .transpose()?;
        let device_os = value(TicketField::DeviceOs)
            .map(|v| red(v, FieldHint::FreeText))
            .transpose()?;
        let lang = if format!("{subject}{body}").chars().any(is_han) {
            Lang::ZhCn
        } else {
            Lang::En
        };
        Ok(ValidTicket {
            email,
            category,
            subject,
            body,
            chain: chain.map(str::to_owned),
            tx_hash: value(TicketField::TxHash).and_then(|v| TxHash::parse(v, chain_of).ok()),
            address: value(TicketField::Address).and_then(|v| Address::parse(v, chain_of).ok()),
            app_version,
            device_os,
            secrets_removed: removed,
            lang,
            channel: crate::Channel::Web,
        })
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(category: &str) -> TicketDraft {
        TicketDraft {
            email: "user@example.com".into(),
            category: category.into(),
            subject: "转账一直没到账".into(),
            body: "我昨天转了 USDT，还没到。".into(),
            ..TicketDraft::default()
        }
    }

    #[test]
    fn a_transaction_ticket_needs_a_hash_and_says_when_it_got_an_address() {
        let mut d = draft("transaction");
        d.chain = Some("bitcoin".into());
        let err = d.validate().unwrap_err();
        assert_eq!(err.0, vec![FieldError::new("tx_hash", "required")]);
        d.tx_hash = Some("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq".into());
        let err = d.validate().unwrap_err();
        assert_eq!(err.0[0].code, "address_not_tx_hash");
        assert_eq!(err.0[0].found.as_deref(), Some("Bitcoin"));
        d.tx_hash = Some("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b".into());
        let ok = d.validate().unwrap();
        assert_eq!(ok.category, Category::Transaction);
        assert_eq!(ok.lang, Lang::ZhCn);
        assert!(ok.tx_hash.is_some());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = TicketDraft {
            email: "nope".into(),
            category: "wallet".into(),
            ..TicketDraft::default()
        };
        let err = d.validate().unwrap_err();
        let codes: Vec<(&str, &str)> = err.0.iter().map(|e| (e.field, e.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                ("email", "email_invalid"),
                ("category", "unknown_category"),
                ("subject", "required"),
                ("body", "required")
            ]
        );
    }

    #[test]
    fn secrets_in_the_body_are_removed_and_counted() {
        let mut d = draft("restore");
        d.body = "my phrase: abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about".into();
        let ok = d.validate().unwrap();
        assert_eq!(ok.secrets_removed, 1);
        assert!(!ok.body.as_str().contains("abandon abandon"));
    }

    #[test]
    fn a_phrase_split_between_subject_and_body_is_removed_from_both() {
        let words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                     abandon abandon about";
        let w: Vec<&str> = words.split(' ').collect();
        let mut d = draft("restore");
        d.subject = format!("help {}", w[..6].join(" "));
        d.body = format!("{} is what I wrote down", w[6..].join(" "));
        let ok = d.validate().unwrap();
        assert_eq!(ok.secrets_removed, 1);
        assert!(!ok.subject.as_str().contains("abandon"), "{}", ok.subject);
        assert!(!ok.body.as_str().contains("abandon"), "{}", ok.body);
        assert!(ok.body.as_str().ends_with("is what I wrote down"));
    }

    #[test]
    fn a_wrong_chain_address_is_named() {
        let e = TicketDraft::check_field(
            TicketField::Address,
            "0x52908400098527886E0F7030069857D2E4169EE7",
            Some("bitcoin"),
        )
        .unwrap();
        assert_eq!(e.code, "wrong_chain");
        assert_eq!(e.found.as_deref(), Some("EVM"));
    }
}
