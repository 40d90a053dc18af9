#!/usr/bin/env python3
"""wa-lint incremental cache benchmark (issue 7 item 5).

Usage (from the repository root; Python 3.11, standard library only)::

    cargo build --release -p wa_lint
    python3 bench/cache.py [--corpus ../shared/corpus] [--repeat 3] [--write docs/benchmarks.md]

The corpus is copied to a scratch directory under ``target/bench/cache-corpus`` (the shared corpus
is never edited). Then, each measured ``--repeat`` times (median reported; wall seconds from
spawn to exit, ``time.perf_counter``):

- **no cache**: ``wa-lint check <copy> --format json --output <tmp>``;
- **cold**: the same with ``--cache <empty dir>`` (parse, evaluate, write every entry);
- **warm, nothing changed**: again with the filled cache;
- **warm, one file edited**: a line ``# edited N`` is appended to one file before each run (a
  content change, not only a new mtime), for a CloudFormation template, a Terraform ``.tf``
  file without module calls, and a Terraform file with a module call (which may move module
  roots, so the Terraform project is parsed whole and units are looked up by key).

Every cached run's report must be byte-identical to an uncached run on the same files (checked;
the script fails otherwise). The cache line of ``-v`` gives the units reused / evaluated /
parsed. ``--write FILE`` replaces the section ``## Incremental cache`` of FILE (or appends it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = (
    'Every unit can be reused: a Terraform module whose file functions read files keys on the files its evaluation resolved (hashed again on each run). An edited `.tf` file whose `module` calls stay the same, or an edited template without cross-file markers, parses only its own unit; an edit that changes module calls may move module roots, so the Terraform project is then parsed whole (the `parsed` column) and units are looked up by key. Warm runs take the suppressions of unchanged files from the cache too (`runs/*.suppress.cache`) and read again only files whose text holds a suppression marker. The cold run costs a little more than no cache (writing every entry).'
)
BIN = ROOT / "target/release/wa-lint"
SCRATCH = ROOT / "target/bench/cache-corpus"

# Files edited in the "one file" runs, relative to the corpus.
EDITS = [
    ("CloudFormation template", "aws-cfn-templates", False),
    ("Terraform file, no module block", "terragoat", False),
    ("Terraform file with a module block", "tfam-vpc", True),
]


def run(args: list[str], out: Path) -> tuple[float, bytes, str]:
    start = time.perf_counter()
    p = subprocess.run(
        [str(BIN), "check", "--no-config", "-v", "--format", "json", "--output", str(out), *args],
        capture_output=True,
    )
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1, 2) or b"panicked" in p.stderr:
        sys.exit(f"wa-lint failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    cache = next(
        (l for l in p.stderr.decode(errors="replace").splitlines() if l.startswith("wa-lint: cache ")),
        "",
    )
    return wall, out.read_bytes(), cache


def counts(line: str) -> str:
    m = re.search(r"(\d+) units reused, (\d+) evaluated, (\d+) parsed", line)
    return f"{m.group(1)} / {m.group(2)} / {m.group(3)}" if m else "-"


def pick(corpus: Path, folder: str, module_call: bool, suffixes: tuple[str, ...]) -> Path:
    """A deterministic file of `folder`: the first (sorted) with/without the markers."""
    cfn_markers = ("AWS::CloudFormation::Stack", "AWS::Serverless::Application", "ImportValue",
                   "Export", "\\u", "\\x", "\\U")
    for p in sorted((corpus / folder).rglob("*")):
        if not p.is_file() or not p.name.endswith(suffixes) or any(s.startswith(".") for s in p.parts):
            continue
        text = p.read_text(errors="replace")
        if suffixes == (".yaml", ".yml"):
            if "AWSTemplateFormatVersion" in text and not any(m in text for m in cfn_markers):
                return p
        else:
            calls = any(l.lstrip().startswith("module ") for l in text.splitlines())
            if calls == module_call and "file(" not in text:
                return p
    sys.exit(f"no file to edit in {folder}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "../shared/corpus"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write")
    a = ap.parse_args()
    if not BIN.exists():
        sys.exit("build first: cargo build --release -p wa_lint")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    shutil.copytree(Path(a.corpus).resolve(), SCRATCH / "corpus", symlinks=True)
    corpus = SCRATCH / "corpus"
    out = SCRATCH / "report.json"
    cache = SCRATCH / "cache"
    rows = []

    def measure(label: str, before=None, fresh_cache=False, cached=True) -> float:
        walls, lines = [], []
        for i in range(a.repeat):
            if before:
                before(i)
            if fresh_cache:
                shutil.rmtree(cache, ignore_errors=True)
            args = ["--cache", str(cache)] if cached else []
            wall, report, line = run([*args, str(corpus)], out)
            if cached:
                _, plain, _ = run([str(corpus)], SCRATCH / "plain.json")
                if plain != report:
                    sys.exit(f"{label}: cached report differs from the uncached one")
            walls.append(wall)
            lines.append(line)
        med = statistics.median(walls)
        rows.append((label, med, counts(lines[-1])))
        return med

    run([str(corpus)], out)  # warm-up (page cache)
    measure("no cache", cached=False)
    cold = measure("cold (empty cache)", fresh_cache=True)
    measure("warm, nothing changed")
    for label, folder, module_block in EDITS:
        if folder == "aws-cfn-templates":
            target = pick(corpus, folder, False, (".yaml", ".yml"))
        else:
            target = pick(corpus, folder, module_block, (".tf",))

        def edit(i: int, target: Path = target) -> None:
            with target.open("a") as f:
                f.write(f"\n# edited {i}\n")

        measure(f"warm, one file edited: {label} (`{target.relative_to(corpus)}`)", before=edit)

    lines = [
        "## Incremental cache",
        "",
        "Generated by `python3 bench/cache.py` (see its docstring) on a copy of the shared corpus "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, nproc {os.cpu_count()}, "
        "release build, all cores). Median of "
        f"{a.repeat} runs each; every cached report was checked byte-identical to an uncached run. "
        "`units` = units reused / evaluated / parsed, from the cache line of `-v`.",
        "",
        "| run | wall s | vs cold | units |",
        "|---|---:|---:|---|",
    ]
    for label, wall, c in rows:
        lines.append(f"| {label} | {wall:.3f} | {wall / cold:.1%} | {c} |")
    lines += [NOTE]
    edits = [(label, wall) for label, wall, _ in rows if label.startswith("warm, one file")]
    worst = max(wall for _, wall in edits) / cold
    lines += [
        "",
        "Target (issue 7): a second run with the cache and one file changed takes under 10% of "
        f"the first: **{'met' if worst < 0.10 else 'not met'}** (worst edit above: {worst:.1%} "
        "of the cold run).",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if a.write:
        doc = Path(a.write)
        text = doc.read_text() if doc.exists() else ""
        m = re.search(r"^## Incremental cache\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
        text = text[: m.start()] + section + "\n" + text[m.end():] if m else text.rstrip("\n") + "\n\n" + section
        doc.write_text(text)


if __name__ == "__main__":
    main()
