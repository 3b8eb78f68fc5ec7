//! Requests too large or of the wrong method get a short Chinese page like every other
//! error, not an empty or English body.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ErrorPage;

/// Longest request target accepted (bytes).
pub const MAX_URI: usize = 8 * 1024;
/// Largest request head accepted, header names and values (bytes). Heads beyond the
/// server's read buffer (128 KiB), or of more than 100 fields, are refused by hyper itself
/// with a bare 431 before any of this code runs.
pub const MAX_HEADERS: usize = 32 * 1024;

/// Refuses an over-long address (414) or too large headers (431).
pub async fn head_limits(req: Request, next: Next) -> Response {
    if req.uri().to_string().len() > MAX_URI {
        return status_page(StatusCode::URI_TOO_LONG).into_response();
    }
    let headers = req.headers();
    let size: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if size > MAX_HEADERS {
        return status_page(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).into_response();
    }
    next.run(req).await
}

/// `405` for a path that exists with another method.
pub async fn method_not_allowed() -> Response {
    status_page(StatusCode::METHOD_NOT_ALLOWED).into_response()
}

/// Replaces the bodies of the statuses that layers answer on their own (the body limit's
/// 413, axum's 405 and 415) with the Chinese page.
pub async fn chinese_status_pages(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if ours
        || !matches!(
            status,
            StatusCode::PAYLOAD_TOO_LARGE
                | StatusCode::METHOD_NOT_ALLOWED
                | StatusCode::UNSUPPORTED_MEDIA_TYPE
                | StatusCode::LENGTH_REQUIRED
        )
    {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut page = status_page(status).into_response();
    if let Some(allow) = allow {
        page.headers_mut().insert(header::ALLOW, allow);
    }
    page
}

/// The Chinese page of a status this module answers.
pub fn status_page(status: StatusCode) -> ErrorPage {
    let (title, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "请求方式不受支持",
            "此网址不支持这种请求方式。请通过页面上的链接或按钮访问。",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "提交的内容过大",
            "您提交的内容超过了允许的大小，请删减后再试。",
        ),
        StatusCode::URI_TOO_LONG => (
            "网址过长",
            "您访问的网址过长，无法处理。请检查网址，或从首页重新查找。",
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
            "请求头过大",
            "浏览器发送的请求信息过大，无法处理。请清除本站的 Cookie 后再试。",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::LENGTH_REQUIRED => (
            "提交格式不正确",
            "您提交的内容格式不受支持，请通过页面上的表单提交。",
        ),
        _ => ("请求有误", "请求无法处理，请从首页重新查找。"),
    };
    ErrorPage::new(status, title, message)
}
