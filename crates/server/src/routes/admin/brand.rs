//! `/admin/brand`: the brand from the configuration, and overrides of its name, support
//! e-mail and primary colour kept as the `brand` setting.
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
use crate::config::Brand;
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
}

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
    render(
        StatusCode::OK,
        &BrandPage {
            c: chrome(state, lang, csrf, "/admin/brand", me),
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
    let o = match parse_form(&form, &state.config.brand, state.config.demo) {
        Ok(o) => o,
        Err(key) => return page(&state, lang, &csrf, &me, Flash::error(t.get(key))).await,
    };
    // The name inside was redacted; the JSON is checked once more as a whole (idempotent).
    let json =
        domain::Redacted::clean(&serde_json::to_string(&o).unwrap_or_else(|_| "{}".to_owned()));
    let saved = async {
        state.store.set_setting(SETTING, &json).await?;
        state.brand.set(o.apply(&state.config.brand));
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

#[cfg(test)]
mod tests {
    use super::*;

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
