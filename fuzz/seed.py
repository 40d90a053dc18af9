#!/usr/bin/env python3
"""Fills fuzz/corpus/<target>/ with seed inputs (idempotent: files are named by content hash).

Sources: /work/shared/corpus (or $WA_LINT_SEED_CORPUS), the rule fixtures under rules/, the
test data of crates/*/tests and examples/. Files over 64 KiB (the -max_len of run.sh) are
skipped.

- cfn_json / cfn_yaml: JSON / YAML files the linter's cheap template test accepts
  (`AWSTemplateFormatVersion`, or `Resources` and `::`). YAML templates are also converted to
  JSON for cfn_json (short tags in long form) when PyYAML is installed, as the corpus holds
  far fewer JSON templates.
- hcl_eval: every `.tf` file alone, and per directory the first two `.tf` files and its
  `terraform.tfvars` joined with NUL bytes (the target splits its input at NUL into
  main.tf, variables.tf, terraform.tfvars).
- plan_json: JSON files with `"format_version"` and `"resource_changes"`/`"planned_values"`,
  plus a few small hand-written plans.
- rego_metadata: every `.rego` file of rules/ and of the crates' test data.
"""
import hashlib
import os
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
SHARED = Path(os.environ.get("WA_LINT_SEED_CORPUS", "/work/shared/corpus"))
MAX_LEN = 65536
SKIP_DIRS = {"target", ".git", "corpus", "artifacts", ".terraform", "node_modules"}

PLANS = [
    b'{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "x", "acl": "public-read"}}]}}}',
    b'{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "x", "tags": {"a": "b"}}, "after_unknown": {"arn": true, "tags": {}}, "after_sensitive": {"bucket": true}}}]}',
    b'{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"address": "module.m", "resources": [{"address": "module.m.aws_instance.i[0]", "mode": "managed", "type": "aws_instance", "name": "i", "index": 0, "values": {"ami": "a"}}]}]}}, "configuration": {"root_module": {"module_calls": {"m": {"source": "./m", "module": {"resources": [{"address": "aws_instance.i", "mode": "managed", "type": "aws_instance", "name": "i", "expressions": {"subnet_id": {"references": ["aws_subnet.s.id", "aws_subnet.s"]}}}]}}}}}}',
]


def files_under(root: Path):
    if not root.exists():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            yield Path(dirpath) / name


def put(target: str, data: bytes, counts: dict):
    if not data or len(data) > MAX_LEN:
        return
    out = FUZZ / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    path = out / hashlib.sha1(data).hexdigest()
    if not path.exists():
        path.write_bytes(data)
        counts[target] = counts.get(target, 0) + 1


def is_cfn(text: str) -> bool:
    return "AWSTemplateFormatVersion" in text or ("Resources" in text and "::" in text)


def is_plan(text: str) -> bool:
    return '"format_version"' in text and (
        '"resource_changes"' in text or '"planned_values"' in text
    )


def yaml_to_json(text: str):
    """The template as JSON bytes (`!Ref x` → `{"Ref": "x"}`, `!Sub` → `{"Fn::Sub": …}`), or
    None when PyYAML is missing or the text does not load."""
    try:
        import json
        import yaml
    except ImportError:
        return None

    class Loader(yaml.SafeLoader):
        pass

    def tagged(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if suffix == "Ref":
            return {"Ref": value}
        if suffix == "Condition":
            return {"Condition": value}
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {"Fn::" + suffix: value}

    Loader.add_multi_constructor("!", tagged)
    try:
        doc = yaml.load(text, Loader=Loader)
        return json.dumps(doc, indent=2, default=str).encode()
    except Exception:  # noqa: BLE001 - any template PyYAML cannot read is just not a seed
        return None


def main() -> int:
    counts: dict = {}
    roots = [SHARED, REPO / "rules", REPO / "examples"] + sorted((REPO / "crates").glob("*/tests"))
    tf_dirs: dict = {}
    for root in roots:
        for path in files_under(root):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            name = path.name.lower()
            text = data.decode("utf-8", errors="replace")
            if name.endswith(".rego"):
                put("rego_metadata", data, counts)
            elif name.endswith(".tf"):
                put("hcl_eval", data, counts)
                tf_dirs.setdefault(path.parent, []).append(path)
            elif name.endswith(".json"):
                if is_plan(text):
                    put("plan_json", data, counts)
                elif is_cfn(text):
                    put("cfn_json", data, counts)
            elif name.endswith((".yaml", ".yml", ".template")) and is_cfn(text):
                if text.lstrip().startswith("{"):
                    put("cfn_json", data, counts)
                else:
                    put("cfn_yaml", data, counts)
                    converted = yaml_to_json(text)
                    if converted:
                        put("cfn_json", converted, counts)
    for directory, tfs in sorted(tf_dirs.items()):
        if len(tfs) < 2:
            continue
        parts = [tfs[0].read_bytes(), tfs[1].read_bytes()]
        tfvars = directory / "terraform.tfvars"
        if tfvars.exists():
            parts.append(tfvars.read_bytes())
        put("hcl_eval", b"\0".join(parts), counts)
    for plan in PLANS:
        put("plan_json", plan, counts)
    for target in ["cfn_json", "cfn_yaml", "hcl_eval", "plan_json", "rego_metadata"]:
        total = len(list((FUZZ / "corpus" / target).glob("*")))
        print(f"{target}: {counts.get(target, 0)} new seeds, {total} in corpus")
    return 0


if __name__ == "__main__":
    sys.exit(main())
