//! Every area trait of the store, for one glob import: `use store::prelude::*;`.
//!
//! Calling a store method needs its trait in scope unless the receiver is `dyn Store` (whose
//! supertraits' methods are its own). Code that holds a backend's type itself (a benchmark, a
//! backend's tests, the shared SQL) imports this rather than a list that changes whenever an
//! area is added.

pub use crate::{
    AgentStore, AuditStore, AuthStore, ChatStore, CsatStore, DeskStore, HelpStore,
    IdempotencyStore, MailInStore, NotifyStore, OutboxStore, OwnershipStore, SessionStore,
    SettingsStore, Store, TicketStore,
};
