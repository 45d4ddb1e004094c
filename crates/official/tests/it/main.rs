//! Real-world lookalike techniques against the demo brand's channels.
//!
//! Sources of the techniques:
//! - dnstwist's fuzzers (<https://github.com/elceef/dnstwist>, README "Fuzzing algorithms"):
//!   addition, bitsquatting, homoglyph, hyphenation, insertion, omission, repetition,
//!   replacement, subdomain, transposition, vowel-swap, dictionary, tld-swap.
//! - Unicode Technical Standard #39 and its `confusables.txt` (Cyrillic and Greek letters that
//!   render as Latin), and Xudong Zheng's 2017 `xn--80ak6aa92e.com` ("аррӏе.com") demonstration.
//! - URL tricks from phishing reports: user-info before `@` (RFC 3986 §3.2.1 allows it,
//!   browsers go to the host after it), IP-address hosts, link shorteners, `http://`.
//! - Fake-support scams on Telegram and X that put the wallet's name into a handle
//!   (`@Lanternfish_Support`, `lanternfish.help@gmail.com`).

use official::{Channel, Code, Kind, Official};

fn desk() -> Official {
    Official::new(
        "Lanternfish Wallet",
        &[
            Channel {
                kind: "website",
                value: "https://lanternfish.example",
            },
            Channel {
                kind: "email",
                value: "support@lanternfish.example",
            },
            Channel {
                kind: "telegram",
                value: "https://t.me/LanternfishWallet",
            },
            Channel {
                kind: "x",
                value: "@lanternfish",
            },
            Channel {
                kind: "wechat",
                value: "lanternfish_cn",
            },
            Channel {
                kind: "phone",
                value: "+86 400 800 1234",
            },
            Channel {
                kind: "app",
                value: "https://apps.apple.example/app/lanternfish-wallet/id123",
            },
            Channel {
                kind: "address",
                value: "0x52908400098527886E0F7030069857D2E4169EE7",
            },
        ],
    )
}

#[track_caller]
fn official(value: &str, kind: Kind) {
    let v = desk().check(value);
    assert!(v.official, "{value} should be official: {:?}", v.codes());
    assert_eq!(v.kind, kind, "{value}");
    assert_eq!(v.findings.first().map(|f| f.code), Some(Code::Official));
    assert_eq!(v.findings.last().map(|f| f.code), Some(Code::NeverAsks));
    for bad in [
        Code::NotListed,
        Code::LookalikeDomain,
        Code::Homoglyph,
        Code::BrandInForeignName,
    ] {
        assert!(!v.has(bad), "{value}: {:?}", v.codes());
    }
}

#[test]
fn official_values_however_written() {
    for value in [
        "https://lanternfish.example",
        "https://lanternfish.example/",
        "HTTPS://LanternFish.Example/help/article?id=3#top",
        "https://www.lanternfish.example/download/",
        "lanternfish.example",
        "lanternfish.example.",
        "https://lanternfish.example:443/",
        "https://help.lanternfish.example/x",
        "  <https://lanternfish.example/>  ",
        "ｌａｎｔｅｒｎｆｉｓｈ.example",
    ] {
        let v = desk().check(value);
        assert!(v.official, "{value}: {:?}", v.codes());
        assert!(
            !v.has(Code::LookalikeDomain) && !v.has(Code::InsecureUrl),
            "{value}"
        );
    }
    official("support@lanternfish.example", Kind::Email);
    official("Support@Lanternfish.Example", Kind::Email);
    official("mailto:support@lanternfish.example", Kind::Email);
    official(
        "Lanternfish Support <support@lanternfish.example>",
        Kind::Email,
    );
    official("@LanternfishWallet", Kind::Telegram);
    official("t.me/lanternfishwallet", Kind::Telegram);
    official("https://telegram.me/LanternfishWallet/", Kind::Telegram);
    official("telegram: @lanternfishwallet", Kind::Telegram);
    official("https://x.com/Lanternfish", Kind::X);
    official("https://twitter.com/lanternfish/status/1", Kind::X);
    official("微信：lanternfish_cn", Kind::Wechat);
    official("+86 400-800-1234", Kind::Phone);
    official("008640080012 34", Kind::Phone);
    official(
        "https://apps.apple.example/app/lanternfish-wallet/id123/",
        Kind::Url,
    );
}

#[test]
fn the_official_app_store_path_does_not_make_the_whole_store_official() {
    let v = desk().check("https://apps.apple.example/app/fake-wallet/id999");
    assert!(!v.official, "{:?}", v.codes());
}

#[test]
fn http_on_our_own_domain_is_ours_but_insecure() {
    let v = desk().check("http://lanternfish.example/login");
    assert!(v.official);
    assert!(v.has(Code::InsecureUrl));
}

/// (value, codes that must be present, the lookalike technique's message key if any)
const LOOKALIKES: &[(&str, &[Code], Option<&str>)] = &[
    // dnstwist: addition / dictionary — our name with words added.
    (
        "lanternfish-support.com",
        &[Code::LookalikeDomain, Code::BrandInForeignName],
        Some("extra_words"),
    ),
    (
        "https://lanternfishwallet.io/claim",
        &[Code::LookalikeDomain, Code::BrandInForeignName],
        Some("extra_words"),
    ),
    (
        "support-lanternfish.net",
        &[Code::LookalikeDomain, Code::BrandInForeignName],
        Some("extra_words"),
    ),
    // insertion, omission, repetition, transposition, replacement, vowel swap, bitsquatting.
    (
        "lanternfisxh.example",
        &[Code::LookalikeDomain],
        Some("insertion"),
    ),
    (
        "lanternfsh.example",
        &[Code::LookalikeDomain],
        Some("omission"),
    ),
    (
        "lanternfissh.example",
        &[Code::LookalikeDomain],
        Some("repetition"),
    ),
    (
        "lantrenfish.example",
        &[Code::LookalikeDomain],
        Some("transposition"),
    ),
    (
        "lanternfisk.example",
        &[Code::LookalikeDomain],
        Some("replacement"),
    ),
    (
        "lanternfesh.example",
        &[Code::LookalikeDomain],
        Some("vowel_swap"),
    ),
    (
        "laoternfish.example",
        &[Code::LookalikeDomain],
        Some("bitsquatting"),
    ),
    // hyphenation
    (
        "lantern-fish.example",
        &[Code::LookalikeDomain],
        Some("hyphenation"),
    ),
    // TLD swap
    (
        "https://lanternfish.com",
        &[Code::LookalikeDomain],
        Some("tld_swap"),
    ),
    (
        "lanternfish.co.uk",
        &[Code::LookalikeDomain],
        Some("tld_swap"),
    ),
    // subdomain tricks
    (
        "https://lanternfish.example.evil.test/login",
        &[Code::LookalikeDomain, Code::BrandInForeignName],
        Some("subdomain"),
    ),
    (
        "lanternfish.secure-login.test",
        &[Code::LookalikeDomain, Code::BrandInForeignName],
        Some("subdomain"),
    ),
    // homoglyphs: digits for letters, rn for m, Cyrillic and Greek letters.
    (
        "lanternf1sh.example",
        &[Code::LookalikeDomain, Code::Homoglyph],
        Some("homoglyph"),
    ),
    (
        "LANTERNFI5H.example",
        &[Code::LookalikeDomain, Code::Homoglyph],
        Some("homoglyph"),
    ),
    (
        "https://lаnternfish.example",
        &[Code::LookalikeDomain, Code::Homoglyph, Code::MixedScript],
        Some("homoglyph"),
    ),
    (
        "lanternfιsh.example",
        &[Code::LookalikeDomain, Code::Homoglyph, Code::MixedScript],
        Some("homoglyph"),
    ),
    (
        "lanternf1sh-support.com",
        &[
            Code::LookalikeDomain,
            Code::Homoglyph,
            Code::BrandInForeignName,
        ],
        Some("extra_words"),
    ),
    // punycode: the same Cyrillic `а` as written on the wire.
    (
        "https://xn--lanternfsh-soh.example/",
        &[
            Code::Punycode,
            Code::LookalikeDomain,
            Code::Homoglyph,
            Code::MixedScript,
        ],
        Some("homoglyph"),
    ),
    (
        "https://xn--lnternfish-zqi.example/",
        &[
            Code::Punycode,
            Code::LookalikeDomain,
            Code::Homoglyph,
            Code::MixedScript,
        ],
        Some("homoglyph"),
    ),
    // user-info trick: the browser goes to evil.test.
    (
        "https://lanternfish.example@evil.test/",
        &[Code::Userinfo, Code::BrandInForeignName],
        None,
    ),
    (
        "http://192.0.2.7/lanternfish/login",
        &[Code::IpAddressHost, Code::InsecureUrl],
        None,
    ),
    ("http://3221225991/", &[Code::IpAddressHost], None),
    ("https://bit.ly/3xYzAbc", &[Code::UrlShortener], None),
    ("t.cn/A6abcd", &[Code::UrlShortener], None),
    // e-mail
    (
        "lanternfish.help@gmail.com",
        &[Code::FreeMail, Code::BrandInForeignName],
        None,
    ),
    (
        "support@lanternfish-help.com",
        &[Code::LookalikeDomain, Code::BrandInForeignName],
        Some("extra_words"),
    ),
    (
        "support@lanternf1sh.example",
        &[Code::LookalikeDomain, Code::Homoglyph],
        Some("homoglyph"),
    ),
    (
        "\"Lanternfish Support\" <help@mailer.test>",
        &[Code::BrandInForeignName],
        None,
    ),
    // handles
    (
        "@Lanternfish_Support",
        &[Code::LookalikeHandle, Code::BrandInForeignName],
        Some("extra_words"),
    ),
    (
        "https://t.me/LanternfishWaIlet",
        &[Code::LookalikeHandle, Code::Homoglyph],
        Some("homoglyph"),
    ),
    (
        "@lanternf1sh",
        &[Code::LookalikeHandle, Code::Homoglyph],
        Some("homoglyph"),
    ),
    (
        "x: @lanterrnfish",
        &[Code::LookalikeHandle],
        Some("repetition"),
    ),
    (
        "微信：lanternfish_kefu",
        &[Code::LookalikeHandle, Code::BrandInForeignName],
        Some("extra_words"),
    ),
];

#[test]
fn real_world_lookalikes() {
    let d = desk();
    let mut failures = Vec::new();
    for (value, codes, technique) in LOOKALIKES {
        let v = d.check(value);
        let mut ok = !v.official
            && v.findings.first().map(|f| f.code) == Some(Code::NotListed)
            && v.findings.last().map(|f| f.code) == Some(Code::NeverAsks)
            && codes.iter().all(|c| v.has(*c));
        if let Some(t) = technique {
            let key = format!("verify.lookalike.{t}");
            ok &= v.findings.iter().any(|f| f.message_key == key);
        }
        if !ok {
            failures.push(format!(
                "{value}: {:?} {:?}",
                v.codes(),
                v.findings
                    .iter()
                    .map(|f| &f.message_key)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn cyrillic_only_apple_is_decoded_and_flagged() {
    let d = Official::new(
        "Apple",
        &[Channel {
            kind: "website",
            value: "https://apple.com",
        }],
    );
    let v = d.check("https://xn--80ak6aa92e.com/");
    assert!(!v.official);
    assert!(v.has(Code::Punycode) && v.has(Code::Homoglyph) && v.has(Code::LookalikeDomain));
    let p = v
        .findings
        .iter()
        .find(|f| f.code == Code::Punycode)
        .unwrap();
    assert_eq!(p.detail.as_deref(), Some("аррӏе.com"));
    // Whole-script Cyrillic is not *mixed*.
    assert!(!v.has(Code::MixedScript));
}

#[test]
fn benign_unrelated_values_are_only_not_listed() {
    let d = desk();
    for value in [
        "https://www.google.com/",
        "github.com",
        "https://en.wikipedia.org/wiki/Lantern",
        "fisherman.example",
        "https://xn--mnchen-3ya.de/",
        "alice@example.org",
        "@durov",
        "+1 202 555 0143",
        "lantern.example",
    ] {
        let v = d.check(value);
        assert!(!v.official, "{value}");
        assert_eq!(
            v.findings[0].code,
            Code::NotListed,
            "{value}: {:?}",
            v.codes()
        );
        for bad in [
            Code::LookalikeDomain,
            Code::LookalikeHandle,
            Code::Homoglyph,
            Code::BrandInForeignName,
            Code::MixedScript,
        ] {
            assert!(!v.has(bad), "{value}: {:?}", v.codes());
        }
    }
    // München is a real name in one script: decoded, shown, not called a homoglyph.
    let v = d.check("https://xn--mnchen-3ya.de/");
    assert!(v.has(Code::Punycode));
}

#[test]
fn crypto_addresses_are_never_a_reason_to_send_funds() {
    let d = desk();
    let listed = d.check("0x52908400098527886e0f7030069857d2e4169ee7");
    assert_eq!(listed.kind, Kind::Address);
    assert!(listed.official && listed.has(Code::FundsRequest));
    let f = listed
        .findings
        .iter()
        .find(|f| f.code == Code::FundsRequest)
        .unwrap();
    assert_eq!(f.message_key, "verify.finding.funds_request_listed");
    let other = d.check("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    assert_eq!(other.kind, Kind::Address);
    assert!(!other.official);
    assert_eq!(
        other.codes(),
        vec!["not_listed", "funds_request", "never_asks"]
    );
}

#[test]
fn an_unlisted_address_on_our_domain_is_not_official() {
    let v = desk().check("refunds@lanternfish.example");
    assert!(!v.official);
    assert_eq!(
        v.findings[0].message_key,
        "verify.finding.not_listed_own_domain"
    );
}

#[test]
fn unreadable_values_are_unrecognised() {
    let d = desk();
    // `İ` lower-cases to two characters: nothing may be sliced by the lower-cased length.
    let _ = d.check("İİİİ: x");
    let _ = d.check("tgİİ: @x");
    for value in ["", "   ", "???", "hi", &"a".repeat(5000)] {
        let v = d.check(value);
        assert!(!v.official);
        assert_eq!(v.codes(), vec!["unrecognised", "never_asks"], "{value:.20}");
    }
}

mod props {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_always_reminds(s in "\\PC{0,120}") {
            let v = super::desk().check(&s);
            prop_assert_eq!(v.findings.last().map(|f| f.code), Some(official::Code::NeverAsks));
        }

        #[test]
        fn hinted_never_panics(hint in "(telegram|tg|wechat|微信|x|twitter)", rest in "\\PC{0,30}") {
            let _ = super::desk().check(&format!("{hint}{rest}"));
        }

        #[test]
        fn urlish_never_panics(s in "(https?://)?[a-z0-9.@:/\\\\%\\[\\]-]{0,60}") {
            let _ = super::desk().check(&s);
        }
    }
}
