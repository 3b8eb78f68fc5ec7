use gongkai_domain::disclosure::{
    Attribute, AttributeError, Ground, check, next_review, review_due,
};
use time::macros::date;

#[test]
fn a_ground_is_named_exactly_when_the_record_is_not_published() {
    assert_eq!(check(Attribute::Proactive, None), Ok(()));
    assert_eq!(
        check(Attribute::Proactive, Some(Ground::ThirdParty)),
        Err(AttributeError::GroundNotAllowed)
    );
    for a in [Attribute::OnRequest, Attribute::Withheld] {
        assert_eq!(
            check(a, None),
            Err(AttributeError::GroundRequired { attribute: a })
        );
    }
    for g in Ground::all() {
        assert_eq!(check(Attribute::OnRequest, Some(*g)), Ok(()), "{g:?}");
        let withheld = check(Attribute::Withheld, Some(*g));
        if *g == Ground::OutsideProactiveScope {
            assert_eq!(withheld, Err(AttributeError::NotAWithholdingGround));
        } else {
            assert_eq!(withheld, Ok(()), "{g:?}");
        }
    }
    assert!(
        AttributeError::GroundRequired {
            attribute: Attribute::Withheld
        }
        .to_string()
        .contains("不予公开须注明依据")
    );
}

#[test]
fn withheld_records_come_back_after_the_interval() {
    assert_eq!(next_review(date!(2026 - 01 - 15), 6), date!(2026 - 07 - 15));
    assert_eq!(next_review(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
    assert_eq!(next_review(date!(2027 - 08 - 31), 6), date!(2028 - 02 - 29));
    assert_eq!(next_review(date!(2026 - 12 - 02), 1), date!(2027 - 01 - 02));
    assert_eq!(
        next_review(date!(2026 - 12 - 02), 12),
        date!(2027 - 12 - 02)
    );
    assert_eq!(
        next_review(date!(2026 - 12 - 02), 30),
        date!(2029 - 06 - 02)
    );
    assert!(!review_due(date!(2026 - 06 - 02), 6, date!(2026 - 12 - 01)));
    assert!(review_due(date!(2026 - 06 - 02), 6, date!(2026 - 12 - 02)));
}

#[test]
fn the_vocabularies_read_codes_and_labels() {
    assert_eq!(Attribute::parse("依申请公开"), Ok(Attribute::OnRequest));
    assert_eq!(Attribute::parse("withheld"), Ok(Attribute::Withheld));
    assert!(Attribute::parse("半公开").is_err());
    assert_eq!(
        Ground::parse("process_information"),
        Ok(Ground::ProcessInformation)
    );
}
