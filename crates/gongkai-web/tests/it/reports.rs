//! The office's annual-report page: the tables filled from the records, each figure leading to
//! the requests it counts, the office's own figures entered with their checks, the files.
use std::io::Cursor;

use axum::http::StatusCode;
use gongkai_app::auth::create_user;
use gongkai_app::import::{ImportOptions, import_requests};
use gongkai_domain::Role;

use crate::site;

fn enc(v: &str) -> String {
    serde_urlencoded::to_string([("v", v)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn the_office_checks_a_figure_enters_its_own_and_downloads_the_report() {
    let s = site().await;
    let lines = [
        r#"{"org":"GL00101","tracking":"R-1","applicant_type":"natural_person","received_date":"2025-03-02","outcome":"disclosed","replied_date":"2025-03-20"}"#,
        r#"{"org":"GL01007","tracking":"R-2","applicant_type":"legal.commercial","received_date":"2025-05-06","outcome":null,"replied_date":null}"#,
        r#"{"org":"GL01007","tracking":"R-3","applicant_type":"natural_person","received_date":"2024-12-30","outcome":"unavailable.not_held","replied_date":"2025-01-10","reviews":[{"kind":"reconsideration","filed_date":"2025-02-01","result":null,"decided_date":null}]}"#,
        r#"{"org":"LH00201","tracking":"R-4","applicant_type":"natural_person","received_date":"2025-03-02","outcome":"disclosed","replied_date":"2025-03-20"}"#,
    ];
    let data: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let r = import_requests(&s.app, Cursor::new(data), ImportOptions::default(), |_| {})
        .await
        .unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    for (user, org, role) in [
        ("office9", "GL00101", Role::Office),
        ("clerk9", "GL00101", Role::Clerk),
        ("reviewer9", "GL00101", Role::Reviewer),
        ("approver9", "GL00101", Role::Approver),
    ] {
        create_user(&s.app, user, user, "correct-horse-9", &[(org, role)])
            .await
            .unwrap();
    }
    let office = s.login("office9", "correct-horse-9").await.cookie();
    let clerk = s.login("clerk9", "correct-horse-9").await.cookie();

    let page = s
        .get_with_cookie("/staff/reports?org=GL00101&year=2025", &office)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text("h1").contains("2025年政府信息公开工作年度报告"));
    assert!(page.text("#chk-title + p").contains("全部成立"));
    let headings = page.texts(".report-body h2");
    assert_eq!(headings.len(), 7, "{headings:?}");
    // 一 new: R-1 and R-2 (R-4 is another county's); the figure links to them.
    let link = "/staff/reports/GL00101/2025/cell?table=3&row=new&column=total";
    assert_eq!(page.texts(&format!("a[href='{link}']")), ["2"]);
    let cell = s.get_with_cookie(link, &office).await;
    assert_eq!(cell.status, StatusCode::OK, "{}", cell.body);
    assert!(cell.text("h1").contains("2 件"), "{}", cell.text("h1"));
    assert_eq!(cell.texts("tbody tr td:first-child"), ["R-1", "R-2"]);
    // The office opens its own unit's request; the unit below's is listed, not opened.
    assert_eq!(cell.texts("tbody a"), ["R-1"]);
    let carried = s
        .get_with_cookie(
            "/staff/reports/GL00101/2025/cell?table=3&row=carried_in&column=natural_person",
            &office,
        )
        .await;
    assert_eq!(carried.texts("tbody tr td:first-child"), ["R-3"]);
    let pending = s
        .get_with_cookie(
            "/staff/reports/GL00101/2025/cell?table=4&row=reconsideration&column=pending",
            &office,
        )
        .await;
    assert_eq!(pending.texts("tbody tr td:first-child"), ["R-3"]);
    for bad in [
        "/staff/reports/GL00101/2025/cell?table=3&row=nope&column=total",
        "/staff/reports/GL00101/2025/cell?table=9&row=new&column=total",
        "/staff/reports/NOPE/2025/cell?table=3&row=new&column=total",
    ] {
        assert_eq!(
            s.get_with_cookie(bad, &office).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    // Nobody without 政务公开办 of the organization, and not the public.
    assert_eq!(
        s.get_with_cookie(link, &clerk).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.get_with_cookie("/staff/reports", &clerk).await.status,
        StatusCode::FORBIDDEN
    );
    assert_ne!(s.get(link).await.status, StatusCode::OK);

    // The office's figures: refused with the field named, kept as typed; then saved.
    let form = |fee: &str| {
        format!(
            "licensing_decisions=12&punishments=3&coercive_measures=0&fees_yuan={fee}&source={}&overview={}&problems=&other=",
            enc("区行政审批局统计"),
            enc("2025年，本机关推进政务公开。")
        )
    };
    let bad = s
        .post_form(
            "/staff/reports/GL00101/2025/figures",
            &office,
            &form("12.345"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text(".form-error").contains("行政事业性收费"),
        "{}",
        bad.body
    );
    assert_eq!(bad.attrs("#f-fee", "value"), ["12.345"]);
    let negative = s
        .post_form(
            "/staff/reports/GL00101/2025/figures",
            &office,
            &form("1").replace("punishments=3", "punishments=-3"),
        )
        .await;
    assert!(negative.text(".form-error").contains("行政处罚"));
    let saved = s
        .post_form(
            "/staff/reports/GL00101/2025/figures",
            &office,
            &form("1234.5"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = s
        .get_with_cookie("/staff/reports?org=GL00101&year=2025", &office)
        .await;
    assert_eq!(page.attrs("#f-fee", "value"), ["1234.50"]);
    assert_eq!(page.attrs("#f-src", "value"), ["区行政审批局统计"]);
    let body = page.text(".report-body");
    assert!(body.contains("2025年，本机关推进政务公开。"), "{body}");
    assert!(
        body.contains("0.1235"),
        "1,234.50 元 is 0.1235 万元: {body}"
    );
    assert!(
        s.get_with_cookie("/staff/reports?org=GL00101&year=2025", &clerk)
            .await
            .status
            == StatusCode::FORBIDDEN
    );
    let clerk_save = s
        .post_form("/staff/reports/GL00101/2025/figures", &clerk, &form("1"))
        .await;
    assert_eq!(clerk_save.status, StatusCode::FORBIDDEN);

    // 2020 is reported in the 2019 format: its further figures are asked for and printed.
    assert!(
        page.attrs("#f-licensing_change", "value").is_empty(),
        "not for 2025"
    );
    let old_form = format!(
        "{}&licensing_items=30&licensing_change=%2B2&fee_items=4&fee_change=x",
        form("0")
    );
    let bad = s
        .post_form("/staff/reports/GL00101/2020/figures", &office, &old_form)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text(".form-error")
            .contains("行政事业性收费：本年增/减"),
        "{}",
        bad.text(".form-error")
    );
    assert_eq!(bad.attrs("#f-fee_change", "value"), ["x"]);
    let saved = s
        .post_form(
            "/staff/reports/GL00101/2020/figures",
            &office,
            &old_form.replace("fee_change=x", "fee_change=-1"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = s
        .get_with_cookie("/staff/reports?org=GL00101&year=2020", &office)
        .await;
    assert_eq!(page.attrs("#f-licensing_change", "value"), ["2"]);
    assert_eq!(page.attrs("#f-licensing_change", "inputmode"), ["text"]);
    let body = page.text(".report-body");
    for printed in ["其他对外管理服务事项", "上一年项目数量", "政府集中采购"]
    {
        assert!(body.contains(printed), "{printed}: {body}");
    }

    // The files.
    for (format, media) in [("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")] {
        let file = s
            .get_with_cookie(&format!("/staff/reports/GL00101/2025/{format}"), &office)
            .await;
        assert_eq!(file.status, StatusCode::OK, "{format}");
        let header = |name: &str| file.headers[name].to_str().unwrap().to_owned();
        assert!(header("content-type").contains(media), "{format}");
        assert!(header("content-disposition").contains("attachment"));
        assert!(file.bytes.starts_with(b"PK"));
    }
    assert_eq!(
        s.get_with_cookie("/staff/reports/GL00101/2025/pdf", &office)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get_with_cookie("/staff/reports?org=GL00101&year=1999", &office)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Publication: a draft in the 年度报告 column through the three signatures; the public
    // page shows the tables, the column lists it under 报告年度 2025.
    let made = s
        .post_form("/staff/reports/GL00101/2025/publish", &office, "")
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let location = made.headers["location"].to_str().unwrap().to_owned();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let again = s
        .post_form("/staff/reports/GL00101/2025/publish", &office, "")
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.text("#pub-title + p").contains("已有记录"),
        "{}",
        again.body
    );
    let page = s
        .get_with_cookie("/staff/reports?org=GL00101&year=2025", &office)
        .await;
    assert_eq!(
        page.attrs("#publish a", "href"),
        [format!("/staff/doc/{id}")]
    );
    let not_over = s
        .post_form("/staff/reports/GL00101/2026/publish", &office, "")
        .await;
    assert!(not_over.text("#pub-title + p").contains("尚未结束"));
    let reviewer = s.login("reviewer9", "correct-horse-9").await.cookie();
    let approver = s.login("approver9", "correct-horse-9").await.cookie();
    for (who, action) in [
        (&clerk, "action=submit"),
        (&reviewer, "action=review"),
        (&approver, "action=approve"),
        (&clerk, "action=publish&at="),
    ] {
        let r = s
            .post_form(&format!("/staff/doc/{id}/act"), who, action)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    }
    let public = s.get(&format!("/doc/{id}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text("h1").contains("2025年政府信息公开工作年度报告"));
    let cells = public.texts(".doc-body td");
    assert_eq!(cells.len(), 10 + 25 * 7 + 15, "tables 二, 三, 四 as tables");
    assert!(public.body.contains("三、本年度办理结果"));
    assert!(public.body.contains(".docx"), "the DOCX is attached");
    assert!(
        !public.body.contains("/staff/reports"),
        "no links to the desk"
    );
    let column = s
        .get(&format!(
            "/org/GL00101/?column={}&year=2025",
            enc("政府信息公开年度报告")
        ))
        .await;
    assert!(column.text("label[for=f-year]").contains("报告年度"));
    assert!(
        column.body.contains("2025年政府信息公开工作年度报告"),
        "{}",
        column.body
    );
    let wrong_year = s
        .get(&format!(
            "/org/GL00101/?column={}&year=2026",
            enc("政府信息公开年度报告")
        ))
        .await;
    assert!(!wrong_year.body.contains("2025年政府信息公开工作年度报告"));

    // The dashboard: the office published late (due 31 March), the 街道 has none (31 January).
    let dashboard = s
        .get_with_cookie("/staff/reports/deadlines?org=GL00101&year=2025", &office)
        .await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.body);
    let rows = dashboard.texts("tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("华大街道")
            && rows[0].contains("2026-01-31")
            && rows[0].contains("已逾期未公布"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("2026-03-31") && rows[1].contains("逾期公布"),
        "{rows:?}"
    );
    assert!(dashboard.text("[role=status]").contains("2 个逾期"));
    assert_eq!(
        s.get_with_cookie("/staff/reports/deadlines", &clerk)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_figure_is_adjusted_with_its_reason_and_the_sums_are_checked_again() {
    let s = site().await;
    let line = r#"{"org":"GL00101","tracking":"A-1","applicant_type":"natural_person","received_date":"2025-03-02","outcome":"disclosed","replied_date":"2025-03-20"}"#;
    import_requests(
        &s.app,
        Cursor::new(format!("{line}\n")),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    for (user, role) in [("office9", Role::Office), ("clerk9", Role::Clerk)] {
        create_user(&s.app, user, user, "correct-horse-9", &[("GL00101", role)])
            .await
            .unwrap();
    }
    let office = s.login("office9", "correct-horse-9").await.cookie();
    let clerk = s.login("clerk9", "correct-horse-9").await.cookie();
    let adjust = |cookie: &str, row: &str, column: &str, delta: &str, reason: &str| {
        let body = format!(
            "row={}&column={}&delta={}&reason={}",
            enc(row),
            enc(column),
            enc(delta),
            enc(reason)
        );
        let cookie = cookie.to_owned();
        let s = &s;
        async move {
            s.post_form("/staff/reports/GL00101/2025/adjust", &cookie, &body)
                .await
        }
    };
    let reason = "原系统将部分公开误录为予以公开";
    let total = adjust(&office, "3:outcome.total", "3:natural_person", "1", reason).await;
    assert_eq!(total.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        total.text("#adj-title ~ .form-error").contains("总计"),
        "{}",
        total.body
    );
    let mixed = adjust(&office, "3:new", "4:upheld", "1", reason).await;
    assert!(mixed.text("#adj-title ~ .form-error").contains("同一张表"));
    let no_reason = adjust(
        &office,
        "3:outcome.disclosed",
        "3:natural_person",
        "-1",
        " ",
    )
    .await;
    assert!(no_reason.text("#adj-title ~ .form-error").contains("理由"));
    assert_eq!(
        adjust(
            &clerk,
            "3:outcome.disclosed",
            "3:natural_person",
            "-1",
            reason
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    for (row, delta) in [
        ("3:outcome.disclosed", "-1"),
        ("3:outcome.partially_disclosed", "+1"),
    ] {
        let r = adjust(&office, row, "3:natural_person", delta, reason).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = s
        .get_with_cookie("/staff/reports?org=GL00101&year=2025", &office)
        .await;
    assert!(page.text("#chk-title + p").contains("全部成立"));
    let partial =
        "/staff/reports/GL00101/2025/cell?table=3&row=outcome.partially_disclosed&column=total";
    assert_eq!(page.texts(&format!("a[href='{partial}']")), ["1"]);
    let listed = page.texts("#adjust tbody tr");
    assert_eq!(listed.len(), 2);
    assert!(
        listed[0].contains("（一）予以公开")
            && listed[0].contains("-1")
            && listed[0].contains(reason)
    );
    // One side only: the check names the broken sum.
    adjust(
        &office,
        "3:new",
        "3:legal.research",
        "1",
        "补录一件纸质申请",
    )
    .await;
    let page = s
        .get_with_cookie("/staff/reports?org=GL00101&year=2025", &office)
        .await;
    assert!(
        page.text("#chk-title ~ [role=alert]")
            .contains("第一项加第二项之和")
    );
    assert!(page.text("#publish").contains("暂不能发布"));
}
