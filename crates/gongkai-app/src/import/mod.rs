//! `gongkai import documents|requests FILE.jsonl [--create-orgs] [--atomic]` (SPEC "Import
//! formats"): one pipeline for every kind of record.
//!
//! Every line is validated whole before anything of it is written; a bad line is reported
//! with its number and reason and writes nothing. Valid lines are written in batches, a
//! transaction committed with its entry in the audit chain and reported
//! ([`ImportProgress::Committed`]) every `import_commit_mb` of input (128 MB: a commit writes
//! every index page its records touched, and the import key's index is touched all over),
//! or with `atomic` all in one transaction that is rolled back when any line failed. A
//! batch the database refuses is written again line by line, so only the refused line is
//! reported. A line that is a record imported before (same organization and key) is skipped
//! and reported, so an interrupted import is run again to completion with nothing doubled
//! and no 索引号 skipped. What differs between records (the line's validation, checks
//! against the database, the rows written) is a [`Kind`].

mod documents;
mod requests;

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use gongkai_domain::{LineProblem, OrgKind};
use gongkai_store::orgs::Org;
use gongkai_store::{Tx, orgs};
use serde::Serialize;

pub use documents::import_documents;
pub use requests::import_requests;

use crate::orgs::{OrgInput, create_in};
use crate::{App, Error, Result};

/// Options of an import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Create organizations for unknown codes.
    pub create_orgs: bool,
    /// All or nothing: any bad line and nothing is imported.
    pub atomic: bool,
}

/// A problem with one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line number.
    pub line: usize,
    /// The JSON key concerned, or `(行)`.
    pub field: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第 {} 行 {}：{}", self.line, self.field, self.message)
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    /// Non-blank lines read.
    pub lines: usize,
    /// Records written.
    pub imported: usize,
    /// Lines refused, with every reason.
    pub errors: Vec<Problem>,
    /// Records written with a remark (e.g. an unrecognized 发文字号 kept as written).
    pub warnings: Vec<Problem>,
    /// Lines not written because their record is already there (imported before, or
    /// earlier in the file).
    pub skipped: Vec<Problem>,
    /// Organizations created by `create_orgs`.
    pub created_orgs: Vec<String>,
    /// False when `atomic` rolled everything back.
    pub committed: bool,
}

/// What an import tells as it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// Bytes of the file read so far.
    Read(u64),
    /// Every line through `through_line` is settled in the database: written, skipped or
    /// refused. Run again after an interruption, the import skips what was written.
    Committed {
        /// The last line of the batch committed (1-based).
        through_line: usize,
        /// Records written so far.
        imported: usize,
        /// Lines skipped so far.
        skipped: usize,
    },
}

/// The limits an import holds lines to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// The longest line, in bytes.
    pub max_line_bytes: usize,
    /// The largest body of a record (`body_html` or `body_text`), in bytes.
    pub max_body_bytes: usize,
    /// Input read into one transaction before it commits, in bytes.
    pub commit_bytes: u64,
}

impl ImportLimits {
    /// The limits of the application's settings.
    pub fn of(app: &App) -> Self {
        let s = app.settings();
        let kb = |n: u32| {
            usize::try_from(n)
                .unwrap_or(usize::MAX)
                .saturating_mul(1024)
        };
        ImportLimits {
            max_line_bytes: kb(s.import_max_line_kb),
            max_body_bytes: kb(s.max_body_kb),
            commit_bytes: u64::from(s.import_commit_mb.max(1)) << 20,
        }
    }
}

impl ImportReport {
    fn error(&mut self, line: usize, field: &str, message: &str) {
        self.errors.push(Problem {
            line,
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    fn skip(&mut self, line: usize, message: &str) {
        self.warnings.retain(|w| w.line != line);
        self.skipped.push(Problem {
            line,
            field: LineProblem::LINE.to_owned(),
            message: message.to_owned(),
        });
    }

    fn warn(&mut self, line: usize, field: &str, message: &str) {
        self.warnings.push(Problem {
            line,
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }
}

/// A line's validation, as a kind of record does it (on a blocking thread).
type Checker<T> = Arc<dyn Fn(&str) -> Result<Valid<T>, Vec<LineProblem>> + Send + Sync>;

/// A line that passed its validation.
pub(crate) struct Valid<T> {
    item: T,
    /// Remarks kept with the record.
    warnings: Vec<LineProblem>,
}

impl<T> Valid<T> {
    fn new(item: T, warnings: Vec<LineProblem>) -> Self {
        Self { item, warnings }
    }
}

/// A valid line waiting to be written.
pub(crate) struct Pending<T> {
    line: usize,
    item: T,
}

/// Why a valid line is not written.
pub(crate) enum Refusal {
    /// It breaks a rule: the line is refused.
    Error(LineProblem),
    /// Its record is already there: the line is skipped, with why.
    Skip(String),
}

/// What one kind of record brings to the pipeline.
pub(crate) trait Kind {
    /// A validated line.
    type Item: Send + 'static;
    /// The kind's name in the audit chain (`import.documents`) and the logs.
    const NAME: &'static str;
    /// Lines validated and written together.
    const BATCH: usize;

    /// The validation of one line.
    fn checker(&self) -> Checker<Self::Item>;

    /// The code of the organization the record belongs to.
    fn org_code(item: &Self::Item) -> &str;

    /// The name of an organization created for an unknown code.
    fn new_org_name(item: &Self::Item) -> String {
        Self::org_code(item).to_owned()
    }

    /// Checks a line against the lines before it in the file.
    fn accept(&mut self, _line: usize, _item: &Self::Item) -> Result<(), Refusal> {
        Ok(())
    }

    /// Checks a batch against the database before it is written: the lines refused or
    /// skipped, by their index in `batch`.
    async fn screen(
        &mut self,
        _tx: &mut Tx,
        _orgs: &HashMap<String, Org>,
        _batch: &[Pending<Self::Item>],
    ) -> Result<Vec<(usize, Refusal)>> {
        Ok(Vec::new())
    }

    /// Writes a batch whose organizations exist (all in `orgs`).
    async fn write(
        &mut self,
        app: &App,
        tx: &mut Tx,
        orgs: &HashMap<String, Org>,
        batch: &[Pending<Self::Item>],
    ) -> Result<()>;

    /// Forgets what the kind cached of the database after a rollback.
    async fn reload(&mut self, _app: &App) -> Result<()> {
        Ok(())
    }
}

/// One line as read.
enum RawLine {
    /// Its text, without the line ending and a leading byte-order mark.
    Text(String),
    /// Not UTF-8.
    NotUtf8,
    /// Longer than the limit: its length in bytes (read past, not kept).
    TooLong(u64),
}

/// The non-blank lines of an import file with their 1-based numbers, each held to a length
/// so that one huge line cannot take the machine's memory.
struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    line_no: usize,
    read: u64,
    max_line: usize,
}

impl<R: BufRead> LineReader<R> {
    fn new(reader: R, max_line: usize) -> Self {
        Self {
            reader,
            buf: Vec::new(),
            line_no: 0,
            read: 0,
            max_line,
        }
    }

    /// Reads through the next line ending, keeping at most `max_line` + 2 bytes of it in
    /// `buf` (room for `\r\n`); returns the line's length, 0 at the end of the file.
    fn read_line(&mut self) -> std::io::Result<u64> {
        let mut len = 0u64;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(len);
            }
            let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
                Some(at) => (at + 1, true),
                None => (chunk.len(), false),
            };
            let room = (self.max_line + 2).saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&chunk[..take.min(room)]);
            self.reader.consume(take);
            len += take as u64;
            if done {
                return Ok(len);
            }
        }
    }

    fn next_line(&mut self) -> Result<Option<(usize, RawLine)>> {
        loop {
            self.buf.clear();
            let n = self
                .read_line()
                .map_err(|e| Error::Invalid(format!("读取文件失败：{e}")))?;
            if n == 0 {
                return Ok(None);
            }
            self.read += n;
            self.line_no += 1;
            let kept = self.buf.len();
            let ending = self.buf[..kept]
                .iter()
                .rev()
                .take_while(|b| matches!(b, b'\n' | b'\r'))
                .count();
            // Only a line kept whole has its ending in `buf`.
            let content = if kept as u64 == n {
                n - ending as u64
            } else {
                n
            };
            if content > self.max_line as u64 {
                return Ok(Some((self.line_no, RawLine::TooLong(content))));
            }
            let Ok(raw) = std::str::from_utf8(&self.buf) else {
                return Ok(Some((self.line_no, RawLine::NotUtf8)));
            };
            let raw = raw
                .trim_start_matches('\u{feff}')
                .trim_end_matches(['\n', '\r']);
            if !raw.trim().is_empty() {
                return Ok(Some((self.line_no, RawLine::Text(raw.to_owned()))));
            }
        }
    }

    /// The next `n` non-blank lines.
    fn batch(&mut self, n: usize) -> Result<Vec<(usize, RawLine)>> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.next_line()? {
                Some(line) => out.push(line),
                None => break,
            }
        }
        Ok(out)
    }
}

/// A line after its validation.
type Checked<T> = (usize, Result<Valid<T>, Vec<LineProblem>>);

/// Validates lines on a blocking thread.
fn check_lines<T: Send + 'static>(
    check: Checker<T>,
    batch: Vec<(usize, RawLine)>,
    max_line: usize,
) -> tokio::task::JoinHandle<Vec<Checked<T>>> {
    tokio::task::spawn_blocking(move || {
        let whole = |message: String| {
            Err(vec![LineProblem {
                field: LineProblem::LINE,
                message,
            }])
        };
        batch
            .into_iter()
            .map(|(line_no, raw)| {
                let checked = match raw {
                    RawLine::Text(raw) => check(&raw),
                    RawLine::NotUtf8 => whole("不是有效的 UTF-8 文本".to_owned()),
                    RawLine::TooLong(n) => whole(format!(
                        "这一行有 {} KB，超过单行上限 {} KB（设置 import_max_line_kb）",
                        n.div_ceil(1024),
                        max_line / 1024
                    )),
                };
                (line_no, checked)
            })
            .collect()
    })
}

/// Imports the records of a JSON Lines file, telling `progress` how far it got.
async fn run<K: Kind, R: BufRead>(
    app: &App,
    kind: K,
    reader: R,
    opts: ImportOptions,
    mut progress: impl FnMut(ImportProgress),
) -> Result<ImportReport> {
    let limits = ImportLimits::of(app);
    let mut imp = Importer {
        app,
        kind,
        orgs: HashMap::new(),
        report: ImportReport::default(),
        tx: None,
        tx_batches: Vec::new(),
        tx_start: (0, 0),
        atomic: opts.atomic,
        batch_counted: 0,
        orgs_before_batch: 0,
    };
    imp.reload_orgs().await?;
    let check = imp.kind.checker();
    let max_line = limits.max_line_bytes;
    let mut lines = LineReader::new(reader, max_line);
    let mut committed_at = 0u64;
    // Lines are checked on a blocking thread while the batch before them is written, so
    // parsing and the database work side by side.
    let mut checking = check_lines(check.clone(), lines.batch(K::BATCH)?, max_line);
    loop {
        let checked = checking
            .await
            .map_err(|e| Error::internal(format!("line check: {e}")))?;
        let done = checked.is_empty();
        let last_line = checked.last().map_or(0, |(line_no, _)| *line_no);
        let mut pending = Vec::new();
        for (line_no, result) in checked {
            imp.report.lines += 1;
            let valid = match result {
                Err(problems) => {
                    for p in problems {
                        imp.report.error(line_no, p.field, &p.message);
                    }
                    continue;
                }
                Ok(valid) => valid,
            };
            let code = K::org_code(&valid.item);
            if !imp.orgs.contains_key(code) && !opts.create_orgs {
                let message =
                    format!("机构代码 {code} 不存在（如需自动创建机构，请加 --create-orgs）");
                imp.report.error(line_no, "org", &message);
                continue;
            }
            match imp.kind.accept(line_no, &valid.item) {
                Ok(()) => {}
                Err(Refusal::Error(p)) => {
                    imp.report.error(line_no, p.field, &p.message);
                    continue;
                }
                Err(Refusal::Skip(why)) => {
                    imp.report.skip(line_no, &why);
                    continue;
                }
            }
            for w in valid.warnings {
                imp.report.warn(line_no, w.field, &w.message);
            }
            pending.push(Pending {
                line: line_no,
                item: valid.item,
            });
        }
        if done {
            break;
        }
        let read = lines.read;
        checking = check_lines(check.clone(), lines.batch(K::BATCH)?, max_line);
        if let Err(e) = imp.write(pending).await {
            if let Some(tx) = imp.tx.take() {
                tx.rollback().await.ok();
            }
            return Err(e);
        }
        if !opts.atomic && read - committed_at >= limits.commit_bytes {
            committed_at = read;
            imp.commit(last_line).await?;
            progress(ImportProgress::Committed {
                through_line: last_line,
                imported: imp.report.imported,
                skipped: imp.report.skipped.len(),
            });
        }
        progress(ImportProgress::Read(read));
    }
    progress(ImportProgress::Read(lines.read));
    let failed = opts.atomic && !imp.report.errors.is_empty();
    if failed {
        if let Some(tx) = imp.tx.take() {
            tx.rollback().await?;
        }
    } else {
        let pending = imp.tx.is_some();
        imp.commit(lines.line_no).await?;
        if pending {
            progress(ImportProgress::Committed {
                through_line: lines.line_no,
                imported: imp.report.imported,
                skipped: imp.report.skipped.len(),
            });
        }
    }
    let mut report = imp.report;
    report.errors.sort_by_key(|p| p.line);
    report.warnings.sort_by_key(|p| p.line);
    report.skipped.sort_by_key(|p| p.line);
    if failed {
        report.imported = 0;
        report.created_orgs.clear();
    }
    report.committed = !failed;
    tracing::info!(
        kind = K::NAME,
        imported = report.imported,
        skipped = report.skipped.len(),
        errors = report.errors.len(),
        warnings = report.warnings.len(),
        "import"
    );
    Ok(report)
}

struct Importer<'a, K: Kind> {
    app: &'a App,
    kind: K,
    orgs: HashMap<String, Org>,
    report: ImportReport,
    /// The open transaction.
    tx: Option<Tx>,
    /// The batches written in `tx`, kept to be written again if a later one fails.
    tx_batches: Vec<Vec<Pending<K::Item>>>,
    /// `report.imported` and `report.created_orgs.len()` when `tx` began.
    tx_start: (usize, usize),
    atomic: bool,
    batch_counted: usize,
    orgs_before_batch: usize,
}

impl<K: Kind> Importer<'_, K> {
    /// Writes a batch of lines into the open transaction (one for the whole file when
    /// atomic), which the caller commits.
    async fn write(&mut self, batch: Vec<Pending<K::Item>>) -> Result<()> {
        if self.atomic && !self.report.errors.is_empty() {
            // Nothing will be committed: the rest of the file is only checked.
            return Ok(());
        }
        if !batch.is_empty() {
            let mut tx = match self.tx.take() {
                Some(tx) => tx,
                None => {
                    let mut tx = self.app.db().begin().await?;
                    gongkai_store::bulk_write(&mut tx).await?;
                    self.tx_start = (self.report.imported, self.report.created_orgs.len());
                    tx
                }
            };
            let batch = match self.screen(&mut tx, batch).await {
                Ok(batch) => batch,
                Err(e) => {
                    tx.rollback().await.ok();
                    return Err(e);
                }
            };
            match self.write_in(&mut tx, &batch).await {
                Ok(()) => {
                    self.tx = Some(tx);
                    self.tx_batches.push(batch);
                }
                Err(e @ Error::Unavailable(_)) => {
                    tx.rollback().await.ok();
                    return Err(e);
                }
                Err(e) => {
                    tracing::warn!(kind = K::NAME, error = %e, "import batch failed, retrying line by line");
                    tx.rollback().await?;
                    self.report.imported = self.tx_start.0;
                    self.report.created_orgs.truncate(self.tx_start.1);
                    self.reload().await?;
                    let earlier = std::mem::take(&mut self.tx_batches);
                    if self.atomic {
                        let errors = self.report.errors.len();
                        self.find_refused(&batch).await?;
                        if self.report.errors.len() == errors {
                            // Refused only together with earlier lines: name the batch's first.
                            self.refused(batch[0].line, &e);
                        }
                    } else {
                        for b in earlier.iter().chain(std::iter::once(&batch)) {
                            self.write_carefully(b).await?;
                        }
                    }
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The lines of a batch the database does not refuse beforehand; the others are errors.
    async fn screen(
        &mut self,
        tx: &mut Tx,
        batch: Vec<Pending<K::Item>>,
    ) -> Result<Vec<Pending<K::Item>>> {
        let refused = self.kind.screen(tx, &self.orgs, &batch).await?;
        if refused.is_empty() {
            return Ok(batch);
        }
        let mut refused: HashMap<usize, Refusal> = refused.into_iter().collect();
        let mut kept = Vec::with_capacity(batch.len());
        for (i, p) in batch.into_iter().enumerate() {
            match refused.remove(&i) {
                Some(Refusal::Error(problem)) => {
                    self.report.warnings.retain(|w| w.line != p.line);
                    self.report.error(p.line, problem.field, &problem.message);
                }
                Some(Refusal::Skip(why)) => self.report.skip(p.line, &why),
                None => kept.push(p),
            }
        }
        Ok(kept)
    }

    /// Commits the open transaction, if any, with its entry in the audit chain naming the
    /// last line it settles.
    async fn commit(&mut self, through_line: usize) -> Result<()> {
        self.tx_batches.clear();
        if let Some(mut tx) = self.tx.take() {
            let records = self.report.imported - self.tx_start.0;
            crate::audit::record(
                &mut tx,
                self.app,
                crate::documents::Actor::System,
                &format!("import.{}", K::NAME),
                "import",
                None,
                None,
                serde_json::json!({"records": records, "through_line": through_line}),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Writes a batch in a transaction of its own, or when the database refuses it, each
    /// line in its own, so only the line refused is reported.
    async fn write_carefully(&mut self, batch: &[Pending<K::Item>]) -> Result<()> {
        match self.write_own_tx(batch).await {
            Ok(()) => return Ok(()),
            Err(e @ Error::Unavailable(_)) => return Err(e),
            Err(_) => self.undo_batch().await?,
        }
        for p in batch {
            match self.write_own_tx(std::slice::from_ref(p)).await {
                Ok(()) => {}
                Err(e @ Error::Unavailable(_)) => return Err(e),
                Err(e) => {
                    self.undo_batch().await?;
                    self.refused(p.line, &e);
                }
            }
        }
        Ok(())
    }

    /// Finds the lines of a batch the database refuses, in a transaction rolled back after
    /// (an atomic import that failed commits nothing).
    async fn find_refused(&mut self, batch: &[Pending<K::Item>]) -> Result<()> {
        let mut tx = self.app.db().begin().await?;
        for p in batch {
            tx.savepoint().await?;
            match self.write_in(&mut tx, std::slice::from_ref(p)).await {
                Ok(()) => tx.release_savepoint().await?,
                Err(e @ Error::Unavailable(_)) => return Err(e),
                Err(e) => {
                    tx.rollback_to_savepoint().await?;
                    self.refused(p.line, &e);
                }
            }
        }
        tx.rollback().await?;
        Ok(())
    }

    fn refused(&mut self, line: usize, e: &Error) {
        self.report.warnings.retain(|w| w.line != line);
        self.report
            .error(line, LineProblem::LINE, &format!("写入数据库失败：{e}"));
    }

    /// Writes lines in a transaction of their own, with its entry in the audit chain.
    async fn write_own_tx(&mut self, lines: &[Pending<K::Item>]) -> Result<()> {
        let mut tx = self.app.db().begin().await?;
        self.write_in(&mut tx, lines).await?;
        self.tx = Some(tx);
        self.tx_start.0 = self.report.imported - self.batch_counted;
        self.commit(lines.last().map_or(0, |p| p.line)).await
    }

    /// Forgets what a rolled-back write counted and cached.
    async fn undo_batch(&mut self) -> Result<()> {
        self.report.imported -= self.batch_counted;
        self.batch_counted = 0;
        self.report.created_orgs.truncate(self.orgs_before_batch);
        self.reload().await
    }

    async fn reload(&mut self) -> Result<()> {
        self.reload_orgs().await?;
        self.kind.reload(self.app).await
    }

    async fn reload_orgs(&mut self) -> Result<()> {
        let mut c = self.app.db().conn().await?;
        self.orgs = orgs::all(&mut c)
            .await?
            .into_iter()
            .map(|o| (o.code.clone(), o))
            .collect();
        Ok(())
    }

    /// Creates the organizations a batch names that do not exist, then writes it.
    async fn write_in(&mut self, tx: &mut Tx, batch: &[Pending<K::Item>]) -> Result<()> {
        let now = self.app.now();
        self.batch_counted = 0;
        self.orgs_before_batch = self.report.created_orgs.len();
        for p in batch {
            let code = K::org_code(&p.item);
            if !self.orgs.contains_key(code) {
                let input = OrgInput {
                    code: code.to_owned(),
                    name: K::new_org_name(&p.item),
                    short_name: None,
                    kind: OrgKind::Other,
                    parent: None,
                    index_pattern: None,
                };
                let org = create_in(tx, &input, now).await?;
                self.report.created_orgs.push(org.code.clone());
                self.orgs.insert(org.code.clone(), org);
            }
        }
        self.kind.write(self.app, tx, &self.orgs, batch).await?;
        self.report.imported += batch.len();
        self.batch_counted = batch.len();
        Ok(())
    }
}

/// The organization of a record being written.
fn org<'o>(orgs: &'o HashMap<String, Org>, code: &str) -> Result<&'o Org> {
    orgs.get(code)
        .ok_or_else(|| Error::internal(format!("organization {code} vanished during import")))
}
