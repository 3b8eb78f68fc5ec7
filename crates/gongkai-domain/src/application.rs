//! An application for disclosure (政府信息公开申请) as the public files it, with the fields of
//! 条例 Art. 29: who applies (姓名或者名称、身份证明、联系方式), what is wanted (名称、文号或者
//! 其他特征性描述) and in what form and by what way (形式要求，包括获取信息的方式、途径).
//!
//! [`validate_application`] checks the JSON of `POST /api/v1/requests` and of the public form
//! alike and names every problem by its field, in Chinese.

use serde_json::{Map, Value};

use crate::LineProblem;
use crate::error::vocabulary;
use crate::org::OrgCode;
use crate::request::{Applicant, ApplicantType};
use crate::scan::is_resident_id_number;

vocabulary! {
    /// 信息的形式 the applicant asks for (Art. 29 (三), Art. 40).
    pub enum InfoForm: "信息形式" {
        /// 纸质.
        Paper = ("paper", "纸质文本"),
        /// 电子.
        Electronic = ("electronic", "电子文档"),
    }
}

vocabulary! {
    /// 获取信息的方式 (Art. 29 (三)).
    pub enum Delivery: "获取方式" {
        /// 邮寄.
        Post = ("post", "邮寄"),
        /// 电子邮件.
        Email = ("email", "电子邮件"),
        /// 当面领取.
        Pickup = ("pickup", "当面领取"),
        /// 在本平台查询码页面下载.
        Online = ("online", "网上获取"),
    }
}

/// A valid application.
#[derive(Clone, PartialEq, Eq)]
pub struct Application {
    /// The organization asked (Art. 27).
    pub org: OrgCode,
    /// 自然人 or a kind of 法人或其他组织.
    pub applicant_type: ApplicantType,
    /// 姓名或者名称、身份证明、联系方式 (personal information).
    pub applicant: Applicant,
    /// 所需信息的名称、文号或者特征性描述.
    pub description: String,
    /// 申请用途 (optional; the 条例 does not require it).
    pub purpose: Option<String>,
    /// 信息形式.
    pub form: Option<InfoForm>,
    /// 获取方式.
    pub delivery: Option<Delivery>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("org", &self.org)
            .field("applicant_type", &self.applicant_type)
            .finish_non_exhaustive()
    }
}

const KEYS: &[&str] = &[
    "org",
    "applicant_type",
    "applicant",
    "description",
    "purpose",
    "form",
    "delivery",
];
const APPLICANT_KEYS: &[&str] = &["name", "id_number", "phone", "email", "address"];

/// Checks an application; every problem is returned with the field it concerns
/// (`applicant.phone` for a detail of the applicant).
pub fn validate_application(value: &Value) -> Result<Application, Vec<LineProblem>> {
    let mut problems = Vec::new();
    let Value::Object(top) = value else {
        return Err(vec![LineProblem::new(
            LineProblem::LINE,
            "须为 JSON 对象，如 {\"org\": …, \"applicant_type\": …, \"applicant\": {…}, \"description\": …}",
        )]);
    };
    for key in top.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        problems.push(LineProblem::new(
            LineProblem::LINE,
            format!("“{key}”不是申请的字段（可用字段：{}）", KEYS.join("、")),
        ));
    }
    let org = match text(top, "org", &mut problems) {
        Some(code) => OrgCode::parse(&code)
            .map_err(|e| problems.push(LineProblem::new("org", e.to_string())))
            .ok(),
        None => {
            problems.push(LineProblem::new("org", "请选择受理申请的机关"));
            None
        }
    };
    let applicant_type = match text(top, "applicant_type", &mut problems) {
        Some(code) => ApplicantType::from_code(&code)
            .map_err(|e| problems.push(LineProblem::new("applicant_type", e.to_string())))
            .ok(),
        None => {
            problems.push(LineProblem::new(
                "applicant_type",
                "请选择申请人类型（自然人，或法人或其他组织）",
            ));
            None
        }
    };
    let empty = Map::new();
    let details = match top.get("applicant") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(map)) => map,
        Some(_) => {
            problems.push(LineProblem::new(
                "applicant",
                "须为对象，含 name、id_number、phone、email、address",
            ));
            &empty
        }
    };
    for key in details
        .keys()
        .filter(|k| !APPLICANT_KEYS.contains(&k.as_str()))
    {
        problems.push(LineProblem::new(
            "applicant",
            format!(
                "“{key}”不是申请人信息的字段（可用字段：{}）",
                APPLICANT_KEYS.join("、")
            ),
        ));
    }
    let detail = |key: &'static str, max: usize, problems: &mut Vec<LineProblem>| {
        let field = field_name(key);
        let value = text(details, key, problems)?;
        if value.chars().count() > max {
            problems.push(LineProblem::new(field, format!("过长：最多 {max} 个字符")));
            return None;
        }
        Some(value)
    };
    let name = detail("name", 100, &mut problems);
    let id_number = detail("id_number", 50, &mut problems);
    let phone = detail("phone", 30, &mut problems);
    let email = detail("email", 100, &mut problems);
    let address = detail("address", 200, &mut problems);
    let legal = applicant_type.is_some_and(ApplicantType::is_legal_person);
    if name.is_none() {
        let what = if legal { "名称" } else { "姓名" };
        problems.push(LineProblem::new(
            "applicant.name",
            format!("请填写申请人{what}（条例第二十九条）"),
        ));
    }
    match &id_number {
        None => problems.push(LineProblem::new(
            "applicant.id_number",
            if legal {
                "请填写统一社会信用代码等身份证明（条例第二十九条）"
            } else {
                "请填写身份证件号码（条例第二十九条）"
            },
        )),
        Some(n) if !legal && looks_like_resident_id(n) && !is_resident_id_number(n) => {
            problems.push(LineProblem::new(
                "applicant.id_number",
                "身份证号码有误：校验位或出生日期不符，请核对",
            ));
        }
        Some(_) => {}
    }
    if let Some(p) = &phone
        && !(p.chars().filter(char::is_ascii_digit).count() >= 5
            && p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '(' | ')')))
    {
        problems.push(LineProblem::new(
            "applicant.phone",
            "电话号码只能含数字、空格和 + - ( )",
        ));
    }
    if let Some(e) = &email
        && !plausible_email(e)
    {
        problems.push(LineProblem::new(
            "applicant.email",
            "电子邮箱格式不正确，如 name@example.com",
        ));
    }
    if phone.is_none() && email.is_none() && address.is_none() {
        problems.push(LineProblem::new(
            "applicant.phone",
            "请至少填写联系电话、电子邮箱或通信地址之一（条例第二十九条：联系方式）",
        ));
    }
    let description = text(top, "description", &mut problems);
    match &description {
        None => problems.push(LineProblem::new(
            "description",
            "请描述所需信息：名称、文号或者便于查询的其他特征（条例第二十九条）",
        )),
        Some(d) if d.chars().count() < 5 => problems.push(LineProblem::new(
            "description",
            "描述过短：请写明信息的名称、文号或者其他特征，便于查找",
        )),
        Some(d) if d.chars().count() > 2000 => {
            problems.push(LineProblem::new(
                "description",
                "描述过长：最多 2000 个字符",
            ));
        }
        Some(_) => {}
    }
    let purpose = text(top, "purpose", &mut problems);
    if purpose.as_ref().is_some_and(|p| p.chars().count() > 500) {
        problems.push(LineProblem::new("purpose", "用途过长：最多 500 个字符"));
    }
    let form = text(top, "form", &mut problems).and_then(|code| {
        InfoForm::from_code(&code)
            .map_err(|e| problems.push(LineProblem::new("form", e.to_string())))
            .ok()
    });
    let delivery = text(top, "delivery", &mut problems).and_then(|code| {
        Delivery::from_code(&code)
            .map_err(|e| problems.push(LineProblem::new("delivery", e.to_string())))
            .ok()
    });
    match delivery {
        Some(Delivery::Post) if address.is_none() => problems.push(LineProblem::new(
            "applicant.address",
            "选择邮寄时请填写通信地址",
        )),
        Some(Delivery::Email) if email.is_none() => problems.push(LineProblem::new(
            "applicant.email",
            "选择电子邮件时请填写电子邮箱",
        )),
        _ => {}
    }
    match (org, applicant_type, description) {
        (Some(org), Some(applicant_type), Some(description)) if problems.is_empty() => {
            Ok(Application {
                org,
                applicant_type,
                applicant: Applicant {
                    name,
                    id_number,
                    phone,
                    email,
                    address,
                },
                description,
                purpose,
                form,
                delivery,
            })
        }
        _ => Err(problems),
    }
}

/// The trimmed text of a field, `None` when absent, null or blank; a value that is not a
/// string, or holds control characters, is a problem.
fn text(
    map: &Map<String, Value>,
    key: &'static str,
    problems: &mut Vec<LineProblem>,
) -> Option<String> {
    let field = field_name(key);
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                problems.push(LineProblem::new(field, "含有控制字符"));
                return None;
            }
            (!s.is_empty()).then(|| s.to_owned())
        }
        Some(_) => {
            problems.push(LineProblem::new(field, "须为文字"));
            None
        }
    }
}

/// The field name problems of a key carry (`applicant.` before a detail of the applicant).
fn field_name(key: &'static str) -> &'static str {
    match key {
        "name" => "applicant.name",
        "id_number" => "applicant.id_number",
        "phone" => "applicant.phone",
        "email" => "applicant.email",
        "address" => "applicant.address",
        other => other,
    }
}

fn looks_like_resident_id(s: &str) -> bool {
    s.len() == 18 && s.chars().take(17).all(|c| c.is_ascii_digit())
}

fn plausible_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(char::is_whitespace)
}
