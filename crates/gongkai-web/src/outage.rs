//! One answer while the database is down or not yet migrated: 503 with a Chinese page (JSON
//! on the API) and `Retry-After`, on every page as on `/healthz`. A handler's 500 is checked
//! against the database before it goes out, so a failure the database caused is not
//! reported as the platform's own.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gongkai_app::Health;

use crate::AppState;
use crate::error::ErrorPage;

/// Seconds a client is asked to wait before trying again.
pub const RETRY_AFTER_SECONDS: u64 = 30;
/// How long a probe may take before the database counts as unreachable.
const PROBE_LIMIT: Duration = Duration::from_secs(3);
/// How long a probe's finding is reused, so an outage does not send every request probing.
const PROBE_REUSE: Duration = Duration::from_secs(2);

/// The last probe's finding.
#[derive(Default)]
pub struct Probe {
    last: Mutex<Option<(Instant, Health)>>,
}

impl Probe {
    /// The database's health, probed at most every [`PROBE_REUSE`].
    pub async fn health(&self, app: &gongkai_app::App) -> Health {
        if let Ok(last) = self.last.lock()
            && let Some((at, health)) = last.as_ref()
            && at.elapsed() < PROBE_REUSE
        {
            return health.clone();
        }
        let health = app.health(PROBE_LIMIT).await;
        if let Ok(mut last) = self.last.lock() {
            *last = Some((Instant::now(), health.clone()));
        }
        health
    }
}

/// The answer while the database is not ready, for this path.
pub fn unavailable(path: &str, health: &Health) -> Response {
    let (code, message) = match health {
        Health::Unmigrated => (
            "unmigrated",
            "数据库尚未初始化或版本不符，服务暂不可用。请管理员运行 gongkai migrate 后再试。",
        ),
        _ => (
            "database_unavailable",
            "数据库暂时无法连接，服务暂不可用，请稍后再试。",
        ),
    };
    let mut response = if path.starts_with("/api/") {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"error": code, "message": message})),
        )
            .into_response()
    } else {
        ErrorPage::new(StatusCode::SERVICE_UNAVAILABLE, "服务暂不可用", message).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Replaces a 500 or 503 with the outage answer when the database is the cause.
pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    if path == "/healthz"
        || !matches!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR | StatusCode::SERVICE_UNAVAILABLE
        )
    {
        return response;
    }
    match s.probe().health(s.app()).await {
        Health::Ready => {
            let mut response = response;
            if response.status() == StatusCode::SERVICE_UNAVAILABLE {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            }
            response
        }
        health => {
            tracing::warn!(path, ?health, "database not ready");
            unavailable(&path, &health)
        }
    }
}
