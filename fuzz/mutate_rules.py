#!/usr/bin/env python3
"""Type-mutation search for rule errors: odd-but-valid property values must never fail a rule.

A rule that meets a regorus builtin error (`lower` of a number, `to_number("abc")`, `split` of
an object, ...) is reported as a `rule::error` diagnostic: the scan exits 2 and the rule's
findings for the unit are lost. This script replaces one property value at a time with a value
of another type and collects every `rule::*` diagnostic the scan reports.

Seeds:
  * CloudFormation: every rule fixture under rules/*/*/fixtures/cfn (they hold the properties
    the rules read) plus a random sample of the corpus' templates (--corpus, --sample). JSON is
    read as is; YAML is read with a tolerant loader that turns the short-form tags (`!Ref`,
    `!Sub`, `!GetAtt a.b`, ...) into their long form (`{"Ref": ...}`), so every mutant is written
    as a JSON template.
  * Terraform: every rule fixture under rules/*/*/fixtures/tf, twice:
    - `tf`: parsed with python-hcl2 (`pip install python-hcl2`; without it these are skipped)
      and written as `.tf.json` modules (one mutant per directory: a directory is one module);
    - `hcl`: the fixture's HCL text with the right-hand side of one one-line `name = value`
      replaced by an HCL literal of another type (HCL_REPLACEMENTS; lines inside
      `jsonencode({...})` included), written as `main.tf`.

Mutations: for every value at any depth under a CloudFormation resource's `Properties` (or a
Terraform resource's body; a string holding a JSON document, such as a policy, is walked into
and re-encoded) and every replacement in REPLACEMENTS, one mutant with that single value
replaced. Mutants are deduplicated by (origin, resource type, path with list indices
folded, replacement) and capped per key (--per-key), so the same property of the same type is
not mutated over and over across seeds.

Mutants are written in batches of --batch files to OUT/batch-N/ and each batch is scanned with
one `wa-lint OUT/batch-N -j 1 --format json --output OUT/batch-N.json` run. Every diagnostic
whose code starts with `rule::` is grouped by (code, rule ID, Rego file:line:column, builtin
error without the offending value) and written to OUT/errors.json with the mutants that produced it (seed, resource type, path,
replacement); a summary goes to standard output.

Run (from the repository root, with a built binary):

    python3 fuzz/mutate_rules.py --bin target/release/wa-lint --out /tmp/mutants \
        --corpus /work/shared/corpus --sample 150
    python3 fuzz/mutate_rules.py --out /tmp/mutants --analyze    # regroup an earlier run

`--origins cfn,tf,hcl` picks the kinds of mutant. First runs (release binary of e94175c,
2026-11-30): 96,844 cfn + tf mutants (fixtures and 150 corpus templates, --seed 1), about
12 minutes, 92 distinct rule errors in 36 rules; 49,867 tf + hcl mutants (--origins tf,hcl),
65 distinct, 3 of them new. All fixed by the commits that added rules/*/*/odd_values/: a debug
build of those rules gives no rule error on either set.

The binary embeds the rules it was built with: to test rule changes, use a debug build of the
tree (`cargo build -p wa_lint`, then `--bin target/debug/wa-lint`: about 300 mutants a second)
or the fixture harness (`cargo test -p wa_lint_rules --test fixtures --test odd_values`).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict

REPLACEMENTS = [
    ("int", 7),
    ("negative", -1),
    ("float", 2.5),
    ("huge_float", 1e300),
    ("long_digits", "9" * 400),
    ("empty_string", ""),
    ("word", "abc"),
    ("true", True),
    ("false", False),
    ("null", None),
    ("empty_list", []),
    ("empty_object", {}),
    ("mixed_list", [1, "a", {}]),
    ("object", {"k": 1}),
    ("ref", {"Ref": "X"}),
    ("sub", {"Fn::Sub": "a${AWS::Region}"}),
    ("percent", "100% %s %v %d"),
    ("interp", "a ${x} b"),
    ("newlines", "a\nb\r\nc"),
    ("star", "*"),
    ("list_of_lists", [[1], ["a"]]),
    ("list_of_null", [None]),
]

# Terraform: the same, except intrinsic-function objects mean nothing there and a `${` string
# is a template (kept: an unresolved reference becomes unknown).
TF_REPLACEMENTS = [r for r in REPLACEMENTS if r[0] not in ("ref", "sub")]


# Terraform HCL text mutants: the right-hand side of one `name = value` line of a fixture is
# replaced (lines inside `jsonencode({...})` included), so the HCL evaluator's own values are fed.
HCL_REPLACEMENTS = [
    ("int", "7"),
    ("negative", "-1"),
    ("float", "2.5"),
    ("huge_float", "1e300"),
    ("long_digits", '"' + "9" * 400 + '"'),
    ("empty_string", '""'),
    ("word", '"abc"'),
    ("true", "true"),
    ("null", "null"),
    ("empty_list", "[]"),
    ("empty_object", "{}"),
    ("mixed_list", '[1, "a", {}]'),
    ("object", "{ k = 1 }"),
    ("percent", '"100% %s %v %d"'),
    ("newlines", '"a\\nb\\r\\nc"'),
    ("star", '"*"'),
    ("list_of_lists", '[[1], ["a"]]'),
    ("list_of_null", "[null]"),
]

HCL_ASSIGN = re.compile(r'^(\s*)([A-Za-z_][\w-]*|"[^"]+")(\s*=\s*)(.+?)\s*$')


def hcl_mutants(text):
    """(line index, attribute name, label, mutated text) for each one-line `name = value`."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = HCL_ASSIGN.match(line)
        if not m:
            continue
        rhs = m.group(4)
        # Multi-line values (a block, list, map or call continuing on the next lines) are left
        # alone: replacing their first line would not parse.
        if rhs.endswith(("{", "[", "(", "<<EOF", "<<-EOF")) or rhs.startswith("<<"):
            continue
        if rhs.count("(") != rhs.count(")") or rhs.count("[") != rhs.count("]") or rhs.count("{") != rhs.count("}"):
            continue
        for label, new in HCL_REPLACEMENTS:
            if new == rhs:
                continue
            out = lines[:i] + [m.group(1) + m.group(2) + m.group(3) + new] + lines[i + 1 :]
            yield i, m.group(2).strip('"'), label, "\n".join(out)


# ---------------------------------------------------------------- CloudFormation YAML loading


def make_cfn_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def construct(loader, tag_suffix, node):
        name = tag_suffix
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if name == "Ref":
            return {"Ref": value}
        if name == "GetAtt" and isinstance(value, str):
            head, _, rest = value.partition(".")
            return {"Fn::GetAtt": [head, rest]}
        if name == "Condition":
            return {"Condition": value}
        return {"Fn::" + name: value}

    Loader.add_multi_constructor("!", construct)
    # Timestamps and dates stay strings (JSON has no dates).
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in Loader.yaml_implicit_resolvers.items()
    }
    return Loader


def load_cfn(path, loader):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        if path.endswith(".json"):
            doc = json.loads(text)
        else:
            import yaml

            doc = yaml.load(text, Loader=loader)  # noqa: S506 (SafeLoader subclass)
    except Exception:  # a seed that does not parse is skipped
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("Resources"), dict):
        return None
    try:
        json.dumps(doc)
    except (TypeError, ValueError):
        return None
    return doc


# ---------------------------------------------------------------- Terraform (python-hcl2) loading


def _tf_scalar(s):
    if not isinstance(s, str):
        return s
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        try:
            return json.loads(s)
        except ValueError:
            return s[1:-1]
    if s in ("true", "false"):
        return s == "true"
    if s == "null":
        return None
    if re.fullmatch(r"-?[0-9]+", s):
        return int(s)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", s):
        return float(s)
    if s.startswith("${"):
        return s
    return "${" + s + "}"


def _tf_norm(v):
    if isinstance(v, dict):
        return {_unquote(k): _tf_norm(x) for k, x in v.items() if k != "__is_block__"}
    if isinstance(v, list):
        return [_tf_norm(x) for x in v]
    return _tf_scalar(v)


def _unquote(k):
    if len(k) >= 2 and k[0] == '"' and k[-1] == '"':
        return k[1:-1]
    return k


def load_tf(path):
    try:
        import hcl2
    except ImportError:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            raw = hcl2.load(f)
    except Exception:
        return None
    out = {}
    for section in ("resource", "data", "variable", "locals", "provider"):
        items = raw.get(section)
        if not items:
            continue
        if section == "locals":
            merged = {}
            for block in items:
                merged.update(_tf_norm(block))
            out["locals"] = merged
            continue
        if section in ("variable", "provider"):
            merged = {}
            for block in items:
                merged.update(_tf_norm(block))
            out[section] = merged
            continue
        merged = {}
        for block in items:
            for rtype, by_name in _tf_norm(block).items():
                merged.setdefault(rtype, {}).update(by_name)
        out[section] = merged
    if not out.get("resource"):
        return None
    return out


# ---------------------------------------------------------------- mutation


JSON_STEP = "<json>"


def embedded_json(value):
    """The document a string holds when it is a JSON object or list (a Terraform policy or
    container definitions written as a JSON string), else None."""
    if not isinstance(value, str) or not value.lstrip().startswith(("{", "[")):
        return None
    try:
        doc = json.loads(value)
    except ValueError:
        return None
    return doc if isinstance(doc, (dict, list)) else None


def walk(value, path):
    """Yield every (path, value) at any depth below `value` (excluding `value` itself). A string
    holding a JSON document is walked into too, through a JSON_STEP path element."""
    if isinstance(value, dict):
        for k, v in value.items():
            p = path + [k]
            yield p, v
            yield from walk(v, p)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            p = path + [i]
            yield p, v
            yield from walk(v, p)
    else:
        inner = embedded_json(value)
        if inner is not None:
            yield from walk(inner, path + [JSON_STEP])


def set_path(doc, path, new):
    """Replace the value at `path` (through JSON_STEP: inside a JSON string, re-encoded)."""
    if JSON_STEP in path:
        i = path.index(JSON_STEP)
        outer, rest = path[:i], path[i + 1 :]
        holder = doc
        for k in outer[:-1]:
            holder = holder[k]
        inner = json.loads(holder[outer[-1]])
        if rest:
            set_path(inner, rest, new)
        else:
            inner = new
        holder[outer[-1]] = json.dumps(inner)
        return
    cur = doc
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = new


def fold(path):
    return "/".join("*" if isinstance(k, int) else str(k) for k in path)


def same_type(a, b):
    return type(a) is type(b) and (not isinstance(a, (str, int, float, bool)) or a == b)


def cfn_mutants(doc, rule_types):
    for name, res in doc["Resources"].items():
        if not isinstance(res, dict) or not isinstance(res.get("Properties"), dict):
            continue
        rtype = res.get("Type")
        if not isinstance(rtype, str) or (rule_types and rtype not in rule_types):
            continue
        base = ["Resources", name, "Properties"]
        for path, old in list(walk(res["Properties"], [])):
            for label, new in REPLACEMENTS:
                if same_type(old, new):
                    continue
                yield rtype, base + path, fold(path), label, new


def tf_mutants(doc, rule_types):
    for section in ("resource", "data"):
        for rtype, by_name in doc.get(section, {}).items():
            if rule_types and rtype not in rule_types:
                continue
            if not isinstance(by_name, dict):
                continue
            for name, body in by_name.items():
                if not isinstance(body, dict):
                    continue
                base = [section, rtype, name]
                for path, old in list(walk(body, [])):
                    for label, new in TF_REPLACEMENTS:
                        if same_type(old, new):
                            continue
                        yield rtype, base + path, fold(path), label, new


def rule_resource_types(root):
    types = set()
    for f in glob.glob(os.path.join(root, "rules", "*", "*", "rule.rego")):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"#\s+resource_types:\s*\[(.*)\]", line)
                if m:
                    types.update(t.strip() for t in m.group(1).split(",") if t.strip())
    return types


# ---------------------------------------------------------------- scanning


def scan(binary, batch_dir, report):
    proc = subprocess.run(
        [binary, batch_dir, "-j", "1", "--format", "json", "--output", report, "--unknown", "pass"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    try:
        with open(report, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        sys.stderr.write(f"no report for {batch_dir} (exit {proc.returncode}): {proc.stderr[-2000:]!r}\n")
        return []
    return rule_diagnostics(data)


def rule_diagnostics(data):
    return [d for d in data.get("diagnostics", []) if str(d.get("code", "")).startswith("rule::")]


def read_report(report):
    try:
        with open(report, encoding="utf-8") as f:
            return rule_diagnostics(json.load(f))
    except (OSError, ValueError):
        return []


def diag_file(d):
    for key in ("file", "path"):
        if isinstance(d.get(key), str):
            return d[key]
    loc = d.get("location") or {}
    if isinstance(loc, dict):
        for key in ("file", "path"):
            if isinstance(loc.get(key), str):
                return loc[key]
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/wa-lint")
    ap.add_argument("--root", default=".", help="repository root (rules/ and fixtures)")
    ap.add_argument("--out", default="/tmp/wa-lint-mutants")
    ap.add_argument("--corpus", default=None, help="directory of CloudFormation seeds to sample")
    ap.add_argument("--sample", type=int, default=150, help="corpus templates to sample")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--per-key", type=int, default=2, help="mutants per (type, path, replacement)")
    ap.add_argument("--max", type=int, default=0, help="stop after this many mutants (0: no limit)")
    ap.add_argument(
        "--origins",
        default="cfn,tf,hcl",
        help="kinds of mutant: cfn (JSON templates), tf (.tf.json), hcl (.tf text); comma-separated",
    )
    ap.add_argument(
        "--analyze",
        action="store_true",
        help="only group the reports of an earlier run in --out (no generation, no scan)",
    )
    args = ap.parse_args()

    if args.analyze:
        with open(os.path.join(args.out, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        batches = sorted(
            (p for p in glob.glob(os.path.join(args.out, "batch-*")) if os.path.isdir(p)),
            key=lambda p: int(p.rsplit("-", 1)[1]),
        )
        analyze(args, batches, manifest, rescan=False)
        return

    rng = random.Random(args.seed)
    rule_types = rule_resource_types(args.root)
    loader = make_cfn_loader()

    cfn_seeds = sorted(glob.glob(os.path.join(args.root, "rules/*/*/fixtures/cfn/*")))
    if args.corpus:
        pool = []
        for dirpath, _, files in os.walk(args.corpus):
            for fn in files:
                if fn.endswith((".json", ".yaml", ".yml", ".template")) and not fn.endswith(".tf.json"):
                    pool.append(os.path.join(dirpath, fn))
        pool.sort()
        rng.shuffle(pool)
        cfn_seeds += pool[: args.sample]
    tf_seeds = sorted(glob.glob(os.path.join(args.root, "rules/*/*/fixtures/tf/*.tf")))

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)

    seen = defaultdict(int)
    manifest = {}
    batches = []
    state = {"n": 0, "batch": -1, "in_batch": args.batch}

    def emit(origin, seed, rtype, path, key_path, label, doc):
        key = (origin, rtype, key_path, label)
        if seen[key] >= args.per_key:
            return False
        seen[key] += 1
        if state["in_batch"] >= args.batch:
            state["batch"] += 1
            state["in_batch"] = 0
            d = os.path.join(args.out, f"batch-{state['batch']}")
            os.makedirs(d)
            batches.append(d)
        d = batches[-1]
        n = state["n"]
        if origin == "cfn":
            rel = f"m{n:06d}.json"
            with open(os.path.join(d, rel), "w", encoding="utf-8") as f:
                json.dump(doc, f)
        elif origin == "hcl":
            rel = f"m{n:06d}"
            os.makedirs(os.path.join(d, rel))
            with open(os.path.join(d, rel, "main.tf"), "w", encoding="utf-8") as f:
                f.write(doc)
        else:
            rel = f"m{n:06d}"
            os.makedirs(os.path.join(d, rel))
            with open(os.path.join(d, rel, "main.tf.json"), "w", encoding="utf-8") as f:
                json.dump(doc, f)
        manifest[os.path.join(d, rel)] = {
            "seed": seed,
            "type": rtype,
            "path": path,
            "replacement": label,
        }
        state["n"] += 1
        state["in_batch"] += 1
        return True

    limit = args.max or float("inf")
    origins = set(args.origins.split(","))
    if "cfn" not in origins:
        cfn_seeds = []
    if "tf" not in origins and "hcl" not in origins:
        tf_seeds = []
    for seed in cfn_seeds:
        doc = load_cfn(seed, loader)
        if doc is None:
            continue
        for rtype, path, key_path, label, new in cfn_mutants(doc, rule_types):
            if state["n"] >= limit:
                break
            mutant = json.loads(json.dumps(doc))
            set_path(mutant, path, new)
            emit("cfn", seed, rtype, path, key_path, label, mutant)
    for seed in tf_seeds if "tf" in origins else []:
        doc = load_tf(seed)
        if doc is None:
            continue
        for rtype, path, key_path, label, new in tf_mutants(doc, rule_types):
            if state["n"] >= limit:
                break
            mutant = json.loads(json.dumps(doc))
            set_path(mutant, path, new)
            emit("tf", seed, rtype, path, key_path, label, mutant)

    for seed in tf_seeds if "hcl" in origins else []:
        try:
            with open(seed, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            continue
        for line_no, name, label, mutant in hcl_mutants(text):
            if state["n"] >= limit:
                break
            # Keyed by the seed's rule directory: the same attribute name means different things
            # in different resource types.
            rule_dir = os.path.dirname(os.path.dirname(os.path.dirname(seed)))
            emit("hcl", seed, rule_dir, [line_no + 1, name], name, label, mutant)

    print(f"{state['n']} mutants in {len(batches)} batches under {args.out}", flush=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)

    analyze(args, batches, manifest, rescan=True)


def group_message(msg):
    """`RULE at FILE:LINE:COL: error` without what varies between mutants (the offending value)."""
    m = re.search(r"rule (\S+) failed.*?<builtin>/(\S+?:\d+:\d+): (.*)", msg, re.S)
    if not m:
        return re.sub(r"m\d{6}(\.json|/main\.tf\.json)?", "<mutant>", msg)
    error = re.split(r" Got |(?<=outputs) ", m.group(3), maxsplit=1)[0]
    return f"{m.group(1)} at {m.group(2)}: {error.strip()}"


def analyze(args, batches, manifest, rescan):
    errors = defaultdict(list)
    for i, d in enumerate(batches):
        if rescan:
            diags = scan(args.bin, d, d + ".json")
        else:
            diags = read_report(d + ".json")
        for diag in diags:
            f = os.path.join(d, diag_file(diag))
            msg = str(diag.get("message", ""))
            mutant = None
            for cand in (f, os.path.dirname(f)):
                if cand in manifest:
                    mutant = dict(manifest[cand], file=cand, message=msg)
                    break
            errors[(diag.get("code"), group_message(msg))].append(mutant or {"file": f, "message": msg})
        if rescan:
            print(f"batch {i + 1}/{len(batches)}: {len(errors)} distinct rule errors so far", flush=True)

    out = [
        {"code": code, "message": msg, "count": len(ms), "mutants": ms[:5]}
        for (code, msg), ms in sorted(errors.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    with open(os.path.join(args.out, "errors.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
    print(f"{len(manifest)} mutants scanned, {len(out)} distinct rule errors")
    for e in out:
        m = e["mutants"][0]
        print(f"- [{e['count']}] {e['code']}: {e['message'][:300]}")
        print(f"    e.g. {m.get('type')} {m.get('path')} := {m.get('replacement')} ({m.get('file')})")


if __name__ == "__main__":
    main()
