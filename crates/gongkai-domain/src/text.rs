//! Dates and plain text as the disclosure pages need them.
//!
//! Dates are exchanged as `YYYY-MM-DD` (SPEC "Import formats") and shown as GB/T 9704-2012
//! writes a 成文日期: Arabic digits, the year in full, 月、日不编虚位 (no leading zeros), e.g.
//! `2021年6月4日` (DOMAIN.md §5).

use time::{Date, Month};

/// Why a text is not a `YYYY-MM-DD` date. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing given.
    #[error("日期为空：须写作 YYYY-MM-DD，如 2021-06-04")]
    Empty,
    /// Not of the form `YYYY-MM-DD`.
    #[error("日期“{input}”格式不对：须写作 YYYY-MM-DD，如 2021-06-04")]
    Format {
        /// The text as given.
        input: String,
    },
    /// The form is right but there is no such day, e.g. `2021-02-30`.
    #[error("日期“{input}”不是有效日期：{reason}")]
    NotADate {
        /// The text as given.
        input: String,
        /// Which part is impossible, in Chinese.
        reason: String,
    },
}

/// Parses a strict `YYYY-MM-DD` date: 4-digit year, 2-digit month and day, a real calendar day.
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let format_error = || DateError::Format {
        input: s.to_owned(),
    };
    let bytes = s.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(format_error());
    }
    let year: i32 = s[..4].parse().map_err(|_| format_error())?;
    let month: u8 = s[5..7].parse().map_err(|_| format_error())?;
    let day: u8 = s[8..].parse().map_err(|_| format_error())?;
    let not_a_date = |reason: String| DateError::NotADate {
        input: s.to_owned(),
        reason,
    };
    let month = Month::try_from(month).map_err(|_| not_a_date(format!("没有 {month} 月")))?;
    Date::from_calendar_date(year, month, day)
        .map_err(|_| not_a_date(format!("{year} 年 {} 月没有 {day} 日", u8::from(month))))
}

/// The date in Chinese document form, without leading zeros: `2021年6月4日`.
pub fn format_date_cn(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// The date as `YYYY-MM-DD`, the exchange form [`parse_date`] reads.
pub fn format_date_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The paragraphs of a plain-text body: its lines, trimmed (including ideographic spaces used
/// for 首行缩进), without empty ones.
pub fn text_to_paragraphs(body_text: &str) -> Vec<&str> {
    body_text
        .split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}
