//! The legal engine on the command line, so that anyone can check it: the working-day
//! calendar, the statutory clock, fees, the sensitive-information scan and the annual report
//! (SPEC "Command line"; DOMAIN A5–A9).
//!
//! The calendar questions work on a fresh machine: without a database they use the years
//! shipped in the binary; with one (named by `--database`, or `gongkai.db` already in the data
//! directory) they also see the notices an administrator loaded.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use gongkai_app::App;
use gongkai_domain::{Calendar, ClockInput, ClockSettings, format_date_iso, parse_date};
use time::{Date, Weekday};

use crate::config::Config;
use crate::error::{io_reason, user};
use crate::table::table;

/// The calendar in force, and the clock settings: from the database when there is one.
async fn calendar(config: &Config) -> anyhow::Result<(std::sync::Arc<Calendar>, ClockSettings)> {
    let has_db = config.database.is_some() || config.data.join("gongkai.db").is_file();
    if has_db {
        let app = crate::open(config).await?;
        Ok((app.calendar(), app.settings().clock))
    } else {
        Ok((
            std::sync::Arc::new(Calendar::shipped()),
            config.settings.clock,
        ))
    }
}

/// A `YYYY-MM-DD` argument.
pub fn date_arg(name: &str, text: &str) -> anyhow::Result<Date> {
    parse_date(text.trim())
        .map_err(|e| user(format!("{name}“{text}”无效：{e}（应写作 YYYY-MM-DD）")))
}

fn count_arg(name: &str, text: &str) -> anyhow::Result<u32> {
    text.trim().parse::<u32>().map_err(|_| {
        user(format!(
            "{name}“{text}”无效：须为 0 到 {} 之间的整数",
            u32::MAX
        ))
    })
}

/// `calendar add-workdays DATE N`.
pub async fn add_workdays(config: &Config, date: &str, n: &str) -> anyhow::Result<()> {
    let date = date_arg("日期", date)?;
    let n = count_arg("工作日数", n)?;
    let (calendar, _) = calendar(config).await?;
    let due = calendar
        .add_workdays(date, n)
        .map_err(|e| user(e.to_string()))?;
    println!("{}", format_date_iso(due));
    Ok(())
}

/// `calendar is-workday DATE`.
pub async fn is_workday(config: &Config, date: &str) -> anyhow::Result<()> {
    let date = date_arg("日期", date)?;
    let (calendar, _) = calendar(config).await?;
    let yes = calendar.is_workday(date).map_err(|e| user(e.to_string()))?;
    println!("{yes}");
    Ok(())
}

/// `calendar show YEAR`: the year's notices and every special day, with the working days.
pub async fn show(config: &Config, year: &str) -> anyhow::Result<()> {
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| user(format!("年份“{year}”无效：须为四位数字，如 2026")))?;
    let (calendar, _) = calendar(config).await?;
    let notice = calendar.notice(year).ok_or_else(|| {
        user(format!(
            "未载入{year}年的放假调休安排（可用 gongkai calendar load 载入）"
        ))
    })?;
    let workdays = calendar
        .workdays_in_year(year)
        .map_err(|e| user(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{year}年放假调休安排：{}", notice.papers().join("、"))?;
    writeln!(out, "全年工作日 {workdays} 天")?;
    let rows: Vec<Vec<String>> = notice
        .days()
        .iter()
        .map(|day| {
            vec![
                format_date_iso(day.date),
                format!("星期{}", weekday_cn(day.date.weekday())),
                day.name.clone(),
                if day.off {
                    "放假"
                } else {
                    "上班（调休）"
                }
                .to_owned(),
            ]
        })
        .collect();
    write!(out, "{}", table(&["日期", "星期", "节日", "安排"], &rows))?;
    Ok(())
}

fn weekday_cn(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "一",
        Weekday::Tuesday => "二",
        Weekday::Wednesday => "三",
        Weekday::Thursday => "四",
        Weekday::Friday => "五",
        Weekday::Saturday => "六",
        Weekday::Sunday => "日",
    }
}

/// `calendar load FILE.json`: stores the notice as a new version of its year and says which
/// open requests' due dates moved.
pub async fn load(app: &App, path: &Path) -> anyhow::Result<()> {
    let text = read_text(path)?;
    let report = gongkai_app::calendar::load(app, &text).await?;
    println!(
        "已载入{}年放假调休安排（第 {} 版，{} 个特殊日期）；重新计算了 {} 件未办结申请的答复期限，{} 件有变化",
        report.year,
        report.version,
        report.days,
        report.open_requests,
        report.changes.len()
    );
    if !report.changes.is_empty() {
        let show = |d: Option<Date>| d.map(format_date_iso).unwrap_or_else(|| "无法计算".into());
        let rows: Vec<Vec<String>> = report
            .changes
            .iter()
            .map(|c| vec![c.tracking.clone(), show(c.old_due), show(c.new_due)])
            .collect();
        print!("{}", table(&["查询码", "原答复期限", "新答复期限"], &rows));
    }
    Ok(())
}

/// `deadline EVENTS.json [--today DATE]`: the A6.1 JSON on stdout, or the reason on stderr
/// with a non-zero exit and nothing on stdout.
pub async fn deadline(config: &Config, path: &Path, today: Option<&str>) -> anyhow::Result<()> {
    let today = match today {
        Some(t) => date_arg("--today", t)?,
        None => time::OffsetDateTime::now_utc()
            .to_offset(gongkai_app::china_offset())
            .date(),
    };
    let text = read_text(path)?;
    let input = ClockInput::from_json(&text).map_err(|e| user(e.to_string()))?;
    let (calendar, settings) = calendar(config).await?;
    let clock = gongkai_domain::deadline::compute(&input, &calendar, &settings, today)
        .map_err(|e| user(e.to_string()))?;
    println!("{}", serde_json::to_string(&clock)?);
    Ok(())
}

/// `fee by-count N` and `fee by-volume PAGES`.
pub fn fee(by_count: bool, n: &str) -> anyhow::Result<()> {
    let what = if by_count { "件数" } else { "页数" };
    let n = count_arg(what, n)?;
    let yuan = if by_count {
        gongkai_domain::fee::fee_by_count(n).map_err(|e| user(e.to_string()))?
    } else {
        gongkai_domain::fee::fee_by_volume(n)
    };
    println!("{yuan}");
    Ok(())
}

/// `report annual --org CODE --year YYYY --format json [--out FILE]`. Invariants that fail
/// are printed on stderr and make the exit non-zero; the report is still printed.
/// What `report annual` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// DOMAIN A5.
    Json,
    /// The report as a page.
    Html,
    /// The national layout, for printing.
    Docx,
    /// The national layout, as a spreadsheet.
    Xlsx,
}

pub async fn annual_report(
    app: &App,
    org: &str,
    year: &str,
    format: ReportFormat,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| user(format!("年份“{year}”无效：须为四位数字，如 2025")))?;
    let binary = matches!(format, ReportFormat::Docx | ReportFormat::Xlsx);
    if binary && out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(user(
            "docx、xlsx 是二进制文件：请用 --out FILE 指定写到哪里",
        ));
    }
    let (report, violations) =
        gongkai_app::report::annual(app, gongkai_app::documents::Actor::System, org, year).await?;
    let name = gongkai_app::report::org_name(app, org).await?;
    let bytes = match format {
        ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report)?).into_bytes(),
        ReportFormat::Html => gongkai_app::report_files::html_page(&report, &name).into_bytes(),
        ReportFormat::Docx => gongkai_app::report_files::docx(&report, &name)?,
        ReportFormat::Xlsx => gongkai_app::report_files::xlsx(&report, &name)?,
    };
    match out {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| {
                user(format!(
                    "无法写入文件 {}：{}",
                    path.display(),
                    io_reason(&e)
                ))
            })?;
            println!("已写出 {org} {year} 年度报告到 {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    if violations.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "错误：年度报告的勾稽关系不成立（{} 处）：",
        violations.len()
    )?;
    for v in &violations {
        writeln!(err, "  {v}")?;
    }
    Ok(ExitCode::FAILURE)
}

/// The text of a file (`-` is standard input), in Chinese when it cannot be read.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|_| user(format!("文件 {} 不是 UTF-8 文本", path.display())))
}

/// The bytes of a file (`-` is standard input).
pub fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| user(format!("无法读取标准输入：{}", io_reason(&e))))?;
        return Ok(bytes);
    }
    if path.is_dir() {
        return Err(user(format!(
            "无法读取文件 {}：这是一个目录",
            path.display()
        )));
    }
    std::fs::read(path).map_err(|e| {
        user(format!(
            "无法读取文件 {}：{}",
            path.display(),
            io_reason(&e)
        ))
    })
}

/// `scan FILE [--keyword K]… [--no-default-keywords]`: one JSON object per finding; exit 0
/// whether or not anything was found, non-zero when part of the file could not be read
/// (after printing what the readable part holds).
pub fn scan(path: &Path, keywords: &[String], no_default_keywords: bool) -> anyhow::Result<()> {
    let bytes = read_bytes(path)?;
    let mut config = gongkai_domain::ScanConfig {
        latest_birth_date: Some(
            time::OffsetDateTime::now_utc()
                .to_offset(gongkai_app::china_offset())
                .date(),
        ),
        ..gongkai_domain::ScanConfig::default()
    };
    if no_default_keywords {
        config.keywords.clear();
    }
    config.keywords.extend(keywords.iter().cloned());
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("-");
    let scanned = gongkai_app::scan::scan_file(name, &bytes, &config)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for f in &scanned.findings {
        writeln!(out, "{}", serde_json::to_string(f)?)?;
    }
    out.flush()?;
    match scanned.unread {
        Some(note) => anyhow::bail!("{name}：{note}"),
        None => Ok(()),
    }
}
