//! Which mails exist and what they say: the mails users ask for (the anti-phishing code's
//! confirmation, "my tickets"), notifications (an agent's public reply to the user; a ticket
//! assigned to an agent, a user's reply on it), and agents' sign-in mails (a link by mail, a new
//! device). Each is written to the outbox (`outbox`), in the transaction of what causes it
//! where the store has one for it; the sender delivers and renders links ([`super::render_body`]).
//!
//! Every text goes through [`text`]: the address's anti-phishing code and its line at the top
//! (`phishing_code`), the body, and `mail.never_ask` at the bottom.
//!
//! What is not mailed: internal notes; notifications an agent turned off
//! (`/agent/mail-settings`); a "my tickets" mail to an address with no open ticket (mail to an
//! address that never wrote to us is what a mail bomb is made of); a sign-in link to an address
//! that is not an active agent's. Those two forms answer the same either way, and do the
//! lookup after answering (in a task of its own).

use domain::{AgentId, EmailAddress, Lang, Redacted, TicketId, Timestamp};
use store::{Agent, MailWithLinks, NewCodeRequest, NewMail, Ticket};

use crate::error::ApiError;
use crate::i18n::Tr;
use crate::mail::{join_seeds, link_placeholder, new_seed, phishing_code};
use crate::{AppState, auth};

/// Tickets listed in one "my tickets" mail at most (newest first).
pub const MY_TICKETS_MAX: u32 = 20;
/// "My tickets" requests per normalised address and per client, per rate-limit window.
pub const MY_TICKETS_PER_ADDRESS: u32 = 2;
pub const MY_TICKETS_PER_CLIENT: u32 = 5;
/// Sign-in links by mail per address and per client, per window; how long one works.
pub const SIGN_IN_LINKS_PER_ADDRESS: u32 = 3;
pub const SIGN_IN_LINKS_PER_CLIENT: u32 = 10;
pub const SIGN_IN_LINK_MINUTES: i64 = 15;
/// Code changes (each mails a confirmation) per address, per window.
pub const CODE_REQUESTS_PER_ADDRESS: u32 = 3;

/// The `Auto-Submitted` header a kind of mail is sent with (RFC 3834): every mail the desk
/// makes by itself is `auto-generated`; an agent's reply, which a person wrote, has none.
#[must_use]
pub fn auto_submitted(kind: &str) -> Option<&'static str> {
    match kind {
        "agent_reply" => None,
        _ => Some("auto-generated"),
    }
}

fn tr(state: &AppState, lang: Lang) -> Tr<'_> {
    Tr {
        i18n: &state.i18n,
        lang,
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

/// A mail's text as stored: `body`, trimmed, through the redaction door. The anti-phishing
/// code and the line saying support never asks for a phrase or key are added when the mail is
/// sent (`outbox::compose`, `mail::outbound`), so the outbox never holds the code.
#[must_use]
pub fn text(body: &str) -> Redacted {
    Redacted::clean(&format!("{}\n", body.trim_end()))
}

fn ticket_subject(t: &Tr<'_>, id: TicketId, subject: &str) -> Redacted {
    Redacted::clean(&format!(
        "[{}] {subject}",
        t.fmt1("ticket.number", "id", &id.to_string())
    ))
}

// ---------------------------------------------------------------------------------------------
// The anti-phishing code

/// Writes a pending change of `ticket`'s address's code (`None`: remove it) and the mail that
/// confirms it, together.
///
/// # Errors
/// Rate limit per address; storage failures.
pub async fn request_code_change(
    state: &AppState,
    ticket: &Ticket,
    code: Option<&str>,
) -> Result<(), ApiError> {
    let key = phishing_code::address_key(&state.link_key, &ticket.requester);
    state.limit("mail_code:addr", &key, CODE_REQUESTS_PER_ADDRESS)?;
    let sealed = code
        .map(|c| phishing_code::seal(&state.link_key, &key, c))
        .transpose()
        .map_err(internal)?;
    let seed = new_seed().map_err(internal)?;
    let token = state.link_key.token(&seed);
    let now = state.now();
    let t = tr(state, ticket.lang);
    let lead = if code.is_some() {
        "mail.code_confirm.set"
    } else {
        "mail.code_confirm.remove"
    };
    let body = format!(
        "{}\n\n{}\n\n{}",
        t.get(lead),
        link_placeholder(0),
        t.get("mail.code_confirm.ignore")
    );
    let mail = NewMail {
        to: ticket.requester.clone(),
        subject: Redacted::clean(&t.get("mail.code_confirm.subject")),
        body_text: text(&body),
        link_seed: Some(seed),
        kind: "phishing_code_confirm".into(),
        ticket_id: Some(ticket.id),
        lang: ticket.lang,
        now,
    };
    state
        .store
        .request_phishing_code(
            NewCodeRequest {
                token: auth::hash_token(&token),
                address_key: key,
                sealed_code: sealed,
                now,
                expires_at: now.plus_minutes(phishing_code::CONFIRM_MINUTES),
            },
            mail,
        )
        .await?;
    tracing::info!(ticket.id = %ticket.id, remove = code.is_none(), "anti-phishing code change requested");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// "My tickets"

/// The "my tickets" mail for `addr`, if it has open tickets: one new link per ticket (a
/// `ticket_links` row each, written with the mail). Called after the page has answered.
///
/// # Errors
/// Storage failures.
pub async fn send_my_tickets(
    state: &AppState,
    addr: &EmailAddress,
    lang: Lang,
) -> Result<bool, ApiError> {
    let want = addr.mailbox_key();
    let tickets: Vec<Ticket> = state
        .store
        .open_tickets_of(addr, MY_TICKETS_MAX)
        .await?
        .into_iter()
        .filter(|t| t.requester.mailbox_key() == want)
        .collect();
    if tickets.is_empty() {
        return Ok(false);
    }
    let t = tr(state, lang);
    let mut seeds = Vec::with_capacity(tickets.len());
    let mut links = Vec::with_capacity(tickets.len());
    let mut lines = vec![t.get("mail.my_tickets.lead"), String::new()];
    for (i, ticket) in tickets.iter().enumerate() {
        let seed = new_seed().map_err(internal)?;
        links.push((ticket.id, auth::hash_token(&state.link_key.token(&seed))));
        seeds.push(seed);
        lines.push(format!(
            "{} {}\n{}\n",
            t.fmt1("ticket.number", "id", &ticket.id.to_string()),
            ticket.subject,
            link_placeholder(i)
        ));
    }
    lines.push(t.get("mail.my_tickets.ignore"));
    let now = state.now();
    let mail = NewMail {
        to: addr.clone(),
        subject: Redacted::clean(&t.fmt1("mail.my_tickets.subject", "brand", &state.brand().name)),
        body_text: text(&lines.join("\n")),
        link_seed: join_seeds(&seeds),
        kind: "my_tickets".into(),
        ticket_id: None,
        lang,
        now,
    };
    state
        .store
        .enqueue_mails_with_links(vec![MailWithLinks { mail, links }])
        .await?;
    tracing::info!(tickets = tickets.len(), "my-tickets mail queued");
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Notifications

/// The mail that tells the requester about an agent's public reply, with a new access link
/// (its row is written with the reply).
///
/// # Errors
/// The code lookup or the random source failed.
pub async fn agent_reply(
    state: &AppState,
    ticket: &Ticket,
    body: &Redacted,
    now: Timestamp,
) -> Result<MailWithLinks, ApiError> {
    let t = tr(state, ticket.lang);
    let seed = new_seed().map_err(internal)?;
    let token = state.link_key.token(&seed);
    let text_body = format!(
        "{}\n\n{}\n\n{}\n{}",
        t.get("mail.reply.lead"),
        body,
        t.get("mail.reply.link"),
        link_placeholder(0)
    );
    Ok(MailWithLinks {
        mail: NewMail {
            to: ticket.requester.clone(),
            subject: ticket_subject(&t, ticket.id, ticket.subject.as_str()),
            body_text: text(&text_body),
            link_seed: Some(seed),
            kind: "agent_reply".into(),
            ticket_id: Some(ticket.id),
            lang: ticket.lang,
            now,
        },
        links: vec![(ticket.id, auth::hash_token(&token))],
    })
}

async fn agent_mail(
    state: &AppState,
    agent: &Agent,
    kind: &str,
    subject: String,
    body: &str,
    ticket: Option<TicketId>,
) -> Result<(), ApiError> {
    let mail = NewMail {
        to: agent.email.clone(),
        subject: Redacted::clean(&subject),
        body_text: text(body),
        link_seed: None,
        kind: kind.into(),
        ticket_id: ticket,
        lang: agent.lang,
        now: state.now(),
    };
    state.store.enqueue_mail(mail).await?;
    Ok(())
}

fn ticket_lines(state: &AppState, t: &Tr<'_>, lead: &str, ticket: &Ticket) -> String {
    let base = state.config.effective_public_url();
    format!(
        "{}\n\n{} {}\n{base}/agent/tickets/{}\n\n{}",
        t.get(lead),
        t.fmt1("ticket.number", "id", &ticket.id.to_string()),
        ticket.subject,
        ticket.id,
        t.fmt1(
            "mail.agent.settings",
            "url",
            &format!("{base}/agent/mail-settings")
        )
    )
}

/// Tells `agent` that `ticket` is now theirs, unless they turned it off or assigned it to
/// themselves (`by`).
///
/// # Errors
/// Storage failures.
pub async fn assigned(
    state: &AppState,
    ticket: &Ticket,
    agent: AgentId,
    by: Option<AgentId>,
) -> Result<(), ApiError> {
    if by == Some(agent) || !state.store.agent_mail_settings(agent).await?.on_assign {
        return Ok(());
    }
    let agent = state.store.agent(agent).await?;
    if !agent.active {
        return Ok(());
    }
    let t = tr(state, agent.lang);
    let subject = t.fmt1("mail.assigned.subject", "subject", ticket.subject.as_str());
    let body = ticket_lines(state, &t, "mail.assigned.lead", ticket);
    agent_mail(state, &agent, "assigned", subject, &body, Some(ticket.id)).await
}

/// The mail that tells the ticket's assignee that the user replied (written with the reply),
/// unless there is none, or they turned it off.
///
/// # Errors
/// Storage failures.
pub async fn user_replied(
    state: &AppState,
    ticket: &Ticket,
) -> Result<Option<MailWithLinks>, ApiError> {
    let Some(agent) = ticket.assignee else {
        return Ok(None);
    };
    if !state.store.agent_mail_settings(agent).await?.on_reply {
        return Ok(None);
    }
    let agent = state.store.agent(agent).await?;
    if !agent.active {
        return Ok(None);
    }
    let t = tr(state, agent.lang);
    let body = ticket_lines(state, &t, "mail.user_reply.lead", ticket);
    Ok(Some(MailWithLinks {
        mail: NewMail {
            to: agent.email.clone(),
            subject: Redacted::clean(&t.fmt1(
                "mail.user_reply.subject",
                "subject",
                ticket.subject.as_str(),
            )),
            body_text: text(&body),
            link_seed: None,
            kind: "user_reply".into(),
            ticket_id: Some(ticket.id),
            lang: agent.lang,
            now: state.now(),
        },
        links: Vec::new(),
    }))
}

// ---------------------------------------------------------------------------------------------
// Agents signing in

/// A single-use, short-lived sign-in link mailed to `addr` if it is an active agent's; nothing
/// otherwise. Called after the page has answered.
///
/// # Errors
/// Storage failures.
pub async fn send_sign_in_link(state: &AppState, addr: &EmailAddress) -> Result<bool, ApiError> {
    let agent = match state.store.agent_by_email(addr).await {
        Ok(a) if a.active => a,
        Ok(_) | Err(store::StoreError::NotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let t = tr(state, agent.lang);
    let seed = new_seed().map_err(internal)?;
    let token = state.link_key.token(&seed);
    let now = state.now();
    let body = format!(
        "{}\n\n{}\n\n{}",
        t.fmt1(
            "mail.sign_in.lead",
            "minutes",
            &SIGN_IN_LINK_MINUTES.to_string()
        ),
        link_placeholder(0),
        t.get("mail.sign_in.ignore")
    );
    let mail = NewMail {
        to: agent.email.clone(),
        subject: Redacted::clean(&t.fmt1("mail.sign_in.subject", "brand", &state.brand().name)),
        body_text: text(&body),
        link_seed: Some(seed),
        kind: "sign_in_link".into(),
        ticket_id: None,
        lang: agent.lang,
        now,
    };
    state
        .store
        .sign_in_link_by_mail(
            &auth::hash_token(&token),
            agent.id,
            now.plus_minutes(SIGN_IN_LINK_MINUTES),
            mail,
        )
        .await?;
    tracing::info!(agent.id = %agent.id, "sign-in link mailed");
    Ok(true)
}

/// Tells an agent that their account signed in from a browser it had not used before.
///
/// # Errors
/// Storage failures.
pub async fn new_device(state: &AppState, agent: &Agent, from: &str) -> Result<(), ApiError> {
    let t = tr(state, agent.lang);
    let base = state.config.effective_public_url();
    let body = format!(
        "{}\n\n{}",
        t.fmt1("mail.new_device.lead", "ip", from),
        t.fmt1(
            "mail.new_device.if_not",
            "url",
            &format!("{base}/agent/security")
        )
    );
    let subject = t.fmt1("mail.new_device.subject", "brand", &state.brand().name);
    agent_mail(state, agent, "new_device", subject, &body, None).await
}
