#![allow(clippy::manual_is_multiple_of)] // the arithmetic reads as the test data it spreads
use gongkai_domain::{DocKind, DocStatus, Validity};
use gongkai_store::attachments::{self, NewAttachment};
use gongkai_store::documents::{self, Filter, NewDocument};
use gongkai_store::{columns, orgs};
use gongkai_testkit::{TestDb, db_test};
use time::macros::date;

use crate::{now, org};

fn row(org_id: i64, column_id: i64, n: usize) -> NewDocument {
    let year = 2019 + (n % 8) as i32;
    let published =
        time::Date::from_calendar_date(year, time::Month::March, 1 + (n % 28) as u8).unwrap();
    NewDocument {
        org_id,
        column_id,
        status: if n % 10 == 9 {
            DocStatus::Draft
        } else {
            DocStatus::Published
        },
        index_number: (n % 10 != 9).then(|| format!("T-{n:05}")),
        title: format!("第{n}号文件"),
        doc_number: (n % 2 == 0).then(|| format!("鼓政办〔{year}〕{n}号")),
        doc_number_key: (n % 2 == 0).then(|| format!("鼓政办〔{year}〕{n}号")),
        issuer: "福州市鼓楼区人民政府办公室".into(),
        topic: if n % 3 == 0 {
            "城乡建设、环境保护\\城市规划".into()
        } else {
            "综合政务\\政务公开".into()
        },
        topic_code: if n % 3 == 0 {
            "1001".into()
        } else {
            "0201".into()
        },
        kind: if n % 4 == 0 {
            DocKind::NormativeDocument
        } else {
            DocKind::Circular
        },
        written_date: published - time::Duration::days(3),
        formed_date: published - time::Duration::days(3),
        published_date: (n % 10 != 9).then_some(published),
        validity: if n % 5 == 0 {
            Validity::Repealed
        } else {
            Validity::Valid
        },
        disclosure_term: gongkai_domain::DisclosureTerm::LongTerm,
        body_html: format!("<p>正文 {n} &amp; 附件</p>"),
        created_by: None,
        disclosure: gongkai_domain::disclosure::Attribute::Proactive,
        disclosure_ground: None,
        report_year: None,
        validity_changed_on: None,
        import_key: None,
    }
}

db_test!(
    records_round_trip_and_filter_alike_on_both_databases,
    async |t: &TestDb| {
        let a = org(t, "GL00101", None).await;
        let b = org(t, "GL01007", Some(a.id)).await;
        let mut tx = t.db.begin().await.unwrap();
        let policy = columns::ensure(
            &mut tx,
            a.id,
            None,
            "法定主动公开内容",
            "法定主动公开内容",
            2,
            true,
        )
        .await
        .unwrap();
        let sub = columns::ensure(
            &mut tx,
            a.id,
            Some(policy.id),
            "政策文件",
            "法定主动公开内容/政策文件",
            0,
            true,
        )
        .await
        .unwrap();
        let again = columns::ensure(
            &mut tx,
            a.id,
            Some(policy.id),
            "政策文件",
            "法定主动公开内容/政策文件",
            5,
            true,
        )
        .await
        .unwrap();
        assert_eq!(again, sub, "ensure returns the existing column unchanged");
        let guide = columns::ensure(
            &mut tx,
            b.id,
            None,
            "政府信息公开指南",
            "政府信息公开指南",
            0,
            true,
        )
        .await
        .unwrap();
        // 450 rows cross the 200-row batch boundary twice.
        let rows: Vec<NewDocument> = (0..450)
            .map(|n| {
                if n % 2 == 0 {
                    row(a.id, sub.id, n)
                } else {
                    row(b.id, guide.id, n)
                }
            })
            .collect();
        let ids = documents::insert_many(&mut tx, &rows, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(ids.len(), 450);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));

        let mut c = t.db.conn().await.unwrap();
        let first = documents::by_id(&mut c, ids[0]).await.unwrap().unwrap();
        assert_eq!(first.title, "第0号文件");
        assert_eq!(first.org_code, "GL00101");
        assert_eq!(first.column_path, "法定主动公开内容/政策文件");
        assert_eq!(first.published_date, Some(date!(2019 - 03 - 01)));
        assert_eq!(first.written_date, date!(2019 - 02 - 26));
        assert_eq!(first.doc_number.as_deref(), Some("鼓政办〔2019〕0号"));
        assert_eq!(first.body_html, "<p>正文 0 &amp; 附件</p>");
        assert_eq!(first.created_at, gongkai_store::truncate(now()));
        let draft = documents::by_id(&mut c, ids[9]).await.unwrap().unwrap();
        assert_eq!(
            (
                draft.status.code(),
                draft.published_date,
                draft.index_number
            ),
            ("draft", None, None)
        );
        assert!(documents::by_id(&mut c, 999_999).await.unwrap().is_none());

        // A code no one wrote through the store decodes as corrupt, naming what and which.
        for (column, bad, field, good) in [
            ("status", "half-published", "发布状态", "published"),
            ("kind", "红头文件", "公文种类", "circular"),
        ] {
            let set = |value: &str| {
                format!(
                    "UPDATE documents SET {column} = '{value}' WHERE id = {}",
                    ids[1]
                )
            };
            t.execute_raw(&set(bad)).await;
            let corrupt = documents::by_id(&mut c, ids[1]).await;
            assert!(
                matches!(
                    &corrupt,
                    Err(gongkai_store::StoreError::Corrupt { field: f, value })
                        if *f == field && value == bad
                ),
                "{corrupt:?}"
            );
            t.execute_raw(&set(good)).await;
        }

        let published = Filter {
            statuses: vec![DocStatus::Published],
            ..Filter::default()
        };
        let (page, total) = documents::list(&mut c, &published, 0, 20).await.unwrap();
        assert_eq!(total, 405);
        assert_eq!(page.len(), 20);
        assert!(
            page.windows(2)
                .all(|w| (w[0].published_date, w[0].id) >= (w[1].published_date, w[1].id))
        );
        let (last, _) = documents::list(&mut c, &published, 400, 20).await.unwrap();
        assert_eq!(last.len(), 5);

        let count = |f: Filter| {
            let f = Filter {
                statuses: vec![DocStatus::Published],
                ..f
            };
            async move {
                let mut c = t.db.conn().await.unwrap();
                documents::list(&mut c, &f, 0, 1).await.unwrap().1
            }
        };
        let expected =
            |p: &dyn Fn(usize) -> bool| (0..450).filter(|n| n % 10 != 9 && p(*n)).count() as i64;
        assert_eq!(
            count(Filter {
                org_ids: Some(vec![a.id]),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 2 == 0)
        );
        assert_eq!(
            count(Filter {
                org_ids: Some(vec![]),
                ..Filter::default()
            })
            .await,
            0
        );
        assert_eq!(
            count(Filter {
                topic_code_prefix: Some("10".into()),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 3 == 0)
        );
        assert_eq!(
            count(Filter {
                topic_code_prefix: Some("0201".into()),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 3 != 0)
        );
        assert_eq!(
            count(Filter {
                kind: Some(DocKind::from_code("normative_document").unwrap()),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 4 == 0)
        );
        assert_eq!(
            count(Filter {
                year: Some(2020),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 8 == 1)
        );
        assert_eq!(
            count(Filter {
                validity: Some(Validity::from_code("repealed").unwrap()),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 5 == 0)
        );
        assert_eq!(
            count(Filter {
                column_path: Some("法定主动公开内容".into()),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 2 == 0)
        );
        assert_eq!(
            count(Filter {
                column_path: Some("法定主动".into()),
                ..Filter::default()
            })
            .await,
            0,
            "a prefix is not a parent"
        );
        assert_eq!(
            count(Filter {
                year: Some(2020),
                kind: Some(DocKind::from_code("circular").unwrap()),
                org_ids: Some(vec![b.id]),
                ..Filter::default()
            })
            .await,
            expected(&|n| n % 8 == 1 && n % 4 != 0 && n % 2 == 1)
        );

        let years = documents::years(&mut c, &published).await.unwrap();
        assert_eq!(years.len(), 8);
        assert_eq!(years[0].0, 2026);
        assert_eq!(years.iter().map(|y| y.1).sum::<i64>(), 405);

        let mut seen = Vec::new();
        let mut after = 0;
        loop {
            let batch = documents::after(&mut c, &published, after, 100)
                .await
                .unwrap();
            let Some(last) = batch.last() else { break };
            after = last.id;
            seen.extend(batch.iter().map(|d| d.id));
        }
        assert_eq!(seen.len(), 405);

        let counts = documents::status_counts(&mut c, &[a.id, b.id])
            .await
            .unwrap();
        assert_eq!(
            counts,
            [("draft".to_owned(), 45), ("published".to_owned(), 405)]
        );
        assert!(
            documents::status_counts(&mut c, &[])
                .await
                .unwrap()
                .is_empty()
        );
        let by_number = documents::by_doc_number_key(&mut c, "鼓政办〔2019〕0号")
            .await
            .unwrap();
        assert_eq!(by_number.iter().map(|s| s.id).collect::<Vec<_>>(), [ids[0]]);

        let org_counts = orgs::published_counts(&mut c).await.unwrap();
        assert_eq!(org_counts.iter().map(|x| x.1).sum::<i64>(), 405);
        let paths = columns::published_paths(&mut c).await.unwrap();
        assert_eq!(paths.len(), 2);
        assert_eq!(
            columns::of_org(&mut c, a.id)
                .await
                .unwrap()
                .iter()
                .map(|c| c.path.as_str())
                .collect::<Vec<_>>(),
            ["法定主动公开内容", "法定主动公开内容/政策文件"]
        );
        assert_eq!(columns::all(&mut c).await.unwrap().len(), 3);
        assert_eq!(
            columns::published_ids(&mut c, a.id).await.unwrap(),
            [sub.id]
        );
    }
);

db_test!(
    publication_withdrawal_and_validity_change_state_once,
    async |t: &TestDb| {
        let a = org(t, "GL00101", None).await;
        let mut tx = t.db.begin().await.unwrap();
        let col = guide_column(&mut tx, a.id).await;
        let ids = documents::insert_many(
            &mut tx,
            &[row(a.id, col.id, 9), row(a.id, col.id, 19)],
            now(),
        )
        .await
        .unwrap();
        assert!(
            documents::publish(
                &mut tx,
                ids[0],
                "GL00101-0201-2021-00001",
                date!(2021 - 06 - 09),
                now()
            )
            .await
            .unwrap()
        );
        assert!(
            !documents::publish(
                &mut tx,
                ids[0],
                "GL00101-0201-2021-00002",
                date!(2021 - 06 - 09),
                now()
            )
            .await
            .unwrap()
        );
        tx.commit().await.unwrap();
        // A failed statement poisons a PostgreSQL transaction, so the conflict gets its own.
        let mut tx = t.db.begin().await.unwrap();
        let dup = documents::publish(
            &mut tx,
            ids[1],
            "GL00101-0201-2021-00001",
            date!(2021 - 06 - 10),
            now(),
        )
        .await;
        assert!(
            matches!(dup, Err(gongkai_store::StoreError::Conflict { .. })),
            "index numbers are unique: {dup:?}"
        );
        tx.rollback().await.unwrap();

        let mut c = t.db.conn().await.unwrap();
        let d = documents::by_id(&mut c, ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (d.status.code(), d.index_number.as_deref()),
            ("published", Some("GL00101-0201-2021-00001"))
        );
        assert!(
            documents::set_validity(
                &mut c,
                ids[0],
                Validity::Amended,
                Some(ids[1]),
                now().date(),
                now()
            )
            .await
            .unwrap()
        );
        let d = documents::by_id(&mut c, ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (d.validity.code(), d.successor_id),
            ("amended", Some(ids[1]))
        );
        assert!(
            documents::withdraw(&mut c, ids[0], "内容有误", now())
                .await
                .unwrap()
        );
        assert!(
            !documents::withdraw(&mut c, ids[0], "again", now())
                .await
                .unwrap()
        );
        assert!(
            !documents::withdraw(&mut c, ids[1], "a draft cannot be withdrawn", now())
                .await
                .unwrap()
        );
        let d = documents::by_id(&mut c, ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (d.status.code(), d.withdrawn_reason.as_deref()),
            ("withdrawn", Some("内容有误"))
        );
    }
);

db_test!(attachments_keep_their_order_and_text, async |t: &TestDb| {
    let a = org(t, "GL00101", None).await;
    let mut tx = t.db.begin().await.unwrap();
    let col = guide_column(&mut tx, a.id).await;
    let ids = documents::insert_many(
        &mut tx,
        &[row(a.id, col.id, 1), row(a.id, col.id, 2)],
        now(),
    )
    .await
    .unwrap();
    let new = |name: &'static str, doc: i64| NewAttachment {
        document_id: doc,
        file_name: name,
        media_type: "text/plain; charset=utf-8",
        byte_size: 12,
        sha256: "ab12",
        text: "附件正文",
        text_problem: None,
    };
    let first = attachments::insert(&mut tx, &new("一.txt", ids[0]), now())
        .await
        .unwrap();
    let second = attachments::insert(&mut tx, &new("二.txt", ids[0]), now())
        .await
        .unwrap();
    let scanned = NewAttachment {
        text_problem: Some("第 1 页无法读取文字"),
        ..new("三.pdf", ids[1])
    };
    let other = attachments::insert(&mut tx, &scanned, now()).await.unwrap();
    assert_eq!(other.text_problem.as_deref(), Some("第 1 页无法读取文字"));
    tx.commit().await.unwrap();
    assert_eq!((first.position, second.position, other.position), (1, 2, 1));
    let mut c = t.db.conn().await.unwrap();
    let list = attachments::of_document(&mut c, ids[0]).await.unwrap();
    assert_eq!(
        list.iter()
            .map(|a| a.file_name.as_str())
            .collect::<Vec<_>>(),
        ["一.txt", "二.txt"]
    );
    assert_eq!(
        attachments::by_id(&mut c, second.id)
            .await
            .unwrap()
            .unwrap()
            .text,
        "附件正文"
    );
    assert_eq!(second.text_problem, None);
    assert!(attachments::by_id(&mut c, 424_242).await.unwrap().is_none());
    let orphan = attachments::insert(&mut c, &new("x.txt", 777_777), now()).await;
    assert!(
        matches!(orphan, Err(gongkai_store::StoreError::Conflict { .. })),
        "{orphan:?}"
    );
});

/// The 政府信息公开指南 column of an organization.
async fn guide_column(tx: &mut gongkai_store::Tx, org_id: i64) -> columns::Column {
    columns::ensure(
        tx,
        org_id,
        None,
        "政府信息公开指南",
        "政府信息公开指南",
        0,
        true,
    )
    .await
    .unwrap()
}
