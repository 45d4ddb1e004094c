#!/usr/bin/env python3
"""Extracts plain prose paragraphs (one per line, deduplicated) from Debian packages.

Usage: tools/extract_prose.py EXTRACTED_DEBS_DIR OUT_DIR

EXTRACTED_DEBS_DIR holds one folder per package, made with
  apt-get download debian-reference-en debian-reference-zh-cn manpages-zh doc-debian fortunes-min
  for f in *.deb; do d=${f%%_*}; mkdir -p x/$d; dpkg-deb -x "$f" x/$d; done
See crates/wallet/data/corpus/SOURCES.md for the versions used. Deterministic: files are read in
sorted order and paragraphs are kept in first-seen order.
"""
import gzip
import html
import os
import re
import sys

HAN = re.compile(r"[\u4e00-\u9fff]")


def norm(s):
    s = html.unescape(s)
    s = re.sub(r"\s+", " ", s).strip()
    return s


def html_paragraphs(path):
    text = open(path, encoding="utf-8").read()
    for block in re.findall(r"<p>(.*?)</p>", text, flags=re.S):
        yield norm(re.sub(r"<[^>]+>", "", block))


ROFF_ESC = [
    (re.compile(r"\\f[BIRP]|\\f\(..|\\fI|\\,|\\/|\\&|\\:|\\%"), ""),
    (re.compile(r"\\\(em|\\\(en"), "—"),
    (re.compile(r"\\\(aq"), "'"),
    (re.compile(r"\\\(lq|\\\(rq|\\\(dq"), '"'),
    (re.compile(r"\\-"), "-"),
    (re.compile(r"\\e"), "\\"),
    (re.compile(r"\\ "), " "),
    (re.compile(r"\\s[-+]?\d"), ""),
    (re.compile(r"\\\*\(.."), ""),
]


def man_paragraphs(path):
    """Paragraphs of running text from a man page: text lines between paragraph macros.
    Lines after .TP (the option tag) and inside .nf/.fi (examples) are skipped."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    para, skip_next, nofill = [], False, False
    for line in lines:
        if line.startswith((".", "'")):
            macro = line[1:].split(" ")[0]
            if macro == "nf":
                nofill = True
            elif macro == "fi":
                nofill = False
            if macro in ("PP", "P", "LP", "SH", "SS", "TP", "IP", "HP", "br", "sp", "nf", "fi", "RS", "RE"):
                if para:
                    yield norm(" ".join(para))
                para = []
                skip_next = macro == "TP"
            continue
        if nofill:
            continue
        if skip_next:
            skip_next = False
            continue
        for pat, rep in ROFF_ESC:
            line = pat.sub(lambda _m, r=rep: r, line)
        para.append(line)
    if para:
        yield norm(" ".join(para))


def text_paragraphs(path, opener=open):
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        text = f.read()
    for block in re.split(r"\n\s*\n", text):
        # Skip indented blocks (code, tables, headers) and keep running text.
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines or sum(1 for l in lines if l.startswith("    ")) > len(lines) // 2:
            continue
        yield norm(" ".join(lines))


def fortunes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for block in f.read().split("\n%\n"):
            yield norm(block)


def keep(p, zh):
    if zh:
        return len(HAN.findall(p)) >= 12
    words = re.findall(r"[A-Za-z]+", p)
    return len(words) >= 10 and len(p) <= 4000


def collect(groups, zh, per_source=10_000):
    """groups: [(byte limit, [(name, paragraphs)])]; each group stops at its own limit so that
    no one source crowds out the others."""
    seen, out = set(), []
    for limit, sources, *cap in groups:
        per_source = cap[0] if cap else per_source
        size = 0
        for name, gen in sources:
            n = 0
            for p in gen:
                if not keep(p, zh) or p in seen:
                    continue
                seen.add(p)
                out.append(p)
                size += len(p.encode()) + 1
                n += 1
                if size >= limit or n >= per_source:
                    break
            print(f"{name}: {n} paragraphs", file=sys.stderr)
            if size >= limit:
                break
    return out


def main():
    root, out_dir = sys.argv[1], sys.argv[2]
    ref_en = os.path.join(root, "debian-reference-en/usr/share/debian-reference")
    ref_zh = os.path.join(root, "debian-reference-zh-cn/usr/share/debian-reference")
    man_zh = os.path.join(root, "manpages-zh/usr/share/man/zh_CN")
    doc_deb = os.path.join(root, "doc-debian/usr/share/doc/debian")
    fort = os.path.join(root, "fortunes-min/usr/share/games/fortunes")

    def chapters(d, suffix):
        return sorted(f for f in os.listdir(d) if f.endswith(suffix) and not f.startswith("index"))

    ref = [
        (f"debian-reference-en {c}", html_paragraphs(os.path.join(ref_en, c)))
        for c in chapters(ref_en, ".en.html")
    ]
    docs = [
        (f"doc-debian {f}", text_paragraphs(os.path.join(doc_deb, f), gzip.open))
        for f in ["social-contract.txt.gz", "bug-reporting.txt.gz", "constitution.txt.gz"]
    ]
    fort_sources = [
        (f"fortunes-min {f}", fortunes(os.path.join(fort, f)))
        for f in sorted(os.listdir(fort))
        if "." not in f
    ]
    en = collect([(300_000, ref), (60_000, docs), (80_000, fort_sources)], False)

    ref = [
        (f"debian-reference-zh-cn {c}", html_paragraphs(os.path.join(ref_zh, c)))
        for c in chapters(ref_zh, ".zh-cn.html")
    ]
    man = [
        (f"manpages-zh zh_CN/{sec}/{page}", man_paragraphs(os.path.join(man_zh, sec, page)))
        for sec in sorted(os.listdir(man_zh))
        for page in sorted(os.listdir(os.path.join(man_zh, sec)))
    ]
    zh = collect([(300_000, ref), (140_000, man, 25)], True)

    os.makedirs(out_dir, exist_ok=True)
    for name, paras in (("en.txt", en), ("zh.txt", zh)):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            f.write("\n".join(paras) + "\n")
        print(f"{name}: {len(paras)} paragraphs", file=sys.stderr)


if __name__ == "__main__":
    main()
