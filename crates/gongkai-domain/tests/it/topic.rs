use gongkai_domain::topic::{Topic, TopicError as E, topics};
use proptest::prelude::*;

#[test]
fn every_first_level_class_parses_with_its_code() {
    for (name, code, why) in [
        ("国务院组织机构", "0100", "1"),
        ("综合政务", "0200", "2"),
        ("国民经济管理、国有资产监管", "0300", "3"),
        ("财政、金融、审计", "0400", "4"),
        ("国土资源、能源", "0500", "5"),
        ("农业、林业、水利", "0600", "6"),
        ("工业、交通", "0700", "7"),
        ("商贸、海关、旅游", "0800", "8"),
        ("市场监管、安全生产监管", "0900", "9"),
        ("城乡建设、环境保护", "1000", "10"),
        ("科技、教育", "1100", "11"),
        ("文化、广电、新闻出版", "1200", "12"),
        ("卫生、体育", "1300", "13"),
        ("人口与计划生育、妇女儿童工作", "1400", "14"),
        ("劳动、人事、监察", "1500", "15"),
        ("公安、安全、司法", "1600", "16"),
        ("民政、扶贫、救灾", "1700", "17"),
        ("民族、宗教", "1800", "18"),
        ("对外事务", "1900", "19"),
        ("港澳台侨工作", "2000", "20"),
        ("国防", "2100", "21"),
        ("其他", "2200", "22, no children"),
    ] {
        let topic = Topic::parse(name).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(topic.code(), code, "{why}");
        assert_eq!(topic.first_name(), name, "{why}");
        assert_eq!(topic.second_name(), None, "{why}");
        assert_eq!(topic.label(), name, "{why}");
        assert_eq!(Topic::from_code(code), Ok(topic), "{why}");
    }
}

#[test]
fn second_level_topics_parse_in_every_accepted_spelling() {
    for (text, label, code, why) in [
        (
            "综合政务\\政务公开",
            "综合政务\\政务公开",
            "0201",
            "canonical form",
        ),
        ("综合政务/政务公开", "综合政务\\政务公开", "0201", "slash"),
        (
            "综合政务＼政务公开",
            "综合政务\\政务公开",
            "0201",
            "full-width backslash",
        ),
        (
            "综合政务／政务公开",
            "综合政务\\政务公开",
            "0201",
            "full-width slash",
        ),
        (
            "  综合政务 \\ 政务公开  ",
            "综合政务\\政务公开",
            "0201",
            "spaces trimmed",
        ),
        (
            "综合政务\\其他",
            "综合政务\\其他",
            "0209",
            "其他 under 综合政务",
        ),
        (
            "国务院组织机构\\国务院",
            "国务院组织机构\\国务院",
            "0101",
            "first child",
        ),
        (
            "国务院组织机构\\其他",
            "国务院组织机构\\其他",
            "0110",
            "tenth child",
        ),
        (
            "财政、金融、审计\\货币（含外汇）",
            "财政、金融、审计\\货币（含外汇）",
            "0404",
            "full-width parentheses in the name",
        ),
        (
            "农业、林业、水利\\农业、畜牧业、渔业",
            "农业、林业、水利\\农业、畜牧业、渔业",
            "0601",
            "、 in both levels",
        ),
        (
            "工业、交通\\邮政",
            "工业、交通\\邮政",
            "0711",
            "eleventh child",
        ),
        (
            "工业、交通\\其他",
            "工业、交通\\其他",
            "0712",
            "twelfth child",
        ),
        (
            "城乡建设、环境保护\\气象、水文、测绘、地震",
            "城乡建设、环境保护\\气象、水文、测绘、地震",
            "1005",
            "long name",
        ),
        (
            "科技、教育\\知识产权",
            "科技、教育\\知识产权",
            "1103",
            "corpus",
        ),
        (
            "劳动、人事、监察\\纠正行业不正之风",
            "劳动、人事、监察\\纠正行业不正之风",
            "1506",
            "corpus",
        ),
        (
            "民族、宗教\\宗教事务",
            "民族、宗教\\宗教事务",
            "1802",
            "no 其他 under 民族、宗教",
        ),
        (
            "港澳台侨工作\\侨务工作",
            "港澳台侨工作\\侨务工作",
            "2003",
            "last child of 20",
        ),
        ("国防\\国防动员", "国防\\国防动员", "2102", "国防"),
    ] {
        let topic = Topic::parse(text).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(topic.label(), label, "{why}");
        assert_eq!(topic.to_string(), label, "{why}");
        assert_eq!(topic.code(), code, "{why}");
        assert_eq!(Topic::from_code(code), Ok(topic), "{why}");
    }
}

#[test]
fn unknown_topics_are_rejected_with_the_reason() {
    let s = |t: &str| t.to_owned();
    for (text, error, why) in [
        ("", E::Empty, "empty"),
        ("   ", E::Empty, "only spaces"),
        (
            "政务公开",
            E::UnknownFirst {
                name: s("政务公开"),
            },
            "a second level alone",
        ),
        (
            "民政、乡村振兴、救灾",
            E::UnknownFirst {
                name: s("民政、乡村振兴、救灾"),
            },
            "local rename, not in the taxonomy",
        ),
        (
            "综合政务\\",
            E::EmptySecond {
                first: s("综合政务"),
            },
            "empty second level",
        ),
        ("综合政务\\政务公开\\网站", E::TooDeep, "three levels"),
        (
            "其他\\其他",
            E::UnknownSecond {
                first: "其他",
                second: s("其他"),
                allowed: s("无"),
            },
            "其他 has no children",
        ),
        (
            "民族、宗教\\其他",
            E::UnknownSecond {
                first: "民族、宗教",
                second: s("其他"),
                allowed: s("民族事务、宗教事务"),
            },
            "not every class has 其他",
        ),
    ] {
        assert_eq!(Topic::parse(text), Err(error), "{why}: {text:?}");
    }
}

#[test]
fn unknown_codes_are_rejected() {
    for (code, why) in [
        ("", "empty"),
        ("020", "3 digits"),
        ("02011", "5 digits"),
        ("0000", "no class 00"),
        ("2300", "no class 23"),
        ("0211", "综合政务 has 9 children"),
        ("2201", "其他 has none"),
        ("02a1", "not digits"),
    ] {
        assert!(Topic::from_code(code).is_err(), "{why}");
    }
}

#[test]
fn the_menu_lists_22_classes_in_code_order() {
    let groups = topics();
    assert_eq!(groups.len(), 22);
    for (i, group) in groups.iter().enumerate() {
        assert_eq!(usize::from(group.index), i + 1);
        assert_eq!(group.topic().first_name(), group.name);
        for (j, child) in group.child_topics().iter().enumerate() {
            assert_eq!(child.second_name(), Some(group.children[j]));
            assert_eq!(child.parent(), group.topic());
        }
    }
    assert_eq!(Topic::other().label(), "其他");
}

#[test]
fn messages_are_chinese() {
    assert_eq!(
        Topic::parse("综合政务\\网站").unwrap_err().to_string(),
        "主题分类“综合政务”下没有二级类目“网站”：可选 政务公开、政务督查、应急管理、电子政务、文秘工作、保密工作、信访、参事、文史、其他"
    );
}

#[test]
fn serde_uses_the_label() {
    let t: Topic = serde_json::from_str("\"综合政务/政务公开\"").unwrap();
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        "\"综合政务\\\\政务公开\""
    );
}

fn any_topic() -> impl Strategy<Value = Topic> {
    proptest::sample::select(
        topics()
            .iter()
            .flat_map(|g| std::iter::once(g.topic()).chain(g.child_topics()))
            .collect::<Vec<_>>(),
    )
}

proptest! {
    #[test]
    fn label_and_code_both_lead_back_to_the_topic(topic in any_topic()) {
        prop_assert_eq!(Topic::parse(&topic.label()), Ok(topic));
        prop_assert_eq!(Topic::from_code(&topic.code()), Ok(topic));
        prop_assert_eq!(topic.code().len(), 4);
    }

    #[test]
    fn parse_never_panics(s in any::<String>()) {
        let _ = Topic::parse(&s);
    }
}
