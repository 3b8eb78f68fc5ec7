//! PDF extraction through lopdf.

use gongkai_search::{ExtractError, FileKind, MAX_PDF_PAGES, extract_text};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// A PDF with one page per entry, each showing its text in Helvetica.
/// ASCII only: writing a CJK PDF needs an embedded font and a CMap.
pub fn pdf_with_pages(pages: &[&str]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for text in pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 24.into()]),
                Operation::new("Td", vec![100.into(), 600.into()]),
                Operation::new("Tj", vec![Object::string_literal(*text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = i64::try_from(kids.len()).unwrap();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_pdf_page_yields_its_text() {
    let bytes = pdf_with_pages(&["Hello 2021"]);
    assert_eq!(FileKind::detect("reply.pdf", &bytes), FileKind::Pdf);
    assert_eq!(extract_text("reply.pdf", &bytes).unwrap(), "Hello 2021");
}

#[test]
fn pages_come_out_in_order_one_line_each() {
    let bytes = pdf_with_pages(&["Page one", "Page two", "Page three"]);
    assert_eq!(
        extract_text("x.pdf", &bytes).unwrap(),
        "Page one\nPage two\nPage three"
    );
}

#[test]
fn only_the_first_2000_pages_are_read() {
    let texts: Vec<String> = (1..=MAX_PDF_PAGES + 1).map(|n| format!("P{n}")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let text = extract_text("long.pdf", &pdf_with_pages(&texts)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), MAX_PDF_PAGES);
    assert_eq!(lines.last(), Some(&"P2000"));
}

#[test]
fn garbage_named_pdf_is_an_error_not_a_panic() {
    let error = extract_text("x.pdf", b"this is not a PDF at all \x00\x01\x02").unwrap_err();
    assert!(matches!(error, ExtractError::Pdf { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("无法读取 PDF 文件："),
        "{error}"
    );
}

#[test]
fn a_truncated_pdf_is_an_error_or_partial_text_never_a_panic() {
    let bytes = pdf_with_pages(&["Hello 2021"]);
    for cut in [5, 20, bytes.len() / 2, bytes.len() - 10] {
        let _ = extract_text("x.pdf", &bytes[..cut]);
    }
    assert!(matches!(
        extract_text("x.pdf", &bytes[..20]),
        Err(ExtractError::Pdf { .. })
    ));
}
