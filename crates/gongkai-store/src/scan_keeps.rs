//! Findings of the sensitive-information scan that a person kept with a written reason.
//! A finding is named by where it is (`body` or `attachment:ID`), its kind and a hash of
//! its value, never the value itself.

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// A kept finding.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Keep {
    /// Where: `body` or `attachment:ID`.
    pub source: String,
    /// The finding's kind code.
    pub kind: String,
    /// SHA-256 of the matched value.
    pub value_hash: String,
    /// Why it stays.
    pub reason: String,
    /// Who decided.
    pub user_id: Option<i64>,
}

/// Keeps a finding; a second decision on the same finding replaces the first.
pub async fn keep(
    h: &mut impl Handle,
    document_id: i64,
    k: &Keep,
    now: OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO scan_keeps (document_id, source, kind, value_hash, reason, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (document_id, source, kind, value_hash) \
         DO UPDATE SET reason = excluded.reason, user_id = excluded.user_id, at = excluded.at",
    )
    .bind(document_id)
    .bind(k.source.as_str())
    .bind(k.kind.as_str())
    .bind(k.value_hash.as_str())
    .bind(k.reason.as_str())
    .bind(k.user_id)
    .bind(crate::truncate(now))
    .execute(c)
    .await
    .map(|_| ())?);
    Ok(())
}

/// The kept findings of a record.
pub async fn of_document(h: &mut impl Handle, document_id: i64) -> Result<Vec<Keep>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT source, kind, value_hash, reason, user_id FROM scan_keeps WHERE document_id = $1 \
         ORDER BY source, kind, value_hash",
    )
    .bind(document_id)
    .fetch_all(c)
    .await?))
}
