//! The office's annual-report page (政务公开办): the report of an organization and year with
//! every table filled from the records, the template's sums shown as holding or the failing
//! cell named, each figure of tables 三 and 四 linking to the requests it counts, the office's
//! own figures and sections entered beside the computed ones, and the DOCX and XLSX to
//! download.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::auth::Staff;
use gongkai_app::documents::Actor;
use gongkai_app::orgs::OrgTree;
use gongkai_app::report::{self, CellKey};
use gongkai_domain::Role;
use gongkai_domain::report::{AnnualReport, InvariantViolation, LAST_2019_FORMAT_YEAR};
use gongkai_domain::report_layout::{self, Source};
use serde::Deserialize;

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::layout::Layout;
use crate::public::PathOr404;
use crate::staff::LoggedIn;

/// An organization the person may report for.
struct OrgChoice {
    code: String,
    name: String,
    selected: bool,
}

/// `GET /staff/reports`.
#[derive(Template, WebTemplate)]
#[template(path = "staff/report.html")]
pub struct ReportPage {
    layout: Layout,
    orgs: Vec<OrgChoice>,
    years: Vec<(i32, bool)>,
    org: String,
    title: String,
    year: i32,
    /// The sections and tables, figures linked to their requests (escaped when built).
    body: String,
    violations: Vec<String>,
    figures: FiguresForm,
    /// The 2019 format's inputs, for report years 2019 and 2020.
    fields_2019: Option<Vec<Field2019>>,
    /// Sentences from the computed figures, to start section 一 from.
    suggested: String,
    error: Option<String>,
    /// Why publication was refused.
    publish_error: Option<String>,
    done: bool,
    /// The record of this year's report, if prepared.
    record: Option<i64>,
    /// The adjustments counted: (表, 行, 列, 调整, 理由, 由谁, 何时).
    adjustments: Vec<[String; 7]>,
    /// Choices of the adjustment form: rows (value, label) of tables 三 and 四, columns.
    adjust_rows: [Vec<(String, String)>; 2],
    adjust_columns: [Vec<(String, String)>; 2],
    /// Why an adjustment was refused.
    adjust_error: Option<String>,
    /// Whether the year is over, so its report can be published.
    publishable: bool,
}

/// The office's own figures as the form shows them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct FiguresForm {
    licensing_decisions: String,
    punishments: String,
    coercive_measures: String,
    /// 元, up to two decimals.
    fees_yuan: String,
    source: String,
    overview: String,
    problems: String,
    other: String,
    // The 2019 format's figures (report years 2019 and 2020).
    licensing_items: String,
    licensing_change: String,
    other_services_items: String,
    other_services_change: String,
    other_services_decisions: String,
    punishment_items: String,
    punishment_change: String,
    coercive_items: String,
    coercive_change: String,
    fee_items: String,
    fee_change: String,
    procurement_projects: String,
    /// 元, up to two decimals.
    procurement_yuan: String,
}

/// One input of the 2019 format's figures.
struct Field2019 {
    name: &'static str,
    label: &'static str,
    value: String,
    /// `inputmode`: a change may be negative, which a numeric keypad cannot type.
    mode: &'static str,
}

impl FiguresForm {
    fn of(f: &report::Figures) -> Self {
        FiguresForm {
            licensing_decisions: f.licensing_decisions.to_string(),
            punishments: f.punishments.to_string(),
            coercive_measures: f.coercive_measures.to_string(),
            fees_yuan: fen_to_yuan_text(f.fees_fen),
            source: f.source.clone(),
            overview: f.overview.clone(),
            problems: f.problems.clone(),
            other: f.other.clone(),
            licensing_items: f.licensing_items.to_string(),
            licensing_change: f.licensing_change.to_string(),
            other_services_items: f.other_services_items.to_string(),
            other_services_change: f.other_services_change.to_string(),
            other_services_decisions: f.other_services_decisions.to_string(),
            punishment_items: f.punishment_items.to_string(),
            punishment_change: f.punishment_change.to_string(),
            coercive_items: f.coercive_items.to_string(),
            coercive_change: f.coercive_change.to_string(),
            fee_items: f.fee_items.to_string(),
            fee_change: f.fee_change.to_string(),
            procurement_projects: f.procurement_projects.to_string(),
            procurement_yuan: fen_to_yuan_text(f.procurement_fen),
        }
    }

    /// The 2019 format's inputs, in the order of its table 二.
    fn fields_2019(&self) -> Vec<Field2019> {
        let field = |name: &'static str, label, value: &String, decimal| Field2019 {
            name,
            label,
            value: value.clone(),
            mode: if decimal {
                "decimal"
            } else if name.ends_with("_change") {
                "text"
            } else {
                "numeric"
            },
        };
        vec![
            field(
                "licensing_items",
                "行政许可：上一年项目数量",
                &self.licensing_items,
                false,
            ),
            field(
                "licensing_change",
                "行政许可：本年增/减",
                &self.licensing_change,
                false,
            ),
            field(
                "other_services_items",
                "其他对外管理服务事项：上一年项目数量",
                &self.other_services_items,
                false,
            ),
            field(
                "other_services_change",
                "其他对外管理服务事项：本年增/减",
                &self.other_services_change,
                false,
            ),
            field(
                "other_services_decisions",
                "其他对外管理服务事项：处理决定数量",
                &self.other_services_decisions,
                false,
            ),
            field(
                "punishment_items",
                "行政处罚：上一年项目数量",
                &self.punishment_items,
                false,
            ),
            field(
                "punishment_change",
                "行政处罚：本年增/减",
                &self.punishment_change,
                false,
            ),
            field(
                "coercive_items",
                "行政强制：上一年项目数量",
                &self.coercive_items,
                false,
            ),
            field(
                "coercive_change",
                "行政强制：本年增/减",
                &self.coercive_change,
                false,
            ),
            field(
                "fee_items",
                "行政事业性收费：上一年项目数量",
                &self.fee_items,
                false,
            ),
            field(
                "fee_change",
                "行政事业性收费：本年增/减",
                &self.fee_change,
                false,
            ),
            field(
                "procurement_projects",
                "政府集中采购：采购项目数量",
                &self.procurement_projects,
                false,
            ),
            field(
                "procurement_yuan",
                "政府集中采购：采购总金额（元，表中折算为万元）",
                &self.procurement_yuan,
                true,
            ),
        ]
    }
}

/// `?org=&year=&done=`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    org: String,
    year: String,
    done: String,
}

/// The organizations whose reports this person prepares (their 政务公开办 grants).
fn reportable(staff: &Staff, tree: &OrgTree) -> Vec<(i64, String, String)> {
    tree.all()
        .iter()
        .filter(|o| staff.has_role(o.id, Role::Office))
        .map(|o| (o.id, o.code.clone(), o.name.clone()))
        .collect()
}

fn forbidden() -> Response {
    ErrorPage::new(
        StatusCode::FORBIDDEN,
        "没有权限",
        "年度报告由政务公开办编制：您在任何机构都没有“政务公开办”角色。",
    )
    .into_response()
}

/// The organization and year a page is about, with the choices of its filter bar.
struct Choice {
    orgs: Vec<OrgChoice>,
    org_id: i64,
    code: String,
    name: String,
    year: i32,
    years: Vec<(i32, bool)>,
}

/// Resolves `?org=&year=` for this person: one of the organizations they prepare reports for
/// (the first when none is named) and a year from 2008 to this year (last year when none).
async fn choose(s: &AppState, staff: &Staff, org: &str, year: &str) -> Result<Choice, Response> {
    let tree = OrgTree::current(s.app())
        .await
        .map_err(|e| WebError(e).into_response())?;
    let orgs = reportable(staff, &tree);
    let Some((org_id, code, name)) = orgs
        .iter()
        .find(|o| o.1 == org)
        .or_else(|| orgs.first())
        .cloned()
    else {
        return Err(forbidden());
    };
    let this_year = s.app().today().year();
    let year = match year.trim() {
        "" => default_year(s),
        y => match y.parse::<i32>() {
            Ok(y) if (report::FIRST_YEAR..=this_year).contains(&y) => y,
            _ => {
                return Err(ErrorPage::bad_request(&format!(
                    "报告年度“{y}”无效：请选择 {} 年至 {this_year} 年。",
                    report::FIRST_YEAR
                ))
                .into_response());
            }
        },
    };
    Ok(Choice {
        orgs: orgs
            .iter()
            .map(|o| OrgChoice {
                code: o.1.clone(),
                name: o.2.clone(),
                selected: o.1 == code,
            })
            .collect(),
        org_id,
        code,
        name,
        year,
        years: (report::FIRST_YEAR..=this_year)
            .rev()
            .map(|y| (y, y == year))
            .collect(),
    })
}

/// The year a report is usually prepared for: last year.
fn default_year(s: &AppState) -> i32 {
    s.app().today().year() - 1
}

fn fen_to_yuan_text(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

/// Sentences from the computed tables, offered for section 一.
fn suggested(report: &AnnualReport) -> String {
    let t = &report.requests;
    let cell = |key: &str| {
        gongkai_domain::report::RequestRow::all()
            .find(|r| r.key() == key)
            .map_or(0, |r| t.cell(r, gongkai_domain::report::TOTAL_COLUMN))
    };
    let p = &report.proactive;
    let reviews = report.reviews.reconsideration.total;
    let suits = report.reviews.litigation_direct.total
        + report.reviews.litigation_after_reconsideration.total;
    format!(
        "{year}年，本机关主动公开规章{rules}件、行政规范性文件{docs}件，现行有效规章{rules_in}件、行政规范性文件{docs_in}件。\
         本年新收政府信息公开申请{new}件，上年结转{carried_in}件，本年度办结{done}件（其中予以公开{disclosed}件、部分公开{partial}件），\
         结转下年度继续办理{carried_out}件。因政府信息公开工作被申请行政复议{reviews}件、提起行政诉讼{suits}件。",
        year = report.year,
        rules = p.rules.issued,
        docs = p.normative_documents.issued,
        rules_in = p.rules.in_force,
        docs_in = p.normative_documents.in_force,
        new = cell("new"),
        carried_in = cell("carried_in"),
        done = cell("outcome.total"),
        disclosed = cell("outcome.disclosed"),
        partial = cell("outcome.partially_disclosed"),
        carried_out = cell("carried_out"),
    )
}

/// The address of the requests behind a figure.
fn cell_href(org: &str, year: i32, source: &Source) -> String {
    let (table, row, column) = match source {
        Source::Request { row, column } => ("3", *row, *column),
        Source::Review { block, column } => ("4", *block, *column),
    };
    format!("/staff/reports/{org}/{year}/cell?table={table}&row={row}&column={column}")
}

#[allow(clippy::too_many_arguments)]
async fn render(
    s: &AppState,
    mut layout: Layout,
    staff: &Staff,
    org: &str,
    year: &str,
    form: Option<FiguresForm>,
    error: Option<Refusal>,
    done: bool,
) -> Response {
    let (error, publish_error, adjust_error) = match error {
        Some(Refusal::Figures(e)) => (Some(e), None, None),
        Some(Refusal::Publish(e)) => (None, Some(e), None),
        Some(Refusal::Adjust(e)) => (None, None, Some(e)),
        None => (None, None, None),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let Choice {
        orgs,
        org_id,
        code,
        name,
        year,
        years,
    } = match choose(s, staff, org, year).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let this_year = s.app().today().year();
    let actor = Actor::Staff(staff);
    let (rep, violations) = match report::annual(s.app(), actor, &code, year).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let stored = match report::figures(s.app(), actor, &code, year).await {
        Ok(f) => f,
        Err(e) => return WebError(e).into_response(),
    };
    let figures = form.unwrap_or_else(|| FiguresForm::of(&stored));
    let fields_2019 = (year <= LAST_2019_FORMAT_YEAR).then(|| figures.fields_2019());
    let record = match report::existing_report(s.app(), org_id, year).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let adjustments = match report::adjustments(s.app(), actor, &code, year).await {
        Ok(a) => a
            .into_iter()
            .map(|a| {
                let (table, row, column) = cell_labels(a.table_no, &a.row_key, &a.column_key);
                [
                    table.to_owned(),
                    row,
                    column,
                    format!("{:+}", a.delta),
                    a.reason,
                    a.created_by_name.unwrap_or_else(|| "系统".to_owned()),
                    gongkai_app::format_china_time(a.created_at),
                ]
            })
            .collect(),
        Err(e) => return WebError(e).into_response(),
    };
    let body =
        gongkai_app::report_files::html_body(&rep, |source| Some(cell_href(&code, year, source)));
    ReportPage {
        layout,
        orgs,
        years,
        title: report_layout::title(&name, year),
        org: code,
        year,
        body,
        violations: violations
            .iter()
            .map(InvariantViolation::to_string)
            .collect(),
        suggested: suggested(&rep),
        figures,
        fields_2019,
        error,
        publish_error,
        adjust_error,
        adjustments,
        adjust_rows: adjust_rows(),
        adjust_columns: adjust_columns(),
        done,
        record,
        publishable: year < this_year && violations.is_empty(),
    }
    .into_response()
}

/// The page again with a form's refusal beside it, as 422.
async fn refused(
    s: &AppState,
    layout: Layout,
    staff: &Staff,
    org: &str,
    year: &str,
    form: Option<FiguresForm>,
    refusal: Refusal,
) -> Response {
    let mut r = render(s, layout, staff, org, year, form, Some(refusal), false).await;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// `GET /staff/reports?org=CODE&year=YYYY`.
pub async fn page(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Query(q): Query<ReportQuery>,
) -> Response {
    render(
        &s,
        layout,
        &staff,
        &q.org,
        &q.year,
        None,
        None,
        q.done == "saved",
    )
    .await
}

/// A whole number of a figure field, with the field named when it is not one.
fn count(label: &str, text: &str) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| format!("{label}：请填写不小于 0 的整数（现为“{t}”）"))
}

/// A signed whole number (本年增/减: `+3`, `-2`, `0`); empty is 0.
fn change(label: &str, text: &str) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.strip_prefix('+')
        .unwrap_or(t)
        .parse::<i64>()
        .map_err(|_| format!("{label}：请填写整数，增加写正数、减少写负数（现为“{t}”）"))
}

/// 元 with up to two decimals, as 分.
fn yuan_to_fen(label: &str, text: &str) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    let bad = || format!("{label}：请填写金额（元），最多两位小数（现为“{t}”）");
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().ok().filter(|n| *n >= 0).ok_or_else(bad)?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    whole
        .checked_mul(100)
        .and_then(|f| f.checked_add(frac))
        .ok_or_else(bad)
}

/// `POST /staff/reports/{org}/{year}/figures`: the office's figures and sections.
pub async fn save_figures(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, year)): PathOr404<(String, String)>,
    form: Result<Form<FiguresForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let Ok(y) = year.parse::<i32>() else {
        return ErrorPage::not_found().into_response();
    };
    let parsed = (|| {
        Ok::<_, String>(report::Figures {
            licensing_decisions: count("行政许可", &f.licensing_decisions)?,
            punishments: count("行政处罚", &f.punishments)?,
            coercive_measures: count("行政强制", &f.coercive_measures)?,
            fees_fen: yuan_to_fen("行政事业性收费", &f.fees_yuan)?,
            source: f.source.trim().to_owned(),
            overview: f.overview.trim().to_owned(),
            problems: f.problems.trim().to_owned(),
            other: f.other.trim().to_owned(),
            licensing_items: count("行政许可：上一年项目数量", &f.licensing_items)?,
            licensing_change: change("行政许可：本年增/减", &f.licensing_change)?,
            other_services_items: count(
                "其他对外管理服务事项：上一年项目数量",
                &f.other_services_items,
            )?,
            other_services_change: change(
                "其他对外管理服务事项：本年增/减",
                &f.other_services_change,
            )?,
            other_services_decisions: count(
                "其他对外管理服务事项：处理决定数量",
                &f.other_services_decisions,
            )?,
            punishment_items: count("行政处罚：上一年项目数量", &f.punishment_items)?,
            punishment_change: change("行政处罚：本年增/减", &f.punishment_change)?,
            coercive_items: count("行政强制：上一年项目数量", &f.coercive_items)?,
            coercive_change: change("行政强制：本年增/减", &f.coercive_change)?,
            fee_items: count("行政事业性收费：上一年项目数量", &f.fee_items)?,
            fee_change: change("行政事业性收费：本年增/减", &f.fee_change)?,
            procurement_projects: count("政府集中采购：采购项目数量", &f.procurement_projects)?,
            procurement_fen: yuan_to_fen("政府集中采购：采购总金额", &f.procurement_yuan)?,
        })
    })();
    let result = match parsed {
        Ok(figures) => report::set_figures(s.app(), Actor::Staff(&staff), &org, y, &figures).await,
        Err(message) => Err(gongkai_app::Error::Invalid(message)),
    };
    match result {
        Ok(()) => Redirect::to(&format!(
            "/staff/reports?org={org}&year={y}&done=saved#figures"
        ))
        .into_response(),
        Err(gongkai_app::Error::Invalid(message)) => {
            refused(
                &s,
                layout,
                &staff,
                &org,
                &year,
                Some(f),
                Refusal::Figures(message),
            )
            .await
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/reports/{org}/{year}/publish`: the report as a draft record with its DOCX,
/// into the workflow.
pub async fn publish(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, year)): PathOr404<(String, String)>,
) -> Response {
    let Ok(y) = year.parse::<i32>() else {
        return ErrorPage::not_found().into_response();
    };
    match report::prepare_publication(s.app(), Actor::Staff(&staff), &org, y).await {
        Ok(id) => Redirect::to(&format!("/staff/doc/{id}")).into_response(),
        Err(gongkai_app::Error::Invalid(message) | gongkai_app::Error::Conflict(message)) => {
            refused(
                &s,
                layout,
                &staff,
                &org,
                &year,
                None,
                Refusal::Publish(message),
            )
            .await
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// Why a form of the page was refused, shown beside that form.
enum Refusal {
    /// The office's figures.
    Figures(String),
    /// The publication.
    Publish(String),
    /// An adjustment.
    Adjust(String),
}

/// The labels of a figure: table, row and column, as the template prints them.
fn cell_labels(table: i32, row: &str, column: &str) -> (&'static str, String, String) {
    use gongkai_domain::report::{
        COLUMN_KEYS, COLUMN_LABELS, REQUEST_ROWS, REVIEW_BLOCKS, REVIEW_COLUMNS,
    };
    if table == 3 {
        (
            "表三",
            REQUEST_ROWS
                .iter()
                .find(|r| r.key == row)
                .map_or_else(|| row.to_owned(), |r| r.label.to_owned()),
            COLUMN_KEYS
                .iter()
                .position(|k| *k == column)
                .map_or_else(|| column.to_owned(), |i| COLUMN_LABELS[i].to_owned()),
        )
    } else {
        (
            "表四",
            REVIEW_BLOCKS.iter().find(|b| b.0 == row).map_or_else(
                || row.to_owned(),
                |b| match b.2 {
                    Some(p) => format!("{p}（{}）", b.1),
                    None => b.1.to_owned(),
                },
            ),
            REVIEW_COLUMNS
                .iter()
                .find(|c| c.0 == column)
                .map_or_else(|| column.to_owned(), |c| c.1.to_owned()),
        )
    }
}

/// The rows an adjustment may change: table 三's counted rows, table 四's blocks.
fn adjust_rows() -> [Vec<(String, String)>; 2] {
    use gongkai_domain::report::{REQUEST_ROWS, REVIEW_BLOCKS};
    [
        REQUEST_ROWS
            .iter()
            .filter(|r| r.key != "outcome.total")
            .map(|r| (format!("3:{}", r.key), r.label.to_owned()))
            .collect(),
        REVIEW_BLOCKS
            .iter()
            .map(|b| {
                let (_, row, _) = cell_labels(4, b.0, "");
                (format!("4:{}", b.0), row)
            })
            .collect(),
    ]
}

/// The columns an adjustment may change: table 三's applicant types, table 四's results.
fn adjust_columns() -> [Vec<(String, String)>; 2] {
    use gongkai_domain::report::{COLUMN_KEYS, COLUMN_LABELS, REVIEW_COLUMNS, TOTAL_COLUMN};
    [
        COLUMN_KEYS[..TOTAL_COLUMN]
            .iter()
            .zip(COLUMN_LABELS)
            .map(|(k, l)| (format!("3:{k}"), l.to_owned()))
            .collect(),
        REVIEW_COLUMNS
            .iter()
            .filter(|c| c.0 != "total")
            .map(|(k, l)| (format!("4:{k}"), (*l).to_owned()))
            .collect(),
    ]
}

/// The adjustment form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AdjustForm {
    row: String,
    column: String,
    delta: String,
    reason: String,
}

/// `POST /staff/reports/{org}/{year}/adjust`: a documented adjustment of a figure.
pub async fn adjust(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, year)): PathOr404<(String, String)>,
    form: Result<Form<AdjustForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let Ok(y) = year.parse::<i32>() else {
        return ErrorPage::not_found().into_response();
    };
    let parsed = (|| {
        let (table, row) = f.row.split_once(':').ok_or("请选择要调整的行")?;
        let (column_table, column) = f.column.split_once(':').ok_or("请选择要调整的列")?;
        if table != column_table {
            return Err("所选的行和列不在同一张表：表三的行配申请人类型，表四的栏配审结结果");
        }
        let delta: i64 = f
            .delta
            .trim()
            .trim_start_matches('+')
            .parse()
            .map_err(|_| "调整数：请填写整数，如 1 或 -1")?;
        Ok(gongkai_domain::report::Adjustment {
            table: if table == "4" { 4 } else { 3 },
            row: row.to_owned(),
            column: column.to_owned(),
            delta,
            reason: f.reason.clone(),
        })
    })();
    let result = match parsed {
        Ok(a) => report::adjust(s.app(), Actor::Staff(&staff), &org, y, &a).await,
        Err(m) => Err(gongkai_app::Error::Invalid(m.to_owned())),
    };
    match result {
        Ok(()) => Redirect::to(&format!(
            "/staff/reports?org={org}&year={y}&done=saved#adjust"
        ))
        .into_response(),
        Err(gongkai_app::Error::Invalid(message)) => {
            refused(
                &s,
                layout,
                &staff,
                &org,
                &year,
                None,
                Refusal::Adjust(message),
            )
            .await
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /staff/reports/{org}/{year}/cell?table=3&row=…&column=…&page=N`.
#[derive(Template, WebTemplate)]
#[template(path = "staff/report_cell.html")]
pub struct CellPage {
    layout: Layout,
    org: String,
    year: i32,
    title: String,
    list: report::CellList,
    page: i64,
    pages: i64,
    /// The query without `page`, for the pager.
    base: String,
}

/// `?table=&row=&column=&page=`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CellQuery {
    table: String,
    row: String,
    column: String,
    page: String,
}

const PER_PAGE: i64 = 50;

/// The requests behind one figure.
pub async fn cell(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, year)): PathOr404<(String, String)>,
    Query(q): Query<CellQuery>,
) -> Response {
    layout.staff_name = Some(staff.display_name.clone());
    let Ok(year) = year.parse::<i32>() else {
        return ErrorPage::not_found().into_response();
    };
    let key = match q.table.as_str() {
        "3" => CellKey::Request(q.row.clone(), q.column.clone()),
        "4" => CellKey::Review(q.row.clone(), q.column.clone()),
        _ => return ErrorPage::not_found().into_response(),
    };
    let page = q.page.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000);
    let list = match report::cell(
        s.app(),
        Actor::Staff(&staff),
        &org,
        year,
        &key,
        (page - 1) * PER_PAGE,
        PER_PAGE,
    )
    .await
    {
        Ok(l) => l,
        Err(e) => return WebError(e).into_response(),
    };
    let name = match report::org_name(s.app(), &org).await {
        Ok(n) => n,
        Err(e) => return WebError(e).into_response(),
    };
    CellPage {
        layout,
        title: report_layout::title(&name, year),
        pages: ((list.total + PER_PAGE - 1) / PER_PAGE).max(1),
        base: format!(
            "/staff/reports/{org}/{year}/cell?table={}&row={}&column={}",
            q.table, q.row, q.column
        ),
        org,
        year,
        list,
        page,
    }
    .into_response()
}

/// `GET /staff/reports/{org}/{year}/{docx|xlsx}`: the report as a file.
pub async fn file(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, year, format)): PathOr404<(String, String, String)>,
) -> Response {
    let Ok(year) = year.parse::<i32>() else {
        return ErrorPage::not_found().into_response();
    };
    let actor = Actor::Staff(&staff);
    let (rep, _) = match report::annual(s.app(), actor, &org, year).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let name = match report::org_name(s.app(), &org).await {
        Ok(n) => n,
        Err(e) => return WebError(e).into_response(),
    };
    let title = report_layout::title(&name, year);
    let (bytes, media) = match format.as_str() {
        "docx" => (
            gongkai_app::report_files::docx(&rep, &name),
            crate::letters::DOCX,
        ),
        "xlsx" => (
            gongkai_app::report_files::xlsx(&rep, &name),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return ErrorPage::not_found().into_response(),
    };
    match bytes {
        Ok(b) => crate::letters::download(b, media, &format!("{title}.{format}")),
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /staff/reports/deadlines?org=&year=`: which units have not published their report.
#[derive(Template, WebTemplate)]
#[template(path = "staff/report_deadlines.html")]
pub struct DeadlinesPage {
    layout: Layout,
    orgs: Vec<OrgChoice>,
    years: Vec<(i32, bool)>,
    org: String,
    year: i32,
    rows: Vec<report::DeadlineRow>,
    breaches: usize,
    published: usize,
}

/// The dashboard of report deadlines for an office.
pub async fn deadlines(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    Query(q): Query<ReportQuery>,
) -> Response {
    layout.staff_name = Some(staff.display_name.clone());
    let Choice {
        orgs,
        code,
        year,
        years,
        ..
    } = match choose(&s, &staff, &q.org, &q.year).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let rows = match report::deadlines(s.app(), Actor::Staff(&staff), &code, year).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    DeadlinesPage {
        layout,
        orgs,
        years,
        org: code,
        year,
        breaches: rows.iter().filter(|r| r.status.is_breach()).count(),
        published: rows
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    gongkai_domain::report::DeadlineStatus::Published { .. }
                )
            })
            .count(),
        rows,
    }
    .into_response()
}
