//! An uploaded DOCX: the draft's body and the text the scan reads.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = gongkai_search::docx_draft(data);
    // Only what reads as a ZIP: a PDF would go to pdftotext, another process.
    if data.starts_with(b"PK") {
        let _ = gongkai_search::extract("上传.docx", data);
    }
});
