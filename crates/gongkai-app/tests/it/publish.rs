use gongkai_app::Error;
use gongkai_app::documents::{Actor, create_draft, publish, withdraw};
use gongkai_app::orgs::OrgTree;
use gongkai_app::portal::{self, ListQuery, Lookup, Scope};
use gongkai_domain::validate_line;
use gongkai_testkit::builders::{DocLine, org_tree};
use gongkai_testkit::{TestDb, app, db_test};
use time::macros::date;

fn valid(line: DocLine) -> gongkai_domain::ValidDocument {
    validate_line(&line.to_line()).unwrap().0
}

db_test!(
    drafts_and_withdrawn_records_never_reach_the_public,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let draft = create_draft(&a, Actor::System, &valid(DocLine::new().title("草稿文件")))
            .await
            .unwrap();
        let gone = create_draft(&a, Actor::System, &valid(DocLine::new().title("撤回文件")))
            .await
            .unwrap();
        let shown = create_draft(&a, Actor::System, &valid(DocLine::new().title("公开文件")))
            .await
            .unwrap();
        publish(&a, Actor::System, gone, date!(2021 - 06 - 09))
            .await
            .unwrap();
        publish(&a, Actor::System, shown, date!(2021 - 06 - 10))
            .await
            .unwrap();
        withdraw(&a, Actor::System, gone, "内容有误").await.unwrap();

        let tree = OrgTree::load(&a).await.unwrap();
        let page = portal::list(
            &a,
            &tree,
            Scope::All,
            &ListQuery {
                page: 1,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            page.items
                .iter()
                .map(|s| s.title.as_str())
                .collect::<Vec<_>>(),
            ["公开文件"]
        );
        assert!(matches!(
            portal::document(&a, draft).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            portal::document(&a, gone).await,
            Ok(Lookup::Withdrawn)
        ));
        assert!(matches!(
            portal::document(&a, shown).await,
            Ok(Lookup::Published(_))
        ));
    }
);

db_test!(
    publishing_assigns_the_next_index_number_once,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let id = create_draft(&a, Actor::System, &valid(DocLine::new()))
            .await
            .unwrap();
        let n = publish(&a, Actor::System, id, date!(2021 - 06 - 09))
            .await
            .unwrap();
        assert_eq!(n, "GL00101-0201-2021-00001");
        assert!(matches!(
            publish(&a, Actor::System, id, date!(2021 - 06 - 09)).await,
            Err(Error::Invalid(_))
        ));
        let early = create_draft(&a, Actor::System, &valid(DocLine::new()))
            .await
            .unwrap();
        assert!(matches!(
            publish(&a, Actor::System, early, date!(2021 - 06 - 01)).await,
            Err(Error::Invalid(_))
        ));
    }
);

db_test!(
    concurrent_publications_get_gapless_unique_index_numbers,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let mut ids = Vec::new();
        for i in 0..30 {
            let org = if i % 3 == 0 { "GL01007" } else { "GL00101" };
            ids.push(
                create_draft(&a, Actor::System, &valid(DocLine::new().org(org)))
                    .await
                    .unwrap(),
            );
        }
        let mut tasks = Vec::new();
        for id in ids {
            let a = a.clone();
            tasks.push(tokio::spawn(async move {
                publish(&a, Actor::System, id, date!(2024 - 03 - 01))
                    .await
                    .unwrap()
            }));
        }
        let mut numbers = Vec::new();
        for task in tasks {
            numbers.push(task.await.unwrap());
        }
        numbers.sort();
        let mut expected: Vec<String> = (1..=20)
            .map(|n| format!("GL00101-0201-2024-{n:05}"))
            .collect();
        expected.extend((1..=10).map(|n| format!("GL01007-0201-2024-{n:05}")));
        expected.sort();
        assert_eq!(numbers, expected);
    }
);

db_test!(
    validity_changes_follow_the_rules_of_amendment,
    async |t: &TestDb| {
        use gongkai_app::documents::set_validity;
        use gongkai_domain::{Role, Validity};
        let a = app(t);
        org_tree(&a).await;
        let old = create_draft(&a, Actor::System, &valid(DocLine::new().title("旧办法")))
            .await
            .unwrap();
        let new = create_draft(&a, Actor::System, &valid(DocLine::new().title("新办法")))
            .await
            .unwrap();
        let draft = create_draft(&a, Actor::System, &valid(DocLine::new().title("草稿")))
            .await
            .unwrap();
        publish(&a, Actor::System, old, date!(2021 - 06 - 09))
            .await
            .unwrap();
        publish(&a, Actor::System, new, date!(2022 - 06 - 09))
            .await
            .unwrap();
        for (validity, successor, why) in [
            (Validity::Amended, None, "已修订 needs the successor"),
            (Validity::Amended, Some(old), "a record cannot amend itself"),
            (
                Validity::Amended,
                Some(draft),
                "the successor must be published",
            ),
            (
                Validity::Expired,
                Some(new),
                "only 已修订 names a successor",
            ),
        ] {
            let r = set_validity(&a, Actor::System, old, validity, successor).await;
            assert!(matches!(r, Err(Error::Invalid(_))), "{why}: {r:?}");
        }
        let other = gongkai_app::auth::create_user(
            &a,
            "lh",
            "柳河",
            "correct-horse",
            &[("LH00201", Role::Approver)],
        )
        .await
        .unwrap();
        let r = set_validity(&a, Actor::Staff(&other), old, Validity::Repealed, None).await;
        assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");
        set_validity(&a, Actor::System, old, Validity::Amended, Some(new))
            .await
            .unwrap();
        let Ok(Lookup::Published(newer)) = portal::document(&a, new).await else {
            panic!()
        };
        assert_eq!(
            newer
                .predecessors
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>(),
            ["旧办法"]
        );
        let Ok(Lookup::Published(older)) = portal::document(&a, old).await else {
            panic!()
        };
        assert_eq!(older.doc.validity, Validity::Amended);
        assert_eq!(
            older.successor.as_ref().map(|s| s.title.as_str()),
            Some("新办法")
        );
    }
);
