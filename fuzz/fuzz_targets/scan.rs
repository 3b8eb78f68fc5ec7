//! Any bytes, read as lossy UTF-8, scanned with the default keywords: the scan must not panic
//! and every finding's (line, column) must point at its text.
#![no_main]

use std::sync::OnceLock;

use gongkai_domain::{ScanConfig, scan};
use libfuzzer_sys::fuzz_target;

/// The byte offset of every 1-based (line, column) of `text`, its end included, in text order:
/// columns in code points, lines ending at `\n`. One pass, so the check stays linear however
/// many findings an input has.
fn positions(text: &str) -> Vec<((u32, u32), usize)> {
    let (mut l, mut c) = (1u32, 1u32);
    let mut out = Vec::with_capacity(text.len() + 1);
    for (at, ch) in text.char_indices() {
        out.push(((l, c), at));
        if ch == '\n' {
            (l, c) = (l + 1, 1);
        } else {
            c += 1;
        }
    }
    out.push(((l, c), text.len()));
    out
}

fuzz_target!(|data: &[u8]| {
    static CONFIG: OnceLock<ScanConfig> = OnceLock::new();
    let text = String::from_utf8_lossy(data);
    let findings = scan(&text, CONFIG.get_or_init(ScanConfig::default));
    let positions = positions(&text);
    let mut previous = (0, 0);
    for finding in &findings {
        let position = (finding.line, finding.column);
        let at = positions
            .binary_search_by_key(&position, |&(p, _)| p)
            .ok()
            .map(|i| positions[i].1);
        assert!(
            at.is_some_and(|at| text[at..].starts_with(&finding.text)),
            "{finding:?} is not at its position"
        );
        assert!(!finding.text.is_empty());
        assert!(position >= previous, "findings out of text order");
        previous = position;
    }
});
