//! Cross-site request forgery defence for form posts: a write must come from this site.
//! Browsers send `Sec-Fetch-Site` and `Origin`; cookies are `SameSite=Lax` as well.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ErrorPage;

/// Refuses a non-GET request that a browser says came from another site.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross = match fetch_site {
        Some(site) => site != "same-origin" && site != "none",
        None => match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
            (Some(origin), Some(host)) => {
                let origin = origin.to_str().unwrap_or_default();
                let host = host.to_str().unwrap_or_default();
                let origin_host = origin.split("://").nth(1).unwrap_or(origin);
                origin == "null" || origin_host != host
            }
            _ => false,
        },
    };
    if cross {
        return ErrorPage::new(
            StatusCode::FORBIDDEN,
            "请求被拒绝",
            "该请求来自其他网站，为保护您的账号已被拒绝。",
        )
        .into_response();
    }
    next.run(req).await
}
