//! The brand every page shows: the configuration's (`Config.brand`) with the admin's overrides
//! from `/admin/brand` (the `brand` setting) on top.
//!
//! Pages read it from [`BrandCache`] in the app state, not from the store: the cache is filled
//! on the first page or `/brand.css` request after start ([`crate::web::brand_loaded`]) and
//! replaced when an admin saves; the other nodes on the same database reload it when told
//! (`Event::CacheChanged`, `cluster.rs`).
//!
//! The colour reaches pages only through `/brand.css` (same origin, so the CSP stays
//! `style-src 'self'`), and only after [`is_colour`] accepted it: nothing but `#` and hex digits
//! is ever written into CSS.

use std::sync::{Arc, RwLock};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::config::{Brand, OfficialChannel};
use crate::error::ApiError;

/// The setting that holds the admin's [`BrandOverride`] as JSON.
pub(crate) const SETTING: &str = "brand";

/// What the admin may override; `None` keeps the configured value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BrandOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<String>,
    /// The admin's list of official channels, replacing the configured one (`/admin/brand`);
    /// the footer and `/verify` use it at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_channels: Option<Vec<OfficialChannel>>,
}

impl BrandOverride {
    /// The stored override; a missing or unreadable setting is no override.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) async fn load(state: &AppState) -> Result<BrandOverride, ApiError> {
        Ok(state
            .store
            .setting(SETTING)
            .await?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// The brand pages show. An official e-mail channel that repeats the configured support
    /// address follows the override, so the footer never lists the old address as official.
    pub(crate) fn apply(&self, configured: &Brand) -> Brand {
        let mut b = configured.clone();
        if let Some(name) = &self.name {
            b.name.clone_from(name);
        }
        if let Some(email) = &self.support_email {
            // An admin's own list says exactly what is official; only the configured one
            // follows the address.
            if self.official_channels.is_none() {
                for ch in &mut b.official_channels {
                    if ch.kind == "email" && ch.value == configured.support_email {
                        ch.value.clone_from(email);
                    }
                }
            }
            b.support_email.clone_from(email);
        }
        if let Some(channels) = &self.official_channels {
            b.official_channels.clone_from(channels);
        }
        // Checked again here: a hand-edited setting must not reach the stylesheet.
        if let Some(colour) = self.primary_color.as_ref().filter(|c| is_colour(c)) {
            b.primary_color.clone_from(colour);
        }
        b
    }
}

/// `#rgb` or `#rrggbb`.
pub(crate) fn is_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The effective brand, kept in memory.
#[derive(Debug, Default)]
pub struct BrandCache {
    /// `None` until loaded from the store.
    current: RwLock<Option<Arc<Brand>>>,
}

impl BrandCache {
    /// The cached brand, or `configured` while nothing is loaded yet.
    #[must_use]
    pub fn get(&self, configured: &Brand) -> Arc<Brand> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .unwrap_or_else(|| Arc::new(configured.clone()))
    }

    fn is_loaded(&self) -> bool {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    /// Replaces the cached brand (after an admin saved).
    pub(crate) fn set(&self, brand: Brand) {
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(brand));
    }

    /// Reads the brand from the store again (another node saved it: `cluster.rs`).
    ///
    /// # Errors
    /// Storage failures; the cache keeps what it had.
    pub(crate) async fn reload(&self, state: &AppState) -> Result<(), ApiError> {
        let brand = BrandOverride::load(state).await?.apply(&state.config.brand);
        self.set(brand);
        Ok(())
    }

    /// Fills the cache from the store unless it is filled. A load that read the setting
    /// before a save never replaces what the save put in.
    ///
    /// # Errors
    /// Storage failures; the cache stays empty and the next request tries again.
    pub(crate) async fn ensure_loaded(&self, state: &AppState) -> Result<(), ApiError> {
        if self.is_loaded() {
            return Ok(());
        }
        let brand = BrandOverride::load(state).await?.apply(&state.config.brand);
        let mut current = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.is_none() {
            *current = Some(Arc::new(brand));
        }
        Ok(())
    }
}

/// `GET /brand.css`: the brand colour as the `--brand` custom property `app.css` uses. Outside
/// the pages' middleware (a stylesheet sets no CSRF cookie), so it fills the cache itself.
pub(crate) async fn stylesheet(State(state): State<AppState>) -> Response {
    if let Err(e) = state.brand.ensure_loaded(&state).await {
        tracing::warn!(error = ?e, "brand setting unreadable; using the configured colour");
    }
    let brand = state.brand();
    let css = if is_colour(&brand.primary_color) {
        format!(":root {{ --brand: {}; }}\n", brand.primary_color)
    } else {
        // A configured value that is no colour keeps app.css's default.
        String::new()
    };
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert!(is_colour("#0b6e4f") && is_colour("#fff"));
        assert!(!is_colour("red") && !is_colour("#12345g"));
        assert!(!is_colour("#fff;}body{x:y") && !is_colour("#ffffff</style>"));
    }

    #[test]
    fn an_override_replaces_what_it_names() {
        let configured = Brand::default();
        let o = BrandOverride {
            name: Some("Otter Wallet".into()),
            support_email: Some("help@otter.example".into()),
            primary_color: Some("#123;}".into()),
            official_channels: None,
        };
        let b = o.apply(&configured);
        assert_eq!(b.name, "Otter Wallet");
        assert_eq!(b.support_email, "help@otter.example");
        assert_eq!(b.primary_color, configured.primary_color, "not a colour");
        assert!(
            b.official_channels
                .iter()
                .any(|c| c.kind == "email" && c.value == "help@otter.example")
        );
        assert_eq!(BrandOverride::default().apply(&configured), configured);
    }

    #[test]
    fn an_admins_channel_list_replaces_the_configured_one() {
        let configured = Brand::default();
        let list = vec![OfficialChannel {
            kind: "telegram".into(),
            value: "@lanternfish".into(),
        }];
        let o = BrandOverride {
            support_email: Some("help@otter.example".into()),
            official_channels: Some(list.clone()),
            ..BrandOverride::default()
        };
        assert_eq!(o.apply(&configured).official_channels, list);
        // Stored without the field, an older override still reads.
        let old: BrandOverride = serde_json::from_str(r#"{"name":"X"}"#).unwrap();
        assert_eq!(old.official_channels, None);
    }
}
