//! Information request records: `gongkai import requests FILE.jsonl [--create-orgs]
//! [--atomic]` and `gongkai export requests --format jsonl|csv` (SPEC "Import formats").
//!
//! Import follows the document import's rules: every line is validated whole (fields, codes,
//! the clock events against the statutory clock, a 查询码 not already taken) before anything
//! of it is written; a bad line is reported with its number and writes nothing; `atomic`
//! writes all or nothing. The due date is computed on the calendar in force and stored.
//! Applicant details are personal information: they are exported only when asked for and
//! never logged.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};

use gongkai_domain::{
    Applicant, ApplicantType, CalendarError, ClockError, LegalBasis, LineProblem, OrgKind, Outcome,
    Review, ReviewKind, ReviewResult, TrackingCode, ValidRequest, validate_request_line,
};
use gongkai_store::orgs::Org;
use gongkai_store::requests::{self, NewRequest, NewReview, Request, ReviewRow};
use gongkai_store::{Tx, orgs};
use serde::Serialize;

use crate::import::{ImportOptions, ImportReport, LineReader};
use crate::orgs::{OrgInput, create_in};
use crate::{App, Error, Result};

const BATCH: usize = 1000;

struct Pending {
    line: usize,
    request: ValidRequest,
    due: Option<time::Date>,
    due_problem: Option<String>,
}

/// Imports requests from JSON Lines. `progress` is called with the bytes read so far.
pub async fn import_requests<R: BufRead>(
    app: &App,
    reader: R,
    opts: ImportOptions,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport> {
    let mut c = app.db().conn().await?;
    let mut known: HashMap<String, Org> = orgs::all(&mut c)
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
    drop(c);
    let calendar = app.calendar();
    let today = app.today();
    let mut report = ImportReport::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut atomic_tx = if opts.atomic {
        Some(app.db().begin().await?)
    } else {
        None
    };
    let mut lines = LineReader::new(reader);
    while let Some((line_no, raw)) = lines.next_line()? {
        report.lines += 1;
        let Some(raw) = raw else {
            report.error(line_no, LineProblem::LINE, "不是有效的 UTF-8 文本");
            continue;
        };
        let (request, warnings) = match validate_request_line(&raw) {
            Ok(ok) => ok,
            Err(problems) => {
                for p in problems {
                    report.error(line_no, p.field, &p.message);
                }
                continue;
            }
        };
        if !known.contains_key(request.org.as_str()) && !opts.create_orgs {
            report.error(
                line_no,
                "org",
                &format!(
                    "机构代码 {} 不存在（如需自动创建机构，请加 --create-orgs）",
                    request.org
                ),
            );
            continue;
        }
        if let Some(first) = seen.get(request.tracking.as_str()) {
            report.error(
                line_no,
                "tracking",
                &format!("查询码 {} 与第 {first} 行重复", request.tracking),
            );
            continue;
        }
        let events = serde_json::Value::Array(request.events.clone()).to_string();
        let (due, due_problem) = match crate::calendar::clock_input(request.received, &events)
            .and_then(|input| {
                gongkai_domain::deadline::compute(&input, &calendar, &app.settings().clock, today)
            }) {
            Ok(clock) => (Some(clock.due), None),
            Err(ClockError::Calendar(e @ CalendarError::NotLoaded { .. })) => {
                if request.closed.is_none() {
                    report.warn(line_no, "received_date", &format!("无法计算答复期限：{e}"));
                }
                (None, Some(e.to_string()))
            }
            Err(e) => {
                report.error(line_no, "events", &e.to_string());
                continue;
            }
        };
        for w in warnings {
            report.warn(line_no, w.field, &w.message);
        }
        seen.insert(request.tracking.as_str().to_owned(), line_no);
        pending.push(Pending {
            line: line_no,
            request,
            due,
            due_problem,
        });
        if pending.len() >= BATCH {
            write(
                app,
                &mut known,
                &mut report,
                &mut atomic_tx,
                std::mem::take(&mut pending),
            )
            .await?;
            progress(lines.bytes_read());
        }
    }
    write(app, &mut known, &mut report, &mut atomic_tx, pending).await?;
    progress(lines.bytes_read());
    report.errors.sort_by_key(|p| p.line);
    report.warnings.sort_by_key(|p| p.line);
    match atomic_tx {
        Some(tx) if report.errors.is_empty() => {
            tx.commit().await?;
            report.committed = true;
        }
        Some(tx) => {
            tx.rollback().await?;
            report.imported = 0;
            report.created_orgs.clear();
            report.committed = false;
        }
        None => report.committed = true,
    }
    tracing::info!(
        imported = report.imported,
        errors = report.errors.len(),
        warnings = report.warnings.len(),
        "import requests"
    );
    Ok(report)
}

/// Writes a batch: inside the atomic transaction, or in its own; a batch the database refuses
/// is written again line by line so that only the refused line is reported.
async fn write(
    app: &App,
    known: &mut HashMap<String, Org>,
    report: &mut ImportReport,
    atomic_tx: &mut Option<Tx>,
    batch: Vec<Pending>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    // Trackings already taken are line errors, not a failed batch.
    let trackings: Vec<String> = batch
        .iter()
        .map(|p| p.request.tracking.as_str().to_owned())
        .collect();
    let taken: HashSet<String> = {
        let mut c = app.db().conn().await?;
        requests::existing_trackings(&mut c, &trackings)
            .await?
            .into_iter()
            .collect()
    };
    let mut batch = batch;
    batch.retain(|p| {
        let dup = taken.contains(p.request.tracking.as_str());
        if dup {
            report.warnings.retain(|w| w.line != p.line);
            report.error(
                p.line,
                "tracking",
                &format!("查询码 {} 已存在", p.request.tracking),
            );
        }
        !dup
    });
    if let Some(tx) = atomic_tx.as_mut() {
        let created = write_in(app, tx, known, &batch).await?;
        report.created_orgs.extend(created);
        report.imported += batch.len();
        return Ok(());
    }
    match write_own_tx(app, known, &batch).await {
        Ok(created) => {
            report.created_orgs.extend(created);
            report.imported += batch.len();
            Ok(())
        }
        Err(e @ Error::Unavailable(_)) => Err(e),
        Err(e) => {
            tracing::warn!(error = %e, "request import batch failed, retrying line by line");
            reload_orgs(app, known).await?;
            for p in batch {
                let one = std::slice::from_ref(&p);
                match write_own_tx(app, known, one).await {
                    Ok(created) => {
                        report.created_orgs.extend(created);
                        report.imported += 1;
                    }
                    Err(e @ Error::Unavailable(_)) => return Err(e),
                    Err(e) => {
                        reload_orgs(app, known).await?;
                        report.warnings.retain(|w| w.line != p.line);
                        report.error(p.line, LineProblem::LINE, &format!("写入数据库失败：{e}"));
                    }
                }
            }
            Ok(())
        }
    }
}

async fn reload_orgs(app: &App, known: &mut HashMap<String, Org>) -> Result<()> {
    let mut c = app.db().conn().await?;
    *known = orgs::all(&mut c)
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
    Ok(())
}

async fn write_own_tx(
    app: &App,
    known: &mut HashMap<String, Org>,
    batch: &[Pending],
) -> Result<Vec<String>> {
    let mut tx = app.db().begin().await?;
    let created = write_in(app, &mut tx, known, batch).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates the organizations missing and inserts the batch; returns the codes created.
async fn write_in(
    app: &App,
    tx: &mut Tx,
    known: &mut HashMap<String, Org>,
    batch: &[Pending],
) -> Result<Vec<String>> {
    let now = app.now();
    let mut created = Vec::new();
    let mut rows = Vec::with_capacity(batch.len());
    for p in batch {
        let code = p.request.org.as_str();
        if !known.contains_key(code) {
            let input = OrgInput {
                code: code.to_owned(),
                name: code.to_owned(),
                short_name: None,
                kind: OrgKind::Other,
                parent: None,
                index_pattern: None,
            };
            let org = create_in(tx, &input, now).await?;
            created.push(org.code.clone());
            known.insert(org.code.clone(), org);
        }
        let org_id = known.get(code).map(|o| o.id).ok_or_else(|| {
            Error::internal(format!("organization {code} vanished during import"))
        })?;
        rows.push(new_row(&p.request, org_id, p.due, p.due_problem.clone()));
    }
    requests::insert_many(tx, &rows, now).await?;
    Ok(created)
}

/// The storage row of a validated request.
pub fn new_row(
    r: &ValidRequest,
    org_id: i64,
    due: Option<time::Date>,
    due_problem: Option<String>,
) -> NewRequest {
    let bases: Vec<&str> = r.bases.iter().map(|b| b.code()).collect();
    NewRequest {
        org_id,
        tracking: r.tracking.as_str().to_owned(),
        applicant_type: r.applicant_type.code(),
        received_date: r.received,
        outcome: r.closed.map(|(o, _)| o.code()),
        replied_date: r.closed.map(|(_, d)| d),
        bases: serde_json::to_string(&bases).unwrap_or_else(|_| "[]".to_owned()),
        applicant: serde_json::to_string(&r.applicant).unwrap_or_else(|_| "{}".to_owned()),
        description: r.description.clone(),
        events: serde_json::Value::Array(r.events.clone()).to_string(),
        due_date: due,
        due_problem,
        reviews: r
            .reviews
            .iter()
            .map(|v| NewReview {
                kind: v.kind.code(),
                filed_date: v.filed,
                result: v.decision.map(|(res, _)| res.code()),
                decided_date: v.decision.map(|(_, d)| d),
            })
            .collect(),
    }
}

/// A stored request as the domain record (the inverse of [`new_row`]).
pub fn to_valid(r: &Request, reviews: &[&ReviewRow]) -> Result<ValidRequest> {
    let corrupt = |field: &str, value: &str| {
        Error::internal(format!(
            "stored request {} has a bad {field}: {value:?}",
            r.id
        ))
    };
    let org =
        gongkai_domain::OrgCode::parse(&r.org_code).map_err(|_| corrupt("org", &r.org_code))?;
    let tracking =
        TrackingCode::parse(&r.tracking).map_err(|_| corrupt("tracking", &r.tracking))?;
    let applicant_type = ApplicantType::from_code(&r.applicant_type)
        .map_err(|_| corrupt("applicant_type", &r.applicant_type))?;
    let closed = match (&r.outcome, r.replied_date) {
        (Some(o), Some(d)) => Some((Outcome::from_code(o).map_err(|_| corrupt("outcome", o))?, d)),
        _ => None,
    };
    let bases: Vec<String> =
        serde_json::from_str(&r.bases).map_err(|_| corrupt("bases", &r.bases))?;
    let bases = bases
        .iter()
        .map(|b| LegalBasis::from_code(b).map_err(|_| corrupt("bases", b)))
        .collect::<Result<Vec<_>>>()?;
    let applicant: Applicant =
        serde_json::from_str(&r.applicant).map_err(|_| corrupt("applicant", "…"))?;
    let events = match serde_json::from_str(&r.events) {
        Ok(serde_json::Value::Array(events)) => events,
        _ => return Err(corrupt("events", &r.events)),
    };
    let reviews = reviews
        .iter()
        .map(|v| {
            let kind =
                ReviewKind::from_code(&v.kind).map_err(|_| corrupt("review kind", &v.kind))?;
            let decision = match (&v.result, v.decided_date) {
                (Some(res), Some(d)) => Some((
                    ReviewResult::from_code(res).map_err(|_| corrupt("review result", res))?,
                    d,
                )),
                _ => None,
            };
            Ok(Review {
                kind,
                filed: v.filed_date,
                decision,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ValidRequest {
        org,
        tracking,
        applicant_type,
        received: r.received_date,
        closed,
        bases,
        applicant,
        description: r.description.clone(),
        events,
        reviews,
    })
}

/// Export formats of requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The import format, one request a line (imports again).
    Jsonl,
    /// A spreadsheet-friendly table (UTF-8 with BOM) with Chinese labels beside the codes.
    Csv,
}

/// One CSV row.
#[derive(Serialize)]
struct CsvRow<'a> {
    org: &'a str,
    tracking: &'a str,
    applicant_type: &'a str,
    applicant_type_label: &'a str,
    received_date: String,
    due_date: String,
    outcome: &'a str,
    outcome_label: String,
    replied_date: String,
    basis: String,
    description: &'a str,
    reviews: String,
}

/// Writes every request (of `org_ids`, or all) to `out`; returns the number written.
/// Applicant details go out only with `include_applicant` (they are personal information).
pub async fn export_requests(
    app: &App,
    out: &mut impl Write,
    format: Format,
    org_ids: Option<&[i64]>,
    include_applicant: bool,
) -> Result<usize> {
    let io = |e: std::io::Error| Error::Invalid(format!("写出失败：{e}"));
    let mut sink = match format {
        Format::Csv => {
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
            Sink::Csv(Box::new(csv::Writer::from_writer(out)))
        }
        Format::Jsonl => Sink::Jsonl(out),
    };
    let mut c = app.db().conn().await?;
    let mut after = 0;
    let mut written = 0;
    loop {
        let page = requests::page(&mut c, org_ids, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let ids: Vec<i64> = page.iter().map(|r| r.id).collect();
        let reviews = requests::reviews_of(&mut c, &ids).await?;
        for r in &page {
            let mine: Vec<&ReviewRow> = reviews.iter().filter(|v| v.request_id == r.id).collect();
            let mut v = to_valid(r, &mine)?;
            if !include_applicant {
                v.applicant = Applicant::default();
            }
            let line = v.to_line();
            match &mut sink {
                Sink::Jsonl(out) => {
                    let text =
                        serde_json::to_string(&line).map_err(|e| Error::internal(e.to_string()))?;
                    writeln!(out, "{text}").map_err(io)?;
                }
                Sink::Csv(w) => {
                    let row = CsvRow {
                        org: &r.org_code,
                        tracking: &r.tracking,
                        applicant_type: v.applicant_type.code(),
                        applicant_type_label: v.applicant_type.label(),
                        received_date: gongkai_domain::format_date_iso(v.received),
                        due_date: r
                            .due_date
                            .map(gongkai_domain::format_date_iso)
                            .unwrap_or_default(),
                        outcome: v.closed.map_or("", |(o, _)| o.code()),
                        outcome_label: v.closed.map(|(o, _)| o.row_label()).unwrap_or_default(),
                        replied_date: v
                            .closed
                            .map(|(_, d)| gongkai_domain::format_date_iso(d))
                            .unwrap_or_default(),
                        basis: v
                            .bases
                            .iter()
                            .map(|b| b.code())
                            .collect::<Vec<_>>()
                            .join(";"),
                        description: v.description.as_deref().unwrap_or(""),
                        reviews: line
                            .get("reviews")
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                    };
                    w.serialize(&row)
                        .map_err(|e| Error::internal(e.to_string()))?;
                }
            }
            written += 1;
        }
    }
    match sink {
        Sink::Csv(mut w) => w.flush().map_err(io)?,
        Sink::Jsonl(out) => out.flush().map_err(io)?,
    }
    Ok(written)
}

enum Sink<'a, W: Write> {
    Jsonl(&'a mut W),
    Csv(Box<csv::Writer<&'a mut W>>),
}
