//! `POST /api/v1/signatures/verify` with `{address, message, signature}`: whether a signed
//! message proves an address (`ownership::verify`), the same answer as
//! `walletdesk verify-signature --json`. No authentication: it reads nothing from the desk and
//! writes nothing, and nothing in the body is logged.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// The longest message accepted (a SIWE challenge is under 1 KB).
const MAX_MESSAGE_BYTES: usize = 8 * 1024;
/// The longest signature accepted (a BIP-322 full transaction with a P2PKH input is ~300 B).
const MAX_SIGNATURE_BYTES: usize = 4 * 1024;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignatureIn {
    /// The address to prove: EVM (`0x…`), Bitcoin (P2PKH, P2SH-P2WPKH, P2WPKH, P2TR), TRON or
    /// Solana.
    #[schema(min_length = 1, max_length = 200, pattern = r"[^\s\x85]")]
    address: String,
    /// The exact text that was signed (at most 8 KiB).
    #[schema(min_length = 1, max_length = 8192, pattern = r"[^\s\x85]")]
    message: String,
    /// The signature as the wallet showed it: hex (EVM, TRON), Base64 (Bitcoin), Base58,
    /// Base64 or hex (Solana). At most 4 KiB.
    #[schema(min_length = 1, max_length = 4096, pattern = r"[^\s\x85]")]
    signature: String,
    /// The SIWE domain the message must name.
    #[serde(default)]
    domain: Option<String>,
    /// The nonce the challenge must carry.
    #[serde(default)]
    nonce: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SignatureOut {
    /// Whether the signature proves the address.
    valid: bool,
    /// `eip191`, `siwe`, `bip137`, `bip322_simple`, `bip322_full`, `tron_sign_message_v2` or
    /// `solana_ed25519`.
    method: String,
    /// `ok`, `signer_mismatch`, `signature_invalid`, `address_mismatch`, `domain_mismatch`,
    /// `nonce_mismatch`, `expired`, `not_yet_valid` or `unsupported`.
    reason: String,
}

/// The API error for input the checker cannot read.
pub(crate) fn input_error(e: &ownership::InputError) -> ApiError {
    use ownership::InputError as E;
    let code = match e {
        E::Address(_) => ErrorCode::AddressInvalid,
        E::AddressUnsupported(_) => ErrorCode::AddressUnsupported,
        E::SignatureEmpty => ErrorCode::SignatureEmpty,
        E::SignatureMalformed(_) => ErrorCode::SignatureMalformed,
        E::Siwe(_) => ErrorCode::SiweMalformed,
    };
    ApiError::bad_request(code, e.to_string())
}

/// Check that a signed message proves an address (EVM, Bitcoin, TRON, Solana); no token needed.
///
/// A readable input is answered 200 whether or not the signature is valid; input that is not an
/// address or not a signature is a 400 with its own code. A signature field that does not
/// verify and holds a recovery phrase or private key is refused (422): support never needs one.
#[utoipa::path(
    post,
    path = "/api/v1/signatures/verify",
    tag = "ownership",
    request_body = SignatureIn,
    responses(
        (status = 200, description = "The answer: valid, the method, the reason (stable codes)", body = SignatureOut),
        (status = 400, description = "`invalid_json`, `address_invalid`, `address_unsupported`, `signature_empty`, `signature_malformed` or `siwe_malformed`", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: too many checks from this client (`[limits] verify_per_ip`), with `Retry-After`", body = crate::api::dto::ErrorOut),
        (status = 422, description = "`query_contains_secret`: a recovery phrase or key where the signature goes", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn verify(
    State(state): State<AppState>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<SignatureOut>, ApiError> {
    let q: SignatureIn = crate::api::object_body(body)?;
    if q.message.len() > MAX_MESSAGE_BYTES
        || q.signature.len() > MAX_SIGNATURE_BYTES
        || q.address.len() > 200
    {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::ValueTooLong,
            "the address, message or signature is too long",
        ));
    }
    let expect = ownership::Expect {
        now: Some(state.clock.now_timestamp()),
        domain: q.domain,
        nonce: q.nonce,
    };
    let result = ownership::verify(&q.address, &q.message, &q.signature, &expect);
    if !result.as_ref().is_ok_and(|v| v.valid) && crate::query_guard::holds_secret(&q.signature) {
        return Err(ApiError::SecretInQuery);
    }
    let v = result.map_err(|e| input_error(&e))?;
    Ok(Json(SignatureOut {
        valid: v.valid,
        method: v.method.as_str().to_owned(),
        reason: v.reason.as_str().to_owned(),
    }))
}
