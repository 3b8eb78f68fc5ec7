//! The layout of an uploaded PDF as a draft reads it: the words and boxes `pdftotext -bbox`
//! writes (their text is the PDF author's), read in this process into lines and tables.
//! pdftotext itself runs in another process under a time and output limit (`pdf::run_poppler`).
//! A table has two or more rows, all as wide as each other, two cells or more.
#![no_main]

use gongkai_search::pdf_layout::{Block, blocks_of_bbox};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for block in blocks_of_bbox(&String::from_utf8_lossy(data)) {
        if let Block::Table(rows) = block {
            assert!(rows.len() >= 2, "a table of {} row", rows.len());
            let width = rows[0].len();
            assert!(width >= 2, "a table {width} cell wide");
            assert!(rows.iter().all(|r| r.len() == width), "rows of unequal width");
        }
    }
});
