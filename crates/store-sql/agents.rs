//! [`AgentStore`]: agent accounts and their API tokens. Written once for both backends (see
//! `README.md`).

use async_trait::async_trait;
use domain::{AgentId, ApiTokenId, EmailAddress, Lang, Redacted, Role, Timestamp};
use store::{Agent, AgentStore, ApiToken, NewAgent, Result, StoreError, TokenHash};

use crate::db::DbStore;
use crate::row::{self, db_err};
use crate::store_impl::not_found_if_none;

#[async_trait]
impl AgentStore for DbStore {
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
            .fetch_one(crate::db::readers(self))
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
}
