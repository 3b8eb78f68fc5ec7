//! Channels and the outbox of deliveries to them.

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch, ph};

/// A channel.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Channel {
    /// Row id.
    pub id: i64,
    /// The organization whose records (and its units') it receives; none for all.
    pub org_id: Option<i64>,
    /// Name shown to staff (e.g. 鼓楼发布 微信公众号).
    pub name: String,
    /// The webhook address.
    pub url: String,
    /// Whether it receives new records.
    pub active: bool,
}

/// Adds a channel; returns its id.
pub async fn add_channel(
    h: &mut impl Handle,
    org_id: Option<i64>,
    name: &str,
    url: &str,
    now: OffsetDateTime,
) -> Result<i64> {
    let (id,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO channels (org_id, name, url, active, created_at) VALUES ($1, $2, $3, TRUE, $4) \
         RETURNING id",
    )
    .bind(org_id)
    .bind(name)
    .bind(url)
    .bind(crate::truncate(now))
    .fetch_one(c)
    .await?);
    Ok(id)
}

/// Every channel.
pub async fn channels(h: &mut impl Handle) -> Result<Vec<Channel>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT id, org_id, name, url, active FROM channels ORDER BY id",
    )
    .fetch_all(c)
    .await?))
}

/// Queues a record for every active channel of these organizations and for the channels
/// of all organizations.
pub async fn enqueue(
    h: &mut impl Handle,
    document_id: i64,
    org_ids: &[i64],
    now: OffsetDateTime,
) -> Result<u64> {
    let list: Vec<String> = (0..org_ids.len()).map(|i| ph(i + 3)).collect();
    let scope = if list.is_empty() {
        "org_id IS NULL".to_owned()
    } else {
        format!("(org_id IS NULL OR org_id IN ({}))", list.join(", "))
    };
    let sql = format!(
        "INSERT INTO outbox (document_id, channel_id, created_at, attempts, next_attempt_at) \
         SELECT $1, id, $2, 0, $2 FROM channels WHERE active AND {scope} \
         ON CONFLICT (document_id, channel_id) DO NOTHING"
    );
    let now = crate::truncate(now);
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(document_id).bind(now);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.execute(c).await?.rows_affected()
    }))
}

/// A delivery waiting to be made.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Due {
    /// Outbox row.
    pub id: i64,
    /// The record.
    pub document_id: i64,
    /// The webhook address.
    pub url: String,
    /// Attempts so far.
    pub attempts: i32,
}

/// Deliveries whose time has come, oldest first.
pub async fn due(h: &mut impl Handle, now: OffsetDateTime, limit: i64) -> Result<Vec<Due>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT o.id, o.document_id, ch.url, o.attempts FROM outbox o \
         JOIN channels ch ON ch.id = o.channel_id \
         WHERE o.delivered_at IS NULL AND o.next_attempt_at <= $1 \
         ORDER BY o.next_attempt_at, o.id LIMIT $2",
    )
    .bind(crate::truncate(now))
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// Takes a due delivery for this node until `until`: false when another node took it first
/// (it moved the next attempt past `now`) or it was delivered.
pub async fn claim(
    h: &mut impl Handle,
    id: i64,
    now: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<bool> {
    let n = dispatch!(h, c => sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1 \
         WHERE id = $2 AND delivered_at IS NULL AND next_attempt_at <= $3",
    )
    .bind(crate::truncate(until))
    .bind(id)
    .bind(crate::truncate(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// Records a delivery.
pub async fn delivered(h: &mut impl Handle, id: i64, now: OffsetDateTime) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "UPDATE outbox SET delivered_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2",
    )
    .bind(crate::truncate(now))
    .bind(id)
    .execute(c)
    .await
    .map(|_| ())?);
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn failed(
    h: &mut impl Handle,
    id: i64,
    error: &str,
    next_attempt_at: OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3",
    )
    .bind(error)
    .bind(crate::truncate(next_attempt_at))
    .bind(id)
    .execute(c)
    .await
    .map(|_| ())?);
    Ok(())
}

/// A delivery as the delivery log shows it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LogRow {
    /// The record.
    pub document_id: i64,
    /// Its title.
    pub title: String,
    /// The channel's name.
    pub channel: String,
    /// When it was queued (published).
    pub created_at: OffsetDateTime,
    /// Attempts so far.
    pub attempts: i32,
    /// When it was delivered.
    pub delivered_at: Option<OffsetDateTime>,
    /// The last failure.
    pub last_error: Option<String>,
}

/// The newest deliveries of records of these organizations, undelivered first.
pub async fn log(h: &mut impl Handle, org_ids: &[i64], limit: i64) -> Result<Vec<LogRow>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=org_ids.len()).map(ph).collect();
    let sql = format!(
        "SELECT o.document_id, d.title, ch.name AS channel, o.created_at, o.attempts, \
         o.delivered_at, o.last_error FROM outbox o \
         JOIN documents d ON d.id = o.document_id JOIN channels ch ON ch.id = o.channel_id \
         WHERE d.org_id IN ({}) \
         ORDER BY CASE WHEN o.delivered_at IS NULL THEN 0 ELSE 1 END, o.created_at DESC, o.id DESC \
         LIMIT {}",
        list.join(", "),
        ph(org_ids.len() + 1)
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in org_ids {
            q = q.bind(*id);
        }
        q.bind(limit).fetch_all(c).await?
    }))
}
