#!/usr/bin/env python3
"""Per-resource cost of the rules pack against a baseline binary, in the same run (issue 5).

Usage (from the repository root; Python 3.11, standard library only)::

    python3 bench/pack_cost.py --baseline /path/to/foundation/wa-lint \\
        [--candidate target/release/wa-lint] [--corpus ../shared/corpus] [--repeat 3] \\
        [--parse-baseline 0.862] [--parse-candidate 1.0]

Runs ``<binary> -j 1 -f json -o <tmp> <corpus>`` (no ``-q``: the foundation has no such flag) for the baseline and the candidate
alternately (one untimed warm-up each, then ``--repeat`` timed pairs), and reads user + sys
CPU of each process with ``os.wait4`` (CPU, unlike wall, is little disturbed by other work on
the machine) and the resource count from the report's ``summary.resources``. Per resource:

- ``cpu/resource``: median CPU / resources;
- ``eval/resource``: (median CPU - parse seconds) / resources, when ``--parse-*`` are given:
  the single-threaded parse time of that build, from ``bench/run.py``'s "Parsers alone" table
  (the target of issue 5 is stated for evaluation time, i.e. CPU minus parsing).

Prints a Markdown table with the ratios candidate / baseline. The baseline of issue 5 is the
foundation, commit 98f04d7: build it in a worktree with its own target directory::

    git worktree add /tmp/wt-found 98f04d7
    (cd /tmp/wt-found && CARGO_TARGET_DIR=/tmp/found-target cargo build --release -p wa_lint)
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(binary: str, corpus: str) -> tuple[float, int]:
    """CPU seconds (user + sys) of one scan and the resources of its report."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        proc = subprocess.Popen(
            [binary, "-j", "1", "-f", "json", "-o", out.name, corpus],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 2):
            sys.exit(f"{binary} exited with {code}")
        resources = json.load(open(out.name))["summary"]["resources"]
    return usage.ru_utime + usage.ru_stime, resources


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--candidate", default=str(REPO / "target/release/wa-lint"))
    ap.add_argument("--corpus", default=str(REPO.parent / "shared/corpus"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--parse-baseline", type=float)
    ap.add_argument("--parse-candidate", type=float)
    args = ap.parse_args()

    binaries = {"baseline": args.baseline, "candidate": args.candidate}
    for binary in binaries.values():  # warm-up: page cache, binary
        run(binary, args.corpus)
    cpu: dict[str, list[float]] = {k: [] for k in binaries}
    resources: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, binary in binaries.items():
            seconds, count = run(binary, args.corpus)
            cpu[name].append(seconds)
            resources[name] = count

    parse = {"baseline": args.parse_baseline, "candidate": args.parse_candidate}
    rows = {}
    for name in binaries:
        median = statistics.median(cpu[name])
        per = median / resources[name]
        ev = None
        if parse[name] is not None:
            ev = (median - parse[name]) / resources[name]
        rows[name] = (median, per, ev)

    print(f"corpus `{args.corpus}`, `-j 1`, {args.repeat} alternating pairs, CPU = user + sys\n")
    print("| binary | runs CPU s | median CPU s | resources | cpu/resource µs | eval/resource µs |")
    print("|---|---|---:|---:|---:|---:|")
    for name, binary in binaries.items():
        median, per, ev = rows[name]
        runs = ", ".join(f"{c:.2f}" for c in cpu[name])
        ev_text = f"{ev * 1e6:.0f}" if ev is not None else "-"
        print(f"| {name} `{binary}` | {runs} | {median:.2f} | {resources[name]:,} | "
              f"{per * 1e6:.0f} | {ev_text} |")
    base, cand = rows["baseline"], rows["candidate"]
    print(f"\nratio candidate / baseline: cpu/resource {cand[1] / base[1]:.2f}x", end="")
    if base[2] and cand[2]:
        print(f", eval/resource {cand[2] / base[2]:.2f}x", end="")
    print()


if __name__ == "__main__":
    main()
