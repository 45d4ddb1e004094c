//! Passkeys (WebAuthn, with webauthn-rs): registering one, checking one as the second factor or
//! for step-up, and signing in with a passkey alone.
//!
//! A passkey is multi-factor by itself: every ceremony here requires user verification (the
//! authenticator's PIN or biometric), so a passkey sign-in makes a complete session and a
//! passkey check satisfies the admins' policy.
//!
//! - The relying party comes from the configured public URL ([`relying_party`]). WebAuthn needs
//!   a domain name: browsers refuse IP addresses as relying-party ids, and webauthn-rs too. A
//!   desk on a loopback address (`http://127.0.0.1:8080`, development and tests) is taken to be
//!   `http://localhost:8080`, a secure context to browsers; on any other IP address passkeys are
//!   off and the pages say so.
//! - Ceremony state (the challenge and what it was for) stays in memory ([`Ceremonies`]), keyed
//!   by the session (registering, checking) or by a random id (signing in), for
//!   [`CEREMONY_MINUTES`], and is used once. It is never sent to the browser, so a challenge
//!   cannot be replayed and webauthn-rs's state-serialisation feature is not needed.
//! - A signature counter that does not move forward means the credential may have been cloned:
//!   the check is refused and audited (`security.passkey_cloned`).

use std::collections::HashMap;
use std::sync::Mutex;

use domain::{AgentId, Timestamp};
use sha2::{Digest, Sha256};
use store::{Agent, PasskeyRecord};
use webauthn_rs::prelude::{
    AuthenticationResult, CreationChallengeResponse, DiscoverableAuthentication, Passkey,
    PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};

use crate::AppState;
use crate::error::ApiError;

/// How long a started ceremony may take.
pub const CEREMONY_MINUTES: i64 = 5;
/// Ceremonies waiting at once, at most (sign-in ceremonies need no session: a bound on what
/// strangers can make the server hold).
const MAX_PENDING: usize = 10_000;
/// The longest passkey name.
pub const NAME_MAX: usize = 60;

/// What a started ceremony was for.
pub(crate) enum Ceremony {
    Register {
        agent: AgentId,
        name: String,
        /// The options sent to the browser, shown again while the ceremony is open.
        options: String,
        state: PasskeyRegistration,
    },
    Check {
        agent: AgentId,
        state: PasskeyAuthentication,
    },
    SignIn {
        state: DiscoverableAuthentication,
    },
}

/// Ceremonies started and not yet finished (see the module doc).
#[derive(Default)]
pub struct Ceremonies {
    pending: Mutex<HashMap<String, (Timestamp, Ceremony)>>,
}

impl std::fmt::Debug for Ceremonies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ceremonies").finish_non_exhaustive()
    }
}

impl Ceremonies {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Timestamp, Ceremony)>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `c` under `key` (replacing what was there) until it expires.
    pub(crate) fn put(&self, key: String, c: Ceremony, now: Timestamp) -> Result<(), ApiError> {
        let mut map = self.lock();
        map.retain(|_, (expires, _)| expires.0 > now.0);
        if map.len() >= MAX_PENDING && !map.contains_key(&key) {
            return Err(ApiError::RateLimited {
                retry_after_secs: 60,
            });
        }
        map.insert(key, (now.plus_minutes(CEREMONY_MINUTES), c));
        Ok(())
    }

    /// Takes the ceremony under `key` if it has not expired: each is used once.
    pub(crate) fn take(&self, key: &str, now: Timestamp) -> Option<Ceremony> {
        let (expires, c) = self.lock().remove(key)?;
        (expires.0 > now.0).then_some(c)
    }

    /// The name and browser options of the registration open under `key`, if any.
    pub(crate) fn open_registration(&self, key: &str, now: Timestamp) -> Option<(String, String)> {
        match self.lock().get(key) {
            Some((expires, Ceremony::Register { name, options, .. })) if expires.0 > now.0 => {
                Some((name.clone(), options.clone()))
            }
            _ => None,
        }
    }
}

/// The ceremony key of a session's registration.
pub(crate) fn register_key(session: &store::TokenHash) -> String {
    format!("register:{}", session.0)
}

/// The ceremony key of a session's passkey check.
pub(crate) fn check_key(session: &store::TokenHash) -> String {
    format!("check:{}", session.0)
}

/// The relying party's id and origin for a public URL, or `None` when passkeys cannot work
/// there (an IP address other than loopback, or no host).
#[must_use]
pub fn rp_for(public_url: &str) -> Option<(String, Url)> {
    let mut url = Url::parse(public_url).ok()?;
    let loopback = match url.host()? {
        url::Host::Domain(_) => false,
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    if loopback {
        url.set_host(Some("localhost")).ok()?;
    }
    let id = url.domain()?.to_owned();
    url.set_path("");
    url.set_query(None);
    url.set_fragment(None);
    Some((id, url))
}

/// The desk's WebAuthn relying party.
///
/// # Errors
/// [`ApiError::NotFound`] when passkeys cannot work at the configured public URL.
pub fn relying_party(state: &AppState) -> Result<Webauthn, ApiError> {
    let (id, origin) = rp_for(&state.config.effective_public_url()).ok_or(ApiError::NotFound)?;
    let brand = state.brand();
    WebauthnBuilder::new(&id, &origin)
        .and_then(|b| b.rp_name(&brand.name).build())
        .map_err(|e| {
            tracing::warn!(error = %e, "passkeys: the public URL does not make a relying party");
            ApiError::NotFound
        })
}

/// Whether passkeys work at the configured public URL.
#[must_use]
pub fn available(state: &AppState) -> bool {
    relying_party(state).is_ok()
}

/// The WebAuthn user handle of an agent: derived from the server key and the agent's number,
/// so it says nothing about the agent to anyone without the key, and needs no column.
#[must_use]
pub fn user_handle(state: &AppState, agent: AgentId) -> Uuid {
    let mut h = Sha256::new();
    h.update(b"walletdesk passkey user v1\0");
    h.update(state.link_key.bytes());
    h.update(agent.0.to_be_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    Uuid::from_bytes(b)
}

/// A passkey's credential id as stored (base64url).
#[must_use]
pub fn credential_id_text(raw: &[u8]) -> String {
    super::base64url(raw)
}

fn parse(record: &PasskeyRecord) -> Result<Passkey, ApiError> {
    serde_json::from_str(&record.credential)
        .map_err(|e| ApiError::Internal(format!("stored passkey unreadable: {e}")))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Starts registering a passkey named `name` for `agent`; returns the options for the
/// browser. Discoverable (resident) credentials are asked for, so the passkey can sign in
/// without an e-mail address typed first.
///
/// # Errors
/// Passkeys unavailable; storage failures.
pub async fn begin_registration(
    state: &AppState,
    agent: &Agent,
    session: &store::TokenHash,
    name: &str,
) -> Result<String, ApiError> {
    let rp = relying_party(state)?;
    let existing = state.store.passkeys(agent.id).await?;
    let exclude = existing
        .iter()
        .filter_map(|r| parse(r).ok())
        .map(|p| p.cred_id().clone())
        .collect::<Vec<_>>();
    let (ccr, reg): (CreationChallengeResponse, PasskeyRegistration) = rp
        .start_passkey_registration(
            user_handle(state, agent.id),
            agent.email.as_str(),
            &agent.name,
            Some(exclude),
        )
        .map_err(|e| ApiError::Internal(format!("passkey registration: {e}")))?;
    // Only the browser's copy asks for a resident key: the ceremony's own checks do not
    // depend on it (webauthn-rs names the requirement only in its proto crate).
    let mut options = serde_json::to_value(&ccr).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(sel) = options
        .get_mut("publicKey")
        .and_then(|p| p.get_mut("authenticatorSelection"))
        .and_then(serde_json::Value::as_object_mut)
    {
        sel.insert("residentKey".into(), "required".into());
        sel.insert("requireResidentKey".into(), true.into());
    }
    let options = json(&options)?;
    state.passkeys.put(
        register_key(session),
        Ceremony::Register {
            agent: agent.id,
            name: name.to_owned(),
            options: options.clone(),
            state: reg,
        },
        state.now(),
    )?;
    Ok(options)
}

/// Why a passkey was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No ceremony open (expired, used, or never started).
    NoCeremony,
    /// The browser's answer does not verify.
    Invalid,
    /// Registered already (to this agent or another).
    AlreadyRegistered,
    /// Not a passkey of this desk.
    Unknown,
    /// The signature counter did not move forward: possibly a cloned authenticator.
    Cloned,
}

impl Refusal {
    /// The stable error code and its translation key (`security.passkey.error.<code>`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoCeremony => "passkey_expired",
            Refusal::Invalid => "passkey_invalid",
            Refusal::AlreadyRegistered => "passkey_already_registered",
            Refusal::Unknown => "passkey_unknown",
            Refusal::Cloned => "passkey_cloned",
        }
    }
}

/// Finishes a registration: stores the passkey. Returns its name.
///
/// # Errors
/// Storage failures; `Ok(Err(_))` for what the agent can fix by trying again.
pub async fn finish_registration(
    state: &AppState,
    agent: AgentId,
    session: &store::TokenHash,
    credential: &serde_json::Value,
) -> Result<Result<String, Refusal>, ApiError> {
    let now = state.now();
    let Some(Ceremony::Register {
        agent: who,
        name,
        state: reg,
        ..
    }) = state.passkeys.take(&register_key(session), now)
    else {
        return Ok(Err(Refusal::NoCeremony));
    };
    if who != agent {
        return Ok(Err(Refusal::NoCeremony));
    }
    let Ok(answer) = serde_json::from_value::<RegisterPublicKeyCredential>(credential.clone())
    else {
        return Ok(Err(Refusal::Invalid));
    };
    let rp = relying_party(state)?;
    let passkey = match rp.finish_passkey_registration(&answer, &reg) {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(agent.id = %agent, error = %e, "passkey registration refused");
            return Ok(Err(Refusal::Invalid));
        }
    };
    let new = store::NewPasskey {
        credential_id: credential_id_text(passkey.cred_id().as_ref()),
        name: name.clone(),
        credential: json(&passkey)?,
    };
    match state.store.add_passkey(agent, &new, now).await {
        Ok(_) => Ok(Ok(name)),
        Err(store::StoreError::Conflict(_)) => Ok(Err(Refusal::AlreadyRegistered)),
        Err(e) => Err(e.into()),
    }
}

/// Starts checking one of `agent`'s passkeys (second factor, step-up); `None` when they have
/// none.
///
/// # Errors
/// Passkeys unavailable; storage failures.
pub async fn begin_check(
    state: &AppState,
    agent: AgentId,
    session: &store::TokenHash,
) -> Result<Option<String>, ApiError> {
    let records = state.store.passkeys(agent).await?;
    let keys: Vec<Passkey> = records.iter().filter_map(|r| parse(r).ok()).collect();
    if keys.is_empty() {
        return Ok(None);
    }
    let rp = relying_party(state)?;
    let (rcr, auth): (RequestChallengeResponse, PasskeyAuthentication) = rp
        .start_passkey_authentication(&keys)
        .map_err(|e| ApiError::Internal(format!("passkey check: {e}")))?;
    let options = json(&rcr)?;
    state.passkeys.put(
        check_key(session),
        Ceremony::Check { agent, state: auth },
        state.now(),
    )?;
    Ok(Some(options))
}

/// Records a verified use: the counter and backup state, and when.
async fn record_use(
    state: &AppState,
    record: &PasskeyRecord,
    mut key: Passkey,
    result: &AuthenticationResult,
) -> Result<(), ApiError> {
    key.update_credential(result);
    state
        .store
        .passkey_used(record.id, &json(&key)?, state.now())
        .await
        .map_err(Into::into)
}

/// The stored record of the credential the browser answered with.
async fn answered_record(
    state: &AppState,
    answer: &PublicKeyCredential,
) -> Result<Option<PasskeyRecord>, ApiError> {
    let id = credential_id_text(answer.get_credential_id());
    Ok(state.store.passkey_by_credential(&id).await?)
}

async fn audit_cloned(state: &AppState, record: &PasskeyRecord) {
    tracing::warn!(agent.id = %record.agent_id, passkey.id = record.id, "passkey counter went backwards: refused");
    let _ = state
        .store
        .audit(
            Some(record.agent_id),
            "security.passkey_cloned",
            Some(&record.agent_id.to_string()),
            &domain::Redacted::clean(&format!(
                "passkey {} ({}): signature counter did not move forward; refused",
                record.id, record.name
            )),
            state.now(),
        )
        .await;
}

/// Finishes a check: `Ok(Ok(name))` when one of the agent's passkeys verified (with user
/// verification).
///
/// # Errors
/// Storage failures.
pub async fn finish_check(
    state: &AppState,
    agent: AgentId,
    session: &store::TokenHash,
    credential: &serde_json::Value,
) -> Result<Result<String, Refusal>, ApiError> {
    let Some(Ceremony::Check {
        agent: who,
        state: auth,
    }) = state.passkeys.take(&check_key(session), state.now())
    else {
        return Ok(Err(Refusal::NoCeremony));
    };
    if who != agent {
        return Ok(Err(Refusal::NoCeremony));
    }
    let Ok(answer) = serde_json::from_value::<PublicKeyCredential>(credential.clone()) else {
        return Ok(Err(Refusal::Invalid));
    };
    let Some(record) = answered_record(state, &answer).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if record.agent_id != agent {
        return Ok(Err(Refusal::Unknown));
    }
    let key = parse(&record)?;
    let rp = relying_party(state)?;
    match rp.finish_passkey_authentication(&answer, &auth) {
        Ok(result) if result.user_verified() => {
            record_use(state, &record, key, &result).await?;
            Ok(Ok(record.name))
        }
        Ok(_) => Ok(Err(Refusal::Invalid)),
        Err(WebauthnError::CredentialPossibleCompromise) => {
            audit_cloned(state, &record).await;
            Ok(Err(Refusal::Cloned))
        }
        Err(e) => {
            tracing::info!(agent.id = %agent, error = %e, "passkey check refused");
            Ok(Err(Refusal::Invalid))
        }
    }
}

/// Starts a passkey-only sign-in: returns the ceremony's id and the options for the browser.
/// Any of the browser's passkeys for this desk may answer (discoverable credentials).
///
/// # Errors
/// Passkeys unavailable; too many ceremonies open.
pub fn begin_sign_in(state: &AppState) -> Result<(String, String), ApiError> {
    let rp = relying_party(state)?;
    let (mut rcr, auth) = rp
        .start_discoverable_authentication()
        .map_err(|e| ApiError::Internal(format!("passkey sign-in: {e}")))?;
    // A button starts it, not the e-mail field's autofill (conditional mediation).
    rcr.mediation = None;
    let id = super::new_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    state.passkeys.put(
        format!("sign-in:{id}"),
        Ceremony::SignIn { state: auth },
        state.now(),
    )?;
    Ok((id, json(&rcr)?))
}

/// Finishes a passkey-only sign-in: the agent whose passkey verified (with user
/// verification). The caller checks the agent is active.
///
/// # Errors
/// Storage failures.
pub async fn finish_sign_in(
    state: &AppState,
    ceremony: &str,
    credential: &serde_json::Value,
) -> Result<Result<(Agent, String), Refusal>, ApiError> {
    let Some(Ceremony::SignIn { state: auth }) = state
        .passkeys
        .take(&format!("sign-in:{ceremony}"), state.now())
    else {
        return Ok(Err(Refusal::NoCeremony));
    };
    let Ok(answer) = serde_json::from_value::<PublicKeyCredential>(credential.clone()) else {
        return Ok(Err(Refusal::Invalid));
    };
    let rp = relying_party(state)?;
    let Ok((handle, _)) = rp.identify_discoverable_authentication(&answer) else {
        return Ok(Err(Refusal::Invalid));
    };
    let Some(record) = answered_record(state, &answer).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if handle != user_handle(state, record.agent_id) {
        return Ok(Err(Refusal::Unknown));
    }
    let key = parse(&record)?;
    match rp.finish_discoverable_authentication_v2(&answer, auth, &key) {
        Ok(result) if result.user_verified() => {
            record_use(state, &record, key.clone(), &result).await?;
            let agent = state.store.agent(record.agent_id).await?;
            Ok(Ok((agent, record.name)))
        }
        Ok(_) => Ok(Err(Refusal::Invalid)),
        Err(WebauthnError::CredentialPossibleCompromise) => {
            audit_cloned(state, &record).await;
            Ok(Err(Refusal::Cloned))
        }
        Err(e) => {
            tracing::info!(error = %e, "passkey sign-in refused");
            Ok(Err(Refusal::Invalid))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_urls_host_and_loopback_is_localhost() {
        let (id, origin) = rp_for("https://help.example.com/desk").unwrap();
        assert_eq!(
            (id.as_str(), origin.as_str()),
            ("help.example.com", "https://help.example.com/")
        );
        let (id, origin) = rp_for("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (id.as_str(), origin.as_str()),
            ("localhost", "http://localhost:8080/")
        );
        assert_eq!(rp_for("http://[::1]:9000").unwrap().0, "localhost");
        assert_eq!(rp_for("http://192.0.2.7:8080"), None, "browsers refuse IPs");
        assert_eq!(rp_for("not a url"), None);
    }

    #[test]
    fn ceremonies_are_used_once_and_expire() {
        let c = Ceremonies::default();
        let now = Timestamp(1_000_000);
        let sign_in = || {
            let rp = WebauthnBuilder::new("localhost", &Url::parse("http://localhost:1").unwrap())
                .unwrap()
                .build()
                .unwrap();
            Ceremony::SignIn {
                state: rp.start_discoverable_authentication().unwrap().1,
            }
        };
        c.put("a".into(), sign_in(), now).unwrap();
        assert!(c.take("a", now).is_some());
        assert!(c.take("a", now).is_none(), "once");
        c.put("b".into(), sign_in(), now).unwrap();
        assert!(
            c.take("b", now.plus_minutes(CEREMONY_MINUTES)).is_none(),
            "expired"
        );
    }
}
