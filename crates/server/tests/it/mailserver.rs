//! Real mail servers for the mail tests, on loopback, started and stopped by the tests:
//!
//! * [`Dovecot`] — Dovecot from Debian (`dovecot-imapd`, `dovecot-lmtpd`) with a throw-away
//!   configuration: its own base and mail directories in a temp dir, a static password
//!   database (one password per instance, any user name), IMAP on a port of the 20500–20599
//!   range (Dovecot cannot bind port 0; if a port is taken, the server fails to start and the
//!   next one is tried — it says so itself, no check-then-use race), LMTP on a socket.
//! * [`SmtpRelay`] — aiosmtpd (PyPI) on port 0, relaying every message into Dovecot's LMTP:
//!   mail that arrives the way real mail arrives.
//!
//! nextest runs each test in its own process, so each test starts its own servers (about a
//! second); they are stopped when dropped. When Dovecot or aiosmtpd is missing, the tests fail
//! loudly, unless `WALLETDESK_SKIP_MAIL=1`, when they say why and skip. `scripts/test`
//! installs both.
//!
//! Self-contained (no `crate::` helpers) so that `benches/imap_fetch.rs` includes it too.

#![allow(dead_code, reason = "the tests and the benchmark each use a part")]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DOVECOT: &str = "/usr/sbin/dovecot";
/// Plain IMAP; with TLS, implicit TLS on the port [`TLS_OFFSET`] above.
const PORTS: std::ops::Range<u16> = 20500..20550;
const TLS_OFFSET: u16 = 50;

/// `None` (and why, on stderr) when `WALLETDESK_SKIP_MAIL=1`; a panic otherwise.
#[allow(
    clippy::print_stderr,
    reason = "saying why a test skips; `allow`, not `expect`: the lint fires in the benchmark only"
)]
fn missing(what: &str) -> Option<std::convert::Infallible> {
    if std::env::var("WALLETDESK_SKIP_MAIL").as_deref() == Ok("1") {
        eprintln!("skipped: {what} (WALLETDESK_SKIP_MAIL=1)");
        None
    } else {
        panic!("{what}; scripts/test installs it, or set WALLETDESK_SKIP_MAIL=1 to skip");
    }
}

/// A running Dovecot; stopped (and its directory removed) when dropped.
#[derive(Debug)]
pub(crate) struct Dovecot {
    pub(crate) port: u16,
    /// Implicit TLS (a self-signed certificate for 127.0.0.1), when started with it.
    pub(crate) tls_port: Option<u16>,
    pub(crate) password: String,
    child: Child,
    dir: tempfile::TempDir,
}

fn id_of(flag: &str, user: &str) -> u32 {
    let out = Command::new("id").args([flag, user]).output().expect("id");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no user {user}"))
}

impl Dovecot {
    /// Starts one, or `None` when it is not installed and the mail tests may be skipped.
    pub(crate) async fn start() -> Option<Dovecot> {
        Self::start_with(false).await
    }

    /// Also listens for implicit TLS with a fresh self-signed certificate (no CA trusts it).
    pub(crate) async fn start_with_tls() -> Option<Dovecot> {
        Self::start_with(true).await
    }

    async fn start_with(tls: bool) -> Option<Dovecot> {
        if !Path::new(DOVECOT).exists() {
            missing("Dovecot is not installed (apt-get install -y dovecot-imapd dovecot-lmtpd)")?;
        }
        let mut seed = [0u8; 10];
        getrandom::fill(&mut seed).expect("random");
        let password: String = seed.iter().map(|b| format!("{b:02x}")).collect();
        let offset = u16::from(seed[0]) % (PORTS.end - PORTS.start);
        for i in 0..(PORTS.end - PORTS.start) {
            let port = PORTS.start + (offset + i) % (PORTS.end - PORTS.start);
            if let Some(d) = Self::try_start(port, &password, tls).await {
                return Some(d);
            }
        }
        panic!("Dovecot could not bind any port in {PORTS:?}");
    }

    /// `None` when the port was taken.
    async fn try_start(port: u16, password: &str, tls: bool) -> Option<Dovecot> {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let is_root = rustix::process::getuid().is_root();
        // As root, Dovecot runs its processes as its own users (and refuses uid 0 for mail);
        // otherwise everything runs as the current user.
        let (login_user, internal_user, mail_user) = if is_root {
            (
                "dovenull".to_owned(),
                "dovecot".to_owned(),
                "dovecot".to_owned(),
            )
        } else {
            let me = String::from_utf8(Command::new("id").arg("-un").output().expect("id").stdout)
                .expect("user name")
                .trim()
                .to_owned();
            (me.clone(), me.clone(), me)
        };
        let mail = root.join("mail");
        std::fs::create_dir_all(&mail).expect("mail dir");
        std::fs::create_dir_all(root.join("run")).expect("run dir");
        if is_root {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            std::os::unix::fs::chown(
                &mail,
                Some(id_of("-u", &mail_user)),
                Some(id_of("-g", &mail_user)),
            )
            .expect("chown");
        }
        let r = root.display();
        let tls_port = tls.then_some(port + TLS_OFFSET);
        let ssl = if tls {
            let out = Command::new("openssl")
                .args([
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                ])
                .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
                .args(["-addext", "subjectAltName=IP:127.0.0.1"])
                .arg("-keyout")
                .arg(root.join("key.pem"))
                .arg("-out")
                .arg(root.join("cert.pem"))
                .output()
                .expect("openssl");
            assert!(
                out.status.success(),
                "openssl: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            format!("ssl = yes\nssl_cert = <{r}/cert.pem\nssl_key = <{r}/key.pem\n")
        } else {
            "ssl = no\n".to_owned()
        };
        let imaps = tls_port.unwrap_or(0);
        let conf = format!(
            r#"base_dir = {r}/run
state_dir = {r}/run/state
log_path = {r}/dovecot.log
instance_name = walletdesk-test-{port}
protocols = imap lmtp
listen = 127.0.0.1
{ssl}# Throw-away mail: no fsync per message (the benchmark appends thousands).
mail_fsync = never
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_user}
first_valid_uid = 1
# RCPT TO:<desk@walletdesk.test> over LMTP and LOGIN desk over IMAP are one user.
auth_username_format = %Ln
mail_location = maildir:{r}/mail/%u/Maildir
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={r}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 200
}}
"#
        );
        let conf_path = root.join("dovecot.conf");
        std::fs::write(&conf_path, conf).expect("write dovecot.conf");
        let out = std::fs::File::create(root.join("stdout.txt")).expect("stdout file");
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(&conf_path)
            .stdout(out.try_clone().expect("dup"))
            .stderr(out)
            .spawn()
            .expect("start dovecot");
        let mut d = Dovecot {
            port,
            tls_port,
            password: password.to_owned(),
            child,
            dir,
        };
        for _ in 0..200 {
            if let Ok(Some(status)) = d.child.try_wait() {
                let log = d.log();
                if log.contains("Address already in use") {
                    return None;
                }
                panic!("Dovecot exited ({status}):\n{log}");
            }
            // Ours when our password opens it: another test's Dovecot could hold the port.
            if let Ok(Ok(mut s)) =
                tokio::time::timeout(Duration::from_secs(2), d.try_session()).await
            {
                let _ = s.logout().await;
                return Some(d);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("Dovecot did not answer on port {port}:\n{}", d.log());
    }

    /// Dovecot's own log and output.
    pub(crate) fn log(&self) -> String {
        let mut s =
            std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default();
        s.push_str(
            &std::fs::read_to_string(self.dir.path().join("stdout.txt")).unwrap_or_default(),
        );
        s
    }

    /// The user every test uses (any name logs in; each has its own Maildir).
    pub(crate) const USER: &'static str = "desk";

    /// The URL the fetcher is configured with.
    pub(crate) fn url(&self, folder: &str) -> String {
        format!(
            "imap://{}:{}@127.0.0.1:{}/{folder}",
            Self::USER,
            self.password,
            self.port
        )
    }

    /// The configuration file (for `doveadm -c`).
    pub(crate) fn config_path(&self) -> PathBuf {
        self.dir.path().join("dovecot.conf")
    }

    /// The mail directory on disk (every user's Maildir under it).
    pub(crate) fn mail_dir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    /// Dovecot's LMTP socket.
    pub(crate) fn lmtp_socket(&self) -> PathBuf {
        self.dir.path().join("run").join("lmtp")
    }

    async fn try_session(&self) -> Result<Session<TcpStream>, String> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .map_err(|e| e.to_string())?;
        // APPEND writes a literal in two parts; Nagle would hold the second for an ACK.
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        let mut client = async_imap::Client::new(tcp);
        client
            .read_response()
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no greeting")?;
        client
            .login(Self::USER, &self.password)
            .await
            .map_err(|(e, _)| e.to_string())
    }

    /// A session of the test's own, logged in.
    pub(crate) async fn session(&self) -> Session<TcpStream> {
        self.try_session().await.expect("IMAP login")
    }

    /// APPENDs each message to `folder` over one connection.
    pub(crate) async fn append_all(&self, folder: &str, messages: &[Vec<u8>]) {
        let mut s = self.session().await;
        for m in messages {
            s.append(folder, None, None, m).await.expect("APPEND");
        }
        let _ = s.logout().await;
    }

    pub(crate) async fn append(&self, folder: &str, message: &[u8]) {
        self.append_all(folder, &[message.to_vec()]).await;
    }

    /// The messages in `folder` (empty when it does not exist), with their flags.
    pub(crate) async fn messages(&self, folder: &str) -> Vec<Stored> {
        let mut s = self.session().await;
        let Ok(mailbox) = s.examine(folder).await else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if mailbox.exists > 0 {
            let fetched: Vec<_> = s
                .fetch("1:*", "(UID FLAGS BODY.PEEK[])")
                .await
                .expect("FETCH")
                .try_collect()
                .await
                .expect("FETCH");
            for f in fetched {
                out.push(Stored {
                    uid: f.uid.unwrap_or(0),
                    flags: f.flags().map(|fl| format!("{fl:?}")).collect(),
                    body: f.body().unwrap_or_default().to_vec(),
                });
            }
        }
        let _ = s.logout().await;
        out
    }

    /// Every file under the mail directory (all folders, indexes, caches) holding `needle`.
    pub(crate) fn files_containing(&self, needle: &[u8]) -> Vec<PathBuf> {
        files_containing(&self.mail_dir(), needle)
    }
}

/// Every file under `dir` whose bytes contain `needle`.
pub(crate) fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
            {
                found.push(p);
            }
        }
    }
    found
}

/// One message as the server holds it.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) uid: u32,
    pub(crate) flags: Vec<String>,
    pub(crate) body: Vec<u8>,
}

impl Stored {
    pub(crate) fn has_keyword(&self, k: &str) -> bool {
        self.flags.iter().any(|f| f.contains(k))
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its children; SIGKILL if it does not within 5 s.
        if let Some(pid) =
            rustix::process::Pid::from_raw(i32::try_from(self.child.id()).unwrap_or(i32::MAX))
        {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// aiosmtpd relaying into a [`Dovecot`]'s LMTP; stopped when dropped.
#[derive(Debug)]
pub(crate) struct SmtpRelay {
    pub(crate) port: u16,
    child: Child,
}

fn aiosmtpd_python() -> PathBuf {
    if let Ok(p) = std::env::var("WALLETDESK_TEST_AIOSMTPD_PYTHON") {
        return PathBuf::from(p);
    }
    let cache = std::env::var("XDG_CACHE_HOME").map_or_else(
        |_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache"),
        PathBuf::from,
    );
    cache.join("walletdesk/venv-aiosmtpd/bin/python")
}

impl SmtpRelay {
    pub(crate) fn start(dovecot: &Dovecot) -> Option<SmtpRelay> {
        let python = aiosmtpd_python();
        if !python.exists() {
            missing(&format!(
                "aiosmtpd's virtual environment is missing ({}; WALLETDESK_TEST_AIOSMTPD_PYTHON names another)",
                python.display()
            ))?;
        }
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/mailserver/smtp_to_lmtp.py"
        );
        let mut child = Command::new(&python)
            .arg(script)
            .arg(dovecot.lmtp_socket())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start aiosmtpd");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("aiosmtpd's port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("aiosmtpd did not start: {line:?}"));
        Some(SmtpRelay { port, child })
    }

    /// Sends one message over SMTP; panics unless the server accepts it.
    pub(crate) async fn send(&self, from: &str, to: &str, raw: &[u8]) {
        let tcp = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("SMTP connect");
        let (r, mut w) = tcp.into_split();
        let mut r = tokio::io::BufReader::new(r);
        async fn reply(r: &mut (impl AsyncBufReadExt + Unpin), want: &str) {
            loop {
                let mut line = String::new();
                r.read_line(&mut line).await.expect("SMTP read");
                assert!(line.starts_with(want), "SMTP: wanted {want}, got {line:?}");
                if line.as_bytes().get(3) != Some(&b'-') {
                    return;
                }
            }
        }
        reply(&mut r, "220").await;
        for (cmd, want) in [
            ("EHLO walletdesk.test".to_owned(), "250"),
            (format!("MAIL FROM:<{from}>"), "250"),
            (format!("RCPT TO:<{to}>"), "250"),
            ("DATA".to_owned(), "354"),
        ] {
            w.write_all(format!("{cmd}\r\n").as_bytes())
                .await
                .expect("SMTP write");
            reply(&mut r, want).await;
        }
        let mut data = Vec::with_capacity(raw.len() + 16);
        for line in raw.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.first() == Some(&b'.') {
                data.push(b'.');
            }
            data.extend_from_slice(line);
            data.extend_from_slice(b"\r\n");
        }
        data.extend_from_slice(b".\r\n");
        w.write_all(&data).await.expect("SMTP write");
        reply(&mut r, "250").await;
        w.write_all(b"QUIT\r\n").await.expect("SMTP write");
    }
}

impl Drop for SmtpRelay {
    fn drop(&mut self) {
        // Closing stdin ends the script; kill in case it does not.
        if let Some(mut stdin) = self.child.stdin.take() {
            let _ = stdin.flush();
        }
        for _ in 0..40 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
