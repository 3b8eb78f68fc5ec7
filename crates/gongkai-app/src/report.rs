//! The annual report's numbers (条例 Art. 49–50, 国办公开办函〔2021〕30号) for an organization
//! and the units below it: table 二 from the catalog and the office's own figures, table 三
//! from the request records, table 四 from their reviews and lawsuits. The counting rules are
//! the domain's (`gongkai_domain::report`); this module only gathers the facts.

use gongkai_domain::report::{
    AnnualReport, CatalogFacts, InvariantViolation, Items2019, OfficeFigures, RequestCount,
    RuleClass,
};
use gongkai_domain::{
    ApplicantType, DocKind, FindingKind, Outcome, Review, ReviewKind, ReviewResult, Role, Validity,
};
use gongkai_store::{documents, report_figures, requests};
use time::{Date, Month};

use crate::documents::Actor;
use crate::orgs::OrgTree;
use crate::{App, Error, Result};

pub use gongkai_store::report_figures::Figures;

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
    let (tree, org) = office_org(app, actor, org_code).await?;
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
                published: d.published_date,
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
            figures.items_2019.add(&items_2019(&f));
            if *id == org.id {
                figures.overview = f.overview;
                figures.problems = f.problems;
                figures.other = f.other;
            }
        }
    }
    let mut report = gongkai_domain::report::annual_report(
        &org.code, year, requests, reviews, &catalog, &figures,
    );
    let adjustments: Vec<gongkai_domain::report::Adjustment> =
        report_figures::adjustments(&mut c, &ids, year)
            .await?
            .into_iter()
            .map(|a| gongkai_domain::report::Adjustment {
                table: u8::try_from(a.table_no).unwrap_or(0),
                row: a.row_key,
                column: a.column_key,
                delta: a.delta,
                reason: a.reason,
            })
            .collect();
    for problem in gongkai_domain::report::apply_adjustments(&mut report, &adjustments) {
        tracing::warn!(org = %org.code, year, %problem, "an adjustment of the annual report was not applied in full");
    }
    let violations = gongkai_domain::report::check(&report);
    if !violations.is_empty() {
        tracing::error!(org = %org.code, year, failures = violations.len(), "annual report does not add up");
    }
    Ok((report, violations))
}

/// The organization of a report and the tree it stands in, for its `office` only.
async fn office_org(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
) -> Result<(OrgTree, gongkai_store::orgs::Org)> {
    let tree = OrgTree::load(app).await?;
    let org = tree
        .by_code(org_code)
        .ok_or(Error::NotFound("机构"))?
        .clone();
    actor.require(org.id, Role::Office)?;
    Ok((tree, org))
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

/// A figure of table 三 or 四, named by its JSON keys (DOMAIN A5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellKey {
    /// Table 三: row and column keys.
    Request(String, String),
    /// Table 四: block and column keys.
    Review(String, String),
}

/// One request behind a figure, as the office sees it: no personal information.
#[derive(Clone, Debug)]
pub struct CellRequest {
    /// 查询码.
    pub tracking: String,
    /// The handling unit's name.
    pub org: String,
    /// 申请人情况.
    pub applicant: &'static str,
    /// 收到申请之日.
    pub received: Date,
    /// The outcome's row, when closed.
    pub outcome: Option<String>,
    /// 答复日期.
    pub replied: Option<Date>,
    /// Whether this person may open the request (a role in its unit).
    pub openable: bool,
}

/// The requests behind a figure: what it is, how many, and one page of them.
#[derive(Clone, Debug)]
pub struct CellList {
    /// The figure's name, e.g. `表三 一、本年新收政府信息公开申请数量 · 自然人`.
    pub label: String,
    /// How many requests it counts.
    pub total: i64,
    /// This page of them, by receipt day.
    pub rows: Vec<CellRequest>,
}

/// The requests a figure of `org_code`'s report for `year` counts (its `office` only), `limit`
/// from `offset`.
pub async fn cell(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
    key: &CellKey,
    offset: i64,
    limit: i64,
) -> Result<CellList> {
    use gongkai_domain::report::{
        COLUMN_KEYS, COLUMN_LABELS, REQUEST_ROWS, REVIEW_BLOCKS, REVIEW_COLUMNS, RequestCell,
        ReviewCell,
    };
    let (tree, org) = office_org(app, actor, org_code).await?;
    let ids = tree.subtree_ids(org.id);
    let mut c = app.db().conn().await?;
    let no_cell = || Error::NotFound("报表单元格");
    let (label, (rows, total)) = match key {
        CellKey::Request(row, column) => {
            let cell = RequestCell::of(year, row, column).ok_or_else(no_cell)?;
            let row_label = REQUEST_ROWS
                .iter()
                .find(|r| r.key == row)
                .map(|r| r.label)
                .ok_or_else(no_cell)?;
            let column_label = COLUMN_KEYS
                .iter()
                .position(|k| k == column)
                .map(|i| COLUMN_LABELS[i])
                .ok_or_else(no_cell)?;
            (
                format!("表三 {row_label} · {column_label}"),
                requests::cell_requests(&mut c, &ids, &cell, offset, limit).await?,
            )
        }
        CellKey::Review(block, column) => {
            let cell = ReviewCell::of(year, block, column).ok_or_else(no_cell)?;
            let (_, block_label, parent) = REVIEW_BLOCKS
                .iter()
                .find(|b| b.0 == block)
                .ok_or_else(no_cell)?;
            let column_label = REVIEW_COLUMNS
                .iter()
                .find(|c| c.0 == column)
                .map(|c| c.1)
                .ok_or_else(no_cell)?;
            let block_label = match parent {
                Some(p) => format!("{p}（{block_label}）"),
                None => (*block_label).to_owned(),
            };
            (
                format!("表四 {block_label} · {column_label}"),
                requests::review_cell_requests(&mut c, &ids, &cell, offset, limit).await?,
            )
        }
    };
    let rows = rows
        .into_iter()
        .map(|r| CellRequest {
            org: tree
                .get(r.org_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            applicant: ApplicantType::from_code(&r.applicant_type)
                .map(|a| a.label())
                .unwrap_or("（未知）"),
            received: r.received_date,
            outcome: r
                .outcome
                .as_deref()
                .and_then(|o| Outcome::from_code(o).ok())
                .map(|o| o.row_label()),
            replied: r.replied_date,
            openable: actor
                .require_in_unit(
                    r.org_id,
                    &[Role::Clerk, Role::Reviewer, Role::Approver, Role::Office],
                )
                .is_ok(),
            tracking: r.tracking,
        })
        .collect();
    Ok(CellList { label, total, rows })
}

/// The 2019 format's figures as stored (never negative where a count is meant: checked on
/// entry).
fn items_2019(f: &report_figures::Figures) -> Items2019 {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Items2019 {
        licensing: (n(f.licensing_items), f.licensing_change),
        other_services: (n(f.other_services_items), f.other_services_change),
        other_services_decisions: n(f.other_services_decisions),
        punishments: (n(f.punishment_items), f.punishment_change),
        coercive_measures: (n(f.coercive_items), f.coercive_change),
        fees: (n(f.fee_items), f.fee_change),
        procurement_projects: n(f.procurement_projects),
        procurement_fen: f.procurement_fen,
    }
}

/// The figures an office enters itself for a year (table 二's 许可, 处罚, 强制, 收费 with where
/// they come from, and sections 一, 五, 六), as entered; zeros and empty text when not yet.
pub async fn figures(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
) -> Result<report_figures::Figures> {
    let (_, org) = office_org(app, actor, org_code).await?;
    let mut c = app.db().conn().await?;
    Ok(report_figures::get(&mut c, org.id, year)
        .await?
        .unwrap_or_default())
}

/// The longest section text accepted.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// Enters the office's figures and sections for a year (its `office` only), recorded in the
/// audit chain with what changed.
pub async fn set_figures(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
    f: &report_figures::Figures,
) -> Result<()> {
    if !(FIRST_YEAR..=app.today().year()).contains(&year) {
        return Err(Error::Invalid(format!(
            "year：年份 {year} 无效：只能填写 {FIRST_YEAR} 年至今年的年度报告"
        )));
    }
    for (field, v) in [
        ("licensing_decisions", f.licensing_decisions),
        ("punishments", f.punishments),
        ("coercive_measures", f.coercive_measures),
        ("fees_fen", f.fees_fen),
        ("licensing_items", f.licensing_items),
        ("other_services_items", f.other_services_items),
        ("other_services_decisions", f.other_services_decisions),
        ("punishment_items", f.punishment_items),
        ("coercive_items", f.coercive_items),
        ("fee_items", f.fee_items),
        ("procurement_projects", f.procurement_projects),
        ("procurement_fen", f.procurement_fen),
    ] {
        if v < 0 {
            return Err(Error::Invalid(format!("{field}：不能为负数")));
        }
    }
    // 本年增/减 cannot take away more items than the list held.
    for (field, items, change) in [
        ("licensing_change", f.licensing_items, f.licensing_change),
        (
            "other_services_change",
            f.other_services_items,
            f.other_services_change,
        ),
        ("punishment_change", f.punishment_items, f.punishment_change),
        ("coercive_change", f.coercive_items, f.coercive_change),
        ("fee_change", f.fee_items, f.fee_change),
    ] {
        if items.checked_add(change).is_none_or(|n| n < 0) {
            return Err(Error::Invalid(format!(
                "{field}：本年减少 {} 项，超过上一年项目数量 {items} 项",
                change.unsigned_abs()
            )));
        }
    }
    for (field, v) in [
        ("overview", &f.overview),
        ("problems", &f.problems),
        ("other", &f.other),
        ("source", &f.source),
    ] {
        if v.chars().count() > MAX_SECTION_CHARS {
            return Err(Error::Invalid(format!(
                "{field}：不能超过 {MAX_SECTION_CHARS} 字"
            )));
        }
    }
    let (_, org) = office_org(app, actor, org_code).await?;
    let mut tx = app.db().begin().await?;
    let before = report_figures::get(&mut tx, org.id, year).await?;
    report_figures::put(&mut tx, org.id, year, f, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "report.figures",
        "org",
        Some(org.id),
        Some(org.id),
        serde_json::json!({
            "year": year,
            "before": before.as_ref().map(audited),
            "after": audited(f),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The figures of a save as the audit chain records them (the sections are not repeated).
fn audited(f: &report_figures::Figures) -> serde_json::Value {
    let mut v = serde_json::to_value(f).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        for long in ["overview", "problems", "other"] {
            map.remove(long);
        }
    }
    v
}

/// The column path a report is published under.
pub const REPORT_COLUMN_PATH: &str = "政府信息公开年度报告/年度报告";

/// Prepares the report of `org_code` for `year` for publication (its `office`): a draft in
/// the organization's 政府信息公开年度报告 column whose body is the report with its tables,
/// with the DOCX in the national layout attached. The draft then goes through the workflow
/// (经办, 审核, 签发) like any record. Refused while the tables do not add up, or while a
/// report of that year is already there (a draft, on its way, or published). Returns the
/// record's id.
pub async fn prepare_publication(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
) -> Result<i64> {
    let (report, violations) = annual(app, actor, org_code, year).await?;
    if !violations.is_empty() {
        return Err(Error::Invalid(format!(
            "勾稽关系不成立（{} 处），不能发布：{}",
            violations.len(),
            violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("；")
        )));
    }
    if year >= app.today().year() {
        return Err(Error::Invalid(format!(
            "year：{year} 年尚未结束，年度报告在次年编制发布"
        )));
    }
    let tree = OrgTree::load(app).await?;
    let org = tree.by_code(org_code).ok_or(Error::NotFound("机构"))?;
    if let Some(id) = existing_report(app, org.id, year).await? {
        return Err(Error::Conflict(format!(
            "本机关{year}年度报告已有记录（/staff/doc/{id}）：请在该记录上办理，或撤回后重新生成"
        )));
    }
    let valid = report_record(org, &report, app.today())?;
    let title = valid.title.clone();
    // The office prepares it; the draft is the unit's like any other.
    let id = crate::documents::create_draft(app, Actor::System, &valid).await?;
    let docx = crate::report_files::docx(&report, &org.name)?;
    crate::files::attach(app, Actor::System, id, &format!("{title}.docx"), docx).await?;
    keep_template_words(app, id, &report).await?;
    let mut tx = app.db().begin().await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "report.prepare",
        "document",
        Some(id),
        Some(org.id),
        serde_json::json!({"year": year, "title": title}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Keeps the scan's keyword findings that are words of the national template's labels (秘密
/// in 属于国家秘密, 内部 in 属于三类内部事务信息), where each occurs no more often in the text
/// than in those labels: a keyword the office wrote into its own sections stays for the
/// reviewer to decide.
async fn keep_template_words(app: &App, id: i64, report: &AnnualReport) -> Result<()> {
    let labels: String = gongkai_domain::report_layout::grids(report)
        .iter()
        .flat_map(|g| g.cells.iter())
        .filter(|c| c.kind != gongkai_domain::report_layout::CellKind::Number)
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let doc = {
        let mut c = app.db().conn().await?;
        gongkai_store::documents::by_id(&mut c, id)
            .await?
            .ok_or(Error::NotFound("文件"))?
    };
    let review = crate::review::for_document(app, &doc).await?;
    let texts = {
        let mut c = app.db().conn().await?;
        gongkai_store::attachments::of_document(&mut c, id).await?
    };
    let body_text = crate::body::html_to_text(&doc.body_html);
    for f in review
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Keyword && f.kept.is_none())
    {
        let Some(word) = gongkai_domain::scan::DEFAULT_KEYWORDS
            .iter()
            .find(|w| crate::review::value_hash(FindingKind::Keyword, w) == f.value_hash)
        else {
            continue;
        };
        let text = match f.source.strip_prefix("attachment:") {
            None => body_text.as_str(),
            Some(a) => texts
                .iter()
                .find(|t| t.id.to_string() == a)
                .map_or("", |t| t.text.as_str()),
        };
        let in_labels = labels.matches(word).count();
        if in_labels > 0 && text.matches(word).count() <= in_labels {
            crate::review::keep(
                app,
                Actor::System,
                id,
                &f.source,
                &f.value_hash,
                &format!("“{word}”是国家统一格式（国办公开办函〔2021〕30号）表三行名中的文字，不是密级或内部标志"),
            )
            .await?;
        }
    }
    Ok(())
}

/// The report as a record of the organization's 年度报告 column, written and published on
/// `day`: its body the sections and tables.
pub fn report_record(
    org: &gongkai_store::orgs::Org,
    report: &AnnualReport,
    day: Date,
) -> Result<gongkai_domain::document::ValidDocument> {
    let day = gongkai_domain::format_date_iso(day);
    let line = serde_json::json!({
        "org": org.code,
        "title": gongkai_domain::report_layout::title(&org.name, report.year),
        "issuer": org.name,
        "topic": "综合政务\\政务公开",
        "kind": "report",
        "written_date": day,
        "published_date": day,
        "validity": "valid",
        "column": REPORT_COLUMN_PATH,
        "body_html": crate::report_files::html_body(report, |_| None),
    });
    gongkai_domain::document::validate_line(&line.to_string())
        .map(|(valid, _)| valid)
        .map_err(|p| {
            Error::internal(format!(
                "report record does not validate: {}",
                p.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })
}

/// The record of an organization's report for a year that is not withdrawn, if any.
pub async fn existing_report(app: &App, org_id: i64, year: i32) -> Result<Option<i64>> {
    let mut c = app.db().conn().await?;
    let filter = gongkai_store::documents::Filter {
        statuses: vec![
            gongkai_domain::DocStatus::Draft,
            gongkai_domain::DocStatus::Published,
        ],
        org_ids: Some(vec![org_id]),
        report_year: Some(year),
        column_path: Some(gongkai_domain::report::REPORT_COLUMN.to_owned()),
        ..Default::default()
    };
    let (rows, _) = gongkai_store::documents::list(&mut c, &filter, 0, 1).await?;
    Ok(rows.first().map(|r| r.id))
}

/// One unit on the deadlines dashboard.
#[derive(Clone, Debug)]
pub struct DeadlineRow {
    /// The unit's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// 机关类型.
    pub kind: &'static str,
    /// When its report is due.
    pub deadline: Date,
    /// Where the report stands.
    pub status: gongkai_domain::report::DeadlineStatus,
    /// The report's record, when there is one.
    pub record: Option<i64>,
}

/// The units under `org_code` that must publish a report on `year` (its `office`), with where
/// each report stands against 31 January or 31 March (条例 Art. 49): breaches first, then by
/// deadline and code.
pub async fn deadlines(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
) -> Result<Vec<DeadlineRow>> {
    use gongkai_domain::report::{DeadlineStatus, publication_deadline};
    if !(FIRST_YEAR..=9999).contains(&year) {
        return Err(Error::Invalid(format!("year：年份 {year} 无效")));
    }
    let (tree, org) = office_org(app, actor, org_code).await?;
    let ids = tree.subtree_ids(org.id);
    let mut c = app.db().conn().await?;
    let filter = documents::Filter {
        statuses: vec![
            gongkai_domain::DocStatus::Draft,
            gongkai_domain::DocStatus::Published,
        ],
        org_ids: Some(ids.clone()),
        report_year: Some(year),
        column_path: Some(gongkai_domain::report::REPORT_COLUMN.to_owned()),
        ..Default::default()
    };
    let records = documents::page(&mut c, &filter, 0, 100_000).await?;
    let today = app.today();
    let mut rows: Vec<DeadlineRow> = ids
        .iter()
        .filter_map(|id| tree.get(*id))
        .filter_map(|o| {
            let kind = gongkai_domain::OrgKind::from_code(&o.kind).ok()?;
            let deadline = publication_deadline(kind, year)?;
            let mine: Vec<_> = records.iter().filter(|r| r.org_code == o.code).collect();
            let published = mine
                .iter()
                .filter(|r| r.status == gongkai_domain::DocStatus::Published)
                .filter_map(|r| r.published_date.map(|d| (d, r.id)))
                .min();
            let draft = mine
                .iter()
                .find(|r| r.status == gongkai_domain::DocStatus::Draft)
                .map(|r| r.id);
            Some(DeadlineRow {
                code: o.code.clone(),
                name: o.name.clone(),
                kind: kind.label(),
                deadline,
                status: DeadlineStatus::of(
                    deadline,
                    published.map(|(d, _)| d),
                    draft.is_some(),
                    today,
                ),
                record: published.map(|(_, id)| id).or(draft),
            })
        })
        .collect();
    rows.sort_by_key(|r| (!r.status.is_breach(), r.deadline, r.code.clone()));
    Ok(rows)
}

/// Records a documented adjustment of a figure of `org_code`'s report for `year` (its
/// `office`), in the audit chain with its reason. The records stay as they are.
pub async fn adjust(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
    adjustment: &gongkai_domain::report::Adjustment,
) -> Result<()> {
    if !(FIRST_YEAR..=app.today().year()).contains(&year) {
        return Err(Error::Invalid(format!("year：年份 {year} 无效")));
    }
    adjustment
        .check()
        .map_err(|(field, message)| Error::Invalid(format!("{field}：{message}")))?;
    let (_, org) = office_org(app, actor, org_code).await?;
    let mut tx = app.db().begin().await?;
    let id = report_figures::add_adjustment(
        &mut tx,
        org.id,
        year,
        i32::from(adjustment.table),
        &adjustment.row,
        &adjustment.column,
        adjustment.delta,
        adjustment.reason.trim(),
        actor.user_id(),
        app.now(),
    )
    .await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "report.adjust",
        "org",
        Some(org.id),
        Some(org.id),
        serde_json::json!({
            "adjustment": id, "year": year, "table": adjustment.table, "row": adjustment.row,
            "column": adjustment.column, "delta": adjustment.delta, "reason": adjustment.reason.trim(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The adjustments counted in `org_code`'s report for `year` (its own and its units'), for its
/// `office`.
pub async fn adjustments(
    app: &App,
    actor: Actor<'_>,
    org_code: &str,
    year: i32,
) -> Result<Vec<report_figures::AdjustmentRow>> {
    let (tree, org) = office_org(app, actor, org_code).await?;
    let mut c = app.db().conn().await?;
    Ok(report_figures::adjustments(&mut c, &tree.subtree_ids(org.id), year).await?)
}
