//! The log of records whose searchable content changed, read by each node's search index.
//!
//! [`append`] must run after the transaction's [`crate::generation::bump`]: the bump's row
//! lock makes transactions that change public records commit one at a time on PostgreSQL,
//! so a node that has applied every row up to `seq` never sees a smaller one appear later.

use crate::{Handle, Result, dispatch};

/// Notes that these records changed.
pub async fn append(h: &mut impl Handle, document_ids: &[i64]) -> Result<()> {
    for chunk in document_ids.chunks(crate::documents::BATCH * 10) {
        let mut sql = "INSERT INTO search_changes (document_id) VALUES ".to_owned();
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&crate::bulk_ph(h, i + 1));
            sql.push(')');
        }
        dispatch!(h, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(c).await?;
        });
    }
    Ok(())
}

/// Up to `limit` changes after `seq`, in order: `(seq, document_id)`.
pub async fn after(h: &mut impl Handle, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT seq, document_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// The newest change's `seq` (0 when there is none).
pub async fn last(h: &mut impl Handle) -> Result<i64> {
    let (n,): (Option<i64>,) = dispatch!(h, c => sqlx::query_as(
        "SELECT MAX(seq) FROM search_changes",
    )
    .fetch_one(c)
    .await?);
    Ok(n.unwrap_or(0))
}
