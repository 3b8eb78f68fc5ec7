//! What the feeds and the sitemap publish (SPEC C2): published records only, newest first,
//! with an excerpt of the body. Nothing unpublished, withdrawn or personal: the records
//! passed the scan before sign-off, and applicants' requests are never records.

use gongkai_store::documents;
use time::{Date, OffsetDateTime};

use crate::orgs::OrgTree;
use crate::portal::{ListQuery, Scope};
use crate::{App, Result, body};

/// Records in a feed.
pub const FEED_SIZE: i64 = 50;
/// Characters of the body in an entry's summary.
const EXCERPT: usize = 200;
/// Addresses per sitemap file (the protocol's limit is 50,000).
pub const SITEMAP_SPAN: i64 = 50_000;

/// One entry of a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedItem {
    /// Record id (its page is `/doc/{id}`).
    pub id: i64,
    /// 标题.
    pub title: String,
    /// 索引号.
    pub index_number: Option<String>,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 发布机构.
    pub org_name: String,
    /// 主题分类.
    pub topic: String,
    /// 发布日期.
    pub published: Date,
    /// Last change (validity marks, attachments).
    pub updated: OffsetDateTime,
    /// The start of the body as plain text.
    pub excerpt: String,
}

/// The newest published records of the platform or of one organization.
pub async fn items(app: &App, tree: &OrgTree, scope: Scope<'_>) -> Result<Vec<FeedItem>> {
    let newest = crate::portal::newest(
        app,
        tree,
        scope,
        &ListQuery {
            page: 1,
            ..ListQuery::default()
        },
        FEED_SIZE,
    )
    .await?;
    let ids: Vec<i64> = newest.iter().map(|s| s.id).collect();
    let mut c = app.db().conn().await?;
    let docs = documents::by_ids(&mut c, &ids).await?;
    Ok(newest
        .iter()
        .filter_map(|s| {
            let d = docs.iter().find(|d| d.id == s.id)?;
            let published = d.published_date?;
            let text = body::html_to_text(&d.body_html);
            let mut excerpt: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if excerpt.chars().count() > EXCERPT {
                excerpt = excerpt.chars().take(EXCERPT).collect::<String>() + "…";
            }
            Some(FeedItem {
                id: d.id,
                title: d.title.clone(),
                index_number: d.index_number.clone(),
                doc_number: d.doc_number.clone(),
                org_name: d.org_name.clone(),
                topic: d.topic.clone(),
                published,
                updated: d.updated_at,
                excerpt,
            })
        })
        .collect())
}

/// How many record files the sitemap has (ids are split in spans of [`SITEMAP_SPAN`]).
pub async fn sitemap_files(app: &App) -> Result<i64> {
    let mut c = app.db().conn().await?;
    let max = documents::max_id(&mut c).await?;
    Ok(max / SITEMAP_SPAN + 1)
}

/// The published records of sitemap file `n` and their last change.
pub async fn sitemap_records(app: &App, n: i64) -> Result<Vec<(i64, OffsetDateTime)>> {
    let mut c = app.db().conn().await?;
    let lo = n.saturating_mul(SITEMAP_SPAN);
    Ok(documents::published_between(&mut c, lo, lo.saturating_add(SITEMAP_SPAN)).await?)
}
