//! The HTTP API for documents: the publication story through it, its errors, and the
//! OpenAPI document checked against the router.
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongkai_app::auth::{create_user, issue_token, revoke_tokens};
use gongkai_domain::Role;
use serde_json::{Value, json};

use crate::{Site, site};

async fn token(s: &Site, user: &str, org: &str, role: Role) -> String {
    create_user(&s.app, user, user, "correct-horse-9", &[(org, role)])
        .await
        .unwrap();
    issue_token(&s.app, user).await.unwrap()
}

async fn call(
    s: &Site,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let bearer = format!("Bearer {token}");
    let headers: &[(&str, &str)] = if token.is_empty() {
        &[]
    } else {
        &[("authorization", &bearer)]
    };
    call_with(s, method, uri, headers, body).await
}

fn line(body: &str) -> Value {
    json!({
        "org": "GL00101",
        "title": "关于公布低保审批结果的公告",
        "topic": "综合政务\\政务公开",
        "kind": "公告",
        "written_date": "2026-12-01",
        "validity": "valid",
        "column": "法定主动公开内容/政策文件",
        "body_text": body,
    })
}

#[tokio::test]
async fn a_draft_is_published_through_the_api_with_three_signers() {
    let s = site().await;
    let clerk = token(&s, "clerk1", "GL00101", Role::Clerk).await;
    let reviewer = token(&s, "reviewer1", "GL00101", Role::Reviewer).await;
    let approver = token(&s, "approver1", "GL00101", Role::Approver).await;
    let outsider = token(&s, "other", "LH00201", Role::Approver).await;

    let (st, v) = call(
        &s,
        Method::POST,
        "/api/v1/documents",
        &clerk,
        Some(line("张三，身份证号 350102199003071234。")),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "draft");
    let id = v["id"].as_i64().unwrap();
    let doc = format!("/api/v1/documents/{id}");
    let act = |a: &str| format!("{doc}/actions/{a}");

    let (st, v) = call(&s, Method::GET, &doc, &outsider, None).await;
    assert_eq!(
        (st, v["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (st, _) = call(&s, Method::POST, &act("submit"), &clerk, None).await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = call(&s, Method::POST, &act("review"), &reviewer, None).await;
    assert_eq!(
        (st, v["error"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("unresolved_findings")
        )
    );
    let (st, v) = call(&s, Method::POST, &act("review"), &clerk, None).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (_, v) = call(&s, Method::GET, &doc, &reviewer, None).await;
    assert_eq!(v["findings"][0]["masked"], "350102********1234");
    assert_eq!(v["findings"][0]["resolution"], Value::Null);
    let (st, v) = call(
        &s,
        Method::POST,
        &format!("{doc}/findings/1"),
        &reviewer,
        Some(json!({"resolution": "redact"})),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["unresolved_findings"], 0);
    assert!(
        v["body_html"]
            .as_str()
            .unwrap()
            .contains("350102********1234")
    );
    let (st, _) = call(&s, Method::POST, &act("review"), &reviewer, None).await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = call(&s, Method::POST, &act("publish"), &clerk, None).await;
    assert_eq!(
        (st, v["error"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_state"))
    );
    let (st, v) = call(&s, Method::POST, &act("return"), &approver, Some(json!({}))).await;
    assert_eq!(
        (st, v["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason_required"))
    );
    let (st, _) = call(&s, Method::POST, &act("approve"), &approver, None).await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = call(&s, Method::POST, &act("publish"), &clerk, None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "published");
    assert!(v["index_number"].as_str().unwrap().starts_with("GL00101"));
    let actions: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "document.create",
            "document.submit",
            "document.redact",
            "document.review",
            "document.approve",
            "document.publish"
        ]
    );
    assert_eq!(s.get(&format!("/doc/{id}")).await.status, StatusCode::OK);

    // Revoked tokens stop working.
    revoke_tokens(&s.app, "clerk1").await.unwrap();
    let (st, v) = call(&s, Method::GET, &doc, &clerk, None).await;
    assert_eq!(
        (st, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
}

#[tokio::test]
async fn bad_input_gets_a_json_error_naming_the_field() {
    let s = site().await;
    let clerk = token(&s, "clerk1", "GL00101", Role::Clerk).await;
    let (st, v) = call(&s, Method::POST, "/api/v1/documents", "", Some(line("x"))).await;
    assert_eq!(
        (st, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (st, v) = call(
        &s,
        Method::POST,
        "/api/v1/documents",
        "forged",
        Some(line("x")),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    let mut bad = line("x");
    bad["written_date"] = json!("2026-02-30");
    let (st, v) = call(&s, Method::POST, "/api/v1/documents", &clerk, Some(bad)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(
        v["message"].as_str().unwrap().contains("written_date"),
        "{v}"
    );
    let mut other = line("x");
    other["org"] = json!("LH00201");
    let (st, _) = call(&s, Method::POST, "/api/v1/documents", &clerk, Some(other)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let req = Request::post("/api/v1/documents")
        .header(header::AUTHORIZATION, format!("Bearer {clerk}"))
        .body(Body::from("{not json"))
        .unwrap();
    let p = s.request(req).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let (st, _) = call(
        &s,
        Method::POST,
        "/api/v1/documents/1/actions/dance",
        &clerk,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = call(&s, Method::GET, "/api/v1/documents/abc", &clerk, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_operation_of_the_openapi_document_is_routed() {
    let s = site().await;
    let (st, doc) = call(&s, Method::GET, "/api/v1/openapi.json", "", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 13);
    for (path, ops) in paths {
        for (method, _) in ops.as_object().unwrap() {
            let uri = path
                .replace("{id}", "1")
                .replace("{action}", "submit")
                .replace("{n}", "1")
                .replace("{tracking}", "YS20261202-ABCDEFGH");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (st, v) = call(&s, m, &uri, "", None).await;
            // Routed: the handler answered (401 without a token, 400 without a query, 200).
            assert!(
                matches!(
                    st,
                    StatusCode::OK | StatusCode::UNAUTHORIZED | StatusCode::BAD_REQUEST
                ),
                "{method} {path}: {st} {v}"
            );
        }
    }
}

async fn call_with(
    s: &Site,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let p = s.request(req).await;
    (
        p.status,
        serde_json::from_str(&p.body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_request_is_filed_registered_worked_and_followed_through_the_api() {
    let s = site().await;
    let clerk = token(&s, "clerk1", "GL00101", Role::Clerk).await;
    let outsider = token(&s, "other", "LH00201", Role::Clerk).await;
    let application = json!({
        "org": "GL00101",
        "applicant_type": "natural_person",
        "applicant": {"name": "张三", "id_number": "350102199003071234", "phone": "13905912345"},
        "description": "2025年鼓楼区老旧小区改造资金使用情况",
        "delivery": "online"
    });
    // A bad application names its fields.
    let (st, v) = call(
        &s,
        Method::POST,
        "/api/v1/requests",
        "",
        Some(json!({"org": "GL00101"})),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"applicant_type") && fields.contains(&"description"),
        "{v}"
    );
    let (st, receipt) = call(&s, Method::POST, "/api/v1/requests", "", Some(application)).await;
    assert_eq!(st, StatusCode::CREATED, "{receipt}");
    let tracking = receipt["tracking"].as_str().unwrap().to_owned();
    let secret = receipt["secret"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/requests/{tracking}");

    // The applicant follows it with the secret; nothing without, not found with a wrong one.
    let (st, seen) = call_with(
        &s,
        Method::GET,
        &uri,
        &[("x-tracking-secret", &secret)],
        None,
    )
    .await;
    assert_eq!(
        (st, seen["status"].as_str()),
        (StatusCode::OK, Some("submitted")),
        "{seen}"
    );
    assert!(
        !seen.to_string().contains("张三"),
        "the tracking view carries no identity"
    );
    let (st, _) = call(&s, Method::GET, &uri, "", None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = call_with(
        &s,
        Method::GET,
        &uri,
        &[("x-tracking-secret", "guess")],
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // The unit registers it and records a consultation; another unit cannot even see it.
    let events = format!("{uri}/events");
    let today = gongkai_domain::format_date_iso(s.app.today());
    let (st, _) = call(
        &s,
        Method::POST,
        &events,
        &outsider,
        Some(json!({"kind": "received", "date": today})),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, clock) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(json!({"kind": "received", "date": today})),
    )
    .await;
    assert_eq!(
        (st, clock["status"].as_str()),
        (StatusCode::OK, Some("open")),
        "{clock}"
    );
    // A 补正告知书 through the API: the letter's fill-ins ride with the event; the clock
    // waits without a due date, and starts again from the corrected request.
    let (st, bad) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(json!({"kind": "correction_requested", "date": today, "letter": {"补正原因": "x"}})),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}");
    assert!(
        bad["message"].as_str().unwrap().contains("补正事项"),
        "{bad}"
    );
    let (st, clock) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(json!({"kind": "correction_requested", "date": today,
                    "letter": {"补正事项": "请写明小区名称", "补正期限": "2099年1月5日"}})),
    )
    .await;
    assert_eq!(
        (st, clock["status"].as_str(), &clock["due"]),
        (StatusCode::OK, Some("awaiting_correction"), &Value::Null),
        "{clock}"
    );
    // The applicant answers with the secret.
    let correction = format!("{uri}/correction");
    let (st, _) = call_with(
        &s,
        Method::POST,
        &correction,
        &[("x-tracking-secret", "guess")],
        Some(json!({"text": "北库小区"})),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, clock) = call_with(
        &s,
        Method::POST,
        &correction,
        &[("x-tracking-secret", &secret)],
        Some(json!({"text": "北库小区"})),
    )
    .await;
    assert_eq!(
        (st, clock["status"].as_str()),
        (StatusCode::OK, Some("open")),
        "{clock}"
    );
    let (st, clock) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(
            json!({"kind": "consultation_sent", "date": today, "id": "1",
                    "letter": {"被征求意见方": "某某物业公司"}}),
        ),
    )
    .await;
    assert_eq!(
        (st, clock["status"].as_str(), clock["paused"].as_u64()),
        (StatusCode::OK, Some("paused"), Some(15)),
        "{clock}"
    );
    let (st, bad) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(json!({"kind": "consultation_answered", "date": today, "id": "2"})),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}");
    let (st, whole) = call(&s, Method::GET, &uri, &clerk, None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(whole["application"]["applicant"]["name"], "张三");
    let (st, _) = call(&s, Method::GET, &uri, &outsider, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let (st, clock) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(json!({"kind": "consultation_answered", "date": today, "id": "1"})),
    )
    .await;
    assert_eq!(
        (st, clock["status"].as_str()),
        (StatusCode::OK, Some("open")),
        "{clock}"
    );

    // The reply is written, reviewed and signed by three people; signing closes it.
    let reviewer = token(&s, "reviewer1", "GL00101", Role::Reviewer).await;
    let approver = token(&s, "approver1", "GL00101", Role::Approver).await;
    let reply = format!("{uri}/reply");
    let (st, v) = call(
        &s,
        Method::POST,
        &reply,
        &clerk,
        Some(json!({"basis": "art36.2", "letter": {"答复内容": "随本告知书以电子邮件提供。"}})),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = call(
        &s,
        Method::POST,
        &format!("{reply}/actions/approve"),
        &approver,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "signed before review: {v}");
    let (st, v) = call(
        &s,
        Method::POST,
        &format!("{reply}/actions/review"),
        &clerk,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = call(
        &s,
        Method::POST,
        &format!("{reply}/actions/review"),
        &reviewer,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = call(
        &s,
        Method::POST,
        &format!("{reply}/actions/approve"),
        &approver,
        None,
    )
    .await;
    assert_eq!(
        (st, v["clock"]["status"].as_str()),
        (StatusCode::OK, Some("replied")),
        "{v}"
    );
    let (_, seen) = call_with(
        &s,
        Method::GET,
        &uri,
        &[("x-tracking-secret", &secret)],
        None,
    )
    .await;
    assert_eq!(seen["status"], "replied");
    assert!(seen["steps"].as_array().unwrap().len() >= 3, "{seen}");
    // The applicant's letters: the receipt, the 补正告知书 and the reply, not the letter to
    // the third party; the reply as DOCX.
    let kinds: Vec<&str> = seen["letters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["receipt", "correction", "reply"], "{seen}");
    let reply_id = seen["letters"][2]["id"].as_i64().unwrap();
    let (st, letter) = call_with(
        &s,
        Method::GET,
        &format!("{uri}/letters/{reply_id}"),
        &[("x-tracking-secret", &secret)],
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{letter}");
    assert_eq!(letter["addressee"], "张三");
    assert!(
        letter["number"].as_str().unwrap().contains("公复〔"),
        "{letter}"
    );
    let docx = s
        .request(
            Request::get(format!("{uri}/letters/{reply_id}?format=docx"))
                .header("x-tracking-secret", &secret)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.bytes.starts_with(b"PK"), "a DOCX is a ZIP package");
    let (_, whole) = call(&s, Method::GET, &uri, &clerk, None).await;
    let all = whole["letters"].as_array().unwrap();
    assert_eq!(
        all.len(),
        4,
        "the unit sees the consultation letter too: {whole}"
    );
    let consult_id = all
        .iter()
        .find(|l| l["kind"] == "consult_third_party")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (st, _) = call_with(
        &s,
        Method::GET,
        &format!("{uri}/letters/{consult_id}"),
        &[("x-tracking-secret", &secret)],
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = call(
        &s,
        Method::GET,
        &format!("{uri}/letters/{consult_id}"),
        &outsider,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, v) = call(
        &s,
        Method::GET,
        &format!("{uri}/letters/{consult_id}?format=pdf"),
        &clerk,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    let (st, _) = call(
        &s,
        Method::POST,
        &events,
        &clerk,
        Some(json!({"kind": "withdrawn", "date": today})),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT);
}
