//! 公开属性 (条例 Art. 13–18): whether a record is published proactively (主动公开), given
//! on request (依申请公开) or withheld (不予公开), and the legal ground of the latter two;
//! withheld records come back for review (Art. 18 动态调整).

use time::{Date, Month};

use crate::error::vocabulary;

vocabulary! {
    /// The 公开属性 decided when a record is drafted (Art. 13: 主动公开 and 依申请公开 are the
    /// two ways of disclosure; Art. 14–16 name what is not disclosed).
    pub enum Attribute: "公开属性" {
        /// 主动公开: published on the platform (Art. 19–21).
        Proactive = ("proactive", "主动公开"),
        /// 依申请公开: not published, given to whoever asks (Art. 27).
        OnRequest = ("on_request", "依申请公开"),
        /// 不予公开 (Art. 14–16).
        Withheld = ("withheld", "不予公开"),
    }
}

vocabulary! {
    /// The legal ground of a record that is not published proactively.
    pub enum Ground: "不公开依据" {
        /// Art. 14: 依法确定为国家秘密.
        StateSecret = ("state_secret", "国家秘密（条例第十四条）"),
        /// Art. 14: 法律、行政法规禁止公开.
        LawForbids = ("law_forbids", "法律、行政法规禁止公开（条例第十四条）"),
        /// Art. 14: 危及国家安全、公共安全、经济安全、社会稳定 (三安全一稳定).
        Security = ("security", "危及“三安全一稳定”（条例第十四条）"),
        /// Art. 15: 商业秘密、个人隐私等, harming a third party.
        ThirdParty = ("third_party", "商业秘密、个人隐私等第三方合法权益（条例第十五条）"),
        /// Art. 16(1): 内部事务信息 (人事管理、后勤管理、内部工作流程).
        InternalAffairs = ("internal_affairs", "内部事务信息（条例第十六条第一款）"),
        /// Art. 16(2): 过程性信息 (讨论记录、过程稿、磋商信函、请示报告).
        ProcessInformation = ("process_information", "过程性信息（条例第十六条第二款）"),
        /// Art. 16(2): 行政执法案卷信息.
        EnforcementFile = ("enforcement_file", "行政执法案卷信息（条例第十六条第二款）"),
        /// Art. 19–20: not within proactive disclosure; given on request (依申请公开 only).
        OutsideProactiveScope = ("outside_proactive_scope", "不属于主动公开范围（条例第十九条、第二十条）"),
    }
}

/// Why an attribute and ground do not go together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeError {
    /// 依申请公开 and 不予公开 name their legal ground.
    #[error("{}须注明依据（条例第十四条至第十六条）", attribute.label())]
    GroundRequired {
        /// The attribute.
        attribute: Attribute,
    },
    /// 主动公开 needs no ground.
    #[error("主动公开的信息不需要不公开依据")]
    GroundNotAllowed,
    /// 不予公开 rests on Art. 14–16, not on being outside the proactive scope.
    #[error("“不属于主动公开范围”只能作为依申请公开的依据；不予公开须依据条例第十四条至第十六条")]
    NotAWithholdingGround,
}

/// Checks that a ground is given exactly when the attribute needs one.
pub fn check(attribute: Attribute, ground: Option<Ground>) -> Result<(), AttributeError> {
    match (attribute, ground) {
        (Attribute::Proactive, None) => Ok(()),
        (Attribute::Proactive, Some(_)) => Err(AttributeError::GroundNotAllowed),
        (a, None) => Err(AttributeError::GroundRequired { attribute: a }),
        (Attribute::Withheld, Some(Ground::OutsideProactiveScope)) => {
            Err(AttributeError::NotAWithholdingGround)
        }
        (_, Some(_)) => Ok(()),
    }
}

/// The day a withheld record is due for its next review: `months` after it was decided or
/// last reviewed, on the same day of the month, or the month's last day when it has none
/// (31 August + 6 months → 28 or 29 February).
pub fn next_review(last: Date, months: u8) -> Date {
    let total = i32::from(u8::from(last.month())) - 1 + i32::from(months);
    let year = last.year() + total.div_euclid(12);
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    let last_day = time::util::days_in_month(month, year);
    let day = last.day().min(last_day);
    Date::from_calendar_date(year, month, day).unwrap_or(last)
}

/// Whether a withheld record is due for review on `today`.
pub fn review_due(last: Date, months: u8, today: Date) -> bool {
    next_review(last, months) <= today
}
