//! Active chats: C user conversations on the first node, M agents on the last node (the same
//! node when there is one; node B on two nodes sharing one PostgreSQL), every chat accepted by
//! one agent (chat `i` by agent `i mod M`), then every user sends a message every `interval`
//! (with ±50 % jitter) for the warm-up and the measured window.
//!
//! Measured, for the messages sent inside the window:
//! * **delivery**: from just before the user's socket writes the `message` frame to the moment
//!   the accepting agent's socket reads the `message` event carrying its `client_id` — the
//!   end-to-end path (WebSocket in, redaction, the database write, the event bus, on two nodes
//!   PostgreSQL `LISTEN/NOTIFY`, WebSocket out);
//! * **ack**: from the same moment to the user's socket reading its `ack` (stored and answered).
//!
//! The send time travels in the `client_id` (`b<chat>.<seq>.<µs since the run began>`), so the
//! receiving side needs no shared table. Client and server share the machine's cores: the
//! client's own scheduling delay is inside the figures.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;

use crate::client;
use crate::desk::Desk;
use crate::stats::Summary;
use crate::sys;

/// What to run.
#[derive(Debug, Clone)]
pub struct ActiveOptions {
    pub chats: usize,
    pub agents: usize,
    /// Each user sends one message per `interval` on average.
    pub interval: Duration,
    /// Sent but not counted, after every chat is accepted.
    pub warmup: Duration,
    /// Counted.
    pub duration: Duration,
    /// Conversations being opened at once.
    pub concurrency: usize,
    pub lang: String,
}

/// The run's figures.
#[derive(Debug, Clone, Default)]
pub struct ActiveReport {
    pub backend: &'static str,
    pub nodes: usize,
    pub chats: usize,
    pub agents: usize,
    /// Conversations opened and accepted.
    pub accepted: usize,
    /// Messages sent in the window.
    pub sent: usize,
    pub delivery: Summary,
    pub ack: Summary,
    /// Errors by the protocol's code (and the client's own failures).
    pub errors: BTreeMap<String, u64>,
    /// Every node's resident memory at the end, KiB.
    pub rss_kib: Vec<u64>,
    /// Every node's CPU use during the window, in % of one core.
    pub cpu_pct: Vec<f64>,
    /// The bench's own CPU use during the window, % of one core.
    pub client_cpu_pct: f64,
    /// `message` events all agents' sockets received in the window (each agent hears the chats
    /// it accepted: one per message).
    pub agent_events: u64,
    pub first_error: Option<String>,
}

impl ActiveReport {
    /// Messages sent in the window that never reached their agent.
    #[must_use]
    pub fn undelivered(&self) -> usize {
        self.sent.saturating_sub(self.delivery.count)
    }
}

/// `b<chat>.<seq>.<µs>`.
fn client_id(chat: usize, seq: u64, at: Duration) -> String {
    format!("b{chat}.{seq}.{}", at.as_micros())
}

/// The chat index and send time of a bench `client_id`.
fn parse_client_id(s: &str) -> Option<(usize, Duration)> {
    let mut p = s.strip_prefix('b')?.split('.');
    let chat = p.next()?.parse().ok()?;
    let _seq: u64 = p.next()?.parse().ok()?;
    let us: u64 = p.next()?.parse().ok()?;
    Some((chat, Duration::from_micros(us)))
}

/// The measured window, relative to the run's start instant.
#[derive(Debug, Clone, Copy)]
struct Window {
    t0: Instant,
    from: Duration,
    to: Duration,
}

impl Window {
    fn contains(&self, at: Duration) -> bool {
        at >= self.from && at < self.to
    }
}

/// What an agent's task is told.
enum AgentCmd {
    Send(String),
    Stop,
}

#[derive(Debug, Default)]
struct AgentOut {
    delivery: Vec<Duration>,
    events: u64,
    errors: BTreeMap<String, u64>,
}

/// One agent's socket: sends what it is told, hands `history`/`error` answers to the accept
/// driver, and times the `message` events of its own chats.
async fn agent(
    mut ws: client::Ws,
    me: usize,
    agents: usize,
    mut cmds: mpsc::UnboundedReceiver<AgentCmd>,
    answers: mpsc::UnboundedSender<Value>,
    mut window: watch::Receiver<Option<Window>>,
) -> AgentOut {
    let mut out = AgentOut::default();
    loop {
        tokio::select! {
            // Frames already here are read before a `Stop` is taken.
            biased;
            m = ws.next() => {
                let received = Instant::now();
                let text = match m {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Close(c))) => {
                        let why = c.map_or_else(|| "agent_closed".to_owned(), |c| format!("agent_closed_{}", c.code));
                        *out.errors.entry(why).or_default() += 1;
                        break;
                    }
                    Some(Err(_)) | None => {
                        *out.errors.entry("agent_socket_lost".into()).or_default() += 1;
                        break;
                    }
                    Some(Ok(_)) => continue,
                };
                let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                match v["type"].as_str() {
                    Some("history" | "error") => { let _ = answers.send(v); }
                    Some("sync_needed") => *out.errors.entry("agent_sync_needed".into()).or_default() += 1,
                    Some("message") if v["message"]["sender"] == "user" => {
                        let Some((chat, sent)) = v["message"]["client_id"].as_str().and_then(parse_client_id) else { continue };
                        let w = *window.borrow_and_update();
                        if let Some(w) = w && w.contains(sent) {
                            out.events += 1;
                            if chat % agents == me {
                                out.delivery.push(received.duration_since(w.t0).saturating_sub(sent));
                            }
                        }
                    }
                    _ => {}
                }
            }
            cmd = cmds.recv() => match cmd {
                Some(AgentCmd::Send(text)) => {
                    if ws.send(Message::Text(text.into())).await.is_err() {
                        *out.errors.entry("agent_send_failed".into()).or_default() += 1;
                        break;
                    }
                }
                Some(AgentCmd::Stop) | None => break,
            },
        }
    }
    out
}

/// Accepts `chats` on one agent's socket, one at a time (the answer to an `accept` is that
/// chat's `history`), waiting out the connection's frame budget when told to.
async fn accept_all(
    cmds: &mpsc::UnboundedSender<AgentCmd>,
    answers: &mut mpsc::UnboundedReceiver<Value>,
    chats: &[i64],
) -> (usize, Option<String>) {
    let mut ok = 0;
    let mut first_error = None;
    for id in chats {
        let frame = json!({"type": "accept", "conversation": id}).to_string();
        loop {
            if cmds.send(AgentCmd::Send(frame.clone())).is_err() {
                return (ok, Some("the agent's socket ended".into()));
            }
            let Ok(Some(v)) = tokio::time::timeout(Duration::from_secs(60), answers.recv()).await
            else {
                return (ok, Some(format!("no answer to accepting chat {id}")));
            };
            if v["type"] == "history" {
                ok += 1;
                break;
            }
            if v["code"] == "rate_limited" {
                let ms = v["retry_after_ms"].as_u64().unwrap_or(200);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                continue;
            }
            first_error.get_or_insert_with(|| format!("accepting chat {id}: {v}"));
            break;
        }
    }
    (ok, first_error)
}

#[derive(Debug, Default)]
struct UserOut {
    sent: usize,
    ack: Vec<Duration>,
    errors: BTreeMap<String, u64>,
}

/// One user's socket: after `go`, a message every `interval` ± 50 % until the window ends.
async fn user(
    mut ws: client::Ws,
    chat: usize,
    interval: Duration,
    mut go: watch::Receiver<Option<Window>>,
) -> UserOut {
    let mut out = UserOut::default();
    let w = loop {
        if let Some(w) = *go.borrow_and_update() {
            break w;
        }
        tokio::select! {
            r = go.changed() => if r.is_err() { return out },
            m = ws.next() => match m {
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    *out.errors.entry("user_socket_lost".into()).or_default() += 1;
                    return out;
                }
            },
        }
    };
    let jitter = |d: Duration| d.mul_f64(0.5 + fastrand::f64());
    // Spread the first messages over one interval.
    let mut next = tokio::time::Instant::now() + interval.mul_f64(fastrand::f64());
    let end = tokio::time::Instant::from_std(w.t0 + w.to);
    // Answers still on the way when sending stops.
    let grace = end + Duration::from_secs(5);
    let mut seq = 0u64;
    let mut waiting = 0usize;
    loop {
        let sending = next < end;
        if !sending && (waiting == 0 || tokio::time::Instant::now() >= grace) {
            break;
        }
        tokio::select! {
            () = tokio::time::sleep_until(if sending { next } else { grace }) => {
                if !sending { break }
                seq += 1;
                let at = w.t0.elapsed();
                let frame = json!({
                    "type": "message",
                    "client_id": client_id(chat, seq, at),
                    "text": format!("Chat {chat}, message {seq}: my withdrawal has not arrived after two hours, is the transaction still pending?"),
                });
                if ws.send(Message::Text(frame.to_string().into())).await.is_err() {
                    *out.errors.entry("user_send_failed".into()).or_default() += 1;
                    return out;
                }
                if w.contains(at) {
                    out.sent += 1;
                    waiting += 1;
                }
                next += jitter(interval);
            },
            m = ws.next() => {
                let received = Instant::now();
                let text = match m {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Close(c))) => {
                        let why = c.map_or_else(|| "user_closed".to_owned(), |c| format!("user_closed_{}", c.code));
                        *out.errors.entry(why).or_default() += 1;
                        return out;
                    }
                    Some(Err(_)) | None => {
                        *out.errors.entry("user_socket_lost".into()).or_default() += 1;
                        return out;
                    }
                    Some(Ok(_)) => continue,
                };
                let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                match v["type"].as_str() {
                    Some("ack") => {
                        if let Some((_, sent)) = v["client_id"].as_str().and_then(parse_client_id)
                            && w.contains(sent)
                        {
                            waiting = waiting.saturating_sub(1);
                            out.ack.push(received.duration_since(w.t0).saturating_sub(sent));
                        }
                    }
                    Some("error") => {
                        let code = v["code"].as_str().unwrap_or("?").to_owned();
                        if let Some((_, sent)) = v["client_id"].as_str().and_then(parse_client_id)
                            && w.contains(sent)
                        {
                            waiting = waiting.saturating_sub(1);
                        }
                        *out.errors.entry(code).or_default() += 1;
                    }
                    Some("sync_needed") => *out.errors.entry("user_sync_needed".into()).or_default() += 1,
                    _ => {}
                }
            }
        }
    }
    out
}

/// Runs the scenario: users on the first node, agents on the last.
///
/// # Errors
/// Signing in or connecting an agent failed, or a server died.
pub async fn run(desk: &mut Desk, o: &ActiveOptions) -> anyhow::Result<ActiveReport> {
    let mut report = ActiveReport {
        backend: desk.backend,
        nodes: desk.nodes.len(),
        chats: o.chats,
        agents: o.agents,
        ..ActiveReport::default()
    };
    let user_node = &desk.nodes[0];
    let agent_node = &desk.nodes[desk.nodes.len() - 1];
    let (user_base, user_ws) = (user_node.base.clone(), user_node.ws_base());
    let agents_n = o.agents.max(1);
    let (go_tx, go_rx) = watch::channel::<Option<Window>>(None);

    // Agents: signed in through the first node, connected to the last.
    let mut agent_cmds = Vec::new();
    let mut agent_answers = Vec::new();
    let mut agent_tasks = JoinSet::new();
    for (me, link) in desk.agent_links.iter().enumerate().take(agents_n) {
        let cookie = client::sign_in(&user_base, link).await?;
        let ws = client::connect_agent(&agent_node.base, &cookie).await?;
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let (ans_tx, ans_rx) = mpsc::unbounded_channel();
        agent_tasks.spawn(agent(ws, me, agents_n, cmd_rx, ans_tx, go_rx.clone()));
        agent_cmds.push(cmd_tx);
        agent_answers.push(ans_rx);
    }
    if agent_cmds.len() < agents_n {
        anyhow::bail!("{} agents made, {agents_n} wanted", agent_cmds.len());
    }

    // Users: conversations opened and connected, waiting for `go`.
    let http = client::http()?;
    let permits = std::sync::Arc::new(Semaphore::new(o.concurrency.max(1)));
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel::<Result<(usize, i64), String>>();
    let mut user_tasks = JoinSet::new();
    for chat in 0..o.chats {
        let (http, base, ws_base, lang) = (
            http.clone(),
            user_base.clone(),
            user_ws.clone(),
            o.lang.clone(),
        );
        let (permits, ready, go) = (
            std::sync::Arc::clone(&permits),
            ready_tx.clone(),
            go_rx.clone(),
        );
        let interval = o.interval;
        user_tasks.spawn(async move {
            let opened = {
                let _p = permits.acquire().await;
                async {
                    let c = client::start_conversation(&http, &base, &lang).await?;
                    let ws = client::connect_user(&ws_base, &c).await?;
                    anyhow::Ok((c.id, ws))
                }
                .await
            };
            match opened {
                Ok((id, ws)) => {
                    let _ = ready.send(Ok((chat, id)));
                    drop(ready);
                    user(ws, chat, interval, go).await
                }
                Err(e) => {
                    let _ = ready.send(Err(format!("{e:#}")));
                    UserOut::default()
                }
            }
        });
    }
    drop(ready_tx);
    let mut ids: Vec<Vec<i64>> = vec![Vec::new(); agents_n];
    let mut open_failed = 0u64;
    while let Some(r) = ready_rx.recv().await {
        match r {
            Ok((chat, id)) => ids[chat % agents_n].push(id),
            Err(e) => {
                open_failed += 1;
                report.first_error.get_or_insert(e);
            }
        }
    }
    if open_failed > 0 {
        report.errors.insert("open_failed".into(), open_failed);
    }

    // Every chat accepted by its agent, all agents at once.
    let mut accepting = JoinSet::new();
    for ((cmds, mut answers), chats) in agent_cmds.iter().cloned().zip(agent_answers).zip(ids) {
        accepting.spawn(async move {
            let r = accept_all(&cmds, &mut answers, &chats).await;
            (r, answers)
        });
    }
    while let Some(r) = accepting.join_next().await {
        let ((ok, err), _answers) = r?;
        report.accepted += ok;
        if let Some(e) = err {
            report.first_error.get_or_insert(e);
        }
    }

    // Go: warm-up, then the window.
    let pids: Vec<u32> = desk.nodes.iter().map(|n| n.pid).collect();
    let t0 = Instant::now();
    let window = Window {
        t0,
        from: o.warmup,
        to: o.warmup + o.duration,
    };
    let _ = go_tx.send(Some(window));
    tokio::time::sleep(o.warmup).await;
    let cpu0: Vec<f64> = pids
        .iter()
        .map(|p| sys::cpu_secs(*p).unwrap_or(0.0))
        .collect();
    let me0 = sys::cpu_secs(std::process::id()).unwrap_or(0.0);
    let w0 = Instant::now();
    tokio::time::sleep(o.duration).await;
    let secs = w0.elapsed().as_secs_f64();
    report.cpu_pct = pids
        .iter()
        .zip(&cpu0)
        .map(|(p, c0)| (sys::cpu_secs(*p).unwrap_or(0.0) - c0) / secs * 100.0)
        .collect();
    report.client_cpu_pct = (sys::cpu_secs(std::process::id()).unwrap_or(0.0) - me0) / secs * 100.0;
    report.rss_kib = pids.iter().map(|p| sys::rss_kib(*p).unwrap_or(0)).collect();

    let mut acks = Vec::new();
    while let Some(r) = user_tasks.join_next().await {
        let u = r?;
        report.sent += u.sent;
        acks.extend(u.ack);
        for (k, v) in u.errors {
            *report.errors.entry(k).or_default() += v;
        }
    }
    // A user stops at its last `ack`; the agent's copy of that message may still be on its
    // way (both are sent after the same write).
    tokio::time::sleep(Duration::from_secs(2)).await;
    for c in &agent_cmds {
        let _ = c.send(AgentCmd::Stop);
    }
    let mut deliveries = Vec::new();
    while let Some(r) = agent_tasks.join_next().await {
        let a = r?;
        deliveries.extend(a.delivery);
        report.agent_events += a.events;
        for (k, v) in a.errors {
            *report.errors.entry(k).or_default() += v;
        }
    }
    report.delivery = Summary::of(&mut deliveries);
    report.ack = Summary::of(&mut acks);
    for (i, n) in desk.nodes.iter_mut().enumerate() {
        if !n.alive() {
            anyhow::bail!("node {i} died; its log:\n{}", desk.log_tail(i));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_time_travels_in_the_client_id() {
        let id = client_id(917, 12, Duration::from_micros(61_234_567));
        assert!(id.len() <= 64, "the protocol's limit");
        assert_eq!(
            parse_client_id(&id),
            Some((917, Duration::from_micros(61_234_567)))
        );
        assert_eq!(parse_client_id("c-5f1"), None, "not the bench's");
        assert_eq!(parse_client_id("b1.2"), None);
    }

    #[test]
    fn the_window_holds_its_start_and_not_its_end() {
        let w = Window {
            t0: Instant::now(),
            from: Duration::from_secs(10),
            to: Duration::from_secs(70),
        };
        assert!(!w.contains(Duration::from_secs(9)));
        assert!(w.contains(Duration::from_secs(10)));
        assert!(!w.contains(Duration::from_secs(70)));
    }
}
