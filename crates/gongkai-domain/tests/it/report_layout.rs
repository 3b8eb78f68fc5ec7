use gongkai_domain::report::{
    CatalogFacts, Items2019, OfficeFigures, PROACTIVE_TABLES_2019, REQUEST_ROWS, RequestFacts,
    ReviewTable, RuleClass, annual_report, request_table,
};
use gongkai_domain::report_layout::{
    CellKind, Format, Grid, Source, grids, number_text, request_grid, review_grid,
};
use gongkai_domain::request::{ApplicantType, Outcome, Review, ReviewKind, ReviewResult};
use time::macros::date;

/// Every position of the grid is covered by exactly one cell.
fn assert_tiled(g: &Grid) {
    let mut seen = vec![vec![0u8; g.width]; g.height];
    for c in &g.cells {
        assert!(c.rows >= 1 && c.cols >= 1, "{c:?}");
        for row in seen.iter_mut().skip(c.row).take(c.rows) {
            for n in row.iter_mut().skip(c.col).take(c.cols) {
                *n += 1;
            }
        }
        assert!(
            c.row + c.rows <= g.height && c.col + c.cols <= g.width,
            "{c:?}"
        );
    }
    for (r, row) in seen.iter().enumerate() {
        for (col, n) in row.iter().enumerate() {
            assert_eq!(*n, 1, "{} position ({r}, {col})", g.section);
        }
    }
}

fn texts(g: &Grid, kind: CellKind) -> Vec<&str> {
    g.cells
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.text.as_str())
        .collect()
}

fn sample() -> gongkai_domain::report::AnnualReport {
    let requests = [
        (ApplicantType::NaturalPerson, Some(Outcome::Disclosed)),
        (ApplicantType::Commercial, Some(Outcome::StateSecret)),
        (ApplicantType::Research, Some(Outcome::NoCorrection)),
        (ApplicantType::OtherLegal, Some(Outcome::Other)),
        (ApplicantType::LegalServices, None),
    ]
    .map(|(applicant, outcome)| RequestFacts {
        applicant,
        received: date!(2025 - 03 - 02),
        closed: outcome.map(|o| (o, date!(2025 - 04 - 01))),
    });
    let reviews = [Review {
        kind: ReviewKind::LitigationDirect,
        filed: date!(2025 - 05 - 01),
        decision: Some((ReviewResult::Corrected, date!(2025 - 09 - 01))),
    }];
    let figures = OfficeFigures {
        licensing_decisions: 12,
        fees_fen: 123_456,
        ..OfficeFigures::default()
    };
    annual_report("FZ001", 2025, requests, reviews, &[], &figures)
}

#[test]
fn the_three_tables_tile_their_grids_with_the_template_labels() {
    let report = sample();
    let [two, three, four] = grids(&report);
    for g in [&two, &three, &four] {
        assert_tiled(g);
    }
    assert_eq!((three.width, three.height), (10, 28));
    assert_eq!((four.width, four.height), (15, 4));
    assert_eq!((two.width, two.height), (4, 14));
    let labels = texts(&three, CellKind::Label);
    for row in REQUEST_ROWS {
        assert!(labels.contains(&row.cell), "{}", row.cell);
        for h in row.headers {
            assert_eq!(
                labels.iter().filter(|l| *l == h).count(),
                1,
                "{h} printed once, merged"
            );
        }
    }
    let note = &three.cells[0];
    assert_eq!((note.row, note.col, note.rows, note.cols), (0, 0, 3, 3));
    assert!(note.text.contains("第一项加第二项之和"));
    let results = three
        .cells
        .iter()
        .find(|c| c.text == "三、本年度办理结果")
        .unwrap();
    assert_eq!((results.rows, results.cols), (22, 1), "（一）…（七）总计");
    let withheld = three
        .cells
        .iter()
        .find(|c| c.text == "（三）不予公开")
        .unwrap();
    assert_eq!(withheld.rows, 8);
    let headers = texts(&four, CellKind::Header);
    for h in [
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        "尚未审结",
    ] {
        assert!(headers.contains(&h), "{h}");
    }
    for caption in [
        "第二十条第（一）项",
        "第二十条第（八）项",
        "本年收费金额（单位：万元）",
    ] {
        assert!(
            texts(&two, CellKind::Header).contains(&caption),
            "{caption}"
        );
    }
}

#[test]
fn every_figure_is_the_json_cell_it_names() {
    let report = sample();
    let json = serde_json::to_value(&report).unwrap();
    let [two, three, four] = grids(&report);
    let mut n = 0;
    for c in three.cells.iter().chain(&four.cells) {
        let Some(source) = c.source else { continue };
        let want = match source {
            Source::Request { row, column } => &json["requests"]["rows"][row][column],
            Source::Review { block, column } => &json["reviews"][block][column],
        };
        assert_eq!(c.value, want.as_f64(), "{source:?}");
        assert_eq!(c.text, want.to_string());
        n += 1;
    }
    assert_eq!(n, 25 * 7 + 15);
    let figures: Vec<&str> = two
        .cells
        .iter()
        .filter(|c| c.kind == CellKind::Number)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        figures,
        ["0", "0", "0", "0", "0", "0", "12", "0", "0", "0.1235"]
    );
}

#[test]
fn the_2019_format_prints_other_handling_as_one_row() {
    let report = sample();
    let grid = request_grid(&report.requests, Format::Y2019);
    assert_tiled(&grid);
    assert_eq!(grid.height, 28 - 2);
    let other = grid
        .cells
        .iter()
        .find(|c| c.text == "（六）其他处理")
        .unwrap();
    assert_eq!((other.rows, other.cols), (1, 2));
    let row: Vec<f64> = grid
        .cells
        .iter()
        .filter(|c| c.row == other.row && c.kind == CellKind::Number)
        .filter_map(|c| c.value)
        .collect();
    assert_eq!(row, [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 2.0]);
    assert_eq!(Format::of_year(2020), Format::Y2019);
    assert_eq!(Format::of_year(2021), Format::Y2021);
    assert!(grid.cells.iter().all(|c| c.text != "3.其他"));
    // The table itself is the same; only the print merges.
    assert_eq!(request_table(2025, []), request_table(2025, []));
    assert_tiled(&review_grid(&ReviewTable::default()));
}

#[test]
fn the_2019_format_prints_its_own_table_two() {
    let doc = |class, issued, published, repealed| CatalogFacts {
        class,
        issued,
        published,
        repealed,
    };
    let catalog = [
        // Made in 2019, published in 2020, repealed in 2020: still counts as public.
        doc(
            RuleClass::Rule,
            date!(2019 - 12 - 20),
            Some(date!(2020 - 01 - 06)),
            Some(date!(2020 - 06 - 01)),
        ),
        doc(
            RuleClass::NormativeDocument,
            date!(2020 - 03 - 01),
            Some(date!(2020 - 03 - 05)),
            None,
        ),
        doc(
            RuleClass::NormativeDocument,
            date!(2018 - 03 - 01),
            Some(date!(2018 - 03 - 02)),
            None,
        ),
        // Published after the year: not yet public in it.
        doc(
            RuleClass::NormativeDocument,
            date!(2020 - 12 - 30),
            Some(date!(2021 - 01 - 04)),
            None,
        ),
    ];
    let figures = OfficeFigures {
        licensing_decisions: 40,
        punishments: 7,
        coercive_measures: 2,
        fees_fen: 500_000,
        items_2019: Items2019 {
            licensing: (31, -3),
            other_services: (12, 2),
            other_services_decisions: 88,
            punishments: (150, 0),
            coercive_measures: (9, -1),
            fees: (4, -1),
            procurement_projects: 6,
            procurement_fen: 123_456_789,
        },
        ..OfficeFigures::default()
    };
    let report = annual_report(
        "FZ001",
        2020,
        Vec::<RequestFacts>::new(),
        [],
        &catalog,
        &figures,
    );
    let o = report
        .proactive
        .format_2019
        .expect("2020 is in the 2019 format");
    assert_eq!(
        (o.rules.made, o.rules.published, o.rules.public_total),
        (0, 1, 1)
    );
    let n = o.normative_documents;
    assert_eq!((n.made, n.published, n.public_total), (2, 1, 2));
    assert_eq!(o.procurement_wan_yuan, 123.4568);
    // The 2021 figures are still there, and the JSON carries both.
    assert_eq!(report.proactive.rules.repealed, 1);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["proactive"]["format_2019"]["licensing"]["change"], -3);
    assert_eq!(
        json["proactive"]["format_2019"]["licensing"]["decisions"],
        40
    );
    let later = annual_report(
        "FZ001",
        2021,
        Vec::<RequestFacts>::new(),
        [],
        &catalog,
        &figures,
    );
    assert!(later.proactive.format_2019.is_none());
    assert!(
        serde_json::to_value(&later).unwrap()["proactive"]
            .get("format_2019")
            .is_none()
    );

    let [two, ..] = grids(&report);
    assert_tiled(&two);
    assert_eq!((two.width, two.height), (7, 18));
    let headers = texts(&two, CellKind::Header);
    let labels = texts(&two, CellKind::Label);
    for t in PROACTIVE_TABLES_2019 {
        assert!(headers.contains(&t.caption));
        for c in &t.columns[1..] {
            assert!(headers.contains(c), "{c}");
        }
        for r in t.rows {
            assert_eq!(labels.iter().filter(|l| *l == r).count(), 1, "{r}");
        }
    }
    assert!(!headers.contains(&"本年制发件数"));
    let row_of = |label: &str| -> Vec<&str> {
        let at = two.cells.iter().find(|c| c.text == label).unwrap().row;
        two.cells
            .iter()
            .filter(|c| c.row == at && c.kind == CellKind::Number)
            .map(|c| c.text.as_str())
            .collect()
    };
    assert_eq!(row_of("规章"), ["0", "1", "1"]);
    assert_eq!(row_of("行政许可"), ["31", "-3", "40"]);
    assert_eq!(row_of("其他对外管理服务事项"), ["12", "2", "88"]);
    assert_eq!(row_of("行政强制"), ["9", "-1", "2"]);
    assert_eq!(row_of("行政事业性收费"), ["4", "-1"]);
    assert_eq!(row_of("政府集中采购"), ["6", "123.4568"]);
    // Two figures over six columns: three each.
    let at = two
        .cells
        .iter()
        .find(|c| c.text == "行政事业性收费")
        .unwrap()
        .row;
    let spans: Vec<(usize, usize)> = two
        .cells
        .iter()
        .filter(|c| c.row == at && c.kind == CellKind::Number)
        .map(|c| (c.col, c.cols))
        .collect();
    assert_eq!(spans, [(1, 3), (4, 3)]);
}

#[test]
fn figures_print_as_reports_print_them() {
    assert_eq!(number_text(0.0), "0");
    assert_eq!(number_text(1234.0), "1234");
    assert_eq!(number_text(0.04), "0.04");
    assert_eq!(number_text(12.3456), "12.3456");
}
