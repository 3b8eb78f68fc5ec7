use gongkai_domain::column::{
    self, ColumnError as E, ColumnPath, DEFAULT_SUBCOLUMNS, UNIFIED_COLUMNS,
};
use proptest::prelude::*;

#[test]
fn column_paths_parse_to_a_unified_first_level() {
    for (text, first, second, display, why) in [
        (
            "法定主动公开内容/政策文件",
            "法定主动公开内容",
            Some("政策文件"),
            "法定主动公开内容/政策文件",
            "the corpus column",
        ),
        (
            "法定主动公开内容",
            "法定主动公开内容",
            None,
            "法定主动公开内容",
            "first level only",
        ),
        (
            "政府信息公开指南",
            "政府信息公开指南",
            None,
            "政府信息公开指南",
            "指南",
        ),
        (
            "政府信息公开制度",
            "政府信息公开制度",
            None,
            "政府信息公开制度",
            "制度",
        ),
        (
            "政府信息公开年度报告",
            "政府信息公开年度报告",
            None,
            "政府信息公开年度报告",
            "年度报告",
        ),
        (
            "政府信息公开年报",
            "政府信息公开年度报告",
            None,
            "政府信息公开年度报告",
            "gov.cn's short name is an alias",
        ),
        (
            "政府信息公开年报/2023年",
            "政府信息公开年度报告",
            Some("2023年"),
            "政府信息公开年度报告/2023年",
            "alias with a second level",
        ),
        ("依申请公开", "依申请公开", None, "依申请公开", "依申请公开"),
        (
            "依申请公开/申请表下载",
            "依申请公开",
            Some("申请表下载"),
            "依申请公开/申请表下载",
            "a new second level",
        ),
        (
            " 法定主动公开内容 / 财政预决算 ",
            "法定主动公开内容",
            Some("财政预决算"),
            "法定主动公开内容/财政预决算",
            "spaces trimmed",
        ),
        (
            "法定主动公开内容／规划信息",
            "法定主动公开内容",
            Some("规划信息"),
            "法定主动公开内容/规划信息",
            "full-width slash",
        ),
        (
            "法定主动公开内容/行政处罚和行政强制",
            "法定主动公开内容",
            Some("行政处罚和行政强制"),
            "法定主动公开内容/行政处罚和行政强制",
            "Art. 20 item",
        ),
        (
            "法定主动公开内容/履职依据 政府规章",
            "法定主动公开内容",
            Some("履职依据 政府规章"),
            "法定主动公开内容/履职依据 政府规章",
            "inner space kept",
        ),
    ] {
        let path = ColumnPath::parse(text).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!((path.first(), path.second()), (first, second), "{why}");
        assert_eq!(path.to_string(), display, "{why}");
    }
}

#[test]
fn column_paths_outside_the_unified_structure_are_rejected() {
    let s = |t: &str| t.to_owned();
    for (text, error, why) in [
        ("", E::Empty, "empty"),
        ("  ", E::Empty, "spaces"),
        (
            "政策文件",
            E::UnknownFirst {
                name: s("政策文件"),
            },
            "a second level alone",
        ),
        (
            "新闻动态/图片新闻",
            E::UnknownFirst {
                name: s("新闻动态"),
            },
            "not a disclosure column",
        ),
        (
            "/政策文件",
            E::UnknownFirst { name: s("") },
            "empty first level",
        ),
        (
            "法定主动公开内容/",
            E::EmptySecond {
                first: s("法定主动公开内容"),
            },
            "empty second level",
        ),
        ("法定主动公开内容/政策文件/规章", E::TooDeep, "three levels"),
        (
            "法定主动公开内容/政策\u{7}文件",
            E::ControlCharacter,
            "control character",
        ),
        (
            "法定主动公开内容/一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
            E::SecondTooLong {
                name: s(
                    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
                ),
            },
            "41 characters",
        ),
    ] {
        assert_eq!(ColumnPath::parse(text), Err(error), "{why}: {text:?}");
    }
}

#[test]
fn forty_characters_are_enough() {
    let name = "一".repeat(40);
    assert!(ColumnPath::parse(&format!("依申请公开/{name}")).is_ok());
}

#[test]
fn the_unknown_first_level_message_lists_the_allowed_names() {
    let message = ColumnPath::parse("新闻动态").unwrap_err().to_string();
    for name in UNIFIED_COLUMNS {
        assert!(message.contains(name), "{name} missing from {message}");
    }
    assert!(message.contains("政府信息公开年报"));
}

#[test]
fn the_default_subcolumns_are_valid_second_levels_of_the_statutory_content() {
    assert_eq!(DEFAULT_SUBCOLUMNS.len(), 15);
    for sub in DEFAULT_SUBCOLUMNS {
        let path = ColumnPath::new("法定主动公开内容", Some(sub)).unwrap();
        assert_eq!(path.to_string(), format!("法定主动公开内容/{sub}"));
        assert_eq!(ColumnPath::parse(&path.to_string()), Ok(path));
    }
    assert_eq!(
        ColumnPath::new("政府信息公开年报", None).unwrap().first(),
        "政府信息公开年度报告"
    );
    assert_eq!(ColumnPath::new("依申请公开", Some("a/b")), Err(E::TooDeep));
    assert_eq!(
        column::unified_column("政府信息公开年报"),
        Some("政府信息公开年度报告")
    );
    assert_eq!(column::unified_column("新闻"), None);
}

#[test]
fn serde_uses_the_path_text() {
    let c: ColumnPath = serde_json::from_str("\"政府信息公开年报\"").unwrap();
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        "\"政府信息公开年度报告\""
    );
}

proptest! {
    #[test]
    fn display_parses_back(first in proptest::sample::select(&UNIFIED_COLUMNS[..]), second in proptest::option::of("[一-龥a-z0-9 ]{1,40}")) {
        let second = second.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let path = ColumnPath::new(first, second.as_deref()).unwrap();
        prop_assert_eq!(ColumnPath::parse(&path.to_string()), Ok(path));
    }

    #[test]
    fn parse_never_panics(s in any::<String>()) {
        let _ = ColumnPath::parse(&s);
    }
}
