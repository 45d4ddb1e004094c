# Forms that never duplicate and never dead-end: notices after post/redirect/get (`?done=`),
# error pages with a next step, and form error summaries. Kept together for easy merges.

done-replied = Your reply was sent.
done-replied_secret = Your reply was sent, without the secret we removed from it.
done-solved = Marked as solved. If the problem comes back, write a reply and we will reopen it.
done-rated = Thank you for your rating.
done-agent_replied = Reply sent to the requester.
done-note = Internal note added.
done-updated = Ticket updated.
done-merged = Tickets merged.
done-bulk = The selected tickets were updated.

created-notice_title = Ticket created — keep this link
created-notice_body = This page's address is your private ticket link. Bookmark it or copy it now. Anyone with the link can read this ticket, so do not share it.

problem-next = What you can do
problem-kept = What you typed (copy it before you leave this page)
problem-not_found-detail = Check the address, or start again from the help center.
problem-csrf-detail = Go back, reload the page and send the form again. What you typed is kept on this page below when there was any.
problem-rate_limited-title = Too many attempts
problem-rate_limited-wait = Wait { $wait }, then try again.
problem-ticket_link-title = This ticket link does not work
problem-ticket_link-detail = The link may be cut short: copy the whole link from the e-mail we sent when you wrote to us, or from the page you saw then. A link is never sent to anyone else, so we cannot look it up for you; if you cannot find it, open a new ticket.
problem-sign_in_link-title = This sign-in link was already used or has expired
problem-sign_in_link-detail = A sign-in link works once, for 7 days. Sign in with your e-mail and password, or ask an admin of this desk for a new link.

next-home = Back to the start page
next-help = Search the help center
next-new_ticket = Open a new ticket
next-sign_in = Sign in with your password

form-error-reply = Your reply was not sent.
form-rate_limited = Too many tickets from here in a short time. Wait { $wait }, then send the form again: everything you typed is still below.

# The API's Idempotency-Key errors (crate::idempotency).
error-idempotency_key_reused = This Idempotency-Key was already used for a different request. Send the request with a new key.
error-idempotency_key_in_flight = The first request with this Idempotency-Key is still being answered. Try again in a moment.
error-idempotency_key_invalid = An Idempotency-Key is 1 to 255 visible ASCII characters.
done-article_saved = Article saved.
done-article_published = Published: readers can open it and search finds it.
done-article_unpublished = Unpublished: readers no longer see it.
done-article_restored = The earlier version was restored.
done-link_signed_in = You are signed in.
done-password_set = Your password was saved.
done-signed_in = You are signed in.
done-totp_begun = Scan the code below with your authenticator app.
done-totp_on = The authenticator app is on. Keep your recovery codes safe.
done-totp_off = The authenticator app is off.
done-codes_made = New recovery codes were made; the old ones no longer work.
done-session_revoked = That session was signed out.
done-sessions_revoked = All your other sessions were signed out.

# --- notify: notices after the mail forms (issue 10) ---
done-mail_code_sent = We mailed a confirmation link to your ticket's address. Your code takes effect when you open it.
done-mail_code_remove_sent = We mailed a confirmation link to your ticket's address. Your code is removed when you open it.
done-my_tickets_sent = If this address has open tickets with us, a mail with their links is on its way. Check your inbox and spam folder.
done-mail_settings_saved = Your mail settings were saved.
done-sign_in_link_sent = If this address belongs to an agent, a sign-in link is on its way. It works once, within 15 minutes.
## Passkeys (issue 9 §2)
done-passkey_begun = Now create the passkey on this device.
done-passkey_added = The passkey was added. You can sign in with it from now on.
done-passkey_removed = The passkey was removed.
# --- out: what the pages say about mail, true whether or not this desk sends mail ---
created-notice_mailed = We are also sending it to your e-mail address.
created-notice_not_mailed = This desk does not send e-mail: this page is the only place the link is shown, so save it now.
problem-ticket_link-detail_no_mail = The link may be cut short: copy the whole link from the page you saw when you wrote to us. A link is never sent to anyone else, so we cannot look it up for you; if you cannot find it, open a new ticket.
# --- end out ---
# A form whose answer is a mail, on a desk without [mail] (web::mail_done).
done-mail_off = This desk does not send e-mail yet, so no mail went out; it will go once the desk is set up to send mail. Until then, use your ticket page to reach support, or ask an admin.
