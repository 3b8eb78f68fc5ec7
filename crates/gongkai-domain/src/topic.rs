//! 主题分类 (subject classification): the 22-class taxonomy of the gov.cn 国务院政策文件库 with
//! its second level (DOMAIN.md §5, [V S11]), shown on every document page as `一级\二级`, e.g.
//! `综合政务\政务公开`.
//!
//! The taxonomy is data (`data/topics.txt`, compiled in): local sites rename entries, and a
//! change of the list must not be a change of code. A topic's 4-digit code is the position of
//! its first level (01..22) followed by the position of its second level (01..) or `00`; the
//! code feeds `{category}` in 索引号 patterns.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The taxonomy file, one line per first-level class: `一级: 二级, 二级, …`.
const TOPICS_TXT: &str = include_str!("../data/topics.txt");

/// One first-level class with its second-level names, in code order (for filter menus).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicGroup {
    /// The 1-based position, i.e. the first two digits of the code.
    pub index: u8,
    /// The first-level name, e.g. `综合政务`.
    pub name: &'static str,
    /// The second-level names in code order, e.g. `政务公开` (code 01).
    pub children: Vec<&'static str>,
}

impl TopicGroup {
    /// The first-level topic itself.
    pub fn topic(&self) -> Topic {
        Topic {
            first: self.index,
            second: None,
        }
    }

    /// Every second-level topic of this group, in code order.
    pub fn child_topics(&self) -> Vec<Topic> {
        (1..=self.children.len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(|second| Topic {
                first: self.index,
                second: Some(second),
            })
            .collect()
    }
}

/// The whole taxonomy, in code order.
pub fn topics() -> &'static [TopicGroup] {
    static TOPICS: OnceLock<Vec<TopicGroup>> = OnceLock::new();
    TOPICS.get_or_init(|| match parse_topics(TOPICS_TXT) {
        Ok(groups) => groups,
        // The file is compiled in and a unit test parses it, so this cannot happen in a
        // tested build; failing loudly beats serving an empty taxonomy.
        Err(message) => panic!("data/topics.txt is malformed: {message}"),
    })
}

/// Parses the taxonomy file. Blank lines and `#` comments are skipped; any other line that is
/// not `一级: 二级, …` is an error, never skipped.
fn parse_topics(text: &'static str) -> Result<Vec<TopicGroup>, String> {
    let mut groups: Vec<TopicGroup> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let number = number + 1;
        let Some((name, children)) = line.split_once(':') else {
            return Err(format!("line {number}: no ':' after the first-level name"));
        };
        let name = name.trim();
        if name.is_empty() || name.contains(['\\', '/', ',']) {
            return Err(format!("line {number}: bad first-level name {name:?}"));
        }
        if groups.iter().any(|g| g.name == name) {
            return Err(format!(
                "line {number}: duplicate first-level name {name:?}"
            ));
        }
        let children: Vec<&'static str> = if children.trim().is_empty() {
            Vec::new()
        } else {
            children.split(',').map(str::trim).collect()
        };
        for (i, child) in children.iter().enumerate() {
            if child.is_empty() || child.contains(['\\', '/']) {
                return Err(format!("line {number}: bad second-level name {child:?}"));
            }
            if children[..i].contains(child) {
                return Err(format!(
                    "line {number}: duplicate second-level name {child:?}"
                ));
            }
        }
        if children.len() > 99 {
            return Err(format!("line {number}: more than 99 second-level names"));
        }
        let index = u8::try_from(groups.len() + 1)
            .ok()
            .filter(|&i| i <= 99)
            .ok_or_else(|| format!("line {number}: more than 99 first-level names"))?;
        groups.push(TopicGroup {
            index,
            name,
            children,
        });
    }
    if groups.is_empty() {
        return Err("no topics".to_owned());
    }
    Ok(groups)
}

/// Why a text is not a 主题分类. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicError {
    /// Nothing given.
    #[error("主题分类为空：须写作 一级 或 一级\\二级，如 综合政务\\政务公开")]
    Empty,
    /// The first level is not in the taxonomy.
    #[error(
        "未知的主题分类一级类目“{name}”：须为国务院政策文件库的 22 个一级类目之一，如 综合政务、科技、教育、其他"
    )]
    UnknownFirst {
        /// The first level as given.
        name: String,
    },
    /// The second level is not under the given first level.
    #[error("主题分类“{first}”下没有二级类目“{second}”：可选 {allowed}")]
    UnknownSecond {
        /// The first level.
        first: &'static str,
        /// The second level as given.
        second: String,
        /// The allowed second-level names, separated by "、" (or "无" when there are none).
        allowed: String,
    },
    /// `一级\` with nothing after the separator.
    #[error("主题分类“{first}”后的二级类目为空")]
    EmptySecond {
        /// The first level.
        first: String,
    },
    /// More than two levels.
    #[error("主题分类最多两级：须写作 一级 或 一级\\二级")]
    TooDeep,
    /// A code that is not 4 digits of an existing topic.
    #[error("未知的主题分类代码“{code}”：须为 4 位数字，如 0201")]
    UnknownCode {
        /// The code as given.
        code: String,
    },
}

/// A 主题分类, first level with an optional second level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Topic {
    first: u8,
    second: Option<u8>,
}

/// Separators accepted between the levels: the canonical `\`, full-width `＼`, `/` and `／`.
const SEPARATORS: [char; 4] = ['\\', '＼', '/', '／'];

impl Topic {
    /// The catch-all first-level class 其他.
    pub fn other() -> Topic {
        topics().iter().find(|g| g.name == "其他").map_or(
            Topic {
                first: 22,
                second: None,
            },
            TopicGroup::topic,
        )
    }

    /// Parses `一级` or `一级\二级` (also with `/`, `＼` or `／`); spaces around each level are
    /// ignored.
    pub fn parse(s: &str) -> Result<Topic, TopicError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(TopicError::Empty);
        }
        let mut parts = s.split(SEPARATORS).map(str::trim);
        let first_name = parts.next().unwrap_or_default();
        let second_name = parts.next();
        if parts.next().is_some() {
            return Err(TopicError::TooDeep);
        }
        let Some(group) = topics().iter().find(|g| g.name == first_name) else {
            return Err(TopicError::UnknownFirst {
                name: first_name.to_owned(),
            });
        };
        let second = match second_name {
            None => None,
            Some("") => {
                return Err(TopicError::EmptySecond {
                    first: group.name.to_owned(),
                });
            }
            Some(name) => {
                let position = group.children.iter().position(|c| *c == name);
                let Some(index) = position.and_then(|i| u8::try_from(i + 1).ok()) else {
                    return Err(TopicError::UnknownSecond {
                        first: group.name,
                        second: name.to_owned(),
                        allowed: if group.children.is_empty() {
                            "无".to_owned()
                        } else {
                            group.children.join("、")
                        },
                    });
                };
                Some(index)
            }
        };
        Ok(Topic {
            first: group.index,
            second,
        })
    }

    /// The topic with this 4-digit code, e.g. `0201`.
    pub fn from_code(code: &str) -> Result<Topic, TopicError> {
        let unknown = || TopicError::UnknownCode {
            code: code.to_owned(),
        };
        if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        let first: u8 = code[..2].parse().map_err(|_| unknown())?;
        let second: u8 = code[2..].parse().map_err(|_| unknown())?;
        let group = topics()
            .iter()
            .find(|g| g.index == first)
            .ok_or_else(unknown)?;
        if usize::from(second) > group.children.len() {
            return Err(unknown());
        }
        Ok(Topic {
            first,
            second: (second > 0).then_some(second),
        })
    }

    fn group(&self) -> Option<&'static TopicGroup> {
        topics().get(usize::from(self.first).checked_sub(1)?)
    }

    /// The 1-based position of the first level (the first two digits of the code).
    pub fn first(&self) -> u8 {
        self.first
    }

    /// The 1-based position of the second level, if any.
    pub fn second(&self) -> Option<u8> {
        self.second
    }

    /// The first-level name, e.g. `综合政务`.
    pub fn first_name(&self) -> &'static str {
        self.group().map_or("", |g| g.name)
    }

    /// The second-level name, e.g. `政务公开`.
    pub fn second_name(&self) -> Option<&'static str> {
        let second = usize::from(self.second?).checked_sub(1)?;
        self.group()?.children.get(second).copied()
    }

    /// The first-level topic of this topic.
    pub fn parent(&self) -> Topic {
        Topic {
            first: self.first,
            second: None,
        }
    }

    /// The 4-digit code: `综合政务\政务公开` → `0201`, `其他` → `2200`.
    pub fn code(&self) -> String {
        format!("{:02}{:02}", self.first, self.second.unwrap_or(0))
    }

    /// The display form `一级\二级` or `一级`, e.g. `综合政务\政务公开`.
    pub fn label(&self) -> String {
        match self.second_name() {
            Some(second) => format!("{}\\{second}", self.first_name()),
            None => self.first_name().to_owned(),
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for Topic {
    type Err = TopicError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Topic {
    type Error = TopicError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Topic> for String {
    fn from(t: Topic) -> Self {
        t.label()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_data_file_parses_into_the_22_classes() {
        let groups = parse_topics(TOPICS_TXT).unwrap();
        assert_eq!(groups.len(), 22);
        assert_eq!(groups[0].name, "国务院组织机构");
        assert_eq!(groups[21].name, "其他");
        assert!(groups[21].children.is_empty());
        let children: usize = groups.iter().map(|g| g.children.len()).sum();
        assert_eq!(children, 121, "second-level names in DOMAIN.md §5");
    }

    #[test]
    fn the_parser_rejects_what_it_does_not_understand() {
        for (text, why) in [
            ("综合政务 政务公开", "no colon"),
            (": 政务公开", "empty first level"),
            ("综合政务: 政务公开,, 信访", "empty second level"),
            (
                "综合政务: 政务公开\n综合政务: 信访",
                "duplicate first level",
            ),
            ("综合政务: 信访, 信访", "duplicate second level"),
            ("# only a comment\n", "no topics"),
        ] {
            assert!(parse_topics(text).is_err(), "{why}");
        }
    }
}
