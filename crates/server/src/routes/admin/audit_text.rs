//! The audit log in the reader's language. Entries are stored as the desk wrote them: an action
//! code (`sign_in.failed`) and a detail in a fixed English form ("wrong code; from 203.0.113.7",
//! "status=open, priority=high", a policy as JSON). The log is a record and stays as written;
//! this page reads it back in words: the action's label, and the detail cut into its parts
//! ("; ", ", "), each part matched against the forms the desk writes ([`SEGMENTS`], `key=value`)
//! and said in the page's language, with what it carries (an address, a number, a name) as it
//! is. A part that matches nothing, and a JSON record, are shown as recorded.

use crate::i18n::Tr;

/// The English forms of detail parts the desk writes (`{}` holds a value kept as it is, or
/// translated when it is a known word such as a role or a status), and the key of their
/// translation (`audit.detail.<key>`, arguments `a` and `b`).
const SEGMENTS: &[(&str, &str)] = &[
    ("link", "link"),
    ("password", "password"),
    ("authenticator code", "authenticator_code"),
    ("recovery code", "recovery_code"),
    ("passkey", "passkey"),
    ("wrong code", "wrong_code"),
    ("authenticator set up", "authenticator_set_up"),
    ("authenticator removed", "authenticator_removed"),
    ("new recovery codes", "new_recovery_codes"),
    ("password set", "password_set"),
    ("granted", "granted"),
    ("revoked", "revoked"),
    ("assigned to the author", "assigned_to_author"),
    ("assigned to self", "assigned_to_self"),
    ("chat accepted", "chat_accepted"),
    ("accepted", "accepted"),
    ("chat offer declined", "chat_offer_declined"),
    ("declined", "declined"),
    ("chat converted to a follow-up ticket", "chat_follow_up"),
    ("chat ended and solved", "chat_solved"),
    ("solved", "solved"),
    ("chat offered by routing", "chat_offered"),
    ("chat offer expired unanswered", "chat_offer_expired"),
    ("confirmed by the mailed link", "confirmed_by_link"),
    ("a secret was removed from a user message", "secret_removed"),
    (
        "wrong e-mail, password, or inactive agent",
        "wrong_credentials",
    ),
    ("from {}", "from"),
    ("role {}", "role"),
    ("message {}", "message"),
    ("via {}", "via"),
    ("to agent {}", "to_agent"),
    ("{} other sessions", "other_sessions"),
    ("passkey refused: {}", "passkey_refused"),
    ("passkey {}", "passkey_named"),
    ("sessions ended: {}", "sessions_ended"),
    ("authenticator app: {}", "authenticator_app"),
    ("passkeys: {}", "passkeys"),
    ("merged into {}", "merged_into"),
    ("{} mail", "mails"),
    ("address {}", "address"),
    ("method {}", "method"),
    ("challenge {}", "challenge"),
    ("mailed: {}", "mailed"),
    ("bulk: {}", "bulk"),
    ("{} -> {}", "changed"),
];

/// The label of an action code: its translation, or the code itself for an action this page
/// does not know yet.
pub(crate) fn action(t: &Tr<'_>, code: &str) -> String {
    t.try_get(&format!("audit.action.{code}"))
        .unwrap_or_else(|| code.to_owned())
}

/// The detail in the page's language (see the module's comment).
pub(crate) fn detail(t: &Tr<'_>, detail: &str) -> String {
    let d = detail.trim();
    if d.is_empty() || d.starts_with('{') || d.starts_with('[') {
        return d.to_owned();
    }
    d.split("; ")
        .map(|clause| {
            // A clause that is one known form (some hold a comma) reads whole; else its
            // comma-separated parts (`status=open, priority=high`) one by one.
            known(t, clause).unwrap_or_else(|| {
                clause
                    .split(", ")
                    .map(|part| known(t, part).unwrap_or_else(|| part.to_owned()))
                    .collect::<Vec<_>>()
                    .join(t.list_sep())
            })
        })
        .collect::<Vec<_>>()
        .join(if t.is_zh() { "；" } else { "; " })
}

/// One part in words when it is a known form or a known `key=value`.
fn known(t: &Tr<'_>, part: &str) -> Option<String> {
    for (form, key) in SEGMENTS {
        if let Some(holes) = holes(form, part) {
            let values: Vec<String> = holes
                .iter()
                .map(|v| {
                    // `bulk: status=open` reads its inner part the same way.
                    match *key {
                        "bulk" => known(t, v).unwrap_or_else(|| (*v).to_owned()),
                        "role" | "changed" => value(t, v, &["admin.role"]),
                        _ => value(t, v, &["audit.value"]),
                    }
                })
                .collect();
            let args: Vec<(&str, &str)> = ["a", "b"]
                .into_iter()
                .zip(values.iter().map(String::as_str))
                .collect();
            return Some(t.i18n.format(t.lang, &format!("audit.detail.{key}"), &args));
        }
    }
    // A value is a word only under the key it belongs to: `tags=urgent` is a tag.
    if let Some((k, v)) = part.split_once('=')
        && !k.is_empty()
        && !v.contains(", ")
        && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && let Some(label) = t.try_get(&format!("audit.key.{k}"))
    {
        let words: &[&str] = match k {
            "status" => &["status"],
            "priority" => &["priority"],
            "tags" => &[],
            _ => &["audit.value"],
        };
        return Some(format!("{label}{}{}", t.colon(), value(t, v, words)));
    }
    None
}

/// A value in a part, in words when it is one of the words under `prefixes` (a role, a
/// status, a priority, a channel, yes/no); anything else (an address, a number, a name, a
/// tag) as it is.
fn value(t: &Tr<'_>, v: &str, prefixes: &[&str]) -> String {
    let v = v.trim();
    let word = !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    prefixes
        .iter()
        .filter(|_| word)
        .find_map(|prefix| t.try_get(&format!("{prefix}.{v}")))
        .unwrap_or_else(|| v.to_owned())
}

/// The values in `part` for the holes of `form`, when `part` has that form.
fn holes<'p>(form: &str, part: &'p str) -> Option<Vec<&'p str>> {
    let pieces: Vec<&str> = form.split("{}").collect();
    let mut rest = part.strip_prefix(pieces[0])?;
    let mut out = Vec::new();
    for (i, literal) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let end = if last {
            if literal.is_empty() {
                rest.len()
            } else {
                rest.strip_suffix(literal).map(str::len)?
            }
        } else {
            rest.find(literal)?
        };
        let hole = &rest[..end];
        if hole.is_empty() {
            return None;
        }
        out.push(hole);
        rest = &rest[end + literal.len()..];
    }
    (pieces.len() == 1 && rest.is_empty() || pieces.len() > 1).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Lang;

    fn tr(i18n: &i18n::I18n, lang: Lang) -> Tr<'_> {
        Tr { i18n, lang }
    }

    #[test]
    fn forms_match_whole_parts_only() {
        assert_eq!(holes("link", "link"), Some(vec![]));
        assert_eq!(holes("link", "linked"), None);
        assert_eq!(holes("from {}", "from 10.0.0.1"), Some(vec!["10.0.0.1"]));
        assert_eq!(
            holes("{} -> {}", "admin -> agent"),
            Some(vec!["admin", "agent"])
        );
        assert_eq!(holes("{} mail", "3 mail"), Some(vec!["3"]));
        assert_eq!(holes("{} mail", " mail"), None);
        assert_eq!(holes("passkey {}", "passkey"), None);
    }

    #[test]
    fn every_form_and_action_reads_in_both_languages() {
        let i18n = i18n::I18n::default();
        for (_, key) in SEGMENTS {
            assert!(i18n.has(&format!("audit.detail.{key}")), "{key}");
        }
        for code in ACTIONS {
            assert!(i18n.has(&format!("audit.action.{code}")), "{code}");
        }
    }

    /// The details the desk writes today, read in Chinese: no English word is left, only the
    /// values they carry (addresses, numbers, names).
    #[test]
    fn recorded_details_read_in_chinese() {
        let i18n = i18n::I18n::default();
        let zh = tr(&i18n, Lang::ZhCn);
        for (stored, expect) in [
            ("link", "登录链接"),
            ("password; from 203.0.113.7", "密码；来自 203.0.113.7"),
            ("role admin", "角色：管理员"),
            ("admin -> agent", "管理员 → 客服"),
            (
                "message 19; secrets_removed=0; via page; assigned to the author",
                "消息 19；删除的密钥数：0；渠道：网页；已分配给回复者",
            ),
            (
                "status=open, priority=high, assignee=-, tags=",
                "状态：处理中、优先级：高、负责人：-、标签：",
            ),
            ("bulk: status=solved", "批量：状态：已解决"),
            (
                "authenticator app: removed; passkeys: 2; sessions ended: 3",
                "身份验证器：已移除；通行密钥：2；结束的会话：3",
            ),
            (
                "wrong e-mail, password, or inactive agent; from 10.0.0.1",
                "邮箱或密码错误，或客服已停用；来自 10.0.0.1",
            ),
        ] {
            assert_eq!(detail(&zh, stored), expect, "{stored}");
        }
        // A tag that happens to be a priority's name stays a tag.
        assert_eq!(detail(&zh, "tags=urgent"), "标签：urgent");
        // Unknown parts and JSON records stay as written.
        assert_eq!(detail(&zh, r#"{"status":"open"}"#), r#"{"status":"open"}"#);
        assert_eq!(detail(&zh, "something new"), "something new");
        let en = tr(&i18n, Lang::En);
        assert_eq!(
            detail(&en, "role admin; from 10.0.0.1"),
            "role: Administrator; from 10.0.0.1"
        );
        assert_eq!(action(&zh, "sign_in.failed"), "登录失败");
        assert_eq!(action(&zh, "no.such_action"), "no.such_action");
    }

    /// Every action code the desk records (kept here so that a new one fails
    /// [`every_form_and_action_reads_in_both_languages`] until it has a label).
    const ACTIONS: &[&str] = &[
        "agent.create",
        "agent.deactivate",
        "agent.factors_reset",
        "agent.password",
        "agent.publish",
        "agent.role",
        "agent.signed_out",
        "api_token.create",
        "api_token.revoke",
        "brand.channels",
        "brand.update",
        "canned.create",
        "canned.delete",
        "canned.update",
        "chat.office_hours.update",
        "desk.accept",
        "desk.assign",
        "desk.decline",
        "desk.follow_up",
        "desk.limits",
        "desk.offer_expired",
        "desk.offered",
        "desk.solve",
        "desk.transfer",
        "mail.retry",
        "mail_code.removed",
        "mail_code.set",
        "security.passkey_added",
        "security.passkey_cloned",
        "security.passkey_removed",
        "security.policy",
        "security.recovery_codes",
        "security.session_revoked",
        "security.sessions_revoked",
        "security.totp_off",
        "security.totp_on",
        "sign_in",
        "sign_in.failed",
        "sign_in.link_requested",
        "sign_in.new_device",
        "sign_in.second_factor",
        "sign_in.second_factor_failed",
        "sign_out",
        "sla.update",
        "ticket.address_proved",
        "ticket.note",
        "ticket.reply",
        "ticket.secret_exposed",
        "ticket.update",
    ];
}
