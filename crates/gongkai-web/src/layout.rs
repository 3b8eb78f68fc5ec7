//! What every page's frame needs: the 适老化 (elder-friendly) mode and the current address.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

tokio::task_local! {
    /// The frame of the request being served, for pages made without an extractor
    /// (error pages from rejections, the 404 fallback).
    static FRAME: Layout;
}

/// Runs the rest of the stack with the request's frame available to error pages.
pub async fn remember_frame(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = req.into_parts();
    let frame = match Layout::from_request_parts(&mut parts, &()).await {
        Ok(l) => l,
        Err(never) => match never {},
    };
    let req = axum::extract::Request::from_parts(parts, body);
    FRAME.scope(frame, next.run(req)).await
}

/// The frame of the current request, or the default outside one.
pub fn current_frame() -> Layout {
    FRAME.try_with(Layout::clone).unwrap_or_default()
}

/// Cookie that remembers the 适老化 view.
pub const ELDER_COOKIE: &str = "gk_elder";

/// The frame of a page.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Larger text, higher contrast.
    pub elder: bool,
    /// Path and query of this page, to come back to after switching the view.
    pub current: String,
    /// Name of the logged-in staff member on staff pages.
    pub staff_name: Option<String>,
    /// What the header's search box shows (the query on the search page).
    pub search: String,
    /// Where the page's feeds are: `/` for the platform's, `/org/CODE/` for an organization's.
    pub feeds: String,
    /// The form token of the staff session (empty without one): every staff form sends it.
    pub csrf: String,
}

impl Layout {
    /// Address of the stylesheet, named by its content so browsers may keep it forever.
    pub fn css_href(&self) -> &'static str {
        crate::assets::css_href()
    }

    /// Where the page's feeds are (the platform's unless an organization's page set them).
    pub fn feeds_prefix(&self) -> &str {
        if self.feeds.is_empty() {
            "/"
        } else {
            &self.feeds
        }
    }

    /// Link that switches the view and returns here.
    pub fn toggle_href(&self) -> String {
        let mode = if self.elder { "standard" } else { "elder" };
        let back: String = form_urlencoded_component(&self.current);
        format!("/a11y/{mode}?back={back}")
    }
}

fn form_urlencoded_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reads a cookie's value from the request headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_value(&parts.headers, name)
}

/// Reads a cookie's value from headers.
pub fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl<S: Send + Sync> FromRequestParts<S> for Layout {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let elder = cookie(parts, ELDER_COOKIE) == Some("1");
        let current = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let csrf = cookie(parts, crate::staff::SESSION_COOKIE)
            .filter(|t| !t.is_empty())
            .map(crate::security::form_token)
            .unwrap_or_default();
        Ok(Layout {
            elder,
            current,
            staff_name: None,
            search: String::new(),
            feeds: "/".into(),
            csrf,
        })
    }
}
