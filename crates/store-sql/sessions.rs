//! [`SessionStore`]: sessions and one-time sign-in links. Written once for both backends (see
//! `README.md`).

use async_trait::async_trait;
use domain::{AgentId, Timestamp};
use store::{Result, Session, SessionStore, TokenHash};

use crate::db::DbStore;
use crate::row::{self, db_err};

#[async_trait]
impl SessionStore for DbStore {
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
}
