//! Outbound mail throughput: mails per second from the outbox to a local SMTP server (aiosmtpd,
//! `tests/smtp/sink.py`, on 127.0.0.1), through the real path — claim under a lease, build
//! (`mail::outbound`), send over SMTP (lettre, pooled connections), mark sent — on a SQLite
//! store in a temporary directory. Also the pure builder alone.
//!
//! `cargo bench -p walletdesk-server --bench mail_out` (`WALLETDESK_BENCH_MAILS`, default 2000;
//! the Python with aiosmtpd in `WALLETDESK_TEST_AIOSMTPD_PYTHON`, as `scripts/test` sets it).
#![expect(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark prints its figures"
)]

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use domain::{EmailAddress, Lang, Redacted};
use server::mail::config::MailConfig;
use server::mail::outbox::{Mailer, deliver_due};
use server::{AppState, Config};
use store::{NewMail, Store};

fn main() {
    let n: usize = std::env::var("WALLETDESK_BENCH_MAILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);

    // The builder alone.
    let i18n = i18n::I18n::default();
    let text = "We received your request.\n\nYour ticket link: https://desk.example/t/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n";
    let start = Instant::now();
    let mut bytes = 0;
    for i in 0..20_000 {
        let id = format!("<o{i}.1796111873000@lanternfish.example>");
        let raw = mail::outbound::build(
            &i18n,
            &mail::outbound::Outgoing {
                lang: if i % 2 == 0 { Lang::En } else { Lang::ZhCn },
                from_name: "Lanternfish Wallet",
                from_addr: "support@lanternfish.example",
                to: "user@example.com",
                reply_to: Some("support+t7.0123456789abcdef0123@lanternfish.example"),
                subject: "[Ticket #7] 转账一直显示 pending",
                text,
                message_id: &id,
                thread_root: Some("<t7.1796111800000@lanternfish.example>"),
                auto_submitted: true,
                anti_phishing_code: None,
                date_ms: 1_796_111_873_000,
            },
        )
        .unwrap();
        bytes += raw.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "build only: 20000 mails in {secs:.3} s = {:.0} mails/s ({} bytes each)",
        20_000.0 / secs,
        bytes / 20_000
    );

    let Ok(python) = std::env::var("WALLETDESK_TEST_AIOSMTPD_PYTHON").or_else(|_| {
        let p = Path::new(&std::env::var("HOME").unwrap_or_default())
            .join(".cache/walletdesk/venv-aiosmtpd/bin/python");
        p.exists().then(|| p.display().to_string()).ok_or(())
    }) else {
        println!(
            "no aiosmtpd (run scripts/test once, or set WALLETDESK_TEST_AIOSMTPD_PYTHON): SMTP figure skipped"
        );
        return;
    };
    let sink_dir = tempfile::tempdir().unwrap();
    let mut sink = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/sink.py"))
        .arg(sink_dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(sink.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().strip_prefix("PORT ").unwrap().parse().unwrap();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(
            store_sqlite::SqliteStore::open(&format!(
                "sqlite://{}",
                dir.path().join("bench.db").display()
            ))
            .await
            .unwrap(),
        );
        store.migrate().await.unwrap();
        let mc = MailConfig {
            smtp_url: format!("smtp://127.0.0.1:{port}"),
            from: "support@lanternfish.example".into(),
            batch: 50,
            ..MailConfig::default()
        };
        let mailer = Mailer::new(&mc).unwrap();
        let config = Config {
            data_dir: dir.path().to_owned(),
            demo: false,
            mail: Some(mc),
            ..Config::default()
        };
        let state = AppState::new(Arc::clone(&store), config);
        let now = state.now();
        for i in 0..n {
            store
                .enqueue_mail(NewMail {
                    to: EmailAddress::parse(&format!("user{i}@example.com")).unwrap(),
                    subject: Redacted::clean("Your sign-in link"),
                    body_text: Redacted::clean(text),
                    link_seed: None,
                    kind: "notification".into(),
                    ticket_id: None,
                    lang: Lang::En,
                    now,
                })
                .await
                .unwrap();
        }
        let start = Instant::now();
        let mut sent = 0;
        while sent < n {
            let r = deliver_due(&state, &mailer).await.unwrap();
            assert_eq!(r.retried + r.failed, 0, "a mail was refused");
            sent += r.sent as usize;
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "outbox → aiosmtpd on 127.0.0.1: {n} mails in {secs:.2} s = {:.0} mails/s (SQLite, debug build, batches of 50, up to 8 at a time over pooled SMTP connections)",
            n as f64 / secs
        );
    });
    let received = std::fs::read_dir(sink_dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "eml")
        })
        .count();
    println!("the server stored {received} messages");
    let _ = sink.kill();
    let _ = sink.wait();
}
