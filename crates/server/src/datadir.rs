//! The data directory is readable by its owner only.
//!
//! It holds the SQLite database (and its WAL and shared-memory files), the search index, the
//! screenshots and the link key (`mail.rs`): a database copy plus the key opens every ticket,
//! so nobody but the server's own user may read them. Three layers, because each alone has a
//! gap:
//!
//! 1. [`restrict_umask`] (the binary calls it first thing): every file the process creates
//!    afterwards — by us, by SQLite, by tantivy — is created `0600` (directories `0700`).
//! 2. [`prepare`] creates the directory `0700` and sets `0600`/`0700` on everything already in
//!    it (a directory made by an older version, or copied in by an operator).
//! 3. The files the server writes itself are opened with an explicit mode (`0600`): the
//!    SQLite file before SQLite opens it (SQLite gives the WAL and SHM files the database
//!    file's mode), screenshots, the link key.
//!
//! Nothing here follows symbolic links out of the directory.

use std::io;
use std::path::Path;

/// Mode of every file in the data directory.
pub const FILE_MODE: u32 = 0o600;
/// Mode of the data directory and every directory in it.
pub const DIR_MODE: u32 = 0o700;

/// The file `walletdesk serve` holds locked while it runs (`lock_for_serve`).
pub const LOCK_FILE: &str = "serve.lock";

/// `walletdesk serve`'s hold on its data directory: an exclusive `flock` on
/// [`LOCK_FILE`], released when this is dropped or the process ends in any way (even
/// `kill -9`: the kernel drops the lock with the last descriptor). One server per data
/// directory: on SQLite the desk is one process (the database has one writer, the caches live
/// in it), and with PostgreSQL each node has a data directory of its own (its search index).
/// The tools (`backup`, `admin`, `mail receive`) do not take it: they work beside a server.
#[derive(Debug)]
pub struct ServeLock {
    _file: std::fs::File,
}

/// Another server holds the data directory.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another walletdesk serve is already running on the data directory {0} (it holds {LOCK_FILE}); one server per data directory: to run several nodes, use PostgreSQL and give each node its own data directory (docs/SCALING.md)"
    )]
    Taken(String),
    #[error("cannot lock {path}: {source}")]
    Io { path: String, source: io::Error },
}

/// Takes the data directory for this server, or says which other one has it.
///
/// # Errors
/// [`LockError::Taken`] when another process holds it; the lock file cannot be opened.
pub fn lock_for_serve(dir: &Path) -> Result<ServeLock, LockError> {
    let path = dir.join(LOCK_FILE);
    let io_err = |source| LockError::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io_err)?;
    let file = private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_err)?;
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                return Err(LockError::Taken(dir.display().to_string()));
            }
            Err(e) => return Err(io_err(e.into())),
        }
    }
    Ok(ServeLock { _file: file })
}

/// Makes the process create files for its owner only (`umask 077`). Process-wide, so it is
/// the binary's call, made before anything opens a file.
pub fn restrict_umask() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// Creates the data directory if missing and makes it and everything in it owner-only.
///
/// # Errors
/// The directory cannot be created, read, or its modes set.
pub fn prepare(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict_tree(dir)
}

#[cfg(unix)]
fn restrict_tree(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            restrict_tree(&entry.path())?;
        } else if kind.is_file() {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(FILE_MODE))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict_tree(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Creates (or truncates) a file that only the owner can read, and writes `bytes` to it.
///
/// # Errors
/// The file cannot be created or written.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut f = private_options().open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// `OpenOptions` for a new owner-only file (write, create, truncate).
#[must_use]
pub fn private_options() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(FILE_MODE);
    }
    o
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn prepare_makes_an_existing_tree_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir_all(dir.join("attachments")).unwrap();
        std::fs::write(dir.join("walletdesk.db"), b"x").unwrap();
        std::fs::write(dir.join("attachments/a.png"), b"x").unwrap();
        for p in [dir.join("walletdesk.db"), dir.join("attachments/a.png")] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        prepare(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("attachments")), 0o700);
        assert_eq!(mode(&dir.join("walletdesk.db")), 0o600);
        assert_eq!(mode(&dir.join("attachments/a.png")), 0o600);
        write_private(&dir.join("k"), b"secret").unwrap();
        assert_eq!(mode(&dir.join("k")), 0o600);
    }
}
