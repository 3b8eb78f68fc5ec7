//! The letters of a request (条例 Art. 30–36, 42): 登记回执, 补正告知书, 延期告知书, 征求意见函,
//! 收费通知 and the 答复告知书 of every legal basis, from templates an office can edit.
//!
//! A template is plain text: paragraphs separated by blank lines, with fill-ins such as
//! `{申请人}` named in Chinese so that the office reads what it edits. Rendering yields a
//! [`Letter`]; the letter issued is kept as it was rendered, so a template edited later never
//! changes a letter already sent.
//!
//! The remedies quoted on a reply follow 行政复议法 (2023) Art. 23(四): since 2024-01-01 a
//! 不予公开 decision must go to 行政复议 before 行政诉讼 (复议前置), so its letter does not offer
//! direct litigation (DOMAIN B §1.5).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::error::vocabulary;
use crate::request::{LegalBasis, Outcome, OutcomeGroup};
use crate::text::format_date_cn;

vocabulary! {
    /// The kind of a letter of a request.
    pub enum LetterKind: "告知书类型" {
        /// 登记回执: the receipt of an application, with its 查询码 and due date.
        Receipt = ("receipt", "登记回执"),
        /// 补正告知书 (Art. 30): one notice listing everything to correct.
        Correction = ("correction", "补正告知书"),
        /// 延期告知书 (Art. 33(2)).
        Extension = ("extension", "延期告知书"),
        /// 征求第三方意见函 (Art. 32): to the third party, never naming the applicant.
        ConsultThirdParty = ("consult_third_party", "征求第三方意见函"),
        /// 征求意见函 (Art. 34): to another agency that made the information with this one.
        ConsultAgency = ("consult_agency", "征求其他机关意见函"),
        /// 收费通知 (Art. 42, 国办函〔2020〕109号).
        FeeNotice = ("fee_notice", "收费通知"),
        /// 答复告知书 (Art. 36): the reply; its template depends on the legal basis.
        Reply = ("reply", "政府信息公开申请答复告知书"),
    }
}

impl LetterKind {
    /// The 代字 of this kind's 文号 series, after the organization's 机关代字: `鼓政办公复〔2026〕3号`.
    pub fn number_word(self) -> &'static str {
        match self {
            LetterKind::Receipt => "公登",
            LetterKind::Correction => "公补",
            LetterKind::Extension => "公延",
            LetterKind::ConsultThirdParty | LetterKind::ConsultAgency => "公征",
            LetterKind::FeeNotice => "公费",
            LetterKind::Reply => "公复",
        }
    }

    /// Whether the letter goes to the applicant (and so to the tracking page), rather than to
    /// a third party or another agency.
    pub fn to_applicant(self) -> bool {
        !matches!(
            self,
            LetterKind::ConsultThirdParty | LetterKind::ConsultAgency
        )
    }
}

/// Which template: a kind, and for a reply its legal basis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TemplateKey {
    /// The kind.
    pub kind: LetterKind,
    /// The basis of a reply; `None` for the other kinds.
    pub basis: Option<LegalBasis>,
}

impl TemplateKey {
    /// A template of a kind other than the reply.
    pub fn of(kind: LetterKind) -> TemplateKey {
        TemplateKey { kind, basis: None }
    }

    /// The reply template of a basis.
    pub fn reply(basis: LegalBasis) -> TemplateKey {
        TemplateKey {
            kind: LetterKind::Reply,
            basis: Some(basis),
        }
    }

    /// Every template there is: the procedural letters, then one reply per basis.
    pub fn all() -> Vec<TemplateKey> {
        let mut keys: Vec<TemplateKey> = LetterKind::all()
            .iter()
            .filter(|k| **k != LetterKind::Reply)
            .map(|k| TemplateKey::of(*k))
            .collect();
        keys.extend(LegalBasis::all().iter().map(|b| TemplateKey::reply(*b)));
        keys
    }

    /// The stored code: `correction`, `reply.art36.4`.
    pub fn code(self) -> String {
        match self.basis {
            Some(b) => format!("reply.{}", b.code()),
            None => self.kind.code().to_owned(),
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Result<TemplateKey, LetterError> {
        let bad = || LetterError::UnknownTemplate(code.to_owned());
        match code.strip_prefix("reply.") {
            Some(b) => Ok(TemplateKey::reply(
                LegalBasis::from_code(b).map_err(|_| bad())?,
            )),
            None => {
                let kind = LetterKind::from_code(code).map_err(|_| bad())?;
                if kind == LetterKind::Reply {
                    return Err(bad());
                }
                Ok(TemplateKey::of(kind))
            }
        }
    }

    /// What a person calls it: `答复告知书：第三十六条第（四）项（信息不存在）`.
    pub fn label(self) -> String {
        match self.basis {
            Some(b) => format!("答复告知书：{}", b.label()),
            None => self.kind.label().to_owned(),
        }
    }
}

/// A problem with a template or with rendering one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    /// No such template.
    #[error("没有“{0}”这种告知书模板")]
    UnknownTemplate(String),
    /// A fill-in the platform does not know.
    #[error("第{paragraph}段：不认识的填写项“{{{name}}}”，可用的有：{known}")]
    UnknownField {
        /// 1-based paragraph.
        paragraph: usize,
        /// The name inside the braces.
        name: String,
        /// The names allowed.
        known: String,
    },
    /// A brace opened and not closed, or closed and not opened.
    #[error("第{0}段：花括号不成对，填写项应写作 {{名称}}")]
    Braces(usize),
    /// Nothing in the body, or no title.
    #[error("{0}不能为空")]
    Empty(&'static str),
    /// Too long to be a letter.
    #[error("模板过长（{0} 字），请控制在 5000 字以内")]
    TooLong(usize),
}

/// The fill-ins a template may use, with what each holds.
pub const FIELDS: &[(&str, &str)] = &[
    ("申请人", "申请人的姓名或者名称"),
    ("机关", "作出告知的机关全称"),
    ("查询码", "申请的查询码"),
    ("收到日期", "收到申请之日（条例第三十一条）"),
    ("申请内容", "申请公开的政府信息的描述"),
    ("答复期限", "答复期限的最后一日"),
    ("依据", "答复所依据的条款全文引用"),
    (
        "救济",
        "行政复议、行政诉讼的告知（按答复日期和办理结果生成）",
    ),
    ("复议机关", "行政复议机关"),
    ("补正事项", "需要补正的事项（一次性告知）"),
    ("补正期限", "补正期限的最后一日"),
    ("延期天数", "延长的工作日数"),
    ("延期理由", "延期的理由"),
    ("被征求意见方", "第三方或者其他机关的名称"),
    ("意见期限", "提出意见的最后一日（15个工作日）"),
    ("费用金额", "信息处理费金额（元）"),
    ("计费说明", "按件或者按量计收的说明"),
    ("缴费期限", "缴费的最后一日（20个工作日）"),
    (
        "答复内容",
        "经办人填写的具体内容：获取方式、理由、负责公开的机关等",
    ),
    ("日期", "告知书的日期"),
];

/// The fill-ins written for each letter (the others come from the request).
pub const WRITTEN: &[&str] = &[
    "补正事项",
    "补正期限",
    "延期天数",
    "延期理由",
    "被征求意见方",
    "意见期限",
    "费用金额",
    "计费说明",
    "缴费期限",
    "答复内容",
];

/// An editable template: its title and its body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// The title printed on the letter.
    pub title: String,
    /// Paragraphs separated by blank lines, with `{填写项}`.
    pub body: String,
}

/// The longest body accepted, in characters.
const MAX_BODY: usize = 5000;

impl Template {
    /// Checks the title and every fill-in of the body.
    pub fn check(&self) -> Result<(), LetterError> {
        if self.title.trim().is_empty() {
            return Err(LetterError::Empty("标题"));
        }
        if self.body.trim().is_empty() {
            return Err(LetterError::Empty("正文"));
        }
        let chars = self.body.chars().count();
        if chars > MAX_BODY {
            return Err(LetterError::TooLong(chars));
        }
        for (i, p) in paragraphs(&self.body).iter().enumerate() {
            for piece in pieces(p, i + 1)? {
                if let Piece::Field(name) = piece
                    && !FIELDS.iter().any(|(f, _)| *f == name)
                {
                    return Err(LetterError::UnknownField {
                        paragraph: i + 1,
                        name: name.to_owned(),
                        known: FIELDS
                            .iter()
                            .map(|(f, _)| *f)
                            .collect::<Vec<_>>()
                            .join("、"),
                    });
                }
            }
        }
        Ok(())
    }
}

fn paragraphs(body: &str) -> Vec<String> {
    let body = body.replace("\r\n", "\n");
    body.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(""))
        .filter(|p| !p.is_empty())
        .collect()
}

enum Piece<'a> {
    Text(&'a str),
    Field(&'a str),
}

fn pieces(p: &str, n: usize) -> Result<Vec<Piece<'_>>, LetterError> {
    let mut out = Vec::new();
    let mut rest = p;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(LetterError::Braces(n));
        }
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(LetterError::Braces(n))?;
        let name = &after[..close];
        if name.contains('{') {
            return Err(LetterError::Braces(n));
        }
        out.push(Piece::Field(name.trim()));
        rest = &after[close + 1..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// A letter as rendered and issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// The kind's code.
    pub kind: String,
    /// Title, e.g. 政府信息公开申请答复告知书.
    pub title: String,
    /// Its own 文号, e.g. 鼓政办公复〔2026〕3号.
    pub number: String,
    /// The addressee line without the colon: the applicant, or the party consulted.
    pub addressee: String,
    /// The body, paragraph by paragraph.
    pub paragraphs: Vec<String>,
    /// The organization, as signed.
    pub signer: String,
    /// The date written under it, e.g. 2026年12月3日.
    pub date: String,
}

/// The facts a letter is filled from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The issuing organization's full name.
    pub org: String,
    /// The applicant's name or 名称.
    pub applicant: String,
    /// 查询码.
    pub tracking: String,
    /// 收到申请之日.
    pub received: Date,
    /// What was asked for.
    pub description: String,
    /// The day of the letter.
    pub issued: Date,
    /// The due date of the reply, where there is one.
    pub due: Option<Date>,
    /// The reply's legal basis.
    pub basis: Option<LegalBasis>,
    /// The 行政复议机关 named in the remedies.
    pub review_body: String,
    /// What the clerk wrote for this letter, by fill-in name (补正事项, 答复内容, …).
    pub extra: BTreeMap<String, String>,
}

/// The 文号 of a letter: `{机关代字}{kind word}〔{year}〕{n}号`.
pub fn number(prefix: &str, kind: LetterKind, year: i32, n: u32) -> String {
    format!("{prefix}{}〔{year}〕{n}号", kind.number_word())
}

/// The 行政复议机关 of an organization under 行政复议法 (2023) Art. 24, from its chain of
/// (kind code, name), root first, itself last: the nearest people's government above it (the
/// 本级人民政府 of a department or an office, the 上一级人民政府 of a government). An office
/// named `…人民政府办公室/办公厅` answers to that government.
pub fn review_body(chain: &[(&str, &str)]) -> String {
    let Some(((kind, name), above)) = chain.split_last() else {
        return "上一级人民政府".to_owned();
    };
    if let Some((_, g)) = above.iter().rev().find(|(k, _)| *k == "government") {
        return (*g).to_owned();
    }
    if *kind == "office"
        && let Some(gov) = name
            .strip_suffix("办公室")
            .or_else(|| name.strip_suffix("办公厅"))
            .filter(|g| g.ends_with("人民政府"))
    {
        return gov.to_owned();
    }
    match *kind {
        "government" | "town" => "上一级人民政府".to_owned(),
        _ => "本级人民政府".to_owned(),
    }
}

/// Whether a reply counts as 不予公开 under 行政复议法 Art. 23(四): the information withheld in
/// whole or in part.
pub fn is_refusal(outcome: Outcome) -> bool {
    matches!(outcome.group(), OutcomeGroup::Withheld) || outcome == Outcome::PartiallyDisclosed
}

/// The day the 2023 行政复议法 took effect (Art. 90), bringing 复议前置 for refusals.
pub fn review_first_since() -> Date {
    // A constant date: 2024-01-01 exists.
    Date::from_calendar_date(2024, Month::January, 1).unwrap_or(Date::MIN)
}

/// The remedies clause a reply quotes, for its outcome and date.
pub fn remedies(outcome: Outcome, issued: Date, review_body: &str) -> String {
    if is_refusal(outcome) && issued >= review_first_since() {
        format!(
            "如您对本答复不服，可以自收到本告知书之日起六十日内向{review_body}申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼（《中华人民共和国行政复议法》第二十条、第二十三条第一款第（四）项）。"
        )
    } else {
        format!(
            "如您对本答复不服，可以自收到本告知书之日起六十日内向{review_body}申请行政复议，或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
        )
    }
}

/// What the clerk must write for a letter, with what to ask for when it is missing.
pub fn required(key: TemplateKey) -> &'static [(&'static str, &'static str)] {
    use LegalBasis as B;
    match (key.kind, key.basis) {
        (LetterKind::Correction, _) => &[
            ("补正事项", "请写明需要补正的全部事项（一次性告知）"),
            ("补正期限", "请写明补正期限"),
        ],
        (LetterKind::Extension, _) => &[("延期理由", "请写明延期的理由")],
        (LetterKind::ConsultThirdParty, _) => &[("被征求意见方", "请写明第三方的名称")],
        (LetterKind::ConsultAgency, _) => &[("被征求意见方", "请写明被征求意见机关的名称")],
        (LetterKind::FeeNotice, _) => &[
            ("费用金额", "请写明信息处理费金额"),
            ("计费说明", "请写明按件或者按量计收的说明"),
        ],
        (LetterKind::Reply, Some(B::AlreadyPublic | B::Publication)) => {
            &[("答复内容", "请写明获取该信息的方式和途径")]
        }
        (LetterKind::Reply, Some(B::CanDisclose)) => &[(
            "答复内容",
            "请写明提供信息的方式（随文附送、邮寄、电子邮件或者领取的时间地点）",
        )],
        (LetterKind::Reply, Some(B::Separable)) => {
            &[("答复内容", "请写明提供的内容和不予公开部分的理由")]
        }
        (LetterKind::Reply, Some(B::NotOurs)) => &[(
            "答复内容",
            "请写明理由；能够确定的，写明负责公开的机关名称和联系方式",
        )],
        (LetterKind::Reply, Some(B::Other)) => &[("答复内容", "请写明答复内容")],
        _ => &[],
    }
}

/// Checks that everything the clerk must write for this letter is there; the first problem
/// names its fill-in.
pub fn check_written(
    key: TemplateKey,
    written: &BTreeMap<String, String>,
) -> Result<(), (&'static str, &'static str)> {
    for (name, message) in required(key) {
        if written.get(*name).is_none_or(|v| v.trim().is_empty()) {
            return Err((name, message));
        }
    }
    if let Some(v) = written.get("费用金额")
        && !v.trim().is_empty()
    {
        let ok = v
            .trim()
            .parse::<f64>()
            .is_ok_and(|x| x.is_finite() && x > 0.0 && x < 1.0e7);
        if !ok {
            return Err(("费用金额", "费用金额应为大于零的数字（元）"));
        }
    }
    Ok(())
}

/// Renders a template with the facts: every fill-in replaced, paragraphs left empty by an
/// empty fill-in dropped.
pub fn render(
    key: TemplateKey,
    template: &Template,
    facts: &Facts,
    number: String,
    addressee: &str,
) -> Result<Letter, LetterError> {
    template.check()?;
    let values = values(key, facts);
    let mut out = Vec::new();
    for (i, p) in paragraphs(&template.body).iter().enumerate() {
        let mut text = String::new();
        for piece in pieces(p, i + 1)? {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::Field(name) => {
                    text.push_str(values.get(name).map(String::as_str).unwrap_or_default())
                }
            }
        }
        let text = text.trim();
        if !text.is_empty() && text != "。" {
            out.push(text.to_owned());
        }
    }
    Ok(Letter {
        kind: key.kind.code().to_owned(),
        title: template.title.trim().to_owned(),
        number,
        addressee: addressee.to_owned(),
        paragraphs: out,
        signer: facts.org.clone(),
        date: format_date_cn(facts.issued),
    })
}

fn values(key: TemplateKey, f: &Facts) -> BTreeMap<&'static str, String> {
    let mut v = BTreeMap::new();
    v.insert("申请人", f.applicant.clone());
    v.insert("机关", f.org.clone());
    v.insert("查询码", f.tracking.clone());
    v.insert("收到日期", format_date_cn(f.received));
    v.insert("申请内容", f.description.trim().to_owned());
    v.insert("答复期限", f.due.map(format_date_cn).unwrap_or_default());
    v.insert("复议机关", f.review_body.clone());
    v.insert("日期", format_date_cn(f.issued));
    if let Some(b) = key.basis.or(f.basis) {
        v.insert("依据", b.citation());
        if b != LegalBasis::Withdrawn {
            v.insert("救济", remedies(b.outcome(), f.issued, &f.review_body));
        }
    }
    for name in WRITTEN {
        if let Some(x) = f.extra.get(*name) {
            v.insert(name, x.trim().to_owned());
        }
    }
    v
}

const OPENING: &str =
    "本机关于{收到日期}收到您提出的政府信息公开申请（查询码：{查询码}），申请获取“{申请内容}”。";

/// The platform's template for a key, which an office may replace with its own.
pub fn default_template(key: TemplateKey) -> Template {
    let t = |title: &str, body: String| Template {
        title: title.to_owned(),
        body,
    };
    let reply = |middle: &str| {
        t(
            "政府信息公开申请答复告知书",
            format!("{OPENING}现答复如下：\n\n{middle}\n\n{{答复内容}}\n\n{{救济}}\n\n特此告知。"),
        )
    };
    use LegalBasis as B;
    match (key.kind, key.basis) {
        (LetterKind::Receipt, _) => t(
            "政府信息公开申请登记回执",
            format!(
                "{OPENING}本机关已予登记。\n\n根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将自收到申请之日起20个工作日内予以答复，即不晚于{{答复期限}}；需要延长答复期限的，将另行告知。征求第三方和其他机关意见所需时间不计算在上述期限内。\n\n您可以凭查询码和密码在本平台“申请查询”页面查看办理进度和答复。"
            ),
        ),
        (LetterKind::Correction, _) => t(
            "政府信息公开申请补正告知书",
            format!(
                "{OPENING}经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下事项一并作出补正：\n\n{{补正事项}}\n\n请于{{补正期限}}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n\n特此告知。"
            ),
        ),
        (LetterKind::Extension, _) => t(
            "政府信息公开申请延期答复告知书",
            format!(
                "{OPENING}因{{延期理由}}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{延期天数}}个工作日，本机关将于{{答复期限}}前作出答复。\n\n特此告知。"
            ),
        ),
        (LetterKind::ConsultThirdParty, _) => t(
            "政府信息公开征求第三方意见函",
            "本机关于{收到日期}收到政府信息公开申请，申请获取“{申请内容}”。经审查，公开该信息可能损害贵方的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。\n\n{答复内容}\n\n请贵方自收到本函之日起15个工作日内（即{意见期限}前）提出书面意见。逾期未提出意见的，由本机关依照条例的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。\n\n特此函告。".to_owned(),
        ),
        (LetterKind::ConsultAgency, _) => t(
            "政府信息公开征求意见函",
            "本机关于{收到日期}收到政府信息公开申请，申请获取“{申请内容}”。该信息由本机关与贵单位共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵单位意见。\n\n{答复内容}\n\n请贵单位自收到本函之日起15个工作日内（即{意见期限}前）提出意见；逾期未提出意见的，视为同意公开。\n\n特此函告。".to_owned(),
        ),
        (LetterKind::FeeNotice, _) => t(
            "政府信息公开信息处理费收费通知",
            format!(
                "{OPENING}您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定收取信息处理费{{费用金额}}元（{{计费说明}}）。\n\n请您自收到本通知次日起20个工作日内（即{{缴费期限}}前）缴纳。{{答复内容}}\n\n您逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。在您缴纳费用期间，答复期限暂停计算。\n\n特此通知。"
            ),
        ),
        (LetterKind::Reply, Some(b)) => reply(match b {
            B::AlreadyPublic => "经查，您申请获取的政府信息本机关已经主动公开。根据{依据}的规定，告知您获取该政府信息的方式和途径如下。",
            B::CanDisclose => "经审查，您申请获取的政府信息属于可以公开的政府信息。根据{依据}的规定，本机关予以公开，向您提供该政府信息（提供方式和时间见下）。",
            B::Separable => "经审查，您申请获取的政府信息中含有依法不应公开的内容，但能够作区分处理。根据{依据}的规定，本机关向您提供可以公开的政府信息内容，并对不予公开的内容说明理由如下。",
            B::StateSecret => "经审查，您申请获取的政府信息依法确定为国家秘密。根据{依据}的规定，本机关不予公开。",
            B::ProhibitedByLaw => "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。根据{依据}的规定，本机关不予公开。",
            B::SecurityStability => "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据{依据}的规定，本机关不予公开。",
            B::ThirdPartyRights => "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据{依据}的规定，本机关不予公开。",
            B::InternalAffairs => "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息。根据{依据}的规定，本机关不予公开。",
            B::ProcessInfo => "经审查，您申请获取的政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。根据{依据}的规定，本机关不予公开。",
            B::EnforcementFile => "经审查，您申请获取的政府信息属于行政执法案卷信息。根据{依据}的规定，本机关不予公开。",
            B::QueryMatter => "经审查，您申请获取的信息属于工商、不动产登记资料等，有关法律、行政法规对信息的获取有特别规定。根据{依据}的规定，请您依照有关法律、行政法规的规定办理。",
            B::NotExist => "经检索，本机关没有制作或者获取您申请公开的政府信息。根据{依据}的规定，告知您该政府信息不存在。",
            B::NotOurs => "经审查，您申请获取的政府信息不属于本机关负责公开。根据{依据}的规定，告知您理由以及负责公开该政府信息的行政机关如下。",
            B::NeedsCreation => "经审查，本机关没有您申请的现成信息，提供该信息需要对现有政府信息进行加工、分析。根据{依据}的规定，本机关不予提供。",
            B::UnclearAfterCorrection => "本机关已向您一次性告知需要补正的事项，经审查，您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息。根据{依据}的规定，本机关无法按您的申请提供。",
            B::PetitionComplaint => "经审查，您提出的申请实为信访、投诉、举报事项。根据{依据}的规定，本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出。",
            B::Duplicate => "经审查，您已就相同政府信息提出过公开申请，本机关已经作出答复，您仍重复申请公开相同的政府信息。根据{依据}的规定，本机关不予重复处理。",
            B::Publication => "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据{依据}的规定，告知您获取的途径如下。",
            B::Excessive => "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，您提出的理由不合理。根据{依据}的规定，本机关不予处理。",
            B::ConfirmOrReissue => "经审查，您的申请是要求本机关确认或者重新出具您已经获取的信息，不属于《中华人民共和国政府信息公开条例》所指的政府信息公开申请，本机关不作为政府信息公开申请处理。",
            B::NoCorrection => "本机关已向您一次性告知需要补正的事项和补正期限，您无正当理由逾期未补正。根据{依据}的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
            B::FeeUnpaid => "本机关已向您发出收费通知，您逾期未按通知要求缴纳信息处理费。根据{依据}的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
            B::Withdrawn => "您已撤回该政府信息公开申请，本机关终止办理。",
            B::Other => "经审查，本机关答复如下。",
        }),
        (LetterKind::Reply, None) => t("政府信息公开申请答复告知书", format!("{OPENING}\n\n{{答复内容}}\n\n{{救济}}")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    fn facts(issued: Date, basis: Option<LegalBasis>) -> Facts {
        Facts {
            org: "福州市鼓楼区人民政府办公室".into(),
            applicant: "张三".into(),
            tracking: "GL00101-20261201-ABCD".into(),
            received: date!(2026 - 12 - 01),
            description: "2025年老旧小区改造资金使用情况".into(),
            issued,
            due: Some(date!(2026 - 12 - 29)),
            basis,
            review_body: "福州市鼓楼区人民政府".into(),
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn every_template_there_is_renders_with_no_fill_in_left() {
        for key in TemplateKey::all() {
            let t = default_template(key);
            t.check().unwrap_or_else(|e| panic!("{}: {e}", key.code()));
            let mut f = facts(date!(2026 - 12 - 20), key.basis);
            for (name, _) in FIELDS {
                f.extra
                    .entry((*name).to_owned())
                    .or_insert_with(|| format!("〈{name}〉"));
            }
            let l = render(key, &t, &f, "鼓政办公复〔2026〕1号".into(), "张三").unwrap();
            let text = l.paragraphs.join("\n");
            assert!(
                !text.contains('{') && !text.contains('}'),
                "{}: {text}",
                key.code()
            );
            assert!(!l.paragraphs.is_empty());
            assert_eq!(TemplateKey::parse(&key.code()), Ok(key));
            if let Some(b) = key.basis {
                let citation = b.citation();
                if !citation.is_empty() && t.body.contains("{依据}") {
                    assert!(text.contains(&citation), "{}: {text}", key.code());
                }
                if b != LegalBasis::Withdrawn {
                    assert!(text.contains("行政复议"), "{}: remedies quoted", key.code());
                }
            }
        }
    }

    #[test]
    fn every_basis_of_every_outcome_has_its_own_reply() {
        let keys = TemplateKey::all();
        for b in LegalBasis::all() {
            assert!(keys.contains(&TemplateKey::reply(*b)));
        }
        let bodies: std::collections::HashSet<String> = LegalBasis::all()
            .iter()
            .map(|b| default_template(TemplateKey::reply(*b)).body)
            .collect();
        assert_eq!(
            bodies.len(),
            LegalBasis::all().len(),
            "no two bases share a letter"
        );
        // Art. 36(四) and (五) share an outcome but not a letter (DOMAIN A2).
        assert_ne!(
            default_template(TemplateKey::reply(LegalBasis::NotExist)).body,
            default_template(TemplateKey::reply(LegalBasis::NotOurs)).body
        );
    }

    #[test]
    fn refusals_since_2024_go_to_reconsideration_first() {
        let body = "福州市鼓楼区人民政府";
        for o in Outcome::all() {
            let after = remedies(*o, date!(2024 - 01 - 01), body);
            let before = remedies(*o, date!(2023 - 12 - 31), body);
            assert!(
                before.contains("六个月内依法向人民法院提起行政诉讼"),
                "{before}"
            );
            assert!(after.contains("六十日内向福州市鼓楼区人民政府申请行政复议"));
            if is_refusal(*o) {
                assert!(!after.contains("六个月"), "{}: {after}", o.code());
                assert!(after.contains("对行政复议决定不服的"));
            } else {
                assert!(after.contains("六个月内"), "{}: {after}", o.code());
            }
        }
        assert!(is_refusal(Outcome::StateSecret));
        assert!(is_refusal(Outcome::PartiallyDisclosed));
        assert!(!is_refusal(Outcome::NotHeld));
        assert!(!is_refusal(Outcome::Disclosed));
    }

    #[test]
    fn a_reply_letter_reads_as_offices_write_it() {
        let key = TemplateKey::reply(LegalBasis::NotExist);
        let mut f = facts(date!(2026 - 12 - 20), Some(LegalBasis::NotExist));
        f.extra.insert("答复内容".into(), String::new());
        let l = render(
            key,
            &default_template(key),
            &f,
            number("鼓政办", LetterKind::Reply, 2026, 7),
            "张三",
        )
        .unwrap();
        assert_eq!(l.number, "鼓政办公复〔2026〕7号");
        assert_eq!(l.date, "2026年12月20日");
        assert_eq!(
            l.paragraphs[0],
            "本机关于2026年12月1日收到您提出的政府信息公开申请（查询码：GL00101-20261201-ABCD），申请获取“2025年老旧小区改造资金使用情况”。现答复如下："
        );
        assert!(l.paragraphs[1].contains("《中华人民共和国政府信息公开条例》第三十六条第（四）项"));
        // The empty 答复内容 leaves no empty paragraph.
        assert!(l.paragraphs.iter().all(|p| !p.is_empty()));
        assert_eq!(l.paragraphs.last().map(String::as_str), Some("特此告知。"));
    }

    #[test]
    fn templates_with_mistakes_are_refused_with_the_paragraph() {
        let t = |body: &str| Template {
            title: "告知书".into(),
            body: body.into(),
        };
        assert!(matches!(
            t("第一段\n\n您好{申请人名字}").check(),
            Err(LetterError::UnknownField { paragraph: 2, .. })
        ));
        assert_eq!(t("{申请人").check(), Err(LetterError::Braces(1)));
        assert_eq!(t("申请人}").check(), Err(LetterError::Braces(1)));
        assert_eq!(t("{{申请人}}").check(), Err(LetterError::Braces(1)));
        assert_eq!(t("  ").check(), Err(LetterError::Empty("正文")));
        assert_eq!(
            Template {
                title: " ".into(),
                body: "x".into()
            }
            .check(),
            Err(LetterError::Empty("标题"))
        );
        assert!(matches!(
            t(&"字".repeat(5001)).check(),
            Err(LetterError::TooLong(5001))
        ));
        assert!(t("{ 申请人 }：您好").check().is_ok());
        let msg = t("{名字}").check().unwrap_err().to_string();
        assert!(
            msg.contains("第1段") && msg.contains("{名字}") && msg.contains("申请人"),
            "{msg}"
        );
    }

    #[test]
    fn consultation_letters_never_name_the_applicant() {
        for kind in [LetterKind::ConsultThirdParty, LetterKind::ConsultAgency] {
            let key = TemplateKey::of(kind);
            let l = render(
                key,
                &default_template(key),
                &facts(date!(2026 - 12 - 02), None),
                "x".into(),
                "某公司",
            )
            .unwrap();
            assert!(!l.paragraphs.join("").contains("张三"));
            assert!(!l.paragraphs.join("").contains("GL00101-20261201-ABCD"));
            assert!(!kind.to_applicant());
        }
    }

    #[test]
    fn what_the_clerk_must_write_is_asked_for_by_name() {
        let mut w = BTreeMap::new();
        let key = TemplateKey::of(LetterKind::Correction);
        assert_eq!(check_written(key, &w).unwrap_err().0, "补正事项");
        w.insert("补正事项".into(), "请写明所需文件的文号".into());
        assert_eq!(check_written(key, &w).unwrap_err().0, "补正期限");
        w.insert("补正期限".into(), "2026年12月20日".into());
        assert!(check_written(key, &w).is_ok());
        let fee = TemplateKey::of(LetterKind::FeeNotice);
        let mut w = BTreeMap::new();
        w.insert("计费说明".into(), "按件".into());
        for bad in ["", "0", "-5", "abc", "NaN", "inf"] {
            w.insert("费用金额".into(), bad.into());
            assert!(check_written(fee, &w).is_err(), "{bad}");
        }
        w.insert("费用金额".into(), "100".into());
        assert!(check_written(fee, &w).is_ok());
        assert!(check_written(TemplateKey::reply(LegalBasis::NotExist), &BTreeMap::new()).is_ok());
        assert_eq!(
            check_written(TemplateKey::reply(LegalBasis::NotOurs), &BTreeMap::new())
                .unwrap_err()
                .0,
            "答复内容"
        );
    }

    #[test]
    fn the_review_body_is_the_nearest_government_above() {
        let dept = [
            ("government", "福州市鼓楼区人民政府"),
            ("department", "鼓楼区财政局"),
        ];
        assert_eq!(review_body(&dept), "福州市鼓楼区人民政府");
        let gov = [
            ("government", "福州市人民政府"),
            ("government", "福州市鼓楼区人民政府"),
        ];
        assert_eq!(review_body(&gov), "福州市人民政府");
        assert_eq!(
            review_body(&[("office", "福州市鼓楼区人民政府办公室")]),
            "福州市鼓楼区人民政府"
        );
        assert_eq!(
            review_body(&[("government", "某县人民政府")]),
            "上一级人民政府"
        );
        assert_eq!(review_body(&[("department", "某局")]), "本级人民政府");
        assert_eq!(review_body(&[]), "上一级人民政府");
    }

    #[test]
    fn stored_codes_are_read_back_and_nonsense_refused() {
        assert_eq!(
            TemplateKey::parse("reply.art36.4"),
            Ok(TemplateKey::reply(LegalBasis::NotExist))
        );
        assert!(TemplateKey::parse("reply").is_err());
        assert!(TemplateKey::parse("reply.art99").is_err());
        assert!(TemplateKey::parse("").is_err());
        assert_eq!(
            TemplateKey::parse("fee_notice"),
            Ok(TemplateKey::of(LetterKind::FeeNotice))
        );
    }
}
