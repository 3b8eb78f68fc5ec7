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
    let ok = s.login(user, "correct-horse-9").await;
    ok.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
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
