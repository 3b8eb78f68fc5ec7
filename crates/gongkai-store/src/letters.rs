//! The letters of a request as issued (`request_letters`), their 文号 serials
//! (`letter_counters`) and the organizations' own templates (`letter_templates`). A letter's
//! `content` names the applicant: `Debug` leaves it out.

use time::{Date, OffsetDateTime};

use crate::{Handle, Result, dispatch};

/// A letter to store.
pub struct NewLetter<'a> {
    /// The request.
    pub request_id: i64,
    /// The issuing organization.
    pub org_id: i64,
    /// Kind code (`reply`, `correction`, …).
    pub kind: &'a str,
    /// Template code (`reply.art36.4`).
    pub template: &'a str,
    /// The 文号 series (the kind's 代字).
    pub series: &'a str,
    /// The 文号 year.
    pub year: i32,
    /// The serial within the series and year.
    pub seq: u32,
    /// The 文号 in full.
    pub number: &'a str,
    /// The day of the letter.
    pub issued_on: Date,
    /// The rendered letter (JSON).
    pub content: &'a str,
    /// Who issued it.
    pub issued_by: Option<i64>,
}

/// A stored letter.
#[derive(Clone, sqlx::FromRow)]
pub struct StoredLetter {
    /// Row id.
    pub id: i64,
    /// The request.
    pub request_id: i64,
    /// The issuing organization.
    pub org_id: i64,
    /// Kind code.
    pub kind: String,
    /// Template code.
    pub template: String,
    /// The 文号.
    pub number: String,
    /// The day of the letter.
    pub issued_on: Date,
    /// The rendered letter (JSON, personal information).
    pub content: String,
    /// Who issued it.
    pub issued_by: Option<i64>,
}

impl std::fmt::Debug for StoredLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredLetter")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("number", &self.number)
            .finish_non_exhaustive()
    }
}

/// Reserves the next 文号 serial of an organization's series in a year.
pub async fn next_serial(h: &mut impl Handle, org_id: i64, series: &str, year: i32) -> Result<u32> {
    let (last,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO letter_counters (org_id, series, year, last_serial) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (org_id, series, year) DO UPDATE SET last_serial = letter_counters.last_serial + 1 \
         RETURNING last_serial",
    )
    .bind(org_id)
    .bind(series)
    .bind(i64::from(year))
    .fetch_one(c)
    .await?);
    u32::try_from(last)
        .map_err(|_| crate::corrupt("letter_counters.last_serial", &last.to_string()))
}

/// Stores a letter; returns its id.
pub async fn insert(h: &mut impl Handle, new: &NewLetter<'_>, now: OffsetDateTime) -> Result<i64> {
    let (id,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO request_letters (request_id, org_id, kind, template, series, year, seq, \
         number, issued_on, content, issued_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(new.request_id)
    .bind(new.org_id)
    .bind(new.kind)
    .bind(new.template)
    .bind(new.series)
    .bind(i64::from(new.year))
    .bind(i64::from(new.seq))
    .bind(new.number)
    .bind(new.issued_on)
    .bind(new.content)
    .bind(new.issued_by)
    .bind(crate::truncate(now))
    .fetch_one(c)
    .await?);
    Ok(id)
}

const COLUMNS: &str =
    "id, request_id, org_id, kind, template, number, issued_on, content, issued_by";

/// The letters of a request, in the order issued.
pub async fn of_request(h: &mut impl Handle, request_id: i64) -> Result<Vec<StoredLetter>> {
    let sql = format!("SELECT {COLUMNS} FROM request_letters WHERE request_id = $1 ORDER BY id");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(request_id)
        .fetch_all(c)
        .await?))
}

/// An organization's own template, if it has one.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredTemplate {
    /// The organization.
    pub org_id: i64,
    /// Template code.
    pub template: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// The templates these organizations wrote themselves.
pub async fn templates_of(h: &mut impl Handle, org_ids: &[i64]) -> Result<Vec<StoredTemplate>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..org_ids.len()).map(|i| crate::ph(i + 1)).collect();
    let sql = format!(
        "SELECT org_id, template, title, body, updated_at FROM letter_templates \
         WHERE org_id IN ({}) ORDER BY template",
        list.join(", ")
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// Writes an organization's own template.
pub async fn set_template(
    h: &mut impl Handle,
    org_id: i64,
    template: &str,
    title: &str,
    body: &str,
    user_id: Option<i64>,
    now: OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO letter_templates (org_id, template, title, body, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (org_id, template) DO UPDATE SET title = excluded.title, \
         body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(org_id)
    .bind(template)
    .bind(title)
    .bind(body)
    .bind(user_id)
    .bind(crate::truncate(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Removes an organization's own template (the inherited one applies again).
pub async fn reset_template(h: &mut impl Handle, org_id: i64, template: &str) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "DELETE FROM letter_templates WHERE org_id = $1 AND template = $2",
    )
    .bind(org_id)
    .bind(template)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n > 0)
}

/// A reply on its way to being signed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Reply {
    /// The request.
    pub request_id: i64,
    /// Workflow stage code (`draft`, `submitted`, `reviewed`, `approved`).
    pub stage: String,
    /// Legal-basis code.
    pub basis: String,
    /// The clerk's fill-ins (JSON object).
    pub written: String,
    /// Who signed 经办.
    pub handled_by: Option<i64>,
    /// Who signed 审核.
    pub reviewed_by: Option<i64>,
    /// Who signed 签发.
    pub approved_by: Option<i64>,
    /// Why it was last returned.
    pub returned_reason: Option<String>,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// The reply of a request, if one was drafted.
pub async fn reply(h: &mut impl Handle, request_id: i64) -> Result<Option<Reply>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT request_id, stage, basis, written, handled_by, reviewed_by, approved_by, \
         returned_reason, updated_at FROM request_replies WHERE request_id = $1",
    )
    .bind(request_id)
    .fetch_optional(c)
    .await?))
}

/// Writes the clerk's reply, signed 经办 and submitted, unless it is under review or signed
/// (`expected`: the stage read, or `None` when there was none). False when someone changed it
/// meanwhile.
pub async fn submit_reply(h: &mut impl Handle, r: &Reply, expected: Option<&str>) -> Result<bool> {
    let n = match expected {
        None => dispatch!(h, c => sqlx::query(
            "INSERT INTO request_replies (request_id, stage, basis, written, handled_by, \
             reviewed_by, approved_by, returned_reason, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL, $6) ON CONFLICT (request_id) DO NOTHING",
        )
        .bind(r.request_id)
        .bind(&r.stage)
        .bind(&r.basis)
        .bind(&r.written)
        .bind(r.handled_by)
        .bind(crate::truncate(r.updated_at))
        .execute(c)
        .await?
        .rows_affected()),
        Some(stage) => dispatch!(h, c => sqlx::query(
            "UPDATE request_replies SET stage = $2, basis = $3, written = $4, handled_by = $5, \
             reviewed_by = NULL, approved_by = NULL, returned_reason = NULL, updated_at = $6 \
             WHERE request_id = $1 AND stage = $7",
        )
        .bind(r.request_id)
        .bind(&r.stage)
        .bind(&r.basis)
        .bind(&r.written)
        .bind(r.handled_by)
        .bind(crate::truncate(r.updated_at))
        .bind(stage)
        .execute(c)
        .await?
        .rows_affected()),
    };
    Ok(n == 1)
}

/// Moves a reply from the stage read to the next with the signature given (审核 or 签发).
/// False when someone acted meanwhile.
pub async fn sign_reply(
    h: &mut impl Handle,
    request_id: i64,
    from: &str,
    to: &str,
    reviewed_by: Option<i64>,
    approved_by: Option<i64>,
    now: OffsetDateTime,
) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "UPDATE request_replies SET stage = $2, reviewed_by = COALESCE($3, reviewed_by), \
         approved_by = COALESCE($4, approved_by), returned_reason = NULL, updated_at = $5 \
         WHERE request_id = $1 AND stage = $6",
    )
    .bind(request_id)
    .bind(to)
    .bind(reviewed_by)
    .bind(approved_by)
    .bind(crate::truncate(now))
    .bind(from)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// Returns a reply to its clerk with the reason, every signature cleared. False when someone
/// acted meanwhile.
pub async fn return_reply(
    h: &mut impl Handle,
    request_id: i64,
    from: &str,
    reason: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "UPDATE request_replies SET stage = 'draft', handled_by = NULL, reviewed_by = NULL, \
         approved_by = NULL, returned_reason = $2, updated_at = $3 \
         WHERE request_id = $1 AND stage = $4",
    )
    .bind(request_id)
    .bind(reason)
    .bind(crate::truncate(now))
    .bind(from)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// Replies of these organizations' requests at a stage (the reviewers' and approvers' work).
pub async fn replies_at(
    h: &mut impl Handle,
    org_ids: &[i64],
    stage: &str,
) -> Result<Vec<(String, i64)>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..org_ids.len()).map(|i| crate::ph(i + 2)).collect();
    let sql = format!(
        "SELECT r.tracking, r.org_id FROM request_replies p JOIN requests r ON r.id = p.request_id \
         WHERE p.stage = $1 AND r.org_id IN ({}) ORDER BY p.updated_at, r.id",
        list.join(", ")
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(stage);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// The reply stages of these requests (those with a reply on its way or signed).
pub async fn reply_stages(h: &mut impl Handle, request_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in request_ids.chunks(500) {
        let list: Vec<String> = (0..chunk.len()).map(|i| crate::ph(i + 1)).collect();
        let sql = format!(
            "SELECT request_id, stage FROM request_replies WHERE request_id IN ({})",
            list.join(", ")
        );
        let rows: Vec<(i64, String)> = dispatch!(h, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(c).await?
        });
        out.extend(rows);
    }
    Ok(out)
}
