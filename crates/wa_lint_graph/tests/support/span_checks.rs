//! Span checks shared by the property tests of the front ends (included with `#[path]` from
//! `crates/wa_lint_cfn/tests/props_spans.rs` and `crates/wa_lint_terraform/tests/props_spans.rs`):
//! every span and diagnostic range lies inside the file it names, on character boundaries, and
//! `LineIndex` agrees with a naive line/column count.

use proptest::prelude::*;
use wa_lint_graph::ParseOutput;
use wa_lint_source::{Level, LineCol, SourceFile, TextRange};

/// Line and column counted from scratch (lines end at `\n`, columns count characters).
pub fn naive_line_col(text: &str, offset: usize) -> LineCol {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: u32::try_from(before.matches('\n').count() + 1).unwrap(),
        column: u32::try_from(before[line_start..].chars().count() + 1).unwrap(),
    }
}

/// `range` lies inside `file`, starts and ends on character boundaries, and `LineIndex` agrees
/// with the naive line/column at both ends.
pub fn check_range(file: &SourceFile, range: TextRange, what: &str) -> Result<(), TestCaseError> {
    let (start, end) = (range.start as usize, range.end as usize);
    let text = &*file.text;
    prop_assert!(
        start <= end && end <= text.len(),
        "{what}: {start}..{end} outside {} ({} bytes)",
        file.path,
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {start}..{end} not on character boundaries of {}",
        file.path
    );
    for offset in [start, end] {
        prop_assert_eq!(
            file.line_col(u32::try_from(offset).unwrap()),
            naive_line_col(text, offset),
            "{}: line/column of offset {}",
            what,
            offset
        );
    }
    Ok(())
}

/// Every span of the graphs and every diagnostic range of `out`, in the file it names.
pub fn check_output(files: &[SourceFile], out: &ParseOutput) -> Result<(), TestCaseError> {
    let graphs = out
        .graph
        .iter()
        .chain(out.scenarios.iter().map(|s| &s.graph));
    for g in graphs {
        for (what, span) in g.spans() {
            let file = files.iter().find(|f| f.id == span.file);
            prop_assert!(file.is_some(), "{}: unknown file {:?}", what, span.file);
            check_range(file.unwrap(), span.range, &what)?;
        }
    }
    for d in &out.diagnostics {
        let file = files
            .iter()
            .find(|f| Some(f.path.as_str()) == d.path.as_deref());
        prop_assert!(file.is_some(), "diagnostic outside the files: {:?}", d);
        let file = file.unwrap();
        if d.level == Level::Error {
            prop_assert!(d.range.is_some(), "error without a location: {:?}", d);
        }
        if let Some(r) = d.range {
            check_range(file, r, &format!("diagnostic {}", d.code))?;
        }
        for (r, label) in &d.related {
            check_range(file, *r, &format!("diagnostic {} related {label}", d.code))?;
        }
    }
    Ok(())
}
