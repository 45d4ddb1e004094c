//! The agents' workspace (`/agent/desk`): the page and its parts, its forms and who may use
//! them, agents' presence and the sound setting (routing of chats: `deskchat.rs`).

use std::time::Duration;

use domain::{Lang, Role, TicketId};
use server::routing::AgentState;

use crate::helpers::TestApp;

fn location(r: &reqwest::Response) -> String {
    TestApp::see_other(r)
}

#[tokio::test]
async fn the_workspace_lists_a_view_and_shows_a_ticket_with_its_context() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let (first, _) = app
        .create_ticket("USDT not arrived", "I sent 20 USDT yesterday")
        .await;
    let (second, _) = app
        .create_ticket("Cannot import wallet", "导入助记词失败")
        .await;

    let html = app.page_as(&client, "/agent/desk?view=all&lang=en").await;
    assert!(
        html.contains("USDT not arrived") && html.contains("Cannot import wallet"),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/agent/desk?view=all&#38;t={first}\"")),
        "{html}"
    );
    assert!(
        html.contains("Choose a ticket from the list."),
        "no ticket chosen yet"
    );
    // The views, each with its count; "Mine" is empty for a new agent.
    assert!(
        html.contains("Mine (0)") && html.contains("All open (2)"),
        "{html}"
    );
    assert!(html.contains("Waiting on user (0)"), "{html}");

    let html = app
        .page_as(
            &client,
            &format!("/agent/desk?view=all&t={second}&lang=zh-CN"),
        )
        .await;
    assert!(html.contains("导入助记词失败"), "the conversation is shown");
    assert!(html.contains(&format!("action=\"/agent/desk/tickets/{second}/messages\"")));
    assert!(
        html.contains(&format!(
            "class=\"desk-row priority-normal selected\" data-id=\"{second}\""
        )),
        "the row is marked"
    );
    // The requester's other conversation is in the context pane, linked in the workspace.
    assert!(html.contains("其他对话"), "{html}");
    assert!(
        html.contains(&format!(
            "/agent/desk?view=all&#38;t={first}\">#{first} USDT not arrived"
        )),
        "{html}"
    );
    assert!(
        html.contains("尚未通过签名证明地址"),
        "no proved address yet"
    );
    assert!(
        html.contains("class=\"desk has-ticket\""),
        "the phone layout shows the ticket"
    );

    // The parts desk.js fetches are fragments.
    let list = app
        .page_as(&client, "/agent/desk?view=all&partial=list&lang=en")
        .await;
    assert!(
        list.starts_with("<div id=\"desk-list\"") && !list.contains("<html"),
        "{list}"
    );
    assert!(list.contains("2 tickets"), "{list}");
    let pane = app
        .page_as(
            &client,
            &format!("/agent/desk?t={first}&partial=pane&lang=en"),
        )
        .await;
    assert!(
        !pane.contains("<html") && pane.contains("I sent 20 USDT yesterday"),
        "{pane}"
    );
    // A search narrows the list and is kept in the links.
    let found = app
        .page_as(&client, "/agent/desk?view=all&q=USDT&lang=en")
        .await;
    assert!(found.contains("USDT not arrived") && !found.contains("Cannot import wallet"));
    assert!(found.contains(&format!("/agent/desk?view=all&#38;q=USDT&#38;t={first}")));

    // A ticket that does not exist is a 404 page, not a 500.
    let r = client
        .get(app.url("/agent/desk?t=999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// An empty view says where the work is: "Mine" with nothing assigned points at the
/// unassigned tickets, in both languages, also in the list part the page refreshes; a search
/// that finds nothing says only that.
#[tokio::test]
async fn an_empty_view_points_at_a_view_with_work() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let html = app.page_as(&client, "/agent/desk?view=mine&lang=en").await;
    assert!(
        html.contains("No tickets here."),
        "nothing anywhere yet: {html}"
    );
    app.create_ticket("USDT not arrived", "I sent 20 USDT yesterday")
        .await;
    app.create_ticket("Cannot import wallet", "导入助记词失败")
        .await;
    let html = app.page_as(&client, "/agent/desk?view=mine&lang=en").await;
    assert!(
        html.contains(
            "<a href=\"/agent/desk?view=unassigned\">Nothing here. Unassigned has 2 waiting: open it.</a>"
        ),
        "{html}"
    );
    // Counts and names in brackets are in Chinese brackets on the Chinese page.
    let html = app
        .page_as(&client, "/agent/desk?view=mine&lang=zh-CN")
        .await;
    assert!(html.contains("未分配（2）"), "{html}");
    assert!(html.contains("退出登录（"), "{html}");
    assert!(!html.contains("未分配 ("), "{html}");
    let html = app
        .page_as(&client, "/agent/desk?view=mine&lang=zh-CN&partial=list")
        .await;
    assert!(
        html.contains("<a href=\"/agent/desk?view=unassigned\">这里没有工单。“未分配”中有 2 个在等待：点此打开。</a>"),
        "{html}"
    );
    let html = app
        .page_as(&client, "/agent/desk?view=mine&q=nothing-like-this&lang=en")
        .await;
    assert!(html.contains("No tickets here."), "{html}");
    assert!(!html.contains("Nothing here. Unassigned"), "{html}");
}

#[tokio::test]
async fn the_workspace_and_its_forms_need_a_signed_in_agent_and_the_csrf_token() {
    let app = TestApp::spawn().await;
    let (id, _) = app.create_ticket("s", "b").await;
    for path in [
        "/agent/desk".to_owned(),
        "/agent/desk?partial=team".to_owned(),
    ] {
        let r = app.get(&path).await;
        assert!(
            matches!(r.status().as_u16(), 303 | 401),
            "{path}: {}",
            r.status()
        );
    }
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    // Without the token nothing changes.
    let r = client
        .post(app.url(&format!("/agent/desk/tickets/{id}/assign")))
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.state.store.ticket(TicketId(id)).await.unwrap().assignee,
        None
    );
}

#[tokio::test]
async fn a_reply_from_the_workspace_comes_back_to_it_and_a_refused_one_keeps_its_place() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let (id, _) = app.create_ticket("USDT not arrived", "help").await;
    let path = format!("/agent/desk/tickets/{id}/messages");

    let r = app
        .post_form(
            &client,
            &path,
            &[
                ("kind", "public"),
                ("body", "We are on it."),
                ("view", "unassigned"),
                ("q", "USDT"),
            ],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/agent/desk?view=unassigned&q=USDT&t={id}&done=agent_replied")
    );
    let messages = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert_eq!(messages.last().unwrap().body.as_str(), "We are on it.");
    // Answering an unassigned ticket takes it.
    assert_eq!(
        app.state.store.ticket(TicketId(id)).await.unwrap().assignee,
        Some(li.id)
    );

    // Only spaces: refused in place, with the box marked.
    let r = app
        .post_form(
            &client,
            &path,
            &[("kind", "note"), ("body", "   "), ("view", "all")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"body\"") && html.contains("aria-invalid=\"true\""),
        "{html}"
    );
    assert!(
        html.contains("class=\"desk has-ticket\""),
        "still the workspace, on the ticket"
    );
    assert_eq!(
        app.state
            .store
            .messages(TicketId(id), true)
            .await
            .unwrap()
            .len(),
        messages.len()
    );

    // A phrase in a note is redacted like everywhere else.
    let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    let r = app
        .post_form(
            &client,
            &path,
            &[("kind", "note"), ("body", &format!("user said {phrase}"))],
        )
        .await;
    assert_eq!(r.status(), 303);
    let last = app.state.store.messages(TicketId(id), true).await.unwrap();
    assert!(
        !last
            .last()
            .unwrap()
            .body
            .as_str()
            .contains("abandon abandon")
    );

    // A restricted agent may write a note but not a public reply.
    let trainee = app
        .create_agent("trainee@example.com", Role::Restricted)
        .await;
    let tc = app.signed_in_client(&trainee).await;
    let r = app
        .post_form(&tc, &path, &[("kind", "public"), ("body", "hi")])
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn assign_solve_accept_decline_transfer_and_follow_up() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let wang = app.create_agent("wang@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let (id, _) = app.create_ticket("USDT not arrived", "help").await;
    let tid = TicketId(id);
    let assignee = || async { app.state.store.ticket(tid).await.unwrap().assignee };
    let act = |what: &'static str, extra: Vec<(&'static str, String)>| {
        let client = client.clone();
        let app = &app;
        async move {
            let mut fields: Vec<(&str, &str)> = vec![("view", "all")];
            for (k, v) in &extra {
                fields.push((k, v.as_str()));
            }
            app.post_form(
                &client,
                &format!("/agent/desk/tickets/{id}/{what}"),
                &fields,
            )
            .await
        }
    };

    let r = act("accept", vec![]).await;
    assert_eq!(
        location(&r),
        format!("/agent/desk?view=all&t={id}&done=desk_assigned")
    );
    assert_eq!(assignee().await, Some(li.id));
    let r = act("decline", vec![]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(assignee().await, None, "declined: waiting again");
    // Someone else's ticket cannot be accepted or declined.
    app.state
        .desk_presence
        .set_away(wang.id, false, &app.state.events);
    server::desk::assign_to_me(&app.state, tid, wang.id)
        .await
        .unwrap();
    assert_eq!(act("accept", vec![]).await.status(), 409);
    assert_eq!(act("decline", vec![]).await.status(), 409);
    assert_eq!(assignee().await, Some(wang.id));

    let r = act("assign", vec![]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(assignee().await, Some(li.id));

    // Transfer with a note: the note is internal and the ticket is Wang's.
    let r = act(
        "transfer",
        vec![
            ("to", wang.id.to_string()),
            ("note", "VIP, wants a call back".into()),
        ],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/agent/desk?view=all&t={id}&done=desk_transferred")
    );
    assert_eq!(assignee().await, Some(wang.id));
    let notes = app.state.store.messages(tid, true).await.unwrap();
    let note = notes.last().unwrap();
    assert_eq!(
        (note.body.as_str(), note.kind),
        ("VIP, wants a call back", domain::MessageKind::Note)
    );
    let public = app.state.store.messages(tid, false).await.unwrap();
    assert!(
        public.iter().all(|m| !m.body.as_str().contains("VIP")),
        "the user never sees it"
    );
    // To nobody real: refused, the note given back.
    let r = act(
        "transfer",
        vec![("to", "999999".into()), ("note", "keep me".into())],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("keep me"));
    assert_eq!(assignee().await, Some(wang.id));

    let r = act("follow-up", vec![("note", "Continue by mail".into())]).await;
    assert_eq!(r.status(), 303);
    let t = app.state.store.ticket(tid).await.unwrap();
    assert_eq!(t.status, domain::Status::Open);

    let r = act("solve", vec![]).await;
    assert_eq!(
        location(&r),
        format!("/agent/desk?view=all&t={id}&done=desk_solved")
    );
    assert_eq!(
        app.state.store.ticket(tid).await.unwrap().status,
        domain::Status::Solved
    );
    let audit = app.state.store.audit_log(50, 0).await.unwrap();
    for action in [
        "desk.accept",
        "desk.decline",
        "desk.assign",
        "desk.transfer",
        "desk.follow_up",
        "desk.solve",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action} audited");
    }

    // A restricted agent cannot change tickets (the extractor's 403).
    let trainee = app
        .create_agent("trainee@example.com", Role::Restricted)
        .await;
    let tc = app.signed_in_client(&trainee).await;
    let r = app
        .post_form(&tc, &format!("/agent/desk/tickets/{id}/assign"), &[])
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.state.store.ticket(tid).await.unwrap().assignee,
        Some(wang.id)
    );
}

/// The workspace's script sends the pane's actions with `js=1` and stays on the page: `204` when
/// done, the error as JSON (not a page) when not, and the action happens once either way.
#[tokio::test]
async fn pane_actions_sent_by_the_script_answer_204_or_the_error_as_json() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let (id, _) = app.create_ticket("USDT not arrived", "help").await;
    let tid = TicketId(id);
    let post = |what: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let client = client.clone();
        let app = &app;
        async move {
            let mut all = vec![("view", "all"), ("js", "1")];
            all.extend(fields);
            app.post_form(&client, &format!("/agent/desk/tickets/{id}/{what}"), &all)
                .await
        }
    };
    let r = post("assign", vec![]).await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.state.store.ticket(tid).await.unwrap().assignee,
        Some(li.id)
    );
    let r = post("transfer", vec![("to", "999999"), ("note", "keep me")]).await;
    assert_eq!(r.status(), 400);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["error"], "bad_assignee", "{j}");
    let r = post("solve", vec![]).await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.state.store.ticket(tid).await.unwrap().status,
        domain::Status::Solved
    );
    // Not a ticket: 404 as JSON too.
    let r = app
        .post_form(&client, "/agent/desk/tickets/nope/solve", &[("js", "1")])
        .await;
    assert_eq!(r.status(), 404);
    assert!(r.json::<serde_json::Value>().await.is_ok());
}

#[tokio::test]
async fn presence_is_online_while_a_workspace_is_open_away_when_said_and_offline_after() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let wang = app.create_agent("wang@example.com", Role::Agent).await;
    let li_client = app.signed_in_client(&li).await;
    let wang_client = app.signed_in_client(&wang).await;
    let team = || app.page_as(&wang_client, "/agent/desk?partial=team&lang=en");
    let li_line = |html: &str| {
        html.lines()
            .find(|l| l.contains("<span class=\"name\">li"))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        li_line(&team().await).contains("member offline"),
        "{}",
        team().await
    );

    let stream = li_client
        .get(app.url("/agent/events?desk=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert!(li_line(&team().await).contains("member online"));
    assert_eq!(app.state.desk_presence.state(li.id), AgentState::Online);

    // Away, as desk.js says it (204), then back as the no-script form does (303).
    let r = app
        .post_form(
            &li_client,
            "/agent/desk/presence",
            &[("state", "away"), ("js", "1")],
        )
        .await;
    assert_eq!(r.status(), 204);
    assert!(li_line(&team().await).contains("member away"));
    let r = app
        .post_form(&li_client, "/agent/desk/presence", &[("state", "online")])
        .await;
    assert_eq!(location(&r), "/agent/desk?view=mine&done=desk_presence");
    assert_eq!(app.state.desk_presence.state(li.id), AgentState::Online);
    let r = app
        .post_form(&li_client, "/agent/desk/presence", &[("state", "busy")])
        .await;
    assert_eq!(r.status(), 400);

    drop(stream);
    let mut offline = false;
    for _ in 0..120 {
        if app.state.desk_presence.state(li.id) == AgentState::Offline {
            offline = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(offline, "Li stayed online after her workspace closed");
    assert!(li_line(&team().await).contains("member offline"));
}

#[tokio::test]
async fn the_sound_setting_is_each_agents_own_and_off_by_default() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let wang = app.create_agent("wang@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let html = app.page_as(&client, "/agent/desk?lang=en").await;
    assert!(html.contains("data-sound=\"\""), "off by default");
    let r = app
        .post_form(
            &client,
            "/agent/desk/settings",
            &[("sound", "1"), ("view", "all")],
        )
        .await;
    assert_eq!(location(&r), "/agent/desk?view=all&done=desk_settings");
    let html = app.page_as(&client, "/agent/desk?lang=en").await;
    assert!(html.contains("data-sound=\"1\""));
    assert!(app.state.store.desk_settings_of(li.id).await.unwrap().sound);
    assert!(
        !app.state
            .store
            .desk_settings_of(wang.id)
            .await
            .unwrap()
            .sound
    );
    // An unticked box turns it off again.
    app.post_form(&client, "/agent/desk/settings", &[]).await;
    assert!(!app.state.store.desk_settings_of(li.id).await.unwrap().sound);
}

#[tokio::test]
async fn a_canned_reply_is_given_filled_in_for_the_composer() {
    let app = TestApp::spawn().await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&li).await;
    let (id, _) = app.create_ticket("USDT not arrived", "help").await;
    let canned = app
        .state
        .store
        .save_canned_reply(
            None,
            domain::Redacted::clean("Thanks"),
            domain::Redacted::clean("Hi {{requester_email}}, about #{{ticket_id}}: {{agent_name}}"),
            Lang::En,
        )
        .await
        .unwrap();
    let r = client
        .get(app.url(&format!(
            "/agent/desk?t={id}&partial=canned&canned={}",
            canned.id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(
        r.text().await.unwrap(),
        format!("Hi user@example.com, about #{id}: li")
    );
    let r = client
        .get(app.url(&format!("/agent/desk?t={id}&partial=canned&canned=424242")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // The composer offers replies in the ticket's language first.
    let html = app
        .page_as(&client, &format!("/agent/desk?t={id}&lang=en"))
        .await;
    assert!(
        html.contains(&format!("<option value=\"{}\">Thanks</option>", canned.id)),
        "{html}"
    );
}

#[tokio::test]
async fn admins_set_the_default_and_each_agents_chat_limit_and_languages() {
    let app = TestApp::spawn().await;
    let admin = app.create_agent("boss@example.com", Role::Admin).await;
    let li = app.create_agent("li@example.com", Role::Agent).await;
    let client = app.signed_in_client(&admin).await;
    let html = app.page_as(&client, "/admin/desk?lang=zh-CN").await;
    assert!(
        html.contains("工作台与在线对话") && html.contains(&format!("name=\"limit_{}\"", li.id)),
        "{html}"
    );
    assert!(html.contains("离线"), "presence is shown to admins");

    let (limit, en, zh) = (
        format!("limit_{}", li.id),
        format!("lang_{}_en", li.id),
        format!("lang_{}_zh", li.id),
    );
    let r = app
        .post_form(
            &client,
            "/admin/desk",
            &[("default_limit", "5"), (&limit, "2"), (&zh, "on")],
        )
        .await;
    assert_eq!(location(&r), "/admin/desk?done=saved");
    let s = app.state.store.desk_settings_of(li.id).await.unwrap();
    assert_eq!((s.chat_limit, s.languages), (Some(2), vec![Lang::ZhCn]));
    assert_eq!(
        server::desk::default_chat_limit(&app.state).await.unwrap(),
        5
    );
    let slots = server::desk::agent_slots(&app.state).await.unwrap();
    let admin_slot = slots.iter().find(|a| a.agent == admin.id).unwrap();
    assert_eq!(
        (admin_slot.limit, admin_slot.state),
        (5, AgentState::Offline),
        "no row: the default"
    );

    // A bad limit saves nothing and gives back what was typed, marked.
    let r = app
        .post_form(
            &client,
            "/admin/desk",
            &[("default_limit", "4"), (&limit, "ninety"), (&en, "on")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("value=\"ninety\"") && html.contains("aria-invalid=\"true\""),
        "{html}"
    );
    assert_eq!(
        server::desk::default_chat_limit(&app.state).await.unwrap(),
        5
    );
    assert_eq!(
        app.state
            .store
            .desk_settings_of(li.id)
            .await
            .unwrap()
            .chat_limit,
        Some(2)
    );

    // Agents may not.
    let lc = app.signed_in_client(&li).await;
    assert_eq!(
        lc.get(app.url("/admin/desk"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let r = app
        .post_form(&lc, "/admin/desk", &[("default_limit", "50")])
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        server::desk::default_chat_limit(&app.state).await.unwrap(),
        5
    );
}
