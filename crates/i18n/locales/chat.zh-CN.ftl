# chat (zh-CN): strings for the chat part of the desk.

## chat core (issue 11): ticket channels, the chat protocol's texts, /chat page.
chat-channel-web = 网页表单
chat-channel-email = 电子邮件
chat-channel-chat = 在线聊天
chat-channel-api = API
chat-subject = 在线客服
chat-secret_removed = 您的消息中有看起来像助记词或私钥的内容，我们在保存或向任何人显示之前已将其删除。请视其为已泄露：立即创建一个使用新助记词的新钱包，并把资产转入其中。客服人员绝不会向您索要它。
chat-offer_person = 如果这没有帮到您，请选择“转人工客服”。
chat-nobody_online = 目前没有客服在线，暂时无人能回复此对话。您可以留下电子邮件地址：对话将转为工单，我们会通过邮件回复您。您也可以保持此页面打开并等待。
chat-queued = 您正在排队等待人工客服，预计等待约 { $minutes } 分钟。
chat-continued_as_ticket = 谢谢。此对话已转为工单：我们会通过邮件回复您，此页面会保留完整的对话记录。
chat-launcher = 在线客服
chat-page-title = 在线客服
chat-page-connecting = 正在连接…
chat-page-actions = 对话操作
chat-page-handoff = 转人工客服
chat-page-end = 结束对话
chat-page-noscript = 在线客服需要 JavaScript。您也可以通过表单联系我们：
chat-page-log = 对话记录
chat-page-rate = 您对本次服务满意吗？请从 1（很差）到 5（很好）评分：
chat-page-score = 评 { $score } 分（满分 5 分）
chat-page-email = 目前无人能回复。请留下您的电子邮件地址，以便我们回复：
chat-page-email_send = 通过邮件继续
chat-page-input = 输入您的消息
chat-page-send = 发送
chat-page-js-sender-user = 您
chat-page-js-sender-agent = 客服
chat-page-js-sender-assistant = 智能助手
chat-page-js-sender-system = 提示
chat-page-js-state-sending = 发送中…
chat-page-js-state-sent = 已发送
chat-page-js-state-read = 已读
chat-page-js-state-failed = 未发送
chat-page-js-status-connecting = 正在连接…
chat-page-js-status-offline = 已离线，正在重新连接… 您的消息已保存，连接恢复后会自动发送。
chat-page-js-status-failed = 无法开始对话。请稍后再试，或使用联系表单。
chat-page-js-status-assistant = 智能助手会先回答您。您随时可以选择“转人工客服”。
chat-page-js-status-queued = 正在等待人工客服：您排在第 { $position } 位。
chat-page-js-status-nobody = 目前没有客服在线。
chat-page-js-status-agent = { $name } 正在为您服务。
chat-page-js-status-ended = 对话已结束。
chat-page-js-status-ticket = 此对话已转为工单，我们会通过邮件回复您。
chat-page-js-typing = 对方正在输入…
chat-page-js-rated = 感谢您的评分。
## chatuser (issue 11, the user's side): screenshots in chat, office hours, the /chat page.
chat-out_of_hours = 人工客服的在线时间为 { $hours }。现在不在此时间内，人工客服将于 { $opens } 回来。智能助手仍可在这里为您解答。如选择“转人工客服”，您可以留下电子邮箱：对话将转为工单，我们会通过电子邮件回复。
chat-out_of_hours_never = 人工客服目前不在线（{ $hours }）。智能助手仍可在这里为您解答；您也可以留下电子邮箱：对话将转为工单，我们会通过电子邮件回复。
chat-out_of_hours_handoff = 现在无人可以接入此对话：当前不在人工客服在线时间内（{ $hours }），人工客服将于 { $opens } 回来。请在下方留下电子邮箱，对话将转为工单，我们会通过电子邮件回复。在此之前，智能助手会继续在这里解答。
chat-page-attach = 添加截图
chat-page-attach_hint = 支持 PNG、JPEG 或 WebP，最大 10 MB。保存前会删除位置和相机信息。
chat-page-js-status-out_of_hours = 当前不在人工客服在线时间：智能助手为您解答，您也可以留下电子邮箱等待回复。
chat-page-js-status-nobody_wait = 目前没有客服在线。您可以保持此页面打开等待，或在下方留下电子邮箱。
chat-page-js-uploading = 正在发送截图…
chat-page-js-upload_failed = 截图未发送：
chat-page-js-screenshot = 截图
chat-page-js-open_screenshot = 打开截图 { $name }
admin-office_hours-title = 在线客服工作时间
admin-office_hours-lead = 人工客服接待在线对话的时间。在此时间之外，对话会如实告知用户并说明何时恢复，智能助手仍会解答，用户可以留下电子邮箱转为工单。未设置工作时间时，视为随时有人接待。
admin-office_hours-link = 设置在线客服工作时间
admin-office_hours-enabled = 为在线对话设置工作时间
admin-office_hours-now_open = 现在处于在线客服工作时间内。
admin-office_hours-now_closed = 现在不在在线客服工作时间内；将于 { $opens } 恢复。
admin-office_hours-never = 现在不在在线客服工作时间内。

# deskchat: an agent turned the chat into a follow-up ticket
chat-follow_up = 客服将以工单形式继续处理此对话。回复会显示在此页面（请保存其链接），如果您留下了电子邮件地址，也会通过邮件通知您。
