//! Every mail in the language of whoever asked for it (migration 0012_mail_lang): mail about no
//! ticket ("my tickets", an agent's sign-in link) and agents' mail about a user's ticket get
//! their fixed lines — the security line, the anti-phishing code's line — in the page's or the
//! agent's language, not the ticket's or English.

use domain::{EmailAddress, Lang, Role, TicketId};
use server::auth;
use store::{Agent, NewAgent};

use crate::helpers::{PASSWORD, TestApp};
use crate::mail_notify::{render, ticket_for, wait_for};

const SECURITY_ZH: &str = "客服绝不会通过邮件或任何其他方式索要您的助记词";
const SECURITY_EN: &str = "never ask for your recovery phrase";

async fn agent_in(app: &TestApp, email: &str, lang: Lang) -> Agent {
    app.state
        .store
        .create_agent(
            NewAgent {
                email: EmailAddress::parse(email).expect("email"),
                name: domain::Redacted::clean("王"),
                role: Role::Agent,
                password_hash: auth::hash_password(PASSWORD).expect("hash"),
                lang,
            },
            app.state.now(),
        )
        .await
        .expect("create agent")
}

/// Asserts the rendered mail is wholly in `lang`: subject, fixed lines, and not the other.
fn assert_in(lang: Lang, subject: &str, text: &str, want_subject: &str) {
    let (want, not) = match lang {
        Lang::ZhCn => (SECURITY_ZH, SECURITY_EN),
        Lang::En => (SECURITY_EN, SECURITY_ZH),
    };
    assert!(subject.contains(want_subject), "{subject}");
    assert!(text.contains(want), "{lang:?}: {text}");
    assert!(!text.contains(not), "{lang:?}: {text}");
}

#[tokio::test]
async fn my_tickets_mail_is_in_the_language_of_the_page_it_was_asked_from() {
    let app = TestApp::spawn().await;
    // English tickets; the address asks from the Chinese page, another from the English one.
    ticket_for(&app, "lin@example.com", "Swap stuck").await;
    ticket_for(&app, "ann@example.com", "Swap stuck").await;
    for (lang, to, want_subject) in [
        ("zh-CN", "lin@example.com", "未关闭工单"),
        ("en", "ann@example.com", "open tickets"),
    ] {
        let r = app
            .post_form(
                &app.client,
                &format!("/my-tickets?lang={lang}"),
                &[("email", to)],
            )
            .await;
        assert_eq!(r.status(), 303);
        let m = wait_for(&app, "my_tickets", to).await;
        let lang = Lang::parse(lang).expect("lang");
        assert_eq!(m.lang, Some(lang));
        assert_in(lang, &m.subject, &render(&app, &m).await, want_subject);
    }
}

#[tokio::test]
async fn agents_mail_is_in_the_agents_language_whatever_the_tickets() {
    let app = TestApp::spawn().await;
    let zh = agent_in(&app, "wang@desk.example.com", Lang::ZhCn).await;
    // The sign-in link, asked for from the (English) sign-in page: the agent's language.
    let r = app
        .post_form(
            &app.client,
            "/agent/sign-in/mail-link?lang=en",
            &[("email", "wang@desk.example.com")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let m = wait_for(&app, "sign_in_link", zh.email.as_str()).await;
    assert_eq!(m.lang, Some(Lang::ZhCn));
    assert_in(Lang::ZhCn, &m.subject, &render(&app, &m).await, "登录链接");

    // An English user's ticket assigned to a Chinese-reading agent: the mail is the agent's,
    // in Chinese, fixed lines included (the outbox used to take the ticket's language).
    let (id, _) = ticket_for(&app, "ann@example.com", "Swap stuck").await;
    let ticket = app.state.store.ticket(TicketId(id)).await.expect("ticket");
    assert_eq!(ticket.lang, Lang::En);
    server::mail::notify::assigned(&app.state, &ticket, zh.id, None)
        .await
        .expect("queued");
    let m = wait_for(&app, "assigned", zh.email.as_str()).await;
    assert_eq!(m.lang, Some(Lang::ZhCn));
    assert_in(Lang::ZhCn, &m.subject, &render(&app, &m).await, "分配给您");
    let en = agent_in(&app, "ann.agent@desk.example.com", Lang::En).await;
    server::mail::notify::assigned(&app.state, &ticket, en.id, None)
        .await
        .expect("queued");
    let m = wait_for(&app, "assigned", en.email.as_str()).await;
    assert_in(
        Lang::En,
        &m.subject,
        &render(&app, &m).await,
        "Assigned to you",
    );
}
