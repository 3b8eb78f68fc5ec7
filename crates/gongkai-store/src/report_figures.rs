//! The figures of the annual report that the office enters itself (table 二's 许可, 处罚,
//! 强制 and 收费 rows) and the narrative sections.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// One organization's entered figures for one year.
#[derive(Clone, Debug, Default, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Figures {
    /// 行政许可 decisions.
    pub licensing_decisions: i64,
    /// 行政处罚 decisions.
    pub punishments: i64,
    /// 行政强制 decisions.
    pub coercive_measures: i64,
    /// 行政事业性收费, in 分.
    pub fees_fen: i64,
    /// 一、总体情况.
    pub overview: String,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
    /// Where the figures of 许可, 处罚, 强制 and 收费 come from (e.g. 区行政审批局统计).
    pub source: String,
    /// 2019 format: 行政许可 上一年项目数量.
    pub licensing_items: i64,
    /// 2019 format: 行政许可 本年增/减.
    pub licensing_change: i64,
    /// 2019 format: 其他对外管理服务事项 上一年项目数量.
    pub other_services_items: i64,
    /// 2019 format: 其他对外管理服务事项 本年增/减.
    pub other_services_change: i64,
    /// 2019 format: 其他对外管理服务事项 处理决定数量.
    pub other_services_decisions: i64,
    /// 2019 format: 行政处罚 上一年项目数量.
    pub punishment_items: i64,
    /// 2019 format: 行政处罚 本年增/减.
    pub punishment_change: i64,
    /// 2019 format: 行政强制 上一年项目数量.
    pub coercive_items: i64,
    /// 2019 format: 行政强制 本年增/减.
    pub coercive_change: i64,
    /// 2019 format: 行政事业性收费 上一年项目数量.
    pub fee_items: i64,
    /// 2019 format: 行政事业性收费 本年增/减.
    pub fee_change: i64,
    /// 2019 format: 政府集中采购 采购项目数量.
    pub procurement_projects: i64,
    /// 2019 format: 政府集中采购 采购总金额, in 分.
    pub procurement_fen: i64,
}

/// The figures of `org_id` for `year`, if entered.
pub async fn get(h: &mut impl Handle, org_id: i64, year: i32) -> Result<Option<Figures>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        sqlx::AssertSqlSafe(format!(
            "SELECT licensing_decisions, punishments, coercive_measures, fees_fen, overview, \
             problems, other, source, {} FROM annual_report_figures \
             WHERE org_id = $1 AND year = $2",
            COLUMNS_2019.join(", ")
        )),
    )
    .bind(org_id)
    .bind(i64::from(year))
    .fetch_optional(c)
    .await?))
}

/// The columns of the 2019 format's figures, in the order of [`Figures::values_2019`].
const COLUMNS_2019: [&str; 13] = [
    "licensing_items",
    "licensing_change",
    "other_services_items",
    "other_services_change",
    "other_services_decisions",
    "punishment_items",
    "punishment_change",
    "coercive_items",
    "coercive_change",
    "fee_items",
    "fee_change",
    "procurement_projects",
    "procurement_fen",
];

impl Figures {
    fn values_2019(&self) -> [i64; 13] {
        [
            self.licensing_items,
            self.licensing_change,
            self.other_services_items,
            self.other_services_change,
            self.other_services_decisions,
            self.punishment_items,
            self.punishment_change,
            self.coercive_items,
            self.coercive_change,
            self.fee_items,
            self.fee_change,
            self.procurement_projects,
            self.procurement_fen,
        ]
    }
}

/// Enters or replaces the figures of `org_id` for `year`.
pub async fn put(
    h: &mut impl Handle,
    org_id: i64,
    year: i32,
    f: &Figures,
    now: OffsetDateTime,
) -> Result<()> {
    let now = crate::truncate(now);
    let base = [
        "licensing_decisions",
        "punishments",
        "coercive_measures",
        "fees_fen",
        "overview",
        "problems",
        "other",
        "source",
        "updated_at",
    ];
    let columns: Vec<&str> = base.iter().chain(&COLUMNS_2019).copied().collect();
    let sql = format!(
        "INSERT INTO annual_report_figures (org_id, year, {}) VALUES ($1, $2, {}) \
         ON CONFLICT (org_id, year) DO UPDATE SET {}",
        columns.join(", "),
        (0..columns.len())
            .map(|i| crate::ph(i + 3))
            .collect::<Vec<_>>()
            .join(", "),
        columns
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    dispatch!(h, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org_id)
            .bind(i64::from(year))
            .bind(f.licensing_decisions)
            .bind(f.punishments)
            .bind(f.coercive_measures)
            .bind(f.fees_fen)
            .bind(f.overview.as_str())
            .bind(f.problems.as_str())
            .bind(f.other.as_str())
            .bind(f.source.as_str())
            .bind(now);
        for v in f.values_2019() {
            q = q.bind(v);
        }
        q.execute(c).await?.rows_affected()
    });
    Ok(())
}

/// A stored adjustment of a figure.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AdjustmentRow {
    /// Id.
    pub id: i64,
    /// The organization it was entered for.
    pub org_id: i64,
    /// `3` or `4`.
    pub table_no: i32,
    /// Row (table 三) or block (table 四) key.
    pub row_key: String,
    /// Column key.
    pub column_key: String,
    /// The change.
    pub delta: i64,
    /// Why.
    pub reason: String,
    /// Who, by display name.
    pub created_by_name: Option<String>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Records an adjustment; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_adjustment(
    h: &mut impl Handle,
    org_id: i64,
    year: i32,
    table_no: i32,
    row_key: &str,
    column_key: &str,
    delta: i64,
    reason: &str,
    created_by: Option<i64>,
    now: OffsetDateTime,
) -> Result<i64> {
    let now = crate::truncate(now);
    let (id,): (i64,) = dispatch!(h, c => sqlx::query_as(
        "INSERT INTO annual_report_adjustments (org_id, year, table_no, row_key, column_key, \
         delta, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
    )
    .bind(org_id)
    .bind(year)
    .bind(table_no)
    .bind(row_key)
    .bind(column_key)
    .bind(delta)
    .bind(reason)
    .bind(created_by)
    .bind(now)
    .fetch_one(c)
    .await?);
    Ok(id)
}

/// The adjustments of these organizations for `year`, in the order entered.
pub async fn adjustments(
    h: &mut impl Handle,
    org_ids: &[i64],
    year: i32,
) -> Result<Vec<AdjustmentRow>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..org_ids.len()).map(|i| crate::ph(i + 2)).collect();
    let sql = format!(
        "SELECT a.id, a.org_id, a.table_no, a.row_key, a.column_key, a.delta, a.reason, \
         u.display_name AS created_by_name, a.created_at FROM annual_report_adjustments a \
         LEFT JOIN users u ON u.id = a.created_by WHERE a.year = $1 AND a.org_id IN ({}) \
         ORDER BY a.id",
        list.join(", ")
    );
    Ok(dispatch!(h, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(year);
        for id in org_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await?
    }))
}
