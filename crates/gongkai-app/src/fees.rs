//! The 信息处理费 of a request (条例 Art. 42, 国办函〔2020〕109号): each organization charges
//! 按件 or 按量 as it chooses (Art. 3); the fee of a request is worked out on the server from
//! that rule, the applicant's requests of the month or the pages, and quoted on the 收费通知.

use gongkai_domain::Role;
use gongkai_domain::fee::{FeeRule, Quote, quote};
use gongkai_store::requests;
use time::Date;

use crate::documents::Actor;
use crate::{App, Error, Result};

/// The rule an organization charges by (按件 unless it chose 按量).
pub async fn rule_of(app: &App, org_id: i64) -> Result<FeeRule> {
    let mut c = app.db().conn().await?;
    Ok(requests::fee_rule(&mut c, org_id)
        .await?
        .and_then(|r| FeeRule::from_code(&r).ok())
        .unwrap_or(FeeRule::ByCount))
}

/// Sets the rule (the organization's 政务公开办).
pub async fn set_rule(app: &App, actor: Actor<'_>, org_id: i64, rule: FeeRule) -> Result<()> {
    actor.require(org_id, Role::Office)?;
    let mut tx = app.db().begin().await?;
    requests::set_fee_rule(&mut tx, org_id, rule.code(), actor.user_id(), app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "fee_rule.set",
        "org",
        Some(org_id),
        Some(org_id),
        serde_json::json!({"rule": rule.code()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Which request of its applicant this one is in the month it was received (1-based).
pub async fn nth_of_month(app: &App, org_id: i64, request_id: i64, received: Date) -> Result<u32> {
    let (first, last) = gongkai_domain::fee::month_of(received);
    let mut c = app.db().conn().await?;
    let month: Vec<(i64, Option<String>)> = requests::received_between(&mut c, org_id, first, last)
        .await?
        .into_iter()
        .map(|(id, _, json)| {
            let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
            let field = |k: &str| v.get(k).and_then(|x| x.as_str());
            (
                id,
                gongkai_domain::fee::applicant_key(field("id_number"), field("name")),
            )
        })
        .collect();
    gongkai_domain::fee::nth_of_month(&month, request_id).ok_or(Error::Invalid(
        "fee：申请人没有身份证明或姓名，无法按件计收".into(),
    ))
}

/// The fee of a request under its organization's rule: 按件 from the applicant's requests of
/// the month; 按量 from `pages`, which the 经办人 counts.
pub async fn quote_for(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    pages: Option<u32>,
) -> Result<(FeeRule, Quote)> {
    let view = crate::intake::for_staff(app, actor, tracking).await?;
    let request = view.request.ok_or(Error::Conflict("申请尚未登记".into()))?;
    let rule = rule_of(app, request.org_id).await?;
    let n = match rule {
        FeeRule::ByCount => {
            nth_of_month(app, request.org_id, request.id, request.received_date).await?
        }
        FeeRule::ByVolume => {
            pages.ok_or_else(|| Error::Invalid("pages：按量计收须填写所提供信息的页数".into()))?
        }
    };
    let q = quote(rule, n).map_err(|e| Error::Invalid(format!("fee：{e}")))?;
    Ok((rule, q))
}
