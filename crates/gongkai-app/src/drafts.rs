//! A draft from an uploaded document (SPEC C2): the body with its headings, lists and
//! tables, and the 标题, 发文字号, 成文日期 and 发文机关 the document proposes, for the clerk
//! to confirm in the editor. Nothing is stored until the clerk saves.

use gongkai_domain::draft::{Proposal, compact_spaces, join_wrapped_lines, propose};
use gongkai_search::FileKind;
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
            let lines: Vec<String> = e
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            if lines.is_empty() {
                return Err(Error::Invalid(format!(
                    "文件“{name}”：没有可读取的文字（可能是扫描件），请上传 DOCX 或带文字层的 PDF"
                )));
            }
            let p = propose(&lines);
            let mut rest = lines[p.head_lines.min(lines.len())..].to_vec();
            if kind == FileKind::Pdf {
                // A PDF breaks lines where the page ran out and spaces out digits.
                let compact: Vec<String> = rest.iter().map(|l| compact_spaces(l)).collect();
                rest = join_wrapped_lines(&compact);
            }
            let rest = rest.join("\n");
            let unread = e.unread_note();
            Ok(of(p, body::text_to_html(&rest), unread))
        }
        other => Err(Error::Invalid(format!(
            "文件“{name}”：{}不能作为正文，请上传 DOCX、PDF 或纯文本文件",
            other.label()
        ))),
    }
}
