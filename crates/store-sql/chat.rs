//! [`ChatStore`]: chats (tickets with channel chat), their state, and their messages' client
//! ids and delivered/read times. Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::{AgentId, Lang, MessageId, MessageKind, Redacted, TicketId, Timestamp};
use sqlx::Row as _;
use store::{
    ChatMessage, ChatSender, ChatState, ChatStore, ChatTimes, Conversation, NewChat,
    NewChatMessage, QueuedChat, Result, StoreError, Ticket,
};

use sqlx::Transaction;

use crate::db::{Db, DbStore, Row, write_tx};
use crate::row::{self, db_err};

/// The columns [`chat_message`] reads, for `FROM messages m LEFT JOIN chat_messages c`.
const CHAT_COLUMNS: &str = "m.id, m.ticket_id, m.author_type, m.author_agent, m.body, \
    m.secrets_removed, m.created_at, c.client_id, c.sender, c.cards, c.delivered_at, c.read_at";

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {e}"))
}

fn chat_message(r: &Row) -> Result<ChatMessage> {
    let author_type: String = r.try_get("author_type").map_err(db_err)?;
    let agent: Option<i64> = r.try_get("author_agent").map_err(db_err)?;
    let sender: Option<String> = r.try_get("sender").map_err(db_err)?;
    let sender = match sender.as_deref() {
        Some(s) => ChatSender::parse(s).ok_or_else(|| bad(format_args!("sender `{s}`")))?,
        None => match author_type.as_str() {
            "user" => ChatSender::User,
            "agent" => ChatSender::Agent,
            _ => ChatSender::System,
        },
    };
    let removed: i64 = r.try_get("secrets_removed").map_err(db_err)?;
    Ok(ChatMessage {
        id: MessageId(r.try_get("id").map_err(db_err)?),
        ticket_id: TicketId(r.try_get("ticket_id").map_err(db_err)?),
        client_id: r.try_get("client_id").map_err(db_err)?,
        sender,
        agent: agent.map(AgentId),
        body: Redacted::from_stored(r.try_get("body").map_err(db_err)?),
        cards: r
            .try_get::<Option<String>, _>("cards")
            .map_err(db_err)?
            .unwrap_or_else(|| "[]".into()),
        secrets_removed: u32::try_from(removed).unwrap_or(u32::MAX),
        created_at: Timestamp(r.try_get("created_at").map_err(db_err)?),
        delivered_at: r
            .try_get::<Option<i64>, _>("delivered_at")
            .map_err(db_err)?
            .map(Timestamp),
        read_at: r
            .try_get::<Option<i64>, _>("read_at")
            .map_err(db_err)?
            .map(Timestamp),
    })
}

fn conversation(r: &Row) -> Result<Conversation> {
    let state: String = r.try_get("state").map_err(db_err)?;
    let opt = |c: &str| -> Result<Option<Timestamp>> {
        Ok(r.try_get::<Option<i64>, _>(c)
            .map_err(db_err)?
            .map(Timestamp))
    };
    Ok(Conversation {
        ticket_id: TicketId(r.try_get("ticket_id").map_err(db_err)?),
        state: ChatState::parse(&state).ok_or_else(|| bad(format_args!("state `{state}`")))?,
        queued_at: opt("queued_at")?,
        accepted_at: opt("accepted_at")?,
        agent: r
            .try_get::<Option<i64>, _>("agent_id")
            .map_err(db_err)?
            .map(AgentId),
        ended_at: opt("ended_at")?,
    })
}

impl DbStore {
    async fn chat_by_client_id(
        &self,
        ticket: TicketId,
        client_id: &str,
    ) -> Result<Option<ChatMessage>> {
        let r = crate::store_impl::q(format!(
            "SELECT {CHAT_COLUMNS} FROM messages m JOIN chat_messages c ON c.message_id = m.id \
             WHERE c.ticket_id = $1 AND c.client_id = $2"
        ))
        .bind(ticket.0)
        .bind(client_id)
        .fetch_optional(crate::db::readers(self))
        .await
        .map_err(db_err)?;
        r.as_ref().map(chat_message).transpose()
    }
}

/// Writes a chat message's rows — the message (through `append_in`, which moves the ticket's
/// status and times as any message does) and its chat columns — inside a transaction or
/// savepoint the caller commits. A client id the conversation has already is a `Conflict`,
/// and the caller rolls back.
pub(crate) async fn write_chat_message(
    tx: &mut Transaction<'_, Db>,
    m: &NewChatMessage,
) -> Result<ChatMessage> {
    let ticket = m.message.ticket_id;
    let message = crate::store_impl::append_in(tx, &m.message).await?;
    sqlx::query(
        "INSERT INTO chat_messages (message_id, ticket_id, client_id, sender, cards) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(message.id.0)
    .bind(ticket.0)
    .bind(m.client_id.as_deref())
    .bind(m.sender.as_str())
    .bind(&m.cards)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(ChatMessage {
        id: message.id,
        ticket_id: ticket,
        client_id: m.client_id.clone(),
        sender: m.sender,
        agent: match message.author {
            domain::Author::Agent(a) => Some(a),
            _ => None,
        },
        body: message.body,
        cards: m.cards.clone(),
        secrets_removed: message.secrets_removed,
        created_at: message.created_at,
        delivered_at: None,
        read_at: None,
    })
}

#[async_trait]
impl ChatStore for DbStore {
    async fn create_chat(&self, c: NewChat) -> Result<Ticket> {
        let mut tx = write_tx(&self.pool).await?;
        let r = sqlx::query(
            "INSERT INTO tickets (requester, category, subject, status, priority, tags, \
             secret_exposed, lang, access_token, created_at, updated_at, first_response_due, \
             resolution_due, channel) \
             VALUES ($1, $2, $3, 'new', $4, '[]', FALSE, $5, $6, $7, $7, $8, $9, 'chat') \
             RETURNING *",
        )
        .bind(c.requester.as_str())
        .bind(c.category.as_str())
        .bind(c.subject.as_str())
        .bind(c.priority.as_str())
        .bind(c.lang.as_str())
        .bind(c.access_token.0.as_str())
        .bind(c.now.0)
        .bind(c.first_response_due.map(|d| d.0))
        .bind(c.resolution_due.map(|d| d.0))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let ticket = row::ticket(&r)?;
        sqlx::query("INSERT INTO chat_conversations (ticket_id, state) VALUES ($1, 'assistant')")
            .bind(ticket.id.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(ticket)
    }

    async fn conversation(&self, ticket: TicketId) -> Result<Conversation> {
        let r = sqlx::query("SELECT * FROM chat_conversations WHERE ticket_id = $1")
            .bind(ticket.0)
            .fetch_optional(crate::db::readers(self))
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        conversation(&r)
    }

    async fn append_chat_message(&self, m: NewChatMessage) -> Result<(ChatMessage, bool)> {
        let ticket = m.message.ticket_id;
        let client_id = m.client_id.clone();
        match crate::db::append_chat_message(self, m).await {
            Ok(message) => Ok((message, true)),
            // The client id is there already (a resend, or the same one twice at once): that
            // message is the answer, and nothing was written.
            Err(StoreError::Conflict(_)) if client_id.is_some() => {
                let cid = client_id.as_deref().unwrap_or_default();
                let old = self
                    .chat_by_client_id(ticket, cid)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok((old, false))
            }
            Err(e) => Err(e),
        }
    }

    async fn chat_message_by_client_id(
        &self,
        ticket: TicketId,
        client_id: &str,
    ) -> Result<Option<ChatMessage>> {
        self.chat_by_client_id(ticket, client_id).await
    }

    async fn chat_messages(
        &self,
        ticket: TicketId,
        after: Option<MessageId>,
    ) -> Result<Vec<ChatMessage>> {
        let rows = crate::store_impl::q(format!(
            "SELECT {CHAT_COLUMNS} FROM messages m LEFT JOIN chat_messages c \
             ON c.message_id = m.id WHERE m.ticket_id = $1 AND m.kind = $2 AND m.id > $3 \
             ORDER BY m.id"
        ))
        .bind(ticket.0)
        .bind(MessageKind::Public.as_str())
        .bind(after.map_or(0, |a| a.0))
        .fetch_all(crate::db::readers(self))
        .await
        .map_err(db_err)?;
        rows.iter().map(chat_message).collect()
    }

    async fn chat_times(&self, since: Timestamp, limit: u32) -> Result<Vec<ChatTimes>> {
        let rows = sqlx::query(
            "SELECT c.state, t.created_at, c.queued_at, c.accepted_at, c.ended_at, \
             t.first_response_at FROM chat_conversations c JOIN tickets t ON t.id = c.ticket_id \
             WHERE t.created_at >= $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2",
        )
        .bind(since.0)
        .bind(i64::from(limit))
        .fetch_all(crate::db::readers(self))
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state").map_err(db_err)?;
                let opt = |c: &str| -> Result<Option<Timestamp>> {
                    Ok(r.try_get::<Option<i64>, _>(c)
                        .map_err(db_err)?
                        .map(Timestamp))
                };
                Ok(ChatTimes {
                    state: ChatState::parse(&state)
                        .ok_or_else(|| bad(format_args!("state `{state}`")))?,
                    created_at: Timestamp(r.try_get("created_at").map_err(db_err)?),
                    queued_at: opt("queued_at")?,
                    accepted_at: opt("accepted_at")?,
                    ended_at: opt("ended_at")?,
                    first_response_at: opt("first_response_at")?,
                })
            })
            .collect()
    }

    async fn chats_with_agent(&self, agent: AgentId) -> Result<Vec<TicketId>> {
        let rows = sqlx::query(
            "SELECT ticket_id FROM chat_conversations WHERE state = 'agent' AND agent_id = $1 \
             ORDER BY ticket_id",
        )
        .bind(agent.0)
        .fetch_all(crate::db::readers(self))
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                r.try_get::<i64, _>("ticket_id")
                    .map(TicketId)
                    .map_err(db_err)
            })
            .collect()
    }

    async fn queue_chat(&self, ticket: TicketId, now: Timestamp) -> Result<Conversation> {
        let r = sqlx::query(
            "UPDATE chat_conversations SET state = 'queued', queued_at = COALESCE(queued_at, $2) \
             WHERE ticket_id = $1 AND state IN ('assistant', 'queued') RETURNING *",
        )
        .bind(ticket.0)
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        match r {
            Some(r) => conversation(&r),
            None => {
                let c = self.conversation(ticket).await?;
                Err(StoreError::Conflict(format!(
                    "chat is {}",
                    c.state.as_str()
                )))
            }
        }
    }

    async fn chat_queue(&self) -> Result<Vec<QueuedChat>> {
        let rows = sqlx::query(
            "SELECT c.ticket_id, c.queued_at, t.lang FROM chat_conversations c \
             JOIN tickets t ON t.id = c.ticket_id WHERE c.state = 'queued' \
             ORDER BY c.queued_at, c.ticket_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let lang: String = r.try_get("lang").map_err(db_err)?;
                Ok(QueuedChat {
                    ticket_id: TicketId(r.try_get("ticket_id").map_err(db_err)?),
                    lang: Lang::parse(&lang).map_err(bad)?,
                    queued_at: Timestamp(
                        r.try_get::<Option<i64>, _>("queued_at")
                            .map_err(db_err)?
                            .unwrap_or(0),
                    ),
                })
            })
            .collect()
    }

    async fn accept_chat(
        &self,
        ticket: TicketId,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<Conversation> {
        let mut tx = write_tx(&self.pool).await?;
        let r = sqlx::query(
            "UPDATE chat_conversations SET state = 'agent', agent_id = $2, accepted_at = $3 \
             WHERE ticket_id = $1 AND (state IN ('assistant', 'queued') \
             OR (state = 'agent' AND agent_id = $2)) RETURNING *",
        )
        .bind(ticket.0)
        .bind(agent.0)
        .bind(now.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(r) = r else {
            drop(tx);
            let c = self.conversation(ticket).await?;
            return Err(StoreError::Conflict(format!(
                "chat is {}",
                c.state.as_str()
            )));
        };
        let c = conversation(&r)?;
        sqlx::query(
            "UPDATE tickets SET assignee = $1, updated_at = $2, \
             status = CASE WHEN status = 'new' THEN 'open' ELSE status END WHERE id = $3",
        )
        .bind(agent.0)
        .bind(now.0)
        .bind(ticket.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(c)
    }

    async fn end_chat(&self, ticket: TicketId, now: Timestamp) -> Result<Conversation> {
        let r = sqlx::query(
            "UPDATE chat_conversations SET state = 'ended', ended_at = COALESCE(ended_at, $2) \
             WHERE ticket_id = $1 RETURNING *",
        )
        .bind(ticket.0)
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        conversation(&r)
    }

    async fn set_chat_requester(
        &self,
        ticket: TicketId,
        email: &domain::EmailAddress,
        now: Timestamp,
    ) -> Result<Ticket> {
        let r = sqlx::query(
            "UPDATE tickets SET requester = $1, updated_at = $2 \
             WHERE id = $3 AND channel = 'chat' RETURNING *",
        )
        .bind(email.as_str())
        .bind(now.0)
        .bind(ticket.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        row::ticket(&r)
    }

    async fn mark_chat_messages(
        &self,
        ticket: TicketId,
        reader: ChatSender,
        up_to: MessageId,
        read: bool,
        now: Timestamp,
    ) -> Result<u64> {
        // The user reads everyone else's messages; agents read the user's.
        let senders = if reader == ChatSender::User {
            "sender <> 'user'"
        } else {
            "sender = 'user'"
        };
        let set = if read {
            "delivered_at = COALESCE(delivered_at, $3), read_at = COALESCE(read_at, $3)"
        } else {
            "delivered_at = COALESCE(delivered_at, $3)"
        };
        let pending = if read {
            "read_at IS NULL"
        } else {
            "delivered_at IS NULL"
        };
        let done = crate::store_impl::q(format!(
            "UPDATE chat_messages SET {set} WHERE ticket_id = $1 AND message_id <= $2 \
             AND {senders} AND {pending}"
        ))
        .bind(ticket.0)
        .bind(up_to.0)
        .bind(now.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn attach_to_chat_message(
        &self,
        ticket: TicketId,
        attachment: domain::AttachmentId,
        message: MessageId,
    ) -> Result<store::Attachment> {
        // The message must be one of this chat's too: a client names only its own.
        let r = sqlx::query(
            "UPDATE attachments SET message_id = $1 \
             WHERE id = $2 AND ticket_id = $3 AND message_id IS NULL \
             AND EXISTS (SELECT 1 FROM messages WHERE id = $1 AND ticket_id = $3) \
             RETURNING *",
        )
        .bind(message.0)
        .bind(attachment.0)
        .bind(ticket.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        row::attachment(&r)
    }
}
