//! HTML pages, one module per resource.

pub(crate) mod admin;
pub(crate) mod agent;
pub(crate) mod chat_page;
pub(crate) mod health;
pub(crate) mod help;
pub(crate) mod mail;
pub(crate) mod mail_form;
pub(crate) mod public;
pub(crate) mod statics;
