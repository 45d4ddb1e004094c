//! [`DeskStore`]: agents' workspace settings and a requester's conversations. Written once for
//! both backends (see `README.md`).

use async_trait::async_trait;
use domain::{AgentId, EmailAddress, Lang, TicketId, Timestamp};
use sqlx::Row as _;
use store::{ChatOffer, DeskAgentSettings, DeskStore, Result, StoreError, Ticket};

use crate::db::{DbStore, write_tx};
use crate::row::{self, db_err};
use crate::sql::TICKET_COLUMNS;
use crate::store_impl::q;

fn settings(r: &crate::db::Row) -> Result<(AgentId, DeskAgentSettings)> {
    let agent: i64 = r.try_get("agent_id").map_err(db_err)?;
    let limit: Option<i64> = r.try_get("chat_limit").map_err(db_err)?;
    let languages: String = r.try_get("languages").map_err(db_err)?;
    let sound: bool = r.try_get("sound").map_err(db_err)?;
    let last: Option<i64> = r.try_get("last_assigned_at").map_err(db_err)?;
    Ok((
        AgentId(agent),
        DeskAgentSettings {
            chat_limit: limit.and_then(|n| u32::try_from(n).ok()),
            // A key this version does not know is left out rather than failing the page.
            languages: languages
                .split_whitespace()
                .filter_map(|k| Lang::parse(k).ok())
                .collect(),
            sound,
            last_assigned_at: last.map(Timestamp),
        },
    ))
}

#[async_trait]
impl DeskStore for DbStore {
    async fn desk_agent_settings(&self) -> Result<Vec<(AgentId, DeskAgentSettings)>> {
        sqlx::query(
            "SELECT agent_id, chat_limit, languages, sound, last_assigned_at \
             FROM agent_desk ORDER BY agent_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(settings)
        .collect()
    }

    async fn desk_settings_of(&self, agent: AgentId) -> Result<DeskAgentSettings> {
        let row = sqlx::query(
            "SELECT agent_id, chat_limit, languages, sound, last_assigned_at \
             FROM agent_desk WHERE agent_id = $1",
        )
        .bind(agent.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        match row {
            Some(r) => Ok(settings(&r)?.1),
            None => Ok(DeskAgentSettings::default()),
        }
    }

    async fn set_desk_limits(
        &self,
        agent: AgentId,
        chat_limit: Option<u32>,
        languages: &[Lang],
    ) -> Result<()> {
        let langs = languages
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        sqlx::query(
            "INSERT INTO agent_desk (agent_id, chat_limit, languages) VALUES ($1, $2, $3) \
             ON CONFLICT (agent_id) DO UPDATE \
             SET chat_limit = EXCLUDED.chat_limit, languages = EXCLUDED.languages",
        )
        .bind(agent.0)
        .bind(chat_limit.map(i64::from))
        .bind(langs)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn set_desk_sound(&self, agent: AgentId, sound: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_desk (agent_id, sound) VALUES ($1, $2) \
             ON CONFLICT (agent_id) DO UPDATE SET sound = EXCLUDED.sound",
        )
        .bind(agent.0)
        .bind(sound)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn mark_desk_assigned(&self, agent: AgentId, now: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_desk (agent_id, last_assigned_at) VALUES ($1, $2) \
             ON CONFLICT (agent_id) DO UPDATE SET last_assigned_at = EXCLUDED.last_assigned_at",
        )
        .bind(agent.0)
        .bind(now.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn tickets_of_requester(
        &self,
        requester: &EmailAddress,
        limit: u32,
    ) -> Result<Vec<Ticket>> {
        q(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t \
             WHERE lower(t.requester) = lower($1) AND t.merged_into IS NULL \
             ORDER BY t.id DESC LIMIT $2"
        ))
        .bind(requester.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(row::ticket)
        .collect()
    }

    async fn offer_chat(
        &self,
        ticket: TicketId,
        agent: AgentId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO chat_offers (ticket_id, agent_id, offered_at, expires_at) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM chat_conversations \
             WHERE ticket_id = $1 AND state = 'queued') \
             ON CONFLICT (ticket_id) DO NOTHING",
        )
        .bind(ticket.0)
        .bind(agent.0)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn chat_offers(&self) -> Result<Vec<ChatOffer>> {
        sqlx::query(
            "SELECT ticket_id, agent_id, offered_at, expires_at FROM chat_offers \
             ORDER BY offered_at, ticket_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| {
            Ok(ChatOffer {
                ticket_id: TicketId(r.try_get("ticket_id").map_err(db_err)?),
                agent_id: AgentId(r.try_get("agent_id").map_err(db_err)?),
                offered_at: Timestamp(r.try_get("offered_at").map_err(db_err)?),
                expires_at: Timestamp(r.try_get("expires_at").map_err(db_err)?),
            })
        })
        .collect()
    }

    async fn end_chat_offer(
        &self,
        ticket: TicketId,
        agent: AgentId,
        refusal: Option<&str>,
        now: Timestamp,
    ) -> Result<bool> {
        let mut tx = write_tx(&self.pool).await?;
        let gone = sqlx::query("DELETE FROM chat_offers WHERE ticket_id = $1 AND agent_id = $2")
            .bind(ticket.0)
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if gone == 0 {
            drop(tx);
            return Ok(false);
        }
        if let Some(reason) = refusal {
            sqlx::query(
                "INSERT INTO chat_offer_refusals (ticket_id, agent_id, reason, at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id, agent_id) DO NOTHING",
            )
            .bind(ticket.0)
            .bind(agent.0)
            .bind(reason)
            .bind(now.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn clear_chat_offer(&self, ticket: TicketId) -> Result<()> {
        sqlx::query("DELETE FROM chat_offers WHERE ticket_id = $1")
            .bind(ticket.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn chat_refusals(&self, ticket: TicketId) -> Result<Vec<AgentId>> {
        sqlx::query(
            "SELECT agent_id FROM chat_offer_refusals WHERE ticket_id = $1 ORDER BY at, agent_id",
        )
        .bind(ticket.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| Ok(AgentId(r.try_get("agent_id").map_err(db_err)?)))
        .collect()
    }

    async fn chat_loads(&self) -> Result<Vec<(AgentId, u32)>> {
        sqlx::query(
            "SELECT agent_id, COUNT(*) AS n FROM ( \
             SELECT agent_id FROM chat_conversations \
             WHERE state = 'agent' AND agent_id IS NOT NULL \
             UNION ALL SELECT agent_id FROM chat_offers) x \
             GROUP BY agent_id ORDER BY agent_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| {
            let n: i64 = r.try_get("n").map_err(db_err)?;
            Ok((
                AgentId(r.try_get("agent_id").map_err(db_err)?),
                u32::try_from(n).unwrap_or(u32::MAX),
            ))
        })
        .collect()
    }

    async fn transfer_chat(&self, ticket: TicketId, to: AgentId, now: Timestamp) -> Result<()> {
        let mut tx = write_tx(&self.pool).await?;
        let moved = sqlx::query(
            "UPDATE chat_conversations SET agent_id = $2 WHERE ticket_id = $1 AND state = 'agent'",
        )
        .bind(ticket.0)
        .bind(to.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        if moved == 0 {
            drop(tx);
            return Err(StoreError::Conflict("the chat is not with an agent".into()));
        }
        sqlx::query("UPDATE tickets SET assignee = $2, updated_at = $3 WHERE id = $1")
            .bind(ticket.0)
            .bind(to.0)
            .bind(now.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("DELETE FROM chat_offers WHERE ticket_id = $1")
            .bind(ticket.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }
}
