//! Forms that never duplicate and never dead-end: every form that succeeds answers `303` to a
//! page (post/redirect/get) that says what happened once; every refusal says what to do next
//! and keeps what was typed, without secrets.

use domain::{Role, TicketId, Timestamp};

use crate::helpers::{PHRASE, TestApp};

async fn ticket_count(app: &TestApp) -> usize {
    let q = store::TicketQuery::view(store::View::All, app.state.now());
    let page = app.state.store.tickets_for_view(&q).await.expect("tickets");
    usize::try_from(page.total).expect("count")
}

/// The `class="field-error"` text after `id="{id}"`.
fn field_error(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let rest = &html[at..];
    let start = rest.find('>').expect("tag") + 1;
    let end = rest.find("</p>").expect("end");
    rest[start..end].to_owned()
}

#[tokio::test]
async fn the_ticket_form_redirects_to_the_ticket_which_shows_its_link_once() {
    let app = TestApp::spawn().await;
    let r = app
        .submit_ticket_form(
            &app.client,
            "/tickets/new?lang=en",
            &[
                ("email", "a@example.com"),
                ("category", "other"),
                ("subject", "where is my deposit"),
                ("body", "sent yesterday"),
            ],
        )
        .await;
    let to = TestApp::see_other(&r);
    let (path, query) = to.split_once('?').expect("a notice flag");
    assert_eq!(query, "done=created");
    assert!(path.starts_with("/t/") && path.len() == 3 + 43, "{to}");
    let (status, html) = app.get_text(&to).await;
    assert_eq!(status, 200);
    let link = format!("{}{path}", app.base);
    assert!(
        html.contains(&format!("id=\"access-link\" href=\"{link}\"")),
        "the page shows its own link to keep"
    );
    assert!(html.contains("Ticket created — keep this link"));
    assert!(html.contains("sent yesterday"));
    // Reloading the page (what a browser does after a 303) makes no second ticket, and the
    // page without the flag is the plain ticket page.
    let (status, again) = app.get_text(&to).await;
    assert_eq!(status, 200);
    assert_eq!(ticket_count(&app).await, 1);
    let (_, plain) = app.get_text(path).await;
    assert!(!plain.contains("access-link") && plain.contains("sent yesterday"));
    assert!(again.contains("access-link"));
    // The token is in no row: only its hash is.
    assert!(!app.dump_database().await.contains(&path[3..]));
}

#[tokio::test]
async fn a_phrase_in_the_form_is_removed_and_the_redirected_page_warns() {
    let app = TestApp::spawn().await;
    let r = app
        .submit_ticket_form(
            &app.client,
            "/tickets/new?lang=zh-CN",
            &[
                ("email", "a@example.com"),
                ("category", "restore"),
                ("subject", "恢复失败"),
                ("body", &format!("我的助记词是 {PHRASE}")),
            ],
        )
        .await;
    let to = TestApp::see_other(&r);
    let (_, html) = app.get_text(&to).await;
    assert!(html.contains("我们从您的消息中删除了敏感信息"));
    assert!(html.contains("工单已创建——请保存此链接"));
    assert!(!html.contains("legal winner"));
}

#[tokio::test]
async fn the_error_summary_names_each_field_in_both_languages() {
    let app = TestApp::spawn().await;
    for (lang, lines) in [
        (
            "zh-CN",
            [
                "标题：此项为必填。",
                "发生了什么？此项为必填。",
                "问题类型：",
            ],
        ),
        (
            "en",
            [
                "Subject: This field is required.",
                "What happened? This field is required.",
                "What is it about? ",
            ],
        ),
    ] {
        let r = app
            .submit_ticket_form(
                &app.client,
                &format!("/tickets/new?lang={lang}"),
                &[
                    ("email", "a@example.com"),
                    ("category", ""),
                    ("subject", "   "),
                    ("body", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        for line in lines {
            assert!(html.contains(line), "{lang}: {line} missing");
        }
        assert!(html.contains("<a href=\"#f-subject\">"));
        // Each field is marked where it is, too.
        assert!(html.contains(r#"id="f-subject" name="subject" required maxlength="200" value="   " data-secret-guard="" aria-describedby="e-subject" aria-invalid="true""#));
        assert!(!field_error(&html, "e-body").is_empty());
        assert!(field_error(&html, "e-email").is_empty());
    }
    assert_eq!(ticket_count(&app).await, 0);
}

/// "Too long" says how long a field may be and what to do instead.
#[tokio::test]
async fn too_long_says_the_limit_in_both_languages() {
    let app = TestApp::spawn().await;
    let subject = "USDT ".repeat(50);
    for (lang, says) in [
        ("en", "a subject is at most 200 characters"),
        ("zh-CN", "标题最多 200 个字符"),
    ] {
        let r = app
            .submit_ticket_form(
                &app.client,
                &format!("/tickets/new?lang={lang}"),
                &[
                    ("email", "a@example.com"),
                    ("category", "other"),
                    ("subject", &subject),
                    ("body", "hello"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(field_error(&html, "e-subject").contains(says), "{lang}");
    }
    assert_eq!(ticket_count(&app).await, 0);
}

#[tokio::test]
async fn a_reply_redirects_and_a_reload_does_not_post_it_again() {
    let app = TestApp::spawn().await;
    let (id, path) = app.create_ticket("help", "first message").await;
    let r = app
        .post_form(
            &app.client,
            &format!("{path}/reply?lang=en"),
            &[("body", "any news?")],
        )
        .await;
    let to = TestApp::see_other(&r);
    assert_eq!(to, format!("{path}?done=replied"));
    let (_, html) = app.get_text(&format!("{to}&lang=en")).await;
    assert!(html.contains("Your reply was sent."));
    app.get_text(&to).await;
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert_eq!(
        messages.len(),
        2,
        "one reply, however often the page is loaded"
    );
    // A secret in the reply: removed, and the page after the redirect says so.
    let r = app
        .post_form(
            &app.client,
            &format!("{path}/reply"),
            &[("body", &format!("my words {PHRASE}"))],
        )
        .await;
    let to = TestApp::see_other(&r);
    assert!(to.ends_with("?done=replied_secret"));
    let (_, html) = app.get_text(&format!("{to}&lang=en")).await;
    assert!(html.contains("We removed a secret from your message"));
}

#[tokio::test]
async fn a_reply_of_only_spaces_comes_back_marked_with_the_text_kept() {
    let app = TestApp::spawn().await;
    let (id, path) = app.create_ticket("help", "first message").await;
    for (lang, line) in [
        ("zh-CN", "回复：此项为必填。"),
        ("en", "Reply: This field is required."),
    ] {
        let r = app
            .post_form(
                &app.client,
                &format!("{path}/reply?lang={lang}"),
                &[("body", "    ")],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("<a href=\"#reply-body\">{line}</a>")),
            "{lang}"
        );
        assert!(
            html.contains("aria-invalid=\"true\">    </textarea>"),
            "{lang}"
        );
        assert!(!field_error(&html, "e-reply-body").is_empty());
        assert!(html.contains("first message"), "the ticket is still there");
    }
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert_eq!(messages.len(), 1, "nothing was stored");
}

#[tokio::test]
async fn a_refused_reply_keeps_the_text_without_its_secret() {
    let app = TestApp::spawn().await;
    let (id, path) = app.create_ticket("help", "first message").await;
    // Closed: the reply is refused, and the page gives the text back to copy.
    app.state
        .store
        .update_ticket(
            TicketId(id),
            store::TicketUpdate {
                status: Some(domain::Status::Closed),
                ..store::TicketUpdate::default()
            },
            app.state.now(),
        )
        .await
        .unwrap();
    let typed = format!("still broken, words {PHRASE} thanks");
    let r = app
        .post_form(
            &app.client,
            &format!("{path}/reply?lang=en"),
            &[("body", &typed)],
        )
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("This ticket is closed."));
    assert!(html.contains("id=\"kept-text\"") && html.contains("still broken"));
    assert!(html.contains("[recovery phrase removed: 12 words]"));
    assert!(!html.contains("legal winner"));
}

#[tokio::test]
async fn a_bad_ticket_link_says_what_happened_and_what_to_do() {
    let app = TestApp::spawn().await;
    let (_, path) = app.create_ticket("help", "first message").await;
    let mut forged = path.clone();
    forged.pop();
    forged.push(if path.ends_with('x') { 'y' } else { 'x' });
    for (lang, title, next) in [
        ("en", "This ticket link does not work", "Open a new ticket"),
        ("zh-CN", "此工单链接无效", "新建工单"),
    ] {
        let (status, html) = app.get_text(&format!("{forged}?lang={lang}")).await;
        assert_eq!(status, 404);
        assert!(html.contains(title), "{lang}");
        assert!(
            html.contains(&format!("<a href=\"/tickets/new\">{next}</a>")),
            "{lang}"
        );
    }
    // A reply sent through it is not lost: the page holds it to copy.
    let r = app
        .post_form(
            &app.client,
            &format!("{forged}/reply?lang=en"),
            &[("body", "my reply that must not vanish")],
        )
        .await;
    assert_eq!(r.status(), 404);
    let html = r.text().await.unwrap();
    assert!(html.contains("This ticket link does not work"));
    assert!(html.contains("my reply that must not vanish"));
}

#[tokio::test]
async fn a_used_sign_in_link_points_to_the_password_form() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("new@example.com", Role::Agent).await;
    let token = server::auth::new_token().unwrap();
    app.state
        .store
        .create_sign_in_link(
            &server::auth::hash_token(&token),
            agent.id,
            Timestamp(app.state.now().0 + Timestamp::DAY),
        )
        .await
        .unwrap();
    // Opening the link only shows a button (a mail scanner's GET spends nothing)…
    for _ in 0..2 {
        let (status, page) = app.get_text(&format!("/agent/link/{token}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("action=\"/agent/link/{token}\"")));
        // Its language switch stays on it.
        assert!(
            page.contains(&format!("href=\"/agent/link/{token}?lang=zh-CN\"")),
            "{page}"
        );
    }
    // …which signs in once, by POST, and leads to setting a password.
    let first = app
        .post_form(&app.client, &format!("/agent/link/{token}"), &[])
        .await;
    assert_eq!(
        TestApp::see_other(&first),
        "/agent/password?done=link_signed_in"
    );
    let again = app
        .post_form(&TestApp::new_client(), &format!("/agent/link/{token}"), &[])
        .await;
    assert_eq!(again.status(), 404);
    for (lang, title, next) in [
        (
            "en",
            "This sign-in link was already used or has expired",
            "Sign in with your password",
        ),
        ("zh-CN", "此登录链接已被使用或已过期", "使用密码登录"),
    ] {
        let fresh = TestApp::new_client();
        let r = fresh
            .get(app.url(&format!("/agent/link/{token}?lang={lang}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let html = r.text().await.unwrap();
        assert!(html.contains(title), "{lang}");
        assert!(
            html.contains(&format!("<a href=\"/agent/sign-in\">{next}</a>")),
            "{lang}"
        );
    }
}

#[tokio::test]
async fn a_rate_limited_form_comes_back_as_typed_with_the_wait() {
    let app = TestApp::spawn_with(|c| c.limits.tickets_per_email = 1).await;
    let fields = [
        ("email", "a@example.com"),
        ("category", "other"),
        ("subject", "second try"),
        ("body", "please keep this text"),
    ];
    let r = app
        .submit_ticket_form(&app.client, "/tickets/new", &fields)
        .await;
    TestApp::see_other(&r);
    for (lang, words) in [("en", "Wait "), ("zh-CN", "请等待 ")] {
        let r = app
            .submit_ticket_form(&app.client, &format!("/tickets/new?lang={lang}"), &fields)
            .await;
        assert_eq!(r.status(), 429);
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .expect("Retry-After in seconds");
        assert!(wait >= 1);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("{words}{}", said(lang, wait))),
            "{lang}: {wait}"
        );
        assert!(html.contains("please keep this text") && html.contains("second try"));
    }
    assert_eq!(ticket_count(&app).await, 1);
    // The sign-in form: the address kept, the wait said.
    let app = TestApp::spawn_with(|c| c.limits.sign_in = 1).await;
    let csrf = app.csrf(&app.client).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("email", "agent@example.com"),
        ("password", "wrong"),
    ];
    for _ in 0..2 {
        let r = app
            .client
            .post(app.url("/agent/sign-in?lang=en"))
            .form(&form)
            .send()
            .await
            .unwrap();
        if r.status() == 429 {
            let wait: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            let html = r.text().await.unwrap();
            assert!(
                html.contains(&format!("Wait {}, then", said("en", wait))),
                "{html}"
            );
            assert!(html.contains("value=\"agent@example.com\""));
            return;
        }
    }
    panic!("the second attempt is limited");
}

#[tokio::test]
async fn an_expired_form_comes_back_as_typed_with_a_fresh_token() {
    let app = TestApp::spawn().await;
    app.csrf(&app.client).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", "x".repeat(43))
        .text("email", "a@example.com")
        .text("category", "other")
        .text("subject", "kept subject")
        .text("body", "kept body");
    let r = app
        .client
        .post(app.url("/tickets/new?lang=en"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert!(html.contains("Your form expired") && html.contains("kept subject"));
    assert_eq!(ticket_count(&app).await, 0);
}

#[tokio::test]
async fn agents_forms_redirect_with_a_notice_and_a_blank_reply_is_marked() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("agent@example.com", Role::Admin).await;
    let client = app.signed_in_client(&agent).await;
    let (id, _) = app.create_ticket("help", "first message").await;
    let page = format!("/agent/tickets/{id}");
    let r = app
        .post_form(
            &client,
            &format!("{page}/messages"),
            &[("kind", "public"), ("body", "We are on it.")],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), format!("{page}?done=agent_replied"));
    let html = client
        .get(app.url(&format!("{page}?done=agent_replied&lang=en")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Reply sent to the requester."));
    let r = app
        .post_form(
            &client,
            &format!("{page}/messages"),
            &[("kind", "note"), ("body", "checked the explorer")],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), format!("{page}?done=note"));
    // Blank: the page again, marked, nothing stored.
    let r = app
        .post_form(
            &client,
            &format!("{page}/messages?lang=zh-CN"),
            &[("kind", "public"), ("body", "  \n ")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("此项为必填。"));
    assert_eq!(
        app.state
            .store
            .messages(TicketId(id), true)
            .await
            .unwrap()
            .len(),
        3
    );
    // Status change and admin forms: 303 back, notice on the page.
    let r = app
        .post_form(
            &client,
            &page,
            &[
                ("status", "open"),
                ("priority", "normal"),
                ("assignee", ""),
                ("tags", ""),
            ],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), format!("{page}?done=updated"));
    let r = app
        .post_form(
            &client,
            "/admin/canned",
            &[("title", "Thanks"), ("body", "Thank you."), ("lang", "en")],
        )
        .await;
    assert_eq!(TestApp::see_other(&r), "/admin/canned?done=saved");
    let html = client
        .get(app.url("/admin/canned?done=saved&lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Saved"),
        "the notice shows after the redirect"
    );
}

/// How a page says a wait of `secs` (Retry-After): seconds under two minutes, else minutes
/// rounded up.
fn said(lang: &str, secs: u64) -> String {
    match (lang, secs < 120) {
        ("en", true) => format!("{secs} seconds"),
        ("en", false) => format!("{} minutes", secs.div_ceil(60)),
        (_, true) => format!("{secs} 秒"),
        (_, false) => format!("{} 分钟", secs.div_ceil(60)),
    }
}
