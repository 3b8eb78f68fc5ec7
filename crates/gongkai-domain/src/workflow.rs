//! The publication workflow (先审查后公开, SPEC C2–C3): the life cycle of a record as a pure
//! state machine.
//!
//! 草稿 → 已提交 (经办) → 已审核 (审核) → 已签发 (签发) → 已发布, or 待发布 until a chosen time;
//! any step before publication can return the record to 草稿 with a written reason, and a
//! published record can be withdrawn (撤回) with one. 经办, 审核 and 签发 are signed by three
//! different people, each holding the role in the record's organization; a record with
//! unresolved findings of the sensitive-information scan (DOMAIN A8) cannot be reviewed or
//! signed. [`apply`] decides; the caller stores the [`Transition`] with a compare-and-set on
//! the stage it read, so two people acting at once cannot both succeed.

use time::OffsetDateTime;

use crate::disclosure::Attribute;
use crate::document::DocStatus;
use crate::error::vocabulary;
use crate::org::Role;

vocabulary! {
    /// Where a record is in its life cycle.
    pub enum Stage: "流程状态" {
        /// 草稿: being written, or returned.
        Draft = ("draft", "草稿"),
        /// 已提交: signed by the 经办人, waiting for review.
        Submitted = ("submitted", "待审核"),
        /// 已审核: signed by the 审核人, waiting for sign-off.
        Reviewed = ("reviewed", "待签发"),
        /// 已签发: signed by the 签发人, waiting for publication.
        Approved = ("approved", "已签发"),
        /// 待发布: signed off and to be published at a chosen time.
        Scheduled = ("scheduled", "定时发布"),
        /// 已发布.
        Published = ("published", "已发布"),
        /// 已撤回 (the public page keeps a notice).
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

impl Stage {
    /// The publication status the rest of the platform sees: public only when published.
    pub fn status(self) -> DocStatus {
        match self {
            Stage::Published => DocStatus::Published,
            Stage::Withdrawn => DocStatus::Withdrawn,
            _ => DocStatus::Draft,
        }
    }
}

vocabulary! {
    /// The three signatures of a record (发文稿纸: 拟稿/经办, 审核, 签发).
    pub enum Signature: "签署环节" {
        /// 经办: the clerk who submits.
        Handled = ("handled", "经办"),
        /// 审核: the reviewer.
        Reviewed = ("reviewed", "审核"),
        /// 签发: the approver.
        Approved = ("approved", "签发"),
    }
}

/// What someone asks of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 提交: the clerk signs 经办 and hands the draft to review.
    Submit,
    /// 审核通过: the reviewer signs 审核.
    Review,
    /// 签发: the approver signs.
    Approve,
    /// 发布: now, or at `at` when that is later than now.
    Publish {
        /// The chosen time, if any.
        at: Option<OffsetDateTime>,
    },
    /// 定时发布到期: the platform publishes a scheduled record whose time has come.
    PublishDue,
    /// 退回: back to 草稿, with the reason.
    Return {
        /// Why, for the clerk.
        reason: String,
    },
    /// 撤回: a published record taken down, with the reason shown on its page.
    Withdraw {
        /// Why, for the public.
        reason: String,
    },
}

impl Action {
    /// The action's code in the API (`POST …/actions/{code}`).
    pub fn code(&self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Review => "review",
            Action::Approve => "approve",
            Action::Publish { .. } => "publish",
            Action::PublishDue => "publish_due",
            Action::Return { .. } => "return",
            Action::Withdraw { .. } => "withdraw",
        }
    }

    /// The action's name on pages.
    pub fn label(&self) -> &'static str {
        match self {
            Action::Submit => "提交审核",
            Action::Review => "审核通过",
            Action::Approve => "签发",
            Action::Publish { .. } => "发布",
            Action::PublishDue => "定时发布",
            Action::Return { .. } => "退回",
            Action::Withdraw { .. } => "撤回",
        }
    }
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// A person: their user id and their roles in the record's organization.
    Person {
        /// User id.
        id: i64,
        /// Roles held in the record's organization (inherited ones included).
        roles: &'a [Role],
    },
    /// The platform itself (scheduled publication). It signs nothing.
    System,
}

/// What [`apply`] needs to know besides the stage and the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'a> {
    /// Who acts.
    pub actor: Actor<'a>,
    /// Who signed 经办 and 审核 so far in this round (a return starts a new round).
    pub handled_by: Option<i64>,
    /// Who signed 审核.
    pub reviewed_by: Option<i64>,
    /// Findings of the scan over the body and every attachment not yet redacted or kept
    /// with a reason, and attachments whose text could not be read and no one has checked.
    pub unresolved_findings: usize,
    /// When a scheduled record is to be published.
    pub scheduled_at: Option<OffsetDateTime>,
    /// The record's 公开属性: only 主动公开 records are published; the others end signed off.
    pub attribute: Attribute,
    /// Now.
    pub now: OffsetDateTime,
}

/// What the caller stores when an action is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The stage after the action.
    pub to: Stage,
    /// The signature the actor gives, if any.
    pub signs: Option<Signature>,
    /// Whether the signatures of this round are cleared (a return).
    pub clears_signatures: bool,
    /// When to publish (scheduled) or when it was published.
    pub at: Option<OffsetDateTime>,
    /// The reason to keep (return, withdrawal).
    pub reason: Option<String>,
}

/// Why an action is refused. The messages are shown as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The action does not apply to the record's stage (HTTP 409).
    #[error("当前状态为“{}”，不能{}", stage.label(), action)]
    WrongStage {
        /// The record's stage.
        stage: Stage,
        /// The action's label.
        action: &'static str,
    },
    /// The actor lacks the role (HTTP 403).
    #[error("{}需要本单位的“{}”角色", action, role.label())]
    MissingRole {
        /// The action's label.
        action: &'static str,
        /// The role it needs.
        role: Role,
    },
    /// The actor already signed another step of this record (HTTP 403).
    #[error("同一人不能签署同一文件的两个环节：您已签署“{}”", signed.label())]
    SameSigner {
        /// The step the actor signed before.
        signed: Signature,
    },
    /// Return and withdrawal need a written reason (HTTP 400).
    #[error("{}必须填写原因", action)]
    ReasonRequired {
        /// The action's label.
        action: &'static str,
    },
    /// Findings of the scan are not resolved (HTTP 422).
    #[error("还有 {count} 项敏感信息扫描结果未处理（脱敏或说明保留理由）后才能{action}")]
    UnresolvedFindings {
        /// How many.
        count: usize,
        /// The action's label.
        action: &'static str,
    },
    /// A scheduled record's time has not come (HTTP 409).
    #[error("定时发布时间未到")]
    NotDue,
    /// Only the platform publishes a scheduled record when its time comes (HTTP 403).
    #[error("定时发布由平台在预定时间自动完成")]
    SystemOnly,
    /// A record that is not 主动公开 is not published on the platform (HTTP 409).
    #[error("此信息的公开属性为“{}”，不在平台主动发布；签发后存档，依申请时按申请办理", attribute.label())]
    NotProactive {
        /// The record's attribute.
        attribute: Attribute,
    },
}

/// The roles that may take an action in the record's organization, the usual one first;
/// empty for the platform's own. A signed-off record is published by its 经办人, as a rule,
/// or by the 签发人 who signed it off.
pub fn allowed_roles(action: &Action, stage: Stage) -> &'static [Role] {
    match action {
        Action::Publish { .. } => &[Role::Clerk, Role::Approver],
        _ => match required_role(action, stage) {
            Some(Role::Clerk) => &[Role::Clerk],
            Some(Role::Reviewer) => &[Role::Reviewer],
            Some(Role::Approver) => &[Role::Approver],
            Some(Role::Office) => &[Role::Office],
            Some(Role::Admin) => &[Role::Admin],
            None => &[],
        },
    }
}

/// The role an action needs in the record's organization (the usual one, named in
/// refusals); `None` for the platform's own.
pub fn required_role(action: &Action, stage: Stage) -> Option<Role> {
    match action {
        Action::Submit | Action::Publish { .. } => Some(Role::Clerk),
        Action::Review => Some(Role::Reviewer),
        Action::Approve | Action::Withdraw { .. } => Some(Role::Approver),
        // The one whose step it is sends it back.
        Action::Return { .. } => Some(match stage {
            Stage::Submitted => Role::Reviewer,
            _ => Role::Approver,
        }),
        Action::PublishDue => None,
    }
}

/// Decides whether `action` may happen to a record at `stage`, and what it does.
pub fn apply(stage: Stage, action: &Action, cx: &Context<'_>) -> Result<Transition, Refusal> {
    let label = action.label();
    let allowed_from: &[Stage] = match action {
        Action::Submit => &[Stage::Draft],
        Action::Review => &[Stage::Submitted],
        Action::Approve => &[Stage::Reviewed],
        Action::Publish { .. } => &[Stage::Approved],
        Action::PublishDue => &[Stage::Scheduled],
        Action::Return { .. } => &[
            Stage::Submitted,
            Stage::Reviewed,
            Stage::Approved,
            Stage::Scheduled,
        ],
        Action::Withdraw { .. } => &[Stage::Published],
    };
    if !allowed_from.contains(&stage) {
        return Err(Refusal::WrongStage {
            stage,
            action: label,
        });
    }
    let person = match (cx.actor, required_role(action, stage)) {
        (Actor::System, None) => None,
        (Actor::System, Some(role)) => {
            return Err(Refusal::MissingRole {
                action: label,
                role,
            });
        }
        (Actor::Person { .. }, None) => return Err(Refusal::SystemOnly),
        (Actor::Person { id, roles }, Some(role)) => {
            if !allowed_roles(action, stage)
                .iter()
                .any(|r| roles.contains(r))
            {
                return Err(Refusal::MissingRole {
                    action: label,
                    role,
                });
            }
            Some(id)
        }
    };
    let signed_before = |id: i64| -> Option<Signature> {
        if cx.handled_by == Some(id) {
            Some(Signature::Handled)
        } else if cx.reviewed_by == Some(id) {
            Some(Signature::Reviewed)
        } else {
            None
        }
    };
    let clean = || -> Result<(), Refusal> {
        match cx.unresolved_findings {
            0 => Ok(()),
            count => Err(Refusal::UnresolvedFindings {
                count,
                action: label,
            }),
        }
    };
    let reason = |text: &str| -> Result<String, Refusal> {
        let text = text.trim();
        if text.is_empty() {
            Err(Refusal::ReasonRequired { action: label })
        } else {
            Ok(text.to_owned())
        }
    };
    let to = |to: Stage| Transition {
        to,
        signs: None,
        clears_signatures: false,
        at: None,
        reason: None,
    };
    match action {
        Action::Submit => Ok(Transition {
            signs: Some(Signature::Handled),
            ..to(Stage::Submitted)
        }),
        Action::Review | Action::Approve => {
            if let Some(signed) = person.and_then(signed_before) {
                return Err(Refusal::SameSigner { signed });
            }
            clean()?;
            let (stage, signature) = if *action == Action::Review {
                (Stage::Reviewed, Signature::Reviewed)
            } else {
                (Stage::Approved, Signature::Approved)
            };
            Ok(Transition {
                signs: Some(signature),
                ..to(stage)
            })
        }
        Action::Publish { .. } | Action::PublishDue if cx.attribute != Attribute::Proactive => {
            Err(Refusal::NotProactive {
                attribute: cx.attribute,
            })
        }
        Action::Publish { at } => match at {
            Some(at) if *at > cx.now => Ok(Transition {
                at: Some(*at),
                ..to(Stage::Scheduled)
            }),
            _ => Ok(Transition {
                at: Some(cx.now),
                ..to(Stage::Published)
            }),
        },
        Action::PublishDue => match cx.scheduled_at {
            Some(at) if at <= cx.now => Ok(Transition {
                at: Some(at),
                ..to(Stage::Published)
            }),
            _ => Err(Refusal::NotDue),
        },
        Action::Return { reason: text } => Ok(Transition {
            clears_signatures: true,
            reason: Some(reason(text)?),
            ..to(Stage::Draft)
        }),
        Action::Withdraw { reason: text } => Ok(Transition {
            reason: Some(reason(text)?),
            at: Some(cx.now),
            ..to(Stage::Withdrawn)
        }),
    }
}
