//! `walletdesk serve` as an operator runs it: first start prints the sign-in link, a write the
//! client was told succeeded survives `kill -9`, SIGTERM stops it cleanly, `backup` copies a
//! live database.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String,
    sign_in_link: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &std::path::Path) -> Server {
    start_with(data_dir, &[])
}

/// [`start`] with more environment variables.
fn start_with(data_dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let config = data_dir.with_extension("toml");
    std::fs::write(
        &config,
        "demo = false\n[limits]\ntickets_per_ip = 100000\ntickets_per_email = 100000\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .arg("--config")
        .arg(&config)
        .env("WALLETDESK_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("listening on ")
        .expect("first line names the address")
        .to_owned();
    let mut sign_in_link = None;
    // The sign-in lines, when this start created the first admin, come right after.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_millis(500);
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(link) = line.strip_prefix("sign-in link: ") {
            sign_in_link = Some(link.to_owned());
        }
    }
    Server {
        child,
        base,
        sign_in_link,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn create(client: &reqwest::Client, base: &str, i: usize) -> String {
    let r = client
        .post(format!("{base}/api/v1/tickets"))
        .json(&serde_json::json!({"email": format!("u{i}@example.com"), "category": "other", "subject": format!("crash test {i}"), "body": "body"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let j: serde_json::Value = r.json().await.unwrap();
    j["access_url"]
        .as_str()
        .unwrap()
        .strip_prefix(base)
        .unwrap()
        .to_owned()
}

#[test]
fn acknowledged_tickets_survive_kill_9_and_the_first_start_prints_a_sign_in_link() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = start(&data);
    let link = server
        .sign_in_link
        .clone()
        .expect("first start prints a one-time sign-in link");
    assert!(link.starts_with(&format!("{}/agent/link/", server.base)));
    let client = reqwest::Client::new();
    let paths: Vec<String> = runtime().block_on(async {
        let mut v = Vec::new();
        for i in 0..40 {
            v.push(create(&client, &server.base, i).await);
        }
        v
    });
    server.child.kill().unwrap(); // SIGKILL: no shutdown work at all.
    server.child.wait().unwrap();
    let server = start(&data);
    assert!(
        server.sign_in_link.is_none(),
        "the admin exists now; no new link"
    );
    runtime().block_on(async {
        for (i, path) in paths.iter().enumerate() {
            let r = client
                .get(format!("{}{path}", server.base))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "ticket {i} lost");
            assert!(r.text().await.unwrap().contains(&format!("crash test {i}")));
        }
    });
}

#[test]
fn sigterm_stops_the_server_cleanly_and_backup_copies_the_live_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = start(&data);
    let client = reqwest::Client::new();
    let path = runtime().block_on(create(&client, &server.base, 1));
    let copy = dir.path().join("copy.db");
    let out = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&copy).unwrap().len() > 0);
    let again = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
    // The backup is a database of its own: the desk runs on it.
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(&copy, restored.join("walletdesk.db")).unwrap();
    let server = start(&restored);
    let r = runtime().block_on(async {
        client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(r, 200);
}

#[test]
fn create_agent_prints_a_link_to_where_the_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = start(&data);
    assert!(
        !server.base.ends_with(":8080"),
        "the test needs a port other than the default"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_walletdesk"))
        .args(["admin", "--data-dir"])
        .arg(&data)
        .arg("--config")
        .arg(data.with_extension("toml"))
        .args(["create-agent", "--email", "new.agent@example.com"])
        .env("WALLETDESK_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("{}/agent/link/", server.base)),
        "{stdout}"
    );
}

/// `walletdesk serve` keeps its data directory to its owner: the directory and every directory
/// in it `0700`, every file (database, WAL, SHM, search index, link key) `0600`, including the
/// files made while serving.
#[cfg(unix)]
#[test]
fn the_data_directory_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = start(&data);
    let client = reqwest::Client::new();
    runtime().block_on(async {
        for i in 0..3 {
            create(&client, &server.base, i).await;
        }
    });
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut files = Vec::new();
    let mut stack = vec![data.clone()];
    while let Some(d) = stack.pop() {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                assert_eq!(mode(&p), 0o600, "{}", p.display());
                files.push(p.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    for expected in [
        "walletdesk.db",
        "walletdesk.db-wal",
        "walletdesk.db-shm",
        "link.key",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} in {files:?}"
        );
    }
    drop(server);
}

/// `serve` runs with glibc's trim threshold set (main.rs, `malloc`), in the same process the
/// caller started; an operator's own value is kept.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn serve_gives_freed_memory_back_and_keeps_an_operators_setting() {
    let environ = |pid: u32| -> String {
        std::fs::read(format!("/proc/{pid}/environ"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', "\n"))
            .unwrap_or_default()
    };
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("data"));
    // The `listening on` line came from the started pid itself (exec keeps it).
    let env = environ(server.child.id());
    assert!(
        env.lines().any(|l| l == "MALLOC_TRIM_THRESHOLD_=524288"),
        "{env}"
    );
    drop(server);

    let dir = tempfile::tempdir().unwrap();
    let server = start_with(
        &dir.path().join("data"),
        &[("MALLOC_TRIM_THRESHOLD_", "1048576")],
    );
    let env = environ(server.child.id());
    assert!(
        env.lines().any(|l| l == "MALLOC_TRIM_THRESHOLD_=1048576"),
        "{env}"
    );
}
