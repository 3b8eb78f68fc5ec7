//! A draft from an uploaded document (SPEC C2): the body with its headings, lists and
//! tables, and the 标题, 发文字号, 成文日期 and 发文机关 the document proposes, for the clerk
//! to confirm in the editor. Nothing is stored until the clerk saves.

use gongkai_domain::draft::{Proposal, compact_spaces, join_wrapped_lines, propose};
use gongkai_search::FileKind;
use gongkai_search::pdf_layout::Block;
use time::Date;

use crate::{Error, Result, body};

/// Largest document read into a draft.
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

/// What an upload proposes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadedDraft {
    /// 标题.
    pub title: Option<String>,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 成文日期.
    pub written_date: Option<Date>,
    /// 发文机关.
    pub issuer: Option<String>,
    /// The body, sanitized HTML, without the 版头 and title.
    pub body_html: String,
    /// Pages that could not be read (scanned PDF pages), in Chinese; `None` when all were.
    pub unread: Option<String>,
}

fn of(p: Proposal, body_html: String, unread: Option<String>) -> UploadedDraft {
    UploadedDraft {
        title: p.title,
        doc_number: p.doc_number,
        written_date: p.written_date,
        issuer: p.issuer,
        body_html,
        unread,
    }
}

/// Reads an uploaded DOCX, PDF or text file into a proposed draft.
pub async fn from_upload(file_name: &str, bytes: Vec<u8>) -> Result<UploadedDraft> {
    if bytes.is_empty() {
        return Err(Error::Invalid(
            "文件：请选择要上传的 DOCX 或 PDF 文件".into(),
        ));
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(Error::Invalid(
            "文件：超过 32 MB，请压缩图片后再上传".into(),
        ));
    }
    let name = file_name.to_owned();
    tokio::task::spawn_blocking(move || read(&name, &bytes))
        .await
        .map_err(|e| Error::internal(format!("draft upload: {e}")))?
}

fn read(name: &str, bytes: &[u8]) -> Result<UploadedDraft> {
    let invalid = |e: gongkai_search::ExtractError| Error::Invalid(format!("文件“{name}”：{e}"));
    match FileKind::detect(name, bytes) {
        FileKind::Docx => {
            let d = gongkai_search::docx_draft(bytes).map_err(invalid)?;
            let p = propose(&d.lines);
            let html = body::sanitize_html(d.html_without_head(p.head_lines));
            Ok(of(p, html, None))
        }
        kind @ (FileKind::Pdf | FileKind::Text) => {
            let e = gongkai_search::extract(name, bytes).map_err(invalid)?;
            if e.text.trim().is_empty() {
                return Err(Error::Invalid(format!(
                    "文件“{name}”：没有可读取的文字（可能是扫描件），请上传 DOCX 或带文字层的 PDF"
                )));
            }
            let unread = e.unread_note();
            let blocks = if kind == FileKind::Pdf {
                gongkai_search::pdf_layout::blocks(bytes).map_err(invalid)?
            } else {
                e.text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Block::Line(l.to_owned()))
                    .collect()
            };
            let (p, html) = pdf_draft(&blocks, kind == FileKind::Pdf);
            Ok(of(p, html, unread))
        }
        other => Err(Error::Invalid(format!(
            "文件“{name}”：{}不能作为正文，请上传 DOCX、PDF 或纯文本文件",
            other.label()
        ))),
    }
}

/// The proposal and body of a PDF's (or a text file's) lines and tables. A PDF's lines lose
/// the spaces its generator put around digits, and lines the page wrapped run on again.
fn pdf_draft(blocks: &[Block], from_pdf: bool) -> (Proposal, String) {
    let clean = |l: &str| {
        if from_pdf {
            compact_spaces(l)
        } else {
            l.trim().to_owned()
        }
    };
    let lines: Vec<String> = blocks
        .iter()
        .flat_map(|b| match b {
            Block::Line(l) => vec![clean(l)],
            Block::Table(rows) => rows.iter().map(|r| clean(&r.join(" "))).collect(),
        })
        .collect();
    let p = propose(&lines);
    // The head (版头, number, title) is the leading lines the proposal used.
    let mut skip = p.head_lines;
    let mut html = String::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, html: &mut String| {
        let paragraphs = if from_pdf {
            join_wrapped_lines(run)
        } else {
            std::mem::take(run)
        };
        html.push_str(&body::text_to_html(&paragraphs.join("\n")));
        run.clear();
    };
    for b in blocks {
        match b {
            Block::Line(_) if skip > 0 => skip -= 1,
            Block::Line(l) => run.push(clean(l)),
            Block::Table(rows) => {
                skip = 0;
                flush(&mut run, &mut html);
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| r.iter().map(|c| clean(c)).collect())
                    .collect();
                html.push_str(&body::table_to_html(&rows));
            }
        }
    }
    flush(&mut run, &mut html);
    (p, html)
}
