//! "Is this really support?" — a pasted value (URL, domain, e-mail address, Telegram / X /
//! WeChat handle, phone number, crypto address) checked against the official channels.
//!
//! Pure: no I/O, no clock, no logging. The server gives it the brand name and the channels
//! (configuration plus the admin's overrides) and shows the [`Verdict`] in the viewer's
//! language: each [`Finding`] has a stable [`Code`] and a message key (`verify.finding.<code>`,
//! or `verify.lookalike.<technique>` saying how a lookalike was made).
//!
//! What "official" means: the value *is* one of the channels — the same host (or a subdomain of
//! an official website's host; `www.`, case, trailing dots, ports, paths and trailing slashes
//! do not matter), the same e-mail address, handle, phone number or crypto address. Anything
//! else is `not_listed`, with the reasons it looks like us when it does. A crypto address is
//! never a reason to send funds, listed or not (`funds_request`), and every verdict ends with
//! the reminder that we never ask for a recovery phrase or for funds (`never_asks`).

pub mod confusables;
pub mod host;
pub mod punycode;
pub mod typo;

use unicode_normalization::UnicodeNormalization;

use crate::confusables::skeleton;
use crate::host::Url;
use crate::typo::Technique;

/// The longest value checked (a long URL fits; a pasted letter does not).
pub const MAX_INPUT_CHARS: usize = 2048;

/// An official channel as configured: `kind` (`website`, `email`, `telegram`, `x`, `wechat`,
/// `phone`, `address`, `app`…) and the value users see.
#[derive(Debug, Clone, Copy)]
pub struct Channel<'a> {
    pub kind: &'a str,
    pub value: &'a str,
}

/// What the pasted value was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Url,
    Domain,
    Email,
    Telegram,
    Wechat,
    X,
    /// `@name` or a bare id without saying on which service.
    Handle,
    Phone,
    /// A cryptocurrency address.
    Address,
    Unknown,
}

impl Kind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Url => "url",
            Kind::Domain => "domain",
            Kind::Email => "email",
            Kind::Telegram => "telegram",
            Kind::Wechat => "wechat",
            Kind::X => "x",
            Kind::Handle => "handle",
            Kind::Phone => "phone",
            Kind::Address => "address",
            Kind::Unknown => "unknown",
        }
    }
}

/// The stable codes of findings (API clients key on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// The value is one of the official channels.
    Official,
    /// It is not one of them.
    NotListed,
    /// A domain made to look like ours (typosquat, TLD swap, extra words, subdomain trick).
    LookalikeDomain,
    /// A handle made to look like ours.
    LookalikeHandle,
    /// Characters that look like others (Cyrillic/Greek letters, `1` for `l`, `rn` for `m`).
    Homoglyph,
    /// `xn--` labels: the name is shown differently from how it is written.
    Punycode,
    /// Latin mixed with Cyrillic or Greek in one label.
    MixedScript,
    /// Our name inside someone else's domain, handle or e-mail address.
    BrandInForeignName,
    /// `http://`: not encrypted.
    InsecureUrl,
    /// A link shortener hides where it goes.
    UrlShortener,
    /// A bare IP address instead of a name.
    IpAddressHost,
    /// `https://ours@theirs`: the part before `@` is not where the link goes.
    Userinfo,
    /// A free mail provider's address.
    FreeMail,
    /// A crypto address: support never asks you to send funds.
    FundsRequest,
    /// Not read as any kind of channel.
    Unrecognised,
    /// The reminder in every verdict.
    NeverAsks,
}

impl Code {
    pub const ALL: [Code; 16] = [
        Code::Official,
        Code::NotListed,
        Code::LookalikeDomain,
        Code::LookalikeHandle,
        Code::Homoglyph,
        Code::Punycode,
        Code::MixedScript,
        Code::BrandInForeignName,
        Code::InsecureUrl,
        Code::UrlShortener,
        Code::IpAddressHost,
        Code::Userinfo,
        Code::FreeMail,
        Code::FundsRequest,
        Code::Unrecognised,
        Code::NeverAsks,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Official => "official",
            Code::NotListed => "not_listed",
            Code::LookalikeDomain => "lookalike_domain",
            Code::LookalikeHandle => "lookalike_handle",
            Code::Homoglyph => "homoglyph",
            Code::Punycode => "punycode",
            Code::MixedScript => "mixed_script",
            Code::BrandInForeignName => "brand_in_foreign_name",
            Code::InsecureUrl => "insecure_url",
            Code::UrlShortener => "url_shortener",
            Code::IpAddressHost => "ip_address_host",
            Code::Userinfo => "userinfo",
            Code::FreeMail => "free_mail",
            Code::FundsRequest => "funds_request",
            Code::Unrecognised => "unrecognised",
            Code::NeverAsks => "never_asks",
        }
    }

    fn key(self) -> String {
        format!("verify.finding.{}", self.as_str())
    }
}

/// One reason in a verdict. `detail` fills `{detail}` in the message: the official value a
/// lookalike imitates, a decoded Punycode name, the part before `@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub message_key: String,
    pub detail: Option<String>,
}

impl Finding {
    fn new(code: Code) -> Finding {
        Finding {
            code,
            message_key: code.key(),
            detail: None,
        }
    }

    fn with(code: Code, detail: impl Into<String>) -> Finding {
        Finding {
            detail: Some(detail.into()),
            ..Finding::new(code)
        }
    }

    fn keyed(code: Code, key: &str, detail: Option<String>) -> Finding {
        Finding {
            code,
            message_key: key.to_owned(),
            detail,
        }
    }
}

/// The answer for one pasted value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub official: bool,
    pub kind: Kind,
    /// Why, most important first; always ends with [`Code::NeverAsks`].
    pub findings: Vec<Finding>,
    /// The channel the value matched, as configured.
    pub matched: Option<(String, String)>,
}

impl Verdict {
    #[must_use]
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    #[must_use]
    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Telegram,
    X,
    Wechat,
}

impl Service {
    fn kind(self) -> Kind {
        match self {
            Service::Telegram => Kind::Telegram,
            Service::X => Kind::X,
            Service::Wechat => Kind::Wechat,
        }
    }

    fn from_kind(kind: &str) -> Option<Service> {
        match kind.trim().to_ascii_lowercase().as_str() {
            "telegram" | "tg" => Some(Service::Telegram),
            "x" | "twitter" => Some(Service::X),
            "wechat" | "weixin" => Some(Service::Wechat),
            _ => None,
        }
    }
}

/// An official channel, parsed once.
#[derive(Debug, Clone)]
enum Target {
    /// A website: this host and its subdomains, under `path` (empty: the whole site).
    Site {
        host: String,
        path: String,
    },
    Email(String),
    Handle(Option<Service>, String),
    Phone(String),
    Address(String),
}

/// The official channels, parsed, with the brand words lookalikes are measured against.
#[derive(Debug, Clone)]
pub struct Official {
    channels: Vec<(String, String, Target)>,
    /// Registrable domains of the official sites (`lanternfish.example`).
    domains: Vec<String>,
    /// Skeletons of our names: the brand's distinctive words, the sites' names, the handles.
    brand_words: Vec<String>,
    /// Our names as written (for typo techniques).
    names: Vec<String>,
}

/// Words in a brand name that are no one's own.
const GENERIC_WORDS: &[&str] = &[
    "wallet", "app", "support", "official", "the", "help", "desk", "team", "service", "crypto",
    "钱包", "官方", "客服",
];

/// Link shorteners (those common in phishing reports, and the Chinese ones).
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "s.id",
    "t.cn",
    "url.cn",
    "dwz.cn",
    "suo.im",
    "tiny.cc",
    "shorturl.at",
    "rb.gy",
    "v.gd",
    "lnkd.in",
    "t.ly",
    "bl.ink",
    "shorturl.com",
    "u.to",
];

/// Free mail providers: support never writes from one.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sohu.com",
    "aliyun.com",
    "yandex.ru",
    "mail.ru",
    "gmx.com",
    "aol.com",
];

const TELEGRAM_HOSTS: &[&str] = &["t.me", "telegram.me", "telegram.dog"];
const X_HOSTS: &[&str] = &["x.com", "twitter.com", "mobile.twitter.com"];

/// The value, folded as a browser and a person would read it: NFKC (full-width letters and
/// `：` become ASCII), trimmed of spaces, quotes and brackets around it.
fn fold(input: &str) -> String {
    let s: String = input.nfkc().collect();
    s.trim()
        .trim_matches(|c: char| c.is_whitespace() || "\"'`“”‘’<>()[]「」".contains(c))
        .trim_end_matches([',', ';', '!', '?'])
        .to_owned()
}

fn handle_name(s: &str) -> Option<String> {
    let s = s.trim().trim_start_matches('@');
    let ok = !s.is_empty()
        && s.chars().count() <= 64
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '+'));
    ok.then(|| s.to_lowercase())
}

fn phone_digits(s: &str) -> Option<String> {
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return None;
    }
    let t = s.trim_start();
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = if t.starts_with("00") && !t.starts_with("+") {
        digits.trim_start_matches('0').to_owned()
    } else {
        digits
    };
    (6..=15).contains(&digits.len()).then_some(digits)
}

fn same_phone(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    a == b || (short.len() >= 8 && long.ends_with(short))
}

/// A URL's handle when it is a Telegram or X profile link.
fn service_link(u: &Url) -> Option<(Service, String)> {
    let service = if TELEGRAM_HOSTS.contains(&u.host.as_str()) {
        Service::Telegram
    } else if X_HOSTS.contains(&u.host.as_str()) {
        Service::X
    } else {
        return None;
    };
    let mut segs = u.path.split('/').filter(|s| !s.is_empty());
    let mut first = segs.next()?;
    if service == Service::Telegram && first == "s" {
        first = segs.next()?;
    }
    if service == Service::Telegram && first == "joinchat" {
        return Some((service, format!("+{}", segs.next()?)));
    }
    Some((service, first.to_owned()))
}

/// Service hints a person writes before a handle: `telegram: …`, `微信：…`.
fn hinted(s: &str) -> Option<(Service, &str)> {
    const HINTS: &[(&str, Service)] = &[
        ("telegram", Service::Telegram),
        ("tg", Service::Telegram),
        ("电报", Service::Telegram),
        ("飞机", Service::Telegram),
        ("wechat", Service::Wechat),
        ("weixin", Service::Wechat),
        ("wx", Service::Wechat),
        ("微信", Service::Wechat),
        ("twitter", Service::X),
        ("推特", Service::X),
        ("x", Service::X),
    ];
    // Compared on the original bytes (ASCII case folded): lower-casing can change the length
    // of what follows (`İ`), and the rest is sliced from `s`.
    for (word, service) in HINTS {
        let Some(rest) = s
            .get(..word.len())
            .filter(|head| head.eq_ignore_ascii_case(word))
            .and_then(|_| s.get(word.len()..))
        else {
            continue;
        };
        let trimmed = rest.trim_start();
        let after = trimmed.strip_prefix([':', '：']).or_else(|| {
            (trimmed.len() < rest.len() && trimmed.starts_with('@')).then_some(trimmed)
        });
        if let Some(after) = after {
            return Some((*service, after.trim()));
        }
    }
    None
}

fn looks_like_domain(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    !s.contains(char::is_whitespace)
        && s.contains('.')
        && !s.contains('@')
        && s.rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphanumeric))
}

impl Official {
    /// Parses the channels; values that are none of the known forms are kept only for exact
    /// comparison.
    #[must_use]
    pub fn new(brand_name: &str, channels: &[Channel<'_>]) -> Official {
        let mut out = Official {
            channels: Vec::new(),
            domains: Vec::new(),
            brand_words: Vec::new(),
            names: Vec::new(),
        };
        for ch in channels {
            let value = fold(ch.value);
            let kind = ch.kind.trim().to_ascii_lowercase();
            let target = if let Some(service) = Service::from_kind(&kind) {
                let parsed = host::parse(&value).and_then(|u| service_link(&u));
                match parsed {
                    Some((s, name)) => Target::Handle(Some(s), name.to_lowercase()),
                    None => Target::Handle(
                        Some(service),
                        handle_name(&value).unwrap_or_else(|| value.to_lowercase()),
                    ),
                }
            } else if kind == "email" || (value.contains('@') && !value.contains("://")) {
                Target::Email(value.trim_start_matches("mailto:").to_lowercase())
            } else if kind == "phone" || kind == "tel" {
                Target::Phone(phone_digits(&value).unwrap_or_else(|| value.clone()))
            } else if kind == "address" || wallet::ident::identify(&value).is_address() {
                Target::Address(value.clone())
            } else if let Some(u) = host::parse(&value) {
                Target::Site {
                    host: u.host,
                    path: u.path,
                }
            } else {
                Target::Handle(None, value.to_lowercase())
            };
            match &target {
                Target::Site { host, path } if path.is_empty() => {
                    let (reg, _) = host::registrable(host);
                    out.names.push(host::split_name(&reg).0.to_owned());
                    out.domains.push(reg);
                }
                Target::Handle(_, name) if !name.starts_with('+') => {
                    out.names.push(name.clone());
                }
                _ => {}
            }
            out.channels
                .push((ch.kind.to_owned(), ch.value.to_owned(), target));
        }
        for word in brand_name
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| w.chars().count() >= 4 && !GENERIC_WORDS.contains(&w.as_str()))
        {
            out.names.push(word);
        }
        out.names.sort();
        out.names.dedup();
        out.names.retain(|n| n.chars().count() >= 4);
        out.brand_words = out.names.iter().map(|n| skeleton(n)).collect();
        out.brand_words.sort();
        out.brand_words.dedup();
        out
    }

    /// Checks one pasted value. Never panics; anything unreadable is `unrecognised`.
    #[must_use]
    pub fn check(&self, input: &str) -> Verdict {
        let mut v = Verdict {
            official: false,
            kind: Kind::Unknown,
            findings: Vec::new(),
            matched: None,
        };
        let s = fold(input);
        if s.is_empty() || s.chars().count() > MAX_INPUT_CHARS {
            v.findings.push(Finding::new(Code::Unrecognised));
        } else {
            self.classify(&s, &mut v);
        }
        if !v.official && !v.has(Code::NotListed) && !v.has(Code::Unrecognised) {
            v.findings.insert(0, Finding::new(Code::NotListed));
        }
        v.findings.push(Finding::new(Code::NeverAsks));
        v
    }

    fn classify(&self, s: &str, v: &mut Verdict) {
        if let Some((service, rest)) = hinted(s) {
            return self.check_handle(Some(service), rest, v);
        }
        let single_token = !s.contains(char::is_whitespace);
        if single_token && wallet::ident::identify(s).is_address() {
            return self.check_address(s, v);
        }
        let lower = s.to_lowercase();
        if let Some(addr) = lower.strip_prefix("mailto:") {
            return self.check_email(addr, None, v);
        }
        if let Some(open) = s.rfind('<') {
            let addr = s[open + 1..].trim_end_matches('>').trim();
            if addr.contains('@') {
                return self.check_email(addr, Some(s[..open].trim()), v);
            }
        }
        if single_token
            && !s.contains("://")
            && let Some((local, domain)) = s.rsplit_once('@')
            && !local.is_empty()
            && !local.contains('/')
            && domain.contains('.')
        {
            return self.check_email(s, None, v);
        }
        let urlish = s.contains("://")
            || lower.starts_with("www.")
            || looks_like_domain(s)
            || (s.contains('/') && looks_like_domain(s.split('/').next().unwrap_or("")));
        if single_token
            && urlish
            && let Some(u) = host::parse(s)
        {
            if let Some((service, name)) = service_link(&u) {
                if u.scheme.as_deref() == Some("http") {
                    v.findings.push(Finding::new(Code::InsecureUrl));
                }
                return self.check_handle(Some(service), &name, v);
            }
            v.kind = if s.contains("://") || !u.path.is_empty() {
                Kind::Url
            } else {
                Kind::Domain
            };
            return self.check_url(&u, v);
        }
        if let Some(digits) = phone_digits(s) {
            return self.check_phone(&digits, v);
        }
        if s.starts_with('@') || (single_token && s.chars().count() >= 4) {
            return self.check_handle(None, s, v);
        }
        v.findings.push(Finding::new(Code::Unrecognised));
    }

    fn matched(v: &mut Verdict, kind: &str, value: &str) {
        v.official = true;
        v.matched = Some((kind.to_owned(), value.to_owned()));
        v.findings.insert(0, Finding::with(Code::Official, value));
    }

    fn check_address(&self, s: &str, v: &mut Verdict) {
        v.kind = Kind::Address;
        let listed = self.channels.iter().find(|(_, _, t)| match t {
            Target::Address(a) => a == s || (a.starts_with("0x") && a.eq_ignore_ascii_case(s)),
            _ => false,
        });
        if let Some((kind, value, _)) = listed {
            Self::matched(v, kind, value);
            v.findings.push(Finding::keyed(
                Code::FundsRequest,
                "verify.finding.funds_request_listed",
                None,
            ));
        } else {
            v.findings.push(Finding::new(Code::NotListed));
            v.findings.push(Finding::new(Code::FundsRequest));
        }
    }

    fn check_phone(&self, digits: &str, v: &mut Verdict) {
        v.kind = Kind::Phone;
        let listed = self.channels.iter().find(|(_, _, t)| match t {
            Target::Phone(p) => same_phone(p, digits),
            _ => false,
        });
        if let Some((kind, value, _)) = listed {
            Self::matched(v, kind, value);
        }
    }

    fn check_handle(&self, service: Option<Service>, raw: &str, v: &mut Verdict) {
        v.kind = service.map_or(Kind::Handle, Service::kind);
        let Some(name) = handle_name(raw) else {
            v.findings.push(Finding::new(Code::Unrecognised));
            return;
        };
        let listed = self.channels.iter().find(|(_, _, t)| match t {
            Target::Handle(s, n) => {
                n == &name && (service.is_none() || s.is_none() || *s == service)
            }
            _ => false,
        });
        if let Some((kind, value, _)) = listed {
            if service.is_none()
                && let Some(s) = Service::from_kind(kind)
            {
                v.kind = s.kind();
            }
            Self::matched(v, kind, value);
            return;
        }
        v.findings.push(Finding::new(Code::NotListed));
        let before = v.findings.len();
        self.imitation(&name, Code::LookalikeHandle, v);
        if v.findings.len() == before {
            self.brand_inside(&name, v);
        }
        if confusables::mixed_scripts(&name) {
            v.findings.push(Finding::new(Code::MixedScript));
        }
    }

    /// Findings when `name` (a domain's name part or a handle) imitates one of ours.
    fn imitation(&self, name: &str, code: Code, v: &mut Verdict) {
        let sk = skeleton(name);
        let plain_sk: String = sk.chars().filter(|c| *c != '-' && *c != '_').collect();
        // A name that is ours letter for letter once look-alikes are folded wins over a
        // shorter name it merely contains.
        // Our own name as written is not a lookalike of itself (it may be our handle used as
        // someone's domain: `brand_inside` says so).
        let exact = self
            .names
            .iter()
            .find(|ours| ours.as_str() != name && skeleton(ours) == sk);
        for ours in exact.into_iter().chain(&self.names) {
            if ours == name {
                continue;
            }
            let ours_sk = skeleton(ours);
            let technique = if sk == ours_sk {
                Some(Technique::Homoglyph)
            } else if let Some(t) = typo::technique(name, ours) {
                Some(t)
            } else if plain_sk != ours_sk && plain_sk.contains(&ours_sk) {
                Some(Technique::ExtraWords)
            } else {
                typo::technique(&sk, &ours_sk)
            };
            let Some(t) = technique else { continue };
            let homoglyph = sk == ours_sk
                || confusables::has_lookalike_chars(name)
                || (t == Technique::ExtraWords && !name.contains(ours.as_str()));
            v.findings.push(Finding::keyed(
                code,
                &format!("verify.lookalike.{}", t.as_str()),
                Some(ours.clone()),
            ));
            if homoglyph {
                v.findings
                    .push(Finding::with(Code::Homoglyph, ours.clone()));
            }
            if t == Technique::ExtraWords {
                v.findings
                    .push(Finding::with(Code::BrandInForeignName, ours.clone()));
            }
            return;
        }
    }

    /// `brand_in_foreign_name` when one of our names is inside `text` (already not ours).
    fn brand_inside(&self, text: &str, v: &mut Verdict) -> bool {
        let sk = skeleton(text);
        let hit = self
            .names
            .iter()
            .zip(&self.brand_words)
            .find(|(_, w)| sk.contains(w.as_str()));
        if let Some((name, _)) = hit {
            if !v.has(Code::BrandInForeignName) {
                v.findings
                    .push(Finding::with(Code::BrandInForeignName, name.clone()));
            }
            return true;
        }
        false
    }

    fn site_matches(&self, u: &Url) -> Option<&(String, String, Target)> {
        self.channels.iter().find(|(_, _, t)| match t {
            Target::Site { host, path } if path.is_empty() => {
                u.host == *host || u.host.ends_with(&format!(".{host}"))
            }
            Target::Site { host, path } => {
                u.host == *host && (u.path == *path || u.path.starts_with(&format!("{path}/")))
            }
            _ => false,
        })
    }

    fn check_url(&self, u: &Url, v: &mut Verdict) {
        if u.scheme.as_deref() == Some("http") {
            v.findings.push(Finding::new(Code::InsecureUrl));
        }
        if let Some(info) = &u.userinfo {
            v.findings.push(Finding::with(Code::Userinfo, info.clone()));
        }
        if u.userinfo.is_none()
            && let Some((kind, value, _)) = self.site_matches(u)
        {
            Self::matched(v, kind, value);
            return;
        }
        v.findings.insert(0, Finding::new(Code::NotListed));
        self.check_host(u, v);
        if let Some(info) = &u.userinfo {
            self.brand_inside(info, v);
        }
    }

    /// Why a host that is not ours may pass for ours.
    fn check_host(&self, u: &Url, v: &mut Verdict) {
        if u.ip {
            v.findings
                .push(Finding::with(Code::IpAddressHost, u.host.clone()));
            return;
        }
        match u.punycode {
            Some(true) => v
                .findings
                .push(Finding::with(Code::Punycode, u.unicode_host.clone())),
            Some(false) => v.findings.push(Finding::keyed(
                Code::Punycode,
                "verify.finding.punycode_invalid",
                None,
            )),
            None => {}
        }
        if u.unicode_host.split('.').any(confusables::mixed_scripts) {
            v.findings.push(Finding::new(Code::MixedScript));
        }
        let (reg, subs) = host::registrable(&u.unicode_host);
        if SHORTENERS.contains(&reg.as_str()) || SHORTENERS.contains(&u.host.as_str()) {
            v.findings.push(Finding::new(Code::UrlShortener));
        }
        let (name, suffix) = host::split_name(&reg);
        // Our exact name under another suffix: a TLD swap.
        for ours in &self.domains {
            let (our_name, our_suffix) = host::split_name(ours);
            if name == our_name && suffix != our_suffix {
                v.findings.push(Finding::keyed(
                    Code::LookalikeDomain,
                    "verify.lookalike.tld_swap",
                    Some(ours.clone()),
                ));
                return;
            }
        }
        let before = v.findings.len();
        self.imitation(name, Code::LookalikeDomain, v);
        if v.findings.len() > before {
            return;
        }
        // Our domain or name in front of someone else's: `lanternfish.example.evil.test`.
        let front = subs.join(".");
        if !front.is_empty() {
            let sk = skeleton(&front);
            let hit = self.names.iter().zip(&self.brand_words).find(|(_, w)| {
                sk.split(['.', '-', '_']).any(|label| label == w.as_str())
                    || sk.contains(w.as_str())
            });
            if let Some((ours, _)) = hit {
                let shown = self
                    .domains
                    .iter()
                    .find(|d| host::split_name(d).0 == ours)
                    .unwrap_or(ours);
                v.findings.push(Finding::keyed(
                    Code::LookalikeDomain,
                    "verify.lookalike.subdomain",
                    Some(shown.clone()),
                ));
                v.findings
                    .push(Finding::with(Code::BrandInForeignName, ours.clone()));
                return;
            }
        }
        self.brand_inside(&u.unicode_host, v);
    }

    fn check_email(&self, addr: &str, display: Option<&str>, v: &mut Verdict) {
        v.kind = Kind::Email;
        let addr = addr.trim().to_lowercase();
        let listed = self.channels.iter().find(|(_, _, t)| match t {
            Target::Email(e) => *e == addr,
            _ => false,
        });
        if let Some((kind, value, _)) = listed {
            Self::matched(v, kind, value);
            return;
        }
        let Some((local, domain)) = addr.rsplit_once('@') else {
            v.findings.push(Finding::new(Code::Unrecognised));
            return;
        };
        let Some(u) = host::parse(domain) else {
            v.findings.push(Finding::new(Code::Unrecognised));
            return;
        };
        if self.site_matches(&u).is_some() {
            v.findings.push(Finding::keyed(
                Code::NotListed,
                "verify.finding.not_listed_own_domain",
                None,
            ));
            return;
        }
        v.findings.push(Finding::new(Code::NotListed));
        if FREE_MAIL.contains(&u.host.as_str()) {
            v.findings
                .push(Finding::with(Code::FreeMail, u.host.clone()));
        } else {
            self.check_host(&u, v);
        }
        self.brand_inside(local, v);
        if let Some(name) = display.filter(|d| !d.is_empty()) {
            self.brand_inside(name, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_distinct() {
        let mut seen: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), Code::ALL.len());
    }
}
