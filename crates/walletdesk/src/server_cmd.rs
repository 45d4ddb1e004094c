//! The server subcommands: `serve`, `migrate`, `admin create-agent`, `backup`, `config example`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use server::Config;
use store::Store;

/// Opens the store the URL names: `postgres://` or `postgresql://` for PostgreSQL, anything
/// else is SQLite (`sqlite://path` or a plain path).
pub(crate) async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let s = store_postgres::PostgresStore::connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(Arc::new(s))
    } else {
        let s = store_sqlite::SqliteStore::open(url)
            .await
            .context("opening the SQLite database")?;
        Ok(Arc::new(s))
    }
}

pub(crate) fn load_config(
    file: Option<&Path>,
    data_dir: Option<PathBuf>,
    listen: Option<std::net::SocketAddr>,
) -> anyhow::Result<Config> {
    let mut config = Config::load(file, std::env::vars())?;
    if let Some(d) = data_dir {
        config.data_dir = d;
    }
    if let Some(l) = listen {
        config.listen = l;
    }
    Ok(config)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

pub(crate) async fn open_for(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    // Before any file is made: the database, its WAL, the index, screenshots, the link key
    // and backups are the owner's only (server/src/datadir.rs).
    server::datadir::restrict_umask();
    server::datadir::prepare(&config.data_dir)
        .with_context(|| format!("preparing {}", config.data_dir.display()))?;
    open_store(&config.effective_database_url()).await
}

pub(crate) fn serve(config: Config, out: &mut impl Write) -> anyhow::Result<()> {
    server::datadir::restrict_umask();
    // Before the database is opened: a second server on this directory stops here, in one line.
    let _lock = server::datadir::lock_for_serve(&config.data_dir)?;
    runtime()?.block_on(async {
        let store = open_for(&config).await?;
        tracing::info!(backend = store.backend(), ?config, "starting");
        let mut printed = Ok(());
        server::serve::run(config, store, |started| {
            printed = (|| {
                writeln!(out, "listening on http://{}", started.addr)?;
                if let Some(link) = &started.first_admin_link {
                    writeln!(
                        out,
                        "first admin created. One-time sign-in link (valid 24 hours): {link}"
                    )?;
                    writeln!(out, "sign-in link: {link}")?;
                }
                out.flush()
            })();
        })
        .await?;
        printed.map_err(Into::into)
    })
}

pub(crate) fn migrate(config: &Config, out: &mut impl Write) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = open_for(config).await?;
        store.migrate().await?;
        writeln!(out, "{} database is up to date", store.backend())?;
        Ok(())
    })
}

pub(crate) fn reindex(config: Config, out: &mut impl Write) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = open_for(&config).await?;
        store.migrate().await?;
        let state = server::AppState::new(store, config);
        let n = server::help::reindex(&state)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        writeln!(out, "search index rebuilt: {n} published articles")?;
        Ok(())
    })
}

pub(crate) fn create_agent(
    config: Config,
    email: &str,
    name: &str,
    admin: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = open_for(&config).await?;
        store.migrate().await?;
        let mut config = config;
        config.public_url = server::serve::public_url_for_tools(&config);
        let state = server::AppState::new(store, config);
        let role = if admin {
            domain::Role::Admin
        } else {
            domain::Role::Agent
        };
        let link = server::serve::create_agent_with_link(&state, email, name, role).await?;
        writeln!(
            out,
            "created {} {email}. One-time sign-in link (valid 24 hours): {link}",
            role.as_str()
        )?;
        Ok(())
    })
}

/// `admin create-api-token`: a token for an existing agent, printed once, audited.
pub(crate) fn create_api_token(
    config: &Config,
    email: &str,
    name: &str,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(crate::UsageError("--name is 1 to 60 characters".into()).into());
    }
    let address = domain::EmailAddress::parse(email)
        .map_err(|e| crate::UsageError(format!("--email: {e}")))?;
    runtime()?.block_on(async {
        let store = open_for(config).await?;
        store.migrate().await?;
        let agent = match store.agent_by_email(&address).await {
            Ok(a) => a,
            Err(store::StoreError::NotFound) => {
                return Err(crate::UsageError(format!("no agent with the address {email}")).into());
            }
            Err(e) => return Err(e.into()),
        };
        let token = server::auth::new_token()?;
        let now = server::Clock::default().now();
        let made = store
            .create_api_token(
                &server::auth::hash_token(&token),
                agent.id,
                domain::Redacted::clean(name),
                now,
            )
            .await?;
        store
            .audit(
                None,
                "api_token.create",
                Some(&made.id.to_string()),
                &domain::Redacted::clean(name),
                now,
            )
            .await?;
        writeln!(out, "API token for {email} ({name}), shown once: {token}")?;
        Ok(())
    })
}

pub(crate) fn backup(config: &Config, file: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let url = config.effective_database_url();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        anyhow::bail!(
            "PostgreSQL is backed up with its own tools: pg_dump --format=custom --file={} \"$DATABASE_URL\" (restore with pg_restore)",
            file.display()
        );
    }
    if file.exists() {
        return Err(
            crate::UsageError(format!("{} exists; choose a new file", file.display())).into(),
        );
    }
    runtime()?.block_on(async {
        let s = store_sqlite::SqliteStore::open(&url).await?;
        s.backup_to(file).await?;
        writeln!(out, "backed up to {}", file.display())?;
        Ok(())
    })
}

/// `walletdesk mail test --to ADDR`.
pub(crate) fn mail_test(config: &Config, to: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let said = runtime()?
        .block_on(server::mail::outbox::send_test(config, to, now))
        .map_err(crate::UsageError)?;
    writeln!(out, "{said}")?;
    Ok(())
}

/// `keys export`: the server key as hex, made first if the directory has none.
pub(crate) fn keys_export(config: &Config, out: &mut impl Write) -> anyhow::Result<()> {
    server::datadir::restrict_umask();
    server::datadir::prepare(&config.data_dir)
        .with_context(|| format!("preparing {}", config.data_dir.display()))?;
    let hex = server::cluster::export_key(&config.data_dir)?;
    writeln!(out, "{hex}")?;
    Ok(())
}

/// `keys import`: the key from `keys export` becomes this data directory's.
pub(crate) fn keys_import(
    config: &Config,
    replace: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let input = crate::read_stdin()?;
    server::datadir::restrict_umask();
    server::datadir::prepare(&config.data_dir)
        .with_context(|| format!("preparing {}", config.data_dir.display()))?;
    match server::cluster::import_key(&config.data_dir, &input, replace) {
        Ok(server::cluster::Imported::Same) => {
            writeln!(out, "the data directory already has this key")?;
        }
        Ok(server::cluster::Imported::Written) => writeln!(out, "key imported")?,
        Err(e @ (server::cluster::KeyError::Malformed | server::cluster::KeyError::Different)) => {
            return Err(crate::UsageError(e.to_string()).into());
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
