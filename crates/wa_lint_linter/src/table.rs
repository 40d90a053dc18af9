//! The file table a report keeps: every file read as a [`FileEntry`] (path, format, length),
//! and the text and line index of only the files the report refers to (a finding's location
//! or related location, a diagnostic's path), read again once the findings are known; so what
//! a report holds of the files grows with what it reports, not with the files read.

use std::collections::BTreeSet;

use wa_lint_source::{Format, LazyFile, Level, SourceFile};

use crate::LintReport;

/// One file read by the scan, without its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileEntry {
    /// Path relative to the scan root, with `/` separators (as written in reports).
    pub path: String,
    /// How the file was read.
    pub format: Format,
    /// Length of the file's text in bytes (UTF-8, after decoding and without a byte-order
    /// mark; SARIF `artifacts[].length`).
    pub len: usize,
}

impl FileEntry {
    /// The entry of a file that was read.
    pub fn of(file: &SourceFile) -> Self {
        Self {
            path: file.path.clone(),
            format: file.format,
            len: file.text.len(),
        }
    }

    /// The entry of a file of a scan, without reading it again.
    pub fn of_lazy(file: &LazyFile) -> Self {
        Self {
            path: file.path.clone(),
            format: file.format,
            len: file.len(),
        }
    }
}

/// Lists in `report.sources`, in id order, the files among `files` that a finding (its
/// location or a related location) or a diagnostic points at, and reads into `report.files`
/// those a diagnostic points at; `report.table` keeps every file read. A file that can no
/// longer be read as first read gets its diagnostic instead.
pub(crate) fn read_reported(report: &mut LintReport, files: &[LazyFile]) {
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for f in &report.findings {
        reported.insert(&f.location.path);
        reported.extend(f.related.iter().map(|r| r.location.path.as_str()));
    }
    let diagnosed: BTreeSet<&str> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.path.as_deref())
        .collect();
    // Files already reported as vanished or changed need no second word.
    let unread: BTreeSet<&str> = report
        .diagnostics
        .iter()
        .filter(|d| LazyFile::is_unread(d))
        .filter_map(|d| d.path.as_deref())
        .collect();
    let mut problems = Vec::new();
    for file in files {
        let path = file.path.as_str();
        if !reported.contains(path) && !diagnosed.contains(path) {
            continue;
        }
        report.sources.push(file.clone());
        if diagnosed.contains(path) {
            match file.load() {
                Ok(file) => report.files.push(file),
                Err(_) if unread.contains(path) => {}
                Err(problem) => problems.push(LazyFile::unread(
                    *problem,
                    Level::Warning,
                    "the diagnostics on it are shown without lines and columns",
                )),
            }
        }
    }
    if !problems.is_empty() {
        report.diagnostics.extend(problems);
        report.diagnostics.sort();
        report.diagnostics.dedup();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::path::PathBuf;

    use wa_lint_rules::RulePack;

    use crate::Options;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wa-lint-table-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const OPEN_SSH: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n";
    const CLEAN: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n";

    const BROKEN: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n";
    const TF: &str =
        "resource \"aws_sns_topic\" \"t\" {\n  kms_master_key_id = \"alias/aws/sns\"\n}\n";

    /// After a scan, the report holds the text of the files with findings or diagnostics only;
    /// every file read stays in the table with its length. With and without the cache.
    #[test]
    fn texts_of_files_without_findings_are_not_kept() {
        let dir = scratch("scan");
        std::fs::write(dir.join("open.yaml"), OPEN_SSH).unwrap();
        std::fs::write(dir.join("broken.yaml"), BROKEN).unwrap();
        std::fs::create_dir_all(dir.join("quiet")).unwrap();
        for i in 0..5 {
            std::fs::write(dir.join(format!("quiet/clean{i}.yaml")), CLEAN).unwrap();
        }
        std::fs::write(dir.join("quiet/notes.json"), "{\"a\": 1}\n").unwrap();
        std::fs::create_dir_all(dir.join("child")).unwrap();
        std::fs::write(dir.join("child/main.tf"), TF).unwrap();
        let pack = RulePack::load(&[]).unwrap();
        let cache_dir = scratch("cache");
        // No cache, cold cache, warm cache.
        for cache in [false, true, true] {
            let options = Options {
                threads: 1,
                cache: cache.then(|| crate::CacheOptions {
                    dir: cache_dir.clone(),
                    rules_digest: "test".into(),
                }),
                ..Options::default()
            };
            let report = crate::lint(std::slice::from_ref(&dir), &pack, &options).unwrap();
            // Texts: the file a diagnostic points at; the file with a finding is listed and
            // read again only for the formats that show source lines.
            let held: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
            assert_eq!(held, ["broken.yaml"], "cache {cache}");
            let listed: Vec<&str> = report.sources.iter().map(|f| f.path.as_str()).collect();
            assert_eq!(listed, ["broken.yaml", "open.yaml"], "cache {cache}");
            let read: Vec<(String, String)> = report
                .read_sources()
                .into_iter()
                .map(|f| (f.path, f.text.to_string()))
                .collect();
            assert_eq!(read, [("open.yaml".to_owned(), OPEN_SSH.to_owned())]);
            // Nothing else of the run still holds a text.
            for f in &report.files {
                assert_eq!(std::sync::Arc::strong_count(&f.text), 1, "{}", f.path);
            }
            assert!(report
                .findings
                .iter()
                .any(|f| f.location.path == "open.yaml"));
            assert!(report
                .diagnostics
                .iter()
                .any(|d| d.path.as_deref() == Some("broken.yaml")));
            let mut table: Vec<(&str, usize)> = report
                .table
                .iter()
                .map(|e| (e.path.as_str(), e.len))
                .collect();
            table.sort_unstable();
            let mut expected = vec![
                ("broken.yaml", BROKEN.len()),
                ("child/main.tf", TF.len()),
                ("open.yaml", OPEN_SSH.len()),
                ("quiet/notes.json", 9),
            ];
            expected.extend(
                [
                    "quiet/clean0.yaml",
                    "quiet/clean1.yaml",
                    "quiet/clean2.yaml",
                ]
                .into_iter()
                .chain(["quiet/clean3.yaml", "quiet/clean4.yaml"])
                .map(|p| (p, CLEAN.len())),
            );
            expected.sort_unstable();
            assert_eq!(table, expected, "cache {cache}");
            assert_eq!(report.stats.files, 9);
            assert_eq!(
                report.stats.bytes,
                expected.iter().map(|(_, n)| n).sum::<usize>()
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&cache_dir);
    }

    /// A file a diagnostic points at that changed after the scan read it: the report gets a
    /// `source::changed` warning instead of a text its ranges do not fit.
    #[test]
    fn a_reported_file_that_changed_since_the_scan_is_a_diagnostic() {
        use wa_lint_source::{Diagnostic, FileId, Format, LazyFile, Level, SourceFile};
        let dir = scratch("changed");
        let abs = dir.join("broken.yaml");
        std::fs::write(&abs, BROKEN).unwrap();
        let first = SourceFile::new(FileId(0), "broken.yaml", BROKEN, Format::Yaml);
        let files = [LazyFile::on_disk(&first, abs.clone(), 1 << 20)];
        let mut report = crate::LintReport {
            diagnostics: vec![Diagnostic::error("cfn::syntax", "broken.yaml", None, "bad")],
            ..crate::LintReport::default()
        };
        std::fs::write(&abs, CLEAN).unwrap();
        super::read_reported(&mut report, &files);
        let codes: Vec<(&str, Level)> = report
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.level))
            .collect();
        assert_eq!(
            codes,
            [
                ("cfn::syntax", Level::Error),
                ("source::changed", Level::Warning)
            ]
        );
        assert_eq!(
            report.diagnostics[1].message,
            "file changed while it was being scanned; the diagnostics on it are shown without lines and columns"
        );
        assert!(report.files.is_empty());
        assert_eq!(report.sources.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
