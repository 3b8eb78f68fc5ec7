//! Request ids: this process's start time and a counter, unique across nodes and restarts
//! without a random source, short enough to read in a log.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

/// Hands out `<start>-<n>` ids.
#[derive(Clone)]
pub struct Sequence {
    start: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for Sequence {
    fn default() -> Self {
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        Sequence {
            start: format!("{start:x}-{:x}", std::process::id()).into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for Sequence {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.start))
            .ok()
            .map(RequestId::new)
    }
}
