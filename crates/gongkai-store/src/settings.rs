//! Platform settings stored as key/value text (admin-editable rules marked [U] in DOMAIN.md).

use crate::{Handle, Result, dispatch};

/// The value of `key`, if set.
pub async fn get(h: &mut impl Handle, key: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = dispatch!(h, c => sqlx::query_as("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(c)
        .await?);
    Ok(row.map(|r| r.0))
}

/// Sets `key` to `value`.
pub async fn set(h: &mut impl Handle, key: &str, value: &str) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(c)
        .await?
        .rows_affected());
    Ok(())
}
