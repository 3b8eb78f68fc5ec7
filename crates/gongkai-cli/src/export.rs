//! `gongkai export documents --format jsonl|csv [--out FILE]`: the published records, to
//! stdout or a file.

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
    let result = match out {
        Some(path) => {
            // Written beside the target and renamed on success, so a failed export never
            // leaves an emptied or half-written file where a good one was.
            let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
            tmp_name.push(".part");
            let tmp = path.with_file_name(tmp_name);
            let file = File::create(&tmp).map_err(|e| {
                user(format!(
                    "无法创建文件 {}：{}",
                    path.display(),
                    io_reason(&e)
                ))
            })?;
            let mut w = BufWriter::new(file);
            let n = export_documents(app, &mut w, format.into(), |n| bar.set_position(n)).await;
            let flushed = w.flush();
            drop(w);
            let finished = match (n, flushed) {
                (Ok(n), Ok(())) => std::fs::rename(&tmp, path).map(|()| n).map_err(|e| {
                    user(format!(
                        "无法写入文件 {}：{}",
                        path.display(),
                        io_reason(&e)
                    ))
                }),
                (Err(e), _) => Err(e.into()),
                (Ok(_), Err(e)) => Err(user(format!(
                    "无法写入文件 {}：{}",
                    path.display(),
                    io_reason(&e)
                ))),
            };
            if finished.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            bar.finish_and_clear();
            let n = finished?;
            println!("已导出 {n} 条记录到 {}", path.display());
            return Ok(());
        }
        None => {
            let mut w = BufWriter::new(std::io::stdout().lock());
            export_documents(app, &mut w, format.into(), |n| bar.set_position(n)).await
        }
    };
    bar.finish_and_clear();
    result?;
    Ok(())
}
