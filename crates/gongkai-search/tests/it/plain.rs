//! Plain text, empty files and kinds without text.

use gongkai_search::{ExtractError, FileKind};

use crate::text_of;

#[test]
fn an_empty_file_has_no_text_whatever_its_name() {
    for name in ["empty.txt", "empty.pdf", "empty.docx", "empty"] {
        assert_eq!(text_of(name, b""), Ok(String::new()), "{name}");
    }
}

#[test]
fn plain_text_loses_its_bom_and_crlf() {
    let bytes = "\u{FEFF}鼓政办〔2020〕60号\r\n身份证号 350102199003071234\r\n".as_bytes();
    assert_eq!(FileKind::detect("reply.txt", bytes), FileKind::Text);
    assert_eq!(
        text_of("reply.txt", bytes).unwrap(),
        "鼓政办〔2020〕60号\n身份证号 350102199003071234\n"
    );
}

#[test]
fn plain_text_without_a_known_extension_is_read_as_text() {
    assert_eq!(text_of("README", "公开".as_bytes()).unwrap(), "公开");
}

#[test]
fn a_gbk_text_file_is_an_error_not_garbage() {
    // "公开" in GBK.
    let error = text_of("notes.txt", b"ok \xB9\xAB\xBF\xAA").unwrap_err();
    assert_eq!(error, ExtractError::NotUtf8 { valid_up_to: 3 });
    assert!(error.to_string().contains("UTF-8"), "{error}");
}

#[test]
fn images_and_unknown_files_have_no_text() {
    for (name, bytes) in [
        ("scan.png", &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]),
        ("photo.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
        ("blob.bin", b"\0\x01\x02\xFF"),
    ] {
        assert_eq!(text_of(name, bytes), Ok(String::new()), "{name}");
    }
    // A spreadsheet is read (tests/it/xlsx.rs): a broken one is an error.
    assert!(text_of("book.xlsx", b"PK\x03\x04\x14\0\0\0xl/workbook.xml").is_err());
}

#[test]
fn labels_and_media_types_cover_every_kind() {
    for (kind, label, media_type) in [
        (FileKind::Text, "文本", "text/plain; charset=utf-8"),
        (
            FileKind::Docx,
            "Word 文档",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (FileKind::Pdf, "PDF 文档", "application/pdf"),
        (
            FileKind::Xlsx,
            "Excel 表格",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (FileKind::Image, "图片", "application/octet-stream"),
        (FileKind::Other, "其他", "application/octet-stream"),
    ] {
        assert_eq!((kind.label(), kind.media_type()), (label, media_type));
    }
}
