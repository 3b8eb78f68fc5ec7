//! `gongkai serve`: the portal and the staff pages until Ctrl-C or SIGTERM.

use std::io::Write;

use gongkai_app::App;
use gongkai_web::WebConfig;

use crate::config::default_base_url;
use crate::error::{io_reason, user};

/// Says where, then serves.
pub async fn run(app: App, web: WebConfig) -> anyhow::Result<()> {
    let listen = web.listen;
    let listener = gongkai_web::bind(&web)
        .await
        .map_err(|e| user(format!("无法在 {listen} 上提供服务：{}", io_reason(&e))))?;
    println!("Gongkai 正在运行：{}/", default_base_url(listen));
    let _ = std::io::stdout().flush();
    tracing::info!(listen = %listen, base_url = %web.base_url, "serving");
    gongkai_web::serve_on(listener, app, web)
        .await
        .map_err(|e| user(format!("无法在 {listen} 上提供服务：{}", io_reason(&e))))
}
