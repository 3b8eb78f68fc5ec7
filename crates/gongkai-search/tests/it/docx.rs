//! DOCX extraction: paragraphs, tables, headers, comments, escaped characters.

use std::io::{Cursor, Write};

use docx_rs::{Comment, Docx, Header, Paragraph, Run, Table, TableCell, TableRow};
use gongkai_search::{ExtractError, FileKind};

use crate::text_of;

const ID_NUMBER: &str = "350102199003071234";

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
}

/// A reply letter as docx-rs writes it.
pub fn reply_letter() -> Vec<u8> {
    let docx =
        Docx::new()
            .header(Header::new().add_paragraph(
                Paragraph::new().add_run(Run::new().add_text("鼓楼区人民政府办公室")),
            ))
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("政府信息公开申请答复书")))
            .add_paragraph(Paragraph::new())
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("申请人：张三，身份证号："))
                    .add_run(Run::new().add_text(ID_NUMBER)),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_comment_start(Comment::new(1).author("审核人").add_paragraph(
                        Paragraph::new().add_run(Run::new().add_text("请遮盖联系电话")),
                    ))
                    .add_run(Run::new().add_text("条件：a < b & c > d"))
                    .add_comment_end(1),
            )
            .add_table(Table::new(vec![
                TableRow::new(vec![cell("姓名"), cell("张三")]),
                TableRow::new(vec![cell("电话"), cell("13800138000")]),
            ]));
    let mut cursor = Cursor::new(Vec::new());
    docx.build().pack(&mut cursor).unwrap();
    cursor.into_inner()
}

#[test]
fn a_docx_reply_keeps_chinese_id_numbers_markup_characters_and_tables() {
    let bytes = reply_letter();
    assert_eq!(FileKind::detect("答复书.docx", &bytes), FileKind::Docx);
    let text = text_of("答复书.docx", &bytes).unwrap();
    assert_eq!(
        text,
        [
            "政府信息公开申请答复书",
            "申请人：张三，身份证号：350102199003071234",
            "条件：a < b & c > d",
            "姓名",
            "张三",
            "电话",
            "13800138000",
            "鼓楼区人民政府办公室",
            "请遮盖联系电话",
        ]
        .join("\n")
    );
}

#[test]
fn a_docx_is_recognised_by_content_whatever_its_name() {
    let bytes = reply_letter();
    assert_eq!(FileKind::detect("upload.bin", &bytes), FileKind::Docx);
    assert!(text_of("upload", &bytes).unwrap().contains(ID_NUMBER));
}

/// A minimal DOCX with `body` as Word writes it, not as docx-rs does
/// (DEPENDENCIES.md pitfall 8 was seen on Word's files).
pub fn word_style_docx(body: &str) -> Vec<u8> {
    word_package(&format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    ))
}

/// The parts every DOCX needs besides its main document.
pub const PACKAGE_PARTS: [(&str, &str); 3] = [
    (
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
    ),
    (
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
    ),
    (
        "word/_rels/document.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#,
    ),
];

/// A DOCX whose `word/document.xml` is `document`, byte for byte.
pub fn word_package(document: &str) -> Vec<u8> {
    let mut parts: Vec<(&str, &[u8])> = PACKAGE_PARTS
        .iter()
        .map(|(name, content)| (*name, content.as_bytes()))
        .collect();
    parts.push(("word/document.xml", document.as_bytes()));
    zip_of(&parts)
}

/// A deflated ZIP of `parts`, in order.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn word_escaped_less_than_and_ampersand_survive() {
    let bytes = word_style_docx(
        r#"<w:p><w:r><w:t>第一条 a &lt; b &amp;&amp; c &gt; d</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">张三 </w:t></w:r><w:r><w:t>350102199003071234</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>表格 &amp; 单元格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    );
    assert_eq!(
        text_of("word.docx", &bytes).unwrap(),
        "第一条 a < b && c > d\n张三 350102199003071234\n表格 & 单元格"
    );
}

#[test]
fn tracked_insertions_hyperlinks_and_breaks_are_text() {
    let bytes = word_style_docx(
        r#"<w:p><w:ins w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:t>新增</w:t></w:r></w:ins><w:hyperlink w:anchor="x"><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:br/><w:t>次行</w:t><w:tab/><w:t>制表</w:t></w:r></w:p>"#,
    );
    assert_eq!(
        text_of("word.docx", &bytes).unwrap(),
        "新增链接\n次行\t制表"
    );
}

#[test]
fn a_truncated_docx_is_an_error() {
    let bytes = reply_letter();
    let error = text_of("答复书.docx", &bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(error, ExtractError::Docx { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("无法读取 DOCX 文件："),
        "{error}"
    );
}

#[test]
fn a_zip_without_a_document_part_named_docx_is_an_error() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(matches!(
        text_of("fake.docx", &bytes),
        Err(ExtractError::Docx { .. })
    ));
}

/// `reply_letter` written with ZIP64 headers, then the central directory's
/// ZIP64 uncompressed size of `word/document.xml` set to `declared`.
fn docx_declaring(declared: u64) -> Vec<u8> {
    let original = zip::ZipArchive::new(Cursor::new(reply_letter())).unwrap();
    let mut original = original;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    for index in 0..original.len() {
        let mut part = original.by_index(index).unwrap();
        let name = part.name().to_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut content).unwrap();
        zip.start_file(name, options).unwrap();
        zip.write_all(&content).unwrap();
    }
    let mut bytes = zip.finish().unwrap().into_inner();
    let name = b"word/document.xml";
    let header = (0..bytes.len())
        .find(|&at| bytes[at..].starts_with(b"PK\x01\x02") && bytes[at + 46..].starts_with(name))
        .unwrap();
    let extra_len = usize::from(u16::from_le_bytes([bytes[header + 30], bytes[header + 31]]));
    let mut field = header + 46 + name.len();
    while field < header + 46 + name.len() + extra_len {
        let id = u16::from_le_bytes([bytes[field], bytes[field + 1]]);
        let len = usize::from(u16::from_le_bytes([bytes[field + 2], bytes[field + 3]]));
        if id == 1 {
            bytes[header + 24..header + 28].copy_from_slice(&u32::MAX.to_le_bytes());
            bytes[field + 4..field + 12].copy_from_slice(&declared.to_le_bytes());
            return bytes;
        }
        field += 4 + len;
    }
    panic!("no ZIP64 field written");
}

#[test]
fn a_docx_written_with_zip64_headers_reads_normally() {
    let bytes = reply_letter();
    let honest = docx_declaring(zip_declared_size(&bytes, "word/document.xml"));
    assert!(text_of("x.docx", &honest).unwrap().contains(ID_NUMBER));
}

#[test]
fn a_docx_declaring_a_terabyte_part_is_refused_before_it_is_read() {
    // Before the size check this aborted the test process: docx-rs reserved
    // the declared size, and a failed allocation is not a panic.
    let error = text_of("x.docx", &docx_declaring(1 << 40)).unwrap_err();
    assert!(error.to_string().contains("超出上限"), "{error}");
}

fn zip_declared_size(bytes: &[u8], name: &str) -> u64 {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    archive.by_name(name).unwrap().size()
}

#[test]
fn merged_cells_of_a_task_table_keep_their_spans() {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};
    let cell =
        |t: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(t)));
    let table = Table::new(vec![
        TableRow::new(vec![cell("任务分解表").grid_span(3)]),
        TableRow::new(vec![cell("序号"), cell("任务"), cell("责任单位")]),
        TableRow::new(vec![
            cell("1").vertical_merge(VMergeType::Restart),
            cell("公开年报"),
            cell("区政府办"),
        ]),
        TableRow::new(vec![
            TableCell::new().vertical_merge(VMergeType::Continue),
            cell("答复申请"),
            cell("各部门"),
        ]),
    ]);
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new().add_table(table).build().pack(&mut out).unwrap();
    let draft = gongkai_search::docx_draft(&out.into_inner()).unwrap();
    assert!(
        draft.html.contains(r#"<td colspan="3">任务分解表</td>"#),
        "{}",
        draft.html
    );
    assert!(
        draft.html.contains(r#"<td rowspan="2">1</td>"#),
        "{}",
        draft.html
    );
    assert!(
        draft
            .html
            .contains("<tr><td>答复申请</td><td>各部门</td></tr>"),
        "the continued cell is not repeated: {}",
        draft.html
    );
}
