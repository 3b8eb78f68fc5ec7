use gongkai_domain::application::{Delivery, InfoForm, validate_application};
use gongkai_domain::request::ApplicantType;
use serde_json::{Value, json};

fn good() -> Value {
    json!({
        "org": "GL00101",
        "applicant_type": "natural_person",
        "applicant": {"name": "张三", "id_number": "350102199003071234", "phone": "13905912345"},
        "description": "鼓政办〔2026〕12号文件的全文",
        "purpose": "了解政策",
        "form": "electronic",
        "delivery": "online"
    })
}

fn fields(v: &Value) -> Vec<&'static str> {
    validate_application(v)
        .unwrap_err()
        .into_iter()
        .map(|p| p.field)
        .collect()
}

#[test]
fn a_complete_application_is_read() {
    let mut v = good();
    v["applicant"]["email"] = "zhang@example.com".into();
    v["delivery"] = "email".into();
    let a = validate_application(&v).unwrap();
    assert_eq!(a.org.as_str(), "GL00101");
    assert_eq!(a.applicant_type, ApplicantType::NaturalPerson);
    assert_eq!(a.applicant.phone.as_deref(), Some("13905912345"));
    assert_eq!(
        (a.form, a.delivery),
        (Some(InfoForm::Electronic), Some(Delivery::Email))
    );
    // Debug never shows the person.
    assert!(!format!("{a:?}").contains("张三"));
}

#[test]
fn each_missing_field_of_article_29_is_named() {
    assert_eq!(
        fields(&json!({})),
        [
            "org",
            "applicant_type",
            "applicant.name",
            "applicant.id_number",
            "applicant.phone",
            "description"
        ]
    );
    let mut v = good();
    v["applicant"] = json!({"name": "张三", "id_number": "350102199003071234"});
    v["delivery"] = "email".into();
    assert_eq!(
        fields(&v),
        ["applicant.phone", "applicant.email"],
        "no contact, and email delivery"
    );
}

#[test]
fn bad_values_are_named_with_a_reason() {
    let mut v = good();
    v["applicant"]["id_number"] = "350102199003071235".into();
    v["applicant"]["phone"] = "call me".into();
    v["applicant"]["email"] = "not-an-address".into();
    v["description"] = "文件".into();
    v["form"] = "fax".into();
    v["extra"] = 1.into();
    let problems = validate_application(&v).unwrap_err();
    let got: Vec<&str> = problems.iter().map(|p| p.field).collect();
    assert_eq!(
        got,
        [
            "(行)",
            "applicant.id_number",
            "applicant.phone",
            "applicant.email",
            "description",
            "form"
        ]
    );
    assert!(problems[1].message.contains("校验位"));
    // A passport number or an organization's code is not checked as a resident ID.
    let mut v = good();
    v["applicant"]["id_number"] = "E12345678".into();
    assert!(validate_application(&v).is_ok());
    let mut v = good();
    v["applicant_type"] = "legal.commercial".into();
    v["applicant"] =
        json!({"name": "某某公司", "id_number": "91350100MA2XXXXX0X", "address": "福州市鼓楼区"});
    v["delivery"] = "post".into();
    assert!(validate_application(&v).is_ok());
    v["applicant"]["address"] = Value::Null;
    v["applicant"]["phone"] = "0591-87654321".into();
    assert_eq!(fields(&v), ["applicant.address"], "post needs an address");
    assert_eq!(fields(&json!("text")), ["(行)"]);
}
