//! 一网通查 through the app: what the index holds follows the database, on one node or two.

use std::io::Cursor;

use gongkai_app::documents::{Actor, create_draft, publish, set_validity, withdraw};
use gongkai_app::import::{ImportOptions, import_documents};
use gongkai_app::search::{Matched, SearchRequest, reindex, search};
use gongkai_app::{App, Settings};
use gongkai_domain::{Validity, validate_line};
use gongkai_testkit::builders::{DocLine, jsonl, org_tree};
use gongkai_testkit::{TestDb, app, db_test};
use time::macros::date;

async fn titles(a: &App, q: &str) -> Vec<String> {
    found(a, q).await.into_iter().map(|h| h.title).collect()
}

async fn found(a: &App, q: &str) -> Vec<gongkai_app::search::Hit> {
    page(a, q).await.results.hits
}

async fn page(a: &App, q: &str) -> gongkai_app::search::SearchPage {
    search(
        a,
        &SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        },
    )
    .await
    .unwrap()
}

fn valid(line: DocLine) -> gongkai_domain::ValidDocument {
    validate_line(&line.to_line()).unwrap().0
}

db_test!(
    publish_withdraw_and_validity_reach_search_at_once_and_drafts_never,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        assert!(titles(&a, "湿地").await.is_empty(), "an empty index");
        let draft = create_draft(
            &a,
            Actor::System,
            &valid(DocLine::new().title("蓝鲸湾湿地保护方案（草稿）")),
        )
        .await
        .unwrap();
        let shown = create_draft(
            &a,
            Actor::System,
            &valid(DocLine::new().title("蓝鲸湾湿地保护专项行动通知")),
        )
        .await
        .unwrap();
        assert!(
            titles(&a, "湿地").await.is_empty(),
            "drafts are never found"
        );
        publish(&a, Actor::System, shown, date!(2021 - 06 - 10))
            .await
            .unwrap();
        assert_eq!(titles(&a, "湿地").await, ["蓝鲸湾湿地保护专项行动通知"]);
        assert!(!titles(&a, "草稿").await.iter().any(|t| t.contains("草稿")));

        set_validity(&a, Actor::System, shown, Validity::Expired, None)
            .await
            .unwrap();
        let hits = found(&a, "湿地").await;
        assert_eq!(
            hits[0].validity, "expired",
            "the new validity is searchable"
        );

        withdraw(&a, Actor::System, shown, "内容有误")
            .await
            .unwrap();
        assert!(titles(&a, "湿地").await.is_empty(), "withdrawn: gone");
        let _ = draft;
    }
);

fn pdf_fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../gongkai-search/tests/fixtures/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

db_test!(
    a_chinese_pdf_attachment_is_searchable_and_a_scanned_page_is_flagged,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let id = create_draft(
            &a,
            Actor::System,
            &valid(DocLine::new().title("关于做好政务公开工作的通知")),
        )
        .await
        .unwrap();
        publish(&a, Actor::System, id, date!(2026 - 03 - 02))
            .await
            .unwrap();
        let printed = gongkai_app::files::attach(
            &a,
            Actor::System,
            id,
            "通知.pdf",
            pdf_fixture("chromium.pdf"),
        )
        .await
        .unwrap();
        assert_eq!(printed.text_problem, None);
        assert!(printed.text.contains("信息处理费按件计收"));
        let hits = found(&a, "按件计收").await;
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, id);

        let scanned = gongkai_app::files::attach(
            &a,
            Actor::System,
            id,
            "扫描件.pdf",
            pdf_fixture("scanned-page-2.pdf"),
        )
        .await
        .unwrap();
        let problem = scanned.text_problem.unwrap();
        assert!(problem.starts_with("第 2 页无法读取文字"), "{problem}");
        assert!(
            scanned.text.contains("为深入推进政务公开"),
            "page 1 is read"
        );
    }
);

db_test!(
    imported_records_are_found_by_words_and_numbers,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let data = jsonl(&[
            DocLine::new()
                .title("福州市人民政府办公厅关于印发2021年全市政务公开工作要点的通知")
                .set("doc_number", "榕政办〔2021〕53号"),
            DocLine::new()
                .title("关于收取信息处理费有关事项的通知")
                .set("doc_number", "鼓政办〔2021〕7号"),
        ]);
        let r = import_documents(&a, Cursor::new(data), ImportOptions::default(), |_| {})
            .await
            .unwrap();
        assert_eq!(r.imported, 2);
        for q in ["榕政办〔2021〕53号", "榕政办[2021]53号", "榕政办53号"] {
            let hits = found(&a, q).await;
            assert_eq!(hits.len(), 1, "{q}");
            assert!(hits[0].title.contains("政务公开工作要点"), "{q}");
            assert_ne!(hits[0].matched, Matched::Words, "{q}");
        }
        assert_eq!(
            titles(&a, "政务公开 工作要点").await,
            ["福州市人民政府办公厅关于印发2021年全市政务公开工作要点的通知"]
        );
        assert_eq!(
            titles(&a, "信息处理费").await,
            ["关于收取信息处理费有关事项的通知"]
        );
        let n = reindex(&a, |_, _| {}).await.unwrap();
        assert_eq!(n, 2, "a rebuild reads every published record");
        assert_eq!(titles(&a, "信息处理费").await.len(), 1);
    }
);

db_test!(
    facet_counts_match_the_database_and_an_org_covers_its_units,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let data = jsonl(&[
            DocLine::new().title("政务公开目录一").org("GL00101"),
            DocLine::new()
                .title("政务公开目录二")
                .org("GL00101")
                .published("2022-03-01"),
            DocLine::new().title("政务公开目录三").org("GL01007"),
            DocLine::new().title("无关文件").org("GL01007"),
        ]);
        import_documents(&a, Cursor::new(data), ImportOptions::default(), |_| {})
            .await
            .unwrap();
        let page = page(&a, "政务公开").await;
        assert_eq!(page.results.total, 3);
        let tree = gongkai_app::orgs::OrgTree::load(&a).await.unwrap();
        let gl101 = tree.by_code("GL00101").unwrap();
        let gl1007 = tree.by_code("GL01007").unwrap();
        assert_eq!(tree.get(gl1007.id).unwrap().parent_id, Some(gl101.id));
        assert_eq!(page.org_totals[&gl101.id], 3, "its own 2 and its unit's 1");
        assert_eq!(page.org_totals[&gl1007.id], 1);
        for root in tree.roots() {
            if tree.subtree_ids(root.id).contains(&gl101.id) {
                assert_eq!(page.org_totals[&root.id], 3, "the root counts its units");
            }
        }
        let years: Vec<(i32, u64)> = page.results.facets.year.clone();
        assert_eq!(years, [(2022, 1), (2021, 2)]);
        let narrowed = search(
            &a,
            &SearchRequest {
                q: "政务公开".into(),
                org: Some("GL01007".into()),
                ..SearchRequest::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(narrowed.results.total, 1);
        let bad = search(
            &a,
            &SearchRequest {
                q: "政务公开".into(),
                org: Some("NOPE".into()),
                ..SearchRequest::default()
            },
        )
        .await;
        assert!(matches!(bad, Err(gongkai_app::Error::Invalid(_))));
    }
);

db_test!(
    two_nodes_on_one_database_each_keep_their_own_index_current,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        // The second node: its own pool and its own data directory (its own index).
        let other_dir = tempfile::tempdir().unwrap();
        let b = App::new(t.reconnect().await, other_dir.path(), Settings::default());
        assert!(titles(&b, "湿地").await.is_empty());
        let id = create_draft(
            &a,
            Actor::System,
            &valid(DocLine::new().title("蓝鲸湾湿地保护专项行动通知")),
        )
        .await
        .unwrap();
        publish(&a, Actor::System, id, date!(2021 - 06 - 10))
            .await
            .unwrap();
        // Node b learns of the change as its generation poller would.
        b.refresh_public().await.unwrap();
        assert_eq!(titles(&b, "湿地").await, ["蓝鲸湾湿地保护专项行动通知"]);
        assert_eq!(titles(&a, "湿地").await, ["蓝鲸湾湿地保护专项行动通知"]);
        withdraw(&a, Actor::System, id, "内容有误").await.unwrap();
        b.refresh_public().await.unwrap();
        assert!(
            titles(&b, "湿地").await.is_empty(),
            "gone on the other node too"
        );
        assert!(titles(&a, "湿地").await.is_empty());
    }
);

db_test!(
    a_large_import_is_caught_up_in_the_background_while_searches_answer,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        assert!(
            titles(&a, "湿地").await.is_empty(),
            "the index exists and is current"
        );
        let lines: Vec<DocLine> = (0..4500)
            .map(|i| DocLine::new().title(&format!("蓝鲸湾湿地保护第{i}期简报")))
            .collect();
        let r = import_documents(
            &a,
            Cursor::new(jsonl(&lines)),
            ImportOptions::default(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(r.imported, 4500);
        // The first search applies one batch at once and answers.
        let first = page(&a, "湿地").await;
        assert!(first.results.total >= 2000, "{}", first.results.total);
        gongkai_app::search::catch_up(&a).await.unwrap();
        let all = page(&a, "湿地").await;
        assert_eq!(all.results.total, 4500);
    }
);
