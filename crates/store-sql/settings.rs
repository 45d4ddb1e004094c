//! [`SettingsStore`]: the SLA policy, free-form settings and canned replies. Written once for both
//! backends (see `README.md`).

use async_trait::async_trait;
use domain::sla::SlaPolicy;
use domain::{CannedReplyId, Lang, Redacted};
use store::{CannedReply, Result, SettingsStore, StoreError};

use crate::db::DbStore;
use crate::row::{self, db_err};
use crate::store_impl::not_found_if_none;

/// The settings key the SLA policy is kept under.
const SLA_POLICY_KEY: &str = "sla_policy";

#[async_trait]
impl SettingsStore for DbStore {
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
}
