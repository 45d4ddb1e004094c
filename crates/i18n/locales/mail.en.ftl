# Mail: subjects, bodies and the lines every mail carries (the desk's outbound mail).

# --- Inbound mail (issue 10 "In": crates/server/src/mail/inbound.rs) ---
mail.in.secret.subject = We removed a recovery phrase or private key from your mail
mail.in.secret.body = Your mail contained what looks like a recovery phrase (mnemonic) or a private key. We removed it before your message was stored: nobody at support can see it, and we never need it. Treat it as exposed all the same: it travelled through mail servers. Create a new wallet with a new phrase on a device you trust, move your funds to it as soon as you can, and never send the phrase or key to anyone. Support never asks for them.
mail.in.no_subject = (no subject)
mail.in.no_text = (the mail had no text)
mail.in.note.refused = Attachment not kept: {name} ({type}). Only PNG, JPEG and WebP screenshots are kept; ask the user to describe it or send a screenshot.
mail.in.note.image = Image not kept: {name} ({why}).
mail.in.note.too_many = More than 5 images came with the mail; only the first 5 were kept.
mail.in.note.quota = The ticket's screenshot quota is full; the mail's images were not kept.
mail.in.note.problem = The mail could not be read completely ({what}); the text above is what could be read.
mail.in.note.cut = The mail's text was longer than a message may be and was cut.
mail.in.note.bounce = Mail to {address} could not be delivered ({status}): the requester may not receive our replies. Check the address.
