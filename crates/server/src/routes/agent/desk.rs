//! `GET /agent/desk`: the agents' workspace. Views on the left, the list in the middle, the
//! selected ticket (`?t=ID`) on the right: its conversation, the composer and the requester's
//! context. Everything is a link or a form, so it works without JavaScript; `desk.js` turns it
//! into a one-page app by fetching the parts (`?partial=list|pane|team|canned`) and keeping
//! the draft. On a phone the page is one column: the list, or the ticket with a back link.
//!
//! The conversation is rendered by `agent_conversation_partial.html` and the composer by
//! `desk_composer_partial.html`, one partial each, so a chat's messages and its live composer
//! can take their place for tickets whose channel is chat.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{AgentId, Status, TicketId};
use serde::Deserialize;
use store::{Ticket, TicketQuery, View};

use super::canned::{CannedVars, fill_canned};
use super::inbox::enc;
use super::session::AgentSession;
use super::ticket::{MessageView, Refused, message_views};
use super::{Opt, sla};
use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::routing::AgentState;
use crate::web::{Chrome, CsrfToken, ViewerLang, error_page, field_message, render};

const PER_PAGE: u32 = 50;

/// The views, in the order of the sidebar.
pub(crate) const VIEWS: [&str; 8] = [
    "mine",
    "chats",
    "unassigned",
    "all",
    "waiting",
    "sla",
    "urgent",
    "secret_exposed",
];

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeskQuery {
    #[serde(default)]
    pub(crate) view: String,
    #[serde(default)]
    pub(crate) q: String,
    /// The selected ticket.
    #[serde(default)]
    pub(crate) t: String,
    #[serde(default)]
    pub(crate) partial: String,
    #[serde(default)]
    pub(crate) canned: String,
    #[serde(default)]
    pub(crate) done: String,
}

/// The view key as given, or `mine`.
pub(crate) fn view_key(key: &str) -> &'static str {
    VIEWS.iter().copied().find(|v| *v == key).unwrap_or("mine")
}

fn query_of(key: &str, me: AgentId, search: &str, now: domain::Timestamp) -> TicketQuery {
    let (view, status) = match key {
        // The waiting chats are listed from the chat queue (`build`); this query is not run.
        "unassigned" | "chats" => (View::Unassigned, None),
        "all" => (View::All, None),
        "waiting" => (View::All, Some(Status::WaitingOnUser)),
        "sla" => (View::SlaAtRisk, None),
        "urgent" => (View::Urgent, None),
        "secret_exposed" => (View::SecretExposed, None),
        _ => (View::Mine(me), None),
    };
    let mut q = TicketQuery::view(view, now);
    q.status = status;
    q.search = (!search.is_empty()).then(|| search.to_owned());
    q.limit = PER_PAGE;
    q
}

/// `view=…&q=…`: the list's address without the selected ticket.
pub(crate) fn base_query(view: &str, search: &str) -> String {
    let mut s = format!("view={}", view_key(view));
    if !search.trim().is_empty() {
        s.push_str("&q=");
        s.push_str(&enc(search.trim()));
    }
    s
}

#[derive(Debug)]
pub(crate) struct Row {
    id: String,
    subject: String,
    requester: String,
    status: String,
    status_key: &'static str,
    priority: String,
    priority_key: &'static str,
    sla: Option<sla::Timer>,
    viewers: String,
    assignee: String,
    secret: bool,
    href: String,
    selected: bool,
    /// A waiting chat: its place in the queue (1 = next) and since when it waits.
    queue: Option<(u32, String)>,
    /// A waiting chat offered to this agent (by routing).
    offered: String,
}

#[derive(Debug)]
pub(crate) struct List {
    rows: Vec<Row>,
    total_label: String,
    src: String,
    /// When the view is empty: a view that is not, as (link, text), so an agent who lands on
    /// an empty "Mine" sees where the work is.
    elsewhere: Option<(String, String)>,
}

/// One of the requester's other conversations.
#[derive(Debug)]
pub(crate) struct Other {
    id: String,
    subject: String,
    status: String,
    at: String,
    href: String,
}

/// A past rating of the requester's.
#[derive(Debug)]
pub(crate) struct Csat {
    id: String,
    score: u8,
    comment: String,
    at: String,
}

#[derive(Debug)]
pub(crate) struct Pane {
    id: String,
    title: String,
    ticket: Ticket,
    status_label: String,
    priority_label: String,
    category_label: String,
    lang_label: String,
    messages: Vec<MessageView>,
    draft: String,
    body_error: Option<String>,
    canned: Vec<Opt>,
    canned_other: Vec<Opt>,
    transfer_to: Vec<Opt>,
    viewers: String,
    others: Vec<Other>,
    csat: Vec<Csat>,
    proofs: Vec<crate::address_proof::ProvedView>,
    explorer_tx: Option<String>,
    explorer_address: Option<String>,
    sla: Option<sla::Timer>,
    assignee: String,
    mine: bool,
    chat: Option<ChatPane>,
}

/// A chat's live state, for the pane: `desk.js` speaks the chat protocol for it.
#[derive(Debug)]
pub(crate) struct ChatPane {
    /// `assistant`, `queued`, `agent` or `ended`.
    state: &'static str,
    /// With an agent, and that agent is the viewer: the composer sends over the socket.
    live: bool,
    /// Place in the queue (1 = next) while waiting, and since when.
    position: u32,
    since: String,
    /// Offered to the viewer by routing, until then.
    offer_until: Option<String>,
    /// The agent it is offered to, when someone else.
    offered_to: String,
}

/// An agent and their presence, for the team list.
#[derive(Debug)]
pub(crate) struct Member {
    name: String,
    state: &'static str,
    label: String,
    me: bool,
}

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage<'a> {
    c: Chrome<'a>,
    t: Tr<'a>,
    views: Vec<Opt>,
    view: &'static str,
    q: String,
    base: String,
    list: List,
    pane: Option<Pane>,
    team: Vec<Member>,
    my_state: &'static str,
    sound: bool,
    me: String,
    strings: Vec<(&'static str, String)>,
}

/// What `desk.js` says about live chats, in the viewer's language (`desk.chat.js.*`).
const JS_STRINGS: &[&str] = &[
    "typing",
    "delivered",
    "read",
    "offline",
    "sending",
    "offered",
    "accept",
    "decline",
    "failed",
    "ended",
    "joined",
];

/// The notices of the pane's actions, which the page shows itself when it stays (`desk.js`),
/// as the redirect's `?done=` would.
const JS_NOTICES: &[&str] = &[
    "desk_assigned",
    "desk_solved",
    "desk_declined",
    "desk_transferred",
    "desk_follow_up",
];

#[derive(Template)]
#[template(path = "desk_list_partial.html")]
struct ListPartial<'a> {
    t: Tr<'a>,
    list: List,
}

#[derive(Template)]
#[template(path = "desk_pane_partial.html")]
struct PanePartial<'a> {
    c: Chrome<'a>,
    t: Tr<'a>,
    view: &'static str,
    q: String,
    base: String,
    pane: Option<Pane>,
}

#[derive(Template)]
#[template(path = "desk_team_partial.html")]
struct TeamPartial<'a> {
    t: Tr<'a>,
    team: Vec<Member>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ViewerLang(lang): ViewerLang,
    Extension(csrf): Extension<CsrfToken>,
    session: AgentSession,
    Query(q): Query<DeskQuery>,
) -> Response {
    page(&state, lang, &csrf, &session, &q, None).await
}

/// The workspace; with `refused`, the selected ticket's composer holds the refused text (422).
pub(crate) async fn page(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    session: &AgentSession,
    q: &DeskQuery,
    refused: Option<Refused>,
) -> Response {
    match build(state, lang, csrf, session, q, refused).await {
        Ok(r) => r,
        Err(e) => error_page(state, lang, csrf, &e),
    }
}

fn names_of(agents: &[store::Agent]) -> HashMap<AgentId, String> {
    agents.iter().map(|a| (a.id, a.name.clone())).collect()
}

pub(crate) fn team(
    state: &AppState,
    t: &Tr<'_>,
    agents: &[store::Agent],
    me: AgentId,
) -> Vec<Member> {
    let mut team: Vec<Member> = agents
        .iter()
        .filter(|a| a.active)
        .map(|a| {
            let s = state.desk_presence.state(a.id);
            Member {
                name: a.name.clone(),
                state: s.as_str(),
                label: t.get(&format!("desk.presence.{}", s.as_str())),
                me: a.id == me,
            }
        })
        .collect();
    let rank = |s: &str| match s {
        "online" => 0,
        "away" => 1,
        _ => 2,
    };
    team.sort_by(|a, b| (rank(a.state), &a.name).cmp(&(rank(b.state), &b.name)));
    team
}

#[expect(clippy::too_many_lines, reason = "one page's data, gathered in order")]
async fn build(
    state: &AppState,
    lang: domain::Lang,
    csrf: &CsrfToken,
    session: &AgentSession,
    q: &DeskQuery,
    refused: Option<Refused>,
) -> Result<Response, ApiError> {
    let now = state.now();
    let me = session.agent.id;
    let t = Tr {
        i18n: &state.i18n,
        lang,
    };
    let view = view_key(&q.view);
    let search = q.q.trim().to_owned();
    let base = base_query(view, &search);
    let selected: Option<TicketId> = q.t.parse().ok();
    let agents = state.store.agents().await?;
    let names = names_of(&agents);

    if q.partial == "team" {
        return Ok(render(
            StatusCode::OK,
            &TeamPartial {
                t,
                team: team(state, &t, &agents, me),
            },
        ));
    }
    if q.partial == "canned" {
        let id = selected.ok_or(ApiError::NotFound)?;
        let ticket = state.store.ticket(id).await?;
        let wanted: i64 = q.canned.parse().map_err(|_| ApiError::NotFound)?;
        let canned = state.store.canned_replies().await?;
        let c = canned
            .iter()
            .find(|c| c.id.0 == wanted)
            .ok_or(ApiError::NotFound)?;
        let text = fill_canned(
            &c.body,
            CannedVars {
                requester_email: ticket.requester.as_str(),
                ticket_id: &id.to_string(),
                agent_name: &session.agent.name,
                subject: ticket.subject.as_str(),
            },
        );
        return Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response());
    }

    let policy = state.store.sla_policy().await?;
    let open = state.presence.all();
    let viewers_of = |id: TicketId| {
        open.get(&id)
            .map(|agents| {
                agents
                    .iter()
                    .filter(|a| **a != me)
                    .filter_map(|a| names.get(a).cloned())
                    .collect::<Vec<_>>()
                    .join(t.list_sep())
            })
            .unwrap_or_default()
    };
    let offers: HashMap<TicketId, store::ChatOffer> = state
        .store
        .chat_offers()
        .await?
        .into_iter()
        .map(|o| (o.ticket_id, o))
        .collect();
    // The views' counts and the chat queue's length, read at most once: the view list and an
    // empty view's pointer elsewhere both need them.
    let tally_cell = tokio::sync::OnceCell::new();
    let tally = || tally_cell.get_or_try_init(|| tally(state, me, now));
    let list = if q.partial == "pane" {
        None
    } else {
        // The waiting chats come from the queue, in its order; every other view is a query.
        let (tickets, total, places) = if view == "chats" {
            let queue = state.store.chat_queue().await?;
            let mut tickets = Vec::new();
            let mut places = HashMap::new();
            for (i, c) in queue.iter().take(PER_PAGE as usize).enumerate() {
                tickets.push(state.store.ticket(c.ticket_id).await?);
                places.insert(
                    c.ticket_id,
                    (
                        u32::try_from(i + 1).unwrap_or(u32::MAX),
                        c.queued_at.rfc3339(),
                    ),
                );
            }
            (tickets, queue.len() as u64, places)
        } else {
            let result = state
                .store
                .tickets_for_view(&query_of(view, me, &search, now))
                .await?;
            (result.tickets, result.total, HashMap::new())
        };
        let rows = tickets
            .iter()
            .map(|tk| {
                let (first, resolution) = sla::timers(&policy, tk, now);
                Row {
                    id: tk.id.to_string(),
                    subject: tk.subject.as_str().to_owned(),
                    requester: crate::chat::requester_label(&t, tk),
                    status: t.get(&format!("agent.status.{}", tk.status.as_str())),
                    status_key: tk.status.as_str(),
                    priority: t.get(&format!("priority.{}", tk.priority.as_str())),
                    priority_key: tk.priority.as_str(),
                    sla: if tk.status.is_active() {
                        sla::headline(first.as_ref(), resolution.as_ref())
                    } else {
                        None
                    },
                    viewers: viewers_of(tk.id),
                    assignee: tk
                        .assignee
                        .and_then(|a| names.get(&a).cloned())
                        .unwrap_or_default(),
                    secret: tk.secret_exposed,
                    href: format!("/agent/desk?{base}&t={}", tk.id),
                    selected: Some(tk.id) == selected,
                    queue: places.get(&tk.id).cloned(),
                    offered: offers
                        .get(&tk.id)
                        .and_then(|o| names.get(&o.agent_id).cloned())
                        .unwrap_or_default(),
                }
            })
            .collect();
        let elsewhere = if total == 0 && search.is_empty() {
            elsewhere(&t, tally().await?, view)
        } else {
            None
        };
        Some(List {
            rows,
            total_label: t.fmt1("agent.inbox.total", "n", &total.to_string()),
            src: format!("/agent/desk?{base}&partial=list"),
            elsewhere,
        })
    };
    if q.partial == "list" {
        return Ok(render(
            StatusCode::OK,
            &ListPartial {
                t,
                list: list.unwrap_or(List {
                    rows: Vec::new(),
                    total_label: String::new(),
                    src: String::new(),
                    elsewhere: None,
                }),
            },
        ));
    }

    let mut status = StatusCode::OK;
    let pane = match selected {
        None => None,
        Some(id) => {
            let ticket = match state.store.ticket(id).await {
                Ok(t) => t,
                Err(store::StoreError::NotFound) => return Err(ApiError::NotFound),
                Err(e) => return Err(e.into()),
            };
            let refused = refused.unwrap_or_default();
            if !refused.errors.is_empty() {
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            let messages = message_views(
                &t,
                &names,
                &crate::chat::requester_label(&t, &ticket),
                state.store.messages(id, true).await?,
                &state.store.attachments(id).await?,
            );
            let canned = state.store.canned_replies().await?;
            // Every chat without an address shares one placeholder requester: its "other
            // conversations" would be strangers'.
            let others_all = if crate::chat::no_address(&ticket) {
                vec![ticket.clone()]
            } else {
                state
                    .store
                    .tickets_of_requester(&ticket.requester, 20)
                    .await?
            };
            let (first, resolution) = sla::timers(&policy, &ticket, now);
            let proofs = state.store.address_proofs(id).await?;
            let chat = if ticket.channel == domain::Channel::Chat {
                Some(chat_pane(state, &ticket, me, &names, offers.get(&id)).await?)
            } else {
                None
            };
            Some(Pane {
                chat,
                id: id.to_string(),
                title: t.fmt1("ticket.number", "id", &id.to_string()),
                status_label: t.get(&format!("agent.status.{}", ticket.status.as_str())),
                priority_label: t.get(&format!("priority.{}", ticket.priority.as_str())),
                category_label: t.get(&format!("category.{}", ticket.category.as_str())),
                lang_label: t.get(&format!("desk.lang.{}", ticket.lang.as_str())),
                messages,
                body_error: refused
                    .errors
                    .iter()
                    .find(|e| e.field == "body")
                    .map(|e| field_message(&t, e)),
                draft: refused.draft,
                canned: canned
                    .iter()
                    .filter(|c| c.lang == ticket.lang)
                    .map(|c| Opt {
                        value: c.id.to_string(),
                        label: c.title.clone(),
                        selected: false,
                    })
                    .collect(),
                canned_other: canned
                    .iter()
                    .filter(|c| c.lang != ticket.lang)
                    .map(|c| Opt {
                        value: c.id.to_string(),
                        label: format!("{} ({})", c.title, c.lang.as_str()),
                        selected: false,
                    })
                    .collect(),
                transfer_to: agents
                    .iter()
                    .filter(|a| a.active && a.id != me)
                    .map(|a| {
                        let s = state.desk_presence.state(a.id);
                        Opt {
                            value: a.id.to_string(),
                            label: format!(
                                "{} ({})",
                                a.name,
                                t.get(&format!("desk.presence.{}", s.as_str()))
                            ),
                            selected: false,
                        }
                    })
                    .collect(),
                viewers: viewers_of(id),
                others: others_all
                    .iter()
                    .filter(|o| o.id != id)
                    .map(|o| Other {
                        id: o.id.to_string(),
                        subject: o.subject.as_str().to_owned(),
                        status: t.get(&format!("agent.status.{}", o.status.as_str())),
                        at: o.created_at.rfc3339(),
                        href: format!("/agent/desk?{base}&t={}", o.id),
                    })
                    .collect(),
                csat: others_all
                    .iter()
                    .filter_map(|o| {
                        o.rating.as_ref().map(|r| Csat {
                            id: o.id.to_string(),
                            score: r.score,
                            comment: r
                                .comment
                                .as_ref()
                                .map(|c| c.as_str().to_owned())
                                .unwrap_or_default(),
                            at: r.at.rfc3339(),
                        })
                    })
                    .collect(),
                proofs: proofs
                    .iter()
                    .map(|p| crate::address_proof::proved_view(&t, p))
                    .collect(),
                explorer_tx: super::ticket::explorer_links(&ticket).0,
                explorer_address: super::ticket::explorer_links(&ticket).1,
                sla: if ticket.status.is_active() {
                    sla::headline(first.as_ref(), resolution.as_ref())
                } else {
                    None
                },
                assignee: ticket
                    .assignee
                    .and_then(|a| names.get(&a).cloned())
                    .unwrap_or_default(),
                mine: ticket.assignee == Some(me),
                ticket,
            })
        }
    };
    let mut c = Chrome::new(state, lang, csrf, "/agent/desk").with_done(&crate::web::Done {
        done: q.done.clone(),
    });
    c.agent = Some(session.signed_in());
    if q.partial == "pane" {
        return Ok(render(
            status,
            &PanePartial {
                c,
                t,
                view,
                q: search,
                base,
                pane,
            },
        ));
    }
    let Tally {
        counts,
        waiting_chats,
    } = tally().await?;
    let waiting = {
        let mut wq = query_of("waiting", me, "", now);
        wq.limit = 1;
        state.store.tickets_for_view(&wq).await?.total
    };
    let views = VIEWS
        .iter()
        .map(|k| {
            let n = match *k {
                "mine" => counts.mine,
                "chats" => *waiting_chats,
                "unassigned" => counts.unassigned,
                "waiting" => waiting,
                "sla" => counts.sla_at_risk,
                "urgent" => counts.urgent,
                "secret_exposed" => counts.secret_exposed,
                _ => counts.all,
            };
            Opt {
                value: (*k).to_owned(),
                label: format!(
                    "{}{}",
                    t.get(&format!("desk.view.{k}")),
                    t.paren(&n.to_string())
                ),
                selected: *k == view,
            }
        })
        .collect();
    let settings = state.store.desk_settings_of(me).await?;
    Ok(render(
        status,
        &DeskPage {
            c,
            t,
            views,
            view,
            q: search,
            base,
            list: list.unwrap_or(List {
                rows: Vec::new(),
                total_label: String::new(),
                src: String::new(),
                elsewhere: None,
            }),
            pane,
            team: team(state, &t, &agents, me),
            my_state: match state.desk_presence.state(me) {
                // The page is loading: its stream is about to open.
                AgentState::Offline => AgentState::Online.as_str(),
                s => s.as_str(),
            },
            sound: settings.sound,
            me: me.to_string(),
            strings: JS_STRINGS
                .iter()
                .map(|k| (*k, t.get(&format!("desk.chat.js.{k}"))))
                .chain(JS_NOTICES.iter().map(|k| (*k, t.get(&format!("done.{k}")))))
                .collect(),
        },
    ))
}

/// The views' counts and how many chats wait in the queue.
struct Tally {
    counts: store::ViewCounts,
    waiting_chats: u64,
}

async fn tally(state: &AppState, me: AgentId, now: domain::Timestamp) -> Result<Tally, ApiError> {
    Ok(Tally {
        counts: state.store.view_counts(me, now).await?,
        waiting_chats: state.store.chat_queue().await?.len() as u64,
    })
}

/// For an empty view: the first of waiting chats, unassigned tickets and all open tickets that
/// has any, other than `view`, as (link, text).
fn elsewhere(t: &Tr<'_>, tally: &Tally, view: &str) -> Option<(String, String)> {
    [
        ("chats", tally.waiting_chats),
        ("unassigned", tally.counts.unassigned),
        ("all", tally.counts.all),
    ]
    .into_iter()
    .find(|(k, n)| *k != view && *n > 0)
    .map(|(k, n)| {
        (
            format!("/agent/desk?view={k}"),
            t.i18n.format(
                t.lang,
                "desk.elsewhere",
                &[
                    ("view", t.get(&format!("desk.view.{k}")).as_str()),
                    ("n", n.to_string().as_str()),
                ],
            ),
        )
    })
}

/// The chat's state for the pane: where it waits, whether it is offered to `me`, whether `me`
/// has it live.
async fn chat_pane(
    state: &AppState,
    ticket: &Ticket,
    me: AgentId,
    names: &HashMap<AgentId, String>,
    offer: Option<&store::ChatOffer>,
) -> Result<ChatPane, ApiError> {
    let conv = state.store.conversation(ticket.id).await?;
    let position = if conv.state == store::ChatState::Queued {
        crate::chat::place(state, ticket.id).await?.position
    } else {
        0
    };
    Ok(ChatPane {
        state: conv.state.as_str(),
        live: conv.state == store::ChatState::Agent && conv.agent == Some(me),
        position,
        since: conv
            .queued_at
            .map(domain::Timestamp::rfc3339)
            .unwrap_or_default(),
        offer_until: offer
            .filter(|o| o.agent_id == me)
            .map(|o| o.expires_at.rfc3339()),
        offered_to: offer
            .filter(|o| o.agent_id != me)
            .and_then(|o| names.get(&o.agent_id).cloned())
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_views_fall_back_to_mine_and_search_is_encoded() {
        assert_eq!(view_key("sla"), "sla");
        assert_eq!(view_key("../admin"), "mine");
        assert_eq!(
            base_query("all", " 转账 失败 "),
            "view=all&q=%E8%BD%AC%E8%B4%A6%20%E5%A4%B1%E8%B4%A5"
        );
        assert_eq!(base_query("x", ""), "view=mine");
        let now = domain::Timestamp(0);
        let q = query_of("waiting", AgentId(1), "", now);
        assert_eq!((q.view, q.status), (View::All, Some(Status::WaitingOnUser)));
        assert_eq!(
            query_of("mine", AgentId(4), "", now).view,
            View::Mine(AgentId(4))
        );
    }
}
