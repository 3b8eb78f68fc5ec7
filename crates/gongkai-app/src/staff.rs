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
