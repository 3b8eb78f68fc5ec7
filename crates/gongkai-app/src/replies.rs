//! The reply of a request signed by three people (SPEC C4, 条例 Art. 45 闭环): the 经办人
//! writes it (the legal basis and what the letter says) and submits it, a 审核人 reviews it,
//! a 签发人 signs it; no one signs two steps. Signing records the reply on the request, which
//! stops the clock, and issues its numbered 答复告知书. Either signer may return it with a
//! reason. The steps are those of publication ([`gongkai_domain::workflow`]).

use std::collections::BTreeMap;

use gongkai_domain::deadline::Clock;
use gongkai_domain::letter::{self, Letter, TemplateKey};
use gongkai_domain::workflow::{self, Action, Context, Stage};
use gongkai_domain::{LegalBasis, Role};
use gongkai_store::letters::{self as store, Reply};
use gongkai_store::requests::{self, Request};
use time::Date;

use crate::documents::Actor;
use crate::intake::{NewEvent, Written};
use crate::orgs::OrgTree;
use crate::{App, Error, Result};

/// A reply on its way, as the request's page shows it.
#[derive(Clone, Debug)]
pub struct ReplyView {
    /// Where it is.
    pub stage: Stage,
    /// The basis chosen.
    pub basis: LegalBasis,
    /// What the clerk wrote.
    pub written: BTreeMap<String, String>,
    /// Who signed 经办, 审核 (display names).
    pub handled_by: Option<String>,
    /// Who signed 审核.
    pub reviewed_by: Option<String>,
    /// Why it was last returned.
    pub returned_reason: Option<String>,
    /// The letter as it will read if signed today (numbered when signed).
    pub preview: Letter,
}

fn parse_written(r: &Reply) -> Result<BTreeMap<String, String>> {
    serde_json::from_str(&r.written)
        .map_err(|e| Error::internal(format!("stored reply of request {}: {e}", r.request_id)))
}

fn stage_of(r: &Reply) -> Result<Stage> {
    Stage::from_code(&r.stage).map_err(|e| Error::internal(format!("stored reply stage: {e}")))
}

/// The reply of a request being signed, if any (the caller has checked who asks).
pub async fn view(app: &App, request: &Request, clock: &Clock) -> Result<Option<ReplyView>> {
    let mut c = app.db().conn().await?;
    let Some(r) = store::reply(&mut c, request.id).await? else {
        return Ok(None);
    };
    let stage = stage_of(&r)?;
    let basis = LegalBasis::from_code(&r.basis)
        .map_err(|e| Error::internal(format!("stored reply basis: {e}")))?;
    let written = parse_written(&r)?;
    let tree = OrgTree::current(app).await?;
    let key = TemplateKey::reply(basis);
    let (template, _) = crate::letters::template_for(&mut c, &tree, request.org_id, key).await?;
    let name = |id: Option<i64>| async move {
        match id {
            Some(id) => gongkai_store::users::by_id(&mut app.db().conn().await?, id)
                .await
                .map(|u| u.map(|u| u.display_name)),
            None => Ok(None),
        }
    };
    let handled_by = name(r.handled_by).await?;
    let reviewed_by = name(r.reviewed_by).await?;
    drop(c);
    let facts = crate::letters::facts(
        app,
        &tree,
        request,
        clock,
        key,
        app.today(),
        written.clone(),
    )?;
    let preview = letter::render(
        key,
        &template,
        &facts,
        "（签发时编号）".into(),
        &facts.applicant,
    )
    .map_err(|e| Error::Invalid(format!("template：{}模板有误：{e}", key.label())))?;
    Ok(Some(ReplyView {
        stage,
        basis,
        written,
        handled_by,
        reviewed_by,
        returned_reason: r.returned_reason,
        preview,
    }))
}

fn who<'a>(actor: Actor<'_>, roles: &'a [Role]) -> workflow::Actor<'a> {
    match actor {
        Actor::System => workflow::Actor::System,
        Actor::Staff(s) => workflow::Actor::Person { id: s.id, roles },
    }
}

fn context<'a>(app: &App, actor: workflow::Actor<'a>, r: Option<&Reply>) -> Context<'a> {
    Context {
        actor,
        handled_by: r.and_then(|r| r.handled_by),
        reviewed_by: r.and_then(|r| r.reviewed_by),
        unresolved_findings: 0,
        scheduled_at: None,
        attribute: gongkai_domain::disclosure::Attribute::OnRequest,
        now: app.now(),
    }
}

/// Loads an open request for someone of its organization (others are told it does not
/// exist).
async fn open_request(
    tx: &mut gongkai_store::Tx,
    actor: Actor<'_>,
    tracking: &str,
) -> Result<Request> {
    let request = requests::by_tracking(&mut *tx, tracking.trim())
        .await?
        .ok_or(Error::NotFound("申请"))?;
    if actor
        .require_in_unit(
            request.org_id,
            &[Role::Clerk, Role::Reviewer, Role::Approver, Role::Office],
        )
        .is_err()
    {
        return Err(Error::NotFound("申请"));
    }
    if request.replied_date.is_some() {
        return Err(Error::Conflict("该申请已答复".into()));
    }
    Ok(request)
}

/// The 经办人 writes the reply and submits it for review (signing 经办); a returned reply is
/// written again the same way.
pub async fn submit(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    basis: LegalBasis,
    written: BTreeMap<String, String>,
) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let request = open_request(&mut tx, actor, tracking).await?;
    crate::intake::check_reply_on(&request, basis.outcome())?;
    let key = TemplateKey::reply(basis);
    letter::check_written(key, &written)
        .map_err(|(field, message)| Error::Invalid(format!("{field}：{message}")))?;
    let before = store::reply(&mut tx, request.id).await?;
    let roles = crate::workflow::roles_in(actor, request.org_id);
    let stage = match &before {
        Some(r) => stage_of(r)?,
        None => Stage::Draft,
    };
    workflow::apply(
        stage,
        &Action::Submit,
        &context(app, who(actor, &roles), None),
    )?;
    let row = Reply {
        request_id: request.id,
        stage: Stage::Submitted.code().to_owned(),
        basis: basis.code().to_owned(),
        written: serde_json::to_string(&written).map_err(|e| Error::internal(e.to_string()))?,
        handled_by: actor.user_id(),
        reviewed_by: None,
        approved_by: None,
        returned_reason: None,
        updated_at: app.now(),
    };
    if !store::submit_reply(&mut tx, &row, before.as_ref().map(|r| r.stage.as_str())).await? {
        return Err(Error::Conflict("答复刚被他人处理，请刷新页面后再试".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.reply.submit",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "basis": basis.code()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 审核通过, 签发 or 退回 of a submitted reply. Signing (签发) records the reply on the request
/// with today's date and issues its 答复告知书; it returns the clock after it.
pub async fn act(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    action: &Action,
) -> Result<Option<Clock>> {
    let mut tx = app.db().begin().await?;
    let request = open_request(&mut tx, actor, tracking).await?;
    let reply = store::reply(&mut tx, request.id)
        .await?
        .ok_or_else(|| Error::Conflict("该申请还没有拟好的答复".into()))?;
    let stage = stage_of(&reply)?;
    let roles = crate::workflow::roles_in(actor, request.org_id);
    let t = workflow::apply(
        stage,
        action,
        &context(app, who(actor, &roles), Some(&reply)),
    )?;
    let now = app.now();
    let moved = match action {
        Action::Review => {
            store::sign_reply(
                &mut tx,
                request.id,
                stage.code(),
                t.to.code(),
                actor.user_id(),
                None,
                now,
            )
            .await?
        }
        Action::Approve => {
            store::sign_reply(
                &mut tx,
                request.id,
                stage.code(),
                t.to.code(),
                None,
                actor.user_id(),
                now,
            )
            .await?
        }
        Action::Return { .. } => {
            store::return_reply(
                &mut tx,
                request.id,
                stage.code(),
                t.reason.as_deref().unwrap_or_default(),
                now,
            )
            .await?
        }
        _ => {
            return Err(Error::Invalid(
                "action：答复只能审核通过、签发或退回".into(),
            ));
        }
    };
    if !moved {
        return Err(Error::Conflict("答复刚被他人处理，请刷新页面后再试".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        &format!("request.reply.{}", action.code()),
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "from": stage.code(), "to": t.to.code(), "reason": t.reason}),
    )
    .await?;
    let clock = if *action == Action::Approve {
        let basis = LegalBasis::from_code(&reply.basis)
            .map_err(|e| Error::internal(format!("stored reply basis: {e}")))?;
        let today: Date = app.today();
        let new = NewEvent {
            event: serde_json::json!({"kind": "replied", "date": gongkai_domain::format_date_iso(today)}),
            outcome: Some((basis.outcome(), vec![basis])),
            letter: Some(Written {
                fields: parse_written(&reply)?,
                to_agency: false,
            }),
        };
        Some(crate::intake::add_event_in(&mut tx, app, actor, &request, &new).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(clock)
}

/// The requests of these organizations whose reply waits at `stage` (`submitted` for the
/// reviewers, `reviewed` for the approvers), by 查询码.
pub async fn waiting(app: &App, org_ids: &[i64], stage: Stage) -> Result<Vec<String>> {
    let mut c = app.db().conn().await?;
    Ok(store::replies_at(&mut c, org_ids, stage.code())
        .await?
        .into_iter()
        .map(|(t, _)| t)
        .collect())
}
