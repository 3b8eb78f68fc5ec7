//! Any bytes, read as lossy UTF-8, scanned with the default keywords: the scan must not panic
//! and every finding's (line, column) must point at its text.
#![no_main]

use gongkai_domain::{ScanConfig, scan};
use libfuzzer_sys::fuzz_target;

/// The byte offset of a 1-based (line, column), columns in code points, lines ending at `\n`.
fn offset_of(text: &str, line: u32, column: u32) -> Option<usize> {
    let (mut l, mut c) = (1u32, 1u32);
    for (at, ch) in text.char_indices() {
        if (l, c) == (line, column) {
            return Some(at);
        }
        if ch == '\n' {
            (l, c) = (l + 1, 1);
        } else {
            c += 1;
        }
    }
    ((l, c) == (line, column)).then_some(text.len())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let findings = scan(&text, &ScanConfig::default());
    let mut previous = (0, 0);
    for finding in &findings {
        let at = offset_of(&text, finding.line, finding.column);
        assert!(
            at.is_some_and(|at| text[at..].starts_with(&finding.text)),
            "{finding:?} is not at its position"
        );
        assert!(!finding.text.is_empty());
        let position = (finding.line, finding.column);
        assert!(position >= previous, "findings out of text order");
        previous = position;
    }
});
