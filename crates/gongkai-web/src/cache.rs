//! The rendered-page cache of the public portal (ARCHITECTURE.md, "Page cache").
//!
//! Public pages are the same for every reader, so their bytes are kept in memory with their
//! gzip and brotli forms (compressed once), keyed by the address and the 适老化 view. Each
//! entry carries the public generation read *before* it was rendered; an entry is served
//! only while the process knows no newer generation. Every change the public can see bumps
//! the generation in its own transaction, and each node reads it from the database every
//! `poll_interval`, so no node serves a page older than the last change by more than that.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::layout::{ELDER_COOKIE, cookie_value};

/// Largest page kept (bytes before compression); bigger ones are rendered each time.
const MAX_ENTRY: usize = 4 * 1024 * 1024;
/// Longest address kept: longer ones are someone's experiment, not a reader's page.
const MAX_KEY: usize = 1024;

/// `Cache-Control` of public pages: stored anywhere, but asked again each time, so that a
/// withdrawn record never lingers in a browser or proxy; the answer is usually a 304.
const PAGE_CACHE_CONTROL: &str = "public, no-cache";
/// Pages differ by encoding and by the 适老化 cookie.
const PAGE_VARY: &str = "Accept-Encoding, Cookie";

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    elder: bool,
    uri: Box<str>,
}

/// One rendered page in its three encodings.
#[derive(Debug)]
pub struct Entry {
    generation: i64,
    status: StatusCode,
    headers: HeaderMap,
    etag: HeaderValue,
    last_modified: Option<(i64, HeaderValue)>,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
    used: AtomicU64,
    /// The route pattern it was rendered by, for `/metrics`.
    route: Option<crate::metrics::RouteLabel>,
}

impl Entry {
    fn size(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.br.len() + 512
    }
}

/// The cache, bounded by `capacity` bytes of page bodies.
#[derive(Debug)]
pub struct PageCache {
    map: RwLock<HashMap<Key, Arc<Entry>>>,
    bytes: AtomicUsize,
    capacity: usize,
    tick: AtomicU64,
    /// Pages being rendered: readers of the same page wait for that render instead of
    /// each running the queries (after a change, every reader of the home page misses at
    /// once).
    rendering: std::sync::Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
    /// Pages answered from memory, and rendered, since start (for `/metrics`).
    pub hits: AtomicU64,
    /// Pages rendered.
    pub misses: AtomicU64,
}

impl PageCache {
    /// A cache holding at most `capacity` bytes (0 turns it off).
    pub fn new(capacity: usize) -> PageCache {
        PageCache {
            map: RwLock::new(HashMap::new()),
            bytes: AtomicUsize::new(0),
            capacity,
            tick: AtomicU64::new(0),
            rendering: std::sync::Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn render_lock(&self, key: &Key) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = match self.rendering.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(map.entry(key.clone()).or_default())
    }

    fn render_done(&self, key: &Key, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut map = match self.rendering.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        // The map's own reference and ours: nobody else waits on this render.
        if Arc::strong_count(&lock) <= 2 {
            map.remove(key);
        }
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    fn get(&self, key: &Key, generation: i64) -> Option<Arc<Entry>> {
        let map = match self.map.read() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let entry = map.get(key)?;
        if entry.generation != generation {
            return None;
        }
        entry
            .used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(Arc::clone(entry))
    }

    fn insert(&self, key: Key, entry: Arc<Entry>, generation: i64) {
        let size = entry.size();
        if self.capacity == 0 || size > self.capacity / 4 {
            return;
        }
        let mut map = match self.map.write() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(old) = map.get(&key)
            && old.generation > entry.generation
        {
            return;
        }
        entry
            .used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        if let Some(old) = map.insert(key, entry) {
            self.bytes.fetch_sub(old.size(), Ordering::Relaxed);
        }
        let total = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        if total > self.capacity {
            // Evict pages of older generations first, then the least recently used, down to
            // 90 % so that eviction is rare.
            let mut order: Vec<(bool, u64, Key)> = map
                .iter()
                .map(|(k, e)| {
                    (
                        e.generation == generation,
                        e.used.load(Ordering::Relaxed),
                        k.clone(),
                    )
                })
                .collect();
            order.sort_unstable_by_key(|(current, used, _)| (*current, *used));
            let target = self.capacity / 10 * 9;
            for (_, _, k) in order {
                if self.bytes.load(Ordering::Relaxed) <= target {
                    break;
                }
                if let Some(old) = map.remove(&k) {
                    self.bytes.fetch_sub(old.size(), Ordering::Relaxed);
                }
            }
        }
    }
}

/// Whether `path` is a public page the same for every reader.
fn cacheable(path: &str) -> bool {
    if matches!(
        path,
        "/" | "/list" | "/changes" | "/feed.xml" | "/atom.xml" | "/feed.json" | "/sitemap.xml"
    ) || path.starts_with("/sitemap/")
    {
        return true;
    }
    if let Some(rest) = path.strip_prefix("/org/") {
        let (code, tail) = rest.split_once('/').unwrap_or((rest, "-"));
        return !code.is_empty() && matches!(tail, "" | "feed.xml" | "atom.xml" | "feed.json");
    }
    if let Some(rest) = path.strip_prefix("/doc/") {
        let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
        return !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_digit())
            && matches!(tail, "" | "print" | "qr.svg");
    }
    false
}

fn key_of(req: &Request) -> Option<Key> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) || !cacheable(req.uri().path()) {
        return None;
    }
    let uri = req.uri().path_and_query()?.as_str();
    if uri.len() > MAX_KEY {
        return None;
    }
    Some(Key {
        elder: cookie_value(req.headers(), ELDER_COOKIE) == Some("1"),
        uri: uri.into(),
    })
}

/// The fast path: the cached answer to `req`, if there is a current one.
pub fn lookup(state: &AppState, req: &Request) -> Option<Response> {
    let start = std::time::Instant::now();
    let key = key_of(req)?;
    let entry = state.cache().get(&key, state.app().public_generation())?;
    state.cache().hits.fetch_add(1, Ordering::Relaxed);
    let response = respond(&entry, req.headers(), *req.method() == Method::HEAD);
    state.metrics().record(
        entry.route.as_ref().map_or("(other)", |r| r.0.as_str()),
        req.method().as_str(),
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    Some(response)
}

/// Middleware: answers from the cache, or renders and keeps the page.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = key_of(&req) else {
        return next.run(req).await;
    };
    let head = *req.method() == Method::HEAD;
    let cache = state.cache();
    if let Some(entry) = cache.get(&key, state.app().public_generation()) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return respond(&entry, req.headers(), head);
    }
    let lock = state.cache().render_lock(&key);
    let response = {
        let _rendering = lock.lock().await;
        // Rendered by the reader we waited for?
        match state.cache().get(&key, state.app().public_generation()) {
            Some(entry) => {
                cache.hits.fetch_add(1, Ordering::Relaxed);
                respond(&entry, req.headers(), head)
            }
            None => {
                cache.misses.fetch_add(1, Ordering::Relaxed);
                render(&state, key.clone(), req, next, head).await
            }
        }
    };
    state.cache().render_done(&key, lock);
    response
}

async fn render(state: &AppState, key: Key, mut req: Request, next: Next, head: bool) -> Response {
    let generation = state.app().public_generation();
    let request_headers = req.headers().clone();
    // Render the full page even for HEAD, so the entry serves both.
    *req.method_mut() = Method::GET;
    let response = next.run(req).await;
    let status = response.status();
    if !matches!(status, StatusCode::OK | StatusCode::GONE)
        || response.headers().contains_key(header::SET_COOKIE)
    {
        return strip_for_head(response, head);
    }
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, MAX_ENTRY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "page body could not be read for the cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut entry = build_entry(
        generation,
        parts.status,
        parts.headers,
        identity,
        state.app().public_changed_at(),
    );
    entry.route = parts
        .extensions
        .get::<crate::metrics::RouteLabel>()
        .cloned();
    let entry = Arc::new(entry);
    state
        .cache()
        .insert(key, Arc::clone(&entry), state.app().public_generation());
    respond(&entry, &request_headers, head)
}

fn strip_for_head(response: Response, head: bool) -> Response {
    if !head {
        return response;
    }
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, Body::empty())
}

fn build_entry(
    generation: i64,
    status: StatusCode,
    mut headers: HeaderMap,
    identity: Bytes,
    changed_at: i64,
) -> Entry {
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::TRANSFER_ENCODING);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    status.as_u16().hash(&mut hasher);
    identity.hash(&mut hasher);
    let etag = HeaderValue::from_str(&format!("W/\"{:016x}\"", hasher.finish()))
        .unwrap_or(HeaderValue::from_static("W/\"0\""));
    let last_modified = (changed_at > 0)
        .then(|| {
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs(changed_at.unsigned_abs());
            HeaderValue::from_str(&httpdate::fmt_http_date(at))
                .ok()
                .map(|v| (changed_at, v))
        })
        .flatten();
    let gzip = gzip(&identity);
    let br = brotli(&identity);
    Entry {
        generation,
        status,
        headers,
        etag,
        last_modified,
        identity,
        gzip,
        br,
        used: AtomicU64::new(0),
        route: None,
    }
}

fn gzip(data: &[u8]) -> Bytes {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::best(),
    );
    match enc.write_all(data).and_then(|()| enc.finish()) {
        Ok(v) => Bytes::from(v),
        Err(_) => Bytes::new(),
    }
}

fn brotli(data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        lgwin: 22,
        ..Default::default()
    };
    match brotli::BrotliCompress(&mut &data[..], &mut out, &params) {
        Ok(_) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// The best encoding the client accepts (`q=0` refuses one).
fn choose_encoding(headers: &HeaderMap) -> Encoding {
    let mut gzip = false;
    let mut br = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            if name.eq_ignore_ascii_case("br") {
                br = true;
            } else if name.eq_ignore_ascii_case("gzip") || name == "*" {
                gzip = true;
            }
        }
    }
    if br {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether the client's copy is current: `If-None-Match` when sent, else
/// `If-Modified-Since` (RFC 9110 §13.2.2).
fn not_modified(entry: &Entry, headers: &HeaderMap) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH) {
        let Ok(inm) = inm.to_str() else { return false };
        let ours = entry.etag.to_str().unwrap_or_default();
        let ours = ours.trim_start_matches("W/");
        return inm
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours);
    }
    if let (Some(ims), Some((changed_at, _))) =
        (headers.get(header::IF_MODIFIED_SINCE), &entry.last_modified)
        && let Some(since) = ims
            .to_str()
            .ok()
            .and_then(|s| httpdate::parse_http_date(s).ok())
        && let Ok(since) = since.duration_since(SystemTime::UNIX_EPOCH)
    {
        return *changed_at <= since.as_secs() as i64;
    }
    false
}

fn respond(entry: &Entry, request: &HeaderMap, head: bool) -> Response {
    let mut headers = HeaderMap::with_capacity(entry.headers.len() + 6);
    headers.insert(header::ETAG, entry.etag.clone());
    if let Some((_, lm)) = &entry.last_modified {
        headers.insert(header::LAST_MODIFIED, lm.clone());
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PAGE_CACHE_CONTROL),
    );
    headers.insert(header::VARY, HeaderValue::from_static(PAGE_VARY));
    if entry.status == StatusCode::OK && not_modified(entry, request) {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        *r.headers_mut() = headers;
        return r;
    }
    for (name, value) in &entry.headers {
        if !headers.contains_key(name) {
            headers.insert(name, value.clone());
        }
    }
    let (body, encoding) = match choose_encoding(request) {
        Encoding::Brotli if !entry.br.is_empty() => (&entry.br, Some("br")),
        Encoding::Brotli | Encoding::Gzip if !entry.gzip.is_empty() => (&entry.gzip, Some("gzip")),
        _ => (&entry.identity, None),
    };
    if let Some(e) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body.clone())
    });
    *r.status_mut() = entry.status;
    *r.headers_mut() = headers;
    if let Some(route) = &entry.route {
        r.extensions_mut().insert(route.clone());
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_pages_are_cacheable() {
        for (path, ok) in [
            ("/", true),
            ("/list", true),
            ("/org/GL00101/", true),
            ("/org/GL00101", false),
            ("/org/GL00101/x/", false),
            ("/doc/12", true),
            ("/doc/12/print", true),
            ("/doc/12/qr.svg", true),
            ("/doc/12/files/3", false),
            ("/doc/x", false),
            ("/doc/", false),
            ("/staff/", false),
            ("/a11y/elder", false),
            ("/healthz", false),
        ] {
            assert_eq!(cacheable(path), ok, "{path}");
        }
    }

    #[test]
    fn encoding_follows_accept_encoding_and_refusals() {
        for (accept, want) in [
            ("", Encoding::Identity),
            ("gzip", Encoding::Gzip),
            ("gzip, deflate, br", Encoding::Brotli),
            ("br;q=0, gzip", Encoding::Gzip),
            ("gzip;q=0", Encoding::Identity),
            ("*", Encoding::Gzip),
            ("identity", Encoding::Identity),
        ] {
            let mut h = HeaderMap::new();
            if !accept.is_empty() {
                h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
            }
            assert!(choose_encoding(&h) == want, "{accept}");
        }
    }

    #[test]
    fn eviction_keeps_the_cache_under_its_capacity() {
        let cache = PageCache::new(100_000);
        for i in 0..100 {
            let entry = Arc::new(build_entry(
                1,
                StatusCode::OK,
                HeaderMap::new(),
                Bytes::from(vec![b'a' + (i % 26) as u8; 5_000]),
                0,
            ));
            cache.insert(
                Key {
                    elder: false,
                    uri: format!("/doc/{i}").into(),
                },
                entry,
                1,
            );
            assert!(cache.bytes() <= 100_000, "after {i}: {}", cache.bytes());
        }
        let newest = Key {
            elder: false,
            uri: "/doc/99".into(),
        };
        assert!(cache.get(&newest, 1).is_some(), "the newest page stays");
        assert!(cache.get(&newest, 2).is_none(), "a newer generation misses");
    }
}
