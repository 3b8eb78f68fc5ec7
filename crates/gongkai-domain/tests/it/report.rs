use gongkai_domain::report::{
    AnnualReport, COLUMN_KEYS, COLUMN_LABELS, COLUMNS, CatalogFacts, OfficeFigures, REQUEST_ROWS,
    ROWS, RequestFacts, RequestRow, RequestTable, ReviewCounts, RuleClass, annual_report, check,
    fen_to_wan_yuan, proactive_table, request_table, review_table,
};
use gongkai_domain::request::{ApplicantType, Outcome, Review, ReviewKind, ReviewResult};
use proptest::prelude::*;
use serde_json::Value;
use time::macros::date;
use time::{Date, Month};

// ---------------------------------------------------------------------------------------------
// Generated requests and a naive table to compare with.

/// xorshift64*: deterministic, no rand crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn day(year: i32, month: u8, d: u8) -> Date {
    Date::from_calendar_date(year, Month::try_from(month).unwrap(), d).unwrap()
}

/// `n` requests of one organization received 2019–2026: every applicant type and every outcome
/// (the first 126 cycle through all pairs), about one in eight never closed, some closed within
/// days (across a year end when received in late December), some years later.
fn generate(seed: u64, n: usize) -> Vec<RequestFacts> {
    let mut rng = Rng(seed);
    let first = day(2019, 1, 1).to_julian_day();
    let span = (day(2026, 12, 31).to_julian_day() - first + 1) as u64;
    (0..n)
        .map(|i| {
            let applicant = if i < 126 {
                ApplicantType::all()[i % 6]
            } else {
                ApplicantType::all()[rng.below(6) as usize]
            };
            let outcome = if i < 126 {
                Outcome::all()[i / 6]
            } else if rng.below(5) == 0 {
                Outcome::Other // withdrawn
            } else {
                Outcome::all()[rng.below(21) as usize]
            };
            let received = if rng.below(10) == 0 {
                // The last days of a December, so that replies cross the year end.
                day(2019 + rng.below(8) as i32, 12, 20 + rng.below(12) as u8)
            } else {
                Date::from_julian_day(first + rng.below(span) as i32).unwrap()
            };
            let closed = match rng.below(8) {
                0 => None,
                1 => Some(rng.below(1000)), // years later, maybe after 2026
                _ => Some(rng.below(40)),
            }
            .map(|delay| (outcome, received + time::Duration::days(delay as i64)));
            RequestFacts {
                applicant,
                received,
                closed,
            }
        })
        .collect()
}

/// Table 三 of `year` decided request by request on plain dates (DOMAIN A4 read literally),
/// totals summed separately.
fn naive_table(year: i32, requests: &[RequestFacts]) -> [[u64; COLUMNS]; ROWS] {
    let start = day(year, 1, 1);
    let end = day(year, 12, 31);
    let mut cells = [[0u64; COLUMNS]; ROWS];
    for r in requests {
        let column = r.applicant.column();
        let is_new = r.received >= start && r.received <= end;
        let is_carried_in = r.received < start
            && match r.closed {
                None => true,
                Some((_, replied)) => replied >= start,
            };
        if is_new {
            cells[0][column] += 1;
        }
        if is_carried_in {
            cells[1][column] += 1;
        }
        if is_new || is_carried_in {
            match r.closed {
                Some((outcome, replied)) if replied <= end => {
                    let row = 2 + Outcome::all().iter().position(|o| *o == outcome).unwrap();
                    cells[row][column] += 1;
                    cells[23][column] += 1;
                }
                _ => cells[24][column] += 1,
            }
        }
    }
    for row in cells.iter_mut() {
        row[6] = row[..6].iter().sum();
    }
    cells
}

fn assert_same(year: i32, table: &RequestTable, expected: &[[u64; COLUMNS]; ROWS], what: &str) {
    for (r, row) in RequestRow::all().enumerate() {
        for (column, expected) in expected[r].iter().enumerate() {
            assert_eq!(
                table.cell(row, column),
                *expected,
                "{what}: {year} row {} column {}",
                row.key(),
                COLUMN_KEYS[column]
            );
        }
    }
}

#[test]
fn table_three_matches_a_naive_count_for_every_year_of_generated_requests() {
    let requests: Vec<RequestFacts> = [11, 22, 33]
        .into_iter()
        .flat_map(|seed| generate(seed, 600))
        .collect();
    assert!(requests.len() >= 1000);
    // The data covers what it claims to.
    for outcome in Outcome::all() {
        for applicant in ApplicantType::all() {
            assert!(
                requests
                    .iter()
                    .any(|r| r.applicant == *applicant && r.closed.map(|c| c.0) == Some(*outcome)),
                "{outcome:?} {applicant:?}"
            );
        }
    }
    assert!(requests.iter().any(|r| r.closed.is_none()));
    assert!(
        requests
            .iter()
            .any(|r| r.closed.is_some_and(|(_, d)| d.year() > r.received.year()))
    );
    for year in 2019..=2026 {
        let table = request_table(year, requests.iter().copied());
        assert_same(year, &table, &naive_table(year, &requests), "generated");
        assert!(table.check().is_empty(), "{year}: {:?}", table.check());
        assert!(table.cell(RequestRow::New, 6) > 100, "{year} has requests");
    }
    assert!(request_table(2024, requests.iter().copied()).cell(RequestRow::CarriedIn, 6) > 0);
}

// ---------------------------------------------------------------------------------------------
// Table 三: the rules of DOMAIN A4, case by case.

/// The rows holding the one request, checked in its column and in 总计; every other cell is 0.
fn rows_of(year: i32, fact: RequestFacts) -> Vec<&'static str> {
    let table = request_table(year, [fact]);
    let column = fact.applicant.column();
    let mut rows = Vec::new();
    for (key, _, cells) in table.rows() {
        for (c, n) in cells.iter().enumerate() {
            let expected = u64::from(c == column || c == 6) * cells[column];
            assert_eq!(*n, expected, "{year} {key} column {c}");
        }
        match cells[column] {
            0 => {}
            1 => rows.push(key),
            n => panic!("{year} {key}: {n}"),
        }
    }
    rows
}

#[test]
fn a_request_is_counted_by_its_receipt_and_reply_dates() {
    let fact = |received: Date, closed: Option<(Outcome, Date)>| RequestFacts {
        applicant: ApplicantType::Research,
        received,
        closed,
    };
    let disclosed = Outcome::Disclosed;
    let cases: &[(RequestFacts, i32, &[&str], &str)] = &[
        (
            fact(
                date!(2024 - 12 - 30),
                Some((disclosed, date!(2025 - 01 - 05))),
            ),
            2024,
            &["new", "carried_out"],
            "received in late December, replied in January: open on 12-31",
        ),
        (
            fact(
                date!(2024 - 12 - 30),
                Some((disclosed, date!(2025 - 01 - 05))),
            ),
            2025,
            &["carried_in", "outcome.disclosed", "outcome.total"],
            "the same request the next year: carried in and replied",
        ),
        (
            fact(
                date!(2024 - 12 - 30),
                Some((disclosed, date!(2025 - 01 - 05))),
            ),
            2026,
            &[],
            "replied before 2026 began",
        ),
        (
            fact(
                date!(2024 - 12 - 30),
                Some((disclosed, date!(2025 - 01 - 05))),
            ),
            2023,
            &[],
            "received after 2023",
        ),
        (
            fact(
                date!(2023 - 06 - 01),
                Some((disclosed, date!(2026 - 02 - 01))),
            ),
            2023,
            &["new", "carried_out"],
            "open three years: received in 2023",
        ),
        (
            fact(
                date!(2023 - 06 - 01),
                Some((disclosed, date!(2026 - 02 - 01))),
            ),
            2024,
            &["carried_in", "carried_out"],
            "open three years: carried through 2024",
        ),
        (
            fact(
                date!(2023 - 06 - 01),
                Some((disclosed, date!(2026 - 02 - 01))),
            ),
            2025,
            &["carried_in", "carried_out"],
            "open three years: carried through 2025",
        ),
        (
            fact(
                date!(2023 - 06 - 01),
                Some((disclosed, date!(2026 - 02 - 01))),
            ),
            2026,
            &["carried_in", "outcome.disclosed", "outcome.total"],
            "open three years: replied in 2026",
        ),
        (
            fact(
                date!(2024 - 03 - 01),
                Some((disclosed, date!(2024 - 12 - 31))),
            ),
            2024,
            &["new", "outcome.disclosed", "outcome.total"],
            "replied on 12-31 is replied on or before Y-12-31",
        ),
        (
            fact(
                date!(2024 - 03 - 01),
                Some((disclosed, date!(2024 - 12 - 31))),
            ),
            2025,
            &[],
            "replied on 12-31 is not carried into the next year",
        ),
        (
            fact(
                date!(2024 - 12 - 31),
                Some((disclosed, date!(2025 - 01 - 01))),
            ),
            2024,
            &["new", "carried_out"],
            "replied on 01-01 is still open on the 12-31 before",
        ),
        (
            fact(
                date!(2024 - 12 - 31),
                Some((disclosed, date!(2025 - 01 - 01))),
            ),
            2025,
            &["carried_in", "outcome.disclosed", "outcome.total"],
            "replied on 01-01 was not replied before Y-01-01: carried in",
        ),
        (
            fact(date!(2025 - 01 - 01), None),
            2024,
            &[],
            "received on 01-01 belongs to the new year only",
        ),
        (
            fact(date!(2025 - 01 - 01), None),
            2025,
            &["new", "carried_out"],
            "received on 01-01 is new that year",
        ),
        (
            fact(date!(2020 - 05 - 05), None),
            2026,
            &["carried_in", "carried_out"],
            "never replied: carried in and out every year",
        ),
        (
            fact(
                date!(2024 - 02 - 01),
                Some((Outcome::Other, date!(2024 - 02 - 10))),
            ),
            2024,
            &["new", "outcome.other.other", "outcome.total"],
            "withdrawn: closed on the withdrawal day as （六）3.其他 (DOMAIN A4)",
        ),
        (
            fact(
                date!(2024 - 02 - 01),
                Some((Outcome::FeeUnpaid, date!(2024 - 03 - 20))),
            ),
            2024,
            &["new", "outcome.other.fee_unpaid", "outcome.total"],
            "fee unpaid: its own row （六）2",
        ),
    ];
    for (fact, year, rows, why) in cases {
        assert_eq!(rows_of(*year, *fact), *rows, "{why}");
    }
}

#[test]
fn each_applicant_type_has_its_column() {
    for (column, applicant) in ApplicantType::all().iter().enumerate() {
        let table = request_table(
            2024,
            [RequestFacts {
                applicant: *applicant,
                received: date!(2024 - 05 - 01),
                closed: None,
            }],
        );
        assert_eq!(table.cell(RequestRow::New, column), 1, "{applicant:?}");
        assert_eq!(table.cell(RequestRow::New, 6), 1, "{applicant:?} in 总计");
        assert_eq!(COLUMN_KEYS[column], applicant.code());
    }
}

#[test]
fn records_of_another_organization_are_left_out_by_the_caller() {
    let ours = generate(1, 400);
    let theirs = generate(2, 400);
    let mixed: Vec<(&str, RequestFacts)> = ours
        .iter()
        .map(|r| ("FZ001", *r))
        .chain(theirs.iter().map(|r| ("FZ002", *r)))
        .collect();
    for year in 2019..=2026 {
        let alone = request_table(year, ours.iter().copied());
        let filtered = request_table(
            year,
            mixed
                .iter()
                .filter(|(org, _)| *org == "FZ001")
                .map(|(_, r)| *r),
        );
        assert_eq!(
            filtered, alone,
            "{year}: the other organization adds nothing"
        );
        let unfiltered = request_table(year, mixed.iter().map(|(_, r)| *r));
        assert_ne!(unfiltered, alone, "{year}: unfiltered, it would");
    }
}

#[test]
fn a_subtree_table_is_the_cell_wise_sum_of_its_organizations() {
    let a = generate(3, 500);
    let b = generate(4, 700);
    for year in 2019..=2026 {
        let ta = request_table(year, a.iter().copied());
        let tb = request_table(year, b.iter().copied());
        let union = request_table(year, a.iter().chain(b.iter()).copied());
        let mut sum = [[0u64; COLUMNS]; ROWS];
        for (r, row) in sum.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                *cell = ta.cells()[r][c] + tb.cells()[r][c];
            }
        }
        assert_eq!(union.cells(), &sum, "{year}");
    }
}

proptest! {
    #[test]
    fn any_requests_give_a_table_that_adds_up(
        raw in proptest::collection::vec(
            (0usize..6, 0i32..3000, proptest::option::of((0usize..21, 0i64..900))),
            0..300,
        ),
        year in 2018i32..2028,
    ) {
        let requests: Vec<RequestFacts> = raw
            .iter()
            .map(|(applicant, received, closed)| {
                let received = date!(2018 - 06 - 01) + time::Duration::days(i64::from(*received));
                RequestFacts {
                    applicant: ApplicantType::all()[*applicant],
                    received,
                    closed: closed.map(|(o, delay)| {
                        (Outcome::all()[o], received + time::Duration::days(delay))
                    }),
                }
            })
            .collect();
        let table = request_table(year, requests.iter().copied());
        prop_assert!(table.check().is_empty(), "{:?}", table.check());
        prop_assert_eq!(table.cells(), &naive_table(year, &requests));
    }
}

#[test]
fn check_names_the_row_the_column_and_both_numbers() {
    let requests = generate(5, 300);
    let good = request_table(2024, requests.iter().copied());
    assert!(good.check().is_empty());
    let natural = good.cell(RequestRow::OutcomeTotal, 0);

    let mut bad = good.clone();
    bad.set_cell(RequestRow::OutcomeTotal, 0, natural + 1);
    let messages: Vec<String> = bad.check().iter().map(|v| v.to_string()).collect();
    let total = good.cell(RequestRow::OutcomeTotal, 6);
    assert_eq!(
        messages,
        [
            format!(
                "表三 第三项（七）总计 列 自然人：{}，应为 {natural}（（七）总计等于（一）至（六）各项之和）",
                natural + 1
            ),
            format!(
                "表三 第三项（七）总计加第四项 列 自然人：{}，应为 {}（第一项加第二项之和，等于第三项加第四项之和）",
                natural + 1 + good.cell(RequestRow::CarriedOut, 0),
                good.cell(RequestRow::New, 0) + good.cell(RequestRow::CarriedIn, 0),
            ),
            format!(
                "表三 第三项（七）总计 列 总计：{total}，应为 {}（总计等于自然人与法人或其他组织五列之和）",
                total + 1
            ),
        ],
        "one wrong cell breaks three sums, each reported"
    );

    for (row, column, named, why) in [
        (
            RequestRow::New,
            3,
            "第一项",
            "一 too large: its 总计 no longer adds up",
        ),
        (
            RequestRow::New,
            3,
            "第三项（七）总计加第四项",
            "一 too large: 一 + 二 ≠ 三 + 四",
        ),
        (
            RequestRow::Outcome(Outcome::Duplicate),
            6,
            "第三项（五）2.重复申请",
            "总计 cell of one outcome",
        ),
        (
            RequestRow::CarriedOut,
            5,
            "第三项（七）总计加第四项",
            "四 too large",
        ),
    ] {
        let mut bad = good.clone();
        bad.set_cell(row, column, good.cell(row, column) + 7);
        let violations = bad.check();
        assert!(!violations.is_empty(), "{why}");
        assert!(
            violations
                .iter()
                .any(|v| v.found.abs_diff(v.expected) == 7 && v.row == named),
            "{why}: {violations:?}"
        );
    }

    let from_cells = RequestTable::from_cells([[1; COLUMNS]; ROWS]);
    assert!(
        !from_cells.check().is_empty(),
        "a table of ones adds up nowhere"
    );
}

#[test]
fn the_template_labels_agree_with_the_outcome_codes() {
    let rows: Vec<RequestRow> = RequestRow::all().collect();
    assert_eq!(rows.len(), ROWS);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.index(), i);
        assert_eq!(row.key(), REQUEST_ROWS[i].key);
        if let RequestRow::Outcome(o) = row {
            assert_eq!(row.key(), o.row_key(), "key of {o:?}");
            assert_eq!(row.label(), o.row_label(), "label of {o:?} (DOMAIN A2)");
            assert!(row.template().label.ends_with(row.template().cell));
            assert!(
                format!("第三项{}", row.label()).starts_with(row.template().citation),
                "citation of {o:?}"
            );
        }
    }
    assert_eq!(
        COLUMN_LABELS,
        [
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The JSON of DOMAIN A5.

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

fn empty_report() -> AnnualReport {
    annual_report(
        "FZ001",
        2021,
        Vec::<RequestFacts>::new(),
        Vec::new(),
        &[],
        &OfficeFigures::default(),
    )
}

#[test]
fn the_json_has_the_shape_of_domain_a5_key_by_key() {
    let report = empty_report();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        keys(&json),
        sorted(vec![
            "org",
            "year",
            "proactive",
            "requests",
            "reviews",
            "sections"
        ])
    );
    assert_eq!(json["org"], "FZ001");
    assert_eq!(json["year"], 2021);

    let proactive = &json["proactive"];
    assert_eq!(
        keys(proactive),
        sorted(vec![
            "rules",
            "normative_documents",
            "licensing_decisions",
            "punishments",
            "coercive_measures",
            "fees_wan_yuan"
        ])
    );
    for class in ["rules", "normative_documents"] {
        assert_eq!(
            keys(&proactive[class]),
            sorted(vec!["issued", "repealed", "in_force"])
        );
        for key in ["issued", "repealed", "in_force"] {
            assert_eq!(proactive[class][key], 0, "{class}.{key}");
        }
    }
    for key in ["licensing_decisions", "punishments", "coercive_measures"] {
        assert_eq!(proactive[key], 0, "{key}");
    }
    assert!(
        proactive["fees_wan_yuan"].is_f64(),
        "a decimal, printed 0.0"
    );

    let requests = &json["requests"];
    assert_eq!(keys(requests), sorted(vec!["columns", "rows"]));
    assert_eq!(
        requests["columns"],
        serde_json::json!([
            "natural_person",
            "legal.commercial",
            "legal.research",
            "legal.public_interest",
            "legal.legal_services",
            "legal.other",
            "total"
        ])
    );
    let rows = &requests["rows"];
    let mut expected_rows = vec!["new", "carried_in"];
    let outcome_keys: Vec<String> = Outcome::all().iter().map(|o| o.row_key()).collect();
    expected_rows.extend(outcome_keys.iter().map(String::as_str));
    expected_rows.extend(["outcome.total", "carried_out"]);
    assert_eq!(expected_rows.len(), 25, "21 outcomes, even when zero");
    assert_eq!(keys(rows), sorted(expected_rows.clone()));
    for row in &expected_rows {
        assert_eq!(keys(&rows[row]), sorted(COLUMN_KEYS.to_vec()), "{row}");
        for column in COLUMN_KEYS {
            assert_eq!(rows[row][column], 0, "{row}.{column}");
        }
    }

    let reviews = &json["reviews"];
    assert_eq!(
        keys(reviews),
        sorted(vec![
            "reconsideration",
            "litigation_direct",
            "litigation_after_reconsideration"
        ])
    );
    for block in [
        "reconsideration",
        "litigation_direct",
        "litigation_after_reconsideration",
    ] {
        assert_eq!(
            keys(&reviews[block]),
            sorted(vec!["upheld", "corrected", "other", "pending", "total"]),
            "{block}"
        );
    }
    assert_eq!(
        keys(&json["sections"]),
        sorted(vec!["overview", "problems", "other"])
    );
}

#[test]
fn the_json_keeps_the_template_order() {
    let text = serde_json::to_string(&empty_report()).unwrap();
    let mut ordered: Vec<String> = [
        "org",
        "year",
        "proactive",
        "rules",
        "normative_documents",
        "licensing_decisions",
        "punishments",
        "coercive_measures",
        "fees_wan_yuan",
        "requests",
        "columns",
        "rows",
        "new",
        "carried_in",
    ]
    .iter()
    .map(|k| format!("\"{k}\":"))
    .collect();
    ordered.extend(
        Outcome::all()
            .iter()
            .map(|o| format!("\"{}\":", o.row_key())),
    );
    ordered.extend(
        [
            "outcome.total",
            "carried_out",
            "reviews",
            "reconsideration",
            "litigation_direct",
            "litigation_after_reconsideration",
            "sections",
            "overview",
            "problems",
        ]
        .iter()
        .map(|k| format!("\"{k}\":")),
    );
    let mut last = 0;
    for key in &ordered {
        let at = text[last..]
            .find(key.as_str())
            .unwrap_or_else(|| panic!("{key} after position {last} in {text}"));
        last += at + key.len();
    }
    assert!(text.contains(
        "{\"natural_person\":0,\"legal.commercial\":0,\"legal.research\":0,\"legal.public_interest\":0,\"legal.legal_services\":0,\"legal.other\":0,\"total\":0}"
    ));
    assert!(text.contains("{\"upheld\":0,\"corrected\":0,\"other\":0,\"pending\":0,\"total\":0}"));
    assert!(text.contains("\"fees_wan_yuan\":0.0"));
}

#[test]
fn the_json_carries_the_counts_and_the_office_text() {
    let figures = OfficeFigures {
        licensing_decisions: 12,
        punishments: 3,
        coercive_measures: 1,
        fees_fen: 40_000,
        overview: "总体情况".to_owned(),
        problems: "问题".to_owned(),
        other: "收取信息处理费共计400元".to_owned(),
        ..OfficeFigures::default()
    };
    let report = annual_report(
        "FZ001",
        2024,
        [RequestFacts {
            applicant: ApplicantType::LegalServices,
            received: date!(2024 - 04 - 01),
            closed: Some((Outcome::NotHeld, date!(2024 - 04 - 20))),
        }],
        [Review {
            kind: ReviewKind::LitigationDirect,
            filed: date!(2024 - 06 - 01),
            decision: None,
        }],
        &[CatalogFacts {
            class: RuleClass::NormativeDocument,
            issued: date!(2024 - 02 - 01),
            repealed: None,
            published: None,
        }],
        &figures,
    );
    assert!(check(&report).is_empty());
    let json = serde_json::to_value(&report).unwrap();
    let rows = &json["requests"]["rows"];
    assert_eq!(rows["new"]["legal.legal_services"], 1);
    assert_eq!(
        rows["outcome.unavailable.not_held"]["legal.legal_services"],
        1
    );
    assert_eq!(rows["outcome.unavailable.not_held"]["total"], 1);
    assert_eq!(rows["outcome.total"]["total"], 1);
    assert_eq!(rows["carried_out"]["total"], 0);
    assert_eq!(json["reviews"]["litigation_direct"]["pending"], 1);
    assert_eq!(json["reviews"]["litigation_direct"]["total"], 1);
    assert_eq!(json["proactive"]["normative_documents"]["in_force"], 1);
    assert_eq!(json["proactive"]["licensing_decisions"], 12);
    assert_eq!(json["proactive"]["fees_wan_yuan"], 0.04);
    assert_eq!(json["sections"]["other"], "收取信息处理费共计400元");
}

// ---------------------------------------------------------------------------------------------
// Table 四.

#[test]
fn a_case_counts_in_the_year_it_was_filed_by_its_result_on_december_31() {
    let case = |kind, filed, decision| Review {
        kind,
        filed,
        decision,
    };
    let counts = |upheld, corrected, other, pending| ReviewCounts {
        upheld,
        corrected,
        other,
        pending,
        total: upheld + corrected + other + pending,
    };
    use ReviewKind::*;
    use ReviewResult::*;
    for (review, year, expected, why) in [
        (
            case(
                Reconsideration,
                date!(2024 - 03 - 01),
                Some((Upheld, date!(2024 - 05 - 01))),
            ),
            2024,
            counts(1, 0, 0, 0),
            "filed and decided in the year",
        ),
        (
            case(
                Reconsideration,
                date!(2024 - 11 - 01),
                Some((Corrected, date!(2025 - 02 - 01))),
            ),
            2024,
            counts(0, 0, 0, 1),
            "decided next year: pending in the filing year",
        ),
        (
            case(
                Reconsideration,
                date!(2024 - 11 - 01),
                Some((Corrected, date!(2025 - 02 - 01))),
            ),
            2025,
            counts(0, 0, 0, 0),
            "and not counted again in the year it was decided",
        ),
        (
            case(
                LitigationDirect,
                date!(2024 - 01 - 01),
                Some((Other, date!(2024 - 12 - 31))),
            ),
            2024,
            counts(0, 0, 1, 0),
            "filed 01-01, decided 12-31: both inside the year",
        ),
        (
            case(LitigationDirect, date!(2023 - 12 - 31), None),
            2024,
            counts(0, 0, 0, 0),
            "filed the year before: not in this year's table",
        ),
        (
            case(LitigationDirect, date!(2025 - 01 - 01), None),
            2024,
            counts(0, 0, 0, 0),
            "filed the year after",
        ),
        (
            case(LitigationAfterReconsideration, date!(2024 - 07 - 01), None),
            2024,
            counts(0, 0, 0, 1),
            "never decided: pending",
        ),
        (
            case(
                LitigationAfterReconsideration,
                date!(2024 - 07 - 01),
                Some((Corrected, date!(2024 - 09 - 01))),
            ),
            2024,
            counts(0, 1, 0, 0),
            "corrected in the year",
        ),
    ] {
        let table = review_table(year, [review]);
        assert_eq!(*table.block(review.kind), expected, "{why}");
        for kind in ReviewKind::all() {
            if *kind != review.kind {
                assert_eq!(
                    *table.block(*kind),
                    ReviewCounts::default(),
                    "{why}: {kind:?}"
                );
            }
        }
        assert!(table.check().is_empty(), "{why}");
        // The column counted is the one `Review::result_on(Y-12-31)` names.
        let column = match review.result_on(day(year, 12, 31)) {
            Some(Upheld) => 0,
            Some(Corrected) => 1,
            Some(Other) => 2,
            None => 3,
        };
        let cells = table.block(review.kind).cells();
        assert_eq!(
            cells[column], expected.total,
            "{why}: agrees with Review::result_on"
        );
    }
}

#[test]
fn table_four_adds_up_over_many_cases_and_reports_a_wrong_total() {
    let mut rng = Rng(9);
    let reviews: Vec<Review> = (0..500)
        .map(|_| {
            let filed = day(
                2019 + rng.below(8) as i32,
                1 + rng.below(12) as u8,
                1 + rng.below(28) as u8,
            );
            let decision = (rng.below(4) != 0).then(|| {
                (
                    ReviewResult::all()[rng.below(3) as usize],
                    filed + time::Duration::days(rng.below(500) as i64),
                )
            });
            Review {
                kind: ReviewKind::all()[rng.below(3) as usize],
                filed,
                decision,
            }
        })
        .collect();
    let mut all_years = 0;
    for year in 2019..=2026 {
        let table = review_table(year, reviews.iter().copied());
        assert!(table.check().is_empty());
        let filed = reviews.iter().filter(|r| r.filed.year() == year).count() as u64;
        let cells = table.cells();
        assert_eq!(
            cells[4] + cells[9] + cells[14],
            filed,
            "{year}: the three 总计 cells"
        );
        assert_eq!(
            table.reconsideration.total
                + table.litigation_direct.total
                + table.litigation_after_reconsideration.total,
            filed,
            "{year}"
        );
        all_years += filed;
    }
    assert_eq!(all_years, 500);

    let mut bad = review_table(2024, reviews.iter().copied());
    bad.litigation_after_reconsideration.total += 2;
    let t = bad.litigation_after_reconsideration.total;
    assert_eq!(
        bad.check()
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>(),
        [format!(
            "表四 行政诉讼（复议后起诉） 列 总计：{t}，应为 {}（总计等于结果维持、结果纠正、其他结果、尚未审结之和）",
            t - 2
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// Table 二.

#[test]
fn rules_and_normative_documents_are_counted_at_the_year_boundaries() {
    let doc = |class, issued, repealed| CatalogFacts {
        class,
        issued,
        repealed,
        published: None,
    };
    use RuleClass::*;
    for (facts, year, (issued, repealed, in_force), why) in [
        (
            doc(Rule, date!(2024 - 01 - 01), None),
            2024,
            (1, 0, 1),
            "issued 01-01: issued and in force",
        ),
        (
            doc(Rule, date!(2024 - 12 - 31), None),
            2024,
            (1, 0, 1),
            "issued 12-31: in force on 12-31",
        ),
        (
            doc(Rule, date!(2025 - 01 - 01), None),
            2024,
            (0, 0, 0),
            "issued the next year",
        ),
        (
            doc(Rule, date!(2020 - 05 - 01), None),
            2024,
            (0, 0, 1),
            "older and still in force",
        ),
        (
            doc(Rule, date!(2020 - 05 - 01), Some(date!(2024 - 12 - 31))),
            2024,
            (0, 1, 0),
            "repealed 12-31: repealed in the year, not in force on 12-31",
        ),
        (
            doc(Rule, date!(2020 - 05 - 01), Some(date!(2025 - 01 - 01))),
            2024,
            (0, 0, 1),
            "repealed the next 01-01: still in force",
        ),
        (
            doc(Rule, date!(2020 - 05 - 01), Some(date!(2023 - 06 - 01))),
            2024,
            (0, 0, 0),
            "repealed the year before",
        ),
        (
            doc(Rule, date!(2024 - 02 - 01), Some(date!(2024 - 11 - 01))),
            2024,
            (1, 1, 0),
            "issued and repealed in the same year",
        ),
    ] {
        for class in [Rule, NormativeDocument] {
            let facts = CatalogFacts { class, ..facts };
            let table = proactive_table(year, &[facts], &OfficeFigures::default());
            let (counted, other) = match class {
                Rule => (table.rules, table.normative_documents),
                NormativeDocument => (table.normative_documents, table.rules),
            };
            assert_eq!(
                (counted.issued, counted.repealed, counted.in_force),
                (issued, repealed, in_force),
                "{class:?}: {why}"
            );
            assert_eq!(other, Default::default(), "{class:?}: {why}");
        }
    }
}

#[test]
fn fees_are_converted_from_fen_to_wan_yuan() {
    for (fen, wan_yuan, why) in [
        (4_000_000, 4.0, "4 万元"),
        (40_000, 0.04, "400 元, the S7 fixture"),
        (0, 0.0, "none"),
        (
            123_456_789,
            123.4568,
            "1,234,567.89 元 rounds to the 元: 4 decimals",
        ),
        (149, 0.0001, "1.49 元 rounds down to 1 元"),
        (150, 0.0002, "1.50 元 rounds half up"),
        (49, 0.0, "0.49 元 rounds to nothing"),
        (-150, -0.0002, "a refund rounds away from zero too"),
    ] {
        assert_eq!(fen_to_wan_yuan(fen), wan_yuan, "{why}");
        let figures = OfficeFigures {
            fees_fen: fen,
            ..OfficeFigures::default()
        };
        assert_eq!(
            proactive_table(2024, &[], &figures).fees_wan_yuan,
            wan_yuan,
            "{why}"
        );
    }
    let json = serde_json::to_string(&proactive_table(
        2024,
        &[],
        &OfficeFigures {
            fees_fen: 123_456_789,
            ..OfficeFigures::default()
        },
    ))
    .unwrap();
    assert!(json.contains("\"fees_wan_yuan\":123.4568"), "{json}");
}

#[test]
fn the_office_figures_are_copied_into_table_two() {
    let figures = OfficeFigures {
        licensing_decisions: 1520,
        punishments: 37,
        coercive_measures: 4,
        ..OfficeFigures::default()
    };
    let table = proactive_table(2024, &[], &figures);
    assert_eq!(
        (
            table.licensing_decisions,
            table.punishments,
            table.coercive_measures
        ),
        (1520, 37, 4)
    );
}

#[test]
fn every_cell_names_the_records_it_counts() {
    use gongkai_domain::report::{COLUMN_KEYS, REQUEST_ROWS, RequestCell, ReviewCell};
    let mut x: u64 = 88_172_645_463_325_252;
    let mut below = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let start = date!(2022 - 01 - 01);
    let requests: Vec<RequestFacts> = (0..3_000)
        .map(|_| {
            let received = start + time::Duration::days(below(1_200) as i64);
            RequestFacts {
                applicant: ApplicantType::all()[below(6) as usize],
                received,
                closed: (below(5) > 0).then(|| {
                    (
                        Outcome::all()[below(21) as usize],
                        received + time::Duration::days(below(90) as i64),
                    )
                }),
            }
        })
        .collect();
    let reviews: Vec<Review> = (0..600)
        .map(|_| {
            let filed = start + time::Duration::days(below(1_200) as i64);
            Review {
                kind: ReviewKind::all()[below(3) as usize],
                filed,
                decision: (below(3) > 0).then(|| {
                    (
                        ReviewResult::all()[below(3) as usize],
                        filed + time::Duration::days(below(300) as i64),
                    )
                }),
            }
        })
        .collect();
    for year in 2022..=2025 {
        let report = annual_report(
            "X",
            year,
            requests.iter().copied(),
            reviews.iter().copied(),
            &[],
            &OfficeFigures::default(),
        );
        let json = serde_json::to_value(&report).unwrap();
        for row in REQUEST_ROWS {
            for column in COLUMN_KEYS {
                let cell = RequestCell::of(year, row.key, column).unwrap();
                let n = requests.iter().filter(|r| cell.counts(r)).count();
                assert_eq!(
                    json["requests"]["rows"][row.key][column],
                    serde_json::json!(n),
                    "{year} {} {column}",
                    row.key
                );
            }
        }
        for block in [
            "reconsideration",
            "litigation_direct",
            "litigation_after_reconsideration",
        ] {
            for column in ["upheld", "corrected", "other", "pending", "total"] {
                let cell = ReviewCell::of(year, block, column).unwrap();
                let n = reviews.iter().filter(|r| cell.counts(r)).count();
                assert_eq!(json["reviews"][block][column], serde_json::json!(n));
            }
        }
    }
    assert_eq!(RequestCell::of(2025, "nope", "total"), None);
    assert_eq!(RequestCell::of(2025, "new", "company"), None);
    assert_eq!(RequestCell::of(2025, "outcome.disclosed.x", "total"), None);
    assert_eq!(ReviewCell::of(2025, "appeal", "total"), None);
}

#[test]
fn a_report_record_names_the_year_it_reports_on() {
    use gongkai_domain::report::report_year_of;
    let col = "政府信息公开年度报告";
    for (title, year) in [
        (
            "福州市鼓楼区人民政府办公室2024年政府信息公开工作年度报告",
            Some(2024),
        ),
        ("鼓楼区2019年度政府信息公开工作报告", Some(2019)),
        ("XX局2023年度政府信息公开工作年度报告", Some(2023)),
        ("关于2025年政府信息公开工作年度报告编制的通知", Some(2025)),
        ("政府信息公开工作年度报告", None),
        ("第12年政府信息公开工作年度报告", None),
        ("1999年政府信息公开工作年度报告", None),
    ] {
        assert_eq!(report_year_of(col, title), year, "{title}");
    }
    assert_eq!(
        report_year_of("法定主动公开内容", "鼓楼区2024年政府信息公开工作年度报告"),
        None
    );
}

#[test]
fn reports_are_due_by_31_january_or_31_march_and_judged_against_it() {
    use gongkai_domain::OrgKind;
    use gongkai_domain::report::{DeadlineStatus, publication_deadline};
    assert_eq!(
        publication_deadline(OrgKind::Department, 2025),
        Some(date!(2026 - 01 - 31))
    );
    assert_eq!(
        publication_deadline(OrgKind::Government, 2025),
        Some(date!(2026 - 03 - 31))
    );
    assert_eq!(
        publication_deadline(OrgKind::Office, 2024),
        Some(date!(2025 - 03 - 31))
    );
    assert_eq!(
        publication_deadline(OrgKind::Town, 2024),
        Some(date!(2025 - 01 - 31))
    );
    assert_eq!(publication_deadline(OrgKind::Community, 2024), None);
    let due = date!(2026 - 01 - 31);
    let s = |published, in_progress, today| DeadlineStatus::of(due, published, in_progress, today);
    assert_eq!(
        s(Some(due), false, date!(2026 - 12 - 03)),
        DeadlineStatus::Published {
            on: due,
            late: false
        }
    );
    assert!(s(Some(date!(2026 - 02 - 01)), false, date!(2026 - 12 - 03)).is_breach());
    assert!(
        !s(None, false, due).is_breach(),
        "the deadline day itself is in time"
    );
    assert!(s(None, false, date!(2026 - 02 - 01)).is_breach());
    assert_eq!(
        s(None, true, date!(2026 - 02 - 01)).label(),
        "已逾期（审核签发中）"
    );
    assert_eq!(s(None, true, date!(2026 - 01 - 20)).label(), "审核签发中");
}

#[test]
fn an_adjustment_moves_a_counted_figure_and_the_totals_follow() {
    use gongkai_domain::report::{Adjustment, apply_adjustments, check};
    let facts = [RequestFacts {
        applicant: ApplicantType::NaturalPerson,
        received: date!(2024 - 03 - 01),
        closed: Some((Outcome::Disclosed, date!(2024 - 03 - 20))),
    }];
    let mut report = annual_report(
        "FZ001",
        2024,
        facts,
        Vec::<Review>::new(),
        &[],
        &OfficeFigures::default(),
    );
    let adj = |table, row: &str, column: &str, delta| Adjustment {
        table,
        row: row.to_owned(),
        column: column.to_owned(),
        delta,
        reason: "该申请实为部分公开，原系统误录".to_owned(),
    };
    // 予以公开 → 部分公开: two adjustments, the sums still hold.
    let clipped = apply_adjustments(
        &mut report,
        &[
            adj(3, "outcome.disclosed", "natural_person", -1),
            adj(3, "outcome.partially_disclosed", "natural_person", 1),
            adj(4, "reconsideration", "pending", 2),
        ],
    );
    assert!(clipped.is_empty());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["requests"]["rows"]["outcome.disclosed"]["total"], 0);
    assert_eq!(
        json["requests"]["rows"]["outcome.partially_disclosed"]["total"],
        1
    );
    assert_eq!(json["requests"]["rows"]["outcome.total"]["total"], 1);
    assert_eq!(json["reviews"]["reconsideration"]["total"], 2);
    assert!(check(&report).is_empty(), "{:?}", check(&report));
    // One side only breaks 一 + 二 = 三 + 四, and the check names it.
    apply_adjustments(&mut report, &[adj(3, "new", "legal.research", 1)]);
    assert!(!check(&report).is_empty());
    // Not below 0.
    let clipped = apply_adjustments(&mut report, &[adj(3, "carried_out", "natural_person", -5)]);
    assert_eq!(clipped.len(), 1);
    // What cannot be adjusted, and why.
    for (a, field) in [
        (adj(3, "outcome.total", "natural_person", 1), "row"),
        (adj(3, "new", "total", 1), "column"),
        (adj(3, "nope", "natural_person", 1), "row"),
        (adj(4, "reconsideration", "total", 1), "column"),
        (adj(2, "rules", "issued", 1), "table"),
        (adj(3, "new", "natural_person", 0), "delta"),
        (
            Adjustment {
                reason: " ".to_owned(),
                ..adj(3, "new", "natural_person", 1)
            },
            "reason",
        ),
    ] {
        assert_eq!(a.check().unwrap_err().0, field, "{a:?}");
    }
}
