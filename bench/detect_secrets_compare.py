#!/usr/bin/env python3
"""detect-secrets (Yelp, PyPI) and walletdesk side by side on walletdesk's redaction corpus.

Run it through bench/run-detect-secrets.sh, which makes the venv and builds walletdesk.

Corpus: crates/wallet/data/corpus/labelled.jsonl (messages with byte spans of secrets by kind;
messages without secrets are the negatives) and crates/wallet/data/corpus/prose/*.txt (real
prose, one paragraph a line: any finding there is a false positive).

One counting rule for every tool, chosen to be fair to detect-secrets, which reports a line
number and not a span:

* a finding flags the line(s) it is on (for walletdesk: every line its byte span touches);
* a secret counts as found when a flagged line overlaps its byte span (a multi-line keystore is
  found when any of its lines is flagged), whatever the finding's type — detect-secrets has no
  notion of a recovery phrase, so any of its plugins counts;
* a prose paragraph (one line) is a false positive when it is flagged; a negative message is a
  false positive when any of its lines is flagged.

This rule is more lenient than `walletdesk-eval redaction`, which needs one finding to cover all
of a secret's bytes (a redaction that leaves words behind has failed).

Tools:

* detect-secrets, file scan: each message written to its own `.txt` file and scanned with
  `detect_secrets.core.scan.scan_file` under `default_settings()` (every plugin, the default
  filters) — what `detect-secrets scan` does to a file, minus the multiprocessing;
* detect-secrets, line scan: `detect_secrets.core.scan.scan_line` on each line — what
  `detect-secrets scan --string` does: eager search, so high-entropy strings count unquoted;
* walletdesk: `walletdesk redact --json [--field …]` one process per message, and one per prose
  file (each file is a single input of under 4 MiB).

Throughput is measured on the prose files (0.9 MB) on one core: for walletdesk one process per
file (start-up included; the in-process figure is `cargo bench -p walletdesk-wallet --bench
redact`), for detect-secrets one `scan_file` per file and one `scan_line` per line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "crates" / "wallet" / "data" / "corpus"
KINDS = [
    "recovery_phrase",
    "electrum_seed",
    "wif_private_key",
    "extended_private_key",
    "raw_private_key",
    "ethereum_keystore",
    "solana_secret_key",
]
FIELD_FLAG = {"free_text": "text", "tx_hash": "tx-hash", "address": "address"}


def line_spans(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the lines of `data` (newline excluded), 0-based, as detect-secrets numbers
    them from 1."""
    spans, start = [], 0
    for i, b in enumerate(data):
        if b == 0x0A:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(data)))
    return spans


def lines_touched(lines: list[tuple[int, int]], start: int, end: int) -> set[int]:
    """Indices of the lines that bytes start..end touch."""
    return {
        i
        for i, (a, b) in enumerate(lines)
        if a < max(end, start + 1) and start <= b
    }


# ---------------------------------------------------------------------------------------------
# Tools: each returns the set of flagged 0-based line indices of one text.


class DetectSecretsFile:
    name = "detect-secrets 1.5.0 (file scan)"

    def __init__(self, tmp: Path):
        from detect_secrets.core.scan import scan_file

        self.scan_file = scan_file
        self.tmp = tmp
        self.n = 0

    def prepare(self, text: str) -> str:
        self.n += 1
        path = self.tmp / f"m{self.n:06}.txt"
        path.write_bytes(text.encode())
        return str(path)

    def flagged(self, prepared: str, _field: str | None) -> set[int]:
        return {s.line_number - 1 for s in self.scan_file(prepared)}


class DetectSecretsLine:
    name = "detect-secrets 1.5.0 (line scan)"

    def __init__(self, _tmp: Path):
        from detect_secrets.core.scan import scan_line

        self.scan_line = scan_line

    def prepare(self, text: str) -> list[str]:
        return text.split("\n")

    def flagged(self, prepared: list[str], _field: str | None) -> set[int]:
        return {i for i, line in enumerate(prepared) if any(True for _ in self.scan_line(line))}


class Walletdesk:
    name = "walletdesk"

    def __init__(self, exe: str):
        self.exe = exe

    def prepare(self, text: str) -> bytes:
        return text.encode()

    def flagged(self, prepared: bytes, field: str | None) -> set[int]:
        args = [self.exe, "redact", "--json"]
        if field:
            args += ["--field", FIELD_FLAG[field]]
        out = subprocess.run(args, input=prepared, capture_output=True, check=True).stdout
        lines = line_spans(prepared)
        flagged: set[int] = set()
        for row in out.decode().splitlines():
            f = json.loads(row)
            flagged |= lines_touched(lines, f["start"], f["end"])
        return flagged


# ---------------------------------------------------------------------------------------------


def evaluate(tool, records, prose):
    found = defaultdict(lambda: [0, 0])  # kind -> [found, total]
    phrase_lang = defaultdict(lambda: [0, 0])
    neg_flagged = neg_total = 0
    stray_lines = 0  # flagged lines that overlap no secret, in labelled messages
    for r in records:
        data = r["text"].encode()
        lines = line_spans(data)
        flagged = tool.flagged(tool.prepare(r["text"]), r.get("field"))
        secret_lines: set[int] = set()
        for s in r["secrets"]:
            touched = lines_touched(lines, s["start"], s["end"])
            secret_lines |= touched
            hit = bool(touched & flagged)
            found[s["kind"]][0] += hit
            found[s["kind"]][1] += 1
            if s["kind"] == "recovery_phrase":
                phrase_lang[s.get("language", "?")][0] += hit
                phrase_lang[s.get("language", "?")][1] += 1
        stray_lines += len(flagged - secret_lines)
        if not r["secrets"]:
            neg_total += 1
            neg_flagged += bool(flagged)

    prose_flagged = defaultdict(lambda: [0, 0])
    prose_bytes = 0
    prepared = [(lang, paras, tool.prepare(text)) for lang, paras, text in prose]
    t0 = time.perf_counter()
    flagged_per_file = [tool.flagged(p, None) for _, _, p in prepared]
    secs = time.perf_counter() - t0
    for (lang, paras, text), flagged in zip(prose, flagged_per_file):
        prose_bytes += len(text.encode())
        nonempty = [i for i, p in enumerate(paras) if p.strip()]
        prose_flagged[lang][0] += len(flagged & set(nonempty))
        prose_flagged[lang][1] += len(nonempty)
    return {
        "tool": tool.name,
        "recall": {k: found[k] for k in KINDS},
        "phrase_recall_by_language": dict(sorted(phrase_lang.items())),
        "negatives_flagged": [neg_flagged, neg_total],
        "stray_lines_in_labelled": stray_lines,
        "prose_flagged": dict(sorted(prose_flagged.items())),
        "prose_mb_per_s": prose_bytes / secs / 1e6,
    }


def pct(pair) -> str:
    n, d = pair
    return f"{n}/{d} {100.0 * n / d:.1f}%" if d else "-"


def print_table(results) -> None:
    short = {
        "recovery_phrase": "phrase",
        "electrum_seed": "electrum",
        "wif_private_key": "wif",
        "extended_private_key": "xprv",
        "raw_private_key": "raw hex",
        "ethereum_keystore": "keystore",
        "solana_secret_key": "solana",
    }
    print("Recall (a secret is found when a flagged line overlaps its span)")
    print(f"{'tool':<34}" + "".join(f"{short[k]:>16}" for k in KINDS))
    for r in results:
        print(f"{r['tool']:<34}" + "".join(f"{pct(r['recall'][k]):>16}" for k in KINDS))
    print()
    print("Recovery phrases by wordlist")
    langs = sorted({lang for r in results for lang in r["phrase_recall_by_language"]})
    for lang in langs:
        print(
            f"  {lang:<22}"
            + "".join(f"{pct(r['phrase_recall_by_language'].get(lang, (0, 0))):>20}" for r in results)
        )
    print()
    print("False positives and throughput")
    print(
        f"{'tool':<34}{'prose en':>18}{'prose zh':>18}{'negatives':>16}"
        f"{'stray lines':>13}{'MB/s prose':>12}"
    )
    for r in results:
        pf = r["prose_flagged"]
        print(
            f"{r['tool']:<34}{pct(pf.get('en', (0, 0))):>18}{pct(pf.get('zh', (0, 0))):>18}"
            f"{pct(r['negatives_flagged']):>16}{r['stray_lines_in_labelled']:>13}"
            f"{r['prose_mb_per_s']:>12.2f}"
        )
    print()
    print("prose: paragraphs flagged; negatives: labelled messages without secrets flagged;")
    print("stray lines: flagged lines of labelled messages that overlap no secret.")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--walletdesk", default=str(ROOT / "target" / "release" / "walletdesk"))
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    records = [json.loads(l) for l in (CORPUS / "labelled.jsonl").read_text().splitlines() if l]
    prose = []
    for path in sorted((CORPUS / "prose").glob("*.txt")):
        text = path.read_text()
        prose.append((path.name.split(".")[0], text.split("\n"), text))
    total = sum(len(r["text"].encode()) for r in records)
    print(
        f"corpus: {len(records)} labelled messages ({total / 1e6:.2f} MB), "
        f"{len(prose)} prose files ({sum(len(t.encode()) for *_, t in prose) / 1e6:.2f} MB)"
    )

    from detect_secrets.settings import default_settings

    results = []
    with tempfile.TemporaryDirectory() as tmp, default_settings():
        for tool in (DetectSecretsFile(Path(tmp)), DetectSecretsLine(Path(tmp))):
            results.append(evaluate(tool, records, prose))
            print(f"  {tool.name}: done", file=sys.stderr)
    results.append(evaluate(Walletdesk(args.walletdesk), records, prose))
    print()
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
