# 表单不重复提交、不走进死胡同：提交后跳转页面上的提示（`?done=`）、带下一步的错误页、
# 以及表单错误摘要。集中放在这里，便于合并。

done-replied = 您的回复已发送。
done-replied_secret = 您的回复已发送，其中的敏感信息已被我们删除。
done-solved = 已标记为已解决。如果问题再次出现，请回复，我们会重新处理。
done-rated = 感谢您的评分。
done-agent_replied = 回复已发送给用户。
done-note = 已添加内部备注。
done-updated = 工单已更新。
done-merged = 工单已合并。
done-bulk = 所选工单已更新。

created-notice_title = 工单已创建——请保存此链接
created-notice_body = 本页地址就是您的专属工单链接。请立即收藏或复制。任何拿到链接的人都能查看此工单，请勿分享。

problem-next = 您可以这样做
problem-kept = 您输入的内容（离开本页前请复制保存）
problem-not_found-detail = 请检查网址，或从帮助中心重新开始。
problem-csrf-detail = 请返回并刷新页面，然后重新提交表单。如您输入过内容，已保留在本页下方。
problem-rate_limited-title = 尝试次数过多
problem-rate_limited-wait = 请等待 { $wait }后再试。
problem-ticket_link-title = 此工单链接无效
problem-ticket_link-detail = 链接可能不完整：请从您联系我们时收到的邮件（或当时看到的页面）中复制完整链接。链接不会发给其他任何人，我们无法替您查找；如果找不到，请新建工单。
problem-sign_in_link-title = 此登录链接已被使用或已过期
problem-sign_in_link-detail = 登录链接只能使用一次，有效期 7 天。请用邮箱和密码登录，或请本服务台的管理员重新发送链接。

next-home = 返回首页
next-help = 搜索帮助中心
next-new_ticket = 新建工单
next-sign_in = 使用密码登录

form-error-reply = 您的回复未发送。
form-rate_limited = 短时间内从这里提交的工单过多。请等待 { $wait }后再提交：您输入的内容都保留在下方。

# The API's Idempotency-Key errors (crate::idempotency).
error-idempotency_key_reused = 此 Idempotency-Key 已用于另一个请求。请使用新的键重新发送。
error-idempotency_key_in_flight = 使用此 Idempotency-Key 的第一个请求仍在处理中。请稍后再试。
error-idempotency_key_invalid = Idempotency-Key 须为 1 到 255 个可见 ASCII 字符。
done-article_saved = 文章已保存。
done-article_published = 已发布：读者可以打开，搜索也能找到。
done-article_unpublished = 已取消发布：读者不再能看到。
done-article_restored = 已恢复到较早的版本。
done-link_signed_in = 您已登录。
done-password_set = 密码已保存。
done-signed_in = 您已登录。
done-totp_begun = 请用身份验证器应用扫描下方二维码。
done-totp_on = 身份验证器应用已开启。请妥善保存恢复码。
done-totp_off = 身份验证器应用已关闭。
done-codes_made = 已生成新的恢复码，旧恢复码已失效。
done-session_revoked = 该会话已退出登录。
done-sessions_revoked = 您的其他所有会话已退出登录。

# --- notify：邮件表单提交后的提示（issue 10）---
done-mail_code_sent = 我们已向工单的邮箱发送确认链接。打开链接后防钓鱼码才会生效。
done-mail_code_remove_sent = 我们已向工单的邮箱发送确认链接。打开链接后防钓鱼码才会删除。
done-my_tickets_sent = 如果这个邮箱在我们这里有未关闭的工单，附有工单链接的邮件正在发送中。请查看收件箱和垃圾邮件文件夹。
done-mail_settings_saved = 您的邮件设置已保存。
done-sign_in_link_sent = 如果这个邮箱属于某位客服，登录链接正在发送中。可在 15 分钟内使用一次。
## 通行密钥（issue 9 §2）
done-passkey_begun = 现在在这台设备上创建通行密钥。
done-passkey_added = 通行密钥已添加。从现在起可以用它登录。
done-passkey_removed = 通行密钥已移除。
# --- out：页面上关于邮件的说法，无论本客服台是否发信都属实 ---
created-notice_mailed = 我们也会把它发送到您的邮箱。
created-notice_not_mailed = 本客服台不发送邮件：链接只在本页显示，请现在保存。
problem-ticket_link-detail_no_mail = 链接可能不完整：请从您联系我们时看到的页面中复制完整链接。链接不会发给其他任何人，我们无法替您查找；如果找不到，请新建工单。
# --- end out ---
# A form whose answer is a mail, on a desk without [mail] (web::mail_done).
done-mail_off = 本客服台尚未开通邮件发送，因此没有发出邮件；开通后才会发出。在此之前，请通过您的工单页面联系客服，或请管理员协助。
