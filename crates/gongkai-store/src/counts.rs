//! Counter rows of published records (`doc_counts`), per organization, column, year of
//! publication and validity. Every store function that publishes, withdraws, inserts a
//! published record or changes its validity adjusts them in the same transaction, so the
//! portal's counts and facets never count record rows.

use gongkai_domain::DocStatus;

use crate::{Handle, Param, Result, dispatch, ph};

/// Adds `delta` to the counter of record `id` if it is published now. Call with -1 before a
/// change and +1 after it.
pub(crate) async fn adjust(h: &mut impl Handle, id: i64, delta: i64) -> Result<()> {
    dispatch!(h, c => sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO doc_counts (org_id, column_id, published_year, validity, n) \
         SELECT org_id, column_id, published_year, validity, $2 FROM documents \
         WHERE id = $1 AND status = '{published}' AND published_year IS NOT NULL \
         ON CONFLICT (org_id, column_id, published_year, validity) \
         DO UPDATE SET n = doc_counts.n + excluded.n",
        published = DocStatus::Published.code()
    )))
    .bind(id)
    .bind(delta)
    .execute(c)
    .await
    .map(|_| ())?);
    dispatch!(h, c => sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO doc_counts_path (column_path, published_year, validity, n) \
         SELECT c.path, d.published_year, d.validity, $2 FROM documents d \
         JOIN columns c ON c.id = d.column_id \
         WHERE d.id = $1 AND d.status = '{published}' AND d.published_year IS NOT NULL \
         ON CONFLICT (column_path, published_year, validity) \
         DO UPDATE SET n = doc_counts_path.n + excluded.n",
        published = DocStatus::Published.code()
    )))
    .bind(id)
    .bind(delta)
    .execute(c)
    .await
    .map(|_| ())?);
    dispatch!(h, c => sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO doc_counts_org (org_id, n) \
         SELECT org_id, $2 FROM documents \
         WHERE id = $1 AND status = '{published}' AND published_year IS NOT NULL \
         ON CONFLICT (org_id) DO UPDATE SET n = doc_counts_org.n + excluded.n",
        published = DocStatus::Published.code()
    )))
    .bind(id)
    .bind(delta)
    .execute(c)
    .await
    .map(|_| ())?);
    for (table, column) in [
        ("doc_counts_topic", "topic_code"),
        ("doc_counts_kind", "kind"),
    ] {
        let sql = format!(
            "INSERT INTO {table} ({column}, published_year, validity, n) \
             SELECT {column}, published_year, validity, $2 FROM documents \
             WHERE id = $1 AND status = '{published}' AND published_year IS NOT NULL \
             ON CONFLICT ({column}, published_year, validity) \
             DO UPDATE SET n = {table}.n + excluded.n",
            published = DocStatus::Published.code()
        );
        dispatch!(h, c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(delta)
            .execute(c)
            .await
            .map(|_| ())?);
    }
    Ok(())
}

/// What the counters need of a newly published record.
pub(crate) struct Counted<'a> {
    pub org_id: i64,
    pub column_id: i64,
    pub year: i64,
    pub validity: &'a str,
    pub topic_code: &'a str,
    pub kind: &'a str,
}

/// Adds counts for many published records at once.
pub(crate) async fn add_many(h: &mut impl Handle, records: &[Counted<'_>]) -> Result<()> {
    let mut grouped: std::collections::BTreeMap<(i64, i64, i64, &str), i64> = Default::default();
    let mut by_topic: std::collections::BTreeMap<(&str, i64, &str), i64> = Default::default();
    let mut by_kind: std::collections::BTreeMap<(&str, i64, &str), i64> = Default::default();
    for r in records {
        *grouped
            .entry((r.org_id, r.column_id, r.year, r.validity))
            .or_default() += 1;
        *by_topic
            .entry((r.topic_code, r.year, r.validity))
            .or_default() += 1;
        *by_kind.entry((r.kind, r.year, r.validity)).or_default() += 1;
    }
    add_by_text(h, "doc_counts_topic", "topic_code", by_topic).await?;
    add_by_text(h, "doc_counts_kind", "kind", by_kind).await?;
    let rows: Vec<_> = grouped.into_iter().collect();
    for chunk in rows.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=5).map(|j| crate::bulk_ph(h, i * 5 + j)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO doc_counts (org_id, column_id, published_year, validity, n) VALUES {} \
             ON CONFLICT (org_id, column_id, published_year, validity) \
             DO UPDATE SET n = doc_counts.n + excluded.n",
            values.join(", ")
        );
        dispatch!(h, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for ((org, column, year, validity), n) in chunk {
                q = q.bind(*org).bind(*column).bind(*year).bind(*validity).bind(*n);
            }
            q.execute(c).await.map(|_| ())?
        });
    }
    let mut per_org: std::collections::BTreeMap<i64, i64> = Default::default();
    let mut per_column: std::collections::BTreeMap<(i64, i64, &str), i64> = Default::default();
    for ((org, column, year, validity), n) in &rows {
        *per_org.entry(*org).or_default() += n;
        *per_column.entry((*column, *year, *validity)).or_default() += n;
    }
    let column_ids: Vec<i64> = {
        let mut ids: Vec<i64> = per_column.keys().map(|k| k.0).collect();
        ids.dedup();
        ids
    };
    let mut paths: std::collections::HashMap<i64, String> = Default::default();
    for chunk in column_ids.chunks(500) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| crate::bulk_ph(h, i)).collect();
        let sql = format!(
            "SELECT id, path FROM columns WHERE id IN ({})",
            list.join(", ")
        );
        let got: Vec<(i64, String)> = dispatch!(h, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(c).await?
        });
        paths.extend(got);
    }
    let mut per_path: std::collections::BTreeMap<(&str, i64, &str), i64> = Default::default();
    for ((column, year, validity), n) in &per_column {
        let path = paths
            .get(column)
            .ok_or_else(|| crate::corrupt("documents.column_id", &column.to_string()))?;
        *per_path
            .entry((path.as_str(), *year, *validity))
            .or_default() += n;
    }
    add_by_text(h, "doc_counts_path", "column_path", per_path).await?;
    let per_org: Vec<_> = per_org.into_iter().collect();
    for chunk in per_org.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                format!(
                    "({}, {})",
                    crate::bulk_ph(h, i * 2 + 1),
                    crate::bulk_ph(h, i * 2 + 2)
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO doc_counts_org (org_id, n) VALUES {} \
             ON CONFLICT (org_id) DO UPDATE SET n = doc_counts_org.n + excluded.n",
            values.join(", ")
        );
        dispatch!(h, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (org, n) in chunk {
                q = q.bind(*org).bind(*n);
            }
            q.execute(c).await.map(|_| ())?
        });
    }
    Ok(())
}

/// Adds `(value, year, validity) → n` to a counter table keyed by one text column.
async fn add_by_text(
    h: &mut impl Handle,
    table: &str,
    column: &str,
    counts: std::collections::BTreeMap<(&str, i64, &str), i64>,
) -> Result<()> {
    let rows: Vec<_> = counts.into_iter().collect();
    for chunk in rows.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=4).map(|j| crate::bulk_ph(h, i * 4 + j)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({column}, published_year, validity, n) VALUES {} \
             ON CONFLICT ({column}, published_year, validity) \
             DO UPDATE SET n = {table}.n + excluded.n",
            values.join(", ")
        );
        dispatch!(h, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for ((value, year, validity), n) in chunk {
                q = q.bind(*value).bind(*year).bind(*validity).bind(*n);
            }
            q.execute(c).await.map(|_| ())?
        });
    }
    Ok(())
}

/// What a count is restricted to; `None` means no restriction.
#[derive(Clone, Debug, Default)]
pub struct CountFilter {
    /// Only these organizations.
    pub org_ids: Option<Vec<i64>>,
    /// Only these columns.
    pub column_ids: Option<Vec<i64>>,
    /// The column path the ids stand for (`一级` takes its second levels too): without an
    /// organization filter the per-path roll-up answers instead of the per-column rows.
    pub column_path: Option<String>,
    /// 有效性 code.
    pub validity: Option<String>,
    /// 主题分类 code prefix (`02`) or code (`0201`).
    pub topic_code_prefix: Option<String>,
    /// 公文种类 code.
    pub kind: Option<String>,
}

/// Published records per year of publication under `filter`, newest year first; `None`
/// when no counter rows answer this combination (a topic or kind together with an
/// organization or column, or both): count the records then.
pub async fn years(h: &mut impl Handle, filter: &CountFilter) -> Result<Option<Vec<(i64, i64)>>> {
    let Some((sql, params)) = years_sql(filter) else {
        return Ok(None);
    };
    Ok(Some(dispatch!(h, c => {
        let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for p in &params {
            q = match p {
                Param::Text(s) => q.bind(s.clone()),
                Param::Int(i) => q.bind(*i),
            };
        }
        q.fetch_all(c).await?
    })))
}

/// The statement of [`years`] and its parameters, when counter rows answer `filter`.
pub fn years_sql(filter: &CountFilter) -> Option<(String, Vec<Param>)> {
    let mut parts = Vec::new();
    let mut params: Vec<Param> = Vec::new();
    let everywhere = filter.org_ids.is_none() && filter.column_ids.is_none();
    let one_of = match (&filter.topic_code_prefix, &filter.kind) {
        (Some(_), Some(_)) => return None,
        (Some(t), None) => Some(("doc_counts_topic", "topic_code", t)),
        (None, Some(k)) => Some(("doc_counts_kind", "kind", k)),
        (None, None) => None,
    };
    if let Some((table, column, value)) = one_of {
        if !everywhere {
            return None;
        }
        if column == "topic_code" && value.len() < 4 {
            params.push(Param::Text(format!("{value}%")));
            parts.push(format!("{column} LIKE $1"));
        } else {
            params.push(Param::Text(value.clone()));
            parts.push(format!("{column} = $1"));
        }
        if let Some(v) = &filter.validity {
            params.push(Param::Text(v.clone()));
            parts.push(format!("validity = {}", ph(params.len())));
        }
        return Some((
            format!(
                "SELECT published_year, CAST(SUM(n) AS BIGINT) FROM {table} WHERE {} \
                 GROUP BY published_year HAVING SUM(n) > 0 ORDER BY published_year DESC",
                parts.join(" AND ")
            ),
            params,
        ));
    }
    if filter.org_ids.is_none() && (filter.column_ids.is_none() || filter.column_path.is_some()) {
        if let Some(path) = &filter.column_path {
            params.push(Param::Text(path.clone()));
            params.push(Param::Text(format!("{path}/%")));
            parts.push("(column_path = $1 OR column_path LIKE $2)".to_owned());
        }
        if let Some(v) = &filter.validity {
            params.push(Param::Text(v.clone()));
            parts.push(format!("validity = {}", ph(params.len())));
        }
        let cond = if parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", parts.join(" AND "))
        };
        return Some((
            format!(
                "SELECT published_year, CAST(SUM(n) AS BIGINT) FROM doc_counts_path{cond} \
                 GROUP BY published_year HAVING SUM(n) > 0 ORDER BY published_year DESC"
            ),
            params,
        ));
    }
    let list = |name: &str, ids: &[i64], params: &mut Vec<Param>| {
        if ids.is_empty() {
            return "1 = 0".to_owned();
        }
        let phs: Vec<String> = ids
            .iter()
            .map(|id| {
                params.push(Param::Int(*id));
                ph(params.len())
            })
            .collect();
        format!("{name} IN ({})", phs.join(", "))
    };
    if let Some(ids) = &filter.org_ids {
        parts.push(list("org_id", ids, &mut params));
    }
    if let Some(ids) = &filter.column_ids {
        parts.push(list("column_id", ids, &mut params));
    }
    if let Some(v) = &filter.validity {
        params.push(Param::Text(v.clone()));
        parts.push(format!("validity = {}", ph(params.len())));
    }
    let cond = if parts.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", parts.join(" AND "))
    };
    Some((
        format!(
            "SELECT published_year, CAST(SUM(n) AS BIGINT) FROM doc_counts{cond} \
             GROUP BY published_year HAVING SUM(n) > 0 ORDER BY published_year DESC"
        ),
        params,
    ))
}

/// Published records per organization id.
pub async fn per_org(h: &mut impl Handle) -> Result<Vec<(i64, i64)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT org_id, n FROM doc_counts_org WHERE n > 0",
    )
    .fetch_all(c)
    .await?))
}

/// Published records per column path over every organization, sorted by path.
pub async fn per_column_path(h: &mut impl Handle) -> Result<Vec<(String, i64)>> {
    let mut rows: Vec<(String, i64)> = dispatch!(h, c => sqlx::query_as(
        "SELECT column_path, CAST(SUM(n) AS BIGINT) FROM doc_counts_path \
         GROUP BY column_path HAVING SUM(n) > 0",
    )
    .fetch_all(c)
    .await?);
    // Sorted here: PostgreSQL would order Chinese text by its locale, SQLite by bytes.
    rows.sort();
    Ok(rows)
}

/// Columns of one organization that hold published records.
pub async fn used_columns(h: &mut impl Handle, org_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = dispatch!(h, c => sqlx::query_as(
        "SELECT column_id FROM doc_counts WHERE org_id = $1 GROUP BY column_id HAVING SUM(n) > 0",
    )
    .bind(org_id)
    .fetch_all(c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}
