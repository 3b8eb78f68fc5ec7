//! Administration pages: only administrators, every change through the use cases.
use axum::http::StatusCode;
use gongkai_app::auth::create_user;
use gongkai_domain::Role;

use crate::site;

#[tokio::test]
async fn an_administrator_manages_organizations_accounts_and_the_calendar() {
    let s = site().await;
    create_user(
        &s.app,
        "admin",
        "管理员",
        "correct-horse-9",
        &[("FZ00101", Role::Admin)],
    )
    .await
    .unwrap();
    create_user(
        &s.app,
        "clerk",
        "经办",
        "correct-horse-9",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let admin = s.login("admin", "correct-horse-9").await.cookie();
    let clerk = s.login("clerk", "correct-horse-9").await.cookie();

    assert_eq!(
        s.get_with_cookie("/staff/admin", &clerk).await.status,
        StatusCode::FORBIDDEN
    );
    let forbidden = s
        .post_form(
            "/staff/admin/orgs",
            &clerk,
            "code=XX001&name=x&kind=department",
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let page = s.get_with_cookie("/staff/admin", &admin).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#orgs td").iter().any(|t| t == "GL00101"));

    let made = s
        .post_form(
            "/staff/admin/orgs",
            &admin,
            "code=GL00999&name=%E9%BC%93%E6%A5%BC%E5%8C%BA%E6%B5%8B%E8%AF%95%E5%B1%80&kind=department&parent=GL00101",
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.text(".notice").contains("GL00999"));
    let weak = s
        .post_form(
            "/staff/admin/users",
            &admin,
            "username=newbie&password=password123&role=clerk&org=GL00999",
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(weak.text(".form-errors").contains("太容易被猜中"));
    let user = s
        .post_form(
            "/staff/admin/users",
            &admin,
            "username=newbie&password=correct-horse-9&role=clerk&org=GL00999",
        )
        .await;
    assert_eq!(user.status, StatusCode::OK, "{}", user.body);
    let granted = s
        .post_form(
            "/staff/admin/grant",
            &admin,
            "username=newbie&role=reviewer&org=GL00101",
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK);
    assert!(
        granted
            .body
            .contains("审核人（福州市鼓楼区人民政府办公室）")
    );
    let unlocked = s
        .post_form("/staff/admin/unlock", &admin, "username=newbie")
        .await;
    assert_eq!(unlocked.status, StatusCode::OK);

    let out_of_range = s
        .post_form("/staff/admin/settings", &admin, "key=repost_hours&value=0")
        .await;
    assert_eq!(out_of_range.status, StatusCode::BAD_REQUEST);
    let saved = s
        .post_form("/staff/admin/settings", &admin, "key=repost_hours&value=6")
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(s.app.settings().repost_hours, 6);
    assert_eq!(saved.attrs("#set-repost_hours", "value"), ["6"]);

    let bad = s
        .post_form("/staff/admin/calendar", &admin, "notice=%7Bnot%20json")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Each change is in the audit chain under the administrator's name.
    let v = gongkai_app::audit::verify(&s.app, |_, _| {})
        .await
        .unwrap()
        .unwrap();
    assert!(v.entries > 0);
    let entries = gongkai_app::audit::entries_after(&s.app, 0, 1000)
        .await
        .unwrap();
    let by_admin: Vec<&str> = entries
        .iter()
        .filter(|e| e.actor_name == "admin")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        by_admin,
        [
            "login",
            "org.create",
            "user.create",
            "user.grant",
            "user.unlock",
            "setting.change"
        ]
    );
}
