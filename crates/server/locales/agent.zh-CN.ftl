# 简体中文，客服端。键必须与 agent.en.ftl 一致。
agent.sign_in.title = 客服登录
agent.sign_in.email = 电子邮箱
agent.sign_in.password = 密码
agent.sign_in.submit = 登录
agent.sign_in.failed = 邮箱或密码错误。
agent.sign_in.rate_limited = 登录尝试次数过多。请等待 {wait}后再试。

agent.inbox.title = 收件箱
agent.inbox.views = 视图
agent.inbox.search = 搜索
agent.inbox.any = 全部
agent.inbox.any_of = {field}：全部
agent.inbox.filter = 筛选
agent.inbox.total = 共 {n} 个工单
agent.inbox.select = 选择
agent.inbox.empty = 这里没有工单。
agent.inbox.pages = 分页
agent.inbox.prev = 上一页
agent.inbox.next = 下一页

agent.view.unassigned = 未分配
agent.view.mine = 我的
agent.view.urgent = 紧急
agent.view.secret_exposed = 密钥泄露
agent.view.sla = SLA 风险
agent.view.all = 全部未关闭

agent.col.subject = 主题
agent.col.requester = 用户
agent.col.category = 类别
agent.col.status = 状态
agent.col.priority = 优先级
agent.col.assignee = 负责人
agent.col.sla = SLA
agent.col.updated = 更新时间

agent.status.new = 新建
agent.status.open = 处理中
agent.status.waiting_on_user = 等待用户
agent.status.solved = 已解决
agent.status.closed = 已关闭

agent.badge.secret_exposed = 密钥泄露

agent.sla.ok = 正常
agent.sla.near_breach = 即将超时
agent.sla.breached = 已超时
agent.sla.met = 已达成

agent.bulk.title = 对选中的工单
agent.bulk.assign_me = 分配给我
agent.bulk.set_status = 设置状态
agent.bulk.set_priority = 设置优先级

agent.ticket.conversation = 对话
agent.ticket.agent = 客服
agent.ticket.system = Walletdesk
agent.ticket.nobody = 无人
agent.ticket.note_badge = 内部备注
agent.ticket.secrets_removed = 已移除密钥
agent.ticket.secret_title = 用户泄露了密钥
agent.ticket.secret_body = 用户发送的内容中有助记词或私钥，已被移除。请视该钱包为已泄露：告诉用户立即把资产转移到新钱包，且绝不要让用户再次发送。
agent.ticket.merged_into = 此工单已合并到
agent.ticket.canned = 快捷回复
agent.ticket.canned_choose = 请选择…
agent.ticket.canned_insert = 插入
agent.ticket.write = 回复或备注
agent.ticket.send_reply = 回复用户
agent.ticket.add_note = 添加内部备注
agent.ticket.device_os = 设备与系统
agent.ticket.sla = SLA
agent.ticket.first_response = 首次响应
agent.ticket.resolution = 解决
agent.ticket.tags = 标签（用逗号分隔）
agent.ticket.save = 保存
agent.ticket.merge_into = 合并到工单号
agent.ticket.merge = 合并

agent.mail.reply_lead = 我们的客服回复了您的工单：
agent.mail.reply_how = 如需回复，请打开关于此工单的第一封邮件中的链接。我们绝不会索要您的助记词或私钥。
agent.ticket.copy = 复制
agent.ticket.copied = 已复制
agent.ticket.explorer = 在区块浏览器中查看
agent.ticket.canned_other_lang = 其他语言
agent.ticket.canned_failed = 无法载入快捷回复，您的草稿未改动。

agent.ticket.rating = 用户评分
agent.ticket.rating_score = {n} 分（满分 5 分）
agent.presence.also_here = {names} 也在查看此工单。回复前请先确认，以免用户收到两份答复。
agent.presence.viewing = {names} 正在查看
agent.link.title = 使用一次性链接登录
agent.link.intro = 此链接只能登录一次。请点击按钮继续，然后设置密码，供下次登录使用。
agent.link.submit = 登录
agent.link.not_you = 如果你没有预期收到此链接，请关闭本页：不点击按钮就不会发生任何事情。
agent.password.title = 你的密码
agent.password.after_link = 你是通过一次性链接登录的。请现在设置密码，供下次登录使用。
agent.password.current = 当前密码
agent.password.new = 新密码
agent.password.hint = 至少 10 个字符。几个不相关的词语组合起来好记又难猜。
agent.password.confirm = 再次输入新密码
agent.password.submit = 保存密码
agent.password.later = 稍后再设：前往收件箱
agent.password.error.current = 当前密码不正确。
agent.password.error.length = 新密码需要 10 到 1024 个字符。
agent.password.error.confirm = 两次输入的新密码不一致。
nav.password = 密码
