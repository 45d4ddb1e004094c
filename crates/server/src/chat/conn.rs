//! One connection's side of the chat protocol, whatever carries it: a rate budget, the
//! client's frames turned into use cases (`chat::*`), and events turned into frames for this
//! peer. The WebSocket (`ws.rs`) and the SSE + POST fallback (`http.rs`) both drive it.

use std::collections::VecDeque;
use std::time::Instant;

use domain::{Lang, TicketId};
use store::{Agent, ChatSender, ChatState, Ticket};

use super::protocol::{In, Out};
use crate::error::ApiError;
use crate::{AppState, Event};

/// The largest frame a client may send, in bytes. A message's text is at most
/// `domain::draft::MAX_BODY_BYTES` anyway; the rest is room for the JSON around it.
pub const MAX_FRAME_BYTES: usize = 32 * 1024;
/// The server pings this often.
pub const HEARTBEAT_SECS: u64 = 20;
/// A connection that sends nothing (not even a pong) for this long is closed.
pub const IDLE_TIMEOUT_SECS: u64 = 60;
/// Frames waiting to be written to one connection. A reader that lets this many pile up is
/// too slow, and is disconnected (close code 1013) instead of growing the server's memory.
pub const SEND_QUEUE: usize = 64;
/// Frames over budget in a row before the connection is closed as a flood (close code 1008).
const FLOOD_STRIKES: u32 = 50;

/// A token bucket: `cap` at once, refilled at `per_sec`.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    cap: f64,
    per_sec: f64,
    last: Instant,
}

impl Bucket {
    fn new(cap: f64, per_sec: f64) -> Bucket {
        Bucket {
            tokens: cap,
            cap,
            per_sec,
            last: Instant::now(),
        }
    }

    /// Takes one token, or says how many milliseconds until one is there.
    fn take(&mut self) -> Result<(), u64> {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.per_sec;
        self.tokens = (self.tokens + refill).min(self.cap);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a small positive number of milliseconds"
            )]
            Err(((1.0 - self.tokens) / self.per_sec * 1000.0).ceil() as u64)
        }
    }
}

/// Who is on the other end.
#[derive(Debug, Clone)]
pub(crate) enum Peer {
    /// A wallet user, by the conversation's token: one chat.
    User(Box<Ticket>),
    /// An agent, by their session: every chat.
    Agent(Agent),
}

/// Why a connection must end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Close {
    pub code: u16,
    pub reason: &'static str,
}

pub(crate) const FLOOD: Close = Close {
    code: 1008,
    reason: "flood: too many frames over the rate limit",
};
pub(crate) const SLOW: Close = Close {
    code: 1013,
    reason: "slow reader: send queue full",
};
pub(crate) const IDLE: Close = Close {
    code: 1001,
    reason: "idle timeout",
};

#[derive(Debug)]
pub(crate) struct Conn {
    pub peer: Peer,
    frames: Bucket,
    messages: Bucket,
    strikes: u32,
    /// Messages this connection was sent an `ack` for: their `message` event is not sent too.
    acked: VecDeque<i64>,
    /// An agent's chats whose messages, typing and receipts this connection hears: the ones
    /// they have (read at `hello`, and each accept or transfer to them since) and the ones
    /// they named in a frame (opened with `sync`, wrote in, accepted). A user's is their own.
    watching: Watching,
}

/// The chats an agent's connection hears, oldest forgotten first past [`Watching::CAP`]
/// (an agent with more open at once is far past any concurrency limit).
#[derive(Debug, Default)]
struct Watching(VecDeque<TicketId>);

impl Watching {
    const CAP: usize = 256;

    fn contains(&self, t: TicketId) -> bool {
        self.0.contains(&t)
    }

    fn insert(&mut self, t: TicketId) {
        if let Some(i) = self.0.iter().position(|w| *w == t) {
            self.0.remove(i);
        } else if self.0.len() >= Self::CAP {
            self.0.pop_front();
        }
        self.0.push_back(t);
    }
}

/// The conversation an agent's frame names, if any.
fn named(frame: &In) -> Option<TicketId> {
    match frame {
        In::Message { conversation, .. }
        | In::Typing { conversation, .. }
        | In::Delivered { conversation, .. }
        | In::Read { conversation, .. }
        | In::Sync { conversation, .. }
        | In::End { conversation, .. } => conversation.map(TicketId),
        In::Accept { conversation } => Some(TicketId(*conversation)),
        In::Handoff { .. } | In::Rate { .. } | In::ContinueAsTicket { .. } | In::Ping => None,
    }
}

impl Conn {
    pub(crate) fn new(peer: Peer) -> Conn {
        Conn {
            peer,
            // Typing and read receipts come often; messages less so.
            frames: Bucket::new(30.0, 5.0),
            messages: Bucket::new(10.0, 1.0),
            strikes: 0,
            acked: VecDeque::new(),
            watching: Watching::default(),
        }
    }

    fn side(&self) -> ChatSender {
        match self.peer {
            Peer::User(_) => ChatSender::User,
            Peer::Agent(_) => ChatSender::Agent,
        }
    }

    fn ticket(&self) -> Option<TicketId> {
        match &self.peer {
            Peer::User(t) => Some(t.id),
            Peer::Agent(_) => None,
        }
    }

    /// The first frame. An agent's connection starts hearing the chats they have now.
    pub(crate) async fn hello(&mut self, state: &AppState) -> Out {
        let hours = match &self.peer {
            Peer::User(_) => super::office_hours::status(state).await.ok().flatten(),
            Peer::Agent(a) => {
                match state.store.chats_with_agent(a.id).await {
                    Ok(chats) => chats.into_iter().for_each(|t| self.watching.insert(t)),
                    // Not fatal: each chat is heard again once the workspace opens it (`sync`).
                    Err(e) => {
                        tracing::warn!(agent.id = %a.id, error = %e, "an agent's chats not read");
                    }
                }
                None
            }
        };
        let (conversation, st, lang, last) = match &self.peer {
            Peer::User(t) => {
                let st = state
                    .store
                    .conversation(t.id)
                    .await
                    .map(|c| c.state.as_str().to_owned())
                    .ok();
                let last = state
                    .store
                    .chat_messages(t.id, None)
                    .await
                    .ok()
                    .and_then(|m| m.last().map(|m| m.id.0));
                (Some(t.id.0), st, Some(t.lang.as_str().to_owned()), last)
            }
            Peer::Agent(_) => (None, None, None, None),
        };
        Out::Hello {
            protocol: super::protocol::VERSION,
            conversation,
            state: st,
            lang,
            heartbeat_secs: HEARTBEAT_SECS,
            idle_timeout_secs: IDLE_TIMEOUT_SECS,
            max_frame_bytes: MAX_FRAME_BYTES,
            last_message_id: last,
            office_open: hours.map(|h| h.open),
            opens_at: hours.and_then(|h| h.opens_at.map(|t| t.0)),
        }
    }

    fn remember_ack(&mut self, id: i64) {
        self.acked.push_back(id);
        if self.acked.len() > 64 {
            self.acked.pop_front();
        }
    }

    /// Handles one text frame from the client: the frames to send back, or why to close.
    pub(crate) async fn handle(&mut self, state: &AppState, text: &str) -> Result<Vec<Out>, Close> {
        if let Err(ms) = self.frames.take() {
            return self.over_budget(ms, None);
        }
        if text.len() > MAX_FRAME_BYTES {
            return Ok(vec![Out::error(
                "frame_too_large",
                format!("a frame is at most {MAX_FRAME_BYTES} bytes"),
            )]);
        }
        let frame: In = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                // serde's message names the field or type, never echoes the value.
                return Ok(vec![Out::error("malformed", e.to_string())]);
            }
        };
        if let In::Message { client_id, .. } = &frame
            && let Err(ms) = self.messages.take()
        {
            let cid = Some(client_id.clone());
            return self.over_budget(ms, cid);
        }
        self.strikes = 0;
        match self.frame(state, frame).await {
            Ok(out) => Ok(out),
            Err((e, client_id)) => {
                let code = super::error_code(&e);
                if code == "internal" {
                    tracing::error!(error = %e, "chat frame failed");
                }
                let retry_after_ms = match e {
                    ApiError::RateLimited { retry_after_secs } => Some(retry_after_secs * 1000),
                    _ => None,
                };
                Ok(vec![Out::Error {
                    code: code.to_owned(),
                    message: if code == "internal" {
                        "the desk could not do that; try again".to_owned()
                    } else {
                        e.to_string()
                    },
                    client_id,
                    retry_after_ms,
                }])
            }
        }
    }

    fn over_budget(&mut self, ms: u64, client_id: Option<String>) -> Result<Vec<Out>, Close> {
        self.strikes += 1;
        if self.strikes >= FLOOD_STRIKES {
            return Err(FLOOD);
        }
        Ok(vec![Out::Error {
            code: "rate_limited".into(),
            message: "too many frames; wait and send again".into(),
            client_id,
            retry_after_ms: Some(ms),
        }])
    }

    /// The chat an agent's frame names.
    fn chat_of(&self, conversation: Option<i64>) -> Result<TicketId, ApiError> {
        match (&self.peer, conversation) {
            (Peer::User(t), _) => Ok(t.id),
            (Peer::Agent(_), Some(c)) => Ok(TicketId(c)),
            (Peer::Agent(_), None) => Err(ApiError::bad_request(
                crate::error::ErrorCode::BadForm,
                "`conversation` is required on an agent's connection",
            )),
        }
    }

    async fn user_ticket(&self, state: &AppState) -> Result<Ticket, ApiError> {
        match &self.peer {
            // Read again: the state (status, requester) may have changed since connecting.
            Peer::User(t) => Ok(state.store.ticket(t.id).await?),
            Peer::Agent(_) => Err(ApiError::Forbidden),
        }
    }

    async fn frame(
        &mut self,
        state: &AppState,
        frame: In,
    ) -> Result<Vec<Out>, (ApiError, Option<String>)> {
        let plain = |e: ApiError| (e, None);
        if let (Peer::Agent(_), Some(t)) = (&self.peer, named(&frame)) {
            self.watching.insert(t);
        }
        match frame {
            In::Ping => Ok(vec![Out::Pong]),
            In::Message {
                client_id,
                text,
                conversation,
                attachment,
            } => {
                let cid = client_id.trim().to_owned();
                if cid.is_empty() || cid.len() > 64 {
                    return Err((
                        ApiError::bad_request(
                            crate::error::ErrorCode::BadForm,
                            "`client_id` is 1 to 64 characters",
                        ),
                        Some(client_id),
                    ));
                }
                let with_id = |e: ApiError| (e, Some(cid.clone()));
                let ticket = self.chat_of(conversation).map_err(with_id)?;
                let sent = match &self.peer {
                    Peer::User(_) => {
                        let t = self.user_ticket(state).await.map_err(with_id)?;
                        super::user_message(state, &t, cid.clone(), &text, attachment).await
                    }
                    Peer::Agent(a) => {
                        let a = a.clone();
                        super::agent_message(state, ticket, &a, cid.clone(), &text, attachment)
                            .await
                    }
                }
                .map_err(with_id)?;
                self.remember_ack(sent.message.id);
                let mut out = vec![Out::Ack {
                    conversation: ticket.0,
                    client_id: cid,
                    message: sent.message,
                    duplicate: sent.duplicate,
                }];
                out.extend(sent.handoff.map(|h| handoff_frame(ticket, h)));
                Ok(out)
            }
            In::Typing {
                typing,
                conversation,
            } => {
                let ticket = self.chat_of(conversation).map_err(plain)?;
                state.publish(Event::ChatTyping {
                    ticket,
                    sender: self.side(),
                    typing,
                });
                Ok(vec![])
            }
            In::Delivered {
                up_to,
                conversation,
            }
            | In::Read {
                up_to,
                conversation,
            } => {
                let read = matches!(frame, In::Read { .. });
                let ticket = self.chat_of(conversation).map_err(plain)?;
                super::mark(state, ticket, self.side(), up_to, read)
                    .await
                    .map_err(plain)?;
                Ok(vec![])
            }
            In::Sync {
                after,
                conversation,
            } => {
                let ticket = self.chat_of(conversation).map_err(plain)?;
                let st = state
                    .store
                    .conversation(ticket)
                    .await
                    .map_err(|e| plain(e.into()))?;
                let messages = super::history(state, ticket, after).await.map_err(plain)?;
                let rateable = st.state == ChatState::Ended
                    && super::rateable(state, ticket).await.map_err(plain)?;
                Ok(vec![Out::History {
                    conversation: ticket.0,
                    state: st.state.as_str().to_owned(),
                    rateable,
                    messages,
                }])
            }
            In::Handoff { .. } => {
                let t = self.user_ticket(state).await.map_err(plain)?;
                let h = super::handoff(state, &t).await.map_err(plain)?;
                Ok(vec![handoff_frame(t.id, h)])
            }
            In::Accept { conversation } => match &self.peer {
                Peer::Agent(a) => {
                    let a = a.clone();
                    let ticket = TicketId(conversation);
                    super::accept(state, ticket, &a).await.map_err(plain)?;
                    let messages = super::history(state, ticket, None).await.map_err(plain)?;
                    Ok(vec![Out::History {
                        conversation,
                        state: "agent".into(),
                        rateable: false,
                        messages,
                    }])
                }
                Peer::User(_) => Err(plain(ApiError::Forbidden)),
            },
            In::End { conversation } => {
                let ticket = self.chat_of(conversation).map_err(plain)?;
                let by = match &self.peer {
                    Peer::Agent(a) => Some(a.id),
                    Peer::User(_) => None,
                };
                super::end(state, ticket, by).await.map_err(plain)?;
                Ok(vec![])
            }
            In::Rate { score, comment } => {
                let t = self.user_ticket(state).await.map_err(plain)?;
                super::rate(state, t.id, score, comment.as_deref())
                    .await
                    .map_err(plain)?;
                Ok(vec![])
            }
            In::ContinueAsTicket { email } => {
                let t = self.user_ticket(state).await.map_err(plain)?;
                let url = super::continue_as_ticket(state, &t, &email)
                    .await
                    .map_err(plain)?;
                Ok(vec![Out::Ticket {
                    conversation: t.id.0,
                    ticket_url: url,
                }])
            }
        }
    }

    /// The frame an event becomes for this peer, if it concerns them. A chat's messages,
    /// typing and receipts reach a user for their chat and an agent for the chats they watch;
    /// its queueing, acceptance, end and rating reach every agent (the workspace's lists).
    pub(crate) fn event(&mut self, e: &Event) -> Option<Out> {
        if let (Peer::Agent(me), Event::ChatAccepted { ticket, agent, .. }) = (&self.peer, e)
            && me.id == *agent
        {
            self.watching.insert(*ticket);
        }
        let mine = |t: &TicketId| self.ticket().is_none_or(|own| own == *t);
        let heard = |t: &TicketId| match &self.peer {
            Peer::User(own) => own.id == *t,
            Peer::Agent(_) => self.watching.contains(*t),
        };
        let side = self.side();
        match e {
            Event::ChatMessage { ticket, message } if heard(ticket) => {
                if let Some(i) = self.acked.iter().position(|id| *id == message.id) {
                    self.acked.remove(i);
                    return None;
                }
                Some(Out::Message {
                    conversation: ticket.0,
                    message: message.clone(),
                })
            }
            Event::ChatTyping {
                ticket,
                sender,
                typing,
            } if heard(ticket) && *sender != side => Some(Out::Typing {
                conversation: ticket.0,
                sender: *sender,
                typing: *typing,
            }),
            Event::ChatRead {
                ticket,
                reader,
                up_to,
            } if heard(ticket) && *reader != side => Some(Out::Read {
                conversation: ticket.0,
                reader: *reader,
                up_to: up_to.0,
            }),
            Event::ChatDelivered {
                ticket,
                reader,
                up_to,
            } if heard(ticket) && *reader != side => Some(Out::Delivered {
                conversation: ticket.0,
                reader: *reader,
                up_to: up_to.0,
            }),
            Event::ChatQueued { ticket, lang } if side == ChatSender::Agent => Some(Out::Queued {
                conversation: ticket.0,
                lang: lang_key(*lang),
            }),
            Event::ChatAccepted {
                ticket, agent_name, ..
            } if mine(ticket) => Some(Out::AgentJoined {
                conversation: ticket.0,
                agent_name: agent_name.clone(),
            }),
            Event::ChatEnded { ticket, follow_up } if mine(ticket) => Some(Out::Ended {
                conversation: ticket.0,
                follow_up: *follow_up,
            }),
            Event::ChatRated { ticket, score } if side == ChatSender::Agent => Some(Out::Rated {
                conversation: ticket.0,
                score: *score,
            }),
            _ => None,
        }
    }
}

/// What the user's side is told about a hand-off: its place in the queue, or that nobody can
/// take the chat out of office hours.
fn handoff_frame(ticket: TicketId, h: super::Handoff) -> Out {
    match h {
        super::Handoff::Queued(p) => Out::Queue {
            conversation: ticket.0,
            position: p.position,
            expected_wait_secs: p.expected_wait_secs,
            agents_online: p.agents_online,
        },
        super::Handoff::OutOfHours { opens_at } => Out::OutOfHours {
            conversation: ticket.0,
            opens_at: opens_at.map(|t| t.0),
        },
    }
}

fn lang_key(l: Lang) -> String {
    l.as_str().to_owned()
}
