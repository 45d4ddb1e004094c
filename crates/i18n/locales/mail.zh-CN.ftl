# 邮件：主题、正文，以及每封邮件都带的几行（客服台发出的邮件）。

# --- notify：防钓鱼码、“我的工单”、通知、登录邮件（issue 10）---
mail.never_ask = {brand} 客服绝不会索要您的助记词或私钥，无论通过邮件还是其他任何方式。任何索要者都是骗子。
mail.code.show = 您的防钓鱼码：{code}
mail.code.explain = 我们发出的邮件总会显示您的防钓鱼码；没有它的邮件不是我们发的。
mail.code_confirm.subject = 请确认您的防钓鱼码
mail.code_confirm.set = 有人（希望是您本人）在您的工单页面上为此邮箱设置了防钓鱼码。请打开下面的链接确认；确认之前不会有任何变化：
mail.code_confirm.remove = 有人（希望是您本人）在您的工单页面上申请删除此邮箱的防钓鱼码。请打开下面的链接确认；确认之前不会有任何变化：
mail.code_confirm.ignore = 如果不是您本人操作，请忽略此邮件。该链接只能使用一次，24 小时内有效。
mail.my_tickets.subject = 您在 {brand} 的未关闭工单
mail.my_tickets.lead = 您申请了未关闭工单的链接。每个链接打开一个工单：请勿分享给他人。
mail.my_tickets.ignore = 如果您没有申请此邮件，可以忽略它；没有任何改动。
mail.reply.lead = 我们的客服回复了您的工单：
mail.reply.link = 打开工单即可查看完整对话并回复：
mail.assigned.subject = 分配给您：{subject}
mail.assigned.lead = 有一个工单分配给了您：
mail.user_reply.subject = 新回复：{subject}
mail.user_reply.lead = 用户在分配给您的工单上回复了：
mail.agent.settings = 您可以在邮件设置中关闭这类邮件：{url}
mail.sign_in.subject = 您的 {brand} 登录链接
mail.sign_in.lead = 打开此链接即可登录。只能使用一次，{minutes} 分钟内有效：
mail.sign_in.ignore = 如果不是您申请的，请忽略此邮件：没有您的邮箱就无法使用该链接，您的密码也仍然有效。
mail.new_device.subject = 您的 {brand} 账号有新的登录
mail.new_device.lead = 您的账号从一个从未使用过的浏览器登录（来自 {ip}）。
mail.new_device.if_not = 如果不是您本人，请修改密码，并在安全页面上退出其他会话：{url}
