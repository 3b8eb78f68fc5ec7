//! 一网通查: the search index of published records, under `<data>/search`.
//!
//! The index is opened at the first search; when it is missing or of an older schema it is
//! rebuilt from the database first. `gongkai reindex` rebuilds it on demand.
//!
//! Each node keeps its own index current from the database: every change to a public record
//! appends its id to `search_changes` in the same transaction, and [`catch_up`] applies the
//! rows after the last one this index applied (kept in `<data>/search/applied-seq`). Several
//! nodes on one PostgreSQL therefore each catch up on their own (ARCHITECTURE.md, "Search").

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use gongkai_domain::DocStatus;
pub use gongkai_search::{Facets, Hit, Matched, SearchResults};
use gongkai_search::{Opened, Published, Record, SearchIndex, SearchQuery};
use gongkai_store::documents::{Document, Filter};
use gongkai_store::{attachments, documents, orgs, search_changes};

use crate::orgs::OrgTree;
use crate::{App, Error, Result};

/// Records read from the database per step of a rebuild.
const REBUILD_BATCH: i64 = 1000;

/// Changes applied per step of a catch-up.
const CATCH_UP_BATCH: i64 = 2000;

/// The file in the index directory naming the last change applied.
const APPLIED_FILE: &str = "applied-seq";

/// Hits per page of the search page and the API.
pub const PER_PAGE: usize = 20;

/// The most hits any search pages through (a deeper page is refused, not computed).
pub const MAX_OFFSET: usize = 10_000;

/// A search as people and programs ask it.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// What was typed.
    pub q: String,
    /// Organization code: its records and those of its units.
    pub org: Option<String>,
    /// 主题分类 code (2 or 4 digits).
    pub topic: Option<String>,
    /// 公文种类 code.
    pub kind: Option<String>,
    /// Year of publication.
    pub year: Option<i32>,
    /// 有效性 code.
    pub validity: Option<String>,
    /// 1-based page.
    pub page: usize,
    /// Hits per page (default [`PER_PAGE`]).
    pub per_page: usize,
}

/// What a search found, with the organization facet summed over each unit's subtree.
#[derive(Clone, Debug)]
pub struct SearchPage {
    /// The index's answer.
    pub results: SearchResults,
    /// Hits per organization including its units, by organization id.
    pub org_totals: HashMap<i64, u64>,
    /// 1-based page shown.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
}

impl App {
    /// The search index, opened (and built when missing) at first use.
    pub async fn search_index(&self) -> Result<Arc<SearchIndex>> {
        let mut slot = self.search.lock().await;
        if let Some(ix) = slot.as_ref() {
            return Ok(Arc::clone(ix));
        }
        let words = dictionary_words(self).await?;
        let dir = self.data_dir().join("search");
        let (ix, opened) = tokio::task::spawn_blocking(move || SearchIndex::open(&dir, &words))
            .await
            .map_err(|e| Error::internal(format!("search index: {e}")))?
            .map_err(index_error)?;
        let ix = Arc::new(ix);
        if opened == Opened::Created {
            tracing::info!("search index missing or of an older version: rebuilding");
            fill(self, &ix, |_, _| {}).await?;
        }
        *slot = Some(Arc::clone(&ix));
        Ok(ix)
    }

    fn search_dir(&self) -> std::path::PathBuf {
        self.data_dir().join("search")
    }
}

/// The last change the index on disk has applied.
fn applied(app: &App) -> i64 {
    std::fs::read_to_string(app.search_dir().join(APPLIED_FILE))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

fn set_applied(app: &App, seq: i64) -> Result<()> {
    std::fs::write(app.search_dir().join(APPLIED_FILE), seq.to_string())
        .map_err(|e| Error::internal(format!("search index: {e}")))
}

/// Applies the changes logged since the index last caught up: published records are
/// (re)indexed, others removed. Returns how many records were applied; 0 when another
/// process holds the index for writing (the server keeps it current).
pub async fn catch_up(app: &App) -> Result<usize> {
    let ix = app.search_index().await?;
    let _writing = app.search_writing.lock().await;
    Ok(match apply_changes(app, &ix, usize::MAX).await? {
        Applied::All(n) | Applied::Some(n) => n,
        Applied::Busy => 0,
    })
}

/// How long a search waits for another task's catch-up before answering without it.
const WAIT_FOR_WRITER: std::time::Duration = std::time::Duration::from_millis(500);

/// What [`apply_changes`] did.
enum Applied {
    /// Every logged change, this many records.
    All(usize),
    /// This many records; more changes remain.
    Some(usize),
    /// Nothing more: another process holds the index for writing.
    Busy,
}

/// Applies up to `max_batches` batches of logged changes.
async fn apply_changes(app: &App, ix: &Arc<SearchIndex>, max_batches: usize) -> Result<Applied> {
    let mut seq = applied(app);
    let mut total = 0;
    let tree = OrgTree::current(app).await?;
    for _ in 0..max_batches {
        let mut c = app.db().conn().await?;
        let changes = search_changes::after(&mut c, seq, CATCH_UP_BATCH).await?;
        let Some(&(last, _)) = changes.last() else {
            return Ok(Applied::All(total));
        };
        let mut ids: Vec<i64> = changes.iter().map(|(_, id)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        let docs = documents::by_ids(&mut c, &ids).await?;
        let texts = attachments::texts(&mut c, &ids).await?;
        drop(c);
        let keep = records(&tree, docs, texts);
        let kept: std::collections::HashSet<i64> = keep.iter().map(Published::id).collect();
        let gone: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !kept.contains(id))
            .collect();
        total += ids.len();
        let ix2 = Arc::clone(ix);
        let applied = tokio::task::spawn_blocking(move || {
            ix2.remove(&gone)?;
            ix2.upsert(&keep)?;
            ix2.commit()
        })
        .await
        .map_err(|e| Error::internal(format!("search index: {e}")))?;
        match applied {
            Ok(()) => {}
            Err(gongkai_search::IndexError::Busy) => return Ok(Applied::Busy),
            Err(e) => return Err(index_error(e)),
        }
        seq = last;
        set_applied(app, seq)?;
        if i64::try_from(changes.len()).unwrap_or(i64::MAX) < CATCH_UP_BATCH {
            return Ok(Applied::All(total));
        }
    }
    Ok(Applied::Some(total))
}

/// Before a search: a few changes (a publication, a withdrawal) are applied at once, so the
/// search sees them; a long backlog (a large import) goes on in the background while
/// searches answer from the index as it stands.
async fn catch_up_before_search(app: &App, ix: &Arc<SearchIndex>) -> Result<()> {
    let generation = app.public_generation();
    if app.search_seen.load(Ordering::Acquire) == generation {
        return Ok(());
    }
    // Someone is catching up already: wait for a short one (a publication), but answer a
    // long one (a large import) from the index as it stands.
    let writing = match app.search_writing.try_lock() {
        Ok(writing) => writing,
        Err(_) => match tokio::time::timeout(WAIT_FOR_WRITER, app.search_writing.lock()).await {
            Ok(writing) => writing,
            Err(_) => return ix.refresh().map_err(index_error),
        },
    };
    let applied = apply_changes(app, ix, 1).await?;
    drop(writing);
    ix.refresh().map_err(index_error)?;
    match applied {
        // The next search tries again.
        Applied::Busy => {}
        Applied::Some(_) => {
            let app = app.clone();
            tokio::spawn(async move {
                match catch_up(&app).await {
                    Ok(_) => app.search_seen.store(generation, Ordering::Release),
                    Err(e) => tracing::warn!(error = %e, "search index catch-up failed"),
                }
            });
        }
        // A change landing meanwhile bumped the generation again: the next search applies it.
        Applied::All(_) => app.search_seen.store(generation, Ordering::Release),
    }
    Ok(())
}

/// Words the segmenter must keep whole: the organizations' names and short names.
async fn dictionary_words(app: &App) -> Result<Vec<String>> {
    let mut c = app.db().conn().await?;
    let mut words = Vec::new();
    for o in orgs::all(&mut c).await? {
        words.push(o.name);
        if let Some(s) = o.short_name {
            words.push(s);
        }
    }
    Ok(words)
}

/// Rebuilds the index from the database. `progress(done, total)` follows the records.
pub async fn reindex(app: &App, progress: impl FnMut(u64, u64)) -> Result<u64> {
    let words = dictionary_words(app).await?;
    let dir = app.data_dir().join("search");
    // A fresh directory: the dictionary may have changed with the organizations.
    let mut slot = app.search.lock().await;
    *slot = None;
    let ix = tokio::task::spawn_blocking(move || SearchIndex::create(&dir, &words))
        .await
        .map_err(|e| Error::internal(format!("search index: {e}")))?
        .map_err(index_error)?;
    let ix = Arc::new(ix);
    let n = fill(app, &ix, progress).await?;
    *slot = Some(ix);
    Ok(n)
}

/// Adds every published record to an empty index.
async fn fill(app: &App, ix: &Arc<SearchIndex>, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
    let tree = OrgTree::load(app).await?;
    let filter = Filter {
        statuses: vec![DocStatus::Published],
        ..Filter::default()
    };
    let total = {
        let mut c = app.db().conn().await?;
        let ids: Vec<i64> = tree.all().iter().map(|o| o.id).collect();
        documents::status_counts(&mut c, &ids)
            .await?
            .into_iter()
            .find(|(s, _)| s == DocStatus::Published.code())
            .map_or(0, |(_, n)| u64::try_from(n).unwrap_or(0))
    };
    // Changes logged from here on are applied again by the next catch-up (applying one
    // twice is harmless); earlier ones are in what is read below.
    let seq = {
        let mut c = app.db().conn().await?;
        search_changes::last(&mut c).await?
    };
    let mut after = 0;
    let mut done = 0;
    progress(0, total);
    loop {
        let mut c = app.db().conn().await?;
        let batch = documents::after(&mut c, &filter, after, REBUILD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let ids: Vec<i64> = batch.iter().map(|d| d.id).collect();
        let texts = attachments::texts(&mut c, &ids).await?;
        drop(c);
        let records = records(&tree, batch, texts);
        done += records.len() as u64;
        let ix2 = Arc::clone(ix);
        tokio::task::spawn_blocking(move || ix2.upsert(&records))
            .await
            .map_err(|e| Error::internal(format!("search index: {e}")))?
            .map_err(index_error)?;
        progress(done, total);
    }
    let ix2 = Arc::clone(ix);
    tokio::task::spawn_blocking(move || {
        ix2.commit()?;
        ix2.compact()
    })
    .await
    .map_err(|e| Error::internal(format!("search index: {e}")))?
    .map_err(index_error)?;
    set_applied(app, seq)?;
    Ok(done)
}

/// What the index holds of records, their attachments' text joined.
fn records(tree: &OrgTree, docs: Vec<Document>, texts: Vec<(i64, String)>) -> Vec<Published> {
    let mut by_doc: HashMap<i64, String> = HashMap::new();
    for (id, text) in texts {
        let t = by_doc.entry(id).or_default();
        if !t.is_empty() {
            t.push('\n');
        }
        t.push_str(&text);
    }
    docs.into_iter()
        .filter_map(|d| {
            let status = d.status;
            let published_date = d.published_date?;
            let mut org_path = vec![d.org_id];
            org_path.extend(tree.ancestors(d.org_id).iter().map(|o| o.id));
            Published::new(
                status,
                Record {
                    id: d.id,
                    org_id: d.org_id,
                    org_path,
                    org_code: d.org_code,
                    org_name: d.org_name,
                    body_text: crate::body::html_to_text(&d.body_html),
                    attachments_text: by_doc.remove(&d.id).unwrap_or_default(),
                    title: d.title,
                    doc_number: d.doc_number,
                    index_number: d.index_number,
                    topic_code: d.topic_code,
                    kind: d.kind.code().to_owned(),
                    validity: d.validity.code().to_owned(),
                    published_date,
                },
            )
        })
        .collect()
}

/// Searches published records.
pub async fn search(app: &App, req: &SearchRequest) -> Result<SearchPage> {
    let per_page = if req.per_page == 0 {
        PER_PAGE
    } else {
        req.per_page.min(1000)
    };
    let page = req.page.max(1);
    let offset = (page - 1) * per_page;
    if offset > MAX_OFFSET {
        return Err(Error::Invalid(format!(
            "只能查看前 {MAX_OFFSET} 条结果，请增加检索词或筛选条件"
        )));
    }
    if req.q.chars().count() > 200 {
        return Err(Error::Invalid("检索词过长：最多 200 个字".into()));
    }
    let tree = OrgTree::current(app).await?;
    let org_id = match &req.org {
        Some(code) => Some(
            tree.by_code(code)
                .ok_or_else(|| Error::Invalid(format!("机构代码 {code} 不存在")))?
                .id,
        ),
        None => None,
    };
    let query = SearchQuery {
        text: req.q.clone(),
        org_id,
        topic: req.topic.clone(),
        kind: req.kind.clone(),
        year: req.year,
        validity: req.validity.clone(),
        offset,
        limit: per_page,
    };
    let ix = app.search_index().await?;
    // Every change to a public record bumps the generation, so an unchanged one means
    // nothing to apply.
    catch_up_before_search(app, &ix).await?;
    let results = tokio::task::spawn_blocking(move || ix.search(&query))
        .await
        .map_err(|e| Error::internal(format!("search: {e}")))?
        .map_err(index_error)?;
    let parents: HashMap<i64, Option<i64>> =
        tree.all().iter().map(|o| (o.id, o.parent_id)).collect();
    let org_totals = gongkai_search::subtree_counts(&results.facets.org, &parents);
    Ok(SearchPage {
        results,
        org_totals,
        page,
        per_page,
    })
}

fn index_error(e: gongkai_search::IndexError) -> Error {
    match e {
        gongkai_search::IndexError::Query(m) => Error::Invalid(m),
        gongkai_search::IndexError::Busy => {
            Error::Invalid("检索索引正被另一个进程（如运行中的服务）写入，请先停止它再重建".into())
        }
        e => Error::internal(e.to_string()),
    }
}
