//! The text of an XLSX workbook: each sheet's name, then its rows, the filled cells of a row
//! separated by tabs, as the scan and search need them.
//!
//! calamine reads the package rebuilt from its checked XML parts ([`docx_package`], the same
//! limits as a DOCX), and only after the cells' span is known to be small: calamine allocates
//! the whole rectangle between the first and last cell, so two cells at A1 and XFD1048576 of a
//! tiny file would ask for billions of cells.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Reader, Xlsx};

use crate::docx_package::{self, Limits};
use crate::extract::{ExtractError, Lines};

/// Most cells the rectangle of one sheet may span.
pub(crate) const MAX_CELLS: u64 = 10_000_000;

/// The text of a workbook.
pub(crate) fn text(bytes: &[u8]) -> Result<String, ExtractError> {
    let package = docx_package::sanitize(bytes, Limits::DOCX).map_err(|e| match e {
        ExtractError::Docx { reason } => xlsx(reason.replace("DOCX", "XLSX")),
        other => other,
    })?;
    check_spans(&package)?;
    let read = catch_unwind(AssertUnwindSafe(|| -> Result<String, ExtractError> {
        let mut book: Xlsx<_> =
            Xlsx::new(Cursor::new(package)).map_err(|e| xlsx(format!("无法打开工作簿（{e}）")))?;
        let mut lines = Lines::default();
        for name in book.sheet_names() {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| xlsx(format!("无法读取工作表“{name}”（{e}）")))?;
            lines.line.push_str(&name);
            lines.end_line();
            for row in range.rows() {
                let mut first = true;
                for cell in row.iter().filter(|c| !matches!(c, Data::Empty)) {
                    if !first {
                        lines.line.push('\t');
                    }
                    first = false;
                    lines.line.push_str(&cell.to_string());
                }
                lines.end_line();
            }
        }
        Ok(lines.finish())
    }));
    read.unwrap_or_else(|_| Err(xlsx("读取程序出错".to_owned())))
}

fn xlsx(reason: String) -> ExtractError {
    ExtractError::Xlsx { reason }
}

/// Refuses a sheet whose cells span more than [`MAX_CELLS`].
fn check_spans(package: &[u8]) -> Result<(), ExtractError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(package)).map_err(|e| xlsx(format!("{e}")))?;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| xlsx(format!("{e}")))?;
        if !part.name().starts_with("xl/worksheets/") {
            continue;
        }
        let name = part.name().to_owned();
        let mut xml = String::new();
        part.read_to_string(&mut xml)
            .map_err(|_| xlsx(format!("工作表 {name} 不是有效的 XML")))?;
        if cell_span(&xml) > MAX_CELLS {
            return Err(xlsx(format!(
                "工作表 {name} 的单元格范围过大（超过 {MAX_CELLS} 个），可能是恶意构造的文件，请人工核查"
            )));
        }
    }
    Ok(())
}

/// The number of cells in the rectangle from the first to the last cell a sheet names.
fn cell_span(xml: &str) -> u64 {
    let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
    for (tag, is_row) in [("<c ", false), ("<row ", true)] {
        let mut rest = xml;
        while let Some(at) = rest.find(tag) {
            rest = &rest[at + tag.len()..];
            let head = &rest[..rest.find('>').unwrap_or(rest.len())];
            let Some(value) = attribute(head, "r") else {
                continue;
            };
            let (row, col) = if is_row {
                (value.parse::<u64>().ok(), None)
            } else {
                cell_ref(value).map_or((None, None), |(r, c)| (Some(r), Some(c)))
            };
            if let Some(r) = row {
                rows = (rows.0.min(r), rows.1.max(r));
            }
            if let Some(c) = col {
                cols = (cols.0.min(c), cols.1.max(c));
            }
        }
    }
    if rows.0 > rows.1 {
        return 0;
    }
    let width = if cols.0 > cols.1 {
        1
    } else {
        cols.1 - cols.0 + 1
    };
    (rows.1 - rows.0 + 1).saturating_mul(width)
}

/// The value of `name="…"` in a start tag.
fn attribute<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = head;
    loop {
        let at = rest.find(&format!("{name}=\""))?;
        let before = rest[..at].chars().last();
        rest = &rest[at + name.len() + 2..];
        if before.is_none_or(char::is_whitespace) {
            return rest.split('"').next();
        }
    }
}

/// `B12` as (row 12, column 2).
fn cell_ref(r: &str) -> Option<(u64, u64)> {
    let letters = r.chars().take_while(char::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].chars().try_fold(0u64, |acc, c| {
        Some(acc * 26 + u64::from(c.to_ascii_uppercase() as u8 - b'A' + 1))
    })?;
    let row = r[letters..].parse::<u64>().ok()?;
    Some((row, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_span_runs_from_the_first_cell_to_the_last() {
        assert_eq!(
            cell_span(r#"<row r="1"><c r="A1"/><c r="C2"/></row>"#),
            2 * 3
        );
        assert_eq!(
            cell_span(r#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>2</v></c>"#),
            1_048_576 * 16_384
        );
        assert_eq!(cell_span(r#"<sheetData/>"#), 0);
        assert_eq!(cell_ref("AA10"), Some((10, 27)));
        assert_eq!(cell_ref("10"), None);
        assert_eq!(attribute(r#"s="1" r="B2""#, "r"), Some("B2"));
        assert_eq!(attribute(r#"spans="1:3" r="7""#, "r"), Some("7"));
    }
}
