//! Integration tests for gongkai-search: one binary, linked once.
#![allow(clippy::unwrap_used)]

mod docx;
mod hostile_docx;
mod index;
mod never_panics;
mod pdf;
mod plain;
