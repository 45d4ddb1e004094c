//! Satisfaction: a user's rating shows on the agent's ticket page, and the admin's report sums
//! ratings overall, per agent and per week, in both languages.

use domain::{Role, Timestamp};
use store::TicketUpdate;

use crate::helpers::TestApp;

#[tokio::test]
async fn ratings_show_on_the_ticket_and_in_the_report() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let agent = app.create_agent("li@example.com", Role::Agent).await;
    let admin_client = app.signed_in_client(&admin).await;
    let now = Timestamp(1_796_111_873_000);
    app.state.clock.set(now);

    // Three tickets: two held by the agent (rated 5 and 2), one nobody holds (rated 4), and
    // one rated five weeks ago.
    let mut ids = Vec::new();
    for (i, (score, holder, days_ago)) in [
        (5, Some(agent.id), 0),
        (2, Some(agent.id), 8),
        (4, None, 1),
        (1, Some(agent.id), 35),
    ]
    .into_iter()
    .enumerate()
    {
        let (id, path) = app.create_ticket(&format!("ticket {i}"), "help").await;
        if let Some(holder) = holder {
            app.state
                .store
                .update_ticket(
                    domain::TicketId(id),
                    TicketUpdate {
                        assignee: Some(Some(holder)),
                        ..TicketUpdate::default()
                    },
                    now,
                )
                .await
                .unwrap();
        }
        app.state.clock.set(now.plus_days(-days_ago));
        let csrf_client = &app.client;
        assert_eq!(
            app.post_form(csrf_client, &format!("{path}/solve"), &[])
                .await
                .status(),
            303
        );
        let comment = format!("comment {i}");
        assert_eq!(
            app.post_form(
                csrf_client,
                &format!("{path}/rate"),
                &[("score", &score.to_string()), ("comment", &comment)]
            )
            .await
            .status(),
            303
        );
        ids.push(id);
    }
    app.state.clock.set(now);

    // The agent's ticket page shows the score and the comment.
    let html = app
        .page_as(&admin_client, &format!("/agent/tickets/{}?lang=en", ids[1]))
        .await;
    assert!(html.contains("2 of 5"), "{html}");
    assert!(html.contains("comment 1"));
    let html = app
        .page_as(
            &admin_client,
            &format!("/agent/tickets/{}?lang=zh-CN", ids[0]),
        )
        .await;
    assert!(html.contains("5 分（满分 5 分）"), "{html}");

    // Four weeks: three ratings (the one five weeks ago is out), two of them satisfied.
    let html = app
        .page_as(&admin_client, "/admin/satisfaction?weeks=4&lang=en")
        .await;
    let summary = between(&html, "csat-summary", "</dl>");
    assert!(summary.contains(">67%<"), "{summary}");
    assert!(summary.contains(">3.7<"), "{summary}");
    assert!(summary.contains(">3<"), "{summary}");
    let agents = between(&html, "csat-agents", "</table>");
    // The agent: 2 ratings, 1 satisfied, mean 3.5; the unassigned ticket: 1, 100%, 4.0.
    let li = agents
        .split("<tr>")
        .find(|r| r.contains(&agent.name))
        .unwrap_or_else(|| panic!("{agents}"));
    assert!(
        li.contains("<td>2</td>") && li.contains(" 50%") && li.contains("<td>3.5</td>"),
        "{li}"
    );
    let nobody = agents
        .split("<tr>")
        .find(|r| r.contains("Unassigned tickets"))
        .unwrap_or_else(|| panic!("{agents}"));
    assert!(
        nobody.contains("<td>1</td>") && nobody.contains(" 100%"),
        "{nobody}"
    );
    let weeks = between(&html, "csat-weeks", "</table>");
    assert_eq!(weeks.matches("<tr><td>").count(), 4, "four weeks: {weeks}");
    // Newest week first: two ratings this week (days 0 and 1), one the week before.
    let rows: Vec<&str> = weeks.split("<tr><td>").skip(1).collect();
    assert!(rows[0].contains("</td><td>2</td>"), "{}", rows[0]);
    assert!(rows[1].contains("</td><td>1</td>"), "{}", rows[1]);
    assert!(rows[2].contains("</td><td>0</td>"), "{}", rows[2]);

    // Twelve weeks take in the old rating too; Chinese words on the Chinese page.
    let html = app
        .page_as(&admin_client, "/admin/satisfaction?weeks=12&lang=zh-CN")
        .await;
    assert!(html.contains("满意率"));
    assert!(between(&html, "csat-summary", "</dl>").contains(">4<"));

    // An unknown period falls back to the default; an agent may not see the report.
    let r = admin_client
        .get(app.url("/admin/satisfaction?weeks=9999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let agent_client = app.signed_in_client(&agent).await;
    let r = agent_client
        .get(app.url("/admin/satisfaction"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn an_empty_report_says_so() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let html = app.page_as(&client, "/admin/satisfaction?lang=en").await;
    assert!(html.contains("No ratings in this period yet."));
    assert!(!html.contains("csat-summary"));
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_demo_has_ratings_to_show() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    server::serve::prepare(&app.state).await.expect("prepare");
    let admin = app.create_agent("admin@example.com", Role::Admin).await;
    let client = app.signed_in_client(&admin).await;
    let html = app
        .page_as(&client, "/admin/satisfaction?weeks=4&lang=zh-CN")
        .await;
    // Four rated demo tickets in the last four weeks: 5, 4, 5, 2 — three of four satisfied.
    let summary = between(&html, "csat-summary", "</dl>");
    assert!(summary.contains(">75%<"), "{summary}");
    assert!(summary.contains(">4.0<"), "{summary}");
    assert!(summary.contains(">4<"), "{summary}");
}
