use gongkai_store::{Handle, Raw, bulk_write};
use gongkai_testkit::{TestDb, db_test};

/// `PRAGMA cache_size` and `wal_autocheckpoint` of a SQLite handle; `None` on PostgreSQL.
async fn sqlite_settings(h: &mut impl Handle) -> Option<(i64, i64)> {
    match h.raw() {
        Raw::Sqlite(c) => {
            let cache = sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let checkpoint = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            Some((cache, checkpoint))
        }
        Raw::Pg(_) => None,
    }
}

db_test!(
    a_bulk_write_gives_its_connection_back_its_own_page_cache,
    async |t: &TestDb| {
        let mut conn = t.db.conn().await.unwrap();
        let before = sqlite_settings(&mut conn).await;
        drop(conn);
        for commit in [true, false] {
            let mut tx = t.db.begin().await.unwrap();
            bulk_write(&mut tx).await.unwrap();
            if let Some(during) = sqlite_settings(&mut tx).await {
                assert_eq!(during, (-262_144, 25_600));
            }
            if commit {
                tx.commit().await.unwrap();
            } else {
                tx.rollback().await.unwrap();
            }
            // Every connection the pool has open, the one the import used among them.
            let (open, _, _) = t.db.pool_use();
            let mut held = Vec::new();
            for _ in 0..open {
                let mut conn = t.db.conn().await.unwrap();
                assert_eq!(sqlite_settings(&mut conn).await, before, "commit: {commit}");
                held.push(conn);
            }
        }
    }
);
