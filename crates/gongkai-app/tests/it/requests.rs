use std::io::Cursor;

use gongkai_app::documents::Actor;
use gongkai_app::import::{ImportOptions, ImportReport, import_requests};
use gongkai_app::requests::{Format, export_requests};
use gongkai_app::{calendar, report};
use gongkai_testkit::builders::org_tree;
use gongkai_testkit::{TestDb, app, db_test};
use serde_json::{Value, json};

async fn run(t: &TestDb, lines: &[Value], opts: ImportOptions) -> ImportReport {
    let data: String = lines.iter().map(|l| format!("{l}\n")).collect();
    import_requests(&app(t), Cursor::new(data), opts, |_| {})
        .await
        .unwrap()
}

fn request(org: &str, tracking: &str, received: &str) -> Value {
    json!({"org": org, "tracking": tracking, "applicant_type": "natural_person",
           "received_date": received, "outcome": null, "replied_date": null})
}

fn closed(mut v: Value, outcome: &str, replied: &str) -> Value {
    v["outcome"] = outcome.into();
    v["replied_date"] = replied.into();
    v
}

async fn export(t: &TestDb, format: Format, include_applicant: bool) -> String {
    let mut out = Vec::new();
    export_requests(&app(t), &mut out, format, None, include_applicant)
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

db_test!(
    bad_lines_are_reported_with_number_and_field_and_write_nothing,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let mut with_events = request("GL00101", "Q-3", "2024-09-20");
        with_events["events"] = json!([
            {"kind": "consultation_answered", "date": "2024-09-25", "id": "A"}
        ]);
        let mut bad_type = request("GL00101", "Q-2", "2024-03-01");
        bad_type["applicant_type"] = "company".into();
        let mut half_closed = request("GL00101", "Q-6", "2024-03-01");
        half_closed["outcome"] = "disclosed".into();
        let r = run(
            t,
            &[
                closed(
                    request("GL00101", "Q-1", "2024-03-01"),
                    "disclosed",
                    "2024-03-20",
                ),
                bad_type,
                with_events,
                request("NOPE", "Q-4", "2024-03-01"),
                request("GL00101", "Q-1", "2024-03-02"),
                half_closed,
                closed(
                    request("GL01007", "Q-7", "2024-03-05"),
                    "withheld.process_info",
                    "2024-03-01",
                ),
                request("GL01007", "Q-8", "2024-12-20"),
            ],
            ImportOptions::default(),
        )
        .await;
        let errors: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            errors,
            [
                (2, "applicant_type"),
                (3, "events"),
                (4, "org"),
                (5, "tracking"),
                (6, "replied_date"),
                (7, "replied_date"),
            ],
            "{:#?}",
            r.errors
        );
        assert_eq!(r.imported, 2);
        let exported = export(t, Format::Jsonl, false).await;
        assert_eq!(exported.lines().count(), 2);
        assert!(
            exported.contains("\"tracking\":\"Q-1\"") && exported.contains("\"tracking\":\"Q-8\"")
        );
    }
);

db_test!(
    atomic_import_writes_nothing_when_a_line_fails,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let r = run(
            t,
            &[
                request("GL00101", "A-1", "2024-03-01"),
                request("GL00101", "A-2", "2024-02-30"),
            ],
            ImportOptions {
                atomic: true,
                create_orgs: false,
            },
        )
        .await;
        assert_eq!((r.imported, r.committed), (0, false));
        assert_eq!(export(t, Format::Jsonl, false).await, "");
        let r = run(
            t,
            &[request("NEW01", "A-3", "2024-03-01")],
            ImportOptions {
                atomic: true,
                create_orgs: true,
            },
        )
        .await;
        assert_eq!(
            (r.imported, r.created_orgs.clone()),
            (1, vec!["NEW01".to_owned()])
        );
    }
);

db_test!(
    a_tracking_code_already_stored_is_skipped_on_the_next_import,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        run(
            t,
            &[request("GL00101", "T-1", "2024-03-01")],
            ImportOptions::default(),
        )
        .await;
        let r = run(
            t,
            &[
                request("GL00101", "T-1", "2024-04-01"),
                request("GL00101", "T-2", "2024-04-01"),
            ],
            ImportOptions::default(),
        )
        .await;
        assert_eq!(r.imported, 1);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].line, 1);
        assert!(
            r.skipped[0].message.contains("T-1 已导入过"),
            "{}",
            r.skipped[0].message
        );
        // Each committed import is in the audit chain with the records it wrote.
        let imports: Vec<String> = gongkai_app::audit::entries_after(&app(t), 0, 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "import.requests")
            .map(|e| e.detail)
            .collect();
        assert_eq!(imports.len(), 2, "{imports:?}");
        assert!(imports[1].contains(r#""records":1"#), "{imports:?}");
    }
);

db_test!(
    export_round_trips_and_keeps_applicants_out_unless_asked,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let full = json!({
            "org": "GL01007", "tracking": "R-1", "applicant_type": "legal.legal_services",
            "received_date": "2024-09-20", "outcome": "partially_disclosed", "replied_date": "2024-11-08",
            "basis": ["art37", "art15"],
            "applicant": {"name": "福建某某律师事务所", "phone": "13800000000"},
            "description": "申请公开华大街道老旧小区改造资金使用情况。",
            "events": [
                {"kind": "consultation_sent", "date": "2024-10-10", "id": "A"},
                {"kind": "consultation_answered", "date": "2024-10-18", "id": "A"}
            ],
            "reviews": [
                {"kind": "reconsideration", "filed_date": "2024-12-02", "result": "upheld", "decided_date": "2025-01-20"},
                {"kind": "litigation_after_reconsideration", "filed_date": "2025-02-01", "result": null, "decided_date": null}
            ]
        });
        let r = run(t, std::slice::from_ref(&full), ImportOptions::default()).await;
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let with = export(t, Format::Jsonl, true).await;
        let back: Value = serde_json::from_str(with.trim()).unwrap();
        assert_eq!(back, full, "the export imports again to the same record");
        let without = export(t, Format::Jsonl, false).await;
        assert!(
            !without.contains("13800000000") && !without.contains("律师事务所"),
            "{without}"
        );
        let csv = export(t, Format::Csv, false).await;
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("（二）部分公开"), "{csv}");
        assert!(!csv.contains("13800000000"));
        assert!(!csv.contains("applicant_name"));
        // Asked for, the applicant's details are columns of the CSV too.
        let csv = export(t, Format::Csv, true).await;
        let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let header = rows.headers().unwrap().clone();
        let row = rows.records().next().unwrap().unwrap();
        let cell = |name: &str| {
            row.get(header.iter().position(|h| h == name).unwrap())
                .unwrap()
        };
        assert_eq!(cell("applicant_name"), "福建某某律师事务所");
        assert_eq!(cell("applicant_phone"), "13800000000");
        assert_eq!(
            cell("applicant_email"),
            "",
            "unknown details are empty cells"
        );
    }
);

db_test!(
    csv_cells_that_a_spreadsheet_would_run_are_defused,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let mut hostile = request("GL00101", "F-1", "2024-09-20");
        hostile["description"] = "=HYPERLINK(\"http://evil.example\",\"点此\")".into();
        hostile["applicant"] = json!({"name": "@SUM(1+1)", "phone": "+8613800000000"});
        let mut plain = request("GL00101", "F-2", "2024-09-20");
        plain["description"] = "申请公开 -2 号文件".into();
        let r = run(t, &[hostile, plain], ImportOptions::default()).await;
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let csv = export(t, Format::Csv, true).await;
        let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let header = rows.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
        let cell = |row: usize, name: &str| {
            rows[row]
                .get(header.iter().position(|h| h == name).unwrap())
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            cell(0, "description"),
            "'=HYPERLINK(\"http://evil.example\",\"点此\")"
        );
        assert_eq!(cell(0, "applicant_name"), "'@SUM(1+1)");
        assert_eq!(cell(0, "applicant_phone"), "'+8613800000000");
        assert_eq!(
            cell(1, "description"),
            "申请公开 -2 号文件",
            "only a leading sign counts"
        );
        // JSON Lines keep the text as written: they are data, not a spreadsheet.
        let jsonl = export(t, Format::Jsonl, true).await;
        assert!(jsonl.contains(r#""description":"=HYPERLINK"#), "{jsonl}");
    }
);

db_test!(
    the_annual_report_counts_the_subtree_and_only_it,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let mut lines = vec![
            // 2023 → 2024: carried in, closed in 2024.
            closed(
                request("GL00101", "C-1", "2023-12-27"),
                "disclosed",
                "2024-01-10",
            ),
            // 2024, the unit below: new and closed.
            closed(
                request("GL01007", "C-2", "2024-05-06"),
                "unavailable.not_held",
                "2024-05-20",
            ),
            // 2024 → 2025: new and carried out.
            closed(
                request("GL00101", "C-3", "2024-12-30"),
                "other.other",
                "2025-01-03",
            ),
            // Another county: never in GL00101's report.
            closed(
                request("LH00201", "C-4", "2024-05-06"),
                "disclosed",
                "2024-05-07",
            ),
        ];
        let mut company = closed(
            request("GL01007", "C-5", "2024-03-01"),
            "withheld.process_info",
            "2024-03-20",
        );
        company["applicant_type"] = "legal.commercial".into();
        company["reviews"] = json!([{"kind": "reconsideration", "filed_date": "2024-10-01", "result": "upheld", "decided_date": "2025-01-05"}]);
        lines.push(company);
        let r = run(t, &lines, ImportOptions::default()).await;
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let (rep, violations) = report::annual(&a, Actor::System, "GL00101", 2024)
            .await
            .unwrap();
        assert!(violations.is_empty(), "{violations:?}");
        let json = serde_json::to_value(&rep).unwrap();
        let rows = &json["requests"]["rows"];
        assert_eq!(rows["new"]["total"], 3);
        assert_eq!(rows["new"]["legal.commercial"], 1);
        assert_eq!(rows["carried_in"]["total"], 1);
        assert_eq!(
            rows["outcome.disclosed"]["total"], 1,
            "LH00201's is not counted"
        );
        assert_eq!(rows["outcome.unavailable.not_held"]["natural_person"], 1);
        assert_eq!(rows["outcome.total"]["total"], 3);
        assert_eq!(rows["carried_out"]["total"], 1);
        assert_eq!(
            rows.as_object().unwrap().len(),
            25,
            "every row, zeros included"
        );
        assert_eq!(
            json["reviews"]["reconsideration"]["pending"], 1,
            "undecided on 2024-12-31"
        );
        let (unit, _) = report::annual(&a, Actor::System, "GL01007", 2024)
            .await
            .unwrap();
        let unit = serde_json::to_value(&unit).unwrap();
        assert_eq!(unit["requests"]["rows"]["new"]["total"], 2);
        let (next, _) = report::annual(&a, Actor::System, "GL00101", 2025)
            .await
            .unwrap();
        let next = serde_json::to_value(&next).unwrap();
        assert_eq!(next["requests"]["rows"]["carried_in"]["total"], 1);
        assert_eq!(next["requests"]["rows"]["outcome.other.other"]["total"], 1);
        assert!(matches!(
            report::annual(&a, Actor::System, "NOPE", 2024).await,
            Err(gongkai_app::Error::NotFound(_))
        ));
    }
);

const NOTICE_2027: &str = r#"{"year": 2027, "papers": ["演示通知"], "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true}
]}"#;

const NOTICE_2027_V2: &str = r#"{"year": 2027, "papers": ["演示通知（更正）"], "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-04", "isOffDay": true}
]}"#;

db_test!(
    loading_a_year_recomputes_open_due_dates_and_logs_each_change,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let r = run(
            t,
            &[
                request("GL00101", "D-1", "2026-12-10"),
                closed(
                    request("GL00101", "D-2", "2026-12-10"),
                    "disclosed",
                    "2026-12-11",
                ),
            ],
            ImportOptions::default(),
        )
        .await;
        assert_eq!(r.imported, 2);
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(r.warnings[0].message.contains("暂定"), "{:?}", r.warnings);
        // Provisional (DOMAIN.md A9): 2027 counted with weekends only, 1 January worked.
        let mut c = a.db().conn().await.unwrap();
        let stored = gongkai_store::requests::by_tracking(&mut c, "D-1")
            .await
            .unwrap()
            .unwrap();
        drop(c);
        assert_eq!(stored.due_date, Some(time::macros::date!(2027 - 01 - 07)));
        assert!(
            stored
                .due_problem
                .as_deref()
                .is_some_and(|p| p.contains("暂定"))
        );
        let load = calendar::load(&a, NOTICE_2027).await.unwrap();
        assert_eq!((load.year, load.version, load.open_requests), (2027, 1, 1));
        // 2026-12-10 + 20 working days: 15 left in December, then 01-04 … 01-08 (01-01 off).
        assert_eq!(load.changes.len(), 1);
        assert_eq!(load.changes[0].tracking, "D-1");
        assert_eq!(
            load.changes[0].old_due,
            Some(time::macros::date!(2027 - 01 - 07))
        );
        assert_eq!(
            load.changes[0].new_due,
            Some(time::macros::date!(2027 - 01 - 08))
        );
        let again = calendar::load(&a, NOTICE_2027_V2).await.unwrap();
        assert_eq!(again.version, 2);
        assert_eq!(
            again.changes[0].new_due,
            Some(time::macros::date!(2027 - 01 - 11))
        );
        let mut c = a.db().conn().await.unwrap();
        let loaded = gongkai_store::requests::by_tracking(&mut c, "D-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(loaded.due_problem, None, "no longer provisional");
        let log = gongkai_store::requests::due_changes(&mut c).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!((log[1].calendar_year, log[1].calendar_version), (2027, 2));
        let stored = calendar::stored(&mut c).await.unwrap();
        assert!(
            stored
                .is_workday(time::macros::date!(2027 - 01 - 04))
                .is_ok_and(|w| !w)
        );
        assert!(matches!(
            calendar::load(&a, r#"{"year": 2027, "days": [{"name": "x", "date": "2027-01-06", "isOffDay": false}]}"#).await,
            Err(gongkai_app::Error::Invalid(_))
        ), "a make-up day must be a weekend day");
    }
);
