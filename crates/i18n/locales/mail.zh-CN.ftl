# 邮件：主题、正文，以及每封邮件都带的几行（客服台发出的邮件）。

# --- 收信（issue 10「In」：crates/server/src/mail/inbound.rs）---
mail-in-secret-subject = 我们已从您的邮件中删除了助记词或私钥
mail-in-secret-body = 您的邮件中含有疑似助记词或私钥的内容。我们在保存邮件之前已将其删除：客服人员看不到它，我们也永远不需要它。但请仍然把它视为已泄露，因为它经过了邮件服务器。请在可信的设备上创建一个使用新助记词的新钱包，尽快把资产转入新钱包，并且不要把助记词或私钥发给任何人。客服绝不会向您索要这些信息。
mail-in-no_subject = （无主题）
mail-in-no_text = （邮件没有正文）
mail-in-note-refused = 附件未保存：{ $name }（{ $type }）。只保存 PNG、JPEG 和 WebP 截图；请让用户描述内容或发送截图。
mail-in-note-image = 图片未保存：{ $name }（{ $why }）。
mail-in-note-too_many = 邮件附带的图片超过 5 张，只保存了前 5 张。
mail-in-note-quota = 该工单的截图配额已满，邮件中的图片未保存。
mail-in-note-problem = 邮件未能完整读取（{ $what }）；上面的正文是能读出的部分。
mail-in-note-cut = 邮件正文超过单条消息的长度上限，已被截断。
mail-in-note-bounce = 发往 { $address } 的邮件无法投递（{ $status }）：用户可能收不到我们的回复。请核对地址。
# --- notify：防钓鱼码、“我的工单”、通知、登录邮件（issue 10）---
mail-code_confirm-subject = 请确认您的防钓鱼码
mail-code_confirm-set = 有人（希望是您本人）在您的工单页面上为此邮箱设置了防钓鱼码。请打开下面的链接确认；确认之前不会有任何变化：
mail-code_confirm-remove = 有人（希望是您本人）在您的工单页面上申请删除此邮箱的防钓鱼码。请打开下面的链接确认；确认之前不会有任何变化：
mail-code_confirm-ignore = 如果不是您本人操作，请忽略此邮件。该链接只能使用一次，24 小时内有效。
mail-my_tickets-subject = 您在 { $brand } 的未关闭工单
mail-my_tickets-lead = 您申请了未关闭工单的链接。每个链接打开一个工单：请勿分享给他人。
mail-my_tickets-ignore = 如果您没有申请此邮件，可以忽略它；没有任何改动。
mail-reply-lead = 我们的客服回复了您的工单：
mail-reply-link = 打开工单即可查看完整对话并回复：
mail-assigned-subject = 分配给您：{ $subject }
mail-assigned-lead = 有一个工单分配给了您：
mail-user_reply-subject = 新回复：{ $subject }
mail-user_reply-lead = 用户在分配给您的工单上回复了：
mail-agent-settings = 您可以在邮件设置中关闭这类邮件：{ $url }
mail-sign_in-subject = 您的 { $brand } 登录链接
mail-sign_in-lead = 打开此链接即可登录。只能使用一次，{ $minutes } 分钟内有效：
mail-sign_in-ignore = 如果不是您申请的，请忽略此邮件：没有您的邮箱就无法使用该链接，您的密码也仍然有效。
mail-new_device-subject = 您的 { $brand } 账号有新的登录
mail-new_device-lead = 您的账号从一个从未使用过的浏览器登录（来自 { $ip }）。
mail-new_device-if_not = 如果不是您本人，请修改密码，并在安全页面上退出其他会话：{ $url }
# --- out：发件箱的 SMTP 投递（crates/mail/src/outbound.rs、server/src/mail/outbox.rs） ---
mail-security = { $brand } 客服绝不会通过邮件或任何其他方式索要您的助记词、私钥或密码。索要这些信息的都是骗子。
mail-code-line = 您的防钓鱼码：{ $code } —— 我们发出的邮件总会显示它；没有它的邮件不是我们发的。
mail-test-subject = 来自 { $brand } 的测试邮件
mail-test-body = 这是客服台发出的测试邮件。能读到它，说明发信正常。
# --- end out ---
# --- mail: Authentication-Results of the trusted MTA ([mail] trusted_authserv_id), as a note for agents ---
mail-in-note-auth = { $server } 的发件人检查：SPF { $spf }，DKIM { $dkim }，DMARC { $dmarc }。
mail-in-note-dmarc_fail = 警告：发件地址 { $from } 未通过 DMARC 验证，这封邮件可能是伪造的。不要相信它来自该地址。
# --- end mail: Authentication-Results ---
