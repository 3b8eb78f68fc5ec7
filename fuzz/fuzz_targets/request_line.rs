//! A line of `gongkai import requests`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        let _ = gongkai_domain::validate_request_line(line);
    }
});
