//! View models: what templates print, already formatted.

use gongkai_app::model::Summary;
use gongkai_domain::{DocKind, Topic, Validity, format_date_iso, topics};

/// A record in a list.
#[derive(Clone, Debug)]
pub struct Row {
    /// Page address.
    pub href: String,
    /// 标题.
    pub title: String,
    /// 索引号.
    pub index_number: String,
    /// 发文字号.
    pub doc_number: String,
    /// 发文机关 (organization name).
    pub org_name: String,
    /// 发布日期.
    pub published: String,
    /// 有效性 label.
    pub validity: String,
    /// CSS modifier for the validity badge.
    pub validity_class: &'static str,
    /// 公文种类 label.
    pub kind: String,
    /// 主题分类.
    pub topic: String,
}

impl From<&Summary> for Row {
    fn from(s: &Summary) -> Row {
        Row {
            href: format!("/doc/{}", s.id),
            title: s.title.clone(),
            index_number: s.index_number.clone().unwrap_or_default(),
            doc_number: s.doc_number.clone().unwrap_or_default(),
            org_name: s.org_name.clone(),
            published: s.published_date.map(format_date_iso).unwrap_or_default(),
            validity: s.validity.label().to_owned(),
            validity_class: validity_class(Some(s.validity)),
            kind: s.kind.label().to_owned(),
            topic: s.topic.clone(),
        }
    }
}

/// CSS modifier of a validity badge.
pub fn validity_class(v: Option<Validity>) -> &'static str {
    match v {
        Some(Validity::Valid) => "valid",
        Some(Validity::Amended) => "amended",
        _ => "invalid",
    }
}

/// The label of a stored 公文种类 code.
pub fn kind_label(code: &str) -> String {
    DocKind::from_code(code).map_or_else(|_| code.to_owned(), |k| k.label().to_owned())
}

/// An option of a select.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Currently chosen.
    pub selected: bool,
}

/// A group of options.
#[derive(Clone, Debug)]
pub struct OptGroup {
    /// Group label.
    pub label: String,
    /// Options.
    pub options: Vec<Opt>,
}

/// 主题分类 options, grouped by first level.
pub fn topic_groups(selected: Option<Topic>) -> Vec<OptGroup> {
    topics()
        .iter()
        .map(|g| {
            let first = g.topic();
            let mut options = vec![Opt {
                value: first.label(),
                label: format!("{}（全部）", g.name),
                selected: selected == Some(first),
            }];
            for t in g.child_topics() {
                options.push(Opt {
                    value: t.label(),
                    label: t.second_name().unwrap_or(g.name).to_owned(),
                    selected: selected == Some(t),
                });
            }
            OptGroup {
                label: g.name.to_owned(),
                options,
            }
        })
        .collect()
}

/// 公文种类 options.
pub fn kind_options(selected: Option<DocKind>) -> Vec<Opt> {
    DocKind::all()
        .iter()
        .map(|k| Opt {
            value: k.code().to_owned(),
            label: k.label().to_owned(),
            selected: selected == Some(*k),
        })
        .collect()
}

/// 有效性 options.
pub fn validity_options(selected: Option<Validity>) -> Vec<Opt> {
    Validity::all()
        .iter()
        .map(|v| Opt {
            value: v.code().to_owned(),
            label: v.label().to_owned(),
            selected: selected == Some(*v),
        })
        .collect()
}

/// A link of the pagination.
#[derive(Clone, Debug)]
pub struct PageLink {
    /// Page number or "…".
    pub label: String,
    /// Address, none for the gap and the current page.
    pub href: Option<String>,
    /// The page shown.
    pub current: bool,
}

/// Pagination.
#[derive(Clone, Debug)]
pub struct Pager {
    /// Page shown.
    pub page: i64,
    /// Pages in all.
    pub pages: i64,
    /// Records in all.
    pub total: i64,
    /// Previous page.
    pub prev: Option<String>,
    /// Next page.
    pub next: Option<String>,
    /// Numbered links with gaps.
    pub links: Vec<PageLink>,
}

impl Pager {
    /// Pagination for `page` of `pages`; `href(n)` gives the address of page n.
    pub fn new(page: i64, pages: i64, total: i64, href: impl Fn(i64) -> String) -> Pager {
        let mut links = Vec::new();
        let mut last = 0;
        for n in 1..=pages {
            let near = (n - page).abs() <= 2;
            if n == 1 || n == pages || near {
                if n - last > 1 {
                    links.push(PageLink {
                        label: "…".into(),
                        href: None,
                        current: false,
                    });
                }
                links.push(PageLink {
                    label: n.to_string(),
                    href: (n != page).then(|| href(n)),
                    current: n == page,
                });
                last = n;
            }
        }
        Pager {
            page,
            pages,
            total,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            links,
        }
    }
}

/// Human file size.
pub fn file_size(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    }
}
