//! The staff landing page (工作台): what a logged-in person may see of their units.
//! The back office proper (drafting, review, sign-off) grows from here.

use gongkai_domain::Role;
use gongkai_store::documents::{self, Filter, Summary};

use crate::auth::Staff;
use crate::orgs::OrgTree;
use crate::{App, Result};

/// The organizations a person works for: where they hold a role, plus, for the `office`
/// role, every unit below (the office supervises them). Admins see every organization.
pub fn visible_orgs(staff: &Staff, tree: &OrgTree) -> Vec<i64> {
    if staff.is_admin() {
        return tree.all().iter().map(|o| o.id).collect();
    }
    let mut ids = Vec::new();
    for g in &staff.grants {
        let add: Vec<i64> = if g.role == Role::Office {
            tree.subtree_ids(g.org_id)
        } else {
            vec![g.org_id]
        };
        for id in add {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The landing page's figures.
#[derive(Clone, Debug)]
pub struct Dashboard {
    /// Records per status code in the person's organizations.
    pub counts: Vec<(String, i64)>,
    /// Latest drafts.
    pub drafts: Vec<Summary>,
    /// Latest publications.
    pub published: Vec<Summary>,
}

/// The landing page of `staff`.
pub async fn dashboard(app: &App, staff: &Staff, tree: &OrgTree) -> Result<Dashboard> {
    let ids = visible_orgs(staff, tree);
    let mut c = app.db().conn().await?;
    let counts = documents::status_counts(&mut c, &ids).await?;
    let mut filter = Filter {
        statuses: vec![gongkai_domain::DocStatus::Draft],
        org_ids: Some(ids.clone()),
        ..Filter::default()
    };
    let (drafts, _) = documents::list(&mut c, &filter, 0, 10).await?;
    filter.statuses = vec![gongkai_domain::DocStatus::Published];
    let (published, _) = documents::list(&mut c, &filter, 0, 10).await?;
    Ok(Dashboard {
        counts,
        drafts,
        published,
    })
}

/// A record as staff see it, whatever its status, with its attachments.
#[derive(Clone, Debug)]
pub struct StaffDocument {
    /// The record.
    pub doc: gongkai_store::documents::Document,
    /// Its attachments.
    pub attachments: Vec<gongkai_store::attachments::Attachment>,
}

/// A record of one of the person's organizations; another unit's record is forbidden.
pub async fn document(app: &App, staff: &Staff, tree: &OrgTree, id: i64) -> Result<StaffDocument> {
    let mut c = app.db().conn().await?;
    let doc = documents::by_id(&mut c, id)
        .await?
        .ok_or(crate::Error::NotFound("文件"))?;
    // Another unit's record reads as missing, so ids do not reveal what other units hold.
    if !visible_orgs(staff, tree).contains(&doc.org_id) {
        return Err(crate::Error::NotFound("文件"));
    }
    let attachments = gongkai_store::attachments::of_document(&mut c, id).await?;
    Ok(StaffDocument { doc, attachments })
}

/// One page of the records of the person's organizations, optionally of one status.
pub async fn records(
    app: &App,
    staff: &Staff,
    tree: &OrgTree,
    status: Option<gongkai_domain::DocStatus>,
    page: i64,
) -> Result<(Vec<Summary>, i64)> {
    let filter = Filter {
        statuses: status.map(|s| vec![s]).unwrap_or_default(),
        org_ids: Some(visible_orgs(staff, tree)),
        ..Filter::default()
    };
    let mut c = app.db().conn().await?;
    let per_page = crate::portal::PAGE_SIZE;
    Ok(documents::list(&mut c, &filter, (page.max(1) - 1) * per_page, per_page).await?)
}

/// An attachment of a record of the person's organizations, with its bytes.
pub async fn attachment(
    app: &App,
    staff: &Staff,
    tree: &OrgTree,
    document_id: i64,
    attachment_id: i64,
) -> Result<(gongkai_store::attachments::Attachment, Vec<u8>)> {
    let found = document(app, staff, tree, document_id).await?;
    let att = found
        .attachments
        .into_iter()
        .find(|a| a.id == attachment_id)
        .ok_or(crate::Error::NotFound("附件"))?;
    let bytes = crate::files::read(app, &att).await?;
    Ok((att, bytes))
}

/// What waits for a person, by their roles in each organization ("我的工作").
#[derive(Clone, Debug, Default)]
pub struct MyWork {
    /// Drafts of the units where they are 经办人, not returned.
    pub drafts: Vec<gongkai_store::documents::Document>,
    /// Drafts sent back with a reason, in the units where they are 经办人.
    pub returned: Vec<gongkai_store::documents::Document>,
    /// Submitted records waiting for their 审核 (not ones they signed themselves).
    pub to_review: Vec<gongkai_store::documents::Document>,
    /// Reviewed records waiting for their 签发 (not ones they signed).
    pub to_approve: Vec<gongkai_store::documents::Document>,
    /// Signed-off records for the 经办人 to publish.
    pub to_publish: Vec<gongkai_store::documents::Document>,
    /// Records scheduled for publication in their units.
    pub scheduled: Vec<gongkai_store::documents::Document>,
    /// Withheld records due for their periodic review (Art. 18), for 审核人.
    pub withheld_due: Vec<gongkai_store::documents::Document>,
}

impl MyWork {
    /// Everything in it.
    pub fn total(&self) -> usize {
        self.drafts.len()
            + self.returned.len()
            + self.to_review.len()
            + self.to_approve.len()
            + self.to_publish.len()
            + self.scheduled.len()
            + self.withheld_due.len()
    }
}

/// The work queues of `staff`: signatures need the role in the record's own organization.
pub async fn my_work(app: &App, staff: &Staff) -> Result<MyWork> {
    use gongkai_domain::workflow::Stage;
    let orgs_with = |role: Role| -> Vec<i64> {
        staff
            .grants
            .iter()
            .filter(|g| g.role == role)
            .map(|g| g.org_id)
            .collect()
    };
    let (clerk, reviewer, approver) = (
        orgs_with(Role::Clerk),
        orgs_with(Role::Reviewer),
        orgs_with(Role::Approver),
    );
    let mut any: Vec<i64> = clerk
        .iter()
        .chain(&reviewer)
        .chain(&approver)
        .copied()
        .collect();
    any.sort_unstable();
    any.dedup();
    const LIMIT: i64 = 200;
    let mut c = app.db().conn().await?;
    let me = Some(staff.id);
    let mut w = MyWork::default();
    for d in documents::in_flight(&mut c, &clerk, &[Stage::Draft], LIMIT).await? {
        if d.returned_reason.is_some() {
            w.returned.push(d);
        } else {
            w.drafts.push(d);
        }
    }
    w.to_review = documents::in_flight(&mut c, &reviewer, &[Stage::Submitted], LIMIT)
        .await?
        .into_iter()
        .filter(|d| d.handled_by != me)
        .collect();
    w.to_approve = documents::in_flight(&mut c, &approver, &[Stage::Reviewed], LIMIT)
        .await?
        .into_iter()
        .filter(|d| d.handled_by != me && d.reviewed_by != me)
        .collect();
    w.to_publish = documents::in_flight(&mut c, &clerk, &[Stage::Approved], LIMIT).await?;
    w.scheduled = documents::in_flight(&mut c, &any, &[Stage::Scheduled], LIMIT).await?;
    let months = app.settings().withheld_review_months;
    let today = app.today();
    // A few days of slack for month ends; the exact rule filters below.
    let bound = today.saturating_add(time::Duration::days(3));
    let before = (1..=u32::from(months)).fold(bound, |d, _| {
        d.replace_day(1)
            .ok()
            .and_then(|first| first.previous_day())
            .map_or(d, |prev_end| {
                prev_end
                    .replace_day(d.day().min(prev_end.day()))
                    .unwrap_or(prev_end)
            })
    });
    w.withheld_due = documents::withheld_due(&mut c, &reviewer, before, LIMIT)
        .await?
        .into_iter()
        .filter(|d| {
            let last = d.disclosure_reviewed_on.unwrap_or(d.written_date);
            gongkai_domain::disclosure::review_due(last, months, today)
        })
        .collect();
    Ok(w)
}

/// Display names of accounts by id, for signatures and history (unknown ids are skipped).
pub async fn display_names(app: &App, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut c = app.db().conn().await?;
    let mut out = Vec::new();
    for id in ids {
        if out.iter().any(|(i, _)| i == id) {
            continue;
        }
        if let Some(u) = gongkai_store::users::by_id(&mut c, *id).await? {
            out.push((*id, u.display_name));
        }
    }
    Ok(out)
}
