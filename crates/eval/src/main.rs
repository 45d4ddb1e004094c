//! `walletdesk-eval`: the development tools that measure the product on labelled data. They live
//! here, outside the shipping `walletdesk` binary, so the server carries neither their code nor
//! their dependencies.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod assistant;
mod redaction;

/// Measures walletdesk on labelled data: secret detection, the assistant's topics.
#[derive(Debug, Parser)]
#[command(name = "walletdesk-eval", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure the self-service assistant on labelled questions (JSON lines with `question`,
    /// `language`, `label`): topic accuracy, right article in the top three, hand-off rate.
    Assistant {
        /// The questions.
        file: std::path::PathBuf,
        /// The help content directory (default: content/help).
        #[arg(long)]
        content: Option<std::path::PathBuf>,
        /// Only the questions of this split (`tune` or `heldout`, the `split` field).
        #[arg(long)]
        split: Option<String>,
        /// Print each question answered with the wrong topic (label, answer, confidence and
        /// the start of the question), except held-out ones: those are not read one by one,
        /// so that no fix is fitted to them.
        #[arg(long)]
        misses: bool,
        /// Cross-validate over this many folds (by a hash of `source_url`): the naive-Bayes view
        /// learns from the `tune` half of the real questions, so its figures on that half are
        /// honest only when each question is answered by a model that did not learn from it.
        #[arg(long)]
        folds: Option<usize>,
    },
    /// Measure secret detection on the labelled corpus: recall and false-positive rate.
    Redaction {
        /// The corpus directory (default: crates/wallet/data/corpus).
        #[arg(long)]
        corpus: Option<std::path::PathBuf>,
        /// Regenerate labelled.jsonl before measuring.
        #[arg(long)]
        generate: bool,
    },
}

/// A failure the user caused: printed as one line, exit status 2.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Assistant {
            file,
            content,
            split,
            misses,
            folds,
        } => {
            let content = content.unwrap_or_else(assistant::content_dir);
            let options = assistant::Options {
                split,
                misses,
                folds,
            };
            assistant::run(&file, &content, &options, &mut out)
        }
        Command::Redaction { corpus, generate } => {
            redaction_command(corpus.as_deref(), generate, &mut out)
        }
    };
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = match e.downcast_ref::<UsageError>() {
                Some(UsageError(m)) => m.clone(),
                None => format!("{e:#}"),
            };
            let _ = writeln!(std::io::stderr(), "walletdesk-eval: {msg}");
            ExitCode::from(2)
        }
    }
}

fn redaction_command(
    corpus: Option<&std::path::Path>,
    generate: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let dir = match corpus {
        Some(dir) => dir.to_path_buf(),
        None => {
            // From the repository root, or wherever this binary was built from.
            let here = std::path::Path::new("crates/wallet/data/corpus");
            if here.is_dir() {
                here.to_path_buf()
            } else {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wallet/data/corpus")
            }
        }
    };
    if !dir.is_dir() {
        return Err(UsageError(format!("no corpus directory at {}", dir.display())).into());
    }
    if generate {
        redaction::generate(&dir)?;
    }
    redaction::run(&dir, out)?;
    Ok(())
}
