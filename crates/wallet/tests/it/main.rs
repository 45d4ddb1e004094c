mod check;
mod ident;
mod keys;
mod redact_props;
