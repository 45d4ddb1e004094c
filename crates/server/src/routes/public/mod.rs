//! Pages for wallet users: no account, no password. A ticket is reached by its access link.

pub(crate) mod home;
pub(crate) mod mail_code;
pub(crate) mod my_tickets;
pub(crate) mod new_ticket;
pub(crate) mod ticket;
pub(crate) mod verify;
