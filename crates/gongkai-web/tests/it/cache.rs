//! The rendered-page cache and HTTP as browsers and proxies expect it (issue 13): nothing
//! stale after any public change, conditional requests, encodings, HEAD, Chinese pages for
//! the statuses layers answer.

use std::io::{Cursor, Read};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongkai_app::documents::{Actor, create_draft, publish, set_validity, withdraw};
use gongkai_app::import::{ImportOptions, import_documents};
use gongkai_app::orgs::{OrgInput, create};
use gongkai_domain::{OrgKind, Validity, validate_line};
use gongkai_testkit::builders::{DocLine, jsonl};

use crate::{Site, site};

/// The id of the record titled `title`.
async fn id_of(s: &Site, title: &str) -> i64 {
    let tree = gongkai_app::orgs::OrgTree::load(&s.app).await.unwrap();
    for page in 1..10 {
        let q = gongkai_app::portal::ListQuery {
            page,
            ..Default::default()
        };
        let list = gongkai_app::portal::list(&s.app, &tree, gongkai_app::portal::Scope::All, &q)
            .await
            .unwrap();
        if let Some(r) = list.items.iter().find(|r| r.title == title) {
            return r.id;
        }
    }
    panic!("no published record titled {title}")
}

/// Changes a title behind the application's back: no generation bump, so a page that
/// still shows the old title came from the cache.
async fn retitle_quietly(s: &Site, id: i64, title: &str) {
    s.t.execute_raw(&format!(
        "UPDATE documents SET title = '{title}' WHERE id = {id}"
    ))
    .await;
}

#[tokio::test]
async fn pages_are_served_from_the_cache_until_a_public_change() {
    let s = site().await;
    let id = id_of(&s, "测试公开信息第0号").await;
    let doc = format!("/doc/{id}");
    assert!(s.get(&doc).await.body.contains("测试公开信息第0号"));
    retitle_quietly(&s, id, "悄悄改过的标题").await;
    assert!(
        s.get(&doc).await.body.contains("测试公开信息第0号"),
        "the cached page is served while nothing public changed"
    );
    assert!(
        s.get_with_cookie(&doc, "gk_elder=1")
            .await
            .body
            .contains("悄悄改过的标题"),
        "the 适老化 view is its own entry"
    );
    // Any public change: every page is rendered again.
    let draft = create_draft(
        &s.app,
        Actor::System,
        &validate_line(&DocLine::new().title("新发布的通知").to_line())
            .unwrap()
            .0,
    )
    .await
    .unwrap();
    assert!(
        s.get(&doc).await.body.contains("测试公开信息第0号"),
        "a draft is no public change"
    );
    publish(
        &s.app,
        Actor::System,
        draft,
        time::macros::date!(2026 - 01 - 06),
    )
    .await
    .unwrap();
    assert!(s.get(&doc).await.body.contains("悄悄改过的标题"));
}

#[tokio::test]
async fn every_kind_of_public_change_shows_on_the_next_request() {
    let s = site().await;
    let pages = ["/", "/list", "/org/GL00101/", "/list?org=GL00101&page=2"];
    let warm = async || {
        for p in pages {
            assert_eq!(s.get(p).await.status, StatusCode::OK, "{p}");
        }
    };
    let id = id_of(&s, "测试公开信息第0号").await;
    let doc = format!("/doc/{id}");

    // Publication.
    warm().await;
    let _ = s.get(&doc).await;
    let draft = create_draft(
        &s.app,
        Actor::System,
        &validate_line(&DocLine::new().title("刚刚发布的新通知").to_line())
            .unwrap()
            .0,
    )
    .await
    .unwrap();
    publish(
        &s.app,
        Actor::System,
        draft,
        time::macros::date!(2026 - 01 - 06),
    )
    .await
    .unwrap();
    for p in ["/", "/list", "/org/GL00101/"] {
        assert!(
            s.get(p).await.body.contains("刚刚发布的新通知"),
            "publish: {p}"
        );
    }

    // Validity.
    assert!(s.get(&doc).await.body.contains("有效"));
    set_validity(&s.app, Actor::System, id, Validity::Repealed, None)
        .await
        .unwrap();
    assert_eq!(s.get(&doc).await.text("dd.validity"), "废止");

    // Withdrawal.
    warm().await;
    withdraw(&s.app, Actor::System, draft, "内容有误")
        .await
        .unwrap();
    assert_eq!(
        s.get(&format!("/doc/{draft}")).await.status,
        StatusCode::GONE
    );
    for p in ["/", "/list", "/org/GL00101/"] {
        assert!(
            !s.get(p).await.body.contains("刚刚发布的新通知"),
            "withdraw: {p}"
        );
    }

    // Import.
    warm().await;
    let r = import_documents(
        &s.app,
        Cursor::new(jsonl(&[DocLine::new()
            .title("导入的一条新信息")
            .published("2026-01-07")])),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(r.imported, 1);
    assert!(s.get("/list").await.body.contains("导入的一条新信息"));

    // A new organization.
    warm().await;
    create(
        &s.app,
        &OrgInput {
            code: "GL01008".into(),
            name: "福州市鼓楼区东街街道办事处".into(),
            short_name: None,
            kind: OrgKind::Subdistrict,
            parent: Some("GL00101".into()),
            index_pattern: None,
        },
    )
    .await
    .unwrap();
    assert!(s.get("/").await.body.contains("东街街道办事处"));
    assert!(s.get("/org/GL00101/").await.body.contains("东街街道办事处"));
    assert_eq!(s.get("/org/GL01008/").await.status, StatusCode::OK);

    // An attachment.
    let _ = s.get(&doc).await;
    gongkai_app::files::attach(
        &s.app,
        Actor::System,
        id,
        "附件一.txt",
        "附件内容".as_bytes().to_vec(),
    )
    .await
    .unwrap();
    assert!(s.get(&doc).await.body.contains("附件一.txt"));
}

fn req(method: Method, uri: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(k, *v);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn pages_answer_conditional_requests_with_304() {
    let s = site().await;
    let id = id_of(&s, "测试公开信息第1号").await;
    let doc = format!("/doc/{id}");
    let first = s.get(&doc).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let modified = first.headers[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(first.headers[header::CACHE_CONTROL], "public, no-cache");
    assert_eq!(first.headers[header::VARY], "Accept-Encoding, Cookie");
    assert!(httpdate::parse_http_date(&modified).is_ok(), "{modified}");

    let same = s
        .request(req(Method::GET, &doc, &[(header::IF_NONE_MATCH, &etag)]))
        .await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    assert!(same.body.is_empty());
    assert_eq!(same.headers[header::ETAG], etag.as_str());

    let listed = format!("\"nope\", {etag}");
    let in_list = s
        .request(req(Method::GET, &doc, &[(header::IF_NONE_MATCH, &listed)]))
        .await;
    assert_eq!(in_list.status, StatusCode::NOT_MODIFIED);

    let other = s
        .request(req(
            Method::GET,
            &doc,
            &[(header::IF_NONE_MATCH, "W/\"0000\"")],
        ))
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.body, first.body);

    let since = s
        .request(req(
            Method::GET,
            &doc,
            &[(header::IF_MODIFIED_SINCE, &modified)],
        ))
        .await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    let long_ago = s
        .request(req(
            Method::GET,
            &doc,
            &[(header::IF_MODIFIED_SINCE, "Sun, 06 Nov 1994 08:49:37 GMT")],
        ))
        .await;
    assert_eq!(long_ago.status, StatusCode::OK);

    // A change elsewhere that leaves this page as it was keeps its ETag.
    withdraw(
        &s.app,
        Actor::System,
        id_of(&s, "测试公开信息第2号").await,
        "重复",
    )
    .await
    .unwrap();
    let after = s
        .request(req(Method::GET, &doc, &[(header::IF_NONE_MATCH, &etag)]))
        .await;
    assert_eq!(after.status, StatusCode::NOT_MODIFIED);
    // A change of the page itself does not.
    set_validity(&s.app, Actor::System, id, Validity::Expired, None)
        .await
        .unwrap();
    let changed = s
        .request(req(Method::GET, &doc, &[(header::IF_NONE_MATCH, &etag)]))
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(changed.text("dd.validity"), "失效");
}

#[tokio::test]
async fn pages_come_compressed_once_and_head_answers_like_get() {
    let s = site().await;
    let plain = s.get("/list").await;
    let resp = |enc: &'static str| {
        let router = s.router.clone();
        async move {
            use tower::ServiceExt;
            let r = router
                .oneshot(req(Method::GET, "/list", &[(header::ACCEPT_ENCODING, enc)]))
                .await
                .unwrap();
            let headers = r.headers().clone();
            let bytes = http_body_util::BodyExt::collect(r.into_body())
                .await
                .unwrap()
                .to_bytes();
            (headers, bytes)
        }
    };
    let (h, gz) = resp("gzip").await;
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, plain.body);
    assert!(gz.len() * 3 < plain.body.len(), "gzip is much smaller");

    let (h, br) = resp("gzip, deflate, br").await;
    assert_eq!(h[header::CONTENT_ENCODING], "br");
    let mut text = String::new();
    brotli::Decompressor::new(&br[..], 4096)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, plain.body);

    let head = s.request(req(Method::HEAD, "/list", &[])).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(
        head.headers[header::CONTENT_LENGTH],
        plain.body.len().to_string().as_str()
    );
    assert_eq!(head.headers[header::ETAG], plain.headers[header::ETAG]);
    // HEAD first, GET after: the page rendered for HEAD serves the GET whole.
    let head_first = s.request(req(Method::HEAD, "/org/GL00101/", &[])).await;
    assert!(head_first.body.is_empty());
    let get = s.get("/org/GL00101/").await;
    assert!(get.body.contains("福州市鼓楼区人民政府办公室"));
    assert_eq!(
        head_first.headers[header::CONTENT_LENGTH],
        get.body.len().to_string().as_str()
    );
    // HEAD where there is no page: the same status as GET, no body.
    let missing = s.request(req(Method::HEAD, "/doc/99999", &[])).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.is_empty());
}

#[tokio::test]
async fn the_stylesheet_has_a_content_hashed_name_kept_for_a_year() {
    let s = site().await;
    let home = s.get("/").await;
    let href = home
        .attrs("link[rel=stylesheet]", "href")
        .into_iter()
        .next()
        .unwrap();
    assert!(
        href.starts_with("/static/site.") && href.ends_with(".css") && href.len() > 25,
        "{href}"
    );
    let css = s.get(&href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let old = s.get("/static/site.css").await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.body, css.body);
    assert_eq!(
        s.get("/static/other.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn refused_requests_get_short_chinese_pages() {
    let s = site().await;
    let check = |page: &crate::Page, status: StatusCode, title: &str| {
        assert_eq!(page.status, status);
        assert!(
            page.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{status}"
        );
        assert_eq!(page.text("h1"), title, "{status}");
    };
    let post_home = s.request(req(Method::POST, "/", &[])).await;
    check(
        &post_home,
        StatusCode::METHOD_NOT_ALLOWED,
        "请求方式不受支持",
    );
    let put_doc = s.request(req(Method::PUT, "/doc/1", &[])).await;
    check(&put_doc, StatusCode::METHOD_NOT_ALLOWED, "请求方式不受支持");

    let form = format!("username={}", "a".repeat(200_000));
    let big = Request::post("/staff/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, form.len())
        .body(Body::from(form))
        .unwrap();
    check(
        &s.request(big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "提交的内容过大",
    );

    let long = format!("/list?topic={}", "x".repeat(9_000));
    check(&s.get(&long).await, StatusCode::URI_TOO_LONG, "网址过长");

    let cookie = format!("gk_elder=1; junk={}", "y".repeat(40_000));
    check(
        &s.get_with_cookie("/", &cookie).await,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "请求头过大",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_arriving_together_after_a_change_share_one_render() {
    let s = site().await;
    let _ = s.get("/").await;
    withdraw(
        &s.app,
        Actor::System,
        id_of(&s, "测试公开信息第3号").await,
        "重复",
    )
    .await
    .unwrap();
    let mut readers = Vec::new();
    for _ in 0..24 {
        let router = s.router.clone();
        readers.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let r = router.oneshot(req(Method::GET, "/", &[])).await.unwrap();
            let status = r.status();
            let body = http_body_util::BodyExt::collect(r.into_body())
                .await
                .unwrap()
                .to_bytes();
            (status, body)
        }));
    }
    let mut bodies = Vec::new();
    for r in readers {
        let (status, body) = r.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "one page for all");
    assert!(
        !String::from_utf8_lossy(&bodies[0]).contains("测试公开信息第3号"),
        "and it is the page after the change"
    );
}
