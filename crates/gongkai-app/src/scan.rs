//! The sensitive-information scan of a file (DOMAIN A8, SPEC C3): its text is extracted as
//! for search (plain text, DOCX, PDF) and scanned by the domain's rules.

use gongkai_domain::{Finding, ScanConfig};

use crate::{Error, Result};

/// The findings in a file's text. A file whose text cannot be read is an error; a kind that
/// holds no text (an image) has no findings.
pub fn scan_file(file_name: &str, bytes: &[u8], config: &ScanConfig) -> Result<Vec<Finding>> {
    let text = gongkai_search::extract_text(file_name, bytes)
        .map_err(|e| Error::Invalid(format!("{file_name}：{e}")))?;
    Ok(gongkai_domain::scan(&text, config))
}
