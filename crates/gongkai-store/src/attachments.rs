//! Attachments of disclosure records: metadata and extracted text. The bytes live on disk
//! (content-addressed by SHA-256), not in the database.

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// An attachment row.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Attachment {
    /// Row id.
    pub id: i64,
    /// Owning record.
    pub document_id: i64,
    /// Order on the page.
    pub position: i64,
    /// File name as uploaded.
    pub file_name: String,
    /// MIME type.
    pub media_type: String,
    /// Size in bytes.
    pub byte_size: i64,
    /// Hex SHA-256 of the bytes; also the file's name in storage.
    pub sha256: String,
    /// Extracted text.
    pub text: String,
    /// Why the text is missing or incomplete (Chinese, for staff); `None` when all of it
    /// was read.
    pub text_problem: Option<String>,
    /// Who checked by eye an attachment whose text could not be read in full.
    pub text_checked_by: Option<i64>,
    /// What they noted.
    pub text_checked_note: Option<String>,
}

const COLUMNS: &str = "id, document_id, position, file_name, media_type, byte_size, sha256, text, \
    text_problem, text_checked_by, text_checked_note";

/// An attachment to insert.
#[derive(Clone, Debug)]
pub struct NewAttachment<'a> {
    /// Owning record.
    pub document_id: i64,
    /// File name as uploaded.
    pub file_name: &'a str,
    /// MIME type.
    pub media_type: &'a str,
    /// Size in bytes.
    pub byte_size: i64,
    /// Hex SHA-256.
    pub sha256: &'a str,
    /// Extracted text.
    pub text: &'a str,
    /// Why the text is missing or incomplete, if it is.
    pub text_problem: Option<&'a str>,
}

/// Inserts an attachment at the end of the record's list.
pub async fn insert(
    h: &mut impl Handle,
    new: &NewAttachment<'_>,
    now: OffsetDateTime,
) -> Result<Attachment> {
    let sql = format!(
        "INSERT INTO attachments (document_id, position, file_name, media_type, byte_size, sha256, text, text_problem, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM attachments WHERE document_id = $1), \
         $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    );
    let now = crate::truncate(now);
    crate::generation::bump(h, now).await?;
    crate::search_changes::append(h, &[new.document_id]).await?;
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(new.document_id)
        .bind(new.file_name)
        .bind(new.media_type)
        .bind(new.byte_size)
        .bind(new.sha256)
        .bind(new.text)
        .bind(new.text_problem)
        .bind(now)
        .fetch_one(c)
        .await?))
}

/// The attachments of a record in order.
pub async fn of_document(h: &mut impl Handle, document_id: i64) -> Result<Vec<Attachment>> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE document_id = $1 ORDER BY position");
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(document_id).fetch_all(c).await?),
    )
}

/// One attachment.
pub async fn by_id(h: &mut impl Handle, id: i64) -> Result<Option<Attachment>> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = $1");
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?),
    )
}

/// The extracted text of the attachments of several records, in order:
/// `(document_id, text)` per attachment.
pub async fn texts(h: &mut impl Handle, document_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if document_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=document_ids.len()).map(crate::ph).collect();
    let sql = format!(
        "SELECT document_id, text FROM attachments WHERE document_id IN ({}) \
         ORDER BY document_id, position",
        list.join(", ")
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in document_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// Records that a person checked by eye an attachment whose text could not be read in full.
pub async fn mark_checked(h: &mut impl Handle, id: i64, user_id: i64, note: &str) -> Result<bool> {
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE attachments SET text_checked_by = $1, text_checked_note = $2 \
         WHERE id = $3 AND text_problem IS NOT NULL",
    )
    .bind(user_id)
    .bind(note)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Replaces an attachment's file (a redacted copy) keeping its place in the record.
pub async fn replace_content(
    h: &mut impl Handle,
    id: i64,
    new: &NewAttachment<'_>,
) -> Result<bool> {
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE attachments SET file_name = $1, media_type = $2, byte_size = $3, sha256 = $4, \
         text = $5, text_problem = $6, text_checked_by = NULL, text_checked_note = NULL \
         WHERE id = $7 AND document_id = $8",
    )
    .bind(new.file_name)
    .bind(new.media_type)
    .bind(new.byte_size)
    .bind(new.sha256)
    .bind(new.text)
    .bind(new.text_problem)
    .bind(id)
    .bind(new.document_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Removes an attachment of a record; returns whether it was there.
pub async fn delete(h: &mut impl Handle, id: i64, document_id: i64) -> Result<bool> {
    let done = dispatch!(h, c => sqlx::query(
        "DELETE FROM attachments WHERE id = $1 AND document_id = $2",
    )
    .bind(id)
    .bind(document_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// How many attachments hold the bytes with this SHA-256.
pub async fn count_with_sha(h: &mut impl Handle, sha256: &str) -> Result<i64> {
    Ok(dispatch!(h, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM attachments WHERE sha256 = $1",
    )
    .bind(sha256)
    .fetch_one(c)
    .await?))
}
