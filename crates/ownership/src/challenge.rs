//! The texts a user signs.
//!
//! EVM addresses get an EIP-4361 (Sign-In with Ethereum) message, which wallets recognise and
//! show field by field. Its statement is English: the EIP's grammar allows only ASCII URI
//! characters there, so the page shows the translation beside it. Other chains get a plain
//! text with the same fields (`Nonce:`, `Expiration Time:` lines that [`PlainChallenge::parse`]
//! reads back), its prose in the user's language.
//!
//! Both say that signing moves no funds and that support never asks for a phrase or key.

use jiff::Timestamp;
use wallet::ident::{Address, Chain};

use crate::siwe;

/// The language of the prose in a plain challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

/// What a challenge is made of.
#[derive(Debug, Clone)]
pub struct ChallengeParams<'a> {
    /// The desk's public address (`https://help.example.com`); its host is the SIWE domain.
    pub base_url: &'a str,
    pub address: &'a Address,
    /// The ticket number users see (`#42`).
    pub ticket: i64,
    /// At least 8 ASCII letters and digits (SIWE's rule), single-use.
    pub nonce: &'a str,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub lang: Lang,
}

/// A challenge text and the fields a verifier checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub text: String,
    /// The SIWE domain (host and port of the base URL).
    pub domain: String,
    pub nonce: String,
}

/// Why a challenge cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    #[error("the desk's base URL has no host")]
    BaseUrl,
    #[error("a nonce must be at least 8 ASCII letters and digits")]
    Nonce,
}

/// The host (and port) of an `http(s)://` URL.
fn authority(base_url: &str) -> Option<&str> {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

/// The English sentence of the SIWE statement (one line, ASCII).
fn siwe_statement(ticket: i64, domain: &str) -> String {
    format!(
        "Prove that you own this address for support ticket #{ticket} at {domain}. \
         Signing moves no funds. Support never asks for your recovery phrase or private key."
    )
}

/// Builds the challenge for an address.
///
/// # Errors
/// [`ChallengeError`] for a base URL without a host or a nonce SIWE would refuse.
pub fn build(p: &ChallengeParams<'_>) -> Result<Challenge, ChallengeError> {
    let domain = authority(p.base_url).ok_or(ChallengeError::BaseUrl)?;
    if p.nonce.len() < 8 || !p.nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ChallengeError::Nonce);
    }
    let issued = format_time(p.issued_at);
    let expires = format_time(p.expires_at);
    let text = if p.address.chain() == Chain::Evm {
        siwe::Message {
            scheme: None,
            domain: domain.to_owned(),
            address: p.address.as_str().to_owned(),
            statement: Some(siwe_statement(p.ticket, domain)),
            uri: p.base_url.trim_end_matches('/').to_owned() + "/",
            version: "1".to_owned(),
            chain_id: 1,
            nonce: p.nonce.to_owned(),
            issued_at: issued,
            expiration_time: Some(expires),
            not_before: None,
            request_id: Some(format!("ticket-{}", p.ticket)),
            resources: vec![format!("urn:walletdesk:ticket:{}", p.ticket)],
        }
        .to_string()
    } else {
        let (head, tail) = match p.lang {
            Lang::En => (
                format!("{domain} asks you to prove that you own this address."),
                "Signing this text moves no funds and gives no one access to your wallet. \
                 Support will never ask for your recovery phrase or private key."
                    .to_owned(),
            ),
            Lang::Zh => (
                format!("{domain} 请您证明您拥有这个地址。"),
                "签名这段文字不会转移任何资金，也不会让任何人进入您的钱包。\
                 客服绝不会索要您的助记词或私钥。"
                    .to_owned(),
            ),
        };
        format!(
            "{head}\n\nAddress: {address}\nTicket: #{ticket}\nNonce: {nonce}\n\
             Issued At: {issued}\nExpiration Time: {expires}\n\n{tail}",
            address = p.address.as_str(),
            ticket = p.ticket,
            nonce = p.nonce,
        )
    };
    Ok(Challenge {
        text,
        domain: domain.to_owned(),
        nonce: p.nonce.to_owned(),
    })
}

/// RFC 3339 in UTC with whole seconds (`2026-12-06T22:30:00Z`).
#[must_use]
pub fn format_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The fields of a plain (non-SIWE) challenge this desk wrote, read back from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainChallenge {
    pub address: String,
    pub nonce: String,
    pub expires: Timestamp,
}

impl PlainChallenge {
    /// Reads the `Address:`, `Nonce:` and `Expiration Time:` lines; `None` when the text is not
    /// one of the desk's challenges.
    #[must_use]
    pub fn parse(text: &str) -> Option<PlainChallenge> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
        };
        Some(PlainChallenge {
            address: field("Address")?.to_owned(),
            nonce: field("Nonce")?.to_owned(),
            expires: siwe::parse_time(field("Expiration Time")?)?,
        })
    }
}
