//! Running the server: first-start work (migrations, demo content, the first admin), the
//! listener, the periodic jobs (`jobs::run`), and graceful shutdown on SIGTERM or Ctrl-C with in-flight requests
//! finished and the queued search log written.

use std::net::SocketAddr;
use std::sync::Arc;

use domain::{EmailAddress, Lang, Role, Timestamp};
use store::{NewAgent, Store};
use tokio::net::TcpListener;

use crate::{AppState, Config, auth, demo, jobs, router};

/// What first start printed for the operator.
#[derive(Debug)]
pub struct Started {
    pub addr: SocketAddr,
    /// A one-time sign-in link for the first admin, when this start created one.
    pub first_admin_link: Option<String>,
}

/// Migrates, seeds and creates the first admin when the database is empty.
///
/// # Errors
/// Storage failures.
pub async fn prepare(state: &AppState) -> anyhow::Result<Option<String>> {
    // Nodes starting together on one PostgreSQL take turns: one seeds and creates the first
    // admin, the next finds them there.
    let _turn = state
        .node
        .lock(
            crate::cluster::Job::Prepare,
            std::time::Duration::from_millis(200),
        )
        .await?;
    state.store.migrate().await?;
    if state.config.demo {
        demo::seed(state).await?;
    }
    crate::help::reindex_if_needed(state)
        .await
        .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
    if state.store.count_agents().await? > 0 {
        return Ok(None);
    }
    let link =
        create_agent_with_link(state, "admin@walletdesk.invalid", "Admin", Role::Admin).await?;
    Ok(Some(link))
}

/// Creates an agent with an unusable random password and returns a one-time sign-in link
/// (valid 24 hours) with which they set in.
///
/// # Errors
/// A malformed address, a taken address, storage failures.
pub async fn create_agent_with_link(
    state: &AppState,
    email: &str,
    name: &str,
    role: Role,
) -> anyhow::Result<String> {
    let email = EmailAddress::parse(email)?;
    let hash = auth::unusable_password_hash().map_err(anyhow::Error::msg)?;
    let now = state.now();
    let agent = state
        .store
        .create_agent(
            NewAgent {
                email,
                name: domain::Redacted::clean(name),
                role,
                password_hash: hash,
                lang: Lang::En,
            },
            now,
        )
        .await?;
    let token = auth::new_token()?;
    state
        .store
        .create_sign_in_link(
            &auth::hash_token(&token),
            agent.id,
            Timestamp(now.0 + Timestamp::DAY),
        )
        .await?;
    state
        .store
        .audit(
            None,
            "agent.create",
            Some(&agent.id.to_string()),
            &domain::Redacted::clean(&format!("role {}", role.as_str())),
            now,
        )
        .await?;
    Ok(format!(
        "{}/agent/link/{token}",
        state.config.effective_public_url()
    ))
}

/// Where the running server leaves the address it is reached at, so that the command-line
/// tools (`admin create-agent`) print links that work when the server was started with
/// `--listen` or port 0 rather than with a configured `public_url`.
const PUBLIC_URL_FILE: &str = "public-url";

fn remember_public_url(config: &Config) {
    let path = config.data_dir.join(PUBLIC_URL_FILE);
    if let Err(e) = std::fs::write(&path, config.effective_public_url()) {
        // Only the tools' links depend on it; the server runs on.
        tracing::warn!(path = %path.display(), error = %e, "cannot record the public URL");
    }
}

/// The public URL for links printed by the tools: the configured one, else the one the server
/// last started with in this data directory, else the configured listening address.
#[must_use]
pub fn public_url_for_tools(config: &Config) -> String {
    if config.public_url.is_empty()
        && let Ok(url) = std::fs::read_to_string(config.data_dir.join(PUBLIC_URL_FILE))
    {
        let url = url.trim();
        if url.starts_with("http://") || url.starts_with("https://") {
            return url.trim_end_matches('/').to_owned();
        }
    }
    config.effective_public_url()
}

/// Serves until SIGTERM or Ctrl-C. `on_start` sees the bound address (port 0 picks a free one)
/// before the first request is accepted.
///
/// # Errors
/// The address cannot be bound, or start-up work failed.
pub async fn run(
    config: Config,
    store: Arc<dyn Store>,
    on_start: impl FnOnce(&Started),
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let mut config = config;
    if config.public_url.is_empty() {
        config.public_url = format!("http://{addr}");
    }
    remember_public_url(&config);
    let state = AppState::new(store, config);
    let first_admin_link = prepare(&state).await?;
    on_start(&Started {
        addr,
        first_admin_link,
    });
    let relay = crate::cluster::start(&state);
    let jobs = tokio::spawn(jobs::run(state.clone()));
    // Waiting chats offered to agents as they arrive (`desk_routing`).
    let routing = tokio::spawn(crate::desk_routing::run(state.clone()));
    let (stop_imap, imap_stop) = tokio::sync::watch::channel(false);
    let imap = start_imap(&state, imap_stop);
    // The outbox is sent only with `[mail]`; without it, mail is queued and the pages say so.
    let mail_worker = match state.config.sending_mail() {
        Some(mc) => {
            let mailer = crate::mail::outbox::Mailer::new(mc).map_err(anyhow::Error::msg)?;
            tracing::info!(smtp = %crate::config::redact_url(&mc.smtp_url), from = %mc.from, "sending the outbox");
            Some(tokio::spawn(crate::mail::outbox::run(
                state.clone(),
                Arc::new(mailer),
            )))
        }
        None => {
            tracing::info!("no [mail] configured: mail is queued, not sent");
            None
        }
    };
    let search_log = Arc::clone(&state.search_log);
    let leaving = state.clone();
    let app = router::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    jobs.abort();
    routing.abort();
    for task in relay {
        task.abort();
    }
    // The other nodes take this one's agents off the desk now, not when its heartbeat expires
    // (after the relay stopped, so no snapshot of this node follows the goodbye).
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        crate::cluster::presence::leave(&leaving),
    )
    .await;
    // The fetcher finishes the message in hand and logs out; a hung server does not hold exit.
    let _ = stop_imap.send(true);
    if let Some(imap) = imap {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), imap).await;
    }
    if let Some(w) = mail_worker {
        // A mail being sent now keeps its lease and is sent again after it: at-least-once.
        w.abort();
    }
    // The requests are done: what they queued for the search log is written before exit, even
    // when serving ended with an error.
    search_log.shutdown().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// The IMAP fetcher, on one node at a time: each node waits for the lock
/// ([`crate::cluster::Job::Imap`]) and fetches while it holds it; when the holder stops or
/// dies, the next takes over within [`IMAP_TURN`]. (Should two ever fetch at once, a message
/// is still taken once: inbound mail is deduplicated by its `Message-ID`.)
fn start_imap(
    state: &AppState,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    if !state.node.is_shared() {
        return crate::mail::imap::start(state, stop);
    }
    // Not configured: nothing to wait for.
    if !matches!(state.config.imap_settings(), Ok(Some(_))) {
        return None;
    }
    let state = state.clone();
    Some(tokio::spawn(async move {
        let mut stop = stop;
        loop {
            let held = tokio::select! {
                held = state.node.lock(crate::cluster::Job::Imap, IMAP_TURN) => held,
                _ = stop.changed() => return,
            };
            let _held = match held {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(error = %e, "IMAP: cannot take the fetcher's lock");
                    tokio::time::sleep(IMAP_TURN).await;
                    continue;
                }
            };
            tracing::info!("IMAP: this node fetches");
            if let Some(task) = crate::mail::imap::start(&state, stop.clone()) {
                let _ = task.await;
            }
            return;
        }
    }))
}

/// How often a node that does not fetch asks whether the fetching node is gone.
const IMAP_TURN: std::time::Duration = std::time::Duration::from_secs(15);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
