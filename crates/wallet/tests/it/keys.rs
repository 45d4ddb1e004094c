//! `wallet::keys` (private keys in free text) and `wallet::electrum` (Electrum seed versions).

use hmac::{Hmac, Mac};
use proptest::prelude::*;
use serde_json::{Value, json};
use sha2::Sha512;
use wallet::codec::{base58check_decode, base58check_encode, hex_encode};
use wallet::electrum::{ElectrumSeedType, seed_type, seed_type_of_words};
use wallet::keys::find_private_keys;
use wallet::{FieldHint, Finding, Language, SecretKind};

const KEY_IO_VALID: &str = include_str!("../vectors/base58_bech32/key_io_valid.json");
const KEY_IO_INVALID: &str = include_str!("../vectors/base58_bech32/key_io_invalid.json");
const MNEMONIC_VECTORS: &str = include_str!("../vectors/bip39/python-mnemonic_vectors.json");
const ELECTRUM_SEEDS: &str = include_str!("../vectors/electrum/seed_types.json");

/// BIP32 test vector 1, chain m.
const BIP32_TV1_XPUB: &str = "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";
const BIP32_TV1_XPRV: &str = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
/// A damaged copy of it (110 characters, the tail differs): what a mistyped key looks like.
const DAMAGED_XPRV: &str = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LeNszkHUy8SCfTH7wEn8QXpHCXNPRGs7a";

/// A 32-byte value that is a valid secp256k1 key (the Bitcoin wiki's WIF example).
const K: &str = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d";
/// Another 32-byte value (the genesis block's coinbase txid).
const T: &str = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

fn find(text: &str) -> Vec<Finding> {
    find_private_keys(text, FieldHint::FreeText)
}

/// The text of each finding.
fn spans<'a>(text: &'a str, findings: &[Finding]) -> Vec<&'a str> {
    findings.iter().map(|f| &text[f.start..f.end]).collect()
}

fn assert_invariants(text: &str, findings: &[Finding]) {
    let mut prev_end = 0;
    for f in findings {
        assert!(f.start < f.end, "empty span {f:?}");
        assert!(f.end <= text.len(), "span past the end {f:?}");
        assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "{f:?}"
        );
        assert!(f.start >= prev_end, "overlapping or unsorted {findings:?}");
        assert!((0.0..=1.0).contains(&f.confidence));
        prev_end = f.end;
    }
}

/// Asserts that exactly `expected` (each once, in order) are found, with `kind`.
fn assert_found_exactly(text: &str, findings: &[Finding], expected: &[&str], kind: SecretKind) {
    assert_invariants(text, findings);
    assert_eq!(spans(text, findings), expected, "in {text:?}: {findings:?}");
    for f in findings {
        assert_eq!(f.kind, kind, "in {text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// WIF

fn key_io(json: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(json).expect("vector file is a JSON array")
}

fn english_and_chinese(key: &str) -> [String; 3] {
    [
        format!("my private key is {key} please help"),
        format!("我的私钥是{key}。"),
        format!("我的私钥是 {key} 。谢谢"),
    ]
}

#[test]
fn every_wif_in_key_io_valid_is_found_in_english_and_chinese_sentences() {
    let mut privkeys = 0;
    for entry in key_io(KEY_IO_VALID) {
        let s = entry[0].as_str().unwrap();
        if entry[2]["isPrivkey"].as_bool().unwrap() {
            privkeys += 1;
            for text in english_and_chinese(s) {
                let f = find(&text);
                assert_found_exactly(&text, &f, &[s], SecretKind::WifPrivateKey);
                assert_eq!(f[0].checksum_valid, Some(true), "{s}");
                assert!(f[0].confidence >= 0.99);
            }
        } else {
            for text in [format!("send it to {s} please"), format!("我的地址是{s}。")] {
                assert!(find(&text).is_empty(), "address {s} reported as a key");
            }
        }
    }
    assert_eq!(privkeys, 16);
}

#[test]
fn nothing_in_key_io_invalid_is_a_bitcoin_key_but_altcoin_wifs_are_removed() {
    let entries = key_io(KEY_IO_INVALID);
    assert!(entries.len() > 70);
    let mut altcoin = 0;
    for entry in entries {
        let s = entry[0].as_str().unwrap();
        // Base58Check over 32 bytes (+ 0x01) with a non-Bitcoin version: another coin's WIF.
        let payload = wallet::codec::base58check_decode(s);
        let altcoin_wif = payload
            .as_deref()
            .is_some_and(|p| p.len() == 33 || (p.len() == 34 && p.last() == Some(&0x01)));
        altcoin += usize::from(altcoin_wif);
        for text in [s.to_owned(), format!("private key: {s}")] {
            let f = find(&text);
            assert_invariants(&text, &f);
            for finding in &f {
                if finding.checksum_valid == Some(true) {
                    assert!(altcoin_wif, "{s}: {f:?}");
                    assert_eq!(finding.kind, SecretKind::WifPrivateKey);
                    assert!(finding.confidence < 0.99, "{s}: not a Bitcoin key");
                }
            }
            if altcoin_wif {
                assert_eq!(spans(&text, &f), vec![s], "an altcoin WIF is a secret too");
            }
        }
    }
    assert_eq!(
        altcoin, 4,
        "the file has four WIF-shaped payloads with foreign version bytes"
    );
}

/// Changes one character of a Base58 string (keeping it Base58 and its first characters).
fn typo(s: &str, at: usize) -> String {
    let mut c: Vec<char> = s.chars().collect();
    c[at] = if c[at] == 'z' { 'y' } else { 'z' };
    c.into_iter().collect()
}

#[test]
fn a_wif_with_a_typo_is_reported_with_a_bad_checksum_and_lower_confidence() {
    let wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
    assert!(base58check_decode(wif).is_some());
    let bad = typo(wif, 30);
    assert!(base58check_decode(&bad).is_none());
    let text = format!("key {bad}");
    let f = find(&text);
    assert_found_exactly(&text, &f, &[bad.as_str()], SecretKind::WifPrivateKey);
    assert_eq!(f[0].checksum_valid, Some(false));
    assert!(f[0].confidence < 0.99);

    // The same typo'd string without the shape of a WIF (wrong first character) is not reported.
    let other = format!("7{}", &bad[1..]);
    assert!(find(&other).is_empty());
    // Nor is a shorter or longer one.
    assert!(find(&bad[..50]).is_empty());
    assert!(find(&format!("{bad}x")).is_empty());
}

#[test]
fn a_checksum_valid_base58check_string_that_is_not_a_wif_is_not_reported() {
    // 37-byte payload with a version other than 0x80/0xEF: Base58Check-valid, 51 characters,
    // but not a WIF and not WIF-shaped.
    let s = base58check_encode(&[0x42; 37]);
    assert!(!s.starts_with(['5', '9']) || s.len() != 51);
    assert!(find(&s).is_empty(), "{s}");
}

// ---------------------------------------------------------------------------------------------
// Extended keys

#[test]
fn every_xprv_in_the_python_mnemonic_vectors_is_found() {
    let vectors: Value = serde_json::from_str(MNEMONIC_VECTORS).unwrap();
    let mut n = 0;
    for (_language, list) in vectors.as_object().unwrap() {
        for v in list.as_array().unwrap() {
            let xprv = v[3].as_str().unwrap();
            for text in [format!("xprv: {xprv}"), format!("这是我的主私钥{xprv}，")] {
                let f = find(&text);
                assert_found_exactly(&text, &f, &[xprv], SecretKind::ExtendedPrivateKey);
                assert_eq!(f[0].checksum_valid, Some(true));
                assert!(f[0].confidence >= 0.99);
            }
            n += 1;
        }
    }
    assert_eq!(n, 240);
}

#[test]
fn bip32_xpub_is_not_a_secret_and_its_xprv_is() {
    let text = format!("xpub {BIP32_TV1_XPUB}\nxprv {BIP32_TV1_XPRV}\n");
    let f = find(&text);
    assert_found_exactly(&text, &f, &[BIP32_TV1_XPRV], SecretKind::ExtendedPrivateKey);
    assert!(find(BIP32_TV1_XPUB).is_empty());

    // A damaged xprv (wrong length and checksum) is still most of a secret.
    let text = format!("my xprv is {DAMAGED_XPRV}");
    let f = find(&text);
    assert_found_exactly(&text, &f, &[DAMAGED_XPRV], SecretKind::ExtendedPrivateKey);
    assert_eq!(f[0].checksum_valid, Some(false));
    assert!(f[0].confidence < 0.7);
}

#[test]
fn every_private_extended_key_version_is_recognised_and_public_ones_are_not() {
    let payload = base58check_decode(BIP32_TV1_XPRV).unwrap();
    let private = [
        ([0x04, 0x88, 0xAD, 0xE4], "xprv"),
        ([0x04, 0x35, 0x83, 0x94], "tprv"),
        ([0x04, 0x9D, 0x78, 0x78], "yprv"),
        ([0x04, 0xB2, 0x43, 0x0C], "zprv"),
        ([0x02, 0x95, 0xB0, 0x05], "Yprv"),
        ([0x02, 0xAA, 0x7A, 0x99], "Zprv"),
        ([0x04, 0x4A, 0x4E, 0x28], "uprv"),
        ([0x04, 0x5F, 0x18, 0xBC], "vprv"),
    ];
    for (version, prefix) in private {
        let mut p = payload.clone();
        p[..4].copy_from_slice(&version);
        let s = base58check_encode(&p);
        assert!(s.starts_with(prefix), "{s}");
        assert_eq!(s.len(), 111);
        let f = find(&s);
        assert_found_exactly(&s, &f, &[s.as_str()], SecretKind::ExtendedPrivateKey);
        assert_eq!(f[0].checksum_valid, Some(true));

        let bad = typo(&s, 60);
        let f = find(&bad);
        assert_found_exactly(&bad, &f, &[bad.as_str()], SecretKind::ExtendedPrivateKey);
        assert_eq!(f[0].checksum_valid, Some(false), "{bad}");
        assert!(f[0].confidence < 0.99);
    }
    // Public versions: xpub, tpub, ypub, zpub, Ypub, Zpub, upub, vpub.
    let public: [[u8; 4]; 8] = [
        [0x04, 0x88, 0xB2, 0x1E],
        [0x04, 0x35, 0x87, 0xCF],
        [0x04, 0x9D, 0x7C, 0xB2],
        [0x04, 0xB2, 0x47, 0x46],
        [0x02, 0x95, 0xB4, 0x3F],
        [0x02, 0xAA, 0x7E, 0xD3],
        [0x04, 0x4A, 0x52, 0x62],
        [0x04, 0x5F, 0x1C, 0xF6],
    ];
    for version in public {
        let mut p = payload.clone();
        p[..4].copy_from_slice(&version);
        let s = base58check_encode(&p);
        assert!(find(&s).is_empty(), "{s}");
        assert!(find(&typo(&s, 60)).is_empty(), "{s}");
    }
}

// ---------------------------------------------------------------------------------------------
// Raw hex: the context rule

#[test]
fn the_hex_context_rule() {
    use FieldHint::{Address, FreeText, TxHash};
    let sig = format!("{K}{T}");
    let far = "x".repeat(100);
    let zeros = "0".repeat(64);
    let big = "f".repeat(64);
    // (text, field, the secrets that must be found)
    let cases: Vec<(String, FieldHint, Vec<String>)> = vec![
        // English, key labels
        (format!("my private key is {K}"), FreeText, vec![K.into()]),
        (
            format!("Private Key: 0x{K}"),
            FreeText,
            vec![format!("0x{K}")],
        ),
        (format!("PRIVKEY={K}"), FreeText, vec![K.into()]),
        (format!("pk: 0x{K}"), FreeText, vec![format!("0x{K}")]),
        (format!("export secret key ({K})"), FreeText, vec![K.into()]),
        (
            format!("private key {far} 0x{K}"),
            FreeText,
            vec![format!("0x{K}")],
        ),
        // English, transaction labels and explorer URLs
        (format!("txid: {K}"), FreeText, vec![]),
        (format!("TX ID {K}"), FreeText, vec![]),
        (format!("Transaction hash 0x{K}"), FreeText, vec![]),
        (format!("block hash {K}"), FreeText, vec![]),
        (
            format!("see https://etherscan.io/tx/0x{K}"),
            FreeText,
            vec![],
        ),
        (format!("https://mempool.space/tx/{K}"), FreeText, vec![]),
        (
            format!("https://tronscan.org/#/transaction/{K}"),
            FreeText,
            vec![],
        ),
        // No label: 0x is a hash, bare is a key (fail safe)
        (
            format!("sent 1 ETH yesterday, 0x{K} still pending"),
            FreeText,
            vec![],
        ),
        (format!("here it is {K}"), FreeText, vec![K.into()]),
        // Word boundaries: "pk" inside "upkeep" is not a label
        (format!("upkeep: 0x{K}"), FreeText, vec![]),
        // The nearest label wins
        (
            format!("my private key... no wait, the txid is {K}"),
            FreeText,
            vec![],
        ),
        (
            format!("txid {T}, and my privkey is {K}"),
            FreeText,
            vec![K.into()],
        ),
        // A label on another line reaches only 80 characters
        (format!("private key\n{far}\n0x{K}"), FreeText, vec![]),
        (
            format!("private key\n0x{K}"),
            FreeText,
            vec![format!("0x{K}")],
        ),
        // Field hints
        (K.into(), TxHash, vec![]),
        (format!("0x{K}"), TxHash, vec![]),
        (format!("private key {K}"), TxHash, vec![K.into()]),
        (format!("0x{K}"), Address, vec![]),
        (K.into(), Address, vec![K.into()]),
        // 64 hex inside a longer run is not a key; 128 hex after a key label is a keypair
        (format!("signature: {sig}"), FreeText, vec![]),
        (format!("raw tx 02000000{sig}00000000"), FreeText, vec![]),
        (sig.clone(), FreeText, vec![]),
        (format!("0x{K}{T}"), FreeText, vec![]),
        (
            format!("my private key: {sig}"),
            FreeText,
            vec![sig.clone()],
        ),
        // Values that cannot be secp256k1 keys
        (format!("private key: {zeros}"), FreeText, vec![]),
        (format!("private key: {big}"), FreeText, vec![]),
        // Chinese
        (format!("我的私钥是{K}，请帮忙"), FreeText, vec![K.into()]),
        (format!("私钥：0x{K}"), FreeText, vec![format!("0x{K}")]),
        (format!("密钥 {K}"), FreeText, vec![K.into()]),
        (format!("秘钥:{K}"), FreeText, vec![K.into()]),
        (format!("私匙 {K}"), FreeText, vec![K.into()]),
        (format!("私鑰: {K}"), FreeText, vec![K.into()]),
        (format!("交易哈希：0x{K}"), FreeText, vec![]),
        (format!("交易ID {K}"), FreeText, vec![]),
        (format!("转账记录 {K}"), FreeText, vec![]),
        (format!("我在区块浏览器里看到 {K}"), FreeText, vec![]),
        (format!("哈希 {K}"), FreeText, vec![]),
        (
            format!("交易哈希是 {T}，私钥是 {K}"),
            FreeText,
            vec![K.into()],
        ),
        (
            format!("我的钱包为什么是空的？{K}"),
            FreeText,
            vec![K.into()],
        ),
        (format!("请看这个签名 {sig}"), FreeText, vec![]),
        (
            format!("私钥（Phantom导出）：{sig}"),
            FreeText,
            vec![sig.clone()],
        ),
    ];
    assert!(cases.len() >= 30);
    for (text, field, expected) in &cases {
        let f = find_private_keys(text, *field);
        assert_invariants(text, &f);
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(spans(text, &f), expected, "in {text:?} ({field:?}): {f:?}");
        for f in &f {
            let hex_digits = f.end
                - f.start
                - if text[f.start..].starts_with("0x") {
                    2
                } else {
                    0
                };
            let kind = if hex_digits == 128 {
                SecretKind::SolanaSecretKey
            } else {
                SecretKind::RawPrivateKey
            };
            assert_eq!(f.kind, kind, "{text:?}");
            assert_eq!(f.checksum_valid, None);
        }
    }
}

#[test]
fn a_labelled_hex_key_is_more_certain_than_a_bare_one() {
    let labelled = find(&format!("private key {K}"));
    let bare = find(K);
    assert!(labelled[0].confidence > bare[0].confidence);
    assert!(
        labelled[0].confidence < 0.99,
        "no checksum, so never as sure as a WIF"
    );
}

// ---------------------------------------------------------------------------------------------
// Ethereum keystores

fn keystore() -> Value {
    json!({
        "address": "008aeeda4d805471df9b2a5b0f38a0c3bcba786b",
        "crypto": {
            "cipher": "aes-128-ctr",
            "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "cipherparams": { "iv": "83dbcc02d8ccb40e466191a123791e0e" },
            "kdf": "scrypt",
            "kdfparams": {
                "dklen": 32,
                "n": 262_144,
                "p": 8,
                "r": 1,
                "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"
            },
            "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
        },
        "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version": 3
    })
}

#[test]
fn a_keystore_is_found_whole_inside_prose() {
    let pretty = serde_json::to_string_pretty(&keystore()).unwrap();
    let minified = serde_json::to_string(&keystore()).unwrap();
    let capital = minified.replace("\"crypto\"", "\"Crypto\"");
    for json in [&pretty, &minified, &capital] {
        for text in [
            format!("Here is my keystore file:\n{json}\nCan you recover it? The password is lost."),
            format!("我的keystore文件是{json}，密码忘了。"),
            json.clone(),
        ] {
            let f = find(&text);
            assert_found_exactly(&text, &f, &[json.as_str()], SecretKind::EthereumKeystore);
            assert!(f[0].confidence >= 0.9);
        }
    }
}

#[test]
fn a_truncated_keystore_is_removed_from_its_brace_to_the_end_of_what_is_left() {
    let minified = serde_json::to_string(&keystore()).unwrap();
    // Cut inside the ciphertext value, at the end of the message.
    let cut = minified.find("d172bf743a67").unwrap() + 12;
    let text = format!("keystore: {}", &minified[..cut]);
    let f = find(&text);
    assert_found_exactly(&text, &f, &[&minified[..cut]], SecretKind::EthereumKeystore);
    assert!(f[0].confidence < 0.95);

    // Pretty-printed and cut after the cipherparams, followed by more prose.
    let pretty = serde_json::to_string_pretty(&keystore()).unwrap();
    let cut = pretty.find("\"kdf\"").unwrap();
    let partial = pretty[..cut].trim_end();
    // The span ends at the last value; the comma after it is not part of it.
    let partial_value = partial.trim_end_matches(',');
    let text = format!("file:\n{partial}\nthat's all I have, sorry");
    let f = find(&text);
    assert_found_exactly(&text, &f, &[partial_value], SecretKind::EthereumKeystore);

    // A string cut by a line break ends the span at the break.
    let text = "{\"crypto\": {\"ciphertext\": \"d172bf743a674da9cd\nthen my phone died";
    let f = find(text);
    assert_found_exactly(
        text,
        &f,
        &["{\"crypto\": {\"ciphertext\": \"d172bf743a674da9cd"],
        SecretKind::EthereumKeystore,
    );
}

#[test]
fn a_bare_ciphertext_member_is_removed_and_unrelated_json_is_not() {
    let text = "it says \"ciphertext\": \"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c\", ok?";
    let f = find(text);
    assert_found_exactly(
        text,
        &f,
        &["\"ciphertext\": \"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c\""],
        SecretKind::EthereumKeystore,
    );
    for text in [
        r#"{"crypto": "BTC", "amount": 3, "note": "no ciphertext here"}"#,
        r#"{"crypto": {"symbol": "ETH"}, "address": "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b"}"#,
        r#"the word "crypto": is in quotes"#,
    ] {
        assert!(find(text).is_empty(), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Solana

fn fixed_64_bytes() -> Vec<u8> {
    (0u8..64)
        .map(|i| i.wrapping_mul(37).wrapping_add(11))
        .collect()
}

#[test]
fn a_solana_id_json_array_is_found_compact_or_pretty() {
    let bytes = fixed_64_bytes();
    let compact = serde_json::to_string(&bytes).unwrap();
    let pretty = serde_json::to_string_pretty(&bytes).unwrap();
    for array in [&compact, &pretty] {
        for text in [
            format!("my id.json is {array} help"),
            format!("这是id.json：{array}。"),
        ] {
            let f = find(&text);
            assert_found_exactly(&text, &f, &[array.as_str()], SecretKind::SolanaSecretKey);
        }
    }
    // Not 64 integers 0–255: not a key.
    let short = serde_json::to_string(&bytes[..63]).unwrap();
    let long = serde_json::to_string(&[bytes.as_slice(), &[1]].concat()).unwrap();
    let out_of_range = compact.replacen("11", "256", 1);
    let nested = format!("[{compact}]");
    for text in [short, long, out_of_range] {
        assert!(find(&text).is_empty(), "{text}");
    }
    assert_found_exactly(
        &nested,
        &find(&nested),
        &[compact.as_str()],
        SecretKind::SolanaSecretKey,
    );
}

#[test]
fn a_solana_base58_secret_key_follows_the_context_rule() {
    let key = bs58::encode(fixed_64_bytes()).into_string();
    assert!((87..=88).contains(&key.len()));
    let found = |text: &str, field| {
        let f = find_private_keys(text, field);
        assert_invariants(text, &f);
        f
    };
    let text = format!("Phantom gave me {key}");
    let bare = found(&text, FieldHint::FreeText);
    assert_found_exactly(&text, &bare, &[key.as_str()], SecretKind::SolanaSecretKey);
    let text = format!("私钥：{key}");
    let labelled = found(&text, FieldHint::FreeText);
    assert_found_exactly(
        &text,
        &labelled,
        &[key.as_str()],
        SecretKind::SolanaSecretKey,
    );
    assert!(labelled[0].confidence > bare[0].confidence);
    // A transaction signature has the same shape.
    assert!(found(&format!("https://solscan.io/tx/{key}"), FieldHint::FreeText).is_empty());
    assert!(found(&format!("signature {key}"), FieldHint::FreeText).is_empty());
    assert!(found(&key, FieldHint::TxHash).is_empty());
    // 32 bytes in Base58 is an address, not a key.
    let address = bs58::encode(&fixed_64_bytes()[..32]).into_string();
    assert!(found(&address, FieldHint::FreeText).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Mixed text and robustness

#[test]
fn several_keys_in_one_message_come_back_sorted() {
    let wif = "KwuVvu6hsuEMHrfFWJQV64tRrWX3QzqHH18JuAHYqYV6dqBvNKxd";
    let text = format!(
        "wallet 1: {wif}\nwallet 2: {BIP32_TV1_XPRV}\nprivate key {K}\ntxid {T}\n{}",
        serde_json::to_string(&keystore()).unwrap()
    );
    let f = find(&text);
    assert_invariants(&text, &f);
    let kinds: Vec<SecretKind> = f.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            SecretKind::WifPrivateKey,
            SecretKind::ExtendedPrivateKey,
            SecretKind::RawPrivateKey,
            SecretKind::EthereumKeystore
        ]
    );
}

#[test]
fn adversarial_inputs_of_a_mebibyte_do_not_break_anything() {
    let inputs = [
        "[".repeat(1 << 20),
        "[1,".repeat(1 << 18),
        "{\"crypto\":".repeat(1 << 16),
        "\"ciphertext\":\"".repeat(1 << 16),
        "pk ".repeat(1 << 18),
        format!("{K} ").repeat(1 << 14),
        "5".repeat(1 << 20),
        "私钥".repeat(1 << 17),
    ];
    for text in &inputs {
        let f = find(text);
        assert_invariants(text, &f);
    }
}

fn fragments() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "private key ",
        "txid ",
        "0x",
        K,
        T,
        "私钥",
        "交易哈希",
        "\n",
        " ",
        "{",
        "}",
        "[",
        "]",
        "\"crypto\":",
        "\"ciphertext\":\"",
        "\"",
        ",",
        "255",
        "12",
        "/tx/",
        "ключ",
        "é",
        "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",
        BIP32_TV1_XPRV,
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn never_panics_and_spans_are_well_formed(text in any::<String>()) {
        for field in [FieldHint::FreeText, FieldHint::TxHash, FieldHint::Address] {
            let f = find_private_keys(&text, field);
            assert_invariants(&text, &f);
        }
    }

    #[test]
    fn never_panics_on_key_like_fragments(text in fragments()) {
        for field in [FieldHint::FreeText, FieldHint::TxHash] {
            let f = find_private_keys(&text, field);
            assert_invariants(&text, &f);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Electrum seeds

fn electrum_type(name: Option<&str>) -> Option<ElectrumSeedType> {
    name.map(|n| match n {
        "standard" => ElectrumSeedType::Standard,
        "segwit" => ElectrumSeedType::Segwit,
        "2fa" => ElectrumSeedType::TwoFactor,
        "2fa_segwit" => ElectrumSeedType::TwoFactorSegwit,
        other => panic!("unknown type {other}"),
    })
}

#[test]
fn electrum_test_suite_seeds_have_the_expected_type() {
    let v: Value = serde_json::from_str(ELECTRUM_SEEDS).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 25);
    for case in cases {
        let words = case["words"].as_str().unwrap();
        let expected = electrum_type(case["type"].as_str());
        assert_eq!(seed_type(words), expected, "{words}");
        let split: Vec<&str> = words.split_whitespace().collect();
        assert_eq!(seed_type_of_words(&split), expected, "{words}");
    }
}

#[test]
fn electrum_normalisation_ignores_case_accents_and_spaces_between_cjk() {
    let chinese = "眼 悲 叛 改 节 跃 衡 响 疆 股 遂 冬";
    assert_eq!(seed_type(chinese), Some(ElectrumSeedType::Segwit));
    assert_eq!(
        seed_type(&chinese.replace(' ', "")),
        Some(ElectrumSeedType::Segwit)
    );
    assert_eq!(
        seed_type(&chinese.replace(' ', "\u{3000}")),
        Some(ElectrumSeedType::Segwit)
    );
    // Accents typed precomposed (NFC) or left out give the same seed.
    let spanish =
        "almíbar tibio superar vencer hacha peatón príncipe matar consejo polen vehículo odisea";
    assert_eq!(seed_type(spanish), Some(ElectrumSeedType::Standard));
    let plain =
        "almibar tibio superar vencer hacha peaton principe matar consejo polen vehiculo odisea";
    assert_eq!(seed_type(plain), Some(ElectrumSeedType::Standard));
    assert_eq!(seed_type(""), None);
    assert_eq!(seed_type(" \n\t "), None);
    assert_eq!(
        serde_json::to_string(&ElectrumSeedType::TwoFactorSegwit).unwrap(),
        "\"two_factor_segwit\""
    );
}

/// The seed version recomputed independently: the hex HMAC-SHA512 digest and its prefix.
fn version_hex(phrase: &str) -> String {
    let mut mac =
        Hmac::<Sha512>::new_from_slice(b"Seed version").expect("HMAC takes any key length");
    mac.update(phrase.as_bytes());
    hex_encode(&mac.finalize().into_bytes())
}

#[test]
fn brute_forced_electrum_seeds_agree_with_an_independent_recomputation() {
    let words = Language::English.wordlist();
    // splitmix64, for a fixed sequence of phrases.
    let mut state = 0x5EED_0FE1_EC72_0001_u64;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut seen = std::collections::HashMap::new();
    let mut tries = 0;
    while (!seen.contains_key(&ElectrumSeedType::Standard)
        || !seen.contains_key(&ElectrumSeedType::Segwit))
        && tries < 100_000
    {
        tries += 1;
        let phrase: Vec<&str> = (0..12)
            .map(|_| words.word(u16::try_from(next() % 2048).unwrap()))
            .collect();
        let joined = phrase.join(" ");
        let hex = version_hex(&joined);
        let expected = if hex.starts_with("01") {
            Some(ElectrumSeedType::Standard)
        } else if hex.starts_with("100") {
            Some(ElectrumSeedType::Segwit)
        } else if hex.starts_with("101") {
            Some(ElectrumSeedType::TwoFactor)
        } else if hex.starts_with("102") {
            Some(ElectrumSeedType::TwoFactorSegwit)
        } else {
            None
        };
        assert_eq!(seed_type(&joined), expected, "{joined}");
        assert_eq!(seed_type_of_words(&phrase), expected, "{joined}");
        // Electrum's normalisation makes case and extra spaces irrelevant.
        assert_eq!(
            seed_type(&format!("  {}  ", joined.to_uppercase())),
            expected
        );
        if let Some(t) = expected {
            seen.entry(t).or_insert(joined);
        }
    }
    assert!(
        seen.contains_key(&ElectrumSeedType::Standard),
        "after {tries} tries"
    );
    assert!(
        seen.contains_key(&ElectrumSeedType::Segwit),
        "after {tries} tries"
    );
}

#[test]
fn litecoin_and_dogecoin_wifs_are_removed() {
    let mut secret = [0u8; 32];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = u8::try_from(i).unwrap().wrapping_mul(29).wrapping_add(7);
    }
    for version in [0xB0u8, 0x9E, 0xCC] {
        for compressed in [false, true] {
            let mut payload = vec![version];
            payload.extend_from_slice(&secret);
            if compressed {
                payload.push(0x01);
            }
            let wif = base58check_encode(&payload);
            let text = format!("my litecoin key {wif} please check");
            let f = find(&text);
            assert_eq!(spans(&text, &f), vec![wif.as_str()], "version {version:#x}");
            assert_eq!(f[0].kind, SecretKind::WifPrivateKey);
            assert_eq!(f[0].checksum_valid, Some(true));
        }
    }
}
