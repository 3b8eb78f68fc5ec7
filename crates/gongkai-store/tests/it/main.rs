//! Storage stories, each run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used)]

mod bulk;
mod counters;
mod documents;
mod orgs_users;

use gongkai_store::Db;

#[test]
fn both_databases_ship_the_same_migration_versions() {
    let (sqlite, postgres) = Db::migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

pub fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-11-28 10:00:00.123456789 UTC)
}

pub async fn org(
    t: &gongkai_testkit::TestDb,
    code: &str,
    parent: Option<i64>,
) -> gongkai_store::orgs::Org {
    let mut tx = t.db.begin().await.unwrap();
    let o = gongkai_store::orgs::insert(
        &mut tx,
        &gongkai_store::orgs::NewOrg {
            code,
            name: &format!("{code} 名称"),
            short_name: Some("鼓政办"),
            kind: "office",
            parent_id: parent,
            index_pattern: "{org_code}-{category}-{year}-{serial:05}",
            position: 0,
        },
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    o
}
