//! A wallet user's view of their ticket, through the access link `/t/{token}`: the public
//! conversation (never internal notes), replying, marking it solved, rating it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::{Author, Redacted, Status};
use serde::Deserialize;
use store::{Attachment, Message, Ticket, TicketUpdate};

use crate::AppState;
use crate::attachments::{self, AttachmentView, FormWithFiles};
use crate::auth::hash_token;
use crate::error::ApiError;
use crate::tickets;
use crate::web::{
    Chrome, CsrfToken, Done, Problem, ViewerLang, error_page, error_page_keeping, field_message,
    problem_page, render, see_other, summary_line,
};

#[derive(Debug)]
pub(crate) struct MessageView {
    pub who: String,
    pub from_user: bool,
    /// The text; the desk's own messages with their article links as links.
    pub parts: Vec<crate::desk_text::Part>,
    pub at: String,
}

#[derive(Template)]
#[template(path = "user_ticket.html")]
struct UserTicketPage<'a> {
    c: Chrome<'a>,
    token: String,
    title: String,
    subject: String,
    status_label: String,
    /// What the user gave with the ticket, as (label, value): its topic, network, transaction
    /// hash, address, app version and device, those that were given.
    details: Vec<(String, String)>,
    solved: bool,
    closed: bool,
    rated: bool,
    messages: Vec<MessageView>,
    attachments: Vec<AttachmentView>,
    secret_notice: bool,
    /// Just created (`?done=created`): the link to keep, shown once.
    created_link: Option<String>,
    /// A reply sent back with an error: the text (redacted) and the message beside the box.
    draft: String,
    reply_error: Option<String>,
    /// The error summary: (field id, "label: message").
    errors: Vec<(String, String)>,
    /// "Prove you own this address", when the ticket has one.
    proof: Option<ProofSection>,
    /// The rating form came back without a score: its message, and the comment kept.
    rate_error: Option<String>,
    rate_comment: String,
}

/// The address-proof part of the page (`crate::address_proof`).
#[derive(Debug)]
struct ProofSection {
    address: String,
    /// `evm`, `bitcoin`, `tron`, `solana` (for `static/prove.js`).
    chain: &'static str,
    steps_key: &'static str,
    proved: Option<crate::address_proof::ProvedView>,
    /// The open challenge's text and expiry.
    challenge: Option<(String, String)>,
    /// "…until {time}." around the expiry, which the page shows as a `<time>` (localised).
    expires_around: (String, String),
    siwe: bool,
    /// A signature sent back with an error, kept unless it held a secret.
    signature: String,
    error: Option<String>,
    secret: bool,
}

/// What a ticket page shows besides the ticket.
#[derive(Debug, Default)]
struct Extra {
    done: Done,
    draft: String,
    errors: Vec<domain::FieldError>,
    /// A refused signature: the text to put back (empty for a secret) and what went wrong.
    signature: String,
    proof_error: Option<String>,
    proof_secret: bool,
    /// A rating sent without a score: the comment to put back (redacted).
    rate_comment: Option<String>,
}

pub(crate) async fn load(state: &AppState, token: &str) -> Result<Ticket, ApiError> {
    if token.len() != 43 {
        return Err(ApiError::NotFound);
    }
    let ticket = state
        .store
        .ticket_by_access_token(&hash_token(token))
        .await?;
    // A merged ticket's link opens the ticket it went into.
    match ticket.merged_into {
        Some(into) => Ok(state.store.ticket(into).await?),
        None => Ok(ticket),
    }
}

fn views(t: &crate::i18n::Tr<'_>, messages: Vec<Message>) -> Vec<MessageView> {
    messages
        .into_iter()
        .map(|m| MessageView {
            who: match m.author {
                Author::User => t.get("user.ticket.you"),
                Author::Agent(_) => t.get("user.ticket.support"),
                Author::System => t.get("user.ticket.system"),
            },
            from_user: m.author == Author::User,
            parts: if m.author == Author::System {
                crate::desk_text::with_links(m.body.as_str())
            } else {
                crate::desk_text::plain(m.body.as_str())
            },
            at: m.created_at.rfc3339(),
        })
        .collect()
}

/// A link that opens nothing: what happened and where to go instead, keeping the text of a
/// form sent through it.
fn bad_link(state: &AppState, lang: domain::Lang, csrf: &CsrfToken, typed: &str) -> Response {
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    problem_page(
        state,
        lang,
        csrf,
        Problem::ticket_link(&t, state.config.sending_mail().is_some()).keep(typed),
    )
}

async fn page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    token: &str,
    extra: Extra,
) -> Response {
    let ticket = match load(state, token).await {
        Ok(t) => t,
        Err(ApiError::NotFound) => return bad_link(state, lang, csrf, ""),
        Err(e) => return error_page(state, lang, csrf, &e),
    };
    // Public messages only: notes never leave the desk.
    let messages = match state.store.messages(ticket.id, false).await {
        Ok(m) => m,
        Err(e) => return error_page(state, lang, csrf, &e.into()),
    };
    let attachments: Vec<Attachment> = match state.store.attachments(ticket.id).await {
        Ok(a) => a,
        Err(e) => return error_page(state, lang, csrf, &e.into()),
    };
    let proof = match proof_section(state, &ticket, lang).await {
        Ok(p) => p,
        Err(e) => return error_page(state, lang, csrf, &e),
    };
    let created = extra.done.done == "created";
    let c = Chrome::new(state, lang, csrf, &format!("/t/{token}")).with_done(&extra.done);
    let t = c.t;
    let reply_error = extra
        .errors
        .iter()
        .find(|e| e.field == "body")
        .map(|e| field_message(&t, e));
    let errors = extra
        .errors
        .iter()
        .map(|e| {
            let label = t.get("user.ticket.reply");
            (
                "reply-body".to_owned(),
                summary_line(&t, &label, &field_message(&t, e)),
            )
        })
        .collect();
    let rate_error = extra
        .rate_comment
        .is_some()
        .then(|| t.get("error.bad_score"));
    let status = if extra.errors.is_empty() && extra.proof_error.is_none() && rate_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &UserTicketPage {
            token: token.to_owned(),
            title: t.fmt1("ticket.number", "id", &ticket.id.to_string()),
            subject: ticket.subject.as_str().to_owned(),
            status_label: t.get(&format!("status.{}", ticket.status.as_str())),
            details: details(&t, &ticket),
            solved: ticket.status == Status::Solved,
            closed: ticket.status == Status::Closed,
            rated: ticket.rating.is_some(),
            messages: views(&t, messages),
            attachments: attachments::views(attachments, &format!("/t/{token}/attachments")),
            secret_notice: (created && ticket.secret_exposed)
                || extra.done.done == "replied_secret",
            created_link: created
                .then(|| format!("{}/t/{token}", state.config.effective_public_url())),
            draft: extra.draft,
            reply_error,
            errors,
            rate_error,
            rate_comment: extra.rate_comment.unwrap_or_default(),
            proof: proof.map(|mut p| {
                p.error = extra.proof_error.clone();
                p.secret = extra.proof_secret;
                p.signature.clone_from(&extra.signature);
                p
            }),
            c,
        },
    )
}

/// The ticket's fields as the user gave them, labelled in the page's language.
fn details(t: &crate::i18n::Tr<'_>, ticket: &Ticket) -> Vec<(String, String)> {
    let f = &ticket.fields;
    let mut out = vec![(
        t.get("user.ticket.topic"),
        t.get(&format!("category.{}", ticket.category.as_str())),
    )];
    if let Some(chain) = &f.chain {
        out.push((t.get("field.chain"), t.get(&format!("chain.{chain}"))));
    }
    for (key, value) in [
        ("field.tx_hash", f.tx_hash.as_deref()),
        ("field.address", f.address.as_deref()),
        (
            "field.app_version",
            f.app_version.as_ref().map(Redacted::as_str),
        ),
        (
            "field.device_os",
            f.device_os.as_ref().map(Redacted::as_str),
        ),
    ] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            out.push((t.get(key), v.to_owned()));
        }
    }
    out
}

async fn proof_section(
    state: &AppState,
    ticket: &Ticket,
    lang: domain::Lang,
) -> Result<Option<ProofSection>, ApiError> {
    let Some(address) = crate::address_proof::provable_address(ticket) else {
        return Ok(None);
    };
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let proofs = state.store.address_proofs(ticket.id).await?;
    let proved = proofs
        .iter()
        .find(|p| p.address == address.as_str())
        .map(|p| crate::address_proof::proved_view(&t, p));
    if proved.is_none() && ticket.status == Status::Closed {
        return Ok(None);
    }
    let open = if proved.is_none() {
        state
            .store
            .open_address_challenge(ticket.id, state.now())
            .await?
            .filter(|c| c.address == address.as_str())
    } else {
        None
    };
    let around = t.fmt1("prove.expires", "time", "\u{1}");
    let (before, after) = around.split_once('\u{1}').unwrap_or((around.as_str(), ""));
    Ok(Some(ProofSection {
        expires_around: (before.to_owned(), after.to_owned()),
        chain: crate::address_proof::chain_key(&address),
        steps_key: crate::address_proof::steps_key(&address),
        siwe: address.chain() == wallet::ident::Chain::Evm,
        address: address.as_str().to_owned(),
        proved,
        challenge: open.map(|c| (c.message, c.expires_at.rfc3339())),
        signature: String::new(),
        error: None,
        secret: false,
    }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signature: String,
}

/// `POST /t/{token}/prove/start`: a new text to sign (the page then shows it).
pub(crate) async fn prove_start(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = async {
        let ticket = load(&state, &token).await?;
        if ticket.status == Status::Closed {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::TicketClosed,
                "this ticket is closed",
            ));
        }
        crate::address_proof::new_challenge(&state, &ticket, lang).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => axum::response::Redirect::to(&format!("/t/{token}#prove")).into_response(),
        Err(ApiError::NotFound) => bad_link(&state, lang, &csrf, ""),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

/// `POST /t/{token}/prove`: checks a pasted signature against the open challenge. Proved: back
/// to the page with a notice. Not proved: the page again with the reason, the signature kept
/// (unless it held a phrase or key, which is neither kept nor shown).
pub(crate) async fn prove(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<ProveForm>,
) -> Response {
    use crate::address_proof::Outcome;
    let typed = crate::web::echo_text(&form.signature);
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page_keeping(&state, lang, &csrf, &e, &typed);
    }
    let ticket = match load(&state, &token).await {
        Ok(t) => t,
        Err(ApiError::NotFound) => return bad_link(&state, lang, &csrf, &typed),
        Err(e) => return error_page_keeping(&state, lang, &csrf, &e, &typed),
    };
    if form.signature.len() > 8 * 1024 {
        return error_page(&state, lang, &csrf, &ApiError::PayloadTooLarge);
    }
    let outcome = match crate::address_proof::check(&state, &ticket, &form.signature).await {
        Ok(o) => o,
        Err(e) => return error_page_keeping(&state, lang, &csrf, &e, &typed),
    };
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang,
    };
    let (message, keep, secret) = match outcome {
        Outcome::Proved => return see_other(&format!("/t/{token}"), "address_proved"),
        Outcome::NoChallenge => (t.get("prove.expired"), true, false),
        Outcome::Invalid(reason) => (
            format!(
                "{} {}",
                t.get("prove.failed"),
                t.get(&format!("prove.reason.{}", reason.as_str()))
            ),
            true,
            false,
        ),
        Outcome::Unreadable(code) => (t.get(&format!("error.{}", code.as_str())), true, false),
        Outcome::Secret => (t.get("prove.secret"), false, true),
    };
    let extra = Extra {
        signature: if keep {
            form.signature.trim().to_owned()
        } else {
            String::new()
        },
        proof_error: Some(message),
        proof_secret: secret,
        ..Extra::default()
    };
    page(&state, lang, &csrf, &token, extra).await
}

/// `GET /t/{token}`, with `?done=` after a form (post/redirect/get).
pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let extra = Extra {
        done,
        ..Extra::default()
    };
    page(&state, lang, &csrf, &token, extra).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

/// `POST /t/{token}/reply`: a multipart form, the text and up to five screenshots.
pub(crate) async fn reply(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    parts: Result<FormWithFiles, ApiError>,
) -> Response {
    let parts = match parts {
        Ok(FormWithFiles(p)) => p,
        Err(e) => return error_page(&state, lang, &csrf, &e),
    };
    let form: ReplyForm = match serde_json::from_value(parts.json()) {
        Ok(f) => f,
        Err(e) => {
            let e = ApiError::bad_request(
                crate::error::ErrorCode::BadForm,
                format!("unreadable form: {e}"),
            );
            return error_page(&state, lang, &csrf, &e);
        }
    };
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page_keeping(&state, lang, &csrf, &e, &form.body);
    }
    let ticket = match load(&state, &token).await {
        Ok(t) => t,
        Err(ApiError::NotFound) => return bad_link(&state, lang, &csrf, &form.body),
        Err(e) => return error_page_keeping(&state, lang, &csrf, &e, &form.body),
    };
    if ticket.status == Status::Closed {
        let e = ApiError::bad_request(
            crate::error::ErrorCode::TicketClosed,
            "this ticket is closed",
        );
        return error_page_keeping(&state, lang, &csrf, &e, &form.body);
    }
    if let Some(refused) = parts.refused {
        return error_page_keeping(&state, lang, &csrf, &refused.error(), &form.body);
    }
    match tickets::user_reply(&state, &ticket, &form.body, &parts.uploads).await {
        // Post/redirect/get: a reload shows the page, it does not send the reply again.
        Ok(removed) => see_other(
            &format!("/t/{token}"),
            if removed > 0 {
                "replied_secret"
            } else {
                "replied"
            },
        ),
        Err(ApiError::Invalid(errors)) => {
            // The page again, the box marked and the text kept (without secrets).
            let extra = Extra {
                draft: crate::web::echo_text(&form.body),
                errors,
                ..Extra::default()
            };
            page(&state, lang, &csrf, &token, extra).await
        }
        Err(e) => error_page_keeping(&state, lang, &csrf, &e, &form.body),
    }
}

/// `POST /t/{token}/reply` refused by the rate limit (`limit.rs`) before [`reply`] ran: the
/// wait, and the reply's text to copy.
pub(crate) fn reply_refused(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    fields: &[(String, String)],
    secs: u64,
) -> Response {
    let body = fields
        .iter()
        .find(|(k, _)| k == "body")
        .map_or("", |(_, v)| v.as_str());
    let e = ApiError::RateLimited {
        retry_after_secs: secs,
    };
    error_page_keeping(state, lang, csrf, &e, body)
}

/// `GET /t/{token}/attachments/{id}`: a screenshot of this ticket, and only of this ticket.
pub(crate) async fn attachment(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let ticket = load(&state, &token).await?;
    attachments::serve_ticket_attachment(&state, ticket.id, &id).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn solve(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page(&state, lang, &csrf, &e);
    }
    let result = async {
        let ticket = load(&state, &token).await?;
        if ticket.status.is_active() {
            state
                .store
                .update_ticket(
                    ticket.id,
                    TicketUpdate {
                        status: Some(Status::Solved),
                        ..TicketUpdate::default()
                    },
                    state.now(),
                )
                .await?;
            state.publish(crate::Event::TicketUpdated { ticket: ticket.id });
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => see_other(&format!("/t/{token}"), "solved"),
        Err(ApiError::NotFound) => bad_link(&state, lang, &csrf, ""),
        Err(e) => error_page(&state, lang, &csrf, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct RateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

pub(crate) async fn rate(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<RateForm>,
) -> Response {
    if let Err(e) = csrf.check(&form.csrf) {
        return error_page_keeping(&state, lang, &csrf, &e, &form.comment);
    }
    let result = async {
        let ticket = load(&state, &token).await?;
        let score: u8 = form
            .score
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| {
                ApiError::bad_request(crate::error::ErrorCode::BadScore, "a rating is 1 to 5")
            })?;
        if !matches!(ticket.status, Status::Solved | Status::Closed) || ticket.rating.is_some() {
            return Err(ApiError::bad_request(
                crate::error::ErrorCode::CannotRate,
                "only a solved ticket can be rated, once",
            ));
        }
        let comment = form.comment.trim();
        let comment = if comment.is_empty() {
            None
        } else {
            Some(
                domain::Redacted::new(comment)
                    .map_err(|_| ApiError::PayloadTooLarge)?
                    .0,
            )
        };
        state
            .store
            .rate_ticket(ticket.id, score, comment, state.now())
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => see_other(&format!("/t/{token}"), "rated"),
        Err(ApiError::NotFound) => bad_link(&state, lang, &csrf, &form.comment),
        // No score chosen: the ticket's page again, the scale marked, the comment kept.
        Err(ApiError::BadRequest {
            code: crate::error::ErrorCode::BadScore,
            ..
        }) => {
            let extra = Extra {
                rate_comment: Some(crate::web::echo_text(form.comment.trim())),
                ..Extra::default()
            };
            page(&state, lang, &csrf, &token, extra).await
        }
        Err(e) => error_page_keeping(&state, lang, &csrf, &e, &form.comment),
    }
}
