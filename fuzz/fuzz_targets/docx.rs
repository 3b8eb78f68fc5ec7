//! An uploaded DOCX: the draft's body and the text the scan reads. docx-rs's panics are caught
//! (`catch_unwind`), as in the server, so the hook that would abort on them is replaced by a
//! silent one; a panic that escapes still aborts (libfuzzer-sys catches it).
#![no_main]
libfuzzer_sys::fuzz_target!(
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| {
        let _ = gongkai_search::docx_draft(data);
        // Only what reads as a ZIP: a PDF would go to pdftotext, another process.
        if data.starts_with(b"PK") {
            let _ = gongkai_search::extract("上传.docx", data);
        }
    }
);
