//! [`DeskStore`]: agents' workspace settings and a requester's conversations. Written once for
//! both backends (see `README.md`).

use async_trait::async_trait;
use domain::{AgentId, EmailAddress, Lang, Timestamp};
use sqlx::Row as _;
use store::{DeskAgentSettings, DeskStore, Result, Ticket};

use crate::db::DbStore;
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
}
