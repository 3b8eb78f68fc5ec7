//! `gongkai import documents FILE.jsonl [--create-orgs] [--atomic]` (SPEC "Import formats").
//!
//! Every line is validated whole before anything of it is written; a bad line is reported
//! with its number and reason and writes nothing. Valid lines are written in batches, a
//! transaction committed every [`COMMIT_BYTES`] of input, or with `atomic` all in one
//! transaction that is rolled back when any line failed. Index numbers are assigned in file
//! order per organization and year.

use std::collections::HashMap;
use std::io::BufRead;

use gongkai_domain::disclosure::Attribute;
use gongkai_domain::{ColumnPath, DocStatus, LineProblem, OrgKind, ValidDocument, validate_line};
use gongkai_store::orgs::Org;
use gongkai_store::{Handle, Tx, columns, documents, orgs};
use serde::Serialize;

use crate::orgs::{OrgInput, create_in};
use crate::{App, Error, Result};

/// Options of an import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Create organizations for unknown codes (named after the record's issuer).
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
    /// Organizations created by `create_orgs`.
    pub created_orgs: Vec<String>,
    /// False when `atomic` rolled everything back.
    pub committed: bool,
}

impl ImportReport {
    pub(crate) fn error(&mut self, line: usize, field: &str, message: &str) {
        self.errors.push(Problem {
            line,
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    pub(crate) fn warn(&mut self, line: usize, field: &str, message: &str) {
        self.warnings.push(Problem {
            line,
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }
}

/// The non-blank lines of an import file with their 1-based numbers: the text without its
/// line ending and a leading byte-order mark, or `None` when the line is not UTF-8.
pub(crate) struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    line_no: usize,
    read: u64,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self {
            reader,
            buf: Vec::new(),
            line_no: 0,
            read: 0,
        }
    }

    /// Bytes read so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.read
    }

    pub(crate) fn next_line(&mut self) -> Result<Option<(usize, Option<String>)>> {
        loop {
            self.buf.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::Invalid(format!("读取文件失败：{e}")))?;
            if n == 0 {
                return Ok(None);
            }
            self.read += n as u64;
            self.line_no += 1;
            let Ok(raw) = std::str::from_utf8(&self.buf) else {
                return Ok(Some((self.line_no, None)));
            };
            let raw = raw
                .trim_start_matches('\u{feff}')
                .trim_end_matches(['\n', '\r']);
            if !raw.trim().is_empty() {
                return Ok(Some((self.line_no, Some(raw.to_owned()))));
            }
        }
    }
}

const BATCH: usize = 4000;

/// Input read into one transaction before it commits.
const COMMIT_BYTES: u64 = 128 << 20;

/// A line after [`validate_line`].
enum Checked {
    NotUtf8,
    Problems(Vec<gongkai_domain::LineProblem>),
    Valid(Box<ValidDocument>, String, Vec<gongkai_domain::LineProblem>),
}

/// The next [`BATCH`] non-blank lines.
fn read_batch<R: BufRead>(lines: &mut LineReader<R>) -> Result<Vec<(usize, Option<String>)>> {
    let mut out = Vec::with_capacity(BATCH);
    while out.len() < BATCH {
        match lines.next_line()? {
            Some(line) => out.push(line),
            None => break,
        }
    }
    Ok(out)
}

/// Validates lines on a blocking thread.
fn check_lines(
    batch: Vec<(usize, Option<String>)>,
) -> tokio::task::JoinHandle<Vec<(usize, Checked)>> {
    tokio::task::spawn_blocking(move || {
        batch
            .into_iter()
            .map(|(line_no, raw)| {
                let checked = match raw {
                    None => Checked::NotUtf8,
                    Some(raw) => match validate_line(&raw) {
                        // An import brings published records: only 主动公开 ones are.
                        Ok((doc, _)) if doc.disclosure != Attribute::Proactive => {
                            Checked::Problems(vec![LineProblem {
                                field: "disclosure",
                                message: format!(
                                    "公开属性为“{}”的信息不在平台发布，不能作为已发布信息导入",
                                    doc.disclosure.label()
                                ),
                            }])
                        }
                        Ok((doc, warnings)) => {
                            let body = crate::documents::prepared_body(&doc);
                            Checked::Valid(Box::new(doc), body, warnings)
                        }
                        Err(problems) => Checked::Problems(problems),
                    },
                };
                (line_no, checked)
            })
            .collect()
    })
}

struct Pending {
    line: usize,
    doc: ValidDocument,
    /// Sanitized HTML, prepared with the line check.
    body: String,
}

struct Importer<'a> {
    app: &'a App,
    orgs: HashMap<String, Org>,
    columns: HashMap<(i64, String), i64>,
    report: ImportReport,
    /// The open transaction.
    tx: Option<Tx>,
    /// The batches written in `tx`, kept to be written again if a later one fails.
    tx_batches: Vec<Vec<Pending>>,
    /// Input bytes read into `tx`.
    tx_bytes: u64,
    /// `report.imported` and `report.created_orgs.len()` when `tx` began.
    tx_start: (usize, usize),
    atomic: bool,
    batch_counted: usize,
    orgs_before_batch: usize,
}

/// Imports documents from JSON Lines. `progress` is called with the bytes read so far.
pub async fn import_documents<R: BufRead>(
    app: &App,
    reader: R,
    opts: ImportOptions,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport> {
    let mut c = app.db().conn().await?;
    let orgs = orgs::all(&mut c)
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
    let columns = columns::all(&mut c)
        .await?
        .into_iter()
        .map(|col| ((col.org_id, col.path), col.id))
        .collect();
    drop(c);
    let mut imp = Importer {
        app,
        orgs,
        columns,
        report: ImportReport::default(),
        tx: None,
        tx_batches: Vec::new(),
        tx_bytes: 0,
        tx_start: (0, 0),
        atomic: opts.atomic,
        batch_counted: 0,
        orgs_before_batch: 0,
    };
    let mut lines = LineReader::new(reader);
    // Lines are checked on a blocking thread while the batch before them is written, so
    // parsing and the database work side by side.
    let mut checking = check_lines(read_batch(&mut lines)?);
    let mut read = 0;
    loop {
        let checked = checking
            .await
            .map_err(|e| Error::internal(format!("line check: {e}")))?;
        let done = checked.is_empty();
        let mut pending = Vec::new();
        for (line_no, result) in checked {
            imp.report.lines += 1;
            match result {
                Checked::NotUtf8 => {
                    imp.error(line_no, LineProblem::LINE, "不是有效的 UTF-8 文本");
                }
                Checked::Problems(problems) => {
                    for p in problems {
                        imp.error(line_no, p.field, &p.message);
                    }
                }
                Checked::Valid(doc, body, warnings) => {
                    for w in warnings {
                        imp.report.warnings.push(Problem {
                            line: line_no,
                            field: w.field.to_owned(),
                            message: w.message,
                        });
                    }
                    if !imp.orgs.contains_key(doc.org.as_str()) && !opts.create_orgs {
                        imp.error(
                            line_no,
                            "org",
                            &format!(
                                "机构代码 {} 不存在（如需自动创建机构，请加 --create-orgs）",
                                doc.org
                            ),
                        );
                        continue;
                    }
                    pending.push(Pending {
                        line: line_no,
                        doc: *doc,
                        body,
                    });
                }
            }
        }
        if done {
            break;
        }
        let batch_bytes = lines.bytes_read() - read;
        read = lines.bytes_read();
        checking = check_lines(read_batch(&mut lines)?);
        if let Err(e) = imp.write(pending, batch_bytes).await {
            if let Some(tx) = imp.tx.take() {
                tx.rollback().await.ok();
            }
            return Err(e);
        }
        progress(read);
    }
    progress(lines.bytes_read());
    if opts.atomic && !imp.report.errors.is_empty() {
        if let Some(tx) = imp.tx.take() {
            tx.rollback().await?;
        }
    } else {
        imp.commit().await?;
    }
    let mut report = imp.report;
    report.errors.sort_by_key(|p| p.line);
    if opts.atomic && !report.errors.is_empty() {
        report.imported = 0;
        report.created_orgs.clear();
        report.committed = false;
    } else {
        report.committed = true;
    }
    tracing::info!(
        imported = report.imported,
        errors = report.errors.len(),
        warnings = report.warnings.len(),
        "import documents"
    );
    Ok(report)
}

impl Importer<'_> {
    fn error(&mut self, line: usize, field: &str, message: &str) {
        self.report.errors.push(Problem {
            line,
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    /// Writes a batch of lines read from `bytes` of input. Batches share a transaction,
    /// committed every [`COMMIT_BYTES`] of input (only at the end when atomic): each commit
    /// writes every index page its records touched, and at a million records one batch
    /// touches most of them. Savepoints per batch would copy each of those pages once more.
    async fn write(&mut self, batch: Vec<Pending>, bytes: u64) -> Result<()> {
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
            match self.write_in(&mut tx, &batch).await {
                Ok(()) => {
                    self.tx = Some(tx);
                    self.tx_batches.push(batch);
                }
                Err(e @ Error::Unavailable(_)) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "import batch failed, retrying line by line");
                    tx.rollback().await?;
                    self.report.imported = self.tx_start.0;
                    self.report.created_orgs.truncate(self.tx_start.1);
                    self.reload().await?;
                    self.tx_bytes = 0;
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
        self.tx_bytes += bytes;
        if !self.atomic && self.tx_bytes >= COMMIT_BYTES {
            self.commit().await?;
        }
        Ok(())
    }

    /// Commits the open transaction, if any.
    async fn commit(&mut self) -> Result<()> {
        self.tx_bytes = 0;
        self.tx_batches.clear();
        if let Some(mut tx) = self.tx.take() {
            let records = self.report.imported - self.tx_start.0;
            crate::audit::record(
                &mut tx,
                self.app,
                crate::documents::Actor::System,
                "import.documents",
                "import",
                None,
                None,
                serde_json::json!({"records": records, "through_line": self.report.lines}),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Writes a batch in a transaction of its own, or when the database refuses it, each
    /// line in its own, so only the line refused is reported.
    async fn write_carefully(&mut self, batch: &[Pending]) -> Result<()> {
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
    async fn find_refused(&mut self, batch: &[Pending]) -> Result<()> {
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
        self.error(line, LineProblem::LINE, &format!("写入数据库失败：{e}"));
    }

    /// Writes lines in a transaction of their own.
    async fn write_own_tx(&mut self, lines: &[Pending]) -> Result<()> {
        let mut tx = self.app.db().begin().await?;
        self.write_in(&mut tx, lines).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets what a rolled-back write counted and cached.
    async fn undo_batch(&mut self) -> Result<()> {
        self.report.imported -= self.batch_counted;
        self.batch_counted = 0;
        self.report.created_orgs.truncate(self.orgs_before_batch);
        self.reload().await
    }

    async fn reload(&mut self) -> Result<()> {
        let mut c = self.app.db().conn().await?;
        self.orgs = orgs::all(&mut c)
            .await?
            .into_iter()
            .map(|o| (o.code.clone(), o))
            .collect();
        self.columns = columns::all(&mut c)
            .await?
            .into_iter()
            .map(|col| ((col.org_id, col.path), col.id))
            .collect();
        Ok(())
    }

    async fn write_in(&mut self, tx: &mut Tx, batch: &[Pending]) -> Result<()> {
        gongkai_store::bulk_write(tx).await?;
        let now = self.app.now();
        self.batch_counted = 0;
        self.orgs_before_batch = self.report.created_orgs.len();
        for p in batch {
            let code = p.doc.org.as_str();
            if !self.orgs.contains_key(code) {
                let input = OrgInput {
                    code: code.to_owned(),
                    name: org_name_for(p.doc.issuer.as_deref(), code),
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
        // Group by organization and year of publication, keeping file order in each group.
        let mut groups: Vec<((i64, i32), Vec<usize>)> = Vec::new();
        let mut column_ids = Vec::with_capacity(batch.len());
        for (i, p) in batch.iter().enumerate() {
            let org = self.org(p.doc.org.as_str())?;
            let org_id = org.id;
            let col = self.column(tx, org_id, &p.doc.column).await?;
            column_ids.push(col);
            let key = (org_id, p.doc.published_date.year());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        let mut numbers: Vec<Option<String>> = vec![None; batch.len()];
        for (_, idx) in &groups {
            let org = self.org(batch[idx[0]].doc.org.as_str())?.clone();
            let items: Vec<(String, time::Date)> = idx
                .iter()
                .map(|&i| (batch[i].doc.topic.code(), batch[i].doc.published_date))
                .collect();
            let got = crate::documents::allocate_index_numbers(tx, &org, &items).await?;
            for (&i, n) in idx.iter().zip(got) {
                numbers[i] = Some(n);
            }
        }
        let mut rows = Vec::with_capacity(batch.len());
        for (i, p) in batch.iter().enumerate() {
            let org = self.org(p.doc.org.as_str())?;
            rows.push(crate::documents::new_row_with_body(
                &p.doc,
                org,
                column_ids[i],
                DocStatus::Published,
                numbers[i].take(),
                p.body.clone(),
            ));
        }
        documents::insert_many(tx, &rows, now).await?;
        self.report.imported += rows.len();
        self.batch_counted = rows.len();
        Ok(())
    }

    fn org(&self, code: &str) -> Result<&Org> {
        self.orgs
            .get(code)
            .ok_or_else(|| Error::internal(format!("organization {code} vanished during import")))
    }

    async fn column(&mut self, tx: &mut Tx, org_id: i64, path: &ColumnPath) -> Result<i64> {
        let key = (org_id, path.to_string());
        if let Some(id) = self.columns.get(&key) {
            return Ok(*id);
        }
        let id = ensure_column(tx, org_id, path).await?;
        self.columns.insert(key, id);
        Ok(id)
    }
}

/// The id of the column `path` of an organization, creating a missing second level under
/// its unified first level.
pub async fn ensure_column(h: &mut impl Handle, org_id: i64, path: &ColumnPath) -> Result<i64> {
    let first = columns::ensure(h, org_id, None, path.first(), path.first(), 99, true).await?;
    match path.second() {
        None => Ok(first.id),
        Some(second) => {
            let full = path.to_string();
            let existing = columns::of_org(h, org_id).await?;
            if let Some(c) = existing.iter().find(|c| c.path == full) {
                return Ok(c.id);
            }
            let position = existing
                .iter()
                .filter(|c| c.parent_id == Some(first.id))
                .count() as i64;
            Ok(
                columns::ensure(h, org_id, Some(first.id), second, &full, position, false)
                    .await?
                    .id,
            )
        }
    }
}

/// The name of an organization created for an unknown code: the issuer, or its first organ
/// when several issued jointly (最高人民法院、最高人民检察院); the code when that is unusable.
fn org_name_for(issuer: Option<&str>, code: &str) -> String {
    issuer
        .and_then(|i| i.split('、').next())
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().count() <= 100)
        .unwrap_or(code)
        .to_owned()
}
