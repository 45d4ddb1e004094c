//! The help desk's domain: the words the store, the server and the channels share.
//!
//! Everything here is pure: no I/O, no clock (time comes in as [`Timestamp`]), no async. Values
//! are parsed once at the edge ([`EmailAddress::parse`], [`TicketDraft::validate`]) and carried
//! as types after that.

mod channel;
pub mod csat;
pub mod draft;
mod email;
pub mod explorer;
mod ids;
mod redacted;
pub mod sla;
pub mod text;
mod ticket;
mod time;

pub use channel::Channel;
pub use draft::{CHAINS, DraftError, FieldError, TicketDraft, ValidTicket};
pub use email::{EmailAddress, EmailError};
pub use ids::{AgentId, ApiTokenId, ArticleId, AttachmentId, CannedReplyId, MessageId, TicketId};
pub use redacted::{Joint, Redacted};
pub use ticket::{
    Author, Category, Lang, MessageKind, ParseError, Permission, Priority, Role, Status,
    TicketField,
};
pub use time::Timestamp;
