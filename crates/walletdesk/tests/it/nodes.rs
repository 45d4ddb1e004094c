//! One server per data directory, and several nodes on one PostgreSQL (docs/SCALING.md), with
//! real `walletdesk serve` processes: a second server on a data directory refuses to start;
//! two nodes share one database, an agent's event stream on one node hears what happens on the
//! other, a brand saved on one is what the other's pages show, and an agent whose node died
//! reconnects to the other and is told to reload (resync).
//!
//! The PostgreSQL test needs `WALLETDESK_TEST_PG_URL` (a server it may create databases on);
//! without it, or with `WALLETDESK_SKIP_PG=1`, it says it skipped.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) struct Node {
    pub(crate) child: Child,
    pub(crate) base: String,
    pub(crate) sign_in_link: Option<String>,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config_file(data_dir: &Path) -> std::path::PathBuf {
    let config = data_dir.with_extension("toml");
    std::fs::write(&config, "demo = false\n").unwrap();
    config
}

fn serve(data_dir: &Path, database_url: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_walletdesk"));
    c.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .arg("--config")
        .arg(config_file(data_dir))
        .env("WALLETDESK_LOG", "warn");
    if let Some(url) = database_url {
        c.env("WALLETDESK_DATABASE_URL", url);
    }
    c
}

fn start(data_dir: &Path, database_url: Option<&str>) -> Node {
    let mut child = serve(data_dir, database_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines
        .next()
        .expect("the server prints where it listens")
        .unwrap();
    let base = first
        .strip_prefix("listening on ")
        .expect("first line names the address")
        .to_owned();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut sign_in_link = None;
    let deadline = Instant::now() + Duration::from_millis(500);
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(link) = line.strip_prefix("sign-in link: ") {
            sign_in_link = Some(link.to_owned());
        }
    }
    Node {
        child,
        base,
        sign_in_link,
    }
}

fn walletdesk(args: &[&str], data_dir: &Path, stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_second_server_on_the_same_data_directory_refuses_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut first = start(&data, None);
    let second = serve(&data, None).output().unwrap();
    assert_eq!(second.status.code(), Some(2), "{second:?}");
    assert!(second.stdout.is_empty(), "it never listened");
    let err = String::from_utf8(second.stderr).unwrap();
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    assert!(
        lines[0].contains("another walletdesk serve is already running")
            && lines[0].contains(&data.display().to_string()),
        "{err}"
    );
    // The first one still serves.
    let r = runtime().block_on(async {
        reqwest::get(format!("{}/healthz", first.base))
            .await
            .unwrap()
            .status()
    });
    assert!(r.is_success(), "{r}");
    // A crash releases the directory: the kernel drops the lock with the process.
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let again = start(&data, None);
    assert!(again.base.starts_with("http://127.0.0.1:"));
}

#[test]
fn keys_export_and_import_give_two_data_directories_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let out = walletdesk(&["keys", "export"], &a, b"");
    assert!(out.status.success(), "{out:?}");
    let key = String::from_utf8(out.stdout).unwrap();
    assert_eq!(key.trim().len(), 64, "{key}");
    assert!(std::fs::read(a.join("link.key")).unwrap().len() == 32);
    let out = walletdesk(&["keys", "import"], &b, key.as_bytes());
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read(a.join("link.key")).unwrap(),
        std::fs::read(b.join("link.key")).unwrap()
    );
    // Again: nothing to do. A different key is refused, and so is garbage.
    assert!(
        walletdesk(&["keys", "import"], &b, key.as_bytes())
            .status
            .success()
    );
    let other = "ab".repeat(32);
    let refused = walletdesk(&["keys", "import"], &b, other.as_bytes());
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("different key"));
    let garbage = walletdesk(&["keys", "import"], &b, b"not a key");
    assert_eq!(garbage.status.code(), Some(2));
    assert_eq!(
        std::fs::read(a.join("link.key")).unwrap(),
        std::fs::read(b.join("link.key")).unwrap(),
        "the refusals changed nothing"
    );
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A fresh database on the test server, or `None` (and a line saying so) when there is none.
#[expect(clippy::print_stderr, reason = "a skipped test says so")]
pub(crate) fn fresh_database() -> Option<String> {
    if std::env::var("WALLETDESK_SKIP_PG").as_deref() == Ok("1") {
        eprintln!("skipped: WALLETDESK_SKIP_PG=1");
        return None;
    }
    let Ok(admin) = std::env::var("WALLETDESK_TEST_PG_URL") else {
        eprintln!("skipped: no WALLETDESK_TEST_PG_URL");
        return None;
    };
    use sqlx::Connection;
    let name = format!(
        "wd_nodes_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    runtime().block_on(async {
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .unwrap();
    });
    let at = admin.rfind('/').unwrap();
    Some(format!("{}/{name}", &admin[..at]))
}

/// The value of the first hidden `csrf` input in a page.
fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// Two nodes on one database, as docs/SCALING.md sets them up: A (which makes the first admin
/// and prints their sign-in link) in `dir/a`, and B in `dir/b`, given A's key before it starts.
pub(crate) fn two_nodes(dir: &Path, database_url: &str) -> (Node, Node) {
    let (dir_a, dir_b) = (dir.join("a"), dir.join("b"));
    let node_a = start(&dir_a, Some(database_url));
    let key = walletdesk(&["keys", "export"], &dir_a, b"");
    assert!(key.status.success());
    assert!(
        walletdesk(&["keys", "import"], &dir_b, &key.stdout)
            .status
            .success()
    );
    let node_b = start(&dir_b, Some(database_url));
    (node_a, node_b)
}

/// An agent's browser signed in by the first admin's `link`: its cookie jar and client.
/// Cookies go by host, not port: signed in on A is signed in on B (sessions live in the
/// database; the CSRF cookie checks on both because the key is the same).
pub(crate) async fn signed_in_agent(link: &str) -> (Arc<reqwest::cookie::Jar>, reqwest::Client) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let agent = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = agent.get(link).send().await.unwrap().text().await.unwrap();
    let r = agent
        .post(link)
        .form(&[("csrf", csrf_in(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "signed in by the link");
    (jar, agent)
}

/// Reloads the page at `url` until it shows `what` (a hang is a failure after a generous
/// wait: what one node saves reaches the other's pages a little later).
pub(crate) async fn until_page_shows(client: &reqwest::Client, url: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let page = client.get(url).send().await.unwrap().text().await.unwrap();
        if page.contains(what) {
            return;
        }
        assert!(Instant::now() < deadline, "{url} never showed {what:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An event stream, read as text.
struct Stream {
    response: reqwest::Response,
    seen: String,
}

impl Stream {
    async fn open(client: &reqwest::Client, url: String, last_event_id: Option<&str>) -> Stream {
        let mut req = client.get(url);
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id);
        }
        let response = req.send().await.unwrap();
        assert_eq!(response.status(), 200);
        Stream {
            response,
            seen: String::new(),
        }
    }

    /// Reads until `what` has been seen (a hang is a failure after a generous wait).
    async fn until(&mut self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.seen.contains(what) {
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("{what:?} never came; saw {:?}", self.seen))
                .unwrap()
                .expect("stream open");
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The data of the events seen so far, in order.
    fn data(&self) -> Vec<String> {
        self.seen
            .lines()
            .filter_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
            .map(|d| d.trim().to_owned())
            .collect()
    }
}

async fn create_ticket(client: &reqwest::Client, base: &str, subject: &str) -> i64 {
    let r = client
        .post(format!("{base}/api/v1/tickets"))
        .json(&serde_json::json!({"email": "user@example.com", "category": "other", "subject": subject, "body": "two nodes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let j: serde_json::Value = r.json().await.unwrap();
    j["id"].as_i64().unwrap()
}

#[test]
fn two_nodes_on_one_postgresql_share_events_brand_and_resync() {
    let Some(db) = fresh_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (node_a, mut node_b) = two_nodes(dir.path(), &db);
    let link = node_a
        .sign_in_link
        .clone()
        .expect("the first node made the first admin");
    assert!(node_b.sign_in_link.is_none(), "one first admin for both");

    runtime().block_on(async {
        let (_, agent) = signed_in_agent(&link).await;

        // B's stream hears a ticket made through A.
        let mut on_b = Stream::open(&agent, format!("{}/agent/events", node_b.base), None).await;
        on_b.until("\n\n").await;
        let b_id = on_b
            .seen
            .lines()
            .find_map(|l| l.strip_prefix("id: ").or_else(|| l.strip_prefix("id:")))
            .expect("the stream names its node")
            .trim()
            .to_owned();
        let user = reqwest::Client::new();
        let t1 = create_ticket(&user, &node_a.base, "made on A").await;
        on_b.until(&format!(r#"{{"type":"ticket_created","ticket":{t1}}}"#))
            .await;
        assert!(
            !on_b.data().iter().any(|d| d.contains("resync")),
            "a first connection has nothing to catch up on"
        );

        // The brand saved on A is what B's pages show, although B had read the old one.
        let before = user.get(format!("{}/", node_b.base)).send().await.unwrap();
        assert!(!before.text().await.unwrap().contains("Otter Nodes"));
        let form = agent
            .get(format!("{}/admin/brand", node_a.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = agent
            .post(format!("{}/admin/brand", node_a.base))
            .form(&[
                ("csrf", csrf_in(&form).as_str()),
                ("name", "Otter Nodes"),
                ("support_email", "help@otter.example"),
                ("primary_color", "#123456"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{:?}", r.text().await);
        until_page_shows(&user, &format!("{}/", node_b.base), "Otter Nodes").await;
        let css = user
            .get(format!("{}/brand.css", node_b.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(css.contains("#123456"), "{css}");

        // B dies. The agent's browser reconnects, through the balancer, to A, sending the
        // last event id it saw, as EventSource does; A tells it to reload first.
        drop(on_b);
        node_b.child.kill().unwrap();
        node_b.child.wait().unwrap();
        let t2 = create_ticket(&user, &node_a.base, "made while the agent was away").await;
        let mut on_a =
            Stream::open(&agent, format!("{}/agent/events", node_a.base), Some(&b_id)).await;
        on_a.until(r#"{"type":"resync"}"#).await;
        assert_eq!(
            on_a.data().first().map(String::as_str),
            Some(r#"{"type":"resync"}"#),
            "resync comes first"
        );
        // What the page reloads holds the ticket made while it was away…
        let inbox = agent
            .get(format!("{}/agent", node_a.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            inbox.contains("made while the agent was away"),
            "ticket {t2}"
        );
        // …and the stream goes on.
        let t3 = create_ticket(&user, &node_a.base, "made after").await;
        on_a.until(&format!(r#"{{"type":"ticket_created","ticket":{t3}}}"#))
            .await;
    });
}
