//! Integration tests for gongkai-search: one binary, linked once.
#![allow(clippy::unwrap_used)]

mod docx;
mod hostile_docx;
mod index;
mod never_panics;
mod pdf;
mod plain;
mod xlsx;

use gongkai_search::{ExtractError, extract};

/// The text of a file that must be read whole: no page may be left unread.
pub fn text_of(name: &str, bytes: &[u8]) -> Result<String, ExtractError> {
    extract(name, bytes).map(|extracted| {
        assert_eq!(extracted.unread, [], "{name}: pages left unread");
        extracted.text
    })
}
