//! `wallet::ident` against published test vectors (see `tests/vectors/SOURCES.md`) and the cases
//! the support desk meets: ambiguous hashes, wrong chains, text with addresses in it.

use proptest::prelude::*;
use serde_json::Value;
use wallet::ident::{
    Address, Chain, IdKind, IdentError, Identification, Network, ReasonCode, TxHash,
    find_identifiers, identify,
};

const KEY_IO_VALID: &str = include_str!("../vectors/base58_bech32/key_io_valid.json");
const KEY_IO_INVALID: &str = include_str!("../vectors/base58_bech32/key_io_invalid.json");
const BECH32: &str = include_str!("../vectors/base58_bech32/bech32_bip173_bip350_vectors.json");
const EIP55: &str = include_str!("../vectors/addresses/eip55_checksum_vectors.json");
const TRON_SOLANA: &str = include_str!("../vectors/addresses/tron_solana_address_examples.json");

const TAPROOT: &str = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
const P2WPKH: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const EVM: &str = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const TRON: &str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
/// The coinbase transaction of Bitcoin's genesis block.
const TXID: &str = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("vector files are JSON")
}

fn str_of(v: &Value) -> &str {
    v.as_str().expect("a string in the vector file")
}

fn valid_bitcoin(id: &Identification) -> bool {
    id.valid().any(|c| c.chain == Chain::Bitcoin)
}

/// The address kind implied by an output script.
fn kind_of_script(script: &str) -> IdKind {
    match script {
        s if s.starts_with("76a914") && s.ends_with("88ac") && s.len() == 50 => IdKind::P2pkh,
        s if s.starts_with("a914") && s.ends_with("87") && s.len() == 46 => IdKind::P2sh,
        s if s.starts_with("0014") && s.len() == 44 => IdKind::P2wpkh,
        s if s.starts_with("0020") && s.len() == 68 => IdKind::P2wsh,
        s if s.starts_with("5120") && s.len() == 68 => IdKind::P2tr,
        _ => IdKind::WitnessFuture,
    }
}

/// The witness version of a segwit output script (`OP_0` or `OP_1`..`OP_16`).
fn witness_version_of_script(script: &str) -> u8 {
    match u8::from_str_radix(&script[..2], 16).expect("script is hex") {
        0 => 0,
        op => op - 0x50,
    }
}

#[test]
fn key_io_valid_addresses_are_bitcoin_with_the_right_network_kind_and_script() {
    let mut addresses = 0;
    for entry in json(KEY_IO_VALID).as_array().unwrap() {
        let text = str_of(&entry[0]);
        let script = str_of(&entry[1]);
        let meta = &entry[2];
        let id = identify(text);
        if meta["isPrivkey"].as_bool().unwrap() {
            assert!(!id.is_valid(), "{text}: a private key is no identifier");
            assert_eq!(id.reason_code, Some(ReasonCode::PrivateKey), "{text}");
            continue;
        }
        addresses += 1;
        let is_segwit =
            script.starts_with("00") || script.starts_with('5') || script.starts_with('6');
        let network = match str_of(&meta["chain"]) {
            "main" => Network::Mainnet,
            // Base58 regtest addresses share the testnet prefix; bech32 ones have their own.
            "regtest" if is_segwit => Network::Regtest,
            "test" | "testnet4" | "signet" | "regtest" => Network::Testnet,
            other => panic!("unexpected chain {other}"),
        };
        let best = id.best().unwrap();
        assert!(best.valid, "{text}: {:?}", best.reason);
        assert!(best.certain && best.checksummed, "{text}");
        assert_eq!(best.chain, Chain::Bitcoin, "{text}");
        assert_eq!(best.network, Some(network), "{text}");
        assert_eq!(best.kind, kind_of_script(script), "{text}");
        assert_eq!(best.script_pubkey.as_deref(), Some(script), "{text}");
        assert_eq!(best.normalized, text);
        assert!(id.is_address() && !id.is_transaction());
        assert_eq!(id.valid().count(), 1, "{text}: exactly one valid reading");
        if is_segwit {
            assert_eq!(
                best.witness_version,
                Some(witness_version_of_script(script))
            );
        }
        if meta["tryCaseFlip"].as_bool() == Some(true) {
            let upper = identify(&text.to_uppercase());
            let c = upper.best().unwrap();
            assert!(c.valid, "{text} in upper case");
            assert_eq!(c.normalized, text, "bech32 is normalised to lower case");
        }
    }
    assert_eq!(addresses, 54);
}

#[test]
fn key_io_invalid_entries_are_never_a_valid_bitcoin_address() {
    let entries = json(KEY_IO_INVALID);
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 79);
    for entry in entries {
        let text = str_of(&entry[0]);
        let id = identify(text);
        assert!(!valid_bitcoin(&id), "{text} was accepted: {id:?}");
        assert!(
            Address::parse(text, Some(Chain::Bitcoin)).is_err(),
            "{text}"
        );
    }
}

#[test]
fn bip173_and_bip350_valid_segwit_addresses() {
    let v = json(BECH32);
    let lists = [
        &v["bip173_valid_segwit_addresses"],
        &v["bip350_valid_segwit_addresses"],
    ];
    let mut checked = 0;
    for entry in lists.iter().flat_map(|l| l.as_array().unwrap()) {
        let address = str_of(&entry["address"]);
        let script = str_of(&entry["scriptPubKey"]);
        let id = identify(address);
        let c = id.best().unwrap();
        if entry["superseded_by_bip350"].as_bool() == Some(true) {
            // BIP173 allowed bech32 for witness version 1+; BIP350 requires bech32m.
            assert!(!c.valid, "{address} must be invalid under BIP350");
            assert_eq!(
                c.reason_code,
                Some(ReasonCode::WrongChecksumVariant),
                "{address}"
            );
            assert!(c.reason.as_deref().unwrap().contains("bech32m"));
            assert!(Address::parse(address, None).is_err());
            continue;
        }
        checked += 1;
        assert!(c.valid, "{address}: {:?}", c.reason);
        assert_eq!(c.chain, Chain::Bitcoin);
        assert_eq!(
            c.witness_version,
            Some(witness_version_of_script(script)),
            "{address}"
        );
        assert_eq!(c.script_pubkey.as_deref(), Some(script), "{address}");
        assert_eq!(c.kind, kind_of_script(script), "{address}");
        assert_eq!(c.normalized, address.to_lowercase());
        let network = if address.to_lowercase().starts_with("bc1") {
            Network::Mainnet
        } else {
            Network::Testnet
        };
        assert_eq!(c.network, Some(network));
    }
    assert_eq!(checked, 3 + 8);
}

#[test]
fn bip173_invalid_segwit_addresses_are_rejected() {
    let v = json(BECH32);
    for entry in v["bip173_invalid_segwit_addresses"].as_array().unwrap() {
        let address = str_of(&entry["address"]);
        let id = identify(address);
        assert!(!valid_bitcoin(&id), "{address}: {}", entry["reason"]);
    }
}

#[test]
fn bip350_invalid_segwit_addresses_are_rejected_for_the_stated_reason() {
    let v = json(BECH32);
    for entry in v["bip350_invalid_segwit_addresses"].as_array().unwrap() {
        let address = str_of(&entry["address"]);
        let reason = str_of(&entry["reason"]);
        let id = identify(address);
        assert!(!valid_bitcoin(&id), "{address}: {reason}");
        let expected = match reason {
            "Invalid human-readable part" => {
                // `tc1…` is well-formed bech32m, just not Bitcoin's.
                assert!(id.candidates.is_empty());
                assert_eq!(id.reason_code, Some(ReasonCode::UnknownPrefix));
                continue;
            }
            r if r.starts_with("Invalid checksum (") => ReasonCode::WrongChecksumVariant,
            "Invalid character in checksum" => ReasonCode::BadCharacter,
            "Invalid witness version" => ReasonCode::BadWitnessVersion,
            r if r.starts_with("Invalid program length") => ReasonCode::BadProgramLength,
            "Mixed case" => ReasonCode::MixedCase,
            r if r.contains("padding") => ReasonCode::BadPadding,
            "Empty data section" => ReasonCode::WrongLength,
            other => panic!("no expectation for {other}"),
        };
        let c = id.best().unwrap();
        assert_eq!(c.chain, Chain::Bitcoin);
        assert!(!c.valid);
        assert_eq!(c.reason_code, Some(expected), "{address}: {reason}");
        assert!(c.reason.is_some());
    }
}

#[test]
fn generic_bech32_strings_are_not_addresses_and_say_why() {
    let v = json(BECH32);
    for key in ["bip173_valid_bech32", "bip350_valid_bech32m"] {
        for s in v[key].as_array().unwrap() {
            let s = str_of(s);
            let id = identify(s);
            assert!(!id.is_valid(), "{s}");
            if s.bytes().all(|b| b.is_ascii_alphanumeric()) && s.len() <= 90 {
                assert_eq!(id.reason_code, Some(ReasonCode::UnknownPrefix), "{s}");
            }
        }
    }
    for key in ["bip173_invalid_bech32", "bip350_invalid_bech32m"] {
        for entry in v[key].as_array().unwrap() {
            let s = str_of(&entry["string"]);
            assert!(!identify(s).is_valid(), "{s}");
        }
    }
}

#[test]
fn bech32_max_length_is_90() {
    // A valid-looking v1 address padded past 90 characters.
    let long = format!("bc1p{}", "q".repeat(90));
    let c = identify(&long).best().cloned().unwrap();
    assert_eq!(c.reason_code, Some(ReasonCode::TooLong));
    assert!(!c.valid);
}

fn eip55_vectors() -> Vec<String> {
    let v = json(EIP55);
    let lists = &v["valid_checksummed"];
    ["all_caps", "all_lower", "normal"]
        .iter()
        .flat_map(|k| lists[k].as_array().expect("a list of addresses"))
        .map(|s| str_of(s).to_owned())
        .collect()
}

#[test]
fn eip55_vectors_are_valid_and_normalise_to_themselves() {
    let vectors = eip55_vectors();
    assert_eq!(vectors.len(), 8);
    for address in &vectors {
        let id = identify(address);
        let c = id.best().unwrap();
        assert!(c.valid && c.certain && c.checksummed, "{address}");
        assert_eq!(
            (c.chain, c.kind, c.network),
            (Chain::Evm, IdKind::EvmAddress, None)
        );
        assert_eq!(&c.normalized, address);
        assert_eq!(id.valid().count(), 1);

        // Single-case spellings carry no checksum but are still valid.
        let body = &address[2..];
        for spelling in [
            format!("0x{}", body.to_lowercase()),
            format!("0x{}", body.to_uppercase()),
        ] {
            let c = identify(&spelling).best().cloned().unwrap();
            assert!(c.valid, "{spelling}");
            assert_eq!(&c.normalized, address, "{spelling}");
        }

        // Without 0x: recognised, not valid, and the fix is offered.
        let c = identify(body).best().cloned().unwrap();
        assert_eq!(c.kind, IdKind::EvmAddress);
        assert!(!c.valid);
        assert_eq!(c.reason_code, Some(ReasonCode::MissingPrefix));
        assert!(
            c.reason
                .as_deref()
                .unwrap()
                .starts_with("missing 0x prefix")
        );
        assert_eq!(&c.normalized, address);
    }
}

#[test]
fn eip55_one_flipped_letter_is_a_bad_checksum() {
    for address in eip55_vectors() {
        for (i, ch) in address.char_indices().skip(2) {
            if !ch.is_ascii_alphabetic() {
                continue;
            }
            let flipped: String = address
                .char_indices()
                .map(|(j, c)| {
                    if j != i {
                        c
                    } else if c.is_ascii_uppercase() {
                        c.to_ascii_lowercase()
                    } else {
                        c.to_ascii_uppercase()
                    }
                })
                .collect();
            let id = identify(&flipped);
            assert!(!id.is_valid(), "{flipped}");
            let c = id.best().unwrap();
            assert_eq!(c.reason_code, Some(ReasonCode::BadChecksum), "{flipped}");
            assert!(
                c.reason
                    .as_deref()
                    .unwrap()
                    .starts_with("bad EIP-55 checksum")
            );
            let err = Address::parse(&flipped, Some(Chain::Evm)).unwrap_err();
            assert_eq!(err.code(), "bad_checksum");
        }
    }
}

#[test]
fn tron_examples_in_base58_and_hex() {
    let v = json(TRON_SOLANA);
    let tron = v["tron"].as_array().unwrap();
    assert_eq!(tron.len(), 4);
    for entry in tron {
        let base58 = str_of(&entry["base58"]);
        let hex = str_of(&entry["hex_computed"]);

        let id = identify(base58);
        let c = id.best().unwrap();
        assert!(c.valid && c.certain && c.checksummed, "{base58}");
        assert_eq!((c.chain, c.kind), (Chain::Tron, IdKind::TronAddress));
        assert_eq!(c.normalized, base58);
        assert_eq!(c.tron_hex.as_deref(), Some(hex));
        assert_eq!(
            id.valid().count(),
            1,
            "{base58}: a TRON address is not also Solana"
        );

        for hex_input in [hex.to_owned(), hex.to_uppercase()] {
            let c = identify(&hex_input).best().cloned().unwrap();
            assert!(c.valid, "{hex_input}");
            assert_eq!(c.kind, IdKind::TronAddress);
            assert_eq!(c.normalized, base58, "hex form normalises to base58");
            assert!(!c.checksummed);
        }
        if let Some(given) = entry["hex"].as_str() {
            assert_eq!(given.to_lowercase(), hex);
        }
        if let Some(evm) = entry["evm"].as_str() {
            let c = identify(evm).best().cloned().unwrap();
            assert!(c.valid);
            assert_eq!(c.kind, IdKind::EvmAddress);
            assert_eq!(c.normalized, evm);
            assert_eq!(c.normalized[2..].to_lowercase(), hex[2..]);
        }

        // One character changed: a TRON reading with a bad checksum, never a valid TRON address.
        let mut changed: Vec<char> = base58.chars().collect();
        changed[10] = if changed[10] == 'a' { 'b' } else { 'a' };
        let changed: String = changed.into_iter().collect();
        let id = identify(&changed);
        assert!(!id.valid().any(|c| c.chain == Chain::Tron), "{changed}");
        let c = id.best().unwrap();
        assert_eq!(c.reason_code, Some(ReasonCode::BadChecksum), "{changed}");
    }
}

#[test]
fn solana_examples_are_valid_but_uncertain() {
    let v = json(TRON_SOLANA);
    let solana = v["solana"]["addresses"].as_array().unwrap();
    assert_eq!(solana.len(), 6);
    for entry in solana {
        let address = str_of(&entry["address"]);
        let id = identify(address);
        let c = id.best().unwrap();
        assert!(c.valid, "{address}");
        assert!(!c.certain && !c.checksummed, "{address}");
        assert_eq!((c.chain, c.kind), (Chain::Solana, IdKind::SolanaAddress));
        assert_eq!(c.normalized, address);
        assert_eq!(id.candidates.len(), 1);
        assert!(id.describe().contains("Solana"));
    }
}

#[test]
fn base58check_bitcoin_addresses_are_not_called_solana() {
    // 25-byte payloads: these decode to the wrong length for Solana whatever their checksum.
    for s in [
        TRON,
        "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
        "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm",
    ] {
        let id = identify(s);
        assert!(
            !id.candidates.iter().any(|c| c.chain == Chain::Solana),
            "{s}"
        );
    }
    // Random base58 of the wrong decoded length is nothing.
    assert!(
        identify("abcdefghijkmnopqrstuvwxyzABCDEFGH")
            .candidates
            .is_empty()
    );
}

#[test]
fn bare_64_hex_is_ambiguous_and_every_reading_is_returned() {
    let id = identify(&format!("  {}\n", TXID.to_uppercase()));
    assert_eq!(id.input, TXID.to_uppercase());
    let kinds: Vec<IdKind> = id.candidates.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [IdKind::BitcoinTxid, IdKind::TronTxId, IdKind::EvmTxHash]
    );
    let [btc, tron, evm] = &id.candidates[..] else {
        unreachable!()
    };
    assert!(btc.valid && tron.valid && !evm.valid);
    assert!(id.candidates.iter().all(|c| !c.certain && !c.checksummed));
    assert_eq!(btc.normalized, TXID);
    assert_eq!(tron.normalized, TXID);
    assert_eq!(evm.normalized, format!("0x{TXID}"));
    assert_eq!(evm.reason_code, Some(ReasonCode::MissingPrefix));
    assert!(id.is_transaction() && !id.is_address());
    assert_eq!(
        id.describe(),
        "either a Bitcoin transaction id or a TRON transaction id \
         (or an EVM transaction hash with its 0x prefix left out)"
    );

    let id = identify(&format!("0x{TXID}"));
    assert_eq!(id.candidates.len(), 1);
    let c = id.best().unwrap();
    assert!(c.valid && !c.certain);
    assert_eq!((c.chain, c.kind), (Chain::Evm, IdKind::EvmTxHash));
    assert_eq!(id.describe(), "an EVM transaction hash");
}

#[test]
fn wrong_lengths_and_non_identifiers_say_why() {
    let id = identify(&format!("0x{}", "ab".repeat(19)));
    assert!(id.candidates.is_empty());
    assert_eq!(id.reason_code, Some(ReasonCode::WrongLength));
    assert_eq!(
        id.reason.as_deref(),
        Some("0x + 38 hex digits: an EVM address has 40")
    );
    assert_eq!(
        id.describe(),
        "not an address or transaction id: 0x + 38 hex digits: an EVM address has 40"
    );

    let id = identify(&format!("0x{}", "ab".repeat(31)));
    assert_eq!(
        id.reason.as_deref(),
        Some("0x + 62 hex digits: a transaction hash has 64")
    );

    assert_eq!(identify("0xZZ").reason_code, Some(ReasonCode::BadCharacter));
    assert_eq!(identify("   ").reason_code, Some(ReasonCode::Empty));
    assert_eq!(
        identify("hello world").reason_code,
        Some(ReasonCode::NotRecognised)
    );
    assert!(identify("hello").candidates.is_empty());
    // A base58 look-alike with a capital I in it.
    let id = identify("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mI");
    assert!(id.candidates.is_empty());
    assert_eq!(id.reason_code, Some(ReasonCode::BadCharacter));
    // Extended public keys are common in tickets and are no single address.
    let xpub = "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";
    assert_eq!(identify(xpub).reason_code, Some(ReasonCode::ExtendedKey));
}

#[test]
fn describe_gives_an_english_one_liner() {
    assert_eq!(
        identify(TAPROOT).describe(),
        "a Bitcoin bech32m (Taproot) address, mainnet"
    );
    assert_eq!(
        identify(P2WPKH).describe(),
        "a Bitcoin bech32 (native SegWit, P2WPKH) address, mainnet"
    );
    assert_eq!(
        identify("mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ").describe(),
        "a Bitcoin legacy (P2PKH) address, testnet"
    );
    assert_eq!(identify(TRON).describe(), "a TRON address");
    assert!(
        identify(EVM)
            .describe()
            .starts_with("an EVM address (Ethereum")
    );
    let flipped = EVM.replace("aA", "aa");
    assert!(identify(&flipped)
        .describe()
        .starts_with("an invalid EVM address (Ethereum, BNB Smart Chain, Polygon and other EVM chains): bad EIP-55 checksum"));
    assert_eq!(
        identify("bc1z2rksukkjr8").describe(),
        "a Bitcoin SegWit address of future witness version 2, mainnet"
    );
}

#[test]
fn identification_serialises_as_snake_case_json() {
    let v = serde_json::to_value(identify(TAPROOT)).unwrap();
    let c = &v["candidates"][0];
    assert_eq!(c["chain"], "bitcoin");
    assert_eq!(c["kind"], "p2tr");
    assert_eq!(c["network"], "mainnet");
    assert_eq!(c["valid"], true);
    assert_eq!(c["witness_version"], 1);
    assert_eq!(c["reason_code"], Value::Null);

    let v = serde_json::to_value(identify(&EVM.replace("aA", "aa"))).unwrap();
    assert_eq!(v["candidates"][0]["chain"], "evm");
    assert_eq!(v["candidates"][0]["kind"], "evm_address");
    assert_eq!(v["candidates"][0]["reason_code"], "bad_checksum");

    let v = serde_json::to_value(Address::parse(TRON, None).unwrap()).unwrap();
    assert_eq!(v["chain"], "tron");
    assert_eq!(v["kind"], "tron_address");
}

#[test]
fn address_parse_accepts_and_normalises() {
    let a = Address::parse(
        &format!(" {} ", TAPROOT.to_uppercase()),
        Some(Chain::Bitcoin),
    )
    .unwrap();
    assert_eq!(
        (a.chain(), a.kind(), a.network()),
        (Chain::Bitcoin, IdKind::P2tr, Some(Network::Mainnet))
    );
    assert_eq!(a.as_str(), TAPROOT);
    assert_eq!(a.to_string(), TAPROOT);

    let a: Address = EVM.to_lowercase().parse().unwrap();
    assert_eq!(a.as_str(), EVM);
    // With the chain known, a missing 0x is only a spelling matter.
    let a = Address::parse(&EVM[2..], Some(Chain::Evm)).unwrap();
    assert_eq!(a.as_str(), EVM);

    let a = Address::parse(
        "419d1015e669c2df831003c5c54ceb48da613d9979",
        Some(Chain::Tron),
    )
    .unwrap();
    assert_eq!(a.as_str(), "TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBr");

    let a = Address::parse(
        "So11111111111111111111111111111111111111112",
        Some(Chain::Solana),
    )
    .unwrap();
    assert_eq!(a.kind(), IdKind::SolanaAddress);
}

#[test]
fn address_parse_errors() {
    let err = Address::parse(TXID, None).unwrap_err();
    assert_eq!(err, IdentError::TxHashNotAddress);
    assert_eq!(err.code(), "tx_hash_not_address");
    assert_eq!(
        err.to_string(),
        "this is a transaction hash, not an address"
    );

    let err = Address::parse(EVM, Some(Chain::Tron)).unwrap_err();
    assert_eq!(
        err,
        IdentError::WrongChain {
            expected: Chain::Tron,
            found: IdKind::EvmAddress
        }
    );
    assert_eq!(
        err.to_string(),
        "not a TRON address: this is an EVM address"
    );
    assert_eq!(err.code(), "wrong_chain");

    let err = Address::parse(TRON, Some(Chain::Bitcoin)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a Bitcoin address: this is a TRON address"
    );

    let err = Address::parse(&EVM.replace("aA", "aa"), None).unwrap_err();
    assert_eq!(err.code(), "bad_checksum");
    assert!(err.to_string().starts_with("bad EIP-55 checksum"));

    let err = Address::parse(&EVM[2..], None).unwrap_err();
    assert_eq!(err.code(), "missing_prefix");

    let bad_bech32 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5";
    let err = Address::parse(bad_bech32, Some(Chain::Bitcoin)).unwrap_err();
    assert!(matches!(
        err,
        IdentError::Invalid {
            kind: IdKind::P2wpkh,
            code: ReasonCode::BadChecksum,
            ..
        }
    ));
    assert_eq!(err.code(), "bad_checksum");

    assert_eq!(Address::parse("  ", None).unwrap_err(), IdentError::Empty);
    assert_eq!(
        Address::parse("hello", None).unwrap_err().code(),
        "not_recognised"
    );
    assert_eq!(
        Address::parse(&format!("0x{}", "ab".repeat(19)), None)
            .unwrap_err()
            .to_string(),
        "not an address or transaction id: 0x + 38 hex digits: an EVM address has 40"
    );
    let wif = "5Kd3NBUAdUnhyzenEwVLy9pBKxSwXvE9FMPyR4UKZvpe6E3AgLr";
    assert_eq!(Address::parse(wif, None).unwrap_err().code(), "private_key");
}

#[test]
fn tx_hash_parse() {
    let h = TxHash::parse(TXID, None).unwrap();
    assert_eq!(h.chain(), None, "Bitcoin or TRON: the form does not say");
    assert_eq!(h.as_str(), TXID);
    let h = TxHash::parse(&TXID.to_uppercase(), Some(Chain::Bitcoin)).unwrap();
    assert_eq!((h.chain(), h.as_str()), (Some(Chain::Bitcoin), TXID));
    let h = TxHash::parse(TXID, Some(Chain::Tron)).unwrap();
    assert_eq!(h.chain(), Some(Chain::Tron));
    let h = TxHash::parse(TXID, Some(Chain::Evm)).unwrap();
    assert_eq!(
        (h.chain(), h.as_str()),
        (Some(Chain::Evm), format!("0x{TXID}").as_str())
    );
    let h: TxHash = format!("0X{}", TXID.to_uppercase()).parse().unwrap();
    assert_eq!(
        (h.chain(), h.to_string()),
        (Some(Chain::Evm), format!("0x{TXID}"))
    );

    let err = TxHash::parse(P2WPKH, None).unwrap_err();
    assert_eq!(
        err,
        IdentError::AddressNotTxHash {
            chain: Chain::Bitcoin
        }
    );
    assert_eq!(
        err.to_string(),
        "this is a Bitcoin address, not a transaction hash"
    );
    assert_eq!(err.code(), "address_not_tx_hash");
    assert_eq!(
        TxHash::parse(EVM, Some(Chain::Evm))
            .unwrap_err()
            .to_string(),
        "this is an EVM address, not a transaction hash"
    );

    let err = TxHash::parse(&format!("0x{TXID}"), Some(Chain::Bitcoin)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a Bitcoin transaction id: this is an EVM transaction hash"
    );
    assert_eq!(
        TxHash::parse(TXID, Some(Chain::Solana)).unwrap_err().code(),
        "wrong_chain"
    );
    assert_eq!(
        TxHash::parse(&TXID[1..], None).unwrap_err().code(),
        "not_recognised"
    );
    assert_eq!(TxHash::parse("", None).unwrap_err(), IdentError::Empty);
}

#[test]
fn find_identifiers_in_mixed_chinese_and_english_text() {
    let hash = format!("0x{TXID}");
    let text = format!(
        "您好！我的地址：{P2WPKH}，交易哈希 {hash}。\n\
         I also sent to ({EVM}) and \"{TRON}\"; txid={TXID}. \
         Typo: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx, short 0x1234, words like supercalifragilistic."
    );
    let found = find_identifiers(&text);
    let spans: Vec<&str> = found.iter().map(|(r, _)| &text[r.clone()]).collect();
    assert_eq!(spans, [P2WPKH, hash.as_str(), EVM, TRON, TXID]);
    let kinds: Vec<IdKind> = found
        .iter()
        .map(|(_, id)| id.best().unwrap().kind)
        .collect();
    assert_eq!(
        kinds,
        [
            IdKind::P2wpkh,
            IdKind::EvmTxHash,
            IdKind::EvmAddress,
            IdKind::TronAddress,
            IdKind::BitcoinTxid
        ]
    );
    assert!(found[0].1.is_address() && found[1].1.is_transaction());
}

#[test]
fn find_identifiers_on_4_mib_of_text() {
    let sentence =
        format!("请核对 {P2WPKH} 和 {EVM}，谢谢 abcdefghijkmnopqrstuvwxyzABCDEFGH {TXID}. ");
    let repeats = 4 * 1024 * 1024 / sentence.len();
    let text = sentence.repeat(repeats);
    assert_eq!(find_identifiers(&text).len(), 3 * repeats);
    // One 4 MiB token and many short ones are skipped without decoding.
    assert!(find_identifiers(&"a".repeat(4 * 1024 * 1024)).is_empty());
    assert!(find_identifiers(&"ab ".repeat(1024 * 1024)).is_empty());
}

fn alnum_token() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-zA-Z]{0,100}",
        "0[xX][0-9a-fA-F]{0,70}",
        "[0-9a-fA-F]{38,66}",
        "(bc1|tb1|bcrt1|BC1)[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{0,90}",
        "[1-9A-HJ-NP-Za-km-z]{24,46}",
        "T[1-9A-HJ-NP-Za-km-z]{33}",
    ]
}

proptest! {
    #[test]
    fn identify_never_panics_and_orders_valid_first(s in any::<String>()) {
        let id = identify(&s);
        prop_assert_eq!(id.input.as_str(), s.trim());
        let firsts: Vec<bool> = id.candidates.iter().map(|c| c.valid).collect();
        prop_assert!(firsts.windows(2).all(|w| w[0] >= w[1]));
        let _ = id.describe();
    }

    #[test]
    fn identify_never_panics_on_identifier_shaped_tokens(s in alnum_token()) {
        let id = identify(&s);
        for c in &id.candidates {
            prop_assert_eq!(c.valid, c.reason.is_none());
            prop_assert_eq!(c.valid, c.reason_code.is_none());
        }
        // The length prefilter never hides a valid identifier.
        let found = find_identifiers(&s);
        prop_assert_eq!(found.len(), usize::from(id.is_valid()));
        let _ = Address::parse(&s, None);
        let _ = TxHash::parse(&s, Some(Chain::Evm));
    }

    #[test]
    fn find_identifiers_returns_valid_in_bounds_sorted_spans(s in any::<String>()) {
        let mut last_end = 0;
        for (range, id) in find_identifiers(&s) {
            prop_assert!(range.start >= last_end && range.end <= s.len());
            let span = s.get(range.clone());
            prop_assert!(span.is_some(), "span on a char boundary");
            prop_assert!(identify(span.unwrap_or_default()).is_valid());
            prop_assert!(id.is_valid());
            last_end = range.end;
        }
    }

    #[test]
    fn one_substituted_bech32_character_is_always_caught(
        which in 0usize..4,
        pos in any::<prop::sample::Index>(),
        replacement in prop::sample::select(b"qpzry9x8gf2tvdw0s3jn54khce6mua7l".to_vec()),
    ) {
        let address = [TAPROOT, P2WPKH, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "bc1z2rksukkjr8"][which];
        let mut bytes = address.as_bytes().to_vec();
        let start = address.find('1').unwrap_or(0) + 1;
        let i = start + pos.index(address.len() - start);
        prop_assume!(bytes[i] != replacement);
        bytes[i] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(!valid_bitcoin(&identify(&changed)), "{} accepted", changed);
    }
}
