//! The publication workflow: every stage × every action, the roles, the three signers, the
//! scan findings, reasons and scheduled publication.

use gongkai_domain::DocStatus;
use gongkai_domain::disclosure::Attribute;
use gongkai_domain::org::Role;
use gongkai_domain::workflow::{
    Action, Actor, Context, Refusal, Signature, Stage, Transition, allowed_roles, apply,
    required_role,
};
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-03-02 09:30 +8);
const ALL_ROLES: &[Role] = &[Role::Clerk, Role::Reviewer, Role::Approver];

fn cx(actor: Actor<'_>) -> Context<'_> {
    Context {
        actor,
        handled_by: None,
        reviewed_by: None,
        unresolved_findings: 0,
        scheduled_at: None,
        attribute: Attribute::Proactive,
        now: NOW,
    }
}

fn person(id: i64, roles: &[Role]) -> Actor<'_> {
    Actor::Person { id, roles }
}

fn every_action() -> Vec<Action> {
    vec![
        Action::Submit,
        Action::Review,
        Action::Approve,
        Action::Publish { at: None },
        Action::PublishDue,
        Action::Return {
            reason: "数据需更新".into(),
        },
        Action::Withdraw {
            reason: "内容有误".into(),
        },
    ]
}

/// The stages an action applies to; everything else is the wrong stage.
fn applies(action: &Action, stage: Stage) -> bool {
    use Stage::*;
    match action {
        Action::Submit => stage == Draft,
        Action::Review => stage == Submitted,
        Action::Approve => stage == Reviewed,
        Action::Publish { .. } => stage == Approved,
        Action::PublishDue => stage == Scheduled,
        Action::Return { .. } => matches!(stage, Submitted | Reviewed | Approved | Scheduled),
        Action::Withdraw { .. } => stage == Published,
    }
}

#[test]
fn three_people_take_a_draft_to_publication() {
    let clerk = [Role::Clerk];
    let reviewer = [Role::Reviewer];
    let approver = [Role::Approver];
    let t = apply(Stage::Draft, &Action::Submit, &cx(person(1, &clerk))).unwrap();
    assert_eq!(
        (t.to, t.signs),
        (Stage::Submitted, Some(Signature::Handled))
    );
    let c = Context {
        handled_by: Some(1),
        ..cx(person(2, &reviewer))
    };
    let t = apply(Stage::Submitted, &Action::Review, &c).unwrap();
    assert_eq!(
        (t.to, t.signs),
        (Stage::Reviewed, Some(Signature::Reviewed))
    );
    let c = Context {
        handled_by: Some(1),
        reviewed_by: Some(2),
        ..cx(person(3, &approver))
    };
    let t = apply(Stage::Reviewed, &Action::Approve, &c).unwrap();
    assert_eq!(
        (t.to, t.signs),
        (Stage::Approved, Some(Signature::Approved))
    );
    let t = apply(
        Stage::Approved,
        &Action::Publish { at: None },
        &cx(person(1, &clerk)),
    )
    .unwrap();
    assert_eq!(
        t,
        Transition {
            to: Stage::Published,
            signs: None,
            clears_signatures: false,
            at: Some(NOW),
            reason: None,
        }
    );
}

#[test]
fn every_stage_and_action_pair_is_decided() {
    for &stage in Stage::all() {
        for action in every_action() {
            // Someone holding every role who signed nothing yet, and the platform.
            let by_person = apply(stage, &action, &cx(person(9, ALL_ROLES)));
            let due = Context {
                scheduled_at: Some(NOW),
                ..cx(Actor::System)
            };
            let by_system = apply(stage, &action, &due);
            let result = if action == Action::PublishDue {
                by_system
            } else {
                by_person
            };
            if applies(&action, stage) {
                let t = result.unwrap_or_else(|e| panic!("{stage:?} {action:?}: {e}"));
                assert_eq!(t.to.status().is_public(), t.to == Stage::Published);
            } else {
                assert_eq!(
                    result,
                    Err(Refusal::WrongStage {
                        stage,
                        action: action.label()
                    }),
                    "{stage:?} {action:?}"
                );
            }
        }
    }
}

#[test]
fn each_action_needs_its_role_and_no_other_suffices() {
    for &stage in Stage::all() {
        for action in every_action() {
            if !applies(&action, stage) || action == Action::PublishDue {
                continue;
            }
            let needed = required_role(&action, stage).unwrap();
            let allowed = allowed_roles(&action, stage);
            assert_eq!(allowed[0], needed, "the usual role comes first");
            for role in [
                Role::Clerk,
                Role::Reviewer,
                Role::Approver,
                Role::Office,
                Role::Admin,
            ] {
                let roles = [role];
                let result = apply(stage, &action, &cx(person(9, &roles)));
                if allowed.contains(&role) {
                    assert!(result.is_ok(), "{stage:?} {action:?} {role:?}: {result:?}");
                } else {
                    assert_eq!(
                        result,
                        Err(Refusal::MissingRole {
                            action: action.label(),
                            role: needed
                        }),
                        "{stage:?} {action:?} {role:?}"
                    );
                }
            }
            // The platform signs nothing and acts for no one.
            assert!(matches!(
                apply(stage, &action, &cx(Actor::System)),
                Err(Refusal::MissingRole { .. })
            ));
        }
    }
    assert_eq!(
        required_role(&Action::Submit, Stage::Draft),
        Some(Role::Clerk)
    );
    let back = Action::Return { reason: "x".into() };
    assert_eq!(required_role(&back, Stage::Submitted), Some(Role::Reviewer));
    assert_eq!(required_role(&back, Stage::Reviewed), Some(Role::Approver));
    assert_eq!(required_role(&back, Stage::Scheduled), Some(Role::Approver));
}

#[test]
fn no_one_signs_two_steps_of_one_record() {
    let everything = ALL_ROLES;
    // The clerk who handled it cannot review it.
    let c = Context {
        handled_by: Some(1),
        ..cx(person(1, everything))
    };
    assert_eq!(
        apply(Stage::Submitted, &Action::Review, &c),
        Err(Refusal::SameSigner {
            signed: Signature::Handled
        })
    );
    // Nor can the clerk or the reviewer sign it off.
    for (signer, signed) in [(1, Signature::Handled), (2, Signature::Reviewed)] {
        let c = Context {
            handled_by: Some(1),
            reviewed_by: Some(2),
            ..cx(person(signer, everything))
        };
        assert_eq!(
            apply(Stage::Reviewed, &Action::Approve, &c),
            Err(Refusal::SameSigner { signed })
        );
    }
    let c = Context {
        handled_by: Some(1),
        reviewed_by: Some(2),
        ..cx(person(3, everything))
    };
    assert!(apply(Stage::Reviewed, &Action::Approve, &c).is_ok());
}

#[test]
fn unresolved_findings_stop_review_and_sign_off_only() {
    let roles = ALL_ROLES;
    let with_findings = |id| Context {
        unresolved_findings: 2,
        ..cx(person(id, roles))
    };
    for (stage, action) in [
        (Stage::Submitted, Action::Review),
        (Stage::Reviewed, Action::Approve),
    ] {
        let refused = apply(stage, &action, &with_findings(9)).unwrap_err();
        assert_eq!(
            refused,
            Refusal::UnresolvedFindings {
                count: 2,
                action: action.label()
            }
        );
        assert_eq!(
            refused.to_string(),
            format!(
                "还有 2 项敏感信息扫描结果未处理（脱敏或说明保留理由）后才能{}",
                action.label()
            )
        );
    }
    // Submitting shows the findings to the reviewer; returning is always possible.
    assert!(apply(Stage::Draft, &Action::Submit, &with_findings(9)).is_ok());
    let back = Action::Return {
        reason: "请脱敏".into(),
    };
    assert!(apply(Stage::Submitted, &back, &with_findings(9)).is_ok());
}

#[test]
fn returns_and_withdrawals_need_a_reason_and_returns_start_over() {
    let roles = ALL_ROLES;
    for blank in ["", "   ", "\n\t"] {
        let back = Action::Return {
            reason: blank.into(),
        };
        assert_eq!(
            apply(Stage::Reviewed, &back, &cx(person(9, roles))),
            Err(Refusal::ReasonRequired { action: "退回" })
        );
        let down = Action::Withdraw {
            reason: blank.into(),
        };
        assert_eq!(
            apply(Stage::Published, &down, &cx(person(9, roles))),
            Err(Refusal::ReasonRequired { action: "撤回" })
        );
    }
    let back = Action::Return {
        reason: "  附件缺页  ".into(),
    };
    let t = apply(Stage::Approved, &back, &cx(person(9, roles))).unwrap();
    assert_eq!(
        (t.to, t.clears_signatures, t.reason.as_deref()),
        (Stage::Draft, true, Some("附件缺页"))
    );
    let down = Action::Withdraw {
        reason: "内容有误".into(),
    };
    let t = apply(Stage::Published, &down, &cx(person(9, roles))).unwrap();
    assert_eq!(
        (t.to, t.at, t.to.status()),
        (Stage::Withdrawn, Some(NOW), DocStatus::Withdrawn)
    );
}

#[test]
fn a_chosen_time_schedules_and_the_platform_publishes_when_it_comes() {
    let clerk = [Role::Clerk];
    let later = datetime!(2026-03-05 08:00 +8);
    let t = apply(
        Stage::Approved,
        &Action::Publish { at: Some(later) },
        &cx(person(1, &clerk)),
    )
    .unwrap();
    assert_eq!((t.to, t.at), (Stage::Scheduled, Some(later)));
    assert_eq!(
        t.to.status(),
        DocStatus::Draft,
        "not public before its time"
    );
    // A time already past publishes now.
    let t = apply(
        Stage::Approved,
        &Action::Publish {
            at: Some(datetime!(2026-03-01 08:00 +8)),
        },
        &cx(person(1, &clerk)),
    )
    .unwrap();
    assert_eq!((t.to, t.at), (Stage::Published, Some(NOW)));
    // Before its time the platform waits; a person cannot do it for the platform.
    let waiting = Context {
        scheduled_at: Some(later),
        ..cx(Actor::System)
    };
    assert_eq!(
        apply(Stage::Scheduled, &Action::PublishDue, &waiting),
        Err(Refusal::NotDue)
    );
    let due = Context {
        now: later,
        ..waiting
    };
    let t = apply(Stage::Scheduled, &Action::PublishDue, &due).unwrap();
    assert_eq!((t.to, t.at), (Stage::Published, Some(later)));
    assert_eq!(
        apply(
            Stage::Scheduled,
            &Action::PublishDue,
            &Context {
                actor: person(1, ALL_ROLES),
                ..due
            }
        ),
        Err(Refusal::SystemOnly)
    );
}

#[test]
fn stages_and_actions_have_codes_and_chinese_names() {
    let codes: Vec<&str> = Stage::all().iter().map(|s| s.code()).collect();
    assert_eq!(
        codes,
        [
            "draft",
            "submitted",
            "reviewed",
            "approved",
            "scheduled",
            "published",
            "withdrawn"
        ]
    );
    for &s in Stage::all() {
        assert_eq!(Stage::from_code(s.code()), Ok(s));
    }
    let api: Vec<&str> = every_action().iter().map(Action::code).collect();
    assert_eq!(
        api,
        [
            "submit",
            "review",
            "approve",
            "publish",
            "publish_due",
            "return",
            "withdraw"
        ]
    );
    assert_eq!(
        Refusal::WrongStage {
            stage: Stage::Published,
            action: "签发"
        }
        .to_string(),
        "当前状态为“已发布”，不能签发"
    );
    assert_eq!(
        Refusal::MissingRole {
            action: "审核通过",
            role: Role::Reviewer
        }
        .to_string(),
        "审核通过需要本单位的“审核人”角色"
    );
}

#[test]
fn only_proactive_records_are_published() {
    let clerk = [Role::Clerk];
    for attribute in [Attribute::OnRequest, Attribute::Withheld] {
        let c = Context {
            attribute,
            ..cx(person(1, &clerk))
        };
        assert_eq!(
            apply(Stage::Approved, &Action::Publish { at: None }, &c),
            Err(Refusal::NotProactive { attribute })
        );
        // Submitting and signing go on as for any record.
        assert!(apply(Stage::Draft, &Action::Submit, &c).is_ok());
    }
}

#[test]
fn a_signed_off_record_is_published_by_its_clerk_or_its_approver() {
    assert_eq!(
        allowed_roles(&Action::Publish { at: None }, Stage::Approved),
        [Role::Clerk, Role::Approver]
    );
    for roles in [[Role::Clerk], [Role::Approver]] {
        assert!(
            apply(
                Stage::Approved,
                &Action::Publish { at: None },
                &cx(person(7, &roles))
            )
            .is_ok()
        );
    }
    assert!(
        apply(
            Stage::Approved,
            &Action::Publish { at: None },
            &cx(person(7, &[Role::Reviewer]))
        )
        .is_err()
    );
}
