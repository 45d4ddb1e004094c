//! `walletdesk mail receive`: one RFC 5322 message on stdin → a ticket, for a Postfix pipe
//! (`mailbox_command`, `pipe(8)`) or any MTA that can run a command per message. The same
//! path as IMAP (`server::mail::inbound::receive`).
//!
//! Exit status: 0 taken (or dropped on purpose: an auto-reply, a list, a bounce — the JSON
//! says which), 2 input it cannot take (empty, not a mail, over the size limit, no sender:
//! retrying cannot help, so the MTA should bounce it), 75 (`EX_TEMPFAIL`) a failure a later try
//! may get past (a rate limit, the database): the MTA keeps the message and tries again.

use std::io::{Read, Write};

use anyhow::Context;
use server::Config;
use server::mail::inbound::receive;

/// A failure the MTA should retry: exit status 75.
#[derive(Debug)]
pub(crate) struct TempFail(pub(crate) String);

impl std::fmt::Display for TempFail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TempFail {}

/// The exit status the MTA reads as "try again later" (`sysexits.h`).
pub(crate) const EX_TEMPFAIL: u8 = 75;

pub(crate) fn receive_stdin(config: Config, out: &mut impl Write) -> anyhow::Result<()> {
    let limit = config.mail_max_inbound_bytes();
    let mut raw = Vec::new();
    std::io::stdin()
        .lock()
        .take(u64::try_from(limit).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut raw)
        .context("reading the message from stdin")?;
    if raw.len() > limit {
        // Say so without reading the rest: the MTA bounces it with this line.
        return Err(crate::UsageError(format!(
            "the message is larger than the {limit}-byte limit"
        ))
        .into());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = crate::server_cmd::open_for(&config)
            .await
            .map_err(|e| TempFail(format!("{e:#}")))?;
        store.migrate().await.map_err(|e| TempFail(e.to_string()))?;
        let state = server::AppState::new(store, config);
        // The assistant guesses a new ticket's category from the published articles.
        if let Err(e) = server::assist::rebuild(&state).await {
            tracing::warn!(error = %e, "assistant not built; new tickets get category other");
        }
        match receive(&state, &raw).await {
            Ok(r) => {
                let line = serde_json::json!({
                    "ticket_id": r.ticket_id.map(|t| t.0),
                    "created": r.created,
                    "secrets_removed": r.secrets_removed,
                    "class": r.class,
                    "duplicate": r.duplicate,
                });
                writeln!(out, "{line}")?;
                Ok(())
            }
            Err(e) if e.is_permanent() => Err(crate::UsageError(e.to_string()).into()),
            // Rate limits and storage failures: a later try may get through.
            Err(e) => Err(TempFail(e.to_string()).into()),
        }
    })
}
