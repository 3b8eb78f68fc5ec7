//! Search for Gongkai: the index of published records (tantivy, segmented by jieba with the
//! domain's vocabulary) and the text a record holds: extraction from attachments
//! ([`extract`]) and what kind of file one is ([`FileKind`]).

mod docx_html;
mod docx_package;
pub mod extract;
mod facets;
pub mod index;
pub mod pdf;
pub mod pdf_layout;
pub mod pdf_redact;
pub mod segment;
mod xlsx;

pub use docx_html::{DocxDraft, docx_draft};
pub use extract::{ExtractError, Extracted, FileKind, MAX_PDF_PAGES, extract, media_type_for};
pub use index::{
    Facets, Hit, IndexError, Matched, Opened, Published, Record, SCHEMA_VERSION, SearchIndex,
    SearchQuery, SearchResults, subtree_counts,
};
pub use pdf::{Unread, UnreadPage};
pub use segment::Segmenter;
