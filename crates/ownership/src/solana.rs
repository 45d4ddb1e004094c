//! Solana: wallets' `signMessage` (Phantom, Solflare, Backpack, `@solana/web3.js` with
//! tweetnacl) sign the message bytes with ed25519; the address is the public key in Base58.

use wallet::ident::Address;

use crate::{InputError, Method, Reason, Verification, encoding};

/// Reads a 64-byte signature written in Base58 (what wallets show), Base64 or hex.
fn read_signature(s: &str) -> Result<[u8; 64], InputError> {
    let bytes = encoding::hex(s)
        .filter(|b| b.len() == 64)
        .or_else(|| encoding::base58(s).filter(|b| b.len() == 64))
        .or_else(|| encoding::base64(s).filter(|b| b.len() == 64))
        .ok_or_else(|| {
            InputError::SignatureMalformed(
                "expected 64 bytes written in Base58, Base64 or hex".into(),
            )
        })?;
    let mut out = [0u8; 64];
    out.copy_from_slice(&bytes);
    Ok(out)
}

pub(crate) fn verify(
    address: &Address,
    message: &str,
    signature: &str,
) -> Result<Verification, InputError> {
    let sig = read_signature(signature)?;
    let key = encoding::base58(address.as_str())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or(InputError::AddressUnsupported("this Solana"))?;
    // An address that is not a point on the curve (a program-derived address) cannot sign.
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key) else {
        return Err(InputError::AddressUnsupported(
            "Solana program-derived (off-curve)",
        ));
    };
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    let reason = if key.verify_strict(message.as_bytes(), &sig).is_ok() {
        Reason::Ok
    } else {
        Reason::SignatureInvalid
    };
    Ok(Verification::new(Method::SolanaEd25519, reason))
}
