use gongkai_domain::{
    Applicant, ApplicantType, LegalBasis, Outcome, OutcomeGroup, validate_request_line,
};
use serde_json::json;

#[test]
fn every_outcome_has_the_row_label_of_the_template() {
    for (outcome, label) in [
        (Outcome::Disclosed, "（一）予以公开"),
        (
            Outcome::PartiallyDisclosed,
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        (Outcome::StateSecret, "（三）1.属于国家秘密"),
        (Outcome::QueryMatter, "（三）8.属于行政查询事项"),
        (Outcome::NotHeld, "（四）1.本机关不掌握相关政府信息"),
        (
            Outcome::UnclearAfterCorrection,
            "（四）3.补正后申请内容仍不明确",
        ),
        (
            Outcome::ConfirmOrReissue,
            "（五）5.要求行政机关确认或重新出具已获取信息",
        ),
        (
            Outcome::NoCorrection,
            "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (Outcome::Other, "（六）3.其他"),
    ] {
        assert_eq!(outcome.row_label(), label);
    }
    assert_eq!(Outcome::all().len(), 21);
    assert_eq!(ApplicantType::all().len(), 6);
}

#[test]
fn every_basis_leads_to_one_outcome_and_every_outcome_has_a_basis() {
    for outcome in Outcome::all() {
        assert!(!outcome.legal_bases().is_empty(), "{outcome:?}");
    }
    assert_eq!(LegalBasis::NotExist.outcome(), Outcome::NotHeld);
    assert_eq!(
        LegalBasis::NotOurs.outcome(),
        Outcome::NotHeld,
        "Art. 36(五) is row （四）1 too"
    );
    assert!(Outcome::PartiallyDisclosed.accepts_basis(LegalBasis::ThirdPartyRights));
    assert!(!Outcome::Disclosed.accepts_basis(LegalBasis::ThirdPartyRights));
    assert_eq!(Outcome::StateSecret.group(), OutcomeGroup::Withheld);
    assert_eq!(
        LegalBasis::NotExist.citation(),
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项"
    );
}

#[test]
fn applicant_details_never_show_in_debug_output() {
    let a = Applicant {
        name: Some("王某某".into()),
        id_number: Some("350102199003071234".into()),
        phone: Some("13800000000".into()),
        ..Applicant::default()
    };
    let line = json!({"org": "GL00101", "tracking": "Q-1", "applicant_type": "natural_person",
        "received_date": "2024-03-01", "outcome": null, "replied_date": null,
        "applicant": {"name": "王某某", "phone": "13800000000"}});
    let (valid, _) = validate_request_line(&line.to_string()).unwrap();
    for text in [format!("{a:?}"), format!("{valid:?}")] {
        assert!(
            !text.contains("王某某") && !text.contains("13800000000"),
            "{text}"
        );
    }
}

#[test]
fn request_lines_are_checked_field_by_field() {
    let base = json!({"org": "GL00101", "tracking": "Q-1", "applicant_type": "natural_person",
        "received_date": "2024-03-01", "outcome": "disclosed", "replied_date": "2024-03-20"});
    assert!(validate_request_line(&base.to_string()).is_ok());
    for (change, field, why) in [
        (
            json!({"applicant_type": "total"}),
            "applicant_type",
            "总计 is a report column only",
        ),
        (
            json!({"received_date": "2024-02-30"}),
            "received_date",
            "not a calendar day",
        ),
        (json!({"outcome": "refused"}), "outcome", "not an A2 code"),
        (
            json!({"replied_date": null}),
            "replied_date",
            "an outcome needs its day",
        ),
        (
            json!({"replied_date": "2024-02-01"}),
            "replied_date",
            "reply before receipt",
        ),
        (
            json!({"basis": "art15"}),
            "basis",
            "Art. 15 is not a ground to disclose",
        ),
        (json!({"basis": "art99"}), "basis", "no such article"),
        (
            json!({"tracking": "Q 1"}),
            "tracking",
            "spaces in a tracking code",
        ),
        (
            json!({"events": {"kind": "x"}}),
            "events",
            "events are an array",
        ),
        (
            json!({"applicant": {"nickname": "x"}}),
            "applicant",
            "unknown applicant field",
        ),
        (
            json!({"reviews": [{"kind": "reconsideration", "filed_date": "2024-04-01", "result": "upheld"}]}),
            "reviews",
            "a result needs its decision day",
        ),
        (
            json!({"reviews": [{"kind": "appeal", "filed_date": "2024-04-01"}]}),
            "reviews",
            "not an A3 kind",
        ),
    ] {
        let mut line = base.clone();
        for (k, v) in change.as_object().unwrap() {
            line[k] = v.clone();
        }
        let errors = validate_request_line(&line.to_string()).unwrap_err();
        assert!(errors.iter().any(|e| e.field == field), "{why}: {errors:?}");
    }
    let withdrawn = json!({"org": "GL00101", "tracking": "Q-2", "applicant_type": "legal.other",
        "received_date": "2024-03-01", "outcome": "other.other", "replied_date": "2024-03-02",
        "basis": "withdrawn"});
    let (v, _) = validate_request_line(&withdrawn.to_string()).unwrap();
    assert_eq!(v.closed.map(|c| c.0), Some(Outcome::Other));
    assert_eq!(v.to_line()["basis"], json!(["withdrawn"]));
}

#[test]
fn a_case_entered_on_a_request_is_checked_against_its_dates() {
    use gongkai_domain::request::{Review, ReviewKind, ReviewResult, check_review};
    use time::macros::date;
    let received = date!(2026 - 03 - 02);
    let today = date!(2026 - 12 - 03);
    let case = |filed, decision| Review {
        kind: ReviewKind::Reconsideration,
        filed,
        decision,
    };
    assert!(check_review(received, &case(date!(2026 - 05 - 01), None), today).is_ok());
    assert!(
        check_review(
            received,
            &case(received, Some((ReviewResult::Upheld, received))),
            today
        )
        .is_ok()
    );
    assert_eq!(
        check_review(received, &case(date!(2026 - 03 - 01), None), today)
            .unwrap_err()
            .0,
        "filed_date"
    );
    assert_eq!(
        check_review(received, &case(date!(2026 - 12 - 04), None), today)
            .unwrap_err()
            .0,
        "filed_date"
    );
    let early = case(
        date!(2026 - 05 - 01),
        Some((ReviewResult::Corrected, date!(2026 - 04 - 30))),
    );
    let (field, message) = check_review(received, &early, today).unwrap_err();
    assert_eq!(field, "decided_date");
    assert!(message.contains("早于立案日期"), "{message}");
    let later = case(
        date!(2026 - 05 - 01),
        Some((ReviewResult::Other, date!(2026 - 12 - 04))),
    );
    assert_eq!(
        check_review(received, &later, today).unwrap_err().0,
        "decided_date"
    );
}

#[test]
fn a_reply_while_a_correction_is_awaited_can_only_be_no_correction() {
    use gongkai_domain::deadline::{ClockEvent, ClockEventKind as K};
    use gongkai_domain::request::check_reply_events;
    use time::macros::date;
    let event = |kind, date| ClockEvent {
        kind,
        date,
        id: None,
        working_days: None,
    };
    let asked = vec![event(K::CorrectionRequested, date!(2026 - 03 - 04))];
    let answered = vec![
        asked[0].clone(),
        event(K::CorrectionReceived, date!(2026 - 03 - 10)),
    ];
    let asked_again = vec![
        answered[0].clone(),
        answered[1].clone(),
        event(K::CorrectionRequested, date!(2026 - 03 - 12)),
    ];
    for outcome in Outcome::all().iter().copied() {
        let ok = |events: &[ClockEvent]| check_reply_events(outcome, events).is_ok();
        match outcome {
            Outcome::NoCorrection => {
                assert!(ok(&asked) && ok(&asked_again), "{outcome:?}");
                assert!(!ok(&[]) && !ok(&answered), "{outcome:?}");
            }
            Outcome::UnclearAfterCorrection => {
                assert!(ok(&answered), "{outcome:?}");
                assert!(!ok(&[]) && !ok(&asked) && !ok(&asked_again), "{outcome:?}");
            }
            _ => {
                assert!(ok(&[]) && ok(&answered), "{outcome:?}");
                let message = check_reply_events(outcome, &asked).unwrap_err();
                assert!(message.contains("收到补正"), "{message}");
                assert!(!ok(&asked_again), "{outcome:?}");
            }
        }
    }
}
