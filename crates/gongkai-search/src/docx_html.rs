//! A DOCX draft as HTML for the editor: paragraphs, headings (by style or outline level),
//! numbered and bulleted lists, and tables cell by cell, so a 任务分解表 stays a table. The
//! result is escaped here and sanitized again by the caller like any body.

use docx_rs::{
    DocumentChild, Paragraph, ParagraphChild, Run, RunChild, Table, TableCell, TableCellContent,
    TableChild, TableRowChild,
};

use crate::extract::{ExtractError, read_docx};

/// A DOCX document converted for the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocxDraft {
    /// The body as HTML.
    pub html: String,
    /// Its paragraphs as plain text lines, in order (table cells included), for the
    /// proposals of 标题, 发文字号, 成文日期 and 发文机关.
    pub lines: Vec<String>,
    /// After each leading plain paragraph: the length of `html` and of `lines` so far.
    marks: Vec<(usize, usize)>,
}

impl DocxDraft {
    /// The HTML without its first `n` lines when they are whole leading paragraphs (the
    /// 版头 and title, which the record's fields carry).
    pub fn html_without_head(&self, n: usize) -> &str {
        let cut = self
            .marks
            .iter()
            .take_while(|(_, lines)| *lines <= n)
            .last()
            .map_or(0, |(html, _)| *html);
        &self.html[cut..]
    }
}

/// Converts a DOCX upload.
pub fn docx_draft(bytes: &[u8]) -> Result<DocxDraft, ExtractError> {
    let docx = read_docx(bytes)?;
    let mut w = Writer::default();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => w.paragraph(p),
            DocumentChild::Table(t) => w.table(t, 0),
            _ => {}
        }
    }
    w.close_list();
    Ok(DocxDraft {
        html: w.html,
        lines: w.lines,
        marks: w.marks,
    })
}

struct Writer {
    html: String,
    lines: Vec<String>,
    /// The open list: its numbering id.
    list: Option<usize>,
    /// See [`DocxDraft::html_without_head`]; only while nothing but plain paragraphs came.
    marks: Vec<(usize, usize)>,
    leading: bool,
}

impl Default for Writer {
    fn default() -> Self {
        Writer {
            html: String::new(),
            lines: Vec::new(),
            list: None,
            marks: Vec::new(),
            leading: true,
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The heading level of a paragraph style (`Heading1`, `heading 2`, `标题 3`, `Title`).
fn heading_level(style: &str) -> Option<usize> {
    let lower = style.to_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?;
    rest.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=6).contains(n))
}

impl Writer {
    fn text_of(p: &Paragraph) -> String {
        let mut out = String::new();
        for child in &p.children {
            Self::child_text(child, &mut out);
        }
        out.trim().to_owned()
    }

    fn child_text(child: &ParagraphChild, out: &mut String) {
        match child {
            ParagraphChild::Run(run) => Self::run_text(run, out),
            ParagraphChild::Hyperlink(link) => {
                for c in &link.children {
                    Self::child_text(c, out);
                }
            }
            ParagraphChild::Insert(insert) => {
                for c in &insert.children {
                    if let docx_rs::InsertChild::Run(run) = c {
                        Self::run_text(run, out);
                    }
                }
            }
            _ => {}
        }
    }

    fn run_text(run: &Run, out: &mut String) {
        for child in &run.children {
            match child {
                RunChild::Text(t) => out.push_str(&t.text),
                RunChild::Tab(_) => out.push('\t'),
                RunChild::Break(_) | RunChild::CarriageReturn(_) => out.push('\n'),
                _ => {}
            }
        }
    }

    fn close_list(&mut self) {
        if self.list.take().is_some() {
            self.html.push_str("</ol>\n");
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let text = Self::text_of(p);
        if text.is_empty() {
            return;
        }
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self.lines.push(line.to_owned());
        }
        let body = escape(&text).replace('\n', "<br>");
        let prop = &p.property;
        let numbering = prop
            .numbering_property
            .as_ref()
            .and_then(|n| n.id.as_ref())
            .map(|id| id.id);
        if let Some(id) = numbering {
            self.leading = false;
            if self.list != Some(id) {
                self.close_list();
                self.html.push_str("<ol>\n");
                self.list = Some(id);
            }
            self.html.push_str(&format!("<li>{body}</li>\n"));
            return;
        }
        self.close_list();
        let level = prop
            .style
            .as_ref()
            .and_then(|s| heading_level(&s.val))
            .or_else(|| prop.outline_lvl.as_ref().map(|o| o.v + 1));
        match level {
            // The body's own headings start at h2: the page's h1 is the record's title.
            Some(n) => {
                let h = (n + 1).min(6);
                self.html.push_str(&format!("<h{h}>{body}</h{h}>\n"));
            }
            None => self.html.push_str(&format!("<p>{body}</p>\n")),
        }
        if self.leading {
            self.marks.push((self.html.len(), self.lines.len()));
        }
    }

    fn table(&mut self, t: &Table, depth: usize) {
        self.close_list();
        self.leading = false;
        // Cells by row, each with its first grid column, its spans and its HTML; a cell
        // that continues a vertical merge adds a row to the cell above it instead.
        let mut rows: Vec<Vec<OutCell>> = Vec::new();
        for TableChild::TableRow(row) in &t.rows {
            let mut out = Vec::new();
            let mut col = 0usize;
            for TableRowChild::TableCell(cell) in &row.cells {
                let (span, merge) = spans(cell);
                if merge == Merge::Continue {
                    let above = rows
                        .iter_mut()
                        .rev()
                        .find_map(|r| r.iter_mut().find(|c: &&mut OutCell| c.col == col));
                    if let Some(above) = above {
                        above.rowspan += 1;
                        col += span;
                        continue;
                    }
                }
                let html = self.cell_html(cell, depth);
                out.push(OutCell {
                    col,
                    colspan: span,
                    rowspan: 1,
                    html,
                });
                col += span;
            }
            rows.push(out);
        }
        self.html.push_str("<table>\n");
        for row in rows {
            self.html.push_str("<tr>");
            for c in row {
                let mut attrs = String::new();
                if c.colspan > 1 {
                    attrs.push_str(&format!(" colspan=\"{}\"", c.colspan));
                }
                if c.rowspan > 1 {
                    attrs.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
                }
                self.html.push_str(&format!("<td{attrs}>{}</td>", c.html));
            }
            self.html.push_str("</tr>\n");
        }
        self.html.push_str("</table>\n");
    }

    /// A cell's paragraphs, lines apart; a table inside it flattened into its words.
    fn cell_html(&mut self, cell: &TableCell, depth: usize) -> String {
        let mut parts = Vec::new();
        for content in &cell.children {
            match content {
                TableCellContent::Paragraph(p) => {
                    let text = Self::text_of(p);
                    if !text.is_empty() {
                        self.lines.push(text.replace('\n', " "));
                        parts.push(escape(&text).replace('\n', "<br>"));
                    }
                }
                // Nested tables do not survive the sanitizer's layout; their words do.
                TableCellContent::Table(inner) if depth < 4 => {
                    let mut nested = Writer::default();
                    nested.table(inner, depth + 1);
                    self.lines.extend(nested.lines.iter().cloned());
                    parts.push(escape(&nested.lines.join(" ")));
                }
                _ => {}
            }
        }
        parts.join("<br>")
    }
}

/// A cell as written out.
struct OutCell {
    col: usize,
    colspan: usize,
    rowspan: usize,
    html: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// A cell's grid span (w:gridSpan, at least 1, at most 63 as Word allows) and vertical merge
/// (w:vMerge), read through the property's serialized form: docx-rs keeps them private.
fn spans(cell: &TableCell) -> (usize, Merge) {
    let Ok(value) = serde_json::to_value(&cell.property) else {
        return (1, Merge::None);
    };
    let span = value
        .get("gridSpan")
        .and_then(serde_json::Value::as_u64)
        .map_or(1, |n| n.clamp(1, 63) as usize);
    let merge = match value
        .get("verticalMerge")
        .and_then(serde_json::Value::as_str)
    {
        Some("continue") => Merge::Continue,
        Some("restart") => Merge::Restart,
        _ => Merge::None,
    };
    (span, merge)
}
