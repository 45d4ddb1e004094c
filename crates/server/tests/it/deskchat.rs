//! Chats in the agents' workspace (issue 11, deskchat): routing offers a queued chat to an
//! online agent as it arrives, a decline or an unanswered offer sends it to the next agent, an
//! agent coming online gets what waits; accept, decline, transfer and convert over the JSON API
//! with its refusals; the workspace's waiting chats, `/agent/chats`' redirect, replies without
//! a reload; and an agent answering in the workspace over the chat socket.

use std::time::Duration;

use domain::{AgentId, Lang, Role, TicketId, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::routing::WaitingChat;

use crate::helpers::chat::{
    Chat, PATIENCE, Ws, agent_socket, connect, next_message_from, next_of, send, start,
};
use crate::helpers::{PHRASE, TestApp};

/// A chat in `lang` that asked for a person; its id and token.
async fn queued_chat(app: &TestApp, lang: &str) -> Chat {
    let chat = start(app, lang).await;
    let r: Value = app
        .client
        .post(app.url(&format!("/api/v1/chat/conversations/{}/frames", chat.id)))
        .bearer_auth(&chat.token)
        .body(json!({"type": "handoff"}).to_string())
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(r[0]["type"], "queue", "{r}");
    chat
}

/// Who the chat is offered to now, waiting (a guard against a hung test, not a timing
/// assertion) until `done` says the offers are what the test waits for.
async fn offers_until(
    app: &TestApp,
    done: impl Fn(&[store::ChatOffer]) -> bool,
) -> Vec<store::ChatOffer> {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let offers = app.state.store.chat_offers().await.expect("offers");
            if done(&offers) {
                return offers;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the offers settle")
}

fn offered_to(offers: &[store::ChatOffer], chat: i64) -> Option<AgentId> {
    offers
        .iter()
        .find(|o| o.ticket_id == TicketId(chat))
        .map(|o| o.agent_id)
}

async fn online(app: &TestApp, email: &str, langs: &[Lang]) -> (store::Agent, impl Drop) {
    let a = app.create_agent(email, Role::Agent).await;
    app.state
        .store
        .set_desk_limits(a.id, None, langs)
        .await
        .expect("limits");
    let tab = app
        .state
        .desk_presence
        .enter(a.id, app.state.events.clone());
    (a, tab)
}

async fn conversation(app: &TestApp, chat: i64) -> store::Conversation {
    app.state
        .store
        .conversation(TicketId(chat))
        .await
        .expect("conversation")
}

async fn chat_state(app: &TestApp, chat: i64) -> store::ChatState {
    conversation(app, chat).await.state
}

/// The session's CSRF token, from the workspace page.
async fn desk_csrf(app: &TestApp, client: &reqwest::Client) -> String {
    let html = app.page_as(client, "/agent/desk").await;
    crate::helpers::extract_csrf(&html).expect("csrf")
}

/// Solves the ticket from the workspace's form, as an agent's browser does.
async fn solve_in_workspace(app: &TestApp, client: &reqwest::Client, csrf: &str, id: i64) {
    let r = client
        .post(app.url(&format!("/agent/desk/tickets/{id}/solve")))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 303);
}

/// A queued chat with its user's socket open, and li on the desk: li's chat socket and
/// signed-in workspace (its client and CSRF token).
struct AtTheDesk {
    chat: Chat,
    user: Ws,
    agent_ws: Ws,
    client: reqwest::Client,
    csrf: String,
}

async fn chat_at_the_desk(app: &TestApp, lang: &str) -> AtTheDesk {
    let chat = queued_chat(app, lang).await;
    let mut user = connect(&chat.ws_url).await;
    next_of(&mut user, "hello").await;
    let (mut agent_ws, agent) = agent_socket(app, "li").await;
    next_of(&mut agent_ws, "hello").await;
    let client = app.signed_in_client(&agent).await;
    let csrf = desk_csrf(app, &client).await;
    AtTheDesk {
        chat,
        user,
        agent_ws,
        client,
        csrf,
    }
}

async fn api(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = client.post(app.url(path));
    if let Some(c) = csrf {
        req = req.header("x-csrf-token", c);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("POST");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_queued_chat_is_offered_at_once_by_language_and_load_never_over_the_limit() {
    let app = TestApp::spawn().await;
    let mut events = app.state.events.subscribe();
    let (zh, _zh_tab) = online(&app, "zh@example.com", &[Lang::ZhCn]).await;
    app.state
        .store
        .set_desk_limits(zh.id, Some(1), &[Lang::ZhCn])
        .await
        .unwrap();
    let (en, _en_tab) = online(&app, "en@example.com", &[Lang::En]).await;
    let (away, _away_tab) = online(&app, "away@example.com", &[]).await;
    app.state
        .desk_presence
        .set_away(away.id, true, &app.state.events);

    let zh1 = queued_chat(&app, "zh-CN").await;
    let zh2 = queued_chat(&app, "zh-CN").await;
    let en1 = queued_chat(&app, "en").await;
    let en2 = queued_chat(&app, "en").await;
    // Nobody called routing: queueing did. zh takes one (its limit counts the offer), the
    // second Chinese chat waits for a Chinese speaker, English goes to English; away gets none.
    let offers = offers_until(&app, |o| o.len() >= 3).await;
    assert_eq!(offered_to(&offers, zh1.id), Some(zh.id));
    assert_eq!(offered_to(&offers, zh2.id), None);
    assert_eq!(offered_to(&offers, en1.id), Some(en.id));
    assert_eq!(offered_to(&offers, en2.id), Some(en.id));
    assert_eq!(offers.len(), 3);
    // An offer is not an assignment: the chat waits for the agent's answer.
    let c = conversation(&app, zh1.id).await;
    assert_eq!(c.state, store::ChatState::Queued);
    assert!(
        offers
            .iter()
            .all(|o| o.expires_at.0 == o.offered_at.0 + server::desk_routing::OFFER_SECS * 1000)
    );
    // The chosen agent hears of it (the workspace's stream carries it).
    let heard = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Ok(server::Event::ChatOffered { ticket, agent, .. }) = events.recv().await
                && ticket == TicketId(zh1.id)
            {
                return agent;
            }
        }
    })
    .await
    .expect("ChatOffered");
    assert_eq!(heard, zh.id);
    // Another round offers nothing twice.
    let again = server::desk_routing::round(&app.state).await.unwrap();
    assert!(again.offered.is_empty(), "{again:?}");
    assert_eq!(app.state.store.chat_offers().await.unwrap().len(), 3);
    // The waiting Chinese chat goes to zh as soon as zh has room: zh takes the first chat
    // and ends it.
    let zh_client = app.signed_in_client(&zh).await;
    let csrf = desk_csrf(&app, &zh_client).await;
    let path = format!("/api/v1/tickets/{}/accept", zh1.id);
    assert_eq!(api(&app, &zh_client, Some(&csrf), &path, None).await.0, 200);
    let offers = offers_until(&app, |o| offered_to(o, zh2.id).is_none()).await;
    assert_eq!(offered_to(&offers, zh2.id), None, "zh still has one chat");
    solve_in_workspace(&app, &zh_client, &csrf, zh1.id).await;
    assert_eq!(chat_state(&app, zh1.id).await, store::ChatState::Ended);
    let offers = offers_until(&app, |o| offered_to(o, zh2.id).is_some()).await;
    assert_eq!(offered_to(&offers, zh2.id), Some(zh.id));
}

#[tokio::test]
async fn a_declined_or_unanswered_offer_goes_to_the_next_agent_and_an_agent_coming_online_gets_what_waits()
 {
    let app = TestApp::spawn().await;
    let t0 = Timestamp(1_800_000_000_000);
    app.state.clock.set(t0);
    let chat = queued_chat(&app, "en").await;
    // Nobody online: it waits.
    let round = server::desk_routing::round(&app.state).await.unwrap();
    assert!(round.offered.is_empty());
    let (a, _a_tab) = online(&app, "a@example.com", &[]).await;
    // Coming online is an event routing answers.
    let first = offers_until(&app, |o| !o.is_empty()).await[0].agent_id;
    assert_eq!(first, a.id);
    let (b, _b_tab) = online(&app, "b@example.com", &[]).await;
    let (c, _c_tab) = online(&app, "c@example.com", &[]).await;

    // a declines (the workspace's script: session and CSRF header): b or c is offered it.
    let a_client = app.signed_in_client(&a).await;
    let a_csrf = desk_csrf(&app, &a_client).await;
    let decline = format!("/api/v1/tickets/{}/decline", chat.id);
    let (status, body) = api(&app, &a_client, Some(&a_csrf), &decline, None).await;
    assert_eq!(status, 200, "{body}");
    let second = offers_until(&app, |o| offered_to(o, chat.id).is_some_and(|x| x != a.id))
        .await
        .iter()
        .find(|o| o.ticket_id == TicketId(chat.id))
        .unwrap()
        .agent_id;
    assert!(second == b.id || second == c.id);
    // Declining again is refused: the offer is gone.
    let (status, body) = api(&app, &a_client, Some(&a_csrf), &decline, None).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (409, Some("conflict"))
    );

    // The second agent does not answer: after the offer's time it goes to the third.
    app.state.clock.set(Timestamp(
        t0.0 + server::desk_routing::OFFER_SECS * 1000 + 1,
    ));
    server::desk_routing::round(&app.state).await.unwrap();
    let third = offered_to(&app.state.store.chat_offers().await.unwrap(), chat.id);
    let other = if second == b.id { c.id } else { b.id };
    assert_eq!(third, Some(other));
    let refused = app
        .state
        .store
        .chat_refusals(TicketId(chat.id))
        .await
        .unwrap();
    assert_eq!(refused, vec![a.id, second]);
    let audit = app.state.store.audit_log(50, 0).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "desk.offer_expired"));
    assert!(audit.iter().any(|e| e.action == "desk.decline"));

    // Everyone refused: it stays waiting, offered to nobody, and shows in the waiting chats,
    // where the agent who declined first can still take it.
    let o_client = app
        .signed_in_client(&app.state.store.agent(other).await.unwrap())
        .await;
    let o_csrf = desk_csrf(&app, &o_client).await;
    assert_eq!(
        api(&app, &o_client, Some(&o_csrf), &decline, None).await.0,
        200
    );
    let round = server::desk_routing::round(&app.state).await.unwrap();
    assert!(round.offered.is_empty());
    assert!(app.state.store.chat_offers().await.unwrap().is_empty());
    let html = app.page_as(&a_client, "/agent/desk?view=chats").await;
    assert!(html.contains(&format!("data-id=\"{}\"", chat.id)), "{html}");
    assert!(html.contains("1 in the queue"), "{html}");
    let accept = format!("/api/v1/tickets/{}/accept", chat.id);
    let (status, body) = api(&app, &a_client, Some(&a_csrf), &accept, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assignee_id"], a.id.0);
    let conv = conversation(&app, chat.id).await;
    assert_eq!(
        (conv.state, conv.agent),
        (store::ChatState::Agent, Some(a.id))
    );
    // A second agent accepting is refused: one conditional update wins.
    let (status, body) = api(&app, &o_client, Some(&o_csrf), &accept, None).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (409, Some("conflict"))
    );
}

#[tokio::test]
async fn the_desk_api_needs_a_token_or_a_session_with_its_csrf_header() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let wang = app.create_agent("wang@example.com", Role::Agent).await;
    let restricted = app.create_agent("r@example.com", Role::Restricted).await;
    let chat = queued_chat(&app, "zh-CN").await;
    let accept = format!("/api/v1/tickets/{}/accept", chat.id);
    // Nobody.
    let (status, body) = api(&app, &TestApp::new_client(), None, &accept, None).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (401, Some("unauthenticated"))
    );
    // A session without the header, or with another token: a cross-site form cannot send it.
    let li_client = app.signed_in_client(&li).await;
    let (status, body) = api(&app, &li_client, None, &accept, None).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (403, Some("csrf"))
    );
    let (status, _) = api(&app, &li_client, Some("not-the-token"), &accept, None).await;
    assert_eq!(status, 403);
    // A restricted agent (notes only) may not take tickets, by token either.
    let r_token = app.api_token(&restricted).await;
    let r = app
        .client
        .post(app.url(&accept))
        .bearer_auth(&r_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        chat_state(&app, chat.id).await,
        store::ChatState::Queued,
        "nothing refused changed the chat"
    );
    // An API token works; unknown tickets are 404.
    let token = app.api_token(&li).await;
    let bearer = |path: String, body: Option<Value>| {
        let mut req = app.client.post(app.url(&path)).bearer_auth(&token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move {
            let r = req.send().await.expect("POST");
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = bearer(accept.clone(), None).await;
    assert_eq!(
        (status, body["assignee_id"].as_i64()),
        (200, Some(li.id.0)),
        "{body}"
    );
    assert_eq!(
        bearer("/api/v1/tickets/999999/accept".into(), None).await.0,
        404
    );

    // Transfer: to nobody is refused; to wang moves the conversation too.
    let transfer = format!("/api/v1/tickets/{}/transfer", chat.id);
    let (status, body) = bearer(transfer.clone(), Some(json!({"agent_id": 424_242}))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_assignee"))
    );
    let (status, _) = bearer(transfer.clone(), Some(json!({"agent": wang.id.0}))).await;
    assert_eq!(status, 400, "unknown fields are refused");
    let (status, body) = bearer(
        transfer,
        Some(json!({"agent_id": wang.id.0, "note": "VIP, 中文"})),
    )
    .await;
    assert_eq!(
        (status, body["assignee_id"].as_i64()),
        (200, Some(wang.id.0)),
        "{body}"
    );
    let conv = conversation(&app, chat.id).await;
    assert_eq!(
        (conv.state, conv.agent),
        (store::ChatState::Agent, Some(wang.id))
    );
    // li no longer has it: li's message in the chat is refused.
    let notes = app
        .state
        .store
        .messages(TicketId(chat.id), true)
        .await
        .unwrap();
    assert!(notes.iter().any(|m| m.body.as_str() == "VIP, 中文"));

    // Convert: the chat's live part ends, the user is told in their language, the ticket is
    // open and wang's.
    let (status, body) = bearer(format!("/api/v1/tickets/{}/convert", chat.id), None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("open")),
        "{body}"
    );
    assert_eq!(body["assignee_id"].as_i64(), Some(wang.id.0));
    let conv = conversation(&app, chat.id).await;
    assert_eq!(conv.state, store::ChatState::Ended);
    let said = app
        .state
        .store
        .chat_messages(TicketId(chat.id), None)
        .await
        .unwrap();
    let zh = server::i18n::Tr {
        i18n: &app.state.i18n,
        lang: Lang::ZhCn,
    }
    .get("chat.follow_up");
    assert!(said.iter().any(|m| m.body.as_str() == zh), "{said:?}");
    // Declining what is neither offered nor assigned: conflict; a bad body: invalid_json.
    let (status, body) = bearer(format!("/api/v1/tickets/{}/decline", chat.id), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{}/convert", chat.id)))
        .bearer_auth(&token)
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Whitespace or `null` is not the documented object either (schemathesis sent "\n").
    for sent in ["\n", "  ", "null"] {
        let r = app
            .client
            .post(app.url(&format!("/api/v1/tickets/{}/convert", chat.id)))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(sent)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{sent:?}");
    }
}

#[tokio::test]
async fn old_chat_links_land_in_the_workspace_and_replies_need_no_reload() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let r = client.get(app.url("/agent/chats")).send().await.unwrap();
    assert_eq!(TestApp::see_other(&r), "/agent/desk?view=chats");
    // Without a session it is the sign-in, as every agent page.
    let r = app.get("/agent/chats").await;
    assert_eq!(r.status(), 303);
    assert!(TestApp::see_other(&r).starts_with("/agent/sign-in"));

    // The workspace's script posts a reply with js=1: 204, stored; a refused one: 422 JSON
    // naming the field, nothing stored.
    let (id, _) = app.create_ticket("转账没到账", "我的 USDT 还没到").await;
    let csrf = desk_csrf(&app, &client).await;
    let path = format!("/agent/desk/tickets/{id}/messages");
    let r = client
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "public"),
            ("body", "已收到，我们在查"),
            ("js", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let before = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert_eq!(before.last().unwrap().body.as_str(), "已收到，我们在查");
    let r = client
        .post(app.url(&path))
        .header("accept-language", "zh-CN")
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "public"),
            ("body", "   "),
            ("js", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "body", "{v}");
    assert!(!v["message"].as_str().unwrap_or_default().is_empty(), "{v}");
    let after = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert_eq!(after.len(), before.len());
    // Without js=1 the form still answers with a redirect to the workspace.
    let r = client
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("kind", "note"), ("body", "note")])
        .send()
        .await
        .unwrap();
    assert!(TestApp::see_other(&r).starts_with(&format!("/agent/desk?view=mine&t={id}")));
}

#[tokio::test]
async fn an_agent_accepts_in_the_workspace_and_answers_over_the_socket_redacted_both_ways() {
    let app = TestApp::spawn().await;
    let AtTheDesk {
        chat,
        mut user,
        mut agent_ws,
        client,
        csrf,
    } = chat_at_the_desk(&app, "en").await;
    // The pane shows the waiting chat with an accept button.
    let pane = app
        .page_as(
            &client,
            &format!("/agent/desk?view=chats&t={}&partial=pane", chat.id),
        )
        .await;
    assert!(pane.contains("id=\"desk-accept\""), "{pane}");
    let accept = format!("/api/v1/tickets/{}/accept", chat.id);
    assert_eq!(api(&app, &client, Some(&csrf), &accept, None).await.0, 200);
    let joined = next_of(&mut user, "agent_joined").await;
    assert_eq!(joined["conversation"], chat.id);
    // Now the composer is live: it sends over the socket.
    let pane = app
        .page_as(&client, &format!("/agent/desk?t={}&partial=pane", chat.id))
        .await;
    assert!(pane.contains("data-chat=\"1\""), "{pane}");
    // Typing reaches the user; the agent's message is acknowledged, then delivered to the user.
    send(
        &mut agent_ws,
        json!({"type": "typing", "conversation": chat.id, "typing": true}),
    )
    .await;
    let typing = next_of(&mut user, "typing").await;
    assert_eq!(
        (typing["sender"].as_str(), typing["typing"].as_bool()),
        (Some("agent"), Some(true))
    );
    let text = format!("is this yours? {PHRASE}");
    send(
        &mut agent_ws,
        json!({"type": "message", "conversation": chat.id, "client_id": "d-1", "text": text}),
    )
    .await;
    let ack = next_of(&mut agent_ws, "ack").await;
    assert_eq!(ack["client_id"], "d-1");
    let stored = ack["message"]["text"].as_str().unwrap().to_owned();
    assert!(!stored.contains("abandon"), "{stored}");
    let got = next_message_from(&mut user, "agent").await;
    assert_eq!(got["message"]["text"].as_str(), Some(stored.as_str()));
    // The user's phrase never reaches the agent's screen either.
    send(
        &mut user,
        json!({"type": "message", "client_id": "u-1", "text": PHRASE}),
    )
    .await;
    let m = next_message_from(&mut agent_ws, "user").await;
    assert!(
        !m["message"]["text"].as_str().unwrap().contains("abandon"),
        "{m}"
    );
    // The workspace's conversation shows both, redacted.
    let conv = app
        .page_as(&client, &format!("/agent/tickets/{}/conversation", chat.id))
        .await;
    assert!(!conv.contains("abandon"), "{conv}");
    // Solving from the workspace ends the chat for the user.
    solve_in_workspace(&app, &client, &csrf, chat.id).await;
    assert_eq!(next_of(&mut user, "ended").await["conversation"], chat.id);
}

/// The routing plan applied to real chats, called directly (the rule's own tests are in
/// `routing.rs`).
#[tokio::test]
async fn route_waiting_offers_and_never_twice() {
    let app = TestApp::spawn().await;
    let chat = queued_chat(&app, "en").await;
    let s = &app.state;
    let waiting = [WaitingChat {
        ticket: TicketId(chat.id),
        lang: Lang::En,
        waiting_since: Timestamp(0),
        excluded: Vec::new(),
    }];
    // Nobody online.
    assert!(
        server::desk::route_waiting(s, &waiting, 1000)
            .await
            .unwrap()
            .is_empty()
    );
    let a = app.create_agent("a@example.com", Role::Agent).await;
    // Marked online without the event, so only this test's call routes.
    let _tab = s
        .desk_presence
        .enter(a.id, tokio::sync::broadcast::channel(1).0);
    let first = server::desk::route_waiting(s, &waiting, 1000)
        .await
        .unwrap();
    let second = server::desk::route_waiting(s, &waiting, 1000)
        .await
        .unwrap();
    // Whichever call (this test's or the background round's) came first offered it; the
    // other offered nothing: one offer, to a.
    assert!(first.len() + second.len() <= 1);
    let offers = s.store.chat_offers().await.unwrap();
    assert_eq!(offered_to(&offers, chat.id), Some(a.id));
    assert_eq!(offers.len(), 1);
    assert!(
        s.store
            .desk_settings_of(a.id)
            .await
            .unwrap()
            .last_assigned_at
            .is_some()
    );
}

#[tokio::test]
async fn a_chat_turned_into_a_follow_up_ends_without_asking_for_a_rating() {
    let app = TestApp::spawn().await;
    // li's socket stays open to the end, as a workspace's does.
    let AtTheDesk {
        chat,
        mut user,
        agent_ws: _agent_ws,
        client,
        csrf,
    } = chat_at_the_desk(&app, "zh-CN").await;
    let accept = format!("/api/v1/tickets/{}/accept", chat.id);
    assert_eq!(api(&app, &client, Some(&csrf), &accept, None).await.0, 200);
    next_of(&mut user, "agent_joined").await;
    let convert = format!("/api/v1/tickets/{}/convert", chat.id);
    assert_eq!(api(&app, &client, Some(&csrf), &convert, None).await.0, 200);

    // The user's page is told it goes on as a ticket: no rating form for an open ticket.
    let ended = next_of(&mut user, "ended").await;
    assert_eq!(ended["follow_up"], true, "{ended}");
    send(&mut user, json!({"type": "sync"})).await;
    let history = next_of(&mut user, "history").await;
    assert_eq!(
        (history["state"].as_str(), history["rateable"].as_bool()),
        (Some("ended"), Some(false)),
        "{history}"
    );
    // And a rating sent anyway is refused with its code, not stored.
    send(&mut user, json!({"type": "rate", "score": 4})).await;
    assert_eq!(next_of(&mut user, "error").await["code"], "cannot_rate");
    let t = app.state.store.ticket(TicketId(chat.id)).await.unwrap();
    assert!(t.rating.is_none());
}

/// The desk's `POST`s take an `Idempotency-Key` like the rest of the API: a retried transfer is
/// answered again without handing the chat on twice (one audit entry, one note), and the same
/// key with another body is refused.
#[tokio::test]
async fn a_retried_transfer_with_its_idempotency_key_happens_once() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let wang = app.create_agent("wang@example.com", Role::Agent).await;
    let chat = queued_chat(&app, "en").await;
    let token = app.api_token(&li).await;
    let post = |path: String, key: &'static str, body: Option<Value>| {
        let mut req = app
            .client
            .post(app.url(&path))
            .bearer_auth(&token)
            .header("idempotency-key", key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move {
            let r = req.send().await.expect("POST");
            let replayed = r.headers().contains_key("idempotent-replayed");
            (
                r.status().as_u16(),
                replayed,
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let accept = format!("/api/v1/tickets/{}/accept", chat.id);
    let (status, replayed, _) = post(accept.clone(), "acc-1", None).await;
    assert_eq!((status, replayed), (200, false));
    let (status, replayed, _) = post(accept, "acc-1", None).await;
    assert_eq!((status, replayed), (200, true));

    let transfer = format!("/api/v1/tickets/{}/transfer", chat.id);
    let body = json!({"agent_id": wang.id.0, "note": "VIP"});
    let (status, replayed, first) = post(transfer.clone(), "tr-1", Some(body.clone())).await;
    assert_eq!((status, replayed), (200, false), "{first}");
    assert_eq!(first["assignee_id"].as_i64(), Some(wang.id.0));
    let (status, replayed, again) = post(transfer.clone(), "tr-1", Some(body)).await;
    assert_eq!((status, replayed), (200, true));
    assert_eq!(again, first, "the first answer, again");
    let (status, _, other) = post(
        transfer,
        "tr-1",
        Some(json!({"agent_id": li.id.0, "note": "back"})),
    )
    .await;
    assert_eq!(
        (status, other["error"].as_str()),
        (422, Some("idempotency_key_reused"))
    );
    let notes = app
        .state
        .store
        .messages(domain::TicketId(chat.id), true)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.body.as_str().contains("VIP"))
        .count();
    assert_eq!(notes, 1, "one transfer note");
    let log = app.state.store.audit_log(100, 0).await.unwrap();
    assert_eq!(
        log.iter().filter(|e| e.action.contains("transfer")).count(),
        1,
        "{log:?}"
    );
}

/// A chat whose user left no address is shown to agents as a chat visitor, not as the
/// placeholder address, in the inbox, the workspace and the ticket page, in both languages;
/// the assistant's messages are marked as automatic, not with the product's name.
#[tokio::test]
async fn a_chat_without_an_address_is_a_chat_visitor_to_agents() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let chat = queued_chat(&app, "zh-CN").await;
    // A message of the user's, so that the conversations below name its author.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/chat/conversations/{}/frames", chat.id)))
        .bearer_auth(&chat.token)
        .body(json!({"type": "message", "client_id": "v1", "text": "USDT 一直没到账"}).to_string())
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 200);
    let ticket = format!("/agent/tickets/{}?lang=zh-CN", chat.id);
    // The workspace with the chat open: its conversation names the user's messages too.
    let pane = format!("/agent/desk?view=all&t={}&lang=zh-CN", chat.id);
    for (path, visitor) in [
        ("/agent?view=all&lang=en", "Chat visitor (no e-mail yet)"),
        ("/agent/desk?view=all&lang=zh-CN", "在线访客（尚未留邮箱）"),
        (ticket.as_str(), "在线访客（尚未留邮箱）"),
        (pane.as_str(), "在线访客（尚未留邮箱）"),
    ] {
        let html = app.page_as(&client, path).await;
        assert!(html.contains(visitor), "{path}: {html}");
        assert!(!html.contains("chat@chat.invalid"), "{path}");
    }
    let html = app
        .page_as(&client, &format!("/agent/tickets/{}?lang=en", chat.id))
        .await;
    assert!(html.contains("Automatic (assistant)"), "{html}");
    assert!(!html.contains("<strong>Walletdesk</strong>"), "{html}");
}
