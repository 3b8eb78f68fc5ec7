//! Columns (栏目) of each organization's disclosure column: the unified structure plus
//! second levels an organization adds.

use crate::{Handle, Result, dispatch};

/// A column row.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Column {
    /// Row id.
    pub id: i64,
    /// Owning organization.
    pub org_id: i64,
    /// Parent column (None for a first level).
    pub parent_id: Option<i64>,
    /// Name of this level.
    pub name: String,
    /// `一级` or `一级/二级`.
    pub path: String,
    /// Order among siblings.
    pub position: i64,
    /// Part of the unified structure (cannot be removed).
    pub unified: bool,
}

const COLUMNS: &str = "id, org_id, parent_id, name, path, position, unified";

/// Inserts a column unless `(org_id, path)` exists; returns the existing or new row.
pub async fn ensure(
    h: &mut impl Handle,
    org_id: i64,
    parent_id: Option<i64>,
    name: &str,
    path: &str,
    position: i64,
    unified: bool,
) -> Result<Column> {
    let sql = format!(
        "INSERT INTO columns (org_id, parent_id, name, path, position, unified) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (org_id, path) DO UPDATE SET name = columns.name RETURNING {COLUMNS}"
    );
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(org_id)
        .bind(parent_id)
        .bind(name)
        .bind(path)
        .bind(position)
        .bind(unified)
        .fetch_one(c)
        .await?))
}

/// The columns of one organization, first levels in order, each followed by its children.
pub async fn of_org(h: &mut impl Handle, org_id: i64) -> Result<Vec<Column>> {
    let sql = format!("SELECT {COLUMNS} FROM columns WHERE org_id = $1 ORDER BY position, id");
    let rows: Vec<Column> = dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_id).fetch_all(c).await?);
    Ok(tree_order(rows))
}

/// Every column of every organization, for the import's lookup table.
pub async fn all(h: &mut impl Handle) -> Result<Vec<Column>> {
    let sql = format!("SELECT {COLUMNS} FROM columns ORDER BY org_id, position, id");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?))
}

/// Distinct column paths that hold published records, with counts (from the counter rows).
pub async fn published_paths(h: &mut impl Handle) -> Result<Vec<(String, i64)>> {
    crate::counts::per_column_path(h).await
}

/// Columns of one organization that hold published records (from the counter rows).
pub async fn published_ids(h: &mut impl Handle, org_id: i64) -> Result<Vec<i64>> {
    crate::counts::used_columns(h, org_id).await
}

fn tree_order(rows: Vec<Column>) -> Vec<Column> {
    let mut out = Vec::with_capacity(rows.len());
    for first in rows.iter().filter(|c| c.parent_id.is_none()) {
        out.push(first.clone());
        out.extend(
            rows.iter()
                .filter(|c| c.parent_id == Some(first.id))
                .cloned(),
        );
    }
    out
}

/// Ids of the columns at `path` and below it, in every organization or in one.
pub async fn ids_under(h: &mut impl Handle, path: &str, org_id: Option<i64>) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = match org_id {
        Some(org) => dispatch!(h, c => sqlx::query_as(
            "SELECT id FROM columns WHERE org_id = $1 AND path = $2 \
             UNION SELECT id FROM columns WHERE parent_id IN \
             (SELECT id FROM columns WHERE org_id = $1 AND path = $2)",
        )
        .bind(org)
        .bind(path)
        .fetch_all(c)
        .await?),
        None => dispatch!(h, c => sqlx::query_as(
            "SELECT id FROM columns WHERE path = $1 \
             UNION SELECT id FROM columns WHERE parent_id IN (SELECT id FROM columns WHERE path = $1)",
        )
        .bind(path)
        .fetch_all(c)
        .await?),
    };
    let mut ids: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
    ids.sort_unstable();
    Ok(ids)
}
