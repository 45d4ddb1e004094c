//! "Every text that is stored goes through the same door": agents' and admins' text, secrets
//! split across texts, access links kept out of the database, an owner-only data directory, and
//! no secret echoed by a form sent back with errors. Each test reads what a database backup
//! would hold (`TestApp::dump_database`, every row of every table, on either backend).

use domain::{Lang, Role, TicketId};
use reqwest::multipart::Form;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// A valid 12-word phrase from the BIP39 test vectors (python-mnemonic, `80808080…`).
const PHRASE: &str =
    "letter advice cage absurd amount doctor acoustic avoid letter advice cage above";
/// Its halves: six words each, each too short alone to be called a phrase.
const FIRST_HALF: &str = "letter advice cage absurd amount doctor";
const SECOND_HALF: &str = "acoustic avoid letter advice cage above";
/// Runs of words that occur only in the phrase (never in a marker or prose below).
const TELLTALES: &[&str] = &[
    "advice cage",
    "absurd amount",
    "acoustic avoid",
    "cage above",
];
/// A WIF private key (the Bitcoin wiki's example) and a raw 64-hex key.
const WIF: &str = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
const HEX_KEY: &str = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d";

fn assert_no_secret(what: &str, text: &str) {
    for t in TELLTALES {
        assert!(!text.contains(t), "{what} holds `{t}`:\n{text}");
    }
    for key in [WIF, HEX_KEY] {
        assert!(
            !text.to_lowercase().contains(&key[..20].to_lowercase()),
            "{what} holds a key:\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Item 2: a phrase split between texts

#[tokio::test]
async fn a_phrase_split_between_subject_and_body_is_stored_nowhere() {
    let app = TestApp::spawn().await;
    let (id, path) = app
        .create_ticket(
            &format!("restore fails with {FIRST_HALF}"),
            &format!("{SECOND_HALF}, written down, the app froze"),
        )
        .await;
    let dump = app.dump_database().await;
    assert_no_secret("the database", &dump);
    assert!(dump.contains("restore fails with"), "prose survives");
    assert!(dump.contains(", written down, the app froze"));
    let t = app.state.store.ticket(TicketId(id)).await.unwrap();
    assert!(
        t.secret_exposed,
        "a split phrase counts as an exposed secret"
    );
    assert!(t.subject.as_str().contains("removed"), "{}", t.subject);
    let (_, page) = app.get_text(&path).await;
    assert_no_secret("the ticket page", &page);
}

#[tokio::test]
async fn a_phrase_split_across_two_user_replies_is_removed_from_both() {
    let app = TestApp::spawn().await;
    let (id, path) = app
        .create_ticket("cannot restore", "the app says invalid words")
        .await;
    // Half a phrase, then the rest, as people paste it.
    for text in [
        format!("my words are {FIRST_HALF}"),
        format!("{SECOND_HALF} — thanks"),
    ] {
        let r = app
            .post_form(&app.client, &format!("{path}/reply"), &[("body", &text)])
            .await;
        TestApp::see_other(&r);
    }
    let dump = app.dump_database().await;
    assert_no_secret("the database", &dump);
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    let bodies: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert_eq!(
        bodies[0], "the app says invalid words",
        "older prose untouched"
    );
    assert!(bodies[1].starts_with("my words are "), "{}", bodies[1]);
    assert!(bodies[2].ends_with(" — thanks"), "{}", bodies[2]);
    for b in &bodies[1..] {
        assert!(b.contains("removed"), "{b}");
    }
    assert!(
        messages[1].secrets_removed >= 1,
        "the rewritten message counts it"
    );
    let t = app.state.store.ticket(TicketId(id)).await.unwrap();
    assert!(t.secret_exposed);
    // The rewrite is audited, without the text.
    let log = app.state.store.audit_log(50, 0).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "message.redacted")
        .expect("audited");
    assert_eq!(entry.target.as_deref(), Some(id.to_string().as_str()));
    let (_, page) = app.get_text(&path).await;
    assert_no_secret("the ticket page", &page);
}

#[tokio::test]
async fn a_phrase_split_across_two_agent_messages_through_the_api_is_removed_from_both() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let token = app.api_token(&agent).await;
    let (id, _) = app.create_ticket("help", "funds missing").await;
    for (text, kind) in [
        (format!("user said {FIRST_HALF}"), "note"),
        (format!("{SECOND_HALF} yesterday evening"), "public"),
    ] {
        let r = app
            .client
            .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
            .bearer_auth(&token)
            .json(&json!({"body": text, "kind": kind}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let dump = app.dump_database().await;
    assert_no_secret("the database", &dump);
    assert!(dump.contains("yesterday evening"), "prose survives");
}

#[tokio::test]
async fn half_a_phrase_alone_is_kept_and_other_sides_messages_are_not_joined() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let token = app.api_token(&agent).await;
    let (id, path) = app.create_ticket("help", "funds missing").await;
    app.post_form(
        &app.client,
        &format!("{path}/reply"),
        &[("body", &format!("first words {FIRST_HALF}"))],
    )
    .await;
    // An agent's message is not read with the user's: nothing of the user's is rewritten.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
        .bearer_auth(&token)
        .json(&json!({"body": format!("noted: {SECOND_HALF}"), "kind": "note"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert!(
        messages[1].body.as_str().contains(FIRST_HALF),
        "six words alone stay until the rest arrives from the same side"
    );
}

/// The joint redaction looks back at the same side's last three messages, however many the other
/// side wrote in between: three agent replies between a user's two halves do not hide the first
/// half, while a fourth user message pushes it out of reach.
#[tokio::test]
async fn the_look_back_counts_the_same_sides_messages_only() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let token = app.api_token(&agent).await;
    let user_reply = |text: String, path: String| {
        let app = &app;
        async move {
            let r = app
                .post_form(&app.client, &format!("{path}/reply"), &[("body", &text)])
                .await;
            TestApp::see_other(&r);
        }
    };
    let agent_reply = |id: i64, text: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let r = app
                .client
                .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
                .bearer_auth(token)
                .json(&json!({"body": text, "kind": "public"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
        }
    };
    // Joined: the first half is the user's last message before the second, three agent replies
    // later.
    let (id, path) = app.create_ticket("help", "funds missing").await;
    user_reply(format!("first words {FIRST_HALF}"), path.clone()).await;
    for text in [
        "Which wallet app?",
        "Which network?",
        "Please never send your words.",
    ] {
        agent_reply(id, text).await;
    }
    user_reply(format!("{SECOND_HALF} that is all"), path.clone()).await;
    let bodies: Vec<String> = app
        .state
        .store
        .messages(TicketId(id), true)
        .await
        .unwrap()
        .iter()
        .map(|m| m.body.as_str().to_owned())
        .collect();
    for b in &bodies {
        assert!(
            !b.contains(FIRST_HALF) && !b.contains(SECOND_HALF),
            "{bodies:?}"
        );
    }
    assert!(
        bodies.iter().any(|b| b.ends_with("that is all")),
        "{bodies:?}"
    );
    // Out of reach: three more user messages stand between the halves.
    let (id, path) = app.create_ticket("help", "funds missing").await;
    user_reply(format!("first words {FIRST_HALF}"), path.clone()).await;
    for text in ["it was yesterday", "on Ethereum", "in imToken"] {
        user_reply(text.to_owned(), path.clone()).await;
    }
    user_reply(format!("{SECOND_HALF} that is all"), path.clone()).await;
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert!(
        messages[1].body.as_str().contains(FIRST_HALF),
        "six words four messages back are not joined: {:?}",
        messages[1].body
    );
}

// ---------------------------------------------------------------------------------------------
// Item 3: no access link in the database

#[tokio::test]
async fn no_row_holds_an_access_token_or_link_and_the_outbox_still_renders_it() {
    let app = TestApp::spawn().await;
    let agent = app.create_agent("agent@example.com", Role::Agent).await;
    let api = app.api_token(&agent).await;
    let mut tokens = Vec::new();
    for i in 0..3 {
        let (id, path) = app
            .create_ticket(&format!("ticket {i}"), "where is my deposit")
            .await;
        app.post_form(
            &app.client,
            &format!("{path}/reply"),
            &[("body", "any news?")],
        )
        .await;
        let r = app
            .client
            .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
            .bearer_auth(&api)
            .json(&json!({"body": "We are checking it."}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        tokens.push((id, path));
    }
    // And one through the HTML form.
    let csrf = app.csrf(&app.client).await;
    let form = Form::new()
        .text("csrf", csrf)
        .text("email", "form@example.com")
        .text("category", "other")
        .text("subject", "form ticket")
        .text("body", "sent from the form");
    let r = app
        .client
        .post(app.url("/tickets/new"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let to = TestApp::see_other(&r);
    let html = app.get_text(&to).await.1;
    let at = html.find("/t/").expect("the page shows the link");
    let token: String = html[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43);

    let dump = app.dump_database().await;
    assert!(!dump.contains("/t/"), "a link in the database:\n{dump}");
    assert!(!dump.contains(&token));
    for (_, path) in &tokens {
        let t = path.strip_prefix("/t/").unwrap();
        assert!(!dump.contains(t), "token {t} in the database");
    }
    // The outbox keeps the placeholder; the sender renders the very link the user got.
    let mail = app.state.store.pending_mail(100).await.unwrap();
    let created: Vec<_> = mail.iter().filter(|m| m.kind == "ticket_created").collect();
    assert_eq!(created.len(), 4);
    for m in &created {
        assert!(m.body_text.contains(server::mail::LINK));
        assert!(m.link_seed.is_some());
        let body = server::mail::render_body(m, &app.state.link_key, &app.base);
        let at = body
            .find(&format!("{}/t/", app.base))
            .expect("rendered link");
        let link = body[at..].split_whitespace().next().unwrap();
        let (status, page) = app.get_text(link.strip_prefix(&app.base).unwrap()).await;
        assert_eq!(status, 200, "the rendered link opens the ticket");
        assert!(page.contains("where is my deposit") || page.contains("sent from the form"));
    }
}

// ---------------------------------------------------------------------------------------------
// Item 4: the data directory

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_its_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    // As the binary does first thing (process-wide; each test is its own process under
    // nextest, and owner-only files harm no other test).
    server::datadir::restrict_umask();
    let app = TestApp::spawn().await;
    let (_, path) = app.create_ticket("modes", "check the files").await;
    // A screenshot, so the attachments directory exists.
    let csrf = app.csrf(&app.client).await;
    let form = Form::new().text("csrf", csrf).text("body", "shot").part(
        "screenshots",
        reqwest::multipart::Part::bytes(crate::attachments::jpeg_with_gps())
            .file_name("a.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let r = app
        .client
        .post(app.url(&format!("{path}/reply")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    TestApp::see_other(&r);
    server::help::reindex(&app.state).await.unwrap();
    let dir = app.state.config.data_dir.clone();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    let mut files = 0;
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                assert_eq!(mode(&p), 0o700, "{}", p.display());
                stack.push(p);
            } else {
                assert_eq!(mode(&p), 0o600, "{}", p.display());
                files += 1;
            }
        }
    }
    assert!(dir.join(server::mail::KEY_FILE).exists());
    assert!(dir.join("attachments").is_dir());
    assert!(dir.join("index").is_dir());
    assert!(files >= 3, "{files} files checked");
}

// ---------------------------------------------------------------------------------------------
// Item 5: a form sent back with errors

#[tokio::test]
async fn a_form_sent_back_with_errors_echoes_no_secret() {
    let app = TestApp::spawn().await;
    let csrf = app.csrf(&app.client).await;
    let form = Form::new()
        .text("csrf", csrf)
        .text("email", format!("{HEX_KEY}@example.com"))
        .text("category", "transaction")
        .text("chain", "bitcoin")
        .text("address", WIF.to_owned())
        .text("tx_hash", format!("my private key {HEX_KEY}"))
        .text("app_version", "3.2.1")
        .text("device_os", format!("Android 15, key {WIF}"))
        .text("subject", format!("stuck {FIRST_HALF}"))
        .text("body", format!("{SECOND_HALF}, and the app froze"));
    let r = app
        .client
        .post(app.url("/tickets/new"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_no_secret("the page sent back", &html);
    assert!(html.contains(", and the app froze"), "prose comes back");
    assert!(html.contains("Android 15") && html.contains("3.2.1"));
    assert!(
        html.contains("looks like a private key"),
        "the e-mail field says why"
    );
    assert!(
        app.dump_database()
            .await
            .lines()
            .all(|l| !l.starts_with("tickets:"))
    );
}

#[tokio::test]
async fn a_key_as_the_e_mail_local_part_is_refused_with_a_field_error() {
    let app = TestApp::spawn().await;
    for local in [WIF, HEX_KEY] {
        let r = app
            .post_json(
                "/api/v1/tickets",
                &json!({"email": format!("{local}@example.com"), "category": "other", "subject": "hi", "body": "hello"}),
            )
            .await;
        assert_eq!(r.status(), 422);
        let j: Value = r.json().await.unwrap();
        assert_no_secret("the API's error", &j.to_string());
        assert!(
            j.to_string().contains("email_secret"),
            "a field error with its own code: {j}"
        );
    }
    assert_no_secret("the database", &app.dump_database().await);
}

// ---------------------------------------------------------------------------------------------
// Item 1: agents' and admins' text

#[tokio::test]
async fn agents_and_admins_text_goes_through_the_same_door() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let api = app.api_token(&admin).await;
    let (id, _) = app.create_ticket("tags", "a ticket to tag").await;

    // Tags through the API (and the audit entry that copies them).
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&api)
        .json(&json!({"tags": ["vip", WIF]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Tags through the agent page: a phrase typed as one-word tags.
    let tags = PHRASE.replace(' ', ", ");
    app.post_form(
        &client,
        &format!("/agent/tickets/{id}"),
        &[
            ("status", "open"),
            ("priority", "normal"),
            ("assignee", ""),
            ("tags", &format!("refund, {tags}")),
        ],
    )
    .await;
    // A canned reply with the phrase split between its title and its body.
    let r = app
        .post_form(
            &client,
            "/admin/canned",
            &[
                ("title", &format!("Restore {FIRST_HALF}")),
                (
                    "body",
                    &format!("{SECOND_HALF} Hello {{{{requester_email}}}}"),
                ),
                ("lang", "en"),
            ],
        )
        .await;
    assert!(r.status().is_success() || r.status().is_redirection());
    // A help article with a key among its keywords and the phrase in its body.
    let r = app
        .post_form(
            &client,
            "/agent/help",
            &[
                ("slug", "same-door-article"),
                ("lang", "en"),
                ("category", "restore"),
                ("title", "Restoring a wallet"),
                ("summary", &format!("Never share {FIRST_HALF}")),
                ("keywords", &format!("restore, {WIF}")),
                ("body", &format!("{SECOND_HALF}\n\nTap Restore in the app.")),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let a = app
        .state
        .store
        .article_by_slug("same-door-article", Lang::En)
        .await
        .unwrap();
    app.post_form(&client, &format!("/agent/help/{}/publish", a.id.0), &[])
        .await;
    // The brand name, an agent's name, an API token's name.
    app.post_form(
        &client,
        "/admin/brand",
        &[
            ("name", &format!("Otter {WIF}")),
            ("support_email", "help@otter.example"),
            ("primary_color", "#a1b2c3"),
        ],
    )
    .await;
    app.post_form(
        &client,
        "/admin/agents",
        &[
            ("email", "new.agent@example.com"),
            ("name", &format!("Kim {WIF}")),
            ("role", "agent"),
            ("lang", "en"),
        ],
    )
    .await;
    app.post_form(
        &client,
        "/admin/api-tokens",
        &[("name", &format!("ci {HEX_KEY}"))],
    )
    .await;

    let dump = app.dump_database().await;
    assert_no_secret("the database", &dump);
    for prose in [
        "Restore in the app.",
        "Restoring a wallet",
        "refund",
        "Otter",
        "Kim",
        "new.agent@example.com",
    ] {
        assert!(dump.contains(prose), "`{prose}` survives:\n{dump}");
    }
    assert!(
        app.state
            .store
            .canned_replies()
            .await
            .unwrap()
            .iter()
            .any(|c| c.title.starts_with("Restore"))
    );
    // The search index holds what the store holds.
    let (_, found) = app.get_text("/help/search?q=restoring&lang=en").await;
    assert_no_secret("the help search", &found);
    let (_, article) = app.get_text("/help/same-door-article?lang=en").await;
    assert!(article.contains("Restore in the app."));
    assert_no_secret("the article page", &article);
}
