//! Every [`Store`] method, written once for both backends.
//!
//! This file is compiled into `walletdesk-store-sqlite` and `walletdesk-store-postgres` alike
//! (`#[path]` modules, see `README.md`), each time against that crate's `db` module: its
//! `Db`/`Pool`/`Row` types, its store type, its `write_tx` and its dialect hooks. The SQL is the
//! same text on both: numbered `$N` placeholders, `RETURNING`, `ON CONFLICT … DO UPDATE`.

use async_trait::async_trait;
use domain::sla::SlaPolicy;
use domain::{
    AgentId, ApiTokenId, ArticleId, AttachmentId, Author, CannedReplyId, EmailAddress, Lang,
    MessageId, MessageKind, Priority, Redacted, Role, Status, TicketId, Timestamp,
};
use sqlx::{AssertSqlSafe, Row as _, Transaction};
use store::{
    AddressChallenge, Agent, ApiToken, Article, ArticleDraft, ArticleFeedback, ArticleStatus,
    ArticleVersion, Attachment, AuditEntry, CannedReply, DeflectionReport, HelpEventKind,
    IdempotencyClaim, IdempotentReply, LogTable, MailCounts, MailFailure, Message,
    NewAddressChallenge, NewAgent, NewAttachment, NewMail, NewMessage, NewTicket, OutboxMail,
    RatingEntry, Result, SearchLogEntry, SearchReport, Session, Store, StoreError, Ticket,
    TicketPage, TicketQuery, TicketUpdate, TokenHash, View, ViewCounts,
};

use crate::db::{Args, Db, DbStore, LOCK_ROW, Row, write_tx};
use crate::row::{author_columns, db_err};
use crate::sql::{Arg, Sql, TICKET_COLUMNS};
use crate::{help, row, sql};

/// The settings key the SLA policy is kept under.
const SLA_POLICY_KEY: &str = "sla_policy";

pub(crate) fn q(s: String) -> sqlx::query::Query<'static, Db, Args> {
    sqlx::query(AssertSqlSafe(s))
}

/// A ticket read inside a write transaction, locked until it ends (see `db::LOCK_ROW`), so
/// that what the transaction writes back cannot undo a concurrent change.
async fn ticket_in(tx: &mut Transaction<'static, Db>, id: TicketId) -> Result<Ticket> {
    let r = q(format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = $1{LOCK_ROW}"
    ))
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err)?;
    row::ticket(&r)
}

async fn insert_message(tx: &mut Transaction<'static, Db>, m: &NewMessage) -> Result<Message> {
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
pub(crate) async fn append_in(
    tx: &mut Transaction<'static, Db>,
    m: &NewMessage,
) -> Result<Message> {
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

pub(crate) async fn insert_mail(
    conn: &mut <Db as sqlx::Database>::Connection,
    m: NewMail,
) -> Result<Row> {
    // The Message-ID's local part, fixed now so every try sends the same one. A ticket's first
    // mail is the thread root (`t<ticket>.<created>`: the ticket's later mails refer to it);
    // any other is `o<row>.<created>`, which needs the row's id, hence the second statement.
    // The time keeps ids apart when a database is started afresh under the same domain.
    let root = match (m.kind.as_str(), m.ticket_id) {
        ("ticket_created", Some(t)) => Some(format!("t{}.{}", t.0, m.now.0)),
        _ => None,
    };
    let row = sqlx::query(
        "INSERT INTO outbox (to_addr, subject, body_text, kind, ticket_id, created_at, \
         link_seed, message_id, lang) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
    )
    .bind(m.to.as_str())
    .bind(m.subject.into_string())
    .bind(m.body_text.into_string())
    .bind(m.kind)
    .bind(m.ticket_id.map(|t| t.0))
    .bind(m.now.0)
    .bind(m.link_seed)
    .bind(root.clone())
    .bind(m.lang.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    if root.is_some() {
        return Ok(row);
    }
    sqlx::query(
        "UPDATE outbox SET message_id = 'o' || CAST(id AS TEXT) || '.' || CAST(created_at AS TEXT) \
         WHERE id = $1 RETURNING *",
    )
    .bind(row.try_get::<i64, _>("id").map_err(db_err)?)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

fn tags_json(tags: &[String]) -> Result<String> {
    serde_json::to_string(tags).map_err(|e| StoreError::Backend(e.to_string()))
}

fn not_found_if_none(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl Store for DbStore {
    fn backend(&self) -> &'static str {
        crate::db::NAME
    }

    fn cluster(&self) -> Option<std::sync::Arc<dyn store::Cluster>> {
        crate::db::cluster(self)
    }

    async fn migrate(&self) -> Result<()> {
        crate::db::MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Agents and sessions

    async fn create_agent(&self, a: NewAgent, now: Timestamp) -> Result<Agent> {
        let r = sqlx::query(
            "INSERT INTO agents (email, email_key, name, role, password_hash, active, lang, \
             created_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7) RETURNING *",
        )
        .bind(a.email.as_str())
        .bind(a.email.as_str().to_lowercase())
        .bind(a.name.as_str())
        .bind(a.role.as_str())
        .bind(a.password_hash)
        .bind(a.lang.as_str())
        .bind(now.0)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("an agent with e-mail {} exists", a.email))
            }
            other => other,
        })?;
        row::agent(&r)
    }

    async fn agent(&self, id: AgentId) -> Result<Agent> {
        let r = sqlx::query("SELECT * FROM agents WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        row::agent(&r)
    }

    async fn agent_by_email(&self, email: &EmailAddress) -> Result<Agent> {
        let r = sqlx::query("SELECT * FROM agents WHERE email_key = $1")
            .bind(email.as_str().to_lowercase())
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        row::agent(&r)
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        sqlx::query("SELECT * FROM agents ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::agent)
            .collect()
    }

    async fn count_agents(&self) -> Result<u64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM agents")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        row::u64_count(&r, "n")
    }

    async fn update_agent(
        &self,
        id: AgentId,
        name: Option<Redacted>,
        role: Option<Role>,
        active: Option<bool>,
        lang: Option<Lang>,
    ) -> Result<Agent> {
        let r = sqlx::query(
            "UPDATE agents SET name = COALESCE($1, name), role = COALESCE($2, role), \
             active = COALESCE($3, active), lang = COALESCE($4, lang) WHERE id = $5 RETURNING *",
        )
        .bind(name.map(Redacted::into_string))
        .bind(role.map(Role::as_str))
        .bind(active)
        .bind(lang.map(Lang::as_str))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        row::agent(&r)
    }

    async fn set_agent_password(&self, id: AgentId, password_hash: String) -> Result<()> {
        let done = sqlx::query("UPDATE agents SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn create_session(&self, token: &TokenHash, s: Session) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, agent_id, created_at, expires_at, csrf, verified, \
             factor_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token.0.as_str())
        .bind(s.agent_id.0)
        .bind(s.created_at.0)
        .bind(s.expires_at.0)
        .bind(s.csrf)
        .bind(s.verified)
        .bind(s.factor_at.map(|t| t.0))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn session(&self, token: &TokenHash, now: Timestamp) -> Result<Session> {
        let r = sqlx::query("SELECT * FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(token.0.as_str())
            .bind(now.0)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        row::session(&r)
    }

    async fn delete_session(&self, token: &TokenHash) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token.0.as_str())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_sign_in_link(
        &self,
        token: &TokenHash,
        agent: AgentId,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sign_in_links (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token.0.as_str())
        .bind(agent.0)
        .bind(expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn consume_sign_in_link(&self, token: &TokenHash, now: Timestamp) -> Result<AgentId> {
        // One statement, so two concurrent uses cannot both succeed.
        let r = sqlx::query(
            "UPDATE sign_in_links SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING agent_id",
        )
        .bind(now.0)
        .bind(token.0.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(AgentId(sqlx::Row::try_get(&r, "agent_id").map_err(db_err)?))
    }

    async fn sign_in_link_agent(&self, token: &TokenHash, now: Timestamp) -> Result<AgentId> {
        let r = sqlx::query(
            "SELECT agent_id FROM sign_in_links \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token.0.as_str())
        .bind(now.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(AgentId(sqlx::Row::try_get(&r, "agent_id").map_err(db_err)?))
    }

    async fn create_api_token(
        &self,
        token: &TokenHash,
        agent: AgentId,
        name: Redacted,
        now: Timestamp,
    ) -> Result<ApiToken> {
        let r = sqlx::query(
            "INSERT INTO api_tokens (token_hash, agent_id, name, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING *",
        )
        .bind(token.0.as_str())
        .bind(agent.0)
        .bind(name.into_string())
        .bind(now.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        row::api_token(&r)
    }

    async fn api_tokens(&self, agent: AgentId) -> Result<Vec<ApiToken>> {
        sqlx::query("SELECT * FROM api_tokens WHERE agent_id = $1 ORDER BY id")
            .bind(agent.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::api_token)
            .collect()
    }

    async fn agent_for_api_token(&self, token: &TokenHash, now: Timestamp) -> Result<Agent> {
        let r = sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 RETURNING agent_id",
        )
        .bind(now.0)
        .bind(token.0.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        let id: i64 = sqlx::Row::try_get(&r, "agent_id").map_err(db_err)?;
        self.agent(AgentId(id)).await
    }

    async fn revoke_api_token(&self, agent: AgentId, id: ApiTokenId) -> Result<()> {
        let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND agent_id = $2")
            .bind(id.0)
            .bind(agent.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    // -----------------------------------------------------------------------------------------
    // Tickets

    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        crate::db::create_ticket(self, t).await
    }

    async fn ticket(&self, id: TicketId) -> Result<Ticket> {
        let r = q(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
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
        .fetch_one(&self.pool)
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
             first_response_due = $10, resolution_due = $11 WHERE id = $9",
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

    async fn save_article(&self, d: ArticleDraft) -> Result<Article> {
        help::save_article(&self.pool, d).await
    }

    async fn set_article_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
        now: Timestamp,
    ) -> Result<Article> {
        help::set_article_status(&self.pool, id, status, now).await
    }

    async fn article(&self, id: ArticleId) -> Result<Article> {
        help::article_by_id(&self.pool, id).await
    }

    async fn article_by_slug(&self, slug: &str, lang: Lang) -> Result<Article> {
        help::article_by_slug(&self.pool, slug, lang).await
    }

    async fn articles(&self, lang: Option<Lang>, published_only: bool) -> Result<Vec<Article>> {
        help::articles(&self.pool, lang, published_only).await
    }

    async fn article_versions(&self, id: ArticleId) -> Result<Vec<ArticleVersion>> {
        help::article_versions(&self.pool, id).await
    }

    async fn restore_article_version(
        &self,
        id: ArticleId,
        version: i64,
        author: Option<AgentId>,
        now: Timestamp,
    ) -> Result<Article> {
        help::restore_article_version(&self.pool, id, version, author, now).await
    }

    async fn record_article_view(&self, id: ArticleId) -> Result<()> {
        help::record_article_view(&self.pool, id).await
    }

    async fn record_article_feedback(
        &self,
        id: ArticleId,
        helpful: bool,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<()> {
        help::record_article_feedback(&self.pool, id, helpful, comment, now).await
    }

    async fn article_feedback(&self, id: ArticleId, limit: u32) -> Result<Vec<ArticleFeedback>> {
        help::article_feedback(&self.pool, id, limit).await
    }

    async fn log_search(&self, e: SearchLogEntry) -> Result<()> {
        help::log_search(&self.pool, &e).await
    }

    async fn log_searches(&self, entries: &[SearchLogEntry]) -> Result<()> {
        help::log_searches(&self.pool, entries).await
    }

    async fn log_help_event(
        &self,
        visitor: &str,
        kind: HelpEventKind,
        article: Option<ArticleId>,
        now: Timestamp,
    ) -> Result<()> {
        help::log_help_event(&self.pool, visitor, kind, article, now).await
    }

    async fn search_report(&self, since: Timestamp, limit: u32) -> Result<SearchReport> {
        help::search_report(&self.pool, since, limit).await
    }

    async fn deflection_report(&self, since: Timestamp) -> Result<DeflectionReport> {
        help::deflection_report(&self.pool, since).await
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
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::message)
        .collect()
    }

    async fn rate_ticket(
        &self,
        id: TicketId,
        score: u8,
        comment: Option<Redacted>,
        now: Timestamp,
    ) -> Result<Ticket> {
        if !(1..=5).contains(&score) {
            return Err(StoreError::Conflict(format!(
                "a rating is 1 to 5, not {score}"
            )));
        }
        let mut tx = write_tx(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE tickets SET rating_score = $1, rating_comment = $2, rated_at = $3, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(i64::from(score))
        .bind(comment.map(Redacted::into_string))
        .bind(now.0)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())?;
        let ticket = ticket_in(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ticket)
    }

    async fn ratings_since(&self, since: Timestamp, limit: u32) -> Result<Vec<RatingEntry>> {
        sqlx::query(
            "SELECT id, assignee, rating_score, rated_at FROM tickets \
             WHERE rated_at >= $1 AND rating_score IS NOT NULL \
             ORDER BY rated_at, id LIMIT $2",
        )
        .bind(since.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::rating_entry)
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
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::attachment)
            .collect()
    }

    async fn attachment(&self, id: AttachmentId) -> Result<Attachment> {
        let r = sqlx::query("SELECT * FROM attachments WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        row::attachment(&r)
    }

    // -----------------------------------------------------------------------------------------
    // Configuration kept in the database

    async fn sla_policy(&self) -> Result<SlaPolicy> {
        match self.setting(SLA_POLICY_KEY).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Backend(format!("stored SLA policy: {e}"))),
            None => Ok(SlaPolicy::default()),
        }
    }

    async fn set_sla_policy(&self, p: &SlaPolicy) -> Result<()> {
        let json = serde_json::to_string(p).map_err(|e| StoreError::Backend(e.to_string()))?;
        // Numbers and keys only; through the same door as every stored text all the same.
        self.set_setting(SLA_POLICY_KEY, &Redacted::clean(&json))
            .await
    }

    async fn canned_replies(&self) -> Result<Vec<CannedReply>> {
        sqlx::query("SELECT * FROM canned_replies ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::canned_reply)
            .collect()
    }

    async fn save_canned_reply(
        &self,
        id: Option<CannedReplyId>,
        title: Redacted,
        body: Redacted,
        lang: Lang,
    ) -> Result<CannedReply> {
        let (title, body) = (title.into_string(), body.into_string());
        let r = match id {
            None => sqlx::query(
                "INSERT INTO canned_replies (title, body, lang) VALUES ($1, $2, $3) RETURNING *",
            )
            .bind(title)
            .bind(body)
            .bind(lang.as_str())
            .fetch_one(&self.pool)
            .await,
            Some(id) => {
                sqlx::query(
                    "UPDATE canned_replies SET title = $1, body = $2, lang = $3 WHERE id = $4 \
                 RETURNING *",
                )
                .bind(title)
                .bind(body)
                .bind(lang.as_str())
                .bind(id.0)
                .fetch_one(&self.pool)
                .await
            }
        }
        .map_err(db_err)?;
        row::canned_reply(&r)
    }

    async fn delete_canned_reply(&self, id: CannedReplyId) -> Result<()> {
        let done = sqlx::query("DELETE FROM canned_replies WHERE id = $1")
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>> {
        let r = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        r.map(|r| sqlx::Row::try_get(&r, "value").map_err(db_err))
            .transpose()
    }

    async fn set_setting(&self, key: &str, value: &Redacted) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value.as_str())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Audit and outbox

    async fn audit(
        &self,
        actor: Option<AgentId>,
        action: &str,
        target: Option<&str>,
        detail: &Redacted,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (actor, action, target, detail, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(actor.map(|a| a.0))
        .bind(action)
        .bind(target)
        .bind(detail.as_str())
        .bind(now.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditEntry>> {
        sqlx::query("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2")
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(row::audit_entry)
            .collect()
    }

    async fn create_address_challenge(&self, c: NewAddressChallenge) -> Result<AddressChallenge> {
        let r = sqlx::query(
            "INSERT INTO address_challenges (ticket_id, address, nonce, message, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
        )
        .bind(c.ticket_id.0)
        .bind(c.address)
        .bind(c.nonce)
        .bind(c.message)
        .bind(c.now.0)
        .bind(c.expires_at.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        row::address_challenge(&r)
    }

    async fn open_address_challenge(
        &self,
        ticket: TicketId,
        now: Timestamp,
    ) -> Result<Option<AddressChallenge>> {
        sqlx::query(
            "SELECT * FROM address_challenges WHERE ticket_id = $1 AND verified_at IS NULL \
             AND expires_at > $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(ticket.0)
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(row::address_challenge)
        .transpose()
    }

    async fn consume_address_challenge(
        &self,
        id: i64,
        method: &str,
        now: Timestamp,
    ) -> Result<AddressChallenge> {
        // One statement: of two concurrent uses, only one finds the row still open.
        let used = sqlx::query(
            "UPDATE address_challenges SET verified_at = $1, method = $2 \
             WHERE id = $3 AND verified_at IS NULL AND expires_at > $1 RETURNING *",
        )
        .bind(now.0)
        .bind(method)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        if let Some(r) = used {
            return row::address_challenge(&r);
        }
        let exists = sqlx::query("SELECT id FROM address_challenges WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        match exists {
            Some(_) => Err(StoreError::Conflict(
                "the challenge was already used or has expired".to_owned(),
            )),
            None => Err(StoreError::NotFound),
        }
    }

    async fn address_proofs(&self, ticket: TicketId) -> Result<Vec<AddressChallenge>> {
        sqlx::query(
            "SELECT * FROM address_challenges WHERE ticket_id = $1 AND verified_at IS NOT NULL \
             ORDER BY verified_at DESC, id DESC",
        )
        .bind(ticket.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::address_challenge)
        .collect()
    }

    async fn enqueue_mail(&self, m: NewMail) -> Result<OutboxMail> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        row::outbox_mail(&insert_mail(&mut conn, m).await?)
    }

    async fn pending_mail(&self, limit: u32) -> Result<Vec<OutboxMail>> {
        sqlx::query(
            "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::outbox_mail)
        .collect()
    }

    async fn mark_mail_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE outbox SET sent_at = COALESCE(sent_at, $1), lease_until = NULL, \
             failed_at = NULL WHERE id = $2",
        )
        .bind(now.0)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn claim_due_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxMail>> {
        // The conditions stand in the outer WHERE as well as in the choice: on PostgreSQL a
        // second claimer that waited for the first's row locks re-checks them on the rows as
        // the first left them, and so skips every mail the first has just leased. SQLite has
        // one writer at a time.
        let mut rows = sqlx::query(
            "UPDATE outbox SET lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                 AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) \
                 ORDER BY next_attempt_at, id LIMIT $3) \
             AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) RETURNING *",
        )
        .bind(now.0)
        .bind(lease_until.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::outbox_mail)
        .collect::<Result<Vec<_>>>()?;
        rows.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(rows)
    }

    async fn mail_attempt_failed(
        &self,
        id: i64,
        failure: MailFailure,
        now: Timestamp,
    ) -> Result<()> {
        let (next, failed_at) = match failure.retry_at {
            Some(at) => (at.0, None),
            None => (now.0, Some(now.0)),
        };
        let done = sqlx::query(
            "UPDATE outbox SET lease_until = NULL, last_error = $2, next_attempt_at = $3, \
             failed_at = $4 WHERE id = $1 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(failure.error)
        .bind(next)
        .bind(failed_at)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn failed_mail(&self, limit: u32) -> Result<Vec<OutboxMail>> {
        sqlx::query(
            "SELECT * FROM outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL \
             ORDER BY failed_at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::outbox_mail)
        .collect()
    }

    async fn retry_failed_mail(&self, id: Option<i64>, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $1, \
             lease_until = NULL WHERE failed_at IS NOT NULL AND sent_at IS NULL \
             AND ($2 IS NULL OR id = $2)",
        )
        .bind(now.0)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if id.is_some() {
            not_found_if_none(done.rows_affected())?;
        }
        Ok(done.rows_affected())
    }

    async fn mail_counts(&self) -> Result<MailCounts> {
        let r = sqlx::query(
            "SELECT \
             COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 END) AS pending, \
             COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NOT NULL THEN 1 END) AS failed \
             FROM outbox",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(MailCounts {
            pending: row::u64_count(&r, "pending")?,
            failed: row::u64_count(&r, "failed")?,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Idempotency keys

    async fn claim_idempotency_key(
        &self,
        key: &str,
        request: &str,
        now: Timestamp,
        expires_at: Timestamp,
        stale_before: Timestamp,
    ) -> Result<IdempotencyClaim> {
        let fresh = sqlx::query(
            "INSERT INTO idempotency_keys (key_hash, request_hash, started_at, expires_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(key)
        .bind(request)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if fresh.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        // One statement, so two retries cannot both take over the same row.
        let taken = sqlx::query(
            "UPDATE idempotency_keys SET request_hash = $2, status = NULL, body = NULL, \
             link_seed = NULL, started_at = $3, expires_at = $4 \
             WHERE key_hash = $1 AND (expires_at <= $3 \
             OR (status IS NULL AND started_at < $5 AND request_hash = $2))",
        )
        .bind(key)
        .bind(request)
        .bind(now.0)
        .bind(expires_at.0)
        .bind(stale_before.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if taken.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let r = sqlx::query(
            "SELECT request_hash, status, body, link_seed FROM idempotency_keys \
             WHERE key_hash = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        // Deleted in between (expired and purged): as good as in flight; the retry claims it.
        let Some(r) = r else {
            return Ok(IdempotencyClaim::InFlight);
        };
        let get_text =
            |c: &str| -> Result<Option<String>> { sqlx::Row::try_get(&r, c).map_err(db_err) };
        if get_text("request_hash")?.as_deref() != Some(request) {
            return Ok(IdempotencyClaim::Mismatch);
        }
        let status: Option<i64> = sqlx::Row::try_get(&r, "status").map_err(db_err)?;
        match (status, get_text("body")?) {
            (Some(status), Some(body)) => Ok(IdempotencyClaim::Done(IdempotentReply {
                status: u16::try_from(status)
                    .map_err(|_| StoreError::Backend("bad idempotency status".into()))?,
                body: Redacted::from_stored(body),
                link_seed: get_text("link_seed")?,
            })),
            _ => Ok(IdempotencyClaim::InFlight),
        }
    }

    async fn finish_idempotency_key(&self, key: &str, reply: &IdempotentReply) -> Result<()> {
        let done = sqlx::query(
            "UPDATE idempotency_keys SET status = $2, body = $3, link_seed = $4 \
             WHERE key_hash = $1",
        )
        .bind(key)
        .bind(i64::from(reply.status))
        .bind(reply.body.as_str())
        .bind(reply.link_seed.as_deref())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        not_found_if_none(done.rows_affected())
    }

    async fn release_idempotency_key(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE key_hash = $1 AND status IS NULL")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn purge_idempotency_keys(&self, now: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn prune_log(&self, table: LogTable, before: Timestamp) -> Result<u64> {
        // One text per table, written out: no table name is ever spliced into SQL.
        let sql = match table {
            LogTable::SearchLog => "DELETE FROM search_log WHERE at < $1",
            LogTable::HelpEvents => "DELETE FROM help_events WHERE at < $1",
            LogTable::AuditLog => "DELETE FROM audit_log WHERE at < $1",
        };
        let done = sqlx::query(sql)
            .bind(before.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
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
