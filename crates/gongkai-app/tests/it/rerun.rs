//! Imports run again (issue 18): an import interrupted after some batches landed, run again
//! over the whole file, doubles nothing and leaves the 索引号 gapless; records of older
//! imports are recognized; a line's duplicate keys, an overlong line and an oversized body
//! are refused with their line number.

use std::collections::HashSet;
use std::io::Cursor;

use gongkai_app::import::{ImportOptions, ImportProgress, ImportReport, import_documents};
use gongkai_testkit::builders::{DocLine, jsonl, org_tree};
use gongkai_testkit::{TestDb, app, db_test};

/// The application, committing every megabyte of input (so the tests' files take several
/// batches).
fn small_batches(t: &TestDb) -> gongkai_app::App {
    let settings = gongkai_app::Settings {
        import_commit_mb: 1,
        ..gongkai_app::Settings::default()
    };
    gongkai_app::App::new(t.db.clone(), t.dir.path(), settings)
}

async fn run(t: &TestDb, data: &str) -> (ImportReport, Vec<ImportProgress>) {
    let mut seen = Vec::new();
    let r = import_documents(
        &small_batches(t),
        Cursor::new(data.to_owned()),
        ImportOptions::default(),
        |p| seen.push(p),
    )
    .await
    .unwrap();
    (r, seen)
}

/// The exported records: (title, 索引号).
async fn stored(t: &TestDb) -> Vec<(String, String)> {
    crate::exported(&app(t))
        .await
        .iter()
        .map(|v| {
            (
                v["title"].as_str().unwrap().to_owned(),
                v["index_number"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn lines(n: usize) -> String {
    let docs: Vec<DocLine> = (0..n)
        .map(|i| {
            DocLine::new()
                .title(&format!("关于第{i}项工作的通知"))
                .set("doc_number", &format!("鼓政办〔2021〕{}号", i + 1))
        })
        .collect();
    jsonl(&docs)
}

db_test!(
    an_interrupted_import_run_again_doubles_nothing_and_skips_no_number,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let all = lines(4_500);
        // What an import killed after its first batch leaves: the first lines committed.
        let first: String = all.lines().take(4_000).map(|l| format!("{l}\n")).collect();
        let (r, progress) = run(t, &first).await;
        assert_eq!(r.imported, 4_000);
        assert!(progress.contains(&ImportProgress::Committed {
            through_line: 4_000,
            imported: 4_000,
            skipped: 0
        }));

        let (r, progress) = run(t, &all).await;
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!((r.imported, r.skipped.len()), (500, 4_000));
        assert_eq!(r.skipped[0].line, 1);
        assert!(
            r.skipped[0]
                .message
                .contains("索引号 GL00101-0201-2021-00001")
        );
        // Each batch is reported as committed, with the line it reached.
        let committed: Vec<usize> = progress
            .iter()
            .filter_map(|p| match p {
                ImportProgress::Committed { through_line, .. } => Some(*through_line),
                ImportProgress::Read(_) => None,
            })
            .collect();
        assert_eq!(committed, [4_000, 4_500]);

        let records = stored(t).await;
        assert_eq!(records.len(), 4_500);
        let titles: HashSet<&str> = records.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(titles.len(), 4_500, "no record twice");
        let mut serials: Vec<u32> = records
            .iter()
            .map(|(_, n)| n.rsplit('-').next().unwrap().parse().unwrap())
            .collect();
        serials.sort_unstable();
        assert_eq!(serials, (1..=4_500).collect::<Vec<u32>>(), "gapless");
    }
);

db_test!(
    records_of_an_import_before_keys_are_recognized,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let data = lines(3);
        run(t, &data).await;
        // As an older version left them: no keys.
        t.execute_raw("UPDATE documents SET import_key = NULL")
            .await;
        let (r, _) = run(t, &data).await;
        assert_eq!((r.imported, r.skipped.len()), (0, 3));
        // A file's external_id decides over the fields: the same id is the same record even
        // with a corrected title, and different ids are different records.
        let with_id = |id: &str, title: &str| {
            DocLine::new()
                .title(title)
                .set("external_id", id)
                .set("doc_number", "鼓政办〔2021〕99号")
        };
        let (r, _) = run(
            t,
            &jsonl(&[
                with_id("OLD-1", "甲"),
                with_id("OLD-1", "甲（更正）"),
                with_id("OLD-2", "甲"),
            ]),
        )
        .await;
        assert_eq!((r.imported, r.skipped.len()), (2, 1));
        assert!(
            r.skipped[0]
                .message
                .contains("与第 1 行是同一条信息（external_id OLD-1）"),
            "{}",
            r.skipped[0].message
        );
        assert_eq!(stored(t).await.len(), 5);
    }
);

db_test!(
    duplicate_keys_long_lines_and_big_bodies_are_refused_with_their_line,
    async |t: &TestDb| {
        org_tree(&app(t)).await;
        let ok = DocLine::new().title("正常的一条").to_line();
        let twice = ok.replacen('{', r#"{"title": "被覆盖的标题", "#, 1);
        let limits = gongkai_app::import::ImportLimits::of(&app(t));
        let huge_body = "字".repeat(limits.max_body_bytes / 3 + 10);
        let big = DocLine::new()
            .title("正文过大")
            .set("body_text", &huge_body)
            .to_line();
        let long = format!(
            r#"{{"title": "{}"}}"#,
            "长".repeat(limits.max_line_bytes / 3 + 10)
        );
        let data = format!("{twice}\n{big}\n{long}\n{ok}\n");
        let (r, _) = run(t, &data).await;
        assert_eq!(r.imported, 1);
        let refused: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(refused, [(1, "(行)"), (2, "body_text"), (3, "(行)")]);
        assert!(
            r.errors[0].message.contains("键“title”"),
            "{}",
            r.errors[0].message
        );
        assert!(
            r.errors[1].message.contains("max_body_kb"),
            "{}",
            r.errors[1].message
        );
        assert!(
            r.errors[2].message.contains("超过单行上限 8192 KB"),
            "{}",
            r.errors[2].message
        );
        assert_eq!(stored(t).await[0].0, "正常的一条");
    }
);
