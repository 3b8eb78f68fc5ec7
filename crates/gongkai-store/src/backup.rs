//! What a backup needs of the database: a consistent copy of an SQLite database while the
//! server writes, and the row count of every table to check a restore against.

use std::path::Path;

use crate::{Db, Pool, Result};

/// Writes a consistent copy of the SQLite database to `path` (which must not exist), while
/// others go on writing: `VACUUM INTO` reads one snapshot.
pub async fn sqlite_snapshot(db: &Db, path: &Path) -> Result<()> {
    let Pool::Sqlite(p) = &db.pool else {
        return Err(crate::StoreError::BadUrl(
            "VACUUM INTO needs SQLite".to_owned(),
        ));
    };
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().as_ref())
        .execute(p)
        .await?;
    Ok(())
}

/// The tables of the schema in use, by name.
pub async fn tables(db: &Db) -> Result<Vec<String>> {
    let names: Vec<(String,)> = match &db.pool {
        Pool::Sqlite(p) => {
            sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(p)
            .await?
        }
        Pool::Pg(p) => {
            sqlx::query_as(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 ORDER BY table_name",
            )
            .fetch_all(p)
            .await?
        }
    };
    Ok(names.into_iter().map(|(n,)| n).collect())
}

/// The rows of every table, by name.
pub async fn table_counts(db: &Db) -> Result<Vec<(String, i64)>> {
    let mut counts = Vec::new();
    for table in tables(db).await? {
        // The name comes from the catalog, quoted as an identifier.
        let sql = format!("SELECT COUNT(*) FROM \"{}\"", table.replace('"', "\"\""));
        let (n,): (i64,) = match &db.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_one(p)
                    .await?
            }
            Pool::Pg(p) => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_one(p)
                    .await?
            }
        };
        counts.push((table, n));
    }
    Ok(counts)
}

/// The SHA-256 of every stored file an attachment names.
pub async fn attachment_files(db: &Db) -> Result<Vec<String>> {
    let sql = "SELECT DISTINCT sha256 FROM attachments ORDER BY sha256";
    let rows: Vec<(String,)> = match &db.pool {
        Pool::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await?,
        Pool::Pg(p) => sqlx::query_as(sql).fetch_all(p).await?,
    };
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

/// A PostgreSQL snapshot held open while `pg_dump --snapshot` reads it, so the row counts
/// of the manifest are those of the dump.
pub struct PgSnapshot {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
}

impl PgSnapshot {
    /// Opens a read-only repeatable-read transaction on `db` (PostgreSQL only).
    pub async fn open(db: &Db) -> Result<PgSnapshot> {
        let Pool::Pg(p) = &db.pool else {
            return Err(crate::StoreError::BadUrl(
                "a snapshot to export needs PostgreSQL".to_owned(),
            ));
        };
        let mut tx = p.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        Ok(PgSnapshot { tx })
    }

    /// The snapshot's name for `pg_dump --snapshot`.
    pub async fn export(&mut self) -> Result<String> {
        let (id,): (String,) = sqlx::query_as("SELECT pg_export_snapshot()")
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(id)
    }

    /// The rows of every table of the schema in use, as the snapshot sees them.
    pub async fn table_counts(&mut self) -> Result<Vec<(String, i64)>> {
        let names: Vec<(String,)> = sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY table_name",
        )
        .fetch_all(&mut *self.tx)
        .await?;
        let mut counts = Vec::new();
        for (table,) in names {
            let sql = format!("SELECT COUNT(*) FROM \"{}\"", table.replace('"', "\"\""));
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *self.tx)
                .await?;
            counts.push((table, n));
        }
        Ok(counts)
    }

    /// Ends the snapshot.
    pub async fn close(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}
