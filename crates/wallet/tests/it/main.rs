mod check;
mod ident;
mod keys;
mod redact_cases;
mod redact_layouts;
mod redact_props;
mod zh_prose;
