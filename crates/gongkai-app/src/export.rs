//! `gongkai export documents --format jsonl|csv`: the published records in the import
//! format (so an export imports again), plus their index number and address.

use std::io::Write;

use gongkai_domain::{DocKind, DocStatus};
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
}

/// One exported record.
#[derive(Debug, Serialize)]
pub struct ExportLine<'a> {
    /// Organization code.
    pub org: &'a str,
    /// 标题.
    pub title: &'a str,
    /// 发文字号.
    pub doc_number: Option<&'a str>,
    /// 发文机关.
    pub issuer: &'a str,
    /// 主题分类.
    pub topic: &'a str,
    /// 公文种类 (label).
    pub kind: &'a str,
    /// 成文日期.
    pub written_date: String,
    /// 发布日期.
    pub published_date: String,
    /// 有效性 code.
    pub validity: &'a str,
    /// Day formed or last changed (Art. 26).
    pub formed_date: String,
    /// 公开时限 code.
    pub disclosure_term: &'a str,
    /// Column path.
    pub column: &'a str,
    /// 索引号.
    pub index_number: &'a str,
    /// Page address, relative to the site.
    pub url: String,
    /// Body: HTML in JSON Lines, plain text in CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<&'a str>,
    /// Plain-text body (CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text: Option<&'a str>,
}

fn line(d: &Document, format: Format) -> ExportLine<'_> {
    ExportLine {
        org: &d.org_code,
        title: &d.title,
        doc_number: d.doc_number.as_deref(),
        issuer: &d.issuer,
        topic: &d.topic,
        kind: match DocKind::from_code(&d.kind) {
            Ok(k) => k.label(),
            Err(_) => d.kind.as_str(),
        },
        written_date: gongkai_domain::format_date_iso(d.written_date),
        published_date: d
            .published_date
            .map(gongkai_domain::format_date_iso)
            .unwrap_or_default(),
        validity: &d.validity,
        formed_date: gongkai_domain::format_date_iso(d.formed_date),
        disclosure_term: &d.disclosure_term,
        column: &d.column_path,
        index_number: d.index_number.as_deref().unwrap_or_default(),
        url: format!("/doc/{}", d.id),
        body_html: (format == Format::Jsonl).then_some(d.body_html.as_str()),
        body_text: (format == Format::Csv).then_some(d.body_text.as_str()),
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
        statuses: vec![DocStatus::Published.code()],
        ..Filter::default()
    };
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
                Format::Jsonl => {
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
