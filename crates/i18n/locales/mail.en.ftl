# Mail: subjects, bodies and the lines every mail carries (the desk's outbound mail).

# --- out: SMTP delivery of the outbox (crates/mail/src/outbound.rs, server/src/mail/outbox.rs) ---
mail.security = {brand} support will never ask for your recovery phrase, private key or password, by mail or anywhere else. Anyone who does is a scammer.
mail.code.line = Your anti-phishing code: {code} — mail from us always shows it; a mail without it is not from us.
mail.test.subject = Test mail from {brand}
mail.test.body = This is a test mail from the support desk. If you can read it, outgoing mail works.
# --- end out ---
