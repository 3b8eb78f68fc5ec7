//! Disclosure records (C2): creating drafts, publishing them with an index number,
//! withdrawing them.

use gongkai_domain::{
    Body, ColumnPath, DisclosureTerm, DocNo, DocStatus, IndexContext, IndexPattern, Role,
    ValidDocument,
};
use gongkai_store::documents::{self, NewDocument};
use gongkai_store::orgs::Org;
use gongkai_store::{Handle, columns, counters};
use time::Date;

use crate::auth::Staff;
use crate::{App, Error, Result, body};

/// Who performs an operation: a staff member, or the platform itself (CLI, demo, import),
/// whose authority is the operating-system account that runs it.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// The platform's own commands.
    System,
    /// A logged-in person.
    Staff(&'a Staff),
}

impl Actor<'_> {
    /// Fails unless the actor holds `role` in `org_id`.
    pub fn require(&self, org_id: i64, role: Role) -> Result<()> {
        self.require_any(org_id, &[role])
    }

    /// Fails unless the actor holds one of `roles` in `org_id`.
    pub fn require_any(&self, org_id: i64, roles: &[Role]) -> Result<()> {
        match self {
            Actor::System => Ok(()),
            Actor::Staff(s) if roles.iter().any(|r| s.has_role(org_id, *r)) => Ok(()),
            Actor::Staff(_) => Err(Error::Forbidden),
        }
    }

    /// Fails unless the person holds one of `roles` in `org_id` itself: an administrator's
    /// reach over the platform, and an office's over the units below it, stop short of the
    /// personal data of a unit's applicants.
    pub fn require_in_unit(&self, org_id: i64, roles: &[Role]) -> Result<()> {
        match self {
            Actor::System => Ok(()),
            Actor::Staff(s)
                if s.grants
                    .iter()
                    .any(|g| g.org_id == org_id && roles.contains(&g.role)) =>
            {
                Ok(())
            }
            Actor::Staff(_) => Err(Error::Forbidden),
        }
    }

    /// The person's user id; none for the platform.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::System => None,
            Actor::Staff(s) => Some(s.id),
        }
    }
}

/// The lookup key of a 发文字号: canonical form, or a 令号 without its 中华人民共和国 prefix.
pub fn doc_number_key(doc_number: &str) -> String {
    match gongkai_domain::docno::normalize(doc_number) {
        Ok(DocNo::Decree(d)) => d.lookup_key(),
        Ok(other) => other.to_string(),
        Err(_) => doc_number.split_whitespace().collect(),
    }
}

/// The body of a validated record as stored: sanitized HTML. Its plain text is
/// [`body::html_to_text`] of it, derived when needed rather than stored twice.
pub fn prepared_body(valid: &ValidDocument) -> String {
    match &valid.body {
        Body::Html(h) => body::sanitize_html(&body::strip_controls(h)),
        Body::Text(t) => body::text_to_html(&body::strip_controls(t)),
    }
}

/// The row for a validated record: body sanitized, codes stored.
pub fn new_row(
    valid: &ValidDocument,
    org: &Org,
    column_id: i64,
    status: DocStatus,
    index_number: Option<String>,
) -> NewDocument {
    new_row_with_body(
        valid,
        org,
        column_id,
        status,
        index_number,
        prepared_body(valid),
    )
}

/// [`new_row`] with the body already prepared by [`prepared_body`] (the import prepares
/// bodies on the thread that checks lines).
pub fn new_row_with_body(
    valid: &ValidDocument,
    org: &Org,
    column_id: i64,
    status: DocStatus,
    index_number: Option<String>,
    body_html: String,
) -> NewDocument {
    let published = status == DocStatus::Published;
    NewDocument {
        org_id: org.id,
        column_id,
        status,
        index_number,
        title: valid.title.clone(),
        doc_number: valid.doc_number.clone(),
        doc_number_key: valid.doc_number.as_deref().map(doc_number_key),
        issuer: valid.issuer.clone().unwrap_or_else(|| org.name.clone()),
        topic: valid.topic.label(),
        topic_code: valid.topic.code(),
        kind: valid.kind,
        written_date: valid.written_date,
        formed_date: valid.formed_date.unwrap_or(valid.written_date),
        published_date: published.then_some(valid.published_date),
        validity: valid.validity,
        disclosure_term: valid.disclosure_term.unwrap_or(DisclosureTerm::LongTerm),
        body_html,
        created_by: None,
        disclosure: valid.disclosure,
        disclosure_ground: valid.disclosure_ground.map(|g| g.code()),
        report_year: gongkai_domain::report::report_year_of(valid.column.first(), &valid.title),
        validity_changed_on: valid.validity_changed_date,
        import_key: None,
    }
}

/// Renders the index numbers for `n` records of `org` published in `date`'s year, reserving
/// their serials in the caller's transaction.
pub async fn allocate_index_numbers(
    h: &mut impl Handle,
    org: &Org,
    topic_codes_and_dates: &[(String, Date)],
) -> Result<Vec<String>> {
    let Some((_, first_date)) = topic_codes_and_dates.first() else {
        return Ok(Vec::new());
    };
    let year = first_date.year();
    let pattern = IndexPattern::parse(&org.index_pattern)
        .map_err(|e| Error::internal(format!("org {} index pattern: {e}", org.code)))?;
    let n = u32::try_from(topic_codes_and_dates.len())
        .map_err(|_| Error::internal("too many records"))?;
    let first = counters::reserve(h, org.id, year, n).await?;
    Ok(topic_codes_and_dates
        .iter()
        .enumerate()
        .map(|(i, (category, date))| {
            pattern.render(&IndexContext {
                org_code: &org.code,
                category,
                year,
                month: u8::from(date.month()),
                serial: first + i as u32,
            })
        })
        .collect())
}

/// Creates a draft from a validated record in the organization's column.
pub async fn create_draft(app: &App, actor: Actor<'_>, valid: &ValidDocument) -> Result<i64> {
    let mut tx = app.db().begin().await?;
    let org = gongkai_store::orgs::by_code(&mut tx, valid.org.as_str())
        .await?
        .ok_or(Error::NotFound("机构"))?;
    actor.require(org.id, Role::Clerk)?;
    let column = ensure_column(&mut tx, org.id, &valid.column).await?;
    let mut row = new_row(valid, &org, column, DocStatus::Draft, None);
    row.created_by = actor.user_id();
    let ids = documents::insert_many(&mut tx, &[row], app.now()).await?;
    let id = ids
        .first()
        .copied()
        .ok_or_else(|| Error::internal("insert returned no id"))?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.create",
        "document",
        Some(id),
        Some(org.id),
        serde_json::json!({"title": valid.title}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Publishes a draft on `date` without the workflow's signatures: the platform's own
/// commands (the demo, records migrated with their history) do this; a person publishes
/// through [`crate::workflow::act`] only. Assigns the index number (gapless per
/// organization and year) in the same transaction. Returns the index number.
pub async fn publish(app: &App, actor: Actor<'_>, id: i64, date: Date) -> Result<String> {
    if let Actor::Staff(_) = actor {
        return Err(Error::Forbidden);
    }
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require(doc.org_id, Role::Approver)?;
    if doc.status != DocStatus::Draft {
        return Err(Error::Invalid(format!(
            "只有草稿可以发布，此文件状态为“{}”",
            doc.status.label()
        )));
    }
    if date < doc.written_date {
        return Err(Error::Invalid("发布日期不能早于成文日期".into()));
    }
    let org = gongkai_store::orgs::by_id(&mut tx, doc.org_id)
        .await?
        .ok_or_else(|| Error::internal("document without organization"))?;
    let numbers = allocate_index_numbers(&mut tx, &org, &[(doc.topic_code.clone(), date)]).await?;
    let number = numbers
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("no index number"))?;
    if !documents::publish(&mut tx, id, &number, date, app.now()).await? {
        return Err(Error::Conflict("文件已被他人发布".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.publish_direct",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"index_number": number, "published_date": date.to_string()}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(document.id = id, index_number = %number, "published");
    Ok(number)
}

/// Withdraws a published record; its public page keeps a tombstone without content. A
/// person withdraws through the workflow (the 签发人 of the record's organization).
pub async fn withdraw(app: &App, actor: Actor<'_>, id: i64, reason: &str) -> Result<()> {
    if let Actor::Staff(_) = actor {
        let action = gongkai_domain::workflow::Action::Withdraw {
            reason: reason.to_owned(),
        };
        return crate::workflow::act(app, actor, id, &action)
            .await
            .map(|_| ());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid("撤回原因不能为空".into()));
    }
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require(doc.org_id, Role::Approver)?;
    if !documents::withdraw(&mut tx, id, reason, app.now()).await? {
        return Err(Error::Invalid("只有已发布的文件可以撤回".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.withdraw",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"reason": reason}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes 有效性 (立改废): 失效 or 废止 without a successor, 已修订 naming the published
/// record that replaces it, 有效 to restore. The page shows the mark (政府网站发展指引: 修改、废止、
/// 失效 "在已发布的原文件上作出明确标注").
pub async fn set_validity(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    validity: gongkai_domain::Validity,
    successor: Option<i64>,
) -> Result<()> {
    set_validity_on(app, actor, id, validity, successor, app.today()).await
}

/// [`set_validity`] with the day the change took effect (a repeal decided last week is
/// entered today): not before the record was written, not after today.
pub async fn set_validity_on(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    validity: gongkai_domain::Validity,
    successor: Option<i64>,
    on: Date,
) -> Result<()> {
    use gongkai_domain::Validity;
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require(doc.org_id, Role::Approver)?;
    if doc.status != DocStatus::Published {
        return Err(Error::Invalid("只有已发布的文件可以标注有效性变化".into()));
    }
    if on < doc.written_date {
        return Err(Error::Invalid("变更日期：不能早于文件的成文日期".into()));
    }
    if on > app.today() {
        return Err(Error::Invalid("变更日期：不能晚于今天".into()));
    }
    match (validity, successor) {
        (Validity::Amended, None) => {
            return Err(Error::Invalid("已修订的文件须指明修订后的现行文件".into()));
        }
        (Validity::Amended, Some(s)) => {
            if s == id {
                return Err(Error::Invalid("文件不能修订自身".into()));
            }
            let next = documents::by_id(&mut tx, s)
                .await?
                .ok_or(Error::NotFound("修订后的文件"))?;
            if next.status != DocStatus::Published {
                return Err(Error::Invalid("修订后的文件须已发布".into()));
            }
        }
        (_, Some(_)) => return Err(Error::Invalid("只有“已修订”需要指明修订后的文件".into())),
        (_, None) => {}
    }
    documents::set_validity(&mut tx, id, validity, successor, on, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.validity",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"from": doc.validity.code(), "to": validity.code(), "successor": successor, "on": on.to_string()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Saves the fields of a draft from the editor. Only a draft can change, only by a 经办人
/// of its organization, and it stays in that organization.
pub async fn update_draft(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    valid: &ValidDocument,
) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require(doc.org_id, Role::Clerk)?;
    if doc.stage != gongkai_domain::workflow::Stage::Draft {
        return Err(Error::Invalid(format!(
            "文件状态为“{}”，只有草稿可以修改；如需修改，请审核人或签发人先退回",
            doc.stage.label()
        )));
    }
    if doc.org_code != valid.org.as_str() {
        return Err(Error::Invalid(
            "发布机构：草稿不能改为其他机构的文件".into(),
        ));
    }
    let org = gongkai_store::orgs::by_id(&mut tx, doc.org_id)
        .await?
        .ok_or_else(|| Error::internal("document without organization"))?;
    let column = ensure_column(&mut tx, org.id, &valid.column).await?;
    let row = new_row(valid, &org, column, DocStatus::Draft, None);
    let fields = documents::DraftFields {
        column_id: row.column_id,
        title: row.title,
        doc_number: row.doc_number,
        doc_number_key: row.doc_number_key,
        issuer: row.issuer,
        topic: row.topic,
        topic_code: row.topic_code,
        kind: row.kind,
        written_date: row.written_date,
        formed_date: row.formed_date,
        validity: row.validity,
        disclosure_term: row.disclosure_term,
        body_html: row.body_html,
        disclosure: valid.disclosure,
        disclosure_ground: valid.disclosure_ground.map(|g| g.code()),
        report_year: row.report_year,
    };
    if !documents::update_draft(&mut tx, id, &fields, app.now()).await? {
        return Err(Error::Conflict(
            "此文件刚被他人提交或修改，请刷新页面后再试".into(),
        ));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.edit",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"title": valid.title}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Finds the published record an amendment names: its id, its 索引号 or its 发文字号 (which
/// must name exactly one published record).
pub async fn find_published(app: &App, key: &str) -> Result<i64> {
    let key = key.trim();
    let mut c = app.db().conn().await?;
    if let Some(id) = key
        .trim_start_matches("/doc/")
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
    {
        return match documents::by_id(&mut c, id).await? {
            Some(d) if d.status == DocStatus::Published => Ok(d.id),
            _ => Err(Error::Invalid(format!(
                "修订后的文件：找不到已发布的文件 {id}"
            ))),
        };
    }
    if let Some(id) = documents::id_by_index_number(&mut c, key).await? {
        return Ok(id);
    }
    let found = documents::by_doc_number_key(&mut c, &doc_number_key(key)).await?;
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::Invalid(format!(
            "修订后的文件：找不到发文字号或索引号为“{key}”的已发布文件"
        ))),
        _ => Err(Error::Invalid(format!(
            "修订后的文件：发文字号“{key}”对应多份文件，请填写索引号"
        ))),
    }
}

/// The id of the column `path` of an organization, creating a missing second level under
/// its unified first level.
pub(crate) async fn ensure_column(
    h: &mut impl Handle,
    org_id: i64,
    path: &ColumnPath,
) -> Result<i64> {
    let first = columns::ensure(h, org_id, None, path.first(), path.first(), 99, true).await?;
    match path.second() {
        None => Ok(first.id),
        Some(second) => {
            let full = path.to_string();
            let existing = columns::of_org(h, org_id).await?;
            if let Some(c) = existing.iter().find(|c| c.path == full) {
                return Ok(c.id);
            }
            let position = existing
                .iter()
                .filter(|c| c.parent_id == Some(first.id))
                .count() as i64;
            Ok(
                columns::ensure(h, org_id, Some(first.id), second, &full, position, false)
                    .await?
                    .id,
            )
        }
    }
}
