"""cfn-guard with the AWS Guard Rules Registry against wa-lint (``bench/peers.py --guard-rules DIR``).

Measuring helpers and the report section of step 6 of ``bench/peers.py`` (method in its
docstring); kept apart so that ``peers.py`` stays readable. Standard library only.

- ``rule_files(dir)``: the ``.guard``/``.ruleset`` files cfn-guard loads from a rules folder.
- ``data_files(folder, ...)``: the files cfn-guard's own directory walk would read (extensions
  ``.yaml .yml .json .jsn .template``), minus the ones cfn-guard cannot parse as data: one such
  file aborts a whole ``--data <dir>`` run (exit code 255, no report), so they are found first,
  one file at a time against a one-line rule, and left out (listed in the report).
- ``counts(stdout)``: failing (data file, rule file) pairs and failed rules from the ``-o json``
  output (one JSON document per pair). cfn-guard's default ``single-line-summary`` output is not
  used: its reporter panics (exit code 101, ``internal error: entered unreachable code`` in
  ``reporters/validate/cfn.rs``) part-way through ``aws-cfn-templates`` with the registry, and
  ``-z`` (one JSON list) holds the whole report in memory before printing it.
- ``pairs(...)``: wa-lint and cfn-guard alternately per folder, each cfn-guard run capped.
- ``markdown(res)``: the "cfn-guard" section of ``docs/benchmarks-peers.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict
from pathlib import Path

import run as base  # bench/run.py: measure, Median, …

DATA_ENDINGS = (".yaml", ".yml", ".json", ".jsn", ".template")  # `cfn-guard validate --help`
RULE_ENDINGS = (".guard", ".ruleset")
TARGET = 50.0  # wa-lint wall at least 50x lower than cfn-guard with the full registry (issue 7)
PROBE_RULE = "rule WA_LINT_BENCH_PROBE when Resources exists { Resources not empty }\n"


def rule_files(rules: Path) -> list[Path]:
    """The rule files under `rules` (recursive, sorted), as cfn-guard selects them."""
    found = []
    for dirpath, dirnames, filenames in os.walk(rules):
        dirnames.sort()
        found += [Path(dirpath) / f for f in sorted(filenames) if f.lower().endswith(RULE_ENDINGS)]
    return found


def _walk_data(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        found += [Path(dirpath) / f for f in sorted(filenames) if f.lower().endswith(DATA_ENDINGS)]
    return found


def data_files(guard: Path, root: Path, work: Path) -> tuple[list[Path], list[str]]:
    """(files cfn-guard is given, "<relative path>: <cfn-guard's error>" for each file left out).

    Each candidate is validated alone against a one-line rule (`PROBE_RULE`); a file on which
    cfn-guard gives up (exit code other than 0 or 19: a data parse error, an empty file) is left
    out. Never raises for a bad file."""
    probe = work / "probe.guard"
    probe.write_text(PROBE_RULE)
    keep, dropped = [], []
    for f in _walk_data(root):
        p = subprocess.run([str(guard), "validate", "--rules", str(probe), "--data", str(f),
                            "--show-summary", "none"], capture_output=True, text=True, check=False)
        if p.returncode not in (0, 19):  # 19: the probe rule failed; anything else: cfn-guard gave up on the file
            why = next((x for x in (p.stderr + p.stdout).splitlines() if x.startswith("Error")), f"exit code {p.returncode}")
            dropped.append(f"{f.relative_to(root).as_posix()}: {why[:160]}")
        else:
            keep.append(f)
    return keep, dropped


def counts(out: Path) -> dict:
    """From cfn-guard's ``-o json`` output (concatenated JSON documents, one per evaluated
    (data file, rule file) pair): evaluated pairs, failing pairs (status FAIL) and failed rules
    (``not_compliant`` entries). All ``None`` when the output cannot be read."""
    try:
        text = out.read_text(errors="replace")
    except OSError:
        return {"pairs": None, "failing_pairs": None, "failed_rules": None}
    dec, i, n, failing, rules = json.JSONDecoder(), 0, 0, 0, 0
    try:
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                break
            doc, i = dec.raw_decode(text, i)
            n += 1
            if doc.get("status") == "FAIL":
                failing += 1
                rules += len(doc.get("not_compliant") or [])
    except ValueError:
        return {"pairs": None, "failing_pairs": None, "failed_rules": None}
    return {"pairs": n, "failing_pairs": failing, "failed_rules": rules}


def pairs(guard: Path, wa_lint: Path, rules: Path, corpus: Path, folders: list[str], repeat: int,
          timeout: float, work: Path, notes: list[str], measure_loaded) -> list[dict]:
    """wa-lint then cfn-guard, `repeat` timed pairs per folder after one untimed wa-lint run
    (page cache); every cfn-guard run is capped at `timeout` seconds of wall time."""
    rows = []
    for folder in folders:
        path = corpus / folder
        if not path.is_dir():
            notes.append(f"cfn-guard: `{folder}` is not in the corpus: skipped")
            continue
        files, dropped = data_files(guard, path, work)
        base.log(f"cfn-guard {folder}: {len(files)} data files, {len(dropped)} left out (cfn-guard cannot parse them)")
        wa_report, err, g_out, g_err = work / "wa.json", work / "stderr", work / "guard.out", work / "guard.err"
        wa_cmd = [str(wa_lint), str(path), "--format", "json", "--output", str(wa_report)]
        g_cmd = [str(guard), "validate", "--rules", str(rules), "--show-summary", "none", "-o", "json",
                 "--data", *map(str, files)]
        base.measure(wa_cmd, None, err)  # untimed warm-up: page cache, for both tools
        wa_s, g_s, loads, fail, totals = [], [], [], None, counts(work / "none")
        for i in range(repeat):
            s, ls = measure_loaded(wa_cmd, None, err)
            if s.rc not in (0, 1, 2):
                raise base.BenchError(f"wa-lint {folder}: exit code {s.rc}\n{base.tail(err)}")
            c, lc = measure_loaded(g_cmd, g_out, g_err, timeout=timeout)
            wa_s.append(s)
            g_s.append(c)
            loads.append({"wa": ls, "guard": lc})
            base.log(f"{folder} pair {i + 1}: wa-lint {s.wall:.2f}s, cfn-guard "
                     + (f"> {timeout:.0f}s (capped)" if c.capped else f"{c.wall:.1f}s (rc {c.rc})")
                     + f", other processes {lc['others']:.2f} cores")
            if not c.capped:
                if c.rc not in (0, 19):  # 19: some rule failed (cfn-guard 3.x)
                    fail = f"exit code {c.rc}: `{base.tail(g_err, 1)[:200]}`"
                else:
                    totals = counts(g_out)
        if fail:
            notes.append(f"cfn-guard on `{folder}`: {fail}")
        summ = _summary(wa_report)
        rows.append({
            "folder": folder, "timeout": timeout, "data_files": len(files), "left_out": dropped,
            "wa": {**asdict(base.Median.of(wa_s)), "files": summ.get("files"), "findings": summ.get("findings"),
                   "failed": summ.get("failed"), "unknown": summ.get("unknown"),
                   "parse_failures": summ.get("errors")},
            "guard": {**asdict(base.Median.of(g_s)), **totals, "rcs": [x.rc for x in g_s]},
            "loads": loads,
        })
    return rows


def _summary(report: Path) -> dict:
    try:
        return json.loads(report.read_text())["summary"]
    except (OSError, ValueError, KeyError) as e:
        raise base.BenchError(f"cannot read the wa-lint JSON summary: {e}") from e


# --------------------------------------------------------------------------------------------
# Report


def _ratio(x: float, lower: bool) -> str:
    return f"{'≥ ' if lower else ''}{x:,.0f}x" if x >= 10 else f"{'≥ ' if lower else ''}{x:.1f}x"


def _capped(m: dict, key: str, fmt) -> str:
    if not m.get("capped"):
        return fmt(m[key])
    return f"> {fmt(m[key])} (cap)" if key == "wall" else f"≥ {fmt(m[key])}"


def markdown(res: dict) -> list[str]:
    """The "cfn-guard" section: install line, then the table of runs or why there is none."""
    L: list[str] = []
    add = L.append
    secs, mb, num = base.secs, base.mb, base.num
    add("## cfn-guard")
    add("")
    g = res.get("cfn_guard") or {}
    if g.get("installed"):
        add(f"cfn-guard: {g.get('version')}, built by `cargo install cfn-guard --root target/bench-tools`"
            + (f" in {g['build_s']:.0f} s" if g.get("build_s") else "") + "."
            + (f" ({g['build_note']}.)" if g.get("build_note") else ""))
    elif g.get("attempted") is False:
        add("cfn-guard is not installed under `target/bench-tools` (`--cfn-guard` installs it).")
    else:
        add(f"cfn-guard not installed: {g.get('reason')}.")
    add("")
    rows = res.get("guard_runs")
    if not rows:
        add("Not benchmarked" + (f": {res['guard_skipped']}" if res.get("guard_skipped") else "") + ".")
        add("")
        return L
    when = (res.get("kept") or {}).get("guard_runs")
    if when:
        add(f"Kept from an earlier run of the script (`--merge`): measured {when}, not with the binary of the "
            "table above.")
        add("")
    reg = res.get("guard_registry") or {}
    add(f"Rules: {reg.get('description', '')} — {num(reg.get('files'))} rule files under "
        f"`{reg.get('dir_label', '<rules>')}` (`--guard-rules`; loaded as one rules folder). "
        "Commands: `wa-lint <corpus>/<folder> --format json --output <tmp>` (all cores) and "
        "`cfn-guard validate --rules <rules> --show-summary none -o json --data <files>` (`-o json`: one "
        "document per (template, rule file) pair, streamed; cfn-guard's default `single-line-summary` "
        "output panics part-way through `aws-cfn-templates` with these rules, exit code 101 in "
        "`reporters/validate/cfn.rs`, and was 1.3x faster than `-o json` on the 12 templates of "
        "`aws-cfn-templates/EC2`), run alternately after one untimed wa-lint "
        f"warm-up (page cache), **{rows[0]['guard']['runs']} timed pair(s)** per folder, every cfn-guard "
        f"run capped at {rows[0]['timeout']:.0f} s (`--guard-timeout`; a capped run is a lower bound). "
        "cfn-guard is given the files its own directory walk reads (extensions `.yaml .yml .json .jsn "
        ".template`) except those it cannot parse as data: one such file aborts a whole `--data <dir>` "
        "run (exit code 255, no report), so they are found beforehand (each file validated alone against "
        "a one-line rule) and left out; wa-lint scans the whole folder, which only makes the ratios "
        "conservative. cfn-guard is single-threaded. Findings are not comparable one to one: cfn-guard "
        "reports failing (template, rule file) pairs (of all evaluated pairs) and the failed rules in them; wa-lint "
        "reports findings (failed and unknown) of its Security Pillar rules. `other cores` = cores kept "
        "busy by other processes during the run (`/proc/stat`).")
    add("")
    for r in rows:
        if r.get("left_out"):
            add(f"On `{r['folder']}` {len(r['left_out'])} file(s) are left out of cfn-guard's list: "
                + ", ".join(f"`{f.split(': ', 1)[0]}`" for f in r["left_out"][:12])
                + (f" and {len(r['left_out']) - 12} more" if len(r["left_out"]) > 12 else "") + ".")
            add("")
    add("| folder | data files | tool | wall s | CPU s | peak RSS MB | findings / failing pairs of evaluated (failed rules) | exit codes | other cores |")
    add("|---|---:|---|---:|---:|---:|---:|---|---:|")
    for r in rows:
        w, c = r["wa"], r["guard"]
        wo = [x["wa"]["others"] for x in r["loads"]]
        go = [x["guard"]["others"] for x in r["loads"]]
        add(f"| {r['folder']} | {num(w['files'])} | wa-lint | {secs(w['wall'])} | {secs(w['cpu'])} | "
            f"{mb(w['maxrss_kib'])} | {num(w['findings'])} ({num(w['failed'])} failed, {num(w['unknown'])} unknown) | "
            f"– | {sum(wo) / len(wo):.2f} |")
        add(f"| | {num(r['data_files'])} | cfn-guard | {_capped(c, 'wall', secs)} | {_capped(c, 'cpu', secs)} | "
            f"{_capped(c, 'maxrss_kib', mb)} | {num(c.get('failing_pairs'))} of {num(c.get('pairs'))} "
            f"({num(c.get('failed_rules'))}) | "
            f"{', '.join(map(str, c.get('rcs', [])))} | {sum(go) / len(go):.2f} |")
    add("")
    add(f"| folder | wall ratio (cfn-guard / wa-lint) | CPU ratio | memory (wa-lint / cfn-guard peak RSS) | "
        f"≥ {TARGET:.0f}x faster | lower peak memory | wa-lint walls s | cfn-guard walls s |")
    add("|---|---:|---:|---:|---|---|---|---|")
    tot_w = tot_g = tot_wc = tot_gc = 0.0
    any_cap = False
    for r in rows:
        w, c = r["wa"], r["guard"]
        low = bool(c.get("capped"))
        any_cap |= low
        tot_w, tot_g, tot_wc, tot_gc = tot_w + w["wall"], tot_g + c["wall"], tot_wc + w["cpu"], tot_gc + c["cpu"]
        speed, mem = c["wall"] / w["wall"], w["maxrss_kib"] / c["maxrss_kib"]
        fast = ("**met**" + (" (lower bound)" if low else "")) if speed >= TARGET else (
            "undetermined (capped, bound below target)" if low else "**not met**")
        lower_mem = "**met**" if mem < 1 else ("undetermined (capped)" if low else "**not met**")
        add(f"| {r['folder']} | {_ratio(speed, low)} | {_ratio(c['cpu'] / w['cpu'], low)} | {mem:.2f} | {fast} | "
            f"{lower_mem} | {', '.join(f'{x:.2f}' for x in w['walls'])} | {', '.join(f'{x:.1f}' for x in c['walls'])} |")
    if len(rows) > 1 and tot_w:
        total = tot_g / tot_w
        add(f"| all {len(rows)} folders (sum of walls) | {_ratio(total, any_cap)} | {_ratio(tot_gc / tot_wc, any_cap)} | | "
            + ("**met**" if total >= TARGET else ("undetermined" if any_cap else "**not met**")) + " | | | |")
    add("")
    return L
