//! Chat events to the user sockets they concern, and no others.
//!
//! Every chat socket used to subscribe to the node's event bus (`AppState::events`), so each
//! event — any ticket's, any chat's — woke every open socket only to be filtered out: work in
//! proportion to the open sockets for every event. With 4,000 idle chats open, starting one
//! more chat woke 4,000 tasks; 1,000 chats talking woke each user socket ~700 times a second
//! for other people's messages (bench/chat-load, docs/BENCHMARKS.md "Live chat").
//!
//! A user's socket hears one conversation. One task per node ([`Fanout`], started with the
//! first user socket) takes the bus and hands each chat event to that conversation's sockets
//! only, through a bounded queue per socket ([`QUEUE`]); a socket that let it fill, or a
//! dispatcher that fell behind the bus, is told [`Next::Missed`] (the protocol's
//! `sync_needed`). Agents' sockets stay on the bus ([`Source::Bus`]) and keep the chat events
//! of the chats they watch (`conn.rs`, `Watching`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use domain::TicketId;
use tokio::sync::{broadcast, mpsc};

use crate::Event;

/// Events waiting for one user socket; past this, it is told to `sync` instead.
const QUEUE: usize = 64;

/// What a socket's source gives next.
#[derive(Debug)]
pub(crate) enum Next {
    Event(Event),
    /// Events were dropped for this socket: it must `sync`.
    Missed,
    /// The node is shutting down.
    Closed,
}

#[derive(Debug)]
enum Item {
    Event(Event),
    Missed,
}

#[derive(Debug)]
struct Sub {
    id: u64,
    tx: mpsc::Sender<Item>,
    missed: Arc<AtomicBool>,
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    by_chat: HashMap<TicketId, Vec<Sub>>,
}

/// The user sockets of this node by conversation (`chat::Hub::fanout`).
#[derive(Debug, Default)]
pub(crate) struct Fanout {
    table: Arc<Mutex<Table>>,
    started: AtomicBool,
}

/// The chat an event is about, for the events a user's socket turns into frames.
fn chat_of(e: &Event) -> Option<TicketId> {
    match e {
        Event::ChatMessage { ticket, .. }
        | Event::ChatTyping { ticket, .. }
        | Event::ChatDelivered { ticket, .. }
        | Event::ChatRead { ticket, .. }
        | Event::ChatAccepted { ticket, .. }
        | Event::ChatEnded { ticket, .. } => Some(*ticket),
        _ => None,
    }
}

async fn dispatch(mut bus: broadcast::Receiver<Event>, table: Arc<Mutex<Table>>) {
    loop {
        match bus.recv().await {
            Ok(e) => {
                let Some(chat) = chat_of(&e) else { continue };
                let t = table.lock().unwrap_or_else(PoisonError::into_inner);
                for s in t.by_chat.get(&chat).into_iter().flatten() {
                    if let Err(mpsc::error::TrySendError::Full(_)) =
                        s.tx.try_send(Item::Event(e.clone()))
                    {
                        s.missed.store(true, Ordering::Release);
                    }
                }
            }
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "chat fan-out fell behind the event bus");
                let t = table.lock().unwrap_or_else(PoisonError::into_inner);
                for s in t.by_chat.values().flatten() {
                    s.missed.store(true, Ordering::Release);
                    let _ = s.tx.try_send(Item::Missed);
                }
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
}

impl Fanout {
    /// The events of `chat` from now on. Subscribe before reading what the socket's `hello`
    /// reports, as with the bus: an event published before is in what `hello` read.
    pub(crate) fn subscribe(&self, bus: &broadcast::Sender<Event>, chat: TicketId) -> Subscription {
        if !self.started.swap(true, Ordering::AcqRel) {
            tokio::spawn(dispatch(bus.subscribe(), Arc::clone(&self.table)));
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        let missed = Arc::new(AtomicBool::new(false));
        let mut t = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        t.next_id += 1;
        let id = t.next_id;
        t.by_chat.entry(chat).or_default().push(Sub {
            id,
            tx,
            missed: Arc::clone(&missed),
        });
        Subscription {
            rx,
            missed,
            chat,
            id,
            table: Arc::clone(&self.table),
        }
    }

    /// User sockets subscribed on this node.
    pub(crate) fn sockets(&self) -> usize {
        let t = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        t.by_chat.values().map(Vec::len).sum()
    }
}

/// One user socket's events; unsubscribes when dropped.
#[derive(Debug)]
pub(crate) struct Subscription {
    rx: mpsc::Receiver<Item>,
    missed: Arc<AtomicBool>,
    chat: TicketId,
    id: u64,
    table: Arc<Mutex<Table>>,
}

impl Subscription {
    /// The next event (cancel-safe: nothing is taken until it is returned).
    pub(crate) async fn recv(&mut self) -> Next {
        if self.missed.swap(false, Ordering::AcqRel) {
            return Next::Missed;
        }
        match self.rx.recv().await {
            Some(Item::Event(e)) => Next::Event(e),
            Some(Item::Missed) => {
                self.missed.store(false, Ordering::Release);
                Next::Missed
            }
            None => Next::Closed,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut t = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(subs) = t.by_chat.get_mut(&self.chat) {
            subs.retain(|s| s.id != self.id);
            if subs.is_empty() {
                t.by_chat.remove(&self.chat);
            }
        }
    }
}

/// Where a socket's events come from: its conversation's (a user) or the whole bus (an agent).
#[derive(Debug)]
pub(crate) enum Source {
    Chat(Subscription),
    Bus(broadcast::Receiver<Event>),
}

impl Source {
    /// The next event (cancel-safe).
    pub(crate) async fn recv(&mut self) -> Next {
        match self {
            Source::Chat(s) => s.recv().await,
            Source::Bus(rx) => match rx.recv().await {
                Ok(e) => Next::Event(e),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::info!(missed = n, "chat socket fell behind the event bus");
                    Next::Missed
                }
                Err(broadcast::error::RecvError::Closed) => Next::Closed,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typing(ticket: i64) -> Event {
        Event::ChatTyping {
            ticket: TicketId(ticket),
            sender: store::ChatSender::Agent,
            typing: true,
        }
    }

    async fn next_event(s: &mut Subscription) -> Next {
        tokio::time::timeout(std::time::Duration::from_secs(10), s.recv())
            .await
            .expect("an event within the wait")
    }

    #[tokio::test]
    async fn a_socket_hears_its_own_chat_only_and_unsubscribes_when_dropped() {
        let (bus, _) = broadcast::channel(16);
        let f = Fanout::default();
        let mut one = f.subscribe(&bus, TicketId(1));
        let mut also_one = f.subscribe(&bus, TicketId(1));
        let two = f.subscribe(&bus, TicketId(2));
        assert_eq!(f.sockets(), 3);
        bus.send(Event::TicketCreated {
            ticket: TicketId(1),
        })
        .unwrap();
        bus.send(typing(2)).unwrap();
        bus.send(typing(1)).unwrap();
        // Not the ticket event, not chat 2's typing: chat 1's typing, on both of its sockets.
        for s in [&mut one, &mut also_one] {
            match next_event(s).await {
                Next::Event(e) => assert_eq!(e, typing(1)),
                other => panic!("{other:?}"),
            }
        }
        drop(two);
        assert_eq!(f.sockets(), 2);
        drop(one);
        drop(also_one);
        assert_eq!(f.sockets(), 0);
    }

    #[tokio::test]
    async fn a_socket_that_does_not_keep_up_is_told_to_sync() {
        let (bus, _) = broadcast::channel(1024);
        let f = Fanout::default();
        let mut slow = f.subscribe(&bus, TicketId(7));
        for _ in 0..QUEUE + 5 {
            bus.send(typing(7)).unwrap();
        }
        // At most the queue's worth arrives before the note that more was dropped.
        let mut events = 0;
        loop {
            match next_event(&mut slow).await {
                Next::Event(_) => events += 1,
                Next::Missed => break,
                Next::Closed => panic!("closed"),
            }
        }
        assert!(events <= QUEUE, "{events}");
    }
}
