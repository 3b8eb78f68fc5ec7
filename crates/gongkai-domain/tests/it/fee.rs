use gongkai_domain::fee::{
    FREE_PAGES, FREE_REQUESTS, FeeError, SATURATING_COUNT, fee_by_count, fee_by_volume,
    total_by_count,
};
use proptest::prelude::*;

#[test]
fn each_request_costs_its_tier_price() {
    for (nth, fee, why) in [
        (1, 0, "the first request of the month is free"),
        (10, 0, "10件以下（含10件）的，不收费"),
        (11, 100, "11—30件的部分：100元/件 starts at the 11th"),
        (30, 100, "含30件: the 30th is still 100"),
        (31, 200, "31件以上: the first block of 10 costs 100 more"),
        (40, 200, "the block 31–40 ends at 40"),
        (41, 300, "每增加一档 (41–50) 100 more"),
        (50, 300, "the block 41–50 ends at 50"),
        (51, 400, "51–60 is the next block"),
        (101, 900, "101–110 is the 8th block beyond 30"),
        (
            u32::MAX,
            100 * (2 + u64::from((u32::MAX - 31) / 10)),
            "the largest count does not overflow",
        ),
    ] {
        assert_eq!(fee_by_count(nth), Ok(fee), "{why}");
    }
    assert_eq!(FREE_REQUESTS, 10);
}

#[test]
fn there_is_no_zeroth_request() {
    assert_eq!(fee_by_count(0), Err(FeeError::ZerothRequest));
    assert_eq!(
        FeeError::ZerothRequest.to_string(),
        "申请件次须从 1 开始计数"
    );
}

#[test]
fn a_month_costs_the_sum_of_its_requests() {
    for (requests, total, why) in [
        (0, 0, "no request, no fee"),
        (10, 0, "all free"),
        (11, 100, "one paid request"),
        (30, 2_000, "20 requests at 100"),
        (31, 2_200, "2000 + one at 200"),
        (40, 4_000, "2000 + 10 × 200"),
        (41, 4_300, "4000 + one at 300"),
        (50, 7_000, "4000 + 10 × 300"),
        (55, 9_000, "7000 + 5 × 400"),
    ] {
        assert_eq!(total_by_count(requests), total, "{why}");
    }
}

#[test]
fn a_month_total_saturates_instead_of_overflowing() {
    // Computed independently (closed form and brute force agree) with Python integers.
    assert_eq!(
        total_by_count(SATURATING_COUNT - 1),
        18_446_744_054_523_154_700,
        "the last exact total"
    );
    assert_eq!(total_by_count(SATURATING_COUNT), u64::MAX);
    assert_eq!(total_by_count(u32::MAX), u64::MAX);
}

#[test]
fn pages_cost_their_marginal_tier_prices() {
    for (pages, fee, why) in [
        (0, 0, "no pages"),
        (1, 0, "free"),
        (30, 0, "30页以下（含30页）的，不收费"),
        (31, 10, "31—100页的部分：10元/页 starts at page 31"),
        (100, 700, "70 pages at 10"),
        (101, 720, "101—200页的部分：20元/页"),
        (200, 2_700, "700 + 100 × 20"),
        (201, 2_740, "201页以上的部分：40元/页"),
        (250, 4_700, "the worked example: 70×10 + 100×20 + 50×40"),
        (
            u32::MAX,
            2_700 + 40 * (u64::from(u32::MAX) - 200),
            "the largest count does not overflow",
        ),
    ] {
        assert_eq!(fee_by_volume(pages), fee, "{why}");
    }
    assert_eq!(FREE_PAGES, 30);
}

proptest! {
    #[test]
    fn a_later_request_never_costs_less(n in 1u32..u32::MAX) {
        prop_assert!(fee_by_count(n + 1)? >= fee_by_count(n)?);
    }

    #[test]
    fn more_pages_never_cost_less(p in 0u32..u32::MAX) {
        prop_assert!(fee_by_volume(p + 1) >= fee_by_volume(p));
    }

    #[test]
    fn the_month_total_is_the_sum_of_the_requests(n in 0u32..2_000) {
        let sum: u64 = (1..=n).map(|k| fee_by_count(k).unwrap()).sum();
        prop_assert_eq!(total_by_count(n), sum);
    }

    #[test]
    fn one_more_request_adds_its_fee_to_the_total(n in 0u32..SATURATING_COUNT - 1) {
        prop_assert_eq!(total_by_count(n + 1), total_by_count(n) + fee_by_count(n + 1)?);
    }
}

#[test]
fn a_quote_names_its_rule_and_the_figures_it_rests_on() {
    use gongkai_domain::fee::{FeeRule, quote};
    let q = quote(FeeRule::ByCount, 12).unwrap();
    assert_eq!(q.amount, 100);
    assert!(
        q.explanation.contains("第12件") && q.explanation.contains("100元/件"),
        "{}",
        q.explanation
    );
    assert_eq!(quote(FeeRule::ByCount, 10).unwrap().amount, 0);
    assert_eq!(quote(FeeRule::ByCount, 31).unwrap().amount, 200);
    assert!(quote(FeeRule::ByCount, 0).is_err());
    let v = quote(FeeRule::ByVolume, 250).unwrap();
    assert_eq!(v.amount, 4700);
    assert!(v.explanation.contains("共250页") && v.explanation.contains("合计4700元"));
    assert_eq!(quote(FeeRule::ByVolume, 30).unwrap().amount, 0);
    assert_eq!(FeeRule::parse("按量计收"), Ok(FeeRule::ByVolume));
}

#[test]
fn the_nth_request_of_a_month_counts_only_the_same_applicant() {
    use gongkai_domain::fee::{applicant_key, month_of, nth_of_month};
    use time::macros::date;
    assert_eq!(
        month_of(date!(2026 - 02 - 14)),
        (date!(2026 - 02 - 01), date!(2026 - 02 - 28))
    );
    assert_eq!(month_of(date!(2024 - 02 - 29)).1, date!(2024 - 02 - 29));
    assert_eq!(
        month_of(date!(2026 - 12 - 31)),
        (date!(2026 - 12 - 01), date!(2026 - 12 - 31))
    );
    let a = applicant_key(Some("11010519491231002x "), Some("张三"));
    assert_eq!(a.as_deref(), Some("11010519491231002X"));
    assert_eq!(
        applicant_key(Some(" "), Some("张三")).as_deref(),
        Some("张三")
    );
    assert_eq!(applicant_key(None, None), None);
    let b = applicant_key(Some("350102199003071234"), None);
    let month = vec![
        (1, a.clone()),
        (2, b.clone()),
        (3, a.clone()),
        (4, None),
        (5, a),
    ];
    assert_eq!(nth_of_month(&month, 1), Some(1));
    assert_eq!(nth_of_month(&month, 5), Some(3));
    assert_eq!(nth_of_month(&month, 2), Some(1));
    assert_eq!(nth_of_month(&month, 4), None);
    assert_eq!(nth_of_month(&month, 9), None);
}
