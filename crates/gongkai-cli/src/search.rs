//! `gongkai search QUERY [--org CODE] [--limit N]` and `gongkai reindex`.

use std::io::Write;

use gongkai_app::App;
use gongkai_app::search::{SearchRequest, catch_up, reindex, search};
use serde::Serialize;

use crate::progress;

/// One line of `gongkai search` (SPEC, "CLI").
#[derive(Serialize)]
struct Line<'a> {
    title: &'a str,
    doc_number: Option<&'a str>,
    index_number: Option<&'a str>,
    org: &'a str,
    published_date: String,
    url: String,
    snippet: &'a str,
}

/// Prints the hits as JSON lines, best first.
pub async fn run(app: &App, query: &str, org: Option<String>, limit: usize) -> anyhow::Result<()> {
    // The whole backlog first (a search alone applies a few changes and leaves the rest to
    // the background, which this process would not wait for).
    catch_up(app).await?;
    let page = search(
        app,
        &SearchRequest {
            q: query.to_owned(),
            org,
            page: 1,
            per_page: limit,
            ..SearchRequest::default()
        },
    )
    .await?;
    let mut out = std::io::stdout().lock();
    for h in &page.results.hits {
        let line = Line {
            title: &h.title,
            doc_number: h.doc_number.as_deref(),
            index_number: h.index_number.as_deref(),
            org: &h.org_code,
            published_date: gongkai_domain::format_date_iso(h.published_date),
            url: format!("/doc/{}", h.id),
            snippet: &h.snippet,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Rebuilds the index with a progress bar; says how many records it holds.
pub async fn rebuild(app: &App) -> anyhow::Result<()> {
    let bar = progress::counter("重建检索索引");
    let n = reindex(app, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    println!("检索索引已重建：{n} 条已发布记录");
    Ok(())
}
