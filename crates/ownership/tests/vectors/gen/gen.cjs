// Generates the signing vectors in ../generated/*.json with the wallets' own libraries, offline.
// Usage (from this directory): npm ci && node gen.cjs
// Keys are derived from fixed labels (sha256("walletdesk ownership vector: <label>")), so a run
// reproduces the same ECDSA and ed25519 signatures (RFC 6979 and ed25519 are deterministic);
// BIP-340 Schnorr signatures use fresh auxiliary randomness, so those differ from run to run.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const { ethers } = require('ethers');
const { SiweMessage } = require('siwe');
const { TronWeb, Trx } = require('tronweb');
const nacl = require('tweetnacl');
const bs58 = require('bs58').default;
const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const { ECPairFactory } = require('ecpair');
const bitcoinMessage = require('bitcoinjs-message');
const { BIP322, Signer, Verifier } = require('bip322-js');

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const OUT = path.join(__dirname, '..', 'generated');
const version = (name) => {
  // Read package.json from the resolved module's directory (some packages do not export it).
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).name !== name) {
    dir = path.dirname(dir);
  }
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).version;
};

const key = (label) =>
  crypto.createHash('sha256').update(`walletdesk ownership vector: ${label}`).digest();

// The desk's challenge for one ticket, as crates/ownership/src/challenge.rs writes it.
const ISSUED = '2026-01-01T00:00:00Z';
const EXPIRES = '2026-01-01T00:15:00Z';
const NOW = '2026-01-01T00:05:00Z';
const LATE = '2026-01-01T00:20:00Z';
const DOMAIN = 'help.example.com';
const NONCE = 'k3Xq9TzvB2mL';
function plainChallenge(address, lang) {
  const head =
    lang === 'zh'
      ? `${DOMAIN} 请您证明您拥有这个地址。`
      : `${DOMAIN} asks you to prove that you own this address.`;
  const tail =
    lang === 'zh'
      ? '签名这段文字不会转移任何资金，也不会让任何人进入您的钱包。客服绝不会索要您的助记词或私钥。'
      : 'Signing this text moves no funds and gives no one access to your wallet. ' +
        'Support will never ask for your recovery phrase or private key.';
  return (
    `${head}\n\nAddress: ${address}\nTicket: #42\nNonce: ${NONCE}\n` +
    `Issued At: ${ISSUED}\nExpiration Time: ${EXPIRES}\n\n${tail}`
  );
}

const flipLastChar = (s) => s.slice(0, -2) + (s.slice(-2, -1) === 'A' ? 'B' : 'A') + s.slice(-1);

function write(file, library, cases) {
  fs.mkdirSync(OUT, { recursive: true });
  const doc = { generated_by: `gen/gen.cjs with ${library}`, cases };
  fs.writeFileSync(path.join(OUT, file), JSON.stringify(doc, null, 2) + '\n');
  console.log(`${file}: ${cases.length} cases`);
}

// ---------------------------------------------------------------------------------------------
// EVM: ethers Wallet.signMessage (EIP-191) and siwe's SiweMessage.prepareMessage.
async function evm() {
  const w = new ethers.Wallet(ethers.hexlify(key('evm-1')));
  const other = new ethers.Wallet(ethers.hexlify(key('evm-2')));
  const cases = [];
  const ok = (method) => ({ valid: true, method, reason: 'ok' });
  for (const text of ['Hello from walletdesk', '我拥有这个地址 #42', 'line one\nline two']) {
    const sig = await w.signMessage(text);
    if (ethers.verifyMessage(text, sig) !== w.address) throw new Error('ethers disagrees');
    cases.push({ name: `eip191 ${JSON.stringify(text)}`, address: w.address, message: text, signature: sig, expect: ok('eip191') });
    cases.push({ name: `eip191 lower-case address ${JSON.stringify(text)}`, address: w.address.toLowerCase(), message: text, signature: sig, expect: ok('eip191') });
  }
  const text = 'Hello from walletdesk';
  const sig = await w.signMessage(text);
  // v as 0/1 instead of 27/28 (some hardware wallets), and EIP-2098 compact form.
  const s = ethers.Signature.from(sig);
  cases.push({ name: 'eip191 v as 0/1', address: w.address, message: text, signature: s.r + s.s.slice(2) + (s.v - 27).toString(16).padStart(2, '0'), expect: ok('eip191') });
  cases.push({ name: 'eip191 EIP-2098 compact', address: w.address, message: text, signature: s.compactSerialized, expect: ok('eip191') });
  cases.push({ name: 'eip191 wrong address', address: other.address, message: text, signature: sig, expect: { valid: false, method: 'eip191', reason: 'signer_mismatch' } });
  cases.push({ name: 'eip191 altered message', address: w.address, message: text + '!', signature: sig, expect: { valid: false, method: 'eip191', reason: 'signer_mismatch' } });
  cases.push({ name: 'eip191 truncated signature', address: w.address, message: text, signature: sig.slice(0, -4), expect: { error: 'signature_malformed' } });
  cases.push({ name: 'eip191 not hex', address: w.address, message: text, signature: 'zz' + sig.slice(4), expect: { error: 'signature_malformed' } });
  cases.push({ name: 'eip191 v out of range', address: w.address, message: text, signature: sig.slice(0, -2) + '1d', expect: { error: 'signature_malformed' } });
  cases.push({ name: 'eip191 TRON address (wrong chain)', address: TronWeb.address.fromHex('41' + w.address.slice(2)), message: text, signature: sig, expect: { valid: false, method: 'tron_sign_message_v2', reason: 'signer_mismatch' } });

  // SIWE, as the desk writes it.
  const siwe = new SiweMessage({
    domain: DOMAIN,
    address: w.address,
    statement: `Prove that you own this address for support ticket #42 at ${DOMAIN}. Signing moves no funds. Support never asks for your recovery phrase or private key.`,
    uri: `https://${DOMAIN}/`,
    version: '1',
    chainId: 1,
    nonce: NONCE,
    issuedAt: ISSUED,
    expirationTime: EXPIRES,
    requestId: 'ticket-42',
    resources: ['urn:walletdesk:ticket:42'],
  }).prepareMessage();
  const ssig = await w.signMessage(siwe);
  const base = { address: w.address, message: siwe, signature: ssig };
  cases.push({ name: 'siwe desk challenge', ...base, now: NOW, domain: DOMAIN, nonce: NONCE, expect: ok('siwe') });
  cases.push({ name: 'siwe desk challenge, expired', ...base, now: LATE, domain: DOMAIN, nonce: NONCE, expect: { valid: false, method: 'siwe', reason: 'expired' } });
  cases.push({ name: 'siwe wrong domain', ...base, now: NOW, domain: 'help.example.org', nonce: NONCE, expect: { valid: false, method: 'siwe', reason: 'domain_mismatch' } });
  cases.push({ name: 'siwe wrong nonce', ...base, now: NOW, domain: DOMAIN, nonce: 'aaaaaaaaaaaa', expect: { valid: false, method: 'siwe', reason: 'nonce_mismatch' } });
  cases.push({ name: 'siwe other address', ...base, address: other.address, now: NOW, expect: { valid: false, method: 'siwe', reason: 'address_mismatch' } });
  cases.push({ name: 'siwe signed by another key', ...base, signature: await other.signMessage(siwe), now: NOW, expect: { valid: false, method: 'siwe', reason: 'signer_mismatch' } });
  cases.push({ name: 'siwe altered nonce in text', ...base, message: siwe.replace(NONCE, 'k3Xq9TzvB2mX'), now: NOW, expect: { valid: false, method: 'siwe', reason: 'signer_mismatch' } });
  cases.push({ name: 'siwe broken text', ...base, message: siwe.replace('Version: 1', 'Version: 2'), now: NOW, expect: { error: 'siwe_malformed' } });
  write('evm.json', `ethers ${version('ethers')}, siwe ${version('siwe')}`, cases);
}

// ---------------------------------------------------------------------------------------------
// TRON: Trx.signMessageV2.
function tron() {
  const pk = key('tron-1').toString('hex');
  const address = TronWeb.address.fromPrivateKey(pk);
  const other = TronWeb.address.fromPrivateKey(key('tron-2').toString('hex'));
  const cases = [];
  for (const lang of ['en', 'zh']) {
    const m = plainChallenge(address, lang);
    const sig = Trx.signMessageV2(m, pk);
    if (Trx.verifyMessageV2(m, sig) !== address) throw new Error('tronweb disagrees');
    cases.push({ name: `tron challenge ${lang}`, address, message: m, signature: sig, now: NOW, nonce: NONCE, expect: { valid: true, method: 'tron_sign_message_v2', reason: 'ok' } });
    cases.push({ name: `tron challenge ${lang}, expired`, address, message: m, signature: sig, now: LATE, nonce: NONCE, expect: { valid: false, method: 'tron_sign_message_v2', reason: 'expired' } });
  }
  const m = 'Hello from walletdesk';
  const sig = Trx.signMessageV2(m, pk);
  cases.push({ name: 'tron plain text', address, message: m, signature: sig, expect: { valid: true, method: 'tron_sign_message_v2', reason: 'ok' } });
  cases.push({ name: 'tron wrong address', address: other, message: m, signature: sig, expect: { valid: false, method: 'tron_sign_message_v2', reason: 'signer_mismatch' } });
  cases.push({ name: 'tron altered message', address, message: m + '.', signature: sig, expect: { valid: false, method: 'tron_sign_message_v2', reason: 'signer_mismatch' } });
  cases.push({ name: 'tron malformed signature', address, message: m, signature: sig.slice(0, 40), expect: { error: 'signature_malformed' } });
  // The same key's EVM address with a TRON signature: an EIP-191 check fails.
  const evmAddress = ethers.computeAddress('0x' + pk);
  cases.push({ name: 'tron signature, EVM address (wrong chain)', address: evmAddress, message: m, signature: sig, expect: { valid: false, method: 'eip191', reason: 'signer_mismatch' } });
  write('tron.json', `tronweb ${version('tronweb')}`, cases);
}

// ---------------------------------------------------------------------------------------------
// Solana: tweetnacl sign.detached (what @solana/web3.js and wallet adapters use).
function solana() {
  const kp = nacl.sign.keyPair.fromSeed(key('solana-1'));
  const other = nacl.sign.keyPair.fromSeed(key('solana-2'));
  const address = bs58.encode(kp.publicKey);
  const cases = [];
  for (const lang of ['en', 'zh']) {
    const m = plainChallenge(address, lang);
    const sig = nacl.sign.detached(Buffer.from(m, 'utf8'), kp.secretKey);
    cases.push({ name: `solana challenge ${lang} base58`, address, message: m, signature: bs58.encode(sig), now: NOW, nonce: NONCE, expect: { valid: true, method: 'solana_ed25519', reason: 'ok' } });
    cases.push({ name: `solana challenge ${lang} base64`, address, message: m, signature: Buffer.from(sig).toString('base64'), now: NOW, expect: { valid: true, method: 'solana_ed25519', reason: 'ok' } });
    cases.push({ name: `solana challenge ${lang} hex`, address, message: m, signature: Buffer.from(sig).toString('hex'), now: NOW, expect: { valid: true, method: 'solana_ed25519', reason: 'ok' } });
    cases.push({ name: `solana challenge ${lang}, expired`, address, message: m, signature: bs58.encode(sig), now: LATE, expect: { valid: false, method: 'solana_ed25519', reason: 'expired' } });
    cases.push({ name: `solana challenge ${lang}, wrong nonce`, address, message: m, signature: bs58.encode(sig), now: NOW, nonce: 'zzzzzzzzzzzz', expect: { valid: false, method: 'solana_ed25519', reason: 'nonce_mismatch' } });
  }
  const m = 'Hello from walletdesk';
  const sig = bs58.encode(nacl.sign.detached(Buffer.from(m), kp.secretKey));
  cases.push({ name: 'solana wrong address', address: bs58.encode(other.publicKey), message: m, signature: sig, expect: { valid: false, method: 'solana_ed25519', reason: 'signature_invalid' } });
  cases.push({ name: 'solana altered message', address, message: m + '?', signature: sig, expect: { valid: false, method: 'solana_ed25519', reason: 'signature_invalid' } });
  cases.push({ name: 'solana malformed signature', address, message: m, signature: sig.slice(0, 30), expect: { error: 'signature_malformed' } });
  // Another chain's address signed over another challenge: the address says so.
  const pm = plainChallenge(bs58.encode(other.publicKey), 'en');
  cases.push({ name: 'solana challenge for another address', address, message: pm, signature: bs58.encode(nacl.sign.detached(Buffer.from(pm), kp.secretKey)), expect: { valid: false, method: 'solana_ed25519', reason: 'address_mismatch' } });
  write('solana.json', `tweetnacl ${version('tweetnacl')}, bs58 ${version('bs58')}`, cases);
}

// ---------------------------------------------------------------------------------------------
// Bitcoin: bitcoinjs-message (BIP-137, Electrum-style headers) and bip322-js / bitcoinjs-lib
// (BIP-322 simple and full).
function btc() {
  const kp = ECPair.fromPrivateKey(key('btc-1'));
  const other = ECPair.fromPrivateKey(key('btc-2'));
  const uncompressed = ECPair.fromPrivateKey(key('btc-1'), { compressed: false });
  const pay = (k) => ({
    p2pkh: bitcoin.payments.p2pkh({ pubkey: k.publicKey }).address,
    p2wpkh: bitcoin.payments.p2wpkh({ pubkey: k.publicKey }).address,
    p2sh_p2wpkh: bitcoin.payments.p2sh({ redeem: bitcoin.payments.p2wpkh({ pubkey: k.publicKey }) }).address,
    p2tr: bitcoin.payments.p2tr({ internalPubkey: Buffer.from(k.publicKey.subarray(1, 33)) }).address,
  });
  const a = pay(kp);
  const b = pay(other);
  const cases = [];
  const m = plainChallenge(a.p2wpkh, 'en');
  const legacy = (msg, k, compressed, segwitType) =>
    bitcoinMessage.sign(msg, k.privateKey, compressed, segwitType ? { segwitType } : undefined).toString('base64');
  const ok = (method) => ({ valid: true, method, reason: 'ok' });

  // BIP-137 legacy, each header family.
  const text = 'Hello from walletdesk';
  cases.push({ name: 'bip137 p2pkh compressed (31-34)', address: a.p2pkh, message: text, signature: legacy(text, kp, true), expect: ok('bip137') });
  cases.push({ name: 'bip137 p2pkh uncompressed (27-30)', address: bitcoin.payments.p2pkh({ pubkey: uncompressed.publicKey }).address, message: text, signature: legacy(text, uncompressed, false), expect: ok('bip137') });
  cases.push({ name: 'bip137 p2sh-p2wpkh (35-38, Trezor)', address: a.p2sh_p2wpkh, message: text, signature: legacy(text, kp, true, 'p2sh(p2wpkh)'), expect: ok('bip137') });
  cases.push({ name: 'bip137 p2wpkh (39-42, Trezor)', address: a.p2wpkh, message: text, signature: legacy(text, kp, true, 'p2wpkh'), expect: ok('bip137') });
  cases.push({ name: 'bip137 p2wpkh with Electrum header (31-34)', address: a.p2wpkh, message: text, signature: legacy(text, kp, true), expect: ok('bip137') });
  cases.push({ name: 'bip137 p2sh-p2wpkh with Electrum header (31-34)', address: a.p2sh_p2wpkh, message: text, signature: legacy(text, kp, true), expect: ok('bip137') });
  cases.push({ name: 'bip137 challenge p2wpkh', address: a.p2wpkh, message: m, signature: legacy(m, kp, true, 'p2wpkh'), now: NOW, nonce: NONCE, expect: ok('bip137') });
  cases.push({ name: 'bip137 challenge p2wpkh, expired', address: a.p2wpkh, message: m, signature: legacy(m, kp, true, 'p2wpkh'), now: LATE, expect: { valid: false, method: 'bip137', reason: 'expired' } });
  cases.push({ name: 'bip137 wrong address', address: b.p2wpkh, message: text, signature: legacy(text, kp, true, 'p2wpkh'), expect: { valid: false, method: 'bip137', reason: 'signer_mismatch' } });
  cases.push({ name: 'bip137 altered message', address: a.p2pkh, message: text + ' ', signature: legacy(text, kp, true), expect: { valid: false, method: 'bip137', reason: 'signer_mismatch' } });
  cases.push({ name: 'bip137 uncompressed key for a p2wpkh address', address: a.p2wpkh, message: text, signature: legacy(text, uncompressed, false), expect: { valid: false, method: 'bip137', reason: 'signer_mismatch' } });
  cases.push({ name: 'bip137 malformed (not base64)', address: a.p2pkh, message: text, signature: '!!' + legacy(text, kp, true), expect: { error: 'signature_malformed' } });
  cases.push({ name: 'bip137 truncated', address: a.p2pkh, message: text, signature: legacy(text, kp, true).slice(0, 60), expect: { error: 'signature_malformed' } });

  // BIP-322 simple (bip322-js Signer: P2WPKH, P2SH-P2WPKH, P2TR with SIGHASH_ALL).
  const wif = kp.toWIF();
  for (const [kind, addr] of [['p2wpkh', a.p2wpkh], ['p2sh-p2wpkh', a.p2sh_p2wpkh], ['p2tr', a.p2tr]]) {
    const sig = Signer.sign(wif, addr, text);
    if (!Verifier.verifySignature(addr, text, sig, true)) throw new Error('bip322-js disagrees');
    cases.push({ name: `bip322 simple ${kind}`, address: addr, message: text, signature: sig, expect: ok('bip322_simple') });
    cases.push({ name: `bip322 simple ${kind} altered message`, address: addr, message: text + '.', signature: sig, expect: { valid: false, method: 'bip322_simple', reason: 'signature_invalid' } });
    const cm = plainChallenge(addr, 'zh');
    const csig = Signer.sign(wif, addr, cm);
    cases.push({ name: `bip322 simple ${kind} challenge zh`, address: addr, message: cm, signature: csig, now: NOW, nonce: NONCE, expect: ok('bip322_simple') });
    cases.push({ name: `bip322 simple ${kind} challenge zh, expired`, address: addr, message: cm, signature: csig, now: LATE, expect: { valid: false, method: 'bip322_simple', reason: 'expired' } });
  }
  const wsig = Signer.sign(wif, a.p2wpkh, text);
  cases.push({ name: 'bip322 simple p2wpkh, another address', address: b.p2wpkh, message: text, signature: wsig, expect: { valid: false, method: 'bip322_simple', reason: 'signer_mismatch' } });
  const tsig = Signer.sign(wif, a.p2tr, text);
  cases.push({ name: 'bip322 simple p2tr, another address', address: b.p2tr, message: text, signature: tsig, expect: { valid: false, method: 'bip322_simple', reason: 'signature_invalid' } });

  // BIP-322 full and Taproot's SIGHASH_DEFAULT, built with bitcoinjs-lib's Psbt.
  const full = (addr, k, opts) => {
    const spk = bitcoin.address.toOutputScript(addr);
    const toSpend = BIP322.buildToSpendTx(text, spk);
    const psbt = new bitcoin.Psbt();
    psbt.setVersion(0);
    psbt.setLocktime(0);
    const input = { hash: toSpend.getId(), index: 0, sequence: 0 };
    if (opts.legacy) input.nonWitnessUtxo = toSpend.toBuffer();
    else input.witnessUtxo = { script: spk, value: 0 };
    if (opts.redeem) input.redeemScript = opts.redeem;
    if (opts.internal) input.tapInternalKey = opts.internal;
    psbt.addInput(input);
    psbt.addOutput({ script: Buffer.from([0x6a]), value: 0 });
    psbt.signInput(0, k, opts.sighash ? [opts.sighash] : undefined);
    psbt.finalizeAllInputs();
    return psbt.extractTransaction();
  };
  const tweaked = kp.tweak(bitcoin.crypto.taggedHash('TapTweak', Buffer.from(kp.publicKey.subarray(1, 33))));
  const internal = Buffer.from(kp.publicKey.subarray(1, 33));
  const p2pkhFull = full(a.p2pkh, kp, { legacy: true }).toBuffer().toString('base64');
  cases.push({ name: 'bip322 full p2pkh', address: a.p2pkh, message: text, signature: p2pkhFull, expect: ok('bip322_full') });
  cases.push({ name: 'bip322 full p2pkh, another address', address: b.p2pkh, message: text, signature: p2pkhFull, expect: { valid: false, method: 'bip322_full', reason: 'signature_invalid' } });
  const redeem = bitcoin.payments.p2wpkh({ pubkey: kp.publicKey }).output;
  cases.push({ name: 'bip322 full p2sh-p2wpkh', address: a.p2sh_p2wpkh, message: text, signature: full(a.p2sh_p2wpkh, kp, { redeem }).toBuffer().toString('base64'), expect: ok('bip322_full') });
  cases.push({ name: 'bip322 full p2wpkh', address: a.p2wpkh, message: text, signature: full(a.p2wpkh, kp, {}).toBuffer().toString('base64'), expect: ok('bip322_full') });
  const trFull = full(a.p2tr, tweaked, { internal });
  cases.push({ name: 'bip322 full p2tr SIGHASH_DEFAULT', address: a.p2tr, message: text, signature: trFull.toBuffer().toString('base64'), expect: ok('bip322_full') });
  // The same witness as a simple signature.
  const w = trFull.ins[0].witness;
  const simple = Buffer.concat([Buffer.from([w.length]), ...w.map((x) => Buffer.concat([Buffer.from([x.length]), x]))]);
  cases.push({ name: 'bip322 simple p2tr SIGHASH_DEFAULT (64-byte signature)', address: a.p2tr, message: text, signature: simple.toString('base64'), expect: ok('bip322_simple') });
  cases.push({ name: 'bip322 full p2tr, altered message', address: a.p2tr, message: text + '!', signature: trFull.toBuffer().toString('base64'), expect: { valid: false, method: 'bip322_full', reason: 'signature_invalid' } });
  cases.push({ name: 'bip322 garbage', address: a.p2tr, message: text, signature: Buffer.from('not a signature at all').toString('base64'), expect: { error: 'signature_malformed' } });
  write('bitcoin.json', `bitcoinjs-message ${version('bitcoinjs-message')}, bip322-js ${version('bip322-js')}, bitcoinjs-lib ${version('bitcoinjs-lib')}, tiny-secp256k1 ${version('tiny-secp256k1')}, ecpair ${version('ecpair')}`, cases);
}

(async () => {
  await evm();
  tron();
  solana();
  btc();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
