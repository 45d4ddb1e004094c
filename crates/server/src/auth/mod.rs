//! Who is asking, and what they may do: passwords (argon2id), random tokens and their hashes,
//! and (in [`session`]) the one extractor family every agent and admin route goes through.
//!
//! Tokens (access links, sessions, API tokens, sign-in links) are 32 random bytes, shown once
//! as URL-safe text; the store keeps only their SHA-256 ([`store::TokenHash`]).

pub mod factors;
pub mod passkey;
pub mod session;
pub mod step_up;
pub mod totp;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use store::TokenHash;

/// A fresh random token: 32 bytes as 43 URL-safe base64 characters.
///
/// # Errors
/// The operating system's random source failed.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64url(&bytes))
}

pub(crate) fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The hash under which a token is stored.
#[must_use]
pub fn hash_token(token: &str) -> TokenHash {
    let digest = Sha256::digest(token.as_bytes());
    TokenHash(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// An argon2id PHC string for `password`.
///
/// # Errors
/// Hashing failed (the random salt could not be drawn).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// The password hash of an account no one can sign in with until they set a password through
/// their sign-in link (the first admin, an agent an admin adds): the argon2id hash of 32 random
/// bytes that are thrown away.
///
/// It is hashed at argon2's smallest memory cost. The cost only slows down guessing, and there
/// is nothing to guess: the password has 256 random bits and was never shown to anyone. The
/// default cost allocates 19 MiB, which at first start was the largest allocation of the
/// process, and glibc answers the release of such a block by raising its mmap and trim
/// thresholds, so about 7 MB freed after start-up stayed in the process for good.
/// [`verify_password`] reads the cost from the PHC string, so the hash works like any other and
/// is replaced, at the default cost, by the password the account's owner sets.
///
/// # Errors
/// The operating system's random source failed, or hashing failed.
pub fn unusable_password_hash() -> Result<String, String> {
    let secret = new_token().map_err(|e| e.to_string())?;
    hash_password_cheaply(&secret)
}

fn hash_password_cheaply(password: &str) -> Result<String, String> {
    let params = Params::new(
        Params::MIN_M_COST,
        Params::MIN_T_COST,
        Params::MIN_P_COST,
        None,
    )
    .map_err(|e| e.to_string())?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored PHC string.
#[must_use]
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A PHC string that matches no password, verified against when the e-mail is unknown so that
/// the time taken does not tell which addresses have accounts.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1kmwZ2LQ1d4BdY+qYvJmJ3nQOHoGO5E7C4N0rPj7qQs";

/// A password an admin may set: 10 to 1024 characters.
#[must_use]
pub fn password_acceptable(p: &str) -> bool {
    (10..=1024).contains(&p.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(
            hash_token("abc").0,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn passwords_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("anything", DUMMY_HASH));
    }

    #[test]
    fn cheap_hashes_verify_with_the_cost_they_name() {
        let h = hash_password_cheaply("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
    }

    #[test]
    fn unusable_hashes_are_salted_and_match_nothing_typed() {
        let a = unusable_password_hash().unwrap();
        let b = unusable_password_hash().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"), "{a}");
        for typed in ["", "password", "admin@walletdesk.invalid"] {
            assert!(!verify_password(typed, &a));
        }
    }
}
