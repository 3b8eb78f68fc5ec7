//! The working-day calendar (工作日): which days count in the 条例's periods of "N个工作日".
//!
//! A working day is Monday to Friday unless the State Council's notice makes it an official
//! 放假 day, or a Saturday or Sunday that the notice makes a 调休 make-up working day
//! (DOMAIN.md B §1.6). The notices are data, one per year, in the holiday-cn format
//! `{"year", "papers", "days": [{"name", "date", "isOffDay"}]}`; 2019–2026 are shipped
//! (DOMAIN.md B §7) and an administrator loads later years as the notices appear.
//!
//! A date whose calendar year has no loaded notice is an error, never a guess (DOMAIN.md A9):
//! a notice may list days of the year before (2018-12-29 is in the 2019 notice), but that does
//! not make 2018 a loaded year.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, Month, Weekday};

use crate::text::parse_date;

/// The notices shipped with the crate, 2019–2026 (DOMAIN.md B §7).
const SHIPPED: [(i32, &str); 8] = [
    (2019, include_str!("../data/calendar/2019.json")),
    (2020, include_str!("../data/calendar/2020.json")),
    (2021, include_str!("../data/calendar/2021.json")),
    (2022, include_str!("../data/calendar/2022.json")),
    (2023, include_str!("../data/calendar/2023.json")),
    (2024, include_str!("../data/calendar/2024.json")),
    (2025, include_str!("../data/calendar/2025.json")),
    (2026, include_str!("../data/calendar/2026.json")),
];

/// The oldest and newest year a notice may be for.
const YEARS: std::ops::RangeInclusive<i64> = 1949..=9999;

/// Why a calendar notice cannot be loaded, or why a working-day question has no answer.
/// The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A day that must be examined lies in a calendar year with no loaded notice.
    #[error(
        "未载入{year}年的放假调休安排，无法计算工作日：请先载入国务院办公厅{year}年部分节假日安排的通知"
    )]
    NotLoaded {
        /// The calendar year that is missing.
        year: i32,
    },
    /// The text is not JSON at all.
    #[error("放假调休安排不是有效的 JSON：{reason}")]
    Json {
        /// The parser's message.
        reason: String,
    },
    /// A field is missing or has the wrong type.
    #[error("放假调休安排的{field}有误：{reason}")]
    Field {
        /// Which field, e.g. `“year”` or `days 第3项的“date”`.
        field: String,
        /// What is expected, in Chinese.
        reason: String,
    },
    /// The year is not one a notice can be for.
    #[error("放假调休安排的年份{year}不在1949至9999年之间")]
    YearOutOfRange {
        /// The year as given.
        year: i64,
    },
    /// A listed day is neither in the notice's year nor in the days around New Year.
    #[error(
        "days 第{position}项的日期{date}不属于{year}年的安排：只能是{year}年内的日期，或年初年末前后的日期（{year_before}年12月1日至{year_after}年1月31日）",
        year_before = year - 1,
        year_after = year + 1
    )]
    DateOutsideYear {
        /// 1-based position in `days`.
        position: usize,
        /// The date as given.
        date: Date,
        /// The notice's year.
        year: i32,
    },
    /// The same date is listed twice.
    #[error("days 第{position}项的日期{date}与第{first}项重复：每个日期只能列一次")]
    DuplicateDate {
        /// 1-based position of the second listing.
        position: usize,
        /// 1-based position of the first listing.
        first: usize,
        /// The date.
        date: Date,
    },
    /// A make-up working day (`isOffDay: false`) that is not a Saturday or Sunday.
    #[error(
        "days 第{position}项的日期{date}是{weekday}，却标为调休上班（isOffDay 为 false）：调休上班日只能是星期六或星期日，工作日本来就上班，无需列出"
    )]
    MakeUpDayNotWeekend {
        /// 1-based position in `days`.
        position: usize,
        /// The date.
        date: Date,
        /// Its weekday in Chinese.
        weekday: &'static str,
    },
    /// A day without a holiday name.
    #[error("days 第{position}项的节日名称“name”为空：请写明所属节日，如“春节”")]
    EmptyName {
        /// 1-based position in `days`.
        position: usize,
    },
}

/// One day a notice lists: an official 放假 day (`off`) or a 调休 make-up working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    /// The holiday it belongs to, e.g. "春节".
    pub name: String,
    /// The day.
    #[serde(with = "crate::iso_date")]
    pub date: Date,
    /// True for a 放假 day, false for a 调休上班 day.
    #[serde(rename = "isOffDay")]
    pub off: bool,
}

/// One year's notice (国务院办公厅关于…年部分节假日安排的通知), validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearNotice {
    year: i32,
    papers: Vec<String>,
    days: Vec<SpecialDay>,
}

fn field(field: impl Into<String>, reason: &str) -> CalendarError {
    CalendarError::Field {
        field: field.into(),
        reason: reason.to_owned(),
    }
}

impl YearNotice {
    /// Reads and validates a notice in the holiday-cn format. Unknown keys (holiday-cn's
    /// `$schema`, `$id`) are ignored, so its files load as they are.
    pub fn from_json(text: &str) -> Result<YearNotice, CalendarError> {
        let value: Value = serde_json::from_str(text).map_err(|e| CalendarError::Json {
            reason: e.to_string(),
        })?;
        let Value::Object(top) = value else {
            return Err(field(
                "整体结构",
                "须为 JSON 对象 {\"year\": …, \"papers\": […], \"days\": […]}",
            ));
        };
        let year = top
            .get("year")
            .ok_or_else(|| field("“year”", "缺少该字段，须写年份，如 2024"))?
            .as_i64()
            .ok_or_else(|| field("“year”", "须为整数年份，如 2024"))?;
        if !YEARS.contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        let year = year as i32;
        let papers = match top.get("papers") {
            None => {
                return Err(field(
                    "“papers”",
                    "缺少该字段，须列出通知文号，如 [\"国办发明电〔2023〕7号\"]",
                ));
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    item.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| field(format!("papers 第{}项", i + 1), "须为文号字符串"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => {
                return Err(field(
                    "“papers”",
                    "须为文号字符串的数组，如 [\"国办发明电〔2023〕7号\"]",
                ));
            }
        };
        let Some(Value::Array(items)) = top.get("days") else {
            return Err(field(
                "“days”",
                "须为日期的数组，每项形如 {\"name\": \"元旦\", \"date\": \"2024-01-01\", \"isOffDay\": true}",
            ));
        };
        let (first_day, last_day) = around_new_year(year);
        let mut seen: HashMap<Date, usize> = HashMap::new();
        let mut days = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let position = i + 1;
            let day = read_day(item, position)?;
            if day.date < first_day || day.date > last_day {
                return Err(CalendarError::DateOutsideYear {
                    position,
                    date: day.date,
                    year,
                });
            }
            if let Some(&first) = seen.get(&day.date) {
                return Err(CalendarError::DuplicateDate {
                    position,
                    first,
                    date: day.date,
                });
            }
            seen.insert(day.date, position);
            if !day.off && !is_weekend(day.date) {
                return Err(CalendarError::MakeUpDayNotWeekend {
                    position,
                    date: day.date,
                    weekday: weekday_cn(day.date.weekday()),
                });
            }
            days.push(day);
        }
        days.sort_by_key(|d| d.date);
        Ok(YearNotice { year, papers, days })
    }

    /// The notice in the same holiday-cn format, pretty-printed; [`YearNotice::from_json`]
    /// reads it back unchanged.
    pub fn to_json(&self) -> String {
        // Cannot fail: the value holds only strings, integers and booleans.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The year the notice is for.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The notice numbers, e.g. `国办发明电〔2023〕7号`, amendments included.
    pub fn papers(&self) -> &[String] {
        &self.papers
    }

    /// The listed days, sorted by date.
    pub fn days(&self) -> &[SpecialDay] {
        &self.days
    }

    fn day(&self, date: Date) -> Option<&SpecialDay> {
        self.days
            .binary_search_by_key(&date, |d| d.date)
            .ok()
            .and_then(|i| self.days.get(i))
    }
}

/// The dates a notice for `year` may list: its year plus December before and January after.
fn around_new_year(year: i32) -> (Date, Date) {
    let first = Date::from_calendar_date(year - 1, Month::December, 1).unwrap_or(Date::MIN);
    let last = Date::from_calendar_date(year + 1, Month::January, 31).unwrap_or(Date::MAX);
    (first, last)
}

fn read_day(item: &Value, position: usize) -> Result<SpecialDay, CalendarError> {
    let at = |key: &str| format!("days 第{position}项的“{key}”");
    let Value::Object(map) = item else {
        return Err(field(
            format!("days 第{position}项"),
            "须为对象，形如 {\"name\": \"元旦\", \"date\": \"2024-01-01\", \"isOffDay\": true}",
        ));
    };
    let name = map
        .get("name")
        .ok_or_else(|| field(at("name"), "缺少该字段"))?
        .as_str()
        .ok_or_else(|| field(at("name"), "须为字符串，如“春节”"))?;
    if name.trim().is_empty() {
        return Err(CalendarError::EmptyName { position });
    }
    let date = map
        .get("date")
        .ok_or_else(|| field(at("date"), "缺少该字段"))?
        .as_str()
        .ok_or_else(|| field(at("date"), "须为 YYYY-MM-DD 形式的字符串"))?;
    let date = parse_date(date).map_err(|e| field(at("date"), &e.to_string()))?;
    let off = map
        .get("isOffDay")
        .ok_or_else(|| field(at("isOffDay"), "缺少该字段"))?
        .as_bool()
        .ok_or_else(|| field(at("isOffDay"), "须为 true（放假）或 false（调休上班）"))?;
    Ok(SpecialDay {
        name: name.to_owned(),
        date,
        off,
    })
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn weekday_cn(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "星期一",
        Weekday::Tuesday => "星期二",
        Weekday::Wednesday => "星期三",
        Weekday::Thursday => "星期四",
        Weekday::Friday => "星期五",
        Weekday::Saturday => "星期六",
        Weekday::Sunday => "星期日",
    }
}

/// One bit per day of a calendar year (bit `ordinal - 1`), set on working days.
type YearBits = [u64; 6];

#[derive(Debug, Clone, PartialEq, Eq)]
struct LoadedYear {
    notice: YearNotice,
    working: YearBits,
}

/// The loaded notices and, per loaded year, a table of its working days.
///
/// The tables are rebuilt on [`Calendar::insert`], so the day-by-day questions cost one map
/// lookup per calendar year crossed and bit counting within it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, LoadedYear>,
}

static SHIPPED_CALENDAR: LazyLock<Calendar> = LazyLock::new(|| {
    let mut calendar = Calendar::empty();
    for (year, text) in SHIPPED {
        match YearNotice::from_json(text) {
            Ok(notice) => {
                calendar.insert(notice);
            }
            // A test parses every shipped file, so this is never reached in a release.
            Err(error) => debug_assert!(false, "shipped calendar {year} is invalid: {error}"),
        }
    }
    calendar
});

impl Calendar {
    /// The calendar with the shipped notices, 2019–2026 (DOMAIN.md B §7).
    pub fn shipped() -> Calendar {
        SHIPPED_CALENDAR.clone()
    }

    /// A calendar with no year loaded: every question is [`CalendarError::NotLoaded`].
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// Loads a year's notice, replacing and returning the one loaded for that year before.
    pub fn insert(&mut self, notice: YearNotice) -> Option<YearNotice> {
        let year = notice.year;
        let placeholder = LoadedYear {
            notice,
            working: [0; 6],
        };
        let old = self.years.insert(year, placeholder).map(|y| y.notice);
        // A notice may list days of the neighbouring years (2022-12-31 is in the 2023 notice).
        for y in [year - 1, year, year + 1] {
            let bits = self.build(y);
            if let Some(loaded) = self.years.get_mut(&y) {
                loaded.working = bits;
            }
        }
        old
    }

    fn build(&self, year: i32) -> YearBits {
        let mut bits = [0u64; 6];
        let len = time::util::days_in_year(year) as usize;
        let monday_offset = Date::from_ordinal_date(year, 1)
            .map(|d| d.weekday().number_days_from_monday() as usize)
            .unwrap_or(0);
        for idx in 0..len {
            if (monday_offset + idx) % 7 < 5 {
                bits[idx / 64] |= 1 << (idx % 64);
            }
        }
        // Later notices win when two list the same date: apply them in year order.
        for notice_year in [year - 1, year, year + 1] {
            let Some(loaded) = self.years.get(&notice_year) else {
                continue;
            };
            for day in loaded.notice.days.iter().filter(|d| d.date.year() == year) {
                let idx = day.date.ordinal() as usize - 1;
                if day.off {
                    bits[idx / 64] &= !(1 << (idx % 64));
                } else {
                    bits[idx / 64] |= 1 << (idx % 64);
                }
            }
        }
        bits
    }

    /// This calendar with `year`, which must come after every loaded year, counted with
    /// weekends only (and any of its days a loaded notice lists): the provisional calendar of
    /// DOMAIN.md A9 for a period that runs into a year whose notice is not out. `None` when
    /// `year` is loaded or not after the last loaded year (a gap is an error, never a guess).
    pub fn with_provisional_year(&self, year: i32) -> Option<Calendar> {
        if self
            .years
            .keys()
            .next_back()
            .is_some_and(|last| *last >= year)
        {
            return None;
        }
        let mut provisional = self.clone();
        provisional.insert(YearNotice {
            year,
            papers: Vec::new(),
            days: Vec::new(),
        });
        Some(provisional)
    }

    /// The loaded years, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The notice loaded for `year`.
    pub fn notice(&self, year: i32) -> Option<&YearNotice> {
        self.years.get(&year).map(|y| &y.notice)
    }

    /// The listing of `date` in any loaded notice; when two notices list it, the later
    /// notice's year wins.
    pub fn special_day(&self, date: Date) -> Option<&SpecialDay> {
        let year = date.year();
        [year + 1, year, year - 1]
            .into_iter()
            .find_map(|y| self.notice(y).and_then(|n| n.day(date)))
    }

    fn bits(&self, year: i32) -> Result<&YearBits, CalendarError> {
        self.years
            .get(&year)
            .map(|y| &y.working)
            .ok_or(CalendarError::NotLoaded { year })
    }

    /// Whether `date` is a working day: Monday–Friday unless listed as 放假, Saturday or
    /// Sunday only if listed as 调休上班.
    pub fn is_workday(&self, date: Date) -> Result<bool, CalendarError> {
        let idx = date.ordinal() as usize - 1;
        Ok(self.bits(date.year())?[idx / 64] & (1 << (idx % 64)) != 0)
    }

    /// The `n`-th working day after `start`, `start` not counted (DOMAIN.md A6.1 `W(D, n)`);
    /// `start` itself when `n` is 0.
    pub fn add_workdays(&self, start: Date, n: u32) -> Result<Date, CalendarError> {
        if n == 0 {
            return Ok(start);
        }
        let mut remaining = n;
        // `from` is the bit index of the first day to examine: the day after `start`.
        let (mut year, mut from) = (start.year(), start.ordinal() as u32);
        loop {
            let len = time::util::days_in_year(year) as u32;
            if from >= len {
                year += 1;
                from = 0;
                continue;
            }
            let bits = self.bits(year)?;
            let count = count_bits(bits, from, len);
            if remaining <= count {
                let idx = nth_bit(bits, from, remaining);
                return Date::from_ordinal_date(year, idx as u16 + 1)
                    .map_err(|_| CalendarError::NotLoaded { year });
            }
            remaining -= count;
            year += 1;
            from = 0;
        }
    }

    /// The number of working days `d` with `after < d ≤ until`; 0 when `until ≤ after`.
    pub fn workdays_between(&self, after: Date, until: Date) -> Result<u32, CalendarError> {
        if until <= after {
            return Ok(0);
        }
        let mut total = 0;
        let (mut year, mut from) = (after.year(), after.ordinal() as u32);
        loop {
            let len = time::util::days_in_year(year) as u32;
            if from >= len {
                year += 1;
                from = 0;
                continue;
            }
            let bits = self.bits(year)?;
            if year == until.year() {
                return Ok(total + count_bits(bits, from, until.ordinal() as u32));
            }
            total += count_bits(bits, from, len);
            year += 1;
            from = 0;
        }
    }

    /// The number of working days in `year`.
    pub fn workdays_in_year(&self, year: i32) -> Result<u32, CalendarError> {
        Ok(self.bits(year)?.iter().map(|w| w.count_ones()).sum())
    }
}

/// The set bits with index in `from..to`.
fn count_bits(bits: &YearBits, from: u32, to: u32) -> u32 {
    let mut count = 0;
    for (w, word) in bits.iter().enumerate() {
        let lo = (w as u32) * 64;
        let hi = lo + 64;
        if hi <= from || lo >= to {
            continue;
        }
        let mut mask = u64::MAX;
        if from > lo {
            mask &= u64::MAX << (from - lo);
        }
        if to < hi {
            mask &= (1u64 << (to - lo)) - 1;
        }
        count += (word & mask).count_ones();
    }
    count
}

/// The index of the `n`-th (1-based) set bit at or after `from`; the caller has checked that
/// there are at least `n`.
fn nth_bit(bits: &YearBits, from: u32, n: u32) -> u32 {
    let mut remaining = n;
    for (w, word) in bits.iter().enumerate() {
        let lo = (w as u32) * 64;
        if lo + 64 <= from {
            continue;
        }
        let mut word = if from > lo {
            word & (u64::MAX << (from - lo))
        } else {
            *word
        };
        let ones = word.count_ones();
        if remaining > ones {
            remaining -= ones;
            continue;
        }
        for _ in 1..remaining {
            word &= word - 1;
        }
        return lo + word.trailing_zeros();
    }
    // Unreachable when the caller's count is right; the last day keeps the result in range.
    383
}
