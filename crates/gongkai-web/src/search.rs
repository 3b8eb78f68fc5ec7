//! 一网通查 on the portal: `GET /search` (the page, with facets as links, no JavaScript) and
//! `GET /api/v1/search` (the same as JSON).

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use gongkai_app::orgs::OrgTree;
use gongkai_app::search::{Hit, Matched, SearchPage, SearchRequest, search};
use gongkai_domain::{DocKind, Validity, format_date_iso, topic::topics};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::layout::Layout;
use crate::views::{Pager, kind_label, validity_class};

/// The query string of a search.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
struct Params {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    q: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    validity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page: Option<String>,
}

impl Params {
    fn parse(raw: Option<&str>) -> Result<Params, String> {
        let mut p: Params = serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|_| "检索地址的参数无法识别，请重新输入检索词。".to_owned())?;
        // An empty select submits an empty value: no filter.
        for v in [
            &mut p.org,
            &mut p.topic,
            &mut p.kind,
            &mut p.year,
            &mut p.validity,
            &mut p.page,
        ] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *v = None;
            }
        }
        Ok(p)
    }

    fn request(&self) -> Result<SearchRequest, String> {
        let year = match &self.year {
            Some(y) => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1949..=2100).contains(y))
                    .ok_or_else(|| format!("筛选条件“年份”的值“{y}”无效。"))?,
            ),
            None => None,
        };
        let page = match &self.page {
            Some(p) => p
                .parse::<usize>()
                .ok()
                .filter(|&p| p >= 1)
                .ok_or_else(|| format!("页码“{p}”无效。"))?,
            None => 1,
        };
        if let Some(k) = &self.kind {
            DocKind::from_code(k).map_err(|_| format!("筛选条件“公文种类”的值“{k}”无效。"))?;
        }
        if let Some(v) = &self.validity {
            Validity::from_code(v).map_err(|_| format!("筛选条件“有效性”的值“{v}”无效。"))?;
        }
        if let Some(t) = &self.topic
            && !(matches!(t.len(), 2 | 4) && t.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(format!("筛选条件“主题分类”的值“{t}”无效。"));
        }
        Ok(SearchRequest {
            q: self.q.clone(),
            org: self.org.clone(),
            topic: self.topic.clone(),
            kind: self.kind.clone(),
            year,
            validity: self.validity.clone(),
            page,
            per_page: gongkai_app::search::PER_PAGE,
        })
    }

    fn href(&self) -> String {
        match serde_urlencoded::to_string(self) {
            Ok(q) if !q.is_empty() => format!("/search?{q}"),
            _ => "/search".to_owned(),
        }
    }

    /// This search with one filter changed (and back to page 1).
    fn with(&self, change: impl FnOnce(&mut Params)) -> String {
        let mut p = self.clone();
        p.page = None;
        change(&mut p);
        p.href()
    }
}

/// A facet value as a link.
#[derive(Clone, Debug)]
pub struct FacetLink {
    label: String,
    count: u64,
    href: String,
    current: bool,
}

/// One facet: its values and the link that clears it.
#[derive(Clone, Debug)]
pub struct Facet {
    name: &'static str,
    links: Vec<FacetLink>,
    clear: Option<String>,
}

/// One hit on the page.
#[derive(Clone, Debug)]
pub struct HitView {
    href: String,
    title_html: String,
    snippet_html: String,
    doc_number: String,
    index_number: String,
    org_name: String,
    published: String,
    kind: String,
    validity: String,
    validity_class: &'static str,
    /// Found by its 发文字号 or 索引号, not by words.
    by_number: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/search.html")]
pub struct SearchPageView {
    layout: Layout,
    q: String,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<Facet>,
    pager: Pager,
    filtered: bool,
    clear_filters: String,
    words: String,
}

/// `GET /search`.
pub async fn page(
    State(s): State<AppState>,
    mut layout: Layout,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return ErrorPage::bad_request(&m).into_response(),
    };
    layout.search = params.q.clone();
    let req = match params.request() {
        Ok(r) => r,
        Err(m) => return ErrorPage::bad_request(&m).into_response(),
    };
    let found = if req.q.trim().is_empty() {
        None
    } else {
        match search(s.app(), &req).await {
            Ok(found) => Some(found),
            Err(gongkai_app::Error::Invalid(m)) => {
                return ErrorPage::bad_request(&m).into_response();
            }
            Err(e) => return WebError::from(e).into_response(),
        }
    };
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError::from(e).into_response(),
    };
    view(layout, &params, found.as_ref(), &tree).into_response()
}

fn view(
    layout: Layout,
    params: &Params,
    found: Option<&SearchPage>,
    tree: &OrgTree,
) -> SearchPageView {
    let (total, hits, words, page, per_page) = match found {
        Some(f) => (
            f.results.total,
            f.results.hits.iter().map(hit_view).collect(),
            f.results.words.join(" "),
            f.page,
            f.per_page,
        ),
        None => (
            0,
            Vec::new(),
            String::new(),
            1,
            gongkai_app::search::PER_PAGE,
        ),
    };
    let shown = total.min(gongkai_app::search::MAX_OFFSET + per_page);
    let pages = shown.div_ceil(per_page).max(1);
    let pager = Pager::new(page as i64, pages as i64, total as i64, |n| {
        let mut p = params.clone();
        p.page = (n > 1).then(|| n.to_string());
        p.href()
    });
    let facets = found.map(|f| facets(params, f, tree)).unwrap_or_default();
    let filtered = params.org.is_some()
        || params.topic.is_some()
        || params.kind.is_some()
        || params.year.is_some()
        || params.validity.is_some();
    SearchPageView {
        layout,
        q: params.q.clone(),
        total,
        hits,
        facets,
        pager,
        filtered,
        clear_filters: Params {
            q: params.q.clone(),
            ..Params::default()
        }
        .href(),
        words,
    }
}

fn hit_view(h: &Hit) -> HitView {
    let validity = Validity::from_code(&h.validity).ok();
    HitView {
        href: format!("/doc/{}", h.id),
        title_html: h.title_html.clone(),
        snippet_html: h.snippet_html.clone(),
        doc_number: h.doc_number.clone().unwrap_or_default(),
        index_number: h.index_number.clone().unwrap_or_default(),
        org_name: h.org_name.clone(),
        published: format_date_iso(h.published_date),
        kind: kind_label(&h.kind),
        validity: validity.map_or_else(|| h.validity.clone(), |v| v.label().to_owned()),
        validity_class: validity_class(validity),
        by_number: match h.matched {
            Matched::DocNumber => Some("发文字号"),
            Matched::IndexNumber => Some("索引号"),
            Matched::DocNumberPart => Some("发文字号（部分）"),
            Matched::Words => None,
        },
    }
}

/// Organizations shown before the rest fold away.
const ORG_LINKS: usize = 12;

fn facets(params: &Params, f: &SearchPage, tree: &OrgTree) -> Vec<Facet> {
    let mut out = Vec::new();
    // Organizations: each with its units' hits; within a chosen one, its direct units.
    let chosen = params.org.as_deref().and_then(|c| tree.by_code(c));
    let mut candidates: Vec<&gongkai_app::model::Org> = match chosen {
        Some(o) => std::iter::once(o).chain(tree.children(o.id)).collect(),
        None => tree
            .roots()
            .into_iter()
            .flat_map(|r| std::iter::once(r).chain(tree.children(r.id)))
            .collect(),
    };
    // And the units that hold hits themselves, however deep.
    let within = chosen.map(|o| tree.subtree_ids(o.id));
    for (id, _) in &f.results.facets.org {
        if within.as_ref().is_none_or(|w| w.contains(id))
            && let Some(o) = tree.get(*id)
            && !candidates.iter().any(|c| c.id == o.id)
        {
            candidates.push(o);
        }
    }
    let mut orgs: Vec<FacetLink> = candidates
        .into_iter()
        .filter_map(|o| {
            let n = f.org_totals.get(&o.id).copied().unwrap_or(0);
            (n > 0).then(|| FacetLink {
                label: o.name.clone(),
                count: n,
                href: params.with(|p| p.org = Some(o.code.clone())),
                current: params.org.as_deref() == Some(o.code.as_str()),
            })
        })
        .collect();
    orgs.sort_by(|a, b| b.current.cmp(&a.current).then(b.count.cmp(&a.count)));
    orgs.truncate(ORG_LINKS * 4);
    out.push(Facet {
        name: "发布机构",
        links: orgs,
        clear: params.org.as_ref().map(|_| params.with(|p| p.org = None)),
    });
    out.push(code_facet(
        params,
        "主题分类",
        &f.results.facets.topic,
        topic_label,
        params.topic.as_deref(),
        |p, v| p.topic = v,
    ));
    out.push(code_facet(
        params,
        "公文种类",
        &f.results.facets.kind,
        kind_label,
        params.kind.as_deref(),
        |p, v| p.kind = v,
    ));
    out.push(Facet {
        name: "发布年份",
        links: f
            .results
            .facets
            .year
            .iter()
            .map(|(y, n)| FacetLink {
                label: format!("{y}年"),
                count: *n,
                href: params.with(|p| p.year = Some(y.to_string())),
                current: params.year.as_deref() == Some(y.to_string().as_str()),
            })
            .collect(),
        clear: params.year.as_ref().map(|_| params.with(|p| p.year = None)),
    });
    out.push(code_facet(
        params,
        "有效性",
        &f.results.facets.validity,
        validity_label,
        params.validity.as_deref(),
        |p, v| p.validity = v,
    ));
    out.retain(|f| !f.links.is_empty() || f.clear.is_some());
    out
}

/// A facet over a coded field: each value with its label and count, most hits first.
fn code_facet(
    params: &Params,
    name: &'static str,
    values: &[(String, u64)],
    label: fn(&str) -> String,
    current: Option<&str>,
    set: fn(&mut Params, Option<String>),
) -> Facet {
    Facet {
        name,
        links: sorted(values.iter().map(|(code, n)| FacetLink {
            label: label(code),
            count: *n,
            href: params.with(|p| set(p, Some(code.clone()))),
            current: current == Some(code.as_str()),
        })),
        clear: current.map(|_| params.with(|p| set(p, None))),
    }
}

/// The first-level name of a 主题分类 code (`02` → 综合政务).
fn topic_label(code: &str) -> String {
    code.parse::<u8>()
        .ok()
        .and_then(|i| topics().iter().find(|g| g.index == i))
        .map_or_else(|| code.to_owned(), |g| g.name.to_owned())
}

/// The label of a 有效性 code.
fn validity_label(code: &str) -> String {
    Validity::from_code(code).map_or_else(|_| code.to_owned(), |v| v.label().to_owned())
}

fn sorted(links: impl Iterator<Item = FacetLink>) -> Vec<FacetLink> {
    let mut v: Vec<FacetLink> = links.collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}

/// A hit of `/api/v1/search`.
#[derive(Serialize)]
struct ApiHit<'a> {
    id: i64,
    title: &'a str,
    doc_number: Option<&'a str>,
    index_number: Option<&'a str>,
    org: &'a str,
    org_name: &'a str,
    kind: &'a str,
    validity: &'a str,
    published_date: String,
    url: String,
    snippet: &'a str,
    snippet_html: &'a str,
    matched: Matched,
}

#[derive(Serialize)]
struct ApiFacet {
    value: String,
    label: String,
    count: u64,
}

#[derive(Serialize)]
struct ApiAnswer<'a> {
    q: &'a str,
    total: usize,
    page: usize,
    per_page: usize,
    hits: Vec<ApiHit<'a>>,
    facets: std::collections::BTreeMap<&'static str, Vec<ApiFacet>>,
}

#[derive(Serialize)]
struct ApiError {
    error: &'static str,
    message: String,
}

/// `GET /api/v1/search?q=…&org=…&topic=…&kind=…&year=…&validity=…&page=…`.
pub async fn api(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let bad = |m: String| {
        (
            axum::http::StatusCode::BAD_REQUEST,
            Json(ApiError {
                error: "bad_request",
                message: m,
            }),
        )
            .into_response()
    };
    let params = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return bad(m),
    };
    let req = match params.request() {
        Ok(r) => r,
        Err(m) => return bad(m),
    };
    if req.q.trim().is_empty() {
        return bad("缺少检索词 q".into());
    }
    let found = match search(s.app(), &req).await {
        Ok(f) => f,
        Err(gongkai_app::Error::Invalid(m)) => return bad(m),
        Err(e) => return WebError::from(e).into_response(),
    };
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError::from(e).into_response(),
    };
    let mut facets = std::collections::BTreeMap::new();
    let mut orgs: Vec<ApiFacet> = found
        .org_totals
        .iter()
        .filter_map(|(id, n)| {
            tree.get(*id).map(|o| ApiFacet {
                value: o.code.clone(),
                label: o.name.clone(),
                count: *n,
            })
        })
        .collect();
    orgs.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    facets.insert("org", orgs);
    for (name, values) in [
        ("topic", &found.results.facets.topic),
        ("kind", &found.results.facets.kind),
        ("validity", &found.results.facets.validity),
    ] {
        facets.insert(
            name,
            values
                .iter()
                .map(|(code, n)| ApiFacet {
                    value: code.clone(),
                    label: match name {
                        "kind" => kind_label(code),
                        "validity" => validity_label(code),
                        _ => topic_label(code),
                    },
                    count: *n,
                })
                .collect(),
        );
    }
    facets.insert(
        "year",
        found
            .results
            .facets
            .year
            .iter()
            .map(|(y, n)| ApiFacet {
                value: y.to_string(),
                label: format!("{y}年"),
                count: *n,
            })
            .collect(),
    );
    let answer = ApiAnswer {
        q: &req.q,
        total: found.results.total,
        page: found.page,
        per_page: found.per_page,
        hits: found
            .results
            .hits
            .iter()
            .map(|h| ApiHit {
                id: h.id,
                title: &h.title,
                doc_number: h.doc_number.as_deref(),
                index_number: h.index_number.as_deref(),
                org: &h.org_code,
                org_name: &h.org_name,
                kind: &h.kind,
                validity: &h.validity,
                published_date: format_date_iso(h.published_date),
                url: format!("/doc/{}", h.id),
                snippet: &h.snippet,
                snippet_html: &h.snippet_html,
                matched: h.matched,
            })
            .collect(),
        facets,
    };
    Json(answer).into_response()
}
