//! `GET/POST /admin/security`: who must have a second factor (step-up on saving).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::auth::factors::{self, Policy};
use crate::web::{CsrfToken, Done, ViewerLang, error_page, render, see_other};

#[derive(Template)]
#[template(path = "admin_security.html")]
struct SecurityPage<'a> {
    c: crate::web::Chrome<'a>,
    flash: Flash,
    policy: &'static str,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(done): Query<Done>,
) -> Response {
    let flash = Flash::done(&state, lang, &done);
    let policy = factors::policy(&state).await.as_str();
    let c = chrome(&state, lang, &csrf, "/admin/security", &me);
    render(StatusCode::OK, &SecurityPage { c, flash, policy })
}

#[derive(Debug, Deserialize)]
pub(crate) struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    policy: String,
}

pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<PolicyForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let Some(policy) = Policy::parse(&form.policy) else {
        let c = chrome(&state, lang, &csrf, "/admin/security", &me);
        let flash = Flash::error(c.t.get("admin.security.error"));
        let policy = factors::policy(&state).await.as_str();
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SecurityPage { c, flash, policy },
        );
    };
    let value = domain::Redacted::clean(&format!("\"{}\"", policy.as_str()));
    let result = async {
        state.store.set_setting(factors::POLICY_KEY, &value).await?;
        state
            .store
            .audit(
                Some(me.id),
                "security.policy",
                None,
                &domain::Redacted::clean(policy.as_str()),
                state.now(),
            )
            .await?;
        Ok::<_, crate::error::ApiError>(())
    }
    .await;
    match result {
        Ok(()) => see_other("/admin/security", "saved"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
