//! The annual report as the files offices publish: DOCX (printed, stamped, attached to the
//! published record) and XLSX (the tables as a spreadsheet), both drawn from the grids of
//! [`gongkai_domain::report_layout`], so they show what the page shows, cell for cell.

use std::io::Cursor;

use gongkai_domain::report::{AnnualReport, SECTION_HEADINGS, statistics_period};
use gongkai_domain::report_layout::{self, CellKind, Grid, Source};

use crate::{Error, Result};

/// The report's sections 一 to 六 as paragraphs: the office's text for 一, 五 and 六 (a
/// placeholder sentence where it has written nothing), `None` where a table stands.
fn section_texts(report: &AnnualReport) -> [Option<Vec<String>>; 6] {
    let paragraphs = |text: &str| {
        let p: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if p.is_empty() {
            vec!["（本机关尚未填写）".to_owned()]
        } else {
            p
        }
    };
    [
        Some(paragraphs(&report.sections.overview)),
        None,
        None,
        None,
        Some(paragraphs(&report.sections.problems)),
        Some(paragraphs(&report.sections.other)),
    ]
}

/// The width of the text area of an A4 page with GB/T 9704 margins (156 mm), in twips.
const TEXT_WIDTH: usize = 8844;

/// Column widths of a grid in twips, filling the text width: the label columns of table 三
/// and the first column of table 二 take what the figures do not need.
fn docx_columns(g: &Grid) -> Vec<usize> {
    match g.width {
        10 => {
            let figure = 700;
            let rest = TEXT_WIDTH - 7 * figure;
            let mut w = vec![560, 800, rest - 560 - 800];
            w.extend([figure; 7]);
            w
        }
        4 => vec![2844, 2000, 2000, 2000],
        n => vec![TEXT_WIDTH / n; n],
    }
}

/// The report as a DOCX: the title, the statistics period, the six sections under their
/// headings, the tables with their merged cells, on A4 with the 公文 margins and fonts.
pub fn docx(report: &AnnualReport, org_name: &str) -> Result<Vec<u8>> {
    use docx_rs::{
        AlignmentType, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts, SpecialIndentType,
        Table, TableCell, TableRow, VAlignType, VMergeType, WidthType,
    };
    let fonts = |east_asia: &str| {
        RunFonts::new()
            .east_asia(east_asia)
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman")
    };
    let body = |t: &str| {
        Paragraph::new()
            .add_run(Run::new().add_text(t).fonts(fonts("仿宋_GB2312")).size(32))
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(560),
            )
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
    };
    let heading = |t: &str| {
        Paragraph::new()
            .add_run(Run::new().add_text(t).fonts(fonts("黑体")).size(32))
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(560),
            )
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
    };
    let cell_text = |t: &str, kind: CellKind| {
        let run = Run::new().add_text(t).fonts(fonts("宋体")).size(18);
        let run = if kind == CellKind::Header {
            run.bold()
        } else {
            run
        };
        let align = match kind {
            CellKind::Label => AlignmentType::Left,
            _ => AlignmentType::Center,
        };
        Paragraph::new().add_run(run).align(align)
    };
    let title = report_layout::title(org_name, report.year);
    let mut doc = crate::letters::official_page()
        .add_paragraph(crate::letters::official_title(&title))
        .add_paragraph(body(""))
        .add_paragraph(body(&statistics_period(report.year)));
    let grids = report_layout::grids(report);
    let texts = section_texts(report);
    for (i, heading_text) in SECTION_HEADINGS.iter().enumerate() {
        doc = doc.add_paragraph(heading(heading_text));
        if let Some(paragraphs) = &texts[i] {
            for p in paragraphs {
                doc = doc.add_paragraph(body(p));
            }
            continue;
        }
        let Some(g) = grids.iter().find(|g| g.section == *heading_text) else {
            continue;
        };
        let widths = docx_columns(g);
        let mut rows = Vec::with_capacity(g.height);
        for r in 0..g.height {
            let mut cells = Vec::new();
            let mut c = 0;
            while c < g.width {
                let Some(cell) = g.at(r, c) else {
                    return Err(Error::internal(format!(
                        "{} ({r}, {c}) uncovered",
                        g.section
                    )));
                };
                let width: usize = widths[cell.col..cell.col + cell.cols].iter().sum();
                let mut tc = TableCell::new()
                    .width(width, WidthType::Dxa)
                    .vertical_align(VAlignType::Center);
                if cell.cols > 1 {
                    tc = tc.grid_span(cell.cols);
                }
                if cell.row == r {
                    tc = tc.add_paragraph(cell_text(&cell.text, cell.kind));
                    if cell.rows > 1 {
                        tc = tc.vertical_merge(VMergeType::Restart);
                    }
                } else {
                    tc = tc
                        .add_paragraph(Paragraph::new())
                        .vertical_merge(VMergeType::Continue);
                }
                cells.push(tc);
                c += cell.cols;
            }
            rows.push(TableRow::new(cells));
        }
        doc = doc
            .add_table(
                Table::new(rows)
                    .set_grid(widths)
                    .width(TEXT_WIDTH, WidthType::Dxa),
            )
            .add_paragraph(body(""));
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| Error::internal(format!("docx: {e}")))?;
    Ok(out.into_inner())
}

/// The worksheet names of the XLSX: the report's text, then one sheet per table.
pub const XLSX_SHEETS: [&str; 4] = [
    "年度报告",
    "表二 主动公开",
    "表三 依申请公开",
    "表四 复议诉讼",
];

/// The report as an XLSX: a first sheet with the title, the statistics period and the six
/// sections (the tables' sections pointing to their sheets), then tables 二, 三 and 四, each
/// on its own sheet under its section heading, laid out as in the template with merged cells
/// and the figures as numbers.
pub fn xlsx(report: &AnnualReport, org_name: &str) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("xlsx: {e}"));
    let font = |f: Format| f.set_font_name("宋体").set_font_size(11);
    let title_format = font(Format::new())
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let heading_format = font(Format::new()).set_bold();
    let text_format = font(Format::new())
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let boxed = |f: Format| {
        font(f)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
    };
    let header = boxed(Format::new())
        .set_bold()
        .set_align(FormatAlign::Center);
    let label = boxed(Format::new()).set_align(FormatAlign::Left);
    let figure = boxed(Format::new()).set_align(FormatAlign::Center);
    let fee = boxed(Format::new())
        .set_align(FormatAlign::Center)
        .set_num_format("0.####");

    let mut workbook = Workbook::new();
    let title = report_layout::title(org_name, report.year);
    let texts = section_texts(report);
    let grids = report_layout::grids(report);
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(XLSX_SHEETS[0]).map_err(err)?;
        sheet.set_column_width(0, 100).map_err(err)?;
        sheet.set_row_height(0, 30).map_err(err)?;
        sheet
            .write_string_with_format(0, 0, &title, &title_format)
            .map_err(err)?;
        sheet
            .write_string_with_format(1, 0, statistics_period(report.year), &text_format)
            .map_err(err)?;
        let mut row = 3u32;
        for (i, heading_text) in SECTION_HEADINGS.iter().enumerate() {
            sheet
                .write_string_with_format(row, 0, *heading_text, &heading_format)
                .map_err(err)?;
            row += 1;
            let paragraphs = match &texts[i] {
                Some(p) => p.clone(),
                None => vec![format!("见工作表“{}”。", XLSX_SHEETS[i])],
            };
            for p in paragraphs {
                // About 50 characters to a line of a 100-wide column.
                let lines = (p.chars().count() / 50 + 1) as f64;
                sheet.set_row_height(row, 15.0 * lines).map_err(err)?;
                sheet
                    .write_string_with_format(row, 0, &p, &text_format)
                    .map_err(err)?;
                row += 1;
            }
            row += 1;
        }
    }
    for (g, name) in grids.iter().zip(&XLSX_SHEETS[1..]) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).map_err(err)?;
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        let widths: Vec<f64> = match g.width {
            10 => [8.0, 14.0, 56.0].into_iter().chain([11.0; 7]).collect(),
            4 => vec![22.0, 16.0, 16.0, 16.0],
            n => vec![9.0; n],
        };
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, *w).map_err(err)?;
        }
        // Rows tall enough for their wrapped labels (a CJK character is two units wide).
        for r in 0..g.height {
            let lines = g
                .cells
                .iter()
                .filter(|c| c.row == r && c.rows == 1)
                .map(|c| {
                    let units: usize = c
                        .text
                        .chars()
                        .map(|ch| if ch.is_ascii() { 1 } else { 2 })
                        .sum();
                    let room: f64 = widths[c.col..c.col + c.cols].iter().sum::<f64>() - 1.0;
                    (units as f64 / room.max(1.0)).ceil().max(1.0)
                })
                .fold(1.0, f64::max);
            sheet
                .set_row_height(2 + r as u32, 15.0 * lines)
                .map_err(err)?;
        }
        let last = (g.width - 1) as u16;
        sheet
            .merge_range(0, 0, 0, last, g.section, &heading_format)
            .map_err(err)?;
        let top = 2u32;
        for cell in &g.cells {
            let (r0, c0) = (top + cell.row as u32, cell.col as u16);
            let (r1, c1) = (r0 + cell.rows as u32 - 1, c0 + cell.cols as u16 - 1);
            let format = match cell.kind {
                CellKind::Header => &header,
                CellKind::Label => &label,
                CellKind::Number if cell.value.is_some_and(|v| v.fract() != 0.0) => &fee,
                CellKind::Number => &figure,
            };
            let merged = (r0, c0) != (r1, c1);
            match cell.value {
                Some(v) => {
                    if merged {
                        sheet.merge_range(r0, c0, r1, c1, "", format).map_err(err)?;
                    }
                    sheet
                        .write_number_with_format(r0, c0, v, format)
                        .map_err(err)?;
                }
                None if merged => {
                    sheet
                        .merge_range(r0, c0, r1, c1, &cell.text, format)
                        .map_err(err)?;
                }
                None => {
                    sheet
                        .write_string_with_format(r0, c0, &cell.text, format)
                        .map_err(err)?;
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(err)
}

/// The report's sections and tables as HTML (no `<h1>`, no page around it): the body of the
/// published record, of the office's page and of `report annual --format html`. `link`
/// gives the address of the records behind a figure, for those allowed to see them.
pub fn html_body(report: &AnnualReport, link: impl Fn(&Source) -> Option<String>) -> String {
    use crate::body::escape_into;
    let mut out = String::new();
    out.push_str("<p>");
    escape_into(&statistics_period(report.year), &mut out);
    out.push_str("</p>\n");
    let grids = report_layout::grids(report);
    let texts = section_texts(report);
    for (i, heading) in SECTION_HEADINGS.iter().enumerate() {
        out.push_str("<h2>");
        escape_into(heading, &mut out);
        out.push_str("</h2>\n");
        if let Some(paragraphs) = &texts[i] {
            for p in paragraphs {
                out.push_str("<p>");
                escape_into(p, &mut out);
                out.push_str("</p>\n");
            }
            continue;
        }
        let Some(g) = grids.iter().find(|g| g.section == *heading) else {
            continue;
        };
        out.push_str("<div class=\"table-scroll\"><table class=\"report-table\">\n");
        for row in g.rows() {
            out.push_str("<tr>");
            for cell in row {
                let (tag, scope) = match cell.kind {
                    CellKind::Header if cell.cols > 1 => ("th", " scope=\"colgroup\""),
                    CellKind::Header => ("th", " scope=\"col\""),
                    CellKind::Label if cell.rows > 1 => ("th", " scope=\"rowgroup\""),
                    CellKind::Label => ("th", " scope=\"row\""),
                    CellKind::Number => ("td", ""),
                };
                out.push_str(&format!("<{tag}{scope}"));
                if cell.rows > 1 {
                    out.push_str(&format!(" rowspan=\"{}\"", cell.rows));
                }
                if cell.cols > 1 {
                    out.push_str(&format!(" colspan=\"{}\"", cell.cols));
                }
                out.push('>');
                match cell.source.as_ref().and_then(&link) {
                    Some(href) => {
                        out.push_str("<a href=\"");
                        escape_into(&href, &mut out);
                        out.push_str("\">");
                        escape_into(&cell.text, &mut out);
                        out.push_str("</a>");
                    }
                    None => escape_into(&cell.text, &mut out),
                }
                out.push_str(&format!("</{tag}>"));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table></div>\n");
    }
    out
}

/// The report as a page of its own (`report annual --format html`), styled inline so that
/// the file opens and prints anywhere.
pub fn html_page(report: &AnnualReport, org_name: &str) -> String {
    let mut title = String::new();
    crate::body::escape_into(&report_layout::title(org_name, report.year), &mut title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STANDALONE_CSS}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n{}</main>\n</body>\n</html>\n",
        html_body(report, |_| None)
    )
}

const STANDALONE_CSS: &str = "body{font-family:\"Noto Serif CJK SC\",\"Source Han Serif SC\",\
\"SimSun\",serif;color:#1a1a1a;margin:0;padding:1rem;line-height:1.8}\
main{max-width:60rem;margin:0 auto}h1{font-size:1.5rem;text-align:center}\
h2{font-size:1.15rem;margin-top:1.5rem}p{text-indent:2em}\
.table-scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.85rem}\
th,td{border:1px solid #444;padding:.25rem .4rem;line-height:1.4}\
th[scope=col],th[scope=colgroup]{text-align:center;background:#f2f2f2}\
th[scope=row],th[scope=rowgroup]{text-align:left;font-weight:normal}td{text-align:center}\
@media print{body{padding:0}.table-scroll{overflow:visible}}";
