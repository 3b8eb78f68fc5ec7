//! `gongkai export documents|requests --format jsonl|csv [--out FILE]`: the published
//! records or the information requests, to stdout or a file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use gongkai_app::App;
use gongkai_app::export::{Format, export_documents};

use crate::error::{io_reason, user};
use crate::progress;

/// Export formats on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    // Plain comments: doc comments would make clap list the values on lines of their own.
    // JSON Lines, one record per line, in the import format.
    Jsonl,
    // CSV with a header row (UTF-8 with BOM).
    Csv,
    // Excel workbook laid out as a 政府信息公开目录.
    Xlsx,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Jsonl => Format::Jsonl,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Xlsx => Format::Xlsx,
        }
    }
}

/// Writes the records; with `out`, says how many on stdout.
pub async fn documents(app: &App, format: ExportFormat, out: Option<&Path>) -> anyhow::Result<()> {
    if format == ExportFormat::Xlsx
        && out.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(user(
            "XLSX 是二进制文件，不宜输出到终端：请加 --out 文件名.xlsx，或重定向到文件",
        ));
    }
    let bar = progress::counter("导出");
    let result = write_to(out, async |w: &mut dyn Write| {
        export_documents(app, &mut { w }, format.into(), |n| bar.set_position(n)).await
    })
    .await;
    bar.finish_and_clear();
    result?;
    Ok(())
}

/// Writes the information requests (of `org` and the units below it, or all); with `out`,
/// says how many on stdout.
pub async fn requests(
    app: &App,
    format: ExportFormat,
    out: Option<&Path>,
    org: Option<&str>,
    include_applicant: bool,
) -> anyhow::Result<()> {
    let format = match format {
        ExportFormat::Jsonl => gongkai_app::requests::Format::Jsonl,
        ExportFormat::Csv => gongkai_app::requests::Format::Csv,
        ExportFormat::Xlsx => return Err(user("申请记录可导出为 jsonl 或 csv")),
    };
    let org_ids = match org {
        Some(code) => {
            let tree = gongkai_app::orgs::OrgTree::load(app).await?;
            let org = tree
                .by_code(code)
                .ok_or_else(|| user(format!("机构代码 {code} 不存在")))?;
            Some(tree.subtree_ids(org.id))
        }
        None => None,
    };
    write_to(out, async |w: &mut dyn Write| {
        let n = gongkai_app::requests::export_requests(
            app,
            &mut { w },
            format,
            org_ids.as_deref(),
            include_applicant,
        )
        .await?;
        Ok(n as u64)
    })
    .await
}

/// Runs `write` on standard output, or on a file beside `out` that is renamed onto it only
/// when everything was written, so a failed export never leaves an emptied or half-written
/// file where a good one was. With `out`, says how many records went out.
async fn write_to(
    out: Option<&Path>,
    write: impl AsyncFnOnce(&mut dyn Write) -> gongkai_app::Result<u64>,
) -> anyhow::Result<()> {
    let Some(path) = out else {
        let mut w = BufWriter::new(std::io::stdout().lock());
        write(&mut w).await?;
        w.flush()?;
        return Ok(());
    };
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".part");
    let tmp = path.with_file_name(tmp_name);
    let cannot_write =
        |e: &std::io::Error| user(format!("无法写入文件 {}：{}", path.display(), io_reason(e)));
    let file = File::create(&tmp).map_err(|e| {
        user(format!(
            "无法创建文件 {}：{}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    let mut w = BufWriter::new(file);
    let n = write(&mut w).await;
    let flushed = w.flush();
    drop(w);
    let finished = match (n, flushed) {
        (Ok(n), Ok(())) => std::fs::rename(&tmp, path)
            .map(|()| n)
            .map_err(|e| cannot_write(&e)),
        (Err(e), _) => Err(e.into()),
        (Ok(_), Err(e)) => Err(cannot_write(&e)),
    };
    if finished.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let n = finished?;
    println!("已导出 {n} 条记录到 {}", path.display());
    Ok(())
}
