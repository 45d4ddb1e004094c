# chat (en): strings for the chat part of the desk.

## chat core (issue 11): ticket channels, the chat protocol's texts, /chat page.
chat-channel-web = Web form
chat-channel-email = E-mail
chat-channel-chat = Chat
chat-channel-api = API
chat-subject = Live chat
chat-secret_removed = We removed what looks like a recovery phrase or private key from your message before saving or showing it to anyone. Treat it as exposed: create a new wallet with a new recovery phrase now and move your funds to it. Nobody from support will ever ask for it.
chat-offer_person = If this does not help, choose “Talk to a person”.
chat-nobody_online = No agent is online right now, so nobody can answer this chat at the moment. You can leave your e-mail address: the conversation then continues as a ticket and we reply by e-mail. Or keep this page open and wait.
chat-queued = You are in the queue for a person. Expected wait: about { $minutes } min.
chat-continued_as_ticket = Thank you. This conversation continues as a ticket: we will reply by e-mail, and this page keeps the whole conversation.
chat-launcher = Chat with us
chat-page-title = Live chat
chat-page-connecting = Connecting…
chat-page-actions = Chat actions
chat-page-handoff = Talk to a person
chat-page-end = End chat
chat-page-noscript = The live chat needs JavaScript. You can write to us with the form instead:
chat-page-log = Conversation
chat-page-rate = How did we do? Rate this chat from 1 (bad) to 5 (great):
chat-page-score = Rate { $score } of 5
chat-page-email = No one can answer right now. Your e-mail address, for our reply:
chat-page-email_send = Continue by e-mail
chat-page-input = Type your message
chat-page-send = Send
chat-page-js-sender-user = You
chat-page-js-sender-agent = Agent
chat-page-js-sender-assistant = Assistant
chat-page-js-sender-system = Notice
chat-page-js-state-sending = Sending…
chat-page-js-state-sent = Sent
chat-page-js-state-read = Read
chat-page-js-state-failed = Not sent
chat-page-js-status-connecting = Connecting…
chat-page-js-status-offline = Offline. Reconnecting… Your messages are kept and sent when the connection is back.
chat-page-js-status-failed = The chat could not start. Try again later, or use the contact form.
chat-page-js-status-assistant = The assistant answers first. Choose “Talk to a person” at any time.
chat-page-js-status-queued = Waiting for a person: you are number { $position } in the queue.
chat-page-js-status-nobody = No agent is online right now.
chat-page-js-status-agent = { $name } is chatting with you.
chat-page-js-status-ended = The chat has ended.
chat-page-js-status-ticket = This conversation continues as a ticket; we will reply by e-mail.
chat-page-js-typing = Typing…
chat-page-js-rated = Thank you for your rating.
## chatuser (issue 11, the user's side): screenshots in chat, office hours, the /chat page.
chat-out_of_hours = People answer this chat { $hours }. It is outside those hours now; they are back on { $opens }. The assistant can still help you here. If you choose “Talk to a person”, you can leave your e-mail address: the conversation then continues as a ticket and we reply by e-mail.
chat-out_of_hours_never = People are not answering this chat at the moment ({ $hours }). The assistant can still help you here, and you can leave your e-mail address: the conversation then continues as a ticket and we reply by e-mail.
chat-out_of_hours_handoff = Nobody can take this chat now: it is outside our office hours ({ $hours }), and people are back on { $opens }. Leave your e-mail address below and the conversation continues as a ticket: we reply by e-mail. Until then the assistant keeps answering here.
chat-page-attach = Attach a screenshot
chat-page-attach_hint = PNG, JPEG or WebP, up to 10 MB. Location and camera details are removed before it is saved.
chat-page-js-status-out_of_hours = Outside office hours: the assistant answers now, and you can leave your e-mail address for a reply.
chat-page-js-status-nobody_wait = No agent is online right now. You can keep this page open and wait, or leave your e-mail address below.
chat-page-js-uploading = Sending screenshot…
chat-page-js-upload_failed = The screenshot was not sent:
chat-page-js-screenshot = Screenshot
chat-page-js-open_screenshot = Open screenshot { $name }
admin-office_hours-title = Chat office hours
admin-office_hours-lead = When people answer the live chat. Outside these hours the chat says so and when people are back, the assistant still answers, and users can leave an e-mail address to continue as a ticket. Without office hours, the chat counts as staffed at any time.
admin-office_hours-link = Set the chat's office hours
admin-office_hours-enabled = Keep office hours for the chat
admin-office_hours-now_open = The chat is inside its office hours now.
admin-office_hours-now_closed = The chat is outside its office hours now; they begin again on { $opens }.
admin-office_hours-never = The chat is outside its office hours now.

# deskchat: an agent turned the chat into a follow-up ticket
chat-follow_up = An agent will continue this conversation as a ticket. The answer will appear on this page (keep its link), and by e-mail if you gave an address.
