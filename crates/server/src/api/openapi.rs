//! The OpenAPI document (`GET /api/openapi.json`) and a docs page rendered from it
//! (`GET /api/docs`): plain HTML, no scripts, so the strict CSP holds.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::Value;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;
use crate::api::{dto, fields, ticket_reply, ticket_show, ticket_update, tickets, tickets_list};
use crate::web::{Chrome, CsrfToken, ViewerLang, render};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "walletdesk API",
        description = "Tickets for agents and integrations; help-center search and the self-service assistant for users. Ticket endpoints for agents need `Authorization: Bearer <API token>`; tokens are made at /admin/api-tokens. Errors are `{\"error\": code, \"message\": …}` with stable snake_case codes."
    ),
    paths(
        tickets::create,
        tickets_list::list,
        ticket_show::show,
        ticket_reply::reply,
        ticket_update::update,
        super::desk::accept,
        super::desk::decline,
        super::desk::transfer,
        super::desk::convert,
        fields::check_get,
        fields::check_post,
        crate::routes::help::api::search_get,
        crate::routes::help::api::search_post,
        crate::routes::help::api::suggest_get,
        crate::routes::help::api::suggest_post,
        super::assistant::answer,
        super::verify::check_get,
        super::verify::check_post,
        super::signatures::verify,
        crate::chat::http::start,
        crate::chat::http::transcript,
        crate::chat::http::events,
        crate::chat::http::frames,
        crate::chat::files::upload,
        crate::chat::files::show,
        crate::chat::ws::user,
        super::onchain::tx,
        super::onchain::address,
    ),
    components(schemas(
        crate::chat::http::StartIn,
        crate::chat::http::StartedOut,
        crate::chat::http::TranscriptOut,
        crate::chat::protocol::WireAttachment,
        dto::NewTicketIn,
        dto::CreatedTicketOut,
        dto::TicketOut,
        dto::TicketFieldsOut,
        dto::TicketListOut,
        dto::TicketDetailOut,
        dto::MessageOut,
        dto::ReplyIn,
        dto::TicketPatchIn,
        super::desk::TransferIn,
        super::desk::ConvertIn,
        dto::ErrorOut,
        dto::FieldErrorOut,
        dto::MessageKindParam,
        super::LangParam,
        fields::FieldParam,
        tickets_list::ViewParam,
        crate::routes::help::api::SuggestIn,
        fields::CheckResult,
        fields::CheckQuery,
        crate::routes::help::api::SearchIn,
        crate::routes::help::api::SearchResponse,
        crate::routes::help::api::SearchResult,
        crate::routes::help::api::SuggestResponse,
        super::assistant::Question,
        super::assistant::AnswerOut,
        super::assistant::ArticleLinkOut,
        super::verify::VerifyIn,
        super::verify::VerdictOut,
        super::verify::FindingOut,
        super::verify::ChannelOut,
        super::signatures::SignatureIn,
        super::signatures::SignatureOut,
        crate::onchain::TxOut,
        crate::onchain::AddressOut,
        crate::onchain::ChainFindingOut,
        crate::onchain::ArticleOut,
        crate::onchain::TokenOut,
    )),
    modifiers(&BearerScheme, &DeprecatedGets),
    tags(
        (name = "tickets", description = "Tickets and their conversations"),
        (name = "desk", description = "The agents' workspace: accept, decline, transfer and convert tickets and live chats (an API token, or the workspace's session with its CSRF token in `x-csrf-token`)"),
        (name = "help", description = "Help-center search for users (no token needed)"),
        (name = "assistant", description = "The self-service assistant for users (no token needed)"),
        (name = "verify", description = "Is this really support? A pasted link, address, handle or number checked against the official channels (no token needed)"),
        (name = "chain", description = "What the configured chains say about a transaction or an address: status, confirmations, findings in plain language (no token needed)"),
        (name = "ownership", description = "Proof that a user controls an address, by a signed message and never a secret (no token needed)"),
        (name = "chat", description = "Live chat for wallet users: start a conversation, then speak the WebSocket protocol of docs/CHAT-PROTOCOL.md (the conversation's token is its credential)"),
    )
)]
pub(crate) struct ApiDoc;

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The `GET` forms that carry user text in the query string, kept for existing API users.
/// Their `POST` forms take the same names in a JSON body, out of every proxy's access log.
pub(crate) const DEPRECATED_GETS: [&str; 3] = [
    "/api/v1/fields/check",
    "/api/v1/help/search",
    "/api/v1/help/suggest",
];

struct DeprecatedGets;

impl utoipa::Modify for DeprecatedGets {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for path in DEPRECATED_GETS {
            if let Some(op) = openapi
                .paths
                .paths
                .get_mut(path)
                .and_then(|item| item.get.as_mut())
            {
                op.deprecated = Some(utoipa::openapi::Deprecated::True);
            }
        }
    }
}

/// The document as JSON.
#[must_use]
pub(crate) fn document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null)
}

pub(crate) async fn json() -> Response {
    Json(document()).into_response()
}

#[derive(Debug)]
pub(crate) struct OperationView {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub auth: bool,
    pub deprecated: bool,
    pub params: Vec<String>,
    pub request: String,
    pub responses: Vec<(String, String)>,
}

#[derive(Debug)]
pub(crate) struct SchemaView {
    pub name: String,
    pub properties: Vec<(String, String, bool)>,
}

fn ref_name(v: &Value) -> String {
    let r = v
        .pointer("/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .unwrap_or("");
    r.rsplit('/').next().unwrap_or("").to_owned()
}

fn type_of(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or("").to_owned();
    }
    if let Some(one) = v.get("oneOf").and_then(Value::as_array) {
        return one.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    match v.get("type") {
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        Some(Value::String(t)) if t == "array" => {
            format!("[{}]", v.get("items").map(type_of).unwrap_or_default())
        }
        Some(Value::String(t)) => t.clone(),
        _ => "object".to_owned(),
    }
}

pub(crate) fn operations(doc: &Value) -> Vec<OperationView> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(methods) = item.as_object() else {
            continue;
        };
        for (method, op) in methods {
            out.push(OperationView {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: op
                    .get("summary")
                    .or_else(|| op.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                auth: op.get("security").is_some(),
                deprecated: op.get("deprecated").and_then(Value::as_bool) == Some(true),
                params: op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .filter_map(|p| p.get("name").and_then(Value::as_str))
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                request: op.get("requestBody").map(ref_name).unwrap_or_default(),
                responses: op
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|rs| {
                        rs.iter()
                            .map(|(code, r)| (code.clone(), ref_name(r)))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    out
}

pub(crate) fn schemas(doc: &Value) -> Vec<SchemaView> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .map(|(name, s)| {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            SchemaView {
                name: name.clone(),
                properties: s
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|ps| {
                        ps.iter()
                            .map(|(p, v)| (p.clone(), type_of(v), required.contains(&p.as_str())))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage<'a> {
    c: Chrome<'a>,
    operations: Vec<OperationView>,
    schemas: Vec<SchemaView>,
}

pub(crate) async fn docs(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    let doc = document();
    render(
        StatusCode::OK,
        &DocsPage {
            c: Chrome::new(&state, lang, &csrf, "/api/docs"),
            operations: operations(&doc),
            schemas: schemas(&doc),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_every_api_route_and_the_ticket_form() {
        let doc = document();
        for (path, method) in [
            ("/api/v1/tickets", "get"),
            ("/api/v1/tickets", "post"),
            ("/api/v1/tickets/{id}", "get"),
            ("/api/v1/tickets/{id}", "patch"),
            ("/api/v1/tickets/{id}/messages", "post"),
            ("/api/v1/fields/check", "get"),
            ("/api/v1/fields/check", "post"),
            ("/api/v1/help/search", "get"),
            ("/api/v1/help/search", "post"),
            ("/api/v1/help/suggest", "get"),
            ("/api/v1/help/suggest", "post"),
            ("/api/v1/assistant/answer", "post"),
        ] {
            assert!(
                doc.pointer(&format!("/paths/{}/{method}", path.replace('/', "~1")))
                    .is_some(),
                "{method} {path} missing"
            );
        }
        let props = doc
            .pointer("/components/schemas/NewTicketIn/properties")
            .and_then(Value::as_object)
            .expect("NewTicketIn schema");
        for f in [
            "email", "category", "subject", "body", "chain", "tx_hash", "address",
        ] {
            assert!(props.contains_key(f), "{f} missing");
        }
        assert!(doc.pointer("/components/securitySchemes/bearer").is_some());
        for path in DEPRECATED_GETS {
            let p = path.replace('/', "~1");
            assert_eq!(
                doc.pointer(&format!("/paths/{p}/get/deprecated")),
                Some(&Value::Bool(true)),
                "GET {path} not deprecated"
            );
            assert_eq!(
                doc.pointer(&format!("/paths/{p}/post/deprecated")),
                None,
                "POST {path} deprecated"
            );
        }
        assert!(!operations(&doc).is_empty() && !schemas(&doc).is_empty());
    }
}
