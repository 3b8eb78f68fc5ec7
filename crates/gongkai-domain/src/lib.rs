//! The law of government information disclosure (政务公开), as pure data and functions.
//!
//! This crate decides what the other crates only store, index or render:
//!
//! - [`calendar`]: the working-day calendar (放假 and 调休 days per year, State Council notices
//!   2019–2026 shipped as data) and working-day arithmetic.
//! - [`deadline`]: the statutory reply clock of a request (条例 Art. 30–34, 国办函〔2020〕109号):
//!   due date, pauses, extension and status on a given day.
//! - [`docno`]: 发文字号 in the GB/T 9704-2012 §7.2 form `机关代字〔年份〕序号号`, normalized from
//!   the variants found in the wild, and 令号 such as `国务院令第711号`.
//! - [`index_number`]: 索引号 patterns such as `{org_code}/{year}-{serial:05}`.
//! - [`topic`]: the 22-class 主题分类 taxonomy of the gov.cn policy library, kept as data.
//! - [`column`]: the unified 政府信息公开专栏 structure (国办公开办函〔2019〕61号).
//! - [`document`]: 公文种类, 有效性, 公开方式, publication status, and the validation of one
//!   line of the document import format (SPEC "Import formats").
//! - [`disclosure`]: 公开属性 (主动公开, 依申请公开, 不予公开), its legal ground (Art. 14–16)
//!   and the periodic review of withheld records (Art. 18).
//! - [`draft`]: the 标题, 发文字号, 成文日期 and 发文机关 proposed from an uploaded document.
//! - [`org`]: organization codes, roles (经办、审核、签发) and organization kinds.
//! - [`request`]: information requests: applicant types, the 21 outcomes and their articles,
//!   行政复议 and 行政诉讼, and the validation of one line of the request import format.
//! - [`report`]: the annual report (政府信息公开工作年度报告, 条例 Art. 49–50, 国办公开办函
//!   〔2021〕30号): tables 二, 三 and 四 counted from the records, their sums checked, the JSON
//!   of DOMAIN A5, and the template's labels.
//! - [`text`]: strict dates, Chinese date display and paragraph splitting.
//! - [`letter`]: the letters of a request (登记回执, 补正告知书, 延期告知书, 征求意见函, 收费通知,
//!   答复告知书 per legal basis) from editable templates, with the remedies of 行政复议法 (2023).
//! - [`fee`]: 信息处理费 by count and by volume, marginal tiers (国办函〔2020〕109号 Art. 4, 5).
//! - [`workflow`]: the publication life cycle (草稿 → 审核 → 签发 → 发布, returns, withdrawal,
//!   scheduled publication) as a state machine, with the roles and separation of duties.
//! - [`audit`]: the hash chain of the audit log and its verification.
//! - [`scan`](mod@scan): the sensitive-information scan before submission (resident IDs, mobile
//!   numbers, bank cards, e-mails, keywords; DOMAIN.md A8).
//!
//! Architecture invariant: no I/O and no clock. A function that needs "today" takes it as an
//! argument; `clippy.toml` forbids the `now()` methods in this crate.
#![warn(missing_docs)]

pub mod application;
pub mod audit;
pub mod calendar;
pub mod column;
pub mod deadline;
pub mod disclosure;
pub mod docno;
pub mod document;
pub mod draft;
pub mod fee;
pub mod index_number;
pub mod json_line;
pub mod letter;
pub mod org;
pub mod report;
pub mod report_layout;
pub mod request;
pub mod scan;
pub mod text;
pub mod topic;
pub mod workflow;

mod error;
mod iso_date;

pub use calendar::{Calendar, CalendarError, SpecialDay, YearNotice};
pub use column::{ColumnError, ColumnPath, DEFAULT_SUBCOLUMNS, UNIFIED_COLUMNS};
pub use deadline::{
    Clock, ClockError, ClockEvent, ClockEventKind, ClockInput, ClockSettings, ClockStatus, Step,
    compute,
};
pub use docno::{DecreeNumber, DocNo, DocNumber, DocNumberError};
pub use document::{
    Body, DisclosureTerm, DocKind, DocStatus, DocumentLine, LineProblem, ValidDocument, Validity,
    validate_line,
};
pub use error::UnknownValue;
pub use fee::{FeeError, FeeRule, fee_by_count, fee_by_volume, total_by_count};
pub use index_number::{IndexContext, IndexPattern, IndexPatternError};
pub use org::{OrgCode, OrgCodeError, OrgKind, Role};
pub use report::{
    AnnualReport, CatalogFacts, InvariantViolation, OfficeFigures, ProactiveTable, RequestFacts,
    RequestRow, RequestTable, ReviewTable, RuleClass, annual_report, proactive_table,
    request_table, review_table,
};
pub use request::{
    Applicant, ApplicantType, LegalBasis, Outcome, OutcomeGroup, Review, ReviewKind, ReviewResult,
    TrackingCode, ValidRequest, validate_request_line,
};
pub use scan::{Finding, FindingKind, ScanConfig, mask, scan};
pub use text::{DateError, format_date_cn, format_date_iso, parse_date, text_to_paragraphs};
pub use topic::{Topic, TopicError, TopicGroup, topics};
