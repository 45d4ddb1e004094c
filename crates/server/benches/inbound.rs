//! Inbound mail throughput through `server::mail::inbound::receive` (parse, redact, thread,
//! store) into a temporary SQLite desk. Prints figures; asserts nothing.
//!
//! ```sh
//! cargo bench -p walletdesk-server --bench inbound    # INBOUND_BENCH_N=n messages (default 3000)
//! ```
//!
//! The messages are derived from the corpus (`crates/mail/tests/corpus`): each person-written
//! shape with its `From` and `Message-ID` made unique, so that about half open a ticket and half
//! are replies (`In-Reply-To` an earlier message of the same sender), plus auto-replies, list
//! mail and bounces; one in ten carries a 12-word phrase (in the body, or in the subject of a base64 body).

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set itself up should fail"
)]

use std::time::Instant;

use server::mail::inbound::receive;

const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../mail/tests/corpus");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "eml").then(|| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
        })
        .collect();
    out.sort();
    out
}

/// Replaces the first `From:`/`Message-ID:` lines (or adds them) for message `i`.
fn vary(raw: &[u8], i: usize, reply_to: Option<usize>, secret: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines: Vec<String> = head
        .split("\r\n")
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            !(l.starts_with("from:")
                || l.starts_with("message-id:")
                || l.starts_with("in-reply-to:")
                || l.starts_with("references:")
                || l.starts_with("subject:"))
        })
        .map(str::to_owned)
        .collect();
    let sender = reply_to.unwrap_or(i);
    lines.insert(0, format!("From: user{sender}@bench.example"));
    lines.insert(1, format!("Message-ID: <m{i}@bench.example>"));
    let base64 = head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64");
    if secret && base64 {
        lines.insert(2, format!("Subject: bench message {i} {PHRASE}"));
    } else {
        lines.insert(2, format!("Subject: bench message {i}"));
    }
    if let Some(r) = reply_to {
        lines.insert(3, format!("In-Reply-To: <m{r}@bench.example>"));
    }
    let mut body = body.to_owned();
    if secret && !base64 {
        body = format!("My words: {PHRASE}\r\n{body}");
    }
    format!("{}\r\n\r\n{body}", lines.join("\r\n")).into_bytes()
}

fn main() {
    let n: usize = std::env::var("INBOUND_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let shapes = corpus();
    let person: Vec<&Vec<u8>> = shapes
        .iter()
        .filter(|(_, raw)| mail::inbound::parse(raw).is_ok_and(|m| m.class.may_answer()))
        .map(|(_, r)| r)
        .collect();
    let loops: Vec<&Vec<u8>> = shapes
        .iter()
        .filter(|(_, raw)| mail::inbound::parse(raw).is_ok_and(|m| !m.class.may_answer()))
        .map(|(_, r)| r)
        .collect();
    let mut messages = Vec::with_capacity(n);
    let mut bytes = 0usize;
    for i in 0..n {
        let raw = if i % 10 == 9 {
            loops[i % loops.len()].clone()
        } else {
            // Odd messages answer the one before them (same sender).
            let reply_to = (i % 2 == 1).then(|| i - 1);
            let shape = if i % 10 == 4 { i / 10 } else { i };
            vary(person[shape % person.len()], i, reply_to, i % 10 == 4)
        };
        bytes += raw.len();
        messages.push(raw);
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bench.db");
        let store = store_sqlite::SqliteStore::open(db.to_str().unwrap())
            .await
            .unwrap();
        store::Store::migrate(&store).await.unwrap();
        let mut config = server::Config {
            data_dir: dir.path().to_owned(),
            demo: false,
            ..server::Config::default()
        };
        config.limits.tickets_per_email = u32::MAX;
        config.limits.tickets_per_ip = u32::MAX;
        config.limits.replies_per_client = u32::MAX;
        config.limits.replies_per_ticket = u32::MAX;
        let state = server::AppState::new(std::sync::Arc::new(store), config);

        let secrets = messages
            .iter()
            .filter(|raw| {
                mail::inbound::parse(raw)
                    .is_ok_and(|m| format!("{}{}", m.subject, m.new_text).contains("sausage"))
            })
            .count();
        let (mut created, mut appended, mut dropped, mut failed) = (0, 0, 0, 0);
        let start = Instant::now();
        for raw in &messages {
            match receive(&state, raw).await {
                Ok(r) if r.created => created += 1,
                Ok(r) if r.ticket_id.is_some() => appended += 1,
                Ok(_) => dropped += 1,
                Err(_) => failed += 1,
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "inbound receive(): {n} messages ({:.1} MB) in {secs:.2} s: {:.0} messages/s",
            bytes as f64 / 1e6,
            n as f64 / secs
        );
        println!(
            "  created {created}, appended {appended}, dropped (auto-reply/list/bounce) {dropped}, \
             refused {failed}, carrying a phrase {secrets}"
        );
    });
}
