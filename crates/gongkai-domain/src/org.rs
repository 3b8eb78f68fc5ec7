//! Organizations and the roles people hold in them.
//!
//! The roles are the three signatures of 先审查后公开 (条例 Art. 17: 行政机关应当建立健全政府信息
//! 公开审查机制; "谁提供、谁审核、谁负责"): a clerk drafts (经办), a reviewer checks (审核), an
//! approver signs off (签发); plus the disclosure office (政务公开办) that supervises the units
//! below it and the platform administrator (SPEC "Who uses it"). The organization code appears in
//! every 索引号 and URL (`/org/{code}/`), so it is restricted to characters safe in both.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::vocabulary;

/// The longest organization code accepted.
pub const MAX_ORG_CODE_CHARS: usize = 32;

/// Why a text is not an organization code. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgCodeError {
    /// Nothing given.
    #[error("机关代码为空")]
    Empty,
    /// Longer than [`MAX_ORG_CODE_CHARS`].
    #[error("机关代码“{code}”过长：最多 32 个字符")]
    TooLong {
        /// The code as given.
        code: String,
    },
    /// A character other than ASCII letters, digits, `_` and `-`.
    #[error("机关代码“{code}”含有字符“{ch}”：只能用英文字母、数字、“_”和“-”")]
    InvalidCharacter {
        /// The code as given.
        code: String,
        /// The first offending character.
        ch: char,
    },
    /// Starts with `_` or `-`.
    #[error("机关代码“{code}”须以英文字母或数字开头")]
    BadStart {
        /// The code as given.
        code: String,
    },
}

/// An organization's stable code, e.g. `GWYBGT` or `FZ00101`: 1 to 32 ASCII letters, digits, `_`
/// or `-`, starting with a letter or digit. Case is kept and significant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

impl OrgCode {
    /// Checks a code exactly as given (no trimming).
    pub fn parse(s: &str) -> Result<Self, OrgCodeError> {
        let Some(first) = s.chars().next() else {
            return Err(OrgCodeError::Empty);
        };
        if let Some(ch) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        {
            return Err(OrgCodeError::InvalidCharacter {
                code: s.to_owned(),
                ch,
            });
        }
        if s.len() > MAX_ORG_CODE_CHARS {
            return Err(OrgCodeError::TooLong { code: s.to_owned() });
        }
        if !first.is_ascii_alphanumeric() {
            return Err(OrgCodeError::BadStart { code: s.to_owned() });
        }
        Ok(Self(s.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for OrgCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for OrgCode {
    type Err = OrgCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for OrgCode {
    type Error = OrgCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgCode> for String {
    fn from(c: OrgCode) -> Self {
        c.0
    }
}

vocabulary! {
    /// A role a person holds in one organization (SPEC "Who uses it").
    pub enum Role: "角色" {
        /// 经办人: drafts documents and handles requests of their unit.
        Clerk = ("clerk", "经办人"),
        /// 审核人 (分管领导): checks drafts and replies (confidentiality, disclosure attribute).
        Reviewer = ("reviewer", "审核人"),
        /// 签发人 (主要领导): signs off publication and replies.
        Approver = ("approver", "签发人"),
        /// 政务公开办: catalog, ledger, annual report, supervision of the units below.
        Office = ("office", "政务公开办"),
        /// 平台管理员: organizations, users, columns, calendar, settings.
        Admin = ("admin", "平台管理员"),
    }
}

vocabulary! {
    /// The kind of an organization in the tree 市 → 区县 → 部门/街镇 → 社区 (SPEC C1).
    pub enum OrgKind: "机关类型" {
        /// 人民政府 (a city, district or county government).
        Government = ("government", "人民政府"),
        /// 办公室/办公厅 of a government, usually home of the 政务公开办.
        Office = ("office", "办公室/办公厅", "办公室", "办公厅"),
        /// 部门 (a government department).
        Department = ("department", "部门"),
        /// 街道 (街道办事处).
        Subdistrict = ("subdistrict", "街道", "街道办事处"),
        /// 乡镇 (乡镇人民政府).
        Town = ("town", "乡镇"),
        /// 社区 (居民委员会 or 村民委员会).
        Community = ("community", "社区"),
        /// 其他.
        Other = ("other", "其他"),
    }
}
