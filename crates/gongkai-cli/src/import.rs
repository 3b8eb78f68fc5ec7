//! `gongkai import documents|requests FILE.jsonl [--create-orgs] [--atomic]` (SPEC "Import
//! formats"):
//! every rejected line and every warning on stderr, each committed batch as it lands (so an
//! interrupted import says how far it got: run it again and what landed is skipped), a
//! summary on stdout, exit 1 when any line was rejected.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use gongkai_app::App;
use gongkai_app::import::{
    ImportOptions, ImportProgress, ImportReport, import_documents, import_requests,
};
use indicatif::ProgressBar;

use crate::error::{io_reason, user};
use crate::progress;

/// Opens `path` (`-` is standard input) with its length when known.
fn open(path: &Path) -> anyhow::Result<(Box<dyn BufRead>, Option<u64>)> {
    if path == Path::new("-") {
        return Ok((Box::new(std::io::stdin().lock()), None));
    }
    let cannot = |reason: String| user(format!("无法打开文件 {}：{reason}", path.display()));
    let file = File::open(path).map_err(|e| cannot(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| cannot(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(cannot("这是一个目录".to_owned()));
    }
    Ok((
        Box::new(BufReader::with_capacity(1 << 16, file)),
        Some(meta.len()),
    ))
}

/// Shows the import's progress: the bar on a terminal, each committed batch as a line on
/// stderr otherwise (a log then says where an interrupted import stopped).
fn show(bar: &ProgressBar, p: ImportProgress) {
    match p {
        ImportProgress::Read(read) => bar.set_position(read),
        ImportProgress::Committed {
            through_line,
            imported,
            skipped,
        } => {
            let line = committed_line(through_line, imported, skipped);
            if bar.is_hidden() {
                eprintln!("{line}");
            } else {
                bar.set_message(line);
            }
        }
    }
}

/// The line telling that a batch is in the database.
pub fn committed_line(through_line: usize, imported: usize, skipped: usize) -> String {
    format!("已提交至第 {through_line} 行：导入 {imported} 条，跳过 {skipped} 条")
}

/// Runs the import of documents and reports.
pub async fn documents(app: &App, path: &Path, options: ImportOptions) -> anyhow::Result<ExitCode> {
    let (reader, len) = open(path)?;
    let bar = progress::bytes(len, "导入");
    let report = import_documents(app, reader, options, |p| show(&bar, p)).await;
    bar.finish_and_clear();
    finish(report?, options)
}

/// Runs the import of information requests and reports.
pub async fn requests(app: &App, path: &Path, options: ImportOptions) -> anyhow::Result<ExitCode> {
    let (reader, len) = open(path)?;
    let bar = progress::bytes(len, "导入");
    let report = import_requests(app, reader, options, |p| show(&bar, p)).await;
    bar.finish_and_clear();
    finish(report?, options)
}

fn finish(report: ImportReport, options: ImportOptions) -> anyhow::Result<ExitCode> {
    print_problems(&report);
    print_summary(&report, options);
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_problems(report: &ImportReport) {
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for p in &report.errors {
        let _ = writeln!(err, "{p}");
    }
    for w in &report.warnings {
        let _ = writeln!(err, "警告：{w}");
    }
    // A file run again skips every line it landed before: name a few, count the rest.
    for s in report.skipped.iter().take(SKIPPED_SHOWN) {
        let _ = writeln!(err, "跳过：{s}");
    }
    if report.skipped.len() > SKIPPED_SHOWN {
        let more = report.skipped.len() - SKIPPED_SHOWN;
        let _ = writeln!(err, "跳过：另有 {more} 行，理由相同或相近");
    }
    let _ = err.flush();
}

/// Skipped lines named one by one before the rest are counted.
const SKIPPED_SHOWN: usize = 20;

/// The summary lines, as printed on stdout.
pub fn summary(report: &ImportReport, options: ImportOptions) -> Vec<String> {
    let rejected: BTreeSet<usize> = report.errors.iter().map(|p| p.line).collect();
    let mut first = format!(
        "导入 {} 条，拒绝 {} 行，警告 {} 条",
        report.imported,
        rejected.len(),
        report.warnings.len()
    );
    if !report.skipped.is_empty() {
        first.push_str(&format!("，跳过 {} 行（已导入过）", report.skipped.len()));
    }
    let mut lines = vec![first];
    if !report.created_orgs.is_empty() {
        lines.push(format!("新建机构：{}", report.created_orgs.join(", ")));
    }
    if options.atomic && !report.errors.is_empty() {
        lines.push("因 --atomic，未导入任何记录".to_owned());
    }
    lines
}

fn print_summary(report: &ImportReport, options: ImportOptions) {
    let mut out = std::io::stdout().lock();
    for line in summary(report, options) {
        let _ = writeln!(out, "{line}");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use gongkai_app::import::Problem;

    use super::*;

    fn problem(line: usize, field: &str) -> Problem {
        Problem {
            line,
            field: field.to_owned(),
            message: "有误".to_owned(),
        }
    }

    #[test]
    fn a_line_with_several_errors_counts_once() {
        let report = ImportReport {
            lines: 5,
            imported: 3,
            errors: vec![
                problem(2, "topic"),
                problem(2, "kind"),
                problem(4, "written_date"),
            ],
            warnings: vec![problem(1, "doc_number")],
            created_orgs: vec!["GLQ".into(), "LHX".into()],
            committed: true,
            skipped: vec![problem(5, "(行)")],
        };
        assert_eq!(
            summary(&report, ImportOptions::default()),
            [
                "导入 3 条，拒绝 2 行，警告 1 条，跳过 1 行（已导入过）",
                "新建机构：GLQ, LHX"
            ]
        );
    }

    #[test]
    fn atomic_says_that_nothing_was_imported() {
        let report = ImportReport {
            lines: 2,
            errors: vec![problem(2, "topic")],
            ..ImportReport::default()
        };
        let options = ImportOptions {
            atomic: true,
            create_orgs: false,
        };
        assert_eq!(
            summary(&report, options),
            [
                "导入 0 条，拒绝 1 行，警告 0 条",
                "因 --atomic，未导入任何记录"
            ]
        );
    }
}
