# English. Keys must match admin.zh-CN.ftl.
error-forbidden = You are not allowed to open this page. Ask an administrator.
admin-nav = Administration
admin-api_docs = API documentation
admin-save = Save
admin-saved = Saved.
admin-role-admin = Administrator
admin-role-agent = Agent

admin-overview-title = Overview
admin-overview-open = Open tickets
admin-overview-unassigned = Unassigned
admin-overview-urgent = Urgent
admin-overview-secret_exposed = Secret exposed
admin-overview-sla_at_risk = SLA at risk
admin-overview-sla_breached = SLA breached (ever)
admin-overview-agents = Agents
admin-overview-vectors = Assistant's article embeddings
admin-overview-vectors-off = Not configured: keyword retrieval
admin-overview-vectors-running = { $done }/{ $total }, embedding… (keyword retrieval until done)
admin-overview-vectors-ready = { $done }/{ $total }: hybrid retrieval
admin-overview-vectors-failed = { $done }/{ $total }, stopped ({ $error }): keyword retrieval; see the server log
admin-overview-vectors-error-timeout = out of time
admin-overview-vectors-error-unavailable = endpoint unreachable
admin-overview-vectors-error-http_status = endpoint returned an error
admin-overview-vectors-error-malformed = unreadable reply
admin-overview-vectors-error-redaction = text could not be redacted
admin-overview-vectors-error-wrong_dimensions = vectors of the wrong size

admin-agents-title = Agents
admin-agents-name = Name
admin-agents-email = E-mail
admin-agents-role = Role
admin-agents-lang = Language
admin-agents-status = Status
admin-agents-created = Created
admin-agents-actions = Actions
admin-agents-you = you
admin-agents-active = Active
admin-agents-inactive = Deactivated
admin-agents-deactivate = Deactivate
admin-agents-new = New agent
admin-agents-create = Create agent
admin-agents-created-notice = { $name } was created. Send them the sign-in link below.
admin-agents-link_title = One-time sign-in link
admin-agents-link_once = This link is shown only now and works once, for 7 days. Send it to the new agent through a channel you trust.
admin-agents-role_changed = The role was changed.
admin-agents-deactivated = The agent was deactivated.
admin-agents-error-email = Enter a valid e-mail address.
admin-agents-error-name = Enter a name of at most 100 characters.
admin-agents-error-role = Choose a role: administrator, agent or restricted agent.
admin-agents-error-taken = An agent with this e-mail address already exists.
admin-agents-error-self = You cannot deactivate yourself.
admin-agents-error-self_role = You cannot change your own role: ask another administrator to do it.
admin-agents-error-last_admin = The desk needs at least one active administrator.

admin-sla-title = SLA
admin-sla-lead = Targets per priority, in minutes, hours or days. The resolution target must not be shorter than the first-response target.
admin-sla-priority = Priority
admin-sla-first = First response
admin-sla-resolution = Resolution
admin-sla-business_hours = Business hours
admin-sla-bh_enabled = Count only business hours
admin-sla-start = Opens at (HH:MM)
admin-sla-end = Closes at (HH:MM)
admin-sla-day0 = Mon
admin-sla-day1 = Tue
admin-sla-day2 = Wed
admin-sla-day3 = Thu
admin-sla-day4 = Fri
admin-sla-day5 = Sat
admin-sla-day6 = Sun
admin-sla-error-minutes = { $priority }: enter a whole number of minutes, hours or days, from 1 minute up to 366 days.
admin-sla-error-order = { $priority }: the resolution target must be at least the first-response target.
admin-sla-error-hours = Business hours must be HH:MM and open before they close.
admin-sla-error-days = Choose at least one working day.
admin-sla-error-zone = Choose a time zone from the list, for example Asia/Shanghai or Europe/London.
admin-sla-zone = Time zone
admin-sla-zone_hint = Type a city to filter, for example Asia/Shanghai. This zone is { $offset } now; daylight saving is followed.
admin-sla-unit = Unit
admin-sla-unit-minutes = minutes
admin-sla-unit-hours = hours
admin-sla-unit-days = days

admin-canned-title = Canned replies
admin-canned-variables = Variables
admin-canned-variables_lead = These are filled in when an agent uses the reply:
admin-canned-none = No canned replies yet.
admin-canned-new = New canned reply
admin-canned-edit = Edit
admin-canned-delete = Delete
admin-canned-deleted = The canned reply was deleted.
admin-canned-title_field = Title
admin-canned-body = Text
admin-canned-error-title = Enter a title of at most 100 characters.
admin-canned-error-body = Enter a text of at most 10000 characters.

admin-categories-title = Categories
admin-categories-lead = The categories a user chooses from and the fields each asks for. They are part of the desk's rules and cannot be changed here.
admin-categories-category = Category
admin-categories-priority = Starting priority
admin-categories-fields = Fields
admin-categories-required = required

admin-brand-title = Brand
admin-brand-lead = The brand comes from walletdesk.toml. You can override the name, support e-mail and primary colour here.
admin-brand-fictional = The demo brand is fictional. Never present this desk as the support of a wallet you do not run.
admin-brand-name = Name
admin-brand-support_email = Support e-mail
admin-brand-primary_color = Primary colour
admin-brand-overridden = overridden
admin-brand-configured = From the configuration
admin-brand-error-name = Enter a name of at most 60 characters.
admin-brand-error-real_wallet = A demo desk must not use the name of a real wallet.
admin-brand-error-email = Enter a valid e-mail address.
admin-brand-error-colour = Enter a colour as #rrggbb.

admin-audit-title = Audit log
admin-audit-at = Time
admin-audit-actor = Who
admin-audit-action = Action
admin-audit-target = Target
admin-audit-detail = Detail
admin-audit-system = the desk
admin-audit-pages = Pages
admin-audit-page = Page { $n }
admin-audit-newer = Newer
admin-audit-older = Older

admin-tokens-title = API tokens
admin-tokens-lead = Tokens let your scripts use the API as you.
admin-tokens-none = You have no API tokens.
admin-tokens-name = Name
admin-tokens-created_at = Created
admin-tokens-last_used = Last used
admin-tokens-revoke = Revoke
admin-tokens-create = Create token
admin-tokens-created = The token was created.
admin-tokens-revoked = The token was revoked.
admin-tokens-new_title = Your new token
admin-tokens-once = Copy it now: it is shown only once. Send it as Authorization: Bearer <token>.
admin-tokens-error-name = Enter a name of at most 60 characters.

admin-csat-title = Satisfaction
admin-csat-lead = How users rated their solved tickets. Satisfied means a rating of 4 or 5 out of 5.
admin-csat-period = Period
admin-csat-weeks = { $n ->
    [one] Last week
   *[other] Last { $n } weeks
}
admin-csat-show = Show
admin-csat-none = No ratings in this period yet.
admin-csat-satisfied = Satisfied
admin-csat-mean = Average rating
admin-csat-count = Ratings
admin-csat-distribution = Ratings by score
admin-csat-score = Score
admin-csat-score_n = { $n } of 5
admin-csat-per_agent = By agent
admin-csat-agent = Agent
admin-csat-unassigned = Unassigned tickets
admin-csat-by_week = Week by week
admin-csat-week = Week
admin-role-restricted = Restricted agent (notes only)
admin-agents-change_role = Change role
admin-agents-grant_publish = Allow publishing articles
admin-agents-revoke_publish = Stop publishing articles
admin-agents-publishes = may publish help articles
admin-agents-publish_changed = Publishing rights were changed.
admin-agents-error-publish = Choose whether the agent may publish.
admin-security-title = Sign-in policy
admin-security-who = Who must use a second factor (an authenticator app or a passkey) to sign in
admin-security-policy-optional = Nobody must (each agent may turn one on)
admin-security-policy-admins = Administrators must
admin-security-policy-everyone = Everyone must
admin-security-note = Agents who must and have none set one up at their next sign-in. Text-message codes are not offered.
admin-security-error = Choose one of the options.

## Resetting an agent's second factors (issue 9 §2)
admin-agents-reset_factors = Reset sign-in factors
admin-agents-reset_factors_note = Reset sign-in factors (for a lost phone or key): removes the agent's authenticator app, recovery codes and passkeys and signs them out everywhere. Their password stays; if this desk requires a second factor, they set one up at their next sign-in.
admin-agents-factors_reset = The agent's sign-in factors were reset and they were signed out everywhere.
admin-agents-error-reset_self = You cannot reset your own sign-in factors here. Use your security page, or ask another admin.
# --- out: /admin/mail, the outbox's failed mail ---
admin-mail-title = Outgoing mail
admin-mail-off = This desk sends no mail: no [mail] is configured (see README, "Outgoing mail"). Mail is queued and waits.
admin-mail-pending = Waiting to be sent
admin-mail-failed = Failed
admin-mail-none_failed = No mail has failed.
admin-mail-retry_all = Retry all failed mail
admin-mail-retry = Retry
admin-mail-retried = The mail is queued again.
admin-mail-at = Failed at
admin-mail-to = To
admin-mail-kind = Kind
admin-mail-ticket = Ticket
admin-mail-attempts = Tries
admin-mail-error = Server's answer
admin-overview-mail_failed = { $n ->
    [one] { $n } mail could not be sent.
   *[other] { $n } mails could not be sent.
}
# --- end out ---
# --- admin: sign another agent out everywhere ---
admin-agents-sign_out = Sign out everywhere
admin-agents-signed_out = The agent was signed out everywhere; their password and factors stay.
admin-agents-error-sign_out_self = To end your own sessions, use your security page.
