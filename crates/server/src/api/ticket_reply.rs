//! `POST /api/v1/tickets/{id}/messages`: an agent's public reply or internal note.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::{Author, FieldError, MessageKind, Redacted, Status};
use store::{NewMail, NewMessage};

use crate::api::bearer::ApiAgent;
use crate::api::dto::{ErrorOut, MessageOut, ReplyIn};
use crate::error::ApiError;
use crate::{AppState, Event};

fn field(code: &str, field: &'static str) -> ApiError {
    ApiError::Invalid(vec![FieldError {
        field,
        code: code.to_owned(),
        found: None,
        detail: None,
    }])
}

/// Reply to the user, or add a note only agents see. The text is redacted before it is kept.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/messages",
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket number")),
    request_body = ReplyIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = MessageOut),
        (status = 400, description = "`invalid_json` or `ticket_closed`", body = ErrorOut),
        (status = 401, description = "`unauthenticated`", body = ErrorOut),
        (status = 404, description = "`not_found`", body = ErrorOut),
        (status = 422, description = "`invalid_fields`", body = ErrorOut),
    )
)]
pub(crate) async fn reply(
    State(state): State<AppState>,
    ApiAgent(agent): ApiAgent,
    Path(id): Path<String>,
    body: Result<Json<ReplyIn>, JsonRejection>,
) -> Result<(StatusCode, Json<MessageOut>), ApiError> {
    let id = crate::api::ticket_id(&id)?;
    let Json(input) = body.map_err(|e| crate::api::json_rejection(&e))?;
    let kind = match input.kind.as_deref().unwrap_or("public") {
        "public" => MessageKind::Public,
        "note" => MessageKind::Note,
        _ => return Err(field("unknown_kind", "kind")),
    };
    let text = input.body.trim();
    if text.is_empty() {
        return Err(field("required", "body"));
    }
    if text.len() > domain::draft::MAX_BODY_BYTES {
        return Err(field("too_long", "body"));
    }
    let ticket = state.store.ticket(id).await?;
    if ticket.status == Status::Closed && kind == MessageKind::Public {
        return Err(ApiError::bad_request(
            "ticket_closed",
            "this ticket is closed; add a note instead",
        ));
    }
    let (body, findings) = Redacted::new(text).map_err(|_| ApiError::PayloadTooLarge)?;
    let now = state.now();
    let message = state
        .store
        .append_message(NewMessage {
            ticket_id: id,
            author: Author::Agent(agent.id),
            kind,
            body,
            secrets_removed: u32::try_from(findings.len()).unwrap_or(u32::MAX),
            now,
        })
        .await?;
    if kind == MessageKind::Public {
        // The user hears of a public reply by e-mail too; notes never leave the desk.
        let t = crate::i18n::Tr {
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
                body_text: message.body.as_str().to_owned(),
                kind: "agent_reply".into(),
                ticket_id: Some(id),
                now,
            })
            .await?;
    }
    let action = match kind {
        MessageKind::Public => "ticket.reply",
        MessageKind::Note => "ticket.note",
    };
    state
        .store
        .audit(
            Some(agent.id),
            action,
            Some(&id.to_string()),
            &format!("via api; message {}", message.id),
            now,
        )
        .await?;
    tracing::info!(ticket.id = %id, agent.id = %agent.id, kind = kind.as_str(), "message added via api");
    state.publish(Event::MessageAdded { ticket: id });
    Ok((StatusCode::CREATED, Json(MessageOut::from(message))))
}
