//! Reading a module's `package` line and the OPA `# METADATA` block right above it.
//!
//! regorus ignores comments, so the block is parsed here with `saphyr` (YAML 1.2). The block is
//! the run of `#` comment lines directly above the `package` line (no blank line in between),
//! starting at a line `# METADATA`; each line loses its `#` and one following space.

use saphyr::{LoadableYamlNode, Yaml};

use crate::{RuleMeta, RulesError, Severity};

/// Package prefix of rule modules: `walint.rules.<name>`.
pub(crate) const RULE_PACKAGE_PREFIX: &str = "walint.rules.";
/// Package prefix of library modules: `walint.lib`, `walint.lib.<name>`.
const LIB_PACKAGE_PREFIX: &str = "walint.lib";

/// Top-level METADATA fields OPA defines that wa-lint accepts and ignores.
const IGNORED_FIELDS: &[&str] = &[
    "scope",
    "related_resources",
    "authors",
    "organizations",
    "schemas",
    "entrypoint",
];
/// Fields under `custom:`.
const CUSTOM_FIELDS: &[&str] = &[
    "id",
    "severity",
    "best_practices",
    "resource_types",
    "recommended_action",
    "masks_secrets",
];

/// What a module is, from its package and METADATA.
#[derive(Debug)]
pub(crate) enum ModuleKind {
    /// A rule: `package walint.rules.<name>` with METADATA.
    Rule(RuleMeta),
    /// Any other module (libraries under `walint.lib`, user helpers): compiled, not evaluated.
    Library,
}

/// Classifies the module at `path` (used in error messages) with source `text`.
///
/// # Errors
/// [`RulesError::Metadata`] when the module has no `package` line, when a rule package lacks a
/// valid METADATA block, or when a METADATA block above a non-rule package declares a rule ID;
/// [`RulesError::Compile`] when `[`/`{` nest deeper than [`crate::source_limits::MAX_NESTING`] or a
/// number literal's exponent is above [`crate::source_limits::MAX_EXPONENT`].
pub(crate) fn classify(path: &str, text: &str) -> Result<ModuleKind, RulesError> {
    let err = |message: String| RulesError::Metadata {
        path: path.to_owned(),
        message,
    };
    crate::source_limits::check_module(path, text)?;
    let lines: Vec<&str> = text.lines().collect();
    let (package_line, package) =
        find_package(&lines).ok_or_else(|| err("no `package` declaration".to_owned()))?;
    let block = metadata_block(&lines, package_line);

    if package.starts_with(LIB_PACKAGE_PREFIX)
        && matches!(
            package.as_bytes().get(LIB_PACKAGE_PREFIX.len()),
            None | Some(b'.')
        )
    {
        return Ok(ModuleKind::Library);
    }
    let Some(name) = package.strip_prefix(RULE_PACKAGE_PREFIX) else {
        // A helper module in a user package. A METADATA block naming a rule ID means the author
        // meant a rule, so say why it would be ignored.
        if block
            .as_deref()
            .is_some_and(|b| b.contains("id:") && b.contains("custom:"))
        {
            return Err(err(format!(
                "package `{package}` has rule METADATA but rules must be in package `{RULE_PACKAGE_PREFIX}<name>`"
            )));
        }
        return Ok(ModuleKind::Library);
    };
    if name.is_empty() {
        return Err(err(format!(
            "package `{package}` needs a rule name after `{RULE_PACKAGE_PREFIX}`"
        )));
    }
    let block = block.ok_or_else(|| {
        err(format!("package `{package}` has no `# METADATA` comment block directly above the `package` line"))
    })?;
    parse_metadata(&block, package)
        .map(ModuleKind::Rule)
        .map_err(err)
}

/// The name of the module's `package` declaration, if it has one.
pub(crate) fn package_of(text: &str) -> Option<&str> {
    let lines: Vec<&str> = text.lines().collect();
    find_package(&lines).map(|(_, name)| name)
}

/// The 0-based line index and name of the `package` declaration.
fn find_package<'a>(lines: &[&'a str]) -> Option<(usize, &'a str)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let rest = line.trim_start().strip_prefix("package")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let name = rest.trim_start();
        let end = name
            .find(|c: char| c.is_whitespace() || c == '#')
            .unwrap_or(name.len());
        let name = name.get(..end)?;
        (!name.is_empty()).then_some((i, name))
    })
}

/// The YAML text of the METADATA block ending right above line `package_line`, if any.
fn metadata_block(lines: &[&str], package_line: usize) -> Option<String> {
    let above = lines.get(..package_line)?;
    let comments: Vec<&str> = above
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with('#'))
        .collect();
    // `comments` runs bottom-up; find the nearest `# METADATA` marker.
    let marker = comments
        .iter()
        .position(|l| l.trim_start_matches('#').trim() == "METADATA")?;
    let body = comments.get(..marker)?;
    let mut yaml = String::new();
    for line in body.iter().rev() {
        let text = line.strip_prefix('#').unwrap_or(line);
        let text = text.strip_prefix(' ').unwrap_or(text);
        yaml.push_str(text);
        yaml.push('\n');
    }
    Some(yaml)
}

/// Parses and validates a METADATA block of the rule in `package`. Errors are messages.
fn parse_metadata(yaml: &str, package: &str) -> Result<RuleMeta, String> {
    let docs = Yaml::load_from_str(yaml).map_err(|e| format!("YAML error: {e}"))?;
    let doc = match docs.as_slice() {
        [doc] => doc,
        [] => return Err("empty METADATA block".to_owned()),
        _ => return Err("METADATA must be a single YAML document".to_owned()),
    };
    let top = doc.as_mapping().ok_or("METADATA must be a YAML mapping")?;

    let mut title = None;
    let mut description = None;
    let mut custom = None;
    for (key, value) in top {
        let key = key.as_str().ok_or("METADATA keys must be strings")?;
        match key {
            "title" => title = Some(string(value, "title")?),
            "description" => description = Some(string(value, "description")?),
            "custom" => custom = Some(value),
            k if IGNORED_FIELDS.contains(&k) => {}
            k => {
                return Err(format!(
                    "unknown field `{k}` (allowed: title, description, custom, {})",
                    IGNORED_FIELDS.join(", ")
                ))
            }
        }
    }
    let custom = custom.ok_or("missing required field `custom`")?;
    let custom = custom.as_mapping().ok_or("`custom` must be a mapping")?;

    let mut id = None;
    let mut severity = None;
    let mut best_practices = None;
    let mut resource_types = None;
    let mut recommended_action = None;
    let mut masks_secrets = false;
    for (key, value) in custom {
        let key = key.as_str().ok_or("keys under `custom` must be strings")?;
        match key {
            "id" => id = Some(string(value, "custom.id")?),
            "severity" => severity = Some(parse_severity(value)?),
            "best_practices" => best_practices = Some(string_list(value, "custom.best_practices")?),
            "resource_types" => resource_types = Some(string_list(value, "custom.resource_types")?),
            "recommended_action" => {
                recommended_action = Some(string(value, "custom.recommended_action")?);
            }
            "masks_secrets" => {
                masks_secrets = value
                    .as_bool()
                    .ok_or("`custom.masks_secrets` must be true or false")?;
            }
            k => {
                return Err(format!(
                    "unknown field `custom.{k}` (allowed under custom: {})",
                    CUSTOM_FIELDS.join(", ")
                ))
            }
        }
    }
    let required = |field: &str| format!("missing required field `{field}`");
    let id = id.ok_or_else(|| required("custom.id"))?;
    if id.contains(char::is_whitespace) {
        return Err(format!("`custom.id` must not contain whitespace: {id:?}"));
    }
    let mut resource_types = resource_types.ok_or_else(|| required("custom.resource_types"))?;
    resource_types.sort();
    resource_types.dedup();
    Ok(RuleMeta {
        id,
        title: title.ok_or_else(|| required("title"))?,
        description: description.ok_or_else(|| required("description"))?,
        severity: severity.ok_or_else(|| required("custom.severity"))?,
        best_practices: best_practices.ok_or_else(|| required("custom.best_practices"))?,
        resource_types,
        recommended_action: recommended_action
            .ok_or_else(|| required("custom.recommended_action"))?,
        package: package.to_owned(),
        masks_secrets,
    })
}

/// A non-empty string scalar.
fn string(value: &Yaml<'_>, field: &str) -> Result<String, String> {
    match value.as_str() {
        Some(s) if !s.trim().is_empty() => Ok(s.trim_end().to_owned()),
        Some(_) => Err(format!("`{field}` must not be empty")),
        None => Err(format!("`{field}` must be a string")),
    }
}

/// A non-empty list of non-empty strings.
fn string_list(value: &Yaml<'_>, field: &str) -> Result<Vec<String>, String> {
    let items = value
        .as_sequence()
        .ok_or_else(|| format!("`{field}` must be a list of strings"))?;
    if items.is_empty() {
        return Err(format!("`{field}` must not be empty"));
    }
    items
        .iter()
        .map(|item| {
            string(item, field).map_err(|_| format!("`{field}` must hold non-empty strings"))
        })
        .collect()
}

fn parse_severity(value: &Yaml<'_>) -> Result<Severity, String> {
    let text = value.as_str().unwrap_or_default();
    Ok(match text {
        "critical" => Severity::Critical,
        "high" => Severity::High,
        "medium" => Severity::Medium,
        "low" => Severity::Low,
        "info" => Severity::Info,
        _ => {
            return Err(format!(
                "`custom.severity` must be one of critical, high, medium, low, info (got {text:?})"
            ))
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    const GOOD: &str = "# A comment that is not metadata\n\
# METADATA\n\
# title: RDS storage is not encrypted\n\
# description: |\n\
#   What it checks.\n\
#   Why it matters.\n\
# custom:\n\
#   id: WA-SEC08-RDS-ENCRYPTION\n\
#   severity: high\n\
#   best_practices: [SEC08-BP02]\n\
#   resource_types: [aws_db_instance, AWS::RDS::DBInstance]\n\
#   recommended_action: Set StorageEncrypted to true.\n\
package walint.rules.rds_encryption\n\
\n\
import rego.v1\n";

    fn meta(text: &str) -> RuleMeta {
        match classify("r.rego", text).unwrap() {
            ModuleKind::Rule(m) => m,
            ModuleKind::Library => panic!("not a rule"),
        }
    }

    fn error(text: &str) -> String {
        classify("r.rego", text).unwrap_err().to_string()
    }

    #[test]
    fn parses_good_metadata() {
        let m = meta(GOOD);
        assert_eq!(m.id, "WA-SEC08-RDS-ENCRYPTION");
        assert_eq!(m.title, "RDS storage is not encrypted");
        assert_eq!(m.description, "What it checks.\nWhy it matters.");
        assert_eq!(m.severity, Severity::High);
        assert_eq!(m.best_practices, ["SEC08-BP02"]);
        assert_eq!(
            m.resource_types,
            ["AWS::RDS::DBInstance", "aws_db_instance"]
        );
        assert_eq!(m.recommended_action, "Set StorageEncrypted to true.");
        assert_eq!(m.package, "walint.rules.rds_encryption");
        assert!(!m.masks_secrets);
    }

    #[test]
    fn masks_secrets_is_a_boolean() {
        let text = GOOD.replace(
            "#   recommended_action:",
            "#   masks_secrets: true\n#   recommended_action:",
        );
        assert!(meta(&text).masks_secrets);
        let text = GOOD.replace(
            "#   recommended_action:",
            "#   masks_secrets: yes please\n#   recommended_action:",
        );
        assert!(error(&text).contains("`custom.masks_secrets` must be true or false"));
    }

    #[test]
    fn ignored_opa_fields_are_accepted() {
        let text = GOOD.replace(
            "# custom:",
            "# scope: package\n# authors: [sec team]\n# custom:",
        );
        assert_eq!(meta(&text).id, "WA-SEC08-RDS-ENCRYPTION");
    }

    #[test]
    fn library_modules_need_no_metadata() {
        assert!(matches!(
            classify("l.rego", "package walint.lib.result\n").unwrap(),
            ModuleKind::Library
        ));
        assert!(matches!(
            classify("l.rego", "package walint.lib\n").unwrap(),
            ModuleKind::Library
        ));
        assert!(matches!(
            classify("l.rego", "package my.helpers\n").unwrap(),
            ModuleKind::Library
        ));
        assert!(matches!(
            classify("l.rego", "package walint.librarything\n").unwrap(),
            ModuleKind::Library
        ));
        let e = classify(
            "x.rego",
            "# METADATA\n# custom:\n#   id: X\npackage other.pkg\n",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("rules must be in package `walint.rules.<name>`"),
            "{e}"
        );
    }

    #[test]
    fn missing_field_is_named() {
        let e = error(&GOOD.replace(
            "#   recommended_action: Set StorageEncrypted to true.\n",
            "",
        ));
        assert_eq!(
            e,
            "r.rego: invalid METADATA: missing required field `custom.recommended_action`"
        );
        let e = error(&GOOD.replace("# title: RDS storage is not encrypted\n", ""));
        assert_eq!(
            e,
            "r.rego: invalid METADATA: missing required field `title`"
        );
    }

    #[test]
    fn unknown_fields_are_errors() {
        let e = error(&GOOD.replace("# custom:", "# tier: P0\n# custom:"));
        assert!(
            e.starts_with("r.rego: invalid METADATA: unknown field `tier`"),
            "{e}"
        );
        let e = error(&GOOD.replace(
            "#   severity: high",
            "#   severity: high\n#   frameworks: [cis]",
        ));
        assert!(
            e.starts_with("r.rego: invalid METADATA: unknown field `custom.frameworks`"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_are_errors() {
        let e = error(&GOOD.replace("severity: high", "severity: severe"));
        assert!(e.contains("`custom.severity` must be one of"), "{e}");
        let e = error(&GOOD.replace("[SEC08-BP02]", "[]"));
        assert!(
            e.contains("`custom.best_practices` must not be empty"),
            "{e}"
        );
        let e = error(&GOOD.replace("[aws_db_instance, AWS::RDS::DBInstance]", "aws_db_instance"));
        assert!(
            e.contains("`custom.resource_types` must be a list of strings"),
            "{e}"
        );
        let e = error(&GOOD.replace(
            "#   severity: high",
            "#   severity: high\n#   severity: low",
        ));
        assert!(e.contains("YAML error"), "{e}");
    }

    #[test]
    fn metadata_must_touch_the_package_line() {
        let e = error(&GOOD.replace("package walint", "\npackage walint"));
        assert!(e.contains("no `# METADATA` comment block"), "{e}");
        let e = error("# METADATA\n# title: x\nimport rego.v1\n");
        assert!(e.contains("no `package` declaration"), "{e}");
    }
}
