//! The pages as a browser gets them, checked with CSS selectors.
#![allow(clippy::unwrap_used)]

mod admin;
mod api;
mod apply;
mod cache;
mod desk;
mod feeds;
mod public;
mod reports;
mod search;
mod server;
mod staff;

use std::io::Cursor;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_app::App;
use gongkai_app::documents::{Actor, create_draft, publish, withdraw};
use gongkai_app::import::{ImportOptions, import_documents};
use gongkai_domain::validate_line;
use gongkai_testkit::TestDb;
use gongkai_testkit::builders::{DocLine, jsonl, org_tree};
use gongkai_web::WebConfig;
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tower::ServiceExt;

pub struct Site {
    pub t: TestDb,
    pub app: App,
    pub router: Router,
    pub draft: i64,
    pub withdrawn: i64,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {css} in page:\n{}", self.body))
    }

    /// The `name=value` pair of the cookie the response sets.
    pub fn cookie(&self) -> String {
        self.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }
}

/// A site with 45 published records, a draft and a withdrawn record.
pub async fn site() -> Site {
    let t = gongkai_testkit::sqlite().await;
    let app = gongkai_testkit::app(&t);
    org_tree(&app).await;
    let mut lines = vec![
        DocLine::new()
            .org("FZ00101")
            .title("福州市人民政府办公厅关于印发2021年全市政务公开工作要点的通知")
            .set("doc_number", "榕政办〔2021〕53号")
            .set("issuer", "福州市人民政府办公厅")
            .set("written_date", "2021-06-04")
            .set("published_date", "2021-06-09"),
        DocLine::new()
            .title("鼓楼区已废止的管理办法")
            .set("validity", "repealed")
            .set("kind", "规范性文件")
            .set("published_date", "2019-03-01")
            .set("written_date", "2019-02-20"),
    ];
    for i in 0..43 {
        let year = 2019 + (i % 8);
        lines.push(
            DocLine::new()
                .org(if i % 2 == 0 { "GL00101" } else { "GL01007" })
                .title(&format!("测试公开信息第{i}号"))
                .set("doc_number", &format!("鼓政办〔{year}〕{}号", i + 1))
                .published(&format!("{year}-05-{:02}", 1 + i % 28))
                .set(
                    "topic",
                    if i % 3 == 0 {
                        "城乡建设、环境保护\\城市规划"
                    } else {
                        "综合政务\\政务公开"
                    },
                )
                .set(
                    "column",
                    if i % 4 == 0 {
                        "法定主动公开内容/财政预决算"
                    } else {
                        "法定主动公开内容/政策文件"
                    },
                ),
        );
    }
    let r = import_documents(
        &app,
        Cursor::new(jsonl(&lines)),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(r.imported, 45, "{:?}", r.errors);
    let draft = create_draft(
        &app,
        Actor::System,
        &validate_line(&DocLine::new().title("尚未发布的草稿标题").to_line())
            .unwrap()
            .0,
    )
    .await
    .unwrap();
    let withdrawn = create_draft(
        &app,
        Actor::System,
        &validate_line(&DocLine::new().title("已经撤回的通告标题").to_line())
            .unwrap()
            .0,
    )
    .await
    .unwrap();
    publish(
        &app,
        Actor::System,
        withdrawn,
        time::macros::date!(2026 - 01 - 05),
    )
    .await
    .unwrap();
    withdraw(&app, Actor::System, withdrawn, "内容有误")
        .await
        .unwrap();
    let router = gongkai_web::router(
        app.clone(),
        WebConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            base_url: "http://gongkai.test".into(),
            secure_cookies: false,
            http: gongkai_web::HttpSettings::default(),
        },
    );
    Site {
        t,
        app,
        router,
        draft,
        withdrawn,
    }
}

impl Site {
    pub async fn get(&self, uri: &str) -> Page {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: &str) -> Page {
        self.request(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Logs in through the login form as a browser does: its page, its cookie, its token.
    pub async fn login(&self, user: &str, password: &str) -> Page {
        self.login_with(user, password, |_| {}).await
    }

    /// [`Site::login`] with a change to the request before it is sent.
    pub async fn login_with(
        &self,
        user: &str,
        password: &str,
        change: impl FnOnce(&mut Request<Body>),
    ) -> Page {
        let form = self.get("/staff/login").await;
        let cookie = form.cookie();
        let token = form.attrs("input[name=_csrf]", "value").remove(0);
        let body = serde_urlencoded::to_string([
            ("username", user),
            ("password", password),
            ("_csrf", token.as_str()),
        ])
        .unwrap();
        let mut req = Request::post("/staff/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        change(&mut req);
        self.request(req).await
    }

    /// The form token of a session, as the desk's forms carry it.
    pub async fn form_token(&self, cookie: &str) -> String {
        let desk = self.get_with_cookie("/staff/", cookie).await;
        desk.attrs("input[name=_csrf]", "value")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no form token on the desk:\n{}", desk.body))
    }

    /// Posts a form of the desk with the session's form token, as a browser on this site.
    pub async fn post_form(&self, uri: &str, cookie: &str, body: &str) -> Page {
        let token = self.form_token(cookie).await;
        let body = if body.is_empty() {
            format!("_csrf={token}")
        } else {
            format!("{body}&_csrf={token}")
        };
        self.request(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn request(&self, req: Request<Body>) -> Page {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }
}
