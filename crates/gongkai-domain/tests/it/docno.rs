use gongkai_domain::docno::{self, DecreeNumber, DocNo, DocNumber, DocNumberError as E};
use proptest::prelude::*;

#[test]
fn variants_found_in_the_wild_normalize_to_the_gb_t_9704_form() {
    for (raw, canonical, why) in [
        (
            "鼓政办〔2020〕60号",
            "鼓政办〔2020〕60号",
            "already canonical",
        ),
        (
            "国办发[2021]12号",
            "国办发〔2021〕12号",
            "ASCII square brackets",
        ),
        (
            "国办发(2021)12号",
            "国办发〔2021〕12号",
            "ASCII parentheses",
        ),
        (
            "国办发（2021）12号",
            "国办发〔2021〕12号",
            "full-width parentheses",
        ),
        (
            "榕政办﹝2020﹞5号",
            "榕政办〔2020〕5号",
            "small tortoise-shell brackets U+FE5D/E",
        ),
        (
            "鼓政办［2021］ 3号",
            "鼓政办〔2021〕3号",
            "full-width square brackets and a space",
        ),
        (
            "鼓政办【2021】第003号",
            "鼓政办〔2021〕3号",
            "lenticular brackets, 第 and leading zeros",
        ),
        (
            "鼓政办〖2021〗3号",
            "鼓政办〔2021〕3号",
            "white lenticular brackets",
        ),
        (
            "鼓政办｛2021｝3号",
            "鼓政办〔2021〕3号",
            "full-width braces",
        ),
        ("鼓政办{2021}3号", "鼓政办〔2021〕3号", "ASCII braces"),
        (
            "鼓政办〘2021〙3号",
            "鼓政办〔2021〕3号",
            "white tortoise-shell brackets",
        ),
        (
            "鼓政办〔２０２１〕１２号",
            "鼓政办〔2021〕12号",
            "full-width digits",
        ),
        (
            " 鼓 政 办 〔2021〕 12 号 ",
            "鼓政办〔2021〕12号",
            "ASCII spaces everywhere",
        ),
        (
            "鼓政办　〔2021〕12号",
            "鼓政办〔2021〕12号",
            "ideographic space U+3000",
        ),
        (
            "鼓政办\u{a0}〔2021〕12号",
            "鼓政办〔2021〕12号",
            "no-break space",
        ),
        ("鼓政办\t〔2021〕\t12号", "鼓政办〔2021〕12号", "tabs"),
        (
            "\u{feff}鼓政办〔2021〕12号\u{200b}",
            "鼓政办〔2021〕12号",
            "BOM and zero-width space from copy-paste",
        ),
        (
            "鼓政办〔2021〕12号\n",
            "鼓政办〔2021〕12号",
            "trailing newline",
        ),
        (
            "法释〔2021〕11号",
            "法释〔2021〕11号",
            "two-character agency of the Supreme People's Court",
        ),
        (
            "柳政公开组字﹝2020﹞4号",
            "柳政公开组字〔2020〕4号",
            "six-character agency",
        ),
        (
            "闽政办函〔2021〕7号",
            "闽政办函〔2021〕7号",
            "agency ending in 函",
        ),
        (
            "国办发明电〔2018〕15号",
            "国办发明电〔2018〕15号",
            "明电 agency",
        ),
        (
            "高检发释字〔2025〕1号",
            "高检发释字〔2025〕1号",
            "agency of the Supreme People's Procuratorate",
        ),
        (
            "人薪发［1995］32号",
            "人薪发〔1995〕32号",
            "seen in the laws corpus",
        ),
        (
            "国办发〔2021〕第12号",
            "国办发〔2021〕12号",
            "第 before the serial",
        ),
        (
            "鼓政办〔2020〕060号",
            "鼓政办〔2020〕60号",
            "leading zero in the serial (不编虚位)",
        ),
        (
            "鼓政办〔2020〕0000060号",
            "鼓政办〔2020〕60号",
            "many leading zeros",
        ),
        (
            "国办发(2021〕12号",
            "国办发〔2021〕12号",
            "mixed pair: ASCII open, canonical close",
        ),
        (
            "国办发〔2021]12号",
            "国办发〔2021〕12号",
            "mixed pair: canonical open, ASCII close",
        ),
        (
            "国办发（2021)12号",
            "国办发〔2021〕12号",
            "mixed full-width and ASCII parentheses",
        ),
        (
            "国办发〔1949〕1号",
            "国办发〔1949〕1号",
            "the earliest year accepted",
        ),
        (
            "国办发〔2100〕1号",
            "国办发〔2100〕1号",
            "the latest year accepted",
        ),
        (
            "国发〔2019〕4294967295号",
            "国发〔2019〕4294967295号",
            "the largest serial",
        ),
        (
            "京A政发〔2021〕1号",
            "京A政发〔2021〕1号",
            "a letter inside the agency",
        ),
        (
            "京Ａ政发〔2021〕1号",
            "京Ａ政发〔2021〕1号",
            "a full-width letter is kept as written",
        ),
        (
            "国1发〔2021〕1号",
            "国1发〔2021〕1号",
            "a digit inside the agency",
        ),
        (
            "国２发〔2021〕1号",
            "国2发〔2021〕1号",
            "a full-width digit inside the agency",
        ),
        (
            "国办发 〔 2 0 2 1 〕 第 0 1 2 号",
            "国办发〔2021〕12号",
            "everything at once",
        ),
    ] {
        let parsed = DocNumber::parse(raw);
        assert_eq!(
            parsed.as_ref().map(ToString::to_string),
            Ok(canonical.to_owned()),
            "{why}: {raw:?}"
        );
        assert_eq!(
            docno::normalize(raw).map(|d| d.to_string()),
            Ok(canonical.to_owned()),
            "normalize: {why}"
        );
    }
}

#[test]
fn parsed_parts_are_the_agency_the_year_and_the_serial() {
    let d = DocNumber::parse("鼓政办【2020】第060号").unwrap();
    assert_eq!((d.agency(), d.year(), d.serial()), ("鼓政办", 2020, 60));
}

#[test]
fn what_is_not_a_doc_number_is_rejected_with_the_reason() {
    let s = |t: &str| t.to_owned();
    for (raw, error, why) in [
        ("", E::Empty, "empty"),
        ("  \u{3000} ", E::Empty, "only whitespace"),
        ("鼓政办", E::MissingYear, "agency only"),
        ("关于做好政务公开工作的通知", E::MissingYear, "a title"),
        (
            "鼓政办2021年12号",
            E::MissingBrackets,
            "year without brackets",
        ),
        (
            "鼓政办202112号",
            E::MissingBrackets,
            "digits without brackets",
        ),
        ("2021-06-04", E::InvalidCharacter { ch: '-' }, "a date"),
        ("〔2021〕12号", E::MissingAgency, "no agency"),
        (
            "鼓政办〔21〕12号",
            E::YearNotFourDigits { found: s("21") },
            "2-digit year",
        ),
        (
            "鼓政办〔20210〕12号",
            E::YearNotFourDigits { found: s("20210") },
            "5-digit year",
        ),
        (
            "鼓政办〔二〇二一〕12号",
            E::YearNotFourDigits {
                found: s("二〇二一"),
            },
            "year in Chinese numerals",
        ),
        (
            "鼓政办〔2021年〕12号",
            E::YearNotFourDigits {
                found: s("2021年")
            },
            "年 inside the brackets",
        ),
        ("鼓政办〔〕12号", E::EmptyYear, "empty brackets"),
        (
            "鼓政办〔1948〕12号",
            E::YearOutOfRange { year: 1948 },
            "before 1949",
        ),
        (
            "鼓政办〔2101〕12号",
            E::YearOutOfRange { year: 2101 },
            "after 2100",
        ),
        (
            "鼓政办〔0000〕12号",
            E::YearOutOfRange { year: 0 },
            "year zero",
        ),
        ("鼓政办〔2021〕号", E::MissingSerial, "no serial"),
        ("鼓政办〔2021〕第号", E::MissingSerial, "第 but no serial"),
        ("鼓政办〔2021〕", E::MissingSerial, "nothing after the year"),
        ("鼓政办〔2021〕0号", E::SerialZero, "serial zero"),
        ("鼓政办〔2021〕000号", E::SerialZero, "serial of zeros"),
        ("鼓政办〔2021〕12", E::MissingHao, "no 号"),
        (
            "鼓政办〔2021〕12号附件",
            E::TrailingText { text: s("附件") },
            "text after 号",
        ),
        (
            "鼓政办〔2021〕12号号",
            E::TrailingText { text: s("号") },
            "号 twice",
        ),
        (
            "鼓政办〔2021〕十二号",
            E::SerialNotDigits { found: s("十二") },
            "serial in Chinese numerals",
        ),
        (
            "鼓政办〔2021〕12a号",
            E::SerialNotDigits { found: s("12a") },
            "letter in the serial",
        ),
        (
            "鼓政办〔2021〕附件12号",
            E::SerialNotDigits {
                found: s("附件12")
            },
            "text before the serial",
        ),
        (
            "鼓政办〔2021〕99999999999号",
            E::SerialTooLarge {
                found: s("99999999999"),
            },
            "serial overflows",
        ),
        (
            "鼓政办〔2021 12号",
            E::UnclosedBracket,
            "bracket never closed",
        ),
        (
            "鼓政办2021〕12号",
            E::UnopenedBracket,
            "closing bracket only",
        ),
        (
            "鼓政办〕2021〔12号",
            E::UnopenedBracket,
            "brackets the wrong way round",
        ),
        ("鼓政办〔2021〕〔2022〕12号", E::ExtraBrackets, "two pairs"),
        (
            "鼓政办〔〔2021〕12号",
            E::ExtraBrackets,
            "doubled opening bracket",
        ),
        (
            "鼓政办〔2021〕12号〕",
            E::ExtraBrackets,
            "stray closing bracket at the end",
        ),
        (
            "鼓政办《2021》12号",
            E::InvalidCharacter { ch: '《' },
            "title marks are not year brackets",
        ),
        (
            "鼓政,办〔2021〕12号",
            E::InvalidCharacter { ch: ',' },
            "comma in the agency",
        ),
        (
            "鼓政办、〔2021〕12号",
            E::InvalidCharacter { ch: '、' },
            "enumeration comma in the agency",
        ),
        (
            "鼓政办〔2021〕12号。",
            E::InvalidCharacter { ch: '。' },
            "full stop at the end",
        ),
        (
            "ABC〔2021〕12号",
            E::AgencyNotChinese { agency: s("ABC") },
            "agency without Chinese",
        ),
        (
            "1鼓政办〔2021〕12号",
            E::AgencyNotChinese {
                agency: s("1鼓政办"),
            },
            "agency starting with a digit",
        ),
        (
            "关于进一步做好全区基层政务公开标准化工作的通知〔2021〕1号",
            E::AgencyTooLong {
                agency: s("关于进一步做好全区基层政务公开标准化工作的通知"),
            },
            "a title before the year",
        ),
    ] {
        assert_eq!(DocNumber::parse(raw), Err(error), "{why}: {raw:?}");
    }
}

#[test]
fn decree_numbers_keep_their_issuer_and_serial_as_written() {
    for (raw, canonical, issuer, serial, key, why) in [
        (
            "国务院令第711号",
            "国务院令第711号",
            "国务院",
            "711",
            "国务院令第711号",
            "short form",
        ),
        (
            "中华人民共和国国务院令 第 711 号",
            "中华人民共和国国务院令第711号",
            "中华人民共和国国务院",
            "711",
            "国务院令第711号",
            "spaces removed, the state name kept",
        ),
        (
            "中华人民共和国主席令第七十三号",
            "中华人民共和国主席令第七十三号",
            "中华人民共和国主席",
            "七十三",
            "主席令第七十三号",
            "Chinese numerals kept as written",
        ),
        (
            "国务院令第７１１号",
            "国务院令第711号",
            "国务院",
            "711",
            "国务院令第711号",
            "full-width digits",
        ),
        (
            "国令第707号",
            "国令第707号",
            "国",
            "707",
            "国务院令第707号",
            "gov.cn abbreviation 国令",
        ),
        (
            "国务院令第0711号",
            "国务院令第0711号",
            "国务院",
            "0711",
            "国务院令第0711号",
            "nothing but spaces and digit width changes",
        ),
        (
            "中华人民共和国国务院、中华人民共和国中央军事委员会令第290号",
            "中华人民共和国国务院、中华人民共和国中央军事委员会令第290号",
            "中华人民共和国国务院、中华人民共和国中央军事委员会",
            "290",
            "国务院、中华人民共和国中央军事委员会令第290号",
            "joint decree: only the leading state name is dropped from the key",
        ),
        (
            "监察部、人事部、中国人民银行、海关总署、国家外汇管理局令第7号",
            "监察部、人事部、中国人民银行、海关总署、国家外汇管理局令第7号",
            "监察部、人事部、中国人民银行、海关总署、国家外汇管理局",
            "7",
            "监察部、人事部、中国人民银行、海关总署、国家外汇管理局令第7号",
            "five ministries",
        ),
        (
            "民政部令第14号",
            "民政部令第14号",
            "民政部",
            "14",
            "民政部令第14号",
            "ministry decree (部令)",
        ),
        (
            "主席令第三号",
            "主席令第三号",
            "主席",
            "三",
            "主席令第三号",
            "without the state name",
        ),
        (
            "国务院令第一〇一号",
            "国务院令第一〇一号",
            "国务院",
            "一〇一",
            "国务院令第一〇一号",
            "〇 is a numeral",
        ),
    ] {
        let d = DecreeNumber::parse(raw).unwrap_or_else(|e| panic!("{why}: {raw:?}: {e}"));
        assert_eq!(d.to_string(), canonical, "{why}");
        assert_eq!((d.issuer(), d.serial()), (issuer, serial), "{why}");
        assert_eq!(d.lookup_key(), key, "{why}");
        assert_eq!(
            docno::normalize(raw),
            Ok(DocNo::Decree(d)),
            "normalize: {why}"
        );
    }
}

#[test]
fn decree_lookup_matches_with_or_without_the_state_name() {
    let long = docno::normalize("中华人民共和国国务院令第711号").unwrap();
    let short = docno::normalize("国务院令第711号").unwrap();
    let abbreviated = docno::normalize("国令第711号").unwrap();
    assert_ne!(long, short, "stored as written");
    assert_eq!(long.lookup_key(), short.lookup_key());
    assert_eq!(abbreviated.lookup_key(), short.lookup_key());
}

#[test]
fn malformed_decree_numbers_are_rejected_with_the_reason() {
    let s = |t: &str| t.to_owned();
    for (raw, error, why) in [
        ("国务院令711号", E::DecreeMissingDi, "no 第"),
        ("令第711号", E::DecreeMissingIssuer, "no issuer"),
        ("国务院令第号", E::DecreeMissingSerial, "no serial"),
        ("国务院令第711", E::DecreeMissingHao, "no 号"),
        (
            "国务院令第7十1号",
            E::DecreeBadSerial { found: s("7十1") },
            "mixed numerals",
        ),
        ("国务院令第0号", E::SerialZero, "serial zero"),
        (
            "国家教育委员会令第8号、国家体育运动委员会令第11号",
            E::TrailingText {
                text: s("、国家体育运动委员会令第11号"),
            },
            "two decrees in one field",
        ),
        (
            "、国务院令第1号",
            E::DecreeBadIssuer {
                issuer: s("、国务院"),
            },
            "issuer starting with 、",
        ),
        (
            "国务院、、民政部令第1号",
            E::DecreeBadIssuer {
                issuer: s("国务院、、民政部"),
            },
            "doubled 、",
        ),
        (
            "国务院(2021)令第1号",
            E::InvalidCharacter { ch: '(' },
            "brackets in the issuer",
        ),
        (
            "鼓政办〔2021〕12号",
            E::NotADecree,
            "a 发文字号 is not a 令号",
        ),
    ] {
        assert_eq!(
            DecreeNumber::parse(raw),
            Err(error.clone()),
            "{why}: {raw:?}"
        );
        if !matches!(error, E::NotADecree | E::InvalidCharacter { .. }) {
            assert_eq!(
                docno::normalize(raw),
                Err(error),
                "normalize reports the 令号 error: {why}"
            );
        }
    }
}

#[test]
fn normalize_reports_the_error_of_the_form_the_text_looks_like() {
    for (raw, error, why) in [
        (
            "鼓政办〔21〕12号",
            E::YearNotFourDigits {
                found: "21".to_owned(),
            },
            "bracketed: 发文字号",
        ),
        ("鼓政办2021年12号", E::MissingBrackets, "no 令: 发文字号"),
        ("国务院令711号", E::DecreeMissingDi, "令 … 号: 令号"),
        (
            "关于加强命令管理的通知",
            E::MissingYear,
            "a title with 令 is not a 令号",
        ),
        ("", E::Empty, "empty"),
    ] {
        assert_eq!(docno::normalize(raw), Err(error), "{why}");
    }
}

#[test]
fn error_messages_are_chinese_and_say_how_to_write_it() {
    assert_eq!(
        E::MissingYear.to_string(),
        "发文字号缺少年份：须写作 机关代字〔年份〕序号号"
    );
    assert_eq!(
        E::YearNotFourDigits {
            found: "21".to_owned()
        }
        .to_string(),
        "发文字号的年份“21”须为 4 位阿拉伯数字的全称，如〔2021〕"
    );
    assert_eq!(
        E::TrailingText {
            text: "附件".to_owned()
        }
        .to_string(),
        "“号”字后有多余的文字“附件”"
    );
}

#[test]
fn new_checks_like_parse() {
    assert_eq!(
        DocNumber::new("鼓政办", 2020, 60).map(|d| d.to_string()),
        Ok("鼓政办〔2020〕60号".to_owned())
    );
    assert_eq!(DocNumber::new("", 2020, 60), Err(E::MissingAgency));
    assert_eq!(
        DocNumber::new("鼓政办", 1900, 60),
        Err(E::YearOutOfRange { year: 1900 })
    );
    assert_eq!(DocNumber::new("鼓政办", 2020, 0), Err(E::SerialZero));
    assert_eq!(
        DocNumber::new("鼓-政", 2020, 1),
        Err(E::InvalidCharacter { ch: '-' })
    );
}

#[test]
fn serde_uses_the_canonical_text() {
    let d: DocNumber = serde_json::from_str("\"国办发[2021]12号\"").unwrap();
    assert_eq!(serde_json::to_string(&d).unwrap(), "\"国办发〔2021〕12号\"");
    let n: DocNo = serde_json::from_str("\"国务院令 第711号\"").unwrap();
    assert_eq!(serde_json::to_string(&n).unwrap(), "\"国务院令第711号\"");
    assert!(serde_json::from_str::<DocNumber>("\"鼓政办\"").is_err());
    assert_eq!(
        "国办发(2021)12号".parse::<DocNo>().unwrap().to_string(),
        "国办发〔2021〕12号"
    );
}

const AGENCY_START: &[char] = &[
    '国', '鼓', '榕', '闽', '柳', '法', '高', '京', '人', '财', '〇',
];
const AGENCY_REST: &[char] = &[
    '政', '办', '发', '函', '明', '电', '释', '字', '公', '开', '组', '检', '薪', 'A', 'Z', 'b',
    '1', '9', 'Ｑ',
];
const OPEN: &[char] = &[
    '〔', '[', '(', '（', '﹝', '［', '【', '〖', '｛', '{', '〘',
];
const CLOSE: &[char] = &[
    '〕', ']', ')', '）', '﹞', '］', '】', '〗', '｝', '}', '〙',
];
const SPACES: &[&str] = &["", "", "", " ", "\u{3000}", "\u{a0}", "\t"];

fn agency() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(AGENCY_START),
        proptest::collection::vec(proptest::sample::select(AGENCY_REST), 0..8),
    )
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect())
}

fn doc_number() -> impl Strategy<Value = DocNumber> {
    (agency(), 1949u16..=2100, 1u32..=u32::MAX)
        .prop_map(|(agency, year, serial)| DocNumber::new(&agency, year, serial).unwrap())
}

fn full_width_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap(),
            _ => c,
        })
        .collect()
}

proptest! {
    #[test]
    fn display_parses_back_to_the_same_number(d in doc_number()) {
        prop_assert_eq!(DocNumber::parse(&d.to_string()), Ok(d.clone()));
        prop_assert_eq!(docno::normalize(&d.to_string()), Ok(DocNo::Standard(d)));
    }

    #[test]
    fn every_decorated_variant_parses_to_the_canonical_number(
        d in doc_number(),
        open in proptest::sample::select(OPEN),
        close in proptest::sample::select(CLOSE),
        di in any::<bool>(),
        zeros in 0usize..4,
        wide in any::<bool>(),
        spaces in proptest::collection::vec(proptest::sample::select(SPACES), 64),
    ) {
        let serial = format!("{}{}", "0".repeat(zeros), d.serial());
        let plain = format!(
            "{}{open}{}{close}{}{serial}号",
            d.agency(),
            d.year(),
            if di { "第" } else { "" },
        );
        let plain = if wide { full_width_digits(&plain) } else { plain };
        let decorated: String = plain
            .chars()
            .zip(spaces.iter().cycle())
            .flat_map(|(c, space)| space.chars().chain(std::iter::once(c)))
            .collect();
        prop_assert_eq!(DocNumber::parse(&decorated), Ok(d));
    }

    #[test]
    fn normalize_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = docno::normalize(&s);
    }

    #[test]
    fn normalize_never_panics_on_near_misses(
        s in proptest::collection::vec(
            proptest::sample::select(&['国', '办', '发', '令', '第', '号', '〔', '〕', '(', ']', '2', '0', '１', ' ', '、', '七'][..]),
            0..16,
        )
    ) {
        let s: String = s.into_iter().collect();
        if let Ok(d) = docno::normalize(&s) {
            // Whatever is accepted is a fixed point of normalization.
            prop_assert_eq!(docno::normalize(&d.to_string()), Ok(d));
        }
    }

    #[test]
    fn decree_numbers_parse_back_to_themselves(
        issuer in proptest::collection::vec(proptest::sample::select(&['国', '务', '院', '民', '政', '部'][..]), 1..8),
        serial in 1u32..100_000,
    ) {
        let issuer: String = issuer.into_iter().collect();
        let d = DecreeNumber::parse(&format!("{issuer}令第{serial}号")).unwrap();
        prop_assert_eq!(DecreeNumber::parse(&d.to_string()), Ok(d));
    }
}

#[test]
fn partial_doc_numbers_name_what_they_give() {
    use docno::PartialDocNumber as P;
    let p = |agency: Option<&str>, year: Option<u16>, serial: u32| {
        Some(P {
            agency: agency.map(str::to_owned),
            year,
            serial,
        })
    };
    let cases = [
        (
            "榕政办53号",
            p(Some("榕政办"), None, 53),
            "agency and serial, the year forgotten",
        ),
        ("榕政办第53号", p(Some("榕政办"), None, 53), "with 第"),
        (
            "榕政办 053 号",
            p(Some("榕政办"), None, 53),
            "spaces and a leading zero",
        ),
        (
            "榕政办５３号",
            p(Some("榕政办"), None, 53),
            "full-width digits",
        ),
        (
            "2021年53号",
            p(None, Some(2021), 53),
            "year and serial, the agency forgotten",
        ),
        (
            "〔2021〕53号",
            p(None, Some(2021), 53),
            "bracketed year without agency",
        ),
        (
            "[2021]第053号",
            p(None, Some(2021), 53),
            "square brackets, 第, leading zero",
        ),
        (
            "榕政办2021年53号",
            p(Some("榕政办"), Some(2021), 53),
            "年 instead of brackets",
        ),
        (
            "闽政办函2020年7号",
            p(Some("闽政办函"), Some(2020), 7),
            "a four-character agency",
        ),
    ];
    for (raw, want, why) in cases {
        assert_eq!(docno::partial(raw), want, "{raw}: {why}");
    }
    let not = [
        ("53号", "a serial alone names nothing"),
        ("国务院令第711号", "a 令号 is read by normalize"),
        ("榕政办", "no serial"),
        ("榕政办53", "no 号"),
        ("榕政办0号", "serial 0"),
        ("21年53号", "a two-digit year is never guessed"),
        ("1900年53号", "year before 1949"),
        ("〔20a1〕53号", "not a year"),
        ("ABC53号", "agency must start with a Chinese character"),
        ("政务公开", "ordinary words"),
        ("", "empty"),
    ];
    for (raw, why) in not {
        assert_eq!(docno::partial(raw), None, "{raw}: {why}");
    }
}

#[test]
fn a_search_box_reads_numbers_missing_hao_or_di() {
    // Compared by lookup key: 国令 stands for 国务院令.
    let canonical = |raw: &str| docno::lenient(raw).map(|n| n.lookup_key());
    let key = |want: &str| docno::normalize(want).unwrap().lookup_key();
    for (raw, want) in [
        ("国办发〔2018〕128号", "国办发〔2018〕128号"),
        ("国办发〔2018〕128", "国办发〔2018〕128号"),
        ("国办发[2018]128", "国办发〔2018〕128号"),
        ("国办发（2018）１２８", "国办发〔2018〕128号"),
        ("国办发2018年128号", "国办发〔2018〕128号"),
        ("国办发2018年第128号", "国办发〔2018〕128号"),
        ("国务院令721号", "国务院令第721号"),
        ("国务院令 721 号", "国务院令第721号"),
        ("国令721号", "国务院令第721号"),
        ("中华人民共和国国务院令721", "国务院令第721号"),
        ("主席令七十三号", "主席令第七十三号"),
    ] {
        assert_eq!(canonical(raw), Some(key(want)), "{raw}");
    }
    for raw in ["", "政务公开", "令721号", "721", "国办发", "2021年", "命令"] {
        assert_eq!(canonical(raw), None, "{raw}");
    }
}
