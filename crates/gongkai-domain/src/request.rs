//! Information requests (依申请公开, 条例 Art. 27–45): who asked, what the office decided and
//! on which article, and what the applicant did about it afterwards.
//!
//! - [`ApplicantType`]: the six columns of annual-report table 三 (DOMAIN A1). Art. 29 lets
//!   "公民、法人或者其他组织" apply; the 2021 template splits the legal persons five ways.
//! - [`Outcome`]: the 21 rows of "本年度办理结果" (DOMAIN A2), grouped as the template groups
//!   them ([`OutcomeGroup`]).
//! - [`LegalBasis`]: the article a reply rests on. The report row follows from the outcome, the
//!   reply letter from the basis: `unavailable.not_held` covers both Art. 36(四) (信息不存在)
//!   and Art. 36(五) (不属于本机关负责公开), whose letters differ (DOMAIN B §3.2).
//! - [`Review`]: 行政复议 and 行政诉讼 against a reply (DOMAIN A3, table 四).
//! - [`validate_request_line`]: one line of the request import format (SPEC "Import formats").
//!
//! Applicant details are personal information (SPEC C4): [`Applicant`]'s `Debug` prints no
//! field, so that a stray `{:?}` cannot put them into a log.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::document::LineProblem;
use crate::error::vocabulary;
use crate::org::OrgCode;
use crate::text::{format_date_iso, parse_date};

vocabulary! {
    /// 申请人情况: the applicant's type, one column of table 三 (DOMAIN A1).
    pub enum ApplicantType: "申请人类型" {
        /// 自然人.
        NaturalPerson = ("natural_person", "自然人"),
        /// 法人或其他组织 — 商业企业.
        Commercial = ("legal.commercial", "商业企业", "法人或其他组织—商业企业"),
        /// 法人或其他组织 — 科研机构.
        Research = ("legal.research", "科研机构", "法人或其他组织—科研机构"),
        /// 法人或其他组织 — 社会公益组织.
        PublicInterest = ("legal.public_interest", "社会公益组织", "法人或其他组织—社会公益组织"),
        /// 法人或其他组织 — 法律服务机构.
        LegalServices = ("legal.legal_services", "法律服务机构", "法人或其他组织—法律服务机构"),
        /// 法人或其他组织 — 其他.
        OtherLegal = ("legal.other", "其他", "法人或其他组织—其他", "其他组织"),
    }
}

impl ApplicantType {
    /// Whether the applicant is a 法人或其他组织 (the five columns after 自然人).
    pub fn is_legal_person(self) -> bool {
        self != ApplicantType::NaturalPerson
    }

    /// Position among the table's columns (0 = 自然人 … 5 = 其他); 总计 is column 6.
    pub fn column(self) -> usize {
        self as usize
    }
}

/// The group of table 三 an outcome sits in; the template prints the group as a merged row
/// header without a subtotal (DOMAIN B §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeGroup {
    /// （一）予以公开.
    Disclosed,
    /// （二）部分公开.
    PartiallyDisclosed,
    /// （三）不予公开.
    Withheld,
    /// （四）无法提供.
    Unavailable,
    /// （五）不予处理.
    NotProcessed,
    /// （六）其他处理.
    Other,
}

impl OutcomeGroup {
    /// The row header as printed in the template.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeGroup::Disclosed => "（一）予以公开",
            OutcomeGroup::PartiallyDisclosed => {
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
            }
            OutcomeGroup::Withheld => "（三）不予公开",
            OutcomeGroup::Unavailable => "（四）无法提供",
            OutcomeGroup::NotProcessed => "（五）不予处理",
            OutcomeGroup::Other => "（六）其他处理",
        }
    }
}

vocabulary! {
    /// 办理结果: how a request was closed, one row of table 三 (DOMAIN A2).
    pub enum Outcome: "办理结果" {
        /// （一）予以公开 (Art. 36(一)(二)).
        Disclosed = ("disclosed", "予以公开"),
        /// （二）部分公开 (Art. 37); a separable request counts here only.
        PartiallyDisclosed = ("partially_disclosed", "部分公开"),
        /// （三）1.属于国家秘密 (Art. 14).
        StateSecret = ("withheld.state_secret", "属于国家秘密"),
        /// （三）2.其他法律行政法规禁止公开 (Art. 14).
        ProhibitedByLaw = ("withheld.prohibited_by_law", "其他法律行政法规禁止公开"),
        /// （三）3.危及“三安全一稳定” (Art. 14).
        SecurityStability = ("withheld.security_stability", "危及“三安全一稳定”", "危及\"三安全一稳定\""),
        /// （三）4.保护第三方合法权益 (Art. 15).
        ThirdPartyRights = ("withheld.third_party_rights", "保护第三方合法权益"),
        /// （三）5.属于三类内部事务信息 (Art. 16 ¶1).
        InternalAffairs = ("withheld.internal_affairs", "属于三类内部事务信息"),
        /// （三）6.属于四类过程性信息 (Art. 16 ¶2).
        ProcessInfo = ("withheld.process_info", "属于四类过程性信息"),
        /// （三）7.属于行政执法案卷 (Art. 16 ¶2).
        EnforcementFile = ("withheld.enforcement_file", "属于行政执法案卷"),
        /// （三）8.属于行政查询事项 (Art. 36(七)).
        QueryMatter = ("withheld.query_matter", "属于行政查询事项"),
        /// （四）1.本机关不掌握相关政府信息 (Art. 36(四)(五)).
        NotHeld = ("unavailable.not_held", "本机关不掌握相关政府信息"),
        /// （四）2.没有现成信息需要另行制作 (Art. 38).
        NeedsCreation = ("unavailable.needs_creation", "没有现成信息需要另行制作"),
        /// （四）3.补正后申请内容仍不明确 (Art. 30).
        UnclearAfterCorrection = ("unavailable.unclear_after_correction", "补正后申请内容仍不明确"),
        /// （五）1.信访举报投诉类申请 (Art. 39 ¶1).
        PetitionComplaint = ("not_processed.petition_complaint", "信访举报投诉类申请"),
        /// （五）2.重复申请 (Art. 36(六)).
        Duplicate = ("not_processed.duplicate", "重复申请"),
        /// （五）3.要求提供公开出版物 (Art. 39 ¶2).
        Publication = ("not_processed.publication", "要求提供公开出版物"),
        /// （五）4.无正当理由大量反复申请 (Art. 35).
        Excessive = ("not_processed.excessive", "无正当理由大量反复申请"),
        /// （五）5.要求行政机关确认或重新出具已获取信息 (practice).
        ConfirmOrReissue = ("not_processed.confirm_or_reissue", "要求行政机关确认或重新出具已获取信息"),
        /// （六）1.申请人无正当理由逾期不补正 (Art. 30).
        NoCorrection = ("other.no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "逾期不补正"),
        /// （六）2.申请人逾期未按收费通知要求缴纳费用 (国办函〔2020〕109号).
        FeeUnpaid = ("other.fee_unpaid", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "逾期未缴费"),
        /// （六）3.其他; also a request the applicant withdrew (DOMAIN A4 [U]).
        Other = ("other.other", "其他"),
    }
}

impl Outcome {
    /// The table-三 group of this outcome.
    pub fn group(self) -> OutcomeGroup {
        use Outcome::*;
        match self {
            Disclosed => OutcomeGroup::Disclosed,
            PartiallyDisclosed => OutcomeGroup::PartiallyDisclosed,
            StateSecret | ProhibitedByLaw | SecurityStability | ThirdPartyRights
            | InternalAffairs | ProcessInfo | EnforcementFile | QueryMatter => {
                OutcomeGroup::Withheld
            }
            NotHeld | NeedsCreation | UnclearAfterCorrection => OutcomeGroup::Unavailable,
            PetitionComplaint | Duplicate | Publication | Excessive | ConfirmOrReissue => {
                OutcomeGroup::NotProcessed
            }
            NoCorrection | FeeUnpaid | Other => OutcomeGroup::Other,
        }
    }

    /// The row label exactly as in DOMAIN A2, e.g. `（三）1.属于国家秘密`.
    pub fn row_label(self) -> String {
        let within = Self::all()
            .iter()
            .filter(|o| o.group() == self.group())
            .position(|o| *o == self);
        match (self.group(), within) {
            (OutcomeGroup::Disclosed | OutcomeGroup::PartiallyDisclosed, _) | (_, None) => {
                self.group().label().to_owned()
            }
            (group, Some(i)) => {
                let prefix =
                    &group.label()[..group.label().find('）').map_or(0, |p| p + '）'.len_utf8())];
                format!("{prefix}{}.{}", i + 1, self.label())
            }
        }
    }

    /// The report key of this outcome's row, `outcome.<code>` (DOMAIN A5).
    pub fn row_key(self) -> String {
        format!("outcome.{}", self.code())
    }

    /// The articles this outcome may rest on (DOMAIN B §3.2). A partial disclosure also cites
    /// the ground of the part withheld.
    pub fn legal_bases(self) -> Vec<LegalBasis> {
        LegalBasis::all()
            .iter()
            .copied()
            .filter(|b| b.outcome() == self)
            .collect()
    }

    /// Whether `basis` is a ground this outcome may cite.
    pub fn accepts_basis(self, basis: LegalBasis) -> bool {
        basis.outcome() == self
            || (self == Outcome::PartiallyDisclosed
                && basis.outcome().group() == OutcomeGroup::Withheld)
    }
}

vocabulary! {
    /// 答复依据: the article a reply rests on (DOMAIN B §3.2). Codes name the article of the
    /// 《中华人民共和国政府信息公开条例》 (2019); `fee_rules` is 国办函〔2020〕109号.
    pub enum LegalBasis: "答复依据" {
        /// 第三十六条第（一）项: already disclosed proactively; the letter says where.
        AlreadyPublic = ("art36.1", "第三十六条第（一）项（已主动公开）"),
        /// 第三十六条第（二）项: can be disclosed.
        CanDisclose = ("art36.2", "第三十六条第（二）项（可以公开）"),
        /// 第三十七条: 区分处理.
        Separable = ("art37", "第三十七条（区分处理）"),
        /// 第十四条: 国家秘密.
        StateSecret = ("art14.state_secret", "第十四条（国家秘密）"),
        /// 第十四条: 法律、行政法规禁止公开.
        ProhibitedByLaw = ("art14.prohibited_by_law", "第十四条（法律、行政法规禁止公开）"),
        /// 第十四条: 危及国家安全、公共安全、经济安全、社会稳定.
        SecurityStability = ("art14.security_stability", "第十四条（危及国家安全、公共安全、经济安全、社会稳定）"),
        /// 第十五条: 商业秘密、个人隐私等第三方合法权益.
        ThirdPartyRights = ("art15", "第十五条（第三方合法权益）"),
        /// 第十六条第一款: 人事管理、后勤管理、内部工作流程等内部事务信息.
        InternalAffairs = ("art16.1", "第十六条第一款（内部事务信息）"),
        /// 第十六条第二款: 讨论记录、过程稿、磋商信函、请示报告等过程性信息.
        ProcessInfo = ("art16.2.process", "第十六条第二款（过程性信息）"),
        /// 第十六条第二款: 行政执法案卷信息.
        EnforcementFile = ("art16.2.enforcement", "第十六条第二款（行政执法案卷信息）"),
        /// 第三十六条第（七）项: 工商、不动产登记资料等, to be obtained under their own laws.
        QueryMatter = ("art36.7", "第三十六条第（七）项（依照有关法律、行政法规办理）"),
        /// 第三十六条第（四）项: the information does not exist.
        NotExist = ("art36.4", "第三十六条第（四）项（信息不存在）"),
        /// 第三十六条第（五）项: not this office's to disclose; the letter names the right one.
        NotOurs = ("art36.5", "第三十六条第（五）项（不属于本机关负责公开）"),
        /// 第三十八条: needs processing or analysis of existing information.
        NeedsCreation = ("art38", "第三十八条（需要加工、分析）"),
        /// 第三十条: still unclear after the 补正.
        UnclearAfterCorrection = ("art30.unclear", "第三十条（补正后申请内容仍不明确）"),
        /// 第三十九条第一款: 信访、投诉、举报.
        PetitionComplaint = ("art39.1", "第三十九条第一款（信访、投诉、举报）"),
        /// 第三十六条第（六）项: repeated request.
        Duplicate = ("art36.6", "第三十六条第（六）项（重复申请）"),
        /// 第三十九条第二款: 公开出版物.
        Publication = ("art39.2", "第三十九条第二款（公开出版物）"),
        /// 第三十五条: 数量、频次明显超过合理范围.
        Excessive = ("art35", "第三十五条（明显超过合理范围）"),
        /// Practice: asks the office to confirm or re-issue information already obtained.
        ConfirmOrReissue = ("practice.confirm_or_reissue", "要求确认或重新出具已获取信息"),
        /// 第三十条: 逾期不补正, 视为放弃申请.
        NoCorrection = ("art30.no_correction", "第三十条（逾期不补正）"),
        /// 国办函〔2020〕109号: 逾期未缴纳信息处理费, 视为放弃申请.
        FeeUnpaid = ("fee_rules", "《政府信息公开信息处理费管理办法》（逾期未缴费）"),
        /// The applicant withdrew the request (撤回).
        Withdrawn = ("withdrawn", "申请人撤回申请"),
        /// Any other ground, stated in the letter.
        Other = ("other", "其他"),
    }
}

impl LegalBasis {
    /// The outcome (report row) this ground leads to.
    pub fn outcome(self) -> Outcome {
        use LegalBasis as B;
        match self {
            B::AlreadyPublic | B::CanDisclose => Outcome::Disclosed,
            B::Separable => Outcome::PartiallyDisclosed,
            B::StateSecret => Outcome::StateSecret,
            B::ProhibitedByLaw => Outcome::ProhibitedByLaw,
            B::SecurityStability => Outcome::SecurityStability,
            B::ThirdPartyRights => Outcome::ThirdPartyRights,
            B::InternalAffairs => Outcome::InternalAffairs,
            B::ProcessInfo => Outcome::ProcessInfo,
            B::EnforcementFile => Outcome::EnforcementFile,
            B::QueryMatter => Outcome::QueryMatter,
            B::NotExist | B::NotOurs => Outcome::NotHeld,
            B::NeedsCreation => Outcome::NeedsCreation,
            B::UnclearAfterCorrection => Outcome::UnclearAfterCorrection,
            B::PetitionComplaint => Outcome::PetitionComplaint,
            B::Duplicate => Outcome::Duplicate,
            B::Publication => Outcome::Publication,
            B::Excessive => Outcome::Excessive,
            B::ConfirmOrReissue => Outcome::ConfirmOrReissue,
            B::NoCorrection => Outcome::NoCorrection,
            B::FeeUnpaid => Outcome::FeeUnpaid,
            B::Withdrawn | B::Other => Outcome::Other,
        }
    }

    /// The citation a reply letter quotes, e.g. `《中华人民共和国政府信息公开条例》第三十六条第（四）项`.
    pub fn citation(self) -> String {
        // The label is the article followed by a bracketed gloss: drop the gloss.
        let label = self.label();
        let article = label.rfind('（').map_or(label, |i| &label[..i]);
        match self {
            LegalBasis::FeeUnpaid => {
                "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）".to_owned()
            }
            LegalBasis::ConfirmOrReissue | LegalBasis::Withdrawn | LegalBasis::Other => {
                String::new()
            }
            LegalBasis::ProcessInfo | LegalBasis::EnforcementFile => {
                "《中华人民共和国政府信息公开条例》第十六条第二款".to_owned()
            }
            _ => format!("《中华人民共和国政府信息公开条例》{article}"),
        }
    }
}

vocabulary! {
    /// 行政复议 or 行政诉讼 against a reply (DOMAIN A3, the three blocks of table 四).
    pub enum ReviewKind: "复议诉讼类型" {
        /// 行政复议.
        Reconsideration = ("reconsideration", "行政复议"),
        /// 行政诉讼, 未经复议直接起诉.
        LitigationDirect = ("litigation_direct", "未经复议直接起诉"),
        /// 行政诉讼, 复议后起诉.
        LitigationAfterReconsideration = ("litigation_after_reconsideration", "复议后起诉"),
    }
}

vocabulary! {
    /// The decided result of a review or suit (DOMAIN A3); undecided cases are 尚未审结.
    pub enum ReviewResult: "复议诉讼结果" {
        /// 结果维持.
        Upheld = ("upheld", "结果维持", "维持"),
        /// 结果纠正.
        Corrected = ("corrected", "结果纠正", "纠正"),
        /// 其他结果.
        Other = ("other", "其他结果"),
    }
}

/// A 行政复议 or 行政诉讼 case about one request. Counted in the year it was filed, and
/// 尚未审结 in that year's report when undecided on 31 December (DOMAIN A3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    /// Which block of table 四.
    pub kind: ReviewKind,
    /// Day filed (立案/申请日).
    pub filed: Date,
    /// Result and the day it was decided; `None` while pending.
    pub decision: Option<(ReviewResult, Date)>,
}

impl Review {
    /// The result as of `day`: `None` (尚未审结) when not decided by then.
    pub fn result_on(&self, day: Date) -> Option<ReviewResult> {
        self.decision
            .filter(|(_, decided)| *decided <= day)
            .map(|(result, _)| result)
    }
}

/// Checks a case that staff enter on a request received on `received`: filed no earlier than
/// the receipt and no later than `today`, decided no earlier than filed and no later than
/// `today`. The first problem names its field.
pub fn check_review(
    received: Date,
    review: &Review,
    today: Date,
) -> Result<(), (&'static str, String)> {
    if review.filed < received {
        return Err((
            "filed_date",
            format!("立案日期 {} 早于收到申请之日 {received}", review.filed),
        ));
    }
    if review.filed > today {
        return Err(("filed_date", "立案日期不能晚于今天".to_owned()));
    }
    if let Some((_, decided)) = review.decision {
        if decided < review.filed {
            return Err((
                "decided_date",
                format!("审结日期 {decided} 早于立案日期 {}", review.filed),
            ));
        }
        if decided > today {
            return Err(("decided_date", "审结日期不能晚于今天".to_owned()));
        }
    }
    Ok(())
}

/// Checks a reply's outcome against the clock events recorded before it (Art. 30): while a
/// 补正 is awaited the only reply is 逾期不补正, which in turn needs a 补正 left unanswered;
/// 补正后仍不明确 needs a 补正 received. Imported history is not checked (older systems kept
/// no events).
pub fn check_reply_events(
    outcome: Outcome,
    before: &[crate::deadline::ClockEvent],
) -> Result<(), String> {
    use crate::deadline::ClockEventKind as K;
    let mut awaiting = false;
    let mut corrected = false;
    for e in before {
        match e.kind {
            K::CorrectionRequested => awaiting = true,
            K::CorrectionReceived => {
                awaiting = false;
                corrected = true;
            }
            _ => {}
        }
    }
    match outcome {
        Outcome::NoCorrection if !awaiting => Err(
            "只有发出补正告知书、申请人逾期未补正时，才能以“逾期不补正”答复（第三十条）".to_owned(),
        ),
        Outcome::NoCorrection => Ok(()),
        _ if awaiting => {
            Err("申请人尚未补正：请先记录“收到补正”，或以“逾期不补正”答复（第三十条）".to_owned())
        }
        Outcome::UnclearAfterCorrection if !corrected => {
            Err("“补正后申请内容仍不明确”须先发出补正告知书并收到补正（第三十条）".to_owned())
        }
        _ => Ok(()),
    }
}

/// 查询码: the code an applicant follows a request by, or the number an older system gave it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingCode(String);

/// The longest tracking code accepted.
pub const MAX_TRACKING_CHARS: usize = 64;

impl TrackingCode {
    /// Checks a tracking code: 1–64 characters, no spaces or control characters.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("查询码为空".to_owned());
        }
        if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "查询码不能含空白或控制字符（U+{:04X}）",
                u32::from(c)
            ));
        }
        let chars = s.chars().count();
        if chars > MAX_TRACKING_CHARS {
            return Err(format!(
                "查询码过长：最多 {MAX_TRACKING_CHARS} 个字符，现有 {chars} 个"
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrackingCode({:?})", self.0)
    }
}

/// 申请人信息 (Art. 29(一)): name, identity document and contact. Personal information: shown
/// only to the staff handling the request and to the applicant; `Debug` prints no field.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// 姓名 or 名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 身份证明 (ID number, or the 统一社会信用代码 of an organization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// 联系电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 电子邮箱.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 通信地址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Applicant {
    /// Whether no detail is known.
    pub fn is_empty(&self) -> bool {
        self == &Applicant::default()
    }
}

impl fmt::Debug for Applicant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Applicant { <personal information redacted> }")
    }
}

/// A request line that passed validation (SPEC "Import formats").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    /// The organization asked.
    pub org: OrgCode,
    /// 查询码.
    pub tracking: TrackingCode,
    /// 申请人情况.
    pub applicant_type: ApplicantType,
    /// 收到申请之日 (Art. 31).
    pub received: Date,
    /// Outcome and reply day (for a withdrawal: `other.other` and the withdrawal day).
    pub closed: Option<(Outcome, Date)>,
    /// The articles the reply rests on.
    pub bases: Vec<LegalBasis>,
    /// Applicant details, personal information.
    pub applicant: Applicant,
    /// 所需信息的描述 (Art. 29(二)).
    pub description: Option<String>,
    /// The clock events (DOMAIN A6.1 format), as a JSON array; checked by the caller against
    /// the statutory clock.
    pub events: Vec<Value>,
    /// 行政复议 and 行政诉讼 cases.
    pub reviews: Vec<Review>,
}

/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

/// Validates one line of a request import file. Returns the record and its warnings, or every
/// error of the line.
pub fn validate_request_line(
    json: &str,
) -> Result<(ValidRequest, Vec<LineProblem>), Vec<LineProblem>> {
    let map = crate::json_line::parse_object(json)
        .map_err(|e| vec![LineProblem::new(LineProblem::LINE, e.to_string())])?;
    let mut p = Problems::default();
    let org = p.string(&map, "org", true).and_then(|s| {
        OrgCode::parse(s.trim())
            .map_err(|e| p.error("org", e.to_string()))
            .ok()
    });
    let tracking = p.string(&map, "tracking", true).and_then(|s| {
        TrackingCode::parse(&s)
            .map_err(|e| p.error("tracking", e))
            .ok()
    });
    let applicant_type = p.string(&map, "applicant_type", true).and_then(|s| {
        ApplicantType::from_code(&s)
            .map_err(|e| p.error("applicant_type", e.to_string()))
            .ok()
    });
    let received = p.date(&map, "received_date", true);
    let outcome = p.string(&map, "outcome", false).and_then(|s| {
        Outcome::parse(&s)
            .map_err(|e| p.error("outcome", e.to_string()))
            .ok()
    });
    let replied = p.date(&map, "replied_date", false);
    let present = |name: &str| matches!(map.get(name), Some(v) if !v.is_null() && v != "");
    let closed = match (present("outcome"), present("replied_date")) {
        (true, false) => {
            p.error(
                "replied_date",
                "有办理结果时须给出答复日期（撤回的申请填撤回之日）",
            );
            None
        }
        (false, true) => {
            p.error("outcome", "有答复日期时须给出办理结果");
            None
        }
        _ => outcome.zip(replied),
    };
    if let (Some(r), Some((_, d))) = (received, closed)
        && d < r
    {
        p.error("replied_date", format!("答复日期 {d} 早于收到申请之日 {r}"));
    }
    let bases = p.bases(&map, closed.map(|(o, _)| o));
    let applicant = match map.get("applicant") {
        None | Some(Value::Null) => Applicant::default(),
        Some(value) => match serde_json::from_value::<Applicant>(value.clone()) {
            Ok(a) => a,
            Err(e) => {
                p.error(
                    "applicant",
                    format!("须为对象，可含 name、id_number、phone、email、address（字符串）：{e}"),
                );
                Applicant::default()
            }
        },
    };
    let description = p.string(&map, "description", false).and_then(|d| {
        let d = d.trim().to_owned();
        let chars = d.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            p.error(
                "description",
                format!("描述过长：最多 {MAX_DESCRIPTION_CHARS} 个字，现有 {chars} 个字"),
            );
            None
        } else {
            (!d.is_empty()).then_some(d)
        }
    });
    let events = match map.get("events") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(events)) => events.clone(),
        Some(_) => {
            p.error(
                "events",
                "须为事件数组（格式同 gongkai deadline 的 events）",
            );
            Vec::new()
        }
    };
    let reviews = p.reviews(&map, received);
    match (org, tracking, applicant_type, received) {
        (Some(org), Some(tracking), Some(applicant_type), Some(received))
            if p.errors.is_empty() =>
        {
            Ok((
                ValidRequest {
                    org,
                    tracking,
                    applicant_type,
                    received,
                    closed,
                    bases,
                    applicant,
                    description,
                    events,
                    reviews,
                },
                p.warnings,
            ))
        }
        _ => {
            if p.errors.is_empty() {
                p.error(LineProblem::LINE, "记录不完整");
            }
            Err(p.errors)
        }
    }
}

impl ValidRequest {
    /// The import line that re-imports to this record (for exports).
    pub fn to_line(&self) -> Value {
        let mut map = Map::new();
        map.insert("org".into(), self.org.to_string().into());
        map.insert("tracking".into(), self.tracking.as_str().into());
        map.insert("applicant_type".into(), self.applicant_type.code().into());
        map.insert(
            "received_date".into(),
            format_date_iso(self.received).into(),
        );
        let (outcome, replied) = match self.closed {
            Some((o, d)) => (Value::from(o.code()), Value::from(format_date_iso(d))),
            None => (Value::Null, Value::Null),
        };
        map.insert("outcome".into(), outcome);
        map.insert("replied_date".into(), replied);
        if !self.bases.is_empty() {
            map.insert(
                "basis".into(),
                self.bases.iter().map(|b| Value::from(b.code())).collect(),
            );
        }
        if !self.applicant.is_empty() {
            map.insert(
                "applicant".into(),
                serde_json::to_value(&self.applicant).unwrap_or(Value::Null),
            );
        }
        if let Some(d) = &self.description {
            map.insert("description".into(), d.as_str().into());
        }
        if !self.events.is_empty() {
            map.insert("events".into(), Value::Array(self.events.clone()));
        }
        if !self.reviews.is_empty() {
            map.insert(
                "reviews".into(),
                self.reviews.iter().map(review_to_value).collect(),
            );
        }
        Value::Object(map)
    }
}

fn review_to_value(r: &Review) -> Value {
    let (result, decided) = match r.decision {
        Some((res, d)) => (Value::from(res.code()), Value::from(format_date_iso(d))),
        None => (Value::Null, Value::Null),
    };
    serde_json::json!({
        "kind": r.kind.code(),
        "filed_date": format_date_iso(r.filed),
        "result": result,
        "decided_date": decided,
    })
}

#[derive(Default)]
struct Problems {
    errors: Vec<LineProblem>,
    warnings: Vec<LineProblem>,
}

impl Problems {
    fn error(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(LineProblem::new(field, message));
    }

    fn string(
        &mut self,
        map: &Map<String, Value>,
        name: &'static str,
        required: bool,
    ) -> Option<String> {
        match map.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            None | Some(Value::Null) | Some(Value::String(_)) => {
                if required {
                    self.error(name, "缺少必填字段");
                }
                None
            }
            Some(_) => {
                self.error(
                    name,
                    if required {
                        "须为字符串"
                    } else {
                        "须为字符串或 null"
                    },
                );
                None
            }
        }
    }

    fn date(
        &mut self,
        map: &Map<String, Value>,
        name: &'static str,
        required: bool,
    ) -> Option<Date> {
        let text = self.string(map, name, required)?;
        parse_date(text.trim())
            .map_err(|e| self.error(name, e.to_string()))
            .ok()
    }

    fn bases(&mut self, map: &Map<String, Value>, outcome: Option<Outcome>) -> Vec<LegalBasis> {
        let texts: Vec<String> = match map.get("basis") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => {
                let mut texts = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => texts.push(s.clone()),
                        _ => {
                            self.error("basis", "答复依据须为字符串或字符串数组");
                            return Vec::new();
                        }
                    }
                }
                texts
            }
            Some(_) => {
                self.error("basis", "答复依据须为字符串或字符串数组");
                return Vec::new();
            }
        };
        let mut bases = Vec::new();
        for text in texts {
            match LegalBasis::parse(&text) {
                Ok(b) if bases.contains(&b) => {}
                Ok(b) => bases.push(b),
                Err(e) => self.error("basis", e.to_string()),
            }
        }
        match outcome {
            None if !bases.is_empty() => {
                self.error("basis", "尚未办结的申请不能有答复依据");
            }
            Some(o) => {
                for b in &bases {
                    if !o.accepts_basis(*b) {
                        self.error(
                            "basis",
                            format!(
                                "答复依据“{}”对应的办理结果是“{}”，与本行的办理结果“{}”不符",
                                b.label(),
                                b.outcome().row_label(),
                                o.row_label()
                            ),
                        );
                    }
                }
            }
            None => {}
        }
        bases
    }

    fn reviews(&mut self, map: &Map<String, Value>, received: Option<Date>) -> Vec<Review> {
        let items = match map.get("reviews") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.error("reviews", "须为数组：[{\"kind\": …, \"filed_date\": …, \"result\": …, \"decided_date\": …}]");
                return Vec::new();
            }
        };
        let mut reviews = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let Value::Object(r) = item else {
                self.error("reviews", format!("第 {n} 项须为对象"));
                continue;
            };
            let mut sub = Problems::default();
            let kind = sub.string(r, "kind", true).and_then(|k| {
                ReviewKind::from_code(&k)
                    .map_err(|e| sub.error("kind", e.to_string()))
                    .ok()
            });
            let filed = sub.date(r, "filed_date", true);
            let result = sub.string(r, "result", false).and_then(|k| {
                ReviewResult::from_code(&k)
                    .map_err(|e| sub.error("result", e.to_string()))
                    .ok()
            });
            let decided = sub.date(r, "decided_date", false);
            let bad_result = matches!(r.get("result"), Some(v) if !v.is_null()) && result.is_none();
            let bad_decided =
                matches!(r.get("decided_date"), Some(v) if !v.is_null()) && decided.is_none();
            let decision = match (result, decided) {
                (Some(res), Some(d)) => Some((res, d)),
                (None, None) => None,
                _ if bad_result || bad_decided => None,
                (Some(_), None) => {
                    sub.error("decided_date", "有结果时须给出审结日期");
                    None
                }
                (None, Some(_)) => {
                    sub.error(
                        "result",
                        "有审结日期时须给出结果（upheld、corrected 或 other）",
                    );
                    None
                }
            };
            if let (Some(f), Some((_, d))) = (filed, decision)
                && d < f
            {
                sub.error("decided_date", format!("审结日期 {d} 早于立案日期 {f}"));
            }
            if let (Some(f), Some(rec)) = (filed, received)
                && f < rec
            {
                sub.error("filed_date", format!("立案日期 {f} 早于收到申请之日 {rec}"));
            }
            for problem in sub.errors {
                self.error(
                    "reviews",
                    format!("第 {n} 项 {}：{}", problem.field, problem.message),
                );
            }
            if let (Some(kind), Some(filed)) = (kind, filed) {
                reviews.push(Review {
                    kind,
                    filed,
                    decision,
                });
            }
        }
        reviews
    }
}
