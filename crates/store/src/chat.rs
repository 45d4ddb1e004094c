//! The store's live-chat area ([`ChatStore`], a supertrait of [`crate::Store`]). A chat is a
//! ticket whose channel is [`domain::Channel::Chat`]; this area adds what only chats have: the
//! conversation's state (assistant, queued, with an agent, ended), and per message the client's
//! own id (a resend never stores a message twice) and its delivered/read times. Migration
//! `0013_chat`.

use async_trait::async_trait;
use domain::{
    AgentId, AttachmentId, Category, EmailAddress, Lang, MessageId, Priority, Redacted, TicketId,
    Timestamp,
};
use serde::Serialize;

use crate::{NewMessage, Result, Ticket, TokenHash};

/// Who sent a chat message. The store keeps it next to the message's author: the assistant's
/// answers are the desk's (`Author::System`) but read differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatSender {
    User,
    Agent,
    Assistant,
    /// The desk itself: queue notices, what was removed from a message.
    System,
}

impl ChatSender {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChatSender::User => "user",
            ChatSender::Agent => "agent",
            ChatSender::Assistant => "assistant",
            ChatSender::System => "system",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<ChatSender> {
        Some(match s {
            "user" => ChatSender::User,
            "agent" => ChatSender::Agent,
            "assistant" => ChatSender::Assistant,
            "system" => ChatSender::System,
            _ => return None,
        })
    }
}

/// Where a chat is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatState {
    /// The assistant answers; nobody asked for a person yet.
    Assistant,
    /// Waiting for a person.
    Queued,
    /// An agent accepted it.
    Agent,
    Ended,
}

impl ChatState {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChatState::Assistant => "assistant",
            ChatState::Queued => "queued",
            ChatState::Agent => "agent",
            ChatState::Ended => "ended",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<ChatState> {
        Some(match s {
            "assistant" => ChatState::Assistant,
            "queued" => ChatState::Queued,
            "agent" => ChatState::Agent,
            "ended" => ChatState::Ended,
            _ => return None,
        })
    }
}

/// A new chat: a ticket with channel chat and no message yet.
#[derive(Debug, Clone)]
pub struct NewChat {
    /// A chat has no address until the user gives one; a placeholder that never receives mail.
    pub requester: EmailAddress,
    pub category: Category,
    pub subject: Redacted,
    pub priority: Priority,
    pub lang: Lang,
    pub access_token: TokenHash,
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub now: Timestamp,
}

/// A chat's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    pub ticket_id: TicketId,
    pub state: ChatState,
    pub queued_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub agent: Option<AgentId>,
    pub ended_at: Option<Timestamp>,
}

/// A message of a chat's transcript (any public message of the ticket; those written outside
/// the chat have no client id and are sent by the user, an agent or the desk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub client_id: Option<String>,
    pub sender: ChatSender,
    pub agent: Option<AgentId>,
    pub body: Redacted,
    /// The assistant's article cards, JSON (ids, titles, paths).
    pub cards: String,
    pub secrets_removed: u32,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    pub read_at: Option<Timestamp>,
}

/// A message to add to a chat.
#[derive(Debug, Clone)]
pub struct NewChatMessage {
    pub message: NewMessage,
    /// The sending client's id for it; `None` for the desk's own messages.
    pub client_id: Option<String>,
    pub sender: ChatSender,
    pub cards: String,
}

/// One chat's times, for the live-chat report (`/agent/help/analytics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatTimes {
    pub state: ChatState,
    pub created_at: Timestamp,
    /// When the user asked for a person (absent: the assistant only, or taken straight away).
    pub queued_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// A person's first public message (the ticket's first response, as the SLA counts it).
    pub first_response_at: Option<Timestamp>,
}

/// A chat waiting for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedChat {
    pub ticket_id: TicketId,
    pub lang: Lang,
    pub queued_at: Timestamp,
}

#[async_trait]
pub trait ChatStore: Send + Sync {
    /// Creates a chat: a ticket with channel chat, no message, in state `assistant`.
    async fn create_chat(&self, c: NewChat) -> Result<Ticket>;
    /// The chat's state; `NotFound` for a ticket that is not a chat.
    async fn conversation(&self, ticket: TicketId) -> Result<Conversation>;
    /// Adds a message. When the conversation already has one with the same client id, nothing
    /// is written and that one comes back with `false`: a resend is answered, never doubled.
    async fn append_chat_message(&self, m: NewChatMessage) -> Result<(ChatMessage, bool)>;
    /// The conversation's message with this client id, if it has one: one indexed read, so a
    /// resend is recognised before anything is redacted again.
    async fn chat_message_by_client_id(
        &self,
        ticket: TicketId,
        client_id: &str,
    ) -> Result<Option<ChatMessage>>;
    /// The chat's public messages, oldest first; after `after` only, when given.
    async fn chat_messages(
        &self,
        ticket: TicketId,
        after: Option<MessageId>,
    ) -> Result<Vec<ChatMessage>>;
    /// Puts a chat in the queue (kept in place when it is queued already). Returns its
    /// conversation; `Conflict` when it is with an agent or ended.
    async fn queue_chat(&self, ticket: TicketId, now: Timestamp) -> Result<Conversation>;
    /// The chats waiting for a person, longest waiting first.
    async fn chat_queue(&self) -> Result<Vec<QueuedChat>>;
    /// The times of the chats started at or after `since`, newest first, at most `limit`.
    async fn chat_times(&self, since: Timestamp, limit: u32) -> Result<Vec<ChatTimes>>;
    /// The chats `agent` has now (state `agent`), oldest first.
    async fn chats_with_agent(&self, agent: AgentId) -> Result<Vec<TicketId>>;
    /// `agent` takes a queued (or assistant) chat. `Conflict` when another agent has it or it
    /// ended; taking it again by the same agent is fine.
    async fn accept_chat(
        &self,
        ticket: TicketId,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<Conversation>;
    async fn end_chat(&self, ticket: TicketId, now: Timestamp) -> Result<Conversation>;
    /// The address the user gave for the answer, replacing a chat's placeholder requester.
    async fn set_chat_requester(
        &self,
        ticket: TicketId,
        email: &EmailAddress,
        now: Timestamp,
    ) -> Result<Ticket>;
    /// The messages up to `up_to` that the other side of `reader` sent are delivered (and read,
    /// with `read`) now, unless they were before. Returns how many changed.
    async fn mark_chat_messages(
        &self,
        ticket: TicketId,
        reader: ChatSender,
        up_to: MessageId,
        read: bool,
        now: Timestamp,
    ) -> Result<u64>;
    /// Puts a screenshot uploaded to the chat (`message_id` still empty) on `message`, a
    /// message of the same chat. `NotFound` when the attachment is not this chat's, or is on a
    /// message already: one upload is shown once.
    async fn attach_to_chat_message(
        &self,
        ticket: TicketId,
        attachment: AttachmentId,
        message: MessageId,
    ) -> Result<crate::Attachment>;
}
