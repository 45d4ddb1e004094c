//! Presence: an agent's open ticket page (its event stream) shows on other agents' ticket page
//! and inbox, and goes away when the page does.

use std::time::Duration;

use domain::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_open_ticket_page_shows_who_is_there() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let wang = app.create_agent("wang@example.com", Role::Agent).await;
    let li_client = app.signed_in_client(&li).await;
    let wang_client = app.signed_in_client(&wang).await;
    let (id, _) = app.create_ticket("USDT not arrived", "help").await;
    let page = |client: &reqwest::Client, path: String| {
        let req = client.get(app.url(&path));
        async move { req.send().await.unwrap().text().await.unwrap() }
    };

    // Nobody else there: the notice is empty.
    let html = page(&wang_client, format!("/agent/tickets/{id}?lang=en")).await;
    assert!(html.contains("class=\"presence empty\""), "{html}");

    // Li opens the ticket (her page's event stream names it).
    let stream = li_client
        .get(app.url(&format!("/agent/events?ticket={id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let html = page(&wang_client, format!("/agent/tickets/{id}?lang=en")).await;
    assert!(
        html.contains(&format!("Also viewing this ticket: {}.", li.name)),
        "{html}"
    );
    let fragment = page(
        &wang_client,
        format!("/agent/tickets/{id}/presence?lang=zh-CN"),
    )
    .await;
    assert!(
        fragment.contains(&format!("{} 也在查看此工单", li.name)),
        "{fragment}"
    );
    // Li does not see herself.
    let own = page(&li_client, format!("/agent/tickets/{id}/presence?lang=en")).await;
    assert!(own.contains("presence empty"), "{own}");
    // The inbox says who is on which ticket.
    let inbox = page(&wang_client, "/agent?lang=en".to_owned()).await;
    assert!(inbox.contains(&format!("{} viewing", li.name)), "{inbox}");

    // Li leaves: once the server notices the closed stream, the notice goes.
    drop(stream);
    let mut gone = false;
    for _ in 0..120 {
        let fragment = page(
            &wang_client,
            format!("/agent/tickets/{id}/presence?lang=en"),
        )
        .await;
        if fragment.contains("presence empty") {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(gone, "Li's presence stayed after her page closed");
}

#[tokio::test]
async fn presence_needs_a_signed_in_agent() {
    let app = TestApp::spawn().await;
    let (id, _) = app.create_ticket("s", "b").await;
    for path in [
        format!("/agent/events?ticket={id}"),
        format!("/agent/tickets/{id}/presence"),
    ] {
        let r = app.get(&path).await;
        assert!(
            matches!(r.status().as_u16(), 303 | 401),
            "{path}: {}",
            r.status()
        );
    }
    assert!(app.state.presence.on(domain::TicketId(id)).is_empty());
}
