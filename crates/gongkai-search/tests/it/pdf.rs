//! PDF extraction through pdftotext: Chinese PDFs of several generators, pages that
//! cannot be read, broken files.

use gongkai_search::{ExtractError, FileKind, MAX_PDF_PAGES, Unread, UnreadPage, extract};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

use crate::text_of;

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
    assert_eq!(text_of("reply.pdf", &bytes).unwrap(), "Hello 2021");
}

#[test]
fn pages_come_out_in_order_one_line_each() {
    let bytes = pdf_with_pages(&["Page one", "Page two", "Page three"]);
    assert_eq!(
        text_of("x.pdf", &bytes).unwrap(),
        "Page one\nPage two\nPage three"
    );
}

#[test]
fn only_the_first_2000_pages_are_read() {
    let texts: Vec<String> = (1..=MAX_PDF_PAGES + 1).map(|n| format!("P{n}")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let text = text_of("long.pdf", &pdf_with_pages(&texts)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), MAX_PDF_PAGES);
    assert_eq!(lines.last(), Some(&"P2000"));
}

#[test]
fn garbage_named_pdf_is_an_error_not_a_panic() {
    let error = text_of("x.pdf", b"this is not a PDF at all \x00\x01\x02").unwrap_err();
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
        let _ = text_of("x.pdf", &bytes[..cut]);
    }
    assert!(matches!(
        text_of("x.pdf", &bytes[..20]),
        Err(ExtractError::Pdf { .. })
    ));
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The notice every generator printed: its text, as typed.
fn notice() -> String {
    String::from_utf8(fixture("notice.txt")).unwrap()
}

#[test]
fn this_machine_reads_chinese_pdfs() {
    assert_eq!(gongkai_search::pdf::check_support(), Ok(()));
}

#[test]
fn chinese_pdfs_of_every_generator_read_as_typed() {
    // Chromium: Type 3 fonts; fpdf2 + Noto CJK: embedded CID font and CMap; LibreOffice:
    // embedded Type 1 subset; reportlab: the predefined CMap UniGB-UCS2-H (poppler-data).
    for name in [
        "chromium.pdf",
        "fpdf2-noto.pdf",
        "libreoffice.pdf",
        "reportlab-stsong.pdf",
    ] {
        let text = text_of(name, &fixture(name)).unwrap();
        // Generators differ only in where they break lines and put spaces (LibreOffice
        // writes "2026 年"); the characters are the same.
        assert_eq!(without_spaces(&text), without_spaces(&notice()), "{name}");
        for needle in ["350102199003071234", "13905912345", "zhangsan@example.com"] {
            assert!(text.contains(needle), "{name}: {needle} not read");
        }
    }
}

#[test]
fn a_scanned_page_is_reported_beside_the_text_of_the_others() {
    let extracted = extract("scan.pdf", &fixture("scanned-page-2.pdf")).unwrap();
    assert_eq!(
        extracted.unread,
        [UnreadPage {
            page: 2,
            why: Unread::NoText
        }],
        "page 2 is an image only; page 3 is blank and has nothing to read"
    );
    let first_lines: String = notice().lines().take(4).collect();
    assert_eq!(
        without_spaces(&extracted.text),
        without_spaces(&first_lines)
    );
    assert_eq!(
        extracted.unread_note().unwrap(),
        "第 2 页无法读取文字（页面没有文字层（扫描图像或文字已转为曲线）），未经检索和敏感信息扫描，请人工核查"
    );
}

#[test]
fn a_font_without_a_unicode_map_is_reported_not_read_as_gibberish() {
    // The same fpdf2 file with its ToUnicode map unnamed (same length, so the
    // cross-reference table still holds): pdftotext then prints glyph numbers as
    // characters and exits 0.
    let mut bytes = fixture("fpdf2-noto.pdf");
    let at = bytes.windows(10).position(|w| w == b"/ToUnicode").unwrap();
    bytes[at..at + 10].copy_from_slice(b"/ToUnicodX");
    let extracted = extract("x.pdf", &bytes).unwrap();
    assert_eq!(
        extracted.unread,
        [UnreadPage {
            page: 1,
            why: Unread::Garbled
        }]
    );
    assert_eq!(
        extracted.text, "",
        "gibberish is neither indexed nor scanned"
    );
    assert!(
        extracted
            .unread_note()
            .unwrap()
            .contains("字体无法解码为文字")
    );
}

#[test]
fn a_fully_read_pdf_has_no_note() {
    let extracted = extract("x.pdf", &fixture("libreoffice.pdf")).unwrap();
    assert_eq!(extracted.unread_note(), None);
}

#[test]
fn a_redacted_pdf_is_pages_of_pixels_with_the_values_painted_over() {
    for name in ["libreoffice.pdf", "chromium.pdf", "fpdf2-noto.pdf"] {
        let values = [
            "350102199003071234".to_owned(),
            "13905912345".to_owned(),
            "not-in-the-file".to_owned(),
        ];
        let out = gongkai_search::pdf_redact::redact(&fixture(name), &values).unwrap();
        assert_eq!(out.boxes, 2, "{name}");
        assert_eq!(out.not_found, ["not-in-the-file"], "{name}");
        // No text layer is left to leak through: the page is an image and says so.
        let again = extract("x.pdf", &out.bytes).unwrap();
        assert_eq!(again.text.trim(), "", "{name}");
        assert_eq!(
            again.unread,
            [UnreadPage {
                page: 1,
                why: Unread::NoText
            }],
            "{name}"
        );
    }
}

#[test]
fn redacting_a_file_that_is_not_a_pdf_is_an_error() {
    assert!(gongkai_search::pdf_redact::redact(b"not a pdf", &["1".to_owned()]).is_err());
}

#[test]
fn prose_is_never_taken_for_a_table_and_a_table_is() {
    use gongkai_search::pdf_layout::{Block, blocks};
    for name in [
        "chromium.pdf",
        "libreoffice.pdf",
        "fpdf2-noto.pdf",
        "reportlab-stsong.pdf",
    ] {
        let found = blocks(&fixture(name)).unwrap();
        assert!(
            found.iter().all(|b| matches!(b, Block::Line(_))),
            "{name}: {found:?}"
        );
    }
    let table = blocks(&fixture("chromium-table.pdf")).unwrap();
    let tables: Vec<&Vec<Vec<String>>> = table
        .iter()
        .filter_map(|b| match b {
            Block::Table(rows) => Some(rows),
            Block::Line(_) => None,
        })
        .collect();
    assert_eq!(tables.len(), 1, "{table:?}");
    assert_eq!(tables[0].len(), 4);
    assert_eq!(
        tables[0][3],
        ["3", "规范政策解读", "区司法局、区政府办", "2026年6月30日前"]
    );
}

/// A PDF written by hand: one page whose content stream is `content` (deflated when
/// `deflate`) under the first of two inner nodes of the page tree; the second has no page
/// and declares `count`, which poppler passes over (it counts the root's /Count, true here).
fn hand_made_pdf(count: &str, content: &[u8], deflate: bool) -> Vec<u8> {
    use std::io::Write;
    let (stream, filter) = if deflate {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(content).unwrap();
        (z.finish().unwrap(), " /Filter /FlateDecode")
    } else {
        (content.to_vec(), "")
    };
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 5 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        [
            format!("<< /Length {}{filter} >>\nstream\n", stream.len()).as_bytes(),
            &stream,
            b"\nendstream",
        ]
        .concat(),
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Pages /Parent 2 0 R /Kids [] /Count {count} >>").into_bytes(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", n + 1).unwrap();
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(out, "{offset:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

#[test]
fn a_page_tree_lying_about_its_page_count_is_walked_not_believed() {
    use gongkai_search::pdf::pages_that_draw;
    // lopdf's get_pages reserved room for the declared count: the process aborted, on an
    // upload as soon as pdftotext found a page without text.
    for count in ["666666666666663", "-5", "0", "1"] {
        let pdf = hand_made_pdf(count, b"0 0 1 rg 10 10 100 100 re f", false);
        assert_eq!(
            pages_that_draw(&pdf, &[1, 2]),
            [true, true],
            "/Count {count}"
        );
        let blank = hand_made_pdf(count, b"q Q", false);
        // Page 2 does not exist: it counts as drawing, so that it is reported.
        assert_eq!(
            pages_that_draw(&blank, &[1, 2]),
            [false, true],
            "/Count {count}"
        );
        // As an upload meets it: pdftotext reads no text, so lopdf is asked about page 1.
        let extracted = extract("上传.pdf", &pdf).unwrap();
        assert_eq!(
            (extracted.text.trim(), extracted.unread),
            (
                "",
                vec![UnreadPage {
                    page: 1,
                    why: Unread::NoText
                }]
            ),
            "/Count {count}"
        );
    }
}

#[test]
fn a_page_content_that_inflates_past_the_limit_counts_as_drawing() {
    use gongkai_search::pdf::{MAX_INFLATED, pages_that_draw};
    // Spaces only: inflated in full, the page would be blank.
    let bomb = hand_made_pdf("1", &vec![b' '; MAX_INFLATED + 1], true);
    assert!(bomb.len() < 64 * 1024, "{} bytes", bomb.len());
    assert_eq!(pages_that_draw(&bomb, &[1]), [true]);
    let within = hand_made_pdf("1", &vec![b' '; 1024 * 1024], true);
    assert_eq!(pages_that_draw(&within, &[1]), [false]);
}

#[test]
fn deeply_nested_operands_fit_the_stack_of_a_blocking_thread() {
    use gongkai_search::pdf::pages_that_draw;
    // The server reads uploads on tokio's blocking threads: 2 MiB of stack.
    for depth in [99, 100, 101, 10_000] {
        let content = [
            "[".repeat(depth).as_bytes(),
            "]".repeat(depth).as_bytes(),
            b" 0 0 1 rg 10 10 100 100 re f",
        ]
        .concat();
        let pdf = hand_made_pdf("1", &content, false);
        let drawn = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || pages_that_draw(&pdf, &[1]))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(drawn, [true], "depth {depth}");
    }
}
