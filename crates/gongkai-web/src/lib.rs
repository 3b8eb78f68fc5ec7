//! Gongkai's HTTP side: the public portal (政府信息公开专栏) and the staff pages,
//! server-rendered in Simplified Chinese, usable without JavaScript.
//!
//! Only this crate knows HTTP and templates. Handlers parse input, call `gongkai-app`, and
//! render; every `gongkai_app::Error` becomes a Chinese page in [`error`].

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use gongkai_app::App;
use tower_http::set_header::SetResponseHeaderLayer;

mod admin;
mod api;
mod api_requests;
mod apply;
mod assets;
pub mod cache;
mod desk;
pub mod error;
mod feeds;
mod layout;
mod letters;
mod limits;
pub mod metrics;
mod openapi;
pub mod outage;
pub(crate) mod public;
mod reports;
mod request_id;
mod requests_desk;
mod search;
mod security;
mod server;
mod staff;
mod views;

pub use server::HttpSettings;

/// How the web server runs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Public address of the site, for QR codes and feeds (no trailing slash).
    pub base_url: String,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Connection limits and the page cache.
    pub http: HttpSettings,
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app: App,
    config: WebConfig,
    cache: cache::PageCache,
    probe: outage::Probe,
    metrics: metrics::Metrics,
}

impl AppState {
    /// What the server counts for `/metrics`.
    pub fn metrics(&self) -> &metrics::Metrics {
        &self.inner.metrics
    }

    /// The database probe of failure answers.
    pub fn probe(&self) -> &outage::Probe {
        &self.inner.probe
    }

    /// The application.
    pub fn app(&self) -> &App {
        &self.inner.app
    }

    /// The configuration.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// The rendered-page cache.
    pub fn cache(&self) -> &cache::PageCache {
        &self.inner.cache
    }
}

/// The router with every page.
pub fn router(app: App, config: WebConfig) -> Router {
    router_with_state(state(app, config))
}

fn state(app: App, config: WebConfig) -> AppState {
    let cache = cache::PageCache::new(config.http.cache_bytes);
    AppState {
        inner: Arc::new(Inner {
            app,
            config,
            cache,
            probe: outage::Probe::default(),
            metrics: metrics::Metrics::default(),
        }),
    }
}

fn router_with_state(state: AppState) -> Router {
    Router::new()
        .route("/", get(public::home))
        .route("/list", get(public::list_all))
        .route("/org/{code}", get(public::org_redirect))
        .route("/org/{code}/", get(public::org_column))
        .route("/org/{code}/changes", get(public::changes_org))
        .route("/changes", get(public::changes_all))
        .route("/org/{code}/feed.xml", get(feeds::rss_org))
        .route("/org/{code}/atom.xml", get(feeds::atom_org))
        .route("/org/{code}/feed.json", get(feeds::json_org))
        .route("/feed.xml", get(feeds::rss_all))
        .route("/atom.xml", get(feeds::atom_all))
        .route("/feed.json", get(feeds::json_all))
        .route("/sitemap.xml", get(feeds::sitemap_index))
        .route("/sitemap/pages.xml", get(feeds::sitemap_pages))
        .route("/sitemap/{file}", get(feeds::sitemap_docs))
        .route("/doc/{id}", get(public::document))
        .route("/doc/{id}/print", get(public::print))
        .route("/doc/{id}/qr.svg", get(public::qr_code))
        .route("/doc/{id}/files/{file}", get(public::attachment))
        .route("/a11y/{mode}", get(public::a11y))
        .route("/static/{file}", get(assets::stylesheet))
        .route("/search", get(search::page))
        .route(
            "/apply",
            get(apply::form)
                .post(apply::submit)
                .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024)),
        )
        .route(
            "/track",
            get(apply::track_form)
                .post(apply::track)
                .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024)),
        )
        .route(
            "/track/correct",
            post(apply::correct).layer(tower_http::limit::RequestBodyLimitLayer::new(32 * 1024)),
        )
        .route(
            "/track/letter",
            post(letters::applicant_letter)
                .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024)),
        )
        .route("/api/v1/search", get(search::api))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/documents", post(api::create))
        .route("/api/v1/documents/{id}", get(api::get))
        .route("/api/v1/documents/{id}/actions/{action}", post(api::act))
        .route("/api/v1/documents/{id}/findings/{n}", post(api::finding))
        .route(
            "/api/v1/requests",
            // An application is a few kilobytes; the public may post here without an account.
            post(api_requests::create)
                .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024)),
        )
        .route("/api/v1/requests/{tracking}", get(api_requests::get))
        .route(
            "/api/v1/requests/{tracking}/correction",
            post(api_requests::correction),
        )
        .route(
            "/api/v1/requests/{tracking}/reply",
            post(api_requests::reply),
        )
        .route(
            "/api/v1/requests/{tracking}/reply/actions/{action}",
            post(api_requests::reply_action),
        )
        .route(
            "/api/v1/requests/{tracking}/letters/{id}",
            get(api_requests::letter),
        )
        .route(
            "/api/v1/requests/{tracking}/events",
            post(api_requests::event),
        )
        .route("/healthz", get(public::healthz))
        .route("/metrics", get(metrics::page))
        .route("/staff", get(staff::redirect_home))
        .route("/staff/", get(staff::home))
        .route(
            "/staff/login",
            get(staff::login_form)
                .post(staff::login)
                // A name and a password: anything bigger is not a login.
                .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024)),
        )
        .route("/staff/logout", post(staff::logout))
        .route(
            "/staff/password",
            get(staff::password_form).post(staff::change_password),
        )
        .route("/staff/docs", get(staff::records))
        .route("/staff/work", get(desk::work))
        .route("/staff/admin", get(admin::home))
        .route("/staff/admin/orgs", post(admin::create_org))
        .route("/staff/admin/users", post(admin::create_user))
        .route("/staff/admin/grant", post(admin::grant))
        .route("/staff/admin/unlock", post(admin::unlock))
        .route("/staff/admin/channels", post(admin::add_channel))
        .route("/staff/admin/settings", post(admin::change_setting))
        .route("/staff/deliveries", get(desk::deliveries))
        .route("/staff/requests", get(requests_desk::list))
        .route("/staff/letters", get(letters::templates_page))
        .route("/staff/reports", get(reports::page))
        .route("/staff/reports/deadlines", get(reports::deadlines))
        .route(
            "/staff/reports/{org}/{year}/figures",
            post(reports::save_figures),
        )
        .route("/staff/reports/{org}/{year}/cell", get(reports::cell))
        .route("/staff/reports/{org}/{year}/adjust", post(reports::adjust))
        .route(
            "/staff/reports/{org}/{year}/publish",
            post(reports::publish),
        )
        .route("/staff/reports/{org}/{year}/{format}", get(reports::file))
        .route("/staff/fee-rule/{org}", post(letters::set_fee_rule))
        .route(
            "/staff/letters/{org}/{key}",
            get(letters::template_form).post(letters::template_save),
        )
        .route(
            "/staff/requests/new",
            get(requests_desk::new_form).post(requests_desk::create),
        )
        .route("/staff/requests/{tracking}", get(requests_desk::show))
        .route(
            "/staff/requests/{tracking}/reply",
            post(requests_desk::reply),
        )
        .route(
            "/staff/requests/{tracking}/reply/{action}",
            post(requests_desk::reply_action),
        )
        .route(
            "/staff/requests/{tracking}/assign",
            post(requests_desk::assign),
        )
        .route(
            "/staff/requests/{tracking}/archive",
            post(requests_desk::archive),
        )
        .route(
            "/staff/requests/{tracking}/reviews",
            post(requests_desk::review),
        )
        .route(
            "/staff/requests/{tracking}/letters/{id}",
            get(letters::staff_letter),
        )
        .route(
            "/staff/requests/{tracking}/letters/{id}/docx",
            get(letters::staff_docx),
        )
        .route(
            "/staff/requests/{tracking}/register",
            post(requests_desk::register),
        )
        .route(
            "/staff/requests/{tracking}/event",
            post(requests_desk::event),
        )
        .route(
            "/staff/admin/calendar",
            post(admin::load_calendar).layer(axum::extract::DefaultBodyLimit::max(1024 * 1024)),
        )
        .route("/staff/doc/new", get(desk::new_form).post(desk::create))
        .route(
            "/staff/doc/new/upload",
            post(desk::upload).layer(axum::extract::DefaultBodyLimit::max(
                gongkai_app::drafts::MAX_UPLOAD + 64 * 1024,
            )),
        )
        .route("/staff/doc/{id}", get(staff::document))
        .route(
            "/staff/doc/{id}/edit",
            get(desk::edit_form).post(desk::update),
        )
        .route("/staff/doc/{id}/act", post(desk::act))
        .route(
            "/staff/doc/{id}/attach",
            post(desk::attach).layer(axum::extract::DefaultBodyLimit::max(
                gongkai_app::files::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/staff/doc/{id}/keep", post(desk::keep))
        .route("/staff/doc/{id}/withheld", post(desk::withheld))
        .route("/staff/doc/{id}/validity", post(desk::validity))
        .route("/staff/doc/{id}/redact", post(desk::redact))
        .route("/staff/doc/{id}/check/{attachment}", post(desk::check))
        .route("/staff/doc/{id}/detach/{attachment}", post(desk::detach))
        .route("/staff/doc/{id}/files/{file}", get(staff::attachment))
        .route("/robots.txt", get(public::robots))
        .route("/favicon.svg", get(public::favicon))
        .route("/favicon.ico", get(public::favicon))
        .fallback(public::not_found)
        .method_not_allowed_fallback(limits::method_not_allowed)
        .layer(axum::middleware::from_fn(metrics::label))
        .layer(axum::middleware::from_fn(security::staff_form_token))
        .layer(axum::middleware::from_fn(security::same_origin_writes))
        .layer(axum::middleware::from_fn(layout::remember_frame))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            // Pages carry no script, no inline style and no outside resource.
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; \
                 object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(axum::middleware::from_fn(security::private_no_store))
        // Bodies are read only by the login, the desk's forms and the API (a record's body
        // with its tables can pass 64 KB); axum's extractors hold each to 2 MB as well.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            4 * 1024 * 1024,
        ))
        .layer(axum::middleware::from_fn(limits::chinese_status_pages))
        .layer(axum::middleware::from_fn(limits::head_limits))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            outage::layer,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        // One id per request in every log line of it and in the answer's `x-request-id`.
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(
                |req: &axum::http::Request<axum::body::Body>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // The path only: a query string may carry what a visitor typed.
                    tracing::info_span!(
                        "request",
                        id,
                        method = %req.method(),
                        path = req.uri().path(),
                    )
                },
            ),
        )
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            request_id::Sequence::default(),
        ))
        .with_state(state)
}

/// Binds the configured address, so a caller can report a taken port before serving.
pub async fn bind(config: &WebConfig) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(config.listen).await
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(app: App, config: WebConfig) -> std::io::Result<()> {
    let listener = bind(&config).await?;
    serve_on(listener, app, config).await
}

/// Serves on a bound listener until Ctrl-C or SIGTERM.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    app: App,
    config: WebConfig,
) -> std::io::Result<()> {
    serve_until(listener, app, config, shutdown_signal()).await
}

/// Serves on a bound listener until `shutdown` completes (tests run several servers).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: App,
    config: WebConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    // The search index is opened (and built, when missing) in the background, so the first
    // search does not wait for it and the server answers at once.
    let index_app = app.clone();
    tokio::spawn(async move {
        if let Err(e) = gongkai_app::search::catch_up(&index_app).await {
            tracing::warn!(error = %e, "search index not ready");
        }
    });
    // Scheduled publications and settings: each node looks once a minute; the
    // compare-and-set on the stage lets only one of them publish a record.
    let scheduler_app = app.clone();
    let scheduler = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            // Settings an administrator saved on another node take effect here too.
            if let Err(e) = gongkai_app::settings::load(&scheduler_app).await {
                tracing::warn!(error = %e, "settings not reloaded");
            }
            match gongkai_app::workflow::publish_due(&scheduler_app).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(published = n, "scheduled publication"),
                Err(e) => tracing::warn!(error = %e, "scheduled publication failed"),
            }
        }
    });
    // The outbox: each node delivers what is due every 30 seconds; a claim on each row lets
    // one node make a delivery.
    let outbox_app = app.clone();
    let base_url = config.base_url.clone();
    let courier = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            match gongkai_app::outbox::deliver_due(&outbox_app, &base_url).await {
                Ok((0, 0)) => {}
                Ok((sent, failed)) => tracing::info!(sent, failed, "channel deliveries"),
                Err(e) => tracing::warn!(error = %e, "channel deliveries failed"),
            }
        }
    });
    let state = state(app, config);
    let router = router_with_state(state.clone());
    let _stop_scheduler = AbortOnDrop(scheduler);
    let _stop_courier = AbortOnDrop(courier);
    server::run(listener, router, state, shutdown).await
}

/// Stops a background task when the server stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
