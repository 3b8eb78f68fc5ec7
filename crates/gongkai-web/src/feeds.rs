//! Feeds (RSS 2.0, Atom, JSON Feed 1.1) of the platform and of each organization, and the
//! sitemap, at the addresses of SPEC C2. Written by the `rss` and `atom_syndication` crates
//! (they escape and lay out what feed readers expect) and serde for JSON Feed.

use std::str::FromStr;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_app::feeds::{self, FeedItem};
use gongkai_app::orgs::OrgTree;
use gongkai_app::portal::Scope;
use time::format_description::well_known::{Rfc2822, Rfc3339};

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::public::PathOr404;

/// What a feed is of: its title, its page and its own address prefix.
struct Source {
    title: String,
    page: String,
    prefix: String,
}

fn instant(d: time::Date) -> time::OffsetDateTime {
    d.midnight().assume_offset(gongkai_app::china_offset())
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn summary(i: &FeedItem) -> String {
    let mut head = vec![i.org_name.clone()];
    if let Some(n) = &i.doc_number {
        head.push(n.clone());
    }
    if let Some(n) = &i.index_number {
        head.push(format!("索引号 {n}"));
    }
    format!("{}。{}", head.join(" · "), i.excerpt)
}

fn rss(base: &str, src: &Source, items: &[FeedItem]) -> String {
    let channel = rss::Channel {
        title: src.title.clone(),
        link: format!("{base}{}", src.page),
        description: format!("{}最新公开的政府信息", src.title),
        language: Some("zh-CN".into()),
        last_build_date: items
            .first()
            .and_then(|i| instant(i.published).format(&Rfc2822).ok()),
        items: items
            .iter()
            .map(|i| {
                let link = format!("{base}/doc/{}", i.id);
                rss::Item {
                    title: Some(i.title.clone()),
                    link: Some(link.clone()),
                    description: Some(summary(i)),
                    pub_date: instant(i.published).format(&Rfc2822).ok(),
                    guid: Some(rss::Guid {
                        value: link,
                        permalink: true,
                    }),
                    categories: vec![rss::Category {
                        name: i.topic.clone(),
                        domain: None,
                    }],
                    ..rss::Item::default()
                }
            })
            .collect(),
        ..rss::Channel::default()
    };
    channel.to_string()
}

fn fixed(t: time::OffsetDateTime) -> atom_syndication::FixedDateTime {
    atom_syndication::FixedDateTime::from_str(&rfc3339(t)).unwrap_or_default()
}

fn atom(base: &str, src: &Source, items: &[FeedItem]) -> String {
    use atom_syndication::{Category, Entry, Feed, Link, Person, Text};
    let link = |href: String, rel: &str, mime: &str| Link {
        href,
        rel: rel.into(),
        mime_type: Some(mime.into()),
        ..Link::default()
    };
    let updated = items
        .iter()
        .map(|i| i.updated)
        .max()
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let feed = Feed {
        title: Text::plain(src.title.clone()),
        id: format!("{base}{}atom.xml", src.prefix),
        updated: fixed(updated),
        lang: Some("zh-CN".into()),
        authors: vec![Person {
            name: src.title.clone(),
            ..Person::default()
        }],
        links: vec![
            link(format!("{base}{}", src.page), "alternate", "text/html"),
            link(
                format!("{base}{}atom.xml", src.prefix),
                "self",
                "application/atom+xml",
            ),
        ],
        entries: items
            .iter()
            .map(|i| Entry {
                title: Text::plain(i.title.clone()),
                id: format!("{base}/doc/{}", i.id),
                updated: fixed(i.updated),
                published: Some(fixed(instant(i.published))),
                authors: vec![Person {
                    name: i.org_name.clone(),
                    ..Person::default()
                }],
                links: vec![link(
                    format!("{base}/doc/{}", i.id),
                    "alternate",
                    "text/html",
                )],
                summary: Some(Text::plain(summary(i))),
                categories: vec![Category {
                    term: i.topic.clone(),
                    ..Category::default()
                }],
                ..Entry::default()
            })
            .collect(),
        ..Feed::default()
    };
    feed.to_string()
}

fn json_feed(base: &str, src: &Source, items: &[FeedItem]) -> String {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            serde_json::json!({
                "id": format!("{base}/doc/{}", i.id),
                "url": format!("{base}/doc/{}", i.id),
                "title": i.title,
                "summary": summary(i),
                "content_text": i.excerpt,
                "date_published": rfc3339(instant(i.published)),
                "date_modified": rfc3339(i.updated),
                "authors": [{"name": i.org_name}],
                "tags": [i.topic],
            })
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": src.title,
        "home_page_url": format!("{base}{}", src.page),
        "feed_url": format!("{base}{}feed.json", src.prefix),
        "language": "zh-CN",
        "items": items,
    })
    .to_string()
}

#[derive(Clone, Copy)]
enum Format {
    Rss,
    Atom,
    Json,
}

async fn render(s: &AppState, org: Option<&str>, format: Format) -> Response {
    let app = s.app();
    let tree = match OrgTree::current(app).await {
        Ok(t) => t,
        Err(e) => return WebError(e).into_response(),
    };
    let (scope, src) = match org {
        None => (
            Scope::All,
            Source {
                title: "政府信息公开平台".into(),
                page: "/".into(),
                prefix: "/".into(),
            },
        ),
        Some(code) => match tree.by_code(code) {
            Some(o) => (
                Scope::Org(o),
                Source {
                    title: format!("{} 政府信息公开", o.name),
                    page: format!("/org/{}/", o.code),
                    prefix: format!("/org/{}/", o.code),
                },
            ),
            None => return ErrorPage::not_found().into_response(),
        },
    };
    let items = match feeds::items(app, &tree, scope).await {
        Ok(i) => i,
        Err(e) => return WebError(e).into_response(),
    };
    let base = s.config().base_url.trim_end_matches('/');
    let (body, mime) = match format {
        Format::Rss => (
            rss(base, &src, &items),
            "application/rss+xml; charset=utf-8",
        ),
        Format::Atom => (
            atom(base, &src, &items),
            "application/atom+xml; charset=utf-8",
        ),
        Format::Json => (
            json_feed(base, &src, &items),
            "application/feed+json; charset=utf-8",
        ),
    };
    ([(header::CONTENT_TYPE, mime)], body).into_response()
}

/// `GET /feed.xml`.
pub async fn rss_all(State(s): State<AppState>) -> Response {
    render(&s, None, Format::Rss).await
}

/// `GET /atom.xml`.
pub async fn atom_all(State(s): State<AppState>) -> Response {
    render(&s, None, Format::Atom).await
}

/// `GET /feed.json`.
pub async fn json_all(State(s): State<AppState>) -> Response {
    render(&s, None, Format::Json).await
}

/// `GET /org/{code}/feed.xml`.
pub async fn rss_org(State(s): State<AppState>, PathOr404(code): PathOr404<String>) -> Response {
    render(&s, Some(&code), Format::Rss).await
}

/// `GET /org/{code}/atom.xml`.
pub async fn atom_org(State(s): State<AppState>, PathOr404(code): PathOr404<String>) -> Response {
    render(&s, Some(&code), Format::Atom).await
}

/// `GET /org/{code}/feed.json`.
pub async fn json_org(State(s): State<AppState>, PathOr404(code): PathOr404<String>) -> Response {
    render(&s, Some(&code), Format::Json).await
}

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `GET /sitemap.xml`: an index of the portal's pages and of the record files.
pub async fn sitemap_index(State(s): State<AppState>) -> Response {
    let files = match feeds::sitemap_files(s.app()).await {
        Ok(n) => n,
        Err(e) => return WebError(e).into_response(),
    };
    let base = s.config().base_url.trim_end_matches('/');
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out.push_str(&format!(
        "<sitemap><loc>{base}/sitemap/pages.xml</loc></sitemap>\n"
    ));
    for n in 0..files {
        out.push_str(&format!(
            "<sitemap><loc>{base}/sitemap/docs-{n}.xml</loc></sitemap>\n"
        ));
    }
    out.push_str("</sitemapindex>\n");
    xml(out)
}

fn url(out: &mut String, loc: &str, lastmod: Option<time::Date>) {
    out.push_str("<url><loc>");
    out.push_str(&escape(loc));
    out.push_str("</loc>");
    if let Some(d) = lastmod {
        out.push_str(&format!(
            "<lastmod>{}</lastmod>",
            gongkai_domain::format_date_iso(d)
        ));
    }
    out.push_str("</url>\n");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const URLSET: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

/// `GET /sitemap/pages.xml`: the home page, the catalogue and each organization's column.
pub async fn sitemap_pages(State(s): State<AppState>) -> Response {
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError(e).into_response(),
    };
    let base = s.config().base_url.trim_end_matches('/');
    let mut out = String::from(URLSET);
    url(&mut out, &format!("{base}/"), None);
    url(&mut out, &format!("{base}/list"), None);
    for o in tree.all() {
        url(&mut out, &format!("{base}/org/{}/", o.code), None);
    }
    out.push_str("</urlset>\n");
    xml(out)
}

/// `GET /sitemap/docs-{n}.xml`: up to 50,000 published records.
pub async fn sitemap_docs(
    State(s): State<AppState>,
    PathOr404(file): PathOr404<String>,
) -> Response {
    let n = file
        .strip_prefix("docs-")
        .and_then(|f| f.strip_suffix(".xml"))
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (0..1_000_000).contains(n));
    let Some(n) = n else {
        return ErrorPage::not_found().into_response();
    };
    let records = match feeds::sitemap_records(s.app(), n).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let base = s.config().base_url.trim_end_matches('/');
    let mut out = String::with_capacity(URLSET.len() + records.len() * 96);
    out.push_str(URLSET);
    for (id, updated) in records {
        let day = updated.to_offset(gongkai_app::china_offset()).date();
        url(&mut out, &format!("{base}/doc/{id}"), Some(day));
    }
    out.push_str("</urlset>\n");
    xml(out)
}
