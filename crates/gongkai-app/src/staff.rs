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
        statuses: vec!["draft"],
        org_ids: Some(ids.clone()),
        ..Filter::default()
    };
    let (drafts, _) = documents::list(&mut c, &filter, 0, 10).await?;
    filter.statuses = vec!["published"];
    let (published, _) = documents::list(&mut c, &filter, 0, 10).await?;
    Ok(Dashboard {
        counts,
        drafts,
        published,
    })
}
