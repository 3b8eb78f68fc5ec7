//! `extract` returns, whatever the bytes: random input and mutated real files.

use gongkai_search::extract;
use proptest::prelude::*;

use crate::docx::reply_letter;
use crate::pdf::pdf_with_pages;

/// A valid file with up to 16 bytes overwritten: gets past the magic bytes
/// and deep into the parsers, where random bytes alone rarely reach.
fn mutated(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = valid.len();
    prop::collection::vec((0..len, any::<u8>()), 1..16).prop_map(move |edits| {
        let mut bytes = valid.clone();
        for (index, byte) in edits {
            bytes[index] = byte;
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_named_pdf_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = extract("x.pdf", &bytes);
    }

    #[test]
    fn arbitrary_bytes_named_docx_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = extract("x.docx", &bytes);
    }

    #[test]
    fn mutated_pdfs_never_panic(bytes in mutated(pdf_with_pages(&["Hello 2021", "Page two"]))) {
        let _ = extract("x.pdf", &bytes);
    }

    #[test]
    fn mutated_docx_files_never_panic(bytes in mutated(reply_letter())) {
        let _ = extract("x.docx", &bytes);
    }
}
