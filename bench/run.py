#!/usr/bin/env python3
"""wa-lint benchmark: whole scans, parsers alone, and checkov as the baseline.

Usage (from the repository root; Python 3.11, standard library only)::

    python3 bench/run.py [--corpus ../shared/corpus] [--repeat 3] [--skip-checkov]
                         [--checkov-repeat N] [--no-build] [--no-warmup]
                         [--output docs/benchmarks.md] [--results target/bench/results.json]

What it does, in order:

1. Builds the release binary and the parse-only example::

       cargo build --release -p wa_lint
       cargo build --release -p wa_lint_linter --example parse_corpus

   (``--no-build`` skips this and uses what is in ``target/release``.)
2. **Whole scans.** Runs ``target/release/wa-lint <dir> --format json --output <tmp>`` over the
   corpus and over each corpus subfolder (plus the corpus once more with ``-j 1``). Each scan is
   run once untimed (warm-up: page cache) and then ``--repeat`` times; the table shows the
   median of each measure. Files, units, resources and findings come from the ``summary``
   object of the JSON report (docs/json-format.md); bytes from ``summary.bytes`` when the
   report has it, otherwise the script adds up the sizes of the files wa-lint reads (same
   extensions, hidden paths skipped).
3. **Parsers alone.** Runs ``target/release/examples/parse_corpus <dir> --front-end <fe>`` for
   CloudFormation and Terraform over the corpus, and for both over each subfolder. The example
   reads the files first, then times sniff + parse (CloudFormation) / ``parse_module``
   (Terraform) on one thread and prints the parser's own seconds; the script also records the
   example process's wall time and peak RSS.
4. **Baseline.** Runs checkov like a user would, on ``terragoat`` and ``aws-cfn-templates``::

       checkov -d <dir> --quiet --compact -o json --framework cloudformation terraform --skip-download

   with ``BC_SKIP_MAPPING=TRUE`` and ``CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE`` so that it makes no
   network calls (there is no network here; a failing call would only add time to checkov).
   checkov is installed once with pip into ``target/bench-venv`` and reused. On
   ``aws-cfn-templates`` it also gets ``--skip-path`` for the Rain-module templates it crashes
   on (see ``CHECKOV_SKIP``); a checkov failure is reported as a note, not a crash. Warm-up, repeats
   and medians as for wa-lint, in the same run, so the ratios compare like with like.
   ``--skip-checkov`` leaves this step out.
5. Writes its block of ``docs/benchmarks.md`` (machine, commands, tables, targets met / not met):
   the text between the lines ``<!-- BEGIN bench/run.py -->`` and ``<!-- END bench/run.py -->``,
   so that the hand-written sections after it (and the ones ``bench/cache.py`` writes) are kept;
   a file without the markers is replaced whole. The raw numbers go to ``target/bench/results.json``.
   checkov on the ``tfam-*`` Terraform folders, cfn-lint, cfn-guard and scaling: ``bench/peers.py``.

How things are measured:

- wall time: ``time.perf_counter()`` from spawn to reap (seconds);
- CPU time: ``ru_utime + ru_stime`` from ``os.wait4`` on the ``/usr/bin/time`` child, which
  includes every descendant waited for (the command and checkov's worker processes);
- peak RSS: GNU time's ``%M`` (``/usr/bin/time -f %M -o <tmp> <cmd>``; every command runs under
  it): ``ru_maxrss`` of the command, i.e. the largest resident set of the command *or of any
  one* of its waited-for descendants (a max, not a sum). (``ru_maxrss`` from ``os.wait4`` on a
  direct child of this script would be wrong: the kernel keeps the forked Python process's
  high-water mark across ``exec``.) For checkov, which forks workers, the script also samples
  the whole process tree every 50 ms from ``/proc`` and reports the peak of the summed PSS
  (proportional set size: shared pages split between the processes that share them) and the
  most processes seen at once. The memory target is judged on ``%M`` for both tools (same
  method); the tree figure is shown next to it.
- wall time includes spawning ``/usr/bin/time`` and the command (the script measures that
  overhead with ``true`` and prints it; it is not subtracted, which only penalises wa-lint's
  short runs).
- MB means 10^6 bytes; ``ru_maxrss`` is in KiB and converted.

Exit code: 0 when the benchmark ran (targets missed are reported, not failed), 1 when a step
could not run (build failure, wa-lint crash, missing corpus).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / "target" / "bench-venv"
WA_LINT = REPO / "target" / "release" / "wa-lint"
PARSE_CORPUS = REPO / "target" / "release" / "examples" / "parse_corpus"
CHECKOV_FOLDERS = ("terragoat", "aws-cfn-templates")
# Peak RSS comes from GNU time's %M. Taking ru_maxrss from os.wait4 on a child of this script
# is wrong: the kernel carries the pre-exec high-water mark of the forked Python process
# (~20 MB) into the child, so every small run would show this script's size.
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"}
# Templates whose resource `Type` is a mapping (Rain modules: `Type: {Rain::Module: ...}`).
# checkov 3.3 aborts the whole CloudFormation run on them ("TypeError: unhashable type:
# 'dict'", exit code 2, no report), so they are left out of its runs with --skip-path
# (regexes). wa-lint still scans the whole folder, which only makes the ratios conservative.
CHECKOV_SKIP = {
    "aws-cfn-templates": [
        r"Solutions/GitLabAndVSCode/GitLabAndVSCode\.(json|yaml)$",
        r"Solutions/Gitea/Gitea\.(json|yaml)$",
        r"Solutions/VSCode/VSCodeServer\.(json|yaml)$",
        r"Solutions/GitLab/GitLabServer\.(json|yaml)$",
        r"CloudFormation/StackSets/common-resources\.(json|yaml)$",
        r"RainModules/bucket\.yml$",
        r"RainModules/static-site\.yml$",
    ],
}
# File name endings wa-lint reads (crates/wa_lint_linter/src/discover.rs).
CANDIDATE_ENDINGS = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".yaml", ".yml", ".json", ".template", ".cfn")

# Targets from the issue.
TARGET_SPEEDUP = 20.0
TARGET_MEMORY_RATIO = 0.5
TARGET_CORPUS_MB = 200.0


# --------------------------------------------------------------------------------------------
# Measuring one process


@dataclass
class Sample:
    """One measured run of a command."""

    wall: float  # seconds
    cpu: float  # seconds, user + sys of the child and its waited-for descendants
    maxrss_kib: int  # ru_maxrss: largest single process of the tree, KiB
    rc: int
    tree_pss_kib: int | None = None  # sampled peak of the summed PSS of the tree, KiB
    tree_rss_kib: int | None = None  # sampled peak of the summed RSS of the tree, KiB
    procs: int | None = None  # most processes of the tree seen at once
    capped: bool = False  # stopped at the wall-clock cap (`timeout` of `measure`): figures are lower bounds


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def _mem_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; (0, 0) when it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the summed RSS/PSS of a process and all its descendants every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.05, skip_root: bool = False) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.skip_root = pid, interval, skip_root
        self.stop = threading.Event()
        self.peak_rss = self.peak_pss = self.peak_procs = 0

    def run(self) -> None:
        while not self.stop.is_set():
            tree, todo = [], _children(self.pid) if self.skip_root else [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(_children(pid))
            rss = pss = 0
            for pid in tree:
                r, p = _mem_kib(pid)
                rss, pss = rss + r, pss + p
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(tree))
            self.stop.wait(self.interval)


def _descendants(pid: int) -> list[int]:
    """Every descendant of `pid` (not `pid` itself), parents before children."""
    found, todo = [], _children(pid)
    while todo:
        p = todo.pop(0)
        found.append(p)
        todo.extend(_children(p))
    return found


def _kill_below(pid: int, done: threading.Event) -> None:
    """SIGKILLs the descendants of `pid` until none is left or `done` is set.

    ``/usr/bin/time`` (`pid`) is spared so that it still writes ``%M`` and exits; the loop
    catches workers forked while the first ones were being killed."""
    for _ in range(100):
        below = _descendants(pid)
        if not below or done.is_set():
            return
        for p in below:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        done.wait(0.1)


def measure(cmd: list[str], stdout: Path | None, stderr: Path, env: dict[str, str] | None = None,
            tree: bool = False, timeout: float | None = None) -> Sample:
    """Runs `cmd` under ``/usr/bin/time`` and measures it (module docstring).

    With `timeout` (seconds of wall time) the command and all its descendants are killed
    (SIGKILL) when it has not finished by then, and the sample is marked ``capped``: its wall
    time is the cap, its CPU time and peak memory are what was used up to the cap (lower
    bounds; CPU of workers the command had not reaped yet is lost)."""
    full_env = dict(os.environ, **(env or {}))
    fd, time_out = tempfile.mkstemp(prefix="wa-lint-bench-time-")
    os.close(fd)
    wrapped = [TIME, "-f", "%M", "-o", time_out, *cmd] if TIME else cmd
    try:
        with open(stdout or os.devnull, "wb") as out, open(stderr, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(wrapped, stdout=out, stderr=err, env=full_env, cwd=REPO)
            sampler = TreeSampler(proc.pid, skip_root=bool(TIME)) if tree else None
            if sampler:
                sampler.start()
            reaped, fired = threading.Event(), threading.Event()

            def cap() -> None:
                fired.set()
                if TIME:
                    _kill_below(proc.pid, reaped)
                else:
                    proc.kill()

            timer = threading.Timer(timeout, cap) if timeout else None
            if timer:
                timer.start()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            reaped.set()
            if timer:
                timer.cancel()
                timer.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
            if sampler:
                sampler.stop.set()
                sampler.join()
        maxrss = usage.ru_maxrss
        if TIME:
            lines = Path(time_out).read_text().split()
            maxrss = int(lines[-1]) if lines and lines[-1].isdigit() else maxrss
    finally:
        os.unlink(time_out)
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_kib=maxrss,
        rc=proc.returncode,
        tree_pss_kib=sampler.peak_pss if sampler else None,
        tree_rss_kib=sampler.peak_rss if sampler else None,
        procs=sampler.peak_procs if sampler else None,
        capped=fired.is_set(),
    )


@dataclass
class Median:
    """Medians of repeated samples."""

    wall: float
    cpu: float
    maxrss_kib: float
    tree_pss_kib: float | None
    tree_rss_kib: float | None
    procs: int | None
    runs: int
    walls: list[float]
    capped: int = 0  # samples stopped at the wall-clock cap

    @staticmethod
    def of(samples: list[Sample]) -> Median:
        def med(values: list[float | None]) -> float | None:
            known = [v for v in values if v is not None]
            return statistics.median(known) if known else None

        procs = [s.procs for s in samples if s.procs is not None]
        return Median(
            wall=statistics.median(s.wall for s in samples),
            cpu=statistics.median(s.cpu for s in samples),
            maxrss_kib=statistics.median(s.maxrss_kib for s in samples),
            tree_pss_kib=med([s.tree_pss_kib for s in samples]),
            tree_rss_kib=med([s.tree_rss_kib for s in samples]),
            procs=max(procs) if procs else None,
            runs=len(samples),
            walls=[round(s.wall, 4) for s in samples],
            capped=sum(s.capped for s in samples),
        )


# --------------------------------------------------------------------------------------------
# Helpers


class BenchError(Exception):
    """A step that could not run."""


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run_text(cmd: list[str], **kw) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO, **kw).stdout.strip()
    except OSError:
        return ""


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def candidate_bytes(root: Path) -> int:
    """Bytes of the files wa-lint would read under `root` (hidden paths skipped)."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(CANDIDATE_ENDINGS):
                total += os.path.getsize(os.path.join(dirpath, name))
    return total


def binary_time() -> str:
    """Modification time of the release binary (UTC), i.e. when it was built."""
    try:
        stamp = WA_LINT.stat().st_mtime
    except OSError:
        return "missing"
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    commit = run_text(["git", "rev-parse", "--short=12", "HEAD"])
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": run_text(["nproc"]) or str(os.cpu_count()),
        "cpu": model,
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "rustc": run_text(["rustc", "--version"]),
        "python": platform.python_version(),
        "commit": commit,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------------------------
# Steps


def build() -> None:
    for cmd in (["cargo", "build", "--release", "-p", "wa_lint"],
                ["cargo", "build", "--release", "-p", "wa_lint_linter", "--example", "parse_corpus"]):
        log(" ".join(cmd))
        if subprocess.run(cmd, cwd=REPO, check=False).returncode != 0:
            raise BenchError(f"build failed: {' '.join(cmd)}")


def repeated(label: str, cmd: list[str], repeat: int, warmup: bool, work: Path, env=None,
             tree: bool = False, ok_codes=(0, 1, 2)) -> tuple[Median, Path]:
    """Runs `cmd` (warm-up + `repeat` times); returns the medians and the last stdout path."""
    out, err = work / "stdout", work / "stderr"
    samples = []
    for i in range(repeat + (1 if warmup else 0)):
        s = measure(cmd, out, err, env=env, tree=tree)
        if s.rc not in ok_codes:
            raise BenchError(f"{label}: exit code {s.rc} from {' '.join(cmd)}\n{tail(err)}")
        if warmup and i == 0:
            continue
        samples.append(s)
    m = Median.of(samples)
    log(f"{label}: wall {m.wall:.3f}s cpu {m.cpu:.3f}s maxrss {m.maxrss_kib / 1024:.1f} MiB")
    return m, out


def scan(corpus: Path, folders: list[str], repeat: int, warmup: bool, work: Path) -> list[dict]:
    rows = []
    targets = [("corpus", corpus, [])] + [(f, corpus / f, []) for f in folders]
    targets.append(("corpus (-j 1)", corpus, ["-j", "1"]))
    for label, path, extra in targets:
        report = work / "report.json"
        cmd = [str(WA_LINT), str(path), "--format", "json", "--output", str(report), *extra]
        m, _ = repeated(f"wa-lint {label}", cmd, repeat, warmup, work)
        try:
            summary = json.loads(report.read_text())["summary"]
        except (OSError, ValueError, KeyError) as e:
            raise BenchError(f"wa-lint {label}: cannot read the JSON summary: {e}") from e
        rows.append({
            "label": label,
            "path": str(path),
            "command": " ".join(["wa-lint", str(path), "--format", "json", "--output", "<tmp>", *extra]),
            "files": summary.get("files"),
            "bytes": summary["bytes"] if "bytes" in summary else candidate_bytes(path),
            "bytes_from_summary": "bytes" in summary,
            "units": summary.get("units"),
            "resources": summary.get("resources"),
            "findings": summary.get("findings"),
            "failed": summary.get("failed"),
            "unknown": summary.get("unknown"),
            "errors": summary.get("errors"),
            "warnings": summary.get("warnings"),
            "skipped": summary.get("skipped"),
            **asdict(m),
        })
    return rows


def parsers(corpus: Path, folders: list[str], repeat: int, warmup: bool, work: Path) -> dict:
    """Parser-alone figures: per front end over the corpus, and both per folder."""
    def one(path: Path, front_end: str, label: str) -> list[dict]:
        cmd = [str(PARSE_CORPUS), str(path), "--front-end", front_end]
        out, err = work / "stdout", work / "stderr"
        samples, lines = [], []
        for i in range(repeat + (1 if warmup else 0)):
            s = measure(cmd, out, err)
            if s.rc != 0:
                raise BenchError(f"parse_corpus {label}: exit code {s.rc}\n{tail(err)}")
            if warmup and i == 0:
                continue
            samples.append(s)
            lines.append([json.loads(l) for l in out.read_text().splitlines() if l.startswith("{")])
        m = Median.of(samples)
        result = []
        for k, first in enumerate(lines[0]):
            secs = statistics.median(run[k]["seconds"] for run in lines)
            result.append({**first, "seconds": secs, "process": asdict(m)})
        log(f"parse_corpus {label} {front_end}: " + ", ".join(f"{r['front_end']} {r['seconds']:.3f}s" for r in result))
        return result

    whole = [one(corpus, fe, "corpus")[0] for fe in ("cloudformation", "terraform")]
    per_folder = {f: one(corpus / f, "all", f) for f in folders}
    return {"corpus": whole, "folders": per_folder}


def ensure_checkov() -> str:
    exe = VENV / "bin" / "checkov"
    if not exe.exists():
        log(f"installing checkov into {VENV} (once)")
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False).returncode != 0:
            raise BenchError("cannot create the checkov virtual environment")
        pip = [str(VENV / "bin" / "pip"), "install", "--quiet", "checkov"]
        if subprocess.run(pip, check=False).returncode != 0:
            raise BenchError("pip install checkov failed")
    return run_text([str(exe), "--version"], env=dict(os.environ, **CHECKOV_ENV))


def checkov_totals(out: Path) -> dict[str, int]:
    """Passed / failed checks, parsing errors and resources summed over checkov's JSON report(s).

    # Errors
    ValueError when `out` is not JSON."""
    data = json.loads(out.read_text() or "[]")
    reports = data if isinstance(data, list) else [data]
    totals = {"passed": 0, "failed": 0, "parsing_errors": 0, "resource_count": 0}
    for r in reports:
        for k in totals:
            totals[k] += int((r.get("summary") or {}).get(k) or 0)
    return totals


def checkov(corpus: Path, repeat: int, warmup: bool, work: Path, notes: list[str]) -> list[dict]:
    exe = VENV / "bin" / "checkov"
    rows = []
    for folder in CHECKOV_FOLDERS:
        path = corpus / folder
        args = ["-d", str(path), "--quiet", "--compact", "-o", "json",
                "--framework", "cloudformation", "terraform", "--skip-download"]
        for pattern in CHECKOV_SKIP.get(folder, []):
            args += ["--skip-path", pattern]
        try:
            m, out = repeated(f"checkov {folder}", [str(exe), *args], repeat, warmup, work,
                              env=CHECKOV_ENV, tree=True, ok_codes=(0, 1))
        except BenchError as e:
            log(str(e))
            notes.append(f"checkov failed on `{folder}`, no comparison for it: "
                         f"`{str(e).splitlines()[0][:200]}` … `{str(e).splitlines()[-1][:200]}`")
            continue
        try:
            totals = checkov_totals(out)
        except ValueError as e:
            raise BenchError(f"checkov {folder}: output is not JSON: {e}") from e
        rows.append({"folder": folder, "skip_paths": CHECKOV_SKIP.get(folder, []),
                     "command": "checkov " + " ".join(args).replace(str(corpus) + "/", "<corpus>/"),
                     **totals, **asdict(m)})
    return rows


# --------------------------------------------------------------------------------------------
# Report


def mb(kib: float | None) -> str:
    return "–" if kib is None else f"{kib * 1024 / 1e6:.1f}"


def secs(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s:.3f}" if s < 10 else f"{s:.1f}"


def num(n) -> str:
    return "–" if n is None else f"{n:,}"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def markdown(res: dict) -> str:
    m, n = res["machine"], res["repeat"]
    L: list[str] = []
    add = L.append
    add("# Benchmarks")
    add("")
    add("Generated by `python3 bench/run.py` (up to the marker `END bench/run.py`) — do not edit this part "
        "by hand; re-run the script. Method and measures are described in the script's docstring. "
        "checkov on the `tfam-*` folders, cfn-lint, cfn-guard and scaling: [benchmarks-peers.md](benchmarks-peers.md) "
        "(`bench/peers.py`).")
    add("")
    add("## Machine")
    add("")
    add("| | |")
    add("|---|---|")
    for k, v in (("date", m["date"]), ("CPUs (nproc)", m["nproc"]), ("CPU model (/proc/cpuinfo)", m["cpu"]),
                 ("memory", m["memory"]), ("OS", m["os"]), ("rustc", m["rustc"]), ("python", m["python"]),
                 ("wa-lint commit", m["commit"] + (" + uncommitted changes under crates/ or rules/ (the binary was built from the working tree)" if res.get("dirty") else "")),
                 ("wa-lint binary built", res.get("binary_built", "?")),
                 ("checkov", res.get("checkov_version") or "not run"),
                 ("load average at start (1/5/15 min)", m["load"])):
        add(f"| {k} | {v} |")
    add("")
    add((f"Each figure is the **median of {n} runs** after one untimed warm-up run"
         if res["warmup"] else f"Each figure is the **median of {n} runs** (no warm-up run)")
        + "; wall = elapsed seconds, CPU = user + sys seconds (including child processes), peak RSS = "
        "`/usr/bin/time -f %M` (`ru_maxrss`: largest single process), MB = 10^6 bytes. "
        f"Wall times include about {res.get('spawn_overhead', 0) * 1000:.0f} ms of process spawn overhead "
        "(`/usr/bin/time true`, not subtracted). "
        "The machine is shared with other builds, so expect some noise; ratios come from the same run.")
    add("")

    add("## Targets")
    add("")
    add("| target | measured | verdict |")
    add("|---|---|---|")
    for t in res["targets"]:
        add(f"| {t['target']} | {t['measured']} | {verdict(t['ok'])} |")
    add("")

    add("## wa-lint whole scans")
    add("")
    add("Command: `target/release/wa-lint <dir> --format json --output <tmp>` (release build, all cores "
        "unless `-j 1`). Counts from the report's `summary`"
        + ("" if res.get("summary_has_bytes") else "; bytes = size of the files wa-lint reads (YAML/JSON/template/.tf/.tfvars, hidden paths skipped)")
        + ".")
    add("")
    add("| scan | files | bytes | units | resources | findings | wall s | CPU s | peak RSS MB |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in res["scans"]:
        add(f"| {r['label']} | {num(r['files'])} | {num(r['bytes'])} | {num(r['units'])} | {num(r['resources'])} | "
            f"{num(r['findings'])} | {secs(r['wall'])} | {secs(r['cpu'])} | {mb(r['maxrss_kib'])} |")
    add("")

    p = res.get("parsers")
    if p:
        add("## Parsers alone")
        add("")
        add("Command: `target/release/examples/parse_corpus <dir> --front-end <fe>` "
            "(crates/wa_lint_linter/examples/parse_corpus.rs). Files are read first (not timed); "
            "`parse s` is the single-threaded time of `SourceFile::new` + `sniff` + `parse_template` "
            "(CloudFormation; files = candidates that sniff as templates) or `SourceFile::new` + "
            "`parse_module` per directory (Terraform). Process wall/RSS include reading every file.")
        add("")
        add("| front end | files | bytes | units | resources | diagnostics | parse s | MB/s | process wall s | process peak RSS MB |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in p["corpus"]:
            rate = r["bytes"] / 1e6 / r["seconds"] if r["seconds"] else 0
            add(f"| {r['front_end']} | {num(r['files'])} | {num(r['bytes'])} | {num(r['units'])} | {num(r['resources'])} | "
                f"{num(r['diagnostics'])} | {secs(r['seconds'])} | {rate:.1f} | {secs(r['process']['wall'])} | "
                f"{mb(r['process']['maxrss_kib'])} |")
        add("")
        add("### Where the time goes, per folder")
        add("")
        add("`parse s` = CloudFormation + Terraform parse time on one thread (from `parse_corpus <folder>`); "
            "`rest CPU s` = wa-lint CPU time minus parse time: discovery, reading, rule evaluation "
            "(regorus), locating findings and writing the report, plus process start-up.")
        add("")
        add("| folder | wa-lint wall s | wa-lint CPU s | parse s (1 thread) | parse share of CPU | rest CPU s | wa-lint peak RSS MB | parse_corpus peak RSS MB |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|")
        scans = {r["label"]: r for r in res["scans"]}
        rows = [("corpus", p["corpus"])] + list(p["folders"].items())
        for folder, fes in rows:
            s = scans.get(folder)
            if not s:
                continue
            parse = sum(fe["seconds"] for fe in fes)
            share = parse / s["cpu"] * 100 if s["cpu"] else 0
            add(f"| {folder} | {secs(s['wall'])} | {secs(s['cpu'])} | {secs(parse)} | {share:.0f}% | "
                f"{secs(max(s['cpu'] - parse, 0))} | {mb(s['maxrss_kib'])} | {mb(max(fe['process']['maxrss_kib'] for fe in fes))} |")
        add("")

    ck = res.get("checkov")
    add("## checkov baseline")
    add("")
    if not ck:
        add("Not run (`--skip-checkov`).")
        add("")
    else:
        add(f"checkov {res.get('checkov_version')} from PyPI in `target/bench-venv`, run as "
            f"`checkov -d <dir> --quiet --compact -o json --framework cloudformation terraform --skip-download` with "
            f"`BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE` (no network calls). checkov forks worker "
            "processes: `peak RSS` is `/usr/bin/time -f %M` (largest single process, same method as for wa-lint); "
            "`tree PSS` is the peak of the summed proportional set size of the whole process tree, "
            "sampled every 50 ms (shared pages counted once), with the most processes seen at once.")
        add("")
        for r in ck:
            if r.get("skip_paths"):
                add(f"On `{r['folder']}` checkov is given `--skip-path` for {len(r['skip_paths'])} patterns "
                    "(templates whose resource `Type` is a mapping, i.e. Rain modules): checkov "
                    f"{res.get('checkov_version')} aborts the whole CloudFormation run on them with "
                    "`TypeError: unhashable type: 'dict'` (exit code 2, no report). wa-lint scans the whole "
                    "folder, so its side of the ratio does more work. Patterns: "
                    + ", ".join(f"`{p}`" for p in r["skip_paths"]) + ".")
                add("")
        add("| folder | checks passed | checks failed | resources | wall s | CPU s | peak RSS MB | tree PSS MB (procs) |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in ck:
            add(f"| {r['folder']} | {num(r['passed'])} | {num(r['failed'])} | {num(r['resource_count'])} | "
                f"{secs(r['wall'])} | {secs(r['cpu'])} | {mb(r['maxrss_kib'])} | {mb(r['tree_pss_kib'])} ({r['procs']}) |")
        add("")
        add("### wa-lint vs checkov (same run)")
        add("")
        add("Speed-up = checkov wall / wa-lint wall; memory ratio = wa-lint peak RSS / checkov peak RSS "
            "(and / checkov tree PSS). Findings are not comparable one to one: checkov runs its ~1,000 "
            "checks, wa-lint its Security Pillar rules.")
        add("")
        add("| folder | wa-lint wall s | checkov wall s | speed-up (wall) | CPU ratio | wa-lint peak RSS MB | checkov peak RSS MB | memory ratio | vs tree PSS | wa-lint findings | checkov failed checks |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in res["comparison"]:
            add(f"| {c['folder']} | {secs(c['wa_wall'])} | {secs(c['ck_wall'])} | {c['speedup']:.1f}x | "
                f"{c['cpu_ratio']:.1f}x | {mb(c['wa_rss'])} | {mb(c['ck_rss'])} | {c['mem_ratio']:.2f} | "
                f"{c['mem_ratio_tree']:.2f} | {num(c['wa_findings'])} | {num(c['ck_failed'])} |")
        add("")
    if res.get("notes"):
        add("## Notes")
        add("")
        for note in res["notes"]:
            add(f"- {note}")
        add("")
    return "\n".join(L)


def targets_and_comparison(res: dict) -> None:
    scans = {r["label"]: r for r in res["scans"]}
    targets, comparison = [], []
    for c in res.get("checkov") or []:
        w = scans.get(c["folder"])
        if not w:
            continue
        row = {
            "folder": c["folder"],
            "wa_wall": w["wall"], "ck_wall": c["wall"], "speedup": c["wall"] / w["wall"],
            "cpu_ratio": c["cpu"] / w["cpu"] if w["cpu"] else 0.0,
            "wa_rss": w["maxrss_kib"], "ck_rss": c["maxrss_kib"], "mem_ratio": w["maxrss_kib"] / c["maxrss_kib"],
            "mem_ratio_tree": w["maxrss_kib"] / c["tree_pss_kib"] if c.get("tree_pss_kib") else 0.0,
            "wa_findings": w["findings"], "ck_failed": c["failed"],
        }
        comparison.append(row)
        targets.append({"target": f"wa-lint ≥ {TARGET_SPEEDUP:.0f}x faster than checkov (wall), {c['folder']}",
                        "measured": f"{row['speedup']:.1f}x ({secs(w['wall'])} s vs {secs(c['wall'])} s)",
                        "ok": row["speedup"] >= TARGET_SPEEDUP})
    for row in comparison:
        targets.append({"target": f"wa-lint peak memory < half of checkov's, {row['folder']}",
                        "measured": f"{row['mem_ratio']:.2f} of checkov ({mb(row['wa_rss'])} MB vs {mb(row['ck_rss'])} MB)",
                        "ok": row["mem_ratio"] < TARGET_MEMORY_RATIO})
    if not comparison:
        targets.append({"target": "checkov comparison", "measured": "not run (`--skip-checkov`)", "ok": False})
    whole = scans.get("corpus")
    if whole:
        peak_mb = whole["maxrss_kib"] * 1024 / 1e6
        targets.append({"target": f"whole shared corpus under {TARGET_CORPUS_MB:.0f} MB peak",
                        "measured": f"{peak_mb:.1f} MB ({num(whole['files'])} files, {secs(whole['wall'])} s)",
                        "ok": peak_mb < TARGET_CORPUS_MB})
    res["targets"], res["comparison"] = targets, comparison


BEGIN_MARK = "<!-- BEGIN bench/run.py -->"
END_MARK = "<!-- END bench/run.py -->"


def write_report(path: Path, text: str, begin: str = BEGIN_MARK, end_mark: str = END_MARK) -> None:
    """Replaces the block of `path` between `begin` and `end_mark` (module docstring, step 5),
    or writes the whole file when it has no such block."""
    block = f"{begin}\n{text.rstrip()}\n{end_mark}\n"
    try:
        old = path.read_text()
    except OSError:
        old = ""
    start, end = old.find(begin), old.find(end_mark)
    if start >= 0 and end > start:
        new = old[:start] + block + old[end + len(end_mark):].removeprefix("\n")
    else:
        new = block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"), help="corpus directory (default ../shared/corpus)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (median); default 3")
    ap.add_argument("--checkov-repeat", type=int, default=None, help="timed checkov runs (default: --repeat)")
    ap.add_argument("--skip-checkov", action="store_true", help="do not run the checkov baseline")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in target/release")
    ap.add_argument("--no-warmup", action="store_true", help="no untimed warm-up run before each measurement")
    ap.add_argument("--output", default=str(REPO / "docs" / "benchmarks.md"), help="markdown report path")
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite the markdown from the --results JSON of an earlier run (no measuring)")
    ap.add_argument("--results", default=str(REPO / "target" / "bench" / "results.json"), help="raw results (JSON)")
    args = ap.parse_args()

    if args.render_only:
        res = json.loads(Path(args.results).read_text())
        res.setdefault("binary_built", binary_time())
        targets_and_comparison(res)
        write_report(Path(args.output), markdown(res))
        log(f"wrote {args.output} from {args.results}")
        return 0
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        log(f"corpus not found: {corpus}")
        return 1
    repeat = max(1, args.repeat)
    warmup = not args.no_warmup
    folders = sorted(p.name for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    res: dict = {"machine": machine(), "repeat": repeat, "warmup": warmup, "corpus": str(corpus),
                 "dirty": bool(run_text(["git", "status", "--porcelain", "--", "crates", "rules", "Cargo.toml", "Cargo.lock"])),
                 "notes": []}
    try:
        if not args.no_build:
            build()
        for exe in (WA_LINT, PARSE_CORPUS):
            if not exe.exists():
                raise BenchError(f"{exe} is missing (build it or drop --no-build)")
        res["binary_built"] = binary_time()
        with tempfile.TemporaryDirectory(prefix="wa-lint-bench-") as tmp:
            work = Path(tmp)
            res["spawn_overhead"] = Median.of([measure(["true"], None, work / "stderr") for _ in range(5)]).wall
            log(f"wa-lint scans over {corpus} ({len(folders)} folders, {repeat} runs each)")
            res["scans"] = scan(corpus, folders, repeat, warmup, work)
            res["summary_has_bytes"] = all(r["bytes_from_summary"] for r in res["scans"])
            res["parsers"] = parsers(corpus, folders, repeat, warmup, work)
            if not args.skip_checkov:
                res["checkov_version"] = ensure_checkov()
                res["checkov"] = checkov(corpus, args.checkov_repeat or repeat, warmup, work, res["notes"])
    except BenchError as e:
        log(str(e))
        return 1
    targets_and_comparison(res)
    write_report(Path(args.output), markdown(res))
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(res, indent=2) + "\n")
    log(f"wrote {args.output} and {args.results}")
    for t in res["targets"]:
        log(f"{'MET    ' if t['ok'] else 'NOT MET'} {t['target']}: {t['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
