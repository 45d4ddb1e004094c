# Mail: subjects, bodies and the lines every mail carries (the desk's outbound mail).

# --- Inbound mail (issue 10 "In": crates/server/src/mail/inbound.rs) ---
mail-in-secret-subject = We removed a recovery phrase or private key from your mail
mail-in-secret-body = Your mail contained what looks like a recovery phrase (mnemonic) or a private key. We removed it before your message was stored: nobody at support can see it, and we never need it. Treat it as exposed all the same: it travelled through mail servers. Create a new wallet with a new phrase on a device you trust, move your funds to it as soon as you can, and never send the phrase or key to anyone. Support never asks for them.
mail-in-no_subject = (no subject)
mail-in-no_text = (the mail had no text)
mail-in-note-refused = Attachment not kept: { $name } ({ $type }). Only PNG, JPEG and WebP screenshots are kept; ask the user to describe it or send a screenshot.
mail-in-note-image = Image not kept: { $name } ({ $why }).
mail-in-note-too_many = More than 5 images came with the mail; only the first 5 were kept.
mail-in-note-quota = The ticket's screenshot quota is full; the mail's images were not kept.
mail-in-note-problem = The mail could not be read completely ({ $what }); the text above is what could be read.
mail-in-note-cut = The mail's text was longer than a message may be and was cut.
mail-in-note-bounce = Mail to { $address } could not be delivered ({ $status }): the requester may not receive our replies. Check the address.
# --- notify: the anti-phishing code, "my tickets", notifications, sign-in mails (issue 10) ---
mail-code_confirm-subject = Confirm your anti-phishing code
mail-code_confirm-set = On one of your ticket pages, someone (we hope you) chose an anti-phishing code for this address. Open this link to confirm it; until then nothing changes:
mail-code_confirm-remove = On one of your ticket pages, someone (we hope you) asked to remove the anti-phishing code of this address. Open this link to confirm it; until then nothing changes:
mail-code_confirm-ignore = If it was not you, ignore this mail. The link works once, for 24 hours.
mail-my_tickets-subject = Your open tickets at { $brand }
mail-my_tickets-lead = You asked for links to your open tickets. Each link opens one ticket: keep them private.
mail-my_tickets-ignore = If you did not ask for this mail, you can ignore it; nothing was changed.
mail-reply-lead = Our support team replied to your ticket:
mail-reply-link = Open your ticket to read the whole conversation and to answer:
mail-assigned-subject = Assigned to you: { $subject }
mail-assigned-lead = A ticket was assigned to you:
mail-user_reply-subject = New reply: { $subject }
mail-user_reply-lead = The user replied on a ticket assigned to you:
mail-agent-settings = You can turn these mails off in your mail settings: { $url }
mail-sign_in-subject = Your sign-in link for { $brand }
mail-sign_in-lead = Open this link to sign in. It works once, for { $minutes } minutes:
mail-sign_in-ignore = If you did not ask for it, ignore this mail: nobody can use it without access to your mailbox, and your password still works.
mail-new_device-subject = New sign-in to your { $brand } account
mail-new_device-lead = Your account signed in from a browser it had not used before (from { $ip }).
mail-new_device-if_not = If it was not you, change your password and sign out your other sessions on your security page: { $url }
# --- out: SMTP delivery of the outbox (crates/mail/src/outbound.rs, server/src/mail/outbox.rs) ---
mail-security = { $brand } support will never ask for your recovery phrase, private key or password, by mail or anywhere else. Anyone who does is a scammer.
mail-code-line = Your anti-phishing code: { $code } — mail from us always shows it; a mail without it is not from us.
mail-test-subject = Test mail from { $brand }
mail-test-body = This is a test mail from the support desk. If you can read it, outgoing mail works.
# --- end out ---
# --- mail: Authentication-Results of the trusted MTA ([mail] trusted_authserv_id), as a note for agents ---
mail-in-note-auth = Sender checks by { $server }: SPF { $spf }, DKIM { $dkim }, DMARC { $dmarc }.
mail-in-note-dmarc_fail = Warning: the sender address { $from } failed DMARC — this mail may be forged. Do not trust that it comes from that address.
# --- end mail: Authentication-Results ---
