//! [`TicketStore`]: tickets, messages, attachments, the inbox's views, merges. Also the writes
//! other areas build on: `write_ticket` (a new ticket's rows) and `append_in` (a message and what
//! it does to its ticket's status). Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::sla::SlaPolicy;
use domain::{
    AgentId, AttachmentId, Author, MessageId, MessageKind, Priority, Redacted, Status, TicketId,
    Timestamp,
};
use sqlx::Transaction;
use store::{
    Attachment, Message, NewAttachment, NewMessage, NewTicket, Result, StoreError, Ticket,
    TicketPage, TicketQuery, TicketStore, TicketUpdate, TokenHash, View, ViewCounts,
};

use crate::db::{Db, DbStore, LOCK_ROW, write_tx};
use crate::outbox::insert_mail;
use crate::row::{self, author_columns, db_err};
use crate::sql::{self, Arg, Sql, TICKET_COLUMNS};
use crate::store_impl::q;

/// A ticket read inside a write transaction, locked until it ends (see `db::LOCK_ROW`), so
/// that what the transaction writes back cannot undo a concurrent change.
pub(crate) async fn ticket_in(tx: &mut Transaction<'_, Db>, id: TicketId) -> Result<Ticket> {
    let r = q(format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = $1{LOCK_ROW}"
    ))
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err)?;
    row::ticket(&r)
}

async fn insert_message(tx: &mut Transaction<'_, Db>, m: &NewMessage) -> Result<Message> {
    let (author_type, author_agent) = author_columns(m.author);
    let r = sqlx::query(
        "INSERT INTO messages (ticket_id, author_type, author_agent, kind, body, \
         secrets_removed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
    )
    .bind(m.ticket_id.0)
    .bind(author_type)
    .bind(author_agent)
    .bind(m.kind.as_str())
    .bind(m.body.as_str())
    .bind(i64::from(m.secrets_removed))
    .bind(m.now.0)
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err)?;
    row::message(&r)
}

/// A message and what it does to its ticket's status, inside the caller's transaction
/// (`append_message`, and `append_message_with_mails` in `notify.rs`).
pub(crate) async fn append_in(tx: &mut Transaction<'_, Db>, m: &NewMessage) -> Result<Message> {
    let cur = ticket_in(tx, m.ticket_id).await?;
    let message = insert_message(tx, m).await?;
    let (mut status, mut first_response_at, mut solved_at) =
        (cur.status, cur.first_response_at, cur.solved_at);
    match (m.author, m.kind) {
        (Author::Agent(_), MessageKind::Public) => {
            first_response_at = first_response_at.or(Some(m.now));
            if status == Status::New {
                status = Status::Open;
            }
        }
        (Author::User, _) if matches!(status, Status::WaitingOnUser | Status::Solved) => {
            status = Status::Open;
            solved_at = None;
        }
        _ => {}
    }
    sqlx::query(
        "UPDATE tickets SET status = $1, first_response_at = $2, solved_at = $3, \
             updated_at = $4 WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(first_response_at.map(|t| t.0))
    .bind(solved_at.map(|t| t.0))
    .bind(m.now.0)
    .bind(m.ticket_id.0)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(message)
}

/// Writes a new ticket's rows — the ticket, its first message, its mail — on a connection
/// inside a transaction (or savepoint) that the caller commits. Three statements; the ticket
/// comes back from `RETURNING`, so nothing is read again.
pub(crate) async fn write_ticket(
    conn: &mut <Db as sqlx::Database>::Connection,
    t: &NewTicket,
) -> Result<Ticket> {
    let r = sqlx::query(
        "INSERT INTO tickets (requester, category, subject, chain, tx_hash, address, \
         app_version, device_os, status, priority, tags, secret_exposed, lang, access_token, \
         created_at, updated_at, first_response_due, resolution_due, channel) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', $9, '[]', $10, $11, $12, $13, $13, \
         $14, $15, $16) RETURNING *",
    )
    .bind(t.requester.as_str())
    .bind(t.category.as_str())
    .bind(t.subject.as_str())
    .bind(t.fields.chain.as_deref())
    .bind(t.fields.tx_hash.as_deref())
    .bind(t.fields.address.as_deref())
    .bind(t.fields.app_version.as_ref().map(Redacted::as_str))
    .bind(t.fields.device_os.as_ref().map(Redacted::as_str))
    .bind(t.priority.as_str())
    .bind(t.secret_exposed)
    .bind(t.lang.as_str())
    .bind(t.access_token.0.as_str())
    .bind(t.now.0)
    .bind(t.first_response_due.map(|d| d.0))
    .bind(t.resolution_due.map(|d| d.0))
    .bind(t.channel.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let ticket = row::ticket(&r)?;
    let (author_type, author_agent) = author_columns(Author::User);
    sqlx::query(
        "INSERT INTO messages (ticket_id, author_type, author_agent, kind, body, \
         secrets_removed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ticket.id.0)
    .bind(author_type)
    .bind(author_agent)
    .bind(MessageKind::Public.as_str())
    .bind(t.body.as_str())
    // NewTicket carries only whether something was removed, not how much.
    .bind(i64::from(u32::from(t.secret_exposed)))
    .bind(t.now.0)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    if let Some(mail) = &t.mail {
        insert_mail(&mut *conn, mail.build(&ticket)).await?;
    }
    Ok(ticket)
}

fn tags_json(tags: &[String]) -> Result<String> {
    serde_json::to_string(tags).map_err(|e| StoreError::Backend(e.to_string()))
}

/// What the SLA rule needs of a ticket whose priority becomes `priority`.
fn timer_state(t: &Ticket, priority: Priority) -> domain::sla::TimerState {
    domain::sla::TimerState {
        created: t.created_at,
        priority,
        first_response_at: t.first_response_at,
        first_response_due: t.first_response_due,
        solved_at: t.solved_at,
        resolution_due: t.resolution_due,
    }
}

#[async_trait]
impl TicketStore for DbStore {
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        crate::db::create_ticket(self, t).await
    }

    async fn ticket(&self, id: TicketId) -> Result<Ticket> {
        let r = q(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = $1"
        ))
        .bind(id.0)
        .fetch_one(crate::db::readers(self))
        .await
        .map_err(db_err)?;
        row::ticket(&r)
    }

    async fn ticket_by_access_token(&self, token: &TokenHash) -> Result<Ticket> {
        let r = q(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.access_token = $1 \
             OR t.id = (SELECT l.ticket_id FROM ticket_links l WHERE l.token_hash = $1)"
        ))
        .bind(token.0.as_str())
        .fetch_one(crate::db::readers(self))
        .await
        .map_err(db_err)?;
        row::ticket(&r)
    }

    async fn tickets_for_view(&self, query: &TicketQuery) -> Result<TicketPage> {
        let mut count = Sql::new("SELECT COUNT(*) AS n FROM tickets t");
        sql::push_ticket_filter(&mut count, query);
        let total = row::u64_count(
            &count.query().fetch_one(&self.pool).await.map_err(db_err)?,
            "n",
        )?;

        let mut page = Sql::new(&format!("SELECT {TICKET_COLUMNS} FROM tickets t"));
        sql::push_ticket_filter(&mut page, query);
        page.push(" ORDER BY t.updated_at DESC, t.id DESC LIMIT ")
            .bind(Arg::Int(i64::from(query.limit)))
            .push(" OFFSET ")
            .bind(Arg::Int(i64::from(query.offset)));
        let tickets = page
            .query()
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::ticket)
            .collect::<Result<Vec<_>>>()?;
        Ok(TicketPage { tickets, total })
    }

    async fn view_counts(&self, agent: AgentId, now: Timestamp) -> Result<ViewCounts> {
        let mut s = Sql::new("SELECT ");
        let views = [
            ("all_n", View::All),
            ("unassigned_n", View::Unassigned),
            ("mine_n", View::Mine(agent)),
            ("urgent_n", View::Urgent),
            ("secret_exposed_n", View::SecretExposed),
            ("sla_at_risk_n", View::SlaAtRisk),
        ];
        for (name, view) in views {
            let c = sql::view_condition(&mut s, view, now);
            s.push(&format!("COUNT(*) FILTER (WHERE {c}) AS {name}, "));
        }
        let n = s.arg(Arg::Int(now.0));
        s.push(&format!(
            "COUNT(*) FILTER (WHERE {}) AS sla_breached_n FROM tickets t",
            sql::breached(&n)
        ));
        let r = s.query().fetch_one(&self.pool).await.map_err(db_err)?;
        Ok(ViewCounts {
            all: row::u64_count(&r, "all_n")?,
            unassigned: row::u64_count(&r, "unassigned_n")?,
            mine: row::u64_count(&r, "mine_n")?,
            urgent: row::u64_count(&r, "urgent_n")?,
            secret_exposed: row::u64_count(&r, "secret_exposed_n")?,
            sla_at_risk: row::u64_count(&r, "sla_at_risk_n")?,
            sla_breached: row::u64_count(&r, "sla_breached_n")?,
        })
    }

    async fn update_ticket(&self, id: TicketId, u: TicketUpdate, now: Timestamp) -> Result<Ticket> {
        let mut tx = write_tx(&self.pool).await?;
        let cur = ticket_in(&mut tx, id).await?;
        let status = u.status.unwrap_or(cur.status);
        let (solved_at, closed_at) = if status == cur.status {
            (cur.solved_at, cur.closed_at)
        } else {
            match status {
                Status::Solved => (Some(now), None),
                // Closing ends the resolution timer too.
                Status::Closed => (cur.solved_at.or(Some(now)), Some(now)),
                Status::New | Status::Open | Status::WaitingOnUser => (None, None),
            }
        };
        let tags = match &u.tags {
            Some(t) => tags_json(&t.iter().map(|t| t.as_str().to_owned()).collect::<Vec<_>>())?,
            None => tags_json(&cur.tags)?,
        };
        let priority = u.priority.unwrap_or(cur.priority);
        let (first_due, resolution_due) = match &u.sla {
            Some(policy) if priority != cur.priority => {
                policy.dues_after_priority_change(&timer_state(&cur, priority))
            }
            _ => (cur.first_response_due, cur.resolution_due),
        };
        sqlx::query(
            "UPDATE tickets SET status = $1, priority = $2, assignee = $3, tags = $4, \
             category = $5, solved_at = $6, closed_at = $7, updated_at = $8, \
             first_response_due = $10, resolution_due = $11, subject = $12 WHERE id = $9",
        )
        .bind(status.as_str())
        .bind(priority.as_str())
        .bind(u.assignee.unwrap_or(cur.assignee).map(|a| a.0))
        .bind(tags)
        .bind(u.category.unwrap_or(cur.category).as_str())
        .bind(solved_at.map(|t| t.0))
        .bind(closed_at.map(|t| t.0))
        .bind(now.0)
        .bind(id.0)
        .bind(first_due.map(|t| t.0))
        .bind(resolution_due.map(|t| t.0))
        .bind(
            u.subject
                .as_ref()
                .map_or(cur.subject.as_str(), Redacted::as_str),
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let ticket = ticket_in(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ticket)
    }

    async fn mark_secret_exposed(
        &self,
        id: TicketId,
        sla: &SlaPolicy,
        now: Timestamp,
    ) -> Result<Ticket> {
        let mut tx = write_tx(&self.pool).await?;
        let cur = ticket_in(&mut tx, id).await?;
        let (first_due, resolution_due) = if cur.priority == Priority::Urgent {
            (cur.first_response_due, cur.resolution_due)
        } else {
            sla.dues_after_priority_change(&timer_state(&cur, Priority::Urgent))
        };
        sqlx::query(
            "UPDATE tickets SET secret_exposed = TRUE, priority = 'urgent', updated_at = $1, \
             first_response_due = $3, resolution_due = $4 WHERE id = $2",
        )
        .bind(now.0)
        .bind(id.0)
        .bind(first_due.map(|t| t.0))
        .bind(resolution_due.map(|t| t.0))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let ticket = ticket_in(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ticket)
    }

    async fn append_message(&self, m: NewMessage) -> Result<Message> {
        let mut tx = write_tx(&self.pool).await?;
        let message = append_in(&mut tx, &m).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(message)
    }

    async fn redact_message(
        &self,
        id: MessageId,
        body: Redacted,
        secrets_removed: u32,
        now: Timestamp,
    ) -> Result<Message> {
        let mut tx = write_tx(&self.pool).await?;
        let r = sqlx::query(
            "UPDATE messages SET body = $1, secrets_removed = secrets_removed + $2 \
             WHERE id = $3 RETURNING *",
        )
        .bind(body.as_str())
        .bind(i64::from(secrets_removed))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        let message = row::message(&r)?;
        // That it happened and where; never the text, before or after.
        sqlx::query(
            "INSERT INTO audit_log (actor, action, target, detail, at) \
             VALUES (NULL, 'message.redacted', $1, $2, $3)",
        )
        .bind(message.ticket_id.to_string())
        .bind(format!(
            "message {id}: {secrets_removed} secret(s) found with a later message removed"
        ))
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(message)
    }

    async fn messages(&self, ticket: TicketId, include_notes: bool) -> Result<Vec<Message>> {
        // Make "no such ticket" an error rather than an empty conversation.
        self.ticket(ticket).await?;
        sqlx::query(
            "SELECT * FROM messages WHERE ticket_id = $1 AND (kind = 'public' OR $2) \
             ORDER BY created_at, id",
        )
        .bind(ticket.0)
        .bind(include_notes)
        .fetch_all(crate::db::readers(self))
        .await
        .map_err(db_err)?
        .iter()
        .map(row::message)
        .collect()
    }

    async fn recent_messages(
        &self,
        ticket: TicketId,
        by_user: bool,
        include_notes: bool,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<Message>> {
        sqlx::query(
            "SELECT * FROM (SELECT * FROM messages WHERE ticket_id = $1 \
             AND (kind = 'public' OR $2) AND author_type = $3 AND created_at >= $4 \
             ORDER BY created_at DESC, id DESC LIMIT $5) AS recent ORDER BY created_at, id",
        )
        .bind(ticket.0)
        .bind(include_notes)
        .bind(if by_user { "user" } else { "agent" })
        .bind(since.0)
        .bind(i64::from(limit))
        .fetch_all(crate::db::readers(self))
        .await
        .map_err(db_err)?
        .iter()
        .map(row::message)
        .collect()
    }

    async fn merge_tickets(
        &self,
        from: TicketId,
        into: TicketId,
        now: Timestamp,
    ) -> Result<Ticket> {
        if from == into {
            return Err(StoreError::Conflict(format!(
                "ticket {from} cannot be merged into itself"
            )));
        }
        let mut tx = write_tx(&self.pool).await?;
        // Lock in id order, so two merges of the same pair cannot wait on each other.
        let (source, target) = if from < into {
            let s = ticket_in(&mut tx, from).await?;
            (s, ticket_in(&mut tx, into).await?)
        } else {
            let t = ticket_in(&mut tx, into).await?;
            (ticket_in(&mut tx, from).await?, t)
        };
        if source.merged_into.is_some() {
            return Err(StoreError::Conflict(format!(
                "ticket {from} was already merged"
            )));
        }
        if target.merged_into.is_some() {
            return Err(StoreError::Conflict(format!(
                "ticket {into} was merged into another"
            )));
        }
        for table in ["messages", "attachments"] {
            q(format!(
                "UPDATE {table} SET ticket_id = $1 WHERE ticket_id = $2"
            ))
            .bind(into.0)
            .bind(from.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        sqlx::query(
            "UPDATE tickets SET status = 'closed', merged_into = $1, closed_at = $2, \
             solved_at = COALESCE(solved_at, $2), updated_at = $2 WHERE id = $3",
        )
        .bind(into.0)
        .bind(now.0)
        .bind(from.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("UPDATE tickets SET updated_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(into.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for (ticket, text) in [
            (from, format!("Merged into #{into}.")),
            (into, format!("#{from} was merged into this ticket.")),
        ] {
            insert_message(
                &mut tx,
                &NewMessage {
                    ticket_id: ticket,
                    author: Author::System,
                    kind: MessageKind::Note,
                    body: Redacted::from_stored(text),
                    secrets_removed: 0,
                    now,
                },
            )
            .await?;
        }
        let merged = ticket_in(&mut tx, into).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(merged)
    }

    async fn close_solved(&self, solved_before: Timestamp, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE tickets SET status = 'closed', closed_at = $1, updated_at = $1 \
             WHERE status = 'solved' AND solved_at < $2",
        )
        .bind(now.0)
        .bind(solved_before.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn add_attachment(&self, a: NewAttachment) -> Result<Attachment> {
        let r = sqlx::query(
            "INSERT INTO attachments (ticket_id, message_id, filename, content_type, size, \
             sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
        )
        .bind(a.ticket_id.0)
        .bind(a.message_id.map(|m| m.0))
        .bind(a.filename)
        .bind(a.content_type)
        .bind(a.size)
        .bind(a.sha256)
        .bind(a.now.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        row::attachment(&r)
    }

    async fn attachments(&self, ticket: TicketId) -> Result<Vec<Attachment>> {
        sqlx::query("SELECT * FROM attachments WHERE ticket_id = $1 ORDER BY id")
            .bind(ticket.0)
            .fetch_all(crate::db::readers(self))
            .await
            .map_err(db_err)?
            .iter()
            .map(row::attachment)
            .collect()
    }

    async fn attachment(&self, id: AttachmentId) -> Result<Attachment> {
        let r = sqlx::query("SELECT * FROM attachments WHERE id = $1")
            .bind(id.0)
            .fetch_one(crate::db::readers(self))
            .await
            .map_err(db_err)?;
        row::attachment(&r)
    }
}
