//! TRON: TronWeb's `signMessageV2`, keccak256("\x19TRON Signed Message:\n" + len + message),
//! with an `r‖s‖v` signature like Ethereum's; the address is Base58Check of `0x41` and the same
//! 20 bytes an EVM account has.

use wallet::ident::Address;

use crate::{InputError, Method, Reason, Verification, encoding, evm};

pub(crate) fn hash(message: &[u8]) -> [u8; 32] {
    let mut data = format!("\x19TRON Signed Message:\n{}", message.len()).into_bytes();
    data.extend_from_slice(message);
    encoding::keccak256(&data)
}

pub(crate) fn verify(
    address: &Address,
    message: &str,
    signature: &str,
) -> Result<Verification, InputError> {
    let (rs, recid) = evm::read_rsv(signature)?;
    let matches = encoding::recover(&hash(message.as_bytes()), &rs, recid).is_some_and(|key| {
        let mut payload = vec![0x41];
        payload.extend_from_slice(&evm::account(&key));
        wallet::codec::base58check_encode(&payload) == address.as_str()
    });
    let reason = if matches {
        Reason::Ok
    } else {
        Reason::SignerMismatch
    };
    Ok(Verification::new(Method::TronSignMessageV2, reason))
}
