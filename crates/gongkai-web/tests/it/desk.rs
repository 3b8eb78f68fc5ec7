//! The back office as its users click through it: a draft written in the editor, a scan
//! finding that stops the review, the redaction, three signatures and the public page.
use axum::http::{StatusCode, header};
use gongkai_app::auth::create_user;
use gongkai_domain::Role;

use crate::{Site, site};

async fn person(s: &Site, user: &str, role: Role) -> String {
    create_user(&s.app, user, user, "correct-horse-9", &[("GL00101", role)])
        .await
        .unwrap();
    s.login(user, "correct-horse-9").await.cookie()
}

fn enc(v: &str) -> String {
    serde_urlencoded::to_string([("v", v)]).unwrap()[2..].to_owned()
}

fn draft_form(title: &str, body: &str) -> String {
    [
        ("org", "GL00101"),
        ("column", "法定主动公开内容/政策文件"),
        ("title", title),
        ("topic", "综合政务\\政务公开"),
        ("kind", "公告"),
        ("written_date", "2026-12-01"),
        ("validity", "valid"),
        ("disclosure_term", "long_term"),
        ("body_format", "text"),
        ("body", body),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", enc(v)))
    .collect::<Vec<_>>()
    .join("&")
}

fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/staff/doc/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_draft_goes_from_the_editor_through_three_signatures_to_the_public() {
    let s = site().await;
    let clerk = person(&s, "clerk1", Role::Clerk).await;
    let reviewer = person(&s, "reviewer1", Role::Reviewer).await;
    let approver = person(&s, "approver1", Role::Approver).await;

    // The editor names each problem beside its field and writes nothing.
    let bad = s
        .post_form(
            "/staff/doc/new",
            &clerk,
            &draft_form("", "正文").replace("2026-12-01", "2026-13-01"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.text("#e-title"), "缺少必填字段");
    assert!(bad.text("#e-written_date").contains("没有 13 月"));
    assert!(bad.text(".form-errors").contains("标题：缺少必填字段"));

    let made = s
        .post_form(
            "/staff/doc/new",
            &clerk,
            &draft_form(
                "关于公布低保审批结果的公告",
                "张三，身份证号 350102199003071234。",
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = id_from(made.headers[header::LOCATION].to_str().unwrap());
    let act = |who: &str, body: &str| {
        let (who, body) = (who.to_owned(), body.to_owned());
        let s = &s;
        async move {
            s.post_form(&format!("/staff/doc/{id}/act"), &who, &body)
                .await
        }
    };
    assert_eq!(
        act(&clerk, "action=submit").await.status,
        StatusCode::SEE_OTHER
    );
    // The reviewer is stopped by the ID number, and the page says so.
    let stopped = act(&reviewer, "action=review").await;
    assert_eq!(stopped.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = s
        .get_with_cookie(&format!("/staff/doc/{id}"), &reviewer)
        .await;
    assert_eq!(page.text("#review td code"), "350102********1234");
    // The clerk cannot sign the review of their own submission.
    assert_eq!(
        act(&clerk, "action=review").await.status,
        StatusCode::FORBIDDEN
    );
    let redacted = s
        .post_form(&format!("/staff/doc/{id}/redact"), &reviewer, "finding=")
        .await;
    assert_eq!(redacted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        act(&reviewer, "action=review").await.status,
        StatusCode::SEE_OTHER
    );
    // A return needs its reason.
    assert_eq!(
        act(&approver, "action=return&reason=").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        act(&approver, "action=approve").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&clerk, "action=publish&at=").await.status,
        StatusCode::SEE_OTHER
    );

    let public = s.get(&format!("/doc/{id}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("350102********1234"));
    assert!(!public.body.contains("350102199003071234"));
    let desk = s.get_with_cookie(&format!("/staff/doc/{id}"), &clerk).await;
    let history = desk.texts("section[aria-labelledby=hist-title] tbody td:nth-child(3)");
    assert_eq!(
        history,
        [
            "起草",
            "提交审核（经办）",
            "正文脱敏",
            "审核通过",
            "签发",
            "发布"
        ]
    );
    let signers = desk.texts(".wf-who");
    assert_eq!(signers, ["clerk1", "reviewer1", "approver1"]);
}

#[tokio::test]
async fn the_work_page_shows_each_person_what_waits_for_them() {
    let s = site().await;
    let clerk = person(&s, "clerk1", Role::Clerk).await;
    let reviewer = person(&s, "reviewer1", Role::Reviewer).await;
    let made = s
        .post_form(
            "/staff/doc/new",
            &clerk,
            &draft_form("待审核的通知", "正文。"),
        )
        .await;
    let id = id_from(made.headers[header::LOCATION].to_str().unwrap());
    s.post_form(&format!("/staff/doc/{id}/act"), &clerk, "action=submit")
        .await;
    let mine = s.get_with_cookie("/staff/work", &reviewer).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.texts("#to-review .doc-title a"), ["待审核的通知"]);
    s.post_form(
        &format!("/staff/doc/{id}/act"),
        &reviewer,
        "action=return&reason=%E8%AF%B7%E8%A1%A5%E5%85%85%E4%BE%9D%E6%8D%AE",
    )
    .await;
    let back = s.get_with_cookie("/staff/work", &clerk).await;
    assert_eq!(back.texts("#returned .doc-title a"), ["待审核的通知"]);
    assert!(back.text("#returned .doc-meta").contains("请补充依据"));
    // A forged post (no form token) changes nothing.
    let forged = s
        .request(
            axum::http::Request::post(format!("/staff/doc/{id}/act"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &clerk)
                .body(axum::body::Body::from("action=submit"))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_approver_marks_validity_and_the_public_change_list_shows_it() {
    let s = site().await;
    let approver = person(&s, "approver1", Role::Approver).await;
    // The site's 鼓楼区 records: one repealed already; the newest is amended by the next.
    let list = s.get("/org/GL00101/changes").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.texts(".doc-title > a"), ["鼓楼区已废止的管理办法"]);
    let first = s.get("/org/GL00101/").await;
    let hrefs = first.attrs(".doc-title > a", "href");
    let target: i64 = hrefs[0].trim_start_matches("/doc/").parse().unwrap();
    let successor: i64 = hrefs[1].trim_start_matches("/doc/").parse().unwrap();
    let successor_page = s.get(&format!("/doc/{successor}")).await;
    let number = successor_page.text(".doc-number-line");
    // 已修订 needs the successor; a date after today is refused.
    let refused = s
        .post_form(
            &format!("/staff/doc/{target}/validity"),
            &approver,
            "validity=amended",
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let future = s
        .post_form(
            &format!("/staff/doc/{target}/validity"),
            &approver,
            "validity=expired&on=2999-01-01",
        )
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
    let done = s
        .post_form(
            &format!("/staff/doc/{target}/validity"),
            &approver,
            &format!("validity=amended&on=2026-11-30&successor={}", enc(&number)),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let list = s.get("/changes").await;
    let titles = list.texts(".doc-title > a");
    assert_eq!(titles.len(), 2);
    assert_eq!(list.texts(".col-date")[1], "2026-11-30");
    assert_eq!(
        list.attrs("tbody td:nth-child(4) a", "href"),
        [format!("/doc/{successor}")]
    );
    // A draft has no validity to mark.
    let draft = s
        .post_form(
            &format!("/staff/doc/{}/validity", s.draft),
            &approver,
            "validity=expired",
        )
        .await;
    assert_eq!(draft.status, StatusCode::BAD_REQUEST);
}

/// A notice in the national layout: 版头, 发文字号, a title over two lines, a numbered
/// list, a 任务分解表 and an ID number in its body.
fn notice_docx() -> Vec<u8> {
    use docx_rs::{Docx, IndentLevel, NumberingId, Paragraph, Run, Table, TableCell, TableRow};
    let p = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let cell = |t: &str| TableCell::new().add_paragraph(p(t));
    let table = Table::new(vec![
        TableRow::new(vec![cell("任务"), cell("责任单位"), cell("完成时限")]),
        TableRow::new(vec![
            cell("更新公开目录"),
            cell("区政府办"),
            cell("2026年12月"),
        ]),
    ]);
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(p("福州市鼓楼区人民政府办公室文件"))
        .add_paragraph(p("鼓政办〔2026〕88号"))
        .add_paragraph(p("福州市鼓楼区人民政府办公室关于印发"))
        .add_paragraph(p("政务公开重点任务分工的通知"))
        .add_paragraph(p("各街道办事处："))
        .add_paragraph(p("联系人张三，身份证号 350102199003071234。"))
        .add_paragraph(p("一、工作任务").style("Heading1"))
        .add_paragraph(p("及时更新目录").numbering(NumberingId::new(1), IndentLevel::new(0)))
        .add_paragraph(p("按时答复申请").numbering(NumberingId::new(1), IndentLevel::new(0)))
        .add_table(table)
        .add_paragraph(p("福州市鼓楼区人民政府办公室"))
        .add_paragraph(p("2026年11月20日"))
        .build()
        .pack(&mut out)
        .unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_draft_from_a_docx_keeps_its_structure_and_its_id_number_is_caught() {
    let s = site().await;
    let clerk = person(&s, "clerk1", Role::Clerk).await;
    let reviewer = person(&s, "reviewer1", Role::Reviewer).await;
    let token = s.form_token(&clerk).await;
    let boundary = "gongkaiboundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"org\"\r\n\r\nGL00101\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"通知.docx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&notice_docx());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let page = s
        .request(
            axum::http::Request::post(format!("/staff/doc/new/upload?_csrf={token}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::COOKIE, &clerk)
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.attrs("#f-title", "value"),
        ["福州市鼓楼区人民政府办公室关于印发政务公开重点任务分工的通知"]
    );
    assert_eq!(page.attrs("#f-doc_number", "value"), ["鼓政办〔2026〕88号"]);
    assert_eq!(page.attrs("#f-written_date", "value"), ["2026-11-20"]);
    assert_eq!(
        page.attrs("#f-issuer", "value"),
        ["福州市鼓楼区人民政府办公室"]
    );
    let body_html = page.text("#f-body");
    assert!(body_html.contains("<h2>一、工作任务</h2>"), "{body_html}");
    assert!(body_html.contains("<ol>") && body_html.contains("<li>按时答复申请</li>"));
    assert!(
        body_html.contains("<td>责任单位</td>"),
        "the table stays a table"
    );
    assert!(
        !body_html.contains("鼓政办〔2026〕88号"),
        "the head is not in the body"
    );
    assert!(
        page.text(".notice")
            .contains("标题、发文字号、成文日期、发文机关")
    );

    // The clerk confirms and saves; the scan flags the ID number at review.
    let mut fields = draft_form(
        "福州市鼓楼区人民政府办公室关于印发政务公开重点任务分工的通知",
        &body_html,
    );
    fields = fields.replace("body_format=text", "body_format=html");
    let made = s.post_form("/staff/doc/new", &clerk, &fields).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = id_from(made.headers[header::LOCATION].to_str().unwrap());
    s.post_form(&format!("/staff/doc/{id}/act"), &clerk, "action=submit")
        .await;
    let stopped = s
        .post_form(&format!("/staff/doc/{id}/act"), &reviewer, "action=review")
        .await;
    assert_eq!(stopped.status, StatusCode::UNPROCESSABLE_ENTITY);
    let desk = s
        .get_with_cookie(&format!("/staff/doc/{id}"), &reviewer)
        .await;
    assert_eq!(desk.texts("#review td code"), ["350102********1234"]);
    assert!(desk.body.contains("<table>"), "the preview shows the table");

    // Not a document: a clear message, nothing saved.
    let bad = s
        .request(
            axum::http::Request::post(format!("/staff/doc/new/upload?_csrf={token}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::COOKIE, &clerk)
                .body(axum::body::Body::from(format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.docx\"\r\n\r\nnot a zip\r\n--{boundary}--\r\n"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text(".form-errors").contains("x.docx"), "{}", bad.body);
}

#[tokio::test]
async fn a_reviewer_sees_withheld_records_due_for_review() {
    let s = site().await;
    let clerk = person(&s, "clerk1", Role::Clerk).await;
    let reviewer = person(&s, "reviewer1", Role::Reviewer).await;
    let form = draft_form("内部人事调整方案", "正文。")
        .replace("written_date=2026-12-01", "written_date=2025-01-10")
        + "&disclosure=withheld&disclosure_ground=internal_affairs";
    let made = s.post_form("/staff/doc/new", &clerk, &form).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let work = s.get_with_cookie("/staff/work", &reviewer).await;
    assert_eq!(
        work.texts("#withheld-due .doc-title a"),
        ["内部人事调整方案"]
    );
    // Without a ground the editor says so beside the field.
    let form = draft_form("无依据的不公开", "正文。") + "&disclosure=withheld";
    let bad = s.post_form("/staff/doc/new", &clerk, &form).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text("#e-disclosure_ground").contains("须注明依据"));
}
