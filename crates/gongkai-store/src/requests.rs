//! Information requests, their 行政复议/行政诉讼 cases, and the log of due dates that a
//! calendar change moved.
//!
//! `applicant`, `bases` and `events` are JSON text written and read whole by the application;
//! `applicant` is personal information and is never selected by the report queries.

use std::collections::BTreeMap;

use sqlx::FromRow;
use time::{Date, OffsetDateTime};

use crate::{Handle, Result, dispatch, ph};

/// A request to insert.
#[derive(Clone, Debug)]
pub struct NewRequest {
    /// Organization asked.
    pub org_id: i64,
    /// 查询码, unique.
    pub tracking: String,
    /// Applicant type code.
    pub applicant_type: &'static str,
    /// Day received (Art. 31).
    pub received_date: Date,
    /// Outcome code once closed.
    pub outcome: Option<&'static str>,
    /// Day replied or withdrawn.
    pub replied_date: Option<Date>,
    /// JSON array of legal-basis codes.
    pub bases: String,
    /// JSON object of applicant details (personal information).
    pub applicant: String,
    /// Description of the information wanted.
    pub description: Option<String>,
    /// JSON array of clock events (DOMAIN A6.1).
    pub events: String,
    /// Due date as the clock computed it.
    pub due_date: Option<Date>,
    /// Why there is no due date (e.g. a calendar year not loaded).
    pub due_problem: Option<String>,
    /// Reviews and lawsuits, in order.
    pub reviews: Vec<NewReview>,
}

/// A review or lawsuit to insert.
#[derive(Clone, Debug)]
pub struct NewReview {
    /// Kind code.
    pub kind: &'static str,
    /// Day filed.
    pub filed_date: Date,
    /// Result code once decided.
    pub result: Option<&'static str>,
    /// Day decided.
    pub decided_date: Option<Date>,
}

/// A stored request.
#[derive(Clone, FromRow)]
pub struct Request {
    /// Id.
    pub id: i64,
    /// Organization id.
    pub org_id: i64,
    /// Organization code.
    pub org_code: String,
    /// 查询码.
    pub tracking: String,
    /// Applicant type code.
    pub applicant_type: String,
    /// Day received.
    pub received_date: Date,
    /// Outcome code.
    pub outcome: Option<String>,
    /// Day replied or withdrawn.
    pub replied_date: Option<Date>,
    /// JSON array of legal-basis codes.
    pub bases: String,
    /// JSON object of applicant details (personal information).
    pub applicant: String,
    /// Description.
    pub description: Option<String>,
    /// JSON array of clock events.
    pub events: String,
    /// Due date.
    pub due_date: Option<Date>,
    /// Why there is no due date, or why it is provisional (a year whose 放假 notice is not
    /// loaded).
    pub due_problem: Option<String>,
}

impl std::fmt::Debug for Request {
    // The applicant's details and the description stay out of debug output and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("id", &self.id)
            .field("org_code", &self.org_code)
            .field("tracking", &self.tracking)
            .field("received_date", &self.received_date)
            .field("outcome", &self.outcome)
            .field("replied_date", &self.replied_date)
            .field("due_date", &self.due_date)
            .finish_non_exhaustive()
    }
}

/// A stored review or lawsuit.
#[derive(Clone, Debug, FromRow)]
pub struct ReviewRow {
    /// The request.
    pub request_id: i64,
    /// Kind code.
    pub kind: String,
    /// Day filed.
    pub filed_date: Date,
    /// Result code.
    pub result: Option<String>,
    /// Day decided.
    pub decided_date: Option<Date>,
}

/// An open request, as the clock recomputation needs it.
#[derive(Clone, Debug, FromRow)]
pub struct OpenRequest {
    /// Id.
    pub id: i64,
    /// 查询码.
    pub tracking: String,
    /// Day received.
    pub received_date: Date,
    /// JSON array of clock events.
    pub events: String,
    /// Due date stored.
    pub due_date: Option<Date>,
    /// Why there is no due date, or why it is provisional (a year whose 放假 notice is not
    /// loaded).
    pub due_problem: Option<String>,
}

/// A due date a calendar change moved.
#[derive(Clone, Debug, FromRow)]
pub struct DueChange {
    /// The request.
    pub request_id: i64,
    /// Its 查询码.
    pub tracking: String,
    /// Due date before.
    pub old_due: Option<Date>,
    /// Due date after.
    pub new_due: Option<Date>,
    /// The calendar year loaded.
    pub calendar_year: i64,
    /// The version of that year's notice.
    pub calendar_version: i64,
    /// When.
    pub changed_at: OffsetDateTime,
}

const SELECT: &str = "SELECT r.id, r.org_id, o.code AS org_code, r.tracking, r.applicant_type, \
    r.received_date, r.outcome, r.replied_date, r.bases, r.applicant, r.description, r.events, \
    r.due_date, r.due_problem FROM requests r JOIN orgs o ON o.id = r.org_id";

const ARITY: usize = 14;
/// Rows per multi-row `INSERT`.
pub const BATCH: usize = 200;

/// Inserts requests and their reviews with multi-row `VALUES`; returns the ids in order.
pub async fn insert_many(
    h: &mut impl Handle,
    rows: &[NewRequest],
    now: OffsetDateTime,
) -> Result<Vec<i64>> {
    let now = crate::truncate(now);
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO requests (org_id, tracking, applicant_type, received_date, outcome, \
             replied_date, bases, applicant, description, events, due_date, due_problem, \
             created_at, updated_at) VALUES {} RETURNING id",
            values(chunk.len(), ARITY)
        );
        let got: Vec<(i64,)> = dispatch!(h, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(r.org_id)
                    .bind(r.tracking.as_str())
                    .bind(r.applicant_type)
                    .bind(r.received_date)
                    .bind(r.outcome)
                    .bind(r.replied_date)
                    .bind(r.bases.as_str())
                    .bind(r.applicant.as_str())
                    .bind(r.description.as_deref())
                    .bind(r.events.as_str())
                    .bind(r.due_date)
                    .bind(r.due_problem.as_deref())
                    .bind(now)
                    .bind(now);
            }
            q.fetch_all(c).await?
        });
        let mut got: Vec<i64> = got.into_iter().map(|r| r.0).collect();
        got.sort_unstable();
        let mut counts: BTreeMap<CountKey, i64> = BTreeMap::new();
        for r in chunk {
            let closed = r.outcome.zip(r.replied_date);
            *counts
                .entry(CountKey::of(
                    r.org_id,
                    r.applicant_type,
                    r.received_date,
                    closed,
                ))
                .or_default() += 1;
        }
        add_counts(h, &counts).await?;
        let reviews: Vec<(i64, i64, &NewReview)> = got
            .iter()
            .zip(chunk)
            .flat_map(|(id, r)| {
                r.reviews
                    .iter()
                    .enumerate()
                    .map(move |(i, rv)| (*id, i as i64, rv))
            })
            .collect();
        for part in reviews.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO request_reviews (request_id, position, kind, filed_date, result, \
                 decided_date) VALUES {}",
                values(part.len(), 6)
            );
            dispatch!(h, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (id, pos, rv) in part {
                    q = q
                        .bind(*id)
                        .bind(*pos)
                        .bind(rv.kind)
                        .bind(rv.filed_date)
                        .bind(rv.result)
                        .bind(rv.decided_date);
                }
                q.execute(c).await?.rows_affected()
            });
        }
        ids.extend(got);
    }
    Ok(ids)
}

/// `($1, …, $arity), (…)` for `rows` rows.
fn values(rows: usize, arity: usize) -> String {
    let mut sql = String::new();
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for j in 0..arity {
            if j > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&ph(i * arity + j + 1));
        }
        sql.push(')');
    }
    sql
}

/// `$first, …` placeholders for an `IN` list of `n` values.
fn list(first: usize, n: usize) -> String {
    (first..first + n).map(ph).collect::<Vec<_>>().join(", ")
}

/// Those of `trackings` already taken.
pub async fn existing_trackings(h: &mut impl Handle, trackings: &[String]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for chunk in trackings.chunks(500) {
        let sql = format!(
            "SELECT tracking FROM requests WHERE tracking IN ({})",
            list(1, chunk.len())
        );
        let rows: Vec<(String,)> = dispatch!(h, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for t in chunk {
                q = q.bind(t.as_str());
            }
            q.fetch_all(c).await?
        });
        found.extend(rows.into_iter().map(|r| r.0));
    }
    Ok(found)
}

/// The request with this id.
pub async fn by_id(h: &mut impl Handle, id: i64) -> Result<Option<Request>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?))
}

/// The requests of these organizations not yet replied to, the soonest due first (those
/// without a due date, awaiting a correction or a calendar, last).
pub async fn open_of(h: &mut impl Handle, org_ids: &[i64], limit: i64) -> Result<Vec<Request>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE r.replied_date IS NULL AND r.org_id IN ({}) \
         ORDER BY CASE WHEN r.due_date IS NULL THEN 1 ELSE 0 END, r.due_date, r.id LIMIT $1",
        list(2, org_ids.len())
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// The request with this 查询码.
pub async fn by_tracking(h: &mut impl Handle, tracking: &str) -> Result<Option<Request>> {
    let sql = format!("{SELECT} WHERE r.tracking = $1");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tracking)
        .fetch_optional(c)
        .await?))
}

/// Up to `limit` requests of the given organizations (all when `None`) with an id above
/// `after`, by id.
pub async fn page(
    h: &mut impl Handle,
    org_ids: Option<&[i64]>,
    after: i64,
    limit: i64,
) -> Result<Vec<Request>> {
    let orgs = org_ids.unwrap_or(&[]);
    let sql = match org_ids {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!(
            "{SELECT} WHERE r.id > $1 AND r.org_id IN ({}) ORDER BY r.id LIMIT $2",
            list(3, ids.len())
        ),
        None => format!("{SELECT} WHERE r.id > $1 ORDER BY r.id LIMIT $2"),
    };
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit);
        for id in orgs {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// The reviews of these requests, by request and position.
pub async fn reviews_of(h: &mut impl Handle, request_ids: &[i64]) -> Result<Vec<ReviewRow>> {
    let mut out = Vec::new();
    for chunk in request_ids.chunks(500) {
        let sql = format!(
            "SELECT request_id, kind, filed_date, result, decided_date FROM request_reviews \
             WHERE request_id IN ({}) ORDER BY request_id, position",
            list(1, chunk.len())
        );
        let rows: Vec<ReviewRow> = dispatch!(h, c => {
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

/// The reviews of these organizations' requests filed between `start` and `end`.
pub async fn report_reviews(
    h: &mut impl Handle,
    org_ids: &[i64],
    start: Date,
    end: Date,
) -> Result<Vec<ReviewRow>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT v.request_id, v.kind, v.filed_date, v.result, v.decided_date \
         FROM request_reviews v CROSS JOIN requests r \
         WHERE r.id = v.request_id AND v.filed_date >= $1 AND v.filed_date <= $2 \
         AND r.org_id IN ({}) \
         ORDER BY v.request_id, v.position",
        list(3, org_ids.len())
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(start).bind(end);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// Every request not yet replied to or withdrawn.
pub async fn open(h: &mut impl Handle) -> Result<Vec<OpenRequest>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT id, tracking, received_date, events, due_date, due_problem FROM requests \
         WHERE replied_date IS NULL ORDER BY id",
    )
    .fetch_all(c)
    .await?))
}

/// Stores a request's clock after an event: its events, due date and, once replied, the
/// outcome, its bases and the reply day. A reply is stored only on a request still open (and
/// moves it in [`request_counts`](count_rows)); returns false when it was closed meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn set_clock(
    h: &mut impl Handle,
    id: i64,
    events: &str,
    due: Option<Date>,
    problem: Option<&str>,
    closed: Option<(&str, Date, &str)>,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = crate::truncate(now);
    let Some((outcome, replied, bases)) = closed else {
        dispatch!(h, c => sqlx::query(
            "UPDATE requests SET events = $1, due_date = $2, due_problem = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(events)
        .bind(due)
        .bind(problem)
        .bind(now)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
        return Ok(true);
    };
    let moved: Option<(i64, String, Date)> = dispatch!(h, c => sqlx::query_as(
        "UPDATE requests SET events = $1, due_date = $2, due_problem = $3, outcome = $4, \
         replied_date = $5, bases = $6, updated_at = $7 WHERE id = $8 AND replied_date IS NULL \
         RETURNING org_id, applicant_type, received_date",
    )
    .bind(events)
    .bind(due)
    .bind(problem)
    .bind(outcome)
    .bind(replied)
    .bind(bases)
    .bind(now)
    .bind(id)
    .fetch_optional(c)
    .await?);
    let Some((org_id, applicant_type, received)) = moved else {
        return Ok(false);
    };
    let open = CountKey::of(org_id, &applicant_type, received, None);
    let shut = CountKey::of(org_id, &applicant_type, received, Some((outcome, replied)));
    add_counts(h, &BTreeMap::from([(open, -1), (shut, 1)])).await?;
    Ok(true)
}

/// One row of `request_counts`: requests of an organization and applicant type received in
/// a year and, once closed, closed in a year with an outcome (`0` and `""` while open).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, FromRow)]
pub struct CountKey {
    /// The handling organization.
    pub org_id: i64,
    /// Applicant type code.
    pub applicant_type: String,
    /// Year of 收到申请之日.
    pub received_year: i32,
    /// Year of the reply or withdrawal; 0 while open.
    pub closed_year: i32,
    /// Outcome code; empty while open.
    pub outcome: String,
}

impl CountKey {
    /// The row a request counts in.
    pub fn of(
        org_id: i64,
        applicant_type: &str,
        received: Date,
        closed: Option<(&str, Date)>,
    ) -> Self {
        CountKey {
            org_id,
            applicant_type: applicant_type.to_owned(),
            received_year: received.year(),
            closed_year: closed.map_or(0, |(_, d)| d.year()),
            outcome: closed.map_or_else(String::new, |(o, _)| o.to_owned()),
        }
    }
}

/// Adds to `request_counts` (one statement per [`BATCH`] keys).
async fn add_counts(h: &mut impl Handle, deltas: &BTreeMap<CountKey, i64>) -> Result<()> {
    let deltas: Vec<(&CountKey, &i64)> = deltas.iter().filter(|(_, n)| **n != 0).collect();
    for chunk in deltas.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO request_counts (org_id, applicant_type, received_year, closed_year, \
             outcome, n) VALUES {} ON CONFLICT (org_id, applicant_type, received_year, \
             closed_year, outcome) DO UPDATE SET n = request_counts.n + excluded.n",
            values(chunk.len(), 6)
        );
        dispatch!(h, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (k, n) in chunk {
                q = q
                    .bind(k.org_id)
                    .bind(k.applicant_type.as_str())
                    .bind(k.received_year)
                    .bind(k.closed_year)
                    .bind(k.outcome.as_str())
                    .bind(**n);
            }
            q.execute(c).await?.rows_affected()
        });
    }
    Ok(())
}

/// The request counts of these organizations that table 三 of `year` may need: received by
/// the end of the year and open or closed from its start, summed over the organizations.
pub async fn count_rows(
    h: &mut impl Handle,
    org_ids: &[i64],
    year: i32,
) -> Result<Vec<(String, i32, i32, String, i64)>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT applicant_type, received_year, closed_year, outcome, CAST(SUM(n) AS BIGINT) \
         FROM request_counts WHERE received_year <= $1 AND (closed_year = 0 OR closed_year >= $2) \
         AND n <> 0 AND org_id IN ({}) GROUP BY applicant_type, received_year, closed_year, outcome",
        list(3, org_ids.len())
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(year).bind(year);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// Every row of `request_counts` and the same counts recomputed from `requests`, for checking
/// that they agree.
pub async fn counts_and_recount(
    h: &mut impl Handle,
) -> Result<(Vec<(CountKey, i64)>, Vec<(CountKey, i64)>)> {
    let kept: Vec<(i64, String, i32, i32, String, i64)> = dispatch!(h, c => sqlx::query_as(
        "SELECT org_id, applicant_type, received_year, closed_year, outcome, n \
         FROM request_counts WHERE n <> 0 \
         ORDER BY org_id, applicant_type, received_year, closed_year, outcome",
    )
    .fetch_all(c)
    .await?);
    #[derive(FromRow)]
    struct Counted {
        org_id: i64,
        applicant_type: String,
        received_date: Date,
        outcome: Option<String>,
        replied_date: Option<Date>,
    }
    let rows: Vec<Counted> = dispatch!(h, c => sqlx::query_as(
        "SELECT org_id, applicant_type, received_date, outcome, replied_date FROM requests",
    )
    .fetch_all(c)
    .await?);
    let mut recount: BTreeMap<CountKey, i64> = BTreeMap::new();
    for r in &rows {
        let closed = r.outcome.as_deref().zip(r.replied_date);
        *recount
            .entry(CountKey::of(
                r.org_id,
                &r.applicant_type,
                r.received_date,
                closed,
            ))
            .or_default() += 1;
    }
    let kept = kept
        .into_iter()
        .map(
            |(org_id, applicant_type, received_year, closed_year, outcome, n)| {
                (
                    CountKey {
                        org_id,
                        applicant_type,
                        received_year,
                        closed_year,
                        outcome,
                    },
                    n,
                )
            },
        )
        .collect();
    Ok((kept, recount.into_iter().collect()))
}

/// Stores a recomputed due date.
pub async fn set_due(
    h: &mut impl Handle,
    id: i64,
    due: Option<Date>,
    problem: Option<&str>,
    now: OffsetDateTime,
) -> Result<()> {
    let now = crate::truncate(now);
    dispatch!(h, c => sqlx::query(
        "UPDATE requests SET due_date = $1, due_problem = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(due)
    .bind(problem)
    .bind(now)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Records that loading version `version` of `year`'s calendar moved a due date.
pub async fn log_due_change(
    h: &mut impl Handle,
    id: i64,
    old: Option<Date>,
    new: Option<Date>,
    year: i32,
    version: i64,
    now: OffsetDateTime,
) -> Result<()> {
    let now = crate::truncate(now);
    dispatch!(h, c => sqlx::query(
        "INSERT INTO request_due_changes (request_id, old_due, new_due, calendar_year, \
         calendar_version, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(old)
    .bind(new)
    .bind(i64::from(year))
    .bind(version)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The due-date changes recorded, oldest first.
pub async fn due_changes(h: &mut impl Handle) -> Result<Vec<DueChange>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT d.request_id, r.tracking, d.old_due, d.new_due, d.calendar_year, \
         d.calendar_version, d.changed_at FROM request_due_changes d \
         JOIN requests r ON r.id = d.request_id ORDER BY d.id",
    )
    .fetch_all(c)
    .await?))
}

/// Number of requests stored.
pub async fn count(h: &mut impl Handle) -> Result<i64> {
    let (n,): (i64,) = dispatch!(h, c => sqlx::query_as("SELECT COUNT(*) FROM requests")
        .fetch_one(c)
        .await?);
    Ok(n)
}

/// Who handles a request and whether it is archived.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct Handling {
    /// The request.
    pub request_id: i64,
    /// 承办人.
    pub assigned_to: Option<i64>,
    /// 归档 day.
    pub archived_on: Option<Date>,
    /// Who archived it.
    pub archived_by: Option<i64>,
}

/// The handling of these requests (those with any).
pub async fn handling_of(h: &mut impl Handle, request_ids: &[i64]) -> Result<Vec<Handling>> {
    let mut out = Vec::new();
    for chunk in request_ids.chunks(500) {
        let sql = format!(
            "SELECT request_id, assigned_to, archived_on, archived_by FROM request_handling \
             WHERE request_id IN ({})",
            list(1, chunk.len())
        );
        let rows: Vec<Handling> = dispatch!(h, c => {
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

/// Assigns a request to a person (or nobody).
pub async fn assign(
    h: &mut impl Handle,
    request_id: i64,
    user_id: Option<i64>,
    now: time::OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO request_handling (request_id, assigned_to, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (request_id) DO UPDATE SET assigned_to = excluded.assigned_to, \
         updated_at = excluded.updated_at",
    )
    .bind(request_id)
    .bind(user_id)
    .bind(crate::truncate(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Archives a request on `day`; false when it was archived already.
pub async fn archive(
    h: &mut impl Handle,
    request_id: i64,
    day: Date,
    user_id: Option<i64>,
    now: time::OffsetDateTime,
) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "INSERT INTO request_handling (request_id, archived_on, archived_by, updated_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (request_id) DO UPDATE SET archived_on = excluded.archived_on, \
         archived_by = excluded.archived_by, updated_at = excluded.updated_at \
         WHERE request_handling.archived_on IS NULL",
    )
    .bind(request_id)
    .bind(day)
    .bind(user_id)
    .bind(crate::truncate(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// Adds a 行政复议 or 行政诉讼 case to a request, after its others.
pub async fn add_review(h: &mut impl Handle, request_id: i64, r: &NewReview) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO request_reviews (request_id, position, kind, filed_date, result, decided_date) \
         VALUES ($1, (SELECT COALESCE(MAX(position), -1) + 1 FROM request_reviews WHERE request_id = $1), \
         $2, $3, $4, $5)",
    )
    .bind(request_id)
    .bind(r.kind)
    .bind(r.filed_date)
    .bind(r.result)
    .bind(r.decided_date)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Records the decision of a pending case (by position); false when there is no such
/// pending case.
pub async fn decide_review(
    h: &mut impl Handle,
    request_id: i64,
    position: i64,
    result: &str,
    decided: Date,
) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "UPDATE request_reviews SET result = $3, decided_date = $4 \
         WHERE request_id = $1 AND position = $2 AND result IS NULL",
    )
    .bind(request_id)
    .bind(position)
    .bind(result)
    .bind(decided)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// An organization's 计费方式 code, if it chose one.
pub async fn fee_rule(h: &mut impl Handle, org_id: i64) -> Result<Option<String>> {
    let row: Option<(String,)> = dispatch!(h, c => sqlx::query_as(
        "SELECT rule FROM org_fee_rules WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_optional(c)
    .await?);
    Ok(row.map(|r| r.0))
}

/// Sets an organization's 计费方式.
pub async fn set_fee_rule(
    h: &mut impl Handle,
    org_id: i64,
    rule: &str,
    user_id: Option<i64>,
    now: time::OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO org_fee_rules (org_id, rule, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(org_id)
    .bind(rule)
    .bind(user_id)
    .bind(crate::truncate(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The requests an organization received between two days (inclusive): id, day received and
/// the applicant's details (personal information), by day and id.
pub async fn received_between(
    h: &mut impl Handle,
    org_id: i64,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, Date, String)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT id, received_date, applicant FROM requests \
         WHERE org_id = $1 AND received_date >= $2 AND received_date <= $3 \
         ORDER BY received_date, id",
    )
    .bind(org_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?))
}

/// A request behind a figure of the annual report: no personal information.
#[derive(Clone, Debug, FromRow)]
pub struct CellRow {
    /// 查询码.
    pub tracking: String,
    /// The handling organization.
    pub org_id: i64,
    /// Applicant type code.
    pub applicant_type: String,
    /// Day received.
    pub received_date: Date,
    /// Outcome code.
    pub outcome: Option<String>,
    /// Day replied or withdrawn.
    pub replied_date: Option<Date>,
}

enum CellParam {
    Int(i64),
    Text(&'static str),
    Day(Date),
}

macro_rules! bind_cell {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                CellParam::Int(i) => q.bind(*i),
                CellParam::Text(s) => q.bind(*s),
                CellParam::Day(d) => q.bind(*d),
            };
        }
        q
    }};
}

/// One page of the requests of these organizations that a figure of table 三 counts, by 查询码,
/// and how many there are in all.
pub async fn cell_requests(
    h: &mut impl Handle,
    org_ids: &[i64],
    cell: &gongkai_domain::report::RequestCell,
    offset: i64,
    limit: i64,
) -> Result<(Vec<CellRow>, i64)> {
    use gongkai_domain::report::ClosedIn;
    if org_ids.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let mut params: Vec<CellParam> = org_ids.iter().map(|i| CellParam::Int(*i)).collect();
    let mut cond = format!("r.org_id IN ({})", list(1, org_ids.len()));
    let mut push = |sql: &str, p: CellParam, params: &mut Vec<CellParam>| {
        params.push(p);
        cond.push_str(&sql.replace('?', &ph(params.len())));
    };
    if let Some(from) = cell.received_from {
        push(
            " AND r.received_date >= ?",
            CellParam::Day(from),
            &mut params,
        );
    }
    push(
        " AND r.received_date <= ?",
        CellParam::Day(cell.received_to),
        &mut params,
    );
    if let Some(a) = cell.applicant {
        push(
            " AND r.applicant_type = ?",
            CellParam::Text(a.code()),
            &mut params,
        );
    }
    const OPEN: &str = "r.outcome IS NULL OR r.replied_date IS NULL";
    match cell.closed {
        ClosedIn::Any => {}
        ClosedIn::OpenOrFrom(d) => push(
            &format!(" AND ({OPEN} OR r.replied_date >= ?)"),
            CellParam::Day(d),
            &mut params,
        ),
        ClosedIn::OpenOrAfter(d) => push(
            &format!(" AND ({OPEN} OR r.replied_date > ?)"),
            CellParam::Day(d),
            &mut params,
        ),
        ClosedIn::Between(from, to, outcome) => {
            push(
                " AND r.outcome IS NOT NULL AND r.replied_date >= ?",
                CellParam::Day(from),
                &mut params,
            );
            push(" AND r.replied_date <= ?", CellParam::Day(to), &mut params);
            if let Some(o) = outcome {
                push(" AND r.outcome = ?", CellParam::Text(o.code()), &mut params);
            }
        }
    }
    page_of_cell(h, "requests r", &cond, &params, offset, limit).await
}

/// The same for a figure of table 四: the requests whose case it counts.
pub async fn review_cell_requests(
    h: &mut impl Handle,
    org_ids: &[i64],
    cell: &gongkai_domain::report::ReviewCell,
    offset: i64,
    limit: i64,
) -> Result<(Vec<CellRow>, i64)> {
    if org_ids.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let mut params: Vec<CellParam> = org_ids.iter().map(|i| CellParam::Int(*i)).collect();
    let n = params.len();
    let mut cond = format!(
        "r.id = v.request_id AND r.org_id IN ({}) AND v.kind = {} AND v.filed_date >= {} \
         AND v.filed_date <= {}",
        list(1, n),
        ph(n + 1),
        ph(n + 2),
        ph(n + 3)
    );
    params.push(CellParam::Text(cell.kind.code()));
    params.push(CellParam::Day(cell.filed_from));
    params.push(CellParam::Day(cell.filed_to));
    match cell.result {
        None => {}
        Some(None) => {
            cond.push_str(&format!(
                " AND (v.result IS NULL OR v.decided_date IS NULL OR v.decided_date > {})",
                ph(n + 4)
            ));
            params.push(CellParam::Day(cell.filed_to));
        }
        Some(Some(result)) => {
            cond.push_str(&format!(
                " AND v.result = {} AND v.decided_date <= {}",
                ph(n + 4),
                ph(n + 5)
            ));
            params.push(CellParam::Text(result.code()));
            params.push(CellParam::Day(cell.filed_to));
        }
    }
    page_of_cell(
        h,
        "request_reviews v CROSS JOIN requests r",
        &cond,
        &params,
        offset,
        limit,
    )
    .await
}

async fn page_of_cell(
    h: &mut impl Handle,
    from: &str,
    cond: &str,
    params: &[CellParam],
    offset: i64,
    limit: i64,
) -> Result<(Vec<CellRow>, i64)> {
    let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {cond}");
    let (total,): (i64,) = dispatch!(h, c => {
        bind_cell!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), params)
            .fetch_one(c)
            .await?
    });
    let n = params.len();
    let sql = format!(
        "SELECT r.tracking, r.org_id, r.applicant_type, r.received_date, r.outcome, \
         r.replied_date FROM {from} WHERE {cond} ORDER BY r.received_date, r.id \
         LIMIT {} OFFSET {}",
        ph(n + 1),
        ph(n + 2)
    );
    let rows = dispatch!(h, c => {
        bind_cell!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), params)
            .bind(limit)
            .bind(offset)
            .fetch_all(c)
            .await?
    });
    Ok((rows, total))
}

/// Requests not finished, by where they stand on `today`: `submitted` (filed, not yet
/// registered), `open` (registered, not replied, due date not passed or unknown), `overdue`
/// (not replied after the due date), `replied` (replied, not archived).
pub async fn state_counts(h: &mut impl Handle, today: Date) -> Result<Vec<(String, i64)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT 'submitted', COUNT(*) FROM request_intake WHERE request_id IS NULL \
         UNION ALL SELECT 'open', COUNT(*) FROM requests WHERE replied_date IS NULL \
           AND (due_date IS NULL OR due_date >= $1) \
         UNION ALL SELECT 'overdue', COUNT(*) FROM requests WHERE replied_date IS NULL \
           AND due_date < $1 \
         UNION ALL SELECT 'replied', COUNT(*) FROM requests r WHERE r.replied_date IS NOT NULL \
           AND NOT EXISTS (SELECT 1 FROM request_handling h WHERE h.request_id = r.id \
           AND h.archived_on IS NOT NULL)",
    )
    .bind(today)
    .fetch_all(c)
    .await?))
}
