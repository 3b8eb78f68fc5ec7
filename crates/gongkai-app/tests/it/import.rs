use std::io::Cursor;

use gongkai_app::export::{Format, export_documents};
use gongkai_app::import::{ImportOptions, import_documents};
use gongkai_app::orgs::OrgTree;
use gongkai_app::portal::{self, ListQuery, Lookup, Scope};
use gongkai_testkit::builders::{DocLine, jsonl, org_tree};
use gongkai_testkit::{TestDb, app, db_test};

async fn run(t: &TestDb, data: &str, opts: ImportOptions) -> gongkai_app::import::ImportReport {
    import_documents(&app(t), Cursor::new(data.to_owned()), opts, |_| {})
        .await
        .unwrap()
}

db_test!(
    a_bad_line_is_reported_with_its_number_and_writes_nothing,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new().title("第一条"),
            DocLine::new().title("第二条").set("topic", "不存在的分类"),
            DocLine::new().title("第三条"),
            DocLine::new()
                .title("第四条")
                .set("written_date", "2021-02-30"),
            DocLine::new()
                .title("第五条")
                .set("written_date", "2021-07-01"),
        ]);
        let data = format!("{data}not json at all\n\n");
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 2);
        assert_eq!(r.lines, 6);
        let lines: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (2, "topic"),
                (4, "written_date"),
                (5, "written_date"),
                (6, "(行)")
            ],
            "{:?}",
            r.errors
        );
        let tree = OrgTree::load(&app(t)).await.unwrap();
        let page = portal::list(
            &app(t),
            &tree,
            Scope::All,
            &ListQuery {
                page: 1,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
        let titles: Vec<&str> = page.items.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(page.total, 2);
        assert!(
            titles.contains(&"第一条") && titles.contains(&"第三条"),
            "{titles:?}"
        );
    }
);

db_test!(
    atomic_imports_nothing_when_any_line_fails,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new(),
            DocLine::new().set("kind", "公函"),
            DocLine::new(),
        ]);
        let r = run(
            t,
            &data,
            ImportOptions {
                atomic: true,
                create_orgs: false,
            },
        )
        .await;
        assert!(!r.committed);
        assert_eq!(r.imported, 0);
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].line, 2);
        let mut out = Vec::new();
        assert_eq!(
            export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
                .await
                .unwrap(),
            0
        );
        // The counters were rolled back too: the next import starts at serial 1.
        let r = run(t, &jsonl(&[DocLine::new()]), ImportOptions::default()).await;
        assert_eq!(r.imported, 1);
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("GL00101-0201-2021-00001"), "{text}");
    }
);

db_test!(
    unknown_organizations_need_create_orgs,
    async |t: &TestDb| {
        let data = jsonl(&[DocLine::new().org("GWY").set("issuer", "国务院")]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 0);
        assert_eq!(r.errors[0].field, "org");
        assert!(r.errors[0].message.contains("--create-orgs"));
        let r = run(
            t,
            &data,
            ImportOptions {
                create_orgs: true,
                atomic: false,
            },
        )
        .await;
        assert_eq!(r.imported, 1);
        assert_eq!(r.created_orgs, ["GWY"]);
        let tree = OrgTree::load(&app(t)).await.unwrap();
        assert_eq!(tree.by_code("GWY").unwrap().name, "国务院");
    }
);

db_test!(
    index_numbers_follow_file_order_per_org_and_year,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new().published("2021-03-01"),
            DocLine::new().published("2022-01-05"),
            DocLine::new().org("GL01007").published("2021-03-02"),
            DocLine::new().published("2021-04-01").set("topic", "其他"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 4);
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        let numbers: Vec<String> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["index_number"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            numbers,
            [
                "GL00101-0201-2021-00001",
                "GL00101-0201-2022-00001",
                "GL01007-0201-2021-00001",
                "GL00101-2200-2021-00002"
            ]
        );
    }
);

db_test!(
    doc_numbers_are_normalized_and_odd_ones_kept_with_a_warning,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new().set("doc_number", "鼓政办（2021）第05号"),
            DocLine::new().set("doc_number", "鼓政办发字2021-5"),
            DocLine::new().set("doc_number", "中华人民共和国国务院令 第 711 号"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 3);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].line, 2);
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\"鼓政办〔2021〕5号\""), "{text}");
        assert!(text.contains("\"鼓政办发字2021-5\""), "{text}");
        assert!(text.contains("\"中华人民共和国国务院令第711号\""), "{text}");
    }
);

db_test!(
    formed_date_and_disclosure_term_are_kept,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new()
                .set("formed_date", "2021-05-20")
                .set("disclosure_term", "immediate"),
            DocLine::new().set("formed_date", "2021-07-01"),
            DocLine::new().set("disclosure_term", "每天"),
            DocLine::new().title("另一份通知"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 2);
        assert_eq!(
            r.errors
                .iter()
                .map(|e| (e.line, e.field.as_str()))
                .collect::<Vec<_>>(),
            [(2, "formed_date"), (3, "disclosure_term")]
        );
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            (
                lines[0]["formed_date"].as_str(),
                lines[0]["disclosure_term"].as_str()
            ),
            (Some("2021-05-20"), Some("immediate"))
        );
        assert_eq!(
            (
                lines[1]["formed_date"].as_str(),
                lines[1]["disclosure_term"].as_str()
            ),
            (Some("2021-06-04"), Some("long_term")),
            "defaults: written date, 长期公开"
        );
    }
);

db_test!(exported_jsonl_imports_again, async |t: &TestDb| {
    org_tree(&app(t)).await;
    let data = jsonl(&[
        DocLine::new(),
        DocLine::new()
            .title("另一份<通知>")
            .set("validity", "repealed"),
    ]);
    run(t, &data, ImportOptions::default()).await;
    let mut out = Vec::new();
    assert_eq!(
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap(),
        2
    );
    let r = run(
        t,
        &String::from_utf8(out).unwrap(),
        ImportOptions::default(),
    )
    .await;
    // Every line is valid, and each is a record already there: run again, nothing doubles.
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!((r.imported, r.skipped.len()), (0, 2));
    assert!(
        r.skipped[0]
            .message
            .contains("索引号 GL00101-0201-2021-0000"),
        "{}",
        r.skipped[0].message
    );
    let mut csv = Vec::new();
    export_documents(&app(t), &mut csv, Format::Csv, |_| {})
        .await
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}')
            .starts_with("org,title,doc_number")
    );
    assert_eq!(csv.matches("GL00101-0201-2021-0000").count(), 2);
    let _ = Lookup::Withdrawn;
});

db_test!(the_xlsx_export_is_a_catalog_workbook, async |t: &TestDb| {
    org_tree(&app(t)).await;
    let data = jsonl(&[
        DocLine::new().title("关于<印发>工作要点的通知"),
        DocLine::new().set("validity", "expired"),
    ]);
    run(t, &data, ImportOptions::default()).await;
    let mut out = Vec::new();
    assert_eq!(
        export_documents(&app(t), &mut out, Format::Xlsx, |_| {})
            .await
            .unwrap(),
        2
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(out)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    let mut strings = String::new();
    if let Ok(mut f) = zip.by_name("xl/sharedStrings.xml") {
        std::io::Read::read_to_string(&mut f, &mut strings).unwrap();
    }
    let all = format!("{sheet}{strings}");
    for text in [
        "索引号",
        "内容概述",
        "关于&lt;印发&gt;工作要点的通知",
        "GL00101-0201-2021-00001",
        "失效",
        "各街道办事处",
    ] {
        assert!(all.contains(text), "{text} missing from the workbook");
    }
    let mut workbook = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut workbook)
        .unwrap();
    assert!(workbook.contains("政府信息公开目录"));
});

db_test!(
    control_characters_never_reach_the_database,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new().title("标题\u{0}含空字符"),
            DocLine::new().set("issuer", "发文\u{7}机关"),
            DocLine::new().set("body_text", "正文\u{0}第一段\n第二段\u{1b}[31m"),
            DocLine::new().set("doc_number", "鼓政办\u{0}发字5"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 2, "{:?}", r.errors);
        assert_eq!(
            r.errors
                .iter()
                .map(|e| (e.line, e.field.as_str()))
                .collect::<Vec<_>>(),
            [(1, "title"), (2, "issuer")]
        );
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains("\\u0000") && !text.contains("\\u001b"),
            "{text}"
        );
        assert!(text.contains("正文第一段"), "{text}");
    }
);

/// Stores a published record of GL00101 under `number` without reserving it in the
/// organization's counter, so an import that numbers its lines reaches it and is refused.
async fn occupy_index_number(t: &TestDb, number: &str) {
    let mut tx = t.db.begin().await.unwrap();
    let org = gongkai_store::orgs::by_code(&mut tx, "GL00101")
        .await
        .unwrap()
        .unwrap();
    let col = gongkai_store::columns::of_org(&mut tx, org.id)
        .await
        .unwrap()[0]
        .id;
    let mut row = gongkai_app::documents::new_row(
        &gongkai_domain::validate_line(&DocLine::new().title("外来记录").to_line())
            .unwrap()
            .0,
        &org,
        col,
        gongkai_domain::DocStatus::Published,
        Some(number.into()),
    );
    row.published_date = Some(time::macros::date!(2021 - 06 - 09));
    gongkai_store::documents::insert_many(&mut tx, &[row], time::OffsetDateTime::UNIX_EPOCH)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// 4,000 lines of 2020 (the first batch the import writes) and then `tail`.
fn first_batch_then(tail: &[DocLine]) -> String {
    let mut lines: Vec<DocLine> = (0..4000)
        .map(|i| {
            DocLine::new()
                .title(&format!("二〇二〇年第{i}件"))
                .published("2020-05-06")
        })
        .collect();
    lines.extend_from_slice(tail);
    jsonl(&lines)
}

db_test!(
    a_line_refused_in_a_later_batch_keeps_the_batches_before_it,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        occupy_index_number(t, "GL00101-0201-2021-00002").await;
        // Batches share a transaction; the refusal in the second must not undo the first.
        let data = first_batch_then(&[
            DocLine::new().title("甲"),
            DocLine::new().title("乙"),
            DocLine::new().title("丙").org("LH00201"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4002], "{:?}", r.errors);
        assert_eq!(r.imported, 4002);
        assert!(r.committed);
        let tree = OrgTree::load(&app(t)).await.unwrap();
        let page = portal::list(&app(t), &tree, Scope::All, &ListQuery::default())
            .await
            .unwrap();
        assert_eq!(
            page.total, 4003,
            "4,002 imported and the record already there"
        );
    }
);

db_test!(
    an_atomic_import_with_a_line_refused_by_the_database_commits_nothing,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        occupy_index_number(t, "GL00101-0201-2021-00002").await;
        let data = first_batch_then(&[DocLine::new().title("甲"), DocLine::new().title("乙")]);
        let r = run(
            t,
            &data,
            ImportOptions {
                atomic: true,
                ..ImportOptions::default()
            },
        )
        .await;
        assert!(!r.committed);
        assert_eq!(r.imported, 0);
        let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4002], "{:?}", r.errors);
        let tree = OrgTree::load(&app(t)).await.unwrap();
        let page = portal::list(&app(t), &tree, Scope::All, &ListQuery::default())
            .await
            .unwrap();
        assert_eq!(page.total, 1, "only the record stored before");
    }
);

db_test!(
    a_line_the_database_refuses_is_reported_and_the_rest_of_its_batch_written,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        // A record from outside the counters already holds the number the second line would get.
        occupy_index_number(t, "GL00101-0201-2021-00002").await;

        let data = jsonl(&[
            DocLine::new().title("一"),
            DocLine::new().title("二").set("doc_number", "odd-number"),
            DocLine::new().title("三").set("topic", "无此分类"),
            DocLine::new().title("四").org("LH00201"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 2, "{:?}", r.errors);
        let lines: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            lines,
            [(2, "(行)"), (3, "topic")],
            "sorted by line, the refused line named"
        );
        assert!(r.errors[0].message.contains("写入数据库失败"));
        assert!(
            r.warnings.iter().all(|w| w.line != 2),
            "a line not written carries no warning"
        );
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\"一\"") && text.contains("\"四\"") && !text.contains("\"二\""),
            "{text}"
        );
    }
);

db_test!(
    a_title_a_spreadsheet_would_run_is_defused_in_the_csv_export,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = jsonl(&[
            DocLine::new().set("title", "=cmd|' /C calc'!A0"),
            DocLine::new().set("title", "关于-2号文件的说明"),
        ]);
        let r = run(t, &data, ImportOptions::default()).await;
        assert_eq!(r.imported, 2, "{:?}", r.errors);
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Csv, |_| {})
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let titles: Vec<String> = rows
            .records()
            .map(|r| r.unwrap().get(1).unwrap().to_owned())
            .collect();
        assert_eq!(titles, ["'=cmd|' /C calc'!A0", "关于-2号文件的说明"]);
        let mut out = Vec::new();
        export_documents(&app(t), &mut out, Format::Jsonl, |_| {})
            .await
            .unwrap();
        assert!(String::from_utf8(out).unwrap().contains(r#""title":"=cmd"#));
    }
);
