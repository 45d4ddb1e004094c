//! `POST /agent/tickets/{id}/messages`: a public reply (mailed to the requester) or an
//! internal note (never shown or sent to the user). Agents' text is redacted like anyone's.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::{Author, MessageKind, Redacted, TicketId};
use serde::Deserialize;
use store::{NewMail, NewMessage};

use super::session::AgentSession;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::{CsrfToken, ViewerLang, error_page};
use crate::{AppState, Event};

#[derive(Debug, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub(crate) async fn post(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Path(id): Path<String>,
    Form(form): Form<MessageForm>,
) -> Response {
    let result = async {
        csrf.check(&form.csrf)?;
        let id: TicketId = id.parse().map_err(|_| ApiError::NotFound)?;
        let kind = MessageKind::parse(&form.kind)
            .map_err(|_| ApiError::bad_request("bad_kind", "kind is public or note"))?;
        let text = form.body.trim();
        if text.is_empty() || text.len() > domain::draft::MAX_BODY_BYTES {
            return Err(ApiError::Invalid(vec![domain::FieldError {
                field: "body",
                code: if text.is_empty() {
                    "required"
                } else {
                    "too_long"
                }
                .into(),
                found: None,
                detail: None,
            }]));
        }
        let ticket = state.store.ticket(id).await?;
        let (body, findings) = Redacted::new(text).map_err(|_| ApiError::PayloadTooLarge)?;
        let now = state.now();
        let me = session.agent.id;
        let message = state
            .store
            .append_message(NewMessage {
                ticket_id: id,
                author: Author::Agent(me),
                kind,
                body,
                secrets_removed: u32::try_from(findings.len()).unwrap_or(u32::MAX),
                now,
            })
            .await?;
        if kind == MessageKind::Public {
            let t = Tr {
                i18n: &state.i18n,
                lang: ticket.lang,
            };
            state
                .store
                .enqueue_mail(NewMail {
                    to: ticket.requester.clone(),
                    subject: format!(
                        "[{}] {}",
                        t.fmt1("ticket.number", "id", &id.to_string()),
                        ticket.subject
                    ),
                    body_text: format!(
                        "{}\n\n{}\n\n{}\n",
                        t.get("agent.mail.reply_lead"),
                        message.body,
                        t.get("agent.mail.reply_how")
                    ),
                    kind: "agent_reply".into(),
                    ticket_id: Some(id),
                    now,
                })
                .await?;
        }
        state
            .store
            .audit(
                Some(me),
                "ticket.update",
                Some(&id.to_string()),
                &format!("message: kind={kind}, secrets_removed={}", findings.len()),
                now,
            )
            .await?;
        tracing::info!(ticket.id = %id, agent.id = %me, kind = %kind, "agent message");
        state.publish(Event::MessageAdded { ticket: id });
        Ok(id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/agent/tickets/{id}")).into_response(),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}
