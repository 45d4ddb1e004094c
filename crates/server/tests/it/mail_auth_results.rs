//! `Authentication-Results` on inbound mail (`[mail] trusted_authserv_id`): the trusted MTA's
//! SPF/DKIM/DMARC results are shown to agents on the message, in both languages; a `From` that
//! failed DMARC gets a warning; the same header from any other authserv-id — which the sender
//! can write — is ignored.

use domain::{Author, MessageKind, Role};
use server::mail::config::MailConfig;
use server::mail::inbound::receive;

use crate::helpers::TestApp;

fn mail(from: &str, id: &str, auth: &str) -> Vec<u8> {
    format!(
        "{auth}From: {from}\r\nTo: support@lanternfish.example\r\nSubject: Please verify your wallet\r\n\
         Message-ID: <{id}@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         We noticed unusual activity.\r\n"
    )
    .into_bytes()
}

async fn app() -> TestApp {
    TestApp::spawn_with(|c| {
        c.mail = Some(MailConfig {
            smtp_url: "smtp://127.0.0.1:9".into(),
            from: "support@lanternfish.example".into(),
            trusted_authserv_id: "mx.lanternfish.example".into(),
            ..MailConfig::default()
        });
    })
    .await
}

/// The system notes on a ticket, in order.
async fn notes(app: &TestApp, id: domain::TicketId) -> Vec<String> {
    app.state
        .store
        .messages(id, true)
        .await
        .expect("messages")
        .into_iter()
        .filter(|m| m.kind == MessageKind::Note && m.author == Author::System)
        .map(|m| m.body.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn the_trusted_mtas_results_are_shown_and_a_dmarc_failure_is_marked() {
    let app = app().await;
    // The MTA's header on top; below it, one the sender wrote (claiming a pass).
    let forged = mail(
        "support@lanternfish-wallet.example",
        "phish",
        "Authentication-Results: mx.lanternfish.example;\r\n spf=softfail smtp.mailfrom=lanternfish-wallet.example;\r\n \
         dkim=none; dmarc=fail (p=reject) header.from=lanternfish-wallet.example\r\n\
         Authentication-Results: mx.attacker.example; spf=pass; dkim=pass; dmarc=pass\r\n",
    );
    let r = receive(&app.state, &forged).await.expect("taken");
    let id = r.ticket_id.expect("a ticket");
    let n = notes(&app, id).await;
    assert_eq!(n.len(), 2, "{n:?}");
    assert!(
        n[0].contains("SPF softfail, DKIM none, DMARC fail")
            && n[0].contains("SPF softfail，DKIM none，DMARC fail"),
        "{n:?}"
    );
    assert!(n[0].contains("mx.lanternfish.example"), "{n:?}");
    assert!(!n.iter().any(|x| x.contains("attacker")), "{n:?}");
    assert!(
        n[1].contains("failed DMARC") && n[1].contains("未通过 DMARC"),
        "{n:?}"
    );
    assert!(n[1].contains("support@lanternfish-wallet.example"));

    // Agents see it on the ticket, in either language.
    let agent = app
        .create_agent("agent@lanternfish.example", Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let page = app
        .page_as(&client, &format!("/agent/tickets/{}", id.0))
        .await;
    assert!(page.contains("DMARC fail"), "{page}");
    assert!(page.contains("may be forged"), "{page}");

    // A pass is shown too, with no warning.
    let good = mail(
        "wang@example.com",
        "good",
        "Authentication-Results: MX.Lanternfish.Example; spf=pass smtp.mailfrom=example.com;\r\n \
         dkim=fail header.d=example.com; dkim=pass header.d=example.com; dmarc=pass\r\n",
    );
    let id = receive(&app.state, &good)
        .await
        .expect("taken")
        .ticket_id
        .expect("ticket");
    let n = notes(&app, id).await;
    assert_eq!(n.len(), 1, "{n:?}");
    assert!(n[0].contains("SPF pass, DKIM pass, DMARC pass"), "{n:?}");
}

#[tokio::test]
async fn headers_from_other_servers_or_with_nothing_trusted_are_ignored() {
    let app = app().await;
    let only_forged = mail(
        "mallory@example.net",
        "forged",
        "Authentication-Results: mx.attacker.example; dmarc=pass\r\n",
    );
    let id = receive(&app.state, &only_forged)
        .await
        .expect("taken")
        .ticket_id
        .expect("ticket");
    assert!(notes(&app, id).await.is_empty());

    // Without trusted_authserv_id nothing is read, not even the right server's header.
    let plain = TestApp::spawn().await;
    let raw = mail(
        "ann@example.com",
        "untrusted",
        "Authentication-Results: mx.lanternfish.example; dmarc=fail\r\n",
    );
    let id = receive(&plain.state, &raw)
        .await
        .expect("taken")
        .ticket_id
        .expect("ticket");
    assert!(notes(&plain, id).await.is_empty());
}
