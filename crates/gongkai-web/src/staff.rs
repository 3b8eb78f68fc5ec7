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
