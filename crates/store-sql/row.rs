//! Rows to records, and database errors to [`StoreError`].
//!
//! Shared by both backends (see `README.md`): `R` is the including crate's row type.

use domain::{
    AgentId, ApiTokenId, AttachmentId, Author, CannedReplyId, Category, EmailAddress, Lang,
    MessageId, MessageKind, ParseError, Priority, Redacted, Role, Status, TicketId, Timestamp,
};
use sqlx::Row;
use sqlx::error::ErrorKind;
use store::{
    AddressChallenge, Agent, ApiToken, Attachment, AuditEntry, CannedReply, Message, OutboxMail,
    Rating, RatingEntry, Session, StoreError, Ticket, TicketFields,
};

use crate::db::Db;

pub(crate) type R = crate::db::Row;

/// Unique violations are conflicts, a missing row or a reference to a missing row is "not
/// found", anything else is the backend's failure.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) => match d.kind() {
            ErrorKind::UniqueViolation => StoreError::Conflict(d.message().to_owned()),
            ErrorKind::ForeignKeyViolation => StoreError::NotFound,
            _ => StoreError::Backend(d.to_string()),
        },
        other => StoreError::Backend(other.to_string()),
    }
}

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {e}"))
}

fn get<'r, T>(row: &'r R, col: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    row.try_get(col).map_err(db_err)
}

fn key<T>(row: &R, col: &str, parse: fn(&str) -> Result<T, ParseError>) -> Result<T, StoreError> {
    let s: String = get(row, col)?;
    parse(&s).map_err(bad)
}

fn time(row: &R, col: &str) -> Result<Timestamp, StoreError> {
    get::<i64>(row, col).map(Timestamp)
}

fn opt_time(row: &R, col: &str) -> Result<Option<Timestamp>, StoreError> {
    Ok(get::<Option<i64>>(row, col)?.map(Timestamp))
}

fn email(row: &R, col: &str) -> Result<EmailAddress, StoreError> {
    let s: String = get(row, col)?;
    EmailAddress::parse(&s).map_err(bad)
}

fn count(row: &R, col: &str) -> Result<u32, StoreError> {
    u32::try_from(get::<i64>(row, col)?).map_err(bad)
}

/// The stored form of an author: `(author_type, author_agent)`.
pub(crate) fn author_columns(a: Author) -> (&'static str, Option<i64>) {
    match a {
        Author::User => ("user", None),
        Author::Agent(id) => ("agent", Some(id.0)),
        Author::System => ("system", None),
    }
}

pub(crate) fn agent(row: &R) -> Result<Agent, StoreError> {
    Ok(Agent {
        id: AgentId(get(row, "id")?),
        email: email(row, "email")?,
        name: get(row, "name")?,
        role: key(row, "role", Role::parse)?,
        password_hash: get(row, "password_hash")?,
        active: get(row, "active")?,
        can_publish: get(row, "can_publish")?,
        lang: key(row, "lang", Lang::parse)?,
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn session(row: &R) -> Result<Session, StoreError> {
    Ok(Session {
        agent_id: AgentId(get(row, "agent_id")?),
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        csrf: get(row, "csrf")?,
        verified: get(row, "verified")?,
        factor_at: opt_time(row, "factor_at")?,
    })
}

pub(crate) fn api_token(row: &R) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: ApiTokenId(get(row, "id")?),
        agent_id: AgentId(get(row, "agent_id")?),
        name: get(row, "name")?,
        created_at: time(row, "created_at")?,
        last_used_at: opt_time(row, "last_used_at")?,
    })
}

pub(crate) fn rating_entry(row: &R) -> Result<RatingEntry, StoreError> {
    Ok(RatingEntry {
        ticket_id: TicketId(get(row, "id")?),
        assignee: get::<Option<i64>>(row, "assignee")?.map(AgentId),
        score: u8::try_from(get::<i64>(row, "rating_score")?).map_err(bad)?,
        at: time(row, "rated_at")?,
    })
}

pub(crate) fn ticket(row: &R) -> Result<Ticket, StoreError> {
    let tags: String = get(row, "tags")?;
    let rating = match get::<Option<i64>>(row, "rating_score")? {
        Some(score) => Some(Rating {
            score: u8::try_from(score).map_err(bad)?,
            comment: get::<Option<String>>(row, "rating_comment")?.map(Redacted::from_stored),
            at: time(row, "rated_at")?,
        }),
        None => None,
    };
    Ok(Ticket {
        id: TicketId(get(row, "id")?),
        requester: email(row, "requester")?,
        category: key(row, "category", Category::parse)?,
        subject: Redacted::from_stored(get(row, "subject")?),
        fields: TicketFields {
            chain: get(row, "chain")?,
            tx_hash: get(row, "tx_hash")?,
            address: get(row, "address")?,
            app_version: get::<Option<String>>(row, "app_version")?.map(Redacted::from_stored),
            device_os: get::<Option<String>>(row, "device_os")?.map(Redacted::from_stored),
        },
        status: key(row, "status", Status::parse)?,
        priority: key(row, "priority", Priority::parse)?,
        assignee: get::<Option<i64>>(row, "assignee")?.map(AgentId),
        tags: serde_json::from_str(&tags).map_err(bad)?,
        secret_exposed: get(row, "secret_exposed")?,
        lang: key(row, "lang", Lang::parse)?,
        channel: key(row, "channel", domain::Channel::parse)?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        first_response_at: opt_time(row, "first_response_at")?,
        first_response_due: opt_time(row, "first_response_due")?,
        resolution_due: opt_time(row, "resolution_due")?,
        solved_at: opt_time(row, "solved_at")?,
        closed_at: opt_time(row, "closed_at")?,
        merged_into: get::<Option<i64>>(row, "merged_into")?.map(TicketId),
        rating,
    })
}

pub(crate) fn message(row: &R) -> Result<Message, StoreError> {
    let author_type: String = get(row, "author_type")?;
    let author = match (
        author_type.as_str(),
        get::<Option<i64>>(row, "author_agent")?,
    ) {
        ("user", None) => Author::User,
        ("agent", Some(id)) => Author::Agent(AgentId(id)),
        ("system", None) => Author::System,
        (other, _) => return Err(bad(format_args!("author `{other}`"))),
    };
    Ok(Message {
        id: MessageId(get(row, "id")?),
        ticket_id: TicketId(get(row, "ticket_id")?),
        author,
        kind: key(row, "kind", MessageKind::parse)?,
        body: Redacted::from_stored(get(row, "body")?),
        secrets_removed: count(row, "secrets_removed")?,
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn attachment(row: &R) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: AttachmentId(get(row, "id")?),
        ticket_id: TicketId(get(row, "ticket_id")?),
        message_id: get::<Option<i64>>(row, "message_id")?.map(MessageId),
        filename: get(row, "filename")?,
        content_type: get(row, "content_type")?,
        size: get(row, "size")?,
        sha256: get(row, "sha256")?,
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn canned_reply(row: &R) -> Result<CannedReply, StoreError> {
    Ok(CannedReply {
        id: CannedReplyId(get(row, "id")?),
        title: get(row, "title")?,
        body: get(row, "body")?,
        lang: key(row, "lang", Lang::parse)?,
    })
}

pub(crate) fn audit_entry(row: &R) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: get(row, "id")?,
        actor: get::<Option<i64>>(row, "actor")?.map(AgentId),
        action: get(row, "action")?,
        target: get(row, "target")?,
        detail: get(row, "detail")?,
        at: time(row, "at")?,
    })
}

pub(crate) fn address_challenge(row: &R) -> Result<AddressChallenge, StoreError> {
    Ok(AddressChallenge {
        id: get(row, "id")?,
        ticket_id: TicketId(get(row, "ticket_id")?),
        address: get(row, "address")?,
        nonce: get(row, "nonce")?,
        message: get(row, "message")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        verified_at: opt_time(row, "verified_at")?,
        method: get(row, "method")?,
    })
}

pub(crate) fn outbox_mail(row: &R) -> Result<OutboxMail, StoreError> {
    Ok(OutboxMail {
        id: get(row, "id")?,
        to: email(row, "to_addr")?,
        subject: get(row, "subject")?,
        body_text: get(row, "body_text")?,
        link_seed: get(row, "link_seed")?,
        kind: get(row, "kind")?,
        ticket_id: get::<Option<i64>>(row, "ticket_id")?.map(TicketId),
        lang: get::<Option<String>>(row, "lang")?
            .map(|l| Lang::parse(&l).map_err(bad))
            .transpose()?,
        created_at: time(row, "created_at")?,
        sent_at: opt_time(row, "sent_at")?,
        attempts: count(row, "attempts")?,
        message_id: get(row, "message_id")?,
        next_attempt_at: time(row, "next_attempt_at")?,
        lease_until: opt_time(row, "lease_until")?,
        last_error: get(row, "last_error")?,
        failed_at: opt_time(row, "failed_at")?,
    })
}

pub(crate) fn u64_count(row: &R, col: &str) -> Result<u64, StoreError> {
    u64::try_from(get::<i64>(row, col)?).map_err(bad)
}

pub(crate) fn passkey(row: &R) -> Result<store::PasskeyRecord, StoreError> {
    Ok(store::PasskeyRecord {
        id: get(row, "id")?,
        agent_id: domain::AgentId(get(row, "agent_id")?),
        credential_id: get(row, "credential_id")?,
        name: get(row, "name")?,
        credential: get(row, "credential")?,
        created_at: time(row, "created_at")?,
        last_used_at: opt_time(row, "last_used_at")?,
    })
}

pub(crate) fn totp(row: &R) -> Result<store::TotpRecord, StoreError> {
    Ok(store::TotpRecord {
        sealed_secret: get(row, "sealed_secret")?,
        confirmed_at: opt_time(row, "confirmed_at")?,
        last_step: get(row, "last_step")?,
    })
}
