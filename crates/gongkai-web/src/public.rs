//! The public portal: home, lists with filters, document pages, print view, QR code,
//! attachments, the 适老化 switch. Never needs a login; shows only published records.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::model::{Attachment, Column, Document, Org, Summary};
use gongkai_app::orgs::OrgTree;
use gongkai_app::portal::{self, ListQuery, Lookup, Scope};
use gongkai_domain::column::UNIFIED_COLUMNS;
use gongkai_domain::{DocKind, Topic, Validity, format_date_iso};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::{ErrorPage, WebResult};
use crate::layout::{ELDER_COOKIE, Layout};
use crate::views::{self, Opt, OptGroup, Pager, Row};

/// An organization in a navigation tree.
#[derive(Clone, Debug)]
pub struct OrgLink {
    /// Indentation depth.
    pub depth: usize,
    /// Name.
    pub name: String,
    /// Address of its column.
    pub href: String,
    /// Published records.
    pub count: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/home.html")]
pub struct HomePage {
    layout: Layout,
    latest: Vec<Row>,
    total: i64,
    orgs: Vec<OrgLink>,
    columns: Vec<(String, String, i64)>,
    policy: Vec<Row>,
}

/// `GET /`.
pub async fn home(State(s): State<AppState>, layout: Layout) -> WebResult<HomePage> {
    let app = s.app();
    let tree = OrgTree::current(app).await?;
    let latest = portal::newest(app, &tree, Scope::All, &ListQuery::default(), 10).await?;
    let policy = portal::newest(
        app,
        &tree,
        Scope::All,
        &ListQuery {
            column: Some("法定主动公开内容/政策文件".into()),
            validity: Some(Validity::Valid),
            ..ListQuery::default()
        },
        8,
    )
    .await?;
    let counts = portal::org_counts(app).await?;
    let orgs = tree
        .flatten()
        .into_iter()
        .map(|(depth, o)| OrgLink {
            depth,
            name: o.name.clone(),
            href: format!("/org/{}/", o.code),
            count: counts.get(&o.id).copied().unwrap_or(0),
        })
        .collect();
    let paths = portal::all_column_paths(app).await?;
    let columns = UNIFIED_COLUMNS
        .iter()
        .map(|name| {
            let n: i64 = paths
                .iter()
                .filter(|(p, _)| p == name || p.starts_with(&format!("{name}/")))
                .map(|(_, n)| n)
                .sum();
            (
                name.to_string(),
                list_href("/list", &Params::column(name), 1),
                n,
            )
        })
        .collect();
    Ok(HomePage {
        layout,
        latest: latest.iter().map(Row::from).collect(),
        total: counts.values().sum(),
        orgs,
        columns,
        policy: policy.iter().map(Row::from).collect(),
    })
}

/// Query string of a list page. Every value arrives as text and is checked here.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Params {
    #[serde(default, skip_serializing_if = "is_blank")]
    org: Option<String>,
    #[serde(default, skip_serializing_if = "is_blank")]
    topic: Option<String>,
    #[serde(default, skip_serializing_if = "is_blank")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "is_blank")]
    year: Option<String>,
    #[serde(default, skip_serializing_if = "is_blank")]
    validity: Option<String>,
    #[serde(default, skip_serializing_if = "is_blank")]
    column: Option<String>,
    #[serde(default, skip_serializing)]
    page: Option<String>,
}

fn is_blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn blank_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Params {
    fn column(path: &str) -> Params {
        Params {
            column: Some(path.to_owned()),
            ..Params::default()
        }
    }

    fn parse(raw: Option<&str>) -> Result<Params, ErrorPage> {
        serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|_| ErrorPage::bad_request("网址中的查询参数格式不正确。"))
    }

    /// The checked filters; a bad value names its field.
    fn to_query(&self) -> Result<ListQuery, ErrorPage> {
        let bad = |field: &str, value: &str| {
            ErrorPage::bad_request(&format!(
                "筛选条件“{field}”的值“{value}”无效，请从列表中选择。"
            ))
        };
        let topic = match blank_none(&self.topic) {
            Some(t) => Some(Topic::parse(t).map_err(|_| bad("主题分类", t))?),
            None => None,
        };
        let kind = match blank_none(&self.kind) {
            Some(k) => Some(
                DocKind::from_code(k)
                    .or_else(|_| DocKind::from_label(k))
                    .map_err(|_| bad("公文种类", k))?,
            ),
            None => None,
        };
        let year = match blank_none(&self.year) {
            Some(y) => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1949..=2100).contains(y))
                    .ok_or_else(|| bad("年份", y))?,
            ),
            None => None,
        };
        let validity = match blank_none(&self.validity) {
            Some(v) => Some(
                Validity::from_code(v)
                    .or_else(|_| Validity::from_label(v))
                    .map_err(|_| bad("有效性", v))?,
            ),
            None => None,
        };
        let column = match blank_none(&self.column) {
            Some(c) => {
                let path = gongkai_domain::ColumnPath::parse(c).map_err(|_| bad("栏目", c))?;
                Some(path.to_string())
            }
            None => None,
        };
        let page = match blank_none(&self.page) {
            Some(p) => p
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| {
                    ErrorPage::bad_request(&format!("页码“{p}”无效，页码须为正整数。"))
                })?,
            None => 1,
        };
        if let Some(o) = blank_none(&self.org)
            && gongkai_domain::OrgCode::parse(o).is_err()
        {
            return Err(bad("机构", o));
        }
        Ok(ListQuery {
            org: blank_none(&self.org).map(str::to_owned),
            topic,
            kind,
            year,
            validity,
            column,
            page,
        })
    }
}

fn list_href(path: &str, p: &Params, page: i64) -> String {
    let mut qs = serde_urlencoded::to_string(p).unwrap_or_default();
    if page > 1 {
        if !qs.is_empty() {
            qs.push('&');
        }
        qs.push_str(&format!("page={page}"));
    }
    if qs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{qs}")
    }
}

/// A column in the side navigation.
#[derive(Clone, Debug)]
pub struct ColumnLink {
    /// Name of this level.
    pub name: String,
    /// Address.
    pub href: String,
    /// Second level.
    pub child: bool,
    /// The column shown.
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/list.html")]
pub struct ListPage {
    layout: Layout,
    heading: String,
    org: Option<OrgHeader>,
    breadcrumb: Vec<(String, String)>,
    action: String,
    org_options: Vec<Opt>,
    topic_groups: Vec<OptGroup>,
    kind_options: Vec<Opt>,
    year_options: Vec<Opt>,
    /// The year filter is 报告年度 (the 年度报告 column).
    by_report_year: bool,
    validity_options: Vec<Opt>,
    column_options: Vec<Opt>,
    column_links: Vec<ColumnLink>,
    rows: Vec<Row>,
    pager: Pager,
    filtered: bool,
    reset_href: String,
}

/// An organization at the top of its column.
#[derive(Clone, Debug)]
pub struct OrgHeader {
    /// Name.
    pub name: String,
    /// 机关代字.
    pub short_name: String,
    /// Parent name and address.
    pub parent: Option<(String, String)>,
    /// Units below.
    pub children: Vec<(String, String)>,
}

/// `GET /list`: the aggregated column of every organization.
pub async fn list_all(
    State(s): State<AppState>,
    layout: Layout,
    RawQuery(raw): RawQuery,
) -> Response {
    render_list(&s, layout, raw.as_deref(), None).await
}

/// `GET /org/{code}`: add the slash.
pub async fn org_redirect(PathOr404(code): PathOr404<String>) -> Response {
    if gongkai_domain::OrgCode::parse(&code).is_err() {
        return ErrorPage::not_found().into_response();
    }
    Redirect::permanent(&format!("/org/{code}/")).into_response()
}

/// `GET /org/{code}/`: one organization's column.
pub async fn org_column(
    State(s): State<AppState>,
    layout: Layout,
    PathOr404(code): PathOr404<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    render_list(&s, layout, raw.as_deref(), Some(&code)).await
}

async fn render_list(
    s: &AppState,
    layout: Layout,
    raw: Option<&str>,
    org_code: Option<&str>,
) -> Response {
    match build_list(s, layout, raw, org_code).await {
        Ok(Ok(page)) => page.into_response(),
        Ok(Err(page)) => page.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn build_list(
    s: &AppState,
    mut layout: Layout,
    raw: Option<&str>,
    org_code: Option<&str>,
) -> WebResult<Result<ListPage, ErrorPage>> {
    let app = s.app();
    let params = match Params::parse(raw) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let mut q = match params.to_query() {
        Ok(q) => q,
        Err(e) => return Ok(Err(e)),
    };
    let tree = OrgTree::current(app).await?;
    let org: Option<&Org> = match org_code {
        Some(code) => match tree.by_code(code) {
            Some(o) => Some(o),
            None => return Ok(Err(ErrorPage::not_found())),
        },
        None => None,
    };
    if let Some(o) = org {
        q.org = None;
        layout.feeds = format!("/org/{}/", o.code);
    } else if let Some(code) = &q.org
        && tree.by_code(code).is_none()
    {
        return Ok(Err(ErrorPage::bad_request(&format!(
            "筛选条件“机构”的值“{code}”无效，请从列表中选择。"
        ))));
    }
    let scope = org.map_or(Scope::All, Scope::Org);
    let result = portal::list(app, &tree, scope, &q).await?;
    let path = match org {
        Some(o) => format!("/org/{}/", o.code),
        None => "/list".to_owned(),
    };
    let mut kept = params.clone();
    if org.is_some() {
        kept.org = None;
    }
    let pager = Pager::new(result.page, result.pages, result.total, |n| {
        list_href(&path, &kept, n)
    });
    let year_options = result
        .years
        .iter()
        .map(|(y, n)| Opt {
            value: y.to_string(),
            label: if result.by_report_year {
                format!("{y}年度（{n}）")
            } else {
                format!("{y}年（{n}）")
            },
            selected: q.year == Some(*y as i32),
        })
        .collect();
    let columns: Vec<Column> = match org {
        Some(o) => portal::org_columns(app, o.id).await?,
        None => Vec::new(),
    };
    let column_options: Vec<Opt> = match org {
        Some(_) => columns
            .iter()
            .map(|c| Opt {
                value: c.path.clone(),
                label: if c.parent_id.is_some() {
                    format!("　{}", c.name)
                } else {
                    c.name.clone()
                },
                selected: q.column.as_deref() == Some(c.path.as_str()),
            })
            .collect(),
        None => {
            let paths = portal::all_column_paths(app).await?;
            let mut out = Vec::new();
            for first in UNIFIED_COLUMNS {
                out.push(Opt {
                    value: first.to_owned(),
                    label: first.to_owned(),
                    selected: q.column.as_deref() == Some(first),
                });
                for (p, n) in paths
                    .iter()
                    .filter(|(p, _)| p.starts_with(&format!("{first}/")))
                {
                    out.push(Opt {
                        value: p.clone(),
                        label: format!("　{}（{n}）", p.split('/').nth(1).unwrap_or(p)),
                        selected: q.column.as_deref() == Some(p.as_str()),
                    });
                }
            }
            out
        }
    };
    let column_links = columns
        .iter()
        .map(|c| ColumnLink {
            name: c.name.clone(),
            href: list_href(&path, &Params::column(&c.path), 1),
            child: c.parent_id.is_some(),
            current: q.column.as_deref() == Some(c.path.as_str()),
        })
        .collect();
    let org_options = match org {
        Some(_) => Vec::new(),
        None => tree
            .flatten()
            .into_iter()
            .map(|(depth, o)| Opt {
                value: o.code.clone(),
                label: format!("{}{}", "　".repeat(depth), o.name),
                selected: q.org.as_deref() == Some(o.code.as_str()),
            })
            .collect(),
    };
    let header = org.map(|o| OrgHeader {
        name: o.name.clone(),
        short_name: o.short_name.clone().unwrap_or_default(),
        parent: o
            .parent_id
            .and_then(|p| tree.get(p))
            .map(|p| (p.name.clone(), format!("/org/{}/", p.code))),
        children: tree
            .children(o.id)
            .into_iter()
            .map(|c| (c.name.clone(), format!("/org/{}/", c.code)))
            .collect(),
    });
    let mut breadcrumb = vec![("首页".to_owned(), "/".to_owned())];
    match org {
        Some(o) => {
            for a in tree.ancestors(o.id) {
                breadcrumb.push((a.name.clone(), format!("/org/{}/", a.code)));
            }
        }
        None => breadcrumb.push(("信息公开目录".to_owned(), "/list".to_owned())),
    }
    let heading = match (&q.column, org) {
        (Some(c), _) => c.rsplit('/').next().unwrap_or(c).to_owned(),
        (None, Some(o)) => format!("{}政府信息公开", o.name),
        (None, None) => "政府信息公开目录".to_owned(),
    };
    let filtered = q.topic.is_some()
        || q.kind.is_some()
        || q.year.is_some()
        || q.validity.is_some()
        || q.column.is_some()
        || q.org.is_some();
    Ok(Ok(ListPage {
        layout,
        heading,
        org: header,
        breadcrumb,
        action: path.clone(),
        org_options,
        topic_groups: views::topic_groups(q.topic),
        kind_options: views::kind_options(q.kind),
        year_options,
        by_report_year: result.by_report_year,
        validity_options: views::validity_options(q.validity),
        column_options,
        column_links,
        rows: result.items.iter().map(Row::from).collect(),
        pager,
        filtered,
        reset_href: path,
    }))
}

/// The metadata and content of a document page.
#[derive(Clone, Debug)]
pub struct DocView {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) index_number: String,
    pub(crate) topic: String,
    pub(crate) issuer: String,
    pub(crate) written: String,
    pub(crate) doc_number: String,
    pub(crate) published: String,
    pub(crate) validity: String,
    pub(crate) validity_class: &'static str,
    pub(crate) in_force: bool,
    pub(crate) kind: String,
    pub(crate) term: String,
    pub(crate) column: String,
    pub(crate) column_href: String,
    pub(crate) org_name: String,
    pub(crate) org_href: String,
    pub(crate) body_html: String,
    pub(crate) attachments: Vec<AttachmentView>,
    pub(crate) successor: Option<(String, String)>,
    pub(crate) predecessors: Vec<(String, String, String)>,
    pub(crate) url: String,
}

/// An attachment link.
#[derive(Clone, Debug)]
pub struct AttachmentView {
    pub(crate) href: String,
    pub(crate) name: String,
    pub(crate) size: String,
    pub(crate) kind: &'static str,
    /// Why its text could not be read in full: shown to staff only.
    pub(crate) problem: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/document.html")]
pub struct DocumentPage {
    layout: Layout,
    doc: DocView,
    breadcrumb: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/print.html")]
pub struct PrintPage {
    layout: Layout,
    doc: DocView,
}

fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|i| *i > 0)
}

async fn load_doc(
    s: &AppState,
    raw_id: &str,
) -> Result<(DocView, Vec<(String, String)>), Response> {
    let Some(id) = parse_id(raw_id) else {
        return Err(ErrorPage::not_found().into_response());
    };
    let app = s.app();
    let found = match portal::document(app, id).await {
        Ok(Lookup::Published(d)) => d,
        Ok(Lookup::Withdrawn) => {
            return Err(ErrorPage::new(
                StatusCode::GONE,
                "该信息已撤回",
                "您访问的政府信息已由发布机关撤回，不再公开。如有疑问，请联系发布机关。",
            )
            .into_response());
        }
        Err(e) => return Err(crate::error::WebError(e).into_response()),
    };
    let d = &found.doc;
    let org_href = format!("/org/{}/", d.org_code);
    let mut view = doc_view(
        d,
        &found.attachments,
        found.successor.as_ref(),
        &s.config().base_url,
        &format!("/doc/{}/files", d.id),
    );
    view.predecessors = found
        .predecessors
        .iter()
        .map(|p| {
            (
                p.title.clone(),
                format!("/doc/{}", p.id),
                p.published_date.map(format_date_iso).unwrap_or_default(),
            )
        })
        .collect();
    let breadcrumb = vec![
        ("首页".to_owned(), "/".to_owned()),
        (d.org_name.clone(), org_href),
        (
            d.column_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned(),
            view.column_href.clone(),
        ),
        ("正文".to_owned(), String::new()),
    ];
    Ok((view, breadcrumb))
}

/// The view of a record for its page; attachments link under `files_prefix`.
pub(crate) fn doc_view(
    d: &Document,
    attachments: &[Attachment],
    successor: Option<&Summary>,
    base_url: &str,
    files_prefix: &str,
) -> DocView {
    let org_href = format!("/org/{}/", d.org_code);
    DocView {
        id: d.id,
        title: d.title.clone(),
        index_number: d.index_number.clone().unwrap_or_default(),
        topic: d.topic.clone(),
        issuer: d.issuer.clone(),
        written: format_date_iso(d.written_date),
        doc_number: d.doc_number.clone().unwrap_or_default(),
        published: d.published_date.map(format_date_iso).unwrap_or_default(),
        validity: d.validity.label().to_owned(),
        validity_class: views::validity_class(Some(d.validity)),
        in_force: d.validity.in_force(),
        kind: d.kind.label().to_owned(),
        term: d.disclosure_term.label().to_owned(),
        column: d.column_path.replace('/', " > "),
        column_href: list_href(&org_href, &Params::column(&d.column_path), 1),
        org_name: d.org_name.clone(),
        org_href,
        body_html: d.body_html.clone(),
        attachments: attachments
            .iter()
            .map(|a| AttachmentView {
                href: format!("{files_prefix}/{}", a.id),
                name: a.file_name.clone(),
                size: views::file_size(a.byte_size),
                kind: kind_of_media(&a.media_type),
                problem: None,
            })
            .collect(),
        successor: successor.map(|s| (s.title.clone(), format!("/doc/{}", s.id))),
        predecessors: Vec::new(),
        url: format!("{base_url}/doc/{}", d.id),
    }
}

fn kind_of_media(media: &str) -> &'static str {
    match media {
        m if m.starts_with("application/pdf") => "PDF",
        m if m.contains("wordprocessingml") => "Word",
        m if m.contains("spreadsheetml") => "Excel",
        m if m.starts_with("image/") => "图片",
        m if m.starts_with("text/") => "文本",
        _ => "文件",
    }
}

/// `GET /doc/{id}`.
pub async fn document(
    State(s): State<AppState>,
    layout: Layout,
    PathOr404(id): PathOr404<String>,
) -> Response {
    match load_doc(&s, &id).await {
        Ok((doc, breadcrumb)) => DocumentPage {
            layout,
            doc,
            breadcrumb,
        }
        .into_response(),
        Err(r) => r,
    }
}

/// `GET /doc/{id}/print`.
pub async fn print(
    State(s): State<AppState>,
    layout: Layout,
    PathOr404(id): PathOr404<String>,
) -> Response {
    match load_doc(&s, &id).await {
        Ok((doc, _)) => PrintPage { layout, doc }.into_response(),
        Err(r) => r,
    }
}

/// `GET /doc/{id}/qr.svg`: the page address as a QR code (扫一扫在手机上查看).
pub async fn qr_code(State(s): State<AppState>, PathOr404(id): PathOr404<String>) -> Response {
    let Some(id) = parse_id(&id) else {
        return ErrorPage::not_found().into_response();
    };
    match portal::document(s.app(), id).await {
        Ok(Lookup::Published(_)) => {}
        Ok(Lookup::Withdrawn) | Err(_) => return ErrorPage::not_found().into_response(),
    }
    let url = format!("{}/doc/{id}", s.config().base_url);
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build();
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("image/svg+xml"),
                    ),
                    (
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=86400"),
                    ),
                ],
                svg,
            )
                .into_response()
        }
        Err(e) => {
            crate::error::WebError(gongkai_app::Error::internal(format!("qr: {e}"))).into_response()
        }
    }
}

/// `GET /doc/{id}/files/{file}`: an attachment of a published record.
pub async fn attachment(
    State(s): State<AppState>,
    PathOr404((id, file)): PathOr404<(String, String)>,
) -> Response {
    let (Some(id), Some(file)) = (parse_id(&id), parse_id(&file)) else {
        return ErrorPage::not_found().into_response();
    };
    match portal::attachment(s.app(), id, file).await {
        Ok((att, bytes)) => file_response(&att, bytes),
        Err(e) => crate::error::WebError(e).into_response(),
    }
}

/// An attachment as a download.
pub(crate) fn file_response(att: &Attachment, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"download\"; filename*=UTF-8''{}",
        percent_encode(&att.file_name)
    );
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&att.media_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    (headers, bytes).into_response()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[derive(Default, Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// A path parameter; an undecodable one (`/doc/%FF`) is a Chinese 404, not axum's text.
pub struct PathOr404<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PathOr404<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(PathOr404(v)),
            Err(_) => Err(ErrorPage::not_found().into_response()),
        }
    }
}

/// `GET /a11y/{elder|standard}?back=PATH`: switches the 适老化 view and returns.
pub async fn a11y(PathOr404(mode): PathOr404<String>, RawQuery(raw): RawQuery) -> Response {
    let value = match mode.as_str() {
        "elder" => "1",
        "standard" => "0",
        _ => return ErrorPage::not_found().into_response(),
    };
    let b: Back =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    // Only paths of this site, never another host.
    let back = b
        .back
        .filter(|p| {
            p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control)
        })
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{ELDER_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut r = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// `GET /robots.txt`: the public column is for everyone; the staff side is not indexed.
pub async fn robots() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /staff/\nDisallow: /a11y/\n",
    )
        .into_response()
}

/// `GET /favicon.svg` (and `/favicon.ico`, which browsers ask for unprompted).
pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/favicon.svg"),
    )
        .into_response()
}

/// `GET /healthz`: 200 `ok` when the database answers with this build's schema, else the
/// same 503 the pages give, with a one-line reason for the operator.
pub async fn healthz(State(s): State<AppState>) -> Response {
    let health = s.app().health(std::time::Duration::from_secs(3)).await;
    let reason = match &health {
        gongkai_app::Health::Ready => {
            return ([(header::CACHE_CONTROL, "no-store")], "ok").into_response();
        }
        gongkai_app::Health::Unmigrated => "database schema missing or older than this build",
        gongkai_app::Health::Unreachable(_) => "database unavailable",
    };
    let mut response = crate::outage::unavailable("/healthz", &health);
    *response.body_mut() = axum::body::Body::from(reason);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Any other address.
pub async fn not_found() -> ErrorPage {
    ErrorPage::not_found()
}

/// A row of the 立改废 list.
pub struct ChangeRow {
    id: i64,
    title: String,
    doc_number: String,
    org_name: String,
    validity: &'static str,
    class: &'static str,
    date: String,
    successor: Option<(i64, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/changes.html")]
pub struct ChangesPage {
    layout: Layout,
    heading: String,
    breadcrumb: Vec<(String, String)>,
    rows: Vec<ChangeRow>,
    pager: Pager,
}

#[derive(serde::Deserialize, Default)]
struct PageOnly {
    page: Option<String>,
}

async fn changes_page(
    s: &AppState,
    mut layout: Layout,
    raw: Option<&str>,
    org: Option<&str>,
) -> Response {
    let q: PageOnly = serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default();
    let page = match q.page.as_deref().filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            _ => {
                return ErrorPage::bad_request(&format!("页码“{p}”无效，页码须为正整数。"))
                    .into_response();
            }
        },
    };
    let app = s.app();
    let tree = match OrgTree::current(app).await {
        Ok(t) => t,
        Err(e) => return crate::error::WebError(e).into_response(),
    };
    let (scope, heading, base, mut breadcrumb) = match org {
        None => (
            Scope::All,
            "文件立改废情况".to_owned(),
            "/changes".to_owned(),
            vec![("首页".to_owned(), "/".to_owned())],
        ),
        Some(code) => match tree.by_code(code) {
            Some(o) => {
                layout.feeds = format!("/org/{}/", o.code);
                (
                    Scope::Org(o),
                    format!("{} 文件立改废情况", o.name),
                    format!("/org/{}/changes", o.code),
                    vec![
                        ("首页".to_owned(), "/".to_owned()),
                        (o.name.clone(), format!("/org/{}/", o.code)),
                    ],
                )
            }
            None => return ErrorPage::not_found().into_response(),
        },
    };
    breadcrumb.push(("立改废情况".to_owned(), String::new()));
    let (items, total) = match portal::validity_changes(app, scope, page).await {
        Ok(r) => r,
        Err(e) => return crate::error::WebError(e).into_response(),
    };
    let per_page = portal::PAGE_SIZE;
    let pages = ((total + per_page - 1) / per_page).max(1);
    let rows = items
        .into_iter()
        .map(|c| ChangeRow {
            id: c.id,
            title: c.title,
            doc_number: c.doc_number.unwrap_or_default(),
            org_name: c.org_name,
            validity: c.validity.label(),
            class: if c.validity == Validity::Amended {
                "amended"
            } else {
                "invalid"
            },
            date: c
                .validity_changed_on
                .map(gongkai_domain::format_date_iso)
                .unwrap_or_else(|| "—".into()),
            successor: c.successor_id.zip(c.successor_title),
        })
        .collect();
    ChangesPage {
        layout,
        heading,
        breadcrumb,
        rows,
        pager: Pager::new(page, pages, total, |n| {
            if n > 1 {
                format!("{base}?page={n}")
            } else {
                base.clone()
            }
        }),
    }
    .into_response()
}

/// `GET /changes`: every organization's 立改废.
pub async fn changes_all(
    State(s): State<AppState>,
    layout: Layout,
    RawQuery(raw): RawQuery,
) -> Response {
    changes_page(&s, layout, raw.as_deref(), None).await
}

/// `GET /org/{code}/changes`.
pub async fn changes_org(
    State(s): State<AppState>,
    layout: Layout,
    PathOr404(code): PathOr404<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    changes_page(&s, layout, raw.as_deref(), Some(&code)).await
}
