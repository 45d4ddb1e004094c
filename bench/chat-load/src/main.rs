//! `chat-load`: the chat load generator. See bench/README.md.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use walletdesk_chat_load::active::{self, ActiveOptions};
use walletdesk_chat_load::desk::{Desk, DeskOptions};
use walletdesk_chat_load::idle::{self, IdleOptions};
use walletdesk_chat_load::{report, sys};

#[derive(Debug, Parser)]
#[command(about = "Chat load generator: idle memory and delivery latency of walletdesk's chat")]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Common {
    /// The `walletdesk` binary (default: $WALLETDESK_BIN, else
    /// $CARGO_TARGET_DIR/release/walletdesk, else …/debug/walletdesk).
    #[arg(long, global = true)]
    bin: Option<PathBuf>,
    /// A PostgreSQL server the bench may create a fresh database on
    /// (`postgres://postgres@127.0.0.1:5473/postgres`); SQLite without it.
    #[arg(long, global = true)]
    pg: Option<String>,
    /// Conversations being opened at once.
    #[arg(long, global = true, default_value_t = 32)]
    concurrency: usize,
    /// The conversations' language (`en` or `zh-CN`).
    #[arg(long, global = true, default_value = "en")]
    lang: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// N idle chats on one node: the server's resident memory at each level.
    Idle {
        /// Conversations open at each measurement, comma-separated, ascending.
        #[arg(long, value_delimiter = ',', default_value = "1000,2000,5000,10000")]
        levels: Vec<usize>,
        /// Seconds each level stays idle before the memory is read (past one heartbeat).
        #[arg(long, default_value_t = 25)]
        settle: u64,
    },
    /// C chats talking: delivery latency user → agent, one or two nodes.
    Active {
        /// Chats, comma-separated: a fresh desk for each.
        #[arg(long, value_delimiter = ',', default_value = "1000")]
        chats: Vec<usize>,
        /// Agents; chat i is accepted by agent i mod M.
        #[arg(long, default_value_t = 10)]
        agents: usize,
        /// Milliseconds between one user's messages, on average (±50 % jitter).
        #[arg(long, default_value_t = 3000)]
        interval_ms: u64,
        /// Seconds of sending before the window.
        #[arg(long, default_value_t = 10)]
        warmup: u64,
        /// Seconds of the measured window.
        #[arg(long, default_value_t = 60)]
        duration: u64,
        /// 1, or 2: users on node A, agents on node B, one PostgreSQL (needs --pg).
        #[arg(long, default_value_t = 1)]
        nodes: usize,
    },
}

fn default_bin() -> PathBuf {
    if let Some(b) = std::env::var_os("WALLETDESK_BIN") {
        return PathBuf::from(b);
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| "target".into(), PathBuf::from);
    let release = target.join("release/walletdesk");
    if release.exists() {
        release
    } else {
        target.join("debug/walletdesk")
    }
}

fn version(bin: &PathBuf) -> String {
    std::process::Command::new(bin)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|e| format!("cannot run it: {e}"))
}

async fn run(cli: Cli, out: &mut impl Write) -> anyhow::Result<()> {
    let bin = cli.common.bin.clone().unwrap_or_else(default_bin);
    let bin = std::fs::canonicalize(&bin)
        .map_err(|e| anyhow::anyhow!("{}: {e} (set --bin or WALLETDESK_BIN)", bin.display()))?;
    let (nofile_before, nofile) = sys::raise_open_files();
    let profile = if bin.components().any(|c| c.as_os_str() == "release") {
        "release"
    } else {
        "debug (or unknown)"
    };
    writeln!(
        out,
        "walletdesk: {} ({}, {profile} build)",
        bin.display(),
        version(&bin)
    )?;
    writeln!(
        out,
        "open-files limit raised from {nofile_before} to {nofile} (the server inherits it); {} cores; load average before: {}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        sys::load_average()
    )?;
    let mut desk_opts = DeskOptions {
        bin,
        pg_admin_url: cli.common.pg.clone(),
        nodes: 1,
        agents: 0,
    };
    match cli.command {
        Command::Idle { levels, settle } => {
            let need = levels.iter().max().copied().unwrap_or(0) as u64 + 100;
            if need > nofile {
                writeln!(
                    out,
                    "warning: {need} descriptors needed, the limit is {nofile}"
                )?;
            }
            let mut desk = Desk::start(&desk_opts).await?;
            let r = idle::run(
                &mut desk,
                &IdleOptions {
                    levels,
                    settle: Duration::from_secs(settle),
                    concurrency: cli.common.concurrency,
                    lang: cli.common.lang,
                },
            )
            .await?;
            report::idle(out, &r)?;
        }
        Command::Active {
            chats,
            agents,
            interval_ms,
            warmup,
            duration,
            nodes,
        } => {
            desk_opts.nodes = nodes;
            desk_opts.agents = agents.max(1);
            writeln!(
                out,
                "one message per {interval_ms} ms per chat (±50 %), {warmup} s warm-up, {duration} s measured; users on node A, agents on node {}",
                if nodes > 1 { "B" } else { "A" }
            )?;
            report::active_header(out)?;
            for c in chats {
                let mut desk = Desk::start(&desk_opts).await?;
                let r = active::run(
                    &mut desk,
                    &ActiveOptions {
                        chats: c,
                        agents: agents.max(1),
                        interval: Duration::from_millis(interval_ms),
                        warmup: Duration::from_secs(warmup),
                        duration: Duration::from_secs(duration),
                        concurrency: cli.common.concurrency,
                        lang: cli.common.lang.clone(),
                    },
                )
                .await?;
                #[expect(clippy::cast_precision_loss, reason = "seconds")]
                report::active_row(out, &r, duration as f64)?;
                out.flush()?;
            }
        }
    }
    writeln!(out, "\nload average after: {}", sys::load_average())?;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "chat-load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout();
    match rt.block_on(run(cli, &mut out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "chat-load: {e:#}");
            ExitCode::FAILURE
        }
    }
}
