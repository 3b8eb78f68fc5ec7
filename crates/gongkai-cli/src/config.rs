//! Configuration of a run (SPEC C9): where the data lives, which database, where to listen,
//! the login rules.
//!
//! Precedence, highest first: command-line flag, environment variable, configuration file,
//! default. The file is TOML with the keys `data`, `database`, `listen`, `base_url`,
//! `secure_cookies`, `log_format`, `[auth] lockout_failures, lockout_minutes,
//! session_hours`, `[http] cache_mb, head_timeout_secs, max_connections, poll_ms` and
//! `[requests] fee_pauses_clock` (whether a fee notice pauses the reply
//! clock: DOMAIN A6.1 leaves it open, default true), `reminder_first_days` and
//! `reminder_last_days` (working days before a due date when the unit is reminded, 5 and 1),
//! `[documents] withheld_review_months`
//! (条例 Art. 18: months between reviews of a withheld record, default 6) and `repost_hours`
//! (hours within which a record should reach every channel, default 12),
//! `import_max_line_kb` and `max_body_kb` (an import's longest line and largest body, 8192
//! and 4096), `import_commit_mb` (input per committed batch of an import, 128); every key can also be set as `GONGKAI_<KEY>` in the environment, a table
//! key with `__` (`GONGKAI_AUTH__LOCKOUT_FAILURES`). Without `--config`, the file is
//! `<data>/gongkai.toml` when it exists, `<data>` being the data directory named by flag or
//! environment (or the default). Relative paths are relative to the working directory.
//!
//! The environment is an argument, not read here, so that tests can give their own.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use std::time::Duration;

use gongkai_app::Settings;
use gongkai_domain::ClockSettings;
use gongkai_web::HttpSettings;
use serde::Deserialize;

use crate::error::user;

/// The data directory when none is given.
pub const DEFAULT_DATA: &str = "./gongkai-data";
/// The data directory of `gongkai demo` when none is given.
pub const DEFAULT_DEMO_DATA: &str = "./gongkai-demo";
/// The address `serve` listens on when none is given.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080);
/// The configuration file looked for in the data directory.
pub const CONFIG_FILE_NAME: &str = "gongkai.toml";
/// Prefix of the environment variables.
pub const ENV_PREFIX: &str = "GONGKAI";

/// Format of the log lines on stderr.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    // Plain comments: doc comments would make clap list the values on lines of their own.
    // Human-readable lines.
    #[default]
    Text,
    // One JSON object per line.
    Json,
}

impl LogFormat {
    fn parse(s: &str) -> anyhow::Result<LogFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(user(format!("日志格式“{s}”无效：须为 text 或 json"))),
        }
    }
}

/// What the command line says.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// `--data DIR`.
    pub data: Option<PathBuf>,
    /// `--database URL`.
    pub database: Option<String>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--log-format`.
    pub log_format: Option<LogFormat>,
    /// `serve --listen ADDR`.
    pub listen: Option<String>,
}

/// The keys of the file and of the environment; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Keys {
    data: Option<PathBuf>,
    database: Option<String>,
    listen: Option<String>,
    base_url: Option<String>,
    secure_cookies: Option<bool>,
    log_format: Option<String>,
    auth: AuthKeys,
    requests: RequestKeys,
    documents: DocumentKeys,
    http: HttpKeys,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DocumentKeys {
    withheld_review_months: Option<u8>,
    repost_hours: Option<u32>,
    import_max_line_kb: Option<u32>,
    max_body_kb: Option<u32>,
    import_commit_mb: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HttpKeys {
    cache_mb: Option<u64>,
    head_timeout_secs: Option<u64>,
    max_connections: Option<u64>,
    poll_ms: Option<u64>,
    /// Addresses and ranges `/metrics` answers, comma-separated.
    metrics_allow: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestKeys {
    fee_pauses_clock: Option<bool>,
    reminder_first_days: Option<u32>,
    reminder_last_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuthKeys {
    lockout_failures: Option<u32>,
    lockout_minutes: Option<i64>,
    session_hours: Option<i64>,
}

/// The configuration of a run, every value decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Data directory.
    pub data: PathBuf,
    /// Database URL; `None` is SQLite in the data directory.
    pub database: Option<String>,
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Public address of the site, without a trailing slash.
    pub base_url: String,
    /// Mark session cookies `Secure`.
    pub secure_cookies: bool,
    /// Log format.
    pub log_format: LogFormat,
    /// Login rules.
    pub settings: Settings,
    /// Connection limits and the page cache.
    pub http: HttpSettings,
}

/// Decides the configuration. `env` is the process environment (only `GONGKAI_*` is used);
/// `default_data` the data directory when no flag, variable or file names one.
pub fn load(
    flags: &Flags,
    env: &HashMap<String, String>,
    default_data: &Path,
) -> anyhow::Result<Config> {
    let env: HashMap<String, String> = env
        .iter()
        .filter(|(k, v)| k.starts_with(&format!("{ENV_PREFIX}_")) && !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let env_path = |name: &str| env.get(name).map(PathBuf::from);

    // The data directory that locates the default file: the file itself cannot move it.
    let lookup_data = flags
        .data
        .clone()
        .or_else(|| env_path("GONGKAI_DATA"))
        .unwrap_or_else(|| default_data.to_owned());
    let config_file = match flags.config.clone().or_else(|| env_path("GONGKAI_CONFIG")) {
        Some(path) => {
            if !path.is_file() {
                return Err(user(format!("配置文件 {} 不存在", path.display())));
            }
            Some(path)
        }
        None => Some(lookup_data.join(CONFIG_FILE_NAME)).filter(|p| p.is_file()),
    };

    let file_keys = match &config_file {
        Some(path) => config::Config::builder()
            .add_source(config::File::from(path.as_path()).format(config::FileFormat::Toml))
            .build()
            .and_then(|c| c.try_deserialize::<Keys>())
            .map_err(|e| user(format!("配置文件 {} 有误：{e}", path.display())))?,
        None => Keys::default(),
    };
    let env_keys = config::Config::builder()
        .add_source(
            config::Environment::with_prefix(ENV_PREFIX)
                .prefix_separator("_")
                .separator("__")
                .ignore_empty(true)
                .source(Some(env.into_iter().collect())),
        )
        .build()
        .and_then(|c| c.try_deserialize::<Keys>())
        .map_err(|e| user(format!("环境变量 {ENV_PREFIX}_… 有误：{e}")))?;

    // Flag, then environment, then file.
    let data = flags
        .data
        .clone()
        .or(env_keys.data)
        .or(file_keys.data)
        .unwrap_or_else(|| default_data.to_owned());
    let database = flags
        .database
        .clone()
        .or(env_keys.database)
        .or(file_keys.database);
    if let Some(url) = &database {
        check_database_url(url)?;
    }
    let listen = match flags
        .listen
        .clone()
        .or(env_keys.listen)
        .or(file_keys.listen)
    {
        Some(s) => parse_listen(&s)?,
        None => DEFAULT_LISTEN,
    };
    let base_url = match env_keys.base_url.or(file_keys.base_url) {
        Some(url) => parse_base_url(&url)?,
        None => default_base_url(listen),
    };
    let secure_cookies = env_keys
        .secure_cookies
        .or(file_keys.secure_cookies)
        .unwrap_or_else(|| base_url.starts_with("https://"));
    let log_format = match flags.log_format {
        Some(f) => f,
        None => match env_keys.log_format.or(file_keys.log_format) {
            Some(s) => LogFormat::parse(&s)?,
            None => LogFormat::default(),
        },
    };
    let defaults = Settings::default();
    // The environment beats the file, which beats the default.
    macro_rules! key {
        ($section:ident . $key:ident, $default:expr) => {
            env_keys
                .$section
                .$key
                .or(file_keys.$section.$key)
                .unwrap_or($default)
        };
    }
    let settings = Settings {
        lockout_failures: key!(auth.lockout_failures, defaults.lockout_failures),
        lockout_minutes: key!(auth.lockout_minutes, defaults.lockout_minutes),
        session_hours: key!(auth.session_hours, defaults.session_hours),
        clock: ClockSettings {
            fee_pauses: key!(requests.fee_pauses_clock, defaults.clock.fee_pauses),
            ..defaults.clock
        },
        withheld_review_months: match env_keys
            .documents
            .withheld_review_months
            .or(file_keys.documents.withheld_review_months)
        {
            Some(0) => {
                return Err(user(
                    "documents.withheld_review_months 须为 1 到 255 之间的月数".to_owned(),
                ));
            }
            Some(m) => m,
            None => defaults.withheld_review_months,
        },
        repost_hours: key!(documents.repost_hours, defaults.repost_hours),
        import_max_line_kb: key!(documents.import_max_line_kb, defaults.import_max_line_kb),
        max_body_kb: key!(documents.max_body_kb, defaults.max_body_kb),
        import_commit_mb: key!(documents.import_commit_mb, defaults.import_commit_mb),
        reminder_first_days: key!(requests.reminder_first_days, defaults.reminder_first_days),
        reminder_last_days: key!(requests.reminder_last_days, defaults.reminder_last_days),
    };
    check_settings(&settings)?;
    let http = http_settings(&env_keys.http, &file_keys.http)?;
    Ok(Config {
        data,
        database,
        config_file,
        listen,
        base_url,
        secure_cookies,
        log_format,
        settings,
        http,
    })
}

/// `[http]`: `cache_mb` (rendered pages kept in memory, 0 = off), `head_timeout_secs` (time
/// to send a request head, and to send the next one on a kept-alive connection),
/// `max_connections`, `poll_ms` (how often a node reads the public generation).
fn http_settings(env: &HttpKeys, file: &HttpKeys) -> anyhow::Result<HttpSettings> {
    let d = HttpSettings::default();
    let cache_mb = env.cache_mb.or(file.cache_mb);
    let head = env.head_timeout_secs.or(file.head_timeout_secs);
    let max = env.max_connections.or(file.max_connections);
    let poll = env.poll_ms.or(file.poll_ms);
    if cache_mb.is_some_and(|m| m > 65_536) {
        return Err(user("http.cache_mb 须在 0 到 65536 之间"));
    }
    if head.is_some_and(|h| !(1..=300).contains(&h)) {
        return Err(user("http.head_timeout_secs 须在 1 到 300 秒之间"));
    }
    if max.is_some_and(|m| !(1..=1_000_000).contains(&m)) {
        return Err(user("http.max_connections 须在 1 到 1000000 之间"));
    }
    if poll.is_some_and(|p| !(10..=1_000).contains(&p)) {
        return Err(user(
            "http.poll_ms 须在 10 到 1000 毫秒之间（各节点须在 1 秒内看到更新）",
        ));
    }
    let metrics_allow = match env.metrics_allow.as_ref().or(file.metrics_allow.as_ref()) {
        None => d.metrics_allow,
        Some(list) => list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                gongkai_web::metrics::AddrRange::parse(s).ok_or_else(|| {
                    user(format!(
                        "http.metrics_allow 中的“{}”不是地址或网段（如 127.0.0.1、10.0.0.0/8、::1）",
                        s.trim()
                    ))
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
    };
    Ok(HttpSettings {
        cache_bytes: cache_mb.map_or(d.cache_bytes, |m| (m as usize) * 1024 * 1024),
        head_timeout: head.map_or(d.head_timeout, Duration::from_secs),
        max_connections: max.map_or(d.max_connections, |m| m as usize),
        poll_interval: poll.map_or(d.poll_interval, Duration::from_millis),
        metrics_allow,
    })
}

/// Reads `IP:PORT`.
pub fn parse_listen(s: &str) -> anyhow::Result<SocketAddr> {
    s.trim().parse().map_err(|_| {
        user(format!(
            "监听地址“{s}”无效：须写作 IP:端口，如 127.0.0.1:8080 或 [::1]:8080"
        ))
    })
}

/// `http://` + the address, with 127.0.0.1 for an unspecified IP (0.0.0.0 is no address to
/// visit).
pub fn default_base_url(listen: SocketAddr) -> String {
    let ip = if listen.ip().is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        listen.ip()
    };
    format!("http://{}", SocketAddr::new(ip, listen.port()))
}

fn parse_base_url(s: &str) -> anyhow::Result<String> {
    let url = s.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(url.to_owned()),
        _ => Err(user(format!(
            "网站地址 base_url“{s}”无效：须以 http:// 或 https:// 开头，如 https://gk.example.gov.cn"
        ))),
    }
}

/// Only the two databases the store speaks.
pub fn check_database_url(url: &str) -> anyhow::Result<()> {
    let ok = url
        .strip_prefix("sqlite:")
        .map(|p| !p.trim_start_matches('/').is_empty())
        .unwrap_or(false)
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://");
    if ok {
        Ok(())
    } else {
        Err(user(format!(
            "数据库地址“{}”无效：须为 sqlite:路径 或 postgres://用户@主机/库名",
            redact_url(url)
        )))
    }
}

fn check_settings(s: &Settings) -> anyhow::Result<()> {
    if s.lockout_failures == 0 {
        return Err(user("auth.lockout_failures 须至少为 1"));
    }
    if !(1..=10_080).contains(&s.lockout_minutes) {
        return Err(user("auth.lockout_minutes 须在 1 到 10080（一周）分钟之间"));
    }
    if !(1..=720).contains(&s.session_hours) {
        return Err(user("auth.session_hours 须在 1 到 720（30 天）小时之间"));
    }
    if !(1..=20).contains(&s.reminder_first_days) || s.reminder_last_days >= s.reminder_first_days {
        return Err(user(
            "requests.reminder_first_days 须在 1 到 20 之间，reminder_last_days 须小于它",
        ));
    }
    if !(64..=262_144).contains(&s.import_max_line_kb) || !(64..=131_072).contains(&s.max_body_kb) {
        return Err(user(
            "documents.import_max_line_kb 须在 64 到 262144 之间，max_body_kb 须在 64 到 131072 之间（KB）",
        ));
    }
    if !(1..=4096).contains(&s.import_commit_mb) {
        return Err(user("documents.import_commit_mb 须在 1 到 4096 之间（MB）"));
    }
    Ok(())
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((name, _password)) => format!("{scheme}://{name}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    const FILE: &str = r#"
database = "sqlite:/from/file.db"
listen = "127.0.0.1:7000"
base_url = "https://gk.example.gov.cn/"
[auth]
lockout_failures = 3
lockout_minutes = 30
session_hours = 4
"#;

    #[test]
    fn defaults_apply_when_nothing_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let c = load(&Flags::default(), &env(&[]), dir.path()).unwrap();
        assert_eq!(c.data, dir.path());
        assert_eq!(c.database, None);
        assert_eq!(c.config_file, None);
        assert_eq!(c.listen, DEFAULT_LISTEN);
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert!(!c.secure_cookies);
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.settings, Settings::default());
    }

    #[test]
    fn the_file_beats_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "x.toml", FILE);
        let flags = Flags {
            config: Some(file.clone()),
            ..Flags::default()
        };
        let c = load(&flags, &env(&[]), dir.path()).unwrap();
        assert_eq!(c.config_file, Some(file));
        assert_eq!(c.database.as_deref(), Some("sqlite:/from/file.db"));
        assert_eq!(c.listen.port(), 7000);
        assert_eq!(
            c.base_url, "https://gk.example.gov.cn",
            "trailing slash removed"
        );
        assert!(c.secure_cookies, "https base_url implies secure cookies");
        assert_eq!(
            c.settings,
            Settings {
                lockout_failures: 3,
                lockout_minutes: 30,
                session_hours: 4,
                ..Settings::default()
            }
        );
    }

    #[test]
    fn the_environment_beats_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "x.toml", FILE);
        let flags = Flags {
            config: Some(file),
            ..Flags::default()
        };
        let vars = env(&[
            ("GONGKAI_DATABASE", "postgres://u:secret@db/gongkai"),
            ("GONGKAI_LISTEN", "0.0.0.0:9000"),
            ("GONGKAI_SECURE_COOKIES", "false"),
            ("GONGKAI_AUTH__LOCKOUT_FAILURES", "7"),
            ("GONGKAI_LOG_FORMAT", "json"),
            ("OTHER_LISTEN", "1.2.3.4:1"),
        ]);
        let c = load(&flags, &vars, dir.path()).unwrap();
        assert_eq!(
            c.database.as_deref(),
            Some("postgres://u:secret@db/gongkai")
        );
        assert_eq!(c.listen, "0.0.0.0:9000".parse().unwrap());
        assert!(!c.secure_cookies);
        assert_eq!(c.settings.lockout_failures, 7, "env");
        assert_eq!(c.settings.lockout_minutes, 30, "file, not overridden");
        assert_eq!(c.log_format, LogFormat::Json);
    }

    #[test]
    fn flags_beat_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "x.toml", FILE);
        let flags = Flags {
            config: Some(file),
            data: Some(PathBuf::from("/flag/data")),
            database: Some("sqlite:/flag.db".to_owned()),
            listen: Some("127.0.0.1:9100".to_owned()),
            log_format: Some(LogFormat::Text),
        };
        let vars = env(&[
            ("GONGKAI_DATA", "/env/data"),
            ("GONGKAI_DATABASE", "sqlite:/env.db"),
            ("GONGKAI_LISTEN", "127.0.0.1:9000"),
            ("GONGKAI_LOG_FORMAT", "json"),
        ]);
        let c = load(&flags, &vars, dir.path()).unwrap();
        assert_eq!(c.data, PathBuf::from("/flag/data"));
        assert_eq!(c.database.as_deref(), Some("sqlite:/flag.db"));
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(
            c.base_url, "https://gk.example.gov.cn",
            "only the file sets base_url"
        );
        assert_eq!(c.log_format, LogFormat::Text);
    }

    #[test]
    fn the_default_file_is_found_in_the_data_directory_named_by_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            dir.path(),
            CONFIG_FILE_NAME,
            "listen = \"127.0.0.1:7100\"\n",
        );
        let data = dir.path().to_str().unwrap();
        let c = load(
            &Flags::default(),
            &env(&[("GONGKAI_DATA", data)]),
            Path::new("/nowhere"),
        )
        .unwrap();
        assert_eq!(c.config_file, Some(file));
        assert_eq!(c.data, dir.path());
        assert_eq!(c.listen.port(), 7100);
    }

    #[test]
    fn the_file_may_name_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "x.toml", "data = \"/from/file\"\n");
        let flags = Flags {
            config: Some(file),
            ..Flags::default()
        };
        let c = load(&flags, &env(&[]), dir.path()).unwrap();
        assert_eq!(c.data, PathBuf::from("/from/file"));
        let c = load(&flags, &env(&[("GONGKAI_DATA", "/from/env")]), dir.path()).unwrap();
        assert_eq!(c.data, PathBuf::from("/from/env"));
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let dir = tempfile::tempdir().unwrap();
        let c = load(
            &Flags::default(),
            &env(&[
                ("GONGKAI_LISTEN", ""),
                ("GONGKAI_CONFIG", ""),
                ("GONGKAI_DATA", ""),
            ]),
            dir.path(),
        )
        .unwrap();
        assert_eq!(c.listen, DEFAULT_LISTEN);
        assert_eq!(c.data, dir.path());
    }

    #[test]
    fn bad_values_are_refused_with_a_chinese_message() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Flags {
            config: Some(dir.path().join("missing.toml")),
            ..Flags::default()
        };
        let bad_toml = Flags {
            config: Some(write(dir.path(), "bad.toml", "listen = \n")),
            ..Flags::default()
        };
        let bad_type = Flags {
            config: Some(write(
                dir.path(),
                "type.toml",
                "[auth]\nsession_hours = \"long\"\n",
            )),
            ..Flags::default()
        };
        let none = Flags::default();
        for (flags, vars, needle, why) in [
            (&missing, env(&[]), "不存在", "an explicit file must exist"),
            (&bad_toml, env(&[]), "有误", "TOML syntax"),
            (&bad_type, env(&[]), "有误", "a number that is not one"),
            (
                &none,
                env(&[("GONGKAI_LISTEN", "localhost")]),
                "监听地址",
                "no port",
            ),
            (
                &none,
                env(&[("GONGKAI_DATABASE", "mysql://x/y")]),
                "数据库地址",
                "unknown database",
            ),
            (
                &none,
                env(&[("GONGKAI_BASE_URL", "gk.example")]),
                "base_url",
                "no scheme",
            ),
            (
                &none,
                env(&[("GONGKAI_LOG_FORMAT", "xml")]),
                "日志格式",
                "unknown log format",
            ),
            (
                &none,
                env(&[("GONGKAI_AUTH__SESSION_HOURS", "0")]),
                "session_hours",
                "zero hours",
            ),
            (
                &none,
                env(&[("GONGKAI_AUTH__LOCKOUT_FAILURES", "-1")]),
                "有误",
                "negative count",
            ),
        ] {
            let err = load(flags, &vars, dir.path()).expect_err(why);
            assert!(err.to_string().contains(needle), "{why}: {err}");
            assert!(crate::error::is_user_error(&err), "{why}");
        }
    }

    #[test]
    fn passwords_are_not_shown() {
        for (url, shown) in [
            (
                "postgres://u:secret@db:5432/gk",
                "postgres://u:***@db:5432/gk",
            ),
            ("postgres://u@db/gk", "postgres://u@db/gk"),
            ("sqlite:/tmp/a.db", "sqlite:/tmp/a.db"),
        ] {
            assert_eq!(redact_url(url), shown);
        }
    }
}
