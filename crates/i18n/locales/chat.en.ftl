# chat (en): strings for the chat part of the desk.

## chat core (issue 11): ticket channels, the chat protocol's texts, /chat page.
chat.channel.web = Web form
chat.channel.email = E-mail
chat.channel.chat = Chat
chat.channel.api = API
chat.subject = Live chat
chat.secret_removed = We removed what looks like a recovery phrase or private key from your message before saving or showing it to anyone. Treat it as exposed: create a new wallet with a new recovery phrase now and move your funds to it. Nobody from support will ever ask for it.
chat.offer_person = If this does not help, choose “Talk to a person”.
chat.nobody_online = No agent is online right now, so nobody can answer this chat at the moment. You can leave your e-mail address: the conversation then continues as a ticket and we reply by e-mail. Or keep this page open and wait.
chat.queued = You are in the queue for a person. Expected wait: about {minutes} min.
chat.continued_as_ticket = Thank you. This conversation continues as a ticket: we will reply by e-mail, and this page keeps the whole conversation.
