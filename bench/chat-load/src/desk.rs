//! The desk under load: one or two real `walletdesk serve` processes on a fresh data directory
//! each — SQLite by default, or a fresh database on a PostgreSQL server shared by both nodes —
//! with the agents made beforehand by `walletdesk admin create-agent`.
//!
//! Two nodes follow docs/SCALING.md: the second node gets the first's link key
//! (`walletdesk keys export` / `keys import`) and the same `database_url`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// What to start.
#[derive(Debug, Clone)]
pub struct DeskOptions {
    /// The `walletdesk` binary.
    pub bin: PathBuf,
    /// A PostgreSQL URL the bench may create databases on (`postgres://…/postgres`); `None`
    /// for SQLite.
    pub pg_admin_url: Option<String>,
    /// 1, or 2 (PostgreSQL only).
    pub nodes: usize,
    /// Agents to create.
    pub agents: usize,
}

/// One `walletdesk serve` process; killed when dropped.
#[derive(Debug)]
pub struct Node {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub pid: u32,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    /// The base URL with `ws://`.
    #[must_use]
    pub fn ws_base(&self) -> String {
        self.base.replacen("http://", "ws://", 1)
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// A fresh database on the PostgreSQL server, dropped with the desk.
#[derive(Debug)]
struct PgDb {
    admin_url: String,
    name: String,
}

impl PgDb {
    fn create(admin_url: &str) -> anyhow::Result<PgDb> {
        let name = format!(
            "chatload_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis()
                % 1_000_000_000
        );
        psql(admin_url, &format!("CREATE DATABASE \"{name}\""))?;
        Ok(PgDb {
            admin_url: admin_url.to_owned(),
            name,
        })
    }

    fn url(&self) -> String {
        // `postgres://user@host:port/db?options` with the database replaced.
        let (head, query) = match self.admin_url.split_once('?') {
            Some((h, q)) => (h, Some(q)),
            None => (self.admin_url.as_str(), None),
        };
        let base = match head.rfind('/') {
            Some(i) if i > "postgres://".len() => &head[..i],
            _ => head,
        };
        match query {
            Some(q) => format!("{base}/{}?{q}", self.name),
            None => format!("{base}/{}", self.name),
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let _ = psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let out = Command::new(psql_bin())
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .context("running psql (apt-get install postgresql-client)")?;
    if !out.status.success() {
        bail!(
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn psql_bin() -> PathBuf {
    if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut found: Vec<PathBuf> = dirs
            .filter_map(Result::ok)
            .map(|d| d.path().join("bin/psql"))
            .filter(|p| p.exists())
            .collect();
        found.sort();
        if let Some(p) = found.pop() {
            return p;
        }
    }
    PathBuf::from("psql")
}

/// The running desk: its nodes, the agents' one-time sign-in links (paths), its directory.
#[derive(Debug)]
pub struct Desk {
    pub nodes: Vec<Node>,
    /// `/agent/…` paths of one-time sign-in links, one per agent.
    pub agent_links: Vec<String>,
    pub backend: &'static str,
    // Dropped after the nodes (fields drop in order): the processes die before their
    // directory and database go.
    _db: Option<PgDb>,
    dir: tempfile::TempDir,
}

fn config(dir: &Path, node: usize, database_url: Option<&str>) -> anyhow::Result<PathBuf> {
    let data = dir.join(format!("node{node}"));
    std::fs::create_dir_all(&data)?;
    let path = dir.join(format!("node{node}.toml"));
    let mut text = format!(
        "listen = \"127.0.0.1:0\"\ndata_dir = \"{}\"\ndemo = false\n",
        data.display()
    );
    if let Some(url) = database_url {
        text.push_str(&format!("database_url = \"{url}\"\n"));
    }
    // Every conversation comes from one address here: lift the per-client budgets, as the
    // ticket bench does. The per-connection frame budgets (docs/CHAT-PROTOCOL.md §6) stay.
    text.push_str(
        "[limits]\nwindow_secs = 600\npublic_writes_per_client = 4000000000\n\
         api_per_client = 4000000000\napi_per_token = 4000000000\n\
         agent_writes_per_client = 4000000000\nsign_in = 4000000000\n",
    );
    std::fs::write(&path, text)?;
    Ok(path)
}

/// `walletdesk` with a clean environment: only what the bench sets reaches the server.
fn walletdesk(bin: &Path) -> Command {
    let mut c = Command::new(bin);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("WALLETDESK_") {
            c.env_remove(k);
        }
    }
    c.env("WALLETDESK_LOG", "warn");
    c
}

fn run(bin: &Path, args: &[&str], config: &Path, stdin: &[u8]) -> anyhow::Result<String> {
    let mut child = walletdesk(bin)
        .args(args)
        .arg("--config")
        .arg(config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    if let Some(mut i) = child.stdin.take() {
        i.write_all(stdin)?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "walletdesk {args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The path and query of a URL (`http://host:port/agent/…` → `/agent/…`).
fn path_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    rest.find('/').map(|i| &rest[i..])
}

fn spawn(bin: &Path, config: &Path, log: &Path) -> anyhow::Result<Node> {
    let mut child = walletdesk(bin)
        .args(["serve", "--config"])
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log)?)
        .spawn()
        .with_context(|| format!("starting {} serve", bin.display()))?;
    let out = child.stdout.take().context("stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the address, then drains stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if !sent && let Some(base) = line.strip_prefix("listening on ") {
                let _ = tx.send(base.trim().to_owned());
                sent = true;
            }
        }
    });
    let pid = child.id();
    let mut node = Node {
        child,
        base: String::new(),
        pid,
    };
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(base) => node.base = base,
        Err(_) => bail!(
            "walletdesk serve did not say where it listens; its log: {}",
            std::fs::read_to_string(log).unwrap_or_default().trim()
        ),
    }
    Ok(node)
}

impl Desk {
    /// Starts the desk and waits until every node answers `/healthz`.
    ///
    /// # Errors
    /// The binary, `psql` or the database failed; the message says which.
    pub async fn start(o: &DeskOptions) -> anyhow::Result<Desk> {
        let o = o.clone();
        let desk = tokio::task::spawn_blocking(move || Desk::start_blocking(&o)).await??;
        let http = reqwest::Client::new();
        for n in &desk.nodes {
            let mut tries = 0;
            loop {
                match http.get(format!("{}/healthz", n.base)).send().await {
                    Ok(r) if r.status().is_success() => break,
                    _ if tries < 600 => {
                        tries += 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    _ => bail!("{} never became healthy", n.base),
                }
            }
        }
        Ok(desk)
    }

    fn start_blocking(o: &DeskOptions) -> anyhow::Result<Desk> {
        if o.nodes == 0 || (o.nodes > 1 && o.pg_admin_url.is_none()) {
            bail!("several nodes need PostgreSQL (--pg); SQLite is one process");
        }
        let dir = tempfile::Builder::new().prefix("chat-load.").tempdir()?;
        let db = o.pg_admin_url.as_deref().map(PgDb::create).transpose()?;
        let url = db.as_ref().map(PgDb::url);
        let configs: Vec<PathBuf> = (0..o.nodes)
            .map(|i| config(dir.path(), i, url.as_deref()))
            .collect::<anyhow::Result<_>>()?;
        if o.nodes > 1 {
            let key = run(&o.bin, &["keys", "export"], &configs[0], b"")?;
            for c in &configs[1..] {
                run(&o.bin, &["keys", "import"], c, key.as_bytes())?;
            }
        }
        let mut agent_links = Vec::with_capacity(o.agents);
        for i in 0..o.agents {
            let out = run(
                &o.bin,
                &[
                    "admin",
                    "create-agent",
                    "--email",
                    &format!("agent{i}@bench.example"),
                    "--name",
                    &format!("Bench agent {i}"),
                ],
                &configs[0],
                b"",
            )?;
            let link = out
                .split_whitespace()
                .find(|w| w.starts_with("http"))
                .and_then(path_of)
                .with_context(|| format!("no sign-in link in {out:?}"))?;
            agent_links.push(link.to_owned());
        }
        let mut nodes = Vec::with_capacity(o.nodes);
        for (i, c) in configs.iter().enumerate() {
            nodes.push(spawn(&o.bin, c, &dir.path().join(format!("node{i}.log")))?);
        }
        Ok(Desk {
            nodes,
            agent_links,
            backend: if db.is_some() { "PostgreSQL" } else { "SQLite" },
            _db: db,
            dir,
        })
    }

    /// Where the nodes' logs are (kept until the desk is dropped).
    #[must_use]
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The last lines of node `i`'s log, for an error message.
    #[must_use]
    pub fn log_tail(&self, i: usize) -> String {
        let text = std::fs::read_to_string(self.dir.path().join(format!("node{i}.log")))
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fresh_database_replaces_the_admin_urls_database() {
        let db = PgDb {
            admin_url: "postgres://postgres@127.0.0.1:5473/postgres".into(),
            name: "chatload_1".into(),
        };
        assert_eq!(db.url(), "postgres://postgres@127.0.0.1:5473/chatload_1");
        let with_query = PgDb {
            admin_url: "postgres://u:p@h:1/postgres?sslmode=disable".into(),
            name: "x".into(),
        };
        assert_eq!(with_query.url(), "postgres://u:p@h:1/x?sslmode=disable");
        std::mem::forget(db);
        std::mem::forget(with_query);
    }

    #[test]
    fn a_links_path_is_kept_with_its_query() {
        assert_eq!(
            path_of("http://127.0.0.1:8080/agent/link/abc?x=1"),
            Some("/agent/link/abc?x=1")
        );
        assert_eq!(path_of("no scheme"), None);
    }
}
