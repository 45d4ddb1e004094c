//! `/admin/office-hours`: when people answer the live chat — weekdays and a daily from–to in
//! the desk's named time zone, typed as the SLA's business hours are (`sla::parse_hours`,
//! `sla::hours_form`). Stored by `chat::office_hours`; what the chat does out of hours is
//! described there. The workspace's admin page (`/admin/desk`) links here.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use store::Agent;

use super::guard::AdminAgent;
use super::sla::{HoursForm, hours_form, hours_typed, parse_hours};
use super::{Flash, chrome};
use crate::AppState;
use crate::chat::office_hours;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

#[derive(Template)]
#[template(path = "admin_office_hours.html")]
struct OfficeHoursPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    enabled: bool,
    /// "Open now." or "Closed now; opens Mon 09:00 (Asia/Shanghai)." (empty without hours).
    now_line: String,
    hours: HoursForm,
}

async fn page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    me: &Agent,
    flash: Flash,
) -> Response {
    let result = async {
        let hours = office_hours::get(state).await?;
        let t = Tr {
            i18n: &state.i18n,
            lang,
        };
        let now = state.now();
        let now_line = match (&hours, office_hours::status_at(hours.as_ref(), now)) {
            (Some(bh), Some(s)) if !s.open => match s.opens_at {
                Some(at) => t.fmt1(
                    "admin.office_hours.now_closed",
                    "opens",
                    &office_hours::describe_opening(&t, bh, at),
                ),
                None => t.get("admin.office_hours.never"),
            },
            (Some(_), Some(_)) => t.get("admin.office_hours.now_open"),
            _ => String::new(),
        };
        Ok::<_, ApiError>(render(
            StatusCode::OK,
            &OfficeHoursPage {
                hours: hours_form(&t, hours.as_ref(), now),
                enabled: hours.is_some(),
                now_line,
                c: chrome(state, lang, csrf, "/admin/office-hours", me),
                flash,
            },
        ))
    }
    .await;
    result.unwrap_or_else(|e| error_page(state, lang, csrf, &e))
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

pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = csrf.check(form.get("csrf").map_or("", String::as_str)) {
        return error_page(&state, lang, &csrf, &e);
    }
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let hours = if form.get("bh_enabled").is_some_and(|v| !v.trim().is_empty()) {
        let mut errors = Vec::new();
        let bh = parse_hours(&t, &form, &mut errors);
        if !errors.is_empty() {
            // Back as typed: nothing to set again.
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &OfficeHoursPage {
                    hours: hours_typed(&t, &form, state.now()),
                    enabled: true,
                    now_line: String::new(),
                    c: chrome(&state, lang, &csrf, "/admin/office-hours", &me),
                    flash: Flash::error(errors.join(" ")),
                },
            );
        }
        Some(bh)
    } else {
        None
    };
    let saved = async {
        office_hours::set(&state, hours.as_ref()).await?;
        let detail = serde_json::to_string(&hours).unwrap_or_default();
        state
            .store
            .audit(
                Some(me.id),
                "chat.office_hours.update",
                None,
                &domain::Redacted::clean(&detail),
                state.now(),
            )
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match saved {
        Ok(()) => see_other("/admin/office-hours", "saved"),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
