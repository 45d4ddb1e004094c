//! The `walletdesk` binary: one command with subcommands.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod chain_cmd;
mod mail_cmd;
mod server_cmd;
mod tools;

/// walletdesk: a self-hosted support desk for self-custody crypto wallets.
#[derive(Debug, Parser)]
#[command(name = "walletdesk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct ServerArgs {
    /// The configuration file (default: ./walletdesk.toml when it exists).
    #[arg(long, global = true)]
    config: Option<std::path::PathBuf>,
    /// The data directory (database, index, screenshots); overrides the configuration.
    #[arg(long, global = true)]
    data_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the desk: web pages and API, with demo content on first start.
    Serve {
        #[command(flatten)]
        server: ServerArgs,
        /// Address to listen on (default 127.0.0.1:8080; port 0 picks a free port).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// Create or update the database schema.
    Migrate {
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Rebuild the help-center search index from the database's published articles.
    Reindex {
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Administration.
    Admin {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Copy a live SQLite database consistently to FILE (for PostgreSQL it says how to use pg_dump).
    Backup {
        #[command(flatten)]
        server: ServerArgs,
        file: std::path::PathBuf,
    },
    /// The e-mail channel.
    Mail {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: MailCommand,
    },
    /// The server key in the data directory (link tokens, CSRF, sealed TOTP secrets and
    /// anti-phishing codes): every node of one desk needs the same (docs/SCALING.md).
    Keys {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// What the configured chains say about a transaction or an address ([chain.<name>]).
    /// Exit status 0 the lookup worked, 1 no endpoint answered, 2 bad input.
    Chain {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: ChainCommand,
    },
    /// Configuration help.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Remove recovery phrases and private keys from text on stdin; print the result.
    Redact {
        /// Print one JSON object per finding (never the secret) instead of the text.
        #[arg(long)]
        json: bool,
        /// What the text is: free text (default) or a transaction-hash field.
        #[arg(long, value_enum, default_value_t = tools::Field::Text)]
        field: tools::Field,
    },
    /// Check a recovery phrase on stdin: unknown words, checksum, likely corrections. Offline.
    CheckMnemonic {
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Write the offline mnemonic check (one self-contained HTML file, no network code) and print
    /// its SHA-256 in `sha256sum` format: the file the help center serves for download.
    OfflineCheck {
        /// Where to write it (default: its published name in the current directory).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Say what each token is: address, transaction id, chain, validity.
    Identify {
        /// Print one JSON object per token.
        #[arg(long)]
        json: bool,
        /// The tokens to identify.
        #[arg(required = true)]
        tokens: Vec<String>,
    },
    /// Check that a signed message proves an address (EVM, Bitcoin, TRON, Solana). Offline.
    /// Exit status 0 valid, 1 invalid, 2 bad input.
    VerifySignature {
        /// The address to prove.
        #[arg(long)]
        address: String,
        /// The exact text that was signed (`-` reads it from stdin).
        #[arg(long)]
        message: String,
        /// The signature as the wallet showed it (hex, Base64 or Base58).
        #[arg(long)]
        signature: String,
        /// The SIWE domain the message must name.
        #[arg(long)]
        domain: Option<String>,
        /// The nonce the challenge must carry.
        #[arg(long)]
        nonce: Option<String>,
        /// Check expiry as of this RFC 3339 time instead of now (`2026-01-01T00:05:00Z`).
        #[arg(long)]
        at: Option<String>,
        /// Print `{"valid", "method", "reason"}` instead of a sentence.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an agent and print a one-time sign-in link.
    CreateAgent {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Agent")]
        name: String,
        /// Make the agent an admin.
        #[arg(long)]
        admin: bool,
    },
    /// Create an API token for an existing agent and print it (once; only its hash is kept).
    CreateApiToken {
        /// The agent's e-mail address.
        #[arg(long)]
        email: String,
        /// What the token is for, as the admin page lists it.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum ChainCommand {
    /// A transaction: found where, pending or confirmed, failed why, what it moved.
    Tx {
        hash: String,
        /// The configured chain to look on (default: every configured chain).
        #[arg(long)]
        chain: Option<String>,
        /// Print the API's JSON instead of sentences.
        #[arg(long)]
        json: bool,
        /// The sentences' language: en (default) or zh-CN.
        #[arg(long)]
        lang: Option<String>,
    },
    /// An address: balances, why a wallet may show 0, whether it can pay a send's fee.
    Address {
        address: String,
        #[arg(long)]
        chain: Option<String>,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        lang: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Take one RFC 5322 message on stdin (for a Postfix pipe or any MTA) and print one JSON
    /// line: {"ticket_id", "created", "secrets_removed", "class", "duplicate"}. Exit status 2
    /// for input it cannot take, 75 for a failure worth retrying.
    Receive,
    /// Send one test mail with the configured transport and print the outcome (exit status 2
    /// with a one-line error when it was not sent).
    Test {
        /// The recipient.
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Print the data directory's server key as one line of hex (made first if missing).
    /// Secret: pipe it to `keys import` on the next node, do not store it in a ticket.
    Export,
    /// Read a key from `keys export` on stdin and make it this data directory's. Refuses to
    /// replace a different key unless --replace (what the old key sealed becomes unreadable).
    Import {
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a documented configuration file.
    Example,
}

/// A failure the user caused: printed as one line, exit status 2.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

/// The long-running `serve` process gives freed memory back to the system (glibc).
mod malloc {
    /// glibc's variable, read once when a process starts; an operator's own value is kept.
    pub(crate) const VAR: &str = "MALLOC_TRIM_THRESHOLD_";
    /// 512 KiB: above it, free memory at the top of a heap goes back to the system. glibc's
    /// own threshold starts at 128 KiB but rises with every large block freed (up to 32 MiB),
    /// so after start-up (help index, assistant, word lists built and dropped) an idle desk
    /// kept ~5 MB it no longer used (`docs/BENCHMARKS.md`, "Idle memory"). A fixed value
    /// keeps it at the start-up level; the ticket benchmark showed no cost.
    pub(crate) const BYTES: &str = "524288";

    /// Starts this same command again with [`VAR`] set, when it is not: glibc reads it before
    /// `main`, and setting it from inside the process needs `mallopt` through FFI, which this
    /// workspace forbids (`unsafe_code`). `exec` keeps the process id, so whoever started the
    /// desk (a shell, systemd, a test) still has it. If `exec` fails, the desk runs as it is.
    pub(crate) fn trim_when_idle() {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            use std::os::unix::process::CommandExt;
            if std::env::var_os(VAR).is_some() {
                return;
            }
            let Ok(exe) = std::env::current_exe() else {
                return;
            };
            let mut args = std::env::args_os();
            let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
            // Returns only on failure.
            let _ = std::process::Command::new(&exe)
                .arg0(arg0)
                .args(args)
                .env(VAR, BYTES)
                .exec();
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Redact { json, field } => {
            read_stdin_bytes().and_then(|input| tools::redact(utf8(&input)?, json, field, &mut out))
        }
        Command::CheckMnemonic { json } => {
            read_stdin().and_then(|input| tools::check_mnemonic(&input, json, &mut out))
        }
        Command::OfflineCheck { out: path } => tools::offline_check(path, &mut out),
        Command::Identify { json, tokens } => tools::identify(&tokens, json, &mut out),
        Command::VerifySignature {
            address,
            message,
            signature,
            domain,
            nonce,
            at,
            json,
        } => {
            let message = if message == "-" {
                read_stdin()
            } else {
                Ok(message)
            };
            message.and_then(|message| {
                let input = tools::SignatureInput {
                    address: &address,
                    message: &message,
                    signature: &signature,
                    domain,
                    nonce,
                    at: at.as_deref(),
                };
                tools::verify_signature(&input, json, &mut out)
            })
        }
        Command::Serve { server, listen } => {
            malloc::trim_when_idle();
            init_tracing();
            server_cmd::load_config(server.config.as_deref(), server.data_dir, listen)
                .and_then(|c| server_cmd::serve(c, &mut out))
        }
        Command::Migrate { server } => {
            server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
                .and_then(|c| server_cmd::migrate(&c, &mut out))
        }
        Command::Reindex { server } => {
            server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
                .and_then(|c| server_cmd::reindex(c, &mut out))
        }
        Command::Admin {
            server,
            command: AdminCommand::CreateAgent { email, name, admin },
        } => server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
            .and_then(|c| server_cmd::create_agent(c, &email, &name, admin, &mut out)),
        Command::Admin {
            server,
            command: AdminCommand::CreateApiToken { email, name },
        } => server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
            .and_then(|c| server_cmd::create_api_token(&c, &email, &name, &mut out)),
        Command::Backup { server, file } => {
            server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
                .and_then(|c| server_cmd::backup(&c, &file, &mut out))
        }
        Command::Mail {
            server,
            command: MailCommand::Receive,
        } => {
            init_tracing();
            server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
                .and_then(|c| mail_cmd::receive_stdin(c, &mut out))
        }
        Command::Mail {
            server,
            command: MailCommand::Test { to },
        } => server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
            .and_then(|c| server_cmd::mail_test(&c, &to, &mut out)),
        Command::Keys {
            server,
            command: KeysCommand::Export,
        } => server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
            .and_then(|c| server_cmd::keys_export(&c, &mut out)),
        Command::Keys {
            server,
            command: KeysCommand::Import { replace },
        } => server_cmd::load_config(server.config.as_deref(), server.data_dir, None)
            .and_then(|c| server_cmd::keys_import(&c, replace, &mut out)),
        Command::Chain { server, command } => {
            server_cmd::load_config(server.config.as_deref(), server.data_dir, None).and_then(|c| {
                match command {
                    ChainCommand::Tx {
                        hash,
                        chain,
                        json,
                        lang,
                    } => chain_cmd::run(
                        &c,
                        chain_cmd::What::Tx,
                        &hash,
                        chain.as_deref(),
                        lang.as_deref(),
                        json,
                        &mut out,
                    ),
                    ChainCommand::Address {
                        address,
                        chain,
                        json,
                        lang,
                    } => chain_cmd::run(
                        &c,
                        chain_cmd::What::Address,
                        &address,
                        chain.as_deref(),
                        lang.as_deref(),
                        json,
                        &mut out,
                    ),
                }
            })
        }
        Command::Config {
            command: ConfigCommand::Example,
        } => out
            .write_all(server::config::EXAMPLE.as_bytes())
            .map_err(Into::into),
    };
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<tools::Invalid>() => ExitCode::from(1),
        Err(e) if e.is::<chain_cmd::NoAnswer>() => {
            let _ = writeln!(std::io::stderr(), "walletdesk: {e}");
            ExitCode::from(1)
        }
        Err(e) if e.is::<mail_cmd::TempFail>() => {
            let _ = writeln!(std::io::stderr(), "walletdesk: {e}");
            ExitCode::from(mail_cmd::EX_TEMPFAIL)
        }
        Err(e) => {
            let msg = match e.downcast_ref::<UsageError>() {
                Some(UsageError(m)) => m.clone(),
                None => format!("{e:#}"),
            };
            let _ = writeln!(std::io::stderr(), "walletdesk: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Logs to stderr, `RUST_LOG`-style filter in `WALLETDESK_LOG` (default `info`). Message bodies
/// are never logged anywhere.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WALLETDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Reads stdin as UTF-8, refusing more than the redaction limit.
pub(crate) fn read_stdin() -> anyhow::Result<String> {
    Ok(utf8(&read_stdin_bytes()?)?.to_owned())
}

/// Reads stdin as bytes, refusing more than the redaction limit; [`utf8`] makes text of them.
pub(crate) fn read_stdin_bytes() -> anyhow::Result<Vec<u8>> {
    let limit = wallet::MAX_INPUT_BYTES;
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(u64::try_from(limit).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut buf)?;
    if buf.len() > limit {
        return Err(UsageError(format!("input is larger than the {limit}-byte limit")).into());
    }
    Ok(buf)
}

/// `bytes` as text, or a usage error naming the first byte that is not UTF-8. Checked with
/// SIMD (`simdutf8`, already in the tree through `encoding_rs`): 4 MiB of Chinese took the
/// standard library's check 3–4 ms, a twentieth of `walletdesk redact`'s time.
pub(crate) fn utf8(bytes: &[u8]) -> anyhow::Result<&str> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| {
        std::str::from_utf8(bytes).map_err(|e| {
            UsageError(format!(
                "input is not valid UTF-8 (at byte {})",
                e.valid_up_to()
            ))
            .into()
        })
    })
}
