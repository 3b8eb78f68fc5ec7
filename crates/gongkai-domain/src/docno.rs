//! 发文字号 (document number) and 令号 (decree number): what counts as one, and its canonical
//! form.
//!
//! GB/T 9704-2012《党政机关公文格式》§7.2 (DOMAIN.md §5): the 发文字号 is made of the issuing
//! agency's code (机关代字), the year and the serial number; "年份、发文顺序号用阿拉伯数字标注；
//! 年份应标全称，用六角括号“〔〕”括入；发文顺序号不加“第”字，不编虚位（即1不编为01），在阿拉伯
//! 数字后加“号”字". The canonical form is therefore `鼓政办〔2020〕60号`.
//!
//! Older systems and hand-typed pages write the same number in many ways (SPEC C2). Parsing
//! accepts, and the canonical form removes:
//! - any of the brackets `〔〕 [] () （） ﹝﹞ ［］ 【】 〖〗 ｛｝ {} 〘〙` around the year. Mixed pairs
//!   such as `(2021〕` are accepted too: they come from retyping and OCR, and the year between
//!   them is unambiguous. Only one pair may appear;
//! - full-width digits `０`–`９` anywhere (made half-width);
//! - whitespace anywhere: ASCII spaces, tabs, ideographic spaces (U+3000), no-break spaces, and the
//!   invisible zero-width space and byte-order mark that copy-paste leaves behind;
//! - `第` before the serial number and leading zeros in it (`〔2021〕第003号` → `〔2021〕3号`).
//!
//! The year must be 4 digits between 1949 and 2100: a 2-digit year is ambiguous and is never
//! guessed. The 机关代字 starts with a Chinese character and may contain letters and digits
//! (`闽政办函`, `柳政公开组字`, `国办发明电`); punctuation is rejected.
//!
//! 令号 (decree numbers of 国务院令, 主席令 and ministries' 部令) have a second form,
//! `<机关>令第<序号>号` (`国务院令第711号`, `中华人民共和国主席令第七十三号`). DOMAIN.md §5:
//! normalizing one removes whitespace and makes digits half-width, nothing else; Chinese
//! numerals are kept as written. A lookup matches with or without the leading `中华人民共和国`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The earliest year accepted in a 发文字号 (the founding of the PRC).
pub const MIN_YEAR: u16 = 1949;
/// The latest year accepted in a 发文字号; anything later is a typo.
pub const MAX_YEAR: u16 = 2100;
/// The longest 机关代字 accepted, in characters. Real ones have 2 to 8; a longer "agency" is a
/// title or a sentence, not a code.
pub const MAX_AGENCY_CHARS: usize = 20;
/// The longest 令号 issuer accepted, in characters (joint decrees list several agencies:
/// `监察部、人事部、中国人民银行、海关总署、国家外汇管理局令第7号`).
pub const MAX_ISSUER_CHARS: usize = 80;

/// Opening brackets accepted around the year; the canonical one is 〔 (U+3014).
const OPEN_BRACKETS: &[char] = &[
    '〔', '[', '(', '（', '﹝', '［', '【', '〖', '｛', '{', '〘',
];
/// Closing brackets accepted around the year; the canonical one is 〕 (U+3015).
const CLOSE_BRACKETS: &[char] = &[
    '〕', ']', ')', '）', '﹞', '］', '】', '〗', '｝', '}', '〙',
];

/// Chinese numerals that may form a 令号 serial (`主席令第七十三号`).
const CHINESE_NUMERALS: &[char] = &[
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '两',
];

/// The prefix a 令号 lookup ignores.
const STATE_NAME: &str = "中华人民共和国";

/// Why a text is not a 发文字号 or 令号. The messages are shown to users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocNumberError {
    /// Nothing but whitespace.
    #[error("发文字号为空")]
    Empty,
    /// A character that never appears in a 发文字号, e.g. a comma or a hyphen.
    #[error(
        "发文字号含有不应出现的字符“{ch}”：须写作 机关代字〔年份〕序号号，如 国办发〔2021〕12号"
    )]
    InvalidCharacter {
        /// The first offending character.
        ch: char,
    },
    /// No year at all (and no brackets).
    #[error("发文字号缺少年份：须写作 机关代字〔年份〕序号号")]
    MissingYear,
    /// Digits but no brackets, e.g. `鼓政办2021年12号`.
    #[error("发文字号缺少括住年份的六角括号：须写作 机关代字〔年份〕序号号，如 鼓政办〔2021〕12号")]
    MissingBrackets,
    /// An opening bracket that is never closed.
    #[error("发文字号的年份括号没有闭合：“〔”后缺少“〕”")]
    UnclosedBracket,
    /// A closing bracket without an opening one before it.
    #[error("发文字号的年份括号不成对：“〕”前缺少“〔”")]
    UnopenedBracket,
    /// More than one pair of brackets.
    #[error("发文字号只能有一对年份括号")]
    ExtraBrackets,
    /// Nothing before the year.
    #[error("发文字号缺少机关代字：年份括号前须写发文机关代字，如 国办发〔2021〕12号")]
    MissingAgency,
    /// The agency code does not start with a Chinese character.
    #[error("机关代字“{agency}”须以汉字开头")]
    AgencyNotChinese {
        /// The agency code as found.
        agency: String,
    },
    /// The agency code is longer than [`MAX_AGENCY_CHARS`].
    #[error("机关代字“{agency}”过长：最多 20 个字，这更像标题而不是发文字号")]
    AgencyTooLong {
        /// The agency code as found.
        agency: String,
    },
    /// Brackets with nothing between them.
    #[error("发文字号的年份括号内没有年份")]
    EmptyYear,
    /// A year that is not exactly 4 Arabic digits, e.g. `〔21〕`.
    #[error("发文字号的年份“{found}”须为 4 位阿拉伯数字的全称，如〔2021〕")]
    YearNotFourDigits {
        /// The text between the brackets.
        found: String,
    },
    /// A 4-digit year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    #[error("发文字号的年份 {year} 不合理：须在 1949 至 2100 之间")]
    YearOutOfRange {
        /// The year as written.
        year: u16,
    },
    /// Nothing between the year and 号.
    #[error("发文字号缺少序号：年份括号后须写序号，如〔2021〕12号")]
    MissingSerial,
    /// A serial that is not Arabic digits.
    #[error("发文字号的序号“{found}”须为阿拉伯数字")]
    SerialNotDigits {
        /// The serial as found.
        found: String,
    },
    /// A serial of 0 (or only zeros).
    #[error("序号不能为 0")]
    SerialZero,
    /// A serial too large to be real (more than 4294967295).
    #[error("发文字号的序号“{found}”过大")]
    SerialTooLarge {
        /// The serial as found.
        found: String,
    },
    /// No 号 after the serial.
    #[error("发文字号缺少末尾的“号”字：须写作 机关代字〔年份〕序号号")]
    MissingHao,
    /// Text after the final 号, e.g. `…12号附件`.
    #[error("“号”字后有多余的文字“{text}”")]
    TrailingText {
        /// The text after 号.
        text: String,
    },
    /// Not in the 令号 form at all.
    #[error("令号须写作 机关令第序号号，如 国务院令第711号")]
    NotADecree,
    /// `令` without `第`, e.g. `国务院令711号`.
    #[error("令号缺少“第”字：须写作 机关令第序号号，如 国务院令第711号")]
    DecreeMissingDi,
    /// Nothing before `令第`.
    #[error("令号缺少发布机关：须写作 机关令第序号号，如 国务院令第711号")]
    DecreeMissingIssuer,
    /// An issuer with stray separators or too long.
    #[error("令号的发布机关“{issuer}”不合规：须为机关名称，多个机关用“、”隔开")]
    DecreeBadIssuer {
        /// The issuer as found.
        issuer: String,
    },
    /// Nothing between `令第` and 号.
    #[error("令号缺少序号：须写作 机关令第序号号，如 国务院令第711号")]
    DecreeMissingSerial,
    /// A serial mixing digits and other characters.
    #[error("令号的序号“{found}”须全用阿拉伯数字或全用汉字数字")]
    DecreeBadSerial {
        /// The serial as found.
        found: String,
    },
    /// No 号 after the serial of a 令号.
    #[error("令号缺少末尾的“号”字：须写作 机关令第序号号")]
    DecreeMissingHao,
}

/// 发文字号 (document number) in GB/T 9704 form, e.g. `鼓政办〔2020〕60号`.
///
/// Built only by [`DocNumber::parse`] or [`DocNumber::new`]; `Display` is always the canonical
/// form, and `DocNumber::parse(&d.to_string()) == Ok(d)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocNumber {
    agency: String,
    year: u16,
    serial: u32,
}

impl DocNumber {
    /// Parses a 发文字号 written in any of the variants listed in the module documentation.
    pub fn parse(raw: &str) -> Result<Self, DocNumberError> {
        parse_standard(&clean(raw))
    }

    /// A 发文字号 from its parts, checked like a parsed one (whitespace and full-width digits in
    /// `agency` are normalized).
    pub fn new(agency: &str, year: u16, serial: u32) -> Result<Self, DocNumberError> {
        let agency = clean(agency);
        check_agency(&agency)?;
        check_year_range(year)?;
        if serial == 0 {
            return Err(DocNumberError::SerialZero);
        }
        Ok(Self {
            agency,
            year,
            serial,
        })
    }

    /// The 机关代字, e.g. `鼓政办`.
    pub fn agency(&self) -> &str {
        &self.agency
    }

    /// The year, e.g. 2020.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The serial number, e.g. 60.
    pub fn serial(&self) -> u32 {
        self.serial
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.agency, self.year, self.serial)
    }
}

impl FromStr for DocNumber {
    type Err = DocNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DocNumber {
    type Error = DocNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<DocNumber> for String {
    fn from(d: DocNumber) -> Self {
        d.to_string()
    }
}

/// 令号 (decree number), e.g. `国务院令第711号`, `中华人民共和国主席令第七十三号`.
///
/// The issuer and serial are kept as written, minus whitespace and with half-width digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DecreeNumber {
    issuer: String,
    serial: String,
}

impl DecreeNumber {
    /// Parses a 令号 of the form `<机关>令第<序号>号`.
    pub fn parse(raw: &str) -> Result<Self, DocNumberError> {
        parse_decree(&clean(raw))
    }

    /// The issuing organ as written, e.g. `中华人民共和国国务院`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The serial as written: Arabic digits (`711`) or Chinese numerals (`七十三`).
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The form used to match one decree written two ways: without a leading
    /// `中华人民共和国`, and with gov.cn's abbreviation `国令` read as `国务院令` (DOMAIN §5 lists
    /// 国令 among gov.cn's 公文种类 tags; `（国令第711号）` is how 条例 cites itself).
    pub fn lookup_key(&self) -> String {
        let issuer = self
            .issuer
            .strip_prefix(STATE_NAME)
            .filter(|rest| !rest.is_empty())
            .unwrap_or(&self.issuer);
        let issuer = if issuer == "国" { "国务院" } else { issuer };
        format!("{issuer}令第{}号", self.serial)
    }
}

impl fmt::Display for DecreeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}令第{}号", self.issuer, self.serial)
    }
}

impl FromStr for DecreeNumber {
    type Err = DocNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DecreeNumber {
    type Error = DocNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<DecreeNumber> for String {
    fn from(d: DecreeNumber) -> Self {
        d.to_string()
    }
}

/// A recognized document number: a 发文字号 or a 令号.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DocNo {
    /// 发文字号, e.g. `国办发〔2021〕12号`.
    Standard(DocNumber),
    /// 令号, e.g. `国务院令第711号`.
    Decree(DecreeNumber),
}

impl DocNo {
    /// Same as [`normalize`].
    pub fn parse(raw: &str) -> Result<Self, DocNumberError> {
        normalize(raw)
    }

    /// The form used for exact lookup: the canonical 发文字号, or [`DecreeNumber::lookup_key`].
    pub fn lookup_key(&self) -> String {
        match self {
            DocNo::Standard(d) => d.to_string(),
            DocNo::Decree(d) => d.lookup_key(),
        }
    }
}

impl fmt::Display for DocNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocNo::Standard(d) => d.fmt(f),
            DocNo::Decree(d) => d.fmt(f),
        }
    }
}

impl FromStr for DocNo {
    type Err = DocNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        normalize(s)
    }
}

impl TryFrom<String> for DocNo {
    type Error = DocNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        normalize(&s)
    }
}

impl From<DocNo> for String {
    fn from(d: DocNo) -> Self {
        d.to_string()
    }
}

/// Recognizes a document number: first as a 发文字号, then as a 令号.
///
/// What `gongkai docno normalize TEXT` prints is the `Display` of the result. When neither form
/// fits, the error is the one of the form the text looks like: the 令号 error when it contains
/// `令第`, or `令` and ends with `号`; otherwise the 发文字号 error.
pub fn normalize(raw: &str) -> Result<DocNo, DocNumberError> {
    let text = clean(raw);
    match parse_standard(&text) {
        Ok(d) => Ok(DocNo::Standard(d)),
        Err(standard_error) => match parse_decree(&text) {
            Ok(d) => Ok(DocNo::Decree(d)),
            Err(decree_error) => {
                let looks_like_decree =
                    text.contains("令第") || (text.contains('令') && text.ends_with('号'));
                let has_brackets = text.contains(is_bracket);
                Err(if looks_like_decree && !has_brackets {
                    decree_error
                } else {
                    standard_error
                })
            }
        },
    }
}

/// Reads a number as people type it into a search box: as [`normalize`] does, and also
/// without the closing 号 (`国办发〔2018〕128`), with the year as `2018年`
/// (`国办发2018年128号`) or, for a 令号, without 第 (`国务院令721号`, `国令721号`). Imports keep to [`normalize`]; a search may be lenient, since a wrong guess
/// only finds nothing.
pub fn lenient(raw: &str) -> Option<DocNo> {
    if let Ok(n) = normalize(raw) {
        return Some(n);
    }
    let mut text = clean(raw);
    if text.ends_with(|c: char| c.is_ascii_digit() || CHINESE_NUMERALS.contains(&c)) {
        text.push('号');
    }
    if let Ok(n) = normalize(&text) {
        return Some(n);
    }
    // `榕政办2021年53号`: every part is there, in another shape.
    if let Some(PartialDocNumber {
        agency: Some(agency),
        year: Some(year),
        serial,
    }) = partial(&text)
    {
        return normalize(&format!("{agency}〔{year}〕{serial}号")).ok();
    }
    let (issuer, serial) = text.rsplit_once('令')?;
    let starts_serial = |c: char| c.is_ascii_digit() || CHINESE_NUMERALS.contains(&c);
    if issuer.is_empty() || !serial.starts_with(starts_serial) {
        return None;
    }
    normalize(&format!("{issuer}令第{serial}")).ok()
}

/// A 发文字号 given in part, as people type what they remember: the serial with the
/// 机关代字, the year, or both but not in the canonical shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialDocNumber {
    /// 机关代字 (`榕政办`), when given.
    pub agency: Option<String>,
    /// Year, when given.
    pub year: Option<u16>,
    /// 发文顺序号.
    pub serial: u32,
}

/// Reads a partial 发文字号: `榕政办53号`, `榕政办第53号`, `2021年53号`, `〔2021〕53号`,
/// `[2021]第053号`, `榕政办2021年53号`. The text must end in `号` after the serial and name
/// the agency or the year; `53号` alone, a 令号 and ordinary words are `None`. A full,
/// canonical-shaped number is read by [`normalize`], not here.
pub fn partial(raw: &str) -> Option<PartialDocNumber> {
    let text = clean(raw);
    let body = text.strip_suffix('号')?;
    let digits_at = body
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let serial: u32 = body[digits_at..].parse().ok().filter(|&n| n > 0)?;
    let rest = &body[..digits_at];
    let rest = rest.strip_suffix('第').unwrap_or(rest);
    if rest.ends_with('令') {
        return None;
    }
    let (agency, year) = if let Some(before) = rest.strip_suffix('年') {
        let year_at = before.len().checked_sub(4)?;
        let year = before.get(year_at..)?;
        (&before[..year_at], Some(year))
    } else if rest.ends_with(|c: char| CLOSE_BRACKETS.contains(&c)) {
        let open = rest.rfind(|c: char| OPEN_BRACKETS.contains(&c))?;
        let open_len = rest[open..].chars().next()?.len_utf8();
        let close_len = rest.chars().next_back()?.len_utf8();
        let year = rest.get(open + open_len..rest.len() - close_len)?;
        (&rest[..open], Some(year))
    } else {
        (rest, None)
    };
    let year = match year {
        Some(y) if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
            let y: u16 = y.parse().ok()?;
            check_year_range(y).ok()?;
            Some(y)
        }
        Some(_) => return None,
        None => None,
    };
    let agency = if agency.is_empty() {
        None
    } else {
        check_agency(agency).ok()?;
        Some(agency.to_owned())
    };
    if agency.is_none() && year.is_none() {
        return None;
    }
    Some(PartialDocNumber {
        agency,
        year,
        serial,
    })
}

/// Removes whitespace (including U+3000 and NBSP, which `char::is_whitespace` covers) and the
/// invisible U+200B / U+FEFF, and makes full-width digits half-width.
fn clean(raw: &str) -> String {
    raw.chars()
        .filter(|&c| !c.is_whitespace() && c != '\u{200B}' && c != '\u{FEFF}')
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// CJK unified ideographs (with extensions A to F and compatibility ideographs) and 〇.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '〇')
}

/// Letters and digits allowed inside a 机关代字, half- or full-width.
fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

fn is_bracket(c: char) -> bool {
    OPEN_BRACKETS.contains(&c) || CLOSE_BRACKETS.contains(&c)
}

fn parse_standard(text: &str) -> Result<DocNumber, DocNumberError> {
    if text.is_empty() {
        return Err(DocNumberError::Empty);
    }
    if let Some(ch) = text
        .chars()
        .find(|&c| !(is_cjk(c) || is_letter_or_digit(c) || is_bracket(c)))
    {
        return Err(DocNumberError::InvalidCharacter { ch });
    }
    let open = text.char_indices().find(|(_, c)| OPEN_BRACKETS.contains(c));
    let close = text
        .char_indices()
        .find(|(_, c)| CLOSE_BRACKETS.contains(c));
    let (open_start, open_end, close_start, close_end) = match (open, close) {
        (None, None) => {
            return Err(if text.contains(|c: char| c.is_ascii_digit()) {
                DocNumberError::MissingBrackets
            } else {
                DocNumberError::MissingYear
            });
        }
        (Some(_), None) => return Err(DocNumberError::UnclosedBracket),
        (None, Some(_)) => return Err(DocNumberError::UnopenedBracket),
        (Some((o, _)), Some((c, _))) if c < o => return Err(DocNumberError::UnopenedBracket),
        (Some((o, oc)), Some((c, cc))) => (o, o + oc.len_utf8(), c, c + cc.len_utf8()),
    };
    let agency = &text[..open_start];
    let year_text = &text[open_end..close_start];
    let rest = &text[close_end..];
    if year_text.contains(is_bracket) || rest.contains(is_bracket) {
        return Err(DocNumberError::ExtraBrackets);
    }
    check_agency(agency)?;
    let year = parse_year(year_text)?;
    let serial = parse_serial(rest)?;
    Ok(DocNumber {
        agency: agency.to_owned(),
        year,
        serial,
    })
}

fn check_agency(agency: &str) -> Result<(), DocNumberError> {
    let Some(first) = agency.chars().next() else {
        return Err(DocNumberError::MissingAgency);
    };
    if let Some(ch) = agency
        .chars()
        .find(|&c| !(is_cjk(c) || is_letter_or_digit(c)))
    {
        return Err(DocNumberError::InvalidCharacter { ch });
    }
    if !is_cjk(first) {
        return Err(DocNumberError::AgencyNotChinese {
            agency: agency.to_owned(),
        });
    }
    if agency.chars().count() > MAX_AGENCY_CHARS {
        return Err(DocNumberError::AgencyTooLong {
            agency: agency.to_owned(),
        });
    }
    Ok(())
}

fn parse_year(text: &str) -> Result<u16, DocNumberError> {
    if text.is_empty() {
        return Err(DocNumberError::EmptyYear);
    }
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DocNumberError::YearNotFourDigits {
            found: text.to_owned(),
        });
    }
    let year = text
        .parse::<u16>()
        .map_err(|_| DocNumberError::YearNotFourDigits {
            found: text.to_owned(),
        })?;
    check_year_range(year)?;
    Ok(year)
}

fn check_year_range(year: u16) -> Result<(), DocNumberError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(DocNumberError::YearOutOfRange { year })
    }
}

/// Parses what follows the closing bracket: `[第]<digits>号`.
fn parse_serial(rest: &str) -> Result<u32, DocNumberError> {
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    let (digits, after_hao) = match rest.split_once('号') {
        Some((digits, after)) => (digits, Some(after)),
        None => (rest, None),
    };
    if digits.is_empty() {
        return Err(DocNumberError::MissingSerial);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DocNumberError::SerialNotDigits {
            found: digits.to_owned(),
        });
    }
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Err(DocNumberError::SerialZero);
    }
    let serial = significant
        .parse::<u32>()
        .map_err(|_| DocNumberError::SerialTooLarge {
            found: digits.to_owned(),
        })?;
    match after_hao {
        None => Err(DocNumberError::MissingHao),
        Some("") => Ok(serial),
        Some(text) => Err(DocNumberError::TrailingText {
            text: text.to_owned(),
        }),
    }
}

fn parse_decree(text: &str) -> Result<DecreeNumber, DocNumberError> {
    if text.is_empty() {
        return Err(DocNumberError::Empty);
    }
    let Some((issuer, rest)) = text.split_once("令第") else {
        return Err(if text.contains('令') {
            DocNumberError::DecreeMissingDi
        } else {
            DocNumberError::NotADecree
        });
    };
    check_issuer(issuer)?;
    let (serial, after_hao) = match rest.split_once('号') {
        Some((serial, after)) => (serial, Some(after)),
        None => (rest, None),
    };
    if serial.is_empty() {
        return Err(DocNumberError::DecreeMissingSerial);
    }
    let all_digits = serial.bytes().all(|b| b.is_ascii_digit());
    let all_numerals = serial.chars().all(|c| CHINESE_NUMERALS.contains(&c));
    if !all_digits && !all_numerals {
        return Err(DocNumberError::DecreeBadSerial {
            found: serial.to_owned(),
        });
    }
    if all_digits && serial.bytes().all(|b| b == b'0') {
        return Err(DocNumberError::SerialZero);
    }
    match after_hao {
        None => Err(DocNumberError::DecreeMissingHao),
        Some("") => Ok(DecreeNumber {
            issuer: issuer.to_owned(),
            serial: serial.to_owned(),
        }),
        Some(text) => Err(DocNumberError::TrailingText {
            text: text.to_owned(),
        }),
    }
}

fn check_issuer(issuer: &str) -> Result<(), DocNumberError> {
    if issuer.is_empty() {
        return Err(DocNumberError::DecreeMissingIssuer);
    }
    if let Some(ch) = issuer.chars().find(|&c| !(is_cjk(c) || c == '、')) {
        return Err(DocNumberError::InvalidCharacter { ch });
    }
    let bad = issuer.starts_with('、')
        || issuer.ends_with('、')
        || issuer.contains("、、")
        || issuer.chars().count() > MAX_ISSUER_CHARS;
    if bad {
        return Err(DocNumberError::DecreeBadIssuer {
            issuer: issuer.to_owned(),
        });
    }
    Ok(())
}
