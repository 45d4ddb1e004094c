//! `GET /agent/tickets/{id}`: a ticket as agents see it, with internal notes, fields, SLA
//! timers and the forms to act on it; `GET /agent/tickets/{id}/conversation` is the
//! conversation fragment `agent-live.js` reloads.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{AgentId, Author, MessageKind, Priority, Status, TicketId};
use serde::Deserialize;
use store::{Message, Ticket};

use super::canned::{CannedVars, fill_canned};
use super::session::AgentSession;
use super::{Opt, sla};
use crate::AppState;
use crate::attachments::{self, AttachmentView};
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{
    Chrome, CsrfToken, Done, ViewerLang, error_page, field_message, render, summary_line,
};

#[derive(Debug)]
pub(crate) struct MessageView {
    pub who: String,
    pub note: bool,
    pub from_user: bool,
    /// The text; the desk's own messages with their article links as links.
    pub parts: Vec<crate::desk_text::Part>,
    pub at: String,
    pub secrets_removed: u32,
    /// The screenshots sent with this message (a chat's, or a reply's), shown small in place.
    pub images: Vec<crate::attachments::AttachmentView>,
}

#[derive(Template)]
#[template(path = "agent_ticket.html")]
struct TicketPage<'a> {
    c: Chrome<'a>,
    t: Tr<'a>,
    ticket: Ticket,
    id: String,
    title: String,
    status_label: String,
    priority_label: String,
    category_label: String,
    messages: Vec<MessageView>,
    /// Screenshots, with those of tickets merged into this one.
    attachments: Vec<AttachmentView>,
    first: Option<sla::Timer>,
    resolution: Option<sla::Timer>,
    agents: Vec<Opt>,
    tags: String,
    /// Canned replies in the ticket's language, then the others.
    canned: Vec<Opt>,
    canned_other: Vec<Opt>,
    draft: String,
    /// A reply sent back with an error: the message beside the box and the summary line.
    body_error: Option<String>,
    errors: Vec<String>,
    statuses: Vec<Opt>,
    priorities: Vec<Opt>,
    /// Block-explorer pages of the ticket's transaction id and address, when its network has one.
    explorer_tx: Option<String>,
    explorer_address: Option<String>,
    /// The requester's proofs of address ownership (`crate::address_proof`).
    address_proofs: Vec<crate::address_proof::ProvedView>,
    /// Other agents with this ticket open now.
    viewers: Vec<String>,
}

#[derive(Template)]
#[template(path = "agent_presence_partial.html")]
struct PresencePartial<'a> {
    t: Tr<'a>,
    id: String,
    viewers: Vec<String>,
}

/// The names of the agents other than `me` who have `ticket` open.
fn viewers(
    state: &AppState,
    names: &HashMap<AgentId, String>,
    ticket: TicketId,
    me: AgentId,
) -> Vec<String> {
    state
        .presence
        .on(ticket)
        .into_iter()
        .filter(|a| *a != me)
        .filter_map(|a| names.get(&a).cloned())
        .collect()
}

#[derive(Template)]
#[template(path = "agent_conversation_partial.html")]
struct ConversationPartial<'a> {
    t: Tr<'a>,
    messages: Vec<MessageView>,
}

/// The conversation as agents read it; `attachments` are the ticket's, each shown on the
/// message it came with (linked under `/agent/tickets/{id}/attachments`).
pub(crate) fn message_views(
    t: &Tr<'_>,
    names: &HashMap<AgentId, String>,
    requester: &str,
    messages: Vec<Message>,
    attachments: &[store::Attachment],
) -> Vec<MessageView> {
    messages
        .into_iter()
        .map(|m| MessageView {
            images: attachments::views(
                attachments
                    .iter()
                    .filter(|a| a.message_id == Some(m.id))
                    .cloned()
                    .collect(),
                &format!("/agent/tickets/{}/attachments", m.ticket_id),
            ),
            who: match m.author {
                Author::User => requester.to_owned(),
                Author::Agent(a) => names
                    .get(&a)
                    .cloned()
                    .unwrap_or_else(|| t.get("agent.ticket.agent")),
                Author::System => t.get("agent.ticket.system"),
            },
            note: m.kind == MessageKind::Note,
            from_user: m.author == Author::User,
            parts: if m.author == Author::System {
                crate::desk_text::with_links(m.body.as_str())
            } else {
                crate::desk_text::plain(m.body.as_str())
            },
            at: m.created_at.rfc3339(),
            secrets_removed: m.secrets_removed,
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TicketQueryString {
    /// A canned reply to put into the reply box, filled in.
    #[serde(default)]
    canned: String,
    /// What the form sent just before did (post/redirect/get).
    #[serde(default)]
    done: String,
}

/// A reply or note that was refused: the text to put back (redacted) and why.
#[derive(Debug, Default)]
pub(crate) struct Refused {
    pub(crate) draft: String,
    pub(crate) errors: Vec<domain::FieldError>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Path(id): Path<String>,
    Query(q): Query<TicketQueryString>,
) -> Response {
    page(&state, lang, &csrf, &session, &id, &q, None).await
}

/// The ticket page; with `refused`, the reply box holds the refused text, marked (422).
pub(crate) async fn page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    session: &AgentSession,
    id: &str,
    q: &TicketQueryString,
    refused: Option<Refused>,
) -> Response {
    let state = state.clone();
    let csrf = csrf.clone();
    let result = async {
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let ticket = state.store.ticket(id).await?;
        let agents = state.store.agents().await?;
        let names: HashMap<AgentId, String> =
            agents.iter().map(|a| (a.id, a.name.clone())).collect();
        let t = Tr {
            i18n: &state.i18n,
            lang,
        };
        let messages = state.store.messages(id, true).await?;
        let held = state.store.attachments(id).await?;
        let messages = message_views(
            &t,
            &names,
            &crate::chat::requester_label(&t, &ticket),
            messages,
            &held,
        );
        let attachments = attachments::views(held, &format!("/agent/tickets/{id}/attachments"));
        let policy = state.store.sla_policy().await?;
        let (first, resolution) = sla::timers(&policy, &ticket, state.now());
        let canned = state.store.canned_replies().await?;
        let canned_selected: i64 = q.canned.parse().unwrap_or(0);
        let id_text = id.to_string();
        let refused = refused.unwrap_or_default();
        let status = if refused.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let body_error = refused
            .errors
            .iter()
            .find(|e| e.field == "body")
            .map(|e| field_message(&t, e));
        let errors = refused
            .errors
            .iter()
            .map(|e| summary_line(&t, &t.get("agent.ticket.write"), &field_message(&t, e)))
            .collect();
        let draft = canned
            .iter()
            .find(|c| c.id.0 == canned_selected)
            .map(|c| {
                fill_canned(
                    &c.body,
                    CannedVars {
                        requester_email: ticket.requester.as_str(),
                        ticket_id: &id_text,
                        agent_name: &session.agent.name,
                        subject: ticket.subject.as_str(),
                    },
                )
            })
            .unwrap_or(refused.draft);
        let viewers = viewers(&state, &names, id, session.agent.id);
        let proofs = state.store.address_proofs(ticket.id).await?;
        let mut c =
            Chrome::new(&state, lang, &csrf, &format!("/agent/tickets/{id}")).with_done(&Done {
                done: q.done.clone(),
            });
        c.agent = Some(session.signed_in());
        Ok::<_, ApiError>(render(
            status,
            &TicketPage {
                t,
                title: t.fmt1("ticket.number", "id", &id_text),
                id: id_text,
                status_label: t.get(&format!("agent.status.{}", ticket.status.as_str())),
                priority_label: t.get(&format!("priority.{}", ticket.priority.as_str())),
                category_label: t.get(&format!("category.{}", ticket.category.as_str())),
                messages,
                attachments,
                first,
                resolution,
                agents: std::iter::once(Opt {
                    value: String::new(),
                    label: t.get("agent.ticket.nobody"),
                    selected: ticket.assignee.is_none(),
                })
                .chain(agents.iter().filter(|a| a.active).map(|a| Opt {
                    value: a.id.to_string(),
                    label: a.name.clone(),
                    selected: ticket.assignee == Some(a.id),
                }))
                .collect(),
                tags: ticket.tags.join(", "),
                canned: canned
                    .iter()
                    .filter(|c| c.lang == ticket.lang)
                    .map(|c| Opt {
                        value: c.id.to_string(),
                        label: c.title.clone(),
                        selected: c.id.0 == canned_selected,
                    })
                    .collect(),
                canned_other: canned
                    .iter()
                    .filter(|c| c.lang != ticket.lang)
                    .map(|c| Opt {
                        value: c.id.to_string(),
                        label: format!("{} ({})", c.title, c.lang.as_str()),
                        selected: c.id.0 == canned_selected,
                    })
                    .collect(),
                draft,
                body_error,
                errors,
                statuses: Opt::keyed(
                    &t,
                    "agent.status",
                    Status::ALL.iter().map(|x| x.as_str()),
                    ticket.status.as_str(),
                ),
                priorities: Opt::keyed(
                    &t,
                    "priority",
                    Priority::ALL.iter().map(|x| x.as_str()),
                    ticket.priority.as_str(),
                ),
                explorer_tx: explorer_links(&ticket).0,
                explorer_address: explorer_links(&ticket).1,
                address_proofs: proofs
                    .iter()
                    .map(|p| crate::address_proof::proved_view(&t, p))
                    .collect(),
                viewers,
                ticket,
                c,
            },
        ))
    }
    .await;
    result.unwrap_or_else(|e| error_page(&state, lang, &csrf, &e))
}

pub(crate) async fn conversation(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    _session: AgentSession,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let ticket = state.store.ticket(id).await?;
        let names: HashMap<AgentId, String> = state
            .store
            .agents()
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let t = Tr {
            i18n: &state.i18n,
            lang,
        };
        let messages = state.store.messages(id, true).await?;
        let held = state.store.attachments(id).await?;
        Ok::<_, ApiError>(render(
            StatusCode::OK,
            &ConversationPartial {
                t,
                messages: message_views(
                    &t,
                    &names,
                    &crate::chat::requester_label(&t, &ticket),
                    messages,
                    &held,
                ),
            },
        ))
    }
    .await;
    result.unwrap_or_else(|e| error_page(&state, lang, &csrf, &e))
}

/// `GET /agent/tickets/{id}/presence`: who else has the ticket open, the fragment
/// `agent-live.js` reloads when that changes.
pub(crate) async fn presence(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let names: HashMap<AgentId, String> = state
            .store
            .agents()
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        Ok::<_, ApiError>(render(
            StatusCode::OK,
            &PresencePartial {
                t: Tr {
                    i18n: &state.i18n,
                    lang,
                },
                id: id.to_string(),
                viewers: viewers(&state, &names, id, session.agent.id),
            },
        ))
    }
    .await;
    result.unwrap_or_else(|e| error_page(&state, lang, &csrf, &e))
}

/// The block explorer's links for the ticket's transaction and address, when its chain has an
/// explorer: the ticket page and the workspace's context pane show the same.
pub(crate) fn explorer_links(ticket: &store::Ticket) -> (Option<String>, Option<String>) {
    let chain = ticket.fields.chain.as_deref();
    (
        chain
            .zip(ticket.fields.tx_hash.as_deref())
            .and_then(|(chain, tx)| domain::explorer::tx_url(chain, tx)),
        chain
            .zip(ticket.fields.address.as_deref())
            .and_then(|(chain, a)| domain::explorer::address_url(chain, a)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    #[test]
    fn notes_are_marked_and_text_is_escaped() {
        let i18n = I18n::default();
        let t = Tr {
            i18n: &i18n,
            lang: domain::Lang::ZhCn,
        };
        let view = |note, body: &str| MessageView {
            who: "li@example.com".into(),
            note,
            from_user: !note,
            parts: crate::desk_text::plain(body),
            at: "2026-12-01T08:00:00Z".into(),
            secrets_removed: 0,
            images: Vec::new(),
        };
        let html = ConversationPartial {
            t,
            messages: vec![view(false, "<b>转账失败</b>"), view(true, "只给客服看")],
        }
        .render()
        .unwrap();
        assert_eq!(html.matches(r#"class="message note""#).count(), 1);
        assert!(html.contains("内部备注"));
        assert!(html.contains("&#60;b&#62;转账失败") || html.contains("&lt;b&gt;转账失败"));
    }
}
