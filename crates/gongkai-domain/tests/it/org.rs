use gongkai_domain::org::{OrgCode, OrgCodeError as E, OrgKind, Role};
use proptest::prelude::*;

#[test]
fn org_codes_are_ascii_letters_digits_underscore_and_hyphen() {
    for (code, why) in [
        ("GWY", "gov.cn corpus"),
        ("SHANGHAI-RDCW", "laws corpus, hyphen"),
        ("FZ00101", "Fuzhou"),
        ("000014349", "gov.cn organization code, digits first"),
        ("11341702486344515H", "统一社会信用代码"),
        ("gulou_gxj", "lower case and underscore"),
        ("a", "one character"),
        ("A234567890123456789012345678901Z", "32 characters"),
    ] {
        let parsed = OrgCode::parse(code).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(parsed.as_str(), code, "{why}");
        assert_eq!(parsed.to_string(), code, "{why}");
    }
}

#[test]
fn other_org_codes_are_rejected_with_the_reason() {
    let s = |t: &str| t.to_owned();
    for (code, error, why) in [
        ("", E::Empty, "empty"),
        (
            "A2345678901234567890123456789012X",
            E::TooLong {
                code: s("A2345678901234567890123456789012X"),
            },
            "33 characters",
        ),
        ("-GWY", E::BadStart { code: s("-GWY") }, "hyphen first"),
        ("_GWY", E::BadStart { code: s("_GWY") }, "underscore first"),
        (
            "GW Y",
            E::InvalidCharacter {
                code: s("GW Y"),
                ch: ' ',
            },
            "space",
        ),
        (
            " GWY",
            E::InvalidCharacter {
                code: s(" GWY"),
                ch: ' ',
            },
            "not trimmed",
        ),
        (
            "鼓政办",
            E::InvalidCharacter {
                code: s("鼓政办"),
                ch: '鼓',
            },
            "Chinese is a short name, not a code",
        ),
        (
            "GWY/1",
            E::InvalidCharacter {
                code: s("GWY/1"),
                ch: '/',
            },
            "slash would break URLs",
        ),
        (
            "ＧＷＹ",
            E::InvalidCharacter {
                code: s("ＧＷＹ"),
                ch: 'Ｇ',
            },
            "full-width letters",
        ),
    ] {
        assert_eq!(OrgCode::parse(code), Err(error), "{why}: {code:?}");
    }
}

#[test]
fn org_code_serde_checks_the_code() {
    let c: OrgCode = serde_json::from_str("\"GWY\"").unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), "\"GWY\"");
    assert!(serde_json::from_str::<OrgCode>("\"G W\"").is_err());
}

#[test]
fn roles_have_codes_and_labels() {
    for (role, code, label) in [
        (Role::Clerk, "clerk", "经办人"),
        (Role::Reviewer, "reviewer", "审核人"),
        (Role::Approver, "approver", "签发人"),
        (Role::Office, "office", "政务公开办"),
        (Role::Admin, "admin", "平台管理员"),
    ] {
        assert_eq!((role.code(), role.label()), (code, label));
        assert_eq!(Role::from_code(code), Ok(role));
        assert_eq!(Role::from_label(label), Ok(role));
        assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{code}\""));
    }
    assert_eq!(Role::all().len(), 5);
    assert_eq!(
        Role::from_code("boss").unwrap_err().to_string(),
        "未知的角色：“boss”（可选：clerk、reviewer、approver、office、admin）"
    );
}

#[test]
fn org_kinds_have_codes_and_labels() {
    for (kind, code, label) in [
        (OrgKind::Government, "government", "人民政府"),
        (OrgKind::Office, "office", "办公室/办公厅"),
        (OrgKind::Department, "department", "部门"),
        (OrgKind::Subdistrict, "subdistrict", "街道"),
        (OrgKind::Town, "town", "乡镇"),
        (OrgKind::Community, "community", "社区"),
        (OrgKind::Other, "other", "其他"),
    ] {
        assert_eq!((kind.code(), kind.label()), (code, label));
        assert_eq!(OrgKind::from_code(code), Ok(kind));
        assert_eq!(OrgKind::from_label(label), Ok(kind));
    }
    assert_eq!(OrgKind::from_label("办公厅"), Ok(OrgKind::Office));
    assert_eq!(OrgKind::from_label("街道办事处"), Ok(OrgKind::Subdistrict));
}

proptest! {
    #[test]
    fn valid_codes_round_trip(code in "[A-Za-z0-9][A-Za-z0-9_-]{0,31}") {
        let parsed = OrgCode::parse(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn parse_never_panics(s in any::<String>()) {
        let _ = OrgCode::parse(&s);
    }
}
