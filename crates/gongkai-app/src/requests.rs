//! Information request records: their storage rows (imported by [`crate::import`]) and
//! `gongkai export requests --format jsonl|csv` (SPEC "Import formats"). Applicant details
//! are personal information: they are exported only when asked for and never logged.

use std::borrow::Cow;
use std::io::Write;

use gongkai_domain::{
    Applicant, ApplicantType, LegalBasis, Outcome, Review, ReviewKind, ReviewResult, TrackingCode,
    ValidRequest,
};
use gongkai_store::requests::{self, NewRequest, NewReview, Request, ReviewRow};
use serde::Serialize;

use crate::export::csv_cell;
use crate::{App, Error, Result};

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

/// One CSV row; every text cell defused with [`csv_cell`].
#[derive(Serialize)]
struct CsvRow<'a> {
    org: Cow<'a, str>,
    tracking: Cow<'a, str>,
    applicant_type: &'a str,
    applicant_type_label: &'a str,
    received_date: String,
    due_date: String,
    outcome: &'a str,
    outcome_label: String,
    replied_date: String,
    basis: String,
    description: Cow<'a, str>,
    reviews: String,
    /// The applicant's details, only with `include_applicant` (then always present, empty
    /// when unknown, so every row has the same columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_address: Option<String>,
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
                    let detail = |f: &Option<String>| {
                        include_applicant.then(|| csv_cell(f.as_deref().unwrap_or("")).into_owned())
                    };
                    let row = CsvRow {
                        org: csv_cell(&r.org_code),
                        tracking: csv_cell(&r.tracking),
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
                        description: csv_cell(v.description.as_deref().unwrap_or("")),
                        reviews: line
                            .get("reviews")
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                        applicant_name: detail(&v.applicant.name),
                        applicant_id_number: detail(&v.applicant.id_number),
                        applicant_phone: detail(&v.applicant.phone),
                        applicant_email: detail(&v.applicant.email),
                        applicant_address: detail(&v.applicant.address),
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
