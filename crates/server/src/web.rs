//! What every HTML page shares: the viewer's language, cookies, the CSRF token, security
//! headers, and rendering a template or an error page.

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use domain::Lang;

use crate::AppState;
use crate::config::Brand;
use crate::error::ApiError;
use crate::i18n::Tr;

pub const LANG_COOKIE: &str = "wd_lang";
pub const CSRF_COOKIE: &str = "wd_csrf";
pub const SESSION_COOKIE: &str = "wd_session";

/// The value of cookie `name`, if the request has it.
#[must_use]
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (Strict would drop the session on the first
/// click from an e-mail link), Secure when configured.
#[must_use]
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
    http_only: bool,
) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
    if http_only {
        s.push_str("; HttpOnly");
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The viewer's language: `?lang=` (remembered in a cookie), else the cookie, else
/// `Accept-Language`.
#[derive(Debug, Clone, Copy)]
pub struct ViewerLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ViewerLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse_loose(v))
        });
        let lang = from_query
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse_loose))
            .unwrap_or_else(|| {
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map_or(Lang::En, Lang::from_accept_language)
            });
        Ok(ViewerLang(lang))
    }
}

/// The CSRF token of this browser (double-submit: a cookie and a hidden form field that must
/// match). Put in the request by [`csrf_cookie`].
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl CsrfToken {
    /// Whether a submitted form field matches.
    ///
    /// # Errors
    /// [`ApiError::Csrf`] when it does not.
    pub fn check(&self, submitted: &str) -> Result<(), ApiError> {
        let (a, b) = (self.0.as_bytes(), submitted.as_bytes());
        let same =
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
        if same && !a.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Csrf)
        }
    }
}

/// Middleware: makes sure the browser has a CSRF cookie and the handler a [`CsrfToken`].
pub async fn csrf_cookie(
    state: axum::extract::State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|v| v.len() == 43)
        .map(str::to_owned);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (crate::auth::new_token().unwrap_or_default(), true),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    // The language switcher's `?lang=` is remembered, so the next page keeps the choice.
    let chosen = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::parse_loose(v))
    });
    let mut resp = next.run(req).await;
    if let Some(lang) = chosen {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                LANG_COOKIE,
                lang.as_str(),
                60 * 60 * 24 * 365,
                state.config.secure_cookies,
                false,
            ),
        );
    }
    if fresh && !token.is_empty() {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                CSRF_COOKIE,
                &token,
                60 * 60 * 24 * 30,
                state.config.secure_cookies,
                true,
            ),
        );
    }
    resp
}

/// Middleware: fills the brand cache before the first page renders, so `Chrome` (which is
/// not async) finds the admin's brand. A store failure is logged and the page shows the
/// configured brand; the next request tries again.
pub async fn brand_loaded(
    state: axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if let Err(e) = state.brand.ensure_loaded(&state).await {
        tracing::warn!(error = ?e, "brand setting unreadable; showing the configured brand");
    }
    next.run(req).await
}

/// Middleware: the security headers every response carries. The CSP allows only this origin's
/// scripts and styles, so injected markup cannot run anything.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Ticket links carry their access token in the path: never leak it to another site.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// The agent signed in on this page, for the header.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub name: String,
    pub is_admin: bool,
}

/// What the page layout (`base.html`) needs.
#[derive(Debug)]
pub struct Chrome<'a> {
    pub t: Tr<'a>,
    pub brand: Arc<Brand>,
    pub csrf: String,
    pub agent: Option<SignedIn>,
    /// The current path, for the language switcher.
    pub path: String,
}

impl<'a> Chrome<'a> {
    #[must_use]
    pub fn new(state: &'a AppState, lang: Lang, csrf: &CsrfToken, path: &str) -> Chrome<'a> {
        Chrome {
            t: Tr {
                i18n: &state.i18n,
                lang,
            },
            brand: state.brand(),
            csrf: csrf.0.clone(),
            agent: None,
            path: path.to_owned(),
        }
    }

    #[must_use]
    pub fn footer_never_ask(&self) -> String {
        self.t.fmt1("footer.never_ask", "brand", &self.brand.name)
    }

    /// An official channel's kind in the page's language ("website" → "官网"); a kind without a
    /// translation (one an admin made up) is shown as configured.
    #[must_use]
    pub fn channel_label(&self, kind: &str) -> String {
        let key = format!("footer.channel.{}", kind.trim().to_ascii_lowercase());
        if self.t.i18n.has(&key) {
            self.t.get(&key)
        } else {
            kind.to_owned()
        }
    }

    #[must_use]
    pub fn tagline(&self) -> String {
        self.t.fmt1("app.tagline", "brand", &self.brand.name)
    }
}

/// Renders a template as a page with the given status.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    c: Chrome<'a>,
    message: String,
}

/// An [`ApiError`] shown as a page in the viewer's language.
pub fn error_page(state: &AppState, lang: Lang, csrf: &CsrfToken, e: &ApiError) -> Response {
    if let ApiError::Internal(msg) = e {
        tracing::error!(error = %msg, "page failed");
    }
    let c = Chrome::new(state, lang, csrf, "/");
    let key = match e {
        ApiError::NotFound => "error.not_found",
        ApiError::Csrf => "error.csrf",
        ApiError::RateLimited => "error.rate_limited",
        ApiError::PayloadTooLarge => "error.payload_too_large",
        ApiError::Unauthenticated => "error.link_invalid",
        ApiError::Forbidden => "error.forbidden",
        ApiError::Invalid(_) => "error.form_has_errors",
        ApiError::BadRequest { code, .. } => {
            return render(
                e.status(),
                &ErrorPage {
                    message: c.t.get(&format!("error.{}", code.as_str())),
                    c,
                },
            );
        }
        ApiError::Conflict(_) => "error.conflict",
        ApiError::SecretInQuery => "error.query_contains_secret",
        ApiError::Internal(_) => "error.internal",
    };
    render(
        e.status(),
        &ErrorPage {
            message: c.t.get(key),
            c,
        },
    )
}

/// The message for a field error, in the viewer's language.
#[must_use]
pub fn field_message(t: &Tr<'_>, e: &domain::FieldError) -> String {
    let key = format!("error.{}", e.code);
    if t.i18n.has(&key) {
        t.fmt1(&key, "found", e.found.as_deref().unwrap_or(""))
    } else {
        e.detail
            .clone()
            .unwrap_or_else(|| t.get("error.not_recognised"))
    }
}
