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
use gongkai_domain::DocStatus;
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
}

/// `GET /staff/login`.
pub async fn login_form(layout: Layout) -> LoginPage {
    LoginPage {
        layout,
        username: String::new(),
        error: None,
    }
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// `POST /staff/login`.
pub async fn login(
    State(s): State<AppState>,
    layout: Layout,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return (
            StatusCode::BAD_REQUEST,
            LoginPage {
                layout,
                username: String::new(),
                error: Some("表单内容不完整，请重新填写。".into()),
            },
        )
            .into_response();
    };
    if form.username.trim().is_empty() || form.password.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            LoginPage {
                layout,
                username: form.username,
                error: Some("请填写用户名和密码。".into()),
            },
        )
            .into_response();
    }
    match auth::login(s.app(), &form.username, &form.password).await {
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
        Err(e @ (gongkai_app::Error::BadCredentials | gongkai_app::Error::Locked { .. })) => {
            let status = if matches!(e, gongkai_app::Error::Locked { .. }) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            (
                status,
                LoginPage {
                    layout,
                    username: form.username,
                    error: Some(e.to_string()),
                },
            )
                .into_response()
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
    name: String,
    grants: Vec<(String, String, String)>,
    counts: Vec<(String, i64)>,
    drafts: Vec<Row>,
    published: Vec<Row>,
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

#[derive(Template, WebTemplate)]
#[template(path = "staff/document.html")]
pub struct StaffDocumentPage {
    layout: Layout,
    doc: crate::public::DocView,
    status: &'static str,
    public: bool,
    withdrawn_reason: String,
}

/// `GET /staff/doc/{id}`: any record of the person's organizations, as it will look.
pub async fn document(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    crate::public::PathOr404(id): crate::public::PathOr404<String>,
) -> Response {
    let Some(id) = id.parse::<i64>().ok().filter(|i| *i > 0) else {
        return crate::error::ErrorPage::not_found().into_response();
    };
    let app = s.app();
    let found = async {
        let tree = OrgTree::load(app).await?;
        gongkai_app::staff::document(app, &staff, &tree, id).await
    }
    .await;
    let found = match found {
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
    StaffDocumentPage {
        layout,
        doc,
        status: d.status.label(),
        public: d.status.is_public(),
        withdrawn_reason: d.withdrawn_reason.clone().unwrap_or_default(),
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
