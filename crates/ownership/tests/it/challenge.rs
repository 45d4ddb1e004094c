//! The challenge texts: SIWE for EVM, plain for the others; the same bytes the vectors' wallets
//! signed.

use ownership::challenge::{self, ChallengeParams, Lang, PlainChallenge};
use ownership::siwe::Message;
use wallet::ident::Address;

use crate::{load, ts};

fn params(address: &Address, lang: Lang) -> ChallengeParams<'_> {
    ChallengeParams {
        base_url: "https://help.example.com",
        address,
        ticket: 42,
        nonce: "k3Xq9TzvB2mL",
        issued_at: ts("2026-01-01T00:00:00Z"),
        expires_at: ts("2026-01-01T00:15:00Z"),
        lang,
    }
}

fn message_of(file: &str, name: &str) -> (String, String) {
    let doc = load(&format!("generated/{file}"));
    let case = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name}"))
        .clone();
    (
        case["address"].as_str().expect("address").to_owned(),
        case["message"].as_str().expect("message").to_owned(),
    )
}

#[test]
fn evm_challenge_is_the_siwe_message_the_siwe_library_writes() {
    let (address, message) = message_of("evm.json", "siwe desk challenge");
    let address = Address::parse(&address, None).expect("address");
    let c = challenge::build(&params(&address, Lang::Zh)).expect("challenge");
    assert_eq!(c.text, message);
    assert_eq!(c.domain, "help.example.com");
    let m = Message::parse(&c.text).expect("parses");
    assert_eq!(m.nonce, "k3Xq9TzvB2mL");
    assert_eq!(m.resources, ["urn:walletdesk:ticket:42"]);
    let statement = m.statement.expect("statement");
    assert!(statement.contains("moves no funds"), "{statement}");
    assert!(
        statement.contains("never asks for your recovery phrase"),
        "{statement}"
    );
    assert!(statement.is_ascii());
}

#[test]
fn plain_challenges_in_both_languages() {
    for (file, name, lang) in [
        ("tron.json", "tron challenge en", Lang::En),
        ("tron.json", "tron challenge zh", Lang::Zh),
        ("solana.json", "solana challenge zh base58", Lang::Zh),
        ("bitcoin.json", "bip322 simple p2tr challenge zh", Lang::Zh),
    ] {
        let (address, message) = message_of(file, name);
        let parsed = Address::parse(&address, None).expect("address");
        let c = challenge::build(&params(&parsed, lang)).expect("challenge");
        assert_eq!(c.text, message, "{name}");
        let p = PlainChallenge::parse(&c.text).expect("reads back");
        assert_eq!(p.address, address);
        assert_eq!(p.expires, ts("2026-01-01T00:15:00Z"));
    }
    let a = Address::parse("TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", None).expect("address");
    let en = challenge::build(&params(&a, Lang::En)).expect("en").text;
    let zh = challenge::build(&params(&a, Lang::Zh)).expect("zh").text;
    assert!(en.contains("moves no funds") && en.contains("never ask for your recovery phrase"));
    assert!(zh.contains("不会转移任何资金") && zh.contains("绝不会索要您的助记词"));
}

#[test]
fn a_bad_nonce_or_base_url_is_refused() {
    let a = Address::parse("0x5ce9454909639D2D17A3F753ce7d93fa0b9aB12E", None).expect("address");
    let mut p = params(&a, Lang::En);
    p.nonce = "short";
    assert!(challenge::build(&p).is_err());
    p.nonce = "with space1";
    assert!(challenge::build(&p).is_err());
    let mut p = params(&a, Lang::En);
    p.base_url = "https://";
    assert!(challenge::build(&p).is_err());
}
