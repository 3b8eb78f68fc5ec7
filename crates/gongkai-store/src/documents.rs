//! Disclosure records (政府信息, C2): metadata, body, status and publication.

use std::collections::HashMap;

use gongkai_domain::disclosure::Attribute;
use gongkai_domain::workflow::Stage;
use gongkai_domain::{DisclosureTerm, DocKind, DocStatus, Validity};
use time::{Date, OffsetDateTime};

use crate::{Handle, Raw, Result, dispatch, ph};

/// A disclosure record as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Document {
    /// Row id.
    pub id: i64,
    /// Owning organization.
    pub org_id: i64,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
    /// Column id.
    pub column_id: i64,
    /// Column path `一级/二级`.
    pub column_path: String,
    /// Publication status.
    #[sqlx(try_from = "crate::codes::Code<DocStatus>")]
    pub status: DocStatus,
    /// 索引号, assigned at publication.
    pub index_number: Option<String>,
    /// 标题.
    pub title: String,
    /// 发文字号 (canonical where it parsed).
    pub doc_number: Option<String>,
    /// 发文机关.
    pub issuer: String,
    /// 主题分类 label `一级\二级`.
    pub topic: String,
    /// 主题分类 code (4 digits).
    pub topic_code: String,
    /// 公文种类.
    #[sqlx(try_from = "crate::codes::Code<DocKind>")]
    pub kind: DocKind,
    /// 成文日期.
    pub written_date: Date,
    /// Day the information was formed or last changed (Art. 26 counts 20 working days from it).
    pub formed_date: Date,
    /// 发布日期.
    pub published_date: Option<Date>,
    /// 有效性.
    #[sqlx(try_from = "crate::codes::Code<Validity>")]
    pub validity: Validity,
    /// Successor when amended.
    pub successor_id: Option<i64>,
    /// The day it stopped being in force, when known.
    pub validity_changed_on: Option<Date>,
    /// 公开时限.
    #[sqlx(try_from = "crate::codes::Code<DisclosureTerm>")]
    pub disclosure_term: DisclosureTerm,
    /// Sanitized HTML body (its plain text is derived from it, not stored).
    pub body_html: String,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<String>,
    /// Where it is in the publication workflow.
    #[sqlx(try_from = "crate::codes::Code<Stage>")]
    pub stage: Stage,
    /// Who created it (none for imports and the platform's commands).
    pub created_by: Option<i64>,
    /// Who signed 经办 in this round.
    pub handled_by: Option<i64>,
    /// Who signed 审核 in this round.
    pub reviewed_by: Option<i64>,
    /// Who signed 签发 in this round.
    pub approved_by: Option<i64>,
    /// When a scheduled record is to be published.
    pub scheduled_at: Option<OffsetDateTime>,
    /// Why it was last returned to 草稿.
    pub returned_reason: Option<String>,
    /// 公开属性.
    #[sqlx(try_from = "crate::codes::Code<Attribute>")]
    pub disclosure: Attribute,
    /// The legal ground code of a record not published proactively.
    pub disclosure_ground: Option<String>,
    /// When a withheld record was last reviewed (Art. 18).
    pub disclosure_reviewed_on: Option<Date>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// A record in a list.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Summary {
    /// Row id.
    pub id: i64,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
    /// 索引号.
    pub index_number: Option<String>,
    /// 标题.
    pub title: String,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 主题分类 label.
    pub topic: String,
    /// 公文种类.
    #[sqlx(try_from = "crate::codes::Code<DocKind>")]
    pub kind: DocKind,
    /// 有效性.
    #[sqlx(try_from = "crate::codes::Code<Validity>")]
    pub validity: Validity,
    /// Publication status.
    #[sqlx(try_from = "crate::codes::Code<DocStatus>")]
    pub status: DocStatus,
    /// 发布日期.
    pub published_date: Option<Date>,
    /// 成文日期.
    pub written_date: Date,
    /// Column path.
    pub column_path: String,
}

/// A record to insert.
#[derive(Clone, Debug)]
pub struct NewDocument {
    /// Organization id.
    pub org_id: i64,
    /// Column id (of the same organization).
    pub column_id: i64,
    /// Publication status.
    pub status: DocStatus,
    /// 索引号 when inserted already published.
    pub index_number: Option<String>,
    /// 标题.
    pub title: String,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// Lookup key of the 发文字号.
    pub doc_number_key: Option<String>,
    /// 发文机关.
    pub issuer: String,
    /// 主题分类 label.
    pub topic: String,
    /// 主题分类 code.
    pub topic_code: String,
    /// 公文种类.
    pub kind: DocKind,
    /// 成文日期.
    pub written_date: Date,
    /// Formed or changed.
    pub formed_date: Date,
    /// 发布日期 when published.
    pub published_date: Option<Date>,
    /// 有效性.
    pub validity: Validity,
    /// 公开时限.
    pub disclosure_term: DisclosureTerm,
    /// Sanitized HTML.
    pub body_html: String,
    /// Who created it (none for imports).
    pub created_by: Option<i64>,
    /// 公开属性.
    pub disclosure: Attribute,
    /// Its legal ground code.
    pub disclosure_ground: Option<&'static str>,
    /// 报告年度 of an annual report ([`gongkai_domain::report::report_year_of`]).
    pub report_year: Option<i32>,
    /// The day it stopped being in force, when known.
    pub validity_changed_on: Option<Date>,
    /// What makes an imported record the same when its file is imported again.
    pub import_key: Option<String>,
}

/// Filters of a record list. `None` means no restriction.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only these statuses; empty means every status.
    pub statuses: Vec<DocStatus>,
    /// Only these organizations; `None` means all.
    pub org_ids: Option<Vec<i64>>,
    /// 主题分类 code prefix (`02` for a first level, `0201` for a second).
    pub topic_code_prefix: Option<String>,
    /// 公文种类.
    pub kind: Option<DocKind>,
    /// Year of publication.
    pub year: Option<i32>,
    /// 报告年度 (annual reports).
    pub report_year: Option<i32>,
    /// 有效性.
    pub validity: Option<Validity>,
    /// Column path, exact (`一级/二级`) or a first level with its children.
    pub column_path: Option<String>,
    /// Only these columns (the portal resolves a path to ids first, so its lists use an index).
    pub column_ids: Option<Vec<i64>>,
}

const SELECT: &str = "SELECT d.id, d.org_id, o.code AS org_code, o.name AS org_name, d.column_id, \
    c.path AS column_path, d.status, d.index_number, d.title, d.doc_number, d.issuer, d.topic, d.topic_code, \
    d.kind, d.written_date, d.formed_date, d.published_date, d.validity, d.successor_id, d.validity_changed_on, d.disclosure_term, \
    d.body_html, d.withdrawn_reason, d.stage, d.created_by, d.handled_by, d.reviewed_by, d.approved_by, \
    d.scheduled_at, d.returned_reason, d.disclosure, d.disclosure_ground, d.disclosure_reviewed_on, \
    d.created_at, d.updated_at \
    FROM documents d JOIN orgs o ON o.id = d.org_id JOIN columns c ON c.id = d.column_id";

const SUMMARY: &str = "SELECT d.id, o.code AS org_code, o.name AS org_name, d.index_number, d.title, \
    d.doc_number, d.topic, d.kind, d.validity, d.status, d.published_date, d.written_date, c.path AS column_path \
    FROM documents d JOIN orgs o ON o.id = d.org_id JOIN columns c ON c.id = d.column_id";

const INSERT_COLUMNS: &str = "(org_id, column_id, status, index_number, title, doc_number, doc_number_key, \
    issuer, topic, topic_code, kind, written_date, formed_date, published_date, published_year, validity, \
    disclosure_term, body_html, created_at, updated_at, stage, created_by, disclosure, disclosure_ground, \
    report_year, validity_changed_on, import_key)";
const INSERT_ARITY: usize = 27;

/// Rows per multi-row `INSERT`: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
pub const BATCH: usize = 200;

/// Inserts records with multi-row `VALUES` statements; returns their ids in order.
pub async fn insert_many(
    h: &mut impl Handle,
    rows: &[NewDocument],
    now: OffsetDateTime,
) -> Result<Vec<i64>> {
    let now = crate::truncate(now);
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let mut sql = format!("INSERT INTO documents {INSERT_COLUMNS} VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..INSERT_ARITY {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&crate::bulk_ph(h, i * INSERT_ARITY + j + 1));
            }
            sql.push(')');
        }
        sql.push_str(" RETURNING id");
        let got: Vec<(i64,)> = dispatch!(h, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(r.org_id)
                    .bind(r.column_id)
                    .bind(r.status.code())
                    .bind(r.index_number.as_deref())
                    .bind(r.title.as_str())
                    .bind(r.doc_number.as_deref())
                    .bind(r.doc_number_key.as_deref())
                    .bind(r.issuer.as_str())
                    .bind(r.topic.as_str())
                    .bind(r.topic_code.as_str())
                    .bind(r.kind.code())
                    .bind(r.written_date)
                    .bind(r.formed_date)
                    .bind(r.published_date)
                    .bind(r.published_date.map(|d| i64::from(d.year())))
                    .bind(r.validity.code())
                    .bind(r.disclosure_term.code())
                    .bind(r.body_html.as_str())
                    .bind(now)
                    .bind(now)
                    .bind(initial_stage(r.status).code())
                    .bind(r.created_by)
                    .bind(r.disclosure.code())
                    .bind(r.disclosure_ground)
                    .bind(r.report_year)
                    .bind(r.validity_changed_on)
                    .bind(r.import_key.as_deref());
            }
            q.fetch_all(c).await?
        });
        // RETURNING order follows VALUES order on both databases for a plain INSERT.
        let mut got: Vec<i64> = got.into_iter().map(|r| r.0).collect();
        got.sort_unstable();
        ids.extend(got);
    }
    let published: Vec<crate::counts::Counted<'_>> = rows
        .iter()
        .filter(|r| r.status == DocStatus::Published)
        .filter_map(|r| {
            r.published_date.map(|d| crate::counts::Counted {
                org_id: r.org_id,
                column_id: r.column_id,
                year: i64::from(d.year()),
                validity: r.validity.code(),
                topic_code: &r.topic_code,
                kind: r.kind.code(),
            })
        })
        .collect();
    if !published.is_empty() {
        crate::counts::add_many(h, &published).await?;
        crate::generation::bump(h, now).await?;
        let searchable: Vec<i64> = rows
            .iter()
            .zip(&ids)
            .filter(|(r, _)| r.status == DocStatus::Published)
            .map(|(_, id)| *id)
            .collect();
        crate::search_changes::append(h, &searchable).await?;
    }
    Ok(ids)
}

/// The stage of a record inserted with `status` (imports bring records already published).
fn initial_stage(status: DocStatus) -> Stage {
    match status {
        DocStatus::Draft => Stage::Draft,
        DocStatus::Published => Stage::Published,
        DocStatus::Withdrawn => Stage::Withdrawn,
    }
}

/// A change of a record's workflow stage, stored only if the record is still at `from`.
#[derive(Clone, Debug)]
pub struct StageChange<'a> {
    /// The stage the caller read.
    pub from: Stage,
    /// The stage after.
    pub to: Stage,
    /// The signatures after the change: 经办, 审核, 签发.
    pub signatures: [Option<i64>; 3],
    /// When a scheduled record is to be published.
    pub scheduled_at: Option<OffsetDateTime>,
    /// Why it was returned (kept until the next return).
    pub returned_reason: Option<&'a str>,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<&'a str>,
    /// 索引号 and 发布日期 when the change publishes it.
    pub publication: Option<(&'a str, Date)>,
}

/// Stores a stage change with a compare-and-set on `from`: returns false, changing nothing,
/// when someone else moved the record first. Keeps the counters, the public generation and
/// the search changes in step when the record enters or leaves publication.
pub async fn transition(
    h: &mut impl Handle,
    id: i64,
    change: &StageChange<'_>,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = crate::truncate(now);
    let public = change.from.status() != change.to.status();
    if public {
        crate::counts::adjust(h, id, -1).await?;
    }
    let (index_number, published_date) = match change.publication {
        Some((n, d)) => (Some(n), Some(d)),
        None => (None, None),
    };
    let [handled, reviewed, approved] = change.signatures;
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE documents SET stage = $1, status = $2, handled_by = $3, reviewed_by = $4, \
         approved_by = $5, scheduled_at = $6, returned_reason = COALESCE($7, returned_reason), \
         withdrawn_reason = COALESCE($8, withdrawn_reason), \
         index_number = COALESCE($9, index_number), published_date = COALESCE($10, published_date), \
         published_year = COALESCE($11, published_year), updated_at = $12 \
         WHERE id = $13 AND stage = $14",
    )
    .bind(change.to.code())
    .bind(change.to.status().code())
    .bind(handled)
    .bind(reviewed)
    .bind(approved)
    .bind(change.scheduled_at.map(crate::truncate))
    .bind(change.returned_reason)
    .bind(change.withdrawn_reason)
    .bind(index_number)
    .bind(published_date)
    .bind(published_date.map(|d| i64::from(d.year())))
    .bind(now)
    .bind(id)
    .bind(change.from.code())
    .execute(c)
    .await?
    .rows_affected());
    if public {
        crate::counts::adjust(h, id, 1).await?;
        if done == 1 {
            crate::generation::bump(h, now).await?;
            crate::search_changes::append(h, &[id]).await?;
        }
    }
    Ok(done == 1)
}

/// The editable fields of a draft.
#[derive(Clone, Debug)]
pub struct DraftFields {
    /// Column id (of the same organization).
    pub column_id: i64,
    /// 标题.
    pub title: String,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// Lookup key of the 发文字号.
    pub doc_number_key: Option<String>,
    /// 发文机关.
    pub issuer: String,
    /// 主题分类 label.
    pub topic: String,
    /// 主题分类 code.
    pub topic_code: String,
    /// 公文种类.
    pub kind: DocKind,
    /// 成文日期.
    pub written_date: Date,
    /// Formed or changed.
    pub formed_date: Date,
    /// 有效性.
    pub validity: Validity,
    /// 公开时限.
    pub disclosure_term: DisclosureTerm,
    /// Sanitized HTML.
    pub body_html: String,
    /// 公开属性.
    pub disclosure: Attribute,
    /// Its legal ground code.
    pub disclosure_ground: Option<&'static str>,
    /// 报告年度 of an annual report.
    pub report_year: Option<i32>,
}

/// Saves a draft's fields if it is still a draft; returns false otherwise.
pub async fn update_draft(
    h: &mut impl Handle,
    id: i64,
    f: &DraftFields,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = crate::truncate(now);
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE documents SET column_id = $1, title = $2, doc_number = $3, doc_number_key = $4, \
         issuer = $5, topic = $6, topic_code = $7, kind = $8, written_date = $9, formed_date = $10, \
         validity = $11, disclosure_term = $12, body_html = $13, updated_at = $14, \
         disclosure = $17, disclosure_ground = $18, report_year = $19 WHERE id = $15 AND stage = $16",
    )
    .bind(f.column_id)
    .bind(f.title.as_str())
    .bind(f.doc_number.as_deref())
    .bind(f.doc_number_key.as_deref())
    .bind(f.issuer.as_str())
    .bind(f.topic.as_str())
    .bind(f.topic_code.as_str())
    .bind(f.kind.code())
    .bind(f.written_date)
    .bind(f.formed_date)
    .bind(f.validity.code())
    .bind(f.disclosure_term.code())
    .bind(f.body_html.as_str())
    .bind(now)
    .bind(id)
    .bind(Stage::Draft.code())
    .bind(f.disclosure.code())
    .bind(f.disclosure_ground)
    .bind(f.report_year)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Replaces the body of a record still at `stage` (a redaction); returns false otherwise.
pub async fn set_body(
    h: &mut impl Handle,
    id: i64,
    body_html: &str,
    stage: Stage,
    now: OffsetDateTime,
) -> Result<bool> {
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE documents SET body_html = $1, updated_at = $2 WHERE id = $3 AND stage = $4",
    )
    .bind(body_html)
    .bind(crate::truncate(now))
    .bind(id)
    .bind(stage.code())
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Records in flight (not published, not withdrawn) of these organizations at one of
/// `stages`, most recently changed first.
pub async fn in_flight(
    h: &mut impl Handle,
    org_ids: &[i64],
    stages: &[Stage],
    limit: i64,
) -> Result<Vec<Document>> {
    if org_ids.is_empty() || stages.is_empty() {
        return Ok(Vec::new());
    }
    let orgs: Vec<String> = (1..=org_ids.len()).map(ph).collect();
    let stage_list: Vec<String> = stages.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "{SELECT} WHERE d.org_id IN ({}) AND d.stage IN ({}) \
         AND d.stage NOT IN ('{}', '{}') ORDER BY d.updated_at DESC, d.id DESC LIMIT {}",
        orgs.join(", "),
        stage_list.join(", "),
        Stage::Published.code(),
        Stage::Withdrawn.code(),
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

/// Scheduled records whose time has come, oldest first.
pub async fn due_for_publication(
    h: &mut impl Handle,
    now: OffsetDateTime,
    limit: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = dispatch!(h, c => sqlx::query_as(
        "SELECT id FROM documents WHERE stage = $1 AND scheduled_at <= $2 \
         ORDER BY scheduled_at, id LIMIT $3",
    )
    .bind(Stage::Scheduled.code())
    .bind(crate::truncate(now))
    .bind(limit)
    .fetch_all(c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The record with `id`, whatever its status.
pub async fn by_id(h: &mut impl Handle, id: i64) -> Result<Option<Document>> {
    let sql = by_id_sql();
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?),
    )
}

/// The statement of [`by_id`].
pub fn by_id_sql() -> String {
    format!("{SELECT} WHERE d.id = $1")
}

/// Marks a draft published with its index number and date. Returns false when the record
/// was not a draft (nothing changed).
pub async fn publish(
    h: &mut impl Handle,
    id: i64,
    index_number: &str,
    published_date: Date,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = crate::truncate(now);
    let done = dispatch!(h, c => sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE documents SET status = '{published}', stage = '{published}', index_number = $1, \
         published_date = $2, published_year = $3, updated_at = $4, scheduled_at = NULL \
         WHERE id = $5 AND status = '{draft}'",
        published = DocStatus::Published.code(),
        draft = DocStatus::Draft.code(),
    )))
    .bind(index_number)
    .bind(published_date)
    .bind(i64::from(published_date.year()))
    .bind(now)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    if done == 1 {
        crate::counts::adjust(h, id, 1).await?;
        crate::generation::bump(h, now).await?;
        crate::search_changes::append(h, &[id]).await?;
    }
    Ok(done == 1)
}

/// Withdraws a published record, keeping a tombstone with the reason.
pub async fn withdraw(
    h: &mut impl Handle,
    id: i64,
    reason: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = crate::truncate(now);
    crate::counts::adjust(h, id, -1).await?;
    let done = dispatch!(h, c => sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE documents SET status = '{withdrawn}', stage = '{withdrawn}', withdrawn_reason = $1, \
         updated_at = $2 WHERE id = $3 AND status = '{published}'",
        withdrawn = DocStatus::Withdrawn.code(),
        published = DocStatus::Published.code(),
    )))
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    // A record that was not published had no counter to take from.
    if done == 1 {
        crate::generation::bump(h, now).await?;
        crate::search_changes::append(h, &[id]).await?;
    }
    Ok(done == 1)
}

/// Sets 有效性 (and the successor when amended).
pub async fn set_validity(
    h: &mut impl Handle,
    id: i64,
    validity: Validity,
    successor_id: Option<i64>,
    changed_on: Date,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = crate::truncate(now);
    crate::counts::adjust(h, id, -1).await?;
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE documents SET validity = $1, successor_id = $2, validity_changed_on = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(validity.code())
    .bind(successor_id)
    .bind(changed_on)
    .bind(now)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    crate::counts::adjust(h, id, 1).await?;
    crate::generation::bump(h, now).await?;
    crate::search_changes::append(h, &[id]).await?;
    Ok(done == 1)
}

fn where_clause(f: &Filter) -> (String, Vec<Param>) {
    let mut parts = Vec::new();
    let mut params = Vec::new();
    let next = |p: Param, params: &mut Vec<Param>| {
        params.push(p);
        ph(params.len())
    };
    if !f.statuses.is_empty() {
        let list: Vec<String> = f
            .statuses
            .iter()
            .map(|s| next(Param::Text(s.code().to_owned()), &mut params))
            .collect();
        parts.push(format!("d.status IN ({})", list.join(", ")));
    }
    let id_list = |column: &str, ids: &[i64], params: &mut Vec<Param>| {
        if ids.is_empty() {
            return "1 = 0".to_owned();
        }
        let list: Vec<String> = ids.iter().map(|i| next(Param::Int(*i), params)).collect();
        format!("{column} IN ({})", list.join(", "))
    };
    if let Some(ids) = &f.org_ids {
        parts.push(id_list("d.org_id", ids, &mut params));
    }
    if let Some(prefix) = &f.topic_code_prefix {
        let p = next(Param::Text(format!("{prefix}%")), &mut params);
        parts.push(format!("d.topic_code LIKE {p}"));
    }
    if let Some(kind) = &f.kind {
        let p = next(Param::Text(kind.code().to_owned()), &mut params);
        parts.push(format!("d.kind = {p}"));
    }
    if let Some(year) = f.year {
        let p = next(Param::Int(i64::from(year)), &mut params);
        parts.push(format!("d.published_year = {p}"));
    }
    if let Some(year) = f.report_year {
        let p = next(Param::Int(i64::from(year)), &mut params);
        parts.push(format!("d.report_year = {p}"));
    }
    if let Some(validity) = &f.validity {
        let p = next(Param::Text(validity.code().to_owned()), &mut params);
        parts.push(format!("d.validity = {p}"));
    }
    if let Some(ids) = &f.column_ids {
        parts.push(id_list("d.column_id", ids, &mut params));
    }
    if let Some(path) = &f.column_path {
        let a = next(Param::Text(path.clone()), &mut params);
        let b = next(Param::Text(format!("{path}/%")), &mut params);
        parts.push(format!("(c.path = {a} OR c.path LIKE {b})"));
    }
    if parts.is_empty() {
        (String::new(), params)
    } else {
        (format!(" WHERE {}", parts.join(" AND ")), params)
    }
}

pub use crate::Param;

macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::Text(s) => q.bind(s.clone()),
                Param::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// One page of records matching `filter`, newest publication first (unpublished records
/// before all, the same on both databases), and the total count.
pub async fn list(
    h: &mut impl Handle,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Summary>, i64)> {
    let rows = page(h, filter, offset, limit).await?;
    Ok((rows, count(h, filter).await?))
}

/// How many records match `filter`.
pub async fn count(h: &mut impl Handle, filter: &Filter) -> Result<i64> {
    let (cond, params) = where_clause(filter);
    let count_sql =
        format!("SELECT COUNT(*) FROM documents d JOIN columns c ON c.id = d.column_id{cond}");
    let (total,): (i64,) = dispatch!(h, c => {
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), &params);
        q.fetch_one(c).await?
    });
    Ok(total)
}

/// One page of records matching `filter`, newest publication first, without counting them.
pub async fn page(
    h: &mut impl Handle,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<Vec<Summary>> {
    let (sql, params) = page_sql(filter);
    Ok(dispatch!(h, c => {
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &params);
        q.bind(limit).bind(offset).fetch_all(c).await?
    }))
}

/// The statement [`page`] runs for `filter` and its parameters (without `LIMIT`/`OFFSET`
/// values), for query-plan checks.
pub fn page_sql(filter: &Filter) -> (String, Vec<Param>) {
    let (cond, params) = where_clause(filter);
    let n = params.len();
    let sql = format!(
        "{SUMMARY}{cond} ORDER BY d.published_date DESC NULLS FIRST, d.id DESC LIMIT {} OFFSET {}",
        ph(n + 1),
        ph(n + 2)
    );
    (sql, params)
}

/// Facet counts over records matching `filter`: published years.
pub async fn years(h: &mut impl Handle, filter: &Filter) -> Result<Vec<(i64, i64)>> {
    let (cond, params) = where_clause(filter);
    let sql = format!(
        "SELECT d.published_year, COUNT(*) FROM documents d JOIN columns c ON c.id = d.column_id{cond} \
         {} d.published_year IS NOT NULL GROUP BY d.published_year ORDER BY d.published_year DESC",
        if cond.is_empty() { "WHERE" } else { "AND" }
    );
    Ok(dispatch!(h, c => {
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &params);
        q.fetch_all(c).await?
    }))
}

/// The 报告年度 of the records matching `filter` (annual reports), newest first, with counts.
pub async fn report_years(h: &mut impl Handle, filter: &Filter) -> Result<Vec<(i64, i64)>> {
    let (cond, params) = where_clause(filter);
    let sql = format!(
        "SELECT CAST(d.report_year AS BIGINT), COUNT(*) FROM documents d JOIN columns c ON c.id = d.column_id{cond} \
         {} d.report_year IS NOT NULL GROUP BY d.report_year ORDER BY d.report_year DESC",
        if cond.is_empty() { "WHERE" } else { "AND" }
    );
    Ok(dispatch!(h, c => {
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &params);
        q.fetch_all(c).await?
    }))
}

/// Records with id greater than `after_id`, in id order, for export in batches.
pub async fn after(
    h: &mut impl Handle,
    filter: &Filter,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Document>> {
    let sqlite = matches!(h.raw(), Raw::Sqlite(_));
    let (sql, params) = after_sql(filter, sqlite);
    Ok(dispatch!(h, c => {
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &params);
        q.bind(after_id).bind(limit).fetch_all(c).await?
    }))
}

/// The statement of [`after`] for SQLite or PostgreSQL, and its parameters before the id
/// and the limit. On SQLite `NOT INDEXED` keeps the planner on the rowid: with a status
/// filter it walked the status index over every record and sorted them, for each page,
/// which made an export or a reindex of a million records quadratic.
pub fn after_sql(filter: &Filter, sqlite: bool) -> (String, Vec<Param>) {
    let (cond, params) = where_clause(filter);
    let n = params.len();
    let select = if sqlite {
        SELECT.replacen("FROM documents d ", "FROM documents d NOT INDEXED ", 1)
    } else {
        SELECT.to_owned()
    };
    let sql = format!(
        "{select}{cond} {} d.id > {} ORDER BY d.id LIMIT {}",
        if cond.is_empty() { "WHERE" } else { "AND" },
        ph(n + 1),
        ph(n + 2)
    );
    (sql, params)
}

/// Number of records per status for a set of organizations.
pub async fn status_counts(h: &mut impl Handle, org_ids: &[i64]) -> Result<Vec<(String, i64)>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=org_ids.len()).map(ph).collect();
    let sql = format!(
        "SELECT status, COUNT(*) FROM documents WHERE org_id IN ({}) GROUP BY status ORDER BY status",
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

/// Published records that name `id` as their successor (the earlier versions it amended).
pub async fn predecessors(h: &mut impl Handle, id: i64) -> Result<Vec<Summary>> {
    let sql = predecessors_sql();
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(c).await?))
}

/// The statement of [`predecessors`].
pub fn predecessors_sql() -> String {
    format!(
        "{SUMMARY} WHERE d.successor_id = $1 AND d.status = '{published}' \
         ORDER BY d.published_date DESC, d.id DESC",
        published = DocStatus::Published.code()
    )
}

/// Published records sharing a 发文字号 lookup key.
pub async fn by_doc_number_key(h: &mut impl Handle, key: &str) -> Result<Vec<Summary>> {
    let sql = format!(
        "{SUMMARY} WHERE d.doc_number_key = $1 AND d.status = '{}' ORDER BY d.id",
        DocStatus::Published.code()
    );
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(key).fetch_all(c).await?))
}

/// What table 二 needs of a published record: its kind, dates and validity.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CatalogFactsRow {
    /// 公文种类.
    #[sqlx(try_from = "crate::codes::Code<DocKind>")]
    pub kind: DocKind,
    /// 成文日期.
    pub written_date: Date,
    /// 发布日期.
    pub published_date: Option<Date>,
    /// 有效性.
    #[sqlx(try_from = "crate::codes::Code<Validity>")]
    pub validity: Validity,
    /// Day the validity last changed, when recorded.
    pub validity_changed_on: Option<Date>,
}

/// The published records of these organizations whose kind is one of `kinds`.
pub async fn catalog_facts(
    h: &mut impl Handle,
    org_ids: &[i64],
    kinds: &[&str],
) -> Result<Vec<CatalogFactsRow>> {
    if org_ids.is_empty() || kinds.is_empty() {
        return Ok(Vec::new());
    }
    let kind_list: Vec<String> = (0..kinds.len()).map(|i| ph(i + 1)).collect();
    let org_list: Vec<String> = (0..org_ids.len())
        .map(|i| ph(kinds.len() + i + 1))
        .collect();
    let sql = format!(
        "SELECT kind, written_date, published_date, validity, validity_changed_on FROM documents \
         WHERE status = '{}' AND kind IN ({}) AND org_id IN ({})",
        DocStatus::Published.code(),
        kind_list.join(", "),
        org_list.join(", ")
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for k in kinds {
            q = q.bind(*k);
        }
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// The records already holding these import keys: `(org_id, key)` → 索引号 (if any).
pub async fn with_import_keys(
    h: &mut impl Handle,
    keys: &[(i64, &str)],
) -> Result<HashMap<(i64, String), Option<String>>> {
    let mut found = HashMap::new();
    for chunk in keys.chunks(BATCH) {
        let list: Vec<String> = (1..=chunk.len()).map(ph).collect();
        let sql = format!(
            "SELECT org_id, import_key, index_number FROM documents WHERE import_key IN ({})",
            list.join(", ")
        );
        let rows: Vec<(i64, String, Option<String>)> = dispatch!(h, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for (_, key) in chunk {
                q = q.bind(*key);
            }
            q.fetch_all(c).await?
        });
        for (org_id, key, number) in rows {
            if chunk.iter().any(|(o, k)| *o == org_id && *k == key) {
                found.insert((org_id, key), number);
            }
        }
    }
    Ok(found)
}

/// A published record without an import key, with what its key is computed from.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Unkeyed {
    /// Id.
    pub id: i64,
    /// Organization id.
    pub org_id: i64,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 标题.
    pub title: String,
    /// 成文日期.
    pub written_date: Date,
    /// 发布日期.
    pub published_date: Option<Date>,
}

/// Up to `limit` published records without an import key, by id.
pub async fn unkeyed(h: &mut impl Handle, limit: i64) -> Result<Vec<Unkeyed>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT id, org_id, doc_number, title, written_date, published_date FROM documents \
         WHERE import_key IS NULL AND status = 'published' ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// Sets the import key of records.
pub async fn set_import_keys(h: &mut impl Handle, keys: &[(i64, String)]) -> Result<()> {
    for (id, key) in keys {
        dispatch!(h, c => sqlx::query("UPDATE documents SET import_key = $1 WHERE id = $2")
            .bind(key.as_str())
            .bind(*id)
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// The records with these ids that exist, whatever their status, in id order.
pub async fn by_ids(h: &mut impl Handle, ids: &[i64]) -> Result<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=ids.len()).map(ph).collect();
    let sql = format!("{SELECT} WHERE d.id IN ({}) ORDER BY d.id", list.join(", "));
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}

/// Published records with ids in `lo..hi` and when each last changed, in id order (one
/// file of the sitemap).
pub async fn published_between(
    h: &mut impl Handle,
    lo: i64,
    hi: i64,
) -> Result<Vec<(i64, OffsetDateTime)>> {
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, updated_at FROM documents WHERE id >= $1 AND id < $2 AND status = '{}' \
         ORDER BY id",
        DocStatus::Published.code()
    )))
    .bind(lo)
    .bind(hi)
    .fetch_all(c)
    .await?),
    )
}

/// The largest record id (0 when there is none).
pub async fn max_id(h: &mut impl Handle) -> Result<i64> {
    let (n,): (Option<i64>,) = dispatch!(h, c => sqlx::query_as("SELECT MAX(id) FROM documents")
        .fetch_one(c)
        .await?);
    Ok(n.unwrap_or(0))
}

/// Records a review of a withheld record (Art. 18) on `day`.
pub async fn mark_disclosure_reviewed(h: &mut impl Handle, id: i64, day: Date) -> Result<bool> {
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE documents SET disclosure_reviewed_on = $1 WHERE id = $2 AND disclosure = $3",
    )
    .bind(day)
    .bind(id)
    .bind(Attribute::Withheld.code())
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Withheld records of these organizations last reviewed (or, never reviewed, last changed)
/// on or before `before`, oldest first.
pub async fn withheld_due(
    h: &mut impl Handle,
    org_ids: &[i64],
    before: Date,
    limit: i64,
) -> Result<Vec<Document>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let orgs: Vec<String> = (1..=org_ids.len()).map(|i| ph(i + 2)).collect();
    let sql = format!(
        "{SELECT} WHERE d.disclosure = $1 AND COALESCE(d.disclosure_reviewed_on, d.written_date) <= $2 \
         AND d.org_id IN ({}) ORDER BY COALESCE(d.disclosure_reviewed_on, d.written_date), d.id LIMIT {}",
        orgs.join(", "),
        ph(org_ids.len() + 3)
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Attribute::Withheld.code())
            .bind(before);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.bind(limit).fetch_all(c).await?
    }))
}

/// A withheld record found disclosable on review (Art. 18): 主动公开 from now on, back to
/// 草稿 with the reason, its signatures cleared, so it goes through the workflow again.
pub async fn reopen_for_disclosure(
    h: &mut impl Handle,
    id: i64,
    reason: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let done = dispatch!(h, c => sqlx::query(
        "UPDATE documents SET disclosure = $1, disclosure_ground = NULL, stage = $2, status = $3, \
         handled_by = NULL, reviewed_by = NULL, approved_by = NULL, scheduled_at = NULL, \
         returned_reason = $4, updated_at = $5 \
         WHERE id = $6 AND disclosure = $7 AND stage NOT IN ($8, $9)",
    )
    .bind(Attribute::Proactive.code())
    .bind(Stage::Draft.code())
    .bind(DocStatus::Draft.code())
    .bind(reason)
    .bind(crate::truncate(now))
    .bind(id)
    .bind(Attribute::Withheld.code())
    .bind(Stage::Published.code())
    .bind(Stage::Withdrawn.code())
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// A record amended, expired or repealed, for the public 立改废 list.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ValidityChange {
    /// Row id.
    pub id: i64,
    /// 标题.
    pub title: String,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// Organization name.
    pub org_name: String,
    /// 有效性.
    #[sqlx(try_from = "crate::codes::Code<Validity>")]
    pub validity: Validity,
    /// When it changed (unknown for some migrated records).
    pub validity_changed_on: Option<Date>,
    /// The record that amended it, when published.
    pub successor_id: Option<i64>,
    /// Its title.
    pub successor_title: Option<String>,
}

/// One page of the published records of these organizations (all when `None`) that are no
/// longer valid, newest change first, and their total.
pub async fn validity_changes(
    h: &mut impl Handle,
    org_ids: Option<&[i64]>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ValidityChange>, i64)> {
    let ids = org_ids.unwrap_or_default();
    let scope = match org_ids {
        Some([]) => " AND 1 = 0".to_owned(),
        Some(ids) => format!(
            " AND d.org_id IN ({})",
            (1..=ids.len()).map(ph).collect::<Vec<_>>().join(", ")
        ),
        None => String::new(),
    };
    let published = DocStatus::Published.code();
    let valid = Validity::Valid.code();
    let n = ids.len();
    let sql = format!(
        "SELECT d.id, d.title, d.doc_number, o.name AS org_name, d.validity, d.validity_changed_on, \
         CASE WHEN s.status = '{published}' THEN s.id END AS successor_id, \
         CASE WHEN s.status = '{published}' THEN s.title END AS successor_title \
         FROM documents d JOIN orgs o ON o.id = d.org_id \
         LEFT JOIN documents s ON s.id = d.successor_id \
         WHERE d.validity <> '{valid}' AND d.status = '{published}'{scope} \
         ORDER BY d.validity_changed_on DESC NULLS LAST, d.id DESC LIMIT {} OFFSET {}",
        ph(n + 1),
        ph(n + 2)
    );
    let count = format!(
        "SELECT COUNT(*) FROM documents d WHERE d.validity <> '{valid}' AND d.status = '{published}'{scope}"
    );
    let rows = dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        q.bind(limit).bind(offset).fetch_all(c).await?
    });
    let (total,): (i64,) = dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(count));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_one(c).await?
    });
    Ok((rows, total))
}

/// The published record with this 索引号.
pub async fn id_by_index_number(h: &mut impl Handle, index_number: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM documents WHERE index_number = $1 AND status = '{}'",
        DocStatus::Published.code()
    )))
    .bind(index_number)
    .fetch_optional(c)
    .await?);
    Ok(row.map(|r| r.0))
}
