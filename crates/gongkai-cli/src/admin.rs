//! `gongkai org …` and `gongkai user …`: set up organizations and staff accounts of a new
//! deployment from the command line (the first administrator cannot log in to make
//! themselves).

use std::io::{BufRead, IsTerminal, Write};

use gongkai_app::App;
use gongkai_app::orgs::{OrgInput, OrgTree};
use gongkai_domain::{OrgKind, Role};

use crate::error::user;
use crate::table::table;

/// `gongkai org add`.
pub async fn add_org(app: &App, input: OrgInput) -> anyhow::Result<()> {
    let org = gongkai_app::orgs::create(app, &input).await?;
    println!(
        "已创建机构 {}（{}），索引号规则 {}",
        org.name, org.code, org.index_pattern
    );
    Ok(())
}

/// `gongkai org list`: the tree as a table.
pub async fn list_orgs(app: &App) -> anyhow::Result<()> {
    let tree = OrgTree::load(app).await?;
    let counts = gongkai_app::portal::org_counts(app).await?;
    let rows: Vec<Vec<String>> = tree
        .flatten()
        .into_iter()
        .map(|(depth, o)| {
            vec![
                o.code.clone(),
                format!("{}{}", "  ".repeat(depth), o.name),
                o.short_name.clone().unwrap_or_default(),
                OrgKind::from_code(&o.kind)
                    .map_or_else(|_| o.kind.clone(), |k| k.label().to_owned()),
                o.index_pattern.clone(),
                counts.get(&o.id).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!(
            "尚无机构。用 gongkai org add 创建，或 gongkai import documents --create-orgs 导入。"
        );
    } else {
        print!(
            "{}",
            table(
                &["代码", "名称", "机关代字", "类型", "索引号规则", "公开文件"],
                &rows
            )
        );
    }
    Ok(())
}

/// Parses `ROLE@ORG`, e.g. `approver@GL00101`.
pub fn parse_grant(s: &str) -> anyhow::Result<(Role, String)> {
    let (role, org) = s.split_once('@').ok_or_else(|| {
        user(format!(
            "角色“{s}”格式不对：应写作 角色@机构代码，如 approver@GL00101"
        ))
    })?;
    let role = Role::from_code(role).map_err(|e| user(e.to_string()))?;
    if org.trim().is_empty() {
        return Err(user(format!("角色“{s}”缺少机构代码")));
    }
    Ok((role, org.trim().to_owned()))
}

/// `gongkai user add`: the password comes from standard input (`--password-stdin`) or an
/// interactive prompt, never from the command line where `ps` would show it.
pub async fn add_user(
    app: &App,
    username: &str,
    name: Option<&str>,
    roles: &[String],
    password_stdin: bool,
) -> anyhow::Result<()> {
    let grants: Vec<(Role, String)> = roles
        .iter()
        .map(|r| parse_grant(r))
        .collect::<anyhow::Result<_>>()?;
    let password = read_password(password_stdin)?;
    let refs: Vec<(&str, Role)> = grants.iter().map(|(r, o)| (o.as_str(), *r)).collect();
    let staff =
        gongkai_app::auth::create_user(app, username, name.unwrap_or(username), &password, &refs)
            .await?;
    let roles: Vec<String> = staff
        .grants
        .iter()
        .map(|g| format!("{}（{}）", g.role.label(), g.org_name))
        .collect();
    println!(
        "已创建用户 {}{}",
        staff.username,
        if roles.is_empty() {
            String::new()
        } else {
            format!("：{}", roles.join("、"))
        }
    );
    Ok(())
}

/// `gongkai user grant USERNAME ROLE@ORG`.
pub async fn grant(app: &App, username: &str, role: &str) -> anyhow::Result<()> {
    let (role, org) = parse_grant(role)?;
    let staff = gongkai_app::auth::grant(app, username, &org, role).await?;
    println!("已授予 {} {}（{}）", staff.username, role.label(), org);
    Ok(())
}

/// `gongkai user list`.
pub async fn list_users(app: &App) -> anyhow::Result<()> {
    let users = gongkai_app::auth::list_users(app).await?;
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            let roles: Vec<String> = u
                .grants
                .iter()
                .map(|g| format!("{}@{}", g.role.code(), g.org_code))
                .collect();
            vec![u.username.clone(), u.display_name.clone(), roles.join(" ")]
        })
        .collect();
    if rows.is_empty() {
        println!("尚无用户。用 gongkai user add 创建。");
    } else {
        print!("{}", table(&["用户名", "姓名", "角色"], &rows));
    }
    Ok(())
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !from_stdin {
        if !stdin.is_terminal() {
            return Err(user("请用 --password-stdin 从标准输入提供密码"));
        }
        eprint!("密码（输入时会显示，至少 8 个字符）：");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| user(format!("无法读取密码：{e}")))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(user("密码不能为空"));
    }
    Ok(password)
}

/// `gongkai audit verify`: walks the chain with a progress bar; exit status 1 names the
/// first break.
pub async fn verify_audit(app: &App) -> anyhow::Result<std::process::ExitCode> {
    let bar = crate::progress::counter("核验审计日志");
    let result = gongkai_app::audit::verify(app, |done, total| {
        bar.set_length(u64::try_from(total).unwrap_or(0));
        bar.set_position(u64::try_from(done).unwrap_or(0));
    })
    .await?;
    bar.finish_and_clear();
    match result {
        Ok(v) => {
            println!(
                "审计日志完整：共 {} 条，末条哈希 {}",
                v.entries, v.head_hash
            );
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(b) => {
            eprintln!("审计日志已被篡改：{b}");
            Ok(std::process::ExitCode::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_are_role_at_org() {
        let (role, org) = parse_grant("approver@GL00101").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((role, org.as_str()), (Role::Approver, "GL00101"));
        for bad in ["approver", "boss@GL00101", "clerk@", "@GL00101"] {
            assert!(parse_grant(bad).is_err(), "{bad}");
        }
    }
}
