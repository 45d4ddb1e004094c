# chat (zh-CN): strings for the chat part of the desk.
