//! The e-mail channel's pure code: no sockets, no clock, no database.
//!
//! * [`inbound`] — an RFC 5322 message as bytes → what the desk needs from it (parsed MIME,
//!   text with quoted history and signatures cut, attachments, threading keys, auto-reply and
//!   bounce detection).
//! * [`outbound`] — a mail the desk sends → RFC 5322 bytes (text and HTML, threading headers,
//!   `Auto-Submitted`).
//! * [`auth_results`] — the SPF/DKIM/DMARC results an MTA the desk trusts wrote into
//!   `Authentication-Results` (RFC 8601); other authserv-ids are ignored.
//! * [`reply_tag`] — the reply address that routes a reply back to its ticket, and its parser.
//!
//! SMTP and IMAP clients, the outbox worker and the wiring into tickets live in the server
//! (`crates/server/src/mail/`).

pub mod auth_results;
pub mod inbound;
pub mod outbound;
pub mod reply_tag;
