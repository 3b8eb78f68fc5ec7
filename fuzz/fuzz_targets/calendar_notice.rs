//! A holiday notice loaded with `gongkai calendar load` or on /staff/admin.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(notice) = gongkai_domain::calendar::YearNotice::from_json(text) {
            let mut calendar = gongkai_domain::calendar::Calendar::shipped();
            calendar.insert(notice);
        }
    }
});
