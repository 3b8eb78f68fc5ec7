//! Feeds and the sitemap, read back by a standard feed parser (feed-rs).
use axum::http::{StatusCode, header};

use crate::site;

fn titles(body: &str) -> Vec<String> {
    let feed = feed_rs::parser::parse(body.as_bytes()).unwrap();
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

#[tokio::test]
async fn the_three_feeds_parse_and_carry_only_published_records() {
    let s = site().await;
    for (path, mime) in [
        ("/feed.xml", "application/rss+xml"),
        ("/atom.xml", "application/atom+xml"),
        ("/feed.json", "application/feed+json"),
    ] {
        let p = s.get(path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(
            p.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(mime),
            "{path}"
        );
        let t = titles(&p.body);
        assert_eq!(
            t.len(),
            45,
            "{path}: every published record (fewer than 50)"
        );
        assert!(
            !t.iter().any(|t| t.contains("草稿") || t.contains("撤回")),
            "{path}"
        );
        let feed = feed_rs::parser::parse(p.body.as_bytes()).unwrap();
        let first = &feed.entries[0];
        assert!(
            first.links[0].href.starts_with("http://gongkai.test/doc/"),
            "{path}"
        );
        assert!(first.published.is_some(), "{path}: a publication date");
        // Newest first.
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{path}");
    }
}

#[tokio::test]
async fn an_organization_has_its_own_feeds_and_pages_point_to_them() {
    let s = site().await;
    let p = s.get("/org/GL01007/feed.xml").await;
    assert_eq!(p.status, StatusCode::OK);
    let t = titles(&p.body);
    assert!(!t.is_empty());
    assert!(t.iter().all(|t| t.starts_with("测试公开信息第")));
    let odd = t.len();
    assert_eq!(odd, 21, "the street office's 21 records only");
    assert_eq!(
        s.get("/org/NOPE/atom.xml").await.status,
        StatusCode::NOT_FOUND
    );
    let page = s.get("/org/GL01007/").await;
    assert_eq!(
        page.attrs("link[rel=alternate][type='application/rss+xml']", "href"),
        ["/org/GL01007/feed.xml"]
    );
    let home = s.get("/").await;
    assert_eq!(
        home.attrs("link[rel=alternate]", "href"),
        ["/feed.xml", "/atom.xml", "/feed.json"]
    );
}

#[tokio::test]
async fn the_sitemap_lists_published_records_only() {
    let s = site().await;
    let index = s.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index
            .body
            .contains("<loc>http://gongkai.test/sitemap/pages.xml</loc>")
    );
    assert!(
        index
            .body
            .contains("<loc>http://gongkai.test/sitemap/docs-0.xml</loc>")
    );
    let docs = s.get("/sitemap/docs-0.xml").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert_eq!(docs.body.matches("<url>").count(), 45);
    assert!(!docs.body.contains(&format!("/doc/{}<", s.draft)));
    assert!(!docs.body.contains(&format!("/doc/{}<", s.withdrawn)));
    let pages = s.get("/sitemap/pages.xml").await;
    assert!(
        pages
            .body
            .contains("<loc>http://gongkai.test/org/GL00101/</loc>")
    );
    assert_eq!(
        s.get("/sitemap/docs-x.xml").await.status,
        StatusCode::NOT_FOUND
    );
}
