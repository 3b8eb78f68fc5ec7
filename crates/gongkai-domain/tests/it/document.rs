use gongkai_domain::document::{
    Body, DisclosureTerm, DocKind, DocStatus, DocumentLine, LineProblem, Validity, validate_line,
};
use serde_json::{Value, json};
use time::macros::date;

/// A valid line in the corpus shape, with `changes` applied (a `null` removes nothing: it sets
/// the key to null; use [`without`] to remove a key).
fn line(changes: Value) -> String {
    let mut base = json!({
        "org": "GWYBGT",
        "title": "国务院办公厅关于印发2021年政务公开工作要点的通知",
        "doc_number": "国办发〔2021〕12号",
        "issuer": "国务院办公厅",
        "topic": "综合政务\\政务公开",
        "kind": "通知",
        "written_date": "2021-04-23",
        "published_date": "2021-05-05",
        "validity": "valid",
        "column": "法定主动公开内容/政策文件",
        "body_text": "各省、自治区、直辖市人民政府：\n现将《2021年政务公开工作要点》印发给你们。"
    });
    if let (Value::Object(base), Value::Object(changes)) = (&mut base, changes) {
        base.extend(changes);
    }
    base.to_string()
}

fn without(key: &str) -> String {
    let mut value: Value = serde_json::from_str(&line(json!({}))).unwrap();
    value.as_object_mut().unwrap().remove(key);
    value.to_string()
}

/// The (field, message) pairs of the errors of a line that must fail.
fn errors(json: &str) -> Vec<(&'static str, String)> {
    match validate_line(json) {
        Ok((doc, _)) => panic!("accepted: {doc:?}"),
        Err(problems) => problems.into_iter().map(|p| (p.field, p.message)).collect(),
    }
}

#[test]
fn a_corpus_line_is_valid() {
    let (doc, warnings) = validate_line(&line(json!({}))).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(doc.org.as_str(), "GWYBGT");
    assert_eq!(
        doc.title,
        "国务院办公厅关于印发2021年政务公开工作要点的通知"
    );
    assert_eq!(doc.doc_number.as_deref(), Some("国办发〔2021〕12号"));
    assert!(doc.doc_number_parsed);
    assert_eq!(doc.issuer.as_deref(), Some("国务院办公厅"));
    assert_eq!(doc.topic.code(), "0201");
    assert_eq!(doc.kind, DocKind::Circular);
    assert_eq!(doc.written_date, date!(2021 - 04 - 23));
    assert_eq!(doc.published_date, date!(2021 - 05 - 05));
    assert_eq!(doc.validity, Validity::Valid);
    assert_eq!(doc.column.to_string(), "法定主动公开内容/政策文件");
    assert!(matches!(doc.body, Body::Text(ref t) if t.starts_with("各省")));
}

#[test]
fn accepted_variations_of_a_line() {
    for (changes, check, why) in [
        (
            json!({"doc_number": "国办发[2021]12号"}),
            "doc_number=国办发〔2021〕12号",
            "doc number normalized",
        ),
        (
            json!({"doc_number": "中华人民共和国国务院令 第７１１号"}),
            "doc_number=中华人民共和国国务院令第711号",
            "decree number: spaces removed, digits half-width",
        ),
        (
            json!({"doc_number": null}),
            "doc_number=",
            "null doc number",
        ),
        (
            json!({"doc_number": "  "}),
            "doc_number=",
            "blank doc number",
        ),
        (json!({"issuer": null}), "issuer=", "null issuer"),
        (
            json!({"issuer": " 国务院 "}),
            "issuer=国务院",
            "issuer trimmed",
        ),
        (json!({"title": "  标题  "}), "title=标题", "title trimmed"),
        (json!({"org": " GWY "}), "org=GWY", "org trimmed"),
        (
            json!({"validity": "expired"}),
            "validity=expired",
            "expired",
        ),
        (
            json!({"validity": "repealed"}),
            "validity=repealed",
            "repealed",
        ),
        (
            json!({"validity": "amended"}),
            "validity=amended",
            "amended",
        ),
        (
            json!({"validity": "废止"}),
            "validity=repealed",
            "Chinese label",
        ),
        (
            json!({"validity": "有效"}),
            "validity=valid",
            "Chinese label 有效",
        ),
        (
            json!({"kind": "命令（令）"}),
            "kind=order",
            "corpus label of 命令",
        ),
        (json!({"kind": "令"}), "kind=order", "令 alias"),
        (json!({"kind": "命令"}), "kind=order", "命令 alias"),
        (
            json!({"kind": "行政法规"}),
            "kind=administrative_regulation",
            "legal text class",
        ),
        (json!({"kind": "circular"}), "kind=circular", "storage code"),
        (json!({"topic": "其他"}), "topic=2200", "first level only"),
        (
            json!({"topic": "科技、教育/科技"}),
            "topic=1101",
            "slash separator",
        ),
        (
            json!({"column": "政府信息公开年报"}),
            "column=政府信息公开年度报告",
            "alias column",
        ),
        (
            json!({"column": "依申请公开/指南"}),
            "column=依申请公开/指南",
            "new second level",
        ),
        (
            json!({"written_date": "2021-05-05"}),
            "written=2021-05-05",
            "same day",
        ),
        (
            json!({"body_text": null, "body_html": "<p>正文</p>"}),
            "body=html",
            "HTML body",
        ),
        (json!({"body_text": null}), "body=empty", "no body at all"),
        (
            json!({"extra": 1, "来源": "gov.cn"}),
            "org=GWYBGT",
            "unknown keys are ignored",
        ),
    ] {
        let (doc, _) = validate_line(&line(changes)).unwrap_or_else(|e| panic!("{why}: {e:?}"));
        let (key, expected) = check.split_once('=').unwrap();
        let actual = match key {
            "doc_number" => doc.doc_number.clone().unwrap_or_default(),
            "issuer" => doc.issuer.clone().unwrap_or_default(),
            "title" => doc.title.clone(),
            "org" => doc.org.to_string(),
            "validity" => doc.validity.code().to_owned(),
            "kind" => doc.kind.code().to_owned(),
            "topic" => doc.topic.code(),
            "column" => doc.column.to_string(),
            "written" => doc.written_date.to_string(),
            "body" => match &doc.body {
                Body::Html(_) => "html".to_owned(),
                Body::Text(t) if t.is_empty() => "empty".to_owned(),
                Body::Text(_) => "text".to_owned(),
            },
            _ => unreachable!(),
        };
        assert_eq!(actual, expected, "{why}");
    }
}

#[test]
fn odd_doc_numbers_are_kept_with_a_warning() {
    for (raw, kept, why) in [
        ("鼓政办〔21〕12号", "鼓政办〔21〕12号", "2-digit year"),
        (" 内部资料 ", "内部资料", "not a number at all, trimmed"),
        (
            "国家教育委员会令第8号、国家体育运动委员会令第11号",
            "国家教育委员会令第8号、国家体育运动委员会令第11号",
            "two decrees (laws corpus)",
        ),
    ] {
        let (doc, warnings) = validate_line(&line(json!({ "doc_number": raw })))
            .unwrap_or_else(|e| panic!("{why}: {e:?}"));
        assert_eq!(doc.doc_number.as_deref(), Some(kept), "{why}");
        assert!(!doc.doc_number_parsed, "{why}");
        assert_eq!(warnings.len(), 1, "{why}");
        assert_eq!(warnings[0].field, "doc_number", "{why}");
        assert!(
            warnings[0]
                .message
                .starts_with(&format!("发文字号无法识别，按原样保存：{kept}（")),
            "{why}: {}",
            warnings[0].message
        );
    }
    let (doc, warnings) = validate_line(&line(json!({ "doc_number": 12 }))).unwrap();
    assert_eq!(
        doc.doc_number.as_deref(),
        Some("12"),
        "a number is kept as its text"
    );
    assert_eq!(warnings.len(), 1);
}

#[test]
fn each_bad_field_is_reported_with_its_name() {
    for (json, field, message, why) in [
        ("{", "(行)", "不是有效的 JSON", "truncated JSON"),
        ("", "(行)", "不是有效的 JSON", "empty line"),
        ("[1, 2]", "(行)", "每行须是一个 JSON 对象", "an array"),
        ("\"text\"", "(行)", "每行须是一个 JSON 对象", "a string"),
        (&without("org"), "org", "缺少必填字段", "missing org"),
        (
            &line(json!({"org": null})),
            "org",
            "缺少必填字段",
            "null org",
        ),
        (
            &line(json!({"org": "鼓政办"})),
            "org",
            "机关代码“鼓政办”含有字符“鼓”",
            "org not a code",
        ),
        (
            &line(json!({"org": 7})),
            "org",
            "须为字符串，不能是数字",
            "org a number",
        ),
        (&without("title"), "title", "缺少必填字段", "missing title"),
        (
            &line(json!({"title": "   "})),
            "title",
            "标题为空",
            "blank title",
        ),
        (
            &line(json!({"title": "长".repeat(501)})),
            "title",
            "标题过长：最多 500 个字，现有 501 个字",
            "title too long",
        ),
        (
            &line(json!({"title": ["a"]})),
            "title",
            "须为字符串，不能是数组",
            "title an array",
        ),
        (
            &line(json!({"issuer": "机".repeat(201)})),
            "issuer",
            "发文机关过长",
            "issuer too long",
        ),
        (
            &line(json!({"issuer": true})),
            "issuer",
            "须为字符串或 null，不能是布尔值",
            "issuer a boolean",
        ),
        (
            &line(json!({"doc_number": {"a": 1}})),
            "doc_number",
            "须为字符串或 null，不能是对象",
            "doc_number an object",
        ),
        (&without("topic"), "topic", "缺少必填字段", "missing topic"),
        (
            &line(json!({"topic": "政务公开"})),
            "topic",
            "未知的主题分类一级类目“政务公开”",
            "unknown topic",
        ),
        (
            &line(json!({"topic": "综合政务\\网站"})),
            "topic",
            "主题分类“综合政务”下没有二级类目“网站”",
            "unknown second level",
        ),
        (&without("kind"), "kind", "缺少必填字段", "missing kind"),
        (
            &line(json!({"kind": "规定"})),
            "kind",
            "未知的公文种类：“规定”",
            "unknown kind",
        ),
        (
            &without("written_date"),
            "written_date",
            "缺少必填字段",
            "missing written date",
        ),
        (
            &line(json!({"written_date": "2021-02-30"})),
            "written_date",
            "成文日期“2021-02-30”不是有效日期：2021 年 2 月没有 30 日",
            "impossible written date",
        ),
        (
            &line(json!({"written_date": "2021/04/23"})),
            "written_date",
            "成文日期“2021/04/23”格式不对：须写作 YYYY-MM-DD",
            "written date with slashes",
        ),
        (
            &line(json!({"written_date": ""})),
            "written_date",
            "成文日期为空",
            "empty written date",
        ),
        (
            &line(json!({"published_date": "2021-13-01"})),
            "published_date",
            "发布日期“2021-13-01”不是有效日期：没有 13 月",
            "impossible published date",
        ),
        (
            &without("published_date"),
            "published_date",
            "缺少必填字段",
            "missing published date",
        ),
        (
            &line(json!({"written_date": "2021-05-06"})),
            "written_date",
            "成文日期 2021-05-06 晚于发布日期 2021-05-05",
            "written after published",
        ),
        (
            &without("validity"),
            "validity",
            "缺少必填字段",
            "missing validity",
        ),
        (
            &line(json!({"validity": "invalid"})),
            "validity",
            "未知的有效性：“invalid”",
            "unknown validity",
        ),
        (
            &without("column"),
            "column",
            "缺少必填字段",
            "missing column",
        ),
        (
            &line(json!({"column": "新闻动态"})),
            "column",
            "一级栏目“新闻动态”不是统一的政府信息公开专栏栏目",
            "column outside the unified structure",
        ),
        (
            &line(json!({"column": "法定主动公开内容/"})),
            "column",
            "“法定主动公开内容”后的二级栏目为空",
            "empty second-level column",
        ),
        (
            &line(json!({"body_html": "<p>x</p>"})),
            "body_html",
            "body_html 与 body_text 只能给出一个",
            "both bodies",
        ),
        (
            &line(json!({"body_text": 5})),
            "body_text",
            "须为字符串或 null，不能是数字",
            "body a number",
        ),
    ] {
        let found = errors(json);
        assert_eq!(found.len(), 1, "{why}: {found:?}");
        assert_eq!(found[0].0, field, "{why}");
        assert!(
            found[0].1.contains(message),
            "{why}: {:?} does not contain {message:?}",
            found[0].1
        );
    }
}

#[test]
fn all_errors_of_a_line_are_collected() {
    let json = line(json!({
        "org": "",
        "title": "",
        "topic": "不存在",
        "kind": "规定",
        "written_date": "2021-02-30",
        "published_date": "05/05/2021",
        "validity": "?",
        "column": "首页",
        "body_html": "<p/>",
        "doc_number": "乱写的",
    }));
    let fields: Vec<&str> = errors(&json).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "org",
            "title",
            "topic",
            "kind",
            "written_date",
            "published_date",
            "validity",
            "column",
            "body_html"
        ]
    );
}

#[test]
fn missing_fields_are_all_reported() {
    let fields: Vec<&str> = errors("{}").into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "org",
            "title",
            "topic",
            "kind",
            "written_date",
            "published_date",
            "validity",
            "column"
        ]
    );
}

#[test]
fn a_problem_displays_its_field_and_message() {
    let problem = LineProblem {
        field: "title",
        message: "标题为空".to_owned(),
    };
    assert_eq!(problem.to_string(), "title：标题为空");
}

#[test]
fn a_deserialized_line_validates_the_same_and_exports_back() {
    let text = line(json!({"doc_number": "国办发(2021)12号", "validity": "有效"}));
    let parsed: DocumentLine = serde_json::from_str(&text).unwrap();
    let (doc, warnings) = parsed.validate().unwrap();
    assert_eq!(validate_line(&text), Ok((doc.clone(), warnings)));
    let exported = DocumentLine::from(&doc);
    assert_eq!(exported.doc_number.as_deref(), Some("国办发〔2021〕12号"));
    assert_eq!(exported.validity, "valid");
    assert_eq!(exported.topic, "综合政务\\政务公开");
    assert_eq!(exported.written_date, "2021-04-23");
    let again = serde_json::to_string(&exported).unwrap();
    assert_eq!(validate_line(&again).map(|(d, _)| d), Ok(doc));
}

#[test]
fn doc_kinds_cover_the_15_kinds_and_the_legal_classes() {
    let labels: Vec<&str> = DocKind::all().iter().map(|k| k.label()).collect();
    assert_eq!(
        labels,
        [
            "决议",
            "决定",
            "命令（令）",
            "公报",
            "公告",
            "通告",
            "意见",
            "通知",
            "通报",
            "报告",
            "请示",
            "批复",
            "议案",
            "函",
            "纪要",
            "法律",
            "行政法规",
            "部门规章",
            "地方政府规章",
            "地方性法规",
            "司法解释",
            "规范性文件",
            "方案",
            "其他"
        ]
    );
    for kind in DocKind::all() {
        assert_eq!(DocKind::from_code(kind.code()), Ok(*kind), "{kind}");
        assert_eq!(DocKind::from_label(kind.label()), Ok(*kind), "{kind}");
        assert_eq!(
            serde_json::to_string(kind).unwrap(),
            format!("\"{}\"", kind.code())
        );
        assert!(
            kind.code()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{kind}"
        );
    }
    assert_eq!(
        DocKind::from_label("规定").unwrap_err().to_string(),
        format!("未知的公文种类：“规定”（可选：{}）", labels.join("、"))
    );
}

#[test]
fn validity_terms_and_statuses_have_codes_and_labels() {
    for (v, code, label) in [
        (Validity::Valid, "valid", "有效"),
        (Validity::Expired, "expired", "失效"),
        (Validity::Repealed, "repealed", "废止"),
        (Validity::Amended, "amended", "已修订"),
    ] {
        assert_eq!((v.code(), v.label()), (code, label));
        assert_eq!(Validity::from_code(code), Ok(v));
        assert_eq!(Validity::parse(label), Ok(v));
        assert_eq!(v.in_force(), v == Validity::Valid);
    }
    for (t, code, label) in [
        (DisclosureTerm::LongTerm, "long_term", "长期公开"),
        (DisclosureTerm::Periodic, "periodic", "定期公开"),
        (DisclosureTerm::Immediate, "immediate", "即时公开"),
    ] {
        assert_eq!((t.code(), t.label()), (code, label));
        assert_eq!(DisclosureTerm::from_code(code), Ok(t));
    }
    for (s, code, label, public) in [
        (DocStatus::Draft, "draft", "草稿", false),
        (DocStatus::Published, "published", "已发布", true),
        (DocStatus::Withdrawn, "withdrawn", "已撤回", false),
    ] {
        assert_eq!((s.code(), s.label(), s.is_public()), (code, label, public));
        assert_eq!(DocStatus::from_code(code), Ok(s));
        assert_eq!(
            serde_json::from_str::<DocStatus>(&format!("\"{code}\"")).unwrap(),
            s
        );
    }
}

#[test]
fn validate_line_never_panics_on_garbage() {
    for json in [
        "null",
        "1",
        "{\"org\":{}}",
        "{\"title\":\"\\ud800\"}",
        "\u{0}",
        "{}{}",
    ] {
        let _ = validate_line(json);
    }
}

#[test]
fn a_record_out_of_force_may_carry_the_day_it_stopped() {
    use gongkai_domain::validate_line;
    let ok = validate_line(&line(
        json!({"validity": "repealed", "validity_changed_date": "2024-06-30"}),
    ))
    .unwrap()
    .0;
    assert_eq!(
        ok.validity_changed_date,
        Some(time::macros::date!(2024 - 06 - 30))
    );
    let exported = gongkai_domain::document::DocumentLine::from(&ok);
    assert_eq!(
        exported.validity_changed_date.as_deref(),
        Some("2024-06-30")
    );
    assert_eq!(
        validate_line(&line(json!({"validity": "repealed"})))
            .unwrap()
            .0
            .validity_changed_date,
        None
    );
    for (changes, message) in [
        (
            json!({"validity": "valid", "validity_changed_date": "2024-06-30"}),
            "有效的文件",
        ),
        (
            json!({"validity": "expired", "validity_changed_date": "2021-04-22"}),
            "早于成文日期",
        ),
        (
            json!({"validity": "expired", "validity_changed_date": "2024-02-30"}),
            "失效或废止日期",
        ),
    ] {
        let e = errors(&line(changes));
        assert!(
            e.iter()
                .any(|(f, m)| *f == "validity_changed_date" && m.contains(message)),
            "{e:?}"
        );
    }
}
