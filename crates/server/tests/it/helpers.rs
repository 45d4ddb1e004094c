//! `TestApp`: the real app on `127.0.0.1:0` with a fresh SQLite database in a temp directory,
//! and request helpers. One per test; nothing is shared between tests.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the helper"
)]

use std::net::SocketAddr;
use std::sync::Arc;

use domain::{EmailAddress, Lang, Role};
use server::{AppState, Config, auth, router};
use store::{Agent, NewAgent, Session, Store};

pub(crate) mod chat;
pub(crate) mod frames;

pub(crate) const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug)]
pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) base: String,
    pub(crate) state: AppState,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub(crate) client: reqwest::Client,
    /// The test database: a SQLite URL, or the PostgreSQL one.
    pub(crate) db_url: String,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub(crate) async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub(crate) async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, db_url) = test_store(dir.path()).await;
        store.migrate().await.expect("migrate");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config {
            data_dir: dir.path().to_owned(),
            public_url: format!("http://{addr}"),
            demo: false,
            ..Config::default()
        };
        tweak(&mut config);
        let state = AppState::new(store, config);
        // Chat routing runs as under `serve` (deskchat): queued chats are offered to agents.
        tokio::spawn(server::desk_routing::run(state.clone()));
        let app = router::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestApp {
            addr,
            base: format!("http://{addr}"),
            state,
            client: Self::new_client(),
            db_url,
            _dir: dir,
        }
    }

    /// A fresh browser: its own cookies.
    pub(crate) fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub(crate) async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    /// The page `path` as `client` (a signed-in agent, say) sees it.
    pub(crate) async fn page_as(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body")
    }

    /// The CSRF token this client's cookie holds, fetched by visiting a page first.
    pub(crate) async fn csrf(&self, client: &reqwest::Client) -> String {
        let html = client
            .get(self.url("/tickets/new"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        extract_csrf(&html).expect("page has a csrf field")
    }

    /// POSTs a form with this client's CSRF token added.
    pub(crate) async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = self.csrf(client).await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &csrf));
        client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// Where a `303 See Other` sends the browser (post/redirect/get); panics on anything else.
    pub(crate) fn see_other(r: &reqwest::Response) -> String {
        assert_eq!(
            r.status(),
            303,
            "a form that succeeds answers 303 to a page"
        );
        r.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned()
    }

    /// Submits the public ticket form (multipart, as the browser does) with `client`.
    pub(crate) async fn submit_ticket_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = self.csrf(client).await;
        let mut form = reqwest::multipart::Form::new().text("csrf", csrf);
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .expect("POST")
    }

    pub(crate) async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// Creates a ticket through the public API; returns (id, access path `/t/…`).
    pub(crate) async fn create_ticket(&self, subject: &str, body: &str) -> (i64, String) {
        let r = self
            .post_json("/api/v1/tickets", &serde_json::json!({"email": "user@example.com", "category": "other", "subject": subject, "body": body}))
            .await;
        assert_eq!(r.status(), 201);
        let j: serde_json::Value = r.json().await.expect("json");
        let url = j["access_url"].as_str().expect("access_url");
        let path = url
            .strip_prefix(&self.base)
            .expect("url on this app")
            .to_owned();
        (j["id"].as_i64().expect("id"), path)
    }

    /// An agent (admin or not) with [`PASSWORD`].
    pub(crate) async fn create_agent(&self, email: &str, role: Role) -> Agent {
        let hash = auth::hash_password(PASSWORD).expect("hash");
        self.state
            .store
            .create_agent(
                NewAgent {
                    email: EmailAddress::parse(email).expect("email"),
                    name: domain::Redacted::clean(email.split('@').next().unwrap_or("agent")),
                    role,
                    password_hash: hash,
                    lang: Lang::En,
                },
                self.state.now(),
            )
            .await
            .expect("create agent")
    }

    /// A client signed in as `agent` (a session made directly in the store, cookie set).
    pub(crate) async fn signed_in_client(&self, agent: &Agent) -> reqwest::Client {
        let token = self.session_token(agent, true).await;
        self.client_with_session(&token)
    }

    /// A session for `agent` made directly in the store, for an hour; its cookie's value.
    /// `verified`: the second factor was passed, and the password checked just now (step-up
    /// is fresh).
    pub(crate) async fn session_token(&self, agent: &Agent, verified: bool) -> String {
        let token = auth::new_token().expect("token");
        let now = self.state.now();
        self.state
            .store
            .create_session(
                &auth::hash_token(&token),
                Session {
                    agent_id: agent.id,
                    created_at: now,
                    expires_at: now.plus_minutes(60),
                    csrf: auth::new_token().expect("token"),
                    verified,
                    factor_at: verified.then_some(now),
                },
            )
            .await
            .expect("session");
        token
    }

    /// A browser-like client whose session cookie is `token`.
    pub(crate) fn client_with_session(&self, token: &str) -> reqwest::Client {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let url: reqwest::Url = self.base.parse().expect("url");
        jar.add_cookie_str(&format!("{}={token}", server::web::SESSION_COOKIE), &url);
        reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// An API token for `agent`.
    pub(crate) async fn api_token(&self, agent: &Agent) -> String {
        let token = auth::new_token().expect("token");
        self.state
            .store
            .create_api_token(
                &auth::hash_token(&token),
                agent.id,
                domain::Redacted::clean("test"),
                self.state.now(),
            )
            .await
            .expect("api token");
        token
    }
}

/// Which backend the tests run on: `WALLETDESK_TEST_BACKEND=postgres` runs them on a fresh
/// database of the PostgreSQL server named by `WALLETDESK_TEST_PG_URL` (`scripts/test` runs the
/// suite once per backend); SQLite in a temp file otherwise.
pub(crate) fn on_postgres() -> bool {
    std::env::var("WALLETDESK_TEST_BACKEND").as_deref() == Ok("postgres")
}

async fn test_store(dir: &std::path::Path) -> (Arc<dyn Store>, String) {
    use sqlx::Connection;
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    if !on_postgres() {
        let db = dir.join("test.db");
        let path = db.to_str().expect("utf-8 path");
        return (
            Arc::new(
                store_sqlite::SqliteStore::open(path)
                    .await
                    .expect("open sqlite"),
            ),
            format!("sqlite://{path}"),
        );
    }
    let admin = std::env::var("WALLETDESK_TEST_PG_URL")
        .expect("WALLETDESK_TEST_BACKEND=postgres needs WALLETDESK_TEST_PG_URL");
    let name = format!(
        "wd_server_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() % 1_000_000)
    );
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the PostgreSQL server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let at = admin.rfind('/').expect("database in URL");
    let url = format!("{}/{name}", &admin[..at]);
    (
        Arc::new(
            store_postgres::PostgresStore::connect(&url)
                .await
                .expect("connect to test database"),
        ),
        url,
    )
}

impl TestApp {
    /// Every row of every table, one line per row (`table: values`): what a backup of the
    /// database would hold, on either backend.
    pub(crate) async fn dump_database(&self) -> String {
        use sqlx::Connection;
        let mut out = String::new();
        if on_postgres() {
            let mut c = sqlx::PgConnection::connect(&self.db_url)
                .await
                .expect("connect");
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            )
            .fetch_all(&mut c)
            .await
            .expect("tables");
            assert!(tables.iter().any(|t| t == "outbox"), "{tables:?}");
            for t in tables {
                let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT row_to_json(x)::text FROM \"{t}\" x"
                )))
                .fetch_all(&mut c)
                .await
                .expect("rows");
                for r in rows {
                    out.push_str(&format!("{t}: {r}\n"));
                }
            }
        } else {
            let mut c = sqlx::SqliteConnection::connect(&self.db_url)
                .await
                .expect("connect");
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
            )
            .fetch_all(&mut c)
            .await
            .expect("tables");
            assert!(tables.iter().any(|t| t == "outbox"), "{tables:?}");
            for t in tables {
                let cols: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                        .bind(&t)
                        .fetch_all(&mut c)
                        .await
                        .expect("columns");
                let expr = cols
                    .iter()
                    .map(|c| {
                        format!(
                            "CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") \
                             ELSE COALESCE(CAST(\"{c}\" AS TEXT), 'NULL') END"
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" || ' | ' || ");
                let rows: Vec<String> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {expr} FROM \"{t}\"")))
                        .fetch_all(&mut c)
                        .await
                        .expect("rows");
                for r in rows {
                    out.push_str(&format!("{t}: {r}\n"));
                }
            }
        }
        out
    }
}

/// The value of the first hidden `csrf` input in a page.
pub(crate) fn extract_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[at..].find('"')? + at;
    Some(html[at..end].to_owned())
}

pub(crate) const PHRASE: &str =
    "legal winner thank year wave sausage worth useful legal winner thank yellow";

// Several nodes (tests/it/cluster.rs).
impl TestApp {
    /// A second server process on this app's PostgreSQL database, as `serve` runs one: its
    /// own data directory, its own node id, the events relay started for both.
    pub(crate) async fn another_node(&self) -> TestApp {
        assert!(on_postgres(), "several nodes share a PostgreSQL database");
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            store_postgres::PostgresStore::connect(&self.db_url)
                .await
                .expect("connect to the same database"),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let config = Config {
            data_dir: dir.path().to_owned(),
            public_url: format!("http://{addr}"),
            demo: false,
            ..Config::default()
        };
        let state = AppState::new(store, config);
        let app = router::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestApp {
            addr,
            base: format!("http://{addr}"),
            state,
            client: Self::new_client(),
            db_url: self.db_url.clone(),
            _dir: dir,
        }
    }
}
