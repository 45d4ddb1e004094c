//! One presence across nodes (`server::cluster::presence`): two app states on one PostgreSQL,
//! each with its relay running, as two `serve` processes have. An agent on the desk on one node
//! is on the desk on the other (workspace, routing and the chat's queue alike), ticket viewers
//! cross too, a node that stops says so, and a node that goes silent stops counting after the
//! expiry — shown by moving the other node's clock, not by waiting. PostgreSQL only.

use domain::{AgentId, Role, TicketId, Timestamp};
use serde_json::json;
use server::cluster::presence::{self, EXPIRY_MS};
use server::routing::AgentState;
use server::{AppState, Event};
use tokio::sync::broadcast;

use crate::cluster::{next, skip, two_linked_nodes};
use crate::helpers::chat::{self, next_of, send};

/// Events on `rx` until `want` (others skipped); a hang is a failure after a generous wait.
async fn until(rx: &mut broadcast::Receiver<Event>, want: &Event) {
    while next(rx).await != *want {}
}

fn desk_state(s: &AppState, a: AgentId) -> AgentState {
    s.desk_presence.state(a)
}

#[tokio::test]
async fn an_agent_on_one_node_is_on_the_desk_on_the_other() {
    if skip() {
        return;
    }
    let (a, b, _tasks) = two_linked_nodes().await;
    let li = a.create_agent("li@example.com", Role::Agent).await;
    let changed = Event::AgentPresenceChanged { agent: li.id };
    assert_eq!(desk_state(&b.state, li.id), AgentState::Offline);

    let mut on_b = b.state.events.subscribe();
    let tab = a.state.desk_presence.enter(li.id, a.state.events.clone());
    until(&mut on_b, &changed).await;
    assert_eq!(desk_state(&b.state, li.id), AgentState::Online);
    assert_eq!(b.state.desk_presence.online(), vec![li.id]);
    // Routing on B sees A's agent.
    let slots = server::desk::agent_slots(&b.state).await.unwrap();
    let slot = slots.iter().find(|s| s.agent == li.id).expect("a slot");
    assert_eq!(slot.state, AgentState::Online);

    // Away on A is away on B.
    assert!(a.state.desk_presence.set_away(li.id, true, &a.state.events));
    until(&mut on_b, &changed).await;
    assert_eq!(desk_state(&b.state, li.id), AgentState::Away);
    assert!(b.state.desk_presence.online().is_empty());

    // A ticket open on A is open on B, for as long as it is.
    let (t, _) = a.create_ticket("viewed on A", "two nodes").await;
    let ticket = TicketId(t);
    let viewers = Event::PresenceChanged { ticket };
    let here = a
        .state
        .presence
        .enter(ticket, li.id, a.state.events.clone());
    until(&mut on_b, &viewers).await;
    assert_eq!(
        b.state.presence.on(ticket).into_iter().collect::<Vec<_>>(),
        vec![li.id]
    );
    assert!(b.state.presence.all().contains_key(&ticket));
    drop(here);
    until(&mut on_b, &viewers).await;
    assert!(b.state.presence.on(ticket).is_empty());

    // The last tab closes on A: offline on B.
    drop(tab);
    until(&mut on_b, &changed).await;
    assert_eq!(desk_state(&b.state, li.id), AgentState::Offline);
}

#[tokio::test]
async fn a_node_that_stops_says_so_and_a_silent_one_expires() {
    if skip() {
        return;
    }
    let (a, b, tasks) = two_linked_nodes().await;
    let wang = a.create_agent("wang@example.com", Role::Agent).await;
    let zhao = a.create_agent("zhao@example.com", Role::Agent).await;
    let changed = |agent| Event::AgentPresenceChanged { agent };

    // A stops cleanly: B forgets its agents at once, though A's tab guard still lives.
    let mut on_b = b.state.events.subscribe();
    let tab = a.state.desk_presence.enter(wang.id, a.state.events.clone());
    until(&mut on_b, &changed(wang.id)).await;
    presence::leave(&a.state).await;
    until(&mut on_b, &changed(wang.id)).await;
    assert_eq!(desk_state(&b.state, wang.id), AgentState::Offline);
    drop(tab);

    // A is heard again (a change makes it announce itself).
    let tab = a.state.desk_presence.enter(zhao.id, a.state.events.clone());
    let (t, _) = a.create_ticket("open on a silent node", "two nodes").await;
    let here = a
        .state
        .presence
        .enter(TicketId(t), zhao.id, a.state.events.clone());
    until(
        &mut on_b,
        &Event::PresenceChanged {
            ticket: TicketId(t),
        },
    )
    .await;
    assert_eq!(desk_state(&b.state, zhao.id), AgentState::Online);
    let heard_at = b.state.now();

    // Now A goes silent without a word, as a killed process does: its relay stops. B's clock
    // moves instead of the test waiting: A counts up to the expiry, and not after.
    for task in tasks.iter().take(tasks.len() / 2) {
        task.abort();
    }
    // A last word in A's name, straight on the link: whatever A's relay had sent is through.
    let marker = Event::TicketUpdated {
        ticket: TicketId(-7),
    };
    let link = a.state.store.cluster().expect("PostgreSQL links nodes");
    let mut on_b = b.state.events.subscribe();
    link.notify(&format!(
        r#"{{"node":"{}","events":[{}]}}"#,
        a.state.node.id,
        serde_json::to_string(&marker).unwrap()
    ))
    .await
    .unwrap();
    until(&mut on_b, &marker).await;
    b.state.clock.set(Timestamp(heard_at.0 + EXPIRY_MS - 1_000));
    presence::sweep(&b.state);
    assert_eq!(desk_state(&b.state, zhao.id), AgentState::Online);
    assert!(!b.state.presence.on(TicketId(t)).is_empty());
    b.state.clock.set(Timestamp(heard_at.0 + EXPIRY_MS + 1));
    assert_eq!(desk_state(&b.state, zhao.id), AgentState::Offline);
    assert!(b.state.presence.on(TicketId(t)).is_empty());
    assert!(b.state.desk_presence.online().is_empty());
    // The sweep tells B's pages, once.
    let mut on_b = b.state.events.subscribe();
    presence::sweep(&b.state);
    presence::sweep(&b.state);
    let mut seen = Vec::new();
    while let Ok(e) = on_b.try_recv() {
        seen.push(e);
    }
    assert_eq!(
        seen,
        vec![
            changed(zhao.id),
            Event::PresenceChanged {
                ticket: TicketId(t)
            }
        ]
    );
    drop((tab, here));
}

#[tokio::test]
async fn a_user_on_one_node_is_told_of_agents_on_the_other() {
    if skip() {
        return;
    }
    let (a, b, _tasks) = two_linked_nodes().await;
    let chen = a.create_agent("chen@example.com", Role::Agent).await;
    // A restricted agent (notes only) cannot answer a chat: not counted.
    let intern = a.create_agent("intern@example.com", Role::Restricted).await;
    let mut on_b = b.state.events.subscribe();
    let _intern_tab = a
        .state
        .desk_presence
        .enter(intern.id, a.state.events.clone());
    let _tab = a.state.desk_presence.enter(chen.id, a.state.events.clone());
    until(&mut on_b, &Event::AgentPresenceChanged { agent: chen.id }).await;

    let chat = chat::start(&b, "en").await;
    let mut ws = chat::connect(&chat.ws_url).await;
    next_of(&mut ws, "hello").await;
    send(&mut ws, json!({"type": "handoff"})).await;
    let q = next_of(&mut ws, "queue").await;
    assert_eq!(q["position"], 1);
    assert_eq!(q["agents_online"], 1, "{q}");
    assert!(q["expected_wait_secs"].as_u64().is_some(), "{q}");
}
