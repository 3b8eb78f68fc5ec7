//! 政府信息公开工作年度报告 (the annual report): the numbers of tables 二, 三 and 四 for one
//! organization and year, the checks they must pass, and the template's labels as data.
//!
//! 《中华人民共和国政府信息公开条例》 (2019):
//!
//! > 第四十九条 县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本
//! > 行政机关上一年度政府信息公开工作年度报告并向社会公布。
//! >
//! > 第五十条 政府信息公开工作年度报告应当包括下列内容：（一）行政机关主动公开政府信息的情况；
//! > （二）行政机关收到和处理政府信息公开申请的情况；（三）因政府信息公开工作被申请行政复议、
//! > 提起行政诉讼的情况；（四）政府信息公开工作存在的主要问题及改进情况，各级人民政府的政府
//! > 信息公开工作年度报告还应当包括工作考核、社会评议和责任追究结果情况；（五）其他需要报告
//! > 的事项。全国政府信息公开工作主管部门应当公布政府信息公开工作年度报告统一格式，并适时更新。
//!
//! The unified format is 国办公开办函〔2021〕30号 (《中华人民共和国政府信息公开工作年度报告格式》,
//! used from report-year 2021; DOMAIN B §3). Its table 三 carries the check "第一项加第二项之和，
//! 等于第三项加第四项之和".
//!
//! Every function here computes one organization's year from the records it is given. A report
//! over a subtree of organizations is the same function given the records of every organization
//! in the subtree; the caller chooses the records, so records of other organizations never
//! enter a table by accident.
//!
//! - [`request_table`]: table 三, counted by DOMAIN A4 in one pass.
//! - [`review_table`]: table 四, a case in the year it was filed (DOMAIN A3).
//! - [`proactive_table`]: table 二 in the 2021 format.
//! - [`annual_report`] and its JSON (DOMAIN A5); [`check`] for the template's sums.
//! - The labels: [`REQUEST_ROWS`], [`COLUMN_LABELS`], [`REVIEW_BLOCKS`], [`PROACTIVE_TABLES`],
//!   [`SECTION_HEADINGS`], for the HTML, DOCX and XLSX renderers.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use time::Date;

use crate::error::vocabulary;
use crate::request::{ApplicantType, Outcome, Review, ReviewKind, ReviewResult, ValidRequest};

// ---------------------------------------------------------------------------------------------
// The template's labels.

/// The six section headings of the report, verbatim (DOMAIN B §3).
pub const SECTION_HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The sentence reports open with, stating the statistics period.
pub fn statistics_period(year: i32) -> String {
    format!("本报告中所列数据统计期限为{year}年1月1日至12月31日。")
}

/// One sub-table of table 二 (2021 format): the caption (the 条例 article), the column headers
/// and the row labels (DOMAIN B §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveTemplate {
    /// The caption, e.g. `第二十条第（一）项`.
    pub caption: &'static str,
    /// The column headers, the first being 信息内容.
    pub columns: &'static [&'static str],
    /// The row labels.
    pub rows: &'static [&'static str],
}

/// The four sub-tables of table 二 (2021 format), in order.
pub const PROACTIVE_TABLES: [ProactiveTemplate; 4] = [
    ProactiveTemplate {
        caption: "第二十条第（一）项",
        columns: &["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        rows: &["规章", "行政规范性文件"],
    },
    ProactiveTemplate {
        caption: "第二十条第（五）项",
        columns: &["信息内容", "本年处理决定数量"],
        rows: &["行政许可"],
    },
    ProactiveTemplate {
        caption: "第二十条第（六）项",
        columns: &["信息内容", "本年处理决定数量"],
        rows: &["行政处罚", "行政强制"],
    },
    ProactiveTemplate {
        caption: "第二十条第（八）项",
        columns: &["信息内容", "本年收费金额（单位：万元）"],
        rows: &["行政事业性收费"],
    },
];

/// The five sub-tables of table 二 in the 2019 format (report years 2019 and 2020), in order
/// (DOMAIN B §3.2 note). 采购总金额 is given in 万元, like the fees of the 2021 format.
pub const PROACTIVE_TABLES_2019: [ProactiveTemplate; 5] = [
    ProactiveTemplate {
        caption: "第二十条第（一）项",
        columns: &[
            "信息内容",
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
        ],
        rows: &["规章", "规范性文件"],
    },
    ProactiveTemplate {
        caption: "第二十条第（五）项",
        columns: &["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        rows: &["行政许可", "其他对外管理服务事项"],
    },
    ProactiveTemplate {
        caption: "第二十条第（六）项",
        columns: &["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        rows: &["行政处罚", "行政强制"],
    },
    ProactiveTemplate {
        caption: "第二十条第（八）项",
        columns: &["信息内容", "上一年项目数量", "本年增/减"],
        rows: &["行政事业性收费"],
    },
    ProactiveTemplate {
        caption: "第二十条第（九）项",
        columns: &["信息内容", "采购项目数量", "采购总金额"],
        rows: &["政府集中采购"],
    },
];

/// The header over table 三's numeric columns.
pub const COLUMN_HEADER: &str = "申请人情况";
/// The merged header over the five 法人 columns.
pub const LEGAL_PERSON_HEADER: &str = "法人或其他组织";
/// The top-left merged cell of table 三, verbatim.
pub const REQUEST_TABLE_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// The number of numeric columns of table 三: six applicant types and 总计.
pub const COLUMNS: usize = 7;
/// The column of 总计.
pub const TOTAL_COLUMN: usize = 6;
/// The number of rows of table 三: 一, 二, the 21 outcomes, （七）总计, 四.
pub const ROWS: usize = 25;

/// The JSON keys of table 三's columns (DOMAIN A1, A5): the applicant type codes and `total`.
pub const COLUMN_KEYS: [&str; COLUMNS] = [
    "natural_person",
    "legal.commercial",
    "legal.research",
    "legal.public_interest",
    "legal.legal_services",
    "legal.other",
    "total",
];

/// The column labels of table 三 as printed under [`COLUMN_HEADER`].
pub const COLUMN_LABELS: [&str; COLUMNS] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// One row of table 三 as the template prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowTemplate {
    /// The JSON key (DOMAIN A5), e.g. `outcome.withheld.state_secret`.
    pub key: &'static str,
    /// The row's name on its own (DOMAIN A2 for outcomes), e.g. `（三）1.属于国家秘密`.
    pub label: &'static str,
    /// The text of the row's own cell, e.g. `1.属于国家秘密`.
    pub cell: &'static str,
    /// The merged headers to the left of the cell, outermost first, e.g.
    /// `["三、本年度办理结果", "（三）不予公开"]`.
    pub headers: &'static [&'static str],
    /// How a message names the row, e.g. `第三项（三）1.属于国家秘密`.
    pub citation: &'static str,
}

const RESULTS: &str = "三、本年度办理结果";

macro_rules! rows {
    ($( ($key:literal, $label:literal, $cell:literal, [$($header:expr),*], $citation:literal) ),+ $(,)?) => {
        [ $( RowTemplate {
            key: $key, label: $label, cell: $cell, headers: &[$($header),*], citation: $citation,
        } ),+ ]
    };
}

/// The 25 rows of table 三 in the template's order (DOMAIN B §3.2), indexed as
/// [`RequestRow::index`].
pub const REQUEST_ROWS: [RowTemplate; ROWS] = rows![
    (
        "new",
        "一、本年新收政府信息公开申请数量",
        "一、本年新收政府信息公开申请数量",
        [],
        "第一项"
    ),
    (
        "carried_in",
        "二、上年结转政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        [],
        "第二项"
    ),
    (
        "outcome.disclosed",
        "（一）予以公开",
        "（一）予以公开",
        [RESULTS],
        "第三项（一）予以公开"
    ),
    (
        "outcome.partially_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        [RESULTS],
        "第三项（二）部分公开"
    ),
    (
        "outcome.withheld.state_secret",
        "（三）1.属于国家秘密",
        "1.属于国家秘密",
        [RESULTS, "（三）不予公开"],
        "第三项（三）1.属于国家秘密"
    ),
    (
        "outcome.withheld.prohibited_by_law",
        "（三）2.其他法律行政法规禁止公开",
        "2.其他法律行政法规禁止公开",
        [RESULTS, "（三）不予公开"],
        "第三项（三）2.其他法律行政法规禁止公开"
    ),
    (
        "outcome.withheld.security_stability",
        "（三）3.危及“三安全一稳定”",
        "3.危及“三安全一稳定”",
        [RESULTS, "（三）不予公开"],
        "第三项（三）3.危及“三安全一稳定”"
    ),
    (
        "outcome.withheld.third_party_rights",
        "（三）4.保护第三方合法权益",
        "4.保护第三方合法权益",
        [RESULTS, "（三）不予公开"],
        "第三项（三）4.保护第三方合法权益"
    ),
    (
        "outcome.withheld.internal_affairs",
        "（三）5.属于三类内部事务信息",
        "5.属于三类内部事务信息",
        [RESULTS, "（三）不予公开"],
        "第三项（三）5.属于三类内部事务信息"
    ),
    (
        "outcome.withheld.process_info",
        "（三）6.属于四类过程性信息",
        "6.属于四类过程性信息",
        [RESULTS, "（三）不予公开"],
        "第三项（三）6.属于四类过程性信息"
    ),
    (
        "outcome.withheld.enforcement_file",
        "（三）7.属于行政执法案卷",
        "7.属于行政执法案卷",
        [RESULTS, "（三）不予公开"],
        "第三项（三）7.属于行政执法案卷"
    ),
    (
        "outcome.withheld.query_matter",
        "（三）8.属于行政查询事项",
        "8.属于行政查询事项",
        [RESULTS, "（三）不予公开"],
        "第三项（三）8.属于行政查询事项"
    ),
    (
        "outcome.unavailable.not_held",
        "（四）1.本机关不掌握相关政府信息",
        "1.本机关不掌握相关政府信息",
        [RESULTS, "（四）无法提供"],
        "第三项（四）1.本机关不掌握相关政府信息"
    ),
    (
        "outcome.unavailable.needs_creation",
        "（四）2.没有现成信息需要另行制作",
        "2.没有现成信息需要另行制作",
        [RESULTS, "（四）无法提供"],
        "第三项（四）2.没有现成信息需要另行制作"
    ),
    (
        "outcome.unavailable.unclear_after_correction",
        "（四）3.补正后申请内容仍不明确",
        "3.补正后申请内容仍不明确",
        [RESULTS, "（四）无法提供"],
        "第三项（四）3.补正后申请内容仍不明确"
    ),
    (
        "outcome.not_processed.petition_complaint",
        "（五）1.信访举报投诉类申请",
        "1.信访举报投诉类申请",
        [RESULTS, "（五）不予处理"],
        "第三项（五）1.信访举报投诉类申请"
    ),
    (
        "outcome.not_processed.duplicate",
        "（五）2.重复申请",
        "2.重复申请",
        [RESULTS, "（五）不予处理"],
        "第三项（五）2.重复申请"
    ),
    (
        "outcome.not_processed.publication",
        "（五）3.要求提供公开出版物",
        "3.要求提供公开出版物",
        [RESULTS, "（五）不予处理"],
        "第三项（五）3.要求提供公开出版物"
    ),
    (
        "outcome.not_processed.excessive",
        "（五）4.无正当理由大量反复申请",
        "4.无正当理由大量反复申请",
        [RESULTS, "（五）不予处理"],
        "第三项（五）4.无正当理由大量反复申请"
    ),
    (
        "outcome.not_processed.confirm_or_reissue",
        "（五）5.要求行政机关确认或重新出具已获取信息",
        "5.要求行政机关确认或重新出具已获取信息",
        [RESULTS, "（五）不予处理"],
        "第三项（五）5.要求行政机关确认或重新出具已获取信息"
    ),
    (
        "outcome.other.no_correction",
        "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [RESULTS, "（六）其他处理"],
        "第三项（六）1.申请人无正当理由逾期不补正"
    ),
    (
        "outcome.other.fee_unpaid",
        "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [RESULTS, "（六）其他处理"],
        "第三项（六）2.申请人逾期未按收费通知要求缴纳费用"
    ),
    (
        "outcome.other.other",
        "（六）3.其他",
        "3.其他",
        [RESULTS, "（六）其他处理"],
        "第三项（六）3.其他"
    ),
    (
        "outcome.total",
        "（七）总计",
        "（七）总计",
        [RESULTS],
        "第三项（七）总计"
    ),
    (
        "carried_out",
        "四、结转下年度继续办理",
        "四、结转下年度继续办理",
        [],
        "第四项"
    ),
];

/// The three blocks of table 四 (DOMAIN B §3.3): the JSON key, the block's header and, for the
/// two litigation blocks, the header they share.
pub const REVIEW_BLOCKS: [(&str, &str, Option<&str>); 3] = [
    ("reconsideration", "行政复议", None),
    ("litigation_direct", "未经复议直接起诉", Some("行政诉讼")),
    (
        "litigation_after_reconsideration",
        "复议后起诉",
        Some("行政诉讼"),
    ),
];

/// The five columns of each block of table 四: JSON key and label (DOMAIN A3).
pub const REVIEW_COLUMNS: [(&str, &str); 5] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
];

// ---------------------------------------------------------------------------------------------
// Table 三: requests.

/// What table 三 needs to know of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestFacts {
    /// 申请人情况: the column.
    pub applicant: ApplicantType,
    /// 收到申请之日 (Art. 31).
    pub received: Date,
    /// The outcome and the reply day (a withdrawal: `other.other` and the withdrawal day);
    /// `None` while open.
    pub closed: Option<(Outcome, Date)>,
}

impl From<&ValidRequest> for RequestFacts {
    fn from(r: &ValidRequest) -> Self {
        RequestFacts {
            applicant: r.applicant_type,
            received: r.received,
            closed: r.closed,
        }
    }
}

/// A row of table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestRow {
    /// 一、本年新收.
    New,
    /// 二、上年结转.
    CarriedIn,
    /// 三、本年度办理结果, one of the 21 outcomes.
    Outcome(Outcome),
    /// 三（七）总计.
    OutcomeTotal,
    /// 四、结转下年度继续办理.
    CarriedOut,
}

impl RequestRow {
    /// Every row in the template's order.
    pub fn all() -> impl Iterator<Item = RequestRow> {
        [RequestRow::New, RequestRow::CarriedIn]
            .into_iter()
            .chain(Outcome::all().iter().map(|o| RequestRow::Outcome(*o)))
            .chain([RequestRow::OutcomeTotal, RequestRow::CarriedOut])
    }

    /// The row's position in the template, 0..25.
    pub fn index(self) -> usize {
        match self {
            RequestRow::New => 0,
            RequestRow::CarriedIn => 1,
            RequestRow::Outcome(o) => outcome_row(o),
            RequestRow::OutcomeTotal => OUTCOME_TOTAL,
            RequestRow::CarriedOut => CARRIED_OUT,
        }
    }

    /// The row's labels and key.
    pub fn template(self) -> &'static RowTemplate {
        &REQUEST_ROWS[self.index()]
    }

    /// The JSON key, e.g. `outcome.disclosed`.
    pub fn key(self) -> &'static str {
        self.template().key
    }

    /// The row's name, e.g. `（三）1.属于国家秘密`.
    pub fn label(self) -> &'static str {
        self.template().label
    }
}

const NEW: usize = 0;
const CARRIED_IN: usize = 1;
const FIRST_OUTCOME: usize = 2;
const OUTCOME_TOTAL: usize = FIRST_OUTCOME + 21;
const CARRIED_OUT: usize = OUTCOME_TOTAL + 1;

fn outcome_row(outcome: Outcome) -> usize {
    // The enum's declaration order is the order of DOMAIN A2 (`Outcome::all`).
    FIRST_OUTCOME + outcome as usize
}

/// Table 三 of one year: counts per row (template order) and column (six applicant types,
/// then 总计).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTable {
    cells: [[u64; COLUMNS]; ROWS],
}

impl Default for RequestTable {
    fn default() -> Self {
        RequestTable {
            cells: [[0; COLUMNS]; ROWS],
        }
    }
}

/// Counts table 三 of `year` from the requests (DOMAIN A4):
///
/// - `new`: received in the year;
/// - `carried_in`: received before 1 January and not closed before 1 January;
/// - `outcome.<code>` and `outcome.total`: of those, closed on or before 31 December;
/// - `carried_out`: of those, still open on 31 December.
///
/// A request received after the year, or closed before the year began, is not in the table.
/// One pass, no allocation: the totals are summed at the end.
pub fn request_table(year: i32, requests: impl IntoIterator<Item = RequestFacts>) -> RequestTable {
    request_table_counted(year, requests.into_iter().map(RequestCount::from))
}

/// `n` requests alike for table 三: the same column, received in the same year and closed in
/// the same year with the same outcome (or all open). The rules of DOMAIN A4 compare dates by
/// year only, so a count of such requests gives the same table as the requests themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCount {
    /// 申请人情况: the column.
    pub applicant: ApplicantType,
    /// The year of 收到申请之日.
    pub received_year: i32,
    /// The outcome and the year of the reply (or withdrawal); `None` while open.
    pub closed: Option<(Outcome, i32)>,
    /// How many.
    pub n: u64,
}

impl From<RequestFacts> for RequestCount {
    fn from(r: RequestFacts) -> Self {
        RequestCount {
            applicant: r.applicant,
            received_year: r.received.year(),
            closed: r.closed.map(|(outcome, day)| (outcome, day.year())),
            n: 1,
        }
    }
}

/// Table 三 of `year` from counts of requests alike ([`RequestCount`]), by the rules of
/// [`request_table`].
pub fn request_table_counted(
    year: i32,
    counts: impl IntoIterator<Item = RequestCount>,
) -> RequestTable {
    let mut cells = [[0u64; COLUMNS]; ROWS];
    // "Before Y-01-01" is a year before Y and "on or before Y-12-31" a year up to Y.
    for r in counts {
        if r.received_year > year {
            continue;
        }
        let out_row = match r.closed {
            Some((_, closed)) if closed < year => continue,
            Some((outcome, closed)) if closed == year => outcome_row(outcome),
            _ => CARRIED_OUT,
        };
        let in_row = if r.received_year == year {
            NEW
        } else {
            CARRIED_IN
        };
        let column = r.applicant.column();
        cells[in_row][column] += r.n;
        cells[out_row][column] += r.n;
    }
    let mut table = RequestTable { cells };
    table.sum_totals();
    table
}

impl RequestTable {
    /// A table with the given cells, e.g. read back from a stored report. Nothing is
    /// recomputed: run [`RequestTable::check`] on it.
    pub fn from_cells(cells: [[u64; COLUMNS]; ROWS]) -> Self {
        RequestTable { cells }
    }

    /// Every cell, rows in template order ([`REQUEST_ROWS`]), columns as [`COLUMN_KEYS`].
    pub fn cells(&self) -> &[[u64; COLUMNS]; ROWS] {
        &self.cells
    }

    /// The count in `row` and `column` (0 = 自然人 … 5 = 其他, 6 = 总计).
    ///
    /// # Panics
    ///
    /// When `column` is 7 or more.
    pub fn cell(&self, row: RequestRow, column: usize) -> u64 {
        self.cells[row.index()][column]
    }

    /// Overwrites one cell without recomputing any total. For tests of [`RequestTable::check`].
    #[doc(hidden)]
    pub fn set_cell(&mut self, row: RequestRow, column: usize, value: u64) {
        self.cells[row.index()][column] = value;
    }

    /// The rows in template order: JSON key, label ([`RowTemplate::label`]) and the 7 cells.
    pub fn rows(&self) -> impl Iterator<Item = (&'static str, &'static str, [u64; COLUMNS])> + '_ {
        REQUEST_ROWS
            .iter()
            .zip(self.cells.iter())
            .map(|(row, cells)| (row.key, row.label, *cells))
    }

    /// The template's sums that do not hold, each with its row, column and numbers:
    /// per column 一 + 二 = 三（七） + 四 and （七）总计 = （一）…（六）; per row 总计 = the six
    /// applicant columns.
    pub fn check(&self) -> Vec<InvariantViolation> {
        let mut violations = Vec::new();
        for column in 0..COLUMNS {
            let sum: u64 = self.cells[FIRST_OUTCOME..OUTCOME_TOTAL]
                .iter()
                .map(|row| row[column])
                .sum();
            let total = self.cells[OUTCOME_TOTAL][column];
            if sum != total {
                violations.push(InvariantViolation {
                    table: "表三",
                    row: REQUEST_ROWS[OUTCOME_TOTAL].citation.to_owned(),
                    column: COLUMN_LABELS[column],
                    found: total,
                    expected: sum,
                    rule: "（七）总计等于（一）至（六）各项之和",
                });
            }
            let came = self.cells[NEW][column] + self.cells[CARRIED_IN][column];
            let went = total + self.cells[CARRIED_OUT][column];
            if came != went {
                violations.push(InvariantViolation {
                    table: "表三",
                    row: "第三项（七）总计加第四项".to_owned(),
                    column: COLUMN_LABELS[column],
                    found: went,
                    expected: came,
                    rule: "第一项加第二项之和，等于第三项加第四项之和",
                });
            }
        }
        for (template, cells) in REQUEST_ROWS.iter().zip(self.cells.iter()) {
            let sum: u64 = cells[..TOTAL_COLUMN].iter().sum();
            if sum != cells[TOTAL_COLUMN] {
                violations.push(InvariantViolation {
                    table: "表三",
                    row: template.citation.to_owned(),
                    column: COLUMN_LABELS[TOTAL_COLUMN],
                    found: cells[TOTAL_COLUMN],
                    expected: sum,
                    rule: "总计等于自然人与法人或其他组织五列之和",
                });
            }
        }
        violations
    }

    fn sum_totals(&mut self) {
        for column in 0..TOTAL_COLUMN {
            self.cells[OUTCOME_TOTAL][column] = self.cells[FIRST_OUTCOME..OUTCOME_TOTAL]
                .iter()
                .map(|row| row[column])
                .sum();
        }
        for row in self.cells.iter_mut() {
            row[TOTAL_COLUMN] = row[..TOTAL_COLUMN].iter().sum();
        }
    }
}

/// `{"columns": [...], "rows": {"new": {"natural_person": n, ..., "total": n}, ...}}` with the
/// rows in template order (DOMAIN A5).
impl Serialize for RequestTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("columns", &COLUMN_KEYS)?;
        map.serialize_entry("rows", &Rows(self))?;
        map.end()
    }
}

struct Rows<'a>(&'a RequestTable);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(ROWS))?;
        for (template, cells) in REQUEST_ROWS.iter().zip(self.0.cells.iter()) {
            map.serialize_entry(template.key, &Cells(cells))?;
        }
        map.end()
    }
}

struct Cells<'a>(&'a [u64; COLUMNS]);

impl Serialize for Cells<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(COLUMNS))?;
        for (key, n) in COLUMN_KEYS.iter().zip(self.0.iter()) {
            map.serialize_entry(key, n)?;
        }
        map.end()
    }
}

// ---------------------------------------------------------------------------------------------
// Table 四: 行政复议 and 行政诉讼.

/// One block of table 四 (DOMAIN A3): cases by result, and their total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReviewCounts {
    /// 结果维持.
    pub upheld: u64,
    /// 结果纠正.
    pub corrected: u64,
    /// 其他结果.
    pub other: u64,
    /// 尚未审结.
    pub pending: u64,
    /// 总计.
    pub total: u64,
}

impl ReviewCounts {
    /// The five cells in the template's order ([`REVIEW_COLUMNS`]).
    pub fn cells(&self) -> [u64; 5] {
        [
            self.upheld,
            self.corrected,
            self.other,
            self.pending,
            self.total,
        ]
    }
}

/// Table 四 of one year: one row of 15 cells in three blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReviewTable {
    /// 行政复议.
    pub reconsideration: ReviewCounts,
    /// 行政诉讼, 未经复议直接起诉.
    pub litigation_direct: ReviewCounts,
    /// 行政诉讼, 复议后起诉.
    pub litigation_after_reconsideration: ReviewCounts,
}

impl ReviewTable {
    /// The block of one kind of case.
    pub fn block(&self, kind: ReviewKind) -> &ReviewCounts {
        match kind {
            ReviewKind::Reconsideration => &self.reconsideration,
            ReviewKind::LitigationDirect => &self.litigation_direct,
            ReviewKind::LitigationAfterReconsideration => &self.litigation_after_reconsideration,
        }
    }

    fn block_mut(&mut self, kind: ReviewKind) -> &mut ReviewCounts {
        match kind {
            ReviewKind::Reconsideration => &mut self.reconsideration,
            ReviewKind::LitigationDirect => &mut self.litigation_direct,
            ReviewKind::LitigationAfterReconsideration => {
                &mut self.litigation_after_reconsideration
            }
        }
    }

    /// The 15 cells of the template's row, blocks in [`REVIEW_BLOCKS`] order.
    pub fn cells(&self) -> [u64; 15] {
        let mut cells = [0; 15];
        for (i, kind) in ReviewKind::all().iter().enumerate() {
            cells[i * 5..i * 5 + 5].copy_from_slice(&self.block(*kind).cells());
        }
        cells
    }

    /// The blocks whose 总计 is not 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
    pub fn check(&self) -> Vec<InvariantViolation> {
        ReviewKind::all()
            .iter()
            .zip(REVIEW_BLOCKS.iter())
            .filter_map(|(kind, (_, label, parent))| {
                let b = self.block(*kind);
                let sum = b.upheld + b.corrected + b.other + b.pending;
                (sum != b.total).then(|| InvariantViolation {
                    table: "表四",
                    row: match parent {
                        Some(parent) => format!("{parent}（{label}）"),
                        None => (*label).to_owned(),
                    },
                    column: "总计",
                    found: b.total,
                    expected: sum,
                    rule: "总计等于结果维持、结果纠正、其他结果、尚未审结之和",
                })
            })
            .collect()
    }
}

/// Counts table 四 of `year`: the cases filed in the year, each by its result as of 31
/// December, 尚未审结 when not decided by then even if decided later (DOMAIN A3).
pub fn review_table(year: i32, reviews: impl IntoIterator<Item = Review>) -> ReviewTable {
    let mut table = ReviewTable::default();
    for review in reviews {
        if review.filed.year() != year {
            continue;
        }
        // Same as `review.result_on(Y-12-31)`, without a date to construct.
        let result = review
            .decision
            .filter(|(_, decided)| decided.year() <= year)
            .map(|(result, _)| result);
        let block = table.block_mut(review.kind);
        match result {
            Some(ReviewResult::Upheld) => block.upheld += 1,
            Some(ReviewResult::Corrected) => block.corrected += 1,
            Some(ReviewResult::Other) => block.other += 1,
            None => block.pending += 1,
        }
        block.total += 1;
    }
    table
}

// ---------------------------------------------------------------------------------------------
// Table 二: 主动公开.

vocabulary! {
    /// The two classes of table 二 第二十条第（一）项.
    pub enum RuleClass: "文件类别" {
        /// 规章: 部门规章 or 地方政府规章.
        Rule = ("rule", "规章"),
        /// 行政规范性文件.
        NormativeDocument = ("normative_document", "行政规范性文件", "规范性文件"),
    }
}

/// One published 规章 or 行政规范性文件 of the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogFacts {
    /// 规章 or 行政规范性文件.
    pub class: RuleClass,
    /// 成文日期 / 发布日期: the day it was issued (制发).
    pub issued: Date,
    /// The day it stopped being in force (废止、失效 or replaced by a revision), if known.
    pub repealed: Option<Date>,
    /// 发布日期: the day it was made public, for the 2019 format's 本年新公开数量.
    pub published: Option<Date>,
}

/// The figures the office enters itself: the numbers of table 二 the platform does not record,
/// and the narrative sections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeFigures {
    /// 第二十条第（五）项 行政许可: 本年处理决定数量.
    pub licensing_decisions: u64,
    /// 第二十条第（六）项 行政处罚: 本年处理决定数量.
    pub punishments: u64,
    /// 第二十条第（六）项 行政强制: 本年处理决定数量.
    pub coercive_measures: u64,
    /// 第二十条第（八）项 行政事业性收费, in 分 (exact).
    pub fees_fen: i64,
    /// The further figures of the 2019 format (report years 2019 and 2020).
    pub items_2019: Items2019,
    /// 一、总体情况.
    pub overview: String,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
}

/// One row of 第二十条第（一）项.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CatalogCounts {
    /// 本年制发件数: issued in the year.
    pub issued: u64,
    /// 本年废止件数: stopped being in force in the year.
    pub repealed: u64,
    /// 现行有效件数: issued and not repealed on 31 December.
    pub in_force: u64,
}

/// The figures the 2019 format of table 二 adds, entered by the office: for each kind of
/// item, 上一年项目数量 (items on the list the year before) and 本年增/减 (the change this year),
/// plus the decisions on 其他对外管理服务事项 and 政府集中采购.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Items2019 {
    /// 行政许可: 上一年项目数量, 本年增/减.
    pub licensing: (u64, i64),
    /// 其他对外管理服务事项: 上一年项目数量, 本年增/减.
    pub other_services: (u64, i64),
    /// 其他对外管理服务事项: 处理决定数量.
    pub other_services_decisions: u64,
    /// 行政处罚: 上一年项目数量, 本年增/减.
    pub punishments: (u64, i64),
    /// 行政强制: 上一年项目数量, 本年增/减.
    pub coercive_measures: (u64, i64),
    /// 行政事业性收费: 上一年项目数量, 本年增/减.
    pub fees: (u64, i64),
    /// 政府集中采购: 采购项目数量.
    pub procurement_projects: u64,
    /// 政府集中采购: 采购总金额, in 分 (exact).
    pub procurement_fen: i64,
}

impl Items2019 {
    /// Adds another unit's figures, for a report over a subtree.
    pub fn add(&mut self, other: &Items2019) {
        fn pair(a: &mut (u64, i64), b: (u64, i64)) {
            a.0 += b.0;
            a.1 += b.1;
        }
        pair(&mut self.licensing, other.licensing);
        pair(&mut self.other_services, other.other_services);
        self.other_services_decisions += other.other_services_decisions;
        pair(&mut self.punishments, other.punishments);
        pair(&mut self.coercive_measures, other.coercive_measures);
        pair(&mut self.fees, other.fees);
        self.procurement_projects += other.procurement_projects;
        self.procurement_fen += other.procurement_fen;
    }
}

/// One row of 第二十条第（一）项 in the 2019 format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CatalogCounts2019 {
    /// 本年新制作数量: 成文 in the year.
    pub made: u64,
    /// 本年新公开数量: published in the year.
    pub published: u64,
    /// 对外公开总数量: published by 31 December, in force or not (a repealed 规章 stays public
    /// as such) [U: the 填报说明 of the 2019 format was not seen].
    pub public_total: u64,
}

/// A row of 第二十条第（五）（六）（八）项 in the 2019 format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ItemRow2019 {
    /// 上一年项目数量.
    pub previous_items: u64,
    /// 本年增/减.
    pub change: i64,
    /// 处理决定数量 (not printed for 行政事业性收费, whose row has no such column).
    pub decisions: u64,
}

/// Table 二 in the 2019 format (report years 2019 and 2020), beside the 2021 figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Proactive2019 {
    /// 规章.
    pub rules: CatalogCounts2019,
    /// 规范性文件.
    pub normative_documents: CatalogCounts2019,
    /// 行政许可.
    pub licensing: ItemRow2019,
    /// 其他对外管理服务事项.
    pub other_services: ItemRow2019,
    /// 行政处罚.
    pub punishments: ItemRow2019,
    /// 行政强制.
    pub coercive_measures: ItemRow2019,
    /// 行政事业性收费 (上一年项目数量 and 本年增/减 only).
    pub fees: ItemRow2019,
    /// 政府集中采购: 采购项目数量.
    pub procurement_projects: u64,
    /// 政府集中采购: 采购总金额, 万元, rounded to 4 decimals (1 元).
    pub procurement_wan_yuan: f64,
}

/// Table 二 of one year (2021 format; for report years 2019 and 2020 also the 2019 format's
/// figures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ProactiveTable {
    /// 规章.
    pub rules: CatalogCounts,
    /// 行政规范性文件.
    pub normative_documents: CatalogCounts,
    /// 行政许可.
    pub licensing_decisions: u64,
    /// 行政处罚.
    pub punishments: u64,
    /// 行政强制.
    pub coercive_measures: u64,
    /// 行政事业性收费, 万元, rounded to 4 decimals (1 元).
    pub fees_wan_yuan: f64,
    /// The 2019 format's table 二, for report years 2019 and 2020 only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format_2019: Option<Proactive2019>,
}

/// Table 二 of `year`: the catalog counted by class, the office's figures as entered, the fees
/// converted from 分 to 万元.
pub fn proactive_table(
    year: i32,
    catalog: &[CatalogFacts],
    figures: &OfficeFigures,
) -> ProactiveTable {
    let mut table = ProactiveTable {
        licensing_decisions: figures.licensing_decisions,
        punishments: figures.punishments,
        coercive_measures: figures.coercive_measures,
        fees_wan_yuan: fen_to_wan_yuan(figures.fees_fen),
        ..ProactiveTable::default()
    };
    for doc in catalog {
        let counts = match doc.class {
            RuleClass::Rule => &mut table.rules,
            RuleClass::NormativeDocument => &mut table.normative_documents,
        };
        let issued = doc.issued.year();
        let repealed = doc.repealed.map(|d| d.year());
        if issued == year {
            counts.issued += 1;
        }
        if repealed == Some(year) {
            counts.repealed += 1;
        }
        if issued <= year && repealed.is_none_or(|r| r > year) {
            counts.in_force += 1;
        }
    }
    if year <= LAST_2019_FORMAT_YEAR {
        table.format_2019 = Some(proactive_2019(year, catalog, figures));
    }
    table
}

/// The last report year printed in the 2019 format.
pub const LAST_2019_FORMAT_YEAR: i32 = 2020;

fn proactive_2019(year: i32, catalog: &[CatalogFacts], figures: &OfficeFigures) -> Proactive2019 {
    let items = &figures.items_2019;
    let row = |(previous_items, change): (u64, i64), decisions: u64| ItemRow2019 {
        previous_items,
        change,
        decisions,
    };
    let mut t = Proactive2019 {
        licensing: row(items.licensing, figures.licensing_decisions),
        other_services: row(items.other_services, items.other_services_decisions),
        punishments: row(items.punishments, figures.punishments),
        coercive_measures: row(items.coercive_measures, figures.coercive_measures),
        fees: row(items.fees, 0),
        procurement_projects: items.procurement_projects,
        procurement_wan_yuan: fen_to_wan_yuan(items.procurement_fen),
        ..Proactive2019::default()
    };
    for doc in catalog {
        let counts = match doc.class {
            RuleClass::Rule => &mut t.rules,
            RuleClass::NormativeDocument => &mut t.normative_documents,
        };
        if doc.issued.year() == year {
            counts.made += 1;
        }
        let published = doc.published.map(|d| d.year());
        if published == Some(year) {
            counts.published += 1;
        }
        if published.is_some_and(|p| p <= year) {
            counts.public_total += 1;
        }
    }
    t
}

/// 分 to 万元 (1 万元 = 1,000,000 分), rounded half away from zero to 4 decimals, i.e. to the
/// 元. Rounding is done on the integer, so the result is the `f64` nearest the exact decimal.
pub fn fen_to_wan_yuan(fen: i64) -> f64 {
    let fen = i128::from(fen);
    let half = if fen < 0 { -50 } else { 50 };
    let yuan = (fen + half) / 100;
    yuan as f64 / 10_000.0
}

// ---------------------------------------------------------------------------------------------
// The report.

/// The narrative sections the office writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sections {
    /// 一、总体情况.
    pub overview: String,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
}

/// 政府信息公开工作年度报告 of one organization (or subtree) and year. Serializes to the JSON
/// of DOMAIN A5.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    /// The organization code.
    pub org: String,
    /// The report year.
    pub year: i32,
    /// Table 二.
    pub proactive: ProactiveTable,
    /// Table 三.
    pub requests: RequestTable,
    /// Table 四.
    pub reviews: ReviewTable,
    /// Sections 一, 五 and 六.
    pub sections: Sections,
}

/// The annual report of `org` for `year` from the given records: pass the records of every
/// organization whose numbers the report covers.
pub fn annual_report(
    org: &str,
    year: i32,
    requests: impl IntoIterator<Item = impl Into<RequestCount>>,
    reviews: impl IntoIterator<Item = Review>,
    catalog: &[CatalogFacts],
    figures: &OfficeFigures,
) -> AnnualReport {
    AnnualReport {
        org: org.to_owned(),
        year,
        proactive: proactive_table(year, catalog, figures),
        requests: request_table_counted(year, requests.into_iter().map(Into::into)),
        reviews: review_table(year, reviews),
        sections: Sections {
            overview: figures.overview.clone(),
            problems: figures.problems.clone(),
            other: figures.other.clone(),
        },
    }
}

/// Every sum of tables 三 and 四 that does not hold. Print them all: a report that fails its
/// checks must not be published as if it were correct.
pub fn check(report: &AnnualReport) -> Vec<InvariantViolation> {
    let mut violations = report.requests.check();
    violations.extend(report.reviews.check());
    violations
}

/// A sum of the template that does not hold: the table, the row and column it shows in, the
/// number found there and the number the rule requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table} {row} 列 {column}：{found}，应为 {expected}（{rule}）")]
pub struct InvariantViolation {
    /// `表三` or `表四`.
    pub table: &'static str,
    /// The row, e.g. `第三项（七）总计`.
    pub row: String,
    /// The column label, e.g. `自然人`.
    pub column: &'static str,
    /// The number in the table.
    pub found: u64,
    /// The number the rule requires.
    pub expected: u64,
    /// The rule, in the template's words.
    pub rule: &'static str,
}

// ---------------------------------------------------------------------------------------------
// The records behind a figure.

/// Which requests a figure of table 三 counts, as conditions a store can ask (DOMAIN A4): the
/// receipt day within a range, and the closing condition. A request is closed when it has both
/// an outcome and a reply day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCell {
    /// 收到申请之日 on or after this day, if bounded below.
    pub received_from: Option<Date>,
    /// 收到申请之日 on or before this day.
    pub received_to: Date,
    /// How it closed.
    pub closed: ClosedIn,
    /// The column: one applicant type, or every one (总计).
    pub applicant: Option<ApplicantType>,
}

/// The closing condition of a [`RequestCell`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedIn {
    /// Open, or closed at any time.
    Any,
    /// Open, or closed on or after this day.
    OpenOrFrom(Date),
    /// Open, or closed after this day.
    OpenOrAfter(Date),
    /// Closed between these days (inclusive), with this outcome or any.
    Between(Date, Date, Option<Outcome>),
}

impl RequestCell {
    /// The cell of table 三 of `year` named by its JSON row and column keys (DOMAIN A5), or
    /// `None` when no such cell exists.
    pub fn of(year: i32, row: &str, column: &str) -> Option<RequestCell> {
        let start = Date::from_calendar_date(year, time::Month::January, 1).ok()?;
        let end = Date::from_calendar_date(year, time::Month::December, 31).ok()?;
        let applicant = match column {
            "total" => None,
            code => Some(ApplicantType::from_code(code).ok()?),
        };
        let (received_from, received_to, closed) = match row {
            "new" => (Some(start), end, ClosedIn::Any),
            "carried_in" => (None, start.previous_day()?, ClosedIn::OpenOrFrom(start)),
            "outcome.total" => (None, end, ClosedIn::Between(start, end, None)),
            "carried_out" => (None, end, ClosedIn::OpenOrAfter(end)),
            key => {
                let outcome = Outcome::from_code(key.strip_prefix("outcome.")?).ok()?;
                (None, end, ClosedIn::Between(start, end, Some(outcome)))
            }
        };
        Some(RequestCell {
            received_from,
            received_to,
            closed,
            applicant,
        })
    }

    /// Whether a request is counted in this cell.
    pub fn counts(&self, r: &RequestFacts) -> bool {
        let received =
            self.received_from.is_none_or(|d| r.received >= d) && r.received <= self.received_to;
        let applicant = self.applicant.is_none_or(|a| a == r.applicant);
        let closed = match (self.closed, r.closed) {
            (ClosedIn::Any, _) | (ClosedIn::OpenOrFrom(_) | ClosedIn::OpenOrAfter(_), None) => true,
            (ClosedIn::OpenOrFrom(d), Some((_, on))) => on >= d,
            (ClosedIn::OpenOrAfter(d), Some((_, on))) => on > d,
            (ClosedIn::Between(..), None) => false,
            (ClosedIn::Between(from, to, outcome), Some((o, on))) => {
                on >= from && on <= to && outcome.is_none_or(|x| x == o)
            }
        };
        received && applicant && closed
    }
}

/// Which cases a figure of table 四 counts: those of a kind filed in the year, by their result
/// on 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewCell {
    /// The block.
    pub kind: ReviewKind,
    /// Filed on or after.
    pub filed_from: Date,
    /// Filed on or before; also the day the result is read on.
    pub filed_to: Date,
    /// The column: a result, 尚未审结 (`Some(None)`), or every case (`None`, 总计).
    pub result: Option<Option<ReviewResult>>,
}

impl ReviewCell {
    /// The cell of table 四 of `year` named by its JSON block and column keys.
    pub fn of(year: i32, block: &str, column: &str) -> Option<ReviewCell> {
        let kind = ReviewKind::from_code(block).ok()?;
        let result = match column {
            "total" => None,
            "pending" => Some(None),
            code => Some(Some(ReviewResult::from_code(code).ok()?)),
        };
        Some(ReviewCell {
            kind,
            filed_from: Date::from_calendar_date(year, time::Month::January, 1).ok()?,
            filed_to: Date::from_calendar_date(year, time::Month::December, 31).ok()?,
            result,
        })
    }

    /// Whether a case is counted in this cell.
    pub fn counts(&self, r: &Review) -> bool {
        r.kind == self.kind
            && r.filed >= self.filed_from
            && r.filed <= self.filed_to
            && self
                .result
                .is_none_or(|want| r.result_on(self.filed_to) == want)
    }
}

// ---------------------------------------------------------------------------------------------
// The report as a published record.

/// The first-level column the reports are published in (DOMAIN B §5).
pub const REPORT_COLUMN: &str = "政府信息公开年度报告";

/// The year a record of the 年度报告 column reports on, read from its title as reports are
/// titled (`…2024年政府信息公开工作年度报告`, `…2024年度政府信息公开工作报告`); `None` for a
/// record of another column or a title that names no year.
pub fn report_year_of(column_first: &str, title: &str) -> Option<i32> {
    if column_first != REPORT_COLUMN {
        return None;
    }
    [
        "年政府信息公开工作年度报告",
        "年度政府信息公开工作年度报告",
        "年度政府信息公开工作报告",
        "年政府信息公开工作报告",
    ]
    .iter()
    .filter_map(|marker| title.find(marker))
    .min()
    .and_then(|at| {
        let digits: String = title[..at].chars().rev().take(4).collect();
        let year: String = digits.chars().rev().collect();
        (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
            .then(|| year.parse::<i32>().ok())
            .flatten()
    })
    .filter(|y| (2008..=2100).contains(y))
}

// ---------------------------------------------------------------------------------------------
// When a report is due (条例 Art. 49).

/// The day by which a unit of this kind must publish its report on `year`: 31 January for a
/// department (Art. 49 ¶1), 31 March for a government, whose report its office publishes (¶2).
/// The 条例 names units 县级以上; 街道 and 乡镇 report with the departments by 31 January, as
/// the local notices set it. 社区 and other bodies publish none.
pub fn publication_deadline(kind: crate::org::OrgKind, year: i32) -> Option<Date> {
    use crate::org::OrgKind as K;
    let (month, day) = match kind {
        K::Government | K::Office => (time::Month::March, 31),
        K::Department | K::Subdistrict | K::Town => (time::Month::January, 31),
        K::Community | K::Other => return None,
    };
    Date::from_calendar_date(year.checked_add(1)?, month, day).ok()
}

/// Where a unit's report of a year stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineStatus {
    /// Published on this day, by the deadline or not.
    Published {
        /// The day.
        on: Date,
        /// After the deadline.
        late: bool,
    },
    /// A record is on its way through the workflow; past the deadline or not.
    InProgress {
        /// The deadline has passed.
        overdue: bool,
    },
    /// Nothing yet; past the deadline or not.
    Missing {
        /// The deadline has passed.
        overdue: bool,
    },
}

impl DeadlineStatus {
    /// The status of a report due on `deadline`, published on `published` (if it was), with a
    /// record in progress or not, as of `today`.
    pub fn of(deadline: Date, published: Option<Date>, in_progress: bool, today: Date) -> Self {
        match published {
            Some(on) => DeadlineStatus::Published {
                on,
                late: on > deadline,
            },
            None if in_progress => DeadlineStatus::InProgress {
                overdue: today > deadline,
            },
            None => DeadlineStatus::Missing {
                overdue: today > deadline,
            },
        }
    }

    /// How it reads on the dashboard.
    pub fn label(self) -> &'static str {
        match self {
            DeadlineStatus::Published { late: false, .. } => "已按时公布",
            DeadlineStatus::Published { late: true, .. } => "逾期公布",
            DeadlineStatus::InProgress { overdue: false } => "审核签发中",
            DeadlineStatus::InProgress { overdue: true } => "已逾期（审核签发中）",
            DeadlineStatus::Missing { overdue: false } => "尚未编制",
            DeadlineStatus::Missing { overdue: true } => "已逾期未公布",
        }
    }

    /// Whether the law is not met (yet): overdue, or published late.
    pub fn is_breach(self) -> bool {
        matches!(
            self,
            DeadlineStatus::Published { late: true, .. }
                | DeadlineStatus::InProgress { overdue: true }
                | DeadlineStatus::Missing { overdue: true }
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Documented adjustments.

/// A figure of table 三 or 四 changed by hand, with its reason: the records stay as they are,
/// the report shows the adjusted figure and says why. Only counted cells are adjusted; the
/// totals follow from them, so the template's sums still hold unless the adjustment breaks
/// them (一 + 二 = 三 + 四 needs a change on both sides), which the checks then name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    /// `3` or `4`.
    pub table: u8,
    /// Table 三: the row key; table 四: the block key.
    pub row: String,
    /// The column key (an applicant type, or a result).
    pub column: String,
    /// Added to the figure (negative to lower it).
    pub delta: i64,
    /// Why, as the office wrote it.
    pub reason: String,
}

/// The longest reason accepted for an adjustment.
pub const MAX_ADJUSTMENT_REASON_CHARS: usize = 500;

impl Adjustment {
    /// Checks an adjustment: a counted cell (not a total), a non-zero change, a reason. The
    /// problem names its field.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        match self.table {
            3 => {
                let row = RequestRow::all().find(|r| r.key() == self.row);
                match row {
                    None => return Err(("row", format!("表三没有“{}”这一行", self.row))),
                    Some(RequestRow::OutcomeTotal) => {
                        return Err((
                            "row",
                            "（七）总计由各项相加得出，请调整其中的某一项".to_owned(),
                        ));
                    }
                    Some(_) => {}
                }
                if self.column == "total" {
                    return Err((
                        "column",
                        "总计列由各类申请人相加得出，请调整其中的某一列".to_owned(),
                    ));
                }
                if ApplicantType::from_code(&self.column).is_err() {
                    return Err(("column", format!("表三没有“{}”这一列", self.column)));
                }
            }
            4 => {
                if ReviewKind::from_code(&self.row).is_err() {
                    return Err(("row", format!("表四没有“{}”这一栏", self.row)));
                }
                if self.column == "total" {
                    return Err((
                        "column",
                        "总计由各结果相加得出，请调整其中的某一项".to_owned(),
                    ));
                }
                if self.column != "pending" && ReviewResult::from_code(&self.column).is_err() {
                    return Err(("column", format!("表四没有“{}”这一项", self.column)));
                }
            }
            _ => return Err(("table", "只能调整表三或表四的数字".to_owned())),
        }
        if self.delta == 0 {
            return Err(("delta", "调整数不能为 0".to_owned()));
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(("reason", "请写明调整的理由".to_owned()));
        }
        if reason.chars().count() > MAX_ADJUSTMENT_REASON_CHARS {
            return Err((
                "reason",
                format!("理由不能超过 {MAX_ADJUSTMENT_REASON_CHARS} 字"),
            ));
        }
        Ok(())
    }
}

/// The report with the adjustments applied, the totals summed again. A figure does not go
/// below 0; an adjustment that would take it there stops at 0 and is named in the result.
pub fn apply_adjustments(report: &mut AnnualReport, adjustments: &[Adjustment]) -> Vec<String> {
    let mut clipped = Vec::new();
    let shift = |value: u64, delta: i64| -> Option<u64> {
        if delta >= 0 {
            Some(value.saturating_add(delta.unsigned_abs()))
        } else {
            value.checked_sub(delta.unsigned_abs())
        }
    };
    for a in adjustments {
        if a.check().is_err() {
            clipped.push(format!("{} {} 无效，未计入", a.row, a.column));
            continue;
        }
        match a.table {
            3 => {
                let (Some(row), Some(column)) = (
                    RequestRow::all().find(|r| r.key() == a.row),
                    COLUMN_KEYS.iter().position(|k| *k == a.column),
                ) else {
                    continue;
                };
                let value = report.requests.cell(row, column);
                let new = shift(value, a.delta).unwrap_or_else(|| {
                    clipped.push(format!("{} {}", a.row, a.column));
                    0
                });
                report.requests.cells[row.index()][column] = new;
            }
            _ => {
                let Ok(kind) = ReviewKind::from_code(&a.row) else {
                    continue;
                };
                let block = report.reviews.block_mut(kind);
                let cell = match a.column.as_str() {
                    "upheld" => &mut block.upheld,
                    "corrected" => &mut block.corrected,
                    "other" => &mut block.other,
                    _ => &mut block.pending,
                };
                *cell = shift(*cell, a.delta).unwrap_or_else(|| {
                    clipped.push(format!("{} {}", a.row, a.column));
                    0
                });
                block.total = block.upheld + block.corrected + block.other + block.pending;
            }
        }
    }
    report.requests.sum_totals();
    clipped
}
