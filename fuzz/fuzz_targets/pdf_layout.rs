//! An uploaded PDF as the redaction reads its layout (lopdf, in process; the text itself is
//! read by pdftotext in a separate process).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = gongkai_search::pdf_layout::blocks(data);
});
