//! 索引号 (index number) patterns: how a disclosure record's index number is built.
//!
//! There is no national format (DOMAIN.md §5). gov.cn uses `000014349/2017-00110` (organization
//! code, year, 5-digit serial); local sites use the 统一社会信用代码 with year or year+month
//! (`11341702486344515H/202110-00013`), or rules such as 连云港's "索引号由地区及部门编号、类别号、
//! 年度号、流水号四个部分构成，每个部分之间用'-'隔开" (Fuzhou: `FZ00101-2708-2021-00025`). The
//! pattern is therefore configuration, made of literal text and these placeholders:
//!
//! | placeholder | value |
//! |---|---|
//! | `{org_code}` | the organization's code |
//! | `{category}` | the 4-digit 主题分类 code ([`crate::Topic::code`]) |
//! | `{year}` | the year of publication |
//! | `{month}`, `{month:02}` | the month of publication, optionally zero-padded |
//! | `{serial}`, `{serial:0N}` | the per-organization, per-year serial, zero-padded to N (1..=9) digits; a longer serial is printed in full |
//!
//! SPEC C2 requires index numbers to be unique and without gaps per organization and year, so
//! a pattern must contain `{org_code}`, `{year}` and `{serial}`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why an index number pattern is rejected. The messages are shown to administrators.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexPatternError {
    /// The pattern is empty.
    #[error("索引号格式为空：默认格式为 {{org_code}}-{{category}}-{{year}}-{{serial:05}}")]
    Empty,
    /// A placeholder name that is not one of the five.
    #[error(
        "索引号格式含有未知的占位符“{{{name}}}”：可用的占位符为 {{org_code}}、{{category}}、{{year}}、{{month}}、{{serial}}"
    )]
    UnknownPlaceholder {
        /// The name between the braces.
        name: String,
    },
    /// A `{` that is never closed.
    #[error("索引号格式第 {position} 个字符处的“{{”没有对应的“}}”")]
    UnclosedBrace {
        /// 1-based character position of the `{`.
        position: usize,
    },
    /// A `}` without a `{` before it.
    #[error("索引号格式第 {position} 个字符处的“}}”没有对应的“{{”")]
    UnopenedBrace {
        /// 1-based character position of the `}`.
        position: usize,
    },
    /// A required placeholder is missing.
    #[error("索引号格式缺少 {{{name}}}：{reason}")]
    MissingPlaceholder {
        /// The missing placeholder's name.
        name: &'static str,
        /// Why it is required, in Chinese.
        reason: &'static str,
    },
    /// A width that is not `0N` with N in 1..=9.
    #[error(
        "占位符 {{{name}}} 的宽度“{width}”无效：须写作 {{{name}:0N}}，N 为 1 到 9，如 {{serial:05}}"
    )]
    BadWidth {
        /// The placeholder's name.
        name: &'static str,
        /// The width text after the colon.
        width: String,
    },
    /// A width on a placeholder that takes none.
    #[error("占位符 {{{name}}} 不能指定宽度，只有 {{month}} 和 {{serial}} 可以")]
    WidthNotAllowed {
        /// The placeholder's name.
        name: &'static str,
    },
}

/// The values an index number is rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexContext<'a> {
    /// The organization's code ([`crate::OrgCode`]).
    pub org_code: &'a str,
    /// The 4-digit 主题分类 code ([`crate::Topic::code`]).
    pub category: &'a str,
    /// The year of publication.
    pub year: i32,
    /// The month of publication, 1..=12.
    pub month: u8,
    /// The serial within the organization and year, from 1.
    pub serial: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    OrgCode,
    Category,
    Year,
    Month { width: usize },
    Serial { width: usize },
}

/// A parsed 索引号 pattern such as `{org_code}/{year}-{serial:05}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndexPattern {
    text: String,
    segments: Vec<Segment>,
}

impl IndexPattern {
    /// The default pattern, after the Fuzhou seed `FZ00101-2708-2021-00025`
    /// (单位编码-类别码-年份-流水号).
    pub const DEFAULT: &'static str = "{org_code}-{category}-{year}-{serial:05}";

    /// Parses and checks a pattern.
    pub fn parse(s: &str) -> Result<Self, IndexPatternError> {
        if s.is_empty() {
            return Err(IndexPatternError::Empty);
        }
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut chars = s.chars().enumerate();
        while let Some((position, c)) = chars.next() {
            match c {
                '{' => {
                    let mut inner = String::new();
                    let mut closed = false;
                    for (_, c) in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        if c == '{' {
                            break;
                        }
                        inner.push(c);
                    }
                    if !closed {
                        return Err(IndexPatternError::UnclosedBrace {
                            position: position + 1,
                        });
                    }
                    if !literal.is_empty() {
                        segments.push(Segment::Literal(std::mem::take(&mut literal)));
                    }
                    segments.push(placeholder(&inner)?);
                }
                '}' => {
                    return Err(IndexPatternError::UnopenedBrace {
                        position: position + 1,
                    });
                }
                _ => literal.push(c),
            }
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        let has = |wanted: fn(&Segment) -> bool| segments.iter().any(wanted);
        if !has(|s| matches!(s, Segment::OrgCode)) {
            return Err(IndexPatternError::MissingPlaceholder {
                name: "org_code",
                reason: "没有机关代码，不同机关的索引号会重复",
            });
        }
        if !has(|s| matches!(s, Segment::Year)) {
            return Err(IndexPatternError::MissingPlaceholder {
                name: "year",
                reason: "流水号每年从 1 开始，没有年份的索引号会重复",
            });
        }
        if !has(|s| matches!(s, Segment::Serial { .. })) {
            return Err(IndexPatternError::MissingPlaceholder {
                name: "serial",
                reason: "没有流水号，同一机关同一年的索引号会重复",
            });
        }
        Ok(Self {
            text: s.to_owned(),
            segments,
        })
    }

    /// The index number for `ctx`.
    pub fn render(&self, ctx: &IndexContext<'_>) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::OrgCode => out.push_str(ctx.org_code),
                Segment::Category => out.push_str(ctx.category),
                Segment::Year => out.push_str(&ctx.year.to_string()),
                Segment::Month { width } => {
                    out.push_str(&format!("{:0width$}", ctx.month, width = *width));
                }
                Segment::Serial { width } => {
                    out.push_str(&format!("{:0width$}", ctx.serial, width = *width));
                }
            }
        }
        out
    }

    /// The pattern text as configured.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern uses `{category}`, i.e. needs the record's 主题分类.
    pub fn uses_category(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Category))
    }
}

/// One placeholder from the text between braces.
fn placeholder(inner: &str) -> Result<Segment, IndexPatternError> {
    let (name, width) = match inner.split_once(':') {
        Some((name, width)) => (name, Some(width)),
        None => (inner, None),
    };
    let (name, segment): (&'static str, fn(usize) -> Segment) = match name {
        "org_code" => ("org_code", |_| Segment::OrgCode),
        "category" => ("category", |_| Segment::Category),
        "year" => ("year", |_| Segment::Year),
        "month" => ("month", |width| Segment::Month { width }),
        "serial" => ("serial", |width| Segment::Serial { width }),
        _ => {
            return Err(IndexPatternError::UnknownPlaceholder {
                name: name.to_owned(),
            });
        }
    };
    let Some(width) = width else {
        return Ok(segment(0));
    };
    if !matches!(name, "month" | "serial") {
        return Err(IndexPatternError::WidthNotAllowed { name });
    }
    match width.as_bytes() {
        [b'0', n @ b'1'..=b'9'] => Ok(segment(usize::from(n - b'0'))),
        _ => Err(IndexPatternError::BadWidth {
            name,
            width: width.to_owned(),
        }),
    }
}

impl Default for IndexPattern {
    fn default() -> Self {
        // DEFAULT is a fixed, tested pattern; the segments are spelled out so that no parse
        // can fail here.
        Self {
            text: Self::DEFAULT.to_owned(),
            segments: vec![
                Segment::OrgCode,
                Segment::Literal("-".to_owned()),
                Segment::Category,
                Segment::Literal("-".to_owned()),
                Segment::Year,
                Segment::Literal("-".to_owned()),
                Segment::Serial { width: 5 },
            ],
        }
    }
}

impl fmt::Display for IndexPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for IndexPattern {
    type Err = IndexPatternError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for IndexPattern {
    type Error = IndexPatternError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<IndexPattern> for String {
    fn from(p: IndexPattern) -> Self {
        p.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_equals_the_parsed_default_text() {
        assert_eq!(
            IndexPattern::parse(IndexPattern::DEFAULT),
            Ok(IndexPattern::default())
        );
    }
}
