//! The annual report's tables laid out cell by cell as the national template prints them
//! (国办公开办函〔2021〕30号, DOMAIN B §3): merged header cells, the row and column labels word
//! for word, and the numbers with the cell of the JSON (DOMAIN A5) each comes from. The page,
//! the DOCX and the XLSX all draw these grids, so the three cannot differ.
//!
//! The report years 2019 and 2020 use the 2019 format ([`Format::of_year`]): its table 二 has
//! five sub-tables with other columns, and its table 三 has （六）其他处理 as one row without
//! sub-rows.

use crate::report::{
    AnnualReport, COLUMN_HEADER, COLUMN_KEYS, COLUMN_LABELS, LAST_2019_FORMAT_YEAR,
    LEGAL_PERSON_HEADER, PROACTIVE_TABLES, PROACTIVE_TABLES_2019, ProactiveTable,
    ProactiveTemplate, REQUEST_ROWS, REQUEST_TABLE_NOTE, REVIEW_BLOCKS, REVIEW_COLUMNS,
    RequestTable, ReviewTable, SECTION_HEADINGS, TOTAL_COLUMN,
};

/// Which national format a report year uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// 国办公开办函〔2021〕30号, report years from 2021.
    Y2021,
    /// The 2019 format, report years 2019 and 2020.
    Y2019,
}

impl Format {
    /// The format of a report year.
    pub fn of_year(year: i32) -> Format {
        if year > LAST_2019_FORMAT_YEAR {
            Format::Y2021
        } else {
            Format::Y2019
        }
    }
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A column header or a table's caption.
    Header,
    /// A row label.
    Label,
    /// A figure.
    Number,
}

/// The JSON cell (DOMAIN A5) a figure comes from, for links to the records behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Table 三: the row key (`new`, `outcome.disclosed`, …) and column key.
    Request {
        /// The row key.
        row: &'static str,
        /// The column key (`natural_person`, …, `total`).
        column: &'static str,
    },
    /// Table 四: the block key (`reconsideration`, …) and the result key.
    Review {
        /// The block key.
        block: &'static str,
        /// The result key (`upheld`, …, `total`).
        column: &'static str,
    },
}

/// One cell of a grid, at its top-left position, spanning `rows` × `cols`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Grid row (0-based).
    pub row: usize,
    /// Grid column (0-based).
    pub col: usize,
    /// Rows it spans (≥ 1).
    pub rows: usize,
    /// Columns it spans (≥ 1).
    pub cols: usize,
    /// What it shows.
    pub text: String,
    /// Header, label or figure.
    pub kind: CellKind,
    /// For a figure, where it comes from.
    pub source: Option<Source>,
    /// For a figure, its value (the fee in 万元 is a decimal).
    pub value: Option<f64>,
}

/// A table as a grid of merged cells, listed row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The section the table belongs to, e.g. `三、收到和处理政府信息公开申请情况`.
    pub section: &'static str,
    /// Columns in all.
    pub width: usize,
    /// Rows in all.
    pub height: usize,
    /// The cells, ordered by row then column.
    pub cells: Vec<Cell>,
}

impl Grid {
    fn new(section: &'static str, width: usize) -> Self {
        Grid {
            section,
            width,
            height: 0,
            cells: Vec::new(),
        }
    }

    fn put(
        &mut self,
        row: usize,
        col: usize,
        rows: usize,
        cols: usize,
        kind: CellKind,
        text: &str,
    ) {
        self.height = self.height.max(row + rows);
        self.cells.push(Cell {
            row,
            col,
            rows,
            cols,
            text: text.to_owned(),
            kind,
            source: None,
            value: None,
        });
    }

    fn figure(&mut self, row: usize, col: usize, cols: usize, value: f64, source: Option<Source>) {
        self.height = self.height.max(row + 1);
        self.cells.push(Cell {
            row,
            col,
            rows: 1,
            cols,
            text: number_text(value),
            kind: CellKind::Number,
            source,
            value: Some(value),
        });
    }

    fn sort(mut self) -> Self {
        self.cells.sort_by_key(|c| (c.row, c.col));
        self
    }

    /// The cells starting in each row, for an HTML table (`rowspan`/`colspan`).
    pub fn rows(&self) -> Vec<Vec<&Cell>> {
        let mut rows = vec![Vec::new(); self.height];
        for c in &self.cells {
            rows[c.row].push(c);
        }
        rows
    }

    /// The cell covering a position, if any, for formats that mark every covered position
    /// (DOCX vertical merges).
    pub fn at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            (c.row..c.row + c.rows).contains(&row) && (c.col..c.col + c.cols).contains(&col)
        })
    }
}

/// A figure as printed: whole numbers plainly, the fee in 万元 with up to four decimals.
pub fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
    }
    let s = format!("{value:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Table 二: the sub-tables of the year's format as one table, each under its caption. The
/// figure columns are as many as every sub-table's figure count divides (three in the 2021
/// format, six in the 2019 one), so a sub-table with fewer figures spreads each over several.
pub fn proactive_grid(t: &ProactiveTable, format: Format) -> Grid {
    let f = |v: u64| v as f64;
    let (templates, values): (&[ProactiveTemplate], Vec<Vec<Vec<f64>>>) =
        match (format, &t.format_2019) {
            (Format::Y2019, Some(o)) => {
                let catalog = |c: &crate::report::CatalogCounts2019| {
                    vec![f(c.made), f(c.published), f(c.public_total)]
                };
                let items = |r: &crate::report::ItemRow2019| {
                    vec![f(r.previous_items), r.change as f64, f(r.decisions)]
                };
                let fees = vec![f(o.fees.previous_items), o.fees.change as f64];
                (
                    &PROACTIVE_TABLES_2019,
                    vec![
                        vec![catalog(&o.rules), catalog(&o.normative_documents)],
                        vec![items(&o.licensing), items(&o.other_services)],
                        vec![items(&o.punishments), items(&o.coercive_measures)],
                        vec![fees],
                        vec![vec![f(o.procurement_projects), o.procurement_wan_yuan]],
                    ],
                )
            }
            _ => {
                let catalog = |c: &crate::report::CatalogCounts| {
                    vec![f(c.issued), f(c.repealed), f(c.in_force)]
                };
                (
                    &PROACTIVE_TABLES,
                    vec![
                        vec![catalog(&t.rules), catalog(&t.normative_documents)],
                        vec![vec![f(t.licensing_decisions)]],
                        vec![vec![f(t.punishments)], vec![f(t.coercive_measures)]],
                        vec![vec![t.fees_wan_yuan]],
                    ],
                )
            }
        };
    let figure_columns = templates
        .iter()
        .map(|t| t.columns.len() - 1)
        .fold(1, |lcm, n| lcm * n / gcd(lcm, n));
    let mut g = Grid::new(SECTION_HEADINGS[1], 1 + figure_columns);
    let mut row = 0;
    for (template, values) in templates.iter().zip(values) {
        g.put(
            row,
            0,
            1,
            1 + figure_columns,
            CellKind::Header,
            template.caption,
        );
        row += 1;
        let span = figure_columns / (template.columns.len() - 1);
        for (i, header) in template.columns.iter().enumerate() {
            let (col, cols) = if i == 0 {
                (0, 1)
            } else {
                (1 + (i - 1) * span, span)
            };
            g.put(row, col, 1, cols, CellKind::Header, header);
        }
        row += 1;
        for (label, cells) in template.rows.iter().zip(values) {
            g.put(row, 0, 1, 1, CellKind::Label, label);
            for (i, v) in cells.iter().enumerate() {
                g.figure(row, 1 + i * span, span, *v, None);
            }
            row += 1;
        }
    }
    g.sort()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Table 三: the note over the row labels, 申请人情况 over the seven columns, then the rows
/// with their merged group labels (三、本年度办理结果, （三）不予公开, …).
pub fn request_grid(t: &RequestTable, format: Format) -> Grid {
    const LABELS: usize = 3;
    const TOP: usize = 3;
    let mut g = Grid::new(SECTION_HEADINGS[2], LABELS + COLUMN_KEYS.len());
    g.put(0, 0, TOP, LABELS, CellKind::Header, REQUEST_TABLE_NOTE);
    g.put(
        0,
        LABELS,
        1,
        COLUMN_KEYS.len(),
        CellKind::Header,
        COLUMN_HEADER,
    );
    g.put(1, LABELS, 2, 1, CellKind::Header, COLUMN_LABELS[0]);
    g.put(1, LABELS + 1, 1, 5, CellKind::Header, LEGAL_PERSON_HEADER);
    g.put(
        1,
        LABELS + TOTAL_COLUMN,
        2,
        1,
        CellKind::Header,
        COLUMN_LABELS[TOTAL_COLUMN],
    );
    for (i, label) in COLUMN_LABELS[1..TOTAL_COLUMN].iter().enumerate() {
        g.put(2, LABELS + 1 + i, 1, 1, CellKind::Header, label);
    }
    // The rows as printed: in the 2019 format the three rows under （六） are one.
    struct Line {
        headers: &'static [&'static str],
        cell: &'static str,
        key: Option<&'static str>,
        cells: [u64; 7],
    }
    let mut lines: Vec<Line> = Vec::new();
    for (template, cells) in REQUEST_ROWS.iter().zip(t.cells()) {
        let merged = format == Format::Y2019 && template.headers.get(1) == Some(&"（六）其他处理");
        if merged {
            if let Some(last) = lines.last_mut().filter(|l| l.key.is_none()) {
                for (sum, c) in last.cells.iter_mut().zip(cells) {
                    *sum += c;
                }
                continue;
            }
            lines.push(Line {
                headers: &template.headers[..1],
                cell: "（六）其他处理",
                key: None,
                cells: *cells,
            });
            continue;
        }
        lines.push(Line {
            headers: template.headers,
            cell: template.cell,
            key: Some(template.key),
            cells: *cells,
        });
    }
    for (i, line) in lines.iter().enumerate() {
        let row = TOP + i;
        // A group label starts where the row above had another one at that level, and spans
        // the rows that share it.
        for (level, header) in line.headers.iter().enumerate() {
            let starts = i == 0 || lines[i - 1].headers.get(level) != Some(header);
            if starts {
                let span = lines[i..]
                    .iter()
                    .take_while(|l| l.headers.get(level) == Some(header))
                    .count();
                g.put(row, level, span, 1, CellKind::Label, header);
            }
        }
        let depth = line.headers.len();
        g.put(row, depth, 1, LABELS - depth, CellKind::Label, line.cell);
        for (j, v) in line.cells.iter().enumerate() {
            let source = line.key.map(|row| Source::Request {
                row,
                column: COLUMN_KEYS[j],
            });
            g.figure(row, LABELS + j, 1, *v as f64, source);
        }
    }
    g.sort()
}

/// Table 四: 行政复议 (five results) and 行政诉讼 (未经复议直接起诉, 复议后起诉, five each), one
/// row of figures.
pub fn review_grid(t: &ReviewTable) -> Grid {
    let n = REVIEW_COLUMNS.len();
    let mut g = Grid::new(SECTION_HEADINGS[3], n * REVIEW_BLOCKS.len());
    let cells = t.cells();
    for (b, (key, label, parent)) in REVIEW_BLOCKS.iter().enumerate() {
        let col = b * n;
        match parent {
            None => {
                g.put(0, col, 1, n, CellKind::Header, label);
                for (i, (_, l)) in REVIEW_COLUMNS.iter().enumerate() {
                    g.put(1, col + i, 2, 1, CellKind::Header, l);
                }
            }
            Some(parent) => {
                if REVIEW_BLOCKS[b - 1].2 != Some(parent) {
                    let blocks = REVIEW_BLOCKS[b..]
                        .iter()
                        .filter(|x| x.2 == Some(parent))
                        .count();
                    g.put(0, col, 1, n * blocks, CellKind::Header, parent);
                }
                g.put(1, col, 1, n, CellKind::Header, label);
                for (i, (_, l)) in REVIEW_COLUMNS.iter().enumerate() {
                    g.put(2, col + i, 1, 1, CellKind::Header, l);
                }
            }
        }
        for (i, (column, _)) in REVIEW_COLUMNS.iter().enumerate() {
            let source = Source::Review { block: key, column };
            g.figure(3, col + i, 1, cells[col + i] as f64, Some(source));
        }
    }
    g.sort()
}

/// The three tables of a report in its year's format.
pub fn grids(report: &AnnualReport) -> [Grid; 3] {
    let format = Format::of_year(report.year);
    [
        proactive_grid(&report.proactive, format),
        request_grid(&report.requests, format),
        review_grid(&report.reviews),
    ]
}

/// The report's title, e.g. `福州市鼓楼区人民政府办公室2025年政府信息公开工作年度报告`.
pub fn title(org_name: &str, year: i32) -> String {
    format!("{org_name}{year}年政府信息公开工作年度报告")
}
