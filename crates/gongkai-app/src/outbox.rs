//! The outbox (SPEC C2): each record published through the workflow is handed to the
//! registered channels (政务新媒体 accounts, other sites), one webhook each, with retries
//! and a delivery log; the office sees what was not delivered within the repost limit.
//! A delivery carries the public record only: what its page shows, nothing more.

use gongkai_store::documents::Document;
use gongkai_store::outbox::{self, Channel, LogRow};
use time::{Duration, OffsetDateTime};

use crate::auth::Staff;
use crate::documents::Actor;
use crate::orgs::OrgTree;
use crate::{App, Error, Result};

/// Deliveries attempted per round of the worker.
const ROUND: i64 = 20;

/// How long a node holds a delivery it took (a post times out after 10 s); a node that stops
/// meanwhile leaves it to be retried after.
const CLAIM: Duration = Duration::minutes(2);

/// The wait before the next attempt after `attempts` failures: 1 minute, doubling, at most
/// an hour.
pub fn retry_after(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(0, 6)).unwrap_or(6);
    Duration::minutes((1i64 << exp).min(60))
}

/// Registers a channel (a platform administrator only): its records are those of
/// `org_code` and the units below, or of every organization when none is given.
pub async fn add_channel(
    app: &App,
    actor: Actor<'_>,
    org_code: Option<&str>,
    name: &str,
    url: &str,
) -> Result<i64> {
    if let Actor::Staff(s) = actor
        && !s.is_admin()
    {
        return Err(Error::Forbidden);
    }
    let (name, url) = (name.trim(), url.trim());
    if name.is_empty() {
        return Err(Error::Invalid("渠道名称：不能为空".into()));
    }
    let parsed: Option<ureq::http::Uri> = url.parse().ok();
    let scheme_ok = parsed
        .as_ref()
        .and_then(|u| u.scheme_str())
        .is_some_and(|s| s == "http" || s == "https");
    if !scheme_ok || parsed.and_then(|u| u.host().map(str::to_owned)).is_none() {
        return Err(Error::Invalid(format!(
            "推送地址：“{url}”不是 http:// 或 https:// 开头的网址"
        )));
    }
    let mut tx = app.db().begin().await?;
    let org_id = match org_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(
            gongkai_store::orgs::by_code(&mut tx, code)
                .await?
                .ok_or_else(|| Error::Invalid(format!("机构 {code} 不存在")))?
                .id,
        ),
        None => None,
    };
    let id = outbox::add_channel(&mut tx, org_id, name, url, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "channel.add",
        "channel",
        Some(id),
        org_id,
        serde_json::json!({"name": name, "url": url}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Every channel.
pub async fn channels(app: &App) -> Result<Vec<Channel>> {
    let mut c = app.db().conn().await?;
    Ok(outbox::channels(&mut c).await?)
}

/// Queues a record just published for its channels, in the publishing transaction.
pub(crate) async fn enqueue(
    h: &mut impl gongkai_store::Handle,
    app: &App,
    doc: &Document,
) -> Result<u64> {
    let tree = OrgTree::current(app).await?;
    let mut orgs = vec![doc.org_id];
    orgs.extend(tree.ancestors(doc.org_id).iter().map(|o| o.id));
    Ok(outbox::enqueue(h, doc.id, &orgs, app.now()).await?)
}

/// The public content of a record handed to a channel.
fn payload(app_base: &str, d: &Document) -> serde_json::Value {
    serde_json::json!({
        "id": d.id,
        "title": d.title,
        "url": format!("{}/doc/{}", app_base.trim_end_matches('/'), d.id),
        "index_number": d.index_number,
        "doc_number": d.doc_number,
        "org": {"code": d.org_code, "name": d.org_name},
        "issuer": d.issuer,
        "published_date": d.published_date.map(gongkai_domain::format_date_iso),
        "summary": crate::body::html_to_text(&d.body_html).chars().take(200).collect::<String>(),
    })
}

/// One round of the worker: delivers what is due. Returns (delivered, failed).
pub async fn deliver_due(app: &App, base_url: &str) -> Result<(usize, usize)> {
    let now = app.now();
    let mut c = app.db().conn().await?;
    let due = outbox::due(&mut c, now, ROUND).await?;
    let mut done = (0, 0);
    for d in due {
        // Another node may be delivering it: the claim lets one of them through.
        if !outbox::claim(&mut c, d.id, now, app.now() + CLAIM).await? {
            continue;
        }
        let doc = gongkai_store::documents::by_id(&mut c, d.document_id).await?;
        let published = doc.filter(|doc| doc.status == gongkai_domain::DocStatus::Published);
        let result = match &published {
            // Withdrawn since: nothing is sent, and the row is closed.
            None => Ok(()),
            Some(doc) => post(d.url.clone(), payload(base_url, doc)).await,
        };
        match result {
            Ok(()) => {
                outbox::delivered(&mut c, d.id, app.now()).await?;
                done.0 += 1;
            }
            Err(e) => {
                tracing::warn!(outbox.id = d.id, error = %e, "channel delivery failed");
                let next = app.now() + retry_after(d.attempts);
                outbox::failed(&mut c, d.id, &e, next).await?;
                done.1 += 1;
            }
        }
    }
    Ok(done)
}

async fn post(url: String, body: serde_json::Value) -> std::result::Result<(), String> {
    let task = tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .into();
        let sent = agent
            .post(&url)
            .header("content-type", "application/json; charset=utf-8")
            .send(body.to_string());
        match sent {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("对方返回 HTTP {}", r.status().as_u16())),
            Err(e) => Err(format!("无法送达：{e}")),
        }
    });
    task.await.map_err(|e| format!("推送任务失败：{e}"))?
}

/// A delivery in the office's log, with whether it is past the repost limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// The row.
    pub row: LogRow,
    /// Undelivered longer than the repost limit.
    pub overdue: bool,
}

/// The delivery log of the organizations a person supervises, undelivered first.
pub async fn log(app: &App, staff: &Staff, tree: &OrgTree) -> Result<Vec<LogEntry>> {
    let orgs = crate::staff::visible_orgs(staff, tree);
    let mut c = app.db().conn().await?;
    let rows = outbox::log(&mut c, &orgs, 200).await?;
    let limit = Duration::hours(i64::from(app.settings().repost_hours));
    let now: OffsetDateTime = app.now();
    Ok(rows
        .into_iter()
        .map(|row| LogEntry {
            overdue: row.delivered_at.is_none() && row.created_at + limit <= now,
            row,
        })
        .collect())
}
