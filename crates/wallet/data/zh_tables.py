#!/usr/bin/env python3
"""Writes the Chinese tables that build.rs compiles in (see SOURCES.md):

  zh_pairs.txt  every pair of adjacent characters inside the 2-4-character words of jieba's
                dictionary where at least one of the two is in a BIP39 Chinese list, with its
                pointwise mutual information in whole bits (0 when not above chance):
                log2(f(pair) * N / (f(first) * f(second))), where f(pair) sums the frequencies
                of the words holding the pair and f(char) those of the words holding the char,
                once per occurrence, and N is the sum of all f(char).
  zh_chars.txt  the frequency f(char) of every character of the two BIP39 Chinese lists (a
                traditional character counts as its simplified form, jieba's dictionary being
                simplified), and N on the first line.
  zh_st.txt     OpenCC's simplified-to-traditional characters, for build.rs to give every pair its
                traditional forms too.

Usage: zh_tables.py JIEBA_DICT_TXT OPENCC_STCHARACTERS_TXT OPENCC_TSCHARACTERS_TXT
(jieba-0.42.1/jieba/dict.txt from the PyPI sdist; opencc/dictionary/*.txt from the PyPI wheel
opencc-python-reimplemented 0.1.7), run in this folder.
"""

import collections
import math
import sys
from pathlib import Path

here = Path(__file__).parent
lists = [
    (here.parent / "wordlists" / f"chinese_{n}.txt").read_text(encoding="utf-8").split()
    for n in ("simplified", "traditional")
]
in_list = set(lists[0]) | set(lists[1])
jieba, st, ts = sys.argv[1:4]
t2s = {}
for line in Path(ts).read_text(encoding="utf-8").splitlines():
    k, v = line.split("\t")
    t2s[k] = v.split()[0]

cf, pf = collections.Counter(), collections.Counter()
for line in Path(jieba).read_text(encoding="utf-8").splitlines():
    w, f, _ = line.split(" ")
    f = int(f)
    for c in w:
        cf[c] += f
    if 2 <= len(w) <= 4:
        for a, b in zip(w, w[1:]):
            pf[a + b] += f
n = sum(cf.values())

with open(here / "zh_pairs.txt", "w", encoding="utf-8") as out:
    for p in sorted(pf):
        a, b = p
        if (a in in_list or b in in_list) and not (a.isascii() or b.isascii()):
            pmi = math.log2(pf[p] * n / (cf[a] * cf[b]))
            out.write(f"{p}\t{max(0, round(pmi))}\n")

with open(here / "zh_chars.txt", "w", encoding="utf-8") as out:
    out.write(f"N\t{n}\n")
    for c in sorted(in_list):
        out.write(f"{c}\t{cf.get(t2s.get(c, c), 0)}\n")

st_lines = Path(st).read_text(encoding="utf-8").splitlines()
(here / "zh_st.txt").write_text("\n".join(st_lines) + "\n", encoding="utf-8")
