//! [`AuthStore`]: second factors, recovery codes, sessions by agent, the publishing grant.
//! Written once for both backends (see `README.md`).

use async_trait::async_trait;
use domain::{AgentId, Timestamp};
use store::{
    AuthStore, FactorsReset, NewPasskey, PasskeyRecord, Result, SessionEntry, StoreError,
    TokenHash, TotpRecord,
};

use crate::db::{DbStore, write_tx};
use crate::row::{self, db_err};

fn found(rows: u64) -> Result<()> {
    if rows == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl AuthStore for DbStore {
    async fn set_agent_can_publish(&self, id: AgentId, can: bool) -> Result<()> {
        let done = sqlx::query("UPDATE agents SET can_publish = $1 WHERE id = $2")
            .bind(can)
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        found(done.rows_affected())
    }

    async fn totp(&self, agent: AgentId) -> Result<Option<TotpRecord>> {
        let r = sqlx::query(
            "SELECT sealed_secret, confirmed_at, last_step FROM agent_totp WHERE agent_id = $1",
        )
        .bind(agent.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        r.map(|r| row::totp(&r)).transpose()
    }

    async fn begin_totp(&self, agent: AgentId, sealed_secret: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_totp (agent_id, sealed_secret, confirmed_at, last_step) \
             VALUES ($1, $2, NULL, 0) \
             ON CONFLICT (agent_id) DO UPDATE SET sealed_secret = $2, confirmed_at = NULL, \
             last_step = 0",
        )
        .bind(agent.0)
        .bind(sealed_secret)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn accept_totp_step(&self, agent: AgentId, step: i64, now: Timestamp) -> Result<bool> {
        // One statement: two requests with the same code cannot both pass.
        let done = sqlx::query(
            "UPDATE agent_totp SET last_step = $1, confirmed_at = COALESCE(confirmed_at, $2) \
             WHERE agent_id = $3 AND last_step < $1",
        )
        .bind(step)
        .bind(now.0)
        .bind(agent.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_totp(&self, agent: AgentId) -> Result<()> {
        let mut tx = write_tx(&self.pool).await?;
        sqlx::query("DELETE FROM agent_totp WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("DELETE FROM recovery_codes WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn set_recovery_codes(&self, agent: AgentId, hashes: &[String]) -> Result<()> {
        let mut tx = write_tx(&self.pool).await?;
        sqlx::query("DELETE FROM recovery_codes WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for h in hashes {
            sqlx::query("INSERT INTO recovery_codes (agent_id, code_hash) VALUES ($1, $2)")
                .bind(agent.0)
                .bind(h.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn use_recovery_code(&self, agent: AgentId, hash: &str, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE agent_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now.0)
        .bind(agent.0)
        .bind(hash)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn recovery_codes_left(&self, agent: AgentId) -> Result<u32> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE agent_id = $1 AND used_at IS NULL",
        )
        .bind(agent.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        let n: i64 = sqlx::Row::try_get(&r, "n").map_err(db_err)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn add_passkey(&self, agent: AgentId, new: &NewPasskey, now: Timestamp) -> Result<i64> {
        let r = sqlx::query(
            "INSERT INTO agent_passkeys (agent_id, credential_id, name, credential, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(agent.0)
        .bind(new.credential_id.as_str())
        .bind(new.name.as_str())
        .bind(new.credential.as_str())
        .bind(now.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        sqlx::Row::try_get(&r, "id").map_err(db_err)
    }

    async fn passkeys(&self, agent: AgentId) -> Result<Vec<PasskeyRecord>> {
        let rows = sqlx::query("SELECT * FROM agent_passkeys WHERE agent_id = $1 ORDER BY id")
            .bind(agent.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(row::passkey).collect()
    }

    async fn passkey_by_credential(&self, credential_id: &str) -> Result<Option<PasskeyRecord>> {
        let r = sqlx::query("SELECT * FROM agent_passkeys WHERE credential_id = $1")
            .bind(credential_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        r.map(|r| row::passkey(&r)).transpose()
    }

    async fn passkey_used(&self, id: i64, credential: &str, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE agent_passkeys SET credential = $1, last_used_at = $2 WHERE id = $3",
        )
        .bind(credential)
        .bind(now.0)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        found(done.rows_affected())
    }

    async fn delete_passkey(&self, agent: AgentId, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM agent_passkeys WHERE agent_id = $1 AND id = $2")
            .bind(agent.0)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn reset_factors(&self, agent: AgentId) -> Result<FactorsReset> {
        let mut tx = write_tx(&self.pool).await?;
        let totp = sqlx::query("DELETE FROM agent_totp WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        sqlx::query("DELETE FROM recovery_codes WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let passkeys = sqlx::query("DELETE FROM agent_passkeys WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        let sessions = sqlx::query("DELETE FROM sessions WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        tx.commit().await.map_err(db_err)?;
        Ok(FactorsReset {
            totp: totp > 0,
            passkeys,
            sessions,
        })
    }

    async fn mark_session_factor(&self, token: &TokenHash, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE sessions SET verified = TRUE, factor_at = $1 WHERE token_hash = $2",
        )
        .bind(now.0)
        .bind(token.0.as_str())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        found(done.rows_affected())
    }

    async fn sessions_of(&self, agent: AgentId, now: Timestamp) -> Result<Vec<SessionEntry>> {
        let rows = sqlx::query(
            "SELECT * FROM sessions WHERE agent_id = $1 AND expires_at > $2 \
             ORDER BY created_at DESC, token_hash",
        )
        .bind(agent.0)
        .bind(now.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let hash: String = sqlx::Row::try_get(r, "token_hash").map_err(db_err)?;
                Ok(SessionEntry {
                    id: hash.chars().take(12).collect(),
                    session: row::session(r)?,
                })
            })
            .collect()
    }

    async fn revoke_session(&self, agent: AgentId, id: &str) -> Result<bool> {
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let done = sqlx::query(
            "DELETE FROM sessions WHERE agent_id = $1 AND substr(token_hash, 1, 12) = $2",
        )
        .bind(agent.0)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn revoke_other_sessions(&self, agent: AgentId, keep: Option<&TokenHash>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE agent_id = $1 AND token_hash <> $2")
            .bind(agent.0)
            .bind(keep.map_or("", |t| t.0.as_str()))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
