//! Live chat: a chat is a ticket whose channel is chat (`domain::Channel::Chat`), so it shares
//! the inbox, the SLA timers, the redaction door and the `/t/<token>` link with every ticket.
//!
//! * [`protocol`]: the frames (`docs/CHAT-PROTOCOL.md`).
//! * This module: what a chat does — start, a user's or an agent's message, the assistant's
//!   answer, "talk to a person", accept, typing, read state, end and rating — written once for
//!   every transport. Each step stores first (through `tickets::redact_with_recent`, so no
//!   secret is stored **or** broadcast), then announces itself as a [`crate::Event`] on
//!   `state.events`, carrying ids and already-redacted text only: every open connection (on
//!   this node, or on another through the cluster relay) turns events into frames.
//! * [`conn`]: one connection's side of the protocol (rate budget, frame handling), shared by
//!   [`ws`] (WebSocket) and [`http`] (the REST contract and the SSE + POST fallback).

pub mod conn;
pub(crate) mod desk_side;
pub(crate) mod fanout;
pub(crate) mod files;
pub(crate) mod http;
pub mod office_hours;
pub mod protocol;
pub(crate) mod report;
pub(crate) mod ws;

use domain::{
    AgentId, AttachmentId, Author, Category, EmailAddress, Lang, MessageId, MessageKind, Priority,
    Timestamp,
};
use domain::{Redacted, TicketId};
use store::{
    ChatMessage, ChatSender, ChatState, Conversation, NewChat, NewChatMessage, NewMessage, Ticket,
};

use crate::error::ApiError;
use crate::tickets::{self, Side};
use crate::{AppState, Event, auth};
use protocol::{Card, WireAttachment, WireMessage};

/// The address a chat's ticket carries until the user gives one (`continue_as_ticket`). The
/// `.invalid` top-level domain never receives mail (RFC 2606), and the desk sends nothing to it.
pub const PLACEHOLDER_REQUESTER: &str = "chat@chat.invalid";

/// Whether `t`'s requester is the chat placeholder: nothing is mailed to it.
#[must_use]
pub fn no_address(t: &Ticket) -> bool {
    t.requester.as_str() == PLACEHOLDER_REQUESTER
}

/// Who asked, for agents: the requester's address, or for a chat that has none yet "Chat
/// visitor (no e-mail yet)" rather than the placeholder address.
#[must_use]
pub fn requester_label(t: &crate::i18n::Tr<'_>, ticket: &Ticket) -> String {
    if no_address(ticket) {
        t.get("agent.requester.chat_visitor")
    } else {
        ticket.requester.as_str().to_owned()
    }
}

/// How many of the user's first messages the assistant answers before it offers a person
/// anyway.
const ASSISTANT_TURNS: usize = 3;

/// A rough time one chat takes an agent, for the expected wait.
const AVERAGE_CHAT_SECS: u64 = 240;

/// What the node knows about chats beyond the store: the user sockets open here, by
/// conversation (who is online is `AppState::desk_presence`'s, on every node).
#[derive(Debug, Default)]
pub struct Hub {
    /// The user sockets open here, by conversation.
    pub(crate) fanout: fanout::Fanout,
}

impl Hub {
    /// Users' chat sockets open on this node.
    #[must_use]
    pub fn user_sockets(&self) -> usize {
        self.fanout.sockets()
    }
}

/// A new chat and the token that opens it (shown once; the store keeps its hash).
#[derive(Debug)]
pub(crate) struct Started {
    pub ticket: Ticket,
    pub token: String,
}

/// Starts a chat in `lang`: a ticket with channel chat, answered by the assistant first.
///
/// # Errors
/// Storage failures.
pub(crate) async fn start(state: &AppState, lang: Lang) -> Result<Started, ApiError> {
    let now = state.now();
    let seed = crate::mail::new_seed().map_err(|e| ApiError::Internal(e.to_string()))?;
    let token = state.link_key.token(&seed);
    let policy = state.sla.get(state).await?;
    let (first_response_due, resolution_due) = policy.dues(now, Priority::Normal);
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let ticket = state
        .store
        .create_chat(NewChat {
            requester: EmailAddress::parse(PLACEHOLDER_REQUESTER)
                .map_err(|e| ApiError::Internal(format!("placeholder address: {e:?}")))?,
            category: Category::Other,
            subject: Redacted::clean(&t.get("chat.subject")),
            priority: Priority::Normal,
            lang,
            access_token: auth::hash_token(&token),
            first_response_due,
            resolution_due,
            now,
        })
        .await?;
    tracing::info!(ticket.id = %ticket.id, lang = %lang, "chat started");
    state.publish(Event::TicketCreated { ticket: ticket.id });
    // Honest from the first moment: out of office hours the user reads so before typing.
    let hours = office_hours::get(state).await?;
    if let (Some(bh), Some(st)) = (&hours, office_hours::status_at(hours.as_ref(), now))
        && !st.open
    {
        let notice = office_hours::closed_notice(&t, bh, st.opens_at, false);
        desk_says(state, ticket.id, ChatSender::System, &notice, &[]).await?;
    }
    Ok(Started { ticket, token })
}

/// The chat whose token this is; `NotFound` for any other token (a web ticket's too).
///
/// # Errors
/// Unknown token, storage failures.
pub(crate) async fn by_token(state: &AppState, token: &str) -> Result<Ticket, ApiError> {
    if token.is_empty() || token.len() > 256 {
        return Err(ApiError::NotFound);
    }
    let t = state
        .store
        .ticket_by_access_token(&auth::hash_token(token))
        .await?;
    if t.channel == domain::Channel::Chat {
        Ok(t)
    } else {
        Err(ApiError::NotFound)
    }
}

/// An agent's name for frames.
pub(crate) async fn agent_name(state: &AppState, id: AgentId) -> String {
    state
        .store
        .agent(id)
        .await
        .map(|a| a.name)
        .unwrap_or_default()
}

pub(crate) async fn wire(state: &AppState, m: &ChatMessage) -> WireMessage {
    let held = state
        .store
        .attachments(m.ticket_id)
        .await
        .unwrap_or_default();
    wire_with(state, m, &held).await
}

/// [`wire`] with the chat's screenshots already read (one read for a whole history).
async fn wire_with(state: &AppState, m: &ChatMessage, held: &[store::Attachment]) -> WireMessage {
    let name = match m.agent {
        Some(a) => Some(agent_name(state, a).await),
        None => None,
    };
    let mut w = WireMessage::from_stored(m, name);
    w.attachment = held
        .iter()
        .find(|a| a.message_id == Some(m.id))
        .map(|a| Box::new(WireAttachment::from_stored(a)));
    w
}

/// The messages after `after` (all without it), for `history`.
///
/// # Errors
/// Storage failures.
pub(crate) async fn history(
    state: &AppState,
    ticket: TicketId,
    after: Option<i64>,
) -> Result<Vec<WireMessage>, ApiError> {
    let ms = state
        .store
        .chat_messages(ticket, after.map(MessageId))
        .await?;
    let held = state.store.attachments(ticket).await?;
    let mut out = Vec::with_capacity(ms.len());
    for m in &ms {
        out.push(wire_with(state, m, &held).await);
    }
    Ok(out)
}

/// What happened to a message a client sent.
#[derive(Debug)]
pub(crate) struct Sent {
    pub message: WireMessage,
    pub duplicate: bool,
    /// The assistant put the chat through to a person on its own (the user asked for one, or
    /// funds look lost or stolen): where it now waits.
    pub handoff: Option<Handoff>,
}

fn text_error(e: &ApiError) -> Option<&'static str> {
    match e {
        ApiError::Invalid(f) if f.iter().any(|f| f.code == "too_long") => Some("too_long"),
        ApiError::Invalid(_) => Some("empty"),
        ApiError::PayloadTooLarge => Some("too_long"),
        _ => None,
    }
}

/// The protocol's error code for a failed step.
pub(crate) fn error_code(e: &ApiError) -> &'static str {
    text_error(e).unwrap_or(match e {
        ApiError::NotFound => "not_found",
        ApiError::Forbidden => "forbidden",
        ApiError::Conflict(_) => "conflict",
        ApiError::RateLimited { .. } => "rate_limited",
        // The API's own code (`cannot_rate`, `bad_score`…), as the HTTP answers give it.
        ApiError::BadRequest { code, .. } => code.as_str(),
        _ => "internal",
    })
}

/// A message [`post`] handled: as stored, as clients see it, whether it is new (not a
/// resend), and what redaction found in it.
struct Posted {
    stored: ChatMessage,
    wire: WireMessage,
    fresh: bool,
    found: tickets::Found,
}

/// Stores and announces a message. The text is redacted with the same side's recent
/// messages before anything is written or sent.
async fn post(
    state: &AppState,
    ticket: &Ticket,
    author: Author,
    sender: ChatSender,
    client_id: Option<String>,
    text: &str,
    attachment: Option<i64>,
) -> Result<Posted, ApiError> {
    // A screenshot may go without words.
    let text = if attachment.is_some() && text.trim().is_empty() {
        ""
    } else {
        tickets::message_text(text)?
    };
    let now = state.now();
    // A resend of a stored message is answered without reading (or redacting) it again.
    if let Some(cid) = &client_id
        && let Some(old) = state
            .store
            .chat_message_by_client_id(ticket.id, cid)
            .await?
    {
        let wire = wire(state, &old).await;
        return Ok(Posted {
            stored: old,
            wire,
            fresh: false,
            found: tickets::Found::default(),
        });
    }
    let upload = match attachment {
        Some(id) => Some(unsent_upload(state, ticket.id, id).await?),
        None => None,
    };
    let side = if sender == ChatSender::User {
        Side::User
    } else {
        Side::Agents
    };
    let (body, found) = if text.is_empty() {
        (Redacted::clean(""), tickets::Found::default())
    } else {
        tickets::redact_with_recent(state, ticket.id, side, text, now).await?
    };
    let (m, fresh) = state
        .store
        .append_chat_message(NewChatMessage {
            message: NewMessage {
                ticket_id: ticket.id,
                author,
                kind: MessageKind::Public,
                body,
                secrets_removed: u32::try_from(found.in_new).unwrap_or(u32::MAX),
                now,
            },
            client_id,
            sender,
            cards: "[]".into(),
        })
        .await?;
    if !fresh {
        // The same client id won a race with this one: answer with that message.
        let wire = wire(state, &m).await;
        return Ok(Posted {
            stored: m,
            wire,
            fresh,
            found: tickets::Found::default(),
        });
    }
    // The screenshot, once it is on the message: nothing else of the chat's is read again.
    let mut held = Vec::new();
    if let Some(a) = upload {
        // Checked above; only a second message naming the same upload at the same moment
        // loses the race, and then the message stands without it.
        match state
            .store
            .attach_to_chat_message(ticket.id, a.id, m.id)
            .await
        {
            Ok(on_message) => held.push(on_message),
            Err(e) => {
                tracing::warn!(ticket.id = %ticket.id, attachment.id = %a.id, error = %e, "screenshot not put on its message");
            }
        }
    }
    let message = wire_with(state, &m, &held).await;
    state.publish(Event::ChatMessage {
        ticket: ticket.id,
        message: message.clone(),
    });
    state.publish(Event::MessageAdded { ticket: ticket.id });
    Ok(Posted {
        stored: m,
        wire: message,
        fresh,
        found,
    })
}

/// The upload `id` of this chat that no message carries yet; `NotFound` for any other (another
/// chat's, one already sent, an unknown id).
async fn unsent_upload(
    state: &AppState,
    ticket: TicketId,
    id: i64,
) -> Result<store::Attachment, ApiError> {
    let a = state
        .store
        .attachment(AttachmentId(id))
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => ApiError::NotFound,
            e => e.into(),
        })?;
    if a.ticket_id != ticket || a.message_id.is_some() {
        return Err(ApiError::NotFound);
    }
    Ok(a)
}

/// A message from the desk itself (assistant or system), stored and announced.
async fn desk_says(
    state: &AppState,
    ticket: TicketId,
    sender: ChatSender,
    text: &str,
    cards: &[Card],
) -> Result<(), ApiError> {
    let (m, _) = state
        .store
        .append_chat_message(NewChatMessage {
            message: NewMessage {
                ticket_id: ticket,
                author: Author::System,
                kind: MessageKind::Public,
                // The desk's own sentences and article titles; redacted all the same.
                body: Redacted::new(text)
                    .map_err(|_| ApiError::PayloadTooLarge)?
                    .0,
                secrets_removed: 0,
                now: state.now(),
            },
            client_id: None,
            sender,
            cards: serde_json::to_string(cards).unwrap_or_else(|_| "[]".into()),
        })
        .await?;
    state.publish(Event::ChatMessage {
        ticket,
        message: WireMessage::from_stored(&m, None),
    });
    Ok(())
}

/// A user's message: stored redacted (a secret flags the ticket and the user is told what to
/// do), then answered by the assistant while no person has the chat.
///
/// # Errors
/// Empty or oversized text, an ended chat, storage failures.
pub(crate) async fn user_message(
    state: &AppState,
    ticket: &Ticket,
    client_id: String,
    text: &str,
    attachment: Option<i64>,
) -> Result<Sent, ApiError> {
    let conv = state.store.conversation(ticket.id).await?;
    if conv.state == ChatState::Ended {
        return Err(ApiError::Conflict("the chat has ended".into()));
    }
    let Posted {
        stored: m,
        wire: message,
        fresh,
        found,
    } = post(
        state,
        ticket,
        Author::User,
        ChatSender::User,
        Some(client_id),
        text,
        attachment,
    )
    .await?;
    if !fresh {
        return Ok(Sent {
            message,
            duplicate: true,
            handoff: None,
        });
    }
    name_after_first_words(state, ticket, m.body.as_str()).await?;
    if found.any() {
        tickets::flag_secret(state, ticket.id).await?;
        state.publish(Event::TicketUpdated { ticket: ticket.id });
        let t = crate::i18n::Tr {
            i18n: &state.i18n,
            lang: ticket.lang,
        };
        desk_says(
            state,
            ticket.id,
            ChatSender::System,
            &t.get("chat.secret_removed"),
            &[],
        )
        .await?;
    }
    // A screenshot alone is for a person to look at: the assistant answers words.
    let mut handoff_now = None;
    if conv.state == ChatState::Assistant && !m.body.as_str().is_empty() {
        let turns = state
            .store
            .chat_messages(ticket.id, None)
            .await?
            .iter()
            .filter(|m| m.sender == ChatSender::User)
            .count();
        if assistant_answer(state, ticket, m.body.as_str(), turns).await? {
            // The message is stored and answered: an agent who took the chat meanwhile (a
            // conflict) leaves nothing to queue, and is no error for the user's message.
            handoff_now = match handoff(state, ticket).await {
                Ok(h) => Some(h),
                Err(ApiError::Conflict(_)) => None,
                Err(e) => return Err(e),
            };
        }
    }
    Ok(Sent {
        message,
        duplicate: false,
        handoff: handoff_now,
    })
}

/// The most characters of the user's first words a chat's subject takes.
const SUBJECT_WORDS: usize = 60;

/// A chat starts as "Live chat" / "在线客服", and every chat in an agent's list would read the
/// same: the user's first message (as stored: redacted) names it, "在线客服：USDT 提现一直没到账".
/// Only while the subject is still the one the chat started with, and only from the first user
/// message that has words (a screenshot alone has none).
async fn name_after_first_words(
    state: &AppState,
    ticket: &Ticket,
    body: &str,
) -> Result<(), ApiError> {
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang: ticket.lang,
    };
    let started_as = t.get("chat.subject");
    let Some(words) = first_words(body, SUBJECT_WORDS) else {
        return Ok(());
    };
    // `ticket` is read afresh for each message (`conn.rs`, `user_ticket`).
    if ticket.subject.as_str() != started_as {
        return Ok(());
    }
    tickets::apply_update(
        state,
        ticket.id,
        store::TicketUpdate {
            subject: Some(Redacted::clean(&format!(
                "{started_as}{}{words}",
                t.colon()
            ))),
            ..store::TicketUpdate::default()
        },
        state.now(),
        None,
    )
    .await?;
    state.publish(Event::TicketUpdated { ticket: ticket.id });
    Ok(())
}

/// The first line of `text` with words in it as one line ([`domain::draft::one_line`]), cut to
/// `max` characters (with "…" where it was cut); `None` when `text` has no words.
fn first_words(text: &str, max: usize) -> Option<String> {
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let whole = domain::draft::one_line(line, usize::MAX);
    if whole.chars().count() <= max {
        return Some(whole);
    }
    let mut cut = domain::draft::one_line(&whole, max);
    // A Latin word is not cut in the middle ("arrive…"): back to the space before it, when
    // there is one in the last 20 characters. Chinese is cut at a character.
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(cut.chars().last()) && latin(whole.chars().nth(max)) {
        let tail_start = cut.char_indices().rev().nth(19).map_or(0, |(i, _)| i);
        if let Some(space) = cut[tail_start..].rfind(' ') {
            cut.truncate(tail_start + space);
        }
    }
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

/// The assistant's answer to the user's (already redacted) text, with articles as cards.
/// Returns whether the chat goes to a person now: when the user asked for one, and for a
/// theft, scam or phishing question (never left to the assistant). When funds only look
/// missing ("不见了" is as often a token not shown as a theft), when the assistant is unsure,
/// or after [`ASSISTANT_TURNS`] answers, it offers the "talk to a person" button instead:
/// the article may be enough.
async fn assistant_answer(
    state: &AppState,
    ticket: &Ticket,
    question: &str,
    turns: usize,
) -> Result<bool, ApiError> {
    let (answer, _) = crate::assist::answer(state, question.to_owned(), ticket.lang)
        .await
        .map_err(|e| ApiError::Internal(format!("assistant: {e}")))?;
    // The chat is filed under what the user asks about, as a form's or a mail's ticket is, so
    // that views, routing and the reports see it; the first topic the assistant is sure enough
    // of to answer without a person holds (a chat starts as `other`).
    if ticket.category == Category::Other && answer.confidence >= assistant::HANDOFF_BELOW {
        let category = crate::assist::category_for(answer.topic);
        if category != Category::Other {
            tickets::apply_update(
                state,
                ticket.id,
                store::TicketUpdate {
                    category: Some(category),
                    ..store::TicketUpdate::default()
                },
                state.now(),
                None,
            )
            .await?;
        }
    }
    let cards: Vec<Card> = answer
        .articles
        .iter()
        .map(|a| Card {
            title: a.title.clone(),
            url: a.url.clone(),
        })
        .collect();
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang: ticket.lang,
    };
    // Funds said to be stolen ("钱包被盗了") are a theft question whichever check saw it first.
    let put_through = match answer.handoff_reason {
        Some(assistant::HandoffReason::Requested | assistant::HandoffReason::Security) => true,
        Some(assistant::HandoffReason::LostFunds) => {
            answer.topic == assistant::Topic::SecurityTheftScam
        }
        _ => false,
    };
    let mut text = answer.answer.clone();
    // A message too long to read is asked for again as a ticket: no button to offer.
    let too_long = answer.handoff_reason == Some(assistant::HandoffReason::TooLong);
    if !put_through && !too_long {
        let offer = if answer.handoff {
            Some("chat.offer_person_now")
        } else {
            (turns >= ASSISTANT_TURNS).then_some("chat.offer_person")
        };
        if let Some(key) = offer {
            text.push_str("\n\n");
            text.push_str(&t.get(key));
        }
    }
    desk_says(state, ticket.id, ChatSender::Assistant, &text, &cards).await?;
    Ok(put_through)
}

/// Where a waiting chat stands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub position: u32,
    pub expected_wait_secs: Option<u64>,
    pub agents_online: u32,
}

/// How many agents who may answer a chat are online now, on any node: the desk's presence
/// (`crate::desk_presence`: a workspace tab or chat socket open, not away), the agents who
/// cannot reply publicly (restricted) and inactive ones left out.
///
/// # Errors
/// Storage failures.
pub(crate) async fn agents_online(state: &AppState) -> Result<u32, ApiError> {
    let online = state.desk_presence.online();
    if online.is_empty() {
        return Ok(0);
    }
    let n = state
        .store
        .agents()
        .await?
        .iter()
        .filter(|a| {
            a.active
                && online.binary_search(&a.id).is_ok()
                && a.role
                    .allows(domain::Permission::ReplyPublicly, a.can_publish)
        })
        .count();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The queue position of `ticket` (1 = next), and a rough wait.
///
/// # Errors
/// Storage failures.
pub(crate) async fn place(state: &AppState, ticket: TicketId) -> Result<Place, ApiError> {
    let queue = state.store.chat_queue().await?;
    let position = queue
        .iter()
        .position(|q| q.ticket_id == ticket)
        .map_or(0, |p| u32::try_from(p + 1).unwrap_or(u32::MAX));
    let agents_online = agents_online(state).await?;
    let expected_wait_secs = (agents_online > 0)
        .then(|| u64::from(position) * AVERAGE_CHAT_SECS / u64::from(agents_online));
    Ok(Place {
        position,
        expected_wait_secs,
        agents_online,
    })
}

/// What "talk to a person" came to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Handoff {
    /// The chat waits for an agent.
    Queued(Place),
    /// Out of office hours with nobody online: not queued; the user may continue as a ticket.
    OutOfHours { opens_at: Option<Timestamp> },
}

/// "Talk to a person": the chat waits for an agent. With nobody online the user is told so
/// plainly and offered to continue as a ticket answered by e-mail; out of office hours (and
/// nobody online) the chat is not queued at all, and the user is told when people are back.
///
/// # Errors
/// A chat already with an agent or ended (`Conflict`), storage failures.
pub(crate) async fn handoff(state: &AppState, ticket: &Ticket) -> Result<Handoff, ApiError> {
    let before = state.store.conversation(ticket.id).await?;
    let hours = office_hours::get(state).await?;
    if let (Some(bh), Some(st)) = (&hours, office_hours::status_at(hours.as_ref(), state.now()))
        && !st.open
        && before.state == ChatState::Assistant
        && agents_online(state).await? == 0
    {
        let t = crate::i18n::Tr {
            i18n: &state.i18n,
            lang: ticket.lang,
        };
        tracing::info!(ticket.id = %ticket.id, "hand-off asked out of office hours");
        let notice = office_hours::closed_notice(&t, bh, st.opens_at, true);
        desk_says(state, ticket.id, ChatSender::System, &notice, &[]).await?;
        return Ok(Handoff::OutOfHours {
            opens_at: st.opens_at,
        });
    }
    state.store.queue_chat(ticket.id, state.now()).await?;
    let place = place(state, ticket.id).await?;
    if before.state != ChatState::Queued {
        tracing::info!(ticket.id = %ticket.id, position = place.position, "chat queued");
        state.publish(Event::ChatQueued {
            ticket: ticket.id,
            lang: ticket.lang,
        });
        let t = crate::i18n::Tr {
            i18n: &state.i18n,
            lang: ticket.lang,
        };
        let text = if place.agents_online == 0 {
            t.get("chat.nobody_online")
        } else {
            t.fmt1(
                "chat.queued",
                "minutes",
                &place
                    .expected_wait_secs
                    .map_or(1, |s| s.div_ceil(60).max(1))
                    .to_string(),
            )
        };
        desk_says(state, ticket.id, ChatSender::System, &text, &[]).await?;
    }
    Ok(Handoff::Queued(place))
}

/// A public message written outside the chat (an agent's reply on the ticket page) reaches
/// the chat's open connections too.
pub(crate) async fn announce(state: &AppState, m: &store::Message) {
    let agent = match m.author {
        Author::Agent(a) => Some(a),
        _ => None,
    };
    let message = WireMessage {
        id: m.id.0,
        client_id: None,
        sender: match m.author {
            Author::User => "user",
            Author::Agent(_) => "agent",
            Author::System => "system",
        }
        .to_owned(),
        agent_name: match agent {
            Some(a) => Some(agent_name(state, a).await),
            None => None,
        },
        text: m.body.as_str().to_owned(),
        cards: Vec::new(),
        secrets_removed: m.secrets_removed,
        at: m.created_at.0,
        delivered_at: None,
        read_at: None,
        attachment: None,
    };
    state.publish(Event::ChatMessage {
        ticket: m.ticket_id,
        message,
    });
}

/// An agent takes a chat; the user is told who joined.
///
/// # Errors
/// Another agent has it, it ended (`Conflict`), not a chat (`NotFound`), storage failures.
pub(crate) async fn accept(
    state: &AppState,
    ticket: TicketId,
    agent: &store::Agent,
) -> Result<Conversation, ApiError> {
    let c = state
        .store
        .accept_chat(ticket, agent.id, state.now())
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => {
                ApiError::Conflict("another agent has this chat, or it ended".into())
            }
            e => e.into(),
        })?;
    tracing::info!(ticket.id = %ticket, agent.id = %agent.id, "chat accepted");
    state.publish(Event::ChatAccepted {
        ticket,
        agent: agent.id,
        agent_name: agent.name.clone(),
    });
    state.publish(Event::TicketUpdated { ticket });
    Ok(c)
}

/// An agent's message in a chat they accepted (or any chat, for an agent who may reply):
/// redacted like every message, so a phrase never reaches the user's screen either.
///
/// # Errors
/// Empty or oversized text, a chat another agent has, storage failures.
pub(crate) async fn agent_message(
    state: &AppState,
    ticket: TicketId,
    agent: &store::Agent,
    client_id: String,
    text: &str,
    attachment: Option<i64>,
) -> Result<Sent, ApiError> {
    let t = state.store.ticket(ticket).await?;
    let conv = state.store.conversation(ticket).await?;
    match (conv.state, conv.agent) {
        (ChatState::Ended, _) => {
            return Err(ApiError::Conflict("the chat has ended".into()));
        }
        (ChatState::Agent, Some(a)) if a != agent.id => {
            return Err(ApiError::Conflict("another agent has this chat".into()));
        }
        (ChatState::Assistant | ChatState::Queued, _) => {
            accept(state, ticket, agent).await?;
        }
        _ => {}
    }
    let posted = post(
        state,
        &t,
        Author::Agent(agent.id),
        ChatSender::Agent,
        Some(client_id),
        text,
        attachment,
    )
    .await?;
    if posted.fresh {
        tracing::info!(ticket.id = %ticket, agent.id = %agent.id, secrets_removed = posted.found.total(), "agent chat message");
    }
    Ok(Sent {
        message: posted.wire,
        duplicate: !posted.fresh,
        handoff: None,
    })
}

/// Marks the other side's messages up to `up_to` delivered (or read) and tells the sender.
///
/// # Errors
/// Storage failures.
pub(crate) async fn mark(
    state: &AppState,
    ticket: TicketId,
    reader: ChatSender,
    up_to: i64,
    read: bool,
) -> Result<(), ApiError> {
    let n = state
        .store
        .mark_chat_messages(ticket, reader, MessageId(up_to), read, state.now())
        .await?;
    if n > 0 {
        state.publish(if read {
            Event::ChatRead {
                ticket,
                reader,
                up_to: MessageId(up_to),
            }
        } else {
            Event::ChatDelivered {
                ticket,
                reader,
                up_to: MessageId(up_to),
            }
        });
    }
    Ok(())
}

/// Ends a chat: the ticket is solved (so it can be rated in the chat) and both sides hear it.
///
/// # Errors
/// Storage failures.
pub(crate) async fn end(
    state: &AppState,
    ticket: TicketId,
    by: Option<AgentId>,
) -> Result<(), ApiError> {
    let c = state.store.conversation(ticket).await?;
    if c.state == ChatState::Ended {
        return Ok(());
    }
    state.store.end_chat(ticket, state.now()).await?;
    tickets::apply_update(
        state,
        ticket,
        store::TicketUpdate {
            status: Some(domain::Status::Solved),
            ..store::TicketUpdate::default()
        },
        state.now(),
        by,
    )
    .await?;
    state.publish(Event::ChatEnded {
        ticket,
        follow_up: false,
    });
    state.publish(Event::TicketUpdated { ticket });
    Ok(())
}

/// Whether the chat's user may rate it now: its ticket is solved (or closed) and not rated. A
/// chat an agent turned into a follow-up ticket is rated when that ticket is solved.
///
/// # Errors
/// Storage failures.
pub(crate) async fn rateable(state: &AppState, ticket: TicketId) -> Result<bool, ApiError> {
    let t = state.store.ticket(ticket).await?;
    Ok(matches!(t.status, domain::Status::Solved | domain::Status::Closed) && t.rating.is_none())
}

/// The user's rating at the end of the chat (CSAT), once.
///
/// # Errors
/// A score outside 1–5, a chat not ended or rated already, storage failures.
pub(crate) async fn rate(
    state: &AppState,
    ticket: TicketId,
    score: u8,
    comment: Option<&str>,
) -> Result<(), ApiError> {
    if !(1..=5).contains(&score) {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::BadScore,
            "a rating is 1 to 5",
        ));
    }
    if !rateable(state, ticket).await? {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::CannotRate,
            "only an ended chat can be rated, once",
        ));
    }
    let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(Redacted::new(c).map_err(|_| ApiError::PayloadTooLarge)?.0),
        None => None,
    };
    state
        .store
        .rate_ticket(ticket, score, comment, state.now())
        .await?;
    state.publish(Event::ChatRated { ticket, score });
    Ok(())
}

/// Nobody can take the chat now: it goes on as a ticket answered by mail at `email`.
///
/// # Errors
/// An address that is not one (or holds a secret), storage failures.
pub(crate) async fn continue_as_ticket(
    state: &AppState,
    ticket: &Ticket,
    email: &str,
) -> Result<String, ApiError> {
    let email = EmailAddress::parse(email.trim()).map_err(|_| {
        ApiError::Invalid(vec![domain::FieldError {
            field: "email",
            code: "invalid".into(),
            found: None,
            detail: None,
        }])
    })?;
    state
        .store
        .set_chat_requester(ticket.id, &email, state.now())
        .await?;
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang: ticket.lang,
    };
    desk_says(
        state,
        ticket.id,
        ChatSender::System,
        &t.get("chat.continued_as_ticket"),
        &[],
    )
    .await?;
    state.publish(Event::TicketUpdated { ticket: ticket.id });
    Ok(format!("{}/t/", state.config.effective_public_url()))
}

/// The chat's routes: the JSON contract, the fallback transport and both sockets. Creating a
/// conversation and posting frames spend the client's `[limits]` budgets like any public write.
pub(crate) fn router(state: &AppState) -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/chat/conversations", post(http::start))
        .route("/api/v1/chat/conversations/{id}", get(http::transcript))
        .route("/api/v1/chat/conversations/{id}/events", get(http::events))
        .route("/api/v1/chat/conversations/{id}/frames", post(http::frames))
        .route(
            "/api/v1/chat/conversations/{id}/attachments",
            post(files::upload),
        )
        .route(
            "/api/v1/chat/conversations/{id}/attachments/{attachment}",
            get(files::show),
        )
        .route("/api/v1/chat/conversations/{id}/ws", get(ws::user))
        .route("/agent/chat/ws", get(ws::agent))
        .route(
            "/agent/chat/conversations/{id}/attachments",
            post(files::agent_upload),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::limit::layer,
        ))
}

#[cfg(test)]
mod tests {
    use super::first_words;

    #[test]
    fn a_subject_takes_the_first_line_with_words_cut_at_a_character() {
        assert_eq!(first_words("\n  \n", 60), None);
        assert_eq!(
            first_words("\n  my   USDT\tis missing \nsecond line", 60).as_deref(),
            Some("my USDT is missing")
        );
        let zh = "我从币安提USDT到我的钱包，交易所显示已完成，但钱包里一直没到账";
        assert_eq!(
            first_words(zh, 12).as_deref(),
            Some("我从币安提USDT到我的…")
        );
        assert_eq!(
            first_words("send to exchange please", 8).as_deref(),
            Some("send to…")
        );
        assert_eq!(
            first_words("nothing arrived yet", 14).as_deref(),
            Some("nothing…"),
            "not in the middle of a word"
        );
        assert_eq!(
            first_words("USDT 一直没到账交易所显示已完成", 10).as_deref(),
            Some("USDT 一直没到账…"),
            "Chinese after a space is cut at a character"
        );
    }
}
