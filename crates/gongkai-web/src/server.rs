//! The HTTP/1.1 server loop: limits on connections and on how long a client may take to
//! send a request head, and the cached-page fast path in front of the router.
//!
//! `axum::serve` has neither a head timeout nor a connection cap, and a few thousand
//! half-sent requests kept it from accepting anyone else; this loop drives hyper directly.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::AppState;

/// Limits of the HTTP server and the page cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSettings {
    /// Time a client has to send a whole request head; also how long a kept-alive
    /// connection may wait idle for its next request.
    pub head_timeout: Duration,
    /// Open connections at most; more are answered 503 and closed. Lowered to what the
    /// process may open (`RLIMIT_NOFILE`).
    pub max_connections: usize,
    /// Bytes of rendered pages kept in memory (0 turns the cache off).
    pub cache_bytes: usize,
    /// How often each node reads the public generation from the database.
    pub poll_interval: Duration,
    /// The addresses `/metrics` answers.
    pub metrics_allow: Vec<crate::metrics::AddrRange>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            head_timeout: Duration::from_secs(10),
            max_connections: 10_000,
            cache_bytes: 64 * 1024 * 1024,
            poll_interval: Duration::from_millis(250),
            metrics_allow: crate::metrics::AddrRange::loopback(),
        }
    }
}

/// File descriptors kept for the database, files and the listener.
const RESERVED_FDS: u64 = 128;

/// Raises the soft limit of open files to the hard one and returns the connection cap
/// that fits under it.
fn connection_cap(wanted: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let fits = limit.saturating_sub(RESERVED_FDS).max(16);
    wanted
        .min(usize::try_from(fits).unwrap_or(usize::MAX))
        .max(1)
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests
/// finish (at most 10 s).
pub async fn run(
    listener: TcpListener,
    router: Router,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let settings = state.config().http.clone();
    let cap = connection_cap(settings.max_connections);
    let permits = Arc::new(Semaphore::new(cap));
    let poller = tokio::spawn(poll_generation(state.clone(), settings.poll_interval));
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.head_timeout)
        .max_buf_size(128 * 1024);
    tracing::info!(connections.max = cap, "accepting connections");
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let stream = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of descriptors or a connection reset before accept: wait, go on.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let http = http.clone();
        let router = router.clone();
        let state = state.clone();
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let mut req = req.map(Body::new);
                // The source address, for the login's limits per address.
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                let router = router.clone();
                let fast = crate::cache::lookup(&state, &req);
                async move {
                    match fast {
                        Some(r) => Ok::<Response, Infallible>(r),
                        None => router.oneshot(req).await,
                    }
                }
            });
            let conn = http.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let mut conn: Pin<&mut _> = conn;
            tokio::select! {
                _ = conn.as_mut() => {}
                () = async { let _ = closing.wait_for(|c| *c).await; } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(permit);
        });
    }
    let _ = closing_tx.send(true);
    poller.abort();
    // Wait for the connections to finish their requests.
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(10), permits.acquire_many(all)).await;
    Ok(())
}

/// The page a client gets when every connection is taken.
const BUSY_PAGE: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>服务繁忙 - 政府信息公开平台</title></head><body><h1>服务繁忙</h1>\
<p>当前访问人数较多，请稍后再试。</p></body></html>";

async fn refuse(mut stream: TcpStream) {
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html; charset=utf-8\r\n\
         content-length: {}\r\nretry-after: 5\r\nconnection: close\r\n\r\n",
        BUSY_PAGE.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(BUSY_PAGE.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), write).await;
}

/// Learns of public changes other processes committed.
async fn poll_generation(state: AppState, every: Duration) {
    let mut failing = false;
    loop {
        tokio::time::sleep(every).await;
        match state.app().refresh_public().await {
            Ok(_) => failing = false,
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "public generation could not be read");
            }
            Err(_) => {}
        }
    }
}
