//! The paragraphs and tables of a PDF for a draft, from the words and boxes of
//! `pdftotext -bbox`: a table is two or more lines in a row whose words stand apart in the
//! same number of columns (the gap between two cells is wider than a third of the line's
//! height, far more than a space); its cells are placed by the columns of its fullest rows,
//! so a centred header lands over its column.

use crate::extract::{ExtractError, MAX_PDF_PAGES};
use crate::pdf::{PDFTOTEXT, run_poppler};
use crate::pdf_redact::{Word, parse_bbox};

/// A piece of a PDF's text in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line of text (a paragraph, or part of one the page wrapped).
    Line(String),
    /// A table: rows of cell texts, all rows as wide as the widest.
    Table(Vec<Vec<String>>),
}

/// The lines and tables of a PDF, page by page.
pub fn blocks(bytes: &[u8]) -> Result<Vec<Block>, ExtractError> {
    let pages_arg = MAX_PDF_PAGES.to_string();
    let out = run_poppler(
        PDFTOTEXT,
        &["-bbox", "-enc", "UTF-8", "-l", &pages_arg, "-", "-"],
        bytes,
        crate::pdf::MAX_OUTPUT,
    )?;
    Ok(blocks_of_bbox(&String::from_utf8_lossy(&out)))
}

/// The lines and tables of the XHTML `pdftotext -bbox` writes: the part of [`blocks`] that runs
/// in this process, on words whose text the PDF's author chose.
pub fn blocks_of_bbox(xhtml: &str) -> Vec<Block> {
    parse_bbox(xhtml)
        .iter()
        .flat_map(|page| page_blocks(&page.words))
        .collect()
}

/// A line of a page: its cells, each the text of words close together and its extent.
struct Row {
    cells: Vec<(f64, f64, String)>,
}

fn page_blocks(words: &[Word]) -> Vec<Block> {
    let rows = rows(words);
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let n = rows[i].cells.len();
        // A run of lines with the same number of cells, two or more.
        let mut end = i + 1;
        while n >= 2 && end < rows.len() && rows[end].cells.len() == n {
            end += 1;
        }
        if n >= 2 && end - i >= 2 {
            out.push(Block::Table(table(&rows[i..end])));
            i = end;
        } else {
            let text: Vec<&str> = rows[i].cells.iter().map(|(_, _, t)| t.as_str()).collect();
            out.push(Block::Line(text.join(" ")));
            i += 1;
        }
    }
    out
}

/// The cells of a run of rows, placed in the columns of their common layout.
fn table(rows: &[Row]) -> Vec<Vec<String>> {
    let n = rows[0].cells.len();
    // Column bands: the extent of each column over the rows, split halfway between them.
    let mut extent: Vec<(f64, f64)> = vec![(f64::MAX, f64::MIN); n];
    for row in rows {
        for (k, (x0, x1, _)) in row.cells.iter().enumerate() {
            extent[k] = (extent[k].0.min(*x0), extent[k].1.max(*x1));
        }
    }
    let bounds: Vec<f64> = extent.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0).collect();
    rows.iter()
        .map(|row| {
            let mut cells = vec![String::new(); n];
            for (x0, x1, text) in &row.cells {
                let centre = (x0 + x1) / 2.0;
                let k = bounds
                    .iter()
                    .take_while(|b| centre > **b)
                    .count()
                    .min(n - 1);
                if !cells[k].is_empty() {
                    cells[k].push(' ');
                }
                cells[k].push_str(text);
            }
            cells
        })
        .collect()
}

/// The words of a page as lines (words whose boxes share most of their height), each split
/// into cells where two words stand further apart than a third of the line's height.
fn rows(words: &[Word]) -> Vec<Row> {
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for w in words {
        let same_line = lines.last().and_then(|l| l.last()).is_some_and(|prev| {
            let overlap = prev.y1.min(w.y1) - prev.y0.max(w.y0);
            let height = (prev.y1 - prev.y0).min(w.y1 - w.y0).max(f64::EPSILON);
            overlap / height > 0.6 && w.x0 >= prev.x1 - 1.0
        });
        match lines.last_mut() {
            Some(line) if same_line => line.push(w),
            _ => lines.push(vec![w]),
        }
    }
    lines
        .into_iter()
        .map(|line| {
            let height = line.iter().map(|w| w.y1 - w.y0).fold(0.0, f64::max);
            let gap = (height / 3.0).max(6.0);
            let mut cells: Vec<(f64, f64, String)> = Vec::new();
            for w in line {
                let text: String = w.text.iter().collect();
                match cells.last_mut() {
                    Some(cell) if w.x0 - cell.1 <= gap => {
                        cell.1 = w.x1;
                        cell.2.push(' ');
                        cell.2.push_str(&text);
                    }
                    _ => cells.push((w.x0, w.x1, text)),
                }
            }
            Row { cells }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x0: f64, y0: f64, x1: f64, text: &str) -> Word {
        Word {
            x0,
            y0,
            x1,
            y1: y0 + 31.0,
            text: text.chars().collect(),
        }
    }

    #[test]
    fn aligned_lines_become_a_table_and_a_centred_header_finds_its_column() {
        // As Chromium prints a four-column table between two paragraphs.
        let words = [
            word(6.0, 76.0, 428.0, "为做好工作，现将重点任务分解如下。"),
            word(12.0, 111.0, 36.0, "序号"),
            word(118.5, 111.0, 166.5, "工作任务"),
            word(279.0, 111.0, 327.0, "责任单位"),
            word(391.0, 111.0, 439.0, "完成时限"),
            word(12.0, 139.0, 18.6, "1"),
            word(46.5, 139.0, 238.5, "按时发布年度报告"),
            word(249.0, 139.0, 297.0, "区政府办"),
            word(367.5, 139.0, 460.3, "2026年1月31日前"),
            word(12.0, 167.0, 18.6, "2"),
            word(46.5, 167.0, 190.5, "依法答复申请"),
            word(249.0, 167.0, 285.0, "各部门"),
            word(367.5, 167.0, 415.5, "持续推进"),
            word(6.0, 230.0, 138.0, "各单位要明确专人负责。"),
        ];
        assert_eq!(
            page_blocks(&words),
            [
                Block::Line("为做好工作，现将重点任务分解如下。".into()),
                Block::Table(vec![
                    vec![
                        "序号".into(),
                        "工作任务".into(),
                        "责任单位".into(),
                        "完成时限".into()
                    ],
                    vec![
                        "1".into(),
                        "按时发布年度报告".into(),
                        "区政府办".into(),
                        "2026年1月31日前".into()
                    ],
                    vec![
                        "2".into(),
                        "依法答复申请".into(),
                        "各部门".into(),
                        "持续推进".into()
                    ],
                ]),
                Block::Line("各单位要明确专人负责。".into()),
            ]
        );
    }

    #[test]
    fn words_a_space_apart_stay_one_line_of_text() {
        let words = [
            word(56.8, 31.0, 294.8, "福州市鼓楼区人民政府办公室关于做好"),
            word(297.6, 31.0, 328.8, "2026"),
            word(331.7, 31.0, 471.7, "年政务公开工作的通知"),
            word(56.8, 65.0, 172.5, "鼓政办〔2026〕12"),
            word(175.3, 65.0, 189.3, "号"),
        ];
        assert_eq!(
            page_blocks(&words),
            [
                Block::Line("福州市鼓楼区人民政府办公室关于做好 2026 年政务公开工作的通知".into()),
                Block::Line("鼓政办〔2026〕12 号".into()),
            ]
        );
    }

    #[test]
    fn the_bbox_xhtml_is_read_page_by_page_and_odd_lines_are_passed_over() {
        let xhtml = r#"<doc>
  <page width="595.0" height="842.0">
    <word xMin="56.8" yMin="31.0" xMax="150.0" yMax="46.0">关于&lt;试行&gt;&amp;</word>
    <word xMin="152.0" yMin="31.0" xMax="200.0" yMax="46.0">通知</word>
    <word xMin="56.8" yMin="65.0" yMax="80.0">没有右边界</word>
    <word xMin="56.8" yMin="99.0" xMax="90.0" yMax="114.0">未闭合
  </page>
  <page width="0" height="842.0">
    <word xMin="1" yMin="1" xMax="2" yMax="2">无宽度的页</word>
  </page>
  <word xMin="1" yMin="1" xMax="2" yMax="2">页外</word>
  <page width="595.0" height="842.0">
    <word xMin="56.8" yMin="31.0" xMax="90.0" yMax="46.0">第二页</word>
  </page>
</doc>"#;
        assert_eq!(
            blocks_of_bbox(xhtml),
            [
                Block::Line("关于<试行>& 通知".into()),
                Block::Line("未闭合".into()),
                Block::Line("第二页".into()),
            ]
        );
        assert!(blocks_of_bbox("").is_empty());
        assert!(blocks_of_bbox("<page width=\"-1e400\" height=\"NaN\">\n</page>").is_empty());
    }
}
