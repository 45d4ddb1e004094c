//! A ticket's requester proves an address by signing a challenge (`crates/ownership`): the
//! challenge (single-use nonce, 15 minutes), the check of a pasted signature, and what the
//! user's and the agent's ticket pages show. No phrase or key is ever asked for or kept: a
//! signature field that does not verify and holds one is refused and not echoed back; the
//! signature itself is never stored.

use domain::{Lang, Timestamp};
use store::{AddressChallenge, NewAddressChallenge, StoreError, Ticket};
use wallet::ident::{Address, Chain};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};
use crate::i18n::Tr;

/// How long a challenge can be signed.
pub(crate) const CHALLENGE_MINUTES: i64 = 15;

/// The ticket's address, when it has one a wallet can sign for.
pub(crate) fn provable_address(ticket: &Ticket) -> Option<Address> {
    Address::parse(ticket.fields.address.as_deref()?, None).ok()
}

/// A fresh nonce: 12 random bytes as 24 hex digits (SIWE wants letters and digits only).
fn nonce() -> Result<String, ApiError> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random source: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Makes and stores a new challenge for the ticket's address.
pub(crate) async fn new_challenge(
    state: &AppState,
    ticket: &Ticket,
    lang: Lang,
) -> Result<AddressChallenge, ApiError> {
    let address = provable_address(ticket).ok_or_else(|| {
        ApiError::bad_request(ErrorCode::NoAddress, "this ticket has no address to prove")
    })?;
    let now = state.now();
    let expires = now.plus_minutes(CHALLENGE_MINUTES);
    let nonce = nonce()?;
    let base_url = state.config.effective_public_url();
    let challenge = ownership::challenge::build(&ownership::ChallengeParams {
        base_url: &base_url,
        address: &address,
        ticket: ticket.id.0,
        nonce: &nonce,
        issued_at: to_jiff(now),
        expires_at: to_jiff(expires),
        lang: match lang {
            Lang::ZhCn => ownership::Lang::Zh,
            _ => ownership::Lang::En,
        },
    })
    .map_err(|e| ApiError::Internal(format!("challenge: {e}")))?;
    Ok(state
        .store
        .create_address_challenge(NewAddressChallenge {
            ticket_id: ticket.id,
            address: address.as_str().to_owned(),
            nonce,
            message: challenge.text,
            now,
            expires_at: expires,
        })
        .await?)
}

fn to_jiff(t: Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(t.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// What a pasted signature came to.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Proved: the challenge is used; an audit entry was written.
    Proved,
    /// No open challenge (expired or used meanwhile).
    NoChallenge,
    /// Read but not valid: the reason's code.
    Invalid(ownership::Reason),
    /// Not a signature (an input error code).
    Unreadable(ErrorCode),
    /// A recovery phrase or key where the signature goes: refused, never echoed.
    Secret,
}

/// Checks `signature` against the ticket's open challenge.
pub(crate) async fn check(
    state: &AppState,
    ticket: &Ticket,
    signature: &str,
) -> Result<Outcome, ApiError> {
    let now = state.now();
    let Some(challenge) = state.store.open_address_challenge(ticket.id, now).await? else {
        return Ok(if crate::query_guard::holds_secret(signature) {
            Outcome::Secret
        } else {
            Outcome::NoChallenge
        });
    };
    let base_url = state.config.effective_public_url();
    let domain = base_url
        .split_once("://")
        .map_or(base_url.as_str(), |(_, r)| r)
        .split('/')
        .next()
        .map(str::to_owned);
    let expect = ownership::Expect {
        now: Some(to_jiff(now)),
        domain: (challenge.address.starts_with("0x"))
            .then_some(domain)
            .flatten(),
        nonce: Some(challenge.nonce.clone()),
    };
    let result = ownership::verify(&challenge.address, &challenge.message, signature, &expect);
    let valid = result.as_ref().is_ok_and(|v| v.valid);
    if !valid && crate::query_guard::holds_secret(signature) {
        return Ok(Outcome::Secret);
    }
    let v = match result {
        Ok(v) => v,
        Err(e) => {
            let ApiError::BadRequest { code, .. } = crate::api::signatures::input_error(&e) else {
                return Ok(Outcome::Unreadable(ErrorCode::SignatureMalformed));
            };
            return Ok(Outcome::Unreadable(code));
        }
    };
    if !v.valid {
        return Ok(Outcome::Invalid(v.reason));
    }
    let used = match state
        .store
        .consume_address_challenge(challenge.id, v.method.as_str(), now)
        .await
    {
        Ok(c) => c,
        Err(StoreError::Conflict(_) | StoreError::NotFound) => return Ok(Outcome::NoChallenge),
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(
            None,
            "ticket.address_proved",
            Some(&ticket.id.to_string()),
            &domain::Redacted::clean(&format!(
                "address {}; method {}; challenge {}",
                used.address,
                v.method.as_str(),
                used.id
            )),
            now,
        )
        .await?;
    tracing::info!(ticket.id = %ticket.id, method = v.method.as_str(), "address ownership proved");
    state.publish(crate::Event::TicketUpdated { ticket: ticket.id });
    Ok(Outcome::Proved)
}

/// "method · time" of a proof, for both ticket pages.
#[derive(Debug, Clone)]
pub(crate) struct ProvedView {
    pub address: String,
    pub method: String,
    pub at: String,
}

pub(crate) fn proved_view(t: &Tr<'_>, c: &AddressChallenge) -> ProvedView {
    ProvedView {
        address: c.address.clone(),
        method: t.get(&format!(
            "prove.method.{}",
            c.method.as_deref().unwrap_or("unknown")
        )),
        at: c.verified_at.unwrap_or(c.created_at).rfc3339(),
    }
}

/// The steps key for the address's chain.
pub(crate) fn steps_key(address: &Address) -> &'static str {
    match address.chain() {
        Chain::Evm => "prove.steps.evm",
        Chain::Bitcoin => "prove.steps.bitcoin",
        Chain::Tron => "prove.steps.tron",
        Chain::Solana => "prove.steps.solana",
    }
}

/// The chain's key for the browser-wallet script (`static/prove.js`).
pub(crate) fn chain_key(address: &Address) -> &'static str {
    match address.chain() {
        Chain::Evm => "evm",
        Chain::Bitcoin => "bitcoin",
        Chain::Tron => "tron",
        Chain::Solana => "solana",
    }
}
