//! Log lines on stderr (stdout carries the results), filtered by `GONGKAI_LOG` or `RUST_LOG`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The filter of `serve` and `demo`.
pub const SERVER_DEFAULT: &str = "info";
/// The filter of the other commands: their results are their output. sqlx warns of slow
/// statements, which a bulk import is made of.
pub const COMMAND_DEFAULT: &str = "warn,sqlx=error";

/// Installs the subscriber; `default` applies when neither variable is set.
pub fn init(format: LogFormat, default: &str) {
    let spec = ["GONGKAI_LOG", "RUST_LOG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
    let filter = match spec {
        Some(spec) => EnvFilter::try_new(&spec).unwrap_or_else(|e| {
            eprintln!("警告：日志过滤设置“{spec}”无效（{e}），改用 {default}");
            EnvFilter::new(default)
        }),
        None => EnvFilter::new(default),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    // A subscriber installed already (never, in the binary) is kept.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
