//! [`OwnershipStore`]: address challenges and proofs. Written once for both backends (see
//! `README.md`).

use async_trait::async_trait;
use domain::{TicketId, Timestamp};
use store::{AddressChallenge, NewAddressChallenge, OwnershipStore, Result, StoreError};

use crate::db::DbStore;
use crate::row::{self, db_err};

#[async_trait]
impl OwnershipStore for DbStore {
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
}
