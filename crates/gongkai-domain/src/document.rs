//! A disclosure record's metadata vocabularies, and the validation of one line of the document
//! import format (SPEC "Import formats").
//!
//! - 公文种类: the 15 kinds of 《党政机关公文处理工作条例》 Art. 8 (决议、决定、命令（令）、公报、公告、
//!   通告、意见、通知、通报、报告、请示、批复、议案、函、纪要), plus the classes of legal text of
//!   《立法法》 and judicial practice (法律, 行政法规, 地方性法规, 部门规章, 司法解释) and the
//!   规范性文件, 方案 and 其他 the disclosure columns list (SPEC C2).
//! - 有效性: the 政府网站发展指引 (国办发〔2017〕47号) requires that documents "修改、废止、失效"
//!   be marked on the published original (DOMAIN.md §5).
//! - 公开时限 as used in the standard catalogs: 长期公开, 定期公开, 即时公开.
//! - Publication status, as far as the public side is concerned: only a published record is
//!   public (先审查后公开, 条例 Art. 17).
//!
//! An import line is checked completely: every error of the line is reported, not only the
//! first. A 发文字号 never rejects a line (histories from older systems are full of odd ones):
//! one that cannot be recognized is kept as written and reported as a warning.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

use crate::column::ColumnPath;
use crate::docno;
use crate::error::vocabulary;
use crate::org::OrgCode;
use crate::text::parse_date;
use crate::topic::Topic;

/// The longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// The longest 发文机关 accepted, in characters.
pub const MAX_ISSUER_CHARS: usize = 200;

vocabulary! {
    /// 公文种类 (document kind): the 15 kinds of 《党政机关公文处理工作条例》 Art. 8 and the
    /// classes of legal and normative text.
    pub enum DocKind: "公文种类" {
        /// 决议.
        Resolution = ("resolution", "决议"),
        /// 决定.
        Decision = ("decision", "决定"),
        /// 命令（令）; "命令" and "令" are accepted as labels too.
        Order = ("order", "命令（令）", "命令", "令", "命令(令)"),
        /// 公报.
        Communique = ("communique", "公报"),
        /// 公告.
        Announcement = ("announcement", "公告"),
        /// 通告.
        Notice = ("notice", "通告"),
        /// 意见.
        Opinion = ("opinion", "意见"),
        /// 通知.
        Circular = ("circular", "通知"),
        /// 通报.
        Bulletin = ("bulletin", "通报"),
        /// 报告.
        Report = ("report", "报告"),
        /// 请示.
        Request = ("request", "请示"),
        /// 批复.
        Reply = ("reply", "批复"),
        /// 议案.
        Motion = ("motion", "议案"),
        /// 函.
        Letter = ("letter", "函"),
        /// 纪要.
        Minutes = ("minutes", "纪要"),
        /// 法律 (adopted by the 全国人大 or its 常委会).
        Law = ("law", "法律"),
        /// 行政法规 (国务院).
        AdministrativeRegulation = ("administrative_regulation", "行政法规"),
        /// 部门规章.
        DepartmentalRule = ("departmental_rule", "部门规章"),
        /// 地方政府规章 (立法法 Art. 93): with 部门规章 the 规章 of annual-report table 二.
        LocalGovernmentRule = ("local_government_rule", "地方政府规章"),
        /// 地方性法规.
        LocalRegulation = ("local_regulation", "地方性法规"),
        /// 司法解释.
        JudicialInterpretation = ("judicial_interpretation", "司法解释"),
        /// 行政规范性文件.
        NormativeDocument = ("normative_document", "规范性文件"),
        /// 方案 (work plans such as the seeds' 政务公开工作要点).
        Plan = ("plan", "方案"),
        /// 其他.
        Other = ("other", "其他"),
    }
}

vocabulary! {
    /// 有效性 (validity) of a document, shown on its page and marked on the original when it
    /// changes (国办发〔2017〕47号).
    pub enum Validity: "有效性" {
        /// 有效 (in force).
        Valid = ("valid", "有效"),
        /// 失效 (expired, e.g. its period ended).
        Expired = ("expired", "失效"),
        /// 废止 (repealed).
        Repealed = ("repealed", "废止"),
        /// 已修订 (amended; the successor is linked).
        Amended = ("amended", "已修订"),
    }
}

impl Validity {
    /// Whether the document is in force (现行有效), as the 规范性文件 library lists it.
    pub fn in_force(self) -> bool {
        self == Validity::Valid
    }
}

vocabulary! {
    /// 公开时限 class of a record, as in the standard catalogs.
    pub enum DisclosureTerm: "公开时限" {
        /// 长期公开 (kept public indefinitely, e.g. 机构职能).
        LongTerm = ("long_term", "长期公开"),
        /// 定期公开 (published periodically, e.g. statistics).
        Periodic = ("periodic", "定期公开"),
        /// 即时公开 (published as soon as formed or changed).
        Immediate = ("immediate", "即时公开"),
    }
}

vocabulary! {
    /// Publication status of a record as the public side sees it.
    pub enum DocStatus: "发布状态" {
        /// 草稿 (not yet published, whatever its review step).
        Draft = ("draft", "草稿"),
        /// 已发布.
        Published = ("published", "已发布"),
        /// 已撤回 (the page keeps a tombstone).
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

impl DocStatus {
    /// Whether the record may appear on public pages, feeds and search: only when published.
    pub fn is_public(self) -> bool {
        self == DocStatus::Published
    }
}

/// One line of the document import format, as written (SPEC "Import formats"). Unknown keys
/// are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    /// Organization code.
    pub org: String,
    /// 标题.
    pub title: String,
    /// 发文字号 or 令号, as written.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// 发文机关.
    #[serde(default)]
    pub issuer: Option<String>,
    /// 主题分类, `一级` or `一级\二级`.
    pub topic: String,
    /// 公文种类, label or code.
    pub kind: String,
    /// 成文日期, `YYYY-MM-DD`.
    pub written_date: String,
    /// 发布日期, `YYYY-MM-DD`.
    pub published_date: String,
    /// 有效性, code or label.
    pub validity: String,
    /// Column path `一级/二级`.
    pub column: String,
    /// Body as HTML (sanitized later by the application).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// Body as plain text, one paragraph per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
    /// Day the information was formed or last changed (条例 Art. 26 counts its 20 working
    /// days from it), `YYYY-MM-DD`; the written date when absent. An extension of SPEC's format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formed_date: Option<String>,
    /// 公开时限 (`long_term`, `periodic`, `immediate` or the label); 长期公开 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure_term: Option<String>,
    /// 公开属性 code; absent means 主动公开.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    /// Legal ground code of a record not published proactively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure_ground: Option<String>,
    /// The day it stopped being in force (`expired` or `repealed` only), so that a migrated
    /// history counts its repeals in the right year of the annual report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_changed_date: Option<String>,
}

/// A record's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Rich text, to be sanitized before display.
    Html(String),
    /// Plain text, one paragraph per line.
    Text(String),
}

/// A document line that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDocument {
    /// Organization code.
    pub org: OrgCode,
    /// 标题, trimmed.
    pub title: String,
    /// 发文字号: canonical if it was recognized, else trimmed as written.
    pub doc_number: Option<String>,
    /// Whether `doc_number` was recognized (and is therefore canonical).
    pub doc_number_parsed: bool,
    /// 发文机关, trimmed.
    pub issuer: Option<String>,
    /// 主题分类.
    pub topic: Topic,
    /// 公文种类.
    pub kind: DocKind,
    /// 成文日期.
    pub written_date: Date,
    /// 发布日期.
    pub published_date: Date,
    /// 有效性.
    pub validity: Validity,
    /// Column.
    pub column: ColumnPath,
    /// Body.
    pub body: Body,
    /// Day formed or last changed (Art. 26); `None` means the written date.
    pub formed_date: Option<Date>,
    /// 公开时限; `None` means 长期公开.
    pub disclosure_term: Option<DisclosureTerm>,
    /// 公开属性; 主动公开 unless the line says otherwise.
    pub disclosure: crate::disclosure::Attribute,
    /// The legal ground of a record not published proactively.
    pub disclosure_ground: Option<crate::disclosure::Ground>,
    /// The day it stopped being in force, when out of force and known.
    pub validity_changed_date: Option<Date>,
    /// The record's number in the system it comes from, which makes an import run again
    /// skip it ([`ValidDocument::import_identity`]).
    pub external_id: Option<String>,
}

/// A problem with one field of an import line: an error, or a warning when it comes with a
/// valid record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}：{message}")]
pub struct LineProblem {
    /// The JSON key concerned, or `(行)` for the line as a whole.
    pub field: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl LineProblem {
    /// The field name used for problems of the whole line.
    pub const LINE: &'static str = "(行)";

    pub(crate) fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// Validates one line of a document import file (without its trailing newline).
///
/// Returns the record and its warnings, or every error found in the line.
pub fn validate_line(json: &str) -> Result<(ValidDocument, Vec<LineProblem>), Vec<LineProblem>> {
    let map = crate::json_line::parse_object(json)
        .map_err(|e| vec![LineProblem::new(LineProblem::LINE, e.to_string())])?;
    let mut check = Checker::default();
    let mut required = |name: &'static str| check.json_string(&map, name, true);
    let org = required("org");
    let title = required("title");
    let topic = required("topic");
    let kind = required("kind");
    let written_date = required("written_date");
    let published_date = required("published_date");
    let validity = required("validity");
    let column = required("column");
    let issuer = check.json_string(&map, "issuer", false);
    let body_html = check.json_string(&map, "body_html", false);
    let body_text = check.json_string(&map, "body_text", false);
    let formed_date = check.json_string(&map, "formed_date", false);
    let disclosure_term = check.json_string(&map, "disclosure_term", false);
    let disclosure = check.json_string(&map, "disclosure", false);
    let disclosure_ground = check.json_string(&map, "disclosure_ground", false);
    let validity_changed_date = check.json_string(&map, "validity_changed_date", false);
    let doc_number = match map.get("doc_number") {
        // A number is kept as its text: the contract never rejects a line for its 发文字号.
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => check.json_string(&map, "doc_number", false),
    };
    let external_id = match map.get("external_id") {
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => check.json_string(&map, "external_id", false),
    }
    .map(|s| s.trim().to_owned());
    if let Some(id) = &external_id
        && (id.is_empty() || id.chars().count() > MAX_EXTERNAL_ID_CHARS)
    {
        check.error(
            "external_id",
            format!("须为 1 至 {MAX_EXTERNAL_ID_CHARS} 个字符（原系统中的记录编号）"),
        );
    }
    let (mut doc, warnings) = check.fields(RawFields {
        org: org.as_deref(),
        title: title.as_deref(),
        doc_number: doc_number.as_deref(),
        issuer: issuer.as_deref(),
        topic: topic.as_deref(),
        kind: kind.as_deref(),
        written_date: written_date.as_deref(),
        published_date: published_date.as_deref(),
        validity: validity.as_deref(),
        column: column.as_deref(),
        body_html: body_html.as_deref(),
        body_text: body_text.as_deref(),
        formed_date: formed_date.as_deref(),
        disclosure_term: disclosure_term.as_deref(),
        disclosure: disclosure.as_deref(),
        disclosure_ground: disclosure_ground.as_deref(),
        validity_changed_date: validity_changed_date.as_deref(),
    })?;
    doc.external_id = external_id;
    Ok((doc, warnings))
}

/// Separates the parts of an import identity (a character no field holds).
const IDENTITY_SEP: char = '\u{1f}';

/// The longest `external_id` accepted.
pub const MAX_EXTERNAL_ID_CHARS: usize = 200;

impl ValidDocument {
    /// What makes a line the same record as one imported before (with its organization):
    /// the `external_id` the file gives, else 发文字号, 标题, 成文日期 and 发布日期.
    pub fn import_identity(&self) -> String {
        match &self.external_id {
            Some(id) => format!("id{IDENTITY_SEP}{id}"),
            None => Self::identity_of(
                self.doc_number.as_deref(),
                &self.title,
                self.written_date,
                self.published_date,
            ),
        }
    }

    /// The identity of a record without an `external_id`, from what is stored of it.
    pub fn identity_of(
        doc_number: Option<&str>,
        title: &str,
        written: Date,
        published: Date,
    ) -> String {
        const SEP: char = IDENTITY_SEP;
        format!(
            "doc{SEP}{}{SEP}{title}{SEP}{}{SEP}{}",
            doc_number.unwrap_or(""),
            crate::text::format_date_iso(written),
            crate::text::format_date_iso(published),
        )
    }
}

impl DocumentLine {
    /// Validates a line already deserialized; the same rules as [`validate_line`].
    pub fn validate(&self) -> Result<(ValidDocument, Vec<LineProblem>), Vec<LineProblem>> {
        Checker::default().fields(RawFields {
            org: Some(&self.org),
            title: Some(&self.title),
            doc_number: self.doc_number.as_deref(),
            issuer: self.issuer.as_deref(),
            topic: Some(&self.topic),
            kind: Some(&self.kind),
            written_date: Some(&self.written_date),
            published_date: Some(&self.published_date),
            validity: Some(&self.validity),
            column: Some(&self.column),
            body_html: self.body_html.as_deref(),
            body_text: self.body_text.as_deref(),
            formed_date: self.formed_date.as_deref(),
            disclosure_term: self.disclosure_term.as_deref(),
            disclosure: self.disclosure.as_deref(),
            disclosure_ground: self.disclosure_ground.as_deref(),
            validity_changed_date: self.validity_changed_date.as_deref(),
        })
    }
}

impl From<&ValidDocument> for DocumentLine {
    /// The import line that re-imports to the same record (for exports).
    fn from(d: &ValidDocument) -> Self {
        let (body_html, body_text) = match &d.body {
            Body::Html(html) => (Some(html.clone()), None),
            Body::Text(text) => (None, Some(text.clone())),
        };
        Self {
            org: d.org.to_string(),
            title: d.title.clone(),
            doc_number: d.doc_number.clone(),
            issuer: d.issuer.clone(),
            topic: d.topic.label(),
            kind: d.kind.label().to_owned(),
            written_date: crate::text::format_date_iso(d.written_date),
            published_date: crate::text::format_date_iso(d.published_date),
            validity: d.validity.code().to_owned(),
            column: d.column.to_string(),
            body_html,
            body_text,
            formed_date: d.formed_date.map(crate::text::format_date_iso),
            disclosure_term: d.disclosure_term.map(|t| t.code().to_owned()),
            disclosure: (d.disclosure != crate::disclosure::Attribute::Proactive)
                .then(|| d.disclosure.code().to_owned()),
            disclosure_ground: d.disclosure_ground.map(|g| g.code().to_owned()),
            validity_changed_date: d.validity_changed_date.map(crate::text::format_date_iso),
        }
    }
}

/// The fields of a line; `None` for a required field means it was missing and has already been
/// reported.
struct RawFields<'a> {
    org: Option<&'a str>,
    title: Option<&'a str>,
    doc_number: Option<&'a str>,
    issuer: Option<&'a str>,
    topic: Option<&'a str>,
    kind: Option<&'a str>,
    written_date: Option<&'a str>,
    published_date: Option<&'a str>,
    validity: Option<&'a str>,
    column: Option<&'a str>,
    body_html: Option<&'a str>,
    body_text: Option<&'a str>,
    formed_date: Option<&'a str>,
    disclosure_term: Option<&'a str>,
    disclosure: Option<&'a str>,
    disclosure_ground: Option<&'a str>,
    validity_changed_date: Option<&'a str>,
}

/// Collects the errors and warnings of one line.
#[derive(Default)]
struct Checker {
    errors: Vec<LineProblem>,
    warnings: Vec<LineProblem>,
}

impl Checker {
    fn error(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(LineProblem::new(field, message));
    }

    /// A string field of the JSON object: missing and `null` are absent (an error when
    /// required), any other non-string is an error.
    fn json_string(
        &mut self,
        map: &serde_json::Map<String, Value>,
        name: &'static str,
        required: bool,
    ) -> Option<String> {
        match map.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            None | Some(Value::Null) => {
                if required {
                    self.error(name, "缺少必填字段");
                }
                None
            }
            Some(other) => {
                let found = match other {
                    Value::Bool(_) => "布尔值",
                    Value::Number(_) => "数字",
                    Value::Array(_) => "数组",
                    _ => "对象",
                };
                let expected = if required {
                    "须为字符串"
                } else {
                    "须为字符串或 null"
                };
                self.error(name, format!("{expected}，不能是{found}"));
                None
            }
        }
    }

    /// Checks every field and returns the record, or all errors.
    fn fields(
        mut self,
        raw: RawFields<'_>,
    ) -> Result<(ValidDocument, Vec<LineProblem>), Vec<LineProblem>> {
        let org = raw.org.and_then(|org| {
            OrgCode::parse(org.trim())
                .map_err(|e| self.error("org", e.to_string()))
                .ok()
        });
        let title = raw.title.and_then(|title| self.title(title));
        let (doc_number, doc_number_parsed) = self.doc_number(raw.doc_number);
        let issuer = self.issuer(raw.issuer);
        let topic = raw.topic.and_then(|topic| {
            Topic::parse(topic)
                .map_err(|e| self.error("topic", e.to_string()))
                .ok()
        });
        let kind = raw.kind.and_then(|kind| {
            DocKind::parse(kind)
                .map_err(|e| self.error("kind", e.to_string()))
                .ok()
        });
        let written_date = raw
            .written_date
            .and_then(|d| self.date("written_date", "成文日期", d));
        let published_date = raw
            .published_date
            .and_then(|d| self.date("published_date", "发布日期", d));
        if let (Some(written), Some(published)) = (written_date, published_date)
            && written > published
        {
            self.error(
                "written_date",
                format!("成文日期 {written} 晚于发布日期 {published}：文件不能在成文之前发布"),
            );
        }
        let formed_date = raw
            .formed_date
            .and_then(|d| self.date("formed_date", "形成或变更日期", d));
        if let (Some(formed), Some(published)) = (formed_date, published_date)
            && formed > published
        {
            self.error(
                "formed_date",
                format!("形成或变更日期 {formed} 晚于发布日期 {published}：信息不能在形成之前发布"),
            );
        }
        let disclosure_term = raw.disclosure_term.and_then(|t| {
            DisclosureTerm::parse(t)
                .map_err(|e| self.error("disclosure_term", e.to_string()))
                .ok()
        });
        use crate::disclosure::{Attribute, Ground};
        let disclosure = match raw.disclosure {
            None => Some(Attribute::Proactive),
            Some(a) => Attribute::parse(a)
                .map_err(|e| self.error("disclosure", e.to_string()))
                .ok(),
        };
        let disclosure_ground = raw.disclosure_ground.and_then(|g| {
            Ground::parse(g)
                .map_err(|e| self.error("disclosure_ground", e.to_string()))
                .ok()
        });
        if let Some(a) = disclosure
            && (raw.disclosure_ground.is_none() || disclosure_ground.is_some())
            && let Err(e) = crate::disclosure::check(a, disclosure_ground)
        {
            self.error("disclosure_ground", e.to_string());
        }
        let validity = raw.validity.and_then(|validity| {
            Validity::parse(validity)
                .map_err(|e| self.error("validity", e.to_string()))
                .ok()
        });
        let validity_changed_date = raw
            .validity_changed_date
            .and_then(|d| self.date("validity_changed_date", "失效或废止日期", d));
        if let Some(changed) = validity_changed_date {
            if validity == Some(Validity::Valid) {
                self.error(
                    "validity_changed_date",
                    "有效的文件没有失效或废止日期：只有 expired、repealed 的文件可以填写",
                );
            }
            if let Some(written) = written_date
                && changed < written
            {
                self.error(
                    "validity_changed_date",
                    format!("失效或废止日期 {changed} 早于成文日期 {written}"),
                );
            }
        }
        let column = raw.column.and_then(|column| {
            ColumnPath::parse(column)
                .map_err(|e| self.error("column", e.to_string()))
                .ok()
        });
        let body = match (raw.body_html, raw.body_text) {
            (Some(_), Some(_)) => {
                self.error(
                    "body_html",
                    "body_html 与 body_text 只能给出一个：正文要么是 HTML，要么是纯文本",
                );
                None
            }
            (Some(html), None) => Some(Body::Html(html.to_owned())),
            (None, Some(text)) => Some(Body::Text(text.to_owned())),
            (None, None) => Some(Body::Text(String::new())),
        };
        match (
            org,
            title,
            topic,
            kind,
            written_date,
            published_date,
            validity,
            column,
            body,
            disclosure,
        ) {
            (
                Some(org),
                Some(title),
                Some(topic),
                Some(kind),
                Some(written_date),
                Some(published_date),
                Some(validity),
                Some(column),
                Some(body),
                Some(disclosure),
            ) if self.errors.is_empty() => Ok((
                ValidDocument {
                    org,
                    title,
                    doc_number,
                    doc_number_parsed,
                    issuer,
                    topic,
                    kind,
                    written_date,
                    published_date,
                    validity,
                    column,
                    body,
                    formed_date,
                    disclosure_term,
                    disclosure,
                    disclosure_ground,
                    validity_changed_date,
                    external_id: None,
                },
                self.warnings,
            )),
            _ => {
                if self.errors.is_empty() {
                    // Unreachable: every None above comes with an error. Kept so that a
                    // future field cannot turn into an empty error list.
                    self.error(LineProblem::LINE, "记录不完整");
                }
                Err(self.errors)
            }
        }
    }

    fn title(&mut self, title: &str) -> Option<String> {
        let title = title.trim();
        if title.is_empty() {
            self.error("title", "标题为空");
            return None;
        }
        if let Some(c) = title.chars().find(|c| c.is_control()) {
            self.error("title", format!("标题含控制字符 U+{:04X}", u32::from(c)));
            return None;
        }
        let chars = title.chars().count();
        if chars > MAX_TITLE_CHARS {
            self.error(
                "title",
                format!("标题过长：最多 {MAX_TITLE_CHARS} 个字，现有 {chars} 个字"),
            );
            return None;
        }
        Some(title.to_owned())
    }

    fn doc_number(&mut self, raw: Option<&str>) -> (Option<String>, bool) {
        let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
            return (None, false);
        };
        match docno::normalize(raw) {
            Ok(number) => (Some(number.to_string()), true),
            Err(e) => {
                self.warnings.push(LineProblem::new(
                    "doc_number",
                    format!("发文字号无法识别，按原样保存：{raw}（{e}）"),
                ));
                // Kept as written, less control characters no page can show.
                (
                    Some(raw.chars().filter(|c| !c.is_control()).collect()),
                    false,
                )
            }
        }
    }

    fn issuer(&mut self, raw: Option<&str>) -> Option<String> {
        let issuer = raw.map(str::trim).filter(|s| !s.is_empty())?;
        if let Some(c) = issuer.chars().find(|c| c.is_control()) {
            self.error(
                "issuer",
                format!("发文机关含控制字符 U+{:04X}", u32::from(c)),
            );
            return None;
        }
        let chars = issuer.chars().count();
        if chars > MAX_ISSUER_CHARS {
            self.error(
                "issuer",
                format!("发文机关过长：最多 {MAX_ISSUER_CHARS} 个字，现有 {chars} 个字"),
            );
            return None;
        }
        Some(issuer.to_owned())
    }

    fn date(&mut self, field: &'static str, name: &str, raw: &str) -> Option<Date> {
        // Every DateError message starts with "日期"; naming the field reads better.
        parse_date(raw.trim())
            .map_err(|e| self.error(field, e.to_string().replacen("日期", name, 1)))
            .ok()
    }
}
