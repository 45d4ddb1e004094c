//! Canned replies: their variables are filled in on the server when an agent picks one.

/// The values a canned reply may use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CannedVars<'a> {
    pub requester_email: &'a str,
    pub ticket_id: &'a str,
    pub agent_name: &'a str,
    pub subject: &'a str,
}

/// `body` with `{{requester_email}}`, `{{ticket_id}}`, `{{agent_name}}` and `{{subject}}`
/// replaced (spaces inside the braces allowed). Other `{{…}}` stay as written, so a typo is
/// visible to the agent before sending. Values are inserted once: a value that itself contains
/// `{{ticket_id}}` is not expanded again.
pub(crate) fn fill_canned(body: &str, vars: CannedVars<'_>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let value = match after[..end].trim() {
            "requester_email" => Some(vars.requester_email),
            "ticket_id" => Some(vars.ticket_id),
            "agent_name" => Some(vars.agent_name),
            "subject" => Some(vars.subject),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: CannedVars<'static> = CannedVars {
        requester_email: "li@example.com",
        ticket_id: "42",
        agent_name: "王芳",
        subject: "转账失败 {{ticket_id}}",
    };

    #[test]
    fn fills_every_variable_once() {
        let body = "您好 {{requester_email}}，工单 #{{ ticket_id }}（{{subject}}）由 {{agent_name}} 处理。";
        assert_eq!(
            fill_canned(body, VARS),
            "您好 li@example.com，工单 #42（转账失败 {{ticket_id}}）由 王芳 处理。"
        );
    }

    #[test]
    fn leaves_unknown_and_unclosed_braces() {
        assert_eq!(fill_canned("{{name}} hi", VARS), "{{name}} hi");
        assert_eq!(fill_canned("#{{ticket_id", VARS), "#{{ticket_id");
        assert_eq!(fill_canned("no variables", VARS), "no variables");
        assert_eq!(fill_canned("{{ticket_id}}{{ticket_id}}", VARS), "4242");
    }
}
