//! Cross-site request forgery defence for form posts: a write must come from this site.
//! Browsers send `Sec-Fetch-Site` and `Origin`; cookies are `SameSite=Lax` as well; and every
//! staff form carries a token derived from the session, for the office PCs whose browsers
//! send neither header.

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

/// The form token of a session: a hash of the session secret, so it needs no storage and
/// ends with the session.
pub fn form_token(session: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("gongkai-form\u{1f}{session}").as_bytes());
    hex::encode(&digest[..16])
}

/// Where a staff write names its form token: the query (`?_csrf=`, for file uploads) or the
/// form body.
fn token_in(query: Option<&str>, body: &[u8]) -> Option<String> {
    let find = |bytes: &[u8]| {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v)
    };
    query
        .and_then(|q| find(q.as_bytes()))
        .or_else(|| find(body))
}

/// Refuses a staff write (a POST under `/staff/` other than the login) whose form token does
/// not match its session.
pub async fn staff_form_token(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || !path.starts_with("/staff/")
        || path == "/staff/login"
    {
        return next.run(req).await;
    }
    let expected = crate::layout::cookie_value(req.headers(), crate::staff::SESSION_COOKIE)
        .filter(|t| !t.is_empty())
        .map(form_token);
    let Some(expected) = expected else {
        // No session: the handler sends the person to the login page.
        return next.run(req).await;
    };
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let query = req.uri().query().map(str::to_owned);
    let (parts, body) = req.into_parts();
    let (bytes, body) = if form {
        match axum::body::to_bytes(body, 1024 * 1024).await {
            Ok(b) => (b.clone(), axum::body::Body::from(b)),
            Err(_) => {
                return ErrorPage::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "内容过大",
                    "提交的内容过大。",
                )
                .into_response();
            }
        }
    } else {
        (axum::body::Bytes::new(), body)
    };
    if token_in(query.as_deref(), &bytes).as_deref() != Some(expected.as_str()) {
        return ErrorPage::new(
            StatusCode::FORBIDDEN,
            "表单已失效",
            "表单校验未通过（可能已过期或来自其他网站）。请返回上一页，刷新后重新提交。",
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Whether a path's answers may carry a staff member's view or an applicant's data: the staff
/// side, the applicant's own pages and the API of requests and drafts.
fn is_private(path: &str) -> bool {
    [
        "/staff",
        "/track",
        "/apply",
        "/api/v1/requests",
        "/api/v1/documents",
    ]
    .iter()
    .any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// `Cache-Control: no-store` on every private answer, whatever the handler set, so neither a
/// shared cache nor the browser's history keeps a staff page or an applicant's data.
pub async fn private_no_store(req: Request, next: Next) -> Response {
    let private = is_private(req.uri().path());
    let mut response = next.run(req).await;
    if private {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        headers.remove(header::ETAG);
        headers.remove(header::LAST_MODIFIED);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_private;

    #[test]
    fn private_paths_are_the_staff_side_and_the_applicants() {
        for p in [
            "/staff",
            "/staff/",
            "/staff/requests/X",
            "/track",
            "/track/letter",
            "/apply",
        ] {
            assert!(is_private(p), "{p}");
        }
        for p in [
            "/",
            "/doc/1",
            "/staffing",
            "/api/v1/search",
            "/applying",
            "/org/X/",
        ] {
            assert!(!is_private(p), "{p}");
        }
        assert!(is_private("/api/v1/requests/G-1"));
        assert!(is_private("/api/v1/documents/3"));
    }
}
