//! Organizations (C1) and their disclosure columns.

use std::collections::HashMap;

use gongkai_domain::column::{DEFAULT_SUBCOLUMNS, UNIFIED_COLUMNS};
use gongkai_domain::{IndexPattern, OrgCode, OrgKind};
use gongkai_store::orgs::{self, NewOrg, Org};
use gongkai_store::{Handle, columns};

use crate::{App, Error, Result};

/// What is needed to create an organization.
#[derive(Clone, Debug)]
pub struct OrgInput {
    /// Code (letters, digits, `-`, `_`).
    pub code: String,
    /// Full name.
    pub name: String,
    /// 机关代字.
    pub short_name: Option<String>,
    /// Kind.
    pub kind: OrgKind,
    /// Parent code.
    pub parent: Option<String>,
    /// 索引号 pattern; the default when `None`.
    pub index_pattern: Option<String>,
}

/// Creates an organization with the unified column structure.
pub async fn create(app: &App, input: &OrgInput) -> Result<Org> {
    create_as(app, crate::documents::Actor::System, input).await
}

/// [`create`] by a person: only a platform administrator.
pub async fn create_as(
    app: &App,
    actor: crate::documents::Actor<'_>,
    input: &OrgInput,
) -> Result<Org> {
    if let crate::documents::Actor::Staff(s) = actor
        && !s.is_admin()
    {
        return Err(Error::Forbidden);
    }
    let mut tx = app.db().begin().await?;
    let org = create_in(&mut tx, input, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "org.create",
        "org",
        Some(org.id),
        Some(org.id),
        serde_json::json!({"code": org.code, "name": org.name, "parent": org.parent_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

/// Creates an organization inside a transaction (import, demo).
pub async fn create_in(
    h: &mut impl Handle,
    input: &OrgInput,
    now: time::OffsetDateTime,
) -> Result<Org> {
    let code = OrgCode::parse(&input.code).map_err(|e| Error::Invalid(e.to_string()))?;
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::Invalid(
            "机构名称不能为空，且不超过 100 个字符".into(),
        ));
    }
    let pattern = match &input.index_pattern {
        Some(p) => IndexPattern::parse(p).map_err(|e| Error::Invalid(e.to_string()))?,
        None => IndexPattern::default(),
    };
    let parent_id = match &input.parent {
        Some(p) => Some(
            orgs::by_code(h, p)
                .await?
                .ok_or_else(|| Error::Invalid(format!("上级机构 {p} 不存在")))?
                .id,
        ),
        None => None,
    };
    if orgs::by_code(h, code.as_str()).await?.is_some() {
        return Err(Error::Conflict(format!("机构代码 {code} 已存在")));
    }
    let position = orgs::all(h).await?.len() as i64;
    let org = orgs::insert(
        h,
        &NewOrg {
            code: code.as_str(),
            name,
            short_name: input
                .short_name
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
            kind: input.kind.code(),
            parent_id,
            index_pattern: pattern.as_str(),
            position,
        },
        now,
    )
    .await?;
    ensure_unified_columns(h, org.id).await?;
    Ok(org)
}

/// Creates the unified column structure (DOMAIN B §5) for an organization where missing.
pub async fn ensure_unified_columns(h: &mut impl Handle, org_id: i64) -> Result<()> {
    for (i, name) in UNIFIED_COLUMNS.iter().enumerate() {
        let first = columns::ensure(h, org_id, None, name, name, i as i64, true).await?;
        if *name == "法定主动公开内容" {
            for (j, sub) in DEFAULT_SUBCOLUMNS.iter().enumerate() {
                let path = format!("{name}/{sub}");
                columns::ensure(h, org_id, Some(first.id), sub, &path, j as i64, true).await?;
            }
        }
    }
    Ok(())
}

/// Every organization, with parent and child links.
#[derive(Clone, Debug, Default)]
pub struct OrgTree {
    orgs: Vec<Org>,
    by_id: HashMap<i64, usize>,
    by_code: HashMap<String, usize>,
    children: HashMap<i64, Vec<usize>>,
}

impl OrgTree {
    /// The tree as of the public generation, held in memory and loaded again only when the
    /// generation changes (an organization added anywhere bumps it).
    pub async fn current(app: &App) -> Result<std::sync::Arc<OrgTree>> {
        // Read before loading: a tree loaded after a change is kept under the older number
        // at worst, and loaded again.
        let generation = app.public_generation();
        if let Some(tree) = app.cached_org_tree(generation) {
            return Ok(tree);
        }
        let tree = std::sync::Arc::new(OrgTree::load(app).await?);
        app.keep_org_tree(generation, std::sync::Arc::clone(&tree));
        Ok(tree)
    }

    /// Loads the tree.
    pub async fn load(app: &App) -> Result<OrgTree> {
        let mut c = app.db().conn().await?;
        Ok(OrgTree::from_rows(orgs::all(&mut c).await?))
    }

    /// Builds the tree from rows.
    pub fn from_rows(orgs: Vec<Org>) -> OrgTree {
        let by_id = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        let by_code = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.code.clone(), i))
            .collect();
        let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, o) in orgs.iter().enumerate() {
            if let Some(p) = o.parent_id {
                children.entry(p).or_default().push(i);
            }
        }
        OrgTree {
            orgs,
            by_id,
            by_code,
            children,
        }
    }

    /// The organization with `id`.
    pub fn get(&self, id: i64) -> Option<&Org> {
        self.by_id.get(&id).map(|&i| &self.orgs[i])
    }

    /// The organization with `code`.
    pub fn by_code(&self, code: &str) -> Option<&Org> {
        self.by_code.get(code).map(|&i| &self.orgs[i])
    }

    /// Top-level organizations.
    pub fn roots(&self) -> Vec<&Org> {
        self.orgs
            .iter()
            .filter(|o| o.parent_id.is_none_or(|p| !self.by_id.contains_key(&p)))
            .collect()
    }

    /// Direct children of `id`.
    pub fn children(&self, id: i64) -> Vec<&Org> {
        self.children
            .get(&id)
            .map(|c| c.iter().map(|&i| &self.orgs[i]).collect())
            .unwrap_or_default()
    }

    /// `id` and every organization below it.
    pub fn subtree_ids(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let cur = out[i];
            if out.len() > self.orgs.len() {
                break;
            }
            out.extend(self.children(cur).into_iter().map(|o| o.id));
            i += 1;
        }
        out
    }

    /// The chain from the root down to `id`.
    pub fn ancestors(&self, id: i64) -> Vec<&Org> {
        let mut out = Vec::new();
        let mut cur = self.get(id);
        while let Some(o) = cur {
            if out.iter().any(|x: &&Org| x.id == o.id) {
                break;
            }
            out.push(o);
            cur = o.parent_id.and_then(|p| self.get(p));
        }
        out.reverse();
        out
    }

    /// Every organization in depth-first order with its depth.
    pub fn flatten(&self) -> Vec<(usize, &Org)> {
        let mut out = Vec::new();
        for root in self.roots() {
            self.walk(root, 0, &mut out);
        }
        out
    }

    fn walk<'a>(&'a self, o: &'a Org, depth: usize, out: &mut Vec<(usize, &'a Org)>) {
        if out.len() > self.orgs.len() {
            return;
        }
        out.push((depth, o));
        for c in self.children(o.id) {
            self.walk(c, depth + 1, out);
        }
    }

    /// All rows.
    pub fn all(&self) -> &[Org] {
        &self.orgs
    }
}
