use std::collections::BTreeSet;

use gongkai_domain::calendar::{Calendar, CalendarError, SpecialDay, YearNotice};
use gongkai_domain::text::parse_date;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

/// DOMAIN.md B §7, transcribed: (holiday, first off day, last off day, make-up working days).
const HOLIDAYS: &[(&str, &str, &str, &[&str])] = &[
    // 2019: 国办发明电〔2018〕15号, amended by 国办发明电〔2019〕3号.
    ("元旦 2019", "2018-12-30", "2019-01-01", &["2018-12-29"]),
    (
        "春节 2019",
        "2019-02-04",
        "2019-02-10",
        &["2019-02-02", "2019-02-03"],
    ),
    ("清明 2019", "2019-04-05", "2019-04-07", &[]),
    (
        "劳动节 2019 (amended)",
        "2019-05-01",
        "2019-05-04",
        &["2019-04-28", "2019-05-05"],
    ),
    ("端午 2019", "2019-06-07", "2019-06-09", &[]),
    ("中秋 2019", "2019-09-13", "2019-09-15", &[]),
    (
        "国庆 2019",
        "2019-10-01",
        "2019-10-07",
        &["2019-09-29", "2019-10-12"],
    ),
    // 2020: 国办发明电〔2019〕16号, extended by 国办发明电〔2020〕1号.
    ("元旦 2020", "2020-01-01", "2020-01-01", &[]),
    (
        "春节 2020 (extended)",
        "2020-01-24",
        "2020-02-02",
        &["2020-01-19"],
    ),
    ("清明 2020", "2020-04-04", "2020-04-06", &[]),
    (
        "劳动节 2020",
        "2020-05-01",
        "2020-05-05",
        &["2020-04-26", "2020-05-09"],
    ),
    ("端午 2020", "2020-06-25", "2020-06-27", &["2020-06-28"]),
    (
        "国庆·中秋 2020",
        "2020-10-01",
        "2020-10-08",
        &["2020-09-27", "2020-10-10"],
    ),
    // 2021: 国办发明电〔2020〕27号.
    ("元旦 2021", "2021-01-01", "2021-01-03", &[]),
    (
        "春节 2021",
        "2021-02-11",
        "2021-02-17",
        &["2021-02-07", "2021-02-20"],
    ),
    ("清明 2021", "2021-04-03", "2021-04-05", &[]),
    (
        "劳动节 2021",
        "2021-05-01",
        "2021-05-05",
        &["2021-04-25", "2021-05-08"],
    ),
    ("端午 2021", "2021-06-12", "2021-06-14", &[]),
    ("中秋 2021", "2021-09-19", "2021-09-21", &["2021-09-18"]),
    (
        "国庆 2021",
        "2021-10-01",
        "2021-10-07",
        &["2021-09-26", "2021-10-09"],
    ),
    // 2022: 国办发明电〔2021〕11号.
    ("元旦 2022", "2022-01-01", "2022-01-03", &[]),
    (
        "春节 2022",
        "2022-01-31",
        "2022-02-06",
        &["2022-01-29", "2022-01-30"],
    ),
    ("清明 2022", "2022-04-03", "2022-04-05", &["2022-04-02"]),
    (
        "劳动节 2022",
        "2022-04-30",
        "2022-05-04",
        &["2022-04-24", "2022-05-07"],
    ),
    ("端午 2022", "2022-06-03", "2022-06-05", &[]),
    ("中秋 2022", "2022-09-10", "2022-09-12", &[]),
    (
        "国庆 2022",
        "2022-10-01",
        "2022-10-07",
        &["2022-10-08", "2022-10-09"],
    ),
    // 2023: 国办发明电〔2022〕16号.
    ("元旦 2023", "2022-12-31", "2023-01-02", &[]),
    (
        "春节 2023",
        "2023-01-21",
        "2023-01-27",
        &["2023-01-28", "2023-01-29"],
    ),
    ("清明 2023", "2023-04-05", "2023-04-05", &[]),
    (
        "劳动节 2023",
        "2023-04-29",
        "2023-05-03",
        &["2023-04-23", "2023-05-06"],
    ),
    ("端午 2023", "2023-06-22", "2023-06-24", &["2023-06-25"]),
    (
        "中秋·国庆 2023",
        "2023-09-29",
        "2023-10-06",
        &["2023-10-07", "2023-10-08"],
    ),
    // 2024: 国办发明电〔2023〕7号.
    ("元旦 2024", "2024-01-01", "2024-01-01", &[]),
    (
        "春节 2024",
        "2024-02-10",
        "2024-02-17",
        &["2024-02-04", "2024-02-18"],
    ),
    ("清明 2024", "2024-04-04", "2024-04-06", &["2024-04-07"]),
    (
        "劳动节 2024",
        "2024-05-01",
        "2024-05-05",
        &["2024-04-28", "2024-05-11"],
    ),
    ("端午 2024", "2024-06-10", "2024-06-10", &[]),
    ("中秋 2024", "2024-09-15", "2024-09-17", &["2024-09-14"]),
    (
        "国庆 2024",
        "2024-10-01",
        "2024-10-07",
        &["2024-09-29", "2024-10-12"],
    ),
    // 2025: 国办发明电〔2024〕12号.
    ("元旦 2025", "2025-01-01", "2025-01-01", &[]),
    (
        "春节 2025",
        "2025-01-28",
        "2025-02-04",
        &["2025-01-26", "2025-02-08"],
    ),
    ("清明 2025", "2025-04-04", "2025-04-06", &[]),
    ("劳动节 2025", "2025-05-01", "2025-05-05", &["2025-04-27"]),
    ("端午 2025", "2025-05-31", "2025-06-02", &[]),
    (
        "国庆·中秋 2025",
        "2025-10-01",
        "2025-10-08",
        &["2025-09-28", "2025-10-11"],
    ),
    // 2026: 国办发明电〔2025〕7号.
    ("元旦 2026", "2026-01-01", "2026-01-03", &["2026-01-04"]),
    (
        "春节 2026",
        "2026-02-15",
        "2026-02-23",
        &["2026-02-14", "2026-02-28"],
    ),
    ("清明 2026", "2026-04-04", "2026-04-06", &[]),
    ("劳动节 2026", "2026-05-01", "2026-05-05", &["2026-05-09"]),
    ("端午 2026", "2026-06-19", "2026-06-21", &[]),
    ("中秋 2026", "2026-09-25", "2026-09-27", &[]),
    (
        "国庆 2026",
        "2026-10-01",
        "2026-10-07",
        &["2026-09-20", "2026-10-10"],
    ),
];

fn off_days(first: &str, last: &str) -> Vec<Date> {
    let (mut day, last) = (d(first), d(last));
    let mut days = Vec::new();
    while day <= last {
        days.push(day);
        day += Duration::days(1);
    }
    days
}

#[test]
fn every_shipped_file_parses_and_is_for_its_year() {
    let calendar = Calendar::shipped();
    assert_eq!(
        calendar.years().collect::<Vec<_>>(),
        (2019..=2026).collect::<Vec<_>>(),
        "2019–2026 are shipped (DOMAIN.md A9)"
    );
    for year in 2019..=2026 {
        let notice = calendar.notice(year).unwrap();
        assert_eq!(notice.year(), year);
        assert!(!notice.papers().is_empty(), "{year} cites its notice");
        let dates: Vec<Date> = notice.days().iter().map(|d| d.date).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted, "{year}: days() is sorted by date");
    }
}

#[test]
fn papers_are_the_notice_numbers_of_domain_b7() {
    let calendar = Calendar::shipped();
    for (year, papers, why) in [
        (
            2019,
            &["国办发明电〔2018〕15号", "国办发明电〔2019〕3号"][..],
            "the March 2019 amendment changed 劳动节",
        ),
        (
            2020,
            &["国办发明电〔2019〕16号", "国办发明电〔2020〕1号"][..],
            "the COVID extension of 春节",
        ),
        (2021, &["国办发明电〔2020〕27号"][..], "one notice"),
        (2022, &["国办发明电〔2021〕11号"][..], "one notice"),
        (2023, &["国办发明电〔2022〕16号"][..], "one notice"),
        (2024, &["国办发明电〔2023〕7号"][..], "one notice"),
        (
            2025,
            &["国办发明电〔2024〕12号"][..],
            "12号 matches the gov.cn 索引号",
        ),
        (
            2026,
            &["国办发明电〔2025〕7号"][..],
            "checked against Xinhua",
        ),
    ] {
        assert_eq!(
            calendar.notice(year).unwrap().papers(),
            papers,
            "{year}: {why}"
        );
    }
}

#[test]
fn every_holiday_off_day_and_make_up_day_is_as_domain_b7_says() {
    let calendar = Calendar::shipped();
    let mut listed = BTreeSet::new();
    for (holiday, first, last, make_up) in HOLIDAYS {
        for day in off_days(first, last) {
            let special = calendar
                .special_day(day)
                .unwrap_or_else(|| panic!("{holiday}: {day} is listed"));
            assert!(special.off, "{holiday}: {day} is a 放假 day");
            listed.insert(day);
            if day.year() >= 2019 {
                assert_eq!(
                    calendar.is_workday(day),
                    Ok(false),
                    "{holiday}: {day} is off"
                );
            }
        }
        for day in make_up.iter().map(|t| d(t)) {
            let special = calendar.special_day(day).unwrap();
            assert!(!special.off, "{holiday}: {day} is a 调休上班 day");
            listed.insert(day);
            if day.year() >= 2019 {
                assert_eq!(
                    calendar.is_workday(day),
                    Ok(true),
                    "{holiday}: {day} is worked"
                );
            }
        }
    }
    // And the files list nothing else.
    for year in 2019..=2026 {
        for day in calendar.notice(year).unwrap().days() {
            assert!(
                listed.contains(&day.date),
                "{year}.json lists {} which DOMAIN.md B §7 does not",
                day.date
            );
        }
    }
}

#[test]
fn working_days_per_year_are_as_domain_b7_counts() {
    let calendar = Calendar::shipped();
    for (year, count) in [
        (2019, 250),
        (2020, 249),
        (2021, 250),
        (2022, 249),
        (2023, 249),
        (2024, 251),
        (2025, 248),
        (2026, 248),
    ] {
        assert_eq!(
            calendar.workdays_in_year(year),
            Ok(count),
            "{year} (DOMAIN.md B §7)"
        );
        let count_by_days = calendar
            .workdays_between(
                Date::from_calendar_date(year - 1, time::Month::December, 31).unwrap(),
                Date::from_calendar_date(year, time::Month::December, 31).unwrap(),
            )
            .unwrap();
        assert_eq!(
            count_by_days, count,
            "{year}: counting (12-31 of the year before, 12-31]"
        );
    }
}

#[test]
fn ordinary_days_follow_the_week() {
    let calendar = Calendar::shipped();
    for (day, workday, why) in [
        ("2024-03-13", true, "a Wednesday in no holiday"),
        ("2024-03-16", false, "a Saturday in no holiday"),
        ("2024-03-17", false, "a Sunday in no holiday"),
        ("2024-02-29", true, "leap day, a Thursday"),
        (
            "2024-12-31",
            true,
            "the 366th day of a leap year, a Tuesday",
        ),
        (
            "2024-09-29",
            true,
            "Sunday made a 调休 working day for 国庆",
        ),
        ("2024-10-07", false, "Monday inside 国庆"),
        (
            "2022-12-31",
            false,
            "a Saturday, listed as 元旦 in the 2023 notice",
        ),
        ("2023-01-02", false, "Monday 元旦 of the 2023 notice"),
        ("2019-01-01", false, "元旦 of the 2019 notice"),
        ("2026-12-31", true, "a Thursday, the last shipped day"),
    ] {
        assert_eq!(calendar.is_workday(d(day)), Ok(workday), "{day}: {why}");
    }
}

#[test]
fn a_date_in_a_year_not_loaded_is_an_error() {
    let calendar = Calendar::shipped();
    fn not_loaded<T>(year: i32) -> Result<T, CalendarError> {
        Err(CalendarError::NotLoaded { year })
    }
    assert_eq!(
        calendar.is_workday(date!(2018 - 12 - 29)),
        not_loaded(2018),
        "2018-12-29 is listed in 2019.json but 2018 is not loaded (DOMAIN.md A9)"
    );
    assert_eq!(
        calendar.is_workday(date!(2027 - 01 - 04)),
        not_loaded(2027),
        "2027 not shipped"
    );
    assert_eq!(
        calendar.add_workdays(date!(2026 - 12 - 31), 1),
        not_loaded(2027),
        "the next day is in 2027"
    );
    assert_eq!(
        calendar.add_workdays(date!(2026 - 12 - 30), 5),
        not_loaded(2027),
        "only one working day left in 2026"
    );
    assert_eq!(
        calendar.add_workdays(date!(2026 - 12 - 30), 1),
        Ok(date!(2026 - 12 - 31)),
        "stays inside 2026"
    );
    assert_eq!(
        calendar.add_workdays(date!(2018 - 12 - 31), 1),
        Ok(date!(2019 - 01 - 02)),
        "the start is not examined, so 2018 need not be loaded"
    );
    assert_eq!(
        calendar.workdays_between(date!(2018 - 12 - 30), date!(2019 - 01 - 10)),
        not_loaded(2018),
        "2018-12-31 is examined"
    );
    assert_eq!(
        calendar.workdays_between(date!(2026 - 12 - 01), date!(2027 - 01 - 01)),
        not_loaded(2027),
        "2027-01-01 is examined"
    );
    assert_eq!(
        calendar.workdays_in_year(2027),
        not_loaded(2027),
        "not shipped"
    );
    assert_eq!(
        Calendar::empty().is_workday(date!(2024 - 01 - 02)),
        not_loaded(2024),
        "empty calendar"
    );
    assert_eq!(
        CalendarError::NotLoaded { year: 2027 }.to_string(),
        "未载入2027年的放假调休安排，无法计算工作日：请先载入国务院办公厅2027年部分节假日安排的通知"
    );
}

#[test]
fn add_workdays_counts_from_the_day_after() {
    let calendar = Calendar::shipped();
    for (start, n, expected, why) in [
        (
            "2024-09-27",
            1,
            "2024-09-29",
            "Sunday 09-29 is a 调休 working day",
        ),
        ("2024-09-30", 1, "2024-10-08", "国庆 10-01..10-07 are off"),
        ("2024-09-30", 0, "2024-09-30", "n = 0 is the start itself"),
        ("2024-10-03", 0, "2024-10-03", "n = 0 even on a holiday"),
        ("2024-03-13", 1, "2024-03-14", "the start is not counted"),
        ("2024-03-15", 1, "2024-03-18", "a weekend is skipped"),
        ("2024-03-16", 1, "2024-03-18", "starting on a Saturday"),
        (
            "2024-10-08",
            20,
            "2024-11-04",
            "Saturday 10-12 worked, then ordinary weeks",
        ),
        (
            "2024-02-09",
            1,
            "2024-02-18",
            "春节 02-10..02-17 off, Sunday 02-18 worked",
        ),
        (
            "2024-12-20",
            20,
            "2025-01-20",
            "across New Year: 2025-01-01 off",
        ),
        (
            "2022-12-30",
            1,
            "2023-01-03",
            "2022-12-31 (2023 notice) and 2023-01-01/02 are off",
        ),
        (
            "2019-04-26",
            1,
            "2019-04-28",
            "Sunday 04-28 worked under the 2019 amendment",
        ),
        (
            "2019-04-30",
            1,
            "2019-05-05",
            "劳动节 05-01..05-04 off, Sunday 05-05 worked",
        ),
        (
            "2020-01-23",
            1,
            "2020-02-03",
            "春节 extended to 02-02, Saturday 02-01 no longer worked",
        ),
        ("2020-01-17", 1, "2020-01-19", "Sunday 01-19 worked"),
        (
            "2026-01-02",
            1,
            "2026-01-04",
            "Sunday 01-04 worked after 元旦 2026",
        ),
        (
            "2019-01-01",
            250,
            "2019-12-31",
            "2019 has 250 working days, 12-31 the last",
        ),
    ] {
        assert_eq!(
            calendar.add_workdays(d(start), n),
            Ok(d(expected)),
            "{start} + {n}: {why}"
        );
    }
}

#[test]
fn add_workdays_on_2024_02_08_is_the_friday() {
    // 2024-02-09 (Friday, 除夕) was not in the 2024 notice: it is a working day.
    let calendar = Calendar::shipped();
    assert_eq!(calendar.is_workday(date!(2024 - 02 - 09)), Ok(true));
}

#[test]
fn workdays_between_counts_after_until() {
    let calendar = Calendar::shipped();
    for (after, until, count, why) in [
        ("2024-09-30", "2024-10-08", 1, "only 10-08 after 国庆"),
        ("2024-10-08", "2024-09-30", 0, "until before after"),
        ("2024-10-08", "2024-10-08", 0, "same day"),
        ("2024-09-27", "2024-09-29", 1, "Saturday off, Sunday worked"),
        (
            "2024-01-01",
            "2024-12-31",
            251,
            "2024 minus 01-01, which is off anyway",
        ),
        ("2023-12-31", "2025-12-31", 251 + 248, "two whole years"),
    ] {
        assert_eq!(
            calendar.workdays_between(d(after), d(until)),
            Ok(count),
            "({after}, {until}]: {why}"
        );
    }
}

#[test]
fn special_day_looks_across_notices() {
    let calendar = Calendar::shipped();
    let day = calendar.special_day(date!(2022 - 12 - 31)).unwrap();
    assert_eq!(
        (day.name.as_str(), day.off),
        ("元旦", true),
        "2022-12-31 is in the 2023 notice"
    );
    assert!(
        calendar.special_day(date!(2018 - 12 - 29)).is_some(),
        "listed in the 2019 notice"
    );
    assert_eq!(
        calendar.special_day(date!(2024 - 03 - 13)),
        None,
        "an ordinary day"
    );

    // When two notices list the same date, the later notice's year wins.
    let mut calendar = Calendar::empty();
    let earlier = r#"{"year": 2030, "papers": [], "days": [{"name": "甲", "date": "2030-12-28", "isOffDay": true}]}"#;
    let later = r#"{"year": 2031, "papers": [], "days": [{"name": "乙", "date": "2030-12-28", "isOffDay": false}]}"#;
    calendar.insert(YearNotice::from_json(later).unwrap());
    calendar.insert(YearNotice::from_json(earlier).unwrap());
    assert_eq!(
        calendar.special_day(date!(2030 - 12 - 28)).unwrap().name,
        "乙"
    );
    // 2030-12-28 is a Saturday; the later notice makes it a 调休 working day.
    assert_eq!(calendar.is_workday(date!(2030 - 12 - 28)), Ok(true));
}

#[test]
fn insert_replaces_the_year_and_rebuilds_its_neighbours() {
    let mut calendar = Calendar::empty();
    let v1 = r#"{"year": 2030, "papers": ["一"], "days": [{"name": "元旦", "date": "2030-01-01", "isOffDay": true}]}"#;
    let v2 = r#"{"year": 2030, "papers": ["二"], "days": []}"#;
    assert_eq!(calendar.insert(YearNotice::from_json(v1).unwrap()), None);
    assert_eq!(
        calendar.is_workday(date!(2030 - 01 - 01)),
        Ok(false),
        "a Tuesday listed off"
    );
    let old = calendar.insert(YearNotice::from_json(v2).unwrap()).unwrap();
    assert_eq!(old.papers(), ["一"], "the replaced notice is returned");
    assert_eq!(
        calendar.is_workday(date!(2030 - 01 - 01)),
        Ok(true),
        "no longer listed"
    );

    // A later notice listing a December day changes the year before's table.
    let y2029 = r#"{"year": 2029, "papers": [], "days": []}"#;
    let y2030 = r#"{"year": 2030, "papers": [], "days": [{"name": "元旦", "date": "2029-12-31", "isOffDay": true}]}"#;
    let mut calendar = Calendar::empty();
    calendar.insert(YearNotice::from_json(y2029).unwrap());
    assert_eq!(
        calendar.is_workday(date!(2029 - 12 - 31)),
        Ok(true),
        "a Monday"
    );
    calendar.insert(YearNotice::from_json(y2030).unwrap());
    assert_eq!(
        calendar.is_workday(date!(2029 - 12 - 31)),
        Ok(false),
        "listed in the 2030 notice"
    );
    assert_eq!(
        calendar.workdays_in_year(2029),
        Ok(260),
        "2029: 261 weekdays minus 12-31"
    );
}

#[test]
fn from_json_rejects_each_broken_rule_with_the_reason() {
    let field = |f: &'static str| move |e: CalendarError| matches!(e, CalendarError::Field { field, .. } if field.contains(f));
    type Check = Box<dyn Fn(CalendarError) -> bool>;
    let day =
        |date: &str, off: bool| format!(r#"{{"name": "节", "date": "{date}", "isOffDay": {off}}}"#);
    let notice = |year: &str, days: &str| {
        format!(r#"{{"year": {year}, "papers": ["x"], "days": [{days}]}}"#)
    };
    let cases: Vec<(String, Check, &str)> = vec![
        (
            "{".into(),
            Box::new(|e| matches!(e, CalendarError::Json { .. })),
            "not JSON",
        ),
        ("[]".into(), Box::new(field("整体结构")), "not an object"),
        (
            r#"{"papers": [], "days": []}"#.into(),
            Box::new(field("year")),
            "year missing",
        ),
        (
            r#"{"year": "2024", "papers": [], "days": []}"#.into(),
            Box::new(field("year")),
            "year a string",
        ),
        (
            r#"{"year": 2024, "days": []}"#.into(),
            Box::new(field("papers")),
            "papers missing",
        ),
        (
            r#"{"year": 2024, "papers": "x", "days": []}"#.into(),
            Box::new(field("papers")),
            "papers not an array",
        ),
        (
            r#"{"year": 2024, "papers": [7], "days": []}"#.into(),
            Box::new(field("papers 第1项")),
            "a paper not a string",
        ),
        (
            r#"{"year": 2024, "papers": []}"#.into(),
            Box::new(field("days")),
            "days missing",
        ),
        (
            notice("2024", "1"),
            Box::new(field("days 第1项")),
            "a day not an object",
        ),
        (
            notice("2024", r#"{"date": "2024-01-01", "isOffDay": true}"#),
            Box::new(field("days 第1项的“name”")),
            "name missing",
        ),
        (
            notice("2024", r#"{"name": "元旦", "isOffDay": true}"#),
            Box::new(field("days 第1项的“date”")),
            "date missing",
        ),
        (
            notice(
                "2024",
                r#"{"name": "元旦", "date": "2024-1-1", "isOffDay": true}"#,
            ),
            Box::new(field("days 第1项的“date”")),
            "date not YYYY-MM-DD",
        ),
        (
            notice("2024", r#"{"name": "元旦", "date": "2024-01-01"}"#),
            Box::new(field("days 第1项的“isOffDay”")),
            "isOffDay missing",
        ),
        (
            notice(
                "2024",
                r#"{"name": "元旦", "date": "2024-01-01", "isOffDay": "true"}"#,
            ),
            Box::new(field("days 第1项的“isOffDay”")),
            "isOffDay a string",
        ),
        (
            notice("1948", ""),
            Box::new(|e| e == CalendarError::YearOutOfRange { year: 1948 }),
            "before 1949",
        ),
        (
            notice("10000", ""),
            Box::new(|e| e == CalendarError::YearOutOfRange { year: 10000 }),
            "after 9999",
        ),
        (
            notice("2024", &day("2023-11-30", true)),
            Box::new(|e| {
                matches!(
                    e,
                    CalendarError::DateOutsideYear {
                        position: 1,
                        year: 2024,
                        ..
                    }
                )
            }),
            "November of the year before",
        ),
        (
            notice(
                "2024",
                &format!("{}, {}", day("2024-01-01", true), day("2025-02-01", true)),
            ),
            Box::new(|e| matches!(e, CalendarError::DateOutsideYear { position: 2, .. })),
            "February of the year after",
        ),
        (
            notice(
                "2024",
                &format!("{}, {}", day("2024-01-01", true), day("2024-01-01", true)),
            ),
            Box::new(|e| {
                e == CalendarError::DuplicateDate {
                    position: 2,
                    first: 1,
                    date: date!(2024 - 01 - 01),
                }
            }),
            "a date listed twice",
        ),
        (
            notice("2024", &day("2024-01-02", false)),
            Box::new(|e| {
                matches!(
                    e,
                    CalendarError::MakeUpDayNotWeekend {
                        position: 1,
                        weekday: "星期二",
                        ..
                    }
                )
            }),
            "a make-up working day on a Tuesday",
        ),
        (
            notice(
                "2024",
                r#"{"name": " ", "date": "2024-01-01", "isOffDay": true}"#,
            ),
            Box::new(|e| e == CalendarError::EmptyName { position: 1 }),
            "a blank name",
        ),
    ];
    for (text, check, why) in cases {
        let error = YearNotice::from_json(&text).unwrap_err();
        let message = error.to_string();
        assert!(check(error), "{why}: got {message}");
    }
}

#[test]
fn from_json_accepts_the_edges_of_the_rules() {
    for (text, why) in [
        (
            r#"{"year": 2024, "papers": [], "days": [{"name": "元旦", "date": "2023-12-01", "isOffDay": true}]}"#,
            "the first day around New Year",
        ),
        (
            r#"{"year": 2024, "papers": [], "days": [{"name": "元旦", "date": "2025-01-31", "isOffDay": true}]}"#,
            "the last day around New Year",
        ),
        (
            r#"{"year": 2024, "papers": [], "days": [{"name": "国庆", "date": "2024-10-05", "isOffDay": true}]}"#,
            "an off day may be a weekend day",
        ),
        (
            r#"{"year": 1949, "papers": [], "days": []}"#,
            "the first year",
        ),
        (
            r#"{"year": 9999, "papers": [], "days": [{"name": "x", "date": "9999-12-31", "isOffDay": true}]}"#,
            "the last year",
        ),
        (
            r#"{"$schema": "https://example/schema.json", "$id": "x", "year": 2024, "papers": [], "days": []}"#,
            "holiday-cn's $schema and $id are ignored",
        ),
    ] {
        assert!(YearNotice::from_json(text).is_ok(), "{why}");
    }
}

#[test]
fn date_outside_year_message_says_what_is_allowed() {
    let text = r#"{"year": 2024, "papers": [], "days": [{"name": "元旦", "date": "2023-11-30", "isOffDay": true}]}"#;
    assert_eq!(
        YearNotice::from_json(text).unwrap_err().to_string(),
        "days 第1项的日期2023-11-30不属于2024年的安排：只能是2024年内的日期，或年初年末前后的日期（2023年12月1日至2025年1月31日）"
    );
}

#[test]
fn to_json_round_trips_in_the_holiday_cn_format() {
    let calendar = Calendar::shipped();
    for year in 2019..=2026 {
        let notice = calendar.notice(year).unwrap();
        let text = notice.to_json();
        assert_eq!(&YearNotice::from_json(&text).unwrap(), notice, "{year}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let first = &value["days"][0];
        assert!(
            first["name"].is_string()
                && first["date"].is_string()
                && first["isOffDay"].is_boolean(),
            "{year}"
        );
        assert_eq!(value["year"], year);
    }
    let day: SpecialDay =
        serde_json::from_str(r#"{"name": "元旦", "date": "2024-01-01", "isOffDay": true}"#)
            .unwrap();
    assert_eq!(
        day,
        SpecialDay {
            name: "元旦".into(),
            date: date!(2024 - 01 - 01),
            off: true
        }
    );
    assert_eq!(
        serde_json::to_string(&day).unwrap(),
        r#"{"name":"元旦","date":"2024-01-01","isOffDay":true}"#
    );
}

fn shipped_day() -> impl Strategy<Value = Date> {
    // 2019-01-01 .. 2025-12-31 leaves room for the result to stay in 2026.
    (0i64..2557).prop_map(|offset| date!(2019 - 01 - 01) + Duration::days(offset))
}

proptest! {
    #[test]
    fn add_workdays_lands_on_a_working_day_and_grows_with_n(start in shipped_day(), n in 1u32..200) {
        let calendar = Calendar::shipped();
        let end = calendar.add_workdays(start, n).unwrap();
        prop_assert_eq!(calendar.is_workday(end), Ok(true));
        prop_assert!(end > calendar.add_workdays(start, n - 1).unwrap());
        prop_assert_eq!(calendar.workdays_between(start, end), Ok(n));
    }

    #[test]
    fn bit_counting_agrees_with_walking_day_by_day(start in shipped_day(), len in 0i64..365) {
        let calendar = Calendar::shipped();
        let until = start + Duration::days(len);
        let mut walked = 0;
        let mut day = start;
        while day < until {
            day += Duration::days(1);
            if calendar.is_workday(day).unwrap() {
                walked += 1;
            }
        }
        prop_assert_eq!(calendar.workdays_between(start, until), Ok(walked));
    }
}
