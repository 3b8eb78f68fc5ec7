//! 一网通查 on the portal: the header box, the search page and its facets, the API.

use axum::http::StatusCode;

use crate::site;

fn q(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap()
}

#[tokio::test]
async fn every_public_page_and_the_404_page_have_the_search_box() {
    let s = site().await;
    for uri in ["/", "/list", "/org/GL00101/", "/no/such/page"] {
        let p = s.get(uri).await;
        assert_eq!(
            p.attrs(
                "header form[role=search][action='/search'] input[name=q]",
                "id"
            ),
            ["site-q"],
            "{uri}"
        );
        assert_eq!(
            p.texts("label[for=site-q]").len(),
            1,
            "{uri}: the box has a label"
        );
    }
}

#[tokio::test]
async fn a_doc_number_in_the_box_opens_with_that_document_first() {
    let s = site().await;
    for typed in ["榕政办〔2021〕53号", "榕政办[2021]53号", "榕政办53号"] {
        let p = s.get(&format!("/search?{}", q(typed))).await;
        assert_eq!(p.status, StatusCode::OK, "{typed}");
        let first = p.attrs(".search-hit .hit-title a", "href");
        let titles = p.texts(".search-hit .hit-title");
        assert!(
            titles[0].contains("2021年全市政务公开工作要点"),
            "{typed}: {titles:?}"
        );
        assert!(first[0].starts_with("/doc/"));
        assert!(
            p.text(".search-hit.exact .exact-label")
                .contains("发文字号")
        );
        assert_eq!(
            p.attrs("#site-q", "value"),
            [typed],
            "the header box keeps what was typed"
        );
    }
}

#[tokio::test]
async fn words_are_highlighted_and_facets_narrow_by_organization_and_year() {
    let s = site().await;
    let p = s.get(&format!("/search?{}", q("政务公开 工作要点"))).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.texts(".search-hit .hit-title")[0].contains("政务公开工作要点"));
    assert!(p.body.contains("<mark>政务公开</mark>"), "{}", p.body);
    let p = s.get(&format!("/search?{}", q("测试公开信息"))).await;
    assert_eq!(p.text(".result-count strong"), "43");
    // The organization facet links to the same search within one unit.
    let links = p.attrs(".facets a[href*='org=GL01007']", "href");
    assert_eq!(links.len(), 1, "{}", p.body);
    let narrowed = s.get(&links[0]).await;
    assert_eq!(narrowed.text(".result-count strong"), "21");
    let year = narrowed.attrs(".facets a[href*='year=2020']", "href");
    let by_year = s.get(&year[0]).await;
    let n: usize = by_year.text(".result-count strong").parse().unwrap();
    assert!(n > 0 && n < 21, "{n}");
    assert!(
        by_year.body.contains("不限发布年份"),
        "a chosen facet can be cleared"
    );
}

#[tokio::test]
async fn drafts_and_withdrawn_records_are_never_found() {
    let s = site().await;
    for words in ["尚未发布的草稿标题", "已经撤回的通告标题", "草稿", "撤回"]
    {
        let p = s.get(&format!("/search?{}", q(words))).await;
        assert!(
            p.texts(".search-hit").is_empty(),
            "{words}: {:?}",
            p.texts(".search-hit")
        );
    }
}

#[tokio::test]
async fn bad_search_parameters_get_a_chinese_400_page() {
    let s = site().await;
    for (uri, says) in [
        ("/search?q=a&year=abc", "年份"),
        ("/search?q=a&page=0", "页码"),
        ("/search?q=a&kind=nope", "公文种类"),
        ("/search?q=a&org=NOPE", "机构"),
        ("/search?q=a&topic=9", "主题分类"),
    ] {
        let p = s.get(uri).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(p.body.contains(says), "{uri}: {}", p.body);
    }
    let long = "政".repeat(201);
    let p = s.get(&format!("/search?{}", q(&long))).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let empty = s.get("/search").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("请输入检索词"));
}

#[tokio::test]
async fn the_api_answers_json_with_hits_and_facets() {
    let s = site().await;
    let p = s
        .get(&format!("/api/v1/search?{}", q("榕政办〔2021〕53号")))
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["doc_number"], "榕政办〔2021〕53号");
    assert_eq!(v["hits"][0]["matched"], "doc_number");
    assert_eq!(v["hits"][0]["org"], "FZ00101");
    assert!(v["hits"][0]["url"].as_str().unwrap().starts_with("/doc/"));
    let p = s
        .get(&format!("/api/v1/search?{}&page=2", q("测试公开信息")))
        .await;
    let v: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(v["total"], 43);
    assert_eq!(v["page"], 2);
    assert_eq!(v["hits"].as_array().unwrap().len(), 20);
    assert!(v["facets"]["year"].as_array().unwrap().len() >= 8);
    let bad = s.get("/api/v1/search").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
    assert_eq!(v["error"], "bad_request");
    assert!(v["message"].as_str().unwrap().contains("检索词"));
}
