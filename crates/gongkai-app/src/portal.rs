//! What the public portal shows (C2). Only published records are ever returned; a draft is
//! "not found" and a withdrawn record is a tombstone without its content.

use gongkai_domain::{DocKind, DocStatus, Topic, Validity};
use gongkai_store::attachments::{self, Attachment};
use gongkai_store::columns::{self, Column};
use gongkai_store::counts::{self, CountFilter};
use gongkai_store::documents::{self, Document, Filter, Summary};
use gongkai_store::orgs::Org;

use crate::orgs::OrgTree;
use crate::{App, Error, Result};

/// Records per list page.
pub const PAGE_SIZE: i64 = 20;

/// List filters as they arrive from a page's query string, already parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Organization code (for the aggregated column); ignored inside an organization's column.
    pub org: Option<String>,
    /// 主题分类.
    pub topic: Option<Topic>,
    /// 公文种类.
    pub kind: Option<DocKind>,
    /// Year of publication.
    pub year: Option<i32>,
    /// 有效性.
    pub validity: Option<Validity>,
    /// Column path (first level, or `一级/二级`).
    pub column: Option<String>,
    /// 1-based page.
    pub page: i64,
}

/// One page of a list.
#[derive(Clone, Debug)]
pub struct ListPage {
    /// The records.
    pub items: Vec<Summary>,
    /// Matching records in all.
    pub total: i64,
    /// 1-based page shown.
    pub page: i64,
    /// Number of pages.
    pub pages: i64,
    /// Years with records under the other filters, newest first, with counts.
    pub years: Vec<(i64, i64)>,
    /// The years are 报告年度 (the 年度报告 column), not years of publication.
    pub by_report_year: bool,
}

/// The scope of a list: the whole platform or one organization (with or without the units
/// below it).
#[derive(Clone, Debug)]
pub enum Scope<'a> {
    /// Every organization.
    All,
    /// One organization's own column.
    Org(&'a Org),
}

/// The newest `limit` published records under `q`, without counting them (the home page's
/// latest records and policies).
pub async fn newest(
    app: &App,
    tree: &OrgTree,
    scope: Scope<'_>,
    q: &ListQuery,
    limit: i64,
) -> Result<Vec<Summary>> {
    let mut c = app.db().conn().await?;
    let mut filter = filter_for(&mut c, tree, scope, q).await?;
    filter.year = q.year;
    Ok(documents::page(&mut c, &filter, 0, limit).await?)
}

/// The record filter of a list query, its column path resolved to column ids.
async fn filter_for(
    c: &mut gongkai_store::Conn,
    tree: &OrgTree,
    scope: Scope<'_>,
    q: &ListQuery,
) -> Result<Filter> {
    let org_ids = match scope {
        Scope::Org(o) => Some(vec![o.id]),
        Scope::All => q.org.as_ref().map(|code| {
            tree.by_code(code)
                .map(|o| tree.subtree_ids(o.id))
                .unwrap_or_default()
        }),
    };
    let column_ids = match &q.column {
        Some(path) => {
            let org = match scope {
                Scope::Org(o) => Some(o.id),
                Scope::All => None,
            };
            Some(columns::ids_under(c, path, org).await?)
        }
        None => None,
    };
    Ok(Filter {
        statuses: vec![DocStatus::Published],
        org_ids,
        topic_code_prefix: q.topic.map(|t| {
            let code = t.code();
            if t.second().is_some() {
                code
            } else {
                code[..2].to_owned()
            }
        }),
        kind: q.kind,
        year: None,
        report_year: None,
        validity: q.validity,
        column_path: None,
        column_ids,
    })
}

/// A page of published records. Counts and the year facet come from the counter rows,
/// except for a topic or kind together with an organization or column (or both), which
/// only the record index can count.
pub async fn list(app: &App, tree: &OrgTree, scope: Scope<'_>, q: &ListQuery) -> Result<ListPage> {
    let mut c = app.db().conn().await?;
    let mut filter = filter_for(&mut c, tree, scope, q).await?;
    // The 年度报告 column is read by the year reported on: a 2024 report is published in 2025.
    let by_report_year = q
        .column
        .as_deref()
        .is_some_and(|c| c.split('/').next() == Some(gongkai_domain::report::REPORT_COLUMN));
    let years = if by_report_year {
        documents::report_years(&mut c, &filter).await?
    } else {
        let counted = counts::years(
            &mut c,
            &CountFilter {
                org_ids: filter.org_ids.clone(),
                column_ids: filter.column_ids.clone(),
                column_path: q.column.clone(),
                validity: filter.validity.map(|v| v.code().to_owned()),
                topic_code_prefix: filter.topic_code_prefix.clone(),
                kind: filter.kind.map(|k| k.code().to_owned()),
            },
        )
        .await?;
        match counted {
            Some(years) => years,
            None => documents::years(&mut c, &filter).await?,
        }
    };
    let total = match (q.year, by_report_year) {
        (Some(y), _) => years
            .iter()
            .find(|(year, _)| *year == i64::from(y))
            .map_or(0, |(_, n)| *n),
        (None, false) => years.iter().map(|(_, n)| n).sum(),
        (None, true) => documents::count(&mut c, &filter).await?,
    };
    if by_report_year {
        filter.report_year = q.year;
    } else {
        filter.year = q.year;
    }
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = q.page.max(1);
    let items = if page > pages {
        Vec::new()
    } else {
        documents::page(&mut c, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?
    };
    Ok(ListPage {
        items,
        total,
        page,
        pages,
        years,
        by_report_year,
    })
}

/// A published record with what its page shows.
#[derive(Clone, Debug)]
pub struct PublicDocument {
    /// The record.
    pub doc: Document,
    /// Its attachments.
    pub attachments: Vec<Attachment>,
    /// The successor when amended.
    pub successor: Option<Summary>,
    /// Earlier versions this record amended (立改废 history).
    pub predecessors: Vec<Summary>,
}

/// The outcome of looking up a public record.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// Published: show it.
    Published(Box<PublicDocument>),
    /// Withdrawn: show only that it was withdrawn.
    Withdrawn,
}

/// The published record `id`; drafts are not found, withdrawn records are tombstones.
pub async fn document(app: &App, id: i64) -> Result<Lookup> {
    let mut c = app.db().conn().await?;
    let doc = documents::by_id(&mut c, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    match doc.status {
        DocStatus::Published => {}
        DocStatus::Withdrawn => return Ok(Lookup::Withdrawn),
        DocStatus::Draft => return Err(Error::NotFound("文件")),
    }
    let attachments = attachments::of_document(&mut c, id).await?;
    let successor = match doc.successor_id {
        Some(s) => documents::by_id(&mut c, s)
            .await?
            .filter(|d| d.status == DocStatus::Published)
            .map(|d| Summary {
                id: d.id,
                org_code: d.org_code,
                org_name: d.org_name,
                index_number: d.index_number,
                title: d.title,
                doc_number: d.doc_number,
                topic: d.topic,
                kind: d.kind,
                validity: d.validity,
                status: d.status,
                published_date: d.published_date,
                written_date: d.written_date,
                column_path: d.column_path,
            }),
        None => None,
    };
    let predecessors = documents::predecessors(&mut c, id).await?;
    Ok(Lookup::Published(Box::new(PublicDocument {
        doc,
        attachments,
        successor,
        predecessors,
    })))
}

/// An attachment of a published record, with its bytes.
pub async fn attachment(
    app: &App,
    document_id: i64,
    attachment_id: i64,
) -> Result<(Attachment, Vec<u8>)> {
    let mut c = app.db().conn().await?;
    let att = attachments::by_id(&mut c, attachment_id)
        .await?
        .filter(|a| a.document_id == document_id)
        .ok_or(Error::NotFound("附件"))?;
    let doc = documents::by_id(&mut c, document_id)
        .await?
        .ok_or(Error::NotFound("附件"))?;
    if doc.status != DocStatus::Published {
        return Err(Error::NotFound("附件"));
    }
    drop(c);
    let bytes = crate::files::read(app, &att).await?;
    Ok((att, bytes))
}

/// The public columns of an organization: the unified structure, and any column an office
/// added once it holds a published record (a column made by a draft stays hidden).
pub async fn org_columns(app: &App, org_id: i64) -> Result<Vec<Column>> {
    let mut c = app.db().conn().await?;
    let used = columns::published_ids(&mut c, org_id).await?;
    Ok(columns::of_org(&mut c, org_id)
        .await?
        .into_iter()
        .filter(|col| col.unified || used.contains(&col.id))
        .collect())
}

/// Column paths holding published records, over every organization, with counts.
pub async fn all_column_paths(app: &App) -> Result<Vec<(String, i64)>> {
    let mut c = app.db().conn().await?;
    Ok(columns::published_paths(&mut c).await?)
}

/// Published records per organization id.
pub async fn org_counts(app: &App) -> Result<std::collections::HashMap<i64, i64>> {
    let mut c = app.db().conn().await?;
    Ok(gongkai_store::orgs::published_counts(&mut c)
        .await?
        .into_iter()
        .collect())
}

/// One page of the 立改废 list: published records amended, expired or repealed, newest
/// change first, of one organization or of all.
pub async fn validity_changes(
    app: &App,
    scope: Scope<'_>,
    page: i64,
) -> Result<(Vec<gongkai_store::documents::ValidityChange>, i64)> {
    let mut c = app.db().conn().await?;
    let ids = match scope {
        Scope::Org(o) => Some(vec![o.id]),
        Scope::All => None,
    };
    Ok(documents::validity_changes(
        &mut c,
        ids.as_deref(),
        (page.max(1) - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await?)
}
