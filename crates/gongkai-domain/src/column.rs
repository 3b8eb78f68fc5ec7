//! 政府信息公开专栏 (the disclosure column): its unified first level and the path of a record's
//! column.
//!
//! 条例 Art. 24 makes the government website the first 政府信息公开平台; 国办公开办函〔2019〕61号
//! 《关于规范政府信息公开平台有关事项的通知》 asks for a uniform column, "专栏姓专", centred on
//! 法定主动公开内容 (DOMAIN.md §5). gov.cn and local sites use the first-level names
//! 政府信息公开指南, 政府信息公开制度, 法定主动公开内容 and 政府信息公开年报 (here called by its full
//! name 政府信息公开年度报告, the short name accepted as an alias); 依申请公开 is the fifth entry.
//! Whether 61号 mandates exactly these is unverified [U]; SPEC treats them as the only first
//! levels an import may use. Second levels are free (an organization adds its own); the
//! default ones under 法定主动公开内容 follow the items of 条例 Art. 20.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The five first-level columns every organization's disclosure column has, in display order.
pub const UNIFIED_COLUMNS: [&str; 5] = [
    "政府信息公开指南",
    "政府信息公开制度",
    "法定主动公开内容",
    "政府信息公开年度报告",
    "依申请公开",
];

/// The first-level column that holds the Art. 20 items.
pub const STATUTORY_CONTENT: &str = "法定主动公开内容";

/// Default second-level columns under 法定主动公开内容, after the items of 条例 Art. 20.
pub const DEFAULT_SUBCOLUMNS: &[&str] = &[
    "政策文件",
    "机构职能",
    "规划信息",
    "统计信息",
    "行政许可",
    "行政处罚和行政强制",
    "财政预决算",
    "行政事业性收费",
    "政府采购",
    "重大建设项目",
    "社会保障和民生",
    "应急管理",
    "监督检查",
    "人事信息",
    "其他法定公开内容",
];

/// The longest second-level column name accepted, in characters.
pub const MAX_SECOND_CHARS: usize = 40;

/// Other names of unified columns, as (alias, unified name). gov.cn's navigation says
/// 政府信息公开年报.
const ALIASES: [(&str, &str); 1] = [("政府信息公开年报", "政府信息公开年度报告")];

/// Separators accepted between the levels: `/` and the full-width `／`.
const SEPARATORS: [char; 2] = ['/', '／'];

/// Why a text is not a column path. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnError {
    /// Nothing given.
    #[error("栏目为空：须写作 一级栏目/二级栏目，如 法定主动公开内容/政策文件")]
    Empty,
    /// A first level that is not a unified column.
    #[error(
        "一级栏目“{name}”不是统一的政府信息公开专栏栏目：须为 政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年度报告（或 政府信息公开年报）、依申请公开 之一"
    )]
    UnknownFirst {
        /// The first level as given.
        name: String,
    },
    /// `一级/` with nothing after the separator.
    #[error("“{first}”后的二级栏目为空")]
    EmptySecond {
        /// The first level.
        first: String,
    },
    /// A second level longer than [`MAX_SECOND_CHARS`].
    #[error("二级栏目“{name}”过长：最多 40 个字")]
    SecondTooLong {
        /// The second level as given.
        name: String,
    },
    /// A second level with control characters.
    #[error("二级栏目名称含有控制字符")]
    ControlCharacter,
    /// More than two levels.
    #[error("栏目最多两级：须写作 一级栏目/二级栏目，二级栏目名称中不能有“/”")]
    TooDeep,
}

/// The unified column name for `name` (a unified name or an alias), if it is one.
pub fn unified_column(name: &str) -> Option<&'static str> {
    let name = name.trim();
    UNIFIED_COLUMNS
        .iter()
        .copied()
        .find(|c| *c == name)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| *alias == name)
                .map(|(_, c)| *c)
        })
}

/// A column path: a unified first-level column and an optional second level, e.g.
/// `法定主动公开内容/政策文件`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ColumnPath {
    first: String,
    second: Option<String>,
}

impl ColumnPath {
    /// Parses `一级` or `一级/二级`; spaces around each level are ignored.
    pub fn parse(s: &str) -> Result<Self, ColumnError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ColumnError::Empty);
        }
        let mut parts = s.split(SEPARATORS).map(str::trim);
        let first_name = parts.next().unwrap_or_default();
        let second_name = parts.next();
        if parts.next().is_some() {
            return Err(ColumnError::TooDeep);
        }
        let Some(first) = unified_column(first_name) else {
            return Err(ColumnError::UnknownFirst {
                name: first_name.to_owned(),
            });
        };
        let second = match second_name {
            None => None,
            Some(name) => Some(check_second(first, name)?),
        };
        Ok(Self {
            first: first.to_owned(),
            second,
        })
    }

    /// A path from a first level (unified name or alias) and an optional second level, checked
    /// like a parsed one.
    pub fn new(first: &str, second: Option<&str>) -> Result<Self, ColumnError> {
        let Some(unified) = unified_column(first) else {
            return Err(ColumnError::UnknownFirst {
                name: first.trim().to_owned(),
            });
        };
        let second = match second {
            None => None,
            Some(name) => {
                if name.contains(SEPARATORS) {
                    return Err(ColumnError::TooDeep);
                }
                Some(check_second(unified, name.trim())?)
            }
        };
        Ok(Self {
            first: unified.to_owned(),
            second,
        })
    }

    /// The unified first-level column, e.g. `法定主动公开内容`.
    pub fn first(&self) -> &str {
        &self.first
    }

    /// The second-level column, e.g. `政策文件`.
    pub fn second(&self) -> Option<&str> {
        self.second.as_deref()
    }
}

fn check_second(first: &str, name: &str) -> Result<String, ColumnError> {
    if name.is_empty() {
        return Err(ColumnError::EmptySecond {
            first: first.to_owned(),
        });
    }
    if name.chars().any(char::is_control) {
        return Err(ColumnError::ControlCharacter);
    }
    if name.chars().count() > MAX_SECOND_CHARS {
        return Err(ColumnError::SecondTooLong {
            name: name.to_owned(),
        });
    }
    Ok(name.to_owned())
}

impl fmt::Display for ColumnPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.second {
            Some(second) => write!(f, "{}/{second}", self.first),
            None => f.write_str(&self.first),
        }
    }
}

impl FromStr for ColumnPath {
    type Err = ColumnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ColumnPath {
    type Error = ColumnError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ColumnPath> for String {
    fn from(c: ColumnPath) -> Self {
        c.to_string()
    }
}
