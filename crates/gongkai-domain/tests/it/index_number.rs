use gongkai_domain::index_number::{IndexContext, IndexPattern, IndexPatternError as E};
use proptest::prelude::*;

fn ctx<'a>(
    org_code: &'a str,
    category: &'a str,
    year: i32,
    month: u8,
    serial: u32,
) -> IndexContext<'a> {
    IndexContext {
        org_code,
        category,
        year,
        month,
        serial,
    }
}

#[test]
fn patterns_render_the_index_numbers_seen_on_government_sites() {
    for (pattern, context, expected, why) in [
        (
            IndexPattern::DEFAULT,
            ctx("FZ00101", "2708", 2021, 6, 25),
            "FZ00101-2708-2021-00025",
            "Fuzhou seed, the default",
        ),
        (
            "{org_code}/{year}-{serial:05}",
            ctx("000014349", "0201", 2017, 5, 110),
            "000014349/2017-00110",
            "gov.cn",
        ),
        (
            "{org_code}/{year}-{serial:05}",
            ctx("11370812004339255B", "0201", 2020, 1, 22849),
            "11370812004339255B/2020-22849",
            "兖州, credit code",
        ),
        (
            "{org_code}/{year}{month:02}-{serial:05}",
            ctx("11341702486344515H", "0201", 2021, 10, 13),
            "11341702486344515H/202110-00013",
            "宁国, year and month",
        ),
        (
            "{org_code}/{year}{month:02}-{serial:05}",
            ctx("X", "0201", 2021, 3, 1),
            "X/202103-00001",
            "month zero-padded",
        ),
        (
            "{org_code}/{year}{month}-{serial}",
            ctx("X", "0201", 2021, 3, 1),
            "X/20213-1",
            "month and serial unpadded",
        ),
        (
            "{org_code}-{year}-{serial:05}",
            ctx("X", "0201", 2021, 1, 123_456),
            "X-2021-123456",
            "a serial longer than the width is printed in full",
        ),
        (
            "{org_code}-{year}-{serial:01}",
            ctx("X", "0201", 2021, 1, 7),
            "X-2021-7",
            "width 1",
        ),
        (
            "{org_code}-{year}-{serial:09}",
            ctx("X", "0201", 2021, 1, 7),
            "X-2021-000000007",
            "width 9",
        ),
        (
            "索引{org_code}（{year}）第{serial:03}号",
            ctx("X", "0201", 2021, 1, 7),
            "索引X（2021）第007号",
            "Chinese literal text",
        ),
        (
            "{year}-{org_code}-{category}-{serial:04}",
            ctx("GL", "2200", 2024, 12, 99),
            "2024-GL-2200-0099",
            "any order",
        ),
    ] {
        let parsed = IndexPattern::parse(pattern).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(parsed.render(&context), expected, "{why}");
        assert_eq!(parsed.as_str(), pattern, "{why}");
        assert_eq!(parsed.to_string(), pattern, "{why}");
    }
}

#[test]
fn bad_patterns_are_rejected_with_the_reason() {
    let s = |t: &str| t.to_owned();
    for (pattern, error, why) in [
        ("", E::Empty, "empty"),
        (
            "{org_code}-{year}-{seq:05}",
            E::UnknownPlaceholder { name: s("seq") },
            "unknown placeholder",
        ),
        (
            "{org_code}-{year}-{}-{serial}",
            E::UnknownPlaceholder { name: s("") },
            "empty placeholder",
        ),
        (
            "{org_code}-{Year}-{serial}",
            E::UnknownPlaceholder { name: s("Year") },
            "names are case-sensitive",
        ),
        (
            "{org_code}-{year}-{serial:05",
            E::UnclosedBrace { position: 19 },
            "unclosed brace",
        ),
        (
            "{org_code-{year}-{serial}",
            E::UnclosedBrace { position: 1 },
            "brace opened inside a brace",
        ),
        (
            "{org_code}-{year}}-{serial}",
            E::UnopenedBrace { position: 18 },
            "stray closing brace",
        ),
        (
            "{org_code}-{serial:05}",
            E::MissingPlaceholder {
                name: "year",
                reason: "流水号每年从 1 开始，没有年份的索引号会重复",
            },
            "no year",
        ),
        (
            "{org_code}-{year}",
            E::MissingPlaceholder {
                name: "serial",
                reason: "没有流水号，同一机关同一年的索引号会重复",
            },
            "no serial",
        ),
        (
            "{year}-{serial:05}",
            E::MissingPlaceholder {
                name: "org_code",
                reason: "没有机关代码，不同机关的索引号会重复",
            },
            "no org_code",
        ),
        (
            "{org_code}-{year}-{serial:5}",
            E::BadWidth {
                name: "serial",
                width: s("5"),
            },
            "width without 0",
        ),
        (
            "{org_code}-{year}-{serial:00}",
            E::BadWidth {
                name: "serial",
                width: s("00"),
            },
            "width 0",
        ),
        (
            "{org_code}-{year}-{serial:010}",
            E::BadWidth {
                name: "serial",
                width: s("010"),
            },
            "width 10",
        ),
        (
            "{org_code}-{year}-{serial:}",
            E::BadWidth {
                name: "serial",
                width: s(""),
            },
            "empty width",
        ),
        (
            "{org_code}-{year}{month:2}-{serial}",
            E::BadWidth {
                name: "month",
                width: s("2"),
            },
            "month width without 0",
        ),
        (
            "{org_code}-{year:04}-{serial}",
            E::WidthNotAllowed { name: "year" },
            "width on year",
        ),
        (
            "{org_code:08}-{year}-{serial}",
            E::WidthNotAllowed { name: "org_code" },
            "width on org_code",
        ),
    ] {
        assert_eq!(IndexPattern::parse(pattern), Err(error), "{why}: {pattern}");
    }
}

#[test]
fn the_default_pattern_is_the_default() {
    assert_eq!(IndexPattern::default().as_str(), IndexPattern::DEFAULT);
    assert_eq!(
        IndexPattern::DEFAULT.parse::<IndexPattern>(),
        Ok(IndexPattern::default())
    );
    assert!(IndexPattern::default().uses_category());
    assert!(
        !IndexPattern::parse("{org_code}/{year}-{serial:05}")
            .unwrap()
            .uses_category()
    );
}

#[test]
fn error_messages_name_the_placeholder() {
    assert_eq!(
        E::UnknownPlaceholder {
            name: "seq".to_owned()
        }
        .to_string(),
        "索引号格式含有未知的占位符“{seq}”：可用的占位符为 {org_code}、{category}、{year}、{month}、{serial}"
    );
    assert_eq!(
        E::BadWidth {
            name: "serial",
            width: "5".to_owned()
        }
        .to_string(),
        "占位符 {serial} 的宽度“5”无效：须写作 {serial:0N}，N 为 1 到 9，如 {serial:05}"
    );
}

#[test]
fn serde_reads_and_writes_the_pattern_text() {
    let p: IndexPattern = serde_json::from_str("\"{org_code}/{year}-{serial:05}\"").unwrap();
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        "\"{org_code}/{year}-{serial:05}\""
    );
    assert!(serde_json::from_str::<IndexPattern>("\"{year}\"").is_err());
}

proptest! {
    #[test]
    fn different_serials_give_different_numbers(a in 1u32.., b in 1u32.., width in 1usize..=9) {
        let pattern = IndexPattern::parse(&format!("{{org_code}}/{{year}}-{{serial:0{width}}}")).unwrap();
        let render = |serial| pattern.render(&ctx("ORG", "0201", 2021, 6, serial));
        prop_assert_eq!(render(a) == render(b), a == b);
    }

    #[test]
    fn padded_serials_have_at_least_the_width(serial in 1u32.., width in 1usize..=9) {
        let pattern = IndexPattern::parse(&format!("{{org_code}}-{{year}}-{{serial:0{width}}}")).unwrap();
        let rendered = pattern.render(&ctx("O", "0201", 2021, 6, serial));
        let digits = rendered.rsplit('-').next().unwrap();
        prop_assert!(digits.len() >= width);
        prop_assert_eq!(digits.parse::<u32>().unwrap(), serial);
    }

    #[test]
    fn parse_never_panics(s in any::<String>()) {
        let _ = IndexPattern::parse(&s);
    }
}
