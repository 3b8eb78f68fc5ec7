//! The sensitive-information scan of a file (DOMAIN A8, SPEC C3): its text is extracted as
//! for search (plain text, DOCX, PDF) and scanned by the domain's rules.

use gongkai_domain::{Finding, ScanConfig};

use crate::{Error, Result};

/// What the scan of one file found, and what it could not look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileScan {
    /// Findings in the text that could be read.
    pub findings: Vec<Finding>,
    /// Pages whose text could not be read and so were not scanned (Chinese, for staff):
    /// such a file is never clean.
    pub unread: Option<String>,
}

/// The findings in a file's text. A file whose text cannot be read is an error; a kind that
/// holds no text (an image) has no findings.
pub fn scan_file(file_name: &str, bytes: &[u8], config: &ScanConfig) -> Result<FileScan> {
    let extracted = gongkai_search::extract(file_name, bytes)
        .map_err(|e| Error::Invalid(format!("{file_name}：{e}")))?;
    Ok(FileScan {
        findings: gongkai_domain::scan(&extracted.text, config),
        unread: extracted.unread_note(),
    })
}
