//! An uploaded PDF as lopdf reads it in this process: whether a page without text draws
//! anything (`pdf::pages_that_draw`). lopdf's panics are caught there, as in the server, so the
//! hook that would abort on them is replaced by a silent one; a panic that escapes still aborts
//! (libfuzzer-sys catches it), and a stack overflow is a crash as it would be in the server.
#![no_main]

use gongkai_search::pdf::pages_that_draw;

libfuzzer_sys::fuzz_target!(
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| {
        let asked = [1, 2, 3];
        assert_eq!(pages_that_draw(data, &asked).len(), asked.len());
    }
);
