//! Every error a user can meet becomes a Chinese page with the right status.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::layout::Layout;

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// HTTP status.
    pub status: StatusCode,
    /// Heading.
    pub title: Box<str>,
    /// Explanation.
    pub message: Box<str>,
    /// Frame (boxed: error pages travel in `Result`s).
    pub layout: Box<Layout>,
}

impl ErrorPage {
    /// An error page with a heading and a message.
    pub fn new(status: StatusCode, title: &str, message: &str) -> ErrorPage {
        ErrorPage {
            status,
            title: title.into(),
            message: message.into(),
            layout: Box::new(crate::layout::current_frame()),
        }
    }

    /// The 404 page.
    pub fn not_found() -> ErrorPage {
        ErrorPage::new(
            StatusCode::NOT_FOUND,
            "页面不存在",
            "您访问的页面不存在或已被删除。请检查网址，或从首页重新查找。",
        )
    }

    /// A 400 page for bad input, naming the field.
    pub fn bad_request(message: &str) -> ErrorPage {
        ErrorPage::new(StatusCode::BAD_REQUEST, "请求有误", message)
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        match self.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page did not render");
                (StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误").into_response()
            }
        }
    }
}

/// A use-case error on its way to the browser.
#[derive(Debug)]
pub struct WebError(pub gongkai_app::Error);

impl From<gongkai_app::Error> for WebError {
    fn from(e: gongkai_app::Error) -> Self {
        WebError(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        use gongkai_app::Error as E;
        let msg = self.0.to_string();
        let page = match &self.0 {
            E::Unauthenticated => ErrorPage::new(StatusCode::UNAUTHORIZED, "请先登录", &msg),
            E::Forbidden => ErrorPage::new(
                StatusCode::FORBIDDEN,
                "无权访问",
                "您没有权限查看或处理此内容。",
            ),
            E::NotFound(_) => ErrorPage::not_found(),
            E::BadCredentials => ErrorPage::new(StatusCode::UNAUTHORIZED, "登录失败", &msg),
            E::Throttled { .. } => {
                ErrorPage::new(StatusCode::TOO_MANY_REQUESTS, "请稍后再试", &msg)
            }
            E::Invalid(_) => ErrorPage::bad_request(&msg),
            E::Conflict(_) => ErrorPage::new(StatusCode::CONFLICT, "操作冲突", &msg),
            E::Refused(r) => ErrorPage::new(refusal_status(r), "无法执行此操作", &msg),
            E::Unavailable(detail) => {
                tracing::error!(error = %detail, "database unavailable");
                ErrorPage::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "服务暂不可用",
                    "数据库暂时无法连接，请稍后再试。",
                )
            }
            E::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                ErrorPage::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误",
                    "服务暂时出现问题，请稍后再试。如问题持续，请联系网站管理员。",
                )
            }
        };
        page.into_response()
    }
}

/// The status of a workflow refusal: 409 for the wrong stage, 403 for who acts, 400 for a
/// missing reason, 422 for unresolved scan findings.
pub fn refusal_status(r: &gongkai_domain::workflow::Refusal) -> StatusCode {
    use gongkai_domain::workflow::Refusal as R;
    match r {
        R::WrongStage { .. } | R::NotDue | R::NotProactive { .. } => StatusCode::CONFLICT,
        R::MissingRole { .. } | R::SameSigner { .. } | R::SystemOnly => StatusCode::FORBIDDEN,
        R::ReasonRequired { .. } => StatusCode::BAD_REQUEST,
        R::UnresolvedFindings { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Result of a handler.
pub type WebResult<T> = Result<T, WebError>;
