//! The server over real sockets (issue 13): two nodes on one database see each other's
//! publications, half-sent requests neither block others nor stay open, and a full
//! server refuses cleanly.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use gongkai_app::App;
use gongkai_app::documents::{Actor, create_draft, publish};
use gongkai_domain::validate_line;
use gongkai_testkit::builders::{DocLine, org_tree};
use gongkai_testkit::{TestDb, db_test};
use gongkai_web::{HttpSettings, WebConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// A running server; stops when dropped.
struct Node {
    addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

async fn start(app: App, http: HttpSettings) -> Node {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let config = WebConfig {
        listen: addr,
        base_url: format!("http://{addr}"),
        secure_cookies: false,
        http,
    };
    tokio::spawn(gongkai_web::serve_until(listener, app, config, async {
        let _ = stopped.await;
    }));
    // Answering means the loop runs, and has raised the open-file limit the tests rely on.
    let (status, _) = get(addr, "/healthz").await;
    assert_eq!(status, 200);
    Node { addr, _stop: stop }
}

/// Sends `request` as written on its own connection; the whole answer.
async fn exchange(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    String::from_utf8_lossy(&buf).into_owned()
}

/// One GET on its own connection; the head (status line and headers, lower-cased) and the
/// body.
async fn get_head(addr: SocketAddr, path: &str) -> (String, String) {
    let req = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    let text = exchange(addr, &req).await;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_lowercase(), body.to_owned())
}

/// One GET on its own connection; the status and the body.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let (head, body) = get_head(addr, path).await;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, body)
}

fn quick() -> HttpSettings {
    HttpSettings {
        head_timeout: Duration::from_secs(1),
        poll_interval: Duration::from_millis(100),
        ..HttpSettings::default()
    }
}

db_test!(
    a_record_published_on_one_node_shows_on_the_other_within_a_second,
    async |t: &TestDb| {
        let a = gongkai_testkit::app(t);
        org_tree(&a).await;
        let b = App::new(
            t.reconnect().await,
            t.dir.path(),
            gongkai_app::Settings::default(),
        );
        b.refresh_public().await.unwrap();
        let node_a = start(a.clone(), quick()).await;
        let node_b = start(b.clone(), quick()).await;
        let draft = create_draft(
            &a,
            Actor::System,
            &validate_line(&DocLine::new().title("另一节点发布的通知").to_line())
                .unwrap()
                .0,
        )
        .await
        .unwrap();
        for node in [&node_a, &node_b] {
            let (status, body) = get(node.addr, "/list").await;
            assert_eq!(status, 200);
            assert!(!body.contains("另一节点发布的通知"));
            // Twice, so each node holds the page in its cache.
            let _ = get(node.addr, "/list").await;
        }
        publish(
            &a,
            Actor::System,
            draft,
            time::macros::date!(2026 - 01 - 06),
        )
        .await
        .unwrap();
        let published = Instant::now();
        let (_, on_a) = get(node_a.addr, "/list").await;
        assert!(
            on_a.contains("另一节点发布的通知"),
            "the publishing node at once"
        );
        loop {
            let (_, on_b) = get(node_b.addr, "/list").await;
            if on_b.contains("另一节点发布的通知") {
                break;
            }
            assert!(
                published.elapsed() < Duration::from_secs(1),
                "node B still serves the page without the record after 1 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (status, _) = get(node_b.addr, &format!("/doc/{draft}")).await;
        assert_eq!(status, 200);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_half_sent_requests_neither_block_others_nor_stay_open() {
    let t = gongkai_testkit::sqlite().await;
    let app = gongkai_testkit::app(&t);
    org_tree(&app).await;
    let node = start(app, quick()).await;
    let mut slow = Vec::new();
    for _ in 0..2_000 {
        let mut s = TcpStream::connect(node.addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: te").await.unwrap();
        slow.push(s);
    }
    for path in ["/healthz", "/"] {
        let asked = Instant::now();
        let (status, _) = tokio::time::timeout(Duration::from_secs(1), get(node.addr, path))
            .await
            .unwrap_or_else(|_| panic!("{path} did not answer within 1 s"));
        assert_eq!(status, 200, "{path}");
        assert!(asked.elapsed() < Duration::from_secs(1));
    }
    // The head timeout (1 s here) closes every half-sent request.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let mut closed = 0;
    for s in &mut slow {
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await {
            Ok(Ok(_)) | Ok(Err(_)) => closed += 1,
            Err(_) => {}
        }
    }
    assert_eq!(closed, 2_000, "half-sent requests left open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kept_alive_connection_is_closed_after_the_head_timeout() {
    let t = gongkai_testkit::sqlite().await;
    let app = gongkai_testkit::app(&t);
    org_tree(&app).await;
    let node = start(app, quick()).await;
    let mut s = TcpStream::connect(node.addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Kept alive, then idle: closed once the timeout passes.
    let n = tokio::time::timeout(Duration::from_secs(3), s.read(&mut buf))
        .await
        .expect("the idle connection was not closed")
        .unwrap_or(0);
    assert_eq!(n, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_refuses_with_a_chinese_503_and_recovers() {
    let t = gongkai_testkit::sqlite().await;
    let app = gongkai_testkit::app(&t);
    org_tree(&app).await;
    let node = start(
        app,
        HttpSettings {
            max_connections: 4,
            // Long enough that the held connections stay open on a busy machine.
            head_timeout: Duration::from_secs(30),
            ..quick()
        },
    )
    .await;
    // Four kept-alive connections, each answered once, so each surely holds its place
    // (after the start's own request has let go of its place).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = TcpStream::connect(node.addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        held.push(s);
    }
    let (status, body) = get(node.addr, "/").await;
    assert_eq!(status, 503);
    assert!(body.contains("服务繁忙"), "{body}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = get(node.addr, "/").await;
    assert_eq!(status, 200);
}

db_test!(
    pages_and_healthz_agree_on_a_database_without_its_tables,
    async |t: &TestDb| {
        let a = gongkai_testkit::app(t);
        org_tree(&a).await;
        let node = start(a.clone(), quick()).await;
        // Every answer carries the headers of a hardened site; private ones are not stored.
        let (head, _) = get_head(node.addr, "/").await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        for h in [
            "content-security-policy: default-src 'self'; img-src 'self'; script-src 'self'",
            "x-frame-options: sameorigin",
            "x-content-type-options: nosniff",
        ] {
            assert!(head.contains(h), "{h} in {head}");
        }
        assert!(
            !head.contains("no-store"),
            "public pages may be cached: {head}"
        );
        for private in ["/staff/login", "/track", "/apply"] {
            let (head, _) = get_head(node.addr, private).await;
            assert!(
                head.contains("cache-control: no-store"),
                "{private}: {head}"
            );
        }

        // An operator drops the tables (or points the server at an empty database).
        let cascade = if t.is_postgres() { " CASCADE" } else { "" };
        t.execute_raw(&format!(
            "DROP TABLE _sqlx_migrations; DROP TABLE documents{cascade}"
        ))
        .await;
        let (head, body) = get_head(node.addr, "/healthz").await;
        assert!(head.starts_with("http/1.1 503"), "{head}");
        assert!(head.contains("retry-after: 30"), "{head}");
        assert!(body.contains("schema"), "{body}");
        // A page that needs the missing table answers the same, in Chinese.
        let (head, body) = get_head(node.addr, "/list").await;
        assert!(head.starts_with("http/1.1 503"), "{head}");
        assert!(head.contains("retry-after: 30"), "{head}");
        assert!(body.contains("服务暂不可用"), "{body}");
        // Search answers from its own index, which is still there.
        let (head, _) = get_head(node.addr, "/api/v1/search?q=x").await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
    }
);

db_test!(
    metrics_answer_this_machine_only_and_count_by_route,
    async |t: &TestDb| {
        let a = gongkai_testkit::app(t);
        org_tree(&a).await;
        let node = start(a.clone(), quick()).await;
        for _ in 0..3 {
            get(node.addr, "/doc/999999").await;
        }
        let first = get(node.addr, "/").await.0;
        let second = get(node.addr, "/").await.0;
        assert_eq!((first, second), (200, 200));
        let (head, body) = get_head(node.addr, "/metrics").await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("text/plain; version=0.0.4"), "{head}");
        assert!(head.contains("x-request-id: "), "{head}");
        for line in [
            "gongkai_http_requests_total{route=\"/doc/{id}\",method=\"GET\",status=\"404\"} 3",
            "gongkai_http_request_duration_seconds_count{route=\"/doc/{id}\"} 3",
            "gongkai_page_cache_hits_total 1",
            "gongkai_db_pool_connections{state=\"max\"}",
            "gongkai_requests{state=\"overdue\"} 0",
            "gongkai_database_up 1",
        ] {
            assert!(body.contains(line), "{line} in\n{body}");
        }
        // Through a reverse proxy on this machine, for a visitor elsewhere: not there.
        let text = exchange(
            node.addr,
            "GET /metrics HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(text.starts_with("HTTP/1.1 404"), "{text}");
        assert!(!text.contains("gongkai_http_requests_total"));
    }
);
