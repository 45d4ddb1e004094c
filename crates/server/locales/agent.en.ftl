# English, the agent side. Keys must match agent.zh-CN.ftl.
agent.sign_in.title = Agent sign-in
agent.sign_in.email = E-mail address
agent.sign_in.password = Password
agent.sign_in.submit = Sign in
agent.sign_in.failed = Wrong e-mail address or password.
agent.sign_in.rate_limited = Too many sign-in attempts. Wait {wait}, then try again.

agent.inbox.title = Inbox
agent.inbox.views = Views
agent.inbox.search = Search
agent.inbox.any = Any
agent.inbox.any_of = {field}: any
agent.inbox.filter = Apply
agent.inbox.total = {n} tickets
agent.inbox.select = Select
agent.inbox.empty = No tickets here.
agent.inbox.pages = Pages
agent.inbox.prev = Previous
agent.inbox.next = Next

agent.view.unassigned = Unassigned
agent.view.mine = Mine
agent.view.urgent = Urgent
agent.view.secret_exposed = Secret exposed
agent.view.sla = SLA at risk
agent.view.all = All open

agent.col.subject = Subject
agent.col.requester = Requester
agent.col.category = Category
agent.col.status = Status
agent.col.priority = Priority
agent.col.assignee = Assignee
agent.col.sla = SLA
agent.col.updated = Updated

agent.status.new = New
agent.status.open = Open
agent.status.waiting_on_user = Waiting on user
agent.status.solved = Solved
agent.status.closed = Closed

agent.badge.secret_exposed = Secret exposed

agent.sla.ok = On track
agent.sla.near_breach = Due soon
agent.sla.breached = Breached
agent.sla.met = Met

agent.bulk.title = With the ticked tickets
agent.bulk.assign_me = Assign to me
agent.bulk.set_status = Set status
agent.bulk.set_priority = Set priority

agent.ticket.conversation = Conversation
agent.ticket.agent = Agent
agent.ticket.system = Walletdesk
agent.ticket.nobody = Nobody
agent.ticket.note_badge = Internal note
agent.ticket.secrets_removed = Secret removed
agent.ticket.secret_title = The user exposed a secret
agent.ticket.secret_body = A recovery phrase or private key was removed from what the user sent. Treat the wallet as compromised: tell the user to move their funds to a new wallet now, and never ask them to send it again.
agent.ticket.merged_into = This ticket was merged into
agent.ticket.canned = Canned reply
agent.ticket.canned_choose = Choose…
agent.ticket.canned_insert = Insert
agent.ticket.write = Reply or note
agent.ticket.send_reply = Send reply to user
agent.ticket.add_note = Add internal note
agent.ticket.device_os = Device and system
agent.ticket.sla = SLA
agent.ticket.first_response = First response
agent.ticket.resolution = Resolution
agent.ticket.tags = Tags (comma-separated)
agent.ticket.save = Save
agent.ticket.merge_into = Merge into ticket number
agent.ticket.merge = Merge

agent.mail.reply_lead = Our support team replied to your ticket:
agent.mail.reply_how = To answer, open the link from your first e-mail about this ticket. We will never ask for your recovery phrase or private key.
agent.ticket.copy = Copy
agent.ticket.copied = Copied
agent.ticket.explorer = Open in explorer
agent.ticket.canned_other_lang = Other languages
agent.ticket.canned_failed = The canned reply could not be loaded. Your draft is unchanged.

agent.ticket.rating = User's rating
agent.ticket.rating_score = {n} of 5
agent.presence.also_here = Also viewing this ticket: {names}. Check before you reply, so the user does not get two answers.
agent.presence.viewing = {names} viewing
agent.link.title = Sign in with a one-time link
agent.link.intro = This link signs you in once. Press the button to continue; then set a password for the next time.
agent.link.submit = Sign in
agent.link.not_you = If you did not expect this link, close this page: nothing happens until the button is pressed.
agent.password.title = Your password
agent.password.after_link = You signed in with a one-time link. Set a password now, for the next time you sign in.
agent.password.current = Current password
agent.password.new = New password
agent.password.hint = At least 10 characters. A few unrelated words are easy to remember and hard to guess.
agent.password.confirm = New password again
agent.password.submit = Save password
agent.password.later = Later: go to the inbox
agent.password.error.current = The current password is not right.
agent.password.error.length = The new password needs 10 to 1024 characters.
agent.password.error.confirm = The two new passwords are not the same.
nav.password = Password
