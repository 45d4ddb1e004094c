# chat (en): strings for the chat part of the desk.

## chat core (issue 11): ticket channels, the chat protocol's texts, /chat page.
chat.channel.web = Web form
chat.channel.email = E-mail
chat.channel.chat = Chat
chat.channel.api = API
