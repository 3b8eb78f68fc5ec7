//! `gongkai export documents --format jsonl|csv`: the published records in the import
//! format (so an export imports again), plus their index number and address.

use std::borrow::Cow;
use std::io::Write;

use gongkai_domain::DocStatus;
use gongkai_store::documents::{self, Document, Filter};
use serde::Serialize;

use crate::{App, Error, Result};

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row (UTF-8 with BOM, so spreadsheet programs read the Chinese).
    Csv,
    /// An Excel workbook laid out as a 政府信息公开目录 (条例 Art. 12: 索引, 名称, 内容概述,
    /// 生成日期): Chinese headers, one record a row, the body as a short summary.
    Xlsx,
}

/// One exported record.
#[derive(Debug, Serialize)]
pub struct ExportLine<'a> {
    /// Organization code.
    pub org: Cow<'a, str>,
    /// 标题.
    pub title: Cow<'a, str>,
    /// 发文字号.
    pub doc_number: Option<Cow<'a, str>>,
    /// 发文机关.
    pub issuer: Cow<'a, str>,
    /// 主题分类.
    pub topic: Cow<'a, str>,
    /// 公文种类 (label).
    pub kind: &'a str,
    /// 成文日期.
    pub written_date: String,
    /// 发布日期.
    pub published_date: String,
    /// 有效性 code.
    pub validity: &'a str,
    /// The day it stopped being in force, when known (import key `validity_changed_date`);
    /// always written, so that every CSV row has the same columns.
    pub validity_changed_date: Option<String>,
    /// Day formed or last changed (Art. 26).
    pub formed_date: String,
    /// 公开时限 code.
    pub disclosure_term: &'a str,
    /// Column path.
    pub column: Cow<'a, str>,
    /// 索引号.
    pub index_number: Cow<'a, str>,
    /// Page address, relative to the site.
    pub url: String,
    /// Body: HTML in JSON Lines, plain text in CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<&'a str>,
    /// Plain-text body (CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
}

fn line(d: &Document, format: Format) -> ExportLine<'_> {
    // Text from people goes into a spreadsheet defused; JSON Lines keep it as it is.
    fn text(t: &str, format: Format) -> Cow<'_, str> {
        match format {
            Format::Csv => csv_cell(t),
            Format::Jsonl | Format::Xlsx => Cow::Borrowed(t),
        }
    }
    let text = |t| text(t, format);
    ExportLine {
        org: text(&d.org_code),
        title: text(&d.title),
        doc_number: d.doc_number.as_deref().map(text),
        issuer: text(&d.issuer),
        topic: text(&d.topic),
        kind: d.kind.label(),
        written_date: gongkai_domain::format_date_iso(d.written_date),
        published_date: d
            .published_date
            .map(gongkai_domain::format_date_iso)
            .unwrap_or_default(),
        validity: d.validity.code(),
        validity_changed_date: d.validity_changed_on.map(gongkai_domain::format_date_iso),
        formed_date: gongkai_domain::format_date_iso(d.formed_date),
        disclosure_term: d.disclosure_term.code(),
        column: text(&d.column_path),
        index_number: text(d.index_number.as_deref().unwrap_or_default()),
        url: format!("/doc/{}", d.id),
        body_html: (format == Format::Jsonl).then_some(d.body_html.as_str()),
        body_text: (format == Format::Csv)
            .then(|| csv_cell(&crate::body::html_to_text(&d.body_html)).into_owned()),
    }
}

/// A CSV cell a spreadsheet will not run: text beginning with `=`, `+`, `-` or `@` (or a
/// tab or carriage return, which Excel skips before them) is read as a formula, so a title
/// or description typed by the public could compute or link; such text gets a leading `'`,
/// which the spreadsheet shows as text and hides (OWASP "CSV injection").
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Writes every published record to `out`; returns how many. `progress` gets the count so far.
pub async fn export_documents(
    app: &App,
    out: &mut impl Write,
    format: Format,
    mut progress: impl FnMut(u64),
) -> Result<u64> {
    let filter = Filter {
        statuses: vec![DocStatus::Published],
        ..Filter::default()
    };
    if format == Format::Xlsx {
        return export_xlsx(app, out, &filter, progress).await;
    }
    let io = |e: std::io::Error| Error::internal(format!("write: {e}"));
    if format == Format::Csv {
        out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut c = app.db().conn().await?;
    let mut after = 0i64;
    let mut n = 0u64;
    loop {
        let batch = documents::after(&mut c, &filter, after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for d in &batch {
            let l = line(d, format);
            match format {
                Format::Csv => {
                    csv.serialize(&l)
                        .map_err(|e| Error::internal(format!("csv: {e}")))?;
                }
                Format::Jsonl | Format::Xlsx => {
                    serde_json::to_writer(&mut *out, &l)
                        .map_err(|e| Error::internal(format!("json: {e}")))?;
                    out.write_all(b"\n").map_err(io)?;
                }
            }
            n += 1;
        }
        if format == Format::Csv {
            let bytes = csv
                .into_inner()
                .map_err(|e| Error::internal(format!("csv: {e}")))?;
            out.write_all(&bytes).map_err(io)?;
            csv = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
        }
        progress(n);
    }
    out.flush().map_err(io)?;
    Ok(n)
}

/// Headers of the XLSX catalog, with column widths (in characters).
const XLSX_COLUMNS: [(&str, f64); 14] = [
    ("索引号", 26.0),
    ("标题", 60.0),
    ("发文字号", 22.0),
    ("发文机关", 28.0),
    ("机构代码", 12.0),
    ("主题分类", 26.0),
    ("公文种类", 12.0),
    ("成文日期", 12.0),
    ("发布日期", 12.0),
    ("有效性", 8.0),
    ("栏目", 28.0),
    ("公开时限", 10.0),
    ("内容概述", 60.0),
    ("网址", 16.0),
];

/// Characters of the body kept as 内容概述.
const SUMMARY_CHARS: usize = 120;

/// Rows Excel allows below the header.
const XLSX_MAX_ROWS: u64 = 1_048_575;

async fn export_xlsx(
    app: &App,
    out: &mut impl Write,
    filter: &Filter,
    mut progress: impl FnMut(u64),
) -> Result<u64> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx)?;
    sheet.set_name("政府信息公开目录").map_err(xlsx)?;
    let bold = CellFormat::new().set_bold();
    for (col, (title, width)) in XLSX_COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *title, &bold)
            .map_err(xlsx)?;
        sheet.set_column_width(col, *width).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let mut c = app.db().conn().await?;
    let mut after = 0i64;
    let mut n = 0u64;
    loop {
        let batch = documents::after(&mut c, filter, after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for d in &batch {
            if n >= XLSX_MAX_ROWS {
                return Err(Error::Invalid(format!(
                    "记录超过 Excel 单表上限 {XLSX_MAX_ROWS} 行，请改用 --format csv 或 jsonl"
                )));
            }
            let summary: String = crate::body::html_to_text(&d.body_html)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(SUMMARY_CHARS)
                .collect();
            let cells = [
                d.index_number.clone().unwrap_or_default(),
                d.title.clone(),
                d.doc_number.clone().unwrap_or_default(),
                d.issuer.clone(),
                d.org_code.clone(),
                d.topic.clone(),
                d.kind.label().to_owned(),
                gongkai_domain::format_date_iso(d.written_date),
                d.published_date
                    .map(gongkai_domain::format_date_iso)
                    .unwrap_or_default(),
                d.validity.label().to_owned(),
                d.column_path.clone(),
                d.disclosure_term.label().to_owned(),
                summary,
                format!("/doc/{}", d.id),
            ];
            let row = u32::try_from(n + 1).map_err(|_| Error::internal("row number"))?;
            for (col, value) in cells.iter().enumerate() {
                sheet.write_string(row, col as u16, value).map_err(xlsx)?;
            }
            n += 1;
        }
        progress(n);
    }
    let bytes = workbook.save_to_buffer().map_err(xlsx)?;
    out.write_all(&bytes)
        .map_err(|e| Error::internal(format!("write: {e}")))?;
    out.flush()
        .map_err(|e| Error::internal(format!("write: {e}")))?;
    Ok(n)
}
