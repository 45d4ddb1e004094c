//! Inbound mail → tickets: the one path that both `walletdesk mail receive` (stdin) and the
//! IMAP fetcher use. Parsing and the rules are in the pure `mail` crate; this wires them to the
//! ticket use cases (`crate::tickets`), so mail text goes through the same redaction door.
//!
//! # What happens to one message
//! 1. Over [`crate::config::Config::mail_max_inbound_bytes`], empty, or not a mail: refused
//!    ([`InboundError`]); the caller keeps the message and says why.
//! 2. Parsed (`mail::inbound::parse`). Nothing of it is logged but its class, its problems'
//!    keys and the ticket it went to; its text is only ever stored through `tickets::create_valid`
//!    (after `TicketDraft::validate`) or `tickets::user_reply`, which redact.
//! 3. Auto-replies and bulk mail are dropped (never answered, never a ticket: a loop needs two
//!    auto-responders, and we are never one of them). A bounce marks the requester address as
//!    bouncing on its ticket(s), with a note for agents.
//! 4. A message whose `Message-ID` was taken before is not added again (IMAP fetched it twice,
//!    the MTA retried).
//! 5. Threading, first match wins, and **only when the mail comes from the ticket's requester
//!    address** (compared whole, case-insensitively): the reply tag in any recipient, then an
//!    `In-Reply-To`/`References` id recorded for a ticket, then the subject's ticket number.
//!    Anyone else's mail becomes a ticket of its own: knowing a ticket number (or holding a
//!    copy of our mail) never lets a stranger write into someone's ticket. A closed ticket is
//!    not continued either (its follow-up is a new ticket); a merged one continues in the
//!    ticket it was merged into.
//! 6. Otherwise a new ticket: its category guessed by the assistant from the redacted text
//!    (`assist::category_for`; `other` when the guess would ask for fields the mail lacks),
//!    its address and transaction id recognised by the wallet crate in the redacted text.
//! 7. Images go through the screenshot pipeline (`images::clean`: metadata stripped, limits);
//!    anything else is refused with a note on the ticket naming it (redacted).
//! 8. A message that carried a secret flags the ticket as a web ticket would (`flag_secret`;
//!    `create_valid` sets the flag and priority itself) and the user is told by mail: a new
//!    ticket's confirmation mail opens with the notice (one outbox row, written in the ticket's
//!    own transaction); a reply gets an outbox mail of kind `secret_removed`.
//! 9. Per-sender rate limit: the web form's `tickets_per_email` counter for new tickets (one
//!    budget for both doors), and `replies_per_client` per normalised sender for replies.

use std::fmt::Write as _;

use domain::draft::one_line;
use domain::{EmailAddress, Lang, Redacted, TicketDraft, TicketId};
use mail::inbound::{Bounce, Class, Inbound, ParseError, Problem};
use sha2::{Digest, Sha256};
use store::{NewMail, NewMessage, Ticket};

use crate::AppState;
use crate::attachments::{MAX_FILES, Upload};
use crate::error::ApiError;

/// The largest message taken by default: 25 MiB, what the large mail providers let one mail
/// carry.
pub const DEFAULT_MAX_BYTES: usize = 25 * 1024 * 1024;

/// What became of one inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The ticket the message was added to or created; `None` when it was dropped on purpose
    /// (an auto-reply or a bounce, recorded but not a ticket).
    pub ticket_id: Option<TicketId>,
    /// Whether a new ticket was created (false: appended to an existing one, or dropped).
    pub created: bool,
    /// How many secrets redaction removed from the message (subject, body, file names).
    pub secrets_removed: usize,
    /// The message's class: `person`, `auto_reply`, `bulk`, `bounce` (`mail::inbound::Class`).
    pub class: &'static str,
    /// The same message (by `Message-ID`) was taken before; nothing was added.
    pub duplicate: bool,
}

/// Why a message could not be taken at all (the caller keeps it where it is and says so).
#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    #[error("the message is empty")]
    Empty,
    #[error("not an e-mail message: {0}")]
    NotMail(ParseError),
    #[error("the message is {size} bytes; at most {limit} are taken")]
    TooLarge { size: usize, limit: usize },
    /// No usable `From` address: nobody to open a ticket for.
    #[error("the message has no valid sender address")]
    NoSender,
    /// The sender wrote too often; try again later (an MTA defers, IMAP leaves it unread).
    #[error("too many messages from this sender; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Storage or another internal failure; the message was not taken (retry later).
    #[error("the message could not be stored: {0}")]
    Failed(String),
}

impl InboundError {
    /// Whether the input itself is refused (retrying the same bytes cannot help), as opposed
    /// to a failure that a later try may get past.
    #[must_use]
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            InboundError::Empty
                | InboundError::NotMail(_)
                | InboundError::TooLarge { .. }
                | InboundError::NoSender
        )
    }
}

impl From<ApiError> for InboundError {
    fn from(e: ApiError) -> InboundError {
        match e {
            ApiError::RateLimited { retry_after_secs } => {
                InboundError::RateLimited { retry_after_secs }
            }
            other => InboundError::Failed(other.to_string()),
        }
    }
}

impl From<store::StoreError> for InboundError {
    fn from(e: store::StoreError) -> InboundError {
        InboundError::Failed(e.to_string())
    }
}

/// SHA-256 of a message id, as the store keeps it (see migration 0010).
/// The key a `Message-ID` is stored under (SHA-256 of it without the angle brackets): for
/// the ids of mail that arrives and of mail the desk sends (`outbox.rs`), so that a reply
/// naming either in `In-Reply-To`/`References` finds its ticket.
pub(crate) fn id_hash(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    Sha256::digest(id.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Takes one RFC 5322 message: parses, redacts, threads, stores.
///
/// # Errors
/// The message cannot be taken (see [`InboundError`]).
pub async fn receive(state: &AppState, raw: &[u8]) -> Result<Received, InboundError> {
    let limit = state.config.mail_max_inbound_bytes();
    if raw.len() > limit {
        return Err(InboundError::TooLarge {
            size: raw.len(),
            limit,
        });
    }
    let msg = match mail::inbound::parse(raw) {
        Ok(m) => m,
        Err(ParseError::Empty) => return Err(InboundError::Empty),
        Err(e) => return Err(InboundError::NotMail(e)),
    };
    match &msg.class {
        Class::Person => {}
        Class::Bounce(b) => return bounce(state, &msg, b).await,
        Class::AutoReply(_) | Class::Bulk(_) => {
            tracing::info!(
                class = msg.class.key(),
                reason = msg.class.reason(),
                "inbound mail dropped (never answered)"
            );
            return Ok(Received {
                ticket_id: None,
                created: false,
                secrets_removed: 0,
                class: msg.class.key(),
                duplicate: false,
            });
        }
    }
    let sender = msg
        .from
        .as_deref()
        .and_then(|f| EmailAddress::parse(f).ok())
        .ok_or(InboundError::NoSender)?;

    if let Some(id) = &msg.message_id
        && let Some(ticket) = state.store.ticket_for_message_ids(&[id_hash(id)]).await?
    {
        tracing::info!(ticket.id = %ticket, "inbound mail taken before; not added again");
        return Ok(Received {
            ticket_id: Some(ticket),
            created: false,
            secrets_removed: 0,
            class: msg.class.key(),
            duplicate: true,
        });
    }

    let mut notes: Vec<Note> = Vec::new();
    for p in &msg.problems {
        notes.push(Note::Problem(problem_text(p)));
    }
    let (uploads, secrets_in_names) = images(&msg, &mut notes);
    notes.extend(auth_notes(state, raw, &sender));

    let (ticket_id, created, secrets) = match thread(state, &msg, &sender).await? {
        Some(ticket) => {
            let text = body_text(
                &msg,
                &mut notes,
                state.i18n.get(ticket.lang, "mail.in.no_text"),
            );
            // Replies per sender (the web's replies per client; mail never passes the
            // rate-limit layer).
            state.limit(
                "reply:client",
                &format!("mail:{}", sender.mailbox_key()),
                state.config.limits.replies_per_client,
            )?;
            let found = match crate::tickets::user_reply(state, &ticket, &text, &uploads).await {
                Err(ApiError::BadRequest {
                    code: crate::error::ErrorCode::AttachmentQuota,
                    ..
                }) => {
                    notes.push(Note::Key("mail.in.note.quota"));
                    crate::tickets::user_reply(state, &ticket, &text, &[]).await?
                }
                other => other?,
            };
            let found = found + secrets_in_names;
            if found > 0 {
                if secrets_in_names > 0 {
                    crate::tickets::flag_secret(state, ticket.id).await?;
                }
                secret_mail(state, &ticket).await?;
            }
            (ticket.id, false, found)
        }
        None => {
            let wait = state.limiter.wait(
                &format!("ticket:email:{}", sender.mailbox_key()),
                state.config.limits.tickets_per_email,
            );
            if let Some(retry_after_secs) = wait {
                return Err(InboundError::RateLimited { retry_after_secs });
            }
            let lang_guess = if msg.new_text.chars().chain(msg.subject.chars()).any(is_han) {
                Lang::ZhCn
            } else {
                Lang::En
            };
            let text = body_text(
                &msg,
                &mut notes,
                state.i18n.get(lang_guess, "mail.in.no_text"),
            );
            let valid = new_ticket(state, &msg, &sender, &text, lang_guess)?;
            let secrets = valid.secrets_removed + secrets_in_names;
            let mut valid = valid;
            valid.channel = domain::Channel::Email;
            if secrets_in_names > 0 {
                valid.secrets_removed = secrets;
            }
            let lead = (secrets > 0)
                .then(|| Redacted::clean(&state.i18n.get(valid.lang, "mail.in.secret.body")));
            let created = crate::tickets::create_valid(state, valid, &uploads, lead).await?;
            (created.ticket.id, true, secrets)
        }
    };

    if let Some(id) = &msg.message_id {
        state
            .store
            .record_message_id(&id_hash(id), ticket_id, state.now())
            .await?;
    }
    for note in notes {
        system_note(state, ticket_id, &note).await?;
    }
    tracing::info!(
        ticket.id = %ticket_id,
        created,
        secrets_removed = secrets,
        html = msg.from_html,
        quote_cut = msg.quote_cut,
        problems = msg.problems.len(),
        "inbound mail taken"
    );
    Ok(Received {
        ticket_id: Some(ticket_id),
        created,
        secrets_removed: secrets,
        class: msg.class.key(),
        duplicate: false,
    })
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The ticket this mail continues, if it continues one of its sender's (module doc, step 5).
async fn thread(
    state: &AppState,
    msg: &Inbound,
    sender: &EmailAddress,
) -> Result<Option<Ticket>, InboundError> {
    let mut candidates: Vec<TicketId> = Vec::new();
    if let Some(pattern) = state.config.mail_reply_pattern() {
        for tag in msg.reply_tags(pattern) {
            if let Some(id) = mail::reply_tag::parse(state.link_key.bytes(), tag) {
                candidates.push(TicketId(id));
            }
        }
    }
    let hashes: Vec<String> = msg.replied_ids.iter().map(|i| id_hash(i)).collect();
    if let Some(id) = state.store.ticket_for_message_ids(&hashes).await? {
        candidates.push(id);
    }
    if let Some(n) = msg.subject_ticket() {
        candidates.push(TicketId(n));
    }
    for id in candidates {
        let mut ticket = match state.store.ticket(id).await {
            Ok(t) => t,
            Err(store::StoreError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        };
        // A merged ticket's conversation goes on in the one it was merged into.
        for _ in 0..4 {
            match ticket.merged_into {
                Some(into) => ticket = state.store.ticket(into).await?,
                None => break,
            }
        }
        let same_requester = ticket
            .requester
            .as_str()
            .eq_ignore_ascii_case(sender.as_str());
        // A closed ticket is not reopened by mail (no view shows a closed ticket's new
        // message): the mail becomes a new ticket, as a web user's would.
        if same_requester && ticket.status != domain::Status::Closed {
            return Ok(Some(ticket));
        }
        tracing::info!(ticket.id = %ticket.id, "inbound mail names a ticket of another requester; not appended");
    }
    Ok(None)
}

/// The text to store: the new text, cut to the message limit (with a note), or a placeholder
/// when the mail had none.
fn body_text(msg: &Inbound, notes: &mut Vec<Note>, empty: String) -> String {
    let text = msg.new_text.trim();
    if text.is_empty() {
        return empty;
    }
    let max = domain::draft::MAX_BODY_BYTES;
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    notes.push(Note::Key("mail.in.note.cut"));
    text[..end].to_owned()
}

/// A checked and redacted new ticket from the mail (module doc, step 6).
fn new_ticket(
    state: &AppState,
    msg: &Inbound,
    sender: &EmailAddress,
    text: &str,
    lang: Lang,
) -> Result<domain::ValidTicket, InboundError> {
    let subject = one_line(&msg.subject, domain::draft::MAX_SUBJECT_CHARS);
    let subject = if subject.is_empty() {
        state.i18n.get(lang, "mail.in.no_subject")
    } else {
        subject
    };
    // Fields and the category are read from the redacted text only: a private key written as
    // 64 hex digits is a "transaction id" to a pattern, and must never become a field.
    let clean = Redacted::joint(&[&subject, text])
        .map_err(|_| InboundError::Failed("text too large to check".into()))?;
    let clean_text = clean
        .parts
        .iter()
        .map(Redacted::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    let (mut tx_hash, mut address) = (None, None);
    for (_, id) in wallet::ident::find_identifiers(&clean_text) {
        let token = id.input.as_str();
        if tx_hash.is_none() && wallet::ident::TxHash::parse(token, None).is_ok() {
            tx_hash = Some(token.to_owned());
        } else if address.is_none() && wallet::ident::Address::parse(token, None).is_ok() {
            address = Some(token.to_owned());
        }
    }
    let topic = state
        .assistant
        .current()
        .assistant
        .answer(&clean_text, lang)
        .topic;
    let guessed = crate::assist::category_for(topic);
    let mut draft = TicketDraft {
        email: sender.as_str().to_owned(),
        category: guessed.as_str().to_owned(),
        subject,
        body: text.to_owned(),
        chain: None,
        tx_hash,
        address,
        app_version: None,
        device_os: None,
    };
    // The guess may ask for fields a mail does not carry (a chain, an app version), or a
    // recognised value may not pass the form's own check: fall back, one step at a time, to
    // what the mail can be.
    for step in 0..3 {
        match draft.validate() {
            Ok(v) => return Ok(v),
            Err(e) => {
                tracing::debug!(step, errors = e.0.len(), "inbound draft falls back");
                match step {
                    0 => draft.category = domain::Category::Other.as_str().to_owned(),
                    1 => (draft.tx_hash, draft.address) = (None, None),
                    _ => {}
                }
            }
        }
    }
    draft
        .validate()
        .map_err(|e| InboundError::Failed(format!("the mail does not make a ticket: {:?}", e.0)))
}

/// The images that pass the screenshot pipeline, and how many secrets their names held;
/// everything else gets a note.
fn images(msg: &Inbound, notes: &mut Vec<Note>) -> (Vec<Upload>, usize) {
    let mut uploads = Vec::new();
    let mut secrets = 0;
    let mut too_many = false;
    for a in &msg.attachments {
        let (name, found) = match Redacted::new(&a.filename) {
            Ok((r, f)) => (r.into_string(), f.len()),
            Err(_) => (String::new(), 0),
        };
        secrets += found;
        let name = if name.is_empty() {
            "—".to_owned()
        } else {
            one_line(&name, 120)
        };
        if !a.content_type.starts_with("image/") {
            notes.push(Note::Refused {
                name,
                content_type: one_line(&a.content_type, 80),
            });
            continue;
        }
        match crate::images::clean(&a.bytes) {
            Ok(image) if uploads.len() < MAX_FILES => uploads.push(Upload {
                filename: name,
                image,
            }),
            Ok(_) => too_many = true,
            Err(e) => notes.push(Note::Image {
                name,
                why: e.to_string(),
            }),
        }
    }
    if too_many {
        notes.push(Note::Key("mail.in.note.too_many"));
    }
    (uploads, secrets)
}

/// A note for agents on the ticket (always written in both languages: the agent's is not
/// known when the mail arrives).
enum Note {
    Key(&'static str),
    Problem(String),
    Refused {
        name: String,
        content_type: String,
    },
    Image {
        name: String,
        why: String,
    },
    Auth {
        server: String,
        results: mail::auth_results::AuthResults,
    },
    DmarcFailed {
        from: String,
    },
}

/// The trusted MTA's SPF/DKIM/DMARC results as a note on the message, and a warning of its
/// own when the `From` failed DMARC (`mail::auth_results`; `[mail] trusted_authserv_id`).
fn auth_notes(state: &AppState, raw: &[u8], sender: &EmailAddress) -> Vec<Note> {
    let trusted = state
        .config
        .mail
        .as_ref()
        .map_or("", |m| m.trusted_authserv_id.as_str());
    if trusted.is_empty() {
        return Vec::new();
    }
    let values = mail::auth_results::header_values(raw);
    let results = mail::auth_results::trusted_results(values.iter().map(String::as_str), trusted);
    if results.is_empty() {
        return Vec::new();
    }
    let mut notes = vec![Note::Auth {
        server: one_line(trusted, 100),
        results,
    }];
    if results.dmarc_failed() {
        notes.push(Note::DmarcFailed {
            from: sender.as_str().to_owned(),
        });
    }
    notes
}

fn problem_text(p: &Problem) -> String {
    match p {
        Problem::UnknownCharset(cs) => format!("{}: {}", p.key(), one_line(cs, 40)),
        _ => p.key().to_owned(),
    }
}

async fn system_note(state: &AppState, ticket: TicketId, note: &Note) -> Result<(), InboundError> {
    let text = |lang: Lang| match note {
        Note::Key(k) => state.i18n.get(lang, k),
        Note::Problem(what) => state
            .i18n
            .format(lang, "mail.in.note.problem", &[("what", what)]),
        Note::Refused { name, content_type } => state.i18n.format(
            lang,
            "mail.in.note.refused",
            &[("name", name), ("type", content_type)],
        ),
        Note::Auth { server, results } => {
            let word = |v: Option<mail::auth_results::Verdict>| v.map_or("-", |v| v.as_str());
            state.i18n.format(
                lang,
                "mail.in.note.auth",
                &[
                    ("server", server),
                    ("spf", word(results.spf)),
                    ("dkim", word(results.dkim)),
                    ("dmarc", word(results.dmarc)),
                ],
            )
        }
        Note::DmarcFailed { from } => {
            state
                .i18n
                .format(lang, "mail.in.note.dmarc_fail", &[("from", from)])
        }
        Note::Image { name, why } => {
            state
                .i18n
                .format(lang, "mail.in.note.image", &[("name", name), ("why", why)])
        }
    };
    let body = Redacted::clean(&format!("{}\n{}", text(Lang::En), text(Lang::ZhCn)));
    state
        .store
        .append_message(NewMessage {
            ticket_id: ticket,
            author: domain::Author::System,
            kind: domain::MessageKind::Note,
            body,
            secrets_removed: 0,
            now: state.now(),
        })
        .await?;
    Ok(())
}

/// Tells the requester that a secret was removed from their reply, and what to do now.
async fn secret_mail(state: &AppState, ticket: &Ticket) -> Result<(), InboundError> {
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang: ticket.lang,
    };
    // With the address's anti-phishing code on top and the "never asks" line (mail/notify.rs).
    let body_text = crate::mail::notify::text(&t.get("mail.in.secret.body"));
    state
        .store
        .enqueue_mail(NewMail {
            to: ticket.requester.clone(),
            subject: Redacted::clean(&format!(
                "[{}] {}",
                t.fmt1("ticket.number", "id", &ticket.id.to_string()),
                t.get("mail.in.secret.subject")
            )),
            body_text,
            link_seed: None,
            kind: "secret_removed".into(),
            ticket_id: Some(ticket.id),
            lang: ticket.lang,
            now: state.now(),
        })
        .await?;
    Ok(())
}

/// A delivery failure: marks the failed addresses as bouncing on the tickets the bounced mail
/// was about (by the reply tag in its returned headers, its message id, or the requester's
/// open tickets), with a note for agents. Never answered.
async fn bounce(state: &AppState, msg: &Inbound, b: &Bounce) -> Result<Received, InboundError> {
    let mut tickets: Vec<TicketId> = Vec::new();
    if let Some(pattern) = state.config.mail_reply_pattern() {
        for r in &b.original_recipients {
            if let Some(id) = mail::reply_tag::tag_in(pattern, r)
                .and_then(|t| mail::reply_tag::parse(state.link_key.bytes(), t))
            {
                tickets.push(TicketId(id));
            }
        }
    }
    if let Some(id) = &b.original_message_id
        && let Some(t) = state.store.ticket_for_message_ids(&[id_hash(id)]).await?
    {
        tickets.push(t);
    }
    let failed: Vec<EmailAddress> = b
        .recipients
        .iter()
        .filter_map(|r| EmailAddress::parse(r).ok())
        .collect();
    if tickets.is_empty() {
        for addr in &failed {
            tickets.extend(
                state
                    .store
                    .open_tickets_of(addr, 5)
                    .await?
                    .iter()
                    .map(|t| t.id),
            );
        }
    }
    tickets.sort_unstable_by_key(|t| t.0);
    tickets.dedup();
    let status = b
        .status
        .as_deref()
        .filter(|s| s.len() <= 12 && s.bytes().all(|c| c.is_ascii_digit() || c == b'.'));
    let mut marked = None;
    for id in tickets {
        let ticket = match state.store.ticket(id).await {
            Ok(t) => t,
            Err(store::StoreError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        };
        // Only the requester's own address is recorded: a bounce names what it names, and a
        // forged one must not put a stranger's address on a ticket.
        let requester_failed = failed.is_empty()
            || failed
                .iter()
                .any(|f| f.as_str().eq_ignore_ascii_case(ticket.requester.as_str()));
        if !requester_failed {
            continue;
        }
        state
            .store
            .mark_bouncing(id, &ticket.requester, status, state.now())
            .await?;
        let text = |lang: Lang| {
            state.i18n.format(
                lang,
                "mail.in.note.bounce",
                &[
                    ("address", ticket.requester.as_str()),
                    ("status", status.unwrap_or("—")),
                ],
            )
        };
        state
            .store
            .append_message(NewMessage {
                ticket_id: id,
                author: domain::Author::System,
                kind: domain::MessageKind::Note,
                body: Redacted::clean(&format!("{}\n{}", text(Lang::En), text(Lang::ZhCn))),
                secrets_removed: 0,
                now: state.now(),
            })
            .await?;
        marked.get_or_insert(id);
    }
    tracing::info!(
        class = "bounce",
        reason = b.reason,
        tickets_marked = marked.is_some(),
        "inbound bounce"
    );
    Ok(Received {
        ticket_id: marked,
        created: false,
        secrets_removed: 0,
        class: msg.class.key(),
        duplicate: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_hash_without_their_brackets() {
        assert_eq!(id_hash("<a@b>"), id_hash("a@b"));
        assert_ne!(id_hash("a@b"), id_hash("a@c"));
        assert_eq!(id_hash("a@b").len(), 64);
    }

    #[test]
    fn subjects_become_one_bounded_line() {
        assert_eq!(
            one_line("Re:\r\n  [Ticket #1]\tHi", 200),
            "Re: [Ticket #1] Hi"
        );
        assert_eq!(one_line("abcdef", 3), "abc");
    }
}
