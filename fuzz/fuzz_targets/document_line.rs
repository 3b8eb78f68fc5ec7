//! A line of `gongkai import documents`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        if let Ok((doc, _)) = gongkai_domain::validate_line(line) {
            let _ = doc.import_identity();
        }
    }
});
