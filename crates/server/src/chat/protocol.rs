//! The chat protocol's frames, version [`VERSION`] (`docs/CHAT-PROTOCOL.md` describes each).
//! Every frame is one JSON object with a `type`; the same frames travel over the WebSocket and
//! over the fallback transport (Server-Sent Events down, `POST` up).

use serde::{Deserialize, Serialize};
use store::{ChatMessage, ChatSender};

/// The protocol's version, sent in `hello`. A change that an older client cannot ignore gets a
/// new number; new frame types and new fields do not.
pub const VERSION: u32 = 1;

/// An article the assistant points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub title: String,
    /// A path on the desk (`/help/…`).
    pub url: String,
}

/// A screenshot on a message: uploaded over HTTP first (`POST …/attachments`), then named by
/// the `message` frame that sends it. Its bytes are the metadata-stripped ones; clients fetch
/// them from `GET /api/v1/chat/conversations/{conversation}/attachments/{id}` (users, with the
/// token) or the ticket's attachment route (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WireAttachment {
    pub id: i64,
    /// The file name, sanitised (and replaced when it held a secret).
    pub filename: String,
    /// `image/png`, `image/jpeg` or `image/webp`: what the bytes are, not what the name said.
    pub content_type: String,
    /// Bytes, after the metadata was removed.
    pub size: i64,
}

impl WireAttachment {
    #[must_use]
    pub fn from_stored(a: &store::Attachment) -> WireAttachment {
        WireAttachment {
            id: a.id.0,
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
        }
    }
}

/// A message as clients see it. Its text is the stored, redacted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireMessage {
    pub id: i64,
    /// The sending client's id, for the sender's own messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `user`, `agent`, `assistant` or `system`.
    pub sender: String,
    /// The agent's name, for an agent's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub cards: Vec<Card>,
    /// How many secrets were removed from it.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub secrets_removed: u32,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_at: Option<i64>,
    /// A screenshot sent with the message (its text may then be empty). Boxed: events carry
    /// messages, and most have none.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attachment: Option<Box<WireAttachment>>,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl WireMessage {
    #[must_use]
    pub fn from_stored(m: &ChatMessage, agent_name: Option<String>) -> WireMessage {
        WireMessage {
            id: m.id.0,
            client_id: m.client_id.clone(),
            sender: m.sender.as_str().to_owned(),
            agent_name,
            text: m.body.as_str().to_owned(),
            cards: serde_json::from_str(&m.cards).unwrap_or_default(),
            secrets_removed: m.secrets_removed,
            at: m.created_at.0,
            delivered_at: m.delivered_at.map(|t| t.0),
            read_at: m.read_at.map(|t| t.0),
            attachment: None,
        }
    }
}

/// What a client sends. `conversation` names the chat on an agent's connection (one connection
/// serves all of an agent's chats); a user's connection belongs to one chat and ignores it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum In {
    Message {
        client_id: String,
        /// May be empty when `attachment` is given.
        #[serde(default)]
        text: String,
        #[serde(default)]
        conversation: Option<i64>,
        /// The id an upload (`POST …/attachments`) answered: the screenshot goes with this
        /// message.
        #[serde(default)]
        attachment: Option<i64>,
    },
    Typing {
        typing: bool,
        #[serde(default)]
        conversation: Option<i64>,
    },
    Delivered {
        up_to: i64,
        #[serde(default)]
        conversation: Option<i64>,
    },
    Read {
        up_to: i64,
        #[serde(default)]
        conversation: Option<i64>,
    },
    Sync {
        #[serde(default)]
        after: Option<i64>,
        #[serde(default)]
        conversation: Option<i64>,
    },
    /// "Talk to a person".
    Handoff {
        #[serde(default)]
        conversation: Option<i64>,
    },
    /// Agents: take a waiting chat.
    Accept {
        conversation: i64,
    },
    End {
        #[serde(default)]
        conversation: Option<i64>,
    },
    /// Users: the rating at the end (1–5) and an optional comment.
    Rate {
        score: u8,
        #[serde(default)]
        comment: Option<String>,
    },
    /// Users: no person is available; continue as a ticket answered by e-mail.
    ContinueAsTicket {
        email: String,
    },
    Ping,
}

/// What the desk sends.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Out {
    Hello {
        protocol: u32,
        conversation: Option<i64>,
        /// `assistant`, `queued`, `agent` or `ended` (absent on an agent's connection).
        #[serde(skip_serializing_if = "Option::is_none")]
        state: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        /// The server pings at least this often; answer within `idle_timeout_secs`.
        heartbeat_secs: u64,
        idle_timeout_secs: u64,
        /// The largest frame accepted, in bytes.
        max_frame_bytes: usize,
        /// The newest message's id: a reconnecting client sends `sync` after the last it has.
        #[serde(skip_serializing_if = "Option::is_none")]
        last_message_id: Option<i64>,
        /// Users: whether people answer chats now (office hours). Absent when the desk keeps
        /// no office hours.
        #[serde(skip_serializing_if = "Option::is_none")]
        office_open: Option<bool>,
        /// Users, out of office hours: when they begin again (milliseconds since the epoch).
        #[serde(skip_serializing_if = "Option::is_none")]
        opens_at: Option<i64>,
    },
    /// The sender's own message, stored: `message.text` is what was kept (redacted).
    Ack {
        conversation: i64,
        client_id: String,
        message: WireMessage,
        /// `true` when this client id had been received before (a resend): nothing new was
        /// stored.
        duplicate: bool,
    },
    Message {
        conversation: i64,
        message: WireMessage,
    },
    Typing {
        conversation: i64,
        sender: ChatSender,
        typing: bool,
    },
    Delivered {
        conversation: i64,
        reader: ChatSender,
        up_to: i64,
    },
    Read {
        conversation: i64,
        reader: ChatSender,
        up_to: i64,
    },
    History {
        conversation: i64,
        state: String,
        /// The chat ended solved and has no rating yet: the user may still rate it.
        rateable: bool,
        messages: Vec<WireMessage>,
    },
    /// The user's place in the queue for a person.
    Queue {
        conversation: i64,
        position: u32,
        /// A rough estimate; absent when nobody is online to give one.
        #[serde(skip_serializing_if = "Option::is_none")]
        expected_wait_secs: Option<u64>,
        agents_online: u32,
    },
    /// The answer to `handoff` out of office hours with no agent online: the chat is not
    /// queued; the assistant goes on answering, and `continue_as_ticket` takes an e-mail
    /// address for the reply. A `system` message says the same in the user's language.
    OutOfHours {
        conversation: i64,
        /// When office hours begin again (milliseconds since the epoch), if ever.
        #[serde(skip_serializing_if = "Option::is_none")]
        opens_at: Option<i64>,
    },
    /// Agents: a chat waits for a person.
    Queued {
        conversation: i64,
        lang: String,
    },
    AgentJoined {
        conversation: i64,
        agent_name: String,
    },
    Ended {
        conversation: i64,
        /// The chat goes on as a follow-up ticket: no rating now (the ticket's own comes when
        /// it is solved).
        follow_up: bool,
    },
    Rated {
        conversation: i64,
        score: u8,
    },
    /// The chat goes on as a ticket; answers come by e-mail and to `ticket_url`.
    Ticket {
        conversation: i64,
        ticket_url: String,
    },
    /// Events were missed (the connection fell behind): send `sync`.
    SyncNeeded,
    Pong,
    Error {
        code: String,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
}

impl Out {
    #[must_use]
    pub fn error(code: &str, message: impl Into<String>) -> Out {
        Out::Error {
            code: code.to_owned(),
            message: message.into(),
            client_id: None,
            retry_after_ms: None,
        }
    }

    /// The frame as JSON text.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"unserialisable frame"}"#.to_owned()
        })
    }
}
