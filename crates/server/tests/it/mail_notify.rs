//! The mails users and agents ask for or are sent (issue 10, "Out"): the anti-phishing code,
//! "my tickets", notifications and their settings, sign-in links by mail, the new-device mail.
//! Mails are read from the outbox and rendered as the sender will (`mail::render_body`).

use domain::{Role, TicketId};
use store::OutboxMail;

use crate::helpers::{PASSWORD, PHRASE, TestApp};

const CODE: &str = "蓝色海豚42";

/// Every mail in the outbox (sent or not, in order).
async fn outbox(app: &TestApp) -> Vec<OutboxMail> {
    app.state.store.pending_mail(10_000).await.expect("outbox")
}

pub(crate) async fn mails(app: &TestApp, kind: &str, to: &str) -> Vec<OutboxMail> {
    outbox(app)
        .await
        .into_iter()
        .filter(|m| m.kind == kind && m.to.as_str() == to)
        .collect()
}

/// Waits (polling; the mail is written by a background task) for a mail of `kind` to `to`.
pub(crate) async fn wait_for(app: &TestApp, kind: &str, to: &str) -> OutboxMail {
    for _ in 0..200 {
        if let Some(m) = mails(app, kind, to).await.pop() {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no {kind} mail to {to}");
}

/// The text part as the sender sends it (the code looked up at send time, the link rendered).
pub(crate) async fn render(app: &TestApp, m: &OutboxMail) -> String {
    server::mail::outbox::text_as_sent(&app.state, m)
        .await
        .expect("the mail can be built")
}

/// The paths (`/t/…`, `/mail-code/confirm/…`) of the links in a rendered body.
fn links(app: &TestApp, body: &str) -> Vec<String> {
    body.split_whitespace()
        .filter_map(|w| w.strip_prefix(&app.base))
        .map(str::to_owned)
        .collect()
}

pub(crate) async fn ticket_for(app: &TestApp, email: &str, subject: &str) -> (i64, String) {
    let r = app
        .post_json(
            "/api/v1/tickets",
            &serde_json::json!({"email": email, "category": "other", "subject": subject, "body": "please help"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let j: serde_json::Value = r.json().await.expect("json");
    let path = j["access_url"]
        .as_str()
        .expect("access_url")
        .strip_prefix(&app.base)
        .expect("a link to this app")
        .to_owned();
    (j["id"].as_i64().expect("id"), path)
}

async fn set_code(app: &TestApp, ticket_path: &str, code: &str) -> reqwest::Response {
    app.post_form(
        &app.client,
        &format!("{ticket_path}/mail-code"),
        &[("code", code)],
    )
    .await
}

/// Confirms the newest confirmation mail to `to` through its link (GET shows a button, POST
/// applies); returns the confirmation page.
async fn confirm_latest(app: &TestApp, to: &str) -> String {
    let m = mails(app, "phishing_code_confirm", to)
        .await
        .pop()
        .expect("confirmation mail");
    let link = links(app, &render(app, &m).await).pop().expect("a link");
    assert!(link.starts_with("/mail-code/confirm/"), "{link}");
    let (status, page) = app.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains(CODE),
        "the confirmation page never shows the code"
    );
    let r = app.post_form(&app.client, &link, &[]).await;
    assert_eq!(r.status(), 200);
    r.text().await.expect("page")
}

#[tokio::test]
async fn a_confirmed_code_tops_every_later_mail_to_that_address_and_nowhere_else() {
    let app = TestApp::spawn().await;
    let to = "li.wei@example.com";
    let (id, path) = ticket_for(&app, to, "cannot see my USDT").await;

    let r = set_code(&app, &path, CODE).await;
    assert_eq!(
        TestApp::see_other(&r),
        format!("{path}/mail-code?done=mail_off")
    );
    // Not in effect before the mailed link is used: the next mail has no code.
    let confirm = mails(&app, "phishing_code_confirm", to)
        .await
        .pop()
        .unwrap();
    assert!(
        !confirm.body_text.contains(CODE),
        "the confirmation mail does not carry the new code"
    );
    let (_, page) = app.get_text(&format!("{path}/mail-code")).await;
    assert!(
        page.contains("mail-code-none"),
        "not set before confirmation"
    );

    let done = confirm_latest(&app, to).await;
    assert!(done.contains("mail-code-confirmed"));
    // The link works once.
    let link = links(&app, &render(&app, &confirm).await).pop().unwrap();
    assert_eq!(app.post_form(&app.client, &link, &[]).await.status(), 404);

    // With the access link, the page shows it.
    let (_, page) = app.get_text(&format!("{path}/mail-code")).await;
    assert!(page.contains(CODE));

    // Every mail written from now on to that mailbox starts with it, whatever the spelling.
    let agent = app
        .create_agent("agent@desk.example.com", Role::Agent)
        .await;
    let ac = app.signed_in_client(&agent).await;
    let r = app
        .post_form(
            &ac,
            &format!("/agent/tickets/{id}/messages"),
            &[("kind", "public"), ("body", "Please send a screenshot.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    ticket_for(&app, "Li.Wei+second@EXAMPLE.com", "another question").await;
    let later: Vec<OutboxMail> = outbox(&app)
        .await
        .into_iter()
        .filter(|m| m.id > confirm.id && m.to.mailbox_key() == "li.wei@example.com")
        .collect();
    let kinds: Vec<&str> = later.iter().map(|m| m.kind.as_str()).collect();
    assert!(
        kinds.contains(&"agent_reply") && kinds.contains(&"ticket_created"),
        "{kinds:?}"
    );
    for m in &later {
        let body = render(&app, m).await;
        assert!(
            body.starts_with(&format!(
                "Your anti-phishing code: {CODE} — mail from us always shows it"
            )),
            "{} mail starts with the code: {body}",
            m.kind
        );
        assert!(body.contains("never ask for your recovery phrase, private key or password"));
    }
    // Another address's mail does not.
    ticket_for(&app, "someone.else@example.com", "hello").await;
    let other = mails(&app, "ticket_created", "someone.else@example.com")
        .await
        .pop()
        .unwrap();
    assert!(!other.body_text.contains(CODE));

    // Not in the API, not on the ticket page, not on the public pages, not in the code table.
    let token = app.api_token(&agent).await;
    for api in [
        format!("/api/v1/tickets/{id}"),
        "/api/v1/tickets".to_owned(),
    ] {
        let body = app
            .client
            .get(app.url(&api))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!body.contains(CODE), "{api}");
    }
    for p in [path.clone(), "/my-tickets".to_owned(), "/".to_owned()] {
        assert!(!app.get_text(&p).await.1.contains(CODE), "{p}");
    }
    let agent_page = app.page_as(&ac, &format!("/agent/tickets/{id}")).await;
    assert!(!agent_page.contains(CODE));
    let dump = app.dump_database().await;
    let codes_table: Vec<&str> = dump
        .lines()
        .filter(|l| l.starts_with("phishing_code"))
        .collect();
    assert!(!codes_table.is_empty(), "the dump has the code tables");
    assert!(
        codes_table
            .iter()
            .all(|l| !l.contains(CODE) && !l.contains("li.wei")),
        "sealed and keyed: {codes_table:?}"
    );

    // Removing it goes through the mail too.
    let r = app
        .post_form(&app.client, &format!("{path}/mail-code/remove"), &[])
        .await;
    assert_eq!(
        TestApp::see_other(&r),
        format!("{path}/mail-code?done=mail_off")
    );
    assert!(
        app.get_text(&format!("{path}/mail-code"))
            .await
            .1
            .contains(CODE),
        "still set until confirmed"
    );
    confirm_latest(&app, to).await;
    assert!(
        app.get_text(&format!("{path}/mail-code"))
            .await
            .1
            .contains("mail-code-none")
    );
}

#[tokio::test]
async fn a_phrase_or_a_bad_code_is_refused_with_a_message_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let (_, path) = ticket_for(&app, "a@example.com", "help").await;
    let r = set_code(&app, &path, PHRASE).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("looks like a recovery phrase"),
        "a clear message"
    );
    assert!(!page.contains("sausage"), "the phrase is not put back");
    for (bad, says) in [
        ("ab", "at least 4"),
        ("two\nlines", "one line"),
        (&"x".repeat(40)[..], "at most 32"),
    ] {
        let r = set_code(&app, &path, bad).await;
        assert_eq!(r.status(), 422, "{bad}");
        assert!(r.text().await.unwrap().contains(says), "{bad}");
    }
    assert!(
        mails(&app, "phishing_code_confirm", "a@example.com")
            .await
            .is_empty()
    );
    assert!(!app.dump_database().await.contains("sausage"));
    // Without a working ticket link there is no form at all.
    let (status, _) = app
        .get_text("/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/mail-code")
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn my_tickets_answers_alike_mails_working_links_once_and_is_limited() {
    let app = TestApp::spawn().await;
    let (a, _) = ticket_for(&app, "owner@example.com", "first ticket").await;
    let (b, _) = ticket_for(&app, "owner@example.com", "second ticket").await;
    let (closed, _) = ticket_for(&app, "owner@example.com", "closed one").await;
    app.state
        .store
        .update_ticket(
            TicketId(closed),
            store::TicketUpdate {
                status: Some(domain::Status::Closed),
                ..Default::default()
            },
            app.state.now(),
        )
        .await
        .unwrap();

    // Same status, same place, same page for an address without tickets.
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.post_form(&app.client, "/my-tickets", &[("email", email)])
                .await
        }
    };
    let unknown = ask("stranger@example.com").await;
    let known = ask("owner@example.com").await;
    assert_eq!(unknown.status(), known.status());
    assert_eq!(TestApp::see_other(&unknown), TestApp::see_other(&known));
    let loc = TestApp::see_other(&known);
    assert_eq!(
        loc, "/my-tickets?done=mail_off",
        "no [mail] here: the page must not say it was sent"
    );
    let page = app.get_text(&format!("{loc}&lang=en")).await.1;
    assert!(page.contains("no mail went out"), "{page}");

    let m = wait_for(&app, "my_tickets", "owner@example.com").await;
    let body = render(&app, &m).await;
    let paths = links(&app, &body);
    assert_eq!(
        paths.len(),
        2,
        "the two open tickets, not the closed one: {body}"
    );
    for (p, subject) in paths.iter().zip(["second ticket", "first ticket"]) {
        let (status, page) = app.get_text(p).await;
        assert_eq!(status, 200, "{p}");
        assert!(page.contains(subject), "{p} opens its ticket");
    }
    assert!(!body.contains("{{link"), "every placeholder rendered");
    assert!(body.contains(&format!("#{a}")) && body.contains(&format!("#{b}")));
    // Nothing for the stranger: mail to an address that never wrote is what a bomb is made of.
    assert!(
        mails(&app, "my_tickets", "stranger@example.com")
            .await
            .is_empty()
    );

    // Per address: the third request for the same mailbox (a +tag is the same) is refused.
    let again = ask("Owner+x@example.com").await;
    assert_eq!(again.status(), 303);
    let limited = ask("owner@example.com").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert!(
        limited.text().await.unwrap().contains("Too many"),
        "a clear message"
    );
}

#[tokio::test]
async fn my_tickets_is_limited_per_client_too() {
    let app = TestApp::spawn().await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let email = format!("person{i}@example.com");
        let r = app
            .post_form(&app.client, "/my-tickets", &[("email", &email)])
            .await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [303, 303, 303, 303, 303, 429]);
    let r = app
        .post_form(&app.client, "/my-tickets", &[("email", "not an address")])
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn public_replies_are_mailed_notes_are_not_and_agents_choose_their_mails() {
    let app = TestApp::spawn().await;
    let user = "asker@example.com";
    let (id, path) = ticket_for(&app, user, "swap stuck").await;
    let a = app.create_agent("a@desk.example.com", Role::Admin).await;
    let b = app.create_agent("b@desk.example.com", Role::Agent).await;
    let ac = app.signed_in_client(&a).await;
    let bc = app.signed_in_client(&b).await;

    let post = |kind: &'static str, body: &'static str| {
        let (app, ac) = (&app, &ac);
        async move {
            let r = app
                .post_form(
                    ac,
                    &format!("/agent/tickets/{id}/messages"),
                    &[("kind", kind), ("body", body)],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
    };
    post("note", "internal: looks like a stuck nonce").await;
    assert!(
        mails(&app, "agent_reply", user).await.is_empty(),
        "a note never leaves the desk"
    );
    post("public", "Please send the transaction id.").await;
    let replies = mails(&app, "agent_reply", user).await;
    assert_eq!(replies.len(), 1);
    let body = render(&app, &replies[0]).await;
    assert!(body.contains("Please send the transaction id."));
    assert!(!body.contains("stuck nonce"));
    let link = links(&app, &body).pop().expect("an access link");
    assert_ne!(link, path, "a new link, not the first one");
    assert!(
        app.get_text(&link).await.1.contains("swap stuck"),
        "it opens the ticket"
    );
    assert_eq!(server::mail::notify::auto_submitted("agent_reply"), None);
    assert_eq!(
        server::mail::notify::auto_submitted("assigned"),
        Some("auto-generated")
    );

    // Assigned to B by A (the reply made A the assignee): B is told.
    let token = app.api_token(&a).await;
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"assignee_id": b.id.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let assigned = mails(&app, "assigned", b.email.as_str()).await;
    assert_eq!(assigned.len(), 1);
    assert!(
        assigned[0]
            .body_text
            .contains(&format!("/agent/tickets/{id}"))
    );
    assert!(mails(&app, "assigned", a.email.as_str()).await.is_empty());

    // B turns reply mails off: the user's reply is not mailed; back on, it is.
    let settings = app.page_as(&bc, "/agent/mail-settings").await;
    assert!(settings.contains("checked"));
    let r = app
        .post_form(&bc, "/agent/mail-settings", &[("on_assign", "1")])
        .await;
    assert_eq!(
        TestApp::see_other(&r),
        "/agent/mail-settings?done=mail_settings_saved"
    );
    let reply = |text: &'static str| {
        let (app, path) = (&app, &path);
        async move {
            let r = app
                .post_form(&app.client, &format!("{path}/reply"), &[("body", text)])
                .await;
            assert_eq!(r.status(), 303);
        }
    };
    reply("here it is").await;
    assert!(mails(&app, "user_reply", b.email.as_str()).await.is_empty());
    app.post_form(
        &bc,
        "/agent/mail-settings",
        &[("on_assign", "1"), ("on_reply", "1")],
    )
    .await;
    reply("and one more thing").await;
    let told = mails(&app, "user_reply", b.email.as_str()).await;
    assert_eq!(told.len(), 1);
    assert!(
        !told[0].body_text.contains("one more thing"),
        "the agent mail names the ticket, not the text"
    );

    // Assignment mails off: a new assignment is not mailed.
    app.post_form(&bc, "/agent/mail-settings", &[]).await;
    let (id2, _) = ticket_for(&app, user, "second").await;
    app.client
        .patch(app.url(&format!("/api/v1/tickets/{id2}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"assignee_id": b.id.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(mails(&app, "assigned", b.email.as_str()).await.len(), 1);
}

#[tokio::test]
async fn a_sign_in_link_by_mail_answers_alike_and_works_once() {
    let app = TestApp::spawn().await;
    let agent = app
        .create_agent("helper@desk.example.com", Role::Agent)
        .await;
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.post_form(&app.client, "/agent/sign-in/mail-link", &[("email", email)])
                .await
        }
    };
    let unknown = ask("nobody@desk.example.com").await;
    let known = ask("helper@desk.example.com").await;
    assert_eq!(TestApp::see_other(&unknown), TestApp::see_other(&known));
    assert!(
        app.get_text("/agent/sign-in")
            .await
            .1
            .contains("/agent/sign-in/mail-link")
    );

    let m = wait_for(&app, "sign_in_link", agent.email.as_str()).await;
    assert!(
        mails(&app, "sign_in_link", "nobody@desk.example.com")
            .await
            .is_empty()
    );
    let link = links(&app, &render(&app, &m).await).pop().unwrap();
    assert!(link.starts_with("/agent/link/"));
    let browser = TestApp::new_client();
    let page = app.page_as(&browser, &link).await;
    assert!(page.contains("<form"), "opening the link shows a button");
    let csrf = crate::helpers::extract_csrf(&page).unwrap();
    let post = browser
        .post(app.url(&link))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 303);
    assert!(
        app.page_as(&browser, "/agent").await.contains("sign-out"),
        "signed in"
    );
    // Used: the link shows no button any more, and posting it (from a fresh browser, with a
    // good CSRF token) signs no one in.
    assert_eq!(app.get_text(&link).await.0, 404, "only once");
    let other = TestApp::new_client();
    let again = app.post_form(&other, &link, &[]).await;
    assert_eq!(again.status(), 404, "only once");

    // Limited per address.
    for _ in 0..2 {
        assert_eq!(ask("helper@desk.example.com").await.status(), 303);
    }
    assert_eq!(ask("helper@desk.example.com").await.status(), 429);
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_is_mailed_to_the_agent() {
    let app = TestApp::spawn().await;
    let agent = app
        .create_agent("new.device@desk.example.com", Role::Agent)
        .await;
    let sign_in = |c: reqwest::Client| {
        let app = &app;
        async move {
            let r = app
                .post_form(
                    &c,
                    "/agent/sign-in",
                    &[
                        ("email", "new.device@desk.example.com"),
                        ("password", PASSWORD),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);
            c
        }
    };
    let browser = TestApp::new_client();
    let browser = sign_in(browser).await;
    let first = mails(&app, "new_device", agent.email.as_str()).await;
    assert_eq!(first.len(), 1);
    assert!(first[0].body_text.contains("127.0.0.1"));
    assert!(first[0].body_text.contains("/agent/security"));
    // The same browser again: it is known now.
    sign_in(browser).await;
    assert_eq!(
        mails(&app, "new_device", agent.email.as_str()).await.len(),
        1
    );
    // Another browser: mailed again.
    sign_in(TestApp::new_client()).await;
    assert_eq!(
        mails(&app, "new_device", agent.email.as_str()).await.len(),
        2
    );
}
