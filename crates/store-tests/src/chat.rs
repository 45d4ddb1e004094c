//! Scenarios for [`store::ChatStore`] (migration 0013): chats are tickets with channel chat;
//! a client id is stored once per conversation; queue, accept and read state.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::{
    Author, Category, Channel, EmailAddress, Lang, MessageKind, Priority, Redacted, Role, Timestamp,
};
use store::{
    ChatSender, ChatState, NewAgent, NewChat, NewChatMessage, NewMessage, Store, StoreError,
    TokenHash,
};

use crate::T0;

fn n() -> u64 {
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn new_chat(lang: Lang, now: Timestamp) -> NewChat {
    NewChat {
        requester: EmailAddress::parse("chat@example.com").unwrap(),
        category: Category::Other,
        subject: Redacted::clean("Chat"),
        priority: Priority::Normal,
        lang,
        access_token: TokenHash(format!(
            "{:032x}{:032x}",
            n(),
            u128::from(std::process::id()) + 13
        )),
        first_response_due: None,
        resolution_due: None,
        now,
    }
}

fn msg(
    ticket: domain::TicketId,
    author: Author,
    sender: ChatSender,
    text: &str,
    client_id: Option<&str>,
    now: Timestamp,
) -> NewChatMessage {
    NewChatMessage {
        message: NewMessage {
            ticket_id: ticket,
            author,
            kind: MessageKind::Public,
            body: Redacted::clean(text),
            secrets_removed: 0,
            now,
        },
        client_id: client_id.map(str::to_owned),
        sender,
        cards: "[]".into(),
    }
}

/// A chat is a ticket with channel chat and no message; the same client id twice stores one
/// message and answers the first; another conversation may use the same client id.
pub async fn chat_messages_dedup_by_client_id(store: Arc<dyn Store>) {
    let chat = store.create_chat(new_chat(Lang::ZhCn, T0)).await.unwrap();
    assert_eq!(chat.channel, Channel::Chat);
    assert_eq!(store.ticket(chat.id).await.unwrap().channel, Channel::Chat);
    assert!(store.chat_messages(chat.id, None).await.unwrap().is_empty());
    let c = store.conversation(chat.id).await.unwrap();
    assert_eq!(c.state, ChatState::Assistant);

    let (first, fresh) = store
        .append_chat_message(msg(
            chat.id,
            Author::User,
            ChatSender::User,
            "hello",
            Some("c1"),
            T0,
        ))
        .await
        .unwrap();
    assert!(fresh);
    let (again, fresh) = store
        .append_chat_message(msg(
            chat.id,
            Author::User,
            ChatSender::User,
            "hello again",
            Some("c1"),
            T0,
        ))
        .await
        .unwrap();
    assert!(!fresh, "a resend is not stored again");
    assert_eq!(again.id, first.id);
    assert_eq!(again.body.as_str(), "hello", "the first text stands");
    let (answer, _) = store
        .append_chat_message(msg(
            chat.id,
            Author::System,
            ChatSender::Assistant,
            "an answer",
            None,
            T0,
        ))
        .await
        .unwrap();
    let all = store.chat_messages(chat.id, None).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].client_id.as_deref(), Some("c1"));
    assert_eq!(all[1].sender, ChatSender::Assistant);
    let after = store.chat_messages(chat.id, Some(first.id)).await.unwrap();
    assert_eq!(
        after.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![answer.id]
    );

    let other = store.create_chat(new_chat(Lang::En, T0)).await.unwrap();
    let (o, fresh) = store
        .append_chat_message(msg(
            other.id,
            Author::User,
            ChatSender::User,
            "hi",
            Some("c1"),
            T0,
        ))
        .await
        .unwrap();
    assert!(fresh, "client ids are per conversation");
    assert_ne!(o.id, first.id);
}

/// Queue, accept by one agent only, read state for the other side's messages, end.
pub async fn chat_queue_accept_and_read(store: Arc<dyn Store>) {
    let agent = |name: &str| NewAgent {
        email: EmailAddress::parse(&format!("{name}{}@example.com", n())).unwrap(),
        name: Redacted::clean(name),
        role: Role::Agent,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        lang: Lang::En,
    };
    let a = store.create_agent(agent("chat-a"), T0).await.unwrap();
    let b = store.create_agent(agent("chat-b"), T0).await.unwrap();
    let chat = store.create_chat(new_chat(Lang::En, T0)).await.unwrap();
    let q = store.queue_chat(chat.id, T0.plus_minutes(1)).await.unwrap();
    assert_eq!(q.state, ChatState::Queued);
    let q2 = store.queue_chat(chat.id, T0.plus_minutes(2)).await.unwrap();
    assert_eq!(
        q2.queued_at,
        Some(T0.plus_minutes(1)),
        "queued again keeps its place"
    );
    assert!(
        store
            .chat_queue()
            .await
            .unwrap()
            .iter()
            .any(|c| c.ticket_id == chat.id)
    );

    let taken = store
        .accept_chat(chat.id, a.id, T0.plus_minutes(3))
        .await
        .unwrap();
    assert_eq!((taken.state, taken.agent), (ChatState::Agent, Some(a.id)));
    assert!(matches!(
        store.accept_chat(chat.id, b.id, T0.plus_minutes(3)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.ticket(chat.id).await.unwrap().assignee, Some(a.id));
    assert!(
        !store
            .chat_queue()
            .await
            .unwrap()
            .iter()
            .any(|c| c.ticket_id == chat.id)
    );
    assert!(matches!(
        store.queue_chat(chat.id, T0.plus_minutes(4)).await,
        Err(StoreError::Conflict(_))
    ));

    let (u, _) = store
        .append_chat_message(msg(
            chat.id,
            Author::User,
            ChatSender::User,
            "hi",
            Some("u1"),
            T0,
        ))
        .await
        .unwrap();
    let (g, _) = store
        .append_chat_message(msg(
            chat.id,
            Author::Agent(a.id),
            ChatSender::Agent,
            "hello",
            Some("a1"),
            T0,
        ))
        .await
        .unwrap();
    // The user reads the agent's message; their own stays unread by the agent.
    assert_eq!(
        store
            .mark_chat_messages(chat.id, ChatSender::User, g.id, true, at(5))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .mark_chat_messages(chat.id, ChatSender::User, g.id, true, at(6))
            .await
            .unwrap(),
        0
    );
    let all = store.chat_messages(chat.id, None).await.unwrap();
    let by = |id| all.iter().find(|m| m.id == id).unwrap();
    assert_eq!(by(g.id).read_at, Some(at(5)));
    assert_eq!(by(u.id).read_at, None);
    assert_eq!(
        store
            .mark_chat_messages(chat.id, ChatSender::Agent, u.id, false, at(7))
            .await
            .unwrap(),
        1
    );
    let all = store.chat_messages(chat.id, None).await.unwrap();
    let u2 = all.iter().find(|m| m.id == u.id).unwrap();
    assert_eq!((u2.delivered_at, u2.read_at), (Some(at(7)), None));

    let ended = store.end_chat(chat.id, at(8)).await.unwrap();
    assert_eq!(ended.state, ChatState::Ended);
    assert!(matches!(
        store.conversation(domain::TicketId(i64::MAX)).await,
        Err(StoreError::NotFound)
    ));
}

fn at(minutes: i64) -> Timestamp {
    T0.plus_minutes(minutes)
}

/// A screenshot uploaded to a chat goes on one message of that chat, once: not on another
/// chat's message, not twice (migration-free: `attachments.message_id`).
pub async fn chat_attachment_goes_on_one_message(store: Arc<dyn Store>) {
    let chat = store.create_chat(new_chat(Lang::En, T0)).await.unwrap();
    let other = store.create_chat(new_chat(Lang::En, T0)).await.unwrap();
    let upload = |ticket| store::NewAttachment {
        ticket_id: ticket,
        message_id: None,
        filename: "shot.png".into(),
        content_type: "image/png".into(),
        size: 10,
        sha256: "ab".repeat(32),
        now: T0,
    };
    let a = store.add_attachment(upload(chat.id)).await.unwrap();
    let (m, _) = store
        .append_chat_message(msg(
            chat.id,
            Author::User,
            ChatSender::User,
            "",
            Some("s1"),
            T0,
        ))
        .await
        .unwrap();
    let (theirs, _) = store
        .append_chat_message(msg(
            other.id,
            Author::User,
            ChatSender::User,
            "x",
            Some("s1"),
            T0,
        ))
        .await
        .unwrap();
    // Another chat's message, or this upload named from the other chat: nothing changes.
    assert!(matches!(
        store.attach_to_chat_message(chat.id, a.id, theirs.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .attach_to_chat_message(other.id, a.id, theirs.id)
            .await,
        Err(StoreError::NotFound)
    ));
    let linked = store
        .attach_to_chat_message(chat.id, a.id, m.id)
        .await
        .unwrap();
    assert_eq!(linked.message_id, Some(m.id));
    assert_eq!(store.attachment(a.id).await.unwrap().message_id, Some(m.id));
    // Once only.
    assert!(matches!(
        store.attach_to_chat_message(chat.id, a.id, m.id).await,
        Err(StoreError::NotFound)
    ));
}
