//! The working-day calendar's notices as administrators loaded them: every version of every
//! year is kept, the newest version of a year is the one in force.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// One loaded version of a year's 放假/调休 notice.
#[derive(Clone, Debug, FromRow)]
pub struct Notice {
    /// Calendar year.
    pub year: i64,
    /// 1 for the first load of the year, then 2, 3, …
    pub version: i64,
    /// The notice as JSON (holiday-cn format).
    pub notice: String,
    /// When it was loaded.
    pub loaded_at: OffsetDateTime,
}

/// Stores a new version of `year`'s notice; returns its version number.
pub async fn insert(
    h: &mut impl Handle,
    year: i32,
    notice: &str,
    now: OffsetDateTime,
) -> Result<i64> {
    let now = crate::truncate(now);
    let (version,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO calendar_notices (year, version, notice, loaded_at) \
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3 FROM calendar_notices WHERE year = $1 \
         RETURNING version",
    )
    .bind(i64::from(year))
    .bind(notice)
    .bind(now)
    .fetch_one(c)
    .await?);
    Ok(version)
}

/// The newest version of every loaded year, by year.
pub async fn current(h: &mut impl Handle) -> Result<Vec<Notice>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT n.year, n.version, n.notice, n.loaded_at FROM calendar_notices n \
         WHERE n.version = (SELECT MAX(m.version) FROM calendar_notices m WHERE m.year = n.year) \
         ORDER BY n.year",
    )
    .fetch_all(c)
    .await?))
}

/// Every version of `year`, oldest first.
pub async fn history(h: &mut impl Handle, year: i32) -> Result<Vec<Notice>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT year, version, notice, loaded_at FROM calendar_notices WHERE year = $1 \
         ORDER BY version",
    )
    .bind(i64::from(year))
    .fetch_all(c)
    .await?))
}
