//! The audit chain (SPEC C3): each use case that changes something appends an entry in its
//! own transaction, so the entry exists exactly when the change does.

use gongkai_domain::audit::{Break, Verifier};
use gongkai_store::Handle;
use gongkai_store::audit::{self, Entry, NewEntry};

use crate::documents::Actor;
use crate::{App, Result};

/// Entries read per page when the chain is walked.
const PAGE: i64 = 5_000;

/// Appends an entry about `object` (`kind`, id) of organization `org_id` in the caller's
/// transaction. `detail` must not hold an applicant's personal data.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    h: &mut impl Handle,
    app: &App,
    actor: Actor<'_>,
    action: &str,
    kind: &str,
    object_id: Option<i64>,
    org_id: Option<i64>,
    detail: serde_json::Value,
) -> Result<i64> {
    let (actor_id, actor_name) = match actor {
        Actor::System => (None, "system"),
        Actor::Staff(s) => (Some(s.id), s.username.as_str()),
    };
    record_as(
        h, app, actor_id, actor_name, action, kind, object_id, org_id, detail,
    )
    .await
}

/// [`record`] for an account that is not logged in yet (a login, a lock-out).
#[allow(clippy::too_many_arguments)]
pub async fn record_as(
    h: &mut impl Handle,
    app: &App,
    actor_id: Option<i64>,
    actor_name: &str,
    action: &str,
    kind: &str,
    object_id: Option<i64>,
    org_id: Option<i64>,
    detail: serde_json::Value,
) -> Result<i64> {
    let detail = detail.to_string();
    Ok(audit::append(
        h,
        &NewEntry {
            actor_id,
            actor_name,
            action,
            object_kind: kind,
            object_id,
            org_id,
            detail: &detail,
        },
        app.now(),
    )
    .await?)
}

/// What a walk of the whole chain found intact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Entries checked.
    pub entries: i64,
    /// The chain's last hash: written down elsewhere, it also shows a chain cut short and
    /// its end rewritten.
    pub head_hash: String,
}

/// Walks the chain from its first entry and names the first one altered, removed or
/// reordered. `progress` is told how many entries were checked, of how many.
pub async fn verify(
    app: &App,
    mut progress: impl FnMut(i64, i64),
) -> Result<Result<Verified, Break>> {
    let mut c = app.db().conn().await?;
    let (head_seq, head_hash) = audit::head(&mut c).await?;
    let mut v = Verifier::new();
    let mut after = 0;
    loop {
        let page: Vec<Entry> = audit::after(&mut c, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            v.push(e.seq, &e.content(), &e.prev_hash, &e.hash);
        }
        progress(v.checked(), head_seq);
    }
    Ok(v.finish(head_seq, &head_hash)
        .map(|entries| Verified { entries, head_hash }))
}

/// The entries about one record, oldest first.
pub async fn of_document(app: &App, id: i64) -> Result<Vec<Entry>> {
    let mut c = app.db().conn().await?;
    Ok(audit::of_object(&mut c, "document", id).await?)
}

/// Up to `limit` entries after number `after`, in order (for administrators and exports).
pub async fn entries_after(app: &App, after: i64, limit: i64) -> Result<Vec<Entry>> {
    let mut c = app.db().conn().await?;
    Ok(audit::after(&mut c, after, limit).await?)
}
