//! Scenarios for [`store::NotifyStore`]: the anti-phishing code, extra access links, "my
//! tickets", a reply written with its mails, agents' mail settings, sign-in links by mail.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::{
    Author, Category, EmailAddress, Lang, MessageKind, Priority, Redacted, Role, Status, Timestamp,
};
use store::{
    Agent, CodeChange, MailSettings, MailWithLinks, NewAgent, NewCodeRequest, NewMail, NewMessage,
    NewTicket, Store, StoreError, Ticket, TicketFields, TicketUpdate, TokenHash,
};

use crate::T0;

fn at(minutes: i64) -> Timestamp {
    T0.plus_minutes(minutes)
}

fn n() -> u64 {
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn token() -> TokenHash {
    TokenHash(format!(
        "{:032x}{:032x}",
        n(),
        u128::from(std::process::id()) + 7
    ))
}

fn addr(prefix: &str) -> EmailAddress {
    EmailAddress::parse(&format!("{prefix}{}@example.com", n())).unwrap()
}

fn mail(to: &EmailAddress, kind: &str, now: Timestamp) -> NewMail {
    NewMail {
        to: to.clone(),
        subject: Redacted::clean("subject"),
        body_text: Redacted::clean("open: {{link}}"),
        link_seed: Some(format!("{:032x}", n())),
        kind: kind.to_owned(),
        ticket_id: None,
        lang: domain::Lang::En,
        now,
    }
}

async fn ticket_for(store: &Arc<dyn Store>, to: &EmailAddress, now: Timestamp) -> Ticket {
    store
        .create_ticket(NewTicket {
            requester: to.clone(),
            category: Category::Other,
            subject: Redacted::clean("help"),
            body: Redacted::clean("Please help."),
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
        })
        .await
        .unwrap()
}

async fn new_agent(store: &Arc<dyn Store>) -> Agent {
    store
        .create_agent(
            NewAgent {
                email: addr("agent"),
                name: Redacted::clean("Agent"),
                role: Role::Agent,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
                lang: Lang::En,
            },
            T0,
        )
        .await
        .unwrap()
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    r.err().is_some_and(|e| matches!(e, StoreError::NotFound))
}

/// A code takes effect only through its confirmation, once, before it expires; a later
/// confirmation replaces it, a removal deletes it, and confirming one change voids the
/// address's other pending ones.
pub async fn phishing_code_confirmed_once(store: Arc<dyn Store>) {
    let key = format!("addr-key-{}", n());
    let to = addr("code");
    let request = |sealed: Option<&str>, tok: &TokenHash, now: Timestamp| NewCodeRequest {
        token: tok.clone(),
        address_key: key.clone(),
        sealed_code: sealed.map(str::to_owned),
        now,
        expires_at: now.plus_minutes(60),
    };
    let first = token();
    let m = store
        .request_phishing_code(
            request(Some("sealed-1"), &first, at(0)),
            mail(&to, "phishing_code_confirm", at(0)),
        )
        .await
        .unwrap();
    assert_eq!(
        m.kind, "phishing_code_confirm",
        "the mail is written with the request"
    );
    assert_eq!(
        store.phishing_code(&key).await.unwrap(),
        None,
        "not before confirmation"
    );
    assert!(
        store
            .phishing_code_request_open(&first, at(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .phishing_code_request_open(&first, at(61))
            .await
            .unwrap(),
        "expired"
    );
    assert!(
        is_not_found(store.confirm_phishing_code(&first, at(61)).await),
        "expired link"
    );
    assert_eq!(
        store.confirm_phishing_code(&first, at(1)).await.unwrap(),
        CodeChange::Set
    );
    assert_eq!(
        store.phishing_code(&key).await.unwrap().as_deref(),
        Some("sealed-1")
    );
    assert!(
        is_not_found(store.confirm_phishing_code(&first, at(2)).await),
        "used once"
    );

    // Two pending changes: confirming the newer voids the older.
    let (older, newer) = (token(), token());
    store
        .request_phishing_code(
            request(Some("sealed-old"), &older, at(3)),
            mail(&to, "phishing_code_confirm", at(3)),
        )
        .await
        .unwrap();
    store
        .request_phishing_code(
            request(Some("sealed-2"), &newer, at(4)),
            mail(&to, "phishing_code_confirm", at(4)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.confirm_phishing_code(&newer, at(5)).await.unwrap(),
        CodeChange::Set
    );
    assert!(is_not_found(
        store.confirm_phishing_code(&older, at(6)).await
    ));
    assert_eq!(
        store.phishing_code(&key).await.unwrap().as_deref(),
        Some("sealed-2")
    );

    let removal = token();
    store
        .request_phishing_code(
            request(None, &removal, at(7)),
            mail(&to, "phishing_code_confirm", at(7)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.confirm_phishing_code(&removal, at(8)).await.unwrap(),
        CodeChange::Removed
    );
    assert_eq!(store.phishing_code(&key).await.unwrap(), None);
}

/// A ticket opens with every link minted for it, and "my tickets" lists only the requester's
/// tickets that are not closed, whatever the address's case.
pub async fn ticket_links_and_open_tickets(store: Arc<dyn Store>) {
    let to = addr("Mine");
    let a = ticket_for(&store, &to, at(0)).await;
    let b = ticket_for(&store, &to, at(1)).await;
    let other = ticket_for(&store, &addr("other"), at(2)).await;
    store
        .update_ticket(
            b.id,
            TicketUpdate {
                status: Some(Status::Closed),
                ..TicketUpdate::default()
            },
            at(3),
        )
        .await
        .unwrap();
    let upper = EmailAddress::parse(&to.as_str().to_uppercase()).unwrap_or(to.clone());
    let open = store.open_tickets_of(&upper, 50).await.unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![a.id]);
    assert!(
        store
            .open_tickets_of(&addr("nobody"), 50)
            .await
            .unwrap()
            .is_empty()
    );

    let (la, lo) = (token(), token());
    let mails = store
        .enqueue_mails_with_links(vec![MailWithLinks {
            mail: mail(&to, "my_tickets", at(4)),
            links: vec![(a.id, la.clone()), (other.id, lo.clone())],
        }])
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(store.ticket_by_access_token(&la).await.unwrap().id, a.id);
    assert_eq!(
        store.ticket_by_access_token(&lo).await.unwrap().id,
        other.id
    );
    assert!(is_not_found(store.ticket_by_access_token(&token()).await));
}

/// A reply and its mails are written together; if the mail cannot be written (a link token
/// already taken), the reply is not stored either.
pub async fn reply_and_mails_commit_together(store: Arc<dyn Store>) {
    let to = addr("reply");
    let t = ticket_for(&store, &to, at(0)).await;
    let ag = new_agent(&store).await;
    let link = token();
    let msg = |body: &str| NewMessage {
        ticket_id: t.id,
        author: Author::Agent(ag.id),
        kind: MessageKind::Public,
        body: Redacted::clean(body),
        secrets_removed: 0,
        now: at(1),
    };
    let with = |link: &TokenHash| MailWithLinks {
        mail: NewMail {
            ticket_id: Some(t.id),
            lang: domain::Lang::En,
            ..mail(&to, "agent_reply", at(1))
        },
        links: vec![(t.id, link.clone())],
    };
    store
        .append_message_with_mails(msg("first answer"), vec![with(&link)])
        .await
        .unwrap();
    let after = store.ticket(t.id).await.unwrap();
    assert_eq!(
        after.status,
        Status::Open,
        "a public reply opens a new ticket"
    );
    assert_eq!(after.first_response_at, Some(at(1)));
    assert_eq!(store.ticket_by_access_token(&link).await.unwrap().id, t.id);
    let pending = store.pending_mail(10_000).await.unwrap();
    assert_eq!(
        pending
            .iter()
            .filter(|m| m.ticket_id == Some(t.id) && m.kind == "agent_reply")
            .count(),
        1
    );

    // The same link hash again fails the insert: the message must not remain.
    assert!(
        store
            .append_message_with_mails(msg("second answer"), vec![with(&link)])
            .await
            .is_err()
    );
    let bodies: Vec<String> = store
        .messages(t.id, true)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body.into_string())
        .collect();
    assert!(
        !bodies.iter().any(|b| b == "second answer"),
        "rolled back with its mail"
    );
}

/// Both notification kinds are on until the agent turns one off.
pub async fn agent_mail_settings(store: Arc<dyn Store>) {
    let a = new_agent(&store).await;
    assert_eq!(
        store.agent_mail_settings(a.id).await.unwrap(),
        MailSettings::default()
    );
    let off = MailSettings {
        on_assign: false,
        on_reply: true,
    };
    store.set_agent_mail_settings(a.id, off).await.unwrap();
    assert_eq!(store.agent_mail_settings(a.id).await.unwrap(), off);
    let both_off = MailSettings {
        on_assign: false,
        on_reply: false,
    };
    store.set_agent_mail_settings(a.id, both_off).await.unwrap();
    assert_eq!(store.agent_mail_settings(a.id).await.unwrap(), both_off);
}

/// A sign-in link by mail is stored with its mail and used once.
pub async fn sign_in_link_by_mail(store: Arc<dyn Store>) {
    let a = new_agent(&store).await;
    let tok = token();
    let m = store
        .sign_in_link_by_mail(&tok, a.id, at(15), mail(&a.email, "sign_in_link", at(0)))
        .await
        .unwrap();
    assert_eq!(m.to, a.email);
    assert_eq!(store.sign_in_link_agent(&tok, at(1)).await.unwrap(), a.id);
    assert_eq!(store.consume_sign_in_link(&tok, at(1)).await.unwrap(), a.id);
    assert!(
        store.consume_sign_in_link(&tok, at(2)).await.is_err(),
        "once only"
    );
    let late = token();
    store
        .sign_in_link_by_mail(&late, a.id, at(15), mail(&a.email, "sign_in_link", at(0)))
        .await
        .unwrap();
    assert!(
        store.consume_sign_in_link(&late, at(16)).await.is_err(),
        "short-lived"
    );
}
