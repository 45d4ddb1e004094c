//! Mail with a secret link is stored without the link.
//!
//! A ticket's access link (`/t/<token>`) opens the ticket; the database keeps only the token's
//! SHA-256. If the outbox kept the mail's text as sent, a copy of the database (a backup, a
//! replica, a dump attached to a bug report) would open every ticket whose mail is still there.
//! So the token is not random-and-forgotten but *derived*:
//!
//! * a random **seed** (16 bytes) is drawn per mail and stored in the outbox row
//!   (`outbox.link_seed`), and the body is stored with the placeholder [`LINK`];
//! * the token is `HMAC-SHA256(link key, "walletdesk access link v1" ‖ seed)`, base64url;
//!   the ticket stores `SHA-256(token)` as before;
//! * the **link key** is 32 random bytes in `<data_dir>/link.key` (mode `0600`, created on first
//!   start), never in the database;
//! * whatever sends the mail calls [`render_body`] with the key, at send time.
//!
//! Threat model: someone who has the database (and nothing else) learns that a mail exists and
//! its seed, which without the key says nothing about the token. Someone who has the data
//! directory *and* the database has everything the server has; the directory is owner-only
//! (`datadir.rs`), and a backup of the database alone (`walletdesk backup`) does not include
//! the key. Losing the key makes unsent mail unrenderable (the links would be wrong); tickets
//! themselves still open with their links, because those were shown and hashed at creation.

pub mod config;
pub mod imap;
pub mod inbound;
pub mod notify;
pub mod outbox;
pub mod phishing_code;
pub mod url;

use std::path::Path;

use sha2::{Digest, Sha256};
use store::OutboxMail;

/// Where a secret link goes in a stored mail body.
pub const LINK: &str = "{{link}}";

/// The file in the data directory that holds the link key.
pub const KEY_FILE: &str = "link.key";

/// The key from which access-link tokens are derived. Never printed.
pub struct LinkKey([u8; 32]);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

impl LinkKey {
    /// Reads `<dir>/link.key`, or creates it (owner-only) with 32 fresh random bytes.
    ///
    /// # Errors
    /// The file cannot be read or created, or holds something that is not a key.
    pub fn load_or_create(dir: &Path) -> std::io::Result<LinkKey> {
        let path = dir.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
                .map(LinkKey)
                .map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} is not a 32-byte key", path.display()),
                    )
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = LinkKey::random().map_err(std::io::Error::other)?;
                std::fs::create_dir_all(dir)?;
                crate::datadir::write_private(&path, &key.0)?;
                Ok(key)
            }
            Err(e) => Err(e),
        }
    }

    /// A key that lives in memory only (mail queued with it cannot be rendered after a
    /// restart): for a data directory that cannot be written.
    ///
    /// # Errors
    /// The operating system's random source failed.
    pub fn random() -> Result<LinkKey, getrandom::Error> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k)?;
        Ok(LinkKey(k))
    }

    /// The key's bytes, for deriving other values from it (sealing TOTP secrets).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The CSRF token of an anonymous browser whose cookie holds `nonce`: without the key,
    /// no one can make a cookie and form-field pair that passes.
    #[must_use]
    pub fn csrf(&self, nonce: &str) -> String {
        let mut msg = b"walletdesk csrf v1\0".to_vec();
        msg.extend_from_slice(nonce.as_bytes());
        crate::auth::base64url(&hmac_sha256(&self.0, &msg))
    }

    /// The access token a seed stands for.
    #[must_use]
    pub fn token(&self, seed: &str) -> String {
        let mut msg = b"walletdesk access link v1\0".to_vec();
        msg.extend_from_slice(seed.as_bytes());
        crate::auth::base64url(&hmac_sha256(&self.0, &msg))
    }
}

/// A fresh seed for one mail's link: 16 random bytes, hex.
///
/// # Errors
/// The operating system's random source failed.
pub fn new_seed() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    Ok(b.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where the `i`-th secret link of a mail goes: [`LINK`] for the first, `{{link:1}}`,
/// `{{link:2}}`… for the others (a "my tickets" mail lists several tickets, one link each).
#[must_use]
pub fn link_placeholder(i: usize) -> String {
    if i == 0 {
        LINK.to_owned()
    } else {
        format!("{{{{link:{i}}}}}")
    }
}

/// Several seeds as one `outbox.link_seed` value (space-separated, in placeholder order).
#[must_use]
pub fn join_seeds(seeds: &[String]) -> Option<String> {
    (!seeds.is_empty()).then(|| seeds.join(" "))
}

/// The path a kind of mail links to, before the token.
fn link_path(kind: &str) -> Option<&'static str> {
    match kind {
        "ticket_created" | "agent_reply" | "my_tickets" => Some("/t/"),
        "phishing_code_confirm" => Some("/mail-code/confirm/"),
        "sign_in_link" => Some("/agent/link/"),
        _ => None,
    }
}

/// The body as it is sent: each link placeholder ([`link_placeholder`]) replaced by the link
/// its seed stands for (the seeds are space-separated in `link_seed`, in placeholder order).
/// A mail without a seed (or of a kind without a link) is sent as stored.
#[must_use]
pub fn render_body(mail: &OutboxMail, key: &LinkKey, public_url: &str) -> String {
    match (&mail.link_seed, link_path(&mail.kind)) {
        (Some(seeds), Some(path)) => {
            let mut body = mail.body_text.clone();
            for (i, seed) in seeds.split(' ').filter(|s| !s.is_empty()).enumerate() {
                body = body.replace(
                    &link_placeholder(i),
                    &format!("{public_url}{path}{}", key.token(seed)),
                );
            }
            body
        }
        _ => mail.body_text.clone(),
    }
}

/// HMAC-SHA256 (RFC 2104) for a key of at most one block.
pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() <= 64 {
        block[..key.len()].copy_from_slice(key);
    } else {
        block[..32].copy_from_slice(&Sha256::digest(key));
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2.
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than a block is hashed first.
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn the_key_file_is_created_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = LinkKey::load_or_create(dir.path()).unwrap();
        let b = LinkKey::load_or_create(dir.path()).unwrap();
        assert_eq!(a.token("seed"), b.token("seed"));
        assert_ne!(a.token("seed"), a.token("other"));
        assert_eq!(a.token("seed").len(), 43);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap();
            assert_eq!(m.permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(format!("{a:?}"), "LinkKey(..)");
    }
}
