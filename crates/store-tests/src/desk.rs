//! Scenarios for [`store::DeskStore`]: agents' workspace settings and a requester's
//! conversations (migration 0014).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::{Category, EmailAddress, Lang, Priority, Redacted, Role, Status, TicketId};
use store::{
    Agent, DeskAgentSettings, NewAgent, NewTicket, Store, TicketFields, TicketUpdate, TokenHash,
};

use crate::T0;

fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::Relaxed))
}

fn red(s: &str) -> Redacted {
    Redacted::new(s).unwrap().0
}

async fn agent(store: &Arc<dyn Store>, name: &str) -> Agent {
    store
        .create_agent(
            NewAgent {
                email: EmailAddress::parse(&format!("{}@desk.example.com", unique(name))).unwrap(),
                name: red(name),
                role: Role::Agent,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
                lang: Lang::En,
            },
            T0,
        )
        .await
        .unwrap()
}

async fn ticket_from(store: &Arc<dyn Store>, requester: &str, subject: &str, at: i64) -> TicketId {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    store
        .create_ticket(NewTicket {
            requester: EmailAddress::parse(requester).unwrap(),
            category: Category::Other,
            subject: red(subject),
            body: red("Please help."),
            fields: TicketFields::default(),
            priority: Priority::Normal,
            secret_exposed: false,
            lang: Lang::ZhCn,
            channel: domain::Channel::Web,
            access_token: TokenHash(format!(
                "d35c{:060x}",
                u128::from(n) << 32 | u128::from(std::process::id())
            )),
            first_response_due: None,
            resolution_due: None,
            now: T0.plus_minutes(at),
            mail: None,
        })
        .await
        .unwrap()
        .id
}

/// Defaults without a row; limits, languages and sound each keep the others; the last
/// assignment time is kept per agent.
pub async fn desk_settings_round_trip(store: Arc<dyn Store>) {
    let li = agent(&store, "Li").await;
    let wang = agent(&store, "Wang").await;
    assert_eq!(
        store.desk_settings_of(li.id).await.unwrap(),
        DeskAgentSettings::default(),
        "an agent without a row has the defaults"
    );
    store
        .set_desk_limits(li.id, Some(3), &[Lang::ZhCn, Lang::En])
        .await
        .unwrap();
    store.set_desk_sound(li.id, true).await.unwrap();
    store.set_desk_sound(wang.id, true).await.unwrap();
    store.set_desk_sound(wang.id, false).await.unwrap();
    store
        .mark_desk_assigned(li.id, T0.plus_minutes(5))
        .await
        .unwrap();
    let got = store.desk_settings_of(li.id).await.unwrap();
    assert_eq!(
        got,
        DeskAgentSettings {
            chat_limit: Some(3),
            languages: vec![Lang::ZhCn, Lang::En],
            sound: true,
            last_assigned_at: Some(T0.plus_minutes(5)),
        }
    );
    // Back to the default limit and every language; sound stays.
    store.set_desk_limits(li.id, None, &[]).await.unwrap();
    let got = store.desk_settings_of(li.id).await.unwrap();
    assert_eq!(
        (got.chat_limit, got.languages.len(), got.sound),
        (None, 0, true)
    );
    let all = store.desk_agent_settings().await.unwrap();
    let wang_row = all
        .iter()
        .find(|(a, _)| *a == wang.id)
        .expect("wang has a row");
    assert!(!wang_row.1.sound);
    assert!(all.iter().any(|(a, _)| *a == li.id));
}

/// Every status, newest first, merged ones and other requesters left out, address case ignored.
pub async fn tickets_of_requester_in_every_status(store: Arc<dyn Store>) {
    let me = format!("{}@example.org", unique("req"));
    let other = format!("{}@example.org", unique("other"));
    let first = ticket_from(&store, &me, "first", 0).await;
    let second = ticket_from(&store, &me.to_uppercase(), "second", 1).await;
    let merged = ticket_from(&store, &me, "merged", 2).await;
    let _theirs = ticket_from(&store, &other, "theirs", 3).await;
    store
        .update_ticket(
            first,
            TicketUpdate {
                status: Some(Status::Closed),
                ..TicketUpdate::default()
            },
            T0.plus_minutes(4),
        )
        .await
        .unwrap();
    store
        .merge_tickets(merged, second, T0.plus_minutes(5))
        .await
        .unwrap();
    let got: Vec<TicketId> = store
        .tickets_of_requester(&EmailAddress::parse(&me).unwrap(), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(
        got,
        [second, first],
        "closed kept, merged and others' left out"
    );
    let one = store
        .tickets_of_requester(&EmailAddress::parse(&me).unwrap(), 1)
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
}
