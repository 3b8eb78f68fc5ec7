//! DOCX files built to hurt the reader: nesting bombs, inflation bombs,
//! corrupt streams, XML cut short. Each must be an error, quickly, on the
//! 2 MiB stack tokio's `spawn_blocking` gives, in a debug build.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use gongkai_search::{ExtractError, extract};

use crate::docx::{PACKAGE_PARTS, word_package, word_style_docx, zip_of};

/// tokio's default `spawn_blocking` stack; the server extracts text there.
const BLOCKING_STACK: usize = 2 * 1024 * 1024;

/// `extract` on a thread with tokio's blocking-pool stack. A stack
/// overflow aborts the whole test binary; a reader that never returns fails
/// the test after a minute instead of hanging the suite.
fn extract_on_blocking_stack(bytes: Vec<u8>) -> Result<String, ExtractError> {
    let (send, receive) = mpsc::channel();
    thread::Builder::new()
        .stack_size(BLOCKING_STACK)
        .spawn(move || {
            let _ = send.send(extract("x.docx", &bytes).map(|e| e.text));
        })
        .unwrap();
    receive
        .recv_timeout(Duration::from_secs(60))
        .expect("extract did not return within a minute")
}

fn reason(result: Result<String, ExtractError>) -> String {
    match result {
        Err(ExtractError::Docx { reason }) => reason,
        other => panic!("expected a DOCX error, got {other:?}"),
    }
}

/// `levels` tables nested cell in cell, around `inner`.
fn nested_tables(levels: usize, inner: &str) -> String {
    let mut body = "<w:tbl><w:tr><w:tc>".repeat(levels);
    body.push_str(inner);
    body.push_str(&"</w:tc></w:tr></w:tbl>".repeat(levels));
    body
}

#[test]
fn a_nested_table_bomb_is_refused_quickly_without_overflowing_the_stack() {
    // 500 levels; docx-rs alone overflowed a 2 MiB stack at 60.
    let bytes = word_style_docx(&nested_tables(500, "<w:p/>"));
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    let started = Instant::now();
    let reason = reason(extract_on_blocking_stack(bytes));
    assert!(reason.contains("嵌套过深"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Element depth counted from `w:document` at 1: `w:body` is 2, each table
/// adds three levels (table, row, cell), then `w:sdt`, `w:sdtContent`,
/// `w:p`, `w:r`, `w:t`.
fn deepest_tables(depth: usize) -> String {
    let tables = (depth - 2 - 5) / 3;
    let extra = depth - 2 - 5 - 3 * tables;
    let inner = format!(
        "{}<w:sdt><w:sdtContent><w:p><w:r><w:t>最深处</w:t></w:r></w:p></w:sdtContent></w:sdt>{}",
        "<w:customXml>".repeat(extra),
        "</w:customXml>".repeat(extra),
    );
    nested_tables(tables, &inner)
}

#[test]
fn the_deepest_document_allowed_reads_on_a_2_mib_stack() {
    // 64 levels, 19 nested tables: the deepest recursion measured in
    // docx-rs per level (about 1.25 MiB of stack in a debug build).
    let text = extract_on_blocking_stack(word_style_docx(&deepest_tables(64))).unwrap();
    assert_eq!(text, "最深处");
    let reason = reason(extract_on_blocking_stack(word_style_docx(&deepest_tables(
        65,
    ))));
    assert!(reason.contains("嵌套过深"), "{reason}");
}

#[test]
fn nesting_in_headers_and_any_other_xml_part_is_refused_too() {
    let bomb = format!(
        r#"<w:hdr xmlns:w="w">{}</w:hdr>"#,
        nested_tables(100, "<w:p/>")
    );
    let mut parts: Vec<(&str, &[u8])> = PACKAGE_PARTS
        .iter()
        .map(|(name, content)| (*name, content.as_bytes()))
        .collect();
    let document = word_style_docx_document("<w:p><w:r><w:t>正文</w:t></w:r></w:p>");
    parts.push(("word/document.xml", document.as_bytes()));
    parts.push(("word/header1.xml", bomb.as_bytes()));
    let reason = reason(extract_on_blocking_stack(zip_of(&parts)));
    assert!(reason.contains("嵌套过深"), "{reason}");
    assert!(reason.contains("word/header1.xml"), "{reason}");
}

fn word_style_docx_document(body: &str) -> String {
    format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

#[test]
fn a_main_document_under_a_non_xml_name_is_never_parsed() {
    // docx-rs reads whatever part the package relationship names; a bomb
    // named `.bin` is left out of what docx-rs sees, so it finds no document.
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.bin"/></Relationships>"#;
    let bomb = word_style_docx_document(&nested_tables(500, "<w:p/>"));
    let bytes = zip_of(&[
        ("[Content_Types].xml", PACKAGE_PARTS[0].1.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        (
            "word/_rels/document.bin.rels",
            PACKAGE_PARTS[2].1.as_bytes(),
        ),
        ("word/document.bin", bomb.as_bytes()),
    ]);
    let reason = reason(extract_on_blocking_stack(bytes));
    assert!(!reason.contains("内部错误"), "{reason}");
}

/// A package whose `word/document.xml` holds `spaces` spaces in one `w:t`.
fn inflation_bomb(spaces: usize) -> Vec<u8> {
    let mut document = word_style_docx_document("<w:p><w:r><w:t>").into_bytes();
    let tail = document.split_off(document.len() - "<w:sectPr/></w:body></w:document>".len());
    document.resize(document.len() + spaces, b' ');
    document.extend_from_slice(b"</w:t></w:r></w:p>");
    document.extend_from_slice(&tail);
    let mut parts: Vec<(&str, &[u8])> = PACKAGE_PARTS
        .iter()
        .map(|(name, content)| (*name, content.as_bytes()))
        .collect();
    parts.push(("word/document.xml", &document));
    zip_of(&parts)
}

/// Offset of `name`'s local file header and of its data.
fn local_entry(bytes: &[u8], name: &str) -> (usize, usize) {
    let header = (0..bytes.len())
        .find(|&at| {
            bytes[at..].starts_with(b"PK\x03\x04") && bytes[at + 30..].starts_with(name.as_bytes())
        })
        .unwrap();
    let field = |at: usize| usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
    (
        header,
        header + 30 + field(header + 26) + field(header + 28),
    )
}

/// Sets the uncompressed size `name` declares, in its local and central headers.
fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
    let (local, _) = local_entry(bytes, name);
    bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    let central = (0..bytes.len())
        .find(|&at| {
            bytes[at..].starts_with(b"PK\x01\x02") && bytes[at + 46..].starts_with(name.as_bytes())
        })
        .unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
}

#[test]
fn a_part_inflating_past_64_mib_is_refused_whatever_its_header_says() {
    let bytes = inflation_bomb(65 * 1024 * 1024);
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let why = reason(extract_on_blocking_stack(bytes.clone()));
    assert!(why.contains("解压后过大"), "{why}");

    // The same part declaring 1000 bytes is inflated and capped all the same.
    let mut lying = bytes;
    declare_size(&mut lying, "word/document.xml", 1000);
    let why = reason(extract_on_blocking_stack(lying));
    assert!(
        why.contains("解压后过大") || why.contains("已损坏"),
        "{why}"
    );
}

#[test]
fn a_part_that_just_fits_is_read() {
    // Spaces in a `w:t` are kept: the text is the spaces, trimmed away.
    let bytes = inflation_bomb(1024 * 1024);
    assert_eq!(extract_on_blocking_stack(bytes).unwrap(), "");
}

#[test]
fn a_corrupt_deflate_stream_is_an_error_not_a_panic() {
    let body =
        "<w:p><w:r><w:t>政府信息公开申请答复书 350102199003071234</w:t></w:r></w:p>".repeat(40);
    let mut bytes = word_style_docx(&body);
    let (local, data) = local_entry(&bytes, "word/document.xml");
    let compressed = u32::from_le_bytes(bytes[local + 18..local + 22].try_into().unwrap());
    let middle = data + compressed as usize / 2;
    for byte in &mut bytes[middle..middle + 8] {
        *byte ^= 0x5A;
    }
    // A caught docx-rs panic would read "解析器内部错误".
    let reason = reason(extract_on_blocking_stack(bytes));
    assert!(reason.contains("已损坏"), "{reason}");
    assert!(reason.contains("word/document.xml"), "{reason}");
}

#[test]
fn xml_cut_short_inside_an_element_is_refused_not_read_forever() {
    // docx-rs 0.4.22 took quick-xml's end of input for more input and
    // looped forever on both of these.
    for document in [
        "<w:document xmlns:w=\"w\"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x",
        "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>x</w:t></w:r>",
    ] {
        let reason = reason(extract_on_blocking_stack(word_package(document)));
        assert!(reason.contains("已损坏"), "{reason}");
    }
}

#[test]
fn media_and_other_binary_parts_are_not_read() {
    // A corrupt image stream and one lying about its size: neither is
    // inflated, so neither stops the text being read.
    let document = word_style_docx_document("<w:p><w:r><w:t>正文</w:t></w:r></w:p>");
    let image = vec![0x5A_u8; 8 * 1024 * 1024];
    let mut parts: Vec<(&str, &[u8])> = PACKAGE_PARTS
        .iter()
        .map(|(name, content)| (*name, content.as_bytes()))
        .collect();
    parts.push(("word/document.xml", document.as_bytes()));
    parts.push(("word/media/image1.png", &image));
    parts.push(("word/media/image2.png", &image));
    let mut bytes = zip_of(&parts);
    let (_, data) = local_entry(&bytes, "word/media/image1.png");
    for byte in &mut bytes[data..data + 16] {
        *byte ^= 0xFF;
    }
    declare_size(&mut bytes, "word/media/image2.png", 100 * 1024 * 1024);
    assert_eq!(extract_on_blocking_stack(bytes).unwrap(), "正文");
}

#[test]
fn a_doctype_is_refused() {
    let document = format!(
        "<!DOCTYPE w:document [<!ENTITY x \"y\">]>{}",
        word_style_docx_document("<w:p><w:r><w:t>正文</w:t></w:r></w:p>")
    );
    let reason = reason(extract_on_blocking_stack(word_package(&document)));
    assert!(reason.contains("DTD"), "{reason}");
}
