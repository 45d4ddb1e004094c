//! The landing page.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::AppState;
use crate::web::{Chrome, CsrfToken, ViewerLang, render};

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    c: Chrome<'a>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    render(
        StatusCode::OK,
        &Home {
            c: Chrome::new(&state, lang, &csrf, "/"),
        },
    )
}
