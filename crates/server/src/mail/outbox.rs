//! Delivery of the outbox over SMTP: a background worker with retries and back-off.
//!
//! Each round claims the mail that is due under a lease (`Store::claim_due_mail`: two desk
//! nodes on one database never send the same mail at once), builds each mail with the pure
//! `mail::outbound` (the link put in now, with `render_body`: the stored body never holds it),
//! sends it, and marks it sent. A failed try records the server's answer and is due again after
//! an exponential back-off with jitter; a permanent refusal (5xx) or the last try makes the mail
//! failed, for an admin to see on `/admin/mail` and retry. A node that dies between claim and
//! mark leaves a lease that runs out: the mail is sent again, with the same Message-ID
//! (written with the mail), so the recipient's client shows it once — at-least-once delivery.

use std::sync::Arc;
use std::time::Duration;

use domain::{Lang, Redacted, Timestamp};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use store::{MailFailure, OutboxMail, StoreError};

use super::config::{MailConfig, Security, SmtpTarget};
use crate::AppState;

/// The SMTP side: the transport (a pool of connections) and the settings it was made from.
pub struct Mailer {
    config: MailConfig,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    dkim: Option<lettre::message::dkim::DkimConfig>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Why one mail could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// Trying again cannot help (a 5xx answer, a mail we cannot build).
    pub permanent: bool,
    pub message: String,
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Mailer {
    /// # Errors
    /// The SMTP URL or the DKIM key is unusable.
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let target = SmtpTarget::parse(&config.smtp_url)?;
        let tls = |host: &str| {
            TlsParameters::new(host.to_owned()).map_err(|e| format!("TLS for {host}: {e}"))
        };
        let host = target.host.clone();
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(target.port)
            .tls(match target.security {
                Security::Implicit => Tls::Wrapper(tls(&host)?),
                Security::StartTls => Tls::Required(tls(&host)?),
                Security::Opportunistic => Tls::Opportunistic(tls(&host)?),
                Security::None => Tls::None,
            })
            .hello_name(ClientId::Domain(config.domain().to_owned()))
            .timeout(Some(Duration::from_secs(config.timeout_secs)));
        let builder = match (&target.user, &target.password) {
            (Some(u), p) => {
                builder.credentials(Credentials::new(u.clone(), p.clone().unwrap_or_default()))
            }
            (None, _) => builder,
        };
        let dkim = config.dkim.as_ref().map(load_dkim).transpose()?;
        Ok(Mailer {
            config: config.clone(),
            transport: builder.build(),
            dkim,
        })
    }

    #[must_use]
    pub fn config(&self) -> &MailConfig {
        &self.config
    }

    /// Sends built bytes to one recipient.
    ///
    /// # Errors
    /// The server refused the mail or could not be reached.
    pub async fn send(&self, to: &str, raw: Vec<u8>) -> Result<(), SendError> {
        let bad = |m: String| SendError {
            permanent: true,
            message: m,
        };
        let from: lettre::Address = self
            .config
            .from
            .parse()
            .map_err(|e| bad(format!("from: {e}")))?;
        let to: lettre::Address = to.parse().map_err(|e| bad(format!("to: {e}")))?;
        let envelope =
            Envelope::new(Some(from), vec![to]).map_err(|e| bad(format!("envelope: {e}")))?;
        let raw = match &self.dkim {
            Some(d) => dkim_sign(&raw, d).map_err(bad)?,
            None => raw,
        };
        self.transport
            .send_raw(&envelope, &raw)
            .await
            .map(|_| ())
            .map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: short_error(&e),
            })
    }
}

/// The error as stored and shown to admins: its chain on one line, cut short, redacted like
/// any text from outside (a server may echo what it was sent).
fn short_error(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    Redacted::text(&s).map_or_else(|_| "error text withheld".to_owned(), Redacted::into_string)
}

/// Loads the DKIM key at start-up: a key that cannot sign is an error here, never a mail that
/// silently leaves unsigned.
fn load_dkim(d: &super::config::DkimSettings) -> Result<lettre::message::dkim::DkimConfig, String> {
    use lettre::message::dkim::{
        DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
        DkimSigningKey,
    };
    use lettre::message::header::HeaderName;
    let file = d.key_file.display();
    let key = std::fs::read_to_string(&d.key_file)
        .map_err(|e| format!("mail.dkim.key_file {file}: {e}"))?;
    let (algorithm, want) = if d.algorithm == "ed25519" {
        (
            DkimSigningAlgorithm::Ed25519,
            "the base64 of a 32-byte Ed25519 seed (algorithm = \"ed25519\")",
        )
    } else {
        (
            DkimSigningAlgorithm::Rsa,
            "an RSA key in PKCS#1 PEM, \"-----BEGIN RSA PRIVATE KEY-----\" \
             (openssl genrsa -traditional; a PKCS#8 key converts with openssl rsa -traditional)",
        )
    };
    // A seed file ends with a newline like any text file; PEM keeps its own.
    let text = match algorithm {
        DkimSigningAlgorithm::Ed25519 => key.trim(),
        DkimSigningAlgorithm::Rsa => key.as_str(),
    };
    let key = DkimSigningKey::new(text, algorithm).map_err(|e| {
        format!("mail.dkim.key_file {file}: not a usable key ({e}): expected {want}")
    })?;
    // relaxed/relaxed: lettre's default "simple" header canonicalization hashes its
    // DKIM-Signature header folded one way and writes it folded another, which no verifier
    // accepts (dkimpy found it: `tests/it/mail_dkim.rs`); relaxed is what relays keep intact
    // anyway. The threading headers are signed too, so nobody can re-thread a signed mail.
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Reply-To",
        "Content-Type",
        "MIME-Version",
        "Auto-Submitted",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    Ok(DkimConfig::new(
        d.selector.clone(),
        d.domain.clone(),
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

/// DKIM-signs built bytes: lettre signs its own `Message`, so the built headers and body are
/// handed to its builder as they are (already encoded) and the result written out again.
fn dkim_sign(raw: &[u8], d: &lettre::message::dkim::DkimConfig) -> Result<Vec<u8>, String> {
    use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
    use lettre::message::{Body, Message};
    let text = std::str::from_utf8(raw).map_err(|_| "built mail is not UTF-8".to_owned())?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| "built mail has no body".to_owned())?;
    let mut builder = Message::builder();
    // Unfold: one (name, value) per header; continuation lines belong to the one before.
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(last) = headers.last_mut() {
                last.1.push_str("\r\n");
                last.1.push_str(line);
            }
        } else if let Some((n, v)) = line.split_once(": ") {
            headers.push((n.to_owned(), v.to_owned()));
        }
    }
    for (name, value) in headers {
        let name = HeaderName::new_from_ascii(name).map_err(|e| format!("header: {e}"))?;
        builder = builder.raw_header(HeaderValue::dangerous_new_pre_encoded(
            name,
            value.clone(),
            value,
        ));
    }
    // The top level is multipart: 7bit is what it is; the parts keep their own encodings.
    let mut message = builder
        .body(Body::dangerous_pre_encoded(
            body.as_bytes().to_vec(),
            ContentTransferEncoding::SevenBit,
        ))
        .map_err(|e| format!("DKIM: {e}"))?;
    message.sign(d);
    Ok(message.formatted())
}

/// Mails of a round sent at the same time (the pool keeps up to this many connections).
const SEND_AT_ONCE: usize = 8;

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: u32,
    /// Failed tries that will be tried again.
    pub retried: u32,
    /// Mails failed for good (until an admin retries them).
    pub failed: u32,
}

/// The wait before try `attempts + 1`, after `attempts` tries: the base doubled per try, capped,
/// with "equal jitter" (half fixed, half random) so that mails that failed together do not all
/// come back together.
#[must_use]
pub fn backoff_ms(config: &MailConfig, attempts: u32, random: u64) -> i64 {
    let exp = attempts.saturating_sub(1).min(30);
    let full = config
        .retry_base_secs
        .saturating_mul(1 << exp)
        .min(config.retry_max_secs)
        .saturating_mul(1000);
    let half = full / 2;
    let jitter = if half == 0 { 0 } else { random % (half + 1) };
    i64::try_from(half + jitter).unwrap_or(i64::MAX)
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    // Jitter only: a failed random source means no jitter, not no mail.
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
}

/// Builds a stored mail as it is sent now.
///
/// # Errors
/// The ticket cannot be read (transient), or the mail cannot be built (permanent).
pub async fn compose(
    state: &AppState,
    config: &MailConfig,
    mail: &OutboxMail,
) -> Result<Vec<u8>, SendError> {
    let ticket = match mail.ticket_id {
        Some(id) => Some(state.store.ticket(id).await.map_err(|e| SendError {
            permanent: matches!(e, StoreError::NotFound),
            message: format!("reading ticket {id}: {e}"),
        })?),
        None => None,
    };
    let lang = mail_lang(mail, ticket.as_ref().map(|t| t.lang));
    let domain = config.domain();
    let root = ticket.as_ref().map(|t| {
        mail::outbound::message_id(
            &mail::outbound::thread_root_local(t.id.0, t.created_at.0),
            domain,
        )
    });
    let reply_to = match (&ticket, config.reply_to.is_empty()) {
        (Some(t), false) => Some(mail::reply_tag::address(
            &config.reply_to,
            state.link_key.bytes(),
            t.id.0,
        )),
        _ => None,
    };
    let brand = state.brand.get(&state.config.brand);
    let from_name = if config.from_name.is_empty() {
        brand.name.clone()
    } else {
        config.from_name.clone()
    };
    let text = super::render_body(mail, &state.link_key, &state.config.effective_public_url());
    let message_id = mail::outbound::message_id(&mail.message_id, domain);
    let code = anti_phishing_code(state, mail).await?;
    mail::outbound::build(
        &state.i18n,
        &mail::outbound::Outgoing {
            lang,
            from_name: &from_name,
            from_addr: &config.from,
            to: mail.to.as_str(),
            reply_to: reply_to.as_deref(),
            subject: &mail.subject,
            text: &text,
            message_id: &message_id,
            thread_root: root.as_deref(),
            // A person's reply is not an automatic mail (RFC 3834); everything else is.
            auto_submitted: mail.kind != "agent_reply",
            anti_phishing_code: code.as_deref(),
            date_ms: state.now().0,
        },
    )
    .map_err(|e| SendError {
        permanent: true,
        message: e.to_string(),
    })
}

/// The language of the lines the sender adds: the mail's own (written with it since
/// 0012_mail_lang), else — mail queued before — its ticket's, else English.
fn mail_lang(mail: &OutboxMail, ticket: Option<Lang>) -> Lang {
    mail.lang.or(ticket).unwrap_or(Lang::En)
}

/// The recipient's anti-phishing code, when they set one (`mail/phishing_code.rs`): looked up
/// at send time, so the outbox never holds it. A lookup that fails postpones the mail rather
/// than sending it without the code.
async fn anti_phishing_code(
    state: &AppState,
    mail: &OutboxMail,
) -> Result<Option<String>, SendError> {
    super::phishing_code::lookup(state, &mail.to)
        .await
        .map_err(|e| SendError {
            permanent: false,
            message: format!("reading the anti-phishing code: {e}"),
        })
}

/// The text part exactly as [`compose`] sends it (code on top, the link rendered, the
/// security line): for tests and previews.
///
/// # Errors
/// As [`compose`].
pub async fn text_as_sent(state: &AppState, mail: &OutboxMail) -> Result<String, SendError> {
    let ticket_lang =
        match (mail.lang, mail.ticket_id) {
            (None, Some(id)) => Some(state.store.ticket(id).await.map(|t| t.lang).map_err(
                |e| SendError {
                    permanent: matches!(e, StoreError::NotFound),
                    message: format!("reading ticket {id}: {e}"),
                },
            )?),
            _ => None,
        };
    let lang = mail_lang(mail, ticket_lang);
    let brand = state.brand.get(&state.config.brand);
    let text = super::render_body(mail, &state.link_key, &state.config.effective_public_url());
    let code = anti_phishing_code(state, mail).await?;
    Ok(mail::outbound::text_body(
        &state.i18n,
        &mail::outbound::Outgoing {
            lang,
            from_name: &brand.name,
            from_addr: "",
            to: mail.to.as_str(),
            reply_to: None,
            subject: &mail.subject,
            text: &text,
            message_id: "",
            thread_root: None,
            auto_submitted: mail.kind != "agent_reply",
            anti_phishing_code: code.as_deref(),
            date_ms: 0,
        },
    ))
}

/// One round: claims what is due, sends it, records each outcome.
///
/// # Errors
/// Storage failures (the round stops; what it claimed comes back when the lease runs out).
pub async fn deliver_due(state: &AppState, mailer: &Mailer) -> Result<Round, StoreError> {
    let config = &mailer.config;
    let now = state.now();
    let lease_ms = i64::try_from(config.lease_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let claimed = state
        .store
        .claim_due_mail(now, Timestamp(now.0.saturating_add(lease_ms)), config.batch)
        .await?;
    let mut round = Round::default();
    // A few at a time over the transport's pooled connections: one SMTP conversation waits
    // mostly on round trips, so mails sent one by one leave the connection idle.
    let mut outcomes = Vec::with_capacity(claimed.len());
    for chunk in claimed.chunks(SEND_AT_ONCE) {
        let sends = chunk.iter().map(|mail| async move {
            match compose(state, config, mail).await {
                Ok(raw) => mailer.send(mail.to.as_str(), raw).await,
                Err(e) => Err(e),
            }
        });
        outcomes.extend(futures_util::future::join_all(sends).await);
    }
    for (mail, outcome) in claimed.into_iter().zip(outcomes) {
        let now = state.now();
        match outcome {
            Ok(()) => {
                state.store.mark_mail_sent(mail.id, now).await?;
                // A reply that names this mail in `In-Reply-To`/`References` threads to its
                // ticket (still only from the ticket's requester: mail/inbound.rs).
                if let Some(ticket) = mail.ticket_id {
                    let id = mail::outbound::message_id(&mail.message_id, config.domain());
                    state
                        .store
                        .record_message_id(&super::inbound::id_hash(&id), ticket, now)
                        .await?;
                }
                tracing::info!(mail.id = mail.id, mail.kind = %mail.kind, attempts = mail.attempts, "mail sent");
                round.sent += 1;
            }
            Err(e) => {
                let last = e.permanent || mail.attempts >= config.max_attempts;
                let retry_at = (!last).then(|| {
                    Timestamp(
                        now.0
                            .saturating_add(backoff_ms(config, mail.attempts, random_u64())),
                    )
                });
                tracing::warn!(mail.id = mail.id, mail.kind = %mail.kind, attempts = mail.attempts, failed = last, error = %e.message, "mail not sent");
                state
                    .store
                    .mail_attempt_failed(
                        mail.id,
                        MailFailure {
                            error: e.message,
                            retry_at,
                        },
                        now,
                    )
                    .await?;
                if last {
                    round.failed += 1;
                } else {
                    round.retried += 1;
                }
            }
        }
    }
    Ok(round)
}

/// The background worker `serve` starts: a round every `poll_ms`, at once again while rounds
/// come back full.
pub async fn run(state: AppState, mailer: Arc<Mailer>) {
    let poll = Duration::from_millis(mailer.config.poll_ms);
    loop {
        match deliver_due(&state, &mailer).await {
            Ok(r) if r.sent + r.retried + r.failed >= mailer.config.batch => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "outbox: storage failed; trying again later"),
        }
        tokio::time::sleep(poll).await;
    }
}

/// `walletdesk mail test --to ADDR`: one mail through the configured transport, built as every
/// mail is (security line, brand). Returns what to print.
///
/// # Errors
/// No `[mail]`, a bad address, or the server's refusal, in one line.
pub async fn send_test(config: &crate::Config, to: &str, now_ms: i64) -> Result<String, String> {
    let mc = config
        .sending_mail()
        .ok_or("no [mail] configured (WALLETDESK_SMTP_URL or [mail] smtp_url)")?;
    let mailer = Mailer::new(mc)?;
    let i18n = i18n::I18n::default();
    let brand = if mc.from_name.is_empty() {
        config.brand.name.clone()
    } else {
        mc.from_name.clone()
    };
    let id = mail::outbound::message_id(&format!("test.{now_ms}.{:x}", random_u64()), mc.domain());
    let raw = mail::outbound::build(
        &i18n,
        &mail::outbound::Outgoing {
            lang: Lang::En,
            from_name: &brand,
            from_addr: &mc.from,
            to,
            reply_to: None,
            subject: &i18n.format(Lang::En, "mail.test.subject", &[("brand", &brand)]),
            text: &i18n.get(Lang::En, "mail.test.body"),
            message_id: &id,
            thread_root: None,
            auto_submitted: true,
            anti_phishing_code: None,
            date_ms: now_ms,
        },
    )
    .map_err(|e| e.to_string())?;
    let target = SmtpTarget::parse(&mc.smtp_url)?;
    mailer
        .send(to, raw)
        .await
        .map_err(|e| format!("not sent via {}:{}: {e}", target.host, target.port))?;
    Ok(format!(
        "sent a test mail to {to} via {}:{} ({:?}), Message-ID {id}",
        target.host, target.port, target.security
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_the_cap() {
        let c = MailConfig {
            retry_base_secs: 60,
            retry_max_secs: 600,
            ..MailConfig::default()
        };
        assert_eq!(backoff_ms(&c, 1, 0), 30_000);
        assert_eq!(backoff_ms(&c, 1, 30_000), 60_000);
        assert_eq!(backoff_ms(&c, 2, 0), 60_000);
        assert_eq!(
            backoff_ms(&c, 3, u64::MAX),
            120_000 + i64::try_from(u64::MAX % 120_001).unwrap()
        );
        assert_eq!(backoff_ms(&c, 9, 0), 300_000);
        assert_eq!(backoff_ms(&c, 40, 300_000), 600_000);
        for r in [0, 1, 7, 99_999, u64::MAX] {
            let d = backoff_ms(&c, 2, r);
            assert!((60_000..=120_000).contains(&d), "{d}");
        }
    }
}
