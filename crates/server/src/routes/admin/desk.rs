//! `/admin/desk`: the workspace's chat limits (the desk's default and each agent's) and the
//! languages each agent answers, which routing (`crate::routing`) follows; with every agent's
//! presence now.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use domain::Lang;
use store::Agent;

use super::guard::AdminAgent;
use super::{Flash, chrome};
use crate::AppState;
use crate::error::ApiError;
use crate::web::{Chrome, CsrfToken, Done, ViewerLang, error_page, render, see_other};

/// A limit above this is a typo, not a team's choice.
const MAX_LIMIT: u32 = 50;

#[derive(Debug)]
pub(crate) struct AgentRow {
    id: String,
    name: String,
    presence: String,
    presence_key: &'static str,
    /// As typed (empty: the default).
    limit: String,
    en: bool,
    zh: bool,
    bad: bool,
}

#[derive(Template)]
#[template(path = "admin_desk.html")]
struct DeskAdminPage<'a> {
    c: Chrome<'a>,
    flash: Flash,
    default_limit: String,
    default_bad: bool,
    rows: Vec<AgentRow>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Query(done): Query<Done>,
) -> Response {
    let result = async {
        let settings: std::collections::HashMap<_, _> = state
            .store
            .desk_agent_settings()
            .await?
            .into_iter()
            .collect();
        let default_limit = crate::desk::default_chat_limit(&state).await?;
        let agents = state.store.agents().await?;
        let rows = agents
            .iter()
            .filter(|a| a.active)
            .map(|a| {
                let s = settings.get(&a.id).cloned().unwrap_or_default();
                row(
                    &state,
                    lang,
                    a,
                    s.chat_limit.map(|n| n.to_string()).unwrap_or_default(),
                    &s.languages,
                    false,
                )
            })
            .collect();
        Ok::<_, ApiError>(render(
            StatusCode::OK,
            &DeskAdminPage {
                c: chrome(&state, lang, &csrf, "/admin/desk", &me),
                flash: Flash::done(&state, lang, &done),
                default_limit: default_limit.to_string(),
                default_bad: false,
                rows,
            },
        ))
    }
    .await;
    result.unwrap_or_else(|e| error_page(&state, lang, &csrf, &e))
}

fn row(
    state: &AppState,
    lang: Lang,
    a: &Agent,
    limit: String,
    langs: &[Lang],
    bad: bool,
) -> AgentRow {
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let p = state.desk_presence.state(a.id);
    AgentRow {
        id: a.id.to_string(),
        name: a.name.clone(),
        presence: t.get(&format!("desk.presence.{}", p.as_str())),
        presence_key: p.as_str(),
        limit,
        en: langs.contains(&Lang::En),
        zh: langs.contains(&Lang::ZhCn),
        bad,
    }
}

/// A limit as typed: empty is `None` (the default); otherwise a whole number up to the maximum.
fn parse_limit(s: &str) -> Result<Option<u32>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<u32>() {
        Ok(n) if n <= MAX_LIMIT => Ok(Some(n)),
        _ => Err(()),
    }
}

pub(crate) async fn save(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    AdminAgent(me): AdminAgent,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let result = async {
        csrf.check(&field("csrf").unwrap_or_default())?;
        let agents: Vec<Agent> = state
            .store
            .agents()
            .await?
            .into_iter()
            .filter(|a| a.active)
            .collect();
        let default_text = field("default_limit").unwrap_or_default();
        let default = parse_limit(&default_text);
        let mut rows = Vec::new();
        let mut plan = Vec::new();
        let mut any_bad = matches!(default, Err(()) | Ok(None));
        for a in &agents {
            let limit_text = field(&format!("limit_{}", a.id)).unwrap_or_default();
            let mut langs = Vec::new();
            if field(&format!("lang_{}_en", a.id)).is_some() {
                langs.push(Lang::En);
            }
            if field(&format!("lang_{}_zh", a.id)).is_some() {
                langs.push(Lang::ZhCn);
            }
            let limit = parse_limit(&limit_text);
            any_bad |= limit.is_err();
            rows.push(row(&state, lang, a, limit_text, &langs, limit.is_err()));
            plan.push((a.id, limit.unwrap_or(None), langs));
        }
        if any_bad {
            // Nothing is saved and nothing typed is lost: the page comes back as sent, marked.
            let mut c = chrome(&state, lang, &csrf, "/admin/desk", &me);
            c.notice = None;
            let t = crate::i18n::Tr {
                i18n: &state.i18n,
                lang,
            };
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &DeskAdminPage {
                    c,
                    flash: Flash {
                        notice: None,
                        error: Some(t.get("admin.desk.bad_limit")),
                    },
                    default_bad: !matches!(default, Ok(Some(_))),
                    default_limit: default_text,
                    rows,
                },
            ));
        }
        let default = default
            .ok()
            .flatten()
            .unwrap_or(crate::desk::DEFAULT_CHAT_LIMIT);
        state
            .store
            .set_setting(
                crate::desk::LIMIT_KEY,
                &domain::Redacted::clean(&default.to_string()),
            )
            .await?;
        let mut detail = format!("default={default}");
        for (id, limit, langs) in &plan {
            state.store.set_desk_limits(*id, *limit, langs).await?;
            detail.push_str(&format!(
                "; {id}: {} [{}]",
                limit.map_or_else(|| "default".to_owned(), |n| n.to_string()),
                langs
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        state
            .store
            .audit(
                Some(me.id),
                "desk.limits",
                None,
                &domain::Redacted::clean(&detail),
                state.now(),
            )
            .await?;
        Ok::<_, ApiError>(see_other("/admin/desk", "saved"))
    }
    .await;
    result.unwrap_or_else(|e| error_page(&state, lang, &csrf, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_whole_numbers_up_to_the_maximum_or_empty() {
        assert_eq!(parse_limit(""), Ok(None));
        assert_eq!(parse_limit(" 4 "), Ok(Some(4)));
        assert_eq!(parse_limit("0"), Ok(Some(0)));
        assert_eq!(parse_limit("50"), Ok(Some(50)));
        assert!(parse_limit("51").is_err());
        assert!(parse_limit("-1").is_err());
        assert!(parse_limit("three").is_err());
    }
}
