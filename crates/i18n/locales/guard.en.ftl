# English. Keys must match guard.zh-CN.ftl. The warning shown in the page, before anything is
# sent, when a box holds what looks like a recovery phrase or private key (static/secret-guard.js).
guard-phrase = This looks like a recovery phrase (seed words).
guard-key = This looks like a private key.
guard-body = Do not send it to anyone, not even to us: whoever has it can take your funds. Nothing has been sent yet; it is only on this page. Remove it, and describe your problem in your own words.
guard-remove = Remove it from the text
