# chat (zh-CN): strings for the chat part of the desk.

## chat core (issue 11): ticket channels, the chat protocol's texts, /chat page.
chat.channel.web = 网页表单
chat.channel.email = 电子邮件
chat.channel.chat = 在线聊天
chat.channel.api = API
