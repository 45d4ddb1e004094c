//! "Is this really us?": the use cases behind `/verify` and `/api/v1/verify` — check a pasted
//! value against the official channels (`official` crate), explain each finding in the viewer's
//! language, and report a fake as a security ticket.
//!
//! The channels are the brand the pages show ([`crate::AppState::brand`]: the configuration
//! with the admin's `/admin/brand` overrides), so a channel an admin adds is used at once.
//!
//! A value that holds a recovery phrase or private key (`query_guard::holds_secret`) is never
//! checked, echoed or logged: the answer says why and that nobody should ever be given it.
//! Nothing here logs the value itself.

use domain::{Lang, TicketDraft};
use official::{Channel, Official, Verdict};

use crate::error::ApiError;
use crate::i18n::Tr;
use crate::tickets::{self, Created};
use crate::{AppState, query_guard};

/// The longest value checked: a long link fits, a pasted letter does not.
pub(crate) const MAX_VALUE_CHARS: usize = official::MAX_INPUT_CHARS;

/// Why a value was not checked.
#[derive(Debug)]
pub(crate) enum Refusal {
    Missing,
    TooLong,
    /// It holds a recovery phrase or private key.
    Secret,
}

impl Refusal {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Refusal::Missing => "value_missing",
            Refusal::TooLong => "value_too_long",
            Refusal::Secret => "value_contains_secret",
        }
    }

    pub(crate) fn message(&self, t: &Tr<'_>) -> String {
        t.get(&format!("verify.refused.{}", self.code()))
    }
}

/// The official channels as the pages show them now.
pub(crate) fn official(state: &AppState) -> Official {
    let brand = state.brand();
    let channels: Vec<Channel<'_>> = brand
        .official_channels
        .iter()
        .map(|c| Channel {
            kind: &c.kind,
            value: &c.value,
        })
        .collect();
    Official::new(&brand.name, &channels)
}

/// Checks `value` (how often a client may ask is the rate-limit layer's, `limit.rs`).
///
/// # Errors
/// A [`Refusal`]: empty, too long, or a secret.
pub(crate) fn check(state: &AppState, value: &str) -> Result<Verdict, Refusal> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Refusal::Missing);
    }
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(Refusal::TooLong);
    }
    if query_guard::holds_secret(value) {
        return Err(Refusal::Secret);
    }
    let verdict = official(state).check(value);
    tracing::info!(
        official = verdict.official,
        kind = verdict.kind.as_str(),
        findings = ?verdict.codes(),
        "official channel checked"
    );
    Ok(verdict)
}

/// The verdict again for a page that shows it a second time (the report form sent back with
/// an error): not logged again, and `None` for what [`check`] refuses.
pub(crate) fn verdict_unlimited(state: &AppState, value: &str) -> Option<Verdict> {
    let value = value.trim();
    (!value.is_empty()
        && value.chars().count() <= MAX_VALUE_CHARS
        && !query_guard::holds_secret(value))
    .then(|| official(state).check(value))
}

/// A finding in words, in `t`'s language.
pub(crate) fn explain(t: &Tr<'_>, f: &official::Finding, brand: &str) -> String {
    let detail = f.detail.as_deref().unwrap_or("");
    t.i18n.format(
        t.lang,
        &f.message_key,
        &[("detail", detail), ("brand", brand)],
    )
}

/// The name of a kind in `t`'s language.
pub(crate) fn kind_label(t: &Tr<'_>, kind: official::Kind) -> String {
    t.get(&format!("verify.kind.{}", kind.as_str()))
}

/// A report of a fake, as the form sent it.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub value: String,
    pub email: String,
    pub note: String,
}

/// Where a report without an e-mail address is filed: `.invalid` (RFC 2606) never receives
/// mail. One random address per report, so that anonymous reports do not share one
/// per-address limit (the per-client limit still holds).
fn anonymous_requester() -> Result<String, ApiError> {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).map_err(|e| ApiError::Internal(e.to_string()))?;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("report-{hex}@reports.invalid"))
}

/// Opens a `security` ticket with the evidence: the value, what it was read as and each finding
/// (in the reporter's language), and the reporter's note. Redacted like every ticket (the
/// normal use case, `tickets::create`).
///
/// # Errors
/// A [`Refusal`] turned into an error (a secret in the value), invalid fields (the e-mail
/// address, a note too long), rate limits, storage failures.
pub(crate) async fn report(state: &AppState, lang: Lang, r: &Report) -> Result<Created, ApiError> {
    let value = r.value.trim();
    if value.is_empty() || value.chars().count() > MAX_VALUE_CHARS {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::BadForm,
            "the value to report is missing or too long",
        ));
    }
    if query_guard::holds_secret(value) {
        return Err(ApiError::SecretInQuery);
    }
    let verdict = official(state).check(value);
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let brand = state.brand().name.clone();
    let mut body = format!(
        "{}\n\n{}{}{}\n{}{}{}\n",
        t.get("verify.report.ticket_lead"),
        t.get("verify.report.ticket_value"),
        t.colon(),
        value,
        t.get("verify.report.ticket_kind"),
        t.colon(),
        kind_label(&t, verdict.kind),
    );
    body.push_str(&t.get("verify.report.ticket_findings"));
    body.push_str(t.colon());
    body.push('\n');
    // What the user and the agent read: the findings in words (their codes are the API's).
    for f in &verdict.findings {
        body.push_str(&format!("- {}\n", explain(&t, f, &brand)));
    }
    let note = r.note.trim();
    if !note.is_empty() {
        body.push('\n');
        body.push_str(&t.get("verify.report.ticket_note"));
        body.push_str(t.colon());
        body.push('\n');
        body.push_str(note);
        body.push('\n');
    }
    let email = match r.email.trim() {
        "" => anonymous_requester()?,
        e => e.to_owned(),
    };
    let short: String = value.chars().take(80).collect();
    let draft = TicketDraft {
        email,
        category: "security".into(),
        subject: t.fmt1("verify.report.ticket_subject", "value", &short),
        body,
        ..TicketDraft::default()
    };
    tickets::create(state, &draft, &[]).await
}
