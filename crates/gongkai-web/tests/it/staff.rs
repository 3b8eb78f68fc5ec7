use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_app::auth::create_user;
use gongkai_domain::Role;

use crate::site;

#[tokio::test]
async fn staff_pages_need_a_login_and_public_pages_never_do() {
    let s = site().await;
    let p = s.get("/staff/").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.headers[header::LOCATION], "/staff/login");
    let login = s.get("/staff/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.attrs("input#username", "autocomplete"), ["username"]);
    assert_eq!(s.get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn logging_in_shows_the_desk_and_logging_out_ends_it() {
    let s = site().await;
    create_user(
        &s.app,
        "clerk",
        "林经办",
        "correct-horse",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let bad = s.login("clerk", "wrong").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.text(".form-error"), "用户名或密码错误");
    assert_eq!(bad.attrs("input#username", "value"), ["clerk"]);

    let ok = s.login("clerk", "correct-horse").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let cookie = ok.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    let desk = s.get_with_cookie("/staff/", &pair).await;
    assert_eq!(desk.status, StatusCode::OK);
    assert_eq!(desk.text("h1"), "工作台");
    assert!(
        desk.texts(".simple-table td")
            .contains(&"经办人".to_owned())
    );
    assert!(
        desk.body.contains("尚未发布的草稿标题"),
        "a clerk sees the drafts of the unit"
    );

    // Without the form token the logout is refused; with it, it works.
    let forged = s
        .request(
            Request::post("/staff/logout")
                .header(header::COOKIE, &pair)
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let out = s.post_form("/staff/logout", &pair, "").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        s.get_with_cookie("/staff/", &pair).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let s = site().await;
    let p = s
        .login_with("clerk", "x", |r| {
            r.headers_mut()
                .insert("sec-fetch-site", "cross-site".parse().unwrap());
        })
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_login_without_its_form_token_is_refused() {
    let s = site().await;
    create_user(
        &s.app,
        "clerk",
        "林经办",
        "correct-horse",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    // An old office browser sends neither Origin nor Sec-Fetch-Site: the token decides.
    let forged = s
        .request(
            Request::post("/staff/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=clerk&password=correct-horse"))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        forged
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("gk_login=")
    );
    assert_eq!(
        s.login("clerk", "correct-horse").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn repeated_bad_passwords_slow_the_source_down() {
    let s = site().await;
    create_user(
        &s.app,
        "clerk",
        "林经办",
        "correct-horse",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    for _ in 0..6 {
        assert_eq!(
            s.login("clerk", "wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let slowed = s.login("clerk", "wrong").await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(slowed.text(".form-error").contains("秒后再试"));
    let _ = &s.t;
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_logs_out() {
    let s = site().await;
    create_user(
        &s.app,
        "clerk",
        "林经办",
        "correct-horse",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let ok = s.login("clerk", "correct-horse").await;
    let pair = ok.cookie();
    let token = s.form_token(&pair).await;
    let post = |body: &'static str| {
        Request::post("/staff/password")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &pair)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!("{body}&_csrf={token}")))
            .unwrap()
    };
    let wrong = s
        .request(post("old=nope&new=new-password-1&repeat=new-password-1"))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.text(".form-error"), "当前密码不正确。");
    let mismatch = s
        .request(post(
            "old=correct-horse&new=new-password-1&repeat=other-password",
        ))
        .await;
    assert_eq!(mismatch.text(".form-error"), "两次输入的新密码不一致。");
    let short = s
        .request(post("old=correct-horse&new=short&repeat=short"))
        .await;
    assert!(short.text(".form-error").contains("10 个字符"));
    let done = s
        .request(post(
            "old=correct-horse&new=new-password-1&repeat=new-password-1",
        ))
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.text(".form-ok").contains("密码已修改"));
    assert_eq!(
        s.get_with_cookie("/staff/", &pair).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        s.login("clerk", "new-password-1").await.status,
        StatusCode::SEE_OTHER
    );
}

async fn logged_in(s: &crate::Site, user: &str, org: &str, role: Role) -> String {
    create_user(&s.app, user, user, "correct-horse", &[(org, role)])
        .await
        .unwrap();
    s.login(user, "correct-horse").await.cookie()
}

#[tokio::test]
async fn staff_see_every_record_of_their_units_and_nothing_of_others() {
    let s = site().await;
    let gulou = logged_in(&s, "clerk", "GL00101", Role::Clerk).await;
    let liuhe = logged_in(&s, "other", "LH00201", Role::Clerk).await;
    let office = logged_in(&s, "office", "FZ00101", Role::Office).await;

    let drafts = s.get_with_cookie("/staff/docs?status=draft", &gulou).await;
    assert_eq!(drafts.status, StatusCode::OK);
    assert_eq!(drafts.texts(".doc-title > a"), ["尚未发布的草稿标题"]);
    let preview = s
        .get_with_cookie(&format!("/staff/doc/{}", s.draft), &gulou)
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.text("h1#doc-title"), "尚未发布的草稿标题");
    assert!(preview.text(".staff-status").contains("草稿"));
    let gone = s
        .get_with_cookie(&format!("/staff/doc/{}", s.withdrawn), &gulou)
        .await;
    assert!(gone.text(".staff-status").contains("撤回原因：内容有误"));

    // Another unit's clerk is refused; the office of the city sees the district below it.
    let refused = s
        .get_with_cookie(&format!("/staff/doc/{}", s.draft), &liuhe)
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("尚未发布的草稿标题"));
    let none = s.get_with_cookie("/staff/docs", &liuhe).await;
    assert_eq!(none.text(".result-count strong"), "0");
    let city = s
        .get_with_cookie(&format!("/staff/doc/{}", s.draft), &office)
        .await;
    assert_eq!(city.status, StatusCode::OK);
    let all = s.get_with_cookie("/staff/docs", &office).await;
    assert_eq!(all.text(".result-count strong"), "47");
    assert_eq!(
        all.texts(".doc-title > a")[0],
        "尚未发布的草稿标题",
        "unpublished records come first"
    );

    assert_eq!(
        s.get(&format!("/staff/doc/{}", s.draft)).await.status,
        StatusCode::SEE_OTHER,
        "login first"
    );
    assert_eq!(
        s.get_with_cookie("/staff/docs?status=x", &gulou)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        s.get_with_cookie("/staff/doc/abc", &gulou).await.status,
        StatusCode::NOT_FOUND
    );
}
