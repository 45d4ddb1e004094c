# chain (zh-CN): strings for the chain part of the desk.
