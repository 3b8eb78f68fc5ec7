//! 敏感信息扫描 (sensitive-information scan): the personal data and classification marks that a
//! draft must not carry into publication.
//!
//! 条例 Art. 15 withholds personal privacy, and SPEC C3 (先审查后公开) requires an automatic scan
//! before a draft is submitted; findings must be redacted or overridden with a reason before
//! approval. What counts as a finding is DOMAIN.md A8:
//!
//! - `id_card`: an 18-character 公民身份号码 (GB 11643-1999): 17 digits and a check character
//!   (a digit or `X`), with a valid ISO 7064 MOD 11-2 check character and a real birth date
//!   (digits 7–14, `YYYYMMDD`) between [`EARLIEST_BIRTH_YEAR`] and
//!   [`ScanConfig::latest_birth_date`];
//! - `mobile`: 11 digits, `1` then `3`–`9`, not written with `+86` and not hyphenated;
//! - `bank_card`: 16 to 19 digits passing the Luhn check, not a valid resident ID;
//! - `email`: an ASCII `local@domain.tld`;
//! - `keyword`: each occurrence of a configured keyword (秘密, 机密, 绝密, 内部 by default).
//!
//! A digit run is judged as a whole: a number inside a longer number (an order number, a
//! timestamp, an ID followed by more digits) is never a finding. Full-width digits `０`–`９` are
//! digits too; the finding's text is the input as written. A number that is part of an e-mail
//! address (`13905912345@139.com`) is reported once, as the e-mail.
//!
//! `line` and `column` are 1-based and `column` counts Unicode code points, so that the web
//! page and the CLI point at the same character whatever the encoding. Lines end at `\n`; a
//! `\r` before it belongs to no finding.
//!
//! The scan reads the text once, decoding only the characters that may start a finding, and
//! allocates only for what it reports: it runs on every save of every draft. It is fuzzed
//! (`fuzz/`) and never panics.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::error::vocabulary;

/// The keywords of a default scan: classification marks (SPEC C3). Each deployment may replace
/// or extend them in [`ScanConfig::keywords`].
pub const DEFAULT_KEYWORDS: [&str; 4] = ["绝密", "机密", "秘密", "内部"];

/// The earliest birth year of a plausible resident ID: anything earlier is another number.
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// What the scan looks for beyond the fixed number and e-mail rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanConfig {
    /// The keywords reported wherever they occur. SPEC C3 makes the list configurable: each
    /// deployment replaces or extends [`DEFAULT_KEYWORDS`], the default. Empty strings are
    /// ignored; matching is exact (no case folding).
    pub keywords: Vec<String>,
    /// The latest birth date a resident ID may carry; the caller passes today, since the domain
    /// reads no clock. `None` sets no upper bound.
    pub latest_birth_date: Option<Date>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            keywords: DEFAULT_KEYWORDS.iter().map(|&k| k.to_owned()).collect(),
            latest_birth_date: None,
        }
    }
}

impl ScanConfig {
    /// The default keywords, with `today` as the latest plausible birth date.
    pub fn as_of(today: Date) -> Self {
        Self {
            latest_birth_date: Some(today),
            ..Self::default()
        }
    }
}

vocabulary! {
    /// The kind of a scan finding (DOMAIN.md A8).
    pub enum FindingKind: "敏感信息类型" {
        /// 公民身份号码 (GB 11643-1999).
        IdCard = ("id_card", "身份证号"),
        /// Mainland mobile number.
        Mobile = ("mobile", "手机号"),
        /// Bank card number (passes Luhn).
        BankCard = ("bank_card", "银行卡号"),
        /// E-mail address.
        Email = ("email", "电子邮箱"),
        /// A configured keyword such as 秘密.
        Keyword = ("keyword", "敏感词"),
    }
}

/// One finding: its kind, the text as written, and where it starts.
///
/// As JSON (one line per finding in `gongkai scan`):
/// `{"kind":"mobile","text":"13905912345","line":3,"column":7}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// The text as it is written in the input.
    pub text: String,
    /// 1-based line number (lines end at `\n`).
    pub line: u32,
    /// 1-based column of the first character, in Unicode code points.
    pub column: u32,
}

/// Scans `text` and returns every finding, in text order.
pub fn scan(text: &str, config: &ScanConfig) -> Vec<Finding> {
    let mut scanner = Scanner {
        text,
        config,
        found: Vec::new(),
        email_end: 0,
    };
    let keywords: Vec<&[u8]> = config
        .keywords
        .iter()
        .map(|k| k.as_bytes())
        .filter(|k| !k.is_empty())
        .collect();
    // Where each keyword's last occurrence ends: occurrences of one keyword do not overlap.
    let mut keyword_ends = vec![0usize; keywords.len()];
    let bytes = text.as_bytes();
    let mut run: Option<Run> = None;
    let (mut line, mut column) = (1u32, 1u32);

    // Leading bytes of the characters worth decoding: digits (`０`–`９` start with 0xEF), `@`
    // and `\n`. Keywords are compared as bytes where their first byte appears. Any other
    // character, outside a digit run, only moves the column.
    let mut decode = [false; 256];
    for b in (b'0'..=b'9').chain([0xEF, b'@', b'\n']) {
        decode[usize::from(b)] = true;
    }
    let mut keyword_start = [false; 256];
    for b in keywords.iter().filter_map(|k| k.first()) {
        keyword_start[usize::from(*b)] = true;
    }

    let mut next = 0;
    while let Some(&lead) = bytes.get(next) {
        if run.is_none() && !decode[usize::from(lead)] {
            if keyword_start[usize::from(lead)] {
                scanner.keywords_at(next, &keywords, &mut keyword_ends, line, column);
            }
            column = column.saturating_add(1);
            next += utf8_width(lead);
            continue;
        }
        let Some(c) = text.get(next..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let at = next;
        next += c.len_utf8();
        if keyword_start[usize::from(lead)] {
            scanner.keywords_at(at, &keywords, &mut keyword_ends, line, column);
        }
        if let Some(value) = digit_value(c) {
            let run = run.get_or_insert(Run {
                start: at,
                line,
                column,
                len: 0,
                digits: [0; MAX_RUN],
            });
            if let Some(slot) = run.digits.get_mut(run.len) {
                *slot = value;
            }
            run.len = run.len.saturating_add(1);
        } else if let Some(run) = run.take() {
            scanner.judge_run(&run, at, c);
        }
        match c {
            '\n' => {
                line = line.saturating_add(1);
                column = 1;
                continue;
            }
            '@' => scanner.email_at(at, line, column),
            _ => {}
        }
        column = column.saturating_add(1);
    }
    if let Some(run) = run {
        scanner.judge_run(&run, text.len(), '\n');
    }

    let mut found = scanner.found;
    // Digit runs are reported when they end and e-mails at their `@`, so restore text order.
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, finding)| finding).collect()
}

/// The longest digit run that can be a finding (a 19-digit bank card).
const MAX_RUN: usize = 19;

/// ID weights of GB 11643-1999 (ISO 7064 MOD 11-2) for the first 17 digits.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder, "10X98765432", with X as 10.
const ID_CHECK: [u8; 11] = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];

/// A run of consecutive digits being read.
struct Run {
    start: usize,
    line: u32,
    column: u32,
    /// Number of digits, possibly more than `MAX_RUN`.
    len: usize,
    /// The first `MAX_RUN` digit values.
    digits: [u8; MAX_RUN],
}

struct Scanner<'a> {
    text: &'a str,
    config: &'a ScanConfig,
    /// Findings with the byte offset where each starts.
    found: Vec<(usize, Finding)>,
    /// End of the last e-mail found: digits before it belong to that address.
    email_end: usize,
}

impl Scanner<'_> {
    fn push(&mut self, start: usize, end: usize, kind: FindingKind, line: u32, column: u32) {
        if let Some(text) = self.text.get(start..end) {
            let finding = Finding {
                kind,
                text: text.to_owned(),
                line,
                column,
            };
            self.found.push((start, finding));
        }
    }

    /// Reports each keyword that starts at byte `at` and does not overlap its previous
    /// occurrence (`ends` holds where each one last ended).
    fn keywords_at(
        &mut self,
        at: usize,
        keywords: &[&[u8]],
        ends: &mut [usize],
        line: u32,
        column: u32,
    ) {
        let Some(rest) = self.text.as_bytes().get(at..) else {
            return;
        };
        for (keyword, end) in keywords.iter().zip(ends.iter_mut()) {
            // The first byte rules out most positions without a call to memcmp.
            if rest.first() == keyword.first() && at >= *end && rest.starts_with(keyword) {
                *end = at + keyword.len();
                self.push(at, *end, FindingKind::Keyword, line, column);
            }
        }
    }

    /// Judges the digit run that ends at byte `at`, where the character `next` stands.
    fn judge_run(&mut self, run: &Run, at: usize, next: char) {
        if run.start < self.email_end {
            return;
        }
        let digits = run.digits.get(..run.len.min(MAX_RUN)).unwrap_or_default();
        // 17 digits and an X make an 18-character ID, unless the X starts a word (`…XA1`).
        if run.len == 17 && matches!(next, 'X' | 'x' | 'Ｘ' | 'ｘ') {
            let after = at + next.len_utf8();
            let followed = self
                .text
                .get(after..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(is_letter_or_digit);
            if !followed {
                if is_resident_id(digits, 10, self.config.latest_birth_date) {
                    self.push(run.start, after, FindingKind::IdCard, run.line, run.column);
                }
                return;
            }
        }
        let kind = match run.len {
            11 if is_mobile(digits) && !self.after_country_code(run.start) => {
                Some(FindingKind::Mobile)
            }
            18 if is_resident_id(
                digits.get(..17).unwrap_or_default(),
                digits.get(17).copied().unwrap_or(u8::MAX),
                self.config.latest_birth_date,
            ) =>
            {
                Some(FindingKind::IdCard)
            }
            16..=MAX_RUN if passes_luhn(digits) => Some(FindingKind::BankCard),
            _ => None,
        };
        if let Some(kind) = kind {
            self.push(run.start, at, kind, run.line, run.column);
        }
    }

    /// Whether the number starting at byte `start` is written `+86 …`, `+86-…` or `+86…`.
    fn after_country_code(&self, start: usize) -> bool {
        let Some(before) = self.text.get(..start) else {
            return false;
        };
        let mut rev = before.chars().rev().peekable();
        if matches!(rev.peek(), Some(' ' | '-' | '\u{3000}' | '\u{a0}' | '－')) {
            rev.next();
        }
        matches!(rev.next(), Some('6' | '６'))
            && matches!(rev.next(), Some('8' | '８'))
            && matches!(rev.next(), Some('+' | '＋'))
    }

    /// Looks for an e-mail address around the `@` at byte `at`, in column `column`.
    fn email_at(&mut self, at: usize, line: u32, column: u32) {
        let bytes = self.text.as_bytes();
        // The local part: ASCII only, so bytes are characters and the column is a subtraction.
        let mut start = at;
        while start > self.email_end && bytes.get(start - 1).copied().is_some_and(is_local) {
            start -= 1;
        }
        while start < at && bytes.get(start) == Some(&b'.') {
            start += 1;
        }
        if start == at {
            return;
        }
        let Some(end) = domain_end(bytes, at + 1) else {
            return;
        };
        // Numbers inside the address were judged before its `@` was seen: drop them.
        let mut keep = self.found.len();
        while keep > 0 && self.found.get(keep - 1).is_some_and(|(s, _)| *s >= start) {
            keep -= 1;
        }
        if keep < self.found.len() {
            let tail = self.found.split_off(keep);
            self.found.extend(
                tail.into_iter()
                    .filter(|(_, f)| f.kind == FindingKind::Keyword),
            );
        }
        let local_chars = u32::try_from(at - start).unwrap_or(u32::MAX);
        let column = column.saturating_sub(local_chars).max(1);
        self.push(start, end, FindingKind::Email, line, column);
        self.email_end = end;
    }
}

/// The end of the domain starting at byte `from`: dot-separated labels of ASCII letters, digits
/// and hyphens, at least two, the last (the TLD) of 2 or more letters. Labels after the last
/// valid TLD (`a@b.cn.1`) are left out.
fn domain_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut labels = 0u32;
    let mut end = None;
    loop {
        let label_start = i;
        while bytes.get(i).copied().is_some_and(is_label) {
            i += 1;
        }
        let label = bytes.get(label_start..i).unwrap_or_default();
        if label.is_empty() {
            return end;
        }
        labels += 1;
        if labels >= 2 && label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic) {
            end = Some(i);
        }
        let dot_then_label =
            bytes.get(i) == Some(&b'.') && bytes.get(i + 1).copied().is_some_and(is_label);
        if !dot_then_label {
            return end;
        }
        i += 1;
    }
}

/// The length in bytes of the UTF-8 character that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_label(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// The value of an ASCII or full-width digit.
fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

/// ASCII and full-width letters and digits: what may continue a code after its X.
fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９')
}

/// 1, then 3–9, in 11 digits (the caller checks the length).
fn is_mobile(digits: &[u8]) -> bool {
    matches!(digits, [1, 3..=9, ..])
}

/// Whether `s` is an 18-character resident ID number (GB 11643): 17 digits, a check digit or
/// `X` that matches them, and a real birth date.
pub fn is_resident_id_number(s: &str) -> bool {
    let b = s.trim().as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let check = match b[17] {
        d @ b'0'..=b'9' => d - b'0',
        b'X' | b'x' => 10,
        _ => return false,
    };
    let first17: Vec<u8> = b[..17].iter().map(|d| d - b'0').collect();
    is_resident_id(&first17, check, None)
}

/// Whether 17 digits and a check value (10 for X) form a GB 11643 resident ID with a plausible
/// birth date.
fn is_resident_id(first17: &[u8], check: u8, latest_birth_date: Option<Date>) -> bool {
    if first17.len() != 17 {
        return false;
    }
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let expected = ID_CHECK.get((sum % 11) as usize).copied();
    if expected != Some(check) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| {
        first17
            .get(range)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d))
    };
    let (year, month, day) = (number(6..10), number(10..12), number(12..14));
    let Ok(year) = i32::try_from(year) else {
        return false;
    };
    let Some(birth) = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .zip(u8::try_from(day).ok())
        .and_then(|(m, d)| Date::from_calendar_date(year, m, d).ok())
    else {
        return false;
    };
    year >= EARLIEST_BIRTH_YEAR && latest_birth_date.is_none_or(|latest| birth <= latest)
}

/// The Luhn check (ISO/IEC 7812-1) that bank card numbers pass.
fn passes_luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The finding's text as a redacted copy shows it: a resident ID keeps its first 6 and last
/// 4 characters (the region and the check digit tell a reader nothing about the person), a
/// mobile its first 3 and last 4, a bank card its first 4 and last 4, an e-mail its first
/// character and its domain; a keyword is masked whole. Every masked character is `*`, so
/// the copy neither matches the scan again nor changes the length of a table cell.
pub fn mask(kind: FindingKind, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = |head: usize, tail: usize| -> String {
        let n = chars.len();
        if head + tail >= n {
            return "*".repeat(n);
        }
        let mut out: String = chars[..head].iter().collect();
        out.push_str(&"*".repeat(n - head - tail));
        out.extend(&chars[n - tail..]);
        out
    };
    match kind {
        FindingKind::IdCard => keep(6, 4),
        FindingKind::Mobile => keep(3, 4),
        FindingKind::BankCard => keep(4, 4),
        FindingKind::Email => match text.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "*".repeat(chars.len()),
        },
        FindingKind::Keyword => "*".repeat(chars.len()),
    }
}
