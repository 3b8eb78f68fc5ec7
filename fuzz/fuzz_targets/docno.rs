//! A 发文字号 as typed in the search box or an import line.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gongkai_domain::docno::normalize(text);
        let _ = gongkai_domain::docno::lenient(text);
    }
});
