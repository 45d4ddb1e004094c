//! [`NotifyStore`]: the anti-phishing code, extra access links, agents' mail settings, and
//! mails written in the same transaction as what causes them. Written once for both backends
//! (see `README.md`).

use async_trait::async_trait;
use domain::{AgentId, EmailAddress, Status, Timestamp};
use store::{
    CodeChange, MailSettings, MailWithLinks, Message, NewCodeRequest, NewMail, NewMessage,
    NotifyStore, OutboxMail, Result, StoreError, Ticket, TokenHash,
};

use crate::db::{Db, DbStore, write_tx};
use crate::row::{self, db_err};
use crate::sql::TICKET_COLUMNS;
use crate::store_impl::{append_in, insert_mail, q};

async fn write_mails(
    conn: &mut <Db as sqlx::Database>::Connection,
    mails: Vec<MailWithLinks>,
) -> Result<Vec<OutboxMail>> {
    let mut out = Vec::with_capacity(mails.len());
    for m in mails {
        let now = m.mail.now;
        for (ticket, token) in &m.links {
            sqlx::query(
                "INSERT INTO ticket_links (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(token.0.as_str())
            .bind(ticket.0)
            .bind(now.0)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        }
        out.push(row::outbox_mail(&insert_mail(&mut *conn, m.mail).await?)?);
    }
    Ok(out)
}

#[async_trait]
impl NotifyStore for DbStore {
    async fn request_phishing_code(&self, r: NewCodeRequest, mail: NewMail) -> Result<OutboxMail> {
        let mut tx = write_tx(&self.pool).await?;
        sqlx::query(
            "INSERT INTO phishing_code_requests (token_hash, address_key, sealed_code, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(r.token.0.as_str())
        .bind(r.address_key.as_str())
        .bind(r.sealed_code.as_deref())
        .bind(r.now.0)
        .bind(r.expires_at.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let m = row::outbox_mail(&insert_mail(&mut tx, mail).await?)?;
        tx.commit().await.map_err(db_err)?;
        Ok(m)
    }

    async fn confirm_phishing_code(&self, token: &TokenHash, now: Timestamp) -> Result<CodeChange> {
        let mut tx = write_tx(&self.pool).await?;
        // One statement marks it used: two clicks cannot both apply it.
        let r = sqlx::query(
            "UPDATE phishing_code_requests SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             RETURNING address_key, sealed_code",
        )
        .bind(now.0)
        .bind(token.0.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        let address_key: String = sqlx::Row::try_get(&r, "address_key").map_err(db_err)?;
        let sealed: Option<String> = sqlx::Row::try_get(&r, "sealed_code").map_err(db_err)?;
        let change = if let Some(sealed) = sealed {
            sqlx::query(
                "INSERT INTO phishing_codes (address_key, sealed_code, set_at) \
                 VALUES ($1, $2, $3) \
                 ON CONFLICT (address_key) DO UPDATE SET sealed_code = $2, set_at = $3",
            )
            .bind(address_key.as_str())
            .bind(sealed.as_str())
            .bind(now.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            CodeChange::Set
        } else {
            sqlx::query("DELETE FROM phishing_codes WHERE address_key = $1")
                .bind(address_key.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            CodeChange::Removed
        };
        // Older pending changes for the address would undo this one if clicked later.
        sqlx::query(
            "UPDATE phishing_code_requests SET used_at = $1 \
             WHERE address_key = $2 AND used_at IS NULL",
        )
        .bind(now.0)
        .bind(address_key.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(change)
    }

    async fn phishing_code_request_open(&self, token: &TokenHash, now: Timestamp) -> Result<bool> {
        let r = sqlx::query(
            "SELECT token_hash FROM phishing_code_requests \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token.0.as_str())
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.is_some())
    }

    async fn phishing_code(&self, address_key: &str) -> Result<Option<String>> {
        let r = sqlx::query("SELECT sealed_code FROM phishing_codes WHERE address_key = $1")
            .bind(address_key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        r.map(|r| sqlx::Row::try_get(&r, "sealed_code").map_err(db_err))
            .transpose()
    }

    async fn open_tickets_of(&self, requester: &EmailAddress, limit: u32) -> Result<Vec<Ticket>> {
        q(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t \
             WHERE lower(t.requester) = lower($1) AND t.status <> $2 AND t.merged_into IS NULL \
             ORDER BY t.id DESC LIMIT $3"
        ))
        .bind(requester.as_str())
        .bind(Status::Closed.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::ticket)
        .collect()
    }

    async fn enqueue_mails_with_links(&self, mails: Vec<MailWithLinks>) -> Result<Vec<OutboxMail>> {
        let mut tx = write_tx(&self.pool).await?;
        let out = write_mails(&mut tx, mails).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }

    async fn append_message_with_mails(
        &self,
        m: NewMessage,
        mails: Vec<MailWithLinks>,
    ) -> Result<Message> {
        let mut tx = write_tx(&self.pool).await?;
        let message = append_in(&mut tx, &m).await?;
        write_mails(&mut tx, mails).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(message)
    }

    async fn agent_mail_settings(&self, agent: AgentId) -> Result<MailSettings> {
        let r =
            sqlx::query("SELECT on_assign, on_reply FROM agent_mail_settings WHERE agent_id = $1")
                .bind(agent.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        match r {
            None => Ok(MailSettings::default()),
            Some(r) => Ok(MailSettings {
                on_assign: sqlx::Row::try_get(&r, "on_assign").map_err(db_err)?,
                on_reply: sqlx::Row::try_get(&r, "on_reply").map_err(db_err)?,
            }),
        }
    }

    async fn set_agent_mail_settings(&self, agent: AgentId, s: MailSettings) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_mail_settings (agent_id, on_assign, on_reply) VALUES ($1, $2, $3) \
             ON CONFLICT (agent_id) DO UPDATE SET on_assign = $2, on_reply = $3",
        )
        .bind(agent.0)
        .bind(s.on_assign)
        .bind(s.on_reply)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn sign_in_link_by_mail(
        &self,
        token: &TokenHash,
        agent: AgentId,
        expires_at: Timestamp,
        mail: NewMail,
    ) -> Result<OutboxMail> {
        let mut tx = write_tx(&self.pool).await?;
        sqlx::query(
            "INSERT INTO sign_in_links (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token.0.as_str())
        .bind(agent.0)
        .bind(expires_at.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let m = row::outbox_mail(&insert_mail(&mut tx, mail).await?)?;
        tx.commit().await.map_err(db_err)?;
        Ok(m)
    }
}
