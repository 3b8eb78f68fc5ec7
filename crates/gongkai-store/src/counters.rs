//! Per organization and year serial counters for 索引号.
//!
//! A reservation is one upsert that adds `n` and returns the new last serial. It runs inside
//! the publishing transaction: on PostgreSQL the row stays locked until commit, on SQLite the
//! transaction holds the write lock, so concurrent publications queue and a rollback returns
//! its serials. Hence the numbers have no gaps.

use crate::{Handle, Result, dispatch};

/// Reserves `n` consecutive serials for `org_id` in `year`; returns the first of them.
pub async fn reserve(h: &mut impl Handle, org_id: i64, year: i32, n: u32) -> Result<u32> {
    let (last,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO index_counters (org_id, year, last_serial) VALUES ($1, $2, $3) \
         ON CONFLICT (org_id, year) DO UPDATE SET last_serial = index_counters.last_serial + excluded.last_serial \
         RETURNING last_serial",
    )
    .bind(org_id)
    .bind(i64::from(year))
    .bind(i64::from(n))
    .fetch_one(c)
    .await?);
    let first = last - i64::from(n) + 1;
    u32::try_from(first)
        .map_err(|_| crate::corrupt("index_counters.last_serial", &last.to_string()))
}

/// The last serial handed out for `org_id` in `year` (0 when none).
pub async fn last(h: &mut impl Handle, org_id: i64, year: i32) -> Result<i64> {
    let row: Option<(i64,)> = dispatch!(h, c => sqlx::query_as(
        "SELECT last_serial FROM index_counters WHERE org_id = $1 AND year = $2",
    )
    .bind(org_id)
    .bind(i64::from(year))
    .fetch_optional(c)
    .await?);
    Ok(row.map_or(0, |r| r.0))
}
