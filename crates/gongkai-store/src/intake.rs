//! Applications as filed (`request_intake`): what the applicant sent, the hash of the secret
//! that lets them follow it, and the request it became once registered. `applicant` is
//! personal information: `Debug` leaves it out.

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// An application to store.
pub struct NewIntake<'a> {
    /// The organization asked.
    pub org_id: i64,
    /// 查询码.
    pub tracking: &'a str,
    /// SHA-256 (hex) of the secret.
    pub secret_hash: &'a str,
    /// `online`, `letter`, `walk_in`.
    pub channel: &'a str,
    /// Applicant type code.
    pub applicant_type: &'a str,
    /// The applicant's details as JSON.
    pub applicant: &'a str,
    /// What is asked for.
    pub description: &'a str,
    /// 申请用途.
    pub purpose: Option<&'a str>,
    /// Form code.
    pub form: Option<&'a str>,
    /// Delivery code.
    pub delivery: Option<&'a str>,
}

/// A stored application.
#[derive(Clone, sqlx::FromRow)]
pub struct Intake {
    /// Row id.
    pub id: i64,
    /// The organization asked.
    pub org_id: i64,
    /// 查询码.
    pub tracking: String,
    /// SHA-256 (hex) of the secret.
    pub secret_hash: String,
    /// How it came in.
    pub channel: String,
    /// Applicant type code.
    pub applicant_type: String,
    /// The applicant's details as JSON (personal information).
    pub applicant: String,
    /// What is asked for.
    pub description: String,
    /// 申请用途.
    pub purpose: Option<String>,
    /// Form code.
    pub form: Option<String>,
    /// Delivery code.
    pub delivery: Option<String>,
    /// When it was filed.
    pub submitted_at: OffsetDateTime,
    /// The request it became once registered.
    pub request_id: Option<i64>,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake")
            .field("id", &self.id)
            .field("tracking", &self.tracking)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, org_id, tracking, secret_hash, channel, applicant_type, applicant, \
    description, purpose, form, delivery, submitted_at, request_id";

/// Stores an application; returns its id.
pub async fn insert(h: &mut impl Handle, new: &NewIntake<'_>, now: OffsetDateTime) -> Result<i64> {
    let (id,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO request_intake (org_id, tracking, secret_hash, channel, applicant_type, \
         applicant, description, purpose, form, delivery, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(new.org_id)
    .bind(new.tracking)
    .bind(new.secret_hash)
    .bind(new.channel)
    .bind(new.applicant_type)
    .bind(new.applicant)
    .bind(new.description)
    .bind(new.purpose)
    .bind(new.form)
    .bind(new.delivery)
    .bind(crate::truncate(now))
    .fetch_one(c)
    .await?);
    Ok(id)
}

/// The application with this 查询码.
pub async fn by_tracking(h: &mut impl Handle, tracking: &str) -> Result<Option<Intake>> {
    let sql = format!("SELECT {COLUMNS} FROM request_intake WHERE tracking = $1");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tracking)
        .fetch_optional(c)
        .await?))
}

/// Whether a 查询码 is taken, by an application or an imported request.
pub async fn tracking_taken(h: &mut impl Handle, tracking: &str) -> Result<bool> {
    let n: i64 = dispatch!(h, c => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM request_intake WHERE tracking = $1) \
         + (SELECT COUNT(*) FROM requests WHERE tracking = $1)",
    )
    .bind(tracking)
    .fetch_one(c)
    .await?);
    Ok(n > 0)
}

/// Links a registered application to its request; false when it was registered already.
pub async fn set_registered(
    h: &mut impl Handle,
    id: i64,
    request_id: i64,
    user_id: Option<i64>,
) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "UPDATE request_intake SET request_id = $1, registered_by = $2 \
         WHERE id = $3 AND request_id IS NULL",
    )
    .bind(request_id)
    .bind(user_id)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// Applications of these organizations not yet registered, oldest first.
pub async fn waiting(h: &mut impl Handle, org_ids: &[i64], limit: i64) -> Result<Vec<Intake>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..org_ids.len()).map(|i| crate::ph(i + 2)).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM request_intake WHERE request_id IS NULL AND org_id IN ({}) \
         ORDER BY submitted_at, id LIMIT $1",
        list.join(", ")
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// Stores what an applicant sent in answer to a 补正告知书.
pub async fn add_correction(
    h: &mut impl Handle,
    request_id: i64,
    text: &str,
    now: OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO request_corrections (request_id, text, submitted_at) VALUES ($1, $2, $3)",
    )
    .bind(request_id)
    .bind(text)
    .bind(crate::truncate(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The corrections an applicant sent for a request: (text, when), oldest first.
pub async fn corrections(
    h: &mut impl Handle,
    request_id: i64,
) -> Result<Vec<(String, OffsetDateTime)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT text, submitted_at FROM request_corrections WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(c)
    .await?))
}
