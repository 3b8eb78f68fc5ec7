//! Search for Gongkai: what text a disclosure record holds.
//!
//! This crate will later hold the tantivy index and the jieba tokenizer
//! (`DEPENDENCIES.md`, "Search"). Today it owns the first step of both search
//! and the sensitive-information scan: turning an uploaded attachment into
//! plain text ([`extract_text`]), and recognising what kind of file it is
//! ([`FileKind`]).

mod docx_package;
pub mod extract;

pub use extract::{ExtractError, FileKind, MAX_PDF_PAGES, extract_text, media_type_for};
