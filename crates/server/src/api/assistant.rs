//! `POST /api/v1/assistant/answer` with `{question, lang}`: the self-service assistant. Returns
//! `{topic, confidence, answer, articles: [{title, url}], handoff, handoff_reason,
//! secret_removed, ticket_url}`; when it hands off, `ticket_url` opens the ticket form
//! pre-filled with the conversation (the question redacted, the assistant's answer).

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use domain::Lang;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::routes::help::urlencode;

/// The longest question accepted, in bytes.
const MAX_QUESTION_CHARS: usize = 8 * 1024;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct Question {
    /// The user's question in their own words (at most 8,192 characters). Recovery phrases and
    /// keys in it are removed before anything reads it.
    #[schema(min_length = 1, max_length = 8192, pattern = r"[^\s\x85]")]
    question: String,
    /// The language of the answer: `en` (default) or `zh-CN`.
    #[serde(default)]
    #[schema(value_type = Option<crate::api::LangParam>)]
    lang: Option<String>,
}

/// The documented shape of [`Reply`] (which flattens `assistant::Answer`, a crate without
/// schema derives); a test keeps the two in step.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub(crate) struct AnswerOut {
    /// `restore_mnemonic`, `balance_display`, `tx_pending_failed`, `insufficient_fee`,
    /// `update_download`, `login_password`, `security_theft_scam`, `feature_howto` or `other`.
    topic: String,
    /// From 0 to 1.
    confidence: f32,
    /// Plain text with Markdown links, in the requested language.
    answer: String,
    articles: Vec<ArticleLinkOut>,
    /// A person should take over; `ticket_url` opens a pre-filled ticket.
    handoff: bool,
    /// `requested`, `lost_funds`, `security`, `low_confidence` or `too_long`.
    handoff_reason: Option<String>,
    /// A recovery phrase or key was found in the question and removed.
    secret_removed: bool,
    /// `builtin`, or `model` when a configured chat model wrote the answer from the articles.
    composed_by: String,
    /// `lexical`, or `hybrid` when a configured embeddings endpoint helped find the articles.
    retrieval: String,
    ticket_url: Option<String>,
    /// Why a configured model's help was not used (`timeout`, `unavailable`, `http_status`,
    /// `malformed`, `rejected: …`, or `embeddings_not_ready` while the articles are still
    /// being embedded); absent otherwise.
    model_fallback: Option<String>,
    /// When the question names a transaction id or address and chains are configured: what the
    /// chain says (the shape of `GET /api/v1/chain/tx/{hash}` or `…/address/{address}`); its
    /// sentences open `answer`. Absent otherwise.
    chain: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub(crate) struct ArticleLinkOut {
    title: String,
    url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Reply {
    #[serde(flatten)]
    answer: assistant::Answer,
    /// The pre-filled ticket form, when a person should take over.
    ticket_url: Option<String>,
    /// Why a configured model's help was not used (`timeout`, `unavailable`, `http_status`,
    /// `malformed`, `rejected: …`); absent when it was used or none is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    model_fallback: Option<String>,
    /// What the configured chains say about the transaction or address in the question.
    #[serde(skip_serializing_if = "Option::is_none")]
    chain: Option<serde_json::Value>,
}

#[utoipa::path(
    post,
    path = "/api/v1/assistant/answer",
    tag = "assistant",
    request_body = Question,
    responses(
        (status = 200, description = "The topic, an answer from the help articles, links to them, and whether a person should take over", body = AnswerOut),
        (status = 400, description = "`invalid_json`, `question_missing`, `question_too_long` or `unsupported_lang`", body = crate::api::dto::ErrorOut),
        (status = 429, description = "`rate_limited`: more costly reads (answers, field checks, suggestions) from this client than `[limits] costly_reads_per_client` in the window, with `Retry-After`", body = crate::api::dto::ErrorOut),
    )
)]
pub(crate) async fn answer(
    State(state): State<AppState>,
    body: Result<Json<Question>, JsonRejection>,
) -> Result<Json<Reply>, ApiError> {
    let Json(q) = body
        .map_err(|e| ApiError::bad_request(crate::error::ErrorCode::InvalidJson, e.body_text()))?;
    if q.question.trim().is_empty() {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::QuestionMissing,
            "ask a question",
        ));
    }
    if q.question.chars().count() > MAX_QUESTION_CHARS {
        return Err(ApiError::bad_request(
            crate::error::ErrorCode::QuestionTooLong,
            "a question is at most 8,192 characters",
        ));
    }
    let lang = crate::api::lang_param(q.lang.as_deref(), Lang::En)?;
    let question = q.question;
    let (mut answer, used) = crate::assist::answer(&state, question.clone(), lang)
        .await
        .map_err(|e| ApiError::Internal(format!("assistant: {e}")))?;
    // The chain's own answer first, when the question names a transaction or an address.
    let chain = crate::onchain::for_question(
        &state.chains,
        &state.i18n,
        lang,
        &question,
        crate::onchain::PAGE_BUDGET,
    )
    .await;
    if let Some(c) = &chain {
        answer.answer = format!("{}\n\n{}", c.sentences.join("\n"), answer.answer);
    }
    let ticket_url = answer.handoff.then(|| {
        // The conversation goes with the user, redacted like everything else they send.
        let asked = domain::Redacted::new(&question)
            .map(|(r, _)| r.into_string())
            .unwrap_or_default();
        let subject: String = asked
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(120)
            .collect();
        let body = format!("{asked}\n\n---\n{}", answer.answer);
        format!(
            "/tickets/new?category={}&subject={}&body={}&lang={}",
            crate::assist::category_for(answer.topic).as_str(),
            urlencode(&subject),
            urlencode(&body),
            lang.as_str()
        )
    });
    if answer.handoff {
        tracing::info!(topic = answer.topic.key(), reason = ?answer.handoff_reason, "assistant handed off");
    }
    Ok(Json(Reply {
        answer,
        ticket_url,
        model_fallback: used.fallback,
        chain: chain.map(|c| c.json),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_has_exactly_the_fields_a_reply_has() {
        let a = assistant::Assistant::with_builtin_index(Vec::new()).answer("hi", Lang::En);
        let reply = Reply {
            answer: a,
            ticket_url: Some("/tickets/new".into()),
            model_fallback: Some("timeout".into()),
            chain: Some(serde_json::json!({})),
        };
        let mut got: Vec<String> = serde_json::to_value(&reply)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let doc = crate::api::openapi::document();
        let mut documented: Vec<String> = doc
            .pointer("/components/schemas/AnswerOut/properties")
            .and_then(serde_json::Value::as_object)
            .expect("AnswerOut schema")
            .keys()
            .cloned()
            .collect();
        got.sort();
        documented.sort();
        assert_eq!(got, documented);
    }
}
