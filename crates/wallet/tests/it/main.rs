mod ident;
