//! The audit chain's storage: entries appended in the caller's transaction, read back in
//! sequence order for verification and for a record's history.

use gongkai_domain::audit::{EntryContent, entry_hash};
use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// An entry to append.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    /// Who: a user id, or none for the platform itself.
    pub actor_id: Option<i64>,
    /// Who, as shown.
    pub actor_name: &'a str,
    /// What happened.
    pub action: &'a str,
    /// The kind of object.
    pub object_kind: &'a str,
    /// The object's id.
    pub object_id: Option<i64>,
    /// The organization concerned.
    pub org_id: Option<i64>,
    /// Details as JSON text.
    pub detail: &'a str,
}

/// An entry as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    /// Sequence number, from 1, without gaps.
    pub seq: i64,
    /// When.
    pub at: OffsetDateTime,
    /// Who (user id).
    pub actor_id: Option<i64>,
    /// Who, as shown.
    pub actor_name: String,
    /// What happened.
    pub action: String,
    /// The kind of object.
    pub object_kind: String,
    /// The object's id.
    pub object_id: Option<i64>,
    /// The organization concerned.
    pub org_id: Option<i64>,
    /// Details as JSON text.
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl Entry {
    /// The hashed content.
    pub fn content(&self) -> EntryContent<'_> {
        EntryContent {
            at: self.at.unix_timestamp(),
            actor_id: self.actor_id,
            actor_name: &self.actor_name,
            action: &self.action,
            object_kind: &self.object_kind,
            object_id: self.object_id,
            org_id: self.org_id,
            detail: &self.detail,
        }
    }
}

/// Appends an entry after the chain's end; returns its number. The update of the end comes
/// first, so on PostgreSQL its row lock makes concurrent appends wait their turn.
pub async fn append(h: &mut impl Handle, e: &NewEntry<'_>, now: OffsetDateTime) -> Result<i64> {
    let now = crate::truncate(now);
    let (seq, prev): (i64, String) = dispatch!(h, c => sqlx::query_as(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
    )
    .fetch_one(c)
    .await?);
    let hash = entry_hash(
        &prev,
        &EntryContent {
            at: now.unix_timestamp(),
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            object_kind: e.object_kind,
            object_id: e.object_id,
            org_id: e.org_id,
            detail: e.detail,
        },
    );
    dispatch!(h, c => sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_kind, object_id, \
         org_id, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(seq)
    .bind(now)
    .bind(e.actor_id)
    .bind(e.actor_name)
    .bind(e.action)
    .bind(e.object_kind)
    .bind(e.object_id)
    .bind(e.org_id)
    .bind(e.detail)
    .bind(prev.as_str())
    .bind(hash.as_str())
    .execute(c)
    .await
    .map(|_| ())?);
    dispatch!(h, c => sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(hash.as_str())
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(seq)
}

const SELECT: &str = "SELECT seq, at, actor_id, actor_name, action, object_kind, object_id, org_id, \
    detail, prev_hash, hash FROM audit_log";

/// Up to `limit` entries after number `after`, in sequence order.
pub async fn after(h: &mut impl Handle, after: i64, limit: i64) -> Result<Vec<Entry>> {
    let sql = format!("{SELECT} WHERE seq > $1 ORDER BY seq LIMIT $2");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await?))
}

/// The chain's recorded end: its last number and hash.
pub async fn head(h: &mut impl Handle) -> Result<(i64, String)> {
    Ok(
        dispatch!(h, c => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(c)
        .await?),
    )
}

/// The entries about one object, oldest first (a record's history on its page).
pub async fn of_object(h: &mut impl Handle, kind: &str, id: i64) -> Result<Vec<Entry>> {
    let sql = format!("{SELECT} WHERE object_kind = $1 AND object_id = $2 ORDER BY seq");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(kind)
        .bind(id)
        .fetch_all(c)
        .await?))
}

/// The imports committed, by action (`import.documents`, `import.requests`): each batch of an
/// import is one entry.
pub async fn import_batches(h: &mut impl Handle) -> Result<Vec<(String, i64)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT action, COUNT(*) FROM audit_log WHERE object_kind = 'import' GROUP BY action \
         ORDER BY action",
    )
    .fetch_all(c)
    .await?))
}
