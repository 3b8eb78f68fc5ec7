//! `GET /metrics` in the Prometheus text format: requests by route and status, latency
//! histograms, the page cache, the database pool, imports, the search index and requests
//! by state. Reachable only from the addresses of `http.metrics_allow` (loopback by
//! default); behind a reverse proxy on this machine the address is the one it forwards.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::ErrorPage;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// One route's figures.
#[derive(Default)]
struct Route {
    by_status: BTreeMap<(String, u16), u64>,
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// What the server counts as it answers.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, Route>>,
}

impl Metrics {
    /// Counts one answer.
    pub fn record(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        let r = routes.entry(route.to_owned()).or_default();
        *r.by_status.entry((method.to_owned(), status)).or_default() += 1;
        for (n, le) in r.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= le {
                *n += 1;
            }
        }
        r.sum += seconds;
        r.count += 1;
    }
}

/// A range of addresses: an address and how many leading bits must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrRange {
    addr: IpAddr,
    prefix: u8,
}

impl AddrRange {
    /// Reads `10.0.0.0/8`, `::1` or `192.168.1.5`.
    pub fn parse(s: &str) -> Option<AddrRange> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
            None => {
                let a = s.parse::<IpAddr>().ok()?;
                (a, if a.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(AddrRange { addr, prefix })
    }

    /// Whether `ip` is in the range (an IPv4 address mapped into IPv6 counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let (a, b, width) = match (ip, self.addr) {
            (IpAddr::V4(x), IpAddr::V4(y)) => {
                (u128::from(u32::from(x)), u128::from(u32::from(y)), 32)
            }
            (IpAddr::V6(x), IpAddr::V6(y)) => (u128::from(x), u128::from(y), 128),
            _ => return false,
        };
        let prefix = u32::from(self.prefix);
        if prefix == 0 {
            return true;
        }
        let shift = width - prefix;
        a >> shift == b >> shift
    }

    /// The default: this machine only.
    pub fn loopback() -> Vec<AddrRange> {
        ["127.0.0.0/8", "::1/128"]
            .iter()
            .filter_map(|s| AddrRange::parse(s))
            .collect()
    }
}

impl std::fmt::Display for AddrRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// The route pattern an answer came from, handed out to [`track`] (and kept with a cached
/// page, whose later answers skip the router).
#[derive(Clone, Debug)]
pub struct RouteLabel(pub String);

/// Inside the router: marks the answer with its route's pattern (not the address, so the
/// labels stay few).
pub async fn label(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let mut response = next.run(req).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Around everything: counts every answer by route and status, and its time to the head
/// (page cache hits included).
pub async fn track(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let response = next.run(req).await;
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or("(other)", |r| r.0.as_str());
    s.metrics().record(
        route,
        &method,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
pub async fn page(State(s): State<AppState>, req: Request) -> Response {
    let allowed = crate::staff::client_ip(req.extensions(), req.headers())
        .is_some_and(|ip| s.config().http.metrics_allow.iter().any(|r| r.contains(ip)));
    if !allowed {
        return ErrorPage::not_found().into_response();
    }
    let mut out = String::with_capacity(16 * 1024);
    write_requests(&mut out, s.metrics());
    let cache = s.cache();
    counter(
        &mut out,
        "gongkai_page_cache_hits_total",
        "Public pages answered from memory.",
        cache.hits.load(Ordering::Relaxed),
    );
    counter(
        &mut out,
        "gongkai_page_cache_misses_total",
        "Public pages rendered.",
        cache.misses.load(Ordering::Relaxed),
    );
    let (open, idle, max) = s.app().db().pool_use();
    let _ = writeln!(
        out,
        "# HELP gongkai_db_pool_connections Database connections of this node.\n\
         # TYPE gongkai_db_pool_connections gauge\n\
         gongkai_db_pool_connections{{state=\"open\"}} {open}\n\
         gongkai_db_pool_connections{{state=\"idle\"}} {idle}\n\
         gongkai_db_pool_connections{{state=\"max\"}} {max}"
    );
    let _ = writeln!(
        out,
        "# HELP gongkai_public_generation Changes to what the public sees, as this node knows.\n\
         # TYPE gongkai_public_generation gauge\n\
         gongkai_public_generation {}\n\
         # HELP gongkai_search_index_generation The public generation the search index has caught up with (-1: not yet).\n\
         # TYPE gongkai_search_index_generation gauge\n\
         gongkai_search_index_generation {}",
        s.app().public_generation(),
        s.app().search_generation()
    );
    match gongkai_app::operations::figures(s.app()).await {
        Ok(f) => {
            let _ = writeln!(
                out,
                "# HELP gongkai_import_batches_total Import batches committed, by kind.\n\
                 # TYPE gongkai_import_batches_total counter"
            );
            for (action, n) in &f.import_batches {
                let kind = action.trim_start_matches("import.");
                let _ = writeln!(
                    out,
                    "gongkai_import_batches_total{{kind=\"{}\"}} {n}",
                    escape(kind)
                );
            }
            let _ = writeln!(
                out,
                "# HELP gongkai_requests Information requests not finished, by state.\n\
                 # TYPE gongkai_requests gauge"
            );
            for (state, n) in &f.requests {
                let _ = writeln!(out, "gongkai_requests{{state=\"{}\"}} {n}", escape(state));
            }
            out.push_str("gongkai_database_up 1\n");
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: database figures unavailable");
            out.push_str("gongkai_database_up 0\n");
        }
    }
    let mut r = (StatusCode::OK, out).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
    );
}

fn write_requests(out: &mut String, m: &Metrics) {
    let Ok(routes) = m.routes.lock() else {
        return;
    };
    out.push_str(
        "# HELP gongkai_http_requests_total Requests answered, by route, method and status.\n\
         # TYPE gongkai_http_requests_total counter\n",
    );
    for (route, r) in routes.iter() {
        for ((method, status), n) in &r.by_status {
            let _ = writeln!(
                out,
                "gongkai_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
    }
    out.push_str(
        "# HELP gongkai_http_request_duration_seconds Time to the answer's head, by route.\n\
         # TYPE gongkai_http_request_duration_seconds histogram\n",
    );
    for (route, r) in routes.iter() {
        let route = escape(route);
        for (le, n) in BUCKETS.iter().zip(r.buckets) {
            let _ = writeln!(
                out,
                "gongkai_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "gongkai_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
             gongkai_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
             gongkai_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            r.count, r.sum, r.count
        );
    }
}

/// A label value as the text format wants it.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ranges_hold_their_addresses_and_no_others() {
        let r = AddrRange::parse("10.0.0.0/8").unwrap();
        assert!(r.contains("10.200.3.4".parse().unwrap()));
        assert!(!r.contains("11.0.0.1".parse().unwrap()));
        assert!(r.contains("::ffff:10.1.2.3".parse().unwrap()));
        let one = AddrRange::parse("192.168.1.5").unwrap();
        assert!(one.contains("192.168.1.5".parse().unwrap()));
        assert!(!one.contains("192.168.1.6".parse().unwrap()));
        let v6 = AddrRange::parse("fd00::/8").unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("fe80::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        let all = AddrRange::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        assert!(AddrRange::parse("10.0.0.0/33").is_none());
        assert!(AddrRange::parse("nonsense").is_none());
        let lo = AddrRange::loopback();
        assert!(lo.iter().any(|r| r.contains("127.0.0.1".parse().unwrap())));
        assert!(lo.iter().any(|r| r.contains("::1".parse().unwrap())));
        assert!(!lo.iter().any(|r| r.contains("192.0.2.1".parse().unwrap())));
    }

    #[test]
    fn the_text_format_counts_by_route_and_bucket() {
        let m = Metrics::default();
        m.record("/doc/{id}", "GET", 200, 0.002);
        m.record("/doc/{id}", "GET", 404, 0.2);
        let mut out = String::new();
        write_requests(&mut out, &m);
        assert!(out.contains(
            "gongkai_http_requests_total{route=\"/doc/{id}\",method=\"GET\",status=\"404\"} 1"
        ));
        assert!(out.contains(
            "gongkai_http_request_duration_seconds_bucket{route=\"/doc/{id}\",le=\"0.0025\"} 1"
        ));
        assert!(out.contains(
            "gongkai_http_request_duration_seconds_bucket{route=\"/doc/{id}\",le=\"+Inf\"} 2"
        ));
        assert_eq!(escape("a\"b\\c"), "a\\\"b\\\\c");
    }
}
