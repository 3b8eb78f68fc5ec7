//! Test fixtures shared by every crate's integration tests.
//!
//! [`db_test!`] turns one async story into two tests, `<name>::sqlite` and
//! `<name>::postgres`, so the test output counts what ran on each database. The
//! PostgreSQL variant runs when `GONGKAI_TEST_POSTGRES_URL` is set (CI always sets it) and
//! says "skipped" otherwise; each run gets a fresh schema, each SQLite run a fresh file.

#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use gongkai_store::Db;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

pub mod builders;

/// Environment variable naming the PostgreSQL server for storage tests.
pub const POSTGRES_URL_VAR: &str = "GONGKAI_TEST_POSTGRES_URL";

/// A migrated, empty database for one test, and what must live as long as it.
pub struct TestDb {
    /// The database.
    pub db: Db,
    /// The data directory (attachments, SQLite file).
    pub dir: tempfile::TempDir,
    schema: Option<(String, String)>,
}

impl TestDb {
    /// Whether this is the PostgreSQL run.
    pub fn is_postgres(&self) -> bool {
        self.schema.is_some()
    }

    /// A second, independent pool on the same database, as another node would open.
    pub async fn reconnect(&self) -> Db {
        match &self.schema {
            Some((url, schema)) => {
                let options = PgConnectOptions::from_str(url)
                    .unwrap()
                    .options([("search_path", schema.as_str())]);
                Db::connect_pg(options).await.unwrap()
            }
            None => {
                let url = format!("sqlite:{}", self.dir.path().join("gongkai.db").display());
                Db::connect(&url).await.unwrap()
            }
        }
    }

    /// Runs a statement behind the application's back (on its own connection), as an
    /// operator with a SQL console would.
    pub async fn execute_raw(&self, sql: &str) {
        let db = self.reconnect().await;
        let mut c = db.conn().await.unwrap();
        match gongkai_store::Handle::raw(&mut c) {
            gongkai_store::Raw::Sqlite(c) => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(c)
                    .await
                    .unwrap();
            }
            gongkai_store::Raw::Pg(c) => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(c)
                    .await
                    .unwrap();
            }
        }
        drop(c);
        db.close().await;
    }

    /// Drops the PostgreSQL schema of this test.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((url, schema)) = &self.schema
            && let Ok(mut c) = PgConnection::connect(url).await
        {
            let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
        }
    }
}

/// A fresh SQLite database in a temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("gongkai.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    TestDb {
        db,
        dir,
        schema: None,
    }
}

/// A fresh schema on the PostgreSQL server of `GONGKAI_TEST_POSTGRES_URL`, or `None` when
/// the variable is unset. A set variable with an unreachable server fails the test.
pub async fn postgres() -> Option<TestDb> {
    let url = std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|u| !u.is_empty())?;
    let schema = format!("gk_test_{:016x}", rand_u64());
    let mut admin = PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR}={url}: cannot connect: {e}"));
    let sql = format!("CREATE SCHEMA {schema}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let options = PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let db = Db::connect_pg(options).await.unwrap();
    db.migrate().await.unwrap();
    Some(TestDb {
        db,
        dir: tempfile::tempdir().unwrap(),
        schema: Some((url, schema)),
    })
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.finish()
}

/// Defines `mod $name { fn sqlite(); fn postgres(); }` running the async closure `$story`
/// with a fresh [`TestDb`] on each database.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $story:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::sqlite().await;
                ($story)(&t).await;
                t.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(t) = $crate::postgres().await else {
                    eprintln!("skipped: {} is not set", $crate::POSTGRES_URL_VAR);
                    return;
                };
                ($story)(&t).await;
                t.cleanup().await;
            }
        }
    };
}

/// An application on a test database with default settings.
pub fn app(t: &TestDb) -> gongkai_app::App {
    gongkai_app::App::new(t.db.clone(), t.dir.path(), gongkai_app::Settings::default())
}
