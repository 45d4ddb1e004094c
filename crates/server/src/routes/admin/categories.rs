//! `/admin/categories`: the seven categories and the fields each asks for. Read-only: the
//! categories and their fields are domain rules (`domain::Category::fields`), not settings.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Category;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::web::{Chrome, CsrfToken, ViewerLang, render};

#[derive(Debug)]
pub(crate) struct CategoryRow {
    pub key: &'static str,
    pub label: String,
    pub priority: String,
    /// (field label, required)
    pub fields: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "admin_categories.html")]
struct CategoriesPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    categories: Vec<CategoryRow>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
) -> Response {
    let c = chrome(&state, lang, &csrf, "/admin/categories", &me);
    let t = c.t;
    let categories = Category::ALL
        .iter()
        .map(|&cat| CategoryRow {
            key: cat.as_str(),
            label: t.get(&format!("category.{}", cat.as_str())),
            priority: t.get(&format!("priority.{}", cat.initial_priority().as_str())),
            fields: cat
                .fields()
                .iter()
                .map(|(f, req)| (t.get(&format!("field.{}", f.as_str())), *req))
                .collect(),
        })
        .collect();
    render(
        StatusCode::OK,
        &CategoriesPage {
            c,
            flash: Flash::default(),
            categories,
        },
    )
}
