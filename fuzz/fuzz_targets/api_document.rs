//! The JSON body of `POST /api/v1/documents`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(line) = serde_json::from_slice::<gongkai_domain::DocumentLine>(data) {
        let _ = line.validate();
    }
});
