//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps make
//! them: HMAC-SHA1, 6 digits, 30-second steps; one step either side is accepted for clock
//! drift, and the store refuses a step it accepted before (no replays).
//!
//! The shared secret is kept sealed ([`seal`]): XORed with a keystream derived from the
//! server's key and the agent's id, so a database backup alone does not yield anyone's codes.

use hmac::{Hmac, Mac};

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_LEN: usize = 20;

/// The HMAC of RFC 4226 (SHA-1 for apps; SHA-256 and SHA-512 for RFC 6238's vectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Sha1,
    Sha256,
    Sha512,
}

fn mac(alg: Alg, key: &[u8], msg: &[u8]) -> Vec<u8> {
    macro_rules! run {
        ($d:ty) => {{
            let mut m = <Hmac<$d> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }};
    }
    match alg {
        Alg::Sha1 => run!(sha1::Sha1),
        Alg::Sha256 => run!(sha2::Sha256),
        Alg::Sha512 => run!(sha2::Sha512),
    }
}

/// HOTP (RFC 4226 §5.3): the code for `counter`, `digits` long, zero-padded.
#[must_use]
pub fn hotp(alg: Alg, secret: &[u8], counter: u64, digits: u32) -> String {
    let h = mac(alg, secret, &counter.to_be_bytes());
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    let code = bin % 10u32.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// The time step of `unix_secs`.
#[must_use]
pub fn step_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The step whose code `code` is, among the step of `unix_secs` and one either side; `None`
/// when it is none of them. Compares in constant time.
#[must_use]
pub fn matching_step(secret: &[u8], code: &str, unix_secs: i64) -> Option<i64> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_secs);
    let mut found = None;
    for step in [now - 1, now, now + 1] {
        let Ok(counter) = u64::try_from(step) else {
            continue;
        };
        let want = hotp(Alg::Sha1, secret, counter, DIGITS);
        let same = want
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same {
            found = Some(step);
        }
    }
    found
}

/// A new random secret.
///
/// # Errors
/// The operating system's random source failed.
pub fn new_secret() -> Result<[u8; SECRET_LEN], getrandom::Error> {
    let mut s = [0u8; SECRET_LEN];
    getrandom::fill(&mut s)?;
    Ok(s)
}

/// RFC 4648 base32 without padding: how authenticator apps take a secret by hand.
#[must_use]
pub fn base32(bytes: &[u8]) -> String {
    const A: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(A[((buf >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(char::from(A[((buf << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The `otpauth://` URI an app scans.
#[must_use]
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// The keystream that seals `agent`'s secret under `key`.
fn keystream(key: &[u8], agent: i64) -> Vec<u8> {
    let mut msg = b"walletdesk totp seal v1\0".to_vec();
    msg.extend_from_slice(&agent.to_be_bytes());
    mac(Alg::Sha256, key, &msg)
}

/// The secret sealed for storage, as hex.
#[must_use]
pub fn seal(key: &[u8], agent: i64, secret: &[u8]) -> String {
    let ks = keystream(key, agent);
    secret
        .iter()
        .zip(ks.iter().cycle())
        .map(|(s, k)| format!("{:02x}", s ^ k))
        .collect()
}

/// The secret [`seal`] sealed; `None` when `sealed` is not such a value.
#[must_use]
pub fn unseal(key: &[u8], agent: i64, sealed: &str) -> Option<Vec<u8>> {
    if sealed.len() != SECRET_LEN * 2 {
        return None;
    }
    let ks = keystream(key, agent);
    (0..SECRET_LEN)
        .map(|i| {
            u8::from_str_radix(sealed.get(2 * i..2 * i + 2)?, 16)
                .ok()
                .map(|b| b ^ ks[i % ks.len()])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> serde_json::Value {
        let text = include_str!("../../tests/vectors/otp.json");
        serde_json::from_str(text).expect("json")
    }

    #[test]
    fn rfc4226_and_rfc6238_vectors() {
        let v = vectors();
        let h = &v["rfc4226_hotp"];
        let secret = h["secret_ascii"].as_str().unwrap().as_bytes();
        let mut n = 0;
        for t in h["vectors"].as_array().unwrap() {
            let counter = t["counter"].as_u64().unwrap();
            assert_eq!(
                hotp(Alg::Sha1, secret, counter, 6),
                t["otp"].as_str().unwrap()
            );
            n += 1;
        }
        assert_eq!(n, 10);
        let t = &v["rfc6238_totp"];
        let mut m = 0;
        for case in t["vectors"].as_array().unwrap() {
            let (alg, seed) = match case["mode"].as_str().unwrap() {
                "SHA1" => (Alg::Sha1, "SHA1"),
                "SHA256" => (Alg::Sha256, "SHA256"),
                _ => (Alg::Sha512, "SHA512"),
            };
            let secret = t["seeds"][seed]["ascii"].as_str().unwrap().as_bytes();
            let time = case["unix_time"].as_i64().unwrap();
            let counter = u64::try_from(step_of(time)).unwrap();
            assert_eq!(
                hotp(alg, secret, counter, 8),
                case["totp"].as_str().unwrap(),
                "{case}"
            );
            m += 1;
        }
        assert_eq!(m, 18);
    }

    #[test]
    fn codes_match_one_step_either_side_only() {
        let secret = b"12345678901234567890";
        let t = 1_111_111_109;
        let code = |step: i64| hotp(Alg::Sha1, secret, u64::try_from(step).unwrap(), 6);
        let now = step_of(t);
        assert_eq!(matching_step(secret, &code(now), t), Some(now));
        assert_eq!(matching_step(secret, &code(now - 1), t), Some(now - 1));
        assert_eq!(matching_step(secret, &code(now + 1), t), Some(now + 1));
        assert_eq!(matching_step(secret, &code(now - 2), t), None);
        let spaced = format!("{} {}", &code(now)[..3], &code(now)[3..]);
        assert_eq!(matching_step(secret, &spaced, t), Some(now));
        for bad in ["", "12345", "1234567", "abcdef", "１２３４５６"] {
            assert_eq!(matching_step(secret, bad, t), None, "{bad}");
        }
    }

    #[test]
    fn base32_and_uri() {
        // RFC 4648 §10.
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        let uri = otpauth_uri(
            "Lanternfish Wallet",
            "li@example.com",
            b"12345678901234567890",
        );
        assert_eq!(
            uri,
            "otpauth://totp/Lanternfish%20Wallet:li%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Lanternfish%20Wallet&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn sealing_round_trips_per_agent_and_key() {
        let secret = [7u8; SECRET_LEN];
        let sealed = seal(b"key", 3, &secret);
        assert_eq!(sealed.len(), 40);
        assert_ne!(sealed, "07".repeat(20), "not stored in clear");
        assert_eq!(unseal(b"key", 3, &sealed).unwrap(), secret);
        assert_ne!(
            unseal(b"key", 4, &sealed).unwrap(),
            secret,
            "another agent's keystream"
        );
        assert_ne!(unseal(b"other", 3, &sealed).unwrap(), secret, "another key");
        assert_eq!(unseal(b"key", 3, "zz"), None);
    }
}
