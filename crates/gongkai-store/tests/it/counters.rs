use gongkai_store::counters;
use gongkai_testkit::{TestDb, db_test};

use crate::org;

db_test!(
    serials_are_reserved_in_blocks_per_org_and_year,
    async |t: &TestDb| {
        let a = org(t, "A", None).await;
        let b = org(t, "B", None).await;
        let mut tx = t.db.begin().await.unwrap();
        assert_eq!(counters::reserve(&mut tx, a.id, 2021, 1).await.unwrap(), 1);
        assert_eq!(counters::reserve(&mut tx, a.id, 2021, 3).await.unwrap(), 2);
        assert_eq!(counters::reserve(&mut tx, a.id, 2022, 1).await.unwrap(), 1);
        assert_eq!(counters::reserve(&mut tx, b.id, 2021, 1).await.unwrap(), 1);
        assert_eq!(counters::last(&mut tx, a.id, 2021).await.unwrap(), 4);
        tx.commit().await.unwrap();
    }
);

db_test!(
    a_rolled_back_reservation_leaves_no_gap,
    async |t: &TestDb| {
        let a = org(t, "A", None).await;
        let mut tx = t.db.begin().await.unwrap();
        assert_eq!(counters::reserve(&mut tx, a.id, 2021, 5).await.unwrap(), 1);
        tx.rollback().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        assert_eq!(counters::reserve(&mut tx, a.id, 2021, 1).await.unwrap(), 1);
        tx.commit().await.unwrap();
    }
);

db_test!(
    concurrent_reservations_never_share_or_skip_a_serial,
    async |t: &TestDb| {
        let a = org(t, "A", None).await;
        let mut tasks = Vec::new();
        for i in 0..24u32 {
            let db = t.db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin().await.unwrap();
                let n = 1 + i % 3;
                let first = counters::reserve(&mut tx, a.id, 2024, n).await.unwrap();
                tokio::task::yield_now().await;
                if i % 5 == 0 {
                    tx.rollback().await.unwrap();
                    Vec::new()
                } else {
                    tx.commit().await.unwrap();
                    (first..first + n).collect::<Vec<u32>>()
                }
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        all.sort_unstable();
        let expected: Vec<u32> = (1..=all.len() as u32).collect();
        assert_eq!(all, expected);
    }
);

db_test!(
    a_savepoint_rolled_back_undoes_its_writes_and_its_generation_bump,
    async |t: &TestDb| {
        let a = org(t, "A", None).await;
        let before = t.db.public().generation();
        let mut tx = t.db.begin().await.unwrap();
        tx.savepoint().await.unwrap();
        assert_eq!(counters::reserve(&mut tx, a.id, 2021, 5).await.unwrap(), 1);
        tx.release_savepoint().await.unwrap();
        tx.savepoint().await.unwrap();
        counters::reserve(&mut tx, a.id, 2021, 7).await.unwrap();
        gongkai_store::generation::bump(&mut tx, crate::now())
            .await
            .unwrap();
        tx.rollback_to_savepoint().await.unwrap();
        // The transaction goes on after the rollback (on PostgreSQL too).
        assert_eq!(counters::last(&mut tx, a.id, 2021).await.unwrap(), 5);
        tx.commit().await.unwrap();
        assert_eq!(
            t.db.public().generation(),
            before,
            "a bump undone must not reach the page cache"
        );
        let mut c = t.db.conn().await.unwrap();
        assert_eq!(
            gongkai_store::generation::current(&mut c).await.unwrap().0,
            before
        );
    }
);
