#!/usr/bin/env python3
"""wa-lint against peers (cfn-lint, cfn-guard) and scaling (issue 7 item 4).

Usage (from the repository root; Python 3.11, standard library only)::

    python3 bench/peers.py [--corpus ../shared/corpus] [--repeat 3] [--no-build]
                           [--folders aws-cfn-templates serverless-patterns:1 cfn-lint-fixtures]
                           [--skip-cfn-lint] [--cfn-guard] [--cfn-guard-timeout 480]
                           [--skip-scaling] [--scaling-repeat N] [--with-16x]
                           [--output docs/benchmarks-peers.md] [--results target/bench/peers.json]

It reuses the measuring helpers of ``bench/run.py`` (``/usr/bin/time -f %M`` for peak RSS,
``os.wait4`` for user + sys CPU of the whole process tree, ``time.perf_counter`` for wall) and
writes its own file, ``docs/benchmarks-peers.md`` (linked from ``docs/benchmarks.md``; it never
touches that file). checkov is measured by ``bench/run.py``.

1. **Build**: ``cargo build --release -p wa_lint`` (``--no-build`` skips it).
2. **cfn-lint** is installed with pip into ``target/bench-venv`` (the venv ``bench/run.py`` makes for
   checkov) when missing. For each CloudFormation folder it is given the template files of the
   folder (candidate ``.yaml/.yml/.json/.template`` files whose text has
   ``AWSTemplateFormatVersion`` or a ``Resources`` key: cfn-lint has no directory walk and reports
   every non-template as an error), as ``cfn-lint --format json --non-zero-exit-code none -- <files>``.
   wa-lint scans the whole folder (``wa-lint <dir> --format json --output <tmp>``), so its side of
   the ratio does at least as much work. Runs alternate (wa-lint, cfn-lint, wa-lint, cfn-lint …),
   one untimed warm-up pair, then ``--repeat`` timed pairs (``name:N`` in ``--folders``: N for that
   folder); medians are reported. Order: the first folder, then scaling (step 4), then the other
   folders; the report and results are rewritten after each step, so a run stopped early leaves a
   correct report of what was measured (the rest marked as not run).
   Findings: wa-lint ``summary.findings``; cfn-lint = number of matches. Parse failures: wa-lint
   ``summary.errors`` (files with an error diagnostic); cfn-lint = files with a rule ``E0000``
   (template could not be parsed) match.
3. **cfn-guard** (``--cfn-guard``): ``cargo install cfn-guard --root target/bench-tools`` under
   ``timeout --cfn-guard-timeout`` seconds. The rules it is meant to run with, the AWS Guard Rules
   Registry, live on GitHub only; without them there is nothing comparable to run, so cfn-guard is
   not benchmarked yet (running it with a checked-out registry is still to be written). The outcome
   of the install attempt is kept in ``target/bench-tools/attempt.json`` and recorded in the report.
4. **Scaling**: the corpus is replicated 1x and 4x (16x with ``--with-16x``) under
   ``target/bench/scale/<k>x/copy-<i>/`` with hard links (copies when linking fails), and
   ``wa-lint <dir> -j 1`` / ``-j 2`` are run alternately ``--scaling-repeat`` times (default
   ``--repeat``) after a warm-up. Cost per 1x = wall / k (must stay flat: linear growth);
   thread speed-up = wall(-j 1) / wall(-j 2) (target ≥ 1.8x on 2 free cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402  (bench/run.py: measure, Median, machine, …)

REPO = base.REPO
VENV = base.VENV
WA_LINT = base.WA_LINT
CFN_LINT = VENV / "bin" / "cfn-lint"
TOOLS = REPO / "target" / "bench-tools"
CFN_GUARD = TOOLS / "bin" / "cfn-guard"
SCALE_DIR = REPO / "target" / "bench" / "scale"
CFN_FOLDERS = ("aws-cfn-templates", "serverless-patterns", "cfn-lint-fixtures")
TEMPLATE_ENDINGS = (".yaml", ".yml", ".json", ".template")
TEMPLATE_RE = re.compile(r"AWSTemplateFormatVersion|^Resources\s*:|\"Resources\"\s*:", re.M)
TARGET_THREADS = 1.8
# SAM templates with an empty (null) `Resources:` or `Parameters:` section: cfn-lint 1.58 aborts the
# whole run on the first of them (`AttributeError: 'NoneType' object has no attribute 'items'` in
# cfnlint/graph.py, exit code 1, no report), so they are left out of its file list. wa-lint still
# scans the whole folder, which only makes the ratios conservative.
CFN_LINT_SKIP = {
    "serverless-patterns": [
        "_pattern-model/template.yaml",
        "apigw-lambda-sagemaker-jumpstartendpoint-cdk-python/template.yaml",
        "dynamodb-lambda-cdk-kotlin/template.yaml",
        "eventbridge-schedule-stepfunctions-sam/template.yaml",
        "kinesis-lambda-ddb-cdk-java/template.yaml",
        "kinesis-lambda-py-cdk/template.yaml",
    ],
}
log = base.log


def templates(root: Path) -> list[Path]:
    """CloudFormation template files under `root` (heuristic in the module docstring)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(TEMPLATE_ENDINGS):
                continue
            p = Path(dirpath) / name
            try:
                if TEMPLATE_RE.search(p.read_text(errors="replace")):
                    found.append(p)
            except OSError:
                pass
    return found


def ensure_cfn_lint() -> str:
    if not CFN_LINT.exists():
        if not (VENV / "bin" / "pip").exists():
            log(f"creating {VENV}")
            if subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False).returncode != 0:
                raise base.BenchError("cannot create the virtual environment")
        log(f"installing cfn-lint into {VENV} (once)")
        pip = [str(VENV / "bin" / "pip"), "install", "--quiet", "cfn-lint"]
        if subprocess.run(pip, check=False).returncode != 0:
            raise base.BenchError("pip install cfn-lint failed")
    return base.run_text([str(CFN_LINT), "--version"])


def try_cfn_guard(timeout: int) -> dict:
    """Installs cfn-guard under target/bench-tools within `timeout` seconds; never fails."""
    if CFN_GUARD.exists():
        return {"installed": True, "version": base.run_text([str(CFN_GUARD), "--version"]), "build_s": None}
    log(f"cargo install cfn-guard --root {TOOLS} (timeout {timeout}s)")
    start = time.perf_counter()
    try:
        p = subprocess.run(["timeout", str(timeout), "cargo", "install", "cfn-guard", "--root", str(TOOLS)],
                           capture_output=True, text=True, cwd=REPO, check=False)
    except OSError as e:
        return {"installed": False, "reason": f"cannot run cargo: {e}"}
    secs = time.perf_counter() - start
    if p.returncode == 124:
        return {"installed": False, "build_s": secs,
                "reason": f"`cargo install cfn-guard` did not finish within {timeout} s on this machine"}
    if p.returncode != 0 or not CFN_GUARD.exists():
        last = (p.stderr.strip().splitlines() or ["?"])[-1][:200]
        return {"installed": False, "build_s": secs, "reason": f"`cargo install cfn-guard` failed: `{last}`"}
    return {"installed": True, "build_s": secs, "version": base.run_text([str(CFN_GUARD), "--version"])}


ATTEMPT = TOOLS / "attempt.json"


def wa_summary(report: Path) -> dict:
    try:
        return json.loads(report.read_text())["summary"]
    except (OSError, ValueError, KeyError) as e:
        raise base.BenchError(f"cannot read the wa-lint JSON summary: {e}") from e


def cfn_lint_counts(out: Path) -> dict:
    try:
        matches = json.loads(out.read_text() or "[]")
    except ValueError as e:
        raise base.BenchError(f"cfn-lint output is not JSON: {e}") from e
    parse_failed = {m.get("Filename") for m in matches if (m.get("Rule") or {}).get("Id") == "E0000"}
    by_level: dict[str, int] = {}
    for m in matches:
        by_level[m.get("Level", "?")] = by_level.get(m.get("Level", "?"), 0) + 1
    return {"findings": len(matches), "parse_failures": len(parse_failed), "by_level": by_level}


def peers(corpus: Path, folders: list[str], repeat: int, work: Path, notes: list[str]) -> list[dict]:
    rows = []
    for folder in folders:
        path = corpus / folder
        if not path.is_dir():
            notes.append(f"`{folder}` is not in the corpus: skipped")
            continue
        skip = set(CFN_LINT_SKIP.get(folder, []))
        files = [f for f in templates(path) if f.relative_to(path).as_posix() not in skip]
        wa_report, wa_out, ck_out, err = work / "wa.json", work / "wa.out", work / "cfn-lint.json", work / "stderr"
        wa_cmd = [str(WA_LINT), str(path), "--format", "json", "--output", str(wa_report)]
        cl_cmd = [str(CFN_LINT), "--format", "json", "--non-zero-exit-code", "none", "--", *map(str, files)]
        wa_s, cl_s, cl_fail = [], [], None
        for i in range(repeat + 1):  # run 0 = warm-up pair
            s = base.measure(wa_cmd, wa_out, err)
            if s.rc not in (0, 1, 2):
                raise base.BenchError(f"wa-lint {folder}: exit code {s.rc}\n{base.tail(err)}")
            c = base.measure(cl_cmd, ck_out, work / "cfn-lint.err")
            if c.rc != 0:
                cl_fail = f"exit code {c.rc}: `{base.tail(work / 'cfn-lint.err', 1)[:200]}`"
            if i:
                wa_s.append(s)
                cl_s.append(c)
            log(f"{folder} run {i}: wa-lint {s.wall:.2f}s, cfn-lint {c.wall:.2f}s (rc {c.rc})")
        wm, cm = base.Median.of(wa_s), base.Median.of(cl_s)
        summ = wa_summary(wa_report)
        try:
            counts = cfn_lint_counts(ck_out)
        except base.BenchError as e:
            counts = {"findings": None, "parse_failures": None, "by_level": {}}
            cl_fail = (cl_fail or "") + f" {e}"
        if cl_fail:
            notes.append(f"cfn-lint on `{folder}`: {cl_fail}")
        rows.append({
            "folder": folder, "templates": len(files), "cfn_lint_skipped": sorted(skip),
            "wa": {**asdict(wm), "files": summ.get("files"), "findings": summ.get("findings"),
                   "parse_failures": summ.get("errors"), "skipped": summ.get("skipped")},
            "cfn_lint": {**asdict(cm), **counts},
        })
    return rows


def replicate(corpus: Path, k: int) -> Path:
    """`k` copies of the corpus (hard links, else copies) under target/bench/scale/<k>x."""
    dest = SCALE_DIR / f"{k}x"
    marker = dest / ".complete"
    if marker.exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    for i in range(k):
        try:
            shutil.copytree(corpus, dest / f"copy-{i}", copy_function=os.link)
        except (OSError, shutil.Error):
            shutil.rmtree(dest / f"copy-{i}", ignore_errors=True)
            shutil.copytree(corpus, dest / f"copy-{i}")
    marker.write_text("")
    return dest


def scaling(corpus: Path, factors: list[int], repeat: int, work: Path) -> list[dict]:
    rows = []
    for k in factors:
        path = replicate(corpus, k)
        report, err = work / "scale.json", work / "stderr"
        samples: dict[str, list] = {"1": [], "2": []}
        summ = {}
        for i in range(repeat + 1):
            for j in ("1", "2"):
                cmd = [str(WA_LINT), str(path), "--format", "json", "--output", str(report), "-j", j]
                s = base.measure(cmd, None, err)
                if s.rc not in (0, 1, 2):
                    raise base.BenchError(f"wa-lint {k}x -j {j}: exit code {s.rc}\n{base.tail(err)}")
                summ = wa_summary(report)
                log(f"scaling {k}x -j {j} run {i}: {s.wall:.2f}s cpu {s.cpu:.2f}s")
                if i:
                    samples[j].append(s)
        m1, m2 = base.Median.of(samples["1"]), base.Median.of(samples["2"])
        rows.append({"factor": k, "files": summ.get("files"), "findings": summ.get("findings"),
                     "j1": asdict(m1), "j2": asdict(m2), "speedup": m1.wall / m2.wall})
    return rows


# --------------------------------------------------------------------------------------------
# Report

secs, mb, num = base.secs, base.mb, base.num


def markdown(res: dict) -> str:
    m = res["machine"]
    L: list[str] = []
    add = L.append
    add("# Benchmarks against peers, and scaling")
    add("")
    when = f"{res['first_date']} (first command) to {m['date']}" if res.get("first_date") else m["date"]
    add(f"Generated by `{res['command']}` on {when} — do not edit by hand; re-run the script "
        "(method in its docstring). checkov, whole scans and parsers: [benchmarks.md](benchmarks.md).")
    add("")
    add("| | |")
    add("|---|---|")
    for k, v in (("CPUs (nproc)", m["nproc"]), ("CPU model", m["cpu"]), ("memory", m["memory"]),
                 ("OS", m["os"]), ("wa-lint commit", m["commit"]), ("wa-lint binary built", res.get("binary_built")),
                 ("cfn-lint", res.get("cfn_lint_version") or "not run"),
                 ("cfn-guard", res["cfn_guard"].get("version") or "not run (below)"),
                 ("load average at start (1/5/15 min)", m["load"])):
        add(f"| {k} | {v} |")
    add("")
    add("Wall = elapsed seconds; CPU = user + sys seconds of the process and its children; peak RSS = "
        "`/usr/bin/time -f %M` (largest single process); MB = 10^6 bytes. Medians; the number of timed runs "
        "is given per table (after one untimed warm-up run or pair).")
    add("")

    add("## wa-lint vs cfn-lint")
    add("")
    pr = res.get("peers")
    if not pr and not res.get("peers_not_run"):
        add("Not run" + (f": {res['peers_skipped']}" if res.get("peers_skipped") else "") + ".")
        add("")
    else:
        add(f"Commands: `wa-lint <corpus>/<folder> --format json --output <tmp>` (whole folder) and "
            f"`cfn-lint --format json --non-zero-exit-code none -- <templates>` (the folder's CloudFormation "
            f"templates: files with `AWSTemplateFormatVersion` or a `Resources` key), run alternately, "
            f"median of the timed pairs given per folder (`runs`) after one warm-up pair. cfn-lint validates against the "
            "resource specification (schema, types, references), wa-lint checks Security Pillar rules: "
            "findings are not comparable one to one. Parse failures: wa-lint files with an error diagnostic "
            "(`summary.errors`), cfn-lint files with an `E0000` match.")
        add("")
        for r in pr:
            if r.get("cfn_lint_skipped"):
                add(f"On `{r['folder']}` cfn-lint is not given {len(r['cfn_lint_skipped'])} SAM templates with an "
                    "empty (null) `Resources:` or `Parameters:` section: cfn-lint "
                    f"{res.get('cfn_lint_version', '').split()[-1]} aborts the whole run on the first of them "
                    "(`AttributeError: 'NoneType' object has no attribute 'items'`, exit code 1, no report). "
                    "wa-lint scans them (and the whole folder). Files: "
                    + ", ".join(f"`{f}`" for f in r["cfn_lint_skipped"]) + ".")
                add("")
        add("| folder | templates | runs | tool | wall s | CPU s | peak RSS MB | findings | parse failures |")
        add("|---|---:|---:|---|---:|---:|---:|---:|---:|")
        for r in pr:
            w, c = r["wa"], r["cfn_lint"]
            add(f"| {r['folder']} | {num(r['templates'])} | {w['runs']} | wa-lint | {secs(w['wall'])} | {secs(w['cpu'])} | "
                f"{mb(w['maxrss_kib'])} | {num(w['findings'])} | {num(w['parse_failures'])} |")
            levels = ", ".join(f"{k} {v}" for k, v in sorted(c.get("by_level", {}).items()))
            add(f"| | | | cfn-lint | {secs(c['wall'])} | {secs(c['cpu'])} | {mb(c['maxrss_kib'])} | "
                f"{num(c['findings'])}{f' ({levels})' if levels else ''} | {num(c['parse_failures'])} |")
        add("")
        add("| folder | wall ratio (cfn-lint / wa-lint) | CPU ratio | memory (wa-lint / cfn-lint) | wa-lint walls s | cfn-lint walls s |")
        add("|---|---:|---:|---:|---|---|")
        for r in pr:
            w, c = r["wa"], r["cfn_lint"]
            add(f"| {r['folder']} | {c['wall'] / w['wall']:.1f}x | {c['cpu'] / w['cpu']:.1f}x | "
                f"{w['maxrss_kib'] / c['maxrss_kib']:.2f} | {', '.join(f'{x:.2f}' for x in w['walls'])} | "
                f"{', '.join(f'{x:.2f}' for x in c['walls'])} |")
        add("")
        if res.get("peers_not_run"):
            add("Not run in this measurement: " + res["peers_not_run"])
            add("")

    add("## cfn-guard")
    add("")
    g = res["cfn_guard"]
    if g.get("attempted") is False:
        add("Not attempted in this run (`--cfn-guard` not given). ")
    elif g.get("installed"):
        add(f"`cargo install cfn-guard --root target/bench-tools` built {g.get('version')}"
            + (f" in {g['build_s']:.0f} s" if g.get("build_s") else "") + "."
            + (f" ({g['build_note']}.)" if g.get("build_note") else ""))
    else:
        add(f"Skipped: {g.get('reason')}.")
    add("")
    add("Not benchmarked: cfn-guard needs a rule set, and the one the issue names (the AWS Guard Rules "
        "Registry, `aws-cloudformation/aws-guard-rules-registry`) is published on GitHub only, which is not "
        "reachable from this machine; running cfn-guard with a checked-out registry is not written yet. "
        "The 50x cfn-guard target of issue 7 is therefore **not measured**.")
    add("")

    add("## Scaling")
    add("")
    sc = res.get("scaling")
    if not sc:
        add("Not run" + (f": {res['scaling_skipped']}" if res.get("scaling_skipped") else "") + ".")
        add("")
    else:
        add(f"The whole corpus replicated k times under `target/bench/scale/<k>x/copy-<i>/` (hard links), "
            f"`wa-lint <dir> --format json --output <tmp> -j 1` and `-j 2` run alternately, median of "
            f"{res['scaling_repeat']} timed runs after one warm-up. Cost per 1x = wall / k.")
        add("")
        add("| copies | files | findings | -j 1 wall s | -j 1 CPU s | -j 1 wall per 1x | -j 2 wall s | -j 2 CPU s | -j 2 wall per 1x | peak RSS MB (-j 1 / -j 2) | speed-up -j 2 vs -j 1 |")
        add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in sc:
            k, a, b = r["factor"], r["j1"], r["j2"]
            add(f"| {k}x | {num(r['files'])} | {num(r['findings'])} | {secs(a['wall'])} | {secs(a['cpu'])} | "
                f"{secs(a['wall'] / k)} | {secs(b['wall'])} | {secs(b['cpu'])} | {secs(b['wall'] / k)} | "
                f"{mb(a['maxrss_kib'])} / {mb(b['maxrss_kib'])} | {r['speedup']:.2f}x |")
        add("")
        base1 = sc[0]
        for r in sc[1:]:
            add(f"- {r['factor']}x vs {base1['factor']}x: wall per 1x at -j 1 is "
                f"{(r['j1']['wall'] / r['factor']) / (base1['j1']['wall'] / base1['factor']):.2f} of the "
                f"{base1['factor']}x figure, at -j 2 "
                f"{(r['j2']['wall'] / r['factor']) / (base1['j2']['wall'] / base1['factor']):.2f} "
                "(1.00 = exactly linear).")
        worst = min(r["speedup"] for r in sc)
        add(f"- Thread speed-up (target ≥ {TARGET_THREADS}x on 2 free cores): "
            + ", ".join(f"{r['factor']}x {r['speedup']:.2f}x" for r in sc)
            + f" — {'**met**' if worst >= TARGET_THREADS else '**not met**'} (lowest {worst:.2f}x)."
            + (" A speed-up above 2x on 2 cores is run-to-run noise (few timed runs, short scan): read the "
               "largest corpus as the figure." if any(r["speedup"] > 2 for r in sc) else ""))
        for r in sc[1:]:
            for j in ("j1", "j2"):
                grow = r[j]["maxrss_kib"] / base1[j]["maxrss_kib"]
                add(f"- Peak RSS at -{j[0]} {j[1]}: {r['factor']}x corpus = {grow:.1f} times the "
                    f"{base1['factor']}x figure ({mb(base1[j]['maxrss_kib'])} → {mb(r[j]['maxrss_kib'])} MB): "
                    "memory grows with the size of the scan, not only with the largest unit.")
        if not res.get("with_16x"):
            add("- 16x was **not run** (`--with-16x`; about 16 times the 1x wall per thread setting, too long "
                "for this session).")
        add("")
    if res.get("notes"):
        add("## Notes")
        add("")
        for n in res["notes"]:
            add(f"- {n}")
        add("")
    return "\n".join(L)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=3, help="timed runs (median); default 3")
    ap.add_argument("--folders", nargs="+", default=list(CFN_FOLDERS),
                    help="CloudFormation folders for cfn-lint, in order; `name:N` = N timed runs for that folder")
    ap.add_argument("--skip-cfn-lint", action="store_true")
    ap.add_argument("--cfn-guard", action="store_true", help="try cargo install cfn-guard (bounded by --cfn-guard-timeout)")
    ap.add_argument("--cfn-guard-timeout", type=int, default=480)
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--scaling-repeat", type=int, default=None, help="timed scaling runs (default --repeat)")
    ap.add_argument("--with-16x", action="store_true", help="also replicate the corpus 16x (slow)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--output", default=str(REPO / "docs" / "benchmarks-peers.md"))
    ap.add_argument("--results", default=str(REPO / "target" / "bench" / "peers.json"))
    ap.add_argument("--merge", default=None,
                    help="results JSON of an earlier run: its cfn-lint rows for folders not measured now, its "
                         "scaling (when not measured now) and its notes are kept in the report")
    ap.add_argument("--render-only", action="store_true", help="rewrite the markdown from --results")
    args = ap.parse_args()

    if args.render_only:
        res = json.loads(Path(args.results).read_text())
        Path(args.output).write_text(markdown(res) + "\n")
        return 0
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        log(f"corpus not found: {corpus}")
        return 1
    repeat = max(1, args.repeat)
    res: dict = {"machine": base.machine(), "repeat": repeat, "notes": [],
                 "command": "python3 bench/peers.py " + " ".join(sys.argv[1:]),
                 "with_16x": args.with_16x, "cfn_guard": {"attempted": False}}
    try:
        if not args.no_build:
            cmd = ["cargo", "build", "--release", "-p", "wa_lint"]
            log(" ".join(cmd))
            if subprocess.run(cmd, cwd=REPO, check=False).returncode != 0:
                raise base.BenchError("build failed")
        if not WA_LINT.exists():
            raise base.BenchError(f"{WA_LINT} is missing")
        res["binary_built"] = base.binary_time()
        if args.cfn_guard:
            res["cfn_guard"] = {"attempted": True, **try_cfn_guard(args.cfn_guard_timeout)}
            TOOLS.mkdir(parents=True, exist_ok=True)
            ATTEMPT.write_text(json.dumps(res["cfn_guard"]) + "\n")
        elif CFN_GUARD.exists():
            res["cfn_guard"] = {"attempted": True, "installed": True,
                                **(json.loads(ATTEMPT.read_text()) if ATTEMPT.exists() else {}),
                                "version": base.run_text([str(CFN_GUARD), "--version"])}
        elif ATTEMPT.exists():  # an earlier --cfn-guard run
            res["cfn_guard"] = json.loads(ATTEMPT.read_text())
        with tempfile.TemporaryDirectory(prefix="wa-lint-peers-") as tmp:
            work = Path(tmp)
            prior = json.loads(Path(args.merge).read_text()) if args.merge else None

            def save() -> None:
                if prior:
                    now = {r["folder"] for r in res.get("peers") or []}
                    keep = [r for r in prior.get("peers") or [] if r["folder"] not in now]
                    out = dict(res, peers=keep + (res.get("peers") or []),
                               command=prior["command"] + "`, then `" + res["command"],
                               first_date=prior.get("first_date") or prior["machine"]["date"],
                               notes=[n for n in prior.get("notes", []) if not any(f"`{f}`" in n for f in now)]
                               + res["notes"])
                    if not res.get("scaling") and prior.get("scaling"):
                        out.update(scaling=prior["scaling"], scaling_repeat=prior["scaling_repeat"])
                        out.pop("scaling_skipped", None)
                    done = {r["folder"] for r in out["peers"]}
                    left = [f"`{f}`" for f in CFN_FOLDERS if f not in done]
                    out["peers_not_run"] = ", ".join(left) + "." if left else None
                else:
                    out = res
                Path(args.results).parent.mkdir(parents=True, exist_ok=True)
                Path(args.results).write_text(json.dumps(out, indent=2) + "\n")
                Path(args.output).write_text(markdown(out) + "\n")

            specs = []  # (folder, repeat): `name:N` overrides --repeat for one folder
            for f in args.folders:
                name, _, n = f.partition(":")
                specs.append((name, max(1, int(n)) if n else repeat))
            pending = [] if args.skip_cfn_lint else list(specs)
            res["peers"] = []

            def not_run() -> None:
                left = [f"`{f}`" for f in CFN_FOLDERS if f not in [x[0] for x in specs]]
                left += [f"`{f}` (the run was stopped before it)" for f, _ in pending]
                res["peers_not_run"] = ", ".join(left) + "." if left else None

            def run_peer(folder: str, n: int) -> None:
                res["peers"] += peers(corpus, [folder], n, work, res["notes"])
                pending.remove((folder, n))
                not_run()
                save()

            if args.skip_cfn_lint:
                res["peers_skipped"] = "`--skip-cfn-lint`"
            else:
                res["cfn_lint_version"] = ensure_cfn_lint()
                not_run()
                save()
                run_peer(*pending[0])  # the first folder, then scaling, then the other folders
            if args.skip_scaling:
                res["scaling_skipped"] = "`--skip-scaling`"
            else:
                res["scaling_repeat"] = max(1, args.scaling_repeat or repeat)
                factors = [1, 4] + ([16] if args.with_16x else [])
                res["scaling_skipped"] = "the run was stopped before it"
                save()
                res["scaling"] = scaling(corpus, factors, res["scaling_repeat"], work)
                res.pop("scaling_skipped")
                save()
            while pending:
                run_peer(*pending[0])
            save()
    except base.BenchError as e:
        log(str(e))
        return 1
    log(f"wrote {args.output} and {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
