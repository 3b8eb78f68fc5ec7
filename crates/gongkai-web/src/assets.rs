//! Static assets under content-hashed names (`/static/site.3f2a….css`): a browser or proxy
//! may keep them for a year, and a new build changes the name.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::ErrorPage;
use crate::public::PathOr404;

const CSS: &str = include_str!("../static/site.css");

static CSS_NAME: LazyLock<String> = LazyLock::new(|| {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    CSS.hash(&mut h);
    format!("site.{:016x}.css", h.finish())
});

static CSS_HREF: LazyLock<String> = LazyLock::new(|| format!("/static/{}", *CSS_NAME));

/// The stylesheet's address.
pub fn css_href() -> &'static str {
    &CSS_HREF
}

/// `GET /static/{file}`: the hashed stylesheet for a year; `site.css` (the name of older
/// pages) asked again each time.
pub async fn stylesheet(PathOr404(file): PathOr404<String>) -> Response {
    let cache = if file == *CSS_NAME {
        "public, max-age=31536000, immutable"
    } else if file == "site.css" {
        "public, no-cache"
    } else {
        return ErrorPage::not_found().into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        CSS,
    )
        .into_response()
}
