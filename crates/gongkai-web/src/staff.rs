//! Staff pages: login, logout and the landing page (工作台). Every page here needs a
//! session; the public pages never do.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::auth::{self, Staff};
use gongkai_app::orgs::OrgTree;
use gongkai_domain::workflow::Stage;
use gongkai_domain::{DocStatus, Role};
use serde::Deserialize;

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::layout::{Layout, cookie};
use crate::views::Row;

/// Session cookie name.
pub const SESSION_COOKIE: &str = "gk_session";

/// A logged-in staff member; pages that take one redirect to the login page otherwise.
pub struct LoggedIn(pub Staff);

impl FromRequestParts<AppState> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Self::Rejection> {
        let token = cookie(parts, SESSION_COOKIE).unwrap_or_default().to_owned();
        match auth::session(s.app(), &token).await {
            Ok(Some(staff)) => Ok(LoggedIn(staff)),
            Ok(None) => Err(Redirect::to("/staff/login").into_response()),
            Err(e) => Err(WebError(e).into_response()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/login.html")]
pub struct LoginPage {
    layout: Layout,
    username: String,
    error: Option<String>,
    token: String,
}

/// The cookie that pairs the login form with its browser (a double-submit token: another
/// site can neither read it nor set it, so it cannot post a login of its own).
const LOGIN_COOKIE: &str = "gk_login";

/// A login page with a new form token, and the cookie that carries it.
fn fresh_login(
    layout: Layout,
    status: StatusCode,
    username: String,
    error: Option<String>,
) -> Response {
    let token = gongkai_app::auth::random_token();
    let cookie = format!("{LOGIN_COOKIE}={token}; Path=/staff/login; HttpOnly; SameSite=Strict");
    let mut r = (
        status,
        LoginPage {
            layout,
            username,
            error,
            token,
        },
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// `GET /staff/login`.
pub async fn login_form(layout: Layout) -> Response {
    fresh_login(layout, StatusCode::OK, String::new(), None)
}

/// The login cookie's token, if any.
pub struct LoginCookie(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for LoginCookie {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(LoginCookie(
            cookie(parts, LOGIN_COOKIE)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        ))
    }
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "_csrf")]
    token: String,
}

/// `POST /staff/login`.
pub async fn login(
    State(s): State<AppState>,
    layout: Layout,
    source: ClientAddress,
    LoginCookie(expected): LoginCookie,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return fresh_login(
            layout,
            StatusCode::BAD_REQUEST,
            String::new(),
            Some("表单内容不完整，请重新填写。".into()),
        );
    };
    if expected.as_deref() != Some(form.token.as_str()) {
        return fresh_login(
            layout,
            StatusCode::FORBIDDEN,
            form.username,
            Some("登录页面已过期或来自其他网站，请重新输入密码登录。".into()),
        );
    }
    let again = |layout: Layout, status: StatusCode, username: String, error: String| {
        (
            status,
            LoginPage {
                layout,
                username,
                error: Some(error),
                token: form.token.clone(),
            },
        )
            .into_response()
    };
    if form.username.trim().is_empty() || form.password.is_empty() {
        return again(
            layout,
            StatusCode::BAD_REQUEST,
            form.username.clone(),
            "请填写用户名和密码。".into(),
        );
    }
    match auth::login_from(s.app(), &form.username, &form.password, &source.0).await {
        Ok((token, _)) => {
            let max_age = s.app().settings().session_hours * 3600;
            let secure = if s.config().secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
                token.token
            );
            let mut r = Redirect::to("/staff/").into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Err(e @ (gongkai_app::Error::BadCredentials | gongkai_app::Error::Throttled { .. })) => {
            let status = if matches!(e, gongkai_app::Error::Throttled { .. }) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            again(layout, status, form.username.clone(), e.to_string())
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/logout`.
pub async fn logout(State(s): State<AppState>, parts: Parts2) -> Response {
    if let Some(token) = parts.0
        && let Err(e) = auth::logout(s.app(), &token).await
    {
        return WebError(e).into_response();
    }
    let mut r = Redirect::to("/staff/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("gk_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    );
    r
}

/// The client's address: the peer, or behind a reverse proxy on this machine the address
/// it names last in `X-Forwarded-For`; `-` when unknown.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = client_ip(&parts.extensions, &parts.headers);
        Ok(ClientAddress(
            addr.map_or_else(|| "-".to_owned(), |a| a.to_string()),
        ))
    }
}

/// The address [`ClientAddress`] reads, when known.
pub fn client_ip(
    extensions: &axum::http::Extensions,
    headers: &axum::http::HeaderMap,
) -> Option<std::net::IpAddr> {
    let peer = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = || {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
    };
    match peer {
        Some(ip) if ip.is_loopback() => forwarded().or(Some(ip)),
        other => other,
    }
}

/// The session cookie, if any.
pub struct Parts2(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Parts2 {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Parts2(cookie(parts, SESSION_COOKIE).map(str::to_owned)))
    }
}

/// `GET /staff`.
pub async fn redirect_home() -> Redirect {
    Redirect::permanent("/staff/")
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/home.html")]
pub struct HomePage {
    layout: Layout,
    is_admin: bool,
    /// Holds 政务公开办 somewhere: prepares annual reports.
    is_office: bool,
    name: String,
    grants: Vec<(String, String, String)>,
    counts: Vec<(String, i64)>,
    drafts: Vec<Row>,
    published: Vec<Row>,
    reminders: gongkai_app::intake::Reminders,
    first_days: u32,
    last_days: u32,
}

/// `GET /staff/`: the landing page.
pub async fn home(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
) -> WebResult<HomePage> {
    let app = s.app();
    let tree = OrgTree::load(app).await?;
    let dash = gongkai_app::staff::dashboard(app, &staff, &tree).await?;
    let settings = app.settings();
    let desk = gongkai_app::intake::desk(app, &staff).await?;
    let reminders = gongkai_app::intake::reminders(&desk, &settings);
    layout.staff_name = Some(staff.display_name.clone());
    let counts = DocStatus::all()
        .iter()
        .map(|st| {
            let n = dash
                .counts
                .iter()
                .find(|(c, _)| c == st.code())
                .map_or(0, |(_, n)| *n);
            (st.label().to_owned(), n)
        })
        .collect();
    Ok(HomePage {
        layout,
        is_admin: staff.is_admin(),
        is_office: staff.grants.iter().any(|g| g.role == Role::Office),
        name: staff.display_name.clone(),
        grants: staff
            .grants
            .iter()
            .map(|g| {
                (
                    g.org_name.clone(),
                    g.org_code.clone(),
                    g.role.label().to_owned(),
                )
            })
            .collect(),
        counts,
        drafts: dash.drafts.iter().map(Row::from).collect(),
        published: dash.published.iter().map(Row::from).collect(),
        reminders,
        first_days: settings.reminder_first_days,
        last_days: settings.reminder_last_days,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/password.html")]
pub struct PasswordPage {
    layout: Layout,
    error: Option<String>,
    done: bool,
}

/// `GET /staff/password`.
pub async fn password_form(mut layout: Layout, LoggedIn(staff): LoggedIn) -> PasswordPage {
    layout.staff_name = Some(staff.display_name);
    PasswordPage {
        layout,
        error: None,
        done: false,
    }
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    old: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// `POST /staff/password`: changes the password and ends every session of the account.
pub async fn change_password(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    form: Result<Form<PasswordForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    layout.staff_name = Some(staff.display_name.clone());
    let fail = |layout: Layout, status: StatusCode, msg: String| {
        (
            status,
            PasswordPage {
                layout,
                error: Some(msg),
                done: false,
            },
        )
            .into_response()
    };
    let Ok(Form(form)) = form else {
        return fail(
            layout,
            StatusCode::BAD_REQUEST,
            "表单内容不完整，请重新填写。".into(),
        );
    };
    if form.new != form.repeat {
        return fail(
            layout,
            StatusCode::BAD_REQUEST,
            "两次输入的新密码不一致。".into(),
        );
    }
    match auth::change_password(s.app(), &staff, &form.old, &form.new).await {
        Ok(()) => {
            let mut r = (
                StatusCode::OK,
                PasswordPage {
                    layout,
                    error: None,
                    done: true,
                },
            )
                .into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_static("gk_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
            );
            r
        }
        Err(gongkai_app::Error::BadCredentials) => {
            fail(layout, StatusCode::BAD_REQUEST, "当前密码不正确。".into())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            fail(layout, StatusCode::BAD_REQUEST, e.to_string())
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// A record in the staff list.
pub struct StaffRow {
    href: String,
    title: String,
    org_name: String,
    status: &'static str,
    status_class: &'static str,
    index_number: String,
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/records.html")]
pub struct RecordsPage {
    layout: Layout,
    tabs: Vec<(String, String, bool)>,
    rows: Vec<StaffRow>,
    pager: crate::views::Pager,
}

#[derive(Deserialize, Default)]
pub struct RecordsQuery {
    status: Option<String>,
    page: Option<String>,
}

/// `GET /staff/docs`: the records of the person's organizations, by status.
pub async fn records(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let q: RecordsQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let status = match q.status.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match DocStatus::from_code(v) {
            Ok(st) => Some(st),
            Err(_) => {
                return crate::error::ErrorPage::bad_request("状态筛选条件无效。").into_response();
            }
        },
    };
    let page = match q.page.as_deref().filter(|v| !v.is_empty()) {
        None => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => n,
            _ => {
                return crate::error::ErrorPage::bad_request(&format!(
                    "页码“{p}”无效，页码须为正整数。"
                ))
                .into_response();
            }
        },
    };
    let app = s.app();
    let result = async {
        let tree = OrgTree::load(app).await?;
        gongkai_app::staff::records(app, &staff, &tree, status, page).await
    }
    .await;
    let (items, total) = match result {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let href = |st: Option<DocStatus>, n: i64| {
        let mut parts = Vec::new();
        if let Some(st) = st {
            parts.push(format!("status={}", st.code()));
        }
        if n > 1 {
            parts.push(format!("page={n}"));
        }
        if parts.is_empty() {
            "/staff/docs".to_owned()
        } else {
            format!("/staff/docs?{}", parts.join("&"))
        }
    };
    let mut tabs = vec![("全部".to_owned(), href(None, 1), status.is_none())];
    for st in DocStatus::all() {
        tabs.push((
            st.label().to_owned(),
            href(Some(*st), 1),
            status == Some(*st),
        ));
    }
    let per_page = gongkai_app::portal::PAGE_SIZE;
    let pages = ((total + per_page - 1) / per_page).max(1);
    let rows = items
        .iter()
        .map(|d| StaffRow {
            href: format!("/staff/doc/{}", d.id),
            title: d.title.clone(),
            org_name: d.org_name.clone(),
            status: d.status.label(),
            status_class: match d.status {
                DocStatus::Published => "valid",
                DocStatus::Draft => "amended",
                DocStatus::Withdrawn => "invalid",
            },
            index_number: d.index_number.clone().unwrap_or_default(),
            date: d
                .published_date
                .map(gongkai_domain::format_date_iso)
                .unwrap_or_else(|| {
                    format!("成文 {}", gongkai_domain::format_date_iso(d.written_date))
                }),
        })
        .collect();
    RecordsPage {
        layout,
        tabs,
        rows,
        pager: crate::views::Pager::new(page, pages, total, |n| href(status, n)),
    }
    .into_response()
}

/// A finding as the review panel shows it.
pub struct FindingRow {
    source: String,
    source_label: String,
    kind: &'static str,
    masked: String,
    line: u32,
    hash: String,
    kept: Option<String>,
    in_body: bool,
    /// In a PDF, whose redaction paints over every finding not kept at once.
    in_pdf: bool,
}

/// An entry of the record's history.
pub struct HistoryRow {
    at: String,
    who: String,
    what: String,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/document.html")]
pub struct StaffDocumentPage {
    layout: Layout,
    doc: crate::public::DocView,
    id: i64,
    stage: &'static str,
    public: bool,
    withdrawn_reason: String,
    returned_reason: String,
    scheduled: String,
    signatures: Vec<(&'static str, String)>,
    actions: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    can_review: bool,
    findings: Vec<FindingRow>,
    unread: Vec<gongkai_app::review::UnreadAttachment>,
    unresolved: usize,
    history: Vec<HistoryRow>,
    done: Option<&'static str>,
    disclosure: &'static str,
    disclosure_ground: String,
    withheld_review: bool,
    can_mark_validity: bool,
    attachments: Vec<(i64, String)>,
    validity: &'static str,
    today: String,
}

impl StaffDocumentPage {
    fn has_action(&self, code: &str) -> bool {
        self.actions.iter().any(|(c, _)| *c == code)
    }
}

/// What a history entry's action code means.
fn history_label(action: &str) -> String {
    match action.strip_prefix("document.") {
        Some("create") => "起草".into(),
        Some("edit") => "修改草稿".into(),
        Some("submit") => "提交审核（经办）".into(),
        Some("review") => "审核通过".into(),
        Some("approve") => "签发".into(),
        Some("publish") => "发布".into(),
        Some("publish_due") => "定时发布".into(),
        Some("publish_direct") => "发布（平台导入）".into(),
        Some("return") => "退回".into(),
        Some("withdraw") => "撤回".into(),
        Some("validity") => "变更有效性".into(),
        Some("redact") => "正文脱敏".into(),
        Some("scan_keep") => "保留扫描结果".into(),
        Some("attachment_checked") => "人工核对附件".into(),
        Some("attach") => "上传附件".into(),
        Some("attachment_removed") => "删除附件".into(),
        Some("withheld_kept") => "复查：维持不予公开".into(),
        Some("withheld_disclosed") => "复查：可以公开".into(),
        _ => action.to_owned(),
    }
}

fn history_note(detail: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(detail) else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(r) = v.get("reason").and_then(|r| r.as_str()) {
        parts.push(format!("原因：{r}"));
    }
    if let Some(n) = v.get("index_number").and_then(|r| r.as_str()) {
        parts.push(format!("索引号 {n}"));
    }
    if let Some(m) = v.get("masked").and_then(|r| r.as_str()) {
        parts.push(m.to_owned());
    }
    if let Some(n) = v.get("note").and_then(|r| r.as_str()) {
        parts.push(n.to_owned());
    }
    parts.join("；")
}

#[derive(Deserialize, Default)]
pub struct DocQuery {
    done: Option<String>,
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "saved" => "草稿已保存。",
        "submit" => "已提交审核。",
        "review" => "已审核通过，等待签发。",
        "approve" => "已签发，等待经办人发布。",
        "publish" => "已发布（或已按设定时间排期发布）。",
        "return" => "已退回经办人。",
        "withdraw" => "已撤回，公众页面显示撤回说明。",
        "kept" => "已记录保留理由。",
        "redacted" => "已脱敏，复查未发现残留。",
        "checked" => "已记录人工核对。",
        "withheld" => "已记录复查结论。",
        "validity" => "已变更有效性，公众页面和立改废列表已更新。",
        "attached" => "附件已上传，文字已读取并纳入敏感信息扫描。",
        "detached" => "附件已删除。",
        _ => return None,
    })
}

/// `GET /staff/doc/{id}`: any record of the person's organizations, as it will look, with
/// its place in the workflow, the scan findings and its history.
pub async fn document(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    crate::public::PathOr404(id): crate::public::PathOr404<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let Some(id) = id.parse::<i64>().ok().filter(|i| *i > 0) else {
        return crate::error::ErrorPage::not_found().into_response();
    };
    let q: DocQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let app = s.app();
    let found = async {
        let tree = OrgTree::load(app).await?;
        let found = gongkai_app::staff::document(app, &staff, &tree, id).await?;
        let review = gongkai_app::review::for_document(app, &found.doc).await?;
        let history = gongkai_app::audit::of_document(app, id).await?;
        let d = &found.doc;
        let mut ids: Vec<i64> = [d.handled_by, d.reviewed_by, d.approved_by]
            .into_iter()
            .flatten()
            .chain(history.iter().filter_map(|e| e.actor_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let names = gongkai_app::staff::display_names(app, &ids).await?;
        Ok::<_, gongkai_app::Error>((found, review, history, names))
    }
    .await;
    let (found, review, history, names) = match found {
        Ok(f) => f,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let d = &found.doc;
    let mut doc = crate::public::doc_view(
        d,
        &found.attachments,
        None,
        &s.config().base_url,
        &format!("/staff/doc/{}/files", d.id),
    );
    for (view, att) in doc.attachments.iter_mut().zip(&found.attachments) {
        view.problem.clone_from(&att.text_problem);
    }
    let name = |id: Option<i64>| {
        id.and_then(|i| names.iter().find(|(n, _)| *n == i))
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "—".into())
    };
    let actor = gongkai_app::documents::Actor::Staff(&staff);
    let actions = gongkai_app::workflow::available(actor, d, review.unresolved(), app.now())
        .iter()
        .map(|a| (a.code(), a.label()))
        .collect();
    let roles = gongkai_app::workflow::roles_in(actor, d.org_id);
    let open = matches!(d.stage, Stage::Draft | Stage::Submitted | Stage::Reviewed);
    let can_review = open && (roles.contains(&Role::Clerk) || roles.contains(&Role::Reviewer));
    StaffDocumentPage {
        layout,
        doc,
        id: d.id,
        stage: d.stage.label(),
        public: d.status.is_public(),
        withdrawn_reason: d.withdrawn_reason.clone().unwrap_or_default(),
        returned_reason: if d.stage == Stage::Draft {
            d.returned_reason.clone().unwrap_or_default()
        } else {
            String::new()
        },
        scheduled: d
            .scheduled_at
            .filter(|_| d.stage == Stage::Scheduled)
            .map(crate::desk::china_time)
            .unwrap_or_default(),
        signatures: vec![
            ("经办", name(d.handled_by)),
            ("审核", name(d.reviewed_by)),
            ("签发", name(d.approved_by)),
        ],
        actions,
        can_edit: d.stage == Stage::Draft && roles.contains(&Role::Clerk),
        can_review,
        unresolved: review.unresolved(),
        findings: review
            .findings
            .into_iter()
            .map(|f| FindingRow {
                in_body: f.source == gongkai_app::review::BODY,
                in_pdf: found.attachments.iter().any(|a| {
                    f.source == format!("attachment:{}", a.id) && a.media_type == "application/pdf"
                }),
                source: f.source,
                source_label: f.source_label,
                kind: f.kind.label(),
                masked: f.masked,
                line: f.line,
                hash: f.value_hash,
                kept: f.kept,
            })
            .collect(),
        unread: review.unread,
        history: history
            .iter()
            .map(|e| HistoryRow {
                at: crate::desk::china_time(e.at),
                // The name people know (林经办), the login name only when it is gone.
                who: e
                    .actor_id
                    .and_then(|i| names.iter().find(|(n, _)| *n == i))
                    .map_or_else(|| e.actor_name.clone(), |(_, n)| n.clone()),
                what: history_label(&e.action),
                note: history_note(&e.detail),
            })
            .collect(),
        done: q.done.as_deref().and_then(done_message),
        disclosure: d.disclosure.label(),
        disclosure_ground: d
            .disclosure_ground
            .as_deref()
            .and_then(|g| gongkai_domain::disclosure::Ground::from_code(g).ok())
            .map(|g| g.label().to_owned())
            .unwrap_or_default(),
        attachments: found
            .attachments
            .iter()
            .map(|a| (a.id, a.file_name.clone()))
            .collect(),
        can_mark_validity: d.stage == Stage::Published && roles.contains(&Role::Approver),
        validity: d.validity.label(),
        today: gongkai_domain::format_date_iso(app.today()),
        withheld_review: d.disclosure == gongkai_domain::disclosure::Attribute::Withheld
            && roles.contains(&Role::Reviewer)
            && !matches!(d.stage, Stage::Published | Stage::Withdrawn),
    }
    .into_response()
}

/// `GET /staff/doc/{id}/files/{file}`.
pub async fn attachment(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    crate::public::PathOr404((id, file)): crate::public::PathOr404<(String, String)>,
) -> Response {
    let (Some(id), Some(file)) = (id.parse::<i64>().ok(), file.parse::<i64>().ok()) else {
        return crate::error::ErrorPage::not_found().into_response();
    };
    let app = s.app();
    let found = async {
        let tree = OrgTree::load(app).await?;
        gongkai_app::staff::attachment(app, &staff, &tree, id, file).await
    }
    .await;
    match found {
        Ok((att, bytes)) => crate::public::file_response(&att, bytes),
        Err(e) => WebError(e).into_response(),
    }
}
