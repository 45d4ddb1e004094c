//! Vectors made with ethers/siwe, TronWeb, tweetnacl, bitcoinjs-message, bip322-js and
//! bitcoinjs-lib (`tests/vectors/gen/gen.cjs`), positive and negative.

use crate::{expect_from, load, outcome};

fn run(file: &str) -> usize {
    let doc = load(&format!("generated/{file}"));
    let cases = doc["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap_or_else(|| panic!("{k} in {case}"));
        let got = outcome(&ownership::verify(
            s("address"),
            s("message"),
            s("signature"),
            &expect_from(case),
        ));
        if got != case["expect"] {
            failures.push(format!(
                "{}: expected {}, got {got}",
                s("name"),
                case["expect"]
            ));
        }
    }
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    cases.len()
}

#[test]
fn evm_eip191_and_siwe_from_ethers() {
    assert!(run("evm.json") >= 20);
}

#[test]
fn tron_sign_message_v2_from_tronweb() {
    assert!(run("tron.json") >= 9);
}

#[test]
fn solana_from_tweetnacl() {
    assert!(run("solana.json") >= 14);
}

#[test]
fn bitcoin_bip137_and_bip322_from_bitcoinjs_and_bip322_js() {
    assert!(run("bitcoin.json") >= 35);
}

/// Every prefix of every valid signature is an answer or an input error, never a panic, and
/// never "valid".
#[test]
fn truncated_and_altered_signatures_are_never_valid() {
    for file in ["evm.json", "tron.json", "solana.json", "bitcoin.json"] {
        let doc = load(&format!("generated/{file}"));
        for case in doc["cases"].as_array().expect("cases") {
            if case["expect"]["valid"] != true {
                continue;
            }
            let s = |k: &str| case[k].as_str().expect("field");
            let sig = s("signature");
            for cut in 1..sig.len() {
                // Without its last byte (v), an `r‖s‖v` signature whose v is 27 is the same
                // proof in EIP-2098's compact form, and valid.
                let compact = sig.starts_with("0x") && sig.len() == 132 && cut == 130;
                // Base64 without its `=` padding is the same bytes.
                let padding = sig[cut..].bytes().all(|b| b == b'=');
                if !sig.is_char_boundary(cut) || compact || padding {
                    continue;
                }
                let r =
                    ownership::verify(s("address"), s("message"), &sig[..cut], &expect_from(case));
                assert!(
                    !r.is_ok_and(|v| v.valid),
                    "{}: prefix {cut} valid",
                    s("name")
                );
            }
            // One character changed in the middle.
            let mid = sig.len() / 2;
            let c = if &sig[mid..=mid] == "A" { "B" } else { "A" };
            let altered = format!("{}{c}{}", &sig[..mid], &sig[mid + 1..]);
            let r = ownership::verify(s("address"), s("message"), &altered, &expect_from(case));
            assert!(!r.is_ok_and(|v| v.valid), "{}: altered valid", s("name"));
        }
    }
}
