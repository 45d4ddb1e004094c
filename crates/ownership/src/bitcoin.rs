//! Bitcoin: legacy `signmessage` (BIP-137) and BIP-322 (simple and full).
//!
//! Legacy: a 65-byte compact signature in Base64 whose header byte says how to recover the key:
//! 27–30 uncompressed P2PKH, 31–34 compressed P2PKH, 35–38 P2SH-P2WPKH, 39–42 P2WPKH (BIP-137,
//! Trezor). Electrum writes 31–34 for every SegWit address, so the header only chooses the
//! recovery id and compression; the recovered key must then pay to the given address.
//!
//! BIP-322: the virtual `to_spend` transaction pays the address with the message hash in its
//! input, `to_sign` spends it; the signature is `to_sign`'s witness (simple) or all of `to_sign`
//! (full). The spend is checked by the same rules a node runs for the address types wallets
//! sign with: P2WPKH, P2SH-P2WPKH, P2TR key path (BIP-341 sighash, BIP-340 Schnorr) and P2PKH
//! (legacy sighash). Only `SIGHASH_ALL` (and Taproot's default) is accepted; script paths,
//! other script types and proof-of-funds inputs are answered [`Reason::Unsupported`].

use k256::ecdsa::signature::hazmat::PrehashVerifier as _;
use wallet::ident::{Address, IdKind};

use crate::{InputError, Method, Reason, Verification, encoding};

const SIGHASH_ALL: u8 = 0x01;

/// The output script an address pays to.
fn script_pubkey(address: &Address) -> Option<Vec<u8>> {
    let id = wallet::ident::identify(address.as_str());
    let c = id
        .candidates
        .iter()
        .find(|c| c.valid && c.kind == address.kind())?;
    wallet::codec::hex_decode(c.script_pubkey.as_deref()?)
}

pub(crate) fn verify(
    address: &Address,
    message: &str,
    signature: &str,
) -> Result<Verification, InputError> {
    let kind = address.kind();
    if !matches!(
        kind,
        IdKind::P2pkh | IdKind::P2sh | IdKind::P2wpkh | IdKind::P2tr
    ) {
        return Err(InputError::AddressUnsupported(match kind {
            IdKind::P2wsh => "P2WSH (script)",
            _ => "future SegWit",
        }));
    }
    let spk = script_pubkey(address).ok_or(InputError::AddressUnsupported("this Bitcoin"))?;
    let bytes = encoding::base64(signature).ok_or_else(|| {
        InputError::SignatureMalformed("expected Base64 (what wallets show for Bitcoin)".into())
    })?;
    if bytes.len() == 65 && (27..=42).contains(&bytes[0]) {
        return Ok(legacy(kind, &spk, message, &bytes));
    }
    if let Some(witness) = parse_exact(&bytes, read_witness) {
        let to_spend = to_spend(&spk, message.as_bytes());
        let tx = to_sign(txid(&to_spend), witness);
        let reason = check_spend(&spk, &tx);
        return Ok(Verification::new(Method::Bip322Simple, reason));
    }
    if let Some(tx) = parse_exact(&bytes, read_tx) {
        let expected = txid(&to_spend(&spk, message.as_bytes()));
        let reason = match tx.inputs.first() {
            _ if tx.outputs.len() != 1
                || tx.outputs[0].value != 0
                || tx.outputs[0].script != [0x6a] =>
            {
                Reason::SignatureInvalid
            }
            Some(input) if input.prev_txid == expected && input.vout == 0 => {
                if tx.inputs.len() > 1 {
                    Reason::Unsupported
                } else {
                    check_spend(&spk, &tx)
                }
            }
            // A proof for another message or another address.
            _ => Reason::SignatureInvalid,
        };
        return Ok(Verification::new(Method::Bip322Full, reason));
    }
    Err(InputError::SignatureMalformed(
        "neither a 65-byte signed message nor a BIP-322 witness or transaction".into(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Legacy signmessage

pub(crate) fn signed_message_hash(message: &[u8]) -> [u8; 32] {
    const MAGIC: &[u8] = b"Bitcoin Signed Message:\n";
    let mut data = Vec::with_capacity(message.len() + 32);
    write_varint(&mut data, MAGIC.len() as u64);
    data.extend_from_slice(MAGIC);
    write_varint(&mut data, message.len() as u64);
    data.extend_from_slice(message);
    encoding::sha256d(&data)
}

fn legacy(kind: IdKind, spk: &[u8], message: &str, sig: &[u8]) -> Verification {
    let header = sig[0];
    let recid = (header - 27) & 3;
    let compressed = header >= 31;
    let Some(key) = encoding::recover(&signed_message_hash(message.as_bytes()), &sig[1..], recid)
    else {
        return Verification::new(Method::Bip137, Reason::SignatureInvalid);
    };
    let pk = key.to_encoded_point(compressed);
    let h = encoding::hash160(pk.as_bytes());
    let matches = match kind {
        IdKind::P2pkh => spk == p2pkh_script(&h),
        IdKind::P2wpkh => compressed && spk == p2wpkh_script(&h),
        IdKind::P2sh => compressed && spk == p2sh_script(&encoding::hash160(&p2wpkh_script(&h))),
        // Taproot has no legacy message signing (BIP-322 only).
        _ => false,
    };
    let reason = if matches {
        Reason::Ok
    } else {
        Reason::SignerMismatch
    };
    Verification::new(Method::Bip137, reason)
}

fn p2pkh_script(h: &[u8; 20]) -> Vec<u8> {
    let mut s = vec![0x76, 0xa9, 0x14];
    s.extend_from_slice(h);
    s.extend_from_slice(&[0x88, 0xac]);
    s
}

fn p2wpkh_script(h: &[u8; 20]) -> Vec<u8> {
    let mut s = vec![0x00, 0x14];
    s.extend_from_slice(h);
    s
}

fn p2sh_script(h: &[u8; 20]) -> Vec<u8> {
    let mut s = vec![0xa9, 0x14];
    s.extend_from_slice(h);
    s.push(0x87);
    s
}

// ---------------------------------------------------------------------------------------------
// Transactions

#[derive(Debug, Clone)]
pub(crate) struct TxIn {
    pub(crate) prev_txid: [u8; 32],
    pub(crate) vout: u32,
    pub(crate) script_sig: Vec<u8>,
    pub(crate) sequence: u32,
    pub(crate) witness: Vec<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub(crate) struct TxOut {
    pub(crate) value: u64,
    pub(crate) script: Vec<u8>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tx {
    pub(crate) version: u32,
    pub(crate) inputs: Vec<TxIn>,
    pub(crate) outputs: Vec<TxOut>,
    pub(crate) lock_time: u32,
}

pub(crate) fn message_hash(message: &[u8]) -> [u8; 32] {
    encoding::tagged_hash("BIP0322-signed-message", message)
}

pub(crate) fn to_spend(spk: &[u8], message: &[u8]) -> Tx {
    let mut script_sig = vec![0x00, 0x20];
    script_sig.extend_from_slice(&message_hash(message));
    Tx {
        version: 0,
        inputs: vec![TxIn {
            prev_txid: [0; 32],
            vout: 0xffff_ffff,
            script_sig,
            sequence: 0,
            witness: Vec::new(),
        }],
        outputs: vec![TxOut {
            value: 0,
            script: spk.to_vec(),
        }],
        lock_time: 0,
    }
}

pub(crate) fn to_sign(to_spend_txid: [u8; 32], witness: Vec<Vec<u8>>) -> Tx {
    Tx {
        version: 0,
        inputs: vec![TxIn {
            prev_txid: to_spend_txid,
            vout: 0,
            script_sig: Vec::new(),
            sequence: 0,
            witness,
        }],
        outputs: vec![TxOut {
            value: 0,
            script: vec![0x6a],
        }],
        lock_time: 0,
    }
}

/// The txid in internal byte order (as an outpoint holds it).
pub(crate) fn txid(tx: &Tx) -> [u8; 32] {
    encoding::sha256d(&serialize(tx, false))
}

/// The txid as explorers show it (byte-reversed hex).
#[cfg(test)]
pub(crate) fn txid_hex(tx: &Tx) -> String {
    let mut id = txid(tx);
    id.reverse();
    wallet::codec::hex_encode(&id)
}

fn write_varint(out: &mut Vec<u8>, n: u64) {
    match n {
        0..=0xfc => out.push(n as u8),
        0xfd..=0xffff => {
            out.push(0xfd);
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xfe);
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        _ => {
            out.push(0xff);
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
}

fn write_bytes(out: &mut Vec<u8>, b: &[u8]) {
    write_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn write_outpoint(out: &mut Vec<u8>, input: &TxIn) {
    out.extend_from_slice(&input.prev_txid);
    out.extend_from_slice(&input.vout.to_le_bytes());
}

fn write_output(out: &mut Vec<u8>, o: &TxOut) {
    out.extend_from_slice(&o.value.to_le_bytes());
    write_bytes(out, &o.script);
}

pub(crate) fn serialize(tx: &Tx, with_witness: bool) -> Vec<u8> {
    let segwit = with_witness && tx.inputs.iter().any(|i| !i.witness.is_empty());
    let mut out = Vec::new();
    out.extend_from_slice(&tx.version.to_le_bytes());
    if segwit {
        out.extend_from_slice(&[0x00, 0x01]);
    }
    write_varint(&mut out, tx.inputs.len() as u64);
    for i in &tx.inputs {
        write_outpoint(&mut out, i);
        write_bytes(&mut out, &i.script_sig);
        out.extend_from_slice(&i.sequence.to_le_bytes());
    }
    write_varint(&mut out, tx.outputs.len() as u64);
    for o in &tx.outputs {
        write_output(&mut out, o);
    }
    if segwit {
        for i in &tx.inputs {
            write_varint(&mut out, i.witness.len() as u64);
            for item in &i.witness {
                write_bytes(&mut out, item);
            }
        }
    }
    out.extend_from_slice(&tx.lock_time.to_le_bytes());
    out
}

/// A cursor over untrusted bytes: every read is bounds-checked.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.data.len() {
            return None;
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn varint(&mut self) -> Option<usize> {
        let n = match self.u8()? {
            0xfd => u64::from(u16::from_le_bytes(self.take(2)?.try_into().ok()?)),
            0xfe => u64::from(self.u32()?),
            0xff => self.u64()?,
            n => u64::from(n),
        };
        // Nothing here can be longer than the input itself.
        let n = usize::try_from(n).ok()?;
        (n <= self.data.len()).then_some(n)
    }

    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.varint()?;
        self.take(n).map(<[u8]>::to_vec)
    }
}

fn parse_exact<T>(data: &[u8], f: impl FnOnce(&mut Reader<'_>) -> Option<T>) -> Option<T> {
    let mut r = Reader { data };
    let value = f(&mut r)?;
    r.data.is_empty().then_some(value)
}

fn read_witness(r: &mut Reader<'_>) -> Option<Vec<Vec<u8>>> {
    let n = r.varint()?;
    (0..n).map(|_| r.bytes()).collect()
}

fn read_tx(r: &mut Reader<'_>) -> Option<Tx> {
    let version = r.u32()?;
    let mut segwit = false;
    if r.data.first() == Some(&0) {
        if r.take(2)? != [0x00, 0x01] {
            return None;
        }
        segwit = true;
    }
    let n_in = r.varint()?;
    let mut inputs = Vec::with_capacity(n_in.min(64));
    for _ in 0..n_in {
        let prev_txid: [u8; 32] = r.take(32)?.try_into().ok()?;
        let vout = r.u32()?;
        let script_sig = r.bytes()?;
        let sequence = r.u32()?;
        inputs.push(TxIn {
            prev_txid,
            vout,
            script_sig,
            sequence,
            witness: Vec::new(),
        });
    }
    let n_out = r.varint()?;
    let mut outputs = Vec::with_capacity(n_out.min(64));
    for _ in 0..n_out {
        let value = r.u64()?;
        let script = r.bytes()?;
        outputs.push(TxOut { value, script });
    }
    if segwit {
        for i in &mut inputs {
            i.witness = read_witness(r)?;
        }
    }
    let lock_time = r.u32()?;
    (!inputs.is_empty()).then_some(Tx {
        version,
        inputs,
        outputs,
        lock_time,
    })
}

// ---------------------------------------------------------------------------------------------
// Checking the spend of to_spend's output by to_sign's first input

fn check_spend(spk: &[u8], tx: &Tx) -> Reason {
    let input = &tx.inputs[0];
    match spk {
        [0x00, 0x14, h @ ..] => {
            if !input.script_sig.is_empty() {
                return Reason::SignatureInvalid;
            }
            p2wpkh_spend(h, tx)
        }
        [0xa9, 0x14, h @ .., 0x87] => {
            // P2SH-P2WPKH: the script sig pushes `0 <20 bytes>`. The simple format carries no
            // script sig; then the redeem script follows from the witness's key.
            let redeem = match input.script_sig.as_slice() {
                [] => match input.witness.as_slice() {
                    [_, pk] => p2wpkh_script(&encoding::hash160(pk)),
                    _ => return Reason::SignatureInvalid,
                },
                [0x16, redeem @ ..] if redeem.len() == 0x16 => redeem.to_vec(),
                _ => return Reason::Unsupported,
            };
            if encoding::hash160(&redeem) != h {
                return Reason::SignerMismatch;
            }
            match redeem.as_slice() {
                [0x00, 0x14, wh @ ..] => p2wpkh_spend(wh, tx),
                _ => Reason::Unsupported,
            }
        }
        [0x51, 0x20, x @ ..] => {
            if !input.script_sig.is_empty() {
                return Reason::SignatureInvalid;
            }
            p2tr_spend(x, spk, tx)
        }
        [0x76, 0xa9, 0x14, h @ .., 0x88, 0xac] => {
            if !input.witness.is_empty() {
                return Reason::SignatureInvalid;
            }
            p2pkh_spend(h, spk, tx)
        }
        _ => Reason::Unsupported,
    }
}

fn p2wpkh_spend(h: &[u8], tx: &Tx) -> Reason {
    let [sig, pk] = tx.inputs[0].witness.as_slice() else {
        return Reason::SignatureInvalid;
    };
    if pk.len() != 33 || encoding::hash160(pk) != h {
        return Reason::SignerMismatch;
    }
    let Some((sig, hashtype)) = read_der(sig) else {
        return Reason::SignatureInvalid;
    };
    if hashtype != SIGHASH_ALL {
        return Reason::Unsupported;
    }
    let h: [u8; 20] = h.try_into().unwrap_or_default();
    let digest = bip143_sighash(tx, &p2pkh_script(&h), 0, hashtype);
    ecdsa_ok(pk, &digest, &sig)
}

fn p2pkh_spend(h: &[u8], spk: &[u8], tx: &Tx) -> Reason {
    let Some(pushes) = read_pushes(&tx.inputs[0].script_sig) else {
        return Reason::SignatureInvalid;
    };
    let [sig, pk] = pushes.as_slice() else {
        return Reason::SignatureInvalid;
    };
    if encoding::hash160(pk) != h {
        return Reason::SignerMismatch;
    }
    let Some((sig, hashtype)) = read_der(sig) else {
        return Reason::SignatureInvalid;
    };
    if hashtype != SIGHASH_ALL {
        return Reason::Unsupported;
    }
    ecdsa_ok(pk, &legacy_sighash(tx, spk, hashtype), &sig)
}

fn p2tr_spend(x: &[u8], spk: &[u8], tx: &Tx) -> Reason {
    let [sig] = tx.inputs[0].witness.as_slice() else {
        // More items: a script path or an annex.
        return if tx.inputs[0].witness.is_empty() {
            Reason::SignatureInvalid
        } else {
            Reason::Unsupported
        };
    };
    let (sig, hashtype) = match sig.len() {
        64 => (&sig[..], 0x00),
        65 if sig[64] == SIGHASH_ALL => (&sig[..64], SIGHASH_ALL),
        65 => return Reason::Unsupported,
        _ => return Reason::SignatureInvalid,
    };
    let (Ok(key), Ok(sig)) = (
        k256::schnorr::VerifyingKey::from_bytes(x),
        k256::schnorr::Signature::try_from(sig),
    ) else {
        return Reason::SignatureInvalid;
    };
    let digest = bip341_sighash(tx, spk, hashtype);
    if key.verify_prehash(&digest, &sig).is_ok() {
        Reason::Ok
    } else {
        Reason::SignatureInvalid
    }
}

fn ecdsa_ok(pk: &[u8], digest: &[u8; 32], sig: &k256::ecdsa::Signature) -> Reason {
    let Ok(key) = k256::ecdsa::VerifyingKey::from_sec1_bytes(pk) else {
        return Reason::SignatureInvalid;
    };
    if key.verify_prehash(digest, sig).is_ok() {
        Reason::Ok
    } else {
        Reason::SignatureInvalid
    }
}

/// A strict DER signature (BIP-66) followed by the sighash type byte.
fn read_der(sig: &[u8]) -> Option<(k256::ecdsa::Signature, u8)> {
    let (&hashtype, der) = sig.split_last()?;
    let [0x30, len, rest @ ..] = der else {
        return None;
    };
    if usize::from(*len) != rest.len() {
        return None;
    }
    let mut r = Reader { data: rest };
    let mut scalar = || -> Option<[u8; 32]> {
        if r.u8()? != 0x02 {
            return None;
        }
        let n = usize::from(r.u8()?);
        let bytes = r.take(n)?;
        let bytes = match bytes {
            [0x00, b, ..] if *b >= 0x80 => &bytes[1..],
            [b, ..] if *b < 0x80 => bytes,
            _ => return None,
        };
        if bytes.len() > 32 {
            return None;
        }
        let mut out = [0u8; 32];
        out[32 - bytes.len()..].copy_from_slice(bytes);
        Some(out)
    };
    let r_ = scalar()?;
    let s_ = scalar()?;
    if !r.data.is_empty() {
        return None;
    }
    let sig = k256::ecdsa::Signature::from_scalars(r_, s_).ok()?;
    Some((sig, hashtype))
}

/// The data pushes of a script that holds only pushes.
fn read_pushes(script: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut r = Reader { data: script };
    let mut out = Vec::new();
    while let Some(op) = r.u8() {
        let n = match op {
            1..=0x4b => usize::from(op),
            0x4c => usize::from(r.u8()?),
            0x4d => usize::from(u16::from_le_bytes(r.take(2)?.try_into().ok()?)),
            _ => return None,
        };
        out.push(r.take(n)?.to_vec());
    }
    Some(out)
}

fn bip143_sighash(tx: &Tx, script_code: &[u8], amount: u64, hashtype: u8) -> [u8; 32] {
    let mut prevouts = Vec::new();
    let mut sequences = Vec::new();
    for i in &tx.inputs {
        write_outpoint(&mut prevouts, i);
        sequences.extend_from_slice(&i.sequence.to_le_bytes());
    }
    let mut outputs = Vec::new();
    for o in &tx.outputs {
        write_output(&mut outputs, o);
    }
    let input = &tx.inputs[0];
    let mut pre = Vec::new();
    pre.extend_from_slice(&tx.version.to_le_bytes());
    pre.extend_from_slice(&encoding::sha256d(&prevouts));
    pre.extend_from_slice(&encoding::sha256d(&sequences));
    write_outpoint(&mut pre, input);
    write_bytes(&mut pre, script_code);
    pre.extend_from_slice(&amount.to_le_bytes());
    pre.extend_from_slice(&input.sequence.to_le_bytes());
    pre.extend_from_slice(&encoding::sha256d(&outputs));
    pre.extend_from_slice(&tx.lock_time.to_le_bytes());
    pre.extend_from_slice(&u32::from(hashtype).to_le_bytes());
    encoding::sha256d(&pre)
}

fn legacy_sighash(tx: &Tx, spk: &[u8], hashtype: u8) -> [u8; 32] {
    let mut copy = tx.clone();
    for (n, i) in copy.inputs.iter_mut().enumerate() {
        i.script_sig = if n == 0 { spk.to_vec() } else { Vec::new() };
        i.witness.clear();
    }
    let mut pre = serialize(&copy, false);
    pre.extend_from_slice(&u32::from(hashtype).to_le_bytes());
    encoding::sha256d(&pre)
}

/// BIP-341 key-path sighash of input 0, which spends a 0-value output paying `spk`.
fn bip341_sighash(tx: &Tx, spk: &[u8], hashtype: u8) -> [u8; 32] {
    let mut prevouts = Vec::new();
    let mut amounts = Vec::new();
    let mut spks = Vec::new();
    let mut sequences = Vec::new();
    for i in &tx.inputs {
        write_outpoint(&mut prevouts, i);
        amounts.extend_from_slice(&0u64.to_le_bytes());
        write_bytes(&mut spks, spk);
        sequences.extend_from_slice(&i.sequence.to_le_bytes());
    }
    let mut outputs = Vec::new();
    for o in &tx.outputs {
        write_output(&mut outputs, o);
    }
    let mut msg = vec![0x00, hashtype];
    msg.extend_from_slice(&tx.version.to_le_bytes());
    msg.extend_from_slice(&tx.lock_time.to_le_bytes());
    msg.extend_from_slice(&encoding::sha256(&prevouts));
    msg.extend_from_slice(&encoding::sha256(&amounts));
    msg.extend_from_slice(&encoding::sha256(&spks));
    msg.extend_from_slice(&encoding::sha256(&sequences));
    msg.extend_from_slice(&encoding::sha256(&outputs));
    msg.push(0x00); // key path, no annex
    msg.extend_from_slice(&0u32.to_le_bytes());
    encoding::tagged_hash("TapSighash", &msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    // BIP-322's own vectors for the virtual transactions (tests/vectors/bip322_vectors.json).
    #[test]
    fn virtual_transactions_match_bip322() {
        let text = include_str!("../tests/vectors/shared/message_signing/bip322_vectors.json");
        let v: serde_json::Value = serde_json::from_str(text).expect("json");
        let address = Address::parse(
            v["message_signing"]["address"].as_str().expect("address"),
            None,
        )
        .expect("address");
        let spk = script_pubkey(&address).expect("script");
        for case in v["message_hashing"]["vectors"].as_array().expect("vectors") {
            let m = case["message"].as_str().expect("message");
            assert_eq!(
                wallet::codec::hex_encode(&message_hash(m.as_bytes())),
                case["message_hash"].as_str().expect("hash")
            );
        }
        let spends = v["transaction_hashes"]["to_spend"]
            .as_array()
            .expect("to_spend");
        let signs = v["transaction_hashes"]["to_sign"]
            .as_array()
            .expect("to_sign");
        assert_eq!(spends.len(), 2);
        for (s, t) in spends.iter().zip(signs) {
            let m = s["message"].as_str().expect("message");
            let spend = to_spend(&spk, m.as_bytes());
            assert_eq!(txid_hex(&spend), s["txid"].as_str().expect("txid"));
            let sign = to_sign(txid(&spend), Vec::new());
            assert_eq!(txid_hex(&sign), t["txid"].as_str().expect("txid"));
        }
    }

    #[test]
    fn transactions_round_trip_and_truncations_are_refused() {
        let spend = to_spend(
            &[
                0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            ],
            b"hi",
        );
        let sign = to_sign(txid(&spend), vec![vec![1, 2, 3], vec![4; 33]]);
        let bytes = serialize(&sign, true);
        let back = parse_exact(&bytes, read_tx).expect("parses");
        assert_eq!(serialize(&back, true), bytes);
        for cut in 0..bytes.len() {
            assert!(
                parse_exact(&bytes[..cut], read_tx).is_none(),
                "cut at {cut}"
            );
        }
    }
}
