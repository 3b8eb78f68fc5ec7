//! The publication workflow as people use it (先审查后公开, SPEC C2–C3): each action on a
//! record is decided by [`gongkai_domain::workflow::apply`], stored with a compare-and-set
//! on the stage that was read, and appended to the audit chain, in one transaction.
//!
//! A signature (经办, 审核, 签发) needs the role granted in the record's own organization:
//! the 政务公开办 of a parent organization and platform administrators supervise, they do
//! not sign.

use gongkai_domain::Role;
use gongkai_domain::workflow::{self, Action, Context, Signature, Stage};
use gongkai_store::documents::{self, Document, StageChange};
use time::OffsetDateTime;

use crate::documents::Actor;
use crate::{App, Error, Result};

/// What an action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acted {
    /// The stage after it.
    pub stage: Stage,
    /// The 索引号 when it published the record.
    pub index_number: Option<String>,
    /// The audit entry that records it.
    pub audit_seq: i64,
}

/// The roles a person holds in exactly this organization.
pub fn roles_in(actor: Actor<'_>, org_id: i64) -> Vec<Role> {
    match actor {
        Actor::System => Vec::new(),
        Actor::Staff(s) => s
            .grants
            .iter()
            .filter(|g| g.org_id == org_id)
            .map(|g| g.role)
            .collect(),
    }
}

/// Whether the actor may see the record at all (its unit's staff, the offices above, admins).
async fn visible(app: &App, actor: Actor<'_>, org_id: i64) -> Result<bool> {
    match actor {
        Actor::System => Ok(true),
        Actor::Staff(s) => {
            let tree = crate::orgs::OrgTree::current(app).await?;
            Ok(crate::staff::visible_orgs(s, &tree).contains(&org_id))
        }
    }
}

/// Performs `action` on record `id`.
pub async fn act(app: &App, actor: Actor<'_>, id: i64, action: &Action) -> Result<Acted> {
    let now = app.now();
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    // Another unit's record reads as missing, so ids do not reveal what other units hold.
    if !visible(app, actor, doc.org_id).await? {
        return Err(Error::NotFound("文件"));
    }
    let roles = roles_in(actor, doc.org_id);
    let who = match actor {
        Actor::System => workflow::Actor::System,
        Actor::Staff(s) => workflow::Actor::Person {
            id: s.id,
            roles: &roles,
        },
    };
    let unresolved = match action {
        Action::Review | Action::Approve => crate::review::unresolved(&mut tx, app, &doc).await?,
        _ => 0,
    };
    let cx = Context {
        actor: who,
        handled_by: doc.handled_by,
        reviewed_by: doc.reviewed_by,
        unresolved_findings: unresolved,
        scheduled_at: doc.scheduled_at,
        attribute: doc.disclosure,
        now,
    };
    let t = workflow::apply(doc.stage, action, &cx)?;
    let mut signatures = if t.clears_signatures {
        [None; 3]
    } else {
        [doc.handled_by, doc.reviewed_by, doc.approved_by]
    };
    if let (Some(sig), Some(user)) = (t.signs, actor.user_id()) {
        let slot = match sig {
            Signature::Handled => 0,
            Signature::Reviewed => 1,
            Signature::Approved => 2,
        };
        signatures[slot] = Some(user);
    }
    let mut index_number = None;
    if t.to == Stage::Published {
        let day = t.at.unwrap_or(now).to_offset(crate::china_offset()).date();
        if day < doc.written_date {
            return Err(Error::Invalid("发布日期不能早于成文日期".into()));
        }
        index_number = Some(assign_index_number(&mut tx, &doc, day).await?);
    }
    let published_on =
        t.at.filter(|_| t.to == Stage::Published)
            .map(|at| at.to_offset(crate::china_offset()).date());
    let change = StageChange {
        from: doc.stage,
        to: t.to,
        signatures,
        scheduled_at: (t.to == Stage::Scheduled).then_some(t.at).flatten(),
        returned_reason: t.reason.as_deref().filter(|_| t.to == Stage::Draft),
        withdrawn_reason: t.reason.as_deref().filter(|_| t.to == Stage::Withdrawn),
        publication: index_number.as_deref().zip(published_on),
    };
    if !documents::transition(&mut tx, id, &change, now).await? {
        return Err(Error::Conflict(
            "此文件刚被他人处理，状态已改变，请刷新页面后再试".into(),
        ));
    }
    if t.to == Stage::Published {
        crate::outbox::enqueue(&mut tx, app, &doc).await?;
    }
    let audit_seq = crate::audit::record(
        &mut tx,
        app,
        actor,
        &format!("document.{}", action.code()),
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({
            "from": doc.stage.code(),
            "to": t.to.code(),
            "signs": t.signs.map(|s| s.code()),
            "reason": t.reason,
            "index_number": index_number,
            "scheduled_at": change.scheduled_at.map(|at| at.unix_timestamp()),
        }),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        document.id = id,
        action = action.code(),
        to = t.to.code(),
        "workflow"
    );
    Ok(Acted {
        stage: t.to,
        index_number,
        audit_seq,
    })
}

async fn assign_index_number(
    tx: &mut gongkai_store::Tx,
    doc: &Document,
    day: time::Date,
) -> Result<String> {
    let org = gongkai_store::orgs::by_id(tx, doc.org_id)
        .await?
        .ok_or_else(|| Error::internal("document without organization"))?;
    crate::documents::allocate_index_numbers(tx, &org, &[(doc.topic_code.clone(), day)])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("no index number"))
}

/// Publishes the scheduled records whose time has come (the server calls this every minute).
/// Returns how many were published.
pub async fn publish_due(app: &App) -> Result<usize> {
    let mut c = app.db().conn().await?;
    let due = documents::due_for_publication(&mut c, app.now(), 100).await?;
    drop(c);
    let mut n = 0;
    for id in due {
        match act(app, Actor::System, id, &Action::PublishDue).await {
            Ok(_) => n += 1,
            // Returned or published by someone else meanwhile.
            Err(Error::Conflict(_) | Error::Refused(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The actions the actor could take on a record now, for the buttons of its page. The
/// domain decides again when one is taken.
pub fn available(
    actor: Actor<'_>,
    doc: &Document,
    unresolved_findings: usize,
    now: OffsetDateTime,
) -> Vec<Action> {
    let roles = roles_in(actor, doc.org_id);
    let Some(user) = actor.user_id() else {
        return Vec::new();
    };
    let cx = Context {
        actor: workflow::Actor::Person {
            id: user,
            roles: &roles,
        },
        handled_by: doc.handled_by,
        reviewed_by: doc.reviewed_by,
        unresolved_findings,
        scheduled_at: doc.scheduled_at,
        attribute: doc.disclosure,
        now,
    };
    let reason = "-".to_owned();
    [
        Action::Submit,
        Action::Review,
        Action::Approve,
        Action::Publish { at: None },
        Action::Return {
            reason: reason.clone(),
        },
        Action::Withdraw { reason },
    ]
    .into_iter()
    .filter(|a| workflow::apply(doc.stage, a, &cx).is_ok())
    .collect()
}
