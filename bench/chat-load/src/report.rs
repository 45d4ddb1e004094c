//! The tables the bench prints (Markdown, to paste into docs/BENCHMARKS.md as they are).

use std::io::Write;

use crate::active::ActiveReport;
use crate::idle::IdleReport;
use crate::stats::ms;

#[expect(
    clippy::cast_precision_loss,
    reason = "KiB of a process's memory fit an f64 exactly"
)]
fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// The idle table: one row per level.
///
/// # Errors
/// Writing failed.
pub fn idle(out: &mut impl Write, r: &IdleReport) -> std::io::Result<()> {
    writeln!(
        out,
        "\nIdle chats, one node, {}: server RSS {} MiB before the first chat\n",
        r.backend,
        mib(r.baseline_rss_kib)
    )?;
    writeln!(
        out,
        "| backend | chats | open | failed | closed by desk | server RSS MiB | KiB per chat over baseline | pings received | opened in s |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    for row in &r.rows {
        let per = row
            .rss_kib
            .saturating_sub(r.baseline_rss_kib)
            .checked_div(row.chats as u64)
            .unwrap_or(0);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} |",
            r.backend,
            row.chats,
            row.open,
            row.failed,
            row.closed,
            mib(row.rss_kib),
            per,
            row.pings,
            row.opened_in.as_secs_f64()
        )?;
    }
    if let Some(e) = &r.first_error {
        writeln!(out, "\nfirst error: {e}")?;
    }
    Ok(())
}

/// The header of the active table.
///
/// # Errors
/// Writing failed.
pub fn active_header(out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "\n| backend | nodes | chats | agents | accepted | msgs in window | msg/s | delivery p50 / p90 / p99 / max ms | ack p50 / p99 ms | undelivered | errors | server CPU % | server RSS MiB | bench CPU % |"
    )?;
    writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|---|---|---:|"
    )
}

/// One row of the active table.
///
/// # Errors
/// Writing failed.
pub fn active_row(out: &mut impl Write, r: &ActiveReport, window_secs: f64) -> std::io::Result<()> {
    let errors = if r.errors.is_empty() {
        "none".to_owned()
    } else {
        r.errors
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let join = |xs: Vec<String>| xs.join(" + ");
    #[expect(
        clippy::cast_precision_loss,
        reason = "a message count fits an f64 exactly"
    )]
    let rate = r.sent as f64 / window_secs.max(f64::MIN_POSITIVE);
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {:.0} | {} / {} / {} / {} | {} / {} | {} | {} | {} | {} | {:.0} |",
        r.backend,
        r.nodes,
        r.chats,
        r.agents,
        r.accepted,
        r.sent,
        rate,
        ms(r.delivery.p50),
        ms(r.delivery.p90),
        ms(r.delivery.p99),
        ms(r.delivery.max),
        ms(r.ack.p50),
        ms(r.ack.p99),
        r.undelivered(),
        errors,
        join(r.cpu_pct.iter().map(|c| format!("{c:.0}")).collect()),
        join(r.rss_kib.iter().map(|k| mib(*k)).collect()),
        r.client_cpu_pct,
    )?;
    if let Some(e) = &r.first_error {
        writeln!(out, "\nfirst error: {e}\n")?;
    }
    Ok(())
}
