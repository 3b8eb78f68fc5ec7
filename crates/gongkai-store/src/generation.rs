//! The public generation: one number that every change to what the public sees increases,
//! in the same transaction as the change. Each node caches rendered pages under the
//! generation it read before rendering and serves an entry only while the number is
//! unchanged, so several nodes on one database stay correct (ARCHITECTURE.md, "Page cache").

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// Increases the generation; the new number is known to this process when the
/// transaction commits. Returns it.
pub async fn bump(h: &mut impl Handle, now: OffsetDateTime) -> Result<i64> {
    let at = now.unix_timestamp();
    let (generation,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "UPDATE public_generation SET generation = generation + 1, changed_at = $1 \
         WHERE id = 1 RETURNING generation",
    )
    .bind(at)
    .fetch_one(c)
    .await?);
    h.public_changed(generation, at);
    Ok(generation)
}

/// The generation in the database and when it began (Unix seconds); also recorded as seen.
pub async fn current(h: &mut impl Handle) -> Result<(i64, i64)> {
    let (generation, at): (i64, i64) = dispatch!(h, c => sqlx::query_as(
        "SELECT generation, changed_at FROM public_generation WHERE id = 1",
    )
    .fetch_one(c)
    .await?);
    h.public_changed(generation, at);
    Ok((generation, at))
}
