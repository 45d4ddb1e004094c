//! Second factors: the desk's policy, checking a code (TOTP or a recovery code), recovery
//! codes, and step-up for risky actions.
//!
//! SMS is not offered: NIST SP 800-63B restricts it as an authenticator, and SIM swaps are how
//! wallets get drained — a wallet's support desk must not be the weak link.

use domain::{AgentId, Role};
use store::{Agent, TokenHash};

use super::totp;
use crate::AppState;
use crate::error::ApiError;

/// The settings key of the policy.
pub const POLICY_KEY: &str = "second_factor_policy";
/// How long a checked factor covers risky actions.
pub const STEP_UP_MINUTES: i64 = 5;
/// How many recovery codes an agent gets.
pub const RECOVERY_CODES: usize = 10;

/// Who must have a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Nobody must (anyone may).
    Optional,
    Admins,
    Everyone,
}

impl Policy {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Optional => "optional",
            Policy::Admins => "admins",
            Policy::Everyone => "everyone",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Policy> {
        match s.trim().trim_matches('"') {
            "optional" => Some(Policy::Optional),
            "admins" => Some(Policy::Admins),
            "everyone" => Some(Policy::Everyone),
            _ => None,
        }
    }

    /// Whether an agent of `role` must have a second factor.
    #[must_use]
    pub fn requires(self, role: Role) -> bool {
        match self {
            Policy::Optional => false,
            Policy::Admins => role == Role::Admin,
            Policy::Everyone => true,
        }
    }
}

/// The policy in force (optional when unset or unreadable).
pub async fn policy(state: &AppState) -> Policy {
    match state.store.setting(POLICY_KEY).await {
        Ok(Some(v)) => Policy::parse(&v).unwrap_or(Policy::Optional),
        _ => Policy::Optional,
    }
}

/// Whether `agent` has a confirmed authenticator.
///
/// # Errors
/// Storage failures.
pub async fn has_totp(state: &AppState, agent: AgentId) -> Result<bool, ApiError> {
    Ok(state
        .store
        .totp(agent)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some()))
}

/// Whether `agent` has a passkey (`passkey.rs`).
///
/// # Errors
/// Storage failures.
pub async fn has_passkey(state: &AppState, agent: AgentId) -> Result<bool, ApiError> {
    Ok(!state.store.passkeys(agent).await?.is_empty())
}

/// Whether `agent` has a second factor: a confirmed authenticator or a passkey.
///
/// # Errors
/// Storage failures.
pub async fn has_factor(state: &AppState, agent: AgentId) -> Result<bool, ApiError> {
    Ok(has_totp(state, agent).await? || has_passkey(state, agent).await?)
}

/// Whether signing in as `agent` needs a second step: they have a factor, or must have one.
///
/// # Errors
/// Storage failures.
pub async fn sign_in_needs_factor(state: &AppState, agent: &Agent) -> Result<bool, ApiError> {
    Ok(has_factor(state, agent.id).await? || policy(state).await.requires(agent.role))
}

/// The agent's authenticator secret, unsealed, if any (confirmed or not).
///
/// # Errors
/// Storage failures.
pub async fn totp_secret(state: &AppState, agent: AgentId) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(state
        .store
        .totp(agent)
        .await?
        .and_then(|t| totp::unseal(state.link_key.bytes(), agent.0, &t.sealed_secret)))
}

/// Hash under which a recovery code is kept: its letters and digits only, lower-cased.
#[must_use]
pub fn recovery_hash(code: &str) -> String {
    let norm: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    super::hash_token(&format!("recovery:{norm}")).0
}

/// Ten new recovery codes (`xxxx-xxxx-xxxx`, 60 bits each), stored as hashes; returns them
/// to show once.
///
/// # Errors
/// Randomness or storage failures.
pub async fn new_recovery_codes(state: &AppState, agent: AgentId) -> Result<Vec<String>, ApiError> {
    const A: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789x";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut b = [0u8; 12];
        getrandom::fill(&mut b).map_err(|e| ApiError::Internal(e.to_string()))?;
        let s: String = b
            .iter()
            .map(|x| char::from(A[usize::from(x & 31)]))
            .collect();
        codes.push(format!("{}-{}-{}", &s[..4], &s[4..8], &s[8..]));
    }
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    state.store.set_recovery_codes(agent, &hashes).await?;
    Ok(codes)
}

/// How a factor was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Totp,
    RecoveryCode,
    Password,
    Passkey,
}

/// Checks what the agent typed against their factor: a TOTP code (once per step), else a
/// recovery code (once); for an agent with no authenticator and `password_ok_without_totp`,
/// their password. Failures back off per agent and client like sign-in.
///
/// # Errors
/// [`ApiError::RateLimited`] while backing off; storage failures.
pub async fn check(
    state: &AppState,
    agent: &Agent,
    client_key: &str,
    typed: &str,
    password_ok_without_totp: bool,
) -> Result<Option<Checked>, ApiError> {
    let key = format!("factor:{}:{client_key}", agent.id);
    if let Some(retry_after_secs) = state.backoff.wait(&key) {
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    let now = state.now();
    let result = if has_totp(state, agent.id).await? {
        let secret = totp_secret(state, agent.id).await?.unwrap_or_default();
        match totp::matching_step(&secret, typed, now.0.div_euclid(1000)) {
            Some(step) if state.store.accept_totp_step(agent.id, step, now).await? => {
                Some(Checked::Totp)
            }
            Some(_) => None,
            None => state
                .store
                .use_recovery_code(agent.id, &recovery_hash(typed), now)
                .await?
                .then_some(Checked::RecoveryCode),
        }
    } else if password_ok_without_totp {
        let (hash, typed) = (agent.password_hash.clone(), typed.to_owned());
        tokio::task::spawn_blocking(move || super::verify_password(&typed, &hash))
            .await
            .unwrap_or(false)
            .then_some(Checked::Password)
    } else {
        None
    };
    match result {
        Some(_) => state.backoff.reset(&key),
        None => state.backoff.fail(&key),
    }
    Ok(result)
}

/// Whether the session checked a factor recently enough for a risky action.
#[must_use]
pub fn fresh(state: &AppState, session: &store::Session) -> bool {
    session
        .factor_at
        .is_some_and(|at| at.0 >= state.now().plus_minutes(-STEP_UP_MINUTES).0)
}

/// Records that `session` just checked a factor (and is now complete).
///
/// # Errors
/// Storage failures.
pub async fn mark(state: &AppState, session: &TokenHash) -> Result<(), ApiError> {
    state
        .store
        .mark_session_factor(session, state.now())
        .await
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_round_trips_and_applies_by_role() {
        for p in [Policy::Optional, Policy::Admins, Policy::Everyone] {
            assert_eq!(Policy::parse(p.as_str()), Some(p));
        }
        assert_eq!(
            Policy::parse("\"admins\""),
            Some(Policy::Admins),
            "stored as JSON"
        );
        assert_eq!(Policy::parse("sms"), None);
        assert!(Policy::Admins.requires(Role::Admin));
        assert!(!Policy::Admins.requires(Role::Agent));
        assert!(Policy::Everyone.requires(Role::Restricted));
        assert!(!Policy::Optional.requires(Role::Admin));
    }

    #[test]
    fn recovery_codes_hash_however_they_are_typed() {
        assert_eq!(
            recovery_hash("abcd-efgh-jkmn"),
            recovery_hash(" ABCD EFGH JKMN ")
        );
        assert_ne!(
            recovery_hash("abcd-efgh-jkmn"),
            recovery_hash("abcd-efgh-jkmp")
        );
    }
}
