use gongkai_domain::scan::{DEFAULT_KEYWORDS, Finding, FindingKind, ScanConfig, scan};
use proptest::prelude::*;
use time::macros::date;

use FindingKind::{BankCard, Email, IdCard, Keyword, Mobile};

/// GB 11643-1999 check character for 17 digits, computed here rather than hard-coded.
fn check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// A resident ID with a valid check character: region, birth date `YYYYMMDD`, 3-digit sequence.
fn id(region: &str, birth: &str, sequence: &str) -> String {
    let first17 = format!("{region}{birth}{sequence}");
    assert_eq!(first17.len(), 17);
    format!("{first17}{}", check_char(&first17))
}

/// The same ID with a wrong check digit, chosen so that the run also fails Luhn.
fn id_wrong_check(region: &str, birth: &str, sequence: &str) -> String {
    let good = id(region, birth, sequence);
    ('0'..='9')
        .map(|c| format!("{}{c}", &good[..17]))
        .find(|wrong| *wrong != good && !luhn(wrong))
        .unwrap()
}

/// An 18-digit run with a wrong ID check digit that passes Luhn.
fn not_an_id_but_luhn() -> String {
    (0..1000)
        .flat_map(|n| {
            let good = id("350104", "19781124", &format!("{n:03}"));
            ('0'..='9').map(move |c| (good.clone(), format!("{}{c}", &good[..17])))
        })
        .find(|(good, wrong)| wrong != good && luhn(wrong))
        .unwrap()
        .1
}

/// A valid ID whose check character is X.
fn id_ending_in_x() -> String {
    (0..1000)
        .map(|n| id("350102", "19850615", &format!("{n:03}")))
        .find(|i| i.ends_with('X'))
        .unwrap()
}

/// A valid ID with a digit check character that also passes Luhn.
fn id_passing_luhn() -> String {
    (0..1000)
        .map(|n| id("350104", "19781124", &format!("{n:03}")))
        .find(|i| !i.ends_with('X') && luhn(i))
        .unwrap()
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `prefix` completed by the digit that makes it pass Luhn.
fn card(prefix: &str) -> String {
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|c| luhn(c))
        .unwrap()
}

/// `prefix` completed by a digit that makes it fail Luhn.
fn card_bad_luhn(prefix: &str) -> String {
    let good = card(prefix);
    let last = good.chars().last().unwrap().to_digit(10).unwrap();
    format!("{prefix}{}", (last + 1) % 10)
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            _ => c,
        })
        .collect()
}

fn found(text: &str, config: &ScanConfig) -> Vec<(FindingKind, String, u32, u32)> {
    scan(text, config)
        .into_iter()
        .map(|f| (f.kind, f.text, f.line, f.column))
        .collect()
}

fn expect(
    kind: FindingKind,
    text: &str,
    line: u32,
    column: u32,
) -> (FindingKind, String, u32, u32) {
    (kind, text.to_owned(), line, column)
}

/// The byte offset of a 1-based (line, column), columns in code points.
fn offset_of(text: &str, line: u32, column: u32) -> Option<usize> {
    let (mut l, mut c) = (1, 1);
    for (at, ch) in text.char_indices() {
        if (l, c) == (line, column) {
            return Some(at);
        }
        if ch == '\n' {
            (l, c) = (l + 1, 1);
        } else {
            c += 1;
        }
    }
    ((l, c) == (line, column)).then_some(text.len())
}

fn located(text: &str, finding: &Finding) -> bool {
    offset_of(text, finding.line, finding.column)
        .is_some_and(|at| text[at..].starts_with(&finding.text))
}

#[test]
fn government_texts_full_of_numbers_yield_only_personal_data() {
    let config = ScanConfig::default();
    let person = id("350102", "19900307", "123");
    let with_x = id_ending_in_x();
    let card16 = card("622202123456789");
    let card19 = card("621700123456789012");
    let luhn_id = id_passing_luhn();
    for (text, expected, why) in [
        (
            "关于印发《鼓楼区政务公开工作要点》的通知 鼓政办〔2020〕60号".to_owned(),
            vec![],
            "a 发文字号 has short digit runs only",
        ),
        (
            "索引号：FZ00101-2708-2021-00025 发布日期：2021-06-04".to_owned(),
            vec![],
            "an 索引号 and an ISO date",
        ),
        (
            "索引号：000014349/2024-00094".to_owned(),
            vec![],
            "a gov.cn 索引号 has a 9-digit run",
        ),
        (
            "成文日期：20210604 会议时间：2021-06-04 09:30 时间戳202106041530".to_owned(),
            vec![],
            "dates and times written as digits",
        ),
        (
            "统一社会信用代码：91350100MA2YQ4XW1X".to_owned(),
            vec![],
            "an 18-character credit code mixes letters and digits",
        ),
        (
            "统一社会信用代码：113501000036952185".to_owned(),
            vec![],
            "an all-digit credit code is neither a valid ID nor Luhn",
        ),
        (
            "订单编号 2021060415300012 流水号 20210604153000123456".to_owned(),
            vec![],
            "order and serial numbers failing Luhn",
        ),
        (
            format!("申请人身份证号：{person}。"),
            vec![expect(IdCard, &person, 1, 9)],
            "a valid ID after 8 Chinese characters and a colon",
        ),
        (
            format!("身份证{with_x}，"),
            vec![expect(IdCard, &with_x, 1, 4)],
            "an ID with check character X",
        ),
        (
            format!("身份证{}。", with_x.to_lowercase()),
            vec![expect(IdCard, &with_x.to_lowercase(), 1, 4)],
            "a lower-case x is the same check character",
        ),
        (
            format!("代码{with_x}A"),
            vec![],
            "an X followed by a letter starts a code, not an ID",
        ),
        (
            format!("编号{with_x}7"),
            vec![],
            "an X followed by a digit is not a check character",
        ),
        (
            format!("身份证{}", id_wrong_check("350102", "19900307", "123")),
            vec![],
            "a wrong check digit",
        ),
        (
            format!("身份证{}", id("350102", "19900230", "123")),
            vec![],
            "19900230 is no calendar date even with a right check digit",
        ),
        (
            format!("身份证{}", id("350102", "18991231", "123")),
            vec![],
            "born before 1900 is implausible",
        ),
        (
            format!("身份证{}", id("350102", "19001231", "123")),
            vec![expect(IdCard, &id("350102", "19001231", "123"), 1, 4)],
            "1900 is the earliest plausible year",
        ),
        (
            format!("身份证{}", id("350102", "20000229", "123")),
            vec![expect(IdCard, &id("350102", "20000229", "123"), 1, 4)],
            "2000-02-29 exists",
        ),
        (
            format!("身份证{}", id("350102", "21000229", "123")),
            vec![],
            "2100-02-29 does not",
        ),
        (
            card_bad_luhn(&person),
            vec![],
            "an ID followed by one more digit is a 19-digit run, here failing Luhn",
        ),
        (
            card(&person),
            vec![(BankCard, card(&person), 1, 1)],
            "the same 19-digit run passing Luhn is a bank card, not an ID",
        ),
        (
            format!("编号9{person}"),
            vec![],
            "an ID preceded by a digit is part of a longer number",
        ),
        (
            format!("身份证：{luhn_id}"),
            vec![expect(IdCard, &luhn_id, 1, 5)],
            "a valid ID that also passes Luhn is an ID only",
        ),
        (
            format!("收款账号：{card16}（工商银行）"),
            vec![expect(BankCard, &card16, 1, 6)],
            "a 16-digit card passing Luhn, then full-width parentheses",
        ),
        (
            format!("账号{card19}"),
            vec![expect(BankCard, &card19, 1, 3)],
            "a 19-digit card passing Luhn",
        ),
        (
            format!("账号{}", card_bad_luhn("622202123456789")),
            vec![],
            "a 16-digit number failing Luhn",
        ),
        (
            format!("账号{}", card("62220212345678")),
            vec![],
            "15 digits are too few even with Luhn",
        ),
        (
            format!("流水号{}", card("6217001234567890123")),
            vec![],
            "20 digits are too many even with Luhn",
        ),
        (
            format!("身份证{}", not_an_id_but_luhn()),
            vec![(BankCard, not_an_id_but_luhn(), 1, 4)],
            "an 18-digit run with a wrong ID check digit is judged by Luhn",
        ),
        (
            "联系电话：13905912345。".to_owned(),
            vec![expect(Mobile, "13905912345", 1, 6)],
            "a mobile number after Chinese text",
        ),
        (
            "手机18650012345，座机0591-87654321".to_owned(),
            vec![expect(Mobile, "18650012345", 1, 3)],
            "a landline with area code is not a mobile",
        ),
        (
            "座机059187654321".to_owned(),
            vec![],
            "a 12-digit landline without hyphen",
        ),
        (
            "服务热线400-888-1234 或 4008881234，咨询95588".to_owned(),
            vec![],
            "400 numbers and short service numbers",
        ),
        (
            "电话：+86 13905912345、+86-13905912345、+8613905912345".to_owned(),
            vec![],
            "+86 forms are not mobile findings (DOMAIN A8)",
        ),
        (
            "电话：＋８６　１３９０５９１２３４５".to_owned(),
            vec![],
            "+86 written full-width with an ideographic space",
        ),
        (
            "电话：139-0591-2345 或 139 0591 2345".to_owned(),
            vec![],
            "hyphenated and spaced numbers are not findings",
        ),
        (
            "编号 12905912345".to_owned(),
            vec![],
            "a second digit 2 is no mobile prefix",
        ),
        (
            "编号 1390591234 与 139059123456".to_owned(),
            vec![],
            "10 digits and a 12-digit run starting with 13",
        ),
        (
            "单号202113905912345".to_owned(),
            vec![],
            "a mobile number inside a longer number",
        ),
        (
            "手机１３９０５９１２３４５".to_owned(),
            vec![expect(Mobile, "１３９０５９１２３４５", 1, 3)],
            "full-width digits are digits, reported as written",
        ),
        (
            format!("身份证{}", full_width(&person)),
            vec![expect(IdCard, &full_width(&person), 1, 4)],
            "a full-width ID",
        ),
        (
            "邮箱：gongkai@fuzhou.gov.cn。".to_owned(),
            vec![expect(Email, "gongkai@fuzhou.gov.cn", 1, 4)],
            "an e-mail between a colon and a full stop",
        ),
        (
            "（xxgk_2021@gl.gov.cn）".to_owned(),
            vec![expect(Email, "xxgk_2021@gl.gov.cn", 1, 2)],
            "an e-mail inside full-width parentheses",
        ),
        (
            "(zhang.san+gk@mail.fz.gov.cn)".to_owned(),
            vec![expect(Email, "zhang.san+gk@mail.fz.gov.cn", 1, 2)],
            "ASCII parentheses, + and dots in the local part",
        ),
        (
            "请发送至user-1@163.com，谢谢".to_owned(),
            vec![expect(Email, "user-1@163.com", 1, 5)],
            "a digit domain label and a Chinese comma",
        ),
        (
            "write to office@fz.gov.cn.".to_owned(),
            vec![expect(Email, "office@fz.gov.cn", 1, 10)],
            "a sentence-final ASCII dot is not part of the domain",
        ),
        (
            "邮箱13905912345@139.com".to_owned(),
            vec![expect(Email, "13905912345@139.com", 1, 3)],
            "a mobile used as the local part is reported once, as the e-mail",
        ),
        (
            "a@b a@b.c 见附件@2021 test@例子.中国".to_owned(),
            vec![],
            "no dot, a 1-letter TLD, a digit TLD, a non-ASCII domain",
        ),
        (
            "a@b.cn@c.cn".to_owned(),
            vec![expect(Email, "a@b.cn", 1, 1)],
            "addresses do not overlap",
        ),
        (
            "📄附件：13905912345".to_owned(),
            vec![expect(Mobile, "13905912345", 1, 5)],
            "an emoji is one code point, not 4 bytes",
        ),
        (
            "👨‍👩‍👧家庭：13905912345".to_owned(),
            vec![expect(Mobile, "13905912345", 1, 9)],
            "a ZWJ emoji sequence is 5 code points",
        ),
        (
            "第一行\r\n第二行 13905912345\r\n秘密".to_owned(),
            vec![
                expect(Mobile, "13905912345", 2, 5),
                expect(Keyword, "秘密", 3, 1),
            ],
            "\\r\\n line ends: the \\r is not a character of the line",
        ),
        (
            "13905912345\n".to_owned(),
            vec![expect(Mobile, "13905912345", 1, 1)],
            "a number at the start of the text, ended by a newline",
        ),
        (
            "★绝密★启用前\n机密文件；内部资料，秘密秘密".to_owned(),
            vec![
                expect(Keyword, "绝密", 1, 2),
                expect(Keyword, "机密", 2, 1),
                expect(Keyword, "内部", 2, 6),
                expect(Keyword, "秘密", 2, 11),
                expect(Keyword, "秘密", 2, 13),
            ],
            "every occurrence of every default keyword",
        ),
        (
            format!("秘密 身份证{person} 手机13905912345 邮箱a@fz.gov.cn"),
            vec![
                expect(Keyword, "秘密", 1, 1),
                expect(IdCard, &person, 1, 7),
                expect(Mobile, "13905912345", 1, 28),
                expect(Email, "a@fz.gov.cn", 1, 42),
            ],
            "findings come in text order",
        ),
    ] {
        assert_eq!(found(&text, &config), expected, "{why}: {text}");
        for finding in scan(&text, &config) {
            assert!(located(&text, &finding), "{why}: {finding:?}");
        }
    }
}

#[test]
fn a_birth_date_after_today_is_implausible() {
    let born_2030 = id("350102", "20300101", "123");
    let born_today = id("350102", "20261128", "123");
    let text = format!("{born_2030} {born_today}");
    let today = ScanConfig::as_of(date!(2026 - 11 - 28));
    for (config, expected, why) in [
        (
            ScanConfig::default(),
            vec![
                expect(IdCard, &born_2030, 1, 1),
                expect(IdCard, &born_today, 1, 20),
            ],
            "without a latest birth date any year from 1900 is plausible",
        ),
        (
            today,
            vec![expect(IdCard, &born_today, 1, 20)],
            "born today is plausible, born in 2030 is not",
        ),
    ] {
        assert_eq!(found(&text, &config), expected, "{why}");
    }
}

#[test]
fn keywords_are_configurable() {
    for (keywords, text, expected, why) in [
        (
            vec!["aa"],
            "aaaa aaa",
            vec![
                expect(Keyword, "aa", 1, 1),
                expect(Keyword, "aa", 1, 3),
                expect(Keyword, "aa", 1, 6),
            ],
            "occurrences of one keyword do not overlap",
        ),
        (
            vec!["", "工作秘密"],
            "属于工作秘密，不予公开",
            vec![expect(Keyword, "工作秘密", 1, 3)],
            "empty keywords are ignored; the list replaces the default",
        ),
        (
            vec!["内部", "内部资料"],
            "内部资料",
            vec![
                expect(Keyword, "内部", 1, 1),
                expect(Keyword, "内部资料", 1, 1),
            ],
            "different keywords may overlap",
        ),
        (vec![], "绝密", vec![], "an empty list finds no keyword"),
    ] {
        let config = ScanConfig {
            keywords: keywords.into_iter().map(str::to_owned).collect(),
            latest_birth_date: None,
        };
        assert_eq!(found(text, &config), expected, "{why}");
    }
    assert_eq!(ScanConfig::default().keywords, DEFAULT_KEYWORDS);
}

#[test]
fn findings_serialize_as_the_cli_prints_them() {
    let finding = Finding {
        kind: FindingKind::BankCard,
        text: "6222021234567890".to_owned(),
        line: 3,
        column: 7,
    };
    assert_eq!(
        serde_json::to_string(&finding).unwrap(),
        r#"{"kind":"bank_card","text":"6222021234567890","line":3,"column":7}"#
    );
    for (kind, code, label) in [
        (IdCard, "id_card", "身份证号"),
        (Mobile, "mobile", "手机号"),
        (BankCard, "bank_card", "银行卡号"),
        (Email, "email", "电子邮箱"),
        (Keyword, "keyword", "敏感词"),
    ] {
        assert_eq!((kind.code(), kind.label()), (code, label));
        assert_eq!(FindingKind::from_code(code), Ok(kind));
    }
}

#[test]
fn empty_and_digit_only_texts() {
    let config = ScanConfig::default();
    assert_eq!(scan("", &config), vec![]);
    assert_eq!(scan("\n\r\n", &config), vec![]);
    let long = "1".repeat(10_000);
    assert_eq!(scan(&long, &config), vec![], "one long run is no finding");
}

/// Characters that make the scanner's decisions: digits, X, separators, @ and e-mail
/// characters, Chinese text and keyword halves, line ends and a multi-byte emoji.
const ALPHABET: &[char] = &[
    '0', '1', '3', '5', '8', '9', '６', '１', 'X', 'x', 'a', 'Z', '.', '-', '+', '_', '@', ' ',
    '\n', '\r', '秘', '密', '内', '部', '号', '。', '（', '）', '📄', '＋',
];

proptest! {
    #[test]
    fn scan_never_panics_and_every_finding_points_at_its_text(text in "\\PC*") {
        for finding in scan(&text, &ScanConfig::default()) {
            prop_assert!(located(&text, &finding), "{:?}", finding);
        }
    }

    #[test]
    fn on_tricky_alphabets_every_finding_points_at_its_text(
        chars in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..200),
    ) {
        let text: String = chars.into_iter().collect();
        let findings = scan(&text, &ScanConfig::default());
        for finding in &findings {
            prop_assert!(located(&text, finding), "{:?}", finding);
        }
        let positions: Vec<_> = findings.iter().map(|f| (f.line, f.column)).collect();
        let mut sorted = positions.clone();
        sorted.sort();
        prop_assert_eq!(positions, sorted, "text order");
    }

    #[test]
    fn keyword_findings_are_the_non_overlapping_matches_of_each_keyword(
        chars in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..200),
        keywords in proptest::collection::vec("[秘密内部a.1\n]{0,3}", 0..4),
    ) {
        let text: String = chars.into_iter().collect();
        let config = ScanConfig { keywords: keywords.clone(), latest_birth_date: None };
        let actual: Vec<_> = scan(&text, &config)
            .into_iter()
            .filter(|f| f.kind == Keyword)
            .map(|f| (f.line, f.column, f.text))
            .collect();
        let mut expected: Vec<_> = keywords
            .iter()
            .filter(|k| !k.is_empty())
            .flat_map(|k| text.match_indices(k.as_str()))
            .map(|(at, k)| {
                let before = &text[..at];
                let line = before.matches('\n').count() as u32 + 1;
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let column = text[line_start..at].chars().count() as u32 + 1;
                (line, column, k.to_owned())
            })
            .collect();
        expected.sort_by_key(|(line, column, _)| (*line, *column));
        prop_assert_eq!(actual, expected);
    }

    #[test]
    fn a_valid_id_between_chinese_words_is_found(
        year in 1900u32..=2026,
        month in 1u32..=12,
        day in 1u32..=28,
        sequence in 0u32..1000,
        before in "[\\u4e00-\\u9fa5]{0,10}",
    ) {
        let person = id("110105", &format!("{year}{month:02}{day:02}"), &format!("{sequence:03}"));
        let text = format!("{before}：{person}。");
        let column = before.chars().count() as u32 + 2;
        prop_assert_eq!(found(&text, &ScanConfig::default()), vec![expect(IdCard, &person, 1, column)]);
    }
}
