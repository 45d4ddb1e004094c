# chat (zh-CN): strings for the chat part of the desk.

## chat core (issue 11): ticket channels, the chat protocol's texts, /chat page.
chat.channel.web = 网页表单
chat.channel.email = 电子邮件
chat.channel.chat = 在线聊天
chat.channel.api = API
chat.subject = 在线客服
chat.secret_removed = 您的消息中有看起来像助记词或私钥的内容，我们在保存或向任何人显示之前已将其删除。请视其为已泄露：立即创建一个使用新助记词的新钱包，并把资产转入其中。客服人员绝不会向您索要它。
chat.offer_person = 如果这没有帮到您，请选择“转人工客服”。
chat.nobody_online = 目前没有客服在线，暂时无人能回复此对话。您可以留下电子邮件地址：对话将转为工单，我们会通过邮件回复您。您也可以保持此页面打开并等待。
chat.queued = 您正在排队等待人工客服，预计等待约 {minutes} 分钟。
chat.continued_as_ticket = 谢谢。此对话已转为工单：我们会通过邮件回复您，此页面会保留完整的对话记录。
