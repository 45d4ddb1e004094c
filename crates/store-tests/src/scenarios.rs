//! The scenarios. Times are fixed (the store never reads a clock), so every expectation is
//! exact.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::sla::{BusinessHours, SlaPolicy, SlaState};
use domain::{
    AgentId, ApiTokenId, Author, CannedReplyId, Category, EmailAddress, Lang, MessageKind,
    Priority, Redacted, Role, Status, TicketId, Timestamp,
};
use store::{
    Agent, IdempotencyClaim, IdempotentReply, LogTable, MailCounts, MailFailure, MailStatus,
    NewAddressChallenge, NewAgent, NewAttachment, NewMail, NewMessage, NewTicket, OutboxMail,
    RatingEntry, Session, Store, StoreError, Ticket, TicketFields, TicketMail, TicketQuery,
    TicketUpdate, TokenHash, View,
};

/// 2026-12-01T07:57:53Z.
pub const T0: Timestamp = Timestamp(1_796_111_873_000);

fn at(minutes: i64) -> Timestamp {
    T0.plus_minutes(minutes)
}

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

fn red(s: &str) -> Redacted {
    Redacted::new(s).unwrap().0
}

/// A token hash nobody else uses (scenarios may share a store).
fn token() -> TokenHash {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    TokenHash(format!(
        "{:064x}",
        u128::from(n) << 64 | u128::from(std::process::id())
    ))
}

fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::Relaxed))
}

async fn agent(store: &Arc<dyn Store>, name: &str) -> Agent {
    let email = email(&format!("{}@desk.example.com", unique(name)));
    store
        .create_agent(
            NewAgent {
                email,
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

/// A new ticket from `user@example.com` in category `other`, no SLA timers, created at `now`.
fn draft(subject: &str, body: &str, now: Timestamp) -> NewTicket {
    NewTicket {
        requester: email("user@example.com"),
        category: Category::Other,
        subject: red(subject),
        body: red(body),
        fields: TicketFields::default(),
        priority: Priority::Normal,
        secret_exposed: false,
        lang: Lang::En,
        channel: domain::Channel::Web,
        access_token: token(),
        first_response_due: None,
        resolution_due: None,
        now,
        mail: None,
    }
}

async fn ticket(store: &Arc<dyn Store>, subject: &str, now: Timestamp) -> Ticket {
    store
        .create_ticket(draft(subject, "Please help.", now))
        .await
        .unwrap()
}

async fn say(
    store: &Arc<dyn Store>,
    t: TicketId,
    author: Author,
    kind: MessageKind,
    body: &str,
    now: Timestamp,
) {
    store
        .append_message(NewMessage {
            ticket_id: t,
            author,
            kind,
            body: red(body),
            secrets_removed: 0,
            now,
        })
        .await
        .unwrap();
}

async fn set_status(store: &Arc<dyn Store>, t: TicketId, status: Status, now: Timestamp) -> Ticket {
    store
        .update_ticket(
            t,
            TicketUpdate {
                status: Some(status),
                ..TicketUpdate::default()
            },
            now,
        )
        .await
        .unwrap()
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    r.err().is_some_and(|e| matches!(e, StoreError::NotFound))
}

fn is_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    r.err()
        .is_some_and(|e| matches!(e, StoreError::Conflict(_)))
}

/// The ids a query returns, restricted to `mine` (tickets this scenario made).
async fn ids(store: &Arc<dyn Store>, q: &TicketQuery, mine: &[TicketId]) -> BTreeSet<TicketId> {
    let mut q = q.clone();
    q.limit = 1000;
    store
        .tickets_for_view(&q)
        .await
        .unwrap()
        .tickets
        .into_iter()
        .map(|t| t.id)
        .filter(|id| mine.contains(id))
        .collect()
}

fn set(ids: &[TicketId]) -> BTreeSet<TicketId> {
    ids.iter().copied().collect()
}

// ---------------------------------------------------------------------------------------------

/// `backend`, `ping` and `migrate` (applying migrations twice is a no-op).
pub async fn backend_answers(store: Arc<dyn Store>) {
    assert!(matches!(store.backend(), "sqlite" | "postgres"));
    store.ping().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
}

/// Agents are created, read by id and by e-mail, listed, counted and updated.
pub async fn agents_create_and_read(store: Arc<dyn Store>) {
    let before = store.count_agents().await.unwrap();
    let a = store
        .create_agent(
            NewAgent {
                email: email(&format!("{}@Desk.Example.com", unique("Li.Wei"))),
                name: red("李伟"),
                role: Role::Admin,
                password_hash: "hash-1".to_owned(),
                lang: Lang::ZhCn,
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(a.name, "李伟");
    assert_eq!(a.role, Role::Admin);
    assert_eq!(a.lang, Lang::ZhCn);
    assert!(a.active, "a new agent is active");
    assert_eq!(a.created_at, T0);
    assert_eq!(a.password_hash, "hash-1");

    let b = agent(&store, "bob").await;
    assert_ne!(a.id, b.id);
    assert_eq!(store.agent(a.id).await.unwrap(), a);
    assert_eq!(store.agent_by_email(&a.email).await.unwrap(), a);
    assert_eq!(store.count_agents().await.unwrap(), before + 2);
    let all = store.agents().await.unwrap();
    let pos_a = all.iter().position(|x| x.id == a.id).unwrap();
    let pos_b = all.iter().position(|x| x.id == b.id).unwrap();
    assert!(
        pos_a < pos_b,
        "agents are listed in the order they were made"
    );

    let updated = store
        .update_agent(a.id, None, Some(Role::Agent), Some(false), None)
        .await
        .unwrap();
    assert_eq!(updated.name, "李伟", "None leaves the name");
    assert_eq!(updated.role, Role::Agent);
    assert!(!updated.active);
    assert_eq!(updated.lang, Lang::ZhCn);
    let renamed = store
        .update_agent(a.id, Some(red("Li Wei")), None, None, Some(Lang::En))
        .await
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.lang), ("Li Wei", Lang::En));
    assert!(!renamed.active);

    store
        .set_agent_password(a.id, "hash-2".to_owned())
        .await
        .unwrap();
    assert_eq!(store.agent(a.id).await.unwrap().password_hash, "hash-2");

    let nobody = AgentId(i64::MAX);
    assert!(is_not_found(store.agent(nobody).await));
    assert!(is_not_found(
        store.agent_by_email(&email("nobody@nowhere.example")).await
    ));
    assert!(is_not_found(
        store.update_agent(nobody, None, None, None, None).await
    ));
    assert!(is_not_found(
        store.set_agent_password(nobody, "x".to_owned()).await
    ));
}

/// One agent per mailbox: the same address, in any capitalisation, is a conflict.
pub async fn agents_duplicate_email_conflicts(store: Arc<dyn Store>) {
    let local = unique("dup");
    let new = |addr: String| NewAgent {
        email: email(&addr),
        name: red("Dup"),
        role: Role::Agent,
        password_hash: "h".to_owned(),
        lang: Lang::En,
    };
    let first = store
        .create_agent(new(format!("{local}@example.com")), T0)
        .await
        .unwrap();
    let before = store.count_agents().await.unwrap();
    assert!(is_conflict(
        store
            .create_agent(new(format!("{local}@example.com")), T0)
            .await
    ));
    assert!(is_conflict(
        store
            .create_agent(new(format!("{}@EXAMPLE.com", local.to_uppercase())), T0)
            .await
    ));
    assert_eq!(store.count_agents().await.unwrap(), before);
    assert_eq!(
        store
            .agent_by_email(&email(&format!("{}@example.com", local.to_uppercase())))
            .await
            .unwrap()
            .id,
        first.id,
        "e-mail lookup ignores case"
    );
}

/// A session is found until it expires, and not after; deleting ends it.
pub async fn sessions_expire(store: Arc<dyn Store>) {
    let a = agent(&store, "sess").await;
    let tok = token();
    let s = Session {
        agent_id: a.id,
        created_at: T0,
        expires_at: at(60),
        csrf: "csrf-token".to_owned(),
        verified: true,
        factor_at: None,
    };
    store.create_session(&tok, s.clone()).await.unwrap();
    assert_eq!(store.session(&tok, T0).await.unwrap(), s);
    assert_eq!(store.session(&tok, at(59)).await.unwrap(), s);
    assert!(
        is_not_found(store.session(&tok, at(60)).await),
        "expired at expires_at"
    );
    assert!(is_not_found(store.session(&tok, at(61)).await));
    assert!(is_not_found(store.session(&token(), T0).await));

    let other = token();
    store
        .create_session(
            &other,
            Session {
                verified: false,
                factor_at: None,
                ..s.clone()
            },
        )
        .await
        .unwrap();
    assert!(!store.session(&other, T0).await.unwrap().verified);
    store.delete_session(&other).await.unwrap();
    assert!(is_not_found(store.session(&other, T0).await));
    store.delete_session(&other).await.unwrap();
    assert_eq!(
        store.session(&tok, T0).await.unwrap(),
        s,
        "deleting one session leaves the others"
    );
}

/// A sign-in link works once, and not after it expires.
pub async fn sign_in_link_is_consumed_once(store: Arc<dyn Store>) {
    let a = agent(&store, "link").await;
    let tok = token();
    store.create_sign_in_link(&tok, a.id, at(15)).await.unwrap();
    // Looking does not use it up.
    assert_eq!(store.sign_in_link_agent(&tok, at(1)).await.unwrap(), a.id);
    assert_eq!(store.sign_in_link_agent(&tok, at(1)).await.unwrap(), a.id);
    assert_eq!(store.consume_sign_in_link(&tok, at(1)).await.unwrap(), a.id);
    assert!(is_not_found(store.sign_in_link_agent(&tok, at(2)).await));
    assert!(
        is_not_found(store.consume_sign_in_link(&tok, at(2)).await),
        "a link is consumed on use"
    );

    let late = token();
    store
        .create_sign_in_link(&late, a.id, at(15))
        .await
        .unwrap();
    assert!(is_not_found(store.sign_in_link_agent(&late, at(15)).await));
    assert!(is_not_found(
        store.consume_sign_in_link(&late, at(15)).await
    ));
    assert!(is_not_found(store.consume_sign_in_link(&token(), T0).await));
}

/// Second factors, recovery codes, sessions by agent and the publishing grant.
pub async fn agent_security(store: Arc<dyn Store>) {
    let a = agent(&store, "sec").await;
    let b = agent(&store, "sec-other").await;
    assert!(!a.can_publish);
    store.set_agent_can_publish(a.id, true).await.unwrap();
    assert!(store.agent(a.id).await.unwrap().can_publish);
    assert!(!store.agent(b.id).await.unwrap().can_publish);

    // TOTP: enrolment, then steps only forward (a code is never accepted twice).
    assert_eq!(store.totp(a.id).await.unwrap(), None);
    store.begin_totp(a.id, "sealed-1").await.unwrap();
    let t = store.totp(a.id).await.unwrap().unwrap();
    assert_eq!(
        (t.sealed_secret.as_str(), t.confirmed_at, t.last_step),
        ("sealed-1", None, 0)
    );
    assert!(store.accept_totp_step(a.id, 100, at(1)).await.unwrap());
    assert!(
        !store.accept_totp_step(a.id, 100, at(1)).await.unwrap(),
        "a replay"
    );
    assert!(
        !store.accept_totp_step(a.id, 99, at(1)).await.unwrap(),
        "an older step"
    );
    assert!(store.accept_totp_step(a.id, 101, at(2)).await.unwrap());
    let t = store.totp(a.id).await.unwrap().unwrap();
    assert_eq!(
        (t.confirmed_at, t.last_step),
        (Some(at(1)), 101),
        "confirmed at the first"
    );
    assert!(
        !store.accept_totp_step(b.id, 5, at(1)).await.unwrap(),
        "no authenticator"
    );
    // Enrolling again starts over, unconfirmed.
    store.begin_totp(a.id, "sealed-2").await.unwrap();
    let t = store.totp(a.id).await.unwrap().unwrap();
    assert_eq!(
        (t.sealed_secret.as_str(), t.confirmed_at),
        ("sealed-2", None)
    );

    // Recovery codes: each once; replacing them voids the old ones.
    let codes: Vec<String> = (0..3).map(|i| format!("{i:064x}")).collect();
    store.set_recovery_codes(a.id, &codes).await.unwrap();
    assert_eq!(store.recovery_codes_left(a.id).await.unwrap(), 3);
    assert!(
        store
            .use_recovery_code(a.id, &codes[1], at(3))
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_recovery_code(a.id, &codes[1], at(4))
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_recovery_code(b.id, &codes[0], at(4))
            .await
            .unwrap(),
        "not b's"
    );
    assert_eq!(store.recovery_codes_left(a.id).await.unwrap(), 2);
    store.set_recovery_codes(a.id, &codes[2..]).await.unwrap();
    assert!(
        !store
            .use_recovery_code(a.id, &codes[0], at(5))
            .await
            .unwrap()
    );
    assert_eq!(store.recovery_codes_left(a.id).await.unwrap(), 1);
    store.delete_totp(a.id).await.unwrap();
    assert_eq!(store.totp(a.id).await.unwrap(), None);
    assert_eq!(store.recovery_codes_left(a.id).await.unwrap(), 0);

    // Sessions: listed newest first, revoked one by one or all but this one.
    // Hashes that differ in their first 12 digits, as SHA-256 hashes do.
    let distinct = |c: char| TokenHash(c.to_string().repeat(12) + &token().0[12..]);
    let (s1, s2, s3) = (distinct('a'), distinct('b'), distinct('c'));
    for (tok, minute) in [(&s1, 0), (&s2, 1), (&s3, 2)] {
        store
            .create_session(
                tok,
                Session {
                    agent_id: a.id,
                    created_at: at(minute),
                    expires_at: at(600),
                    csrf: "c".into(),
                    verified: false,
                    factor_at: None,
                },
            )
            .await
            .unwrap();
    }
    let list = store.sessions_of(a.id, at(3)).await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].session.created_at, at(2), "newest first");
    assert_eq!(list[0].id, s3.0[..12]);
    store.mark_session_factor(&s1, at(4)).await.unwrap();
    let s = store.session(&s1, at(4)).await.unwrap();
    assert!(s.verified);
    assert_eq!(s.factor_at, Some(at(4)));
    assert!(
        !store.revoke_session(b.id, &s2.0[..12]).await.unwrap(),
        "not b's session"
    );
    assert!(!store.revoke_session(a.id, "zz").await.unwrap());
    assert!(store.revoke_session(a.id, &s2.0[..12]).await.unwrap());
    assert!(is_not_found(store.session(&s2, at(4)).await));
    assert_eq!(
        store.revoke_other_sessions(a.id, Some(&s1)).await.unwrap(),
        1
    );
    assert!(store.session(&s1, at(4)).await.is_ok());
    assert!(is_not_found(store.session(&s3, at(4)).await));
    assert!(store.sessions_of(b.id, at(4)).await.unwrap().is_empty());
}

/// API tokens: made, listed, used (recording the time), revoked only by their owner.
pub async fn api_tokens(store: Arc<dyn Store>) {
    let a = agent(&store, "api").await;
    let b = agent(&store, "api-other").await;
    let (ta, tb) = (token(), token());
    let made = store
        .create_api_token(&ta, a.id, red("ci"), T0)
        .await
        .unwrap();
    assert_eq!((made.agent_id, made.name.as_str()), (a.id, "ci"));
    assert_eq!((made.created_at, made.last_used_at), (T0, None));
    let second = store
        .create_api_token(&tb, a.id, red("laptop"), at(1))
        .await
        .unwrap();
    assert_eq!(
        store
            .api_tokens(a.id)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>(),
        vec![made.id, second.id]
    );
    assert!(store.api_tokens(b.id).await.unwrap().is_empty());

    assert_eq!(
        store.agent_for_api_token(&ta, at(5)).await.unwrap().id,
        a.id
    );
    let listed = store.api_tokens(a.id).await.unwrap();
    assert_eq!(listed[0].last_used_at, Some(at(5)), "use is recorded");
    assert_eq!(listed[1].last_used_at, None);

    assert!(
        is_not_found(store.revoke_api_token(b.id, made.id).await),
        "only the owner revokes"
    );
    store.revoke_api_token(a.id, made.id).await.unwrap();
    assert!(is_not_found(store.agent_for_api_token(&ta, at(6)).await));
    assert!(is_not_found(store.revoke_api_token(a.id, made.id).await));
    assert!(is_not_found(
        store.revoke_api_token(a.id, ApiTokenId(i64::MAX)).await
    ));
    assert_eq!(
        store.agent_for_api_token(&tb, at(7)).await.unwrap().id,
        a.id
    );
    assert!(is_not_found(store.agent_for_api_token(&token(), T0).await));
    assert!(is_conflict(
        store.create_api_token(&tb, b.id, red("again"), T0).await
    ));
}

/// A ticket comes back as it was made, by id and by access link, with its first message.
pub async fn tickets_create_and_read(store: Arc<dyn Store>) {
    let mut d = draft(
        "USDT 转账失败",
        "我的转账一直在处理中。 My transfer is pending.",
        T0,
    );
    d.category = Category::Transaction;
    d.priority = Priority::High;
    d.secret_exposed = true;
    d.lang = Lang::ZhCn;
    d.requester = email("Zhang.San@Example.CN");
    d.fields = TicketFields {
        chain: Some("ethereum".to_owned()),
        tx_hash: Some(format!("0x{}", "ab".repeat(32))),
        address: None,
        app_version: Some(red("3.2.1")),
        device_os: Some(red("Android 14")),
    };
    d.first_response_due = Some(at(120));
    d.resolution_due = Some(at(1440));
    let tok = d.access_token.clone();
    let t = store.create_ticket(d.clone()).await.unwrap();

    assert_eq!(t.requester, d.requester);
    assert_eq!(t.category, Category::Transaction);
    assert_eq!(t.subject, d.subject);
    assert_eq!(t.fields, d.fields);
    assert_eq!(t.status, Status::New);
    assert_eq!(t.priority, Priority::High);
    assert_eq!(t.assignee, None);
    assert!(t.tags.is_empty());
    assert!(t.secret_exposed);
    assert_eq!(t.lang, Lang::ZhCn);
    assert_eq!((t.created_at, t.updated_at), (T0, T0));
    assert_eq!(t.first_response_at, None);
    assert_eq!(t.first_response_due, Some(at(120)));
    assert_eq!(t.resolution_due, Some(at(1440)));
    assert_eq!(
        (t.solved_at, t.closed_at, t.merged_into),
        (None, None, None)
    );
    assert_eq!(t.rating, None);

    assert_eq!(store.ticket(t.id).await.unwrap(), t);
    assert_eq!(store.ticket_by_access_token(&tok).await.unwrap(), t);
    assert!(is_not_found(store.ticket_by_access_token(&token()).await));
    assert!(is_not_found(store.ticket(TicketId(i64::MAX)).await));

    let msgs = store.messages(t.id, true).await.unwrap();
    assert_eq!(msgs.len(), 1, "the body is the first message");
    assert_eq!(msgs[0].body, d.body);
    assert_eq!(msgs[0].author, Author::User);
    assert_eq!(msgs[0].kind, MessageKind::Public);
    assert_eq!(msgs[0].ticket_id, t.id);
    assert_eq!(msgs[0].created_at, T0);

    let other = store.create_ticket(draft("b", "c", T0)).await.unwrap();
    assert!(other.id > t.id, "ticket numbers grow");

    // An access token is unique; the failed create leaves nothing behind.
    let mut again = draft("dup", "dup", T0);
    again.access_token = tok;
    assert!(is_conflict(store.create_ticket(again).await));
}

/// Internal notes come back only when asked for, and never to the user's side.
pub async fn notes_never_leak(store: Arc<dyn Store>) {
    let a = agent(&store, "notes").await;
    let t = ticket(&store, "notes", T0).await;
    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Note,
        "NOTE: user is on a known-bad version",
        at(1),
    )
    .await;
    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Public,
        "Which version do you use?",
        at(2),
    )
    .await;
    say(
        &store,
        t.id,
        Author::System,
        MessageKind::Note,
        "NOTE: SLA timer started",
        at(3),
    )
    .await;
    say(
        &store,
        t.id,
        Author::User,
        MessageKind::Public,
        "3.2.1",
        at(4),
    )
    .await;
    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Note,
        "NOTE: escalate",
        at(5),
    )
    .await;

    let public = store.messages(t.id, false).await.unwrap();
    assert_eq!(public.len(), 3);
    assert!(
        public
            .iter()
            .all(|m| m.kind == MessageKind::Public && !m.body.as_str().starts_with("NOTE")),
        "a note came back with include_notes = false"
    );
    assert_eq!(
        public.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        vec!["Please help.", "Which version do you use?", "3.2.1"]
    );

    let all = store.messages(t.id, true).await.unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(
        all.iter().filter(|m| m.kind == MessageKind::Note).count(),
        3
    );
    assert!(
        all.windows(2).all(|w| w[0].created_at <= w[1].created_at),
        "oldest first"
    );
    assert_eq!(all[1].author, Author::Agent(a.id));
    assert_eq!(all[3].author, Author::System);

    // A note-only ticket still shows the user their own message, nothing more.
    let quiet = ticket(&store, "quiet", T0).await;
    say(
        &store,
        quiet.id,
        Author::Agent(a.id),
        MessageKind::Note,
        "NOTE: spam?",
        at(1),
    )
    .await;
    assert_eq!(store.messages(quiet.id, false).await.unwrap().len(), 1);

    assert!(is_not_found(
        store.messages(TicketId(i64::MAX), false).await
    ));
    assert!(is_not_found(
        store
            .append_message(NewMessage {
                ticket_id: TicketId(i64::MAX),
                author: Author::User,
                kind: MessageKind::Public,
                body: red("hello"),
                secrets_removed: 0,
                now: T0,
            })
            .await
    ));
    let m = store
        .append_message(NewMessage {
            ticket_id: t.id,
            author: Author::User,
            kind: MessageKind::Public,
            body: red("[recovery phrase removed: 12 words]"),
            secrets_removed: 1,
            now: at(9),
        })
        .await
        .unwrap();
    assert_eq!(m.secrets_removed, 1);
    assert_eq!(m.ticket_id, t.id);
    assert_eq!(store.messages(t.id, false).await.unwrap().last(), Some(&m));
}

/// What a reply does to a ticket: an agent's first public reply starts the conversation, a
/// user's reply reopens a ticket that waited on them or was solved.
pub async fn append_message_status_rules(store: Arc<dyn Store>) {
    let a = agent(&store, "rules").await;
    let t = ticket(&store, "rules", T0).await;

    say(
        &store,
        t.id,
        Author::User,
        MessageKind::Public,
        "more detail",
        at(1),
    )
    .await;
    let s = store.ticket(t.id).await.unwrap();
    assert_eq!((s.status, s.first_response_at), (Status::New, None));
    assert_eq!(s.updated_at, at(1));

    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Note,
        "looking",
        at(2),
    )
    .await;
    let s = store.ticket(t.id).await.unwrap();
    assert_eq!(
        (s.status, s.first_response_at),
        (Status::New, None),
        "a note is not a response"
    );

    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Public,
        "hello",
        at(3),
    )
    .await;
    let s = store.ticket(t.id).await.unwrap();
    assert_eq!((s.status, s.first_response_at), (Status::Open, Some(at(3))));

    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Public,
        "again",
        at(4),
    )
    .await;
    assert_eq!(
        store.ticket(t.id).await.unwrap().first_response_at,
        Some(at(3)),
        "the first response time is set once"
    );

    set_status(&store, t.id, Status::WaitingOnUser, at(5)).await;
    say(
        &store,
        t.id,
        Author::User,
        MessageKind::Public,
        "here",
        at(6),
    )
    .await;
    assert_eq!(store.ticket(t.id).await.unwrap().status, Status::Open);

    let solved = set_status(&store, t.id, Status::Solved, at(7)).await;
    assert_eq!(solved.solved_at, Some(at(7)));
    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Public,
        "anything else?",
        at(8),
    )
    .await;
    assert_eq!(
        store.ticket(t.id).await.unwrap().status,
        Status::Solved,
        "an agent's reply leaves a solved ticket solved"
    );
    say(
        &store,
        t.id,
        Author::User,
        MessageKind::Public,
        "it happened again",
        at(9),
    )
    .await;
    let s = store.ticket(t.id).await.unwrap();
    assert_eq!((s.status, s.solved_at), (Status::Open, None));
    assert_eq!(s.updated_at, at(9));

    say(
        &store,
        t.id,
        Author::System,
        MessageKind::Note,
        "system",
        at(10),
    )
    .await;
    assert_eq!(store.ticket(t.id).await.unwrap().status, Status::Open);
}

/// Agents change status, priority, assignee, tags and category (the desk, a chat's subject); the
/// times follow the status.
pub async fn update_ticket(store: Arc<dyn Store>) {
    let a = agent(&store, "upd").await;
    let t = ticket(&store, "upd", T0).await;
    let u = store
        .update_ticket(
            t.id,
            TicketUpdate {
                status: Some(Status::Open),
                priority: Some(Priority::Urgent),
                assignee: Some(Some(a.id)),
                tags: Some(vec![red("usdt"), red("交易所")]),
                category: Some(Category::Security),
                subject: Some(red("在线客服：USDT 提现没到账")),
                sla: None,
            },
            at(1),
        )
        .await
        .unwrap();
    assert_eq!(u.status, Status::Open);
    assert_eq!(u.priority, Priority::Urgent);
    assert_eq!(u.assignee, Some(a.id));
    assert_eq!(u.tags, vec!["usdt".to_owned(), "交易所".to_owned()]);
    assert_eq!(u.category, Category::Security);
    assert_eq!(u.subject.as_str(), "在线客服：USDT 提现没到账");
    assert_eq!(u.updated_at, at(1));
    assert_eq!(store.ticket(t.id).await.unwrap(), u);

    let same = store
        .update_ticket(t.id, TicketUpdate::default(), at(2))
        .await
        .unwrap();
    assert_eq!(
        (
            same.status,
            same.priority,
            same.assignee,
            &same.tags,
            same.category,
            &same.subject
        ),
        (
            u.status, u.priority, u.assignee, &u.tags, u.category, &u.subject
        ),
        "None leaves values"
    );

    let unassigned = store
        .update_ticket(
            t.id,
            TicketUpdate {
                assignee: Some(None),
                tags: Some(Vec::new()),
                ..TicketUpdate::default()
            },
            at(3),
        )
        .await
        .unwrap();
    assert_eq!(unassigned.assignee, None);
    assert!(unassigned.tags.is_empty());

    let solved = set_status(&store, t.id, Status::Solved, at(4)).await;
    assert_eq!((solved.solved_at, solved.closed_at), (Some(at(4)), None));
    let still = set_status(&store, t.id, Status::Solved, at(5)).await;
    assert_eq!(still.solved_at, Some(at(4)), "solving again keeps the time");
    let closed = set_status(&store, t.id, Status::Closed, at(6)).await;
    assert_eq!(
        (closed.solved_at, closed.closed_at),
        (Some(at(4)), Some(at(6)))
    );
    let reopened = set_status(&store, t.id, Status::Open, at(7)).await;
    assert_eq!((reopened.solved_at, reopened.closed_at), (None, None));

    assert!(is_not_found(
        store
            .update_ticket(TicketId(i64::MAX), TicketUpdate::default(), T0)
            .await
    ));
    assert!(
        is_not_found(
            store
                .update_ticket(
                    t.id,
                    TicketUpdate {
                        assignee: Some(Some(AgentId(i64::MAX))),
                        ..TicketUpdate::default()
                    },
                    T0,
                )
                .await
        ),
        "assigning to a missing agent"
    );
}

/// Tickets for the views test: (id, what it is).
async fn view_fixture(store: &Arc<dyn Store>) -> (Agent, Agent, Vec<TicketId>) {
    let a1 = agent(store, "v1").await;
    let a2 = agent(store, "v2").await;
    let mk = |subject: &'static str, minute: i64, category, priority, secret| {
        let mut d = draft(subject, "body", at(minute));
        d.category = category;
        d.priority = priority;
        d.secret_exposed = secret;
        d
    };
    let mut ids = Vec::new();
    let specs = [
        // t1: new, unassigned
        (
            mk("t1", 1, Category::Other, Priority::Normal, false),
            None,
            None,
        ),
        // t2: open, a1, urgent, security, secret exposed
        (
            mk("t2", 2, Category::Security, Priority::Urgent, true),
            Some(Status::Open),
            Some(a1.id),
        ),
        // t3: waiting on user, a2, high
        (
            mk("t3", 3, Category::Transaction, Priority::High, false),
            Some(Status::WaitingOnUser),
            Some(a2.id),
        ),
        // t4: solved, a1, urgent, secret exposed
        (
            mk("t4", 4, Category::Balance, Priority::Urgent, true),
            Some(Status::Solved),
            Some(a1.id),
        ),
        // t5: closed, unassigned, urgent
        (
            mk("t5", 5, Category::Other, Priority::Urgent, false),
            Some(Status::Closed),
            None,
        ),
        // t6: new, unassigned, low, secret exposed
        (
            mk("t6", 6, Category::Restore, Priority::Low, true),
            None,
            None,
        ),
    ];
    for (d, status, assignee) in specs {
        let now = d.now;
        let t = store.create_ticket(d).await.unwrap();
        if status.is_some() || assignee.is_some() {
            store
                .update_ticket(
                    t.id,
                    TicketUpdate {
                        status,
                        assignee: assignee.map(Some),
                        ..TicketUpdate::default()
                    },
                    now,
                )
                .await
                .unwrap();
        }
        ids.push(t.id);
    }
    (a1, a2, ids)
}

/// Each inbox view and filter returns exactly the tickets it should, newest change first.
pub async fn views_return_the_right_tickets(store: Arc<dyn Store>) {
    let (a1, a2, made) = view_fixture(&store).await;
    let [t1, t2, t3, t4, t5, t6] = made[..] else {
        panic!("six tickets")
    };
    let now = at(10);
    let q = |view| TicketQuery::view(view, now);

    assert_eq!(
        ids(&store, &q(View::All), &made).await,
        set(&[t1, t2, t3, t4, t6])
    );
    assert_eq!(
        ids(&store, &q(View::Unassigned), &made).await,
        set(&[t1, t6])
    );
    assert_eq!(ids(&store, &q(View::Mine(a1.id)), &made).await, set(&[t2]));
    assert_eq!(ids(&store, &q(View::Mine(a2.id)), &made).await, set(&[t3]));
    assert_eq!(ids(&store, &q(View::Urgent), &made).await, set(&[t2]));
    assert_eq!(
        ids(&store, &q(View::SecretExposed), &made).await,
        set(&[t2, t4, t6])
    );
    assert_eq!(
        ids(&store, &q(View::SlaAtRisk), &made).await,
        set(&[]),
        "no timers"
    );

    let with = |view, f: &dyn Fn(&mut TicketQuery)| {
        let mut q = TicketQuery::view(view, now);
        f(&mut q);
        q
    };
    assert_eq!(
        ids(
            &store,
            &with(View::All, &|q| q.status = Some(Status::Closed)),
            &made
        )
        .await,
        set(&[t5]),
        "a status filter replaces the view's status rule"
    );
    assert_eq!(
        ids(
            &store,
            &with(View::Mine(a1.id), &|q| q.status = Some(Status::Solved)),
            &made
        )
        .await,
        set(&[t4])
    );
    assert_eq!(
        ids(
            &store,
            &with(View::All, &|q| q.category = Some(Category::Security)),
            &made
        )
        .await,
        set(&[t2])
    );
    assert_eq!(
        ids(
            &store,
            &with(View::All, &|q| q.priority = Some(Priority::Urgent)),
            &made
        )
        .await,
        set(&[t2, t4])
    );
    assert_eq!(
        ids(
            &store,
            &with(View::Unassigned, &|q| q.priority = Some(Priority::Low)),
            &made
        )
        .await,
        set(&[t6])
    );

    // Order and paging, on tickets of one agent so that other scenarios' tickets stay out.
    let mine = with(View::Mine(a1.id), &|q| q.status = None);
    let page = store.tickets_for_view(&mine).await.unwrap();
    assert_eq!(page.total, 1);
    let all = store
        .tickets_for_view(&TicketQuery {
            limit: 1000,
            ..q(View::All)
        })
        .await
        .unwrap();
    assert!(
        all.tickets
            .windows(2)
            .all(|w| (w[0].updated_at, w[0].id) > (w[1].updated_at, w[1].id)),
        "newest change first, then highest id"
    );
    let total = all.total;
    assert_eq!(total, u64::try_from(all.tickets.len()).unwrap());
    let first = store
        .tickets_for_view(&TicketQuery {
            limit: 2,
            offset: 0,
            ..q(View::All)
        })
        .await
        .unwrap();
    assert_eq!(first.total, total, "total counts every match, not the page");
    assert_eq!(first.tickets.len(), 2);
    assert_eq!(first.tickets[..], all.tickets[..2]);
    let second = store
        .tickets_for_view(&TicketQuery {
            limit: 2,
            offset: 2,
            ..q(View::All)
        })
        .await
        .unwrap();
    assert_eq!(second.tickets[..], all.tickets[2..4]);
    let past = store
        .tickets_for_view(&TicketQuery {
            limit: 2,
            offset: u32::try_from(total).unwrap(),
            ..q(View::All)
        })
        .await
        .unwrap();
    assert!(past.tickets.is_empty());
    assert_eq!(past.total, total);
}

/// The sidebar counts agree with the views (on a fresh store).
pub async fn view_counts_match_views(store: Arc<dyn Store>) {
    let (a1, _a2, _ids) = view_fixture(&store).await;
    let now = at(10);
    let c = store.view_counts(a1.id, now).await.unwrap();
    assert_eq!(c.all, 5);
    assert_eq!(c.unassigned, 2);
    assert_eq!(c.mine, 1);
    assert_eq!(c.urgent, 1);
    assert_eq!(c.secret_exposed, 3);
    assert_eq!(c.sla_at_risk, 0);
    assert_eq!(c.sla_breached, 0);
    for (view, n) in [
        (View::All, c.all),
        (View::Unassigned, c.unassigned),
        (View::Mine(a1.id), c.mine),
        (View::Urgent, c.urgent),
        (View::SecretExposed, c.secret_exposed),
        (View::SlaAtRisk, c.sla_at_risk),
    ] {
        let page = store
            .tickets_for_view(&TicketQuery::view(view, now))
            .await
            .unwrap();
        assert_eq!(page.total, n, "count of {view:?}");
    }
}

/// Search: every word must occur in the subject, a message (public or note) or a field, as a
/// substring, ignoring ASCII case. Chinese needs no tokenizer.
pub async fn search_finds_exactly_what_says_so(store: Arc<dyn Store>) {
    let a = agent(&store, "search").await;
    let tag = unique("q");
    let mk = |subject: String, body: &str| draft(&subject, body, T0);

    let s1 = store
        .create_ticket(mk(
            format!("{tag} 转账失败"),
            "我的USDT转账失败了，一直显示处理中",
        ))
        .await
        .unwrap()
        .id;
    let s2 = store
        .create_ticket(mk(
            format!("{tag} Transfer stuck"),
            "My ETH transfer has been Pending for 3 hours",
        ))
        .await
        .unwrap()
        .id;
    let s3 = store
        .create_ticket(mk(
            format!("{tag} Cannot sign in"),
            "The app crashes on launch",
        ))
        .await
        .unwrap()
        .id;
    say(
        &store,
        s3,
        Author::Agent(a.id),
        MessageKind::Note,
        "user says a withdrawal is still PENDING at the exchange",
        at(1),
    )
    .await;
    let s4 = store
        .create_ticket(mk(format!("{tag} 余额不对"), "转账成功但是余额没变"))
        .await
        .unwrap()
        .id;
    let mut d5 = mk(format!("{tag} Where is my money"), "Sent it yesterday");
    d5.fields.chain = Some("ethereum".to_owned());
    d5.fields.tx_hash = Some(format!("0x{}", "c0ffee".repeat(10)) + "abcd");
    d5.fields.device_os = Some(red("iOS 18"));
    d5.requester = email("zhang.wei@mail.example.cn");
    let s5 = store.create_ticket(d5).await.unwrap().id;
    let s6 = store
        .create_ticket(mk(
            format!("{tag} Fees"),
            "the fee was 100% of the amount, see my_wallet",
        ))
        .await
        .unwrap()
        .id;
    say(
        &store,
        s6,
        Author::User,
        MessageKind::Public,
        "我再试一次，还是转账失败",
        at(2),
    )
    .await;
    let mine = [s1, s2, s3, s4, s5, s6];

    let search = |words: &str| {
        let mut q = TicketQuery::view(View::All, at(10));
        q.search = Some(format!("{tag} {words}"));
        q
    };
    let check = |words: &'static str, want: &[TicketId]| {
        let q = search(words);
        let want = set(want);
        let store = Arc::clone(&store);
        async move {
            let got = ids(&store, &q, &mine).await;
            assert_eq!(got, want, "search {words:?}");
        }
    };
    check("转账失败", &[s1, s6]).await;
    check("转账", &[s1, s4, s6]).await;
    check("失败", &[s1, s6]).await;
    check("pending", &[s2, s3]).await;
    check("PENDING", &[s2, s3]).await;
    check("Transfer pending", &[s2]).await;
    check("pending transfer", &[s2]).await;
    check("pending 转账失败", &[]).await;
    check("ethereum", &[s5]).await;
    check("C0FFEE", &[s5]).await;
    check("ios", &[s5]).await;
    check("zhang.wei@mail", &[s5]).await;
    check("100%", &[s6]).await;
    check("%", &[s6]).await;
    check("my_wallet", &[s6]).await;
    check("_", &[s6]).await;
    check("withdrawal", &[s3]).await;
    check("nothing-says-this", &[]).await;
    check("   ", &[s1, s2, s3, s4, s5, s6]).await;

    // Search combines with views and filters.
    set_status(&store, s1, Status::Closed, at(3)).await;
    check("转账失败", &[s6]).await;
    let mut q = search("转账失败");
    q.status = Some(Status::Closed);
    assert_eq!(ids(&store, &q, &mine).await, set(&[s1]));
    let mut q = search("pending");
    q.view = View::Unassigned;
    let page = store.tickets_for_view(&q).await.unwrap();
    assert_eq!(page.total, 2, "total counts search matches");
}

fn timed(
    subject: &str,
    created: i64,
    first_response: Option<i64>,
    resolution: Option<i64>,
) -> NewTicket {
    let mut d = draft(subject, "sla", at(created));
    d.first_response_due = first_response.map(at);
    d.resolution_due = resolution.map(at);
    d
}

/// A new priority counts the running timers again from the ticket's creation; an answered
/// timer keeps its due time, and without a policy nothing moves.
pub async fn priority_change_recounts_dues(store: Arc<dyn Store>) {
    let a = agent(&store, "prio").await;
    let policy = SlaPolicy::default();
    let t = store
        .create_ticket(timed("prio", 0, Some(480), Some(4320)))
        .await
        .unwrap();
    let change = |priority, sla: Option<SlaPolicy>| TicketUpdate {
        priority: Some(priority),
        sla,
        ..TicketUpdate::default()
    };
    let u = store
        .update_ticket(t.id, change(Priority::Urgent, Some(policy.clone())), at(5))
        .await
        .unwrap();
    assert_eq!(
        (u.first_response_due, u.resolution_due),
        (Some(at(30)), Some(at(480)))
    );
    // Without a policy the due times stay.
    let u = store
        .update_ticket(t.id, change(Priority::Low, None), at(6))
        .await
        .unwrap();
    assert_eq!(u.priority, Priority::Low);
    assert_eq!(
        (u.first_response_due, u.resolution_due),
        (Some(at(30)), Some(at(480)))
    );
    // Answered: the first-response due time is history; resolution counts again.
    say(
        &store,
        t.id,
        Author::Agent(a.id),
        MessageKind::Public,
        "hi",
        at(10),
    )
    .await;
    let u = store
        .update_ticket(t.id, change(Priority::High, Some(policy.clone())), at(11))
        .await
        .unwrap();
    assert_eq!(
        (u.first_response_due, u.resolution_due),
        (Some(at(30)), Some(at(24 * 60)))
    );
    // The same priority again changes nothing.
    let same = store
        .update_ticket(
            t.id,
            change(
                Priority::High,
                Some(SlaPolicy {
                    targets: Vec::new(),
                    business_hours: None,
                }),
            ),
            at(12),
        )
        .await
        .unwrap();
    assert_eq!(
        (same.first_response_due, same.resolution_due),
        (u.first_response_due, u.resolution_due)
    );
}

/// The SLA-at-risk view and the breach count follow `SlaPolicy::state` exactly (fresh store).
pub async fn sla_at_risk_and_breached(store: Arc<dyn Store>) {
    let a = agent(&store, "sla").await;
    let mut mine = Vec::new();
    let mut make = async |d: NewTicket| {
        let t = store.create_ticket(d).await.unwrap();
        mine.push(t.id);
        t.id
    };
    // Times are minutes after T0; "now" is minute 50 unless said otherwise.
    let ok = make(timed("ok", 0, Some(100), Some(1000))).await;
    let near = make(timed("near", 0, Some(60), Some(1000))).await; // 10 of 60 left
    let edge = make(timed("edge", 2, Some(62), Some(1000))).await; // 12 of 60 left: a fifth
    let not_yet = make(timed("not-yet", 0, Some(63), Some(1000))).await; // 13 of 63 left
    let overdue = make(timed("overdue", 0, Some(30), Some(1000))).await;
    let met = make(timed("met", 0, Some(30), Some(1000))).await;
    say(
        &store,
        met,
        Author::Agent(a.id),
        MessageKind::Public,
        "hi",
        at(20),
    )
    .await;
    let late = make(timed("late", 0, Some(30), Some(1000))).await;
    say(
        &store,
        late,
        Author::Agent(a.id),
        MessageKind::Public,
        "sorry",
        at(40),
    )
    .await;
    let untimed = make(timed("untimed", 0, None, None)).await;
    let solved_unanswered = make(timed("solved", 0, Some(30), Some(1000))).await;
    set_status(&store, solved_unanswered, Status::Solved, at(35)).await;
    let resolution_near = make(timed("res-near", 0, Some(30), Some(60))).await; // 10 of 60 left
    say(
        &store,
        resolution_near,
        Author::Agent(a.id),
        MessageKind::Public,
        "on it",
        at(10),
    )
    .await;
    let solved_late = make(timed("solved-late", 0, Some(30), Some(40))).await;
    say(
        &store,
        solved_late,
        Author::Agent(a.id),
        MessageKind::Public,
        "hi",
        at(5),
    )
    .await;
    set_status(&store, solved_late, Status::Solved, at(45)).await;
    let waiting = make(timed("waiting", 0, Some(55), Some(1000))).await;
    set_status(&store, waiting, Status::WaitingOnUser, at(1)).await;

    let now = at(50);
    let mut q = TicketQuery::view(View::SlaAtRisk, now);
    q.limit = 1000;
    let at_risk = ids(&store, &q, &mine).await;
    assert_eq!(
        at_risk,
        set(&[near, edge, overdue, waiting, resolution_near]),
        "at risk at minute 50"
    );
    for id in [
        ok,
        not_yet,
        met,
        late,
        untimed,
        solved_unanswered,
        solved_late,
    ] {
        assert!(!at_risk.contains(&id));
    }

    // The same rule as the domain's, ticket by ticket, at several moments: a running timer (no
    // response or resolution yet) near breach or breached puts an active ticket at risk; a
    // timer met late counts as breached but is no longer at risk.
    let policy = SlaPolicy::default();
    for minute in [0, 25, 31, 48, 50, 52, 59, 61, 200, 999, 1001] {
        let now = at(minute);
        let mut q = TicketQuery::view(View::SlaAtRisk, now);
        q.limit = 1000;
        let got = ids(&store, &q, &mine).await;
        let mut want = BTreeSet::new();
        let mut breached = 0;
        for &id in &mine {
            let t = store.ticket(id).await.unwrap();
            let states = [
                t.first_response_due
                    .map(|due| policy.state(t.created_at, due, t.first_response_at, now)),
                t.resolution_due
                    .map(|due| policy.state(t.created_at, due, t.solved_at, now)),
            ];
            let running = [
                t.first_response_at.is_none() && t.first_response_due.is_some(),
                t.solved_at.is_none() && t.resolution_due.is_some(),
            ];
            if t.status.is_active()
                && states
                    .iter()
                    .zip(running)
                    .any(|(s, r)| r && matches!(s, Some(SlaState::NearBreach | SlaState::Breached)))
            {
                want.insert(id);
            }
            if states.contains(&Some(SlaState::Breached)) {
                breached += 1;
            }
        }
        assert_eq!(got, want, "at risk at minute {minute}");
        let counts = store.view_counts(a.id, now).await.unwrap();
        assert_eq!(
            counts.sla_at_risk,
            u64::try_from(want.len()).unwrap(),
            "count at minute {minute}"
        );
        assert_eq!(counts.sla_breached, breached, "breached at minute {minute}");
    }

    // Explicitly, at minute 50: overdue (no response yet), late (responded late), the solved one
    // that was never answered, and the one solved after its resolution was due.
    let c = store.view_counts(a.id, now).await.unwrap();
    assert_eq!(c.sla_breached, 4);
}

/// Merging moves the conversation, closes the duplicate and notes it on both sides.
pub async fn merge_tickets(store: Arc<dyn Store>) {
    let a = agent(&store, "merge").await;
    let from = store
        .create_ticket(draft("dup", "first from", at(1)))
        .await
        .unwrap();
    let into = store
        .create_ticket(draft("main", "first into", at(2)))
        .await
        .unwrap();
    say(
        &store,
        from.id,
        Author::User,
        MessageKind::Public,
        "second from",
        at(3),
    )
    .await;
    say(
        &store,
        from.id,
        Author::Agent(a.id),
        MessageKind::Note,
        "note from",
        at(4),
    )
    .await;
    say(
        &store,
        into.id,
        Author::User,
        MessageKind::Public,
        "second into",
        at(5),
    )
    .await;
    let shot = store
        .add_attachment(NewAttachment {
            ticket_id: from.id,
            message_id: None,
            filename: "screen.png".to_owned(),
            content_type: "image/png".to_owned(),
            size: 10,
            sha256: "00".repeat(32),
            now: at(3),
        })
        .await
        .unwrap();

    let merged = store.merge_tickets(from.id, into.id, at(10)).await.unwrap();
    assert_eq!(merged.id, into.id, "returns the ticket merged into");
    assert_eq!(merged.updated_at, at(10));
    assert_eq!(merged.merged_into, None);

    let msgs = store.messages(into.id, true).await.unwrap();
    let bodies: Vec<&str> = msgs.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        &bodies[..5],
        &[
            "first from",
            "first into",
            "second from",
            "note from",
            "second into"
        ],
        "time order"
    );
    assert_eq!(msgs.len(), 6);
    assert_eq!(
        (msgs[5].author, msgs[5].kind),
        (Author::System, MessageKind::Note)
    );
    assert!(msgs[5].body.as_str().contains(&format!("#{}", from.id)));
    assert!(msgs.iter().all(|m| m.ticket_id == into.id));
    assert_eq!(store.messages(into.id, false).await.unwrap().len(), 4);

    let closed = store.ticket(from.id).await.unwrap();
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.merged_into, Some(into.id));
    assert_eq!(closed.closed_at, Some(at(10)));
    let left = store.messages(from.id, true).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].author, left[0].kind),
        (Author::System, MessageKind::Note)
    );
    assert!(left[0].body.as_str().contains(&format!("#{}", into.id)));
    assert!(store.messages(from.id, false).await.unwrap().is_empty());

    assert_eq!(
        store.attachments(into.id).await.unwrap(),
        vec![store.attachment(shot.id).await.unwrap()]
    );
    assert_eq!(store.attachment(shot.id).await.unwrap().ticket_id, into.id);
    assert!(store.attachments(from.id).await.unwrap().is_empty());

    let page = store
        .tickets_for_view(&TicketQuery {
            limit: 1000,
            ..TicketQuery::view(View::All, at(11))
        })
        .await
        .unwrap();
    assert!(
        page.tickets.iter().all(|t| t.id != from.id),
        "a merged ticket is closed"
    );

    assert!(is_conflict(
        store.merge_tickets(from.id, into.id, at(12)).await
    ));
    assert!(is_conflict(
        store.merge_tickets(into.id, into.id, at(12)).await
    ));
    assert!(is_conflict(
        store.merge_tickets(into.id, from.id, at(12)).await
    ));
    assert!(is_not_found(
        store
            .merge_tickets(TicketId(i64::MAX), into.id, at(12))
            .await
    ));
    assert!(is_not_found(
        store
            .merge_tickets(into.id, TicketId(i64::MAX), at(12))
            .await
    ));
    assert_eq!(
        store.messages(into.id, true).await.unwrap().len(),
        6,
        "failed merges change nothing"
    );
}

/// Solved tickets are closed after the waiting time; nothing else is.
pub async fn close_solved(store: Arc<dyn Store>) {
    let day = 24 * 60;
    let old = ticket(&store, "old", T0).await;
    let recent = ticket(&store, "recent", T0).await;
    let open = ticket(&store, "open", T0).await;
    set_status(&store, old.id, Status::Solved, at(day)).await;
    set_status(&store, recent.id, Status::Solved, at(5 * day)).await;
    set_status(&store, open.id, Status::Open, at(day)).await;

    let n = store.close_solved(at(3 * day), at(6 * day)).await.unwrap();
    assert!(n >= 1);
    let o = store.ticket(old.id).await.unwrap();
    assert_eq!(
        (o.status, o.closed_at, o.solved_at),
        (Status::Closed, Some(at(6 * day)), Some(at(day)))
    );
    assert_eq!(
        store.ticket(recent.id).await.unwrap().status,
        Status::Solved
    );
    assert_eq!(store.ticket(open.id).await.unwrap().status, Status::Open);
    assert_eq!(
        store.close_solved(at(3 * day), at(6 * day)).await.unwrap(),
        0,
        "idempotent"
    );
    assert!(store.close_solved(at(6 * day), at(7 * day)).await.unwrap() >= 1);
    assert_eq!(
        store.ticket(recent.id).await.unwrap().status,
        Status::Closed
    );
}

/// A user rates a ticket 1–5, with an optional comment; rating again replaces it.
pub async fn rating(store: Arc<dyn Store>) {
    let t = ticket(&store, "rate", T0).await;
    let r = store
        .rate_ticket(t.id, 5, Some(red("非常感谢！")), at(1))
        .await
        .unwrap();
    let rating = r.rating.unwrap();
    assert_eq!((rating.score, rating.at), (5, at(1)));
    assert_eq!(rating.comment.unwrap().as_str(), "非常感谢！");
    let again = store.rate_ticket(t.id, 2, None, at(2)).await.unwrap();
    assert_eq!(again.rating.clone().unwrap().score, 2);
    assert_eq!(again.rating.clone().unwrap().comment, None);
    assert_eq!(store.ticket(t.id).await.unwrap(), again);
    assert!(store.rate_ticket(t.id, 0, None, at(3)).await.is_err());
    assert!(store.rate_ticket(t.id, 6, None, at(3)).await.is_err());
    assert_eq!(store.ticket(t.id).await.unwrap().rating, again.rating);
    assert!(is_not_found(
        store.rate_ticket(TicketId(i64::MAX), 3, None, at(3)).await
    ));
}

/// A secret found in a later user message flags the ticket and makes it urgent.
pub async fn mark_secret_exposed(store: Arc<dyn Store>) {
    let t = ticket(&store, "later secret", T0).await;
    assert!(!t.secret_exposed);
    let m = store
        .mark_secret_exposed(t.id, &SlaPolicy::default(), at(1))
        .await
        .unwrap();
    assert!(m.secret_exposed);
    assert_eq!(m.priority, Priority::Urgent);
    assert_eq!(
        (m.first_response_due, m.resolution_due),
        SlaPolicy::default().dues(t.created_at, Priority::Urgent),
        "urgent now: the timers count the urgent targets"
    );
    assert_eq!(m.updated_at, at(1));
    assert_eq!(store.ticket(t.id).await.unwrap(), m);
    let page = store
        .tickets_for_view(&TicketQuery::view(View::SecretExposed, at(2)))
        .await
        .unwrap();
    assert!(page.tickets.iter().any(|x| x.id == t.id));
    assert!(is_not_found(
        store
            .mark_secret_exposed(TicketId(i64::MAX), &SlaPolicy::default(), at(3))
            .await
    ));
}

/// Screenshots are recorded per ticket.
pub async fn attachments(store: Arc<dyn Store>) {
    let t = ticket(&store, "shots", T0).await;
    let m = store.messages(t.id, false).await.unwrap()[0].id;
    let new = |message_id, name: &str| NewAttachment {
        ticket_id: t.id,
        message_id,
        filename: name.to_owned(),
        content_type: "image/webp".to_owned(),
        size: 2048,
        sha256: "ab".repeat(32),
        now: at(1),
    };
    let first = store
        .add_attachment(new(Some(m), "截图.webp"))
        .await
        .unwrap();
    let second = store.add_attachment(new(None, "b.webp")).await.unwrap();
    assert_eq!(first.message_id, Some(m));
    assert_eq!(
        (first.filename.as_str(), first.size, first.created_at),
        ("截图.webp", 2048, at(1))
    );
    assert_eq!(
        store.attachments(t.id).await.unwrap(),
        vec![first.clone(), second]
    );
    assert_eq!(store.attachment(first.id).await.unwrap(), first);
    assert!(is_not_found(
        store.attachment(domain::AttachmentId(i64::MAX)).await
    ));
    let mut orphan = new(None, "x.png");
    orphan.ticket_id = TicketId(i64::MAX);
    assert!(
        is_not_found(store.add_attachment(orphan).await),
        "no such ticket"
    );
}

/// Canned replies are saved, edited, listed and deleted.
pub async fn canned_replies(store: Arc<dyn Store>) {
    let title = unique("greeting");
    let a = store
        .save_canned_reply(
            None,
            red(&title),
            red("Hello {{requester_email}}"),
            Lang::En,
        )
        .await
        .unwrap();
    let b = store
        .save_canned_reply(
            None,
            red(&unique("问候")),
            red("您好，工单 {{ticket_id}}"),
            Lang::ZhCn,
        )
        .await
        .unwrap();
    assert_eq!((a.title.as_str(), a.lang), (title.as_str(), Lang::En));
    let list = store.canned_replies().await.unwrap();
    assert!(list.contains(&a) && list.contains(&b));

    let edited = store
        .save_canned_reply(Some(a.id), red("Hi"), red("Hi {{agent_name}}"), Lang::ZhCn)
        .await
        .unwrap();
    assert_eq!(edited.id, a.id);
    assert_eq!(
        (edited.title.as_str(), edited.body.as_str(), edited.lang),
        ("Hi", "Hi {{agent_name}}", Lang::ZhCn)
    );
    assert!(store.canned_replies().await.unwrap().contains(&edited));
    assert!(is_not_found(
        store
            .save_canned_reply(Some(CannedReplyId(i64::MAX)), red("x"), red("y"), Lang::En)
            .await
    ));

    store.delete_canned_reply(a.id).await.unwrap();
    let list = store.canned_replies().await.unwrap();
    assert!(!list.iter().any(|r| r.id == a.id));
    assert!(list.contains(&b));
    assert!(is_not_found(store.delete_canned_reply(a.id).await));
}

/// Settings by key; the SLA policy defaults until one is saved.
pub async fn settings_and_sla_policy(store: Arc<dyn Store>) {
    let key = unique("brand.");
    assert_eq!(store.setting(&key).await.unwrap(), None);
    store
        .set_setting(&key, &red(r#"{"name":"钱包帮助"}"#))
        .await
        .unwrap();
    assert_eq!(
        store.setting(&key).await.unwrap().as_deref(),
        Some(r#"{"name":"钱包帮助"}"#)
    );
    store.set_setting(&key, &red("7")).await.unwrap();
    assert_eq!(store.setting(&key).await.unwrap().as_deref(), Some("7"));

    // Fresh store: the default policy.
    assert_eq!(store.sla_policy().await.unwrap(), SlaPolicy::default());
    let mut p = SlaPolicy::default();
    p.targets[0].first_response_minutes = 15;
    p.business_hours = Some(BusinessHours {
        time_zone: Some("Asia/Shanghai".to_owned()),
        utc_offset_minutes: 480,
        weekdays: 0b0001_1111,
        start_minute: 9 * 60,
        end_minute: 18 * 60,
    });
    store.set_sla_policy(&p).await.unwrap();
    assert_eq!(store.sla_policy().await.unwrap(), p);
    store.set_sla_policy(&SlaPolicy::default()).await.unwrap();
    assert_eq!(store.sla_policy().await.unwrap(), SlaPolicy::default());
}

/// The audit log, newest first, paged.
pub async fn audit_log(store: Arc<dyn Store>) {
    let a = agent(&store, "audit").await;
    let target = unique("ticket:");
    store
        .audit(Some(a.id), "agent.create", None, &red("{}"), at(1))
        .await
        .unwrap();
    store
        .audit(
            None,
            "sign_in.failed",
            None,
            &red(r#"{"email":"x@example.com"}"#),
            at(2),
        )
        .await
        .unwrap();
    store
        .audit(
            Some(a.id),
            "ticket.update",
            Some(&target),
            &red(r#"{"status":"open"}"#),
            at(3),
        )
        .await
        .unwrap();
    let log = store.audit_log(3, 0).await.unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["ticket.update", "sign_in.failed", "agent.create"],
        "newest first"
    );
    assert_eq!(log[0].actor, Some(a.id));
    assert_eq!(log[0].target.as_deref(), Some(target.as_str()));
    assert_eq!(log[0].detail, r#"{"status":"open"}"#);
    assert_eq!(log[0].at, at(3));
    assert_eq!(log[1].actor, None);
    assert!(log[0].id > log[1].id);
    let page = store.audit_log(1, 1).await.unwrap();
    assert_eq!(page, vec![log[1].clone()]);
}

/// Mail waits in the outbox, oldest first, until marked sent.
pub async fn outbox(store: Arc<dyn Store>) {
    let t = ticket(&store, "mail", T0).await;
    let kind = unique("kind-");
    let mut made = Vec::new();
    for (i, to) in ["a@example.com", "b@example.com", "c@example.com"]
        .iter()
        .enumerate()
    {
        let m = store
            .enqueue_mail(NewMail {
                to: email(to),
                subject: red(&format!("工单 #{} 已收到", t.id)),
                body_text: red("body"),
                link_seed: None,
                kind: kind.clone(),
                ticket_id: if i == 1 { None } else { Some(t.id) },
                lang: domain::Lang::En,
                now: at(i64::try_from(i).unwrap()),
            })
            .await
            .unwrap();
        assert_eq!((m.sent_at, m.attempts), (None, 0));
        made.push(m);
    }
    assert_eq!(made[0].ticket_id, Some(t.id));
    assert_eq!(made[1].ticket_id, None);
    let pending = |limit| {
        let store = Arc::clone(&store);
        let kind = kind.clone();
        async move {
            store
                .pending_mail(limit)
                .await
                .unwrap()
                .into_iter()
                .filter(|m| m.kind == kind)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(pending(1000).await, made);
    store.mark_mail_sent(made[1].id, at(5)).await.unwrap();
    let left = pending(1000).await;
    assert_eq!(left, vec![made[0].clone(), made[2].clone()]);
    store.mark_mail_sent(made[0].id, at(6)).await.unwrap();
    store.mark_mail_sent(made[2].id, at(6)).await.unwrap();
    assert!(pending(1000).await.is_empty());
    assert!(is_not_found(store.mark_mail_sent(i64::MAX, at(7)).await));

    // Fresh store: the limit is honoured.
    let extra = store
        .enqueue_mail(NewMail {
            to: email("d@example.com"),
            subject: red("s"),
            body_text: red("b"),
            link_seed: None,
            kind: kind.clone(),
            ticket_id: None,
            lang: domain::Lang::En,
            now: at(8),
        })
        .await
        .unwrap();
    store
        .enqueue_mail(NewMail {
            to: email("e@example.com"),
            subject: red("s"),
            body_text: red("b"),
            link_seed: None,
            kind: kind.clone(),
            ticket_id: None,
            lang: domain::Lang::En,
            now: at(9),
        })
        .await
        .unwrap();
    let one = store.pending_mail(1).await.unwrap();
    assert_eq!(one.len(), 1);
    if one[0].kind == kind {
        assert_eq!(one[0], extra, "oldest first");
    }
}

/// Delivery: a sender claims due mail under a lease, one claimer per mail; a try
/// that failed comes back when its retry is due, a lease that ran out (the sender died) lets
/// the mail be claimed again with the same Message-ID, the last failure makes it failed, and an
/// admin's retry puts it back with its tries counted afresh.
pub async fn mail_delivery(store: Arc<dyn Store>) {
    // What other scenarios queued is held for ever, out of this one's way.
    store
        .claim_due_mail(Timestamp(i64::MAX / 2), Timestamp(i64::MAX), u32::MAX)
        .await
        .unwrap();
    let base = store.mail_counts().await.unwrap();
    let t = ticket(&store, "delivery", T0).await;
    let new = |to: &str, kind: &str, ticket_id: Option<TicketId>, now: Timestamp| NewMail {
        to: email(to),
        subject: red("s"),
        body_text: red("b"),
        link_seed: None,
        kind: kind.to_owned(),
        ticket_id,
        lang: domain::Lang::En,
        now,
    };
    let first = store
        .enqueue_mail(new("a@example.com", "ticket_created", Some(t.id), at(1)))
        .await
        .unwrap();
    let reply = store
        .enqueue_mail(new("a@example.com", "agent_reply", Some(t.id), at(2)))
        .await
        .unwrap();
    let other = store
        .enqueue_mail(new("b@example.com", "sign_in_link", None, at(3)))
        .await
        .unwrap();
    assert_eq!(
        first.message_id,
        format!("t{}.{}", t.id.0, at(1).0),
        "thread root"
    );
    assert_eq!(reply.message_id, format!("o{}.{}", reply.id, at(2).0));
    assert_eq!(other.message_id, format!("o{}.{}", other.id, at(3).0));
    for m in [&first, &reply, &other] {
        assert_eq!(m.status(), MailStatus::Pending);
        assert_eq!((m.attempts, m.lease_until, m.failed_at), (0, None, None));
    }
    let ids = |ms: &[OutboxMail]| ms.iter().map(|m| m.id).collect::<Vec<_>>();

    // Two at a time, oldest first; what is leased is not claimed again.
    let got = store.claim_due_mail(at(10), at(15), 2).await.unwrap();
    assert_eq!(ids(&got), vec![first.id, reply.id]);
    assert!(
        got.iter()
            .all(|m| m.attempts == 1 && m.lease_until == Some(at(15)))
    );
    let got = store.claim_due_mail(at(10), at(15), 2).await.unwrap();
    assert_eq!(ids(&got), vec![other.id]);
    assert!(
        store
            .claim_due_mail(at(11), at(16), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Sent; failed with a retry later; the third's sender dies (its lease runs out).
    store.mark_mail_sent(first.id, at(12)).await.unwrap();
    store
        .mail_attempt_failed(
            reply.id,
            MailFailure {
                error: "451 4.3.0 try again later".into(),
                retry_at: Some(at(20)),
            },
            at(12),
        )
        .await
        .unwrap();
    let got = store.claim_due_mail(at(16), at(21), 10).await.unwrap();
    assert_eq!(
        ids(&got),
        vec![other.id],
        "the expired lease frees the mail"
    );
    assert_eq!(
        (got[0].attempts, &got[0].message_id),
        (2, &other.message_id)
    );
    store.mark_mail_sent(other.id, at(16)).await.unwrap();
    let got = store.claim_due_mail(at(20), at(25), 10).await.unwrap();
    assert_eq!(ids(&got), vec![reply.id], "due again at its retry time");
    assert_eq!(
        got[0].last_error.as_deref(),
        Some("451 4.3.0 try again later")
    );
    assert_eq!(got[0].attempts, 2);

    // The last try fails: failed, listed, counted, never claimed.
    store
        .mail_attempt_failed(
            reply.id,
            MailFailure {
                error: "550 5.1.1 no such user".into(),
                retry_at: None,
            },
            at(21),
        )
        .await
        .unwrap();
    assert!(
        store
            .claim_due_mail(at(99), at(100), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let failed = store.failed_mail(10).await.unwrap();
    assert_eq!(ids(&failed), vec![reply.id]);
    assert_eq!(failed[0].status(), MailStatus::Failed);
    assert_eq!(failed[0].failed_at, Some(at(21)));
    assert_eq!(
        failed[0].last_error.as_deref(),
        Some("550 5.1.1 no such user")
    );
    assert!(
        !store
            .pending_mail(u32::MAX)
            .await
            .unwrap()
            .iter()
            .any(|m| m.id == reply.id)
    );
    assert_eq!(
        store.mail_counts().await.unwrap(),
        MailCounts {
            pending: base.pending,
            failed: base.failed + 1
        }
    );
    // A sent mail is neither failed nor retried.
    assert!(is_not_found(
        store
            .mail_attempt_failed(
                first.id,
                MailFailure {
                    error: "x".into(),
                    retry_at: None
                },
                at(22)
            )
            .await
    ));
    assert!(is_not_found(
        store.retry_failed_mail(Some(first.id), at(22)).await
    ));

    // The admin's retry: due at once, tries afresh, the same Message-ID.
    assert_eq!(store.retry_failed_mail(None, at(30)).await.unwrap(), 1);
    assert_eq!(store.retry_failed_mail(None, at(30)).await.unwrap(), 0);
    assert_eq!(
        store.mail_counts().await.unwrap(),
        MailCounts {
            pending: base.pending + 1,
            failed: base.failed
        }
    );
    let got = store.claim_due_mail(at(30), at(35), 10).await.unwrap();
    assert_eq!(ids(&got), vec![reply.id]);
    assert_eq!(
        (got[0].attempts, &got[0].message_id),
        (1, &reply.message_id)
    );
    store.mark_mail_sent(reply.id, at(31)).await.unwrap();
    assert_eq!(store.mail_counts().await.unwrap(), base);

    // Claimers at the same moment never share a mail, and together they take every one.
    let mut made = BTreeSet::new();
    for i in 0..24 {
        let m = store
            .enqueue_mail(new(
                &format!("c{i}@example.com"),
                "agent_reply",
                None,
                at(40),
            ))
            .await
            .unwrap();
        made.insert(m.id);
    }
    let claims = (0..4).map(|_| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.claim_due_mail(at(41), at(50), 8).await.unwrap() })
    });
    let mut seen = Vec::new();
    for c in claims {
        seen.extend(c.await.unwrap().into_iter().map(|m| m.id));
    }
    seen.extend(ids(&store
        .claim_due_mail(at(41), at(50), 100)
        .await
        .unwrap()));
    let unique_seen: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(
        seen.len(),
        unique_seen.len(),
        "a mail claimed twice: {seen:?}"
    );
    assert_eq!(unique_seen, made);
}

/// A mail with a secret link keeps its seed and the placeholder, never a link.
pub async fn outbox_link_seed(store: Arc<dyn Store>) {
    let t = ticket(&store, "seeded mail", T0).await;
    let m = store
        .enqueue_mail(NewMail {
            to: email("seed@example.com"),
            subject: red("your ticket"),
            body_text: red("open it: {{link}}"),
            link_seed: Some("00112233445566778899aabbccddeeff".to_owned()),
            kind: unique("ticket_created-"),
            ticket_id: Some(t.id),
            lang: domain::Lang::ZhCn,
            now: at(1),
        })
        .await
        .unwrap();
    assert_eq!(
        m.link_seed.as_deref(),
        Some("00112233445566778899aabbccddeeff")
    );
    assert_eq!(m.body_text, "open it: {{link}}");
    assert_eq!(
        m.lang,
        Some(domain::Lang::ZhCn),
        "the mail keeps its language"
    );
    let pending = store.pending_mail(10_000).await.unwrap();
    assert!(pending.contains(&m));
}

/// Idempotency keys: the first claim wins, a second sees it in flight, the finished answer is
/// replayed as stored, another request under the same key is refused, a released key can be
/// claimed again, a stale unfinished claim (its server stopped) is taken over by the same
/// request only, an expired key starts afresh, and the purge deletes expired keys.
pub async fn idempotency_keys(store: Arc<dyn Store>) {
    let key = unique("idem-");
    let day = at(24 * 60);
    let stale = |now: Timestamp| Timestamp(now.0 - 60_000);
    let claim = |k: String, req: &'static str, now: Timestamp| {
        let store = store.clone();
        async move {
            store
                .claim_idempotency_key(&k, req, now, Timestamp(now.0 + 24 * 3_600_000), stale(now))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        claim(key.clone(), "req-a", T0).await,
        IdempotencyClaim::Claimed
    );
    assert_eq!(
        claim(key.clone(), "req-a", at(0)).await,
        IdempotencyClaim::InFlight
    );
    assert_eq!(
        claim(key.clone(), "req-b", at(0)).await,
        IdempotencyClaim::Mismatch
    );
    let reply = IdempotentReply {
        status: 201,
        body: red("{\"id\":7,\"access_url\":\"http://x/t/\u{1}link\u{1}\"}"),
        link_seed: Some("00112233445566778899aabbccddeeff".into()),
    };
    store.finish_idempotency_key(&key, &reply).await.unwrap();
    assert_eq!(
        claim(key.clone(), "req-a", at(5)).await,
        IdempotencyClaim::Done(reply.clone()),
        "replayed exactly as stored"
    );
    assert_eq!(
        claim(key.clone(), "req-b", at(5)).await,
        IdempotencyClaim::Mismatch
    );
    // Releasing a finished key does nothing; an unfinished one is claimable again.
    store.release_idempotency_key(&key).await.unwrap();
    assert!(matches!(
        claim(key.clone(), "req-a", at(6)).await,
        IdempotencyClaim::Done(_)
    ));
    let other = unique("idem-");
    assert_eq!(
        claim(other.clone(), "req-a", T0).await,
        IdempotencyClaim::Claimed
    );
    store.release_idempotency_key(&other).await.unwrap();
    assert_eq!(
        claim(other.clone(), "req-a", at(1)).await,
        IdempotencyClaim::Claimed
    );
    // Stale after a minute: the same request takes it over, another one is still refused.
    assert_eq!(
        claim(other.clone(), "req-z", at(3)).await,
        IdempotencyClaim::Mismatch
    );
    assert_eq!(
        claim(other.clone(), "req-a", at(3)).await,
        IdempotencyClaim::Claimed
    );
    // Expired: a new request under the key starts afresh, whatever it is.
    assert_eq!(
        claim(key.clone(), "req-c", day).await,
        IdempotencyClaim::Claimed
    );
    // Purge: the keys expired by then go, the one claimed at `day` stays.
    assert!(store.purge_idempotency_keys(at(24 * 60 + 3)).await.unwrap() >= 1);
    assert_eq!(
        claim(other.clone(), "req-q", at(24 * 60 + 4)).await,
        IdempotencyClaim::Claimed
    );
    assert_eq!(
        claim(key.clone(), "req-a", at(24 * 60)).await,
        IdempotencyClaim::Mismatch
    );
    // Finishing a key nobody holds is an error, not a silent success.
    assert!(matches!(
        store.finish_idempotency_key(&unique("idem-"), &reply).await,
        Err(StoreError::NotFound)
    ));
}

/// A message is rewritten with a newly redacted body (a secret that ran into a later
/// message): the body is replaced, the count grows, the ticket's other messages stay, and the
/// audit log says so without the text.
pub async fn redact_message(store: Arc<dyn Store>) {
    let t = ticket(&store, "split", T0).await;
    let half = "letter advice cage absurd amount doctor";
    say(
        &store,
        t.id,
        Author::User,
        MessageKind::Public,
        &format!("my words {half}"),
        at(1),
    )
    .await;
    let before = store.messages(t.id, true).await.unwrap();
    let m = before.last().unwrap().clone();
    assert!(m.body.as_str().contains(half), "six words alone are kept");
    let rewritten = store
        .redact_message(
            m.id,
            red("my words [recovery phrase removed: 12 words]"),
            1,
            at(2),
        )
        .await
        .unwrap();
    assert_eq!(rewritten.id, m.id);
    assert_eq!(
        rewritten.body.as_str(),
        "my words [recovery phrase removed: 12 words]"
    );
    assert_eq!(rewritten.secrets_removed, m.secrets_removed + 1);
    assert_eq!(
        rewritten.created_at, m.created_at,
        "its place in the thread stays"
    );
    let after = store.messages(t.id, true).await.unwrap();
    assert_eq!(after.len(), before.len());
    assert_eq!(after.last().unwrap(), &rewritten);
    assert_eq!(after[0], before[0]);
    let log = store.audit_log(1000, 0).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "message.redacted" && e.target.as_deref() == Some(&t.id.to_string()))
        .expect("audited");
    assert!(!entry.detail.contains("advice"), "{}", entry.detail);
    assert_eq!(entry.actor, None);
    assert!(is_not_found(
        store
            .redact_message(domain::MessageId(i64::MAX), red("x"), 1, at(3))
            .await
    ));
}

/// Writers at the same time: every acknowledged write is there, none is lost to a lock.
pub async fn concurrent_writes(store: Arc<dyn Store>) {
    let a = agent(&store, "busy").await;
    let shared = ticket(&store, "shared", T0).await;
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..8_i64 {
        let store = Arc::clone(&store);
        tasks.spawn(async move {
            let own = store
                .create_ticket(draft(&format!("writer {w}"), "hello", at(w)))
                .await
                .unwrap();
            for i in 0..5 {
                let author = if i % 2 == 0 {
                    Author::User
                } else {
                    Author::Agent(a.id)
                };
                store
                    .append_message(NewMessage {
                        ticket_id: shared.id,
                        author,
                        kind: MessageKind::Public,
                        body: red(&format!("writer {w} message {i}")),
                        secrets_removed: 0,
                        now: at(10 + w * 5 + i),
                    })
                    .await
                    .unwrap();
            }
            own.id
        });
    }
    let mut made = Vec::new();
    while let Some(id) = tasks.join_next().await {
        made.push(id.unwrap());
    }
    assert_eq!(made.len(), 8);
    for id in made {
        assert_eq!(store.messages(id, true).await.unwrap().len(), 1);
    }
    assert_eq!(
        store.messages(shared.id, true).await.unwrap().len(),
        1 + 8 * 5
    );
    let t = store.ticket(shared.id).await.unwrap();
    assert!(t.first_response_at.is_some());
    assert_eq!(t.status, Status::Open);
}

/// Satisfaction reports read ratings by time, with the ticket's assignee.
pub async fn ratings_report(store: Arc<dyn Store>) {
    // Far from the times other scenarios use, so `run_all` on one store sees only these.
    let base = 1_000_000;
    let a = agent(&store, "csat").await;
    let held = ticket(&store, "csat held", T0).await;
    let loose = ticket(&store, "csat loose", T0).await;
    let unrated = ticket(&store, "csat unrated", T0).await;
    store
        .update_ticket(
            held.id,
            TicketUpdate {
                assignee: Some(Some(a.id)),
                ..TicketUpdate::default()
            },
            at(base),
        )
        .await
        .unwrap();
    store
        .rate_ticket(held.id, 5, None, at(base + 10))
        .await
        .unwrap();
    store
        .rate_ticket(loose.id, 2, None, at(base + 20))
        .await
        .unwrap();
    let got = store.ratings_since(at(base), 100).await.unwrap();
    let expected = vec![
        RatingEntry {
            ticket_id: held.id,
            assignee: Some(a.id),
            score: 5,
            at: at(base + 10),
        },
        RatingEntry {
            ticket_id: loose.id,
            assignee: None,
            score: 2,
            at: at(base + 20),
        },
    ];
    assert_eq!(
        got, expected,
        "ratings since, oldest first, with the assignee"
    );
    assert!(!got.iter().any(|r| r.ticket_id == unrated.id));
    assert_eq!(
        store.ratings_since(at(base + 11), 100).await.unwrap(),
        expected[1..],
        "`since` is inclusive and filters"
    );
    assert_eq!(
        store.ratings_since(at(base), 1).await.unwrap(),
        expected[..1],
        "the limit keeps the oldest"
    );
    // Rating again moves the rating to its new time and score.
    store
        .rate_ticket(held.id, 3, None, at(base + 30))
        .await
        .unwrap();
    let got = store.ratings_since(at(base), 100).await.unwrap();
    assert_eq!(
        got.iter()
            .map(|r| (r.ticket_id, r.score))
            .collect::<Vec<_>>(),
        vec![(loose.id, 2), (held.id, 3)]
    );
}

/// Every scenario, one after another, on one store. Scenarios that say "fresh store" assume
/// nothing else was there, so they run first.
/// Address challenges: one open challenge per ticket is found until it expires or is used; a
/// challenge is used once (a second use, or one after expiry, is a conflict); the proofs list
/// only used ones, newest first; nonces are unique.
pub async fn address_challenges(store: Arc<dyn Store>) {
    let t = ticket(&store, "address proof", T0).await;
    let other = ticket(&store, "address proof, other ticket", T0).await;
    let new = |ticket: TicketId, now: Timestamp, minutes: i64| NewAddressChallenge {
        ticket_id: ticket,
        address: "bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l".into(),
        nonce: unique("nonce"),
        message: "help.example.com asks you to prove that you own this address.".into(),
        now,
        expires_at: now.plus_minutes(minutes),
    };
    assert_eq!(store.open_address_challenge(t.id, T0).await.unwrap(), None);
    let first = store
        .create_address_challenge(new(t.id, T0, 15))
        .await
        .unwrap();
    assert_eq!(first.ticket_id, t.id);
    assert_eq!(first.verified_at, None);
    assert_eq!(first.method, None);
    assert_eq!(first.expires_at, at(15));
    assert_eq!(
        store.open_address_challenge(t.id, at(5)).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store.open_address_challenge(other.id, at(5)).await.unwrap(),
        None,
        "another ticket's challenge is not this one's"
    );
    assert_eq!(
        store.open_address_challenge(t.id, at(15)).await.unwrap(),
        None,
        "expired at expires_at"
    );
    // The newest open one wins.
    let second = store
        .create_address_challenge(new(t.id, at(1), 15))
        .await
        .unwrap();
    assert_eq!(
        store
            .open_address_challenge(t.id, at(5))
            .await
            .unwrap()
            .map(|c| c.id),
        Some(second.id)
    );
    // A nonce is single-use across the desk.
    let mut dup = new(other.id, T0, 15);
    dup.nonce.clone_from(&first.nonce);
    assert!(matches!(
        store.create_address_challenge(dup).await,
        Err(StoreError::Conflict(_))
    ));
    // Used once.
    let used = store
        .consume_address_challenge(second.id, "bip322_simple", at(6))
        .await
        .unwrap();
    assert_eq!(used.verified_at, Some(at(6)));
    assert_eq!(used.method.as_deref(), Some("bip322_simple"));
    assert!(matches!(
        store
            .consume_address_challenge(second.id, "bip137", at(7))
            .await,
        Err(StoreError::Conflict(_))
    ));
    // Expired: not usable.
    assert!(matches!(
        store
            .consume_address_challenge(first.id, "bip137", at(15))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .consume_address_challenge(i64::MAX, "bip137", at(1))
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .open_address_challenge(t.id, at(7))
            .await
            .unwrap()
            .map(|c| c.id),
        Some(first.id),
        "the used one is no longer open; the older one still is until it expires"
    );
    let third = store
        .create_address_challenge(new(t.id, at(8), 15))
        .await
        .unwrap();
    store
        .consume_address_challenge(third.id, "siwe", at(9))
        .await
        .unwrap();
    let proofs = store.address_proofs(t.id).await.unwrap();
    assert_eq!(
        proofs.iter().map(|p| p.id).collect::<Vec<_>>(),
        [third.id, second.id],
        "used ones only, newest first"
    );
    assert!(store.address_proofs(other.id).await.unwrap().is_empty());
    // A challenge for a ticket that does not exist is refused.
    assert!(
        store
            .create_address_challenge(new(TicketId(i64::MAX), T0, 15))
            .await
            .is_err()
    );
}

/// Two concurrent uses of one challenge: exactly one succeeds.
pub async fn address_challenge_used_once_under_concurrency(store: Arc<dyn Store>) {
    let t = ticket(&store, "address proof race", T0).await;
    for round in 0..5 {
        let c = store
            .create_address_challenge(NewAddressChallenge {
                ticket_id: t.id,
                address: "0x5ce9454909639D2D17A3F753ce7d93fa0b9aB12E".into(),
                nonce: unique("race"),
                message: format!("round {round}"),
                now: T0,
                expires_at: at(15),
            })
            .await
            .unwrap();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(
                    async move { store.consume_address_challenge(c.id, "siwe", at(1)).await },
                )
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => ok += 1,
                Err(StoreError::Conflict(_)) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(ok, 1, "round {round}: used exactly once");
    }
}

pub async fn run_all(store: Arc<dyn Store>) {
    macro_rules! in_order {
        ($($name:ident),+ $(,)?) => {
            $( $name(Arc::clone(&store)).await; )+
        };
    }
    // The notify scenarios (`notify.rs`) are named in the list too.
    use crate::chat::{
        chat_attachment_goes_on_one_message, chat_messages_dedup_by_client_id,
        chat_queue_accept_and_read,
    };
    use crate::desk::{desk_settings_round_trip, tickets_of_requester_in_every_status};
    use crate::notify::{
        agent_mail_settings, phishing_code_confirmed_once, reply_and_mails_commit_together,
        sign_in_link_by_mail, ticket_links_and_open_tickets,
    };
    crate::scenario_list!(local in_order;);
}

// ---------------------------------------------------------------------------------------------
// Help center

fn article_draft(
    slug: &str,
    lang: Lang,
    title: &str,
    body: &str,
    author: Option<AgentId>,
    now: Timestamp,
) -> store::ArticleDraft {
    store::ArticleDraft {
        slug: slug.to_owned(),
        lang,
        category: "restore".into(),
        topics: vec!["restore_mnemonic".into()],
        keywords: vec![red("助记词"), red("seed phrase")],
        title: red(title),
        summary: red(&format!("{title} summary")),
        body: red(body),
        author,
        now,
    }
}

/// Articles: a draft, edits as versions (author and time kept), publishing, one per
/// `(slug, lang)`, translations sharing the slug, restoring an old version as a new one.
pub async fn help_articles_and_versions(store: Arc<dyn Store>) {
    use store::ArticleStatus;
    let writer = agent(&store, "writer").await;
    let slug = unique("restore");
    let v1 = store
        .save_article(article_draft(
            &slug,
            Lang::En,
            "Restore",
            "first",
            Some(writer.id),
            at(1),
        ))
        .await
        .unwrap();
    assert_eq!((v1.version, v1.status), (1, ArticleStatus::Draft));
    assert_eq!(v1.topics, ["restore_mnemonic"]);
    assert_eq!(v1.keywords, ["助记词", "seed phrase"]);
    let v2 = store
        .save_article(article_draft(
            &slug,
            Lang::En,
            "Restore 2",
            "second",
            None,
            at(2),
        ))
        .await
        .unwrap();
    assert_eq!((v2.id, v2.version, v2.body.as_str()), (v1.id, 2, "second"));
    let zh = store
        .save_article(article_draft(
            &slug,
            Lang::ZhCn,
            "恢复钱包",
            "第一步",
            None,
            at(2),
        ))
        .await
        .unwrap();
    assert_ne!(
        zh.id, v1.id,
        "a translation is its own article with the same slug"
    );
    assert_eq!(store.article_by_slug(&slug, Lang::ZhCn).await.unwrap(), zh);
    let versions = store.article_versions(v1.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1],
        "newest first"
    );
    assert_eq!(
        (
            versions[1].author,
            versions[1].at,
            versions[1].body.as_str()
        ),
        (Some(writer.id), at(1), "first")
    );
    let restored = store
        .restore_article_version(v1.id, 1, Some(writer.id), at(3))
        .await
        .unwrap();
    assert_eq!(
        (
            restored.version,
            restored.title.as_str(),
            restored.body.as_str()
        ),
        (3, "Restore", "first")
    );
    assert!(
        !store
            .articles(Some(Lang::En), true)
            .await
            .unwrap()
            .iter()
            .any(|a| a.id == v1.id),
        "drafts are not public"
    );
    let published = store
        .set_article_status(v1.id, ArticleStatus::Published, at(4))
        .await
        .unwrap();
    assert_eq!(
        (published.status, published.published_at),
        (ArticleStatus::Published, Some(at(4)))
    );
    assert!(
        store
            .articles(Some(Lang::En), true)
            .await
            .unwrap()
            .iter()
            .any(|a| a.id == v1.id)
    );
    assert!(
        !store
            .articles(Some(Lang::En), true)
            .await
            .unwrap()
            .iter()
            .any(|a| a.id == zh.id)
    );
    assert!(
        store
            .articles(None, false)
            .await
            .unwrap()
            .iter()
            .any(|a| a.id == zh.id)
    );
    assert!(is_not_found(
        store.article(domain::ArticleId(i64::MAX)).await
    ));
    assert!(is_not_found(
        store.restore_article_version(v1.id, 99, None, at(5)).await
    ));
}

/// Views and "was this helpful?" counts; comments come back redacted, newest first.
pub async fn help_feedback_and_views(store: Arc<dyn Store>) {
    let a = store
        .save_article(article_draft(
            &unique("fees"),
            Lang::En,
            "Fees",
            "gas",
            None,
            at(1),
        ))
        .await
        .unwrap();
    store.record_article_view(a.id).await.unwrap();
    store.record_article_view(a.id).await.unwrap();
    store
        .record_article_feedback(a.id, true, None, at(2))
        .await
        .unwrap();
    store
        .record_article_feedback(a.id, false, Some(red("not clear")), at(3))
        .await
        .unwrap();
    let a = store.article(a.id).await.unwrap();
    assert_eq!((a.views, a.helpful_yes, a.helpful_no), (2, 1, 1));
    let fb = store.article_feedback(a.id, 10).await.unwrap();
    assert_eq!(fb.len(), 2);
    assert_eq!(
        (fb[0].helpful, fb[0].comment.as_ref().map(Redacted::as_str)),
        (false, Some("not clear"))
    );
    assert!(is_not_found(
        store.record_article_view(domain::ArticleId(i64::MAX)).await
    ));
    assert!(is_not_found(
        store
            .record_article_feedback(domain::ArticleId(i64::MAX), true, None, at(4))
            .await
    ));
}

/// Search analytics and ticket-form deflection, counted per visitor since a moment.
pub async fn help_search_and_deflection_reports(store: Arc<dyn Store>) {
    use store::{HelpEventKind, SearchLogEntry};
    // A window of its own: far after every other scenario's times.
    let base = T0.plus_days(1000);
    let t = |m: i64| base.plus_minutes(m);
    let (v1, v2, v3) = (unique("visitor"), unique("visitor"), unique("visitor"));
    let q = unique("转账失败");
    let none = unique("nothing");
    for (query, results, visitor, m) in [(&q, 3, &v1, 1), (&q, 3, &v2, 2), (&none, 0, &v3, 3)] {
        store
            .log_search(SearchLogEntry {
                query: red(query),
                lang: Lang::ZhCn,
                results,
                visitor: visitor.clone(),
                now: t(m),
            })
            .await
            .unwrap();
    }
    store
        .log_help_event(&v1, HelpEventKind::TicketCreated, None, t(10))
        .await
        .unwrap();
    let r = store.search_report(base, 10).await.unwrap();
    assert_eq!(r.searches, 3);
    assert_eq!(
        r.top[0],
        store::QueryCount {
            query: q.clone(),
            count: 2
        }
    );
    assert_eq!(
        r.no_results,
        [store::QueryCount {
            query: none.clone(),
            count: 1
        }]
    );
    assert_eq!(
        r.then_ticket,
        [store::QueryCount {
            query: q.clone(),
            count: 1
        }],
        "only v1 wrote in after searching"
    );
    // Deflection: v1 and v2 were shown suggestions; both opened one; only v2 left without a ticket.
    let d0 = base.plus_days(1);
    for v in [&v1, &v2] {
        store
            .log_help_event(v, HelpEventKind::SuggestionsShown, None, d0.plus_minutes(1))
            .await
            .unwrap();
        store
            .log_help_event(v, HelpEventKind::SuggestionOpened, None, d0.plus_minutes(2))
            .await
            .unwrap();
    }
    store
        .log_help_event(
            &v3,
            HelpEventKind::SuggestionsShown,
            None,
            d0.plus_minutes(1),
        )
        .await
        .unwrap();
    store
        .log_help_event(&v1, HelpEventKind::TicketCreated, None, d0.plus_minutes(5))
        .await
        .unwrap();
    let d = store.deflection_report(d0).await.unwrap();
    assert_eq!((d.shown, d.opened, d.deflected), (3, 2, 1));
}

/// Searches logged in batches (one transaction each) count exactly like single ones; an empty
/// batch writes nothing.
pub async fn help_search_log_batches(store: Arc<dyn Store>) {
    use store::SearchLogEntry;
    // A window of its own, after `help_search_and_deflection_reports`'s.
    let base = T0.plus_days(2000);
    let entry = |query: &str, results: u32, m: i64| SearchLogEntry {
        query: red(query),
        lang: Lang::En,
        results,
        visitor: unique("visitor"),
        now: base.plus_minutes(m),
    };
    store.log_searches(&[]).await.unwrap();
    assert_eq!(store.search_report(base, 10).await.unwrap().searches, 0);
    let (a, b) = (unique("seed phrase"), unique("nothing here"));
    let batch: Vec<SearchLogEntry> = (0..250)
        .map(|i| entry(&a, 4, i % 60))
        .chain([entry(&b, 0, 61)])
        .collect();
    store.log_searches(&batch).await.unwrap();
    store.log_search(entry(&a, 4, 62)).await.unwrap();
    let r = store.search_report(base, 10).await.unwrap();
    assert_eq!(
        r.searches, 252,
        "every entry of the batch, and the single one"
    );
    assert_eq!(
        r.top[0],
        store::QueryCount {
            query: a.clone(),
            count: 251
        }
    );
    assert_eq!(
        r.no_results,
        [store::QueryCount {
            query: b.clone(),
            count: 1
        }]
    );
}

/// A new ticket whose confirmation mail (kind `kind`) names its number.
fn mailed(subject: &str, kind: &str) -> NewTicket {
    let mut d = draft(subject, "Where are my coins?", T0);
    let kind = kind.to_owned();
    d.mail = Some(TicketMail::new(move |t: &Ticket| NewMail {
        to: t.requester.clone(),
        subject: red(&format!("[#{}] {}", t.id, t.subject)),
        body_text: red("opened"),
        link_seed: Some(format!("seed-{}", t.id)),
        kind: kind.clone(),
        ticket_id: Some(t.id),
        lang: domain::Lang::En,
        now: t.created_at,
    }));
    d
}

/// Many tickets created at once (a backend may commit them together): each is written with its
/// first message and its mail, and one that fails — here, an access token already taken —
/// fails alone, leaving neither a ticket nor a mail, while the others around it succeed.
pub async fn concurrent_creations_stand_alone(store: Arc<dyn Store>) {
    const N: usize = 48;
    let kind = unique("created-");
    let mut drafts: Vec<NewTicket> = (0..N)
        .map(|i| mailed(&format!("burst {i}"), &kind))
        .collect();
    // Every eighth ticket reuses its neighbour's token: of each such pair exactly one can win.
    for i in (0..N).step_by(8) {
        drafts[i + 1].access_token = drafts[i].access_token.clone();
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, d) in drafts.into_iter().enumerate() {
        let store = Arc::clone(&store);
        tasks.spawn(async move { (i, store.create_ticket(d).await) });
    }
    let mut outcomes: Vec<Option<Result<Ticket, StoreError>>> = (0..N).map(|_| None).collect();
    while let Some(done) = tasks.join_next().await {
        let (i, r) = done.unwrap();
        outcomes[i] = Some(r);
    }
    let outcomes: Vec<_> = outcomes.into_iter().map(Option::unwrap).collect();
    let mut made = Vec::new();
    for (i, r) in outcomes.iter().enumerate() {
        let paired = i % 8 < 2;
        match r {
            Ok(t) => {
                assert_eq!(
                    t.subject.as_str(),
                    format!("burst {i}"),
                    "each caller gets its own ticket"
                );
                made.push(t.id);
            }
            Err(StoreError::Conflict(_)) if paired => {}
            Err(e) => panic!("ticket {i} failed with {e}, though its token was its own"),
        }
    }
    for i in (0..N).step_by(8) {
        let won = usize::from(outcomes[i].is_ok()) + usize::from(outcomes[i + 1].is_ok());
        assert_eq!(
            won, 1,
            "of two tickets with one token, exactly one is stored"
        );
    }
    assert_eq!(made.len(), N - N / 8);
    let ids: BTreeSet<TicketId> = made.iter().copied().collect();
    assert_eq!(ids.len(), made.len(), "every ticket has its own id");
    for id in &made {
        let t = store.ticket(*id).await.unwrap();
        assert_eq!(t.id, *id);
        let m = store.messages(*id, true).await.unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].body.as_str(), "Where are my coins?");
    }
    let mail: Vec<_> = store
        .pending_mail(100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == kind)
        .collect();
    assert_eq!(
        mail.len(),
        made.len(),
        "one mail per stored ticket, none for a failed one"
    );
    for m in &mail {
        let id = m.ticket_id.expect("a ticket's mail names it");
        assert!(ids.contains(&id));
        assert!(m.subject.as_str().starts_with(&format!("[#{id}] burst ")));
        assert_eq!(m.link_seed.as_deref(), Some(format!("seed-{id}").as_str()));
    }
}

/// Retention: each log loses exactly its rows written before the cutoff, once; a row written
/// at the cutoff stays, and the other logs are untouched. Its rows are three years before
/// [`T0`], where no other scenario writes, so the counts are exact on a shared store too.
pub async fn prune_logs(store: Arc<dyn Store>) {
    use store::{HelpEventKind, SearchLogEntry};
    let old = T0.plus_days(-1100);
    let cutoff = T0.plus_days(-1000);
    let search = |m: i64, base: Timestamp| SearchLogEntry {
        query: red(&unique("old query ")),
        lang: Lang::En,
        results: 1,
        visitor: unique("visitor"),
        now: base.plus_minutes(m),
    };
    let batch: Vec<SearchLogEntry> = (0..3)
        .map(|m| search(m, old))
        .chain([search(0, cutoff)])
        .collect();
    store.log_searches(&batch).await.unwrap();
    let visitor = unique("visitor");
    for when in [old, old.plus_days(1), cutoff] {
        store
            .log_help_event(&visitor, HelpEventKind::ArticleOpened, None, when)
            .await
            .unwrap();
    }
    let audit_target = unique("ticket:");
    for when in [old, cutoff] {
        store
            .audit(
                None,
                "retention.test",
                Some(&audit_target),
                &red("{}"),
                when,
            )
            .await
            .unwrap();
    }

    // Nothing is older than `old`: a cutoff there deletes nothing.
    for table in LogTable::ALL {
        assert_eq!(store.prune_log(table, old).await.unwrap(), 0, "{table:?}");
    }
    assert_eq!(
        store.prune_log(LogTable::SearchLog, cutoff).await.unwrap(),
        3
    );
    assert_eq!(
        store.prune_log(LogTable::HelpEvents, cutoff).await.unwrap(),
        2
    );
    // The audit log is its own table: the searches' pruning left it whole.
    let audit_rows = |log: Vec<store::AuditEntry>| {
        log.into_iter()
            .filter(|e| e.target.as_deref() == Some(audit_target.as_str()))
            .map(|e| e.at)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        audit_rows(store.audit_log(1000, 0).await.unwrap()),
        vec![cutoff, old]
    );
    assert_eq!(
        store.prune_log(LogTable::AuditLog, cutoff).await.unwrap(),
        1
    );
    assert_eq!(
        audit_rows(store.audit_log(1000, 0).await.unwrap()),
        vec![cutoff],
        "the row written at the cutoff stays"
    );
    // Once: the same cutoff again finds nothing; a millisecond later takes the rest.
    for table in LogTable::ALL {
        assert_eq!(
            store.prune_log(table, cutoff).await.unwrap(),
            0,
            "{table:?}"
        );
    }
    let later = Timestamp(cutoff.0 + 1);
    for table in LogTable::ALL {
        assert_eq!(store.prune_log(table, later).await.unwrap(), 1, "{table:?}");
    }
}

/// Inbound mail (migration 0010): a message id is recorded once and threads to its ticket;
/// ids are looked up in the order given; bounces are one row per ticket and address, a later
/// one updating the status; a requester's open tickets come newest first and never closed ones.
pub async fn mail_message_ids_and_bounces(store: Arc<dyn Store>) {
    let a = ticket(&store, "mail a", T0).await;
    let b = ticket(&store, "mail b", at(1)).await;
    let (ha, hb) = (unique("hash-a-"), unique("hash-b-"));
    assert!(store.record_message_id(&ha, a.id, at(2)).await.unwrap());
    assert!(
        !store.record_message_id(&ha, b.id, at(3)).await.unwrap(),
        "an id already recorded is not taken again, not even for another ticket"
    );
    assert!(store.record_message_id(&hb, b.id, at(3)).await.unwrap());
    let unknown = unique("hash-none-");
    assert_eq!(
        store
            .ticket_for_message_ids(&[unknown.clone(), hb.clone(), ha.clone()])
            .await
            .unwrap(),
        Some(b.id)
    );
    assert_eq!(
        store
            .ticket_for_message_ids(std::slice::from_ref(&ha))
            .await
            .unwrap(),
        Some(a.id)
    );
    assert_eq!(
        store.ticket_for_message_ids(&[unknown]).await.unwrap(),
        None
    );
    assert_eq!(store.ticket_for_message_ids(&[]).await.unwrap(), None);

    assert!(store.bounces(a.id).await.unwrap().is_empty());
    let who = email("user@example.com");
    store
        .mark_bouncing(a.id, &who, Some("4.2.2"), at(4))
        .await
        .unwrap();
    store
        .mark_bouncing(a.id, &who, Some("5.1.1"), at(5))
        .await
        .unwrap();
    let bounces = store.bounces(a.id).await.unwrap();
    assert_eq!(bounces.len(), 1);
    assert_eq!(bounces[0].address, who);
    assert_eq!(bounces[0].status.as_deref(), Some("5.1.1"));
    assert_eq!(bounces[0].at, at(5));
    assert!(store.bounces(b.id).await.unwrap().is_empty());

    let requester = email(&format!("{}@example.com", unique("req")));
    let mut mine = Vec::new();
    for i in 0..3 {
        let mut d = draft("open", "body", at(10 + i));
        d.requester = requester.clone();
        mine.push(store.create_ticket(d).await.unwrap());
    }
    store
        .update_ticket(
            mine[0].id,
            TicketUpdate {
                status: Some(Status::Closed),
                ..TicketUpdate::default()
            },
            at(20),
        )
        .await
        .unwrap();
    assert_eq!(
        ticket_ids(&store.open_tickets_of(&requester, 10).await.unwrap()),
        [mine[2].id, mine[1].id]
    );
    assert_eq!(
        ticket_ids(&store.open_tickets_of(&requester, 1).await.unwrap()),
        [mine[2].id]
    );
}

fn ticket_ids(tickets: &[Ticket]) -> Vec<TicketId> {
    tickets.iter().map(|t| t.id).collect()
}
/// Passkeys: added, listed, found by credential id across agents, a credential id registered
/// once, uses recorded, removed only by their agent; resetting an agent's factors removes
/// their authenticator, recovery codes, passkeys and sessions and nobody else's.
pub async fn passkeys_and_factor_reset(store: Arc<dyn Store>) {
    let a = agent(&store, "pk").await;
    let b = agent(&store, "pk-other").await;
    assert!(store.passkeys(a.id).await.unwrap().is_empty());
    let new = |cred: &str, name: &str| store::NewPasskey {
        credential_id: cred.into(),
        name: name.into(),
        credential: format!("{{\"cred\":\"{cred}\",\"counter\":0}}"),
    };
    let cred_a1 = unique("cred-a1");
    let cred_a2 = unique("cred-a2");
    let cred_b = unique("cred-b");
    let a1 = store
        .add_passkey(a.id, &new(&cred_a1, "laptop"), at(1))
        .await
        .unwrap();
    let a2 = store
        .add_passkey(a.id, &new(&cred_a2, "手机"), at(2))
        .await
        .unwrap();
    let b1 = store
        .add_passkey(b.id, &new(&cred_b, "key"), at(3))
        .await
        .unwrap();
    assert!(
        is_conflict(
            store
                .add_passkey(b.id, &new(&cred_a1, "again"), at(4))
                .await
        ),
        "a credential id is registered once, to one agent"
    );
    let mine = store.passkeys(a.id).await.unwrap();
    assert_eq!(
        mine.iter()
            .map(|p| (p.id, p.name.as_str(), p.created_at, p.last_used_at))
            .collect::<Vec<_>>(),
        vec![(a1, "laptop", at(1), None), (a2, "手机", at(2), None)],
        "oldest first, only a's"
    );
    let found = store.passkey_by_credential(&cred_b).await.unwrap().unwrap();
    assert_eq!((found.id, found.agent_id), (b1, b.id));
    assert_eq!(store.passkey_by_credential("nobody's").await.unwrap(), None);

    // A use stores the updated credential (counter, backup state) and when.
    store
        .passkey_used(a1, "{\"counter\":7}", at(10))
        .await
        .unwrap();
    let used = store
        .passkey_by_credential(&cred_a1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (used.credential.as_str(), used.last_used_at),
        ("{\"counter\":7}", Some(at(10)))
    );
    assert!(is_not_found(store.passkey_used(-1, "{}", at(11)).await));

    // Removing: only the agent's own.
    assert!(!store.delete_passkey(b.id, a2).await.unwrap(), "not b's");
    assert!(store.delete_passkey(a.id, a2).await.unwrap());
    assert!(!store.delete_passkey(a.id, a2).await.unwrap(), "gone");
    assert_eq!(store.passkeys(a.id).await.unwrap().len(), 1);

    // Reset: everything of a's, nothing of b's.
    store.begin_totp(a.id, "sealed").await.unwrap();
    assert!(store.accept_totp_step(a.id, 1, at(12)).await.unwrap());
    store
        .set_recovery_codes(a.id, &["h1".to_owned(), "h2".to_owned()])
        .await
        .unwrap();
    store.begin_totp(b.id, "sealed-b").await.unwrap();
    let (sa, sb) = (token(), token());
    for (tok, who) in [(&sa, a.id), (&sb, b.id)] {
        store
            .create_session(
                tok,
                Session {
                    agent_id: who,
                    created_at: at(0),
                    expires_at: at(600),
                    csrf: "c".into(),
                    verified: true,
                    factor_at: Some(at(0)),
                },
            )
            .await
            .unwrap();
    }
    let reset = store.reset_factors(a.id).await.unwrap();
    assert_eq!(
        reset,
        store::FactorsReset {
            totp: true,
            passkeys: 1,
            sessions: 1
        }
    );
    assert_eq!(store.totp(a.id).await.unwrap(), None);
    assert_eq!(store.recovery_codes_left(a.id).await.unwrap(), 0);
    assert!(store.passkeys(a.id).await.unwrap().is_empty());
    assert!(is_not_found(store.session(&sa, at(1)).await));
    assert!(store.session(&sb, at(1)).await.is_ok(), "b's session stays");
    assert!(
        store.totp(b.id).await.unwrap().is_some(),
        "b's authenticator stays"
    );
    assert_eq!(store.passkeys(b.id).await.unwrap().len(), 1);
    assert_eq!(
        store.reset_factors(a.id).await.unwrap(),
        store::FactorsReset::default(),
        "nothing left to reset"
    );
}
