//! The annual report's table 三 over a generated district, counted again here by DOMAIN A4
//! with plain date comparisons, cell by cell.

use std::io::Cursor;

use gongkai_app::documents::Actor;
use gongkai_app::import::{ImportOptions, import_requests};
use gongkai_app::intake::{NewEvent, add_event};
use gongkai_app::{report, report_files};
use gongkai_domain::{ApplicantType, Outcome};
use gongkai_testkit::builders::org_tree;
use gongkai_testkit::{TestDb, app, db_test};
use serde_json::{Value, json};
use time::{Date, Duration, Month};

/// One generated request as the test knows it.
struct Known {
    org: &'static str,
    applicant: ApplicantType,
    received: Date,
    closed: Option<(Outcome, Date)>,
    /// A 行政复议 or 行政诉讼 case.
    review: Option<Case>,
}

/// A case's kind, day filed, and result with the day decided.
type Case = (&'static str, Date, Option<(&'static str, Date)>);

/// A small deterministic generator (PCG step), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

/// The cell of table 三 for these organizations, year, row key and column key, counted here.
fn expected(known: &[Known], orgs: &[&str], year: i32, row: &str, column: &str) -> u64 {
    let (start, end) = (day(year, 1, 1), day(year, 12, 31));
    known
        .iter()
        .filter(|k| orgs.contains(&k.org))
        .filter(|k| column == "total" || k.applicant.code() == column)
        .filter(|k| {
            let new = start <= k.received && k.received <= end;
            let carried_in = k.received < start && k.closed.is_none_or(|(_, d)| d >= start);
            let closed_in_year = k.closed.filter(|(_, d)| *d <= end);
            match row {
                "new" => new,
                "carried_in" => carried_in,
                "carried_out" => (new || carried_in) && closed_in_year.is_none(),
                "outcome.total" => (new || carried_in) && closed_in_year.is_some(),
                outcome => {
                    (new || carried_in)
                        && closed_in_year
                            .is_some_and(|(o, _)| format!("outcome.{}", o.code()) == outcome)
                }
            }
        })
        .count() as u64
}

db_test!(
    table_three_of_a_generated_district_matches_a_count_made_cell_by_cell,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let today = a.today();
        let orgs = ["GL00101", "GL01007", "LH00201"];
        let mut rng = Rng(20_261_203);
        let mut known = Vec::new();
        let mut lines = String::new();
        for i in 0..1_200 {
            let org = orgs[rng.below(3) as usize];
            let applicant = ApplicantType::all()[rng.below(6) as usize];
            // 2022-01-01 to 2026-08-28, years and their boundaries all crossed.
            let received = day(2022, 1, 1) + Duration::days(rng.below(1_700) as i64);
            let closed = (rng.below(10) < 8).then(|| {
                let outcome = Outcome::all()[rng.below(21) as usize];
                (outcome, received + Duration::days(rng.below(60) as i64))
            });
            let review = closed.filter(|_| rng.below(8) == 0).map(|(_, replied)| {
                let kind = [
                    "reconsideration",
                    "litigation_direct",
                    "litigation_after_reconsideration",
                ][rng.below(3) as usize];
                let filed = replied + Duration::days(1 + rng.below(60) as i64);
                let decided = (rng.below(3) > 0).then(|| {
                    let result = ["upheld", "corrected", "other"][rng.below(3) as usize];
                    (result, filed + Duration::days(rng.below(200) as i64))
                });
                (kind, filed, decided.filter(|(_, d)| *d < today))
            });
            let mut line = json!({
                "org": org, "tracking": format!("G-{i}"), "applicant_type": applicant.code(),
                "received_date": gongkai_domain::format_date_iso(received),
                "outcome": closed.map(|(o, _)| o.code()),
                "replied_date": closed.map(|(_, d)| gongkai_domain::format_date_iso(d)),
            });
            if let Some((kind, filed, decided)) = review {
                line["reviews"] = json!([{
                    "kind": kind, "filed_date": gongkai_domain::format_date_iso(filed),
                    "result": decided.map(|(r, _)| r),
                    "decided_date": decided.map(|(_, d)| gongkai_domain::format_date_iso(d)),
                }]);
            }
            lines.push_str(&format!("{line}\n"));
            known.push(Known {
                org,
                applicant,
                received,
                closed,
                review,
            });
        }
        let r = import_requests(&a, Cursor::new(lines), ImportOptions::default(), |_| {})
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        // Some open ones are replied on the platform today, moving them in the counts.
        let mut replied = 0;
        for (i, k) in known.iter_mut().enumerate() {
            if k.closed.is_some() || i % 3 != 0 {
                continue;
            }
            let outcome = Outcome::NotHeld;
            add_event(
                &a,
                Actor::System,
                &format!("G-{i}"),
                &NewEvent {
                    event: json!({"kind": "replied", "date": gongkai_domain::format_date_iso(today)}),
                    outcome: Some((outcome, vec![outcome.legal_bases()[0]])),
                    letter: None,
                },
            )
            .await
            .unwrap();
            k.closed = Some((outcome, today));
            replied += 1;
        }
        assert!(replied > 50, "{replied}");

        let mut c = a.db().conn().await.unwrap();
        let (kept, recount) = gongkai_store::requests::counts_and_recount(&mut c)
            .await
            .unwrap();
        assert_eq!(kept, recount, "the kept counts are those of the requests");
        drop(c);

        let subjects: [(&str, &[&str]); 4] = [
            ("FZ00101", &["GL00101", "GL01007"]),
            ("GL00101", &["GL00101", "GL01007"]),
            ("GL01007", &["GL01007"]),
            ("LH00201", &["LH00201"]),
        ];
        let mut nonzero = 0;
        for (code, covered) in subjects {
            for year in 2021..=today.year() {
                let (rep, violations) =
                    report::annual(&a, Actor::System, code, year).await.unwrap();
                assert!(violations.is_empty(), "{code} {year}: {violations:?}");
                let json = serde_json::to_value(&rep).unwrap();
                let rows = json["requests"]["rows"].as_object().unwrap();
                assert_eq!(rows.len(), 25, "every row, zeros included");
                let columns: Vec<&str> = json["requests"]["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .collect();
                assert_eq!(columns.len(), 7);
                for (block, _, _) in gongkai_domain::report::REVIEW_BLOCKS {
                    for (column, _) in gongkai_domain::report::REVIEW_COLUMNS {
                        let want = known
                            .iter()
                            .filter(|k| covered.contains(&k.org))
                            .filter_map(|k| k.review)
                            .filter(|(kind, filed, _)| *kind == block && filed.year() == year)
                            .filter(|(_, _, decided)| {
                                let by_year_end = decided.filter(|(_, d)| d.year() <= year);
                                match column {
                                    "total" => true,
                                    "pending" => by_year_end.is_none(),
                                    result => by_year_end.is_some_and(|(r, _)| r == result),
                                }
                            })
                            .count();
                        assert_eq!(
                            json["reviews"][block][column],
                            Value::from(want),
                            "{code} {year} {block} {column}"
                        );
                    }
                }
                for (row, cells) in rows {
                    for column in &columns {
                        let want = expected(&known, covered, year, row, column);
                        assert_eq!(
                            cells[column],
                            Value::from(want),
                            "{code} {year} {row} {column}"
                        );
                        nonzero += u64::from(want > 0);
                    }
                }
            }
        }
        assert!(
            nonzero > 500,
            "the generated set fills the tables: {nonzero}"
        );

        let (rep, _) = report::annual(&a, Actor::System, "GL00101", 2024)
            .await
            .unwrap();
        files_read_back_equal_the_json(&rep);
    }
);

/// The XLSX and DOCX of a report, read back by their labels, hold the figures of its JSON.
fn files_read_back_equal_the_json(rep: &gongkai_domain::report::AnnualReport) {
    use calamine::{Data, DataType, Reader, Xlsx};
    use gongkai_domain::report::{COLUMN_KEYS, REQUEST_ROWS, REVIEW_BLOCKS, REVIEW_COLUMNS};
    let json = serde_json::to_value(rep).unwrap();
    let name = "福州市鼓楼区人民政府办公室";
    let title = format!("{name}2024年政府信息公开工作年度报告");

    let mut book = Xlsx::new(Cursor::new(report_files::xlsx(rep, name).unwrap())).unwrap();
    assert_eq!(book.sheet_names(), report_files::XLSX_SHEETS);
    let text = book.worksheet_range("年度报告").unwrap();
    assert_eq!(text.get_value((0, 0)), Some(&Data::String(title.clone())));
    let three = book.worksheet_range("表三 依申请公开").unwrap();
    let rows: Vec<&[Data]> = three.rows().collect();
    let mut checked = 0;
    for template in REQUEST_ROWS {
        let row = rows
            .iter()
            .find(|r| {
                r.iter()
                    .any(|c| *c == Data::String(template.cell.to_owned()))
            })
            .unwrap_or_else(|| panic!("{} in the XLSX", template.cell));
        let figures: Vec<f64> = row.iter().filter_map(|c| c.get_float()).collect();
        let want: Vec<f64> = COLUMN_KEYS
            .iter()
            .map(|k| json["requests"]["rows"][template.key][k].as_f64().unwrap())
            .collect();
        assert_eq!(figures, want, "{}", template.key);
        checked += 1;
    }
    assert_eq!(checked, 25);
    let four = book.worksheet_range("表四 复议诉讼").unwrap();
    let figures: Vec<f64> = four
        .rows()
        .next_back()
        .unwrap()
        .iter()
        .filter_map(|c| c.get_float())
        .collect();
    let want: Vec<f64> = REVIEW_BLOCKS
        .iter()
        .flat_map(|(b, _, _)| REVIEW_COLUMNS.iter().map(move |(c, _)| (*b, *c)))
        .map(|(b, c)| json["reviews"][b][c].as_f64().unwrap())
        .collect();
    assert_eq!(figures, want);
    let two = book.worksheet_range("表二 主动公开").unwrap();
    let rules: Vec<f64> = two
        .rows()
        .find(|r| r.first() == Some(&Data::String("规章".into())))
        .unwrap()
        .iter()
        .filter_map(|c| c.get_float())
        .collect();
    let p = &json["proactive"]["rules"];
    assert_eq!(
        rules,
        [&p["issued"], &p["repealed"], &p["in_force"]].map(|v| v.as_f64().unwrap())
    );

    let docx = report_files::docx(rep, name).unwrap();
    let lines: Vec<String> = gongkai_search::docx_draft(&docx)
        .unwrap()
        .lines
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines[0], title);
    for heading in gongkai_domain::report::SECTION_HEADINGS {
        assert!(lines.iter().any(|l| l == heading), "{heading}");
    }
    for template in REQUEST_ROWS {
        let at = lines.iter().position(|l| l == template.cell).unwrap();
        let figures: Vec<&str> = lines[at + 1..at + 8].iter().map(String::as_str).collect();
        let want: Vec<String> = COLUMN_KEYS
            .iter()
            .map(|k| json["requests"]["rows"][template.key][k].to_string())
            .collect();
        assert_eq!(figures, want, "{} in the DOCX", template.key);
    }
    let at = lines.iter().position(|l| l == "复议后起诉").unwrap();
    let figures: Vec<&str> = lines[at + 11..at + 26].iter().map(String::as_str).collect();
    let want: Vec<String> = REVIEW_BLOCKS
        .iter()
        .flat_map(|(b, _, _)| REVIEW_COLUMNS.iter().map(move |(c, _)| (*b, *c)))
        .map(|(b, c)| json["reviews"][b][c].to_string())
        .collect();
    assert_eq!(figures, want, "table 四 in the DOCX");
}

db_test!(
    a_migrated_repeal_counts_in_the_year_its_line_gives,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let doc = |title: &str, extra: Value| {
            let mut v = json!({
                "org": "GL00101", "title": title, "doc_number": null, "issuer": "鼓楼区人民政府办公室",
                "topic": "综合政务\\政务公开", "kind": "规范性文件", "written_date": "2020-03-01",
                "published_date": "2020-03-05", "validity": "valid",
                "column": "法定主动公开内容/政策文件", "body_text": "正文"
            });
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            format!("{v}\n")
        };
        let data = doc(
            "关于甲事项的管理办法",
            json!({"validity": "repealed", "validity_changed_date": "2024-06-30"}),
        ) + &doc("关于乙事项的管理办法", json!({}));
        let r = gongkai_app::import::import_documents(
            &a,
            Cursor::new(data),
            ImportOptions::default(),
            |_| {},
        )
        .await
        .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let docs = |year| {
            let a = a.clone();
            async move {
                let (rep, _) = report::annual(&a, Actor::System, "GL00101", year)
                    .await
                    .unwrap();
                serde_json::to_value(&rep).unwrap()["proactive"]["normative_documents"].clone()
            }
        };
        assert_eq!(
            docs(2023).await,
            json!({"issued": 0, "repealed": 0, "in_force": 2})
        );
        assert_eq!(
            docs(2024).await,
            json!({"issued": 0, "repealed": 1, "in_force": 1})
        );
        assert_eq!(
            docs(2020).await,
            json!({"issued": 2, "repealed": 0, "in_force": 2})
        );
        let (rep, _) = report::annual(&a, Actor::System, "GL00101", 2020)
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_value(rep.proactive.format_2019.unwrap()).unwrap()["normative_documents"],
            json!({"made": 2, "published": 2, "public_total": 2}),
            "the 2019 format counts the same records its own way"
        );
        // The export carries the day back, so the history moves on to another platform whole.
        let mut out = Vec::new();
        gongkai_app::export::export_documents(
            &a,
            &mut out,
            gongkai_app::export::Format::Jsonl,
            |_| {},
        )
        .await
        .unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let repealed = lines
            .iter()
            .find(|l| l["title"] == "关于甲事项的管理办法")
            .unwrap();
        assert_eq!(repealed["validity_changed_date"], "2024-06-30");
        let valid = lines
            .iter()
            .find(|l| l["title"] == "关于乙事项的管理办法")
            .unwrap();
        assert_eq!(valid["validity_changed_date"], Value::Null);
    }
);

db_test!(
    the_2019_format_sums_the_units_figures_and_prints_its_table_two,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let figures = |items: i64, change: i64| report::Figures {
            licensing_decisions: 10,
            licensing_items: items,
            licensing_change: change,
            other_services_decisions: 5,
            fee_items: 3,
            fee_change: -1,
            procurement_projects: 2,
            procurement_fen: 15_000_000,
            source: "统计".to_owned(),
            ..report::Figures::default()
        };
        report::set_figures(&a, Actor::System, "GL00101", 2020, &figures(40, -2))
            .await
            .unwrap();
        report::set_figures(&a, Actor::System, "GL01007", 2020, &figures(6, 1))
            .await
            .unwrap();
        let stored = report::figures(&a, Actor::System, "GL01007", 2020)
            .await
            .unwrap();
        assert_eq!(stored, figures(6, 1), "every figure stored and read back");
        // Taking away more items than the list held is refused, naming the field.
        let err = report::set_figures(&a, Actor::System, "GL01007", 2020, &figures(6, -7))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("licensing_change"), "{err}");
        let mut negative = figures(6, 0);
        negative.procurement_projects = -1;
        assert!(
            report::set_figures(&a, Actor::System, "GL01007", 2020, &negative)
                .await
                .is_err()
        );

        let (rep, _) = report::annual(&a, Actor::System, "GL00101", 2020)
            .await
            .unwrap();
        let json = serde_json::to_value(&rep).unwrap();
        let o = &json["proactive"]["format_2019"];
        assert_eq!(
            o["licensing"],
            json!({"previous_items": 46, "change": -1, "decisions": 20})
        );
        assert_eq!(o["other_services"]["decisions"], 10);
        assert_eq!(
            o["fees"],
            json!({"previous_items": 6, "change": -2, "decisions": 0})
        );
        assert_eq!(o["procurement_projects"], 4);
        assert_eq!(o["procurement_wan_yuan"], 30.0);

        // The XLSX sheet of table 二 is the 2019 layout with these figures.
        use calamine::Reader;
        let bytes = report_files::xlsx(&rep, "鼓楼区人民政府办公室").unwrap();
        let mut book = calamine::Xlsx::new(Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("表二 主动公开").unwrap();
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .collect();
        let row = |label: &str| {
            rows.iter()
                .find(|r| r.first().is_some_and(|c| c == label))
                .cloned()
        };
        assert_eq!(row("行政许可").unwrap(), ["行政许可", "46", "-1", "20"]);
        assert_eq!(row("政府集中采购").unwrap(), ["政府集中采购", "4", "30"]);
        assert!(rows.iter().flatten().any(|c| c == "对外公开总数量"));
        assert!(!rows.iter().flatten().any(|c| c == "本年制发件数"));
        // 2021 is in the 2021 format: no 2019 figures in its JSON.
        let (later, _) = report::annual(&a, Actor::System, "GL00101", 2021)
            .await
            .unwrap();
        assert!(
            serde_json::to_value(&later).unwrap()["proactive"]
                .get("format_2019")
                .is_none()
        );
    }
);
