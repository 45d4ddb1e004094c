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

/// The name a cookie of ours has: with `secure_cookies` on, `__Host-` first, which browsers
/// accept only from this host over HTTPS with `Path=/` and no `Domain` — so a sibling subdomain
/// cannot plant a session or CSRF cookie.
#[must_use]
pub fn cookie_name(name: &str, secure: bool) -> std::borrow::Cow<'_, str> {
    if secure {
        std::borrow::Cow::Owned(format!("__Host-{name}"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// The value of our cookie `name` (see [`cookie_name`]): with `secure_cookies` on, only the
/// `__Host-` one counts.
#[must_use]
pub fn our_cookie<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    cookie(headers, &cookie_name(name, secure))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (Strict would drop the session on the first
/// click from an e-mail link), Secure and `__Host-` when configured.
#[must_use]
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
    http_only: bool,
) -> HeaderValue {
    let name = cookie_name(name, secure);
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
            .or_else(|| {
                cookie(&parts.headers, LANG_COOKIE)
                    .or_else(|| cookie(&parts.headers, &format!("__Host-{LANG_COOKIE}")))
                    .and_then(Lang::parse_loose)
            })
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

/// Whether a state-changing request comes from another site: `Sec-Fetch-Site` says so
/// (anything but `same-origin`, or `none` for a typed address), or, from browsers without it,
/// an `Origin` that is not this desk's. Requests with neither (scripts, old clients) fall to
/// the token check alone.
fn cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let ours = origin.eq_ignore_ascii_case(public_url.trim_end_matches('/'))
        || host.is_some_and(|h| {
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(h))
        });
    !ours
}

/// Middleware: makes sure the browser has a CSRF cookie and the handler a [`CsrfToken`], and
/// refuses state-changing requests from other sites before any handler runs.
///
/// The token is bound: a signed-in browser's is its session's (a fresh one at every sign-in),
/// an anonymous browser's is derived with the server's key from a random nonce in its cookie,
/// so a made-up cookie and form-field pair never passes.
pub async fn csrf_cookie(
    state: axum::extract::State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies;
    if !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    ) && cross_site(req.headers(), &state.config.effective_public_url())
    {
        let (mut parts, _) = req.into_parts();
        let Ok(ViewerLang(lang)) = ViewerLang::from_request_parts(&mut parts, &state.0).await;
        return error_page(&state, lang, &CsrfToken(String::new()), &ApiError::Csrf);
    }
    let session_csrf = match our_cookie(req.headers(), SESSION_COOKIE, secure) {
        Some(t) if t.len() == 43 => state
            .store
            .session(&crate::auth::hash_token(t), state.now())
            .await
            .ok()
            .map(|s| s.csrf)
            .filter(|c| !c.is_empty()),
        _ => None,
    };
    let existing = our_cookie(req.headers(), CSRF_COOKIE, secure)
        .filter(|v| v.len() == 43)
        .map(str::to_owned);
    let (nonce, fresh) = match existing {
        Some(t) => (t, false),
        None => (crate::auth::new_token().unwrap_or_default(), true),
    };
    let token = session_csrf.unwrap_or_else(|| state.link_key.csrf(&nonce));
    req.extensions_mut().insert(CsrfToken(token));
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
    if fresh && !nonce.is_empty() {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                CSRF_COOKIE,
                &nonce,
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
pub async fn security_headers(
    state: axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    // Secure cookies mean the desk is served over HTTPS: browsers should never try plain HTTP.
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // A page that sets its own policy keeps it (the embeddable chat names its frame ancestors).
    let own_policy = h.contains_key(header::CONTENT_SECURITY_POLICY);
    if !own_policy {
        h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !own_policy {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
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
    /// What the form sent just before did (post/redirect/get: `?done=`), shown once at the top.
    pub notice: Option<String>,
    /// The notice reports no success (`Done::is_info`): shown neutral, not green.
    pub notice_info: bool,
    /// This desk sends mail (`[mail]` is configured): pages say a mail is on its way only then.
    pub mails: bool,
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
            notice: None,
            notice_info: false,
            mails: state.config.sending_mail().is_some(),
        }
    }

    /// Shows the notice a `?done=` names (see [`Done`]).
    #[must_use]
    pub fn with_done(mut self, done: &Done) -> Self {
        self.notice = done.notice(&self.t);
        self.notice_info = done.is_info();
        self
    }

    #[must_use]
    pub fn footer_never_ask(&self) -> String {
        self.t.fmt1("footer.never_ask", "brand", &self.brand.name)
    }

    /// An official channel's kind in the page's language ("website" → "官网"); a kind without a
    /// translation (one an admin made up) is shown as configured.
    #[must_use]
    pub fn channel_label(&self, kind: &str) -> String {
        self.t
            .try_get(&format!(
                "footer.channel.{}",
                kind.trim().to_ascii_lowercase()
            ))
            .unwrap_or_else(|| kind.to_owned())
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

/// Post/redirect/get: a form that succeeded answers `303 See Other` to a page, with
/// `?done=<what>` naming a notice that page shows (`done.<what>` in `locales/forms.*.ftl`).
///
/// Why a query flag and not a flash cookie: it needs no state on the server or in the
/// browser, works with cookies blocked, and cannot show one tab's notice in another. The
/// flag is no secret (a fixed word; an unknown one shows nothing), and `static/notice.js`
/// takes it out of the address bar once shown, so a reload or a bookmark does not repeat it.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: String,
}

impl Done {
    /// The notice in the viewer's language, if `done` names one.
    #[must_use]
    pub fn notice(&self, t: &Tr<'_>) -> Option<String> {
        let ok = !self.done.is_empty()
            && self.done.len() <= 32
            && self
                .done
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_');
        let key = format!("done.{}", self.done);
        ok.then(|| t.try_get(&key)).flatten()
    }

    /// A notice that tells of nothing done (no mail went out: [`mail_done`]), shown in the
    /// neutral style rather than the green of success.
    #[must_use]
    pub fn is_info(&self) -> bool {
        INFO_NOTICES.contains(&self.done.as_str())
    }
}

/// The `?done=` words whose notice is information, not success.
const INFO_NOTICES: &[&str] = &["mail_off"];

/// After a form whose answer is a mail: `sent` when this desk sends mail, else `mail_off` (the
/// mail waits in the outbox; the page must not say it was sent).
#[must_use]
pub fn mail_done(state: &AppState, sent: &'static str) -> &'static str {
    if state.config.sending_mail().is_some() {
        sent
    } else {
        "mail_off"
    }
}

/// `303 See Other` to `path` with `?done=<done>` (post/redirect/get, see [`Done`]).
#[must_use]
pub fn see_other(path: &str, done: &str) -> Response {
    let path = local_path(path).unwrap_or("/");
    let sep = if path.contains('?') { '&' } else { '?' };
    let target = format!("{path}{sep}done={done}");
    match HeaderValue::from_str(&target) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, HeaderValue::from_static("/"))],
        )
            .into_response(),
    }
}

/// `path` when it is a path on this site that is safe to redirect to: it starts with one `/`
/// (not `//host` or `/\host`, which browsers treat as another site), and holds only printable
/// ASCII without spaces or backslashes.
#[must_use]
pub fn local_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    ok.then_some(path)
}

/// A next step an error page offers: a link and its words.
#[derive(Debug)]
pub struct NextStep {
    pub href: String,
    pub label: String,
}

/// An error page: what happened, what to do next, and what the person typed (redacted), so
/// that no form is a dead end.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub title: String,
    pub detail: Option<String>,
    pub next: Vec<NextStep>,
    /// The text of the form that was refused, redacted, to copy.
    pub kept: Option<String>,
    /// Seconds until a rate limit lets the next attempt through (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl Problem {
    #[must_use]
    pub fn new(status: StatusCode, title: String) -> Problem {
        Problem {
            status,
            title,
            detail: None,
            next: Vec::new(),
            kept: None,
            retry_after: None,
        }
    }

    #[must_use]
    pub fn detail(mut self, d: String) -> Problem {
        self.detail = Some(d);
        self
    }

    #[must_use]
    pub fn next(mut self, href: &str, label: String) -> Problem {
        self.next.push(NextStep {
            href: href.to_owned(),
            label,
        });
        self
    }

    /// Keeps what was typed, redacted as anything stored is.
    #[must_use]
    pub fn keep(mut self, typed: &str) -> Problem {
        if !typed.trim().is_empty() {
            self.kept = Some(echo_text(typed));
        }
        self
    }

    /// The page for `e`, in the viewer's language, with the next step it calls for.
    #[must_use]
    pub fn from_error(t: &Tr<'_>, e: &ApiError) -> Problem {
        if let ApiError::Internal(msg) = e {
            tracing::error!(error = %msg, "page failed");
        }
        let key = match e {
            ApiError::NotFound => "error.not_found",
            ApiError::Csrf => "error.csrf",
            ApiError::RateLimited { .. } => "problem.rate_limited.title",
            ApiError::PayloadTooLarge => "error.payload_too_large",
            ApiError::Unauthenticated => "error.link_invalid",
            ApiError::Forbidden => "error.forbidden",
            ApiError::Invalid(_) => "error.form_has_errors",
            ApiError::BadRequest { code, .. } => {
                return Problem::new(e.status(), t.get(&format!("error.{}", code.as_str())))
                    .next("/", t.get("next.home"));
            }
            ApiError::Conflict(_) => "error.conflict",
            ApiError::SecretInQuery => "error.query_contains_secret",
            ApiError::Internal(_) => "error.internal",
        };
        let p = Problem::new(e.status(), t.get(key));
        match e {
            ApiError::RateLimited { retry_after_secs } => {
                let mut p = p.detail(t.fmt1(
                    "problem.rate_limited.wait",
                    "wait",
                    &t.wait(*retry_after_secs),
                ));
                p.retry_after = Some(*retry_after_secs);
                p
            }
            ApiError::NotFound => p
                .detail(t.get("problem.not_found.detail"))
                .next("/help", t.get("next.help"))
                .next("/tickets/new", t.get("next.new_ticket")),
            ApiError::Csrf => p.detail(t.get("problem.csrf.detail")),
            _ => p.next("/", t.get("next.home")),
        }
    }

    /// The bad, incomplete or removed ticket link (`/t/{token}`).
    #[must_use]
    pub fn ticket_link(t: &Tr<'_>, mails: bool) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, t.get("problem.ticket_link.title"))
            .detail(t.get(if mails {
                "problem.ticket_link.detail"
            } else {
                "problem.ticket_link.detail_no_mail"
            }))
            .next("/tickets/new", t.get("next.new_ticket"))
            .next("/help", t.get("next.help"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    c: Chrome<'a>,
    p: Problem,
}

/// Shows a [`Problem`] as a page (with `Retry-After` for a rate limit).
pub fn problem_page(state: &AppState, lang: Lang, csrf: &CsrfToken, p: Problem) -> Response {
    let c = Chrome::new(state, lang, csrf, "/");
    let (status, retry) = (p.status, p.retry_after);
    let mut resp = render(status, &ErrorPage { c, p });
    if let Some(secs) = retry {
        resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    resp
}

/// An [`ApiError`] shown as a page in the viewer's language.
pub fn error_page(state: &AppState, lang: Lang, csrf: &CsrfToken, e: &ApiError) -> Response {
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    problem_page(state, lang, csrf, Problem::from_error(&t, e))
}

/// An [`ApiError`] after a form: the page keeps what was typed (redacted) to copy.
pub fn error_page_keeping(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    e: &ApiError,
    typed: &str,
) -> Response {
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    problem_page(state, lang, csrf, Problem::from_error(&t, e).keep(typed))
}

/// Text a person typed, as a page may show it back: redacted as anything stored is (a secret
/// is never echoed); a text too large to check comes back empty.
#[must_use]
pub fn echo_text(typed: &str) -> String {
    domain::Redacted::new(typed)
        .map(|(r, _)| r.into_string())
        .unwrap_or_default()
}

/// A form's error summary line: the field's label, then what is wrong with it
/// ("主题：此项为必填。"), so a list of errors never repeats one sentence without saying where.
#[must_use]
pub fn summary_line(t: &Tr<'_>, label: &str, message: &str) -> String {
    // A label that ends in its own question mark or colon takes no second one.
    let sep = match label.chars().last() {
        Some('?' | ':') => " ",
        Some('？' | '：') => "",
        _ => t.colon(),
    };
    format!("{label}{sep}{message}")
}

/// The message for a field error, in the viewer's language.
#[must_use]
pub fn field_message(t: &Tr<'_>, e: &domain::FieldError) -> String {
    // A field's own wording first ("too long" says the field's limit), then the code's.
    if let Some(own) = t.try_get(&format!("error.{}.{}", e.code, e.field)) {
        return own;
    }
    let key = format!("error.{}", e.code);
    if t.i18n.has(&key) {
        t.fmt1(&key, "found", e.found.as_deref().unwrap_or(""))
    } else {
        e.detail
            .clone()
            .unwrap_or_else(|| t.get("error.not_recognised"))
    }
}
