# desk (zh-CN): strings for the desk part of the desk.
