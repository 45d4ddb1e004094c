//! `walletdesk-eval redaction`: measures [`wallet::redact_with`] on a labelled corpus and on real
//! prose, in both error directions.
//!
//! The corpus lives in `crates/wallet/data/corpus/` (see its `SOURCES.md`):
//!
//! * `labelled.jsonl` — synthetic messages, one JSON object a line, made by [`generate`] from a
//!   fixed seed: `{id, lang, field?, text, secrets: [{kind, start, end, language?, words?,
//!   variant?}], decoys: [{kind, start, end}], note}`. `secrets` are byte spans that must be
//!   removed; `decoys` are byte spans that look alike (transaction hashes, addresses, xpubs) and
//!   must survive untouched. Secret `kind`s are [`wallet::SecretKind`]'s snake_case names.
//! * `prose/<lang>.<name>.txt` — real prose, one paragraph a line. Any finding there is a false
//!   positive. `en.support.txt` and `zh.support.txt` are support-style messages that [`generate`]
//!   also writes; `*.debian-docs.txt` are extracted from Debian packages by
//!   `tools/extract_prose.py`; `zh.<genre>.{tune,held-out}.txt` (reviews, news, forum posts,
//!   customer chats) by `crates/wallet/data/corpus/zh_prose.py`. Rates are reported per language
//!   and per file, so that a genre's held-out half is seen apart from the half rules were tuned on.
//!
//! [`run`] prints recall per secret kind × language, the false-positive rate per prose language,
//! the two error directions of the 64-hex-digit rule (keys kept as if they were hashes, hashes
//! removed as if they were keys), and whether any secret survives in the redacted text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use wallet::codec::{base58check_encode, hex_encode, keccak256};
use wallet::wordlist::{is_combining_mark, lookup_key};
use wallet::{FieldHint, Language, RedactOptions, bip39};

/// The seed of every generated corpus. Changing it changes `labelled.jsonl`; commit both.
const SEED: u64 = 0x005E_ED0F_3A11_E7D5;

/// Decoy kinds that are 64 hex digits: the cases the raw-private-key rule must leave alone.
const HEX_DECOYS: [&str; 3] = ["tx_hash", "block_hash", "file_hash"];

// ---------------------------------------------------------------------------------------------
// The corpus format
// ---------------------------------------------------------------------------------------------

/// One labelled message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    pub(crate) id: String,
    /// BCP 47 tag of the message's language (a bare phrase counts as its wordlist's language).
    pub(crate) lang: String,
    /// The field the text arrived in (`free_text` when absent), as [`FieldHint`] names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) field: Option<String>,
    pub(crate) text: String,
    pub(crate) secrets: Vec<SecretSpan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) decoys: Vec<DecoySpan>,
    pub(crate) note: String,
}

/// A secret that redaction must remove: bytes `start..end` of the text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SecretSpan {
    pub(crate) kind: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) words: Option<usize>,
    /// `exact`, `typo1`, `typo2` (one or two misspelled words) or `bad_checksum`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) variant: Option<String>,
}

/// Something that looks like a secret and is not: it must survive redaction untouched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DecoySpan {
    /// `tx_hash`, `block_hash`, `file_hash`, `address`, `xpub`, `url`, `words`.
    pub(crate) kind: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

// ---------------------------------------------------------------------------------------------
// A tiny deterministic PRNG (splitmix64): the corpus must be the same on every machine.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`). The modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n as u64)).unwrap_or(0)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64().to_le_bytes()[0]).collect()
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Building one message with its labels
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Msg {
    text: String,
    secrets: Vec<SecretSpan>,
    decoys: Vec<DecoySpan>,
}

impl Msg {
    fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    fn secret(&mut self, kind: &str, s: &str) -> &mut Self {
        let start = self.text.len();
        self.text.push_str(s);
        self.secrets.push(SecretSpan {
            kind: kind.to_owned(),
            start,
            end: self.text.len(),
            language: None,
            words: None,
            variant: None,
        });
        self
    }

    fn decoy(&mut self, kind: &str, s: &str) -> &mut Self {
        let start = self.text.len();
        self.text.push_str(s);
        self.decoys.push(DecoySpan {
            kind: kind.to_owned(),
            start,
            end: self.text.len(),
        });
        self
    }

    /// Fills a template: `{}` is replaced by `fill`, which writes the labelled part.
    fn template(&mut self, template: &str, fill: impl FnOnce(&mut Msg)) -> &mut Self {
        let (before, after) = template.split_once("{}").unwrap_or((template, ""));
        self.push(before);
        fill(self);
        self.push(after)
    }

    fn into_record(self, id: String, lang: &str, field: Option<&str>, note: String) -> Record {
        Record {
            id,
            lang: lang.to_owned(),
            field: field.map(str::to_owned),
            text: self.text,
            secrets: self.secrets,
            decoys: self.decoys,
            note,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Phrases
// ---------------------------------------------------------------------------------------------

/// How a phrase is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Spaces,
    /// `1. w 2. w …`
    NumberedDot,
    /// `1) w` one a line.
    NumberedParen,
    /// `1-w 2-w …`
    NumberedDash,
    Lines,
    Comma,
    Quoted,
    Upper,
    MixedCase,
    /// Latin lists written without their accents.
    NoAccents,
    /// Japanese with U+3000 (the BIP39 separator).
    Ideographic,
    /// Japanese or Chinese with no separator at all.
    NoSeparator,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Spaces => "spaces",
            Format::NumberedDot => "numbered_dot",
            Format::NumberedParen => "numbered_paren_lines",
            Format::NumberedDash => "numbered_dash",
            Format::Lines => "one_per_line",
            Format::Comma => "comma",
            Format::Quoted => "quoted",
            Format::Upper => "upper_case",
            Format::MixedCase => "mixed_case",
            Format::NoAccents => "no_accents",
            Format::Ideographic => "ideographic_space",
            Format::NoSeparator => "no_separator",
        }
    }

    fn for_language(lang: Language) -> Vec<Format> {
        use Format::{
            Comma, Ideographic, Lines, MixedCase, NoAccents, NoSeparator, NumberedDash,
            NumberedDot, NumberedParen, Quoted, Spaces, Upper,
        };
        match lang {
            Language::Japanese => {
                vec![
                    Spaces,
                    Ideographic,
                    NoSeparator,
                    NumberedDot,
                    Lines,
                    Quoted,
                    Comma,
                ]
            }
            Language::ChineseSimplified | Language::ChineseTraditional => {
                vec![
                    Spaces,
                    NoSeparator,
                    NumberedDot,
                    NumberedParen,
                    Lines,
                    Comma,
                    Quoted,
                ]
            }
            Language::Korean => vec![Spaces, NumberedDot, NumberedDash, Lines, Comma, Quoted],
            Language::English | Language::Italian => vec![
                Spaces,
                NumberedDot,
                NumberedParen,
                NumberedDash,
                Lines,
                Comma,
                Quoted,
                Upper,
                MixedCase,
            ],
            _ => vec![
                Spaces,
                NumberedDot,
                NumberedParen,
                NumberedDash,
                Lines,
                Comma,
                Quoted,
                Upper,
                MixedCase,
                NoAccents,
            ],
        }
    }
}

/// Where a phrase sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Bare,
    English,
    Chinese,
}

const EN_PHRASE_TEMPLATES: [&str; 8] = [
    "Hi, my wallet won't restore after the update. My recovery phrase is {} - what am I doing wrong?",
    "Here are my seed words:\n{}\nPlease help, the app says the phrase is invalid.",
    "I wrote the words down on paper when I set up the wallet: {}. Is something missing?",
    "Support, I need my funds back. Mnemonic: {} Thanks in advance.",
    "When I type {} into the import screen nothing happens.",
    "Is this the right order? {}\nI am not sure about the last word.",
    "my 12/24 words (backup from 2021): {} -- the balance shows 0 BTC now",
    "Hello team,\n\nI restored with {}\n\nbut my ETH is gone. Regards, Tom",
];

const ZH_PHRASE_TEMPLATES: [&str; 8] = [
    "你好，我的助记词是 {}，为什么恢复不了？",
    "助记词：{}\n请帮我看看哪里错了",
    "我导入钱包的时候输入了{}，一直提示无效。",
    "客服你好，升级以后余额不见了，我的助记词如下：\n{}\n麻烦尽快处理",
    "这是我抄下来的备份：{}。顺序对吗？",
    "请问{}这组词能恢复我的 USDT 吗",
    "我把助记词发给你们：“{}”，请帮忙找回资产",
    "恢复钱包时输入 {} 之后显示余额为零，怎么办？",
];

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

fn strip_accents(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).nfc().collect()
}

/// The words as a person would type them (NFC), from wordlist indices.
fn words_of(lang: Language, indices: &[u16]) -> Vec<String> {
    let wl = lang.wordlist();
    indices.iter().map(|i| nfc(wl.word(*i))).collect()
}

/// Misspells `word` so that it is no longer in `lang`'s list.
fn misspell(rng: &mut Rng, lang: Language, word: &str) -> String {
    let wl = lang.wordlist();
    for _ in 0..200 {
        let mut chars: Vec<char> = word.chars().collect();
        let at = rng.below(chars.len());
        match lang {
            Language::ChineseSimplified | Language::ChineseTraditional => {
                let c = char::from_u32(0x4E00 + u32::try_from(rng.below(0x51A5)).unwrap_or(0));
                chars[at] = c.unwrap_or('龘');
            }
            Language::Japanese => {
                let c = char::from_u32(0x3041 + u32::try_from(rng.below(0x52)).unwrap_or(0));
                chars[at] = c.unwrap_or('ゐ');
            }
            Language::Korean => {
                let c = char::from_u32(0xAC00 + u32::try_from(rng.below(11172)).unwrap_or(0));
                chars[at] = c.unwrap_or('뷁');
            }
            _ => match rng.below(3) {
                0 if chars.len() > 3 => {
                    chars.remove(at);
                }
                1 if at + 1 < chars.len() => chars.swap(at, at + 1),
                _ => {
                    let b = b'a' + u8::try_from(rng.below(26)).unwrap_or(0);
                    chars[at] = char::from(b);
                }
            },
        }
        let typo: String = chars.into_iter().collect();
        if typo != word && !typo.is_empty() && wl.index_of(&typo).is_none() {
            return typo;
        }
    }
    format!("{word}x")
}

/// Writes `words` in `format`, labelling the span from the first to the last word.
fn write_phrase(m: &mut Msg, rng: &mut Rng, lang: Language, words: &[String], format: Format) {
    let cjk = lang.is_chinese() || lang == Language::Japanese;
    let words: Vec<String> = match format {
        Format::Upper => words.iter().map(|w| w.to_uppercase()).collect(),
        Format::MixedCase => words
            .iter()
            .map(|w| match rng.below(3) {
                0 => w.to_uppercase(),
                1 => {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                }
                _ => w.clone(),
            })
            .collect(),
        Format::NoAccents => words.iter().map(|w| strip_accents(w)).collect(),
        _ => words.to_vec(),
    };
    let (open, close) = match format {
        Format::Quoted if cjk => ("「", "」"),
        Format::Quoted => ("\"", "\""),
        _ => ("", ""),
    };
    m.push(open);
    let start = m.text.len();
    for (i, w) in words.iter().enumerate() {
        let n = i + 1;
        match format {
            Format::NumberedDot if i == 0 => m.push("1. "),
            Format::NumberedDot => m.push(&format!(" {n}. ")),
            Format::NumberedParen if i == 0 => m.push("1) "),
            Format::NumberedParen => m.push(&format!("\n{n}) ")),
            Format::NumberedDash if i == 0 => m.push("1-"),
            Format::NumberedDash => m.push(&format!(" {n}-")),
            _ if i == 0 => m,
            Format::Lines => m.push("\n"),
            Format::Comma if cjk => m.push("，"),
            Format::Comma => m.push(", "),
            Format::Ideographic => m.push("\u{3000}"),
            Format::NoSeparator => m,
            _ => m.push(" "),
        };
        if i == 0 {
            // The label starts at the first word, not at its number.
            let first = m.text.len();
            m.secrets.push(SecretSpan {
                kind: String::new(),
                start: first,
                end: first,
                language: None,
                words: None,
                variant: None,
            });
        }
        m.push(w);
    }
    let _ = start;
    let end = m.text.len();
    if let Some(s) = m.secrets.last_mut() {
        s.end = end;
    }
    m.push(close);
}

fn phrase_record(
    rng: &mut Rng,
    id: String,
    lang: Language,
    count: usize,
    format: Format,
    context: Context,
    variant: &str,
) -> Record {
    let entropy = rng.bytes(count / 3 * 4);
    let mut indices = bip39::indices_from_entropy(&entropy).unwrap_or_default();
    if variant == "bad_checksum" {
        // The last word carries the checksum's low bits: flipping one breaks it for sure.
        if let Some(last) = indices.last_mut() {
            *last ^= 1;
        }
        debug_assert!(!bip39::checksum_valid(&indices));
    }
    let mut words = words_of(lang, &indices);
    let typos = match variant {
        "typo1" => 1,
        "typo2" => 2,
        _ => 0,
    };
    let mut at: Vec<usize> = Vec::new();
    while at.len() < typos {
        let i = rng.below(words.len());
        if !at.contains(&i) {
            at.push(i);
        }
    }
    for i in at {
        words[i] = misspell(rng, lang, &words[i]);
    }
    let mut m = Msg::default();
    let (tag, template) = match context {
        Context::Bare => (lang.tag(), "{}"),
        Context::English => ("en", rng.pick(&EN_PHRASE_TEMPLATES)),
        Context::Chinese => ("zh", rng.pick(&ZH_PHRASE_TEMPLATES)),
    };
    m.template(template, |m| write_phrase(m, rng, lang, &words, format));
    if let Some(s) = m.secrets.last_mut() {
        "recovery_phrase".clone_into(&mut s.kind);
        s.language = Some(lang.name().to_owned());
        s.words = Some(count);
        s.variant = Some(variant.to_owned());
    }
    let note = format!(
        "{} {count}-word phrase, {}, {variant}, {}",
        lang.name(),
        format.name(),
        match context {
            Context::Bare => "alone",
            Context::English => "in an English message",
            Context::Chinese => "in a Chinese message",
        }
    );
    m.into_record(id, tag, None, note)
}

fn phrases(rng: &mut Rng, out: &mut Vec<Record>) {
    let contexts = [Context::Bare, Context::English, Context::Chinese];
    let mut n = 0usize;
    for lang in Language::ALL {
        for count in bip39::VALID_WORD_COUNTS {
            let formats = Format::for_language(lang);
            for (fi, format) in formats.iter().enumerate() {
                let context = contexts[(fi + count) % contexts.len()];
                n += 1;
                let id = format!("phrase-{n:04}");
                out.push(phrase_record(
                    rng, id, lang, count, *format, context, "exact",
                ));
            }
            // Misspelled and bad-checksum variants, in a few formats each.
            let variants: [(&str, &[Format]); 3] = [
                (
                    "typo1",
                    &[Format::Spaces, Format::NumberedDot, Format::Lines],
                ),
                ("typo2", &[Format::Spaces, Format::Comma]),
                ("bad_checksum", &[Format::Spaces, Format::Quoted]),
            ];
            for (variant, fmts) in variants {
                for (fi, format) in fmts.iter().enumerate() {
                    let format = if lang.is_chinese() && fi == 0 && count % 2 == 1 {
                        Format::NoSeparator
                    } else {
                        *format
                    };
                    let context = contexts[(fi + count + 1) % contexts.len()];
                    n += 1;
                    let id = format!("phrase-{n:04}");
                    out.push(phrase_record(
                        rng, id, lang, count, format, context, variant,
                    ));
                }
            }
        }
    }
}

/// Electrum 2.0+ seeds: 12 English words whose HMAC-SHA512("Seed version") starts with the
/// version prefix (`01` standard, `100` segwit). Candidates that are also valid BIP39 phrases are
/// skipped so that each label has one right answer.
fn electrum_seeds(rng: &mut Rng, out: &mut Vec<Record>) {
    let en = Language::English.wordlist();
    for n in 0..24 {
        let prefix = if n % 3 == 2 { "100" } else { "01" };
        let (indices, phrase) = loop {
            let indices: Vec<u16> = (0..12)
                .map(|_| u16::try_from(rng.below(2048)).unwrap_or(0))
                .collect();
            let phrase = indices
                .iter()
                .map(|i| en.word(*i))
                .collect::<Vec<_>>()
                .join(" ");
            let Ok(mut mac) = Hmac::<sha2::Sha512>::new_from_slice(b"Seed version") else {
                continue;
            };
            mac.update(phrase.as_bytes());
            let version = hex_encode(&mac.finalize().into_bytes());
            if version.starts_with(prefix) && !bip39::checksum_valid(&indices) {
                break (indices, phrase);
            }
        };
        let _ = indices;
        let mut m = Msg::default();
        let template = if n % 2 == 0 {
            "My Electrum seed is {} and the wallet file is gone, can I restore?"
        } else {
            "Electrum 恢复种子：{}"
        };
        m.template(template, |m| {
            m.secret("electrum_seed", &phrase);
        });
        if let Some(s) = m.secrets.last_mut() {
            s.language = Some("english".to_owned());
            s.words = Some(12);
            s.variant = Some("exact".to_owned());
        }
        let lang = if n % 2 == 0 { "en" } else { "zh" };
        let note = format!("Electrum seed, version prefix {prefix}");
        out.push(m.into_record(format!("electrum-{n:03}"), lang, None, note));
    }
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

fn wif(rng: &mut Rng, testnet: bool, compressed: bool) -> String {
    let mut payload = vec![if testnet { 0xEF } else { 0x80 }];
    payload.extend(rng.bytes(32));
    if compressed {
        payload.push(0x01);
    }
    base58check_encode(&payload)
}

/// A BIP32 extended key: version, depth, parent fingerprint, child number, chain code, key.
fn extended_key(rng: &mut Rng, version: u32, private: bool) -> String {
    let mut payload = version.to_be_bytes().to_vec();
    let depth = u8::try_from(rng.below(5)).unwrap_or(0);
    payload.push(depth);
    if depth == 0 {
        payload.extend([0u8; 8]);
    } else {
        payload.extend(rng.bytes(8));
    }
    payload.extend(rng.bytes(32));
    if private {
        payload.push(0);
    } else {
        payload.push(if rng.below(2) == 0 { 2 } else { 3 });
    }
    payload.extend(rng.bytes(32));
    base58check_encode(&payload)
}

const XPRV_VERSIONS: [(&str, u32); 8] = [
    ("xprv", 0x0488_ADE4),
    ("tprv", 0x0435_8394),
    ("yprv", 0x049D_7878),
    ("zprv", 0x04B2_430C),
    ("Yprv", 0x0295_B005),
    ("Zprv", 0x02AA_7A99),
    ("uprv", 0x044A_4E28),
    ("vprv", 0x045F_18BC),
];

const XPUB_VERSIONS: [(&str, u32); 4] = [
    ("xpub", 0x0488_B21E),
    ("ypub", 0x049D_7CB6),
    ("zpub", 0x04B2_4746),
    ("tpub", 0x0435_87CF),
];

fn uuid(rng: &mut Rng) -> String {
    let h = hex_encode(&rng.bytes(16));
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn keystore_json(rng: &mut Rng, pretty: bool) -> String {
    let address = hex_encode(&rng.bytes(20));
    let scrypt = rng.below(2) == 0;
    let kdfparams = if scrypt {
        serde_json::json!({"dklen": 32, "n": 262_144, "p": 1, "r": 8, "salt": hex_encode(&rng.bytes(32))})
    } else {
        serde_json::json!({"c": 262_144, "dklen": 32, "prf": "hmac-sha256", "salt": hex_encode(&rng.bytes(32))})
    };
    let v = serde_json::json!({
        "address": address,
        "crypto": {
            "cipher": "aes-128-ctr",
            "ciphertext": hex_encode(&rng.bytes(32)),
            "cipherparams": {"iv": hex_encode(&rng.bytes(16))},
            "kdf": if scrypt { "scrypt" } else { "pbkdf2" },
            "kdfparams": kdfparams,
            "mac": hex_encode(&rng.bytes(32)),
        },
        "id": uuid(rng),
        "version": 3,
    });
    if pretty {
        serde_json::to_string_pretty(&v).unwrap_or_default()
    } else {
        v.to_string()
    }
}

fn solana_array(rng: &mut Rng, spaced: bool) -> String {
    let sep = if spaced { ", " } else { "," };
    let nums: Vec<String> = rng.bytes(64).iter().map(u8::to_string).collect();
    format!("[{}]", nums.join(sep))
}

fn keys(rng: &mut Rng, out: &mut Vec<Record>) {
    let en_templates: [&str; 6] = [
        "my private key is {} please check my balance",
        "Private key: {}",
        "I exported this from the old wallet:\n{}\nhow do I import it?",
        "Is it safe to paste {} into the web wallet?",
        "key = \"{}\"",
        "{}",
    ];
    let zh_templates: [&str; 5] = [
        "我的私钥是 {} 请帮我导入",
        "私钥：{}",
        "导出的私钥如下：\n{}\n能恢复吗？",
        "这是钱包里的密钥{}，余额不对",
        "{}",
    ];
    let mut push = |rng: &mut Rng, kind: &str, idx: usize, secret: String, note: String| {
        let zh = idx % 2 == 1;
        let template = if zh {
            zh_templates[idx % zh_templates.len()]
        } else {
            en_templates[idx % en_templates.len()]
        };
        let mut m = Msg::default();
        m.template(template, |m| {
            m.secret(kind, &secret);
        });
        let _ = rng;
        let lang = if zh { "zh" } else { "en" };
        out.push(m.into_record(format!("{kind}-{idx:03}"), lang, None, note));
    };
    for i in 0..40 {
        let testnet = i % 4 >= 2;
        let compressed = i % 2 == 0 || i % 3 == 0;
        let key = wif(rng, testnet, compressed);
        let note = format!(
            "WIF, version {}, {}",
            if testnet { "0xEF" } else { "0x80" },
            if compressed {
                "compressed"
            } else {
                "uncompressed"
            }
        );
        push(rng, "wif_private_key", i, key, note);
    }
    for i in 0..40 {
        let (name, version) = XPRV_VERSIONS[i % XPRV_VERSIONS.len()];
        let key = extended_key(rng, version, true);
        push(
            rng,
            "extended_private_key",
            i,
            key,
            format!("{name} extended private key"),
        );
    }
    for i in 0..20 {
        let key = keystore_json(rng, i % 2 == 0);
        push(
            rng,
            "ethereum_keystore",
            i,
            key,
            "Ethereum V3 keystore JSON".to_owned(),
        );
    }
    for i in 0..30 {
        let (key, note) = if i % 2 == 0 {
            (bs58_64(rng), "Solana 64-byte secret key, base58")
        } else {
            (
                solana_array(rng, i % 3 == 0),
                "Solana 64-byte secret key, JSON array",
            )
        };
        push(rng, "solana_secret_key", i, key, note.to_owned());
    }
    raw_hex_keys(rng, out);
}

fn bs58_64(rng: &mut Rng) -> String {
    bs58::encode(rng.bytes(64)).into_string()
}

/// Raw 64-hex keys, always after words that say "key": the rule must remove these.
fn raw_hex_keys(rng: &mut Rng, out: &mut Vec<Record>) {
    let templates: [(&str, &str); 12] = [
        ("en", "private key: {}"),
        ("en", "Private Key (hex): {}"),
        (
            "en",
            "I exported the account from MetaMask, the private key is {}. Where do I paste it?",
        ),
        ("en", "privkey={}"),
        ("en", "my priv key {} - is it compromised?"),
        ("en", "secret key\n{}"),
        ("zh", "私钥：{}"),
        ("zh", "我的私钥是{}，请帮我看看"),
        ("zh", "导出私钥 {} 以后余额没了"),
        ("zh", "明文私钥（hex）：{}"),
        ("en", "ETH private key 👉 {}"),
        ("zh", "这是我的 private key：{}"),
    ];
    for i in 0..48 {
        let (lang, template) = templates[i % templates.len()];
        let hex = hex_encode(&rng.bytes(32));
        let key = match i % 3 {
            0 => format!("0x{hex}"),
            1 => hex.to_uppercase(),
            _ => hex,
        };
        let mut m = Msg::default();
        m.template(template, |m| {
            m.secret("raw_private_key", &key);
        });
        let note = format!(
            "raw 64-hex private key after a key label{}",
            if i % 3 == 0 { ", 0x" } else { "" }
        );
        out.push(m.into_record(format!("raw_private_key-{i:03}"), lang, None, note));
    }
}

// ---------------------------------------------------------------------------------------------
// Look-alikes that must survive
// ---------------------------------------------------------------------------------------------

fn p2pkh(rng: &mut Rng, version: u8) -> String {
    let mut payload = vec![version];
    payload.extend(rng.bytes(20));
    base58check_encode(&payload)
}

fn segwit(rng: &mut Rng, taproot: bool) -> String {
    let hrp = bech32::hrp::BC;
    if taproot {
        bech32::segwit::encode(hrp, bech32::segwit::VERSION_1, &rng.bytes(32)).unwrap_or_default()
    } else {
        bech32::segwit::encode(hrp, bech32::segwit::VERSION_0, &rng.bytes(20)).unwrap_or_default()
    }
}

/// An EIP-55 mixed-case Ethereum address.
fn eth_address(rng: &mut Rng) -> String {
    let hex = hex_encode(&rng.bytes(20));
    let hash = hex_encode(&keccak256(hex.as_bytes()));
    let mixed: String = hex
        .chars()
        .zip(hash.chars())
        .map(|(c, h)| {
            if c.is_ascii_alphabetic() && h >= '8' {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    format!("0x{mixed}")
}

fn solana_address(rng: &mut Rng) -> String {
    bs58::encode(rng.bytes(32)).into_string()
}

fn tron_address(rng: &mut Rng) -> String {
    p2pkh(rng, 0x41)
}

fn any_address(rng: &mut Rng) -> String {
    match rng.below(7) {
        0 => p2pkh(rng, 0x00),
        1 => p2pkh(rng, 0x05),
        2 => segwit(rng, false),
        3 => segwit(rng, true),
        4 => eth_address(rng),
        5 => solana_address(rng),
        _ => tron_address(rng),
    }
}

fn txid(rng: &mut Rng) -> String {
    hex_encode(&rng.bytes(32))
}

/// Sentences that are full of BIP39 English words (and Chinese sentences whose every character
/// is in the Chinese lists) without being a phrase.
const WORDY_SENTENCES: [(&str, &str); 14] = [
    (
        "en",
        "I have a question about my account: after the update the balance shows zero and the app asks me to enter the word list again, but I do not want to lose my money.",
    ),
    (
        "en",
        "Please help, I sent some bitcoin to my friend last month and the transfer is still pending because the fee was too low, what can I do now?",
    ),
    (
        "en",
        "You should never share your secret words with anyone, not even with support staff, because anybody who has them can move all of your coins.",
    ),
    (
        "en",
        "The app crashed during the upgrade, then it asked for my pin code twice, and now the screen is black when I open it on my phone.",
    ),
    (
        "en",
        "My daughter bought a new laptop and we want to move the wallet to it; is there a simple guide for this process with pictures?",
    ),
    (
        "en",
        "Thank you for the quick answer, the problem was the network setting, it works again and I can see my history.",
    ),
    (
        "en",
        "I lost my phone on a train in October and I still have the paper backup in a safe place at home, so can I recover everything on a tablet?",
    ),
    (
        "en",
        "abandon ability able about above absent absorb abstract absurd abuse access accident are the first words in the English list, is that normal?",
    ),
    (
        "zh",
        "我想问一下为什么我的钱包在更新以后显示余额为零，是不是需要重新输入什么东西？",
    ),
    (
        "zh",
        "上个月我给朋友转了一些比特币，可是到现在还没有到账，手续费是不是太低了？",
    ),
    (
        "zh",
        "请不要把你的助记词告诉任何人，包括客服人员，因为有了它就可以转走你所有的资产。",
    ),
    (
        "zh",
        "我的手机丢了，但是我把备份写在纸上放在家里，能不能在新手机上恢复？",
    ),
    (
        "zh",
        "这个问题已经解决了，原来是网络设置有问题，谢谢你们的耐心帮助。",
    ),
    (
        "zh",
        "我是一个新手，不太明白什么是私钥和公钥，能不能用简单的话解释一下它们的区别？",
    ),
];

fn negatives(rng: &mut Rng, out: &mut Vec<Record>) {
    let mut n = 0usize;
    let mut id = |kind: &str| {
        n += 1;
        format!("neg-{kind}-{n:04}")
    };
    // 64-hex transaction and block hashes with their labels: the other side of the key rule.
    let hash_templates: [(&str, &str, &str); 16] = [
        ("en", "tx_hash", "txid: {}"),
        (
            "en",
            "tx_hash",
            "My transaction {} has been unconfirmed for 3 days.",
        ),
        ("en", "tx_hash", "tx hash {} shows 0 confirmations"),
        ("en", "tx_hash", "Transaction ID: {}\nAmount: 0.015 BTC"),
        ("en", "tx_hash", "see https://mempool.space/tx/{} please"),
        (
            "en",
            "tx_hash",
            "https://blockchair.com/bitcoin/transaction/{}",
        ),
        (
            "en",
            "tx_hash",
            "etherscan says failed: https://etherscan.io/tx/0x{}",
        ),
        (
            "en",
            "tx_hash",
            "The withdrawal TXID is 0x{} but nothing arrived",
        ),
        ("en", "block_hash", "block hash {} at height 840000"),
        (
            "en",
            "file_hash",
            "sha256sum of walletdesk-1.4.2.tar.gz is {} - matches the release page",
        ),
        ("zh", "tx_hash", "交易哈希：{}"),
        (
            "zh",
            "tx_hash",
            "我的转账一直没到账，交易ID是{}，请帮忙查一下",
        ),
        (
            "zh",
            "tx_hash",
            "区块浏览器链接 https://tronscan.org/#/transaction/{} 显示成功",
        ),
        ("zh", "tx_hash", "提币 TxID {} 已经三天了"),
        ("zh", "block_hash", "区块哈希 {}"),
        ("zh", "file_hash", "安装包的 SHA-256 校验值为 {}"),
    ];
    for i in 0..96 {
        let (lang, kind, template) = hash_templates[i % hash_templates.len()];
        let hash = if i % 5 == 4 {
            txid(rng).to_uppercase()
        } else {
            txid(rng)
        };
        let mut m = Msg::default();
        m.template(template, |m| {
            m.decoy(kind, &hash);
        });
        out.push(m.into_record(
            id(kind),
            lang,
            None,
            format!("64-hex {kind} with its label"),
        ));
    }
    // A bare 64-hex string in a field that asks for a transaction hash.
    for _ in 0..16 {
        let mut m = Msg::default();
        let hash = txid(rng);
        m.decoy("tx_hash", &hash);
        out.push(m.into_record(
            id("tx_hash"),
            "und",
            Some("tx_hash"),
            "bare 64-hex in the tx-hash field".to_owned(),
        ));
    }
    // Addresses, alone and in sentences.
    let addr_templates: [(&str, &str); 8] = [
        ("en", "Please send the refund to {}"),
        ("en", "my address: {}"),
        ("en", "Is {} a valid address? The exchange rejects it."),
        ("en", "{}"),
        ("zh", "我的收款地址是 {}"),
        ("zh", "充值地址：{}，已经转了 100 USDT"),
        ("zh", "{} 这个地址是我的吗"),
        ("zh", "请退款到{}谢谢"),
    ];
    for i in 0..64 {
        let (lang, template) = addr_templates[i % addr_templates.len()];
        let addr = any_address(rng);
        let mut m = Msg::default();
        m.template(template, |m| {
            m.decoy("address", &addr);
        });
        out.push(m.into_record(id("address"), lang, None, "address".to_owned()));
    }
    // Extended public keys: same shape as xprv, not secret.
    for i in 0..24 {
        let (name, version) = XPUB_VERSIONS[i % XPUB_VERSIONS.len()];
        let key = extended_key(rng, version, false);
        let mut m = Msg::default();
        let template = if i % 2 == 0 {
            "Here is my watch-only {} so you can see the balance"
        } else {
            "扩展公钥 {}"
        };
        m.template(template, |m| {
            m.decoy("xpub", &key);
        });
        let lang = if i % 2 == 0 { "en" } else { "zh" };
        out.push(m.into_record(
            id("xpub"),
            lang,
            None,
            format!("{name} extended public key"),
        ));
    }
    // Word-heavy sentences.
    for (lang, s) in WORDY_SENTENCES {
        let mut m = Msg::default();
        m.decoy("words", s);
        out.push(m.into_record(
            id("words"),
            lang,
            None,
            "sentence full of BIP39 words".to_owned(),
        ));
    }
    // Everything at once: an address, a txid and an explorer URL in one message.
    for i in 0..24 {
        let zh = i % 2 == 1;
        let mut m = Msg::default();
        let (addr, hash) = (any_address(rng), txid(rng));
        if zh {
            m.push("你好，我从交易所提币到 ")
                .decoy("address", &addr)
                .push("，交易哈希 ")
                .decoy("tx_hash", &hash);
            m.push("，金额 250.5 USDT，浏览器里显示 https://tronscan.org/#/transaction/");
            m.decoy("tx_hash", &hash)
                .push(" 成功，但是钱包里没有。版本 v7.3.1。");
        } else {
            m.push("Hi, I withdrew 0.25 BTC to ")
                .decoy("address", &addr)
                .push(" (txid ")
                .decoy("tx_hash", &hash);
            m.push(") and https://mempool.space/tx/")
                .decoy("tx_hash", &hash);
            m.push(" says confirmed, but the app (v2.14.0, Android 14) still shows 0.");
        }
        let lang = if zh { "zh" } else { "en" };
        out.push(m.into_record(
            id("mixed"),
            lang,
            None,
            "address, txid and explorer URL together".to_owned(),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Support-style prose (no secrets at all)
// ---------------------------------------------------------------------------------------------

const EN_SUPPORT: [&str; 40] = [
    "Hi, I sent {amount} BTC to {addr} about two hours ago and it still shows as pending. txid {txid}",
    "The app crashes on startup since version {ver}. Android 14, Pixel 7. Logs attached.",
    "I can't see my USDT on Tron. My address is {addr}, the exchange says the withdrawal {txid} is done.",
    "After updating to {ver} the balance shows 0.00000000, but the explorer https://mempool.space/address/{addr} shows {amount} BTC.",
    "How long does a transaction with 3 sat/vB take? It's {txid}",
    "Why is the network fee {amount} ETH? That seems too high for a simple transfer.",
    "I get \"Error: insufficient funds for gas * price + value\" when I try to send to {addr}.",
    "Is there a way to speed up {txid}? I think RBF was enabled.",
    "Can you add support for Ledger Nano X? I'm on {ver} and it does not detect the device over USB.",
    "Where do I find the export of my transaction history as CSV? Settings > Advanced only shows \"Export logs\".",
    "Thanks, it worked after I cleared the cache and restarted the app.",
    "My friend sent me {amount} SOL to {addr} but I don't see it. Signature: {sig}",
    "The QR code scanner doesn't focus on iPhone 12 (iOS 17.4). Version {ver}.",
    "I ran `walletdesk-cli getbalance --account 0` and it returned {amount}, is that in BTC or sats?",
    "Hello, the swap from ETH to USDC failed with status 0x0, tx https://etherscan.io/tx/0x{txid}",
    "Please close my ticket, the funds arrived after 6 confirmations.",
    "Do you support Taproot addresses like {addr}? Sending fails with \"invalid address\".",
    "The price chart is stuck on yesterday's value; refreshing doesn't help. Build {ver} (4471).",
    "I accidentally sent BNB on the wrong network to {addr}. Is there any way to recover it?",
    "Your docs at https://docs.example.org/wallet/backup say to write down 12 words, but my app showed 24. Which is right?",
    "The fingerprint login stopped working after the update to {ver}, I have to type my PIN every time.",
    "Payment request: please pay {amount} BTC to {addr} before 2024-05-31.",
    "Can I use the same wallet on two phones at the same time? Will the balance sync?",
    "What does \"UTXO not found\" mean? It happened when I broadcast {txid}.",
    "I paid the invoice lnbc2500u1pvjluez... but the merchant says it expired. Payment hash {txid}.",
    "The address book entry for {addr} disappeared after the restore.",
    "My node runs Bitcoin Core 26.0 and the wallet says \"RPC error -28: Loading block index\" for an hour.",
    "How do I verify the download? The SHA256SUMS file lists a hash, but I don't know which command to run on Windows.",
    "Staking rewards for epoch 612 didn't arrive to {addr}; previous epochs were fine.",
    "Could you explain the difference between a legacy address (starts with 1) and a SegWit address (starts with bc1)?",
    "I'm getting timeouts when connecting to my Electrum server at ssl://electrum.example.net:50002.",
    "The fee estimate says 25 sat/vB for next block, 12 for 6 blocks; is that accurate right now?",
    "After the iOS backup restore, the app asks for a password I never set. Version {ver}.",
    "Hello, is it possible to change the display currency from USD to EUR? I can't find it in settings.",
    "I approved a token allowance by mistake. How do I revoke it? The spender was {addr}.",
    "The NFT I received in tx 0x{txid} doesn't show in the gallery tab.",
    "Hi team, the German translation has a typo on the send screen (\"Empfanger\" instead of \"Empfänger\").",
    "Sent {amount} LTC, txid {txid}, the receiving exchange says it needs 12 confirmations, how long is that?",
    "The app says my clock is off by 300 seconds and refuses to sign. I'm on Ubuntu 22.04 with NTP enabled.",
    "Could you confirm that the address {addr} belongs to your hot wallet before I send the deposit?",
];

const ZH_SUPPORT: [&str; 40] = [
    "你好，我两个小时前往 {addr} 转了 {amount} BTC，到现在还显示待确认。交易哈希 {txid}",
    "升级到 {ver} 之后一打开应用就闪退，安卓 14，小米 13。",
    "我的 TRC20 USDT 没到账，地址 {addr}，交易所说提币 {txid} 已经完成了。",
    "更新到 {ver} 以后余额显示 0，可是浏览器 https://tronscan.org/#/address/{addr} 上有 {amount} USDT。",
    "手续费设置成 3 sat/vB 的交易要等多久？交易ID是 {txid}",
    "为什么转账手续费要 {amount} ETH？感觉太高了。",
    "转账到 {addr} 时提示“余额不足以支付手续费”，但是我账户里明明有钱。",
    "请问交易 {txid} 可以加速吗？好像开了 RBF。",
    "能不能支持 Ledger Nano X？我用的是 {ver}，USB 连接识别不到设备。",
    "交易记录怎么导出成 CSV 文件？设置里面只有“导出日志”。",
    "谢谢，清除缓存重启以后就好了。",
    "朋友给我的地址 {addr} 转了 {amount} SOL，我这边看不到。签名：{sig}",
    "扫码功能在 iPhone 12（iOS 17.4）上无法对焦，版本 {ver}。",
    "我运行了 `walletdesk-cli getbalance --account 0`，返回 {amount}，单位是 BTC 还是聪？",
    "你好，ETH 换 USDC 失败了，状态 0x0，链接 https://etherscan.io/tx/0x{txid}",
    "资产已经到账了，六个确认之后就显示了，工单可以关闭了。",
    "支持 {addr} 这种 Taproot 地址吗？发送的时候提示“地址无效”。",
    "行情图一直停在昨天的价格，刷新也没用。版本 {ver}（4471）。",
    "我不小心把 BNB 通过错误的网络转到了 {addr}，还能找回来吗？",
    "你们的文档 https://docs.example.org/zh/wallet/backup 说要抄写 12 个词，可是我的应用显示的是 24 个，哪个对？",
    "升级到 {ver} 后指纹解锁失效了，每次都要输入 PIN 码。",
    "收款请求：请在 2024-05-31 之前向 {addr} 支付 {amount} BTC。",
    "同一个钱包能不能同时在两部手机上用？余额会同步吗？",
    "“UTXO not found”是什么意思？广播 {txid} 的时候出现的。",
    "闪电网络发票已经付款了，商家说过期了。支付哈希 {txid}。",
    "恢复钱包以后，地址簿里 {addr} 这个联系人不见了。",
    "我的节点是 Bitcoin Core 26.0，钱包一直提示“RPC error -28: Loading block index”，已经一个小时了。",
    "怎么校验下载的安装包？SHA256SUMS 文件里有哈希值，但我不知道在 Windows 上用什么命令。",
    "第 612 期的质押奖励没有发到 {addr}，之前都是正常的。",
    "能解释一下以 1 开头的旧地址和以 bc1 开头的隔离见证地址有什么区别吗？",
    "连接 Electrum 服务器 ssl://electrum.example.net:50002 一直超时。",
    "手续费预估显示下一个区块 25 sat/vB，6 个区块 12 sat/vB，现在准确吗？",
    "用 iOS 备份恢复以后，应用要我输入一个从来没设置过的密码。版本 {ver}。",
    "请问可以把显示货币从美元改成人民币吗？设置里找不到。",
    "我误点了代币授权，怎么撤销？授权地址是 {addr}。",
    "在交易 0x{txid} 里收到的 NFT 没有显示在藏品页面。",
    "你好，英文界面的发送页面有一个拼写错误，“Recieve”应该是“Receive”。",
    "转了 {amount} LTC，交易ID {txid}，交易所说需要 12 个确认，大概要多久？",
    "应用提示系统时间相差 300 秒，拒绝签名。我用的是 Ubuntu 22.04，已经开了 NTP。",
    "充值之前想确认一下，{addr} 是你们的热钱包地址吗？",
];

fn fill_support(rng: &mut Rng, template: &str) -> String {
    let mut s = template.to_owned();
    while let Some(at) = s.find('{') {
        let Some(len) = s[at..].find('}') else { break };
        let key = &s[at + 1..at + len];
        let value = match key {
            "addr" => any_address(rng),
            "txid" => txid(rng),
            "sig" => bs58_64(rng),
            "ver" => format!("v{}.{}.{}", 1 + rng.below(9), rng.below(30), rng.below(12)),
            "amount" => format!("{}.{:04}", rng.below(50), rng.below(10_000)),
            _ => break,
        };
        s.replace_range(at..=at + len, &value);
    }
    s
}

fn support_prose(rng: &mut Rng, templates: &[&str]) -> String {
    let mut out = String::new();
    // Each template five times with different values: ~200 messages a language.
    for round in 0..5 {
        for (i, t) in templates.iter().enumerate() {
            let line = fill_support(rng, t);
            // Some messages are two templates together, as people write.
            if (i + round) % 4 == 0 {
                let other = fill_support(rng, templates[(i + 7) % templates.len()]);
                let _ = writeln!(out, "{line} {other}");
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// generate
// ---------------------------------------------------------------------------------------------

/// The labelled records, deterministically from [`SEED`].
pub(crate) fn labelled_records() -> Vec<Record> {
    let mut rng = Rng(SEED);
    let mut out = Vec::new();
    phrases(&mut rng, &mut out);
    electrum_seeds(&mut rng, &mut out);
    keys(&mut rng, &mut out);
    negatives(&mut rng, &mut out);
    out
}

/// Writes `labelled.jsonl`, `prose/en.support.txt` and `prose/zh.support.txt` into `dir`.
/// The extracted prose (`prose/*.debian-docs.txt`…) is made by `tools/extract_prose.py`.
///
/// # Errors
/// When a file cannot be written.
pub(crate) fn generate(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("prose"))
        .with_context(|| format!("creating {}", dir.display()))?;
    let mut jsonl = String::new();
    for r in labelled_records() {
        jsonl.push_str(&serde_json::to_string(&r)?);
        jsonl.push('\n');
    }
    let path = dir.join("labelled.jsonl");
    std::fs::write(&path, jsonl).with_context(|| format!("writing {}", path.display()))?;
    let mut rng = Rng(SEED ^ 0x5u64);
    for (name, templates) in [
        ("en.support.txt", &EN_SUPPORT),
        ("zh.support.txt", &ZH_SUPPORT),
    ] {
        let path = dir.join("prose").join(name);
        std::fs::write(&path, support_prose(&mut rng, templates))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------

/// `hits` out of `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Count {
    pub(crate) hits: usize,
    pub(crate) total: usize,
}

impl Count {
    fn add(&mut self, hit: bool) {
        self.total += 1;
        self.hits += usize::from(hit);
    }

    /// The share of hits, 0 when there is nothing to count.
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
    pub(crate) fn rate(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.hits as f64 / self.total as f64
        }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>5}/{:<5} {:>6.1}%",
            self.hits,
            self.total,
            self.rate() * 100.0
        )
    }
}

/// Recall of one secret kind in one wordlist language (`-` for keys), split by variant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RecallRow {
    pub(crate) kind: String,
    pub(crate) language: String,
    pub(crate) all: Count,
    /// Variant (`exact`, `typo1`, `typo2`, `bad_checksum`) → found.
    pub(crate) by_variant: BTreeMap<String, Count>,
    /// Found, but reported as another kind.
    pub(crate) wrong_kind: usize,
}

/// False positives on one prose language, or on one prose file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProseRow {
    /// The language (`zh`), or for a file its name without `.txt` (`zh.reviews.held-out`).
    pub(crate) lang: String,
    /// Paragraphs with at least one finding, out of all paragraphs.
    pub(crate) paragraphs: Count,
    pub(crate) findings: usize,
    pub(crate) bytes: usize,
}

impl ProseRow {
    /// Findings per MiB of prose.
    #[expect(clippy::cast_precision_loss, reason = "sizes are far below 2^52")]
    pub(crate) fn findings_per_mib(&self) -> f64 {
        if self.bytes == 0 {
            0.0
        } else {
            self.findings as f64 * 1_048_576.0 / self.bytes as f64
        }
    }
}

/// Everything [`run`] measured.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    pub(crate) recall: Vec<RecallRow>,
    pub(crate) prose: Vec<ProseRow>,
    /// The same per prose file: genres and their tuning and held-out halves
    /// (`zh.<genre>.{tune,held-out}.txt`, see the corpus's SOURCES.md) apart.
    pub(crate) prose_files: Vec<ProseRow>,
    /// Raw 64-hex private keys that were not removed (taken for hashes).
    pub(crate) keys_missed_as_hashes: Count,
    /// 64-hex transaction, block and file hashes that were removed (taken for keys).
    pub(crate) hashes_removed_as_keys: Count,
    /// Every decoy (hash, address, xpub, URL, wordy sentence) that did not survive, by kind.
    pub(crate) decoys_damaged: BTreeMap<String, Count>,
    /// Labelled records with no secret that got any finding.
    pub(crate) negatives_flagged: Count,
    /// Ids of records whose redacted text still holds a secret (4 phrase words in a row, or a
    /// key's characters).
    pub(crate) leaks: Vec<String>,
    /// Ids of records whose findings are out of order, overlapping or off char boundaries.
    pub(crate) bad_spans: Vec<String>,
}

impl Summary {
    /// All secrets, all kinds.
    pub(crate) fn overall_recall(&self) -> Count {
        self.recall.iter().fold(Count::default(), |a, r| Count {
            hits: a.hits + r.all.hits,
            total: a.total + r.all.total,
        })
    }
}

fn field_hint(name: Option<&str>) -> anyhow::Result<FieldHint> {
    Ok(match name {
        None | Some("free_text") => FieldHint::FreeText,
        Some("tx_hash") => FieldHint::TxHash,
        Some("address") => FieldHint::Address,
        Some(other) => anyhow::bail!("unknown field {other:?}"),
    })
}

/// Lookup keys of the words written in `text` (a phrase's span, or a whole redacted text), in
/// order. Chinese is one word a character; Japanese without separators is split greedily by
/// longest match in the Japanese list (a misspelled word there becomes single characters).
fn word_keys(text: &str, lang: Language) -> Vec<String> {
    let text = nfc(text);
    let mut out = Vec::new();
    for run in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|r| !r.is_empty())
    {
        if lang.is_chinese() {
            out.extend(run.chars().map(|c| lookup_key(lang, &c.to_string())));
        } else if lang == Language::Japanese && run.chars().count() > 10 {
            // No separators: longer than any word, so several words written together.
            let wl = lang.wordlist();
            let chars: Vec<char> = run.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let longest = (1..=(chars.len() - i).min(10)).rev().find(|len| {
                    let w: String = chars[i..i + len].iter().collect();
                    wl.index_of(&w).is_some()
                });
                let len = longest.unwrap_or(1);
                let w: String = chars[i..i + len].iter().collect();
                out.push(lookup_key(lang, &w));
                i += len;
            }
        } else {
            out.push(lookup_key(lang, run));
        }
    }
    out
}

/// Whether `redacted` still holds 4 consecutive words of the phrase written in `phrase`.
fn phrase_leaks(phrase: &str, lang: Language, redacted: &str) -> bool {
    let secret = word_keys(phrase, lang);
    // Compare without separators so that any way of writing the words counts.
    let haystack: String = word_keys(redacted, lang).concat();
    secret
        .windows(4.min(secret.len()))
        .any(|w| haystack.contains(&w.concat()))
}

/// Whether `redacted` still holds the distinctive part of a key.
fn key_leaks(key: &str, redacted: &str) -> bool {
    let longest = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .max_by_key(|r| r.len())
        .unwrap_or_default();
    let needle = if longest.len() >= 16 {
        let mid = (longest.len() - 16) / 2;
        &longest[mid..mid + 16]
    } else {
        // A JSON array of numbers: its first 24 bytes are distinctive enough.
        let mut end = key.len().min(24);
        while !key.is_char_boundary(end) {
            end -= 1;
        }
        &key[..end]
    };
    redacted.contains(needle)
}

fn spans_ok(text: &str, findings: &[wallet::Finding]) -> bool {
    let mut prev_end = 0;
    findings.iter().all(|f| {
        let ok = f.start < f.end
            && f.end <= text.len()
            && text.is_char_boundary(f.start)
            && text.is_char_boundary(f.end)
            && f.start >= prev_end;
        prev_end = f.end;
        ok
    })
}

fn evaluate_labelled(records: &[Record], summary: &mut Summary) -> anyhow::Result<()> {
    let mut recall: BTreeMap<(String, String), RecallRow> = BTreeMap::new();
    for r in records {
        let options = RedactOptions {
            field: field_hint(r.field.as_deref())?,
            marker_language: None,
        };
        let red =
            wallet::redact_with(&r.text, &options).with_context(|| format!("record {}", r.id))?;
        if !spans_ok(&r.text, &red.findings) {
            summary.bad_spans.push(r.id.clone());
        }
        let covering = |start: usize, end: usize| {
            red.findings
                .iter()
                .find(|f| f.start <= start && f.end >= end)
        };
        let mut leaked = false;
        for s in &r.secrets {
            anyhow::ensure!(
                s.start <= s.end && r.text.get(s.start..s.end).is_some(),
                "record {}: bad secret span",
                r.id
            );
            let found = covering(s.start, s.end);
            let language = s.language.clone().unwrap_or_else(|| "-".to_owned());
            let row = recall
                .entry((s.kind.clone(), language.clone()))
                .or_insert_with(|| RecallRow {
                    kind: s.kind.clone(),
                    language,
                    ..RecallRow::default()
                });
            row.all.add(found.is_some());
            let variant = s.variant.clone().unwrap_or_else(|| "exact".to_owned());
            row.by_variant
                .entry(variant)
                .or_default()
                .add(found.is_some());
            if let Some(f) = found {
                let reported = serde_json::to_value(f.kind)?;
                if reported.as_str() != Some(s.kind.as_str()) {
                    row.wrong_kind += 1;
                }
            }
            if s.kind == "raw_private_key" {
                summary.keys_missed_as_hashes.add(found.is_none());
            }
            let secret = &r.text[s.start..s.end];
            leaked |= match s.language.as_deref().and_then(Language::parse) {
                Some(lang) => phrase_leaks(secret, lang, &red.text),
                None => key_leaks(secret, &red.text),
            };
        }
        if leaked {
            summary.leaks.push(r.id.clone());
        }
        for d in &r.decoys {
            let touched = red
                .findings
                .iter()
                .any(|f| f.start < d.end && f.end > d.start);
            let survived = !touched && red.text.contains(&r.text[d.start..d.end]);
            summary
                .decoys_damaged
                .entry(d.kind.clone())
                .or_default()
                .add(!survived);
            if HEX_DECOYS.contains(&d.kind.as_str()) {
                summary.hashes_removed_as_keys.add(!survived);
            }
        }
        if r.secrets.is_empty() {
            summary.negatives_flagged.add(red.removed_anything());
        }
    }
    summary.recall = recall.into_values().collect();
    Ok(())
}

fn evaluate_prose(prose_dir: &Path, summary: &mut Summary) -> anyhow::Result<()> {
    let mut files: Vec<_> = match std::fs::read_dir(prose_dir) {
        Ok(dir) => dir
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|e| e.path())
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", prose_dir.display())),
    };
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let mut rows: BTreeMap<String, ProseRow> = BTreeMap::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let lang = name.split('.').next().unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut file_row = ProseRow {
            lang: name.trim_end_matches(".txt").to_owned(),
            ..ProseRow::default()
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let red = wallet::redact(line).with_context(|| format!("{}", path.display()))?;
            file_row.paragraphs.add(red.removed_anything());
            file_row.findings += red.findings.len();
            file_row.bytes += line.len() + 1;
        }
        let row = rows.entry(lang.clone()).or_insert_with(|| ProseRow {
            lang,
            ..ProseRow::default()
        });
        row.paragraphs.hits += file_row.paragraphs.hits;
        row.paragraphs.total += file_row.paragraphs.total;
        row.findings += file_row.findings;
        row.bytes += file_row.bytes;
        summary.prose_files.push(file_row);
    }
    summary.prose = rows.into_values().collect();
    Ok(())
}

/// Reads the corpus in `corpus_dir`, redacts every message and paragraph, writes a report to
/// `out` and returns the figures.
///
/// # Errors
/// When the corpus cannot be read or is malformed, or `out` cannot be written. Poor figures are
/// not errors: the caller decides what to do with the [`Summary`].
pub(crate) fn run(corpus_dir: &Path, out: &mut impl Write) -> anyhow::Result<Summary> {
    let path = corpus_dir.join("labelled.jsonl");
    let jsonl =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let records = jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str::<Record>(l)
                .with_context(|| format!("{}:{}", path.display(), i + 1))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut summary = Summary::default();
    evaluate_labelled(&records, &mut summary)?;
    evaluate_prose(&corpus_dir.join("prose"), &mut summary)?;
    report(&summary, records.len(), out)?;
    Ok(summary)
}

fn report(s: &Summary, records: usize, out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "walletdesk-eval redaction: {records} labelled messages\n"
    )?;
    writeln!(
        out,
        "Recall (a secret counts as found when one finding covers all its bytes)"
    )?;
    writeln!(
        out,
        "{:<22} {:<20} {:>20}  {:<18} {:<18} {:<18} {:<18} {:>10}",
        "kind", "language", "all", "exact", "typo1", "typo2", "bad_checksum", "wrong kind"
    )?;
    let cell = |row: &RecallRow, v: &str| {
        row.by_variant.get(v).map_or_else(
            || "-".to_owned(),
            |c| format!("{}/{} {:.0}%", c.hits, c.total, c.rate() * 100.0),
        )
    };
    for row in &s.recall {
        writeln!(
            out,
            "{:<22} {:<20} {:>20}  {:<18} {:<18} {:<18} {:<18} {:>10}",
            row.kind,
            row.language,
            row.all.to_string(),
            cell(row, "exact"),
            cell(row, "typo1"),
            cell(row, "typo2"),
            cell(row, "bad_checksum"),
            row.wrong_kind
        )?;
    }
    writeln!(
        out,
        "{:<43} {:>20}\n",
        "all secrets",
        s.overall_recall().to_string()
    )?;

    writeln!(
        out,
        "False positives on prose (any finding in a paragraph is one)"
    )?;
    writeln!(
        out,
        "{:<6} {:>26} {:>10} {:>12} {:>14}",
        "lang", "paragraphs flagged", "findings", "KiB", "findings/MiB"
    )?;
    for p in &s.prose {
        writeln!(
            out,
            "{:<6} {:>26} {:>10} {:>12} {:>14.2}",
            p.lang,
            p.paragraphs.to_string(),
            p.findings,
            p.bytes / 1024,
            p.findings_per_mib()
        )?;
    }
    writeln!(out, "\nBy file")?;
    for p in &s.prose_files {
        writeln!(
            out,
            "{:<26} {:>26} {:>10} {:>12} {:>14.2}",
            p.lang,
            p.paragraphs.to_string(),
            p.findings,
            p.bytes / 1024,
            p.findings_per_mib()
        )?;
    }
    writeln!(
        out,
        "labelled messages without secrets that were flagged: {}\n",
        s.negatives_flagged
    )?;

    writeln!(out, "The 64-hex-digit rule")?;
    writeln!(
        out,
        "  keys missed (kept as if hashes):   {}",
        s.keys_missed_as_hashes
    )?;
    writeln!(
        out,
        "  hashes removed (taken for keys):   {}",
        s.hashes_removed_as_keys
    )?;
    writeln!(out, "Look-alikes that must survive, damaged:")?;
    for (kind, c) in &s.decoys_damaged {
        writeln!(out, "  {kind:<12} {c}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Secrets still readable after redaction: {} message(s)",
        s.leaks.len()
    )?;
    for id in s.leaks.iter().take(10) {
        writeln!(out, "  {id}")?;
    }
    writeln!(
        out,
        "Findings with bad spans: {} message(s)",
        s.bad_spans.len()
    )?;
    for id in s.bad_spans.iter().take(10) {
        writeln!(out, "  {id}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("walletdesk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// The committed corpus in `crates/wallet/data/corpus`.
    fn committed() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../wallet/data/corpus")
    }

    #[test]
    fn generate_then_run_on_a_temp_dir() {
        let dir = temp_dir("eval-gen");
        generate(&dir).expect("generate");
        let mut report = Vec::new();
        let summary = run(&dir, &mut report).expect("run");
        let report = String::from_utf8(report).expect("utf-8 report");
        assert!(report.contains("recovery_phrase"), "{report}");
        assert!(report.contains("The 64-hex-digit rule"), "{report}");
        let all = summary.overall_recall();
        assert!(all.total > 900, "{all:?}");
        assert_eq!(
            summary
                .prose
                .iter()
                .map(|p| p.lang.as_str())
                .collect::<Vec<_>>(),
            ["en", "zh"]
        );
        assert!(summary.bad_spans.is_empty(), "{:?}", summary.bad_spans);
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn the_committed_corpus_is_what_generate_writes() {
        let dir = temp_dir("eval-fresh");
        generate(&dir).expect("generate");
        for file in [
            "labelled.jsonl",
            "prose/en.support.txt",
            "prose/zh.support.txt",
        ] {
            let fresh = std::fs::read(dir.join(file)).expect("fresh");
            let old = std::fs::read(committed().join(file)).expect("committed corpus");
            assert!(
                fresh == old,
                "{file} is stale: run `walletdesk-eval redaction --generate`"
            );
        }
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn labels_are_where_they_say() {
        for r in labelled_records() {
            for s in &r.secrets {
                let secret = &r.text[s.start..s.end];
                assert!(
                    !secret.trim().is_empty() && secret.trim() == secret,
                    "{}: {secret:?}",
                    r.id
                );
                if let Some(lang) = s.language.as_deref().and_then(Language::parse) {
                    let n = s.words.expect("phrases have a word count");
                    // Japanese with no separator is split greedily, which can mis-split.
                    if lang != Language::Japanese || secret.contains([' ', '\u{3000}', '\n', '，'])
                    {
                        assert_eq!(word_keys(secret, lang).len(), n, "{}: {secret}", r.id);
                    }
                }
            }
            for d in &r.decoys {
                assert!(r.text.get(d.start..d.end).is_some(), "{}", r.id);
            }
        }
    }

    #[test]
    fn generated_keys_are_well_formed() {
        let mut rng = Rng(1);
        let w = wif(&mut rng, false, true);
        assert!(w.starts_with('K') || w.starts_with('L'), "{w}");
        assert_eq!(
            wallet::codec::base58check_decode(&w).map(|p| p.len()),
            Some(34)
        );
        for (prefix, version) in XPRV_VERSIONS {
            let x = extended_key(&mut rng, version, true);
            assert!(x.starts_with(prefix), "{x} should start with {prefix}");
        }
        for (prefix, version) in XPUB_VERSIONS {
            assert!(extended_key(&mut rng, version, false).starts_with(prefix));
        }
        assert!(segwit(&mut rng, false).starts_with("bc1q"));
        assert!(segwit(&mut rng, true).starts_with("bc1p"));
        assert!(tron_address(&mut rng).starts_with('T'));
        let json: serde_json::Value =
            serde_json::from_str(&keystore_json(&mut rng, true)).expect("json");
        assert_eq!(json["version"], 3);
    }

    #[test]
    fn leak_checks_see_words_in_any_layout() {
        let en = Language::English;
        assert!(phrase_leaks(
            "1. abandon 2. ability 3. able 4. about",
            en,
            "x ABANDON, ability\nable about y"
        ));
        assert!(!phrase_leaks(
            "abandon ability able about",
            en,
            "abandon ability [removed] about"
        ));
        let zh = Language::ChineseSimplified;
        assert!(phrase_leaks("的 一 是 在 不", zh, "我的一是在x"));
        assert!(key_leaks(
            "L1aW4aubDFB7yfras2S1mN3bqg9nwySY8nkoLmJebSLD5BWv3ENZ",
            "key L1aW4aubDFB7yfras2S1mN3bqg9nwySY8nkoLmJebSLD5BWv3ENZ"
        ));
        assert!(!key_leaks(
            "L1aW4aubDFB7yfras2S1mN3bqg9nwySY8nkoLmJebSLD5BWv3ENZ",
            "key [removed]"
        ));
    }
}
