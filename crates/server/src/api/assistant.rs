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
const MAX_QUESTION_BYTES: usize = 8 * 1024;

#[derive(Debug, Deserialize)]
pub(crate) struct Question {
    question: String,
    #[serde(default)]
    lang: Option<String>,
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
}

pub(crate) async fn answer(
    State(state): State<AppState>,
    body: Result<Json<Question>, JsonRejection>,
) -> Result<Json<Reply>, ApiError> {
    let Json(q) = body.map_err(|e| ApiError::bad_request("invalid_json", e.body_text()))?;
    if q.question.trim().is_empty() {
        return Err(ApiError::bad_request("question_missing", "ask a question"));
    }
    if q.question.len() > MAX_QUESTION_BYTES {
        return Err(ApiError::bad_request(
            "question_too_long",
            "a question is at most 8 KiB",
        ));
    }
    let lang = match q.lang.as_deref() {
        None | Some("") => Lang::En,
        Some(l) => Lang::parse_loose(l)
            .ok_or_else(|| ApiError::bad_request("unsupported_lang", "lang is zh-CN or en"))?,
    };
    let question = q.question;
    let (answer, used) = crate::assist::answer(&state, question.clone(), lang)
        .await
        .map_err(|e| ApiError::Internal(format!("assistant: {e}")))?;
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
    }))
}
