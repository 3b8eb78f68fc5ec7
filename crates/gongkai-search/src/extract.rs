//! Attachment text: which kind of file an upload is, and the plain text it holds.
//!
//! The text feeds the search index and the sensitive-information scan (PII in
//! records about to be published), so extraction errs on the side of "could
//! not read" over "read nothing": a file that cannot be parsed is an
//! [`ExtractError`] for staff to review, never silently empty text, and a PDF
//! page whose text cannot be read is an [`UnreadPage`] beside the text of the
//! others. Files without text (images, unsupported kinds) give empty text.
//!
//! Parsers: DOCX through docx-rs `read_docx`, which decodes `&lt;`/`&amp;`
//! (a hand-rolled zip + quick-xml reader drops them, DEPENDENCIES.md pitfall 8);
//! it decodes once too often, so the literal text `&lt;` reads as `<`, which
//! is harmless for search and the scan. It runs inside `catch_unwind`; a
//! caught panic still reaches the panic hook (stderr). PDF through poppler's
//! `pdftotext` ([`crate::pdf`]).
//!
//! Limits: docx-rs 0.4.22 overflows the stack on deeply nested elements
//! (which aborts the process), inflates parts without bound, panics on
//! corrupt deflate data and can wait forever on XML cut short, so it never
//! sees the upload itself: `docx_package::sanitize` hands it a rebuilt
//! package of the XML parts only, each inflated under a size cap and checked
//! for nesting depth and well-formedness first. The declared sizes in the
//! upload's ZIP headers are checked as well (`check_zip_sizes`). docx-rs does
//! not bound its running time on large input, so callers run [`extract`] in
//! `spawn_blocking` under a timeout; `pdftotext` is killed after its own.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::docx_package::{self, Limits};
use crate::pdf::{self, UnreadPage};
use docx_rs::{
    DocumentChild, Docx, HeaderChild, InsertChild, MoveToChild, Paragraph, ParagraphChild,
    ReaderError, Run, RunChild, StructuredDataTag, StructuredDataTagChild, Table, TableCellContent,
    TableChild, TableRowChild,
};

/// PDF pages read at most; later pages are ignored. A 2000-page PDF is far
/// beyond any disclosed document, and the cap bounds the work a hostile
/// upload can cause.
pub const MAX_PDF_PAGES: usize = 2000;

/// What an attachment is, decided by its content first and its name second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// UTF-8 plain text (`.txt`, `.csv`, `.md`, or any NUL-free UTF-8 content).
    Text,
    /// Word 2007+ document (`.docx`).
    Docx,
    /// PDF document.
    Pdf,
    /// Excel 2007+ workbook (`.xlsx`).
    Xlsx,
    /// PNG, JPEG, GIF and other images.
    Image,
    /// Anything else.
    Other,
}

impl FileKind {
    /// Detects the kind by magic bytes first (`%PDF-`, a ZIP holding
    /// `word/document.xml` or `xl/`, PNG/JPEG/GIF signatures), then by the
    /// file name's extension, and finally calls NUL-free UTF-8 content text.
    pub fn detect(file_name: &str, bytes: &[u8]) -> FileKind {
        if let Some(kind) = Self::from_magic(file_name, bytes) {
            return kind;
        }
        if let Some(kind) = Self::from_extension(file_name) {
            return kind;
        }
        if looks_like_text(bytes) {
            FileKind::Text
        } else {
            FileKind::Other
        }
    }

    /// The `Content-Type` to serve this kind with. Images and unknown files
    /// get `application/octet-stream`; [`media_type_for`] names PNG, JPEG and
    /// GIF when their signature is verified.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Pdf => "application/pdf",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Image | FileKind::Other => "application/octet-stream",
        }
    }

    /// Name of the kind as shown to staff and the public.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Text => "文本",
            FileKind::Docx => "Word 文档",
            FileKind::Pdf => "PDF 文档",
            FileKind::Xlsx => "Excel 表格",
            FileKind::Image => "图片",
            FileKind::Other => "其他",
        }
    }

    fn from_magic(file_name: &str, bytes: &[u8]) -> Option<FileKind> {
        // PDF 32000-1 §7.5.2 puts the header first; readers accept it within
        // the first 1024 bytes, so do we.
        if contains(&bytes[..bytes.len().min(1024)], b"%PDF-") {
            return Some(FileKind::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            // Part names sit uncompressed in the ZIP headers.
            if contains(bytes, b"word/document.xml") {
                return Some(FileKind::Docx);
            }
            if contains(bytes, b"xl/") {
                return Some(FileKind::Xlsx);
            }
            // A damaged package: trust its name (a truncated `.docx` must
            // fail to parse, not pass as empty), but a ZIP is never text.
            return Some(Self::from_extension(file_name).unwrap_or(FileKind::Other));
        }
        image_media_type(bytes).map(|_| FileKind::Image)
    }

    fn from_extension(file_name: &str) -> Option<FileKind> {
        let (_, extension) = file_name.rsplit_once('.')?;
        let kind = match extension.to_ascii_lowercase().as_str() {
            "txt" | "text" | "csv" | "md" => FileKind::Text,
            "docx" => FileKind::Docx,
            "pdf" => FileKind::Pdf,
            "xlsx" => FileKind::Xlsx,
            "png" | "jpg" | "jpeg" | "gif" | "bmp" | "tif" | "tiff" | "webp" => FileKind::Image,
            _ => return None,
        };
        Some(kind)
    }
}

/// The `Content-Type` for an upload: `image/png`, `image/jpeg` or `image/gif`
/// when the content carries that signature, otherwise
/// [`FileKind::media_type`] of the detected kind. The name alone never makes a
/// file an image, so a mislabelled upload is not served as one.
pub fn media_type_for(file_name: &str, bytes: &[u8]) -> &'static str {
    image_media_type(bytes).unwrap_or_else(|| FileKind::detect(file_name, bytes).media_type())
}

/// Why an attachment's text could not be read. The messages are shown to staff.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// A text file that is not UTF-8 (GBK/GB18030 files land here).
    #[error(
        "文本文件不是 UTF-8 编码（第 {valid_up_to} 字节后出现无效字符），请另存为 UTF-8 后重新上传"
    )]
    NotUtf8 {
        /// Bytes that were valid UTF-8 before the first invalid one.
        valid_up_to: usize,
    },
    /// The DOCX parser failed or panicked.
    #[error("无法读取 DOCX 文件：{reason}")]
    Docx {
        /// What went wrong, in Chinese where known.
        reason: String,
    },
    /// The workbook could not be read.
    #[error("无法读取 XLSX 文件：{reason}")]
    Xlsx {
        /// What went wrong, in Chinese where known.
        reason: String,
    },
    /// The PDF parser failed or panicked.
    #[error("无法读取 PDF 文件：{reason}")]
    Pdf {
        /// What went wrong, in Chinese where known.
        reason: String,
    },
}

/// What could be read of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The text of the file, or of the pages that could be read.
    pub text: String,
    /// PDF pages whose text could not be read: they are neither searchable nor scanned,
    /// and staff must look at them.
    pub unread: Vec<UnreadPage>,
}

impl Extracted {
    fn complete(text: String) -> Extracted {
        Extracted {
            text,
            unread: Vec::new(),
        }
    }

    /// `None` when every page was read, otherwise the pages and why, in Chinese:
    /// `第 2、3 页无法读取文字（页面没有文字层（扫描图像或文字已转为曲线））`.
    pub fn unread_note(&self) -> Option<String> {
        if self.unread.is_empty() {
            return None;
        }
        let mut pages: Vec<String> = Vec::new();
        let mut reasons: Vec<&str> = Vec::new();
        for page in &self.unread {
            pages.push(page.page.to_string());
            if !reasons.contains(&page.why.label()) {
                reasons.push(page.why.label());
            }
        }
        Some(format!(
            "第 {} 页无法读取文字（{}），未经检索和敏感信息扫描，请人工核查",
            pages.join("、"),
            reasons.join("；")
        ))
    }
}

/// Text of an attachment for search and the sensitive-information scan.
///
/// Never panics: the DOCX parser runs inside [`std::panic::catch_unwind`] and
/// PDFs are read by a child process. Returns empty text for empty files,
/// images and unsupported kinds (not an error). Paragraphs (DOCX), text lines
/// (PDF) and rows (XLSX, each sheet's name first, cells separated by tabs) are
/// separated by `"\n"`; blank ones are dropped. Plain
/// text keeps its lines as they are, with a UTF-8 BOM stripped and CRLF turned
/// into `"\n"`. PDFs are read up to [`MAX_PDF_PAGES`] pages.
pub fn extract(file_name: &str, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if bytes.is_empty() {
        return Ok(Extracted::default());
    }
    match FileKind::detect(file_name, bytes) {
        FileKind::Text => plain_text(bytes).map(Extracted::complete),
        FileKind::Docx => docx_text(bytes).map(Extracted::complete),
        FileKind::Pdf => pdf::text(bytes).map(|(text, unread)| Extracted { text, unread }),
        FileKind::Xlsx => {
            check_zip_sizes(bytes)?;
            crate::xlsx::text(bytes).map(Extracted::complete)
        }
        FileKind::Image | FileKind::Other => Ok(Extracted::default()),
    }
}

fn plain_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| ExtractError::NotUtf8 {
        valid_up_to: error.valid_up_to(),
    })?;
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn docx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let docx = read_docx(bytes)?;
    let mut lines = Lines::default();
    lines.docx(&docx);
    Ok(lines.finish())
}

/// Reads a DOCX upload through the checked package (see [`docx_package`]).
pub(crate) fn read_docx(bytes: &[u8]) -> Result<docx_rs::Docx, ExtractError> {
    check_zip_sizes(bytes)?;
    let package = docx_package::sanitize(bytes, Limits::DOCX)?;
    // The package's parts are sound, but docx-rs still unwraps values in
    // them (a `w:jc` without attributes, an unknown enum value).
    let docx = match catch_unwind(AssertUnwindSafe(|| docx_rs::read_docx(&package))) {
        Ok(Ok(docx)) => docx,
        Ok(Err(error)) => {
            return Err(ExtractError::Docx {
                reason: docx_reason(&error),
            });
        }
        Err(_) => {
            return Err(ExtractError::Docx {
                reason: PARSER_PANICKED.to_owned(),
            });
        }
    };
    Ok(docx)
}

/// Largest uncompressed size a DOCX part may declare, and the largest total.
/// docx-rs reserves each part's declared size up front, and a failed
/// allocation aborts the process; it now reads only the rebuilt package, whose
/// sizes are true, so this check is a cheap first line that refuses a package
/// lying about its sizes before anything is inflated.
const MAX_ZIP_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
const MAX_ZIP_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

/// Rejects a ZIP whose central directory declares parts too large to read.
///
/// Every central-directory header in the buffer is checked (a superset of the
/// ones the zip crate reads), with its ZIP64 size where present (APPNOTE
/// 4.5.3: the uncompressed size comes first in the 0x0001 extra field).
fn check_zip_sizes(bytes: &[u8]) -> Result<(), ExtractError> {
    const HEADER: &[u8] = b"PK\x01\x02";
    let u16_at = |at: usize| -> Option<u64> {
        let field = bytes.get(at..at + 2)?;
        Some(u64::from(u16::from_le_bytes([field[0], field[1]])))
    };
    let u32_at = |at: usize| -> Option<u64> {
        let field: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(u64::from(u32::from_le_bytes(field)))
    };
    let u64_at = |at: usize| -> Option<u64> {
        let field: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(field))
    };
    let mut total: u64 = 0;
    let mut start = 0;
    while let Some(offset) = find(&bytes[start..], HEADER) {
        let header = start + offset;
        start = header + HEADER.len();
        let (Some(size), Some(name_len), Some(extra_len)) = (
            u32_at(header + 24),
            u16_at(header + 28),
            u16_at(header + 30),
        ) else {
            break;
        };
        let mut zip64: Option<u64> = None;
        // Lengths are at most 65535, so these sums cannot overflow.
        let mut field = header + 46 + name_len as usize;
        let extra_end = field + extra_len as usize;
        while field + 4 <= extra_end {
            let (Some(id), Some(len)) = (u16_at(field), u16_at(field + 2)) else {
                break;
            };
            if id == 0x0001 {
                let size64 = u64_at(field + 4).unwrap_or(0);
                zip64 = Some(zip64.map_or(size64, |seen| seen.max(size64)));
            }
            field += 4 + len as usize;
        }
        // 0xFFFFFFFF marks "see the ZIP64 field"; without one it is 4 GiB.
        let declared = match zip64 {
            Some(size64) if size == u64::from(u32::MAX) => size64,
            Some(size64) => size.max(size64),
            None => size,
        };
        total = total.saturating_add(declared);
        if declared > MAX_ZIP_ENTRY_BYTES || total > MAX_ZIP_TOTAL_BYTES {
            return Err(ExtractError::Docx {
                reason: "声明的解压后体积超出上限，可能是恶意构造的文件，请人工核查".to_owned(),
            });
        }
    }
    Ok(())
}

const PARSER_PANICKED: &str = "解析器内部错误，文件可能已损坏，请人工核查";

fn docx_reason(error: &ReaderError) -> String {
    match error {
        // The rebuilt package is a valid ZIP: a ZIP error is a missing part.
        ReaderError::ZipError(_) => {
            "缺少必需的部件（[Content_Types].xml、_rels/.rels 或正文），不是有效的 Word 文档"
                .to_owned()
        }
        ReaderError::DocumentNotFoundError => "缺少正文部分 word/document.xml".to_owned(),
        other => format!("文件结构无法解析（{other}）"),
    }
}

/// Collects lines, one per paragraph, skipping blank ones.
#[derive(Default)]
pub(crate) struct Lines {
    out: String,
    pub(crate) line: String,
}

impl Lines {
    pub(crate) fn end_line(&mut self) {
        let line = self.line.trim_end();
        if !line.trim_start().is_empty() {
            if !self.out.is_empty() {
                self.out.push('\n');
            }
            self.out.push_str(line);
        }
        self.line.clear();
    }

    pub(crate) fn finish(mut self) -> String {
        self.end_line();
        self.out
    }

    /// Body, then headers and footers, then comments: all of them are
    /// published with the file, so all of them are scanned.
    fn docx(&mut self, docx: &Docx) {
        for child in &docx.document.children {
            match child {
                DocumentChild::Paragraph(paragraph) => self.paragraph(paragraph),
                DocumentChild::Table(table) => self.table(table),
                DocumentChild::StructuredDataTag(tag) => self.structured_data_tag(tag),
                // A table of contents repeats headings found in the body;
                // sections are not produced by the reader.
                _ => {}
            }
        }
        let section = &docx.document.section_property;
        let headers = section.get_headers().into_iter().map(|(_, h)| &h.children);
        for children in headers {
            for child in children {
                match child {
                    HeaderChild::Paragraph(paragraph) => self.paragraph(paragraph),
                    HeaderChild::Table(table) => self.table(table),
                    HeaderChild::StructuredDataTag(tag) => self.structured_data_tag(tag),
                }
            }
        }
        for (_, footer) in section.get_footers() {
            for child in &footer.children {
                match child {
                    docx_rs::FooterChild::Paragraph(paragraph) => self.paragraph(paragraph),
                    docx_rs::FooterChild::Table(table) => self.table(table),
                    docx_rs::FooterChild::StructuredDataTag(tag) => self.structured_data_tag(tag),
                }
            }
        }
        for comment in docx.comments.inner() {
            for child in &comment.children {
                match child {
                    docx_rs::CommentChild::Paragraph(paragraph) => self.paragraph(paragraph),
                    docx_rs::CommentChild::Table(table) => self.table(table),
                }
            }
        }
    }

    fn paragraph(&mut self, paragraph: &Paragraph) {
        self.end_line();
        for child in &paragraph.children {
            self.paragraph_child(child);
        }
        self.end_line();
    }

    fn paragraph_child(&mut self, child: &ParagraphChild) {
        match child {
            ParagraphChild::Run(run) => self.run(run),
            ParagraphChild::Hyperlink(link) => {
                for child in &link.children {
                    self.paragraph_child(child);
                }
            }
            // Tracked insertions are part of the text as it now reads.
            ParagraphChild::Insert(insert) => {
                for child in &insert.children {
                    if let InsertChild::Run(run) = child {
                        self.run(run);
                    }
                }
            }
            ParagraphChild::MoveTo(moved) => {
                for child in &moved.children {
                    if let MoveToChild::Run(run) = child {
                        self.run(run);
                    }
                }
            }
            ParagraphChild::StructuredDataTag(tag) => self.structured_data_tag(tag),
            // Tracked deletions (`Delete`, `MoveFrom`) hold `DeleteText`,
            // whose text docx-rs 0.4.22 keeps private.
            _ => {}
        }
    }

    fn run(&mut self, run: &Run) {
        for child in &run.children {
            match child {
                RunChild::Text(text) => self.line.push_str(&text.text),
                RunChild::Tab(_) => self.line.push('\t'),
                RunChild::Break(_) | RunChild::CarriageReturn(_) => self.end_line(),
                // Symbols are glyph codes in a symbol font, field
                // instructions are not shown; neither is text.
                _ => {}
            }
        }
    }

    fn table(&mut self, table: &Table) {
        for TableChild::TableRow(row) in &table.rows {
            for TableRowChild::TableCell(cell) in &row.cells {
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(paragraph) => self.paragraph(paragraph),
                        TableCellContent::Table(table) => self.table(table),
                        TableCellContent::StructuredDataTag(tag) => self.structured_data_tag(tag),
                        TableCellContent::TableOfContents(_) => {}
                    }
                }
            }
        }
    }

    fn structured_data_tag(&mut self, tag: &StructuredDataTag) {
        for child in &tag.children {
            match child {
                StructuredDataTagChild::Run(run) => self.run(run),
                StructuredDataTagChild::Paragraph(paragraph) => self.paragraph(paragraph),
                StructuredDataTagChild::Table(table) => self.table(table),
                StructuredDataTagChild::StructuredDataTag(tag) => self.structured_data_tag(tag),
                _ => {}
            }
        }
    }
}

fn image_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// UTF-8 without NUL bytes: UTF-16 text and binary formats contain NULs.
fn looks_like_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_prefers_content_over_name() {
        for (name, bytes, kind, why) in [
            (
                "a.docx",
                &b"%PDF-1.7\n"[..],
                FileKind::Pdf,
                "PDF magic wins over .docx",
            ),
            (
                "scan.pdf",
                b"\x89PNG\r\n\x1a\n\0",
                FileKind::Image,
                "PNG magic wins over .pdf",
            ),
            (
                "photo",
                b"\xFF\xD8\xFF\xE0",
                FileKind::Image,
                "JPEG magic, no extension",
            ),
            ("anim.bin", b"GIF89a", FileKind::Image, "GIF magic"),
            (
                "x",
                b"PK\x03\x04..word/document.xml..",
                FileKind::Docx,
                "ZIP with Word part",
            ),
            (
                "x.zip",
                b"PK\x03\x04..xl/workbook.xml..",
                FileKind::Xlsx,
                "ZIP with xl/ part",
            ),
            ("a.zip", b"PK\x03\x04....", FileKind::Other, "plain ZIP"),
            (
                "a.DOCX",
                b"PK\x03\x04",
                FileKind::Docx,
                "truncated ZIP falls back to the name",
            ),
            (
                "notes.TXT",
                b"\xB9\xAB\xBF\xAA",
                FileKind::Text,
                "GBK .txt is still text",
            ),
            (
                "README",
                "政府信息公开".as_bytes(),
                FileKind::Text,
                "UTF-8 without a name",
            ),
            ("data", b"a\0b", FileKind::Other, "NUL bytes are not text"),
            (
                "data",
                b"\xB9\xAB",
                FileKind::Other,
                "non-UTF-8 without a name",
            ),
            ("book.xlsx", b"\0\0", FileKind::Xlsx, "extension only"),
        ] {
            assert_eq!(FileKind::detect(name, bytes), kind, "{why}");
        }
    }

    #[test]
    fn media_types_name_images_only_when_the_signature_matches() {
        assert_eq!(media_type_for("a.png", b"\x89PNG\r\n\x1a\n"), "image/png");
        assert_eq!(
            media_type_for("a.png", b"not a png"),
            "application/octet-stream"
        );
        assert_eq!(media_type_for("a.txt", b"hi"), "text/plain; charset=utf-8");
        assert_eq!(FileKind::Pdf.media_type(), "application/pdf");
        assert_eq!(FileKind::Xlsx.label(), "Excel 表格");
    }

    #[test]
    fn lines_drop_blank_paragraphs_and_trailing_space() {
        let mut lines = Lines::default();
        for line in ["第一段  ", "", "   ", "第二段"] {
            lines.line.push_str(line);
            lines.end_line();
        }
        assert_eq!(lines.finish(), "第一段\n第二段");
    }
}
