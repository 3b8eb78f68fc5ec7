//! The annual report's numbers (条例 Art. 49–50, 国办公开办函〔2021〕30号) for an organization
//! and the units below it: table 二 from the catalog and the office's own figures, table 三
//! from the request records, table 四 from their reviews and lawsuits. The counting rules are
//! the domain's (`gongkai_domain::report`); this module only gathers the facts.

use gongkai_domain::report::{
    AnnualReport, CatalogFacts, InvariantViolation, OfficeFigures, RequestCount, RuleClass,
};
use gongkai_domain::{
    ApplicantType, DocKind, Outcome, Review, ReviewKind, ReviewResult, Role, Validity,
};
use gongkai_store::{documents, report_figures, requests};
use time::{Date, Month};

use crate::documents::Actor;
use crate::orgs::OrgTree;
use crate::{App, Error, Result};

/// The first report year: the 条例 has applied since 2008-05-01.
pub const FIRST_YEAR: i32 = 2008;

/// The annual report of `org_code` for `year`, aggregated over its subtree, with the
/// invariants that fail (empty when the tables add up). Needs the `office` role of the
/// organization.
pub async fn annual(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
) -> Result<(AnnualReport, Vec<InvariantViolation>)> {
    if !(FIRST_YEAR..=9999).contains(&year) {
        return Err(Error::Invalid(format!(
            "年份 {year} 无效：年度报告从 {FIRST_YEAR} 年（《政府信息公开条例》施行）起"
        )));
    }
    let tree = OrgTree::load(app).await?;
    let org = tree.by_code(org_code).ok_or(Error::NotFound("机构"))?;
    actor.require(org.id, Role::Office)?;
    let ids = tree.subtree_ids(org.id);
    let (start, end) = year_bounds(year)?;
    let mut c = app.db().conn().await?;
    let requests = requests::count_rows(&mut c, &ids, year)
        .await?
        .into_iter()
        .map(|(applicant, received_year, closed_year, outcome, n)| {
            let corrupt = |v: &str| Error::internal(format!("stored request has a bad code {v:?}"));
            Ok(RequestCount {
                applicant: ApplicantType::from_code(&applicant).map_err(|_| corrupt(&applicant))?,
                received_year,
                closed: match closed_year {
                    0 => None,
                    y => Some((
                        Outcome::from_code(&outcome).map_err(|_| corrupt(&outcome))?,
                        y,
                    )),
                },
                n: u64::try_from(n).map_err(|_| Error::internal(format!("negative count {n}")))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let reviews = requests::report_reviews(&mut c, &ids, start, end)
        .await?
        .iter()
        .map(|v| {
            let corrupt = |x: &str| Error::internal(format!("stored review has a bad code {x:?}"));
            Ok(Review {
                kind: ReviewKind::from_code(&v.kind).map_err(|_| corrupt(&v.kind))?,
                filed: v.filed_date,
                decision: match (&v.result, v.decided_date) {
                    (Some(r), Some(d)) => {
                        Some((ReviewResult::from_code(r).map_err(|_| corrupt(r))?, d))
                    }
                    _ => None,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let kinds = [
        DocKind::DepartmentalRule,
        DocKind::LocalGovernmentRule,
        DocKind::NormativeDocument,
    ];
    let codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    let catalog = documents::catalog_facts(&mut c, &ids, &codes)
        .await?
        .into_iter()
        .map(|d| {
            let class = match d.kind {
                DocKind::NormativeDocument => RuleClass::NormativeDocument,
                _ => RuleClass::Rule,
            };
            let repealed = match (d.validity, d.validity_changed_on) {
                (Validity::Valid, _) => None,
                (_, Some(day)) => Some(day),
                // Out of force since a day nobody recorded (e.g. imported so): before any
                // report year, so never counted as in force nor as repealed in a year.
                (_, None) => Some(Date::MIN),
            };
            CatalogFacts {
                class,
                issued: d.written_date,
                repealed,
            }
        })
        .collect::<Vec<_>>();
    let mut figures = OfficeFigures::default();
    for id in &ids {
        if let Some(f) = report_figures::get(&mut c, *id, year).await? {
            figures.licensing_decisions += u64::try_from(f.licensing_decisions).unwrap_or(0);
            figures.punishments += u64::try_from(f.punishments).unwrap_or(0);
            figures.coercive_measures += u64::try_from(f.coercive_measures).unwrap_or(0);
            figures.fees_fen += f.fees_fen;
            if *id == org.id {
                figures.overview = f.overview;
                figures.problems = f.problems;
                figures.other = f.other;
            }
        }
    }
    let report = gongkai_domain::report::annual_report(
        &org.code, year, requests, reviews, &catalog, &figures,
    );
    let violations = gongkai_domain::report::check(&report);
    if !violations.is_empty() {
        tracing::error!(org = %org.code, year, failures = violations.len(), "annual report does not add up");
    }
    Ok((report, violations))
}

/// The name of an organization, for the report's title.
pub async fn org_name(app: &App, org_code: &str) -> Result<String> {
    let tree = OrgTree::load(app).await?;
    let org = tree.by_code(org_code).ok_or(Error::NotFound("机构"))?;
    Ok(org.name.clone())
}

fn year_bounds(year: i32) -> Result<(Date, Date)> {
    let bad = |_| Error::Invalid(format!("年份 {year} 无效"));
    Ok((
        Date::from_calendar_date(year, Month::January, 1).map_err(bad)?,
        Date::from_calendar_date(year, Month::December, 31).map_err(bad)?,
    ))
}
