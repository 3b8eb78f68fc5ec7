//! `gongkai demo`: a fresh data directory with the demo data, then `serve`.
//!
//! "Fresh" never means deleting someone's data: a directory is deleted only when it carries
//! the marker file a previous demo left; a non-empty directory without it is refused, and so
//! is a database (e.g. PostgreSQL given with `--database`) that has organizations already.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use gongkai_app::App;
use gongkai_app::demo::{DemoReport, seed};
use gongkai_web::WebConfig;

use crate::config::{Config, default_base_url, redact_url};
use crate::error::{io_reason, user};
use crate::{progress, serve, table};

/// The file that marks a directory as made by `gongkai demo`.
pub const MARKER: &str = ".gongkai-demo";

/// Seeds and serves on `host:port`.
pub async fn run(config: &Config, host: IpAddr, port: u16) -> anyhow::Result<()> {
    prepare_directory(&config.data)?;
    let app = crate::open(config).await?;
    ensure_empty(&app, config).await?;
    let mut stages = progress::Stages::new();
    let report = seed(&app, |p| stages.update(p.stage, p.done, p.total)).await;
    stages.finish();
    let report = report?;
    let listen = SocketAddr::new(host, port);
    let base_url = default_base_url(listen);
    print!("{}", summary(&report, &base_url, &config.data));
    let web = WebConfig {
        listen,
        base_url,
        secure_cookies: false,
        http: config.http.clone(),
    };
    serve::run(app, web).await
}

/// Empties a directory made by a previous demo, or makes a new one; marks it.
pub fn prepare_directory(dir: &Path) -> anyhow::Result<()> {
    let shown = dir.display();
    let failed = |what: &str, e: std::io::Error| {
        user(format!("无法{what}演示数据目录 {shown}：{}", io_reason(&e)))
    };
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(user(format!("演示数据目录 {shown} 已存在且不是目录")));
        }
        Ok(_) => {
            if dir.join(MARKER).is_file() {
                std::fs::remove_dir_all(dir).map_err(|e| failed("清空", e))?;
            } else {
                let mut entries = std::fs::read_dir(dir).map_err(|e| failed("读取", e))?;
                if entries.next().is_some() {
                    return Err(user(format!(
                        "目录 {shown} 不是空目录，也不是 gongkai demo 建的（没有 {MARKER} 标记）；为免删除其中的数据，演示不使用它。请用 --data 指定一个新目录"
                    )));
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(failed("读取", e)),
    }
    std::fs::create_dir_all(dir).map_err(|e| failed("创建", e))?;
    std::fs::write(
        dir.join(MARKER),
        "Made by `gongkai demo`; the next `gongkai demo` deletes this directory.\n",
    )
    .map_err(|e| failed("标记", e))?;
    Ok(())
}

async fn ensure_empty(app: &App, config: &Config) -> anyhow::Result<()> {
    let tree = gongkai_app::orgs::OrgTree::load(app).await?;
    let orgs = tree.all();
    if orgs.is_empty() {
        return Ok(());
    }
    let database = config
        .database
        .as_deref()
        .map(redact_url)
        .unwrap_or_else(|| gongkai_app::default_database_url(&config.data));
    Err(user(format!(
        "数据库 {database} 中已有 {} 个机构；演示只在空数据库上运行，为免覆盖数据，拒绝继续",
        orgs.len()
    )))
}

/// What the demo prints before serving: addresses, counts, the accounts.
pub fn summary(report: &DemoReport, base_url: &str, data: &Path) -> String {
    let mut out = String::from("Gongkai 演示数据已就绪\n");
    out.push_str(&table::boxed(&table::pairs(&[
        ("门户首页", format!("{base_url}/")),
        ("工作人员登录", format!("{base_url}/staff/login")),
        ("机构", format!("{} 个", report.organizations)),
        ("公开文件", format!("{} 件", report.documents)),
        (
            "依申请公开",
            format!(
                "{} 件（年度报告：gongkai --data {} report annual --org GL00101 --year 2025）",
                report.requests,
                data.display()
            ),
        ),
        ("数据目录", data.display().to_string()),
    ])));
    if !report.accounts.is_empty() {
        let rows: Vec<Vec<String>> = report
            .accounts
            .iter()
            .map(|a| {
                vec![
                    a.username.clone(),
                    a.password.clone(),
                    a.role.label().to_owned(),
                    format!("{}（{}）", a.org_name, a.org_code),
                ]
            })
            .collect();
        let _ = writeln!(
            out,
            "演示账号（仅供演示），在 {base_url}/staff/login 登录："
        );
        out.push_str(&table::table(&["用户名", "密码", "角色", "机构"], &rows));
    }
    if let Some((tracking, secret)) = &report.sample_request {
        let _ = writeln!(
            out,
            "演示申请（申请人所见）：在 {base_url}/track 输入查询码 {tracking}、密码 {secret}，可下载答复告知书"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use gongkai_app::demo::DemoAccount;
    use gongkai_domain::Role;

    use super::*;

    #[test]
    fn a_directory_without_the_marker_is_never_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::write(data.join("gongkai.db"), "precious").unwrap();
        let err = prepare_directory(&data).unwrap_err();
        assert!(err.to_string().contains(MARKER), "{err}");
        assert_eq!(
            std::fs::read_to_string(data.join("gongkai.db")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn a_marked_directory_is_emptied_and_marked_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("demo");
        prepare_directory(&data).unwrap();
        assert!(data.join(MARKER).is_file(), "a new directory is marked");
        std::fs::write(data.join("old.db"), "old").unwrap();
        prepare_directory(&data).unwrap();
        assert!(!data.join("old.db").exists());
        assert!(data.join(MARKER).is_file());
    }

    #[test]
    fn an_empty_directory_is_used() {
        let dir = tempfile::tempdir().unwrap();
        prepare_directory(dir.path()).unwrap();
        assert!(dir.path().join(MARKER).is_file());
    }

    #[test]
    fn a_file_is_not_a_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(prepare_directory(&file).is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }

    #[test]
    fn the_summary_lists_addresses_counts_and_accounts() {
        let report = DemoReport {
            accounts: vec![DemoAccount {
                username: "gl-clerk".into(),
                password: "demo-pass".into(),
                role: Role::Clerk,
                org_code: "GLQ".into(),
                org_name: "鼓楼区人民政府".into(),
            }],
            documents: 120,
            requests: 30,
            organizations: 9,
            sample_request: Some(("YS20261201-ABCDEFGH".into(), "ABCD-EFGH".into())),
        };
        let text = summary(
            &report,
            "http://127.0.0.1:8080",
            Path::new("./gongkai-demo"),
        );
        for needle in [
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/staff/login",
            "9 个",
            "120 件",
            "用户名",
            "密码",
            "角色",
            "gl-clerk",
            "demo-pass",
            "经办人",
            "鼓楼区人民政府（GLQ）",
            "YS20261201-ABCDEFGH",
            "ABCD-EFGH",
        ] {
            assert!(text.contains(needle), "{needle} missing in\n{text}");
        }
    }
}
