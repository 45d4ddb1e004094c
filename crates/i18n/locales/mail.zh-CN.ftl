# 邮件：主题、正文，以及每封邮件都带的几行（客服台发出的邮件）。

# --- out：发件箱的 SMTP 投递（crates/mail/src/outbound.rs、server/src/mail/outbox.rs） ---
mail.security = {brand} 客服绝不会通过邮件或任何其他方式索要您的助记词、私钥或密码。索要这些信息的都是骗子。
mail.code.line = 您的防钓鱼码：{code} —— 我们发出的邮件总会显示它；没有它的邮件不是我们发的。
mail.test.subject = 来自 {brand} 的测试邮件
mail.test.body = 这是客服台发出的测试邮件。能读到它，说明发信正常。
# --- end out ---
