#!/usr/bin/env python3
"""wa-lint against peers (checkov on Terraform, cfn-lint, cfn-guard) and scaling (issue 7 item 4).

Usage (from the repository root; Python 3.11, standard library only)::

    python3 bench/peers.py [--corpus ../shared/corpus] [--repeat 3] [--no-build]
                           [--folders aws-cfn-templates serverless-patterns:1 cfn-lint-fixtures]
                           [--skip-cfn-lint] [--cfn-guard] [--cfn-guard-timeout 480]
                           [--guard-rules DIR] [--guard-folders ...] [--guard-timeout 900] [--guard-repeat 1]
                           [--checkov-tf] [--checkov-timeout 900] [--checkov-repeat 1]
                           [--skip-scaling] [--scaling-repeat N] [--with-16x]
                           [--merge target/bench/peers-old.json]
                           [--output docs/benchmarks-peers.md] [--results target/bench/peers.json]

It reuses the measuring helpers of ``bench/run.py`` (``/usr/bin/time -f %M`` for peak RSS,
``os.wait4`` for user + sys CPU of the whole process tree, ``time.perf_counter`` for wall, the
50 ms process-tree PSS sampler for checkov) and writes its own file, ``docs/benchmarks-peers.md``
(linked from ``docs/benchmarks.md``; it never touches that file): the text between the lines
``<!-- BEGIN bench/peers.py -->`` and ``<!-- END bench/peers.py -->``, so hand-written text after
the block (verdicts) is kept. checkov on the CloudFormation folders and terragoat is measured by
``bench/run.py``; here it is measured on the ``tfam-*`` folders (step 5).

Every measured run also records the machine's load around it: the 1-minute load average at its
start and ``others`` = cores kept busy by *other* processes while it ran (machine busy time from
``/proc/stat`` minus the run's own CPU time, over its wall time). The machine may be shared; CPU
time is the figure load does not distort.

Order: the first cfn-lint folder, checkov on tfam-* (step 5), cfn-guard (step 6), scaling (step 4), the
other cfn-lint folders; the report and results are rewritten after each folder/step, so a run stopped early leaves
a correct report of what was measured (the rest marked as not run). ``--merge <old results>`` keeps
an earlier run's cfn-lint rows (for folders not measured now; labelled with the date and commit
they were measured with), checkov, cfn-guard and scaling tables (when not measured now; each says
when and with which commit it was measured) and notes.

1. **Build**: ``cargo build --release -p wa_lint`` (``--no-build`` skips it).
2. **cfn-lint** is installed with pip into ``target/bench-venv`` (the venv ``bench/run.py`` makes for
   checkov) when missing. For each CloudFormation folder it is given the template files of the
   folder (candidate ``.yaml/.yml/.json/.template`` files whose text has
   ``AWSTemplateFormatVersion`` or a ``Resources`` key: cfn-lint has no directory walk and reports
   every non-template as an error), as ``cfn-lint --format json --non-zero-exit-code none -- <files>``.
   wa-lint scans the whole folder (``wa-lint <dir> --format json --output <tmp>``), so its side of
   the ratio does at least as much work. Runs alternate (wa-lint, cfn-lint, wa-lint, cfn-lint …),
   one untimed warm-up pair, then ``--repeat`` timed pairs (``name:N`` in ``--folders``: N for that
   folder); medians are reported.
   Findings: wa-lint ``summary.findings``; cfn-lint = number of matches. Parse failures: wa-lint
   ``summary.errors`` (files with an error diagnostic); cfn-lint = files with a rule ``E0000``
   (template could not be parsed) match.
3. **cfn-guard install** (``--cfn-guard``): ``cargo install cfn-guard --root target/bench-tools`` under
   ``timeout --cfn-guard-timeout`` seconds. The outcome of the install attempt is kept in
   ``target/bench-tools/attempt.json`` and recorded in the report. Measuring it is step 6.
4. **Scaling**: the corpus is replicated 1x and 4x (16x with ``--with-16x``) under
   ``target/bench/scale/<k>x/copy-<i>/`` with hard links (copies when linking fails), and
   ``wa-lint <dir> -j 1`` / ``-j 2`` are run alternately ``--scaling-repeat`` times (default
   ``--repeat``), after one untimed warm-up pair before the first size only (the copies are hard
   links to the same inodes, so the page cache is warm for every size). Cost per 1x = wall / k and
   CPU / k (must stay flat: linear growth; CPU is the load-independent figure); peak RSS per size
   (bounded memory: the 16x figure against the 1x one); thread speed-up = wall(-j 1) / wall(-j 2)
   (target ≥ 1.8x on 2 *free* cores: the report says how many cores other processes took).
5. **checkov on Terraform** (``--checkov-tf``): for each ``tfam-*`` folder of the corpus,
   ``wa-lint <dir> --format json --output <tmp>`` and
   ``checkov -d <dir> --quiet --compact -o json --framework terraform --skip-download`` (checkov from
   ``target/bench-venv``, installed by ``bench/run.py`` when missing; ``BC_SKIP_MAPPING=TRUE
   CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE``: no network calls) alternate, ``--checkov-repeat`` timed
   pairs (default 1: checkov takes minutes per folder) after one untimed wa-lint run (page cache).
   Each checkov run is capped at ``--checkov-timeout`` seconds of wall time: at the cap its whole
   process tree is killed and the run is marked capped; its wall is reported as ``> cap``, its CPU,
   peak RSS and tree PSS as ``≥`` (used up to the cap), and ratios from it as lower bounds (``≥ Nx``).
   Findings: wa-lint ``summary.findings`` and ``summary.errors`` (parse failures); checkov failed /
   passed checks and ``parsing_errors`` from its JSON summary (none for a capped run).
6. **cfn-guard with the AWS Guard Rules Registry** (``--guard-rules DIR``: a checkout of the registry's
   ``rules/`` folder, ``aws-cloudformation/aws-guard-rules-registry``, or any folder of ``.guard`` files;
   on a fresh machine: ``git clone`` the registry and pass ``<clone>/rules``). For each CloudFormation
   folder (``--guard-folders``, default the three of step 2), ``wa-lint <dir> --format json --output
   <tmp>`` (all cores) and ``cfn-guard validate --rules DIR --show-summary none --data <files>``
   alternate, ``--guard-repeat`` timed pairs (default 1) after one untimed wa-lint run, each cfn-guard
   run capped at ``--guard-timeout`` seconds like checkov (lower bounds when capped). cfn-guard aborts a
   whole directory run on the first data file it cannot parse, so it is given the files its own walk
   would read minus those (found one by one against a one-line rule; listed in the report). Reported:
   wall, CPU, peak RSS, exit codes, failing (template, rule file) pairs and non-compliant resources
   (from its default output), the ratios and the 50x / lower-memory verdicts per folder. Skipped with
   the reason when ``--guard-rules`` is not given, holds no ``.guard`` file, or cfn-guard is not
   installed. Helpers and the report section: ``bench/guard.py``.
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
import guard  # noqa: E402  (bench/guard.py: step 6)
import run as base  # noqa: E402  (bench/run.py: measure, Median, machine, …)

REPO = base.REPO
VENV = base.VENV
WA_LINT = base.WA_LINT
CFN_LINT = VENV / "bin" / "cfn-lint"
CHECKOV = VENV / "bin" / "checkov"
TF_PREFIX = "tfam-"  # the Terraform folders checkov is measured on (terraform-aws-modules)
TARGET_CHECKOV = 100.0  # wa-lint wall at least 100x lower than checkov's on the tfam-* folders
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


def _busy_seconds() -> float:
    """Seconds of CPU the whole machine has been busy since boot (``/proc/stat``, all cores)."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = sum(fields[3:5])  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure_loaded(cmd: list[str], stdout: Path | None, stderr: Path, **kw) -> tuple[base.Sample, dict]:
    """`base.measure` plus the machine's load around the run.

    Returns the sample and ``{"load1": <1-min load average at the start>, "others": <cores
    kept busy by other processes during the run>}``: machine busy seconds (``/proc/stat``)
    over the run minus the run's own CPU seconds, divided by its wall seconds (0 = the run
    had the machine to itself, 1 = one core was taken by something else on average)."""
    load1, busy = os.getloadavg()[0], _busy_seconds()
    s = base.measure(cmd, stdout, stderr, **kw)
    others = max(0.0, (_busy_seconds() - busy - s.cpu) / s.wall) if s.wall > 0 else 0.0
    return s, {"load1": round(load1, 2), "others": round(others, 2)}


def built_dirty() -> str:
    """Uncommitted changes under crates/, rules/ and Cargo.* that the release binary may hold:
    changed files last written before the binary was (files changed after it are not built in,
    since the benchmark does not rebuild with ``--no-build``). Empty when there are none."""
    try:
        built = WA_LINT.stat().st_mtime
    except OSError:
        return ""
    names = base.run_text(["git", "diff", "--name-only", "HEAD", "--", "crates", "rules", "Cargo.toml", "Cargo.lock"])
    older = [n for n in names.splitlines() if (REPO / n).exists() and (REPO / n).stat().st_mtime < built]
    return ", ".join(f"`{n}`" for n in older)


def tf_folders(corpus: Path) -> list[str]:
    """The `tfam-*` folders of the corpus, sorted."""
    return sorted(p.name for p in corpus.iterdir() if p.is_dir() and p.name.startswith(TF_PREFIX))


def checkov_tf(corpus: Path, folders: list[str], repeat: int, timeout: float, work: Path,
               notes: list[str]) -> list[dict]:
    """wa-lint vs checkov (``--framework terraform``) per folder, alternating (docstring step 5)."""
    rows = []
    for folder in folders:
        path = corpus / folder
        wa_report, err, ck_out, ck_err = work / "wa.json", work / "stderr", work / "checkov.json", work / "checkov.err"
        wa_cmd = [str(WA_LINT), str(path), "--format", "json", "--output", str(wa_report)]
        ck_args = ["-d", str(path), "--quiet", "--compact", "-o", "json", "--framework", "terraform", "--skip-download"]
        base.measure(wa_cmd, None, err)  # untimed warm-up: page cache, for both tools
        wa_s, ck_s, loads, ck_fail = [], [], [], None
        totals: dict = {"passed": None, "failed": None, "parsing_errors": None, "resource_count": None}
        for i in range(repeat):
            s, ls = measure_loaded(wa_cmd, None, err)
            if s.rc not in (0, 1, 2):
                raise base.BenchError(f"wa-lint {folder}: exit code {s.rc}\n{base.tail(err)}")
            ck_out.unlink(missing_ok=True)
            c, lc = measure_loaded([str(CHECKOV), *ck_args], ck_out, ck_err, env=base.CHECKOV_ENV,
                                   tree=True, timeout=timeout)
            wa_s.append(s)
            ck_s.append(c)
            loads.append({"wa": ls, "checkov": lc})
            log(f"{folder} pair {i + 1}: wa-lint {s.wall:.2f}s, checkov "
                + (f"> {timeout:.0f}s (capped)" if c.capped else f"{c.wall:.1f}s (rc {c.rc})")
                + f", other processes {lc['others']:.2f} cores")
            if not c.capped:
                if c.rc not in (0, 1):
                    ck_fail = f"exit code {c.rc}: `{base.tail(ck_err, 1)[:200]}`"
                else:
                    try:
                        totals = base.checkov_totals(ck_out)
                    except ValueError as e:
                        ck_fail = f"output is not JSON: {e}"
        if ck_fail:
            notes.append(f"checkov on `{folder}`: {ck_fail}")
        summ = wa_summary(wa_report)
        rows.append({
            "folder": folder, "timeout": timeout,
            "command": "checkov " + " ".join(ck_args).replace(str(corpus) + "/", "<corpus>/"),
            "wa": {**asdict(base.Median.of(wa_s)), "files": summ.get("files"), "units": summ.get("units"),
                   "resources": summ.get("resources"), "findings": summ.get("findings"),
                   "failed": summ.get("failed"), "unknown": summ.get("unknown"),
                   "parse_failures": summ.get("errors")},
            "checkov": {**asdict(base.Median.of(ck_s)), **totals},
            "loads": loads,
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
    """-j 1 / -j 2 alternately over each replica; a warm-up pair before the first factor only
    (the replicas are hard links to the same files, so the page cache is warm for all)."""
    rows = []
    for n, k in enumerate(factors):
        path = replicate(corpus, k)
        report, err = work / "scale.json", work / "stderr"
        samples: dict[str, list] = {"1": [], "2": []}
        loads: dict[str, list] = {"1": [], "2": []}
        summ = {}
        warm = 1 if n == 0 else 0
        for i in range(repeat + warm):
            for j in ("1", "2"):
                cmd = [str(WA_LINT), str(path), "--format", "json", "--output", str(report), "-j", j]
                s, load = measure_loaded(cmd, None, err)
                if s.rc not in (0, 1, 2):
                    raise base.BenchError(f"wa-lint {k}x -j {j}: exit code {s.rc}\n{base.tail(err)}")
                summ = wa_summary(report)
                log(f"scaling {k}x -j {j} run {i}: {s.wall:.2f}s cpu {s.cpu:.2f}s rss {s.maxrss_kib / 1024:.0f} MiB, "
                    f"load {load['load1']}, other processes {load['others']:.2f} cores")
                if i >= warm:
                    samples[j].append(s)
                    loads[j].append(load)
        m1, m2 = base.Median.of(samples["1"]), base.Median.of(samples["2"])
        rows.append({"factor": k, "files": summ.get("files"), "findings": summ.get("findings"),
                     "j1": asdict(m1), "j2": asdict(m2), "speedup": m1.wall / m2.wall,
                     "loads": loads, "warmup": bool(warm)})
    return rows


# --------------------------------------------------------------------------------------------
# Report

secs, mb, num = base.secs, base.mb, base.num


def capped(m: dict, key: str, fmt) -> str:
    """A measure of a run stopped at the cap is a lower bound: wall "> cap", others "≥ x"."""
    if not m.get("capped"):
        return fmt(m[key])
    return f"> {fmt(m[key])} (cap)" if key == "wall" else f"≥ {fmt(m[key])}"


def ratio(x: float, lower: bool) -> str:
    return f"{'≥ ' if lower else ''}{x:,.0f}x" if x >= 10 else f"{'≥ ' if lower else ''}{x:.1f}x"


def others(loads: list[dict]) -> str:
    """Mean cores kept busy by other processes over a list of `measure_loaded` loads."""
    return f"{statistics.mean(x['others'] for x in loads):.2f}" if loads else "–"


def kept_note(res: dict, section: str) -> list[str]:
    """A line saying that `section` was kept from an earlier run (``--merge``), with the date and
    binary it was measured with (the machine table above describes the last run only)."""
    when = (res.get("kept") or {}).get(section)
    if not when or not res.get(section):
        return []
    return [f"Kept from an earlier run of the script (`--merge`): measured {when} (the date is the start of "
            "that run's last command, the commit its HEAD then), not with the binary of the table above.", ""]


def section_head(res: dict, title: str, section: str) -> list[str]:
    """The heading of a report section, the `--merge` note, and "Not run: <reason>." when the
    results have no `section` (the reason from `<section>_skipped`)."""
    L = [f"## {title}", ""] + kept_note(res, section)
    if not res.get(section):
        skipped = res.get(f"{section}_skipped")
        L += ["Not run" + (f": {skipped}" if skipped else "") + ".", ""]
    return L


def md_checkov(res: dict) -> list[str]:
    L = section_head(res, "wa-lint vs checkov on the Terraform folders (tfam-*)", "checkov_tf")
    add = L.append
    ck = res.get("checkov_tf")
    if not ck:
        return L
    cap = ck[0]["timeout"]
    lo = [x[t]["others"] for r in ck for x in r["loads"] for t in ("wa", "checkov")]
    add(f"Commands: `wa-lint <corpus>/<folder> --format json --output <tmp>` (all cores) and "
        f"`checkov -d <corpus>/<folder> --quiet --compact -o json --framework terraform --skip-download` "
        f"(checkov {res.get('checkov_version')}, `target/bench-venv`) with `BC_SKIP_MAPPING=TRUE "
        "CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE` (no network calls, as in `bench/run.py`), run alternately "
        "(wa-lint, checkov) after one untimed wa-lint warm-up (page cache). checkov takes minutes per folder, "
        f"so each folder has **{ck[0]['wa']['runs']} timed pair(s)** (no median to speak of: read single "
        f"runs) and every checkov run is **capped at {cap:.0f} s** of wall time (`--checkov-timeout`): a "
        "capped run is killed (its whole process tree) and shown as `> cap`; its CPU, peak RSS and tree PSS "
        "are what it had used by then (`≥`), it wrote no report (no failed-check count), and every ratio "
        "computed from it is a **lower bound** (`≥ Nx`). checkov forks workers: `peak RSS` is "
        "`/usr/bin/time -f %M` (largest single process, same method as for wa-lint), `tree PSS` the peak of "
        "the summed PSS of the whole process tree (sampled every 50 ms) with the most processes seen at once. "
        "`other cores` = cores kept busy by other processes during the run (machine busy time from "
        "`/proc/stat` minus the run's own CPU, over its wall time; this script's own process-tree sampler, "
        "about 0.1 core while checkov runs, is counted there)"
        + (f": other processes kept {min(lo):.2f}–{max(lo):.2f} cores of {res['machine']['nproc']} busy during "
           "these runs, which stretches both tools' wall times (each got less than a core); CPU time is the "
           "figure load distorts least." if lo else "."))
    add("")
    add("| folder | tool | wall s | CPU s | peak RSS MB | tree PSS MB (procs) | findings / failed checks | passed checks | parse failures | other cores |")
    add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in ck:
        w, c = r["wa"], r["checkov"]
        add(f"| {r['folder']} | wa-lint | {secs(w['wall'])} | {secs(w['cpu'])} | {mb(w['maxrss_kib'])} | – | "
            f"{num(w['findings'])}"
            + (f" ({num(w['failed'])} failed, {num(w['unknown'])} unknown)" if w.get("failed") is not None else "")
            + f" | – | {num(w['parse_failures'])} | {others([x['wa'] for x in r['loads']])} |")
        pss = capped(c, "tree_pss_kib", mb) + f" ({c.get('procs')})"
        add(f"| | checkov | {capped(c, 'wall', secs)} | {capped(c, 'cpu', secs)} | {capped(c, 'maxrss_kib', mb)} | "
            f"{pss} | {num(c.get('failed'))} | {num(c.get('passed'))} | {num(c.get('parsing_errors'))} | "
            f"{others([x['checkov'] for x in r['loads']])} |")
    add("")
    add(f"| folder | wall ratio (checkov / wa-lint) | CPU ratio | memory (wa-lint / checkov peak RSS) | wa-lint / checkov tree PSS | ≥ {TARGET_CHECKOV:.0f}x faster and lower peak memory |")
    add("|---|---:|---:|---:|---:|---|")
    tot_w = tot_c = 0.0
    any_cap = False
    for r in ck:
        w, c = r["wa"], r["checkov"]
        low = bool(c.get("capped"))
        any_cap |= low
        tot_w, tot_c = tot_w + w["wall"], tot_c + c["wall"]
        speed = c["wall"] / w["wall"]
        mem = w["maxrss_kib"] / c["maxrss_kib"]
        mem_t = w["maxrss_kib"] / c["tree_pss_kib"] if c.get("tree_pss_kib") else None
        ok = speed >= TARGET_CHECKOV and mem < 1
        verdict = ("**met** (lower bound)" if low else "**met**") if ok else (
            "undetermined (capped run, lower bound below the target)" if low else "**not met**")
        add(f"| {r['folder']} | {ratio(speed, low)} | {ratio(c['cpu'] / w['cpu'], low)} | "
            f"{'≤ ' if low else ''}{mem:.2f} | {'–' if mem_t is None else ('≤ ' if low else '') + f'{mem_t:.2f}'} | "
            f"{verdict} |")
    total = tot_c / tot_w if tot_w else 0
    tot_ok = total >= TARGET_CHECKOV
    add(f"| all {len(ck)} folders (sum of walls) | {ratio(total, any_cap)} | | | | "
        + (("**met** (lower bound)" if any_cap else "**met**") if tot_ok else
           ("undetermined (lower bound below the target)" if any_cap else "**not met**")) + " (speed) |")
    add("")
    return L


def md_scaling(res: dict) -> list[str]:
    L = section_head(res, "Scaling", "scaling")
    add = L.append
    sc = res.get("scaling")
    if not sc:
        return L
    add(f"The whole corpus replicated k times under `target/bench/scale/<k>x/copy-<i>/` (hard links), "
        f"`wa-lint <dir> --format json --output <tmp> -j 1` and `-j 2` run alternately, median of "
        f"{res['scaling_repeat']} timed run(s) per cell; one untimed warm-up pair before the first size only "
        "(the copies are hard links to the same files, so the page cache stays warm). Cost per 1x = "
        "measure / k (flat = linear growth). CPU per 1x is the load-independent figure: other processes "
        "stretch wall time, not the CPU time a scan needs. `other cores` = cores kept busy by other "
        "processes during the runs (`/proc/stat`), `load` = 1-minute load average at the start of the runs.")
    add("")
    add("| copies | files | findings | -j 1 wall s | -j 1 CPU s | -j 1 wall / CPU per 1x | -j 2 wall s | -j 2 CPU s | -j 2 wall / CPU per 1x | peak RSS MB (-j 1 / -j 2) | speed-up -j 2 vs -j 1 | other cores / load (-j 1; -j 2) |")
    add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in sc:
        k, a, b = r["factor"], r["j1"], r["j2"]
        ld = r.get("loads") or {}

        def lo(j: str) -> str:
            xs = ld.get(j) or []
            return f"{others(xs)} / {statistics.mean(x['load1'] for x in xs):.2f}" if xs else "–"

        add(f"| {k}x | {num(r['files'])} | {num(r['findings'])} | {secs(a['wall'])} | {secs(a['cpu'])} | "
            f"{secs(a['wall'] / k)} / {secs(a['cpu'] / k)} | {secs(b['wall'])} | {secs(b['cpu'])} | "
            f"{secs(b['wall'] / k)} / {secs(b['cpu'] / k)} | {mb(a['maxrss_kib'])} / {mb(b['maxrss_kib'])} | "
            f"{r['speedup']:.2f}x | {lo('1')}; {lo('2')} |")
    add("")
    base1 = sc[0]
    for r in sc[1:]:
        f = r["factor"] / base1["factor"]

        def per(j: str, key: str) -> float:
            return (r[j][key] / f) / base1[j][key]

        add(f"- {r['factor']}x vs {base1['factor']}x, cost per 1x as a fraction of the {base1['factor']}x figure "
            f"(1.00 = exactly linear): CPU {per('j1', 'cpu'):.2f} (-j 1), {per('j2', 'cpu'):.2f} (-j 2); "
            f"wall {per('j1', 'wall'):.2f} (-j 1), {per('j2', 'wall'):.2f} (-j 2).")
    worst = min(r["speedup"] for r in sc)
    busy = [x["others"] for r in sc for j in ("1", "2") for x in (r.get("loads") or {}).get(j, [])]
    add(f"- Thread speed-up wall(-j 1) / wall(-j 2) (target ≥ {TARGET_THREADS}x on 2 *free* cores): "
        + ", ".join(f"{r['factor']}x {r['speedup']:.2f}x" for r in sc)
        + (f". Measured on a loaded machine: other processes kept {statistics.mean(busy):.2f} cores busy on "
           f"average (up to {max(busy):.2f}) during these runs, so the second thread did not have a free "
           "core: this is not the figure the target asks for. Work overhead of the second thread (CPU time, "
           "which load distorts far less than wall time): CPU(-j 2) / CPU(-j 1) = "
           + ", ".join(f"{r['factor']}x {r['j2']['cpu'] / r['j1']['cpu']:.2f}" for r in sc)
           + "; the speed-up two free cores could give at most (perfect balance, no serial part) is "
           "2 × CPU(-j 1) / CPU(-j 2) = "
           + ", ".join(f"{r['factor']}x {2 * r['j1']['cpu'] / r['j2']['cpu']:.2f}x" for r in sc)
           + " (an upper bound, not a measurement)"
           if busy and statistics.mean(busy) > 0.3 else
           f" — {'**met**' if worst >= TARGET_THREADS else '**not met**'} (lowest {worst:.2f}x)")
        + ".")
    for j in ("j1", "j2"):
        seq = " → ".join(f"{r['factor']}x {mb(r[j]['maxrss_kib'])}" for r in sc)
        top = sc[-1]
        add(f"- Peak RSS at -{j[0]} {j[1]}: {seq} MB; the {top['factor']}x scan peaks at "
            f"{top[j]['maxrss_kib'] / base1[j]['maxrss_kib']:.2f} times the {base1['factor']}x figure "
            f"for {top['factor'] // base1['factor']} times the input.")
    if not res.get("with_16x"):
        add("- 16x was **not run** (`--with-16x`).")
    add("")
    return L


def markdown(res: dict) -> str:
    m = res["machine"]
    L: list[str] = []
    add = L.append
    add("# Benchmarks against peers, and scaling")
    add("")
    last = (f"{res['end_date']} (end of the last command)" if res.get("end_date")
            else f"{m['date']} (start of the last command)")
    when = f"{res['first_date']} (first command) to {last}" if res.get("first_date") else last
    add(f"Generated by `{res['command']}` on {when} — do not edit by hand; re-run the script "
        "(method in its docstring). checkov, whole scans and parsers: [benchmarks.md](benchmarks.md).")
    add("")
    add("| | |")
    add("|---|---|")
    for k, v in (("CPUs (nproc)", m["nproc"]), ("CPU model", m["cpu"]), ("memory", m["memory"]),
                 ("OS", m["os"]), ("wa-lint commit", m["commit"] + (" + uncommitted changes under crates/ (the binary was built from "
                                                   "the working tree): " + res["dirty"] if res.get("dirty") else "")), ("wa-lint binary built", res.get("binary_built")),
                 ("checkov", res.get("checkov_version") or "not run"),
                 ("cfn-lint", res.get("cfn_lint_version") or "not run"),
                 ("cfn-guard", res["cfn_guard"].get("version") or "not run (below)"),
                 ("load average at start (1/5/15 min)", m["load"])):
        add(f"| {k} | {v} |")
    add("")
    add("Wall = elapsed seconds; CPU = user + sys seconds of the process and its children; peak RSS = "
        "`/usr/bin/time -f %M` (largest single process); MB = 10^6 bytes. Medians; the number of timed runs "
        "is given per table (after one untimed warm-up run or pair).")
    add("")

    L += md_checkov(res)
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
        earlier = [f"`{r['folder']}` ({r['measured']})" for r in pr if r.get("measured")]
        if earlier:
            add("Rows kept from an earlier run of the script (`--merge`; measured then, with that binary; the "
                "date is the start of that run's last command, the commit its HEAD then): "
                + ", ".join(earlier) + ".")
            add("")
        if res.get("peers_not_run"):
            add("Not run in this measurement: " + res["peers_not_run"])
            add("")

    L += guard.markdown(res)
    L += md_scaling(res)
    if res.get("notes"):
        add("## Notes")
        add("")
        for n in res["notes"]:
            add(f"- {n}")
        add("")
    return "\n".join(L)


def run_guard(args, corpus: Path, work: Path, res: dict, save) -> None:
    """Step 6 (module docstring): cfn-guard with the rules of ``--guard-rules`` against wa-lint,
    or the reason it is skipped in ``res["guard_skipped"]``."""
    if not args.guard_rules:
        res["guard_skipped"] = ("`--guard-rules` not given (it needs a checkout of the AWS Guard Rules Registry's "
                                "`rules/` folder, `aws-cloudformation/aws-guard-rules-registry`)")
        return
    rules = Path(args.guard_rules).resolve()
    files = guard.rule_files(rules) if rules.is_dir() else []
    if not files:
        res["guard_skipped"] = f"`--guard-rules {args.guard_rules}` holds no `.guard` file"
        return
    if not CFN_GUARD.exists():
        res["guard_skipped"] = f"cfn-guard is not installed at `{CFN_GUARD.relative_to(REPO)}` (`--cfn-guard` installs it)"
        return
    if res["cfn_guard"].get("attempted") is False:
        res["cfn_guard"] = {"attempted": True, "installed": True,
                            **(json.loads(ATTEMPT.read_text()) if ATTEMPT.exists() else {}),
                            "version": base.run_text([str(CFN_GUARD), "--version"])}
    source = rules.parent / "SOURCE.txt"
    res["guard_registry"] = {
        "files": len(files), "dir_label": "<rules>",
        "description": (source.read_text().splitlines()[0].strip() if source.exists() else
                        f"the `.guard` files of `{rules.name}/`"),
    }
    res["guard_skipped"] = "the run was stopped before it"
    save()
    res["guard_runs"] = []
    for folder in args.guard_folders:  # the report is rewritten after each folder
        res["guard_runs"] += guard.pairs(CFN_GUARD, WA_LINT, rules, corpus, [folder], max(1, args.guard_repeat),
                                         args.guard_timeout, work, res["notes"], measure_loaded)
        save()
    res.pop("guard_skipped")
    save()


BEGIN_MARK = "<!-- BEGIN bench/peers.py -->"
END_MARK = "<!-- END bench/peers.py -->"


def write_doc(path: Path, text: str) -> None:
    """Replaces the generated block of `path` (between the `bench/peers.py` markers); the
    hand-written text after it (verdicts) is kept. A file without the markers is replaced."""
    base.write_report(path, text, BEGIN_MARK, END_MARK)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=3, help="timed runs (median); default 3")
    ap.add_argument("--folders", nargs="+", default=list(CFN_FOLDERS),
                    help="CloudFormation folders for cfn-lint, in order; `name:N` = N timed runs for that folder")
    ap.add_argument("--skip-cfn-lint", action="store_true")
    ap.add_argument("--cfn-guard", action="store_true", help="try cargo install cfn-guard (bounded by --cfn-guard-timeout)")
    ap.add_argument("--cfn-guard-timeout", type=int, default=480)
    ap.add_argument("--guard-rules", default=None,
                    help="folder of .guard files (a checkout of the AWS Guard Rules Registry's rules/): measure cfn-guard "
                         "with them against wa-lint (step 6)")
    ap.add_argument("--guard-folders", nargs="+", default=list(CFN_FOLDERS),
                    help="CloudFormation folders for cfn-guard, in order (default: the three of step 2)")
    ap.add_argument("--guard-timeout", type=float, default=900.0,
                    help="wall-clock cap of one cfn-guard run, seconds (default 900); a capped run is a lower bound")
    ap.add_argument("--guard-repeat", type=int, default=1, help="timed wa-lint/cfn-guard pairs per folder (default 1)")
    ap.add_argument("--checkov-tf", action="store_true",
                    help="measure checkov against wa-lint on the tfam-* folders (step 5; minutes per folder)")
    ap.add_argument("--checkov-timeout", type=float, default=900.0,
                    help="wall-clock cap of one checkov run, seconds (default 900); a capped run is a lower bound")
    ap.add_argument("--checkov-repeat", type=int, default=1, help="timed wa-lint/checkov pairs per folder (default 1)")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--scaling-repeat", type=int, default=None, help="timed scaling runs (default --repeat)")
    ap.add_argument("--with-16x", action="store_true", help="also replicate the corpus 16x (slow)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--output", default=str(REPO / "docs" / "benchmarks-peers.md"))
    ap.add_argument("--results", default=str(REPO / "target" / "bench" / "peers.json"))
    ap.add_argument("--merge", default=None,
                    help="results JSON of an earlier run: its cfn-lint rows for folders not measured now, its checkov (tfam-*) and "
                         "scaling tables (when not measured now) and its notes are kept in the report")
    ap.add_argument("--render-only", action="store_true", help="rewrite the markdown from --results")
    args = ap.parse_args()

    if args.render_only:
        res = json.loads(Path(args.results).read_text())
        write_doc(Path(args.output), markdown(res))
        return 0
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        log(f"corpus not found: {corpus}")
        return 1
    repeat = max(1, args.repeat)
    res: dict = {"machine": base.machine(), "repeat": repeat, "notes": [],
                 "command": "python3 bench/peers.py " + " ".join(sys.argv[1:]),
                 "with_16x": args.with_16x, "cfn_guard": {"attempted": False},
                 "dirty": built_dirty()}
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
                res["end_date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                if prior:
                    now = {r["folder"] for r in res.get("peers") or []}
                    keep = [r for r in prior.get("peers") or [] if r["folder"] not in now]
                    out = dict(res, peers=keep + (res.get("peers") or []),
                               command=prior["command"] + "`, then `" + res["command"],
                               first_date=prior.get("first_date") or prior["machine"]["date"],
                               notes=[n for n in prior.get("notes", []) if not any(f"`{f}`" in n for f in now)]
                               + res["notes"])
                    out["cfn_lint_version"] = res.get("cfn_lint_version") or prior.get("cfn_lint_version")
                    for r in keep:  # rows of the earlier run: say which binary measured them
                        r.setdefault("measured", f"{prior['machine']['date']}, wa-lint {prior['machine']['commit']}")
                    then = f"{prior['machine']['date']}, wa-lint {prior['machine']['commit']}"
                    kept = {}
                    if not res.get("checkov_tf") and prior.get("checkov_tf"):
                        out.update(checkov_tf=prior["checkov_tf"], checkov_version=prior.get("checkov_version"))
                        out.pop("checkov_tf_skipped", None)
                        kept["checkov_tf"] = (prior.get("kept") or {}).get("checkov_tf", then)
                    if not res.get("guard_runs") and prior.get("guard_runs"):
                        out.update(guard_runs=prior["guard_runs"], guard_registry=prior.get("guard_registry"))
                        out.pop("guard_skipped", None)
                        kept["guard_runs"] = (prior.get("kept") or {}).get("guard_runs", then)
                    if not res.get("scaling") and prior.get("scaling"):
                        out.update(scaling=prior["scaling"], scaling_repeat=prior["scaling_repeat"])
                        out.pop("scaling_skipped", None)
                        kept["scaling"] = (prior.get("kept") or {}).get("scaling", then)
                    out["kept"] = kept
                    done = {r["folder"] for r in out["peers"]}
                    left = [f"`{f}`" for f in CFN_FOLDERS if f not in done]
                    out["peers_not_run"] = ", ".join(left) + "." if left else None
                else:
                    out = res
                Path(args.results).parent.mkdir(parents=True, exist_ok=True)
                Path(args.results).write_text(json.dumps(out, indent=2) + "\n")
                write_doc(Path(args.output), markdown(out))

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
            if not args.checkov_tf:
                res["checkov_tf_skipped"] = "`--checkov-tf` not given"
            else:
                res["checkov_version"] = base.ensure_checkov()
                res["checkov_tf_skipped"] = "the run was stopped before it"
                save()
                res["checkov_tf"] = []
                for folder in tf_folders(corpus):  # the report is rewritten after each folder
                    res["checkov_tf"] += checkov_tf(corpus, [folder], max(1, args.checkov_repeat),
                                                    args.checkov_timeout, work, res["notes"])
                    save()
                res.pop("checkov_tf_skipped")
                save()
            run_guard(args, corpus, work, res, save)
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
