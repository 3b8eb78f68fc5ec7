use axum::http::{StatusCode, header};

use crate::site;

#[tokio::test]
async fn home_shows_the_disclosure_column_and_the_organizations() {
    let s = site().await;
    let p = s.get("/").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.text("h1"), "政府信息公开");
    assert_eq!(p.attrs("html", "lang"), ["zh-CN"]);
    let orgs = p.texts(".org-tree a");
    assert!(
        orgs.contains(&"福州市鼓楼区华大街道办事处".to_owned()),
        "{orgs:?}"
    );
    let cards = p.texts(".column-cards .card-title");
    assert_eq!(
        cards,
        [
            "政府信息公开指南",
            "政府信息公开制度",
            "法定主动公开内容",
            "政府信息公开年度报告",
            "依申请公开"
        ]
    );
    assert_eq!(p.texts("#latest-title + table tbody tr").len(), 10);
    assert!(!p.body.contains("尚未发布的草稿标题"));
    assert!(!p.body.contains("已经撤回的通告标题"));
}

#[tokio::test]
async fn the_document_page_shows_the_full_metadata_block() {
    let s = site().await;
    let list = s.get("/org/FZ00101/").await;
    let href = list
        .attrs(".doc-title a", "href")
        .into_iter()
        .next()
        .unwrap();
    let p = s.get(&href).await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.text("dd.index-number"), "FZ00101-0201-2021-00001");
    assert_eq!(p.text("dd.topic"), "综合政务\\政务公开");
    assert_eq!(p.text("dd.issuer"), "福州市人民政府办公厅");
    assert_eq!(p.text("dd.written-date"), "2021-06-04");
    assert_eq!(
        p.text("dd.title"),
        "福州市人民政府办公厅关于印发2021年全市政务公开工作要点的通知"
    );
    assert_eq!(p.text("dd.doc-number"), "榕政办〔2021〕53号");
    assert_eq!(p.text("dd.published-date"), "2021-06-09");
    assert_eq!(p.text("dd.validity"), "有效");
    assert_eq!(
        p.text("h1#doc-title"),
        "福州市人民政府办公厅关于印发2021年全市政务公开工作要点的通知"
    );
    assert!(p.text(".doc-body").contains("请认真贯彻落实"));
    let id = href.trim_start_matches("/doc/");
    assert_eq!(p.attrs(".qr img", "src"), [format!("/doc/{id}/qr.svg")]);
    assert_eq!(
        p.attrs(".tool-links a", "href")[0],
        format!("/doc/{id}/print")
    );

    let print = s.get(&format!("/doc/{id}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert_eq!(print.text("dd.doc-number"), "榕政办〔2021〕53号");
    assert!(
        print
            .text(".print-footer")
            .contains(&format!("http://gongkai.test/doc/{id}"))
    );

    let qr = s.get(&format!("/doc/{id}/qr.svg")).await;
    assert_eq!(qr.status, StatusCode::OK);
    assert_eq!(qr.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(qr.body.contains("<svg"));
}

#[tokio::test]
async fn drafts_and_withdrawn_records_are_not_public() {
    let s = site().await;
    let draft = s.get(&format!("/doc/{}", s.draft)).await;
    assert_eq!(draft.status, StatusCode::NOT_FOUND);
    assert!(!draft.body.contains("尚未发布的草稿标题"));
    assert_eq!(
        s.get(&format!("/doc/{}/print", s.draft)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get(&format!("/doc/{}/qr.svg", s.draft)).await.status,
        StatusCode::NOT_FOUND
    );
    let gone = s.get(&format!("/doc/{}", s.withdrawn)).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.text("h1"), "该信息已撤回");
    assert!(!gone.body.contains("已经撤回的通告标题"));
    for uri in [
        "/list",
        "/list?page=3",
        "/org/GL00101/",
        "/",
        "/list?year=2026",
    ] {
        let p = s.get(uri).await;
        assert!(!p.body.contains("尚未发布的草稿标题"), "{uri}");
        assert!(!p.body.contains("已经撤回的通告标题"), "{uri}");
    }
}

#[tokio::test]
async fn lists_filter_and_paginate() {
    let s = site().await;
    let p = s.get("/list").await;
    assert_eq!(p.text(".result-count strong"), "45");
    assert_eq!(p.texts("tbody tr.doc-row").len(), 20);
    assert_eq!(p.text(".pagination [aria-current=page]"), "1");
    let next = p.attrs(".pagination a[rel=next]", "href");
    assert_eq!(next, ["/list?page=2"]);
    let p3 = s.get("/list?page=3").await;
    assert_eq!(p3.texts("tbody tr.doc-row").len(), 5);
    assert!(p3.attrs(".pagination a[rel=next]", "href").is_empty());

    let repealed = s.get("/list?validity=repealed").await;
    assert_eq!(repealed.texts(".doc-title > a"), ["鼓楼区已废止的管理办法"]);
    assert_eq!(
        repealed.texts("select#f-validity option[selected]"),
        ["废止"]
    );

    let topic = s.get("/list?topic=%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE%E3%80%81%E7%8E%AF%E5%A2%83%E4%BF%9D%E6%8A%A4").await;
    assert_eq!(topic.text(".result-count strong"), "15");
    let year = s.get("/list?year=2019").await;
    assert_eq!(year.text(".result-count strong"), "7");
    let kind = s.get("/list?kind=normative_document").await;
    assert_eq!(kind.text(".result-count strong"), "1");
    let column = s.get("/list?column=%E6%B3%95%E5%AE%9A%E4%B8%BB%E5%8A%A8%E5%85%AC%E5%BC%80%E5%86%85%E5%AE%B9%2F%E8%B4%A2%E6%94%BF%E9%A2%84%E5%86%B3%E7%AE%97").await;
    assert_eq!(column.text(".result-count strong"), "11");
    // An organization includes the units below it in the aggregated list.
    let district = s.get("/list?org=GL00101").await;
    assert_eq!(district.text(".result-count strong"), "44");
    let org_page = s.get("/org/GL00101/").await;
    assert_eq!(org_page.text("h1"), "福州市鼓楼区人民政府办公室");
    assert_eq!(org_page.text(".result-count strong"), "23");
    let combined = s.get("/org/GL01007/?year=2020&page=1").await;
    assert_eq!(combined.status, StatusCode::OK);
    assert!(
        combined
            .texts(".side-nav a")
            .contains(&"财政预决算".to_owned())
    );
}

#[tokio::test]
async fn bad_filters_get_a_chinese_400_and_unknown_pages_a_404() {
    let s = site().await;
    for (uri, field) in [
        ("/list?year=abc", "年份"),
        ("/list?topic=%E4%B8%8D%E5%AD%98%E5%9C%A8", "主题分类"),
        ("/list?kind=xyz", "公文种类"),
        ("/list?validity=maybe", "有效性"),
        ("/list?column=%E9%9A%8F%E4%BE%BF", "栏目"),
        ("/list?org=NOPE", "机构"),
    ] {
        let p = s.get(uri).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            p.text(".error-page h1 + p").contains(field),
            "{uri}: {}",
            p.body
        );
    }
    let p = s.get("/list?page=0").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("页码"));
    for uri in [
        "/nope",
        "/doc/abc",
        "/doc/999999",
        "/org/NOPE/",
        "/doc/1/files/999",
        "/doc/-1",
    ] {
        let p = s.get(uri).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(p.text("h1"), "页面不存在", "{uri}");
    }
}

#[tokio::test]
async fn the_elder_view_is_a_link_and_a_cookie() {
    let s = site().await;
    let p = s.get("/list?year=2020").await;
    let link = p
        .attrs(".a11y-switch a", "href")
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(link, "/a11y/elder?back=/list%3Fyear%3D2020");
    let r = s.get(&link).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/list?year=2020");
    assert!(
        r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("gk_elder=1")
    );
    let elder = s.get_with_cookie("/list?year=2020", "gk_elder=1").await;
    assert_eq!(elder.attrs("html", "class"), ["elder"]);
    assert_eq!(elder.text(".a11y-switch a"), "标准版");
    let lost = s.get_with_cookie("/no/such/page?x=1", "gk_elder=1").await;
    assert_eq!(lost.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lost.attrs("html", "class"),
        ["elder"],
        "error pages keep the chosen view"
    );
    assert_eq!(
        lost.attrs(".a11y-switch a", "href"),
        ["/a11y/standard?back=/no/such/page%3Fx%3D1"]
    );
    let robots = s.get("/robots.txt").await;
    assert!(robots.body.contains("Disallow: /staff/"));
    assert_eq!(s.get("/favicon.ico").await.status, StatusCode::OK);
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:%20x=1",
        "/%5Cevil",
    ] {
        let r = s.get(&format!("/a11y/elder?back={evil}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{evil}");
        assert_eq!(r.headers[header::LOCATION], "/", "{evil}");
    }
}

#[tokio::test]
async fn attachments_are_listed_and_downloaded_only_for_published_records() {
    let s = site().await;
    let list = s.get("/org/FZ00101/").await;
    let href = list
        .attrs(".doc-title a", "href")
        .into_iter()
        .next()
        .unwrap();
    let id: i64 = href.trim_start_matches("/doc/").parse().unwrap();
    gongkai_app::files::attach(
        &s.app,
        gongkai_app::documents::Actor::System,
        id,
        "任务分解表.txt",
        "一、加强政策解读\n".as_bytes().to_vec(),
    )
    .await
    .unwrap();
    gongkai_app::files::attach(
        &s.app,
        gongkai_app::documents::Actor::System,
        s.draft,
        "草稿附件.txt",
        b"secret".to_vec(),
    )
    .await
    .unwrap();
    let page = s.get(&href).await;
    assert_eq!(page.texts(".attachments li a"), ["任务分解表.txt"]);
    let link = page
        .attrs(".attachments li a", "href")
        .into_iter()
        .next()
        .unwrap();
    let file = s.get(&link).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, "一、加强政策解读\n");
    assert_eq!(
        file.headers[header::CONTENT_TYPE],
        "text/plain; charset=utf-8"
    );
    let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("UTF-8''%E4%BB%BB"), "{disposition}");
    // The draft's attachment is as invisible as the draft; ids of other records do not mix.
    let draft_file = s.get(&format!("/doc/{}/files/2", s.draft)).await;
    assert_eq!(draft_file.status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.get(&format!("/doc/{id}/files/2")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn nothing_a_user_can_type_into_an_address_gives_a_server_error() {
    let s = site().await;
    let nasty = [
        "%27%20OR%201%3D1%20--",
        "%00",
        "%E4%B8%AD%E6%96%87",
        "%FF%FE",
        "99999999999999999999",
        "-1",
        "1e3",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1%5C%E4%B8%8D%E5%AD%98%E5%9C%A8",
        "a%2Fb%2Fc",
        "",
    ];
    let long = "x".repeat(5000);
    for key in [
        "org", "topic", "kind", "year", "validity", "column", "page", "unknown",
    ] {
        for value in nasty.iter().copied().chain([long.as_str()]) {
            for base in ["/list", "/org/GL00101/"] {
                let uri = format!("{base}?{key}={value}");
                let p = s.get(&uri).await;
                assert!(
                    p.status == StatusCode::OK || p.status == StatusCode::BAD_REQUEST,
                    "{uri}: {}",
                    p.status
                );
                assert!(!p.body.contains("<script>alert"), "{uri} reflects markup");
            }
        }
    }
    for path in [
        "/doc/%00",
        "/doc/99999999999999999999999",
        "/org/%3Cb%3E/",
        "/doc/1/files/x",
        "/a11y/x",
    ] {
        let p = s.get(path).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn undecodable_addresses_get_the_chinese_pages() {
    let s = site().await;
    for uri in [
        "/doc/%FF",
        "/org/%FF/",
        "/doc/%FF/print",
        "/doc/1/files/%FF",
    ] {
        let p = s.get(uri).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(p.text("h1"), "页面不存在", "{uri}");
    }
    let r = s.get("/a11y/elder?back=%FF").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/");
    let r = s.get("/a11y/elder?back=/list%3Fcolumn%3D%E6%94%BF").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_column_made_by_a_draft_stays_hidden_until_something_is_published_in_it() {
    let s = site().await;
    let line = gongkai_domain::validate_line(
        &gongkai_testkit::builders::DocLine::new()
            .set("column", "法定主动公开内容/内部试点栏目")
            .to_line(),
    )
    .unwrap()
    .0;
    let id =
        gongkai_app::documents::create_draft(&s.app, gongkai_app::documents::Actor::System, &line)
            .await
            .unwrap();
    let page = s.get("/org/GL00101/").await;
    assert!(
        !page
            .texts(".side-nav a")
            .contains(&"内部试点栏目".to_owned())
    );
    gongkai_app::documents::publish(
        &s.app,
        gongkai_app::documents::Actor::System,
        id,
        time::macros::date!(2026 - 01 - 05),
    )
    .await
    .unwrap();
    let page = s.get("/org/GL00101/").await;
    assert!(
        page.texts(".side-nav a")
            .contains(&"内部试点栏目".to_owned())
    );
}

#[tokio::test]
async fn an_amended_record_points_to_its_successor_and_the_successor_lists_its_history() {
    use gongkai_app::documents::{Actor, set_validity};
    let s = site().await;
    let list = s.get("/org/GL00101/?year=2019").await;
    let ids: Vec<i64> = list
        .attrs(".doc-title > a", "href")
        .iter()
        .map(|h| h.trim_start_matches("/doc/").parse().unwrap())
        .collect();
    let (new, old) = (ids[0], ids[1]);
    set_validity(
        &s.app,
        Actor::System,
        old,
        gongkai_domain::Validity::Amended,
        Some(new),
    )
    .await
    .unwrap();
    let old_page = s.get(&format!("/doc/{old}")).await;
    assert_eq!(old_page.text("dd.validity"), "已修订");
    assert_eq!(old_page.attrs(".notice a", "href"), [format!("/doc/{new}")]);
    let new_page = s.get(&format!("/doc/{new}")).await;
    assert_eq!(
        new_page.attrs(".history a", "href"),
        [format!("/doc/{old}")]
    );
    assert!(s.get("/").await.body.contains("现行规范性文件"));
}
