//! Handling a request in its unit (SPEC C4, 条例 Art. 45 闭环): who handles it (承办人), the
//! 行政复议 and 行政诉讼 cases brought about it (DOMAIN A3, counted in table 四 of the annual
//! report), and its archiving (归档) once replied. Only the unit's own staff act.

use gongkai_domain::Role;
use gongkai_domain::request::{Review, ReviewKind, ReviewResult, check_review};
use gongkai_store::requests::{self, Handling, NewReview, Request};
use time::Date;

use crate::documents::Actor;
use crate::{App, Error, Result};

const UNIT: &[Role] = &[Role::Clerk, Role::Reviewer, Role::Approver, Role::Office];

async fn request_for(
    tx: &mut gongkai_store::Tx,
    actor: Actor<'_>,
    tracking: &str,
    roles: &[Role],
) -> Result<Request> {
    let request = requests::by_tracking(&mut *tx, tracking.trim())
        .await?
        .ok_or(Error::NotFound("申请"))?;
    if actor.require_in_unit(request.org_id, UNIT).is_err() {
        return Err(Error::NotFound("申请"));
    }
    actor.require_in_unit(request.org_id, roles)?;
    Ok(request)
}

/// A person of the unit who may handle requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handler {
    /// User id.
    pub id: i64,
    /// Display name.
    pub name: String,
}

/// The unit's active 经办人, whom a request can be assigned to.
pub async fn handlers(app: &App, org_id: i64) -> Result<Vec<Handler>> {
    let mut c = app.db().conn().await?;
    Ok(
        gongkai_store::users::holding(&mut c, org_id, Role::Clerk.code())
            .await?
            .into_iter()
            .map(|(id, name)| Handler { id, name })
            .collect(),
    )
}

/// The handling of a request, if any was recorded.
pub async fn of(app: &App, request_id: i64) -> Result<Option<Handling>> {
    let mut c = app.db().conn().await?;
    Ok(requests::handling_of(&mut c, &[request_id])
        .await?
        .into_iter()
        .next())
}

/// Assigns an open request to one of the unit's 经办人 (or to nobody); a 经办人 or the
/// 政务公开办 of the unit decides.
pub async fn assign(app: &App, actor: Actor<'_>, tracking: &str, to: Option<i64>) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let request = request_for(&mut tx, actor, tracking, &[Role::Clerk, Role::Office]).await?;
    if let Some(user) = to
        && !handlers(app, request.org_id)
            .await?
            .iter()
            .any(|h| h.id == user)
    {
        return Err(Error::Invalid("assigned_to：只能交给本单位的经办人".into()));
    }
    requests::assign(&mut tx, request.id, to, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.assign",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "assigned_to": to}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Archives a replied request (归档), today.
pub async fn archive(app: &App, actor: Actor<'_>, tracking: &str) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let request = request_for(&mut tx, actor, tracking, &[Role::Clerk, Role::Office]).await?;
    if request.replied_date.is_none() {
        return Err(Error::Conflict("答复之后才能归档".into()));
    }
    if !requests::archive(&mut tx, request.id, app.today(), actor.user_id(), app.now()).await? {
        return Err(Error::Conflict("该申请已归档".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.archive",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a 行政复议 or 行政诉讼 case brought about a request, decided or pending.
pub async fn add_review(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    review: &Review,
) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let request = request_for(&mut tx, actor, tracking, &[Role::Clerk, Role::Office]).await?;
    check_review(request.received_date, review, app.today())
        .map_err(|(field, message)| Error::Invalid(format!("{field}：{message}")))?;
    let row = NewReview {
        kind: review.kind.code(),
        filed_date: review.filed,
        result: review.decision.map(|(r, _)| r.code()),
        decided_date: review.decision.map(|(_, d)| d),
    };
    requests::add_review(&mut tx, request.id, &row).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.review.add",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "kind": row.kind, "filed_date": gongkai_domain::format_date_iso(review.filed), "result": row.result}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the decision of a pending case (its place in the request's list, from 0).
pub async fn decide_review(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    position: i64,
    result: ReviewResult,
    decided: Date,
) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let request = request_for(&mut tx, actor, tracking, &[Role::Clerk, Role::Office]).await?;
    let cases = requests::reviews_of(&mut tx, &[request.id]).await?;
    let usize_pos = usize::try_from(position).map_err(|_| Error::NotFound("复议诉讼记录"))?;
    let case = cases
        .get(usize_pos)
        .ok_or(Error::NotFound("复议诉讼记录"))?;
    let kind = ReviewKind::from_code(&case.kind)
        .map_err(|e| Error::internal(format!("stored review kind: {e}")))?;
    let review = Review {
        kind,
        filed: case.filed_date,
        decision: Some((result, decided)),
    };
    check_review(request.received_date, &review, app.today())
        .map_err(|(field, message)| Error::Invalid(format!("{field}：{message}")))?;
    if !requests::decide_review(&mut tx, request.id, position, result.code(), decided).await? {
        return Err(Error::Conflict("该案件已有结果".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.review.decide",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "position": position, "result": result.code(), "decided_date": gongkai_domain::format_date_iso(decided)}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The cases of a request, in the order recorded.
pub async fn reviews(app: &App, request_id: i64) -> Result<Vec<requests::ReviewRow>> {
    let mut c = app.db().conn().await?;
    Ok(requests::reviews_of(&mut c, &[request_id]).await?)
}
