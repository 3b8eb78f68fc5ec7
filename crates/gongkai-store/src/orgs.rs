//! Organizations (C1): the tree of offices with their codes, 机关代字 and index-number pattern.

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// An organization row.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Org {
    /// Row id.
    pub id: i64,
    /// Stable code used in URLs and index numbers.
    pub code: String,
    /// Full name, e.g. 福州市鼓楼区人民政府办公室.
    pub name: String,
    /// 机关代字, e.g. 鼓政办.
    pub short_name: Option<String>,
    /// Kind code (`office`, `department`, …).
    pub kind: String,
    /// Parent organization.
    pub parent_id: Option<i64>,
    /// 索引号 pattern (`gongkai_domain::IndexPattern` text).
    pub index_pattern: String,
    /// Display order among siblings.
    pub position: i64,
}

/// What is needed to create an organization.
#[derive(Clone, Debug)]
pub struct NewOrg<'a> {
    /// Stable code.
    pub code: &'a str,
    /// Full name.
    pub name: &'a str,
    /// 机关代字.
    pub short_name: Option<&'a str>,
    /// Kind code.
    pub kind: &'a str,
    /// Parent.
    pub parent_id: Option<i64>,
    /// Index-number pattern text.
    pub index_pattern: &'a str,
    /// Display order.
    pub position: i64,
}

const COLUMNS: &str = "id, code, name, short_name, kind, parent_id, index_pattern, position";

/// Inserts an organization and returns it.
pub async fn insert(h: &mut impl Handle, new: &NewOrg<'_>, now: OffsetDateTime) -> Result<Org> {
    let sql = format!(
        "INSERT INTO orgs (code, name, short_name, kind, parent_id, index_pattern, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    );
    let now = crate::truncate(now);
    // The organization tree is on every public page.
    crate::generation::bump(h, now).await?;
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(new.code)
        .bind(new.name)
        .bind(new.short_name)
        .bind(new.kind)
        .bind(new.parent_id)
        .bind(new.index_pattern)
        .bind(new.position)
        .bind(now)
        .fetch_one(c)
        .await?))
}

/// The organization with `code`.
pub async fn by_code(h: &mut impl Handle, code: &str) -> Result<Option<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs WHERE code = $1");
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(c).await?),
    )
}

/// The organization with `id`.
pub async fn by_id(h: &mut impl Handle, id: i64) -> Result<Option<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs WHERE id = $1");
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?),
    )
}

/// Every organization, parents before children where positions allow, by position then code.
pub async fn all(h: &mut impl Handle) -> Result<Vec<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs ORDER BY position, code");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?))
}

/// Number of published records per organization id (from the counter rows).
pub async fn published_counts(h: &mut impl Handle) -> Result<Vec<(i64, i64)>> {
    crate::counts::per_org(h).await
}
