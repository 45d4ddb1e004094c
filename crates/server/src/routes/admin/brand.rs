//! `/admin/brand`: the brand from the configuration, and overrides of its name, support
//! e-mail and primary colour kept as the `brand` setting; `/admin/brand/channels`: the official
//! channels (kind + value) kept in the same setting, replacing the configured list, used by
//! the footer and `/verify` at once.
//!
//! The demo brand is fictional; while `demo` is on, the desk refuses to call itself by the name
//! of a real wallet, so a demo can never pass for official support.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::{EmailAddress, Lang};
use serde::Deserialize;
use store::Agent;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::brand::{BrandOverride, SETTING, is_colour};
use crate::config::{Brand, OfficialChannel};
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

/// Names of real wallets a demo desk must not take.
const REAL_WALLETS: &[&str] = &[
    "metamask",
    "trust wallet",
    "imtoken",
    "tokenpocket",
    "ledger",
    "trezor",
    "exodus",
    "phantom",
    "coinbase",
    "binance",
    "okx",
    "bitget",
    "safepal",
    "electrum",
    "mycelium",
    "bitkeep",
];

pub(crate) fn claims_real_wallet(name: &str) -> bool {
    let n = name.to_lowercase();
    REAL_WALLETS.iter().any(|w| n.contains(w))
}

#[derive(Template)]
#[template(path = "admin_brand.html")]
struct BrandPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    name: String,
    support_email: String,
    primary_color: String,
    overridden: BrandOverride,
    /// What `walletdesk.toml` says, shown beside the form.
    configured: &'a Brand,
    /// The channels in effect, then blank rows to add new ones.
    channel_rows: Vec<ChannelRow>,
}

/// One row of the channel form.
struct ChannelRow {
    /// The kinds to choose from, in the reader's language, the row's own selected.
    kinds: Vec<KindChoice>,
    value: String,
}

/// One kind in a row's list.
struct KindChoice {
    /// What is stored (`website`), the key the footer and the verifier read.
    value: String,
    /// What the admin reads ("官网").
    label: String,
    selected: bool,
}

/// The kinds an admin picks from: those the footer names in both languages and the
/// verifier knows (a handle's service, a site, an address). A kind set otherwise (the
/// configuration file) stays in its row's list as written.
const CHANNEL_KINDS: [&str; 11] = [
    "website", "email", "telegram", "x", "wechat", "weibo", "discord", "phone", "app", "address",
    "domain",
];

impl ChannelRow {
    fn new(c: &Chrome<'_>, ch: OfficialChannel) -> ChannelRow {
        let own = ch.kind.trim().to_ascii_lowercase();
        let mut kinds: Vec<KindChoice> = CHANNEL_KINDS
            .iter()
            .map(|&k| KindChoice {
                value: k.to_owned(),
                label: c.channel_label(k),
                selected: own == k,
            })
            .collect();
        if !own.is_empty() && !CHANNEL_KINDS.contains(&own.as_str()) {
            kinds.push(KindChoice {
                value: ch.kind.clone(),
                label: ch.kind.clone(),
                selected: true,
            });
        }
        ChannelRow {
            kinds,
            value: ch.value,
        }
    }
}

/// Blank rows the channel form offers for new channels (no script needed to add one).
const BLANK_ROWS: usize = 2;
/// The most official channels an admin may list.
const MAX_CHANNELS: usize = 20;

async fn page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    me: &Agent,
    flash: Flash,
) -> Response {
    let o = match BrandOverride::load(state).await {
        Ok(o) => o,
        Err(e) => return error_page(state, lang, csrf, &e),
    };
    let b = &state.config.brand;
    let c = chrome(state, lang, csrf, "/admin/brand", me);
    render(
        StatusCode::OK,
        &BrandPage {
            flash,
            name: o.name.clone().unwrap_or_else(|| b.name.clone()),
            support_email: o
                .support_email
                .clone()
                .unwrap_or_else(|| b.support_email.clone()),
            primary_color: o
                .primary_color
                .clone()
                .unwrap_or_else(|| b.primary_color.clone()),
            channel_rows: o
                .official_channels
                .clone()
                .unwrap_or_else(|| b.official_channels.clone())
                .into_iter()
                .chain(std::iter::repeat_n(
                    OfficialChannel {
                        kind: String::new(),
                        value: String::new(),
                    },
                    BLANK_ROWS,
                ))
                .map(|ch| ChannelRow::new(&c, ch))
                .collect(),
            c,
            overridden: o,
            configured: b,
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(done): Query<Done>,
) -> Response {
    page(&state, lang, &csrf, &me, Flash::done(&state, lang, &done)).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct BrandForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    support_email: String,
    #[serde(default)]
    primary_color: String,
}

/// The override a form asks for; a value equal to the configuration's is no override.
fn parse_form(
    f: &BrandForm,
    configured: &crate::config::Brand,
    demo: bool,
) -> Result<BrandOverride, &'static str> {
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err("admin.brand.error.name");
    }
    if demo && claims_real_wallet(name) {
        return Err("admin.brand.error.real_wallet");
    }
    let email = f.support_email.trim();
    if EmailAddress::parse(email).is_err() {
        return Err("admin.brand.error.email");
    }
    let colour = f.primary_color.trim();
    if !is_colour(colour) {
        return Err("admin.brand.error.colour");
    }
    let differs = |v: &str, c: &str| (v != c).then(|| v.to_owned());
    // Every page shows the name, and the database keeps it: redacted like any text.
    let name = domain::Redacted::clean(name);
    Ok(BrandOverride {
        name: differs(name.as_str(), &configured.name),
        support_email: differs(email, &configured.support_email),
        primary_color: differs(colour, &configured.primary_color),
        official_channels: None,
    })
}

pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<BrandForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    // Behind the step-up layer (router): a fresh second factor or password first.
    let mut o = match parse_form(&form, &state.config.brand, state.config.demo) {
        Ok(o) => o,
        Err(key) => return page(&state, lang, &csrf, &me, Flash::error(t.get(key))).await,
    };
    // The channel list is edited by its own form: keep it.
    match BrandOverride::load(&state).await {
        Ok(current) => o.official_channels = current.official_channels,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    }
    // The name inside was redacted; the JSON is checked once more as a whole (idempotent).
    let json =
        domain::Redacted::clean(&serde_json::to_string(&o).unwrap_or_else(|_| "{}".to_owned()));
    let saved = async {
        state.store.set_setting(SETTING, &json).await?;
        state.brand.set(o.apply(&state.config.brand));
        state.cache_changed(crate::cluster::Cache::Brand);
        state
            .store
            .audit(Some(me.id), "brand.update", None, &json, state.now())
            .await
    }
    .await;
    match saved {
        Ok(()) => see_other("/admin/brand", "saved"),
        Err(e) => error_page(&state, lang, &csrf, &e.into()),
    }
}

/// The channel form: `kind_<i>`, `value_<i>` and `remove_<i>` per row, or `reset` to go back
/// to the configured list.
#[derive(Debug, Deserialize)]
pub(crate) struct ChannelsForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    rows: std::collections::HashMap<String, String>,
}

/// The channels a form asks for, in row order: blank rows and removed ones dropped.
fn parse_channels(
    rows: &std::collections::HashMap<String, String>,
) -> Result<Vec<OfficialChannel>, &'static str> {
    let mut indexed: Vec<(usize, OfficialChannel)> = Vec::new();
    for (key, kind) in rows {
        let Some(i) = key
            .strip_prefix("kind_")
            .and_then(|i| i.parse::<usize>().ok())
        else {
            continue;
        };
        let kind = kind.trim().to_ascii_lowercase();
        let value = rows.get(&format!("value_{i}")).map_or("", |v| v.trim());
        if rows.contains_key(&format!("remove_{i}")) || (kind.is_empty() && value.is_empty()) {
            continue;
        }
        let kind_ok = (1..=20).contains(&kind.len())
            && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let value_ok =
            (1..=200).contains(&value.chars().count()) && !value.chars().any(char::is_control);
        if !kind_ok || !value_ok {
            return Err("admin.brand.error.channel");
        }
        // Shown on every page and stored: a value that holds a secret is refused, not mangled.
        if domain::Redacted::clean(value).as_str() != value {
            return Err("admin.brand.error.channel");
        }
        indexed.push((
            i,
            OfficialChannel {
                kind,
                value: value.to_owned(),
            },
        ));
    }
    indexed.sort_by_key(|(i, _)| *i);
    let list: Vec<OfficialChannel> = indexed.into_iter().map(|(_, c)| c).collect();
    if list.is_empty() {
        return Err("admin.brand.error.channels_empty");
    }
    if list.len() > MAX_CHANNELS {
        return Err("admin.brand.error.channels_many");
    }
    Ok(list)
}

/// `POST /admin/brand/channels`: saves the official channels (or drops the admin's list with
/// `reset`), audited as `brand.channels`.
pub(crate) async fn save_channels(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<ChannelsForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    // Behind the step-up layer (router): a stolen session must not be able to list a
    // scammer's account as official without the second factor.
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let mut o = match BrandOverride::load(&state).await {
        Ok(o) => o,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    o.official_channels = if form.rows.contains_key("reset") {
        None
    } else {
        match parse_channels(&form.rows) {
            Ok(list) => Some(list),
            Err(key) => return page(&state, lang, &csrf, &me, Flash::error(t.get(key))).await,
        }
    };
    let json =
        domain::Redacted::clean(&serde_json::to_string(&o).unwrap_or_else(|_| "{}".to_owned()));
    let detail = domain::Redacted::clean(
        &serde_json::to_string(&o.official_channels).unwrap_or_else(|_| "null".to_owned()),
    );
    let saved = async {
        state.store.set_setting(SETTING, &json).await?;
        state.brand.set(o.apply(&state.config.brand));
        state.cache_changed(crate::cluster::Cache::Brand);
        state
            .store
            .audit(Some(me.id), "brand.channels", None, &detail, state.now())
            .await
    }
    .await;
    match saved {
        Ok(()) => see_other("/admin/brand", "saved"),
        Err(e) => error_page(&state, lang, &csrf, &e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn channel_rows() {
        let list = parse_channels(&rows(&[
            ("kind_1", "Telegram"),
            ("value_1", " @lanternfish "),
            ("kind_0", "website"),
            ("value_0", "https://lanternfish.example"),
            ("kind_2", "x"),
            ("value_2", "@gone"),
            ("remove_2", "on"),
            ("kind_3", ""),
            ("value_3", ""),
        ]))
        .unwrap();
        assert_eq!(
            list.iter()
                .map(|c| (c.kind.as_str(), c.value.as_str()))
                .collect::<Vec<_>>(),
            [
                ("website", "https://lanternfish.example"),
                ("telegram", "@lanternfish")
            ]
        );
        for bad in [
            rows(&[("kind_0", "web site"), ("value_0", "x")]),
            rows(&[("kind_0", "website"), ("value_0", "")]),
            rows(&[("kind_0", ""), ("value_0", "lanternfish.example")]),
            rows(&[
                ("kind_0", "website"),
                (
                    "value_0",
                    "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",
                ),
            ]),
        ] {
            assert_eq!(parse_channels(&bad), Err("admin.brand.error.channel"));
        }
        assert_eq!(
            parse_channels(&rows(&[
                ("kind_0", "x"),
                ("value_0", "@a"),
                ("remove_0", "on")
            ])),
            Err("admin.brand.error.channels_empty")
        );
    }

    #[test]
    fn real_names() {
        assert!(claims_real_wallet("MetaMask Support"));
        assert!(!claims_real_wallet("Lanternfish Wallet"));
    }

    #[test]
    fn unchanged_values_are_no_override() {
        let b = crate::config::Brand::default();
        let f = BrandForm {
            csrf: String::new(),
            name: b.name.clone(),
            support_email: b.support_email.clone(),
            primary_color: "#123456".into(),
        };
        let o = parse_form(&f, &b, true).unwrap();
        assert_eq!(o.name, None);
        assert_eq!(o.primary_color.as_deref(), Some("#123456"));
        let fake = BrandForm {
            name: "Trust Wallet".into(),
            ..f
        };
        assert_eq!(
            parse_form(&fake, &b, true),
            Err("admin.brand.error.real_wallet")
        );
    }
}
