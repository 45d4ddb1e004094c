mod ident;
mod keys;
