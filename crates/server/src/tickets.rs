//! Ticket use cases shared by the web form and the API: creating a ticket from a draft, a
//! wallet user's reply, and an agent's reply or note (the agent ticket page and
//! `POST /api/v1/tickets/{id}/messages` both call [`agent_message`]).
//!
//! # Secrets split across texts
//! A new ticket's subject and body are redacted together (`TicketDraft::validate`). A new
//! message is redacted together with the same side's recent messages on the ticket — the
//! user's for a user reply, agents' (notes included) for an agent's message: at most
//! [`JOINT_MESSAGES`] of them, written in the last [`JOINT_WINDOW_MINUTES`]. A person who
//! pastes half a phrase, then the other half, is caught when the second half arrives (neither
//! half alone is long enough to be called a phrase); the earlier message is then rewritten
//! with the marker too (`Store::redact_message`, audited without the text). The other side's
//! messages are left out: an agent's sentence between two halves would break the run of words
//! anyway, and reading it would only risk false positives in agents' text. The window is small
//! so that the cost stays one detector pass over a few kilobytes per message.

use domain::{AgentId, Author, MessageKind, Redacted, Status, TicketDraft, TicketId, Timestamp};
use store::{Message, NewMail, NewMessage, NewTicket, Ticket, TicketFields, TicketMail};

use crate::attachments::{self, Upload};
use crate::error::ApiError;
use crate::{AppState, Event, auth};

/// A new ticket and the one-time access token that opens it.
#[derive(Debug)]
pub(crate) struct Created {
    pub(crate) ticket: Ticket,
    pub(crate) access_url: String,
    /// The access token (in `access_url`): shown once, never stored.
    pub(crate) token: String,
    /// What the token is derived from with the link key (`mail.rs`); no secret alone.
    pub(crate) seed: String,
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
) -> Result<Created, ApiError> {
    create_via(state, draft, uploads, domain::Channel::Web).await
}

/// [`create`] for a ticket that arrived through `channel` (the API's are
/// [`domain::Channel::Api`]).
///
/// # Errors
/// As [`create`].
pub(crate) async fn create_via(
    state: &AppState,
    draft: &TicketDraft,
    uploads: &[Upload],
    channel: domain::Channel,
) -> Result<Created, ApiError> {
    let mut valid = draft.validate().map_err(|e| ApiError::Invalid(e.0))?;
    valid.channel = channel;
    // Per requester address, whoever sends it (tickets per client are the rate-limit layer's,
    // `limit.rs`): nobody can make us mail someone repeatedly.
    let wait = state.limiter.wait(
        &format!("ticket:email:{}", valid.email.mailbox_key()),
        state.config.limits.tickets_per_email,
    );
    if let Some(retry_after_secs) = wait {
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    create_valid(state, valid, uploads, None).await
}

/// Stores a checked and redacted ticket with its screenshots and its confirmation mail (rate
/// limits are the caller's: the form counts per client, inbound mail per sender). `lead`, when
/// given, is put at the top of the confirmation mail (already in the ticket's language and
/// redacted; inbound mail says there that a secret was removed).
///
/// # Errors
/// Storage failures.
pub(crate) async fn create_valid(
    state: &AppState,
    valid: domain::ValidTicket,
    uploads: &[Upload],
    lead: Option<Redacted>,
) -> Result<Created, ApiError> {
    let now = state.now();
    let secret_exposed = valid.secrets_removed > 0;
    let priority = if secret_exposed {
        domain::Priority::Urgent
    } else {
        valid.category.initial_priority()
    };
    let policy = state.sla.get(state).await?;
    let (first_response_due, resolution_due) = policy.dues(now, priority);
    // The token is derived from a seed with the link key (mail.rs), so the outbox can keep the
    // seed instead of the link.
    let seed = crate::mail::new_seed().map_err(|e| ApiError::Internal(e.to_string()))?;
    let token = state.link_key.token(&seed);
    // Files first: a disk failure then leaves no ticket that lost its screenshots.
    let stored = attachments::write_files(state, uploads).await?;
    // The confirmation mail is written in the ticket's own transaction (its subject needs the
    // ticket's number, so the store builds it once the row exists): a ticket is never stored
    // without its mail, nor a mail without its ticket.
    let mail = {
        let t = crate::i18n::Tr {
            i18n: &state.i18n,
            lang: valid.lang,
        };
        // The link is put in when the mail is sent (mail::render_body), never stored.
        // With the address's anti-phishing code on top (mail/notify.rs).
        let body_text = crate::mail::notify::text(&format!(
            "{}{}\n\n{}: {}\n",
            lead.as_ref()
                .map(|l| format!("{}\n\n", l.as_str()))
                .unwrap_or_default(),
            t.get("created.lead"),
            t.get("created.link"),
            crate::mail::LINK
        ));
        let i18n = std::sync::Arc::clone(&state.i18n);
        let (lang, to, seed) = (valid.lang, valid.email.clone(), seed.clone());
        TicketMail::new(move |ticket: &Ticket| {
            let t = crate::i18n::Tr { i18n: &i18n, lang };
            NewMail {
                to: to.clone(),
                subject: Redacted::clean(&format!(
                    "[{}] {}",
                    t.fmt1("ticket.number", "id", &ticket.id.to_string()),
                    ticket.subject
                )),
                body_text: body_text.clone(),
                link_seed: Some(seed.clone()),
                kind: "ticket_created".into(),
                ticket_id: Some(ticket.id),
                lang,
                now: ticket.created_at,
            }
        })
    };
    let ticket = state
        .store
        .create_ticket(NewTicket {
            requester: valid.email,
            category: valid.category,
            subject: valid.subject,
            body: valid.body,
            fields: TicketFields {
                chain: valid.chain,
                tx_hash: valid.tx_hash.map(|h| h.as_str().to_owned()),
                address: valid.address.map(|a| a.as_str().to_owned()),
                app_version: valid.app_version,
                device_os: valid.device_os,
            },
            priority,
            secret_exposed,
            lang: valid.lang,
            channel: valid.channel,
            access_token: auth::hash_token(&token),
            first_response_due,
            resolution_due,
            now,
            mail: Some(mail),
        })
        .await?;
    attachments::record(state, ticket.id, None, stored).await?;
    let access_url = format!("{}/t/{token}", state.config.effective_public_url());
    tracing::info!(ticket.id = %ticket.id, secret_exposed, "ticket created");
    state.publish(Event::TicketCreated { ticket: ticket.id });
    Ok(Created {
        ticket,
        access_url,
        token,
        seed,
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
    // Per ticket, however the reply comes (replies per client are the rate-limit layer's).
    state.limit(
        "reply:ticket",
        &ticket.id.to_string(),
        state.config.limits.replies_per_ticket,
    )?;
    if !uploads.is_empty() {
        attachment_quota(state, ticket.id, uploads).await?;
    }
    let now = state.now();
    let (body, found) = redact_with_recent(state, ticket.id, Side::User, text, now).await?;
    let stored = attachments::write_files(state, uploads).await?;
    // The assignee's notification is written with the reply (mail/notify.rs).
    let mails = crate::mail::notify::user_replied(state, ticket)
        .await?
        .into_iter()
        .collect();
    let message = state
        .store
        .append_message_with_mails(
            NewMessage {
                ticket_id: ticket.id,
                author: Author::User,
                kind: MessageKind::Public,
                body,
                secrets_removed: u32::try_from(found.in_new).unwrap_or(u32::MAX),
                now,
            },
            mails,
        )
        .await?;
    attachments::record(state, ticket.id, Some(message.id), stored).await?;
    if found.any() {
        flag_secret(state, ticket.id).await?;
    }
    state.publish(Event::MessageAdded { ticket: ticket.id });
    Ok(found.total())
}

/// Refuses screenshots that would take a ticket past `[limits] attachments_per_ticket` or
/// `attachment_bytes_per_ticket` (the link is a bearer token: without a total, whoever has it
/// can use the desk as free file hosting).
pub(crate) async fn attachment_quota(
    state: &AppState,
    ticket: TicketId,
    uploads: &[Upload],
) -> Result<(), ApiError> {
    let limits = &state.config.limits;
    let held = state.store.attachments(ticket).await?;
    let count = held.len() + uploads.len();
    let bytes = held
        .iter()
        .map(|a| u64::try_from(a.size).unwrap_or(0))
        .chain(uploads.iter().map(|u| u.image.bytes.len() as u64))
        .sum::<u64>();
    if count > usize::try_from(limits.attachments_per_ticket).unwrap_or(usize::MAX)
        || bytes > limits.attachment_bytes_per_ticket
    {
        tracing::info!(ticket.id = %ticket, count, bytes, "attachment quota reached");
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::AttachmentQuota,
            format!(
                "a ticket may hold at most {} screenshots and {} MB of them",
                limits.attachments_per_ticket,
                limits.attachment_bytes_per_ticket / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// How many of [`Side`]'s recent messages a new message is read with.
pub(crate) const JOINT_MESSAGES: usize = 3;
/// How far back those messages may go.
pub(crate) const JOINT_WINDOW_MINUTES: i64 = 24 * 60;

/// Whose recent messages a new one is read with: the user's (author `user`), or the agents'
/// (author `agent`, notes included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    User,
    Agents,
}

/// What [`redact_with_recent`] removed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Found {
    /// Secrets (or parts of one) in the new text.
    pub(crate) in_new: usize,
    /// Earlier messages rewritten because a secret ran into them.
    pub(crate) rewritten: usize,
}

impl Found {
    pub(crate) fn any(self) -> bool {
        self.in_new > 0 || self.rewritten > 0
    }

    pub(crate) fn total(self) -> usize {
        self.in_new + self.rewritten
    }
}

/// Redacts a new message together with `side`'s recent messages on the ticket (see the module
/// doc), rewrites those a secret ran into, and returns the new message's clean text.
pub(crate) async fn redact_with_recent(
    state: &AppState,
    ticket: TicketId,
    side: Side,
    text: &str,
    now: Timestamp,
) -> Result<(Redacted, Found), ApiError> {
    let since = Timestamp(now.0.saturating_sub(JOINT_WINDOW_MINUTES * 60 * 1000));
    let recent = state
        .store
        .recent_messages(
            ticket,
            side == Side::User,
            side == Side::Agents,
            since,
            u32::try_from(JOINT_MESSAGES).unwrap_or(u32::MAX),
        )
        .await?;
    let mut parts: Vec<&str> = recent.iter().map(|m| m.body.as_str()).collect();
    parts.push(text);
    let joint = Redacted::joint(&parts).map_err(|_| ApiError::PayloadTooLarge)?;
    let mut found = Found::default();
    let mut clean = joint.parts.into_iter().zip(joint.touched);
    for (m, (part, touched)) in recent.iter().zip(clean.by_ref()) {
        if touched > 0 && part != m.body {
            state
                .store
                .redact_message(m.id, part, u32::try_from(touched).unwrap_or(u32::MAX), now)
                .await?;
            found.rewritten += 1;
            tracing::info!(ticket.id = %ticket, message.id = %m.id, "earlier message redacted");
        }
    }
    let (body, touched) = clean
        .next()
        .ok_or_else(|| ApiError::Internal("joint redaction lost a part".into()))?;
    found.in_new = touched;
    Ok((body, found))
}

/// The text of a message, trimmed: neither empty nor over the body limit.
pub(crate) fn message_text(text: &str) -> Result<&str, ApiError> {
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
            crate::error::ErrorCode::TicketClosed,
            "this ticket is closed; add a note instead",
        ));
    }
    let now = state.now();
    let (body, found) = redact_with_recent(state, id, Side::Agents, text, now).await?;
    // A public reply is mailed to the requester with a new access link, both written with the
    // reply (mail/notify.rs); a note never leaves the desk.
    // A chat without an address yet (`chat::PLACEHOLDER_REQUESTER`) gets no mail.
    let mails = if kind == MessageKind::Public && !crate::chat::no_address(&ticket) {
        vec![crate::mail::notify::agent_reply(state, &ticket, &body, now).await?]
    } else {
        Vec::new()
    };
    let message = state
        .store
        .append_message_with_mails(
            NewMessage {
                ticket_id: id,
                author: Author::Agent(agent),
                kind,
                body,
                secrets_removed: u32::try_from(found.in_new).unwrap_or(u32::MAX),
                now,
            },
            mails,
        )
        .await?;
    // The agent who answers an unassigned ticket takes it: the user's next reply reaches the
    // person who knows the conversation, and the ticket leaves the "unassigned" view.
    let took_it = kind == MessageKind::Public && ticket.assignee.is_none();
    if took_it {
        state
            .store
            .update_ticket(
                id,
                store::TicketUpdate {
                    assignee: Some(Some(agent)),
                    ..store::TicketUpdate::default()
                },
                now,
            )
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
            &domain::Redacted::clean(&format!(
                "message {}; secrets_removed={}; via {}{}",
                message.id,
                found.total(),
                via.as_str(),
                if took_it {
                    "; assigned to the author"
                } else {
                    ""
                }
            )),
            now,
        )
        .await?;
    tracing::info!(ticket.id = %id, agent.id = %agent, kind = %kind, via = via.as_str(), "agent message");
    if ticket.channel == domain::Channel::Chat && kind == MessageKind::Public {
        crate::chat::announce(state, &message).await;
    }
    state.publish(Event::MessageAdded { ticket: id });
    Ok(message)
}

/// Stores an agent's change to a ticket. A new priority counts the running SLA timers again
/// from the ticket's creation (`SlaPolicy::dues_after_priority_change`).
///
/// # Errors
/// Storage failures; `NotFound` for a ticket that does not exist.
pub(crate) async fn apply_update(
    state: &AppState,
    id: TicketId,
    mut update: store::TicketUpdate,
    now: Timestamp,
    by: Option<AgentId>,
) -> Result<store::Ticket, ApiError> {
    if update.priority.is_some() && update.sla.is_none() {
        update.sla = Some(state.store.sla_policy().await?);
    }
    let before = match update.assignee {
        Some(Some(_)) => Some(state.store.ticket(id).await?.assignee),
        _ => None,
    };
    let ticket = state.store.update_ticket(id, update, now).await?;
    // A ticket that became someone's: tell them (mail/notify.rs), unless they took it.
    if let (Some(before), Some(to)) = (before, ticket.assignee)
        && before != Some(to)
    {
        crate::mail::notify::assigned(state, &ticket, to, by).await?;
    }
    Ok(ticket)
}

/// Marks a ticket "secret exposed" and raises it to urgent.
///
/// # Errors
/// Storage failures.
pub(crate) async fn flag_secret(state: &AppState, id: TicketId) -> Result<(), ApiError> {
    let policy = state.store.sla_policy().await?;
    state
        .store
        .mark_secret_exposed(id, &policy, state.now())
        .await?;
    state
        .store
        .audit(
            None,
            "ticket.secret_exposed",
            Some(&id.to_string()),
            &domain::Redacted::clean("a secret was removed from a user message"),
            state.now(),
        )
        .await?;
    Ok(())
}
