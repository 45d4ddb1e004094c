//! What the API speaks: request and response bodies, with their OpenAPI schemas.
//!
//! The store's records stay free of `utoipa`; these types are the API's contract and are built
//! from them here. Times are RFC 3339 in UTC; enums are their snake_case keys.

use serde::{Deserialize, Deserializer, Serialize};
use store::{Message, Ticket};
use utoipa::ToSchema;

/// A ticket as an agent sees it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketOut {
    pub id: i64,
    pub requester: String,
    /// `sign_in`, `transaction`, `balance`, `restore`, `app`, `security` or `other`.
    pub category: String,
    pub subject: String,
    /// `new`, `open`, `waiting_on_user`, `solved` or `closed`.
    pub status: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    pub assignee_id: Option<i64>,
    pub tags: Vec<String>,
    /// A secret (recovery phrase, private key) was removed from what the user sent.
    pub secret_exposed: bool,
    /// `en` or `zh-CN`.
    pub lang: String,
    /// How it reached the desk: `web`, `email`, `chat` or `api`.
    pub channel: String,
    pub fields: TicketFieldsOut,
    pub created_at: String,
    pub updated_at: String,
    pub first_response_at: Option<String>,
    pub first_response_due: Option<String>,
    pub resolution_due: Option<String>,
    pub solved_at: Option<String>,
    pub closed_at: Option<String>,
    pub merged_into: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketFieldsOut {
    pub chain: Option<String>,
    pub tx_hash: Option<String>,
    pub address: Option<String>,
    pub app_version: Option<String>,
    pub device_os: Option<String>,
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        TicketOut {
            id: t.id.0,
            requester: t.requester.as_str().to_owned(),
            category: t.category.as_str().to_owned(),
            subject: t.subject.into_string(),
            status: t.status.as_str().to_owned(),
            priority: t.priority.as_str().to_owned(),
            assignee_id: t.assignee.map(|a| a.0),
            tags: t.tags,
            secret_exposed: t.secret_exposed,
            lang: t.lang.as_str().to_owned(),
            channel: t.channel.as_str().to_owned(),
            fields: TicketFieldsOut {
                chain: t.fields.chain,
                tx_hash: t.fields.tx_hash,
                address: t.fields.address,
                app_version: t.fields.app_version.map(domain::Redacted::into_string),
                device_os: t.fields.device_os.map(domain::Redacted::into_string),
            },
            created_at: t.created_at.rfc3339(),
            updated_at: t.updated_at.rfc3339(),
            first_response_at: t.first_response_at.map(domain::Timestamp::rfc3339),
            first_response_due: t.first_response_due.map(domain::Timestamp::rfc3339),
            resolution_due: t.resolution_due.map(domain::Timestamp::rfc3339),
            solved_at: t.solved_at.map(domain::Timestamp::rfc3339),
            closed_at: t.closed_at.map(domain::Timestamp::rfc3339),
            merged_into: t.merged_into.map(|m| m.0),
        }
    }
}

/// One page of a ticket list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketListOut {
    pub tickets: Vec<TicketOut>,
    /// All matching tickets, not only this page.
    pub total: u64,
}

/// A message of a ticket's conversation, or an internal note.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MessageOut {
    pub id: i64,
    /// `user`, `agent` or `system`.
    pub author: String,
    /// The agent's id when `author` is `agent`.
    pub author_agent_id: Option<i64>,
    /// `public` (the user sees it) or `note` (agents only).
    pub kind: String,
    /// Redacted text: secrets are replaced by a marker.
    pub body: String,
    pub secrets_removed: u32,
    pub created_at: String,
}

impl From<Message> for MessageOut {
    fn from(m: Message) -> Self {
        let (author, author_agent_id) = match m.author {
            domain::Author::User => ("user", None),
            domain::Author::Agent(id) => ("agent", Some(id.0)),
            domain::Author::System => ("system", None),
        };
        MessageOut {
            id: m.id.0,
            author: author.to_owned(),
            author_agent_id,
            kind: m.kind.as_str().to_owned(),
            body: m.body.into_string(),
            secrets_removed: m.secrets_removed,
            created_at: m.created_at.rfc3339(),
        }
    }
}

/// A ticket with its whole conversation, notes included.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketDetailOut {
    pub ticket: TicketOut,
    pub messages: Vec<MessageOut>,
}

/// `POST /api/v1/tickets/{id}/messages`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyIn {
    #[schema(min_length = 1, pattern = r"[^\s\x85]")]
    pub body: String,
    /// `public` (default) or `note`.
    #[serde(default)]
    #[schema(value_type = Option<MessageKindParam>)]
    pub kind: Option<String>,
}

/// A message's kind as the API spells it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "the OpenAPI schema of a string parameter, never built"
)]
pub(crate) enum MessageKindParam {
    Public,
    Note,
}

/// `PATCH /api/v1/tickets/{id}`: only the given fields change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TicketPatchIn {
    /// `new`, `open`, `waiting_on_user`, `solved` or `closed`.
    #[serde(default)]
    pub status: Option<String>,
    /// `low`, `normal`, `high` or `urgent`.
    #[serde(default)]
    pub priority: Option<String>,
    /// An agent id; `null` unassigns.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// Replaces all tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// `Some(value)` for a field that is present, even when it is `null`. A number written with a
/// fraction of zero (`3.0`) is the same integer to JSON Schema, so it is taken too.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    let n = Option::<serde_json::Number>::deserialize(d)?;
    let Some(n) = n else {
        return Ok(Some(None));
    };
    if let Some(i) = n.as_i64() {
        return Ok(Some(Some(i)));
    }
    match n.as_f64() {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "whole and within i64's range, checked first"
        )]
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(Some(f as i64))),
        _ => Err(serde::de::Error::custom("an agent id is a whole number")),
    }
}

/// `POST /api/v1/tickets`: what a wallet user submits. `email`, `category`, `subject` and
/// `body` are always required; `transaction` also needs `chain` and `tx_hash`, `balance` needs
/// `chain` and `address`, `sign_in` and `app` need `app_version` and `device_os`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct NewTicketIn {
    #[serde(default)]
    pub email: String,
    /// A category key.
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    /// `bitcoin`, `ethereum`, `bnb`, `polygon`, `arbitrum`, `tron`, `solana` or `other`.
    pub chain: Option<String>,
    pub tx_hash: Option<String>,
    pub address: Option<String>,
    pub app_version: Option<String>,
    pub device_os: Option<String>,
}

impl From<NewTicketIn> for domain::TicketDraft {
    fn from(t: NewTicketIn) -> Self {
        domain::TicketDraft {
            email: t.email,
            category: t.category,
            subject: t.subject,
            body: t.body,
            chain: t.chain,
            tx_hash: t.tx_hash,
            address: t.address,
            app_version: t.app_version,
            device_os: t.device_os,
        }
    }
}

/// The answer to `POST /api/v1/tickets`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedTicketOut {
    pub id: i64,
    /// The user's link to the ticket; it is the only way in, shown once.
    pub access_url: String,
    pub status: String,
    pub priority: String,
    pub secret_exposed: bool,
    /// How many secrets were removed from what was sent.
    pub secrets_removed: usize,
}

/// Every error: a stable snake_case code and an English message.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorOut {
    /// `unauthenticated`, `not_found`, `invalid_fields`, `invalid_json`, `invalid_query`,
    /// `rate_limited`, `ticket_closed`, `value_missing`, `value_too_long`,
    /// `value_contains_secret`, `internal`…
    pub error: String,
    pub message: String,
    /// For `invalid_fields`: one entry per field.
    pub fields: Option<Vec<FieldErrorOut>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FieldErrorOut {
    pub field: String,
    pub code: String,
    pub found: Option<String>,
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_null_from_absent() {
        let p: TicketPatchIn = serde_json::from_str(r#"{"assignee_id": null}"#).unwrap();
        assert_eq!(p.assignee_id, Some(None));
        let p: TicketPatchIn = serde_json::from_str("{}").unwrap();
        assert_eq!(p.assignee_id, None);
        let p: TicketPatchIn = serde_json::from_str(r#"{"assignee_id": 3}"#).unwrap();
        assert_eq!(p.assignee_id, Some(Some(3)));
        let p: TicketPatchIn = serde_json::from_str(r#"{"assignee_id": 3.0}"#).unwrap();
        assert_eq!(p.assignee_id, Some(Some(3)));
        assert!(serde_json::from_str::<TicketPatchIn>(r#"{"assignee_id": 3.5}"#).is_err());
    }
}

/// The `Idempotency-Key` request header, documented on the operations that honour it (every
/// `POST` under `/api/v1`, `crate::idempotency`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub(crate) struct IdempotencyKey {
    /// 1 to 255 visible ASCII characters, new for each distinct request (a UUID, say). The
    /// same key from the same caller (API token, or client address without one) with the same
    /// body gets the first answer again, status and body, for 24 hours, and never creates a
    /// second ticket or message; with another body: `422 idempotency_key_reused`; while the
    /// first request is still being answered: `409 idempotency_key_in_flight`.
    #[serde(rename = "Idempotency-Key")]
    #[param(min_length = 1, max_length = 255, pattern = r"^[!-~]+$")]
    #[expect(
        dead_code,
        reason = "read by the middleware; here for the OpenAPI document"
    )]
    idempotency_key: Option<String>,
}
