//! Share of resolved property values that stay Unknown, with the biggest reasons.
//!
//! ```text
//! cargo run -p wa_lint_linter --example unknown_share -- <dir> [--top N] [--raw] [--cfn-param NAME=VALUE]…
//! ```
//!
//! Files are found like the linter finds them (the `ignore` walker). CloudFormation candidates
//! (`.yaml`, `.yml`, `.json`, `.template`, `.cfn` that [`wa_lint_cfn::sniff`] accepts) go
//! through [`wa_lint_cfn::parse_project`]; directories holding `.tf` files go through
//! [`wa_lint_terraform::parse_project`]. Both with default options (no parameter or variable
//! values from the user) unless `--cfn-param` gives CloudFormation values (pseudo parameters
//! such as `AWS::Region` included).
//!
//! For every unit the graph is its first condition scenario (what the rules see in one
//! scenario, undecided conditions assumed), or its one graph when there are no scenarios. A *leaf* is a
//! value in a resource's `attrs` that is not a map or a list (string, number, boolean, null,
//! Unknown); an empty map or list counts as one leaf. Unknown leaves are grouped by their
//! reason with names replaced: text in backticks becomes `` `_` ``, runs of digits `N`
//! (`--raw` keeps the reasons as they are, to see which names dominate).
//!
//! Output: per front end, `leaves`, `unknown` and the share in percent, then the top reasons
//! (default 15) with their count and share of all unknown leaves.
// File names are lower-cased before their extension is compared.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ignore::WalkBuilder;
use wa_lint_graph::{Node, ParseOutput, Value};
use wa_lint_source::{FileId, Format, SourceFile};

/// Leaf counts of one front end.
#[derive(Default)]
struct Counts {
    units: usize,
    /// Condition scenarios over all units (0 for a unit without).
    scenarios: usize,
    leaves: usize,
    unknown: usize,
    reasons: BTreeMap<String, usize>,
    /// Keep reasons as they are (`--raw`).
    raw: bool,
}

impl Counts {
    fn add_output(&mut self, out: &ParseOutput) {
        // What the rules see: the first scenario when conditions are explored.
        let graph = out
            .scenarios
            .first()
            .map(|s| &s.graph)
            .or(out.graph.as_ref());
        let Some(graph) = graph else { return };
        self.units += 1;
        self.scenarios += out.scenarios.len();
        for resource in graph.resources.values() {
            self.add_node(&resource.attrs);
        }
    }

    fn add_node(&mut self, node: &Node) {
        match &node.value {
            Value::Map(map) if !map.is_empty() => {
                for e in map.values() {
                    self.add_node(&e.node);
                }
            }
            Value::List(items) if !items.is_empty() => {
                for n in items {
                    self.add_node(n);
                }
            }
            Value::Unknown(reason) => {
                self.leaves += 1;
                self.unknown += 1;
                let key = if self.raw {
                    reason.clone()
                } else {
                    generalize(reason)
                };
                *self.reasons.entry(key).or_default() += 1;
            }
            _ => self.leaves += 1,
        }
    }

    fn print(&self, name: &str, top: usize) {
        #[allow(clippy::cast_precision_loss)]
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        println!(
            "{name}: units {} scenarios {} leaves {} unknown {} ({:.2}%)",
            self.units,
            self.scenarios,
            self.leaves,
            self.unknown,
            pct(self.unknown, self.leaves)
        );
        let mut reasons: Vec<(&String, &usize)> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (reason, count) in reasons.into_iter().take(top) {
            println!("  {count:>7} {:>6.2}%  {reason}", pct(*count, self.unknown));
        }
    }
}

/// `reason` with names in backticks replaced by `` `_` `` and digit runs by `N`.
fn generalize(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut in_tick = false;
    let mut last_digit = false;
    for c in reason.chars() {
        if c == '`' {
            if in_tick {
                out.push_str("_`");
            } else {
                out.push('`');
            }
            in_tick = !in_tick;
            last_digit = false;
            continue;
        }
        if in_tick {
            continue;
        }
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('N');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        out.push(c);
    }
    out
}

fn main() -> ExitCode {
    let mut root: Option<PathBuf> = None;
    let mut top = 15usize;
    let mut raw = false;
    let mut cfn_options = wa_lint_cfn::CfnOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--top" => {
                let Some(n) = args.next().and_then(|n| n.parse().ok()) else {
                    eprintln!("unknown_share: --top needs a number");
                    return ExitCode::from(2);
                };
                top = n;
            }
            "--raw" => raw = true,
            "--cfn-param" => {
                let Some((k, v)) = args.next().and_then(|kv| {
                    kv.split_once('=')
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                }) else {
                    eprintln!("unknown_share: --cfn-param needs NAME=VALUE");
                    return ExitCode::from(2);
                };
                cfn_options.parameters.insert(k, v);
            }
            _ if root.is_none() => root = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("unknown_share: unexpected argument {arg}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(root) = root.filter(|r| r.is_dir()) else {
        eprintln!("usage: unknown_share <dir> [--top N] [--raw] [--cfn-param NAME=VALUE]…");
        return ExitCode::from(2);
    };
    let (templates, modules) = read_tree(&root);

    let mut cfn = Counts {
        raw,
        ..Counts::default()
    };
    let project = wa_lint_cfn::parse_project(&templates, &cfn_options);
    for out in &project.units {
        cfn.add_output(out);
    }
    cfn.print("cloudformation", top);

    let mut tf = Counts {
        raw,
        ..Counts::default()
    };
    let project = wa_lint_terraform::Project {
        modules: modules
            .into_iter()
            .map(|(d, f)| (d, f.into_iter().map(Into::into).collect()))
            .collect(),
        ..wa_lint_terraform::Project::default()
    };
    for out in
        wa_lint_terraform::parse_project(&project, &wa_lint_terraform::ModuleOptions::default())
    {
        tf.add_output(&out);
    }
    tf.print("terraform", top);
    ExitCode::SUCCESS
}

/// Walks `root` like the linter: template candidates that sniff like templates, and the
/// Terraform files grouped by directory.
fn read_tree(root: &Path) -> (Vec<SourceFile>, Vec<(String, Vec<SourceFile>)>) {
    let mut templates = Vec::new();
    let mut dirs: BTreeMap<String, Vec<SourceFile>> = BTreeMap::new();
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false)
        .build();
    let mut paths: Vec<PathBuf> = walker
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .collect();
    paths.sort();
    let mut next = 0u32;
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let is_tf = name.ends_with(".tf") || name.ends_with(".tfvars");
        let is_cfn = !name.ends_with(".tf.json")
            && !name.ends_with(".tfvars.json")
            && [".yaml", ".yml", ".json", ".template", ".cfn"]
                .iter()
                .any(|e| name.ends_with(e));
        if !is_tf && !is_cfn {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        next += 1;
        if is_tf {
            let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d).to_owned();
            dirs.entry(dir).or_default().push(SourceFile::new(
                FileId(next),
                rel,
                text.as_str(),
                Format::Hcl,
            ));
        } else if wa_lint_cfn::sniff(&text) {
            let format = if name.ends_with(".json") {
                Format::Json
            } else {
                Format::Yaml
            };
            templates.push(SourceFile::new(FileId(next), rel, text.as_str(), format));
        }
    }
    let modules = dirs
        .into_iter()
        .filter(|(_, files)| files.iter().any(|f| f.path.ends_with(".tf")))
        .collect();
    (templates, modules)
}
