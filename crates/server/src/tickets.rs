//! Ticket use cases shared by the web form and the API: creating a ticket from a draft, a
//! wallet user's reply, and an agent's reply or note (the agent ticket page and
//! `POST /api/v1/tickets/{id}/messages` both call [`agent_message`]).

use domain::{AgentId, Author, MessageKind, Redacted, Status, TicketDraft, TicketId};
use store::{Message, NewMail, NewMessage, NewTicket, Ticket, TicketFields};

use crate::attachments::{self, Upload};
use crate::error::ApiError;
use crate::{AppState, Event, auth};

/// A new ticket and the one-time access token that opens it.
#[derive(Debug)]
pub(crate) struct Created {
    pub(crate) ticket: Ticket,
    pub(crate) access_url: String,
    pub(crate) secrets_removed: usize,
}

/// Creates a ticket from what a wallet user submitted, with its screenshots (already cleaned
/// of metadata).
///
/// # Errors
/// Invalid fields, rate limits, storage failures.
pub(crate) async fn create(
    state: &AppState,
    draft: &TicketDraft,
    uploads: &[Upload],
    client_ip: &str,
) -> Result<Created, ApiError> {
    let valid = draft.validate().map_err(|e| ApiError::Invalid(e.0))?;
    let limits = &state.config.limits;
    if !state
        .limiter
        .allow(&format!("ticket:ip:{client_ip}"), limits.tickets_per_ip)
        || !state.limiter.allow(
            &format!("ticket:email:{}", valid.email.as_str().to_lowercase()),
            limits.tickets_per_email,
        )
    {
        return Err(ApiError::RateLimited);
    }
    let now = state.now();
    let secret_exposed = valid.secrets_removed > 0;
    let priority = if secret_exposed {
        domain::Priority::Urgent
    } else {
        valid.category.initial_priority()
    };
    let policy = state.store.sla_policy().await?;
    let target = policy.target(priority);
    let token = auth::new_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    // Files first: a disk failure then leaves no ticket that lost its screenshots.
    let stored = attachments::write_files(state, uploads).await?;
    let ticket = state
        .store
        .create_ticket(NewTicket {
            requester: valid.email.clone(),
            category: valid.category,
            subject: valid.subject,
            body: valid.body,
            fields: TicketFields {
                chain: valid.chain,
                tx_hash: valid.tx_hash.map(|h| h.as_str().to_owned()),
                address: valid.address.map(|a| a.as_str().to_owned()),
                app_version: valid.app_version.map(Redacted::into_string),
                device_os: valid.device_os.map(Redacted::into_string),
            },
            priority,
            secret_exposed,
            lang: valid.lang,
            access_token: auth::hash_token(&token),
            first_response_due: target.map(|t| policy.due(now, t.first_response_minutes)),
            resolution_due: target.map(|t| policy.due(now, t.resolution_minutes)),
            now,
        })
        .await?;
    attachments::record(state, ticket.id, None, stored).await?;
    let access_url = format!("{}/t/{token}", state.config.effective_public_url());
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang: valid.lang,
    };
    state
        .store
        .enqueue_mail(NewMail {
            to: valid.email,
            subject: format!(
                "[{}] {}",
                t.fmt1("ticket.number", "id", &ticket.id.to_string()),
                ticket.subject
            ),
            body_text: format!(
                "{}\n\n{}: {access_url}\n",
                t.get("created.lead"),
                t.get("created.link")
            ),
            kind: "ticket_created".into(),
            ticket_id: Some(ticket.id),
            now,
        })
        .await?;
    tracing::info!(ticket.id = %ticket.id, secret_exposed, "ticket created");
    state.publish(Event::TicketCreated { ticket: ticket.id });
    Ok(Created {
        ticket,
        access_url,
        secrets_removed: valid.secrets_removed,
    })
}

/// A reply from the wallet user (through the access link); redacted, and flags the ticket when
/// it held a secret. Returns how many secrets were removed.
///
/// # Errors
/// Empty or oversized text, storage failures.
pub(crate) async fn user_reply(
    state: &AppState,
    ticket: &Ticket,
    text: &str,
    uploads: &[Upload],
) -> Result<usize, ApiError> {
    let text = message_text(text)?;
    let (body, findings) = Redacted::new(text).map_err(|_| ApiError::PayloadTooLarge)?;
    let now = state.now();
    let stored = attachments::write_files(state, uploads).await?;
    let message = state
        .store
        .append_message(NewMessage {
            ticket_id: ticket.id,
            author: Author::User,
            kind: MessageKind::Public,
            body,
            secrets_removed: u32::try_from(findings.len()).unwrap_or(u32::MAX),
            now,
        })
        .await?;
    attachments::record(state, ticket.id, Some(message.id), stored).await?;
    if !findings.is_empty() {
        flag_secret(state, ticket.id).await?;
    }
    state.publish(Event::MessageAdded { ticket: ticket.id });
    Ok(findings.len())
}

/// The text of a message, trimmed: neither empty nor over the body limit.
fn message_text(text: &str) -> Result<&str, ApiError> {
    let text = text.trim();
    let code = if text.is_empty() {
        "required"
    } else if text.len() > domain::draft::MAX_BODY_BYTES {
        "too_long"
    } else {
        return Ok(text);
    };
    Err(ApiError::Invalid(vec![domain::FieldError {
        field: "body",
        code: code.into(),
        found: None,
        detail: None,
    }]))
}

/// Where an agent wrote, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Page,
    Api,
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Page => "page",
            Via::Api => "api",
        }
    }
}

/// An agent's public reply or internal note, redacted like anyone's text. The store records
/// the first response and opens a new ticket; a public reply is mailed to the requester
/// through the outbox (a note never leaves the desk); either is audited and announced to open
/// pages.
///
/// # Errors
/// Empty or oversized text, a public reply to a closed ticket (`ticket_closed`: add a note
/// instead), an unknown ticket, storage failures.
pub(crate) async fn agent_message(
    state: &AppState,
    id: TicketId,
    agent: AgentId,
    kind: MessageKind,
    text: &str,
    via: Via,
) -> Result<Message, ApiError> {
    let text = message_text(text)?;
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
            author: Author::Agent(agent),
            kind,
            body,
            secrets_removed: u32::try_from(findings.len()).unwrap_or(u32::MAX),
            now,
        })
        .await?;
    if kind == MessageKind::Public {
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
    let action = match kind {
        MessageKind::Public => "ticket.reply",
        MessageKind::Note => "ticket.note",
    };
    state
        .store
        .audit(
            Some(agent),
            action,
            Some(&id.to_string()),
            &format!(
                "message {}; secrets_removed={}; via {}",
                message.id,
                findings.len(),
                via.as_str()
            ),
            now,
        )
        .await?;
    tracing::info!(ticket.id = %id, agent.id = %agent, kind = %kind, via = via.as_str(), "agent message");
    state.publish(Event::MessageAdded { ticket: id });
    Ok(message)
}

/// Marks a ticket "secret exposed" and raises it to urgent.
///
/// # Errors
/// Storage failures.
pub(crate) async fn flag_secret(state: &AppState, id: TicketId) -> Result<(), ApiError> {
    state.store.mark_secret_exposed(id, state.now()).await?;
    state
        .store
        .audit(
            None,
            "ticket.secret_exposed",
            Some(&id.to_string()),
            "a secret was removed from a user message",
            state.now(),
        )
        .await?;
    Ok(())
}
