# 邮件：主题、正文，以及每封邮件都带的几行（客服台发出的邮件）。

# --- 收信（issue 10「In」：crates/server/src/mail/inbound.rs）---
mail.in.secret.subject = 我们已从您的邮件中删除了助记词或私钥
mail.in.secret.body = 您的邮件中含有疑似助记词或私钥的内容。我们在保存邮件之前已将其删除：客服人员看不到它，我们也永远不需要它。但请仍然把它视为已泄露，因为它经过了邮件服务器。请在可信的设备上创建一个使用新助记词的新钱包，尽快把资产转入新钱包，并且不要把助记词或私钥发给任何人。客服绝不会向您索要这些信息。
mail.in.no_subject = （无主题）
mail.in.no_text = （邮件没有正文）
mail.in.note.refused = 附件未保存：{name}（{type}）。只保存 PNG、JPEG 和 WebP 截图；请让用户描述内容或发送截图。
mail.in.note.image = 图片未保存：{name}（{why}）。
mail.in.note.too_many = 邮件附带的图片超过 5 张，只保存了前 5 张。
mail.in.note.quota = 该工单的截图配额已满，邮件中的图片未保存。
mail.in.note.problem = 邮件未能完整读取（{what}）；上面的正文是能读出的部分。
mail.in.note.cut = 邮件正文超过单条消息的长度上限，已被截断。
mail.in.note.bounce = 发往 {address} 的邮件无法投递（{status}）：用户可能收不到我们的回复。请核对地址。
