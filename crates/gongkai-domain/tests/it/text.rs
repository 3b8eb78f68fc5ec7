use gongkai_domain::text::{
    DateError, format_date_cn, format_date_iso, parse_date, text_to_paragraphs,
};
use proptest::prelude::*;
use time::macros::date;

#[test]
fn strict_dates_parse() {
    for (text, expected, why) in [
        ("2021-06-04", date!(2021 - 06 - 04), "ordinary day"),
        ("2020-02-29", date!(2020 - 02 - 29), "leap day"),
        (
            "2000-02-29",
            date!(2000 - 02 - 29),
            "leap day of a century divisible by 400",
        ),
        (
            "1952-01-01",
            date!(1952 - 01 - 01),
            "oldest year in the laws corpus",
        ),
        ("2026-12-31", date!(2026 - 12 - 31), "last day of the year"),
    ] {
        assert_eq!(parse_date(text), Ok(expected), "{why}");
    }
}

#[test]
fn other_dates_are_rejected_with_the_reason() {
    let format = |t: &str| DateError::Format {
        input: t.to_owned(),
    };
    for (text, error, why) in [
        ("", DateError::Empty, "empty"),
        ("2021-6-4", format("2021-6-4"), "no leading zeros"),
        ("2021/06/04", format("2021/06/04"), "slashes"),
        (
            "2021年6月4日",
            format("2021年6月4日"),
            "Chinese form is for display only",
        ),
        ("21-06-04", format("21-06-04"), "2-digit year"),
        (
            "2021-06-04T00:00",
            format("2021-06-04T00:00"),
            "a timestamp",
        ),
        (" 2021-06-04", format(" 2021-06-04"), "not trimmed"),
        (
            "２０２１-06-04",
            format("２０２１-06-04"),
            "full-width digits",
        ),
        ("+021-06-04", format("+021-06-04"), "sign"),
    ] {
        assert_eq!(parse_date(text), Err(error), "{why}");
    }
    for (text, message, why) in [
        (
            "2021-02-30",
            "日期“2021-02-30”不是有效日期：2021 年 2 月没有 30 日",
            "February 30",
        ),
        (
            "2021-02-29",
            "日期“2021-02-29”不是有效日期：2021 年 2 月没有 29 日",
            "not a leap year",
        ),
        (
            "1900-02-29",
            "日期“1900-02-29”不是有效日期：1900 年 2 月没有 29 日",
            "century not divisible by 400",
        ),
        (
            "2021-04-31",
            "日期“2021-04-31”不是有效日期：2021 年 4 月没有 31 日",
            "April has 30 days",
        ),
        (
            "2021-13-01",
            "日期“2021-13-01”不是有效日期：没有 13 月",
            "month 13",
        ),
        (
            "2021-00-10",
            "日期“2021-00-10”不是有效日期：没有 0 月",
            "month 0",
        ),
        (
            "2021-06-00",
            "日期“2021-06-00”不是有效日期：2021 年 6 月没有 0 日",
            "day 0",
        ),
    ] {
        assert_eq!(parse_date(text).unwrap_err().to_string(), message, "{why}");
    }
}

#[test]
fn chinese_dates_have_no_leading_zeros() {
    for (d, expected, why) in [
        (date!(2021 - 06 - 04), "2021年6月4日", "GB/T 9704 example"),
        (
            date!(2021 - 12 - 31),
            "2021年12月31日",
            "two-digit month and day",
        ),
        (date!(2020 - 01 - 10), "2020年1月10日", "month 1"),
    ] {
        assert_eq!(format_date_cn(d), expected, "{why}");
    }
}

#[test]
fn paragraphs_are_the_non_empty_trimmed_lines() {
    for (text, expected, why) in [
        ("", vec![], "empty"),
        ("一\n二", vec!["一", "二"], "two lines"),
        ("一\r\n\r\n二\n", vec!["一", "二"], "CRLF and blank lines"),
        (
            "\u{3000}\u{3000}第一条 为了…\n  \n第二条",
            vec!["第一条 为了…", "第二条"],
            "ideographic indent removed",
        ),
    ] {
        assert_eq!(text_to_paragraphs(text), expected, "{why}");
    }
}

proptest! {
    #[test]
    fn iso_format_parses_back(day in 0i32..=365 * 200) {
        let d = date!(1900 - 01 - 01) + time::Duration::days(i64::from(day));
        prop_assert_eq!(parse_date(&format_date_iso(d)), Ok(d));
    }

    #[test]
    fn parse_date_never_panics(s in any::<String>()) {
        let _ = parse_date(&s);
    }
}
